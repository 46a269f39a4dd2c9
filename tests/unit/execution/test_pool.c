/* tests/unit/execution/test_pool.c — the thread pool (pool.c). */
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include <cmocka.h>

#include "core/alloc.h"
#include "execution/pool.h"
#include "gql/async.h"
#include "gql/status.h"

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0) {
    }
}

static void noop_job(void *p)
{
    (void)p;
}

static void test_new_arguments(void **state)
{
    (void)state;
    gql_pool *pool = (gql_pool *)(void *)&pool; /* must be overwritten */
    assert_int_equal(gql_pool_new(NULL, 1), GQL_EINVAL);
    assert_int_equal(gql_pool_new(&pool, GQLX_POOL_MAX_THREADS + 1), GQL_EINVAL);
    assert_null(pool);
    assert_int_equal(gqlx_pool_submit(NULL, noop_job, NULL), GQL_EINVAL);
    assert_int_equal(gql_pool_new(&pool, 1), GQL_OK);
    assert_int_equal(gqlx_pool_submit(pool, NULL, NULL), GQL_EINVAL);
    gql_pool_free(pool);
    gql_pool_free(NULL);
}

/* ---- every job runs once, on a pool thread ------------------------------------- */

#define SUBMITTERS 4
#define JOBS_EACH  5000

typedef struct tally {
    atomic_int runs[SUBMITTERS * JOBS_EACH];
    atomic_int off_main;    /* jobs that ran on another thread */
    atomic_int sigs_masked; /* jobs that found SIGINT blocked */
    pthread_t main_thread;
} tally;

typedef struct job_arg {
    tally *t;
    int index;
} job_arg;

static void count_job(void *p)
{
    job_arg *a = p;
    atomic_fetch_add(&a->t->runs[a->index], 1);
    if (!pthread_equal(pthread_self(), a->t->main_thread))
        atomic_fetch_add(&a->t->off_main, 1);
    sigset_t mask;
    pthread_sigmask(SIG_BLOCK, NULL, &mask);
    if (sigismember(&mask, SIGINT) == 1)
        atomic_fetch_add(&a->t->sigs_masked, 1);
}

typedef struct submitter {
    gql_pool *pool;
    job_arg *args; /* JOBS_EACH of them */
    int failures;
} submitter;

static void *submit_all(void *p)
{
    submitter *s = p;
    for (int i = 0; i < JOBS_EACH; i++)
        if (gqlx_pool_submit(s->pool, count_job, &s->args[i]) != GQL_OK)
            s->failures++;
    return NULL;
}

static void test_jobs_run_exactly_once(void **state)
{
    (void)state;
    tally *t = calloc(1, sizeof *t);
    job_arg *args = calloc(SUBMITTERS * JOBS_EACH, sizeof *args);
    assert_non_null(t);
    assert_non_null(args);
    t->main_thread = pthread_self();
    for (int i = 0; i < SUBMITTERS * JOBS_EACH; i++)
        args[i] = (job_arg){t, i};

    gql_pool *pool = NULL;
    assert_int_equal(gql_pool_new(&pool, 3), GQL_OK);
    pthread_t threads[SUBMITTERS];
    submitter subs[SUBMITTERS];
    for (int s = 0; s < SUBMITTERS; s++) {
        subs[s] = (submitter){pool, &args[s * JOBS_EACH], 0};
        assert_int_equal(pthread_create(&threads[s], NULL, submit_all, &subs[s]), 0);
    }
    for (int s = 0; s < SUBMITTERS; s++) {
        assert_int_equal(pthread_join(threads[s], NULL), 0);
        assert_int_equal(subs[s].failures, 0);
    }
    gql_pool_free(pool); /* waits for the queue to drain */

    for (int i = 0; i < SUBMITTERS * JOBS_EACH; i++)
        if (atomic_load(&t->runs[i]) != 1)
            fail_msg("job %d ran %d times", i, atomic_load(&t->runs[i]));
    assert_int_equal(atomic_load(&t->off_main), SUBMITTERS * JOBS_EACH);
    assert_int_equal(atomic_load(&t->sigs_masked), SUBMITTERS * JOBS_EACH);
    free(args);
    free(t);
}

/* One thread per core when asked for 0. */
static void test_default_threads(void **state)
{
    (void)state;
    tally *t = calloc(1, sizeof *t);
    assert_non_null(t);
    t->main_thread = pthread_self();
    job_arg arg = {t, 0};
    gql_pool *pool = NULL;
    assert_int_equal(gql_pool_new(&pool, 0), GQL_OK);
    assert_non_null(pool);
    assert_int_equal(gqlx_pool_submit(pool, count_job, &arg), GQL_OK);
    gql_pool_free(pool);
    assert_int_equal(atomic_load(&t->runs[0]), 1);
    free(t);
}

/* ---- gql_pool_free waits for queued work ------------------------------------------ */

static atomic_int slow_done;

static void slow_job(void *p)
{
    (void)p;
    sleep_ms(2);
    atomic_fetch_add(&slow_done, 1);
}

