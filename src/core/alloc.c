/* src/core/alloc.c — system allocation with a fault-injection hook. */
#include "core/alloc.h"

#include <stdatomic.h>
#include <stdlib.h>

/* Relaxed: a statistic for benchmarks, not a synchronisation point. */
static atomic_ulong alloc_calls;

static long fault_countdown = -1;
static int fault_hit;

static int should_fail(void)
{
    if (fault_countdown < 0)
        return 0;
    if (fault_countdown == 0) {
        fault_hit = 1;
        return 1;
    }
    fault_countdown--;
    return 0;
}

void *gqlx_malloc(size_t size)
{
    atomic_fetch_add_explicit(&alloc_calls, 1, memory_order_relaxed);
    if (should_fail())
        return NULL;
    return malloc(size ? size : 1);
}

void *gqlx_realloc(void *ptr, size_t size)
{
    atomic_fetch_add_explicit(&alloc_calls, 1, memory_order_relaxed);
    if (should_fail())
        return NULL;
    return realloc(ptr, size ? size : 1);
}

void gqlx_free(void *ptr)
{
    free(ptr);
}

void gqlx_fault_set(long countdown)
{
    fault_countdown = countdown;
    fault_hit = 0;
}

void gqlx_fault_reset(void)
{
    fault_countdown = -1;
}

int gqlx_fault_triggered(void)
{
    return fault_hit;
}

unsigned long gqlx_alloc_count(void)
{
    return atomic_load_explicit(&alloc_calls, memory_order_relaxed);
}
