/* src/validation/rules/no_unused_variables.c
 *
 * Spec rule "All Variables Used" (5.8.4): every variable an operation
 * defines is used by it or by a fragment it spreads. graphql-js
 * NoUnusedVariablesRule reports when entering the operation; as in
 * no_undefined_variables.c, the report waits until the fragments the
 * operation uses have been walked and is sorted back to that position. */
#include "validation/deferred.h"
#include "validation/rule.h"

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

/* Waits, at the operation's entry position, until its usages are known. */
static int enter_operation(gqlx_vctx *ctx, const gqlx_node *node, void *state)
{
    gqlx_deferred_add(ctx, state, GQLX_AS_CONST(gqlx_operation_def, node), gqlx_vctx_event(ctx));
    return GQLX_VISIT_CONTINUE;
}

static int leave_operation(gqlx_vctx *ctx, const gqlx_node *node, void *state)
{
    gqlx_deferred_retry(ctx, state, GQLX_AS_CONST(gqlx_operation_def, node), check);
    return GQLX_VISIT_CONTINUE;
}

static void finish(gqlx_vctx *ctx, void *state)
{
    gqlx_deferred_finish(ctx, state, check);
}

const gqlx_rule gqlx_rule_no_unused_variables = {
    .name = "NoUnusedVariables",
    .state_size = sizeof(gqlx_deferred),
    .finish = finish,
    .enter = {[GQLX_KIND_OPERATION_DEFINITION] = enter_operation},
    .leave = {[GQLX_KIND_OPERATION_DEFINITION] = leave_operation},
};
