/* tests/unit/execution/test_values.c — the coercion layer (execution/values.h,
 * execution/scalars.c): every built-in scalar's input coercion from JSON
 * (parseValue) and from literals (parseLiteral) and its output coercion
 * (serialize), then whole values: lists, nested input objects, defaults,
 * @oneOf, variables with their error reports and limit, and arguments.
 *
 * The expected values and messages of the tables are what graphql-js
 * 17.1.0 returns for the same input (generated once with node and pasted);
 * the differential test tests/diff/coercion.test.mjs checks whole requests
 * against graphql-js on every run. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/errors.h"
#include "core/json.h"
#include "execution/values.h"
#include "gql/status.h"
#include "language/parser.h"
#include "types/build_schema.h"

static const char sdl[] = "scalar JSON\n"
                          "enum Color { RED GREEN BLUE }\n"
                          "input Point { x: Int! y: Int = 0 label: String }\n"
                          "input Box { a: Point! b: [Point] = [{x: 1}] c: Color = BLUE }\n"
                          "input One @oneOf { i: Int s: String p: Point }\n"
                          "type Query {\n"
                          "  f(x: Int!, y: String = \"d\", z: [Int], p: Point, o: One): Int\n"
                          "  g(a: Float, b: Boolean, c: ID, j: JSON): Int\n"
                          "}\n"
                          "directive @d(n: Int = 3, m: Color!) on FIELD\n";

static gqlx_schema *schema;

static int setup(void **state)
{
    (void)state;
    gqlx_build_opts bo;
    memset(&bo, 0, sizeof bo);
    gqlx_parse_opts_init(&bo.parse);
    return gqlx_schema_build(&schema, sdl, strlen(sdl), "schema", &bo, NULL) == GQL_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    gqlx_schema_free(schema);
    return 0;
}

static const gqlx_type *type_named(const char *name)
{
    const gqlx_type *t = gqlx_schema_type(schema, name, strlen(name));
    assert_non_null(t);
    return t;
}

/* The compact JSON text of v, in arena memory. */
static const char *json_text(gqlx_arena *a, const gqlx_json *v)
{
    gqlx_buf b;
    gqlx_buf_init(&b, 0);
    assert_int_equal(gqlx_json_write_value(&b, v, 0), GQL_OK);
    char *s = gqlx_arena_strndup(a, b.data, b.len);
    gqlx_buf_free(&b);
    return s;
}

static gqlx_json *parse_json(gqlx_arena *a, const char *text)
{
    gqlx_json *v;
    assert_int_equal(gqlx_json_parse(a, text, strlen(text), NULL, &v, NULL), GQL_OK);
    return v;
}

static const gqlx_node *parse_literal(gqlx_arena *a, const char *text)
{
    gqlx_source *src = GQLX_NEW(a, gqlx_source);
    *src = gqlx_source_make("literal", text, strlen(text));
    gqlx_node *n = gqlx_parse_value(a, src, NULL, false, NULL);
    assert_non_null(n);
    return n;
}

static const gqlx_type_ref *parse_type_ref(gqlx_arena *a, const char *text)
{
    gqlx_source *src = GQLX_NEW(a, gqlx_source);
    *src = gqlx_source_make("type", text, strlen(text));
    gqlx_node *n = gqlx_parse_type(a, src, NULL, NULL);
    assert_non_null(n);
    const gqlx_type_ref *t = gqlx_type_ref_from_ast(a, schema, n);
    assert_non_null(t);
    return t;
}

/* One row: type name, input (JSON text or literal), expected JSON text of
 * the result (NULL when an error is expected), expected message. */
typedef struct leaf_case {
    const char *type;
    const char *input;
    const char *value;
    const char *message;
} leaf_case;

