/* tests/unit/core/test_buf.c — the growable byte buffer (buf.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/alloc.h"
#include "core/buf.h"

static void test_append(void **state)
{
    (void)state;
    gqlx_buf b;
    gqlx_buf_init(&b, 0);
    assert_null(b.data); /* no memory until needed */
    gqlx_buf_append(&b, "ab", 2);
    gqlx_buf_putc(&b, 'c');
    gqlx_buf_append_cstr(&b, "de");
    gqlx_buf_printf(&b, "%d-%s", 42, "x");
    gqlx_buf_append(&b, "\0z", 2);
    assert_int_equal(b.len, 11);
    assert_memory_equal(b.data, "abcde42-x\0z", 11);
    assert_int_equal(b.data[b.len], '\0');
    assert_false(b.failed);
    gqlx_buf_append(&b, NULL, 0);
    assert_int_equal(b.len, 11);
    gqlx_buf_free(&b);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
}

static void test_growth(void **state)
{
    (void)state;
    gqlx_buf b;
    gqlx_buf_init(&b, 0);
    for (int i = 0; i < 100000; i++)
        gqlx_buf_putc(&b, (char)('a' + i % 26));
    assert_int_equal(b.len, 100000);
    assert_true(b.cap > b.len);
    for (int i = 0; i < 100000; i++)
        assert_int_equal(b.data[i], 'a' + i % 26);
    assert_int_equal(b.data[b.len], '\0');
    char big[5000];
    memset(big, 'q', sizeof big);
    gqlx_buf_clear(&b);
    gqlx_buf_printf(&b, "%.*s!", (int)sizeof big, big);
    assert_int_equal(b.len, 5001);
    assert_int_equal(b.data[5000], '!');
    gqlx_buf_free(&b);
}

static void test_cap(void **state)
{
    (void)state;
    gqlx_buf b;
    gqlx_buf_init(&b, 10);
    gqlx_buf_append(&b, "0123456789", 10);
    assert_false(b.failed);
    assert_int_equal(b.len, 10);
    gqlx_buf_putc(&b, 'x');
    assert_true(b.failed);
    assert_int_equal(b.len, 10);
    assert_string_equal(b.data, "0123456789");
    /* Sticky until cleared. */
    gqlx_buf_append(&b, "", 0);
    assert_false(gqlx_buf_reserve(&b, 0));
    gqlx_buf_clear(&b);
    assert_false(b.failed);
    assert_int_equal(b.len, 0);
    assert_string_equal(b.data, "");
    gqlx_buf_printf(&b, "%s", "01234567890");
    assert_true(b.failed);
    gqlx_buf_free(&b);

    /* putc's fast path must respect the cap too, not only the allocation
     * size (it once wrote past max into spare capacity). */
    gqlx_buf_init(&b, 4);
    gqlx_buf_append(&b, "abc", 3);
    gqlx_buf_putc(&b, 'd');
    assert_false(b.failed);
    for (int i = 0; i < 10; i++)
        gqlx_buf_putc(&b, 'e');
    assert_true(b.failed);
    assert_int_equal(b.len, 4);
    assert_string_equal(b.data, "abcd");
    gqlx_buf_free(&b);

    /* Overflowing requests fail cleanly. */
    gqlx_buf_init(&b, 0);
    gqlx_buf_putc(&b, 'a');
    assert_false(gqlx_buf_reserve(&b, SIZE_MAX));
    assert_true(b.failed);
    gqlx_buf_clear(&b);
    gqlx_buf_putc(&b, 'a');
    assert_false(gqlx_buf_reserve(&b, SIZE_MAX - 1));
    gqlx_buf_free(&b);
}

static void test_detach(void **state)
{
    (void)state;
    gqlx_buf b;
    gqlx_buf_init(&b, 100);
    gqlx_buf_append_cstr(&b, "owned");
    size_t len;
    char *p = gqlx_buf_detach(&b, &len);
    assert_int_equal(len, 5);
    assert_string_equal(p, "owned");
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.max, 100); /* the cap survives */
    gqlx_free(p);
    gqlx_buf_append_cstr(&b, "again");
    assert_string_equal(b.data, "again");
    gqlx_buf_free(&b);
}

static void test_fault_injection(void **state)
{
    (void)state;
    for (long n = 0; n < 10; n++) {
        gqlx_buf b;
        gqlx_buf_init(&b, 0);
        gqlx_fault_set(n);
        for (int i = 0; i < 5000; i++)
            gqlx_buf_append(&b, "0123456789", 10);
        gqlx_fault_reset();
        if (b.failed) {
            assert_true(gqlx_fault_triggered());
            assert_true(b.len < 50000);
            assert_true(b.len % 10 == 0); /* appends are all or nothing */
        } else {
            assert_int_equal(b.len, 50000);
        }
        gqlx_buf_free(&b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_append),
        cmocka_unit_test(test_growth),
        cmocka_unit_test(test_cap),
        cmocka_unit_test(test_detach),
        cmocka_unit_test(test_fault_injection),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
