/* tests/unit/core/test_hash.c — byte-string hashing (hash.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/hash.h"

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void assert_all_distinct(uint64_t *h, size_t n)
{
    qsort(h, n, sizeof *h, cmp_u64);
    for (size_t i = 1; i < n; i++)
        assert_true(h[i] != h[i - 1]);
}

static void test_deterministic(void **state)
{
    (void)state;
    const char *s = "query { viewer { login } }";
    assert_true(gqlx_hash(s, strlen(s), 0) == gqlx_hash(s, strlen(s), 0));
    assert_true(gqlx_hash(s, strlen(s), 7) == gqlx_hash(s, strlen(s), 7));
    assert_true(gqlx_hash(s, strlen(s), 0) != gqlx_hash(s, strlen(s), 1));
    assert_true(gqlx_hash(NULL, 0, 0) == gqlx_hash("x", 0, 0));
    /* Bytes past len do not count. */
    char a[40] = "abcdefghijklmnopqrstuvwxyz", b[40] = "abcdefghijklmnopqrstuvwxyz";
    for (size_t n = 0; n < 26; n++) {
        a[n] = '!';
        b[n] = '?';
        assert_true(gqlx_hash(a, n, 3) == gqlx_hash(b, n, 3));
        a[n] = b[n] = 'a';
    }
}

static void test_distinct(void **state)
{
    (void)state;
    /* Every prefix length of one buffer (all code paths: 0, 1-3, 4-7, 8,
     * 9-16, longer). */
    char buf[200];
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (char)(i * 37 + 11);
    uint64_t h[200];
    for (size_t n = 0; n < 200; n++)
        h[n] = gqlx_hash(buf, n, 0);
    assert_all_distinct(h, 200);

    /* Zero bytes of different lengths. */
    char zeros[64] = {0};
    for (size_t n = 0; n < 64; n++)
        h[n] = gqlx_hash(zeros, n, 0);
    assert_all_distinct(h, 64);

    /* Many short keys like JSON object keys. */
    enum { N = 100000 };
    uint64_t *many = malloc(N * sizeof *many);
    assert_non_null(many);
    for (int i = 0; i < N; i++) {
        char key[16];
        int len = snprintf(key, sizeof key, "k%d", i);
        many[i] = gqlx_hash(key, (size_t)len, 0);
    }
    assert_all_distinct(many, N);
    free(many);
}

/* Every single-bit flip of a 32-byte input gives a different hash, and on
 * average about half of the output bits change. */
static void test_bit_flips(void **state)
{
    (void)state;
    for (size_t len = 1; len <= 32; len += 5) {
        unsigned char in[32];
        for (size_t i = 0; i < sizeof in; i++)
            in[i] = (unsigned char)(i * 101 + 7);
        uint64_t base = gqlx_hash(in, len, 0x1234);
        uint64_t h[257];
        size_t k = 0;
        h[k++] = base;
        unsigned total = 0;
        for (size_t bit = 0; bit < len * 8; bit++) {
            in[bit / 8] ^= (unsigned char)(1u << (bit % 8));
            uint64_t x = gqlx_hash(in, len, 0x1234);
            in[bit / 8] ^= (unsigned char)(1u << (bit % 8));
            total += (unsigned)__builtin_popcountll(x ^ base);
            h[k++] = x;
        }
        assert_all_distinct(h, k);
        double avg = (double)total / (double)(len * 8);
        if (avg < 24 || avg > 40)
            fail_msg("len %zu: %.1f bits change on average", len, avg);
    }
}

static void test_seeds(void **state)
{
    (void)state;
    uint64_t s = gqlx_hash_seed();
    assert_true(s != 0);
    assert_true(gqlx_hash_seed() == s); /* chosen once per process */
    uint64_t h[64];
    for (uint64_t seed = 0; seed < 64; seed++)
        h[seed] = gqlx_hash("same", 4, seed);
    assert_all_distinct(h, 64);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_distinct),
        cmocka_unit_test(test_bit_flips),
        cmocka_unit_test(test_seeds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
