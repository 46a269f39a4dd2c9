/* tests/unit/server/test_upload_request.c — the GraphQL multipart request
 * layout (server/upload_request.c): operations rewritten with upload
 * references, the uploads table, and every way "operations" and "map" can
 * be wrong. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/buf.h"
#include "server/upload_request.h"

#define CT "multipart/form-data; boundary=BOUNDARY"

/* Parts are given as "name=value" for a field and "name@filename=value"
 * for a file (no content type), or "name@filename@type=value". */
static gqlx_multipart *form(const char *const *parts, size_t n)
{
    gqlx_buf b;
    gqlx_buf_init(&b, 0);
    for (size_t i = 0; i < n; i++) {
        const char *eq = strchr(parts[i], '=');
        const char *at = memchr(parts[i], '@', (size_t)(eq - parts[i]));
        size_t name_len = (size_t)((at ? at : eq) - parts[i]);
        gqlx_buf_printf(&b, "--BOUNDARY\r\nContent-Disposition: form-data; name=\"%.*s\"",
                        (int)name_len, parts[i]);
        const char *type = NULL;
        if (at != NULL) {
            const char *at2 = memchr(at + 1, '@', (size_t)(eq - at - 1));
            const char *fend = at2 ? at2 : eq;
            gqlx_buf_printf(&b, "; filename=\"%.*s\"", (int)(fend - at - 1), at + 1);
            if (at2)
                type = at2 + 1;
        }
        gqlx_buf_append_cstr(&b, "\r\n");
        if (type)
            gqlx_buf_printf(&b, "Content-Type: %.*s\r\n", (int)(eq - type), type);
        gqlx_buf_printf(&b, "\r\n%s\r\n", eq + 1);
    }
    gqlx_buf_append_cstr(&b, "--BOUNDARY--\r\n");
    gqlx_multipart *mp = gqlx_multipart_new(CT, NULL);
    assert_non_null(mp);
    assert_int_equal(gqlx_multipart_write(mp, b.data, b.len), 0);
    assert_int_equal(gqlx_multipart_finish(mp), 0);
    gqlx_buf_free(&b);
    return mp;
}

#define FORM(...)                                                                                  \
    form((const char *const[]){__VA_ARGS__},                                                       \
         sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *))

static void test_single_file(void **state)
{
    (void)state;
    gqlx_multipart *mp =
        FORM("operations={\"query\":\"mutation($file: Upload!) { single(file: $file) { name } }\","
             "\"variables\":{\"file\":null,\"n\":12345678901234567890123}}",
             "map={\"0\":[\"variables.file\"]}", "0@a.txt@text/markdown=Alpha file content.");
    gqlx_arena arena;
    gqlx_arena_init(&arena, 0, 0);
    gqlx_upload_request r;
    assert_int_equal(gqlx_upload_request_build(&arena, mp, &r), 0);
    assert_string_equal(r.operations,
                        "{\"query\":\"mutation($file: Upload!) { single(file: $file) { name } "
                        "}\",\"variables\":{\"file\":{\"$upload\":0},"
                        "\"n\":12345678901234567890123}}");
    assert_int_equal(r.operations_len, strlen(r.operations));
    assert_false(r.batch);
    assert_int_equal(r.upload_count, 1);
    const gql_upload *u = &r.uploads[0];
    assert_string_equal(u->name, "0");
    assert_string_equal(u->filename, "a.txt");
    assert_string_equal(u->content_type, "text/markdown");
    assert_int_equal(u->size, 19);
    assert_string_equal(u->data, "Alpha file content.");
    assert_int_equal(u->fd, -1);
    char buf[8];
    size_t got;
    assert_int_equal(gql_upload_read(u, 6, buf, sizeof buf, &got), 0);
    assert_int_equal(got, 8);
    assert_memory_equal(buf, "file con", 8);
    assert_int_equal(gql_upload_read(u, 15, buf, sizeof buf, &got), 0);
    assert_int_equal(got, 4);
    assert_int_equal(gql_upload_read(u, 99, buf, sizeof buf, &got), 0);
    assert_int_equal(got, 0);
    assert_int_not_equal(gql_upload_read(NULL, 0, buf, 1, &got), 0);
    gqlx_arena_free(&arena);
    gqlx_multipart_free(mp);
}

