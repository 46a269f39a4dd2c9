/* tests/fuzz/fuzz_http.c — libFuzzer target for the HTTP connection engine
 * (conn.c with router.c, request.c and the built-in pages), driven in
 * memory without sockets.
 *
 * The first input byte chooses how the rest arrives: the size of the
 * pieces it is fed in, whether a deferred handler answers between pieces,
 * and whether the connection then ends by timeout, end of input or abort.
 * Invariants: every response starts with a status line and a complete
 * header section, at most one response is written at a time, the engine
 * closes at most once, and everything is freed (ASan's leak check). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "gql/server.h"
#include "gql/status.h"
#include "server/conn.h"
#include "server/http.h"
#include "server/server_internal.h"
#include "server/worker.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static gql_server *server;
static gqlx_worker *worker;
static gql_http_request *later; /* a request whose handler answers later */

static struct {
    bool pending[2];
    bool closed;
} io;

static void fz_write(gqlx_conn *c, const gqlx_iov *iov, unsigned n, int kind)
{
    (void)c;
    if (io.pending[kind] || io.closed || n == 0 || n > 2)
        abort();
    if (kind == GQLX_WRITE_RESPONSE) {
        const char *h = iov[0].base;
        size_t len = iov[0].len;
        if (len < 16 || memcmp(h, "HTTP/1.1 ", 9) != 0 || memcmp(h + len - 4, "\r\n\r\n", 4) != 0)
            abort();
    }
    /* Read every byte, so ASan checks the buffers are alive. */
    volatile unsigned char sum = 0;
    for (unsigned i = 0; i < n; i++)
        for (size_t k = 0; k < iov[i].len; k++)
            sum = (unsigned char)(sum + (unsigned char)iov[i].base[k]);
    (void)sum;
    io.pending[kind] = true;
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

/* ---- the application ------------------------------------------------------------ */

static void hello(gql_http_request *req, void *data)
{
    (void)data;
    gql_http_add_header(req, "X-Hello", "yes");
    gql_http_respond(req, 200, "text/plain", "hello", 5);
}

static void echo(gql_http_request *req, void *data)
{
    (void)data;
    size_t len;
    const char *body = gql_http_body(req, &len);
    gqlx_buf b;
    gqlx_buf_init(&b, 0);
    const char *x = gql_http_path_param(req, "x");
    const char *q = gql_http_query_param(req, "q");
    const char *h = gql_http_header(req, "X-Echo");
    const void *user = gql_http_user(req);
    gqlx_buf_printf(&b, "%s|%s|%s|%s|%s|%s|", x ? x : "-", q ? q : "-", h ? h : "-",
                    user ? (const char *)user : "-", gql_http_remote_addr(req),
                    gql_http_query(req));
    gqlx_buf_append(&b, body, len);
    if (gql_http_add_header(req, "X-Bad", "a\r\nb") != GQL_EINVAL)
        abort();
    gql_http_respond(req, 200, "application/octet-stream", b.data ? b.data : "", b.len);
    gqlx_buf_free(&b);
    if (gql_http_respond(req, 200, NULL, NULL, 0) != GQL_EINVAL)
        abort();
}

static void defer(gql_http_request *req, void *data)
{
    (void)data;
    if (later != NULL) {
        gql_http_respond(req, 409, "text/plain", "busy", 4);
        return;
    }
    later = req;
}

static void answer_later(void)
{
    if (later == NULL)
        return;
    gql_http_request *req = later;
    later = NULL;
    static const char big[] = "a deferred answer long enough to be worth compressing, "
                              "a deferred answer long enough to be worth compressing";
    gqlx_http_respond_owned(req, 200, "text/plain", big, sizeof big - 1, GQLX_RESP_NO_STORE, NULL,
                            NULL);
}

static void files(gql_http_request *req, void *data)
{
    (void)data;
    const char *rest = gql_http_path_param(req, "*");
    gqlx_http_respond_owned(req, 200, "text/plain", rest, strlen(rest), GQLX_RESP_NO_COMPRESS, NULL,
                            NULL);
}

/* A route that streams its body: counts bytes, refuses a '!'. */
static int sink_write(void *state, const char *p, size_t n)
{
    size_t *count = state;
    *count += n;
    return memchr(p, '!', n) != NULL ? 400 : 0;
}

static int sink_finish(void *state)
{
    size_t *count = state;
    return *count == 13 ? 422 : 0;
}

static const char *sink_message(void *state)
{
    const size_t *count = state;
    return *count % 2 ? "the sink refuses this body" : NULL;
}

/* Runs exactly once per request that set it: the count is poisoned so a
 * second call (or a use after it) is caught. */
static void on_free(void *arg)
{
    size_t *count = arg;
    if (*count == (size_t)-1)
        abort();
    *count = (size_t)-1;
}

static void sink_begin(gql_http_request *req, void *data)
{
    (void)data;
    size_t *count = gql_http_alloc(req, sizeof *count);
    if (count == NULL)
        return;
    *count = 0;
    req->sink = (gqlx_body_sink){
        .write = sink_write, .finish = sink_finish, .state = count, .message = sink_message};
    req->on_free = on_free;
    req->on_free_arg = count;
}

static void sink_handle(gql_http_request *req, void *data)
{
    (void)data;
    size_t *count = req->sink.state;
    char text[32];
    int n = snprintf(text, sizeof text, "%zu", count ? *count : 0);
    gql_http_respond(req, 200, "text/plain", text, (size_t)n);
}

static int deny(gql_http_request *req, void *data)
{
    (void)data;
    if (gql_http_header(req, "X-Deny") == NULL)
        return 0;
    if (gql_http_header(req, "X-Deny")[0] == '0')
        return 1; /* "answered" without answering: the server says 500 */
    gql_http_respond(req, 401, "text/plain", "no", 2);
    return 1;
}

static void *user(gql_http_request *req, void *data)
{
    (void)data;
    const char *u = gql_http_header(req, "X-User");
    if (u == NULL)
        return NULL;
    size_t n = strlen(u);
    char *copy = gql_http_alloc(req, n + 1);
    if (copy != NULL)
        memcpy(copy, u, n + 1);
    return copy;
}

static void after(gql_http_request *req, int status, size_t bytes, unsigned long long micros,
                  void *data)
{
    (void)micros;
    (void)data;
    if (status < 100 || status > 599 || gql_http_method(req) == NULL)
        abort();
    (void)bytes;
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
    o.path_prefix = "/api";
    o.max_header_size = 2048;
    o.max_body_size = 4096;
    o.compress_min_size = 64;
    o.cors_origins = "https://a.example, *";
    o.log = quiet;
    if (gql_server_new(&o, &server) != GQL_OK)
        abort();
    gql_server_route(server, "GET", "/hello", hello, NULL);
    gql_server_route(server, "POST", "/echo/{x}", echo, NULL);
    gql_server_route(server, "PUT", "/echo/{x}", echo, NULL);
    gql_server_route(server, "GET", "/later", defer, NULL);
    gql_server_route(server, "*", "/files/*", files, NULL);
    gql_server_before(server, deny, NULL);
    gql_server_after(server, after, NULL);
    gql_server_user(server, user, NULL);
    gqlx_route_handler sink = {.begin = sink_begin, .handle = sink_handle, .data = NULL};
    if (gqlx_router_add(&server->router, "POST", "/sink", sink, NULL) != GQL_OK)
        abort();
    if (gqlx_server_attach_offline(server, &worker) != GQL_OK)
        abort();
}

static void flush(gqlx_conn *c, int status)
{
    while (io.pending[0] || io.pending[1]) {
        for (int kind = 1; kind >= 0; kind--) {
            if (io.pending[kind]) {
                io.pending[kind] = false;
                gqlx_conn_write_done(c, kind, status);
            }
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    init();
    if (size == 0)
        return 0;
    unsigned mode = data[0];
    const char *p = (const char *)data + 1;
    size--;
    memset(&io, 0, sizeof io);

    gqlx_conn c;
    gqlx_conn_init(&c, worker, &fuzz_io, "192.0.2.1");
    gqlx_conn_start(&c);
    size_t step = 1 + (size_t)(mode & 0x1f) * 11;
    for (size_t pos = 0; pos < size && !io.closed;) {
        size_t n = size - pos < step ? size - pos : step;
        gqlx_conn_feed(&c, p + pos, n);
        pos += n;
        if (mode & 0x20)
            answer_later();
        flush(&c, 0);
    }
    if (!io.closed) {
        if (mode & 0x40)
            gqlx_conn_timeout(&c);
        else if (mode & 0x80)
            gqlx_conn_eof(&c);
        flush(&c, 0);
    }
    if (!io.closed)
        gqlx_conn_abort(&c);
    flush(&c, -125); /* writes outstanding at close are cancelled */
    gqlx_conn_fini(&c);
    answer_later(); /* an orphan now: its answer goes nowhere */
    if (worker->live_count != 0)
        abort();
    return 0;
}
