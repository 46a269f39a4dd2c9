/* tests/unit/server/test_ws_transport.c — the graphql-transport-ws
 * protocol engine without sockets (ws_transport.c over ws_graphql.c):
 * connection_init and authentication, ping/pong, queries, mutations and
 * subscriptions with their next/error/complete messages, completion from
 * either side, every close code, the timers (init timeout and each
 * keep-alive mode), the error options, and memory released in any state
 * (run under ASan). */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/utf8.h"
#include "server/wsg_test.h"

static void acked(wsg_world *w, void (*tweak)(gql_websocket_opts *o))
{
    world_acked(w, GQLX_WSG_TRANSPORT, tweak);
}

static void expect_closed(wsg_world *w, int code, const char *reason)
{
    assert_int_equal(w->f.close_code, code);
    assert_int_equal(w->f.closes, 1);
    if (reason != NULL)
        assert_string_equal(w->f.close_reason, reason);
}

/* ---- connection ------------------------------------------------------------------ */

static void test_init_ack_and_ping(void **state)
{
    (void)state;
    wsg_world w;
    acked(&w, NULL);
    feed(w.c, "{\"type\":\"ping\"}");
    expect_sent(&w.f, "{\"type\":\"pong\"}\n");
    feed(w.c, "{\"type\":\"ping\",\"payload\":{\"n\":1}}");
    expect_sent(&w.f, "{\"type\":\"pong\",\"payload\":{\"n\":1}}\n");
    feed(w.c, "{\"type\":\"pong\",\"payload\":null}"); /* unsolicited: fine */
    expect_sent(&w.f, "");
    assert_int_equal(w.f.closes, 0);
    world_free(&w);
}

static void test_init_with_payload_and_null(void **state)
{
    (void)state;
    wsg_world w;
    world_init(&w, GQLX_WSG_TRANSPORT, NULL);
    feed(w.c, "{\"type\":\"connection_init\",\"payload\":null}");
    expect_sent(&w.f, ACK);
    world_free(&w);
}

static void test_subscribe_before_ack_is_4401(void **state)
{
    (void)state;
    wsg_world w;
    world_init(&w, GQLX_WSG_TRANSPORT, NULL);
    feed(w.c, "{\"id\":\"1\",\"type\":\"subscribe\",\"payload\":{\"query\":\"{hello}\"}}");
    expect_closed(&w, 4401, "Unauthorized");
    expect_sent(&w.f, "");
    /* Nothing is read once closing. */
    feed(w.c, "{\"type\":\"connection_init\"}");
    expect_sent(&w.f, "");
    world_free(&w);
}

static void test_second_init_is_4429(void **state)
{
    (void)state;
    wsg_world w;
    acked(&w, NULL);
    feed(w.c, "{\"type\":\"connection_init\"}");
    expect_closed(&w, 4429, "Too many initialisation requests");
    world_free(&w);
}

static void test_invalid_messages_are_4400(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "not json",
        "[1,2]",
        "{}",
        "{\"type\":1}",
        "{\"type\":\"nope\"}",
        "{\"type\":\"connection_init\",\"payload\":[]}",
        "{\"type\":\"ping\",\"payload\":\"x\"}",
        "{\"type\":\"subscribe\",\"payload\":{\"query\":\"{hello}\"}}",
        "{\"type\":\"subscribe\",\"id\":\"\",\"payload\":{\"query\":\"{hello}\"}}",
        "{\"type\":\"subscribe\",\"id\":7,\"payload\":{\"query\":\"{hello}\"}}",
        "{\"type\":\"subscribe\",\"id\":\"1\"}",
        "{\"type\":\"subscribe\",\"id\":\"1\",\"payload\":{\"query\":1}}",
        "{\"type\":\"subscribe\",\"id\":\"1\",\"payload\":{\"query\":\"{a}\",\"variables\":[]}}",
        "{\"type\":\"subscribe\",\"id\":\"1\",\"payload\":{\"query\":\"{a}\",\"operationName\":2}}",
        "{\"type\":\"subscribe\",\"id\":\"1\",\"payload\":{\"query\":\"{a}\",\"extensions\":1}}",
        "{\"type\":\"complete\"}",
        "{\"type\":\"next\",\"id\":\"1\",\"payload\":{}}",
        "{\"type\":\"connection_ack\"}",
        "{\"type\":\"error\",\"id\":\"1\",\"payload\":[]}",
        "{\"type\":\"conn\\u0000ection_init\"}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        wsg_world w;
        acked(&w, NULL);
        feed(w.c, bad[i]);
        if (w.f.close_code != 4400)
            fail_msg("message %zu (%s): close %d", i, bad[i], w.f.close_code);
        assert_true(strlen(w.f.close_reason) <= 123);
        expect_sent(&w.f, "");
        world_free(&w);
    }
}

