/* src/execution/values.c — coercion of whole input values: variables from
 * JSON, literals (arguments and default values), with graphql-js 17's error
 * reports.
 *
 * graphql-js coerces in one pass that stops at the first problem
 * (coerceInputValue / coerceInputLiteral) and, only when that fails, walks
 * the value again to explain why (validateInputValue /
 * validateInputLiteral). Here the JSON walk does both at once: it visits
 * in the validator's order (input fields in definition order, then unknown
 * fields, then the @oneOf rule), reports as it goes and builds the value;
 * the value is valid exactly when nothing was reported. The literal walk
 * runs quietly first (the common, valid case costs no message work) and
 * again with reports only when the value turned out invalid, because
 * argument errors stop at the first report and must be the validator's
 * first. */
#include <string.h>

#include "core/errors.h"
#include "core/suggest.h"
#include "execution/values.h"
#include "gql/status.h"
#include "language/printer.h"

void gqlx_coerce_opts_init(gqlx_coerce_opts *opts)
{
    opts->max_errors = GQLX_MAX_COERCION_ERRORS;
    opts->hide_suggestions = false;
}

/* A response-path-like position inside the value being coerced, kept on
 * the C stack: each level points at its parent. */
typedef struct path_elem {
    const struct path_elem *prev;
    gqlx_slice key; /* ptr NULL for a list index */
    size_t index;
} path_elem;

typedef struct cctx {
    gqlx_arena *a;
    const gqlx_schema *s;
    const gqlx_json *vars; /* coerced variables for literals; may be NULL */
    bool hide;
    unsigned depth;

    /* Reporting; report false means a quiet walk. */
    bool report;
    bool static_lit;     /* validateInputLiteral's static mode (defaults) */
    bool stop_at_first;  /* arguments: the first report ends the walk */
    bool fixed_location; /* variables: every error at the definition */
    uint32_t fixed_offset;
    const char *prefix; /* `Variable "$x" has invalid value` */
    gqlx_buf *msg;      /* scratch for one message */
    gql_errors *errs;
    const gqlx_source *src;
    unsigned max_errors;
    unsigned *count; /* errors reported so far (shared across calls) */
    bool aborted;    /* error limit reached, or stop_at_first fired */
    bool reported;
    bool nomem;
} cctx;

/* ---- reporting -------------------------------------------------------- */

static void print_path(gqlx_buf *b, const path_elem *p)
{
    if (p == NULL)
        return;
    print_path(b, p->prev);
    if (p->key.ptr != NULL) {
        gqlx_buf_putc(b, '.');
        gqlx_buf_append(b, p->key.ptr, p->key.len);
    } else {
        gqlx_buf_printf(b, "[%zu]", p->index);
    }
}

static void add_error(cctx *c, const char *message, bool has_loc, uint32_t offset)
{
    gql_location loc = {0, 0};
    size_t nloc = 0;
    if (has_loc && c->src != NULL) {
        gqlx_location l = gqlx_source_location(c->src, offset);
        loc.line = l.line;
        loc.column = l.column;
        nloc = 1;
    }
    if (c->errs != NULL && !gqlx_errors_add(c->errs, message, &loc, nloc))
        c->nomem = true;
}

/* Reports `message` (already in c->msg from offset `start`) for the value
 * at `path`, found at source offset `offset`, with the context's prefix:
 * `<prefix>[ at <path>]: <message>`. Applies the error limit the way
 * getVariableValues does: the error that would pass max_errors is replaced
 * by the "Too many errors" error and the walk ends. */
static void report_msg(cctx *c, const path_elem *path, size_t start, uint32_t offset)
{
    if (!c->report || c->aborted) {
        c->msg->len = start;
        return;
    }
    c->reported = true;
    if (c->max_errors != 0 && *c->count >= c->max_errors) {
        add_error(c,
                  "Too many errors processing variables, error limit reached. Execution "
                  "aborted.",
                  false, 0);
        c->aborted = true;
        return;
    }
    gqlx_buf full;
    gqlx_buf_init(&full, 0);
    gqlx_buf_append_cstr(&full, c->prefix);
    if (path != NULL) {
        gqlx_buf_append_cstr(&full, " at ");
        print_path(&full, path);
    }
    gqlx_buf_append_cstr(&full, ": ");
    gqlx_buf_append(&full, c->msg->data + start, c->msg->len - start);
    if (full.failed || c->msg->failed)
        c->nomem = true;
    else
        add_error(c, full.data, true, c->fixed_location ? c->fixed_offset : offset);
    gqlx_buf_free(&full);
    (*c->count)++;
    c->msg->len = start;
    if (c->stop_at_first)
        c->aborted = true;
}

static bool walk_over(const cctx *c)
{
    return c->aborted || c->nomem || gqlx_arena_failed(c->a);
}

