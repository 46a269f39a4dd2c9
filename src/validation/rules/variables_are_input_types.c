/* src/validation/rules/variables_are_input_types.c
 *
 * Spec rule "Variables Are Input Types" (5.8.2): variables have scalar,
 * enum or input object types. graphql-js VariablesAreInputTypesRule. */
#include "validation/rule.h"

static int enter_var_def(gqlx_vctx *ctx, const gqlx_node *node, void *state)
{
    (void)state;
    const gqlx_variable_def *vd = GQLX_AS_CONST(gqlx_variable_def, node);
    const gqlx_type_ref *t = gqlx_vctx_type_from_ast(ctx, vd->type);
    if (t == NULL || gqlx_type_ref_is_input(t))
        return GQLX_VISIT_CONTINUE;
    gqlx_buf *m = gqlx_vctx_msg(ctx);
    gqlx_buf_printf(m, "Variable \"$%.*s\" cannot be non-input type \"",
                    (int)vd->variable->name.len, vd->variable->name.ptr);
    gqlx_vctx_print(ctx, m, vd->type);
    gqlx_buf_append_cstr(m, "\".");
    gqlx_vctx_report1(ctx, vd->type->start);
    return GQLX_VISIT_CONTINUE;
}

const gqlx_rule gqlx_rule_variables_are_input_types = {
    .name = "VariablesAreInputTypes",
    .enter = {[GQLX_KIND_VARIABLE_DEFINITION] = enter_var_def},
};
