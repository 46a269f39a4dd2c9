/* tests/tools/ws_echo_server.c — a WebSocket echo server on the library's
 * WebSocket layer (ws.h), for tests/integration/ws_frames.test.mjs.
 *
 * Usage: ws_echo_server [--listen HOST:PORT] [--workers N]
 *   [--max-message N] [--max-outbound N] [--no-deflate]
 *   [--close-timeout-ms N] [--idle-timeout-ms N] [--shutdown-timeout-ms N]
 *
 * GET /ws upgrades (sub-protocol "echo" when the client offers it; a
 * request with X-User gets a user identity in the request's memory).
 * Each message is echoed back as it came (text or binary), except these
 * text commands:
 *   close:CODE:REASON   the server closes with CODE and REASON
 *   flood:SIZE          a text message of SIZE bytes every millisecond,
 *                       until sending fails (a client that stops reading
 *                       meets the outbound limit)
 *   ping:PAYLOAD        the server pings with PAYLOAD (the pong is
 *                       reported as the text message "pong:PAYLOAD")
 *   request             {"path","query","header","user"}: the upgrade
 *                       request as gqlx_ws_request still shows it
 *   stats               {"heap":bytes in use by malloc,"open":sockets}
 * Every closed WebSocket logs "ws closed CODE" to stderr. SIGTERM and
 * SIGINT stop the server gracefully (open WebSockets get 1001). */
#include <malloc.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "core/buf.h"
#include "core/json.h"
#include "gql/server.h"
#include "test_server.h"
#include "gql/status.h"
#include "server/http.h"
#include "server/worker.h"
#include "server/ws.h"

static gql_server *server;
static gqlx_ws_opts ws_opts;
static atomic_int open_sockets;

typedef struct echo {
    gqlx_ws *ws;
    uv_timer_t flood;
    size_t flood_size;
    char *flood_text;
    bool flooding;
} echo;

static void echo_freed(uv_handle_t *h)
{
    echo *e = h->data;
    free(e->flood_text);
    free(e);
}

static void flood_tick(uv_timer_t *t)
{
    echo *e = t->data;
    int rc = gqlx_ws_send_text(e->ws, e->flood_text, e->flood_size);
    if (rc != GQL_OK) {
        fprintf(stderr, "flood stopped: %s\n", gql_status_name(rc));
        uv_timer_stop(t);
        e->flooding = false;
    }
}

static void send_json(gqlx_ws *ws, gqlx_buf *b)
{
    if (!b->failed)
        gqlx_ws_send_text(ws, b->data, b->len);
    gqlx_buf_free(b);
}

static void json_field(gqlx_buf *b, const char *name, const char *value, bool first)
{
    gqlx_buf_printf(b, "%s\"%s\":", first ? "" : ",", name);
    if (value != NULL)
        gqlx_json_write_string(b, value, strlen(value));
    else
        gqlx_buf_append_cstr(b, "null");
}

static void on_message(gqlx_ws *ws, const char *p, size_t n, bool is_text, void *data)
{
    echo *e = data;
    char cmd[160];
    if (!is_text || n >= sizeof cmd) {
        if (is_text)
            gqlx_ws_send_text(ws, p, n);
        else
            gqlx_ws_send_binary(ws, p, n);
        return;
    }
    memcpy(cmd, p, n);
    cmd[n] = '\0';
    if (strncmp(cmd, "close:", 6) == 0) {
        char *end;
        long code = strtol(cmd + 6, &end, 10);
        gqlx_ws_close(ws, (int)code, *end == ':' ? end + 1 : NULL);
    } else if (strncmp(cmd, "flood:", 6) == 0 && !e->flooding) {
        e->flood_size = strtoul(cmd + 6, NULL, 10);
        free(e->flood_text);
        e->flood_text = malloc(e->flood_size + 1);
        if (e->flood_text == NULL)
            return;
        memset(e->flood_text, 'f', e->flood_size);
        e->flooding = true;
        uv_timer_start(&e->flood, flood_tick, 1, 1);
    } else if (strncmp(cmd, "ping:", 5) == 0) {
        gqlx_ws_ping(ws, cmd + 5, n - 5);
    } else if (strcmp(cmd, "request") == 0) {
        gql_http_request *req = gqlx_ws_request(ws);
        gqlx_buf b;
        gqlx_buf_init(&b, 0);
        gqlx_buf_append_cstr(&b, "{");
        json_field(&b, "path", gql_http_path(req), true);
        json_field(&b, "query", gql_http_query_param(req, "q"), false);
        json_field(&b, "header", gql_http_header(req, "X-Test"), false);
        json_field(&b, "user", gql_http_user(req), false);
        gqlx_buf_append_cstr(&b, "}");
        send_json(ws, &b);
    } else if (strcmp(cmd, "stats") == 0) {
        struct mallinfo2 mi = mallinfo2();
        gqlx_buf b;
        gqlx_buf_init(&b, 0);
        gqlx_buf_printf(&b, "{\"heap\":%zu,\"open\":%d}", mi.uordblks, atomic_load(&open_sockets));
        send_json(ws, &b);
    } else {
        gqlx_ws_send_text(ws, p, n);
    }
}