/* ---- JSON helpers ----------------------------------------------------- */

static bool set_array(cctx *c, gqlx_json *out, size_t n, gqlx_json **items)
{
    memset(out, 0, sizeof *out);
    out->kind = GQLX_JSON_ARRAY;
    out->len = n;
    *items = n ? GQLX_ARRAY(c->a, gqlx_json, n) : NULL;
    out->u.items = *items;
    return n == 0 || *items != NULL;
}

static bool set_object(cctx *c, gqlx_json *out, size_t cap)
{
    memset(out, 0, sizeof *out);
    out->kind = GQLX_JSON_OBJECT;
    out->u.members = cap ? GQLX_ARRAY(c->a, gqlx_json_member, cap) : NULL;
    return cap == 0 || out->u.members != NULL;
}

static void object_put(gqlx_json *obj, const gqlx_name *name, const gqlx_json *v)
{
    gqlx_json_member *m = &obj->u.members[obj->len++];
    m->key = gqlx_slice_make(name->str, name->len);
    m->value = *v;
}

static bool is_required_input(const gqlx_input_value *f)
{
    return f->type->wrap == GQLX_WRAP_NON_NULL && f->default_value == NULL;
}

/* ---- literals --------------------------------------------------------- */

static bool coerce_lit(cctx *c, const gqlx_node *node, const gqlx_type_ref *type,
                       const path_elem *path, gqlx_json *out);

/* A field's coerced default value (graphql-js coerceDefaultValue): false
 * when there is none. A default that does not coerce (only possible in a
 * schema built with assume_valid) counts as none. */
static bool field_default(cctx *c, const gqlx_input_value *f, gqlx_json *out)
{
    if (f->default_value == NULL)
        return false;
    cctx q = *c;
    q.report = false;
    q.vars = NULL;
    q.depth = c->depth + 1;
    bool ok = coerce_lit(&q, f->default_value, f->type, NULL, out);
    if (q.nomem)
        c->nomem = true;
    return ok;
}

static const gqlx_json *lit_var(const cctx *c, const gqlx_node *node)
{
    gqlx_slice n = GQLX_AS_CONST(gqlx_variable, node)->name;
    return gqlx_json_get(c->vars, n.ptr, n.len);
}

static const gqlx_object_field *find_field_node(const gqlx_object_value *o, const gqlx_name *name)
{
    const gqlx_object_field *found = NULL;
    gqlx_slice key = gqlx_slice_make(name->str, name->len);
    /* Like new Map(fields): a repeated name means its last occurrence. */
    for (uint32_t i = 0; i < o->fields.count; i++)
        if (gqlx_slice_eq(o->fields.items[i]->name, key))
            found = o->fields.items[i];
    return found;
}

static void did_you_mean_field(cctx *c, const gqlx_type *t, gqlx_slice input)
{
    if (c->hide || t->input_field_count == 0)
        return;
    gqlx_slice *names = GQLX_ARRAY(c->a, gqlx_slice, t->input_field_count);
    if (names == NULL)
        return;
    for (uint32_t i = 0; i < t->input_field_count; i++)
        names[i] = gqlx_slice_make(t->input_fields[i].name->str, t->input_fields[i].name->len);
    gqlx_slice *list;
    size_t n = gqlx_suggestion_list(c->a, input, names, t->input_field_count, &list);
    gqlx_did_you_mean(c->msg, NULL, list, n);
}

/* The middle of graphql-js's unknown-field message:
 * `. Did you mean "a"? Found: ` with suggestions, `, found: ` without. */
static void unknown_field_tail(cctx *c, const gqlx_type *t, gqlx_slice name)
{
    gqlx_buf tail;
    gqlx_buf_init(&tail, 0);
    gqlx_buf *saved = c->msg;
    c->msg = &tail;
    did_you_mean_field(c, t, name);
    c->msg = saved;
    if (tail.len) {
        gqlx_buf_putc(c->msg, '.');
        gqlx_buf_append(c->msg, tail.data, tail.len);
        gqlx_buf_append_cstr(c->msg, " Found: ");
    } else {
        gqlx_buf_append_cstr(c->msg, ", found: ");
    }
    if (tail.failed)
        c->nomem = true;
    gqlx_buf_free(&tail);
}

static const char one_of_message_fmt[] =
    "Within OneOf Input Object type \"%s\", exactly one field must be specified, and the "
    "value for that field must be non-null.";

