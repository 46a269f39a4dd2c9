/* src/validation/rules/known_type_names.c
 *
 * Spec rule "Fragment Spread Type Existence" and friends: every named type
 * a document mentions (variable types, type conditions) exists in the
 * schema or is defined by the document itself. graphql-js
 * KnownTypeNamesRule, with its "Did you mean" suggestions. */
#include <string.h>

#include "core/suggest.h"
#include "validation/rule.h"

/* Names graphql-js lets SDL use without defining them. */
static const char *const standard_names[] = {
    "String",  "Int",          "Float",      "Boolean",      "ID",
    "__Schema", "__Directive", "__DirectiveLocation", "__Type", "__Field",
    "__InputValue", "__EnumValue", "__TypeKind",
};
#define STANDARD_COUNT (sizeof standard_names / sizeof standard_names[0])

struct state {
    gqlx_vmap defined; /* type names defined by the document */
    gqlx_slice *defined_names; /* the same, in document order (graphql-js's
                                  Object.keys order, for suggestions) */
    size_t defined_count;
    const gqlx_node *current_def; /* the top-level definition being walked */
};

static bool is_type_definition(const gqlx_node *d)
{
    switch (d->kind) {
    case GQLX_KIND_SCALAR_TYPE_DEFINITION:
    case GQLX_KIND_OBJECT_TYPE_DEFINITION:
    case GQLX_KIND_INTERFACE_TYPE_DEFINITION:
    case GQLX_KIND_UNION_TYPE_DEFINITION:
    case GQLX_KIND_ENUM_TYPE_DEFINITION:
    case GQLX_KIND_INPUT_OBJECT_TYPE_DEFINITION:
        return true;
    default:
        return false;
    }
}

static gqlx_slice type_def_name(const gqlx_node *d)
{
    switch (d->kind) {
    case GQLX_KIND_SCALAR_TYPE_DEFINITION:
        return GQLX_AS_CONST(gqlx_scalar_type_def, d)->name;
    case GQLX_KIND_OBJECT_TYPE_DEFINITION:
    case GQLX_KIND_INTERFACE_TYPE_DEFINITION:
        return GQLX_AS_CONST(gqlx_object_type_def, d)->name;
    case GQLX_KIND_UNION_TYPE_DEFINITION:
        return GQLX_AS_CONST(gqlx_union_type_def, d)->name;
    case GQLX_KIND_ENUM_TYPE_DEFINITION:
        return GQLX_AS_CONST(gqlx_enum_type_def, d)->name;
    default:
        return GQLX_AS_CONST(gqlx_input_object_type_def, d)->name;
    }
}

static void init(gqlx_vctx *ctx, void *state)
{
    struct state *st = state;
    gqlx_vmap_init(&st->defined, gqlx_vctx_arena(ctx));
    const gqlx_document *doc = gqlx_vctx_document(ctx);
    for (uint32_t i = 0; i < doc->definitions.count; i++) {
        const gqlx_node *d = doc->definitions.items[i];
        if (!is_type_definition(d))
            continue;
        gqlx_slice name = type_def_name(d);
        if (gqlx_vmap_put(&st->defined, name, d) != NULL)
            continue;
        if (st->defined_names == NULL) {
            st->defined_names = GQLX_ARRAY(gqlx_vctx_arena(ctx), gqlx_slice, doc->definitions.count);
            if (st->defined_names == NULL)
                return;
        }
        st->defined_names[st->defined_count++] = name;
    }
}

static int enter_definition(gqlx_vctx *ctx, const gqlx_node *node, void *state)
{
    (void)ctx;
    ((struct state *)state)->current_def = node;
    return GQLX_VISIT_CONTINUE;
}

static int enter_named_type(gqlx_vctx *ctx, const gqlx_node *node, void *state)
{
    struct state *st = state;
    gqlx_slice name = GQLX_AS_CONST(gqlx_named_type, node)->name;
    if (gqlx_vctx_lookup_type(ctx, name) != NULL || gqlx_vmap_get(&st->defined, name) != NULL)
        return GQLX_VISIT_CONTINUE;
    const gqlx_node *def = st->current_def;
    bool sdl = def != NULL && def->kind != GQLX_KIND_OPERATION_DEFINITION &&
               def->kind != GQLX_KIND_FRAGMENT_DEFINITION;
    if (sdl) {
        for (size_t i = 0; i < STANDARD_COUNT; i++)
            if (gqlx_slice_eq_cstr(name, standard_names[i]))
                return GQLX_VISIT_CONTINUE;
    }
    /* Candidates: the schema's type map, the document's definitions, and
     * (in SDL) the standard names; duplicates are harmless to
     * suggestionList. */
    gqlx_arena *a = gqlx_vctx_arena(ctx);
    const gqlx_schema *s = gqlx_vctx_schema(ctx);
    size_t cap = s->type_count + st->defined_count + STANDARD_COUNT;
    gqlx_slice *opts = GQLX_ARRAY(a, gqlx_slice, cap ? cap : 1);
    if (opts == NULL)
        return GQLX_VISIT_CONTINUE;
    size_t n = 0;
    if (sdl)
        for (size_t i = 0; i < STANDARD_COUNT; i++)
            opts[n++] = gqlx_slice_cstr(standard_names[i]);
    for (uint32_t i = 0; i < s->type_count; i++)
        opts[n++] = gqlx_name_slice(s->types[i]->name);
    for (size_t i = 0; i < st->defined_count; i++)
        opts[n++] = st->defined_names[i];
    gqlx_slice *sugg;
    size_t ns = gqlx_suggestion_list(a, name, opts, n, &sugg);
    gqlx_buf *m = gqlx_vctx_msg(ctx);
    gqlx_buf_printf(m, "Unknown type \"%.*s\".", (int)name.len, name.ptr);
    gqlx_did_you_mean(m, NULL, sugg, ns);
    gqlx_vctx_report1(ctx, node->start);
    return GQLX_VISIT_CONTINUE;
}

#define DEF(k) [GQLX_KIND_##k] = enter_definition
const gqlx_rule gqlx_rule_known_type_names = {
    .name = "KnownTypeNames",
    .state_size = sizeof(struct state),
    .init = init,
    .enter =
        {
            [GQLX_KIND_NAMED_TYPE] = enter_named_type,
            DEF(OPERATION_DEFINITION), DEF(FRAGMENT_DEFINITION), DEF(SCHEMA_DEFINITION),
            DEF(SCALAR_TYPE_DEFINITION), DEF(OBJECT_TYPE_DEFINITION),
            DEF(INTERFACE_TYPE_DEFINITION), DEF(UNION_TYPE_DEFINITION),
            DEF(ENUM_TYPE_DEFINITION), DEF(INPUT_OBJECT_TYPE_DEFINITION),
            DEF(DIRECTIVE_DEFINITION), DEF(SCHEMA_EXTENSION), DEF(SCALAR_TYPE_EXTENSION),
            DEF(OBJECT_TYPE_EXTENSION), DEF(INTERFACE_TYPE_EXTENSION),
            DEF(UNION_TYPE_EXTENSION), DEF(ENUM_TYPE_EXTENSION),
            DEF(INPUT_OBJECT_TYPE_EXTENSION), DEF(DIRECTIVE_EXTENSION),
        },
};
