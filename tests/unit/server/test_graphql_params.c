/* tests/unit/server/test_graphql_params.c — GraphQL request parameters
 * from query strings, JSON, GraphQL and form bodies
 * (server/graphql_params.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/json.h"
#include "server/graphql_params.h"

static gqlx_arena arena;

static int setup(void **state)
{
    (void)state;
    gqlx_arena_init(&arena, 0, 1u << 20);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    gqlx_arena_free(&arena);
    return 0;
}

static int run(gqlx_params *out, bool post, gqlx_body_kind kind, const char *qs, const char *body,
               const gqlx_params_opts *opts)
{
    gqlx_params_opts defaults;
    if (opts == NULL) {
        gqlx_params_opts_init(&defaults);
        opts = &defaults;
    }
    gqlx_params_input in = {post, kind, qs, qs ? strlen(qs) : 0, body, body ? strlen(body) : 0,
                            NULL};
    int rc = gqlx_params_extract(&arena, &in, opts, out);
    assert_int_equal(rc, out->status);
    if (rc != 0)
        assert_non_null(out->message);
    return rc;
}

static void assert_query(const gqlx_gql_params *p, const char *want)
{
    assert_non_null(p->query);
    assert_int_equal(p->query_len, strlen(want));
    assert_memory_equal(p->query, want, p->query_len);
}

/* The compact JSON text of a parsed value, for comparisons. */
static void assert_json(const gqlx_json *v, const char *want)
{
    assert_non_null(v);
    gqlx_buf b;
    gqlx_buf_init(&b, 0);
    assert_int_equal(gqlx_json_write_value(&b, v, GQLX_JSON_WRITE_NUMBER_TEXT), 0);
    assert_string_equal(b.data, want);
    gqlx_buf_free(&b);
}

static void test_get(void **state)
{
    (void)state;
    gqlx_params r;
    assert_int_equal(run(&r, false, GQLX_BODY_NONE,
                         "query=query+Q(%24n%3A+Int)+%7B+a+%7D&operationName=Q&"
                         "variables=%7B%22n%22%3A1%7D&extensions=%7B%22e%22%3Atrue%7D&query=x",
                         "ignored", NULL),
                     0);
    assert_int_equal(r.count, 1);
    assert_false(r.batch);
    assert_query(&r.items[0], "query Q($n: Int) { a }");
    assert_string_equal(r.items[0].operation_name, "Q");
    assert_json(r.items[0].variables, "{\"n\":1}");
    assert_json(r.items[0].extensions, "{\"e\":true}");

    /* Empty operationName and variables count as absent; null too. */
    assert_int_equal(
        run(&r, false, GQLX_BODY_NONE, "query={a}&operationName=&variables=", NULL, NULL), 0);
    assert_null(r.items[0].operation_name);
    assert_null(r.items[0].variables);
    assert_int_equal(run(&r, false, GQLX_BODY_NONE, "query={a}&variables=null", NULL, NULL), 0);
    assert_null(r.items[0].variables);

    /* Encoded names count. */
    assert_int_equal(run(&r, false, GQLX_BODY_NONE, "%71uery={b}", NULL, NULL), 0);
    assert_query(&r.items[0], "{b}");
}

static void test_get_options(void **state)
{
    (void)state;
    gqlx_params r;
    gqlx_params_opts o;
    gqlx_params_opts_init(&o);
    o.read_variables_from_query_string = false;
    o.read_extensions_from_query_string = false;
    assert_int_equal(
        run(&r, false, GQLX_BODY_NONE, "query={a}&variables=%7B%7D&extensions=bad", NULL, &o), 0);
    assert_null(r.items[0].variables);
    assert_null(r.items[0].extensions);
}

