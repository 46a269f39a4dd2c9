/* src/validation/rules/single_field_subscriptions.c
 *
 * Spec rule "Single Root Field" (5.2.3.1, 2025 edition): a subscription
 * selects exactly one root field (fragments included), that field is not an
 * introspection field, and @skip / @include are not used in the root
 * selection. graphql-js SingleFieldSubscriptionsRule, which runs the
 * executor's field collection with @skip/@include forbidden; this file
 * repeats that collection on the AST. */
#include <string.h>

#include "validation/rule.h"

typedef struct group {
    const gqlx_field **fields;
    size_t count, cap;
} group;

typedef struct collect {
    gqlx_vctx *ctx;
    const gqlx_type *runtime;
    gqlx_vmap keys;    /* response key -> group index + 1 */
    gqlx_vmap visited; /* fragment names already collected */
    group *groups;
    size_t group_count, group_cap;
    uint32_t *forbidden; /* offsets of @skip/@include directives */
    size_t forbidden_count, forbidden_cap;
    bool failed;
} collect;

static const gqlx_directive *find_directive(const gqlx_directive_list *l, const char *name)
{
    for (uint32_t i = 0; i < l->count; i++)
        if (gqlx_slice_eq_cstr(l->items[i]->name, name))
            return l->items[i];
    return NULL;
}

/* graphql-js shouldIncludeNode with forbidSkipAndInclude: any @skip (else
 * any @include) excludes the selection and is recorded. */
static bool include_node(collect *c, const gqlx_directive_list *dirs)
{
    const gqlx_directive *d = find_directive(dirs, "skip");
    if (d == NULL)
        d = find_directive(dirs, "include");
    if (d == NULL)
        return true;
    if (gqlx_arena_grow(gqlx_vctx_arena(c->ctx), (void **)&c->forbidden, &c->forbidden_cap,
                c->forbidden_count + 1, sizeof *c->forbidden, c->forbidden_count))
        c->forbidden[c->forbidden_count++] = d->base.start;
    else
        c->failed = true;
    return false;
}

static bool condition_matches(collect *c, const gqlx_named_type *cond)
{
    if (cond == NULL)
        return true;
    const gqlx_type *t = gqlx_vctx_lookup_type(c->ctx, cond->name);
    if (t == NULL)
        return false;
    if (t == c->runtime)
        return true;
    if (gqlx_type_is_abstract(t))
        return gqlx_schema_is_possible_type(gqlx_vctx_schema(c->ctx), t, c->runtime);
    return false;
}

static void add_field(collect *c, const gqlx_field *f)
{
    gqlx_arena *a = gqlx_vctx_arena(c->ctx);
    gqlx_slice key = f->alias.ptr ? f->alias : f->name;
    uintptr_t gi = (uintptr_t)gqlx_vmap_get(&c->keys, key);
    if (gi == 0) {
        if (!gqlx_arena_grow(a, (void **)&c->groups, &c->group_cap, c->group_count + 1, sizeof(group),
                     c->group_count)) {
            c->failed = true;
            return;
        }
        memset(&c->groups[c->group_count], 0, sizeof(group));
        gi = ++c->group_count;
        gqlx_vmap_set(&c->keys, key, (const void *)gi);
    }
    group *g = &c->groups[gi - 1];
    if (!gqlx_arena_grow(a, (void **)&g->fields, &g->cap, g->count + 1, sizeof *g->fields, g->count)) {
        c->failed = true;
        return;
    }
    g->fields[g->count++] = f;
}

