/* src/validation/rules/known_argument_names.c
 *
 * Spec rule "Argument Names" (5.4.1): arguments given to a field or a
 * directive are defined by it. graphql-js KnownArgumentNamesRule (with
 * KnownArgumentNamesOnDirectivesRule), with "Did you mean" suggestions.
 * Directives defined in the document itself take precedence over the
 * schema's, as in graphql-js. */
#include <string.h>

#include "core/suggest.h"
#include "validation/rule.h"

static void report(gqlx_vctx *ctx, const gqlx_argument *arg, const char *what, gqlx_slice owner,
                   const gqlx_slice *known, size_t n)
{
    gqlx_slice *sugg;
    size_t ns = gqlx_suggestion_list(gqlx_vctx_arena(ctx), arg->name, known, n, &sugg);
    gqlx_buf *m = gqlx_vctx_msg(ctx);
    gqlx_buf_printf(m, "Unknown argument \"%.*s\" on %s \"%.*s\".", (int)arg->name.len,
                    arg->name.ptr, what, (int)owner.len, owner.ptr);
    gqlx_did_you_mean(m, NULL, sugg, ns);
    gqlx_vctx_report1(ctx, arg->base.start);
}

static int enter_directive(gqlx_vctx *ctx, const gqlx_node *node, void *state)
{
    (void)state;
    const gqlx_directive *d = GQLX_AS_CONST(gqlx_directive, node);
    if (d->arguments.count == 0)
        return GQLX_VISIT_SKIP;
    gqlx_arena *a = gqlx_vctx_arena(ctx);
    const gqlx_slice *known = NULL;
    size_t n = 0;
    const gqlx_directive_def *def = gqlx_vctx_doc_directive(ctx, d->name);
    if (def != NULL) {
        gqlx_slice *k = GQLX_ARRAY(a, gqlx_slice, def->arguments.count + 1);
        if (k == NULL)
            return GQLX_VISIT_SKIP;
        for (uint32_t i = 0; i < def->arguments.count; i++)
            k[n++] = def->arguments.items[i]->name;
        known = k;
    } else {
        const gqlx_directive_decl *decl = gqlx_vctx_directive(ctx);
        if (decl == NULL)
            return GQLX_VISIT_SKIP;
        gqlx_slice *k = GQLX_ARRAY(a, gqlx_slice, decl->arg_count + 1);
        if (k == NULL)
            return GQLX_VISIT_SKIP;
        for (uint32_t i = 0; i < decl->arg_count; i++)
            k[n++] = gqlx_name_slice(decl->args[i].name);
        known = k;
    }
    /* "@name" for the message. */
    char *owner = gqlx_arena_alloc(a, d->name.len + 1, 1);
    if (owner == NULL)
        return GQLX_VISIT_SKIP;
    owner[0] = '@';
    memcpy(owner + 1, d->name.ptr, d->name.len);
    for (uint32_t i = 0; i < d->arguments.count; i++) {
        const gqlx_argument *arg = d->arguments.items[i];
        bool found = false;
        for (size_t j = 0; j < n && !found; j++)
            found = gqlx_slice_eq(known[j], arg->name);
        if (!found)
            report(ctx, arg, "directive", gqlx_slice_make(owner, d->name.len + 1), known, n);
    }
    return GQLX_VISIT_SKIP; /* field argument checks do not apply inside */
}

static int enter_argument(gqlx_vctx *ctx, const gqlx_node *node, void *state)
{
    (void)state;
    const gqlx_field_decl *f = gqlx_vctx_field_def(ctx);
    if (gqlx_vctx_argument(ctx) != NULL || f == NULL)
        return GQLX_VISIT_CONTINUE;
    gqlx_arena *a = gqlx_vctx_arena(ctx);
    gqlx_slice *known = GQLX_ARRAY(a, gqlx_slice, f->arg_count + 1);
    gqlx_buf owner;
    gqlx_buf_init(&owner, 0);
    gqlx_buf_printf(&owner, "%s.%s", f->owner ? f->owner->name->str : "<meta>", f->name->str);
    if (known != NULL && !owner.failed) {
        for (uint32_t i = 0; i < f->arg_count; i++)
            known[i] = gqlx_name_slice(f->args[i].name);
        report(ctx, GQLX_AS_CONST(gqlx_argument, node), "field",
               gqlx_slice_make(owner.data, owner.len), known, f->arg_count);
    }
    gqlx_buf_free(&owner);
    return GQLX_VISIT_CONTINUE;
}

const gqlx_rule gqlx_rule_known_argument_names = {
    .name = "KnownArgumentNames",
    .enter =
        {
            [GQLX_KIND_DIRECTIVE] = enter_directive,
            [GQLX_KIND_ARGUMENT] = enter_argument,
        },
};
