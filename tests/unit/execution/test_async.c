/* tests/unit/execution/test_async.c — values that come later (async.h):
 * pending values delivered on the request's thread, early, or from other
 * threads (blocking execution, and the event-loop form with wake and
 * poll); pending list items; null propagation from pending non-null
 * fields; holes whose position was nulled; rejections; nested pending
 * values; mutations run serially and queries concurrently; thread-pool
 * work; data loader batching.
 *
 * Expected responses are graphql-js 17's for the same schema with promises
 * settling in the same order. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "execution/exec_test.h"
#include "gql/gql.h"


/* ---- helpers ---------------------------------------------------------------- */

/* Blocking execution: the exact response text. */
static void expect(const gql_schema *s, const char *query, const gql_exec_opts *opts,
                   const char *want)
{
    gql_request req = request(query, NULL);
    gql_response *r = NULL;
    assert_int_equal(gql_execute(s, &req, opts, &r), GQL_OK);
    assert_string_equal(gql_response_json(r, NULL), want);
    gql_response_free(r);
}

/* What the done callback saw. */
typedef struct done_rec {
    int calls;
    int status;
    char *json;
} done_rec;

static void on_done(gql_response *resp, void *arg)
{
    done_rec *d = arg;
    d->calls++;
    d->status = gql_response_status(resp);
    free(d->json);
    d->json = strdup(gql_response_json(resp, NULL));
    gql_response_free(resp);
}

static void done_reset(done_rec *d)
{
    free(d->json);
    memset(d, 0, sizeof *d);
}

static gql_execution *start(const gql_schema *s, const char *query, done_rec *d)
{
    gql_request req = request(query, NULL);
    gql_execution *x = NULL;
    assert_int_equal(gql_execute_async(s, &req, NULL, on_done, NULL, d, &x), GQL_OK);
    assert_non_null(x);
    return x;
}

static void expect_done(done_rec *d, const char *want)
{
    assert_int_equal(d->calls, 1);
    assert_non_null(d->json);
    assert_string_equal(d->json, want);
}

/* Resolver calls in order, and the tokens they made. */
static char calls[2048];
static gql_pending *tok[256];
static size_t ntok;

static void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void note(const char *fmt, ...)
{
    size_t n = strlen(calls);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(calls + n, sizeof calls - n, fmt, ap);
    va_end(ap);
}

static void reset(void)
{
    calls[0] = '\0';
    ntok = 0;
}

static gql_value pend(gql_info *info, gql_value parent)
{
    (void)parent;
    note("%s|", gql_info_field_name(info));
    gql_pending *t = NULL;
    gql_value v = gql_pending_new(info, &t);
    assert_non_null(t);
    assert_int_equal(v.kind, GQL_VALUE_PENDING);
    tok[ntok++] = t;
    return v;
}

static gql_value constant(gql_info *info, gql_value parent)
{
    (void)parent;
    note("%s|", gql_info_field_name(info));
    return gql_cstr(gql_info_data(info));
}

static int node_value = 5;

static gql_value resolve_x(gql_info *info, gql_value parent)
{
    (void)info;
    return gql_int(*(const int *)parent.u.ptr);
}

/* Delivering from other threads. */
typedef struct later_job {
    gql_pending *token;
    gql_value value;
    const char *reject;
    unsigned delay_us;
    atomic_int delivering; /* set just before the value is delivered */
} later_job;

static pthread_t threads[256];
static later_job jobs[256];
static size_t nthreads;

static void *later_thread(void *arg)
{
    later_job *j = arg;
    if (j->delay_us)
        usleep(j->delay_us);
    atomic_store(&j->delivering, 1);
    if (j->reject)
        gql_pending_reject(j->token, j->reject);
    else
        gql_pending_resolve(j->token, j->value);
    return NULL;
}

static void spawn(gql_pending *t, gql_value v, const char *reject, unsigned delay_us)
{
    later_job *j = &jobs[nthreads];
    j->token = t;
    j->value = v;
    j->reject = reject;
    j->delay_us = delay_us;
    atomic_store(&j->delivering, 0);
    assert_int_equal(pthread_create(&threads[nthreads], NULL, later_thread, j), 0);
    nthreads++;
}

static void join_all(void)
{
    for (size_t i = 0; i < nthreads; i++)
        pthread_join(threads[i], NULL);
    nthreads = 0;
}

/* ---- same thread ---------------------------------------------------------------- */

static gql_schema *basic_schema(void)
{
    gql_schema_builder *b = builder("type Obj { x: Int y: String } "
                                    "type Query { a: String b: String obj: Obj c: String }");
    bind(b, "Query.a", pend, NULL);
    bind(b, "Query.b", constant, DATA("bee"));
    bind(b, "Query.obj", pend, NULL);
    bind(b, "Query.c", pend, NULL);
    bind(b, "Obj.x", resolve_x, NULL);
    bind(b, "Obj.y", pend, NULL);
    return finish(b);
}

static void test_resolved_later_same_thread(void **state)
{
    (void)state;
    gql_schema *s = basic_schema();
    done_rec d = {0};
    reset();
    start(s, "{ a b obj { x } }", &d);
    assert_int_equal(d.calls, 0);
    assert_int_equal(ntok, 2);
    assert_string_equal(calls, "a|b|obj|");
    gql_pending_resolve(tok[1], gql_object(&node_value, NULL));
    assert_int_equal(d.calls, 0);
    gql_pending_resolve(tok[0], gql_cstr("later"));
    expect_done(&d, "{\"data\":{\"a\":\"later\",\"b\":\"bee\",\"obj\":{\"x\":5}}}");
    assert_int_equal(d.status, GQL_OK);
    done_reset(&d);

    /* Arguments: a call that fails never calls done. */
    gql_request req = request("{ b }", NULL);
    gql_execution *x = (gql_execution *)(uintptr_t)1;
    assert_int_equal(gql_execute_async(s, &req, NULL, NULL, NULL, &d, &x), GQL_EINVAL);
    assert_null(x);
    assert_int_equal(gql_execute_async(NULL, &req, NULL, on_done, NULL, &d, NULL), GQL_EINVAL);
    req.query = NULL;
    assert_int_equal(gql_execute_async(s, &req, NULL, on_done, NULL, &d, NULL), GQL_EINVAL);
    assert_int_equal(d.calls, 0);
    gql_execution_poll(NULL);
    /* A request error completes at once; out may be NULL. */
    req = request("{ nope }", NULL);
    assert_int_equal(gql_execute_async(s, &req, NULL, on_done, NULL, &d, NULL), GQL_OK);
    expect_done(&d, "{\"errors\":[{\"message\":\"Cannot query field \\\"nope\\\" on type "
                    "\\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":3}]}]}");
    assert_int_equal(d.status, GQL_EVALIDATION);
    done_reset(&d);
    gql_schema_free(s);
}

