/* src/execution/request.c — running a request: preparing it (plan,
 * operation, limits, variables), driving it until nothing is pending, and
 * the public execute functions. */
#include <stdatomic.h>
#include <string.h>

#include "core/alloc.h"
#include "core/errors.h"
#include "core/json.h"
#include "core/limits.h"
#include "execution/authorize.h"
#include "execution/engine.h"
#include "execution/spare.h"
#include "gql/status.h"
#include "execution/error_json.h"
#include "execution/values.h"
#include "types/build_schema.h"

void gql_exec_opts_init(gql_exec_opts *opts)
{
    if (opts == NULL)
        return;
    memset(opts, 0, sizeof *opts);
    opts->max_depth = 64;
    opts->max_fields = 10000;
    opts->max_aliases = 1000;
    opts->max_memory = (size_t)256 << 20;
    opts->max_validation_errors = 100;
    opts->max_variable_errors = GQLX_MAX_COERCION_ERRORS;
}

void gql_request_init(gql_request *req)
{
    if (req != NULL)
        memset(req, 0, sizeof *req);
}

/* ---- request errors --------------------------------------------------------- */

static void request_error(gqlx_exec *x, int status, const char *message, const gqlx_node *at)
{
    x->status = status;
    if (x->error_count++)
        gqlx_buf_putc(&x->errors, ',');
    if (at != NULL) {
        gqlx_location l = gqlx_source_location(&x->plan->source, at->start);
        gql_location loc = {l.line, l.column};
        gqlx_error_json(&x->errors, message, strlen(message), &loc, 1);
    } else {
        gqlx_error_json(&x->errors, message, strlen(message), NULL, 0);
    }
}

/* ---- preparing ---------------------------------------------------------------- */

static bool select_operation(gqlx_exec *x, const char *name)
{
    const gqlx_plan *p = x->plan;
    int found = -1;
    for (uint32_t i = 0; i < p->op_count; i++) {
        if (name == NULL) {
            if (found >= 0) {
                request_error(x, GQL_EINVAL,
                              "Must provide operation name if query contains multiple operations.",
                              NULL);
                return false;
            }
            found = (int)i;
        } else if (p->ops[i]->name.ptr != NULL && strlen(name) == p->ops[i]->name.len &&
                   memcmp(name, p->ops[i]->name.ptr, p->ops[i]->name.len) == 0) {
            found = (int)i;
        }
    }
    if (found < 0) {
        if (name != NULL) {
            gqlx_buf_printf(&x->msg, "Unknown operation named \"%s\".", name);
            request_error(x, GQL_EINVAL, x->msg.data ? x->msg.data : "", NULL);
            gqlx_buf_clear(&x->msg);
        } else {
            request_error(x, GQL_EINVAL, "Must provide an operation.", NULL);
        }
        return false;
    }
    x->op_index = (uint32_t)found;
    x->op = p->ops[found];
    return true;
}

/* Refuses the selected operation when the request excludes its kind. */
static bool check_kind(gqlx_exec *x, unsigned refused)
{
    static const char *const messages[3] = {
        "Query operations are not allowed in this request.",
        "Mutation operations are not allowed in this request.",
        "Subscription operations are not allowed in this request.",
    };
    unsigned kind = (unsigned)x->op->operation;
    if (kind > 2 || !(refused & (1u << kind)))
        return true;
    request_error(x, GQL_EOPERATION, messages[kind], &x->op->base);
    return false;
}

