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
