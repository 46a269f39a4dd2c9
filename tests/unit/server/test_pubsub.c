/* tests/unit/server/test_pubsub.c — the pub/sub (gql/pubsub.h,
 * server/pubsub.c): publishing JSON text, parsed values and error events;
 * filters with the subscription's arguments; delivery on each
 * subscriber's target with one post per target and publish, in publish
 * order, also from many publishing threads; subscriptions ending in the
 * middle of a delivery; and every event and topic released (run under
 * ASan). */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gql/gql.h"
#include "gql/pubsub.h"
#include "gql/status.h"
#include "server/pubsub.h"

/* ---- a fake event loop: a queue of posted functions ----------------------------------- */

typedef struct post_item {
    void (*fn)(void *arg);
    void *arg;
    struct post_item *next;
} post_item;

typedef struct fake_loop {
    pthread_mutex_t lock;
    post_item *head, *tail;
    int posts;
    int refuse; /* posts fail (a loop that has stopped) */
} fake_loop;

static int loop_post(void *ctx, void (*fn)(void *arg), void *arg)
{
    fake_loop *l = ctx;
    if (l->refuse)
        return GQL_EINVAL;
    post_item *p = malloc(sizeof *p);
    assert_non_null(p);
    p->fn = fn;
    p->arg = arg;
    p->next = NULL;
    pthread_mutex_lock(&l->lock);
    if (l->tail)
        l->tail->next = p;
    else
        l->head = p;
    l->tail = p;
    l->posts++;
    pthread_mutex_unlock(&l->lock);
    return GQL_OK;
}

/* Runs what was posted, in order. */
static void loop_run(fake_loop *l)
{
    for (;;) {
        pthread_mutex_lock(&l->lock);
        post_item *p = l->head;
        if (p != NULL) {
            l->head = p->next;
            if (l->head == NULL)
                l->tail = NULL;
        }
        pthread_mutex_unlock(&l->lock);
        if (p == NULL)
            return;
        p->fn(p->arg);
        free(p);
    }
}

static void loop_init(fake_loop *l)
{
    memset(l, 0, sizeof *l);
    pthread_mutex_init(&l->lock, NULL);
}

static void loop_fini(fake_loop *l)
{
    loop_run(l);
    pthread_mutex_destroy(&l->lock);
}

/* ---- subscriptions -------------------------------------------------------------------- */

static gql_pubsub *ps;
static gql_schema *schema;

static int channel_filter(const gql_json *event, const gql_json *args, void *data)
{
    assert_string_equal(data, "filter-data");
    size_t wl = 0, hl = 0;
    const char *want = gql_json_string(gql_json_member(args, "channel"), &wl);
    const char *have = gql_json_string(gql_json_member(event, "channel"), &hl);
    return want == NULL || (have != NULL && wl == hl && memcmp(want, have, hl) == 0);
}

static gql_value subscribe_news(gql_info *info, gql_value parent)
{
    (void)parent;
    return gql_pubsub_subscribe(info, ps, "news", channel_filter,
                                (void *)(uintptr_t) "filter-data");
}

static gql_value subscribe_other(gql_info *info, gql_value parent)
{
    (void)parent;
    size_t len = 0;
    const char *arg = gql_arg_string(info, "topic", &len);
    char topic[64];
    snprintf(topic, sizeof topic, "%.*s", (int)len, arg);
    return gql_pubsub_subscribe(info, ps, topic, NULL, NULL);
}

