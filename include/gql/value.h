/* include/gql/value.h — the values resolvers return.
 *
 * A gql_value is a small tagged value passed by value: null, a boolean, an
 * integer, a double, a string (enum values are strings naming the value), a
 * list of values, an application object, a list of application objects, or
 * a JSON value. Resolvers build them with the constructors below; nothing
 * here allocates. The engine only reads what a value points to, during the
 * request: pointed-to memory must stay valid until the request's response
 * is complete (static data, the application's own data, or memory from the
 * request arena: see gql_alloc and gql_string_copy in resolve.h).
 *
 * A zero-initialized gql_value is null. */
#ifndef GQL_VALUE_H
#define GQL_VALUE_H

#include <stdint.h>
#include <string.h>

#include "gql/common.h"
#include "gql/json.h"

GQL_BEGIN_DECLS

typedef enum gql_value_kind {
    GQL_VALUE_NULL = 0,
    GQL_VALUE_BOOL,        /* u.boolean: 0 or 1 */
    GQL_VALUE_INT,         /* u.i */
    GQL_VALUE_FLOAT,       /* u.f */
    GQL_VALUE_STRING,      /* u.str[0..len), UTF-8, not NUL-terminated */
    GQL_VALUE_LIST,        /* u.items[0..len) */
    GQL_VALUE_OBJECT,      /* u.ptr: the application's object; type below */
    GQL_VALUE_OBJECT_LIST, /* u.ptrs[0..len): objects, all of `type` */
    GQL_VALUE_JSON,        /* u.json: any JSON value (NULL means null) */
    /* Made by the engine's functions only (resolve.h, async.h): */
    GQL_VALUE_ERROR,   /* gql_error(): the field failed; the error is recorded */
    GQL_VALUE_PENDING, /* gql_pending() & co.: the value comes later */
    GQL_VALUE_STREAM   /* gql_stream_new(): a subscription's source stream */
} gql_value_kind;

typedef struct gql_value {
    uint32_t kind; /* gql_value_kind */
    uint32_t len;  /* STRING: bytes; LIST and OBJECT_LIST: items */
    union {
        int boolean;
        int64_t i;
        double f;
        const char *str;
        const struct gql_value *items;
        void *ptr;
        void *const *ptrs;
        const gql_json *json;
    } u;
    /* OBJECT and OBJECT_LIST: the name of the object's GraphQL type
     * (NUL-terminated), which the engine needs when the field's type is an
     * interface or a union and no type resolver is bound. NULL otherwise. */
    const char *type;
} gql_value;

static inline gql_value gql_null(void)
{
    gql_value v;
    memset(&v, 0, sizeof v);
    return v;
}

static inline gql_value gql_bool(int b)
{
    gql_value v = gql_null();
    v.kind = GQL_VALUE_BOOL;
    v.u.boolean = b ? 1 : 0;
    return v;
}

static inline gql_value gql_int(int64_t i)
{
    gql_value v = gql_null();
    v.kind = GQL_VALUE_INT;
    v.u.i = i;
    return v;
}

static inline gql_value gql_float(double f)
{
    gql_value v = gql_null();
    v.kind = GQL_VALUE_FLOAT;
    v.u.f = f;
    return v;
}

/* A string of len bytes, borrowed (see the top of this file). */
static inline gql_value gql_string(const char *s, size_t len)
{
    gql_value v = gql_null();
    v.kind = GQL_VALUE_STRING;
    v.u.str = s;
    v.len = (uint32_t)len;
    return v;
}

/* A NUL-terminated string, borrowed; NULL gives null. */
static inline gql_value gql_cstr(const char *s)
{
    return s ? gql_string(s, strlen(s)) : gql_null();
}

/* An enum value: its name, borrowed. */
static inline gql_value gql_enum(const char *name)
{
    return gql_cstr(name);
}

/* A list of n values, borrowed. */
static inline gql_value gql_list(const gql_value *items, size_t n)
{
    gql_value v = gql_null();
    v.kind = GQL_VALUE_LIST;
    v.u.items = items;
    v.len = (uint32_t)n;
    return v;
}

/* An application object: the resolvers of the fields selected on it
 * receive it as their parent. type names its GraphQL object type (or NULL
 * when the field's type already says it). ptr NULL gives null. */
static inline gql_value gql_object(void *ptr, const char *type)
{
    gql_value v = gql_null();
    if (ptr == NULL)
        return v;
    v.kind = GQL_VALUE_OBJECT;
    v.u.ptr = ptr;
    v.type = type;
    return v;
}

/* A list of n application objects of one type (NULL items are null). */
static inline gql_value gql_object_list(void *const *ptrs, size_t n, const char *type)
{
    gql_value v = gql_null();
    v.kind = GQL_VALUE_OBJECT_LIST;
    v.u.ptrs = ptrs;
    v.len = (uint32_t)n;
    v.type = type;
    return v;
}

/* A JSON value, borrowed: objects are read by the default resolver (and
 * by type resolution through their "__typename" member), arrays are
 * lists. */
static inline gql_value gql_json_value(const gql_json *json)
{
    gql_value v = gql_null();
    v.kind = GQL_VALUE_JSON;
    v.u.json = json;
    return v;
}

GQL_END_DECLS

#endif
