/* tests/unit/server/test_ws_frame.c — the WebSocket frame parser and
 * writer (ws_frame.c): every framing rule of RFC 6455 that a client can
 * break, fragments, UTF-8 across fragments, lengths, close frames, and
 * compressed messages; each input is parsed whole and in pieces of
 * several sizes, which must give the same events. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/buf.h"
#include "gql/status.h"
#include "server/ws.h"
#include "server/ws_deflate.h"
#include "server/ws_frame.h"

#define FIN  0x80u
#define RSV1 0x40u
#define RSV2 0x20u
#define RSV3 0x10u

static const unsigned char KEY[4] = {0x37, 0xfa, 0x21, 0x3d};

/* Appends a frame as a client sends it (masked); b0 is its first byte. */
static void frame(gqlx_buf *w, unsigned b0, const char *p, size_t n)
{
    assert_true(gqlx_buf_reserve(w, GQLX_WS_MAX_HEADER));
    unsigned char *hdr = (unsigned char *)w->data + w->len;
    size_t h = gqlx_ws_frame_header(hdr, b0 & 0x0fu, (b0 & FIN) != 0, (b0 & RSV1) != 0, n, KEY);
    hdr[0] = (unsigned char)b0; /* RSV2 and RSV3 too, as given */
    w->len += h;
    size_t at = w->len;
    gqlx_buf_append(w, p, n);
    gqlx_ws_mask(w->data + at, n, KEY, 0);
}

static void raw(gqlx_buf *w, const char *bytes, size_t n)
{
    gqlx_buf_append(w, bytes, n);
}

/* The events of one parse as text: "text(hello)", "binary(5)",
 * "ping(x)", "pong(x)", "close(1000,bye)", "fail(1002)", joined by
 * spaces. */
static void parse_log(const char *bytes, size_t len, size_t step, size_t max, bool deflate,
                      bool masked, gqlx_buf *log)
{
    gqlx_ws_zlib *z = NULL;
    gqlx_ws_parser p;
    gqlx_ws_parser_init(&p, max, masked, deflate, &z);
    char *copy = malloc(len + 1); /* unmasked in place */
    assert_non_null(copy);
    memcpy(copy, bytes, len);
    for (size_t at = 0; at < len;) {
        size_t n = len - at < step ? len - at : step;
        char *chunk = copy + at;
        at += n;
        while (n > 0) {
            gqlx_ws_event ev;
            size_t used = gqlx_ws_parse(&p, chunk, n, &ev);
            assert_true(used <= n);
            chunk += used;
            n -= used;
            if (log->len > 0 && ev.kind != GQLX_WS_EV_NONE)
                gqlx_buf_append(log, " ", 1);
            switch (ev.kind) {
            case GQLX_WS_EV_NONE:
                assert_int_equal(n, 0); /* stops early only for an event */
                break;
            case GQLX_WS_EV_MESSAGE:
                if (ev.is_text) {
                    gqlx_buf_append_cstr(log, "text(");
                    gqlx_buf_append(log, ev.data, ev.len);
                    gqlx_buf_append_cstr(log, ")");
                } else {
                    gqlx_buf_printf(log, "binary(%zu)", ev.len);
                }
                break;
            case GQLX_WS_EV_PING:
            case GQLX_WS_EV_PONG:
                gqlx_buf_append_cstr(log, ev.kind == GQLX_WS_EV_PING ? "ping(" : "pong(");
                gqlx_buf_append(log, ev.data, ev.len);
                gqlx_buf_append_cstr(log, ")");
                break;
            case GQLX_WS_EV_CLOSE:
                gqlx_buf_printf(log, "close(%d,", ev.code);
                gqlx_buf_append(log, ev.data, ev.len);
                gqlx_buf_append_cstr(log, ")");
                break;
            case GQLX_WS_EV_FAIL:
                assert_non_null(ev.why);
                gqlx_buf_printf(log, "fail(%d)", ev.code);
                break;
            }
        }
    }
    free(copy);
    gqlx_ws_parser_free(&p);
    gqlx_ws_zlib_free(z);
}

/* Parses w in pieces of 1, 2, 3, 5, 7 and 64 bytes and whole: the logs
 * must agree; checks the log against want. */