static const leaf_case parse_value_cases[] = {
    {"Int", "1", "1", NULL},
    {"Int", "-0", "0", NULL},
    {"Int", "1.0", "1", NULL},
    {"Int", "1e0", "1", NULL},
    {"Int", "1.5", NULL, "Int cannot represent non-integer value: 1.5"},
    {"Int", "2147483647", "2147483647", NULL},
    {"Int", "2147483648", NULL, "Int cannot represent non 32-bit signed integer value: 2147483648"},
    {"Int", "-2147483648", "-2147483648", NULL},
    {"Int", "-2147483649", NULL,
     "Int cannot represent non 32-bit signed integer value: -2147483649"},
    {"Int", "1e100", NULL, "Int cannot represent non 32-bit signed integer value: 1e+100"},
    {"Int", "1e400", NULL, "Int cannot represent non-integer value: Infinity"},
    {"Int", "\"1\"", NULL, "Int cannot represent non-integer value: \"1\""},
    {"Int", "true", NULL, "Int cannot represent non-integer value: true"},
    {"Int", "null", NULL, "Int cannot represent non-integer value: null"},
    {"Int", "[1,2]", NULL, "Int cannot represent non-integer value: [1, 2]"},
    {"Int", "{\"a\":[{\"b\":1}]}", NULL,
     "Int cannot represent non-integer value: { a: [[Object]] }"},
    {"Float", "1", "1", NULL},
    {"Float", "-1.5e-7", "-1.5e-7", NULL},
    {"Float", "1e400", NULL, "Float cannot represent non numeric value: Infinity"},
    {"Float", "\"1.5\"", NULL, "Float cannot represent non numeric value: \"1.5\""},
    {"Float", "false", NULL, "Float cannot represent non numeric value: false"},
    {"String", "\"a\\\"b\\u0000\"", "\"a\\\"b\\u0000\"", NULL},
    {"String", "1", NULL, "String cannot represent a non string value: 1"},
    {"String", "[\"a\"]", NULL, "String cannot represent a non string value: [\"a\"]"},
    {"String", "{}", NULL, "String cannot represent a non string value: {}"},
    {"Boolean", "true", "true", NULL},
    {"Boolean", "0", NULL, "Boolean cannot represent a non boolean value: 0"},
    {"Boolean", "\"false\"", NULL, "Boolean cannot represent a non boolean value: \"false\""},
    {"ID", "\"x\"", "\"x\"", NULL},
    {"ID", "42", "\"42\"", NULL},
    {"ID", "-0", "\"0\"", NULL},
    {"ID", "1e21", "\"1e+21\"", NULL},
    {"ID", "1.5", NULL, "ID cannot represent value: 1.5"},
    {"ID", "false", NULL, "ID cannot represent value: false"},
    {"ID", "123456789012345678901", "\"123456789012345680000\"", NULL},
    {"Color", "\"RED\"", "\"RED\"", NULL},
    {"Color", "\"red\"", NULL,
     "Value \"red\" does not exist in \"Color\" enum. Did you mean the enum value \"RED\"?"},
    {"Color", "\"BLU\"", NULL,
     "Value \"BLU\" does not exist in \"Color\" enum. Did you mean the enum value \"BLUE\"?"},
    {"Color", "1", NULL, "Enum \"Color\" cannot represent non-string value: 1."},
    {"Color", "\"\\\"RED\\\"\"", NULL,
     "Value \"\"RED\"\" does not exist in \"Color\" enum. Did you mean the enum value \"RED\" or "
     "\"GREEN\"?"},
    {"Color", "[\"RED\"]", NULL, "Enum \"Color\" cannot represent non-string value: [\"RED\"]."},
    {"JSON", "{\"b\":[1,null],\"a\":\"x\"}", "{\"b\":[1,null],\"a\":\"x\"}", NULL},
    {"JSON", "12", "12", NULL},
};

