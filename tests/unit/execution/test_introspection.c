/* tests/unit/execution/test_introspection.c — introspection through the
 * public API (execution/introspection_resolve.c behind gql_execute).
 *
 * A small schema with a description, deprecations, @oneOf, default values,
 * an interface, a union and a repeatable directive; each case is a query
 * and the response graphql-js 17.1's graphql() gives for it (generated
 * once with graphql-js and pasted). tests/diff/introspection.test.mjs
 * compares whole introspection results on every run. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "gql/exec.h"
#include "gql/gql.h"

typedef struct query_case {
    const char *name;
    const char *query;
    const char *expected;
} query_case;

static const char sdl[] =
    "\"Root.\" schema { query: Q }\n"
    "\"A kind.\" enum K { A B @deprecated(reason: \"x\") }\n"
    "input In @oneOf { a: Int b: [String!] }\n"
    "input P { s: [String!] = [\"s\"] e: K = A }\n"
    "interface I { id: ID! }\n"
    "type T implements I { id: ID! k(x: In = { a: 1 }, p: P, old: Int @deprecated): K }\n"
    "union U = T\n"
    "type Q { t: T @deprecated(reason: \"gone\") u: U }\n"
    "directive @d(n: Int = 3) repeatable on FIELD | QUERY\n";

static const query_case cases[] = {
    {"the schema: description, roots, directives in order",
     "{ __schema { description queryType { name } mutationType { name } direct"
     "ives { name isRepeatable locations args { name defaultValue } } } }",
     "{\"data\":{\"__schema\":{\"description\":\"Root.\",\"queryType\":{\"name\":\"Q\"},\"mut"
     "ationType\":null,\"directives\":[{\"name\":\"d\",\"isRepeatable\":true,\"locations"
     "\":[\"FIELD\",\"QUERY\"],\"args\":[{\"name\":\"n\",\"defaultValue\":\"3\"}]},{\"name\":\"i"
     "nclude\",\"isRepeatable\":false,\"locations\":[\"FIELD\",\"FRAGMENT_SPREAD\",\"INL"
     "INE_FRAGMENT\"],\"args\":[{\"name\":\"if\",\"defaultValue\":null}]},{\"name\":\"skip"
     "\",\"isRepeatable\":false,\"locations\":[\"FIELD\",\"FRAGMENT_SPREAD\",\"INLINE_FR"
     "AGMENT\"],\"args\":[{\"name\":\"if\",\"defaultValue\":null}]},{\"name\":\"deprecated"
     "\",\"isRepeatable\":false,\"locations\":[\"FIELD_DEFINITION\",\"ARGUMENT_DEFINIT"
     "ION\",\"INPUT_FIELD_DEFINITION\",\"ENUM_VALUE\",\"DIRECTIVE_DEFINITION\"],\"args"
     "\":[{\"name\":\"reason\",\"defaultValue\":\"\\\"No longer supported\\\"\"}]},{\"name\":"
     "\"specifiedBy\",\"isRepeatable\":false,\"locations\":[\"SCALAR\"],\"args\":[{\"name"
     "\":\"url\",\"defaultValue\":null}]},{\"name\":\"oneOf\",\"isRepeatable\":false,\"loc"
     "ations\":[\"INPUT_OBJECT\"],\"args\":[]}]}}}"},
    {"an object type: kind, interfaces, wrapped field types",
     "{ __type(name: \"T\") { kind name interfaces { name } fields { name type {"
     " kind name ofType { kind name } } } } }",
     "{\"data\":{\"__type\":{\"kind\":\"OBJECT\",\"name\":\"T\",\"interfaces\":[{\"name\":\"I\"}"
     "],\"fields\":[{\"name\":\"id\",\"type\":{\"kind\":\"NON_NULL\",\"name\":null,\"ofType\":"
     "{\"kind\":\"SCALAR\",\"name\":\"ID\"}}},{\"name\":\"k\",\"type\":{\"kind\":\"ENUM\",\"name\""
     ":\"K\",\"ofType\":null}}]}}}"},
    {"arguments: default values, deprecated ones on request",
     "{ __type(name: \"T\") { fields { args { name defaultValue } all: args(incl"
     "udeDeprecated: true) { name isDeprecated deprecationReason } } } }",
     "{\"data\":{\"__type\":{\"fields\":[{\"args\":[],\"all\":[]},{\"args\":[{\"name\":\"x\",\""
     "defaultValue\":\"{ a: 1 }\"},{\"name\":\"p\",\"defaultValue\":null}],\"all\":[{\"nam"
     "e\":\"x\",\"isDeprecated\":false,\"deprecationReason\":null},{\"name\":\"p\",\"isDep"
     "recated\":false,\"deprecationReason\":null},{\"name\":\"old\",\"isDeprecated\":tr"
     "ue,\"deprecationReason\":\"No longer supported\"}]}]}}}"},
    {"fields: deprecated ones on request",
     "{ __type(name: \"Q\") { fields { name } all: fields(includeDeprecated: tru"
     "e) { name isDeprecated deprecationReason } } }",
     "{\"data\":{\"__type\":{\"fields\":[{\"name\":\"u\"}],\"all\":[{\"name\":\"t\",\"isDepreca"
     "ted\":true,\"deprecationReason\":\"gone\"},{\"name\":\"u\",\"isDeprecated\":false,\""
     "deprecationReason\":null}]}}}"},
    {"enum values",
     "{ __type(name: \"K\") { description enumValues(includeDeprecated: true) { "
     "name isDeprecated deprecationReason } } }",
     "{\"data\":{\"__type\":{\"description\":\"A kind.\",\"enumValues\":[{\"name\":\"A\",\"is"
     "Deprecated\":false,\"deprecationReason\":null},{\"name\":\"B\",\"isDeprecated\":t"
     "rue,\"deprecationReason\":\"x\"}]}}}"},
    {"input objects: isOneOf, list and enum defaults",
     "{ o: __type(name: \"In\") { isOneOf } __type(name: \"P\") { kind isOneOf inp"
     "utFields { name defaultValue type { kind ofType { kind ofType { name } }"
     " } } } }",
     "{\"data\":{\"o\":{\"isOneOf\":true},\"__type\":{\"kind\":\"INPUT_OBJECT\",\"isOneOf\":"
     "false,\"inputFields\":[{\"name\":\"s\",\"defaultValue\":\"[\\\"s\\\"]\",\"type\":{\"kind\""
     ":\"LIST\",\"ofType\":{\"kind\":\"NON_NULL\",\"ofType\":{\"name\":\"String\"}}}},{\"name"
     "\":\"e\",\"defaultValue\":\"A\",\"type\":{\"kind\":\"ENUM\",\"ofType\":null}}]}}}"},
    {"possible types, fields of a union, unknown type",
     "{ i: __type(name: \"I\") { possibleTypes { name } } u: __type(name: \"U\") {"
     " possibleTypes { name } fields { name } } x: __type(name: \"X\") { name } "
     "}",
     "{\"data\":{\"i\":{\"possibleTypes\":[{\"name\":\"T\"}]},\"u\":{\"possibleTypes\":[{\"na"
     "me\":\"T\"}],\"fields\":null},\"x\":null}}"},
    {"the type list in type-map order", "{ __schema { types { name } } }",
     "{\"data\":{\"__schema\":{\"types\":[{\"name\":\"K\"},{\"name\":\"In\"},{\"name\":\"Int\"},"
     "{\"name\":\"String\"},{\"name\":\"P\"},{\"name\":\"I\"},{\"name\":\"ID\"},{\"name\":\"T\"},{"
     "\"name\":\"U\"},{\"name\":\"Q\"},{\"name\":\"Boolean\"},{\"name\":\"__Schema\"},{\"name\":"
     "\"__Type\"},{\"name\":\"__TypeKind\"},{\"name\":\"__Field\"},{\"name\":\"__InputValue"
     "\"},{\"name\":\"__EnumValue\"},{\"name\":\"__Directive\"},{\"name\":\"__DirectiveLoc"
     "ation\"}]}}}"},
};

static gql_schema *schema;

static int setup(void **state)
{
    (void)state;
    return gql_schema_build(&schema, sdl, strlen(sdl), NULL, NULL) == GQL_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    gql_schema_free(schema);
    return 0;
}

/* Runs query and returns 0 when the response is `expected`, byte for
 * byte; prints both otherwise. */
