/* src/types/build_schema.c — SDL text to an immutable gqlx_schema.
 *
 * Behaves as graphql-js 17's buildSchema() (buildASTSchema over
 * extendSchemaImpl, then the GraphQLSchema constructor):
 *   - type definitions are collected in document order; a name given twice
 *     (only possible with assume_valid) keeps its first position and takes
 *     its content from the last definition, as a JavaScript object would;
 *   - the names of the specified scalars and introspection types always
 *     mean the built-in types, even when the SDL defines them again;
 *   - extensions are grouped by name and applied after the definition, in
 *     document order, whatever their position in the document; extensions
 *     of unknown names or of another kind are ignored (stage-1 validation
 *     reports them);
 *   - fields, arguments, enum values and input fields with the same name
 *     within one type keep the first position and the last content;
 *   - the type map is ordered as the GraphQLSchema constructor orders it:
 *     each SDL type in turn, each followed by the built-in types it is the
 *     first to reference (depth first), then what the root types, the
 *     directive arguments and __Schema reach. Unused built-in scalars are
 *     not part of the schema, as in graphql-js.
 * Everything the schema keeps is allocated in its own arena; temporary
 * tables live in a scratch arena released before returning. The build is
 * linear in the size of the SDL: every name is interned once and every
 * lookup goes through a hash index. */
#include "types/build_schema.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "core/alloc.h"
#include "core/buf.h"
#include "core/errors.h"
#include "language/string_value.h"
#include "types/authz.h"
#include "types/schema_validate.h"

#define NONE UINT32_MAX

/* Default arena cap, see gql_schema_opts.max_bytes. */
#define DEFAULT_MAX_SCHEMA_BYTES ((size_t)1 << 30)

/* Per named type, while building. */
typedef struct tinfo {
    const gqlx_node *def;  /* the definition in use (the last one) */
    const gqlx_node **exts; /* matching extensions, document order */
    uint32_t ext_count;
    uint32_t ext_fill;
    uint32_t obj_impls;   /* objects implementing this interface */
    uint32_t iface_impls; /* interfaces implementing it */
    const gqlx_type_ref *non_null; /* the shared "T!" reference */
    bool builtin;
    bool in_config; /* listed in config.types (the SDL's own types) */
    bool in_set;    /* already in the type map being ordered */
} tinfo;

/* Per directive definition, while building. */
typedef struct dinfo {
    const gqlx_directive_def *def;
    gqlx_directive_decl *decl;
    uint32_t next_same; /* next definition with the same name, or NONE */
    const gqlx_node **exts; /* `extend directive` nodes (on the first of a name) */
    uint32_t ext_count;
    uint32_t ext_fill;
    bool builtin;
} dinfo;

typedef struct builder {
    gqlx_schema *s;
    gqlx_arena *a;   /* the schema's arena */
    gqlx_arena *tmp; /* scratch, released after the build */
    gql_errors *errs;
    size_t error_count;
    bool errs_failed; /* an error could not be recorded: out of memory */
    const gqlx_source *src; /* the user's SDL, for error locations */

    tinfo *ti;        /* parallel to types */
    gqlx_type *types; /* every named type, built-in ones first */
    uint32_t ti_count;
    gqlx_name_index tmap; /* name -> index in ti */
    uint32_t *config;     /* config.types order: indexes in ti */
    uint32_t config_count;

    dinfo *di;
    uint32_t di_count;
    uint32_t builtin_di_count;
    gqlx_name_index dmap; /* name -> first dinfo of that name */

    const gqlx_schema_def *schema_def;
    const gqlx_node **schema_exts;
    uint32_t schema_ext_count;

    const gqlx_type **order; /* the type map being built */
    uint32_t order_count;
} builder;

static const char DEFAULT_DEPRECATION_REASON[] = "No longer supported";

/* ---- errors ------------------------------------------------------------- */

/* Records a build error located at byte offset `at` of the user's SDL. */
static void build_error(builder *b, uint32_t at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void build_error(builder *b, uint32_t at, const char *fmt, ...)
{
    b->error_count++;
    if (b->errs == NULL)
        return;
    gqlx_buf msg;
    gqlx_buf_init(&msg, 0);
    va_list ap;
    va_start(ap, fmt);
    gqlx_buf_vprintf(&msg, fmt, ap);
    va_end(ap);
    gqlx_location l = gqlx_source_location(b->src, at);
    gql_location loc = {l.line, l.column};
    if (msg.failed || msg.data == NULL || !gqlx_errors_add(b->errs, msg.data, &loc, 1))
        b->errs_failed = true;
    gqlx_buf_free(&msg);
}

static uint32_t name_offset(const builder *b, gqlx_slice name)
{
    return gqlx_source_offset(b->src, name.ptr);
}

/* ---- small helpers ------------------------------------------------------ */

static const gqlx_name *intern(builder *b, gqlx_slice s)
{
    return gqlx_intern(&b->s->names, s.ptr, s.len);
}

static bool blank(char c)
{
    return c == ' ' || c == '\t';
}

/* The first '\n', '\r' or '\\' in [p, end), or end: the bytes a block
 * string's lines end at or that leave the value to the general decoder.
 * [lo, end) is readable, lo <= p. */
static const char *line_stop(const char *lo, const char *p, const char *end)
{
#ifdef __SSE2__
    const __m128i nl = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r'), bs = _mm_set1_epi8('\\');
#define LINE_STOPS(v)                                                                              \
    _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, nl), _mm_cmpeq_epi8(v, cr)),     \
                                   _mm_cmpeq_epi8(v, bs)))
    while (end - p >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
        int mask = LINE_STOPS(v);
        if (mask != 0)
            return p + __builtin_ctz((unsigned)mask);
        p += 16;
    }
    if (p < end && end - lo >= 16) {
        /* The last bytes: the sixteen before end, those before p masked
         * out. */
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(end - 16));
        unsigned mask = (unsigned)LINE_STOPS(v) >> (16 - (end - p));
        return mask != 0 ? p + __builtin_ctz(mask) : end;
    }
#undef LINE_STOPS
#endif
    while (p < end && *p != '\n' && *p != '\r' && *p != '\\')
        p++;
    return p;
}

/* The value of a block string (the specification's BlockStringValue():
 * common indentation removed from every line but the first, blank lines
 * trimmed at both ends), computed here rather than by the general decoder
 * because descriptions are most of an SDL text: one pass finds the lines
 * and their indentation, and a description with a single line of text
 * (most of them: """\n  One line.\n  """) needs no copy at all. Returns
 * false, leaving the work to gqlx_string_value_get(), for texts with
 * carriage returns or an escaped triple quote; also false with out->ptr
 * NULL when the arena fails. */
