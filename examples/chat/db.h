/* examples/chat/db.h — the SQLite database: its connections and prepared
 * statements, shared by the thread pool's threads.
 *
 * SQLite connections are not shared between threads here. The database
 * has one writing connection, behind a mutex, and a set of read-only
 * connections that a thread borrows for one query and gives back; each is
 * opened with SQLITE_OPEN_NOMUTEX (SQLite's multi-thread mode), which is
 * safe because no connection is ever used by two threads at once. In WAL
 * mode readers do not wait for the writer, and writes are serialised by
 * the mutex rather than by SQLite's busy retries.
 *
 * Every function here blocks: call them from the thread pool, never from
 * an event loop. */
#ifndef CHAT_DB_H
#define CHAT_DB_H

#include <sqlite3.h>
#include <stddef.h>

/* The statements every connection prepares once: name, whether it writes
 * (prepared on the writing connection only), SQL. */
#define CHAT_STATEMENTS(X)                                                                         \
    X(BEGIN_READ, 0, "BEGIN")                                                                      \
    X(BEGIN_WRITE, 1, "BEGIN IMMEDIATE")                                                           \
    X(COMMIT, 0, "COMMIT")                                                                         \
    X(ROLLBACK, 0, "ROLLBACK")                                                                     \
    X(UPSERT_USER, 1,                                                                              \
      "INSERT INTO users(id, display_name, created_at) VALUES (?1, coalesce(?2, ?1), ?3) "         \
      "ON CONFLICT(id) DO UPDATE SET display_name = coalesce(?2, display_name) "                   \
      "RETURNING display_name")                                                                    \
    X(INSERT_MESSAGE, 1,                                                                           \
      "INSERT INTO messages(content, from_id, sent_at) VALUES (?1, ?2, ?3) RETURNING id")          \
    X(DELETE_MESSAGE, 1, "DELETE FROM messages WHERE id = ?1")                                     \
    X(MESSAGE, 0,                                                                                  \
      "SELECT m.id, m.content, m.from_id, u.display_name, m.sent_at "                              \
      "FROM messages m JOIN users u ON u.id = m.from_id WHERE m.id = ?1")                          \
    X(PAGE, 0,                                                                                     \
      "SELECT m.id, m.content, m.from_id, u.display_name, m.sent_at "                              \
      "FROM messages m JOIN users u ON u.id = m.from_id "                                          \
      "WHERE m.id > ?1 ORDER BY m.id LIMIT ?2")                                                    \
    X(ANY_UP_TO, 0, "SELECT EXISTS (SELECT 1 FROM messages WHERE id <= ?1)")                       \
    X(COUNT_MESSAGES, 0, "SELECT count(*) FROM messages")                                          \
    X(COUNT_USERS, 0, "SELECT count(*) FROM users")                                                \
    X(USERS, 0,                                                                                    \
      "SELECT u.id, u.display_name, "                                                              \
      "(SELECT count(*) FROM messages m WHERE m.from_id = u.id) "                                  \
      "FROM users u ORDER BY u.rowid")                                                             \
    X(USER, 0,                                                                                     \
      "SELECT u.id, u.display_name, "                                                              \
      "(SELECT count(*) FROM messages m WHERE m.from_id = u.id) "                                  \
      "FROM users u WHERE u.id = ?1")                                                              \
    X(USER_MESSAGE_COUNT, 0, "SELECT count(*) FROM messages WHERE from_id = ?1")

typedef enum chat_stmt_id {
#define CHAT_STMT_ENUM(name, writes, sql) CHAT_STMT_##name,
    CHAT_STATEMENTS(CHAT_STMT_ENUM)
#undef CHAT_STMT_ENUM
        CHAT_STMT_COUNT
} chat_stmt_id;

typedef struct chat_db chat_db;
typedef struct chat_conn chat_conn;

/* Opens (creating it if needed) the database file at path, switches it to
 * WAL, brings its tables to the current version (migrate.h) and opens
 * `readers` read-only connections (at least 1) beside the writing one.
 * Returns 0 and the database in *out, or -1 with a reason in err[0..n). */
int chat_db_open(chat_db **out, const char *path, unsigned readers, char *err, size_t n);

/* Closes every connection (the last close checkpoints the WAL into the
 * database file). No connection may be borrowed. NULL does nothing. */
void chat_db_close(chat_db *db);

/* The schema version the database was brought to. */
int chat_db_version(const chat_db *db);

/* Borrows the writing connection, waiting for the thread that has it. */
chat_conn *chat_db_writer(chat_db *db);

/* Borrows a read-only connection, waiting until one is free. */
chat_conn *chat_db_reader(chat_db *db);

/* Gives a borrowed connection back (its statements are reset first). */
void chat_db_release(chat_db *db, chat_conn *conn);

/* A prepared statement of the connection, reset and with no bindings;
 * NULL for a writing statement on a read-only connection. */
sqlite3_stmt *chat_stmt(chat_conn *conn, chat_stmt_id id);

/* The connection's handle, for its error message. */
sqlite3 *chat_conn_handle(chat_conn *conn);

#endif