static void test_reasons_name_the_problem(void **state)
{
    (void)state;
    wsg_world w;
    acked(&w, NULL);
    feed(w.c, "{\"type\":\"next\",\"id\":\"1\",\"payload\":{}}");
    expect_closed(&w, 4400, "Unexpected message of type next received");
    world_free(&w);
    acked(&w, NULL);
    feed(w.c, "{\"type\":\"nope\"}");
    expect_closed(&w, 4400, "Invalid message 'type' property \"nope\"");
    world_free(&w);
}

static void test_init_timeout_is_4408(void **state)
{
    (void)state;
    wsg_world w;
    world_init(&w, GQLX_WSG_TRANSPORT, NULL);
    assert_int_equal(w.f.timer_due, 1000 + 10000);
    advance(&w.f, w.c, 9999);
    assert_int_equal(w.f.closes, 0);
    advance(&w.f, w.c, 1);
    expect_closed(&w, 4408, "Connection initialisation timeout");
    assert_int_equal(w.f.timer_due, 0);
    world_free(&w);
}

static void no_init_timeout(gql_websocket_opts *o)
{
    o->connection_init_wait_timeout_ms = 0;
}

static void test_init_timeout_disabled_and_stopped(void **state)
{
    (void)state;
    wsg_world w;
    world_init(&w, GQLX_WSG_TRANSPORT, no_init_timeout);
    assert_int_equal(w.f.timer_due, 0);
    world_free(&w);
    /* The ack stops the timeout. */
    acked(&w, NULL);
    assert_int_equal(w.f.timer_due, 0);
    advance(&w.f, w.c, 60000);
    assert_int_equal(w.f.closes, 0);
    world_free(&w);
}

/* ---- authentication ------------------------------------------------------------------ */

static int auth_calls;

/* Accepts {"token":"secret"} as user "alice", refuses other tokens, and
 * fails on {"token":"crash"}. */
static int auth_hook(gql_http_request *req, const gql_json *payload, void **user, void *data)
{
    assert_null(req);
    assert_string_equal(data, "auth-data");
    auth_calls++;
    size_t len = 0;
    const char *token = gql_json_string(gql_json_member(payload, "token"), &len);
    if (token != NULL && len == 6 && memcmp(token, "secret", 6) == 0) {
        *user = (void *)(uintptr_t) "alice";
        return GQL_WS_ACCEPT;
    }
    if (token != NULL && len == 5 && memcmp(token, "crash", 5) == 0)
        return GQL_ENOMEM;
    return GQL_WS_REFUSE;
}

static void with_auth(gql_websocket_opts *o)
{
    o->authenticate = auth_hook;
    o->authenticate_data = (void *)(uintptr_t) "auth-data";
}

static void test_auth_accepts_and_sets_user(void **state)
{
    (void)state;
    wsg_world w;
    world_init(&w, GQLX_WSG_TRANSPORT, with_auth);
    auth_calls = 0;
    feed(w.c, "{\"type\":\"connection_init\",\"payload\":{\"token\":\"secret\"}}");
    expect_sent(&w.f, ACK);
    assert_int_equal(auth_calls, 1);
    feed(w.c, "{\"id\":\"a\",\"type\":\"subscribe\",\"payload\":{\"query\":\"{whoami}\"}}");
    expect_sent(&w.f,
                "{\"id\":\"a\",\"type\":\"next\",\"payload\":{\"data\":{\"whoami\":\"alice\"}}}\n"
                "{\"id\":\"a\",\"type\":\"complete\"}\n");
    world_free(&w);
}

static void test_auth_refuses_with_4403(void **state)
{
    (void)state;
    static const char *const inits[] = {
        "{\"type\":\"connection_init\",\"payload\":{\"token\":\"wrong\"}}",
        "{\"type\":\"connection_init\"}",
        "{\"type\":\"connection_init\",\"payload\":null}",
    };
    for (size_t i = 0; i < 3; i++) {
        wsg_world w;
        world_init(&w, GQLX_WSG_TRANSPORT, with_auth);
        feed(w.c, inits[i]);
        expect_sent(&w.f, "");
        expect_closed(&w, 4403, "Forbidden");
        world_free(&w);
    }
}

static void test_auth_failure_is_4500(void **state)
{
    (void)state;
    wsg_world w;
    world_init(&w, GQLX_WSG_TRANSPORT, with_auth);
    feed(w.c, "{\"type\":\"connection_init\",\"payload\":{\"token\":\"crash\"}}");
    expect_sent(&w.f, "");
    expect_closed(&w, 4500, "Internal server error");
    world_free(&w);
}

/* ---- queries and mutations --------------------------------------------------------------- */

