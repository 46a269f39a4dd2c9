/* src/validation/rules/known_fragment_names.c
 *
 * Spec rule "Fragment Spread Target Defined" (5.5.2.1). graphql-js
 * KnownFragmentNamesRule. */
#include "validation/rule.h"

static int enter_spread(gqlx_vctx *ctx, const gqlx_node *node, void *state)
{
    (void)state;
    const gqlx_fragment_spread *s = GQLX_AS_CONST(gqlx_fragment_spread, node);
    if (gqlx_vctx_fragment(ctx, s->name) == NULL) {
        gqlx_buf_printf(gqlx_vctx_msg(ctx), "Unknown fragment \"%.*s\".", (int)s->name.len,
                        s->name.ptr);
        gqlx_vctx_report1(ctx, gqlx_vctx_offset(ctx, s->name));
    }
    return GQLX_VISIT_CONTINUE;
}

const gqlx_rule gqlx_rule_known_fragment_names = {
    .name = "KnownFragmentNames",
    .enter = {[GQLX_KIND_FRAGMENT_SPREAD] = enter_spread},
};
