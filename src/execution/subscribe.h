/* src/execution/subscribe.h — what the server needs of a subscription
 * beyond the public API (gql/exec.h): to learn when the last of its
 * events has finished executing, since until then resolvers may still
 * run with the request's user and context, and to bring events that wait
 * on other threads back to its loop. */
#ifndef GQLX_EXECUTION_SUBSCRIBE_H
#define GQLX_EXECUTION_SUBSCRIBE_H

#include "gql/exec.h"

/* Calls fn(arg) once sub's memory is released: after
 * gql_subscription_free, as soon as no event of it is executing (inside
 * gql_subscription_free when none is). Call before freeing sub; a later
 * call replaces fn. Runs on the thread that finishes the last event. */
void gqlx_subscription_on_release(gql_subscription *sub, void (*fn)(void *arg), void *arg);

/* Lets sub's events wait on values delivered from other threads (the
 * thread pool, gql_offload): wake(x, arg) is then called on the
 * delivering thread, as gql_execute_async's wake is, and
 * gql_execution_poll(x) must follow on the thread that pushed the event.
 * Without it such a value is taken only when the pushing thread delivers
 * one itself. Call before the first push. */
void gqlx_subscription_set_wake(gql_subscription *sub, gql_wake_fn wake, void *arg);

#endif