static void expect_opts(const gqlx_buf *w, size_t max, bool deflate, bool masked, const char *want)
{
    static const size_t steps[] = {1, 2, 3, 5, 7, 64, (size_t)-1};
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        gqlx_buf log;
        gqlx_buf_init(&log, 0);
        parse_log(w->data ? w->data : "", w->len, steps[i], max, deflate, masked, &log);
        if (strcmp(log.data ? log.data : "", want) != 0)
            fail_msg("step %zu: got \"%s\", want \"%s\"", steps[i], log.data ? log.data : "", want);
        gqlx_buf_free(&log);
    }
}

static void expect(gqlx_buf *w, const char *want)
{
    expect_opts(w, 1u << 20, false, true, want);
    gqlx_buf_free(w);
}

#define WIRE(w)                                                                                    \
    gqlx_buf w;                                                                                    \
    gqlx_buf_init(&w, 0)

/* ---- messages -------------------------------------------------------------------- */

static void test_single_frames(void **state)
{
    (void)state;
    WIRE(w);
    frame(&w, FIN | GQLX_WS_OP_TEXT, "hello", 5);
    frame(&w, FIN | GQLX_WS_OP_BINARY, "\x00\xff\x80", 3);
    frame(&w, FIN | GQLX_WS_OP_TEXT, "", 0);
    frame(&w, FIN | GQLX_WS_OP_TEXT, "caf\xc3\xa9 \xf0\x9f\x98\x80", 10);
    expect(&w, "text(hello) binary(3) text() text(caf\xc3\xa9 \xf0\x9f\x98\x80)");
}

static void test_lengths(void **state)
{
    (void)state;
    static const size_t sizes[] = {125, 126, 127, 65535, 65536, 70000};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        size_t n = sizes[i];
        char *p = malloc(n);
        assert_non_null(p);
        memset(p, 'x', n);
        WIRE(w);
        frame(&w, FIN | GQLX_WS_OP_BINARY, p, n);
        char want[32];
        snprintf(want, sizeof want, "binary(%zu)", n);
        expect(&w, want);
        free(p);
    }
}

static void test_fragments_and_control_between(void **state)
{
    (void)state;
    WIRE(w);
    frame(&w, GQLX_WS_OP_TEXT, "hel", 3);
    frame(&w, FIN | GQLX_WS_OP_PING, "p1", 2);
    frame(&w, GQLX_WS_OP_CONTINUATION, "", 0);
    frame(&w, FIN | GQLX_WS_OP_PONG, "p2", 2);
    frame(&w, FIN | GQLX_WS_OP_CONTINUATION, "lo", 2);
    frame(&w, GQLX_WS_OP_BINARY, "ab", 2);
    frame(&w, FIN | GQLX_WS_OP_CONTINUATION, "c", 1);
    expect(&w, "ping(p1) pong(p2) text(hello) binary(3)");

    WIRE(w2); /* an empty first fragment, the text whole in the last */
    frame(&w2, GQLX_WS_OP_TEXT, "", 0);
    frame(&w2, FIN | GQLX_WS_OP_CONTINUATION, "whole", 5);
    expect(&w2, "text(whole)");
}

static void test_control_payloads(void **state)
{
    (void)state;
    char p125[125];
    memset(p125, 'c', sizeof p125);
    WIRE(w);
    frame(&w, FIN | GQLX_WS_OP_PING, p125, 125);
    frame(&w, FIN | GQLX_WS_OP_PING, "", 0);
    gqlx_buf want;
    gqlx_buf_init(&want, 0);
    gqlx_buf_append_cstr(&want, "ping(");
    gqlx_buf_append(&want, p125, 125);
    gqlx_buf_append_cstr(&want, ") ping()");
    expect(&w, want.data);
    gqlx_buf_free(&want);
}

/* ---- framing violations: 1002 ---------------------------------------------------- */

static void test_unmasked_and_masked(void **state)
{
    (void)state;
    WIRE(w);
    raw(&w, "\x81\x02hi", 4); /* a client frame without a mask */
    expect(&w, "fail(1002)");

    /* The other way round for a parser reading a server's frames. */
    WIRE(w2);
    raw(&w2, "\x81\x02hi", 4);
    expect_opts(&w2, 100, false, false, "text(hi)");
    frame(&w2, FIN | GQLX_WS_OP_TEXT, "hi", 2);
    expect_opts(&w2, 100, false, false, "text(hi) fail(1002)");
    gqlx_buf_free(&w2);
}

