/* examples/chat/db.c — opens the database, lends its connections to the
 * thread pool's threads and closes them at shutdown. */
#include "db.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "migrate.h"

/* How long a connection waits for a lock another process holds (another
 * program reading the same file, or `sqlite3 chat.db` by hand) before the
 * query fails. Within this process the mutex orders the writers. */
#define CHAT_BUSY_TIMEOUT_MS 5000

struct chat_conn {
    sqlite3 *db;
    sqlite3_stmt *stmt[CHAT_STMT_COUNT];
    chat_conn *next_free;
};

struct chat_db {
    int version;
    chat_conn writer;
    pthread_mutex_t write_lock;
    chat_conn *readers;
    unsigned reader_count;
    chat_conn *free_readers;
    pthread_mutex_t read_lock;
    pthread_cond_t reader_freed;
};

static const struct {
    int writes;
    const char *sql;
} statements[CHAT_STMT_COUNT] = {
#define CHAT_STMT_ROW(name, w, text) {w, text},
    CHAT_STATEMENTS(CHAT_STMT_ROW)
#undef CHAT_STMT_ROW
};

static void conn_close(chat_conn *c)
{
    for (size_t i = 0; i < CHAT_STMT_COUNT; i++)
        sqlite3_finalize(c->stmt[i]);
    /* Nothing is left unfinalised, so the close cannot be deferred. */
    sqlite3_close(c->db);
    memset(c, 0, sizeof *c);
}

static int fail(chat_conn *c, const char *what, char *err, size_t n)
{
    snprintf(err, n, "%s: %s", what, c->db ? sqlite3_errmsg(c->db) : "out of memory");
    return -1;
}

/* Runs a pragma and checks the first column of its answer when `want`
 * is not NULL (journal_mode answers the mode it actually took). */
static int pragma(chat_conn *c, const char *sql, const char *want, char *err, size_t n)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK)
        return fail(c, sql, err, n);
    int rc = sqlite3_step(st);
    int ok = rc == SQLITE_ROW || rc == SQLITE_DONE;
    if (ok && want != NULL) {
        const unsigned char *got = rc == SQLITE_ROW ? sqlite3_column_text(st, 0) : NULL;
        ok = got != NULL && strcmp((const char *)got, want) == 0;
        if (!ok)
            snprintf(err, n, "%s: the database answered %s", sql,
                     got ? (const char *)got : "nothing");
        sqlite3_finalize(st);
        return ok ? 0 : -1;
    }
    sqlite3_finalize(st);
    return ok ? 0 : fail(c, sql, err, n);
}

static int conn_open(chat_conn *c, const char *path, int writer, char *err, size_t n)
{
    int flags = SQLITE_OPEN_NOMUTEX |
                (writer ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY);
    if (sqlite3_open_v2(path, &c->db, flags, NULL) != SQLITE_OK)
        return fail(c, path, err, n);
    sqlite3_busy_timeout(c->db, CHAT_BUSY_TIMEOUT_MS);
    return 0;
}

static int conn_prepare(chat_conn *c, int writer, char *err, size_t n)
{
    for (size_t i = 0; i < CHAT_STMT_COUNT; i++) {
        if (statements[i].writes && !writer)
            continue;
        if (sqlite3_prepare_v3(c->db, statements[i].sql, -1, SQLITE_PREPARE_PERSISTENT, &c->stmt[i],
                               NULL) != SQLITE_OK)
            return fail(c, statements[i].sql, err, n);
    }
    return 0;
}

/* The writing connection: WAL so readers never wait for it; synchronous
 * NORMAL, with which a committed message survives the program crashing
 * (only a power cut may lose the last ones); foreign keys checked. */
