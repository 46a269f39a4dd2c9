/* src/core/buf.h — growable byte buffer with a size cap.
 *
 * Appends never fail loudly: when memory runs out or the cap would be
 * passed, the buffer stops growing and sets a sticky `failed` flag that the
 * caller checks once at the end (the content is then incomplete). The
 * contents are always NUL-terminated when data is not NULL. */
#ifndef GQLX_BUF_H
#define GQLX_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

typedef struct gqlx_buf {
    char *data;
    size_t len;
    size_t cap; /* bytes allocated for data */
    size_t max; /* most bytes of content allowed; 0 = no cap */
    bool failed;
} gqlx_buf;

/* Prepares an empty buffer; max 0 means no cap. Takes no memory yet. */
void gqlx_buf_init(gqlx_buf *b, size_t max);
/* Releases the memory; the buffer is empty and usable again. */
void gqlx_buf_free(gqlx_buf *b);
/* Empties the buffer but keeps its memory; clears the failure flag. */
void gqlx_buf_clear(gqlx_buf *b);
/* Makes room for `more` bytes beyond len; false (and failed set) if not. */
bool gqlx_buf_reserve(gqlx_buf *b, size_t more);
/* Hands the data to the caller (free with gqlx_free) and empties b. */
char *gqlx_buf_detach(gqlx_buf *b, size_t *len);

/* Copies n bytes from s to d: short copies (keys, names, numbers: most
 * of a response) with two overlapping loads and stores instead of a call;
 * longer ones with memcpy. */
static inline void gqlx_copy(char *d, const void *s, size_t n)
{
    const char *c = s;
    if (n > 16) {
        memcpy(d, s, n);
    } else if (n >= 8) {
        unsigned long long a, z;
        memcpy(&a, c, 8);
        memcpy(&z, c + n - 8, 8);
        memcpy(d, &a, 8);
        memcpy(d + n - 8, &z, 8);
    } else if (n >= 4) {
        unsigned a, z;
        memcpy(&a, c, 4);
        memcpy(&z, c + n - 4, 4);
        memcpy(d, &a, 4);
        memcpy(d + n - 4, &z, 4);
    } else if (n > 0) {
        d[0] = c[0];
        d[n / 2] = c[n / 2];
        d[n - 1] = c[n - 1];
    }
}

/* Appends n bytes (p may be NULL when n is 0). */
void gqlx_buf_append_slow(gqlx_buf *b, const void *p, size_t n);
static inline void gqlx_buf_append(gqlx_buf *b, const void *p, size_t n)
{
    if (b->len + n < b->cap && !b->failed) {
        gqlx_copy(b->data + b->len, p, n);
        b->len += n;
        b->data[b->len] = '\0';
        return;
    }
    gqlx_buf_append_slow(b, p, n);
}
void gqlx_buf_append_cstr(gqlx_buf *b, const char *s);
void gqlx_buf_printf(gqlx_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void gqlx_buf_vprintf(gqlx_buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

static inline void gqlx_buf_putc(gqlx_buf *b, char c)
{
    if (b->len + 1 < b->cap && !b->failed) {
        b->data[b->len++] = c;
        b->data[b->len] = '\0';
        return;
    }
    gqlx_buf_append(b, &c, 1);
}

#endif
