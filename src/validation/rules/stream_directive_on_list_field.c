/* src/validation/rules/stream_directive_on_list_field.c
 *
 * graphql-js 17 StreamDirectiveOnListFieldRule: @stream only on fields of
 * list type. Like graphql-js it looks at any directive spelled @stream. */
#include "validation/rule.h"

static int enter_directive(gqlx_vctx *ctx, const gqlx_node *node, void *state)
{
    (void)state;
    const gqlx_directive *d = GQLX_AS_CONST(gqlx_directive, node);
    const gqlx_field_decl *f = gqlx_vctx_field_def(ctx);
    const gqlx_type *parent = gqlx_vctx_parent_type(ctx);
    if (f == NULL || parent == NULL || !gqlx_slice_eq_cstr(d->name, "stream"))
        return GQLX_VISIT_CONTINUE;
    const gqlx_type_ref *t = f->type;
    if (t->wrap == GQLX_WRAP_LIST || (t->wrap != GQLX_WRAP_NAMED && t->of->wrap == GQLX_WRAP_LIST))
        return GQLX_VISIT_CONTINUE;
    gqlx_buf_printf(gqlx_vctx_msg(ctx),
                    "Directive \"@stream\" cannot be used on non-list field \"%s.%s\".",
                    parent->name->str, f->name->str);
    gqlx_vctx_report1(ctx, node->start);
    return GQLX_VISIT_CONTINUE;
}

const gqlx_rule gqlx_rule_stream_directive_on_list_field = {
    .name = "StreamDirectiveOnListField",
    .enter = {[GQLX_KIND_DIRECTIVE] = enter_directive},
};
