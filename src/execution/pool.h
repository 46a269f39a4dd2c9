/* src/execution/pool.h — the engine's side of the thread pool (gql_pool of
 * include/gql/async.h): queueing plain functions. */
#ifndef GQLX_POOL_H
#define GQLX_POOL_H

#include "gql/async.h"

/* Most threads one pool may start: more would only cost memory (each
 * thread reserves a stack) on any machine gqld runs on. gql_pool_new
 * rejects larger counts with GQL_EINVAL. */
#define GQLX_POOL_MAX_THREADS 1024u

/* Queues fn(arg) to run on one of the pool's threads. Jobs start in the
 * order they were queued (first in, first out); with several threads they
 * may run at the same time and finish in any order. A job may queue further
 * jobs; gql_pool_free runs those too. Returns GQL_OK, or GQL_ENOMEM when
 * no job record could be had (nothing is queued then: fn will not run).
 * pool and fn must not be NULL. Thread-safe. */
int gqlx_pool_submit(gql_pool *pool, void (*fn)(void *arg), void *arg);

#endif