static bool lit_input_object(cctx *c, const gqlx_node *node, const gqlx_type_ref *type,
                             const path_elem *path, gqlx_json *out)
{
    const gqlx_type *t = type->named;
    size_t start = c->msg->len;
    if (node->kind != GQLX_KIND_OBJECT_VALUE) {
        if (c->report) {
            gqlx_buf_printf(c->msg,
                            "Expected value of type \"%s\" to be an object, found: ", t->name->str);
            gqlx_print(c->msg, node, c->a);
            gqlx_buf_putc(c->msg, '.');
            report_msg(c, path, start, node->start);
        }
        return false;
    }
    const gqlx_object_value *o = GQLX_AS_CONST(gqlx_object_value, node);
    if (!set_object(c, out, t->input_field_count)) {
        c->nomem = true;
        return false;
    }
    bool valid = true;
    for (uint32_t i = 0; i < t->input_field_count && !walk_over(c); i++) {
        const gqlx_input_value *f = &t->input_fields[i];
        const gqlx_object_field *fn = find_field_node(o, f->name);
        gqlx_json v;
        if (fn != NULL && fn->value->kind == GQLX_KIND_VARIABLE) {
            const gqlx_json *var = lit_var(c, fn->value);
            if (c->report && !c->static_lit && t->one_of &&
                (var == NULL || var->kind == GQLX_JSON_NULL)) {
                gqlx_slice vn = GQLX_AS_CONST(gqlx_variable, fn->value)->name;
                gqlx_buf_append_cstr(c->msg, "Expected variable \"$");
                gqlx_buf_append(c->msg, vn.ptr, vn.len);
                gqlx_buf_printf(c->msg,
                                "\" provided to field \"%s\" for OneOf Input Object type \"%s\" %s",
                                f->name->str, t->name->str,
                                var == NULL ? "to provide a runtime value." : "not to be null.");
                report_msg(c, path, start, node->start);
                valid = false;
            }
            if (var == NULL) {
                /* A variable without a value is a missing field. */
                if (is_required_input(f)) {
                    path_elem pe = {path, gqlx_slice_make(f->name->str, f->name->len), 0};
                    if (!c->static_lit)
                        coerce_lit(c, fn->value, f->type, &pe, &v); /* reports */
                    valid = false;
                } else if (field_default(c, f, &v)) {
                    object_put(out, f->name, &v);
                }
                continue;
            }
        }
        if (fn == NULL) {
            if (is_required_input(f)) {
                if (c->report) {
                    gqlx_buf_printf(c->msg,
                                    "Expected value of type \"%s\" to include required field "
                                    "\"%s\", found: ",
                                    t->name->str, f->name->str);
                    gqlx_print(c->msg, node, c->a);
                    gqlx_buf_putc(c->msg, '.');
                    report_msg(c, path, start, node->start);
                }
                valid = false;
                if (!c->report)
                    return false;
            } else if (field_default(c, f, &v)) {
                object_put(out, f->name, &v);
            }
            continue;
        }
        path_elem pe = {path, gqlx_slice_make(f->name->str, f->name->len), 0};
        c->depth++;
        bool ok = c->depth <= GQLX_COERCE_MAX_DEPTH && coerce_lit(c, fn->value, f->type, &pe, &v);
        c->depth--;
        if (ok)
            object_put(out, f->name, &v);
        else {
            valid = false;
            if (!c->report)
                return false;
        }
    }
    /* Unknown fields, in the literal's order. */
    uint32_t known = 0;
    const gqlx_object_field *first_known = NULL;
    for (uint32_t i = 0; i < o->fields.count && !walk_over(c); i++) {
        const gqlx_object_field *fn = o->fields.items[i];
        if (gqlx_type_input_field(t, fn->name.ptr, fn->name.len) != NULL) {
            if (known++ == 0)
                first_known = fn;
            continue;
        }
        valid = false;
        if (!c->report)
            return false;
        gqlx_buf_printf(c->msg, "Expected value of type \"%s\" not to include unknown field \"",
                        t->name->str);
        gqlx_buf_append(c->msg, fn->name.ptr, fn->name.len);
        gqlx_buf_putc(c->msg, '"');
        unknown_field_tail(c, t, fn->name);
        gqlx_print(c->msg, node, c->a);
        gqlx_buf_putc(c->msg, '.');
        report_msg(c, path, start, fn->base.start);
    }
    if (walk_over(c))
        return false;
    if (t->one_of) {
        if (c->report) {
            if (known != 1) {
                gqlx_buf_printf(c->msg, one_of_message_fmt, t->name->str);
                report_msg(c, path, start, node->start);
                return false;
            }
            if (first_known->value->kind == GQLX_KIND_NULL_VALUE) {
                path_elem pe = {path, first_known->name, 0};
                gqlx_buf_printf(c->msg, one_of_message_fmt, t->name->str);
                report_msg(c, &pe, start, node->start);
                return false;
            }
        }
        /* coerceInputLiteral: one distinct field name (every field named
         * like the first; linear, so repeats cost no n^2), one coerced
         * member, and neither a null literal in the name's last occurrence
         * (the one new Map(...) keeps) nor a null value. */
        uint32_t n = o->fields.count;
        for (uint32_t i = 1; i < n && valid; i++)
            valid = gqlx_slice_eq(o->fields.items[i]->name, o->fields.items[0]->name);
        if (n == 0 || o->fields.items[n - 1]->value->kind == GQLX_KIND_NULL_VALUE ||
            out->len != 1 || out->u.members[0].value.kind == GQLX_JSON_NULL)
            valid = false;
    }
    return valid;
}

