/* src/core/hash.c — fast 64-bit hashing of byte strings. */
#include "core/hash.h"

#include <stdatomic.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

/* Odd constants with well-spread bits (digits of the golden ratio and of
 * pi), so that every input bit reaches every output bit after two mixes. */
#define K0 0x9e3779b97f4a7c15ull
#define K1 0x243f6a8885a308d3ull
#define K2 0x13198a2e03707344ull
#define K3 0xa4093822299f31d0ull

__extension__ typedef unsigned __int128 u128;

/* Folds the 128-bit product of a and b into 64 bits. */
static inline uint64_t fold_mul(uint64_t a, uint64_t b)
{
    u128 r = (u128)a * b;
    return (uint64_t)r ^ (uint64_t)(r >> 64);
}

static inline uint64_t load64(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static inline uint64_t load_tail(const unsigned char *p, size_t n)
{
    /* n is 1..7: assemble from the first, middle and last byte spans so that
     * every byte counts without reading past the end. */
    if (n >= 4) {
        uint32_t a, b;
        memcpy(&a, p, 4);
        memcpy(&b, p + n - 4, 4);
        return ((uint64_t)a << 32) | b;
    }
    return ((uint64_t)p[0] << 16) | ((uint64_t)p[n >> 1] << 8) | p[n - 1];
}

uint64_t gqlx_hash(const void *data, size_t len, uint64_t seed)
{
    const unsigned char *p = data;
    uint64_t h = seed ^ fold_mul(seed ^ K0, (uint64_t)len ^ K1);
    size_t n = len;
    while (n > 16) {
        h = fold_mul(load64(p) ^ K1 ^ h, load64(p + 8) ^ K2);
        p += 16;
        n -= 16;
    }
    uint64_t a = 0, b = 0;
    if (n > 8) {
        a = load64(p);
        b = load64(p + n - 8);
    } else if (n == 8) {
        a = load64(p);
    } else if (n > 0) {
        a = load_tail(p, n);
    }
    h = fold_mul(a ^ K1 ^ h, b ^ K2 ^ (uint64_t)len);
    return fold_mul(h ^ K3, h ^ K0);
}

uint64_t gqlx_hash_seed(void)
{
    static _Atomic uint64_t seed;
    uint64_t s = atomic_load_explicit(&seed, memory_order_relaxed);
    if (s != 0)
        return s;
    if (getrandom(&s, sizeof s, GRND_NONBLOCK) != (ssize_t)sizeof s) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        s = fold_mul((uint64_t)ts.tv_nsec ^ K0, (uint64_t)(uintptr_t)&ts ^ K1);
    }
    s |= 1; /* never zero, which marks "not chosen yet" */
    uint64_t expected = 0;
    atomic_compare_exchange_strong(&seed, &expected, s);
    return atomic_load(&seed);
}
