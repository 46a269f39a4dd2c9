/* src/execution/scalar_call.c — the context of custom scalar callbacks. */
#include "execution/scalar_call.h"
#include "gql/status.h"

#include <stdarg.h>
#include <string.h>

#include "execution/values.h"

void gqlx_scalar_call_init(gql_scalar_call *c, gqlx_arena *a, void *data, gqlx_buf *msg)
{
    c->arena = a;
    c->data = data;
    c->msg = msg;
}

void *gql_scalar_data(const gql_scalar_call *call)
{
    return call ? call->data : NULL;
}

void *gql_scalar_alloc(gql_scalar_call *call, size_t size)
{
    return call ? gqlx_arena_alloc(call->arena, size ? size : 1, 16) : NULL;
}

gql_value gql_scalar_fail(gql_scalar_call *call, const char *fmt, ...)
{
    gql_value v = gqlx_error_value();
    if (call != NULL && call->msg != NULL && fmt != NULL) {
        va_list ap;
        va_start(ap, fmt);
        gqlx_buf_vprintf(call->msg, fmt, ap);
        va_end(ap);
    }
    return v;
}

bool gqlx_value_to_json(gqlx_arena *a, gql_value v, gqlx_json *out)
{
    switch (v.kind) {
    case GQL_VALUE_NULL:
        gqlx_json_set_null(out);
        return true;
    case GQL_VALUE_BOOL:
        gqlx_json_set_bool(out, v.u.boolean != 0);
        return true;
    case GQL_VALUE_INT:
        memset(out, 0, sizeof *out);
        out->kind = GQLX_JSON_NUMBER;
        out->flags = GQLX_JSON_INTEGER | GQLX_JSON_INT64;
        out->i64 = v.u.i;
        out->d = (double)v.u.i;
        return true;
    case GQL_VALUE_FLOAT:
        gqlx_json_set_number(out, v.u.f);
        return true;
    case GQL_VALUE_STRING:
        gqlx_json_set_string(out, v.u.str, v.len);
        return true;
    case GQL_VALUE_JSON:
        if (v.u.json == NULL)
            gqlx_json_set_null(out);
        else
            *out = *(const gqlx_json *)(const void *)v.u.json;
        return true;
    case GQL_VALUE_LIST: {
        gqlx_json *items = v.len ? GQLX_ARRAY(a, gqlx_json, v.len) : NULL;
        if (v.len && items == NULL)
            return false;
        for (uint32_t i = 0; i < v.len; i++)
            if (!gqlx_value_to_json(a, v.u.items[i], &items[i]))
                return false;
        memset(out, 0, sizeof *out);
        out->kind = GQLX_JSON_ARRAY;
        out->len = v.len;
        out->u.items = items;
        return true;
    }
    default:
        return false;
    }
}
