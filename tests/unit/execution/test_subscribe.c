/* tests/unit/execution/test_subscribe.c — subscriptions (exec.h,
 * gql_subscribe; async.h, streams): the subscriber's stream, events
 * executed with the event as the root value and delivered in push order,
 * the end of the stream, freeing the subscription (also from inside
 * on_event), request errors with graphql-js's messages, and events whose
 * values are pending and complete out of order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "execution/exec_test.h"
#include "gql/gql.h"

/* ---- what happened, in order -------------------------------------------------------- */

static char log_[8192];
static int closes;
static gql_stream *stream;
static gql_subscription *current;
static int free_on_event; /* gql_subscription_free inside the nth on_event */
static int events;

static void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void note(const char *fmt, ...)
{
    size_t n = strlen(log_);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(log_ + n, sizeof log_ - n, fmt, ap);
    va_end(ap);
}

static void reset(void)
{
    log_[0] = '\0';
    closes = 0;
    stream = NULL;
    current = NULL;
    free_on_event = 0;
    events = 0;
}

static void on_event(gql_response *resp, void *arg)
{
    assert_string_equal(arg, "sub-arg");
    note("%s|", gql_response_json(resp, NULL));
    gql_response_free(resp);
    if (++events == free_on_event) {
        gql_subscription_free(current);
        note("FREED|");
    }
}

static void on_end(void *arg)
{
    assert_string_equal(arg, "sub-arg");
    note("END|");
}

static void on_close(gql_stream *s, void *data)
{
    assert_ptr_equal(s, stream);
    assert_string_equal(data, "close-data");
    closes++;
    note("CLOSE|");
    /* A closed stream takes no more events. */
    assert_int_equal(gql_stream_push(s, gql_int(0)), GQL_EINVAL);
}

/* ---- the schema ------------------------------------------------------------------ */

typedef struct message {
    int id;
    const char *text;
} message;

static message msgs[] = {{1, "one"}, {2, "two"}, {3, "three"}};

static gql_value subscriber(gql_info *info, gql_value root)
{
    assert_string_equal(gql_info_data(info), "sub-data");
    assert_int_equal(gql_info_operation(info), 2);
    const char *f = gql_info_field_name(info);
    if (strcmp(f, "failing") == 0)
        return gql_error(info, "no way");
    if (strcmp(f, "notStream") == 0)
        return gql_int(5);
    if (strcmp(f, "notStreamString") == 0)
        return gql_cstr("x");
    if (strcmp(f, "messages") == 0) {
        size_t len = 0;
        const char *room = gql_arg_string(info, "room", &len);
        note("subscribe %.*s root=%.*s|", (int)len, room, (int)root.len, root.u.str);
    }
    gql_value v = gql_stream_new(info, &stream, on_close, DATA("close-data"));
    assert_int_equal(v.kind, GQL_VALUE_STREAM);
    assert_non_null(stream);
    assert_non_null(gql_stream_alloc(stream, 64));
    return v;
}

/* The event is the root value: the field's parent. */
static gql_value resolve_messages(gql_info *info, gql_value event)
{
    (void)info;
    assert_int_equal(event.kind, GQL_VALUE_OBJECT);
    return event;
}

static gql_value resolve_message(gql_info *info, gql_value parent)
{
    if (parent.kind == GQL_VALUE_JSON)
        return gql_json_value(gql_json_member(parent.u.json, gql_info_field_name(info)));
    const message *m = parent.u.ptr;
    if (strcmp(gql_info_field_name(info), "id") == 0)
        return gql_int(m->id);
    return gql_cstr(m->text);
}

/* Filter-like: events under the minimum become null. */
static gql_value resolve_filtered(gql_info *info, gql_value event)
{
    if (event.u.i < gql_arg_int(info, "min", 0))
        return gql_null();
    return event;
}

static gql_pending *tokens[16];
static size_t ntokens;

static gql_value resolve_slow(gql_info *info, gql_value event)
{
    (void)event;
    gql_value v = gql_pending_new(info, &tokens[ntokens]);
    assert_non_null(tokens[ntokens]);
    ntokens++;
    return v;
}

static gql_schema *schema;

