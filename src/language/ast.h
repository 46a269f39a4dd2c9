/* src/language/ast.h — the GraphQL abstract syntax tree.
 *
 * The tree mirrors graphql-js's AST (language/ast.ts): one node kind per
 * grammar production, listed in ast_kinds.def. Every node begins with a
 * gqlx_node header holding its kind and its location as byte offsets into
 * the source: [start, end) spans the node's first to last token, as
 * graphql-js's `loc` does. Line and column come from gqlx_source_location().
 *
 * All nodes live in the arena the parser was given. Names and literal texts
 * are slices into the source text (zero copy), so the source must outlive
 * the tree. A name's own location is (name.ptr - source body).
 *
 * Optional children are NULL (node pointers) or have ptr == NULL (names).
 * Lists are arrays of node pointers with a count; an absent list is empty. */
#ifndef GQLX_AST_H
#define GQLX_AST_H

#include <stdbool.h>
#include <stdint.h>

#include "core/slice.h"

typedef enum gqlx_kind {
#define GQLX_AST_KIND(name, js, type) GQLX_KIND_##name,
#include "language/ast_kinds.def"
#undef GQLX_AST_KIND
    GQLX_KIND_COUNT
} gqlx_kind;

/* graphql-js's name for a kind ("OperationDefinition"). */
const char *gqlx_kind_name(gqlx_kind kind);

typedef struct gqlx_node {
    uint8_t kind;   /* gqlx_kind */
    uint8_t flags;  /* kind-specific bits, see below */
    uint32_t start; /* byte offset of the first token */
    uint32_t end;   /* byte offset just past the last token */
} gqlx_node;

#define GQLX_DEFINE_LIST(list_name, elem)  \
    typedef struct list_name {             \
        struct elem **items;               \
        uint32_t count;                    \
    } list_name

struct gqlx_variable_def;
struct gqlx_argument;
struct gqlx_directive;
struct gqlx_object_field;
struct gqlx_named_type;
struct gqlx_field_def;
struct gqlx_input_value_def;
struct gqlx_enum_value_def;
struct gqlx_operation_type_def;

GQLX_DEFINE_LIST(gqlx_node_list, gqlx_node);
GQLX_DEFINE_LIST(gqlx_variable_def_list, gqlx_variable_def);
GQLX_DEFINE_LIST(gqlx_argument_list, gqlx_argument);
GQLX_DEFINE_LIST(gqlx_directive_list, gqlx_directive);
GQLX_DEFINE_LIST(gqlx_object_field_list, gqlx_object_field);
GQLX_DEFINE_LIST(gqlx_named_type_list, gqlx_named_type);
GQLX_DEFINE_LIST(gqlx_field_def_list, gqlx_field_def);
GQLX_DEFINE_LIST(gqlx_input_value_def_list, gqlx_input_value_def);
GQLX_DEFINE_LIST(gqlx_enum_value_def_list, gqlx_enum_value_def);
GQLX_DEFINE_LIST(gqlx_operation_type_def_list, gqlx_operation_type_def);

/* A list of names with locations (directive locations). */
typedef struct gqlx_name_list {
    gqlx_slice *items;
    uint32_t count;
} gqlx_name_list;

typedef enum gqlx_operation {
    GQLX_OP_QUERY,
    GQLX_OP_MUTATION,
    GQLX_OP_SUBSCRIPTION
} gqlx_operation;

/* "query", "mutation" or "subscription". */
const char *gqlx_operation_name(gqlx_operation op);

/* ---- values ---------------------------------------------------------- */

/* Values are gqlx_node pointers whose kind is one of the value kinds:
 * VARIABLE, INT_VALUE, FLOAT_VALUE, STRING_VALUE, BOOLEAN_VALUE, NULL_VALUE,
 * ENUM_VALUE, LIST_VALUE, OBJECT_VALUE. */

typedef struct gqlx_variable {
    gqlx_node base;
    gqlx_slice name; /* without the '$' */
} gqlx_variable;

/* INT_VALUE, FLOAT_VALUE (the literal's text) and ENUM_VALUE (the name). */
typedef struct gqlx_scalar_value {
    gqlx_node base;
    gqlx_slice text;
} gqlx_scalar_value;