static void test_reserved_bits_and_opcodes(void **state)
{
    (void)state;
    static const unsigned bad[] = {
        FIN | RSV2 | GQLX_WS_OP_TEXT,
        FIN | RSV3 | GQLX_WS_OP_TEXT,
        FIN | RSV1 | GQLX_WS_OP_TEXT, /* no permessage-deflate */
        FIN | 0x3,
        FIN | 0x4,
        FIN | 0x5,
        FIN | 0x6,
        FIN | 0x7,
        FIN | 0xb,
        FIN | 0xc,
        FIN | 0xd,
        FIN | 0xe,
        FIN | 0xf,
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        WIRE(w);
        frame(&w, FIN | GQLX_WS_OP_TEXT, "ok", 2);
        frame(&w, bad[i], "x", 1);
        frame(&w, FIN | GQLX_WS_OP_TEXT, "never", 5);
        expect(&w, "text(ok) fail(1002)");
    }
}

static void test_control_frame_rules(void **state)
{
    (void)state;
    char p126[126];
    memset(p126, 'c', sizeof p126);
    WIRE(w);
    frame(&w, FIN | GQLX_WS_OP_PING, p126, 126);
    expect(&w, "fail(1002)");
    WIRE(w2);
    frame(&w2, GQLX_WS_OP_PING, "x", 1); /* fragmented */
    expect(&w2, "fail(1002)");
    WIRE(w3);
    frame(&w3, FIN | GQLX_WS_OP_CLOSE, p126, 126);
    expect(&w3, "fail(1002)");
    WIRE(w4);
    frame(&w4, GQLX_WS_OP_TEXT, "a", 1);
    frame(&w4, FIN | RSV1 | GQLX_WS_OP_PONG, "x", 1);
    expect(&w4, "fail(1002)");
}

static void test_continuation_rules(void **state)
{
    (void)state;
    WIRE(w);
    frame(&w, FIN | GQLX_WS_OP_CONTINUATION, "x", 1);
    expect(&w, "fail(1002)");
    WIRE(w2);
    frame(&w2, GQLX_WS_OP_TEXT, "a", 1);
    frame(&w2, FIN | GQLX_WS_OP_TEXT, "b", 1); /* a new message inside one */
    expect(&w2, "fail(1002)");
    WIRE(w3);
    frame(&w3, FIN | GQLX_WS_OP_TEXT, "a", 1);
    frame(&w3, GQLX_WS_OP_CONTINUATION, "b", 1); /* after a complete one */
    expect(&w3, "text(a) fail(1002)");
    WIRE(w4);
    frame(&w4, GQLX_WS_OP_BINARY, "a", 1);
    frame(&w4, FIN | GQLX_WS_OP_BINARY, "b", 1);
    expect(&w4, "fail(1002)");
}

static void test_length_encodings(void **state)
{
    (void)state;
    WIRE(w); /* 5 in the 16-bit form */
    raw(&w, "\x82\xfe\x00\x05", 4);
    raw(&w, (const char *)KEY, 4);
    raw(&w, "12345", 5);
    expect(&w, "fail(1002)");
    WIRE(w2); /* 200 in the 64-bit form */
    raw(&w2, "\x82\xff\x00\x00\x00\x00\x00\x00\x00\xc8", 10);
    raw(&w2, (const char *)KEY, 4);
    expect(&w2, "fail(1002)");
    WIRE(w3); /* the most significant bit set */
    raw(&w3, "\x82\xff\x80\x00\x00\x00\x00\x00\x00\x01", 10);
    raw(&w3, (const char *)KEY, 4);
    expect(&w3, "fail(1002)");
}

/* ---- size limit: 1009 ------------------------------------------------------------- */

static void test_message_limit(void **state)
{
    (void)state;
    WIRE(w);
    frame(&w, FIN | GQLX_WS_OP_TEXT, "0123456789", 10);
    expect_opts(&w, 10, false, true, "text(0123456789)");
    expect_opts(&w, 9, false, true, "fail(1009)");
    gqlx_buf_free(&w);

    /* Fragments that add up past the limit. */
    WIRE(w2);
    frame(&w2, GQLX_WS_OP_TEXT, "01234", 5);
    frame(&w2, FIN | GQLX_WS_OP_PING, "", 0);
    frame(&w2, GQLX_WS_OP_CONTINUATION, "56789", 5);
    frame(&w2, FIN | GQLX_WS_OP_CONTINUATION, "X", 1);
    expect_opts(&w2, 10, false, true, "ping() fail(1009)");
    gqlx_buf_free(&w2);

    /* Refused on the header alone: a 2^62-byte frame with no payload. */
    WIRE(w3);
    raw(&w3, "\x82\xff\x40\x00\x00\x00\x00\x00\x00\x00", 10);
    raw(&w3, (const char *)KEY, 4);
    expect(&w3, "fail(1009)");
}

