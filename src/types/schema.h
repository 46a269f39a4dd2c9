/* src/types/schema.h — the schema model: types, fields, directives.
 *
 * A gqlx_schema is built once (build_schema.h) and is immutable afterwards:
 * every later layer (validation, execution, introspection, printing) reads
 * it without locks from any thread. Everything it holds lives in its own
 * arena: names are interned there (so names compare by pointer within one
 * schema), descriptions are decoded copies, and the SDL documents it was
 * built from are kept so that AST nodes stay valid for error locations.
 *
 * Order matters and mirrors graphql-js: fields, arguments, enum values,
 * input fields, interfaces and union members keep their SDL order
 * (extensions appended in document order); the type list follows
 * graphql-js's GraphQLSchema type map order (see build_schema.c). */
#ifndef GQLX_SCHEMA_H
#define GQLX_SCHEMA_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/intern.h"
#include "core/slice.h"
#include "gql/resolve.h"
#include "language/ast.h"
#include "language/source.h"

typedef enum gqlx_type_kind {
    GQLX_TYPE_SCALAR,
    GQLX_TYPE_OBJECT,
    GQLX_TYPE_INTERFACE,
    GQLX_TYPE_UNION,
    GQLX_TYPE_ENUM,
    GQLX_TYPE_INPUT_OBJECT
} gqlx_type_kind;

/* Type references: a named type, or a list or non-null wrapper around
 * another reference. Every gqlx_type begins with a NAMED reference to
 * itself, so a named type is usable wherever a reference is expected. */
typedef enum gqlx_wrap {
    GQLX_WRAP_NAMED,
    GQLX_WRAP_LIST,
    GQLX_WRAP_NON_NULL
} gqlx_wrap;

typedef struct gqlx_type gqlx_type;

/* C code bound to the schema (include/gql/builder.h) before it is frozen;
 * fn NULL when nothing is bound. */
typedef struct gqlx_binding {
    gql_resolve_fn fn;
    void *data;
} gqlx_binding;

/* An authorization requirement (src/types/authz.h): present (non-NULL on
 * an element) when the element needs an authenticated principal; the
 * principal must then hold one of the roles (when there are any) and pass
 * every policy. */
typedef struct gqlx_authz {
    const char *const *roles; /* NUL-terminated copies in the schema arena */
    uint32_t role_count;
    const char *const *policies;
    uint32_t policy_count;
} gqlx_authz;

typedef struct gqlx_type_ref {
    uint8_t wrap;                    /* gqlx_wrap */
    const struct gqlx_type_ref *of;  /* wrapped reference; NULL for NAMED */
    const gqlx_type *named;          /* the innermost named type */
} gqlx_type_ref;

/* The built-in scalars; GQLX_SCALAR_CUSTOM for all others. */
typedef enum gqlx_scalar_id {
    GQLX_SCALAR_CUSTOM,
    GQLX_SCALAR_INT,
    GQLX_SCALAR_FLOAT,
    GQLX_SCALAR_STRING,
    GQLX_SCALAR_BOOLEAN,
    GQLX_SCALAR_ID
} gqlx_scalar_id;

/* A directive applied in SDL, e.g. @deprecated(reason: "x"). */
typedef struct gqlx_applied_directive {
    const gqlx_directive *node; /* name and argument literals */
} gqlx_applied_directive;

typedef struct gqlx_applied_list {
    const gqlx_directive **items; /* the directive nodes, in SDL order */
    uint32_t count;
} gqlx_applied_list;

/* An argument of a field or directive, or a field of an input object. */
typedef struct gqlx_input_value {
    const gqlx_name *name;
    gqlx_slice description;        /* ptr NULL when there is none */
    const gqlx_type_ref *type;
    const gqlx_node *default_value; /* a constant value literal, or NULL */
    gqlx_slice deprecation_reason;  /* ptr NULL when not deprecated */
    gqlx_applied_list directives;
    const gqlx_input_value_def *ast; /* NULL for built-in definitions */
    const gqlx_authz *authz;         /* field arguments: who may give it */
} gqlx_input_value;

