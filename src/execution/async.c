/* src/execution/async.c — pending values, thread-pool work and data
 * loaders (include/gql/async.h). */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/hash.h"
#include "execution/engine.h"
#include "execution/scalar_call.h"
#include "gql/status.h"
#include "execution/pool.h"

/* ---- pending values --------------------------------------------------------- */

static struct gql_pending *token_new(gqlx_exec *x)
{
    pthread_mutex_lock(&x->lock);
    struct gql_pending *t = GQLX_NEW(&x->own, struct gql_pending);
    if (t != NULL) {
        t->x = x;
        t->state = GQLX_TOKEN_NEW;
        x->refs++;
    }
    pthread_mutex_unlock(&x->lock);
    return t;
}

gql_value gql_pending_new(gql_info *info, gql_pending **token)
{
    if (token != NULL)
        *token = NULL;
    if (info == NULL || token == NULL)
        return gqlx_error_value();
    struct gql_pending *t = token_new(info->x);
    if (t == NULL)
        return gql_error(info, "Out of memory.");
    *token = t;
    gql_value v = gql_null();
    v.kind = GQL_VALUE_PENDING;
    v.u.ptr = t;
    return v;
}

void gqlx_exec_enqueue(gqlx_exec *x, struct gql_pending *t)
{
    t->state = GQLX_TOKEN_QUEUED;
    t->next_queued = NULL;
    if (x->queue_tail)
        x->queue_tail->next_queued = t;
    else
        x->queue_head = t;
    x->queue_tail = t;
}

static void deliver(struct gql_pending *t, gql_value value, const char *reject)
{
    if (t == NULL)
        return;
    gqlx_exec *x = t->x;
    char *msg = NULL;
    if (reject != NULL) {
        size_t n = strlen(reject);
        msg = gqlx_malloc(n + 1);
        if (msg != NULL)
            memcpy(msg, reject, n + 1);
        else
            value = gql_null();
    }
    bool foreign = !pthread_equal(pthread_self(), x->owner);
    bool wake = false, drive = false;
    pthread_mutex_lock(&x->lock);
    if (t->state == GQLX_TOKEN_NEW) {
        /* The engine has not seen the value yet: it takes it when it does. */
        t->value = value;
        t->reject = msg;
        t->state = GQLX_TOKEN_EARLY;
        pthread_mutex_unlock(&x->lock);
        return;
    }
    if (t->state != GQLX_TOKEN_ATTACHED) { /* delivered twice */
        pthread_mutex_unlock(&x->lock);
        gqlx_free(msg);
        return;
    }
    if (x->finished) {
        /* Its position was nulled and the response is out: drop it. */
        t->state = GQLX_TOKEN_SPENT;
        pthread_mutex_unlock(&x->lock);
        gqlx_free(msg);
        gqlx_exec_unref(x);
        return;
    }
    t->value = value;
    t->reject = msg;
    gqlx_exec_enqueue(x, t);
    if (x->blocking) {
        pthread_cond_signal(&x->cond);
    } else if (foreign) {
        if (x->wake != NULL && !x->finished) {
            x->refs += 2; /* the wake's (spent by the poll) and ours */
            x->waking++;
            wake = true;
        }
    } else {
        drive = !x->running;
    }
    pthread_mutex_unlock(&x->lock);
    if (wake) {
        x->wake((gql_execution *)(void *)x, x->arg);
        pthread_mutex_lock(&x->lock);
        if (--x->waking == 0)
            pthread_cond_broadcast(&x->cond);
        pthread_mutex_unlock(&x->lock);
        gqlx_exec_unref(x);
    } else if (drive) {
        /* Delivered on the execution's thread outside the engine. */
        pthread_mutex_lock(&x->lock);
        x->refs++;
        pthread_mutex_unlock(&x->lock);
        gqlx_exec_poll(x);
    }
}

void gql_pending_resolve(gql_pending *token, gql_value value)
{
    deliver(token, value, NULL);
}

void gql_pending_reject(gql_pending *token, const char *message)
{
    deliver(token, gqlx_error_value(), message ? message : "Error");
}

/* ---- thread pool ------------------------------------------------------------ */

struct gql_work {
    gqlx_arena *arena;
    char *error;
};

typedef struct job {
    struct gql_pending *token;
    gql_work_fn fn;
    void *arg;
    gql_work work;
} job;