/* A frame announced long but sent a little at a time holds what came,
 * not what was announced. */
static void test_announced_length_not_reserved(void **state)
{
    (void)state;
    gqlx_ws_parser p;
    gqlx_ws_parser_init(&p, 1u << 20, false, false, NULL);
    /* A binary frame of 1 MiB - 1 bytes (unmasked), and 10 of them. */
    char in[10 + 10];
    memcpy(in, "\x82\x7f\x00\x00\x00\x00\x00\x0f\xff\xff", 10);
    memset(in + 10, 'x', 10);
    gqlx_ws_event ev;
    assert_int_equal(gqlx_ws_parse(&p, in, sizeof in, &ev), sizeof in);
    assert_int_equal(ev.kind, GQLX_WS_EV_NONE);
    assert_int_equal(p.msg.len, 10);
    assert_true(p.msg.cap <= 128u * 1024u);
    gqlx_ws_parser_free(&p);
}

/* ---- UTF-8: 1007 -------------------------------------------------------------------- */

static void test_utf8(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "\xff",         "\x80",         "\xc0\x80",         "\xc1\xbf",
        "\xe0\x80\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xf5\x80\x80\x80",
        "a\xc3",        "\xe2\x82",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        WIRE(w);
        frame(&w, FIN | GQLX_WS_OP_TEXT, bad[i], strlen(bad[i]));
        expect(&w, "fail(1007)");
        WIRE(b); /* binary messages are not text */
        frame(&b, FIN | GQLX_WS_OP_BINARY, bad[i], strlen(bad[i]));
        char want[32];
        snprintf(want, sizeof want, "binary(%zu)", strlen(bad[i]));
        expect(&b, want);
    }

    /* A code point split across fragments is fine... */
    WIRE(w);
    frame(&w, GQLX_WS_OP_TEXT, "\xf0\x9f", 2);
    frame(&w, GQLX_WS_OP_CONTINUATION, "\x98", 1);
    frame(&w, FIN | GQLX_WS_OP_CONTINUATION, "\x80!", 2);
    expect(&w, "text(\xf0\x9f\x98\x80!)");

    /* ...a bad one fails at once, before the message ends... */
    WIRE(w2);
    frame(&w2, GQLX_WS_OP_TEXT, "ok\xc3", 3);
    frame(&w2, GQLX_WS_OP_CONTINUATION, "A", 1);
    expect(&w2, "fail(1007)");

    /* ...and a message may not end inside one. */
    WIRE(w3);
    frame(&w3, GQLX_WS_OP_TEXT, "ok", 2);
    frame(&w3, FIN | GQLX_WS_OP_CONTINUATION, "\xe2\x82", 2);
    expect(&w3, "fail(1007)");
}

/* ---- close frames ---------------------------------------------------------------------- */

static void test_close_frames(void **state)
{
    (void)state;
    WIRE(w);
    frame(&w, FIN | GQLX_WS_OP_CLOSE, "", 0);
    frame(&w, FIN | GQLX_WS_OP_TEXT, "ignored", 7);
    expect(&w, "close(1005,)");

    WIRE(w2);
    static const char bye[] = {0x03, (char)0xe8, 'b', 'y', 'e'};
    frame(&w2, FIN | GQLX_WS_OP_CLOSE, bye, sizeof bye);
    expect(&w2, "close(1000,bye)");

    WIRE(w3);
    frame(&w3, FIN | GQLX_WS_OP_CLOSE, "\x03", 1);
    expect(&w3, "fail(1002)");

    static const int valid[] = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010,
                                1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999};
    static const int invalid[] = {0,    999,  1004, 1005, 1006, 1015,
                                  1016, 1100, 2000, 2999, 5000, 65535};
    for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++) {
        char p[2] = {(char)(valid[i] >> 8), (char)(valid[i] & 0xff)};
        WIRE(v);
        frame(&v, FIN | GQLX_WS_OP_CLOSE, p, 2);
        char want[32];
        snprintf(want, sizeof want, "close(%d,)", valid[i]);
        expect(&v, want);
        assert_true(gqlx_ws_close_code_valid(valid[i]));
    }
    for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++) {
        char p[2] = {(char)(invalid[i] >> 8), (char)(invalid[i] & 0xff)};
        WIRE(v);
        frame(&v, FIN | GQLX_WS_OP_CLOSE, p, 2);
        expect(&v, "fail(1002)");
        assert_false(gqlx_ws_close_code_valid(invalid[i]));
    }

    WIRE(w4); /* a reason that is not UTF-8 */
    frame(&w4, FIN | GQLX_WS_OP_CLOSE, "\x03\xe8\xc3", 3);
    expect(&w4, "fail(1007)");

    char reason[125] = "\x03\xe8";
    memset(reason + 2, 'r', 123);
    WIRE(w5); /* the longest reason */
    frame(&w5, FIN | GQLX_WS_OP_CLOSE, reason, 125);
    gqlx_buf want;
    gqlx_buf_init(&want, 0);
    gqlx_buf_append_cstr(&want, "close(1000,");
    gqlx_buf_append(&want, reason + 2, 123);
    gqlx_buf_append_cstr(&want, ")");
    expect(&w5, want.data);
    gqlx_buf_free(&want);
}

