/* src/execution/execute.c — executing selection sets and completing values
 * (the specification's ExecuteSelectionSet, ExecuteField and
 * CompleteValue; graphql-js 17's Executor), writing JSON as it goes. */
#include <stdint.h>
#include <string.h>

#include "core/alloc.h"
#include "core/errors.h"
#include "core/json.h"
#include "execution/engine.h"
#include "execution/error_json.h"
#include "gql/status.h"
#include "execution/introspection_resolve.h"
#include "execution/scalar_call.h"
#include "execution/values.h"
#include "language/source.h"

/* Results of completing a value. */
enum {
    DONE,    /* a value (or a hole) was written */
    IS_NULL, /* the value is null; nothing written */
    ERRORED, /* an error was recorded; nothing written */
    BUBBLE   /* a non-null position below failed: the caller's value is
                void (text after its start is garbage) */
};

static int complete(gqlx_exec *x, gql_info *info, const gqlx_type_ref *type, const gqlx_path *path,
                    const gql_value *vp, gqlx_frame *frame);

/* ---- errors ------------------------------------------------------------- */

static void write_path(gqlx_buf *b, const gqlx_path *path)
{
    const gqlx_path *steps[64];
    const gqlx_path **all = steps;
    uint32_t n = path ? path->depth : 0;
    gqlx_buf_append(b, ",\"path\":[", 9);
    if (n > 64) {
        /* Deep paths are rare: walk them twice instead of allocating. */
        for (uint32_t i = 0; i < n; i++) {
            const gqlx_path *p = path;
            for (uint32_t k = 0; k + 1 + i < n; k++)
                p = p->prev;
            if (i)
                gqlx_buf_putc(b, ',');
            if (p->field)
                gqlx_json_write_string(b, p->field->key.ptr, p->field->key.len);
            else
                gqlx_json_write_int(b, p->index);
        }
        gqlx_buf_putc(b, ']');
        return;
    }
    uint32_t i = n;
    for (const gqlx_path *p = path; p != NULL; p = p->prev)
        all[--i] = p;
    for (i = 0; i < n; i++) {
        if (i)
            gqlx_buf_putc(b, ',');
        if (all[i]->field)
            gqlx_json_write_string(b, all[i]->field->key.ptr, all[i]->field->key.len);
        else
            gqlx_json_write_int(b, all[i]->index);
    }
    gqlx_buf_putc(b, ']');
}

static void write_error_head(gqlx_exec *x, const char *message, size_t len)
{
    if (x->error_count++)
        gqlx_buf_putc(&x->errors, ',');
    gqlx_buf_append(&x->errors, "{\"message\":", 11);
    gqlx_json_write_string(&x->errors, message, len);
}

/* The locations of a field's nodes as `,"locations":[...]` text, computed
 * once per collected field: finding a line and column scans the document
 * from its start, which must not happen once per error. */
static void write_node_locations(gqlx_exec *x, const gqlx_pfield *pf)
{
    gqlx_pfield *mpf = (gqlx_pfield *)(uintptr_t)pf;
    const gqlx_cached_data *text = atomic_load_explicit(&mpf->locations, memory_order_acquire);
    if (text == NULL) {
        gqlx_collector *c = &x->coll;
        if (c->shared)
            pthread_mutex_lock(&c->plan->lock);
        text = atomic_load_explicit(&mpf->locations, memory_order_acquire);
        if (text == NULL) {
            gqlx_buf b;
            gqlx_buf_init(&b, 0);
            gql_location *locs = GQLX_ARRAY(c->arena, gql_location, pf->node_count);
            for (uint32_t i = 0; locs != NULL && i < pf->node_count; i++) {
                gqlx_location l = gqlx_source_location(&x->plan->source, pf->nodes[i]->base.start);
                locs[i] = (gql_location){l.line, l.column};
            }
            if (locs != NULL)
                gqlx_error_json_locations(&b, locs, pf->node_count);
            else
                b.failed = true;
            gqlx_cached_data *made = b.failed ? NULL
                                              : gqlx_arena_alloc(c->arena, sizeof *made + b.len,
                                                                 _Alignof(gqlx_cached_data));
            if (made != NULL) {
                made->len = b.len;
                memcpy(made->text, b.data, b.len);
                atomic_store_explicit(&mpf->locations, made, memory_order_release);
            }
            gqlx_buf_free(&b);
            text = made;
        }
        if (c->shared)
            pthread_mutex_unlock(&c->plan->lock);
        if (text == NULL) {
            x->oom = true;
            return;
        }
    }
    gqlx_buf_append(&x->errors, text->text, text->len);
}

/* The locations of an error made elsewhere (coercion), or of the field. */
static void write_error_locations(gqlx_exec *x, const gqlx_error *e, const gqlx_pfield *pf)
{
    if (e->location_count > 0)
        gqlx_error_json_locations(&x->errors, e->locations, e->location_count);
    else if (pf != NULL)
        write_node_locations(x, pf);
}

static bool valid_extensions(gqlx_exec *x, const char *ext, size_t len)
{
    gqlx_json *v = NULL;
    gqlx_json_opts o;
    gqlx_json_opts_init(&o);
    return gqlx_json_parse(&x->arena, ext, len, &o, &v, NULL) == GQL_OK &&
           v->kind == GQLX_JSON_OBJECT;
}

void gqlx_exec_field_error(gqlx_exec *x, const gqlx_pfield *pf, const gqlx_path *path,
                           const char *message, size_t len, const char *extensions, size_t ext_len)
{
    write_error_head(x, message, len);
    write_node_locations(x, pf);
    write_path(&x->errors, path);
    if (extensions != NULL && valid_extensions(x, extensions, ext_len)) {
        gqlx_buf_append(&x->errors, ",\"extensions\":", 14);
        gqlx_buf_append(&x->errors, extensions, ext_len);
    }
    gqlx_buf_putc(&x->errors, '}');
}

/* An error whose message is in x->msg. */
static int fail(gqlx_exec *x, const gql_info *info, const gqlx_path *path)
{
    gqlx_exec_field_error(x, info->pf, path, x->msg.data ? x->msg.data : "", x->msg.len, NULL, 0);
    gqlx_buf_clear(&x->msg);
    return ERRORED;
}

/* ---- holes -------------------------------------------------------------- */

