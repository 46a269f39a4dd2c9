/* tests/unit/server/test_ws_deflate.c — permessage-deflate (ws_deflate.c):
 * which offers are accepted and what the server answers, compression
 * round trips at every window size, the inflation limit, and bad data. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zlib.h>

#include "core/buf.h"
#include "gql/status.h"
#include "server/ws.h"
#include "server/ws_deflate.h"

static const char BASIC[] =
    "permessage-deflate; server_no_context_takeover; client_no_context_takeover";

/* Negotiates header; returns the response ("" when declined). */
static const char *answer(const char *header, unsigned *bits)
{
    static char resp[GQLX_WS_DEFLATE_RESPONSE_MAX];
    gqlx_ws_deflate_params p = {0};
    if (!gqlx_ws_deflate_negotiate(header, &p, resp))
        return "";
    if (bits != NULL)
        *bits = p.server_window_bits;
    return resp;
}

static void test_accepted_offers(void **state)
{
    (void)state;
    unsigned bits = 0;
    assert_string_equal(answer("permessage-deflate", &bits), BASIC);
    assert_int_equal(bits, 15);
    /* What browsers and the ws package offer. */
    assert_string_equal(answer("permessage-deflate; client_max_window_bits", NULL), BASIC);
    assert_string_equal(answer("permessage-deflate; client_max_window_bits=10", NULL), BASIC);
    assert_string_equal(
        answer("permessage-deflate;server_no_context_takeover;client_no_context_takeover", NULL),
        BASIC);
    assert_string_equal(answer("  Permessage-Deflate  ", NULL), BASIC);
    assert_string_equal(answer("permessage-deflate; server_max_window_bits=10", &bits),
                        "permessage-deflate; server_no_context_takeover; "
                        "client_no_context_takeover; server_max_window_bits=10");
    assert_int_equal(bits, 10);
    assert_string_equal(answer("permessage-deflate; server_max_window_bits=\"12\"", &bits),
                        "permessage-deflate; server_no_context_takeover; "
                        "client_no_context_takeover; server_max_window_bits=12");
    assert_int_equal(bits, 12);
    /* 8 is valid; zlib cannot compress with it, so nothing is compressed. */
    assert_string_equal(answer("permessage-deflate; server_max_window_bits=8", &bits),
                        "permessage-deflate; server_no_context_takeover; "
                        "client_no_context_takeover; server_max_window_bits=8");
    assert_int_equal(bits, 8);
}

static void test_declined_offers(void **state)
{
    (void)state;
    static const char *const declined[] = {
        "",
        "x-webkit-deflate-frame",
        "permessage-deflate; server_max_window_bits",
        "permessage-deflate; server_max_window_bits=7",
        "permessage-deflate; server_max_window_bits=16",
        "permessage-deflate; server_max_window_bits=010",
        "permessage-deflate; server_max_window_bits=1x",
        "permessage-deflate; client_max_window_bits=20",
        "permessage-deflate; server_no_context_takeover=1",
        "permessage-deflate; client_no_context_takeover; client_no_context_takeover",
        "permessage-deflate; server_max_window_bits=10; server_max_window_bits=10",
        "permessage-deflate; mystery",
        /* Malformed headers: no compression at all. */
        "permessage-deflate;;",
        "permessage-deflate; =1",
        "permessage-deflate; server_max_window_bits=\"10",
        "permessage-deflate garbage",
        "permessage-deflate, @",
    };
    for (size_t i = 0; i < sizeof declined / sizeof declined[0]; i++) {
        const char *got = answer(declined[i], NULL);
        if (strcmp(got, "") != 0)
            fail_msg("\"%s\" was accepted: %s", declined[i], got);
    }
    assert_string_equal(answer(NULL, NULL), "");
}

/* An offer the server cannot take gives way to the next one. */
static void test_fallback_offers(void **state)
{
    (void)state;
    unsigned bits = 0;
    assert_string_equal(answer("permessage-deflate; mystery, permessage-deflate", &bits), BASIC);
    assert_string_equal(answer("x-webkit-deflate-frame, permessage-deflate; "
                               "client_max_window_bits, permessage-deflate",
                               &bits),
                        BASIC);
    assert_string_equal(answer("permessage-deflate; server_max_window_bits=99, "
                               "permessage-deflate; server_max_window_bits=9",
                               &bits),
                        "permessage-deflate; server_no_context_takeover; "
                        "client_no_context_takeover; server_max_window_bits=9");
    assert_int_equal(bits, 9);
    assert_string_equal(answer(",, permessage-deflate ,", NULL), BASIC);
}

static void round_trip(gqlx_ws_zlib **z, unsigned bits, const char *in, size_t n)
{
    gqlx_buf c, d;
    gqlx_buf_init(&c, 0);
    gqlx_buf_init(&d, 0);
    gqlx_buf_append(&c, "prefix", 6); /* appends after what is there */
    assert_int_equal(gqlx_ws_deflate(z, bits, in, n, &c), GQL_OK);
    assert_memory_equal(c.data, "prefix", 6);
    assert_int_equal(gqlx_ws_inflate(z, c.data + 6, c.len - 6, n, &d), 0);
    assert_int_equal(d.len, n);
    if (n > 0)
        assert_memory_equal(d.data, in, n);
    gqlx_buf_free(&c);
    gqlx_buf_free(&d);
}

