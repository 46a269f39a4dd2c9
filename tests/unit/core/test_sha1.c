/* tests/unit/core/test_sha1.c — SHA-1 (sha1.c) against the FIPS 180
 * examples and padding boundaries, in one call and in pieces. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/sha1.h"

static void hex(const unsigned char *d, char out[41])
{
    for (unsigned i = 0; i < GQLX_SHA1_DIGEST_BYTES; i++)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void check(const char *msg, size_t n, const char *want)
{
    unsigned char d[GQLX_SHA1_DIGEST_BYTES];
    char got[41];
    gqlx_sha1(msg, n, d);
    hex(d, got);
    assert_string_equal(got, want);
    /* The same bytes fed in uneven pieces give the same digest. */
    for (size_t step = 1; step <= 67; step += 11) {
        gqlx_sha1_ctx s;
        gqlx_sha1_init(&s);
        for (size_t i = 0; i < n; i += step)
            gqlx_sha1_update(&s, msg + i, n - i < step ? n - i : step);
        gqlx_sha1_final(&s, d);
        hex(d, got);
        assert_string_equal(got, want);
    }
}

static void test_fips_examples(void **state)
{
    (void)state;
    check("", 0, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    check("abc", 3, "a9993e364706816aba3e25717850c26c9cd0d89d");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    check(two, strlen(two), "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
}

static void test_million_a(void **state)
{
    (void)state;
    size_t n = 1000000;
    char *a = malloc(n);
    assert_non_null(a);
    memset(a, 'a', n);
    check(a, n, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
    free(a);
}

/* Lengths around the 56-byte point where the length no longer fits in
 * the last block. */
static void test_padding_boundaries(void **state)
{
    (void)state;
    static const struct {
        size_t n;
        const char *want;
    } cases[] = {
        {55, "c1c8bbdc22796e28c0e15163d20899b65621d65a"},
        {56, "c2db330f6083854c99d4b5bfb6e8f29f201be699"},
        {63, "03f09f5b158a7a8cdad920bddc29b81c18a551f5"},
        {64, "0098ba824b5c16427bd7a1122a5a442a25ec644d"},
        {65, "11655326c708d70319be2610e8a57d9a5b959d3b"},
    };
    char a[80];
    memset(a, 'a', sizeof a);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check(a, cases[i].n, cases[i].want);
}

/* The example of RFC 6455 section 1.3: the key and the GUID. */
static void test_websocket_example(void **state)
{
    (void)state;
    const char *m = "dGhlIHNhbXBsZSBub25jZQ==258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    check(m, strlen(m), "b37a4f2cc0624f1690f64606cf385945b2bec4ea");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fips_examples),
        cmocka_unit_test(test_million_a),
        cmocka_unit_test(test_padding_boundaries),
        cmocka_unit_test(test_websocket_example),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