void *gql_work_alloc(gql_work *work, size_t size)
{
    return work ? gqlx_arena_alloc(work->arena, size ? size : 1, 16) : NULL;
}

gql_value gql_work_string(gql_work *work, const char *s, size_t len)
{
    if (work == NULL || (s == NULL && len > 0))
        return gql_null();
    char *copy = gqlx_arena_memdup(work->arena, len ? s : "", len ? len : 1);
    return copy ? gql_string(copy, len) : gql_null();
}

gql_value gql_work_error(gql_work *work, const char *message)
{
    if (work != NULL && work->error == NULL && message != NULL) {
        size_t n = strlen(message);
        work->error = gqlx_malloc(n + 1);
        if (work->error)
            memcpy(work->error, message, n + 1);
    }
    return gqlx_error_value();
}

static bool keep_arena(gqlx_exec *x, gqlx_arena *a)
{
    pthread_mutex_lock(&x->lock);
    bool ok = true;
    if (x->work_count == x->work_cap) {
        size_t cap = x->work_cap ? x->work_cap * 2 : 8;
        gqlx_arena **bigger = gqlx_realloc(x->work_arenas, cap * sizeof *bigger);
        if (bigger == NULL)
            ok = false;
        else
            x->work_arenas = bigger, x->work_cap = cap;
    }
    if (ok)
        x->work_arenas[x->work_count++] = a;
    pthread_mutex_unlock(&x->lock);
    return ok;
}

static void run_job(void *arg)
{
    job *j = arg;
    gql_value v = j->fn(&j->work, j->arg);
    struct gql_pending *t = j->token;
    if (v.kind == GQL_VALUE_ERROR)
        deliver(t, v, j->work.error ? j->work.error : "Error");
    else
        deliver(t, v, NULL);
    gqlx_free(j->work.error);
    gqlx_free(j);
}

gql_value gql_offload(gql_info *info, gql_pool *pool, gql_work_fn fn, void *arg)
{
    if (info == NULL || fn == NULL)
        return gqlx_error_value();
    gqlx_exec *x = info->x;
    if (pool == NULL)
        pool = x->opts.pool;
    gqlx_arena *a = gqlx_malloc(sizeof *a);
    if (a == NULL)
        return gql_error(info, "Out of memory.");
    gqlx_arena_init(a, 0, x->opts.max_memory);
    if (!keep_arena(x, a)) {
        gqlx_free(a);
        return gql_error(info, "Out of memory.");
    }
    if (pool == NULL) {
        gql_work w = {a, NULL};
        gql_value v = fn(&w, arg);
        if (v.kind == GQL_VALUE_ERROR) {
            v = gql_error(info, "%s", w.error ? w.error : "Error");
            gqlx_free(w.error);
        }
        return v;
    }
    job *j = gqlx_malloc(sizeof *j);
    gql_pending *token = NULL;
    gql_value pending = j ? gql_pending_new(info, &token) : gqlx_error_value();
    if (j == NULL || token == NULL) {
        gqlx_free(j);
        return j ? pending : gql_error(info, "Out of memory.");
    }
    j->token = token;
    j->fn = fn;
    j->arg = arg;
    j->work.arena = a;
    j->work.error = NULL;
    if (gqlx_pool_submit(pool, run_job, j) != GQL_OK) {
        gqlx_free(j);
        gql_pending_reject(token, "Out of memory.");
    }
    return pending;
}

/* ---- data loaders ----------------------------------------------------------- */

struct gql_loader {
    gql_batch_fn fn;
    void *data;
    size_t max_batch;
};

int gql_loader_new(gql_loader **out, gql_batch_fn fn, void *data, size_t max_batch)
{
    if (out == NULL || fn == NULL)
        return GQL_EINVAL;
    gql_loader *l = gqlx_malloc(sizeof *l);
    *out = l;
    if (l == NULL)
        return GQL_ENOMEM;
    l->fn = fn;
    l->data = data;
    l->max_batch = max_batch;
    return GQL_OK;
}

void gql_loader_free(gql_loader *loader)
{
    gqlx_free(loader);
}

/* One key of one request: its result once known, and the tokens waiting
 * for it. */
typedef struct key_entry {
    gql_value key;
    uint64_t hash;
    bool answered;
    bool queued; /* not yet handed to a batch */
    gql_value value;
    const char *reject;
    struct gql_pending **waiters;
    size_t waiter_count, waiter_cap;
} key_entry;

