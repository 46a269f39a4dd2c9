/* examples/chat/store.h — the chat's queries and changes, one function
 * per thing the API asks of the database.
 *
 * Each borrows a connection (db.h) for its own duration, so they block:
 * the resolvers run them on the thread pool. Records come from `alloc`
 * and point into it. Each returns CHAT_OK, CHAT_NOT_FOUND, CHAT_ENOMEM or
 * CHAT_EDB (the SQLite error was logged to stderr). */
#ifndef CHAT_STORE_H
#define CHAT_STORE_H

#include "db.h"
#include "model.h"

enum { CHAT_OK = 0, CHAT_NOT_FOUND = 1, CHAT_ENOMEM = -1, CHAT_EDB = -2 };

/* What addMessage was given (already checked by the resolver). */
typedef struct chat_new_message {
    chat_str from_id;
    chat_str display_name; /* ptr NULL: keep the user's name */
    chat_str content;
} chat_new_message;

/* Called with a message just committed, while the writing connection is
 * still held, so that calls are made in the order of the messages' ids
 * (subscribers hear events in commit order). */
typedef void (*chat_committed_fn)(const chat_message *m, void *data);

/* Stores a message, creating its sender or renaming them as asked, and
 * stamps it with the current time. */
int chat_store_add(chat_db *db, const chat_new_message *in, chat_alloc a,
                   chat_committed_fn committed, void *data, chat_message **out);

/* Deletes message id and returns it as it was (CHAT_NOT_FOUND when there
 * is none). */
int chat_store_delete(chat_db *db, int64_t id, chat_alloc a, chat_committed_fn committed,
                      void *data, chat_message **out);

/* Message id, or CHAT_NOT_FOUND. */
int chat_store_message(chat_db *db, int64_t id, chat_alloc a, chat_message **out);

/* At most `first` messages with ids above after_id (0: from the start),
 * oldest first, all read in one transaction; counts every message too
 * when with_total is set. */
int chat_store_page(chat_db *db, int64_t after_id, unsigned first, int with_total, chat_alloc a,
                    chat_page *out);

/* How many messages there are. */
int chat_store_message_count(chat_db *db, int64_t *out);

/* How many messages user id has. */
int chat_store_user_message_count(chat_db *db, chat_str id, int64_t *out);

/* Every user, in the order they first wrote, with their message counts. */
int chat_store_users(chat_db *db, chat_alloc a, chat_user ***out, size_t *count);

/* User id, or CHAT_NOT_FOUND. */
int chat_store_user(chat_db *db, chat_str id, chat_alloc a, chat_user **out);

#endif
