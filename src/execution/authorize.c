/* src/execution/authorize.c — the per-request authorization check
 * (execution/authorize.h): one walk over the selected operation, with each
 * fragment walked once and each policy called at most once. */
#include "execution/authorize.h"

#include <string.h>
#include <time.h>

#include "core/json.h"
#include "execution/error_json.h"
#include "gql/status.h"
#include "language/source.h"

/* Types whose rule a selection set needs checked: only types that have a
 * rule are kept, so these lists stay short. */
typedef struct type_list {
    const gqlx_type **items;
    size_t count, cap;
} type_list;

/* A fragment's walk, kept for its later spreads: the types its own
 * selection set (not deeper ones) selects guarded fields on. */
typedef struct frag_memo {
    const gqlx_fragment_def *def; /* NULL: empty slot */
    uint8_t state;                /* 0 new, 1 being walked, 2 done */
    type_list types;
} frag_memo;

typedef struct policy_memo {
    const char *name;
    bool allowed;
} policy_memo;

typedef struct walker {
    gqlx_exec *x;
    const gql_request *req;
    const gql_principal *principal;
    bool authenticated;
    frag_memo *frags; /* open addressing by definition address */
    size_t frag_mask;
    policy_memo *policies;
    size_t policy_count, policy_cap;
    unsigned nesting;
    size_t denials;
    bool stop; /* too deep, too many denials, or out of memory */
    bool too_deep;
} walker;

/* ---- rules ------------------------------------------------------------------ */

static bool policy_allows(walker *w, const char *name)
{
    for (size_t i = 0; i < w->policy_count; i++)
        if (strcmp(w->policies[i].name, name) == 0)
            return w->policies[i].allowed;
    bool allowed = gql_policies_check(w->x->opts.policies, name, w->principal, w->req) != 0;
    if (w->policy_count == w->policy_cap &&
        !gqlx_arena_grow(&w->x->arena, (void **)&w->policies, &w->policy_cap, w->policy_count + 1,
                         sizeof(policy_memo), w->policy_count))
        return allowed; /* not remembered: asked again next time */
    w->policies[w->policy_count++] = (policy_memo){name, allowed};
    return allowed;
}

static bool rule_allows(walker *w, const gqlx_authz *rule)
{
    if (rule == NULL)
        return true;
    if (!w->authenticated)
        return false;
    if (rule->role_count > 0) {
        bool held = false;
        for (uint32_t i = 0; i < rule->role_count && !held; i++)
            held = gql_principal_has_role(w->principal, rule->roles[i]) != 0;
        if (!held)
            return false;
    }
    for (uint32_t i = 0; i < rule->policy_count; i++)
        if (!policy_allows(w, rule->policies[i]))
            return false;
    return true;
}

/* ---- denials ------------------------------------------------------------------ */

/* Records the denial whose message is in x->msg, located at node. */
static void deny(walker *w, const gqlx_node *at)
{
    gqlx_exec *x = w->x;
    if (++w->denials > GQLX_AUTHZ_MAX_DENIALS) {
        w->stop = true;
        gqlx_buf_clear(&x->msg);
        return;
    }
    if (x->error_count++)
        gqlx_buf_putc(&x->errors, ',');
    gqlx_location l = gqlx_source_location(&x->plan->source, at->start);
    gql_location loc = {l.line, l.column};
    const char *m = x->msg.data != NULL ? x->msg.data : "Access denied.";
    gqlx_error_json_begin(&x->errors, m, strlen(m));
    gqlx_error_json_locations(&x->errors, &loc, 1);
    gqlx_buf_append_cstr(&x->errors, ",\"extensions\":{\"code\":\"ACCESS_DENIED\"}}");
    gqlx_buf_clear(&x->msg);
}

/* ---- the walk --------------------------------------------------------------------- */

static void add_type(walker *w, type_list *l, const gqlx_type *t)
{
    for (size_t i = 0; i < l->count; i++)
        if (l->items[i] == t)
            return;
    if (l->count == l->cap && !gqlx_arena_grow(&w->x->arena, (void **)&l->items, &l->cap,
                                               l->count + 1, sizeof(const gqlx_type *), l->count)) {
        w->stop = true;
        w->x->oom = true;
        return;
    }
    l->items[l->count++] = t;
}

/* Checks the rules of the types a selection set selected guarded fields
 * on; at is the field (or operation) the selection set belongs to. */