static void test_free_waits(void **state)
{
    (void)state;
    atomic_store(&slow_done, 0);
    gql_pool *pool = NULL;
    assert_int_equal(gql_pool_new(&pool, 2), GQL_OK);
    for (int i = 0; i < 40; i++)
        assert_int_equal(gqlx_pool_submit(pool, slow_job, NULL), GQL_OK);
    /* About 40 ms of work on two threads: far from done yet. */
    assert_true(atomic_load(&slow_done) < 40);
    gql_pool_free(pool);
    assert_int_equal(atomic_load(&slow_done), 40);
}

/* ---- jobs queue jobs ------------------------------------------------------------- */

typedef struct chain {
    gql_pool *pool;
    atomic_int links;
    atomic_int failures;
} chain;

/* Each link queues the next one, even while the pool is shutting down. */
static void chain_job(void *p)
{
    chain *c = p;
    sleep_ms(atomic_load(&c->links) % 10 == 0 ? 1 : 0);
    if (atomic_fetch_add(&c->links, 1) + 1 < 200)
        if (gqlx_pool_submit(c->pool, chain_job, c) != GQL_OK)
            atomic_fetch_add(&c->failures, 1);
}

static void test_jobs_queue_jobs(void **state)
{
    (void)state;
    chain c;
    atomic_init(&c.links, 0);
    atomic_init(&c.failures, 0);
    assert_int_equal(gql_pool_new(&c.pool, 2), GQL_OK);
    assert_int_equal(gqlx_pool_submit(c.pool, chain_job, &c), GQL_OK);
    gql_pool_free(c.pool); /* at once: the chain is still growing */
    assert_int_equal(atomic_load(&c.links), 200);
    assert_int_equal(atomic_load(&c.failures), 0);
}

/* ---- first in, first out ----------------------------------------------------------- */

typedef struct order {
    int seen[100];
    int n; /* only the pool's one thread writes */
} order;

typedef struct order_arg {
    order *o;
    int index;
} order_arg;

static void record_job(void *p)
{
    order_arg *a = p;
    a->o->seen[a->o->n++] = a->index;
}

static void test_fifo(void **state)
{
    (void)state;
    order o = {.n = 0};
    order_arg args[100];
    gql_pool *pool = NULL;
    assert_int_equal(gql_pool_new(&pool, 1), GQL_OK);
    for (int i = 0; i < 100; i++) {
        args[i] = (order_arg){&o, i};
        assert_int_equal(gqlx_pool_submit(pool, record_job, &args[i]), GQL_OK);
    }
    gql_pool_free(pool);
    assert_int_equal(o.n, 100);
    for (int i = 0; i < 100; i++)
        assert_int_equal(o.seen[i], i);
}

/* ---- out of memory ----------------------------------------------------------------- */

/* Fault injection is not thread-safe, so allocations are failed only while
 * the pool's threads allocate nothing: they only free job records. */
static void test_out_of_memory(void **state)
{
    (void)state;
    /* gql_pool_new: every allocation it makes, failed in turn. */
    bool finished = false;
    for (long n = 0; n < 100 && !finished; n++) {
        gql_pool *pool = (gql_pool *)(void *)&pool;
        gqlx_fault_set(n);
        int rc = gql_pool_new(&pool, 2);
        bool injected = gqlx_fault_triggered() != 0;
        gqlx_fault_reset();
        if (injected) {
            assert_int_equal(rc, GQL_ENOMEM);
            assert_null(pool);
        } else {
            assert_int_equal(rc, GQL_OK);
            finished = true;
        }
        gql_pool_free(injected ? NULL : pool);
    }
    assert_true(finished);

    /* gqlx_pool_submit: nothing queued when the job record cannot be had. */
    atomic_store(&slow_done, 0);
    gql_pool *pool = NULL;
    assert_int_equal(gql_pool_new(&pool, 1), GQL_OK);
    gqlx_fault_set(0);
    int rc = gqlx_pool_submit(pool, slow_job, NULL);
    gqlx_fault_reset();
    assert_int_equal(rc, GQL_ENOMEM);
    /* The pool still works afterwards. */
    assert_int_equal(gqlx_pool_submit(pool, slow_job, NULL), GQL_OK);
    gql_pool_free(pool);
    assert_int_equal(atomic_load(&slow_done), 1);

    /* Recycled job records need no allocation. */
    atomic_store(&slow_done, 0);
    assert_int_equal(gql_pool_new(&pool, 1), GQL_OK);
    assert_int_equal(gqlx_pool_submit(pool, slow_job, NULL), GQL_OK);
    while (atomic_load(&slow_done) == 0) /* the record was recycled before */
        sleep_ms(1);
    gqlx_fault_set(0);
    rc = gqlx_pool_submit(pool, slow_job, NULL);
    gqlx_fault_reset();
    assert_int_equal(rc, GQL_OK);
    gql_pool_free(pool);
    assert_int_equal(atomic_load(&slow_done), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_new_arguments),   cmocka_unit_test(test_jobs_run_exactly_once),
        cmocka_unit_test(test_default_threads), cmocka_unit_test(test_free_waits),
        cmocka_unit_test(test_jobs_queue_jobs), cmocka_unit_test(test_fifo),
        cmocka_unit_test(test_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