static void test_lists_nesting_and_batches(void **state)
{
    (void)state;
    gqlx_multipart *mp =
        FORM("operations=[{\"query\":\"q1\",\"variables\":{\"files\":[null,null],"
             "\"input\":{\"file\":null,\"note\":\"n\"}}},"
             "{\"query\":\"q2\",\"variables\":{\"file\":null,\"again\":null}}]",
             "map={\"x\":[\"0.variables.files.0\"],\"y\":[\"0.variables.files.1\"],"
             "\"z\":[\"0.variables.input.file\",\"1.variables.file\",\"1.variables.again\"],"
             "\"unused\":[]}",
             "z@z.bin=ZZ", "y@y.bin=YY", "x@x.bin=XX", "unused@u=U", "stray@s=S");
    gqlx_arena arena;
    gqlx_arena_init(&arena, 0, 0);
    gqlx_upload_request r;
    assert_int_equal(gqlx_upload_request_build(&arena, mp, &r), 0);
    assert_true(r.batch);
    assert_string_equal(r.operations,
                        "[{\"query\":\"q1\",\"variables\":{\"files\":[{\"$upload\":0},"
                        "{\"$upload\":1}],\"input\":{\"file\":{\"$upload\":2},\"note\":\"n\"}}},"
                        "{\"query\":\"q2\",\"variables\":{\"file\":{\"$upload\":2},"
                        "\"again\":{\"$upload\":2}}}]");
    assert_int_equal(r.upload_count, 3); /* map order; unused and stray left out */
    assert_string_equal(r.uploads[0].filename, "x.bin");
    assert_string_equal(r.uploads[1].filename, "y.bin");
    assert_string_equal(r.uploads[2].filename, "z.bin");
    assert_string_equal(r.uploads[2].content_type, "text/plain");
    gqlx_arena_free(&arena);
    gqlx_multipart_free(mp);
}

static void test_plain_form(void **state)
{
    (void)state;
    gqlx_multipart *mp =
        FORM("query={ ok }", "variables={\"a\":1}", "operationName@f=not me", "operationName=Op");
    gqlx_arena arena;
    gqlx_arena_init(&arena, 0, 0);
    gqlx_upload_request r;
    assert_int_equal(gqlx_upload_request_build(&arena, mp, &r), 0);
    assert_null(r.operations);
    assert_null(r.uploads);
    assert_int_equal(r.upload_count, 0);
    size_t len;
    assert_string_equal(gqlx_upload_form_field(mp, "query", &len), "{ ok }");
    assert_int_equal(len, 6);
    assert_string_equal(gqlx_upload_form_field(mp, "variables", NULL), "{\"a\":1}");
    assert_string_equal(gqlx_upload_form_field(mp, "operationName", NULL), "Op");
    assert_null(gqlx_upload_form_field(mp, "extensions", &len));
    assert_int_equal(len, 0);
    gqlx_arena_free(&arena);
    gqlx_multipart_free(mp);

    /* A map without files is fine: no uploads. */
    mp = FORM("operations={\"query\":\"{ok}\"}", "map={}");
    gqlx_arena_init(&arena, 0, 0);
    assert_int_equal(gqlx_upload_request_build(&arena, mp, &r), 0);
    assert_string_equal(r.operations, "{\"query\":\"{ok}\"}");
    assert_int_equal(r.upload_count, 0);
    assert_null(r.uploads);
    gqlx_arena_free(&arena);
    gqlx_multipart_free(mp);
}

static void expect_error(gqlx_multipart *mp, int status, const char *message)
{
    gqlx_arena arena;
    gqlx_arena_init(&arena, 0, 0);
    gqlx_upload_request r;
    int st = gqlx_upload_request_build(&arena, mp, &r);
    if (st != status || r.message == NULL || strcmp(r.message, message) != 0)
        fail_msg("got %d \"%s\", wanted %d \"%s\"", st, r.message, status, message);
    gqlx_arena_free(&arena);
    gqlx_multipart_free(mp);
}

/* Objects large enough to be searched through the index: every path is
 * found (in any order, also in a nested object), a second path to the
 * same place finds the first one's reference, and a key that is not there
 * is missing. */
static void test_large_objects(void **state)
{
    (void)state;
    enum { N = 3000 };
    gqlx_buf ops, map;
    gqlx_buf_init(&ops, 0);
    gqlx_buf_init(&map, 0);
    gqlx_buf_append_cstr(&ops, "operations={\"query\":\"q\",\"variables\":{");
    gqlx_buf_append_cstr(&map, "map={\"0\":[");
    for (int i = 0; i < N; i++)
        gqlx_buf_printf(&ops, "%s\"k%04d\":null", i ? "," : "", i);
    gqlx_buf_append_cstr(&ops, ",\"in\":{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5,\"f\":6,\"g\":7,"
                               "\"h\":8,\"file\":null}}}");
    for (int i = N - 1; i >= 0; i--)
        gqlx_buf_printf(&map, "\"variables.k%04d\",", i);
    gqlx_buf_append_cstr(&map, "\"variables.in.file\"]}");
    gqlx_multipart *mp = FORM(ops.data, map.data, "0@a=A");
    gqlx_arena arena;
    gqlx_arena_init(&arena, 0, 0);
    gqlx_upload_request r;
    assert_int_equal(gqlx_upload_request_build(&arena, mp, &r), 0);
    assert_int_equal(r.upload_count, 1);
    size_t refs = 0;
    for (const char *p = r.operations; (p = strstr(p, "{\"$upload\":0}")) != NULL; p++)
        refs++;
    assert_int_equal(refs, N + 1);
    assert_null(strstr(r.operations, "null"));
    gqlx_arena_free(&arena);
    gqlx_multipart_free(mp);

    gqlx_buf_clear(&map);
    gqlx_buf_append_cstr(&map, "map={\"0\":[\"variables.k0007\",\"variables.k0007\"]}");
    expect_error(FORM(ops.data, map.data, "0@a=A"), 400,
                 "The operations path 'variables.k0007' of file field '0' must hold null, not "
                 "object");
    gqlx_buf_clear(&map);
    gqlx_buf_append_cstr(&map, "map={\"0\":[\"variables.k3000\"]}");
    expect_error(FORM(ops.data, map.data, "0@a=A"), 400,
                 "The operations path 'variables.k3000' of file field '0' does not exist in "
                 "'operations'");
    gqlx_buf_free(&ops);
    gqlx_buf_free(&map);
}

