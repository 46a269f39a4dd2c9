/* src/server/graphql_params.c — GraphQL request parameters from query
 * strings, JSON bodies, application/graphql bodies and forms. */
#include "server/graphql_params.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "gql/status.h"
#include "server/url.h"

/* The four parameters, in this order, plus a form's "operations". */
enum { P_QUERY, P_OPERATION_NAME, P_VARIABLES, P_EXTENSIONS, P_OPERATIONS, P_COUNT };

static const char *const param_names[P_COUNT] = {"query", "operationName", "variables",
                                                 "extensions", "operations"};

/* Text values of the parameters (a query string or a form). */
typedef struct text_fields {
    bool present[P_COUNT];
    gqlx_slice value[P_COUNT];
} text_fields;

typedef struct ctx {
    gqlx_arena *a;
    const gqlx_params_opts *o;
    gqlx_params *out;
    size_t item; /* 1-based position in a batch; 0 for a single request */
} ctx;

void gqlx_params_opts_init(gqlx_params_opts *o)
{
    memset(o, 0, sizeof *o);
    o->read_query_string_on_post = true;
    o->read_variables_from_query_string = true;
    o->read_extensions_from_query_string = true;
    o->batching = true;
    o->max_batch_size = 100;
    gqlx_json_opts_init(&o->json);
}

/* Records a failure: the message is formatted into the arena (prefixed
 * with the batch position when there is one). Returns the status. */
__attribute__((format(printf, 3, 4))) static int fail(ctx *c, int status, const char *fmt, ...)
{
    gqlx_buf b;
    gqlx_buf_init(&b, 4096);
    if (c->item > 0)
        gqlx_buf_printf(&b, "Batch request %zu: ", c->item);
    va_list ap;
    va_start(ap, fmt);
    gqlx_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    const char *msg = b.failed ? NULL : gqlx_arena_strndup(c->a, b.data ? b.data : "", b.len);
    gqlx_buf_free(&b);
    c->out->status = msg != NULL ? status : 500;
    c->out->message = msg != NULL ? msg : "Out of memory.";
    return c->out->status;
}

static int out_of_memory(ctx *c)
{
    c->out->status = 500;
    c->out->message = "Out of memory.";
    return 500;
}

/* ---- query strings and url-encoded forms ------------------------------------ */

/* Decodes a percent-encoded slice into the arena ('+' is a space). Returns
 * false for a malformed escape; *out.ptr is NULL when memory ran out. */
static bool url_decode(gqlx_arena *a, gqlx_slice raw, gqlx_slice *out)
{
    out->len = 0;
    if (memchr(raw.ptr, '%', raw.len) == NULL && memchr(raw.ptr, '+', raw.len) == NULL) {
        *out = raw;
        return true;
    }
    char *dst = gqlx_arena_alloc(a, raw.len + 1, 1);
    out->ptr = dst;
    if (dst == NULL)
        return true;
    size_t n = gqlx_url_decode(dst, raw.ptr, raw.len, true);
    if (n == (size_t)-1)
        return false;
    dst[n] = '\0';
    out->len = n;
    return true;
}

/* Reads the parameters (the first of each name) of a query string or
 * url-encoded form. what names the source in messages. */
static int read_urlencoded(ctx *c, const char *s, size_t len, const char *what, text_fields *tf)
{
    size_t pos = 0;
    gqlx_slice rname, rvalue;
    while (gqlx_query_next(s, len, &pos, &rname, &rvalue)) {
        gqlx_slice name;
        if (!url_decode(c->a, rname, &name))
            continue; /* a name no parameter can have */
        if (name.ptr == NULL)
            return out_of_memory(c);
        for (int p = 0; p < P_COUNT; p++) {
            if (tf->present[p] || !gqlx_slice_eq_cstr(name, param_names[p]))
                continue;
            if (!url_decode(c->a, rvalue, &tf->value[p]))
                return fail(c, 400, "The %s has a malformed percent-encoding in \"%s\".", what,
                            param_names[p]);
            if (tf->value[p].ptr == NULL)
                return out_of_memory(c);
            tf->present[p] = true;
        }
    }
    return 0;
}

static void read_fields(const gqlx_params_fields *f, text_fields *tf)
{
    for (int p = 0; p < P_OPERATIONS; p++)
        if (!tf->present[p] && f->get(f->ctx, param_names[p], &tf->value[p]))
            tf->present[p] = true;
}

/* ---- parameters -------------------------------------------------------------- */

static int parse_json(ctx *c, const char *text, size_t len, const char *what, gqlx_json **out)
{
    gqlx_json_error je;
    int rc = gqlx_json_parse(c->a, text, len, &c->o->json, out, &je);
    if (rc == GQL_OK)
        return 0;
    if (rc == GQL_ENOMEM)
        return out_of_memory(c);
    if (len == 0)
        return fail(c, 400, "The %s is empty.", what);
    return fail(c, 400, "The %s is not valid JSON: %s (line %zu, column %zu).", what, je.message,
                je.line, je.column);
}

