/* src/validation/rules/unique_input_field_names.c
 *
 * Spec rule "Input Object Field Uniqueness" (5.6.3): an object literal
 * names each field once. graphql-js UniqueInputFieldNamesRule. */
#include "validation/rule.h"

struct state {
    gqlx_vmap *maps; /* one per open object value */
    size_t depth, cap;
};

static int enter_object(gqlx_vctx *ctx, const gqlx_node *node, void *state)
{
    (void)node;
    struct state *st = state;
    if (!gqlx_arena_grow(gqlx_vctx_arena(ctx), (void **)&st->maps, &st->cap, st->depth + 1,
                         sizeof *st->maps, st->depth))
        return GQLX_VISIT_SKIP;
    gqlx_vmap_init(&st->maps[st->depth++], gqlx_vctx_arena(ctx));
    return GQLX_VISIT_CONTINUE;
}

static int leave_object(gqlx_vctx *ctx, const gqlx_node *node, void *state)
{
    (void)ctx;
    (void)node;
    struct state *st = state;
    if (st->depth > 0)
        st->depth--;
    return GQLX_VISIT_CONTINUE;
}

static int enter_field(gqlx_vctx *ctx, const gqlx_node *node, void *state)
{
    struct state *st = state;
    if (st->depth == 0)
        return GQLX_VISIT_CONTINUE;
    const gqlx_object_field *f = GQLX_AS_CONST(gqlx_object_field, node);
    const gqlx_slice *known = gqlx_vmap_put(&st->maps[st->depth - 1], f->name, &f->name);
    if (known != NULL) {
        gqlx_buf_printf(gqlx_vctx_msg(ctx), "There can be only one input field named \"%.*s\".",
                        (int)f->name.len, f->name.ptr);
        uint32_t offs[2] = {gqlx_vctx_offset(ctx, *known), gqlx_vctx_offset(ctx, f->name)};
        gqlx_vctx_report(ctx, offs, 2);
    }
    return GQLX_VISIT_CONTINUE;
}

const gqlx_rule gqlx_rule_unique_input_field_names = {
    .name = "UniqueInputFieldNames",
    .state_size = sizeof(struct state),
    .enter =
        {
            [GQLX_KIND_OBJECT_VALUE] = enter_object,
            [GQLX_KIND_OBJECT_FIELD] = enter_field,
        },
    .leave = {[GQLX_KIND_OBJECT_VALUE] = leave_object},
};