static void test_fail_is_final(void **state)
{
    (void)state;
    gqlx_ws_parser p;
    gqlx_ws_parser_init(&p, 100, true, false, NULL);
    char bad[] = "\x81\x02hi";
    gqlx_ws_event ev;
    assert_int_equal(gqlx_ws_parse(&p, bad, 2, &ev), 2);
    assert_int_equal(ev.kind, GQLX_WS_EV_FAIL);
    assert_int_equal(ev.code, GQLX_WS_CLOSE_PROTOCOL);
    char more[] = "anything at all";
    assert_int_equal(gqlx_ws_parse(&p, more, sizeof more - 1, &ev), sizeof more - 1);
    assert_int_equal(ev.kind, GQLX_WS_EV_NONE);
    gqlx_ws_parser_free(&p);
}

/* ---- the writer ------------------------------------------------------------------------- */

static void test_header_writer(void **state)
{
    (void)state;
    unsigned char h[GQLX_WS_MAX_HEADER];
    assert_int_equal(gqlx_ws_frame_header(h, GQLX_WS_OP_TEXT, true, false, 0, NULL), 2);
    assert_memory_equal(h, "\x81\x00", 2);
    assert_int_equal(gqlx_ws_frame_header(h, GQLX_WS_OP_BINARY, true, true, 125, NULL), 2);
    assert_memory_equal(h, "\xc2\x7d", 2);
    assert_int_equal(gqlx_ws_frame_header(h, GQLX_WS_OP_TEXT, false, false, 126, NULL), 4);
    assert_memory_equal(h, "\x01\x7e\x00\x7e", 4);
    assert_int_equal(gqlx_ws_frame_header(h, GQLX_WS_OP_TEXT, true, false, 65535, NULL), 4);
    assert_memory_equal(h, "\x81\x7e\xff\xff", 4);
    assert_int_equal(gqlx_ws_frame_header(h, GQLX_WS_OP_TEXT, true, false, 65536, NULL), 10);
    assert_memory_equal(h, "\x81\x7f\x00\x00\x00\x00\x00\x01\x00\x00", 10);
    assert_int_equal(gqlx_ws_frame_header(h, GQLX_WS_OP_CLOSE, true, false, 2, KEY), 6);
    assert_memory_equal(h, "\x88\x82\x37\xfa\x21\x3d", 6);
}

static void test_mask_offsets(void **state)
{
    (void)state;
    char a[40], b[40];
    for (int i = 0; i < 40; i++)
        a[i] = b[i] = (char)i;
    gqlx_ws_mask(a, 40, KEY, 0);
    /* Masking in pieces from any offset gives the same bytes. */
    gqlx_ws_mask(b, 3, KEY, 0);
    gqlx_ws_mask(b + 3, 10, KEY, 3);
    gqlx_ws_mask(b + 13, 27, KEY, 13);
    assert_memory_equal(a, b, 40);
    for (int i = 0; i < 40; i++)
        assert_int_equal((unsigned char)a[i], (unsigned char)(i ^ KEY[i % 4]));
}

/* ---- permessage-deflate -------------------------------------------------------------------- */

static void compressed(gqlx_buf *w, unsigned opcode, const char *text, size_t n)
{
    gqlx_ws_zlib *z = NULL;
    gqlx_buf c;
    gqlx_buf_init(&c, 0);
    assert_int_equal(gqlx_ws_deflate(&z, 15, text, n, &c), GQL_OK);
    frame(w, FIN | RSV1 | opcode, c.data, c.len);
    gqlx_buf_free(&c);
    gqlx_ws_zlib_free(z);
}

