/* tests/unit/language/test_parser.c — the parser: tree shape, node
 * locations, string values, limits, and clean failure when memory runs
 * out at any allocation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "core/alloc.h"
#include "language/parser.h"
#include "language/string_value.h"

typedef struct parsed {
    gqlx_arena arena;
    gqlx_source src;
    gqlx_syntax_error err;
    gqlx_document *doc;
} parsed;

static void parse_text(parsed *p, const char *text, const gqlx_parse_opts *opts)
{
    gqlx_arena_init(&p->arena, 0, 0);
    p->src = gqlx_source_make("test", text, strlen(text));
    p->doc = gqlx_parse(&p->arena, &p->src, opts, &p->err);
}

static void test_operation_shape(void **state)
{
    (void)state;
    parsed p;
    parse_text(&p, "query Q($v: [Int!]! = [1]) @d(a: 1) { x: f(a: $v) { ...F } }", NULL);
    assert_non_null(p.doc);
    assert_int_equal(p.doc->definitions.count, 1);
    const gqlx_operation_def *op =
        GQLX_AS_CONST(gqlx_operation_def, p.doc->definitions.items[0]);
    assert_int_equal(op->base.kind, GQLX_KIND_OPERATION_DEFINITION);
    assert_int_equal(op->operation, GQLX_OP_QUERY);
    assert_true(gqlx_slice_eq_cstr(op->name, "Q"));
    assert_int_equal(op->variable_definitions.count, 1);
    const gqlx_variable_def *v = op->variable_definitions.items[0];
    assert_int_equal(v->type->kind, GQLX_KIND_NON_NULL_TYPE);
    assert_non_null(v->default_value);
    assert_int_equal(v->default_value->kind, GQLX_KIND_LIST_VALUE);
    assert_int_equal(op->directives.count, 1);
    const gqlx_field *f = GQLX_AS_CONST(gqlx_field, op->selection_set->selections.items[0]);
    assert_true(gqlx_slice_eq_cstr(f->alias, "x"));
    assert_true(gqlx_slice_eq_cstr(f->name, "f"));
    assert_int_equal(f->arguments.count, 1);
    assert_int_equal(f->arguments.items[0]->value->kind, GQLX_KIND_VARIABLE);
    assert_int_equal(f->selection_set->selections.items[0]->kind, GQLX_KIND_FRAGMENT_SPREAD);
    /* Locations span first to last token, as graphql-js's loc. */
    assert_int_equal(op->base.start, 0);
    assert_int_equal(op->base.end, strlen(p.src.body));
    assert_int_equal(f->base.start, 38);
    assert_int_equal(p.doc->token_count, 38);
    gqlx_arena_free(&p.arena);
}

static void test_sdl_shape(void **state)
{
    (void)state;
    parsed p;
    parse_text(&p,
               "\"\"\"\n  Doc\n    more\n\"\"\"\ntype T implements A & B @k { f(a: Int = 1): [T] }\n"
               "extend union U = X | Y\n"
               "directive @d(x: Int) repeatable on FIELD | QUERY\n"
               "extend directive @d @k\n",
               NULL);
    assert_non_null(p.doc);
    assert_int_equal(p.doc->definitions.count, 4);
    const gqlx_object_type_def *t =
        GQLX_AS_CONST(gqlx_object_type_def, p.doc->definitions.items[0]);
    assert_int_equal(t->interfaces.count, 2);
    assert_int_equal(t->fields.count, 1);
    gqlx_slice desc;
    assert_true(gqlx_string_value_get(&p.arena, t->description, &desc));
    assert_int_equal(desc.len, strlen("Doc\n  more"));
    assert_memory_equal(desc.ptr, "Doc\n  more", desc.len);
    const gqlx_directive_def *d = GQLX_AS_CONST(gqlx_directive_def, p.doc->definitions.items[2]);
    assert_true(d->base.flags & GQLX_DIRECTIVE_REPEATABLE);
    assert_int_equal(d->locations.count, 2);
    assert_true(gqlx_slice_eq_cstr(d->locations.items[1], "QUERY"));
    assert_int_equal(p.doc->definitions.items[3]->kind, GQLX_KIND_DIRECTIVE_EXTENSION);
    gqlx_arena_free(&p.arena);
}