struct gqlx_loader_state {
    gqlx_loader_state *next;
    gql_loader *loader;
    key_entry **entries; /* open addressing by key hash */
    size_t mask, used;
    key_entry **queue; /* keys waiting for the next batch */
    size_t queue_count, queue_cap;
};

struct gql_batch {
    gqlx_exec *x;
    key_entry **keys;
    size_t count;
    size_t left;
};

static bool key_hash(gql_value key, uint64_t *h)
{
    if (key.kind == GQL_VALUE_INT) {
        *h = gqlx_hash(&key.u.i, sizeof key.u.i, 1);
        return true;
    }
    if (key.kind == GQL_VALUE_STRING) {
        *h = gqlx_hash(key.u.str, key.len, 2);
        return true;
    }
    return false;
}

static bool key_equal(gql_value a, gql_value b)
{
    if (a.kind != b.kind)
        return false;
    if (a.kind == GQL_VALUE_INT)
        return a.u.i == b.u.i;
    return a.len == b.len && memcmp(a.u.str, b.u.str, a.len) == 0;
}

static gqlx_loader_state *state_for(gqlx_exec *x, gql_loader *l)
{
    for (gqlx_loader_state *s = x->loaders; s != NULL; s = s->next)
        if (s->loader == l)
            return s;
    gqlx_loader_state *s = GQLX_NEW(&x->own, gqlx_loader_state);
    if (s == NULL)
        return NULL;
    s->loader = l;
    s->next = x->loaders;
    x->loaders = s;
    return s;
}

static key_entry **find_slot(gqlx_loader_state *s, gql_value key, uint64_t h)
{
    for (size_t i = (size_t)h;; i++) {
        key_entry **slot = &s->entries[i & s->mask];
        if (*slot == NULL || ((*slot)->hash == h && key_equal((*slot)->key, key)))
            return slot;
    }
}

static bool grow_table(gqlx_exec *x, gqlx_loader_state *s)
{
    size_t cap = s->mask ? (s->mask + 1) * 2 : 16;
    key_entry **old = s->entries;
    size_t old_cap = s->mask ? s->mask + 1 : 0;
    s->entries = gqlx_arena_zalloc(&x->own, cap * sizeof *s->entries, _Alignof(void *));
    if (s->entries == NULL) {
        s->entries = old;
        return false;
    }
    s->mask = cap - 1;
    for (size_t i = 0; i < old_cap; i++)
        if (old[i] != NULL)
            *find_slot(s, old[i]->key, old[i]->hash) = old[i];
    return true;
}

static bool add_waiter(gqlx_exec *x, key_entry *e, struct gql_pending *t)
{
    if (e->waiter_count == e->waiter_cap &&
        !gqlx_arena_grow(&x->own, (void **)&e->waiters, &e->waiter_cap, e->waiter_count + 1,
                         sizeof *e->waiters, e->waiter_count))
        return false;
    e->waiters[e->waiter_count++] = t;
    return true;
}

gql_value gql_load(gql_info *info, gql_loader *loader, gql_value key)
{
    if (info == NULL || loader == NULL)
        return gqlx_error_value();
    uint64_t h;
    if (!key_hash(key, &h))
        return gql_error(info, "A data loader key must be an integer or a string.");
    gqlx_exec *x = info->x;
    gqlx_loader_state *s = state_for(x, loader);
    if (s == NULL || ((s->used + 1) * 2 > s->mask && !grow_table(x, s)))
        return gql_error(info, "Out of memory.");
    key_entry **slot = find_slot(s, key, h);
    key_entry *e = *slot;
    pthread_mutex_lock(&x->lock);
    bool answered = e != NULL && e->answered;
    pthread_mutex_unlock(&x->lock);
    if (answered) {
        if (e->reject != NULL)
            return gql_error(info, "%s", e->reject);
        return e->value;
    }
    if (e == NULL) {
        e = GQLX_NEW(&x->own, key_entry);
        if (e == NULL)
            return gql_error(info, "Out of memory.");
        e->key = key;
        if (key.kind == GQL_VALUE_STRING) {
            char *copy = gqlx_arena_memdup(&x->own, key.len ? key.u.str : "", key.len ? key.len : 1);
            if (copy == NULL)
                return gql_error(info, "Out of memory.");
            e->key.u.str = copy;
        }
        e->hash = h;
        *slot = e;
        s->used++;
        if (s->queue_count == s->queue_cap &&
            !gqlx_arena_grow(&x->own, (void **)&s->queue, &s->queue_cap, s->queue_count + 1,
                             sizeof *s->queue, s->queue_count))
            return gql_error(info, "Out of memory.");
        s->queue[s->queue_count++] = e;
        e->queued = true;
    }
    gql_pending *token = NULL;
    gql_value v = gql_pending_new(info, &token);
    if (token == NULL)
        return v;
    /* Checked and joined under the lock: a batch answered from another
     * thread meanwhile either delivers to this waiter or is seen
     * answered here. */
    pthread_mutex_lock(&x->lock);
    answered = e->answered;
    bool added = !answered && add_waiter(x, e, token);
    pthread_mutex_unlock(&x->lock);
    if (answered)
        deliver(token, e->reject != NULL ? gqlx_error_value() : e->value, e->reject);
    else if (!added)
        gql_pending_reject(token, "Out of memory.");
    return v;
}

