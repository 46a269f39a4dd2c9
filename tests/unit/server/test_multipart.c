/* tests/unit/server/test_multipart.c — the incremental multipart/form-data
 * parser (server/multipart.c): results independent of how the body is cut,
 * limits, temporary files and malformed bodies. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <dirent.h>

#include <cmocka.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "server/multipart.h"

#define CT "multipart/form-data; boundary=XyZ"

/* A body of the given parts, each "name", "filename" (NULL: a field),
 * "content type" (NULL: none) and content. */
typedef struct spec_part {
    const char *name;
    const char *filename;
    const char *type;
    const char *content;
    size_t len; /* 0: strlen(content) */
} spec_part;

static void build_body(gqlx_buf *b, const char *boundary, const spec_part *parts, size_t n)
{
    gqlx_buf_init(b, 0);
    gqlx_buf_append_cstr(b, "preamble to ignore\r\n");
    for (size_t i = 0; i < n; i++) {
        gqlx_buf_printf(b, "--%s\r\nContent-Disposition: form-data; name=\"%s\"", boundary,
                        parts[i].name);
        if (parts[i].filename)
            gqlx_buf_printf(b, "; filename=\"%s\"", parts[i].filename);
        gqlx_buf_append_cstr(b, "\r\n");
        if (parts[i].type)
            gqlx_buf_printf(b, "Content-Type: %s\r\n", parts[i].type);
        gqlx_buf_append_cstr(b, "\r\n");
        size_t len = parts[i].len ? parts[i].len : strlen(parts[i].content);
        gqlx_buf_append(b, parts[i].content, len);
        gqlx_buf_append_cstr(b, "\r\n");
    }
    gqlx_buf_printf(b, "--%s--\r\nepilogue to ignore", boundary);
}

/* A canonical description of the parser's outcome: status, message and
 * every part with its content (read back from a temporary file when it is
 * in one). */
static void describe(gqlx_multipart *mp, gqlx_buf *out)
{
    gqlx_buf_init(out, 0);
    gqlx_buf_printf(out, "status %d %s\n", gqlx_multipart_status(mp), gqlx_multipart_error(mp));
    for (size_t i = 0; i < gqlx_multipart_count(mp); i++) {
        const gqlx_multipart_part *p = gqlx_multipart_at(mp, i);
        gqlx_buf_printf(out, "[%s|%s|%s|%zu|", p->name, p->filename ? p->filename : "-",
                        p->content_type ? p->content_type : "-", p->size);
        if (p->data != NULL) {
            assert_int_equal(p->fd, -1);
            assert_int_equal(p->data[p->size], '\0');
            gqlx_buf_append(out, p->data, p->size);
        } else {
            assert_true(p->fd >= 0);
            char *tmp = malloc(p->size + 1);
            assert_non_null(tmp);
            assert_int_equal(pread(p->fd, tmp, p->size, 0), (ssize_t)p->size);
            gqlx_buf_append(out, tmp, p->size);
            free(tmp);
        }
        gqlx_buf_append_cstr(out, "]\n");
    }
}

static uint64_t rng_state = 88172645463325252ull;
static size_t rnd(size_t n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (size_t)(rng_state % n);
}

/* Feeds body to a new parser in pieces: cut < 0 random pieces, cut == 0
 * one write, cut > 0 two writes split at cut; step 1 one byte at a time. */
