/* src/server/ws_conn.c — a WebSocket connection after the HTTP upgrade:
 * the handshake check and answer, taking the connection over from the
 * HTTP engine, reading frames into messages for the sub-protocol, the
 * outbound queue and its limit, and the close handshake with its timeout.
 *
 * Memory of an idle connection is kept small (thousands of subscribers
 * sit idle most of the time): reads go through one buffer per loop
 * thread, the frame parser and the outbound queue free their buffers
 * when they empty, zlib state is the loop's (ws_deflate.h), and the
 * upgrade request keeps only its headers, path and parameters in an
 * allocation of their exact size. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "core/base64.h"
#include "core/limits.h"
#include "core/sha1.h"
#include "core/utf8.h"
#include "gql/status.h"
#include "server/conn.h"
#include "server/server_internal.h"
#include "server/worker.h"
#include "server/ws.h"
#include "server/ws_conn.h"
#include "server/ws_deflate.h"
#include "server/ws_frame.h"

/* Bytes one read takes from the socket into the loop's read buffer. */
#define WS_READ_BYTES (16u * 1024u)

/* The GUID RFC 6455 section 1.3 appends to the client's key. */
static const char WS_GUID[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/* Frames are parsed in place in this buffer, whole within one read, so
 * a connection needs no read buffer of its own. */
static _Thread_local char read_buf[WS_READ_BYTES];

struct gqlx_ws {
    gqlx_conn *conn;
    gql_http_request *req;
    gqlx_worker *worker;
    gqlx_ws_handler h;
    gqlx_ws_opts opts;
    gqlx_ws_parser parser;
    unsigned deflate_bits; /* window for outgoing messages; 0: none compressed */

    gqlx_buf out[2]; /* out[pending] gathers frames; the other is being written */
    unsigned pending;
    size_t outbound; /* bytes in both */
    gqlx_buf early;  /* bytes received before the 101 was written */

    int close_code; /* what on_close reports */
    bool open;      /* the 101 is written: frames are read */
    bool writing;
    bool close_sent; /* our close frame is queued */
    bool close_received;
    bool finish;      /* close the socket once the queue is written */
    bool closed;      /* the socket is closing */
    bool notified;    /* on_close was called */
    bool close_timer; /* the close timeout is running */
    bool read_paused;
    bool compacted; /* req's memory was moved to a block of its own */

    /* After the socket: the request lives on while held (gqlx_ws_hold). */
    unsigned holds;
    bool finished;                  /* gqlx_wsc_fini ran */
    void (*app_on_free)(void *arg); /* the request's own on_free, run last */
    void *app_on_free_arg;
};

void gqlx_ws_opts_init(gqlx_ws_opts *opts)
{
    opts->max_message_size = GQLX_WS_DEFAULT_MAX_MESSAGE_BYTES;
    opts->max_outbound_bytes = GQLX_WS_DEFAULT_MAX_OUTBOUND_BYTES;
    opts->permessage_deflate = true;
    opts->close_timeout_ms = GQLX_WS_DEFAULT_CLOSE_TIMEOUT_MS;
}

/* ---- the handshake ------------------------------------------------------------ */

/* Whether a comma-separated header value lists token (any case). */
static bool has_token(const char *v, const char *token)
{
    size_t n = strlen(token);
    while (*v != '\0') {
        while (*v == ' ' || *v == '\t' || *v == ',')
            v++;
        const char *start = v;
        while (*v != '\0' && *v != ',')
            v++;
        const char *end = v;
        while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
            end--;
        if ((size_t)(end - start) == n && strncasecmp(start, token, n) == 0)
            return true;
    }
    return false;
}

static bool is_base64_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
           c == '/';
}

/* A key is 16 bytes in base64: 22 characters and "==" (RFC 6455 section
 * 4.1); the last character before the padding holds 2 bits, so the
 * other 4 must be zero for the key to be canonical. */
static bool valid_key(const char *k)
{
    if (k == NULL || strlen(k) != 24 || k[22] != '=' || k[23] != '=')
        return false;
    for (int i = 0; i < 22; i++)
        if (!is_base64_char(k[i]))
            return false;
    return strchr("AQgw", k[21]) != NULL;
}