static void check_types(walker *w, const type_list *l, const gqlx_node *at)
{
    for (size_t i = 0; i < l->count && !w->stop; i++) {
        if (rule_allows(w, l->items[i]->authz))
            continue;
        gqlx_buf_printf(&w->x->msg, "Access denied for type '%s'.", l->items[i]->name->str);
        deny(w, at);
    }
}

/* @skip and @include: false when the selection is left out. A condition
 * that cannot be read (a variable coerced to null, which execution then
 * reports) counts as included, so that nothing escapes the check. */
static bool included(const walker *w, const gqlx_directive_list *dirs)
{
    for (uint32_t i = 0; i < dirs->count; i++) {
        const gqlx_directive *d = dirs->items[i];
        bool skip = gqlx_slice_eq_cstr(d->name, "skip");
        if (!skip && !gqlx_slice_eq_cstr(d->name, "include"))
            continue;
        for (uint32_t k = 0; k < d->arguments.count; k++) {
            const gqlx_argument *a = d->arguments.items[k];
            if (!gqlx_slice_eq_cstr(a->name, "if"))
                continue;
            bool value;
            if (a->value->kind == GQLX_KIND_BOOLEAN_VALUE) {
                value = GQLX_AS_CONST(gqlx_boolean_value, a->value)->value;
            } else if (a->value->kind == GQLX_KIND_VARIABLE) {
                gqlx_slice name = GQLX_AS_CONST(gqlx_variable, a->value)->name;
                const gqlx_json *v = w->x->variables != NULL
                                         ? gqlx_json_get(w->x->variables, name.ptr, name.len)
                                         : NULL;
                if (v == NULL || v->kind != GQLX_JSON_BOOL)
                    continue;
                value = v->boolean;
            } else {
                continue;
            }
            if (value == skip)
                return false;
        }
    }
    return true;
}

static void walk_set(walker *w, const gqlx_selection_set *set, const gqlx_type *parent,
                     type_list *types);

/* Enters one more level of nesting; false (and the walk stops) past the
 * limit. */
static bool enter(walker *w)
{
    if (++w->nesting > GQLX_AUTHZ_MAX_NESTING) {
        w->too_deep = true;
        w->stop = true;
        return false;
    }
    return true;
}

static void check_field(walker *w, const gqlx_field *node, const gqlx_type *parent,
                        type_list *types)
{
    gqlx_slice name = node->name;
    /* __typename anywhere, and __schema and __type with all below them,
     * are introspection: only the schema's own rule applies to them. */
    if (name.len >= 2 && name.ptr[0] == '_' && name.ptr[1] == '_' &&
        (gqlx_slice_eq_cstr(name, "__typename") || gqlx_slice_eq_cstr(name, "__schema") ||
         gqlx_slice_eq_cstr(name, "__type")))
        return;
    if (parent == NULL || (parent->kind != GQLX_TYPE_OBJECT && parent->kind != GQLX_TYPE_INTERFACE))
        return;
    const gqlx_field_decl *decl = gqlx_type_field(parent, name.ptr, name.len);
    if (decl == NULL)
        return; /* validation has rejected the document */
    if (!decl->allow_anonymous) {
        if (parent->authz != NULL)
            add_type(w, types, parent);
        if (!rule_allows(w, decl->authz)) {
            gqlx_buf_printf(&w->x->msg, "Access denied for field '%s' on type '%s'.",
                            decl->name->str, parent->name->str);
            deny(w, &node->base);
        }
    }
    for (uint32_t i = 0; i < node->arguments.count && !w->stop; i++) {
        const gqlx_argument *a = node->arguments.items[i];
        const gqlx_input_value *arg = gqlx_field_arg(decl, a->name.ptr, a->name.len);
        if (arg == NULL || rule_allows(w, arg->authz))
            continue;
        gqlx_buf_printf(&w->x->msg, "Access denied for argument '%s' of field '%s.%s'.",
                        arg->name->str, parent->name->str, decl->name->str);
        deny(w, &a->base);
    }
    const gqlx_type *t = decl->type->named;
    if (node->selection_set == NULL || w->stop || !gqlx_type_is_composite(t))
        return;
    type_list below = {NULL, 0, 0};
    if (!enter(w))
        return;
    walk_set(w, node->selection_set, t, &below);
    w->nesting--;
    check_types(w, &below, &node->base);
}

