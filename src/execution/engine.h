/* src/execution/engine.h — the execution engine's internal state.
 *
 * The engine writes the response's "data" straight into one buffer while
 * it walks the operation depth first (execute.c). Null propagation inside
 * that walk is a return code plus truncating the buffer back to where the
 * nullable value began.
 *
 * Pending values (async.h) leave a hole: an offset in the buffer where the
 * value belongs. When the value arrives, it is completed into a new region
 * appended at the end of the buffer, and the response is assembled at the
 * end by splicing regions into their holes (response.c). A non-null
 * pending value that completes to null must null its nearest nullable
 * ancestor, whose text may already be written: the ancestors of a hole are
 * kept as persisted frames (start and end offsets), and a nulled frame is
 * replaced by `null` during assembly. Requests without pending values never
 * pay for any of this beyond a few stores per object. */
#ifndef GQLX_ENGINE_H
#define GQLX_ENGINE_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/json.h"
#include "execution/plan.h"
#include "execution/plan_cache.h"
#include "gql/exec.h"
#include "types/schema.h"

typedef struct gqlx_exec gqlx_exec;

/* A response path, linked from the leaf to the root. */
typedef struct gqlx_path {
    const struct gqlx_path *prev;
    const gqlx_pfield *field; /* a key step; NULL for a list index */
    uint32_t index;
    uint32_t depth; /* steps from the root, this one included */
} gqlx_path;

/* A composite value's text range, kept for holes below it. */
typedef struct gqlx_pframe {
    struct gqlx_pframe *parent;
    size_t start, end;
    bool nullable; /* the value's position accepts null */
    bool nulled;   /* replaced by null in the response */
    bool is_hole;  /* the frame of a hole's own region */
} gqlx_pframe;

/* A composite value being written (on the C stack). */
typedef struct gqlx_frame {
    struct gqlx_frame *parent;
    size_t start;
    bool nullable;
    gqlx_pframe *persist; /* made when a hole below needs it */
} gqlx_frame;

typedef enum gqlx_hole_state {
    GQLX_HOLE_WAITING,
    GQLX_HOLE_FILLED,
    GQLX_HOLE_DEAD /* its position was nulled before its value came */
} gqlx_hole_state;

typedef enum gqlx_hole_kind {
    GQLX_HOLE_VALUE,   /* a pending value */
    GQLX_HOLE_SERIAL   /* the rest of a mutation's root fields */
} gqlx_hole_kind;

struct gql_info {
    gqlx_exec *x;
    const gqlx_pfield *pf;
    const gqlx_field_decl *decl;
    const gqlx_type *parent_type;
    const gqlx_path *path;
    const gqlx_json *args;
    void *data;
    /* Look-ahead names, collected on the first question. */
    const char **selection;
    size_t selection_count;
    bool selection_ready;
};

typedef struct gqlx_hole {
    size_t offset;   /* where the value goes */
    gqlx_pframe self; /* the filled region [start, end) */
    uint8_t state;   /* gqlx_hole_state */
    uint8_t kind;    /* gqlx_hole_kind */
    const gqlx_type_ref *type;
    gql_info info;   /* persisted: path and args in the request arena */
    const gqlx_path *path;
    uint32_t next_root; /* SERIAL: the next root field */
} gqlx_hole;

typedef enum gqlx_token_state {
    GQLX_TOKEN_NEW,       /* handed out; the engine has not seen it yet */
    GQLX_TOKEN_EARLY,     /* delivered before the engine saw it */
    GQLX_TOKEN_ATTACHED,  /* the engine made a hole for it */
    GQLX_TOKEN_QUEUED,    /* delivered, waiting in the queue */
    GQLX_TOKEN_SPENT
} gqlx_token_state;

struct gql_pending {
    gqlx_exec *x;
    gqlx_hole *hole;
    uint8_t state;         /* gqlx_token_state */
    gql_value value;
    char *reject;          /* a rejection message (gqlx_malloc'd) */
    struct gql_pending *next_queued;
};

typedef struct gqlx_loader_state gqlx_loader_state;

/* A gqlx_malloc'd block freed with the execution (data written by other
 * threads, which must not touch the arenas). */
typedef struct gqlx_block {
    struct gqlx_block *next;
} gqlx_block;
typedef struct gqlx_cleanup gqlx_cleanup;

struct gqlx_exec {
    gqlx_arena arena; /* the request arena: moves to the response */
    gqlx_arena own;   /* holes and tokens: lives as long as this struct */
    const gqlx_schema *schema;
    gql_exec_opts opts;
    gqlx_plan *plan;
    gqlx_plan_entry *entry; /* the cache's reference, or NULL */
    bool borrowed_plan;     /* a subscription event: the plan is not ours */
    gqlx_collector coll;
    uint32_t op_index;
    const gqlx_operation_def *op;
    const gqlx_type *root_type;
    const gqlx_fieldset *root_fields;
    const gqlx_json *variables;
    const gqlx_json *empty_args;
    const gqlx_type_ref *plan_schema_ref; /* __Schema! */
    const gqlx_type_ref *plan_type_ref;   /* __Type */
    bool event_root; /* a subscription event: see gql_schema_builder_subscriber */
    bool no_propagation; /* @experimental_disableErrorPropagation */
    gql_value root;
    void *context;
    void *user;
    const struct gql_upload *uploads; /* the request's files (upload.c) */
    size_t upload_count;

