/* tests/fuzz/fuzz_ws_frame.c — libFuzzer target for the WebSocket layer:
 * the frame parser alone (ws_frame.c, with permessage-deflate), and a
 * whole upgraded connection (ws_conn.c through conn.c) driven in memory.
 *
 * The first input byte chooses the mode and how the rest arrives:
 *   bit 0      0: the parser alone; 1: a connection after a handshake
 *   bit 1      permessage-deflate (offered by the client / negotiated)
 *   bit 2      parser: frames from a server (unmasked) instead of a client
 *   bits 3-7   the size of the pieces the input is fed in
 * Invariants: messages are within the limit and their text is UTF-8;
 * after a close or a failure nothing more is reported; every frame the
 * server writes parses cleanly (a client's view); on_close runs exactly
 * once; everything is freed (ASan's leak check). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/utf8.h"
#include "gql/server.h"
#include "gql/status.h"
#include "server/conn.h"
#include "server/http.h"
#include "server/server_internal.h"
#include "server/worker.h"
#include "server/ws.h"
#include "server/ws_deflate.h"
#include "server/ws_frame.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_MESSAGE  4096u
#define MAX_OUTBOUND 16384u

/* ---- the parser alone ------------------------------------------------------------ */

static gqlx_ws_zlib *zlib_streams;

static void check_event(const gqlx_ws_event *ev)
{
    switch (ev->kind) {
    case GQLX_WS_EV_MESSAGE:
        if (ev->len > MAX_MESSAGE || (ev->is_text && !gqlx_utf8_valid(ev->data, ev->len, NULL)))
            abort();
        break;
    case GQLX_WS_EV_PING:
    case GQLX_WS_EV_PONG:
        if (ev->len > GQLX_WS_MAX_CONTROL)
            abort();
        break;
    case GQLX_WS_EV_CLOSE:
        if (ev->code != 1005 && !gqlx_ws_close_code_valid(ev->code))
            abort();
        if (!gqlx_utf8_valid(ev->data, ev->len, NULL))
            abort();
        break;
    case GQLX_WS_EV_FAIL:
        if (!gqlx_ws_close_code_valid(ev->code) || ev->why == NULL)
            abort();
        break;
    case GQLX_WS_EV_NONE:
        break;
    }
    /* Read every byte, so ASan checks the data is alive. */
    volatile unsigned char sum = 0;
    for (size_t i = 0; i < ev->len; i++)
        sum = (unsigned char)(sum + (unsigned char)ev->data[i]);
    (void)sum;
}

static void run_parser(unsigned mode, char *p, size_t n, size_t step)
{
    gqlx_ws_parser parser;
    gqlx_ws_parser_init(&parser, MAX_MESSAGE, !(mode & 4), (mode & 2) != 0, &zlib_streams);
    bool over = false;
    for (size_t at = 0; at < n;) {
        size_t k = n - at < step ? n - at : step;
        char *chunk = p + at;
        at += k;
        while (k > 0) {
            gqlx_ws_event ev;
            size_t used = gqlx_ws_parse(&parser, chunk, k, &ev);
            if (used > k || (used < k && ev.kind == GQLX_WS_EV_NONE))
                abort();
            if (over && ev.kind != GQLX_WS_EV_NONE)
                abort(); /* nothing after a close or a failure */
            check_event(&ev);
            if (ev.kind == GQLX_WS_EV_CLOSE || ev.kind == GQLX_WS_EV_FAIL)
                over = true;
            chunk += used;
            k -= used;
        }
    }
    gqlx_ws_parser_free(&parser);
}

/* ---- a connection ---------------------------------------------------------------------- */

static gql_server *server;
static gqlx_worker *worker;

static struct {
    bool pending, closed, head_seen;
    int closes; /* on_close calls */
    gqlx_ws *ws;
    gqlx_buf out; /* server bytes after the 101, not yet checked */
    gqlx_ws_parser check;
    bool check_over;
} io;

/* Every frame the server writes must parse as a client reads it. */
static void check_output(const char *p, size_t n)
{
    gqlx_buf_append(&io.out, p, n);
    if (io.out.failed)
        abort();
    size_t at = 0;
    while (at < io.out.len) {
        gqlx_ws_event ev;
        size_t used = gqlx_ws_parse(&io.check, io.out.data + at, io.out.len - at, &ev);
        at += used;
        if (ev.kind == GQLX_WS_EV_FAIL || (io.check_over && ev.kind != GQLX_WS_EV_NONE))
            abort();
        if (ev.kind == GQLX_WS_EV_CLOSE)
            io.check_over = true;
        if (ev.kind == GQLX_WS_EV_NONE)
            break;
    }
    gqlx_buf_clear(&io.out); /* the parser keeps what it needs */
}

static void fz_write(gqlx_conn *c, const gqlx_iov *iov, unsigned n, int kind)
{
    (void)c;
    if (io.pending || io.closed || kind != GQLX_WRITE_RESPONSE || n != 1)
        abort();
    const char *p = iov[0].base;
    size_t len = iov[0].len;
    if (!io.head_seen) {
        if (len < 12 || memcmp(p, "HTTP/1.1 101", 12) != 0)
            abort();
        const char *end = memmem(p, len, "\r\n\r\n", 4);
        if (end == NULL)
            abort();
        io.head_seen = true;
        len -= (size_t)(end + 4 - p);
        p = end + 4;
    }
    check_output(p, len);
    io.pending = true;
}

