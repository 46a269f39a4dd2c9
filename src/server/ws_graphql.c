/* src/server/ws_graphql.c — what both GraphQL WebSocket protocols share:
 * the connection's lifetime, its timers (connection-init timeout,
 * keep-alive, the principal's expiry), authentication on connection_init,
 * and its operations:
 * each one runs as a query or mutation (gql_execute_async) or, when the
 * engine says the operation is a subscription, as a subscription
 * (gql_subscribe), and its results, errors and completion are sent in the
 * connection's protocol's words. */
#include "server/ws_graphql.h"

#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "execution/authorize.h"
#include "execution/subscribe.h"
#include "gql/status.h"
#include "server/http.h"

/* Default of gql_websocket_opts.max_operations: operations running at
 * once on one connection. Each subscription holds a prepared request and
 * a source stream; a client that opens them without end would otherwise
 * take memory without bound. */
#define DEFAULT_MAX_OPERATIONS 100u

/* Arena chunks: the message being read, and one operation's texts. Small,
 * so an idle connection with a running subscription stays small. */
#define SCRATCH_CHUNK_BYTES 1024u
#define OP_CHUNK_BYTES      512u

void gqlx_websocket_opts_init(gql_websocket_opts *opts)
{
    if (opts == NULL)
        return;
    memset(opts, 0, sizeof *opts);
    opts->connection_init_wait_timeout_ms = 10000;
    opts->disconnection_timeout_ms = 10000;
    opts->disconnect_after_error_event = 1;
    opts->disconnect_after_any_error = 0;
    opts->keep_alive_mode = GQL_KEEPALIVE_DEFAULT;
    opts->keep_alive_timeout_ms = 0;
    opts->supported_subprotocols = GQLX_WSG_LEGACY_NAME "," GQLX_WSG_TRANSPORT_NAME;
    opts->max_message_size = 0;
    opts->max_outbound_bytes = 0;
    opts->max_operations = DEFAULT_MAX_OPERATIONS;
    opts->permessage_deflate = 1;
}

/* ---- lifetime ------------------------------------------------------------------ */

static void shutdown_ops(gqlx_wsg *c);

static void destroy(gqlx_wsg *c)
{
    void (*released)(void *) = c->released;
    void *arg = c->released_arg;
    gqlx_auth_result_free(&c->auth);
    gqlx_arena_free(&c->scratch);
    gqlx_free(c);
    if (released != NULL)
        released(arg);
}

/* Every way into the engine (a message, the timer, an operation's
 * callback) is bracketed by enter and leave. Closing, and the socket's
 * end, only mark the connection; the operations are ended on the way out
 * of the outermost call, so no callback ever finds its operation freed
 * under it, and once the socket is gone the engine goes too, as soon as
 * the work of its ended operations is over: that work may still read the
 * connection's user, which lives as long as the engine. */
static void enter(gqlx_wsg *c)
{
    c->busy++;
}

static void leave(gqlx_wsg *c)
{
    if (--c->busy > 0)
        return;
    if (c->closing)
        shutdown_ops(c);
    if (c->gone && c->stopped == NULL)
        destroy(c);
}

gqlx_wsg *gqlx_wsg_new(const gqlx_wsg_config *cfg, gqlx_wsg_protocol protocol,
                       const gqlx_wsg_io *io, void *io_ctx, const gqlx_pubsub_target *target,
                       gql_http_request *req)
{
    gqlx_wsg *c = gqlx_malloc(sizeof *c);
    if (c == NULL)
        return NULL;
    memset(c, 0, sizeof *c);
    c->cfg = cfg;
    c->proto = protocol == GQLX_WSG_LEGACY ? &gqlx_wsg_legacy : &gqlx_wsg_transport;
    c->io = io;
    c->io_ctx = io_ctx;
    if (target != NULL)
        c->target = *target;
    c->req = req;
    c->user = req != NULL ? req->user : NULL;
    gqlx_arena_init(&c->scratch, SCRATCH_CHUNK_BYTES, 0);
    return c;
}

size_t gqlx_wsg_operation_count(const gqlx_wsg *c)
{
    return c->op_count;
}

void gqlx_wsg_closed(gqlx_wsg *c)
{
    c->gone = true;
    c->closing = true;
    enter(c);
    leave(c);
}

void gqlx_wsg_set_principal(gqlx_wsg *c, gqlx_auth_result *r)
{
    gqlx_auth_result_free(&c->auth);
    c->auth = *r;
    memset(r, 0, sizeof *r);
}

