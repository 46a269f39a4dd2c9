/* examples/chat/migrate.c — creates and upgrades the tables at start-up.
 *
 * Migrations are only ever appended: a database at version v has run
 * migrations[0..v), so a file written by any earlier build keeps its data
 * and gains what came later. */
#include "migrate.h"

#include <stdio.h>

static const char *const migrations[] = {
    /* 1: users, created by their first message, and the messages. The
     * AUTOINCREMENT keeps ids of deleted messages from coming back, so a
     * cursor or an id a client holds never points at a newer message. */
    "CREATE TABLE users ("
    "  id TEXT PRIMARY KEY,"
    "  display_name TEXT NOT NULL,"
    "  created_at TEXT NOT NULL);"
    "CREATE TABLE messages ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  content TEXT NOT NULL,"
    "  from_id TEXT NOT NULL REFERENCES users(id),"
    "  sent_at TEXT NOT NULL);"
    "CREATE INDEX messages_by_sender ON messages(from_id, id);",
};

enum { newest = (int)(sizeof migrations / sizeof migrations[0]) };

static int user_version(sqlite3 *db, int *version)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
        return -1;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : -1;
}

/* Runs migration `to` (1-based) unless another process got there first,
 * all or nothing. */
static int step(sqlite3 *db, int to, char *err, size_t n)
{
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(err, n, "cannot begin migration %d: %s", to, sqlite3_errmsg(db));
        return -1;
    }
    int version = 0;
    if (user_version(db, &version) != 0)
        goto fail;
    if (version < to) {
        char set[64];
        snprintf(set, sizeof set, "PRAGMA user_version = %d", to);
        if (sqlite3_exec(db, migrations[to - 1], NULL, NULL, NULL) != SQLITE_OK ||
            sqlite3_exec(db, set, NULL, NULL, NULL) != SQLITE_OK)
            goto fail;
    }
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK)
        return 0;
fail:
    snprintf(err, n, "migration %d failed: %s", to, sqlite3_errmsg(db));
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return -1;
}

int chat_migrate(sqlite3 *db, char *err, size_t n)
{
    int version = 0;
    if (user_version(db, &version) != 0) {
        snprintf(err, n, "cannot read the schema version: %s", sqlite3_errmsg(db));
        return -1;
    }
    if (version > newest) {
        snprintf(err, n, "the database is at schema version %d, newer than this program's %d",
                 version, newest);
        return -1;
    }
    for (int to = version + 1; to <= newest; to++)
        if (step(db, to, err, n) != 0)
            return -1;
    return newest;
}
