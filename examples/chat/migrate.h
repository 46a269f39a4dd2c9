/* examples/chat/migrate.h — the database's tables, version by version. */
#ifndef CHAT_MIGRATE_H
#define CHAT_MIGRATE_H

#include <sqlite3.h>
#include <stddef.h>

/* Brings the database to the newest version this program knows, one
 * migration per transaction, recording each in PRAGMA user_version (0 is
 * an empty file). A database from a newer program is refused rather than
 * guessed at. Returns the version reached, or -1 with a reason in
 * err[0..n). */
int chat_migrate(sqlite3 *db, char *err, size_t n);

#endif