static int setup(void **state)
{
    (void)state;
    static const char sdl[] = "type Query { a: Int }\n"
                              "type Subscription { news(channel: String): String "
                              "other(topic: String!): Int }\n";
    gql_schema_builder *b = NULL;
    assert_int_equal(gql_schema_builder_new(&b, sdl, strlen(sdl), NULL, NULL), GQL_OK);
    assert_int_equal(gql_schema_builder_subscriber(b, "Subscription.news", subscribe_news, NULL),
                     GQL_OK);
    assert_int_equal(gql_schema_builder_subscriber(b, "Subscription.other", subscribe_other, NULL),
                     GQL_OK);
    assert_int_equal(gql_schema_builder_finish(b, &schema), GQL_OK);
    assert_int_equal(gql_pubsub_new(&ps), GQL_OK);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    gql_pubsub_free(ps);
    gql_schema_free(schema);
    return 0;
}

/* One subscriber: what it received, one response per line. */
typedef struct listener {
    char got[8192];
    int events;
    gql_subscription *sub;
    struct listener *free_on_event; /* ends that subscription on its first event */
} listener;

static void on_event(gql_response *resp, void *arg)
{
    listener *l = arg;
    size_t n = strlen(l->got);
    snprintf(l->got + n, sizeof l->got - n, "%s\n", gql_response_json(resp, NULL));
    l->events++;
    gql_response_free(resp);
    if (l->free_on_event != NULL) {
        gql_subscription_free(l->free_on_event->sub);
        l->free_on_event->sub = NULL;
        l->free_on_event = NULL;
    }
}

/* Subscribes l with query on target (NULL: synchronous delivery). */
static void listen_on(listener *l, const char *query, fake_loop *target)
{
    memset(l, 0, sizeof *l);
    gqlx_pubsub_target t = {loop_post, target};
    gqlx_pubsub_set_target(target != NULL ? &t : NULL, NULL);
    gql_request req;
    gql_request_init(&req);
    req.query = query;
    req.query_len = strlen(query);
    gql_response *err = NULL;
    assert_int_equal(gql_subscribe(schema, &req, NULL, on_event, NULL, l, &l->sub, &err), GQL_OK);
    if (err != NULL)
        fail_msg("%s", gql_response_json(err, NULL));
    gqlx_pubsub_set_target(NULL, NULL);
}

static void stop(listener *l)
{
    gql_subscription_free(l->sub);
    l->sub = NULL;
}

static int publish(const char *topic, const char *json)
{
    size_t n = 0;
    assert_int_equal(gql_pubsub_publish(ps, topic, json, strlen(json), &n), GQL_OK);
    return (int)n;
}

/* ---- tests ------------------------------------------------------------------------ */

static void test_publish_without_subscribers(void **state)
{
    (void)state;
    assert_int_equal(publish("nobody", "{\"x\":1}"), 0);
    size_t n = 9;
    assert_int_equal(gql_pubsub_publish(ps, "nobody", "{", 1, &n), GQL_EJSON);
    assert_int_equal(n, 0);
    assert_int_equal(gql_pubsub_publish(NULL, "t", "1", 1, NULL), GQL_EINVAL);
    assert_int_equal(gql_pubsub_publish(ps, NULL, "1", 1, NULL), GQL_EINVAL);
    assert_int_equal(gql_pubsub_subscriber_count(ps, "nobody"), 0);
}

static void test_synchronous_delivery_and_filters(void **state)
{
    (void)state;
    listener all, red;
    listen_on(&all, "subscription { news }", NULL);
    listen_on(&red, "subscription { news(channel: \"red\") }", NULL);
    assert_int_equal(gql_pubsub_subscriber_count(ps, "news"), 2);
    assert_int_equal(publish("news", "{\"news\":\"one\",\"channel\":\"red\"}"), 2);
    assert_int_equal(publish("news", "{\"news\":\"two\",\"channel\":\"blue\"}"), 2);
    assert_string_equal(all.got, "{\"data\":{\"news\":\"one\"}}\n{\"data\":{\"news\":\"two\"}}\n");
    assert_string_equal(red.got, "{\"data\":{\"news\":\"one\"}}\n");
    stop(&red);
    assert_int_equal(gql_pubsub_subscriber_count(ps, "news"), 1);
    stop(&all);
    assert_int_equal(gql_pubsub_subscriber_count(ps, "news"), 0);
    assert_int_equal(publish("news", "{\"news\":\"three\"}"), 0);
}

