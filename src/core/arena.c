/* src/core/arena.c — chunked bump allocator with a byte cap. */
#include "core/arena.h"

#include <string.h>

#include "core/alloc.h"
#include "core/limits.h"

struct gqlx_arena_chunk {
    gqlx_arena_chunk *next;
    size_t size; /* bytes of data after the header */
    bool own;    /* an oversized chunk: one allocation's own */
    /* data follows, aligned to 16 */
};

#define CHUNK_HEADER ((sizeof(gqlx_arena_chunk) + 15u) & ~(size_t)15u)

/* The largest ordinary chunk: doubling stops here. Up to it, an arena's
 * chunks together stay under twice its largest one, which is what lets
 * glibc's allocator keep the freed memory of one big arena for the next
 * (its trim threshold follows the largest block freed) instead of
 * returning it to the system and faulting it in again. */
#define GQLX_ARENA_MAX_CHUNK_BYTES (16u * 1024u * 1024u)

/* The largest chunk a reset keeps. Arenas are kept and reset by pools too
 * (one per pooled HTTP request): each must not hold on to the memory of
 * the biggest request it once served. */
#define GQLX_ARENA_KEEP_MAX_BYTES (1024u * 1024u)

static char *chunk_data(gqlx_arena_chunk *c)
{
    return (char *)c + CHUNK_HEADER;
}

void gqlx_arena_init(gqlx_arena *a, size_t chunk_bytes, size_t cap)
{
    a->ptr = NULL;
    a->end = NULL;
    a->chunks = NULL;
    a->chunk_bytes = chunk_bytes ? chunk_bytes : GQLX_ARENA_CHUNK_BYTES;
    a->next_bytes = a->chunk_bytes;
    a->reserved = 0;
    a->cap = cap;
    a->failed = false;
}

void gqlx_arena_free(gqlx_arena *a)
{
    gqlx_arena_chunk *c = a->chunks;
    while (c != NULL) {
        gqlx_arena_chunk *next = c->next;
        gqlx_free(c);
        c = next;
    }
    gqlx_arena_init(a, a->chunk_bytes, a->cap);
}

/* The size of the ordinary chunk after one of size data. */
static size_t next_size(size_t data)
{
    if (data >= GQLX_ARENA_MAX_CHUNK_BYTES)
        return data;
    return data * 2 < GQLX_ARENA_MAX_CHUNK_BYTES ? data * 2 : GQLX_ARENA_MAX_CHUNK_BYTES;
}

void gqlx_arena_reset(gqlx_arena *a)
{
    gqlx_arena_chunk *keep = NULL;
    /* Keep the largest ordinary chunk up to GQLX_ARENA_KEEP_MAX_BYTES: an
     * arena reset between similar jobs (a parse, a validation) comes to
     * keep one chunk that holds a whole job, and then takes nothing more
     * from the system. Oversized chunks are returned. (They are linked
     * behind the current chunk, so ordinary chunks may be anywhere in the
     * list.) */
    for (gqlx_arena_chunk *c = a->chunks; c != NULL; c = c->next)
        if (!c->own && c->size <= GQLX_ARENA_KEEP_MAX_BYTES &&
            (keep == NULL || c->size > keep->size))
            keep = c;
    gqlx_arena_chunk *c = a->chunks;
    while (c != NULL) {
        gqlx_arena_chunk *next = c->next;
        if (c != keep)
            gqlx_free(c);
        c = next;
    }
    a->chunks = keep;
    a->failed = false;
    if (keep != NULL) {
        keep->next = NULL;
        a->next_bytes = next_size(keep->size);
        a->reserved = CHUNK_HEADER + keep->size;
        a->ptr = chunk_data(keep);
        a->end = a->ptr + keep->size;
#ifdef GQL_DEBUG_ARENA
        memset(a->ptr, 0xaa, keep->size); /* poison: stale pointers show */
#endif
    } else {
        a->next_bytes = a->chunk_bytes;
        a->reserved = 0;
        a->ptr = a->end = NULL;
    }
}

