/* tests/unit/core/test_json.c — the JSON reader (json_read.c), writer
 * (json_write.c) and double printing (dtoa.c). */
#include <locale.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/dtoa.h"
#include "core/json.h"
#include "core/limits.h"
#include "core/utf8.h"
#include "gql/status.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* Parses text with default options into a fresh arena, re-serializes it
 * (JSON.stringify numbers) into out. Returns the parser's status. */
static int roundtrip(const char *text, size_t len, gqlx_buf *out, gqlx_json_error *err)
{
    gqlx_arena a;
    gqlx_arena_init(&a, 0, 0);
    gqlx_json *v = NULL;
    int rc = gqlx_json_parse(&a, text, len, NULL, &v, err);
    if (rc == GQL_OK) {
        assert_non_null(v);
        assert_int_equal(gqlx_json_write_value(out, v, 0), GQL_OK);
    } else {
        assert_null(v);
    }
    gqlx_arena_free(&a);
    return rc;
}

/* ---- reader: valid input ---------------------------------------------------- */

static const struct {
    const char *in;
    const char *out; /* what JSON.stringify(JSON.parse(in)) gives */
} valid_cases[] = {
    {"null", "null"},
    {" true ", "true"},
    {"false", "false"},
    {"0", "0"},
    {"-0", "0"},
    {"[]", "[]"},
    {"{}", "{}"},
    {" [ 1 , 2 ] ", "[1,2]"},
    {"\t\r\n{\"a\"\n:\r1}\n", "{\"a\":1}"},
    {"[[[]],{}]", "[[[]],{}]"},
    {"{\"b\":1,\"a\":2}", "{\"b\":1,\"a\":2}"},
    {"{\"a\":1,\"b\":2,\"a\":3}", "{\"a\":3,\"b\":2}"},
    {"{\"a\":{\"x\":1},\"a\":[2]}", "{\"a\":[2]}"},
    {"\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\\"\\\\/\\b\\f\\n\\r\\t\""},
    {"\"\\u0041\\u00e9\\u20AC\"", "\"A\xc3\xa9\xe2\x82\xac\""},
    {"\"\\ud83d\\ude00\"", "\"\xf0\x9f\x98\x80\""},
    {"\"\\uDBFF\\uDFFF\"", "\"\xf4\x8f\xbf\xbf\""},
    {"\"\\u0000\"", "\"\\u0000\""},
    {"\"\\u001F\\u007f\"", "\"\\u001f\x7f\""},
    {"\"\xe2\x80\xa8\"", "\"\xe2\x80\xa8\""},
    {"[1e2,1E2,1e+2,100.0,1.5e-7]", "[100,100,100,100,1.5e-7]"},
    {"[1e400,-1e400,1e-400]", "[null,null,0]"},
    {"123456789012345678901234567890", "1.2345678901234568e+29"},
    {"[9007199254740993]", "[9007199254740992]"},
};

static void test_valid(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_ELEMS(valid_cases); i++) {
        gqlx_buf out;
        gqlx_buf_init(&out, 0);
        gqlx_json_error err = {0};
        int rc = roundtrip(valid_cases[i].in, strlen(valid_cases[i].in), &out, &err);
        if (rc != GQL_OK)
            fail_msg("case %zu %s: %s", i, valid_cases[i].in, err.message);
        assert_string_equal(out.data, valid_cases[i].out);
        gqlx_buf_free(&out);
    }
}

/* ---- reader: invalid input -------------------------------------------------- */

