/* src/core/alloc.h — the library's only path to the system allocator.
 *
 * Every heap allocation the library makes goes through gqlx_malloc and
 * friends, so tests can make the Nth allocation fail (fault injection) and
 * check that every caller reports GQL_ENOMEM cleanly. */
#ifndef GQLX_ALLOC_H
#define GQLX_ALLOC_H

#include <stddef.h>

void *gqlx_malloc(size_t size);
void *gqlx_realloc(void *ptr, size_t size);
void gqlx_free(void *ptr);

/* Number of gqlx_malloc and gqlx_realloc calls since the process started
 * (benchmarks count heap allocations per request with it). */
unsigned long gqlx_alloc_count(void);

/* Fault injection for tests: after `countdown` more successful allocations
 * every further one fails, until gqlx_fault_reset(). A negative countdown
 * disables injection (the default). Not thread-safe: tests only. */
void gqlx_fault_set(long countdown);
void gqlx_fault_reset(void);
/* True if an allocation failed because of injection since the last set. */
int gqlx_fault_triggered(void);

#endif
