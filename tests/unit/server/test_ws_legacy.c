/* tests/unit/server/test_ws_legacy.c — the legacy graphql-ws protocol
 * engine (subscriptions-transport-ws) without sockets (ws_legacy.c over
 * ws_graphql.c): connection_init with connection_ack, ka and
 * connection_error, start with data/error/complete, stop,
 * connection_terminate, a start replacing a running id, malformed
 * messages answered without closing, timers and memory in any state. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "server/wsg_test.h"

static void acked(wsg_world *w, void (*tweak)(gql_websocket_opts *o))
{
    world_acked(w, GQLX_WSG_LEGACY, tweak);
}

static void test_init_and_query(void **state)
{
    (void)state;
    wsg_world w;
    acked(&w, NULL);
    feed(w.c,
         "{\"id\":\"1\",\"type\":\"start\",\"payload\":{\"query\":\"{hello}\",\"variables\":{}}}");
    expect_sent(&w.f,
                "{\"type\":\"data\",\"id\":\"1\",\"payload\":{\"data\":{\"hello\":\"world\"}}}\n"
                "{\"type\":\"complete\",\"id\":\"1\"}\n");
    feed(w.c,
         "{\"id\":\"2\",\"type\":\"start\",\"payload\":{\"query\":\"mutation { add(a: 1, b: 2) "
         "}\",\"operationName\":null}}");
    expect_sent(&w.f, "{\"type\":\"data\",\"id\":\"2\",\"payload\":{\"data\":{\"add\":3}}}\n"
                      "{\"type\":\"complete\",\"id\":\"2\"}\n");
    world_free(&w);
}

static void test_request_error_is_error_message(void **state)
{
    (void)state;
    wsg_world w;
    acked(&w, NULL);
    feed(w.c, "{\"id\":\"1\",\"type\":\"start\",\"payload\":{\"query\":\"{nope}\"}}");
    expect_sent(&w.f, "{\"type\":\"error\",\"id\":\"1\",\"payload\":{\"errors\":[{\"message\":"
                      "\"Cannot query field \\\"nope\\\" on type \\\"Query\\\".\",\"locations\":"
                      "[{\"line\":1,\"column\":2}]}]}}\n");
    assert_int_equal(gqlx_wsg_operation_count(w.c), 0);
    world_free(&w);
}

static void test_subscription_data_stop_complete(void **state)
{
    (void)state;
    wsg_world w;
    acked(&w, NULL);
    feed(w.c,
         "{\"id\":\"s\",\"type\":\"start\",\"payload\":{\"query\":\"subscription { ticks }\"}}");
    expect_sent(&w.f, "");
    assert_int_equal(gql_stream_push(ticks_stream, gql_int(7)), GQL_OK);
    expect_sent(&w.f, "{\"type\":\"data\",\"id\":\"s\",\"payload\":{\"data\":{\"ticks\":7}}}\n");
    feed(w.c, "{\"id\":\"s\",\"type\":\"stop\"}");
    expect_sent(&w.f, "{\"type\":\"complete\",\"id\":\"s\"}\n");
    assert_int_equal(ticks_closed, 1);
    feed(w.c, "{\"id\":\"s\",\"type\":\"stop\"}"); /* already over: ignored */
    expect_sent(&w.f, "");
    world_free(&w);
}

static void test_server_side_end(void **state)
{
    (void)state;
    wsg_world w;
    acked(&w, NULL);
    feed(w.c,
         "{\"id\":\"s\",\"type\":\"start\",\"payload\":{\"query\":\"subscription { ticks }\"}}");
    gql_stream_end(ticks_stream);
    expect_sent(&w.f, "{\"type\":\"complete\",\"id\":\"s\"}\n");
    assert_int_equal(gqlx_wsg_operation_count(w.c), 0);
    world_free(&w);
}

