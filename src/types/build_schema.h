/* src/types/build_schema.h — building a gqlx_schema from SDL text.
 *
 * The equivalent of graphql-js 17's buildSchema(): parse, check the SDL
 * (schema_validate.h, stage 1), build the immutable model of schema.h with
 * every `extend` applied, the built-in scalars, directives and
 * introspection types added and the type map ordered as graphql-js orders
 * it, then check the built schema (stage 2). The public gql_schema API
 * (include/gql/schema.h) is a thin layer over this. */
#ifndef GQLX_BUILD_SCHEMA_H
#define GQLX_BUILD_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

#include "gql/errors.h"
#include "gql/schema.h"
#include "gql/status.h"
#include "language/parser.h"
#include "types/schema.h"

/* The public handle is the model itself; the wrapper keeps the model's
 * layout private to the library. */
struct gql_schema {
    gqlx_schema impl;
};

static inline const gqlx_schema *gqlx_schema_of(const gql_schema *s)
{
    return &s->impl;
}

typedef struct gqlx_build_opts {
    gqlx_parse_opts parse;
    bool assume_valid; /* skip both validation stages (graphql-js's
                          assumeValid + assumeValidSDL) */
    size_t max_bytes;  /* cap of the schema's arena; 0 = none */
} gqlx_build_opts;

/* Builds a schema from len bytes of SDL (copied; the caller may release
 * text at once). src_name names the text in the kept source ("schema"
 * if NULL).
 *
 * Returns GQL_OK and *out, to be released with gqlx_schema_free().
 * Otherwise *out is NULL and the result is GQL_ESYNTAX (one syntax error
 * appended to errs), GQL_ESCHEMA (the validation or build errors appended
 * to errs, each located in the SDL) or GQL_ENOMEM (the system allocator or
 * max_bytes failed). errs may be NULL; errors are then only counted. */
int gqlx_schema_build(gqlx_schema **out, const char *text, size_t len, const char *src_name,
                      const gqlx_build_opts *opts, gql_errors *errs);

/* Releases a schema built by gqlx_schema_build; NULL does nothing. */
void gqlx_schema_free(gqlx_schema *s);

/* Appends graphql-js's printSchema() output (no trailing newline) to out.
 * scratch supplies temporary memory. Failure shows as out->failed or
 * gqlx_arena_failed(scratch). Defined in print_schema.c. */
struct gqlx_buf;
void gqlx_print_schema(struct gqlx_buf *out, const gqlx_schema *s, gqlx_arena *scratch);

/* The built-in SDL, one line per string (introspection.c). */
extern const char *const gqlx_builtin_sdl_lines[];
extern const size_t gqlx_builtin_sdl_line_count;

#endif