static void test_get_errors(void **state)
{
    (void)state;
    gqlx_params r;
    assert_int_equal(run(&r, false, GQLX_BODY_NONE, "", NULL, NULL), 400);
    assert_string_equal(r.message, "The \"query\" parameter is missing.");
    assert_int_equal(run(&r, false, GQLX_BODY_NONE, "query=%zz", NULL, NULL), 400);
    assert_string_equal(r.message,
                        "The query string has a malformed percent-encoding in \"query\".");
    assert_int_equal(run(&r, false, GQLX_BODY_NONE, "query={a}&variables=%5B%5D", NULL, NULL), 400);
    assert_string_equal(r.message, "The \"variables\" parameter must be a JSON object, not array.");
    assert_int_equal(run(&r, false, GQLX_BODY_NONE, "query={a}&variables={", NULL, NULL), 400);
    assert_non_null(strstr(r.message, "The \"variables\" parameter is not valid JSON: "));
    assert_int_equal(run(&r, false, GQLX_BODY_NONE, "query={a}&extensions=1", NULL, NULL), 400);
    /* A malformed escape in a parameter nobody reads is harmless. */
    assert_int_equal(run(&r, false, GQLX_BODY_NONE, "query={a}&other=%z&%zz=1", NULL, NULL), 0);
}

static void test_post_json(void **state)
{
    (void)state;
    gqlx_params r;
    assert_int_equal(run(&r, true, GQLX_BODY_JSON, NULL,
                         "{\"query\":\"{ a(s: \\\"\\u00e9\\\") }\",\"operationName\":null,"
                         "\"variables\":{\"x\":[1,2]},\"extensions\":null,\"other\":5}",
                         NULL),
                     0);
    assert_int_equal(r.count, 1);
    assert_false(r.batch);
    assert_query(&r.items[0], "{ a(s: \"\xc3\xa9\") }");
    assert_null(r.items[0].operation_name);
    assert_json(r.items[0].variables, "{\"x\":[1,2]}");
    assert_null(r.items[0].extensions);
}

static void test_post_json_errors(void **state)
{
    (void)state;
    static const struct {
        const char *body;
        int status;
        const char *message;
    } cases[] = {
        {"", 400, "The request body is empty."},
        {"{ \"not a JSON", 400, NULL},
        {"42", 400, "The request body must be a JSON object or an array of them, not number."},
        {"{\"notquery\":\"{a}\"}", 400, "The \"query\" parameter is missing."},
        {"{\"query\":null}", 400, "The \"query\" parameter is missing."},
        {"{\"query\":{\"obj\":\"ect\"}}", 400,
         "The \"query\" parameter must be a string, not object."},
        {"{\"query\":0}", 400, "The \"query\" parameter must be a string, not number."},
        {"{\"query\":false}", 400, "The \"query\" parameter must be a string, not boolean."},
        {"{\"query\":[\"array\"]}", 400, "The \"query\" parameter must be a string, not array."},
        {"{\"query\":\"{a}\",\"operationName\":0}", 400,
         "The \"operationName\" parameter must be a string or null, not number."},
        {"{\"query\":\"{a}\",\"operationName\":\"a\\u0000b\"}", 400,
         "The \"operationName\" parameter must not contain NUL characters."},
        {"{\"query\":\"{a}\",\"variables\":\"string\"}", 400,
         "The \"variables\" parameter must be an object or null, not string."},
        {"{\"query\":\"{a}\",\"variables\":[\"array\"]}", 400,
         "The \"variables\" parameter must be an object or null, not array."},
        {"{\"query\":\"{a}\",\"extensions\":false}", 400,
         "The \"extensions\" parameter must be an object or null, not boolean."},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        gqlx_params r;
        int rc = run(&r, true, GQLX_BODY_JSON, NULL, cases[i].body, NULL);
        if (rc != cases[i].status)
            fail_msg("%s: status %d", cases[i].body, rc);
        if (cases[i].message != NULL)
            assert_string_equal(r.message, cases[i].message);
    }
    gqlx_params r;
    assert_int_equal(run(&r, true, GQLX_BODY_JSON, NULL, "{ \"not a JSON", NULL), 400);
    assert_non_null(strstr(r.message, "The request body is not valid JSON: "));
    assert_non_null(strstr(r.message, "(line 1, column "));
}

static void test_post_query_string(void **state)
{
    (void)state;
    gqlx_params r;
    /* The query string fills what the body leaves out. */
    assert_int_equal(run(&r, true, GQLX_BODY_JSON,
                         "query=ignored&operationName=Q&variables=%7B%22a%22%3A1%7D",
                         "{\"query\":\"query Q { a }\"}", NULL),
                     0);
    assert_query(&r.items[0], "query Q { a }");
    assert_string_equal(r.items[0].operation_name, "Q");
    assert_json(r.items[0].variables, "{\"a\":1}");
    assert_int_equal(run(&r, true, GQLX_BODY_JSON, "query={b}", "{}", NULL), 0);
    assert_query(&r.items[0], "{b}");

    /* ... unless read_query_string_on_post is off. */
    gqlx_params_opts o;
    gqlx_params_opts_init(&o);
    o.read_query_string_on_post = false;
    assert_int_equal(run(&r, true, GQLX_BODY_JSON, "query={b}", "{}", &o), 400);
    assert_int_equal(run(&r, true, GQLX_BODY_JSON, "operationName=Q", "{\"query\":\"{a}\"}", &o),
                     0);
    assert_null(r.items[0].operation_name);
}