static bool check_limits(gqlx_exec *x)
{
    const gqlx_op_stats *s = &x->plan->op_stats[x->op_index];
    const gql_exec_opts *o = &x->opts;
    const gqlx_node *at = &x->op->base;
    if (s->spreads_too_deep) {
        gqlx_buf_printf(&x->msg, "The operation nests fragment spreads more than %u deep.",
                        GQLX_MAX_SPREAD_NESTING);
    } else if (o->max_depth && s->depth > o->max_depth) {
        gqlx_buf_printf(&x->msg, "The operation is nested %llu levels deep; the limit is %u.",
                        (unsigned long long)s->depth, o->max_depth);
    } else if (o->max_fields && s->fields > o->max_fields) {
        gqlx_buf_printf(&x->msg, "The operation selects %llu fields; the limit is %u.",
                        (unsigned long long)s->fields, o->max_fields);
    } else if (o->max_aliases && s->aliases > o->max_aliases) {
        gqlx_buf_printf(&x->msg, "The operation uses %llu aliases; the limit is %u.",
                        (unsigned long long)s->aliases, o->max_aliases);
    } else {
        return true;
    }
    request_error(x, GQL_ELIMIT, x->msg.data ? x->msg.data : "", at);
    gqlx_buf_clear(&x->msg);
    return false;
}

static bool coerce_variables(gqlx_exec *x, const gql_request *req)
{
    const gqlx_json *inputs = (const gqlx_json *)(const void *)req->variables_json;
    if (inputs == NULL && req->variables != NULL) {
        gqlx_json *parsed = NULL;
        gqlx_json_error je;
        gqlx_json_opts jo;
        gqlx_json_opts_init(&jo);
        int rc = gqlx_json_parse(&x->arena, req->variables, req->variables_len, &jo, &parsed, &je);
        if (rc == GQL_ENOMEM) {
            x->oom = true;
            return false;
        }
        if (rc != GQL_OK) {
            gqlx_buf_printf(&x->msg, "Variables are invalid JSON: %s.", je.message);
            request_error(x, GQL_EINVAL, x->msg.data ? x->msg.data : "", NULL);
            gqlx_buf_clear(&x->msg);
            return false;
        }
        inputs = parsed;
    }
    if (inputs != NULL && inputs->kind == GQLX_JSON_NULL)
        inputs = NULL;
    if (inputs != NULL && inputs->kind != GQLX_JSON_OBJECT) {
        request_error(x, GQL_EINVAL, "Variables must be a JSON object.", NULL);
        return false;
    }
    if (x->op->variable_definitions.count == 0) {
        /* Nothing to coerce: values given for undeclared variables are
         * ignored, as graphql-js does. */
        x->variables = x->empty_args;
        return true;
    }
    gql_errors *errs = gqlx_errors_new();
    if (errs == NULL) {
        x->oom = true;
        return false;
    }
    gqlx_coerce_opts co;
    gqlx_coerce_opts_init(&co);
    co.max_errors = x->opts.max_variable_errors;
    co.hide_suggestions = x->opts.hide_suggestions != 0;
    gqlx_json *vars = NULL;
    int rc = gqlx_coerce_variables(&x->arena, x->schema, x->op, inputs, &co, &vars, errs,
                                   &x->plan->source);
    if (rc == GQL_OK) {
        x->variables = vars;
    } else if (rc == GQL_ENOMEM) {
        x->oom = true;
    } else {
        x->status = GQL_EINVAL;
        for (size_t i = 0; i < errs->count; i++) {
            const gqlx_error *e = &errs->items[i];
            if (x->error_count++)
                gqlx_buf_putc(&x->errors, ',');
            gqlx_error_json(&x->errors, e->message, strlen(e->message), e->locations,
                            e->location_count);
        }
    }
    gql_errors_free(errs);
    return rc == GQL_OK;
}

static const gqlx_type *root_type(const gqlx_schema *s, gqlx_operation op)
{
    return op == GQLX_OP_QUERY ? s->query : op == GQLX_OP_MUTATION ? s->mutation : s->subscription;
}

static bool meta_refs(gqlx_exec *x)
{
    const gqlx_type *schema_t = x->schema->meta_schema;
    const gqlx_type *type_t = x->schema->meta_type;
    gqlx_type_ref *nn = GQLX_NEW(&x->arena, gqlx_type_ref);
    gqlx_json *empty = GQLX_NEW(&x->arena, gqlx_json);
    if (nn == NULL || empty == NULL)
        return false;
    empty->kind = GQLX_JSON_OBJECT;
    x->empty_args = empty;
    if (schema_t != NULL)
        *nn = (gqlx_type_ref){GQLX_WRAP_NON_NULL, &schema_t->ref, schema_t};
    x->plan_schema_ref = nn;
    x->plan_type_ref = type_t ? &type_t->ref : nn;
    return true;
}

