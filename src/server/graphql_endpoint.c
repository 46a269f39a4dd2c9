/* src/server/graphql_endpoint.c — a GraphQL endpoint's options, its
 * construction (copies of the options, the CSRF header list, a plan cache
 * of its own) and its description for /server_info. */
#include "server/graphql_endpoint.h"

#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/strdup.h"
#include "gql/status.h"
#include "server/multipart.h"
#include "server/ws_graphql.h"

/* ---- options ------------------------------------------------------------------ */

void gql_endpoint_opts_init(gql_endpoint_opts *opts)
{
    if (opts == NULL)
        return;
    memset(opts, 0, sizeof *opts);
    opts->handle_get = 1;
    opts->handle_post = 1;
    opts->handle_websockets = 1;
    opts->enable_batched_requests = 1;
    opts->execute_batched_requests_in_parallel = 1;
    opts->max_batch_size = 100;
    opts->csrf_protection_enabled = 1;
    opts->csrf_protection_headers = GQLX_DEFAULT_CSRF_HEADERS;
    opts->read_extensions_from_query_string = 1;
    opts->read_form_on_post = 0;
    opts->read_query_string_on_post = 1;
    opts->read_variables_from_query_string = 1;
    opts->validation_errors_return_bad_request = 1;
    opts->draft_status_codes = 0;
    opts->upload_memory_limit = GQLX_MULTIPART_UPLOAD_MEMORY_LIMIT;
    gql_exec_opts_init(&opts->exec);
    opts->root = gql_null();
    gqlx_websocket_opts_init(&opts->websockets);
}

/* Splits the comma-separated CSRF header list and words the refusal. */
static int parse_csrf_headers(gqlx_endpoint *ep)
{
    const char *list = ep->csrf_copy != NULL ? ep->csrf_copy : "";
    size_t n = strlen(list), count = 1;
    for (size_t i = 0; i < n; i++)
        count += list[i] == ',';
    ep->csrf_names = gqlx_malloc(count * sizeof *ep->csrf_names);
    ep->csrf_names_buf = gqlx_malloc(n + 1);
    if (ep->csrf_names == NULL || ep->csrf_names_buf == NULL)
        return GQL_ENOMEM;
    memcpy(ep->csrf_names_buf, list, n + 1);
    gqlx_buf names;
    gqlx_buf_init(&names, 0);
    for (char *p = ep->csrf_names_buf; p != NULL;) {
        char *comma = strchr(p, ',');
        if (comma != NULL)
            *comma = '\0';
        while (*p == ' ' || *p == '\t')
            p++;
        size_t len = strlen(p);
        while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
            p[--len] = '\0';
        if (len > 0) {
            if (ep->csrf_count > 0)
                gqlx_buf_append_cstr(&names, " or ");
            gqlx_buf_append_cstr(&names, p);
            ep->csrf_names[ep->csrf_count++] = p;
        }
        p = comma != NULL ? comma + 1 : NULL;
    }
    if (names.failed) {
        gqlx_buf_free(&names);
        return GQL_ENOMEM;
    }
    gqlx_buf msg;
    gqlx_buf_init(&msg, 0);
    if (ep->csrf_count > 0)
        gqlx_buf_printf(&msg,
                        "This request was refused as a possible cross-site request forgery: "
                        "send it with a non-empty %s header, or as a POST with a JSON body.",
                        names.data);
    else
        gqlx_buf_append_cstr(&msg, "This request was refused as a possible cross-site request "
                                   "forgery: send it as a POST with a JSON body.");
    gqlx_buf_free(&names);
    if (msg.failed || msg.data == NULL) {
        gqlx_buf_free(&msg);
        return GQL_ENOMEM;
    }
    ep->csrf_message = gqlx_buf_detach(&msg, NULL);
    return GQL_OK;
}