static int set_operation_name(ctx *c, gqlx_gql_params *p, const char *s, size_t len)
{
    if (memchr(s, '\0', len) != NULL)
        return fail(c, 400, "The \"operationName\" parameter must not contain NUL characters.");
    p->operation_name = gqlx_arena_strndup(c->a, s, len);
    return p->operation_name != NULL ? 0 : out_of_memory(c);
}

/* The variables (id P_VARIABLES) or extensions of a request. */
static const gqlx_json **object_param(gqlx_gql_params *p, int id)
{
    return id == P_VARIABLES ? &p->variables : &p->extensions;
}

/* Reads the members of one request object. */
static int from_object(ctx *c, const gqlx_json *obj, gqlx_gql_params *p)
{
    const gqlx_json *v = gqlx_json_get_cstr(obj, "query");
    if (v != NULL && v->kind != GQLX_JSON_NULL) {
        if (v->kind != GQLX_JSON_STRING)
            return fail(c, 400, "The \"query\" parameter must be a string, not %s.",
                        gqlx_json_kind_name(v->kind));
        p->query = v->u.str != NULL ? v->u.str : "";
        p->query_len = v->len;
    }
    v = gqlx_json_get_cstr(obj, "operationName");
    if (v != NULL && v->kind != GQLX_JSON_NULL) {
        if (v->kind != GQLX_JSON_STRING)
            return fail(c, 400, "The \"operationName\" parameter must be a string or null, not %s.",
                        gqlx_json_kind_name(v->kind));
        int rc = set_operation_name(c, p, v->u.str, v->len);
        if (rc != 0)
            return rc;
    }
    for (int id = P_VARIABLES; id <= P_EXTENSIONS; id++) {
        v = gqlx_json_get_cstr(obj, param_names[id]);
        if (v == NULL || v->kind == GQLX_JSON_NULL)
            continue;
        if (v->kind != GQLX_JSON_OBJECT)
            return fail(c, 400, "The \"%s\" parameter must be an object or null, not %s.",
                        param_names[id], gqlx_json_kind_name(v->kind));
        *object_param(p, id) = v;
    }
    return 0;
}

/* Fills what p lacks from text values: variables and extensions are JSON
 * texts there (empty means absent, as does an empty operationName). */
static int from_text(ctx *c, const text_fields *tf, bool variables_ok, bool extensions_ok,
                     gqlx_gql_params *p)
{
    if (p->query == NULL && tf->present[P_QUERY]) {
        p->query = tf->value[P_QUERY].ptr;
        p->query_len = tf->value[P_QUERY].len;
    }
    if (p->operation_name == NULL && tf->present[P_OPERATION_NAME] &&
        tf->value[P_OPERATION_NAME].len > 0) {
        int rc = set_operation_name(c, p, tf->value[P_OPERATION_NAME].ptr,
                                    tf->value[P_OPERATION_NAME].len);
        if (rc != 0)
            return rc;
    }
    for (int id = P_VARIABLES; id <= P_EXTENSIONS; id++) {
        const gqlx_json **slot = object_param(p, id);
        if (*slot != NULL || !tf->present[id] || tf->value[id].len == 0 ||
            !(id == P_VARIABLES ? variables_ok : extensions_ok))
            continue;
        char what[40];
        snprintf(what, sizeof what, "\"%s\" parameter", param_names[id]);
        gqlx_json *v;
        int rc = parse_json(c, tf->value[id].ptr, tf->value[id].len, what, &v);
        if (rc != 0)
            return rc;
        if (v->kind == GQLX_JSON_NULL)
            continue;
        if (v->kind != GQLX_JSON_OBJECT)
            return fail(c, 400, "The \"%s\" parameter must be a JSON object, not %s.",
                        param_names[id], gqlx_json_kind_name(v->kind));
        *slot = v;
    }
    return 0;
}

static int require_query(ctx *c, const gqlx_gql_params *p)
{
    if (p->query == NULL)
        return fail(c, 400, "The \"query\" parameter is missing.");
    return 0;
}

/* Ends a single request: the query string fills what the body left out
 * (on GET, everything), and then the query must be there. */
static int finish_single(ctx *c, const gqlx_params_input *in, gqlx_gql_params *p)
{
    const gqlx_params_opts *o = c->o;
    if ((!in->post || o->read_query_string_on_post) && in->query_string_len > 0) {
        text_fields qs = {{false}, {{NULL, 0}}};
        int rc = read_urlencoded(c, in->query_string, in->query_string_len, "query string", &qs);
        if (rc == 0)
            rc = from_text(c, &qs, o->read_variables_from_query_string,
                           o->read_extensions_from_query_string, p);
        if (rc != 0)
            return rc;
    }
    return require_query(c, p);
}

