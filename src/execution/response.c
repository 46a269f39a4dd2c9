/* src/execution/response.c — assembling the response text: errors first,
 * then data spliced together from the regions of pending values. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/limits.h"
#include "execution/engine.h"
#include "execution/spare.h"
#include "gql/status.h"
#include "execution/error_json.h"

typedef struct event {
    size_t pos;
    size_t seq;         /* creation order: holes at one offset keep it */
    gqlx_hole *hole;    /* a filled hole at pos */
    gqlx_pframe *frame; /* or a nulled frame starting at pos */
} event;

typedef struct splice {
    const gqlx_buf *src;
    gqlx_buf *dst;
    event *ev;
    size_t n;
} splice;

static size_t first_at_or_after(const splice *s, size_t pos)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->ev[mid].pos < pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void emit(const splice *s, size_t start, size_t end, unsigned depth)
{
    size_t pos = start;
    size_t i = first_at_or_after(s, start);
    /* A hole may sit at the region's very end (regions never touch:
     * see gqlx_exec_fill_hole). */
    while (i < s->n && s->ev[i].pos <= end) {
        event *e = &s->ev[i];
        gqlx_buf_append(s->dst, s->src->data + pos, e->pos - pos);
        if (e->frame != NULL) {
            gqlx_buf_append(s->dst, "null", 4);
            pos = e->frame->end;
            while (i < s->n && s->ev[i].pos < pos)
                i++;
            continue;
        }
        pos = e->pos;
        if (e->hole->self.nulled || depth > 10000)
            gqlx_buf_append(s->dst, "null", 4);
        else
            emit(s, e->hole->self.start, e->hole->self.end, depth + 1);
        i++;
    }
    if (pos < end)
        gqlx_buf_append(s->dst, s->src->data + pos, end - pos);
}

