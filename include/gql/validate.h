/* include/gql/validate.h — validating documents against a schema.
 *
 * Validation checks an executable document (operations and fragments)
 * against a schema with every rule of the GraphQL specification (September
 * 2025 edition, section 5), as graphql-js 17's validate() does with its
 * specifiedRules: the same rules, the same messages and locations, in the
 * same order, stopping after a limit with graphql-js's final "Too many
 * validation errors" error. A document that passes can be executed. */
#ifndef GQL_VALIDATE_H
#define GQL_VALIDATE_H

#include "gql/common.h"
#include "gql/document.h"
#include "gql/errors.h"
#include "gql/schema.h"

GQL_BEGIN_DECLS

typedef struct gql_validate_opts {
    /* Most errors reported; one more error then says the limit was reached
     * and validation stopped. Default 100 (graphql-js's maxErrors). */
    unsigned max_errors;
    /* Reject introspection: any field of an introspection type (__schema,
     * __type and everything below) is an error, as with graphql-js's
     * NoSchemaIntrospectionCustomRule. Default 0. */
    int disable_introspection;
} gql_validate_opts;

/* Sets every field of *opts to its default. */
GQL_EXTERN void gql_validate_opts_init(gql_validate_opts *opts);

/* Validates doc against schema.
 *
 * Returns GQL_OK when the document is valid (then *errs, if errs is not
 * NULL, is set to NULL). Returns GQL_EVALIDATION when it is not; if errs
 * is not NULL, *errs receives the list of errors (release it with
 * gql_errors_free()). Returns GQL_ENOMEM when memory runs out (*errs is
 * then NULL) and GQL_EINVAL when schema or doc is NULL. opts may be NULL
 * for the defaults.
 * Thread-safe: schema and doc are only read, so one schema and one
 * document may be validated from several threads at once. */
GQL_EXTERN int gql_validate(const gql_schema *schema, const gql_document *doc,
                            const gql_validate_opts *opts, gql_errors **errs);

GQL_END_DECLS

#endif
