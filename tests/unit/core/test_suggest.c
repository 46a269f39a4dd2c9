/* tests/unit/core/test_suggest.c — graphql-js's suggestionList, didYouMean
 * and natural ordering (core/suggest.c). The expected suggestion lists are
 * what graphql-js 17.1.0's suggestionList returns for the same input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/suggest.h"

#define S(x) gqlx_slice_cstr(x)

static void test_natural_compare(void **state)
{
    (void)state;
    assert_true(gqlx_natural_compare(S("a"), S("b")) < 0);
    assert_true(gqlx_natural_compare(S("b"), S("a")) > 0);
    assert_int_equal(gqlx_natural_compare(S("abc"), S("abc")), 0);
    assert_true(gqlx_natural_compare(S("a2"), S("a10")) < 0);  /* numbers, not bytes */
    assert_true(gqlx_natural_compare(S("a010"), S("a2")) < 0); /* leading zero ends a run */
    assert_true(gqlx_natural_compare(S("ab"), S("abc")) < 0);
    assert_true(gqlx_natural_compare(S("Z"), S("a")) < 0); /* code unit order */
    assert_true(gqlx_natural_compare(S("a0"), S("a00")) < 0);
    /* Long texts (past the on-stack buffers) compare the same way. */
    char long_a[300], long_b[300];
    memset(long_a, 'x', sizeof long_a);
    memcpy(long_b, long_a, sizeof long_b);
    memcpy(long_a + 290, "2", 2);
    memcpy(long_b + 290, "10", 3);
    assert_true(gqlx_natural_compare(S(long_a), S(long_b)) < 0);
    assert_true(gqlx_natural_compare(S(long_b), S("x")) > 0);
    /* Code units, not bytes: U+FF5E sorts after U+1F600 (a surrogate pair). */
    assert_true(gqlx_natural_compare(S("\xef\xbd\x9e"), S("\xf0\x9f\x98\x80")) > 0);
}

static void test_distance(void **state)
{
    (void)state;
    gqlx_arena a;
    gqlx_arena_init(&a, 0, 0);
    assert_int_equal(gqlx_lexical_distance(&a, S("abc"), S("abc"), 10), 0);
    assert_int_equal(gqlx_lexical_distance(&a, S("abc"), S("ABC"), 10), 1); /* case only */
    assert_int_equal(gqlx_lexical_distance(&a, S("abc"), S("acb"), 10), 1); /* transposition */
    assert_int_equal(gqlx_lexical_distance(&a, S("abc"), S("abcd"), 10), 1);
    assert_int_equal(gqlx_lexical_distance(&a, S("kitten"), S("sitting"), 10), 3);
    assert_int_equal(gqlx_lexical_distance(&a, S("kitten"), S("sitting"), 2), -1);
    assert_int_equal(gqlx_lexical_distance(&a, S("a"), S("abcdef"), 2), -1); /* length gap */
    /* UTF-16: "é" is one unit, an emoji two. */
    assert_int_equal(gqlx_lexical_distance(&a, S("caf\xc3\xa9"), S("cafe"), 10), 1);
    assert_int_equal(gqlx_lexical_distance(&a, S("a\xf0\x9f\x98\x80"), S("a"), 10), 2);
    gqlx_arena_free(&a);
}

/* Joins a suggestion list with "|" for comparison. */
static void list(const char *input, const char *const *opts, size_t n, char *out, size_t cap)
{
    gqlx_arena a;
    gqlx_arena_init(&a, 0, 0);
    gqlx_slice o[16];
    for (size_t i = 0; i < n; i++)
        o[i] = S(opts[i]);
    gqlx_slice *res;
    size_t m = gqlx_suggestion_list(&a, S(input), o, n, &res);
    out[0] = '\0';
    for (size_t i = 0; i < m; i++) {
        if (i)
            strncat(out, "|", cap - strlen(out) - 1);
        strncat(out, res[i].ptr, res[i].len < cap - strlen(out) - 1 ? res[i].len : 0);
    }
    gqlx_arena_free(&a);
}

static void test_suggestion_list(void **state)
{
    (void)state;
    char out[256];
    static const char *const o1[] = {"a", "b", "c"};
    list("", o1, 3, out, sizeof out);
    assert_string_equal(out, "a|b|c"); /* threshold 1: every one-letter option */
    static const char *const o2[] = {"GraphQL", "graphics"};
    list("GraphQl", o2, 2, out, sizeof out);
    assert_string_equal(out, "GraphQL|graphics");
    static const char *const o3[] = {"GRAPHQL", "graphql"};
    list("GraphQl", o3, 2, out, sizeof out);
    assert_string_equal(out, "GRAPHQL|graphql");
    static const char *const o4[] = {"abc", "ab", "a", "abcd"};
    list("abc", o4, 4, out, sizeof out);
    assert_string_equal(out, "abc|ab|abcd|a");
    static const char *const o5[] = {"d", "c", "a", "b"};
    list("a", o5, 4, out, sizeof out);
    assert_string_equal(out, "a|b|c|d");
    static const char *const o6[] = {"Usa", "Use", "User", "Users", "Ussr", "Uber", "Use"};
    list("Usr", o6, 7, out, sizeof out);
    assert_string_equal(out, "Usa|Use|User|Ussr|Uber|Users"); /* duplicates once */
    static const char *const o7[] = {"x1", "x10", "x2"};
    list("x", o7, 3, out, sizeof out);
    assert_string_equal(out, "x1|x2"); /* "x10" is 2 away; threshold 1 */
    static const char *const o8[] = {"zzzz"};
    list("a", o8, 1, out, sizeof out);
    assert_string_equal(out, "");
}

static void test_did_you_mean(void **state)
{
    (void)state;
    gqlx_slice items[7] = {S("A"), S("B"), S("C"), S("D"), S("E"), S("F"), S("G")};
    gqlx_buf b;
    gqlx_buf_init(&b, 0);
    gqlx_did_you_mean(&b, NULL, items, 0);
    assert_int_equal(b.len, 0);
    gqlx_did_you_mean(&b, NULL, items, 1);
    assert_string_equal(b.data, " Did you mean \"A\"?");
    gqlx_buf_clear(&b);
    gqlx_did_you_mean(&b, NULL, items, 2);
    assert_string_equal(b.data, " Did you mean \"A\" or \"B\"?");
    gqlx_buf_clear(&b);
    gqlx_did_you_mean(&b, "the enum value", items, 3);
    assert_string_equal(b.data, " Did you mean the enum value \"A\", \"B\", or \"C\"?");
    gqlx_buf_clear(&b);
    gqlx_did_you_mean(&b, NULL, items, 7); /* at most five */
    assert_string_equal(b.data, " Did you mean \"A\", \"B\", \"C\", \"D\", or \"E\"?");
    gqlx_buf_clear(&b);
    gqlx_format_list(&b, "and", items, 2);
    assert_string_equal(b.data, "A and B");
    gqlx_buf_clear(&b);
    gqlx_format_list(&b, "and", items, 3);
    assert_string_equal(b.data, "A, B, and C");
    gqlx_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_natural_compare),
        cmocka_unit_test(test_distance),
        cmocka_unit_test(test_suggestion_list),
        cmocka_unit_test(test_did_you_mean),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