static void test_query_next_complete(void **state)
{
    (void)state;
    wsg_world w;
    acked(&w, NULL);
    feed(w.c, "{\"id\":\"q1\",\"type\":\"subscribe\",\"payload\":{\"query\":\"{hello}\"}}");
    expect_sent(&w.f,
                "{\"id\":\"q1\",\"type\":\"next\",\"payload\":{\"data\":{\"hello\":\"world\"}}}\n"
                "{\"id\":\"q1\",\"type\":\"complete\"}\n");
    assert_int_equal(gqlx_wsg_operation_count(w.c), 0);
    /* The id is free again once the operation is over. */
    feed(w.c, "{\"id\":\"q1\",\"type\":\"subscribe\",\"payload\":{\"query\":\"{boom}\"}}");
    expect_sent(&w.f,
                "{\"id\":\"q1\",\"type\":\"next\",\"payload\":{\"errors\":[{\"message\":\"boom\","
                "\"locations\":[{\"line\":1,\"column\":2}],\"path\":[\"boom\"]}],"
                "\"data\":{\"boom\":null}}}\n"
                "{\"id\":\"q1\",\"type\":\"complete\"}\n");
    world_free(&w);
}

static void test_mutation_with_variables_and_name(void **state)
{
    (void)state;
    wsg_world w;
    acked(&w, NULL);
    feed(w.c, "{\"id\":\"m\",\"type\":\"subscribe\",\"payload\":{\"query\":\"query Q { hello } "
              "mutation M($a: Int!) { add(a: $a, b: 2) }\",\"operationName\":\"M\","
              "\"variables\":{\"a\":40},\"extensions\":{}}}");
    expect_sent(&w.f, "{\"id\":\"m\",\"type\":\"next\",\"payload\":{\"data\":{\"add\":42}}}\n"
                      "{\"id\":\"m\",\"type\":\"complete\"}\n");
    world_free(&w);
}

static void test_request_errors_are_error_messages(void **state)
{
    (void)state;
    wsg_world w;
    acked(&w, NULL);
    feed(w.c, "{\"id\":\"v\",\"type\":\"subscribe\",\"payload\":{\"query\":\"{nope}\"}}");
    expect_sent(&w.f, "{\"id\":\"v\",\"type\":\"error\",\"payload\":[{\"message\":\"Cannot query "
                      "field \\\"nope\\\" on type \\\"Query\\\".\",\"locations\":[{\"line\":1,"
                      "\"column\":2}]}]}\n");
    feed(w.c, "{\"id\":\"s\",\"type\":\"subscribe\",\"payload\":{\"query\":\"{\"}}");
    assert_non_null(strstr(w.f.sent, "{\"id\":\"s\",\"type\":\"error\",\"payload\":[{\"message\":"
                                     "\"Syntax Error"));
    w.f.sent[0] = '\0';
    feed(w.c, "{\"id\":\"x\",\"type\":\"subscribe\",\"payload\":{\"query\":\"mutation($a: Int!) "
              "{ add(a: $a, b: 1) }\"}}");
    assert_non_null(strstr(w.f.sent, "\"type\":\"error\""));
    w.f.sent[0] = '\0';
    assert_int_equal(gqlx_wsg_operation_count(w.c), 0);
    assert_int_equal(w.f.closes, 0);
    world_free(&w);
}

/* ---- subscriptions -------------------------------------------------------------------- */

static void test_subscription_events_and_server_end(void **state)
{
    (void)state;
    wsg_world w;
    acked(&w, NULL);
    feed(
        w.c,
        "{\"id\":\"t\",\"type\":\"subscribe\",\"payload\":{\"query\":\"subscription { ticks }\"}}");
    expect_sent(&w.f, "");
    assert_non_null(ticks_stream);
    assert_int_equal(gqlx_wsg_operation_count(w.c), 1);
    for (int i = 1; i <= 3; i++)
        assert_int_equal(gql_stream_push(ticks_stream, gql_int(i)), GQL_OK);
    expect_sent(&w.f, "{\"id\":\"t\",\"type\":\"next\",\"payload\":{\"data\":{\"ticks\":1}}}\n"
                      "{\"id\":\"t\",\"type\":\"next\",\"payload\":{\"data\":{\"ticks\":2}}}\n"
                      "{\"id\":\"t\",\"type\":\"next\",\"payload\":{\"data\":{\"ticks\":3}}}\n");
    gql_stream_end(ticks_stream);
    expect_sent(&w.f, "{\"id\":\"t\",\"type\":\"complete\"}\n");
    assert_int_equal(ticks_closed, 1);
    assert_int_equal(gqlx_wsg_operation_count(w.c), 0);
    world_free(&w);
}

static void test_subscription_client_complete(void **state)
{
    (void)state;
    wsg_world w;
    acked(&w, NULL);
    feed(
        w.c,
        "{\"id\":\"t\",\"type\":\"subscribe\",\"payload\":{\"query\":\"subscription { ticks }\"}}");
    gql_stream *s = ticks_stream;
    assert_int_equal(gql_stream_push(s, gql_int(1)), GQL_OK);
    expect_sent(&w.f, "{\"id\":\"t\",\"type\":\"next\",\"payload\":{\"data\":{\"ticks\":1}}}\n");
    feed(w.c, "{\"id\":\"t\",\"type\":\"complete\"}");
    expect_sent(&w.f, ""); /* no complete back */
    assert_int_equal(ticks_closed, 1);
    assert_null(ticks_stream);
    /* A complete for an unknown or finished id is ignored. */
    feed(w.c, "{\"id\":\"t\",\"type\":\"complete\"}");
    feed(w.c, "{\"id\":\"zzz\",\"type\":\"complete\"}");
    assert_int_equal(w.f.closes, 0);
    world_free(&w);
}