static int open_writer(chat_db *db, const char *path, char *err, size_t n)
{
    chat_conn *w = &db->writer;
    if (conn_open(w, path, 1, err, n) != 0 ||
        pragma(w, "PRAGMA journal_mode = WAL", "wal", err, n) != 0 ||
        pragma(w, "PRAGMA synchronous = NORMAL", NULL, err, n) != 0 ||
        pragma(w, "PRAGMA foreign_keys = ON", NULL, err, n) != 0)
        return -1;
    db->version = chat_migrate(w->db, err, n);
    if (db->version < 0)
        return -1;
    return conn_prepare(w, 1, err, n);
}

int chat_db_open(chat_db **out, const char *path, unsigned readers, char *err, size_t n)
{
    *out = NULL;
    if (sqlite3_threadsafe() == 0) {
        snprintf(err, n, "this SQLite library was built without thread support");
        return -1;
    }
    if (readers == 0)
        readers = 1;
    chat_db *db = calloc(1, sizeof *db);
    chat_conn *conns = calloc(readers, sizeof *conns);
    if (db == NULL || conns == NULL) {
        free(db);
        free(conns);
        snprintf(err, n, "out of memory");
        return -1;
    }
    pthread_mutex_init(&db->write_lock, NULL);
    pthread_mutex_init(&db->read_lock, NULL);
    pthread_cond_init(&db->reader_freed, NULL);
    db->readers = conns;
    db->reader_count = readers;
    /* The tables exist before any reader prepares its statements. */
    int rc = open_writer(db, path, err, n);
    for (unsigned i = 0; rc == 0 && i < readers; i++) {
        rc = conn_open(&conns[i], path, 0, err, n);
        if (rc == 0)
            rc = conn_prepare(&conns[i], 0, err, n);
        conns[i].next_free = db->free_readers;
        db->free_readers = &conns[i];
    }
    if (rc != 0) {
        chat_db_close(db);
        return -1;
    }
    *out = db;
    return 0;
}

void chat_db_close(chat_db *db)
{
    if (db == NULL)
        return;
    /* Readers first: the writer's close is the last one, which checkpoints
     * the WAL into the database and removes it. */
    for (unsigned i = 0; i < db->reader_count; i++)
        conn_close(&db->readers[i]);
    conn_close(&db->writer);
    pthread_cond_destroy(&db->reader_freed);
    pthread_mutex_destroy(&db->read_lock);
    pthread_mutex_destroy(&db->write_lock);
    free(db->readers);
    free(db);
}

int chat_db_version(const chat_db *db)
{
    return db->version;
}

chat_conn *chat_db_writer(chat_db *db)
{
    pthread_mutex_lock(&db->write_lock);
    return &db->writer;
}

chat_conn *chat_db_reader(chat_db *db)
{
    pthread_mutex_lock(&db->read_lock);
    while (db->free_readers == NULL)
        pthread_cond_wait(&db->reader_freed, &db->read_lock);
    chat_conn *c = db->free_readers;
    db->free_readers = c->next_free;
    pthread_mutex_unlock(&db->read_lock);
    return c;
}

void chat_db_release(chat_db *db, chat_conn *conn)
{
    /* A statement left unreset would keep its read transaction open and
     * stop checkpoints from finishing. */
    for (size_t i = 0; i < CHAT_STMT_COUNT; i++)
        if (conn->stmt[i] != NULL)
            sqlite3_reset(conn->stmt[i]);
    if (conn == &db->writer) {
        pthread_mutex_unlock(&db->write_lock);
        return;
    }
    pthread_mutex_lock(&db->read_lock);
    conn->next_free = db->free_readers;
    db->free_readers = conn;
    pthread_cond_signal(&db->reader_freed);
    pthread_mutex_unlock(&db->read_lock);
}

sqlite3_stmt *chat_stmt(chat_conn *conn, chat_stmt_id id)
{
    sqlite3_stmt *st = conn->stmt[id];
    if (st != NULL) {
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
    }
    return st;
}

sqlite3 *chat_conn_handle(chat_conn *conn)
{
    return conn->db;
}
