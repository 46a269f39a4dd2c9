/* src/execution/spare.h — memory kept per thread between executions.
 *
 * A small request spends much of its time in the system allocator: the
 * execution's struct, its arenas and buffers, the response's struct and
 * text. Each thread keeps a few freed executions and responses, reset,
 * for its next requests, within a count and a byte limit, so a thread
 * never holds much memory for requests it no longer serves. A thread's
 * spares are freed when it exits. */
#ifndef GQLX_EXECUTION_SPARE_H
#define GQLX_EXECUTION_SPARE_H

#include <stdbool.h>

#include "execution/engine.h"

/* Executions, and responses, kept per thread. */
#define GQLX_SPARE_COUNT 16u

/* Bytes of arenas and buffers kept per thread, and the largest buffer
 * kept (larger ones are freed). */
#define GQLX_SPARE_MAX_BYTES     (512u * 1024u)
#define GQLX_SPARE_BUF_MAX_BYTES (64u * 1024u)

/* An execution as gqlx_exec_new leaves it: the thread's spare reused or a
 * new one. With chunk_bytes 0 its arena and output buffer may be the
 * spare response's memory; otherwise (a long-lived execution that wants
 * a small footprint) its arena starts empty with that first chunk. NULL
 * when memory runs out. */
gqlx_exec *gqlx_spare_exec_new(const gqlx_schema *s, const gql_exec_opts *opts, size_t chunk_bytes);

/* Frees what an execution still owns once its per-request state is
 * released (the caller's part of freeing it), then keeps x as the
 * thread's spare or frees it. */
void gqlx_spare_exec_free(gqlx_exec *x);

/* A zeroed response struct with an empty arena. NULL when memory runs
 * out. */
gql_response *gqlx_spare_response_new(void);

/* Frees what a response holds beyond its cleanups and work arenas (which
 * the caller has run and freed), then keeps it as the thread's spare or
 * frees it. */
void gqlx_spare_response_free(gql_response *r);

#endif