gqlx_exec *gqlx_exec_new(const gqlx_schema *s, const gql_exec_opts *opts, size_t chunk_bytes)
{
    gqlx_exec *x = gqlx_spare_exec_new(s, opts, chunk_bytes);
    if (x == NULL)
        return NULL;
    x->owner = pthread_self();
    x->refs = 1;
    x->root_frame.nullable = true;
    return x;
}

static void exec_free(gqlx_exec *x)
{
    if (x->borrowed_plan)
        ;
    else if (x->entry != NULL)
        gqlx_plan_entry_release(x->entry);
    else
        gqlx_plan_free(x->plan);
    for (struct gql_pending *t = x->queue_head; t != NULL; t = t->next_queued)
        gqlx_free(t->reject);
    for (gqlx_block *b = x->blocks; b != NULL;) {
        gqlx_block *next = b->next;
        gqlx_free(b);
        b = next;
    }
    for (size_t i = 0; i < x->work_count; i++) {
        gqlx_arena_free(x->work_arenas[i]);
        gqlx_free(x->work_arenas[i]);
    }
    gqlx_free(x->work_arenas);
    gqlx_spare_exec_free(x);
}

void gqlx_exec_unref(gqlx_exec *x)
{
    pthread_mutex_lock(&x->lock);
    uint32_t left = --x->refs;
    pthread_mutex_unlock(&x->lock);
    if (left == 0)
        exec_free(x);
}

static gqlx_plan *get_plan(gqlx_exec *x, const gql_request *req)
{
    gqlx_plan_opts po = {x->opts.max_validation_errors, x->opts.disable_introspection != 0, 0};
    gql_plan_cache *cache = x->opts.cache;
    /* Long texts stay out of the cache (core/limits.h), those the parser
     * refuses unread among them. */
    if (cache == NULL || req->query_len > GQLX_PLAN_CACHE_MAX_QUERY_BYTES)
        return gqlx_plan_new(x->schema, req->query, req->query_len, &po);
    x->entry = gqlx_plan_cache_get(cache, x->schema, req->query, req->query_len);
    if (x->entry == NULL) {
        gqlx_plan *p = gqlx_plan_new(x->schema, req->query, req->query_len, &po);
        if (p == NULL)
            return NULL;
        p->shared = true;
        x->entry =
            gqlx_plan_cache_put(cache, x->schema, req->query, req->query_len, p, gqlx_plan_free);
        if (x->entry == NULL)
            return NULL;
    }
    return gqlx_plan_entry_value(x->entry);
}

int gqlx_exec_prepare(const gql_schema *schema, const gql_request *req, const gql_exec_opts *opts,
                      gqlx_exec **out)
{
    return gqlx_exec_prepare_chunk(schema, req, opts, 0, out);
}