static gqlx_gql_params *new_items(ctx *c, size_t n)
{
    gqlx_gql_params *items = gqlx_arena_array(c->a, n, sizeof *items, _Alignof(gqlx_gql_params));
    if (items != NULL)
        memset(items, 0, n * sizeof *items);
    c->out->items = items;
    c->out->count = items != NULL ? n : 0;
    return items;
}

/* A JSON body (or a form's "operations"): one request object, or a batch. */
static int from_json_body(ctx *c, const gqlx_params_input *in, const char *text, size_t len,
                          const char *what)
{
    gqlx_json *root;
    int rc = parse_json(c, text, len, what, &root);
    if (rc != 0)
        return rc;
    const gqlx_params_opts *o = c->o;
    if (root->kind == GQLX_JSON_ARRAY) {
        if (!o->batching)
            return fail(c, 400, "Batched requests are not supported.");
        if (root->len == 0)
            return fail(c, 400, "The batch holds no request.");
        if (o->max_batch_size > 0 && root->len > o->max_batch_size)
            return fail(c, 400, "The batch holds %zu requests; at most %u are allowed.", root->len,
                        o->max_batch_size);
        gqlx_gql_params *items = new_items(c, root->len);
        if (items == NULL)
            return out_of_memory(c);
        c->out->batch = true;
        for (size_t i = 0; i < root->len; i++) {
            c->item = i + 1;
            const gqlx_json *obj = &root->u.items[i];
            if (obj->kind != GQLX_JSON_OBJECT)
                return fail(c, 400, "The request must be a JSON object, not %s.",
                            gqlx_json_kind_name(obj->kind));
            if ((rc = from_object(c, obj, &items[i])) != 0 ||
                (rc = require_query(c, &items[i])) != 0)
                return rc;
        }
        c->item = 0;
        return 0;
    }
    if (root->kind != GQLX_JSON_OBJECT)
        return fail(c, 400, "The %s must be a JSON object%s, not %s.", what,
                    o->batching ? " or an array of them" : "", gqlx_json_kind_name(root->kind));
    gqlx_gql_params *p = new_items(c, 1);
    if (p == NULL)
        return out_of_memory(c);
    if ((rc = from_object(c, root, p)) != 0)
        return rc;
    return finish_single(c, in, p);
}

/* A request whose body (if any) is made of text fields: GET's query
 * string, a url-encoded form, a multipart form's plain fields, or an
 * application/graphql body (the query alone). */
static int from_fields(ctx *c, const gqlx_params_input *in, const text_fields *body)
{
    gqlx_gql_params *p = new_items(c, 1);
    if (p == NULL)
        return out_of_memory(c);
    int rc;
    if (body != NULL && (rc = from_text(c, body, true, true, p)) != 0)
        return rc;
    return finish_single(c, in, p);
}

static int unsupported(ctx *c, gqlx_body_kind kind)
{
    if (kind == GQLX_BODY_NONE)
        return fail(c, 415,
                    "The request has no Content-Type: send the request as "
                    "application/json.");
    return fail(c, 415, "Unsupported Content-Type: send the request as application/json%s.",
                c->o->read_form ? ", application/graphql, application/x-www-form-urlencoded or "
                                  "multipart/form-data"
                                : " or application/graphql");
}

int gqlx_params_extract(gqlx_arena *a, const gqlx_params_input *in, const gqlx_params_opts *o,
                        gqlx_params *out)
{
    memset(out, 0, sizeof *out);
    ctx c = {a, o, out, 0};
    const char *body = in->body != NULL ? in->body : "";
    if (!in->post)
        return from_fields(&c, in, NULL);
    switch (in->kind) {
    case GQLX_BODY_JSON:
        return from_json_body(&c, in, body, in->body_len, "request body");
    case GQLX_BODY_GRAPHQL: {
        text_fields tf = {{false}, {{NULL, 0}}};
        tf.present[P_QUERY] = true;
        tf.value[P_QUERY] = gqlx_slice_make(body, in->body_len);
        return from_fields(&c, in, &tf);
    }
    case GQLX_BODY_FORM: {
        if (!o->read_form)
            return unsupported(&c, in->kind);
        text_fields tf = {{false}, {{NULL, 0}}};
        int rc = read_urlencoded(&c, body, in->body_len, "form", &tf);
        if (rc != 0)
            return rc;
        if (tf.present[P_OPERATIONS])
            return from_json_body(&c, in, tf.value[P_OPERATIONS].ptr, tf.value[P_OPERATIONS].len,
                                  "\"operations\" field");
        return from_fields(&c, in, &tf);
    }
    case GQLX_BODY_MULTIPART: {
        if (!o->read_form)
            return unsupported(&c, in->kind);
        if (in->fields == NULL)
            return from_json_body(&c, in, body, in->body_len, "\"operations\" field");
        text_fields tf = {{false}, {{NULL, 0}}};
        read_fields(in->fields, &tf);
        return from_fields(&c, in, &tf);
    }
    default:
        return unsupported(&c, in->kind);
    }
}
