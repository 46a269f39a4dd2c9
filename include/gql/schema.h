/* include/gql/schema.h — GraphQL schemas built from SDL.
 *
 * A gql_schema is built once from schema definition language text (type,
 * interface, union, enum, input, scalar and directive definitions, a schema
 * definition and every `extend` form) and is immutable afterwards. Building
 * behaves as graphql-js 17's buildSchema(): the same checks with the same
 * messages and locations, the built-in scalars (Int, Float, String,
 * Boolean, ID), the specified directives (@include, @skip, @deprecated,
 * @specifiedBy, @oneOf) and the introspection types added, and the same
 * order of types. Printing gives graphql-js's printSchema() output byte
 * for byte. */
#ifndef GQL_SCHEMA_H
#define GQL_SCHEMA_H

#include "gql/common.h"
#include "gql/errors.h"

GQL_BEGIN_DECLS

typedef struct gql_schema gql_schema; /* immutable once built; share freely */

typedef struct gql_schema_opts {
    /* Skip validation of the SDL and of the built schema (graphql-js's
     * assumeValid together with assumeValidSDL). Only for SDL known to be
     * valid: an invalid schema then builds, possibly with surprising
     * content (duplicate definitions: the last one wins, as in graphql-js),
     * but never crashes. Things that cannot be represented at all (a
     * reference to an unknown type) still fail with GQL_ESCHEMA.
     * Default 0. */
    int assume_valid;
    /* Most bytes of memory the schema may take (its text, syntax tree and
     * model together); passing it fails the build with GQL_ENOMEM.
     * 0 means no cap. Default 1 GiB. */
    size_t max_bytes;
    /* Most tokens the SDL may have (comments not counted); more is a
     * syntax error. Default 1,000,000 (GitHub's public schema has about
     * 61,000). */
    unsigned max_tokens;
} gql_schema_opts;

/* Sets every field of *opts to its default. */
GQL_EXTERN void gql_schema_opts_init(gql_schema_opts *opts);

/* Builds a schema from len bytes of UTF-8 SDL text (no terminator needed;
 * the text is copied, so the caller may release it at once).
 *
 * Returns GQL_OK and stores the schema in *out, to be released with
 * gql_schema_free(). Otherwise sets *out to NULL and returns:
 *   GQL_ESYNTAX  the text is not valid GraphQL; *errs holds one error;
 *   GQL_ESCHEMA  the SDL or the schema it describes is invalid; *errs holds
 *                every error found, with graphql-js's messages and the
 *                locations of the definitions concerned;
 *   GQL_ENOMEM   memory ran out or opts->max_bytes was reached;
 *   GQL_EINVAL   out is NULL, or sdl is NULL with len > 0.
 * If errs is not NULL, *errs is set to NULL on success and to the error
 * list (release with gql_errors_free()) on GQL_ESYNTAX and GQL_ESCHEMA.
 * opts may be NULL for the defaults.
 * Thread-safe: builds share nothing. */
GQL_EXTERN int gql_schema_build(gql_schema **out, const char *sdl, size_t len,
                                const gql_schema_opts *opts, gql_errors **errs);

/* Prints the schema as graphql-js's printSchema() does (no trailing
 * newline): built-in scalars, introspection types and specified
 * directives are left out; the schema definition appears only when it
 * carries a description or names root types other than Query, Mutation
 * and Subscription.
 * On success returns GQL_OK and stores a NUL-terminated string in *text
 * (and its length in *len if len is not NULL), to be released with
 * gql_free(). Returns GQL_ENOMEM or GQL_EINVAL (schema or text NULL).
 * A schema may be printed from several threads at once. */
GQL_EXTERN int gql_schema_print(const gql_schema *schema, char **text, size_t *len);

/* Number of named types in the schema, built-in scalars in use and
 * introspection types included (graphql-js's getTypeMap() size). 0 for
 * NULL. */
GQL_EXTERN size_t gql_schema_type_count(const gql_schema *schema);

/* Name of type i (0-based) in graphql-js's type-map order, NUL-terminated
 * and valid as long as the schema; NULL if i is out of range. */
GQL_EXTERN const char *gql_schema_type_name(const gql_schema *schema, size_t i);

/* Releases a schema. Passing NULL does nothing. No other thread may be
 * using the schema. */
GQL_EXTERN void gql_schema_free(gql_schema *schema);

GQL_END_DECLS

#endif