int gqlx_exec_prepare_chunk(const gql_schema *schema, const gql_request *req,
                            const gql_exec_opts *opts, size_t chunk_bytes, gqlx_exec **out)
{
    gql_exec_opts defaults;
    if (opts == NULL) {
        gql_exec_opts_init(&defaults);
        opts = &defaults;
    }
    gqlx_exec *x = gqlx_exec_new(gqlx_schema_of(schema), opts, chunk_bytes);
    *out = x;
    if (x == NULL)
        return GQL_ENOMEM;
    x->root = req->root;
    x->context = req->context;
    x->user = req->user;
    x->uploads = req->uploads;
    x->upload_count = req->upload_count;
    x->plan = get_plan(x, req);
    if (x->plan == NULL || !meta_refs(x)) {
        x->oom = true;
        return GQL_OK;
    }
    gqlx_plan *p = x->plan;
    if (p->status != GQL_OK) {
        x->status = p->status;
        gqlx_buf_append(&x->errors, p->errors_json + 1, p->errors_json_len - 2);
        x->error_count = p->error_count;
        return GQL_OK;
    }
    if (!select_operation(x, req->operation_name) || !check_kind(x, req->refuse_operations) ||
        !check_limits(x) || !coerce_variables(x, req))
        return GQL_OK;
    x->root_type = root_type(x->schema, x->op->operation);
    if (x->root_type == NULL) {
        gqlx_buf_printf(&x->msg, "Schema is not configured to execute %s operation.",
                        gqlx_operation_name(x->op->operation));
        request_error(x, GQL_EINVAL, x->msg.data ? x->msg.data : "", &x->op->base);
        gqlx_buf_clear(&x->msg);
        return GQL_OK;
    }
    /* Authorization: after the variables (for @skip and @include), before
     * anything runs; schemas without rules skip it. */
    if (x->schema->has_authz && !gqlx_authorize(x, req))
        return GQL_OK;
    bool own_collections = p->variable_conditions;
    x->coll.plan = p;
    x->coll.arena = own_collections ? &x->arena : &p->arena;
    x->coll.shared = !own_collections && p->shared;
    x->coll.variables = x->variables;
    for (uint32_t i = 0; i < x->op->directives.count; i++)
        if (gqlx_slice_eq_cstr(x->op->directives.items[i]->name,
                               "experimental_disableErrorPropagation"))
            x->no_propagation = true;
    x->root_fields = gqlx_collect_root(&x->coll, x->op_index, x->root_type);
    if (x->root_fields == NULL && x->coll.error != NULL)
        gqlx_exec_root_failed(x);
    else if (x->root_fields == NULL)
        x->oom = true;
    return GQL_OK;
}

/* ---- driving ---------------------------------------------------------------- */

static void finish(gqlx_exec *x)
{
    if (x->finished)
        return;
    gqlx_exec_build_response(x);
    /* Tokens delivered from now on are dropped; drop the queued ones. */
    pthread_mutex_lock(&x->lock);
    x->finished = true;
    struct gql_pending *t = x->queue_head;
    x->queue_head = x->queue_tail = NULL;
    uint32_t spent = 0;
    for (; t != NULL; t = t->next_queued, spent++) {
        t->state = GQLX_TOKEN_SPENT;
        gqlx_free(t->reject);
        t->reject = NULL;
    }
    x->refs -= spent; /* the engine's own reference keeps x alive here */
    /* done may free the arg that a wake callback running on another
     * thread still reads: let those calls (a queue push, short) return
     * first. No new one starts once finished is set. */
    while (x->waking > 0)
        pthread_cond_wait(&x->cond, &x->lock);
    pthread_mutex_unlock(&x->lock);
    if (x->done != NULL) {
        gql_response *r = x->response;
        x->response = NULL;
        x->done(r, x->arg);
    }
}

void gqlx_exec_drive(gqlx_exec *x)
{
    if (x->running || x->finished)
        return;
    x->running = true;
    for (;;) {
        pthread_mutex_lock(&x->lock);
        struct gql_pending *t = x->queue_head;
        x->queue_head = x->queue_tail = NULL;
        pthread_mutex_unlock(&x->lock);
        if (t != NULL) {
            while (t != NULL) {
                struct gql_pending *next = t->next_queued;
                gqlx_hole *h = t->hole;
                char *reject = t->reject;
                t->reject = NULL;
                t->state = GQLX_TOKEN_SPENT;
                if (h->state == GQLX_HOLE_WAITING && !x->oom)
                    gqlx_exec_fill_hole(x, h, t->value, reject);
                else if (h->state == GQLX_HOLE_WAITING)
                    h->state = GQLX_HOLE_DEAD, x->waiting--;
                gqlx_free(reject);
                gqlx_exec_unref(x); /* the token's reference */
                t = next;
            }
            continue;
        }
        if (gqlx_loaders_dispatch(x))
            continue;
        if (x->serial_paused && x->waiting == 0 && !x->oom) {
            if (x->root_frame.nulled) {
                x->serial_paused = false;
                x->serial_hole->state = GQLX_HOLE_DEAD;
            } else {
                gqlx_exec_fill_hole(x, x->serial_hole, gql_null(), NULL);
            }
            continue;
        }
        if (x->waiting == 0 || x->oom || !x->blocking)
            break;
        /* Blocking: wait for a delivery from another thread. */
        pthread_mutex_lock(&x->lock);
        while (x->queue_head == NULL)
            pthread_cond_wait(&x->cond, &x->lock);
        pthread_mutex_unlock(&x->lock);
    }
    x->running = false;
    if ((x->waiting == 0 && !x->serial_paused) || x->oom)
        finish(x);
}

