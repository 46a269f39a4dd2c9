/* tests/unit/execution/test_plan_cache.c — the plan cache container
 * (plan_cache.c): counting, LRU order, keys, references and destruction,
 * out of memory, and threads. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/alloc.h"
#include "execution/plan_cache.h"
#include "gql/exec.h"
#include "gql/status.h"

/* Two stand-ins for schemas: the cache only compares their addresses. */
static const int schema_a = 1;
static const int schema_b = 2;

/* ---- values that count their destruction ------------------------------------------ */

#define MAX_IDS 8192

static atomic_int destroyed[MAX_IDS];

static void reset_destroyed(void)
{
    for (int i = 0; i < MAX_IDS; i++)
        atomic_store(&destroyed[i], 0);
}

/* Values are the ids themselves, offset so that id 0 is not NULL. */
static void *val(int id)
{
    return (void *)(uintptr_t)(id + 1);
}

static int id_of(const gqlx_plan_entry *e)
{
    return (int)(uintptr_t)gqlx_plan_entry_value(e) - 1;
}

static void destroy_id(void *value)
{
    atomic_fetch_add(&destroyed[(uintptr_t)value - 1], 1);
}

static int destroyed_count(int id)
{
    return atomic_load(&destroyed[id]);
}

static gqlx_plan_entry *put(gql_plan_cache *c, const void *schema, const char *text, int id)
{
    return gqlx_plan_cache_put(c, schema, text, strlen(text), val(id), destroy_id);
}

static gqlx_plan_entry *get(gql_plan_cache *c, const void *schema, const char *text)
{
    return gqlx_plan_cache_get(c, schema, text, strlen(text));
}

/* Puts and releases at once: the cache keeps the only reference. */
static void put_released(gql_plan_cache *c, const void *schema, const char *text, int id)
{
    gqlx_plan_entry *e = put(c, schema, text, id);
    assert_non_null(e);
    assert_int_equal(id_of(e), id);
    gqlx_plan_entry_release(e);
}

/* Whether text is cached (a lookup: it counts and refreshes). */
static bool cached(gql_plan_cache *c, const void *schema, const char *text, int want_id)
{
    gqlx_plan_entry *e = get(c, schema, text);
    if (e == NULL)
        return false;
    assert_int_equal(id_of(e), want_id);
    gqlx_plan_entry_release(e);
    return true;
}

static void assert_stats(const gql_plan_cache *c, size_t entries, size_t hits, size_t misses)
{
    size_t e = 99, h = 99, m = 99;
    gql_plan_cache_stats(c, &e, &h, &m);
    if (e != entries || h != hits || m != misses)
        fail_msg("stats: %zu entries, %zu hits, %zu misses; want %zu, %zu, %zu", e, h, m, entries,
                 hits, misses);
}

/* ---- creation and arguments ----------------------------------------------------------- */

static void test_new_and_arguments(void **state)
{
    (void)state;
    reset_destroyed();
    assert_int_equal(gql_plan_cache_new(NULL, 10), GQL_EINVAL);
    gql_plan_cache *c = NULL;
    assert_int_equal(gql_plan_cache_new(&c, 10), GQL_OK);
    assert_non_null(c);
    assert_stats(c, 0, 0, 0);
    gql_plan_cache_stats(c, NULL, NULL, NULL); /* any pointer may be NULL */
    size_t n = 99;
    gql_plan_cache_stats(NULL, &n, NULL, NULL);
    assert_int_equal(n, 0);

    /* NULL cache: nothing found, the value is destroyed. */
    assert_null(gqlx_plan_cache_get(NULL, &schema_a, "q", 1));
    assert_null(gqlx_plan_cache_put(NULL, &schema_a, "q", 1, val(7), destroy_id));
    assert_int_equal(destroyed_count(7), 1);
    /* NULL text is only fine when empty. */
    assert_null(gqlx_plan_cache_put(c, &schema_a, NULL, 1, val(8), destroy_id));
    assert_int_equal(destroyed_count(8), 1);
    gqlx_plan_entry *e = gqlx_plan_cache_put(c, &schema_a, NULL, 0, val(9), destroy_id);
    assert_non_null(e);
    gqlx_plan_entry_release(e);
    e = gqlx_plan_cache_get(c, &schema_a, "", 0);
    assert_non_null(e);
    assert_int_equal(id_of(e), 9);
    gqlx_plan_entry_release(e);
    /* A value without a destroy function. */
    e = gqlx_plan_cache_put(c, &schema_a, "x", 1, NULL, NULL);
    assert_non_null(e);
    assert_null(gqlx_plan_entry_value(e));
    gqlx_plan_entry_release(e);

    assert_null(gqlx_plan_entry_value(NULL));
    gqlx_plan_entry_release(NULL);
    gql_plan_cache_free(c);
    assert_int_equal(destroyed_count(9), 1);
    gql_plan_cache_free(NULL);
}

