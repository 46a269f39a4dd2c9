/* src/validation/validate.c — the validation walk: one traversal of the
 * document running every active rule, with type information tracked once
 * (graphql-js's validate() + visitInParallel + TypeInfo), errors sorted
 * into graphql-js's order and cut at the error limit.
 *
 * Why errors are buffered and sorted: a few rules report at a node what
 * only the rest of the document can tell (an operation's undefined
 * variables may hide in a fragment defined after it). graphql-js answers
 * such questions with extra walks; here the walk records what those rules
 * need (variable usages with their types, per definition) and the rules
 * report later at the position the reference would have used. Each error
 * carries (walk position, rule index, sequence), and sorting by that key
 * restores the reference's order. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "core/hash.h"
#include "language/printer.h"
#include "types/validate_report.h"
#include "validation/rule.h"

/* Hard bound on buffered errors when held positions keep the limit from
 * being applied during the walk; it only matters for documents with
 * thousands of errors, whose first max_errors are then still exact unless
 * a held rule would have reported before them. */
#define HARD_ERROR_CAP(max) ((max) * 8 + 1024)

typedef struct pending_error {
    uint32_t event;
    uint32_t rule;
    uint32_t seq;
    uint32_t n;
    const char *msg;
    const uint32_t *offsets;
} pending_error;

/* TypeInfo: saved and restored around every node that changes it, so the
 * recursion of the walk is its stack. */
typedef struct type_info {
    const gqlx_type_ref *type;
    const gqlx_type *parent_type;
    const gqlx_type_ref *input_type;
    const gqlx_type_ref *parent_input_type;
    const gqlx_field_decl *field_def;
    const gqlx_directive_decl *directive;
    const gqlx_input_value *argument;
    const gqlx_node *default_value;
    bool has_default;
    int dir_location;
} type_info;

/* What the walk knows about each top-level definition. */
typedef struct def_info {
    uint32_t usage_start; /* into ctx->usages */
    uint32_t usage_count;
    bool walked;
    /* caches */
    const gqlx_fragment_spread *const *spreads;
    size_t spread_count;
    bool spreads_done;
    const gqlx_var_usage *const *rec_usages;
    size_t rec_usage_count;
    bool rec_done;
    const gqlx_fragment_def *const *refs; /* operations: referenced fragments */
    const uint32_t *ref_defs;             /* ... and their indexes in defs */
    size_t ref_count;
    bool refs_done;
} def_info;

typedef struct rule_list {
    uint16_t *items;
    uint16_t count;
} rule_list;

struct gqlx_vctx {
    const gqlx_schema *schema;
    const gqlx_document *doc;
    const gqlx_source *src;
    const gqlx_validate_opts *opts;
    gqlx_arena *arena;

    const gqlx_rule **rules;
    void **states;
    const gqlx_node **skipping;
    size_t rule_count;
    size_t skip_active;
    const rule_list *enter; /* per kind */
    const rule_list *leave;
    uint32_t cur_rule;
    uint32_t event;

    type_info ti;
    bool in_var_def;
    uint32_t cur_def;

    /* meta-fields, built on first use */
    bool meta_ready;
    gqlx_field_decl meta_typename, meta_schema, meta_type;
    gqlx_input_value meta_type_arg;
    gqlx_type_ref meta_nn_string, meta_nn_schema;

    gqlx_vmap fragments; /* name -> definition (last wins) */
    gqlx_vmap doc_directives; /* name -> directive definition (last wins) */
    gqlx_vmap fragment_index; /* name -> (uintptr_t)definition index + 1 */
    gqlx_vmap set_index;      /* selection set pointer -> index + 1 */
    const gqlx_selection_set **set_ptrs;
    def_info *defs;

    const gqlx_var_usage **usages;
    size_t usage_count, usage_cap;

    pending_error *errors;
    size_t error_count, error_cap;
    /* Errors not kept because max_errors kept errors sort before them:
     * they only make the "Too many validation errors" error appear. */
    size_t dropped;

    /* Work space of collect_referenced, reused by every call so that
     * many operations over a long fragment chain do not each leave their
     * own lists behind in the arena. */
    uint32_t *ref_stamp; /* per definition: the call that last saw it */
    uint32_t ref_call;
    const gqlx_fragment_def **ref_frags;
    size_t ref_frags_cap;
    uint32_t *ref_idx;
    size_t ref_idx_cap;
    uint32_t seq;
    uint32_t *holds;
    size_t hold_count, hold_cap;
    size_t max_errors;
    gqlx_buf msg;
    bool aborted;
    const char *abort_message; /* set by gqlx_vctx_abort: the final error */
};

/* ---- small helpers ---------------------------------------------------- */

int gqlx_visit_skip(gqlx_vctx *ctx, const gqlx_node *node, void *state)
{
    (void)ctx;
    (void)node;
    (void)state;
    return GQLX_VISIT_SKIP;
}

void gqlx_vmap_init(gqlx_vmap *m, gqlx_arena *arena)
{
    memset(m, 0, sizeof *m);
    m->arena = arena;
    /* Keys are names from the query document: seeded per process so that
     * colliding names cannot be precomputed (core/hash.h). */
    m->seed = gqlx_hash_seed();
}

static uint32_t slice_hash(const gqlx_vmap *m, gqlx_slice s)
{
    return (uint32_t)gqlx_hash(s.ptr, s.len, m->seed);
}

const void *gqlx_vmap_get(const gqlx_vmap *m, gqlx_slice key)
{
    if (m->keys == NULL)
        return NULL;
    for (uint32_t i = slice_hash(m, key) & m->mask;; i = (i + 1) & m->mask) {
        if (m->keys[i].ptr == NULL)
            return NULL;
        if (gqlx_slice_eq(m->keys[i], key))
            return m->values[i];
    }
}

static bool vmap_rehash(gqlx_vmap *m)
{
    uint32_t ncap = m->keys ? (m->mask + 1) * 2 : 16;
    gqlx_slice *keys = GQLX_ARRAY(m->arena, gqlx_slice, ncap);
    const void **values = GQLX_ARRAY(m->arena, const void *, ncap);
    if (keys == NULL || values == NULL)
        return false;
    memset(keys, 0, sizeof *keys * ncap);
    for (uint32_t i = 0; m->keys && i <= m->mask; i++) {
        if (m->keys[i].ptr == NULL)
            continue;
        uint32_t j = slice_hash(m, m->keys[i]) & (ncap - 1);
        while (keys[j].ptr != NULL)
            j = (j + 1) & (ncap - 1);
        keys[j] = m->keys[i];
        values[j] = m->values[i];
    }
    m->keys = keys;
    m->values = values;
    m->mask = ncap - 1;
    return true;
}

/* Finds the slot of key, adding it (with value NULL) when absent. Returns
 * the slot index, or UINT32_MAX on memory failure; *added tells which. */
static uint32_t vmap_slot(gqlx_vmap *m, gqlx_slice key, bool *added)
{
    *added = false;
    if (m->keys == NULL || (m->count + 1) * 4 > (m->mask + 1) * 3) {
        if (!vmap_rehash(m))
            return UINT32_MAX;
    }
    /* Names are slices into the source; an empty name never occurs, but a
     * NULL ptr would be read as an empty slot, so map it to a constant. */
    if (key.ptr == NULL)
        key.ptr = "";
    uint32_t i = slice_hash(m, key) & m->mask;
    for (;; i = (i + 1) & m->mask) {
        if (m->keys[i].ptr == NULL)
            break;
        if (gqlx_slice_eq(m->keys[i], key))
            return i;
    }
    m->keys[i] = key;
    m->values[i] = NULL;
    m->count++;
    *added = true;
    return i;
}

