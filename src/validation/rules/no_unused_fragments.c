/* src/validation/rules/no_unused_fragments.c
 *
 * Spec rule "Fragments Must Be Used" (5.5.1.4): every fragment is reached
 * from some operation, directly or through other fragments. graphql-js
 * NoUnusedFragmentsRule (reported when the document is left). */
#include <string.h>

#include "validation/rule.h"

static int leave_document(gqlx_vctx *ctx, const gqlx_node *node, void *state)
{
    (void)state;
    const gqlx_document *doc = GQLX_AS_CONST(gqlx_document, node);
    gqlx_arena *a = gqlx_vctx_arena(ctx);
    const gqlx_operation_def **ops =
        GQLX_ARRAY(a, const gqlx_operation_def *, doc->definitions.count + 1);
    if (ops == NULL)
        return GQLX_VISIT_CONTINUE;
    size_t nops = 0;
    for (uint32_t i = 0; i < doc->definitions.count; i++)
        if (doc->definitions.items[i]->kind == GQLX_KIND_OPERATION_DEFINITION)
            ops[nops++] = GQLX_AS_CONST(gqlx_operation_def, doc->definitions.items[i]);
    const gqlx_fragment_def *const *used;
    size_t nused = gqlx_vctx_referenced_fragments(ctx, ops, nops, &used);
    gqlx_vmap names;
    gqlx_vmap_init(&names, a);
    for (size_t i = 0; i < nused; i++)
        gqlx_vmap_put(&names, used[i]->name, used[i]);
    for (uint32_t i = 0; i < doc->definitions.count; i++) {
        const gqlx_node *d = doc->definitions.items[i];
        if (d->kind != GQLX_KIND_FRAGMENT_DEFINITION)
            continue;
        const gqlx_fragment_def *f = GQLX_AS_CONST(gqlx_fragment_def, d);
        if (gqlx_vmap_get(&names, f->name) == NULL) {
            gqlx_buf_printf(gqlx_vctx_msg(ctx), "Fragment \"%.*s\" is never used.",
                            (int)f->name.len, f->name.ptr);
            gqlx_vctx_report1(ctx, d->start);
        }
    }
    return GQLX_VISIT_CONTINUE;
}

const gqlx_rule gqlx_rule_no_unused_fragments = {
    .name = "NoUnusedFragments",
    .enter =
        {
            [GQLX_KIND_OPERATION_DEFINITION] = gqlx_visit_skip,
            [GQLX_KIND_FRAGMENT_DEFINITION] = gqlx_visit_skip,
        },
    .leave = {[GQLX_KIND_DOCUMENT] = leave_document},
};
