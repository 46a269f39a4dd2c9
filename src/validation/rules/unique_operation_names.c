/* src/validation/rules/unique_operation_names.c
 *
 * Spec rule "Operation Name Uniqueness" (5.2.1.1): no two operations share
 * a name. graphql-js UniqueOperationNamesRule. */
#include "validation/rule.h"

struct state {
    gqlx_vmap first; /* name -> the name slice that used it first */
    bool ready;
};

static int enter_operation(gqlx_vctx *ctx, const gqlx_node *node, void *state)
{
    struct state *st = state;
    const gqlx_operation_def *op = GQLX_AS_CONST(gqlx_operation_def, node);
    if (op->name.ptr == NULL)
        return GQLX_VISIT_SKIP;
    if (!st->ready) {
        gqlx_vmap_init(&st->first, gqlx_vctx_arena(ctx));
        st->ready = true;
    }
    const gqlx_slice *earlier = gqlx_vmap_put(&st->first, op->name, &op->name);
    if (earlier != NULL) {
        gqlx_buf_printf(gqlx_vctx_msg(ctx), "There can be only one operation named \"%.*s\".",
                        (int)op->name.len, op->name.ptr);
        uint32_t offs[2] = {gqlx_vctx_offset(ctx, *earlier), gqlx_vctx_offset(ctx, op->name)};
        gqlx_vctx_report(ctx, offs, 2);
    }
    return GQLX_VISIT_SKIP; /* nothing inside an operation matters here */
}

const gqlx_rule gqlx_rule_unique_operation_names = {
    .name = "UniqueOperationNames",
    .state_size = sizeof(struct state),
    .enter =
        {
            [GQLX_KIND_OPERATION_DEFINITION] = enter_operation,
            [GQLX_KIND_FRAGMENT_DEFINITION] = gqlx_visit_skip,
        },
};
