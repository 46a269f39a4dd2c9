/* tests/fuzz/wsg_fuzz.h — the driver both GraphQL WebSocket protocol fuzz
 * targets share (fuzz_ws_transport.c, fuzz_ws_legacy.c): one connection's
 * engine (server/ws_graphql.h) with a recording socket and a fake clock,
 * a schema with queries, a mutation, a hand-driven stream and a pub/sub
 * topic, and a script of client messages and server-side events.
 *
 * Input layout: byte 0 picks options (bit 0: an authentication hook that
 * accepts {"token":"secret"}, refuses others and fails on "crash"; bits
 * 1-2: the keep-alive mode; bit 3: keep-alive every 100 ms; bit 4: keep
 * subscriptions after error events; bit 5: end them after any error; bit
 * 6: at most 2 operations; bit 7: sends fail after the 8th). The rest is
 * lines separated by '\n', each a command:
 *   M<text>   a client message (the text after 'M')
 *   T<d>      the clock moves d * 70 ms (d a digit)
 *   P / B     the latest "ticks" stream gets an Int / a String event
 *   E         the latest "ticks" stream ends
 *   R<text>   <text> is published to the "news" topic
 *   X         an error event is published to "news"
 *   L         the oldest waiting "later" field gets its value
 * Invariants, checked after every step: everything sent is a JSON object
 * whose "type" is a server message of the protocol, with an "id" where
 * the protocol needs one; nothing is sent after the engine closed; a
 * close happens at most once, with a code the protocol uses; the
 * operations running stay within the limit. At the end the socket goes
 * away and everything must be released (leaks fail under ASan). */
#ifndef WSG_FUZZ_H
#define WSG_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/json.h"
#include "gql/gql.h"
#include "gql/pubsub.h"
#include "gql/status.h"
#include "server/ws_graphql.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ---- the recording socket --------------------------------------------------------- */

typedef struct fz_socket {
    gqlx_wsg_protocol protocol;
    int closes;
    int close_code;
    uint64_t now;
    uint64_t timer_due;
    unsigned sends;
    unsigned fail_after; /* sends fail after this many (0: never) */
} fz_socket;

static fz_socket fz;

static bool fz_type_in(const gqlx_json *type, const char *const *list)
{
    for (size_t i = 0; list[i] != NULL; i++)
        if (type->len == strlen(list[i]) && memcmp(type->u.str, list[i], type->len) == 0)
            return true;
    return false;
}

/* Checks one message the engine sends. */
static void fz_check_sent(const char *p, size_t n)
{
    static const char *const transport[] = {"connection_ack", "ping",     "pong", "next",
                                            "error",          "complete", NULL};
    static const char *const transport_with_id[] = {"next", "error", "complete", NULL};
    static const char *const legacy[] = {"connection_ack", "connection_error", "ka", "data",
                                         "error",          "complete",         NULL};
    static const char *const legacy_with_id[] = {"data", "complete", NULL};
    if (fz.closes > 0)
        abort(); /* nothing after closing */
    gqlx_arena a;
    gqlx_arena_init(&a, 0, 0);
    gqlx_json *msg = NULL;
    if (gqlx_json_parse(&a, p, n, NULL, &msg, NULL) != GQL_OK || msg->kind != GQLX_JSON_OBJECT)
        abort();
    const gqlx_json *type = gqlx_json_get_cstr(msg, "type");
    const gqlx_json *id = gqlx_json_get_cstr(msg, "id");
    bool legacy_proto = fz.protocol == GQLX_WSG_LEGACY;
    if (type == NULL || type->kind != GQLX_JSON_STRING ||
        !fz_type_in(type, legacy_proto ? legacy : transport))
        abort();
    if (fz_type_in(type, legacy_proto ? legacy_with_id : transport_with_id) &&
        (id == NULL || id->kind != GQLX_JSON_STRING))
        abort();
    gqlx_arena_free(&a);
}

static int fz_send(void *ctx, const char *p, size_t n)
{
    (void)ctx;
    fz_check_sent(p, n);
    if (fz.fail_after > 0 && ++fz.sends > fz.fail_after)
        return GQL_ELIMIT;
    return GQL_OK;
}

