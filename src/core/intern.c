/* src/core/intern.c — name interning in an open-addressing table. */
#include "core/intern.h"

#include <string.h>

#include "core/hash.h"

void gqlx_intern_init(gqlx_intern_table *t, gqlx_arena *arena, uint64_t seed)
{
    t->arena = arena;
    t->slots = NULL;
    t->mask = 0;
    t->count = 0;
    t->seed = seed;
}

static size_t probe(const gqlx_intern_table *t, const char *p, size_t len, uint32_t h)
{
    size_t i = h & t->mask;
    for (;;) {
        const gqlx_name *n = t->slots[i];
        if (n == NULL || (n->hash == h && n->len == len && gqlx_bytes_eq(n->str, p, len)))
            return i;
        i = (i + 1) & t->mask;
    }
}

static int grow(gqlx_intern_table *t)
{
    size_t cap = t->slots ? (t->mask + 1) * 2 : 64;
    const gqlx_name **slots = GQLX_ARRAY(t->arena, const gqlx_name *, cap);
    if (slots == NULL)
        return -1;
    memset(slots, 0, cap * sizeof *slots);
    const gqlx_name **old = t->slots;
    size_t old_cap = old ? t->mask + 1 : 0;
    t->slots = slots;
    t->mask = cap - 1;
    for (size_t i = 0; i < old_cap; i++) {
        const gqlx_name *n = old[i];
        if (n != NULL)
            t->slots[probe(t, n->str, n->len, n->hash)] = n;
    }
    return 0;
}

const gqlx_name *gqlx_intern_find(const gqlx_intern_table *t, const char *p, size_t len)
{
    if (t->slots == NULL)
        return NULL;
    uint32_t h = (uint32_t)gqlx_hash(p, len, t->seed);
    return t->slots[probe(t, p, len, h)];
}

const gqlx_name *gqlx_intern(gqlx_intern_table *t, const char *p, size_t len)
{
    if (len > UINT32_MAX - 1)
        return NULL;
    /* Keep the load factor at or below one half. */
    if ((t->count + 1) * 2 > (t->slots ? t->mask + 1 : 0) && grow(t) != 0)
        return NULL;
    uint32_t h = (uint32_t)gqlx_hash(p, len, t->seed);
    size_t i = probe(t, p, len, h);
    if (t->slots[i] != NULL)
        return t->slots[i];
    gqlx_name *n = gqlx_arena_alloc(t->arena, sizeof(gqlx_name) + len + 1, _Alignof(gqlx_name));
    if (n == NULL)
        return NULL;
    n->len = (uint32_t)len;
    n->hash = h;
    if (len != 0) /* p may be NULL for the empty name */
        memcpy(n->str, p, len);
    n->str[len] = '\0';
    t->slots[i] = n;
    t->count++;
    return n;
}
