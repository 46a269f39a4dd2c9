/* src/language/ast.c — names of AST node kinds and operation types. */
#include "language/ast.h"

const char *gqlx_kind_name(gqlx_kind kind)
{
    static const char *const names[] = {
#define GQLX_AST_KIND(name, js, type) js,
#include "language/ast_kinds.def"
#undef GQLX_AST_KIND
    };
    return (unsigned)kind < GQLX_KIND_COUNT ? names[kind] : "?";
}

const char *gqlx_operation_name(gqlx_operation op)
{
    switch (op) {
    case GQLX_OP_QUERY:
        return "query";
    case GQLX_OP_MUTATION:
        return "mutation";
    case GQLX_OP_SUBSCRIPTION:
        return "subscription";
    }
    return "?";
}

bool gqlx_value_has_variable(const gqlx_node *v)
{
    if (v->kind == GQLX_KIND_VARIABLE)
        return true;
    if (v->kind == GQLX_KIND_LIST_VALUE) {
        const gqlx_list_value *l = GQLX_AS_CONST(gqlx_list_value, v);
        for (uint32_t i = 0; i < l->values.count; i++)
            if (gqlx_value_has_variable(l->values.items[i]))
                return true;
    } else if (v->kind == GQLX_KIND_OBJECT_VALUE) {
        const gqlx_object_value *o = GQLX_AS_CONST(gqlx_object_value, v);
        for (uint32_t i = 0; i < o->fields.count; i++)
            if (gqlx_value_has_variable(o->fields.items[i]->value))
                return true;
    }
    return false;
}