static bool coerce_lit(cctx *c, const gqlx_node *node, const gqlx_type_ref *type,
                       const path_elem *path, gqlx_json *out)
{
    if (walk_over(c) || c->depth > GQLX_COERCE_MAX_DEPTH)
        return false;
    size_t start = c->msg->len;
    if (node->kind == GQLX_KIND_VARIABLE) {
        const gqlx_json *v = lit_var(c, node);
        if (c->report && !c->static_lit && type->wrap == GQLX_WRAP_NON_NULL &&
            (v == NULL || v->kind == GQLX_JSON_NULL)) {
            gqlx_slice vn = GQLX_AS_CONST(gqlx_variable, node)->name;
            gqlx_buf_append_cstr(c->msg, "Expected variable \"$");
            gqlx_buf_append(c->msg, vn.ptr, vn.len);
            gqlx_buf_append_cstr(c->msg, v == NULL ? "\" provided to type \""
                                                   : "\" provided to non-null type \"");
            gqlx_type_ref_print(c->msg, type);
            gqlx_buf_append_cstr(c->msg, v == NULL ? "\" to provide a runtime value."
                                                   : "\" not to be null.");
            report_msg(c, path, start, node->start);
        }
        if (v == NULL || (v->kind == GQLX_JSON_NULL && type->wrap == GQLX_WRAP_NON_NULL))
            return false;
        *out = *v;
        return true;
    }
    if (type->wrap == GQLX_WRAP_NON_NULL) {
        if (node->kind == GQLX_KIND_NULL_VALUE) {
            if (c->report) {
                gqlx_buf_append_cstr(c->msg, "Expected value of non-null type \"");
                gqlx_type_ref_print(c->msg, type);
                gqlx_buf_append_cstr(c->msg, "\" not to be null.");
                report_msg(c, path, start, node->start);
            }
            return false;
        }
        return coerce_lit(c, node, type->of, path, out);
    }
    if (node->kind == GQLX_KIND_NULL_VALUE) {
        gqlx_json_set_null(out);
        return true;
    }
    if (type->wrap == GQLX_WRAP_LIST) {
        gqlx_json *items;
        if (node->kind != GQLX_KIND_LIST_VALUE) {
            if (!set_array(c, out, 1, &items)) {
                c->nomem = true;
                return false;
            }
            return coerce_lit(c, node, type->of, path, &items[0]);
        }
        const gqlx_list_value *l = GQLX_AS_CONST(gqlx_list_value, node);
        if (!set_array(c, out, l->values.count, &items)) {
            c->nomem = true;
            return false;
        }
        bool valid = true;
        for (uint32_t i = 0; i < l->values.count && !walk_over(c); i++) {
            const gqlx_node *item = l->values.items[i];
            path_elem pe = {path, {NULL, 0}, i};
            if (coerce_lit(c, item, type->of, &pe, &items[i]))
                continue;
            if (item->kind == GQLX_KIND_VARIABLE && type->of->wrap != GQLX_WRAP_NON_NULL) {
                const gqlx_json *v = lit_var(c, item);
                if (v == NULL || v->kind == GQLX_JSON_NULL) {
                    gqlx_json_set_null(&items[i]);
                    continue;
                }
            }
            valid = false;
            if (!c->report)
                return false;
        }
        return valid && !walk_over(c);
    }
    const gqlx_type *t = type->named;
    if (t->kind == GQLX_TYPE_INPUT_OBJECT)
        return lit_input_object(c, node, type, path, out);
    int rc =
        gqlx_leaf_coerce_literal(c->a, t, node, c->vars, out, c->report ? c->msg : NULL, c->hide);
    if (rc == GQL_OK)
        return true;
    if (rc == GQL_ENOMEM)
        c->nomem = true;
    else
        report_msg(c, path, start, node->start);
    return false;
}

bool gqlx_coerce_literal(gqlx_arena *a, const gqlx_schema *s, const gqlx_node *literal,
                         const gqlx_type_ref *type, const gqlx_json *variables, gqlx_json *out)
{
    gqlx_buf msg;
    gqlx_buf_init(&msg, 0);
    unsigned count = 0;
    cctx c = {.a = a, .s = s, .vars = variables, .msg = &msg, .count = &count};
    bool ok = coerce_lit(&c, literal, type, NULL, out) && !c.nomem && !gqlx_arena_failed(a);
    gqlx_buf_free(&msg);
    return ok;
}

