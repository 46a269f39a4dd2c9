/* src/types/validate_sdl.c — stage 1 of schema checking: rules on the SDL
 * document itself (graphql-js's specifiedSDLRules run by validateSDL()).
 *
 * graphql-js runs its fifteen SDL rules in parallel during one traversal of
 * the document, so errors come out in traversal order, and at one node in
 * the order of the rule list. This file does the same: one recursive walk
 * over the tree (children in graphql-js's QueryDocumentKeys order), calling
 * each rule's check at the node where graphql-js's rule would fire. The
 * document is always validated without an existing schema (buildSchema's
 * case), so the "already exists in the schema" variants never apply.
 *
 * Rules (graphql-js names) and where they fire:
 *   LoneSchemaDefinition            schema definitions
 *   UniqueOperationTypes            schema definitions and extensions
 *   UniqueTypeNames                 type definitions
 *   UniqueEnumValueNames            enum definitions and extensions
 *   UniqueFieldDefinitionNames      object/interface/input definitions, extensions
 *   UniqueArgumentDefinitionNames   object/interface types, directive definitions
 *   UniqueDirectiveNames            directive definitions
 *   KnownTypeNames                  every named type reference
 *   KnownDirectives                 every applied directive
 *   UniqueDirectivesPerLocation     every node that carries directives
 *   PossibleTypeExtensions          type extensions
 *   KnownArgumentNamesOnDirectives  applied directives
 *   UniqueArgumentNames             applied directives and (executable) fields
 *   UniqueInputFieldNames           object values
 *   ProvidedRequiredArgumentsOnDirectives  applied directives, on leaving
 * Work is linear in the document size apart from suggestions (computed only
 * for errors): all lookups go through hash maps in the scratch arena. */
#include "types/schema_validate.h"

#include <stdint.h>
#include <string.h>

#include "core/hash.h"
#include "core/suggest.h"
#include "language/printer.h"
#include "types/validate_report.h"

/* ---- a map from names (slices into the source) to pointers ------------ */

typedef struct smap {
    gqlx_slice *keys; /* ptr NULL = empty slot */
    void **vals;
    uint32_t mask; /* capacity - 1, 0 with keys NULL when never used */
    uint32_t count;
} smap;

static uint32_t slice_hash(gqlx_slice s)
{
    return (uint32_t)gqlx_hash(s.ptr, s.len, 0);
}

static bool smap_grow(smap *m, gqlx_arena *a)
{
    uint32_t cap = m->keys ? (m->mask + 1) * 2 : 8;
    gqlx_slice *keys = GQLX_ARRAY(a, gqlx_slice, cap);
    void **vals = GQLX_ARRAY(a, void *, cap);
    if (keys == NULL || vals == NULL)
        return false;
    memset(keys, 0, cap * sizeof *keys);
    for (uint32_t i = 0; m->keys && i <= m->mask; i++) {
        if (m->keys[i].ptr == NULL)
            continue;
        uint32_t j = slice_hash(m->keys[i]) & (cap - 1);
        while (keys[j].ptr != NULL)
            j = (j + 1) & (cap - 1);
        keys[j] = m->keys[i];
        vals[j] = m->vals[i];
    }
    m->keys = keys;
    m->vals = vals;
    m->mask = cap - 1;
    return true;
}

/* The value slot for key, or NULL when absent (never inserts). */
static void **smap_find(const smap *m, gqlx_slice key)
{
    if (m->keys == NULL)
        return NULL;
    for (uint32_t j = slice_hash(key) & m->mask;; j = (j + 1) & m->mask) {
        if (m->keys[j].ptr == NULL)
            return NULL;
        if (gqlx_slice_eq(m->keys[j], key))
            return &m->vals[j];
    }
}

/* The value slot for key, inserted with value NULL when new; NULL only when
 * memory runs out. *added tells whether the key was new. Keys must have a
 * non-NULL ptr (names in the source always do; "" uses a static pointer). */
static void **smap_put(smap *m, gqlx_arena *a, gqlx_slice key, bool *added)
{
    *added = false;
    if (key.ptr == NULL)
        key.ptr = "";
    void **slot = smap_find(m, key);
    if (slot != NULL)
        return slot;
    if ((m->count + 1) * 4 > (m->keys ? m->mask + 1 : 0) * 3 && !smap_grow(m, a))
        return NULL;
    uint32_t j = slice_hash(key) & m->mask;
    while (m->keys[j].ptr != NULL)
        j = (j + 1) & m->mask;
    m->keys[j] = key;
    m->vals[j] = NULL;
    m->count++;
    *added = true;
    return &m->vals[j];
}

/* ---- directive facts gathered before the walk ------------------------ */

/* What KnownDirectives, UniqueDirectivesPerLocation, KnownArgumentNames-
 * OnDirectives and ProvidedRequiredArgumentsOnDirectives know about one
 * directive name: the specified directive's, replaced by the document's
 * last definition of that name (graphql-js fills its maps in that order). */
typedef struct dir_info {
    uint32_t locations; /* bit per gqlx_directive_location */
    bool unique;        /* not repeatable */
    gqlx_slice *args;   /* distinct argument names, first-seen order */
    uint32_t arg_count;
    gqlx_slice *req_names;       /* required arguments (non-null, no default) */
    const gqlx_node **req_types; /* their type nodes; NULL = use req_text */
    const char **req_text;       /* type text of specified directives */
    uint32_t req_count;
} dir_info;

#define LOC(name) (1u << GQLX_LOC_##name)

/* ---- the walk ---------------------------------------------------------- */

typedef struct sdl_ctx {
    gqlx_vreport rep;
    gqlx_arena *a;
    const gqlx_document *doc;
    bool oom;

    /* Facts about the whole document. */
    smap defined_types;     /* type name -> last definition node */
    gqlx_slice *type_names; /* distinct defined type names, document order */
    uint32_t type_name_count;
    smap directives; /* directive name -> dir_info */

    /* Rule state. */
    uint32_t schema_definitions;                /* LoneSchemaDefinition */
    const gqlx_operation_type_def *op_types[3]; /* UniqueOperationTypes */
    smap first_type_name;                       /* UniqueTypeNames */
    smap enum_values;                           /* type name -> smap of value names */
    smap type_fields;                           /* type name -> smap of field names */
    smap directive_names;                       /* UniqueDirectiveNames */
    smap schema_directives;                     /* UniqueDirectivesPerLocation: schema */
    smap type_directives;                       /* type name -> smap */
    smap directive_directives;                  /* directive name -> smap */
} sdl_ctx;