static void fz_close(void *ctx, int code, const char *reason)
{
    (void)ctx;
    static const int codes[] = {1000, 4400, 4401, 4403, 4408, 4409, 4429, 4500};
    bool known = false;
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
        known |= codes[i] == code;
    if (!known || reason == NULL || fz.closes > 0)
        abort();
    fz.closes++;
    fz.close_code = code;
}

static void fz_timer(void *ctx, uint64_t ms)
{
    (void)ctx;
    fz.timer_due = ms ? fz.now + ms : 0;
}

static uint64_t fz_now(void *ctx)
{
    (void)ctx;
    return fz.now;
}

static const gqlx_wsg_io fz_io = {fz_send, fz_close, fz_timer, fz_now};

/* ---- the schema ------------------------------------------------------------------- */

static gql_stream *fz_ticks;
static gql_pubsub *fz_pubsub;

static gql_value fz_hello(gql_info *info, gql_value parent)
{
    (void)info;
    (void)parent;
    return gql_cstr("world");
}

/* Values of "later" fields wait here until an L command (or the end). */
static gql_pending *fz_later[32];
static size_t fz_later_count;

static gql_value fz_later_field(gql_info *info, gql_value parent)
{
    (void)parent;
    if (fz_later_count == sizeof fz_later / sizeof fz_later[0])
        return gql_error(info, "too many waiting");
    return gql_pending_new(info, &fz_later[fz_later_count++]);
}

static void fz_resolve_later(void)
{
    if (fz_later_count == 0)
        return;
    gql_pending *t = fz_later[0];
    memmove(fz_later, fz_later + 1, --fz_later_count * sizeof fz_later[0]);
    if (t != NULL)
        gql_pending_resolve(t, gql_cstr("later"));
}

static gql_value fz_add(gql_info *info, gql_value parent)
{
    (void)parent;
    return gql_int(gql_arg_int(info, "a", 0) + gql_arg_int(info, "b", 0));
}

static void fz_ticks_closed(gql_stream *s, void *data)
{
    (void)data;
    if (s == fz_ticks)
        fz_ticks = NULL;
}

static gql_value fz_subscribe_ticks(gql_info *info, gql_value parent)
{
    (void)parent;
    gql_stream *s = NULL;
    gql_value v = gql_stream_new(info, &s, fz_ticks_closed, NULL);
    if (s != NULL)
        fz_ticks = s;
    return v;
}

static gql_value fz_subscribe_news(gql_info *info, gql_value parent)
{
    (void)parent;
    return gql_pubsub_subscribe(info, fz_pubsub, "news", NULL, NULL);
}

static int fz_auth(gql_http_request *req, const gql_json *payload, void **user, void *data)
{
    (void)req;
    (void)data;
    size_t len = 0;
    const char *t = gql_json_string(gql_json_member(payload, "token"), &len);
    if (t != NULL && len == 5 && memcmp(t, "crash", 5) == 0)
        return GQL_ENOMEM;
    if (t == NULL || len != 6 || memcmp(t, "secret", 6) != 0)
        return GQL_WS_REFUSE;
    *user = (void *)(uintptr_t) "alice";
    return GQL_WS_ACCEPT;
}

static gql_schema *fz_schema(void)
{
    static gql_schema *schema;
    if (schema != NULL)
        return schema;
    static const char sdl[] = "type Query { hello: String later: String }\n"
                              "type Mutation { add(a: Int!, b: Int): Int }\n"
                              "type Subscription { ticks: Int news: String }\n";
    gql_schema_builder *b = NULL;
    if (gql_schema_builder_new(&b, sdl, strlen(sdl), NULL, NULL) != GQL_OK)
        abort();
    gql_schema_builder_resolver(b, "Query.hello", fz_hello, NULL);
    gql_schema_builder_resolver(b, "Query.later", fz_later_field, NULL);
    gql_schema_builder_resolver(b, "Mutation.add", fz_add, NULL);
    gql_schema_builder_subscriber(b, "Subscription.ticks", fz_subscribe_ticks, NULL);
    gql_schema_builder_subscriber(b, "Subscription.news", fz_subscribe_news, NULL);
    if (gql_schema_builder_finish(b, &schema) != GQL_OK)
        abort();
    return schema; /* kept for the whole run, like a server's */
}