static void test_start_replaces_running_id(void **state)
{
    (void)state;
    wsg_world w;
    acked(&w, NULL);
    feed(w.c,
         "{\"id\":\"1\",\"type\":\"start\",\"payload\":{\"query\":\"subscription { ticks }\"}}");
    feed(w.c,
         "{\"id\":\"1\",\"type\":\"start\",\"payload\":{\"query\":\"subscription { ticks }\"}}");
    assert_int_equal(ticks_closed, 1); /* the first ended silently */
    assert_non_null(ticks_stream);
    assert_int_equal(gqlx_wsg_operation_count(w.c), 1);
    expect_sent(&w.f, "");
    assert_int_equal(gql_stream_push(ticks_stream, gql_int(2)), GQL_OK);
    expect_sent(&w.f, "{\"type\":\"data\",\"id\":\"1\",\"payload\":{\"data\":{\"ticks\":2}}}\n");
    assert_int_equal(w.f.closes, 0);
    world_free(&w);
}

static void test_error_event(void **state)
{
    (void)state;
    wsg_world w;
    acked(&w, NULL);
    feed(w.c,
         "{\"id\":\"n\",\"type\":\"start\",\"payload\":{\"query\":\"subscription { news }\"}}");
    assert_int_equal(gql_pubsub_publish_error(news_pubsub, "news", "feed broke", NULL), GQL_OK);
    expect_sent(&w.f, "{\"type\":\"error\",\"id\":\"n\",\"payload\":{\"errors\":[{\"message\":"
                      "\"feed broke\"}]}}\n");
    assert_int_equal(gqlx_wsg_operation_count(w.c), 0);
    world_free(&w);
}

static void test_malformed_messages_do_not_close(void **state)
{
    (void)state;
    wsg_world w;
    acked(&w, NULL);
    feed(w.c, "{oops");
    assert_non_null(strstr(w.f.sent, "{\"type\":\"connection_error\",\"payload\":{\"message\":"));
    w.f.sent[0] = '\0';
    feed(w.c, "[]");
    expect_sent(&w.f, "{\"type\":\"connection_error\",\"payload\":{\"message\":\"A message must be "
                      "an object with a string 'type' property.\"}}\n");
    feed(w.c, "{\"type\":\"whatever\",\"id\":\"9\"}");
    expect_sent(&w.f, "{\"type\":\"error\",\"id\":\"9\",\"payload\":{\"message\":\"Invalid message "
                      "type!\"}}\n");
    feed(w.c, "{\"type\":\"start\",\"id\":\"3\",\"payload\":{}}");
    expect_sent(&w.f, "{\"type\":\"error\",\"id\":\"3\",\"payload\":{\"message\":\"Must provide a "
                      "query.\"}}\n");
    feed(w.c,
         "{\"type\":\"start\",\"id\":\"4\",\"payload\":{\"query\":\"{hello}\",\"variables\":3}}");
    assert_non_null(strstr(w.f.sent, "{\"type\":\"error\",\"id\":\"4\",\"payload\":{\"message\":"
                                     "\"Incorrect option types."));
    w.f.sent[0] = '\0';
    feed(w.c, "{\"type\":\"start\",\"payload\":{\"query\":\"{hello}\"}}");
    expect_sent(&w.f, "{\"type\":\"error\",\"payload\":{\"message\":\"The 'id' property must be a "
                      "string.\"}}\n");
    assert_int_equal(w.f.closes, 0);
    world_free(&w);
}

static void test_start_before_init_is_4401(void **state)
{
    (void)state;
    wsg_world w;
    world_init(&w, GQLX_WSG_LEGACY, NULL);
    feed(w.c, "{\"id\":\"1\",\"type\":\"start\",\"payload\":{\"query\":\"{hello}\"}}");
    assert_int_equal(w.f.close_code, 4401);
    world_free(&w);
}

static void test_second_init_is_4429(void **state)
{
    (void)state;
    wsg_world w;
    acked(&w, NULL);
    feed(w.c, "{\"type\":\"connection_init\"}");
    assert_int_equal(w.f.close_code, 4429);
    world_free(&w);
}

