/* tests/unit/server/test_media_type.c — Content-Type classification and
 * Accept negotiation (server/media_type.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "server/media_type.h"

static void test_parse(void **state)
{
    (void)state;
    gqlx_media_type mt;
    const char *s = "Application/JSON ; charset=\"UTF-8\"; foo=bar";
    assert_true(gqlx_media_type_parse(s, strlen(s), &mt));
    assert_int_equal(mt.type.len, 11);
    assert_memory_equal(mt.type.ptr, "Application", 11);
    assert_int_equal(mt.subtype.len, 4);
    assert_true(mt.has_charset);
    assert_int_equal(mt.charset.len, 5);
    assert_memory_equal(mt.charset.ptr, "UTF-8", 5);

    s = "text/plain";
    assert_true(gqlx_media_type_parse(s, strlen(s), &mt));
    assert_false(mt.has_charset);

    static const char *const bad[] = {"",
                                      "json",
                                      "/json",
                                      "application/",
                                      "application json",
                                      "application/json garbage",
                                      "appli(cation/json",
                                      "application/json, text/plain"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(gqlx_media_type_parse(bad[i], strlen(bad[i]), &mt));

    /* Unreadable parameters are skipped, as browsers do. */
    s = "application/json;;charset;=x; q=\"unterminated";
    assert_true(gqlx_media_type_parse(s, strlen(s), &mt));
    assert_false(mt.has_charset);
}

static void test_body_kind(void **state)
{
    (void)state;
    static const struct {
        const char *ct;
        gqlx_body_kind kind;
        bool charset_ok;
    } cases[] = {
        {NULL, GQLX_BODY_NONE, true},
        {"application/json", GQLX_BODY_JSON, true},
        {"application/json; charset=utf-8", GQLX_BODY_JSON, true},
        {"APPLICATION/JSON;CHARSET=UTF8", GQLX_BODY_JSON, true},
        {"application/json; charset=latin1", GQLX_BODY_JSON, false},
        {"application/graphql", GQLX_BODY_GRAPHQL, true},
        {"application/x-www-form-urlencoded", GQLX_BODY_FORM, true},
        {"multipart/form-data; boundary=xyz", GQLX_BODY_MULTIPART, true},
        {"text/plain;charset=UTF-8", GQLX_BODY_TEXT, true},
        {"text/html", GQLX_BODY_OTHER, true},
        {"application/graphql-response+json", GQLX_BODY_OTHER, true},
        {"application/jsonx", GQLX_BODY_OTHER, true},
        {"", GQLX_BODY_INVALID, true},
        {"json", GQLX_BODY_INVALID, true},
        {"text/plain, application/json", GQLX_BODY_INVALID, true},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bool ok = false;
        assert_int_equal(gqlx_media_body_kind(cases[i].ct, &ok), cases[i].kind);
        assert_int_equal(ok, cases[i].charset_ok);
    }
    assert_int_equal(gqlx_media_body_kind("application/json", NULL), GQLX_BODY_JSON);
}

static void test_cors_simple(void **state)
{
    (void)state;
    assert_true(gqlx_media_is_cors_simple(GQLX_BODY_NONE));
    assert_true(gqlx_media_is_cors_simple(GQLX_BODY_FORM));
    assert_true(gqlx_media_is_cors_simple(GQLX_BODY_MULTIPART));
    assert_true(gqlx_media_is_cors_simple(GQLX_BODY_TEXT));
    assert_false(gqlx_media_is_cors_simple(GQLX_BODY_JSON));
    assert_false(gqlx_media_is_cors_simple(GQLX_BODY_GRAPHQL));
    assert_false(gqlx_media_is_cors_simple(GQLX_BODY_OTHER));
    /* A browser preflights a Content-Type it cannot parse. */
    assert_false(gqlx_media_is_cors_simple(GQLX_BODY_INVALID));
}

static void test_accept(void **state)
{
    (void)state;
    static const struct {
        const char *accept;
        gqlx_response_type want;
    } cases[] = {
        /* What the graphql-http audit sends. */
        {NULL, GQLX_RESPONSE_JSON},
        {"*/*", GQLX_RESPONSE_JSON},
        {"application/json", GQLX_RESPONSE_JSON},
        {"application/graphql-response+json", GQLX_RESPONSE_GRAPHQL},
        /* Clients of the newer specification. */
        {"application/graphql-response+json, application/json;q=0.9", GQLX_RESPONSE_GRAPHQL},
        {"application/graphql-response+json, application/json", GQLX_RESPONSE_GRAPHQL},
        {"application/json, application/graphql-response+json", GQLX_RESPONSE_GRAPHQL},
        {"application/json, application/graphql-response+json;q=0.5", GQLX_RESPONSE_JSON},
        {"application/graphql-response+json;charset=utf-8", GQLX_RESPONSE_GRAPHQL},
        {"Application/GraphQL-Response+JSON", GQLX_RESPONSE_GRAPHQL},
        /* Wildcards. */
        {"application/*", GQLX_RESPONSE_JSON},
        {"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", GQLX_RESPONSE_JSON},
        {"application/json;q=0, */*", GQLX_RESPONSE_GRAPHQL},
        {"application/graphql-response+json;q=0, */*", GQLX_RESPONSE_JSON},
        {"*/*;q=0.1, application/graphql-response+json;q=0.2", GQLX_RESPONSE_GRAPHQL},
        /* Nothing acceptable. */
        {"text/html", GQLX_RESPONSE_NONE},
        {"application/xml, text/*", GQLX_RESPONSE_NONE},
        {"application/json;q=0", GQLX_RESPONSE_NONE},
        {"application/json; charset=latin1", GQLX_RESPONSE_NONE},
        {"*/*;q=0", GQLX_RESPONSE_NONE},
        /* Unreadable headers count as missing; bad weights drop a range. */
        {"", GQLX_RESPONSE_JSON},
        {" , ,", GQLX_RESPONSE_JSON},
        {"garbage", GQLX_RESPONSE_JSON},
        {"application/json;q=2", GQLX_RESPONSE_JSON},
        {"application/json;q=x, text/html", GQLX_RESPONSE_NONE},
        {"application/json;q=0.0001", GQLX_RESPONSE_JSON},
        {"application/graphql-response+json;q=0.999, application/json;q=1.000", GQLX_RESPONSE_JSON},
        {"application/json;foo=\"a,b\", application/graphql-response+json;q=0.5",
         GQLX_RESPONSE_JSON},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        gqlx_response_type got = gqlx_media_choose_response(cases[i].accept);
        if (got != cases[i].want)
            fail_msg("Accept %s: got %d, want %d", cases[i].accept ? cases[i].accept : "(none)",
                     (int)got, (int)cases[i].want);
    }
}

static void test_content_types(void **state)
{
    (void)state;
    assert_string_equal(gqlx_media_response_content_type(GQLX_RESPONSE_JSON),
                        "application/json; charset=utf-8");
    assert_string_equal(gqlx_media_response_content_type(GQLX_RESPONSE_GRAPHQL),
                        "application/graphql-response+json; charset=utf-8");
    assert_null(gqlx_media_response_content_type(GQLX_RESPONSE_NONE));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),         cmocka_unit_test(test_body_kind),
        cmocka_unit_test(test_cors_simple),   cmocka_unit_test(test_accept),
        cmocka_unit_test(test_content_types),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
