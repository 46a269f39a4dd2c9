/* include/gql/async.h — resolvers whose values come later.
 *
 * Three ways for a field to wait without blocking the request's thread:
 *
 *  - gql_pending(): the resolver returns "pending" and keeps a token; the
 *    application delivers the value later with gql_pending_resolve() (after
 *    a database or HTTP call on the same event loop, or from any thread).
 *  - gql_offload(): blocking work runs on a thread pool; its result becomes
 *    the field's value.
 *  - gql_load(): a data loader collects the keys that fields ask for while
 *    the engine has other work, then calls one batch function with all of
 *    them (the N+1 problem), once per key per request.
 *
 * Meanwhile the engine goes on with every other field that does not
 * depend on the pending one, so independent pending fields progress
 * concurrently; mutation root fields still run one after the other (each
 * completely, pending work included, before the next starts).
 *
 * A pending field's value may itself be pending, a list may hold pending
 * items (each completes on its own), and a value delivered later follows
 * the same rules as a value returned at once (value.h). */
#ifndef GQL_ASYNC_H
#define GQL_ASYNC_H

#include "gql/common.h"
#include "gql/resolve.h"
#include "gql/value.h"

GQL_BEGIN_DECLS

/* ---- pending values ----------------------------------------------------- */

typedef struct gql_pending gql_pending;

/* Returns the "pending" value for the resolver to return, and a token in
 * *token to deliver the value with (exactly once). Returns an error value
 * (and *token NULL) when memory runs out. */
GQL_EXTERN gql_value gql_pending_new(gql_info *info, gql_pending **token);

/* Delivers the value of a pending field; the token is spent. May be called
 * from any thread. The request's own thread processes it: at once when
 * called from that thread outside the engine, otherwise as soon as the
 * engine gets control (see gql_execution_poll in exec.h). */
GQL_EXTERN void gql_pending_resolve(gql_pending *token, gql_value value);

/* Fails a pending field with a message (an error at the field's path). */
GQL_EXTERN void gql_pending_reject(gql_pending *token, const char *message);

/* ---- thread pool -------------------------------------------------------- */

typedef struct gql_pool gql_pool;
typedef struct gql_work gql_work;

/* Blocking work: runs on a pool thread and returns the field's value. It
 * must not touch the request's gql_info; it allocates through gql_work_alloc.
 * arg is what was given to gql_offload. */
typedef gql_value (*gql_work_fn)(gql_work *work, void *arg);

/* Starts a pool of `threads` threads (0: one per core). Returns GQL_OK,
 * GQL_ENOMEM, or GQL_EINVAL. */
GQL_EXTERN int gql_pool_new(gql_pool **out, unsigned threads);

/* Waits for queued work to finish, stops the threads and releases the
 * pool. NULL does nothing. */
GQL_EXTERN void gql_pool_free(gql_pool *pool);

/* Runs fn(work, arg) on the pool (the request's pool when pool is NULL; at
 * once on this thread when there is neither) and returns the pending
 * value standing for its result. */
GQL_EXTERN gql_value gql_offload(gql_info *info, gql_pool *pool, gql_work_fn fn, void *arg);

/* Memory for the work's result, released with the request's response. */
GQL_EXTERN void *gql_work_alloc(gql_work *work, size_t size);

/* A string value holding a copy of s[0..len) (null if memory runs out). */
GQL_EXTERN gql_value gql_work_string(gql_work *work, const char *s, size_t len);

/* Fails the work with a message: return its result. */
GQL_EXTERN gql_value gql_work_error(gql_work *work, const char *message);

/* ---- data loaders ------------------------------------------------------- */

typedef struct gql_loader gql_loader;
typedef struct gql_batch gql_batch;

/* Loads the values of a batch of keys: for each i < gql_batch_size(),
 * call gql_batch_resolve or gql_batch_reject — now, or later from any
 * thread (the batch stays valid until every key is answered). data is what
 * was given to gql_loader_new. */
typedef void (*gql_batch_fn)(gql_batch *batch, void *data);