static void test_duplicate_id_is_4409(void **state)
{
    (void)state;
    wsg_world w;
    acked(&w, NULL);
    feed(w.c, "{\"id\":\"dup\",\"type\":\"subscribe\",\"payload\":{\"query\":\"subscription { "
              "ticks }\"}}");
    feed(w.c, "{\"id\":\"dup\",\"type\":\"subscribe\",\"payload\":{\"query\":\"{hello}\"}}");
    expect_closed(&w, 4409, "Subscriber for dup already exists");
    /* Closing ended the subscription. */
    assert_int_equal(ticks_closed, 1);
    assert_int_equal(gqlx_wsg_operation_count(w.c), 0);
    expect_sent(&w.f, "");
    world_free(&w);
}

/* The id in the reason is cut between code points: a close reason must be
 * UTF-8. */
static void test_duplicate_id_reason_is_utf8(void **state)
{
    (void)state;
    char msg[512];
    char id[128];
    memset(id, 'a', 99);
    memcpy(id + 99, "\xc3\xa9", 3); /* U+00E9 across the 100-byte cut */
    snprintf(msg, sizeof msg,
             "{\"id\":\"%s\",\"type\":\"subscribe\",\"payload\":{\"query\":\"subscription { "
             "ticks }\"}}",
             id);
    wsg_world w;
    acked(&w, NULL);
    feed(w.c, msg);
    feed(w.c, msg);
    assert_int_equal(w.f.close_code, 4409);
    assert_true(gqlx_utf8_valid(w.f.close_reason, strlen(w.f.close_reason), NULL));
    assert_non_null(strstr(w.f.close_reason, "aaa already")); /* the cut U+00E9 left out */
    world_free(&w);
}

static void test_subscription_request_errors(void **state)
{
    (void)state;
    wsg_world w;
    acked(&w, NULL);
    feed(w.c, "{\"id\":\"e\",\"type\":\"subscribe\",\"payload\":{\"query\":\"subscription { ticks "
              "news }\"}}");
    expect_sent(&w.f, "{\"id\":\"e\",\"type\":\"error\",\"payload\":[{\"message\":\"Anonymous "
                      "Subscription must select only one top level field.\",\"locations\":[{"
                      "\"line\":1,\"column\":22}]}]}\n");
    assert_int_equal(gqlx_wsg_operation_count(w.c), 0);
    world_free(&w);
}

static void test_pubsub_subscriptions_with_filter(void **state)
{
    (void)state;
    wsg_world w;
    acked(&w, NULL);
    feed(w.c, "{\"id\":\"all\",\"type\":\"subscribe\",\"payload\":{\"query\":\"subscription { news "
              "}\"}}");
    feed(w.c, "{\"id\":\"b\",\"type\":\"subscribe\",\"payload\":{\"query\":\"subscription($c: "
              "String) { news(channel: $c) }\",\"variables\":{\"c\":\"blue\"}}}");
    assert_int_equal(gql_pubsub_subscriber_count(news_pubsub, "news"), 2);
    const char *red = "{\"news\":\"r1\",\"channel\":\"red\"}";
    const char *blue = "{\"news\":\"b1\",\"channel\":\"blue\"}";
    size_t n = 0;
    assert_int_equal(gql_pubsub_publish(news_pubsub, "news", red, strlen(red), &n), GQL_OK);
    assert_int_equal(n, 2);
    assert_int_equal(gql_pubsub_publish(news_pubsub, "news", blue, strlen(blue), NULL), GQL_OK);
    /* Subscribers hear an event in the order they subscribed. */
    expect_sent(&w.f,
                "{\"id\":\"all\",\"type\":\"next\",\"payload\":{\"data\":{\"news\":\"r1\"}}}\n"
                "{\"id\":\"all\",\"type\":\"next\",\"payload\":{\"data\":{\"news\":\"b1\"}}}\n"
                "{\"id\":\"b\",\"type\":\"next\",\"payload\":{\"data\":{\"news\":\"b1\"}}}\n");
    feed(w.c, "{\"id\":\"b\",\"type\":\"complete\"}");
    assert_int_equal(gql_pubsub_subscriber_count(news_pubsub, "news"), 1);
    world_free(&w); /* ends "all" with the connection */
}

static void test_error_event_ends_subscription(void **state)
{
    (void)state;
    wsg_world w;
    acked(&w, NULL);
    feed(w.c,
         "{\"id\":\"n\",\"type\":\"subscribe\",\"payload\":{\"query\":\"subscription { news }\"}}");
    assert_int_equal(gql_pubsub_publish_error(news_pubsub, "news", "feed broke", NULL), GQL_OK);
    expect_sent(&w.f,
                "{\"id\":\"n\",\"type\":\"error\",\"payload\":[{\"message\":\"feed broke\"}]}\n");
    assert_int_equal(gqlx_wsg_operation_count(w.c), 0);
    assert_int_equal(gql_pubsub_subscriber_count(news_pubsub, "news"), 0);
    world_free(&w);
}

