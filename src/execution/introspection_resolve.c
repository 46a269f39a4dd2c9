/* src/execution/introspection_resolve.c — values of the introspection
 * fields, read straight from the schema model.
 *
 * graphql-js gives each introspection field a small resolver of its own
 * (type/introspection.ts); here one function serves them all and picks the
 * field by its owner type and its position among the owner's fields, so a
 * call costs a switch, not name comparisons. The positions are those of the
 * built-in SDL in src/types/introspection.c, which a schema's SDL cannot
 * change (the built-in introspection types always win over user
 * definitions of the same name); the two lists below must follow it. */
#include "execution/introspection_resolve.h"

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/json.h"
#include "execution/engine.h"
#include "language/printer.h"
#include "types/schema.h"

enum owner {
    OWNER_NONE,
    OWNER_SCHEMA,
    OWNER_TYPE,
    OWNER_FIELD,
    OWNER_INPUT_VALUE,
    OWNER_ENUM_VALUE,
    OWNER_DIRECTIVE
};

#define FIELD_KEY(owner, index) ((unsigned)(owner) << 4 | (unsigned)(index))

/* Every introspection field as FIELD_KEY(owner, position in the SDL). */
enum field_key {
    SCHEMA_DESCRIPTION = FIELD_KEY(OWNER_SCHEMA, 0),
    SCHEMA_TYPES,
    SCHEMA_QUERY_TYPE,
    SCHEMA_MUTATION_TYPE,
    SCHEMA_SUBSCRIPTION_TYPE,
    SCHEMA_DIRECTIVES,

    TYPE_KIND = FIELD_KEY(OWNER_TYPE, 0),
    TYPE_NAME,
    TYPE_DESCRIPTION,
    TYPE_SPECIFIED_BY_URL,
    TYPE_FIELDS,
    TYPE_INTERFACES,
    TYPE_POSSIBLE_TYPES,
    TYPE_ENUM_VALUES,
    TYPE_INPUT_FIELDS,
    TYPE_OF_TYPE,
    TYPE_IS_ONE_OF,

    FIELD_NAME = FIELD_KEY(OWNER_FIELD, 0),
    FIELD_DESCRIPTION,
    FIELD_ARGS,
    FIELD_TYPE,
    FIELD_IS_DEPRECATED,
    FIELD_DEPRECATION_REASON,

    INPUT_VALUE_NAME = FIELD_KEY(OWNER_INPUT_VALUE, 0),
    INPUT_VALUE_DESCRIPTION,
    INPUT_VALUE_TYPE,
    INPUT_VALUE_DEFAULT_VALUE,
    INPUT_VALUE_IS_DEPRECATED,
    INPUT_VALUE_DEPRECATION_REASON,

    ENUM_VALUE_NAME = FIELD_KEY(OWNER_ENUM_VALUE, 0),
    ENUM_VALUE_DESCRIPTION,
    ENUM_VALUE_IS_DEPRECATED,
    ENUM_VALUE_DEPRECATION_REASON,

    DIRECTIVE_NAME = FIELD_KEY(OWNER_DIRECTIVE, 0),
    DIRECTIVE_DESCRIPTION,
    DIRECTIVE_IS_REPEATABLE,
    DIRECTIVE_LOCATIONS,
    DIRECTIVE_ARGS,
    DIRECTIVE_IS_DEPRECATED,
    DIRECTIVE_DEPRECATION_REASON
};

/* The six introspection object types have names of different lengths,
 * except __EnumValue and __Directive, whose third bytes differ. */
static enum owner owner_of(const gqlx_type *t)
{
    if (t == NULL || !t->builtin || t->name == NULL)
        return OWNER_NONE;
    switch (t->name->len) {
    case sizeof "__Schema" - 1:
        return OWNER_SCHEMA;
    case sizeof "__Type" - 1:
        return OWNER_TYPE;
    case sizeof "__Field" - 1:
        return OWNER_FIELD;
    case sizeof "__InputValue" - 1:
        return OWNER_INPUT_VALUE;
    case sizeof "__Directive" - 1: /* and "__EnumValue" */
        return t->name->str[2] == 'E' ? OWNER_ENUM_VALUE : OWNER_DIRECTIVE;
    default:
        return OWNER_NONE;
    }
}

/* ---- values ---------------------------------------------------------------- */

