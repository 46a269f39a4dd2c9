/* tests/unit/server/test_metrics.c — per-worker counters and their
 * Prometheus text (metrics.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/buf.h"
#include "server/metrics.h"

static void assert_has_line(const char *text, const char *line)
{
    size_t n = strlen(line);
    for (const char *p = text; (p = strstr(p, line)) != NULL; p++)
        if ((p == text || p[-1] == '\n') && p[n] == '\n')
            return;
    fail_msg("missing line \"%s\" in:\n%s", line, text);
}

static void test_empty(void **state)
{
    (void)state;
    gqlx_metrics m;
    gqlx_metrics_init(&m);
    const gqlx_metrics *workers[] = {&m};
    gqlx_buf out;
    gqlx_buf_init(&out, 0);
    gqlx_metrics_render(workers, 1, NULL, &out);
    assert_false(out.failed);
    assert_string_equal(
        out.data,
        "# HELP gqld_http_requests_total HTTP requests answered, by status code.\n"
        "# TYPE gqld_http_requests_total counter\n"
        "# HELP gqld_http_request_duration_seconds Time from a request's first byte to its "
        "response, in seconds.\n"
        "# TYPE gqld_http_request_duration_seconds histogram\n"
        "gqld_http_request_duration_seconds_bucket{le=\"0.0005\"} 0\n"
        "gqld_http_request_duration_seconds_bucket{le=\"0.001\"} 0\n"
        "gqld_http_request_duration_seconds_bucket{le=\"0.0025\"} 0\n"
        "gqld_http_request_duration_seconds_bucket{le=\"0.005\"} 0\n"
        "gqld_http_request_duration_seconds_bucket{le=\"0.01\"} 0\n"
        "gqld_http_request_duration_seconds_bucket{le=\"0.025\"} 0\n"
        "gqld_http_request_duration_seconds_bucket{le=\"0.05\"} 0\n"
        "gqld_http_request_duration_seconds_bucket{le=\"0.1\"} 0\n"
        "gqld_http_request_duration_seconds_bucket{le=\"0.25\"} 0\n"
        "gqld_http_request_duration_seconds_bucket{le=\"0.5\"} 0\n"
        "gqld_http_request_duration_seconds_bucket{le=\"1\"} 0\n"
        "gqld_http_request_duration_seconds_bucket{le=\"2.5\"} 0\n"
        "gqld_http_request_duration_seconds_bucket{le=\"+Inf\"} 0\n"
        "gqld_http_request_duration_seconds_sum 0.000000\n"
        "gqld_http_request_duration_seconds_count 0\n"
        "# HELP gqld_http_requests_in_flight HTTP requests received and not yet answered.\n"
        "# TYPE gqld_http_requests_in_flight gauge\n"
        "gqld_http_requests_in_flight 0\n"
        "# HELP gqld_http_open_connections Open client connections.\n"
        "# TYPE gqld_http_open_connections gauge\n"
        "gqld_http_open_connections 0\n");
    gqlx_buf_free(&out);
}

static void test_counts(void **state)
{
    (void)state;
    gqlx_metrics a, b;
    gqlx_metrics_init(&a);
    gqlx_metrics_init(&b);
    const gqlx_metrics *workers[] = {&a, &b};

    for (int i = 0; i < 5; i++)
        gqlx_metrics_request_start(&a);
    gqlx_metrics_request_end(&a, 200, 400);     /* 0.0005 */
    gqlx_metrics_request_end(&a, 200, 500);     /* 0.0005: bounds are inclusive */
    gqlx_metrics_request_end(&a, 404, 501);     /* 0.001 */
    gqlx_metrics_request_end(&a, 200, 3000000); /* +Inf */
    gqlx_metrics_request_start(&b);
    gqlx_metrics_request_start(&b);
    gqlx_metrics_request_end(&b, 500, 2500000); /* 2.5 */
    gqlx_metrics_request_end(&b, 42, 30000);    /* 0.05; no code sample */
    gqlx_metrics_connection(&a, 1);
    gqlx_metrics_connection(&a, 1);
    gqlx_metrics_connection(&b, 1);
    gqlx_metrics_connection(&a, -1);

    gqlx_metrics_extra extra = {
        .plan_cache_hits = 7, .plan_cache_misses = 3, .plan_cache_entries = 2};
    gqlx_buf out;
    gqlx_buf_init(&out, 0);
    gqlx_metrics_render(workers, 2, &extra, &out);
    const char *t = out.data;
    assert_has_line(t, "gqld_http_requests_total{code=\"200\"} 3");
    assert_has_line(t, "gqld_http_requests_total{code=\"404\"} 1");
    assert_has_line(t, "gqld_http_requests_total{code=\"500\"} 1");
    assert_null(strstr(t, "code=\"42\""));
    assert_null(strstr(t, "code=\"201\""));
    /* Codes in ascending order. */
    assert_true(strstr(t, "code=\"200\"") < strstr(t, "code=\"404\""));
    assert_true(strstr(t, "code=\"404\"") < strstr(t, "code=\"500\""));

    assert_has_line(t, "gqld_http_request_duration_seconds_bucket{le=\"0.0005\"} 2");
    assert_has_line(t, "gqld_http_request_duration_seconds_bucket{le=\"0.001\"} 3");
    assert_has_line(t, "gqld_http_request_duration_seconds_bucket{le=\"0.025\"} 3");
    assert_has_line(t, "gqld_http_request_duration_seconds_bucket{le=\"0.05\"} 4");
    assert_has_line(t, "gqld_http_request_duration_seconds_bucket{le=\"1\"} 4");
    assert_has_line(t, "gqld_http_request_duration_seconds_bucket{le=\"2.5\"} 5");
    assert_has_line(t, "gqld_http_request_duration_seconds_bucket{le=\"+Inf\"} 6");
    assert_has_line(t, "gqld_http_request_duration_seconds_count 6");
    /* 400 + 500 + 501 + 3000000 + 2500000 + 30000 microseconds */
    assert_has_line(t, "gqld_http_request_duration_seconds_sum 5.531401");

    assert_has_line(t, "gqld_http_requests_in_flight 1");
    assert_has_line(t, "gqld_http_open_connections 2");
    assert_has_line(t, "# HELP gqld_plan_cache_hits_total GraphQL documents whose plan was "
                       "found in the plan cache.");
    assert_has_line(t, "# TYPE gqld_plan_cache_hits_total counter");
    assert_has_line(t, "gqld_plan_cache_hits_total 7");
    assert_has_line(t, "# TYPE gqld_plan_cache_misses_total counter");
    assert_has_line(t, "gqld_plan_cache_misses_total 3");
    assert_has_line(t, "# TYPE gqld_plan_cache_entries gauge");
    assert_has_line(t, "gqld_plan_cache_entries 2");

    /* Every sample line belongs to a family announced before it. */
    const char *p = t;
    while (*p != '\0') {
        const char *end = strchr(p, '\n');
        assert_non_null(end);
        if (*p != '#') {
            size_t name_len = strcspn(p, "{ ");
            char type_line[128];
            size_t base = name_len;
            static const char *const suffixes[] = {"_bucket", "_sum", "_count"};
            for (size_t i = 0; i < 3; i++) {
                size_t sl = strlen(suffixes[i]);
                if (name_len > sl && memcmp(p + name_len - sl, suffixes[i], sl) == 0 &&
                    memcmp(p, "gqld_http_request_duration_seconds", 34) == 0)
                    base = name_len - sl;
            }
            snprintf(type_line, sizeof type_line, "# TYPE %.*s ", (int)base, p);
            const char *decl = strstr(t, type_line);
            assert_non_null(decl);
            assert_true(decl < p);
        }
        p = end + 1;
    }
    gqlx_buf_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_counts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