static gqlx_multipart *run(const char *ct, const gqlx_multipart_limits *lim, const char *body,
                           size_t len, long cut, bool bytewise)
{
    gqlx_multipart *mp = gqlx_multipart_new(ct, lim);
    assert_non_null(mp);
    if (gqlx_multipart_status(mp) != 0)
        return mp;
    int st = 0;
    if (bytewise) {
        for (size_t i = 0; i < len && st == 0; i++)
            st = gqlx_multipart_write(mp, body + i, 1);
    } else if (cut < 0) {
        size_t i = 0;
        while (i < len && st == 0) {
            size_t n = 1 + rnd(rnd(2) ? 7 : 300);
            if (n > len - i)
                n = len - i;
            st = gqlx_multipart_write(mp, body + i, n);
            i += n;
        }
    } else if (cut == 0) {
        st = gqlx_multipart_write(mp, body, len);
    } else {
        st = gqlx_multipart_write(mp, body, (size_t)cut);
        if (st == 0)
            st = gqlx_multipart_write(mp, body + cut, len - (size_t)cut);
    }
    if (st == 0)
        st = gqlx_multipart_finish(mp);
    assert_int_equal(st, gqlx_multipart_status(mp));
    return mp;
}

static int run_status(const char *ct, const gqlx_multipart_limits *lim, const char *body,
                      const char *expect_message)
{
    gqlx_multipart *mp = run(ct, lim, body, strlen(body), 0, false);
    int st = gqlx_multipart_status(mp);
    if (expect_message != NULL && strstr(gqlx_multipart_error(mp), expect_message) == NULL)
        fail_msg("message \"%s\" lacks \"%s\"", gqlx_multipart_error(mp), expect_message);
    gqlx_multipart_free(mp);
    return st;
}

/* Every way of cutting body gives the same outcome as one write. */
static void check_all_cuts(const char *ct, const gqlx_multipart_limits *lim, const char *body,
                           size_t len)
{
    gqlx_buf want, got;
    gqlx_multipart *mp = run(ct, lim, body, len, 0, false);
    describe(mp, &want);
    gqlx_multipart_free(mp);

    for (size_t cut = 1; cut < len; cut++) {
        mp = run(ct, lim, body, len, (long)cut, false);
        describe(mp, &got);
        gqlx_multipart_free(mp);
        if (got.len != want.len || memcmp(got.data, want.data, want.len) != 0)
            fail_msg("cut at %zu:\n%s\nwanted:\n%s", cut, got.data, want.data);
        gqlx_buf_free(&got);
    }
    mp = run(ct, lim, body, len, 0, true);
    describe(mp, &got);
    gqlx_multipart_free(mp);
    assert_string_equal(got.data, want.data);
    gqlx_buf_free(&got);
    for (int k = 0; k < 20; k++) {
        mp = run(ct, lim, body, len, -1, false);
        describe(mp, &got);
        gqlx_multipart_free(mp);
        assert_string_equal(got.data, want.data);
        gqlx_buf_free(&got);
    }
    gqlx_buf_free(&want);
}

static void test_basic(void **state)
{
    (void)state;
    const spec_part parts[] = {
        {"operations", NULL, NULL, "{\"query\":\"{ok}\"}", 0},
        {"map", NULL, "application/json", "{}", 0},
        {"0", "a.txt", "text/plain", "Alpha file content.\r\n", 0},
        {"empty", NULL, NULL, "", 0},
        {"nofile", "", "application/octet-stream", "", 0},
    };
    gqlx_buf body;
    build_body(&body, "XyZ", parts, 5);
    gqlx_multipart *mp = run(CT, NULL, body.data, body.len, 0, false);
    assert_int_equal(gqlx_multipart_status(mp), 0);
    assert_true(gqlx_multipart_done(mp));
    assert_int_equal(gqlx_multipart_count(mp), 5);
    assert_int_equal(gqlx_multipart_file_count(mp), 2);
    const gqlx_multipart_part *p = gqlx_multipart_field(mp, "operations");
    assert_non_null(p);
    assert_string_equal(p->data, "{\"query\":\"{ok}\"}");
    assert_false(p->is_file);
    assert_null(p->filename);
    assert_null(p->content_type);
    p = gqlx_multipart_find(mp, "0", 1);
    assert_non_null(p);
    assert_true(p->is_file);
    assert_string_equal(p->filename, "a.txt");
    assert_string_equal(p->content_type, "text/plain");
    assert_int_equal(p->size, 21);
    assert_memory_equal(p->data, "Alpha file content.\r\n", 21);
    assert_null(gqlx_multipart_field(mp, "0")); /* a file, not a field */
    p = gqlx_multipart_field(mp, "empty");
    assert_int_equal(p->size, 0);
    assert_string_equal(p->data, "");
    p = gqlx_multipart_at(mp, 4);
    assert_true(p->is_file);
    assert_string_equal(p->filename, "");
    assert_null(gqlx_multipart_at(mp, 5));
    assert_null(gqlx_multipart_field(mp, "missing"));
    gqlx_multipart_free(mp);
    check_all_cuts(CT, NULL, body.data, body.len);
    gqlx_buf_free(&body);
}

