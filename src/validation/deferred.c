/* src/validation/deferred.c — per-operation checks that wait for fragments. */
#include "validation/deferred.h"

void gqlx_deferred_add(gqlx_vctx *ctx, gqlx_deferred *d, const gqlx_operation_def *op,
                       uint32_t event)
{
    gqlx_deferred_op *p = GQLX_NEW(gqlx_vctx_arena(ctx), gqlx_deferred_op);
    if (p == NULL)
        return; /* the arena failed: the walk stops and reports no memory */
    p->op = op;
    p->event = event;
    if (d->last == NULL)
        d->first = p;
    else
        d->last->next = p;
    d->last = p;
    gqlx_vctx_hold(ctx, event);
}

static void run(gqlx_vctx *ctx, gqlx_deferred_op *p, gqlx_op_check_fn *check)
{
    check(ctx, p->op, p->event);
    gqlx_vctx_release(ctx, p->event);
    p->op = NULL;
}

void gqlx_deferred_check(gqlx_vctx *ctx, gqlx_deferred *d, const gqlx_operation_def *op,
                         uint32_t event, gqlx_op_check_fn *check)
{
    if (gqlx_vctx_usages_ready(ctx, op))
        check(ctx, op, event);
    else
        gqlx_deferred_add(ctx, d, op, event);
}

void gqlx_deferred_retry(gqlx_vctx *ctx, gqlx_deferred *d, const gqlx_operation_def *op,
                         gqlx_op_check_fn *check)
{
    gqlx_deferred_op *p = d->last;
    if (p != NULL && p->op == op && gqlx_vctx_usages_ready(ctx, op))
        run(ctx, p, check);
}

void gqlx_deferred_finish(gqlx_vctx *ctx, gqlx_deferred *d, gqlx_op_check_fn *check)
{
    for (gqlx_deferred_op *p = d->first; p != NULL; p = p->next)
        if (p->op != NULL)
            run(ctx, p, check);
}
