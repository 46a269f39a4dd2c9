/* src/validation/rules/known_directives.c
 *
 * Spec rules "Directives Are Defined" (5.7.1) and "Directives Are In Valid
 * Locations" (5.7.2). graphql-js KnownDirectivesRule: the schema's
 * directives, overridden by directive definitions in the document itself. */
#include "validation/rule.h"

static int enter_directive(gqlx_vctx *ctx, const gqlx_node *node, void *state)
{
    (void)state;
    const gqlx_directive *d = GQLX_AS_CONST(gqlx_directive, node);
    int loc = gqlx_vctx_directive_location(ctx);
    const char *loc_name = gqlx_directive_location_name((gqlx_directive_location)loc);
    const gqlx_directive_def *def = gqlx_vctx_doc_directive(ctx, d->name);
    bool ok;
    if (def != NULL) {
        ok = false;
        for (uint32_t i = 0; i < def->locations.count && loc_name != NULL; i++)
            if (gqlx_slice_eq_cstr(def->locations.items[i], loc_name))
                ok = true;
    } else {
        const gqlx_directive_decl *decl = gqlx_vctx_directive(ctx);
        if (decl == NULL) {
            gqlx_buf_printf(gqlx_vctx_msg(ctx), "Unknown directive \"@%.*s\".", (int)d->name.len,
                            d->name.ptr);
            gqlx_vctx_report1(ctx, node->start);
            return GQLX_VISIT_CONTINUE;
        }
        ok = loc >= 0 && (decl->locations >> loc) & 1u;
    }
    if (!ok && loc_name != NULL) {
        gqlx_buf_printf(gqlx_vctx_msg(ctx), "Directive \"@%.*s\" may not be used on %s.",
                        (int)d->name.len, d->name.ptr, loc_name);
        gqlx_vctx_report1(ctx, node->start);
    }
    return GQLX_VISIT_CONTINUE;
}

const gqlx_rule gqlx_rule_known_directives = {
    .name = "KnownDirectives",
    .enter = {[GQLX_KIND_DIRECTIVE] = enter_directive},
};
