/* tests/unit/execution/test_error_internal.c — masked internal errors
 * (gql_error_internal, error_internal.c) and operation kinds a request
 * refuses (gql_request.refuse_operations, request.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "exec_test.h"

static gql_value resolve_fails(gql_info *info, gql_value parent)
{
    (void)parent;
    return gql_error_internal(info, "connection to %s refused", "db.internal:5432");
}

static gql_value resolve_plain(gql_info *info, gql_value parent)
{
    (void)parent;
    return gql_error(info, "not found");
}

static gql_schema *make_schema(void)
{
    gql_schema_builder *b = builder("type Query { secret: String, plain: String, ok: Int }\n"
                                    "type Mutation { m: Int }\n"
                                    "type Subscription { s: Int }\n");
    bind(b, "Query.secret", resolve_fails, NULL);
    bind(b, "Query.plain", resolve_plain, NULL);
    return finish(b);
}

static char *run(const gql_schema *s, const gql_request *req, const gql_exec_opts *o, int *status)
{
    gql_response *resp = NULL;
    assert_int_equal(gql_execute(s, req, o, &resp), GQL_OK);
    *status = gql_response_status(resp);
    size_t len;
    const char *json = gql_response_json(resp, &len);
    char *copy = test_malloc(len + 1);
    memcpy(copy, json, len + 1);
    gql_response_free(resp);
    return copy;
}

static void test_masked(void **state)
{
    (void)state;
    gql_schema *s = make_schema();
    gql_request req = request("{ secret plain }", NULL);
    int st;
    char *json = run(s, &req, NULL, &st);
    assert_int_equal(st, GQL_OK);
    assert_string_equal(
        json, "{\"errors\":[{\"message\":\"Unexpected error.\",\"locations\":[{\"line\":1,"
              "\"column\":3}],\"path\":[\"secret\"],\"extensions\":{\"code\":"
              "\"INTERNAL_SERVER_ERROR\"}},{\"message\":\"not found\",\"locations\":[{"
              "\"line\":1,\"column\":10}],\"path\":[\"plain\"]}],\"data\":{\"secret\":"
              "null,\"plain\":null}}");
    test_free(json);
    gql_schema_free(s);
}

static void test_exposed(void **state)
{
    (void)state;
    gql_schema *s = make_schema();
    gql_exec_opts o;
    gql_exec_opts_init(&o);
    assert_int_equal(o.expose_internal_errors, 0);
    o.expose_internal_errors = 1;
    gql_request req = request("{ secret }", NULL);
    int st;
    char *json = run(s, &req, &o, &st);
    assert_string_equal(json, "{\"errors\":[{\"message\":\"connection to db.internal:5432 "
                              "refused\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":["
                              "\"secret\"],\"extensions\":{\"code\":\"INTERNAL_SERVER_ERROR\"}}],"
                              "\"data\":{\"secret\":null}}");
    test_free(json);
    gql_schema_free(s);
    /* Outside a resolver call there is nothing to record. */
    gql_value v = gql_error_internal(NULL, "x");
    assert_int_equal(v.kind, GQL_VALUE_ERROR);
}

static void test_refuse_operations(void **state)
{
    (void)state;
    gql_schema *s = make_schema();
    int st;
    gql_request req = request("mutation M { m }", NULL);
    req.refuse_operations = GQL_OP_MUTATION | GQL_OP_SUBSCRIPTION;
    char *json = run(s, &req, NULL, &st);
    assert_int_equal(st, GQL_EOPERATION);
    assert_string_equal(json, "{\"errors\":[{\"message\":\"Mutation operations are not allowed "
                              "in this request.\",\"locations\":[{\"line\":1,\"column\":1}]}]}");
    test_free(json);

    req = request("subscription { s }", NULL);
    req.refuse_operations = GQL_OP_SUBSCRIPTION;
    json = run(s, &req, NULL, &st);
    assert_int_equal(st, GQL_EOPERATION);
    test_free(json);

    /* The kind is that of the selected operation, checked before the
     * variables are read. */
    req = request("query Q { ok } mutation M($v: Boolean!) { m @include(if: $v) }", "{}");
    req.refuse_operations = GQL_OP_MUTATION;
    req.operation_name = "Q";
    json = run(s, &req, NULL, &st);
    assert_int_equal(st, GQL_OK);
    test_free(json);
    req.operation_name = "M";
    json = run(s, &req, NULL, &st);
    assert_int_equal(st, GQL_EOPERATION);
    test_free(json);

    /* Queries refused too, when asked. */
    req = request("{ ok }", NULL);
    req.refuse_operations = GQL_OP_QUERY;
    json = run(s, &req, NULL, &st);
    assert_int_equal(st, GQL_EOPERATION);
    test_free(json);
    assert_string_equal(gql_status_name(GQL_EOPERATION), "EOPERATION");
    gql_schema_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_masked),
        cmocka_unit_test(test_exposed),
        cmocka_unit_test(test_refuse_operations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