static int setup(void **state)
{
    (void)state;
    static const char sdl[] =
        "directive @experimental_disableErrorPropagation on QUERY | MUTATION | SUBSCRIPTION "
        "type Query { a: Int } type Message { id: Int text: String } "
        "type Subscription { messages(room: String): Message count: Int json: Message "
        "filtered(min: Int): Int failing: Int notStream: Int notStreamString: Int "
        "unbound: Int slow: String strict: Int! }";
    gql_schema_builder *b = NULL;
    if (gql_schema_builder_new(&b, sdl, strlen(sdl), NULL, NULL) != GQL_OK)
        return -1;
    static const char *const fields[] = {"messages",        "count",   "json",
                                         "filtered",        "failing", "notStream",
                                         "notStreamString", "slow",    "strict"};
    char coord[64];
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
        snprintf(coord, sizeof coord, "Subscription.%s", fields[i]);
        if (gql_schema_builder_subscriber(b, coord, subscriber, DATA("sub-data")) != GQL_OK)
            return -1;
    }
    if (gql_schema_builder_resolver(b, "Subscription.messages", resolve_messages, NULL) ||
        gql_schema_builder_resolver(b, "Subscription.filtered", resolve_filtered, NULL) ||
        gql_schema_builder_resolver(b, "Subscription.slow", resolve_slow, NULL) ||
        gql_schema_builder_resolver(b, "Message", resolve_message, NULL))
        return -1;
    return gql_schema_builder_finish(b, &schema);
}

static int teardown(void **state)
{
    (void)state;
    gql_schema_free(schema);
    return 0;
}

static gql_subscription *subscribe(const char *query, const char *variables)
{
    gql_request req;
    gql_request_init(&req);
    req.query = query;
    req.query_len = strlen(query);
    req.variables = variables;
    req.variables_len = variables ? strlen(variables) : 0;
    req.root = gql_cstr("root");
    gql_subscription *sub = NULL;
    gql_response *err = NULL;
    assert_int_equal(
        gql_subscribe(schema, &req, NULL, on_event, on_end, DATA("sub-arg"), &sub, &err), GQL_OK);
    if (err != NULL)
        fail_msg("subscribe failed: %s", gql_response_json(err, NULL));
    assert_non_null(sub);
    assert_non_null(stream);
    current = sub;
    return sub;
}

/* ---- events ------------------------------------------------------------------ */

static void test_events_in_order(void **state)
{
    (void)state;
    reset();
    gql_subscription *sub = subscribe("subscription { messages(room: \"r1\") { id text } }", NULL);
    assert_string_equal(log_, "subscribe r1 root=root|");
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(gql_stream_push(stream, gql_object(&msgs[i], NULL)), GQL_OK);
    gql_stream_end(stream);
    assert_string_equal(log_, "subscribe r1 root=root|"
                              "{\"data\":{\"messages\":{\"id\":1,\"text\":\"one\"}}}|"
                              "{\"data\":{\"messages\":{\"id\":2,\"text\":\"two\"}}}|"
                              "{\"data\":{\"messages\":{\"id\":3,\"text\":\"three\"}}}|"
                              "END|CLOSE|");
    gql_stream_end(stream);     /* once only */
    gql_subscription_free(sub); /* after the end it only releases */
    assert_int_equal(closes, 1);
    gql_subscription_free(NULL);
}

/* Without a resolver: a JSON event is read by field name, any other
 * event is the field's value. */
static void test_events_without_resolver(void **state)
{
    (void)state;
    gql_json_doc *doc = NULL, *doc2 = NULL;
    const char *j = "{\"json\":{\"id\":7,\"text\":\"seven\"},\"count\":3}";
    assert_int_equal(gql_json_parse(&doc, j, strlen(j), NULL), GQL_OK);
    assert_int_equal(gql_json_parse(&doc2, "[1]", 3, NULL), GQL_OK);
    reset();
    gql_subscription *sub = subscribe("subscription { count }", NULL);
    assert_int_equal(gql_stream_push(stream, gql_int(41)), GQL_OK);
    assert_int_equal(gql_stream_push(stream, gql_json_value(gql_json_doc_root(doc))), GQL_OK);
    assert_int_equal(gql_stream_push(stream, gql_cstr("x")), GQL_OK);
    assert_string_equal(log_, "{\"data\":{\"count\":41}}|{\"data\":{\"count\":3}}|"
                              "{\"errors\":[{\"message\":\"Int cannot represent non-integer value: "
                              "\\\"x\\\"\",\"locations\":[{\"line\":1,\"column\":16}],"
                              "\"path\":[\"count\"]}],\"data\":{\"count\":null}}|");
    gql_subscription_free(sub);
    assert_int_equal(closes, 1);
    assert_null(strstr(log_, "END"));

    reset();
    sub = subscribe("subscription S { json { text id } }", NULL);
    assert_int_equal(gql_stream_push(stream, gql_json_value(gql_json_doc_root(doc))), GQL_OK);
    assert_string_equal(log_, "{\"data\":{\"json\":{\"text\":\"seven\",\"id\":7}}}|");
    gql_subscription_free(sub);
    gql_json_doc_free(doc);
    gql_json_doc_free(doc2);
}