#define STATIC_ENUM(s)                                                                             \
    {                                                                                              \
        .kind = GQL_VALUE_STRING, .len = sizeof(s) - 1, .u = {.str = (s) }                         \
    }

/* __TypeKind by gqlx_type_kind, then the two wrappers. */
enum { KIND_LIST = GQLX_TYPE_INPUT_OBJECT + 1, KIND_NON_NULL };
static const gql_value type_kinds[] = {
    STATIC_ENUM("SCALAR"), STATIC_ENUM("OBJECT"),   STATIC_ENUM("INTERFACE"),
    STATIC_ENUM("UNION"),  STATIC_ENUM("ENUM"),     STATIC_ENUM("INPUT_OBJECT"),
    STATIC_ENUM("LIST"),   STATIC_ENUM("NON_NULL"),
};

/* __DirectiveLocation by gqlx_directive_location. */
static const gql_value locations[] = {
#define LOCATION_VALUE(name) STATIC_ENUM(#name),
    GQLX_DIRECTIVE_LOCATIONS(LOCATION_VALUE)
#undef LOCATION_VALUE
};

static gql_value text(gqlx_slice s)
{
    return s.ptr != NULL ? gql_string(s.ptr, s.len) : gql_null();
}

static gql_value name_of(const gqlx_name *n)
{
    return n != NULL ? gql_string(n->str, n->len) : gql_null();
}

/* The engine only reads what objects point to; the casts drop const to
 * fit gql_value, not to write. */
static void *object_ptr(const void *p)
{
    return (void *)(uintptr_t)p;
}

static gql_value type_ref(const gqlx_type_ref *r)
{
    return gql_object(object_ptr(r), "__Type");
}

static gql_value named(const gqlx_type *t)
{
    return t != NULL ? type_ref(&t->ref) : gql_null();
}

static gql_value no_memory(gql_info *info)
{
    return gql_error(info, "Out of memory.");
}

/* Room for n object pointers in the request arena (n may be 0). */
static void **pointers(gql_info *info, size_t n)
{
    static void *empty[1];
    return n == 0 ? empty : gql_alloc(info, n * sizeof(void *));
}

static bool include_deprecated(const gql_info *info)
{
    const gqlx_json *v = gqlx_json_get(info->args, "includeDeprecated", 17);
    return v != NULL && v->kind == GQLX_JSON_BOOL && v->boolean;
}

/* A list of named types as __Type objects. */
static gql_value type_list(gql_info *info, const gqlx_type *const *types, uint32_t n)
{
    void **p = pointers(info, n);
    if (p == NULL)
        return no_memory(info);
    for (uint32_t i = 0; i < n; i++)
        p[i] = object_ptr(&types[i]->ref);
    return gql_object_list(p, n, "__Type");
}

/* Arguments or input fields, without the deprecated ones unless the
 * field's includeDeprecated argument is true. */
static gql_value input_values(gql_info *info, const gqlx_input_value *v, uint32_t n)
{
    bool all = include_deprecated(info);
    void **p = pointers(info, n);
    if (p == NULL)
        return no_memory(info);
    uint32_t k = 0;
    for (uint32_t i = 0; i < n; i++)
        if (all || v[i].deprecation_reason.ptr == NULL)
            p[k++] = object_ptr(&v[i]);
    return gql_object_list(p, k, "__InputValue");
}

/* graphql-js prints the default value's literal as the SDL wrote it
 * (getDefaultValueAST gives the literal, print() lays it out). Literals
 * that print as their own token text are borrowed from the schema's
 * source; the others are printed into request memory. */
static gql_value default_value(gql_info *info, const gqlx_node *v)
{
    if (v == NULL)
        return gql_null();
    switch (v->kind) {
    case GQLX_KIND_INT_VALUE:
    case GQLX_KIND_FLOAT_VALUE:
    case GQLX_KIND_ENUM_VALUE:
        return text(GQLX_AS_CONST(gqlx_scalar_value, v)->text);
    case GQLX_KIND_BOOLEAN_VALUE:
        return GQLX_AS_CONST(gqlx_boolean_value, v)->value ? gql_string("true", 4)
                                                           : gql_string("false", 5);
    case GQLX_KIND_NULL_VALUE:
        return gql_string("null", 4);
    default:
        break;
    }
    /* Printed into the execution's scratch buffer, with the request arena
     * for the printer's temporary memory: no allocation of their own. */
    gqlx_exec *x = info->x;
    size_t start = x->msg.len;
    gqlx_print(&x->msg, v, &x->arena);
    gql_value r;
    if (x->msg.failed || gqlx_arena_failed(&x->arena) || x->msg.data == NULL)
        r = no_memory(info);
    else
        r = gql_string_copy(info, x->msg.data + start, x->msg.len - start);
    x->msg.len = start;
    if (x->msg.data != NULL)
        x->msg.data[start] = '\0';
    return r;
}

