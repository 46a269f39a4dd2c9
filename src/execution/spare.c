/* src/execution/spare.c — per-thread spare executions and responses.
 *
 * A response's arena and text come back to a later execution on the
 * thread: the arena as its request arena (which moves to its response
 * again), the text's storage as its output buffer (which usually becomes
 * its response's text). Several are kept, not one: a server loop builds
 * the answers of every request one read brought before it frees the
 * first of them. */
#include "execution/spare.h"

#include <pthread.h>
#include <string.h>

#include "core/alloc.h"

typedef struct spares {
    gqlx_exec *execs[GQLX_SPARE_COUNT]; /* reset, buffers emptied */
    size_t nexecs;
    gql_response *full[GQLX_SPARE_COUNT]; /* with their arena reset and text kept */
    size_t nfull;
    gql_response *bare[GQLX_SPARE_COUNT]; /* structs whose memory went on */
    size_t nbare;
    size_t bytes;    /* held by the kept ones, structs aside */
    bool registered; /* the exit destructor knows this thread */
} spares;

static _Thread_local spares mine;
static pthread_key_t exit_key;
static pthread_once_t exit_once = PTHREAD_ONCE_INIT;

static size_t exec_bytes(const gqlx_exec *x)
{
    return x->own.reserved + x->out.cap + x->errors.cap + x->msg.cap;
}

static size_t response_bytes(const gql_response *r)
{
    return r->arena.reserved + r->json_cap;
}

/* Frees a kept execution (its lock and condition already destroyed). */
static void exec_destroy(gqlx_exec *x)
{
    gqlx_buf_free(&x->out);
    gqlx_buf_free(&x->errors);
    gqlx_buf_free(&x->msg);
    gqlx_arena_free(&x->arena);
    gqlx_arena_free(&x->own);
    gqlx_free(x);
}

static void response_destroy(gql_response *r)
{
    gqlx_free(r->json);
    gqlx_arena_free(&r->arena);
    gqlx_free(r);
}

static void on_thread_exit(void *unused)
{
    (void)unused;
    while (mine.nexecs > 0)
        exec_destroy(mine.execs[--mine.nexecs]);
    while (mine.nfull > 0)
        response_destroy(mine.full[--mine.nfull]);
    while (mine.nbare > 0)
        gqlx_free(mine.bare[--mine.nbare]);
    mine.bytes = 0;
}

static void make_key(void)
{
    if (pthread_key_create(&exit_key, on_thread_exit) != 0)
        exit_key = (pthread_key_t)-1;
}

/* Spares are kept only on a thread whose exit frees them, and only within
 * the count and byte limits. */
static bool may_keep(size_t count, size_t bytes)
{
    if (count >= GQLX_SPARE_COUNT || mine.bytes + bytes > GQLX_SPARE_MAX_BYTES)
        return false;
    if (mine.registered)
        return true;
    pthread_once(&exit_once, make_key);
    if (exit_key == (pthread_key_t)-1 || pthread_setspecific(exit_key, &mine) != 0)
        return false;
    mine.registered = true;
    return true;
}

/* A buffer kept for reuse: emptied, or freed when large. */
static void buf_keep(gqlx_buf *b)
{
    if (b->cap > GQLX_SPARE_BUF_MAX_BYTES) {
        gqlx_buf_free(b);
    } else {
        b->len = 0;
        b->failed = false;
        if (b->data != NULL)
            b->data[0] = '\0';
    }
}

/* Sets a kept buffer's byte limit. The fast appends check only the room
 * allocated, so room past the limit goes (buf.c keeps cap <= max + 1). */
static void buf_limit(gqlx_buf *b, size_t max)
{
    if (max != 0 && b->cap > max + 1)
        gqlx_buf_free(b);
    b->max = max;
}

