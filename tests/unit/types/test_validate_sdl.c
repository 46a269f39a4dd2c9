/* tests/unit/types/test_validate_sdl.c — stage 1 of schema checking
 * (types/validate_sdl.c): graphql-js's SDL rules on the document.
 *
 * Table-driven: each case is an SDL text and the errors graphql-js 17.1.0's
 * validateSDL() reports for it, one "LINE:COLUMN: message" line per
 * location, in graphql-js's order. The texts are copies of files under
 * tests/data/schema/invalid/ (tests/diff/schema_validation.test.mjs checks
 * all of those against graphql-js itself). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/errors.h"
#include "language/parser.h"
#include "types/schema_validate.h"

typedef struct sdl_case {
    const char *name;
    const char *sdl;
    const char *expected;
} sdl_case;

static const sdl_case cases[] = {
    {"lone_schema_definition/three_schemas.graphql",
     "type Query { a: Int }\n"
     "type M { b: Int }\n"
     "\n"
     "schema { query: Query }\n"
     "\n"
     "\"described\"\n"
     "schema { mutation: M }\n"
     "\n"
     "schema @deprecated { query: Query }\n"
     "",
     "6:1: Must provide only one schema definition.\n"
     "9:1: Must provide only one schema definition.\n"
     "4:10: There can be only one query type in schema.\n"
     "9:22: There can be only one query type in schema.\n"
     "9:8: Directive \"@deprecated\" may not be used on SCHEMA.\n"
     ""},
    {"unique_operation_types/across_extension.graphql",
     "type Query { a: Int }\n"
     "type M { b: Int }\n"
     "schema { query: Query mutation: M }\n"
     "extend schema { mutation: M }\n"
     "extend schema { mutation: Query subscription: M }\n"
     "",
     "3:23: There can be only one mutation type in schema.\n"
     "4:17: There can be only one mutation type in schema.\n"
     "3:23: There can be only one mutation type in schema.\n"
     "5:17: There can be only one mutation type in schema.\n"
     ""},
    {"unique_type_names/different_kinds.graphql",
     "type Query { a: Int }\n"
     "scalar Foo\n"
     "input Foo { a: Int }\n"
     "enum Foo { A }\n"
     "",
     "2:8: There can be only one type named \"Foo\".\n"
     "3:7: There can be only one type named \"Foo\".\n"
     "2:8: There can be only one type named \"Foo\".\n"
     "4:6: There can be only one type named \"Foo\".\n"
     ""},
    {"unique_enum_value_names/in_extension.graphql",
     "type Query { e: E }\n"
     "enum E { A B }\n"
     "extend enum E { C A }\n"
     "extend enum E { C }\n"
     "",
     "2:10: Enum value \"E.A\" can only be defined once.\n"
     "3:19: Enum value \"E.A\" can only be defined once.\n"
     "3:17: Enum value \"E.C\" can only be defined once.\n"
     "4:17: Enum value \"E.C\" can only be defined once.\n"
     ""},
    {"unique_field_definition_names/input_object.graphql",
     "type Query { f(i: In): Int }\n"
     "input In { a: Int\n"
     "  a: Int\n"
     "  b: Int }\n"
     "extend input In { b: String }\n"
     "",
     "2:12: Field \"In.a\" can only be defined once.\n"
     "3:3: Field \"In.a\" can only be defined once.\n"
     "4:3: Field \"In.b\" can only be defined once.\n"
     "5:19: Field \"In.b\" can only be defined once.\n"
     ""},
    {"unique_argument_definition_names/directive_args.graphql",
     "directive @d(x: Int, x: Int, y: Int, y: Int, x: Int) on FIELD\n"
     "type Query { a: Int }\n"
     "",
     "1:14: Argument \"@d(x:)\" can only be defined once.\n"
     "1:22: Argument \"@d(x:)\" can only be defined once.\n"
     "1:46: Argument \"@d(x:)\" can only be defined once.\n"
     "1:30: Argument \"@d(y:)\" can only be defined once.\n"
     "1:38: Argument \"@d(y:)\" can only be defined once.\n"
     ""},
    {"unique_directive_names/three_times.graphql",
     "directive @d on FIELD\n"
     "directive @d on QUERY\n"
     "directive @d on MUTATION\n"
     "type Query { a: Int }\n"
     "",
     "1:12: There can be only one directive named \"@d\".\n"
     "2:12: There can be only one directive named \"@d\".\n"
     "1:12: There can be only one directive named \"@d\".\n"
     "3:12: There can be only one directive named \"@d\".\n"
     ""},
    {"known_type_names/everywhere.graphql",
     "schema { query: Root }\n"
     "type Query implements Nodee { a(x: Inpt = 1): Int }\n"
     "union U = Qery | Query\n"
     "directive @d(a: Intt) on FIELD\n"
     "input In { f: Foo }\n"
     "extend type Query { b: Bar }\n"
     "",
     "1:17: Unknown type \"Root\".\n"
     "2:23: Unknown type \"Nodee\".\n"
     "2:36: Unknown type \"Inpt\". Did you mean \"Int\" or \"In\"?\n"
     "3:11: Unknown type \"Qery\". Did you mean \"Query\"?\n"
     "4:17: Unknown type \"Intt\". Did you mean \"Int\" or \"In\"?\n"
     "5:15: Unknown type \"Foo\".\n"
     "6:24: Unknown type \"Bar\".\n"
     ""},
    {"known_type_names/introspection_ok_unknown_other.graphql",
     "type Query { t: __Type k: __TypeKnd }\n"
     "",
     "1:27: Unknown type \"__TypeKnd\". Did you mean \"__TypeKind\" or \"__Type\"?\n"
     ""},
    {"known_directives/custom_locations.graphql",
     "directive @onField on FIELD_DEFINITION\n"
     "type Query @onField { a(x: Int @onField): Int @onField }\n"
     "enum E @onField { A @onField }\n"
     "union U @onField = Query\n"
     "interface I @onField { a: Int }\n"
     "schema @onField { query: Query }\n"
     "",
     "2:12: Directive \"@onField\" may not be used on OBJECT.\n"
     "2:32: Directive \"@onField\" may not be used on ARGUMENT_DEFINITION.\n"
     "3:8: Directive \"@onField\" may not be used on ENUM.\n"
     "3:21: Directive \"@onField\" may not be used on ENUM_VALUE.\n"
     "4:9: Directive \"@onField\" may not be used on UNION.\n"
     "5:13: Directive \"@onField\" may not be used on INTERFACE.\n"
     "6:8: Directive \"@onField\" may not be used on SCHEMA.\n"
     ""},
    {"unique_directives_per_location/across_extensions.graphql",
     "directive @d on OBJECT\n"
     "directive @r repeatable on OBJECT\n"
     "type Query @d @r { a: Int }\n"
     "extend type Query @d @r\n"
     "extend type Query @d\n"
     "",
     "3:12: The directive \"@d\" can only be used once at this location.\n"
     "4:19: The directive \"@d\" can only be used once at this location.\n"
     "3:12: The directive \"@d\" can only be used once at this location.\n"
     "5:19: The directive \"@d\" can only be used once at this location.\n"
     ""},
    {"possible_type_extensions/wrong_kind.graphql",
     "type Query { a: Int }\n"
     "scalar S\n"
     "extend type S { a: Int }\n"
     "extend input Query { a: Int }\n"
     "enum E { A }\n"
     "extend union E = Query\n"
     "",
     "2:1: Cannot extend non-object type \"S\".\n"
     "3:1: Cannot extend non-object type \"S\".\n"
     "1:14: Field \"Query.a\" can only be defined once.\n"
     "4:22: Field \"Query.a\" can only be defined once.\n"
     "1:1: Cannot extend non-input object type \"Query\".\n"
     "4:1: Cannot extend non-input object type \"Query\".\n"
     "5:1: Cannot extend non-union type \"E\".\n"
     "6:1: Cannot extend non-union type \"E\".\n"
     ""},
    {"known_argument_names_on_directives/custom.graphql",
     "directive @d(alpha: Int, beta: Int) on FIELD_DEFINITION\n"
     "type Query { a: Int @d(alpa: 1, gamma: 2, beta: 3) }\n"
     "",
     "2:24: Unknown argument \"alpa\" on directive \"@d\". Did you mean \"alpha\"?\n"
     "2:33: Unknown argument \"gamma\" on directive \"@d\".\n"
     ""},
    {"unique_argument_names/in_query_document.graphql",
     "type Query { a(x: Int): Int }\n"
     "query { a(x: 1, x: 2) }\n"
     "",
     "2:11: There can be only one argument named \"x\".\n"
     "2:17: There can be only one argument named \"x\".\n"
     ""},
    {"unique_input_field_names/nested.graphql",
     "directive @d(v: In) on FIELD_DEFINITION\n"
     "input In { x: In y: Int }\n"
     "type Query { a: Int @d(v: {x: {y: 1, y: 2}, x: {y: 3}}) }\n"
     "",
     "3:32: There can be only one input field named \"y\".\n"
     "3:38: There can be only one input field named \"y\".\n"
     "3:28: There can be only one input field named \"x\".\n"
     "3:45: There can be only one input field named \"x\".\n"
     ""},
    {"provided_required_arguments_on_directives/custom.graphql",
     "directive @d(a: Int!, b: [String!]!, c: Int! = 1, d: Int) on OBJECT\n"
     "type Query @d { a: Int }\n"
     "extend type Query @d(a: 1)\n"
     "",
     "2:12: Argument \"@d(a:)\" of type \"Int!\" is required, but it was not provided.\n"
     "2:12: Argument \"@d(b:)\" of type \"[String!]!\" is required, but it was not provided.\n"
     "2:12: The directive \"@d\" can only be used once at this location.\n"
     "3:19: The directive \"@d\" can only be used once at this location.\n"
     "3:19: Argument \"@d(b:)\" of type \"[String!]!\" is required, but it was not provided.\n"
     ""},
    {"valid document",
     "schema { query: Q }\n"
     "directive @d(a: Int!, b: String = \"x\") repeatable on OBJECT | FIELD_DEFINITION\n"
     "type Q @d(a: 1) @d(a: 2) { f(x: In = {a: 1, b: [1, 2]}): [String!]! @deprecated }\n"
     "input In { a: Int b: [Int] }\n"
     "extend type Q { g: ID @d(a: 3, b: \"y\") }\n"
     "scalar S @specifiedBy(url: \"https://example.com\")\n",
     ""},
};

/* Runs stage 1 on sdl and renders the errors as "L:C: message\n" lines. */
static void run(const char *sdl, gqlx_buf *out, size_t *count)
{
    gqlx_source src = gqlx_source_make("test", sdl, strlen(sdl));
    gqlx_arena arena, scratch;
    gqlx_arena_init(&arena, 0, 0);
    gqlx_arena_init(&scratch, 0, 0);
    gqlx_syntax_error err;
    gqlx_document *doc = gqlx_parse(&arena, &src, NULL, &err);
    assert_non_null(doc);
    gql_errors *errs = gqlx_errors_new();
    assert_non_null(errs);
    *count = gqlx_validate_sdl(doc, &src, &scratch, errs);
    assert_false(gqlx_arena_failed(&scratch));
    assert_int_equal(*count, gql_errors_count(errs));
    for (size_t i = 0; i < gql_errors_count(errs); i++) {
        const gql_location *locs;
        size_t n = gql_errors_locations(errs, i, &locs);
        for (size_t k = 0; k < n; k++)
            gqlx_buf_printf(out, "%u:%u: %s\n", locs[k].line, locs[k].column,
                            gql_errors_message(errs, i));
    }
    gql_errors_free(errs);
    gqlx_arena_free(&scratch);
    gqlx_arena_free(&arena);
}