static uint32_t off_of(const sdl_ctx *c, gqlx_slice name)
{
    return gqlx_source_offset(c->rep.src, name.ptr);
}

static gqlx_buf *msg(sdl_ctx *c)
{
    return gqlx_vreport_begin(&c->rep);
}

static void emit(sdl_ctx *c, const uint32_t *offs, size_t n)
{
    gqlx_vreport_emit(&c->rep, offs, n);
}

static void emit1(sdl_ctx *c, uint32_t off)
{
    gqlx_vreport_emit(&c->rep, &off, 1);
}

#define SL(s) (int)(s).len, (s).ptr

/* Finds (creating when new) the per-name nested map stored under key. */
static smap *nested_map(sdl_ctx *c, smap *outer, gqlx_slice key)
{
    bool added;
    void **slot = smap_put(outer, c->a, key, &added);
    if (slot == NULL) {
        c->oom = true;
        return NULL;
    }
    if (*slot == NULL) {
        *slot = GQLX_NEW(c->a, smap);
        if (*slot == NULL)
            c->oom = true;
    }
    return *slot;
}

static bool is_type_definition(gqlx_kind k)
{
    return k == GQLX_KIND_SCALAR_TYPE_DEFINITION || k == GQLX_KIND_OBJECT_TYPE_DEFINITION ||
           k == GQLX_KIND_INTERFACE_TYPE_DEFINITION || k == GQLX_KIND_UNION_TYPE_DEFINITION ||
           k == GQLX_KIND_ENUM_TYPE_DEFINITION || k == GQLX_KIND_INPUT_OBJECT_TYPE_DEFINITION;
}

static bool is_type_extension(gqlx_kind k)
{
    return k == GQLX_KIND_SCALAR_TYPE_EXTENSION || k == GQLX_KIND_OBJECT_TYPE_EXTENSION ||
           k == GQLX_KIND_INTERFACE_TYPE_EXTENSION || k == GQLX_KIND_UNION_TYPE_EXTENSION ||
           k == GQLX_KIND_ENUM_TYPE_EXTENSION || k == GQLX_KIND_INPUT_OBJECT_TYPE_EXTENSION;
}

/* The name of any type definition or extension (all share the layout
 * "base, description, name"). */
static gqlx_slice type_def_name(const gqlx_node *n)
{
    return GQLX_AS_CONST(gqlx_scalar_type_def, n)->name;
}

/* ---- gathering -------------------------------------------------------- */

static dir_info *new_dir_info(sdl_ctx *c, gqlx_slice name)
{
    bool added;
    void **slot = smap_put(&c->directives, c->a, name, &added);
    dir_info *d = GQLX_NEW(c->a, dir_info);
    if (slot == NULL || d == NULL) {
        c->oom = true;
        return NULL;
    }
    *slot = d;
    return d;
}

/* The five directives graphql-js 17 specifies (@include, @skip,
 * @deprecated, @specifiedBy, @oneOf), as its rules see them. */
static void add_specified_directives(sdl_ctx *c)
{
    static const char *const if_arg[] = {"if"};
    static const char *const bool_nn[] = {"Boolean!"};
    static const char *const reason_arg[] = {"reason"};
    static const char *const url_arg[] = {"url"};
    static const char *const string_nn[] = {"String!"};
    static const struct {
        const char *name;
        uint32_t locations;
        const char *const *args;
        uint32_t arg_count;
        const char *const *req_types; /* all args required when set */
    } specified[] = {
        {"include", LOC(FIELD) | LOC(FRAGMENT_SPREAD) | LOC(INLINE_FRAGMENT), if_arg, 1, bool_nn},
        {"skip", LOC(FIELD) | LOC(FRAGMENT_SPREAD) | LOC(INLINE_FRAGMENT), if_arg, 1, bool_nn},
        {"deprecated",
         LOC(FIELD_DEFINITION) | LOC(ARGUMENT_DEFINITION) | LOC(INPUT_FIELD_DEFINITION) |
             LOC(ENUM_VALUE) | LOC(DIRECTIVE_DEFINITION),
         reason_arg, 1, NULL},
        {"specifiedBy", LOC(SCALAR), url_arg, 1, string_nn},
        {"oneOf", LOC(INPUT_OBJECT), NULL, 0, NULL},
    };
    for (size_t i = 0; i < sizeof specified / sizeof specified[0]; i++) {
        dir_info *d = new_dir_info(c, gqlx_slice_cstr(specified[i].name));
        if (d == NULL)
            return;
        d->locations = specified[i].locations;
        d->unique = true;
        d->arg_count = specified[i].arg_count;
        d->args = GQLX_ARRAY(c->a, gqlx_slice, specified[i].arg_count + 1);
        d->req_names = GQLX_ARRAY(c->a, gqlx_slice, specified[i].arg_count + 1);
        d->req_types = GQLX_ARRAY(c->a, const gqlx_node *, specified[i].arg_count + 1);
        d->req_text = GQLX_ARRAY(c->a, const char *, specified[i].arg_count + 1);
        if (!d->args || !d->req_names || !d->req_types || !d->req_text) {
            c->oom = true;
            return;
        }
        for (uint32_t j = 0; j < specified[i].arg_count; j++) {
            d->args[j] = gqlx_slice_cstr(specified[i].args[j]);
            if (specified[i].req_types != NULL) {
                d->req_names[d->req_count] = d->args[j];
                d->req_types[d->req_count] = NULL;
                d->req_text[d->req_count] = specified[i].req_types[j];
                d->req_count++;
            }
        }
    }
}

