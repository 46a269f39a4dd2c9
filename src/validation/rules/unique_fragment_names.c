/* src/validation/rules/unique_fragment_names.c
 *
 * Spec rule "Fragment Name Uniqueness" (5.5.1.1). graphql-js
 * UniqueFragmentNamesRule. */
#include "validation/rule.h"

struct state {
    gqlx_vmap first;
    bool ready;
};

static int enter_fragment(gqlx_vctx *ctx, const gqlx_node *node, void *state)
{
    struct state *st = state;
    const gqlx_fragment_def *f = GQLX_AS_CONST(gqlx_fragment_def, node);
    if (!st->ready) {
        gqlx_vmap_init(&st->first, gqlx_vctx_arena(ctx));
        st->ready = true;
    }
    const gqlx_slice *earlier = gqlx_vmap_put(&st->first, f->name, &f->name);
    if (earlier != NULL) {
        gqlx_buf_printf(gqlx_vctx_msg(ctx), "There can be only one fragment named \"%.*s\".",
                        (int)f->name.len, f->name.ptr);
        uint32_t offs[2] = {gqlx_vctx_offset(ctx, *earlier), gqlx_vctx_offset(ctx, f->name)};
        gqlx_vctx_report(ctx, offs, 2);
    }
    return GQLX_VISIT_SKIP;
}

const gqlx_rule gqlx_rule_unique_fragment_names = {
    .name = "UniqueFragmentNames",
    .state_size = sizeof(struct state),
    .enter =
        {
            [GQLX_KIND_OPERATION_DEFINITION] = gqlx_visit_skip,
            [GQLX_KIND_FRAGMENT_DEFINITION] = enter_fragment,
        },
};
