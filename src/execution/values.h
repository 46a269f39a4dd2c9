/* src/execution/values.h — input and output coercion of values, the base of
 * execution (graphql-js 17: type/scalars, utilities/coerceInputValue,
 * utilities/validateInputValue and execution/values).
 *
 * Coerced values are gqlx_json DOM values (core/json.h) allocated in the
 * caller's arena:
 *   Int      an integral number (flags INTEGER|INT64, i64 and d agree)
 *   Float    a double number (d; JSON writers print it as JavaScript does)
 *   String   a string          ID  a string (integers become their text)
 *   Boolean  a bool            enum value  its name, as a string
 *   input object  an object whose members follow the type's field order
 *   list     an array          custom scalar  the input, passed through
 * Numbers built here have no original text (len 0): writers print d.
 * Values may share memory with their input (strings, custom scalars): the
 * input DOM and the schema must outlive the result.
 *
 * Messages follow graphql-js 17.1.0 word for word; see the cases in
 * tests/data/coercion and the differential test tests/diff/coercion.test.mjs.
 *
 * Bounded work: recursion follows the input (JSON depth, AST depth: both
 * bounded by their readers) and the type (bounded by the SDL parser), plus
 * input-field default values, which may nest through other input types;
 * GQLX_COERCE_MAX_DEPTH caps the total so a cyclic default (possible only
 * with assume_valid schemas) ends as an invalid value instead of a crash.
 * Nothing here aborts on input; memory failures return GQL_ENOMEM. */
#ifndef GQLX_VALUES_H
#define GQLX_VALUES_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/json.h"
#include "gql/errors.h"
#include "language/ast.h"
#include "language/source.h"
#include "core/limits.h"
#include "types/schema.h"

typedef struct gqlx_coerce_opts {
    /* Errors collected before the "Too many errors" error; 0 means no
     * limit. gqlx_coerce_opts_init sets GQLX_MAX_COERCION_ERRORS. */
    unsigned max_errors;
    /* graphql-js's hideSuggestions: leave out "Did you mean ...?". */
    bool hide_suggestions;
} gqlx_coerce_opts;

/* Fills *opts with the defaults above. */
void gqlx_coerce_opts_init(gqlx_coerce_opts *opts);

/* ---- small DOM helpers (also used by tests and later execution) -------- */

/* Value constructors: fill *out (no allocation). gqlx_json_set_number picks
 * the integer representation when d is integral and fits int64_t. */
void gqlx_json_set_null(gqlx_json *out);
void gqlx_json_set_bool(gqlx_json *out, bool v);
void gqlx_json_set_number(gqlx_json *out, double d);
void gqlx_json_set_string(gqlx_json *out, const char *p, size_t len);

/* Appends graphql-js's inspect() of a JSON value: strings as JSON, numbers
 * as String(n) (Infinity included), arrays "[1, 2]" (ten items, then
 * "... N more items"), objects "{ a: 1 }" with JavaScript's key order
 * (array-index keys first, ascending), and "[Array]"/"[Object]" below two
 * levels of nesting. */
void gqlx_inspect_json(gqlx_buf *out, const gqlx_json *v);

/* gqlx_inspect_json taking its scratch memory (key order) from a. */
void gqlx_inspect_json_a(gqlx_buf *out, const gqlx_json *v, gqlx_arena *a);

/* Stores in *order (allocated in a) the member positions of the object
 * obj in JavaScript's Object.keys order — array-index keys ("0", "42")
 * first, ascending, then the others in text order — and returns their
 * count. *order is NULL when obj has no members or memory fails. */
size_t gqlx_js_key_order(gqlx_arena *a, const gqlx_json *obj, uint32_t **order);

/* ---- leaf types (scalars.c) ------------------------------------------- */

/* graphql-js coerceInputValue of a scalar or enum type (parseValue): the
 * JSON input value `in` (not null) becomes *out. Returns GQL_OK, or
 * GQL_EINVAL with the reason appended to msg ("Int cannot represent
 * non-integer value: 1.5"), or GQL_ENOMEM. msg may be NULL. */
int gqlx_leaf_coerce_input(gqlx_arena *a, const gqlx_type *leaf, const gqlx_json *in,
                           gqlx_json *out, gqlx_buf *msg, bool hide_suggestions);

/* graphql-js coerceInputLiteral of a scalar or enum type (parseLiteral) for
 * a literal that is not a variable and not null. Custom scalars take the
 * untyped value of the literal (valueFromASTUntyped), reading nested
 * variables from `variables` (a coerced-variables object, or NULL).
 * Returns like gqlx_leaf_coerce_input; the message quotes the literal as
 * graphql-js's print() writes it. */
int gqlx_leaf_coerce_literal(gqlx_arena *a, const gqlx_type *leaf, const gqlx_node *lit,
                             const gqlx_json *variables, gqlx_json *out, gqlx_buf *msg,
                             bool hide_suggestions);