static void test_cases(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        gqlx_buf out;
        gqlx_buf_init(&out, 0);
        size_t count;
        run(cases[i].sdl, &out, &count);
        const char *got = out.data ? out.data : "";
        if (strcmp(got, cases[i].expected) != 0)
            print_error("case %s:\n--- got\n%s--- expected\n%s", cases[i].name, got,
                        cases[i].expected);
        assert_string_equal(got, cases[i].expected);
        assert_true((count == 0) == (cases[i].expected[0] == '\0'));
        gqlx_buf_free(&out);
    }
}

/* Errors come in graphql-js's traversal order: the rules that fire at a
 * node run in rule-list order, then its children in QueryDocumentKeys
 * order. (Expected output taken from graphql-js 17.1.0.) */
static void test_order(void **state)
{
    (void)state;
    gqlx_buf out;
    gqlx_buf_init(&out, 0);
    size_t count;
    /* The type-level rules fire when entering the type, before its
     * children; the required-argument check when leaving a directive; the
     * duplicate type name is found only at the second definition. */
    run("directive @d(r: Int!) on OBJECT\n"
        "type T implements X @d @d { a: Int a: Y }\n"
        "type T { b: Int }\n",
        &out, &count);
    assert_string_equal(out.data,
                        "2:29: Field \"T.a\" can only be defined once.\n"
                        "2:36: Field \"T.a\" can only be defined once.\n"
                        "2:21: The directive \"@d\" can only be used once at this location.\n"
                        "2:24: The directive \"@d\" can only be used once at this location.\n"
                        "2:19: Unknown type \"X\". Did you mean \"T\"?\n"
                        "2:21: Argument \"@d(r:)\" of type \"Int!\" is required, but it was not "
                        "provided.\n"
                        "2:24: Argument \"@d(r:)\" of type \"Int!\" is required, but it was not "
                        "provided.\n"
                        "2:39: Unknown type \"Y\". Did you mean \"T\"?\n"
                        "2:6: There can be only one type named \"T\".\n"
                        "3:6: There can be only one type named \"T\".\n");
    gqlx_buf_free(&out);
}

