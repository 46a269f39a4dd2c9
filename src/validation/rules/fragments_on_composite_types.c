/* src/validation/rules/fragments_on_composite_types.c
 *
 * Spec rule "Fragments On Composite Types" (5.5.1.3): type conditions name
 * objects, interfaces or unions. graphql-js FragmentsOnCompositeTypesRule. */
#include "validation/rule.h"

static void check(gqlx_vctx *ctx, const gqlx_named_type *cond, const gqlx_slice *fragment)
{
    const gqlx_type *t = gqlx_vctx_lookup_type(ctx, cond->name);
    if (t == NULL || gqlx_type_is_composite(t))
        return;
    gqlx_buf *m = gqlx_vctx_msg(ctx);
    if (fragment != NULL)
        gqlx_buf_printf(m, "Fragment \"%.*s\" cannot condition on non composite type \"%.*s\".",
                        (int)fragment->len, fragment->ptr, (int)cond->name.len,
                        cond->name.ptr);
    else
        gqlx_buf_printf(m, "Fragment cannot condition on non composite type \"%.*s\".",
                        (int)cond->name.len, cond->name.ptr);
    gqlx_vctx_report1(ctx, cond->base.start);
}

static int enter_inline(gqlx_vctx *ctx, const gqlx_node *node, void *state)
{
    (void)state;
    const gqlx_inline_fragment *f = GQLX_AS_CONST(gqlx_inline_fragment, node);
    if (f->type_condition != NULL)
        check(ctx, f->type_condition, NULL);
    return GQLX_VISIT_CONTINUE;
}

static int enter_fragment(gqlx_vctx *ctx, const gqlx_node *node, void *state)
{
    (void)state;
    const gqlx_fragment_def *f = GQLX_AS_CONST(gqlx_fragment_def, node);
    if (f->type_condition != NULL)
        check(ctx, f->type_condition, &f->name);
    return GQLX_VISIT_CONTINUE;
}

const gqlx_rule gqlx_rule_fragments_on_composite_types = {
    .name = "FragmentsOnCompositeTypes",
    .enter =
        {
            [GQLX_KIND_INLINE_FRAGMENT] = enter_inline,
            [GQLX_KIND_FRAGMENT_DEFINITION] = enter_fragment,
        },
};