const void *gqlx_vmap_put(gqlx_vmap *m, gqlx_slice key, const void *value)
{
    bool added;
    uint32_t i = vmap_slot(m, key, &added);
    if (i == UINT32_MAX)
        return NULL;
    if (added) {
        m->values[i] = value;
        return NULL;
    }
    return m->values[i];
}

void gqlx_vmap_set(gqlx_vmap *m, gqlx_slice key, const void *value)
{
    bool added;
    uint32_t i = vmap_slot(m, key, &added);
    if (i != UINT32_MAX)
        m->values[i] = value;
}

/* ---- accessors ---------------------------------------------------------- */

const gqlx_schema *gqlx_vctx_schema(const gqlx_vctx *ctx)
{
    return ctx->schema;
}
const gqlx_document *gqlx_vctx_document(const gqlx_vctx *ctx)
{
    return ctx->doc;
}
const gqlx_validate_opts *gqlx_vctx_opts(const gqlx_vctx *ctx)
{
    return ctx->opts;
}
gqlx_arena *gqlx_vctx_arena(gqlx_vctx *ctx)
{
    return ctx->arena;
}
uint32_t gqlx_vctx_offset(const gqlx_vctx *ctx, gqlx_slice s)
{
    return gqlx_source_offset(ctx->src, s.ptr);
}
const gqlx_type_ref *gqlx_vctx_type(const gqlx_vctx *ctx)
{
    return ctx->ti.type;
}
const gqlx_type *gqlx_vctx_parent_type(const gqlx_vctx *ctx)
{
    return ctx->ti.parent_type;
}
const gqlx_type_ref *gqlx_vctx_input_type(const gqlx_vctx *ctx)
{
    return ctx->ti.input_type;
}
const gqlx_type_ref *gqlx_vctx_parent_input_type(const gqlx_vctx *ctx)
{
    return ctx->ti.parent_input_type;
}
const gqlx_field_decl *gqlx_vctx_field_def(const gqlx_vctx *ctx)
{
    return ctx->ti.field_def;
}
const gqlx_directive_decl *gqlx_vctx_directive(const gqlx_vctx *ctx)
{
    return ctx->ti.directive;
}
const gqlx_input_value *gqlx_vctx_argument(const gqlx_vctx *ctx)
{
    return ctx->ti.argument;
}
bool gqlx_vctx_default_value(const gqlx_vctx *ctx, const gqlx_node **value)
{
    if (value != NULL)
        *value = ctx->ti.default_value;
    return ctx->ti.has_default;
}
int gqlx_vctx_directive_location(const gqlx_vctx *ctx)
{
    return ctx->ti.dir_location;
}
uint32_t gqlx_vctx_event(const gqlx_vctx *ctx)
{
    return ctx->event;
}

const gqlx_type *gqlx_vctx_lookup_type(const gqlx_vctx *ctx, gqlx_slice name)
{
    return gqlx_schema_type(ctx->schema, name.ptr, name.len);
}

const gqlx_type_ref *gqlx_vctx_type_from_ast(gqlx_vctx *ctx, const gqlx_node *type)
{
    if (type == NULL)
        return NULL;
    if (type->kind == GQLX_KIND_NAMED_TYPE) {
        const gqlx_type *t =
            gqlx_vctx_lookup_type(ctx, GQLX_AS_CONST(gqlx_named_type, type)->name);
        return t ? &t->ref : NULL;
    }
    const gqlx_type_ref *inner =
        gqlx_vctx_type_from_ast(ctx, GQLX_AS_CONST(gqlx_wrapper_type, type)->type);
    if (inner == NULL)
        return NULL;
    gqlx_type_ref *r = GQLX_NEW(ctx->arena, gqlx_type_ref);
    if (r == NULL)
        return NULL;
    r->wrap = type->kind == GQLX_KIND_LIST_TYPE ? GQLX_WRAP_LIST : GQLX_WRAP_NON_NULL;
    r->of = inner;
    r->named = inner->named;
    return r;
}

/* Builds the three meta-field declarations graphql-js's schema.getField
 * knows (their types come from the schema's introspection types). */
static void build_meta(gqlx_vctx *ctx)
{
    ctx->meta_ready = true;
    const gqlx_schema *s = ctx->schema;
    const gqlx_type *string = gqlx_schema_type(s, "String", 6);
    const gqlx_type *schema_t = gqlx_schema_type(s, "__Schema", 8);
    const gqlx_type *type_t = gqlx_schema_type(s, "__Type", 6);
    gqlx_arena *a = ctx->arena;
    static const char *const names[] = {"__typename", "__schema", "__type", "name"};
    const gqlx_name *nm[4];
    for (int i = 0; i < 4; i++) {
        size_t len = strlen(names[i]);
        gqlx_name *n = gqlx_arena_alloc(a, sizeof(gqlx_name) + len + 1, _Alignof(gqlx_name));
        if (n == NULL)
            return;
        n->len = (uint32_t)len;
        n->hash = 0;
        memcpy(n->str, names[i], len + 1);
        nm[i] = n;
    }
    if (string != NULL) {
        ctx->meta_nn_string = (gqlx_type_ref){GQLX_WRAP_NON_NULL, &string->ref, string};
        ctx->meta_typename.name = nm[0];
        ctx->meta_typename.type = &ctx->meta_nn_string;
        ctx->meta_type_arg.name = nm[3];
        ctx->meta_type_arg.type = &ctx->meta_nn_string;
    }
    if (schema_t != NULL) {
        ctx->meta_nn_schema = (gqlx_type_ref){GQLX_WRAP_NON_NULL, &schema_t->ref, schema_t};
        ctx->meta_schema.name = nm[1];
        ctx->meta_schema.type = &ctx->meta_nn_schema;
    }
    if (type_t != NULL) {
        ctx->meta_type.name = nm[2];
        ctx->meta_type.type = &type_t->ref;
        ctx->meta_type.args = &ctx->meta_type_arg;
        ctx->meta_type.arg_count = string != NULL ? 1 : 0;
    }
}

const gqlx_field_decl *gqlx_vctx_get_field(gqlx_vctx *ctx, const gqlx_type *parent,
                                           gqlx_slice name)
{
    if (parent == NULL)
        return NULL;
    if (name.len >= 6 && name.ptr[0] == '_' && name.ptr[1] == '_') {
        int which = gqlx_slice_eq_cstr(name, "__typename")  ? 0
                    : gqlx_slice_eq_cstr(name, "__schema") ? 1
                    : gqlx_slice_eq_cstr(name, "__type")   ? 2
                                                           : -1;
        if (which >= 0) {
            if (!ctx->meta_ready)
                build_meta(ctx);
            const gqlx_field_decl *f = which == 0   ? &ctx->meta_typename
                                       : which == 1 ? &ctx->meta_schema
                                                    : &ctx->meta_type;
            if (which > 0 && parent != ctx->schema->query)
                return NULL;
            return f->name != NULL ? f : NULL;
        }
    }
    if (parent->kind != GQLX_TYPE_OBJECT && parent->kind != GQLX_TYPE_INTERFACE)
        return NULL;
    return gqlx_type_field(parent, name.ptr, name.len);
}

