/* src/validation/rules/unique_directives_per_location.c
 *
 * Spec rule "Directives Are Unique Per Location" (5.7.3): a non-repeatable
 * directive appears at most once per location. graphql-js
 * UniqueDirectivesPerLocationRule; for type-system nodes the set of seen
 * directives is shared by a type and its extensions (and by the schema
 * definition and its extensions, a directive and its extensions). */
#include "validation/rule.h"

struct state {
    gqlx_vmap schema_seen;
    gqlx_vmap type_seen;      /* type name -> gqlx_vmap* */
    gqlx_vmap directive_seen; /* directive name -> gqlx_vmap* */
    bool ready;
};

static void init(gqlx_vctx *ctx, void *state)
{
    struct state *st = state;
    gqlx_arena *a = gqlx_vctx_arena(ctx);
    gqlx_vmap_init(&st->schema_seen, a);
    gqlx_vmap_init(&st->type_seen, a);
    gqlx_vmap_init(&st->directive_seen, a);
}

/* Whether the directive must be unique: the document's definition decides
 * when there is one, else the schema's; unknown directives are not checked. */
static bool is_unique(gqlx_vctx *ctx, gqlx_slice name)
{
    const gqlx_directive_def *def = gqlx_vctx_doc_directive(ctx, name);
    if (def != NULL)
        return (def->base.flags & GQLX_DIRECTIVE_REPEATABLE) == 0;
    const gqlx_directive_decl *decl =
        gqlx_schema_directive(gqlx_vctx_schema(ctx), name.ptr, name.len);
    return decl != NULL && !decl->repeatable;
}

static gqlx_vmap *shared_map(gqlx_vctx *ctx, gqlx_vmap *by_name, gqlx_slice name)
{
    gqlx_vmap *m = (gqlx_vmap *)(uintptr_t)gqlx_vmap_get(by_name, name);
    if (m == NULL) {
        m = GQLX_NEW(gqlx_vctx_arena(ctx), gqlx_vmap);
        if (m == NULL)
            return NULL;
        gqlx_vmap_init(m, gqlx_vctx_arena(ctx));
        gqlx_vmap_set(by_name, name, m);
    }
    return m;
}

static void check(gqlx_vctx *ctx, const gqlx_directive_list *dirs, gqlx_vmap *seen)
{
    gqlx_vmap local;
    if (seen == NULL) {
        if (dirs->count < 2)
            return;
        gqlx_vmap_init(&local, gqlx_vctx_arena(ctx));
        seen = &local;
    }
    for (uint32_t i = 0; i < dirs->count; i++) {
        const gqlx_directive *d = dirs->items[i];
        if (!is_unique(ctx, d->name))
            continue;
        const gqlx_directive *earlier = gqlx_vmap_put(seen, d->name, d);
        if (earlier != NULL) {
            gqlx_buf_printf(gqlx_vctx_msg(ctx),
                            "The directive \"@%.*s\" can only be used once at this location.",
                            (int)d->name.len, d->name.ptr);
            uint32_t offs[2] = {earlier->base.start, d->base.start};
            gqlx_vctx_report(ctx, offs, 2);
        }
    }
}

