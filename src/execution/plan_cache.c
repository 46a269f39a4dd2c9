/* src/execution/plan_cache.c — a thread-safe bounded LRU map from
 * (schema, query text) to reference-counted opaque values.
 *
 * A chained hash table finds entries and a doubly linked list orders them
 * from most to least recently used, so lookups, insertions and evictions
 * take constant time. One mutex guards both; hashing, allocation, copying
 * the text and destroying values all happen outside it, so the critical
 * section is a few pointer moves and one comparison of the text. The cache
 * holds one reference to each entry it contains; each caller of get and put
 * holds one more until it releases the entry. */
#include "execution/plan_cache.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "core/alloc.h"
#include "core/hash.h"
#include "gql/status.h"

/* Entries kept when gql_plan_cache_new is given 0 (as documented in
 * gql/exec.h). */
#define PLAN_CACHE_DEFAULT_ENTRIES 1000u

/* Buckets allocated up front at most: a cache created for millions of
 * entries starts small and doubles its table as it fills. */
#define PLAN_CACHE_FIRST_BUCKETS_MAX 4096u

struct gqlx_plan_entry {
    atomic_size_t refs;
    uint64_t hash;
    const void *schema;
    void *value;
    void (*destroy)(void *value);
    gqlx_plan_entry *chain; /* next entry in the same bucket */
    gqlx_plan_entry *newer; /* LRU neighbours; NULL at either end */
    gqlx_plan_entry *older;
    size_t len;
    char text[]; /* len bytes of query text, then a NUL */
};

struct gql_plan_cache {
    pthread_mutex_t mutex;
    gqlx_plan_entry **buckets;
    size_t mask; /* buckets - 1; the count is a power of two */
    gqlx_plan_entry *newest;
    gqlx_plan_entry *oldest;
    size_t max_entries;
    uint64_t seed;
    /* Read by gql_plan_cache_stats without the lock (it takes a const
     * cache); count changes under the lock only. */
    atomic_size_t count;
    atomic_size_t hits;
    atomic_size_t misses;
};

static uint64_t key_hash(const gql_plan_cache *c, const void *schema, const char *text, size_t len)
{
    return gqlx_hash(text != NULL ? text : "", len, c->seed ^ (uint64_t)(uintptr_t)schema);
}

/* The entry for the key, or NULL. Call with the lock held. Comparing the
 * whole text (not only the 64-bit hash) makes a collision harmless. */
static gqlx_plan_entry *find(const gql_plan_cache *c, uint64_t h, const void *schema,
                             const char *text, size_t len)
{
    for (gqlx_plan_entry *e = c->buckets[h & c->mask]; e != NULL; e = e->chain)
        if (e->hash == h && e->schema == schema && e->len == len &&
            (len == 0 || memcmp(e->text, text, len) == 0))
            return e;
    return NULL;
}

static void lru_unlink(gql_plan_cache *c, gqlx_plan_entry *e)
{
    if (e->newer != NULL)
        e->newer->older = e->older;
    else
        c->newest = e->older;
    if (e->older != NULL)
        e->older->newer = e->newer;
    else
        c->oldest = e->newer;
    e->newer = e->older = NULL;
}

static void lru_push_newest(gql_plan_cache *c, gqlx_plan_entry *e)
{
    e->newer = NULL;
    e->older = c->newest;
    if (c->newest != NULL)
        c->newest->newer = e;
    else
        c->oldest = e;
    c->newest = e;
}

static void lru_touch(gql_plan_cache *c, gqlx_plan_entry *e)
{
    if (c->newest != e) {
        lru_unlink(c, e);
        lru_push_newest(c, e);
    }
}

static void chain_remove(gql_plan_cache *c, gqlx_plan_entry *e)
{
    gqlx_plan_entry **p = &c->buckets[e->hash & c->mask];
    while (*p != e)
        p = &(*p)->chain;
    *p = e->chain;
    e->chain = NULL;
}

/* Doubles the table once it holds more entries than buckets. Called with
 * the lock held; it allocates, but only log2(max_entries) times in the life
 * of a cache. A failed allocation only leaves the chains longer. */
static void maybe_grow(gql_plan_cache *c, size_t count)
{
    size_t n = c->mask + 1;
    if (count <= n || n >= c->max_entries || n > SIZE_MAX / 2 / sizeof *c->buckets)
        return;
    gqlx_plan_entry **b = gqlx_malloc(2 * n * sizeof *b);
    if (b == NULL)
        return;
    memset(b, 0, 2 * n * sizeof *b);
    size_t mask = 2 * n - 1;
    for (size_t i = 0; i < n; i++) {
        gqlx_plan_entry *e = c->buckets[i];
        while (e != NULL) {
            gqlx_plan_entry *next = e->chain;
            e->chain = b[e->hash & mask];
            b[e->hash & mask] = e;
            e = next;
        }
    }
    gqlx_free(c->buckets);
    c->buckets = b;
    c->mask = mask;
}