static void test_post_graphql(void **state)
{
    (void)state;
    gqlx_params r;
    assert_int_equal(
        run(&r, true, GQLX_BODY_GRAPHQL, "operationName=Q&variables=%7B%7D", "query Q { a }", NULL),
        0);
    assert_query(&r.items[0], "query Q { a }");
    assert_string_equal(r.items[0].operation_name, "Q");
    assert_json(r.items[0].variables, "{}");
    /* An empty body is an empty document (a syntax error later). */
    assert_int_equal(run(&r, true, GQLX_BODY_GRAPHQL, NULL, "", NULL), 0);
    assert_int_equal(r.items[0].query_len, 0);
}

static void test_batch(void **state)
{
    (void)state;
    gqlx_params r;
    assert_int_equal(run(&r, true, GQLX_BODY_JSON, "operationName=ignored",
                         "[{\"query\":\"{a}\"},{\"query\":\"query B { b }\",\"operationName\":"
                         "\"B\",\"variables\":{\"v\":true}}]",
                         NULL),
                     0);
    assert_true(r.batch);
    assert_int_equal(r.count, 2);
    assert_query(&r.items[0], "{a}");
    assert_null(r.items[0].operation_name);
    assert_query(&r.items[1], "query B { b }");
    assert_string_equal(r.items[1].operation_name, "B");
    assert_json(r.items[1].variables, "{\"v\":true}");

    assert_int_equal(run(&r, true, GQLX_BODY_JSON, NULL, "[]", NULL), 400);
    assert_string_equal(r.message, "The batch holds no request.");
    assert_int_equal(run(&r, true, GQLX_BODY_JSON, NULL, "[{\"query\":\"{a}\"},5]", NULL), 400);
    assert_string_equal(r.message,
                        "Batch request 2: The request must be a JSON object, not number.");
    assert_int_equal(run(&r, true, GQLX_BODY_JSON, NULL, "[{\"query\":\"{a}\"},{}]", NULL), 400);
    assert_string_equal(r.message, "Batch request 2: The \"query\" parameter is missing.");

    gqlx_params_opts o;
    gqlx_params_opts_init(&o);
    o.max_batch_size = 2;
    assert_int_equal(run(&r, true, GQLX_BODY_JSON, NULL,
                         "[{\"query\":\"{a}\"},{\"query\":\"{a}\"},{\"query\":\"{a}\"}]", &o),
                     400);
    assert_string_equal(r.message, "The batch holds 3 requests; at most 2 are allowed.");
    o.batching = false;
    assert_int_equal(run(&r, true, GQLX_BODY_JSON, NULL, "[{\"query\":\"{a}\"}]", &o), 400);
    assert_string_equal(r.message, "Batched requests are not supported.");
    assert_int_equal(run(&r, true, GQLX_BODY_JSON, NULL, "true", &o), 400);
    assert_string_equal(r.message, "The request body must be a JSON object, not boolean.");
}

static void test_forms(void **state)
{
    (void)state;
    gqlx_params r;
    gqlx_params_opts o;
    gqlx_params_opts_init(&o);
    assert_int_equal(run(&r, true, GQLX_BODY_FORM, NULL, "query={a}", &o), 415);
    assert_int_equal(run(&r, true, GQLX_BODY_MULTIPART, NULL, "{}", &o), 415);
    o.read_form = true;
    assert_int_equal(run(&r, true, GQLX_BODY_FORM, "operationName=Q",
                         "query=query+Q+%7B+a+%7D&variables=%7B%22x%22%3A%22y+z%22%7D", &o),
                     0);
    assert_query(&r.items[0], "query Q { a }");
    assert_string_equal(r.items[0].operation_name, "Q");
    assert_json(r.items[0].variables, "{\"x\":\"y z\"}");
    /* A form may carry "operations" as a JSON request or batch. */
    assert_int_equal(run(&r, true, GQLX_BODY_FORM, NULL,
                         "operations=%5B%7B%22query%22%3A%22%7Ba%7D%22%7D%5D", &o),
                     0);
    assert_true(r.batch);
    assert_query(&r.items[0], "{a}");
    /* A multipart form's "operations" comes as the body. */
    assert_int_equal(run(&r, true, GQLX_BODY_MULTIPART, NULL, "{\"query\":\"{m}\"}", &o), 0);
    assert_query(&r.items[0], "{m}");
    assert_int_equal(run(&r, true, GQLX_BODY_FORM, NULL, "variables=%7B%7D", &o), 400);
}

