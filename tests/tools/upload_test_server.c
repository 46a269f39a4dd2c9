/* tests/tools/upload_test_server.c — a GraphQL server with file uploads for
 * tests/integration/uploads.test.mjs: a schema whose mutations take
 * Upload arguments (directly, in a list, in an input object) and answer
 * what the server received: names, types, sizes, a SHA-256 of the content
 * and the content as text.
 *
 * Usage: upload_test_server [--listen ADDR] [--max-file-size N]
 *        [--max-file-count N] [--upload-memory-limit N]
 * SIGTERM or SIGINT stops it gracefully. */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gql/gql.h"
#include "gql/server.h"
#include "test_server.h"
#include "gql/upload.h"

static const char sdl[] = "scalar Upload\n"
                          "type Query { ok: Boolean }\n"
                          "type File { name: String, filename: String, type: String, size: Int,\n"
                          "            sha256OrPrefix: String, text: String }\n"
                          "type Mutation {\n"
                          "  single(file: Upload!): File\n"
                          "  multiple(files: [Upload!]!): [File]\n"
                          "  nested(input: UploadInput!): File\n"
                          "}\n"
                          "input UploadInput { file: Upload!, note: String }\n";

/* ---- SHA-256 (FIPS 180-4), for checking what arrived ----------------------- */

typedef struct sha256 {
    uint32_t h[8];
    uint64_t bytes;
    unsigned char block[64];
    size_t fill;
} sha256;

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

static uint32_t rotr(uint32_t x, unsigned n)
{
    return (x >> n) | (x << (32 - n));
}

static void sha256_block(sha256 *s, const unsigned char *p)
{
    uint32_t w[64];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = s->h[0], b = s->h[1], c = s->h[2], d = s->h[3];
    uint32_t e = s->h[4], f = s->h[5], g = s->h[6], h = s->h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 =
            h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
        uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        h = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    s->h[0] += a;
    s->h[1] += b;
    s->h[2] += c;
    s->h[3] += d;
    s->h[4] += e;
    s->h[5] += f;
    s->h[6] += g;
    s->h[7] += h;
}

static void sha256_init(sha256 *s)
{
    static const uint32_t h0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    memcpy(s->h, h0, sizeof h0);
    s->bytes = 0;
    s->fill = 0;
}

static void sha256_update(sha256 *s, const unsigned char *p, size_t n)
{
    s->bytes += n;
    while (n > 0) {
        size_t take = 64 - s->fill < n ? 64 - s->fill : n;
        memcpy(s->block + s->fill, p, take);
        s->fill += take;
        p += take;
        n -= take;
        if (s->fill == 64) {
            sha256_block(s, s->block);
            s->fill = 0;
        }
    }
}

static void sha256_hex(sha256 *s, char out[65])
{
    uint64_t bits = s->bytes * 8;
    unsigned char pad = 0x80, zero = 0, len[8];
    sha256_update(s, &pad, 1);
    while (s->fill != 56)
        sha256_update(s, &zero, 1);
    for (int i = 0; i < 8; i++)
        len[i] = (unsigned char)(bits >> (56 - 8 * i));
    sha256_update(s, len, 8);
    for (int i = 0; i < 8; i++)
        snprintf(out + 8 * i, 9, "%08x", (unsigned)s->h[i]);
}

/* ---- resolvers ---------------------------------------------------------------- */

/* Uploads travel as the parent objects of File fields. */
static gql_value file_value(const gql_upload *u)
{
    return gql_object((void *)(uintptr_t)u, "File");
}

static gql_value resolve_file(gql_info *info, gql_value parent)
{
    const gql_upload *u = parent.u.ptr;
    const char *field = gql_info_field_name(info);
    if (strcmp(field, "name") == 0)
        return gql_cstr(u->name);
    if (strcmp(field, "filename") == 0)
        return gql_cstr(u->filename);
    if (strcmp(field, "type") == 0)
        return gql_cstr(u->content_type);
    if (strcmp(field, "size") == 0)
        return gql_int((int64_t)u->size);
    if (strcmp(field, "text") == 0) {
        char *text = gql_alloc(info, u->size + 1);
        size_t got;
        if (text == NULL)
            return gql_error(info, "out of memory");
        if (gql_upload_read(u, 0, text, u->size, &got) != GQL_OK || got != u->size)
            return gql_error(info, "could not read the upload");
        return gql_string(text, got);
    }
    /* sha256OrPrefix: the SHA-256 of the content, read in pieces as a
     * resolver streaming a large file would. */
    sha256 s;
    sha256_init(&s);
    unsigned char buf[16384];
    size_t off = 0, got;
    while (off < u->size) {
        if (gql_upload_read(u, off, buf, sizeof buf, &got) != GQL_OK || got == 0)
            return gql_error(info, "could not read the upload");
        sha256_update(&s, buf, got);
        off += got;
    }
    char hex[65];
    sha256_hex(&s, hex);
    return gql_string_copy(info, hex, 64);
}