static void keep_after_error_event(gql_websocket_opts *o)
{
    o->disconnect_after_error_event = 0;
}

static void test_error_event_kept(void **state)
{
    (void)state;
    wsg_world w;
    acked(&w, keep_after_error_event);
    feed(w.c,
         "{\"id\":\"n\",\"type\":\"subscribe\",\"payload\":{\"query\":\"subscription { news }\"}}");
    assert_int_equal(gql_pubsub_publish_error(news_pubsub, "news", "hiccup", NULL), GQL_OK);
    const char *ev = "{\"news\":\"after\"}";
    assert_int_equal(gql_pubsub_publish(news_pubsub, "news", ev, strlen(ev), NULL), GQL_OK);
    expect_sent(
        &w.f,
        "{\"id\":\"n\",\"type\":\"next\",\"payload\":{\"errors\":[{\"message\":\"hiccup\"}]}}\n"
        "{\"id\":\"n\",\"type\":\"next\",\"payload\":{\"data\":{\"news\":\"after\"}}}\n");
    assert_int_equal(gqlx_wsg_operation_count(w.c), 1);
    world_free(&w);
}

static void end_after_any_error(gql_websocket_opts *o)
{
    o->disconnect_after_any_error = 1;
}

static void test_disconnect_after_any_error(void **state)
{
    (void)state;
    wsg_world w;
    acked(&w, end_after_any_error);
    feed(
        w.c,
        "{\"id\":\"t\",\"type\":\"subscribe\",\"payload\":{\"query\":\"subscription { ticks }\"}}");
    assert_int_equal(gql_stream_push(ticks_stream, gql_int(1)), GQL_OK);
    /* "x" is not an Int: a field error. */
    assert_int_equal(gql_stream_push(ticks_stream, gql_cstr("x")), GQL_OK);
    assert_null(ticks_stream);
    assert_non_null(strstr(w.f.sent,
                           "{\"id\":\"t\",\"type\":\"next\",\"payload\":{\"data\":{\"ticks\":1}}}\n"
                           "{\"id\":\"t\",\"type\":\"next\",\"payload\":{\"errors\":[{\"message\":"
                           "\"Int cannot represent non-integer value: \\\"x\\\""));
    assert_non_null(strstr(w.f.sent, "\n{\"id\":\"t\",\"type\":\"complete\"}\n"));
    w.f.sent[0] = '\0';
    assert_int_equal(gqlx_wsg_operation_count(w.c), 0);
    world_free(&w);
}

static void one_operation(gql_websocket_opts *o)
{
    o->max_operations = 1;
}

static void test_max_operations(void **state)
{
    (void)state;
    wsg_world w;
    acked(&w, one_operation);
    feed(
        w.c,
        "{\"id\":\"1\",\"type\":\"subscribe\",\"payload\":{\"query\":\"subscription { ticks }\"}}");
    feed(w.c, "{\"id\":\"2\",\"type\":\"subscribe\",\"payload\":{\"query\":\"{hello}\"}}");
    expect_sent(&w.f, "{\"id\":\"2\",\"type\":\"error\",\"payload\":[{\"message\":\"Too many "
                      "operations on this connection.\"}]}\n");
    feed(w.c, "{\"id\":\"1\",\"type\":\"complete\"}");
    feed(w.c, "{\"id\":\"2\",\"type\":\"subscribe\",\"payload\":{\"query\":\"{hello}\"}}");
    expect_sent(&w.f,
                "{\"id\":\"2\",\"type\":\"next\",\"payload\":{\"data\":{\"hello\":\"world\"}}}\n"
                "{\"id\":\"2\",\"type\":\"complete\"}\n");
    world_free(&w);
}