/* ---- JSON values ------------------------------------------------------ */

static bool coerce_json(cctx *c, const gqlx_json *in, const gqlx_type_ref *type,
                        const path_elem *path, gqlx_json *out);

static bool json_input_object(cctx *c, const gqlx_json *in, const gqlx_type_ref *type,
                              const path_elem *path, gqlx_json *out)
{
    const gqlx_type *t = type->named;
    size_t start = c->msg->len;
    if (in->kind != GQLX_JSON_OBJECT) {
        if (c->report) {
            gqlx_buf_printf(c->msg,
                            "Expected value of type \"%s\" to be an object, found: ", t->name->str);
            gqlx_inspect_json_a(c->msg, in, c->a);
            gqlx_buf_putc(c->msg, '.');
            report_msg(c, path, start, 0);
        }
        return false;
    }
    if (!set_object(c, out, t->input_field_count)) {
        c->nomem = true;
        return false;
    }
    bool valid = true;
    for (uint32_t i = 0; i < t->input_field_count && !walk_over(c); i++) {
        const gqlx_input_value *f = &t->input_fields[i];
        const gqlx_json *fv = gqlx_json_get(in, f->name->str, f->name->len);
        gqlx_json v;
        if (fv == NULL) {
            if (is_required_input(f)) {
                valid = false;
                if (!c->report)
                    return false;
                gqlx_buf_printf(c->msg,
                                "Expected value of type \"%s\" to include required field \"%s\", "
                                "found: ",
                                t->name->str, f->name->str);
                gqlx_inspect_json_a(c->msg, in, c->a);
                gqlx_buf_putc(c->msg, '.');
                report_msg(c, path, start, 0);
            } else if (field_default(c, f, &v)) {
                object_put(out, f->name, &v);
            }
            continue;
        }
        path_elem pe = {path, gqlx_slice_make(f->name->str, f->name->len), 0};
        if (coerce_json(c, fv, f->type, &pe, &v)) {
            object_put(out, f->name, &v);
        } else {
            valid = false;
            if (!c->report)
                return false;
        }
    }
    if (walk_over(c))
        return false;
    /* Unknown fields and the @oneOf count, in Object.keys order. */
    uint32_t *order;
    size_t n = gqlx_js_key_order(c->a, in, &order);
    if (n && order == NULL) {
        c->nomem = true;
        return false;
    }
    size_t known = 0;
    const gqlx_json_member *first_known = NULL;
    for (size_t i = 0; i < n && !walk_over(c); i++) {
        const gqlx_json_member *m = &in->u.members[order[i]];
        if (gqlx_type_input_field(t, m->key.ptr, m->key.len) != NULL) {
            if (known++ == 0)
                first_known = m;
            continue;
        }
        valid = false;
        if (!c->report)
            return false;
        gqlx_buf_printf(c->msg, "Expected value of type \"%s\" not to include unknown field \"",
                        t->name->str);
        gqlx_buf_append(c->msg, m->key.ptr, m->key.len);
        gqlx_buf_putc(c->msg, '"');
        unknown_field_tail(c, t, m->key);
        gqlx_inspect_json_a(c->msg, in, c->a);
        gqlx_buf_putc(c->msg, '.');
        report_msg(c, path, start, 0);
    }
    if (walk_over(c))
        return false;
    if (t->one_of) {
        if (known != 1) {
            valid = false;
            if (c->report) {
                gqlx_buf_printf(c->msg, one_of_message_fmt, t->name->str);
                report_msg(c, path, start, 0);
            }
        }
        if (first_known != NULL && first_known->value.kind == GQLX_JSON_NULL) {
            valid = false;
            if (c->report) {
                path_elem pe = {path, first_known->key, 0};
                gqlx_buf_printf(c->msg, one_of_message_fmt, t->name->str);
                report_msg(c, &pe, start, 0);
            }
        }
        /* coerceInputValue also wants exactly one coerced member. */
        if (in->len != 1 || out->len != 1)
            valid = false;
    }
    return valid;
}