/* Many duplicates stay linear: 20,000 repeated enum values. */
static void test_many_duplicates(void **state)
{
    (void)state;
    gqlx_buf sdl;
    gqlx_buf_init(&sdl, 0);
    gqlx_buf_append_cstr(&sdl, "type Query { e: E }\nenum E {");
    for (int i = 0; i < 20000; i++)
        gqlx_buf_printf(&sdl, " V%d", i % 2);
    gqlx_buf_append_cstr(&sdl, " }\n");
    gqlx_buf out;
    gqlx_buf_init(&out, 0);
    size_t count;
    run(sdl.data, &out, &count);
    assert_int_equal(count, 19998);
    gqlx_buf_free(&out);
    gqlx_buf_free(&sdl);
}

/* A scratch arena with a tiny cap fails cleanly: no crash, failure flag set. */
static void test_out_of_memory(void **state)
{
    (void)state;
    const char *sdl = cases[7].sdl;
    gqlx_source src = gqlx_source_make("test", sdl, strlen(sdl));
    gqlx_arena arena, scratch;
    gqlx_arena_init(&arena, 0, 0);
    gqlx_syntax_error err;
    gqlx_document *doc = gqlx_parse(&arena, &src, NULL, &err);
    assert_non_null(doc);
    for (size_t cap = 1; cap < 40000; cap = cap * 2 + 1) {
        gqlx_arena_init(&scratch, 1024, cap);
        gql_errors *errs = gqlx_errors_new();
        size_t n = gqlx_validate_sdl(doc, &src, &scratch, errs);
        assert_true(gqlx_arena_failed(&scratch) || n == 7);
        gql_errors_free(errs);
        gqlx_arena_free(&scratch);
    }
    gqlx_arena_free(&arena);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_order),
        cmocka_unit_test(test_many_duplicates),
        cmocka_unit_test(test_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
