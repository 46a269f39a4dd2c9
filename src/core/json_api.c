/* src/core/json_api.c — the public read-only JSON values (include/gql/json.h)
 * over the reader's DOM (core/json.h).
 *
 * A gql_json is a gqlx_json: the public type is only ever a pointer, so the
 * DOM needs no second representation and arguments coerced by the engine
 * reach resolvers without conversion. */
#include <limits.h>
#include <math.h>
#include <string.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/errors.h"
#include "core/json.h"
#include "gql/json.h"
#include "gql/status.h"

struct gql_json_doc {
    gqlx_arena arena; /* the copy of the text and every node */
    const gqlx_json *root;
};

static const gqlx_json *dom(const gql_json *v)
{
    return (const gqlx_json *)(const void *)v;
}

static const gql_json *pub(const gqlx_json *v)
{
    return (const gql_json *)(const void *)v;
}

gql_json_kind gql_json_type(const gql_json *v)
{
    if (v == NULL)
        return GQL_JSON_NULL;
    switch ((gqlx_json_kind)dom(v)->kind) {
    case GQLX_JSON_BOOL:
        return GQL_JSON_BOOL;
    case GQLX_JSON_NUMBER:
        return GQL_JSON_NUMBER;
    case GQLX_JSON_STRING:
        return GQL_JSON_STRING;
    case GQLX_JSON_ARRAY:
        return GQL_JSON_ARRAY;
    case GQLX_JSON_OBJECT:
        return GQL_JSON_OBJECT;
    case GQLX_JSON_NULL:
        break;
    }
    return GQL_JSON_NULL;
}

int gql_json_bool(const gql_json *v)
{
    return v != NULL && dom(v)->kind == GQLX_JSON_BOOL && dom(v)->boolean;
}

/* 2^63 as a double: the first value above the int64_t range (INT64_MAX
 * itself has no double; the nearest one is this). */
#define TWO_POW_63 9223372036854775808.0

/* Whether d has an integral value that converts to int64_t exactly. */
static bool double_is_int64(double d)
{
    return d >= -TWO_POW_63 && d < TWO_POW_63 && d == trunc(d);
}

int64_t gql_json_int(const gql_json *v)
{
    if (v == NULL || dom(v)->kind != GQLX_JSON_NUMBER)
        return 0;
    const gqlx_json *n = dom(v);
    if (n->flags & GQLX_JSON_INT64)
        return n->i64;
    /* Converting an out-of-range double is undefined in C: saturate first. */
    double d = n->d;
    if (isnan(d))
        return 0;
    if (d >= TWO_POW_63)
        return INT64_MAX;
    if (d < -TWO_POW_63)
        return INT64_MIN;
    return (int64_t)d; /* truncates toward zero */
}

int gql_json_is_int(const gql_json *v)
{
    if (v == NULL || dom(v)->kind != GQLX_JSON_NUMBER)
        return 0;
    const gqlx_json *n = dom(v);
    if (n->flags & GQLX_JSON_INT64)
        return 1;
    if (n->flags & GQLX_JSON_INTEGER)
        return 0; /* an integer text too large for int64_t, whatever its double */
    /* Texts such as 1.0 or 1e3 have integral values too, as they do for
     * JSON.parse and for graphql-js's Int coercion. */
    return double_is_int64(n->d);
}

double gql_json_float(const gql_json *v)
{
    return v != NULL && dom(v)->kind == GQLX_JSON_NUMBER ? dom(v)->d : 0.0;
}

const char *gql_json_string(const gql_json *v, size_t *len)
{
    if (v == NULL || dom(v)->kind != GQLX_JSON_STRING) {
        if (len != NULL)
            *len = 0;
        return NULL;
    }
    if (len != NULL)
        *len = dom(v)->len;
    /* Never NULL for a string, so that "" differs from "not a string". */
    return dom(v)->u.str != NULL ? dom(v)->u.str : "";
}

