/* include/gql/errors.h — located GraphQL errors, as values.
 *
 * Functions that can report diagnostics (syntax errors, schema errors,
 * validation errors) take a `gql_errors **errs` that may be NULL. On
 * failure *errs receives a list of errors, each with a message and zero or
 * more source locations (line and column, both from 1; columns count
 * UTF-16 code units, as graphql-js does). The list is owned by the caller
 * and released with gql_errors_free(). */
#ifndef GQL_ERRORS_H
#define GQL_ERRORS_H

#include "gql/common.h"

GQL_BEGIN_DECLS

typedef struct gql_errors gql_errors;

typedef struct gql_location {
    unsigned line;
    unsigned column;
} gql_location;

/* Number of errors in the list; 0 for NULL. */
GQL_EXTERN size_t gql_errors_count(const gql_errors *errs);

/* The message of error i (0-based), NUL-terminated, valid until the list is
 * freed; NULL if i is out of range. */
GQL_EXTERN const char *gql_errors_message(const gql_errors *errs, size_t i);

/* Stores in *locs the locations of error i and returns how many there are
 * (0 when i is out of range, *locs then NULL). Valid until the list is
 * freed. */
GQL_EXTERN size_t gql_errors_locations(const gql_errors *errs, size_t i,
                                       const gql_location **locs);

/* Releases the list. Passing NULL does nothing. */
GQL_EXTERN void gql_errors_free(gql_errors *errs);

GQL_END_DECLS

#endif
