/* examples/chat/resolvers.h — the chat's GraphQL API bound to its
 * database and its pub/sub topics. */
#ifndef CHAT_RESOLVERS_H
#define CHAT_RESOLVERS_H

#include <gql/gql.h>
#include <gql/pubsub.h>

#include "db.h"

/* What every resolver reaches through gql_info_data; it must outlive the
 * server. */
typedef struct chat_app {
    chat_db *db;
    gql_pubsub *ps; /* topics "messageAdded" and "messageDeleted" */
} chat_app;

/* Binds every field of schema.graphql that does not read a plain member.
 * The database work goes to the request's thread pool
 * (gql_exec_opts.pool), which the endpoint must have. Returns GQL_OK or
 * the first binding's failure. */
int chat_bind(gql_schema_builder *b, chat_app *app);

#endif