static void add_defined_directive(sdl_ctx *c, const gqlx_directive_def *def)
{
    dir_info *d = new_dir_info(c, def->name);
    if (d == NULL)
        return;
    for (uint32_t i = 0; i < def->locations.count; i++) {
        int loc = gqlx_directive_location_parse(def->locations.items[i]);
        if (loc >= 0)
            d->locations |= 1u << loc;
    }
    d->unique = (def->base.flags & GQLX_DIRECTIVE_REPEATABLE) == 0;
    uint32_t n = def->arguments.count;
    d->args = GQLX_ARRAY(c->a, gqlx_slice, n + 1);
    d->req_names = GQLX_ARRAY(c->a, gqlx_slice, n + 1);
    d->req_types = GQLX_ARRAY(c->a, const gqlx_node *, n + 1);
    d->req_text = GQLX_ARRAY(c->a, const char *, n + 1);
    if (!d->args || !d->req_names || !d->req_types || !d->req_text) {
        c->oom = true;
        return;
    }
    smap seen = {0};
    for (uint32_t i = 0; i < n; i++) {
        const gqlx_input_value_def *arg = def->arguments.items[i];
        bool added;
        void **slot = smap_put(&seen, c->a, arg->name, &added);
        if (slot == NULL) {
            c->oom = true;
            return;
        }
        if (added)
            d->args[d->arg_count++] = arg->name;
        bool required = arg->type != NULL && arg->type->kind == GQLX_KIND_NON_NULL_TYPE &&
                        arg->default_value == NULL;
        /* graphql-js keeps required arguments in a Map: a repeated name
         * keeps its first position but takes the later definition. */
        uint32_t at = UINT32_MAX;
        for (uint32_t k = 0; k < d->req_count && required; k++)
            if (gqlx_slice_eq(d->req_names[k], arg->name))
                at = k;
        if (!required)
            continue;
        if (at == UINT32_MAX)
            at = d->req_count++;
        d->req_names[at] = arg->name;
        d->req_types[at] = arg->type;
        d->req_text[at] = NULL;
    }
}

static void gather(sdl_ctx *c)
{
    add_specified_directives(c);
    uint32_t ndefs = c->doc->definitions.count;
    c->type_names = GQLX_ARRAY(c->a, gqlx_slice, ndefs + 1);
    if (c->type_names == NULL) {
        c->oom = true;
        return;
    }
    for (uint32_t i = 0; i < ndefs && !c->oom; i++) {
        const gqlx_node *def = c->doc->definitions.items[i];
        if (is_type_definition((gqlx_kind)def->kind)) {
            bool added;
            void **slot = smap_put(&c->defined_types, c->a, type_def_name(def), &added);
            if (slot == NULL) {
                c->oom = true;
                return;
            }
            *slot = (void *)(uintptr_t)def; /* last definition wins */
            if (added)
                c->type_names[c->type_name_count++] = type_def_name(def);
        } else if (def->kind == GQLX_KIND_DIRECTIVE_DEFINITION) {
            add_defined_directive(c, GQLX_AS_CONST(gqlx_directive_def, def));
        }
    }
}

/* ---- rules at type-system nodes -------------------------------------- */

/* LoneSchemaDefinition. */
static void check_lone_schema(sdl_ctx *c, const gqlx_node *node)
{
    if (c->schema_definitions > 0) {
        gqlx_buf_append_cstr(msg(c), "Must provide only one schema definition.");
        emit1(c, node->start);
    }
    c->schema_definitions++;
}

/* UniqueOperationTypes. */
static void check_operation_types(sdl_ctx *c, const gqlx_schema_def *s)
{
    for (uint32_t i = 0; i < s->operation_types.count; i++) {
        const gqlx_operation_type_def *ot = s->operation_types.items[i];
        unsigned op = (unsigned)ot->operation;
        if (op > 2)
            continue;
        if (c->op_types[op] != NULL) {
            gqlx_buf_printf(msg(c), "There can be only one %s type in schema.",
                            gqlx_operation_name(ot->operation));
            uint32_t offs[2] = {c->op_types[op]->base.start, ot->base.start};
            emit(c, offs, 2);
        } else {
            c->op_types[op] = ot;
        }
    }
}

/* UniqueTypeNames. */
static void check_type_name(sdl_ctx *c, const gqlx_node *def)
{
    gqlx_slice name = type_def_name(def);
    bool added;
    void **slot = smap_put(&c->first_type_name, c->a, name, &added);
    if (slot == NULL) {
        c->oom = true;
        return;
    }
    if (added) {
        *slot = (void *)(uintptr_t)name.ptr;
        return;
    }
    gqlx_buf_printf(msg(c), "There can be only one type named \"%.*s\".", SL(name));
    uint32_t offs[2] = {gqlx_source_offset(c->rep.src, (const char *)*slot), off_of(c, name)};
    emit(c, offs, 2);
}

/* UniqueEnumValueNames. */
static void check_enum_values(sdl_ctx *c, const gqlx_enum_type_def *e)
{
    smap *values = nested_map(c, &c->enum_values, e->name);
    if (values == NULL)
        return;
    for (uint32_t i = 0; i < e->values.count; i++) {
        gqlx_slice vname = e->values.items[i]->name;
        bool added;
        void **slot = smap_put(values, c->a, vname, &added);
        if (slot == NULL) {
            c->oom = true;
            return;
        }
        if (added) {
            *slot = (void *)(uintptr_t)vname.ptr;
            continue;
        }
        gqlx_buf_printf(msg(c), "Enum value \"%.*s.%.*s\" can only be defined once.", SL(e->name),
                        SL(vname));
        uint32_t offs[2] = {gqlx_source_offset(c->rep.src, (const char *)*slot), off_of(c, vname)};
        emit(c, offs, 2);
    }
}

/* UniqueFieldDefinitionNames, for the field names of one type node.
 * names[i] are the fields' names. */
