/* tests/unit/core/test_json_api.c — the public JSON values (json_api.c,
 * include/gql/json.h). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/json.h"
#include "gql/errors.h"
#include "gql/json.h"
#include "gql/status.h"

/* Parses text (which must be valid) and returns the document. */
static gql_json_doc *parse_ok(const char *text)
{
    gql_json_doc *doc = NULL;
    gql_errors *errs = NULL;
    assert_int_equal(gql_json_parse(&doc, text, strlen(text), &errs), GQL_OK);
    assert_non_null(doc);
    assert_null(errs);
    return doc;
}

/* ---- kinds ------------------------------------------------------------------ */

static void test_kinds(void **state)
{
    (void)state;
    gql_json_doc *doc = parse_ok("[null, true, false, 1.5, \"s\", [], {}]");
    const gql_json *root = gql_json_doc_root(doc);
    assert_int_equal(gql_json_type(root), GQL_JSON_ARRAY);
    assert_int_equal(gql_json_length(root), 7);
    static const gql_json_kind want[] = {GQL_JSON_NULL,   GQL_JSON_BOOL,   GQL_JSON_BOOL,
                                         GQL_JSON_NUMBER, GQL_JSON_STRING, GQL_JSON_ARRAY,
                                         GQL_JSON_OBJECT};
    for (size_t i = 0; i < 7; i++)
        assert_int_equal(gql_json_type(gql_json_item(root, i)), want[i]);
    assert_int_equal(gql_json_type(NULL), GQL_JSON_NULL);
    gql_json_doc_free(doc);
}

/* ---- booleans --------------------------------------------------------------- */

static void test_bool(void **state)
{
    (void)state;
    gql_json_doc *doc = parse_ok("[true, false, 1, \"true\", null]");
    const gql_json *root = gql_json_doc_root(doc);
    assert_int_equal(gql_json_bool(gql_json_item(root, 0)), 1);
    assert_int_equal(gql_json_bool(gql_json_item(root, 1)), 0);
    for (size_t i = 2; i < 5; i++) /* wrong kinds give 0 */
        assert_int_equal(gql_json_bool(gql_json_item(root, i)), 0);
    assert_int_equal(gql_json_bool(root), 0);
    assert_int_equal(gql_json_bool(NULL), 0);
    gql_json_doc_free(doc);
}

/* ---- numbers ---------------------------------------------------------------- */

static const struct {
    const char *text;
    int is_int;
    int64_t i;
    double d;
} number_cases[] = {
    {"0", 1, 0, 0.0},
    {"-0", 1, 0, -0.0},
    {"42", 1, 42, 42.0},
    {"-17", 1, -17, -17.0},
    /* Exact where the double is not: 2^53 + 1. */
    {"9007199254740993", 1, INT64_C(9007199254740993), 9007199254740992.0},
    {"9223372036854775807", 1, INT64_MAX, 9223372036854775808.0},
    {"-9223372036854775808", 1, INT64_MIN, -9223372036854775808.0},
    /* Integral values written with a fraction or an exponent. */
    {"1.0", 1, 1, 1.0},
    {"1e3", 1, 1000, 1000.0},
    {"-2.5E1", 1, -25, -25.0},
    /* Fractions truncate toward zero. */
    {"1.9", 0, 1, 1.9},
    {"-1.9", 0, -1, -1.9},
    {"0.5", 0, 0, 0.5},
    /* Out of range: saturated. The second one's double is INT64_MIN, but
     * the integer the text spells does not fit. */
    {"9223372036854775808", 0, INT64_MAX, 9223372036854775808.0},
    {"-9223372036854775809", 0, INT64_MIN, -9223372036854775808.0},
    {"-9.223372036854775808e18", 1, INT64_MIN, -9223372036854775808.0},
    {"1e300", 0, INT64_MAX, 1e300},
    {"-1e300", 0, INT64_MIN, -1e300},
    {"1e999", 0, INT64_MAX, INFINITY},
    {"-1e999", 0, INT64_MIN, -INFINITY},
};

static void test_numbers(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof number_cases / sizeof number_cases[0]; k++) {
        gql_json_doc *doc = parse_ok(number_cases[k].text);
        const gql_json *v = gql_json_doc_root(doc);
        assert_int_equal(gql_json_type(v), GQL_JSON_NUMBER);
        int64_t i = gql_json_int(v);
        if (i != number_cases[k].i)
            fail_msg("%s: int %lld, want %lld", number_cases[k].text, (long long)i,
                     (long long)number_cases[k].i);
        double d = gql_json_float(v);
        if (!(d == number_cases[k].d))
            fail_msg("%s: float %.17g, want %.17g", number_cases[k].text, d, number_cases[k].d);
        if (gql_json_is_int(v) != number_cases[k].is_int)
            fail_msg("%s: is_int %d", number_cases[k].text, gql_json_is_int(v));
        gql_json_doc_free(doc);
    }
}

