/* tests/unit/validation/test_hostile.c — documents built to make
 * validation slow or hungry: memory must stay bounded (a capped scratch
 * arena must suffice) and the answer must still be graphql-js's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/errors.h"
#include "language/parser.h"
#include "types/build_schema.h"
#include "validation/validate.h"

static const char SDL[] = "input In { required: Boolean! }\n"
                          "type Dog { name(x: Boolean): String }\n"
                          "type Query { dog: Dog  f(arg: In): String }\n";

/* Validates text with a scratch arena capped at cap bytes; returns the
 * error count and stores the first and last messages. */
static size_t validate_text(const char *text, size_t len, size_t cap, gql_errors **out)
{
    gqlx_schema *schema;
    gqlx_build_opts bo = {0};
    gqlx_parse_opts_init(&bo.parse);
    assert_int_equal(gqlx_schema_build(&schema, SDL, sizeof SDL - 1, "schema", &bo, NULL), GQL_OK);
    gqlx_arena doc_arena, scratch;
    gqlx_arena_init(&doc_arena, 0, 0);
    gqlx_arena_init(&scratch, 0, cap);
    gqlx_source src = gqlx_source_make("doc", text, len);
    gqlx_syntax_error err;
    gqlx_document *doc = gqlx_parse(&doc_arena, &src, NULL, &err);
    assert_non_null(doc);
    gql_errors *errs = gqlx_errors_new();
    assert_non_null(errs);
    size_t n = gqlx_validate(schema, doc, &src, NULL, &scratch, errs);
    assert_false(gqlx_arena_failed(&scratch));
    gqlx_arena_free(&scratch);
    gqlx_arena_free(&doc_arena);
    gqlx_schema_free(schema);
    *out = errs;
    return n;
}

/* One object literal with many unknown fields: every error message quotes
 * the whole object, so building all of them would be quadratic. Only the
 * first 100 can be returned; the rest must cost nothing. */
static void test_many_unknown_fields(void **state)
{
    (void)state;
    gqlx_buf b;
    gqlx_buf_init(&b, 0);
    gqlx_buf_append_cstr(&b, "{ f(arg: { required: true");
    for (int i = 0; i < 20000; i++)
        gqlx_buf_printf(&b, ", zz%d: 1", i);
    gqlx_buf_append_cstr(&b, " }) }");
    assert_false(b.failed);
    gql_errors *errs;
    /* 100 messages of about 250 KB each fit in 64 MiB; 1,800 would not. */
    size_t n = validate_text(b.data, b.len, (size_t)64 << 20, &errs);
    assert_int_equal(n, 101);
    assert_non_null(strstr(gql_errors_message(errs, 0), "unknown field \"zz0\""));
    assert_string_equal(gql_errors_message(errs, 100),
                        "Too many validation errors, error limit reached. Validation aborted.");
    gql_errors_free(errs);
    gqlx_buf_free(&b);
}

/* Many operations spreading one long fragment chain: each operation's
 * fragment list is kept, but the work space to find it is reused. */
static void test_operations_over_a_fragment_chain(void **state)
{
    (void)state;
    enum { OPS = 600, FRAGS = 600 };
    gqlx_buf b;
    gqlx_buf_init(&b, 0);
    for (int i = 0; i < OPS; i++)
        gqlx_buf_printf(&b, "query Q%d($v: Boolean) { dog { ...F0 } }\n", i);
    for (int i = 0; i < FRAGS; i++) {
        gqlx_buf_printf(&b, "fragment F%d on Dog { name(x: $v) ", i);
        if (i + 1 < FRAGS)
            gqlx_buf_printf(&b, "...F%d ", i + 1);
        gqlx_buf_append_cstr(&b, "}\n");
    }
    assert_false(b.failed);
    gql_errors *errs;
    /* The kept lists take OPS * FRAGS * 16 bytes (about 6 MB). */
    size_t n = validate_text(b.data, b.len, (size_t)48 << 20, &errs);
    /* graphql-js: the overlap check runs out of its budget. */
    assert_int_equal(n, 1);
    assert_string_equal(gql_errors_message(errs, 0), "Validation aborted.");
    gql_errors_free(errs);
    gqlx_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_many_unknown_fields),
        cmocka_unit_test(test_operations_over_a_fragment_chain),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
