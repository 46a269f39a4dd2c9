/* src/validation/rules/executable_definitions.c
 *
 * Spec rule "Executable Definitions" (5.1.1): a document sent for execution
 * holds only operations and fragments. graphql-js ExecutableDefinitionsRule. */
#include "validation/rule.h"

/* The name of a type-system definition or extension (every such struct
 * starts with base, description, name, but each is read through its own
 * type). */
static gqlx_slice definition_name(const gqlx_node *d)
{
    switch (d->kind) {
    case GQLX_KIND_SCALAR_TYPE_DEFINITION:
    case GQLX_KIND_SCALAR_TYPE_EXTENSION:
        return GQLX_AS_CONST(gqlx_scalar_type_def, d)->name;
    case GQLX_KIND_OBJECT_TYPE_DEFINITION:
    case GQLX_KIND_OBJECT_TYPE_EXTENSION:
    case GQLX_KIND_INTERFACE_TYPE_DEFINITION:
    case GQLX_KIND_INTERFACE_TYPE_EXTENSION:
        return GQLX_AS_CONST(gqlx_object_type_def, d)->name;
    case GQLX_KIND_UNION_TYPE_DEFINITION:
    case GQLX_KIND_UNION_TYPE_EXTENSION:
        return GQLX_AS_CONST(gqlx_union_type_def, d)->name;
    case GQLX_KIND_ENUM_TYPE_DEFINITION:
    case GQLX_KIND_ENUM_TYPE_EXTENSION:
        return GQLX_AS_CONST(gqlx_enum_type_def, d)->name;
    case GQLX_KIND_INPUT_OBJECT_TYPE_DEFINITION:
    case GQLX_KIND_INPUT_OBJECT_TYPE_EXTENSION:
        return GQLX_AS_CONST(gqlx_input_object_type_def, d)->name;
    case GQLX_KIND_DIRECTIVE_DEFINITION:
    case GQLX_KIND_DIRECTIVE_EXTENSION:
        return GQLX_AS_CONST(gqlx_directive_def, d)->name;
    default:
        return gqlx_slice_make(NULL, 0);
    }
}

static int enter_document(gqlx_vctx *ctx, const gqlx_node *node, void *state)
{
    (void)state;
    const gqlx_document *doc = GQLX_AS_CONST(gqlx_document, node);
    for (uint32_t i = 0; i < doc->definitions.count; i++) {
        const gqlx_node *d = doc->definitions.items[i];
        if (d->kind == GQLX_KIND_OPERATION_DEFINITION || d->kind == GQLX_KIND_FRAGMENT_DEFINITION)
            continue;
        gqlx_buf *m = gqlx_vctx_msg(ctx);
        if (d->kind == GQLX_KIND_SCHEMA_DEFINITION || d->kind == GQLX_KIND_SCHEMA_EXTENSION) {
            gqlx_buf_append_cstr(m, "The schema definition is not executable.");
        } else {
            gqlx_slice n = definition_name(d);
            gqlx_buf_printf(m, "The \"%.*s\" definition is not executable.", (int)n.len, n.ptr);
        }
        gqlx_vctx_report1(ctx, d->start);
    }
    return GQLX_VISIT_SKIP;
}

const gqlx_rule gqlx_rule_executable_definitions = {
    .name = "ExecutableDefinitions",
    .enter = {[GQLX_KIND_DOCUMENT] = enter_document},
};