/* Creates a loader (shared by every request; it holds no per-request
 * state). max_batch caps the keys per call (0: no cap). Returns GQL_OK,
 * GQL_ENOMEM or GQL_EINVAL. */
GQL_EXTERN int gql_loader_new(gql_loader **out, gql_batch_fn fn, void *data, size_t max_batch);

/* Releases a loader no request uses any more. NULL does nothing. */
GQL_EXTERN void gql_loader_free(gql_loader *loader);

/* Asks the loader for the value of key (an integer or a string) and
 * returns the pending value standing for it. Within one request, equal
 * keys are loaded once and share the result. Other kinds of key give an
 * error value. */
GQL_EXTERN gql_value gql_load(gql_info *info, gql_loader *loader, gql_value key);

/* Number of keys in the batch, and key i (as given to gql_load). */
GQL_EXTERN size_t gql_batch_size(const gql_batch *batch);
GQL_EXTERN gql_value gql_batch_key(const gql_batch *batch, size_t i);

/* The request's context (gql_request.context), and memory from the
 * request arena (in the batch function itself, on the execution's thread,
 * not from other threads). */
GQL_EXTERN void *gql_batch_context(const gql_batch *batch);
GQL_EXTERN void *gql_batch_alloc(gql_batch *batch, size_t size);

/* Answers key i with a value, or with an error message. */
GQL_EXTERN void gql_batch_resolve(gql_batch *batch, size_t i, gql_value value);
GQL_EXTERN void gql_batch_reject(gql_batch *batch, size_t i, const char *message);

/* ---- subscription streams ------------------------------------------------ */

typedef struct gql_stream gql_stream;

/* Called once when the subscriber goes away (gql_subscription_free) or the
 * stream ends, so the application stops pushing; data is what was given to
 * gql_stream_new. The stream must not be used after it returns. */
typedef void (*gql_stream_close_fn)(gql_stream *stream, void *data);

/* For a subscriber (builder.h): creates the source stream of a new
 * subscription and returns the value to return. *out receives the stream
 * (NULL and an error value when memory runs out). */
GQL_EXTERN gql_value gql_stream_new(gql_info *info, gql_stream **out, gql_stream_close_fn close,
                                    void *data);

/* Pushes one event: the engine executes the subscription's selection set
 * with it and hands the response to the subscriber. Call it on the thread
 * that owns the subscription. Values the event points to must stay valid
 * until the event's response is delivered. Returns GQL_OK, or GQL_EINVAL
 * when the stream is closed. */
GQL_EXTERN int gql_stream_push(gql_stream *stream, gql_value event);

/* Like gql_stream_push, for an event whose memory the caller shares or
 * counts references to (one event pushed into many streams):
 * release(arg) is called once the event is no longer needed — when the
 * response made from it is released (gql_response_free, on whichever
 * thread does it), or when it is dropped because the subscription ended.
 * When this returns an error, release is not called. */
GQL_EXTERN int gql_stream_push_shared(gql_stream *stream, gql_value event,
                                      void (*release)(void *arg), void *arg);

/* Reports an error of the source stream (in graphql-js, the source
 * iterator throwing): in order with the events, the subscriber receives
 * a response {"errors":[{"message":...}]} without "data", whose status is
 * GQL_EIO. The stream stays open: the subscriber decides whether to end
 * the subscription (the WebSocket server follows its
 * disconnect_after_error_event option). Returns GQL_OK, GQL_ENOMEM or
 * GQL_EINVAL (the stream is closed). Call it on the subscription's
 * thread. */
GQL_EXTERN int gql_stream_error(gql_stream *stream, const char *message);

/* Ends the stream: the subscriber is told it is complete, then close is
 * called. */
GQL_EXTERN void gql_stream_end(gql_stream *stream);

/* Per-subscription memory that lives as long as the stream. */
GQL_EXTERN void *gql_stream_alloc(gql_stream *stream, size_t size);

GQL_END_DECLS

#endif