static const struct {
    const char *in;
    size_t len; /* 0: strlen(in) */
    int status;
    size_t offset;
    const char *message;
} invalid_cases[] = {
    {"", 0, GQL_EJSON, 0, "Unexpected end of input"},
    {"   ", 0, GQL_EJSON, 3, "Unexpected end of input"},
    {"[1,2,]", 0, GQL_EJSON, 5, "Trailing comma in array"},
    {"[1, ]", 0, GQL_EJSON, 4, "Trailing comma in array"},
    {"{\"a\":1,}", 0, GQL_EJSON, 7, "Trailing comma in object"},
    {"{\"a\":1 \"b\":2}", 0, GQL_EJSON, 7, "Expected ',' or '}' after object member"},
    {"[1 2]", 0, GQL_EJSON, 3, "Expected ',' or ']' after array element"},
    {"{\"a\" 1}", 0, GQL_EJSON, 5, "Expected ':' after object key"},
    {"{a:1}", 0, GQL_EJSON, 1, "Expected a string key in object, found 'a'"},
    {"{,}", 0, GQL_EJSON, 1, "Expected a string key in object, found ','"},
    {"[,1]", 0, GQL_EJSON, 1, "Expected a JSON value, found ','"},
    {"{\"a\":}", 0, GQL_EJSON, 5, "Expected a JSON value, found '}'"},
    {"[01]", 0, GQL_EJSON, 1, "Leading zeros are not allowed in numbers"},
    {"-012", 0, GQL_EJSON, 1, "Leading zeros are not allowed in numbers"},
    {"+1", 0, GQL_EJSON, 0, "Expected a JSON value, found '+'"},
    {".5", 0, GQL_EJSON, 0, "Expected a JSON value, found '.'"},
    {"1.", 0, GQL_EJSON, 2, "Unexpected end of input"},
    {"1.e5", 0, GQL_EJSON, 2, "Expected a digit after '.', found 'e'"},
    {"1e", 0, GQL_EJSON, 2, "Unexpected end of input"},
    {"1e+]", 0, GQL_EJSON, 3, "Expected a digit in the exponent, found ']'"},
    {"-", 0, GQL_EJSON, 1, "Unexpected end of input"},
    {"-a", 0, GQL_EJSON, 1, "Expected a digit after '-', found 'a'"},
    {"0x10", 0, GQL_EJSON, 1, "Unexpected 'x' after the JSON value"},
    {"NaN", 0, GQL_EJSON, 0, "Expected a JSON value, found 'N'"},
    {"tru", 0, GQL_EJSON, 3, "Unexpected end of input"},
    {"trUe", 0, GQL_EJSON, 2, "Invalid literal: expected 'true', found 'U'"},
    {"nulL", 0, GQL_EJSON, 3, "Invalid literal: expected 'null', found 'L'"},
    {"[1]]", 0, GQL_EJSON, 3, "Unexpected ']' after the JSON value"},
    {"1 2", 0, GQL_EJSON, 2, "Unexpected '2' after the JSON value"},
    {"[1", 0, GQL_EJSON, 2, "Unexpected end of input"},
    {"{\"a\":1", 0, GQL_EJSON, 6, "Unexpected end of input"},
    {"\"abc", 0, GQL_EJSON, 4, "Unterminated string"},
    {"\"ab\\", 0, GQL_EJSON, 4, "Unterminated string"},
    {"\"\\q\"", 0, GQL_EJSON, 1, "Invalid escape '\\q' in string"},
    {"\"ab\\x41\"", 0, GQL_EJSON, 3, "Invalid escape '\\x' in string"},
    {"\"\\\x01\"", 0, GQL_EJSON, 1, "Invalid escape in string: '\\' followed by U+0001"},
    {"\"\\u12G4\"", 0, GQL_EJSON, 5, "Invalid \\u escape in string: expected a hex digit, found 'G'"},
    {"\"\\u12", 0, GQL_EJSON, 5, "Unterminated string"},
    {"\"\\ud800\"", 0, GQL_EJSON, 1, "Lone surrogate '\\ud800' in string"},
    {"\"x\\uDC00\"", 0, GQL_EJSON, 2, "Lone surrogate '\\uDC00' in string"},
    {"\"\\ud800\\u0041\"", 0, GQL_EJSON, 1, "Lone surrogate '\\ud800' in string"},
    {"\"\\ud800\\ud800\"", 0, GQL_EJSON, 1, "Lone surrogate '\\ud800' in string"},
    {"\"\\ud800x\"", 0, GQL_EJSON, 1, "Lone surrogate '\\ud800' in string"},
    {"\"\\ud800\\uZ\"", 0, GQL_EJSON, 9, "Invalid \\u escape in string: expected a hex digit, found 'Z'"},
    {"\"a\nb\"", 0, GQL_EJSON, 2, "Unescaped control character U+000A in string"},
    {"\"a\tb\"", 0, GQL_EJSON, 2, "Unescaped control character U+0009 in string"},
    {"\"a\0b\"", 5, GQL_EJSON, 2, "Unescaped control character U+0000 in string"},
    {"\"\x80\"", 0, GQL_EJSON, 1, "Invalid UTF-8 in string"},
    {"\"ab\xc3\"", 0, GQL_EJSON, 3, "Invalid UTF-8 in string"},
    {"\"\xc0\xaf\"", 0, GQL_EJSON, 1, "Invalid UTF-8 in string"},           /* overlong '/' */
    {"\"\xe0\x80\xaf\"", 0, GQL_EJSON, 1, "Invalid UTF-8 in string"},       /* overlong */
    {"\"\xed\xa0\x80\"", 0, GQL_EJSON, 1, "Invalid UTF-8 in string"},       /* surrogate */
    {"\"\xf4\x90\x80\x80\"", 0, GQL_EJSON, 1, "Invalid UTF-8 in string"},   /* > U+10FFFF */
    {"\"\xff\"", 0, GQL_EJSON, 1, "Invalid UTF-8 in string"},
    {"\xef\xbb\xbf{}", 0, GQL_EJSON, 0, "Expected a JSON value, found byte 0xEF"},
    {"\v1", 0, GQL_EJSON, 0, "Expected a JSON value, found U+000B"},
    {"[1 // c\n]", 0, GQL_EJSON, 3, "Expected ',' or ']' after array element"},
    {"'a'", 0, GQL_EJSON, 0, "Expected a JSON value, found '''"},
};

static void test_invalid(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_ELEMS(invalid_cases); i++) {
        const char *in = invalid_cases[i].in;
        size_t len = invalid_cases[i].len ? invalid_cases[i].len : strlen(in);
        gqlx_buf out;
        gqlx_buf_init(&out, 0);
        gqlx_json_error err;
        memset(&err, 0x55, sizeof err);
        int rc = roundtrip(in, len, &out, &err);
        if (rc != invalid_cases[i].status || err.offset != invalid_cases[i].offset ||
            strcmp(err.message, invalid_cases[i].message) != 0)
            fail_msg("case %zu: got %d at %zu \"%s\", want %d at %zu \"%s\"", i, rc, err.offset,
                     err.message, invalid_cases[i].status, invalid_cases[i].offset,
                     invalid_cases[i].message);
        assert_int_equal(err.status, rc);
        gqlx_buf_free(&out);
    }
}

static void test_error_line_column(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        size_t line, column;
    } cases[] = {
        {"[1,\n 2,\n x]", 3, 2},
        {"[1,\r\n2,\r\n  x]", 3, 3},
        {"[1,\r2,\r\rx]", 4, 1},
        {"{\"\xc3\xa9\xf0\x9f\x98\x80\": x}", 1, 9}, /* é is 1 unit, 😀 is 2 */
        {"\n\n", 3, 1},
    };
    for (size_t i = 0; i < N_ELEMS(cases); i++) {
        gqlx_arena a;
        gqlx_arena_init(&a, 0, 0);
        gqlx_json *v;
        gqlx_json_error err;
        assert_int_equal(gqlx_json_parse(&a, cases[i].in, strlen(cases[i].in), NULL, &v, &err),
                         GQL_EJSON);
        if (err.line != cases[i].line || err.column != cases[i].column)
            fail_msg("case %zu: %zu:%zu, want %zu:%zu", i, err.line, err.column, cases[i].line,
                     cases[i].column);
        gqlx_arena_free(&a);
    }
}