static void check_field_names(sdl_ctx *c, gqlx_slice type_name, const gqlx_slice *names, uint32_t n)
{
    smap *fields = nested_map(c, &c->type_fields, type_name);
    if (fields == NULL)
        return;
    for (uint32_t i = 0; i < n; i++) {
        bool added;
        void **slot = smap_put(fields, c->a, names[i], &added);
        if (slot == NULL) {
            c->oom = true;
            return;
        }
        if (added) {
            *slot = (void *)(uintptr_t)names[i].ptr;
            continue;
        }
        gqlx_buf_printf(msg(c), "Field \"%.*s.%.*s\" can only be defined once.", SL(type_name),
                        SL(names[i]));
        uint32_t offs[2] = {gqlx_source_offset(c->rep.src, (const char *)*slot),
                            off_of(c, names[i])};
        emit(c, offs, 2);
    }
}

/* Reports each name occurring more than once among names[0..n), once per
 * distinct name in order of first occurrence, with every occurrence as a
 * location (graphql-js's groupBy-based uniqueness checks). The message is
 * prefix + name + suffix. */
static void report_duplicate_groups(sdl_ctx *c, const gqlx_slice *names, uint32_t n,
                                    const char *prefix, gqlx_slice owner, const char *middle,
                                    const char *suffix)
{
    if (n < 2)
        return;
    /* next[i]: the next occurrence of names[i]'s name; count[i]: how many
     * times the name occurs, kept at its first occurrence. One hash map
     * pass: each name maps to its group's first and latest positions. */
    typedef struct group {
        uint32_t first, tail;
    } group;
    uint32_t *next = GQLX_ARRAY(c->a, uint32_t, n);
    uint32_t *count = GQLX_ARRAY(c->a, uint32_t, n);
    group *groups = GQLX_ARRAY(c->a, group, n);
    smap last = {0};
    if (next == NULL || count == NULL || groups == NULL) {
        c->oom = true;
        return;
    }
    bool any = false;
    uint32_t ngroups = 0;
    for (uint32_t i = 0; i < n; i++) {
        bool added;
        void **slot = smap_put(&last, c->a, names[i], &added);
        if (slot == NULL) {
            c->oom = true;
            return;
        }
        next[i] = UINT32_MAX;
        count[i] = 0;
        if (added) {
            count[i] = 1;
            group *g = &groups[ngroups++];
            g->first = g->tail = i;
            *slot = g;
        } else {
            group *g = *slot;
            next[g->tail] = i;
            count[g->first]++;
            g->tail = i;
            any = true;
        }
    }
    if (!any)
        return;
    for (uint32_t i = 0; i < n; i++) {
        if (count[i] < 2)
            continue;
        gqlx_buf *b = msg(c);
        gqlx_buf_append_cstr(b, prefix);
        if (owner.ptr != NULL) {
            gqlx_buf_append(b, owner.ptr, owner.len);
            gqlx_buf_append_cstr(b, middle);
        }
        gqlx_buf_append(b, names[i].ptr, names[i].len);
        gqlx_buf_append_cstr(b, suffix);
        uint32_t *offs = GQLX_ARRAY(c->a, uint32_t, count[i]);
        if (offs == NULL) {
            c->oom = true;
            return;
        }
        uint32_t k = 0;
        for (uint32_t j = i; j != UINT32_MAX; j = next[j])
            offs[k++] = off_of(c, names[j]);
        emit(c, offs, k);
    }
}

/* Names of a list of input value definitions, in a scratch array. */
static gqlx_slice *input_value_names(sdl_ctx *c, const gqlx_input_value_def_list *l)
{
    gqlx_slice *names = GQLX_ARRAY(c->a, gqlx_slice, l->count + 1);
    if (names == NULL) {
        c->oom = true;
        return NULL;
    }
    for (uint32_t i = 0; i < l->count; i++)
        names[i] = l->items[i]->name;
    return names;
}

/* UniqueArgumentDefinitionNames for one argument list; owner is
 * "Type.field" or "@directive" already formatted. */
static void check_arg_def_names(sdl_ctx *c, gqlx_slice owner, const gqlx_input_value_def_list *l)
{
    if (l->count < 2)
        return;
    gqlx_slice *names = input_value_names(c, l);
    if (names != NULL)
        report_duplicate_groups(c, names, l->count, "Argument \"", owner, "(",
                                ":)\" can only be defined once.");
}

/* UniqueArgumentDefinitionNames for the fields of an object or interface. */
static void check_field_arg_names(sdl_ctx *c, const gqlx_object_type_def *t)
{
    for (uint32_t i = 0; i < t->fields.count; i++) {
        const gqlx_field_def *f = t->fields.items[i];
        if (f->arguments.count < 2)
            continue;
        char *owner = NULL;
        size_t len = t->name.len + 1 + f->name.len;
        owner = gqlx_arena_alloc(c->a, len + 1, 1);
        if (owner == NULL) {
            c->oom = true;
            return;
        }
        memcpy(owner, t->name.ptr, t->name.len);
        owner[t->name.len] = '.';
        memcpy(owner + t->name.len + 1, f->name.ptr, f->name.len);
        owner[len] = '\0';
        check_arg_def_names(c, gqlx_slice_make(owner, len), &f->arguments);
    }
}

/* UniqueDirectiveNames. */
static void check_directive_name(sdl_ctx *c, const gqlx_directive_def *d)
{
    bool added;
    void **slot = smap_put(&c->directive_names, c->a, d->name, &added);
    if (slot == NULL) {
        c->oom = true;
        return;
    }
    if (added) {
        *slot = (void *)(uintptr_t)d->name.ptr;
        return;
    }
    gqlx_buf_printf(msg(c), "There can be only one directive named \"@%.*s\".", SL(d->name));
    uint32_t offs[2] = {gqlx_source_offset(c->rep.src, (const char *)*slot), off_of(c, d->name)};
    emit(c, offs, 2);
}

/* UniqueDirectivesPerLocation: `seen` is the map shared by every node of
 * the same schema / type / directive name, or a fresh one. */
