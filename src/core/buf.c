/* src/core/buf.c — growable byte buffer with a size cap. */
#include "core/buf.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"

void gqlx_buf_init(gqlx_buf *b, size_t max)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
    b->failed = false;
}

void gqlx_buf_free(gqlx_buf *b)
{
    gqlx_free(b->data);
    gqlx_buf_init(b, b->max);
}

void gqlx_buf_clear(gqlx_buf *b)
{
    b->len = 0;
    if (b->data != NULL)
        b->data[0] = '\0';
    b->failed = false;
}

bool gqlx_buf_reserve(gqlx_buf *b, size_t more)
{
    if (b->failed)
        return false;
    if (more > SIZE_MAX - b->len - 1 || (b->max != 0 && b->len + more > b->max)) {
        b->failed = true;
        return false;
    }
    size_t need = b->len + more + 1; /* room for the terminator */
    if (need <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    /* Never allocate past the cap: gqlx_buf_putc's fast path trusts the
     * allocation size alone, so spare room beyond max would let it write
     * past the cap. need <= max + 1 was checked above. */
    if (b->max != 0 && b->max < SIZE_MAX && cap > b->max + 1)
        cap = b->max + 1;
    char *p = gqlx_realloc(b->data, cap);
    if (p == NULL) {
        b->failed = true;
        return false;
    }
    b->data = p;
    b->cap = cap;
    return true;
}

char *gqlx_buf_detach(gqlx_buf *b, size_t *len)
{
    char *p = b->data;
    if (len != NULL)
        *len = b->len;
    gqlx_buf_init(b, b->max);
    return p;
}

void gqlx_buf_append_slow(gqlx_buf *b, const void *p, size_t n)
{
    if (!gqlx_buf_reserve(b, n))
        return;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void gqlx_buf_append_cstr(gqlx_buf *b, const char *s)
{
    gqlx_buf_append(b, s, strlen(s));
}

void gqlx_buf_vprintf(gqlx_buf *b, const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0) {
        b->failed = true;
        return;
    }
    if (!gqlx_buf_reserve(b, (size_t)n))
        return;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void gqlx_buf_printf(gqlx_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    gqlx_buf_vprintf(b, fmt, ap);
    va_end(ap);
}