static void test_connection_terminate(void **state)
{
    (void)state;
    wsg_world w;
    acked(&w, NULL);
    feed(w.c,
         "{\"id\":\"s\",\"type\":\"start\",\"payload\":{\"query\":\"subscription { ticks }\"}}");
    feed(w.c, "{\"type\":\"connection_terminate\"}");
    assert_int_equal(w.f.close_code, 1000);
    assert_int_equal(ticks_closed, 1);
    expect_sent(&w.f, "");
    world_free(&w);
}

static int refuse_all(gql_http_request *req, const gql_json *payload, void **user, void *data)
{
    (void)req;
    (void)payload;
    (void)user;
    return data != NULL ? GQL_ENOMEM : GQL_WS_REFUSE;
}

static void with_refusal(gql_websocket_opts *o)
{
    o->authenticate = refuse_all;
}

static void with_failure(gql_websocket_opts *o)
{
    o->authenticate = refuse_all;
    o->authenticate_data = o;
}

static void test_auth_refused_connection_error(void **state)
{
    (void)state;
    wsg_world w;
    world_init(&w, GQLX_WSG_LEGACY, with_refusal);
    feed(w.c, "{\"type\":\"connection_init\",\"payload\":{\"token\":\"x\"}}");
    expect_sent(&w.f, "{\"type\":\"connection_error\",\"payload\":{\"message\":\"Forbidden\"}}\n");
    assert_int_equal(w.f.close_code, 4403);
    world_free(&w);
    world_init(&w, GQLX_WSG_LEGACY, with_failure);
    feed(w.c, "{\"type\":\"connection_init\"}");
    expect_sent(&w.f, "{\"type\":\"connection_error\",\"payload\":{\"message\":\"Internal server "
                      "error\"}}\n");
    assert_int_equal(w.f.close_code, 4500);
    world_free(&w);
}

static void keepalive(gql_websocket_opts *o)
{
    o->keep_alive_timeout_ms = 1000;
    /* The mode only concerns graphql-transport-ws. */
    o->keep_alive_mode = GQL_KEEPALIVE_TIMEOUT_WITH_PAYLOAD;
}

static void test_keepalive_ka_schedule(void **state)
{
    (void)state;
    wsg_world w;
    world_init(&w, GQLX_WSG_LEGACY, keepalive);
    feed(w.c, "{\"type\":\"connection_init\"}");
    expect_sent(&w.f, "{\"type\":\"connection_ack\"}\n{\"type\":\"ka\"}\n");
    advance(&w.f, w.c, 500);
    feed(w.c, "{\"id\":\"1\",\"type\":\"start\",\"payload\":{\"query\":\"{hello}\"}}");
    w.f.sent[0] = '\0';
    advance(&w.f, w.c, 500);
    expect_sent(&w.f, "{\"type\":\"ka\"}\n");
    advance(&w.f, w.c, 3000);
    expect_sent(&w.f, "{\"type\":\"ka\"}\n{\"type\":\"ka\"}\n{\"type\":\"ka\"}\n");
    assert_int_equal(w.f.closes, 0);
    world_free(&w);
}

static void test_init_timeout(void **state)
{
    (void)state;
    wsg_world w;
    world_init(&w, GQLX_WSG_LEGACY, NULL);
    advance(&w.f, w.c, 10000);
    assert_int_equal(w.f.close_code, 4408);
    world_free(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_and_query),
        cmocka_unit_test(test_request_error_is_error_message),
        cmocka_unit_test(test_subscription_data_stop_complete),
        cmocka_unit_test(test_server_side_end),
        cmocka_unit_test(test_start_replaces_running_id),
        cmocka_unit_test(test_error_event),
        cmocka_unit_test(test_malformed_messages_do_not_close),
        cmocka_unit_test(test_start_before_init_is_4401),
        cmocka_unit_test(test_second_init_is_4429),
        cmocka_unit_test(test_connection_terminate),
        cmocka_unit_test(test_auth_refused_connection_error),
        cmocka_unit_test(test_keepalive_ka_schedule),
        cmocka_unit_test(test_init_timeout),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
