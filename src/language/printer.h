/* src/language/printer.h — AST back to GraphQL text.
 *
 * The output equals graphql-js's print() byte for byte: the same layout,
 * the same choice between "strings" and """block strings""", the same
 * escapes. */
#ifndef GQLX_PRINTER_H
#define GQLX_PRINTER_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/buf.h"
#include "language/ast.h"

/* Appends the printed form of `node` (any kind, a whole document included)
 * to out. `scratch` supplies temporary memory for decoding string values;
 * it is not reset. Failure (memory, or out's cap) shows as out->failed or
 * gqlx_arena_failed(scratch); the output is then incomplete. */
void gqlx_print(gqlx_buf *out, const gqlx_node *node, gqlx_arena *scratch);

/* Appends value as a double-quoted GraphQL string, escaped as graphql-js's
 * printString() does. value is UTF-8 and may contain NUL bytes. */
void gqlx_print_string(gqlx_buf *out, const char *value, size_t len);

/* Appends value as a """block string""" laid out as graphql-js's
 * printBlockString() does (minimize: its `minimize` option). */
void gqlx_print_block_string(gqlx_buf *out, const char *value, size_t len, bool minimize);

/* graphql-js's isPrintableAsBlockString(): whether value survives a round
 * trip through a block string unchanged. */
bool gqlx_printable_as_block_string(const char *value, size_t len);

#endif