/* 0 entries means the default, 1,000. */
static void test_default_capacity(void **state)
{
    (void)state;
    reset_destroyed();
    gql_plan_cache *c = NULL;
    assert_int_equal(gql_plan_cache_new(&c, 0), GQL_OK);
    char text[32];
    for (int i = 0; i < 1001; i++) {
        snprintf(text, sizeof text, "{ f%d }", i);
        put_released(c, &schema_a, text, i);
    }
    assert_stats(c, 1000, 0, 0);
    assert_int_equal(destroyed_count(0), 1); /* the oldest went */
    assert_int_equal(destroyed_count(1), 0);
    gql_plan_cache_free(c);
    for (int i = 0; i < 1001; i++)
        assert_int_equal(destroyed_count(i), 1);
}

/* ---- hits and misses -------------------------------------------------------------------- */

static void test_hits_and_misses(void **state)
{
    (void)state;
    reset_destroyed();
    gql_plan_cache *c = NULL;
    assert_int_equal(gql_plan_cache_new(&c, 4), GQL_OK);
    assert_null(get(c, &schema_a, "{ a }"));
    assert_stats(c, 0, 0, 1);
    gqlx_plan_entry *e = put(c, &schema_a, "{ a }", 1); /* a put counts neither */
    assert_non_null(e);
    assert_int_equal(id_of(e), 1);
    assert_stats(c, 1, 0, 1);
    gqlx_plan_entry *again = get(c, &schema_a, "{ a }");
    assert_ptr_equal(again, e);
    assert_stats(c, 1, 1, 1);
    assert_null(get(c, &schema_a, "{ b }"));
    assert_null(get(c, &schema_a, "{ a } ")); /* one byte longer */
    assert_null(get(c, &schema_a, "{ a"));    /* a prefix */
    assert_null(get(c, &schema_a, "{ A }"));  /* same length */
    assert_stats(c, 1, 1, 5);
    gqlx_plan_entry_release(again);
    gqlx_plan_entry_release(e);
    gql_plan_cache_free(c);
    assert_int_equal(destroyed_count(1), 1);
}

/* The entry keeps its own copy of the text; texts may hold NUL bytes. */
static void test_text_copied(void **state)
{
    (void)state;
    reset_destroyed();
    gql_plan_cache *c = NULL;
    assert_int_equal(gql_plan_cache_new(&c, 4), GQL_OK);
    char buf[] = "query Q { a }";
    put_released(c, &schema_a, buf, 1);
    memset(buf, '#', sizeof buf - 1);
    assert_true(cached(c, &schema_a, "query Q { a }", 1));
    gqlx_plan_entry *e = gqlx_plan_cache_put(c, &schema_a, "a\0b", 3, val(2), destroy_id);
    gqlx_plan_entry_release(e);
    assert_null(gqlx_plan_cache_get(c, &schema_a, "a\0c", 3));
    e = gqlx_plan_cache_get(c, &schema_a, "a\0b", 3);
    assert_non_null(e);
    assert_int_equal(id_of(e), 2);
    gqlx_plan_entry_release(e);
    gql_plan_cache_free(c);
}

/* ---- keys ------------------------------------------------------------------------------ */

static void test_schemas_are_distinct(void **state)
{
    (void)state;
    reset_destroyed();
    gql_plan_cache *c = NULL;
    assert_int_equal(gql_plan_cache_new(&c, 4), GQL_OK);
    put_released(c, &schema_a, "{ hero }", 1);
    assert_null(get(c, &schema_b, "{ hero }"));
    put_released(c, &schema_b, "{ hero }", 2);
    put_released(c, NULL, "{ hero }", 3); /* the pointer is only a key */
    assert_stats(c, 3, 0, 1);
    assert_true(cached(c, &schema_a, "{ hero }", 1));
    assert_true(cached(c, &schema_b, "{ hero }", 2));
    assert_true(cached(c, NULL, "{ hero }", 3));
    assert_stats(c, 3, 3, 1);
    gql_plan_cache_free(c);
    for (int i = 1; i <= 3; i++)
        assert_int_equal(destroyed_count(i), 1);
}

/* ---- LRU order -------------------------------------------------------------------------- */

