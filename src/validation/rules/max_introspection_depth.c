/* src/validation/rules/max_introspection_depth.c
 *
 * graphql-js MaxIntrospectionDepthRule (in 17's specifiedRules through
 * recommendedRules): an introspection query may nest the list fields
 * `fields`, `interfaces`, `possibleTypes` and `inputFields` at most twice,
 * fragments included, which stops introspection queries that blow up. */
#include "validation/rule.h"

#define MAX_LISTS_DEPTH 3
/* Deeper recursion than this (through fragment chains) is cut off rather
 * than risk the C stack; graphql-js has no such bound. */
#define MAX_RECURSION 2000

struct state {
    bool ready;
    gqlx_vmap checked;  /* fragment -> depth + 1 at which it was fine */
    gqlx_vmap exceeded; /* fragment -> depth + 1 at which it exceeded */
};

static bool check_set(gqlx_vctx *ctx, struct state *st, gqlx_vmap *visited,
                      const gqlx_selection_set *set, uintptr_t depth, unsigned rec);

static bool check_node(gqlx_vctx *ctx, struct state *st, gqlx_vmap *visited,
                       const gqlx_node *node, uintptr_t depth, unsigned rec)
{
    if (rec > MAX_RECURSION)
        return false;
    if (node->kind == GQLX_KIND_FRAGMENT_SPREAD) {
        gqlx_slice name = GQLX_AS_CONST(gqlx_fragment_spread, node)->name;
        uintptr_t ex = (uintptr_t)gqlx_vmap_get(&st->exceeded, name);
        if (ex != 0 && ex - 1 <= depth)
            return true;
        uintptr_t vi = (uintptr_t)gqlx_vmap_get(visited, name);
        uintptr_t ch = (uintptr_t)gqlx_vmap_get(&st->checked, name);
        if ((vi != 0 && vi - 1 >= depth) || (ch != 0 && ch - 1 >= depth))
            return false;
        const gqlx_fragment_def *f = gqlx_vctx_fragment(ctx, name);
        if (f == NULL)
            return false;
        gqlx_vmap_set(visited, name, (const void *)(depth + 1));
        if (check_set(ctx, st, visited, f->selection_set, depth, rec + 1)) {
            gqlx_vmap_set(&st->exceeded, name, (const void *)(depth + 1));
            return true;
        }
        gqlx_vmap_set(&st->checked, name, (const void *)(depth + 1));
        return false;
    }
    const gqlx_selection_set *set;
    if (node->kind == GQLX_KIND_FIELD) {
        const gqlx_field *f = GQLX_AS_CONST(gqlx_field, node);
        if (gqlx_slice_eq_cstr(f->name, "fields") || gqlx_slice_eq_cstr(f->name, "interfaces") ||
            gqlx_slice_eq_cstr(f->name, "possibleTypes") ||
            gqlx_slice_eq_cstr(f->name, "inputFields")) {
            if (++depth >= MAX_LISTS_DEPTH)
                return true;
        }
        set = f->selection_set;
    } else {
        set = GQLX_AS_CONST(gqlx_inline_fragment, node)->selection_set;
    }
    return check_set(ctx, st, visited, set, depth, rec + 1);
}

static bool check_set(gqlx_vctx *ctx, struct state *st, gqlx_vmap *visited,
                      const gqlx_selection_set *set, uintptr_t depth, unsigned rec)
{
    if (set == NULL)
        return false;
    for (uint32_t i = 0; i < set->selections.count; i++)
        if (check_node(ctx, st, visited, set->selections.items[i], depth, rec))
            return true;
    return false;
}

static int enter_field(gqlx_vctx *ctx, const gqlx_node *node, void *state)
{
    struct state *st = state;
    const gqlx_field *f = GQLX_AS_CONST(gqlx_field, node);
    if (!gqlx_slice_eq_cstr(f->name, "__schema") && !gqlx_slice_eq_cstr(f->name, "__type"))
        return GQLX_VISIT_CONTINUE;
    gqlx_arena *a = gqlx_vctx_arena(ctx);
    if (!st->ready) {
        gqlx_vmap_init(&st->checked, a);
        gqlx_vmap_init(&st->exceeded, a);
        st->ready = true;
    }
    gqlx_vmap visited;
    gqlx_vmap_init(&visited, a);
    if (check_node(ctx, st, &visited, node, 0, 0)) {
        gqlx_buf_append_cstr(gqlx_vctx_msg(ctx), "Maximum introspection depth exceeded");
        gqlx_vctx_report1(ctx, node->start);
        return GQLX_VISIT_SKIP;
    }
    return GQLX_VISIT_CONTINUE;
}

const gqlx_rule gqlx_rule_max_introspection_depth = {
    .name = "MaxIntrospectionDepth",
    .state_size = sizeof(struct state),
    .enter = {[GQLX_KIND_FIELD] = enter_field},
};
