/* src/validation/rules/no_schema_introspection.c
 *
 * Optional rule (gqlx_validate_opts.disable_introspection): rejects fields
 * whose type is an introspection type, i.e. __schema and __type and what
 * is selected below them. graphql-js NoSchemaIntrospectionCustomRule. */
#include "validation/rule.h"

static int enter_field(gqlx_vctx *ctx, const gqlx_node *node, void *state)
{
    (void)state;
    const gqlx_type_ref *t = gqlx_vctx_type(ctx);
    if (t == NULL || !t->named->builtin || t->named->name->len < 2 ||
        t->named->name->str[0] != '_' || t->named->name->str[1] != '_')
        return GQLX_VISIT_CONTINUE;
    gqlx_slice name = GQLX_AS_CONST(gqlx_field, node)->name;
    gqlx_buf_printf(gqlx_vctx_msg(ctx),
                    "GraphQL introspection has been disabled, but the requested query "
                    "contained the field \"%.*s\".",
                    (int)name.len, name.ptr);
    gqlx_vctx_report1(ctx, node->start);
    return GQLX_VISIT_CONTINUE;
}

const gqlx_rule gqlx_rule_no_schema_introspection = {
    .name = "NoSchemaIntrospectionCustom",
    .enter = {[GQLX_KIND_FIELD] = enter_field},
};