/* graphql-js coerceOutputValue (serialize) of a scalar or enum type: a
 * resolver's value `in` becomes the response value *out. Int accepts
 * integral numbers in 32-bit range, booleans (1/0) and numeric strings
 * (JavaScript's Number() rules); Float likewise any finite number; String
 * accepts strings, booleans ("true") and finite numbers (JavaScript's
 * text); Boolean accepts booleans and finite numbers (non-zero is true);
 * ID accepts strings and integral numbers; an enum accepts the name of one
 * of its values; a custom scalar passes anything through. Returns GQL_OK,
 * GQL_EINVAL with graphql-js's message appended to error_message (may be
 * NULL), or GQL_ENOMEM (string results are allocated in a). */
int gqlx_serialize_scalar(gqlx_arena *a, const gqlx_type *leaf, const gqlx_json *in, gqlx_json *out,
                          gqlx_buf *error_message);

/* ---- whole values ----------------------------------------------------- */

/* graphql-js coerceInputValue: the JSON value `in` (NULL means "not
 * provided", JavaScript's undefined) against input type `type`. Returns
 * true with *out set, or false when the value is invalid (no message; use
 * gqlx_coerce_variables for reports). Single values become one-item lists,
 * missing input fields take their schema defaults, @oneOf objects need
 * exactly one non-null field. Returns false too when memory fails (check
 * gqlx_arena_failed). */
bool gqlx_coerce_input_value(gqlx_arena *a, const gqlx_schema *s, const gqlx_json *in,
                             const gqlx_type_ref *type, gqlx_json *out);

/* graphql-js coerceInputLiteral (17's replacement for valueFromAST): the
 * value literal `literal` against `type`, variables read from `variables`
 * (an object of coerced variable values as gqlx_coerce_variables makes, or
 * NULL for none). A variable that is absent from it is "not provided":
 * invalid where a non-null value is required, null inside lists, and a
 * missing field inside input objects (so the field's default applies).
 * Returns true with *out set, false for an invalid value (JavaScript's
 * undefined) or memory failure. */
bool gqlx_coerce_literal(gqlx_arena *a, const gqlx_schema *s, const gqlx_node *literal,
                         const gqlx_type_ref *type, const gqlx_json *variables, gqlx_json *out);

/* graphql-js getVariableValues: coerces the request's `inputs` (a JSON
 * object, or NULL for none; any other kind counts as none) against the
 * variable definitions of `op`. On GQL_OK *out is an object holding one
 * member per variable that has a value (given, or from its default), in
 * definition order; variables neither given nor defaulted are absent.
 * On GQL_EINVAL *out is NULL and the errors were appended to errs (may be
 * NULL), each like graphql-js's:
 *   Variable "$x" has invalid value at .a[0]: Int cannot represent
 *   non-integer value: 1.5
 * located at the variable definition (src gives line and column; no
 * location when src is NULL); at most opts->max_errors of them, then
 * "Too many errors processing variables, error limit reached. Execution
 * aborted." (no location). GQL_ENOMEM when the arena or the error list
 * fails. opts may be NULL for the defaults. */
int gqlx_coerce_variables(gqlx_arena *a, const gqlx_schema *s, const gqlx_operation_def *op,
                          const gqlx_json *inputs, const gqlx_coerce_opts *opts, gqlx_json **out,
                          gql_errors *errs, const gqlx_source *src);

/* Which definition arguments belong to, for messages: a field
 * (`Argument "Query.f(x:)" ...`) or a directive (`Argument "@d(x:)" ...`).
 * Exactly one of the two is set. */
typedef struct gqlx_arg_owner {
    const gqlx_field_decl *field;
    const gqlx_directive_decl *directive;
} gqlx_arg_owner;

/* graphql-js getArgumentValues: coerces the AST arguments `args` given at
 * `node` (the field or directive node, used for locations) against the
 * owner's argument definitions, with the coerced `variables` (or NULL).
 * Arguments not given, or given as a variable that has no value, take
 * their default (or stay absent); a missing required argument is an error.
 * On GQL_OK *out is an object with the coerced arguments in definition
 * order. Like graphql-js, the first problem ends the coercion: GQL_EINVAL
 * appends ONE error to errs (may be NULL), e.g.
 *   Argument "Query.f(x:)" of required type "Int!" was not provided.
 *   Argument "Query.f(x:)" has invalid value at .a: Expected value of
 *   non-null type "Int!" not to be null.
 * located where graphql-js locates it (the node, or the offending value).
 * GQL_ENOMEM when memory fails. */
int gqlx_coerce_arguments(gqlx_arena *a, const gqlx_schema *s, gqlx_arg_owner owner,
                          const gqlx_node *node, const gqlx_argument_list *args,
                          const gqlx_json *variables, const gqlx_coerce_opts *opts, gqlx_json **out,
                          gql_errors *errs, const gqlx_source *src);

/* graphql-js typeFromAST: the schema type a type reference node names
 * ("[Int!]"), wrappers allocated in a; NULL when the named type is
 * unknown or memory fails. */
const gqlx_type_ref *gqlx_type_ref_from_ast(gqlx_arena *a, const gqlx_schema *s,
                                            const gqlx_node *type);

#endif