static void test_filter_in_resolver(void **state)
{
    (void)state;
    reset();
    gql_subscription *sub = subscribe("subscription($m: Int) { filtered(min: $m) }", "{\"m\":3}");
    for (int i = 1; i <= 4; i++)
        assert_int_equal(gql_stream_push(stream, gql_int(i)), GQL_OK);
    assert_string_equal(log_, "{\"data\":{\"filtered\":null}}|{\"data\":{\"filtered\":null}}|"
                              "{\"data\":{\"filtered\":3}}|{\"data\":{\"filtered\":4}}|");
    gql_subscription_free(sub);
}

static void test_free_subscription(void **state)
{
    (void)state;
    /* Freed before any event: close once, no end. */
    reset();
    gql_subscription *sub = subscribe("subscription { count }", NULL);
    gql_subscription_free(sub);
    assert_string_equal(log_, "CLOSE|");
    assert_int_equal(closes, 1);

    /* Freed inside on_event. */
    reset();
    sub = subscribe("subscription { count }", NULL);
    free_on_event = 2;
    gql_stream *s = stream;
    assert_int_equal(gql_stream_push(s, gql_int(1)), GQL_OK);
    assert_int_equal(gql_stream_push(s, gql_int(2)), GQL_OK);
    /* The stream is gone now: its close function has run. */
    assert_string_equal(log_, "{\"data\":{\"count\":1}}|{\"data\":{\"count\":2}}|CLOSE|FREED|");
    assert_int_equal(closes, 1);
}

/* Ended inside on_event, then freed inside on_end. */
static void end_on_event(gql_response *resp, void *arg)
{
    on_event(resp, arg);
    gql_stream_end(stream);
}

static void free_on_end(void *arg)
{
    on_end(arg);
    gql_subscription_free(current);
}

static void test_end_and_free_in_callbacks(void **state)
{
    (void)state;
    reset();
    gql_request req;
    gql_request_init(&req);
    req.query = "subscription { count }";
    req.query_len = strlen(req.query);
    gql_subscription *sub = NULL;
    gql_response *err = NULL;
    assert_int_equal(
        gql_subscribe(schema, &req, NULL, end_on_event, free_on_end, DATA("sub-arg"), &sub, &err),
        GQL_OK);
    assert_null(err);
    current = sub;
    assert_int_equal(gql_stream_push(stream, gql_int(1)), GQL_OK);
    assert_string_equal(log_, "{\"data\":{\"count\":1}}|END|CLOSE|");
    assert_int_equal(closes, 1);
}

/* ---- request errors --------------------------------------------------------------- */

static void expect_error(const char *query, int status, const char *want)
{
    reset();
    gql_request req;
    gql_request_init(&req);
    req.query = query;
    req.query_len = strlen(query);
    gql_subscription *sub = DATA(&req); /* overwritten */
    gql_response *err = NULL;
    assert_int_equal(
        gql_subscribe(schema, &req, NULL, on_event, on_end, DATA("sub-arg"), &sub, &err), GQL_OK);
    assert_null(sub);
    assert_non_null(err);
    assert_string_equal(gql_response_json(err, NULL), want);
    assert_int_equal(gql_response_status(err), status);
    gql_response_free(err);
    assert_string_equal(log_, "");
}