    gqlx_buf out;    /* "data" text (regions) */
    gqlx_buf errors; /* error objects separated by commas */
    size_t error_count;
    gqlx_buf msg;    /* scratch for messages */
    int status;      /* of the response */
    bool oom;

    /* Holes and nulled frames (only when values were pending). */
    gqlx_hole **holes;
    size_t hole_count, hole_cap;
    gqlx_pframe **nulled;
    size_t nulled_count, nulled_cap;
    gqlx_pframe root_frame;
    size_t main_end;     /* end of the first region */
    uint32_t waiting;    /* holes still waiting */
    bool serial_paused;  /* a mutation waits for its pending work */
    uint32_t serial_next;
    gqlx_hole *serial_hole;
    bool finished;

    /* Delivered values. */
    pthread_mutex_t lock;
    pthread_cond_t cond;
    pthread_t owner;
    bool blocking;
    bool running;
    struct gql_pending *queue_head, *queue_tail;
    uint32_t refs;   /* engine + wake calls + unspent tokens */
    uint32_t waking; /* wake callbacks running now: done waits for them,
                        so a wake never sees its arg freed */
    bool engine_ref; /* async: the engine's reference is still held */

    gqlx_loader_state *loaders;
    gqlx_block *blocks;
    gqlx_arena **work_arenas;
    size_t work_count, work_cap;
    gqlx_cleanup *cleanups;

    gql_done_fn done;
    gql_wake_fn wake;
    void *arg;
    gql_response *response;
};

struct gqlx_cleanup {
    gqlx_cleanup *next;
    void (*fn)(void *arg);
    void *arg;
};

struct gql_response {
    gqlx_arena arena;
    char *json;
    size_t len;
    size_t json_cap; /* bytes allocated for json; 0 = not known */
    int status;
    size_t error_count;
    gqlx_cleanup *cleanups;
    gqlx_arena **work_arenas;
    size_t work_count;
};

/* ---- execute.c ---------------------------------------------------------- */

/* Executes the root fields from index `from` into x->out, as a query
 * (every field) or, for mutations, until one leaves pending work (then
 * pauses: x->serial_paused). Writes the opening brace when from is 0 and
 * the closing brace when done. */
void gqlx_exec_root(gqlx_exec *x, uint32_t from);

/* Calls the subscriber of a subscription's root field: returns the stream,
 * or an error value (the error is in x->errors). */
gql_value gqlx_exec_subscribe_source(gqlx_exec *x);

/* The root selection could not be collected (x->coll.error): records the
 * error and makes data null. */
void gqlx_exec_root_failed(gqlx_exec *x);

/* Completes the delivered value of a hole into a new region. */
void gqlx_exec_fill_hole(gqlx_exec *x, gqlx_hole *h, gql_value v, const char *reject);

/* Records a field error at path with the field's locations. message need
 * not be NUL-terminated. extensions: JSON object text or NULL. */
void gqlx_exec_field_error(gqlx_exec *x, const gqlx_pfield *pf, const gqlx_path *path,
                           const char *message, size_t len, const char *extensions,
                           size_t ext_len);

/* ---- request.c ---------------------------------------------------------- */

/* Runs queued work until nothing is runnable; finishes the execution when
 * nothing is waiting. */
void gqlx_exec_drive(gqlx_exec *x);

/* A new execution with one reference (the engine's), nothing prepared.
 * chunk_bytes: the request arena's first chunk (0: the default, and the
 * thread's spare memory may be used; see spare.h). */
gqlx_exec *gqlx_exec_new(const gqlx_schema *s, const gql_exec_opts *opts, size_t chunk_bytes);

/* Drives x on its own thread and drops one reference the caller took for
 * the call, releasing the engine's reference too if x finished. */
void gqlx_exec_poll(gqlx_exec *x);

/* Drops one reference; frees x at zero. Call without x->lock held. */
void gqlx_exec_unref(gqlx_exec *x);

/* Prepares an execution up to (not including) running the root fields.
 * Returns GQL_OK; a request error leaves x->status set and the error in
 * x->errors; GQL_ENOMEM when nothing could be made (x NULL). */
int gqlx_exec_prepare(const gql_schema *schema, const gql_request *req, const gql_exec_opts *opts,
                      gqlx_exec **out);

/* gqlx_exec_prepare whose arena starts with chunks of chunk_bytes (0: the
 * default): a subscription keeps its prepared request for as long as it
 * lives, and needs little of the default chunk. */
int gqlx_exec_prepare_chunk(const gql_schema *schema, const gql_request *req,
                            const gql_exec_opts *opts, size_t chunk_bytes, gqlx_exec **out);

/* Runs a prepared execution whose done callback is set, and releases the
 * engine's reference when it completes. */
void gqlx_exec_run_async(gqlx_exec *x);

/* Builds x->response from the buffers (response.c). */
void gqlx_exec_build_response(gqlx_exec *x);

/* ---- async.c ------------------------------------------------------------ */

/* Calls the batch functions of loaders with queued keys; false when there
 * were none. */
bool gqlx_loaders_dispatch(gqlx_exec *x);

/* Appends a delivered token to x's queue and marks it queued. Call with
 * x->lock held. */
void gqlx_exec_enqueue(gqlx_exec *x, struct gql_pending *t);

#endif
