/* src/execution/plan_cache.h — the engine's side of the plan cache
 * (gql_plan_cache of include/gql/exec.h).
 *
 * The cache maps (schema, query text) to an opaque value the engine builds
 * (a prepared query) and keeps at most max_entries of them, dropping the
 * least recently used. Values are shared between threads through
 * reference-counted entries: an entry the cache drops stays valid for
 * whoever still holds a reference, and its value is destroyed when the last
 * reference goes. Every function is thread-safe. */
#ifndef GQLX_PLAN_CACHE_H
#define GQLX_PLAN_CACHE_H

#include <stddef.h>

#include "gql/exec.h"

typedef struct gqlx_plan_entry gqlx_plan_entry;

/* Looks up the query text[0..len) for a schema (the pointer is the key;
 * it is never dereferenced). On a hit returns the entry with a reference
 * taken for the caller (release it with gqlx_plan_entry_release), makes it
 * the most recently used and counts a hit; on a miss returns NULL and
 * counts a miss. Returns NULL without counting when c is NULL. */
gqlx_plan_entry *gqlx_plan_cache_get(gql_plan_cache *c, const void *schema, const char *text,
                                     size_t len);

/* Stores value (created by the caller for (schema, text)) and returns its
 * entry with a reference taken for the caller; the entry keeps its own copy
 * of the text. When an entry for the key exists already (another thread
 * stored it first), destroys value and returns the existing entry,
 * referenced. Evicts the least recently used entries beyond max_entries; an
 * evicted entry's value is destroyed when its last reference is released.
 * Returns NULL when memory runs out or c is NULL (value is destroyed then).
 * destroy may be NULL for values that need no destruction; it runs on
 * whichever thread drops the last reference, outside the cache's lock.
 * Counts neither a hit nor a miss. */
gqlx_plan_entry *gqlx_plan_cache_put(gql_plan_cache *c, const void *schema, const char *text,
                                     size_t len, void *value, void (*destroy)(void *value));

/* The value stored in an entry; valid while the caller holds its
 * reference. */
void *gqlx_plan_entry_value(const gqlx_plan_entry *e);

/* Drops the caller's reference; the last one destroys the value and the
 * entry. NULL does nothing. Thread-safe. */
void gqlx_plan_entry_release(gqlx_plan_entry *e);

#endif