/* A resolver delivering another field's pending value while the engine
 * runs: it is taken once the engine gets to it. */
static gql_value deliver_other(gql_info *info, gql_value parent)
{
    (void)parent;
    note("%s|", gql_info_field_name(info));
    gql_pending_resolve(tok[0], gql_cstr("from b"));
    return gql_cstr("bee");
}

static void test_resolved_by_another_resolver(void **state)
{
    (void)state;
    gql_schema_builder *b = builder("type Query { a: String b: String }");
    bind(b, "Query.a", pend, NULL);
    bind(b, "Query.b", deliver_other, NULL);
    gql_schema *s = finish(b);
    reset();
    expect(s, "{ a b }", NULL, "{\"data\":{\"a\":\"from b\",\"b\":\"bee\"}}");
    done_rec d = {0};
    reset();
    start(s, "{ a b }", &d);
    expect_done(&d, "{\"data\":{\"a\":\"from b\",\"b\":\"bee\"}}");
    done_reset(&d);
    gql_schema_free(s);
}

/* Resolved before the resolver returns: taken at once. */
static gql_value early(gql_info *info, gql_value parent)
{
    (void)parent;
    gql_pending *t = NULL;
    gql_value v = gql_pending_new(info, &t);
    if (strcmp(gql_info_field_name(info), "bad") == 0)
        gql_pending_reject(t, "early no");
    else
        gql_pending_resolve(t, gql_cstr("early"));
    return v;
}

static void test_resolved_early(void **state)
{
    (void)state;
    gql_schema_builder *b = builder("type Query { a: String bad: String n: String! }");
    bind(b, "Query", early, NULL);
    gql_schema *s = finish(b);
    const char *want = "{\"errors\":[{\"message\":\"early no\",\"locations\":[{\"line\":1,"
                       "\"column\":5}],\"path\":[\"bad\"]}],\"data\":{\"a\":\"early\",\"bad\":null,"
                       "\"n\":\"early\"}}";
    expect(s, "{ a bad n }", NULL, want);
    done_rec d = {0};
    start(s, "{ a bad n }", &d);
    expect_done(&d, want); /* done ran before gql_execute_async returned */
    done_reset(&d);
    gql_schema_free(s);
}

static void test_reject(void **state)
{
    (void)state;
    gql_schema *s = basic_schema();
    done_rec d = {0};
    reset();
    start(s, "{ b a c }", &d);
    gql_pending_reject(tok[0], "boom");
    gql_pending_reject(tok[1], NULL);
    expect_done(&d, "{\"errors\":[{\"message\":\"boom\",\"locations\":[{\"line\":1,\"column\":5}],"
                    "\"path\":[\"a\"]},{\"message\":\"Error\",\"locations\":[{\"line\":1,"
                    "\"column\":7}],\"path\":[\"c\"]}],\"data\":{\"b\":\"bee\",\"a\":null,"
                    "\"c\":null}}");
    done_reset(&d);
    gql_schema_free(s);
}

/* ---- other threads ------------------------------------------------------------- */

static unsigned thread_delay_us;

static gql_value pend_thread(gql_info *info, gql_value parent)
{
    (void)parent;
    gql_pending *t = NULL;
    gql_value v = gql_pending_new(info, &t);
    const char *f = gql_info_field_name(info);
    if (strcmp(f, "obj") == 0)
        spawn(t, gql_object(&node_value, NULL), NULL, thread_delay_us);
    else if (strcmp(f, "bad") == 0)
        spawn(t, gql_null(), "thread no", thread_delay_us);
    else
        spawn(t, gql_cstr(f), NULL, thread_delay_us);
    return v;
}

static gql_schema *thread_schema(void)
{
    gql_schema_builder *b = builder("type Obj { x: Int y: String } "
                                    "type Query { a: String b: String obj: Obj bad: String }");
    bind(b, "Query", pend_thread, NULL);
    bind(b, "Obj.x", resolve_x, NULL);
    bind(b, "Obj.y", pend_thread, NULL);
    return finish(b);
}

static const char thread_query[] = "{ a obj { x y } bad b }";
static const char thread_want[] =
    "{\"errors\":[{\"message\":\"thread no\",\"locations\":[{\"line\":1,\"column\":17}],"
    "\"path\":[\"bad\"]}],\"data\":{\"a\":\"a\",\"obj\":{\"x\":5,\"y\":\"y\"},\"bad\":null,"
    "\"b\":\"b\"}}";

static void test_other_thread_blocking(void **state)
{
    (void)state;
    gql_schema *s = thread_schema();
    /* Without delay the threads race the engine (early deliveries). */
    for (int i = 0; i < 60; i++) {
        thread_delay_us = i % 3 == 0 ? 0 : i % 3 == 1 ? 100 : 2000;
        expect(s, thread_query, NULL, thread_want);
        join_all();
    }
    gql_schema_free(s);
}

/* An event loop of the test's own: wake records, the loop polls. */
typedef struct loop {
    done_rec d;
    pthread_mutex_t m;
    pthread_cond_t c;
    int wakes;
    int total_wakes;
    gql_execution *x;
    gql_execution *woken; /* what wake was given */
} loop;

static void on_wake(gql_execution *x, void *arg)
{
    loop *l = (loop *)arg;
    pthread_mutex_lock(&l->m);
    l->woken = x;
    l->wakes++;
    l->total_wakes++;
    pthread_cond_signal(&l->c);
    pthread_mutex_unlock(&l->m);
}

