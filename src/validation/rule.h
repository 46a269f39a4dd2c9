/* src/validation/rule.h — what a validation rule sees: the rule table, the
 * walk's context (type information, fragments, variable usages) and error
 * reporting.
 *
 * A rule is a table of enter/leave callbacks indexed by node kind, plus the
 * size of its private state (zeroed scratch memory handed to every
 * callback). The walk visits the document once, in graphql-js's order
 * (QueryDocumentKeys, descriptions skipped), and calls, for each node, the
 * enter callbacks of all active rules in rules.def order, then the children,
 * then the leave callbacks. A callback returning GQLX_VISIT_SKIP stops that
 * one rule from seeing the node's children and the node's leave callback
 * (graphql-js's `return false` under visitInParallel); other rules are not
 * affected.
 *
 * Type information is already updated for the node when its enter callback
 * runs and still in place when its leave callback runs (as with
 * graphql-js's visitWithTypeInfo). */
#ifndef GQLX_RULE_H
#define GQLX_RULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/slice.h"
#include "language/ast.h"
#include "types/schema.h"
#include "validation/validate.h"

typedef struct gqlx_vctx gqlx_vctx;

enum {
    GQLX_VISIT_CONTINUE = 0,
    GQLX_VISIT_SKIP = 1 /* skip the children and the leave callback */
};

typedef int gqlx_visit_fn(gqlx_vctx *ctx, const gqlx_node *node, void *state);

typedef struct gqlx_rule {
    const char *name; /* graphql-js's name, for diagnostics */
    size_t state_size;
    /* Called once before the walk (state is zeroed); may be NULL. */
    void (*init)(gqlx_vctx *ctx, void *state);
    /* Called once after the walk, before errors are sorted; may be NULL.
     * Rules whose errors depend on the whole document report them here
     * with gqlx_vctx_report_at(). */
    void (*finish)(gqlx_vctx *ctx, void *state);
    gqlx_visit_fn *enter[GQLX_KIND_COUNT];
    gqlx_visit_fn *leave[GQLX_KIND_COUNT];
} gqlx_rule;

/* A callback that only returns GQLX_VISIT_SKIP. */
int gqlx_visit_skip(gqlx_vctx *ctx, const gqlx_node *node, void *state);

/* The built-in rules (rules/<stem>.c). */
#define GQLX_RULE(id, file, js_name, specified) extern const gqlx_rule gqlx_rule_##file;
#include "validation/rules.def"
#undef GQLX_RULE

/* ---- the walk's context ------------------------------------------------ */

const gqlx_schema *gqlx_vctx_schema(const gqlx_vctx *ctx);
const gqlx_document *gqlx_vctx_document(const gqlx_vctx *ctx);
const gqlx_validate_opts *gqlx_vctx_opts(const gqlx_vctx *ctx);
/* Scratch memory for the rules; released after validation. */
gqlx_arena *gqlx_vctx_arena(gqlx_vctx *ctx);
/* Byte offset of a name (or any slice into the document's source). */
uint32_t gqlx_vctx_offset(const gqlx_vctx *ctx, gqlx_slice s);

/* TypeInfo (graphql-js utilities/TypeInfo). NULL means "unknown". */
const gqlx_type_ref *gqlx_vctx_type(const gqlx_vctx *ctx);             /* getType */
const gqlx_type *gqlx_vctx_parent_type(const gqlx_vctx *ctx);          /* getParentType */
const gqlx_type_ref *gqlx_vctx_input_type(const gqlx_vctx *ctx);       /* getInputType */
const gqlx_type_ref *gqlx_vctx_parent_input_type(const gqlx_vctx *ctx);
const gqlx_field_decl *gqlx_vctx_field_def(const gqlx_vctx *ctx);      /* getFieldDef */
const gqlx_directive_decl *gqlx_vctx_directive(const gqlx_vctx *ctx);  /* getDirective */
const gqlx_input_value *gqlx_vctx_argument(const gqlx_vctx *ctx);      /* getArgument */
/* getDefaultValue: true when the position has a default (stored in *value,
 * which may be NULL for a default given by a built-in). */
bool gqlx_vctx_default_value(const gqlx_vctx *ctx, const gqlx_node **value);
/* While a DIRECTIVE node is visited: the location it is applied to
 * (gqlx_directive_location). */
int gqlx_vctx_directive_location(const gqlx_vctx *ctx);

/* The named type called `name` in the schema's type map, or NULL. */
const gqlx_type *gqlx_vctx_lookup_type(const gqlx_vctx *ctx, gqlx_slice name);
/* graphql-js typeFromAST: the reference a type node denotes, or NULL when
 * its named type is unknown. Wrappers are allocated in the scratch arena. */
const gqlx_type_ref *gqlx_vctx_type_from_ast(gqlx_vctx *ctx, const gqlx_node *type);
/* Field of a composite type by name, meta-fields (__typename, and __schema
 * and __type on the query type) included: graphql-js schema.getField. */
const gqlx_field_decl *gqlx_vctx_get_field(gqlx_vctx *ctx, const gqlx_type *parent,
                                           gqlx_slice name);