static gqlx_pframe *persist(gqlx_exec *x, gqlx_frame *f)
{
    if (f == NULL)
        return &x->root_frame;
    if (f->persist != NULL)
        return f->persist;
    gqlx_pframe *p = GQLX_NEW(&x->own, gqlx_pframe);
    if (p == NULL) {
        x->oom = true;
        return &x->root_frame;
    }
    p->start = f->start;
    p->end = SIZE_MAX;
    p->nullable = f->nullable;
    f->persist = p;
    p->parent = persist(x, f->parent);
    return p;
}

static const gqlx_path *persist_path(gqlx_exec *x, const gqlx_path *path)
{
    if (path == NULL)
        return NULL;
    gqlx_path *copy = GQLX_NEW(&x->arena, gqlx_path);
    if (copy == NULL) {
        x->oom = true;
        return path;
    }
    *copy = *path;
    copy->prev = persist_path(x, path->prev);
    return copy;
}

static bool push_hole(gqlx_exec *x, gqlx_hole *h)
{
    if (x->hole_count == x->hole_cap &&
        !gqlx_arena_grow(&x->own, (void **)&x->holes, &x->hole_cap, x->hole_count + 1,
                         sizeof(gqlx_hole *), x->hole_count)) {
        x->oom = true;
        return false;
    }
    x->holes[x->hole_count++] = h;
    return true;
}

static gqlx_hole *new_hole(gqlx_exec *x, gqlx_frame *frame)
{
    gqlx_hole *h = GQLX_NEW(&x->own, gqlx_hole);
    if (h == NULL || !push_hole(x, h)) {
        x->oom = true;
        return NULL;
    }
    h->offset = x->out.len;
    h->self.parent = persist(x, frame);
    h->self.is_hole = true;
    h->state = GQLX_HOLE_WAITING;
    x->waiting++;
    return h;
}

/* A pending value: wait for it, unless it was delivered already. Returns
 * true with *v replaced when the value is available now. */
static bool attach_pending(gqlx_exec *x, gql_info *info, const gqlx_type_ref *type,
                           const gqlx_path *path, gql_value *v, gqlx_frame *frame)
{
    struct gql_pending *t = v->u.ptr;
    pthread_mutex_lock(&x->lock);
    if (t->state == GQLX_TOKEN_EARLY) {
        t->state = GQLX_TOKEN_SPENT;
        pthread_mutex_unlock(&x->lock);
        *v = t->value;
        if (t->reject != NULL) {
            gqlx_buf_append_cstr(&x->msg, t->reject);
            gqlx_free(t->reject);
            t->reject = NULL;
            v->kind = GQL_VALUE_ERROR;
            fail(x, info, path);
        }
        gqlx_exec_unref(x);
        return true;
    }
    pthread_mutex_unlock(&x->lock);
    gqlx_hole *h = new_hole(x, frame);
    if (h == NULL) {
        *v = gql_null();
        return true;
    }
    h->kind = GQLX_HOLE_VALUE;
    h->type = type;
    h->path = persist_path(x, path);
    h->info = *info;
    h->info.path = info->path == path ? h->path : persist_path(x, info->path);
    h->self.nullable = type->wrap != GQLX_WRAP_NON_NULL;
    pthread_mutex_lock(&x->lock);
    t->hole = h;
    if (t->state == GQLX_TOKEN_EARLY) /* delivered from another thread meanwhile */
        gqlx_exec_enqueue(x, t);
    else
        t->state = GQLX_TOKEN_ATTACHED;
    pthread_mutex_unlock(&x->lock);
    return false;
}

/* Stands for the position of pending values the engine will never
 * complete; shared, and never written (only holes in x->holes are). */
static gqlx_hole abandoned_hole = {.state = GQLX_HOLE_DEAD};

/* Releases the pending values inside v that the engine will not complete
 * (list items after one that nulled the list): their tokens hold
 * references to the execution, dropped when they are delivered (or now,
 * if they were already). type bounds the walk to the list's nesting. */
static void abandon_pending(gqlx_exec *x, const gqlx_type_ref *type, gql_value v)
{
    if (type->wrap == GQLX_WRAP_NON_NULL)
        type = type->of;
    if (v.kind == GQL_VALUE_LIST && type->wrap == GQLX_WRAP_LIST) {
        for (uint32_t i = 0; i < v.len; i++)
            abandon_pending(x, type->of, v.u.items[i]);
        return;
    }
    if (v.kind != GQL_VALUE_PENDING)
        return;
    struct gql_pending *t = v.u.ptr;
    pthread_mutex_lock(&x->lock);
    bool early = t->state == GQLX_TOKEN_EARLY;
    if (early)
        t->state = GQLX_TOKEN_SPENT;
    else if (t->state == GQLX_TOKEN_NEW)
        t->hole = &abandoned_hole, t->state = GQLX_TOKEN_ATTACHED;
    char *reject = early ? t->reject : NULL;
    if (early)
        t->reject = NULL;
    pthread_mutex_unlock(&x->lock);
    if (early) {
        gqlx_free(reject);
        gqlx_exec_unref(x); /* the token's reference */
    }
}

/* Kills the holes made since mark (their position was nulled). */
static void kill_holes(gqlx_exec *x, size_t mark)
{
    for (size_t i = mark; i < x->hole_count; i++) {
        gqlx_hole *h = x->holes[i];
        if (h->state == GQLX_HOLE_WAITING)
            x->waiting--;
        h->state = GQLX_HOLE_DEAD;
    }
    x->hole_count = mark;
}

/* ---- leaves ------------------------------------------------------------- */

/* A JSON value as JSON.stringify writes a parsed one: object members in
 * JavaScript's key order (array-index keys first). */
static void write_json(gqlx_exec *x, const gqlx_json *j)
{
    if (j->kind == GQLX_JSON_ARRAY) {
        gqlx_buf_putc(&x->out, '[');
        for (size_t i = 0; i < j->len; i++) {
            if (i)
                gqlx_buf_putc(&x->out, ',');
            write_json(x, &j->u.items[i]);
        }
        gqlx_buf_putc(&x->out, ']');
        return;
    }
    if (j->kind == GQLX_JSON_OBJECT) {
        uint32_t *order = NULL;
        size_t n = gqlx_js_key_order(&x->arena, j, &order);
        if (n > 0 && order == NULL) {
            x->oom = true;
            return;
        }
        gqlx_buf_putc(&x->out, '{');
        for (size_t i = 0; i < n; i++) {
            const gqlx_json_member *m = &j->u.members[order[i]];
            if (i)
                gqlx_buf_putc(&x->out, ',');
            gqlx_json_write_string(&x->out, m->key.ptr, m->key.len);
            gqlx_buf_putc(&x->out, ':');
            write_json(x, &m->value);
        }
        gqlx_buf_putc(&x->out, '}');
        return;
    }
    if (gqlx_json_write_value(&x->out, j, 0) != GQL_OK)
        x->oom = true;
}