/* ---- per owner type ------------------------------------------------------------ */

static gql_value schema_field(gql_info *info, unsigned key, const gqlx_schema *s)
{
    switch (key) {
    case SCHEMA_DESCRIPTION:
        return text(s->description);
    case SCHEMA_TYPES:
        return type_list(info, s->types, s->type_count);
    case SCHEMA_QUERY_TYPE:
        return named(s->query);
    case SCHEMA_MUTATION_TYPE:
        return named(s->mutation);
    case SCHEMA_SUBSCRIPTION_TYPE:
        return named(s->subscription);
    case SCHEMA_DIRECTIVES: {
        bool all = include_deprecated(info);
        void **p = pointers(info, s->directive_count);
        if (p == NULL)
            return no_memory(info);
        uint32_t k = 0;
        for (uint32_t i = 0; i < s->directive_count; i++)
            if (all || s->directives[i]->deprecation_reason.ptr == NULL)
                p[k++] = object_ptr(s->directives[i]);
        return gql_object_list(p, k, "__Directive");
    }
    default:
        return gql_null();
    }
}

/* __Type on a list or non-null wrapper: only kind and ofType are set
 * (graphql-js's wrappers have no name, description, fields, ...). */
static gql_value wrapper_field(unsigned key, const gqlx_type_ref *r)
{
    switch (key) {
    case TYPE_KIND:
        return type_kinds[r->wrap == GQLX_WRAP_LIST ? KIND_LIST : KIND_NON_NULL];
    case TYPE_OF_TYPE:
        return r->of != NULL ? type_ref(r->of) : gql_null();
    default:
        return gql_null();
    }
}

static gql_value type_field(gql_info *info, unsigned key, const gqlx_type_ref *r)
{
    if (r->wrap != GQLX_WRAP_NAMED)
        return wrapper_field(key, r);
    const gqlx_type *t = r->named;
    bool has_fields = t->kind == GQLX_TYPE_OBJECT || t->kind == GQLX_TYPE_INTERFACE;
    switch (key) {
    case TYPE_KIND:
        return t->kind <= GQLX_TYPE_INPUT_OBJECT ? type_kinds[t->kind] : gql_null();
    case TYPE_NAME:
        return name_of(t->name);
    case TYPE_DESCRIPTION:
        return text(t->description);
    case TYPE_SPECIFIED_BY_URL:
        return t->kind == GQLX_TYPE_SCALAR ? text(t->specified_by_url) : gql_null();
    case TYPE_FIELDS: {
        if (!has_fields)
            return gql_null();
        bool all = include_deprecated(info);
        void **p = pointers(info, t->field_count);
        if (p == NULL)
            return no_memory(info);
        uint32_t k = 0;
        for (uint32_t i = 0; i < t->field_count; i++)
            if (all || t->fields[i].deprecation_reason.ptr == NULL)
                p[k++] = object_ptr(&t->fields[i]);
        return gql_object_list(p, k, "__Field");
    }
    case TYPE_INTERFACES:
        return has_fields ? type_list(info, t->interfaces, t->interface_count) : gql_null();
    case TYPE_POSSIBLE_TYPES:
        return gqlx_type_is_abstract(t) ? type_list(info, t->possible, t->possible_count)
                                        : gql_null();
    case TYPE_ENUM_VALUES: {
        if (t->kind != GQLX_TYPE_ENUM)
            return gql_null();
        bool all = include_deprecated(info);
        void **p = pointers(info, t->value_count);
        if (p == NULL)
            return no_memory(info);
        uint32_t k = 0;
        for (uint32_t i = 0; i < t->value_count; i++)
            if (all || t->values[i].deprecation_reason.ptr == NULL)
                p[k++] = object_ptr(&t->values[i]);
        return gql_object_list(p, k, "__EnumValue");
    }
    case TYPE_INPUT_FIELDS:
        return t->kind == GQLX_TYPE_INPUT_OBJECT
                   ? input_values(info, t->input_fields, t->input_field_count)
                   : gql_null();
    case TYPE_IS_ONE_OF:
        return t->kind == GQLX_TYPE_INPUT_OBJECT ? gql_bool(t->one_of) : gql_null();
    default: /* TYPE_OF_TYPE: named types wrap nothing */
        return gql_null();
    }
}