static int enter_node(gqlx_vctx *ctx, const gqlx_node *node, void *state)
{
    struct state *st = state;
    const gqlx_directive_list *dirs = NULL;
    gqlx_vmap *seen = NULL;
    switch (node->kind) {
    case GQLX_KIND_OPERATION_DEFINITION:
        dirs = &GQLX_AS_CONST(gqlx_operation_def, node)->directives;
        break;
    case GQLX_KIND_VARIABLE_DEFINITION:
        dirs = &GQLX_AS_CONST(gqlx_variable_def, node)->directives;
        break;
    case GQLX_KIND_FIELD:
        dirs = &GQLX_AS_CONST(gqlx_field, node)->directives;
        break;
    case GQLX_KIND_FRAGMENT_SPREAD:
        dirs = &GQLX_AS_CONST(gqlx_fragment_spread, node)->directives;
        break;
    case GQLX_KIND_INLINE_FRAGMENT:
        dirs = &GQLX_AS_CONST(gqlx_inline_fragment, node)->directives;
        break;
    case GQLX_KIND_FRAGMENT_DEFINITION:
        dirs = &GQLX_AS_CONST(gqlx_fragment_def, node)->directives;
        break;
    case GQLX_KIND_FIELD_DEFINITION:
        dirs = &GQLX_AS_CONST(gqlx_field_def, node)->directives;
        break;
    case GQLX_KIND_INPUT_VALUE_DEFINITION:
        dirs = &GQLX_AS_CONST(gqlx_input_value_def, node)->directives;
        break;
    case GQLX_KIND_ENUM_VALUE_DEFINITION:
        dirs = &GQLX_AS_CONST(gqlx_enum_value_def, node)->directives;
        break;
    case GQLX_KIND_SCHEMA_DEFINITION:
    case GQLX_KIND_SCHEMA_EXTENSION:
        dirs = &GQLX_AS_CONST(gqlx_schema_def, node)->directives;
        seen = &st->schema_seen;
        break;
    case GQLX_KIND_SCALAR_TYPE_DEFINITION:
    case GQLX_KIND_SCALAR_TYPE_EXTENSION: {
        const gqlx_scalar_type_def *t = GQLX_AS_CONST(gqlx_scalar_type_def, node);
        dirs = &t->directives;
        seen = shared_map(ctx, &st->type_seen, t->name);
        break;
    }
    case GQLX_KIND_OBJECT_TYPE_DEFINITION:
    case GQLX_KIND_OBJECT_TYPE_EXTENSION:
    case GQLX_KIND_INTERFACE_TYPE_DEFINITION:
    case GQLX_KIND_INTERFACE_TYPE_EXTENSION: {
        const gqlx_object_type_def *t = GQLX_AS_CONST(gqlx_object_type_def, node);
        dirs = &t->directives;
        seen = shared_map(ctx, &st->type_seen, t->name);
        break;
    }
    case GQLX_KIND_UNION_TYPE_DEFINITION:
    case GQLX_KIND_UNION_TYPE_EXTENSION: {
        const gqlx_union_type_def *t = GQLX_AS_CONST(gqlx_union_type_def, node);
        dirs = &t->directives;
        seen = shared_map(ctx, &st->type_seen, t->name);
        break;
    }
    case GQLX_KIND_ENUM_TYPE_DEFINITION:
    case GQLX_KIND_ENUM_TYPE_EXTENSION: {
        const gqlx_enum_type_def *t = GQLX_AS_CONST(gqlx_enum_type_def, node);
        dirs = &t->directives;
        seen = shared_map(ctx, &st->type_seen, t->name);
        break;
    }
    case GQLX_KIND_INPUT_OBJECT_TYPE_DEFINITION:
    case GQLX_KIND_INPUT_OBJECT_TYPE_EXTENSION: {
        const gqlx_input_object_type_def *t = GQLX_AS_CONST(gqlx_input_object_type_def, node);
        dirs = &t->directives;
        seen = shared_map(ctx, &st->type_seen, t->name);
        break;
    }
    case GQLX_KIND_DIRECTIVE_DEFINITION:
    case GQLX_KIND_DIRECTIVE_EXTENSION: {
        const gqlx_directive_def *t = GQLX_AS_CONST(gqlx_directive_def, node);
        dirs = &t->directives;
        seen = shared_map(ctx, &st->directive_seen, t->name);
        break;
    }
    default:
        return GQLX_VISIT_CONTINUE;
    }
    if (dirs->count > 0)
        check(ctx, dirs, seen);
    return GQLX_VISIT_CONTINUE;
}

#define ON(k) [GQLX_KIND_##k] = enter_node
const gqlx_rule gqlx_rule_unique_directives_per_location = {
    .name = "UniqueDirectivesPerLocation",
    .state_size = sizeof(struct state),
    .init = init,
    .enter =
        {
            ON(OPERATION_DEFINITION), ON(VARIABLE_DEFINITION), ON(FIELD), ON(FRAGMENT_SPREAD),
            ON(INLINE_FRAGMENT), ON(FRAGMENT_DEFINITION), ON(FIELD_DEFINITION),
            ON(INPUT_VALUE_DEFINITION), ON(ENUM_VALUE_DEFINITION), ON(SCHEMA_DEFINITION),
            ON(SCHEMA_EXTENSION), ON(SCALAR_TYPE_DEFINITION), ON(SCALAR_TYPE_EXTENSION),
            ON(OBJECT_TYPE_DEFINITION), ON(OBJECT_TYPE_EXTENSION),
            ON(INTERFACE_TYPE_DEFINITION), ON(INTERFACE_TYPE_EXTENSION),
            ON(UNION_TYPE_DEFINITION), ON(UNION_TYPE_EXTENSION), ON(ENUM_TYPE_DEFINITION),
            ON(ENUM_TYPE_EXTENSION), ON(INPUT_OBJECT_TYPE_DEFINITION),
            ON(INPUT_OBJECT_TYPE_EXTENSION), ON(DIRECTIVE_DEFINITION), ON(DIRECTIVE_EXTENSION),
        },
};