/* Output coercion through values.c, for every case the fast paths of
 * complete_leaf do not take. */
static int serialize_slow(gqlx_exec *x, const gql_info *info, const gqlx_type *t,
                          const gqlx_path *path, gql_value v)
{
    gqlx_json in, out;
    if (!gqlx_value_to_json(&x->arena, v, &in)) {
        gqlx_buf_printf(&x->msg, "%s cannot represent value of kind %u", t->name->str, v.kind);
        return fail(x, info, path);
    }
    int rc = gqlx_serialize_scalar(&x->arena, t, &in, &out, &x->msg);
    if (rc == GQL_ENOMEM) {
        x->oom = true;
        return ERRORED;
    }
    if (rc != GQL_OK)
        return fail(x, info, path);
    write_json(x, &out);
    return DONE;
}

static int complete_custom_scalar(gqlx_exec *x, const gql_info *info, const gqlx_type *t,
                                  const gqlx_path *path, gql_value v)
{
    const gql_scalar_funcs *f = t->scalar_funcs;
    if (f != NULL && f->serialize != NULL) {
        gql_scalar_call call;
        gqlx_scalar_call_init(&call, &x->arena, f->data, &x->msg);
        v = f->serialize(&call, v);
        if (v.kind == GQL_VALUE_ERROR)
            return fail(x, info, path);
    }
    if (v.kind == GQL_VALUE_NULL || (v.kind == GQL_VALUE_JSON && v.u.json == NULL))
        return IS_NULL;
    gqlx_json j;
    if (!gqlx_value_to_json(&x->arena, v, &j)) {
        gqlx_buf_printf(&x->msg, "Scalar \"%s\" cannot represent an application object.",
                        t->name->str);
        return fail(x, info, path);
    }
    write_json(x, &j);
    return DONE;
}

/* A JSON scalar as the plain value the fast paths below take. A number
 * becomes an integer only when JavaScript would see that very integer
 * (at most 2^53 in magnitude); others stay doubles. */
static gql_value leaf_view(const gql_value *vp)
{
    if (vp->kind != GQL_VALUE_JSON || vp->u.json == NULL)
        return *vp;
    const gqlx_json *j = (const gqlx_json *)(const void *)vp->u.json;
    const int64_t exact = INT64_C(9007199254740992);
    switch (j->kind) {
    case GQLX_JSON_STRING:
        return gql_string(j->u.str, j->len);
    case GQLX_JSON_BOOL:
        return gql_bool(j->boolean);
    case GQLX_JSON_NUMBER:
        if ((j->flags & GQLX_JSON_INT64) && j->i64 >= -exact && j->i64 <= exact)
            return gql_int(j->i64);
        return gql_float(j->d);
    default:
        return *vp;
    }
}

static int complete_leaf(gqlx_exec *x, const gql_info *info, const gqlx_type *t,
                         const gqlx_path *path, const gql_value *vp)
{
    gqlx_buf *o = &x->out;
    gql_value v = leaf_view(vp);
    if (t->kind == GQLX_TYPE_ENUM) {
        if (v.kind == GQL_VALUE_STRING && gqlx_type_enum_value(t, v.u.str, v.len) != NULL) {
            gqlx_json_write_string(o, v.u.str, v.len);
            return DONE;
        }
        return serialize_slow(x, info, t, path, *vp);
    }
    switch (t->scalar) {
    case GQLX_SCALAR_STRING:
        if (v.kind == GQL_VALUE_STRING) {
            gqlx_json_write_string(o, v.u.str, v.len);
            return DONE;
        }
        break;
    case GQLX_SCALAR_ID:
        if (v.kind == GQL_VALUE_STRING) {
            gqlx_json_write_string(o, v.u.str, v.len);
            return DONE;
        }
        if (v.kind == GQL_VALUE_INT) {
            gqlx_buf_putc(o, '"');
            gqlx_json_write_int(o, v.u.i);
            gqlx_buf_putc(o, '"');
            return DONE;
        }
        break;
    case GQLX_SCALAR_INT:
        if (v.kind == GQL_VALUE_INT && v.u.i >= INT32_MIN && v.u.i <= INT32_MAX) {
            gqlx_json_write_int(o, v.u.i);
            return DONE;
        }
        break;
    case GQLX_SCALAR_FLOAT:
        if (v.kind == GQL_VALUE_FLOAT && v.u.f - v.u.f == 0) {
            gqlx_json_write_double(o, v.u.f);
            return DONE;
        }
        if (v.kind == GQL_VALUE_INT) {
            gqlx_json_write_double(o, (double)v.u.i);
            return DONE;
        }
        break;
    case GQLX_SCALAR_BOOLEAN:
        if (v.kind == GQL_VALUE_BOOL) {
            gqlx_buf_append(o, v.u.boolean ? "true" : "false", v.u.boolean ? 4 : 5);
            return DONE;
        }
        break;
    default:
        return complete_custom_scalar(x, info, t, path, *vp);
    }
    return serialize_slow(x, info, t, path, *vp);
}

/* ---- leaf fast paths ---------------------------------------------------- */

/* Most leaves are a plain value of the field's own scalar or enum type:
 * these functions write them at once, exactly as complete_leaf would, and
 * answer false for everything else (null in a non-null position, values
 * that need coercion or give an error), which then takes the general
 * path. */

static const gqlx_type *leaf_type(const gqlx_pfield *pf)
{
    const gqlx_type_ref *r = pf->decl->type;
    return r->wrap == GQLX_WRAP_NON_NULL ? r->of->named : r->named;
}

/* An enum value named s[0..len): its name, which needs no escaping. */
static bool write_enum_leaf(gqlx_buf *o, const gqlx_pfield *pf, const char *s, size_t len)
{
    const gqlx_enum_value *ev = gqlx_type_enum_value(leaf_type(pf), s, len);
    if (ev == NULL)
        return false;
    gqlx_json_write_plain(o, ev->name->str, ev->name->len);
    return true;
}

