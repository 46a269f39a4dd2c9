/* src/server/builtin.c — the server's own pages: GET /health, GET
 * /server_info (the effective configuration, without secrets) and GET
 * /metrics (Prometheus text). */
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/json.h"
#include "gql/status.h"
#include "gql/version.h"
#include "server/metrics.h"
#include "server/server_internal.h"
#include "server/worker.h"

static const char HEALTH_BODY[] = "{\"status\":\"ok\"}";

static void health(gql_http_request *req, void *data)
{
    (void)data;
    gqlx_http_respond_owned(req, 200, "application/json; charset=utf-8", HEALTH_BODY,
                            sizeof HEALTH_BODY - 1, GQLX_RESP_NO_STORE, NULL, NULL);
}

/* Answers with the buffer's bytes, handing its memory to the response. */
static void respond_buf(gql_http_request *req, const char *content_type, gqlx_buf *b)
{
    if (b->failed) {
        gqlx_buf_free(b);
        gqlx_http_respond_error(req, 500, NULL, "Internal Server Error");
        return;
    }
    size_t len;
    char *body = gqlx_buf_detach(b, &len);
    if (gqlx_http_respond_owned(req, 200, content_type, body != NULL ? body : "", len,
                                GQLX_RESP_NO_STORE, gqlx_free, body) != GQL_OK)
        gqlx_free(body);
}

static void key_uint(gqlx_json_writer *w, const char *key, unsigned long long v)
{
    gqlx_json_key_cstr(w, key);
    gqlx_json_int(w, v > INT64_MAX ? INT64_MAX : (int64_t)v);
}

static void key_bool(gqlx_json_writer *w, const char *key, int v)
{
    gqlx_json_key_cstr(w, key);
    gqlx_json_bool(w, v != 0);
}

static void key_str(gqlx_json_writer *w, const char *key, const char *v)
{
    gqlx_json_key_cstr(w, key);
    if (v == NULL)
        gqlx_json_null(w);
    else
        gqlx_json_string(w, v, strlen(v));
}

static void server_info(gql_http_request *req, void *data)
{
    (void)data;
    const gql_server *srv = req->server;
    const gql_server_opts *o = &srv->opts;
    gqlx_buf b;
    gqlx_buf_init(&b, 0);
    gqlx_json_writer w;
    gqlx_json_writer_init(&w, &b);
    gqlx_json_begin_object(&w);
    key_str(&w, "name", "gqld");
    key_str(&w, "version", GQL_VERSION_STRING);
    key_str(&w, "listen", o->listen);
    key_uint(&w, "port", (unsigned long long)(srv->port > 0 ? srv->port : 0));
    key_uint(&w, "workers", srv->worker_count);
    key_str(&w, "path_prefix", o->path_prefix);

    gqlx_json_key_cstr(&w, "limits");
    gqlx_json_begin_object(&w);
    key_uint(&w, "max_connections", o->max_connections);
    key_uint(&w, "max_header_size", o->max_header_size);
    key_uint(&w, "max_body_size", o->max_body_size);
    key_uint(&w, "header_timeout_ms", o->header_timeout_ms);
    key_uint(&w, "request_timeout_ms", o->request_timeout_ms);
    key_uint(&w, "idle_timeout_ms", o->idle_timeout_ms);
    key_uint(&w, "shutdown_timeout_ms", o->shutdown_timeout_ms);
    gqlx_json_end_object(&w);

    gqlx_json_key_cstr(&w, "compression");
    gqlx_json_begin_object(&w);
    key_uint(&w, "min_size", o->compress_min_size);
    key_bool(&w, "gzip", o->compress_gzip);
    key_bool(&w, "brotli", o->compress_brotli);
    gqlx_json_end_object(&w);

    key_bool(&w, "security_headers", o->security_headers);
    gqlx_json_key_cstr(&w, "cors");
    if (o->cors_origins == NULL) {
        gqlx_json_null(&w);
    } else {
        gqlx_json_begin_object(&w);
        key_str(&w, "origins", o->cors_origins);
        key_bool(&w, "credentials", o->cors_credentials);
        key_uint(&w, "max_age", o->cors_max_age);
        gqlx_json_end_object(&w);
    }
    /* The mount only: the folder's place on disk is nobody's business. */
    key_str(&w, "static_path", o->static_dir != NULL ? o->static_path : NULL);
    key_bool(&w, "health", o->health);
    key_bool(&w, "server_info", o->server_info);
    key_bool(&w, "metrics", o->metrics);
    key_bool(&w, "access_log", o->access_log);
    key_bool(&w, "debug", o->debug);

    gqlx_json_key_cstr(&w, "endpoints");
    gqlx_json_begin_array(&w);
    for (size_t i = 0; i < srv->endpoint_count; i++)
        gqlx_endpoint_describe(srv->endpoints[i], &w);
    gqlx_json_end_array(&w);

    gqlx_json_key_cstr(&w, "routes");
    gqlx_json_begin_array(&w);
    for (size_t i = 0; i < srv->router.count; i++) {
        const gqlx_route *rt = srv->router.routes[i];
        gqlx_json_begin_object(&w);
        key_str(&w, "method", rt->method);
        key_str(&w, "path", rt->pattern);
        gqlx_json_end_object(&w);
    }
    gqlx_json_end_array(&w);
    gqlx_json_end_object(&w);
    respond_buf(req, "application/json; charset=utf-8", &b);
}

static void metrics(gql_http_request *req, void *data)
{
    (void)data;
    const gql_server *srv = req->server;
    size_t n = srv->workers_ready;
    const gqlx_metrics **all = GQLX_ARRAY(&req->arena, const gqlx_metrics *, n ? n : 1);
    if (all == NULL) {
        gqlx_http_respond_error(req, 500, NULL, "Internal Server Error");
        return;
    }
    for (size_t i = 0; i < n; i++)
        all[i] = &srv->workers[i].metrics;
    gqlx_metrics_extra extra = {0, 0, 0};
    for (size_t i = 0; i < srv->endpoint_count; i++)
        gqlx_endpoint_cache_stats(srv->endpoints[i], &extra.plan_cache_hits,
                                  &extra.plan_cache_misses, &extra.plan_cache_entries);
    gqlx_buf b;
    gqlx_buf_init(&b, 0);
    gqlx_metrics_render(all, n, &extra, &b);
    respond_buf(req, "text/plain; version=0.0.4; charset=utf-8", &b);
}

static int add(gql_server *srv, const char *path, void (*fn)(gql_http_request *, void *))
{
    gqlx_route_handler h = {.begin = NULL, .handle = fn, .data = NULL};
    int rc = gqlx_router_add(&srv->router, "GET", path, h, NULL);
    return rc == GQL_EINVAL ? GQL_OK : rc; /* the application's own page wins */
}

int gqlx_builtin_add_routes(gql_server *srv)
{
    int rc = GQL_OK;
    if (srv->opts.health)
        rc = add(srv, "/health", health);
    if (rc == GQL_OK && srv->opts.server_info)
        rc = add(srv, "/server_info", server_info);
    if (rc == GQL_OK && srv->opts.metrics)
        rc = add(srv, "/metrics", metrics);
    return rc;
}
