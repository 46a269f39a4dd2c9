/* src/server/url.h — percent-decoding and query-string / form iteration
 * (application/x-www-form-urlencoded), shared by the router, the request
 * accessors and GraphQL over HTTP. */
#ifndef GQLX_SERVER_URL_H
#define GQLX_SERVER_URL_H

#include <stdbool.h>
#include <stddef.h>

#include "core/slice.h"

/* Decodes n bytes of percent-encoded text into dst (room for n bytes; it
 * may be src itself), '+' as a space when plus_as_space. Returns the
 * decoded length, or (size_t)-1 for a malformed escape ("%4", "%zz").
 * The result is not NUL-terminated and may hold any byte. */
size_t gqlx_url_decode(char *dst, const char *src, size_t n, bool plus_as_space);

/* Iterates the '&'-separated pairs of a query string or form body:
 * starting with *pos == 0, each call stores the next pair's raw (still
 * encoded) name and value — a pair without '=' has an empty value — and
 * returns true; false at the end. Empty pairs ("a=1&&b=2") are skipped. */
bool gqlx_query_next(const char *s, size_t len, size_t *pos, gqlx_slice *name,
                     gqlx_slice *value);

#endif