static inline __attribute__((always_inline)) bool
write_json_leaf(gqlx_buf *o, const gqlx_pfield *pf, const gqlx_json *j)
{
    const int64_t exact = INT64_C(9007199254740992);
    if (j == NULL || j->kind == GQLX_JSON_NULL) {
        if (pf->non_null)
            return false;
        gqlx_buf_append(o, "null", 4);
        return true;
    }
    switch (pf->leaf) {
    case GQLX_LEAF_STRING:
        if (j->kind != GQLX_JSON_STRING)
            return false;
        gqlx_json_write_str_value(o, j);
        return true;
    case GQLX_LEAF_ID:
        if (j->kind == GQLX_JSON_STRING) {
            gqlx_json_write_str_value(o, j);
            return true;
        }
        if (j->kind != GQLX_JSON_NUMBER || !(j->flags & GQLX_JSON_INT64) || j->i64 < -exact ||
            j->i64 > exact)
            return false;
        gqlx_buf_putc(o, '"');
        gqlx_json_write_int(o, j->i64);
        gqlx_buf_putc(o, '"');
        return true;
    case GQLX_LEAF_INT:
        if (j->kind != GQLX_JSON_NUMBER || !(j->flags & GQLX_JSON_INT64) || j->i64 < INT32_MIN ||
            j->i64 > INT32_MAX)
            return false;
        if (j->flags & GQLX_JSON_JS_TEXT)
            gqlx_buf_append(o, j->u.str, j->len);
        else
            gqlx_json_write_int(o, j->i64);
        return true;
    case GQLX_LEAF_FLOAT:
        if (j->kind != GQLX_JSON_NUMBER)
            return false;
        if (j->flags & GQLX_JSON_JS_TEXT)
            gqlx_buf_append(o, j->u.str, j->len);
        else if (j->d - j->d == 0) /* finite */
            gqlx_json_write_double(o, j->d);
        else
            return false;
        return true;
    case GQLX_LEAF_BOOLEAN:
        if (j->kind != GQLX_JSON_BOOL)
            return false;
        gqlx_buf_append(o, j->boolean ? "true" : "false", j->boolean ? 4 : 5);
        return true;
    case GQLX_LEAF_ENUM:
        return j->kind == GQLX_JSON_STRING && write_enum_leaf(o, pf, j->u.str, j->len);
    default:
        return false;
    }
}

/* The same for a resolver's value. */
static bool write_value_leaf(gqlx_buf *o, const gqlx_pfield *pf, const gql_value *v)
{
    switch (v->kind) {
    case GQL_VALUE_JSON:
        return write_json_leaf(o, pf, (const gqlx_json *)(const void *)v->u.json);
    case GQL_VALUE_NULL:
        return write_json_leaf(o, pf, NULL);
    case GQL_VALUE_STRING:
        if (pf->leaf == GQLX_LEAF_STRING || pf->leaf == GQLX_LEAF_ID) {
            gqlx_json_write_string(o, v->u.str, v->len);
            return true;
        }
        return pf->leaf == GQLX_LEAF_ENUM && write_enum_leaf(o, pf, v->u.str, v->len);
    case GQL_VALUE_INT:
        if (pf->leaf == GQLX_LEAF_INT && v->u.i >= INT32_MIN && v->u.i <= INT32_MAX) {
            gqlx_json_write_int(o, v->u.i);
            return true;
        }
        if (pf->leaf == GQLX_LEAF_ID) {
            gqlx_buf_putc(o, '"');
            gqlx_json_write_int(o, v->u.i);
            gqlx_buf_putc(o, '"');
            return true;
        }
        if (pf->leaf == GQLX_LEAF_FLOAT) {
            gqlx_json_write_double(o, (double)v->u.i);
            return true;
        }
        return false;
    case GQL_VALUE_FLOAT:
        if (pf->leaf != GQLX_LEAF_FLOAT || v->u.f - v->u.f != 0)
            return false;
        gqlx_json_write_double(o, v->u.f);
        return true;
    case GQL_VALUE_BOOL:
        if (pf->leaf != GQLX_LEAF_BOOLEAN)
            return false;
        gqlx_buf_append(o, v->u.boolean ? "true" : "false", v->u.boolean ? 4 : 5);
        return true;
    default:
        return false;
    }
}

/* The member of a JSON object named like pf's field, or NULL. Objects of
 * one list usually share their key order: where the member was found last
 * time is tried first. */
static inline __attribute__((always_inline)) const gqlx_json *json_member(const gqlx_pfield *pf,
                                                                          const gqlx_json *obj)
{
    const gqlx_name *n = pf->decl->name;
    const gqlx_json_member *m = obj->u.members;
    gqlx_pfield *mpf = (gqlx_pfield *)(uintptr_t)pf;
    uint32_t hint = atomic_load_explicit(&mpf->member_hint, memory_order_relaxed);
    if (hint < obj->len && m[hint].key.len == n->len &&
        gqlx_bytes_eq(m[hint].key.ptr, n->str, n->len))
        return &m[hint].value;
    for (size_t i = 0; i < obj->len; i++) {
        if (m[i].key.len == n->len && gqlx_bytes_eq(m[i].key.ptr, n->str, n->len)) {
            atomic_store_explicit(&mpf->member_hint, (uint32_t)i, memory_order_relaxed);
            return &m[i].value;
        }
    }
    return NULL;
}

/* ---- objects ------------------------------------------------------------ */

static int execute_fields(gqlx_exec *x, const gqlx_fieldset *fs, const gql_value *parent,
                          const gqlx_path *path, gqlx_frame *frame, uint32_t from, bool serial);

/* The JSON object behind a value, if it is one. */
static const gqlx_json *json_object(gql_value v)
{
    if (v.kind != GQL_VALUE_JSON || v.u.json == NULL)
        return NULL;
    const gqlx_json *j = (const gqlx_json *)(const void *)v.u.json;
    return j->kind == GQLX_JSON_OBJECT ? j : NULL;
}

