/* tests/unit/server/test_compress.c — choosing a content coding from
 * Accept-Encoding and compressing bodies (compress.c). */
#include <brotli/decode.h>
#include <dlfcn.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include <cmocka.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "server/compress.h"

#define ID GQLX_ENC_IDENTITY
#define GZ GQLX_ENC_GZIP
#define BR GQLX_ENC_BR

typedef struct choose_case {
    const char *header;
    bool gzip, br;
    int expected;
} choose_case;

static const choose_case choose_cases[] = {
    {NULL, true, true, ID},
    {"", true, true, ID},
    {"gzip", true, true, GZ},
    {"GZip", true, true, GZ},
    {"x-gzip", true, true, GZ},
    {"br", true, true, BR},
    {"gzip, deflate, br, zstd", true, true, BR}, /* equal weight: br first */
    {"gzip;q=0.7, br;q=0.7", true, true, BR},
    {"br;q=0.5, gzip", true, true, GZ},
    {"gzip ; q=0.5 , br;q=0.4", true, true, GZ},
    {"gzip;Q=0.5, br;q=0.25", true, true, GZ},
    {"deflate, gzip;q=0.8", true, true, GZ},
    {"deflate", true, true, ID},
    {"*", true, true, BR},
    {"*", true, false, GZ},
    {"*;q=0", true, true, ID},
    {"br;q=0, *", true, true, GZ},
    {"gzip;q=0", true, true, ID},
    {"gzip;q=0.000", true, true, ID},
    {"gzip;q=0.001", true, true, GZ},
    {"gzip;q=1.000", true, true, GZ},
    {"gzip;q=1.", true, true, GZ},
    {"gzip;q=1.001", true, true, ID},  /* above 1: the element is ignored */
    {"gzip;q=0.0001", true, true, ID}, /* four decimals */
    {"gzip;q=2", true, true, ID},
    {"gzip;q=", true, true, ID},
    {"gzip;q=.5", true, true, ID},
    {"gzip;q=0.5x", true, true, ID},
    {"gzip;q=\"0.5\"", true, true, ID}, /* q is a token, never quoted */
    {"gzip;q=0.5;q=0", true, true, ID}, /* the last q of the element */
    {"gzip;level=\"x,y\", br;q=0", true, true, GZ},
    {"gzip;level=\"x", true, true, ID},
    {"gzip;=1", true, true, ID},
    {"@@@, gzip", true, true, GZ},
    {"gzip br", true, true, ID},
    {",,, gzip ,,", true, true, GZ},
    {"br;q=0.5, br;q=1, gzip;q=0.4", true, true, BR}, /* the first mention counts */
    {"identity;q=0", true, true, ID},
    {"identity;q=0, gzip", true, true, GZ},
    {"gzip;q=0.5, identity", true, true, ID}, /* identity is preferred */
    {"gzip;q=0.5, identity;q=0.5", true, true, GZ},
    {"gzip;q=0.5, *", true, true, BR},
    {"br", false, true, BR},
    {"br", true, false, ID},
    {"br, gzip", true, false, GZ},
    {"br, gzip", false, false, ID},
    {"gzip", false, true, ID},
};

static void test_choose(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof choose_cases / sizeof choose_cases[0]; i++) {
        const choose_case *c = &choose_cases[i];
        int got = gqlx_compress_choose(c->header, c->gzip, c->br);
        if (got != c->expected)
            fail_msg("Accept-Encoding \"%s\" (gzip %d, br %d): got %d, expected %d",
                     c->header ? c->header : "(none)", c->gzip, c->br, got, c->expected);
    }
}

static void test_token(void **state)
{
    (void)state;
    assert_string_equal(gqlx_compress_token(GZ), "gzip");
    assert_string_equal(gqlx_compress_token(BR), "br");
    assert_null(gqlx_compress_token(ID));
    assert_null(gqlx_compress_token(42));
}

/* A GraphQL-like response of about n bytes. */
static void make_json(gqlx_buf *b, size_t n)
{
    gqlx_buf_append_cstr(b, "{\"data\":{\"users\":[");
    for (unsigned i = 0; b->len < n; i++)
        gqlx_buf_printf(b,
                        "%s{\"id\":\"%u\",\"name\":\"User %u\",\"email\":\"user%u@example.com\","
                        "\"active\":%s,\"score\":%u.%u}",
                        i ? "," : "", 10000 + i * 7, i, i, i % 3 ? "false" : "true", i * 37 % 100,
                        i % 10);
    gqlx_buf_append_cstr(b, "]}}");
}

