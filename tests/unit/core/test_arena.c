/* tests/unit/core/test_arena.c — the chunked bump allocator (arena.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/limits.h"

static void test_empty(void **state)
{
    (void)state;
    gqlx_arena a;
    gqlx_arena_init(&a, 0, 0);
    assert_int_equal(a.chunk_bytes, GQLX_ARENA_CHUNK_BYTES);
    assert_int_equal(gqlx_arena_reserved(&a), 0); /* nothing taken yet */
    assert_int_equal(gqlx_arena_used(&a), 0);
    assert_false(gqlx_arena_failed(&a));
    gqlx_arena_reset(&a); /* harmless when empty */
    gqlx_arena_free(&a);
    gqlx_arena_free(&a); /* and twice */
}

static void test_alignment(void **state)
{
    (void)state;
    gqlx_arena a;
    gqlx_arena_init(&a, 256, 0);
    for (int round = 0; round < 200; round++) {
        for (size_t align = 1; align <= 16; align *= 2) {
            size_t size = (size_t)(round % 7) + 1;
            char *p = gqlx_arena_alloc(&a, size, align);
            assert_non_null(p);
            assert_int_equal((uintptr_t)p % align, 0);
            memset(p, 0x5a, size); /* ASan: the bytes are ours */
        }
    }
    long double *ld = GQLX_ARRAY(&a, long double, 3);
    assert_non_null(ld);
    assert_int_equal((uintptr_t)ld % _Alignof(long double), 0);
    gqlx_arena_free(&a);
}

static void test_typed_helpers(void **state)
{
    (void)state;
    gqlx_arena a;
    gqlx_arena_init(&a, 0, 0);
    struct pt {
        int x, y;
        double z;
    } *p = GQLX_NEW(&a, struct pt);
    assert_non_null(p);
    assert_int_equal(p->x, 0);
    assert_int_equal(p->y, 0);
    assert_true(p->z == 0.0);
    int *zs = gqlx_arena_zalloc(&a, 100 * sizeof(int), _Alignof(int));
    for (int i = 0; i < 100; i++)
        assert_int_equal(zs[i], 0);
    char *s = gqlx_arena_strndup(&a, "hello world", 5);
    assert_string_equal(s, "hello");
    char *e = gqlx_arena_strndup(&a, NULL, 0);
    assert_string_equal(e, "");
    char *m = gqlx_arena_memdup(&a, "a\0b", 3);
    assert_memory_equal(m, "a\0b", 3);
    assert_false(gqlx_arena_failed(&a));
    /* n * size overflow: NULL and the sticky flag. */
    assert_null(GQLX_ARRAY(&a, uint64_t, SIZE_MAX / 4));
    assert_true(gqlx_arena_failed(&a));
    assert_null(gqlx_arena_alloc(&a, 1, 1));
    gqlx_arena_free(&a);
}

static void test_huge_sizes(void **state)
{
    (void)state;
    /* Sizes near SIZE_MAX must fail cleanly, never wrap around into a small
     * chunk (this once returned a pointer whose end overflowed). */
    static const size_t sizes[] = {SIZE_MAX, SIZE_MAX - 1, SIZE_MAX - 8, SIZE_MAX - 15,
                                   SIZE_MAX - 7};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        gqlx_arena a;
        gqlx_arena_init(&a, 0, 0);
        assert_non_null(gqlx_arena_alloc(&a, 8, 8));
        assert_null(gqlx_arena_alloc(&a, sizes[i], 8));
        assert_true(gqlx_arena_failed(&a));
        gqlx_arena_free(&a);
        gqlx_arena_init(&a, 0, 0);
        assert_null(gqlx_arena_alloc(&a, sizes[i], 16));
        assert_true(gqlx_arena_failed(&a));
        gqlx_arena_free(&a);
    }
    gqlx_arena a;
    gqlx_arena_init(&a, 0, 0);
    assert_null(gqlx_arena_strndup(&a, "", SIZE_MAX));
    assert_true(gqlx_arena_failed(&a));
    gqlx_arena_free(&a);
}

static void test_cap_and_sticky_failure(void **state)
{
    (void)state;
    gqlx_arena a;
    gqlx_arena_init(&a, 1024, 4096);
    size_t n = 0;
    while (gqlx_arena_alloc(&a, 100, 8) != NULL)
        n++;
    assert_true(n >= 20 && n <= 40);
    assert_true(gqlx_arena_failed(&a));
    assert_true(gqlx_arena_reserved(&a) <= 4096);
    /* Sticky: even a request that would fit fails now. */
    assert_null(gqlx_arena_alloc(&a, 1, 1));
    assert_null(gqlx_arena_zalloc(&a, 1, 1));
    assert_null(gqlx_arena_memdup(&a, "x", 1));
    /* Reset clears the flag and keeps the largest ordinary chunk (chunks
     * double: 1024, then 2048, then what the cap leaves). */
    gqlx_arena_reset(&a);
    assert_false(gqlx_arena_failed(&a));
    assert_true(gqlx_arena_reserved(&a) > 2048 && gqlx_arena_reserved(&a) < 3072);
    assert_int_equal(gqlx_arena_used(&a), 0);
    assert_non_null(gqlx_arena_alloc(&a, 100, 8));
    /* One allocation larger than the cap fails at once. */
    assert_null(gqlx_arena_alloc(&a, 5000, 1));
    assert_true(gqlx_arena_failed(&a));
    gqlx_arena_free(&a);
}

