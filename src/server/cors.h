/* src/server/cors.h — Cross-Origin Resource Sharing from the server's
 * options: response headers for allowed origins and answers to preflight
 * requests. */
#ifndef GQLX_SERVER_CORS_H
#define GQLX_SERVER_CORS_H

#include <stdbool.h>

#include "core/buf.h"
#include "server/http.h"

/* The parsed configuration; origins NULL means CORS is off. */
typedef struct gqlx_cors {
    char *origins; /* the option's text, copied (gqlx_malloc) */
    bool any;      /* "*" */
    bool credentials;
    unsigned max_age;
} gqlx_cors;

/* Reads the options' cors_* fields. Returns GQL_OK or GQL_ENOMEM. */
int gqlx_cors_init(gqlx_cors *c, const gql_server_opts *opts);
void gqlx_cors_free(gqlx_cors *c);

/* True for a preflight request (OPTIONS with Origin and
 * Access-Control-Request-Method) when CORS is on: the caller answers it
 * 204 with the headers appended here (none for a refused origin):
 * Access-Control-Allow-Origin, -Methods (GET, POST, OPTIONS), -Headers
 * (the requested ones, echoed), -Max-Age, -Credentials, Vary: Origin. */
bool gqlx_cors_preflight(const gqlx_cors *c, const gql_http_request *req, gqlx_buf *headers);

/* Appends the headers of an actual (not preflight) response: for a
 * request with an allowed Origin, Access-Control-Allow-Origin ("*", or the
 * origin itself when credentials are on) and -Credentials; and, whenever
 * CORS is on, Vary: Origin, since the answer depends on that header even
 * when it grants nothing. Nothing when CORS is off. */
void gqlx_cors_headers(const gqlx_cors *c, const gql_http_request *req, gqlx_buf *headers);

#endif
