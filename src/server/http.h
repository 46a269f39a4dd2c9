/* src/server/http.h — one HTTP exchange as the connection layer hands it to
 * handlers (GraphQL endpoints, static files, REST routes, built-in pages),
 * and the few services of the worker a handler may use.
 *
 * The connection layer (conn.c, worker.c) parses a request into a
 * gql_http_request whose memory is one arena, routes it (router.c), calls
 * the route's handler on the worker's loop thread, and writes the response
 * once the handler has answered — at once or later (asynchronous GraphQL
 * execution). Security headers, CORS, compression, the access log and
 * metrics are applied centrally when the response is sent, so a handler
 * only says status, content type, headers and body. */
#ifndef GQLX_SERVER_HTTP_H
#define GQLX_SERVER_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/slice.h"
#include "gql/server.h"

struct gqlx_conn;
struct gqlx_worker;

/* A name/value pair: a request header, a path parameter, a query-string
 * parameter. Both slices point into the request arena and are also
 * NUL-terminated. */
typedef struct gqlx_http_field {
    gqlx_slice name;
    gqlx_slice value;
} gqlx_http_field;

/* Streams a request body instead of buffering it (multipart uploads).
 * write consumes one chunk and returns 0, or an HTTP status (413, 400...)
 * that ends the request with that status; finish is called once when the
 * body is complete (before the handler) and may fail the same way. */
typedef struct gqlx_body_sink {
    int (*write)(void *state, const char *p, size_t n);
    int (*finish)(void *state);
    void *state;
    /* Optional: why write or finish failed, for the error response's
     * message (valid until the request is freed); NULL, or a NULL result,
     * means the status's reason phrase. */
    const char *(*message)(void *state);
} gqlx_body_sink;

enum {
    GQLX_RESP_NO_STORE = 1u << 0,    /* Cache-Control: no-store (GraphQL) */
    GQLX_RESP_NO_COMPRESS = 1u << 1, /* never compress this body */
    GQLX_RESP_CLOSE = 1u << 2,       /* close the connection afterwards */
};

struct gql_http_request {
    gqlx_arena arena; /* everything of this request; freed when sent */
    gql_server *server;
    struct gqlx_worker *worker;
    struct gqlx_conn *conn; /* NULL once the client has gone */

    /* The request, all NUL-terminated, in the arena. */
    const char *method; /* "GET" */
    const char *target; /* as sent: path and query */
    const char *path;   /* without the prefix and query; raw */
    const char *query;  /* after '?', raw; "" when none */
    gqlx_http_field *headers;
    size_t header_count;
    char *body; /* buffered body ("" with a sink) */
    size_t body_len;
    gqlx_http_field *params; /* path parameters, decoded */
    size_t param_count;
    gqlx_body_sink sink; /* set by a route's begin to stream the body */
    void *route_state;   /* what a route's begin hands to its handle */
    char remote_addr[48];
    uint64_t start_ns; /* monotonic, when the first byte arrived */
    unsigned http_minor;
    bool keep_alive;
    void *user; /* from the user builder */
    /* Called once when the request is freed, whatever happened to it
     * (answered, failed while its body was read, or orphaned by a closed
     * connection), before its arena is released: for what a handler keeps
     * outside the arena (a multipart parser and its temporary files). Set
     * by the route's handler; NULL otherwise. */
    void (*on_free)(void *arg);
    void *on_free_arg;

    /* The response, filled by gql_http_respond / gqlx_http_respond_*. */
    bool responded;
    int status;
    unsigned resp_flags;
    const char *content_type;
    gqlx_buf resp_headers; /* extra "Name: value\r\n" lines */
    const char *resp_body;
    size_t resp_len;
    void (*resp_release)(void *arg); /* frees resp_body once written */
    void *resp_release_arg;
};

/* The handler of a route. begin (optional) runs when the headers are
 * complete and may set req->sink or answer at once (then the body is
 * discarded); handle runs when the body is complete. */
typedef struct gqlx_route_handler {
    void (*begin)(gql_http_request *req, void *data);
    void (*handle)(gql_http_request *req, void *data);
    void *data;
} gqlx_route_handler;

/* Answers with a body the caller keeps alive until release(arg) is called
 * (after the write), without copying it: a GraphQL response. flags are
 * GQLX_RESP_*. Returns GQL_OK or GQL_EINVAL (already answered). */
int gqlx_http_respond_owned(gql_http_request *req, int status, const char *content_type,
                            const char *body, size_t len, unsigned flags,
                            void (*release)(void *arg), void *arg);

/* Answers with a small JSON error body {"errors":[{"message":...}]} (the
 * GraphQL shape, so clients can show it) and the given status. */
int gqlx_http_respond_error(gql_http_request *req, int status, const char *content_type,
                            const char *message);

/* The header value by name (case-insensitive), as gql_http_header. */
const char *gqlx_http_header(const gql_http_request *req, const char *name);

/* Whether c may appear in an HTTP token (RFC 9110 tchar): methods, header
 * names, content codings, parameter names. */
static inline bool gqlx_http_tchar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* Runs fn(arg) on the worker's loop thread, soon. Safe from any thread
 * (a queue under a mutex and a uv_async_t): how pending GraphQL values
 * delivered by other threads wake their execution. Every accepted post
 * runs exactly once, also during shutdown. Returns GQL_OK, GQL_ENOMEM, or
 * GQL_EINVAL once the worker has stopped (no loop would run it). */
int gqlx_worker_post(struct gqlx_worker *w, void (*fn)(void *arg), void *arg);

/* The server's options (copied at gql_server_new). */
const gql_server_opts *gqlx_server_opts(const gql_server *srv);

/* Writes a log line through the server's log callback (printf format). */
void gqlx_server_log(const gql_server *srv, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