static void test_lru_eviction_order(void **state)
{
    (void)state;
    reset_destroyed();
    gql_plan_cache *c = NULL;
    assert_int_equal(gql_plan_cache_new(&c, 3), GQL_OK);
    put_released(c, &schema_a, "A", 1);
    put_released(c, &schema_a, "B", 2);
    put_released(c, &schema_a, "C", 3);
    /* A lookup makes A the most recent: B is now the oldest. */
    assert_true(cached(c, &schema_a, "A", 1)); /* newest first: A C B */
    put_released(c, &schema_a, "D", 4);        /* D A C, B out */
    assert_int_equal(destroyed_count(2), 1);
    assert_stats(c, 3, 1, 0);
    /* Putting a key that exists refreshes it too (and keeps the first
     * value). */
    gqlx_plan_entry *e = put(c, &schema_a, "C", 30); /* C D A */
    assert_int_equal(id_of(e), 3);
    assert_int_equal(destroyed_count(30), 1); /* the new value */
    gqlx_plan_entry_release(e);
    put_released(c, &schema_a, "E", 5); /* E C D, A out */
    assert_int_equal(destroyed_count(1), 1);
    put_released(c, &schema_a, "F", 6); /* F E C, D out */
    assert_int_equal(destroyed_count(4), 1);
    assert_false(cached(c, &schema_a, "A", 1));
    assert_false(cached(c, &schema_a, "B", 2));
    assert_false(cached(c, &schema_a, "D", 4));
    assert_true(cached(c, &schema_a, "C", 3));
    assert_true(cached(c, &schema_a, "E", 5));
    assert_true(cached(c, &schema_a, "F", 6));
    assert_stats(c, 3, 4, 3);
    assert_int_equal(destroyed_count(3) + destroyed_count(5) + destroyed_count(6), 0);
    gql_plan_cache_free(c);
    for (int i = 1; i <= 6; i++)
        assert_int_equal(destroyed_count(i), 1);
}

/* ---- references ------------------------------------------------------------------------- */

/* An evicted entry stays valid for its holders; its value goes with the
 * last reference. */
static void test_evicted_while_referenced(void **state)
{
    (void)state;
    reset_destroyed();
    gql_plan_cache *c = NULL;
    assert_int_equal(gql_plan_cache_new(&c, 1), GQL_OK);
    gqlx_plan_entry *a = put(c, &schema_a, "A", 1);
    gqlx_plan_entry *a2 = get(c, &schema_a, "A");
    assert_ptr_equal(a, a2);
    put_released(c, &schema_a, "B", 2); /* evicts A */
    assert_false(cached(c, &schema_a, "A", 1));
    assert_int_equal(destroyed_count(1), 0);
    assert_int_equal(id_of(a), 1); /* still readable */
    gqlx_plan_entry_release(a);
    assert_int_equal(destroyed_count(1), 0);
    gqlx_plan_entry_release(a2);
    assert_int_equal(destroyed_count(1), 1);
    /* Stored again after eviction: a new entry. */
    put_released(c, &schema_a, "A", 3);
    assert_true(cached(c, &schema_a, "A", 3));
    gql_plan_cache_free(c);
    assert_int_equal(destroyed_count(1), 1);
    assert_int_equal(destroyed_count(2), 1);
    assert_int_equal(destroyed_count(3), 1);
}

/* A put for a key that exists destroys the new value and returns the
 * existing entry, referenced. */
static void test_put_existing(void **state)
{
    (void)state;
    reset_destroyed();
    gql_plan_cache *c = NULL;
    assert_int_equal(gql_plan_cache_new(&c, 4), GQL_OK);
    gqlx_plan_entry *first = put(c, &schema_a, "{ a }", 1);
    gqlx_plan_entry *second = put(c, &schema_a, "{ a }", 2);
    assert_ptr_equal(first, second);
    assert_int_equal(id_of(second), 1);
    assert_int_equal(destroyed_count(2), 1);
    assert_stats(c, 1, 0, 0);
    gqlx_plan_entry_release(first);
    gqlx_plan_entry_release(second);
    assert_int_equal(destroyed_count(1), 0); /* the cache still holds it */
    gql_plan_cache_free(c);
    assert_int_equal(destroyed_count(1), 1);
}

/* ---- out of memory ---------------------------------------------------------------------- */

