/* src/server/graphql_endpoint.h — the state of one GraphQL endpoint,
 * shared by its construction and description (graphql_endpoint.c) and its
 * request handling (graphql_http.c). Immutable once made, so every worker
 * thread reads it without locks. */
#ifndef GQLX_SERVER_GRAPHQL_ENDPOINT_H
#define GQLX_SERVER_GRAPHQL_ENDPOINT_H

#include <stddef.h>

#include "gql/exec.h"
#include "gql/server.h"
#include "server/auth_http.h"
#include "server/graphql_http.h"
#include "server/graphql_params.h"
#include "server/ws_endpoint.h"

/* The header a CSRF-protected endpoint asks for by default: a custom
 * header makes every browser send a CORS preflight first. */
#define GQLX_DEFAULT_CSRF_HEADERS "GraphQL-Require-Preflight"

struct gqlx_endpoint {
    gql_server *srv;
    char *path;
    const gql_schema *schema;
    gql_endpoint_opts opts; /* strings point to the copies below */
    char *csrf_copy;        /* csrf_protection_headers, copied */
    char **csrf_names;      /* the list, split and trimmed (into csrf_names_buf) */
    size_t csrf_count;
    char *csrf_names_buf;
    char *csrf_message; /* what a refused request is told */
    gql_exec_opts exec; /* effective: the cache, internal errors */
    gql_plan_cache *own_cache;
    gqlx_params_opts params;
    gqlx_auth auth;       /* authentication and the endpoint's rule */
    gqlx_ws_endpoint *ws; /* GraphQL over WebSocket; NULL without handle_websockets */
};

#endif
