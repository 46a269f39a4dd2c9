/* tests/unit/types/test_print_schema.c — printing schemas (print_schema.c).
 *
 * Each case is SDL and the text graphql-js 17.1's
 * printSchema(buildSchema(sdl)) gives for it (generated once with
 * graphql-js and pasted here); gql_schema_print must give the same bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "gql/gql.h"

typedef struct print_case {
    const char *name;
    const char *sdl;
    const char *expected;
} print_case;

static const print_case cases[] = {
    {"schema block omitted for default root names",
     "type Query { a: Int }\n"
     "type Mutation { b: Int }",
     "type Query {\n"
     "  a: Int\n"
     "}\n"
     "\n"
     "type Mutation {\n"
     "  b: Int\n"
     "}"},
    {"schema block for renamed roots",
     "schema { query: Q subscription: S }\n"
     "type Q { a: Int }\n"
     "type S { b: Int }",
     "schema {\n"
     "  query: Q\n"
     "  subscription: S\n"
     "}\n"
     "\n"
     "type Q {\n"
     "  a: Int\n"
     "}\n"
     "\n"
     "type S {\n"
     "  b: Int\n"
     "}"},
    {"schema block when Query exists but is not the root",
     "schema { query: Q }\n"
     "type Q { a: Int }\n"
     "type Query { b: Int }",
     "schema {\n"
     "  query: Q\n"
     "}\n"
     "\n"
     "type Q {\n"
     "  a: Int\n"
     "}\n"
     "\n"
     "type Query {\n"
     "  b: Int\n"
     "}"},
    {"schema block for a description",
     "\"Described.\"\n"
     "schema { query: Query }\n"
     "type Query { a: Int }",
     "\"\"\"Described.\"\"\"\n"
     "schema {\n"
     "  query: Query\n"
     "}\n"
     "\n"
     "type Query {\n"
     "  a: Int\n"
     "}"},
    {"descriptions: block, quoted, indented, not first in block",
     "\"\"\"\n"
     "Type\n"
     "description\n"
     "\"\"\"\n"
     "type Query {\n"
     "  \"First\" a: Int\n"
     "  \"\"\"\n"
     "  Second\n"
     "    indented\n"
     "  \"\"\"\n"
     "  b: Int\n"
     "  \"ends with quote\\\"\" c: Int\n"
     "  \"trailing backslash \\\\\" d: Int\n"
     "  \"has \\t tab\" e: Int\n"
     "}",
     "\"\"\"\n"
     "Type\n"
     "description\n"
     "\"\"\"\n"
     "type Query {\n"
     "  \"\"\"First\"\"\"\n"
     "  a: Int\n"
     "\n"
     "  \"\"\"\n"
     "  Second\n"
     "    indented\n"
     "  \"\"\"\n"
     "  b: Int\n"
     "\n"
     "  \"\"\"\n"
     "  ends with quote\"\n"
     "  \"\"\"\n"
     "  c: Int\n"
     "\n"
     "  \"\"\"\n"
     "  trailing backslash \\\n"
     "  \"\"\"\n"
     "  d: Int\n"
     "\n"
     "  \"\"\"has \t tab\"\"\"\n"
     "  e: Int\n"
     "}"},
    {"arguments on one line and one per line",
     "type Query {\n"
     "  a(x: Int, y: [String!]! = [\"a\"]): Int\n"
     "  b(\"X.\" x: Int, y: Int = 2 @deprecated, \"\"\"Z\n"
     "multiline\"\"\" z: Int): Int\n"
     "}",
     "type Query {\n"
     "  a(x: Int, y: [String!]! = [\"a\"]): Int\n"
     "  b(\n"
     "    \"\"\"X.\"\"\"\n"
     "    x: Int\n"
     "    y: Int = 2 @deprecated\n"
     "\n"
     "    \"\"\"\n"
     "    Z\n"
     "    multiline\n"
     "    \"\"\"\n"
     "    z: Int\n"
     "  ): Int\n"
     "}"},
    {"deprecation reasons",
     "type Query {\n"
     "  a: Int @deprecated\n"
     "  b: Int @deprecated(reason: \"No longer supported\")\n"
     "  c: Int @deprecated(reason: \"\"\"Block \"quoted\" reason\"\"\")\n"
     "  d(x: Int @deprecated(reason: \"x\")): Int\n"
     "}\n"
     "enum E { A @deprecated(reason: \"\") B }\n"
     "input I { f: Int @deprecated }",
     "type Query {\n"
     "  a: Int @deprecated\n"
     "  b: Int @deprecated\n"
     "  c: Int @deprecated(reason: \"Block \\\"quoted\\\" reason\")\n"
     "  d(x: Int @deprecated(reason: \"x\")): Int\n"
     "}\n"
     "\n"
     "enum E {\n"
     "  A @deprecated(reason: \"\")\n"
     "  B\n"
     "}\n"
     "\n"
     "input I {\n"
     "  f: Int @deprecated\n"
     "}"},
    {"default values of every kind",
     "enum Color { RED GREEN }\n"
     "input P { x: Int y: Float }\n"
     "type Query {\n"
     "  a(i: Int = -0, f: Float = 1.50e+10, s: String = \"\\u00e9\\n\", b: String = \"\"\"  block\n"
     "  \"\"\", t: Boolean = true, n: Int = null, e: Color = RED, l: [Color] = [RED, GREEN], o: P = {y: 2.5, x: 1}, nested: [[P]] = [[{x: 1}], []]): Int\n"
     "}",
     "enum Color {\n"
     "  RED\n"
     "  GREEN\n"
     "}\n"
     "\n"
     "input P {\n"
     "  x: Int\n"
     "  y: Float\n"
     "}\n"
     "\n"
     "type Query {\n"
     "  a(i: Int = -0, f: Float = 1.50e+10, s: String = \"é\\n\", b: String = \"\"\"  block\"\"\", t: Boolean = true, n: Int = null, e: Color = RED, l: [Color] = [RED, GREEN], o: P = { y: 2.5, x: 1 }, nested: [[P]] = [[{ x: 1 }], []]): Int\n"
     "}"},
    {"directives: repeatable, locations order, deprecated, args",
     "\"\"\"Doc.\"\"\"\n"
     "directive @d(\"Arg.\" a: Int = 1) repeatable on FIELD | QUERY | FIELD\n"
     "directive @e @deprecated(reason: \"gone\") on SCHEMA\n"
     "directive @f on ENUM_VALUE\n"
     "extend directive @f @deprecated\n"
     "type Query { a: Int }",
     "\"\"\"Doc.\"\"\"\n"
     "directive @d(\n"
     "  \"\"\"Arg.\"\"\"\n"
     "  a: Int = 1\n"
     ") repeatable on FIELD | QUERY | FIELD\n"
     "\n"
     "directive @e @deprecated(reason: \"gone\") on SCHEMA\n"
     "\n"
     "directive @f @deprecated on ENUM_VALUE\n"
     "\n"
     "type Query {\n"
     "  a: Int\n"
     "}"},
    {"specified directives redefined are not printed",
     "directive @deprecated(reason: String) on FIELD_DEFINITION\n"
     "type Query { a: Int @deprecated(reason: \"r\") }",
     "type Query {\n"
     "  a: Int @deprecated(reason: \"r\")\n"
     "}"},
    {"scalars, unions, enums, inputs, oneOf, interfaces",
     "scalar Date @specifiedBy(url: \"https://example.com/\\\"q\\\"\")\n"
     "scalar J\n"
     "extend scalar J @specifiedBy(url: \"u\")\n"
     "interface A { id: ID }\n"
     "interface B implements A { id: ID }\n"
     "type T implements B & A { id: ID }\n"
     "union U = T\n"
     "extend union U = Query\n"
     "enum E { X }\n"
     "input I @oneOf { a: Int b: String }\n"
     "extend input I { c: Boolean }\n"
     "type Query { u: U d: Date j: J e: E i(i: I): Int }",
     "scalar Date @specifiedBy(url: \"https://example.com/\\\"q\\\"\")\n"
     "\n"
     "scalar J @specifiedBy(url: \"u\")\n"
     "\n"
     "interface A {\n"
     "  id: ID\n"
     "}\n"
     "\n"
     "interface B implements A {\n"
     "  id: ID\n"
     "}\n"
     "\n"
     "type T implements B & A {\n"
     "  id: ID\n"
     "}\n"
     "\n"
     "union U = T | Query\n"
     "\n"
     "enum E {\n"
     "  X\n"
     "}\n"
     "\n"
     "input I @oneOf {\n"
     "  a: Int\n"
     "  b: String\n"
     "  c: Boolean\n"
     "}\n"
     "\n"
     "type Query {\n"
     "  u: U\n"
     "  d: Date\n"
     "  j: J\n"
     "  e: E\n"
     "  i(i: I): Int\n"
     "}"},
    {"type-map order decides the type order",
     "type Query { z: Z a: A }\n"
     "type A { a: Int }\n"
     "type Z { z: Float }\n"
     "input Unused { x: ID }",
     "type Query {\n"
     "  z: Z\n"
     "  a: A\n"
     "}\n"
     "\n"
     "type A {\n"
     "  a: Int\n"
     "}\n"
     "\n"
     "type Z {\n"
     "  z: Float\n"
     "}\n"
     "\n"
     "input Unused {\n"
     "  x: ID\n"
     "}"},
};

static void test_cases(void **state)
{
    (void)state;
    int failures = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const print_case *c = &cases[i];
        gql_schema *s = NULL;
        gql_errors *errs = NULL;
        int rc = gql_schema_build(&s, c->sdl, strlen(c->sdl), NULL, &errs);
        if (rc != GQL_OK) {
            fprintf(stderr, "%s: build failed: %s\n", c->name,
                    errs ? gql_errors_message(errs, 0) : gql_strerror(rc));
            gql_errors_free(errs);
            failures++;
            continue;
        }
        char *text = NULL;
        size_t len = 0;
        assert_int_equal(gql_schema_print(s, &text, &len), GQL_OK);
        assert_int_equal(strlen(text), len);
        if (strcmp(text, c->expected) != 0) {
            fprintf(stderr, "%s:\n--- expected\n%s\n--- got\n%s\n", c->name, c->expected, text);
            failures++;
        }
        gql_free(text);
        gql_schema_free(s);
    }
    assert_int_equal(failures, 0);
}

static void test_arguments(void **state)
{
    (void)state;
    char dummy = 'x';
    char *text = &dummy;
    assert_int_equal(gql_schema_print(NULL, &text, NULL), GQL_EINVAL);
    assert_null(text);
    gql_schema *s = NULL;
    assert_int_equal(gql_schema_build(&s, "type Query { a: Int }", 21, NULL, NULL), GQL_OK);
    assert_int_equal(gql_schema_print(s, NULL, NULL), GQL_EINVAL);
    /* len may be NULL. */
    assert_int_equal(gql_schema_print(s, &text, NULL), GQL_OK);
    assert_string_equal(text, "type Query {\n  a: Int\n}");
    gql_free(text);
    gql_schema_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