static const leaf_case parse_literal_cases[] = {
    {"Int", "1", "1", NULL},
    {"Int", "-0", "0", NULL},
    {"Int", "2147483647", "2147483647", NULL},
    {"Int", "2147483648", NULL, "Int cannot represent non 32-bit signed integer value: 2147483648"},
    {"Int", "-2147483649", NULL,
     "Int cannot represent non 32-bit signed integer value: -2147483649"},
    {"Int", "99999999999999999999999", NULL,
     "Int cannot represent non 32-bit signed integer value: 99999999999999999999999"},
    {"Int", "1.0", NULL, "Int cannot represent non-integer value: 1.0"},
    {"Int", "1e0", NULL, "Int cannot represent non-integer value: 1e0"},
    {"Int", "\"1\"", NULL, "Int cannot represent non-integer value: \"1\""},
    {"Int", "true", NULL, "Int cannot represent non-integer value: true"},
    {"Int", "null", NULL, "Int cannot represent non-integer value: null"},
    {"Int", "RED", NULL, "Int cannot represent non-integer value: RED"},
    {"Int", "[1]", NULL, "Int cannot represent non-integer value: [1]"},
    {"Int", "{a: 1}", NULL, "Int cannot represent non-integer value: { a: 1 }"},
    {"Int", "\"\"\"x\"\"\"", NULL, "Int cannot represent non-integer value: \"\"\"x\"\"\""},
    {"Float", "1", "1", NULL},
    {"Float", "1e0", "1", NULL},
    {"Float", "-1.5e-7", "-1.5e-7", NULL},
    {"Float", "1e400", "null", NULL},
    {"Float", "\"1.5\"", NULL, "Float cannot represent non numeric value: \"1.5\""},
    {"Float", "[1.5]", NULL, "Float cannot represent non numeric value: [1.5]"},
    {"String", "\"a\\nb\\u00e9\"", "\"a\\nbé\"", NULL},
    {"String", "\"\"\"  block\n    text\"\"\"", "\"  block\\ntext\"", NULL},
    {"String", "1", NULL, "String cannot represent a non string value: 1"},
    {"String", "RED", NULL, "String cannot represent a non string value: RED"},
    {"Boolean", "false", "false", NULL},
    {"Boolean", "1", NULL, "Boolean cannot represent a non boolean value: 1"},
    {"Boolean", "\"true\"", NULL, "Boolean cannot represent a non boolean value: \"true\""},
    {"ID", "\"x\"", "\"x\"", NULL},
    {"ID", "7", "\"7\"", NULL},
    {"ID", "-12", "\"-12\"", NULL},
    {"ID", "1.5", NULL, "ID cannot represent a non-string and non-integer value: 1.5"},
    {"ID", "true", NULL, "ID cannot represent a non-string and non-integer value: true"},
    {"ID", "ID", NULL, "ID cannot represent a non-string and non-integer value: ID"},
    {"Color", "GREEN", "\"GREEN\"", NULL},
    {"Color", "GREN", NULL,
     "Value \"GREN\" does not exist in \"Color\" enum. Did you mean the enum value \"GREEN\" or "
     "\"RED\"?"},
    {"Color", "\"GREEN\"", NULL,
     "Enum \"Color\" cannot represent non-enum value: \"GREEN\". Did you mean the enum value "
     "\"GREEN\"?"},
    {"Color", "green", NULL,
     "Value \"green\" does not exist in \"Color\" enum. Did you mean the enum value \"GREEN\" or "
     "\"RED\"?"},
    {"Color", "1", NULL, "Enum \"Color\" cannot represent non-enum value: 1."},
    {"Color", "[RED]", NULL,
     "Enum \"Color\" cannot represent non-enum value: [RED]. Did you mean the enum value \"RED\" "
     "or \"GREEN\"?"},
    {"JSON", "{b: [1, 2.5, null], a: X, c: \"s\", b2: 123456789012345678901}",
     "{\"b\":[1,2.5,null],\"a\":\"X\",\"c\":\"s\",\"b2\":123456789012345680000}", NULL},
    {"JSON", "1e400", "null", NULL},
};

