/* src/validation/rules/possible_fragment_spreads.c
 *
 * Spec rule "Fragment Spread Is Possible" (5.5.2.3): a fragment's type and
 * the type it is spread into share at least one possible object type.
 * graphql-js PossibleFragmentSpreadsRule (doTypesOverlap). */
#include "validation/rule.h"

/* graphql-js doTypesOverlap on composite types. */
static bool overlap(const gqlx_schema *s, const gqlx_type *a, const gqlx_type *b)
{
    if (a == b)
        return true;
    if (gqlx_type_is_abstract(a)) {
        if (gqlx_type_is_abstract(b)) {
            const gqlx_type *const *pa = a->kind == GQLX_TYPE_UNION ? a->members : a->possible;
            uint32_t na = a->kind == GQLX_TYPE_UNION ? a->member_count : a->possible_count;
            for (uint32_t i = 0; i < na; i++)
                if (gqlx_schema_is_possible_type(s, b, pa[i]))
                    return true;
            return false;
        }
        return gqlx_schema_is_possible_type(s, a, b);
    }
    if (gqlx_type_is_abstract(b))
        return gqlx_schema_is_possible_type(s, b, a);
    return false;
}

static void report(gqlx_vctx *ctx, const gqlx_slice *name, const gqlx_type *parent,
                   const gqlx_type *frag, uint32_t offset)
{
    gqlx_buf *m = gqlx_vctx_msg(ctx);
    if (name != NULL)
        gqlx_buf_printf(m, "Fragment \"%.*s\" cannot", (int)name->len, name->ptr);
    else
        gqlx_buf_append_cstr(m, "Fragment cannot");
    gqlx_buf_printf(m,
                    " be spread here as objects of type \"%s\" can never be of type \"%s\".",
                    parent->name->str, frag->name->str);
    gqlx_vctx_report1(ctx, offset);
}

static int enter_inline(gqlx_vctx *ctx, const gqlx_node *node, void *state)
{
    (void)state;
    const gqlx_type_ref *ft = gqlx_vctx_type(ctx);
    const gqlx_type *parent = gqlx_vctx_parent_type(ctx);
    if (ft == NULL || ft->wrap != GQLX_WRAP_NAMED || !gqlx_type_is_composite(ft->named) ||
        parent == NULL)
        return GQLX_VISIT_CONTINUE;
    if (!overlap(gqlx_vctx_schema(ctx), ft->named, parent))
        report(ctx, NULL, parent, ft->named, node->start);
    return GQLX_VISIT_CONTINUE;
}

static int enter_spread(gqlx_vctx *ctx, const gqlx_node *node, void *state)
{
    (void)state;
    const gqlx_fragment_spread *s = GQLX_AS_CONST(gqlx_fragment_spread, node);
    const gqlx_fragment_def *f = gqlx_vctx_fragment(ctx, s->name);
    const gqlx_type *parent = gqlx_vctx_parent_type(ctx);
    if (f == NULL || f->type_condition == NULL || parent == NULL)
        return GQLX_VISIT_CONTINUE;
    const gqlx_type *ft = gqlx_vctx_lookup_type(ctx, f->type_condition->name);
    if (ft == NULL || !gqlx_type_is_composite(ft))
        return GQLX_VISIT_CONTINUE;
    if (!overlap(gqlx_vctx_schema(ctx), ft, parent))
        report(ctx, &s->name, parent, ft, node->start);
    return GQLX_VISIT_CONTINUE;
}

const gqlx_rule gqlx_rule_possible_fragment_spreads = {
    .name = "PossibleFragmentSpreads",
    .enter =
        {
            [GQLX_KIND_INLINE_FRAGMENT] = enter_inline,
            [GQLX_KIND_FRAGMENT_SPREAD] = enter_spread,
        },
};