static int by_pos(const void *a, const void *b)
{
    const event *x = a, *y = b;
    if (x->pos != y->pos)
        return x->pos < y->pos ? -1 : 1;
    /* A nulled frame covers a hole at its own start. */
    if ((x->frame == NULL) != (y->frame == NULL))
        return (x->frame == NULL) - (y->frame == NULL);
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static bool write_data(gqlx_exec *x, gqlx_buf *b)
{
    if (x->root_frame.nulled) {
        gqlx_buf_append(b, "null", 4);
        return true;
    }
    if (x->hole_count == 0 && x->nulled_count == 0) {
        gqlx_buf_append(b, x->out.data + x->root_frame.start, x->main_end - x->root_frame.start);
        return true;
    }
    size_t n = 0;
    event *ev = gqlx_malloc((x->hole_count + x->nulled_count + 1) * sizeof *ev);
    if (ev == NULL)
        return false;
    for (size_t i = 0; i < x->hole_count; i++)
        if (x->holes[i]->state == GQLX_HOLE_FILLED)
            ev[n++] = (event){x->holes[i]->offset, i, x->holes[i], NULL};
    for (size_t i = 0; i < x->nulled_count; i++)
        if (!x->nulled[i]->is_hole)
            ev[n++] = (event){x->nulled[i]->start, i, NULL, x->nulled[i]};
    qsort(ev, n, sizeof *ev, by_pos);
    splice s = {&x->out, b, ev, n};
    emit(&s, x->root_frame.start, x->main_end, 0);
    gqlx_free(ev);
    return true;
}

static bool over_limit(const gqlx_exec *x)
{
    return x->out.failed || x->errors.failed ||
           (gqlx_arena_failed(&x->arena) && x->arena.cap != 0 &&
            gqlx_arena_reserved(&x->arena) + GQLX_ARENA_CHUNK_BYTES * 4 >= x->arena.cap);
}

/* Keeps the data of an operation that depends on the schema alone (see
 * gqlx_plan.op_cached) for the next requests with this plan. */
static void keep_schema_data(gqlx_exec *x)
{
    gqlx_plan *p = x->plan;
    if (!p->shared || x->op == NULL || !p->op_schema_only[x->op_index] ||
        atomic_load_explicit(&p->op_cached[x->op_index], memory_order_acquire) != NULL)
        return;
    size_t len = x->main_end - x->root_frame.start;
    pthread_mutex_lock(&p->lock);
    if (atomic_load_explicit(&p->op_cached[x->op_index], memory_order_acquire) == NULL) {
        gqlx_cached_data *c =
            gqlx_arena_alloc(&p->arena, sizeof *c + len, _Alignof(gqlx_cached_data));
        if (c != NULL) {
            c->len = len;
            memcpy(c->text, x->out.data + x->root_frame.start, len);
            atomic_store_explicit(&p->op_cached[x->op_index], c, memory_order_release);
        }
    }
    pthread_mutex_unlock(&p->lock);
}

void gqlx_exec_build_response(gqlx_exec *x)
{
    gql_response *r = gqlx_spare_response_new();
    x->response = r;
    if (r == NULL)
        return;
    gqlx_buf b;
    gqlx_buf_init(&b, 0);
    bool failed = x->oom || x->out.failed || x->errors.failed || gqlx_arena_failed(&x->arena);
    if (failed) {
        bool limit = over_limit(x);
        r->status = limit ? GQL_ELIMIT : GQL_ENOMEM;
        const char *m = limit ? "The request exceeded its memory limit." : "Out of memory.";
        gqlx_buf_append(&b, "{\"errors\":[", 11);
        gqlx_error_json(&b, m, strlen(m), NULL, 0);
        gqlx_buf_append(&b, "]}", 2);
        r->error_count = 1;
    } else if (x->status == GQL_OK && x->error_count == 0 && x->hole_count == 0 &&
               x->nulled_count == 0 && !x->root_frame.nulled && x->root_frame.start == 8) {
        /* The data buffer already starts with {"data": and is the
         * response once closed: no copy. */
        atomic_store_explicit(&x->plan->out_hint, x->out.len, memory_order_relaxed);
        keep_schema_data(x);
        x->out.len = x->main_end;
        gqlx_buf_putc(&x->out, '}');
        r->status = GQL_OK;
        if (x->out.failed)
            b.failed = true;
        else
            b = x->out, gqlx_buf_init(&x->out, 0);
    } else {
        r->status = x->status;
        r->error_count = x->error_count;
        gqlx_buf_putc(&b, '{');
        if (x->error_count > 0) {
            gqlx_buf_append(&b, "\"errors\":[", 10);
            gqlx_buf_append(&b, x->errors.data, x->errors.len);
            gqlx_buf_putc(&b, ']');
        }
        if (x->status == GQL_OK) {
            if (x->error_count > 0)
                gqlx_buf_putc(&b, ',');
            gqlx_buf_append(&b, "\"data\":", 7);
            if (!write_data(x, &b))
                b.failed = true;
        }
        gqlx_buf_putc(&b, '}');
    }
    if (b.failed) {
        gqlx_buf_free(&b);
        gqlx_spare_response_free(r);
        x->response = NULL;
        return;
    }
    r->json_cap = b.cap;
    r->json = gqlx_buf_detach(&b, &r->len);
    /* The request's memory moves to the response. */
    r->arena = x->arena;
    gqlx_arena_init(&x->arena, 0, 0);
    r->cleanups = x->cleanups;
    x->cleanups = NULL;
    r->work_arenas = x->work_arenas;
    r->work_count = x->work_count;
    x->work_arenas = NULL;
    x->work_count = x->work_cap = 0;
}

const char *gql_response_json(const gql_response *resp, size_t *len)
{
    if (resp == NULL) {
        if (len)
            *len = 0;
        return NULL;
    }
    if (len)
        *len = resp->len;
    return resp->json;
}

int gql_response_status(const gql_response *resp)
{
    return resp ? resp->status : GQL_EINVAL;
}

size_t gql_response_error_count(const gql_response *resp)
{
    return resp ? resp->error_count : 0;
}

void gql_response_free(gql_response *resp)
{
    if (resp == NULL)
        return;
    for (gqlx_cleanup *c = resp->cleanups; c != NULL;) {
        gqlx_cleanup *next = c->next;
        c->fn(c->arg);
        gqlx_free(c);
        c = next;
    }
    for (size_t i = 0; i < resp->work_count; i++) {
        gqlx_arena_free(resp->work_arenas[i]);
        gqlx_free(resp->work_arenas[i]);
    }
    gqlx_free(resp->work_arenas);
    resp->cleanups = NULL;
    resp->work_arenas = NULL;
    resp->work_count = 0;
    gqlx_spare_response_free(resp);
}
