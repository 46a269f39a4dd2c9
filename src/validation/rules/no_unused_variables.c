/* src/validation/rules/no_unused_variables.c
 *
 * Spec rule "All Variables Used" (5.8.4): every variable an operation
 * defines is used by it or by a fragment it spreads. graphql-js
 * NoUnusedVariablesRule reports when entering the operation; as in
 * no_undefined_variables.c, the report waits until the fragments the
 * operation uses have been walked and is sorted back to that position. */
#include "validation/rule.h"

typedef struct pending {
    const gqlx_operation_def *op;
    uint32_t event;
    struct pending *next;
} pending;

struct state {
    pending *first;
    pending *last;
};

static void check(gqlx_vctx *ctx, const gqlx_operation_def *op, uint32_t event)
{
    gqlx_vmap used;
    gqlx_vmap_init(&used, gqlx_vctx_arena(ctx));
    const gqlx_var_usage *const *u;
    size_t n = gqlx_vctx_recursive_usages(ctx, op, &u);
    for (size_t i = 0; i < n; i++)
        gqlx_vmap_put(&used, u[i]->node->name, u[i]);
    for (uint32_t i = 0; i < op->variable_definitions.count; i++) {
        const gqlx_variable_def *vd = op->variable_definitions.items[i];
        gqlx_slice name = vd->variable->name;
        if (gqlx_vmap_get(&used, name) != NULL)
            continue;
        gqlx_buf *m = gqlx_vctx_msg(ctx);
        if (op->name.ptr != NULL)
            gqlx_buf_printf(m, "Variable \"$%.*s\" is never used in operation \"%.*s\".",
                            (int)name.len, name.ptr, (int)op->name.len, op->name.ptr);
        else
            gqlx_buf_printf(m, "Variable \"$%.*s\" is never used.", (int)name.len, name.ptr);
        uint32_t off = vd->base.start;
        gqlx_vctx_report_at(ctx, event, &off, 1);
    }
}

static int enter_operation(gqlx_vctx *ctx, const gqlx_node *node, void *state)
{
    struct state *st = state;
    pending *p = GQLX_NEW(gqlx_vctx_arena(ctx), pending);
    if (p == NULL)
        return GQLX_VISIT_CONTINUE;
    p->op = GQLX_AS_CONST(gqlx_operation_def, node);
    p->event = gqlx_vctx_event(ctx);
    if (st->last == NULL)
        st->first = p;
    else
        st->last->next = p;
    st->last = p;
    gqlx_vctx_hold(ctx, p->event);
    return GQLX_VISIT_CONTINUE;
}

/* Reports at once when every fragment the operation uses is known. */
static int leave_operation(gqlx_vctx *ctx, const gqlx_node *node, void *state)
{
    struct state *st = state;
    pending *p = st->last;
    if (p == NULL || p->op == NULL || &p->op->base != node || !gqlx_vctx_usages_ready(ctx, p->op))
        return GQLX_VISIT_CONTINUE;
    check(ctx, p->op, p->event);
    gqlx_vctx_release(ctx, p->event);
    p->op = NULL;
    return GQLX_VISIT_CONTINUE;
}

static void finish(gqlx_vctx *ctx, void *state)
{
    struct state *st = state;
    for (pending *p = st->first; p != NULL; p = p->next) {
        if (p->op == NULL)
            continue;
        check(ctx, p->op, p->event);
        gqlx_vctx_release(ctx, p->event);
    }
}

const gqlx_rule gqlx_rule_no_unused_variables = {
    .name = "NoUnusedVariables",
    .state_size = sizeof(struct state),
    .finish = finish,
    .enter = {[GQLX_KIND_OPERATION_DEFINITION] = enter_operation},
    .leave = {[GQLX_KIND_OPERATION_DEFINITION] = leave_operation},
};