const gqlx_fragment_def *gqlx_vctx_fragment(const gqlx_vctx *ctx, gqlx_slice name)
{
    return gqlx_vmap_get(&ctx->fragments, name);
}

const gqlx_directive_def *gqlx_vctx_doc_directive(const gqlx_vctx *ctx, gqlx_slice name)
{
    return gqlx_vmap_get(&ctx->doc_directives, name);
}

/* ---- fragment spreads, referenced fragments, variable usages ------------ */

typedef struct spread_vec {
    const gqlx_fragment_spread **items;
    size_t count, cap;
} spread_vec;

/* graphql-js walks selection sets with a stack: a set's own spreads first,
 * then its nested sets last-to-first, each fully before the next. */
static void collect_spreads(gqlx_vctx *ctx, const gqlx_selection_set *set, spread_vec *v)
{
    const gqlx_node_list *sel = &set->selections;
    for (uint32_t i = 0; i < sel->count; i++) {
        if (sel->items[i]->kind == GQLX_KIND_FRAGMENT_SPREAD) {
            if (!gqlx_arena_grow(ctx->arena, (void **)&v->items, &v->cap, v->count + 1, sizeof(void *),
                      v->count))
                return;
            v->items[v->count++] = GQLX_AS_CONST(gqlx_fragment_spread, sel->items[i]);
        }
    }
    for (uint32_t i = sel->count; i-- > 0;) {
        const gqlx_node *s = sel->items[i];
        const gqlx_selection_set *child = NULL;
        if (s->kind == GQLX_KIND_FIELD)
            child = GQLX_AS_CONST(gqlx_field, s)->selection_set;
        else if (s->kind == GQLX_KIND_INLINE_FRAGMENT)
            child = GQLX_AS_CONST(gqlx_inline_fragment, s)->selection_set;
        if (child != NULL)
            collect_spreads(ctx, child, v);
    }
}

/* Index of the top-level definition whose selection set is `set`, or -1.
 * The map is keyed by the bytes of the pointer, stored in ctx->set_ptrs. */
static long def_of_set(const gqlx_vctx *ctx, const gqlx_selection_set *set)
{
    uintptr_t v = (uintptr_t)gqlx_vmap_get(&ctx->set_index,
                                           gqlx_slice_make((const char *)&set, sizeof set));
    return v == 0 ? -1 : (long)(v - 1);
}

static long def_index_of_fragment(const gqlx_vctx *ctx, gqlx_slice name)
{
    uintptr_t v = (uintptr_t)gqlx_vmap_get(&ctx->fragment_index, name);
    return v == 0 ? -1 : (long)(v - 1);
}

static size_t spreads_of_def(gqlx_vctx *ctx, uint32_t di, const gqlx_selection_set *set,
                             const gqlx_fragment_spread *const **out)
{
    def_info *d = &ctx->defs[di];
    if (!d->spreads_done) {
        spread_vec v = {0};
        if (set != NULL)
            collect_spreads(ctx, set, &v);
        d->spreads = (const gqlx_fragment_spread *const *)v.items;
        d->spread_count = v.count;
        d->spreads_done = true;
    }
    *out = d->spreads;
    return d->spread_count;
}

size_t gqlx_vctx_fragment_spreads(gqlx_vctx *ctx, const gqlx_selection_set *set,
                                  const gqlx_fragment_spread *const **out)
{
    long di = def_of_set(ctx, set);
    if (di >= 0)
        return spreads_of_def(ctx, (uint32_t)di, set, out);
    spread_vec v = {0};
    collect_spreads(ctx, set, &v);
    *out = (const gqlx_fragment_spread *const *)v.items;
    return v.count;
}

/* The fragments that the operations reference directly or through other
 * fragments, in graphql-js's order, and their indexes in ctx->defs (each
 * found by name once here, so that the callers need no more lookups). */
static size_t collect_referenced(gqlx_vctx *ctx, const gqlx_operation_def *const *ops, size_t n,
                                 const gqlx_fragment_def *const **out, const uint32_t **out_idx)
{
    *out = NULL;
    *out_idx = NULL;
    /* Fragments in first-seen order, as graphql-js's Set of names gives
     * them (an unknown name takes no place: it has no fragment). A
     * definition is seen in this call when its stamp is this call's. */
    uint32_t ndefs = ctx->doc->definitions.count;
    if (ctx->ref_stamp == NULL) {
        ctx->ref_stamp = GQLX_ARRAY(ctx->arena, uint32_t, ndefs + 1);
        if (ctx->ref_stamp == NULL)
            return 0;
        memset(ctx->ref_stamp, 0, sizeof *ctx->ref_stamp * (ndefs + 1));
    }
    uint32_t call = ++ctx->ref_call;
    size_t fcount = 0;
    for (size_t k = 0, i = 0; k < n || i < fcount;) {
        const gqlx_fragment_spread *const *sp;
        size_t ns;
        if (k < n) {
            const gqlx_selection_set *set = ops[k++]->selection_set;
            ns = set != NULL ? gqlx_vctx_fragment_spreads(ctx, set, &sp) : 0;
        } else {
            uint32_t di = ctx->ref_idx[i];
            ns = spreads_of_def(ctx, di, ctx->ref_frags[i]->selection_set, &sp);
            i++;
        }
        for (size_t j = 0; j < ns; j++) {
            long di = def_index_of_fragment(ctx, sp[j]->name);
            if (di < 0 || ctx->ref_stamp[di] == call)
                continue;
            ctx->ref_stamp[di] = call;
            if (!gqlx_arena_grow(ctx->arena, (void **)&ctx->ref_frags, &ctx->ref_frags_cap,
                                 fcount + 1, sizeof *ctx->ref_frags, fcount) ||
                !gqlx_arena_grow(ctx->arena, (void **)&ctx->ref_idx, &ctx->ref_idx_cap,
                                 fcount + 1, sizeof *ctx->ref_idx, fcount))
                return 0;
            ctx->ref_frags[fcount] =
                GQLX_AS_CONST(gqlx_fragment_def, ctx->doc->definitions.items[di]);
            ctx->ref_idx[fcount++] = (uint32_t)di;
        }
    }
    /* The caller may keep the answer: give it exact-size copies. */
    if (fcount == 0)
        return 0;
    const gqlx_fragment_def **frags =
        gqlx_arena_memdup(ctx->arena, ctx->ref_frags, fcount * sizeof *frags);
    uint32_t *idx = gqlx_arena_memdup(ctx->arena, ctx->ref_idx, fcount * sizeof *idx);
    if (frags == NULL || idx == NULL)
        return 0;
    *out = frags;
    *out_idx = idx;
    return fcount;
}

/* collect_referenced for one operation, kept: the variable rules ask
 * several times per operation and the answer depends on the document
 * only. NULL when the operation is not one of the document's. */
static def_info *operation_refs(gqlx_vctx *ctx, const gqlx_operation_def *op)
{
    long oi = def_of_set(ctx, op->selection_set);
    if (oi < 0)
        return NULL;
    def_info *d = &ctx->defs[oi];
    if (!d->refs_done) {
        d->ref_count = collect_referenced(ctx, &op, 1, &d->refs, &d->ref_defs);
        d->refs_done = true;
    }
    return d;
}