void gqlx_wsg_on_release(gqlx_wsg *c, void (*fn)(void *arg), void *arg)
{
    c->released = fn;
    c->released_arg = arg;
}

/* ---- timers ------------------------------------------------------------------------ */

/* Arms the one timer for the nearest deadline (or stops it). */
static void arm(gqlx_wsg *c)
{
    if (c->gone)
        return; /* the socket and its timer are no more */
    uint64_t due = 0;
    if (!c->closing) {
        due = c->init_due;
        if (c->ka_due != 0 && (due == 0 || c->ka_due < due))
            due = c->ka_due;
        if (c->expire_due != 0 && (due == 0 || c->expire_due < due))
            due = c->expire_due;
    }
    if (due == c->timer_due)
        return;
    c->timer_due = due;
    if (due == 0) {
        c->io->timer(c->io_ctx, 0);
        return;
    }
    uint64_t now = c->io->now(c->io_ctx);
    c->io->timer(c->io_ctx, due > now ? due - now : 1);
}

void gqlx_wsg_start(gqlx_wsg *c)
{
    unsigned ms = c->cfg->ws.connection_init_wait_timeout_ms;
    uint64_t now = c->io->now(c->io_ctx);
    c->last_input = now;
    if (ms > 0)
        c->init_due = now + ms;
    arm(c);
}

void gqlx_wsg_timeout(gqlx_wsg *c)
{
    enter(c);
    c->timer_due = 0; /* it fired */
    uint64_t now = c->io->now(c->io_ctx);
    if (!c->closing && c->expire_due != 0 && now >= c->expire_due) {
        /* The rights the connection was accepted with have ended: its
         * operations must not go on with them. */
        gqlx_wsg_forbid(c, "Token expired", "Access denied: token expired.");
    } else if (!c->closing && c->init_due != 0 && now >= c->init_due) {
        gqlx_wsg_close(c, GQLX_WSG_CLOSE_INIT_TIMEOUT, "Connection initialisation timeout");
    } else if (!c->closing && c->ka_due != 0 && now >= c->ka_due) {
        if (c->ka_after_silence && now - c->last_input < c->ka_period) {
            /* Something arrived meanwhile: count the silence from it. */
            c->ka_due = c->last_input + c->ka_period;
        } else {
            c->ka_due = now + c->ka_period;
            c->proto->keepalive(c);
        }
    }
    arm(c);
    leave(c);
}

void gqlx_wsg_acknowledged(gqlx_wsg *c, uint64_t period, bool after_silence)
{
    c->acknowledged = true;
    c->init_due = 0;
    c->ka_period = period;
    c->ka_after_silence = after_silence;
    c->ka_due = period > 0 ? c->io->now(c->io_ctx) + period : 0;
    arm(c);
}

/* ---- messages ----------------------------------------------------------------------- */

void gqlx_wsg_receive(gqlx_wsg *c, const char *p, size_t n, bool is_text)
{
    /* Binary messages are read like text: graphql-ws's own server does
     * the same, and the JSON reader checks the UTF-8 anyway. */
    (void)is_text;
    if (c->closing)
        return;
    enter(c);
    c->last_input = c->io->now(c->io_ctx);
    gqlx_json *msg = NULL;
    gqlx_json_error err;
    int rc = gqlx_json_parse(&c->scratch, p, n, NULL, &msg, &err);
    if (rc == GQL_ENOMEM)
        gqlx_wsg_close(c, GQLX_WSG_CLOSE_INTERNAL, "Internal server error");
    else
        c->proto->message(c, rc == GQL_OK ? msg : NULL, rc == GQL_OK ? NULL : err.message);
    /* Freed, not reset: an idle connection keeps no chunk. */
    gqlx_arena_free(&c->scratch);
    leave(c);
}