static void test_pending_query_and_stopping_it(void **state)
{
    (void)state;
    wsg_world w;
    acked(&w, one_operation);
    feed(w.c, "{\"id\":\"l\",\"type\":\"subscribe\",\"payload\":{\"query\":\"{later}\"}}");
    expect_sent(&w.f, "");
    gql_pending_resolve(later_token, gql_cstr("now"));
    expect_sent(&w.f,
                "{\"id\":\"l\",\"type\":\"next\",\"payload\":{\"data\":{\"later\":\"now\"}}}\n"
                "{\"id\":\"l\",\"type\":\"complete\"}\n");
    /* Stopped by the client, its execution still counts until done. */
    feed(w.c, "{\"id\":\"l\",\"type\":\"subscribe\",\"payload\":{\"query\":\"{later}\"}}");
    feed(w.c, "{\"id\":\"l\",\"type\":\"complete\"}");
    feed(w.c, "{\"id\":\"2\",\"type\":\"subscribe\",\"payload\":{\"query\":\"{hello}\"}}");
    expect_sent(&w.f, "{\"id\":\"2\",\"type\":\"error\",\"payload\":[{\"message\":\"Too many "
                      "operations on this connection.\"}]}\n");
    gql_pending_resolve(later_token, gql_cstr("too late"));
    expect_sent(&w.f, "");
    feed(w.c, "{\"id\":\"2\",\"type\":\"subscribe\",\"payload\":{\"query\":\"{hello}\"}}");
    assert_non_null(strstr(w.f.sent, "\"type\":\"next\""));
    w.f.sent[0] = '\0';
    /* A socket that ends with an execution waiting: it finishes alone. */
    feed(w.c, "{\"id\":\"3\",\"type\":\"subscribe\",\"payload\":{\"query\":\"{later}\"}}");
    feed(w.c, "{\"id\":\"3\",\"type\":\"complete\"}");
    gqlx_wsg_closed(w.c);
    w.c = NULL;
    gql_pending_resolve(later_token, gql_cstr("nobody listens"));
    expect_sent(&w.f, "");
    world_free(&w);
    acked(&w, NULL);
    feed(w.c, "{\"id\":\"4\",\"type\":\"subscribe\",\"payload\":{\"query\":\"{later}\"}}");
    gqlx_wsg_closed(w.c);
    w.c = NULL;
    gql_pending_resolve(later_token, gql_cstr("nobody listens"));
    world_free(&w);
}

static void count_release(void *arg)
{
    (*(int *)arg)++;
}

/* Work that outlives the socket may read the connection's user: the
 * engine, which the user lives as long as, is released only after it. */
static void test_release_waits_for_work(void **state)
{
    (void)state;
    int released = 0;
    wsg_world w;
    /* Nothing under way: at once. */
    acked(&w, NULL);
    gqlx_wsg_on_release(w.c, count_release, &released);
    feed(w.c, "{\"id\":\"t\",\"type\":\"subscribe\",\"payload\":{\"query\":\"subscription { "
              "ticks }\"}}");
    gqlx_wsg_closed(w.c);
    w.c = NULL;
    assert_int_equal(released, 1);
    world_free(&w);
    /* A query waiting on a pending value. */
    released = 0;
    acked(&w, NULL);
    gqlx_wsg_on_release(w.c, count_release, &released);
    feed(w.c, "{\"id\":\"q\",\"type\":\"subscribe\",\"payload\":{\"query\":\"{later}\"}}");
    gqlx_wsg_closed(w.c);
    w.c = NULL;
    assert_int_equal(released, 0);
    gql_pending_resolve(later_token, gql_cstr("done"));
    assert_int_equal(released, 1);
    expect_sent(&w.f, "");
    world_free(&w);
    /* An event of a subscription waiting on a pending value. */
    released = 0;
    acked(&w, NULL);
    gqlx_wsg_on_release(w.c, count_release, &released);
    feed(w.c, "{\"id\":\"s\",\"type\":\"subscribe\",\"payload\":{\"query\":\"subscription { "
              "slow }\"}}");
    assert_int_equal(gql_stream_push(ticks_stream, gql_int(1)), GQL_OK);
    gqlx_wsg_closed(w.c);
    w.c = NULL;
    assert_int_equal(ticks_closed, 1);
    assert_int_equal(released, 0);
    gql_pending_resolve(later_token, gql_cstr("late"));
    assert_int_equal(released, 1);
    expect_sent(&w.f, "");
    world_free(&w);
}

static void *resolve_later_elsewhere(void *arg)
{
    gql_pending_resolve(later_token, gql_cstr(arg));
    return NULL;
}

/* The connection's loop, as far as posts go: one post at most here. */
typedef struct one_post {
    void (*fn)(void *arg);
    void *arg;
    int posts;
} one_post;

static int post_one(void *ctx, void (*fn)(void *arg), void *arg)
{
    one_post *p = ctx;
    p->fn = fn;
    p->arg = arg;
    p->posts++;
    return GQL_OK;
}

/* An event's value delivered by another thread (a thread pool) wakes the
 * connection, which goes on with the execution on its own thread. */
static void test_event_value_from_another_thread(void **state)
{
    (void)state;
    wsg_world w;
    world_init(&w, GQLX_WSG_TRANSPORT, NULL);
    gqlx_wsg_closed(w.c); /* one with a loop instead */
    one_post loop = {0};
    gqlx_pubsub_target target = {post_one, &loop};
    w.c = gqlx_wsg_new(&w.cfg, GQLX_WSG_TRANSPORT, &fake_io, &w.f, &target, NULL);
    assert_non_null(w.c);
    gqlx_wsg_start(w.c);
    feed(w.c, "{\"type\":\"connection_init\"}");
    expect_sent(&w.f, ACK);
    feed(w.c, "{\"id\":\"s\",\"type\":\"subscribe\",\"payload\":{\"query\":\"subscription { "
              "slow }\"}}");
    assert_int_equal(gql_stream_push(ticks_stream, gql_int(1)), GQL_OK);
    static char there[] = "there";
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, resolve_later_elsewhere, there), 0);
    assert_int_equal(pthread_join(th, NULL), 0);
    expect_sent(&w.f, "");
    assert_int_equal(loop.posts, 1);
    loop.fn(loop.arg);
    expect_sent(&w.f, "{\"id\":\"s\",\"type\":\"next\",\"payload\":{\"data\":{\"slow\":"
                      "\"there\"}}}\n");
    world_free(&w);
}