static const leaf_case serialize_cases[] = {
    {"Int", "true", "1", NULL},
    {"Int", "false", "0", NULL},
    {"Int", "\"12\"", "12", NULL},
    {"Int", "1.5", NULL, "Int cannot represent non-integer value: 1.5"},
    {"Int", "1e3", "1000", NULL},
    {"Int", "\" 0x1F \"", "31", NULL},
    {"Int", "\"\"", NULL, "Int cannot represent non-integer value: \"\""},
    {"Int", "\"  \"", "0", NULL},
    {"Int", "\"1.5\"", NULL, "Int cannot represent non-integer value: \"1.5\""},
    {"Int", "\"3e9\"", NULL, "Int cannot represent non 32-bit signed integer value: \"3e9\""},
    {"Int", "2147483648", NULL, "Int cannot represent non 32-bit signed integer value: 2147483648"},
    {"Int", "-0", "0", NULL},
    {"Int", "null", NULL, "Int cannot represent non-integer value: null"},
    {"Int", "[1]", NULL, "Int cannot represent non-integer value: [1]"},
    {"Int", "{}", NULL, "Int cannot represent non-integer value: {}"},
    {"Int", "\"0b11\"", "3", NULL},
    {"Int", "\"-0x1\"", NULL, "Int cannot represent non-integer value: \"-0x1\""},
    {"Int", "\"Infinity\"", NULL, "Int cannot represent non-integer value: \"Infinity\""},
    {"Int", "\"1_0\"", NULL, "Int cannot represent non-integer value: \"1_0\""},
    {"Int", "\".5e1\"", "5", NULL},
    {"Int", "\"5.\"", "5", NULL},
    {"Int", "\"\\u00a012\\u2028\"", "12", NULL},
    {"Float", "true", "1", NULL},
    {"Float", "\"1.5\"", "1.5", NULL},
    {"Float", "\"abc\"", NULL, "Float cannot represent non numeric value: \"abc\""},
    {"Float", "1e400", NULL, "Float cannot represent non numeric value: Infinity"},
    {"Float", "\"1e400\"", NULL, "Float cannot represent non numeric value: \"1e400\""},
    {"Float", "\"\"", NULL, "Float cannot represent non numeric value: \"\""},
    {"Float", "[]", NULL, "Float cannot represent non numeric value: []"},
    {"Float", "\"-Infinity\"", NULL, "Float cannot represent non numeric value: \"-Infinity\""},
    {"Float", "\"+.5\"", "0.5", NULL},
    /* Number("0x...") rounds the exact value once, like any other text. */
    {"Float", "\"0x1000000000000081\"", "1152921504606847200", NULL},
    {"Float", "\"0x20000000000001ff\"", "2305843009213694500", NULL},
    {"Float", "\"0o7777777777777777777777777777\"", "1.9342813113834067e+25", NULL},
    {"Float", "\"0b111111111111111111111111111111111111111111111111111111\"", "18014398509481984",
     NULL},
    {"Float",
     "\"0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
     "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
     "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
     "ffffffffffffffffffffffffffff\"",
     NULL,
     "Float cannot represent non numeric value: "
     "\"0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
     "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
     "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
     "ffffffffffffffffffffffffffff\""},
    {"Int", "\"0x\"", NULL, "Int cannot represent non-integer value: \"0x\""},
    {"Int", "\"0xg\"", NULL, "Int cannot represent non-integer value: \"0xg\""},
    {"Int", "\"0b12\"", NULL, "Int cannot represent non-integer value: \"0b12\""},
    {"String", "true", "\"true\"", NULL},
    {"String", "1.5", "\"1.5\"", NULL},
    {"String", "1e21", "\"1e+21\"", NULL},
    {"String", "1e-7", "\"1e-7\"", NULL},
    {"String", "-0", "\"0\"", NULL},
    {"String", "\"x\"", "\"x\"", NULL},
    {"String", "null", NULL, "String cannot represent value: null"},
    {"String", "[1,\"a\"]", NULL, "String cannot represent value: [1, \"a\"]"},
    {"String", "{\"a\":{\"b\":{\"c\":1}}}", NULL,
     "String cannot represent value: { a: { b: [Object] } }"},
    {"String", "1e400", NULL, "String cannot represent value: Infinity"},
    {"Boolean", "0", "false", NULL},
    {"Boolean", "-0.5", "true", NULL},
    {"Boolean", "\"true\"", NULL, "Boolean cannot represent a non boolean value: \"true\""},
    {"Boolean", "1e400", NULL, "Boolean cannot represent a non boolean value: Infinity"},
    {"Boolean", "false", "false", NULL},
    {"ID", "123", "\"123\"", NULL},
    {"ID", "-0", "\"0\"", NULL},
    {"ID", "1.5", NULL, "ID cannot represent value: 1.5"},
    {"ID", "\"abc\"", "\"abc\"", NULL},
    {"ID", "true", NULL, "ID cannot represent value: true"},
    {"ID", "1e21", "\"1e+21\"", NULL},
    {"ID", "{\"1\":1,\"a\":2,\"0\":3}", NULL, "ID cannot represent value: { 0: 3, 1: 1, a: 2 }"},
    {"Color", "\"RED\"", "\"RED\"", NULL},
    {"Color", "\"PINK\"", NULL, "Enum \"Color\" cannot represent value: \"PINK\""},
    {"Color", "1", NULL, "Enum \"Color\" cannot represent value: 1"},
    {"JSON", "{\"z\":[1,true]}", "{\"z\":[1,true]}", NULL},
};

enum { PARSE_VALUE, PARSE_LITERAL, SERIALIZE };

static void run_leaf_cases(const leaf_case *cases, size_t n, int mode)
{
    for (size_t i = 0; i < n; i++) {
        const leaf_case *c = &cases[i];
        gqlx_arena a;
        gqlx_arena_init(&a, 0, 0);
        gqlx_buf msg;
        gqlx_buf_init(&msg, 0);
        const gqlx_type *t = type_named(c->type);
        gqlx_json out;
        int rc;
        if (mode == PARSE_LITERAL)
            rc = gqlx_leaf_coerce_literal(&a, t, parse_literal(&a, c->input), NULL, &out, &msg,
                                          false);
        else if (mode == PARSE_VALUE)
            rc = gqlx_leaf_coerce_input(&a, t, parse_json(&a, c->input), &out, &msg, false);
        else
            rc = gqlx_serialize_scalar(&a, t, parse_json(&a, c->input), &out, &msg);
        if (c->value != NULL) {
            if (rc != GQL_OK)
                fail_msg("%s %s: unexpected error %s", c->type, c->input, msg.data);
            assert_string_equal(json_text(&a, &out), c->value);
        } else {
            if (rc != GQL_EINVAL)
                fail_msg("%s %s: accepted as %s", c->type, c->input, json_text(&a, &out));
            assert_string_equal(msg.data, c->message);
        }
        gqlx_buf_free(&msg);
        gqlx_arena_free(&a);
    }
}

