/* src/validation/overlap.h — the "Overlapping Fields Can Be Merged" check.
 *
 * The specification's FieldsInSetCanMerge (section 5.3.2), with
 * graphql-js's messages and locations. It is the one rule whose naive form
 * is quadratic or worse in the document size, so it lives in its own
 * module: fields are collected once per selection set (through fragments),
 * compared pairs of fragments and of selection sets are memoised, and the
 * work stays close to linear on adversarial documents (thousands of
 * repeated fields or fragment spreads, wide and deep overlaps).
 *
 * The validation walk calls gqlx_overlap_check() on entering every
 * selection set, with the parent type the walk tracked (NULL when
 * unknown), exactly where graphql-js's rule visits SelectionSet. */
#ifndef GQLX_OVERLAP_H
#define GQLX_OVERLAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "language/ast.h"
#include "types/schema.h"

/* Receives one conflict: graphql-js's message and its locations as byte
 * offsets into the document's source (the field nodes' start offsets, in
 * graphql-js's order). Returns false to stop checking (for example when the
 * validation error limit is reached). */
typedef bool gqlx_overlap_report_fn(void *user, const char *message, const uint32_t *offsets,
                                    size_t count);

typedef struct gqlx_overlap gqlx_overlap;

/* A checker for one document against one schema, with its memo tables in
 * `arena` (the request's). Returns NULL if the arena fails. */
gqlx_overlap *gqlx_overlap_new(gqlx_arena *arena, const gqlx_schema *schema,
                               const gqlx_document *doc, gqlx_overlap_report_fn *report,
                               void *user);

/* Checks one selection set; parent_type may be NULL. Selection sets that
 * graphql-js's rule skips (those of inline fragments, and sets of a single
 * selection that is not an inline fragment) are skipped here, so the walk
 * may call this on every set. The conflicts of the set are reported only
 * once the whole set is checked, in graphql-js's order.
 *
 * Returns false when checking must stop: `report` returned false, the
 * arena failed (gqlx_arena_failed), or the check was aborted
 * (gqlx_overlap_aborted). Later calls then do nothing and return false. */
bool gqlx_overlap_check(gqlx_overlap *o, const gqlx_selection_set *set,
                        const gqlx_type *parent_type);

/* True once the check was aborted: graphql-js charges its rule a
 * complexity budget (500,000 steps for the whole document) and throws
 * "Validation aborted." when it runs out; this happens at the same
 * documents here, and also when comparisons nest deeper than 1,000 levels
 * (long fragment chains, on which graphql-js overflows its stack). The
 * conflicts of the selection set being checked are then not reported; the
 * validation should add the error "Validation aborted." (which graphql-js
 * adds even past its error limit) and stop. */
bool gqlx_overlap_aborted(const gqlx_overlap *o);

#endif
