/* src/execution/error_json.h — writing GraphQL errors as JSON objects, in
 * the member order of graphql-js's GraphQLError.toJSON(): message,
 * locations, path, extensions. */
#ifndef GQLX_ERROR_JSON_H
#define GQLX_ERROR_JSON_H

#include <stddef.h>

#include "core/buf.h"
#include "gql/errors.h"

/* Appends `{"message":"..."` (the object stays open). */
void gqlx_error_json_begin(gqlx_buf *b, const char *message, size_t len);

/* Appends `,"locations":[{"line":1,"column":2},...]`; nothing when n is 0. */
void gqlx_error_json_locations(gqlx_buf *b, const gql_location *locs, size_t n);

/* Appends a whole error without path: `{"message":...,"locations":[...]}`. */
void gqlx_error_json(gqlx_buf *b, const char *message, size_t len, const gql_location *locs,
                     size_t n);

#endif