/* Content that looks like delimiters but is not: every partial match
 * must come back as content, wherever the chunks are cut. */
static void test_near_delimiters(void **state)
{
    (void)state;
    static const char tricky[] =
        "\r\r\n\r\n-\r\n--\r\n--X\r\n--Xy\r\n-XyZ\r\n--xyZ\r\n--Xy\rZ\n--XyZ\r";
    const spec_part parts[] = {
        {"f", NULL, NULL, tricky, sizeof tricky - 1},
        {"g", "g.bin", NULL, tricky, sizeof tricky - 1},
        {"h", NULL, NULL, "\r", 0},
    };
    gqlx_buf body;
    build_body(&body, "XyZ", parts, 3);
    gqlx_multipart *mp = run(CT, NULL, body.data, body.len, 0, false);
    assert_int_equal(gqlx_multipart_status(mp), 0);
    assert_int_equal(gqlx_multipart_count(mp), 3);
    const gqlx_multipart_part *p = gqlx_multipart_at(mp, 0);
    assert_int_equal(p->size, sizeof tricky - 1);
    assert_memory_equal(p->data, tricky, sizeof tricky - 1);
    p = gqlx_multipart_at(mp, 2);
    assert_int_equal(p->size, 1);
    gqlx_multipart_free(mp);
    check_all_cuts(CT, NULL, body.data, body.len);

    /* The same through temporary files. */
    gqlx_multipart_limits lim;
    gqlx_multipart_limits_init(&lim);
    lim.upload_memory_limit = 5;
    check_all_cuts(CT, &lim, body.data, body.len);
    gqlx_buf_free(&body);
}

/* Binary content with every byte value, through memory and temp files. */
static void test_binary_random_splits(void **state)
{
    (void)state;
    size_t n = 200000;
    char *bin = malloc(n);
    assert_non_null(bin);
    for (size_t i = 0; i < n; i++)
        bin[i] = (char)(i % 7 == 0 ? '\r' : i % 11 == 0 ? '\n' : (int)rnd(256));
    const spec_part parts[] = {
        {"operations", NULL, NULL, "{}", 0},
        {"big", "big.bin", "application/octet-stream", bin, n},
        {"small", "s.bin", NULL, bin, 1000},
    };
    gqlx_buf body;
    build_body(&body, "----formdata-undici-0123456789", parts, 3);
    const char *ct = "multipart/form-data; boundary=----formdata-undici-0123456789";
    gqlx_multipart_limits lim;
    gqlx_multipart_limits_init(&lim);
    lim.upload_memory_limit = 4096;
    gqlx_buf want, got;
    gqlx_multipart *mp = run(ct, &lim, body.data, body.len, 0, false);
    assert_int_equal(gqlx_multipart_status(mp), 0);
    const gqlx_multipart_part *p = gqlx_multipart_find(mp, "big", 3);
    assert_null(p->data); /* over the memory threshold */
    assert_true(p->fd >= 0);
    assert_int_equal(p->size, n);
    p = gqlx_multipart_find(mp, "small", 5);
    assert_non_null(p->data);
    assert_memory_equal(p->data, bin, 1000);
    describe(mp, &want);
    gqlx_multipart_free(mp);
    for (int k = 0; k < 10; k++) {
        mp = run(ct, &lim, body.data, body.len, -1, false);
        describe(mp, &got);
        gqlx_multipart_free(mp);
        assert_int_equal(got.len, want.len);
        assert_memory_equal(got.data, want.data, want.len);
        gqlx_buf_free(&got);
    }
    mp = run(ct, &lim, body.data, body.len, 0, true);
    describe(mp, &got);
    gqlx_multipart_free(mp);
    assert_int_equal(got.len, want.len);
    assert_memory_equal(got.data, want.data, want.len);
    gqlx_buf_free(&got);
    gqlx_buf_free(&want);
    gqlx_buf_free(&body);
    free(bin);
}