static bool coerce_json(cctx *c, const gqlx_json *in, const gqlx_type_ref *type,
                        const path_elem *path, gqlx_json *out)
{
    if (walk_over(c))
        return false;
    size_t start = c->msg->len;
    if (type->wrap == GQLX_WRAP_NON_NULL) {
        if (in == NULL || in->kind == GQLX_JSON_NULL) {
            if (c->report) {
                gqlx_buf_append_cstr(c->msg, in == NULL ? "Expected a value of non-null type \""
                                                        : "Expected value of non-null type \"");
                gqlx_type_ref_print(c->msg, type);
                gqlx_buf_append_cstr(c->msg,
                                     in == NULL ? "\" to be provided." : "\" not to be null.");
                report_msg(c, path, start, 0);
            }
            return false;
        }
        return coerce_json(c, in, type->of, path, out);
    }
    if (in == NULL)
        return false; /* undefined for a nullable type: no value */
    if (in->kind == GQLX_JSON_NULL) {
        gqlx_json_set_null(out);
        return true;
    }
    if (type->wrap == GQLX_WRAP_LIST) {
        gqlx_json *items;
        if (in->kind != GQLX_JSON_ARRAY) {
            if (!set_array(c, out, 1, &items)) {
                c->nomem = true;
                return false;
            }
            return coerce_json(c, in, type->of, path, &items[0]);
        }
        if (!set_array(c, out, in->len, &items)) {
            c->nomem = true;
            return false;
        }
        bool valid = true;
        for (size_t i = 0; i < in->len && !walk_over(c); i++) {
            path_elem pe = {path, {NULL, 0}, i};
            if (!coerce_json(c, &in->u.items[i], type->of, &pe, &items[i])) {
                valid = false;
                if (!c->report)
                    return false;
            }
        }
        return valid && !walk_over(c);
    }
    const gqlx_type *t = type->named;
    if (t->kind == GQLX_TYPE_INPUT_OBJECT)
        return json_input_object(c, in, type, path, out);
    int rc = gqlx_leaf_coerce_input(c->a, t, in, out, c->report ? c->msg : NULL, c->hide);
    if (rc == GQL_OK)
        return true;
    if (rc == GQL_ENOMEM)
        c->nomem = true;
    else
        report_msg(c, path, start, 0);
    return false;
}

bool gqlx_coerce_input_value(gqlx_arena *a, const gqlx_schema *s, const gqlx_json *in,
                             const gqlx_type_ref *type, gqlx_json *out)
{
    gqlx_buf msg;
    gqlx_buf_init(&msg, 0);
    unsigned count = 0;
    cctx c = {.a = a, .s = s, .msg = &msg, .count = &count};
    bool ok = coerce_json(&c, in, type, NULL, out) && !c.nomem && !gqlx_arena_failed(a);
    gqlx_buf_free(&msg);
    return ok;
}

/* ---- types from the AST ----------------------------------------------- */

const gqlx_type_ref *gqlx_type_ref_from_ast(gqlx_arena *a, const gqlx_schema *s,
                                            const gqlx_node *type)
{
    if (type == NULL)
        return NULL;
    if (type->kind == GQLX_KIND_NAMED_TYPE) {
        gqlx_slice n = GQLX_AS_CONST(gqlx_named_type, type)->name;
        const gqlx_type *t = gqlx_schema_type(s, n.ptr, n.len);
        return t ? &t->ref : NULL;
    }
    /* The parser bounds the nesting of type wrappers. */
    const gqlx_type_ref *inner =
        gqlx_type_ref_from_ast(a, s, GQLX_AS_CONST(gqlx_wrapper_type, type)->type);
    if (inner == NULL)
        return NULL;
    gqlx_type_ref *r = GQLX_NEW(a, gqlx_type_ref);
    if (r == NULL)
        return NULL;
    r->wrap = type->kind == GQLX_KIND_LIST_TYPE ? GQLX_WRAP_LIST : GQLX_WRAP_NON_NULL;
    r->of = inner;
    r->named = inner->named;
    return r;
}

/* ---- variables -------------------------------------------------------- */

/* Sets (or replaces, for a repeated name) a member of obj, whose member
 * array has room. */
static void object_set(gqlx_json *obj, gqlx_slice key, const gqlx_json *v)
{
    for (size_t i = 0; i < obj->len; i++) {
        if (gqlx_slice_eq(obj->u.members[i].key, key)) {
            obj->u.members[i].value = *v;
            return;
        }
    }
    gqlx_json_member *m = &obj->u.members[obj->len++];
    m->key = key;
    m->value = *v;
}