static void test_parse_value(void **state)
{
    (void)state;
    run_leaf_cases(parse_value_cases, sizeof parse_value_cases / sizeof *parse_value_cases,
                   PARSE_VALUE);
}

static void test_parse_literal(void **state)
{
    (void)state;
    run_leaf_cases(parse_literal_cases, sizeof parse_literal_cases / sizeof *parse_literal_cases,
                   PARSE_LITERAL);
}

static void test_serialize(void **state)
{
    (void)state;
    run_leaf_cases(serialize_cases, sizeof serialize_cases / sizeof *serialize_cases, SERIALIZE);
}

/* Int keeps its exact integer form, Float its double. */
static void test_number_representation(void **state)
{
    (void)state;
    gqlx_arena a;
    gqlx_arena_init(&a, 0, 0);
    gqlx_json out;
    assert_int_equal(gqlx_leaf_coerce_input(&a, type_named("Int"), parse_json(&a, "-2147483648"),
                                            &out, NULL, false),
                     GQL_OK);
    assert_int_equal(out.kind, GQLX_JSON_NUMBER);
    assert_true(out.flags & GQLX_JSON_INT64);
    assert_true(out.i64 == INT64_C(-2147483648));
    assert_int_equal(gqlx_leaf_coerce_literal(&a, type_named("Float"), parse_literal(&a, "1e0"),
                                              NULL, &out, NULL, false),
                     GQL_OK);
    assert_int_equal(out.kind, GQLX_JSON_NUMBER);
    assert_true(out.d == 1.0);
    gqlx_buf b;
    gqlx_buf_init(&b, 0);
    gqlx_inspect_json(&b, parse_json(&a, "[1,2,3,4,5,6,7,8,9,10,11]"));
    assert_string_equal(b.data, "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, ... 1 more item]");
    gqlx_buf_free(&b);
    gqlx_arena_free(&a);
}

/* Whole values from JSON against type references. */
typedef struct value_case {
    const char *type;
    const char *input; /* NULL: not provided */
    const char *value; /* NULL: invalid */
} value_case;

static const value_case input_value_cases[] = {
    {"Int", NULL, NULL},
    {"Int", "null", "null"},
    {"Int!", "null", NULL},
    {"[Int]", "1", "[1]"},
    {"[Int]", "[1,null,3]", "[1,null,3]"},
    {"[Int!]", "[1,null]", NULL},
    {"[[Int]]", "1", "[[1]]"},
    {"[[Int]]", "[1,[2,3],null]", "[[1],[2,3],null]"},
    {"[[Int]]", "[[1.5]]", NULL},
    {"[Int]!", "[]", "[]"},
    {"Point", "{\"x\":1}", "{\"x\":1,\"y\":0}"},
    {"Point", "{\"x\":1,\"y\":null,\"label\":\"l\"}", "{\"x\":1,\"y\":null,\"label\":\"l\"}"},
    {"Point", "{\"y\":1}", NULL},
    {"Point", "{\"x\":1,\"z\":1}", NULL},
    {"Point", "[{\"x\":1}]", NULL},
    {"Box", "{\"a\":{\"x\":2}}",
     "{\"a\":{\"x\":2,\"y\":0},\"b\":[{\"x\":1,\"y\":0}],\"c\":\"BLUE\"}"},
    {"Box", "{\"a\":{\"x\":2},\"b\":{\"x\":3},\"c\":\"RED\"}",
     "{\"a\":{\"x\":2,\"y\":0},\"b\":[{\"x\":3,\"y\":0}],\"c\":\"RED\"}"},
    {"Box", "{\"a\":{\"x\":2},\"c\":\"PINK\"}", NULL},
    {"One", "{\"i\":1}", "{\"i\":1}"},
    {"One", "{\"p\":{\"x\":1}}", "{\"p\":{\"x\":1,\"y\":0}}"},
    {"One", "{}", NULL},
    {"One", "{\"i\":null}", NULL},
    {"One", "{\"i\":1,\"s\":\"a\"}", NULL},
    {"One", "{\"i\":1,\"s\":null}", NULL},
    {"ID", "12", "\"12\""},
    {"String", "\"\\u00e9\\n\"", "\"é\\n\""},
    {"JSON", "{\"1\":[true]}", "{\"1\":[true]}"},
};

