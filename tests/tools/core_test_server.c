/* tests/tools/core_test_server.c — an HTTP server on the library's public
 * API for tests/integration/server.test.mjs: REST routes, a slow route for
 * graceful stops, a large body for compression, hooks and a user builder.
 *
 * Usage: core_test_server [--listen HOST:PORT] [--prefix P] [--workers N]
 *   [--max-body N] [--max-header N] [--max-connections N]
 *   [--header-timeout-ms N] [--request-timeout-ms N] [--idle-timeout-ms N]
 *   [--shutdown-timeout-ms N] [--cors ORIGINS] [--static DIR]
 *   [--compress-min N] [--no-access-log] [--host-loop]
 *
 * --host-loop runs the server on this program's own libuv loop
 * (gql_server_opts.loop) instead of the server's threads.
 *
 * Routes (under the prefix):
 *   GET  /hello                          text "hello"
 *   POST /report_asset_materialization/{asset_key}
 *                                        {"asset_key":KEY,"body_length":N}
 *   POST /echo                           the body back (text/plain)
 *   GET  /slow?ms=N                      {"slow":N} after N ms (a uv timer)
 *   GET  /big                            a 100 KB JSON document
 *   GET  /count                          {"requests":N} (the after hook's count)
 *   GET  /user                           {"user":X-User header or null}
 *   GET  /files/REST                     {"rest":REST, the raw rest of the path}
 * A request with the header X-Test-Deny is answered 401 by a before hook.
 * SIGTERM and SIGINT stop the server gracefully; the exit status is 0. */
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/json.h"
#include "gql/server.h"
#include "test_server.h"
#include "gql/status.h"
#include "server/http.h"
#include "server/worker.h"

static gql_server *server;
static atomic_ulong answered;
static char *big_body;
static size_t big_len;

static void respond_json_buf(gql_http_request *req, int status, gqlx_buf *b)
{
    gql_http_respond(req, status, "application/json", b->data ? b->data : "", b->len);
    gqlx_buf_free(b);
}

static void hello(gql_http_request *req, void *data)
{
    (void)data;
    gql_http_respond(req, 200, "text/plain; charset=utf-8", "hello", 5);
}

static void report(gql_http_request *req, void *data)
{
    (void)data;
    size_t len;
    gql_http_body(req, &len);
    const char *key = gql_http_path_param(req, "asset_key");
    gqlx_buf b;
    gqlx_buf_init(&b, 0);
    gqlx_buf_append_cstr(&b, "{\"asset_key\":");
    gqlx_json_write_string(&b, key, strlen(key));
    gqlx_buf_printf(&b, ",\"body_length\":%zu}", len);
    respond_json_buf(req, 200, &b);
}

static void echo(gql_http_request *req, void *data)
{
    (void)data;
    size_t len;
    const char *body = gql_http_body(req, &len);
    gql_http_respond(req, 200, "text/plain; charset=utf-8", body, len);
}

typedef struct slow_wait {
    uv_timer_t timer;
    gql_http_request *req;
    unsigned ms;
} slow_wait;

static void slow_closed(uv_handle_t *h)
{
    free(h->data);
}

static void slow_fire(uv_timer_t *t)
{
    slow_wait *s = t->data;
    char body[64];
    int n = snprintf(body, sizeof body, "{\"slow\":%u}", s->ms);
    gql_http_respond(s->req, 200, "application/json", body, (size_t)n);
    uv_close((uv_handle_t *)t, slow_closed);
}

static void slow(gql_http_request *req, void *data)
{
    (void)data;
    const char *ms = gql_http_query_param(req, "ms");
    slow_wait *s = malloc(sizeof *s);
    if (s == NULL) {
        gql_http_respond(req, 500, NULL, NULL, 0);
        return;
    }
    s->req = req;
    s->ms = ms != NULL ? (unsigned)strtoul(ms, NULL, 10) : 100;
    uv_timer_init(req->worker->loop, &s->timer);
    s->timer.data = s;
    uv_timer_start(&s->timer, slow_fire, s->ms, 0);
}

static void big(gql_http_request *req, void *data)
{
    (void)data;
    gql_http_respond(req, 200, "application/json", big_body, big_len);
}

static void count(gql_http_request *req, void *data)
{
    (void)data;
    char body[64];
    int n = snprintf(body, sizeof body, "{\"requests\":%lu}", atomic_load(&answered));
    gql_http_respond(req, 200, "application/json", body, (size_t)n);
}

static void user(gql_http_request *req, void *data)
{
    (void)data;
    const char *u = gql_http_user(req);
    gqlx_buf b;
    gqlx_buf_init(&b, 0);
    gqlx_buf_append_cstr(&b, "{\"user\":");
    if (u != NULL)
        gqlx_json_write_string(&b, u, strlen(u));
    else
        gqlx_buf_append_cstr(&b, "null");
    gqlx_buf_append_cstr(&b, "}");
    respond_json_buf(req, 200, &b);
}