static const gqlx_type *resolve_runtime_type(gqlx_exec *x, gql_info *info, const gqlx_type *t,
                                             const gqlx_path *path, gql_value v)
{
    const char *name = NULL;
    size_t len = 0;
    if (t->resolve_type != NULL) {
        gql_info local = *info;
        local.path = path;
        name = t->resolve_type(&local, v, t->resolve_type_data);
        len = name ? strlen(name) : 0;
    } else if (v.kind == GQL_VALUE_OBJECT) {
        name = v.type;
        len = name ? strlen(name) : 0;
    } else {
        const gqlx_json *j = gqlx_json_get(json_object(v), "__typename", 10);
        if (j != NULL && j->kind == GQLX_JSON_STRING) {
            name = j->u.str;
            len = j->len;
        }
    }
    if (name == NULL) {
        gqlx_buf_printf(&x->msg,
                        "Abstract type \"%s\" must resolve to an Object type at runtime for field "
                        "\"%s.%s\". Either the \"%s\" type should provide a \"resolveType\" "
                        "function or each possible type should provide an \"isTypeOf\" function.",
                        t->name->str, gql_info_parent_type(info), gql_info_field_name(info),
                        t->name->str);
        return NULL;
    }
    const gqlx_type *rt = gqlx_schema_type(x->schema, name, len);
    if (rt == NULL) {
        gqlx_buf_printf(&x->msg,
                        "Abstract type \"%s\" was resolved to a type \"%.*s\" that does not exist "
                        "inside the schema.",
                        t->name->str, (int)len, name);
        return NULL;
    }
    if (rt->kind != GQLX_TYPE_OBJECT) {
        gqlx_buf_printf(&x->msg, "Abstract type \"%s\" was resolved to a non-object type \"%.*s\".",
                        t->name->str, (int)len, name);
        return NULL;
    }
    if (!gqlx_schema_is_possible_type(x->schema, t, rt)) {
        gqlx_buf_printf(&x->msg, "Runtime Object type \"%s\" is not a possible type for \"%s\".",
                        rt->name->str, t->name->str);
        return NULL;
    }
    return rt;
}

/* A collection failed: an invalid @skip/@include variable (an error of
 * the field whose selection it is), or memory. */
static int collection_failed(gqlx_exec *x, const gqlx_path *path)
{
    gql_errors *errs = x->coll.error;
    x->coll.error = NULL;
    if (errs == NULL || errs->count == 0) {
        gql_errors_free(errs);
        x->oom = true;
        return ERRORED;
    }
    const gqlx_error *e = &errs->items[0];
    write_error_head(x, e->message, strlen(e->message));
    write_error_locations(x, e, NULL);
    if (path != NULL)
        write_path(&x->errors, path);
    gqlx_buf_putc(&x->errors, '}');
    gql_errors_free(errs);
    return ERRORED;
}

static int complete_object(gqlx_exec *x, gql_info *info, const gqlx_type *t, const gqlx_path *path,
                           const gql_value *vp, gqlx_frame *frame)
{
    if (gqlx_type_is_abstract(t)) {
        t = resolve_runtime_type(x, info, t, path, *vp);
        if (t == NULL)
            return fail(x, info, path);
    }
    const gqlx_fieldset *fs = gqlx_collect_children(&x->coll, info->pf, t);
    if (fs == NULL)
        return collection_failed(x, path);
    return execute_fields(x, fs, vp, path, frame, 0, false);
}

/* ---- lists -------------------------------------------------------------- */

static int complete_list(gqlx_exec *x, gql_info *info, const gqlx_type_ref *item_type,
                         const gqlx_path *path, const gql_value *vp, gqlx_frame *frame)
{
    const gqlx_json *arr = NULL;
    if (vp->kind == GQL_VALUE_JSON) {
        arr = (const gqlx_json *)(const void *)vp->u.json;
        if (arr->kind != GQLX_JSON_ARRAY)
            arr = NULL;
    }
    if (vp->kind != GQL_VALUE_LIST && vp->kind != GQL_VALUE_OBJECT_LIST && arr == NULL) {
        gqlx_buf_printf(&x->msg, "Expected Iterable, but did not find one for field \"%s.%s\".",
                        gql_info_parent_type(info), gql_info_field_name(info));
        return fail(x, info, path);
    }
    size_t n = arr ? arr->len : vp->len;
    gqlx_buf_putc(&x->out, '[');
    for (size_t i = 0; i < n; i++) {
        if (i)
            gqlx_buf_putc(&x->out, ',');
        gql_value made;
        const gql_value *item = &made;
        if (arr)
            made = gql_json_value((const gql_json *)(const void *)&arr->u.items[i]);
        else if (vp->kind == GQL_VALUE_LIST)
            item = &vp->u.items[i];
        else
            made = gql_object(vp->u.ptrs[i], vp->type);
        gqlx_path ip = {path, NULL, (uint32_t)i, path->depth + 1};
        if (complete(x, info, item_type, &ip, item, frame) == BUBBLE) {
            for (size_t k = i + 1; vp->kind == GQL_VALUE_LIST && k < n; k++)
                abandon_pending(x, item_type, vp->u.items[k]);
            return BUBBLE;
        }
    }
    gqlx_buf_putc(&x->out, ']');
    return DONE;
}

/* ---- completion --------------------------------------------------------- */

static bool is_null(const gql_value *v)
{
    return v->kind == GQL_VALUE_NULL ||
           (v->kind == GQL_VALUE_JSON &&
            (v->u.json == NULL ||
             ((const gqlx_json *)(const void *)v->u.json)->kind == GQLX_JSON_NULL));
}

/* Completes a value of a nullable type (the part under any non-null). */
static int complete_inner(gqlx_exec *x, gql_info *info, const gqlx_type_ref *type,
                          const gqlx_path *path, const gql_value *vp, gqlx_frame *parent,
                          bool nullable)
{
    if (vp->kind == GQL_VALUE_ERROR)
        return ERRORED;
    if (is_null(vp))
        return IS_NULL;
    if (type->wrap == GQLX_WRAP_LIST) {
        gqlx_frame f = {parent, x->out.len, nullable, NULL};
        int r = complete_list(x, info, type->of, path, vp, &f);
        if (f.persist)
            f.persist->end = x->out.len;
        return r;
    }
    const gqlx_type *t = type->named;
    if (gqlx_type_is_leaf(t))
        return complete_leaf(x, info, t, path, vp);
    gqlx_frame f = {parent, x->out.len, nullable, NULL};
    int r = complete_object(x, info, t, path, vp, &f);
    if (f.persist)
        f.persist->end = x->out.len;
    return r;
}