bool gqlx_loaders_dispatch(gqlx_exec *x)
{
    bool any = false;
    for (gqlx_loader_state *s = x->loaders; s != NULL; s = s->next) {
        while (s->queue_count > 0) {
            size_t n = s->queue_count;
            if (s->loader->max_batch && n > s->loader->max_batch)
                n = s->loader->max_batch;
            gql_batch *b = GQLX_NEW(&x->own, gql_batch);
            key_entry **keys = GQLX_ARRAY(&x->own, key_entry *, n);
            if (b == NULL || keys == NULL) {
                x->oom = true;
                return false;
            }
            memcpy(keys, s->queue, n * sizeof *keys);
            memmove(s->queue, s->queue + n, (s->queue_count - n) * sizeof *keys);
            s->queue_count -= n;
            b->x = x;
            b->keys = keys;
            b->count = n;
            b->left = n;
            for (size_t i = 0; i < n; i++)
                keys[i]->queued = false;
            any = true;
            s->loader->fn(b, s->loader->data);
        }
    }
    return any;
}

size_t gql_batch_size(const gql_batch *batch)
{
    return batch ? batch->count : 0;
}

gql_value gql_batch_key(const gql_batch *batch, size_t i)
{
    return batch && i < batch->count ? batch->keys[i]->key : gql_null();
}

void *gql_batch_context(const gql_batch *batch)
{
    return batch ? batch->x->context : NULL;
}

void *gql_batch_alloc(gql_batch *batch, size_t size)
{
    if (batch == NULL)
        return NULL;
    return gqlx_arena_alloc(&batch->x->arena, size ? size : 1, 16);
}

static void answer(gql_batch *batch, size_t i, gql_value value, const char *reject)
{
    if (batch == NULL || i >= batch->count)
        return;
    key_entry *e = batch->keys[i];
    gqlx_exec *x = batch->x;
    char *copy = NULL;
    if (reject != NULL) {
        size_t n = strlen(reject);
        copy = gqlx_malloc(sizeof(gqlx_block) + n + 1);
        if (copy != NULL)
            memcpy(copy + sizeof(gqlx_block), reject, n + 1);
    }
    pthread_mutex_lock(&x->lock);
    if (e->answered) {
        pthread_mutex_unlock(&x->lock);
        gqlx_free(copy);
        return;
    }
    e->answered = true;
    e->value = value;
    if (copy != NULL) {
        gqlx_block *blk = (gqlx_block *)(void *)copy;
        blk->next = x->blocks;
        x->blocks = blk;
        e->reject = copy + sizeof(gqlx_block);
    } else if (reject != NULL) {
        e->reject = "Out of memory.";
    }
    /* No waiter joins once the key is answered (gql_load checks under the
     * lock), so the list is final. */
    struct gql_pending **waiters = e->waiters;
    size_t count = e->waiter_count;
    pthread_mutex_unlock(&x->lock);
    /* Waiters are delivered outside the lock; each copies the message. */
    for (size_t k = 0; k < count; k++)
        deliver(waiters[k], reject ? gqlx_error_value() : value, reject);
}

void gql_batch_resolve(gql_batch *batch, size_t i, gql_value value)
{
    answer(batch, i, value, NULL);
}

void gql_batch_reject(gql_batch *batch, size_t i, const char *message)
{
    answer(batch, i, gqlx_error_value(), message ? message : "Error");
}
