/* tests/unit/server/test_url.c — percent-decoding and query-string
 * iteration (url.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "server/url.h"

#define BAD ((size_t)-1)

/* Decodes s into out (NUL-terminated on success) and returns the length. */
static size_t decode(const char *s, bool plus, char *out)
{
    size_t n = gqlx_url_decode(out, s, strlen(s), plus);
    if (n != BAD)
        out[n] = '\0';
    return n;
}

static void test_decode_plain_and_escapes(void **state)
{
    (void)state;
    char out[64];
    assert_int_equal(decode("", false, out), 0);
    assert_int_equal(decode("abc", false, out), 3);
    assert_string_equal(out, "abc");
    assert_int_equal(decode("%41%42", false, out), 2);
    assert_string_equal(out, "AB");
    assert_int_equal(decode("%4a%4A", false, out), 2); /* either case of hex */
    assert_string_equal(out, "JJ");
    assert_int_equal(decode("a%20b", false, out), 3);
    assert_string_equal(out, "a b");
    assert_int_equal(decode("%C3%A9t%C3%A9", false, out), 5); /* UTF-8 bytes */
    assert_string_equal(out, "\xc3\xa9t\xc3\xa9");
    assert_int_equal(decode("%2F%3f%25", false, out), 3);
    assert_string_equal(out, "/?%");
}

static void test_decode_plus(void **state)
{
    (void)state;
    char out[64];
    assert_int_equal(decode("a+b", true, out), 3);
    assert_string_equal(out, "a b");
    assert_int_equal(decode("a+b", false, out), 3); /* paths keep '+' */
    assert_string_equal(out, "a+b");
    assert_int_equal(decode("%2B+", true, out), 2); /* an escaped plus stays a plus */
    assert_string_equal(out, "+ ");
}

static void test_decode_malformed(void **state)
{
    (void)state;
    char out[64];
    assert_int_equal(decode("%", false, out), BAD);
    assert_int_equal(decode("%4", false, out), BAD);
    assert_int_equal(decode("abc%", false, out), BAD);
    assert_int_equal(decode("ab%4", false, out), BAD);
    assert_int_equal(decode("%zz", false, out), BAD);
    assert_int_equal(decode("%g0", false, out), BAD);
    assert_int_equal(decode("%0g", false, out), BAD);
    assert_int_equal(decode("%%41", false, out), BAD);
    assert_int_equal(decode("% 1", false, out), BAD);
}

static void test_decode_nul_and_in_place(void **state)
{
    (void)state;
    char out[8];
    size_t n = gqlx_url_decode(out, "a%00b", 5, false);
    assert_int_equal(n, 3);
    assert_memory_equal(out, "a\0b", 3);

    char buf[] = "x%41y%42z+";
    n = gqlx_url_decode(buf, buf, strlen(buf), true); /* dst == src */
    assert_int_equal(n, 6);
    assert_memory_equal(buf, "xAyBz ", 6);

    /* Only n bytes are read: an escape cut by n is malformed. */
    assert_int_equal(gqlx_url_decode(out, "%41", 2, false), BAD);
    assert_int_equal(gqlx_url_decode(out, "%41", 3, false), 1);
}

typedef struct pair {
    const char *name;
    const char *value;
} pair;

/* Iterates s and checks the pairs against want (NULL-terminated). */
static void check_pairs(const char *s, const pair *want)
{
    size_t pos = 0, i = 0, len = strlen(s);
    gqlx_slice name, value;
    while (gqlx_query_next(s, len, &pos, &name, &value)) {
        assert_non_null(want[i].name);
        assert_int_equal(name.len, strlen(want[i].name));
        assert_memory_equal(name.ptr, want[i].name, name.len);
        assert_int_equal(value.len, strlen(want[i].value));
        assert_memory_equal(value.ptr, want[i].value, value.len);
        i++;
    }
    assert_null(want[i].name);
    assert_int_equal(pos, len);
    /* At the end it stays at the end. */
    assert_false(gqlx_query_next(s, len, &pos, &name, &value));
}

static void test_query_iteration(void **state)
{
    (void)state;
    check_pairs("", (pair[]){{NULL, NULL}});
    check_pairs("a=1&b=2", (pair[]){{"a", "1"}, {"b", "2"}, {NULL, NULL}});
    check_pairs("a=1&&b=2&", (pair[]){{"a", "1"}, {"b", "2"}, {NULL, NULL}});
    check_pairs("&&&", (pair[]){{NULL, NULL}});
    check_pairs("flag", (pair[]){{"flag", ""}, {NULL, NULL}});
    check_pairs("=x&y=", (pair[]){{"", "x"}, {"y", ""}, {NULL, NULL}});
    check_pairs("a=1=2", (pair[]){{"a", "1=2"}, {NULL, NULL}});
    /* Pairs come raw: decoding is the caller's. */
    check_pairs("q=%7B+a+%7D&v=%zz", (pair[]){{"q", "%7B+a+%7D"}, {"v", "%zz"}, {NULL, NULL}});
    check_pairs("a=1&a=2", (pair[]){{"a", "1"}, {"a", "2"}, {NULL, NULL}});
}

static void test_query_length_bound(void **state)
{
    (void)state;
    /* Only len bytes count, even when more follow. */
    const char *s = "a=1&b=2";
    size_t pos = 0;
    gqlx_slice name, value;
    assert_true(gqlx_query_next(s, 3, &pos, &name, &value));
    assert_int_equal(value.len, 1);
    assert_false(gqlx_query_next(s, 3, &pos, &name, &value));
    pos = 0;
    assert_true(gqlx_query_next(s, 2, &pos, &name, &value));
    assert_int_equal(name.len, 1);
    assert_int_equal(value.len, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode_plain_and_escapes),
        cmocka_unit_test(test_decode_plus),
        cmocka_unit_test(test_decode_malformed),
        cmocka_unit_test(test_decode_nul_and_in_place),
        cmocka_unit_test(test_query_iteration),
        cmocka_unit_test(test_query_length_bound),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