static void test_input_values(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof input_value_cases / sizeof *input_value_cases; i++) {
        const value_case *c = &input_value_cases[i];
        gqlx_arena a;
        gqlx_arena_init(&a, 0, 0);
        const gqlx_json *in = c->input ? parse_json(&a, c->input) : NULL;
        gqlx_json out;
        bool ok = gqlx_coerce_input_value(&a, schema, in, parse_type_ref(&a, c->type), &out);
        if (c->value == NULL) {
            if (ok)
                fail_msg("%s %s: accepted as %s", c->type, c->input, json_text(&a, &out));
        } else {
            if (!ok)
                fail_msg("%s %s: rejected", c->type, c->input ? c->input : "(none)");
            assert_string_equal(json_text(&a, &out), c->value);
        }
        gqlx_arena_free(&a);
    }
}

/* Literals, with variables. */
typedef struct literal_case {
    const char *type;
    const char *literal;
    const char *variables; /* JSON object or NULL */
    const char *value;     /* NULL: invalid */
} literal_case;

static const literal_case literal_cases[] = {
    {"Int", "$v", "{\"v\":3}", "3"},
    {"Int", "$v", "{}", NULL},
    {"Int!", "$v", "{\"v\":null}", NULL},
    {"Int", "$v", "{\"v\":null}", "null"},
    {"[Int]", "[$v, 1]", "{}", "[null,1]"},
    {"[Int!]", "[$v, 1]", "{}", NULL},
    {"[Int]", "2", NULL, "[2]"},
    {"[[Int]]", "[[1], 2, null]", NULL, "[[1],[2],null]"},
    {"Point", "{x: $x, y: $y}", "{\"x\":1}", "{\"x\":1,\"y\":0}"},
    {"Point", "{x: $x}", "{}", NULL},
    {"Point", "{x: 1, x: 2}", NULL, "{\"x\":2,\"y\":0}"},
    {"Point", "{x: 1, q: 2}", NULL, NULL},
    {"Box", "{a: {x: 1}, c: GREEN}", NULL,
     "{\"a\":{\"x\":1,\"y\":0},\"b\":[{\"x\":1,\"y\":0}],\"c\":\"GREEN\"}"},
    {"Box", "{a: {x: 1}, c: \"GREEN\"}", NULL, NULL},
    {"One", "{s: \"a\"}", NULL, "{\"s\":\"a\"}"},
    {"One", "{s: null}", NULL, NULL},
    {"One", "{s: $s}", "{\"s\":null}", NULL},
    {"One", "{s: $s}", "{}", NULL},
    {"One", "{s: \"a\", i: 1}", NULL, NULL},
    {"One", "{s: null, s: \"a\"}", NULL, "{\"s\":\"a\"}"}, /* new Map(): the last wins */
    {"One", "{s: \"a\", s: null}", NULL, NULL},
    {"JSON", "{a: [$v, $w], b: $w, c: $v}", "{\"v\":1}", "{\"a\":[1,null],\"c\":1}"},
    {"String", "\"\"\"\n  x\n    y\n\"\"\"", NULL, "\"x\\n  y\""},
};

static void test_literals(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof literal_cases / sizeof *literal_cases; i++) {
        const literal_case *c = &literal_cases[i];
        gqlx_arena a;
        gqlx_arena_init(&a, 0, 0);
        const gqlx_json *vars = c->variables ? parse_json(&a, c->variables) : NULL;
        gqlx_json out;
        bool ok = gqlx_coerce_literal(&a, schema, parse_literal(&a, c->literal),
                                      parse_type_ref(&a, c->type), vars, &out);
        if (c->value == NULL) {
            if (ok)
                fail_msg("%s %s: accepted as %s", c->type, c->literal, json_text(&a, &out));
        } else {
            if (!ok)
                fail_msg("%s %s: rejected", c->type, c->literal);
            assert_string_equal(json_text(&a, &out), c->value);
        }
        gqlx_arena_free(&a);
    }
}

/* Runs gqlx_coerce_variables on the first operation of `query` and
 * returns the coerced object's JSON, or the errors as
 * "message @line:column|..." text. */