size_t gqlx_vctx_referenced_fragments(gqlx_vctx *ctx, const gqlx_operation_def *const *ops,
                                      size_t n, const gqlx_fragment_def *const **out)
{
    const uint32_t *idx;
    def_info *d = n == 1 ? operation_refs(ctx, ops[0]) : NULL;
    if (d == NULL)
        return collect_referenced(ctx, ops, n, out, &idx);
    *out = d->refs;
    return d->ref_count;
}

bool gqlx_vctx_usages_ready(gqlx_vctx *ctx, const gqlx_operation_def *op)
{
    const def_info *d = operation_refs(ctx, op);
    if (d == NULL)
        return true; /* not in the document: nothing to wait for */
    for (size_t i = 0; i < d->ref_count; i++)
        if (!ctx->defs[d->ref_defs[i]].walked)
            return false;
    return true;
}

size_t gqlx_vctx_recursive_usages(gqlx_vctx *ctx, const gqlx_operation_def *op,
                                  const gqlx_var_usage *const **out)
{
    *out = NULL;
    def_info *od = operation_refs(ctx, op);
    if (od == NULL)
        return 0;
    if (od->rec_done) {
        *out = od->rec_usages;
        return od->rec_usage_count;
    }
    size_t total = od->usage_count;
    bool ready = true;
    for (size_t i = 0; i < od->ref_count; i++) {
        const def_info *fd = &ctx->defs[od->ref_defs[i]];
        total += fd->usage_count;
        ready = ready && fd->walked;
    }
    const gqlx_var_usage **list = total ? GQLX_ARRAY(ctx->arena, const gqlx_var_usage *, total)
                                        : NULL;
    if (total && list == NULL)
        return 0;
    size_t k = 0;
    for (uint32_t i = 0; i < od->usage_count; i++)
        list[k++] = ctx->usages[od->usage_start + i];
    for (size_t i = 0; i < od->ref_count; i++) {
        const def_info *fd = &ctx->defs[od->ref_defs[i]];
        for (uint32_t j = 0; j < fd->usage_count; j++)
            list[k++] = ctx->usages[fd->usage_start + j];
    }
    /* Only cache a complete answer. */
    if (ready) {
        od->rec_usages = list;
        od->rec_usage_count = k;
        od->rec_done = true;
    }
    *out = list;
    return k;
}

/* ---- errors ------------------------------------------------------------- */

gqlx_buf *gqlx_vctx_msg(gqlx_vctx *ctx)
{
    gqlx_buf_clear(&ctx->msg);
    return &ctx->msg;
}

void gqlx_vctx_print(gqlx_vctx *ctx, gqlx_buf *msg, const gqlx_node *node)
{
    gqlx_print(msg, node, ctx->arena);
}

void gqlx_vctx_hold(gqlx_vctx *ctx, uint32_t event)
{
    if (!gqlx_arena_grow(ctx->arena, (void **)&ctx->holds, &ctx->hold_cap, ctx->hold_count + 1,
              sizeof *ctx->holds, ctx->hold_count))
        return;
    ctx->holds[ctx->hold_count++] = event;
}

void gqlx_vctx_release(gqlx_vctx *ctx, uint32_t event)
{
    for (size_t i = 0; i < ctx->hold_count; i++) {
        if (ctx->holds[i] == event) {
            ctx->holds[i] = ctx->holds[--ctx->hold_count];
            return;
        }
    }
}

/* The smallest walk position still held by a rule, or UINT32_MAX. */
static uint32_t hold_frontier(const gqlx_vctx *ctx)
{
    uint32_t frontier = UINT32_MAX;
    for (size_t i = 0; i < ctx->hold_count; i++)
        if (ctx->holds[i] < frontier)
            frontier = ctx->holds[i];
    return frontier;
}

/* Stops the walk once more than max_errors errors are known to come first:
 * those sorting before every held position. */
static void check_limit(gqlx_vctx *ctx)
{
    if (ctx->error_count <= ctx->max_errors)
        return;
    if (ctx->error_count >= HARD_ERROR_CAP(ctx->max_errors)) {
        ctx->aborted = true;
        return;
    }
    uint32_t frontier = hold_frontier(ctx);
    size_t before = 0;
    if (frontier == UINT32_MAX) {
        before = ctx->error_count;
    } else {
        for (size_t i = 0; i < ctx->error_count; i++)
            before += ctx->errors[i].event < frontier;
    }
    if (before > ctx->max_errors)
        ctx->aborted = true;
}

void gqlx_vctx_abort(gqlx_vctx *ctx, const char *message)
{
    if (ctx->abort_message == NULL)
        ctx->abort_message = message;
    ctx->aborted = true;
}

/* How many kept errors sort before one the current rule reports at event:
 * earlier positions, or the same position from this or an earlier rule. */
static size_t errors_before(const gqlx_vctx *ctx, uint32_t event)
{
    size_t before = 0;
    for (size_t i = 0; i < ctx->error_count; i++) {
        const pending_error *e = &ctx->errors[i];
        before += e->event < event || (e->event == event && e->rule <= ctx->cur_rule);
    }
    return before;
}

bool gqlx_vctx_can_report(const gqlx_vctx *ctx)
{
    return !ctx->aborted && errors_before(ctx, ctx->event) < ctx->max_errors;
}

void gqlx_vctx_report_at(gqlx_vctx *ctx, uint32_t event, const uint32_t *offsets, size_t n)
{
    if (ctx->aborted)
        return;
    /* An error with max_errors kept errors before it can never be among
     * the errors returned, whatever comes later: keep only its count, so
     * that a document full of errors costs neither memory nor time (its
     * message is not even copied). Once such an error lies before every
     * held position, graphql-js would have stopped: stop too. */
    if (errors_before(ctx, event) >= ctx->max_errors) {
        ctx->dropped++;
        if (event < hold_frontier(ctx))
            ctx->aborted = true;
        return;
    }
    if (!gqlx_arena_grow(ctx->arena, (void **)&ctx->errors, &ctx->error_cap, ctx->error_count + 1,
              sizeof *ctx->errors, ctx->error_count) ||
        ctx->msg.failed) {
        ctx->arena->failed = true;
        ctx->aborted = true;
        return;
    }
    pending_error *e = &ctx->errors[ctx->error_count];
    e->event = event;
    e->rule = ctx->cur_rule;
    e->seq = ctx->seq++;
    e->n = (uint32_t)n;
    e->msg = gqlx_arena_strndup(ctx->arena, ctx->msg.data ? ctx->msg.data : "", ctx->msg.len);
    uint32_t *offs = n ? GQLX_ARRAY(ctx->arena, uint32_t, n) : NULL;
    if (offs != NULL)
        memcpy(offs, offsets, n * sizeof *offsets);
    e->offsets = offs;
    if (e->msg == NULL || (n && offs == NULL)) {
        ctx->aborted = true;
        return;
    }
    ctx->error_count++;
    check_limit(ctx);
}

void gqlx_vctx_report(gqlx_vctx *ctx, const uint32_t *offsets, size_t n)
{
    gqlx_vctx_report_at(ctx, ctx->event, offsets, n);
}

