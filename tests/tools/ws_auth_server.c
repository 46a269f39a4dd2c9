/* tests/tools/ws_auth_server.c — a GraphQL WebSocket server for
 * tests/integration/ws_graphql.test.mjs: an authentication hook on
 * connection_init, a timer-driven subscription source, and a mutation
 * that publishes into a pub/sub topic that another subscription hears.
 *
 * Authentication: the connection_init payload {"token":"secret"} is user
 * "alice", {"token":"other"} user "bob"; {"token":"crash"} makes the hook
 * fail (close 4500); anything else is refused (4403 / connection_error).
 *
 * Schema:
 *   Query     hello, whoami (the connection's user), slow(ms) (thread pool),
 *             subscribers(topic) (how many listen to a pub/sub topic),
 *             heap (bytes malloc has handed out: 0 under a sanitizer)
 *   Mutation  post(text): publishes {"messages":{text,author}} to "messages"
 *             and returns it; fail(message): publishes an error event
 *   Subscription
 *     ticks(count: 5, intervalMs: 10, failAt, badAt): 1, 2, ... every
 *       intervalMs on the loop's timer, then complete; at failAt the
 *       source reports an error (gql_stream_error), at badAt it pushes a
 *       value that is not an Int (a field error)
 *     messages: what post publishes
 *
 * Usage: ws_auth_server [--listen ADDR] [--no-auth] [--keep-alive-mode M]
 *   [--keep-alive-timeout-ms N] [--connection-init-wait-timeout-ms N]
 *   [--supported LIST] [--disconnect-after-error-event 0|1]
 *   [--disconnect-after-any-error 0|1] [--max-outbound N]
 *   [--max-message N] [--max-operations N] [--disconnection-timeout-ms N]
 * The server runs on a loop of its own (gql_server_opts.loop), which the
 * tick timers share. SIGTERM or SIGINT stops it gracefully. */
#include <malloc.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <uv.h>

#include "gql/gql.h"
#include "gql/pubsub.h"
#include "test_server.h"
#include "gql/server.h"

static const char sdl[] =
    "type Query { hello: String, whoami: String, slow(ms: Int = 20): String,\n"
    "             subscribers(topic: String!): Int, heap: Float }\n"
    "type Message { text: String, author: String }\n"
    "type Mutation { post(text: String!): Message, fail(message: String!): Int }\n"
    "type Subscription {\n"
    "  ticks(count: Int = 5, intervalMs: Int = 10, failAt: Int, badAt: Int): Int\n"
    "  messages: Message\n"
    "}\n";

static uv_loop_t loop;
static gql_server *server;
static gql_pubsub *pubsub;

/* ---- authentication ---------------------------------------------------------- */

static int authenticate(gql_http_request *req, const gql_json *payload, void **user, void *data)
{
    (void)data;
    size_t len = 0;
    const char *token = gql_json_string(gql_json_member(payload, "token"), &len);
    const char *name = NULL;
    if (token != NULL && len == 6 && memcmp(token, "secret", 6) == 0)
        name = "alice";
    else if (token != NULL && len == 5 && memcmp(token, "other", 5) == 0)
        name = "bob";
    else if (token != NULL && len == 5 && memcmp(token, "crash", 5) == 0)
        return GQL_EINVAL;
    if (name == NULL)
        return GQL_WS_REFUSE;
    /* The identity lives in the upgrade request's memory: as long as the
     * connection. */
    char *copy = gql_http_alloc(req, strlen(name) + 1);
    if (copy == NULL)
        return GQL_ENOMEM;
    strcpy(copy, name);
    *user = copy;
    return GQL_WS_ACCEPT;
}

/* ---- queries and mutations --------------------------------------------------------- */

static gql_value resolve_hello(gql_info *info, gql_value parent)
{
    (void)info;
    (void)parent;
    return gql_cstr("world");
}

static gql_value resolve_whoami(gql_info *info, gql_value parent)
{
    (void)parent;
    return gql_cstr(gql_info_user(info));
}

static gql_value slow_work(gql_work *work, void *arg)
{
    (void)work;
    long ms = (long)(intptr_t)arg;
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
    return gql_cstr("slept");
}

static gql_value resolve_slow(gql_info *info, gql_value parent)
{
    (void)parent;
    int64_t ms = gql_arg_int(info, "ms", 20);
    return gql_offload(info, NULL, slow_work, (void *)(intptr_t)(ms < 0 ? 0 : ms % 5000));
}

static gql_value resolve_subscribers(gql_info *info, gql_value parent)
{
    (void)parent;
    size_t len = 0;
    const char *t = gql_arg_string(info, "topic", &len);
    char topic[128];
    snprintf(topic, sizeof topic, "%.*s", (int)(len < 100 ? len : 100), t);
    return gql_int((int64_t)gql_pubsub_subscriber_count(pubsub, topic));
}