int gqlx_ws_check_upgrade(const gql_http_request *req)
{
    const char *upgrade = gqlx_http_header(req, "Upgrade");
    if (upgrade == NULL || !has_token(upgrade, "websocket"))
        return -1;
    const char *connection = gqlx_http_header(req, "Connection");
    if (strcmp(req->method, "GET") != 0 || req->http_minor < 1 || connection == NULL ||
        !has_token(connection, "upgrade") || gqlx_http_header(req, "Host") == NULL)
        return 400;
    const char *version = gqlx_http_header(req, "Sec-WebSocket-Version");
    if (version == NULL)
        return 400;
    if (strcmp(version, "13") != 0)
        return 426;
    if (!valid_key(gqlx_http_header(req, "Sec-WebSocket-Key")))
        return 400;
    return 0;
}

int gqlx_ws_refuse(gql_http_request *req, int status)
{
    if (status == 426) {
        gql_http_add_header(req, "Sec-WebSocket-Version", "13");
        return gqlx_http_respond_error(req, 426, NULL,
                                       "Unsupported WebSocket version: this server speaks 13.");
    }
    return gqlx_http_respond_error(req, status, NULL, "Invalid WebSocket handshake.");
}

/* Sec-WebSocket-Accept for a key (RFC 6455 section 4.2.2): the base64 of
 * the SHA-1 of the key and the GUID; 28 characters. */
static void accept_value(const char *key, char out[29])
{
    gqlx_sha1_ctx s;
    unsigned char digest[GQLX_SHA1_DIGEST_BYTES];
    gqlx_sha1_init(&s);
    gqlx_sha1_update(&s, key, strlen(key));
    gqlx_sha1_update(&s, WS_GUID, sizeof WS_GUID - 1);
    gqlx_sha1_final(&s, digest);
    gqlx_base64_encode(digest, sizeof digest, out);
}

static bool is_token(const char *s)
{
    if (*s == '\0')
        return false;
    for (; *s; s++)
        if (!gqlx_http_tchar(*s))
            return false;
    return true;
}

/* ---- the request, made small ------------------------------------------------------ */

typedef struct bump {
    char *p, *end;
} bump;

static void *bump_alloc(bump *b, size_t n, size_t align)
{
    uintptr_t at = ((uintptr_t)b->p + (align - 1)) & ~(uintptr_t)(align - 1);
    if (at > (uintptr_t)b->end || n > (size_t)((uintptr_t)b->end - at))
        return NULL;
    b->p = (char *)(at + n);
    return (void *)at;
}