/* ---- reader: the DOM -------------------------------------------------------- */

static void test_strings(void **state)
{
    (void)state;
    const char text[] = "[\"plain\",\"a\\u0000b\",\"\\ud834\\udd1e\",\"\",\"\\n\"]";
    gqlx_arena a;
    gqlx_arena_init(&a, 0, 0);
    gqlx_json *v;
    assert_int_equal(gqlx_json_parse(&a, text, sizeof text - 1, NULL, &v, NULL), GQL_OK);
    assert_int_equal(v->kind, GQLX_JSON_ARRAY);
    assert_int_equal(v->len, 5);
    const gqlx_json *s = gqlx_json_at(v, 0);
    assert_int_equal(s->kind, GQLX_JSON_STRING);
    /* No escape: a slice of the input, not a copy. */
    assert_ptr_equal(s->u.str, text + 2);
    assert_int_equal(s->len, 5);
    s = gqlx_json_at(v, 1);
    assert_int_equal(s->len, 3);
    assert_memory_equal(s->u.str, "a\0b", 3);
    assert_true(s->u.str < text || s->u.str >= text + sizeof text); /* decoded copy */
    s = gqlx_json_at(v, 2);
    assert_int_equal(s->len, 4);
    assert_memory_equal(s->u.str, "\xf0\x9d\x84\x9e", 4);
    assert_int_equal(gqlx_json_at(v, 3)->len, 0);
    assert_int_equal(gqlx_json_at(v, 4)->len, 1);
    assert_int_equal(gqlx_json_at(v, 4)->u.str[0], '\n');
    assert_null(gqlx_json_at(v, 5));
    assert_null(gqlx_json_get(v, "a", 1));
    gqlx_arena_free(&a);
}

#define JS GQLX_JSON_JS_TEXT
static const struct {
    const char *text;
    unsigned flags;
    int64_t i64;
    double d;
} number_cases[] = {
    {"0", GQLX_JSON_INTEGER | GQLX_JSON_INT64 | JS, 0, 0.0},
    {"-0", GQLX_JSON_INTEGER | GQLX_JSON_INT64, 0, -0.0},
    {"42", GQLX_JSON_INTEGER | GQLX_JSON_INT64 | JS, 42, 42.0},
    {"-17", GQLX_JSON_INTEGER | GQLX_JSON_INT64 | JS, -17, -17.0},
    {"9223372036854775807", GQLX_JSON_INTEGER | GQLX_JSON_INT64, INT64_MAX, 9223372036854775807.0},
    {"-9223372036854775808", GQLX_JSON_INTEGER | GQLX_JSON_INT64, INT64_MIN,
     -9223372036854775808.0},
    {"9223372036854775808", GQLX_JSON_INTEGER, 0, 9223372036854775808.0},
    {"-9223372036854775809", GQLX_JSON_INTEGER, 0, -9223372036854775808.0},
    {"18446744073709551616", GQLX_JSON_INTEGER, 0, 18446744073709551616.0},
    {"9007199254740993", GQLX_JSON_INTEGER | GQLX_JSON_INT64, 9007199254740993, 9007199254740992.0},
    {"1.0", 0, 0, 1.0},
    {"1e2", 0, 0, 100.0},
    {"0.1", JS, 0, 0.1},
    {"123e-20", 0, 0, 123e-20},
    {"1.7976931348623157e308", 0, 0, 1.7976931348623157e308},
    {"5e-324", 0, 0, 5e-324},
    {"2.4703282292062327e-324", 0, 0, 0.0},    /* just below half the smallest: 0 */
    {"2.4703282292062328e-324", 0, 0, 5e-324}, /* just above: rounds up */
    {"1.00000000000000011102230246251565404236316680908203125", 0, 0, 1.0}, /* tie: even */
    {"1.00000000000000011102230246251565404236316680908203126", 0, 0, 1.0000000000000002},
    {"0.30000000000000004", 0, 0, 0.30000000000000004},
    {"0.0000000000000000000000000000001", 0, 0, 1e-31},
    {"1e23", 0, 0, 1e23},
    {"8.41e21", 0, 0, 8.41e21},
    /* JS: the text is what JavaScript prints for the double */
    {"9007199254740992", GQLX_JSON_INTEGER | GQLX_JSON_INT64 | JS, 9007199254740992,
     9007199254740992.0},
    {"12.5", JS, 0, 12.5},
    {"-0.5", JS, 0, -0.5},
    {"962.05", JS, 0, 962.05},
    {"0.000001", JS, 0, 0.000001},
    {"0.0000012", JS, 0, 0.0000012},
    {"0.0000001", 0, 0, 1e-7},                      /* JavaScript: 1e-7 */
    {"12.50", 0, 0, 12.5},                          /* JavaScript: 12.5 */
    {"-0.0", 0, 0, -0.0},                           /* JavaScript: 0 */
    {"123456789012345.6", 0, 0, 123456789012345.6}, /* 16 digits: not known short */
    {"100000000000000.5", 0, 0, 100000000000000.5},
    {"12345678901234.5", JS, 0, 12345678901234.5},
};

