/* src/core/slice.h — {pointer, length} views of bytes owned elsewhere. */
#ifndef GQLX_SLICE_H
#define GQLX_SLICE_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

typedef struct gqlx_slice {
    const char *ptr;
    size_t len;
} gqlx_slice;

#define GQLX_SLICE_LIT(s) ((gqlx_slice){(s), sizeof(s) - 1})

static inline gqlx_slice gqlx_slice_make(const char *ptr, size_t len)
{
    return (gqlx_slice){ptr, len};
}

static inline gqlx_slice gqlx_slice_cstr(const char *s)
{
    return (gqlx_slice){s, strlen(s)};
}

static inline bool gqlx_slice_eq(gqlx_slice a, gqlx_slice b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

static inline bool gqlx_slice_eq_cstr(gqlx_slice a, const char *s)
{
    size_t n = strlen(s);
    return a.len == n && memcmp(a.ptr, s, n) == 0;
}

#endif
