/* tests/unit/core/test_base64.c — base64 encoding (core/base64.c) against
 * RFC 4648's test vectors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/base64.h"

static void test_base64(void **state)
{
    (void)state;
    /* RFC 4648's test vectors. */
    static const char *const vectors[][2] = {{"", ""},
                                             {"f", "Zg=="},
                                             {"fo", "Zm8="},
                                             {"foo", "Zm9v"},
                                             {"foob", "Zm9vYg=="},
                                             {"fooba", "Zm9vYmE="},
                                             {"foobar", "Zm9vYmFy"}};
    char out[16];
    assert_int_equal(gqlx_base64_encoded_len(6), 8);
    assert_int_equal(gqlx_base64_encoded_len(4), 8);
    for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
        gqlx_base64_encode((const unsigned char *)vectors[i][0], strlen(vectors[i][0]), out);
        assert_string_equal(out, vectors[i][1]);
    }
    unsigned char high[3] = {0xfb, 0xff, 0xbf};
    gqlx_base64_encode(high, 3, out);
    assert_string_equal(out, "+/+/");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_base64),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
