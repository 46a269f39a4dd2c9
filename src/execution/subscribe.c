/* src/execution/subscribe.c — subscriptions (graphql-js's subscribe()):
 * the subscriber creates a source stream; each event pushed into it is
 * executed with the event as the root value, and the responses reach the
 * subscriber in the order the events were pushed. */
#include <string.h>

#include "core/alloc.h"
#include "execution/engine.h"
#include "execution/scalar_call.h"
#include "gql/status.h"

typedef struct event_slot {
    struct event_slot *next;
    gql_response *response; /* NULL until its execution is done */
    bool done;
} event_slot;

struct gql_stream {
    gql_subscription *sub;
    gql_stream_close_fn close;
    void *data;
    bool closed;
    gqlx_arena arena;
};

struct gql_subscription {
    gqlx_exec *tmpl; /* the prepared request every event reuses */
    gql_stream *stream;
    gql_event_fn on_event;
    gql_end_fn on_end;
    void *arg;
    event_slot *head, *tail; /* events in push order */
    unsigned in_flight;
    bool ended;    /* the stream ended */
    bool end_told; /* on_end was called */
    bool freed;    /* gql_subscription_free was called */
    bool flushing; /* inside flush: release waits */
};

gql_value gql_stream_new(gql_info *info, gql_stream **out, gql_stream_close_fn close, void *data)
{
    if (out != NULL)
        *out = NULL;
    if (info == NULL || out == NULL)
        return gqlx_error_value();
    gql_stream *s = gqlx_malloc(sizeof *s);
    if (s == NULL)
        return gql_error(info, "Out of memory.");
    memset(s, 0, sizeof *s);
    s->close = close;
    s->data = data;
    gqlx_arena_init(&s->arena, 0, 0);
    *out = s;
    gql_value v = gql_null();
    v.kind = GQL_VALUE_STREAM;
    v.u.ptr = s;
    return v;
}

void *gql_stream_alloc(gql_stream *stream, size_t size)
{
    return stream ? gqlx_arena_alloc(&stream->arena, size ? size : 1, 16) : NULL;
}

static void close_stream(gql_stream *s)
{
    if (s == NULL || s->closed)
        return;
    s->closed = true;
    if (s->close != NULL)
        s->close(s, s->data);
}

static void release(gql_subscription *sub)
{
    if (!sub->freed || sub->in_flight > 0 || sub->flushing)
        return;
    for (event_slot *e = sub->head; e != NULL;) {
        event_slot *next = e->next;
        gql_response_free(e->response);
        gqlx_free(e);
        e = next;
    }
    if (sub->stream != NULL) {
        gqlx_arena_free(&sub->stream->arena);
        gqlx_free(sub->stream);
    }
    gqlx_exec_unref(sub->tmpl);
    gqlx_free(sub);
}

/* Hands finished responses over in push order, then the end. */
static void flush(gql_subscription *sub)
{
    /* Callbacks may flush again (gql_stream_end inside on_event): only
     * the outermost flush lets release go ahead. */
    bool outer = !sub->flushing;
    sub->flushing = true;
    while (sub->head != NULL && sub->head->done) {
        event_slot *e = sub->head;
        sub->head = e->next;
        if (sub->head == NULL)
            sub->tail = NULL;
        gql_response *r = e->response;
        gqlx_free(e);
        if (sub->freed)
            gql_response_free(r);
        else if (r != NULL)
            sub->on_event(r, sub->arg);
    }
    if (sub->ended && sub->head == NULL && !sub->end_told && !sub->freed) {
        sub->end_told = true;
        if (sub->on_end != NULL)
            sub->on_end(sub->arg);
    }
    if (outer)
        sub->flushing = false;
}

typedef struct event_run {
    gql_subscription *sub;
    event_slot *slot;
} event_run;

static void event_done(gql_response *resp, void *arg)
{
    event_run *run = arg;
    gql_subscription *sub = run->sub;
    run->slot->response = resp;
    run->slot->done = true;
    gqlx_free(run);
    sub->in_flight--;
    flush(sub);
    release(sub);
}

/* A new execution for one event, sharing the template's plan, operation
 * and variables. */