static void test_big_allocations(void **state)
{
    (void)state;
    gqlx_arena a;
    gqlx_arena_init(&a, 1024, 0);
    char *small1 = gqlx_arena_alloc(&a, 16, 1);
    assert_non_null(small1);
    size_t reserved = gqlx_arena_reserved(&a);
    char *big = gqlx_arena_alloc(&a, 100000, 16);
    assert_non_null(big);
    memset(big, 1, 100000);
    assert_true(gqlx_arena_reserved(&a) >= reserved + 100000);
    /* The ordinary chunk keeps serving small requests after a big one. */
    char *small2 = gqlx_arena_alloc(&a, 16, 1);
    assert_ptr_equal(small2, small1 + 16);
    assert_true(gqlx_arena_used(&a) >= 100032);
    /* Reset gives the big chunk back and keeps the ordinary one. */
    gqlx_arena_reset(&a);
    assert_int_equal(gqlx_arena_reserved(&a), reserved);
    assert_ptr_equal(gqlx_arena_alloc(&a, 16, 1), small1);
    gqlx_arena_free(&a);

    /* A big first allocation becomes the current chunk; reset frees it. */
    gqlx_arena_init(&a, 1024, 0);
    assert_non_null(gqlx_arena_alloc(&a, 4000, 8));
    assert_non_null(gqlx_arena_alloc(&a, 8, 8));
    gqlx_arena_reset(&a);
    assert_int_equal(gqlx_arena_reserved(&a), 0);
    assert_non_null(gqlx_arena_alloc(&a, 8, 8));
    gqlx_arena_free(&a);
}

/* Chunks grow geometrically, and an arena reset between jobs of one size
 * settles on one chunk that holds a whole job. */
static void test_growth_and_reuse(void **state)
{
    (void)state;
    gqlx_arena a;
    gqlx_arena_init(&a, 1024, 0);
    for (int i = 0; i < 1000; i++)
        assert_non_null(gqlx_arena_alloc(&a, 100, 8));
    /* 100,000 bytes in doubling chunks: 1 + 2 + ... + 128 KiB, not 98
     * chunks of 1 KiB. */
    assert_true(gqlx_arena_reserved(&a) < 300000);
    for (int job = 0; job < 4; job++) {
        gqlx_arena_reset(&a);
        for (int i = 0; i < 1000; i++)
            assert_non_null(gqlx_arena_alloc(&a, 100, 8));
    }
    long before = (long)gqlx_alloc_count();
    gqlx_arena_reset(&a);
    for (int i = 0; i < 1000; i++)
        assert_non_null(gqlx_arena_alloc(&a, 100, 8));
    assert_int_equal((long)gqlx_alloc_count() - before, 0);
    gqlx_arena_free(&a);
}

/* A reset keeps at most 1 MiB: an arena kept in a pool does not hold on
 * to the memory of the biggest job it once ran. */
static void test_reset_keeps_bounded_chunk(void **state)
{
    (void)state;
    gqlx_arena a;
    gqlx_arena_init(&a, 1024, 0);
    for (int i = 0; i < 100000; i++) /* 10 MB: chunks up to 8 MiB */
        assert_non_null(gqlx_arena_alloc(&a, 100, 8));
    assert_true(gqlx_arena_reserved(&a) > 8u * 1024u * 1024u);
    gqlx_arena_reset(&a);
    assert_true(gqlx_arena_reserved(&a) > 512u * 1024u);
    assert_true(gqlx_arena_reserved(&a) <= 1024u * 1024u + 64u);
    assert_non_null(gqlx_arena_alloc(&a, 100, 8));
    gqlx_arena_free(&a);
}

static void test_many_chunks(void **state)
{
    (void)state;
    gqlx_arena a;
    gqlx_arena_init(&a, 512, 0);
    char *ptrs[1000];
    for (int i = 0; i < 1000; i++) {
        ptrs[i] = gqlx_arena_alloc(&a, 40, 8);
        assert_non_null(ptrs[i]);
        memset(ptrs[i], i & 0xff, 40);
    }
    for (int i = 0; i < 1000; i++)
        assert_int_equal((unsigned char)ptrs[i][39], i & 0xff);
    assert_true(gqlx_arena_used(&a) >= 40000);
    gqlx_arena_reset(&a);
    gqlx_arena_reset(&a);
    gqlx_arena_free(&a);
}

/* Fails the Nth system allocation: the arena reports it, stays failed, and
 * frees everything it holds (ASan finds leaks). */
static void test_fault_injection(void **state)
{
    (void)state;
    for (long n = 0; n < 12; n++) {
        gqlx_arena a;
        gqlx_arena_init(&a, 256, 0);
        gqlx_fault_set(n);
        int got = 0;
        for (int i = 0; i < 100; i++) {
            if (gqlx_arena_alloc(&a, i % 3 ? 48 : 300, 8) == NULL)
                break;
            got++;
        }
        gqlx_fault_reset();
        if (got < 100) {
            assert_true(gqlx_fault_triggered());
            assert_true(gqlx_arena_failed(&a));
            assert_null(gqlx_arena_alloc(&a, 1, 1));
        }
        gqlx_arena_reset(&a);
        assert_non_null(gqlx_arena_alloc(&a, 1, 1));
        gqlx_arena_free(&a);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_alignment),
        cmocka_unit_test(test_typed_helpers),
        cmocka_unit_test(test_huge_sizes),
        cmocka_unit_test(test_cap_and_sticky_failure),
        cmocka_unit_test(test_big_allocations),
        cmocka_unit_test(test_growth_and_reuse),
        cmocka_unit_test(test_reset_keeps_bounded_chunk),
        cmocka_unit_test(test_many_chunks),
        cmocka_unit_test(test_fault_injection),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
