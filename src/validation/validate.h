/* src/validation/validate.h — validating an executable document against a
 * schema (the specification's section 5, graphql-js's validate()).
 *
 * Every rule of rules.def runs in one walk over the document. The walk
 * tracks type information once for all rules (graphql-js's TypeInfo: the
 * parent type, field definition, input type, default value, argument,
 * directive and enum value at each node) and dispatches each node to the
 * rules interested in its kind through per-kind tables. Errors carry
 * graphql-js's messages and locations, in graphql-js's order; after
 * max_errors the walk stops and one final error says so.
 *
 * Rules are tables of callbacks (rule.h); callers may add their own. */
#ifndef GQLX_VALIDATE_H
#define GQLX_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "gql/errors.h"
#include "language/ast.h"
#include "language/source.h"
#include "types/schema.h"

/* The rule identifiers, in the order they run (rules.def). */
typedef enum gqlx_rule_id {
#define GQLX_RULE(id, file, js_name, specified) GQLX_RULE_##id,
#include "validation/rules.def"
#undef GQLX_RULE
    GQLX_RULE_COUNT
} gqlx_rule_id;

/* One bit per rule id. */
#define GQLX_RULE_BIT(id) (UINT64_C(1) << GQLX_RULE_##id)

/* The mask of graphql-js's specifiedRules (what validate() runs by
 * default). */
uint64_t gqlx_specified_rules_mask(void);

struct gqlx_rule;

typedef struct gqlx_validate_opts {
    /* Most errors reported before the walk stops with graphql-js's "Too
     * many validation errors" error (which is added after them). */
    size_t max_errors;
    /* The built-in rules to run: bits GQLX_RULE_BIT(...). The default is
     * gqlx_specified_rules_mask(). */
    uint64_t rules;
    /* Extra rules run after the built-in ones, in this order. */
    const struct gqlx_rule *const *custom_rules;
    size_t custom_rule_count;
    /* Adds graphql-js's NoSchemaIntrospectionCustomRule. */
    bool disable_introspection;
    /* graphql-js 17's allowEmptySelectionSets (default true): when false,
     * ScalarLeafs rejects `field {}` on composite types. */
    bool allow_empty_selection_sets;
} gqlx_validate_opts;

/* Fills *opts with the defaults (100 errors, the specified rules). */
void gqlx_validate_opts_init(gqlx_validate_opts *opts);

/* Validates doc (parsed from src) against schema and appends the errors to
 * errs (which may be NULL: errors are then only counted). opts may be NULL
 * for the defaults. scratch holds every temporary allocation; the caller
 * resets it afterwards (nothing allocated there is referenced by errs).
 *
 * Returns the number of errors (the final "too many" error included).
 * When memory fails (the scratch arena or the error list), validation
 * stops early and gqlx_arena_failed(scratch) is true afterwards; the count
 * covers what was reported. Thread-safe: the schema is only read. */
size_t gqlx_validate(const gqlx_schema *schema, const gqlx_document *doc, const gqlx_source *src,
                     const gqlx_validate_opts *opts, gqlx_arena *scratch, gql_errors *errs);

#endif