static void on_loop_done(gql_response *resp, void *arg)
{
    on_done(resp, &((loop *)arg)->d);
}

static void loop_init(loop *l)
{
    memset(l, 0, sizeof *l);
    pthread_mutex_init(&l->m, NULL);
    pthread_cond_init(&l->c, NULL);
}

/* Polls once per wake until done, then joins the threads and polls the
 * wakes that are left. */
static void loop_run(loop *l)
{
    while (l->d.calls == 0) {
        pthread_mutex_lock(&l->m);
        while (l->wakes == 0)
            pthread_cond_wait(&l->c, &l->m);
        l->wakes--;
        pthread_mutex_unlock(&l->m);
        gql_execution_poll(l->x);
    }
    join_all();
    pthread_mutex_lock(&l->m);
    int left = l->wakes;
    l->wakes = 0;
    pthread_mutex_unlock(&l->m);
    while (left-- > 0)
        gql_execution_poll(l->x);
    assert_true(l->woken == NULL || l->woken == l->x);
}

static void loop_free(loop *l)
{
    done_reset(&l->d);
    pthread_mutex_destroy(&l->m);
    pthread_cond_destroy(&l->c);
}

static void run_async(const gql_schema *s, const char *query, const gql_exec_opts *opts, loop *l)
{
    gql_request req = request(query, NULL);
    assert_int_equal(gql_execute_async(s, &req, opts, on_loop_done, on_wake, l, &l->x), GQL_OK);
    loop_run(l);
}

static void test_other_thread_wake_poll(void **state)
{
    (void)state;
    gql_schema *s = thread_schema();
    for (int i = 0; i < 60; i++) {
        thread_delay_us = i % 3 == 0 ? 0 : i % 3 == 1 ? 100 : 2000;
        loop l;
        loop_init(&l);
        run_async(s, thread_query, NULL, &l);
        expect_done(&l.d, thread_want);
        /* One wake per value delivered from another thread, at most. */
        assert_true(l.total_wakes <= 5);
        if (thread_delay_us == 2000)
            assert_true(l.total_wakes >= 1);
        loop_free(&l);
    }
    gql_schema_free(s);
}

/* ---- lists -------------------------------------------------------------------- */

static gql_value pending_list(gql_info *info, gql_value parent)
{
    (void)parent;
    gql_value *items = gql_alloc_values(info, 4);
    items[0] = pend(info, parent);
    items[1] = gql_cstr("now");
    items[2] = pend(info, parent);
    items[3] = pend(info, parent);
    return gql_list(items, 4);
}

static void test_pending_list_items(void **state)
{
    (void)state;
    gql_schema_builder *b = builder("type Query { list: [String] strict: [String!]! other: Int }");
    bind(b, "Query.list", pending_list, NULL);
    bind(b, "Query.strict", pending_list, NULL);
    gql_schema *s = finish(b);
    done_rec d = {0};
    reset();
    start(s, "{ list }", &d);
    assert_int_equal(ntok, 3);
    gql_pending_resolve(tok[2], gql_cstr("third"));
    gql_pending_resolve(tok[0], gql_cstr("zeroth"));
    assert_int_equal(d.calls, 0);
    gql_pending_resolve(tok[1], gql_null());
    expect_done(&d, "{\"data\":{\"list\":[\"zeroth\",\"now\",null,\"third\"]}}");
    done_reset(&d);

    /* A non-null item completing to null: the list's nearest nullable
     * ancestor (here the data) is null; later items change nothing. */
    reset();
    start(s, "{ other strict }", &d);
    gql_pending_resolve(tok[0], gql_cstr("zeroth"));
    gql_pending_resolve(tok[1], gql_null());
    gql_pending_resolve(tok[2], gql_cstr("late"));
    expect_done(&d, "{\"errors\":[{\"message\":\"Cannot return null for non-nullable field "
                    "Query.strict.\",\"locations\":[{\"line\":1,\"column\":9}],\"path\":"
                    "[\"strict\",2]}],\"data\":null}");
    done_reset(&d);
    gql_schema_free(s);
}

/* ---- null propagation from pending values --------------------------------------------- */

static int obj_value;

static gql_value resolve_obj(gql_info *info, gql_value parent)
{
    (void)info;
    (void)parent;
    return gql_object(&obj_value, NULL);
}

static gql_schema *nonnull_schema(void)
{
    gql_schema_builder *b =
        builder("type Query { obj: Obj other: String must: String! list: [String!] o2: Obj } "
                "type Obj { a: String! b: String inner: Inner c: String! } "
                "type Inner { c: String! d: String }");
    bind(b, "Query.obj", resolve_obj, NULL);
    bind(b, "Query.o2", resolve_obj, NULL);
    bind(b, "Query.other", constant, DATA("x"));
    bind(b, "Query.must", pend, NULL);
    bind(b, "Query.list", pending_list, NULL);
    bind(b, "Obj.a", pend, NULL);
    bind(b, "Obj.b", pend, NULL);
    bind(b, "Obj.c", pend, NULL);
    bind(b, "Obj.inner", resolve_obj, NULL);
    bind(b, "Inner.c", pend, NULL);
    bind(b, "Inner.d", pend, NULL);
    return finish(b);
}

/* Settles the tokens in the order given: a token index and a value
 * ("" null, "!msg" a rejection). */
typedef struct settle {
    size_t token;
    const char *value;
} settle;

static void settle_all(const settle *steps, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *v = steps[i].value;
        assert_true(steps[i].token < ntok);
        if (v[0] == '!')
            gql_pending_reject(tok[steps[i].token], v + 1);
        else
            gql_pending_resolve(tok[steps[i].token], v[0] ? gql_cstr(v) : gql_null());
    }
}