static int complete(gqlx_exec *x, gql_info *info, const gqlx_type_ref *type, const gqlx_path *path,
                    const gql_value *vp, gqlx_frame *frame)
{
    gql_value local;
    if (vp->kind == GQL_VALUE_PENDING) {
        local = *vp;
        while (local.kind == GQL_VALUE_PENDING)
            if (!attach_pending(x, info, type, path, &local, frame))
                return DONE;
        vp = &local;
    }
    size_t start = x->out.len;
    size_t mark = x->hole_count;
    if (type->wrap == GQLX_WRAP_NON_NULL) {
        int r = complete_inner(x, info, type->of, path, vp, frame, false);
        if (r == DONE)
            return DONE;
        if (r == IS_NULL) {
            gqlx_buf_printf(&x->msg, "Cannot return null for non-nullable field %s.%s.",
                            gql_info_parent_type(info), gql_info_field_name(info));
            fail(x, info, path);
        }
        if (!x->no_propagation)
            return BUBBLE;
    } else {
        int r = complete_inner(x, info, type, path, vp, frame, true);
        if (r == DONE)
            return DONE;
    }
    if (mark < x->hole_count)
        kill_holes(x, mark);
    x->out.len = start;
    gqlx_buf_append(&x->out, "null", 4);
    return DONE;
}

/* ---- object fast path ----------------------------------------------------- */

/* complete() for a field whose type is an object type or a list of one
 * (gqlx_pfield.composite), when the value is an object, a list of objects
 * (a resolver's, or a JSON array) or null: one loop over the items
 * instead of a completion per item, with the same frames, paths and null
 * propagation. NOT_HANDLED (nothing written) leaves every other value to
 * complete(), and with it every error message. */
enum { NOT_HANDLED = -1 };

static int complete_composite(gqlx_exec *x, const gqlx_pfield *pf, const gqlx_path *path,
                              const gql_value *vp, gqlx_frame *parent)
{
    if (is_null(vp)) {
        if (pf->non_null)
            return NOT_HANDLED;
        gqlx_buf_append(&x->out, "null", 4);
        return DONE;
    }
    const gqlx_json *arr = NULL;
    size_t n = 0;
    if (pf->composite == GQLX_COMPOSITE_OBJECT) {
        if (vp->kind != GQL_VALUE_OBJECT && json_object(*vp) == NULL)
            return NOT_HANDLED;
    } else if (vp->kind == GQL_VALUE_OBJECT_LIST) {
        n = vp->len;
        for (size_t i = 0; pf->item_non_null && i < n; i++)
            if (vp->u.ptrs[i] == NULL)
                return NOT_HANDLED;
    } else if (vp->kind == GQL_VALUE_JSON &&
               (arr = (const gqlx_json *)(const void *)vp->u.json)->kind == GQLX_JSON_ARRAY) {
        n = arr->len;
        for (size_t i = 0; i < n; i++) {
            uint8_t k = arr->u.items[i].kind;
            if (k != GQLX_JSON_OBJECT && (k != GQLX_JSON_NULL || pf->item_non_null))
                return NOT_HANDLED;
        }
    } else {
        return NOT_HANDLED;
    }
    const gqlx_fieldset *fs = gqlx_collect_children(&x->coll, pf, pf->object_type);
    if (fs == NULL)
        return NOT_HANDLED;
    size_t start = x->out.len, mark = x->hole_count;
    gqlx_frame f = {parent, start, !pf->non_null, NULL};
    int r = DONE;
    if (pf->composite == GQLX_COMPOSITE_OBJECT) {
        r = execute_fields(x, fs, vp, path, &f, 0, false);
    } else {
        gqlx_buf_putc(&x->out, '[');
        for (size_t i = 0; i < n; i++) {
            if (i)
                gqlx_buf_putc(&x->out, ',');
            gql_value item = arr ? gql_json_value((const gql_json *)(const void *)&arr->u.items[i])
                                 : gql_object(vp->u.ptrs[i], vp->type);
            if (is_null(&item)) {
                gqlx_buf_append(&x->out, "null", 4);
                continue;
            }
            gqlx_path ip = {path, NULL, (uint32_t)i, path->depth + 1};
            size_t istart = x->out.len, imark = x->hole_count;
            gqlx_frame itf = {&f, istart, !pf->item_non_null, NULL};
            int ir = execute_fields(x, fs, &item, &ip, &itf, 0, false);
            if (itf.persist)
                itf.persist->end = x->out.len;
            if (ir != BUBBLE)
                continue;
            if (pf->item_non_null && !x->no_propagation) {
                r = BUBBLE;
                break;
            }
            if (imark < x->hole_count)
                kill_holes(x, imark);
            x->out.len = istart;
            gqlx_buf_append(&x->out, "null", 4);
        }
        if (r == DONE)
            gqlx_buf_putc(&x->out, ']');
    }
    if (f.persist)
        f.persist->end = x->out.len;
    if (r != BUBBLE)
        return DONE;
    if (pf->non_null && !x->no_propagation)
        return BUBBLE;
    if (mark < x->hole_count)
        kill_holes(x, mark);
    x->out.len = start;
    gqlx_buf_append(&x->out, "null", 4);
    return DONE;
}

/* ---- fields ------------------------------------------------------------- */

static gql_value default_resolve(const gql_info *info, gql_value parent)
{
    const gqlx_json *obj = json_object(parent);
    const gqlx_json *m = obj != NULL ? json_member(info->pf, obj) : NULL;
    return m != NULL ? gql_json_value((const gql_json *)(const void *)m) : gql_null();
}

/* Arguments without variables are the same in every request: they are
 * coerced once, into the plan's collections, and published. */
static const gqlx_json *constant_args(gqlx_exec *x, const gql_info *info)
{
    gqlx_pfield *pf = (gqlx_pfield *)(uintptr_t)info->pf;
    const gqlx_json *args = atomic_load_explicit(&pf->args, memory_order_acquire);
    if (args != NULL)
        return args;
    gqlx_collector *c = &x->coll;
    if (c->shared)
        pthread_mutex_lock(&c->plan->lock);
    args = atomic_load_explicit(&pf->args, memory_order_acquire);
    if (args == NULL) {
        const gqlx_field *node = pf->nodes[0];
        gqlx_coerce_opts co;
        gqlx_coerce_opts_init(&co);
        gqlx_json *out = NULL;
        gqlx_arg_owner owner = {info->decl, NULL};
        if (gqlx_coerce_arguments(c->arena, x->schema, owner, &node->base, &node->arguments, NULL,
                                  &co, &out, NULL, NULL) == GQL_OK) {
            atomic_store_explicit(&pf->args, out, memory_order_release);
            args = out;
        }
    }
    if (c->shared)
        pthread_mutex_unlock(&c->plan->lock);
    return args;
}

