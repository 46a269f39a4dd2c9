/* tests/unit/core/test_intern.c — name interning (intern.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/intern.h"

static void test_same_pointer(void **state)
{
    (void)state;
    gqlx_arena a;
    gqlx_arena_init(&a, 0, 0);
    gqlx_intern_table t;
    gqlx_intern_init(&t, &a, 0);
    assert_null(gqlx_intern_find(&t, "id", 2)); /* empty table */
    char buf[] = "id";
    const gqlx_name *n1 = gqlx_intern(&t, buf, 2);
    assert_non_null(n1);
    buf[0] = 'x'; /* the table keeps its own copy */
    const gqlx_name *n2 = gqlx_intern(&t, "id", 2);
    assert_ptr_equal(n1, n2);
    assert_string_equal(n1->str, "id");
    assert_int_equal(n1->len, 2);
    assert_true(gqlx_slice_eq_cstr(gqlx_name_slice(n1), "id"));
    assert_ptr_equal(gqlx_intern_find(&t, "id", 2), n1);
    assert_ptr_not_equal(gqlx_intern(&t, "Id", 2), n1);
    assert_ptr_not_equal(gqlx_intern(&t, "id ", 3), n1);
    assert_ptr_not_equal(gqlx_intern(&t, "i", 1), n1);
    const gqlx_name *empty = gqlx_intern(&t, "", 0);
    assert_non_null(empty);
    assert_ptr_equal(gqlx_intern(&t, NULL, 0), empty);
    assert_string_equal(empty->str, "");
    const gqlx_name *nul = gqlx_intern(&t, "a\0b", 3);
    assert_int_equal(nul->len, 3);
    assert_ptr_not_equal(nul, gqlx_intern(&t, "a", 1));
    assert_ptr_equal(gqlx_intern(&t, "a\0b", 3), nul);
    assert_int_equal(t.count, 7);
    gqlx_arena_free(&a);
}

static void test_growth(void **state)
{
    (void)state;
    gqlx_arena a;
    gqlx_arena_init(&a, 0, 0);
    gqlx_intern_table t;
    gqlx_intern_init(&t, &a, 42);
    enum { N = 20000 };
    static const gqlx_name *names[N];
    for (int i = 0; i < N; i++) {
        char s[24];
        int len = snprintf(s, sizeof s, "field_%d", i);
        names[i] = gqlx_intern(&t, s, (size_t)len);
        assert_non_null(names[i]);
    }
    assert_int_equal(t.count, N);
    assert_true(t.mask + 1 >= 2 * N); /* load factor at most one half */
    for (int i = 0; i < N; i++) {
        char s[24];
        int len = snprintf(s, sizeof s, "field_%d", i);
        assert_ptr_equal(gqlx_intern_find(&t, s, (size_t)len), names[i]);
        assert_ptr_equal(gqlx_intern(&t, s, (size_t)len), names[i]);
        assert_string_equal(names[i]->str, s);
    }
    assert_int_equal(t.count, N);
    assert_null(gqlx_intern_find(&t, "field_-1", 8));
    gqlx_arena_free(&a);
}

static void test_arena_failure(void **state)
{
    (void)state;
    gqlx_arena a;
    gqlx_arena_init(&a, 1024, 8192);
    gqlx_intern_table t;
    gqlx_intern_init(&t, &a, 0);
    const gqlx_name *first = gqlx_intern(&t, "first", 5);
    assert_non_null(first);
    int i = 0;
    for (; i < 100000; i++) {
        char s[24];
        int len = snprintf(s, sizeof s, "n%d", i);
        if (gqlx_intern(&t, s, (size_t)len) == NULL)
            break;
    }
    assert_true(i < 100000);
    assert_true(gqlx_arena_failed(&a));
    /* Lookups still work on what was added. */
    assert_ptr_equal(gqlx_intern_find(&t, "first", 5), first);
    gqlx_arena_free(&a);

    for (long n = 0; n < 6; n++) {
        gqlx_arena_init(&a, 512, 0);
        gqlx_intern_init(&t, &a, 0);
        gqlx_fault_set(n);
        int added = 0;
        for (int k = 0; k < 200; k++) {
            char s[24];
            int len = snprintf(s, sizeof s, "name%d", k);
            if (gqlx_intern(&t, s, (size_t)len) == NULL)
                break;
            added++;
        }
        gqlx_fault_reset();
        assert_true(added == 200 || gqlx_fault_triggered());
        for (int k = 0; k < added; k++) {
            char s[24];
            int len = snprintf(s, sizeof s, "name%d", k);
            assert_non_null(gqlx_intern_find(&t, s, (size_t)len));
        }
        gqlx_arena_free(&a);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_pointer),
        cmocka_unit_test(test_growth),
        cmocka_unit_test(test_arena_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