static void test_request_errors(void **state)
{
    (void)state;
    expect_error("subscription {", GQL_ESYNTAX,
                 "{\"errors\":[{\"message\":\"Syntax Error: Expected Name, found <EOF>.\","
                 "\"locations\":[{\"line\":1,\"column\":15}]}]}");
    expect_error("subscription { nope }", GQL_EVALIDATION,
                 "{\"errors\":[{\"message\":\"Cannot query field \\\"nope\\\" on type "
                 "\\\"Subscription\\\".\",\"locations\":[{\"line\":1,\"column\":16}]}]}");
    expect_error("subscription { count json { id } }", GQL_EVALIDATION,
                 "{\"errors\":[{\"message\":\"Anonymous Subscription must select only one top "
                 "level field.\",\"locations\":[{\"line\":1,\"column\":22}]}]}");
    expect_error("{ a }", GQL_EINVAL,
                 "{\"errors\":[{\"message\":\"Expected subscription operation.\"}]}");
    expect_error("subscription($n: Int!) { filtered(min: $n) }", GQL_EINVAL,
                 "{\"errors\":[{\"message\":\"Variable \\\"$n\\\" has invalid value: Expected a "
                 "value of non-null type \\\"Int!\\\" to be provided.\",\"locations\":[{\"line\":1,"
                 "\"column\":14}]}]}");
    /* The subscriber's failures, located at the field. */
    expect_error("subscription { failing }", GQL_EINVAL,
                 "{\"errors\":[{\"message\":\"no way\",\"locations\":[{\"line\":1,\"column\":16}],"
                 "\"path\":[\"failing\"]}]}");
    expect_error("subscription { notStream }", GQL_EINVAL,
                 "{\"errors\":[{\"message\":\"Subscription field must return Async Iterable. "
                 "Received: 5.\",\"locations\":[{\"line\":1,\"column\":16}],"
                 "\"path\":[\"notStream\"]}]}");
    expect_error("subscription { x: notStreamString }", GQL_EINVAL,
                 "{\"errors\":[{\"message\":\"Subscription field must return Async Iterable. "
                 "Received: \\\"x\\\".\",\"locations\":[{\"line\":1,\"column\":16}],"
                 "\"path\":[\"x\"]}]}");
    expect_error("subscription { unbound }", GQL_EINVAL,
                 "{\"errors\":[{\"message\":\"Subscription field must return Async Iterable. "
                 "Received: undefined.\",\"locations\":[{\"line\":1,\"column\":16}],"
                 "\"path\":[\"unbound\"]}]}");

    /* Arguments. */
    gql_request req;
    gql_request_init(&req);
    req.query = "subscription { count }";
    req.query_len = strlen(req.query);
    gql_subscription *sub = NULL;
    gql_response *err = NULL;
    assert_int_equal(gql_subscribe(schema, &req, NULL, NULL, on_end, NULL, &sub, &err), GQL_EINVAL);
    assert_int_equal(gql_subscribe(NULL, &req, NULL, on_event, on_end, NULL, &sub, &err),
                     GQL_EINVAL);
    assert_int_equal(gql_subscribe(schema, &req, NULL, on_event, on_end, NULL, NULL, &err),
                     GQL_EINVAL);
    assert_int_equal(gql_subscribe(schema, &req, NULL, on_event, on_end, NULL, &sub, NULL),
                     GQL_EINVAL);
    assert_null(sub);
    assert_null(err);
    assert_int_equal(gql_stream_push(NULL, gql_int(1)), GQL_EINVAL);
    gql_stream_end(NULL);
    assert_null(gql_stream_alloc(NULL, 8));
}

/* gql_execute runs a subscription operation's selection set once, as
 * graphql-js's execute() does. */
static void test_execute_subscription_operation(void **state)
{
    (void)state;
    reset();
    gql_request req;
    gql_request_init(&req);
    req.query = "subscription { count }";
    req.query_len = strlen(req.query);
    gql_json_doc *doc = NULL;
    assert_int_equal(gql_json_parse(&doc, "{\"count\":1}", 11, NULL), GQL_OK);
    req.root = gql_json_value(gql_json_doc_root(doc));
    gql_response *r = NULL;
    assert_int_equal(gql_execute(schema, &req, NULL, &r), GQL_OK);
    assert_string_equal(gql_response_json(r, NULL), "{\"data\":{\"count\":1}}");
    gql_response_free(r);
    gql_json_doc_free(doc);
    assert_string_equal(log_, "");
}

/* The operation's @experimental_disableErrorPropagation holds for every
 * event, as in graphql-js. */
static void test_events_without_error_propagation(void **state)
{
    (void)state;
    reset();
    gql_subscription *sub = subscribe("subscription { strict }", NULL);
    assert_int_equal(gql_stream_push(stream, gql_null()), GQL_OK);
    gql_subscription_free(sub);
    assert_string_equal(log_, "{\"errors\":[{\"message\":\"Cannot return null for non-nullable "
                              "field Subscription.strict.\",\"locations\":[{\"line\":1,"
                              "\"column\":16}],\"path\":[\"strict\"]}],\"data\":null}|CLOSE|");
    reset();
    sub = subscribe("subscription @experimental_disableErrorPropagation { strict }", NULL);
    assert_int_equal(gql_stream_push(stream, gql_null()), GQL_OK);
    assert_int_equal(gql_stream_push(stream, gql_int(2)), GQL_OK);
    gql_subscription_free(sub);
    assert_string_equal(log_, "{\"errors\":[{\"message\":\"Cannot return null for non-nullable "
                              "field Subscription.strict.\",\"locations\":[{\"line\":1,"
                              "\"column\":54}],\"path\":[\"strict\"]}],\"data\":{\"strict\":null}}|"
                              "{\"data\":{\"strict\":2}}|CLOSE|");
}