static const char *variables_result(gqlx_arena *a, const char *query, const char *inputs,
                                    unsigned max_errors)
{
    gqlx_source *src = GQLX_NEW(a, gqlx_source);
    *src = gqlx_source_make("GraphQL request", query, strlen(query));
    gqlx_document *doc = gqlx_parse(a, src, NULL, NULL);
    assert_non_null(doc);
    const gqlx_operation_def *op = GQLX_AS_CONST(gqlx_operation_def, doc->definitions.items[0]);
    gql_errors *errs = gqlx_errors_new();
    gqlx_coerce_opts opts;
    gqlx_coerce_opts_init(&opts);
    if (max_errors)
        opts.max_errors = max_errors;
    gqlx_json *out;
    int rc = gqlx_coerce_variables(a, schema, op, inputs ? parse_json(a, inputs) : NULL, &opts,
                                   &out, errs, src);
    const char *result;
    if (rc == GQL_OK) {
        assert_int_equal(gql_errors_count(errs), 0);
        result = json_text(a, out);
    } else {
        assert_int_equal(rc, GQL_EINVAL);
        assert_null(out);
        gqlx_buf b;
        gqlx_buf_init(&b, 0);
        for (size_t i = 0; i < gql_errors_count(errs); i++) {
            const gql_location *locs;
            size_t n = gql_errors_locations(errs, i, &locs);
            gqlx_buf_printf(&b, "%s%s", i ? "|" : "", gql_errors_message(errs, i));
            for (size_t k = 0; k < n; k++)
                gqlx_buf_printf(&b, " @%u:%u", locs[k].line, locs[k].column);
        }
        result = gqlx_arena_strndup(a, b.data, b.len);
        gqlx_buf_free(&b);
    }
    gql_errors_free(errs);
    return result;
}

static void test_variables(void **state)
{
    (void)state;
    gqlx_arena a;
    gqlx_arena_init(&a, 0, 0);
    assert_string_equal(
        variables_result(&a, "query ($a: Int, $b: Int = 2, $c: [Int], $d: Point = {x: 4}) { f }",
                         "{\"c\": 5}", 0),
        "{\"b\":2,\"c\":[5],\"d\":{\"x\":4,\"y\":0}}");
    assert_string_equal(variables_result(&a, "query ($a: Int = 2) { f }", "{\"a\": null}", 0),
                        "{\"a\":null}");
    assert_string_equal(variables_result(&a, "query ($a: Int!) { f }", NULL, 0),
                        "Variable \"$a\" has invalid value: Expected a value of non-null type "
                        "\"Int!\" to be provided. @1:8");
    assert_string_equal(variables_result(&a, "query ($a: Int!) { f }", "{\"a\":null}", 0),
                        "Variable \"$a\" has invalid value: Expected value of non-null type "
                        "\"Int!\" not to be null. @1:8");
    assert_string_equal(
        variables_result(&a, "query Q(\n  $p: [Point]\n) { f }",
                         "{\"p\": [{\"x\": 1}, {\"x\": 1.5, \"lable\": 1}]}", 0),
        "Variable \"$p\" has invalid value at [1].x: Int cannot represent non-integer value: 1.5 "
        "@2:3|Variable \"$p\" has invalid value at [1]: Expected value of type \"Point\" not to "
        "include unknown field \"lable\". Did you mean \"label\"? Found: { x: 1.5, lable: 1 }. "
        "@2:3");
    assert_string_equal(
        variables_result(&a, "query ($o: One, $q: Query) { f }", "{\"o\": {\"i\": null}}", 0),
        "Variable \"$o\" has invalid value at .i: Within OneOf Input Object type "
        "\"One\", exactly one field must be specified, and the value for that "
        "field must be non-null. @1:8|Variable \"$q\" expected value of type "
        "\"Query\" which cannot be used as an input type. @1:21");
    assert_string_equal(variables_result(&a, "query ($c: Color = PINK) { f }", "{}", 0),
                        "Variable \"$c\" has invalid default value: Value \"PINK\" does not "
                        "exist in \"Color\" enum. @1:8");
    /* The error limit: three errors allowed, the fourth becomes the notice. */
    assert_string_equal(variables_result(&a, "query ($l: [Int]) { f }",
                                         "{\"l\": [\"a\", \"b\", \"c\", \"d\", \"e\"]}", 3),
                        "Variable \"$l\" has invalid value at [0]: Int cannot represent "
                        "non-integer value: \"a\" @1:8|Variable \"$l\" has invalid value at [1]: "
                        "Int cannot represent non-integer value: \"b\" @1:8|Variable \"$l\" has "
                        "invalid value at [2]: Int cannot represent non-integer value: \"c\" "
                        "@1:8|Too many errors processing variables, error limit reached. "
                        "Execution aborted.");
    gqlx_arena_free(&a);
}

