/* src/server/ui.h — the browser UI's pages and files (gql_server_ui), and
 * the one question a GraphQL endpoint asks of it: whether a request is a
 * browser opening the endpoint, to be answered with GraphiQL. */
#ifndef GQLX_SERVER_UI_H
#define GQLX_SERVER_UI_H

#include <stdbool.h>
#include <stddef.h>

#include "gql/ui.h"
#include "server/http.h"

/* Bytes of randomness in a page's CSP nonce (base64: 24 characters). */
#define GQLX_UI_NONCE_BYTES 18

/* Answers req with the GraphiQL page when it is a browser's GET of the
 * endpoint at endpoint_path (no query string, Accept naming text/html
 * above the JSON types) and a mounted UI talks to that endpoint with
 * endpoint_page set. Returns true when it answered. Called before the
 * endpoint's own checks (CSRF rules do not apply to showing a page). */
bool gqlx_ui_endpoint_page(gql_http_request *req, const char *endpoint_path);

/* True when an Accept header value names text/html (not through a
 * wildcard) with a higher weight than application/json and
 * application/graphql-response+json get from ranges naming them. */
bool gqlx_ui_accept_prefers_html(const char *accept);

/* The page for role "graphiql" or "voyager", as the server would send it,
 * for a given nonce, prefix and options: into out (cleared first).
 * False when a file the page needs is missing from the bundle. */
bool gqlx_ui_render(gqlx_buf *out, const gql_ui_opts *opts, const char *prefix,
                    size_t prefix_len, bool voyager, const char *nonce);

#endif
