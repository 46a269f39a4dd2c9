/* src/server/conn.h — one HTTP/1.1 connection as a protocol engine: bytes
 * in, requests parsed and dispatched, responses out, without doing any
 * I/O itself.
 *
 * The engine is driven through the functions below and acts on the world
 * only through its gqlx_conn_io: the event loop (worker.c) plugs a TCP
 * socket and a timer in, the fuzz target plugs in memory. Its contract
 * with the I/O side:
 *  - write: send the buffers in order, then call gqlx_conn_write_done once
 *    with the same kind, later (never from inside write), also when the
 *    connection is being closed (status < 0 then). At most one write of
 *    each kind is outstanding.
 *  - reading: stop or resume delivering bytes (back-pressure).
 *  - timer: (re)arm the connection's single timer to call
 *    gqlx_conn_timeout after ms milliseconds; 0 stops it.
 *  - close: close the socket, after the outstanding writes' callbacks and
 *    then gqlx_conn_fini; with linger, first half-close and keep reading
 *    and discarding for a while (GQLX_LINGER_MS) so the client reads the
 *    answer instead of a reset. Called at most once.
 * Requests are answered strictly in order: once a request is complete,
 * parsing waits until its response is written. */
#ifndef GQLX_SERVER_CONN_H
#define GQLX_SERVER_CONN_H

#include <llhttp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "server/http.h"
#include "server/router.h"

typedef struct gqlx_conn gqlx_conn;
struct gqlx_worker;
struct gqlx_ws;

/* The request as the connection layer keeps it: the public part first, so
 * a gql_http_request pointer is a slot pointer. */
typedef struct gqlx_req_slot {
    gql_http_request req;
    struct gqlx_req_slot *prev, *next; /* the worker's live list, or pool */
    const gqlx_route *route;           /* the route, once routed */
    size_t body_cap;                   /* bytes allocated for req.body */
    bool counted;                      /* counted in flight by the worker's metrics */
    bool complete;                     /* the whole request (body too) has been read */
    bool preflight;                    /* answered as a CORS preflight */
    bool live;                         /* on the worker's live list */
    bool outside;                      /* the path is outside the server's prefix */
    /* Query-string parameters, decoded once when the headers are read. */
    gqlx_http_field *query_params;
    size_t query_param_count;
    /* What the user builder allocated for an upgrade request: kept apart
     * so a WebSocket keeps its user without the rest of the request's
     * memory (ws_conn.c). Freed with the request. */
    gqlx_arena user_arena;
    bool has_user_arena;
} gqlx_req_slot;

typedef struct gqlx_iov {
    const char *base;
    size_t len;
} gqlx_iov;

enum { GQLX_WRITE_RESPONSE = 0, GQLX_WRITE_CONTINUE = 1 };

typedef struct gqlx_conn_io {
    void (*write)(gqlx_conn *c, const gqlx_iov *iov, unsigned n, int kind);
    void (*reading)(gqlx_conn *c, bool on);
    void (*timer)(gqlx_conn *c, uint64_t ms);
    void (*close)(gqlx_conn *c, bool linger);
} gqlx_conn_io;

typedef enum gqlx_conn_state {
    GQLX_CONN_IDLE,     /* between requests */
    GQLX_CONN_HEADERS,  /* a request has begun: request line and headers */
    GQLX_CONN_BODY,     /* headers complete, reading the body */
    GQLX_CONN_HANDLING, /* request complete, waiting for its handler */
    GQLX_CONN_WRITING,  /* the response is being written */
    GQLX_CONN_UPGRADED, /* a WebSocket (ws_conn.c) has the connection */
    GQLX_CONN_CLOSED,   /* closing or closed: the engine does nothing more */
} gqlx_conn_state;

/* Where a header's name and value lie in the header buffer. */
typedef struct gqlx_hdr_span {
    size_t name_off, name_len, value_off, value_len;
} gqlx_hdr_span;

struct gqlx_conn {
    struct gqlx_worker *worker;
    gql_server *srv;
    const gqlx_conn_io *io;
    gqlx_conn *prev, *next; /* the worker's connections */
    llhttp_t parser;
    gqlx_conn_state state;

    gqlx_buf in;   /* bytes received, not all parsed yet */
    size_t in_pos; /* first byte not parsed */

    gql_http_request *req; /* the request being read, handled or written */
    /* Once upgraded, every event of the I/O side goes to the WebSocket,
     * until gqlx_conn_fini. */
    struct gqlx_ws *ws;