static gql_value field_field(gql_info *info, unsigned key, const gqlx_field_decl *f)
{
    switch (key) {
    case FIELD_NAME:
        return name_of(f->name);
    case FIELD_DESCRIPTION:
        return text(f->description);
    case FIELD_ARGS:
        return input_values(info, f->args, f->arg_count);
    case FIELD_TYPE:
        return type_ref(f->type);
    case FIELD_IS_DEPRECATED:
        return gql_bool(f->deprecation_reason.ptr != NULL);
    case FIELD_DEPRECATION_REASON:
        return text(f->deprecation_reason);
    default:
        return gql_null();
    }
}

static gql_value input_value_field(gql_info *info, unsigned key, const gqlx_input_value *v)
{
    switch (key) {
    case INPUT_VALUE_NAME:
        return name_of(v->name);
    case INPUT_VALUE_DESCRIPTION:
        return text(v->description);
    case INPUT_VALUE_TYPE:
        return type_ref(v->type);
    case INPUT_VALUE_DEFAULT_VALUE:
        return default_value(info, v->default_value);
    case INPUT_VALUE_IS_DEPRECATED:
        return gql_bool(v->deprecation_reason.ptr != NULL);
    case INPUT_VALUE_DEPRECATION_REASON:
        return text(v->deprecation_reason);
    default:
        return gql_null();
    }
}

static gql_value enum_value_field(unsigned key, const gqlx_enum_value *v)
{
    switch (key) {
    case ENUM_VALUE_NAME:
        return name_of(v->name);
    case ENUM_VALUE_DESCRIPTION:
        return text(v->description);
    case ENUM_VALUE_IS_DEPRECATED:
        return gql_bool(v->deprecation_reason.ptr != NULL);
    case ENUM_VALUE_DEPRECATION_REASON:
        return text(v->deprecation_reason);
    default:
        return gql_null();
    }
}

static gql_value directive_field(gql_info *info, unsigned key, const gqlx_directive_decl *d)
{
    switch (key) {
    case DIRECTIVE_NAME:
        return name_of(d->name);
    case DIRECTIVE_DESCRIPTION:
        return text(d->description);
    case DIRECTIVE_IS_REPEATABLE:
        return gql_bool(d->repeatable);
    case DIRECTIVE_LOCATIONS: {
        /* As the SDL lists them, repeats included: graphql-js keeps the
         * definition's list as it is. */
        gql_value *items = d->location_count ? gql_alloc_values(info, d->location_count) : NULL;
        if (items == NULL && d->location_count != 0)
            return no_memory(info);
        for (uint32_t i = 0; i < d->location_count; i++)
            items[i] =
                d->location_list[i] < GQLX_LOC_COUNT ? locations[d->location_list[i]] : gql_null();
        return gql_list(items, d->location_count);
    }
    case DIRECTIVE_ARGS:
        return input_values(info, d->args, d->arg_count);
    case DIRECTIVE_IS_DEPRECATED:
        return gql_bool(d->deprecation_reason.ptr != NULL);
    case DIRECTIVE_DEPRECATION_REASON:
        return text(d->deprecation_reason);
    default:
        return gql_null();
    }
}

gql_value gqlx_introspection_resolve(gql_info *info, gql_value parent)
{
    const gqlx_field_decl *f = info->decl;
    if (f == NULL || parent.kind != GQL_VALUE_OBJECT || parent.u.ptr == NULL)
        return gql_null();
    enum owner owner = owner_of(f->owner);
    unsigned key = FIELD_KEY(owner, f->index);
    const void *p = parent.u.ptr;
    switch (owner) {
    case OWNER_SCHEMA:
        return schema_field(info, key, p);
    case OWNER_TYPE:
        return type_field(info, key, p);
    case OWNER_FIELD:
        return field_field(info, key, p);
    case OWNER_INPUT_VALUE:
        return input_value_field(info, key, p);
    case OWNER_ENUM_VALUE:
        return enum_value_field(key, p);
    case OWNER_DIRECTIVE:
        return directive_field(info, key, p);
    default:
        return gql_null();
    }
}

