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

/* Whether a[0..n) and b[0..n) hold the same bytes. Names and JSON keys
 * are short: up to 16 bytes they are compared with two overlapping loads
 * each instead of a call. */
static inline bool gqlx_bytes_eq(const char *a, const char *b, size_t n)
{
    if (n >= 8) {
        if (n > 16)
            return memcmp(a, b, n) == 0;
        unsigned long long a0, a1, b0, b1;
        memcpy(&a0, a, 8);
        memcpy(&b0, b, 8);
        memcpy(&a1, a + n - 8, 8);
        memcpy(&b1, b + n - 8, 8);
        return ((a0 ^ b0) | (a1 ^ b1)) == 0;
    }
    if (n >= 4) {
        unsigned a0, a1, b0, b1;
        memcpy(&a0, a, 4);
        memcpy(&b0, b, 4);
        memcpy(&a1, a + n - 4, 4);
        memcpy(&b1, b + n - 4, 4);
        return ((a0 ^ b0) | (a1 ^ b1)) == 0;
    }
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return false;
    return true;
}

static inline bool gqlx_slice_eq(gqlx_slice a, gqlx_slice b)
{
    return a.len == b.len && gqlx_bytes_eq(a.ptr, b.ptr, a.len);
}

static inline bool gqlx_slice_eq_cstr(gqlx_slice a, const char *s)
{
    size_t n = strlen(s);
    return a.len == n && memcmp(a.ptr, s, n) == 0;
}

#endif
