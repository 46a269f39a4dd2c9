/* src/server/metrics.c — per-worker request counters and their
 * Prometheus text exposition. */
#include "server/metrics.h"

#include <inttypes.h>

/* Histogram upper bounds, in microseconds and as the "le" label shows
 * them. Integers keep the hot path free of floating point. */
static const uint64_t bucket_us[GQLX_METRICS_BUCKETS] = {
    500, 1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 500000, 1000000, 2500000,
};
static const char *const bucket_label[GQLX_METRICS_BUCKETS] = {
    "0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5",
};

#define STATUS_SLOTS (sizeof((gqlx_metrics *)0)->by_status / sizeof(uint64_t))

void gqlx_metrics_init(gqlx_metrics *m)
{
    for (size_t i = 0; i < STATUS_SLOTS; i++)
        atomic_init(&m->by_status[i], 0);
    for (size_t i = 0; i <= GQLX_METRICS_BUCKETS; i++)
        atomic_init(&m->latency_bucket[i], 0);
    atomic_init(&m->latency_sum_us, 0);
    atomic_init(&m->in_flight, 0);
    atomic_init(&m->open_connections, 0);
}

/* Only the owning worker's thread writes, and a scrape may see one
 * request half counted: relaxed order is enough. */
void gqlx_metrics_request_start(gqlx_metrics *m)
{
    atomic_fetch_add_explicit(&m->in_flight, 1, memory_order_relaxed);
}

void gqlx_metrics_request_end(gqlx_metrics *m, int status, uint64_t micros)
{
    atomic_fetch_sub_explicit(&m->in_flight, 1, memory_order_relaxed);
    if (status >= 100 && status < (int)STATUS_SLOTS)
        atomic_fetch_add_explicit(&m->by_status[status], 1, memory_order_relaxed);
    size_t b = 0;
    while (b < GQLX_METRICS_BUCKETS && micros > bucket_us[b])
        b++;
    atomic_fetch_add_explicit(&m->latency_bucket[b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&m->latency_sum_us, micros, memory_order_relaxed);
}

void gqlx_metrics_connection(gqlx_metrics *m, int delta)
{
    atomic_fetch_add_explicit(&m->open_connections, delta, memory_order_relaxed);
}

static uint64_t load_u(const _Atomic uint64_t *v)
{
    return atomic_load_explicit(v, memory_order_relaxed);
}

static int64_t load_i(const _Atomic int64_t *v)
{
    return atomic_load_explicit(v, memory_order_relaxed);
}

static void family(gqlx_buf *out, const char *name, const char *type, const char *help)
{
    gqlx_buf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

void gqlx_metrics_render(const gqlx_metrics *const *workers, size_t n,
                         const gqlx_metrics_extra *extra, gqlx_buf *out)
{
    family(out, "gqld_http_requests_total", "counter", "HTTP requests answered, by status code.");
    for (size_t code = 100; code < STATUS_SLOTS; code++) {
        uint64_t sum = 0;
        for (size_t w = 0; w < n; w++)
            sum += load_u(&workers[w]->by_status[code]);
        if (sum != 0)
            gqlx_buf_printf(out, "gqld_http_requests_total{code=\"%zu\"} %" PRIu64 "\n", code, sum);
    }

    /* Buckets are stored one count per request and shown cumulative; the
     * count is the +Inf bucket, so the two always agree within a scrape. */
    family(out, "gqld_http_request_duration_seconds", "histogram",
           "Time from a request's first byte to its response, in seconds.");
    uint64_t cumulative = 0, sum_us = 0;
    for (size_t b = 0; b <= GQLX_METRICS_BUCKETS; b++) {
        for (size_t w = 0; w < n; w++)
            cumulative += load_u(&workers[w]->latency_bucket[b]);
        gqlx_buf_printf(out, "gqld_http_request_duration_seconds_bucket{le=\"%s\"} %" PRIu64 "\n",
                        b < GQLX_METRICS_BUCKETS ? bucket_label[b] : "+Inf", cumulative);
    }
    for (size_t w = 0; w < n; w++)
        sum_us += load_u(&workers[w]->latency_sum_us);
    gqlx_buf_printf(out,
                    "gqld_http_request_duration_seconds_sum %" PRIu64 ".%06" PRIu64 "\n"
                    "gqld_http_request_duration_seconds_count %" PRIu64 "\n",
                    sum_us / 1000000, sum_us % 1000000, cumulative);

    int64_t in_flight = 0, open = 0;
    for (size_t w = 0; w < n; w++) {
        in_flight += load_i(&workers[w]->in_flight);
        open += load_i(&workers[w]->open_connections);
    }
    family(out, "gqld_http_requests_in_flight", "gauge",
           "HTTP requests received and not yet answered.");
    gqlx_buf_printf(out, "gqld_http_requests_in_flight %" PRId64 "\n", in_flight);
    family(out, "gqld_http_open_connections", "gauge", "Open client connections.");
    gqlx_buf_printf(out, "gqld_http_open_connections %" PRId64 "\n", open);

    if (extra == NULL)
        return;
    family(out, "gqld_plan_cache_hits_total", "counter",
           "GraphQL documents whose plan was found in the plan cache.");
    gqlx_buf_printf(out, "gqld_plan_cache_hits_total %zu\n", extra->plan_cache_hits);
    family(out, "gqld_plan_cache_misses_total", "counter",
           "GraphQL documents parsed, validated and planned anew.");
    gqlx_buf_printf(out, "gqld_plan_cache_misses_total %zu\n", extra->plan_cache_misses);
    family(out, "gqld_plan_cache_entries", "gauge", "Plans held in the plan caches.");
    gqlx_buf_printf(out, "gqld_plan_cache_entries %zu\n", extra->plan_cache_entries);
}
