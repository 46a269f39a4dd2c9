/* src/core/errors.h — building gql_errors lists inside the library. */
#ifndef GQLX_ERRORS_H
#define GQLX_ERRORS_H

#include <stdbool.h>

#include "core/arena.h"
#include "gql/errors.h"

typedef struct gqlx_error {
    const char *message;
    gql_location *locations;
    size_t location_count;
} gqlx_error;

struct gql_errors {
    gqlx_arena arena; /* messages, locations and the item array */
    gqlx_error *items;
    size_t count;
    size_t cap;
};

/* A new empty list, or NULL when memory is exhausted. */
gql_errors *gqlx_errors_new(void);

/* Appends an error with a copy of message and of the n locations. Returns
 * false when memory is exhausted (the list is unchanged then). */
bool gqlx_errors_add(gql_errors *errs, const char *message, const gql_location *locs, size_t n);

#endif