static size_t dir_entries(const char *path)
{
    DIR *d = opendir(path);
    assert_non_null(d);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

/* Files above the memory threshold go to an unlinked temporary file in
 * tmp_dir; nothing is left in the directory, and memory stays small. */
static void test_temp_file(void **state)
{
    (void)state;
    char dir[] = "/tmp/gqld-mp-test-XXXXXX";
    assert_non_null(mkdtemp(dir));
    size_t n = 3u << 20;
    char *data = malloc(n);
    assert_non_null(data);
    for (size_t i = 0; i < n; i++)
        data[i] = (char)('a' + i % 26);
    const spec_part parts[] = {{"f", "big.txt", "text/plain", data, n}};
    gqlx_buf body;
    build_body(&body, "XyZ", parts, 1);

    gqlx_multipart_limits lim;
    gqlx_multipart_limits_init(&lim);
    lim.tmp_dir = dir;
    lim.upload_memory_limit = 1000;
    lim.max_memory = 256 * 1024;
    gqlx_multipart *mp = gqlx_multipart_new(CT, &lim);
    size_t peak = 0;
    for (size_t i = 0; i < body.len; i += 65536) {
        size_t k = body.len - i < 65536 ? body.len - i : 65536;
        assert_int_equal(gqlx_multipart_write(mp, body.data + i, k), 0);
        if (gqlx_multipart_memory(mp) > peak)
            peak = gqlx_multipart_memory(mp);
    }
    assert_int_equal(gqlx_multipart_finish(mp), 0);
    assert_true(peak < 200 * 1024); /* bounded, whatever the file weighs */
    const gqlx_multipart_part *p = gqlx_multipart_at(mp, 0);
    assert_null(p->data);
    struct stat st;
    assert_int_equal(fstat(p->fd, &st), 0);
    assert_int_equal(st.st_nlink, 0); /* unlinked at creation */
    assert_int_equal((size_t)st.st_size, n);
    assert_int_equal(dir_entries(dir), 0);
    char *back = malloc(n);
    assert_int_equal(pread(p->fd, back, n, 0), (ssize_t)n);
    assert_memory_equal(back, data, n);
    free(back);
    gqlx_multipart_free(mp);

    /* upload_memory_limit 0 sends every non-empty file to disk. */
    lim.upload_memory_limit = 0;
    const spec_part two[] = {{"a", "a", NULL, "x", 0}, {"b", "b", NULL, "", 0}};
    gqlx_buf_free(&body);
    build_body(&body, "XyZ", two, 2);
    mp = run(CT, &lim, body.data, body.len, 0, false);
    assert_int_equal(gqlx_multipart_status(mp), 0);
    assert_null(gqlx_multipart_at(mp, 0)->data);
    assert_non_null(gqlx_multipart_at(mp, 1)->data);
    gqlx_multipart_free(mp);

    /* A directory that does not exist: 500 with the reason. */
    lim.tmp_dir = "/nonexistent-gqld-dir";
    mp = run(CT, &lim, body.data, body.len, 0, false);
    assert_int_equal(gqlx_multipart_status(mp), 500);
    assert_non_null(strstr(gqlx_multipart_error(mp), "temporary file"));
    gqlx_multipart_free(mp);

    assert_int_equal(rmdir(dir), 0);
    gqlx_buf_free(&body);
    free(data);
}

static void test_file_limits(void **state)
{
    (void)state;
    gqlx_multipart_limits lim;
    gqlx_multipart_limits_init(&lim);
    lim.maximum_file_size = 10;
    lim.maximum_file_count = 2;
    lim.upload_memory_limit = 4;
    const spec_part ok[] = {
        {"a", "a.txt", NULL, "0123456789", 0}, /* exactly the limit */
        {"b", "b.txt", NULL, "", 0},
        {"field", NULL, NULL, "a field is not a file: longer than ten", 0},
    };
    gqlx_buf body;
    build_body(&body, "XyZ", ok, 3);
    assert_int_equal(run_status(CT, &lim, body.data, NULL), 0);
    gqlx_buf_free(&body);

    const spec_part big[] = {{"a", "a.txt", NULL, "0123456789A", 0}};
    build_body(&body, "XyZ", big, 1);
    assert_int_equal(run_status(CT, &lim, body.data,
                                "File 'a.txt' is larger than the maximum file size of 10 bytes"),
                     413);
    check_all_cuts(CT, &lim, body.data, body.len);
    gqlx_buf_free(&body);

    const spec_part many[] = {
        {"a", "a", NULL, "1", 0}, {"b", "b", NULL, "2", 0}, {"c", "c", NULL, "3", 0}};
    build_body(&body, "XyZ", many, 3);
    assert_int_equal(
        run_status(CT, &lim, body.data, "Too many files: at most 2 may be uploaded at once"), 413);
    gqlx_buf_free(&body);
}

static void test_other_limits(void **state)
{
    (void)state;
    gqlx_multipart_limits lim;
    gqlx_multipart_limits_init(&lim);
    lim.max_parts = 2;
    const spec_part three[] = {
        {"a", NULL, NULL, "1", 0}, {"b", NULL, NULL, "2", 0}, {"c", NULL, NULL, "3", 0}};
    gqlx_buf body;
    build_body(&body, "XyZ", three, 3);
    assert_int_equal(run_status(CT, &lim, body.data, "more than 2 parts"), 413);
    gqlx_buf_free(&body);

    gqlx_multipart_limits_init(&lim);
    lim.max_field_bytes = 5;
    const spec_part field[] = {{"operations", NULL, NULL, "123456", 0}};
    build_body(&body, "XyZ", field, 1);
    assert_int_equal(run_status(CT, &lim, body.data,
                                "The form field 'operations' is larger than the limit of 5 bytes"),
                     413);
    lim.max_field_bytes = 6;
    assert_int_equal(run_status(CT, &lim, body.data, NULL), 0);
    gqlx_buf_free(&body);

    gqlx_multipart_limits_init(&lim);
    lim.max_header_bytes = 60;
    const spec_part longname[] = {
        {"a-very-long-field-name-that-makes-the-header-line-too-long", NULL, NULL, "x", 0}};
    build_body(&body, "XyZ", longname, 1);
    assert_int_equal(run_status(CT, &lim, body.data, "headers of a part are larger"), 413);
    gqlx_buf_free(&body);

    /* Fields share one memory cap; files spill to disk instead. */
    gqlx_multipart_limits_init(&lim);
    lim.max_memory = 20000;
    char *blob = malloc(9000);
    memset(blob, 'x', 9000);
    const spec_part fields[] = {{"a", NULL, NULL, blob, 9000},
                                {"b", NULL, NULL, blob, 9000},
                                {"c", NULL, NULL, blob, 9000}};
    build_body(&body, "XyZ", fields, 3);
    assert_int_equal(run_status(CT, &lim, body.data, "more memory than the limit of 20000"), 413);
    gqlx_buf_free(&body);
    const spec_part files[] = {
        {"a", "a", NULL, blob, 9000}, {"b", "b", NULL, blob, 9000}, {"c", "c", NULL, blob, 9000}};
    build_body(&body, "XyZ", files, 3);
    gqlx_multipart *mp = run(CT, &lim, body.data, body.len, 0, false);
    assert_int_equal(gqlx_multipart_status(mp), 0);
    assert_non_null(gqlx_multipart_at(mp, 0)->data);
    assert_null(gqlx_multipart_at(mp, 2)->data);
    gqlx_multipart_free(mp);
    gqlx_buf_free(&body);
    free(blob);
}

static void test_boundary_parameter(void **state)
{
    (void)state;
    char b[71];
    size_t len;
    const char *msg;
    assert_int_equal(gqlx_multipart_boundary("multipart/form-data; boundary=abc", b, &len, &msg),
                     0);
    assert_string_equal(b, "abc");
    assert_int_equal(gqlx_multipart_boundary("Multipart/Form-Data ;charset=utf-8; BOUNDARY=\"a "
                                             "b\\\"c\"",
                                             b, &len, &msg),
                     0);
    assert_string_equal(b, "a b\"c");
    assert_int_equal(len, 5);
    assert_int_equal(gqlx_multipart_boundary("multipart/form-data", b, &len, &msg), 400);
    assert_string_equal(msg, "The multipart/form-data Content-Type has no boundary parameter");
    assert_int_equal(gqlx_multipart_boundary("multipart/form-data; boundary=", b, &len, &msg), 400);
    assert_int_equal(gqlx_multipart_boundary("multipart/form-data; boundary=\"\"", b, &len, &msg),
                     400);
    assert_int_equal(gqlx_multipart_boundary("multipart/form-data; boundary=\"abc", b, &len, &msg),
                     400);
    assert_int_equal(
        gqlx_multipart_boundary("multipart/form-data; boundary=\"ab \"", b, &len, &msg), 400);
    assert_int_equal(gqlx_multipart_boundary("multipart/mixed; boundary=abc", b, &len, &msg), 400);
    assert_int_equal(gqlx_multipart_boundary(NULL, b, &len, &msg), 400);
    char longb[128] = "multipart/form-data; boundary=";
    size_t at = strlen(longb);
    memset(longb + at, 'a', 70);
    longb[at + 70] = '\0';
    assert_int_equal(gqlx_multipart_boundary(longb, b, &len, &msg), 0);
    assert_int_equal(len, 70);
    longb[at + 70] = 'a';
    longb[at + 71] = '\0';
    assert_int_equal(gqlx_multipart_boundary(longb, b, &len, &msg), 400);
    assert_string_equal(msg, "The multipart boundary is longer than 70 characters");

    assert_true(gqlx_multipart_is_form_data("multipart/form-data; boundary=x"));
    assert_true(gqlx_multipart_is_form_data("  MULTIPART/FORM-DATA"));
    assert_false(gqlx_multipart_is_form_data("multipart/form-datax"));
    assert_false(gqlx_multipart_is_form_data("application/json"));
    assert_false(gqlx_multipart_is_form_data(NULL));

    gqlx_multipart *mp = gqlx_multipart_new("multipart/form-data", NULL);
    assert_non_null(mp);
    assert_int_equal(gqlx_multipart_status(mp), 400);
    assert_int_equal(gqlx_multipart_write(mp, "x", 1), 400);
    assert_int_equal(gqlx_multipart_finish(mp), 400);
    gqlx_multipart_free(mp);
}

static void test_headers(void **state)
{
    (void)state;
    const char *body =
        "--XyZ\r\n"
        "content-disposition:form-data;name=plain;FILENAME=\"C:\\dir\\a \\\"q\\\".txt\"\r\n"
        "X-Other: ignored\r\n"
        "Content-Type:  image/png ; x=1  \r\n"
        "\r\n"
        "PNG\r\n"
        "--XyZ \t\r\n"
        "Content-Disposition: form-data; name=\"n\"; filename=\"plain.txt\"; "
        "filename*=UTF-8''%C3%A9t%C3%A9.txt\r\n"
        "\r\n"
        "\r\n"
        "--XyZ\r\n"
        "Content-Disposition: form-data; name=\"\xc3\xa9\"; \r\n"
        "\r\n"
        "v\r\n"
        "--XyZ--";
    gqlx_multipart *mp = run(CT, NULL, body, strlen(body), 0, false);
    assert_int_equal(gqlx_multipart_status(mp), 0);
    assert_int_equal(gqlx_multipart_count(mp), 3);
    const gqlx_multipart_part *p = gqlx_multipart_at(mp, 0);
    assert_string_equal(p->name, "plain");
    assert_string_equal(p->filename, "C:\\dir\\a \"q\".txt");
    assert_string_equal(p->content_type, "image/png ; x=1");
    assert_string_equal(p->data, "PNG");
    p = gqlx_multipart_at(mp, 1);
    assert_string_equal(p->filename, "\xc3\xa9t\xc3\xa9.txt");
    assert_int_equal(p->size, 0);
    p = gqlx_multipart_at(mp, 2);
    assert_string_equal(p->name, "\xc3\xa9");
    assert_false(p->is_file);
    gqlx_multipart_free(mp);
    check_all_cuts(CT, NULL, body, strlen(body));
}

static void test_malformed(void **state)
{
    (void)state;
    static const struct {
        const char *body;
        const char *message;
    } cases[] = {
        {"", "no boundary found"},
        {"just some text", "no boundary found"},
        {"--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\nvalue", "missing final boundary"},
        {"--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\nvalue\r\n--XyZ\r\n",
         "missing final boundary"},
        {"--XyZ\r\nContent-Disposition: form-data; name=a\r\n", "missing final boundary"},
        {"--XyZ\r\nContent-Disposition: form-data\r\n\r\nv\r\n--XyZ--",
         "Content-Disposition without name"},
        {"--XyZ\r\nContent-Disposition: form-data; filename=\"a\"\r\n\r\nv\r\n--XyZ--",
         "Content-Disposition without name"},
        {"--XyZ\r\nContent-Type: text/plain\r\n\r\nv\r\n--XyZ--", "without Content-Disposition"},
        {"--XyZ\r\n\r\nv\r\n--XyZ--", "without Content-Disposition"},
        {"--XyZ\r\nContent-Disposition: attachment; name=a\r\n\r\nv\r\n--XyZ--",
         "is not form-data"},
        {"--XyZ\r\nContent-Disposition: form-data; name=a\n\nv\r\n--XyZ--", "LF without CR"},
        {"--XyZ\nContent-Disposition: form-data; name=a\r\n\r\nv\r\n--XyZ--",
         "boundary line ends with LF without CR"},
        {"--XyZ\r\rContent-Disposition: form-data; name=a\r\n\r\nv\r\n--XyZ--",
         "boundary line ends without LF"},
        {"--XyZ\r\nContent-Disposition form-data\r\n\r\nv\r\n--XyZ--", "without a header name"},
        {"--XyZ\r\nContent-Disposition: form-data;\r\n name=a\r\n\r\nv\r\n--XyZ--",
         "folded header lines"},
        {"--XyZ\r\nContent-Disposition: form-data; name=\"a\r\n\r\nv\r\n--XyZ--",
         "invalid Content-Disposition parameters"},
        {"--XyZ\r\nContent-Disposition: form-data; name=a; name=b\r\n\r\nv\r\n--XyZ--",
         "two names"},
        {"--XyZ\r\nContent-Disposition: form-data; name=a\r\nContent-Disposition: form-data; "
         "name=b\r\n\r\nv\r\n--XyZ--",
         "two Content-Disposition headers"},
        {"--XyZ\r\nContent-Disposition: form-data; name=a\x01\r\n\r\nv\r\n--XyZ--",
         "control character"},
        {"--XyZ\r\nContent-Disposition: form-data; name=a; filename*=bad\r\n\r\nv\r\n--XyZ--",
         "invalid filename*"},
        {"--XyZ\r\nContent-Disposition: form-data; name=a; "
         "filename*=UTF-8''%00\r\n\r\nv\r\n--XyZ--",
         "invalid filename*"},
        {"--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\nv\r\n--XyZabc\r\n",
         "unexpected characters after a boundary"},
        {"--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\nv\r\n--XyZ-x",
         "unexpected characters after a boundary"},
        {"--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\nv\r\n--XyZ --",
         "unexpected characters after a boundary"},
        {"--XyZ\r\nContent-Disposition: form-data; name=a\rX\r\n\r\nv\r\n--XyZ--", "CR without LF"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        gqlx_multipart *mp = run(CT, NULL, cases[i].body, strlen(cases[i].body), 0, false);
        if (gqlx_multipart_status(mp) != 400 ||
            strstr(gqlx_multipart_error(mp), cases[i].message) == NULL)
            fail_msg("case %zu: %d \"%s\"", i, gqlx_multipart_status(mp), gqlx_multipart_error(mp));
        gqlx_multipart_free(mp);
        check_all_cuts(CT, NULL, cases[i].body, strlen(cases[i].body));
    }
    /* Bare LF delimiters are content, so a body written with LF only has
     * no parts. */
    const char *lf = "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\nv\n--XyZ\n--XyZ--";
    gqlx_multipart *mp = run(CT, NULL, lf, strlen(lf), 0, false);
    assert_int_equal(gqlx_multipart_status(mp), 400);
    assert_int_equal(gqlx_multipart_count(mp), 0);
    gqlx_multipart_free(mp);
    /* Sticky: after a failure every call returns it. */
    mp = gqlx_multipart_new(CT, NULL);
    assert_int_equal(gqlx_multipart_write(mp, "--XyZ\r\n", 7), 0);
    assert_int_equal(gqlx_multipart_write(mp, "\r\n--XyZ--", 9), 400);
    assert_int_equal(gqlx_multipart_write(mp, "", 0), 400);
    assert_int_equal(gqlx_multipart_finish(mp), 400);
    gqlx_multipart_free(mp);
}

/* Every allocation failing in turn: a clean 500 or success, no leak. */
static void test_fault_injection(void **state)
{
    (void)state;
    const spec_part parts[] = {
        {"operations", NULL, NULL, "{\"query\":\"{ok}\"}", 0},
        {"a", "a.txt", NULL, "0123456789012345678901234567890123456789", 0},
        {"b", "b.txt", NULL, "x", 0},
    };
    gqlx_buf body;
    build_body(&body, "XyZ", parts, 3);
    gqlx_multipart_limits lim;
    gqlx_multipart_limits_init(&lim);
    lim.upload_memory_limit = 16;
    bool finished = false;
    for (long n = 0; !finished && n < 200; n++) {
        gqlx_fault_set(n);
        gqlx_multipart *mp = gqlx_multipart_new(CT, &lim);
        if (mp != NULL) {
            int st = gqlx_multipart_write(mp, body.data, body.len);
            if (st == 0)
                st = gqlx_multipart_finish(mp);
            if (st == 0)
                finished = !gqlx_fault_triggered();
            else
                assert_int_equal(st, 500);
        }
        gqlx_fault_reset();
        gqlx_multipart_free(mp);
    }
    assert_true(finished);
    gqlx_buf_free(&body);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic),
        cmocka_unit_test(test_near_delimiters),
        cmocka_unit_test(test_binary_random_splits),
        cmocka_unit_test(test_temp_file),
        cmocka_unit_test(test_file_limits),
        cmocka_unit_test(test_other_limits),
        cmocka_unit_test(test_boundary_parameter),
        cmocka_unit_test(test_headers),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_fault_injection),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