/* ---- the script ------------------------------------------------------------------- */

static void fz_step(gqlx_wsg *c, const char *line, size_t n)
{
    if (n == 0)
        return;
    switch (line[0]) {
    case 'M':
        gqlx_wsg_receive(c, line + 1, n - 1, true);
        break;
    case 'T': {
        uint64_t target =
            fz.now +
            (n > 1 && line[1] >= '0' && line[1] <= '9' ? (uint64_t)(line[1] - '0') * 70 : 70);
        while (fz.timer_due != 0 && fz.timer_due <= target) {
            fz.now = fz.timer_due;
            fz.timer_due = 0;
            gqlx_wsg_timeout(c);
        }
        fz.now = target;
        break;
    }
    case 'P':
        if (fz_ticks != NULL)
            gql_stream_push(fz_ticks, gql_int((int64_t)fz.now));
        break;
    case 'B':
        if (fz_ticks != NULL)
            gql_stream_push(fz_ticks, gql_cstr("not an int"));
        break;
    case 'E':
        if (fz_ticks != NULL)
            gql_stream_end(fz_ticks);
        break;
    case 'R':
        gql_pubsub_publish(fz_pubsub, "news", line + 1, n - 1, NULL);
        break;
    case 'X':
        gql_pubsub_publish_error(fz_pubsub, "news", "feed broke", NULL);
        break;
    case 'L':
        fz_resolve_later();
        break;
    default:
        break;
    }
}

static void fz_run(const uint8_t *data, size_t size, gqlx_wsg_protocol protocol)
{
    if (size < 1)
        return;
    uint8_t f = data[0];
    memset(&fz, 0, sizeof fz);
    fz.protocol = protocol;
    fz.now = 1000;
    fz.fail_after = (f & 0x80) ? 8 : 0;
    fz_ticks = NULL;
    fz_later_count = 0;
    if (gql_pubsub_new(&fz_pubsub) != GQL_OK)
        return;
    gqlx_wsg_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.schema = fz_schema();
    gql_exec_opts_init(&cfg.exec);
    cfg.exec.max_memory = 1u << 22;
    cfg.root = gql_null();
    gqlx_websocket_opts_init(&cfg.ws);
    if (f & 1)
        cfg.ws.authenticate = fz_auth;
    cfg.ws.keep_alive_mode = (f >> 1) & 3;
    cfg.ws.keep_alive_timeout_ms = (f & 8) ? 100 : 0;
    cfg.ws.disconnect_after_error_event = (f & 0x10) ? 0 : 1;
    cfg.ws.disconnect_after_any_error = (f & 0x20) ? 1 : 0;
    cfg.ws.max_operations = (f & 0x40) ? 2 : 100;
    cfg.ws.connection_init_wait_timeout_ms = 500;
    gqlx_wsg *c = gqlx_wsg_new(&cfg, protocol, &fz_io, NULL, NULL, NULL);
    if (c == NULL) {
        gql_pubsub_free(fz_pubsub);
        return;
    }
    gqlx_wsg_start(c);
    const char *p = (const char *)data + 1, *end = (const char *)data + size;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        fz_step(c, p, n);
        if (gqlx_wsg_operation_count(c) > cfg.ws.max_operations)
            abort();
        p += n + 1;
    }
    gqlx_wsg_closed(c);
    while (fz_later_count > 0) /* executions outlive their socket */
        fz_resolve_later();
    if (fz_ticks != NULL || gql_pubsub_subscriber_count(fz_pubsub, "news") != 0)
        abort(); /* the socket's end ends every subscription */
    gql_pubsub_free(fz_pubsub);
    fz_pubsub = NULL;
}

#endif