static void files(gql_http_request *req, void *data)
{
    (void)data;
    const char *rest = gql_http_path_param(req, "*");
    gqlx_buf b;
    gqlx_buf_init(&b, 0);
    gqlx_buf_append_cstr(&b, "{\"rest\":");
    gqlx_json_write_string(&b, rest, strlen(rest));
    gqlx_buf_append_cstr(&b, "}");
    respond_json_buf(req, 200, &b);
}

static int deny(gql_http_request *req, void *data)
{
    (void)data;
    if (gql_http_header(req, "X-Test-Deny") == NULL)
        return 0;
    static const char body[] = "{\"errors\":[{\"message\":\"Unauthorized\"}]}";
    gql_http_add_header(req, "WWW-Authenticate", "Bearer");
    gql_http_respond(req, 401, "application/json", body, sizeof body - 1);
    return 1;
}

static void after(gql_http_request *req, int status, size_t bytes, unsigned long long micros,
                  void *data)
{
    (void)req;
    (void)status;
    (void)bytes;
    (void)micros;
    (void)data;
    atomic_fetch_add(&answered, 1);
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

static void make_big(void)
{
    gqlx_buf b;
    gqlx_buf_init(&b, 0);
    gqlx_buf_append_cstr(&b, "{\"items\":[");
    for (int i = 0; b.len < 100 * 1024; i++)
        gqlx_buf_printf(&b, "%s{\"id\":%d,\"name\":\"item number %d\"}", i ? "," : "", i, i);
    gqlx_buf_append_cstr(&b, "]}");
    big_body = gqlx_buf_detach(&b, &big_len);
}

static int usage(const char *arg)
{
    fprintf(stderr, "core_test_server: bad or incomplete option %s\n", arg);
    return 2;
}

int main(int argc, char **argv)
{
    gql_server_opts o;
    gql_server_opts_init(&o);
    o.listen = "127.0.0.1:0";
    o.workers = 2;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--no-access-log") == 0) {
            o.access_log = 0;
            continue;
        }
        if (strcmp(a, "--host-loop") == 0) {
            o.loop = uv_default_loop();
            continue;
        }
        if (v == NULL)
            return usage(a);
        i++;
        unsigned long n = strtoul(v, NULL, 10);
        if (strcmp(a, "--listen") == 0)
            o.listen = v;
        else if (strcmp(a, "--prefix") == 0)
            o.path_prefix = v;
        else if (strcmp(a, "--workers") == 0)
            o.workers = (unsigned)n;
        else if (strcmp(a, "--max-body") == 0)
            o.max_body_size = n;
        else if (strcmp(a, "--max-header") == 0)
            o.max_header_size = n;
        else if (strcmp(a, "--max-connections") == 0)
            o.max_connections = (unsigned)n;
        else if (strcmp(a, "--header-timeout-ms") == 0)
            o.header_timeout_ms = (unsigned)n;
        else if (strcmp(a, "--request-timeout-ms") == 0)
            o.request_timeout_ms = (unsigned)n;
        else if (strcmp(a, "--idle-timeout-ms") == 0)
            o.idle_timeout_ms = (unsigned)n;
        else if (strcmp(a, "--shutdown-timeout-ms") == 0)
            o.shutdown_timeout_ms = (unsigned)n;
        else if (strcmp(a, "--cors") == 0)
            o.cors_origins = v;
        else if (strcmp(a, "--static") == 0)
            o.static_dir = v;
        else if (strcmp(a, "--compress-min") == 0)
            o.compress_min_size = n;
        else
            return usage(a);
    }

    make_big();
    int rc = gql_server_new(&o, &server);
    if (rc != GQL_OK) {
        fprintf(stderr, "core_test_server: %s\n", gql_strerror(rc));
        return 1;
    }
    gql_server_route(server, "GET", "/hello", hello, NULL);
    gql_server_route(server, "POST", "/report_asset_materialization/{asset_key}", report, NULL);
    gql_server_route(server, "POST", "/echo", echo, NULL);
    gql_server_route(server, "GET", "/slow", slow, NULL);
    gql_server_route(server, "GET", "/big", big, NULL);
    gql_server_route(server, "GET", "/count", count, NULL);
    gql_server_route(server, "GET", "/user", user, NULL);
    gql_server_route(server, "GET", "/files/*", files, NULL);
    gql_server_before(server, deny, NULL);
    gql_server_after(server, after, NULL);
    gql_server_user(server, build_user, NULL);

    if (test_server_serve(server, "core_test_server", o.loop) != 0) {
        gql_server_free(server);
        gqlx_free(big_body);
        return 1;
    }
    gql_server_free(server);
    if (o.loop != NULL && uv_loop_close(o.loop) != 0) {
        fprintf(stderr, "core_test_server: handles left open on the loop\n");
        return 1;
    }
    gqlx_free(big_body);
    return 0;
}