    /* The header section as it arrives: target, then names and values. */
    gqlx_buf hdr;
    gqlx_hdr_span *spans;
    size_t nspans, spans_cap;
    size_t url_len;
    size_t header_bytes; /* of the head, then of trailers: max_header_size */
    bool in_value;       /* the last callback was a header value */
    bool headers_done;   /* later header callbacks are trailers */

    int fail_status;   /* set by a parser callback that must stop; -1:
                          close without an answer */
    size_t body_seen;  /* body bytes received (sinks included) */
    bool sink_failed;  /* the error is the body sink's (its message) */
    bool eof;          /* the client will send nothing more */
    bool read_paused;  /* reading stopped for back-pressure */
    bool draining;     /* the server stops: no keep-alive */
    bool counted;      /* counts toward max_connections */
    bool discard_body; /* answered before its body: drop the body */
    bool early_send;   /* answer now, before the body (Expect) */
    bool close_after;  /* close once the response is written */
    bool shed;         /* refused for load: close without lingering */
    bool continue_out; /* a "100 Continue" write is outstanding */
    uint64_t req_start_ns;

    gqlx_buf head;    /* the response's status line and headers */
    gqlx_buf zbody;   /* the compressed body */
    size_t sent_body; /* body bytes of the response being written */
    char remote_addr[48];
};

/* Prepares c (zeroed memory not needed) for a new connection of worker w
 * from remote_addr ("" when unknown). */
void gqlx_conn_init(gqlx_conn *c, struct gqlx_worker *w, const gqlx_conn_io *io,
                    const char *remote_addr);

/* Starts the wait for the first request (header timeout). */
void gqlx_conn_start(gqlx_conn *c);

/* Answers a connection that may not be served (503 past max_connections)
 * and closes it. */
void gqlx_conn_reject(gqlx_conn *c, int status);

/* Room for at least one read at the end of the input buffer: its address,
 * and its size in *len; NULL (and 0) when memory ran out. The bytes
 * stored there are handed over with gqlx_conn_received. */
char *gqlx_conn_read_space(gqlx_conn *c, size_t *len);
void gqlx_conn_received(gqlx_conn *c, size_t n);

/* Copies n bytes in and processes them (the fuzz target's input). */
void gqlx_conn_feed(gqlx_conn *c, const char *p, size_t n);

/* The client closed its side (eof), or the connection failed (error: the
 * request being handled, if any, is orphaned). */
void gqlx_conn_eof(gqlx_conn *c);
void gqlx_conn_error(gqlx_conn *c);

/* The connection's timer fired. */
void gqlx_conn_timeout(gqlx_conn *c);

/* A write of kind finished (status 0) or failed (< 0). */
void gqlx_conn_write_done(gqlx_conn *c, int kind, int status);

/* The server stops: an idle connection closes now, a busy one after its
 * response. abort closes at once whatever the state. */
void gqlx_conn_shutdown(gqlx_conn *c);
void gqlx_conn_abort(gqlx_conn *c);

/* Releases c's memory once its I/O is closed. */
void gqlx_conn_fini(gqlx_conn *c);

/* Hands the connection of req, whose handler is running (or answers
 * later) and which is a complete upgrade request, to the WebSocket ws:
 * req counts as answered with 101 (metrics, after hooks, access log) but
 * stays allocated for ws (gqlx_request_finish when ws is done with it);
 * the bytes the client sent after the request move to *leftover (an
 * empty buffer when none; the caller frees it); the HTTP buffers are
 * released. From then on the I/O events of the connection are ws's (see
 * ws_conn.h) and ws writes the 101 itself. Returns GQL_OK, or GQL_EINVAL
 * when req is not an upgrade request being handled on a live
 * connection (nothing changed then). */
int gqlx_conn_upgrade(gql_http_request *req, struct gqlx_ws *ws, gqlx_buf *leftover);

/* Closes the connection (an upgraded one: its WebSocket calls this);
 * with linger, half-closes first (see gqlx_conn_io.close). */
void gqlx_conn_close(gqlx_conn *c, bool linger);

/* Called by the respond functions once req holds its response: sends it
 * when its turn has come (or finishes an orphan at once). */
void gqlx_conn_responded(gql_http_request *req);

/* Ends a request after its response was written (bytes: body bytes sent)
 * or dropped: releases the response body, counts it in the metrics, runs
 * the after hooks and the access log when answered (and the request has
 * a response), and frees it. */
void gqlx_request_finish(gql_http_request *req, size_t bytes, bool answered);

#endif