static void check_unique_directives(sdl_ctx *c, const gqlx_directive_list *dirs, smap *seen)
{
    if (seen == NULL)
        return;
    for (uint32_t i = 0; i < dirs->count; i++) {
        const gqlx_directive *d = dirs->items[i];
        void **info = smap_find(&c->directives, d->name);
        if (info == NULL || !((const dir_info *)*info)->unique)
            continue;
        bool added;
        void **slot = smap_put(seen, c->a, d->name, &added);
        if (slot == NULL) {
            c->oom = true;
            return;
        }
        if (added) {
            *slot = (void *)(uintptr_t)d;
            continue;
        }
        gqlx_buf_printf(msg(c), "The directive \"@%.*s\" can only be used once at this location.",
                        SL(d->name));
        uint32_t offs[2] = {((const gqlx_directive *)*slot)->base.start, d->base.start};
        emit(c, offs, 2);
    }
}

static void check_unique_directives_fresh(sdl_ctx *c, const gqlx_directive_list *dirs)
{
    if (dirs->count < 2)
        return;
    smap seen = {0};
    check_unique_directives(c, dirs, &seen);
}

static const char *extension_kind_word(gqlx_kind k)
{
    switch (k) {
    case GQLX_KIND_SCALAR_TYPE_EXTENSION:
        return "scalar";
    case GQLX_KIND_OBJECT_TYPE_EXTENSION:
        return "object";
    case GQLX_KIND_INTERFACE_TYPE_EXTENSION:
        return "interface";
    case GQLX_KIND_UNION_TYPE_EXTENSION:
        return "union";
    case GQLX_KIND_ENUM_TYPE_EXTENSION:
        return "enum";
    default:
        return "input object";
    }
}

static gqlx_kind extension_kind_of(gqlx_kind def)
{
    switch (def) {
    case GQLX_KIND_SCALAR_TYPE_DEFINITION:
        return GQLX_KIND_SCALAR_TYPE_EXTENSION;
    case GQLX_KIND_OBJECT_TYPE_DEFINITION:
        return GQLX_KIND_OBJECT_TYPE_EXTENSION;
    case GQLX_KIND_INTERFACE_TYPE_DEFINITION:
        return GQLX_KIND_INTERFACE_TYPE_EXTENSION;
    case GQLX_KIND_UNION_TYPE_DEFINITION:
        return GQLX_KIND_UNION_TYPE_EXTENSION;
    case GQLX_KIND_ENUM_TYPE_DEFINITION:
        return GQLX_KIND_ENUM_TYPE_EXTENSION;
    default:
        return GQLX_KIND_INPUT_OBJECT_TYPE_EXTENSION;
    }
}

/* PossibleTypeExtensions. */
static void check_extension(sdl_ctx *c, const gqlx_node *ext)
{
    gqlx_slice name = type_def_name(ext);
    void **slot = smap_find(&c->defined_types, name);
    if (slot != NULL) {
        const gqlx_node *def = *slot;
        if (extension_kind_of((gqlx_kind)def->kind) != ext->kind) {
            gqlx_buf_printf(msg(c), "Cannot extend non-%s type \"%.*s\".",
                            extension_kind_word((gqlx_kind)ext->kind), SL(name));
            uint32_t offs[2] = {def->start, ext->start};
            emit(c, offs, 2);
        }
        return;
    }
    gqlx_buf *b = msg(c);
    gqlx_buf_printf(b, "Cannot extend type \"%.*s\" because it is not defined.", SL(name));
    gqlx_slice *sugg;
    size_t n = gqlx_suggestion_list(c->a, name, c->type_names, c->type_name_count, &sugg);
    gqlx_did_you_mean(b, NULL, sugg, n);
    emit1(c, off_of(c, name));
}

/* ---- rules at references, directives and values ----------------------- */

static const char *const standard_type_names[] = {
    "String",     "Int",      "Float",        "Boolean",
    "ID",         "__Schema", "__Directive",  "__DirectiveLocation",
    "__Type",     "__Field",  "__InputValue", "__EnumValue",
    "__TypeKind",
};
#define STANDARD_TYPE_COUNT (sizeof standard_type_names / sizeof standard_type_names[0])

/* KnownTypeNames. in_sdl: the reference sits in a type-system definition
 * or extension (built-in names are then known even when not defined). */
static void check_named_type(sdl_ctx *c, const gqlx_named_type *t, bool in_sdl)
{
    if (smap_find(&c->defined_types, t->name) != NULL)
        return;
    if (in_sdl) {
        for (size_t i = 0; i < STANDARD_TYPE_COUNT; i++)
            if (gqlx_slice_eq_cstr(t->name, standard_type_names[i]))
                return;
    }
    size_t n_opts = c->type_name_count + (in_sdl ? STANDARD_TYPE_COUNT : 0);
    gqlx_slice *opts = GQLX_ARRAY(c->a, gqlx_slice, n_opts + 1);
    if (opts == NULL) {
        c->oom = true;
        return;
    }
    size_t k = 0;
    if (in_sdl)
        for (size_t i = 0; i < STANDARD_TYPE_COUNT; i++)
            opts[k++] = gqlx_slice_cstr(standard_type_names[i]);
    for (uint32_t i = 0; i < c->type_name_count; i++)
        opts[k++] = c->type_names[i];
    gqlx_buf *b = msg(c);
    gqlx_buf_printf(b, "Unknown type \"%.*s\".", SL(t->name));
    gqlx_slice *sugg;
    size_t n = gqlx_suggestion_list(c->a, t->name, opts, k, &sugg);
    gqlx_did_you_mean(b, NULL, sugg, n);
    emit1(c, t->base.start);
}

/* UniqueArgumentNames on a directive or field. */
static void check_unique_args(sdl_ctx *c, const gqlx_argument_list *args)
{
    if (args->count < 2)
        return;
    gqlx_slice *names = GQLX_ARRAY(c->a, gqlx_slice, args->count);
    if (names == NULL) {
        c->oom = true;
        return;
    }
    for (uint32_t i = 0; i < args->count; i++)
        names[i] = args->items[i]->name;
    report_duplicate_groups(c, names, args->count, "There can be only one argument named \"",
                            gqlx_slice_make(NULL, 0), "", "\".");
}

/* Entering an applied directive: KnownDirectives, KnownArgumentNames-
 * OnDirectives, UniqueArgumentNames (in the rule list's order). location
 * is the gqlx_directive_location of the node it is applied to. */