static size_t gunzip(const char *in, size_t n, char *out, size_t room)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    assert_int_equal(inflateInit2(&z, 15 + 16), Z_OK);
    z.next_in = (Bytef *)(uintptr_t)in;
    z.avail_in = (uInt)n;
    z.next_out = (Bytef *)out;
    z.avail_out = (uInt)room;
    int rc = inflate(&z, Z_FINISH);
    size_t got = (size_t)z.total_out;
    inflateEnd(&z);
    assert_int_equal(rc, Z_STREAM_END);
    return got;
}

static void test_gzip_round_trip(void **state)
{
    (void)state;
    gqlx_buf body, out;
    gqlx_buf_init(&body, 0);
    gqlx_buf_init(&out, 0);
    make_json(&body, 100 * 1024);
    assert_true(gqlx_compress(GZ, body.data, body.len, &out));
    assert_true(out.len < body.len / 4);
    assert_int_equal((unsigned char)out.data[0], 0x1f); /* gzip magic */
    assert_int_equal((unsigned char)out.data[1], 0x8b);
    char *plain = gqlx_malloc(body.len + 16);
    assert_non_null(plain);
    size_t got = gunzip(out.data, out.len, plain, body.len + 16);
    assert_int_equal(got, body.len);
    assert_memory_equal(plain, body.data, body.len);
    gqlx_free(plain);
    gqlx_buf_free(&body);
    gqlx_buf_free(&out);
}

typedef BrotliDecoderResult (*brotli_decompress_fn)(size_t, const uint8_t *, size_t *, uint8_t *);

/* The tests link the brotli encoder only; the decoder is loaded at run
 * time when the system has it, and the round trip checked then. */
static brotli_decompress_fn load_brotli_decoder(void **lib)
{
    *lib = dlopen("libbrotlidec.so.1", RTLD_NOW | RTLD_LOCAL);
    if (*lib == NULL)
        return NULL;
    void *sym = dlsym(*lib, "BrotliDecoderDecompress");
    brotli_decompress_fn fn = NULL;
    if (sym != NULL)
        memcpy(&fn, &sym, sizeof fn);
    return fn;
}

static void test_brotli_round_trip(void **state)
{
    (void)state;
    gqlx_buf body, out;
    gqlx_buf_init(&body, 0);
    gqlx_buf_init(&out, 0);
    make_json(&body, 100 * 1024);
    assert_true(gqlx_compress(BR, body.data, body.len, &out));
    assert_true(out.len < body.len / 4);

    void *lib;
    brotli_decompress_fn decompress = load_brotli_decoder(&lib);
    if (decompress != NULL) {
        size_t room = body.len + 16;
        uint8_t *plain = gqlx_malloc(room);
        assert_non_null(plain);
        assert_int_equal(decompress(out.len, (const uint8_t *)out.data, &room, plain),
                         BROTLI_DECODER_RESULT_SUCCESS);
        assert_int_equal(room, body.len);
        assert_memory_equal(plain, body.data, body.len);
        gqlx_free(plain);
    } else {
        print_message("libbrotlidec not found: brotli output checked by size only\n");
    }
    if (lib != NULL)
        dlclose(lib);
    gqlx_buf_free(&body);
    gqlx_buf_free(&out);
}

/* Small bodies work too, and output is appended after what out holds. */
static void test_appends(void **state)
{
    (void)state;
    static const char text[] = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    for (int enc = GZ; enc <= BR; enc++) {
        gqlx_buf out;
        gqlx_buf_init(&out, 0);
        gqlx_buf_append_cstr(&out, "prefix");
        assert_true(gqlx_compress(enc, text, sizeof text - 1, &out));
        assert_memory_equal(out.data, "prefix", 6);
        assert_true(out.len > 6 && out.len < 6 + sizeof text - 1);
        assert_int_equal(out.data[out.len], '\0');
        if (enc == GZ) {
            char plain[128];
            assert_int_equal(gunzip(out.data + 6, out.len - 6, plain, sizeof plain),
                             sizeof text - 1);
            assert_memory_equal(plain, text, sizeof text - 1);
        }
        gqlx_buf_free(&out);
    }
}

/* Output that would not be smaller is refused, and out is left as it was. */
static void test_not_smaller(void **state)
{
    (void)state;
    unsigned char noise[4096];
    uint32_t x = 2463534242u;
    for (size_t i = 0; i < sizeof noise; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        noise[i] = (unsigned char)x;
    }
    for (int enc = GZ; enc <= BR; enc++) {
        gqlx_buf out;
        gqlx_buf_init(&out, 0);
        gqlx_buf_append_cstr(&out, "kept");
        assert_false(gqlx_compress(enc, (const char *)noise, sizeof noise, &out));
        assert_int_equal(out.len, 4);
        assert_string_equal(out.data, "kept");
        assert_false(out.failed);
        assert_false(gqlx_compress(enc, "a", 1, &out)); /* nothing to gain */
        assert_false(gqlx_compress(enc, "", 0, &out));
        assert_int_equal(out.len, 4);
        gqlx_buf_free(&out);
    }
    gqlx_buf out;
    gqlx_buf_init(&out, 0);
    assert_false(gqlx_compress(ID, "aaaaaaaaaaaaaaaaaaaaaaaa", 24, &out));
    assert_int_equal(out.len, 0);
    gqlx_buf_free(&out);
}

