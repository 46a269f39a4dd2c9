/* src/validation/rules/no_fragment_cycles.c
 *
 * Spec rule "Fragment Spreads Must Not Form Cycles" (5.5.2.2). graphql-js
 * NoFragmentCyclesRule: a depth-first search from each fragment over the
 * spreads, reporting each cycle once with the spread path. The search keeps
 * its own stack so a long chain of fragments cannot exhaust the C stack. */
#include "validation/rule.h"

typedef struct frame {
    const gqlx_fragment_def *frag;
    const gqlx_fragment_spread *const *spreads;
    size_t count, next;
} frame;

struct state {
    bool ready;
    gqlx_vmap visited;
    gqlx_vmap path_index; /* fragment name -> index in path + 1, or 0 */
    const gqlx_fragment_spread **path;
    size_t path_len, path_cap;
    frame *frames;
    size_t frame_len, frame_cap;
};

/* Starts visiting a fragment: false when it was visited before or has no
 * spreads (graphql-js returns early then). */
static bool push_fragment(gqlx_vctx *ctx, struct state *st, const gqlx_fragment_def *f)
{
    if (gqlx_vmap_put(&st->visited, f->name, f) != NULL)
        return false;
    const gqlx_fragment_spread *const *sp;
    size_t n = f->selection_set ? gqlx_vctx_fragment_spreads(ctx, f->selection_set, &sp) : 0;
    if (n == 0)
        return false;
    if (!gqlx_arena_grow(gqlx_vctx_arena(ctx), (void **)&st->frames, &st->frame_cap, st->frame_len + 1,
                 sizeof *st->frames, st->frame_len))
        return false;
    gqlx_vmap_set(&st->path_index, f->name, (const void *)(uintptr_t)(st->path_len + 1));
    st->frames[st->frame_len++] = (frame){f, sp, n, 0};
    return true;
}

static void report_cycle(gqlx_vctx *ctx, struct state *st, size_t from, gqlx_slice name)
{
    gqlx_buf *m = gqlx_vctx_msg(ctx);
    gqlx_buf_printf(m, "Cannot spread fragment \"%.*s\" within itself", (int)name.len, name.ptr);
    size_t n = st->path_len - from;
    if (n > 1) {
        gqlx_buf_append_cstr(m, " via ");
        for (size_t i = from; i + 1 < st->path_len; i++) {
            gqlx_slice s = st->path[i]->name;
            gqlx_buf_printf(m, "%s\"%.*s\"", i > from ? ", " : "", (int)s.len, s.ptr);
        }
    }
    gqlx_buf_append_cstr(m, ".");
    uint32_t *offs = GQLX_ARRAY(gqlx_vctx_arena(ctx), uint32_t, n);
    if (offs == NULL)
        return;
    for (size_t i = 0; i < n; i++)
        offs[i] = st->path[from + i]->base.start;
    gqlx_vctx_report(ctx, offs, n);
}

static int enter_fragment(gqlx_vctx *ctx, const gqlx_node *node, void *state)
{
    struct state *st = state;
    gqlx_arena *a = gqlx_vctx_arena(ctx);
    if (!st->ready) {
        gqlx_vmap_init(&st->visited, a);
        gqlx_vmap_init(&st->path_index, a);
        st->ready = true;
    }
    if (!push_fragment(ctx, st, GQLX_AS_CONST(gqlx_fragment_def, node)))
        return GQLX_VISIT_SKIP;
    while (st->frame_len > 0) {
        frame *fr = &st->frames[st->frame_len - 1];
        if (fr->next > 0)
            st->path_len--; /* the spread visited last is done */
        if (fr->next == fr->count) {
            gqlx_vmap_set(&st->path_index, fr->frag->name, NULL);
            st->frame_len--;
            continue;
        }
        const gqlx_fragment_spread *sp = fr->spreads[fr->next++];
        uintptr_t cycle = (uintptr_t)gqlx_vmap_get(&st->path_index, sp->name);
        if (!gqlx_arena_grow(a, (void **)&st->path, &st->path_cap, st->path_len + 1, sizeof *st->path,
                     st->path_len))
            return GQLX_VISIT_SKIP;
        st->path[st->path_len++] = sp;
        if (cycle == 0) {
            const gqlx_fragment_def *target = gqlx_vctx_fragment(ctx, sp->name);
            if (target != NULL)
                push_fragment(ctx, st, target);
        } else {
            report_cycle(ctx, st, cycle - 1, sp->name);
        }
    }
    return GQLX_VISIT_SKIP;
}

const gqlx_rule gqlx_rule_no_fragment_cycles = {
    .name = "NoFragmentCycles",
    .state_size = sizeof(struct state),
    .enter =
        {
            [GQLX_KIND_OPERATION_DEFINITION] = gqlx_visit_skip,
            [GQLX_KIND_FRAGMENT_DEFINITION] = enter_fragment,
        },
};