static gqlx_exec *event_exec(const gqlx_exec *t, gql_value event)
{
    gqlx_exec *x = gqlx_exec_new(t->schema, &t->opts);
    if (x == NULL)
        return NULL;
    x->plan = t->plan;
    x->borrowed_plan = true;
    x->coll = t->coll;
    x->op_index = t->op_index;
    x->op = t->op;
    x->root_type = t->root_type;
    x->root_fields = t->root_fields;
    x->variables = t->variables;
    x->empty_args = t->empty_args;
    x->plan_schema_ref = t->plan_schema_ref;
    x->plan_type_ref = t->plan_type_ref;
    x->context = t->context;
    x->user = t->user;
    x->root = event;
    x->event_root = true;
    x->no_propagation = t->no_propagation;
    return x;
}

int gql_stream_push(gql_stream *stream, gql_value event)
{
    if (stream == NULL || stream->closed || stream->sub == NULL || stream->sub->ended)
        return GQL_EINVAL;
    gql_subscription *sub = stream->sub;
    event_slot *slot = gqlx_malloc(sizeof *slot);
    event_run *run = gqlx_malloc(sizeof *run);
    gqlx_exec *x = slot && run ? event_exec(sub->tmpl, event) : NULL;
    if (x == NULL) {
        gqlx_free(slot);
        gqlx_free(run);
        return GQL_ENOMEM;
    }
    memset(slot, 0, sizeof *slot);
    if (sub->tail)
        sub->tail->next = slot;
    else
        sub->head = slot;
    sub->tail = slot;
    run->sub = sub;
    run->slot = slot;
    sub->in_flight++;
    x->done = event_done;
    x->arg = run;
    gqlx_exec_run_async(x);
    return GQL_OK;
}

void gql_stream_end(gql_stream *stream)
{
    if (stream == NULL || stream->sub == NULL || stream->sub->ended)
        return;
    gql_subscription *sub = stream->sub;
    sub->ended = true;
    flush(sub);
    if (sub->freed) { /* freed inside on_event or on_end */
        release(sub);
        return;
    }
    close_stream(stream);
}

/* The error response of a subscription that could not start. */
static gql_response *fail_response(gqlx_exec *x, int status)
{
    x->status = status;
    gqlx_exec_build_response(x);
    gql_response *r = x->response;
    x->response = NULL;
    return r;
}

int gql_subscribe(const gql_schema *schema, const gql_request *req, const gql_exec_opts *opts,
                  gql_event_fn on_event, gql_end_fn on_end, void *arg, gql_subscription **out,
                  gql_response **error)
{
    if (out != NULL)
        *out = NULL;
    if (error != NULL)
        *error = NULL;
    if (schema == NULL || req == NULL || req->query == NULL || on_event == NULL || out == NULL ||
        error == NULL)
        return GQL_EINVAL;
    gqlx_exec *x = NULL;
    int rc = gqlx_exec_prepare(schema, req, opts, &x);
    if (rc != GQL_OK)
        return rc;
    if (x->status != GQL_OK || x->oom || x->root_fields == NULL) {
        *error = fail_response(x, x->status != GQL_OK ? x->status : GQL_ENOMEM);
        gqlx_exec_unref(x);
        return *error ? GQL_OK : GQL_ENOMEM;
    }
    if (x->op->operation != GQLX_OP_SUBSCRIPTION) {
        x->error_count = 1;
        gqlx_buf_append_cstr(&x->errors, "{\"message\":\"Expected subscription operation.\"}");
        *error = fail_response(x, GQL_EINVAL);
        gqlx_exec_unref(x);
        return *error ? GQL_OK : GQL_ENOMEM;
    }
    gql_value v = gqlx_exec_subscribe_source(x);
    if (v.kind != GQL_VALUE_STREAM) {
        *error = fail_response(x, GQL_EINVAL);
        gqlx_exec_unref(x);
        return *error ? GQL_OK : GQL_ENOMEM;
    }
    gql_subscription *sub = gqlx_malloc(sizeof *sub);
    gql_stream *stream = v.u.ptr;
    if (sub == NULL) {
        close_stream(stream);
        gqlx_arena_free(&stream->arena);
        gqlx_free(stream);
        gqlx_exec_unref(x);
        return GQL_ENOMEM;
    }
    memset(sub, 0, sizeof *sub);
    sub->tmpl = x;
    sub->stream = stream;
    sub->on_event = on_event;
    sub->on_end = on_end;
    sub->arg = arg;
    stream->sub = sub;
    *out = sub;
    return GQL_OK;
}

void gql_subscription_free(gql_subscription *sub)
{
    if (sub == NULL || sub->freed)
        return;
    sub->freed = true;
    close_stream(sub->stream);
    release(sub);
}