static void test_numbers(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_ELEMS(number_cases); i++) {
        const char *t = number_cases[i].text;
        gqlx_arena a;
        gqlx_arena_init(&a, 0, 0);
        gqlx_json *v;
        assert_int_equal(gqlx_json_parse(&a, t, strlen(t), NULL, &v, NULL), GQL_OK);
        assert_int_equal(v->kind, GQLX_JSON_NUMBER);
        assert_ptr_equal(v->u.str, t);
        assert_int_equal(v->len, strlen(t));
        if (v->flags != number_cases[i].flags)
            fail_msg("%s: flags %u", t, v->flags);
        if (v->flags & GQLX_JSON_INT64)
            assert_true(v->i64 == number_cases[i].i64);
        if (memcmp(&v->d, &number_cases[i].d, sizeof v->d) != 0)
            fail_msg("%s: %.17g, want %.17g", t, v->d, number_cases[i].d);
        gqlx_arena_free(&a);
    }
}

/* Every number the reader marks GQLX_JSON_JS_TEXT must print as its own
 * text; generated decimals of 1 to 17 digits with the point anywhere. */
static void test_js_text_matches_writer(void **state)
{
    (void)state;
    uint64_t r = 0x9e3779b97f4a7c15u;
    size_t marked = 0;
    for (int round = 0; round < 200000; round++) {
        r ^= r << 13, r ^= r >> 7, r ^= r << 17;
        char text[48];
        size_t n = 0;
        int digits = 1 + (int)(r % 17), point = (int)((r >> 8) % 24) - 6;
        if ((r >> 16) & 1)
            text[n++] = '-';
        if (point <= 0) {
            text[n++] = '0';
            text[n++] = '.';
            for (int z = point; z < 0; z++)
                text[n++] = '0';
            point = -1;
        }
        for (int k = 0; k < digits; k++) {
            if (k == point)
                text[n++] = '.';
            uint64_t d = (r >> (20 + (k * 7) % 40)) % 10;
            text[n++] = (char)('0' + (k == 0 && point != -1 && digits > 1 && d == 0 ? 1 : d));
        }
        gqlx_arena a;
        gqlx_arena_init(&a, 0, 0);
        gqlx_json *v;
        assert_int_equal(gqlx_json_parse(&a, text, n, NULL, &v, NULL), GQL_OK);
        if (v->flags & GQLX_JSON_JS_TEXT) {
            marked++;
            gqlx_buf b;
            gqlx_buf_init(&b, 0);
            gqlx_json_write_double(&b, v->d);
            if (b.len != n || memcmp(b.data, text, n) != 0)
                fail_msg("%.*s prints as %s", (int)n, text, b.data);
            gqlx_buf_free(&b);
        }
        gqlx_arena_free(&a);
    }
    assert_true(marked > 50000);
}

static void test_duplicate_keys(void **state)
{
    (void)state;
    gqlx_arena a;
    gqlx_arena_init(&a, 0, 0);
    gqlx_json *v;
    const char *t = "{\"x\":1,\"y\":2,\"x\":3,\"z\":4,\"y\":5,\"x\":6}";
    assert_int_equal(gqlx_json_parse(&a, t, strlen(t), NULL, &v, NULL), GQL_OK);
    assert_int_equal(v->len, 3);
    assert_true(gqlx_slice_eq_cstr(v->u.members[0].key, "x"));
    assert_true(gqlx_slice_eq_cstr(v->u.members[1].key, "y"));
    assert_true(gqlx_slice_eq_cstr(v->u.members[2].key, "z"));
    assert_true(gqlx_json_get_cstr(v, "x")->i64 == 6);
    assert_true(gqlx_json_get_cstr(v, "y")->i64 == 5);
    assert_true(gqlx_json_get_cstr(v, "z")->i64 == 4);
    assert_null(gqlx_json_get_cstr(v, "w"));

    /* A large object takes the hash-table path; an escaped key equals its
     * unescaped spelling. */
    gqlx_buf in;
    gqlx_buf_init(&in, 0);
    gqlx_buf_putc(&in, '{');
    for (int i = 0; i < 500; i++)
        gqlx_buf_printf(&in, "%s\"k%d\":%d", i ? "," : "", i % 97, i);
    gqlx_buf_append_cstr(&in, ",\"\\u006b5\":-1}");
    assert_int_equal(gqlx_json_parse(&a, in.data, in.len, NULL, &v, NULL), GQL_OK);
    assert_int_equal(v->len, 97);
    for (int k = 0; k < 97; k++) {
        char key[8];
        snprintf(key, sizeof key, "k%d", k);
        assert_true(gqlx_slice_eq_cstr(v->u.members[k].key, key));
        int64_t last = k == 5 ? -1 : k + 97 * ((499 - k) / 97);
        assert_true(gqlx_json_get_cstr(v, key)->i64 == last);
    }
    gqlx_buf_free(&in);
    gqlx_arena_free(&a);
}

/* ---- limits ----------------------------------------------------------------- */

static char *nested(size_t depth, size_t *len)
{
    char *s = malloc(depth * 2 + 2);
    assert_non_null(s);
    memset(s, '[', depth);
    s[depth] = '1';
    memset(s + depth + 1, ']', depth);
    *len = depth * 2 + 1;
    s[*len] = '\0';
    return s;
}