static void test_publish_json_and_errors(void **state)
{
    (void)state;
    listener l;
    listen_on(&l, "subscription { other(topic: \"n\") }", NULL);
    gql_json_doc *doc = NULL;
    assert_int_equal(gql_json_parse(&doc, "{\"other\":12345678901234567}", 27, NULL), GQL_OK);
    size_t n = 0;
    assert_int_equal(gql_pubsub_publish_json(ps, "n", gql_json_doc_root(doc), &n), GQL_OK);
    gql_json_doc_free(doc);
    assert_int_equal(n, 1);
    assert_int_equal(gql_pubsub_publish_error(ps, "n", "source failed", &n), GQL_OK);
    assert_int_equal(n, 1);
    assert_string_equal(l.got,
                        "{\"errors\":[{\"message\":\"Int cannot represent non 32-bit "
                        "signed integer value: 12345678901234568\",\"locations\":[{\"line\":"
                        "1,\"column\":16}],\"path\":[\"other\"]}],\"data\":{\"other\":null}}\n"
                        "{\"errors\":[{\"message\":\"source failed\"}]}\n");
    stop(&l);
}

static void test_one_post_per_target_in_order(void **state)
{
    (void)state;
    fake_loop a, b;
    loop_init(&a);
    loop_init(&b);
    listener la[3], lb[2];
    for (int i = 0; i < 3; i++)
        listen_on(&la[i], "subscription { other(topic: \"t\") }", &a);
    for (int i = 0; i < 2; i++)
        listen_on(&lb[i], "subscription { other(topic: \"t\") }", &b);
    assert_int_equal(publish("t", "{\"other\":1}"), 5);
    assert_int_equal(publish("t", "{\"other\":2}"), 5);
    assert_int_equal(a.posts, 2);
    assert_int_equal(b.posts, 2);
    assert_int_equal(la[0].events, 0); /* nothing before the loop runs */
    loop_run(&a);
    loop_run(&b);
    for (int i = 0; i < 3; i++)
        assert_string_equal(la[i].got, "{\"data\":{\"other\":1}}\n{\"data\":{\"other\":2}}\n");
    for (int i = 0; i < 2; i++)
        assert_string_equal(lb[i].got, "{\"data\":{\"other\":1}}\n{\"data\":{\"other\":2}}\n");
    /* A subscriber that ends before its loop runs the delivery misses it. */
    publish("t", "{\"other\":3}");
    stop(&la[1]);
    loop_run(&a);
    assert_int_equal(la[0].events, 3);
    assert_int_equal(la[1].events, 2);
    for (int i = 0; i < 3; i++)
        stop(&la[i]);
    for (int i = 0; i < 2; i++)
        stop(&lb[i]);
    /* The group was kept alive by the pending delivery on b. */
    loop_fini(&a);
    loop_fini(&b);
    assert_int_equal(gql_pubsub_subscriber_count(ps, "t"), 0);
}

static void test_ending_during_delivery(void **state)
{
    (void)state;
    fake_loop a;
    loop_init(&a);
    listener l[4];
    for (int i = 0; i < 4; i++)
        listen_on(&l[i], "subscription { other(topic: \"d\") }", &a);
    /* The first ends itself and the third when it hears the event. */
    l[0].free_on_event = &l[0];
    publish("d", "{\"other\":1}");
    loop_run(&a);
    assert_null(l[0].sub);
    l[1].free_on_event = &l[2];
    publish("d", "{\"other\":2}");
    loop_run(&a);
    assert_int_equal(l[0].events, 1);
    assert_int_equal(l[1].events, 2);
    assert_int_equal(l[2].events, 1); /* ended before its turn */
    assert_int_equal(l[3].events, 2);
    assert_int_equal(gql_pubsub_subscriber_count(ps, "d"), 2);
    /* New subscribers during a delivery wait for the next publish. */
    stop(&l[1]);
    stop(&l[3]);
    loop_fini(&a);
}

