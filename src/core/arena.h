/* src/core/arena.h — chunked bump allocator with a byte cap.
 *
 * One arena serves one request (or one schema): everything allocated from
 * it is released at once by gqlx_arena_reset() or gqlx_arena_free(); there
 * is no per-object free. Allocation failures are sticky: after the first
 * failure (the system is out of memory, or the cap would be passed) every
 * later call fails too, so a stage may test gqlx_arena_failed() once at its
 * end instead of after each call. Not thread-safe; one owner at a time.
 *
 * Chunks grow geometrically: each new ordinary chunk is twice the size of
 * the previous one (up to GQLX_ARENA_MAX_CHUNK_BYTES), so a small request
 * takes one small chunk while a big schema takes a handful of big ones
 * instead of hundreds of small ones (fewer allocator calls and page faults,
 * and the allocator keeps big freed blocks for the next build). */
#ifndef GQLX_ARENA_H
#define GQLX_ARENA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct gqlx_arena_chunk gqlx_arena_chunk;

typedef struct gqlx_arena {
    char *ptr;                /* next free byte of the current chunk */
    char *end;                /* end of the current chunk */
    gqlx_arena_chunk *chunks; /* current chunk first, then older ones */
    size_t chunk_bytes;       /* size of the first ordinary chunk */
    size_t next_bytes;        /* size of the next ordinary chunk */
    size_t reserved;          /* bytes taken from the system allocator */
    size_t cap;               /* most bytes it may reserve; 0 = no cap */
    bool failed;              /* sticky failure flag */
} gqlx_arena;

/* Prepares an empty arena. chunk_bytes 0 means GQLX_ARENA_CHUNK_BYTES;
 * cap 0 means no cap. No memory is taken until the first allocation. */
void gqlx_arena_init(gqlx_arena *a, size_t chunk_bytes, size_t cap);

/* Releases every chunk. The arena may be used again afterwards. */
void gqlx_arena_free(gqlx_arena *a);

/* Releases everything allocated but keeps the largest ordinary chunk of
 * at most 1 MiB for reuse (growth goes on from it), and clears the failure
 * flag. An arena reset between similar jobs so comes to hold one chunk
 * that fits a whole job, and an arena kept in a pool never holds more. */
void gqlx_arena_reset(gqlx_arena *a);

/* Slow path of gqlx_arena_alloc: takes a new chunk. */
void *gqlx_arena_alloc_slow(gqlx_arena *a, size_t size, size_t align);

/* Returns size bytes aligned to align (a power of two, at most 16), or NULL
 * on failure. Memory is not zeroed. */
static inline void *gqlx_arena_alloc(gqlx_arena *a, size_t size, size_t align)
{
    uintptr_t p = ((uintptr_t)a->ptr + (align - 1)) & ~(uintptr_t)(align - 1);
    if (a->end != NULL && p <= (uintptr_t)a->end && size <= (size_t)((uintptr_t)a->end - p) &&
        !a->failed) {
        a->ptr = (char *)(p + size);
        return (void *)p;
    }
    return gqlx_arena_alloc_slow(a, size, align);
}

/* Returns n objects of elem bytes, or NULL if n * elem overflows or the
 * allocation fails. */
void *gqlx_arena_array(gqlx_arena *a, size_t n, size_t elem, size_t align);

/* Makes room for `need` elements in the arena array *items, which has
 * room for *cap and holds `count` (the first count elements are copied to
 * the new array): the capacity at least doubles, starting at 16. Returns
 * false when the allocation fails; *items and *cap are then unchanged.
 * The old array is not freed (arenas never free single objects). */
bool gqlx_arena_grow(gqlx_arena *a, void **items, size_t *cap, size_t need, size_t elem,
                     size_t count);

/* Like gqlx_arena_alloc, then zero-filled. */
void *gqlx_arena_zalloc(gqlx_arena *a, size_t size, size_t align);

/* Copies len bytes into the arena and adds a NUL terminator. */
char *gqlx_arena_strndup(gqlx_arena *a, const char *s, size_t len);

/* Copies len bytes into the arena (no terminator). */
void *gqlx_arena_memdup(gqlx_arena *a, const void *p, size_t len);

static inline bool gqlx_arena_failed(const gqlx_arena *a)
{
    return a->failed;
}

/* Bytes reserved from the system allocator (chunk sizes, headers included). */
static inline size_t gqlx_arena_reserved(const gqlx_arena *a)
{
    return a->reserved;
}

/* Bytes handed out since the last reset, padding included (an estimate of
 * live size, exact for the current chunk). */
size_t gqlx_arena_used(const gqlx_arena *a);

/* Typed allocation: the size and alignment follow from the type. */
#define GQLX_NEW(a, type) ((type *)gqlx_arena_zalloc((a), sizeof(type), _Alignof(type)))
#define GQLX_ARRAY(a, type, n) \
    ((type *)gqlx_arena_array((a), (n), sizeof(type), _Alignof(type)))

#endif