static bool coerce_args(gqlx_exec *x, gql_info *info, const gqlx_path *path)
{
    if (info->pf->const_args) {
        const gqlx_json *cached = constant_args(x, info);
        if (cached != NULL) {
            info->args = cached;
            return true;
        }
    }
    const gqlx_field *node = info->pf->nodes[0];
    gqlx_coerce_opts co;
    gqlx_coerce_opts_init(&co);
    co.hide_suggestions = x->opts.hide_suggestions != 0;
    gqlx_json *args = NULL;
    gqlx_arg_owner owner = {info->decl, NULL};
    /* First without an error list (no allocation); again with one only to
     * word the error. */
    int rc = gqlx_coerce_arguments(&x->arena, x->schema, owner, &node->base, &node->arguments,
                                   x->variables, &co, &args, NULL, &x->plan->source);
    if (rc == GQL_OK) {
        info->args = args;
        return true;
    }
    gql_errors *errs = gqlx_errors_new();
    if (errs == NULL) {
        x->oom = true;
        return false;
    }
    if (rc != GQL_ENOMEM)
        rc = gqlx_coerce_arguments(&x->arena, x->schema, owner, &node->base, &node->arguments,
                                   x->variables, &co, &args, errs, &x->plan->source);
    if (rc == GQL_ENOMEM || errs->count == 0) {
        x->oom = true;
        gql_errors_free(errs);
        return false;
    }
    /* The error keeps its own locations (the argument) and gets the path. */
    const gqlx_error *e = &errs->items[0];
    write_error_head(x, e->message, strlen(e->message));
    write_error_locations(x, e, info->pf);
    write_path(&x->errors, path);
    gqlx_buf_putc(&x->errors, '}');
    gql_errors_free(errs);
    return false;
}

static gql_value type_meta_field(gqlx_exec *x, const gqlx_pfield *pf)
{
    const gqlx_field *node = pf->nodes[0];
    for (uint32_t i = 0; i < node->arguments.count; i++) {
        const gqlx_argument *a = node->arguments.items[i];
        if (!gqlx_slice_eq_cstr(a->name, "name"))
            continue;
        gqlx_json name;
        gqlx_json_set_null(&name);
        if (a->value->kind == GQLX_KIND_VARIABLE) {
            gqlx_slice vn = GQLX_AS_CONST(gqlx_variable, a->value)->name;
            const gqlx_json *j = gqlx_json_get(x->variables, vn.ptr, vn.len);
            if (j)
                name = *j;
        } else if (a->value->kind == GQLX_KIND_STRING_VALUE) {
            const gqlx_type *string = gqlx_schema_type(x->schema, "String", 6);
            if (string == NULL ||
                !gqlx_coerce_literal(&x->arena, x->schema, a->value, &string->ref, NULL, &name))
                gqlx_json_set_null(&name);
        }
        if (name.kind != GQLX_JSON_STRING)
            return gql_null();
        const gqlx_type *t = gqlx_schema_type(x->schema, name.u.str, name.len);
        return t ? gql_object((void *)(uintptr_t)&t->ref, "__Type") : gql_null();
    }
    return gql_null();
}

/* Executes one field of an object: returns DONE or BUBBLE. */
static int execute_field(gqlx_exec *x, const gqlx_type *parent_type, const gqlx_pfield *pf,
                         const gql_value *parentp, const gqlx_path *path, gqlx_frame *frame)
{
    const gql_value parent = *parentp;
    gql_info info = {.x = x, .pf = pf, .decl = pf->decl, .parent_type = parent_type, .path = path,
                     .args = x->empty_args};
    const gqlx_field_decl *decl = pf->decl;
    gql_value v;
    const gqlx_type_ref *type;
    switch (pf->kind) {
    case GQLX_PFIELD_TYPENAME:
        gqlx_json_write_string(&x->out, parent_type->name->str, parent_type->name->len);
        return DONE;
    case GQLX_PFIELD_SCHEMA:
        v = gql_object((void *)(uintptr_t)x->schema, "__Schema");
        type = x->plan_schema_ref;
        info.decl = NULL;
        break;
    case GQLX_PFIELD_TYPE:
        v = type_meta_field(x, pf);
        type = x->plan_type_ref;
        info.decl = NULL;
        break;
    default:
        type = decl->type;
        if (decl->arg_count > 0 && !coerce_args(x, &info, path)) {
            v.kind = GQL_VALUE_ERROR;
            break;
        }
        if (decl->resolve.fn != NULL) {
            info.data = decl->resolve.data;
            v = decl->resolve.fn(&info, parent);
        } else if (parent_type->resolve.fn != NULL) {
            info.data = parent_type->resolve.data;
            v = parent_type->resolve.fn(&info, parent);
        } else if (parent_type->builtin) {
            v = gqlx_introspection_resolve(&info, parent);
        } else if (x->event_root && path->depth == 1 && json_object(parent) == NULL) {
            v = parent;
        } else {
            v = default_resolve(&info, parent);
        }
        break;
    }
    if (pf->leaf != GQLX_LEAF_NONE && write_value_leaf(&x->out, pf, &v))
        return DONE;
    if (pf->composite != GQLX_COMPOSITE_NONE) {
        int r = complete_composite(x, pf, path, &v, frame);
        if (r != NOT_HANDLED)
            return r;
    }
    return complete(x, &info, type, path, &v, frame);
}

static int execute_fields(gqlx_exec *x, const gqlx_fieldset *fs, const gql_value *parent,
                          const gqlx_path *path, gqlx_frame *frame, uint32_t from, bool serial)
{
    gqlx_buf *o = &x->out;
    if (from == 0)
        gqlx_buf_putc(o, '{');
    const gqlx_json *obj = json_object(*parent);
    const void *object = parent->kind == GQL_VALUE_OBJECT ? parent->u.ptr : NULL;
    for (uint32_t i = from; i < fs->count; i++) {
        const gqlx_pfield *pf = &fs->fields[i];
        if (i)
            gqlx_buf_append(o, pf->key_json, pf->key_json_len);
        else
            gqlx_buf_append(o, pf->key_json + 1, pf->key_json_len - 1);
        int r = NOT_HANDLED;
        /* A member of a JSON parent: no resolver call. */
        if (obj != NULL && pf->json_member) {
            const gqlx_json *m = json_member(pf, obj);
            if (pf->leaf != GQLX_LEAF_NONE && write_json_leaf(o, pf, m))
                continue;
            if (pf->composite != GQLX_COMPOSITE_NONE) {
                gqlx_path fp = {path, pf, 0, path ? path->depth + 1 : 1};
                gql_value v = m ? gql_json_value((const gql_json *)(const void *)m) : gql_null();
                r = complete_composite(x, pf, &fp, &v, frame);
            }
        }
        if (r == NOT_HANDLED) {
            /* A leaf of an introspection type: read from the schema. */
            if (pf->intro_leaf != NULL && object != NULL && pf->intro_leaf(o, object))
                continue;
            gqlx_path fp = {path, pf, 0, path ? path->depth + 1 : 1};
            r = execute_field(x, fs->type, pf, parent, &fp, frame);
        }
        if (r == BUBBLE || x->oom)
            return BUBBLE;
        if (serial && x->waiting > 0 && i + 1 < fs->count) {
            /* A mutation field left pending work: the next one waits. */
            gqlx_hole *h = new_hole(x, frame);
            if (h == NULL)
                return BUBBLE;
            h->kind = GQLX_HOLE_SERIAL;
            h->next_root = i + 1;
            h->self.nullable = true;
            x->waiting--; /* a serial hole is not waited for: it waits */
            x->serial_hole = h;
            x->serial_paused = true;
            return DONE;
        }
    }
    gqlx_buf_putc(o, '}');
    return DONE;
}