/* Without a subscriber the source is the root value's member, as
 * graphql-js's default resolver reads it. */
static void test_subscriber_default(void **state)
{
    (void)state;
    reset();
    gql_json_doc *doc = NULL;
    assert_int_equal(gql_json_parse(&doc, "{\"unbound\":5}", 13, NULL), GQL_OK);
    gql_request req;
    gql_request_init(&req);
    req.query = "subscription { unbound }";
    req.query_len = strlen(req.query);
    req.root = gql_json_value(gql_json_doc_root(doc));
    gql_subscription *sub = NULL;
    gql_response *err = NULL;
    assert_int_equal(gql_subscribe(schema, &req, NULL, on_event, on_end, NULL, &sub, &err), GQL_OK);
    assert_null(sub);
    assert_string_equal(gql_response_json(err, NULL),
                        "{\"errors\":[{\"message\":\"Subscription field must return Async "
                        "Iterable. Received: 5.\",\"locations\":[{\"line\":1,\"column\":16}],"
                        "\"path\":[\"unbound\"]}]}");
    gql_response_free(err);
    gql_json_doc_free(doc);
}

/* ---- pending event values ------------------------------------------------------- */

static void test_pending_events_in_push_order(void **state)
{
    (void)state;
    reset();
    ntokens = 0;
    gql_subscription *sub = subscribe("subscription { slow }", NULL);
    for (int i = 0; i < 3; i++)
        assert_int_equal(gql_stream_push(stream, gql_int(i)), GQL_OK);
    assert_int_equal(ntokens, 3);
    assert_string_equal(log_, "");
    gql_pending_resolve(tokens[2], gql_cstr("e2"));
    assert_string_equal(log_, "");
    gql_pending_resolve(tokens[0], gql_cstr("e0"));
    assert_string_equal(log_, "{\"data\":{\"slow\":\"e0\"}}|");
    /* Ending while an event is pending: the end comes after it. */
    gql_stream_end(stream);
    assert_string_equal(log_, "{\"data\":{\"slow\":\"e0\"}}|CLOSE|");
    gql_pending_reject(tokens[1], "e1 failed");
    assert_string_equal(log_, "{\"data\":{\"slow\":\"e0\"}}|CLOSE|"
                              "{\"errors\":[{\"message\":\"e1 failed\",\"locations\":[{\"line\":1,"
                              "\"column\":16}],\"path\":[\"slow\"]}],\"data\":{\"slow\":null}}|"
                              "{\"data\":{\"slow\":\"e2\"}}|END|");
    gql_subscription_free(sub);
    assert_int_equal(closes, 1);
}

/* Freed while events are pending: their values are dropped harmlessly. */
static void test_free_with_pending_events(void **state)
{
    (void)state;
    reset();
    ntokens = 0;
    gql_subscription *sub = subscribe("subscription { slow }", NULL);
    assert_int_equal(gql_stream_push(stream, gql_int(0)), GQL_OK);
    assert_int_equal(gql_stream_push(stream, gql_int(1)), GQL_OK);
    gql_pending_resolve(tokens[1], gql_cstr("e1"));
    gql_subscription_free(sub);
    assert_string_equal(log_, "CLOSE|");
    gql_pending_resolve(tokens[0], gql_cstr("e0"));
    assert_string_equal(log_, "CLOSE|");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_events_in_order),
        cmocka_unit_test(test_events_without_resolver),
        cmocka_unit_test(test_filter_in_resolver),
        cmocka_unit_test(test_free_subscription),
        cmocka_unit_test(test_end_and_free_in_callbacks),
        cmocka_unit_test(test_request_errors),
        cmocka_unit_test(test_execute_subscription_operation),
        cmocka_unit_test(test_events_without_error_propagation),
        cmocka_unit_test(test_subscriber_default),
        cmocka_unit_test(test_pending_events_in_push_order),
        cmocka_unit_test(test_free_with_pending_events),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