/* A field of an object or interface type. (Named _decl because the AST's
 * gqlx_field is the executable field selection.) */
typedef struct gqlx_field_decl {
    const gqlx_name *name;
    gqlx_slice description;
    const gqlx_type_ref *type;
    gqlx_input_value *args;
    uint32_t arg_count;
    gqlx_slice deprecation_reason;
    gqlx_applied_list directives;
    const gqlx_field_def *ast;
    const gqlx_type *owner; /* the object or interface type */
    uint32_t index;         /* position among the owner's fields */
    gqlx_binding resolve;   /* the field's resolver */
    gqlx_binding subscribe; /* subscription root fields: the source */
    const gqlx_authz *authz; /* who may select it; NULL: anyone */
    bool allow_anonymous;    /* neither its own nor its type's rule applies */
} gqlx_field_decl;

typedef struct gqlx_enum_value {
    const gqlx_name *name;
    gqlx_slice description;
    gqlx_slice deprecation_reason;
    gqlx_applied_list directives;
    const gqlx_enum_value_def *ast;
} gqlx_enum_value;

/* A small open-addressing index from interned name to position, used for
 * fields, arguments, enum values and input fields alike. */
typedef struct gqlx_name_index {
    const gqlx_name **keys; /* NULL = empty slot */
    uint32_t *values;
    uint32_t mask; /* capacity - 1; 0 and keys NULL for an empty index */
} gqlx_name_index;

struct gqlx_type {
    gqlx_type_ref ref; /* wrap NAMED, named == this type */
    uint8_t kind;      /* gqlx_type_kind */
    bool builtin;      /* a specified scalar or an introspection type */
    bool one_of;       /* input object marked @oneOf */
    uint8_t scalar;    /* gqlx_scalar_id for scalars */
    uint32_t index;    /* position in gqlx_schema.types; UINT32_MAX for a
                          built-in scalar the schema does not use */
    uint32_t abstract_index; /* INTERFACE and UNION: row in possible_bits */
    const gqlx_name *name;
    gqlx_slice description;
    gqlx_slice specified_by_url; /* scalars with @specifiedBy */
    gqlx_applied_list directives;
    const gqlx_node *ast;           /* the definition; NULL for built-ins */
    const gqlx_node **extensions;   /* extension nodes in document order */
    uint32_t extension_count;

    /* OBJECT and INTERFACE */
    gqlx_field_decl *fields;
    uint32_t field_count;
    const gqlx_type **interfaces;
    uint32_t interface_count;
    /* UNION */
    const gqlx_type **members;
    uint32_t member_count;
    /* INTERFACE and UNION: the object types that may appear at run time,
     * in type-map order (graphql-js's getPossibleTypes). */
    const gqlx_type **possible;
    uint32_t possible_count;
    /* INTERFACE: interfaces that implement this one, in type-map order. */
    const gqlx_type **implementing_interfaces;
    uint32_t implementing_interface_count;
    /* ENUM */
    gqlx_enum_value *values;
    uint32_t value_count;
    /* INPUT_OBJECT */
    gqlx_input_value *input_fields;
    uint32_t input_field_count;

    /* Lookup by name: fields (OBJECT/INTERFACE), values (ENUM), or input
     * fields (INPUT_OBJECT). */
    gqlx_name_index member_index;

    /* Bindings. OBJECT: resolve is used by fields without a resolver of
     * their own. INTERFACE and UNION: resolve_type. Custom SCALAR:
     * scalar_funcs (NULL passes values through). */
    gqlx_binding resolve;
    gql_resolve_type_fn resolve_type;
    void *resolve_type_data;
    const gql_scalar_funcs *scalar_funcs;

    /* OBJECT and INTERFACE: who may select its fields; NULL: anyone. */
    const gqlx_authz *authz;
};

