/* tests/unit/execution/test_spare.c — the memory a thread keeps between
 * executions: reused, bounded, within each request's limit, and freed
 * when the thread exits (the sanitizer build's leak check sees that). */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

#include "exec_test.h"

/* A string of n bytes from the request arena. */
static gql_value resolve_text(gql_info *info, gql_value parent)
{
    (void)parent;
    int64_t n = gql_arg_int(info, "n", 0);
    char *s = gql_alloc(info, (size_t)n + 1);
    if (s == NULL)
        return gql_error(info, "no memory");
    memset(s, 'x', (size_t)n);
    return gql_string(s, (size_t)n);
}

/* n bytes from the request arena in small pieces, as a big request's many
 * values take them: the arena grows by ordinary chunks. */
static gql_value resolve_fill(gql_info *info, gql_value parent)
{
    (void)parent;
    int64_t n = gql_arg_int(info, "n", 0);
    for (int64_t i = 0; i < n; i += 512)
        if (gql_alloc(info, 512) == NULL)
            return gql_error(info, "no memory");
    return gql_int(n);
}

/* 8,000 numbers, about 40 kB of output, that take no request memory. */
static gql_value numbers[8000];
static gql_value resolve_nums(gql_info *info, gql_value parent)
{
    (void)info;
    (void)parent;
    for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++)
        numbers[i] = gql_int(1000 + (int64_t)i);
    return gql_list(numbers, sizeof numbers / sizeof numbers[0]);
}

static gql_value resolve_fail(gql_info *info, gql_value parent)
{
    (void)parent;
    return gql_error(info, "failed");
}

static gql_schema *text_schema(void)
{
    gql_schema_builder *b =
        builder("type Query { text(n: Int!): String fill(n: Int!): Int nums: [Int] fail: String }");
    bind(b, "Query.text", resolve_text, NULL);
    bind(b, "Query.fill", resolve_fill, NULL);
    bind(b, "Query.nums", resolve_nums, NULL);
    bind(b, "Query.fail", resolve_fail, NULL);
    return finish(b);
}

static gql_response *run(gql_schema *s, const char *query, const gql_exec_opts *o)
{
    gql_request req = request(query, NULL);
    gql_response *r = NULL;
    assert_int_equal(gql_execute(s, &req, o, &r), GQL_OK);
    return r;
}

static void expect_text(gql_response *r, size_t n)
{
    assert_int_equal(gql_response_status(r), GQL_OK);
    size_t len;
    const char *json = gql_response_json(r, &len);
    assert_int_equal(len, strlen("{\"data\":{\"text\":\"\"}}") + n);
    assert_memory_equal(json, "{\"data\":{\"text\":\"", 17);
}

static void test_memory_comes_back(void **state)
{
    (void)state;
    gql_schema *s = text_schema();
    gql_response *r = run(s, "{ text(n: 100) }", NULL);
    expect_text(r, 100);
    const char *first = gql_response_json(r, NULL);
    gql_response_free(r);
    /* The next answer on this thread is written where the last one was. */
    r = run(s, "{ text(n: 100) }", NULL);
    expect_text(r, 100);
    assert_ptr_equal(gql_response_json(r, NULL), first);
    gql_response_free(r);
    gql_schema_free(s);
}

static void test_limit_holds_after_a_big_request(void **state)
{
    (void)state;
    gql_schema *s = text_schema();
    /* 400 KiB in the arena: its largest chunk is kept for the next
     * request, and is larger than the next request's whole limit. */
    gql_response *r = run(s, "{ fill(n: 409600) }", NULL);
    assert_int_equal(gql_response_status(r), GQL_OK);
    gql_response_free(r);
    gql_exec_opts o;
    gql_exec_opts_init(&o);
    o.max_memory = 64 << 10;
    r = run(s, "{ fill(n: 102400) }", &o);
    assert_int_equal(gql_response_status(r), GQL_ELIMIT);
    gql_response_free(r);
    r = run(s, "{ text(n: 10) }", &o);
    expect_text(r, 10);
    gql_response_free(r);

    /* An answer with an error leaves its 40 kB output buffer with the
     * execution; the next one's limit holds for that buffer too (written
     * in pieces that each fit its room). */
    r = run(s, "{ nums fail }", NULL);
    assert_int_equal(gql_response_status(r), GQL_OK);
    gql_response_free(r);
    o.max_memory = 30000;
    r = run(s, "{ nums }", &o);
    assert_int_equal(gql_response_status(r), GQL_ELIMIT);
    gql_response_free(r);
    gql_schema_free(s);
}

/* More answers alive at once than a thread keeps: all right, and what is
 * not kept is freed. */
static void test_many_at_once(void **state)
{
    (void)state;
    gql_schema *s = text_schema();
    enum { N = 40 };
    for (int round = 0; round < 3; round++) {
        gql_response *r[N];
        for (size_t i = 0; i < N; i++) {
            char q[64];
            snprintf(q, sizeof q, "{ text(n: %zu) }", i * 1000);
            r[i] = run(s, q, NULL);
        }
        for (size_t i = 0; i < N; i++) {
            expect_text(r[i], i * 1000);
            gql_response_free(r[i]);
        }
    }
    gql_schema_free(s);
}

static void *serve_on_thread(void *arg)
{
    gql_schema *s = arg;
    for (int i = 0; i < 5; i++) {
        gql_response *r = run(s, "{ text(n: 3000) }", NULL);
        expect_text(r, 3000);
        gql_response_free(r);
    }
    return NULL;
}

static void test_thread_exit_frees_its_spares(void **state)
{
    (void)state;
    gql_schema *s = text_schema();
    for (int i = 0; i < 4; i++) {
        pthread_t t;
        assert_int_equal(pthread_create(&t, NULL, serve_on_thread, s), 0);
        assert_int_equal(pthread_join(t, NULL), 0);
    }
    gql_schema_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_memory_comes_back),
        cmocka_unit_test(test_limit_holds_after_a_big_request),
        cmocka_unit_test(test_many_at_once),
        cmocka_unit_test(test_thread_exit_frees_its_spares),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
