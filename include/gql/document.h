/* include/gql/document.h — parsing and printing GraphQL documents.
 *
 * A gql_document holds the syntax tree of one GraphQL document: an
 * executable document (operations and fragments), a type-system document
 * (SDL), or a mix. Parsing follows the GraphQL specification (September
 * 2025 edition) and reports syntax errors with graphql-js's messages and
 * locations; printing gives graphql-js's print() output byte for byte. */
#ifndef GQL_DOCUMENT_H
#define GQL_DOCUMENT_H

#include "gql/common.h"
#include "gql/errors.h"

GQL_BEGIN_DECLS

typedef struct gql_document gql_document; /* immutable once parsed */

typedef struct gql_parse_opts {
    /* Most tokens a document may have (comments not counted); reaching it
     * is a syntax error. Default 1,000,000. */
    unsigned max_tokens;
    /* Deepest nesting of selection sets, list and object values and list
     * types. The parser uses stack in proportion to it. Default 256. */
    unsigned max_depth;
    /* Longest text accepted, in bytes; a longer one is a syntax error
     * ("Document is too large."). 0 means no limit below the hard one of
     * 4 GiB. Default 64 MiB. */
    size_t max_bytes;
    /* Accept empty selection sets `{}`, which the specification forbids
     * (graphql-js 17 accepts them by default). Default 0. */
    int allow_empty_selection_sets;
} gql_parse_opts;

/* Sets every field of *opts to its default. */
GQL_EXTERN void gql_parse_opts_init(gql_parse_opts *opts);

/* Parses len bytes of UTF-8 text (no terminator needed; the text is
 * copied, so the caller may release it at once).
 *
 * Returns GQL_OK and stores the document in *out (release it with
 * gql_document_free()). On a syntax error returns GQL_ESYNTAX, sets *out to
 * NULL and, if errs is not NULL, stores in *errs a list with one error:
 * "Syntax Error: ..." and its location (release with gql_errors_free()).
 * Returns GQL_ENOMEM when memory runs out, GQL_EINVAL when out is NULL or
 * text is NULL with len > 0. opts may be NULL for the defaults.
 * Thread-safe: documents share nothing. */
GQL_EXTERN int gql_document_parse(gql_document **out, const char *text, size_t len,
                                  const gql_parse_opts *opts, gql_errors **errs);

/* Prints the document as graphql-js's print() does (no trailing newline).
 * On success returns GQL_OK and stores a NUL-terminated string in *text
 * (and its length in *len if len is not NULL), to be released with
 * gql_free(). Returns GQL_ENOMEM or GQL_EINVAL (a NULL argument) otherwise.
 * A document may be printed from several threads at once. */
GQL_EXTERN int gql_document_print(const gql_document *doc, char **text, size_t *len);

/* Number of definitions (operations, fragments, types...) in the document. */
GQL_EXTERN size_t gql_document_definition_count(const gql_document *doc);

/* Releases a document. Passing NULL does nothing. */
GQL_EXTERN void gql_document_free(gql_document *doc);

/* Releases memory that a gql_ function returned to the caller for freeing
 * (such as the text of gql_document_print()). NULL does nothing. */
GQL_EXTERN void gql_free(void *ptr);

GQL_END_DECLS

#endif