static void test_string_values(void **state)
{
    (void)state;
    gqlx_arena a;
    gqlx_arena_init(&a, 0, 0);
    struct {
        const char *raw;
        bool block;
        const char *value;
        size_t value_len;
    } cases[] = {
        {"plain", false, "plain", 5},
        {"a\\n\\t\\\"\\\\\\/", false, "a\n\t\"\\/", 6},
        {"\\u00e9\\u{1F600}\\uD83D\\uDE00", false, "\xc3\xa9\xf0\x9f\x98\x80\xf0\x9f\x98\x80", 10},
        {"\\u0000", false, "\0", 1},
        {"\n    a\n      b\n\n    c\n  ", true, "a\n  b\n\nc", 8},
        {"  first\n    second", true, "  first\nsecond", 14},
        {"x \\\"\"\" y", true, "x \"\"\" y", 7},
        {"\r\n  a\r  b\r\n", true, "a\nb", 3},
        {"   \n  \t ", true, "", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        gqlx_slice out;
        assert_true(gqlx_string_decode(&a, gqlx_slice_cstr(cases[i].raw), cases[i].block, &out));
        assert_int_equal(out.len, cases[i].value_len);
        assert_memory_equal(out.ptr, cases[i].value, out.len);
    }
    gqlx_arena_free(&a);
}

static void expect_error(const char *text, const gqlx_parse_opts *opts, unsigned line,
                         unsigned column, const char *message)
{
    parsed p;
    parse_text(&p, text, opts);
    if (p.doc != NULL)
        fail_msg("parsed without error: %s", text);
    assert_string_equal(p.err.message, message);
    assert_int_equal(p.err.loc.line, line);
    assert_int_equal(p.err.loc.column, column);
    gqlx_arena_free(&p.arena);
}

static void test_syntax_errors(void **state)
{
    (void)state;
    expect_error("", NULL, 1, 1, "Syntax Error: Unexpected <EOF>.");
    expect_error("{", NULL, 1, 2, "Syntax Error: Expected Name, found <EOF>.");
    expect_error("{}", NULL, 1, 2, "Syntax Error: Expected Name, found \"}\".");
    expect_error("query Q(", NULL, 1, 9, "Syntax Error: Expected \"$\", found <EOF>.");
    expect_error("fragment on on T { a }", NULL, 1, 10, "Syntax Error: Unexpected Name \"on\".");
    expect_error("\"d\" { a }", NULL, 1, 1,
                 "Syntax Error: Unexpected description, descriptions are not supported on "
                 "shorthand queries.");
    expect_error("\"d\" extend type T @a", NULL, 1, 1,
                 "Syntax Error: Unexpected description, only GraphQL definitions support "
                 "descriptions.");
    expect_error("extend type T", NULL, 1, 14, "Syntax Error: Unexpected <EOF>.");
    expect_error("enum E { true }", NULL, 1, 10,
                 "Syntax Error: Name \"true\" is reserved and cannot be used for an enum value.");
    expect_error("query ($a: Int = $b) { a }", NULL, 1, 18,
                 "Syntax Error: Unexpected variable \"$b\" in constant value.");
    expect_error("directive @d on NOWHERE", NULL, 1, 17, "Syntax Error: Unexpected Name \"NOWHERE\".");
    expect_error("{ a(x: \"\"\"bl\"\"\" }", NULL, 1, 17,
                 "Syntax Error: Expected Name, found \"}\".");
    expect_error("notakeyword", NULL, 1, 1, "Syntax Error: Unexpected Name \"notakeyword\".");
    expect_error("{ a(x: \"v\") b(y: \"\"\"q\"\"\" c }", NULL, 1, 28,
                 "Syntax Error: Expected \":\", found \"}\".");
    /* Columns count UTF-16 code units: the emoji counts two. */
    expect_error("{ a(x: \"\xf0\x9f\x98\x80\") ? }", NULL, 1, 14,
                 "Syntax Error: Unexpected character: \"?\".");
    expect_error("{\r\n  a\r\n  ?", NULL, 3, 3, "Syntax Error: Unexpected character: \"?\".");
    expect_error("{ a }\xff", NULL, 1, 6, "Syntax Error: Invalid UTF-8 byte sequence.");
}

static void test_limits(void **state)
{
    (void)state;
    gqlx_parse_opts opts;
    gqlx_parse_opts_init(&opts);
    opts.max_tokens = 5;
    expect_error("{ a b c d e }", &opts, 1, 11,
                 "Syntax Error: Document contains more than 5 tokens. Parsing aborted.");
    gqlx_parse_opts_init(&opts);
    opts.max_depth = 3;
    expect_error("{ a { b { c { d } } } }", &opts, 1, 13,
                 "Syntax Error: Document nesting is deeper than 3 levels. Parsing aborted.");
    expect_error("{ a(x: [[[[1]]]]) }", &opts, 1, 10,
                 "Syntax Error: Document nesting is deeper than 3 levels. Parsing aborted.");
    gqlx_parse_opts_init(&opts);
    opts.max_bytes = 8;
    expect_error("{ a b c }", &opts, 1, 1, "Syntax Error: Document is too large. Parsing aborted.");
    parsed ok;
    parse_text(&ok, "{ a b }", &opts); /* within the limit */
    assert_non_null(ok.doc);
    gqlx_arena_free(&ok.arena);
    /* The default depth limit stops a deeply nested document cleanly. */
    static char deep[200000];
    size_t n = 0;
    deep[n++] = '{';
    deep[n++] = 'a';
    for (int i = 0; i < 50000; i++) {
        memcpy(deep + n, "(x:", 3);
        n += 3;
    }
    deep[n] = '\0';
    parsed p;
    parse_text(&p, deep, NULL);
    assert_null(p.doc);
    gqlx_arena_free(&p.arena);
    memset(deep, '[', 100000);
    deep[100000] = '\0';
    gqlx_arena a;
    gqlx_arena_init(&a, 0, 0);
    gqlx_source src = gqlx_source_make("t", deep, 100000);
    gqlx_syntax_error err;
    assert_null(gqlx_parse_type(&a, &src, NULL, &err));
    assert_non_null(strstr(err.message, "deeper than"));
    gqlx_arena_free(&a);
}

static void test_value_and_type(void **state)
{
    (void)state;
    gqlx_arena a;
    gqlx_arena_init(&a, 0, 0);
    gqlx_syntax_error err;
    gqlx_source src = gqlx_source_make("v", "{a: [1, 2.5, \"s\", E, null, true]}", 33);
    gqlx_node *v = gqlx_parse_value(&a, &src, NULL, true, &err);
    assert_non_null(v);
    assert_int_equal(v->kind, GQLX_KIND_OBJECT_VALUE);
    gqlx_source var = gqlx_source_make("v", "$x", 2);
    assert_null(gqlx_parse_value(&a, &var, NULL, true, &err));
    assert_non_null(gqlx_parse_value(&a, &var, NULL, false, &err));
    gqlx_source t = gqlx_source_make("t", "[String!]!", 10);
    gqlx_node *type = gqlx_parse_type(&a, &t, NULL, &err);
    assert_non_null(type);
    assert_int_equal(type->kind, GQLX_KIND_NON_NULL_TYPE);
    gqlx_arena_free(&a);
}

/* Every allocation the parser makes may fail: the parse must then fail
 * cleanly (no crash, no leak under ASan) and report out-of-memory. */
static void test_out_of_memory(void **state)
{
    (void)state;
    const char *text = "query Q($a: Int = 1) { a(x: [1, {b: \"\\u00e9\"}]) { ...F } } "
                       "fragment F on T { b @skip(if: true) }";
    for (long n = 0;; n++) {
        gqlx_arena a;
        gqlx_arena_init(&a, 64, 0); /* tiny chunks: many allocations */
        gqlx_source src = gqlx_source_make("t", text, strlen(text));
        gqlx_syntax_error err;
        gqlx_fault_set(n);
        gqlx_document *doc = gqlx_parse(&a, &src, NULL, &err);
        int hit = gqlx_fault_triggered();
        gqlx_fault_reset();
        if (doc == NULL) {
            assert_true(hit);
            assert_true(err.out_of_memory);
        }
        gqlx_arena_free(&a);
        if (!hit) {
            assert_non_null(doc);
            break;
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_operation_shape), cmocka_unit_test(test_sdl_shape),
        cmocka_unit_test(test_string_values),   cmocka_unit_test(test_syntax_errors),
        cmocka_unit_test(test_limits),          cmocka_unit_test(test_value_and_type),
        cmocka_unit_test(test_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