/* base.flags bits of a STRING_VALUE */
#define GQLX_STRING_BLOCK 0x01   /* written as a """block string""" */
#define GQLX_STRING_ESCAPED 0x02 /* raw holds escapes, or (block) needs dedent */

typedef struct gqlx_string_value {
    gqlx_node base;
    /* The text between the quotes exactly as written. When flags has
     * neither BLOCK nor ESCAPED it is the value itself; otherwise the value
     * comes from gqlx_string_value_get() (language/string_value.h). */
    gqlx_slice raw;
} gqlx_string_value;

typedef struct gqlx_boolean_value {
    gqlx_node base;
    bool value;
} gqlx_boolean_value;

typedef struct gqlx_list_value {
    gqlx_node base;
    gqlx_node_list values;
} gqlx_list_value;

typedef struct gqlx_object_field {
    gqlx_node base;
    gqlx_slice name;
    gqlx_node *value;
} gqlx_object_field;

typedef struct gqlx_object_value {
    gqlx_node base;
    gqlx_object_field_list fields;
} gqlx_object_value;

/* ---- type references ------------------------------------------------- */

typedef struct gqlx_named_type {
    gqlx_node base;
    gqlx_slice name;
} gqlx_named_type;

/* LIST_TYPE and NON_NULL_TYPE: `type` is the wrapped type reference. */
typedef struct gqlx_wrapper_type {
    gqlx_node base;
    gqlx_node *type;
} gqlx_wrapper_type;

/* ---- executable definitions ----------------------------------------- */

typedef struct gqlx_argument {
    gqlx_node base;
    gqlx_slice name;
    gqlx_node *value;
} gqlx_argument;

typedef struct gqlx_directive {
    gqlx_node base;
    gqlx_slice name; /* without the '@' */
    gqlx_argument_list arguments;
} gqlx_directive;

typedef struct gqlx_selection_set {
    gqlx_node base;
    gqlx_node_list selections; /* FIELD, FRAGMENT_SPREAD, INLINE_FRAGMENT */
} gqlx_selection_set;

typedef struct gqlx_field {
    gqlx_node base;
    gqlx_slice alias; /* ptr NULL when there is no alias */
    gqlx_slice name;
    gqlx_argument_list arguments;
    gqlx_directive_list directives;
    gqlx_selection_set *selection_set; /* NULL for leaf fields */
} gqlx_field;

typedef struct gqlx_fragment_spread {
    gqlx_node base;
    gqlx_slice name;
    gqlx_directive_list directives;
} gqlx_fragment_spread;

typedef struct gqlx_inline_fragment {
    gqlx_node base;
    gqlx_named_type *type_condition; /* NULL when absent */
    gqlx_directive_list directives;
    gqlx_selection_set *selection_set;
} gqlx_inline_fragment;

typedef struct gqlx_variable_def {
    gqlx_node base;
    gqlx_string_value *description; /* NULL when absent */
    gqlx_variable *variable;
    gqlx_node *type;
    gqlx_node *default_value; /* NULL when absent; a constant value */
    gqlx_directive_list directives;
} gqlx_variable_def;

/* base.flags bit of an OPERATION_DEFINITION */
#define GQLX_OPERATION_SHORTHAND 0x01 /* written as a bare { selection set } */

typedef struct gqlx_operation_def {
    gqlx_node base;
    gqlx_operation operation;
    gqlx_string_value *description;
    gqlx_slice name; /* ptr NULL for anonymous operations */
    gqlx_variable_def_list variable_definitions;
    gqlx_directive_list directives;
    gqlx_selection_set *selection_set;
} gqlx_operation_def;

typedef struct gqlx_fragment_def {
    gqlx_node base;
    gqlx_string_value *description;
    gqlx_slice name;
    gqlx_named_type *type_condition;
    gqlx_directive_list directives;
    gqlx_selection_set *selection_set;
} gqlx_fragment_def;

/* ---- type system ----------------------------------------------------- */

typedef struct gqlx_operation_type_def {
    gqlx_node base;
    gqlx_operation operation;
    gqlx_named_type *type;
} gqlx_operation_type_def;

