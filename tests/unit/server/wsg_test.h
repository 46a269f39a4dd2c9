/* tests/unit/server/wsg_test.h — what the WebSocket protocol tests share:
 * a recording gqlx_wsg_io with a fake clock, and a schema with a query, a
 * mutation and three subscriptions (a stream the test pushes into by
 * hand, the same whose events resolve to a pending value, and a pub/sub
 * topic). Include after <cmocka.h>. */
#ifndef WSG_TEST_H
#define WSG_TEST_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "gql/gql.h"
#include "gql/pubsub.h"
#include "gql/status.h"
#include "server/ws_graphql.h"

/* ---- the recording connection ------------------------------------------------ */

typedef struct fake_ws {
    char sent[32768]; /* every message sent, each followed by '\n' */
    int close_code;   /* 0 until closed */
    char close_reason[128];
    int closes;
    uint64_t now;
    uint64_t timer_due; /* 0: stopped */
    int fail_sends;     /* sends fail while set */
} fake_ws;

static inline int fake_send(void *ctx, const char *p, size_t n)
{
    fake_ws *f = ctx;
    if (f->fail_sends)
        return GQL_ELIMIT;
    size_t used = strlen(f->sent);
    assert_true(used + n + 2 < sizeof f->sent);
    memcpy(f->sent + used, p, n);
    f->sent[used + n] = '\n';
    f->sent[used + n + 1] = '\0';
    return GQL_OK;
}

static inline void fake_close(void *ctx, int code, const char *reason)
{
    fake_ws *f = ctx;
    f->closes++;
    f->close_code = code;
    snprintf(f->close_reason, sizeof f->close_reason, "%s", reason);
}

static inline void fake_timer(void *ctx, uint64_t ms)
{
    fake_ws *f = ctx;
    f->timer_due = ms ? f->now + ms : 0;
}

static inline uint64_t fake_now(void *ctx)
{
    return ((fake_ws *)ctx)->now;
}

static const gqlx_wsg_io fake_io = {fake_send, fake_close, fake_timer, fake_now};

/* Moves the clock forward by ms, firing the timer whenever it is due. */
static inline void advance(fake_ws *f, gqlx_wsg *c, uint64_t ms)
{
    uint64_t target = f->now + ms;
    while (f->timer_due != 0 && f->timer_due <= target) {
        f->now = f->timer_due;
        f->timer_due = 0;
        gqlx_wsg_timeout(c);
    }
    f->now = target;
}

/* Checks the messages sent since the last check, then forgets them. */
#define expect_sent(f, text)                                                                       \
    do {                                                                                           \
        assert_string_equal((f)->sent, (text));                                                    \
        (f)->sent[0] = '\0';                                                                       \
    } while (0)

static inline void feed(gqlx_wsg *c, const char *text)
{
    gqlx_wsg_receive(c, text, strlen(text), true);
}

/* ---- the schema ------------------------------------------------------------------ */

static const char wsg_sdl[] = "type Query { hello: String whoami: String boom: String "
                              "later: String }\n"
                              "type Mutation { add(a: Int!, b: Int!): Int }\n"
                              "type Subscription { ticks: Int news(channel: String): String "
                              "slow: String }\n";

/* The stream of the latest "ticks" subscription, and how many ended. */
static gql_stream *ticks_stream;
static int ticks_closed;
static gql_pubsub *news_pubsub;

static inline gql_value resolve_hello(gql_info *info, gql_value parent)
{
    (void)info;
    (void)parent;
    return gql_cstr("world");
}

static inline gql_value resolve_whoami(gql_info *info, gql_value parent)
{
    (void)parent;
    return gql_cstr(gql_info_user(info));
}

static inline gql_value resolve_boom(gql_info *info, gql_value parent)
{
    (void)parent;
    return gql_error(info, "boom");
}

/* "later" (and each event of "slow") waits until the test delivers its
 * value through this token. */
static gql_pending *later_token;

static inline gql_value resolve_later(gql_info *info, gql_value parent)
{
    (void)parent;
    return gql_pending_new(info, &later_token);
}

static inline gql_value resolve_add(gql_info *info, gql_value parent)
{
    (void)parent;
    return gql_int(gql_arg_int(info, "a", 0) + gql_arg_int(info, "b", 0));
}

static inline void ticks_close(gql_stream *s, void *data)
{
    (void)data;
    if (s == ticks_stream)
        ticks_stream = NULL;
    ticks_closed++;
}

