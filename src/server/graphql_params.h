/* src/server/graphql_params.h — the parameters of GraphQL requests (query,
 * operationName, variables, extensions) read from an HTTP request: a GET's
 * query string, a JSON body (one request, or an array of them: a batch),
 * an application/graphql body, a url-encoded form, or the fields of a
 * multipart form.
 *
 * It does no I/O: the endpoint hands it the method, the body's kind, the
 * raw query string and the body, so unit tests and the fuzzer drive it
 * directly. Everything it makes lives in the arena it is given; strings
 * without escapes point into the input, which must outlive the result. */
#ifndef GQLX_SERVER_GRAPHQL_PARAMS_H
#define GQLX_SERVER_GRAPHQL_PARAMS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/json.h"
#include "core/slice.h"
#include "server/media_type.h"

/* The parameters of one GraphQL request. */
typedef struct gqlx_gql_params {
    const char *query; /* never NULL in a successful result */
    size_t query_len;
    const char *operation_name;  /* NUL-terminated; NULL when absent or null */
    const gqlx_json *variables;  /* a JSON object, or NULL */
    const gqlx_json *extensions; /* a JSON object, or NULL (not used yet) */
} gqlx_gql_params;

/* Plain fields of a form the caller has parsed (multipart): get stores the
 * value of the first field called name in *value and returns true, or
 * returns false when there is none. */
typedef struct gqlx_params_fields {
    bool (*get)(void *ctx, const char *name, gqlx_slice *value);
    void *ctx;
} gqlx_params_fields;

/* What the endpoint knows about the HTTP request. */
typedef struct gqlx_params_input {
    bool post;                /* POST; otherwise GET */
    gqlx_body_kind kind;      /* from the Content-Type (POST only) */
    const char *query_string; /* raw, after '?'; may be NULL when len is 0 */
    size_t query_string_len;
    /* The body: JSON, GraphQL or url-encoded text, or for a multipart form
     * that has one, its "operations" field (read as a JSON body). */
    const char *body;
    size_t body_len;
    /* A multipart form without "operations": its plain fields (the body
     * is then ignored). */
    const gqlx_params_fields *fields;
} gqlx_params_input;

/* The endpoint's options that bear on reading parameters. */
typedef struct gqlx_params_opts {
    bool read_query_string_on_post;
    bool read_variables_from_query_string;
    bool read_extensions_from_query_string;
    bool read_form;          /* url-encoded and multipart bodies are allowed */
    bool batching;           /* JSON arrays of requests are allowed */
    unsigned max_batch_size; /* 0: no limit */
    gqlx_json_opts json;     /* limits of every JSON text read */
} gqlx_params_opts;

/* Fills *o with the endpoint defaults (query string read on POST,
 * variables and extensions read from it, forms off, batches of at most
 * 100, the JSON reader's default limits). */
void gqlx_params_opts_init(gqlx_params_opts *o);

/* The result: one request, or a batch of count (>= 1) requests. */
typedef struct gqlx_params {
    gqlx_gql_params *items;
    size_t count;
    bool batch;
    /* When gqlx_params_extract fails: the HTTP status and why (a full
     * sentence, NUL-terminated, in the arena or static). */
    int status;
    const char *message;
} gqlx_params;

/* Reads the parameters of in. Returns 0, or the HTTP status to answer
 * with (also stored in out->status, with out->message):
 *   400  the JSON body is malformed or empty, is neither an object nor an
 *        array of objects, a parameter has the wrong type (query not a
 *        string, operationName not a string or null, variables or
 *        extensions not an object or null, or not JSON text where text is
 *        expected), the query is missing, a batch is empty, too large or
 *        not allowed, or the query string has a malformed escape;
 *   415  POST without a Content-Type, or one the endpoint does not read
 *        (forms while read_form is off, a charset other than UTF-8 is the
 *        caller's check);
 *   500  the arena ran out.
 * On POST, with read_query_string_on_post, the query string fills what a
 * single request's body leaves out (never a batch's); on GET only the
 * query string counts. Later duplicates of a parameter are ignored.
 * Never fails in any other way, whatever the bytes. */
int gqlx_params_extract(gqlx_arena *a, const gqlx_params_input *in, const gqlx_params_opts *o,
                        gqlx_params *out);

#endif