/* Numbers built by hand (as coercion does) without the exact integer: the
 * accessors fall back on the double, NaN included. */
static void test_numbers_without_int64(void **state)
{
    (void)state;
    gqlx_json n = {.kind = GQLX_JSON_NUMBER, .d = NAN};
    const gql_json *v = (const gql_json *)(const void *)&n;
    assert_int_equal(gql_json_int(v), 0);
    assert_int_equal(gql_json_is_int(v), 0);
    assert_true(isnan(gql_json_float(v)));
    n.d = -7.99;
    assert_int_equal(gql_json_int(v), -7);
    assert_int_equal(gql_json_is_int(v), 0);
    n.d = 12.0;
    assert_int_equal(gql_json_int(v), 12);
    assert_int_equal(gql_json_is_int(v), 1);
    n.d = -9223372036854775808.0; /* exactly INT64_MIN */
    assert_int_equal(gql_json_int(v), INT64_MIN);
    assert_int_equal(gql_json_is_int(v), 1);
    n.d = 9223372036854775808.0; /* one past INT64_MAX */
    assert_int_equal(gql_json_int(v), INT64_MAX);
    assert_int_equal(gql_json_is_int(v), 0);
    n.d = 1e20;
    n.flags = GQLX_JSON_INTEGER; /* an integer text that did not fit */
    assert_int_equal(gql_json_int(v), INT64_MAX);
    assert_int_equal(gql_json_is_int(v), 0);
    /* The exact value wins over the double when present. */
    n.flags = GQLX_JSON_INTEGER | GQLX_JSON_INT64;
    n.i64 = 5;
    n.d = 6.0;
    assert_int_equal(gql_json_int(v), 5);
    assert_int_equal(gql_json_is_int(v), 1);
}

static void test_numbers_wrong_kinds(void **state)
{
    (void)state;
    gql_json_doc *doc = parse_ok("[\"1\", true, null, [1], {\"a\":1}]");
    const gql_json *root = gql_json_doc_root(doc);
    for (size_t i = 0; i < gql_json_length(root); i++) {
        const gql_json *v = gql_json_item(root, i);
        assert_int_equal(gql_json_int(v), 0);
        assert_int_equal(gql_json_is_int(v), 0);
        assert_true(gql_json_float(v) == 0.0);
    }
    assert_int_equal(gql_json_int(NULL), 0);
    assert_int_equal(gql_json_is_int(NULL), 0);
    assert_true(gql_json_float(NULL) == 0.0);
    gql_json_doc_free(doc);
}

/* ---- strings ------------------------------------------------------------------ */

static void test_strings(void **state)
{
    (void)state;
    gql_json_doc *doc = parse_ok("[\"plain\", \"\", \"a\\u0000b\", \"\\u00e9\\n\", 3]");
    const gql_json *root = gql_json_doc_root(doc);
    size_t len = 99;
    const char *s = gql_json_string(gql_json_item(root, 0), &len);
    assert_int_equal(len, 5);
    assert_memory_equal(s, "plain", 5);
    s = gql_json_string(gql_json_item(root, 1), &len);
    assert_non_null(s); /* an empty string is still a string */
    assert_int_equal(len, 0);
    s = gql_json_string(gql_json_item(root, 2), &len);
    assert_int_equal(len, 3);
    assert_memory_equal(s, "a\0b", 3);
    s = gql_json_string(gql_json_item(root, 3), &len);
    assert_int_equal(len, 3);
    assert_memory_equal(s, "\xc3\xa9\n", 3);
    assert_non_null(gql_json_string(gql_json_item(root, 0), NULL)); /* len may be NULL */
    /* Wrong kinds and NULL. */
    len = 99;
    assert_null(gql_json_string(gql_json_item(root, 4), &len));
    assert_int_equal(len, 0);
    len = 99;
    assert_null(gql_json_string(root, &len));
    assert_int_equal(len, 0);
    len = 99;
    assert_null(gql_json_string(NULL, &len));
    assert_int_equal(len, 0);
    assert_null(gql_json_string(NULL, NULL));
    gql_json_doc_free(doc);
}

/* ---- arrays ------------------------------------------------------------------ */