static void test_out_of_memory(void **state)
{
    (void)state;
    reset_destroyed();
    /* gql_plan_cache_new fails cleanly at each of its allocations. */
    bool finished = false;
    for (long n = 0; n < 100 && !finished; n++) {
        gql_plan_cache *c = (gql_plan_cache *)(void *)&c;
        gqlx_fault_set(n);
        int rc = gql_plan_cache_new(&c, 8);
        bool injected = gqlx_fault_triggered() != 0;
        gqlx_fault_reset();
        if (injected) {
            assert_int_equal(rc, GQL_ENOMEM);
            assert_null(c);
        } else {
            assert_int_equal(rc, GQL_OK);
            gql_plan_cache_free(c);
            finished = true;
        }
    }
    assert_true(finished);

    /* A put that cannot allocate destroys the value and changes nothing. */
    gql_plan_cache *c = NULL;
    assert_int_equal(gql_plan_cache_new(&c, 8), GQL_OK);
    put_released(c, &schema_a, "A", 1);
    gqlx_fault_set(0);
    gqlx_plan_entry *e = put(c, &schema_a, "B", 2);
    gqlx_fault_reset();
    assert_null(e);
    assert_int_equal(destroyed_count(2), 1);
    assert_stats(c, 1, 0, 0);
    assert_true(cached(c, &schema_a, "A", 1));
    assert_false(cached(c, &schema_a, "B", 2));
    gql_plan_cache_free(c);
    assert_int_equal(destroyed_count(1), 1);
}

/* The table doubles as it fills past its first size; when that allocation
 * fails the put still succeeds (chains just get longer). */
static void test_table_growth(void **state)
{
    (void)state;
    reset_destroyed();
    gql_plan_cache *c = NULL;
    assert_int_equal(gql_plan_cache_new(&c, 100000), GQL_OK); /* starts at 4096 */
    char text[32];
    int id = 0;
    for (; id < 4096; id++) {
        snprintf(text, sizeof text, "{ f%d }", id);
        put_released(c, &schema_a, text, id);
    }
    /* The 4097th entry wants a bigger table: the entry's allocation
     * succeeds, the table's fails. */
    snprintf(text, sizeof text, "{ f%d }", id);
    gqlx_fault_set(1);
    gqlx_plan_entry *e = put(c, &schema_a, text, id);
    bool injected = gqlx_fault_triggered() != 0;
    gqlx_fault_reset();
    assert_true(injected);
    assert_non_null(e);
    gqlx_plan_entry_release(e);
    id++;
    /* The next one grows the table for real. */
    snprintf(text, sizeof text, "{ f%d }", id);
    put_released(c, &schema_a, text, id);
    id++;
    assert_stats(c, (size_t)id, 0, 0);
    for (int i = 0; i < id; i++) {
        snprintf(text, sizeof text, "{ f%d }", i);
        if (!cached(c, &schema_a, text, i))
            fail_msg("%s lost", text);
    }
    assert_stats(c, (size_t)id, (size_t)id, 0);
    gql_plan_cache_free(c);
    for (int i = 0; i < id; i++)
        assert_int_equal(destroyed_count(i), 1);
}

/* ---- threads ----------------------------------------------------------------------------- */

/* Values made by the threads: each knows its key, so a lookup can check it
 * got the right one, and each is destroyed (freed) exactly once or ASan
 * complains. */
typedef struct plan_value {
    const void *schema;
    int key;
    atomic_int dead;
} plan_value;

static atomic_int values_made;
static atomic_int values_destroyed;

static void destroy_plan_value(void *p)
{
    plan_value *v = p;
    if (atomic_fetch_add(&v->dead, 1) != 0) /* cmocka cannot fail off its thread */
        abort();
    atomic_fetch_add(&values_destroyed, 1);
    free(v);
}

#define KEYS       40
#define THREAD_OPS 20000

typedef struct worker_arg {
    gql_plan_cache *cache;
    unsigned seed;
    int wrong;
} worker_arg;

static void key_text(int key, char *text, size_t cap)
{
    /* Texts of different lengths with a shared prefix. */
    snprintf(text, cap, "query Q%d { field%*d }", key % 7, key % 5 + 1, key);
}