static bool get_field(void *ctx, const char *name, gqlx_slice *value)
{
    (void)ctx;
    if (strcmp(name, "query") == 0) {
        *value = gqlx_slice_cstr("query Q { f }");
        return true;
    }
    if (strcmp(name, "operationName") == 0) {
        *value = gqlx_slice_cstr("Q");
        return true;
    }
    return false;
}

static void test_multipart_fields(void **state)
{
    (void)state;
    gqlx_params_opts o;
    gqlx_params_opts_init(&o);
    o.read_form = true;
    gqlx_params_fields f = {get_field, NULL};
    gqlx_params_input in = {true, GQLX_BODY_MULTIPART, "variables=%7B%22v%22%3A2%7D", 27, "", 0,
                            &f};
    gqlx_params r;
    assert_int_equal(gqlx_params_extract(&arena, &in, &o, &r), 0);
    assert_query(&r.items[0], "query Q { f }");
    assert_string_equal(r.items[0].operation_name, "Q");
    assert_json(r.items[0].variables, "{\"v\":2}");
}

static void test_content_types(void **state)
{
    (void)state;
    gqlx_params r;
    assert_int_equal(run(&r, true, GQLX_BODY_NONE, NULL, "{\"query\":\"{a}\"}", NULL), 415);
    assert_string_equal(r.message,
                        "The request has no Content-Type: send the request as application/json.");
    assert_int_equal(run(&r, true, GQLX_BODY_TEXT, NULL, "{\"query\":\"{a}\"}", NULL), 415);
    assert_int_equal(run(&r, true, GQLX_BODY_OTHER, NULL, "{\"query\":\"{a}\"}", NULL), 415);
    assert_int_equal(run(&r, true, GQLX_BODY_INVALID, NULL, "{\"query\":\"{a}\"}", NULL), 415);
}

static void test_limits(void **state)
{
    (void)state;
    gqlx_params r;
    gqlx_params_opts o;
    gqlx_params_opts_init(&o);
    o.json.max_depth = 4;
    assert_int_equal(run(&r, true, GQLX_BODY_JSON, NULL,
                         "{\"query\":\"{a}\",\"variables\":{\"a\":[[[1]]]}}", &o),
                     400);
    /* A full arena gives 500, never a crash. */
    gqlx_arena small;
    gqlx_arena_init(&small, 256, 256);
    gqlx_params_opts_init(&o);
    char body[2000];
    strcpy(body, "{\"query\":\"{a}\",\"variables\":{");
    for (int i = 0; i < 100; i++)
        sprintf(body + strlen(body), "%s\"k%d\":%d", i ? "," : "", i, i);
    strcat(body, "}}");
    gqlx_params_input in = {true, GQLX_BODY_JSON, NULL, 0, body, strlen(body), NULL};
    assert_int_equal(gqlx_params_extract(&small, &in, &o, &r), 500);
    assert_string_equal(r.message, "Out of memory.");
    gqlx_arena_free(&small);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_get, setup, teardown),
        cmocka_unit_test_setup_teardown(test_get_options, setup, teardown),
        cmocka_unit_test_setup_teardown(test_get_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_post_json, setup, teardown),
        cmocka_unit_test_setup_teardown(test_post_json_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_post_query_string, setup, teardown),
        cmocka_unit_test_setup_teardown(test_post_graphql, setup, teardown),
        cmocka_unit_test_setup_teardown(test_batch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_forms, setup, teardown),
        cmocka_unit_test_setup_teardown(test_multipart_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(test_content_types, setup, teardown),
        cmocka_unit_test_setup_teardown(test_limits, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
