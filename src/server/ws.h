/* src/server/ws.h — WebSocket connections (RFC 6455, RFC 7692) after an
 * HTTP upgrade: strict framing, fragmentation, UTF-8 checks, the close
 * handshake, permessage-deflate, and an outbound queue with a byte limit.
 * The GraphQL sub-protocols (ws_graphql*.c) sit on top of this interface;
 * everything runs on the worker's loop thread that owns the connection. */
#ifndef GQLX_SERVER_WS_H
#define GQLX_SERVER_WS_H

#include <stdbool.h>
#include <stddef.h>

#include "server/http.h"

typedef struct gqlx_ws gqlx_ws;

/* Close codes of RFC 6455 section 7.4.1 used by the framing layer. */
enum {
    GQLX_WS_CLOSE_NORMAL = 1000,
    GQLX_WS_CLOSE_GOING_AWAY = 1001,   /* server shutting down */
    GQLX_WS_CLOSE_PROTOCOL = 1002,     /* framing violation */
    GQLX_WS_CLOSE_UNSUPPORTED = 1003,  /* e.g. binary where text is needed */
    GQLX_WS_CLOSE_NO_STATUS = 1005,    /* never sent: the peer's close had no code */
    GQLX_WS_CLOSE_ABNORMAL = 1006,     /* never sent: the socket just ended */
    GQLX_WS_CLOSE_INVALID_DATA = 1007, /* text that is not UTF-8 */
    GQLX_WS_CLOSE_POLICY = 1008,       /* e.g. the outbound queue overflowed */
    GQLX_WS_CLOSE_TOO_BIG = 1009,      /* message over the size limit */
    GQLX_WS_CLOSE_INTERNAL = 1011,
};

/* What the sub-protocol layer hears. All callbacks run on the loop thread. */
typedef struct gqlx_ws_handler {
    /* A complete message: text (valid UTF-8) or binary. */
    void (*on_message)(gqlx_ws *ws, const char *p, size_t n, bool is_text, void *data);
    /* A pong (solicited or not) with its payload. Optional. */
    void (*on_pong)(gqlx_ws *ws, const char *p, size_t n, void *data);
    /* The connection is over (close handshake finished, socket error,
     * timeout, server stop); code is the close code sent or received:
     * the peer's when it closed first (GQLX_WS_CLOSE_NO_STATUS when its
     * close frame had none), the server's when it closed or failed the
     * connection first, GQLX_WS_CLOSE_ABNORMAL when the socket ended
     * without a close frame. Called exactly once, never from inside
     * gqlx_ws_accept; afterwards ws must not be used. Release your state
     * here. */
    void (*on_close)(gqlx_ws *ws, int code, void *data);
    void *data;
} gqlx_ws_handler;

/* 0 in a size or the timeout means its default. */
typedef struct gqlx_ws_opts {
    size_t max_message_size;   /* after reassembly and inflation: 1009 */
    size_t max_outbound_bytes; /* queued but not yet written: close 1008 */
    bool permessage_deflate;   /* accept the extension when offered */
    unsigned close_timeout_ms; /* wait for the peer's close frame */
} gqlx_ws_opts;

/* Besides these limits, a write the peer does not take within the
 * server's idle_timeout_ms ends the connection (a client that stopped
 * reading), and on a graceful stop every WebSocket is closed with 1001
 * (within the close timeout, and the server's shutdown timeout). */

/* Sets the defaults (limits from core/limits.h). */
void gqlx_ws_opts_init(gqlx_ws_opts *opts);

/* Checks an upgrade request: GET, HTTP/1.1, Upgrade: websocket,
 * Connection: upgrade, Sec-WebSocket-Version: 13, a valid
 * Sec-WebSocket-Key. Returns 0 when it is a valid WebSocket handshake,
 * -1 when the request is not an upgrade at all, or the HTTP status to
 * refuse it with (400, or 426 for a wrong version). */
