/* src/validation/rules/no_undefined_variables.c
 *
 * Spec rule "All Variable Uses Defined" (5.8.3): every variable used by an
 * operation, directly or in the fragments it spreads, is defined by it.
 * graphql-js NoUndefinedVariablesRule reports when entering the operation;
 * usages in fragments defined later are only known later, so the rule
 * keeps the entry position and reports there once the usages are known. */
#include "validation/deferred.h"
#include "validation/rule.h"

static void check(gqlx_vctx *ctx, const gqlx_operation_def *op, uint32_t event)
{
    gqlx_vmap defined;
    gqlx_vmap_init(&defined, gqlx_vctx_arena(ctx));
    for (uint32_t i = 0; i < op->variable_definitions.count; i++)
        gqlx_vmap_put(&defined, op->variable_definitions.items[i]->variable->name, op);
    const gqlx_var_usage *const *u;
    size_t n = gqlx_vctx_recursive_usages(ctx, op, &u);
    for (size_t i = 0; i < n; i++) {
        gqlx_slice name = u[i]->node->name;
        if (gqlx_vmap_get(&defined, name) != NULL)
            continue;
        gqlx_buf *m = gqlx_vctx_msg(ctx);
        if (op->name.ptr != NULL)
            gqlx_buf_printf(m, "Variable \"$%.*s\" is not defined by operation \"%.*s\".",
                            (int)name.len, name.ptr, (int)op->name.len, op->name.ptr);
        else
            gqlx_buf_printf(m, "Variable \"$%.*s\" is not defined.", (int)name.len, name.ptr);
        uint32_t offs[2] = {u[i]->node->base.start, op->base.start};
        gqlx_vctx_report_at(ctx, event, offs, 2);
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

const gqlx_rule gqlx_rule_no_undefined_variables = {
    .name = "NoUndefinedVariables",
    .state_size = sizeof(gqlx_deferred),
    .finish = finish,
    .enter = {[GQLX_KIND_OPERATION_DEFINITION] = enter_operation},
    .leave = {[GQLX_KIND_OPERATION_DEFINITION] = leave_operation},
};
