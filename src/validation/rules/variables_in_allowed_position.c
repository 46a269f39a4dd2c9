/* src/validation/rules/variables_in_allowed_position.c
 *
 * Spec rule "All Variable Usages Are Allowed" (5.8.5): a variable's type
 * fits every position it is used in (a nullable variable may fill a
 * non-null position only with a default), and variables given to fields of
 * a @oneOf input object are non-null. graphql-js
 * VariablesInAllowedPositionRule, which reports when leaving the
 * operation; reports wait for fragments defined later, as in
 * no_undefined_variables.c. */
#include "core/buf.h"
#include "validation/deferred.h"
#include "validation/rule.h"

/* graphql-js allowedVariableUsage. */
static bool allowed(const gqlx_schema *s, const gqlx_type_ref *var_type,
                    const gqlx_node *var_default, const gqlx_type_ref *loc_type,
                    bool loc_has_default)
{
    if (loc_type->wrap == GQLX_WRAP_NON_NULL && var_type->wrap != GQLX_WRAP_NON_NULL) {
        bool var_has_default = var_default != NULL && var_default->kind != GQLX_KIND_NULL_VALUE;
        if (!var_has_default && !loc_has_default)
            return false;
        return gqlx_schema_is_subtype(s, var_type, loc_type->of);
    }
    return gqlx_schema_is_subtype(s, var_type, loc_type);
}

static void check(gqlx_vctx *ctx, const gqlx_operation_def *op, uint32_t event)
{
    const gqlx_var_usage *const *u;
    size_t n = gqlx_vctx_recursive_usages(ctx, op, &u);
    uint32_t nvars = op->variable_definitions.count;
    if (n == 0 || nvars == 0)
        return;
    gqlx_arena *a = gqlx_vctx_arena(ctx);
    /* Each definition's type, built once rather than per usage. */
    typedef struct var {
        const gqlx_variable_def *def;
        const gqlx_type_ref *type;
    } var;
    var *vars = GQLX_ARRAY(a, var, nvars);
    if (vars == NULL)
        return;
    gqlx_vmap defs; /* name -> the last var of that name, as a JS Map keeps */
    gqlx_vmap_init(&defs, a);
    for (uint32_t i = 0; i < nvars; i++) {
        const gqlx_variable_def *vd = op->variable_definitions.items[i];
        vars[i] = (var){vd, gqlx_vctx_type_from_ast(ctx, vd->type)};
        gqlx_vmap_set(&defs, vd->variable->name, &vars[i]);
    }
    const gqlx_schema *s = gqlx_vctx_schema(ctx);
    for (size_t i = 0; i < n; i++) {
        gqlx_slice name = u[i]->node->name;
        const var *v = gqlx_vmap_get(&defs, name);
        if (v == NULL || u[i]->type == NULL || v->type == NULL)
            continue;
        const gqlx_variable_def *vd = v->def;
        const gqlx_type_ref *vt = v->type;
        uint32_t offs[2] = {vd->base.start, u[i]->node->base.start};
        if (!allowed(s, vt, vd->default_value, u[i]->type, u[i]->has_default)) {
            gqlx_buf *m = gqlx_vctx_msg(ctx);
            gqlx_buf_printf(m, "Variable \"$%.*s\" of type \"", (int)name.len, name.ptr);
            gqlx_type_ref_print(m, vt);
            gqlx_buf_append_cstr(m, "\" used in position expecting type \"");
            gqlx_type_ref_print(m, u[i]->type);
            gqlx_buf_append_cstr(m, "\".");
            gqlx_vctx_report_at(ctx, event, offs, 2);
        }
        const gqlx_type_ref *pt = u[i]->parent_type;
        if (pt != NULL && pt->wrap == GQLX_WRAP_NAMED &&
            pt->named->kind == GQLX_TYPE_INPUT_OBJECT && pt->named->one_of &&
            vt->wrap != GQLX_WRAP_NON_NULL) {
            gqlx_buf *m = gqlx_vctx_msg(ctx);
            gqlx_buf_printf(m, "Variable \"$%.*s\" is of type \"", (int)name.len, name.ptr);
            gqlx_type_ref_print(m, vt);
            gqlx_buf_printf(m,
                            "\" but must be non-nullable to be used for OneOf Input Object \"%s\".",
                            pt->named->name->str);
            gqlx_vctx_report_at(ctx, event, offs, 2);
        }
    }
}

/* graphql-js reports when leaving the operation. */
static int leave_operation(gqlx_vctx *ctx, const gqlx_node *node, void *state)
{
    gqlx_deferred_check(ctx, state, GQLX_AS_CONST(gqlx_operation_def, node),
                        gqlx_vctx_event(ctx), check);
    return GQLX_VISIT_CONTINUE;
}

static void finish(gqlx_vctx *ctx, void *state)
{
    gqlx_deferred_finish(ctx, state, check);
}

const gqlx_rule gqlx_rule_variables_in_allowed_position = {
    .name = "VariablesInAllowedPosition",
    .state_size = sizeof(gqlx_deferred),
    .finish = finish,
    .leave = {[GQLX_KIND_OPERATION_DEFINITION] = leave_operation},
};