void gqlx_wsg_send(gqlx_wsg *c, const char *type, const char *id, size_t id_len,
                   const char *payload, size_t payload_len)
{
    if (c->closing)
        return;
    gqlx_buf b;
    gqlx_buf_init(&b, 0);
    gqlx_buf_reserve(&b, 32 + id_len + payload_len);
    gqlx_buf_putc(&b, '{');
    if (id != NULL && c->proto->id_first) {
        gqlx_buf_append_cstr(&b, "\"id\":");
        gqlx_json_write_string(&b, id, id_len);
        gqlx_buf_putc(&b, ',');
    }
    gqlx_buf_append_cstr(&b, "\"type\":");
    gqlx_json_write_string(&b, type, strlen(type));
    if (id != NULL && !c->proto->id_first) {
        gqlx_buf_append_cstr(&b, ",\"id\":");
        gqlx_json_write_string(&b, id, id_len);
    }
    if (payload != NULL) {
        gqlx_buf_append_cstr(&b, ",\"payload\":");
        gqlx_buf_append(&b, payload, payload_len);
    }
    gqlx_buf_putc(&b, '}');
    if (b.failed) {
        gqlx_buf_free(&b);
        gqlx_wsg_close(c, GQLX_WSG_CLOSE_INTERNAL, "Internal server error");
        return;
    }
    int rc = c->io->send(c->io_ctx, b.data, b.len);
    gqlx_buf_free(&b);
    if (rc != GQL_OK) {
        /* The socket is closing (a client that stopped reading went over
         * its outbound limit): the work that would feed it stops. */
        c->closing = true;
        arm(c);
    }
}

void gqlx_wsg_close(gqlx_wsg *c, int code, const char *reason)
{
    if (c->closing)
        return;
    c->closing = true;
    arm(c);
    c->io->close(c->io_ctx, code, reason);
}

void gqlx_wsg_send_text(gqlx_wsg *c, const char *type, const char *id, size_t id_len,
                        const char *head, const char *text, const char *tail)
{
    gqlx_buf b;
    gqlx_buf_init(&b, 0);
    gqlx_buf_append_cstr(&b, head);
    gqlx_json_write_string(&b, text, strlen(text));
    gqlx_buf_append_cstr(&b, tail);
    if (b.failed)
        gqlx_wsg_close(c, GQLX_WSG_CLOSE_INTERNAL, "Internal server error");
    else
        gqlx_wsg_send(c, type, id, id_len, b.data, b.len);
    gqlx_buf_free(&b);
}

const gqlx_json *gqlx_wsg_member(const gqlx_json *obj, const char *key, gqlx_json_kind kind)
{
    const gqlx_json *v = gqlx_json_get_cstr(obj, key);
    return v != NULL && v->kind == kind ? v : NULL;
}

bool gqlx_wsg_nullish_or(const gqlx_json *v, gqlx_json_kind kind)
{
    return v == NULL || v->kind == GQLX_JSON_NULL || v->kind == kind;
}

bool gqlx_wsg_type_name(const gqlx_json *type, char out[GQLX_WSG_TYPE_MAX])
{
    out[0] = '\0';
    if (type->len >= GQLX_WSG_TYPE_MAX || memchr(type->u.str, '\0', type->len) != NULL)
        return false;
    memcpy(out, type->u.str, type->len);
    out[type->len] = '\0';
    return true;
}

void gqlx_wsg_forbid(gqlx_wsg *c, const char *reason, const char *message)
{
    if (c->proto->error_before_close)
        gqlx_wsg_send_text(c, "connection_error", NULL, 0, "{\"message\":", message, "}");
    gqlx_wsg_close(c, GQLX_WSG_CLOSE_FORBIDDEN, reason);
}