int gql_plan_cache_new(gql_plan_cache **out, size_t max_entries)
{
    if (out == NULL)
        return GQL_EINVAL;
    *out = NULL;
    if (max_entries == 0)
        max_entries = PLAN_CACHE_DEFAULT_ENTRIES;
    gql_plan_cache *c = gqlx_malloc(sizeof *c);
    if (c == NULL)
        return GQL_ENOMEM;
    size_t n = 16;
    while (n < max_entries && n < PLAN_CACHE_FIRST_BUCKETS_MAX)
        n *= 2;
    c->buckets = gqlx_malloc(n * sizeof *c->buckets);
    if (c->buckets == NULL || pthread_mutex_init(&c->mutex, NULL) != 0) {
        gqlx_free(c->buckets);
        gqlx_free(c);
        return GQL_ENOMEM;
    }
    memset(c->buckets, 0, n * sizeof *c->buckets);
    c->mask = n - 1;
    c->newest = c->oldest = NULL;
    c->max_entries = max_entries;
    /* Query texts come from clients: a secret seed keeps them from
     * choosing texts that collide. */
    c->seed = gqlx_hash_seed();
    atomic_init(&c->count, 0);
    atomic_init(&c->hits, 0);
    atomic_init(&c->misses, 0);
    *out = c;
    return GQL_OK;
}

void gql_plan_cache_stats(const gql_plan_cache *cache, size_t *entries, size_t *hits,
                          size_t *misses)
{
    if (entries != NULL)
        *entries = cache ? atomic_load_explicit(&cache->count, memory_order_relaxed) : 0;
    if (hits != NULL)
        *hits = cache ? atomic_load_explicit(&cache->hits, memory_order_relaxed) : 0;
    if (misses != NULL)
        *misses = cache ? atomic_load_explicit(&cache->misses, memory_order_relaxed) : 0;
}

void gql_plan_cache_free(gql_plan_cache *cache)
{
    if (cache == NULL)
        return;
    gqlx_plan_entry *e = cache->newest;
    while (e != NULL) {
        gqlx_plan_entry *older = e->older;
        gqlx_plan_entry_release(e); /* the cache's reference */
        e = older;
    }
    pthread_mutex_destroy(&cache->mutex);
    gqlx_free(cache->buckets);
    gqlx_free(cache);
}

gqlx_plan_entry *gqlx_plan_cache_get(gql_plan_cache *c, const void *schema, const char *text,
                                     size_t len)
{
    if (c == NULL)
        return NULL;
    uint64_t h = key_hash(c, schema, text, len);
    pthread_mutex_lock(&c->mutex);
    gqlx_plan_entry *e = find(c, h, schema, text, len);
    if (e != NULL) {
        /* The cache's own reference keeps the count above zero here. */
        atomic_fetch_add_explicit(&e->refs, 1, memory_order_relaxed);
        lru_touch(c, e);
    }
    pthread_mutex_unlock(&c->mutex);
    atomic_fetch_add_explicit(e != NULL ? &c->hits : &c->misses, 1, memory_order_relaxed);
    return e;
}

static void destroy_value(void *value, void (*destroy)(void *value))
{
    if (destroy != NULL)
        destroy(value);
}

gqlx_plan_entry *gqlx_plan_cache_put(gql_plan_cache *c, const void *schema, const char *text,
                                     size_t len, void *value, void (*destroy)(void *value))
{
    if (c == NULL || (text == NULL && len > 0) || len > SIZE_MAX - sizeof(gqlx_plan_entry) - 1) {
        destroy_value(value, destroy);
        return NULL;
    }
    uint64_t h = key_hash(c, schema, text, len);
    gqlx_plan_entry *fresh = gqlx_malloc(sizeof *fresh + len + 1);
    if (fresh == NULL) {
        destroy_value(value, destroy);
        return NULL;
    }
    atomic_init(&fresh->refs, 2); /* the cache's and the caller's */
    fresh->hash = h;
    fresh->schema = schema;
    fresh->value = value;
    fresh->destroy = destroy;
    fresh->chain = fresh->newer = fresh->older = NULL;
    fresh->len = len;
    if (len > 0)
        memcpy(fresh->text, text, len);
    fresh->text[len] = '\0';

    gqlx_plan_entry *evicted = NULL; /* linked through chain */
    pthread_mutex_lock(&c->mutex);
    gqlx_plan_entry *existing = find(c, h, schema, text, len);
    if (existing != NULL) {
        atomic_fetch_add_explicit(&existing->refs, 1, memory_order_relaxed);
        lru_touch(c, existing);
        pthread_mutex_unlock(&c->mutex);
        destroy_value(value, destroy);
        gqlx_free(fresh);
        return existing;
    }
    gqlx_plan_entry **bucket = &c->buckets[h & c->mask];
    fresh->chain = *bucket;
    *bucket = fresh;
    lru_push_newest(c, fresh);
    size_t count = atomic_load_explicit(&c->count, memory_order_relaxed) + 1;
    while (count > c->max_entries) {
        gqlx_plan_entry *victim = c->oldest;
        lru_unlink(c, victim);
        chain_remove(c, victim);
        victim->chain = evicted;
        evicted = victim;
        count--;
    }
    maybe_grow(c, count);
    atomic_store_explicit(&c->count, count, memory_order_relaxed);
    pthread_mutex_unlock(&c->mutex);

    /* Values may be costly to destroy (a whole prepared query): do it, if
     * this was the last reference, without holding up other threads. */
    while (evicted != NULL) {
        gqlx_plan_entry *next = evicted->chain;
        gqlx_plan_entry_release(evicted);
        evicted = next;
    }
    return fresh;
}

void *gqlx_plan_entry_value(const gqlx_plan_entry *e)
{
    return e != NULL ? e->value : NULL;
}

void gqlx_plan_entry_release(gqlx_plan_entry *e)
{
    if (e == NULL)
        return;
    /* acq_rel: the thread that frees the entry must see every other
     * holder's use of it as finished. */
    if (atomic_fetch_sub_explicit(&e->refs, 1, memory_order_acq_rel) == 1) {
        destroy_value(e->value, e->destroy);
        gqlx_free(e);
    }
}