static void test_depth_limit(void **state)
{
    (void)state;
    gqlx_arena a;
    gqlx_arena_init(&a, 0, 0);
    gqlx_json *v;
    gqlx_json_error err;
    size_t len;
    char *ok = nested(GQLX_DEFAULT_MAX_JSON_DEPTH, &len);
    assert_int_equal(gqlx_json_parse(&a, ok, len, NULL, &v, &err), GQL_OK);
    free(ok);
    char *deep = nested(GQLX_DEFAULT_MAX_JSON_DEPTH + 1, &len);
    assert_int_equal(gqlx_json_parse(&a, deep, len, NULL, &v, &err), GQL_ELIMIT);
    assert_int_equal(err.offset, GQLX_DEFAULT_MAX_JSON_DEPTH);
    assert_string_equal(err.message, "Nesting is deeper than the limit of 128");
    free(deep);

    gqlx_json_opts opts;
    gqlx_json_opts_init(&opts);
    opts.max_depth = 0; /* scalars only */
    assert_int_equal(gqlx_json_parse(&a, "1", 1, &opts, &v, &err), GQL_OK);
    assert_int_equal(gqlx_json_parse(&a, "{}", 2, &opts, &v, &err), GQL_ELIMIT);

    /* Very deep input is fine when allowed: the reader does not recurse,
     * nor does the writer. */
    opts.max_depth = 100000;
    char *huge = nested(100000, &len);
    assert_int_equal(gqlx_json_parse(&a, huge, len, &opts, &v, &err), GQL_OK);
    gqlx_buf out;
    gqlx_buf_init(&out, 0);
    assert_int_equal(gqlx_json_write_value(&out, v, 0), GQL_OK);
    assert_int_equal(out.len, len);
    assert_memory_equal(out.data, huge, len);
    gqlx_buf_free(&out);
    free(huge);
    gqlx_arena_free(&a);
}

static void test_size_limit(void **state)
{
    (void)state;
    gqlx_arena a;
    gqlx_arena_init(&a, 0, 0);
    gqlx_json_opts opts;
    gqlx_json_opts_init(&opts);
    assert_int_equal(opts.max_bytes, GQLX_DEFAULT_MAX_JSON_BYTES);
    assert_int_equal(opts.max_depth, GQLX_DEFAULT_MAX_JSON_DEPTH);
    opts.max_bytes = 8;
    gqlx_json *v;
    gqlx_json_error err;
    assert_int_equal(gqlx_json_parse(&a, "[1,2,3]", 7, &opts, &v, &err), GQL_OK);
    assert_int_equal(gqlx_json_parse(&a, "[1,2,3] ", 8, &opts, &v, &err), GQL_OK);
    assert_int_equal(gqlx_json_parse(&a, "[1,2,3]  ", 9, &opts, &v, &err), GQL_ELIMIT);
    assert_null(v);
    assert_int_equal(err.offset, 0);
    assert_string_equal(err.message, "JSON text of 9 bytes is larger than the limit of 8");
    opts.max_bytes = 0; /* no limit */
    assert_int_equal(gqlx_json_parse(&a, "[1,2,3]  ", 9, &opts, &v, &err), GQL_OK);
    /* NULL text with length 0 is an empty text. */
    assert_int_equal(gqlx_json_parse(&a, NULL, 0, NULL, &v, &err), GQL_EJSON);
    gqlx_arena_free(&a);
}

static void test_arena_cap(void **state)
{
    (void)state;
    gqlx_arena a;
    gqlx_arena_init(&a, 1024, 4096);
    gqlx_buf in;
    gqlx_buf_init(&in, 0);
    gqlx_buf_putc(&in, '[');
    for (int i = 0; i < 1000; i++)
        gqlx_buf_append_cstr(&in, i ? ",\"\\n\"" : "\"\\n\"");
    gqlx_buf_putc(&in, ']');
    gqlx_json *v;
    gqlx_json_error err;
    assert_int_equal(gqlx_json_parse(&a, in.data, in.len, NULL, &v, &err), GQL_ENOMEM);
    assert_null(v);
    assert_string_equal(err.message, "Out of memory");
    /* The failure is sticky until reset. */
    assert_int_equal(gqlx_json_parse(&a, "1", 1, NULL, &v, &err), GQL_ENOMEM);
    gqlx_arena_reset(&a);
    assert_int_equal(gqlx_json_parse(&a, "1", 1, NULL, &v, &err), GQL_OK);
    gqlx_buf_free(&in);
    gqlx_arena_free(&a);
}

/* The children of open containers wait in a vector outside the arena;
 * it stops at the room the arena's cap leaves instead of growing with the
 * text (a megabyte of "0," is a million children: 56 MB of vector). */
static void test_arena_cap_bounds_scratch(void **state)
{
    (void)state;
    gqlx_buf in;
    gqlx_buf_init(&in, 0);
    gqlx_buf_putc(&in, '[');
    for (int i = 0; i < 1000000; i++)
        gqlx_buf_append(&in, "0,", 2);
    gqlx_buf_append(&in, "0]", 2);
    gqlx_arena a;
    gqlx_arena_init(&a, 0, 64 * 1024);
    gqlx_json *v;
    gqlx_json_error err;
    unsigned long before = gqlx_alloc_count();
    assert_int_equal(gqlx_json_parse(&a, in.data, in.len, NULL, &v, &err), GQL_ENOMEM);
    /* Doubling from 64 children to the room of 64 KiB takes a handful of
     * steps; to a million it would take fifteen. */
    assert_true(gqlx_alloc_count() - before <= 8);
    gqlx_arena_free(&a);
    /* Without a cap the same text reads. */
    gqlx_arena_init(&a, 0, 0);
    assert_int_equal(gqlx_json_parse(&a, in.data, in.len, NULL, &v, &err), GQL_OK);
    assert_int_equal(v->len, 1000001);
    gqlx_arena_free(&a);
    gqlx_buf_free(&in);
}

/* Fails the Nth system allocation for N = 0, 1, ... until a parse gets
 * through; every failure must be a clean GQL_ENOMEM (ASan checks leaks). */