static int check(const char *name, const char *query, const char *expected)
{
    gql_request req;
    gql_request_init(&req);
    req.query = query;
    req.query_len = strlen(query);
    gql_response *resp = NULL;
    assert_int_equal(gql_execute(schema, &req, NULL, &resp), GQL_OK);
    size_t len = 0;
    const char *json = gql_response_json(resp, &len);
    int bad = json == NULL || strlen(json) != len || strcmp(json, expected) != 0;
    if (bad)
        fprintf(stderr, "%s:\n--- expected\n%s\n--- got\n%s\n", name, expected,
                json ? json : "(null)");
    else
        assert_int_equal(gql_response_status(resp), GQL_OK);
    gql_response_free(resp);
    return bad;
}

static void test_cases(void **state)
{
    (void)state;
    int failures = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        failures += check(cases[i].name, cases[i].query, cases[i].expected);
    assert_int_equal(failures, 0);
}

/* The same fields through a fragment, an alias and __typename: the
 * resolver is found by the field, not by the response key. */
static void test_aliases_and_typename(void **state)
{
    (void)state;
    assert_int_equal(check("aliases",
                           "{ a: __type(name: \"K\") { ...F } }\n"
                           "fragment F on __Type { t: __typename n: name k: kind }",
                           "{\"data\":{\"a\":{\"t\":\"__Type\",\"n\":\"K\",\"k\":\"ENUM\"}}}"),
                     0);
}

/* The whole introspection query twice on one schema: nothing depends on
 * state left by an earlier request. */
static void test_repeatable(void **state)
{
    (void)state;
    const char *q = "{ __schema { types { name fields(includeDeprecated: true) { name args { "
                    "name defaultValue } } inputFields { name defaultValue } } } }";
    gql_request req;
    gql_request_init(&req);
    req.query = q;
    req.query_len = strlen(q);
    gql_response *a = NULL, *b = NULL;
    assert_int_equal(gql_execute(schema, &req, NULL, &a), GQL_OK);
    assert_int_equal(gql_execute(schema, &req, NULL, &b), GQL_OK);
    assert_int_equal(gql_response_error_count(a), 0);
    assert_string_equal(gql_response_json(a, NULL), gql_response_json(b, NULL));
    gql_response_free(a);
    gql_response_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_aliases_and_typename),
        cmocka_unit_test(test_repeatable),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
