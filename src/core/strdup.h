/* src/core/strdup.h — heap copies of strings, through gqlx_malloc (so
 * fault injection reaches them); release with gqlx_free. */
#ifndef GQLX_STRDUP_H
#define GQLX_STRDUP_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/alloc.h"

/* Copies len bytes of s and a NUL terminator; NULL when memory is out. */
static inline char *gqlx_strndup(const char *s, size_t len)
{
    char *p = len < SIZE_MAX ? gqlx_malloc(len + 1) : NULL;
    if (p != NULL) {
        if (len > 0)
            memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}

/* Copies the string s; NULL when memory is out. */
static inline char *gqlx_strdup(const char *s)
{
    return gqlx_strndup(s, strlen(s));
}

#endif