static void test_parse_fault_injection(void **state)
{
    (void)state;
    gqlx_buf in;
    gqlx_buf_init(&in, 0);
    gqlx_buf_putc(&in, '{');
    for (int i = 0; i < 200; i++)
        gqlx_buf_printf(&in, "%s\"k%d\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"\\t%d\","
                             "12345678901234567890123456789e-3]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
                        i ? "," : "", i % 150, i);
    gqlx_buf_putc(&in, '}');
    assert_false(in.failed);
    gqlx_buf expect;
    gqlx_buf_init(&expect, 0);
    assert_int_equal(roundtrip(in.data, in.len, &expect, NULL), GQL_OK);
    int ok = 0;
    for (long n = 0; n < 10000 && !ok; n++) {
        gqlx_arena a;
        gqlx_arena_init(&a, 512, 0);
        gqlx_json *v;
        gqlx_json_error err;
        gqlx_fault_set(n);
        int rc = gqlx_json_parse(&a, in.data, in.len, NULL, &v, &err);
        gqlx_fault_reset();
        if (rc == GQL_OK) {
            ok = 1;
            gqlx_buf out;
            gqlx_buf_init(&out, 0);
            assert_int_equal(gqlx_json_write_value(&out, v, 0), GQL_OK);
            assert_string_equal(out.data, expect.data);
            gqlx_buf_free(&out);
        } else {
            assert_int_equal(rc, GQL_ENOMEM);
            assert_null(v);
            assert_string_equal(err.message, "Out of memory");
        }
        gqlx_arena_free(&a);
    }
    assert_true(ok);

    /* The writer: its buffer and its walk stack for deep values. */
    gqlx_arena a;
    gqlx_arena_init(&a, 0, 0);
    gqlx_json *v;
    assert_int_equal(gqlx_json_parse(&a, in.data, in.len, NULL, &v, NULL), GQL_OK);
    ok = 0;
    for (long n = 0; n < 1000 && !ok; n++) {
        gqlx_buf out;
        gqlx_buf_init(&out, 0);
        gqlx_fault_set(n);
        int rc = gqlx_json_write_value(&out, v, 0);
        gqlx_fault_reset();
        if (rc == GQL_OK) {
            ok = 1;
            assert_string_equal(out.data, expect.data);
        } else {
            assert_int_equal(rc, GQL_ENOMEM);
        }
        gqlx_buf_free(&out);
    }
    assert_true(ok);
    gqlx_arena_free(&a);
    gqlx_buf_free(&expect);
    gqlx_buf_free(&in);
}

/* ---- writer ------------------------------------------------------------------ */

static void check_string(const char *in, size_t len, const char *want)
{
    gqlx_buf b;
    gqlx_buf_init(&b, 0);
    gqlx_json_write_string(&b, in, len);
    assert_false(b.failed);
    if (strcmp(b.data, want) != 0)
        fail_msg("wrote %s, want %s", b.data, want);
    assert_true(gqlx_utf8_valid(b.data, b.len, NULL));
    gqlx_buf_free(&b);
}

static void test_write_string(void **state)
{
    (void)state;
    check_string("", 0, "\"\"");
    check_string(NULL, 0, "\"\"");
    check_string("plain text", 10, "\"plain text\"");
    check_string("\"\\/", 3, "\"\\\"\\\\/\"");
    check_string("\b\f\n\r\t", 5, "\"\\b\\f\\n\\r\\t\"");
    check_string("\x00\x01\x1f\x7f", 4, "\"\\u0000\\u0001\\u001f\x7f\"");
    check_string("\x0b\x1b", 2, "\"\\u000b\\u001b\"");
    check_string("caf\xc3\xa9 \xe2\x80\xa8 \xf0\x9f\x98\x80", 14,
                 "\"caf\xc3\xa9 \xe2\x80\xa8 \xf0\x9f\x98\x80\"");
    /* Invalid UTF-8: one U+FFFD per maximal ill-formed subsequence. */
    check_string("a\x80z", 3, "\"a\xef\xbf\xbdz\"");
    check_string("\xff\xfe", 2, "\"\xef\xbf\xbd\xef\xbf\xbd\"");
    check_string("\xe2\x82z", 3, "\"\xef\xbf\xbdz\"");         /* truncated: one */
    check_string("\xe2\x82", 2, "\"\xef\xbf\xbd\"");           /* truncated at end */
    check_string("\xf0\x9f\x98", 3, "\"\xef\xbf\xbd\"");
    check_string("\xc0\xaf", 2, "\"\xef\xbf\xbd\xef\xbf\xbd\""); /* overlong: two */
    check_string("\xe0\x80\xaf", 3, "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");
    check_string("\xed\xa0\x80", 3, "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\""); /* surrogate */
    check_string("\xf4\x90\x80\x80", 4,
                 "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\""); /* > U+10FFFF */
    check_string("\xf4\x8f\xbf\xbf", 4, "\"\xf4\x8f\xbf\xbf\"");         /* U+10FFFF */
    check_string("\xc3\n", 2, "\"\xef\xbf\xbd\\n\"");
}

/* The writer scans short strings as two words, longer ones sixteen and
 * eight bytes at a time: one byte that needs attention at every position
 * of strings of 1 to 40 bytes, against the escapes spelt out. */
