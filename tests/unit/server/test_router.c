/* tests/unit/server/test_router.c — route matching (router.c): exact paths
 * before patterns, parameters, "*", 404 and 405 with Allow; and, through
 * a connection driven in memory, the server's path prefix. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/buf.h"
#include "gql/status.h"
#include "server/conn.h"
#include "server/router.h"
#include "server/server_internal.h"
#include "server/worker.h"

static void handle_a(gql_http_request *req, void *data)
{
    (void)req;
    (void)data;
}

static void handle_b(gql_http_request *req, void *data)
{
    (void)req;
    (void)data;
}

static gqlx_route_handler H(void (*fn)(gql_http_request *, void *), const char *tag)
{
    /* The tag tells routes with the same function apart in assertions. */
    return (gqlx_route_handler){.begin = NULL, .handle = fn, .data = (void *)(uintptr_t)tag};
}

static const char *tag_of(const gqlx_route_match *m)
{
    return (const char *)m->route->handler.data;
}

typedef struct fixture {
    gqlx_router r;
    gqlx_arena a;
} fixture;

static int setup(void **state)
{
    static fixture f;
    gqlx_router_init(&f.r);
    gqlx_arena_init(&f.a, 0, 0);
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    gqlx_router_free(&f->r);
    gqlx_arena_free(&f->a);
    return 0;
}

static void test_exact_beats_pattern(void **state)
{
    fixture *f = *state;
    gqlx_route_match m;
    /* The pattern comes first, yet the exact path wins for its path. */
    assert_int_equal(gqlx_router_add(&f->r, "GET", "/users/{id}", H(handle_a, "pattern"), NULL),
                     GQL_OK);
    assert_int_equal(gqlx_router_add(&f->r, "GET", "/users/me", H(handle_b, "exact"), NULL),
                     GQL_OK);
    assert_int_equal(gqlx_router_match(&f->r, "GET", "/users/me", &f->a, &m), 200);
    assert_string_equal(tag_of(&m), "exact");
    assert_int_equal(m.param_count, 0);
    assert_int_equal(gqlx_router_match(&f->r, "GET", "/users/42", &f->a, &m), 200);
    assert_string_equal(tag_of(&m), "pattern");
    assert_int_equal(m.param_count, 1);
    assert_string_equal(m.params[0].name.ptr, "id");
    assert_string_equal(m.params[0].value.ptr, "42");
    /* A parameter is one whole, non-empty segment. */
    assert_int_equal(gqlx_router_match(&f->r, "GET", "/users/", &f->a, &m), 404);
    assert_int_equal(gqlx_router_match(&f->r, "GET", "/users/1/2", &f->a, &m), 404);
    assert_int_equal(gqlx_router_match(&f->r, "GET", "/users", &f->a, &m), 404);
}

static void test_patterns_in_order(void **state)
{
    fixture *f = *state;
    gqlx_route_match m;
    assert_int_equal(gqlx_router_add(&f->r, "GET", "/a/{x}", H(handle_a, "first"), NULL), GQL_OK);
    assert_int_equal(gqlx_router_add(&f->r, "GET", "/a/{y}", H(handle_a, "second"), NULL), GQL_OK);
    assert_int_equal(gqlx_router_match(&f->r, "GET", "/a/1", &f->a, &m), 200);
    assert_string_equal(tag_of(&m), "first");
    assert_string_equal(m.params[0].name.ptr, "x");
}

static void test_params_decoded(void **state)
{
    fixture *f = *state;
    gqlx_route_match m;
    assert_int_equal(gqlx_router_add(&f->r, "POST", "/report_asset_materialization/{asset_key}",
                                     H(handle_a, "report"), NULL),
                     GQL_OK);
    assert_int_equal(
        gqlx_router_add(&f->r, "GET", "/repos/{owner}/{name}/issues", H(handle_a, "two"), NULL),
        GQL_OK);
    assert_int_equal(
        gqlx_router_match(&f->r, "POST", "/report_asset_materialization/a%2Fb%20c+d", &f->a, &m),
        200);
    assert_int_equal(m.param_count, 1);
    assert_string_equal(m.params[0].name.ptr, "asset_key");
    assert_string_equal(m.params[0].value.ptr, "a/b c+d"); /* '+' is not a space in paths */
    assert_int_equal(m.params[0].value.len, 7);

    assert_int_equal(gqlx_router_match(&f->r, "GET", "/repos/me/gq%6Cd/issues", &f->a, &m), 200);
    assert_int_equal(m.param_count, 2);
    assert_string_equal(m.params[0].name.ptr, "owner");
    assert_string_equal(m.params[0].value.ptr, "me");
    assert_string_equal(m.params[1].name.ptr, "name");
    assert_string_equal(m.params[1].value.ptr, "gqld");

    /* A NUL byte decodes into the value; its length says so. */
    assert_int_equal(
        gqlx_router_match(&f->r, "POST", "/report_asset_materialization/x%00y", &f->a, &m), 200);
    assert_int_equal(m.params[0].value.len, 3);

    assert_int_equal(
        gqlx_router_match(&f->r, "POST", "/report_asset_materialization/bad%zz", &f->a, &m), 400);
}

