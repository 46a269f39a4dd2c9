/* tests/unit/server/test_cors.c — allowed origins, response headers and
 * preflight answers (cors.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/alloc.h"
#include "gql/status.h"
#include "server/cors.h"

/* A request with up to four headers, built by hand as the connection
 * layer would fill it. */
typedef struct fake_request {
    gql_http_request req;
    gqlx_http_field fields[4];
} fake_request;

static void make_request(fake_request *f, const char *method, const char *const *headers)
{
    memset(f, 0, sizeof *f);
    f->req.method = method;
    f->req.path = "/graphql";
    f->req.query = "";
    f->req.headers = f->fields;
    for (size_t i = 0; headers != NULL && headers[i] != NULL; i += 2) {
        f->fields[i / 2].name = gqlx_slice_cstr(headers[i]);
        f->fields[i / 2].value = gqlx_slice_cstr(headers[i + 1]);
        f->req.header_count++;
    }
}

static void init_cors(gqlx_cors *c, const char *origins, bool credentials, unsigned max_age)
{
    gql_server_opts opts;
    memset(&opts, 0, sizeof opts);
    opts.cors_origins = origins;
    opts.cors_credentials = credentials;
    opts.cors_max_age = max_age;
    assert_int_equal(gqlx_cors_init(c, &opts), GQL_OK);
}

/* The headers an actual GET from origin gets ("" when no Origin). */
static void actual_headers(const gqlx_cors *c, const char *origin, gqlx_buf *out)
{
    const char *h[] = {"Origin", origin, NULL};
    fake_request f;
    make_request(&f, "GET", origin != NULL ? h : NULL);
    gqlx_buf_clear(out);
    gqlx_cors_headers(c, &f.req, out);
}

static const char *text(const gqlx_buf *b)
{
    return b->data != NULL ? b->data : "";
}

static void test_off(void **state)
{
    (void)state;
    gqlx_cors c;
    init_cors(&c, NULL, false, 600);
    assert_null(c.origins);
    gqlx_buf out;
    gqlx_buf_init(&out, 0);
    actual_headers(&c, "https://a.example", &out);
    assert_string_equal(text(&out), "");
    const char *h[] = {"Origin", "https://a.example", "Access-Control-Request-Method", "POST",
                       NULL};
    fake_request f;
    make_request(&f, "OPTIONS", h);
    assert_false(gqlx_cors_preflight(&c, &f.req, &out));
    assert_string_equal(text(&out), "");
    gqlx_cors_free(&c);
    gqlx_buf_free(&out);
}

static void test_list(void **state)
{
    (void)state;
    gqlx_cors c;
    init_cors(&c, " https://a.example ,\thttps://b.example:8443,, http://localhost:3000 ", false,
              600);
    assert_false(c.any);
    gqlx_buf out;
    gqlx_buf_init(&out, 0);

    actual_headers(&c, "https://a.example", &out);
    assert_string_equal(text(&out),
                        "Access-Control-Allow-Origin: https://a.example\r\nVary: Origin\r\n");
    actual_headers(&c, "https://b.example:8443", &out);
    assert_string_equal(text(&out),
                        "Access-Control-Allow-Origin: https://b.example:8443\r\nVary: Origin\r\n");
    actual_headers(&c, "http://localhost:3000", &out);
    assert_non_null(strstr(text(&out), "Allow-Origin: http://localhost:3000\r\n"));

    /* Exact matches only: no prefix, suffix, port or scheme games. */
    static const char *const refused[] = {
        "https://a.example.evil.com",
        "https://a.exampl",
        "https://a.example/",
        "http://a.example",
        "https://b.example",
        "https://A.example",
        "null",
        "",
        "https://a.example, https://b.example:8443",
        "https://a.example ",
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        actual_headers(&c, refused[i], &out);
        assert_string_equal(text(&out), "Vary: Origin\r\n");
    }
    actual_headers(&c, NULL, &out);
    assert_string_equal(text(&out), "Vary: Origin\r\n");
    gqlx_cors_free(&c);
    gqlx_buf_free(&out);
}

static void test_any(void **state)
{
    (void)state;
    gqlx_cors c;
    init_cors(&c, "*", false, 600);
    assert_true(c.any);
    gqlx_buf out;
    gqlx_buf_init(&out, 0);
    actual_headers(&c, "https://anything.example", &out);
    assert_string_equal(text(&out), "Access-Control-Allow-Origin: *\r\nVary: Origin\r\n");
    actual_headers(&c, "null", &out);
    assert_string_equal(text(&out), "Access-Control-Allow-Origin: *\r\nVary: Origin\r\n");
    actual_headers(&c, "two, origins", &out);
    assert_string_equal(text(&out), "Vary: Origin\r\n");
    gqlx_cors_free(&c);

    /* "*" among others still means any. */
    init_cors(&c, "https://a.example, *", false, 600);
    assert_true(c.any);
    gqlx_cors_free(&c);
    gqlx_buf_free(&out);
}

/* With credentials browsers refuse "*": the origin is echoed instead. */
static void test_credentials(void **state)
{
    (void)state;
    gqlx_cors c;
    gqlx_buf out;
    gqlx_buf_init(&out, 0);
    init_cors(&c, "*", true, 600);
    actual_headers(&c, "https://app.example", &out);
    assert_string_equal(text(&out), "Access-Control-Allow-Origin: https://app.example\r\n"
                                    "Access-Control-Allow-Credentials: true\r\n"
                                    "Vary: Origin\r\n");
    actual_headers(&c, "null", &out);
    assert_string_equal(text(&out), "Vary: Origin\r\n");
    gqlx_cors_free(&c);

    init_cors(&c, "https://app.example", true, 600);
    actual_headers(&c, "https://app.example", &out);
    assert_string_equal(text(&out), "Access-Control-Allow-Origin: https://app.example\r\n"
                                    "Access-Control-Allow-Credentials: true\r\n"
                                    "Vary: Origin\r\n");
    actual_headers(&c, "https://other.example", &out);
    assert_string_equal(text(&out), "Vary: Origin\r\n");
    gqlx_cors_free(&c);
    gqlx_buf_free(&out);
}