/* A completed subscription whose event is still executing counts against
 * max_operations until the event is done. */
static void test_stopped_subscription_counts_until_its_events_end(void **state)
{
    (void)state;
    wsg_world w;
    acked(&w, one_operation);
    feed(w.c, "{\"id\":\"s\",\"type\":\"subscribe\",\"payload\":{\"query\":\"subscription { "
              "slow }\"}}");
    assert_int_equal(gql_stream_push(ticks_stream, gql_int(1)), GQL_OK);
    feed(w.c, "{\"id\":\"s\",\"type\":\"complete\"}");
    feed(w.c, "{\"id\":\"2\",\"type\":\"subscribe\",\"payload\":{\"query\":\"{hello}\"}}");
    expect_sent(&w.f, "{\"id\":\"2\",\"type\":\"error\",\"payload\":[{\"message\":\"Too many "
                      "operations on this connection.\"}]}\n");
    gql_pending_resolve(later_token, gql_cstr("unheard"));
    expect_sent(&w.f, "");
    feed(w.c, "{\"id\":\"2\",\"type\":\"subscribe\",\"payload\":{\"query\":\"{hello}\"}}");
    expect_sent(&w.f,
                "{\"id\":\"2\",\"type\":\"next\",\"payload\":{\"data\":{\"hello\":\"world\"}}}\n"
                "{\"id\":\"2\",\"type\":\"complete\"}\n");
    world_free(&w);
}

static void test_closed_with_running_subscriptions(void **state)
{
    (void)state;
    wsg_world w;
    acked(&w, NULL);
    feed(
        w.c,
        "{\"id\":\"1\",\"type\":\"subscribe\",\"payload\":{\"query\":\"subscription { ticks }\"}}");
    feed(w.c,
         "{\"id\":\"2\",\"type\":\"subscribe\",\"payload\":{\"query\":\"subscription { news }\"}}");
    assert_int_equal(gqlx_wsg_operation_count(w.c), 2);
    gqlx_wsg_closed(w.c);
    w.c = NULL;
    assert_int_equal(ticks_closed, 1);
    assert_int_equal(gql_pubsub_subscriber_count(news_pubsub, "news"), 0);
    world_free(&w);
}

static void test_failed_send_stops_work(void **state)
{
    (void)state;
    wsg_world w;
    acked(&w, NULL);
    feed(
        w.c,
        "{\"id\":\"1\",\"type\":\"subscribe\",\"payload\":{\"query\":\"subscription { ticks }\"}}");
    w.f.fail_sends = 1;
    assert_int_equal(gql_stream_push(ticks_stream, gql_int(1)), GQL_OK);
    /* The outbound limit closed the socket: the subscription is over. */
    assert_int_equal(ticks_closed, 1);
    assert_int_equal(gqlx_wsg_operation_count(w.c), 0);
    feed(w.c, "{\"type\":\"ping\"}");
    w.f.fail_sends = 0;
    expect_sent(&w.f, "");
    world_free(&w);
}

/* ---- keep-alive ------------------------------------------------------------------------ */

static void keepalive_timeout(gql_websocket_opts *o)
{
    o->keep_alive_timeout_ms = 1000;
    o->keep_alive_mode = GQL_KEEPALIVE_TIMEOUT;
}

static void test_keepalive_timeout_mode(void **state)
{
    (void)state;
    wsg_world w;
    acked(&w, keepalive_timeout);
    advance(&w.f, w.c, 1000);
    expect_sent(&w.f, "{\"type\":\"pong\"}\n");
    /* A message half-way pushes the next one back. */
    advance(&w.f, w.c, 500);
    feed(w.c, "{\"type\":\"pong\"}");
    advance(&w.f, w.c, 500);
    expect_sent(&w.f, "");
    advance(&w.f, w.c, 500);
    expect_sent(&w.f, "{\"type\":\"pong\"}\n");
    world_free(&w);
}

static void keepalive_default(gql_websocket_opts *o)
{
    o->keep_alive_timeout_ms = 1000;
}

static void test_keepalive_default_is_timeout(void **state)
{
    (void)state;
    wsg_world w;
    acked(&w, keepalive_default);
    advance(&w.f, w.c, 900);
    feed(w.c, "{\"type\":\"ping\"}");
    expect_sent(&w.f, "{\"type\":\"pong\"}\n");
    advance(&w.f, w.c, 200);
    expect_sent(&w.f, "");
    advance(&w.f, w.c, 800);
    expect_sent(&w.f, "{\"type\":\"pong\"}\n");
    world_free(&w);
}

