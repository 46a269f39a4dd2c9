/* tests/unit/core/test_utf8.c — UTF-8 validation, decoding, encoding and
 * UTF-16 length (utf8.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/utf8.h"

static const struct {
    const char *s;
    size_t len; /* 0: strlen */
    int valid;
    size_t bad; /* offset of the first invalid sequence */
} cases[] = {
    {"", 0, 1, 0},
    {"plain ascii, longer than eight bytes", 0, 1, 0},
    {"\x00\x7f", 2, 1, 0},
    {"\xc2\x80 \xdf\xbf", 0, 1, 0},                /* U+0080, U+07FF */
    {"\xe0\xa0\x80 \xef\xbf\xbf", 0, 1, 0},        /* U+0800, U+FFFF */
    {"\xed\x9f\xbf \xee\x80\x80", 0, 1, 0},        /* around the surrogates */
    {"\xf0\x90\x80\x80 \xf4\x8f\xbf\xbf", 0, 1, 0}, /* U+10000, U+10FFFF */
    {"caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80", 0, 1, 0},
    {"\x80", 0, 0, 0},                  /* lone continuation */
    {"abc\xbf", 0, 0, 3},
    {"\xc0\x80", 0, 0, 0},              /* overlong NUL */
    {"\xc1\xbf", 0, 0, 0},              /* overlong */
    {"\xe0\x80\x80", 0, 0, 0},          /* overlong 3-byte */
    {"\xe0\x9f\xbf", 0, 0, 0},          /* overlong U+07FF */
    {"\xf0\x80\x80\x80", 0, 0, 0},      /* overlong 4-byte */
    {"\xf0\x8f\xbf\xbf", 0, 0, 0},      /* overlong U+FFFF */
    {"ok \xed\xa0\x80", 0, 0, 3},       /* U+D800 */
    {"\xed\xbf\xbf", 0, 0, 0},          /* U+DFFF */
    {"\xed\xa0\xbd\xed\xb8\x80", 0, 0, 0}, /* CESU-8 pair */
    {"\xf4\x90\x80\x80", 0, 0, 0},      /* U+110000 */
    {"\xf5\x80\x80\x80", 0, 0, 0},
    {"\xf8\x88\x80\x80\x80", 0, 0, 0},  /* 5-byte form */
    {"\xfe", 0, 0, 0},
    {"\xff", 0, 0, 0},
    {"x\xc3", 0, 0, 1},                 /* truncated at end */
    {"x\xe2\x82", 0, 0, 1},
    {"x\xf0\x9f\x98", 0, 0, 1},
    {"\xe2\x82x", 0, 0, 0},             /* truncated before ASCII */
    {"\xc3\xc3\xa9", 0, 0, 0},
    {"12345678\xc3\xa9\x80", 0, 0, 10}, /* after the 8-byte ASCII path */
};

static void test_valid_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len = cases[i].len ? cases[i].len : strlen(cases[i].s);
        size_t bad = 12345;
        bool ok = gqlx_utf8_valid(cases[i].s, len, &bad);
        if (ok != cases[i].valid)
            fail_msg("case %zu: valid=%d", i, ok);
        if (!ok && bad != cases[i].bad)
            fail_msg("case %zu: bad at %zu, want %zu", i, bad, cases[i].bad);
        if (ok)
            assert_int_equal(bad, 12345); /* untouched */
        assert_int_equal(gqlx_utf8_valid(cases[i].s, len, NULL), ok);
    }
}

static void test_decode(void **state)
{
    (void)state;
    uint32_t cp = 0;
    assert_int_equal(gqlx_utf8_decode("A", 1, &cp), 1);
    assert_int_equal(cp, 'A');
    assert_int_equal(gqlx_utf8_decode("\xc3\xa9", 2, &cp), 2);
    assert_int_equal(cp, 0xe9);
    assert_int_equal(gqlx_utf8_decode("\xe2\x82\xac", 3, &cp), 3);
    assert_int_equal(cp, 0x20ac);
    assert_int_equal(gqlx_utf8_decode("\xf0\x9f\x98\x80", 4, &cp), 4);
    assert_int_equal(cp, 0x1f600);
    assert_int_equal(gqlx_utf8_decode("\xf0\x9f\x98\x80", 3, &cp), 0); /* len counts */
    assert_int_equal(gqlx_utf8_decode("", 0, &cp), 0);
    assert_int_equal(gqlx_utf8_decode("\xed\xa0\x80", 3, &cp), 0);
}

/* Every scalar value encodes and decodes back, with the expected length. */
static void test_encode_all(void **state)
{
    (void)state;
    for (uint32_t cp = 0; cp <= 0x10ffff; cp++) {
        if (cp >= 0xd800 && cp <= 0xdfff)
            continue;
        char out[4];
        size_t n = gqlx_utf8_encode(cp, out);
        size_t want = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
        assert_int_equal(n, want);
        uint32_t back = 0xffffffff;
        assert_int_equal(gqlx_utf8_decode(out, n, &back), n);
        assert_int_equal(back, cp);
        assert_true(gqlx_utf8_valid(out, n, NULL));
        assert_int_equal(gqlx_utf16_length(out, n), cp >= 0x10000 ? 2 : 1);
    }
}

static void test_utf16_length(void **state)
{
    (void)state;
    assert_int_equal(gqlx_utf16_length("", 0), 0);
    assert_int_equal(gqlx_utf16_length("abc", 3), 3);
    assert_int_equal(gqlx_utf16_length("caf\xc3\xa9", 5), 4);
    assert_int_equal(gqlx_utf16_length("\xe6\x97\xa5", 3), 1);
    assert_int_equal(gqlx_utf16_length("\xf0\x9f\x98\x80!", 5), 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_table),
        cmocka_unit_test(test_decode),
        cmocka_unit_test(test_encode_all),
        cmocka_unit_test(test_utf16_length),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