static void test_star(void **state)
{
    fixture *f = *state;
    gqlx_route_match m;
    assert_int_equal(gqlx_router_add(&f->r, "GET", "/static/*", H(handle_a, "static"), NULL),
                     GQL_OK);
    assert_int_equal(gqlx_router_add(&f->r, "*", "/{tenant}/files/*", H(handle_b, "files"), NULL),
                     GQL_OK);
    assert_int_equal(gqlx_router_match(&f->r, "GET", "/static/css/a%20b.css", &f->a, &m), 200);
    assert_string_equal(tag_of(&m), "static");
    assert_int_equal(m.param_count, 1);
    assert_string_equal(m.params[0].name.ptr, "*");
    assert_string_equal(m.params[0].value.ptr, "css/a%20b.css"); /* raw */
    assert_int_equal(gqlx_router_match(&f->r, "GET", "/static/", &f->a, &m), 200);
    assert_string_equal(m.params[0].value.ptr, "");
    assert_int_equal(gqlx_router_match(&f->r, "GET", "/static", &f->a, &m), 404);

    assert_int_equal(gqlx_router_match(&f->r, "DELETE", "/acme/files/x/y", &f->a, &m), 200);
    assert_string_equal(tag_of(&m), "files");
    assert_int_equal(m.param_count, 2);
    assert_string_equal(m.params[0].value.ptr, "acme");
    assert_string_equal(m.params[1].value.ptr, "x/y");
}

static void test_methods_405(void **state)
{
    fixture *f = *state;
    gqlx_route_match m;
    assert_int_equal(gqlx_router_add(&f->r, "GET", "/items", H(handle_a, "get"), NULL), GQL_OK);
    assert_int_equal(gqlx_router_add(&f->r, "POST", "/items", H(handle_a, "post"), NULL), GQL_OK);
    assert_int_equal(gqlx_router_add(&f->r, "PUT", "/items/{id}", H(handle_a, "put"), NULL),
                     GQL_OK);
    assert_int_equal(gqlx_router_add(&f->r, "*", "/any", H(handle_a, "any"), NULL), GQL_OK);

    assert_int_equal(gqlx_router_match(&f->r, "POST", "/items", &f->a, &m), 200);
    assert_string_equal(tag_of(&m), "post");
    assert_int_equal(gqlx_router_match(&f->r, "HEAD", "/items", &f->a, &m), 200);
    assert_string_equal(tag_of(&m), "get"); /* GET answers HEAD */

    assert_int_equal(gqlx_router_match(&f->r, "DELETE", "/items", &f->a, &m), 405);
    assert_null(m.route);
    assert_string_equal(m.allow, "GET, POST, HEAD");
    assert_int_equal(gqlx_router_match(&f->r, "GET", "/items/7", &f->a, &m), 405);
    assert_string_equal(m.allow, "PUT");

    assert_int_equal(gqlx_router_match(&f->r, "PATCH", "/any", &f->a, &m), 200);
    assert_int_equal(gqlx_router_match(&f->r, "GET", "/none", &f->a, &m), 404);
    assert_int_equal(gqlx_router_match(&f->r, "GET", "", &f->a, &m), 404);
    assert_int_equal(gqlx_router_match(&f->r, "OPTIONS", "*", &f->a, &m), 404);
    /* Methods are case-sensitive. */
    assert_int_equal(gqlx_router_match(&f->r, "get", "/items", &f->a, &m), 405);
}