static void test_pending_nonnull_null(void **state)
{
    (void)state;
    gql_schema *s = nonnull_schema();
    static const struct {
        const char *query;
        const char *calls;
        settle steps[4];
        size_t n;
        const char *want;
    } cases[] = {
        {"{ obj { a b } other }",
         "a|b|other|",
         {{0, ""}, {1, "b"}},
         2,
         "{\"errors\":[{\"message\":\"Cannot return null for non-nullable field Obj.a.\","
         "\"locations\":[{\"line\":1,\"column\":9}],\"path\":[\"obj\",\"a\"]}],"
         "\"data\":{\"obj\":null,\"other\":\"x\"}}"},
        /* After obj is null, c's rejection is dropped (graphql-js 17). */
        {"{ obj { b a c } other }",
         "b|a|c|other|",
         {{1, ""}, {0, "b"}, {2, "!c failed"}},
         3,
         "{\"errors\":[{\"message\":\"Cannot return null for non-nullable field Obj.a.\","
         "\"locations\":[{\"line\":1,\"column\":11}],\"path\":[\"obj\",\"a\"]}],"
         "\"data\":{\"obj\":null,\"other\":\"x\"}}"},
        {"{ obj { inner { d c } b } }",
         "d|c|b|",
         {{0, "d"}, {1, ""}, {2, "b"}},
         3,
         "{\"errors\":[{\"message\":\"Cannot return null for non-nullable field Inner.c.\","
         "\"locations\":[{\"line\":1,\"column\":19}],\"path\":[\"obj\",\"inner\",\"c\"]}],"
         "\"data\":{\"obj\":{\"inner\":null,\"b\":\"b\"}}}"},
        {"{ other must }",
         "other|must|",
         {{0, ""}},
         1,
         "{\"errors\":[{\"message\":\"Cannot return null for non-nullable field Query.must.\","
         "\"locations\":[{\"line\":1,\"column\":9}],\"path\":[\"must\"]}],\"data\":null}"},
        {"{ list }",
         "list|list|list|",
         {{1, ""}, {2, "c"}, {0, "a"}},
         3,
         "{\"errors\":[{\"message\":\"Cannot return null for non-nullable field Query.list.\","
         "\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"list\",2]}],"
         "\"data\":{\"list\":null}}"},
        {"{ obj { a c b } }",
         "a|c|b|",
         {{0, "!a rejected"}, {1, "!c rejected"}, {2, "b"}},
         3,
         "{\"errors\":[{\"message\":\"a rejected\",\"locations\":[{\"line\":1,\"column\":9}],"
         "\"path\":[\"obj\",\"a\"]}],\"data\":{\"obj\":null}}"},
        {"{ obj { c a b } o2 { b } }",
         "c|a|b|b|",
         {{1, "!a rejected"}, {0, "!c rejected"}, {2, "b"}, {3, "b2"}},
         4,
         "{\"errors\":[{\"message\":\"a rejected\",\"locations\":[{\"line\":1,\"column\":11}],"
         "\"path\":[\"obj\",\"a\"]}],\"data\":{\"obj\":null,\"o2\":{\"b\":\"b2\"}}}"},
        /* Siblings keep their values; the second object is intact. */
        {"{ o2 { b } obj { b inner { c d } } }",
         "b|b|c|d|",
         {{2, ""}, {0, "o2b"}, {3, "d"}, {1, "objb"}},
         4,
         "{\"errors\":[{\"message\":\"Cannot return null for non-nullable field Inner.c.\","
         "\"locations\":[{\"line\":1,\"column\":28}],\"path\":[\"obj\",\"inner\",\"c\"]}],"
         "\"data\":{\"o2\":{\"b\":\"o2b\"},\"obj\":{\"b\":\"objb\",\"inner\":null}}}"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        done_rec d = {0};
        reset();
        start(s, cases[i].query, &d);
        assert_string_equal(calls, cases[i].calls);
        settle_all(cases[i].steps, cases[i].n);
        expect_done(&d, cases[i].want);
        done_reset(&d);
    }
    gql_schema_free(s);
}

/* ---- holes whose position was nulled ---------------------------------------------- */

static gql_value fail_now(gql_info *info, gql_value parent)
{
    (void)parent;
    return gql_error(info, "fail");
}

static gql_value dead_list(gql_info *info, gql_value parent)
{
    gql_value *items = gql_alloc_values(info, 3);
    if (strcmp(gql_info_field_name(info), "before") == 0) {
        items[0] = gql_null();
        items[1] = pend(info, parent);
        items[2] = pend(info, parent);
    } else {
        items[0] = pend(info, parent);
        items[1] = gql_null();
        items[2] = gql_cstr("x");
    }
    return gql_list(items, 3);
}

static void test_dead_holes(void **state)
{
    (void)state;
    gql_schema_builder *b = builder("type Obj { slow: String fail: String! } "
                                    "type Query { obj: Obj list: [String!] before: [String!] }");
    bind(b, "Query.obj", resolve_obj, NULL);
    bind(b, "Query.list", dead_list, NULL);
    bind(b, "Query.before", dead_list, NULL);
    bind(b, "Obj.slow", pend, NULL);
    bind(b, "Obj.fail", fail_now, NULL);
    gql_schema *s = finish(b);
    const char *want =
        "{\"errors\":[{\"message\":\"fail\",\"locations\":[{\"line\":1,\"column\":14}],"
        "\"path\":[\"obj\",\"fail\"]}],\"data\":{\"obj\":null}}";
    /* Blocking: the response does not wait for the dead hole. */
    reset();
    expect(s, "{ obj { slow fail } }", NULL, want);
    assert_int_equal(ntok, 1);
    gql_pending_resolve(tok[0], gql_cstr("too late")); /* after the response */

    /* The same from another thread, after the response is gone. */
    reset();
    expect(s, "{ obj { slow fail } }", NULL, want);
    spawn(tok[0], gql_cstr("too late"), NULL, 1000);
    join_all();

    /* Async: done before gql_execute_async returns. */
    done_rec d = {0};
    reset();
    start(s, "{ obj { slow fail } }", &d);
    expect_done(&d, want);
    gql_pending_reject(tok[0], "too late");
    done_reset(&d);

    /* A list nulled by a later item: its earlier pending item is dead. */
    reset();
    expect(s, "{ list }", NULL,
           "{\"errors\":[{\"message\":\"Cannot return null for non-nullable field Query.list.\","
           "\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"list\",1]}],"
           "\"data\":{\"list\":null}}");
    assert_int_equal(ntok, 1);
    gql_pending_resolve(tok[0], gql_cstr("late"));

    /* A pending item after the item that nulled the list is never seen by
     * the engine; delivering it must still release the request (ASan
     * reports a leak otherwise). */
    reset();
    expect(s, "{ before }", NULL,
           "{\"errors\":[{\"message\":\"Cannot return null for non-nullable field "
           "Query.before.\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"before\",0]}],"
           "\"data\":{\"before\":null}}");
    assert_int_equal(ntok, 2);
    gql_pending_resolve(tok[0], gql_cstr("late"));
    gql_pending_reject(tok[1], "late");
    gql_schema_free(s);
}

/* ---- nested pending values ------------------------------------------------------- */

typedef struct tree {
    int depth;
} tree;

static tree trees[4] = {{0}, {1}, {2}, {3}};
static gql_value spare;

static gql_value pend_with_spare(gql_info *info, gql_value parent)
{
    gql_value v = pend(info, parent);
    spare = pend(info, parent); /* resolves the first one later */
    return v;
}

static gql_value tree_field(gql_info *info, gql_value parent)
{
    const tree *t = parent.u.ptr;
    if (strcmp(gql_info_field_name(info), "depth") == 0)
        return gql_int(t->depth);
    return pend(info, parent); /* child: pending */
}

static void test_nested_pending(void **state)
{
    (void)state;
    gql_schema_builder *b = builder("type Tree { depth: Int child: Tree } "
                                    "type Query { tree: Tree twice: String }");
    bind(b, "Query.tree", pend, NULL);
    bind(b, "Query.twice", pend_with_spare, NULL);
    bind(b, "Tree", tree_field, NULL);
    gql_schema *s = finish(b);
    done_rec d = {0};
    reset();
    start(s, "{ tree { depth child { depth child { depth child { depth } } } } twice }", &d);
    assert_int_equal(ntok, 3); /* tree, twice and the spare */
    /* A pending value delivered as a pending value's value. */
    gql_pending_resolve(tok[1], spare);
    gql_pending_resolve(tok[0], gql_object(&trees[0], NULL));
    assert_int_equal(ntok, 4);
    gql_pending_resolve(tok[3], gql_object(&trees[1], NULL));
    gql_pending_resolve(tok[4], gql_object(&trees[2], NULL));
    assert_int_equal(d.calls, 0);
    gql_pending_resolve(tok[2], gql_cstr("second"));
    assert_int_equal(d.calls, 0);
    gql_pending_resolve(tok[5], gql_null());
    expect_done(&d, "{\"data\":{\"tree\":{\"depth\":0,\"child\":{\"depth\":1,\"child\":"
                    "{\"depth\":2,\"child\":null}}},\"twice\":\"second\"}}");
    done_reset(&d);
    gql_schema_free(s);
}

/* ---- mutations serial, queries concurrent ------------------------------------------ */

static gql_value mutation_field(gql_info *info, gql_value parent)
{
    assert_int_equal(gql_info_operation(info), 1);
    return pend(info, parent);
}

static void test_mutations_serial(void **state)
{
    (void)state;
    gql_schema_builder *b = builder("type Obj { x: Int y: String } "
                                    "type Query { a: Int } "
                                    "type Mutation { first: Obj second: Obj third: String "
                                    "must: String! }");
    bind(b, "Mutation.first", mutation_field, NULL);
    bind(b, "Mutation.second", mutation_field, NULL);
    bind(b, "Mutation.third", constant, DATA("3"));
    bind(b, "Mutation.must", mutation_field, NULL);
    bind(b, "Obj.x", resolve_x, NULL);
    bind(b, "Obj.y", pend, NULL);
    gql_schema *s = finish(b);
    done_rec d = {0};
    reset();
    start(s, "mutation { first { x y } second { y } third }", &d);
    assert_string_equal(calls, "first|");
    gql_pending_resolve(tok[0], gql_object(&node_value, NULL));
    /* first's subtree is not complete yet: its y is pending. */
    assert_string_equal(calls, "first|y|");
    gql_pending_resolve(tok[1], gql_cstr("y1"));
    assert_string_equal(calls, "first|y|second|");
    gql_pending_resolve(tok[2], gql_object(&node_value, NULL));
    assert_string_equal(calls, "first|y|second|y|");
    assert_int_equal(d.calls, 0);
    gql_pending_resolve(tok[3], gql_cstr("y2"));
    assert_string_equal(calls, "first|y|second|y|third|");
    expect_done(&d, "{\"data\":{\"first\":{\"x\":5,\"y\":\"y1\"},\"second\":{\"y\":\"y2\"},"
                    "\"third\":\"3\"}}");
    done_reset(&d);

    /* A failing first field does not stop the next one. */
    reset();
    start(s, "mutation { first { x } third }", &d);
    assert_string_equal(calls, "first|");
    gql_pending_reject(tok[0], "no");
    assert_string_equal(calls, "first|third|");
    expect_done(&d, "{\"errors\":[{\"message\":\"no\",\"locations\":[{\"line\":1,\"column\":12}],"
                    "\"path\":[\"first\"]}],\"data\":{\"first\":null,\"third\":\"3\"}}");
    done_reset(&d);

    /* A non-null first field failing nulls the data: nothing more runs. */
    reset();
    start(s, "mutation { must third }", &d);
    gql_pending_resolve(tok[0], gql_null());
    assert_string_equal(calls, "must|");
    expect_done(&d, "{\"errors\":[{\"message\":\"Cannot return null for non-nullable field "
                    "Mutation.must.\",\"locations\":[{\"line\":1,\"column\":12}],"
                    "\"path\":[\"must\"]}],\"data\":null}");
    done_reset(&d);
    gql_schema_free(s);
}

/* Mutations with values from other threads, blocking. */
static gql_value mutation_thread(gql_info *info, gql_value parent)
{
    note("%s|", gql_info_field_name(info));
    /* The fields before this one have their values. */
    for (size_t i = 0; i < nthreads; i++)
        assert_int_equal(atomic_load(&jobs[i].delivering), 1);
    return pend_thread(info, parent);
}

static void test_mutations_serial_threads(void **state)
{
    (void)state;
    gql_schema_builder *b = builder("type Query { a: Int } "
                                    "type Mutation { a: String b: String c: String }");
    bind(b, "Mutation", mutation_thread, NULL);
    gql_schema *s = finish(b);
    for (int i = 0; i < 20; i++) {
        reset();
        thread_delay_us = i % 2 ? 500 : 0;
        expect(s, "mutation { c b a }", NULL, "{\"data\":{\"c\":\"c\",\"b\":\"b\",\"a\":\"a\"}}");
        join_all();
        assert_string_equal(calls, "c|b|a|");
    }
    gql_schema_free(s);
}

static void test_queries_concurrent(void **state)
{
    (void)state;
    gql_schema *s = basic_schema();
    done_rec d = {0};
    reset();
    start(s, "{ a c obj { y } }", &d);
    /* Every resolver ran before any value came. */
    assert_string_equal(calls, "a|c|obj|");
    gql_pending_resolve(tok[2], gql_object(&node_value, NULL));
    assert_string_equal(calls, "a|c|obj|y|");
    gql_pending_resolve(tok[1], gql_cstr("C"));
    gql_pending_resolve(tok[3], gql_cstr("Y"));
    assert_int_equal(d.calls, 0);
    gql_pending_resolve(tok[0], gql_cstr("A"));
    expect_done(&d, "{\"data\":{\"a\":\"A\",\"c\":\"C\",\"obj\":{\"y\":\"Y\"}}}");
    done_reset(&d);
    gql_schema_free(s);
}

/* ---- thread pool ---------------------------------------------------------------- */

static pthread_t main_thread;
static atomic_int off_main, on_main;

static gql_value work_fn(gql_work *work, void *arg)
{
    intptr_t n = (intptr_t)arg;
    if (pthread_equal(pthread_self(), main_thread))
        atomic_fetch_add(&on_main, 1);
    else
        atomic_fetch_add(&off_main, 1);
    if (n < 0)
        return gql_work_error(work, "work failed");
    usleep(1000);
    char buf[32];
    int len = snprintf(buf, sizeof buf, "work %d", (int)n);
    char *mem = gql_work_alloc(work, 8);
    assert_non_null(mem);
    return gql_work_string(work, buf, (size_t)len);
}

static gql_value offload_field(gql_info *info, gql_value parent)
{
    (void)parent;
    return gql_offload(info, gql_info_data(info), work_fn,
                       (void *)(intptr_t)gql_arg_int(info, "n", 0));
}

static void test_offload(void **state)
{
    (void)state;
    main_thread = pthread_self();
    gql_pool *pool = NULL;
    assert_int_equal(gql_pool_new(&pool, 2), GQL_OK);
    gql_schema_builder *b = builder("type Query { work(n: Int): String "
                                    "own(n: Int): String }");
    bind(b, "Query.work", offload_field, pool); /* this pool */
    bind(b, "Query.own", offload_field, NULL);  /* the request's, if any */
    gql_schema *s = finish(b);
    const char *q = "{ a: work(n: 1) b: work(n: 2) c: work(n: -1) d: own(n: 4) }";
    const char *want = "{\"errors\":[{\"message\":\"work failed\",\"locations\":[{\"line\":1,"
                       "\"column\":31}],\"path\":[\"c\"]}],\"data\":{\"a\":\"work 1\",\"b\":"
                       "\"work 2\",\"c\":null,\"d\":\"work 4\"}}";
    /* No request pool: own runs inline. */
    atomic_store(&off_main, 0);
    atomic_store(&on_main, 0);
    expect(s, q, NULL, want);
    assert_int_equal(atomic_load(&off_main), 3);
    assert_int_equal(atomic_load(&on_main), 1);
    /* The request's pool. */
    gql_exec_opts o;
    gql_exec_opts_init(&o);
    o.pool = pool;
    atomic_store(&off_main, 0);
    atomic_store(&on_main, 0);
    expect(s, q, &o, want);
    assert_int_equal(atomic_load(&off_main), 4);
    assert_int_equal(atomic_load(&on_main), 0);
    /* On an event loop: pool threads wake it. */
    for (int i = 0; i < 10; i++) {
        loop l;
        loop_init(&l);
        run_async(s, q, &o, &l);
        expect_done(&l.d, want);
        loop_free(&l);
    }
    gql_schema_free(s);
    gql_pool_free(pool);
    gql_pool_free(NULL);
}

/* ---- data loaders -------------------------------------------------------------- */

typedef struct post {
    int id;
    int author;
} post;

static post posts[50];
static void *post_ptrs[50];
static int authors[10] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};