/* Directive locations, one bit each, in the specification's order. */
#define GQLX_DIRECTIVE_LOCATIONS(X)      \
    X(QUERY)                             \
    X(MUTATION)                          \
    X(SUBSCRIPTION)                      \
    X(FIELD)                             \
    X(FRAGMENT_DEFINITION)               \
    X(FRAGMENT_SPREAD)                   \
    X(INLINE_FRAGMENT)                   \
    X(VARIABLE_DEFINITION)               \
    X(FRAGMENT_VARIABLE_DEFINITION)      \
    X(SCHEMA)                            \
    X(SCALAR)                            \
    X(OBJECT)                            \
    X(FIELD_DEFINITION)                  \
    X(ARGUMENT_DEFINITION)               \
    X(INTERFACE)                         \
    X(UNION)                             \
    X(ENUM)                              \
    X(ENUM_VALUE)                        \
    X(INPUT_OBJECT)                      \
    X(INPUT_FIELD_DEFINITION)            \
    X(DIRECTIVE_DEFINITION)

typedef enum gqlx_directive_location {
#define GQLX_LOC_ENUM(name) GQLX_LOC_##name,
    GQLX_DIRECTIVE_LOCATIONS(GQLX_LOC_ENUM)
#undef GQLX_LOC_ENUM
    GQLX_LOC_COUNT
} gqlx_directive_location;

/* The location's name ("FIELD_DEFINITION"), or NULL. */
const char *gqlx_directive_location_name(gqlx_directive_location loc);
/* The location with that name, or -1. */
int gqlx_directive_location_parse(gqlx_slice name);

typedef struct gqlx_directive_decl {
    const gqlx_name *name; /* without '@' */
    gqlx_slice description;
    gqlx_input_value *args;
    uint32_t arg_count;
    gqlx_name_index arg_index;
    uint32_t locations;   /* bit (1u << gqlx_directive_location) per location */
    /* The locations as the SDL lists them (order and repeats kept), which
     * is what printSchema and introspection show. */
    const uint8_t *location_list; /* gqlx_directive_location values */
    uint32_t location_count;
    /* From @deprecated on the definition or an `extend directive`
     * (graphql-js 17); ptr NULL when not deprecated. */
    gqlx_slice deprecation_reason;
    gqlx_applied_list applied; /* directives applied to the definition */
    const gqlx_node **extensions; /* `extend directive` nodes */
    uint32_t extension_count;
    bool repeatable;
    bool builtin;         /* @skip @include @deprecated @specifiedBy @oneOf */
    const gqlx_directive_def *ast;
} gqlx_directive_decl;

typedef struct gqlx_schema {
    gqlx_arena arena;
    gqlx_intern_table names; /* seed 0: SDL is trusted text, and indexes
                                can then hash any byte string alike */

    gqlx_slice description;
    const gqlx_type *query;
    const gqlx_type *mutation;
    const gqlx_type *subscription;
    /* The introspection types __Schema and __Type, found once at build
     * time (execution refers to them in every request). */
    const gqlx_type *meta_schema;
    const gqlx_type *meta_type;

    /* Every named type, in graphql-js's type-map order (introspection
     * types and built-in scalars included). */
    const gqlx_type **types;
    uint32_t type_count;
    gqlx_name_index type_index;

    /* Every directive as graphql-js's buildASTSchema lists them: the SDL's
     * in document order, then the specified ones (@include @skip
     * @deprecated @specifiedBy @oneOf) that the SDL does not redefine.
     * (This order also decides where directive argument types land in the
     * type map.) With assume_valid, duplicate names are all kept; lookups
     * find the first. */
    const gqlx_directive_decl **directives;
    uint32_t directive_count;
    gqlx_name_index directive_index;

    /* Subtype relation of graphql-js's isSubType: bit
     * (t->abstract_index * type_count + j) is set when type j is a member of
     * union t, or an object or interface implementing interface t. Rows
     * exist for abstract types only, so the matrix stays small. */
    const uint64_t *possible_bits;
    uint32_t abstract_count;

    /* The schema definition and schema extensions, for locations. */
    const gqlx_schema_def *ast;
    const gqlx_node **extensions;
    uint32_t extension_count;

    /* The parsed SDL document (its copied source and tree), kept alive. */
    const gqlx_document *document;
    gqlx_source source;
    bool assume_valid;

    /* Authorization: the schema's own requirement (every operation), and
     * whether any element has one, so that requests to schemas without
     * rules skip the check entirely. */
    const gqlx_authz *authz;
    bool has_authz;
} gqlx_schema;

