/* src/validation/deferred.h — per-operation checks that wait for fragments.
 *
 * Rules about an operation's variables (NoUndefinedVariables,
 * NoUnusedVariables, VariablesInAllowedPosition) need every variable usage
 * in the fragments the operation spreads, and a fragment may be defined
 * after the operation. Such a rule records the operation with the walk
 * position where graphql-js would report, holds that position (so the
 * error limit waits for it), and runs its check as soon as the usages are
 * complete, or at the end of the walk. The errors are then sorted back to
 * the held position. */
#ifndef GQLX_VALIDATION_DEFERRED_H
#define GQLX_VALIDATION_DEFERRED_H

#include "validation/rule.h"

/* Checks one operation, reporting with gqlx_vctx_report_at(ctx, event, ...). */
typedef void gqlx_op_check_fn(gqlx_vctx *ctx, const gqlx_operation_def *op, uint32_t event);

typedef struct gqlx_deferred_op {
    const gqlx_operation_def *op; /* NULL once checked */
    uint32_t event;
    struct gqlx_deferred_op *next;
} gqlx_deferred_op;

/* A rule's list of waiting operations; zero-initialised rule state is an
 * empty list. */
typedef struct gqlx_deferred {
    gqlx_deferred_op *first;
    gqlx_deferred_op *last;
} gqlx_deferred;

/* Runs check on op at once when its usages are complete; otherwise records
 * it at `event` and holds that position. */
void gqlx_deferred_check(gqlx_vctx *ctx, gqlx_deferred *d, const gqlx_operation_def *op,
                         uint32_t event, gqlx_op_check_fn *check);

/* Records op at `event` and holds that position, to be checked later by
 * gqlx_deferred_retry() or gqlx_deferred_finish(). */
void gqlx_deferred_add(gqlx_vctx *ctx, gqlx_deferred *d, const gqlx_operation_def *op,
                       uint32_t event);

/* Checks the most recently added operation if it is op and its usages
 * have become complete. */
void gqlx_deferred_retry(gqlx_vctx *ctx, gqlx_deferred *d, const gqlx_operation_def *op,
                         gqlx_op_check_fn *check);

/* Checks every operation still waiting: call from the rule's finish. */
void gqlx_deferred_finish(gqlx_vctx *ctx, gqlx_deferred *d, gqlx_op_check_fn *check);

#endif