int gqlx_coerce_variables(gqlx_arena *a, const gqlx_schema *s, const gqlx_operation_def *op,
                          const gqlx_json *inputs, const gqlx_coerce_opts *opts, gqlx_json **out,
                          gql_errors *errs, const gqlx_source *src)
{
    gqlx_coerce_opts defaults;
    if (opts == NULL) {
        gqlx_coerce_opts_init(&defaults);
        opts = &defaults;
    }
    *out = NULL;
    if (inputs != NULL && inputs->kind != GQLX_JSON_OBJECT)
        inputs = NULL;
    gqlx_buf msg;
    gqlx_buf_init(&msg, 0);
    unsigned count = 0;
    cctx c = {.a = a,
              .s = s,
              .hide = opts->hide_suggestions,
              .report = true,
              .fixed_location = true,
              .msg = &msg,
              .errs = errs,
              .src = src,
              .max_errors = opts->max_errors,
              .count = &count};
    uint32_t n = op->variable_definitions.count;
    gqlx_json *result = GQLX_NEW(a, gqlx_json);
    if (result == NULL || !set_object(&c, result, n)) {
        gqlx_buf_free(&msg);
        return GQL_ENOMEM;
    }
    gqlx_buf prefix;
    gqlx_buf_init(&prefix, 0);
    for (uint32_t i = 0; i < n && !walk_over(&c); i++) {
        const gqlx_variable_def *vd = op->variable_definitions.items[i];
        gqlx_slice name = vd->variable->name;
        const gqlx_type_ref *type = gqlx_type_ref_from_ast(a, s, vd->type);
        if (gqlx_arena_failed(a))
            break;
        c.fixed_offset = vd->base.start;
        gqlx_buf_clear(&prefix);
        if (type == NULL || !gqlx_type_ref_is_input(type)) {
            size_t start = msg.len;
            gqlx_buf_append_cstr(&prefix, "Variable \"$");
            gqlx_buf_append(&prefix, name.ptr, name.len);
            gqlx_buf_append_cstr(&prefix, "\" expected value of type \"");
            gqlx_print(&prefix, vd->type, a);
            gqlx_buf_append_cstr(&prefix, "\" which cannot be used as an input type.");
            /* This one has no "has invalid value" prefix and sits at the
             * type: report it through the limit logic by hand. */
            if (opts->max_errors != 0 && count >= opts->max_errors) {
                add_error(&c,
                          "Too many errors processing variables, error limit reached. "
                          "Execution aborted.",
                          false, 0);
                c.aborted = true;
            } else if (!prefix.failed) {
                add_error(&c, prefix.data, true, vd->type->start);
                count++;
            } else {
                c.nomem = true;
            }
            msg.len = start;
            continue;
        }
        const gqlx_json *value = inputs ? gqlx_json_get(inputs, name.ptr, name.len) : NULL;
        gqlx_json v;
        if (value == NULL) {
            if (vd->default_value != NULL) {
                cctx q = c;
                q.report = false;
                q.vars = NULL;
                if (coerce_lit(&q, vd->default_value, type, NULL, &v)) {
                    object_set(result, name, &v);
                } else if (!q.nomem && !gqlx_arena_failed(a)) {
                    gqlx_buf_append_cstr(&prefix, "Variable \"$");
                    gqlx_buf_append(&prefix, name.ptr, name.len);
                    gqlx_buf_append_cstr(&prefix, "\" has invalid default value");
                    c.prefix = prefix.data;
                    c.static_lit = true;
                    c.vars = NULL;
                    if (!prefix.failed)
                        coerce_lit(&c, vd->default_value, type, NULL, &v);
                    c.static_lit = false;
                }
                if (q.nomem)
                    c.nomem = true;
                continue;
            }
            if (type->wrap != GQLX_WRAP_NON_NULL)
                continue;
        }
        gqlx_buf_append_cstr(&prefix, "Variable \"$");
        gqlx_buf_append(&prefix, name.ptr, name.len);
        gqlx_buf_append_cstr(&prefix, "\" has invalid value");
        if (prefix.failed) {
            c.nomem = true;
            break;
        }
        c.prefix = prefix.data;
        c.reported = false;
        if (coerce_json(&c, value, type, NULL, &v) && !c.reported)
            object_set(result, name, &v);
    }
    bool nomem = c.nomem || gqlx_arena_failed(a) || msg.failed;
    gqlx_buf_free(&prefix);
    gqlx_buf_free(&msg);
    if (nomem)
        return GQL_ENOMEM;
    if (count > 0 || c.aborted)
        return GQL_EINVAL;
    *out = result;
    return GQL_OK;
}

/* ---- arguments -------------------------------------------------------- */

static void put_arg_coordinate(gqlx_buf *b, gqlx_arg_owner owner, const gqlx_input_value *arg)
{
    gqlx_buf_append_cstr(b, "Argument \"");
    if (owner.field != NULL) {
        const gqlx_type *t = owner.field->owner;
        if (t != NULL) {
            gqlx_buf_append(b, t->name->str, t->name->len);
            gqlx_buf_putc(b, '.');
        }
        gqlx_buf_append(b, owner.field->name->str, owner.field->name->len);
    } else if (owner.directive != NULL) {
        gqlx_buf_putc(b, '@');
        gqlx_buf_append(b, owner.directive->name->str, owner.directive->name->len);
    }
    gqlx_buf_printf(b, "(%s:)\"", arg->name->str);
}