static gql_value resolve_heap(gql_info *info, gql_value parent)
{
    (void)info;
    (void)parent;
    struct mallinfo2 mi = mallinfo2();
    return gql_float((double)mi.uordblks);
}

static void free_doc(void *arg)
{
    gql_json_doc_free(arg);
}

static gql_value resolve_post(gql_info *info, gql_value parent)
{
    (void)parent;
    size_t len = 0;
    const char *text = gql_arg_string(info, "text", &len);
    const char *user = gql_info_user(info);
    /* {"messages":{"text":...,"author":...}}, written with escapes. */
    size_t cap = 64 + 6 * len + (user ? strlen(user) : 0);
    char *json = malloc(cap);
    if (json == NULL)
        return gql_error(info, "Out of memory.");
    size_t n = (size_t)snprintf(json, cap, "{\"messages\":{\"text\":\"");
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)text[i];
        if (ch == '"' || ch == '\\')
            n += (size_t)snprintf(json + n, cap - n, "\\%c", ch);
        else if (ch < 0x20)
            n += (size_t)snprintf(json + n, cap - n, "\\u%04x", ch);
        else
            json[n++] = (char)ch;
    }
    n += (size_t)snprintf(json + n, cap - n, "\",\"author\":\"%s\"}}", user ? user : "");
    int rc = gql_pubsub_publish(pubsub, "messages", json, n, NULL);
    gql_json_doc *doc = NULL;
    if (rc == GQL_OK)
        rc = gql_json_parse(&doc, json, n, NULL);
    free(json);
    if (rc != GQL_OK)
        return gql_error(info, "Could not publish (%d).", rc);
    gql_on_release(info, free_doc, doc);
    return gql_json_value(gql_json_member(gql_json_doc_root(doc), "messages"));
}

static gql_value resolve_fail(gql_info *info, gql_value parent)
{
    (void)parent;
    size_t len = 0;
    const char *m = gql_arg_string(info, "message", &len);
    char text[256];
    snprintf(text, sizeof text, "%.*s", (int)(len < 200 ? len : 200), m);
    size_t n = 0;
    gql_pubsub_publish_error(pubsub, "messages", text, &n);
    return gql_int((int64_t)n);
}

/* ---- subscriptions ---------------------------------------------------------------- */

/* A source that ticks on the loop's timer. */
typedef struct ticker {
    uv_timer_t timer;
    gql_stream *stream;
    int64_t n, count, fail_at, bad_at;
    int closed;
} ticker;

static void ticker_freed(uv_handle_t *h)
{
    free(h->data);
}

/* The subscription is over (ended by either side): stop ticking. */
static void ticker_close(gql_stream *s, void *data)
{
    (void)s;
    ticker *t = data;
    t->closed = 1;
    t->stream = NULL;
    uv_close((uv_handle_t *)&t->timer, ticker_freed);
}

static void tick(uv_timer_t *handle)
{
    ticker *t = handle->data;
    gql_stream *s = t->stream;
    t->n++;
    if (t->n == t->fail_at)
        gql_stream_error(s, "tick failed");
    else if (t->n == t->bad_at)
        gql_stream_push(s, gql_cstr("not a number"));
    else
        gql_stream_push(s, gql_int(t->n));
    /* Sending may have ended the subscription (and closed the ticker). */
    if (!t->closed && t->n >= t->count)
        gql_stream_end(s);
}

static gql_value subscribe_ticks(gql_info *info, gql_value parent)
{
    (void)parent;
    ticker *t = calloc(1, sizeof *t);
    if (t == NULL)
        return gql_error(info, "Out of memory.");
    t->count = gql_arg_int(info, "count", 5);
    t->fail_at = gql_arg_int(info, "failAt", -1);
    t->bad_at = gql_arg_int(info, "badAt", -1);
    int64_t interval = gql_arg_int(info, "intervalMs", 10);
    if (t->count < 0 || interval < 1 || interval > 60000) {
        free(t);
        return gql_error(info, "count must be >= 0 and intervalMs in 1..60000.");
    }
    gql_value v = gql_stream_new(info, &t->stream, ticker_close, t);
    if (t->stream == NULL) {
        free(t);
        return v;
    }
    uv_timer_init(&loop, &t->timer);
    t->timer.data = t;
    uv_timer_start(&t->timer, tick, (uint64_t)interval, (uint64_t)interval);
    return v;
}

static gql_value subscribe_messages(gql_info *info, gql_value parent)
{
    (void)parent;
    return gql_pubsub_subscribe(info, pubsub, "messages", NULL, NULL);
}