/* ---- leaves written at once -------------------------------------------------- */

/* Text and names as the completed String would be written; names need no
 * escaping. */
static void put_text(gqlx_buf *out, gqlx_slice s)
{
    if (s.ptr == NULL)
        gqlx_buf_append(out, "null", 4);
    else
        gqlx_json_write_string(out, s.ptr, s.len);
}

static void put_name(gqlx_buf *out, const gqlx_name *n)
{
    if (n == NULL)
        gqlx_buf_append(out, "null", 4);
    else
        gqlx_json_write_plain(out, n->str, n->len);
}

static void put_bool(gqlx_buf *out, bool b)
{
    gqlx_buf_append(out, b ? "true" : "false", b ? 4 : 5);
}

static void put_null(gqlx_buf *out)
{
    gqlx_buf_append(out, "null", 4);
}

/* An enum value from the tables above (a name: no escaping). */
static void put_enum(gqlx_buf *out, const gql_value *v)
{
    gqlx_json_write_plain(out, v->u.str, v->len);
}

/* One writer per leaf field. The parent is the object pointer the field
 * receives (see the header); `P(type)` names it. */
#define P(type) ((const type *)parent)

static bool schema_description_w(gqlx_buf *out, const void *parent)
{
    put_text(out, P(gqlx_schema)->description);
    return true;
}

static bool type_kind_w(gqlx_buf *out, const void *parent)
{
    const gqlx_type_ref *r = parent;
    if (r->wrap != GQLX_WRAP_NAMED) {
        put_enum(out, &type_kinds[r->wrap == GQLX_WRAP_LIST ? KIND_LIST : KIND_NON_NULL]);
        return true;
    }
    if (r->named->kind > GQLX_TYPE_INPUT_OBJECT)
        return false; /* null in a non-null position: the general path says so */
    put_enum(out, &type_kinds[r->named->kind]);
    return true;
}

static bool type_name_w(gqlx_buf *out, const void *parent)
{
    const gqlx_type_ref *r = parent;
    if (r->wrap != GQLX_WRAP_NAMED)
        put_null(out);
    else
        put_name(out, r->named->name);
    return true;
}

static bool type_description_w(gqlx_buf *out, const void *parent)
{
    const gqlx_type_ref *r = parent;
    if (r->wrap != GQLX_WRAP_NAMED)
        put_null(out);
    else
        put_text(out, r->named->description);
    return true;
}

static bool type_specified_by_url_w(gqlx_buf *out, const void *parent)
{
    const gqlx_type_ref *r = parent;
    if (r->wrap != GQLX_WRAP_NAMED || r->named->kind != GQLX_TYPE_SCALAR)
        put_null(out);
    else
        put_text(out, r->named->specified_by_url);
    return true;
}

static bool type_is_one_of_w(gqlx_buf *out, const void *parent)
{
    const gqlx_type_ref *r = parent;
    if (r->wrap != GQLX_WRAP_NAMED || r->named->kind != GQLX_TYPE_INPUT_OBJECT)
        put_null(out);
    else
        put_bool(out, r->named->one_of);
    return true;
}

/* name, description, isDeprecated and deprecationReason read members of
 * the same names in the objects of __Field, __InputValue, __EnumValue and
 * __Directive. */
#define COMMON_WRITERS(prefix, type)                                                               \
    static bool prefix##_name_w(gqlx_buf *out, const void *parent)                                 \
    {                                                                                              \
        put_name(out, P(type)->name);                                                              \
        return true;                                                                               \
    }                                                                                              \
    static bool prefix##_description_w(gqlx_buf *out, const void *parent)                          \
    {                                                                                              \
        put_text(out, P(type)->description);                                                       \
        return true;                                                                               \
    }                                                                                              \
    static bool prefix##_is_deprecated_w(gqlx_buf *out, const void *parent)                        \
    {                                                                                              \
        put_bool(out, P(type)->deprecation_reason.ptr != NULL);                                    \
        return true;                                                                               \
    }                                                                                              \
    static bool prefix##_deprecation_reason_w(gqlx_buf *out, const void *parent)                   \
    {                                                                                              \
        put_text(out, P(type)->deprecation_reason);                                                \
        return true;                                                                               \
    }

COMMON_WRITERS(field, gqlx_field_decl)
COMMON_WRITERS(input_value, gqlx_input_value)
COMMON_WRITERS(enum_value, gqlx_enum_value)
COMMON_WRITERS(directive, gqlx_directive_decl)
#undef COMMON_WRITERS

