/* src/types/schema.c — reading the schema model: name indexes, lookups,
 * type predicates and the names of kinds and directive locations. */
#include "types/schema.h"

#include <string.h>

#include "core/buf.h"
#include "core/hash.h"

#define NOT_FOUND UINT32_MAX

/* ---- name indexes --------------------------------------------------------- */

bool gqlx_name_index_init(gqlx_name_index *idx, gqlx_arena *a, uint32_t n)
{
    idx->keys = NULL;
    idx->values = NULL;
    idx->mask = 0;
    if (n == 0)
        return true;
    /* At most half full, so probe sequences stay short. */
    uint32_t cap = 4;
    while (cap < 2 * (uint64_t)n && cap < (1u << 31))
        cap *= 2;
    idx->keys = gqlx_arena_zalloc(a, (size_t)cap * sizeof *idx->keys, _Alignof(const gqlx_name *));
    idx->values = GQLX_ARRAY(a, uint32_t, cap);
    if (idx->keys == NULL || idx->values == NULL) {
        idx->keys = NULL;
        return false;
    }
    idx->mask = cap - 1;
    return true;
}

uint32_t gqlx_name_index_put(gqlx_name_index *idx, const gqlx_name *name, uint32_t value)
{
    if (idx->keys == NULL)
        return NOT_FOUND; /* never built (memory failure already recorded) */
    uint32_t i = name->hash & idx->mask;
    for (;;) {
        const gqlx_name *k = idx->keys[i];
        if (k == NULL) {
            idx->keys[i] = name;
            idx->values[i] = value;
            return NOT_FOUND;
        }
        if (k == name)
            return idx->values[i];
        i = (i + 1) & idx->mask;
    }
}

uint32_t gqlx_name_index_get(const gqlx_name_index *idx, const gqlx_name *name)
{
    if (idx->keys == NULL || name == NULL)
        return NOT_FOUND;
    uint32_t i = name->hash & idx->mask;
    for (;;) {
        const gqlx_name *k = idx->keys[i];
        if (k == NULL)
            return NOT_FOUND;
        if (k == name)
            return idx->values[i];
        i = (i + 1) & idx->mask;
    }
}

uint32_t gqlx_name_index_find(const gqlx_name_index *idx, const char *name, size_t len)
{
    if (idx->keys == NULL)
        return NOT_FOUND;
    /* Same hash as the schema's intern table (seed 0), so the cached
     * name->hash can be compared before the bytes. */
    uint32_t h = (uint32_t)gqlx_hash(name, len, 0);
    uint32_t i = h & idx->mask;
    for (;;) {
        const gqlx_name *k = idx->keys[i];
        if (k == NULL)
            return NOT_FOUND;
        if (k->hash == h && k->len == len && memcmp(k->str, name, len) == 0)
            return idx->values[i];
        i = (i + 1) & idx->mask;
    }
}

/* ---- lookups -------------------------------------------------------------- */

const gqlx_type *gqlx_schema_type(const gqlx_schema *s, const char *name, size_t len)
{
    uint32_t i = gqlx_name_index_find(&s->type_index, name, len);
    return i == NOT_FOUND ? NULL : s->types[i];
}

const gqlx_directive_decl *gqlx_schema_directive(const gqlx_schema *s, const char *name,
                                                 size_t len)
{
    uint32_t i = gqlx_name_index_find(&s->directive_index, name, len);
    return i == NOT_FOUND ? NULL : s->directives[i];
}

const gqlx_field_decl *gqlx_type_field(const gqlx_type *t, const char *name, size_t len)
{
    if (t->kind != GQLX_TYPE_OBJECT && t->kind != GQLX_TYPE_INTERFACE)
        return NULL;
    uint32_t i = gqlx_name_index_find(&t->member_index, name, len);
    return i == NOT_FOUND ? NULL : &t->fields[i];
}

const gqlx_enum_value *gqlx_type_enum_value(const gqlx_type *t, const char *name, size_t len)
{
    if (t->kind != GQLX_TYPE_ENUM)
        return NULL;
    uint32_t i = gqlx_name_index_find(&t->member_index, name, len);
    return i == NOT_FOUND ? NULL : &t->values[i];
}

const gqlx_input_value *gqlx_type_input_field(const gqlx_type *t, const char *name, size_t len)
{
    if (t->kind != GQLX_TYPE_INPUT_OBJECT)
        return NULL;
    uint32_t i = gqlx_name_index_find(&t->member_index, name, len);
    return i == NOT_FOUND ? NULL : &t->input_fields[i];
}

/* Fields have few arguments (GitHub's schema: at most a dozen), so a scan
 * beats an index in both time and memory. */