static void test_root_and_literal_segments(void **state)
{
    fixture *f = *state;
    gqlx_route_match m;
    assert_int_equal(gqlx_router_add(&f->r, "GET", "/", H(handle_a, "root"), NULL), GQL_OK);
    assert_int_equal(gqlx_router_add(&f->r, "GET", "/a/", H(handle_a, "slash"), NULL), GQL_OK);
    assert_int_equal(gqlx_router_match(&f->r, "GET", "/", &f->a, &m), 200);
    assert_string_equal(tag_of(&m), "root");
    assert_int_equal(gqlx_router_match(&f->r, "GET", "/a/", &f->a, &m), 200);
    assert_string_equal(tag_of(&m), "slash");
    assert_int_equal(gqlx_router_match(&f->r, "GET", "/a", &f->a, &m), 404);
    /* Literal segments compare raw: an encoded letter is another path. */
    assert_int_equal(gqlx_router_match(&f->r, "GET", "/%61/", &f->a, &m), 404);
}

static void test_invalid_routes(void **state)
{
    fixture *f = *state;
    gqlx_route_handler h = H(handle_a, "x");
    gqlx_route *rt = (gqlx_route *)(uintptr_t)1;
    assert_int_equal(gqlx_router_add(&f->r, "GET", "nope", h, &rt), GQL_EINVAL);
    assert_null(rt);
    assert_int_equal(gqlx_router_add(&f->r, "GET", "", h, NULL), GQL_EINVAL);
    assert_int_equal(gqlx_router_add(&f->r, "GET", "/a/*/b", h, NULL), GQL_EINVAL);
    assert_int_equal(gqlx_router_add(&f->r, "GET", "/a{b}", h, NULL), GQL_EINVAL);
    assert_int_equal(gqlx_router_add(&f->r, "GET", "/a/{}", h, NULL), GQL_EINVAL);
    assert_int_equal(gqlx_router_add(&f->r, "GET", "/a/{b{c}", h, NULL), GQL_EINVAL);
    assert_int_equal(gqlx_router_add(&f->r, "GET", "/a?b", h, NULL), GQL_EINVAL);
    assert_int_equal(gqlx_router_add(&f->r, "G ET", "/a", h, NULL), GQL_EINVAL);
    assert_int_equal(gqlx_router_add(&f->r, "", "/a", h, NULL), GQL_EINVAL);
    gqlx_route_handler none = {NULL, NULL, NULL};
    assert_int_equal(gqlx_router_add(&f->r, "GET", "/a", none, NULL), GQL_EINVAL);

    assert_int_equal(gqlx_router_add(&f->r, "GET", "/a", h, &rt), GQL_OK);
    assert_non_null(rt);
    assert_string_equal(rt->pattern, "/a");
    assert_int_equal(gqlx_router_add(&f->r, "GET", "/a", h, NULL), GQL_EINVAL); /* twice */
    assert_int_equal(gqlx_router_add(&f->r, "POST", "/a", h, NULL), GQL_OK);
    assert_true(gqlx_router_has_pattern(&f->r, "/a"));
    assert_false(gqlx_router_has_pattern(&f->r, "/b"));
    assert_int_equal(f->r.count, 2);
}

/* ---- the prefix, through a connection driven in memory ------------------------ */

typedef struct wire {
    gqlx_buf out;
    bool pending;
    bool closed;
} wire;

static wire W;

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

static void hello(gql_http_request *req, void *data)
{
    (void)data;
    gql_http_respond(req, 200, "text/plain", gql_http_path(req), strlen(gql_http_path(req)));
}