int gqlx_endpoint_new(gql_server *srv, const char *path, const gql_schema *schema,
                      const gql_endpoint_opts *opts, gqlx_endpoint **out)
{
    *out = NULL;
    if (srv == NULL || path == NULL || path[0] != '/' || schema == NULL)
        return GQL_EINVAL;
    gql_endpoint_opts defaults;
    if (opts == NULL) {
        gql_endpoint_opts_init(&defaults);
        opts = &defaults;
    }
    gqlx_endpoint *ep = gqlx_malloc(sizeof *ep);
    if (ep == NULL)
        return GQL_ENOMEM;
    memset(ep, 0, sizeof *ep);
    ep->srv = srv;
    ep->schema = schema;
    ep->opts = *opts;
    ep->path = gqlx_strdup(path);
    if (opts->csrf_protection_headers != NULL)
        ep->csrf_copy = gqlx_strdup(opts->csrf_protection_headers);
    int rc = GQL_ENOMEM;
    if (ep->path == NULL || (opts->csrf_protection_headers != NULL && ep->csrf_copy == NULL))
        goto fail;
    ep->opts.csrf_protection_headers = ep->csrf_copy;
    if ((rc = parse_csrf_headers(ep)) != GQL_OK)
        goto fail;
    ep->exec = opts->exec;
    if (ep->exec.cache == NULL) {
        if ((rc = gql_plan_cache_new(&ep->own_cache, 0)) != GQL_OK)
            goto fail;
        ep->exec.cache = ep->own_cache;
    }
    const gql_server_opts *so = gqlx_server_opts(srv);
    if (so != NULL && so->debug)
        ep->exec.expose_internal_errors = 1;

    gqlx_params_opts_init(&ep->params);
    ep->params.read_query_string_on_post = opts->read_query_string_on_post != 0;
    ep->params.read_variables_from_query_string = opts->read_variables_from_query_string != 0;
    ep->params.read_extensions_from_query_string = opts->read_extensions_from_query_string != 0;
    ep->params.read_form = opts->read_form_on_post != 0;
    ep->params.batching = opts->enable_batched_requests != 0;
    ep->params.max_batch_size = opts->max_batch_size;
    if ((rc = gqlx_auth_init(&ep->auth, opts)) != GQL_OK)
        goto fail;
    ep->opts.authorized_roles = (const char *const *)ep->auth.roles;
    ep->opts.authorized_policy = ep->auth.policy;
    if (opts->handle_websockets &&
        (rc = gqlx_ws_endpoint_new(schema, &ep->opts, &ep->exec, &ep->auth, &ep->ws)) != GQL_OK)
        goto fail;
    *out = ep;
    return GQL_OK;
fail:
    gqlx_endpoint_free(ep);
    return rc;
}

void gqlx_endpoint_free(gqlx_endpoint *ep)
{
    if (ep == NULL)
        return;
    gqlx_ws_endpoint_free(ep->ws);
    gqlx_auth_free(&ep->auth);
    gql_plan_cache_free(ep->own_cache);
    gqlx_free(ep->path);
    gqlx_free(ep->csrf_copy);
    gqlx_free(ep->csrf_names);
    gqlx_free(ep->csrf_names_buf);
    gqlx_free(ep->csrf_message);
    gqlx_free(ep);
}

void gqlx_endpoint_cache_stats(const gqlx_endpoint *ep, size_t *hits, size_t *misses,
                               size_t *entries)
{
    size_t h = 0, m = 0, e = 0;
    gql_plan_cache_stats(ep->exec.cache, &e, &h, &m);
    if (hits != NULL)
        *hits += h;
    if (misses != NULL)
        *misses += m;
    if (entries != NULL)
        *entries += e;
}

/* ---- describing ----------------------------------------------------------------- */

static void describe_bool(gqlx_json_writer *w, const char *name, int v)
{
    gqlx_json_key_cstr(w, name);
    gqlx_json_bool(w, v != 0);
}

static void describe_uint(gqlx_json_writer *w, const char *name, unsigned long long v)
{
    gqlx_json_key_cstr(w, name);
    gqlx_json_int(w, (int64_t)v);
}

/* Authentication as the endpoint applies it: which means, and the
 * endpoint's rule (role and policy names are configuration, not
 * secrets; keys and secrets are never shown). */
