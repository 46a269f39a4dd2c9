/* examples/chat/model.h — the chat's records as the resolvers see them.
 *
 * Records are plain structs in memory that lives as long as one GraphQL
 * response (a thread-pool work's memory, or the request's), so nothing
 * here is ever freed one by one. Strings are slices: message text may
 * hold any character, NUL included. */
#ifndef CHAT_MODEL_H
#define CHAT_MODEL_H

#include <stddef.h>
#include <stdint.h>

/* Bytes that are not NUL-terminated. */
typedef struct chat_str {
    const char *ptr;
    size_t len;
} chat_str;

/* Memory for records, from whoever runs the query (never freed by the
 * caller). Returns NULL when memory runs out. */
typedef void *(*chat_alloc_fn)(void *ctx, size_t size);

typedef struct chat_alloc {
    chat_alloc_fn fn;
    void *ctx;
} chat_alloc;

typedef struct chat_user {
    chat_str id;
    chat_str display_name;
    /* -1 when the query that made the record did not count them: the
     * messageCount resolver then asks the database. */
    int64_t message_count;
} chat_user;

typedef struct chat_message {
    int64_t id;
    chat_str content;
    chat_user from;
    chat_str sent_at;
} chat_message;

/* One page of Query.messages. */
typedef struct chat_page {
    chat_message **items; /* count records, oldest first */
    size_t count;
    int has_next;     /* a message follows the last one */
    int has_previous; /* a message precedes the first one asked for */
    int64_t total;    /* every stored message; -1 when not counted */
} chat_page;

#endif