static void enter_directive(sdl_ctx *c, const gqlx_directive *d, int location)
{
    void **slot = smap_find(&c->directives, d->name);
    const dir_info *info = slot ? *slot : NULL;
    if (info == NULL) {
        gqlx_buf_printf(msg(c), "Unknown directive \"@%.*s\".", SL(d->name));
        emit1(c, d->base.start);
    } else if (location >= 0 && (info->locations & (1u << location)) == 0) {
        gqlx_buf_printf(msg(c), "Directive \"@%.*s\" may not be used on %s.", SL(d->name),
                        gqlx_directive_location_name((gqlx_directive_location)location));
        emit1(c, d->base.start);
    }
    if (info != NULL) {
        for (uint32_t i = 0; i < d->arguments.count; i++) {
            const gqlx_argument *arg = d->arguments.items[i];
            bool known = false;
            for (uint32_t k = 0; k < info->arg_count && !known; k++)
                known = gqlx_slice_eq(info->args[k], arg->name);
            if (known)
                continue;
            gqlx_buf *b = msg(c);
            gqlx_buf_printf(b, "Unknown argument \"%.*s\" on directive \"@%.*s\".", SL(arg->name),
                            SL(d->name));
            gqlx_slice *sugg;
            size_t n = gqlx_suggestion_list(c->a, arg->name, info->args, info->arg_count, &sugg);
            gqlx_did_you_mean(b, NULL, sugg, n);
            emit1(c, arg->base.start);
        }
    }
    check_unique_args(c, &d->arguments);
}

/* Leaving an applied directive: ProvidedRequiredArgumentsOnDirectives. */
static void leave_directive(sdl_ctx *c, const gqlx_directive *d)
{
    void **slot = smap_find(&c->directives, d->name);
    const dir_info *info = slot ? *slot : NULL;
    if (info == NULL)
        return;
    for (uint32_t r = 0; r < info->req_count; r++) {
        bool provided = false;
        for (uint32_t i = 0; i < d->arguments.count && !provided; i++)
            provided = gqlx_slice_eq(d->arguments.items[i]->name, info->req_names[r]);
        if (provided)
            continue;
        gqlx_buf *b = msg(c);
        gqlx_buf_printf(b, "Argument \"@%.*s(%.*s:)\" of type \"", SL(d->name),
                        SL(info->req_names[r]));
        if (info->req_types[r] != NULL)
            gqlx_print(b, info->req_types[r], c->a);
        else
            gqlx_buf_append_cstr(b, info->req_text[r]);
        gqlx_buf_append_cstr(b, "\" is required, but it was not provided.");
        emit1(c, d->base.start);
    }
}

static void walk_value(sdl_ctx *c, const gqlx_node *v);

static void walk_arguments(sdl_ctx *c, const gqlx_argument_list *args)
{
    for (uint32_t i = 0; i < args->count; i++)
        if (args->items[i]->value != NULL)
            walk_value(c, args->items[i]->value);
}

static void walk_directives(sdl_ctx *c, const gqlx_directive_list *dirs, int location)
{
    for (uint32_t i = 0; i < dirs->count; i++) {
        const gqlx_directive *d = dirs->items[i];
        enter_directive(c, d, location);
        walk_arguments(c, &d->arguments);
        leave_directive(c, d);
    }
}

/* Values: UniqueInputFieldNames at every object value (each with its own
 * set of names, as graphql-js's stack of maps gives). */
static void walk_value(sdl_ctx *c, const gqlx_node *v)
{
    if (v->kind == GQLX_KIND_LIST_VALUE) {
        const gqlx_list_value *l = GQLX_AS_CONST(gqlx_list_value, v);
        for (uint32_t i = 0; i < l->values.count; i++)
            walk_value(c, l->values.items[i]);
    } else if (v->kind == GQLX_KIND_OBJECT_VALUE) {
        const gqlx_object_value *o = GQLX_AS_CONST(gqlx_object_value, v);
        smap seen = {0};
        for (uint32_t i = 0; i < o->fields.count; i++) {
            const gqlx_object_field *f = o->fields.items[i];
            bool added;
            void **slot = smap_put(&seen, c->a, f->name, &added);
            if (slot == NULL) {
                c->oom = true;
                return;
            }
            if (added) {
                *slot = (void *)(uintptr_t)f->name.ptr;
            } else {
                gqlx_buf_printf(msg(c), "There can be only one input field named \"%.*s\".",
                                SL(f->name));
                uint32_t offs[2] = {gqlx_source_offset(c->rep.src, (const char *)*slot),
                                    off_of(c, f->name)};
                emit(c, offs, 2);
            }
            if (f->value != NULL)
                walk_value(c, f->value);
        }
    }
}

static void walk_type(sdl_ctx *c, const gqlx_node *t, bool in_sdl)
{
    while (t != NULL && (t->kind == GQLX_KIND_LIST_TYPE || t->kind == GQLX_KIND_NON_NULL_TYPE))
        t = GQLX_AS_CONST(gqlx_wrapper_type, t)->type;
    if (t != NULL && t->kind == GQLX_KIND_NAMED_TYPE)
        check_named_type(c, GQLX_AS_CONST(gqlx_named_type, t), in_sdl);
}

/* An input value definition: an argument (of a field or directive) or an
 * input object field, which decides the directive location. */
static void walk_input_values(sdl_ctx *c, const gqlx_input_value_def_list *l, int location)
{
    for (uint32_t i = 0; i < l->count; i++) {
        const gqlx_input_value_def *iv = l->items[i];
        check_unique_directives_fresh(c, &iv->directives);
        walk_type(c, iv->type, true);
        if (iv->default_value != NULL)
            walk_value(c, iv->default_value);
        walk_directives(c, &iv->directives, location);
    }
}

static void walk_fields(sdl_ctx *c, const gqlx_field_def_list *l)
{
    for (uint32_t i = 0; i < l->count; i++) {
        const gqlx_field_def *f = l->items[i];
        check_unique_directives_fresh(c, &f->directives);
        walk_input_values(c, &f->arguments, GQLX_LOC_ARGUMENT_DEFINITION);
        walk_type(c, f->type, true);
        walk_directives(c, &f->directives, GQLX_LOC_FIELD_DEFINITION);
    }
}