static void test_arrays(void **state)
{
    (void)state;
    gql_json_doc *doc = parse_ok("[[1, [2]], [], 3]");
    const gql_json *root = gql_json_doc_root(doc);
    assert_int_equal(gql_json_length(root), 3);
    const gql_json *first = gql_json_item(root, 0);
    assert_int_equal(gql_json_length(first), 2);
    assert_int_equal(gql_json_int(gql_json_item(first, 0)), 1);
    assert_int_equal(gql_json_int(gql_json_item(gql_json_item(first, 1), 0)), 2);
    assert_int_equal(gql_json_length(gql_json_item(root, 1)), 0);
    assert_null(gql_json_item(gql_json_item(root, 1), 0));
    assert_null(gql_json_item(root, 3));
    assert_null(gql_json_item(root, SIZE_MAX));
    /* Wrong kinds and NULL. */
    assert_int_equal(gql_json_length(gql_json_item(root, 2)), 0);
    assert_null(gql_json_item(gql_json_item(root, 2), 0));
    assert_int_equal(gql_json_length(NULL), 0);
    assert_null(gql_json_item(NULL, 0));
    gql_json_doc_free(doc);

    doc = parse_ok("{\"a\":[1]}");
    assert_null(gql_json_item(gql_json_doc_root(doc), 0)); /* objects have no items */
    gql_json_doc_free(doc);

    doc = parse_ok("\"abc\"");
    assert_int_equal(gql_json_length(gql_json_doc_root(doc)), 0); /* not a string's length */
    gql_json_doc_free(doc);
}

/* ---- objects ----------------------------------------------------------------- */

static void test_objects(void **state)
{
    (void)state;
    /* Duplicate keys: one member, first position, last value (JSON.parse). */
    gql_json_doc *doc =
        parse_ok("{\"b\": 1, \"a\": {\"x\": null}, \"b\": 2, \"\": 3, \"k\\u0000\": 4}");
    const gql_json *root = gql_json_doc_root(doc);
    assert_int_equal(gql_json_type(root), GQL_JSON_OBJECT);
    assert_int_equal(gql_json_length(root), 4);
    assert_int_equal(gql_json_int(gql_json_member(root, "b")), 2);
    assert_int_equal(gql_json_type(gql_json_member(root, "a")), GQL_JSON_OBJECT);
    const gql_json *x = gql_json_member(gql_json_member(root, "a"), "x");
    assert_non_null(x); /* a member holding null is there */
    assert_int_equal(gql_json_type(x), GQL_JSON_NULL);
    assert_int_equal(gql_json_int(gql_json_member(root, "")), 3);
    assert_null(gql_json_member(root, "c"));
    assert_null(gql_json_member(root, "k")); /* the key is "k\0" */
    assert_null(gql_json_member(root, NULL));
    assert_null(gql_json_member(NULL, "a"));
    assert_null(gql_json_member(gql_json_member(root, "b"), "a")); /* not an object */

    static const struct {
        const char *key;
        size_t len;
        int64_t value;
    } order[] = {{"b", 1, 2}, {"a", 1, 0}, {"", 0, 3}, {"k\0", 2, 4}};
    for (size_t i = 0; i < 4; i++) {
        const char *key = NULL;
        size_t key_len = 99;
        const gql_json *v = gql_json_member_at(root, i, &key, &key_len);
        assert_non_null(v);
        assert_non_null(key);
        assert_int_equal(key_len, order[i].len);
        assert_memory_equal(key, order[i].key, key_len);
        assert_int_equal(gql_json_int(v), order[i].value);
    }
    /* NULL out-parameters are allowed. */
    assert_non_null(gql_json_member_at(root, 0, NULL, NULL));
    const char *key = "stale";
    size_t key_len = 99;
    assert_null(gql_json_member_at(root, 4, &key, &key_len));
    assert_null(key);
    assert_int_equal(key_len, 0);
    key = "stale";
    assert_null(gql_json_member_at(gql_json_member(root, "b"), 0, &key, &key_len));
    assert_null(key);
    assert_null(gql_json_member_at(NULL, 0, &key, &key_len));
    gql_json_doc_free(doc);

    doc = parse_ok("[{\"a\":1}]");
    assert_null(gql_json_member(gql_json_doc_root(doc), "a")); /* arrays have no members */
    assert_null(gql_json_member_at(gql_json_doc_root(doc), 0, NULL, NULL));
    gql_json_doc_free(doc);
}

/* ---- parsing ------------------------------------------------------------------ */

