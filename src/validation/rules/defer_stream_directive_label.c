/* src/validation/rules/defer_stream_directive_label.c
 *
 * graphql-js 17 DeferStreamDirectiveLabelRule: the `label` of @defer and
 * @stream is a static string, unique in the document. graphql-js applies
 * it to any directive spelled @defer or @stream, whether or not the schema
 * defines it, so it runs here too (gqld's schemas define neither). */
#include "language/string_value.h"
#include "validation/rule.h"

struct state {
    gqlx_vmap labels; /* label value -> first directive using it */
    bool ready;
};

static int enter_directive(gqlx_vctx *ctx, const gqlx_node *node, void *state)
{
    struct state *st = state;
    const gqlx_directive *d = GQLX_AS_CONST(gqlx_directive, node);
    if (!gqlx_slice_eq_cstr(d->name, "defer") && !gqlx_slice_eq_cstr(d->name, "stream"))
        return GQLX_VISIT_CONTINUE;
    const gqlx_node *label = NULL;
    for (uint32_t i = 0; i < d->arguments.count; i++) {
        if (gqlx_slice_eq_cstr(d->arguments.items[i]->name, "label")) {
            label = d->arguments.items[i]->value;
            break;
        }
    }
    if (label == NULL || label->kind == GQLX_KIND_NULL_VALUE)
        return GQLX_VISIT_CONTINUE;
    if (label->kind != GQLX_KIND_STRING_VALUE) {
        gqlx_buf_printf(gqlx_vctx_msg(ctx), "Argument \"@%.*s(label:)\" must be a static string.",
                        (int)d->name.len, d->name.ptr);
        gqlx_vctx_report1(ctx, node->start);
        return GQLX_VISIT_CONTINUE;
    }
    gqlx_arena *a = gqlx_vctx_arena(ctx);
    if (!st->ready) {
        gqlx_vmap_init(&st->labels, a);
        st->ready = true;
    }
    gqlx_slice value;
    if (!gqlx_string_value_get(a, GQLX_AS_CONST(gqlx_string_value, label), &value))
        return GQLX_VISIT_CONTINUE;
    const gqlx_directive *known = gqlx_vmap_put(&st->labels, value, d);
    if (known != NULL) {
        gqlx_buf_append_cstr(gqlx_vctx_msg(ctx),
                             "Value for arguments \"defer(label:)\" and \"stream(label:)\" must be "
                             "unique across all Defer/Stream directive usages.");
        uint32_t offs[2] = {known->base.start, node->start};
        gqlx_vctx_report(ctx, offs, 2);
    }
    return GQLX_VISIT_CONTINUE;
}

const gqlx_rule gqlx_rule_defer_stream_directive_label = {
    .name = "DeferStreamDirectiveLabel",
    .state_size = sizeof(struct state),
    .enter = {[GQLX_KIND_DIRECTIVE] = enter_directive},
};