const gqlx_input_value *gqlx_field_arg(const gqlx_field_decl *f, const char *name, size_t len)
{
    for (uint32_t i = 0; i < f->arg_count; i++) {
        const gqlx_name *n = f->args[i].name;
        if (n->len == len && memcmp(n->str, name, len) == 0)
            return &f->args[i];
    }
    return NULL;
}

/* ---- relations ------------------------------------------------------------ */

bool gqlx_schema_is_possible_type(const gqlx_schema *s, const gqlx_type *abstract,
                                  const gqlx_type *object)
{
    if (!gqlx_type_is_abstract(abstract) || abstract->abstract_index == NOT_FOUND ||
        object->index >= s->type_count || s->possible_bits == NULL)
        return false;
    uint64_t bit = (uint64_t)abstract->abstract_index * s->type_count + object->index;
    return (s->possible_bits[bit >> 6] >> (bit & 63)) & 1u;
}

bool gqlx_type_ref_equal(const gqlx_type_ref *a, const gqlx_type_ref *b)
{
    for (;;) {
        if (a == b)
            return true;
        if (a->wrap != b->wrap)
            return false;
        if (a->wrap == GQLX_WRAP_NAMED)
            return a->named == b->named;
        a = a->of;
        b = b->of;
    }
}

bool gqlx_schema_is_subtype(const gqlx_schema *s, const gqlx_type_ref *maybe_sub,
                            const gqlx_type_ref *super)
{
    for (;;) {
        if (gqlx_type_ref_equal(maybe_sub, super))
            return true;
        if (super->wrap == GQLX_WRAP_NON_NULL) {
            if (maybe_sub->wrap != GQLX_WRAP_NON_NULL)
                return false;
            maybe_sub = maybe_sub->of;
            super = super->of;
            continue;
        }
        if (maybe_sub->wrap == GQLX_WRAP_NON_NULL) {
            maybe_sub = maybe_sub->of; /* T! may stand where T is expected */
            continue;
        }
        if (super->wrap == GQLX_WRAP_LIST) {
            if (maybe_sub->wrap != GQLX_WRAP_LIST)
                return false;
            maybe_sub = maybe_sub->of;
            super = super->of;
            continue;
        }
        if (maybe_sub->wrap == GQLX_WRAP_LIST)
            return false;
        /* Both named: covariance through abstract types. */
        return gqlx_type_is_abstract(super->named) &&
               (maybe_sub->named->kind == GQLX_TYPE_INTERFACE ||
                maybe_sub->named->kind == GQLX_TYPE_OBJECT) &&
               gqlx_schema_is_possible_type(s, super->named, maybe_sub->named);
    }
}

bool gqlx_type_ref_is_input(const gqlx_type_ref *t)
{
    uint8_t k = t->named->kind;
    return k == GQLX_TYPE_SCALAR || k == GQLX_TYPE_ENUM || k == GQLX_TYPE_INPUT_OBJECT;
}

bool gqlx_type_ref_is_output(const gqlx_type_ref *t)
{
    return t->named->kind != GQLX_TYPE_INPUT_OBJECT;
}

/* ---- names ---------------------------------------------------------------- */

void gqlx_type_ref_print(gqlx_buf *out, const gqlx_type_ref *t)
{
    switch (t->wrap) {
    case GQLX_WRAP_LIST:
        gqlx_buf_putc(out, '[');
        gqlx_type_ref_print(out, t->of);
        gqlx_buf_putc(out, ']');
        break;
    case GQLX_WRAP_NON_NULL:
        gqlx_type_ref_print(out, t->of);
        gqlx_buf_putc(out, '!');
        break;
    default:
        gqlx_buf_append(out, t->named->name->str, t->named->name->len);
        break;
    }
}

const char *gqlx_type_kind_name(gqlx_type_kind kind)
{
    static const char *const names[] = {"SCALAR", "OBJECT", "INTERFACE",
                                        "UNION",  "ENUM",   "INPUT_OBJECT"};
    return (unsigned)kind < sizeof names / sizeof names[0] ? names[kind] : NULL;
}

static const char *const location_names[] = {
#define GQLX_LOC_NAME(name) #name,
    GQLX_DIRECTIVE_LOCATIONS(GQLX_LOC_NAME)
#undef GQLX_LOC_NAME
};

const char *gqlx_directive_location_name(gqlx_directive_location loc)
{
    return (unsigned)loc < GQLX_LOC_COUNT ? location_names[loc] : NULL;
}

int gqlx_directive_location_parse(gqlx_slice name)
{
    for (int i = 0; i < GQLX_LOC_COUNT; i++)
        if (gqlx_slice_eq_cstr(name, location_names[i]))
            return i;
    return -1;
}