/* Gives the top full response's memory to x, when it fits x's limit. */
static void take_response_memory(gqlx_exec *x, size_t max)
{
    if (mine.nfull == 0)
        return;
    gql_response *r = mine.full[mine.nfull - 1];
    /* A kept chunk larger than the request's memory limit would let the
     * request pass its limit unnoticed: then the arena starts empty. */
    if (max != 0 && (r->arena.reserved > max || r->json_cap > max + 1))
        return;
    mine.nfull--;
    mine.bytes -= response_bytes(r);
    if (r->arena.chunks != NULL) {
        x->arena = r->arena;
        x->arena.cap = max;
    }
    if (x->out.data == NULL) {
        x->out.data = r->json;
        x->out.cap = r->json_cap;
    } else {
        gqlx_free(r->json);
    }
    gqlx_arena_init(&r->arena, 0, 0);
    r->json = NULL;
    r->json_cap = 0;
    if (mine.nbare < GQLX_SPARE_COUNT)
        mine.bare[mine.nbare++] = r;
    else
        gqlx_free(r);
}

gqlx_exec *gqlx_spare_exec_new(const gqlx_schema *s, const gql_exec_opts *opts, size_t chunk_bytes)
{
    size_t max = opts->max_memory;
    gqlx_exec *x;
    /* A long-lived execution (chunk_bytes set) gets nothing kept: its
     * buffers would hold their spare room for its whole life. */
    if (chunk_bytes == 0 && mine.nexecs > 0) {
        x = mine.execs[--mine.nexecs];
        mine.bytes -= exec_bytes(x);
        /* Everything but the kept members starts zeroed, as when new. */
        gqlx_arena own = x->own;
        gqlx_buf out = x->out, errors = x->errors, msg = x->msg;
        memset(x, 0, sizeof *x);
        x->own = own;
        x->out = out;
        x->errors = errors;
        x->msg = msg;
        buf_limit(&x->out, max);
        buf_limit(&x->errors, max);
    } else {
        x = gqlx_malloc(sizeof *x);
        if (x == NULL)
            return NULL;
        memset(x, 0, sizeof *x);
        gqlx_arena_init(&x->own, 4096, 0);
        gqlx_buf_init(&x->out, max);
        gqlx_buf_init(&x->errors, max);
        gqlx_buf_init(&x->msg, 0);
    }
    pthread_mutex_init(&x->lock, NULL);
    pthread_cond_init(&x->cond, NULL);
    gqlx_arena_init(&x->arena, chunk_bytes, max);
    if (chunk_bytes == 0)
        take_response_memory(x, max);
    x->opts = *opts;
    x->schema = s;
    return x;
}

void gqlx_spare_exec_free(gqlx_exec *x)
{
    pthread_mutex_destroy(&x->lock);
    pthread_cond_destroy(&x->cond);
    gqlx_arena_free(&x->arena);
    gqlx_arena_reset(&x->own);
    buf_keep(&x->out);
    buf_keep(&x->errors);
    buf_keep(&x->msg);
    size_t bytes = exec_bytes(x);
    if (!may_keep(mine.nexecs, bytes)) {
        exec_destroy(x);
        return;
    }
    mine.execs[mine.nexecs++] = x;
    mine.bytes += bytes;
}

gql_response *gqlx_spare_response_new(void)
{
    gql_response *r;
    if (mine.nbare > 0) {
        r = mine.bare[--mine.nbare];
    } else if (mine.nfull > 0) {
        /* The memory no execution took goes now. */
        r = mine.full[--mine.nfull];
        mine.bytes -= response_bytes(r);
        gqlx_free(r->json);
        gqlx_arena_free(&r->arena);
    } else {
        r = gqlx_malloc(sizeof *r);
        if (r == NULL)
            return NULL;
    }
    memset(r, 0, sizeof *r);
    gqlx_arena_init(&r->arena, 0, 0);
    return r;
}

void gqlx_spare_response_free(gql_response *r)
{
    gqlx_arena_reset(&r->arena);
    if (r->json_cap == 0 || r->json_cap > GQLX_SPARE_BUF_MAX_BYTES) {
        /* Text of unknown size (not from a buffer), or large: not kept. */
        gqlx_free(r->json);
        r->json = NULL;
        r->json_cap = 0;
    }
#ifdef GQL_DEBUG_ARENA
    else
        memset(r->json, 0xaa, r->json_cap); /* poison: stale pointers show */
#endif
    size_t bytes = response_bytes(r);
    if (!may_keep(mine.nfull, bytes)) {
        response_destroy(r);
        return;
    }
    mine.full[mine.nfull++] = r;
    mine.bytes += bytes;
}