typedef struct loader_log {
    int batches;
    char keys[512];
    int reject;       /* a key to reject, or -1 */
    int answer_later; /* from another thread */
} loader_log;

static loader_log log_;

static void answer_batch(gql_batch *batch)
{
    /* The batch is gone once its last key is answered. */
    size_t n = gql_batch_size(batch);
    for (size_t i = 0; i < n; i++) {
        gql_value k = gql_batch_key(batch, i);
        if (k.kind == GQL_VALUE_STRING) {
            gql_batch_resolve(batch, i, gql_string(k.u.str, k.len));
        } else if (k.u.i == log_.reject) {
            char msg[32];
            snprintf(msg, sizeof msg, "no author %d", (int)k.u.i);
            gql_batch_reject(batch, i, msg);
        } else {
            gql_batch_resolve(batch, i, gql_object(&authors[k.u.i], NULL));
        }
    }
}

static void *answer_thread(void *arg)
{
    usleep(2000);
    answer_batch(arg);
    return NULL;
}

static pthread_t batch_threads[16];
static size_t nbatch_threads;

static void batch_fn(gql_batch *batch, void *data)
{
    assert_string_equal(data, "loader-data");
    assert_string_equal(gql_batch_context(batch), "ctx");
    assert_non_null(gql_batch_alloc(batch, 16));
    log_.batches++;
    size_t n = strlen(log_.keys);
    for (size_t i = 0; i < gql_batch_size(batch); i++) {
        gql_value k = gql_batch_key(batch, i);
        if (k.kind == GQL_VALUE_INT)
            n += (size_t)snprintf(log_.keys + n, sizeof log_.keys - n, "%s%lld", i ? "," : "",
                                  (long long)k.u.i);
        else
            n += (size_t)snprintf(log_.keys + n, sizeof log_.keys - n, "%s%.*s", i ? "," : "",
                                  (int)k.len, k.u.str);
    }
    snprintf(log_.keys + n, sizeof log_.keys - n, "|");
    assert_null(gql_batch_key(batch, gql_batch_size(batch)).u.ptr);
    if (log_.answer_later) {
        assert_int_equal(
            pthread_create(&batch_threads[nbatch_threads++], NULL, answer_thread, batch), 0);
        return;
    }
    answer_batch(batch);
}