static void test_write_string_positions(void **state)
{
    (void)state;
    static const struct {
        const char *bytes, *escaped;
    } specials[] = {
        {"\"", "\\\""},           {"\\", "\\\\"},      {"\n", "\\n"},
        {"\x01", "\\u0001"},      {"\x1f", "\\u001f"}, {"\xc3\xa9", "\xc3\xa9"},
        {"\xff", "\xef\xbf\xbd"},
    };
    for (size_t k = 0; k < N_ELEMS(specials); k++) {
        size_t sl = strlen(specials[k].bytes);
        for (size_t len = sl; len <= 40; len++) {
            for (size_t at = 0; at + sl <= len; at++) {
                char in[48], want[160];
                memset(in, 'x', len);
                memcpy(in + at, specials[k].bytes, sl);
                size_t n = 0;
                want[n++] = '"';
                memset(want + n, 'x', at);
                n += at;
                memcpy(want + n, specials[k].escaped, strlen(specials[k].escaped));
                n += strlen(specials[k].escaped);
                memset(want + n, 'x', len - at - sl);
                n += len - at - sl;
                want[n++] = '"';
                want[n] = '\0';
                check_string(in, len, want);
            }
        }
    }
    /* And the same lengths with nothing to escape ('/' and DEL included). */
    for (size_t len = 1; len <= 40; len++) {
        char in[48], want[64];
        for (size_t i = 0; i < len; i++)
            in[i] = "ab/\x7f~ Z09q"[i % 10];
        want[0] = '"';
        memcpy(want + 1, in, len);
        want[len + 1] = '"';
        want[len + 2] = '\0';
        check_string(in, len, want);
    }
}

static const struct {
    double x;
    const char *text;
} double_cases[] = {
    {0.0, "0"},
    {-0.0, "0"},
    {1.0, "1"},
    {-1.0, "-1"},
    {100.0, "100"},
    {0.1, "0.1"},
    {-0.5, "-0.5"},
    {1.5, "1.5"},
    {0.30000000000000004, "0.30000000000000004"},
    {1e21, "1e+21"},
    {1e20, "100000000000000000000"},
    {123456789012345680000.0, "123456789012345680000"},
    {1e-7, "1e-7"},
    {1.5e-7, "1.5e-7"},
    {0.000001, "0.000001"},
    {0.0000015, "0.0000015"},
    {123e-20, "1.23e-18"},
    {5e-324, "5e-324"},
    {-5e-324, "-5e-324"},
    {1.7976931348623157e308, "1.7976931348623157e+308"},
    {2.2250738585072014e-308, "2.2250738585072014e-308"},
    {9007199254740992.0, "9007199254740992"},
    {9007199254740994.0, "9007199254740994"},
    {1e23, "1e+23"},
    {4.35, "4.35"},
    {3.141592653589793, "3.141592653589793"},
    {12345.678, "12345.678"},
    {1e100, "1e+100"},
    {1.2345e-300, "1.2345e-300"},
    /* A power of two whose shortest form is the decimal just above it: the
     * nearest 16-digit decimal lies outside its narrow lower half-interval. */
    {7.120236347223045e-307, "7.120236347223045e-307"},
    {5.641232424577593e-278, "5.641232424577593e-278"},
};

static void test_write_double(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_ELEMS(double_cases); i++) {
        gqlx_buf b;
        gqlx_buf_init(&b, 0);
        gqlx_json_write_double(&b, double_cases[i].x);
        if (strcmp(b.data, double_cases[i].text) != 0)
            fail_msg("%.17g: wrote %s, want %s", double_cases[i].x, b.data, double_cases[i].text);
        gqlx_buf_free(&b);
    }
    gqlx_buf b;
    gqlx_buf_init(&b, 0);
    gqlx_json_write_double(&b, NAN);
    gqlx_json_write_double(&b, INFINITY);
    gqlx_json_write_double(&b, -INFINITY);
    assert_string_equal(b.data, "nullnullnull");
    gqlx_buf_free(&b);
    char text[GQLX_DTOA_MAX];
    assert_int_equal(gqlx_dtoa(NAN, text), 3);
    assert_string_equal(text, "NaN");
    gqlx_dtoa(-INFINITY, text);
    assert_string_equal(text, "-Infinity");
    assert_int_equal(gqlx_dtoa(-1.2345678901234567e-308, text), 24);
    assert_int_equal(gqlx_dtoa(-0.0000012345678901234567, text), 25);
}

/* Shortest round trip on many doubles: the text reads back exactly, and no
 * text one digit shorter would (checked against %.{n-1}g). */
static void test_double_roundtrip_random(void **state)
{
    (void)state;
    uint64_t s = 88172645463325252ull;
    for (int i = 0; i < 20000; i++) {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        double x;
        memcpy(&x, &s, sizeof x);
        if (!isfinite(x))
            continue;
        char text[GQLX_DTOA_MAX];
        size_t n = gqlx_dtoa(x, text);
        assert_int_equal(strlen(text), n);
        double back = gqlx_strtod_c(text, NULL);
        if (memcmp(&back, &x, sizeof x) != 0 && !(x == 0 && back == 0))
            fail_msg("%a printed as %s", x, text);
    }
}

static void test_write_int(void **state)
{
    (void)state;
    gqlx_buf b;
    gqlx_buf_init(&b, 0);
    gqlx_json_write_int(&b, 0);
    gqlx_buf_putc(&b, ' ');
    gqlx_json_write_int(&b, -7);
    gqlx_buf_putc(&b, ' ');
    gqlx_json_write_int(&b, INT64_MAX);
    gqlx_buf_putc(&b, ' ');
    gqlx_json_write_int(&b, INT64_MIN);
    assert_string_equal(b.data, "0 -7 9223372036854775807 -9223372036854775808");
    gqlx_buf_free(&b);
}