size_t gql_json_length(const gql_json *v)
{
    if (v == NULL)
        return 0;
    uint8_t kind = dom(v)->kind;
    return kind == GQLX_JSON_ARRAY || kind == GQLX_JSON_OBJECT ? dom(v)->len : 0;
}

const gql_json *gql_json_item(const gql_json *v, size_t i)
{
    return pub(gqlx_json_at(dom(v), i));
}

const gql_json *gql_json_member(const gql_json *v, const char *key)
{
    if (key == NULL)
        return NULL;
    return pub(gqlx_json_get_cstr(dom(v), key));
}

const gql_json *gql_json_member_at(const gql_json *v, size_t i, const char **key, size_t *key_len)
{
    const gqlx_json *o = dom(v);
    if (o == NULL || o->kind != GQLX_JSON_OBJECT || i >= o->len) {
        if (key != NULL)
            *key = NULL;
        if (key_len != NULL)
            *key_len = 0;
        return NULL;
    }
    const gqlx_json_member *m = &o->u.members[i];
    if (key != NULL)
        *key = m->key.ptr != NULL ? m->key.ptr : "";
    if (key_len != NULL)
        *key_len = m->key.len;
    return pub(&m->value);
}

static unsigned clamp_unsigned(size_t n)
{
    return n > UINT_MAX ? UINT_MAX : (unsigned)n;
}

/* Hands the reader's error to the caller as a one-item list. Returns the
 * reader's status, or GQL_ENOMEM when the list cannot be made. */
static int report(const gqlx_json_error *e, int rc, gql_errors **errs)
{
    if (rc == GQL_ENOMEM || errs == NULL)
        return rc;
    gql_errors *list = gqlx_errors_new();
    gql_location loc = {clamp_unsigned(e->line), clamp_unsigned(e->column)};
    if (list == NULL || !gqlx_errors_add(list, e->message, &loc, 1)) {
        gql_errors_free(list);
        return GQL_ENOMEM;
    }
    *errs = list;
    return rc;
}

int gql_json_parse(gql_json_doc **out, const char *text, size_t len, gql_errors **errs)
{
    if (errs != NULL)
        *errs = NULL;
    if (out == NULL)
        return GQL_EINVAL;
    *out = NULL;
    if (text == NULL && len > 0)
        return GQL_EINVAL;
    gqlx_json_opts opts;
    gqlx_json_opts_init(&opts);
    gqlx_json_error err;
    gqlx_json *root = NULL;
    if (opts.max_bytes != 0 && len > opts.max_bytes) {
        /* Rejected before the reader looks at a byte or allocates, so there
         * is no point copying the text first. */
        gqlx_arena none;
        gqlx_arena_init(&none, 0, 0);
        int rc = gqlx_json_parse(&none, text, len, &opts, &root, &err);
        gqlx_arena_free(&none);
        return report(&err, rc, errs);
    }
    gql_json_doc *doc = gqlx_malloc(sizeof *doc);
    if (doc == NULL)
        return GQL_ENOMEM;
    gqlx_arena_init(&doc->arena, 0, 0);
    doc->root = NULL;
    /* The DOM borrows unescaped strings from the text, so it keeps a copy. */
    const char *copy = len > 0 ? gqlx_arena_memdup(&doc->arena, text, len) : "";
    if (copy == NULL) {
        gql_json_doc_free(doc);
        return GQL_ENOMEM;
    }
    int rc = gqlx_json_parse(&doc->arena, copy, len, &opts, &root, &err);
    if (rc != GQL_OK) {
        gql_json_doc_free(doc);
        return report(&err, rc, errs);
    }
    doc->root = root;
    *out = doc;
    return GQL_OK;
}

const gql_json *gql_json_doc_root(const gql_json_doc *doc)
{
    return doc != NULL ? pub(doc->root) : NULL;
}

void gql_json_doc_free(gql_json_doc *doc)
{
    if (doc == NULL)
        return;
    gqlx_arena_free(&doc->arena);
    gqlx_free(doc);
}
