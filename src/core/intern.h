/* src/core/intern.h — name interning.
 *
 * Interning maps equal byte strings to one stored copy, so that interned
 * names compare by pointer. The copies live in the table's arena and stay
 * valid for the arena's lifetime. A table is not thread-safe while being
 * filled; once filled, lookups (gqlx_intern_find) may run concurrently. */
#ifndef GQLX_INTERN_H
#define GQLX_INTERN_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/slice.h"

/* An interned name: its bytes (NUL-terminated) follow the header. */
typedef struct gqlx_name {
    uint32_t len;
    uint32_t hash; /* low bits of the 64-bit hash, cached for tables */
    char str[];
} gqlx_name;

typedef struct gqlx_intern_table {
    gqlx_arena *arena;   /* where names (and the slot array) live */
    const gqlx_name **slots;
    size_t mask;         /* slots has mask + 1 entries, a power of two */
    size_t count;
    uint64_t seed;
} gqlx_intern_table;

/* Prepares an empty table whose names are allocated from arena. */
void gqlx_intern_init(gqlx_intern_table *t, gqlx_arena *arena, uint64_t seed);

/* Returns the interned copy of p[0..len), adding it if new; NULL if the
 * arena fails. */
const gqlx_name *gqlx_intern(gqlx_intern_table *t, const char *p, size_t len);

/* Returns the interned copy if present, else NULL; never adds. */
const gqlx_name *gqlx_intern_find(const gqlx_intern_table *t, const char *p, size_t len);

static inline gqlx_slice gqlx_name_slice(const gqlx_name *n)
{
    return gqlx_slice_make(n->str, n->len);
}

#endif