static int cmp_errors(const void *a, const void *b)
{
    const pending_error *x = a, *y = b;
    if (x->event != y->event)
        return x->event < y->event ? -1 : 1;
    if (x->rule != y->rule)
        return x->rule < y->rule ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* ---- dispatch ------------------------------------------------------------- */

static void enter(gqlx_vctx *ctx, const gqlx_node *node)
{
    ctx->event++;
    if (ctx->aborted)
        return;
    const rule_list *l = &ctx->enter[node->kind];
    for (uint16_t i = 0; i < l->count; i++) {
        uint16_t r = l->items[i];
        if (ctx->skipping[r] != NULL)
            continue;
        ctx->cur_rule = r;
        if (ctx->rules[r]->enter[node->kind](ctx, node, ctx->states[r]) == GQLX_VISIT_SKIP) {
            ctx->skipping[r] = node;
            ctx->skip_active++;
        }
    }
}

static void leave(gqlx_vctx *ctx, const gqlx_node *node)
{
    ctx->event++;
    if (ctx->aborted)
        return;
    const rule_list *l = &ctx->leave[node->kind];
    for (uint16_t i = 0; i < l->count; i++) {
        uint16_t r = l->items[i];
        if (ctx->skipping[r] != NULL)
            continue;
        ctx->cur_rule = r;
        ctx->rules[r]->leave[node->kind](ctx, node, ctx->states[r]);
    }
    if (ctx->skip_active) {
        for (size_t r = 0; r < ctx->rule_count; r++) {
            if (ctx->skipping[r] == node) {
                ctx->skipping[r] = NULL;
                ctx->skip_active--;
            }
        }
    }
}

/* ---- the walk ------------------------------------------------------------- */

static void walk_value(gqlx_vctx *ctx, const gqlx_node *v);

static void walk_type(gqlx_vctx *ctx, const gqlx_node *t)
{
    if (t == NULL || ctx->aborted)
        return;
    enter(ctx, t);
    if (t->kind != GQLX_KIND_NAMED_TYPE)
        walk_type(ctx, GQLX_AS_CONST(gqlx_wrapper_type, t)->type);
    leave(ctx, t);
}

static void push_input(gqlx_vctx *ctx, const gqlx_type_ref *t)
{
    ctx->ti.parent_input_type = ctx->ti.input_type;
    ctx->ti.input_type = t;
}

static void walk_argument(gqlx_vctx *ctx, const gqlx_argument *a)
{
    if (ctx->aborted)
        return;
    type_info saved = ctx->ti;
    const gqlx_input_value *def = NULL;
    if (ctx->ti.directive != NULL) {
        const gqlx_directive_decl *d = ctx->ti.directive;
        for (uint32_t i = 0; i < d->arg_count; i++)
            if (d->args[i].name->len == a->name.len &&
                memcmp(d->args[i].name->str, a->name.ptr, a->name.len) == 0) {
                def = &d->args[i];
                break;
            }
    } else if (ctx->ti.field_def != NULL) {
        def = gqlx_field_arg(ctx->ti.field_def, a->name.ptr, a->name.len);
    }
    ctx->ti.argument = def;
    ctx->ti.default_value = def ? def->default_value : NULL;
    ctx->ti.has_default = def != NULL && def->default_value != NULL;
    push_input(ctx, def ? def->type : NULL);
    enter(ctx, &a->base);
    walk_value(ctx, a->value);
    leave(ctx, &a->base);
    ctx->ti = saved;
}

static void walk_directives(gqlx_vctx *ctx, const gqlx_directive_list *list, int location)
{
    for (uint32_t i = 0; i < list->count && !ctx->aborted; i++) {
        const gqlx_directive *d = list->items[i];
        type_info saved = ctx->ti;
        ctx->ti.directive = gqlx_schema_directive(ctx->schema, d->name.ptr, d->name.len);
        ctx->ti.dir_location = location;
        enter(ctx, &d->base);
        for (uint32_t j = 0; j < d->arguments.count; j++)
            walk_argument(ctx, d->arguments.items[j]);
        leave(ctx, &d->base);
        ctx->ti = saved;
    }
}

static void record_usage(gqlx_vctx *ctx, const gqlx_variable *v)
{
    gqlx_var_usage *u = GQLX_NEW(ctx->arena, gqlx_var_usage);
    if (u == NULL ||
        !gqlx_arena_grow(ctx->arena, (void **)&ctx->usages, &ctx->usage_cap, ctx->usage_count + 1,
              sizeof *ctx->usages, ctx->usage_count)) {
        ctx->aborted = true;
        return;
    }
    u->node = v;
    u->type = ctx->ti.input_type;
    u->parent_type = ctx->ti.parent_input_type;
    u->default_value = ctx->ti.default_value;
    u->has_default = ctx->ti.has_default;
    ctx->usages[ctx->usage_count++] = u;
    ctx->defs[ctx->cur_def].usage_count++;
}

static void walk_value(gqlx_vctx *ctx, const gqlx_node *v)
{
    if (v == NULL || ctx->aborted)
        return;
    switch (v->kind) {
    case GQLX_KIND_VARIABLE:
        if (!ctx->in_var_def)
            record_usage(ctx, GQLX_AS_CONST(gqlx_variable, v));
        enter(ctx, v);
        leave(ctx, v);
        return;
    case GQLX_KIND_LIST_VALUE: {
        type_info saved = ctx->ti;
        const gqlx_type_ref *t = ctx->ti.input_type;
        if (t != NULL && t->wrap == GQLX_WRAP_NON_NULL)
            t = t->of;
        ctx->ti.default_value = NULL;
        ctx->ti.has_default = false;
        push_input(ctx, t != NULL && t->wrap == GQLX_WRAP_LIST ? t->of : NULL);
        enter(ctx, v);
        const gqlx_list_value *l = GQLX_AS_CONST(gqlx_list_value, v);
        for (uint32_t i = 0; i < l->values.count; i++)
            walk_value(ctx, l->values.items[i]);
        leave(ctx, v);
        ctx->ti = saved;
        return;
    }
    case GQLX_KIND_OBJECT_VALUE: {
        enter(ctx, v);
        const gqlx_object_value *o = GQLX_AS_CONST(gqlx_object_value, v);
        const gqlx_type *named = ctx->ti.input_type ? ctx->ti.input_type->named : NULL;
        for (uint32_t i = 0; i < o->fields.count && !ctx->aborted; i++) {
            const gqlx_object_field *f = o->fields.items[i];
            type_info saved = ctx->ti;
            const gqlx_input_value *fd = NULL;
            if (named != NULL && named->kind == GQLX_TYPE_INPUT_OBJECT)
                fd = gqlx_type_input_field(named, f->name.ptr, f->name.len);
            ctx->ti.default_value = fd ? fd->default_value : NULL;
            ctx->ti.has_default = fd != NULL && fd->default_value != NULL;
            push_input(ctx, fd ? fd->type : NULL);
            enter(ctx, &f->base);
            walk_value(ctx, f->value);
            leave(ctx, &f->base);
            ctx->ti = saved;
        }
        leave(ctx, v);
        return;
    }
    default:
        enter(ctx, v);
        leave(ctx, v);
        return;
    }
}

static void walk_selection_set(gqlx_vctx *ctx, const gqlx_selection_set *set);

static void walk_field(gqlx_vctx *ctx, const gqlx_field *f)
{
    type_info saved = ctx->ti;
    const gqlx_field_decl *fd = gqlx_vctx_get_field(ctx, ctx->ti.parent_type, f->name);
    ctx->ti.field_def = fd;
    ctx->ti.type = fd != NULL && gqlx_type_ref_is_output(fd->type) ? fd->type : NULL;
    enter(ctx, &f->base);
    for (uint32_t i = 0; i < f->arguments.count; i++)
        walk_argument(ctx, f->arguments.items[i]);
    walk_directives(ctx, &f->directives, GQLX_LOC_FIELD);
    if (f->selection_set != NULL)
        walk_selection_set(ctx, f->selection_set);
    leave(ctx, &f->base);
    ctx->ti = saved;
}

static const gqlx_type_ref *output_or_null(const gqlx_type *t)
{
    return t != NULL && t->kind != GQLX_TYPE_INPUT_OBJECT ? &t->ref : NULL;
}

static void walk_inline_fragment(gqlx_vctx *ctx, const gqlx_inline_fragment *f)
{
    type_info saved = ctx->ti;
    const gqlx_type *t;
    if (f->type_condition != NULL)
        t = gqlx_vctx_lookup_type(ctx, f->type_condition->name);
    else
        t = ctx->ti.type ? ctx->ti.type->named : NULL;
    ctx->ti.type = output_or_null(t);
    enter(ctx, &f->base);
    if (f->type_condition != NULL)
        walk_type(ctx, &f->type_condition->base);
    walk_directives(ctx, &f->directives, GQLX_LOC_INLINE_FRAGMENT);
    if (f->selection_set != NULL)
        walk_selection_set(ctx, f->selection_set);
    leave(ctx, &f->base);
    ctx->ti = saved;
}

static void walk_selection_set(gqlx_vctx *ctx, const gqlx_selection_set *set)
{
    if (ctx->aborted)
        return;
    type_info saved = ctx->ti;
    const gqlx_type *named = ctx->ti.type ? ctx->ti.type->named : NULL;
    ctx->ti.parent_type = named != NULL && gqlx_type_is_composite(named) ? named : NULL;
    enter(ctx, &set->base);
    for (uint32_t i = 0; i < set->selections.count && !ctx->aborted; i++) {
        const gqlx_node *s = set->selections.items[i];
        if (s->kind == GQLX_KIND_FIELD) {
            walk_field(ctx, GQLX_AS_CONST(gqlx_field, s));
        } else if (s->kind == GQLX_KIND_INLINE_FRAGMENT) {
            walk_inline_fragment(ctx, GQLX_AS_CONST(gqlx_inline_fragment, s));
        } else {
            const gqlx_fragment_spread *sp = GQLX_AS_CONST(gqlx_fragment_spread, s);
            enter(ctx, s);
            walk_directives(ctx, &sp->directives, GQLX_LOC_FRAGMENT_SPREAD);
            leave(ctx, s);
        }
    }
    leave(ctx, &set->base);
    ctx->ti = saved;
}

static void walk_operation(gqlx_vctx *ctx, const gqlx_operation_def *op)
{
    type_info saved = ctx->ti;
    const gqlx_type *root = op->operation == GQLX_OP_QUERY      ? ctx->schema->query
                            : op->operation == GQLX_OP_MUTATION ? ctx->schema->mutation
                                                                : ctx->schema->subscription;
    ctx->ti.type = root ? &root->ref : NULL;
    enter(ctx, &op->base);
    for (uint32_t i = 0; i < op->variable_definitions.count && !ctx->aborted; i++) {
        const gqlx_variable_def *vd = op->variable_definitions.items[i];
        type_info vsaved = ctx->ti;
        const gqlx_type_ref *t = gqlx_vctx_type_from_ast(ctx, vd->type);
        push_input(ctx, t != NULL && gqlx_type_ref_is_input(t) ? t : NULL);
        ctx->in_var_def = true;
        enter(ctx, &vd->base);
        walk_value(ctx, &vd->variable->base);
        walk_type(ctx, vd->type);
        walk_value(ctx, vd->default_value);
        walk_directives(ctx, &vd->directives, GQLX_LOC_VARIABLE_DEFINITION);
        leave(ctx, &vd->base);
        ctx->in_var_def = false;
        ctx->ti = vsaved;
    }
    walk_directives(ctx, &op->directives,
                    op->operation == GQLX_OP_QUERY      ? GQLX_LOC_QUERY
                    : op->operation == GQLX_OP_MUTATION ? GQLX_LOC_MUTATION
                                                        : GQLX_LOC_SUBSCRIPTION);
    if (op->selection_set != NULL && !ctx->aborted)
        walk_selection_set(ctx, op->selection_set);
    if (!ctx->aborted)
        leave(ctx, &op->base);
    ctx->ti = saved;
}

static void walk_fragment(gqlx_vctx *ctx, const gqlx_fragment_def *f)
{
    type_info saved = ctx->ti;
    ctx->ti.type = output_or_null(
        f->type_condition ? gqlx_vctx_lookup_type(ctx, f->type_condition->name) : NULL);
    enter(ctx, &f->base);
    if (f->type_condition != NULL)
        walk_type(ctx, &f->type_condition->base);
    walk_directives(ctx, &f->directives, GQLX_LOC_FRAGMENT_DEFINITION);
    if (f->selection_set != NULL)
        walk_selection_set(ctx, f->selection_set);
    if (!ctx->aborted)
        leave(ctx, &f->base);
    ctx->ti = saved;
}

/* Type-system definitions are not executable (ExecutableDefinitions says
 * so), but graphql-js still visits them with every rule: named types,
 * directives and their arguments matter to KnownTypeNames, KnownDirectives
 * and the argument rules. */
static void walk_input_values(gqlx_vctx *ctx, const gqlx_input_value_def_list *l, int location)
{
    for (uint32_t i = 0; i < l->count && !ctx->aborted; i++) {
        const gqlx_input_value_def *iv = l->items[i];
        enter(ctx, &iv->base);
        walk_type(ctx, iv->type);
        walk_value(ctx, iv->default_value);
        walk_directives(ctx, &iv->directives, location);
        leave(ctx, &iv->base);
    }
}

static void walk_named_types(gqlx_vctx *ctx, const gqlx_named_type_list *l)
{
    for (uint32_t i = 0; i < l->count; i++)
        walk_type(ctx, &l->items[i]->base);
}

static void walk_sdl(gqlx_vctx *ctx, const gqlx_node *d)
{
    enter(ctx, d);
    switch (d->kind) {
    case GQLX_KIND_SCHEMA_DEFINITION:
    case GQLX_KIND_SCHEMA_EXTENSION: {
        const gqlx_schema_def *s = GQLX_AS_CONST(gqlx_schema_def, d);
        walk_directives(ctx, &s->directives, GQLX_LOC_SCHEMA);
        for (uint32_t i = 0; i < s->operation_types.count && !ctx->aborted; i++) {
            const gqlx_operation_type_def *o = s->operation_types.items[i];
            enter(ctx, &o->base);
            walk_type(ctx, &o->type->base);
            leave(ctx, &o->base);
        }
        break;
    }
    case GQLX_KIND_SCALAR_TYPE_DEFINITION:
    case GQLX_KIND_SCALAR_TYPE_EXTENSION:
        walk_directives(ctx, &GQLX_AS_CONST(gqlx_scalar_type_def, d)->directives,
                        GQLX_LOC_SCALAR);
        break;
    case GQLX_KIND_OBJECT_TYPE_DEFINITION:
    case GQLX_KIND_OBJECT_TYPE_EXTENSION:
    case GQLX_KIND_INTERFACE_TYPE_DEFINITION:
    case GQLX_KIND_INTERFACE_TYPE_EXTENSION: {
        const gqlx_object_type_def *o = GQLX_AS_CONST(gqlx_object_type_def, d);
        walk_named_types(ctx, &o->interfaces);
        bool obj = d->kind == GQLX_KIND_OBJECT_TYPE_DEFINITION ||
                   d->kind == GQLX_KIND_OBJECT_TYPE_EXTENSION;
        walk_directives(ctx, &o->directives, obj ? GQLX_LOC_OBJECT : GQLX_LOC_INTERFACE);
        for (uint32_t i = 0; i < o->fields.count && !ctx->aborted; i++) {
            const gqlx_field_def *f = o->fields.items[i];
            enter(ctx, &f->base);
            walk_input_values(ctx, &f->arguments, GQLX_LOC_ARGUMENT_DEFINITION);
            walk_type(ctx, f->type);
            walk_directives(ctx, &f->directives, GQLX_LOC_FIELD_DEFINITION);
            leave(ctx, &f->base);
        }
        break;
    }
    case GQLX_KIND_UNION_TYPE_DEFINITION:
    case GQLX_KIND_UNION_TYPE_EXTENSION: {
        const gqlx_union_type_def *u = GQLX_AS_CONST(gqlx_union_type_def, d);
        walk_directives(ctx, &u->directives, GQLX_LOC_UNION);
        walk_named_types(ctx, &u->types);
        break;
    }
    case GQLX_KIND_ENUM_TYPE_DEFINITION:
    case GQLX_KIND_ENUM_TYPE_EXTENSION: {
        const gqlx_enum_type_def *e = GQLX_AS_CONST(gqlx_enum_type_def, d);
        walk_directives(ctx, &e->directives, GQLX_LOC_ENUM);
        for (uint32_t i = 0; i < e->values.count && !ctx->aborted; i++) {
            const gqlx_enum_value_def *v = e->values.items[i];
            enter(ctx, &v->base);
            walk_directives(ctx, &v->directives, GQLX_LOC_ENUM_VALUE);
            leave(ctx, &v->base);
        }
        break;
    }
    case GQLX_KIND_INPUT_OBJECT_TYPE_DEFINITION:
    case GQLX_KIND_INPUT_OBJECT_TYPE_EXTENSION: {
        const gqlx_input_object_type_def *io = GQLX_AS_CONST(gqlx_input_object_type_def, d);
        walk_directives(ctx, &io->directives, GQLX_LOC_INPUT_OBJECT);
        walk_input_values(ctx, &io->fields, GQLX_LOC_INPUT_FIELD_DEFINITION);
        break;
    }
    case GQLX_KIND_DIRECTIVE_DEFINITION:
    case GQLX_KIND_DIRECTIVE_EXTENSION: {
        const gqlx_directive_def *dd = GQLX_AS_CONST(gqlx_directive_def, d);
        walk_input_values(ctx, &dd->arguments, GQLX_LOC_ARGUMENT_DEFINITION);
        walk_directives(ctx, &dd->directives, GQLX_LOC_DIRECTIVE_DEFINITION);
        break;
    }
    default:
        break;
    }
    if (!ctx->aborted)
        leave(ctx, d);
}

/* ---- dispatch tables ------------------------------------------------------ */

static const gqlx_rule *const builtin_rules[] = {
#define GQLX_RULE(id, file, js_name, specified) &gqlx_rule_##file,
#include "validation/rules.def"
#undef GQLX_RULE
};

static const bool builtin_specified[] = {
#define GQLX_RULE(id, file, js_name, specified) (specified) != 0,
#include "validation/rules.def"
#undef GQLX_RULE
};

uint64_t gqlx_specified_rules_mask(void)
{
    uint64_t m = 0;
    for (size_t i = 0; i < GQLX_RULE_COUNT; i++)
        if (builtin_specified[i])
            m |= UINT64_C(1) << i;
    return m;
}

void gqlx_validate_opts_init(gqlx_validate_opts *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->max_errors = 100;
    opts->rules = gqlx_specified_rules_mask();
    opts->allow_empty_selection_sets = true;
}

/* Builds per-kind lists of the rules with a callback for that kind. */
static bool build_tables(gqlx_arena *a, const gqlx_rule *const *rules, size_t n,
                         rule_list *enter_t, rule_list *leave_t)
{
    uint16_t counts[2][GQLX_KIND_COUNT] = {{0}};
    for (size_t r = 0; r < n; r++)
        for (int k = 0; k < GQLX_KIND_COUNT; k++) {
            counts[0][k] = (uint16_t)(counts[0][k] + (rules[r]->enter[k] != NULL));
            counts[1][k] = (uint16_t)(counts[1][k] + (rules[r]->leave[k] != NULL));
        }
    for (int k = 0; k < GQLX_KIND_COUNT; k++) {
        enter_t[k].items = counts[0][k] ? GQLX_ARRAY(a, uint16_t, counts[0][k]) : NULL;
        leave_t[k].items = counts[1][k] ? GQLX_ARRAY(a, uint16_t, counts[1][k]) : NULL;
        if ((counts[0][k] && !enter_t[k].items) || (counts[1][k] && !leave_t[k].items))
            return false;
        enter_t[k].count = leave_t[k].count = 0;
    }
    for (size_t r = 0; r < n; r++)
        for (int k = 0; k < GQLX_KIND_COUNT; k++) {
            if (rules[r]->enter[k] != NULL)
                enter_t[k].items[enter_t[k].count++] = (uint16_t)r;
            if (rules[r]->leave[k] != NULL)
                leave_t[k].items[leave_t[k].count++] = (uint16_t)r;
        }
    return true;
}

/* The tables of the default rule set are built once per process. */
static gqlx_arena default_arena;
static rule_list default_enter[GQLX_KIND_COUNT], default_leave[GQLX_KIND_COUNT];
static const gqlx_rule *default_rules[GQLX_RULE_COUNT];
static size_t default_rule_count;
static bool default_ok;
static pthread_once_t default_once = PTHREAD_ONCE_INIT;

static void build_default_tables(void)
{
    gqlx_arena_init(&default_arena, 4096, 0);
    uint64_t mask = gqlx_specified_rules_mask();
    for (size_t i = 0; i < GQLX_RULE_COUNT; i++)
        if (mask & (UINT64_C(1) << i))
            default_rules[default_rule_count++] = builtin_rules[i];
    default_ok = build_tables(&default_arena, default_rules, default_rule_count, default_enter,
                              default_leave);
}

/* ---- entry point ------------------------------------------------------- */

static void emit_errors(gqlx_vctx *ctx, gql_errors *errs, size_t *count)
{
    if (ctx->error_count > 1)
        qsort(ctx->errors, ctx->error_count, sizeof *ctx->errors, cmp_errors);
    size_t n = ctx->error_count > ctx->max_errors ? ctx->max_errors : ctx->error_count;
    *count = n;
    if (errs == NULL) {
        if (ctx->error_count + ctx->dropped > ctx->max_errors || ctx->abort_message != NULL)
            (*count)++;
        return;
    }
    gqlx_vreport rep;
    gqlx_vreport_init(&rep, ctx->src, ctx->arena, errs);
    for (size_t i = 0; i < n; i++) {
        gqlx_buf *b = gqlx_vreport_begin(&rep);
        gqlx_buf_append_cstr(b, ctx->errors[i].msg);
        gqlx_vreport_emit(&rep, ctx->errors[i].offsets, ctx->errors[i].n);
    }
    if (ctx->error_count + ctx->dropped > ctx->max_errors) {
        gqlx_buf *b = gqlx_vreport_begin(&rep);
        gqlx_buf_append_cstr(b,
                             "Too many validation errors, error limit reached. Validation aborted.");
        gqlx_vreport_emit(&rep, NULL, 0);
        (*count)++;
    } else if (ctx->abort_message != NULL) {
        /* A rule gave up (graphql-js's validationAbortedError): its error
         * comes last, even past the error limit. */
        gqlx_buf *b = gqlx_vreport_begin(&rep);
        gqlx_buf_append_cstr(b, ctx->abort_message);
        gqlx_vreport_emit(&rep, NULL, 0);
        (*count)++;
    }
    if (rep.failed)
        ctx->arena->failed = true;
    gqlx_vreport_free(&rep);
}

size_t gqlx_validate(const gqlx_schema *schema, const gqlx_document *doc, const gqlx_source *src,
                     const gqlx_validate_opts *opts, gqlx_arena *scratch, gql_errors *errs)
{
    gqlx_validate_opts defaults;
    if (opts == NULL) {
        gqlx_validate_opts_init(&defaults);
        opts = &defaults;
    }
    if (schema == NULL || doc == NULL || src == NULL || scratch == NULL)
        return 0;
    gqlx_vctx *ctx = GQLX_NEW(scratch, gqlx_vctx);
    if (ctx == NULL)
        return 0;
    ctx->schema = schema;
    ctx->doc = doc;
    ctx->src = src;
    ctx->opts = opts;
    ctx->arena = scratch;
    ctx->max_errors = opts->max_errors ? opts->max_errors : 100;
    gqlx_buf_init(&ctx->msg, 0);

    /* The active rules and their dispatch tables. */
    uint64_t mask = opts->rules;
    if (opts->disable_introspection)
        mask |= GQLX_RULE_BIT(NO_SCHEMA_INTROSPECTION);
    if (mask == gqlx_specified_rules_mask() && opts->custom_rule_count == 0) {
        pthread_once(&default_once, build_default_tables);
        if (!default_ok)
            return 0;
        ctx->rules = default_rules;
        ctx->rule_count = default_rule_count;
        ctx->enter = default_enter;
        ctx->leave = default_leave;
    } else {
        size_t n = 0;
        const gqlx_rule **rules =
            GQLX_ARRAY(scratch, const gqlx_rule *, GQLX_RULE_COUNT + opts->custom_rule_count);
        rule_list *et = GQLX_ARRAY(scratch, rule_list, GQLX_KIND_COUNT);
        rule_list *lt = GQLX_ARRAY(scratch, rule_list, GQLX_KIND_COUNT);
        if (rules == NULL || et == NULL || lt == NULL)
            return 0;
        for (size_t i = 0; i < GQLX_RULE_COUNT; i++)
            if (mask & (UINT64_C(1) << i))
                rules[n++] = builtin_rules[i];
        for (size_t i = 0; i < opts->custom_rule_count; i++)
            if (opts->custom_rules[i] != NULL)
                rules[n++] = opts->custom_rules[i];
        if (!build_tables(scratch, rules, n, et, lt))
            return 0;
        ctx->rules = rules;
        ctx->rule_count = n;
        ctx->enter = et;
        ctx->leave = lt;
    }
    ctx->states = GQLX_ARRAY(scratch, void *, ctx->rule_count + 1);
    ctx->skipping = GQLX_ARRAY(scratch, const gqlx_node *, ctx->rule_count + 1);
    ctx->defs = GQLX_ARRAY(scratch, def_info, doc->definitions.count + 1);
    if (ctx->states == NULL || ctx->skipping == NULL || ctx->defs == NULL)
        return 0;
    memset(ctx->skipping, 0, sizeof *ctx->skipping * (ctx->rule_count + 1));
    memset(ctx->defs, 0, sizeof *ctx->defs * (doc->definitions.count + 1));

    /* Fragments and directive definitions by name, the last definition
     * winning as in graphql-js. */
    gqlx_vmap_init(&ctx->fragments, scratch);
    gqlx_vmap_init(&ctx->doc_directives, scratch);
    gqlx_vmap_init(&ctx->fragment_index, scratch);
    gqlx_vmap_init(&ctx->set_index, scratch);
    ctx->set_ptrs = GQLX_ARRAY(scratch, const gqlx_selection_set *, doc->definitions.count + 1);
    if (ctx->set_ptrs == NULL)
        return 0;
    for (uint32_t i = 0; i < doc->definitions.count; i++) {
        const gqlx_node *d = doc->definitions.items[i];
        const gqlx_selection_set *set = NULL;
        if (d->kind == GQLX_KIND_FRAGMENT_DEFINITION) {
            const gqlx_fragment_def *f = GQLX_AS_CONST(gqlx_fragment_def, d);
            gqlx_vmap_set(&ctx->fragments, f->name, f);
            gqlx_vmap_set(&ctx->fragment_index, f->name, (const void *)(uintptr_t)(i + 1));
            set = f->selection_set;
        } else if (d->kind == GQLX_KIND_OPERATION_DEFINITION) {
            set = GQLX_AS_CONST(gqlx_operation_def, d)->selection_set;
        } else if (d->kind == GQLX_KIND_DIRECTIVE_DEFINITION) {
            gqlx_vmap_set(&ctx->doc_directives, GQLX_AS_CONST(gqlx_directive_def, d)->name, d);
        }
        ctx->set_ptrs[i] = set;
        if (set != NULL)
            gqlx_vmap_set(&ctx->set_index,
                          gqlx_slice_make((const char *)&ctx->set_ptrs[i], sizeof set),
                          (const void *)(uintptr_t)(i + 1));
    }

    for (size_t r = 0; r < ctx->rule_count; r++) {
        size_t sz = ctx->rules[r]->state_size;
        ctx->states[r] = sz ? gqlx_arena_zalloc(scratch, sz, 16) : NULL;
        if (sz && ctx->states[r] == NULL)
            return 0;
    }
    for (size_t r = 0; r < ctx->rule_count; r++) {
        if (ctx->rules[r]->init != NULL) {
            ctx->cur_rule = (uint32_t)r;
            ctx->rules[r]->init(ctx, ctx->states[r]);
        }
    }

    /* The walk. */
    ctx->ti.dir_location = -1;
    enter(ctx, &doc->base);
    for (uint32_t i = 0; i < doc->definitions.count && !ctx->aborted; i++) {
        const gqlx_node *d = doc->definitions.items[i];
        ctx->cur_def = i;
        ctx->defs[i].usage_start = (uint32_t)ctx->usage_count;
        if (d->kind == GQLX_KIND_OPERATION_DEFINITION)
            walk_operation(ctx, GQLX_AS_CONST(gqlx_operation_def, d));
        else if (d->kind == GQLX_KIND_FRAGMENT_DEFINITION)
            walk_fragment(ctx, GQLX_AS_CONST(gqlx_fragment_def, d));
        else
            walk_sdl(ctx, d);
        ctx->defs[i].walked = true;
    }
    ctx->cur_def = doc->definitions.count;
    if (!ctx->aborted)
        leave(ctx, &doc->base);
    for (size_t r = 0; r < ctx->rule_count && !ctx->aborted; r++) {
        if (ctx->rules[r]->finish != NULL) {
            ctx->cur_rule = (uint32_t)r;
            ctx->rules[r]->finish(ctx, ctx->states[r]);
        }
    }
    size_t count = 0;
    emit_errors(ctx, errs, &count);
    gqlx_buf_free(&ctx->msg);
    return count;
}
