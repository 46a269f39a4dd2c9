/* tests/unit/execution/test_schema_data.c — operations whose data depends
 * on the schema alone are answered from the plan after the first time;
 * everything else still executes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gql/gql.h"

static const char sdl[] = "type Query { a: Int b(x: Int): Int }";

static char *run(gql_schema *s, gql_plan_cache *c, const char *q, const char *vars)
{
    gql_request req;
    gql_request_init(&req);
    req.query = q;
    req.query_len = strlen(q);
    if (vars) {
        req.variables = vars;
        req.variables_len = strlen(vars);
    }
    gql_exec_opts o;
    gql_exec_opts_init(&o);
    o.cache = c;
    gql_response *r;
    assert_int_equal(gql_execute(s, &req, &o, &r), GQL_OK);
    char *text = strdup(gql_response_json(r, NULL));
    gql_response_free(r);
    return text;
}

static void test_repeated_introspection(void **state)
{
    (void)state;
    gql_schema *s;
    gql_plan_cache *c;
    assert_int_equal(gql_schema_build(&s, sdl, sizeof sdl - 1, NULL, NULL), GQL_OK);
    assert_int_equal(gql_plan_cache_new(&c, 8), GQL_OK);
    const char *q = "{ __typename __type(name: \"Query\") { name fields { name } } }";
    const char *want = "{\"data\":{\"__typename\":\"Query\",\"__type\":{\"name\":\"Query\","
                       "\"fields\":[{\"name\":\"a\"},{\"name\":\"b\"}]}}}";
    for (int i = 0; i < 3; i++) {
        char *got = run(s, c, q, NULL);
        assert_string_equal(got, want);
        free(got);
    }
    size_t hits = 0;
    gql_plan_cache_stats(c, NULL, &hits, NULL);
    assert_int_equal(hits, 2);
    gql_plan_cache_free(c);
    gql_schema_free(s);
}

static void test_variables_still_execute(void **state)
{
    (void)state;
    gql_schema *s;
    gql_plan_cache *c;
    assert_int_equal(gql_schema_build(&s, sdl, sizeof sdl - 1, NULL, NULL), GQL_OK);
    assert_int_equal(gql_plan_cache_new(&c, 8), GQL_OK);
    const char *q = "query ($n: String!) { __type(name: $n) { name } }";
    char *one = run(s, c, q, "{\"n\":\"Query\"}");
    char *two = run(s, c, q, "{\"n\":\"Int\"}");
    assert_string_equal(one, "{\"data\":{\"__type\":{\"name\":\"Query\"}}}");
    assert_string_equal(two, "{\"data\":{\"__type\":{\"name\":\"Int\"}}}");
    free(one);
    free(two);
    /* A query touching data is never answered from the plan. */
    char *three = run(s, c, "{ __typename a }", NULL);
    assert_string_equal(three, "{\"data\":{\"__typename\":\"Query\",\"a\":null}}");
    free(three);
    gql_plan_cache_free(c);
    gql_schema_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_repeated_introspection),
        cmocka_unit_test(test_variables_still_execute),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
