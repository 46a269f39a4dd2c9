/* tests/fuzz/fuzz_multipart.c — libFuzzer target for the multipart/form-data
 * parser and the GraphQL multipart request layer on top of it.
 *
 * The boundary is taken from the input's first line when it starts with
 * "--" (as a real body's first delimiter does), else it is "XyZ". The body
 * is parsed twice, in one write and in pieces whose sizes come from the
 * input: both runs must agree on the status, the message and every part
 * (content read back from temporary files too). A successful parse is
 * then read as a GraphQL multipart request, whose operations text, when
 * there is one, must be valid JSON. Small limits make every limit and the
 * temporary-file path reachable. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/json.h"
#include "gql/status.h"
#include "server/multipart.h"
#include "server/upload_request.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void limits(gqlx_multipart_limits *lim)
{
    gqlx_multipart_limits_init(lim);
    lim->max_parts = 32;
    lim->max_header_bytes = 512;
    lim->max_field_bytes = 4096;
    lim->maximum_file_size = 8192;
    lim->maximum_file_count = 8;
    lim->upload_memory_limit = 100;
    lim->max_memory = 64 * 1024;
}

static gqlx_multipart *parse(const char *ct, const char *body, size_t len, const uint8_t *cuts,
                             size_t ncuts)
{
    gqlx_multipart_limits lim;
    limits(&lim);
    gqlx_multipart *mp = gqlx_multipart_new(ct, &lim);
    if (mp == NULL || gqlx_multipart_status(mp) != 0)
        return mp;
    size_t i = 0, k = 0;
    int st = 0;
    while (i < len && st == 0) {
        size_t n = ncuts ? 1u + (size_t)(cuts[k++ % ncuts] % 64u) : len - i;
        if (n > len - i)
            n = len - i;
        st = gqlx_multipart_write(mp, body + i, n);
        i += n;
    }
    if (st == 0)
        gqlx_multipart_finish(mp);
    return mp;
}

static void content(const gqlx_multipart_part *p, char *out)
{
    if (p->data != NULL) {
        memcpy(out, p->data, p->size);
        return;
    }
    if (pread(p->fd, out, p->size, 0) != (ssize_t)p->size)
        abort();
}

static void same(const gqlx_multipart *a, const gqlx_multipart *b)
{
    if (gqlx_multipart_status(a) != gqlx_multipart_status(b) ||
        strcmp(gqlx_multipart_error(a), gqlx_multipart_error(b)) != 0)
        abort();
    if (gqlx_multipart_status(a) != 0)
        return;
    if (gqlx_multipart_count(a) != gqlx_multipart_count(b))
        abort();
    for (size_t i = 0; i < gqlx_multipart_count(a); i++) {
        const gqlx_multipart_part *p = gqlx_multipart_at(a, i), *q = gqlx_multipart_at(b, i);
        if (strcmp(p->name, q->name) != 0 || p->size != q->size || p->is_file != q->is_file ||
            (p->filename && strcmp(p->filename, q->filename) != 0))
            abort();
        char *x = malloc(p->size + 1), *y = malloc(q->size + 1);
        if (x == NULL || y == NULL)
            abort();
        content(p, x);
        content(q, y);
        if (memcmp(x, y, p->size) != 0)
            abort();
        free(x);
        free(y);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *body = (const char *)data;
    char ct[128] = "multipart/form-data; boundary=XyZ";
    if (size >= 3 && body[0] == '-' && body[1] == '-') {
        size_t n = 2;
        while (n < size && n < 74 && body[n] != '\r' && body[n] != '\n')
            n++;
        snprintf(ct, sizeof ct, "multipart/form-data; boundary=\"%.*s\"", (int)(n - 2), body + 2);
    }
    /* The last bytes, when there are enough, choose the piece sizes. */
    size_t ncuts = size > 16 ? 8 : 0;
    gqlx_multipart *whole = parse(ct, body, size, NULL, 0);
    gqlx_multipart *pieces = parse(ct, body, size, data + size - ncuts, ncuts);
    if (whole != NULL && pieces != NULL)
        same(whole, pieces);

    if (whole != NULL && gqlx_multipart_done(whole)) {
        gqlx_arena arena;
        gqlx_arena_init(&arena, 4096, 1u << 20);
        gqlx_upload_request r;
        int st = gqlx_upload_request_build(&arena, whole, &r);
        if (st == 0 && r.operations != NULL) {
            gqlx_json *v;
            if (gqlx_json_parse(&arena, r.operations, r.operations_len, NULL, &v, NULL) ==
                GQL_EJSON)
                abort();
            for (size_t i = 0; i < r.upload_count; i++) {
                char b[16];
                size_t got;
                if (gql_upload_read(&r.uploads[i], 0, b, sizeof b, &got) != GQL_OK)
                    abort();
            }
        } else if (st != 0 && st != 400 && st != 500) {
            abort();
        }
        gqlx_arena_free(&arena);
    }
    gqlx_multipart_free(whole);
    gqlx_multipart_free(pieces);
    return 0;
}