static void start(gqlx_exec *x)
{
    if (x->status == GQL_OK && !x->oom && x->root_fields != NULL) {
        /* A value delivered by a resolver on this thread is queued, not
         * completed in the middle of the root fields. */
        x->running = true;
        /* The response usually is this buffer: start it as one. */
        size_t hint = atomic_load_explicit(&x->plan->out_hint, memory_order_relaxed);
        if (hint > 0)
            gqlx_buf_reserve(&x->out, hint + 16);
        gqlx_buf_append(&x->out, "{\"data\":", 8);
        const gqlx_cached_data *cached =
            x->plan->shared && x->plan->op_schema_only[x->op_index]
                ? atomic_load_explicit(&x->plan->op_cached[x->op_index], memory_order_acquire)
                : NULL;
        if (cached != NULL) {
            x->root_frame.start = 8;
            gqlx_buf_append(&x->out, cached->text, cached->len);
        } else {
            gqlx_exec_root(x, 0);
        }
        x->main_end = x->out.len;
        x->running = false;
    }
    gqlx_exec_drive(x);
}

void gqlx_exec_run_async(gqlx_exec *x)
{
    /* Hold a reference across start: done may run inside it. */
    pthread_mutex_lock(&x->lock);
    x->refs++;
    pthread_mutex_unlock(&x->lock);
    start(x);
    bool finished = x->finished;
    if (!finished)
        x->engine_ref = true;
    gqlx_exec_unref(x); /* start's */
    if (finished)       /* the engine's own reference ends with it */
        gqlx_exec_unref(x);
}

/* ---- public API ------------------------------------------------------------- */

int gql_execute(const gql_schema *schema, const gql_request *req, const gql_exec_opts *opts,
                gql_response **out)
{
    if (out != NULL)
        *out = NULL;
    if (schema == NULL || req == NULL || req->query == NULL || out == NULL)
        return GQL_EINVAL;
    gqlx_exec *x = NULL;
    int rc = gqlx_exec_prepare(schema, req, opts, &x);
    if (rc != GQL_OK)
        return rc;
    x->blocking = true;
    start(x);
    *out = x->response;
    x->response = NULL;
    gqlx_exec_unref(x);
    return *out != NULL ? GQL_OK : GQL_ENOMEM;
}

int gql_execute_async(const gql_schema *schema, const gql_request *req, const gql_exec_opts *opts,
                      gql_done_fn done, gql_wake_fn wake, void *arg, gql_execution **out)
{
    if (out != NULL)
        *out = NULL;
    if (schema == NULL || req == NULL || req->query == NULL || done == NULL)
        return GQL_EINVAL;
    gqlx_exec *x = NULL;
    int rc = gqlx_exec_prepare(schema, req, opts, &x);
    if (rc != GQL_OK)
        return rc;
    x->done = done;
    x->wake = wake;
    x->arg = arg;
    if (out != NULL)
        *out = (gql_execution *)(void *)x;
    gqlx_exec_run_async(x);
    return GQL_OK;
}

void gql_execution_poll(gql_execution *exec)
{
    gqlx_exec *x = (gqlx_exec *)(void *)exec;
    if (x == NULL)
        return;
    gqlx_exec_poll(x); /* with the wake's reference */
}

void gqlx_exec_poll(gqlx_exec *x)
{
    bool was_finished = x->finished;
    gqlx_exec_drive(x);
    bool release_engine = !was_finished && x->finished && x->engine_ref;
    if (release_engine)
        x->engine_ref = false;
    gqlx_exec_unref(x); /* the caller's reference */
    if (release_engine)
        gqlx_exec_unref(x);
}