static frag_memo *frag_slot(walker *w, const gqlx_fragment_def *def)
{
    if (w->frags == NULL) {
        /* The plan's fragment table bounds how many there are. */
        size_t cap = 8;
        while (cap < 2 * ((size_t)w->x->plan->frag_mask + 1))
            cap *= 2;
        w->frags = gqlx_arena_zalloc(&w->x->arena, cap * sizeof(frag_memo), _Alignof(frag_memo));
        if (w->frags == NULL) {
            w->stop = true;
            w->x->oom = true;
            return NULL;
        }
        w->frag_mask = cap - 1;
    }
    size_t h = (size_t)(((uintptr_t)def >> 4) * 0x9E3779B97F4A7C15ull);
    for (;; h++) {
        frag_memo *m = &w->frags[h & w->frag_mask];
        if (m->def == NULL)
            m->def = def;
        if (m->def == def)
            return m;
    }
}

static void spread(walker *w, const gqlx_fragment_spread *s, type_list *types)
{
    const gqlx_fragment_def *def = gqlx_plan_fragment(w->x->plan, s->name);
    if (def == NULL)
        return;
    frag_memo *m = frag_slot(w, def);
    if (m == NULL || m->state == 1) /* a cycle: validation rejects those */
        return;
    if (m->state == 0) {
        m->state = 1;
        const gqlx_type *t = gqlx_schema_type(w->x->schema, def->type_condition->name.ptr,
                                              def->type_condition->name.len);
        if (!enter(w))
            return;
        walk_set(w, def->selection_set, t, &m->types);
        w->nesting--;
        m->state = 2;
    }
    for (size_t i = 0; i < m->types.count && !w->stop; i++)
        add_type(w, types, m->types.items[i]);
}

static void walk_set(walker *w, const gqlx_selection_set *set, const gqlx_type *parent,
                     type_list *types)
{
    if (set == NULL || parent == NULL)
        return;
    for (uint32_t i = 0; i < set->selections.count && !w->stop; i++) {
        const gqlx_node *sel = set->selections.items[i];
        if (sel->kind == GQLX_KIND_FIELD) {
            const gqlx_field *f = GQLX_AS_CONST(gqlx_field, sel);
            if (included(w, &f->directives))
                check_field(w, f, parent, types);
        } else if (sel->kind == GQLX_KIND_INLINE_FRAGMENT) {
            const gqlx_inline_fragment *f = GQLX_AS_CONST(gqlx_inline_fragment, sel);
            if (!included(w, &f->directives))
                continue;
            const gqlx_type *t = parent;
            if (f->type_condition != NULL)
                t = gqlx_schema_type(w->x->schema, f->type_condition->name.ptr,
                                     f->type_condition->name.len);
            if (!enter(w))
                return;
            walk_set(w, f->selection_set, t, types);
            w->nesting--;
        } else if (sel->kind == GQLX_KIND_FRAGMENT_SPREAD) {
            const gqlx_fragment_spread *s = GQLX_AS_CONST(gqlx_fragment_spread, sel);
            if (included(w, &s->directives))
                spread(w, s, types);
        }
    }
}

/* ---- the check ------------------------------------------------------------------------ */

bool gqlx_authorize(gqlx_exec *x, const gql_request *req)
{
    walker w;
    memset(&w, 0, sizeof w);
    w.x = x;
    w.req = req;
    w.principal = req->principal;
    w.authenticated = gqlx_principal_live(req->principal, 0);
    const gqlx_node *at = &x->op->base;
    if (!rule_allows(&w, x->schema->authz)) {
        gqlx_buf_append_cstr(&x->msg, "Access denied for schema.");
        deny(&w, at);
    }
    type_list root = {NULL, 0, 0};
    walk_set(&w, x->op->selection_set, x->root_type, &root);
    check_types(&w, &root, at);
    if (x->oom || x->errors.failed || x->msg.failed || gqlx_arena_failed(&x->arena)) {
        x->oom = true;
        return false;
    }
    if (w.too_deep) {
        x->status = GQL_ELIMIT;
        if (x->error_count++)
            gqlx_buf_putc(&x->errors, ',');
        gqlx_location l = gqlx_source_location(&x->plan->source, at->start);
        gql_location loc = {l.line, l.column};
        static const char message[] = "The operation nests fragments too deeply to authorize.";
        gqlx_error_json(&x->errors, message, sizeof message - 1, &loc, 1);
        return false;
    }
    if (w.denials == 0)
        return true;
    x->status = w.authenticated ? GQL_EFORBIDDEN : GQL_EUNAUTHENTICATED;
    return false;
}