int gqlx_ws_check_upgrade(const gql_http_request *req);

/* Answers an upgrade request gqlx_ws_check_upgrade refused with its
 * status (400, or 426 with Sec-WebSocket-Version: 13 as RFC 6455 section
 * 4.4 asks) and a short JSON error body. Returns as gql_http_respond. */
int gqlx_ws_refuse(gql_http_request *req, int status);

/* Answers the upgrade request with 101 Switching Protocols (with
 * Sec-WebSocket-Protocol: subprotocol when not NULL, the negotiated
 * extension, and the headers added with gql_http_add_header) and turns
 * the connection into a WebSocket handled by h (copied). Call from a
 * route's handle (at once or later, on the loop thread; not from begin)
 * after gqlx_ws_check_upgrade returned 0. No callback of h runs before
 * the 101 is written, so none runs inside this call.
 *
 * The request stays readable through gqlx_ws_request until on_close (and
 * alive while held, gqlx_ws_hold): its method, path, query, headers,
 * path and query parameters and user. To keep an idle connection small
 * its memory is moved into one block of its exact size and the rest
 * freed (its body, and whatever before hooks and the handler allocated
 * with gql_http_alloc). What the user builder allocated with
 * gql_http_alloc for an upgrade request is kept apart by the connection
 * layer and lives on. gql_http_alloc on the request still works (memory
 * freed with the request).
 *
 * Returns GQL_OK with the connection in *out, or GQL_ENOMEM/GQL_EINVAL
 * (the request then answered with 500/400; also EINVAL without an answer
 * when it was answered already). */
int gqlx_ws_accept(gql_http_request *req, const char *subprotocol, const gqlx_ws_opts *opts,
                   const gqlx_ws_handler *h, gqlx_ws **out);

/* Queues a text message (copied; p must be UTF-8, which is not checked
 * again). Returns GQL_OK, GQL_ELIMIT (the outbound limit was exceeded:
 * the connection is being closed with 1008), GQL_ENOMEM (closed with
 * 1011), or GQL_EINVAL (closing or closed). */
int gqlx_ws_send_text(gqlx_ws *ws, const char *p, size_t n);

/* Queues a binary message (copied); returns as gqlx_ws_send_text. */
int gqlx_ws_send_binary(gqlx_ws *ws, const char *p, size_t n);

/* Sends a ping with a payload of at most 125 bytes. Returns GQL_OK,
 * GQL_EINVAL (too long, closing or closed), or as gqlx_ws_send_text. */
int gqlx_ws_ping(gqlx_ws *ws, const char *payload, size_t n);

/* Starts the close handshake with a code and a reason (NULL for none;
 * cut to 123 bytes on a UTF-8 boundary); on_close follows when it is
 * done or timed out. A code that may not be sent (1005, 1006, below
 * 1000...) is sent as 1000. Messages that arrive meanwhile are dropped.
 * Does nothing when closing already. */
void gqlx_ws_close(gqlx_ws *ws, int code, const char *reason);

/* The upgrade request (headers, path, user), valid until on_close. */
gql_http_request *gqlx_ws_request(gqlx_ws *ws);

/* Keeps the upgrade request, and so its user, allocated past on_close
 * until as many gqlx_ws_release calls: work the connection started that
 * may still read them (an execution waiting on a pending value) holds
 * it. gqlx_ws_release is the one call allowed on ws after on_close, and
 * may come from inside on_close. A request still held when its worker
 * ends is freed with the worker. */
void gqlx_ws_hold(gqlx_ws *ws);
void gqlx_ws_release(gqlx_ws *ws);

/* The worker (and so the loop) that owns the connection. */
struct gqlx_worker *gqlx_ws_worker(gqlx_ws *ws);

/* Bytes queued for the peer and not yet written. */
size_t gqlx_ws_outbound_bytes(const gqlx_ws *ws);

#endif