static void keepalive_interval(gql_websocket_opts *o)
{
    o->keep_alive_timeout_ms = 1000;
    o->keep_alive_mode = GQL_KEEPALIVE_INTERVAL;
}

static void test_keepalive_interval_mode(void **state)
{
    (void)state;
    wsg_world w;
    acked(&w, keepalive_interval);
    advance(&w.f, w.c, 500);
    feed(w.c, "{\"type\":\"pong\"}");
    advance(&w.f, w.c, 500);
    expect_sent(&w.f, "{\"type\":\"pong\"}\n");
    advance(&w.f, w.c, 2000);
    expect_sent(&w.f, "{\"type\":\"pong\"}\n{\"type\":\"pong\"}\n");
    world_free(&w);
}

static void keepalive_payload(gql_websocket_opts *o)
{
    o->keep_alive_timeout_ms = 1000;
    o->keep_alive_mode = GQL_KEEPALIVE_TIMEOUT_WITH_PAYLOAD;
}

static void test_keepalive_with_payload(void **state)
{
    (void)state;
    wsg_world w;
    acked(&w, keepalive_payload);
    for (int i = 1; i <= 3; i++) {
        advance(&w.f, w.c, 1000);
        char want[64];
        snprintf(want, sizeof want, "{\"type\":\"ping\",\"payload\":{\"id\":\"%d\"}}\n", i);
        expect_sent(&w.f, want);
        char pong[64];
        snprintf(pong, sizeof pong, "{\"type\":\"pong\",\"payload\":{\"id\":\"%d\"}}", i);
        feed(w.c, pong);
    }
    /* Wrong or stale echoes do not count: two pings unanswered close. */
    feed(w.c, "{\"type\":\"pong\",\"payload\":{\"id\":\"99\"}}");
    advance(&w.f, w.c, 1000);
    expect_sent(&w.f, "{\"type\":\"ping\",\"payload\":{\"id\":\"4\"}}\n");
    feed(w.c, "{\"type\":\"pong\",\"payload\":{\"id\":\"3\"}}");
    advance(&w.f, w.c, 1000);
    expect_sent(&w.f, "{\"type\":\"ping\",\"payload\":{\"id\":\"5\"}}\n");
    assert_int_equal(w.f.closes, 0);
    /* A late echo of 4 makes it one behind: still fine. */
    feed(w.c, "{\"type\":\"pong\",\"payload\":{\"id\":\"4\"}}");
    advance(&w.f, w.c, 1000);
    expect_sent(&w.f, "{\"type\":\"ping\",\"payload\":{\"id\":\"6\"}}\n");
    advance(&w.f, w.c, 1000);
    expect_closed(&w, 4408, "Keep-alive timeout");
    world_free(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_ack_and_ping),
        cmocka_unit_test(test_init_with_payload_and_null),
        cmocka_unit_test(test_subscribe_before_ack_is_4401),
        cmocka_unit_test(test_second_init_is_4429),
        cmocka_unit_test(test_invalid_messages_are_4400),
        cmocka_unit_test(test_reasons_name_the_problem),
        cmocka_unit_test(test_init_timeout_is_4408),
        cmocka_unit_test(test_init_timeout_disabled_and_stopped),
        cmocka_unit_test(test_auth_accepts_and_sets_user),
        cmocka_unit_test(test_auth_refuses_with_4403),
        cmocka_unit_test(test_auth_failure_is_4500),
        cmocka_unit_test(test_query_next_complete),
        cmocka_unit_test(test_mutation_with_variables_and_name),
        cmocka_unit_test(test_request_errors_are_error_messages),
        cmocka_unit_test(test_subscription_events_and_server_end),
        cmocka_unit_test(test_subscription_client_complete),
        cmocka_unit_test(test_duplicate_id_is_4409),
        cmocka_unit_test(test_duplicate_id_reason_is_utf8),
        cmocka_unit_test(test_subscription_request_errors),
        cmocka_unit_test(test_pubsub_subscriptions_with_filter),
        cmocka_unit_test(test_error_event_ends_subscription),
        cmocka_unit_test(test_error_event_kept),
        cmocka_unit_test(test_disconnect_after_any_error),
        cmocka_unit_test(test_max_operations),
        cmocka_unit_test(test_pending_query_and_stopping_it),
        cmocka_unit_test(test_release_waits_for_work),
        cmocka_unit_test(test_stopped_subscription_counts_until_its_events_end),
        cmocka_unit_test(test_event_value_from_another_thread),
        cmocka_unit_test(test_closed_with_running_subscriptions),
        cmocka_unit_test(test_failed_send_stops_work),
        cmocka_unit_test(test_keepalive_timeout_mode),
        cmocka_unit_test(test_keepalive_default_is_timeout),
        cmocka_unit_test(test_keepalive_interval_mode),
        cmocka_unit_test(test_keepalive_with_payload),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
