/* src/server/metrics.h — the counters /metrics shows in Prometheus text
 * format. Each worker has its own gqlx_metrics, written only by its
 * thread with relaxed atomics and summed over workers when scraped, so
 * counting takes no lock. */
#ifndef GQLX_SERVER_METRICS_H
#define GQLX_SERVER_METRICS_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

/* Upper bounds of the latency histogram, in seconds. */
#define GQLX_METRICS_BUCKETS 12

typedef struct gqlx_metrics {
    _Atomic uint64_t by_status[600]; /* index = status code (100..599) */
    _Atomic uint64_t latency_bucket[GQLX_METRICS_BUCKETS + 1]; /* last: +Inf */
    _Atomic uint64_t latency_sum_us;
    _Atomic int64_t in_flight;
    _Atomic int64_t open_connections;
} gqlx_metrics;

/* Sets every counter to zero. */
void gqlx_metrics_init(gqlx_metrics *m);
/* A request began (in flight until its gqlx_metrics_request_end). */
void gqlx_metrics_request_start(gqlx_metrics *m);
/* A request's response was sent with status after micros microseconds:
 * counted by code (codes outside 100..599 only in the histogram) and in
 * the latency histogram; one fewer in flight. */
void gqlx_metrics_request_end(gqlx_metrics *m, int status, uint64_t micros);
/* A connection opened (+1) or closed (-1). */
void gqlx_metrics_connection(gqlx_metrics *m, int delta);

/* Extra figures: the plan caches of every GraphQL endpoint, summed. */
typedef struct gqlx_metrics_extra {
    size_t plan_cache_hits;
    size_t plan_cache_misses;
    size_t plan_cache_entries;
} gqlx_metrics_extra;

/* Appends the Prometheus text exposition (version 0.0.4) of the sum of n
 * workers' metrics: gqld_http_requests_total{code="200"},
 * gqld_http_request_duration_seconds (histogram), gqld_http_requests_in_flight,
 * gqld_http_open_connections, gqld_plan_cache_hits_total,
 * gqld_plan_cache_misses_total, gqld_plan_cache_entries (the last three
 * only when extra is not NULL), each family with HELP and TYPE lines.
 * Status codes never seen have no sample. Safe while workers count. */
void gqlx_metrics_render(const gqlx_metrics *const *workers, size_t n,
                         const gqlx_metrics_extra *extra, gqlx_buf *out);

#endif