static void test_deflate_messages(void **state)
{
    (void)state;
    const char *text = "{\"type\":\"next\",\"id\":\"1\",\"payload\":{\"data\":{\"n\":1}}} "
                       "{\"type\":\"next\",\"id\":\"1\",\"payload\":{\"data\":{\"n\":1}}}";
    WIRE(w);
    compressed(&w, GQLX_WS_OP_TEXT, text, strlen(text));
    frame(&w, FIN | GQLX_WS_OP_TEXT, "plain", 5); /* uncompressed, allowed */
    compressed(&w, GQLX_WS_OP_TEXT, "", 0);
    gqlx_buf want;
    gqlx_buf_init(&want, 0);
    gqlx_buf_printf(&want, "text(%s) text(plain) text()", text);
    expect_opts(&w, 1000, true, true, want.data);
    gqlx_buf_free(&want);
    gqlx_buf_free(&w);

    /* A compressed message in fragments: RSV1 on the first only. */
    gqlx_ws_zlib *z = NULL;
    gqlx_buf c;
    gqlx_buf_init(&c, 0);
    assert_int_equal(gqlx_ws_deflate(&z, 15, text, strlen(text), &c), GQL_OK);
    WIRE(w2);
    frame(&w2, RSV1 | GQLX_WS_OP_TEXT, c.data, 5);
    frame(&w2, FIN | GQLX_WS_OP_PING, "", 0);
    frame(&w2, FIN | GQLX_WS_OP_CONTINUATION, c.data + 5, c.len - 5);
    gqlx_buf_init(&want, 0);
    gqlx_buf_printf(&want, "ping() text(%s)", text);
    expect_opts(&w2, 1000, true, true, want.data);
    gqlx_buf_free(&want);
    gqlx_buf_free(&w2);

    WIRE(w3); /* RSV1 on a continuation frame */
    frame(&w3, RSV1 | GQLX_WS_OP_TEXT, c.data, 5);
    frame(&w3, FIN | RSV1 | GQLX_WS_OP_CONTINUATION, c.data + 5, c.len - 5);
    expect_opts(&w3, 1000, true, true, "fail(1002)");
    gqlx_buf_free(&w3);
    gqlx_buf_free(&c);
    gqlx_ws_zlib_free(z);

    WIRE(w4); /* not deflate data */
    frame(&w4, FIN | RSV1 | GQLX_WS_OP_TEXT, "\xff\xff\xff\xff", 4);
    expect_opts(&w4, 1000, true, true, "fail(1007)");
    gqlx_buf_free(&w4);

    WIRE(w5); /* compressed text that is not UTF-8 */
    compressed(&w5, GQLX_WS_OP_TEXT, "ab\xff", 3);
    expect_opts(&w5, 1000, true, true, "fail(1007)");
    gqlx_buf_free(&w5);
}

/* A megabyte of zeros compresses to about a kilobyte: inflation stops at
 * the limit. */
static void test_deflate_bomb(void **state)
{
    (void)state;
    size_t n = 1u << 20;
    char *zeros = calloc(n, 1);
    assert_non_null(zeros);
    WIRE(w);
    compressed(&w, GQLX_WS_OP_BINARY, zeros, n);
    assert_true(w.len < 4096);
    expect_opts(&w, 64 * 1024, true, true, "fail(1009)");
    expect_opts(&w, n, true, true, "binary(1048576)");
    gqlx_buf_free(&w);
    free(zeros);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_single_frames),
        cmocka_unit_test(test_lengths),
        cmocka_unit_test(test_fragments_and_control_between),
        cmocka_unit_test(test_control_payloads),
        cmocka_unit_test(test_unmasked_and_masked),
        cmocka_unit_test(test_reserved_bits_and_opcodes),
        cmocka_unit_test(test_control_frame_rules),
        cmocka_unit_test(test_continuation_rules),
        cmocka_unit_test(test_length_encodings),
        cmocka_unit_test(test_message_limit),
        cmocka_unit_test(test_announced_length_not_reserved),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_close_frames),
        cmocka_unit_test(test_fail_is_final),
        cmocka_unit_test(test_header_writer),
        cmocka_unit_test(test_mask_offsets),
        cmocka_unit_test(test_deflate_messages),
        cmocka_unit_test(test_deflate_bomb),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
