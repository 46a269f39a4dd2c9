/* tests/fuzz/fuzz_graphql_params.c — libFuzzer target for reading GraphQL
 * request parameters from HTTP requests (server/graphql_params.c).
 *
 * Input layout: byte 0 chooses the method (bit 0: POST), the body's kind
 * (bits 1-3) and options (bits 4-7: forms, batches, query string on POST,
 * variables from the query string); byte 1 more options (bit 0:
 * extensions from the query string, bit 1: batches of at most 3, bit 2: a
 * multipart form given as plain fields read from the body's
 * "name=value" lines). The rest is the query string, a NUL byte, and the
 * body. Invariants: the reader returns 0, 400, 415 or 500, and its result
 * agrees: a success has at least one request, exactly one unless it is a
 * batch, no more than the batch limit, every query present, names
 * NUL-terminated without inner NUL, variables and extensions objects; a
 * failure has a non-empty message. The query string's bytes are also read
 * as an Accept and a Content-Type header value, which must give one of the
 * known answers. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/json.h"
#include "server/graphql_params.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct lines {
    const char *p;
    size_t n;
} lines;

/* Plain fields as "name=value" lines of the body. */
static bool get_line_field(void *ctx, const char *name, gqlx_slice *value)
{
    const lines *l = ctx;
    size_t nlen = strlen(name);
    for (size_t i = 0; i < l->n;) {
        const char *nl = memchr(l->p + i, '\n', l->n - i);
        size_t end = nl ? (size_t)(nl - l->p) : l->n;
        if (end - i > nlen && memcmp(l->p + i, name, nlen) == 0 && l->p[i + nlen] == '=') {
            *value = gqlx_slice_make(l->p + i + nlen + 1, end - i - nlen - 1);
            return true;
        }
        i = end + 1;
    }
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    uint8_t f0 = data[0], f1 = data[1];
    const char *rest = (const char *)data + 2;
    size_t rest_len = size - 2;
    const char *nul = memchr(rest, '\0', rest_len);
    size_t qs_len = nul ? (size_t)(nul - rest) : rest_len;
    const char *body = nul ? nul + 1 : rest + rest_len;
    size_t body_len = nul ? rest_len - qs_len - 1 : 0;

    static const gqlx_body_kind kinds[8] = {
        GQLX_BODY_NONE,      GQLX_BODY_JSON, GQLX_BODY_GRAPHQL, GQLX_BODY_FORM,
        GQLX_BODY_MULTIPART, GQLX_BODY_TEXT, GQLX_BODY_OTHER,   GQLX_BODY_JSON,
    };
    gqlx_params_opts o;
    gqlx_params_opts_init(&o);
    o.read_form = (f0 & 0x10) != 0;
    o.batching = (f0 & 0x20) != 0;
    o.read_query_string_on_post = (f0 & 0x40) != 0;
    o.read_variables_from_query_string = (f0 & 0x80) != 0;
    o.read_extensions_from_query_string = (f1 & 1) != 0;
    o.max_batch_size = (f1 & 2) ? 3 : 100;
    o.json.max_depth = 32;
    o.json.max_bytes = 1u << 20;

    lines l = {body, body_len};
    gqlx_params_fields fields = {get_line_field, &l};
    gqlx_params_input in = {(f0 & 1) != 0, kinds[(f0 >> 1) & 7],     rest, qs_len, body,
                            body_len,      (f1 & 4) ? &fields : NULL};

    gqlx_arena arena;
    gqlx_arena_init(&arena, 4096, 16u << 20);
    gqlx_params r;
    int rc = gqlx_params_extract(&arena, &in, &o, &r);
    if (rc != r.status)
        abort();
    if (rc == 0) {
        if (r.count == 0 || r.items == NULL || (!r.batch && r.count != 1) ||
            r.count > o.max_batch_size || (r.batch && !o.batching))
            abort();
        for (size_t i = 0; i < r.count; i++) {
            const gqlx_gql_params *p = &r.items[i];
            if (p->query == NULL)
                abort();
            if (p->operation_name != NULL)
                (void)strlen(p->operation_name);
            if (p->variables != NULL && p->variables->kind != GQLX_JSON_OBJECT)
                abort();
            if (p->extensions != NULL && p->extensions->kind != GQLX_JSON_OBJECT)
                abort();
            /* Touch every byte of the query so sanitizers check it. */
            volatile char sink = 0;
            for (size_t k = 0; k < p->query_len; k++)
                sink ^= p->query[k];
            (void)sink;
        }
    } else if (rc == 400 || rc == 415 || rc == 500) {
        if (r.message == NULL || r.message[0] == '\0')
            abort();
    } else {
        abort();
    }
    gqlx_arena_free(&arena);

    char *header = malloc(qs_len + 1);
    if (header == NULL)
        return 0;
    memcpy(header, rest, qs_len);
    header[qs_len] = '\0';
    gqlx_response_type t = gqlx_media_choose_response(header);
    if (t != GQLX_RESPONSE_NONE && t != GQLX_RESPONSE_JSON && t != GQLX_RESPONSE_GRAPHQL)
        abort();
    bool charset_ok;
    gqlx_body_kind k = gqlx_media_body_kind(header, &charset_ok);
    if (k > GQLX_BODY_INVALID || k == GQLX_BODY_NONE)
        abort();
    free(header);
    return 0;
}
