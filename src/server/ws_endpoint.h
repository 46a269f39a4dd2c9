/* src/server/ws_endpoint.h — GraphQL over WebSocket on a GraphQL
 * endpoint's own path: the upgrade (sub-protocol negotiation) and each
 * connection's protocol engine (ws_graphql.h) plugged into the WebSocket
 * layer (ws.h) and a timer on the connection's loop. */
#ifndef GQLX_SERVER_WS_ENDPOINT_H
#define GQLX_SERVER_WS_ENDPOINT_H

#include <stdbool.h>

#include "core/json.h"
#include "gql/exec.h"
#include "gql/server.h"
#include "server/auth_http.h"
#include "server/http.h"

typedef struct gqlx_ws_endpoint gqlx_ws_endpoint;

/* Prepares the WebSocket side of an endpoint serving schema with opts
 * (opts->websockets is copied, its protocol list parsed: NULL means
 * both), exec (the endpoint's effective execution options, copied) and
 * auth (the endpoint's authentication, borrowed: it must outlive the
 * WebSocket endpoint; NULL for none). Returns GQL_OK, GQL_ENOMEM, or
 * GQL_EINVAL when supported_subprotocols names a protocol gqld does not
 * speak or none at all. */
int gqlx_ws_endpoint_new(const gql_schema *schema, const gql_endpoint_opts *opts,
                         const gql_exec_opts *exec, const gqlx_auth *auth, gqlx_ws_endpoint **out);

/* Releases it once no connection uses it (after the server stopped).
 * NULL does nothing. */
void gqlx_ws_endpoint_free(gqlx_ws_endpoint *wep);

/* True when req asks for a WebSocket (valid or not): the endpoint then
 * leaves it to gqlx_ws_endpoint_upgrade, skipping the HTTP checks
 * (methods, Accept, CSRF) that do not apply to it. */
bool gqlx_ws_endpoint_wants(const gqlx_ws_endpoint *wep, const gql_http_request *req);

/* Answers an upgrade request: 400/426 for a broken handshake, 400
 * "Invalid WebSocket sub-protocol." when none of the offered
 * sub-protocols is supported, 401/403 when its Authorization header is
 * refused or its principal fails the endpoint's rule (or when the rule
 * needs a principal that no connection_init could bring), else 101 and a
 * GraphQL WebSocket (a client that offered no sub-protocol at all is then
 * closed with 4406). */
void gqlx_ws_endpoint_upgrade(gqlx_ws_endpoint *wep, gql_http_request *req);

/* The WebSocket options as JSON members of the endpoint's description
 * (/server_info): "websockets": {...}. */
void gqlx_ws_endpoint_describe(const gqlx_ws_endpoint *wep, gqlx_json_writer *w);

#endif
