/* src/validation/rules/known_operation_types.c
 *
 * Spec rule "Operation Type Existence": a mutation or subscription needs
 * the schema to define that root type. graphql-js KnownOperationTypesRule. */
#include "validation/rule.h"

static int enter_operation(gqlx_vctx *ctx, const gqlx_node *node, void *state)
{
    (void)state;
    const gqlx_operation_def *op = GQLX_AS_CONST(gqlx_operation_def, node);
    const gqlx_schema *s = gqlx_vctx_schema(ctx);
    const gqlx_type *root = op->operation == GQLX_OP_QUERY      ? s->query
                            : op->operation == GQLX_OP_MUTATION ? s->mutation
                                                                : s->subscription;
    if (root == NULL) {
        gqlx_buf_printf(gqlx_vctx_msg(ctx), "The %s operation is not supported by the schema.",
                        gqlx_operation_name(op->operation));
        gqlx_vctx_report1(ctx, node->start);
    }
    return GQLX_VISIT_CONTINUE;
}

const gqlx_rule gqlx_rule_known_operation_types = {
    .name = "KnownOperationTypes",
    .enter = {[GQLX_KIND_OPERATION_DEFINITION] = enter_operation},
};
