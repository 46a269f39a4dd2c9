/* src/execution/subscribe.c — subscriptions (graphql-js's subscribe()):
 * the subscriber creates a source stream; each event pushed into it is
 * executed with the event as the root value, and the responses reach the
 * subscriber in the order the events were pushed. */
#include <string.h>

#include "core/alloc.h"
#include "execution/engine.h"
#include "execution/error_json.h"
#include "execution/scalar_call.h"
#include "execution/subscribe.h"
#include "gql/status.h"

/* Arena chunks of a subscription's prepared request: it lives as long as
 * the subscription and holds little (coerced variables and arguments),
 * so thousands of idle subscriptions should not each keep a default
 * chunk. */
#define TEMPLATE_CHUNK_BYTES 512u

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
    /* The request's variables as text, owned: coerced variables borrow
     * strings from it, and events may still be executing after the
     * subscriber's request is gone. */
    char *variables;
    void (*released)(void *arg); /* gqlx_subscription_on_release */
    void *released_arg;
    gql_wake_fn wake; /* gqlx_subscription_set_wake */
    void *wake_arg;
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
    gqlx_free(sub->variables);
    void (*released)(void *) = sub->released;
    void *arg = sub->released_arg;
    gqlx_free(sub);
    if (released != NULL)
        released(arg);
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
    gqlx_cleanup *release; /* gql_stream_push_shared: the event's release */
} event_run;

static void event_done(gql_response *resp, void *arg)
{
    event_run *run = arg;
    gql_subscription *sub = run->sub;
    if (run->release != NULL) {
        /* The response may still point into the event: the event goes
         * with it. */
        gqlx_cleanup *c = run->release;
        if (resp != NULL) {
            c->next = resp->cleanups;
            resp->cleanups = c;
        } else {
            c->fn(c->arg);
            gqlx_free(c);
        }
    }
    run->slot->response = resp;
    run->slot->done = true;
    gqlx_free(run);
    sub->in_flight--;
    flush(sub);
    release(sub);
}

/* A value of the event arrived on another thread. The subscription
 * outlives the event's execution, which outlives its wake calls. */
static void event_wake(gql_execution *x, void *arg)
{
    event_run *run = arg;
    run->sub->wake(x, run->sub->wake_arg);
}

/* A new execution for one event, sharing the template's plan, operation
 * and variables. */