static gql_value resolve_single(gql_info *info, gql_value parent)
{
    (void)parent;
    const gql_upload *u = gql_arg_upload(info, "file");
    return u ? file_value(u) : gql_error(info, "file is not an upload of this request");
}

static gql_value resolve_multiple(gql_info *info, gql_value parent)
{
    (void)parent;
    const gql_json *files = gql_arg(info, "files");
    size_t n = gql_json_length(files);
    gql_value *items = gql_alloc_values(info, n ? n : 1);
    if (items == NULL)
        return gql_error(info, "out of memory");
    for (size_t i = 0; i < n; i++) {
        const gql_upload *u = gql_upload_from_json(info, gql_json_item(files, i));
        if (u == NULL)
            return gql_error(info, "files[%zu] is not an upload of this request", i);
        items[i] = file_value(u);
    }
    return gql_list(items, n);
}

static gql_value resolve_nested(gql_info *info, gql_value parent)
{
    (void)parent;
    const gql_upload *u =
        gql_upload_from_json(info, gql_json_member(gql_arg(info, "input"), "file"));
    return u ? file_value(u) : gql_error(info, "input.file is not an upload of this request");
}

static gql_value resolve_ok(gql_info *info, gql_value parent)
{
    (void)info;
    (void)parent;
    return gql_bool(1);
}

/* ---- main ---------------------------------------------------------------------- */

static int usage(void)
{
    fprintf(stderr, "usage: upload_test_server [--listen ADDR] [--max-file-size N] "
                    "[--max-file-count N] [--upload-memory-limit N]\n");
    return 2;
}

int main(int argc, char **argv)
{
    gql_server_opts so;
    gql_server_opts_init(&so);
    so.listen = "127.0.0.1:0";
    so.workers = 1;
    gql_endpoint_opts eo;
    gql_endpoint_opts_init(&eo);
    eo.read_form_on_post = 1;
    eo.csrf_protection_enabled = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (i + 1 >= argc)
            return usage();
        const char *v = argv[++i];
        if (strcmp(a, "--listen") == 0)
            so.listen = v;
        else if (strcmp(a, "--max-file-size") == 0)
            eo.maximum_file_size = (size_t)strtoull(v, NULL, 10);
        else if (strcmp(a, "--max-file-count") == 0)
            eo.maximum_file_count = (unsigned)strtoul(v, NULL, 10);
        else if (strcmp(a, "--upload-memory-limit") == 0)
            eo.upload_memory_limit = (size_t)strtoull(v, NULL, 10);
        else
            return usage();
    }

    gql_schema_builder *b;
    gql_errors *errs = NULL;
    if (gql_schema_builder_new(&b, sdl, strlen(sdl), NULL, &errs) != GQL_OK) {
        fprintf(stderr, "upload_test_server: the schema does not build\n");
        gql_errors_free(errs);
        return 1;
    }
    gql_schema_builder_resolver(b, "Query.ok", resolve_ok, NULL);
    gql_schema_builder_resolver(b, "Mutation.single", resolve_single, NULL);
    gql_schema_builder_resolver(b, "Mutation.multiple", resolve_multiple, NULL);
    gql_schema_builder_resolver(b, "Mutation.nested", resolve_nested, NULL);
    gql_schema_builder_resolver(b, "File", resolve_file, NULL);
    gql_schema *schema;
    if (gql_schema_builder_finish(b, &schema) != GQL_OK)
        return 1;

    gql_server *srv;
    if (gql_server_new(&so, &srv) != GQL_OK) {
        fprintf(stderr, "upload_test_server: bad options\n");
        gql_schema_free(schema);
        return 1;
    }
    int rc = gql_server_graphql(srv, "/graphql", schema, &eo) == GQL_OK
                 ? test_server_serve(srv, "upload_test_server", NULL)
                 : 1;
    gql_server_free(srv);
    gql_schema_free(schema);
    return rc;
}