static void test_preflight(void **state)
{
    (void)state;
    gqlx_cors c;
    gqlx_buf out;
    gqlx_buf_init(&out, 0);
    fake_request f;
    init_cors(&c, "https://a.example", false, 3600);

    const char *ok[] = {"origin",
                        "https://a.example",
                        "access-control-request-method",
                        "POST",
                        "Access-Control-Request-Headers",
                        "content-type,graphql-require-preflight",
                        NULL};
    make_request(&f, "OPTIONS", ok);
    assert_true(gqlx_cors_preflight(&c, &f.req, &out));
    assert_string_equal(text(&out),
                        "Access-Control-Allow-Origin: https://a.example\r\n"
                        "Access-Control-Allow-Methods: GET, POST, OPTIONS\r\n"
                        "Access-Control-Allow-Headers: content-type,graphql-require-preflight\r\n"
                        "Access-Control-Max-Age: 3600\r\n"
                        "Vary: Origin\r\n");

    /* No requested headers, or a malformed list: no Allow-Headers. */
    const char *bare[] = {"Origin", "https://a.example", "Access-Control-Request-Method", "GET",
                          NULL};
    make_request(&f, "OPTIONS", bare);
    gqlx_buf_clear(&out);
    assert_true(gqlx_cors_preflight(&c, &f.req, &out));
    assert_null(strstr(text(&out), "Allow-Headers"));
    const char *odd[] = {"Origin",
                         "https://a.example",
                         "Access-Control-Request-Method",
                         "GET",
                         "Access-Control-Request-Headers",
                         "x-a; y=\"1\"",
                         NULL};
    make_request(&f, "OPTIONS", odd);
    gqlx_buf_clear(&out);
    assert_true(gqlx_cors_preflight(&c, &f.req, &out));
    assert_null(strstr(text(&out), "Allow-Headers"));
    assert_non_null(strstr(text(&out), "Allow-Origin: https://a.example\r\n"));

    /* A refused origin: answered, but without any CORS header. */
    const char *refused[] = {"Origin", "https://evil.example", "Access-Control-Request-Method",
                             "POST", NULL};
    make_request(&f, "OPTIONS", refused);
    gqlx_buf_clear(&out);
    assert_true(gqlx_cors_preflight(&c, &f.req, &out));
    assert_string_equal(text(&out), "");

    /* Not preflights: a plain OPTIONS, an OPTIONS without Origin, a GET
     * carrying the preflight headers. */
    const char *no_method[] = {"Origin", "https://a.example", NULL};
    make_request(&f, "OPTIONS", no_method);
    assert_false(gqlx_cors_preflight(&c, &f.req, &out));
    const char *no_origin[] = {"Access-Control-Request-Method", "POST", NULL};
    make_request(&f, "OPTIONS", no_origin);
    assert_false(gqlx_cors_preflight(&c, &f.req, &out));
    make_request(&f, "GET", ok);
    assert_false(gqlx_cors_preflight(&c, &f.req, &out));
    assert_string_equal(text(&out), "");
    gqlx_cors_free(&c);

    /* Any origin with credentials and no caching. */
    init_cors(&c, "*", true, 0);
    make_request(&f, "OPTIONS", ok);
    gqlx_buf_clear(&out);
    assert_true(gqlx_cors_preflight(&c, &f.req, &out));
    assert_string_equal(text(&out),
                        "Access-Control-Allow-Origin: https://a.example\r\n"
                        "Access-Control-Allow-Credentials: true\r\n"
                        "Access-Control-Allow-Methods: GET, POST, OPTIONS\r\n"
                        "Access-Control-Allow-Headers: content-type,graphql-require-preflight\r\n"
                        "Access-Control-Max-Age: 0\r\n"
                        "Vary: Origin\r\n");
    gqlx_cors_free(&c);
    gqlx_buf_free(&out);
}

/* An empty list allows nobody; it is not "off". */
static void test_empty_list(void **state)
{
    (void)state;
    gqlx_cors c;
    init_cors(&c, " , ", false, 600);
    gqlx_buf out;
    gqlx_buf_init(&out, 0);
    actual_headers(&c, "https://a.example", &out);
    assert_string_equal(text(&out), "Vary: Origin\r\n");
    gqlx_cors_free(&c);
    gqlx_cors_free(&c); /* freeing twice is harmless */
    gqlx_buf_free(&out);
}

static void test_out_of_memory(void **state)
{
    (void)state;
    gql_server_opts opts;
    memset(&opts, 0, sizeof opts);
    opts.cors_origins = "https://a.example";
    gqlx_cors c;
    gqlx_fault_set(0);
    assert_int_equal(gqlx_cors_init(&c, &opts), GQL_ENOMEM);
    gqlx_fault_reset();
    assert_null(c.origins);
    gqlx_cors_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_off),           cmocka_unit_test(test_list),
        cmocka_unit_test(test_any),           cmocka_unit_test(test_credentials),
        cmocka_unit_test(test_preflight),     cmocka_unit_test(test_empty_list),
        cmocka_unit_test(test_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