static void test_errors(void **state)
{
    (void)state;
#define OPS "operations={\"variables\":{\"f\":null,\"s\":\"x\",\"l\":[null]}}"
    expect_error(FORM("operations={\"query\":", "map={}"), 400,
                 "The 'operations' multipart field is not valid JSON: Unexpected end of input");
    expect_error(FORM("operations=\"query\"", "map={}"), 400,
                 "The 'operations' multipart field must be a JSON object or array, not string");
    expect_error(FORM(OPS), 400, "The 'map' multipart field is missing");
    expect_error(FORM(OPS, "map@m.json={}"), 400,
                 "The 'map' multipart field must be a plain field, not a file");
    expect_error(FORM(OPS, "map={"), 400,
                 "The 'map' multipart field is not valid JSON: Unexpected end of input");
    expect_error(FORM(OPS, "map=[]"), 400,
                 "The 'map' multipart field must be a JSON object, not array");
    expect_error(FORM(OPS, "map={\"0\":\"variables.f\"}", "0@a=A"), 400,
                 "The 'map' entry '0' must be an array of operations paths, not string");
    expect_error(FORM(OPS, "map={\"0\":[1]}", "0@a=A"), 400,
                 "The 'map' entry '0' holds number where an operations path string belongs");
    expect_error(FORM(OPS, "map={\"0\":[\"variables.f\"]}"), 400,
                 "The file field '0' named in 'map' is missing");
    expect_error(FORM(OPS, "map={\"0\":[\"variables.f\"]}", "0=not a file"), 400,
                 "The field '0' named in 'map' is not a file");
    expect_error(FORM(OPS, "map={\"0\":[\"variables.g\"]}", "0@a=A"), 400,
                 "The operations path 'variables.g' of file field '0' does not exist in "
                 "'operations'");
    expect_error(FORM(OPS, "map={\"0\":[\"variables.l.1\"]}", "0@a=A"), 400,
                 "The operations path 'variables.l.1' of file field '0' does not exist in "
                 "'operations'");
    expect_error(FORM(OPS, "map={\"0\":[\"variables.l.00\"]}", "0@a=A"), 400,
                 "The operations path 'variables.l.00' of file field '0' does not exist in "
                 "'operations'");
    expect_error(FORM(OPS, "map={\"0\":[\"variables.f.x\"]}", "0@a=A"), 400,
                 "The operations path 'variables.f.x' of file field '0' does not exist in "
                 "'operations'");
    expect_error(FORM(OPS, "map={\"0\":[\"\"]}", "0@a=A"), 400,
                 "The operations path '' of file field '0' does not exist in 'operations'");
    expect_error(FORM(OPS, "map={\"0\":[\"variables.s\"]}", "0@a=A"), 400,
                 "The operations path 'variables.s' of file field '0' must hold null, not "
                 "string");
    expect_error(FORM(OPS, "map={\"0\":[\"variables\"]}", "0@a=A"), 400,
                 "The operations path 'variables' of file field '0' must hold null, not object");
    /* Two files for one place: the second finds the first's reference. */
    expect_error(
        FORM(OPS, "map={\"0\":[\"variables.f\"],\"1\":[\"variables.f\"]}", "0@a=A", "1@b=B"), 400,
        "The operations path 'variables.f' of file field '1' must hold null, not "
        "object");
#undef OPS
}

/* Running out of arena memory is a clean 500. */
static void test_arena_cap(void **state)
{
    (void)state;
    gqlx_multipart *mp =
        FORM("operations={\"variables\":{\"f\":null}}", "map={\"0\":[\"variables.f\"]}", "0@a=A");
    for (size_t cap = 1; cap < 4096; cap *= 2) {
        gqlx_arena arena;
        gqlx_arena_init(&arena, 64, cap);
        gqlx_upload_request r;
        int st = gqlx_upload_request_build(&arena, mp, &r);
        assert_true(st == 0 || st == 500);
        if (st == 500)
            assert_string_equal(r.message, "Out of memory while reading the multipart request");
        gqlx_arena_free(&arena);
    }
    gqlx_multipart_free(mp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_single_file),   cmocka_unit_test(test_lists_nesting_and_batches),
        cmocka_unit_test(test_plain_form),    cmocka_unit_test(test_errors),
        cmocka_unit_test(test_large_objects), cmocka_unit_test(test_arena_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
