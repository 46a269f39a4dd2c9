/* src/validation/rules/provided_required_arguments.c
 *
 * Spec rule "Required Arguments" (5.4.2.1): non-null arguments without a
 * default are given. graphql-js ProvidedRequiredArgumentsRule (reported
 * when leaving the field or directive); directives defined in the document
 * itself take precedence over the schema's. */
#include <string.h>

#include "validation/rule.h"

static bool provided(const gqlx_argument_list *args, const char *name, size_t len)
{
    for (uint32_t i = 0; i < args->count; i++)
        if (args->items[i]->name.len == len && memcmp(args->items[i]->name.ptr, name, len) == 0)
            return true;
    return false;
}

static int leave_field(gqlx_vctx *ctx, const gqlx_node *node, void *state)
{
    (void)state;
    const gqlx_field_decl *f = gqlx_vctx_field_def(ctx);
    if (f == NULL)
        return GQLX_VISIT_CONTINUE;
    const gqlx_field *field = GQLX_AS_CONST(gqlx_field, node);
    for (uint32_t i = 0; i < f->arg_count; i++) {
        const gqlx_input_value *a = &f->args[i];
        if (a->type->wrap != GQLX_WRAP_NON_NULL || a->default_value != NULL ||
            provided(&field->arguments, a->name->str, a->name->len))
            continue;
        gqlx_buf *m = gqlx_vctx_msg(ctx);
        gqlx_buf_printf(m, "Argument \"%s.%s(%s:)\" of type \"",
                        f->owner ? f->owner->name->str : "<meta>", f->name->str, a->name->str);
        gqlx_type_ref_print(m, a->type);
        gqlx_buf_append_cstr(m, "\" is required, but it was not provided.");
        gqlx_vctx_report1(ctx, node->start);
    }
    return GQLX_VISIT_CONTINUE;
}

static int leave_directive(gqlx_vctx *ctx, const gqlx_node *node, void *state)
{
    (void)state;
    const gqlx_directive *d = GQLX_AS_CONST(gqlx_directive, node);
    const gqlx_directive_def *def = gqlx_vctx_doc_directive(ctx, d->name);
    if (def != NULL) {
        for (uint32_t i = 0; i < def->arguments.count; i++) {
            const gqlx_input_value_def *a = def->arguments.items[i];
            if (a->type->kind != GQLX_KIND_NON_NULL_TYPE || a->default_value != NULL ||
                provided(&d->arguments, a->name.ptr, a->name.len))
                continue;
            gqlx_buf *m = gqlx_vctx_msg(ctx);
            gqlx_buf_printf(m, "Argument \"@%.*s(%.*s:)\" of type \"", (int)d->name.len,
                            d->name.ptr, (int)a->name.len, a->name.ptr);
            gqlx_vctx_print(ctx, m, a->type);
            gqlx_buf_append_cstr(m, "\" is required, but it was not provided.");
            gqlx_vctx_report1(ctx, node->start);
        }
        return GQLX_VISIT_CONTINUE;
    }
    const gqlx_directive_decl *decl = gqlx_vctx_directive(ctx);
    if (decl == NULL)
        return GQLX_VISIT_CONTINUE;
    for (uint32_t i = 0; i < decl->arg_count; i++) {
        const gqlx_input_value *a = &decl->args[i];
        if (a->type->wrap != GQLX_WRAP_NON_NULL || a->default_value != NULL ||
            provided(&d->arguments, a->name->str, a->name->len))
            continue;
        gqlx_buf *m = gqlx_vctx_msg(ctx);
        gqlx_buf_printf(m, "Argument \"@%s(%s:)\" of type \"", decl->name->str, a->name->str);
        gqlx_type_ref_print(m, a->type);
        gqlx_buf_append_cstr(m, "\" is required, but it was not provided.");
        gqlx_vctx_report1(ctx, node->start);
    }
    return GQLX_VISIT_CONTINUE;
}

const gqlx_rule gqlx_rule_provided_required_arguments = {
    .name = "ProvidedRequiredArguments",
    .leave =
        {
            [GQLX_KIND_FIELD] = leave_field,
            [GQLX_KIND_DIRECTIVE] = leave_directive,
        },
};