/* ---- executable definitions (an SDL file may contain them too) -------- */

static void walk_selection_set(sdl_ctx *c, const gqlx_selection_set *s);

static void walk_variable_defs(sdl_ctx *c, const gqlx_variable_def_list *l)
{
    for (uint32_t i = 0; i < l->count; i++) {
        const gqlx_variable_def *v = l->items[i];
        check_unique_directives_fresh(c, &v->directives);
        walk_type(c, v->type, false);
        if (v->default_value != NULL)
            walk_value(c, v->default_value);
        walk_directives(c, &v->directives, GQLX_LOC_VARIABLE_DEFINITION);
    }
}

static void walk_selection_set(sdl_ctx *c, const gqlx_selection_set *s)
{
    if (s == NULL)
        return;
    for (uint32_t i = 0; i < s->selections.count && !c->oom; i++) {
        const gqlx_node *sel = s->selections.items[i];
        if (sel->kind == GQLX_KIND_FIELD) {
            const gqlx_field *f = GQLX_AS_CONST(gqlx_field, sel);
            check_unique_directives_fresh(c, &f->directives);
            check_unique_args(c, &f->arguments);
            walk_arguments(c, &f->arguments);
            walk_directives(c, &f->directives, GQLX_LOC_FIELD);
            walk_selection_set(c, f->selection_set);
        } else if (sel->kind == GQLX_KIND_FRAGMENT_SPREAD) {
            const gqlx_fragment_spread *fs = GQLX_AS_CONST(gqlx_fragment_spread, sel);
            check_unique_directives_fresh(c, &fs->directives);
            walk_directives(c, &fs->directives, GQLX_LOC_FRAGMENT_SPREAD);
        } else if (sel->kind == GQLX_KIND_INLINE_FRAGMENT) {
            const gqlx_inline_fragment *in = GQLX_AS_CONST(gqlx_inline_fragment, sel);
            check_unique_directives_fresh(c, &in->directives);
            if (in->type_condition != NULL)
                check_named_type(c, in->type_condition, false);
            walk_directives(c, &in->directives, GQLX_LOC_INLINE_FRAGMENT);
            walk_selection_set(c, in->selection_set);
        }
    }
}

/* ---- one definition --------------------------------------------------- */