/* The document does not borrow the caller's text. */
static void test_parse_copies_text(void **state)
{
    (void)state;
    char *text = strdup("{\"name\": \"value\"}");
    assert_non_null(text);
    gql_json_doc *doc = NULL;
    assert_int_equal(gql_json_parse(&doc, text, strlen(text), NULL), GQL_OK);
    memset(text, 'x', strlen(text));
    free(text);
    size_t len = 0;
    const char *s = gql_json_string(gql_json_member(gql_json_doc_root(doc), "name"), &len);
    assert_int_equal(len, 5);
    assert_memory_equal(s, "value", 5);
    gql_json_doc_free(doc);
}

/* len counts, the text needs no terminator and may hold more after it. */
static void test_parse_length(void **state)
{
    (void)state;
    gql_json_doc *doc = NULL;
    assert_int_equal(gql_json_parse(&doc, "[1]garbage", 3, NULL), GQL_OK);
    assert_int_equal(gql_json_length(gql_json_doc_root(doc)), 1);
    gql_json_doc_free(doc);
}

static void test_parse_invalid_arguments(void **state)
{
    (void)state;
    gql_json_doc *doc = (gql_json_doc *)(void *)&doc; /* must be overwritten */
    gql_errors *errs = (gql_errors *)(void *)&errs;
    assert_int_equal(gql_json_parse(NULL, "1", 1, &errs), GQL_EINVAL);
    assert_null(errs);
    assert_int_equal(gql_json_parse(&doc, NULL, 1, &errs), GQL_EINVAL);
    assert_null(doc);
    assert_null(errs);
    assert_int_equal(gql_json_parse(NULL, "1", 1, NULL), GQL_EINVAL);
    /* NULL text with no bytes is the empty text: not JSON. */
    assert_int_equal(gql_json_parse(&doc, NULL, 0, &errs), GQL_EJSON);
    assert_null(doc);
    assert_int_equal(gql_errors_count(errs), 1);
    gql_errors_free(errs);
    /* The other functions accept NULL. */
    assert_null(gql_json_doc_root(NULL));
    gql_json_doc_free(NULL);
}

/* clang-format off */
static const struct {
    const char *text;
    int status;
    const char *message;
    unsigned line, column;
} error_cases[] = {
    {"", GQL_EJSON, "Unexpected end of input", 1, 1},
    {"[1,]", GQL_EJSON, NULL, 1, 4},
    {"{\n  \"a\": tru\n}", GQL_EJSON, NULL, 2, 11},
    {"[1] 2", GQL_EJSON, NULL, 1, 5},
    {"\"\\ud800\"", GQL_EJSON, NULL, 1, 2},
};
/* clang-format on */

static void test_parse_errors(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof error_cases / sizeof error_cases[0]; k++) {
        const char *text = error_cases[k].text;
        gql_json_doc *doc = NULL;
        gql_errors *errs = NULL;
        int rc = gql_json_parse(&doc, text, strlen(text), &errs);
        assert_int_equal(rc, error_cases[k].status);
        assert_null(doc);
        assert_int_equal(gql_errors_count(errs), 1);

        /* The message and place are the reader's. */
        gqlx_arena a;
        gqlx_arena_init(&a, 0, 0);
        gqlx_json *v = NULL;
        gqlx_json_error err;
        assert_int_equal(gqlx_json_parse(&a, text, strlen(text), NULL, &v, &err), rc);
        gqlx_arena_free(&a);
        assert_string_equal(gql_errors_message(errs, 0), err.message);
        if (error_cases[k].message != NULL)
            assert_string_equal(gql_errors_message(errs, 0), error_cases[k].message);
        const gql_location *loc = NULL;
        assert_int_equal(gql_errors_locations(errs, 0, &loc), 1);
        if (loc[0].line != error_cases[k].line || loc[0].column != error_cases[k].column)
            fail_msg("%s: at %u:%u, want %u:%u", text, loc[0].line, loc[0].column,
                     error_cases[k].line, error_cases[k].column);
        assert_int_equal(loc[0].line, err.line);
        assert_int_equal(loc[0].column, err.column);
        gql_errors_free(errs);

        /* Without errs: the same status, nothing to free. */
        assert_int_equal(gql_json_parse(&doc, text, strlen(text), NULL), rc);
        assert_null(doc);
    }
}

