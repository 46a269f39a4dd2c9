/* src/validation/rules/scalar_leafs.c
 *
 * Spec rule "Leaf Field Selections" (5.3.3): leaf fields have no selection
 * set, composite fields have one. graphql-js ScalarLeafsRule (with 17's
 * allowEmptySelectionSets option). */
#include "validation/rule.h"

static int enter_field(gqlx_vctx *ctx, const gqlx_node *node, void *state)
{
    (void)state;
    const gqlx_type_ref *t = gqlx_vctx_type(ctx);
    if (t == NULL)
        return GQLX_VISIT_CONTINUE;
    const gqlx_field *f = GQLX_AS_CONST(gqlx_field, node);
    gqlx_buf *m;
    if (gqlx_type_is_leaf(t->named)) {
        if (f->selection_set == NULL)
            return GQLX_VISIT_CONTINUE;
        m = gqlx_vctx_msg(ctx);
        gqlx_buf_printf(m, "Field \"%.*s\" must not have a selection since type \"",
                        (int)f->name.len, f->name.ptr);
        gqlx_type_ref_print(m, t);
        gqlx_buf_append_cstr(m, "\" has no subfields.");
        gqlx_vctx_report1(ctx, f->selection_set->base.start);
    } else if (f->selection_set == NULL) {
        m = gqlx_vctx_msg(ctx);
        gqlx_buf_printf(m, "Field \"%.*s\" of type \"", (int)f->name.len, f->name.ptr);
        gqlx_type_ref_print(m, t);
        gqlx_buf_printf(m, "\" must have a selection of subfields. Did you mean \"%.*s { ... }\"?",
                        (int)f->name.len, f->name.ptr);
        gqlx_vctx_report1(ctx, node->start);
    } else if (f->selection_set->selections.count == 0 &&
               !gqlx_vctx_opts(ctx)->allow_empty_selection_sets) {
        m = gqlx_vctx_msg(ctx);
        gqlx_buf_printf(m, "Field \"%.*s\" of type \"", (int)f->name.len, f->name.ptr);
        gqlx_type_ref_print(m, t);
        gqlx_buf_append_cstr(m, "\" must have at least one field selected.");
        gqlx_vctx_report1(ctx, node->start);
    }
    return GQLX_VISIT_CONTINUE;
}

const gqlx_rule gqlx_rule_scalar_leafs = {
    .name = "ScalarLeafs",
    .enter = {[GQLX_KIND_FIELD] = enter_field},
};
