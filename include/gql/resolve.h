/* include/gql/resolve.h — writing resolvers in C.
 *
 * A resolver computes one field's value. It receives the parent value (the
 * object the field is selected on: the root value for root fields, else
 * what the parent field's resolver returned) and a gql_info handle that
 * gives the coerced arguments, the request's context, the user identity,
 * the request arena, and facts about the field (name, path, return type,
 * the selection below it). It returns a gql_value (value.h).
 *
 * A field without a resolver of its own uses its type's resolver if one is
 * bound (builder.h), else the default resolver: for a JSON object parent it
 * returns the member named like the field (absent members are null), for
 * anything else null — as graphql-js's defaultFieldResolver does.
 *
 * A gql_info is valid only during the resolver call: keep what you need
 * from it (a pending value's token stays valid on its own). Resolvers of
 * one request run on the thread that executes the request, one at a
 * time. */
#ifndef GQL_RESOLVE_H
#define GQL_RESOLVE_H

#include <stdint.h>

#include "gql/common.h"
#include "gql/json.h"
#include "gql/value.h"

GQL_BEGIN_DECLS

typedef struct gql_info gql_info;

/* A field resolver. */
typedef gql_value (*gql_resolve_fn)(gql_info *info, gql_value parent);

/* A type resolver for an interface or union: returns the name of the
 * object type of `value` (NUL-terminated; NULL when unknown). Without one,
 * the engine takes the name from an OBJECT value's `type`, or from a JSON
 * object's "__typename" string member. data is what was bound with it. */
typedef const char *(*gql_resolve_type_fn)(gql_info *info, gql_value value, void *data);

/* ---- arguments -------------------------------------------------------- */

/* The coerced value of argument `name`: what the query gave (variables
 * substituted), else the argument's default. NULL when the argument has
 * neither. Values follow the argument's type: Int and Float are numbers,
 * String, ID and enum values are strings, input objects are objects with
 * their fields in definition order, lists are arrays. */
GQL_EXTERN const gql_json *gql_arg(const gql_info *info, const char *name);

/* All coerced arguments as one JSON object, in definition order (never
 * NULL; empty when the field has no arguments). */
GQL_EXTERN const gql_json *gql_args(const gql_info *info);

/* Conveniences over gql_arg: the argument's value, or `fallback` when it
 * is absent or null. gql_arg_string also stores the length in *len (when
 * len is not NULL) and returns a pointer that is not NUL-terminated. */
GQL_EXTERN int64_t gql_arg_int(const gql_info *info, const char *name, int64_t fallback);
GQL_EXTERN double gql_arg_float(const gql_info *info, const char *name, double fallback);
GQL_EXTERN int gql_arg_bool(const gql_info *info, const char *name, int fallback);
GQL_EXTERN const char *gql_arg_string(const gql_info *info, const char *name, size_t *len);

/* ---- the request -------------------------------------------------------- */

/* The application data given with the request (gql_request.context). */
GQL_EXTERN void *gql_info_context(const gql_info *info);

/* The user identity given with the request (gql_request.user). */
GQL_EXTERN void *gql_info_user(const gql_info *info);

/* The data bound together with the resolver (builder.h). */
GQL_EXTERN void *gql_info_data(const gql_info *info);

/* ---- the field -------------------------------------------------------- */

/* The field's name in the schema, and the name of the type it belongs to
 * (NUL-terminated, valid as long as the schema). */
GQL_EXTERN const char *gql_info_field_name(const gql_info *info);
GQL_EXTERN const char *gql_info_parent_type(const gql_info *info);

/* The field's type as GraphQL writes it ("[Human!]!"), NUL-terminated, in
 * the request arena; NULL when memory runs out. */
GQL_EXTERN const char *gql_info_return_type(gql_info *info);

/* The operation's type: 0 query, 1 mutation, 2 subscription. */
GQL_EXTERN int gql_info_operation(const gql_info *info);

/* One step of a response path: a response key (an alias or field name) or
 * a list index. */
typedef struct gql_path_step {
    const char *key; /* NULL for a list index; else not NUL-terminated */
    size_t key_len;
    size_t index;
} gql_path_step;

/* Number of steps from the response root to this field (1 for a root
 * field). */
GQL_EXTERN size_t gql_info_path_length(const gql_info *info);

/* Step i of the path, 0 being the root field's response key. Out-of-range
 * i gives a step with key NULL and index 0. */
GQL_EXTERN gql_path_step gql_info_path_step(const gql_info *info, size_t i);