/* Arguments of the first field of `query`, with variables `inputs`. */
static const char *arguments_result(gqlx_arena *a, const char *query, const char *inputs)
{
    gqlx_source *src = GQLX_NEW(a, gqlx_source);
    *src = gqlx_source_make("GraphQL request", query, strlen(query));
    gqlx_document *doc = gqlx_parse(a, src, NULL, NULL);
    assert_non_null(doc);
    const gqlx_operation_def *op = GQLX_AS_CONST(gqlx_operation_def, doc->definitions.items[0]);
    gql_errors *errs = gqlx_errors_new();
    gqlx_json *vars;
    assert_int_equal(gqlx_coerce_variables(a, schema, op, inputs ? parse_json(a, inputs) : NULL,
                                           NULL, &vars, errs, src),
                     GQL_OK);
    const gqlx_field *f = GQLX_AS_CONST(gqlx_field, op->selection_set->selections.items[0]);
    gqlx_arg_owner owner = {NULL, NULL};
    const gqlx_argument_list *args = &f->arguments;
    const gqlx_node *node = &f->base;
    if (f->directives.count) {
        owner.directive = gqlx_schema_directive(schema, "d", 1);
        args = &f->directives.items[0]->arguments;
        node = &f->directives.items[0]->base;
    } else {
        owner.field = gqlx_type_field(schema->query, f->name.ptr, f->name.len);
    }
    gqlx_json *out;
    int rc = gqlx_coerce_arguments(a, schema, owner, node, args, vars, NULL, &out, errs, src);
    const char *result;
    if (rc == GQL_OK) {
        result = json_text(a, out);
    } else {
        assert_int_equal(rc, GQL_EINVAL);
        assert_int_equal(gql_errors_count(errs), 1);
        const gql_location *locs;
        assert_int_equal(gql_errors_locations(errs, 0, &locs), 1);
        gqlx_buf b;
        gqlx_buf_init(&b, 0);
        gqlx_buf_printf(&b, "%s @%u:%u", gql_errors_message(errs, 0), locs[0].line, locs[0].column);
        result = gqlx_arena_strndup(a, b.data, b.len);
        gqlx_buf_free(&b);
    }
    gql_errors_free(errs);
    return result;
}

static void test_arguments(void **state)
{
    (void)state;
    gqlx_arena a;
    gqlx_arena_init(&a, 0, 0);
    assert_string_equal(arguments_result(&a, "{ f(x: 1) }", NULL), "{\"x\":1,\"y\":\"d\"}");
    assert_string_equal(arguments_result(&a, "{ f(y: null, x: 1, z: 4) }", NULL),
                        "{\"x\":1,\"y\":null,\"z\":[4]}");
    assert_string_equal(arguments_result(&a, "query ($y: String) { f(x: 1, y: $y) }", NULL),
                        "{\"x\":1,\"y\":\"d\"}");
    assert_string_equal(arguments_result(&a, "{ f }", NULL),
                        "Argument \"Query.f(x:)\" of required type \"Int!\" was not provided. "
                        "@1:3");
    assert_string_equal(arguments_result(&a, "query ($v: Int) { f(x: $v) }", NULL),
                        "Argument \"Query.f(x:)\" has invalid value: Expected variable \"$v\" "
                        "provided to type \"Int!\" to provide a runtime value. @1:24");
    assert_string_equal(arguments_result(&a, "{ f(x: 1, p: {x: 1, y: 2.5}) }", NULL),
                        "Argument \"Query.f(p:)\" has invalid value at .y: Int cannot represent "
                        "non-integer value: 2.5 @1:24");
    gqlx_arena_free(&a);
}

static void test_directive_arguments(void **state)
{
    (void)state;
    gqlx_arena a;
    gqlx_arena_init(&a, 0, 0);
    assert_string_equal(arguments_result(&a, "{ f @d(m: RED) }", NULL), "{\"n\":3,\"m\":\"RED\"}");
    assert_string_equal(arguments_result(&a, "{ f @d(m: red) }", NULL),
                        "Argument \"@d(m:)\" has invalid value: Value \"red\" does not exist in "
                        "\"Color\" enum. Did you mean the enum value \"RED\"? @1:11");
    gqlx_arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_value),         cmocka_unit_test(test_parse_literal),
        cmocka_unit_test(test_serialize),           cmocka_unit_test(test_number_representation),
        cmocka_unit_test(test_input_values),        cmocka_unit_test(test_literals),
        cmocka_unit_test(test_variables),           cmocka_unit_test(test_arguments),
        cmocka_unit_test(test_directive_arguments),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
