/* tests/unit/server/test_ui.c — the browser UI's pieces that need no
 * browser (server/ui.c): telling a browser's Accept from a
 * GraphQL client's, rendering a page (escaping included) from a bundle,
 * and mounting rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/buf.h"
#include "gql/status.h"
#include "server/ui.h"

static void test_accept(void **state)
{
    (void)state;
    static const char *const html[] = {
        "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8",
        "text/html",
        "TEXT/HTML; charset=utf-8",
        "application/json;q=0.5, text/html",
        "text/html;q=0.9, application/json;q=0.8",
    };
    for (size_t i = 0; i < sizeof html / sizeof html[0]; i++)
        assert_true(gqlx_ui_accept_prefers_html(html[i]));
    static const char *const not_html[] = {
        "application/graphql-response+json, application/json",
        "*/*",
        "text/*",
        "text/html;q=0",
        "text/html;q=0.5, application/json",
        "text/html, application/json",
        "application/json, text/html;q=1.0",
        "",
        "text/htmlx",
    };
    for (size_t i = 0; i < sizeof not_html / sizeof not_html[0]; i++)
        assert_false(gqlx_ui_accept_prefers_html(not_html[i]));
    assert_false(gqlx_ui_accept_prefers_html(NULL));
}

static const unsigned char bytes[] = "x";
static const gql_ui_file files[] = {
    {"graphiql-A.js", "graphiql.js", "text/javascript", "\"a\"", bytes, 1, NULL, 0, NULL, 0},
    {"graphiql-B.css", "graphiql.css", "text/css", "\"b\"", bytes, 1, NULL, 0, NULL, 0},
    {"editor.worker-C.js", "editor.worker.js", "text/javascript", "\"c\"", bytes, 1, NULL, 0, NULL,
     0},
    {"json.worker-D.js", "json.worker.js", "text/javascript", "\"d\"", bytes, 1, NULL, 0, NULL, 0},
    {"graphql.worker-E.js", "graphql.worker.js", "text/javascript", "\"e\"", bytes, 1, NULL, 0,
     NULL, 0},
    {"font-F.ttf", NULL, "font/ttf", "\"f\"", bytes, 1, NULL, 0, NULL, 0},
};
static const gql_ui_bundle bundle = {"test", files, sizeof files / sizeof files[0]};

static void test_render(void **state)
{
    (void)state;
    gql_ui_opts o;
    gql_ui_opts_init(&o);
    o.assets = &bundle;
    gqlx_buf b;
    gqlx_buf_init(&b, 0);
    const char *prefix = "/a\"<b>";
    assert_true(gqlx_ui_render(&b, &o, prefix, strlen(prefix), false, "NONCE"));
    const char *page = b.data;
    assert_non_null(strstr(page, "<script nonce=\"NONCE\">"));
    assert_non_null(strstr(page, "<script nonce=\"NONCE\" src=\"/a&quot;&lt;b&gt;/ui-assets/"
                                 "graphiql-A.js\"></script>"));
    assert_non_null(strstr(page, "href=\"/a&quot;&lt;b&gt;/ui-assets/graphiql-B.css\""));
    assert_non_null(strstr(page, "endpoint: \"/a\\u0022\\u003cb\\u003e/graphql\""));
    assert_non_null(strstr(page, "graphql: \"/a\\u0022\\u003cb\\u003e/ui-assets/"
                                 "graphql.worker-E.js\""));
    /* The prefix never appears raw: it could close the attribute or the
     * script element. */
    assert_null(strstr(page, prefix));

    /* Voyager's files are missing from this bundle. */
    assert_false(gqlx_ui_render(&b, &o, "", 0, true, "NONCE"));

    /* An assets path with trailing slashes, or "/", gives the URLs its
     * route serves. */
    o.assets_path = "/files//";
    assert_true(gqlx_ui_render(&b, &o, "", 0, false, "NONCE"));
    assert_non_null(strstr(b.data, "src=\"/files/graphiql-A.js\""));
    o.assets_path = "/";
    assert_true(gqlx_ui_render(&b, &o, "", 0, false, "NONCE"));
    assert_non_null(strstr(b.data, "src=\"/graphiql-A.js\""));
    gqlx_buf_free(&b);
}

static void test_mount(void **state)
{
    (void)state;
    gql_server *srv = NULL;
    assert_int_equal(gql_server_new(NULL, &srv), GQL_OK);
    gql_ui_opts o;
    gql_ui_opts_init(&o);
    assert_int_equal(gql_server_ui(NULL, &o), GQL_EINVAL);
    assert_int_equal(gql_server_ui(srv, NULL), GQL_EINVAL);
    gql_ui_opts bad = o;
    bad.graphiql_path = "graphiql";
    assert_int_equal(gql_server_ui(srv, &bad), GQL_EINVAL);
    bad = o;
    bad.assets_path = NULL;
    assert_int_equal(gql_server_ui(srv, &bad), GQL_EINVAL);
    assert_int_equal(gql_server_ui(srv, &o), GQL_OK);
    /* The same paths again are taken. */
    assert_int_equal(gql_server_ui(srv, &o), GQL_EINVAL);
    gql_ui_opts other = o;
    other.assets_path = "/other-assets";
    other.graphiql_path = NULL;
    other.voyager_path = "";
    assert_int_equal(gql_server_ui(srv, &other), GQL_OK);
    gql_server_free(srv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accept),
        cmocka_unit_test(test_render),
        cmocka_unit_test(test_mount),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