static bool block_value(gqlx_arena *a, gqlx_slice raw, gqlx_slice *out)
{
    const char *s = raw.ptr;
    const char *end = s + raw.len;
    /* First pass: common indentation, first and last lines with text. */
    size_t indent = SIZE_MAX, lines = 0;
    const char *first = NULL, *last_end = NULL; /* text lines, raw positions */
    size_t first_line = 0, last_line = 0;
    for (const char *line = s;; lines++) {
        const char *text = line;
        while (text < end && blank(*text))
            text++;
        const char *stop = text;
        for (;;) {
            stop = line_stop(s, stop, end);
            if (stop == end || *stop == '\n')
                break;
            if (*stop == '\r' ||
                (end - stop >= 4 && stop[1] == '"' && stop[2] == '"' && stop[3] == '"'))
                return false;
            stop++; /* a backslash that escapes nothing */
        }
        if (text < stop) {
            if (line != s && (size_t)(text - line) < indent)
                indent = (size_t)(text - line);
            if (first == NULL) {
                first = line;
                first_line = lines;
            }
            last_end = stop;
            last_line = lines;
        }
        if (stop == end)
            break;
        line = stop + 1;
    }
    if (first == NULL) {
        *out = gqlx_slice_make(s, 0);
        return true;
    }
    if (indent == SIZE_MAX)
        indent = 0;
    if (first_line == last_line) {
        const char *from = first_line == 0 ? first : first + indent;
        *out = gqlx_slice_make(from, (size_t)(last_end - from));
        return true;
    }
    /* Several lines: copy them without their indentation. */
    char *buf = gqlx_arena_alloc(a, (size_t)(last_end - first) + 1, 1);
    if (buf == NULL) {
        *out = gqlx_slice_make(NULL, 0);
        return false;
    }
    size_t n = 0;
    const char *line = first;
    for (size_t i = first_line;; i++) {
        const char *nl = memchr(line, '\n', (size_t)(last_end - line));
        const char *stop = nl ? nl : last_end;
        const char *from = line;
        if (i > 0)
            from = (size_t)(stop - line) > indent ? line + indent : stop;
        memcpy(buf + n, from, (size_t)(stop - from));
        n += (size_t)(stop - from);
        if (nl == NULL)
            break;
        buf[n++] = '\n';
        line = nl + 1;
    }
    buf[n] = '\0';
    *out = gqlx_slice_make(buf, n);
    return true;
}

static gqlx_slice description(builder *b, const gqlx_string_value *sv)
{
    gqlx_slice out = {NULL, 0};
    if (sv != NULL && (sv->base.flags & GQLX_STRING_BLOCK) && block_value(b->a, sv->raw, &out))
        return out;
    if (sv != NULL && !gqlx_string_value_get(b->a, sv, &out))
        out = gqlx_slice_make(NULL, 0); /* the arena's failure flag tells */
    return out;
}

static gqlx_applied_list applied(const gqlx_directive_list *l)
{
    gqlx_applied_list r = {(const gqlx_directive **)(void *)l->items, l->count};
    return r;
}

/* The SDL node's name, for any type definition or extension kind. */
static gqlx_slice def_name(const gqlx_node *n)
{
    switch (n->kind) {
    case GQLX_KIND_SCALAR_TYPE_DEFINITION:
    case GQLX_KIND_SCALAR_TYPE_EXTENSION:
        return GQLX_AS_CONST(gqlx_scalar_type_def, n)->name;
    case GQLX_KIND_OBJECT_TYPE_DEFINITION:
    case GQLX_KIND_OBJECT_TYPE_EXTENSION:
    case GQLX_KIND_INTERFACE_TYPE_DEFINITION:
    case GQLX_KIND_INTERFACE_TYPE_EXTENSION:
        return GQLX_AS_CONST(gqlx_object_type_def, n)->name;
    case GQLX_KIND_UNION_TYPE_DEFINITION:
    case GQLX_KIND_UNION_TYPE_EXTENSION:
        return GQLX_AS_CONST(gqlx_union_type_def, n)->name;
    case GQLX_KIND_ENUM_TYPE_DEFINITION:
    case GQLX_KIND_ENUM_TYPE_EXTENSION:
        return GQLX_AS_CONST(gqlx_enum_type_def, n)->name;
    case GQLX_KIND_INPUT_OBJECT_TYPE_DEFINITION:
    case GQLX_KIND_INPUT_OBJECT_TYPE_EXTENSION:
        return GQLX_AS_CONST(gqlx_input_object_type_def, n)->name;
    default:
        return gqlx_slice_make(NULL, 0);
    }
}

/* The type kind a definition or extension node describes, or -1. */
static int node_type_kind(const gqlx_node *n)
{
    switch (n->kind) {
    case GQLX_KIND_SCALAR_TYPE_DEFINITION:
    case GQLX_KIND_SCALAR_TYPE_EXTENSION:
        return GQLX_TYPE_SCALAR;
    case GQLX_KIND_OBJECT_TYPE_DEFINITION:
    case GQLX_KIND_OBJECT_TYPE_EXTENSION:
        return GQLX_TYPE_OBJECT;
    case GQLX_KIND_INTERFACE_TYPE_DEFINITION:
    case GQLX_KIND_INTERFACE_TYPE_EXTENSION:
        return GQLX_TYPE_INTERFACE;
    case GQLX_KIND_UNION_TYPE_DEFINITION:
    case GQLX_KIND_UNION_TYPE_EXTENSION:
        return GQLX_TYPE_UNION;
    case GQLX_KIND_ENUM_TYPE_DEFINITION:
    case GQLX_KIND_ENUM_TYPE_EXTENSION:
        return GQLX_TYPE_ENUM;
    case GQLX_KIND_INPUT_OBJECT_TYPE_DEFINITION:
    case GQLX_KIND_INPUT_OBJECT_TYPE_EXTENSION:
        return GQLX_TYPE_INPUT_OBJECT;
    default:
        return -1;
    }
}

