/* src/execution/plan.h — prepared queries: the parsed and validated
 * document, its operations' limits, and the fields collected for each
 * (selection, object type) pair (graphql-js's collectFields and
 * collectSubfields).
 *
 * A plan may be shared by threads through the plan cache. Collected field
 * sets are then built on first use under the plan's lock and published with
 * release stores, so readers never lock. A document whose @skip/@include
 * depend on variables cannot share its collections across requests: its
 * requests collect into their own arena (gqlx_collector.shared false). */
#ifndef GQLX_PLAN_H
#define GQLX_PLAN_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/json.h"
#include "gql/errors.h"
#include "language/ast.h"
#include "language/source.h"
#include "types/schema.h"

/* What a collected field stands for. */
typedef enum gqlx_pfield_kind {
    GQLX_PFIELD_FIELD,    /* a field of the object type (decl set) */
    GQLX_PFIELD_TYPENAME, /* __typename */
    GQLX_PFIELD_SCHEMA,   /* __schema on the query type */
    GQLX_PFIELD_TYPE      /* __type(name:) on the query type */
} gqlx_pfield_kind;

typedef struct gqlx_fieldset gqlx_fieldset;

/* What a field's type is for the engine's leaf fast paths: a built-in
 * scalar or an enum, under at most one non-null; NONE for every other
 * type (lists, objects, custom scalars), which takes the general path. */
typedef enum gqlx_leaf_class {
    GQLX_LEAF_NONE,
    GQLX_LEAF_STRING,
    GQLX_LEAF_ID,
    GQLX_LEAF_INT,
    GQLX_LEAF_FLOAT,
    GQLX_LEAF_BOOLEAN,
    GQLX_LEAF_ENUM
} gqlx_leaf_class;

typedef enum gqlx_composite_class {
    GQLX_COMPOSITE_NONE,
    GQLX_COMPOSITE_OBJECT,
    GQLX_COMPOSITE_LIST
} gqlx_composite_class;

/* Text made once and shared by later requests. */
typedef struct gqlx_cached_data {
    size_t len;
    char text[];
} gqlx_cached_data;

/* One response key of a selection on one object type, with every field
 * node merged under it (in document order). */
typedef struct gqlx_pfield {
    uint8_t kind;                /* gqlx_pfield_kind */
    gqlx_slice key;              /* the response key */
    const char *key_json;        /* `,"key":`, escaped, for the writer (the
                                    first field of an object skips the comma) */
    uint32_t key_json_len;       /* with the comma */
    bool non_null;               /* the field's type is non-null */
    uint8_t leaf;                /* gqlx_leaf_class of the field's type */
    /* The field's type is an object type (not an interface or union), or
     * a list of one, under non-nulls: the engine completes such values in
     * one loop. */
    uint8_t composite;            /* gqlx_composite_class */
    bool item_non_null;           /* LIST: the items are non-null */
    const gqlx_type *object_type; /* OBJECT, LIST: the object type */
    /* A field without arguments or resolver: its value is the member of a
     * JSON parent named like it (the default resolver). */
    bool json_member;
    /* A leaf field of an introspection type without a resolver of its
     * own: its writer (execution/introspection_resolve.h), else NULL. */
    bool (*intro_leaf)(struct gqlx_buf *out, const void *parent);
    const gqlx_field_decl *decl; /* FIELD, SCHEMA, TYPE: the definition */
    const gqlx_field **nodes;    /* first node gives the arguments */
    uint32_t node_count;
    /* Field sets of the merged sub-selections, one per object type met at
     * run time (a short list: usually one). */
    _Atomic(gqlx_fieldset *) children;
    /* Arguments written without variables: coerced once, on first use. */
    bool const_args;
    _Atomic(const gqlx_json *) args;
    /* Where the default resolver last found the field in a JSON parent. */
    _Atomic uint32_t member_hint;
    /* `,"locations":[...]` of the nodes, for errors; made on first use. */
    _Atomic(struct gqlx_cached_data *) locations;
} gqlx_pfield;

