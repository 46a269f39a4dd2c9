/* src/validation/rules/overlapping_fields_can_be_merged.c
 *
 * Spec rule "Field Selection Merging" (5.3.2). The algorithm lives in
 * validation/overlap.c (see overlap.h); this rule creates one checker per
 * document and hands it every selection set with the parent type the walk
 * tracked, exactly where graphql-js's OverlappingFieldsCanBeMergedRule
 * visits SelectionSet. Conflicts arrive as messages with byte offsets. */
#include "validation/overlap.h"
#include "validation/rule.h"

struct state {
    gqlx_overlap *checker;
    gqlx_vctx *ctx;
    bool failed;
};

/* Receives a conflict from the checker and reports it at the selection set
 * being checked. Keeps going: the walk enforces the error limit. */
static bool on_conflict(void *user, const char *message, const uint32_t *offsets, size_t count)
{
    struct state *st = user;
    gqlx_buf_append_cstr(gqlx_vctx_msg(st->ctx), message);
    gqlx_vctx_report(st->ctx, offsets, count);
    return true;
}

static int enter_selection_set(gqlx_vctx *ctx, const gqlx_node *node, void *state)
{
    struct state *st = state;
    if (st->failed)
        return GQLX_VISIT_CONTINUE;
    if (st->checker == NULL) {
        st->ctx = ctx;
        st->checker = gqlx_overlap_new(gqlx_vctx_arena(ctx), gqlx_vctx_schema(ctx),
                                       gqlx_vctx_document(ctx), on_conflict, st);
        if (st->checker == NULL) {
            st->failed = true;
            return GQLX_VISIT_CONTINUE;
        }
    }
    if (!gqlx_overlap_check(st->checker, GQLX_AS_CONST(gqlx_selection_set, node),
                            gqlx_vctx_parent_type(ctx))) {
        st->failed = true;
        /* The complexity budget ran out (graphql-js throws its
         * validationAbortedError); a failed arena already stops the walk. */
        if (gqlx_overlap_aborted(st->checker))
            gqlx_vctx_abort(ctx, "Validation aborted.");
    }
    return GQLX_VISIT_CONTINUE;
}

const gqlx_rule gqlx_rule_overlapping_fields_can_be_merged = {
    .name = "OverlappingFieldsCanBeMerged",
    .state_size = sizeof(struct state),
    .enter = {[GQLX_KIND_SELECTION_SET] = enter_selection_set},
};