static void test_streaming_writer(void **state)
{
    (void)state;
    gqlx_buf b;
    gqlx_buf_init(&b, 0);
    gqlx_json_writer w;
    gqlx_json_writer_init(&w, &b);
    gqlx_json_begin_object(&w);
    gqlx_json_key_cstr(&w, "data");
    gqlx_json_begin_object(&w);
    gqlx_json_key(&w, "a\"b", 3);
    gqlx_json_begin_array(&w);
    gqlx_json_int(&w, 1);
    gqlx_json_null(&w);
    gqlx_json_bool(&w, true);
    gqlx_json_bool(&w, false);
    gqlx_json_double(&w, 0.5);
    gqlx_json_string(&w, "x\n", 2);
    gqlx_json_begin_array(&w);
    gqlx_json_end_array(&w);
    gqlx_json_begin_object(&w);
    gqlx_json_end_object(&w);
    gqlx_json_raw(&w, "{\"r\":1}", 7);
    gqlx_json_end_array(&w);
    gqlx_json_key_cstr(&w, "e");
    gqlx_json_double(&w, NAN);
    gqlx_json_end_object(&w);
    gqlx_json_key_cstr(&w, "v");
    gqlx_arena a;
    gqlx_arena_init(&a, 0, 0);
    gqlx_json *v;
    assert_int_equal(gqlx_json_parse(&a, "[1E5,-0.0]", 10, NULL, &v, NULL), GQL_OK);
    assert_int_equal(gqlx_json_value(&w, v, GQLX_JSON_WRITE_NUMBER_TEXT), GQL_OK);
    gqlx_json_key_cstr(&w, "w");
    assert_int_equal(gqlx_json_value(&w, v, 0), GQL_OK);
    gqlx_json_end_object(&w);
    assert_false(b.failed);
    assert_string_equal(b.data, "{\"data\":{\"a\\\"b\":[1,null,true,false,0.5,\"x\\n\",[],{},"
                                "{\"r\":1}],\"e\":null},\"v\":[1E5,-0.0],\"w\":[100000,0]}");
    assert_int_equal(gqlx_json_write_value(&b, NULL, 0), GQL_EINVAL);
    gqlx_json bad = {.kind = 99};
    assert_int_equal(gqlx_json_write_value(&b, &bad, 0), GQL_EINVAL);
    gqlx_arena_free(&a);
    gqlx_buf_free(&b);
}

static void test_writer_buffer_cap(void **state)
{
    (void)state;
    gqlx_buf b;
    gqlx_buf_init(&b, 16);
    gqlx_json_write_string(&b, "0123456789abcdefghij", 20);
    assert_true(b.failed);
    assert_true(b.len <= 16);
    gqlx_buf_free(&b);

    gqlx_arena a;
    gqlx_arena_init(&a, 0, 0);
    gqlx_json *v;
    const char *t = "[\"0123456789\",\"0123456789\"]";
    assert_int_equal(gqlx_json_parse(&a, t, strlen(t), NULL, &v, NULL), GQL_OK);
    gqlx_buf_init(&b, 20);
    assert_int_equal(gqlx_json_write_value(&b, v, 0), GQL_ENOMEM);
    assert_true(b.len <= 20);
    gqlx_buf_free(&b);
    gqlx_arena_free(&a);
}

/* parse -> write -> parse -> write gives the same bytes twice. */
static void test_roundtrip_stable(void **state)
{
    (void)state;
    static const char *docs[] = {
        "{\"query\":\"{ a }\",\"variables\":{\"x\":[1,2.5,-3e-9,null,true],\"y\":\"\\u00e9\\n\"}}",
        "[\"\\ud83d\\ude00\",{\"\":{\"\":[]}},0.1,1e21,123456789012345678901234567890]",
        "\"\\u0000\\u001f\\\"\\\\\\/\"",
    };
    for (size_t i = 0; i < N_ELEMS(docs); i++) {
        gqlx_buf one, two;
        gqlx_buf_init(&one, 0);
        gqlx_buf_init(&two, 0);
        assert_int_equal(roundtrip(docs[i], strlen(docs[i]), &one, NULL), GQL_OK);
        assert_int_equal(roundtrip(one.data, one.len, &two, NULL), GQL_OK);
        assert_string_equal(one.data, two.data);
        gqlx_buf_free(&one);
        gqlx_buf_free(&two);
    }
}

/* A host may switch LC_NUMERIC to a locale with a decimal comma; neither
 * reading nor writing may change. Skipped where no such locale exists. */
static void test_locale_independent(void **state)
{
    (void)state;
    static const char *locales[] = {"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "ru_RU.UTF-8"};
    const char *set = NULL;
    for (size_t i = 0; i < N_ELEMS(locales) && set == NULL; i++)
        set = setlocale(LC_NUMERIC, locales[i]);
    if (set == NULL)
        skip();
    gqlx_buf out;
    gqlx_buf_init(&out, 0);
    int rc = roundtrip("[1.5,0.1,12345678901234567.5e-3]", 32, &out, NULL);
    setlocale(LC_NUMERIC, "C");
    assert_int_equal(rc, GQL_OK);
    assert_string_equal(out.data, "[1.5,0.1,12345678901234.568]");
    gqlx_buf_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_invalid),
        cmocka_unit_test(test_error_line_column),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_js_text_matches_writer),
        cmocka_unit_test(test_duplicate_keys),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_size_limit),
        cmocka_unit_test(test_arena_cap),
        cmocka_unit_test(test_arena_cap_bounds_scratch),
        cmocka_unit_test(test_parse_fault_injection),
        cmocka_unit_test(test_write_string),
        cmocka_unit_test(test_write_string_positions),
        cmocka_unit_test(test_write_double),
        cmocka_unit_test(test_double_roundtrip_random),
        cmocka_unit_test(test_write_int),
        cmocka_unit_test(test_streaming_writer),
        cmocka_unit_test(test_writer_buffer_cap),
        cmocka_unit_test(test_roundtrip_stable),
        cmocka_unit_test(test_locale_independent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