/* Default values whose literal is its own text; the others are printed by
 * default_value() on the general path. */
static bool input_value_default_value_w(gqlx_buf *out, const void *parent)
{
    const gqlx_node *v = P(gqlx_input_value)->default_value;
    if (v == NULL) {
        put_null(out);
        return true;
    }
    switch (v->kind) {
    case GQLX_KIND_INT_VALUE:
    case GQLX_KIND_FLOAT_VALUE:
    case GQLX_KIND_ENUM_VALUE:
        put_text(out, GQLX_AS_CONST(gqlx_scalar_value, v)->text);
        return true;
    case GQLX_KIND_BOOLEAN_VALUE:
        if (GQLX_AS_CONST(gqlx_boolean_value, v)->value)
            gqlx_buf_append(out, "\"true\"", 6);
        else
            gqlx_buf_append(out, "\"false\"", 7);
        return true;
    case GQLX_KIND_NULL_VALUE:
        gqlx_buf_append(out, "\"null\"", 6);
        return true;
    default:
        return false;
    }
}

static bool directive_is_repeatable_w(gqlx_buf *out, const void *parent)
{
    put_bool(out, P(gqlx_directive_decl)->repeatable);
    return true;
}

static bool directive_locations_w(gqlx_buf *out, const void *parent)
{
    const gqlx_directive_decl *d = parent;
    for (uint32_t i = 0; i < d->location_count; i++)
        if (d->location_list[i] >= GQLX_LOC_COUNT)
            return false; /* null in a non-null position */
    gqlx_buf_putc(out, '[');
    for (uint32_t i = 0; i < d->location_count; i++) {
        if (i)
            gqlx_buf_putc(out, ',');
        put_enum(out, &locations[d->location_list[i]]);
    }
    gqlx_buf_putc(out, ']');
    return true;
}

#undef P

/* The writer of each leaf field by FIELD_KEY; lists and objects have none. */
static const gqlx_intro_writer leaf_writers[] = {
    [SCHEMA_DESCRIPTION] = schema_description_w,
    [TYPE_KIND] = type_kind_w,
    [TYPE_NAME] = type_name_w,
    [TYPE_DESCRIPTION] = type_description_w,
    [TYPE_SPECIFIED_BY_URL] = type_specified_by_url_w,
    [TYPE_IS_ONE_OF] = type_is_one_of_w,
    [FIELD_NAME] = field_name_w,
    [FIELD_DESCRIPTION] = field_description_w,
    [FIELD_IS_DEPRECATED] = field_is_deprecated_w,
    [FIELD_DEPRECATION_REASON] = field_deprecation_reason_w,
    [INPUT_VALUE_NAME] = input_value_name_w,
    [INPUT_VALUE_DESCRIPTION] = input_value_description_w,
    [INPUT_VALUE_DEFAULT_VALUE] = input_value_default_value_w,
    [INPUT_VALUE_IS_DEPRECATED] = input_value_is_deprecated_w,
    [INPUT_VALUE_DEPRECATION_REASON] = input_value_deprecation_reason_w,
    [ENUM_VALUE_NAME] = enum_value_name_w,
    [ENUM_VALUE_DESCRIPTION] = enum_value_description_w,
    [ENUM_VALUE_IS_DEPRECATED] = enum_value_is_deprecated_w,
    [ENUM_VALUE_DEPRECATION_REASON] = enum_value_deprecation_reason_w,
    [DIRECTIVE_NAME] = directive_name_w,
    [DIRECTIVE_DESCRIPTION] = directive_description_w,
    [DIRECTIVE_IS_REPEATABLE] = directive_is_repeatable_w,
    [DIRECTIVE_LOCATIONS] = directive_locations_w,
    [DIRECTIVE_IS_DEPRECATED] = directive_is_deprecated_w,
    [DIRECTIVE_DEPRECATION_REASON] = directive_deprecation_reason_w,
};

gqlx_intro_writer gqlx_introspection_leaf_writer(const gqlx_field_decl *f)
{
    enum owner owner = owner_of(f->owner);
    unsigned key = FIELD_KEY(owner, f->index);
    if (owner == OWNER_NONE || key >= sizeof leaf_writers / sizeof leaf_writers[0])
        return NULL;
    return leaf_writers[key];
}
