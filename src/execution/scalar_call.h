/* src/execution/scalar_call.h — calling an application's custom scalar
 * functions (include/gql/resolve.h) from input and output coercion. */
#ifndef GQLX_SCALAR_CALL_H
#define GQLX_SCALAR_CALL_H

#include <stdbool.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/json.h"
#include "gql/resolve.h"

struct gql_scalar_call {
    gqlx_arena *arena;
    void *data;
    gqlx_buf *msg; /* receives gql_scalar_fail's reason; may be NULL */
};

/* The value that stands for a failed field or call (the error itself is
 * recorded elsewhere). */
static inline gql_value gqlx_error_value(void)
{
    gql_value v = gql_null();
    v.kind = GQL_VALUE_ERROR;
    return v;
}

void gqlx_scalar_call_init(gql_scalar_call *c, gqlx_arena *a, void *data, gqlx_buf *msg);

/* The JSON DOM form of a value: null, booleans, numbers, strings, lists
 * of them and JSON values. False for other kinds (application objects,
 * errors, pending values) or when memory fails. */
bool gqlx_value_to_json(gqlx_arena *a, gql_value v, gqlx_json *out);

#endif
