/* src/validation/rules/unique_variable_names.c
 *
 * Spec rule "Variable Uniqueness" (5.8.1): an operation defines each
 * variable once. graphql-js UniqueVariableNamesRule: one error per repeated
 * name (in order of first use) listing every definition of it. */
#include "validation/rule.h"

static int enter_operation(gqlx_vctx *ctx, const gqlx_node *node, void *state)
{
    (void)state;
    const gqlx_operation_def *op = GQLX_AS_CONST(gqlx_operation_def, node);
    const gqlx_variable_def_list *vars = &op->variable_definitions;
    if (vars->count < 2)
        return GQLX_VISIT_CONTINUE;
    gqlx_arena *a = gqlx_vctx_arena(ctx);
    /* Occurrences of each name are chained through next[] so every group
     * is listed in O(its size): the whole check stays linear. */
    gqlx_vmap last; /* name -> index of its latest occurrence + 1 */
    gqlx_vmap_init(&last, a);
    uint32_t *next = GQLX_ARRAY(a, uint32_t, vars->count);
    uint32_t *count = GQLX_ARRAY(a, uint32_t, vars->count);
    uint32_t *offs = GQLX_ARRAY(a, uint32_t, vars->count);
    if (next == NULL || count == NULL || offs == NULL)
        return GQLX_VISIT_CONTINUE;
    uint32_t *first = count; /* reused: first[i] = index of i's first occurrence */
    for (uint32_t i = 0; i < vars->count; i++) {
        next[i] = UINT32_MAX;
        uintptr_t prev = (uintptr_t)gqlx_vmap_get(&last, vars->items[i]->variable->name);
        if (prev != 0) {
            next[prev - 1] = i;
            first[i] = first[prev - 1];
        } else {
            first[i] = i;
        }
        gqlx_vmap_set(&last, vars->items[i]->variable->name, (const void *)(uintptr_t)(i + 1));
    }
    for (uint32_t i = 0; i < vars->count; i++) {
        if (first[i] != i || next[i] == UINT32_MAX)
            continue;
        gqlx_slice name = vars->items[i]->variable->name;
        size_t k = 0;
        for (uint32_t j = i; j != UINT32_MAX; j = next[j])
            offs[k++] = gqlx_vctx_offset(ctx, vars->items[j]->variable->name);
        gqlx_buf_printf(gqlx_vctx_msg(ctx), "There can be only one variable named \"$%.*s\".",
                        (int)name.len, name.ptr);
        gqlx_vctx_report(ctx, offs, k);
    }
    return GQLX_VISIT_CONTINUE;
}

const gqlx_rule gqlx_rule_unique_variable_names = {
    .name = "UniqueVariableNames",
    .enter = {[GQLX_KIND_OPERATION_DEFINITION] = enter_operation},
};