void *gqlx_arena_alloc_slow(gqlx_arena *a, size_t size, size_t align)
{
    if (a->failed)
        return NULL;
    /* An allocation larger than half the next chunk gets a chunk of its
     * own, so one big string does not waste the rest of an ordinary
     * chunk. */
    /* Checked before size + align is formed: a size near SIZE_MAX would
     * wrap around and pass for a small request. */
    if (size > SIZE_MAX - CHUNK_HEADER - align) {
        a->failed = true;
        return NULL;
    }
    size_t data = a->next_bytes;
    bool oversized = size + align > data / 2;
    if (oversized)
        data = size + align;
    size_t total = CHUNK_HEADER + data;
    if (a->cap != 0 && (total > a->cap || a->reserved > a->cap - total)) {
        /* A grown chunk may pass the cap where the request itself would
         * not: take only what the cap leaves. */
        size_t left = a->cap > a->reserved ? a->cap - a->reserved : 0;
        if (oversized || left < CHUNK_HEADER + size + align) {
            a->failed = true;
            return NULL;
        }
        data = left - CHUNK_HEADER;
        total = left;
    }
    gqlx_arena_chunk *c = gqlx_malloc(total);
    if (c == NULL) {
        a->failed = true;
        return NULL;
    }
    c->size = data;
    c->own = oversized;
    a->reserved += total;
    char *base = chunk_data(c);
    uintptr_t p = ((uintptr_t)base + (align - 1)) & ~(uintptr_t)(align - 1);
    if (!oversized)
        a->next_bytes = next_size(data);
    if (oversized && a->chunks != NULL) {
        /* Oversized: link it behind the current chunk so the current
         * chunk's free space stays in use. */
        c->next = a->chunks->next;
        a->chunks->next = c;
        return (void *)p;
    }
    c->next = a->chunks;
    a->chunks = c;
    a->ptr = (char *)(p + size);
    a->end = base + data;
    return (void *)p;
}

void *gqlx_arena_array(gqlx_arena *a, size_t n, size_t elem, size_t align)
{
    if (elem != 0 && n > SIZE_MAX / elem) {
        a->failed = true;
        return NULL;
    }
    return gqlx_arena_alloc(a, n * elem, align);
}

bool gqlx_arena_grow(gqlx_arena *a, void **items, size_t *cap, size_t need, size_t elem,
                     size_t count)
{
    if (need <= *cap)
        return true;
    size_t ncap = *cap ? *cap : 16;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2) {
            a->failed = true;
            return false;
        }
        ncap *= 2;
    }
    void *n = gqlx_arena_array(a, ncap, elem, 16);
    if (n == NULL)
        return false;
    if (count)
        memcpy(n, *items, count * elem);
    *items = n;
    *cap = ncap;
    return true;
}

void *gqlx_arena_zalloc(gqlx_arena *a, size_t size, size_t align)
{
    void *p = gqlx_arena_alloc(a, size, align);
    if (p != NULL)
        memset(p, 0, size);
    return p;
}

char *gqlx_arena_strndup(gqlx_arena *a, const char *s, size_t len)
{
    if (len == SIZE_MAX) {
        a->failed = true;
        return NULL;
    }
    char *p = gqlx_arena_alloc(a, len + 1, 1);
    if (p != NULL) {
        if (len)
            memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}

void *gqlx_arena_memdup(gqlx_arena *a, const void *src, size_t len)
{
    void *p = gqlx_arena_alloc(a, len, 1);
    if (p != NULL && len)
        memcpy(p, src, len);
    return p;
}

size_t gqlx_arena_used(const gqlx_arena *a)
{
    size_t used = 0;
    for (gqlx_arena_chunk *c = a->chunks; c != NULL; c = c->next) {
        if (c == a->chunks)
            used += (size_t)(a->ptr - chunk_data(c));
        else
            used += c->size;
    }
    return used;
}