/* SCHEMA_DEFINITION and SCHEMA_EXTENSION */
typedef struct gqlx_schema_def {
    gqlx_node base;
    gqlx_string_value *description;
    gqlx_directive_list directives;
    gqlx_operation_type_def_list operation_types;
} gqlx_schema_def;

/* SCALAR_TYPE_DEFINITION and SCALAR_TYPE_EXTENSION */
typedef struct gqlx_scalar_type_def {
    gqlx_node base;
    gqlx_string_value *description;
    gqlx_slice name;
    gqlx_directive_list directives;
} gqlx_scalar_type_def;

typedef struct gqlx_input_value_def {
    gqlx_node base;
    gqlx_string_value *description;
    gqlx_slice name;
    gqlx_node *type;
    gqlx_node *default_value; /* NULL when absent */
    gqlx_directive_list directives;
} gqlx_input_value_def;

typedef struct gqlx_field_def {
    gqlx_node base;
    gqlx_string_value *description;
    gqlx_slice name;
    gqlx_input_value_def_list arguments;
    gqlx_node *type;
    gqlx_directive_list directives;
} gqlx_field_def;

/* OBJECT_ and INTERFACE_TYPE_DEFINITION and their extensions */
typedef struct gqlx_object_type_def {
    gqlx_node base;
    gqlx_string_value *description;
    gqlx_slice name;
    gqlx_named_type_list interfaces;
    gqlx_directive_list directives;
    gqlx_field_def_list fields;
} gqlx_object_type_def;

/* UNION_TYPE_DEFINITION and UNION_TYPE_EXTENSION */
typedef struct gqlx_union_type_def {
    gqlx_node base;
    gqlx_string_value *description;
    gqlx_slice name;
    gqlx_directive_list directives;
    gqlx_named_type_list types;
} gqlx_union_type_def;

typedef struct gqlx_enum_value_def {
    gqlx_node base;
    gqlx_string_value *description;
    gqlx_slice name;
    gqlx_directive_list directives;
} gqlx_enum_value_def;

/* ENUM_TYPE_DEFINITION and ENUM_TYPE_EXTENSION */
typedef struct gqlx_enum_type_def {
    gqlx_node base;
    gqlx_string_value *description;
    gqlx_slice name;
    gqlx_directive_list directives;
    gqlx_enum_value_def_list values;
} gqlx_enum_type_def;

/* INPUT_OBJECT_TYPE_DEFINITION and INPUT_OBJECT_TYPE_EXTENSION */
typedef struct gqlx_input_object_type_def {
    gqlx_node base;
    gqlx_string_value *description;
    gqlx_slice name;
    gqlx_directive_list directives;
    gqlx_input_value_def_list fields;
} gqlx_input_object_type_def;

/* base.flags bit of a DIRECTIVE_DEFINITION */
#define GQLX_DIRECTIVE_REPEATABLE 0x01

/* DIRECTIVE_DEFINITION, and DIRECTIVE_EXTENSION (`extend directive @name
 * @dir`, which has only a name and directives). Directives applied to a
 * directive definition follow graphql-js 17's experimental support. */
typedef struct gqlx_directive_def {
    gqlx_node base;
    gqlx_string_value *description;
    gqlx_slice name; /* without the '@' */
    gqlx_input_value_def_list arguments;
    gqlx_directive_list directives;
    gqlx_name_list locations;
} gqlx_directive_def;

/* ---- document -------------------------------------------------------- */

struct gqlx_source;

typedef struct gqlx_document {
    gqlx_node base;
    gqlx_node_list definitions;
    const struct gqlx_source *source;
    uint32_t token_count; /* tokens read, comments excluded */
} gqlx_document;

/* True when the value literal v is a variable or holds one in a list or
 * an object field. */
bool gqlx_value_has_variable(const gqlx_node *v);

/* Checked downcast helpers: the cast is valid because every node struct
 * starts with its gqlx_node header. */
#define GQLX_AS(type, node) ((type *)(void *)(node))
#define GQLX_AS_CONST(type, node) ((const type *)(const void *)(node))

#endif