static void test_parse_depth_limit(void **state)
{
    (void)state;
    char text[2 * 129 + 1];
    memset(text, '[', 128);
    memset(text + 128, ']', 128);
    gql_json_doc *doc = NULL;
    gql_errors *errs = NULL;
    assert_int_equal(gql_json_parse(&doc, text, 256, &errs), GQL_OK); /* 128 levels */
    assert_null(errs);
    gql_json_doc_free(doc);

    memset(text, '[', 129);
    memset(text + 129, ']', 129);
    assert_int_equal(gql_json_parse(&doc, text, 258, &errs), GQL_ELIMIT);
    assert_null(doc);
    assert_int_equal(gql_errors_count(errs), 1);
    const gql_location *loc = NULL;
    assert_int_equal(gql_errors_locations(errs, 0, &loc), 1);
    assert_int_equal(loc[0].line, 1);
    assert_int_equal(loc[0].column, 129); /* the bracket that goes too deep */
    gql_errors_free(errs);
}

/* Over 64 MiB: refused before the text is read or copied. The bytes after
 * the first are never looked at, so a mapping-free pointer would do; a
 * real buffer keeps sanitizers quiet. */
static void test_parse_size_limit(void **state)
{
    (void)state;
    size_t len = (size_t)64 * 1024 * 1024 + 1;
    char *text = malloc(len);
    assert_non_null(text);
    memset(text, ' ', len);
    text[0] = '1';
    gql_json_doc *doc = NULL;
    gql_errors *errs = NULL;
    unsigned long before = gqlx_alloc_count();
    assert_int_equal(gql_json_parse(&doc, text, len, &errs), GQL_ELIMIT);
    assert_null(doc);
    assert_int_equal(gql_errors_count(errs), 1);
    assert_non_null(strstr(gql_errors_message(errs, 0), "larger than the limit"));
    const gql_location *loc = NULL;
    assert_int_equal(gql_errors_locations(errs, 0, &loc), 1);
    assert_int_equal(loc[0].line, 1);
    assert_int_equal(loc[0].column, 1);
    /* Only the error list allocated: no copy of 64 MiB. */
    assert_true(gqlx_alloc_count() - before <= 3);
    gql_errors_free(errs);
    free(text);
}

/* ---- out of memory --------------------------------------------------------------- */

/* Fails each allocation in turn: every failure is GQL_ENOMEM with no
 * document and no error list, and nothing leaks (checked under ASan). */
static void fault_loop(const char *text, int want, long min_points)
{
    size_t len = strlen(text);
    bool finished = false;
    long n = 0;
    for (; n < 10000 && !finished; n++) {
        gql_json_doc *doc = NULL;
        gql_errors *errs = NULL;
        gqlx_fault_set(n);
        int rc = gql_json_parse(&doc, text, len, &errs);
        bool injected = gqlx_fault_triggered() != 0;
        gqlx_fault_reset();
        if (!injected) {
            assert_int_equal(rc, want);
            finished = true;
        } else if (rc == GQL_ENOMEM) {
            assert_null(doc);
            assert_null(errs);
        } else {
            /* A failure the reader recovered from must not change the
             * outcome. */
            assert_int_equal(rc, want);
        }
        if (rc == GQL_OK) {
            assert_non_null(doc);
            assert_int_equal(gql_json_type(gql_json_doc_root(doc)), GQL_JSON_OBJECT);
        }
        gql_json_doc_free(doc);
        gql_errors_free(errs);
    }
    assert_true(finished);
    assert_true(n - 1 >= min_points); /* the allocations that were failed */
}

static void test_fault_injection(void **state)
{
    (void)state;
    /* Enough members and nesting that the reader's work space spills to
     * the heap, and an escaped string that must be decoded. */
    char text[8192];
    size_t n = 0;
    n += (size_t)snprintf(text + n, sizeof text - n, "{");
    for (int i = 0; i < 200; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, "\"k%d\":[[[{\"s\":\"a\\n%d\"}]]],", i, i);
    n += (size_t)snprintf(text + n, sizeof text - n, "\"last\":1}");
    assert_true(n < sizeof text);
    fault_loop(text, GQL_OK, 4);
    fault_loop("{\"a\": [1, 2,]}", GQL_EJSON, 3); /* the error list allocates too */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kinds),
        cmocka_unit_test(test_bool),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_numbers_without_int64),
        cmocka_unit_test(test_numbers_wrong_kinds),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_arrays),
        cmocka_unit_test(test_objects),
        cmocka_unit_test(test_parse_copies_text),
        cmocka_unit_test(test_parse_length),
        cmocka_unit_test(test_parse_invalid_arguments),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_parse_depth_limit),
        cmocka_unit_test(test_parse_size_limit),
        cmocka_unit_test(test_fault_injection),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