static void *cache_worker(void *p)
{
    worker_arg *w = p;
    char text[64];
    for (int i = 0; i < THREAD_OPS; i++) {
        w->seed = w->seed * 1103515245u + 12345u;
        int key = (int)((w->seed >> 16) % KEYS);
        const void *schema = (w->seed >> 8) & 1 ? (const void *)&schema_a : &schema_b;
        key_text(key, text, sizeof text);
        size_t len = strlen(text);
        gqlx_plan_entry *e = gqlx_plan_cache_get(w->cache, schema, text, len);
        if (e == NULL) {
            plan_value *v = malloc(sizeof *v);
            if (v == NULL)
                abort();
            v->schema = schema;
            v->key = key;
            atomic_init(&v->dead, 0);
            atomic_fetch_add(&values_made, 1);
            e = gqlx_plan_cache_put(w->cache, schema, text, len, v, destroy_plan_value);
        }
        if (e == NULL) {
            w->wrong++;
            continue;
        }
        const plan_value *v = gqlx_plan_entry_value(e);
        if (v->schema != schema || v->key != key || atomic_load(&v->dead) != 0)
            w->wrong++;
        gqlx_plan_entry_release(e);
    }
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    atomic_store(&values_made, 0);
    atomic_store(&values_destroyed, 0);
    gql_plan_cache *c = NULL;
    assert_int_equal(gql_plan_cache_new(&c, 8), GQL_OK); /* far fewer than the 80 keys */
    pthread_t threads[4];
    worker_arg args[4];
    for (int t = 0; t < 4; t++) {
        args[t] = (worker_arg){c, (unsigned)t * 7919u + 1u, 0};
        assert_int_equal(pthread_create(&threads[t], NULL, cache_worker, &args[t]), 0);
    }
    for (int t = 0; t < 4; t++) {
        assert_int_equal(pthread_join(threads[t], NULL), 0);
        assert_int_equal(args[t].wrong, 0);
    }
    size_t entries, hits, misses;
    gql_plan_cache_stats(c, &entries, &hits, &misses);
    assert_int_equal(entries, 8);
    assert_int_equal(hits + misses, 4 * THREAD_OPS);
    assert_int_equal(misses, (size_t)atomic_load(&values_made));
    assert_int_equal(atomic_load(&values_destroyed), atomic_load(&values_made) - 8);
    gql_plan_cache_free(c);
    assert_int_equal(atomic_load(&values_destroyed), atomic_load(&values_made));
}

/* Two threads miss the same key and both put: one value wins, the other is
 * destroyed at once, and both get the winner. */
typedef struct racer {
    gql_plan_cache *cache;
    pthread_barrier_t *start;
    const char *text;
    int id;
    gqlx_plan_entry *got;
} racer;

static void *race_put(void *p)
{
    racer *r = p;
    pthread_barrier_wait(r->start);
    r->got = put(r->cache, &schema_a, r->text, r->id);
    return NULL;
}

static void test_put_race(void **state)
{
    (void)state;
    reset_destroyed();
    gql_plan_cache *c = NULL;
    assert_int_equal(gql_plan_cache_new(&c, 1000), GQL_OK);
    pthread_barrier_t start;
    assert_int_equal(pthread_barrier_init(&start, NULL, 2), 0);
    char text[32];
    for (int round = 0; round < 200; round++) {
        snprintf(text, sizeof text, "{ race%d }", round);
        int id0 = 2 * round, id1 = 2 * round + 1;
        racer r[2] = {{c, &start, text, id0, NULL}, {c, &start, text, id1, NULL}};
        pthread_t t[2];
        for (int i = 0; i < 2; i++)
            assert_int_equal(pthread_create(&t[i], NULL, race_put, &r[i]), 0);
        for (int i = 0; i < 2; i++)
            assert_int_equal(pthread_join(t[i], NULL), 0);
        assert_non_null(r[0].got);
        assert_ptr_equal(r[0].got, r[1].got);
        int winner = id_of(r[0].got);
        int loser = winner == id0 ? id1 : id0;
        assert_true(winner == id0 || winner == id1);
        assert_int_equal(destroyed_count(loser), 1);
        assert_int_equal(destroyed_count(winner), 0);
        gqlx_plan_entry_release(r[0].got);
        gqlx_plan_entry_release(r[1].got);
        assert_int_equal(destroyed_count(winner), 0);
        assert_true(cached(c, &schema_a, text, winner));
    }
    pthread_barrier_destroy(&start);
    assert_stats(c, 200, 200, 0);
    gql_plan_cache_free(c);
    for (int i = 0; i < 400; i++)
        assert_int_equal(destroyed_count(i), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_new_and_arguments),
        cmocka_unit_test(test_default_capacity),
        cmocka_unit_test(test_hits_and_misses),
        cmocka_unit_test(test_text_copied),
        cmocka_unit_test(test_schemas_are_distinct),
        cmocka_unit_test(test_lru_eviction_order),
        cmocka_unit_test(test_evicted_while_referenced),
        cmocka_unit_test(test_put_existing),
        cmocka_unit_test(test_out_of_memory),
        cmocka_unit_test(test_table_growth),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_put_race),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