static inline gql_value subscribe_ticks(gql_info *info, gql_value parent)
{
    (void)parent;
    gql_stream *s = NULL;
    gql_value v = gql_stream_new(info, &s, ticks_close, NULL);
    ticks_stream = s;
    return v;
}

/* An event reaches a "news" subscription when it names the channel asked
 * for, or when none was asked for. */
static inline int news_filter(const gql_json *event, const gql_json *args, void *data)
{
    (void)data;
    size_t want_len = 0, have_len = 0;
    const char *want = gql_json_string(gql_json_member(args, "channel"), &want_len);
    const char *have = gql_json_string(gql_json_member(event, "channel"), &have_len);
    return want == NULL ||
           (have != NULL && want_len == have_len && memcmp(want, have, have_len) == 0);
}

static inline gql_value subscribe_news(gql_info *info, gql_value parent)
{
    (void)parent;
    return gql_pubsub_subscribe(info, news_pubsub, "news", news_filter, NULL);
}

static inline gql_schema *wsg_schema(void)
{
    gql_schema_builder *b = NULL;
    assert_int_equal(gql_schema_builder_new(&b, wsg_sdl, strlen(wsg_sdl), NULL, NULL), GQL_OK);
    assert_int_equal(gql_schema_builder_resolver(b, "Query.hello", resolve_hello, NULL), GQL_OK);
    assert_int_equal(gql_schema_builder_resolver(b, "Query.whoami", resolve_whoami, NULL), GQL_OK);
    assert_int_equal(gql_schema_builder_resolver(b, "Query.boom", resolve_boom, NULL), GQL_OK);
    assert_int_equal(gql_schema_builder_resolver(b, "Query.later", resolve_later, NULL), GQL_OK);
    assert_int_equal(gql_schema_builder_resolver(b, "Mutation.add", resolve_add, NULL), GQL_OK);
    assert_int_equal(gql_schema_builder_subscriber(b, "Subscription.ticks", subscribe_ticks, NULL),
                     GQL_OK);
    assert_int_equal(gql_schema_builder_subscriber(b, "Subscription.news", subscribe_news, NULL),
                     GQL_OK);
    assert_int_equal(gql_schema_builder_subscriber(b, "Subscription.slow", subscribe_ticks, NULL),
                     GQL_OK);
    assert_int_equal(gql_schema_builder_resolver(b, "Subscription.slow", resolve_later, NULL),
                     GQL_OK);
    gql_schema *s = NULL;
    assert_int_equal(gql_schema_builder_finish(b, &s), GQL_OK);
    return s;
}

/* One test's world: the schema, the endpoint configuration, the fake
 * socket and the connection. */
typedef struct wsg_world {
    gql_schema *schema;
    gqlx_wsg_config cfg;
    fake_ws f;
    gqlx_wsg *c;
} wsg_world;

/* Builds the world with the default options changed by tweak (may be
 * NULL), without starting the connection. */
static inline void world_init(wsg_world *w, gqlx_wsg_protocol protocol,
                              void (*tweak)(gql_websocket_opts *o))
{
    memset(w, 0, sizeof *w);
    ticks_stream = NULL;
    ticks_closed = 0;
    assert_int_equal(gql_pubsub_new(&news_pubsub), GQL_OK);
    w->schema = wsg_schema();
    w->cfg.schema = w->schema;
    gql_exec_opts_init(&w->cfg.exec);
    w->cfg.root = gql_null();
    gqlx_websocket_opts_init(&w->cfg.ws);
    if (tweak != NULL)
        tweak(&w->cfg.ws);
    w->f.now = 1000;
    w->c = gqlx_wsg_new(&w->cfg, protocol, &fake_io, &w->f, NULL, NULL);
    assert_non_null(w->c);
    gqlx_wsg_start(w->c);
}

static const char *const ACK = "{\"type\":\"connection_ack\"}\n";

/* world_init, then a connection_init the connection acknowledges. */
static inline void world_acked(wsg_world *w, gqlx_wsg_protocol protocol,
                               void (*tweak)(gql_websocket_opts *o))
{
    world_init(w, protocol, tweak);
    feed(w->c, "{\"type\":\"connection_init\"}");
    expect_sent(&w->f, ACK);
}

static inline void world_free(wsg_world *w)
{
    if (w->c != NULL)
        gqlx_wsg_closed(w->c);
    w->c = NULL;
    gql_pubsub_free(news_pubsub);
    news_pubsub = NULL;
    gql_schema_free(w->schema);
}

#endif