static char *bump_str(bump *b, const char *s, size_t n)
{
    char *d = bump_alloc(b, n + 1, 1);
    if (d != NULL) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

static size_t fields_size(const gqlx_http_field *f, size_t n)
{
    size_t need = n * sizeof *f + _Alignof(gqlx_http_field);
    for (size_t i = 0; i < n; i++)
        need += f[i].name.len + f[i].value.len + 2;
    return need;
}

static gqlx_http_field *copy_fields(bump *b, const gqlx_http_field *f, size_t n)
{
    if (n == 0)
        return NULL;
    gqlx_http_field *d = bump_alloc(b, n * sizeof *d, _Alignof(gqlx_http_field));
    if (d == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        char *name = bump_str(b, f[i].name.ptr, f[i].name.len);
        char *value = bump_str(b, f[i].value.ptr, f[i].value.len);
        if (name == NULL || value == NULL)
            return NULL;
        d[i].name = gqlx_slice_make(name, f[i].name.len);
        d[i].value = gqlx_slice_make(value, f[i].value.len);
    }
    return d;
}

/* Moves what gqlx_ws_request's users read (target, path, query, headers,
 * path and query parameters) from the request's arena, whose first chunk
 * alone is 16 KiB, into one arena block of their exact size, and frees
 * the rest. The user builder's allocations are in an arena of their own
 * (conn.c) and stay; a user from anywhere else keeps the arena whole. */
static bool compact_request(gql_http_request *req)
{
    gqlx_req_slot *s = (gqlx_req_slot *)req;
    if (req->user != NULL && !s->has_user_arena)
        return false;
    size_t need = strlen(req->target) + strlen(req->path) + strlen(req->query) + 4;
    need += fields_size(req->headers, req->header_count);
    need += fields_size(req->params, req->param_count);
    need += fields_size(s->query_params, s->query_param_count);

    gqlx_arena small;
    gqlx_arena_init(&small, need, req->arena.cap);
    char *block = gqlx_arena_alloc(&small, need, 16);
    if (block == NULL) {
        gqlx_arena_free(&small);
        return false;
    }
    bump b = {block, block + need};
    char *target = bump_str(&b, req->target, strlen(req->target));
    char *path = bump_str(&b, req->path, strlen(req->path));
    char *query = bump_str(&b, req->query, strlen(req->query));
    char *body = bump_str(&b, "", 0);
    gqlx_http_field *headers = copy_fields(&b, req->headers, req->header_count);
    gqlx_http_field *params = copy_fields(&b, req->params, req->param_count);
    gqlx_http_field *qparams = copy_fields(&b, s->query_params, s->query_param_count);
    if (target == NULL || path == NULL || query == NULL || body == NULL ||
        (req->header_count > 0 && headers == NULL) || (req->param_count > 0 && params == NULL) ||
        (s->query_param_count > 0 && qparams == NULL)) {
        gqlx_arena_free(&small);
        return false;
    }
    gqlx_arena_free(&req->arena);
    req->arena = small;
    req->target = target;
    req->path = path;
    req->query = query;
    req->body = body;
    req->body_len = 0;
    req->headers = headers;
    req->params = params;
    req->sink = (gqlx_body_sink){0};
    s->query_params = qparams;
    s->body_cap = 1;
    return true;
}

/* ---- output --------------------------------------------------------------------- */

static void set_timer(gqlx_ws *ws, uint64_t ms)
{
    if (!ws->closed)
        ws->conn->io->timer(ws->conn, ms);
}

static void notify(gqlx_ws *ws, int code)
{
    if (ws->notified)
        return;
    ws->notified = true;
    if (ws->h.on_close != NULL)
        ws->h.on_close(ws, code, ws->h.data);
}

static void close_socket(gqlx_ws *ws, bool linger)
{
    if (ws->closed)
        return;
    ws->closed = true;
    gqlx_conn_close(ws->conn, linger);
}

/* The connection ended without a finished close handshake. */
static void lost(gqlx_ws *ws)
{
    close_socket(ws, false);
    notify(ws, ws->close_sent ? ws->close_code : GQLX_WS_CLOSE_ABNORMAL);
}

/* Writes the queue when no write is outstanding; once the queue is empty,
 * frees its buffers, stops the write timer and, when the connection is
 * finishing, closes the socket (lingering, so the peer reads the close
 * frame before the end of the stream). */
static void flush(gqlx_ws *ws)
{
    if (ws->writing || ws->closed)
        return;
    gqlx_buf *b = &ws->out[ws->pending];
    if (b->len == 0) {
        gqlx_buf_free(&ws->out[0]);
        gqlx_buf_free(&ws->out[1]);
        if (!ws->close_timer)
            set_timer(ws, 0);
        if (ws->finish)
            close_socket(ws, true);
        return;
    }
    ws->writing = true;
    ws->pending ^= 1u;
    /* A peer that stops reading leaves the write outstanding: the
     * server's idle timeout ends it. */
    unsigned idle = ws->conn->srv->opts.idle_timeout_ms;
    if (!ws->close_timer && idle > 0)
        set_timer(ws, idle);
    gqlx_iov iov = {b->data, b->len};
    ws->conn->io->write(ws->conn, &iov, 1, GQLX_WRITE_RESPONSE);
}

static bool append_frame(gqlx_ws *ws, unsigned opcode, bool rsv1, const char *p, size_t n)
{
    gqlx_buf *b = &ws->out[ws->pending];
    size_t before = b->len;
    if (!gqlx_buf_reserve(b, GQLX_WS_MAX_HEADER)) {
        b->failed = false;
        return false;
    }
    size_t h = gqlx_ws_frame_header((unsigned char *)b->data + before, opcode, true, rsv1, n, NULL);
    b->len += h;
    gqlx_buf_append(b, p, n);
    if (b->failed) {
        b->failed = false;
        b->len = before;
        if (b->data != NULL)
            b->data[before] = '\0';
        return false;
    }
    ws->outbound += h + n;
    return true;
}

/* A data message, compressed when that was negotiated and it pays. */
static bool append_message(gqlx_ws *ws, unsigned opcode, const char *p, size_t n)
{
    if (ws->deflate_bits >= 9 && n >= GQLX_WS_DEFLATE_MIN_BYTES) {
        gqlx_buf *b = &ws->out[ws->pending];
        size_t before = b->len;
        /* Room for the longest header; the payload moves up behind the
         * real one once its length is known. */
        static const char room[10] = {0};
        gqlx_buf_append(b, room, sizeof room);
        if (!b->failed &&
            gqlx_ws_deflate(&ws->worker->ws_zlib, ws->deflate_bits, p, n, b) == GQL_OK &&
            b->len - before - sizeof room < n) {
            size_t clen = b->len - before - sizeof room;
            unsigned char hdr[GQLX_WS_MAX_HEADER];
            size_t h = gqlx_ws_frame_header(hdr, opcode, true, true, clen, NULL);
            char *base = b->data + before;
            memmove(base + h, base + sizeof room, clen);
            memcpy(base, hdr, h);
            b->len = before + h + clen;
            b->data[b->len] = '\0';
            ws->outbound += h + clen;
            return true;
        }
        b->failed = false;
        b->len = before;
        if (b->data != NULL)
            b->data[before] = '\0';
    }
    return append_frame(ws, opcode, false, p, n);
}

/* Queues our close frame (once) and arms the close timeout. fail: the
 * peer broke the protocol, or cannot be served any more: the socket
 * closes once the frame is written, without waiting for an answer. */
static void start_close(gqlx_ws *ws, int code, const char *reason, bool fail)
{
    if (ws->closed)
        return;
    if (!ws->close_sent) {
        if (!gqlx_ws_close_code_valid(code))
            code = GQLX_WS_CLOSE_NORMAL;
        ws->close_sent = true;
        ws->close_code = code;
        char payload[GQLX_WS_MAX_CONTROL];
        payload[0] = (char)(code >> 8);
        payload[1] = (char)(code & 0xff);
        size_t n = reason != NULL ? strlen(reason) : 0;
        if (n > GQLX_WS_MAX_CONTROL - 2) {
            n = GQLX_WS_MAX_CONTROL - 2;
            while (n > 0 && ((unsigned char)reason[n] & 0xc0u) == 0x80u)
                n--; /* not inside a code point */
        }
        if (n > 0)
            memcpy(payload + 2, reason, n);
        if (!append_frame(ws, GQLX_WS_OP_CLOSE, false, payload, n + 2)) {
            lost(ws);
            return;
        }
    }
    if (fail)
        ws->finish = true;
    if (!ws->close_timer) {
        ws->close_timer = true;
        set_timer(ws, ws->opts.close_timeout_ms > 0 ? ws->opts.close_timeout_ms : 1);
    }
    flush(ws);
}

/* The queue is over its limit: the peer does not read. What was not yet
 * handed to the socket is dropped, and the connection closes with 1008. */
static void overflow(gqlx_ws *ws)
{
    gqlx_buf *b = &ws->out[ws->pending];
    ws->outbound -= b->len;
    gqlx_buf_free(b);
    start_close(ws, GQLX_WS_CLOSE_POLICY, "outbound queue over its limit", true);
    notify(ws, ws->close_code);
}

static bool has_room(gqlx_ws *ws, size_t n)
{
    size_t max = ws->opts.max_outbound_bytes;
    return n <= max && ws->outbound + GQLX_WS_MAX_HEADER <= max - n;
}

static int send_message(gqlx_ws *ws, unsigned opcode, const char *p, size_t n)
{
    if (ws == NULL || (p == NULL && n > 0) || ws->close_sent || ws->closed || ws->notified)
        return GQL_EINVAL;
    if (!has_room(ws, n)) {
        overflow(ws);
        return GQL_ELIMIT;
    }
    if (!append_message(ws, opcode, p != NULL ? p : "", n)) {
        start_close(ws, GQLX_WS_CLOSE_INTERNAL, "out of memory", true);
        notify(ws, ws->close_code);
        return GQL_ENOMEM;
    }
    flush(ws);
    return GQL_OK;
}

int gqlx_ws_send_text(gqlx_ws *ws, const char *p, size_t n)
{
    return send_message(ws, GQLX_WS_OP_TEXT, p, n);
}

int gqlx_ws_send_binary(gqlx_ws *ws, const char *p, size_t n)
{
    return send_message(ws, GQLX_WS_OP_BINARY, p, n);
}

int gqlx_ws_ping(gqlx_ws *ws, const char *payload, size_t n)
{
    if (ws == NULL || n > GQLX_WS_MAX_CONTROL || (payload == NULL && n > 0) || ws->close_sent ||
        ws->closed || ws->notified)
        return GQL_EINVAL;
    if (!has_room(ws, n)) {
        overflow(ws);
        return GQL_ELIMIT;
    }
    if (!append_frame(ws, GQLX_WS_OP_PING, false, payload != NULL ? payload : "", n)) {
        start_close(ws, GQLX_WS_CLOSE_INTERNAL, "out of memory", true);
        notify(ws, ws->close_code);
        return GQL_ENOMEM;
    }
    flush(ws);
    return GQL_OK;
}

void gqlx_ws_close(gqlx_ws *ws, int code, const char *reason)
{
    if (ws == NULL || ws->close_sent || ws->closed)
        return;
    start_close(ws, code, reason, false);
}

gql_http_request *gqlx_ws_request(gqlx_ws *ws)
{
    return ws->req;
}

struct gqlx_worker *gqlx_ws_worker(gqlx_ws *ws)
{
    return ws->worker;
}

size_t gqlx_ws_outbound_bytes(const gqlx_ws *ws)
{
    return ws->outbound;
}

/* ---- input ------------------------------------------------------------------------ */

static void peer_close(gqlx_ws *ws, int code)
{
    ws->close_received = true;
    if (!ws->close_sent) {
        /* Echo the code (RFC 6455 section 5.5.1); a close without one is
         * answered without one. */
        ws->close_sent = true;
        ws->close_code = code;
        char payload[2] = {(char)(code >> 8), (char)(code & 0xff)};
        size_t n = code == GQLX_WS_CLOSE_NO_STATUS ? 0 : 2;
        if (!append_frame(ws, GQLX_WS_OP_CLOSE, false, payload, n)) {
            lost(ws);
            return;
        }
    }
    ws->finish = true;
    notify(ws, ws->close_code);
    flush(ws);
}

static void peer_failed(gqlx_ws *ws, int code, const char *why)
{
    start_close(ws, code, why, true);
    notify(ws, ws->close_code);
}

static void on_ping(gqlx_ws *ws, const char *p, size_t n)
{
    if (ws->close_sent)
        return;
    if (!has_room(ws, n)) {
        overflow(ws); /* pings from a peer that reads no pongs */
        return;
    }
    if (!append_frame(ws, GQLX_WS_OP_PONG, false, p, n)) {
        peer_failed(ws, GQLX_WS_CLOSE_INTERNAL, "out of memory");
        return;
    }
    flush(ws);
}

/* Parses n bytes at p (unmasked in place) and acts on each event, until
 * the input is used up or the connection closes. */
static void input(gqlx_ws *ws, char *p, size_t n)
{
    while (n > 0 && !ws->closed && !ws->parser.done) {
        gqlx_ws_event ev;
        size_t used = gqlx_ws_parse(&ws->parser, p, n, &ev);
        p += used;
        n -= used;
        switch (ev.kind) {
        case GQLX_WS_EV_MESSAGE:
            if (!ws->close_sent && ws->h.on_message != NULL)
                ws->h.on_message(ws, ev.data, ev.len, ev.is_text, ws->h.data);
            break;
        case GQLX_WS_EV_PING:
            on_ping(ws, ev.data, ev.len);
            break;
        case GQLX_WS_EV_PONG:
            if (!ws->notified && ws->h.on_pong != NULL)
                ws->h.on_pong(ws, ev.data, ev.len, ws->h.data);
            break;
        case GQLX_WS_EV_CLOSE:
            peer_close(ws, ev.code);
            break;
        case GQLX_WS_EV_FAIL:
            peer_failed(ws, ev.code, ev.why);
            break;
        case GQLX_WS_EV_NONE:
            if (used == 0)
                return;
            break;
        }
    }
}

char *gqlx_wsc_read_space(gqlx_ws *ws, size_t *len)
{
    if (ws->open) {
        *len = sizeof read_buf;
        return read_buf;
    }
    /* Until the 101 is written, what arrives waits in a buffer of its
     * own (bounded: reading pauses past the read-ahead limit). */
    if (!gqlx_buf_reserve(&ws->early, 4096)) {
        *len = 0;
        return NULL;
    }
    *len = ws->early.cap - ws->early.len - 1;
    return ws->early.data + ws->early.len;
}

void gqlx_wsc_received(gqlx_ws *ws, size_t n)
{
    if (ws->open) {
        input(ws, read_buf, n);
        return;
    }
    ws->early.len += n;
    ws->early.data[ws->early.len] = '\0';
    if (ws->early.len >= GQLX_CONN_READ_AHEAD_BYTES && !ws->read_paused && !ws->closed) {
        ws->read_paused = true;
        ws->conn->io->reading(ws->conn, false);
    }
}

void gqlx_wsc_write_done(gqlx_ws *ws, int status)
{
    ws->writing = false;
    gqlx_buf *done = &ws->out[ws->pending ^ 1u];
    ws->outbound -= done->len;
    gqlx_buf_clear(done);
    if (status < 0) {
        lost(ws);
        return;
    }
    if (ws->closed)
        return;
    if (!ws->open) {
        /* The 101 is out: from now on frames are read, starting with
         * those that came early. */
        ws->open = true;
        gqlx_buf early = ws->early;
        gqlx_buf_init(&ws->early, 0);
        if (early.len > 0)
            input(ws, early.data, early.len);
        gqlx_buf_free(&early);
        if (ws->read_paused && !ws->closed) {
            ws->read_paused = false;
            ws->conn->io->reading(ws->conn, true);
        }
    }
    flush(ws);
}

void gqlx_wsc_eof(gqlx_ws *ws)
{
    /* Our close frame is on its way: let it go out, then close (the
     * socket does not linger after the peer's end of stream). */
    if (ws->finish && ws->writing && !ws->closed)
        return;
    lost(ws);
}

void gqlx_wsc_error(gqlx_ws *ws)
{
    lost(ws);
}

void gqlx_wsc_timeout(gqlx_ws *ws)
{
    if (ws->closed)
        return;
    if (ws->close_timer || ws->writing)
        lost(ws); /* no close frame in time, or a write the peer never took */
}

void gqlx_wsc_shutdown(gqlx_ws *ws)
{
    if (!ws->closed && !ws->close_sent)
        start_close(ws, GQLX_WS_CLOSE_GOING_AWAY, "server shutting down", false);
}

void gqlx_wsc_abort(gqlx_ws *ws)
{
    lost(ws);
}

/* The request's on_free once the socket is gone: the request's own hook,
 * its memory back to an ordinary arena before the request object is
 * pooled, and ws itself. Also run by a worker that ends with the request
 * still held. */
static void request_freed(void *arg)
{
    gqlx_ws *ws = arg;
    gql_http_request *req = ws->req;
    if (ws->app_on_free != NULL)
        ws->app_on_free(ws->app_on_free_arg);
    if (ws->compacted) {
        size_t cap = req->arena.cap;
        gqlx_arena_free(&req->arena);
        gqlx_arena_init(&req->arena, 0, cap);
    }
    gqlx_free(ws);
}

void gqlx_wsc_fini(gqlx_ws *ws)
{
    ws->closed = true;
    notify(ws, ws->close_sent ? ws->close_code : GQLX_WS_CLOSE_ABNORMAL);
    gqlx_ws_parser_free(&ws->parser);
    gqlx_buf_free(&ws->out[0]);
    gqlx_buf_free(&ws->out[1]);
    gqlx_buf_free(&ws->early);
    gql_http_request *req = ws->req;
    ws->app_on_free = req->on_free;
    ws->app_on_free_arg = req->on_free_arg;
    req->on_free = request_freed;
    req->on_free_arg = ws;
    ws->finished = true;
    if (ws->holds == 0)
        gqlx_request_finish(req, 0, false);
}

void gqlx_ws_hold(gqlx_ws *ws)
{
    ws->holds++;
}

void gqlx_ws_release(gqlx_ws *ws)
{
    if (--ws->holds == 0 && ws->finished)
        gqlx_request_finish(ws->req, 0, false);
}

/* ---- accepting ------------------------------------------------------------------ */

static bool build_head(gqlx_ws *ws, gql_http_request *req, const char *subprotocol,
                       const char *extensions)
{
    char accept[29];
    accept_value(gqlx_http_header(req, "Sec-WebSocket-Key"), accept);
    gqlx_buf *h = &ws->out[ws->pending];
    gqlx_buf_printf(h,
                    "HTTP/1.1 101 Switching Protocols\r\n"
                    "Upgrade: websocket\r\n"
                    "Connection: Upgrade\r\n"
                    "Sec-WebSocket-Accept: %s\r\n",
                    accept);
    if (subprotocol != NULL)
        gqlx_buf_printf(h, "Sec-WebSocket-Protocol: %s\r\n", subprotocol);
    if (extensions != NULL)
        gqlx_buf_printf(h, "Sec-WebSocket-Extensions: %s\r\n", extensions);
    if (req->resp_headers.len > 0)
        gqlx_buf_append(h, req->resp_headers.data, req->resp_headers.len);
    gqlx_buf_append(h, "\r\n", 2);
    if (h->failed)
        return false;
    ws->outbound = h->len;
    return true;
}

int gqlx_ws_accept(gql_http_request *req, const char *subprotocol, const gqlx_ws_opts *opts,
                   const gqlx_ws_handler *h, gqlx_ws **out)
{
    if (out != NULL)
        *out = NULL;
    if (req == NULL || req->responded)
        return GQL_EINVAL;
    if (h == NULL || out == NULL || (subprotocol != NULL && !is_token(subprotocol))) {
        gqlx_http_respond_error(req, 500, NULL, "Internal Server Error");
        return GQL_EINVAL;
    }
    gqlx_conn *c = req->conn;
    if (c == NULL || gqlx_ws_check_upgrade(req) != 0) {
        gqlx_ws_refuse(req, 400);
        return GQL_EINVAL;
    }
    gqlx_ws_opts o;
    gqlx_ws_opts_init(&o);
    if (opts != NULL) {
        o.permessage_deflate = opts->permessage_deflate;
        if (opts->max_message_size > 0)
            o.max_message_size = opts->max_message_size;
        if (opts->max_outbound_bytes > 0)
            o.max_outbound_bytes = opts->max_outbound_bytes;
        if (opts->close_timeout_ms > 0)
            o.close_timeout_ms = opts->close_timeout_ms;
    }

    gqlx_ws *ws = gqlx_malloc(sizeof *ws);
    if (ws == NULL) {
        gqlx_http_respond_error(req, 500, NULL, "Out of memory");
        return GQL_ENOMEM;
    }
    memset(ws, 0, sizeof *ws);
    ws->conn = c;
    ws->req = req;
    ws->worker = req->worker;
    ws->h = *h;
    ws->opts = o;
    gqlx_buf_init(&ws->out[0], 0);
    gqlx_buf_init(&ws->out[1], 0);
    gqlx_buf_init(&ws->early, 0);

    gqlx_ws_deflate_params dp;
    char ext[GQLX_WS_DEFLATE_RESPONSE_MAX];
    bool deflate =
        o.permessage_deflate &&
        gqlx_ws_deflate_negotiate(gqlx_http_header(req, "Sec-WebSocket-Extensions"), &dp, ext);
    if (deflate)
        ws->deflate_bits = dp.server_window_bits >= 9 ? dp.server_window_bits : 0;
    gqlx_ws_parser_init(&ws->parser, o.max_message_size, true, deflate, &ws->worker->ws_zlib);

    if (!build_head(ws, req, subprotocol, deflate ? ext : NULL)) {
        gqlx_buf_free(&ws->out[0]);
        gqlx_free(ws);
        gqlx_http_respond_error(req, 500, NULL, "Out of memory");
        return GQL_ENOMEM;
    }
    if (gqlx_conn_upgrade(req, ws, &ws->early) != GQL_OK) {
        gqlx_buf_free(&ws->out[0]);
        gqlx_free(ws);
        gqlx_ws_refuse(req, 400);
        return GQL_EINVAL;
    }
    ws->compacted = compact_request(req);
    gqlx_buf_free(&req->resp_headers); /* they are in the 101 */
    /* The 101 goes out now; frames are read once it is written. */
    flush(ws);
    *out = ws;
    return GQL_OK;
}
