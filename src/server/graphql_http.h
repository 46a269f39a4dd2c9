/* src/server/graphql_http.h — a GraphQL endpoint: GraphQL over HTTP
 * (GET, POST with JSON, application/graphql, forms and multipart),
 * batching, CSRF protection, media types and status codes, executing on
 * the worker's loop. */
#ifndef GQLX_SERVER_GRAPHQL_HTTP_H
#define GQLX_SERVER_GRAPHQL_HTTP_H

#include "core/json.h"
#include "gql/exec.h"
#include "gql/server.h"
#include "server/http.h"

typedef struct gqlx_endpoint gqlx_endpoint;

/* Creates the endpoint for schema at path with its options (copied; a
 * plan cache of its own when opts->exec.cache is NULL). Returns GQL_OK,
 * GQL_ENOMEM or GQL_EINVAL. */
int gqlx_endpoint_new(gql_server *srv, const char *path, const gql_schema *schema,
                      const gql_endpoint_opts *opts, gqlx_endpoint **out);
void gqlx_endpoint_free(gqlx_endpoint *ep);

/* The route handler for the endpoint's path (every method; the endpoint
 * answers 405 itself). */
gqlx_route_handler gqlx_endpoint_handler(gqlx_endpoint *ep);

/* The endpoint's effective configuration as a JSON object (for
 * /server_info): path and every option. */
void gqlx_endpoint_describe(const gqlx_endpoint *ep, gqlx_json_writer *w);

/* Adds the endpoint's plan-cache counters to *hits, *misses, *entries. */
void gqlx_endpoint_cache_stats(const gqlx_endpoint *ep, size_t *hits, size_t *misses,
                               size_t *entries);

#endif
