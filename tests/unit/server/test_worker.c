/* tests/unit/server/test_worker.c — the worker's request objects and Date
 * header (worker.c), driven through an offline worker. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/buf.h"
#include "gql/server.h"
#include "gql/status.h"
#include "server/conn.h"
#include "server/server_internal.h"
#include "server/static_lookup.h"
#include "server/worker.h"

/* What the connection wrote, and whether a write waits for its callback. */
static struct {
    gqlx_buf out;
    bool pending;
    bool closed;
} W;

static void w_write(gqlx_conn *c, const gqlx_iov *iov, unsigned n, int kind)
{
    (void)c;
    for (unsigned i = 0; i < n; i++)
        gqlx_buf_append(&W.out, iov[i].base, iov[i].len);
    if (kind == GQLX_WRITE_RESPONSE)
        W.pending = true;
}

static void w_reading(gqlx_conn *c, bool on)
{
    (void)c;
    (void)on;
}

static void w_timer(gqlx_conn *c, uint64_t ms)
{
    (void)c;
    (void)ms;
}

static void w_close(gqlx_conn *c, bool linger)
{
    (void)c;
    (void)linger;
    W.closed = true;
}

static const gqlx_conn_io wire_io = {w_write, w_reading, w_timer, w_close};

static void quiet(const char *line, void *data)
{
    (void)line;
    (void)data;
}

/* Allocates the path parameter's count of KiB from the request's memory
 * in small pieces, as a GraphQL result does, so the arena's ordinary
 * chunks grow. */
static void use_memory(gql_http_request *req, void *data)
{
    (void)data;
    size_t kib = (size_t)strtoul(gql_http_path_param(req, "kib"), NULL, 10);
    for (size_t i = 0; i < kib * 4; i++)
        if (gql_http_alloc(req, 256) == NULL)
            break;
    gql_http_respond(req, 200, "text/plain", "ok", 2);
}

/* Sends one request on a fresh connection and returns the response. */
static const char *exchange(gqlx_worker *w, const char *request)
{
    gqlx_conn c;
    gqlx_buf_clear(&W.out);
    W.pending = W.closed = false;
    gqlx_conn_init(&c, w, &wire_io, "127.0.0.1");
    gqlx_conn_start(&c);
    gqlx_conn_feed(&c, request, strlen(request));
    while (W.pending) {
        W.pending = false;
        gqlx_conn_write_done(&c, GQLX_WRITE_RESPONSE, 0);
    }
    if (!W.closed)
        gqlx_conn_abort(&c);
    gqlx_conn_fini(&c);
    return W.out.data != NULL ? W.out.data : "";
}

static gql_server *offline_server(gqlx_worker **w)
{
    gql_server_opts o;
    gql_server_opts_init(&o);
    o.log = quiet;
    gql_server *srv;
    assert_int_equal(gql_server_new(&o, &srv), GQL_OK);
    assert_int_equal(gql_server_route(srv, "GET", "/use/{kib}", use_memory, NULL), GQL_OK);
    assert_int_equal(gqlx_server_attach_offline(srv, w), GQL_OK);
    return srv;
}

/* A finished request goes back to the pool keeping its arena's largest
 * chunk, unless that chunk is big: a burst of big requests must not stay
 * resident in the pool. */
static void test_pool_gives_back_big_arenas(void **state)
{
    (void)state;
    gqlx_worker *w;
    gql_server *srv = offline_server(&w);
    gqlx_buf_init(&W.out, 0);

    const char *r = exchange(w, "GET /use/8 HTTP/1.1\r\nHost: a\r\n\r\n");
    assert_non_null(strstr(r, "HTTP/1.1 200 OK\r\n"));
    assert_non_null(w->pool);
    size_t small = gqlx_arena_reserved(&w->pool->req.arena);
    assert_true(small > 0); /* kept for the next request */
    assert_true(small <= 256u * 1024u);

    r = exchange(w, "GET /use/4096 HTTP/1.1\r\nHost: a\r\n\r\n");
    assert_non_null(strstr(r, "HTTP/1.1 200 OK\r\n"));
    assert_non_null(w->pool);
    assert_true(gqlx_arena_reserved(&w->pool->req.arena) <= 256u * 1024u);

    /* The pooled object still serves. */
    r = exchange(w, "GET /use/8 HTTP/1.1\r\nHost: a\r\n\r\n");
    assert_non_null(strstr(r, "HTTP/1.1 200 OK\r\n"));

    gqlx_buf_free(&W.out);
    gql_server_free(srv);
}

/* The Date header is an IMF-fixdate that reads back as now. */
static void test_date_header(void **state)
{
    (void)state;
    gqlx_worker *w;
    gql_server *srv = offline_server(&w);
    gqlx_buf_init(&W.out, 0);

    int64_t before = (int64_t)time(NULL);
    const char *r = exchange(w, "GET /use/1 HTTP/1.1\r\nHost: a\r\n\r\n");
    int64_t after = (int64_t)time(NULL);
    const char *d = strstr(r, "\r\nDate: ");
    assert_non_null(d);
    d += 8;
    const char *end = strstr(d, "\r\n");
    assert_non_null(end);
    assert_int_equal(end - d, GQLX_HTTP_DATE_LEN - 1);
    char text[GQLX_HTTP_DATE_LEN];
    memcpy(text, d, GQLX_HTTP_DATE_LEN - 1);
    text[GQLX_HTTP_DATE_LEN - 1] = '\0';
    int64_t t;
    assert_true(gqlx_httpdate_parse(text, &t));
    assert_true(t >= before && t <= after);

    gqlx_buf_free(&W.out);
    gql_server_free(srv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pool_gives_back_big_arenas),
        cmocka_unit_test(test_date_header),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