void gqlx_exec_root_failed(gqlx_exec *x)
{
    collection_failed(x, NULL);
    x->root_frame.nulled = true;
}

void gqlx_exec_root(gqlx_exec *x, uint32_t from)
{
    gqlx_frame root = {NULL, 0, true, &x->root_frame};
    root.start = from == 0 ? x->out.len : x->root_frame.start;
    if (from == 0)
        x->root_frame.start = x->out.len;
    bool serial = x->op->operation == GQLX_OP_MUTATION;
    if (execute_fields(x, x->root_fields, &x->root, NULL, &root, from, serial) == BUBBLE)
        x->root_frame.nulled = true;
}

/* Whether a hole's position was nulled after it was made (a non-null
 * value below an ancestor failed): its value is no longer needed, and
 * errors below a nulled position are not reported (graphql-js 17 drops
 * them too). */
static bool hole_is_dead(const gqlx_exec *x, const gqlx_hole *h)
{
    if (x->root_frame.nulled)
        return true;
    for (const gqlx_pframe *p = h->self.parent; p != NULL; p = p->parent)
        if (p->nulled)
            return true;
    return false;
}

void gqlx_exec_fill_hole(gqlx_exec *x, gqlx_hole *h, gql_value v, const char *reject)
{
    if (h->kind == GQLX_HOLE_VALUE && hole_is_dead(x, h)) {
        x->waiting--;
        h->state = GQLX_HOLE_DEAD;
        return;
    }
    /* Response assembly tells regions apart by offsets: one unused byte
     * between regions keeps a hole at the very end of one (the paused
     * root fields of a mutation, a pending value delivered as another's
     * value) from being taken for a hole at the start of the next. */
    gqlx_buf_putc(&x->out, ' ');
    h->self.start = x->out.len;
    if (h->kind == GQLX_HOLE_SERIAL) {
        gqlx_frame root = {NULL, x->out.len, true, &x->root_frame};
        h->state = GQLX_HOLE_FILLED;
        x->serial_paused = false;
        x->serial_hole = NULL;
        bool serial = true;
        if (execute_fields(x, x->root_fields, &x->root, NULL, &root, h->next_root, serial) ==
            BUBBLE)
            x->root_frame.nulled = true;
        h->self.end = x->out.len;
        return;
    }
    x->waiting--;
    h->state = GQLX_HOLE_FILLED;
    gql_info info = h->info;
    /* Frames made below hang off the hole's own frame. */
    gqlx_frame f = {NULL, x->out.len, h->self.nullable, &h->self};
    if (reject != NULL) {
        gqlx_buf_append_cstr(&x->msg, reject);
        fail(x, &info, h->path);
        v.kind = GQL_VALUE_ERROR;
    }
    int r = complete(x, &info, h->type, h->path, &v, &f);
    h->self.end = x->out.len;
    if (r != BUBBLE)
        return;
    /* The hole's non-null value failed: null the nearest nullable
     * ancestor. */
    gqlx_pframe *p = h->self.parent;
    while (p != NULL && !p->nullable)
        p = p->parent;
    if (p == NULL || p == &x->root_frame) {
        x->root_frame.nulled = true;
        return;
    }
    p->nulled = true;
    if (x->nulled_count == x->nulled_cap &&
        !gqlx_arena_grow(&x->own, (void **)&x->nulled, &x->nulled_cap, x->nulled_count + 1,
                         sizeof(gqlx_pframe *), x->nulled_count)) {
        x->oom = true;
        return;
    }
    x->nulled[x->nulled_count++] = p;
}

gql_value gqlx_exec_subscribe_source(gqlx_exec *x)
{
    gql_value err = gqlx_error_value();
    const gqlx_fieldset *fs = x->root_fields;
    if (fs->count == 0 || fs->fields[0].decl == NULL) {
        static const char m[] = "The subscription field is not defined.";
        write_error_head(x, m, sizeof m - 1);
        gqlx_buf_putc(&x->errors, '}');
        return err;
    }
    const gqlx_pfield *pf = &fs->fields[0];
    gqlx_path path = {NULL, pf, 0, 1};
    gql_info info = {.x = x, .pf = pf, .decl = pf->decl, .parent_type = x->root_type,
                     .path = &path, .args = x->empty_args};
    if (pf->decl->arg_count > 0 && !coerce_args(x, &info, &path))
        return err;
    gql_value v;
    if (pf->decl->subscribe.fn != NULL) {
        info.data = pf->decl->subscribe.data;
        v = pf->decl->subscribe.fn(&info, x->root);
    } else {
        v = default_resolve(&info, x->root); /* as graphql-js's default */
    }
    if (v.kind == GQL_VALUE_STREAM || v.kind == GQL_VALUE_ERROR)
        return v;
    /* graphql-js's message, located at the field, with the value as its
     * inspect() shows it (no value at all is undefined there). */
    gqlx_buf_append_cstr(&x->msg, "Subscription field must return Async Iterable. Received: ");
    gqlx_json j;
    if (v.kind == GQL_VALUE_NULL)
        gqlx_buf_append_cstr(&x->msg, "undefined");
    else if (gqlx_value_to_json(&x->arena, v, &j))
        gqlx_inspect_json_a(&x->msg, &j, &x->arena);
    else
        gqlx_buf_append_cstr(&x->msg, "a value that is not a stream");
    gqlx_buf_putc(&x->msg, '.');
    fail(x, &info, &path);
    return err;
}