static void walk_definition(sdl_ctx *c, const gqlx_node *def)
{
    gqlx_kind k = (gqlx_kind)def->kind;
    switch (k) {
    case GQLX_KIND_OPERATION_DEFINITION: {
        const gqlx_operation_def *op = GQLX_AS_CONST(gqlx_operation_def, def);
        check_unique_directives_fresh(c, &op->directives);
        walk_variable_defs(c, &op->variable_definitions);
        int loc = op->operation == GQLX_OP_MUTATION       ? GQLX_LOC_MUTATION
                  : op->operation == GQLX_OP_SUBSCRIPTION ? GQLX_LOC_SUBSCRIPTION
                                                          : GQLX_LOC_QUERY;
        walk_directives(c, &op->directives, loc);
        walk_selection_set(c, op->selection_set);
        return;
    }
    case GQLX_KIND_FRAGMENT_DEFINITION: {
        const gqlx_fragment_def *fd = GQLX_AS_CONST(gqlx_fragment_def, def);
        check_unique_directives_fresh(c, &fd->directives);
        if (fd->type_condition != NULL)
            check_named_type(c, fd->type_condition, false);
        walk_directives(c, &fd->directives, GQLX_LOC_FRAGMENT_DEFINITION);
        walk_selection_set(c, fd->selection_set);
        return;
    }
    case GQLX_KIND_SCHEMA_DEFINITION:
    case GQLX_KIND_SCHEMA_EXTENSION: {
        const gqlx_schema_def *s = GQLX_AS_CONST(gqlx_schema_def, def);
        if (k == GQLX_KIND_SCHEMA_DEFINITION)
            check_lone_schema(c, def);
        check_operation_types(c, s);
        check_unique_directives(c, &s->directives, &c->schema_directives);
        walk_directives(c, &s->directives, GQLX_LOC_SCHEMA);
        for (uint32_t i = 0; i < s->operation_types.count; i++)
            if (s->operation_types.items[i]->type != NULL)
                check_named_type(c, s->operation_types.items[i]->type, true);
        return;
    }
    case GQLX_KIND_DIRECTIVE_DEFINITION:
    case GQLX_KIND_DIRECTIVE_EXTENSION: {
        const gqlx_directive_def *d = GQLX_AS_CONST(gqlx_directive_def, def);
        if (k == GQLX_KIND_DIRECTIVE_DEFINITION) {
            if (d->arguments.count >= 2) {
                char *owner = gqlx_arena_alloc(c->a, d->name.len + 1, 1);
                if (owner == NULL) {
                    c->oom = true;
                    return;
                }
                owner[0] = '@';
                memcpy(owner + 1, d->name.ptr, d->name.len);
                check_arg_def_names(c, gqlx_slice_make(owner, d->name.len + 1), &d->arguments);
            }
            check_directive_name(c, d);
        }
        check_unique_directives(c, &d->directives,
                                nested_map(c, &c->directive_directives, d->name));
        walk_input_values(c, &d->arguments, GQLX_LOC_ARGUMENT_DEFINITION);
        walk_directives(c, &d->directives, GQLX_LOC_DIRECTIVE_DEFINITION);
        return;
    }
    default:
        break;
    }
    if (!is_type_definition(k) && !is_type_extension(k))
        return;

    /* Type definitions and extensions: the node-level rules in rule-list
     * order, then the children. */
    gqlx_slice name = type_def_name(def);
    if (is_type_definition(k))
        check_type_name(c, def);
    if (k == GQLX_KIND_ENUM_TYPE_DEFINITION || k == GQLX_KIND_ENUM_TYPE_EXTENSION)
        check_enum_values(c, GQLX_AS_CONST(gqlx_enum_type_def, def));
    if (k == GQLX_KIND_OBJECT_TYPE_DEFINITION || k == GQLX_KIND_OBJECT_TYPE_EXTENSION ||
        k == GQLX_KIND_INTERFACE_TYPE_DEFINITION || k == GQLX_KIND_INTERFACE_TYPE_EXTENSION) {
        const gqlx_object_type_def *t = GQLX_AS_CONST(gqlx_object_type_def, def);
        gqlx_slice *names = GQLX_ARRAY(c->a, gqlx_slice, t->fields.count + 1);
        if (names == NULL) {
            c->oom = true;
            return;
        }
        for (uint32_t i = 0; i < t->fields.count; i++)
            names[i] = t->fields.items[i]->name;
        check_field_names(c, name, names, t->fields.count);
        check_field_arg_names(c, t);
    } else if (k == GQLX_KIND_INPUT_OBJECT_TYPE_DEFINITION ||
               k == GQLX_KIND_INPUT_OBJECT_TYPE_EXTENSION) {
        const gqlx_input_object_type_def *t = GQLX_AS_CONST(gqlx_input_object_type_def, def);
        gqlx_slice *names = input_value_names(c, &t->fields);
        if (names == NULL)
            return;
        check_field_names(c, name, names, t->fields.count);
    }
    const gqlx_directive_list *dirs = &GQLX_AS_CONST(gqlx_scalar_type_def, def)->directives;
    switch (k) {
    case GQLX_KIND_OBJECT_TYPE_DEFINITION:
    case GQLX_KIND_OBJECT_TYPE_EXTENSION:
    case GQLX_KIND_INTERFACE_TYPE_DEFINITION:
    case GQLX_KIND_INTERFACE_TYPE_EXTENSION:
        dirs = &GQLX_AS_CONST(gqlx_object_type_def, def)->directives;
        break;
    case GQLX_KIND_UNION_TYPE_DEFINITION:
    case GQLX_KIND_UNION_TYPE_EXTENSION:
        dirs = &GQLX_AS_CONST(gqlx_union_type_def, def)->directives;
        break;
    case GQLX_KIND_ENUM_TYPE_DEFINITION:
    case GQLX_KIND_ENUM_TYPE_EXTENSION:
        dirs = &GQLX_AS_CONST(gqlx_enum_type_def, def)->directives;
        break;
    case GQLX_KIND_INPUT_OBJECT_TYPE_DEFINITION:
    case GQLX_KIND_INPUT_OBJECT_TYPE_EXTENSION:
        dirs = &GQLX_AS_CONST(gqlx_input_object_type_def, def)->directives;
        break;
    default:
        break;
    }
    check_unique_directives(c, dirs, nested_map(c, &c->type_directives, name));
    if (is_type_extension(k))
        check_extension(c, def);

    switch (k) {
    case GQLX_KIND_SCALAR_TYPE_DEFINITION:
    case GQLX_KIND_SCALAR_TYPE_EXTENSION:
        walk_directives(c, dirs, GQLX_LOC_SCALAR);
        break;
    case GQLX_KIND_OBJECT_TYPE_DEFINITION:
    case GQLX_KIND_OBJECT_TYPE_EXTENSION:
    case GQLX_KIND_INTERFACE_TYPE_DEFINITION:
    case GQLX_KIND_INTERFACE_TYPE_EXTENSION: {
        const gqlx_object_type_def *t = GQLX_AS_CONST(gqlx_object_type_def, def);
        bool object = k == GQLX_KIND_OBJECT_TYPE_DEFINITION || k == GQLX_KIND_OBJECT_TYPE_EXTENSION;
        for (uint32_t i = 0; i < t->interfaces.count; i++)
            check_named_type(c, t->interfaces.items[i], true);
        walk_directives(c, dirs, object ? GQLX_LOC_OBJECT : GQLX_LOC_INTERFACE);
        walk_fields(c, &t->fields);
        break;
    }
    case GQLX_KIND_UNION_TYPE_DEFINITION:
    case GQLX_KIND_UNION_TYPE_EXTENSION: {
        const gqlx_union_type_def *u = GQLX_AS_CONST(gqlx_union_type_def, def);
        walk_directives(c, dirs, GQLX_LOC_UNION);
        for (uint32_t i = 0; i < u->types.count; i++)
            check_named_type(c, u->types.items[i], true);
        break;
    }
    case GQLX_KIND_ENUM_TYPE_DEFINITION:
    case GQLX_KIND_ENUM_TYPE_EXTENSION: {
        const gqlx_enum_type_def *e = GQLX_AS_CONST(gqlx_enum_type_def, def);
        walk_directives(c, dirs, GQLX_LOC_ENUM);
        for (uint32_t i = 0; i < e->values.count; i++) {
            const gqlx_enum_value_def *v = e->values.items[i];
            check_unique_directives_fresh(c, &v->directives);
            walk_directives(c, &v->directives, GQLX_LOC_ENUM_VALUE);
        }
        break;
    }
    default: { /* input objects */
        const gqlx_input_object_type_def *t = GQLX_AS_CONST(gqlx_input_object_type_def, def);
        walk_directives(c, dirs, GQLX_LOC_INPUT_OBJECT);
        walk_input_values(c, &t->fields, GQLX_LOC_INPUT_FIELD_DEFINITION);
        break;
    }
    }
}

size_t gqlx_validate_sdl(const gqlx_document *doc, const gqlx_source *src, gqlx_arena *scratch,
                         gql_errors *errs)
{
    sdl_ctx c;
    memset(&c, 0, sizeof c);
    gqlx_vreport_init(&c.rep, src, scratch, errs);
    c.a = scratch;
    c.doc = doc;
    gather(&c);
    for (uint32_t i = 0; i < doc->definitions.count && !c.oom && !c.rep.failed; i++)
        walk_definition(&c, doc->definitions.items[i]);
    size_t n = c.rep.count;
    if (c.oom || c.rep.failed)
        scratch->failed = true; /* the caller reports GQL_ENOMEM */
    gqlx_vreport_free(&c.rep);
    return n;
}
