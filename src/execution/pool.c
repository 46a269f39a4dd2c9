/* src/execution/pool.c — a fixed set of threads running queued jobs.
 *
 * One mutex guards a FIFO of jobs; idle threads sleep on one condition
 * variable. A job's record goes back to a small free list when a thread
 * takes the job, so a busy pool stops calling the allocator once the list
 * has filled. */
#include "execution/pool.h"

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <unistd.h>

#include "core/alloc.h"
#include "gql/status.h"

/* Job records kept for reuse at most. Bounds what a burst of submissions
 * leaves allocated once it has drained. */
#define POOL_SPARE_JOBS 256u

typedef struct pool_job pool_job;
struct pool_job {
    pool_job *next;
    void (*fn)(void *arg);
    void *arg;
};

struct gql_pool {
    pthread_mutex_t mutex;
    pthread_cond_t wake; /* signalled when a job is queued, or at shutdown */
    pool_job *head;      /* next job to run */
    pool_job *tail;      /* last queued job */
    pool_job *spare;     /* free list of job records */
    unsigned spare_count;
    bool stopping;     /* gql_pool_free has begun */
    unsigned nthreads; /* threads started */
    pthread_t *threads;
};

/* A thread's loop: take the oldest job, run it without the lock, repeat;
 * leave once the pool is stopping and the queue is empty, so every job
 * queued before (or by a job during) shutdown still runs. */
static void *worker(void *p)
{
    gql_pool *pool = p;
    pthread_mutex_lock(&pool->mutex);
    for (;;) {
        while (pool->head == NULL && !pool->stopping)
            pthread_cond_wait(&pool->wake, &pool->mutex);
        pool_job *job = pool->head;
        if (job == NULL)
            break;
        pool->head = job->next;
        if (pool->head == NULL)
            pool->tail = NULL;
        void (*fn)(void *) = job->fn;
        void *arg = job->arg;
        if (pool->spare_count < POOL_SPARE_JOBS) {
            job->next = pool->spare;
            pool->spare = job;
            pool->spare_count++;
            job = NULL;
        }
        pthread_mutex_unlock(&pool->mutex);
        gqlx_free(job);
        fn(arg);
        pthread_mutex_lock(&pool->mutex);
    }
    pthread_mutex_unlock(&pool->mutex);
    return NULL;
}

/* Tells the first n threads to stop once the queue is empty and waits for
 * them. */
static void stop_threads(gql_pool *pool, unsigned n)
{
    pthread_mutex_lock(&pool->mutex);
    pool->stopping = true;
    pthread_cond_broadcast(&pool->wake);
    pthread_mutex_unlock(&pool->mutex);
    for (unsigned i = 0; i < n; i++)
        pthread_join(pool->threads[i], NULL);
}

static void release(gql_pool *pool)
{
    /* The queue is empty: the threads drained it before they left. */
    pool_job *j = pool->spare;
    while (j != NULL) {
        pool_job *next = j->next;
        gqlx_free(j);
        j = next;
    }
    pthread_cond_destroy(&pool->wake);
    pthread_mutex_destroy(&pool->mutex);
    gqlx_free(pool->threads);
    gqlx_free(pool);
}

static unsigned online_cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        return 1;
    return n > (long)GQLX_POOL_MAX_THREADS ? GQLX_POOL_MAX_THREADS : (unsigned)n;
}

int gql_pool_new(gql_pool **out, unsigned threads)
{
    if (out == NULL)
        return GQL_EINVAL;
    *out = NULL;
    if (threads > GQLX_POOL_MAX_THREADS)
        return GQL_EINVAL;
    if (threads == 0)
        threads = online_cores();
    gql_pool *pool = gqlx_malloc(sizeof *pool);
    if (pool == NULL)
        return GQL_ENOMEM;
    pool->threads = gqlx_malloc(threads * sizeof *pool->threads);
    if (pool->threads == NULL) {
        gqlx_free(pool);
        return GQL_ENOMEM;
    }
    if (pthread_mutex_init(&pool->mutex, NULL) != 0) {
        gqlx_free(pool->threads);
        gqlx_free(pool);
        return GQL_ENOMEM;
    }
    if (pthread_cond_init(&pool->wake, NULL) != 0) {
        pthread_mutex_destroy(&pool->mutex);
        gqlx_free(pool->threads);
        gqlx_free(pool);
        return GQL_ENOMEM;
    }
    pool->head = pool->tail = pool->spare = NULL;
    pool->spare_count = 0;
    pool->stopping = false;
    pool->nthreads = 0;

    /* Threads inherit the creator's signal mask: block everything while
     * creating them, so that a host's signal handlers run on the host's own
     * threads and never interrupt a job. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int rc = GQL_OK;
    for (unsigned i = 0; i < threads; i++) {
        if (pthread_create(&pool->threads[i], NULL, worker, pool) != 0) {
            rc = GQL_ENOMEM; /* EAGAIN: out of memory or of threads */
            break;
        }
        pool->nthreads++;
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != GQL_OK) {
        stop_threads(pool, pool->nthreads);
        release(pool);
        return rc;
    }
    *out = pool;
    return GQL_OK;
}

int gqlx_pool_submit(gql_pool *pool, void (*fn)(void *arg), void *arg)
{
    if (pool == NULL || fn == NULL)
        return GQL_EINVAL;
    pthread_mutex_lock(&pool->mutex);
    pool_job *job = pool->spare;
    if (job != NULL) {
        pool->spare = job->next;
        pool->spare_count--;
    } else {
        /* Allocate outside the lock: the threads need it to take jobs. */
        pthread_mutex_unlock(&pool->mutex);
        job = gqlx_malloc(sizeof *job);
        if (job == NULL)
            return GQL_ENOMEM;
        pthread_mutex_lock(&pool->mutex);
    }
    job->next = NULL;
    job->fn = fn;
    job->arg = arg;
    if (pool->tail != NULL)
        pool->tail->next = job;
    else
        pool->head = job;
    pool->tail = job;
    pthread_cond_signal(&pool->wake);
    pthread_mutex_unlock(&pool->mutex);
    return GQL_OK;
}

void gql_pool_free(gql_pool *pool)
{
    if (pool == NULL)
        return;
    stop_threads(pool, pool->nthreads);
    release(pool);
}
