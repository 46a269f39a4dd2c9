/* tests/unit/types/test_validate_schema.c — stage 2 of schema checking
 * (types/validate_schema.c): graphql-js's validateSchema() on built
 * schemas.
 *
 * Table-driven through the public builder (gql_schema_build runs stage 1,
 * builds, then runs stage 2): each case is an SDL text that passes stage 1
 * and the errors graphql-js 17.1.0 reports for it, one "LINE:COLUMN:
 * message" line per location, in graphql-js's order. The texts are copies
 * of files under tests/data/schema/invalid/. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/errors.h"
#include "gql/schema.h"
#include "gql/status.h"
#include "types/build_schema.h"
#include "types/schema_validate.h"

typedef struct schema_case {
    const char *name;
    const char *sdl;
    const char *expected;
} schema_case;

static const schema_case cases[] = {
    {"root_types/non_object_roots.graphql",
     "input I { a: Int }\n"
     "union U = Q\n"
     "type Q { a: Int }\n"
     "schema { query: I mutation: U subscription: Q }\n"
     "",
     "4:17: Query root type must be Object type, it cannot be I.\n"
     "4:29: Mutation root type must be Object type if provided, it cannot be U.\n"
     ""},
    {"root_types/same_root_type.graphql",
     "type Query { a: Int }\n"
     "schema { query: Query mutation: Query subscription: Query }\n"
     "",
     "2:17: All root types must be different, \"Query\" type is used as query, mutation, and "
     "subscription root types.\n"
     "2:33: All root types must be different, \"Query\" type is used as query, mutation, and "
     "subscription root types.\n"
     "2:53: All root types must be different, \"Query\" type is used as query, mutation, and "
     "subscription root types.\n"
     ""},
    {"directive_definitions/deprecated_required_arg.graphql",
     "type Query { a: Int }\n"
     "directive @d(a: Int! @deprecated, b: Int! = 1 @deprecated, c: Int @deprecated(reason: "
     "\"x\")) on FIELD\n"
     "",
     "2:22: Required argument @d(a:) cannot be deprecated.\n"
     "2:17: Required argument @d(a:) cannot be deprecated.\n"
     ""},
    {"reserved_names/field_and_arg_names.graphql",
     "type Query { __a: Int b(__x: Int): Int }\n"
     "input In { __f: Int }\n"
     "type O { a(i: In): Int }\n"
     "",
     "1:14: Name \"__a\" must not begin with \"__\", which is reserved by GraphQL introspection.\n"
     "1:25: Name \"__x\" must not begin with \"__\", which is reserved by GraphQL introspection.\n"
     "2:12: Name \"__f\" must not begin with \"__\", which is reserved by GraphQL introspection.\n"
     ""},
    {"object_fields/no_fields.graphql",
     "type Query\n"
     "type Empty\n"
     "extend type Empty @deprecated\n"
     "type U { e: Empty }\n"
     "extend type Query { u: U }\n"
     "",
     "3:19: Directive \"@deprecated\" may not be used on OBJECT.\n"
     ""},
    {"interface_implementation/args.graphql",
     "interface I { f(a: Int, b: String!): Int }\n"
     "type Query implements I { f(a: Int!, c: Int!, d: Int, e: Int! = 1): Int }\n"
     "",
     "1:20: Interface field argument I.f(a:) expects type Int but Query.f(a:) is type Int!.\n"
     "2:32: Interface field argument I.f(a:) expects type Int but Query.f(a:) is type Int!.\n"
     "1:25: Interface field argument I.f(b:) expected but Query.f does not provide it.\n"
     "2:27: Interface field argument I.f(b:) expected but Query.f does not provide it.\n"
     "2:38: Argument \"Query.f(c:)\" must not be required type \"Int!\" if not provided by the "
     "Interface field \"I.f\".\n"
     "1:15: Argument \"Query.f(c:)\" must not be required type \"Int!\" if not provided by the "
     "Interface field \"I.f\".\n"
     ""},
    {"interface_implementation/circular.graphql",
     "interface A implements B { a: Int }\n"
     "interface B implements A { a: Int }\n"
     "type Query { a: A }\n"
     "interface C implements C { a: Int }\n"
     "",
     "2:24: Type A cannot implement B because it would create a circular reference.\n"
     "1:24: Type A cannot implement B because it would create a circular reference.\n"
     "1:24: Type B cannot implement A because it would create a circular reference.\n"
     "2:24: Type B cannot implement A because it would create a circular reference.\n"
     "4:24: Type C cannot implement itself because it would create a circular reference.\n"
     ""},
    {"union_members/non_object.graphql",
     "type Query { u: U }\n"
     "interface I { a: Int }\n"
     "union U = Query | I | String\n"
     "",
     "3:19: Union type U can only include Object types, it cannot include I.\n"
     "3:23: Union type U can only include Object types, it cannot include String.\n"
     ""},
    {"enum_values/empty_with_extension.graphql",
     "type Query { e: E }\n"
     "enum E\n"
     "extend enum E @deprecated\n"
     "",
     "3:15: Directive \"@deprecated\" may not be used on ENUM.\n"
     ""},
    {"input_fields/deprecated_required.graphql",
     "type Query { a(i: I): Int }\n"
     "input I { x: Int! @deprecated y: Int! = 1 @deprecated z: Int @deprecated }\n"
     "",
     "2:19: Required input field I.x cannot be deprecated.\n"
     "2:14: Required input field I.x cannot be deprecated.\n"
     ""},
    {"one_of/both.graphql",
     "type Query { a(i: I): Int }\n"
     "input I @oneOf { a: Int! = 1 }\n"
     "",
     "2:21: OneOf input field I.a must be nullable.\n"
     "2:18: OneOf input field I.a cannot have a default value.\n"
     ""},
    {"input_object_cycles/oneof_cycle.graphql",
     "type Query { a(i: O): Int }\n"
     "input O @oneOf { o: O p: P }\n"
     "input P @oneOf { o: O }\n"
     "",
     "2:18: Input Object O cannot be provided a finite value because it references itself through "
     "fields: O.o.\n"
     "2:23: Input Object O cannot be provided a finite value because it references itself through "
     "fields: O.p, P.o.\n"
     "3:18: Input Object O cannot be provided a finite value because it references itself through "
     "fields: O.p, P.o.\n"
     ""},
    {"default_values/input_objects.graphql",
     "input P { x: Int! y: Int = 1 name: String }\n"
     "type Query { f(a: P = {y: 2}, b: P = 3, c: P = {x: 1, nme: \"n\", zzz: 1}, d: [P] = [{x: "
     "\"no\"}]): Int }\n"
     "",
     "2:23: Query.f(a:) has invalid default value: Expected value of type \"P\" to include "
     "required field \"x\", found: { y: 2 }.\n"
     "2:38: Query.f(b:) has invalid default value: Expected value of type \"P\" to be an object, "
     "found: 3.\n"
     "2:55: Query.f(c:) has invalid default value: Expected value of type \"P\" not to include "
     "unknown field \"nme\". Did you mean \"name\"? Found: { x: 1, nme: \"n\", zzz: 1 }.\n"
     "2:65: Query.f(c:) has invalid default value: Expected value of type \"P\" not to include "
     "unknown field \"zzz\", found: { x: 1, nme: \"n\", zzz: 1 }.\n"
     "2:88: Query.f(d:) has invalid default value at [0].x: Int cannot represent non-integer "
     "value: \"no\"\n"
     ""},
    {"default_values/long_printed_value.graphql",
     "input P { x: Int! aaaaaaaaaa: String bbbbbbbbbbbbb: String cccccccccccc: String }\n"
     "type Query { f(a: P = {aaaaaaaaaa: \"aaaaaaaaaaaaaaaaaaaa\", bbbbbbbbbbbbb: "
     "\"bbbbbbbbbbbbbbbbbbbbbbb\", cccccccccccc: \"c\"}): Int }\n"
     "",
     "2:23: Query.f(a:) has invalid default value: Expected value of type \"P\" to include "
     "required field \"x\", found: {\n"
     "  aaaaaaaaaa: \"aaaaaaaaaaaaaaaaaaaa\"\n"
     "  bbbbbbbbbbbbb: \"bbbbbbbbbbbbbbbbbbbbbbb\"\n"
     "  cccccccccccc: \"c\"\n"
     "}.\n"
     ""},
    {"default_value_cycles/via_list.graphql",
     "type Query { f(a: A): Int }\n"
     "input A { b: [B] = [{}] }\n"
     "input B { a: A = {b: [{a: {}}]} c: C = {} }\n"
     "input C { c: C = {} }\n"
     "",
     "2:20: Invalid circular reference. The default value of Input Object field A.b references "
     "itself via the default values of: B.a.\n"
     "3:18: Invalid circular reference. The default value of Input Object field A.b references "
     "itself via the default values of: B.a.\n"
     "4:18: Invalid circular reference. The default value of Input Object field C.c references "
     "itself.\n"
     ""},
};

static void render(const gql_errors *errs, gqlx_buf *out)
{
    for (size_t i = 0; i < gql_errors_count(errs); i++) {
        const gql_location *locs;
        size_t n = gql_errors_locations(errs, i, &locs);
        if (n == 0)
            gqlx_buf_printf(out, "%s\n", gql_errors_message(errs, i));
        for (size_t k = 0; k < n; k++)
            gqlx_buf_printf(out, "%u:%u: %s\n", locs[k].line, locs[k].column,
                            gql_errors_message(errs, i));
    }
}

static void test_cases(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        gql_schema_opts opts;
        gql_schema_opts_init(&opts);
        gql_schema *schema = NULL;
        gql_errors *errs = NULL;
        int rc = gql_schema_build(&schema, cases[i].sdl, strlen(cases[i].sdl), &opts, &errs);
        assert_int_equal(rc, GQL_ESCHEMA);
        assert_null(schema);
        gqlx_buf out;
        gqlx_buf_init(&out, 0);
        render(errs, &out);
        const char *got = out.data ? out.data : "";
        if (strcmp(got, cases[i].expected) != 0)
            print_error("case %s:\n--- got\n%s--- expected\n%s", cases[i].name, got,
                        cases[i].expected);
        assert_string_equal(got, cases[i].expected);
        gqlx_buf_free(&out);
        gql_errors_free(errs);
    }
}

/* "Query root type must be provided." has no location when there is no
 * schema definition (graphql-js: schema.astNode is undefined). */