/* A buffer cap below the room needed refuses without marking out failed. */
static void test_capped_buffer(void **state)
{
    (void)state;
    gqlx_buf body, out;
    gqlx_buf_init(&body, 0);
    gqlx_buf_init(&out, 100);
    make_json(&body, 4096);
    assert_false(gqlx_compress(GZ, body.data, body.len, &out));
    assert_false(out.failed);
    assert_int_equal(out.len, 0);
    gqlx_buf_free(&body);
    gqlx_buf_free(&out);
}

/* Every allocation failing in turn gives a clean false, out untouched and
 * nothing leaked (the sanitizer build checks the last part). */
static void test_allocation_failures(void **state)
{
    (void)state;
    gqlx_buf body;
    gqlx_buf_init(&body, 0);
    make_json(&body, 8192);
    for (int enc = GZ; enc <= BR; enc++) {
        bool succeeded = false;
        for (long n = 0; n < 100 && !succeeded; n++) {
            gqlx_buf out;
            gqlx_buf_init(&out, 0);
            gqlx_fault_set(n);
            bool ok = gqlx_compress(enc, body.data, body.len, &out);
            bool injected = gqlx_fault_triggered() != 0;
            gqlx_fault_reset();
            if (ok) {
                succeeded = true;
                assert_false(injected);
            } else {
                assert_true(injected);
                assert_int_equal(out.len, 0);
                assert_false(out.failed);
            }
            gqlx_buf_free(&out);
        }
        assert_true(succeeded);
    }
    gqlx_buf_free(&body);
}

/* One compressor serves body after body: each output stands alone, also
 * after a body refused half-way (its stream left mid-deflate) and after a
 * failed allocation. */
static void test_compressor_reuse(void **state)
{
    (void)state;
    gqlx_buf json, noise;
    gqlx_buf_init(&json, 0);
    gqlx_buf_init(&noise, 0);
    make_json(&json, 20000);
    uint32_t x = 88172645u;
    for (size_t i = 0; i < 4096; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        gqlx_buf_putc(&noise, (char)x);
    }
    static const char text[] = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    const struct {
        const char *p;
        size_t n;
        bool smaller;
    } bodies[] = {
        {json.data, json.len, true},     {noise.data, noise.len, false},
        {text, sizeof text - 1, true},   {noise.data, noise.len, false},
        {json.data, json.len / 2, true}, {json.data, json.len, true},
    };
    gqlx_compressor cz = {NULL};
    char *plain = gqlx_malloc(json.len + 16);
    assert_non_null(plain);
    for (int round = 0; round < 2; round++) {
        for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
            gqlx_buf out;
            gqlx_buf_init(&out, 0);
            bool ok = gqlx_compress_with(&cz, GZ, bodies[i].p, bodies[i].n, &out);
            assert_int_equal(ok, bodies[i].smaller);
            if (ok) {
                assert_int_equal(gunzip(out.data, out.len, plain, json.len + 16), bodies[i].n);
                assert_memory_equal(plain, bodies[i].p, bodies[i].n);
            } else {
                assert_int_equal(out.len, 0);
            }
            gqlx_buf_free(&out);
        }
        /* A fresh stream whose setup fails (the output buffer, the
         * stream, then each of zlib's allocations) leaves cz empty and
         * usable. */
        gqlx_compressor_free(&cz);
        for (long n = 0; n < 6; n++) {
            gqlx_buf out;
            gqlx_buf_init(&out, 0);
            gqlx_fault_set(n);
            assert_false(gqlx_compress_with(&cz, GZ, json.data, json.len, &out));
            gqlx_fault_reset();
            assert_null(cz.gzip);
            gqlx_buf_free(&out);
        }
    }
    gqlx_compressor_free(&cz);
    gqlx_compressor_free(&cz); /* twice is harmless */
    gqlx_free(plain);
    gqlx_buf_free(&json);
    gqlx_buf_free(&noise);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_choose),           cmocka_unit_test(test_token),
        cmocka_unit_test(test_gzip_round_trip),  cmocka_unit_test(test_brotli_round_trip),
        cmocka_unit_test(test_appends),          cmocka_unit_test(test_not_smaller),
        cmocka_unit_test(test_capped_buffer),    cmocka_unit_test(test_allocation_failures),
        cmocka_unit_test(test_compressor_reuse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