static void test_round_trips(void **state)
{
    (void)state;
    gqlx_ws_zlib *z = NULL;
    size_t n = 300000;
    char *text = malloc(n);
    assert_non_null(text);
    uint32_t x = 12345;
    for (size_t i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u;
        /* Repetitive JSON-like text with some noise. */
        text[i] = (i % 97 < 80) ? "{\"data\":{\"n\":[1,2,3]}}"[i % 22] : (char)('a' + (x >> 27));
    }
    for (unsigned bits = 9; bits <= 15; bits++) {
        round_trip(&z, bits, "", 0);
        round_trip(&z, bits, "a", 1);
        round_trip(&z, bits, text, 1000);
        round_trip(&z, bits, text, n);
    }
    /* Random bytes do not shrink, but still round-trip. */
    for (size_t i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u;
        text[i] = (char)(x >> 24);
    }
    round_trip(&z, 15, text, n);
    free(text);

    gqlx_buf c;
    gqlx_buf_init(&c, 0);
    assert_int_equal(gqlx_ws_deflate(&z, 8, "abc", 3, &c), GQL_EINVAL);
    assert_int_equal(gqlx_ws_deflate(&z, 16, "abc", 3, &c), GQL_EINVAL);
    assert_int_equal(c.len, 0);
    gqlx_buf_free(&c);
    gqlx_ws_zlib_free(z);
}

static void test_inflate_limit(void **state)
{
    (void)state;
    gqlx_ws_zlib *z = NULL;
    char text[5000];
    memset(text, 'q', sizeof text);
    gqlx_buf c, d;
    gqlx_buf_init(&c, 0);
    gqlx_buf_init(&d, 0);
    assert_int_equal(gqlx_ws_deflate(&z, 15, text, sizeof text, &c), GQL_OK);
    assert_int_equal(gqlx_ws_inflate(&z, c.data, c.len, sizeof text, &d), 0);
    assert_int_equal(d.len, sizeof text);
    gqlx_buf_clear(&d);
    gqlx_buf_append(&d, "kept", 4);
    assert_int_equal(gqlx_ws_inflate(&z, c.data, c.len, sizeof text - 1, &d),
                     GQLX_WS_CLOSE_TOO_BIG);
    assert_int_equal(d.len, 4); /* the partial result is taken back */
    assert_string_equal(d.data, "kept");
    gqlx_buf_free(&c);
    gqlx_buf_free(&d);
    gqlx_ws_zlib_free(z);
}

static void test_inflate_bad_and_final(void **state)
{
    (void)state;
    gqlx_ws_zlib *z = NULL;
    gqlx_buf d;
    gqlx_buf_init(&d, 0);
    assert_int_equal(gqlx_ws_inflate(&z, "\xff\xfe\xfd", 3, 100, &d), GQLX_WS_CLOSE_INVALID_DATA);
    assert_int_equal(d.len, 0);
    /* Truncated data: a stored block announcing more than is there. */
    assert_int_equal(gqlx_ws_inflate(&z,
                                     "\x00\x10\x00\xef\xff"
                                     "abc",
                                     8, 100, &d),
                     GQLX_WS_CLOSE_INVALID_DATA);

    /* A sender may end a message with a final block (BFINAL). */
    unsigned char out[64];
    z_stream s = {0};
    assert_int_equal(deflateInit2(&s, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY), Z_OK);
    s.next_in = (Bytef *)(uintptr_t) "final block";
    s.avail_in = 11;
    s.next_out = out;
    s.avail_out = sizeof out;
    assert_int_equal(deflate(&s, Z_FINISH), Z_STREAM_END);
    size_t n = sizeof out - s.avail_out;
    deflateEnd(&s);
    assert_int_equal(gqlx_ws_inflate(&z, (const char *)out, n, 100, &d), 0);
    assert_int_equal(d.len, 11);
    assert_memory_equal(d.data, "final block", 11);

    /* The inflater is reset between messages: the next one stands alone. */
    gqlx_buf_clear(&d);
    gqlx_buf c;
    gqlx_buf_init(&c, 0);
    assert_int_equal(gqlx_ws_deflate(&z, 15, "again", 5, &c), GQL_OK);
    assert_int_equal(gqlx_ws_inflate(&z, c.data, c.len, 100, &d), 0);
    assert_int_equal(d.len, 5);
    gqlx_buf_free(&c);
    gqlx_buf_free(&d);
    gqlx_ws_zlib_free(z);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accepted_offers), cmocka_unit_test(test_declined_offers),
        cmocka_unit_test(test_fallback_offers), cmocka_unit_test(test_round_trips),
        cmocka_unit_test(test_inflate_limit),   cmocka_unit_test(test_inflate_bad_and_final),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