/* Look-ahead: the names of the fields selected directly below this field
 * (fragments expanded, @skip and @include applied, duplicates merged,
 * __typename included), for the field's type or — for an interface or
 * union — for every possible type, in selection order. 0 for leaf fields. */
GQL_EXTERN size_t gql_info_selection_count(gql_info *info);
GQL_EXTERN const char *gql_info_selection_name(gql_info *info, size_t i);

/* 1 when a field named `name` is selected directly below this field. */
GQL_EXTERN int gql_info_selects(gql_info *info, const char *name);

/* ---- memory ------------------------------------------------------------- */

/* size bytes from the request arena, aligned for any type, released with
 * the response. NULL when the request's memory limit is reached. */
GQL_EXTERN void *gql_alloc(gql_info *info, size_t size);

/* n null values from the request arena (to fill and return as a list). */
GQL_EXTERN gql_value *gql_alloc_values(gql_info *info, size_t n);

/* A string value holding a copy of s[0..len) in the request arena (null
 * when memory runs out). */
GQL_EXTERN gql_value gql_string_copy(gql_info *info, const char *s, size_t len);

/* A string value that takes ownership of s, a block from malloc(): the
 * engine calls free(s) when the request ends (at once if memory runs
 * out, returning null then). */
GQL_EXTERN gql_value gql_string_owned(gql_info *info, char *s, size_t len);

/* Registers fn(arg) to run when the request's response is released (for
 * memory or references the application's values point into). Returns
 * GQL_OK or GQL_ENOMEM (fn is then called at once). */
GQL_EXTERN int gql_on_release(gql_info *info, void (*fn)(void *arg), void *arg);

/* ---- errors ------------------------------------------------------------ */

/* Records a field error with a printf-formatted message, located at the
 * field (its locations in the query and its path), and returns the value
 * that makes the field null: `return gql_error(info, "no hero %d", id);`.
 * If the field is non-null, the null propagates to the nearest nullable
 * parent, as the specification says. */
GQL_EXTERN gql_value gql_error(gql_info *info, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Like gql_error, with `extensions`: the text of a JSON object that the
 * error carries as its "extensions" member (e.g. {"code":"NOT_FOUND"}).
 * Text that is not a JSON object is left out. */
GQL_EXTERN gql_value gql_error_ext(gql_info *info, const char *extensions, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Like gql_error, for a failure the client should not see the details of
 * (a database error, a broken invariant): the error's message is
 * "Unexpected error." unless gql_exec_opts.expose_internal_errors is set
 * (a server's debug mode), then the printf-formatted one; either way it
 * carries the extensions {"code":"INTERNAL_SERVER_ERROR"}. Log the detail
 * yourself if you need it in production. */
GQL_EXTERN gql_value gql_error_internal(gql_info *info, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ---- custom scalars ----------------------------------------------------- */

/* The context of a custom scalar callback. */
typedef struct gql_scalar_call gql_scalar_call;

/* The data given in gql_scalar_funcs. */
GQL_EXTERN void *gql_scalar_data(const gql_scalar_call *call);

/* Memory from the request arena, as gql_alloc. */
GQL_EXTERN void *gql_scalar_alloc(gql_scalar_call *call, size_t size);

/* Fails the call with a printf-formatted reason; return its result. For
 * serialize the field gets the error; for parsing, the message becomes part
 * of graphql-js's "Variable ... got invalid value" or "Argument ... has
 * invalid value" message. */
GQL_EXTERN gql_value gql_scalar_fail(gql_scalar_call *call, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Output coercion: a resolver's value -> the value to write in the
 * response (null, a boolean, a number, a string or a JSON value). */
typedef gql_value (*gql_serialize_fn)(gql_scalar_call *call, gql_value value);

/* Input coercion of a JSON variable value (never null) -> the internal
 * value resolvers receive as an argument (null, a boolean, a number, a
 * string, a list of those, or a JSON value). */
typedef gql_value (*gql_parse_value_fn)(gql_scalar_call *call, const gql_json *input);

/* Input coercion of a literal in the query (never null), given as the JSON
 * value it spells (graphql-js's valueFromASTUntyped, variables inside
 * substituted) -> the internal value, as parse_value. */
typedef gql_value (*gql_parse_literal_fn)(gql_scalar_call *call, const gql_json *literal);

/* A custom scalar's behaviour. A NULL callback passes values through
 * unchanged, as graphql-js does for a scalar without functions. */
typedef struct gql_scalar_funcs {
    gql_serialize_fn serialize;
    gql_parse_value_fn parse_value;
    gql_parse_literal_fn parse_literal;
    void *data;
} gql_scalar_funcs;

GQL_END_DECLS

#endif