struct gqlx_fieldset {
    const gqlx_type *type; /* the object type it was collected for */
    gqlx_pfield *fields;
    uint32_t count;
    gqlx_fieldset *next; /* the next set of the same pfield's children */
};


/* Size figures of an operation, fragments expanded at each use. */
typedef struct gqlx_op_stats {
    uint64_t depth;   /* deepest field nesting (a root field is 1) */
    uint64_t fields;  /* field selections */
    uint64_t aliases; /* aliased field selections */
    bool spreads_too_deep; /* fragment spreads nest past GQLX_MAX_SPREAD_NESTING */
} gqlx_op_stats;

typedef struct gqlx_plan {
    gqlx_arena arena; /* text, tree, collections */
    pthread_mutex_t lock;
    bool shared; /* collections go to this arena under the lock */
    const gqlx_schema *schema;
    gqlx_source source;
    const gqlx_document *doc;
    /* GQL_OK, GQL_ESYNTAX or GQL_EVALIDATION; for the last two the errors
     * array's JSON text (`[{...},...]`) and its count. */
    int status;
    const char *errors_json;
    size_t errors_json_len;
    size_t error_count;
    bool variable_conditions; /* some @skip/@include takes a variable */
    /* The operations, and per operation its size figures and (for plans
     * whose collections are shared) its root field set, built on first
     * use. */
    const gqlx_operation_def **ops;
    gqlx_op_stats *op_stats;
    _Atomic(gqlx_fieldset *) *op_roots;
    /* Operations without variables that select only __schema, __type and
     * __typename give the same data for every request: the first complete
     * response's text (up to the data's end) is kept and reused. */
    bool *op_schema_only;
    _Atomic(gqlx_cached_data *) *op_cached;
    uint32_t op_count;
    /* The size of the last response's data, to size the next buffer. */
    atomic_size_t out_hint;
    /* Fragments by name (open addressing; mask 0 when there are none). */
    const gqlx_fragment_def **frag_slots;
    uint32_t frag_mask;
} gqlx_plan;

typedef struct gqlx_plan_opts {
    unsigned max_validation_errors;
    bool disable_introspection;
    size_t max_bytes; /* arena cap; 0 none */
} gqlx_plan_opts;

/* Parses and validates text for schema. Returns NULL only when memory
 * runs out; otherwise a plan whose status says whether it can run. */
gqlx_plan *gqlx_plan_new(const gqlx_schema *schema, const char *text, size_t len,
                         const gqlx_plan_opts *opts);

/* Releases a plan (a plan cache destroy function). */
void gqlx_plan_free(void *plan);

/* The fragment named name, or NULL. */
const gqlx_fragment_def *gqlx_plan_fragment(const gqlx_plan *p, gqlx_slice name);

/* Where collections are built for one request. */
typedef struct gqlx_collector {
    gqlx_plan *plan;
    gqlx_arena *arena;          /* the plan's (shared) or the request's */
    bool shared;                /* take plan->lock while building */
    const gqlx_json *variables; /* for @skip and @include */
    /* Set when a @skip or @include argument taking a variable is invalid
     * (the variable is null): the collection fails with this one error,
     * which the caller reports and frees. */
    gql_errors *error;
} gqlx_collector;

/* The root field set of operation i for its root type. NULL when memory
 * runs out or c->error was set. */
const gqlx_fieldset *gqlx_collect_root(gqlx_collector *c, uint32_t op, const gqlx_type *root);

/* The field set of pf's merged sub-selections for object type t. NULL
 * when memory runs out. */
const gqlx_fieldset *gqlx_collect_children(gqlx_collector *c, const gqlx_pfield *pf,
                                           const gqlx_type *t);

/* The names of the fields selected below pf when every fragment type
 * condition is taken to match (look-ahead for abstract types), into the
 * arena a: returns the count and stores the names (NUL-terminated) in
 * *names. */
size_t gqlx_collect_names(gqlx_collector *c, const gqlx_pfield *pf, gqlx_arena *a,
                          const char ***names);

#endif