static gql_loader *the_loader;

static gql_value resolve_posts(gql_info *info, gql_value parent)
{
    (void)info;
    (void)parent;
    return gql_object_list(post_ptrs, 50, NULL);
}

static gql_value resolve_post(gql_info *info, gql_value parent)
{
    const post *p = parent.u.ptr;
    if (strcmp(gql_info_field_name(info), "id") == 0)
        return gql_int(p->id);
    return gql_load(info, the_loader, gql_int(p->author));
}

static gql_value resolve_author_name(gql_info *info, gql_value parent)
{
    char buf[32];
    int n = snprintf(buf, sizeof buf, "author %d", *(const int *)parent.u.ptr);
    return gql_string_copy(info, buf, (size_t)n);
}

static gql_value resolve_keyed(gql_info *info, gql_value parent)
{
    (void)parent;
    const char *f = gql_info_field_name(info);
    if (strcmp(f, "float") == 0)
        return gql_load(info, the_loader, gql_float(1.5));
    return gql_load(info, the_loader, gql_cstr(gql_info_field_name(info)));
}

/* The expected posts response: author null and an error for key `reject`. */
static char *posts_want(int reject)
{
    size_t cap = 16384;
    char *w = malloc(cap);
    size_t n = 0;
    if (reject >= 0) {
        n += (size_t)snprintf(w + n, cap - n, "{\"errors\":[");
        for (int i = reject; i < 50; i += 7)
            n += (size_t)snprintf(w + n, cap - n,
                                  "%s{\"message\":\"no author %d\",\"locations\":[{\"line\":1,"
                                  "\"column\":14}],\"path\":[\"posts\",%d,\"author\"]}",
                                  i > reject ? "," : "", reject, i);
        n += (size_t)snprintf(w + n, cap - n, "],");
    } else {
        n += (size_t)snprintf(w + n, cap - n, "{");
    }
    n += (size_t)snprintf(w + n, cap - n, "\"data\":{\"posts\":[");
    for (int i = 0; i < 50; i++) {
        if (i % 7 == reject)
            n += (size_t)snprintf(w + n, cap - n, "%s{\"id\":%d,\"author\":null}", i ? "," : "", i);
        else
            n += (size_t)snprintf(w + n, cap - n,
                                  "%s{\"id\":%d,\"author\":{\"name\":\"author %d\"}}", i ? "," : "",
                                  i, i % 7);
    }
    snprintf(w + n, cap - n, "]}}");
    return w;
}

