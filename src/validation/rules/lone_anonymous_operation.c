/* src/validation/rules/lone_anonymous_operation.c
 *
 * Spec rule "Lone Anonymous Operation" (5.2.2.1): an anonymous operation
 * must be the only operation of its document. graphql-js
 * LoneAnonymousOperationRule. */
#include "validation/rule.h"

struct state {
    uint32_t operations;
};

static int enter_document(gqlx_vctx *ctx, const gqlx_node *node, void *state)
{
    (void)ctx;
    struct state *st = state;
    const gqlx_document *doc = GQLX_AS_CONST(gqlx_document, node);
    for (uint32_t i = 0; i < doc->definitions.count; i++)
        st->operations += doc->definitions.items[i]->kind == GQLX_KIND_OPERATION_DEFINITION;
    return GQLX_VISIT_CONTINUE;
}

static int enter_operation(gqlx_vctx *ctx, const gqlx_node *node, void *state)
{
    struct state *st = state;
    if (GQLX_AS_CONST(gqlx_operation_def, node)->name.ptr == NULL && st->operations > 1) {
        gqlx_buf_append_cstr(gqlx_vctx_msg(ctx),
                             "This anonymous operation must be the only defined operation.");
        gqlx_vctx_report1(ctx, node->start);
    }
    return GQLX_VISIT_CONTINUE;
}

const gqlx_rule gqlx_rule_lone_anonymous_operation = {
    .name = "LoneAnonymousOperation",
    .state_size = sizeof(struct state),
    .enter =
        {
            [GQLX_KIND_DOCUMENT] = enter_document,
            [GQLX_KIND_OPERATION_DEFINITION] = enter_operation,
        },
};