static void visit_set(collect *c, const gqlx_selection_set *set, unsigned depth)
{
    /* Fragment cycles are cut by `visited`; nesting of inline fragments is
     * bounded by the parser's depth limit. */
    if (set == NULL || c->failed || depth > 10000)
        return;
    for (uint32_t i = 0; i < set->selections.count; i++) {
        const gqlx_node *s = set->selections.items[i];
        if (s->kind == GQLX_KIND_FIELD) {
            const gqlx_field *f = GQLX_AS_CONST(gqlx_field, s);
            if (include_node(c, &f->directives))
                add_field(c, f);
        } else if (s->kind == GQLX_KIND_INLINE_FRAGMENT) {
            const gqlx_inline_fragment *f = GQLX_AS_CONST(gqlx_inline_fragment, s);
            if (!include_node(c, &f->directives) || !condition_matches(c, f->type_condition))
                continue;
            visit_set(c, f->selection_set, depth + 1);
        } else {
            const gqlx_fragment_spread *sp = GQLX_AS_CONST(gqlx_fragment_spread, s);
            if (!include_node(c, &sp->directives))
                continue;
            const gqlx_fragment_def *fd = gqlx_vctx_fragment(c->ctx, sp->name);
            if (fd == NULL || !condition_matches(c, fd->type_condition))
                continue;
            if (gqlx_vmap_put(&c->visited, sp->name, sp) != NULL)
                continue;
            visit_set(c, fd->selection_set, depth + 1);
        }
    }
}

static void report(gqlx_vctx *ctx, const gqlx_operation_def *op, const char *what,
                   const uint32_t *offs, size_t n)
{
    gqlx_buf *m = gqlx_vctx_msg(ctx);
    if (op->name.ptr != NULL)
        gqlx_buf_printf(m, "Subscription \"%.*s\" %s", (int)op->name.len, op->name.ptr, what);
    else
        gqlx_buf_printf(m, "Anonymous Subscription %s", what);
    gqlx_vctx_report(ctx, offs, n);
}

static int enter_operation(gqlx_vctx *ctx, const gqlx_node *node, void *state)
{
    (void)state;
    const gqlx_operation_def *op = GQLX_AS_CONST(gqlx_operation_def, node);
    const gqlx_type *sub = gqlx_vctx_schema(ctx)->subscription;
    if (op->operation != GQLX_OP_SUBSCRIPTION || sub == NULL || op->selection_set == NULL)
        return GQLX_VISIT_CONTINUE;
    gqlx_arena *a = gqlx_vctx_arena(ctx);
    collect c;
    memset(&c, 0, sizeof c);
    c.ctx = ctx;
    c.runtime = sub;
    gqlx_vmap_init(&c.keys, a);
    gqlx_vmap_init(&c.visited, a);
    visit_set(&c, op->selection_set, 0);
    if (c.failed)
        return GQLX_VISIT_CONTINUE;
    if (c.forbidden_count > 0) {
        report(ctx, op,
               "must not use `@skip` or `@include` directives in the top level selection.",
               c.forbidden, c.forbidden_count);
        return GQLX_VISIT_CONTINUE;
    }
    if (c.group_count == 0) {
        uint32_t off = op->selection_set->base.start;
        report(ctx, op, "must select one top level field.", &off, 1);
    } else if (c.group_count > 1) {
        size_t total = 0;
        for (size_t g = 1; g < c.group_count; g++)
            total += c.groups[g].count;
        uint32_t *offs = GQLX_ARRAY(a, uint32_t, total);
        if (offs == NULL)
            return GQLX_VISIT_CONTINUE;
        size_t k = 0;
        for (size_t g = 1; g < c.group_count; g++)
            for (size_t j = 0; j < c.groups[g].count; j++)
                offs[k++] = c.groups[g].fields[j]->base.start;
        report(ctx, op, "must select only one top level field.", offs, k);
    }
    for (size_t g = 0; g < c.group_count; g++) {
        const group *gr = &c.groups[g];
        gqlx_slice name = gr->fields[0]->name;
        if (name.len < 2 || name.ptr[0] != '_' || name.ptr[1] != '_')
            continue;
        uint32_t *offs = GQLX_ARRAY(a, uint32_t, gr->count);
        if (offs == NULL)
            return GQLX_VISIT_CONTINUE;
        for (size_t j = 0; j < gr->count; j++)
            offs[j] = gr->fields[j]->base.start;
        report(ctx, op, "must not select an introspection top level field.", offs, gr->count);
    }
    return GQLX_VISIT_CONTINUE;
}

const gqlx_rule gqlx_rule_single_field_subscriptions = {
    .name = "SingleFieldSubscriptions",
    .enter = {[GQLX_KIND_OPERATION_DEFINITION] = enter_operation},
};