/* ---- lookups (all O(1) expected) ------------------------------------- */

/* Index lookup: position of name, or UINT32_MAX. name need not be
 * interned in this schema: any byte string works. (Schemas intern with
 * seed 0, so an index can hash a byte string without knowing its table.) */
uint32_t gqlx_name_index_find(const gqlx_name_index *idx, const char *name, size_t len);

/* Lookup of a name interned in the schema's own table: compares pointers
 * only, no hashing of the bytes. UINT32_MAX when absent. */
uint32_t gqlx_name_index_get(const gqlx_name_index *idx, const gqlx_name *name);

/* Building indexes (build_schema.c). init prepares room for n names in
 * arena a (false when the arena fails; n 0 gives the empty index). put
 * adds name -> value unless the name is present, and returns the value
 * already stored, or UINT32_MAX when it added the name. */
bool gqlx_name_index_init(gqlx_name_index *idx, gqlx_arena *a, uint32_t n);
uint32_t gqlx_name_index_put(gqlx_name_index *idx, const gqlx_name *name, uint32_t value);

const gqlx_type *gqlx_schema_type(const gqlx_schema *s, const char *name, size_t len);
const gqlx_directive_decl *gqlx_schema_directive(const gqlx_schema *s, const char *name,
                                                 size_t len);
/* Field of an object or interface type by name; NULL if none. Does not
 * know the meta-fields __typename, __schema, __type. */
const gqlx_field_decl *gqlx_type_field(const gqlx_type *t, const char *name, size_t len);
const gqlx_enum_value *gqlx_type_enum_value(const gqlx_type *t, const char *name, size_t len);
const gqlx_input_value *gqlx_type_input_field(const gqlx_type *t, const char *name, size_t len);
const gqlx_input_value *gqlx_field_arg(const gqlx_field_decl *f, const char *name, size_t len);

/* True when object type `object` is a possible type of abstract type
 * `abstract` (a member of the union, or an implementation of the
 * interface). */
bool gqlx_schema_is_possible_type(const gqlx_schema *s, const gqlx_type *abstract,
                                  const gqlx_type *object);

/* graphql-js isTypeSubTypeOf: maybe_sub may be used where super is
 * expected (covariance through lists, non-null and abstract types). */
bool gqlx_schema_is_subtype(const gqlx_schema *s, const gqlx_type_ref *maybe_sub,
                            const gqlx_type_ref *super);

/* graphql-js isEqualType. */
bool gqlx_type_ref_equal(const gqlx_type_ref *a, const gqlx_type_ref *b);

/* Kind predicates on references. */
bool gqlx_type_ref_is_input(const gqlx_type_ref *t);  /* scalar, enum, input object */
bool gqlx_type_ref_is_output(const gqlx_type_ref *t); /* not an input object */
static inline bool gqlx_type_ref_is_non_null(const gqlx_type_ref *t)
{
    return t->wrap == GQLX_WRAP_NON_NULL;
}
static inline bool gqlx_type_is_abstract(const gqlx_type *t)
{
    return t->kind == GQLX_TYPE_INTERFACE || t->kind == GQLX_TYPE_UNION;
}
static inline bool gqlx_type_is_composite(const gqlx_type *t)
{
    return t->kind == GQLX_TYPE_OBJECT || gqlx_type_is_abstract(t);
}
static inline bool gqlx_type_is_leaf(const gqlx_type *t)
{
    return t->kind == GQLX_TYPE_SCALAR || t->kind == GQLX_TYPE_ENUM;
}

/* Appends the reference as GraphQL writes it ("[String!]!") to out. */
struct gqlx_buf;
void gqlx_type_ref_print(struct gqlx_buf *out, const gqlx_type_ref *t);

/* Kind names as introspection spells them ("OBJECT", "INPUT_OBJECT"). */
const char *gqlx_type_kind_name(gqlx_type_kind kind);

#endif