int gqlx_coerce_arguments(gqlx_arena *a, const gqlx_schema *s, gqlx_arg_owner owner,
                          const gqlx_node *node, const gqlx_argument_list *args,
                          const gqlx_json *variables, const gqlx_coerce_opts *opts, gqlx_json **out,
                          gql_errors *errs, const gqlx_source *src)
{
    const gqlx_input_value *defs;
    uint32_t ndefs;
    if (owner.field != NULL) {
        defs = owner.field->args;
        ndefs = owner.field->arg_count;
    } else if (owner.directive != NULL) {
        defs = owner.directive->args;
        ndefs = owner.directive->arg_count;
    } else {
        return GQL_EINVAL;
    }
    *out = NULL;
    gqlx_buf msg, prefix;
    gqlx_buf_init(&msg, 0);
    gqlx_buf_init(&prefix, 0);
    unsigned count = 0;
    cctx c = {.a = a,
              .s = s,
              .vars = variables,
              .hide = opts ? opts->hide_suggestions : false,
              .stop_at_first = true,
              .msg = &msg,
              .errs = errs,
              .src = src,
              .count = &count};
    gqlx_json *result = GQLX_NEW(a, gqlx_json);
    if (result == NULL || !set_object(&c, result, ndefs)) {
        gqlx_buf_free(&msg);
        gqlx_buf_free(&prefix);
        return GQL_ENOMEM;
    }
    int rc = GQL_OK;
    for (uint32_t i = 0; i < ndefs && rc == GQL_OK; i++) {
        const gqlx_input_value *def = &defs[i];
        const gqlx_argument *an = NULL;
        gqlx_slice dname = gqlx_slice_make(def->name->str, def->name->len);
        for (uint32_t j = 0; args != NULL && j < args->count; j++)
            if (gqlx_slice_eq(args->items[j]->name, dname))
                an = args->items[j]; /* new Map(...): the last one wins */
        bool required = def->type->wrap == GQLX_WRAP_NON_NULL && def->default_value == NULL;
        bool use_default = an == NULL;
        if (an == NULL && required) {
            gqlx_buf_clear(&prefix);
            put_arg_coordinate(&prefix, owner, def);
            gqlx_buf_append_cstr(&prefix, " of required type \"");
            gqlx_type_ref_print(&prefix, def->type);
            gqlx_buf_append_cstr(&prefix, "\" was not provided.");
            if (prefix.failed)
                rc = GQL_ENOMEM;
            else {
                add_error(&c, prefix.data, true, node->start);
                rc = GQL_EINVAL;
            }
            break;
        }
        if (an != NULL && an->value->kind == GQLX_KIND_VARIABLE && !required) {
            gqlx_slice vn = GQLX_AS_CONST(gqlx_variable, an->value)->name;
            use_default = gqlx_json_get(variables, vn.ptr, vn.len) == NULL;
        }
        gqlx_json v;
        if (use_default) {
            if (def->default_value == NULL)
                continue;
            cctx q = c;
            q.vars = NULL;
            if (coerce_lit(&q, def->default_value, def->type, NULL, &v)) {
                object_put(result, def->name, &v);
                continue;
            }
            if (q.nomem || gqlx_arena_failed(a)) {
                rc = GQL_ENOMEM;
                break;
            }
            gqlx_buf_clear(&prefix);
            put_arg_coordinate(&prefix, owner, def);
            gqlx_buf_append_cstr(&prefix, " has invalid default value");
            c.prefix = prefix.data;
            c.report = true;
            c.static_lit = true;
            c.vars = NULL;
            /* graphql-js locates default-value errors at the node. */
            c.fixed_location = true;
            c.fixed_offset = node->start;
            if (!prefix.failed)
                coerce_lit(&c, def->default_value, def->type, NULL, &v);
            rc = c.nomem || prefix.failed ? GQL_ENOMEM : GQL_EINVAL;
            break;
        }
        if (coerce_lit(&c, an->value, def->type, NULL, &v)) {
            object_put(result, def->name, &v);
            continue;
        }
        if (c.nomem || gqlx_arena_failed(a)) {
            rc = GQL_ENOMEM;
            break;
        }
        gqlx_buf_clear(&prefix);
        put_arg_coordinate(&prefix, owner, def);
        gqlx_buf_append_cstr(&prefix, " has invalid value");
        c.prefix = prefix.data;
        c.report = true;
        if (!prefix.failed)
            coerce_lit(&c, an->value, def->type, NULL, &v);
        if (!c.reported && !c.nomem)
            add_error(&c, "Invalid argument", false, 0); /* graphql-js's invariant */
        rc = c.nomem || prefix.failed ? GQL_ENOMEM : GQL_EINVAL;
    }
    if (rc == GQL_OK && (c.nomem || gqlx_arena_failed(a) || msg.failed))
        rc = GQL_ENOMEM;
    gqlx_buf_free(&msg);
    gqlx_buf_free(&prefix);
    if (rc == GQL_OK)
        *out = result;
    return rc;
}
