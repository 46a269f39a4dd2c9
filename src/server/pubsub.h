/* src/server/pubsub.h — where the pub/sub (include/gql/pubsub.h) delivers
 * a subscriber's events: the thread that owns the subscription, reached
 * through a post function (the server's gqlx_worker_post). */
#ifndef GQLX_SERVER_PUBSUB_H
#define GQLX_SERVER_PUBSUB_H

#include "gql/pubsub.h"

/* A thread that runs posted functions in the order they were posted.
 * post(ctx, fn, arg) must be safe from any thread and return GQL_OK once
 * fn(arg) is sure to run, or an error (then it never runs). ctx NULL
 * means no such thread: deliver synchronously on the publishing thread. */
typedef struct gqlx_pubsub_target {
    int (*post)(void *ctx, void (*fn)(void *arg), void *arg);
    void *ctx;
} gqlx_pubsub_target;

/* Sets the calling thread's target for the subscriptions it starts from
 * now on (the WebSocket layer sets it around gql_subscribe, so that a
 * subscriber's gql_pubsub_subscribe learns its connection's loop), and
 * stores the previous one in *prev when prev is not NULL. t NULL clears
 * it. */
void gqlx_pubsub_set_target(const gqlx_pubsub_target *t, gqlx_pubsub_target *prev);

#endif