static void test_missing_query(void **state)
{
    (void)state;
    const char *sdl = "type Foo { a: Int }\n";
    gql_schema_opts opts;
    gql_schema_opts_init(&opts);
    gql_schema *schema = NULL;
    gql_errors *errs = NULL;
    assert_int_equal(gql_schema_build(&schema, sdl, strlen(sdl), &opts, &errs), GQL_ESCHEMA);
    assert_int_equal(gql_errors_count(errs), 1);
    const gql_location *locs;
    assert_int_equal(gql_errors_locations(errs, 0, &locs), 0);
    assert_string_equal(gql_errors_message(errs, 0), "Query root type must be provided.");
    gql_errors_free(errs);
}

/* Stage 2 called directly on a schema built without checks: the count it
 * returns equals the errors appended; a valid schema gives 0. */
static void test_direct_call(void **state)
{
    (void)state;
    static const struct {
        const char *sdl;
        size_t errors;
    } docs[] = {
        {"type Query { a: Int }\ninput A { b: B! }\ninput B { a: A! }\n", 1},
        {"type Query implements I { a: Int }\ninterface I { a: Int b: Int }\n", 1},
        {"type Query { a(x: Int = 1, y: [String!] = [\"a\"]): Int }\n", 0},
    };
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        gqlx_build_opts opts;
        memset(&opts, 0, sizeof opts);
        gqlx_parse_opts_init(&opts.parse);
        opts.assume_valid = true;
        gqlx_schema *s = NULL;
        gql_errors *errs = gqlx_errors_new();
        assert_int_equal(gqlx_schema_build(&s, docs[i].sdl, strlen(docs[i].sdl), "t", &opts, errs),
                         GQL_OK);
        gqlx_arena scratch;
        gqlx_arena_init(&scratch, 0, 0);
        size_t n = gqlx_validate_schema(s, &s->source, &scratch, errs);
        assert_false(gqlx_arena_failed(&scratch));
        assert_int_equal(n, docs[i].errors);
        assert_int_equal(gql_errors_count(errs), docs[i].errors);
        gqlx_arena_free(&scratch);
        gql_errors_free(errs);
        gqlx_schema_free(s);
    }
}

/* Long chains stay within bounds: 3,000 input objects in a non-null
 * cycle give one error per field on the cycle, found without deep
 * exponential search. */
static void test_long_cycle(void **state)
{
    (void)state;
    gqlx_buf sdl;
    gqlx_buf_init(&sdl, 0);
    gqlx_buf_append_cstr(&sdl, "type Query { a(i: I0): Int }\n");
    for (int i = 0; i < 3000; i++)
        gqlx_buf_printf(&sdl, "input I%d { next: I%d! }\n", i, (i + 1) % 3000);
    gql_schema_opts opts;
    gql_schema_opts_init(&opts);
    gql_schema *schema = NULL;
    gql_errors *errs = NULL;
    assert_int_equal(gql_schema_build(&schema, sdl.data, sdl.len, &opts, &errs), GQL_ESCHEMA);
    assert_int_equal(gql_errors_count(errs), 1);
    const gql_location *locs;
    assert_int_equal(gql_errors_locations(errs, 0, &locs), 3000);
    gql_errors_free(errs);
    gqlx_buf_free(&sdl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_missing_query),
        cmocka_unit_test(test_direct_call),
        cmocka_unit_test(test_long_cycle),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
