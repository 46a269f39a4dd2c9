/* src/language/source.h — a GraphQL source text and positions within it.
 *
 * Positions inside the library are byte offsets. Users see line and column
 * numbers as graphql-js reports them: lines split at "\r\n", "\n" or "\r",
 * both counted from 1, and columns counted in UTF-16 code units, so that
 * locations agree with JavaScript tools for non-ASCII documents too. */
#ifndef GQLX_SOURCE_H
#define GQLX_SOURCE_H

#include <stddef.h>
#include <stdint.h>

typedef struct gqlx_source {
    const char *body; /* not NUL-terminated necessarily; len bytes */
    size_t len;
    const char *name; /* file name for messages, e.g. "GraphQL request" */
} gqlx_source;

typedef struct gqlx_location {
    uint32_t line;
    uint32_t column;
} gqlx_location;

static inline gqlx_source gqlx_source_make(const char *name, const char *body, size_t len)
{
    gqlx_source s = {body, len, name};
    return s;
}

/* Line and UTF-16 column of byte offset `offset` (at most len). Scans from
 * the start of the text: O(offset). */
gqlx_location gqlx_source_location(const gqlx_source *src, size_t offset);

/* Byte offset of a pointer into the source body. */
static inline uint32_t gqlx_source_offset(const gqlx_source *src, const char *p)
{
    return (uint32_t)(p - src->body);
}

#endif
