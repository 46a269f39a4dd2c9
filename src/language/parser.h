/* src/language/parser.h — GraphQL documents from text.
 *
 * A recursive-descent parser for the whole GraphQL language of the current
 * specification (executable and type-system documents, extensions), with
 * the errors graphql-js's parser reports, at the same positions. It also
 * accepts what graphql-js 17 accepts beyond the specification: directives
 * on directive definitions and `extend directive`. */
#ifndef GQLX_PARSER_H
#define GQLX_PARSER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "language/ast.h"
#include "language/source.h"

typedef struct gqlx_parse_opts {
    /* Most tokens (comments excluded) before the parser gives up with
     * "Document contains more than N tokens. Parsing aborted.". */
    uint32_t max_tokens;
    /* Deepest nesting of selection sets, values and type wrappers. */
    uint32_t max_depth;
    /* Longest source in bytes; 0 means no limit but the hard one of
     * 4 GiB. A longer source fails with "Document is too large.". */
    size_t max_bytes;
    /* Accept `{}` (graphql-js 17's default); the specification does not. */
    bool allow_empty_selection_sets;
} gqlx_parse_opts;

/* Fills *opts with the defaults of core/limits.h. */
void gqlx_parse_opts_init(gqlx_parse_opts *opts);

typedef struct gqlx_syntax_error {
    /* "Syntax Error: ..." in graphql-js's words, allocated in the arena
     * given to the parser; NULL when no error was recorded. */
    const char *message;
    uint32_t offset;  /* byte offset of the error in the source */
    gqlx_location loc; /* line and UTF-16 column of offset */
    bool out_of_memory; /* the arena failed; message is a fixed text */
} gqlx_syntax_error;

/* Parses a whole document. Returns the tree, allocated in `arena`, or NULL
 * on a syntax error, a limit reached or memory exhausted; then *err (if not
 * NULL) describes the failure. opts may be NULL for the defaults. The source
 * text must stay alive and unchanged as long as the tree is used. Invalid
 * UTF-8 in the source is a syntax error at the first bad byte. */
gqlx_document *gqlx_parse(gqlx_arena *arena, const gqlx_source *src,
                          const gqlx_parse_opts *opts, gqlx_syntax_error *err);

/* Parses a single value literal (graphql-js parseValue, or parseConstValue
 * when is_const). Same ownership and failure rules as gqlx_parse. */
gqlx_node *gqlx_parse_value(gqlx_arena *arena, const gqlx_source *src,
                            const gqlx_parse_opts *opts, bool is_const,
                            gqlx_syntax_error *err);

/* Parses a type reference such as "[String!]!" (graphql-js parseType). */
gqlx_node *gqlx_parse_type(gqlx_arena *arena, const gqlx_source *src,
                           const gqlx_parse_opts *opts, gqlx_syntax_error *err);

#endif