static void quiet(const char *line, void *data)
{
    (void)line;
    (void)data;
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

static void test_prefix_over_the_wire(void **state)
{
    (void)state;
    gql_server_opts o;
    gql_server_opts_init(&o);
    o.path_prefix = "/app/";
    o.log = quiet;
    gql_server *srv;
    assert_int_equal(gql_server_new(&o, &srv), GQL_OK);
    assert_int_equal(gql_server_route(srv, "GET", "/hello", hello, NULL), GQL_OK);
    assert_int_equal(gql_server_route(srv, "GET", "/", hello, NULL), GQL_OK);
    gqlx_worker *w;
    assert_int_equal(gqlx_server_attach_offline(srv, &w), GQL_OK);
    gqlx_buf_init(&W.out, 0);

    const char *r = exchange(w, "GET /app/hello?x=1 HTTP/1.1\r\nHost: a\r\n\r\n");
    assert_non_null(strstr(r, "HTTP/1.1 200 OK\r\n"));
    assert_non_null(strstr(r, "\r\n\r\n/hello")); /* the handler sees the path without it */
    r = exchange(w, "GET /app HTTP/1.1\r\nHost: a\r\n\r\n");
    assert_non_null(strstr(r, "HTTP/1.1 200 OK\r\n"));
    assert_non_null(strstr(r, "\r\n\r\n/"));
    r = exchange(w, "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
    assert_non_null(strstr(r, "HTTP/1.1 404 Not Found\r\n"));
    r = exchange(w, "GET /apphello HTTP/1.1\r\nHost: a\r\n\r\n");
    assert_non_null(strstr(r, "HTTP/1.1 404 Not Found\r\n"));
    r = exchange(w, "GET http://a/app/hello HTTP/1.1\r\nHost: a\r\n\r\n"); /* absolute form */
    assert_non_null(strstr(r, "HTTP/1.1 200 OK\r\n"));
    r = exchange(w, "GET HTTPS://a:8443/app/hello?x=1#f HTTP/1.1\r\nHost: a\r\n\r\n");
    assert_non_null(strstr(r, "\r\n\r\n/hello"));
    r = exchange(w, "GET http://a:80?x=1 HTTP/1.1\r\nHost: a\r\n\r\n"); /* no path: "/" */
    assert_non_null(strstr(r, "HTTP/1.1 404 Not Found\r\n"));
    r = exchange(w, "GET http:///app/hello HTTP/1.1\r\nHost: a\r\n\r\n"); /* no host */
    assert_non_null(strstr(r, "HTTP/1.1 400 Bad Request\r\n"));
    r = exchange(w, "DELETE /app/hello HTTP/1.1\r\nHost: a\r\n\r\n");
    assert_non_null(strstr(r, "HTTP/1.1 405 Method Not Allowed\r\n"));
    assert_non_null(strstr(r, "\r\nAllow: GET, HEAD\r\n"));
    r = exchange(w, "GET /app/health HTTP/1.1\r\nHost: a\r\n\r\n");
    assert_non_null(strstr(r, "\r\n\r\n{\"status\":\"ok\"}"));

    gqlx_buf_free(&W.out);
    gql_server_free(srv);
}

static void test_server_options_checked(void **state)
{
    (void)state;
    gql_server_opts o;
    gql_server *srv = (gql_server *)(uintptr_t)1;
    const char *bad_listen[] = {"nowhere",   "1.2.3.4", "::1:80", "[::1]80",
                                "[nope]:80", "h:99999", "h:",     "h:12a"};
    for (size_t i = 0; i < sizeof bad_listen / sizeof *bad_listen; i++) {
        gql_server_opts_init(&o);
        o.listen = bad_listen[i];
        assert_int_equal(gql_server_new(&o, &srv), GQL_EINVAL);
        assert_null(srv);
    }
    const char *good_listen[] = {"127.0.0.1:0", "[::1]:8080", ":80", "localhost:65535"};
    for (size_t i = 0; i < sizeof good_listen / sizeof *good_listen; i++) {
        gql_server_opts_init(&o);
        o.listen = good_listen[i];
        assert_int_equal(gql_server_new(&o, &srv), GQL_OK);
        assert_int_equal(gql_server_port(srv), 0); /* not started */
        gql_server_free(srv);
    }
    gql_server_opts_init(&o);
    o.path_prefix = "app";
    assert_int_equal(gql_server_new(&o, &srv), GQL_EINVAL);
    o.path_prefix = "/a?b";
    assert_int_equal(gql_server_new(&o, &srv), GQL_EINVAL);
    assert_int_equal(gql_server_new(NULL, &srv), GQL_OK);
    assert_int_equal(gql_server_route(srv, "GET", "no-slash", hello, NULL), GQL_EINVAL);
    assert_int_equal(gql_server_route(srv, "GET", "/x", NULL, NULL), GQL_EINVAL);
    gql_server_stop(srv); /* before start: harmless, and idempotent */
    gql_server_stop(srv);
    assert_int_equal(gql_server_wait(srv), GQL_OK);
    gql_server_free(srv);
    gql_server_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_exact_beats_pattern, setup, teardown),
        cmocka_unit_test_setup_teardown(test_patterns_in_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_params_decoded, setup, teardown),
        cmocka_unit_test_setup_teardown(test_star, setup, teardown),
        cmocka_unit_test_setup_teardown(test_methods_405, setup, teardown),
        cmocka_unit_test_setup_teardown(test_root_and_literal_segments, setup, teardown),
        cmocka_unit_test_setup_teardown(test_invalid_routes, setup, teardown),
        cmocka_unit_test(test_prefix_over_the_wire),
        cmocka_unit_test(test_server_options_checked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
