/* src/server/upload_request.h — a parsed multipart/form-data body turned
 * into GraphQL request parameters, as the GraphQL multipart request
 * specification lays them out.
 *
 * With an "operations" field: "operations" is a JSON object (or an array
 * of them, a batch), "map" a JSON object whose keys are file field names
 * and whose values are arrays of object paths into the operations
 * ("variables.file", "0.variables.files.1": object keys and array indices
 * separated by dots). Each path must lead to a null, which is replaced by
 * the upload reference {"$upload":N} (include/gql/upload.h), N being the
 * file's position in the uploads table, in map order (a file named by
 * several paths is one entry). The result is the operations as JSON text
 * that the GraphQL layer reads exactly as an application/json body, and
 * the table to put in every gql_request of it (gql_request.uploads).
 * Files the map does not name are left out of the table. The fields may
 * come in any order.
 *
 * Without an "operations" field the form is an ordinary one: the GraphQL
 * layer reads "query", "operationName", "variables" and "extensions" with
 * gqlx_upload_form_field, and there are no uploads. */
#ifndef GQLX_SERVER_UPLOAD_REQUEST_H
#define GQLX_SERVER_UPLOAD_REQUEST_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "gql/upload.h"
#include "server/multipart.h"

typedef struct gqlx_upload_request {
    /* The rewritten operations (NUL-terminated, in the arena), or NULL
     * when the form has no "operations" field. */
    const char *operations;
    size_t operations_len;
    bool batch; /* operations is a JSON array */
    /* The table of uploads (in the arena; it points into the parser's
     * parts, which must outlive it), NULL when there are none. */
    const gql_upload *uploads;
    size_t upload_count;
    /* Why it failed, when the result is not 0: in the arena (or a
     * constant), so it outlives this struct; NULL on success. */
    const char *message;
} gqlx_upload_request;

/* Builds *out from the parts of a completed parser, allocating from
 * arena (the request's). Returns 0, or an HTTP status with out->message:
 *   400  "operations" is not valid JSON or neither an object nor an array
 *        of objects; "map" is missing, not JSON, not an object of arrays
 *        of strings; a path does not exist in the operations or does not
 *        hold null; a file field the map names is missing or is a plain
 *        field;
 *   500  memory ran out (the arena's cap or the system).
 * A form without "operations" gives 0 with operations NULL. */
int gqlx_upload_request_build(gqlx_arena *arena, const gqlx_multipart *mp,
                              gqlx_upload_request *out);

/* The value of the plain field name of the form (the first of several),
 * NUL-terminated, with its length in *len when len is not NULL; NULL when
 * the form has no such plain field (a file of that name does not count). */
const char *gqlx_upload_form_field(const gqlx_multipart *mp, const char *name, size_t *len);

#endif
