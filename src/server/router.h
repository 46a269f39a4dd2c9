/* src/server/router.h — which handler answers a method and path: exact
 * paths first, then patterns with "{name}" parameters and a final "*",
 * each group in the order the routes were added; 405 with the allowed
 * methods when the path is known but the method is not. */
#ifndef GQLX_SERVER_ROUTER_H
#define GQLX_SERVER_ROUTER_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/slice.h"
#include "server/http.h"

typedef struct gqlx_route {
    char *method;    /* "GET", or "*" for every method */
    char *pattern;   /* as added: "/report/{key}" */
    gqlx_slice *seg; /* the pattern's segments (the text after each '/') */
    size_t nseg;
    bool exact; /* neither parameters nor "*" */
    bool tail;  /* the last segment is "*" */
    gqlx_route_handler handler;
    /* A route of the public API (gql_server_route): handler.data points
     * to the route itself and these say what to call. */
    gql_route_cb cb;
    void *cb_data;
} gqlx_route;

typedef struct gqlx_router {
    gqlx_route **routes;
    size_t count, cap;
} gqlx_router;

void gqlx_router_init(gqlx_router *r);
void gqlx_router_free(gqlx_router *r);

/* Adds a route for method ("GET", ... or "*") and pattern. A pattern
 * starts with '/'; a segment is literal text, "{name}" (one whole
 * segment, name not empty) or, last only, "*". Returns GQL_OK (with the
 * route in *out when out is not NULL), GQL_ENOMEM, or GQL_EINVAL: a
 * malformed pattern or method, or the same method and pattern added
 * before. */
int gqlx_router_add(gqlx_router *r, const char *method, const char *pattern,
                    gqlx_route_handler handler, gqlx_route **out);

/* True when some route has exactly this pattern (any method). */
bool gqlx_router_has_pattern(const gqlx_router *r, const char *pattern);

typedef struct gqlx_route_match {
    const gqlx_route *route; /* status 200: the route */
    gqlx_http_field *params; /* status 200: path parameters, in the arena */
    size_t param_count;
    const char *allow; /* status 405: "GET, HEAD, POST", in the arena */
} gqlx_route_match;

/* Finds the route for method and path (raw, without the prefix and the
 * query). A "GET" route also answers "HEAD". Parameters are
 * percent-decoded ("+" stays "+"), the "*" parameter is kept raw; all are
 * NUL-terminated in arena. Returns 200, 404 (no route has this path), 405
 * (m->allow lists the methods that have one), 400 (a parameter holds a
 * malformed escape) or 500 (arena exhausted). */
int gqlx_router_match(const gqlx_router *r, const char *method, const char *path, gqlx_arena *arena,
                      gqlx_route_match *m);

#endif