static gql_schema *build_schema(void)
{
    gql_schema_builder *b = NULL;
    if (gql_schema_builder_new(&b, sdl, strlen(sdl), NULL, NULL) != GQL_OK)
        return NULL;
    gql_schema_builder_resolver(b, "Query.hello", resolve_hello, NULL);
    gql_schema_builder_resolver(b, "Query.whoami", resolve_whoami, NULL);
    gql_schema_builder_resolver(b, "Query.slow", resolve_slow, NULL);
    gql_schema_builder_resolver(b, "Query.subscribers", resolve_subscribers, NULL);
    gql_schema_builder_resolver(b, "Query.heap", resolve_heap, NULL);
    gql_schema_builder_resolver(b, "Mutation.post", resolve_post, NULL);
    gql_schema_builder_resolver(b, "Mutation.fail", resolve_fail, NULL);
    gql_schema_builder_subscriber(b, "Subscription.ticks", subscribe_ticks, NULL);
    gql_schema_builder_subscriber(b, "Subscription.messages", subscribe_messages, NULL);
    gql_schema *s = NULL;
    gql_schema_builder_finish(b, &s);
    return s;
}

/* ---- main ------------------------------------------------------------------------ */

static int usage(const char *arg)
{
    fprintf(stderr, "ws_auth_server: bad or incomplete option %s\n", arg);
    return 2;
}

static int keep_alive_mode(const char *v)
{
    static const char *const names[] = {"default", "timeout", "interval", "timeout-with-payload"};
    for (int i = 0; i < 4; i++)
        if (strcmp(v, names[i]) == 0)
            return i;
    return -1;
}

int main(int argc, char **argv)
{
    gql_server_opts so;
    gql_server_opts_init(&so);
    so.listen = "127.0.0.1:0";
    so.access_log = 0;
    so.loop = &loop;
    gql_endpoint_opts eo;
    gql_endpoint_opts_init(&eo);
    gql_websocket_opts *ws = &eo.websockets;
    ws->authenticate = authenticate;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--no-auth") == 0) {
            ws->authenticate = NULL;
            continue;
        }
        const char *v = i + 1 < argc ? argv[++i] : NULL;
        if (v == NULL)
            return usage(a);
        unsigned long n = strtoul(v, NULL, 10);
        if (strcmp(a, "--listen") == 0)
            so.listen = v;
        else if (strcmp(a, "--keep-alive-mode") == 0 && keep_alive_mode(v) >= 0)
            ws->keep_alive_mode = keep_alive_mode(v);
        else if (strcmp(a, "--keep-alive-timeout-ms") == 0)
            ws->keep_alive_timeout_ms = (unsigned)n;
        else if (strcmp(a, "--connection-init-wait-timeout-ms") == 0)
            ws->connection_init_wait_timeout_ms = (unsigned)n;
        else if (strcmp(a, "--disconnection-timeout-ms") == 0)
            ws->disconnection_timeout_ms = (unsigned)n;
        else if (strcmp(a, "--supported") == 0)
            ws->supported_subprotocols = v;
        else if (strcmp(a, "--disconnect-after-error-event") == 0)
            ws->disconnect_after_error_event = (int)n;
        else if (strcmp(a, "--disconnect-after-any-error") == 0)
            ws->disconnect_after_any_error = (int)n;
        else if (strcmp(a, "--max-outbound") == 0)
            ws->max_outbound_bytes = n;
        else if (strcmp(a, "--max-message") == 0)
            ws->max_message_size = n;
        else if (strcmp(a, "--max-operations") == 0)
            ws->max_operations = (unsigned)n;
        else
            return usage(a);
    }

    uv_loop_init(&loop);
    gql_schema *schema = build_schema();
    gql_pool *pool = NULL;
    if (schema == NULL || gql_pubsub_new(&pubsub) != GQL_OK || gql_pool_new(&pool, 2) != GQL_OK) {
        fprintf(stderr, "ws_auth_server: cannot build the schema\n");
        return 1;
    }
    eo.exec.pool = pool;
    int rc = gql_server_new(&so, &server);
    if (rc == GQL_OK)
        rc = gql_server_graphql(server, "/graphql", schema, &eo);
    if (rc != GQL_OK) {
        fprintf(stderr, "ws_auth_server: %s\n", gql_strerror(rc));
        return 1;
    }

    if (test_server_serve(server, "ws_auth_server", &loop) != 0)
        return 1;
    gql_server_free(server);
    gql_pubsub_free(pubsub);
    gql_pool_free(pool);
    gql_schema_free(schema);
    uv_loop_close(&loop);
    return 0;
}