static void describe_auth(const gqlx_auth *a, gqlx_json_writer *w)
{
    gqlx_json_key_cstr(w, "authentication");
    gqlx_json_begin_object(w);
    describe_bool(w, "jwt", a->jwt != NULL);
    describe_bool(w, "hook", a->hook != NULL);
    describe_bool(w, "authorization_required", a->required);
    gqlx_json_key_cstr(w, "authorized_roles");
    gqlx_json_begin_array(w);
    for (size_t i = 0; i < a->role_count; i++)
        gqlx_json_string(w, a->roles[i], strlen(a->roles[i]));
    gqlx_json_end_array(w);
    gqlx_json_key_cstr(w, "authorized_policy");
    if (a->policy != NULL)
        gqlx_json_string(w, a->policy, strlen(a->policy));
    else
        gqlx_json_null(w);
    gqlx_json_end_object(w);
}

void gqlx_endpoint_describe(const gqlx_endpoint *ep, gqlx_json_writer *w)
{
    const gql_endpoint_opts *o = &ep->opts;
    const gql_exec_opts *x = &ep->exec;
    gqlx_json_begin_object(w);
    gqlx_json_key_cstr(w, "path");
    gqlx_json_string(w, ep->path, strlen(ep->path));
    describe_bool(w, "handle_get", o->handle_get);
    describe_bool(w, "handle_post", o->handle_post);
    describe_bool(w, "handle_websockets", o->handle_websockets);
    describe_bool(w, "enable_batched_requests", o->enable_batched_requests);
    describe_bool(w, "execute_batched_requests_in_parallel",
                  o->execute_batched_requests_in_parallel);
    describe_uint(w, "max_batch_size", o->max_batch_size);
    describe_bool(w, "csrf_protection_enabled", o->csrf_protection_enabled);
    gqlx_json_key_cstr(w, "csrf_protection_headers");
    gqlx_json_begin_array(w);
    for (size_t i = 0; i < ep->csrf_count; i++)
        gqlx_json_string(w, ep->csrf_names[i], strlen(ep->csrf_names[i]));
    gqlx_json_end_array(w);
    describe_bool(w, "read_extensions_from_query_string", o->read_extensions_from_query_string);
    describe_bool(w, "read_form_on_post", o->read_form_on_post);
    describe_bool(w, "read_query_string_on_post", o->read_query_string_on_post);
    describe_bool(w, "read_variables_from_query_string", o->read_variables_from_query_string);
    if (o->validation_errors_return_bad_request == 0 ||
        o->validation_errors_return_bad_request == 1)
        describe_bool(w, "validation_errors_return_bad_request",
                      o->validation_errors_return_bad_request);
    else
        describe_uint(w, "validation_errors_return_bad_request",
                      (unsigned long long)(unsigned)o->validation_errors_return_bad_request);
    describe_bool(w, "draft_status_codes", o->draft_status_codes);
    describe_uint(w, "maximum_file_size", o->maximum_file_size);
    describe_uint(w, "maximum_file_count", o->maximum_file_count);
    describe_uint(w, "upload_memory_limit", o->upload_memory_limit);
    describe_uint(w, "max_depth", x->max_depth);
    describe_uint(w, "max_fields", x->max_fields);
    describe_uint(w, "max_aliases", x->max_aliases);
    describe_uint(w, "max_memory", x->max_memory);
    describe_uint(w, "max_validation_errors", x->max_validation_errors);
    describe_uint(w, "max_variable_errors", x->max_variable_errors);
    describe_bool(w, "disable_introspection", x->disable_introspection);
    describe_bool(w, "hide_suggestions", x->hide_suggestions);
    describe_bool(w, "expose_internal_errors", x->expose_internal_errors);
    describe_bool(w, "thread_pool", x->pool != NULL);
    size_t entries = 0, hits = 0, misses = 0;
    gql_plan_cache_stats(x->cache, &entries, &hits, &misses);
    gqlx_json_key_cstr(w, "plan_cache");
    gqlx_json_begin_object(w);
    describe_bool(w, "shared", ep->own_cache == NULL);
    describe_uint(w, "entries", entries);
    describe_uint(w, "hits", hits);
    describe_uint(w, "misses", misses);
    gqlx_json_end_object(w);
    describe_auth(&ep->auth, w);
    if (ep->ws != NULL)
        gqlx_ws_endpoint_describe(ep->ws, w);
    gqlx_json_end_object(w);
}