static void fz_reading(gqlx_conn *c, bool on)
{
    (void)c;
    (void)on;
}

static void fz_timer(gqlx_conn *c, uint64_t ms)
{
    (void)c;
    (void)ms;
}

static void fz_close(gqlx_conn *c, bool linger)
{
    (void)c;
    (void)linger;
    if (io.closed)
        abort();
    io.closed = true;
}

static const gqlx_conn_io fuzz_io = {fz_write, fz_reading, fz_timer, fz_close};

/* The application: echoes, and a few commands by first letter. */
static void on_message(gqlx_ws *ws, const char *p, size_t n, bool is_text, void *data)
{
    (void)data;
    if (io.closes != 0)
        abort();
    if (n > 0 && is_text && p[0] == 'c') {
        gqlx_ws_close(ws, 1000 + (int)(n % 16), "closing \xc3\xa9");
    } else if (n > 0 && p[0] == 'p') {
        gqlx_ws_ping(ws, p, n < GQLX_WS_MAX_CONTROL ? n : GQLX_WS_MAX_CONTROL);
    } else if (n > 0 && p[0] == 's') {
        static char big[MAX_OUTBOUND];
        memset(big, 's', sizeof big);
        gqlx_ws_send_text(ws, big, sizeof big); /* over the limit: 1008 */
    } else if (is_text) {
        gqlx_ws_send_text(ws, p, n);
    } else {
        gqlx_ws_send_binary(ws, p, n);
    }
}

static void on_close(gqlx_ws *ws, int code, void *data)
{
    (void)data;
    if (ws != io.ws || code < 1000 || code > 4999)
        abort();
    io.closes++;
}

static void upgrade(gql_http_request *req, void *data)
{
    (void)data;
    int st = gqlx_ws_check_upgrade(req);
    if (st != 0) {
        gqlx_ws_refuse(req, st > 0 ? st : 400);
        return;
    }
    gqlx_ws_opts o;
    gqlx_ws_opts_init(&o);
    o.max_message_size = MAX_MESSAGE;
    o.max_outbound_bytes = MAX_OUTBOUND;
    gqlx_ws_handler h = {.on_message = on_message, .on_close = on_close};
    if (gqlx_ws_accept(req, NULL, &o, &h, &io.ws) != GQL_OK)
        io.ws = NULL;
}

static void quiet(const char *line, void *data)
{
    (void)line;
    (void)data;
}

static void init(void)
{
    if (server != NULL)
        return;
    gql_server_opts o;
    gql_server_opts_init(&o);
    o.log = quiet;
    if (gql_server_new(&o, &server) != GQL_OK)
        abort();
    gql_server_route(server, "GET", "/ws", upgrade, NULL);
    if (gqlx_server_attach_offline(server, &worker) != GQL_OK)
        abort();
}

static void flush(gqlx_conn *c, int status)
{
    while (io.pending) {
        io.pending = false;
        gqlx_conn_write_done(c, GQLX_WRITE_RESPONSE, status);
    }
}

static const char REQUEST[] = "GET /ws HTTP/1.1\r\n"
                              "Host: fuzz\r\n"
                              "Upgrade: websocket\r\n"
                              "Connection: Upgrade\r\n"
                              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                              "Sec-WebSocket-Version: 13\r\n";

static void run_connection(unsigned mode, const char *p, size_t n, size_t step)
{
    init();
    memset(&io, 0, sizeof io);
    gqlx_buf_init(&io.out, 0);
    gqlx_ws_parser_init(&io.check, 1u << 20, false, true, &zlib_streams);

    gqlx_conn c;
    gqlx_conn_init(&c, worker, &fuzz_io, "192.0.2.1");
    gqlx_conn_start(&c);
    gqlx_conn_feed(&c, REQUEST, sizeof REQUEST - 1);
    if (mode & 2) {
        static const char ext[] = "Sec-WebSocket-Extensions: permessage-deflate\r\n";
        gqlx_conn_feed(&c, ext, sizeof ext - 1);
    }
    gqlx_conn_feed(&c, "\r\n", 2);
    if (io.ws == NULL)
        abort(); /* the handshake is valid */
    /* The first piece arrives before the 101 is written. */
    for (size_t at = 0; at < n && !io.closed;) {
        size_t k = n - at < step ? n - at : step;
        gqlx_conn_feed(&c, p + at, k);
        at += k;
        flush(&c, 0);
    }
    if (!io.closed) {
        switch ((mode >> 3) & 3u) {
        case 0:
            gqlx_conn_eof(&c);
            break;
        case 1:
            gqlx_conn_timeout(&c);
            break;
        case 2:
            gqlx_conn_shutdown(&c);
            break;
        default:
            break;
        }
        flush(&c, 0);
    }
    if (!io.closed)
        gqlx_conn_abort(&c);
    flush(&c, -125); /* writes outstanding at close are cancelled */
    gqlx_conn_fini(&c);
    if (io.closes != 1 || worker->live_count != 0)
        abort();
    gqlx_ws_parser_free(&io.check);
    gqlx_buf_free(&io.out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    unsigned mode = data[0];
    size--;
    size_t step = 1 + (size_t)(mode >> 3) * 7;
    char *copy = malloc(size + 1); /* the parser unmasks in place */
    if (copy == NULL)
        return 0;
    memcpy(copy, data + 1, size);
    if (mode & 1)
        run_connection(mode, copy, size, step);
    else
        run_parser(mode, copy, size, step);
    free(copy);
    return 0;
}