/* Milliseconds of the wall clock, which expiry times are counted in. */
static long long wall_ms(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
        return (long long)time(NULL) * 1000;
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The endpoint's authentication and rule (cfg->auth). Returns
 * GQL_WS_ACCEPT, GQL_WS_REFUSE with c->refusal set, or a negative
 * status. */
static int authenticate_endpoint(gqlx_wsg *c, const gqlx_json *payload)
{
    const gqlx_auth *a = c->cfg->auth;
    if (a == NULL)
        return GQL_WS_ACCEPT;
    if (c->auth.principal == NULL && gqlx_auth_reads_credentials(a)) {
        int rc = gqlx_auth_connection_init(a, c->req, payload, &c->auth);
        if (rc == GQL_EUNAUTHENTICATED) {
            c->refusal = c->auth.reason != NULL && strcmp(c->auth.reason, "token expired") == 0
                             ? "Access denied: token expired."
                             : "Access denied: invalid credentials.";
            return GQL_WS_REFUSE;
        }
        if (rc != GQL_OK)
            return rc;
    }
    const gql_principal *p = c->auth.principal;
    if (p != NULL && !gqlx_principal_live(p, 0)) {
        c->refusal = "Access denied: token expired.";
        return GQL_WS_REFUSE;
    }
    if (gqlx_auth_check(a, p, c->req != NULL ? c->req->user : NULL) != GQL_OK) {
        c->refusal = "Access denied.";
        return GQL_WS_REFUSE;
    }
    /* An end so far away that its milliseconds would not fit is never
     * reached. */
    if (p != NULL && p->expires_at > 0 && p->expires_at <= LLONG_MAX / 1000) {
        /* Counted on the connection's own clock from here: the wall
         * clock only says how far away the expiry is. */
        long long left = p->expires_at * 1000 - wall_ms();
        uint64_t now = c->io->now(c->io_ctx);
        c->expire_due = now + (left > 0 ? (uint64_t)left : 1u);
    }
    return GQL_WS_ACCEPT;
}

int gqlx_wsg_authenticate(gqlx_wsg *c, const gqlx_json *payload)
{
    const gql_websocket_opts *o = &c->cfg->ws;
    void *user = c->req != NULL ? c->req->user : NULL;
    if (payload != NULL && payload->kind == GQLX_JSON_NULL)
        payload = NULL;
    c->refusal = "Forbidden";
    int r = authenticate_endpoint(c, payload);
    if (r != GQL_WS_ACCEPT)
        return r;
    /* The caller acknowledges (which arms the timers) or closes. */
    if (o->authenticate == NULL) {
        c->user = user;
        return GQL_WS_ACCEPT;
    }
    r = o->authenticate(c->req, (const gql_json *)(const void *)payload, &user,
                        o->authenticate_data);
    if (r == GQL_WS_ACCEPT)
        c->user = user;
    return r < 0 ? r : r == GQL_WS_ACCEPT ? GQL_WS_ACCEPT : GQL_WS_REFUSE;
}

/* ---- operations ----------------------------------------------------------------------- */

gqlx_wsg_op *gqlx_wsg_find(gqlx_wsg *c, const char *id, size_t id_len)
{
    for (gqlx_wsg_op *op = c->ops; op != NULL; op = op->next)
        if (op->id_len == id_len && memcmp(op->id, id, id_len) == 0)
            return op;
    return NULL;
}

static void op_free(gqlx_wsg_op *op)
{
    gqlx_arena_free(&op->arena);
    gqlx_free(op);
}

/* The connection's lists of operations, linked through prev and next. */
static void list_push(gqlx_wsg_op **head, gqlx_wsg_op *op)
{
    op->prev = NULL;
    op->next = *head;
    if (*head != NULL)
        (*head)->prev = op;
    *head = op;
}

static void list_remove(gqlx_wsg_op **head, gqlx_wsg_op *op)
{
    if (op->prev != NULL)
        op->prev->next = op->next;
    else
        *head = op->next;
    if (op->next != NULL)
        op->next->prev = op->prev;
    op->prev = op->next = NULL;
}

static void op_unlist(gqlx_wsg_op *op)
{
    list_remove(&op->c->ops, op);
    op->c->op_count--;
}

/* Ends an unlisted operation: its subscription now. Work under way
 * cannot be cancelled (an execution in flight, events of the
 * subscription still executing): the operation waits for it on the
 * connection's stopped list, where it still counts against
 * max_operations (a client that starts and stops slow queries in a loop
 * would otherwise have any number running) and keeps the connection,
 * and so its user, alive. */
static void op_end(gqlx_wsg_op *op)
{
    gql_subscription *sub = op->sub;
    op->sub = NULL;
    gql_subscription_free(sub); /* sub_released may run in here */
    if (!op->executing && !op->sub_live) {
        op_free(op);
        return;
    }
    op->stopped = true;
    list_push(&op->c->stopped, op);
    op->c->stopped_count++;
}

/* A stopped operation's work may be over: then it goes. */
static void op_settle(gqlx_wsg_op *op)
{
    if (op->executing || op->sub_live)
        return;
    gqlx_wsg *c = op->c;
    enter(c);
    list_remove(&c->stopped, op);
    c->stopped_count--;
    op_free(op);
    leave(c);
}

/* The subscription's memory is released: none of its events executes. */
static void sub_released(void *arg)
{
    gqlx_wsg_op *op = arg;
    op->sub_live = false;
    if (op->stopped)
        op_settle(op);
}

static void op_finish(gqlx_wsg_op *op)
{
    op_unlist(op);
    op_end(op);
}

static void shutdown_ops(gqlx_wsg *c)
{
    while (c->ops != NULL)
        op_finish(c->ops);
}

/* Sends an error message for id whose errors are the response's (a
 * response without data: {"errors":[...]}). */
static void send_errors(gqlx_wsg *c, const char *id, size_t id_len, const char *json, size_t len)
{
    static const char head[] = "{\"errors\":";
    size_t hl = sizeof head - 1;
    if (c->proto->errors_as_array && len > hl + 1 && memcmp(json, head, hl) == 0 &&
        json[len - 1] == '}') {
        json += hl;
        len -= hl + 1;
    }
    gqlx_wsg_send(c, "error", id, id_len, json, len);
}

/* Sends an error with one message (the server's own failure). */
static void send_error_message(gqlx_wsg *c, const char *id, size_t id_len, const char *message)
{
    bool bare = c->proto->errors_as_array;
    gqlx_wsg_send_text(c, "error", id, id_len,
                       bare ? "[{\"message\":" : "{\"errors\":[{\"message\":", message,
                       bare ? "}]" : "}]}");
}

static void op_fail(gqlx_wsg_op *op, const char *message)
{
    send_error_message(op->c, op->id, op->id_len, message);
    op_finish(op);
}

static void send_result(gqlx_wsg_op *op, const gql_response *resp)
{
    size_t len = 0;
    const char *json = gql_response_json(resp, &len);
    gqlx_wsg_send(op->c, op->c->proto->result_type, op->id, op->id_len, json, len);
}

static void send_complete(gqlx_wsg_op *op)
{
    gqlx_wsg_send(op->c, "complete", op->id, op->id_len, NULL, 0);
}

static void sub_event(gql_response *resp, void *arg)
{
    gqlx_wsg_op *op = arg;
    gqlx_wsg *c = op->c;
    enter(c);
    const gql_websocket_opts *o = &c->cfg->ws;
    int st = gql_response_status(resp);
    if (st != GQL_OK) {
        /* An error of the source stream (gql_stream_error), or an event
         * that could not be executed at all. */
        if (o->disconnect_after_error_event) {
            size_t len = 0;
            const char *json = gql_response_json(resp, &len);
            send_errors(c, op->id, op->id_len, json, len);
            op_finish(op);
        } else {
            send_result(op, resp);
        }
    } else {
        bool errors = gql_response_error_count(resp) > 0;
        send_result(op, resp);
        if (errors && o->disconnect_after_any_error) {
            send_complete(op);
            op_finish(op);
        }
    }
    gql_response_free(resp);
    leave(c);
}

static void sub_end(void *arg)
{
    gqlx_wsg_op *op = arg;
    gqlx_wsg *c = op->c;
    enter(c);
    send_complete(op);
    op_finish(op);
    leave(c);
}

static void poll_execution(void *arg)
{
    gql_execution_poll(arg);
}

/* A pending value arrived on another thread: the execution (a query's,
 * or a subscription event's) goes on, on the connection's thread. The
 * connection outlives the operation, which outlives its executions' wake
 * calls, and its target never changes. Without a target, or when the post
 * fails (memory, a stopped worker), the execution waits: polling it here
 * would run the connection's code on the wrong thread, inside a wake call
 * that finishing the execution waits for. */
static void exec_wake(gql_execution *x, void *arg)
{
    gqlx_wsg_op *op = arg;
    const gqlx_pubsub_target *t = &op->c->target;
    if (t->ctx != NULL)
        (void)t->post(t->ctx, poll_execution, x);
}

/* The operation is a subscription: subscribe, with the connection as the
 * pub/sub's delivery target while the subscriber runs. */
static void start_subscription(gqlx_wsg_op *op)
{
    gqlx_wsg *c = op->c;
    const gqlx_wsg_config *cfg = c->cfg;
    op->greq.refuse_operations = 0;
    gqlx_pubsub_target prev;
    gqlx_pubsub_set_target(&c->target, &prev);
    gql_response *err = NULL;
    gql_subscription *sub = NULL;
    int rc = gql_subscribe(cfg->schema, &op->greq, &cfg->exec, sub_event, sub_end, op, &sub, &err);
    gqlx_pubsub_set_target(&prev, NULL);
    if (rc != GQL_OK) {
        op_fail(op, "Out of memory.");
    } else if (sub == NULL) {
        size_t len = 0;
        const char *json = gql_response_json(err, &len);
        send_errors(c, op->id, op->id_len, json, len);
        gql_response_free(err);
        op_finish(op);
    } else {
        op->sub = sub;
        op->sub_live = true;
        gqlx_subscription_on_release(sub, sub_released, op);
        gqlx_subscription_set_wake(sub, exec_wake, op);
        /* The subscription keeps what it needs of the request (its plan
         * and variables): an idle one holds no request text. */
        gqlx_arena_free(&op->arena);
        gql_request_init(&op->greq);
    }
}

static void exec_done(gql_response *resp, void *arg)
{
    gqlx_wsg_op *op = arg;
    op->executing = false;
    if (op->stopped) { /* ended meanwhile: nobody wants the result */
        gql_response_free(resp);
        op_settle(op);
        return;
    }
    gqlx_wsg *c = op->c;
    enter(c);
    int st = gql_response_status(resp);
    if (resp == NULL) {
        op_fail(op, "Out of memory.");
    } else if (st == GQL_EOPERATION) {
        /* Refused as a subscription: the selected operation is one. */
        gql_response_free(resp);
        resp = NULL;
        start_subscription(op);
    } else if (st != GQL_OK) {
        size_t len = 0;
        const char *json = gql_response_json(resp, &len);
        send_errors(c, op->id, op->id_len, json, len);
        op_finish(op);
    } else {
        send_result(op, resp);
        send_complete(op);
        op_finish(op);
    }
    gql_response_free(resp);
    leave(c);
}

/* Copies what the request needs into the operation's arena. */
static bool fill_request(gqlx_wsg_op *op, const gqlx_json *payload)
{
    gqlx_arena *a = &op->arena;
    const gqlx_json *query = gqlx_wsg_member(payload, "query", GQLX_JSON_STRING);
    const gqlx_json *name = gqlx_wsg_member(payload, "operationName", GQLX_JSON_STRING);
    const gqlx_json *vars = gqlx_wsg_member(payload, "variables", GQLX_JSON_OBJECT);
    gql_request *r = &op->greq;
    gql_request_init(r);
    r->query = query != NULL ? gqlx_arena_strndup(a, query->u.str, query->len) : "";
    r->query_len = query != NULL ? query->len : 0;
    if (name != NULL)
        r->operation_name = gqlx_arena_strndup(a, name->u.str, name->len);
    if (vars != NULL) {
        gqlx_buf b;
        gqlx_buf_init(&b, 0);
        gqlx_json_write_value(&b, vars, GQLX_JSON_WRITE_NUMBER_TEXT);
        r->variables = b.failed ? NULL : gqlx_arena_strndup(a, b.data, b.len);
        r->variables_len = b.len;
        gqlx_buf_free(&b);
        if (r->variables == NULL)
            return false;
    }
    return r->query != NULL && (name == NULL || r->operation_name != NULL);
}

void gqlx_wsg_start_op(gqlx_wsg *c, const char *id, size_t id_len, const gqlx_json *payload)
{
    const gqlx_wsg_config *cfg = c->cfg;
    unsigned max = cfg->ws.max_operations;
    if (max > 0 && c->op_count + c->stopped_count >= max) {
        send_error_message(c, id, id_len, "Too many operations on this connection.");
        return;
    }
    /* The id lives right after the operation, as long as it. */
    gqlx_wsg_op *op = id_len < SIZE_MAX - sizeof *op ? gqlx_malloc(sizeof *op + id_len + 1) : NULL;
    if (op == NULL) {
        send_error_message(c, id, id_len, "Out of memory.");
        return;
    }
    memset(op, 0, sizeof *op);
    gqlx_arena_init(&op->arena, OP_CHUNK_BYTES, 0);
    char *id_copy = (char *)(op + 1);
    memcpy(id_copy, id, id_len);
    id_copy[id_len] = '\0';
    op->id = id_copy;
    op->id_len = id_len;
    if (!fill_request(op, payload)) {
        op_free(op);
        send_error_message(c, id, id_len, "Out of memory.");
        return;
    }
    op->greq.root = cfg->root;
    op->greq.context = cfg->context;
    op->greq.user = c->user;
    op->greq.principal = c->auth.principal;
    /* A subscription is refused by the execution before anything runs,
     * which tells it apart; it then starts as one. */
    op->greq.refuse_operations = GQL_OP_SUBSCRIPTION;
    op->c = c;
    list_push(&c->ops, op);
    c->op_count++;
    op->executing = true;
    int rc = gql_execute_async(cfg->schema, &op->greq, &cfg->exec, exec_done, exec_wake, op, NULL);
    if (rc != GQL_OK) { /* done will not be called */
        op->executing = false;
        op_fail(op, "Out of memory.");
    }
}

void gqlx_wsg_stop_op(gqlx_wsg_op *op, bool send_complete_message)
{
    gqlx_wsg *c = op->c;
    op_unlist(op);
    if (send_complete_message)
        gqlx_wsg_send(c, "complete", op->id, op->id_len, NULL, 0);
    op_end(op);
}