static gqlx_exec *event_exec(const gqlx_exec *t, gql_value event)
{
    gqlx_exec *x = gqlx_exec_new(t->schema, &t->opts, 0);
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

/* Appends an event slot to the subscription's order. */
static void append_slot(gql_subscription *sub, event_slot *slot)
{
    if (sub->tail)
        sub->tail->next = slot;
    else
        sub->head = slot;
    sub->tail = slot;
}

static int push(gql_stream *stream, gql_value event, void (*release_fn)(void *arg), void *arg)
{
    if (stream == NULL || stream->closed || stream->sub == NULL || stream->sub->ended)
        return GQL_EINVAL;
    gql_subscription *sub = stream->sub;
    event_slot *slot = gqlx_malloc(sizeof *slot);
    event_run *run = gqlx_malloc(sizeof *run);
    gqlx_cleanup *c = release_fn != NULL ? gqlx_malloc(sizeof *c) : NULL;
    gqlx_exec *x = slot && run && (release_fn == NULL || c) ? event_exec(sub->tmpl, event) : NULL;
    if (x == NULL) {
        gqlx_free(slot);
        gqlx_free(run);
        gqlx_free(c);
        return GQL_ENOMEM;
    }
    if (c != NULL) {
        c->fn = release_fn;
        c->arg = arg;
        c->next = NULL;
    }
    run->release = c;
    memset(slot, 0, sizeof *slot);
    append_slot(sub, slot);
    run->sub = sub;
    run->slot = slot;
    sub->in_flight++;
    x->done = event_done;
    x->wake = sub->wake != NULL ? event_wake : NULL;
    x->arg = run;
    gqlx_exec_run_async(x);
    return GQL_OK;
}

int gql_stream_push(gql_stream *stream, gql_value event)
{
    return push(stream, event, NULL, NULL);
}

int gql_stream_push_shared(gql_stream *stream, gql_value event, void (*release_fn)(void *arg),
                           void *arg)
{
    if (release_fn == NULL)
        return GQL_EINVAL;
    return push(stream, event, release_fn, arg);
}

int gql_stream_error(gql_stream *stream, const char *message)
{
    if (stream == NULL || stream->closed || stream->sub == NULL || stream->sub->ended)
        return GQL_EINVAL;
    gql_subscription *sub = stream->sub;
    if (message == NULL)
        message = "Error";
    event_slot *slot = gqlx_malloc(sizeof *slot);
    gql_response *r = gqlx_malloc(sizeof *r);
    gqlx_buf b;
    gqlx_buf_init(&b, 0);
    gqlx_buf_append(&b, "{\"errors\":[", 11);
    gqlx_error_json(&b, message, strlen(message), NULL, 0);
    gqlx_buf_append(&b, "]}", 2);
    if (slot == NULL || r == NULL || b.failed) {
        gqlx_free(slot);
        gqlx_free(r);
        gqlx_buf_free(&b);
        return GQL_ENOMEM;
    }
    memset(r, 0, sizeof *r);
    gqlx_arena_init(&r->arena, 0, 0);
    r->json = gqlx_buf_detach(&b, &r->len);
    r->status = GQL_EIO;
    r->error_count = 1;
    memset(slot, 0, sizeof *slot);
    slot->response = r;
    slot->done = true;
    append_slot(sub, slot);
    flush(sub);
    release(sub);
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
    /* A copy of the variables' text that the subscription keeps. */
    gql_request own = *req;
    gqlx_buf vb;
    gqlx_buf_init(&vb, 0);
    if (req->variables_json != NULL) {
        const gqlx_json *v = (const gqlx_json *)(const void *)req->variables_json;
        gqlx_json_write_value(&vb, v, GQLX_JSON_WRITE_NUMBER_TEXT);
    } else if (req->variables != NULL) {
        gqlx_buf_append(&vb, req->variables, req->variables_len);
    }
    if (vb.failed) {
        gqlx_buf_free(&vb);
        return GQL_ENOMEM;
    }
    size_t vlen = 0;
    char *vars = vb.data != NULL ? gqlx_buf_detach(&vb, &vlen) : NULL;
    own.variables_json = NULL;
    if (vars != NULL || req->variables_json != NULL) {
        own.variables = vars;
        own.variables_len = vlen;
    }
    gqlx_exec *x = NULL;
    int rc = gqlx_exec_prepare_chunk(schema, &own, opts, TEMPLATE_CHUNK_BYTES, &x);
    if (rc != GQL_OK) {
        gqlx_free(vars);
        return rc;
    }
    if (x->status != GQL_OK || x->oom || x->root_fields == NULL) {
        *error = fail_response(x, x->status != GQL_OK ? x->status : GQL_ENOMEM);
        gqlx_exec_unref(x);
        gqlx_free(vars);
        return *error ? GQL_OK : GQL_ENOMEM;
    }
    if (x->op->operation != GQLX_OP_SUBSCRIPTION) {
        x->error_count = 1;
        gqlx_buf_append_cstr(&x->errors, "{\"message\":\"Expected subscription operation.\"}");
        *error = fail_response(x, GQL_EINVAL);
        gqlx_exec_unref(x);
        gqlx_free(vars);
        return *error ? GQL_OK : GQL_ENOMEM;
    }
    gql_value v = gqlx_exec_subscribe_source(x);
    if (v.kind != GQL_VALUE_STREAM) {
        *error = fail_response(x, GQL_EINVAL);
        gqlx_exec_unref(x);
        gqlx_free(vars);
        return *error ? GQL_OK : GQL_ENOMEM;
    }
    gql_subscription *sub = gqlx_malloc(sizeof *sub);
    gql_stream *stream = v.u.ptr;
    if (sub == NULL) {
        close_stream(stream);
        gqlx_arena_free(&stream->arena);
        gqlx_free(stream);
        gqlx_exec_unref(x);
        gqlx_free(vars);
        return GQL_ENOMEM;
    }
    memset(sub, 0, sizeof *sub);
    sub->tmpl = x;
    sub->variables = vars;
    sub->stream = stream;
    sub->on_event = on_event;
    sub->on_end = on_end;
    sub->arg = arg;
    stream->sub = sub;
    *out = sub;
    return GQL_OK;
}

void gqlx_subscription_on_release(gql_subscription *sub, void (*fn)(void *arg), void *arg)
{
    sub->released = fn;
    sub->released_arg = arg;
}

void gqlx_subscription_set_wake(gql_subscription *sub, gql_wake_fn wake, void *arg)
{
    sub->wake = wake;
    sub->wake_arg = arg;
}

void gql_subscription_free(gql_subscription *sub)
{
    if (sub == NULL || sub->freed)
        return;
    sub->freed = true;
    close_stream(sub->stream);
    release(sub);
}