static void test_stopped_loop_drops_events(void **state)
{
    (void)state;
    fake_loop a;
    loop_init(&a);
    listener l;
    listen_on(&l, "subscription { other(topic: \"s\") }", &a);
    a.refuse = 1;
    assert_int_equal(publish("s", "{\"other\":1}"), 1);
    assert_int_equal(a.posts, 0);
    stop(&l);
    loop_fini(&a);
}

typedef struct publisher {
    int index;
    int count;
} publisher;

static void *publish_many(void *arg)
{
    publisher *p = arg;
    char text[64];
    for (int i = 0; i < p->count; i++) {
        int len = snprintf(text, sizeof text, "{\"other\":%d}", p->index * 100000 + i);
        if (gql_pubsub_publish(ps, "m", text, (size_t)len, NULL) != GQL_OK)
            abort();
    }
    return NULL;
}

/* Events of each publisher arrive in its order, whatever the interleaving. */
static void check_order(const char *got, int publishers, int count)
{
    int next[8] = {0};
    for (const char *p = got; (p = strstr(p, "\"other\":")) != NULL;) {
        int v = atoi(p + 8);
        int who = v / 100000, seq = v % 100000;
        assert_true(who < publishers);
        assert_int_equal(seq, next[who]);
        next[who]++;
        p += 8;
    }
    for (int i = 0; i < publishers; i++)
        assert_int_equal(next[i], count);
}

static void test_many_publishing_threads(void **state)
{
    (void)state;
    enum { THREADS = 4, EACH = 50 };
    fake_loop a;
    loop_init(&a);
    listener l[2];
    listen_on(&l[0], "subscription { other(topic: \"m\") }", &a);
    listen_on(&l[1], "subscription { other(topic: \"m\") }", &a);
    pthread_t th[THREADS];
    publisher pub[THREADS];
    for (int i = 0; i < THREADS; i++) {
        pub[i] = (publisher){i, EACH};
        assert_int_equal(pthread_create(&th[i], NULL, publish_many, &pub[i]), 0);
    }
    for (int i = 0; i < THREADS; i++)
        pthread_join(th[i], NULL);
    assert_int_equal(a.posts, THREADS * EACH);
    loop_run(&a);
    assert_int_equal(l[0].events, THREADS * EACH);
    assert_string_equal(l[0].got, l[1].got); /* the same order for both */
    check_order(l[0].got, THREADS, EACH);
    stop(&l[0]);
    stop(&l[1]);
    loop_fini(&a);
}

static void test_many_topics(void **state)
{
    (void)state;
    enum { N = 100 };
    listener *l = calloc(N, sizeof *l);
    assert_non_null(l);
    for (int i = 0; i < N; i++) {
        char q[64];
        snprintf(q, sizeof q, "subscription { other(topic: \"topic%d\") }", i);
        listen_on(&l[i], q, NULL);
    }
    for (int i = 0; i < N; i++) {
        char t[16];
        snprintf(t, sizeof t, "topic%d", i);
        assert_int_equal(publish(t, "{\"other\":5}"), 1);
        assert_int_equal(l[i].events, 1);
    }
    for (int i = 0; i < N; i++)
        stop(&l[i]);
    free(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_publish_without_subscribers),
        cmocka_unit_test(test_synchronous_delivery_and_filters),
        cmocka_unit_test(test_publish_json_and_errors),
        cmocka_unit_test(test_one_post_per_target_in_order),
        cmocka_unit_test(test_ending_during_delivery),
        cmocka_unit_test(test_stopped_loop_drops_events),
        cmocka_unit_test(test_many_publishing_threads),
        cmocka_unit_test(test_many_topics),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