static void expect_posts(const gql_schema *s, int reject)
{
    gql_request req = request("{ posts { id author { name } } }", NULL);
    req.context = DATA("ctx");
    gql_response *r = NULL;
    assert_int_equal(gql_execute(s, &req, NULL, &r), GQL_OK);
    char *want = posts_want(reject);
    assert_string_equal(gql_response_json(r, NULL), want);
    free(want);
    gql_response_free(r);
    for (size_t i = 0; i < nbatch_threads; i++)
        pthread_join(batch_threads[i], NULL);
    nbatch_threads = 0;
}

static gql_schema *posts_schema(void)
{
    for (int i = 0; i < 50; i++) {
        posts[i].id = i;
        posts[i].author = i % 7;
        post_ptrs[i] = &posts[i];
    }
    gql_schema_builder *b =
        builder("type Author { name: String } "
                "type Post { id: Int author: Author } "
                "type Query { posts: [Post] a: String b: String float: String }");
    bind(b, "Query.posts", resolve_posts, NULL);
    bind(b, "Query.a", resolve_keyed, NULL);
    bind(b, "Query.b", resolve_keyed, NULL);
    bind(b, "Query.float", resolve_keyed, NULL);
    bind(b, "Post", resolve_post, NULL);
    bind(b, "Author.name", resolve_author_name, NULL);
    return finish(b);
}

static void test_loader_batches_once(void **state)
{
    (void)state;
    gql_schema *s = posts_schema();
    assert_int_equal(gql_loader_new(&the_loader, batch_fn, DATA("loader-data"), 0), GQL_OK);
    memset(&log_, 0, sizeof log_);
    log_.reject = -1;
    expect_posts(s, -1);
    assert_int_equal(log_.batches, 1);
    assert_string_equal(log_.keys, "0,1,2,3,4,5,6|");
    /* A second request loads again: nothing is shared between requests. */
    expect_posts(s, -1);
    assert_int_equal(log_.batches, 2);
    /* String keys; a key of another kind is an error. */
    memset(&log_, 0, sizeof log_);
    log_.reject = -1;
    gql_request req = request("{ a b a2: a float }", NULL);
    req.context = DATA("ctx");
    gql_response *r = NULL;
    assert_int_equal(gql_execute(s, &req, NULL, &r), GQL_OK);
    assert_string_equal(
        gql_response_json(r, NULL),
        "{\"errors\":[{\"message\":\"A data loader key must be an integer or a "
        "string.\",\"locations\":[{\"line\":1,\"column\":13}],\"path\":"
        "[\"float\"]}],\"data\":{\"a\":\"a\",\"b\":\"b\",\"a2\":\"a\",\"float\":null}}");
    gql_response_free(r);
    assert_string_equal(log_.keys, "a,b|");
    gql_loader_free(the_loader);
    gql_loader_free(NULL);
    assert_int_equal(gql_loader_new(NULL, batch_fn, NULL, 0), GQL_EINVAL);
    assert_int_equal(gql_loader_new(&the_loader, NULL, NULL, 0), GQL_EINVAL);
    gql_schema_free(s);
}