static void on_pong(gqlx_ws *ws, const char *p, size_t n, void *data)
{
    (void)data;
    char text[160] = "pong:";
    memcpy(text + 5, p, n);
    gqlx_ws_send_text(ws, text, 5 + n);
}

static void on_close(gqlx_ws *ws, int code, void *data)
{
    (void)ws;
    echo *e = data;
    fprintf(stderr, "ws closed %d\n", code);
    atomic_fetch_sub(&open_sockets, 1);
    uv_close((uv_handle_t *)&e->flood, echo_freed);
}

static void upgrade(gql_http_request *req, void *data)
{
    (void)data;
    int st = gqlx_ws_check_upgrade(req);
    if (st < 0) {
        gqlx_http_respond_error(req, 400, NULL, "This endpoint only speaks WebSocket.");
        return;
    }
    if (st > 0) {
        gqlx_ws_refuse(req, st);
        return;
    }
    echo *e = calloc(1, sizeof *e);
    if (e == NULL) {
        gql_http_respond(req, 500, NULL, NULL, 0);
        return;
    }
    uv_timer_init(req->worker->loop, &e->flood);
    e->flood.data = e;
    const char *offered = gql_http_header(req, "Sec-WebSocket-Protocol");
    const char *sub = offered != NULL && strstr(offered, "echo") != NULL ? "echo" : NULL;
    gql_http_add_header(req, "X-Echo-Server", "1");
    gqlx_ws_handler h = {on_message, on_pong, on_close, e};
    if (gqlx_ws_accept(req, sub, &ws_opts, &h, &e->ws) != GQL_OK) {
        uv_close((uv_handle_t *)&e->flood, echo_freed);
        return;
    }
    atomic_fetch_add(&open_sockets, 1);
}

static void *build_user(gql_http_request *req, void *data)
{
    (void)data;
    const char *name = gql_http_header(req, "X-User");
    if (name == NULL)
        return NULL;
    size_t n = strlen(name);
    char *copy = gql_http_alloc(req, n + 1);
    if (copy != NULL)
        memcpy(copy, name, n + 1);
    return copy;
}

static int usage(const char *arg)
{
    fprintf(stderr, "ws_echo_server: bad or incomplete option %s\n", arg);
    return 2;
}

int main(int argc, char **argv)
{
    gql_server_opts o;
    gql_server_opts_init(&o);
    o.listen = "127.0.0.1:0";
    o.workers = 1;
    o.access_log = 0;
    gqlx_ws_opts_init(&ws_opts);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--no-deflate") == 0) {
            ws_opts.permessage_deflate = false;
            continue;
        }
        if (v == NULL)
            return usage(a);
        i++;
        unsigned long n = strtoul(v, NULL, 10);
        if (strcmp(a, "--listen") == 0)
            o.listen = v;
        else if (strcmp(a, "--workers") == 0)
            o.workers = (unsigned)n;
        else if (strcmp(a, "--max-message") == 0)
            ws_opts.max_message_size = n;
        else if (strcmp(a, "--max-outbound") == 0)
            ws_opts.max_outbound_bytes = n;
        else if (strcmp(a, "--close-timeout-ms") == 0)
            ws_opts.close_timeout_ms = (unsigned)n;
        else if (strcmp(a, "--idle-timeout-ms") == 0)
            o.idle_timeout_ms = (unsigned)n;
        else if (strcmp(a, "--shutdown-timeout-ms") == 0)
            o.shutdown_timeout_ms = (unsigned)n;
        else
            return usage(a);
    }

    int rc = gql_server_new(&o, &server);
    if (rc != GQL_OK) {
        fprintf(stderr, "ws_echo_server: %s\n", gql_strerror(rc));
        return 1;
    }
    gql_server_route(server, "GET", "/ws", upgrade, NULL);
    gql_server_user(server, build_user, NULL);

    rc = test_server_serve(server, "ws_echo_server", NULL);
    gql_server_free(server);
    return rc;
}
