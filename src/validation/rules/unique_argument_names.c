/* src/validation/rules/unique_argument_names.c
 *
 * Spec rule "Argument Uniqueness" (5.4.2): a field or directive gets each
 * argument once. graphql-js UniqueArgumentNamesRule: one error per repeated
 * name, in order of first use, listing every occurrence. */
#include "validation/rule.h"

static void check(gqlx_vctx *ctx, const gqlx_argument_list *args)
{
    if (args->count < 2)
        return;
    gqlx_arena *a = gqlx_vctx_arena(ctx);
    /* Occurrences of each name are chained through next[] so every group
     * is listed in O(its size): the whole check stays linear. */
    gqlx_vmap last; /* name -> index of its latest occurrence + 1 */
    gqlx_vmap_init(&last, a);
    uint32_t *next = GQLX_ARRAY(a, uint32_t, args->count);
    uint32_t *count = GQLX_ARRAY(a, uint32_t, args->count);
    uint32_t *offs = GQLX_ARRAY(a, uint32_t, args->count);
    if (next == NULL || count == NULL || offs == NULL)
        return;
    uint32_t *first = count; /* reused: first[i] = index of i's first occurrence */
    for (uint32_t i = 0; i < args->count; i++) {
        next[i] = UINT32_MAX;
        uintptr_t prev = (uintptr_t)gqlx_vmap_get(&last, args->items[i]->name);
        if (prev != 0) {
            next[prev - 1] = i;
            first[i] = first[prev - 1];
        } else {
            first[i] = i;
        }
        gqlx_vmap_set(&last, args->items[i]->name, (const void *)(uintptr_t)(i + 1));
    }
    for (uint32_t i = 0; i < args->count; i++) {
        if (first[i] != i || next[i] == UINT32_MAX)
            continue;
        gqlx_slice name = args->items[i]->name;
        size_t k = 0;
        for (uint32_t j = i; j != UINT32_MAX; j = next[j])
            offs[k++] = gqlx_vctx_offset(ctx, args->items[j]->name);
        gqlx_buf_printf(gqlx_vctx_msg(ctx), "There can be only one argument named \"%.*s\".",
                        (int)name.len, name.ptr);
        gqlx_vctx_report(ctx, offs, k);
    }
}

static int enter_field(gqlx_vctx *ctx, const gqlx_node *node, void *state)
{
    (void)state;
    check(ctx, &GQLX_AS_CONST(gqlx_field, node)->arguments);
    return GQLX_VISIT_CONTINUE;
}

static int enter_directive(gqlx_vctx *ctx, const gqlx_node *node, void *state)
{
    (void)state;
    check(ctx, &GQLX_AS_CONST(gqlx_directive, node)->arguments);
    return GQLX_VISIT_CONTINUE;
}

const gqlx_rule gqlx_rule_unique_argument_names = {
    .name = "UniqueArgumentNames",
    .enter =
        {
            [GQLX_KIND_FIELD] = enter_field,
            [GQLX_KIND_DIRECTIVE] = enter_directive,
        },
};