static void test_loader_max_batch_and_reject(void **state)
{
    (void)state;
    gql_schema *s = posts_schema();
    assert_int_equal(gql_loader_new(&the_loader, batch_fn, DATA("loader-data"), 3), GQL_OK);
    memset(&log_, 0, sizeof log_);
    log_.reject = -1;
    expect_posts(s, -1);
    assert_int_equal(log_.batches, 3);
    assert_string_equal(log_.keys, "0,1,2|3,4,5|6|");
    memset(&log_, 0, sizeof log_);
    log_.reject = 3;
    expect_posts(s, 3);
    assert_int_equal(log_.batches, 3);
    gql_loader_free(the_loader);
    gql_schema_free(s);
}

static void test_loader_answered_later(void **state)
{
    (void)state;
    gql_schema *s = posts_schema();
    assert_int_equal(gql_loader_new(&the_loader, batch_fn, DATA("loader-data"), 4), GQL_OK);
    for (int i = 0; i < 5; i++) {
        memset(&log_, 0, sizeof log_);
        log_.reject = i == 0 ? 5 : -1;
        log_.answer_later = 1;
        expect_posts(s, log_.reject);
        assert_int_equal(log_.batches, 2);
        assert_string_equal(log_.keys, "0,1,2,3|4,5,6|");
    }
    /* On an event loop. */
    memset(&log_, 0, sizeof log_);
    log_.reject = -1;
    log_.answer_later = 1;
    loop l;
    loop_init(&l);
    gql_request req = request("{ posts { id author { name } } }", NULL);
    req.context = DATA("ctx");
    assert_int_equal(gql_execute_async(s, &req, NULL, on_loop_done, on_wake, &l, &l.x), GQL_OK);
    while (l.d.calls == 0) {
        pthread_mutex_lock(&l.m);
        while (l.wakes == 0)
            pthread_cond_wait(&l.c, &l.m);
        l.wakes--;
        pthread_mutex_unlock(&l.m);
        gql_execution_poll(l.x);
    }
    for (size_t i = 0; i < nbatch_threads; i++)
        pthread_join(batch_threads[i], NULL);
    nbatch_threads = 0;
    while (l.wakes > 0) {
        l.wakes--;
        gql_execution_poll(l.x);
    }
    char *want = posts_want(-1);
    expect_done(&l.d, want);
    free(want);
    loop_free(&l);
    gql_loader_free(the_loader);
    gql_schema_free(s);
}

/* A batch answered from another thread while the engine, on its own
 * thread, asks the loader for the same key again (a pending list of
 * items arriving meanwhile): every ask gets the answer. */
enum { RACE_ITEMS = 2000 };
static void *race_items[RACE_ITEMS];
static unsigned race_delay_us;

static void *race_answer(void *arg)
{
    usleep(race_delay_us);
    gql_batch_resolve(arg, 0, gql_object(&authors[1], NULL));
    return NULL;
}

static void race_batch(gql_batch *batch, void *data)
{
    (void)data;
    assert_int_equal(gql_batch_size(batch), 1);
    assert_int_equal(pthread_create(&batch_threads[nbatch_threads++], NULL, race_answer, batch), 0);
}

static gql_value race_field(gql_info *info, gql_value parent)
{
    (void)parent;
    if (strcmp(gql_info_field_name(info), "slow") == 0) {
        gql_pending *t = NULL;
        gql_value v = gql_pending_new(info, &t);
        spawn(t, gql_object_list(race_items, RACE_ITEMS, NULL), NULL, 1000);
        return v;
    }
    return gql_load(info, the_loader, gql_int(1));
}

static void test_loader_answer_races_engine(void **state)
{
    (void)state;
    for (size_t i = 0; i < RACE_ITEMS; i++)
        race_items[i] = &posts[0];
    gql_schema_builder *b = builder("type Author { name: String } type Item { author: Author } "
                                    "type Query { first: Author slow: [Item] }");
    bind(b, "Query", race_field, NULL);
    bind(b, "Item.author", race_field, NULL);
    bind(b, "Author.name", resolve_author_name, NULL);
    gql_schema *s = finish(b);
    assert_int_equal(gql_loader_new(&the_loader, race_batch, NULL, 0), GQL_OK);
    size_t cap = 64 + RACE_ITEMS * 32;
    char *want = malloc(cap);
    size_t n =
        (size_t)snprintf(want, cap, "{\"data\":{\"first\":{\"name\":\"author 1\"},\"slow\":[");
    for (size_t i = 0; i < RACE_ITEMS; i++)
        n += (size_t)snprintf(want + n, cap - n, "%s{\"author\":{\"name\":\"author 1\"}}",
                              i ? "," : "");
    snprintf(want + n, cap - n, "]}}");
    for (unsigned i = 0; i < 40; i++) {
        race_delay_us = 900 + i * 20;
        expect(s, "{ first { name } slow { author { name } } }", NULL, want);
        join_all();
        for (size_t k = 0; k < nbatch_threads; k++)
            pthread_join(batch_threads[k], NULL);
        nbatch_threads = 0;
    }
    free(want);
    gql_loader_free(the_loader);
    gql_schema_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_resolved_later_same_thread),
        cmocka_unit_test(test_resolved_early),
        cmocka_unit_test(test_resolved_by_another_resolver),
        cmocka_unit_test(test_reject),
        cmocka_unit_test(test_other_thread_blocking),
        cmocka_unit_test(test_other_thread_wake_poll),
        cmocka_unit_test(test_pending_list_items),
        cmocka_unit_test(test_pending_nonnull_null),
        cmocka_unit_test(test_dead_holes),
        cmocka_unit_test(test_nested_pending),
        cmocka_unit_test(test_mutations_serial),
        cmocka_unit_test(test_mutations_serial_threads),
        cmocka_unit_test(test_queries_concurrent),
        cmocka_unit_test(test_offload),
        cmocka_unit_test(test_loader_batches_once),
        cmocka_unit_test(test_loader_max_batch_and_reject),
        cmocka_unit_test(test_loader_answered_later),
        cmocka_unit_test(test_loader_answer_races_engine),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