static bool is_type_definition(const gqlx_node *n)
{
    switch (n->kind) {
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

static bool is_type_extension(const gqlx_node *n)
{
    return n->kind >= GQLX_KIND_SCALAR_TYPE_EXTENSION &&
           n->kind <= GQLX_KIND_INPUT_OBJECT_TYPE_EXTENSION;
}

/* ---- directive arguments read at build time ----------------------------- */

/* The value of string argument `arg` of applied directive d, as graphql-js's
 * getDirectiveValues() coerces it for the built-in @deprecated and
 * @specifiedBy (both String!): the last argument of that name counts; an
 * absent one takes dflt, or is an error when dflt is NULL; null and
 * non-strings are errors. Errors give {NULL, 0}. */
static gqlx_slice string_arg(builder *b, const gqlx_directive *d, const char *arg,
                             const char *dflt)
{
    const gqlx_argument *found = NULL;
    for (uint32_t i = 0; i < d->arguments.count; i++)
        if (gqlx_slice_eq_cstr(d->arguments.items[i]->name, arg))
            found = d->arguments.items[i];
    gqlx_slice out = {NULL, 0};
    uint32_t at = d->base.start;
    if (found == NULL) {
        if (dflt != NULL)
            return gqlx_slice_cstr(dflt);
        build_error(b, at, "Argument \"@%.*s(%s:)\" of required type \"String!\" was not provided.",
                    (int)d->name.len, d->name.ptr, arg);
        return out;
    }
    const gqlx_node *v = found->value;
    if (v->kind == GQLX_KIND_STRING_VALUE) {
        if (!gqlx_string_value_get(b->a, GQLX_AS_CONST(gqlx_string_value, v), &out))
            out = gqlx_slice_make(NULL, 0);
        return out;
    }
    /* The text of the literal, as graphql-js's message quotes it. */
    gqlx_slice text = gqlx_slice_make(b->src->body + v->start, v->end - v->start);
    if (v->kind == GQLX_KIND_NULL_VALUE)
        build_error(b, at,
                    "Argument \"@%.*s(%s:)\" has invalid value: Expected value of non-null type "
                    "\"String!\" not to be null.",
                    (int)d->name.len, d->name.ptr, arg);
    else
        build_error(b, at,
                    "Argument \"@%.*s(%s:)\" has invalid value: String cannot represent a "
                    "non string value: %.*s",
                    (int)d->name.len, d->name.ptr, arg, (int)text.len, text.ptr);
    return out;
}

static const gqlx_directive *find_directive(const gqlx_directive_list *l, const char *name)
{
    for (uint32_t i = 0; i < l->count; i++)
        if (gqlx_slice_eq_cstr(l->items[i]->name, name))
            return l->items[i];
    return NULL;
}

/* graphql-js getDeprecationReason(): {NULL, 0} when not deprecated. */
static gqlx_slice deprecation(builder *b, const gqlx_directive_list *l)
{
    const gqlx_directive *d = find_directive(l, "deprecated");
    if (d == NULL)
        return gqlx_slice_make(NULL, 0);
    return string_arg(b, d, "reason", DEFAULT_DEPRECATION_REASON);
}

/* ---- type references ---------------------------------------------------- */

/* The build entry of a named type reference, or NULL after reporting
 * graphql-js's `Unknown type: "X".`. */
static tinfo *lookup_named(builder *b, gqlx_slice name)
{
    const gqlx_name *n = gqlx_intern_find(&b->s->names, name.ptr, name.len);
    uint32_t i = gqlx_name_index_get(&b->tmap, n);
    if (i == NONE) {
        build_error(b, name_offset(b, name), "Unknown type: \"%.*s\".", (int)name.len, name.ptr);
        return NULL;
    }
    return &b->ti[i];
}

static const gqlx_type_ref *new_ref(builder *b, uint8_t wrap, const gqlx_type_ref *of)
{
    gqlx_type_ref *r = GQLX_ARRAY(b->a, gqlx_type_ref, 1);
    if (r == NULL)
        return NULL;
    r->wrap = wrap;
    r->of = of;
    r->named = of->named;
    return r;
}

/* Resolves a type reference node. "T!" is by far the most common wrapper,
 * so one shared reference per type serves them all. NULL after an error
 * (reported) or a memory failure (the arena's flag). */
static const gqlx_type_ref *resolve(builder *b, const gqlx_node *n)
{
    if (n->kind == GQLX_KIND_NAMED_TYPE) {
        tinfo *t = lookup_named(b, GQLX_AS_CONST(gqlx_named_type, n)->name);
        return t ? &b->types[t - b->ti].ref : NULL;
    }
    const gqlx_node *inner = GQLX_AS_CONST(gqlx_wrapper_type, n)->type;
    if (n->kind == GQLX_KIND_NON_NULL_TYPE && inner->kind == GQLX_KIND_NAMED_TYPE) {
        tinfo *t = lookup_named(b, GQLX_AS_CONST(gqlx_named_type, inner)->name);
        if (t == NULL)
            return NULL;
        if (t->non_null == NULL)
            t->non_null = new_ref(b, GQLX_WRAP_NON_NULL, &b->types[t - b->ti].ref);
        return t->non_null;
    }
    const gqlx_type_ref *of = resolve(b, inner);
    if (of == NULL)
        return NULL;
    return new_ref(b, n->kind == GQLX_KIND_LIST_TYPE ? GQLX_WRAP_LIST : GQLX_WRAP_NON_NULL, of);
}

/* A placeholder for references that failed, so the model stays walkable
 * until the build reports its errors and is thrown away. */
static const gqlx_type_ref *resolve_or_any(builder *b, const gqlx_node *n, const gqlx_type *self)
{
    const gqlx_type_ref *r = resolve(b, n);
    return r ? r : &self->ref;
}

/* ---- members ------------------------------------------------------------- */

static void build_input_value(builder *b, gqlx_input_value *iv, const gqlx_name *name,
                              const gqlx_input_value_def *n, const gqlx_type *self,
                              bool builtin)
{
    iv->name = name;
    iv->description = description(b, n->description);
    iv->type = resolve_or_any(b, n->type, self);
    iv->default_value = n->default_value;
    iv->deprecation_reason = deprecation(b, &n->directives);
    iv->directives = applied(&n->directives);
    iv->ast = builtin ? NULL : n;
    iv->authz = NULL; /* types/authz.c reads the rules once all is built */
}

/* Builds an argument list. Equal names (assume_valid only) keep the first
 * position and the last definition, as graphql-js's argument maps do; a
 * scan finds them in short lists, a scratch index in long ones. idx, when
 * not NULL, receives the name index (in the schema's arena). */
static gqlx_input_value *build_args(builder *b, const gqlx_input_value_def_list *l,
                                    const gqlx_type *self, bool builtin, uint32_t *count,
                                    gqlx_name_index *idx)
{
    *count = 0;
    if (idx != NULL)
        gqlx_name_index_init(idx, b->a, 0);
    if (l->count == 0)
        return NULL;
    gqlx_input_value *args = GQLX_ARRAY(b->a, gqlx_input_value, l->count);
    gqlx_name_index local;
    gqlx_name_index *use = idx;
    if (use == NULL && l->count > 16)
        use = &local;
    if (args == NULL || (use != NULL && !gqlx_name_index_init(use, use == idx ? b->a : b->tmp,
                                                               l->count)))
        return NULL;
    uint32_t n = 0;
    for (uint32_t i = 0; i < l->count; i++) {
        const gqlx_input_value_def *d = l->items[i];
        const gqlx_name *name = intern(b, d->name);
        if (name == NULL)
            return NULL;
        uint32_t pos = NONE;
        if (use != NULL) {
            pos = gqlx_name_index_put(use, name, n);
        } else {
            for (uint32_t j = 0; j < n; j++)
                if (args[j].name == name)
                    pos = j;
        }
        if (pos == NONE)
            pos = n++;
        build_input_value(b, &args[pos], name, d, self, builtin);
    }
    *count = n;
    return args;
}

/* Part e of a type: 0 its definition, then its extensions in order. */
static const gqlx_node *part(const tinfo *ti, uint32_t e)
{
    return e == 0 ? ti->def : ti->exts[e - 1];
}

/* The member definitions of a type definition or extension node: fields
 * (object, interface), values (enum) or input fields (input object). */
static gqlx_node_list member_nodes(const gqlx_node *node)
{
    gqlx_node_list l = {NULL, 0};
    switch (node_type_kind(node)) {
    case GQLX_TYPE_OBJECT:
    case GQLX_TYPE_INTERFACE: {
        const gqlx_field_def_list *f = &GQLX_AS_CONST(gqlx_object_type_def, node)->fields;
        l = (gqlx_node_list){(gqlx_node **)(void *)f->items, f->count};
        break;
    }
    case GQLX_TYPE_ENUM: {
        const gqlx_enum_value_def_list *v = &GQLX_AS_CONST(gqlx_enum_type_def, node)->values;
        l = (gqlx_node_list){(gqlx_node **)(void *)v->items, v->count};
        break;
    }
    case GQLX_TYPE_INPUT_OBJECT: {
        const gqlx_input_value_def_list *f = &GQLX_AS_CONST(gqlx_input_object_type_def, node)->fields;
        l = (gqlx_node_list){(gqlx_node **)(void *)f->items, f->count};
        break;
    }
    default:
        break;
    }
    return l;
}

/* The name of a member node of a type of that kind. */
static gqlx_slice member_name(uint8_t kind, const gqlx_node *m)
{
    if (kind == GQLX_TYPE_ENUM)
        return GQLX_AS_CONST(gqlx_enum_value_def, m)->name;
    if (kind == GQLX_TYPE_INPUT_OBJECT)
        return GQLX_AS_CONST(gqlx_input_value_def, m)->name;
    return GQLX_AS_CONST(gqlx_field_def, m)->name;
}

static void build_field(builder *b, gqlx_type *t, const tinfo *ti, uint32_t pos,
                        const gqlx_name *name, const gqlx_field_def *fd)
{
    gqlx_field_decl *f = &t->fields[pos];
    f->name = name;
    f->description = description(b, fd->description);
    f->type = resolve_or_any(b, fd->type, t);
    f->args = build_args(b, &fd->arguments, t, ti->builtin, &f->arg_count, NULL);
    f->deprecation_reason = deprecation(b, &fd->directives);
    f->directives = applied(&fd->directives);
    f->ast = ti->builtin ? NULL : fd;
    f->owner = t;
    f->index = pos;
    f->resolve = (gqlx_binding){NULL, NULL};
    f->subscribe = (gqlx_binding){NULL, NULL};
    f->authz = NULL;
    f->allow_anonymous = false;
}

static void build_enum_value(builder *b, gqlx_enum_value *v, const tinfo *ti,
                             const gqlx_name *name, const gqlx_enum_value_def *vd)
{
    v->name = name;
    v->description = description(b, vd->description);
    v->deprecation_reason = deprecation(b, &vd->directives);
    v->directives = applied(&vd->directives);
    v->ast = ti->builtin ? NULL : vd;
}

/* The members of an object, interface, enum or input object type from its
 * definition and extensions, with the name index: equal names keep the
 * first position and take the last definition. */
static void build_members(builder *b, gqlx_type *t, const tinfo *ti)
{
    uint32_t total = 0;
    for (uint32_t e = 0; e <= ti->ext_count; e++)
        total += member_nodes(part(ti, e)).count;
    if (!gqlx_name_index_init(&t->member_index, b->a, total) || total == 0)
        return;
    if (t->kind == GQLX_TYPE_ENUM)
        t->values = GQLX_ARRAY(b->a, gqlx_enum_value, total);
    else if (t->kind == GQLX_TYPE_INPUT_OBJECT)
        t->input_fields = GQLX_ARRAY(b->a, gqlx_input_value, total);
    else
        t->fields = GQLX_ARRAY(b->a, gqlx_field_decl, total);
    if (t->values == NULL && t->input_fields == NULL && t->fields == NULL)
        return;
    uint32_t n = 0;
    for (uint32_t e = 0; e <= ti->ext_count; e++) {
        gqlx_node_list l = member_nodes(part(ti, e));
        for (uint32_t i = 0; i < l.count; i++) {
            const gqlx_node *m = l.items[i];
            const gqlx_name *name = intern(b, member_name(t->kind, m));
            if (name == NULL)
                return;
            uint32_t pos = gqlx_name_index_put(&t->member_index, name, n);
            if (pos == NONE)
                pos = n++;
            if (t->kind == GQLX_TYPE_ENUM)
                build_enum_value(b, &t->values[pos], ti, name,
                                 GQLX_AS_CONST(gqlx_enum_value_def, m));
            else if (t->kind == GQLX_TYPE_INPUT_OBJECT)
                build_input_value(b, &t->input_fields[pos], name,
                                  GQLX_AS_CONST(gqlx_input_value_def, m), t, ti->builtin);
            else
                build_field(b, t, ti, pos, name, GQLX_AS_CONST(gqlx_field_def, m));
        }
    }
    if (t->kind == GQLX_TYPE_ENUM)
        t->value_count = n;
    else if (t->kind == GQLX_TYPE_INPUT_OBJECT)
        t->input_field_count = n;
    else
        t->field_count = n;
}

/* Interfaces (object, interface) or members (union), duplicates kept. */
static const gqlx_type **build_named_list(builder *b, const tinfo *ti, uint32_t *count)
{
    bool is_union = ti->def->kind == GQLX_KIND_UNION_TYPE_DEFINITION;
    uint32_t total = 0;
    for (uint32_t e = 0; e <= ti->ext_count; e++) {
        const gqlx_node *node = part(ti, e);
        total += is_union ? GQLX_AS_CONST(gqlx_union_type_def, node)->types.count
                          : GQLX_AS_CONST(gqlx_object_type_def, node)->interfaces.count;
    }
    *count = 0;
    if (total == 0)
        return NULL;
    const gqlx_type **list = GQLX_ARRAY(b->a, const gqlx_type *, total);
    if (list == NULL)
        return NULL;
    uint32_t n = 0;
    for (uint32_t e = 0; e <= ti->ext_count; e++) {
        const gqlx_node *node = part(ti, e);
        const gqlx_named_type_list *l = is_union ? &GQLX_AS_CONST(gqlx_union_type_def, node)->types
                                                 : &GQLX_AS_CONST(gqlx_object_type_def, node)->interfaces;
        for (uint32_t i = 0; i < l->count; i++) {
            tinfo *m = lookup_named(b, l->items[i]->name);
            if (m != NULL)
                list[n++] = &b->types[m - b->ti];
        }
    }
    *count = n;
    return list;
}

/* The directive list of a type definition or extension node. */
static const gqlx_directive_list *node_directives(const gqlx_node *node)
{
    switch (node_type_kind(node)) {
    case GQLX_TYPE_SCALAR:
        return &GQLX_AS_CONST(gqlx_scalar_type_def, node)->directives;
    case GQLX_TYPE_OBJECT:
    case GQLX_TYPE_INTERFACE:
        return &GQLX_AS_CONST(gqlx_object_type_def, node)->directives;
    case GQLX_TYPE_UNION:
        return &GQLX_AS_CONST(gqlx_union_type_def, node)->directives;
    case GQLX_TYPE_ENUM:
        return &GQLX_AS_CONST(gqlx_enum_type_def, node)->directives;
    default:
        return &GQLX_AS_CONST(gqlx_input_object_type_def, node)->directives;
    }
}

/* The directives applied to a type: its definition's, then each
 * extension's, in document order. Without extensions the AST's own array
 * serves. */
static gqlx_applied_list type_directives(builder *b, const tinfo *ti)
{
    const gqlx_directive_list *first = node_directives(ti->def);
    uint32_t total = first->count;
    for (uint32_t e = 0; e < ti->ext_count; e++)
        total += node_directives(ti->exts[e])->count;
    if (total == first->count)
        return applied(first);
    gqlx_applied_list r = {GQLX_ARRAY(b->a, const gqlx_directive *, total), 0};
    if (r.items == NULL)
        return r;
    for (uint32_t e = 0; e <= ti->ext_count; e++) {
        const gqlx_directive_list *l = node_directives(part(ti, e));
        for (uint32_t i = 0; i < l->count; i++)
            r.items[r.count++] = l->items[i];
    }
    return r;
}

static gqlx_slice type_description(builder *b, const gqlx_node *def)
{
    switch (node_type_kind(def)) {
    case GQLX_TYPE_SCALAR:
        return description(b, GQLX_AS_CONST(gqlx_scalar_type_def, def)->description);
    case GQLX_TYPE_OBJECT:
    case GQLX_TYPE_INTERFACE:
        return description(b, GQLX_AS_CONST(gqlx_object_type_def, def)->description);
    case GQLX_TYPE_UNION:
        return description(b, GQLX_AS_CONST(gqlx_union_type_def, def)->description);
    case GQLX_TYPE_ENUM:
        return description(b, GQLX_AS_CONST(gqlx_enum_type_def, def)->description);
    default:
        return description(b, GQLX_AS_CONST(gqlx_input_object_type_def, def)->description);
    }
}

/* Fills type i from its definition and extensions. */
static void build_type(builder *b, uint32_t i)
{
    tinfo *ti = &b->ti[i];
    gqlx_type *t = &b->types[i];
    t->description = type_description(b, ti->def);
    t->directives = type_directives(b, ti);
    switch (t->kind) {
    case GQLX_TYPE_SCALAR: {
        const gqlx_directive *d =
            find_directive(&GQLX_AS_CONST(gqlx_scalar_type_def, ti->def)->directives, "specifiedBy");
        if (d != NULL)
            t->specified_by_url = string_arg(b, d, "url", NULL);
        for (uint32_t e = 0; e < ti->ext_count; e++) {
            d = find_directive(&GQLX_AS_CONST(gqlx_scalar_type_def, ti->exts[e])->directives,
                               "specifiedBy");
            if (d != NULL) {
                gqlx_slice url = string_arg(b, d, "url", NULL);
                if (url.ptr != NULL)
                    t->specified_by_url = url;
            }
        }
        break;
    }
    case GQLX_TYPE_OBJECT:
    case GQLX_TYPE_INTERFACE:
        t->interfaces = build_named_list(b, ti, &t->interface_count);
        build_members(b, t, ti);
        break;
    case GQLX_TYPE_UNION:
        t->members = build_named_list(b, ti, &t->member_count);
        t->possible = t->members;
        t->possible_count = t->member_count;
        break;
    case GQLX_TYPE_ENUM:
        build_members(b, t, ti);
        break;
    default:
        /* graphql-js reads @oneOf from the definition only, not from
         * extensions. */
        t->one_of = find_directive(&GQLX_AS_CONST(gqlx_input_object_type_def, ti->def)->directives,
                                   "oneOf") != NULL;
        build_members(b, t, ti);
        break;
    }
}

/* ---- registering definitions -------------------------------------------- */

/* Adds a new named type for definition node def; returns its index or
 * NONE on memory failure. */
static uint32_t add_type(builder *b, const gqlx_name *name, const gqlx_node *def, bool builtin)
{
    uint32_t i = b->ti_count++;
    tinfo *ti = &b->ti[i];
    memset(ti, 0, sizeof *ti);
    ti->def = def;
    ti->builtin = builtin;
    gqlx_name_index_put(&b->tmap, name, i);
    gqlx_type *t = &b->types[i];
    t->name = name;
    return i;
}

static void add_directive(builder *b, const gqlx_directive_def *def, const gqlx_name *name,
                          bool builtin)
{
    uint32_t i = b->di_count++;
    dinfo *d = &b->di[i];
    memset(d, 0, sizeof *d);
    d->def = def;
    d->builtin = builtin;
    d->next_same = NONE;
    if (builtin)
        return; /* built-ins are looked up by scanning the few of them */
    uint32_t first = gqlx_name_index_put(&b->dmap, name, i);
    if (first != NONE) {
        uint32_t j = first;
        while (b->di[j].next_same != NONE)
            j = b->di[j].next_same;
        b->di[j].next_same = i;
    }
}

static void build_directive(builder *b, dinfo *d)
{
    const gqlx_directive_def *def = d->def;
    gqlx_directive_decl *decl = GQLX_NEW(b->a, gqlx_directive_decl);
    d->decl = decl;
    if (decl == NULL)
        return;
    decl->name = intern(b, def->name);
    decl->description = description(b, def->description);
    /* Directive arguments never refer to the directive itself; the
     * placeholder type for failed references is any type at hand. */
    decl->args = build_args(b, &def->arguments, &b->types[0], d->builtin, &decl->arg_count,
                            &decl->arg_index);
    decl->repeatable = (def->base.flags & GQLX_DIRECTIVE_REPEATABLE) != 0;
    decl->builtin = d->builtin;
    decl->ast = d->builtin ? NULL : def;
    decl->applied = applied(&def->directives);
    if (def->locations.count > 0) {
        uint8_t *locs = GQLX_ARRAY(b->a, uint8_t, def->locations.count);
        if (locs == NULL)
            return;
        uint32_t n = 0;
        for (uint32_t i = 0; i < def->locations.count; i++) {
            int loc = gqlx_directive_location_parse(def->locations.items[i]);
            if (loc < 0)
                continue; /* the parser accepts only valid names */
            locs[n++] = (uint8_t)loc;
            decl->locations |= 1u << loc;
        }
        decl->location_list = locs;
        decl->location_count = n;
    }
    /* Deprecation: the definition's own @deprecated, else the first
     * extension that has one (graphql-js 17's buildDirective). */
    decl->deprecation_reason = deprecation(b, &def->directives);
    const dinfo *first = d;
    if (!d->builtin && decl->name != NULL) {
        uint32_t f = gqlx_name_index_get(&b->dmap, decl->name);
        if (f != NONE)
            first = &b->di[f];
    }
    decl->extensions = first->exts;
    decl->extension_count = first->ext_count;
    for (uint32_t e = 0; e < first->ext_count && decl->deprecation_reason.ptr == NULL; e++)
        decl->deprecation_reason =
            deprecation(b, &GQLX_AS_CONST(gqlx_directive_def, first->exts[e])->directives);
}

/* ---- the type map --------------------------------------------------------- */

static void collect(builder *b, const gqlx_type *t);

static void append_type(builder *b, const gqlx_type *t)
{
    gqlx_type *mt = &b->types[t - b->types];
    mt->index = b->order_count;
    b->order[b->order_count++] = t;
}

/* graphql-js's collectReferencedTypes() below t (t itself already added). */
static void collect_children(builder *b, const gqlx_type *t)
{
    switch (t->kind) {
    case GQLX_TYPE_UNION:
        for (uint32_t i = 0; i < t->member_count; i++)
            collect(b, t->members[i]);
        break;
    case GQLX_TYPE_OBJECT:
    case GQLX_TYPE_INTERFACE:
        for (uint32_t i = 0; i < t->interface_count; i++)
            collect(b, t->interfaces[i]);
        for (uint32_t i = 0; i < t->field_count; i++) {
            const gqlx_field_decl *f = &t->fields[i];
            collect(b, f->type->named);
            for (uint32_t j = 0; j < f->arg_count; j++)
                collect(b, f->args[j].type->named);
        }
        break;
    case GQLX_TYPE_INPUT_OBJECT:
        for (uint32_t i = 0; i < t->input_field_count; i++)
            collect(b, t->input_fields[i].type->named);
        break;
    default:
        break;
    }
}

/* Adds t and, depth first, everything it references that is not in the
 * map yet. Only built-in types can be missing at that point (every SDL
 * type is in the set from the start), so the depth stays small. */
static void collect(builder *b, const gqlx_type *t)
{
    tinfo *ti = &b->ti[t - b->types];
    if (ti->in_set)
        return;
    ti->in_set = true;
    append_type(b, t);
    collect_children(b, t);
}

static void order_types(builder *b)
{
    b->order = GQLX_ARRAY(b->a, const gqlx_type *, b->ti_count);
    if (b->order == NULL)
        return;
    for (uint32_t i = 0; i < b->config_count; i++)
        b->ti[b->config[i]].in_set = true;
    /* The constructor deletes and re-adds each config type in turn, which
     * leaves them in order with the types each newly brought in after it. */
    for (uint32_t i = 0; i < b->config_count; i++) {
        const gqlx_type *t = &b->types[b->config[i]];
        append_type(b, t);
        collect_children(b, t);
    }
    gqlx_schema *s = b->s;
    if (s->query)
        collect(b, s->query);
    if (s->mutation)
        collect(b, s->mutation);
    if (s->subscription)
        collect(b, s->subscription);
    for (uint32_t i = 0; i < s->directive_count; i++)
        for (uint32_t j = 0; j < s->directives[i]->arg_count; j++)
            collect(b, s->directives[i]->args[j].type->named);
    const gqlx_name *schema_name = gqlx_intern_find(&s->names, "__Schema", 8);
    uint32_t si = gqlx_name_index_get(&b->tmap, schema_name);
    if (si != NONE)
        collect(b, &b->types[si]);
    s->types = b->order;
    s->type_count = b->order_count;
}

/* Implementations in type-map order, the subtype bit matrix and the type
 * name index. */
static void index_types(builder *b)
{
    gqlx_schema *s = b->s;
    uint32_t n = s->type_count;
    for (uint32_t i = 0; i < n; i++) {
        const gqlx_type *t = s->types[i];
        if (t->kind != GQLX_TYPE_OBJECT && t->kind != GQLX_TYPE_INTERFACE)
            continue;
        for (uint32_t j = 0; j < t->interface_count; j++) {
            const gqlx_type *it = t->interfaces[j];
            if (it->kind != GQLX_TYPE_INTERFACE)
                continue;
            tinfo *iti = &b->ti[it - b->types];
            if (t->kind == GQLX_TYPE_OBJECT)
                iti->obj_impls++;
            else
                iti->iface_impls++;
        }
    }
    uint32_t abstract = 0;
    for (uint32_t i = 0; i < n; i++) {
        gqlx_type *t = &b->types[s->types[i] - b->types];
        t->abstract_index = NONE;
        if (!gqlx_type_is_abstract(t))
            continue;
        t->abstract_index = abstract++;
        if (t->kind != GQLX_TYPE_INTERFACE)
            continue;
        tinfo *ti = &b->ti[t - b->types];
        if (ti->obj_impls)
            t->possible = GQLX_ARRAY(b->a, const gqlx_type *, ti->obj_impls);
        if (ti->iface_impls)
            t->implementing_interfaces = GQLX_ARRAY(b->a, const gqlx_type *, ti->iface_impls);
        if ((ti->obj_impls && t->possible == NULL) ||
            (ti->iface_impls && t->implementing_interfaces == NULL))
            return;
    }
    s->abstract_count = abstract;
    uint64_t bits = (uint64_t)abstract * n;
    size_t words = (size_t)((bits + 63) / 64);
    uint64_t *matrix = NULL;
    if (words > 0) {
        matrix = gqlx_arena_zalloc(b->a, words * sizeof *matrix, _Alignof(uint64_t));
        if (matrix == NULL)
            return;
    }
    s->possible_bits = matrix;
    for (uint32_t i = 0; i < n; i++) {
        const gqlx_type *t = s->types[i];
        if (t->kind == GQLX_TYPE_UNION) {
            for (uint32_t j = 0; j < t->member_count; j++) {
                uint64_t bit = (uint64_t)t->abstract_index * n + t->members[j]->index;
                matrix[bit >> 6] |= (uint64_t)1 << (bit & 63);
            }
            continue;
        }
        if (t->kind != GQLX_TYPE_OBJECT && t->kind != GQLX_TYPE_INTERFACE)
            continue;
        for (uint32_t j = 0; j < t->interface_count; j++) {
            gqlx_type *it = &b->types[t->interfaces[j] - b->types];
            if (it->kind != GQLX_TYPE_INTERFACE)
                continue;
            if (t->kind == GQLX_TYPE_OBJECT)
                it->possible[it->possible_count++] = t;
            else
                it->implementing_interfaces[it->implementing_interface_count++] = t;
            uint64_t bit = (uint64_t)it->abstract_index * n + t->index;
            matrix[bit >> 6] |= (uint64_t)1 << (bit & 63);
        }
    }
    if (!gqlx_name_index_init(&s->type_index, b->a, n))
        return;
    for (uint32_t i = 0; i < n; i++)
        gqlx_name_index_put(&s->type_index, s->types[i]->name, i);
}

/* ---- the whole build ------------------------------------------------------ */

static void set_root(builder *b, const gqlx_operation_type_def *op)
{
    tinfo *t = lookup_named(b, op->type->name);
    if (t == NULL)
        return;
    const gqlx_type *type = &b->types[t - b->ti];
    if (op->operation == GQLX_OP_QUERY)
        b->s->query = type;
    else if (op->operation == GQLX_OP_MUTATION)
        b->s->mutation = type;
    else
        b->s->subscription = type;
}

static const gqlx_type *user_type_named(builder *b, const char *name)
{
    const gqlx_name *n = gqlx_intern_find(&b->s->names, name, strlen(name));
    uint32_t i = gqlx_name_index_get(&b->tmap, n);
    return i != NONE && b->ti[i].in_config && !b->ti[i].builtin ? &b->types[i] : NULL;
}

static void build_roots(builder *b)
{
    gqlx_schema *s = b->s;
    if (b->schema_def != NULL) {
        s->description = description(b, b->schema_def->description);
        for (uint32_t i = 0; i < b->schema_def->operation_types.count; i++)
            set_root(b, b->schema_def->operation_types.items[i]);
    }
    for (uint32_t e = 0; e < b->schema_ext_count; e++) {
        const gqlx_schema_def *x = GQLX_AS_CONST(gqlx_schema_def, b->schema_exts[e]);
        for (uint32_t i = 0; i < x->operation_types.count; i++)
            set_root(b, x->operation_types.items[i]);
    }
    if (b->schema_def == NULL) {
        /* buildASTSchema: without a schema definition, types named Query,
         * Mutation and Subscription are the roots (even over roots an
         * `extend schema` named). */
        const gqlx_type *t;
        if ((t = user_type_named(b, "Query")) != NULL)
            s->query = t;
        if ((t = user_type_named(b, "Mutation")) != NULL)
            s->mutation = t;
        if ((t = user_type_named(b, "Subscription")) != NULL)
            s->subscription = t;
    }
    s->ast = b->schema_def;
    s->extensions = b->schema_exts;
    s->extension_count = b->schema_ext_count;
}

static void build_directives(builder *b)
{
    gqlx_schema *s = b->s;
    const gqlx_directive_decl **list = GQLX_ARRAY(b->a, const gqlx_directive_decl *, b->di_count);
    if (list == NULL && b->di_count > 0)
        return;
    uint32_t n = 0;
    /* The SDL's directives in document order, then the specified ones the
     * SDL does not redefine (buildASTSchema). */
    for (uint32_t i = b->builtin_di_count; i < b->di_count; i++) {
        build_directive(b, &b->di[i]);
        if (b->di[i].decl != NULL)
            list[n++] = b->di[i].decl;
    }
    for (uint32_t i = 0; i < b->builtin_di_count; i++) {
        const gqlx_name *name = intern(b, b->di[i].def->name);
        if (gqlx_name_index_get(&b->dmap, name) != NONE)
            continue;
        build_directive(b, &b->di[i]);
        if (b->di[i].decl != NULL)
            list[n++] = b->di[i].decl;
    }
    s->directives = list;
    s->directive_count = n;
    if (!gqlx_name_index_init(&s->directive_index, b->a, n))
        return;
    for (uint32_t i = 0; i < n; i++)
        gqlx_name_index_put(&s->directive_index, list[i]->name, i); /* first wins */
}

/* Registers the built-in document's definitions. */
static void register_builtins(builder *b, const gqlx_document *doc)
{
    for (uint32_t i = 0; i < doc->definitions.count; i++) {
        const gqlx_node *d = doc->definitions.items[i];
        if (d->kind == GQLX_KIND_DIRECTIVE_DEFINITION) {
            const gqlx_directive_def *dd = GQLX_AS_CONST(gqlx_directive_def, d);
            add_directive(b, dd, NULL, true);
        } else if (is_type_definition(d)) {
            const gqlx_name *name = intern(b, def_name(d));
            if (name != NULL)
                add_type(b, name, d, true);
        }
    }
    b->builtin_di_count = b->di_count;
}

/* Registers the user document's definitions and groups its extensions. */
static bool register_user(builder *b, const gqlx_document *doc)
{
    const gqlx_node *const *defs = (const gqlx_node *const *)(void *)doc->definitions.items;
    uint32_t count = doc->definitions.count;
    for (uint32_t i = 0; i < count; i++) {
        const gqlx_node *d = defs[i];
        if (is_type_definition(d)) {
            const gqlx_name *name = intern(b, def_name(d));
            if (name == NULL)
                return false;
            uint32_t t = gqlx_name_index_get(&b->tmap, name);
            if (t == NONE) {
                t = add_type(b, name, d, false);
                b->ti[t].in_config = true;
                b->config[b->config_count++] = t;
            } else if (b->ti[t].builtin) {
                if (!b->ti[t].in_config) {
                    b->ti[t].in_config = true;
                    b->config[b->config_count++] = t;
                }
            } else {
                b->ti[t].def = d; /* a repeated name: the last one wins */
            }
        } else if (d->kind == GQLX_KIND_DIRECTIVE_DEFINITION) {
            const gqlx_directive_def *dd = GQLX_AS_CONST(gqlx_directive_def, d);
            const gqlx_name *name = intern(b, dd->name);
            if (name == NULL)
                return false;
            add_directive(b, dd, name, false);
        } else if (d->kind == GQLX_KIND_SCHEMA_DEFINITION) {
            b->schema_def = GQLX_AS_CONST(gqlx_schema_def, d);
        } else if (d->kind == GQLX_KIND_SCHEMA_EXTENSION) {
            b->schema_ext_count++;
        }
    }
    /* Extensions: count per target, then fill, so each list is exact. */
    for (int pass = 0; pass < 2; pass++) {
        for (uint32_t i = 0; i < count; i++) {
            const gqlx_node *d = defs[i];
            if (is_type_extension(d)) {
                gqlx_slice nm = def_name(d);
                uint32_t t = gqlx_name_index_get(&b->tmap, gqlx_intern_find(&b->s->names, nm.ptr,
                                                                             nm.len));
                if (t == NONE || b->ti[t].builtin || node_type_kind(b->ti[t].def) != node_type_kind(d))
                    continue;
                tinfo *ti = &b->ti[t];
                if (pass == 0)
                    ti->ext_count++;
                else
                    ti->exts[ti->ext_fill++] = d;
            } else if (d->kind == GQLX_KIND_DIRECTIVE_EXTENSION) {
                gqlx_slice nm = GQLX_AS_CONST(gqlx_directive_def, d)->name;
                uint32_t f = gqlx_name_index_get(&b->dmap, gqlx_intern_find(&b->s->names, nm.ptr,
                                                                             nm.len));
                if (f == NONE)
                    continue;
                dinfo *di = &b->di[f];
                if (pass == 0)
                    di->ext_count++;
                else
                    di->exts[di->ext_fill++] = d;
            } else if (d->kind == GQLX_KIND_SCHEMA_EXTENSION && pass == 1) {
                b->schema_exts[b->schema_ext_count++] = d;
            }
        }
        if (pass == 1)
            break;
        for (uint32_t t = 0; t < b->ti_count; t++) {
            if (b->ti[t].ext_count == 0)
                continue;
            b->ti[t].exts = GQLX_ARRAY(b->a, const gqlx_node *, b->ti[t].ext_count);
            if (b->ti[t].exts == NULL)
                return false;
        }
        for (uint32_t i = 0; i < b->di_count; i++) {
            if (b->di[i].ext_count == 0)
                continue;
            b->di[i].exts = GQLX_ARRAY(b->a, const gqlx_node *, b->di[i].ext_count);
            if (b->di[i].exts == NULL)
                return false;
        }
        if (b->schema_ext_count > 0) {
            b->schema_exts = GQLX_ARRAY(b->a, const gqlx_node *, b->schema_ext_count);
            if (b->schema_exts == NULL)
                return false;
            b->schema_ext_count = 0;
        }
    }
    return true;
}

/* Builds the model from the two parsed documents. Errors are counted in
 * b->error_count; memory failures show in the arenas' flags. */
static void build_model(builder *b, const gqlx_document *builtin, const gqlx_document *user)
{
    uint32_t type_defs = 0, dir_defs = 0;
    for (uint32_t i = 0; i < builtin->definitions.count; i++) {
        const gqlx_node *d = builtin->definitions.items[i];
        type_defs += is_type_definition(d);
        dir_defs += d->kind == GQLX_KIND_DIRECTIVE_DEFINITION;
    }
    uint32_t user_type_defs = 0;
    for (uint32_t i = 0; i < user->definitions.count; i++) {
        const gqlx_node *d = user->definitions.items[i];
        user_type_defs += is_type_definition(d);
        dir_defs += d->kind == GQLX_KIND_DIRECTIVE_DEFINITION;
    }
    type_defs += user_type_defs;
    b->ti = GQLX_ARRAY(b->tmp, tinfo, type_defs);
    b->types = gqlx_arena_zalloc(b->a, (size_t)type_defs * sizeof(gqlx_type), _Alignof(gqlx_type));
    b->config = GQLX_ARRAY(b->tmp, uint32_t, user_type_defs + 1);
    b->di = GQLX_ARRAY(b->tmp, dinfo, dir_defs + 1);
    if (b->ti == NULL || b->types == NULL || b->config == NULL || b->di == NULL ||
        !gqlx_name_index_init(&b->tmap, b->tmp, type_defs) ||
        !gqlx_name_index_init(&b->dmap, b->tmp, dir_defs))
        return;
    register_builtins(b, builtin);
    if (!register_user(b, user))
        return;
    /* Kinds and fixed parts first: building members may look at the kind
     * of any other type. */
    for (uint32_t i = 0; i < b->ti_count; i++) {
        gqlx_type *t = &b->types[i];
        const tinfo *ti = &b->ti[i];
        t->ref.wrap = GQLX_WRAP_NAMED;
        t->ref.named = t;
        t->kind = (uint8_t)node_type_kind(ti->def);
        t->builtin = ti->builtin;
        t->index = NONE;
        t->abstract_index = NONE;
        t->ast = ti->builtin ? NULL : ti->def;
        t->extensions = ti->exts;
        t->extension_count = ti->ext_count;
        if (ti->builtin && t->kind == GQLX_TYPE_SCALAR) {
            static const char *const names[] = {"Int", "Float", "String", "Boolean", "ID"};
            for (int k = 0; k < 5; k++)
                if (strcmp(t->name->str, names[k]) == 0)
                    t->scalar = (uint8_t)(GQLX_SCALAR_INT + k);
        }
    }
    for (uint32_t i = 0; i < b->ti_count; i++)
        build_type(b, i);
    build_directives(b);
    build_roots(b);
    if (gqlx_arena_failed(b->a) || gqlx_arena_failed(b->tmp) || b->error_count > 0)
        return;
    order_types(b);
    if (gqlx_arena_failed(b->a))
        return;
    index_types(b);
    b->s->meta_schema = gqlx_schema_type(b->s, "__Schema", 8);
    b->s->meta_type = gqlx_schema_type(b->s, "__Type", 6);
}

/* The built-in SDL joined into one text in the schema's arena. */
static char *builtin_text(gqlx_arena *a, size_t *len)
{
    size_t n = 0;
    for (size_t i = 0; i < gqlx_builtin_sdl_line_count; i++)
        n += strlen(gqlx_builtin_sdl_lines[i]);
    char *text = gqlx_arena_alloc(a, n + 1, 1);
    if (text == NULL)
        return NULL;
    size_t at = 0;
    for (size_t i = 0; i < gqlx_builtin_sdl_line_count; i++) {
        size_t l = strlen(gqlx_builtin_sdl_lines[i]);
        memcpy(text + at, gqlx_builtin_sdl_lines[i], l);
        at += l;
    }
    text[at] = '\0';
    *len = at;
    return text;
}

static int syntax_error(const gqlx_syntax_error *e, gql_errors *errs)
{
    if (e->out_of_memory || e->message == NULL)
        return GQL_ENOMEM;
    if (errs != NULL) {
        gql_location loc = {e->loc.line, e->loc.column};
        if (!gqlx_errors_add(errs, e->message, &loc, 1))
            return GQL_ENOMEM;
    }
    return GQL_ESYNTAX;
}

void gqlx_schema_free(gqlx_schema *s)
{
    if (s == NULL)
        return;
    gqlx_arena_free(&s->arena);
    gqlx_free((gql_schema *)(void *)s);
}

int gqlx_schema_build(gqlx_schema **out, const char *text, size_t len, const char *src_name,
                      const gqlx_build_opts *opts, gql_errors *errs)
{
    *out = NULL;
    gql_schema *holder = gqlx_malloc(sizeof *holder);
    if (holder == NULL)
        return GQL_ENOMEM;
    gqlx_schema *s = &holder->impl;
    memset(s, 0, sizeof *s);
    /* The schema keeps its text, tree and model: about five times the
     * text in all. A first chunk of twice the text holds the copy of the
     * text and the start of the tree; the arena doubles from there. */
    size_t chunk = len < 8192 ? 16384 : 2 * len + 64;
    gqlx_arena_init(&s->arena, chunk, opts->max_bytes);
    gqlx_intern_init(&s->names, &s->arena, 0);
    s->assume_valid = opts->assume_valid;

    gqlx_arena scratch;
    /* Validation errors for adversarial SDL can grow quadratically (graphql-js
     * lists every duplicate union member or interface at each repeat), so
     * temporary memory has the same cap as the schema. */
    gqlx_arena_init(&scratch, 0, opts->max_bytes);
    int rc = GQL_ENOMEM;

    char *copy = gqlx_arena_memdup(&s->arena, text ? text : "", len);
    size_t builtin_len = 0;
    char *builtin = builtin_text(&s->arena, &builtin_len);
    if (copy == NULL || builtin == NULL)
        goto fail;
    s->source = gqlx_source_make(src_name ? src_name : "schema", copy, len);
    gqlx_source builtin_src = gqlx_source_make("built-in", builtin, builtin_len);

    gqlx_syntax_error err;
    gqlx_document *doc = gqlx_parse(&s->arena, &s->source, &opts->parse, &err);
    if (doc == NULL) {
        rc = syntax_error(&err, errs);
        goto fail;
    }
    /* SDL that applies @authorize or @allowAnonymous without declaring
     * them gets their declarations appended, and is read again: every
     * node then lies in one source, and a schema that does not use them
     * stays exactly as written. */
    unsigned needs = gqlx_authz_undeclared(doc);
    if (needs != 0) {
        size_t dlen = 0;
        const char *decl = gqlx_authz_declarations(needs, &dlen);
        char *joined = gqlx_arena_alloc(&s->arena, len + dlen + 1, 1);
        if (joined == NULL)
            goto fail;
        memcpy(joined, copy, len);
        memcpy(joined + len, decl, dlen + 1);
        s->source = gqlx_source_make(src_name ? src_name : "schema", joined, len + dlen);
        gqlx_parse_opts again = opts->parse;
        /* The declarations' own bytes and tokens are not the user's. */
        if (again.max_tokens > 0 && again.max_tokens < UINT32_MAX - 64)
            again.max_tokens += 64;
        if (again.max_bytes > 0 && again.max_bytes < SIZE_MAX - dlen)
            again.max_bytes += dlen;
        doc = gqlx_parse(&s->arena, &s->source, &again, &err);
        if (doc == NULL) {
            rc = syntax_error(&err, errs);
            goto fail;
        }
    }
    s->document = doc;
    gqlx_parse_opts bopts;
    gqlx_parse_opts_init(&bopts);
    gqlx_document *bdoc = gqlx_parse(&s->arena, &builtin_src, &bopts, &err);
    if (bdoc == NULL)
        goto fail; /* only memory can fail on the fixed text */

    if (!opts->assume_valid) {
        size_t n = gqlx_validate_sdl(doc, &s->source, &scratch, errs);
        if (gqlx_arena_failed(&scratch))
            goto fail;
        if (n > 0) {
            rc = GQL_ESCHEMA;
            goto fail;
        }
        gqlx_arena_reset(&scratch);
    }

    builder b;
    memset(&b, 0, sizeof b);
    b.s = s;
    b.a = &s->arena;
    b.tmp = &scratch;
    b.errs = errs;
    b.src = &s->source;
    build_model(&b, bdoc, doc);
    if (b.errs_failed || gqlx_arena_failed(&s->arena) || gqlx_arena_failed(&scratch))
        goto fail;
    if (b.error_count > 0) {
        rc = GQL_ESCHEMA;
        goto fail;
    }
    gqlx_arena_reset(&scratch);

    if (!opts->assume_valid) {
        size_t n = gqlx_validate_schema(s, &s->source, &scratch, errs);
        if (gqlx_arena_failed(&scratch))
            goto fail;
        if (n > 0) {
            rc = GQL_ESCHEMA;
            goto fail;
        }
    }
    size_t authz_errors = gqlx_authz_read_sdl(s, errs);
    if (gqlx_arena_failed(&s->arena))
        goto fail;
    if (authz_errors > 0) {
        rc = GQL_ESCHEMA;
        goto fail;
    }
    gqlx_arena_free(&scratch);
    *out = s;
    return GQL_OK;

fail:
    gqlx_arena_free(&scratch);
    gqlx_schema_free(s);
    return rc;
}

/* ---- public API ----------------------------------------------------------- */

void gql_schema_opts_init(gql_schema_opts *opts)
{
    gqlx_parse_opts po;
    gqlx_parse_opts_init(&po);
    opts->assume_valid = 0;
    opts->max_bytes = DEFAULT_MAX_SCHEMA_BYTES;
    opts->max_tokens = po.max_tokens;
}

int gql_schema_build(gql_schema **out, const char *sdl, size_t len,
                     const gql_schema_opts *opts, gql_errors **errs)
{
    if (errs != NULL)
        *errs = NULL;
    if (out == NULL)
        return GQL_EINVAL;
    *out = NULL;
    if (sdl == NULL && len > 0)
        return GQL_EINVAL;
    gql_schema_opts defaults;
    if (opts == NULL) {
        gql_schema_opts_init(&defaults);
        opts = &defaults;
    }
    gqlx_build_opts bo;
    gqlx_parse_opts_init(&bo.parse);
    bo.parse.max_tokens = opts->max_tokens;
    bo.assume_valid = opts->assume_valid != 0;
    bo.max_bytes = opts->max_bytes;

    gql_errors *list = NULL;
    if (errs != NULL) {
        list = gqlx_errors_new();
        if (list == NULL)
            return GQL_ENOMEM;
    }
    gqlx_schema *s;
    int rc = gqlx_schema_build(&s, sdl, len, "GraphQL request", &bo, list);
    if (rc == GQL_ESYNTAX || rc == GQL_ESCHEMA) {
        if (errs != NULL)
            *errs = list;
        return rc;
    }
    gql_errors_free(list);
    if (rc != GQL_OK)
        return rc;
    *out = (gql_schema *)(void *)s;
    return GQL_OK;
}

size_t gql_schema_type_count(const gql_schema *schema)
{
    return schema ? gqlx_schema_of(schema)->type_count : 0;
}

const char *gql_schema_type_name(const gql_schema *schema, size_t i)
{
    if (schema == NULL || i >= gqlx_schema_of(schema)->type_count)
        return NULL;
    return gqlx_schema_of(schema)->types[i]->name->str;
}

void gql_schema_free(gql_schema *schema)
{
    if (schema != NULL)
        gqlx_schema_free(&schema->impl);
}