/* Fragment definition named `name` (the last one when repeated, as
 * graphql-js's getFragment), or NULL. */
const gqlx_fragment_def *gqlx_vctx_fragment(const gqlx_vctx *ctx, gqlx_slice name);

/* Directive definition named `name` in the document itself (the last one),
 * or NULL. graphql-js's directive rules let it take precedence over the
 * schema's directive of that name. */
const gqlx_directive_def *gqlx_vctx_doc_directive(const gqlx_vctx *ctx, gqlx_slice name);

/* graphql-js getFragmentSpreads: the spreads inside a selection set, in
 * graphql-js's (stack) order. Cached per selection set. */
size_t gqlx_vctx_fragment_spreads(gqlx_vctx *ctx, const gqlx_selection_set *set,
                                  const gqlx_fragment_spread *const **out);

/* graphql-js getRecursivelyReferencedFragmentsForOperations. */
size_t gqlx_vctx_referenced_fragments(gqlx_vctx *ctx, const gqlx_operation_def *const *ops,
                                      size_t n, const gqlx_fragment_def *const **out);

/* One use of a variable, with the type information at that point
 * (graphql-js VariableUsage). */
typedef struct gqlx_var_usage {
    const gqlx_variable *node;
    const gqlx_type_ref *type;        /* input type expected there, or NULL */
    const gqlx_type_ref *parent_type; /* the parent input type, or NULL */
    const gqlx_node *default_value;
    bool has_default;
} gqlx_var_usage;

/* graphql-js getRecursiveVariableUsages: the operation's own usages, then
 * those of every fragment it references (recursively). Only complete once
 * every definition has been walked: call from a finish callback, or when
 * gqlx_vctx_usages_ready() says so. Usages inside variable definitions are
 * not counted (graphql-js skips them). */
size_t gqlx_vctx_recursive_usages(gqlx_vctx *ctx, const gqlx_operation_def *op,
                                  const gqlx_var_usage *const **out);
/* True when every fragment the operation references has been walked
 * already, so that gqlx_vctx_recursive_usages() is complete now. */
bool gqlx_vctx_usages_ready(gqlx_vctx *ctx, const gqlx_operation_def *op);

/* ---- reporting ----------------------------------------------------------- */

/* Starts a message: returns the empty message buffer. */
gqlx_buf *gqlx_vctx_msg(gqlx_vctx *ctx);
/* Appends graphql-js's print() of node to the message. */
void gqlx_vctx_print(gqlx_vctx *ctx, gqlx_buf *msg, const gqlx_node *node);
/* Reports the message built since gqlx_vctx_msg() with locations at the
 * given byte offsets, as an error of the running rule at the current node. */
void gqlx_vctx_report(gqlx_vctx *ctx, const uint32_t *offsets, size_t n);
/* False when an error the current rule reported now could not be among
 * the errors returned (max_errors kept errors already sort before it). A
 * rule whose message is costly to build (it quotes a large value) asks
 * first, and when false reports without building the message: the error
 * still counts toward the "Too many validation errors" error. */
bool gqlx_vctx_can_report(const gqlx_vctx *ctx);
/* Stops the walk: no further callbacks run, and `message` (a constant
 * string, e.g. "Validation aborted.") becomes the last error, added even
 * past the error limit, as graphql-js adds its validationAbortedError. */
void gqlx_vctx_abort(gqlx_vctx *ctx, const char *message);
static inline void gqlx_vctx_report1(gqlx_vctx *ctx, uint32_t offset)
{
    gqlx_vctx_report(ctx, &offset, 1);
}

/* The position of the node being visited in the walk's order. A rule that
 * can only decide later (after later definitions are walked) keeps it,
 * holds it, and reports with gqlx_vctx_report_at(); the error then sorts
 * where graphql-js reports it. A held position keeps the error limit from
 * stopping the walk before the errors that sort earlier are known. */
uint32_t gqlx_vctx_event(const gqlx_vctx *ctx);
void gqlx_vctx_hold(gqlx_vctx *ctx, uint32_t event);
void gqlx_vctx_release(gqlx_vctx *ctx, uint32_t event);
void gqlx_vctx_report_at(gqlx_vctx *ctx, uint32_t event, const uint32_t *offsets, size_t n);

/* ---- a small map from names to pointers, in scratch memory ---------------- */

typedef struct gqlx_vmap {
    gqlx_slice *keys;
    const void **values;
    uint32_t mask;
    uint32_t count;
    gqlx_arena *arena;
    uint64_t seed;
} gqlx_vmap;

/* Empty map; takes memory on first insert. */
void gqlx_vmap_init(gqlx_vmap *m, gqlx_arena *arena);
/* The value stored for key, or NULL. */
const void *gqlx_vmap_get(const gqlx_vmap *m, gqlx_slice key);
/* Stores key -> value unless key is present; returns the value already
 * present, or NULL when it added the key (or memory failed). */
const void *gqlx_vmap_put(gqlx_vmap *m, gqlx_slice key, const void *value);
/* Stores key -> value, replacing any earlier value. */
void gqlx_vmap_set(gqlx_vmap *m, gqlx_slice key, const void *value);

#endif
