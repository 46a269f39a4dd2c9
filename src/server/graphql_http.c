/* src/server/graphql_http.c — a GraphQL endpoint: GraphQL over HTTP as the
 * GraphQL-over-HTTP specification and the graphql-http audit describe it,
 * with the options of the seed (GET and POST, batches, forms and uploads,
 * CSRF protection), executing requests on the worker's loop.
 *
 * One HTTP request goes through: method, Accept, CSRF protection (all
 * from the headers, so answered before a body is read), then the body's
 * parameters, then execution of the one request or of every request of a
 * batch, then one response: a GraphQL response is sent as the engine wrote
 * it, without a copy; a batch's responses are joined into one array. */
#include "server/graphql_http.h"

#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "gql/status.h"
#include "server/graphql_params.h"
#include "server/media_type.h"
#include "server/multipart.h"
#include "server/upload_request.h"

/* The header a CSRF-protected endpoint asks for by default: a custom
 * header makes every browser send a CORS preflight first. */
#define DEFAULT_CSRF_HEADERS "GraphQL-Require-Preflight"

struct gqlx_endpoint {
    gql_server *srv;
    char *path;
    const gql_schema *schema;
    gql_endpoint_opts opts; /* strings point to the copies below */
    char *csrf_copy;        /* csrf_protection_headers, copied */
    char **csrf_names;      /* the list, split and trimmed (into csrf_names_buf) */
    size_t csrf_count;
    char *csrf_names_buf;
    char *csrf_message; /* what a refused request is told */
    gql_exec_opts exec; /* effective: the cache, internal errors */
    gql_plan_cache *own_cache;
    gqlx_params_opts params;
};

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
    opts->csrf_protection_headers = DEFAULT_CSRF_HEADERS;
    opts->read_extensions_from_query_string = 1;
    opts->read_form_on_post = 0;
    opts->read_query_string_on_post = 1;
    opts->read_variables_from_query_string = 1;
    opts->validation_errors_return_bad_request = 1;
    opts->draft_status_codes = 0;
    opts->upload_memory_limit = GQLX_MULTIPART_UPLOAD_MEMORY_LIMIT;
    gql_exec_opts_init(&opts->exec);
    opts->root = gql_null();
}

static char *copy_string(const char *s)
{
    size_t n = strlen(s);
    char *c = gqlx_malloc(n + 1);
    if (c != NULL)
        memcpy(c, s, n + 1);
    return c;
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
    if (msg.failed || names.failed) {
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
    ep->path = copy_string(path);
    if (opts->csrf_protection_headers != NULL)
        ep->csrf_copy = copy_string(opts->csrf_protection_headers);
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
    gqlx_json_end_object(w);
}

/* ---- one HTTP request ------------------------------------------------------------- */

typedef struct ep_request ep_request;

/* One GraphQL request of the HTTP request (a batch has several). */
typedef struct ep_item {
    ep_request *r;
    gql_request greq;
    gql_response *resp; /* NULL until done, or when none could be made */
    bool done;
} ep_item;

/* A multipart body being received: the parser, owned through the sink. */
typedef struct ep_upload {
    gqlx_multipart *mp;
    gql_http_request *req;
    gqlx_response_type media;
} ep_upload;

struct ep_request {
    gqlx_endpoint *ep;
    gql_http_request *req;
    gqlx_response_type media;
    ep_item *items;
    size_t count, started, finished;
    bool batch;
    bool pumping; /* inside pump: completions only count */
    /* The uploads' parser: the sink's, or one made from a buffered body
     * (own_mp). Uploads stay readable until the response is written. */
    ep_upload *upload;
    gqlx_multipart *own_mp;
    /* What the response's write borrows: one engine response, or a
     * batch's joined text. */
    gql_response *sent_resp;
    char *sent_body;
};

static bool is_get(const gql_http_request *req)
{
    return strcmp(req->method, "GET") == 0;
}

static bool is_post(const gql_http_request *req)
{
    return strcmp(req->method, "POST") == 0;
}

/* The methods the endpoint answers, for Allow headers; except leaves one
 * out (the method a 405 refused the operation for). */
static const char *allowed_methods(const gqlx_endpoint *ep, const char *except)
{
    bool get = ep->opts.handle_get && (except == NULL || strcmp(except, "GET") != 0);
    bool post = ep->opts.handle_post && (except == NULL || strcmp(except, "POST") != 0);
    return get && post ? "GET, POST" : get ? "GET" : post ? "POST" : "";
}

static void respond_error(gql_http_request *req, int status, gqlx_response_type media,
                          const char *message)
{
    const char *ct = gqlx_media_response_content_type(media);
    gqlx_http_respond_error(req, status, ct != NULL ? ct : "application/json; charset=utf-8",
                            message);
}

static void respond_405(gql_http_request *req, gqlx_response_type media, const char *allow,
                        const char *message)
{
    gql_http_add_header(req, "Allow", allow);
    respond_error(req, 405, media, message);
}

/* The CSRF rule of the seed: a POST whose Content-Type makes browsers
 * send a preflight is safe, and so is any request carrying a non-empty
 * header from the configured list (a header only scripts can add, which
 * again makes browsers ask first).
 *
 * One exemption keeps plain GET requests working for clients that are
 * not browsers (the GraphQL-over-HTTP audit, curl, caches): a GET that
 * carries none of the credentials a browser attaches on its own (no
 * Cookie, no Authorization) cannot borrow the victim's identity, can only
 * run a query (mutations and subscriptions are refused on GET), and its
 * response is unreadable to another origin. Credentialed GETs still need
 * the header. */
static bool csrf_allows(const gqlx_endpoint *ep, const gql_http_request *req, bool post,
                        gqlx_body_kind kind)
{
    if (!ep->opts.csrf_protection_enabled)
        return true;
    if (post && !gqlx_media_is_cors_simple(kind))
        return true;
    for (size_t i = 0; i < ep->csrf_count; i++) {
        const char *v = gqlx_http_header(req, ep->csrf_names[i]);
        if (v != NULL && v[strspn(v, " \t")] != '\0')
            return true;
    }
    return !post && gqlx_http_header(req, "Cookie") == NULL &&
           gqlx_http_header(req, "Authorization") == NULL;
}

/* The checks that need only the request line and headers. Returns false
 * when it answered the request; otherwise *media and *kind are set. */
static bool check_headers(gqlx_endpoint *ep, gql_http_request *req, gqlx_response_type *media,
                          gqlx_body_kind *kind)
{
    bool get = is_get(req), post = is_post(req);
    *media = gqlx_media_choose_response(gqlx_http_header(req, "Accept"));
    gqlx_response_type err_media = *media != GQLX_RESPONSE_NONE ? *media : GQLX_RESPONSE_JSON;
    if ((!get && !post) || (get && !ep->opts.handle_get) || (post && !ep->opts.handle_post)) {
        respond_405(req, err_media, allowed_methods(ep, NULL),
                    "This endpoint does not accept this HTTP method.");
        return false;
    }
    if (*media == GQLX_RESPONSE_NONE) {
        respond_error(req, 406, GQLX_RESPONSE_JSON,
                      "The Accept header allows neither application/graphql-response+json nor "
                      "application/json.");
        return false;
    }
    bool charset_ok = true;
    *kind = post ? gqlx_media_body_kind(gqlx_http_header(req, "Content-Type"), &charset_ok)
                 : GQLX_BODY_NONE;
    if (!csrf_allows(ep, req, post, *kind)) {
        respond_error(req, 400, *media, ep->csrf_message);
        return false;
    }
    if (!charset_ok) {
        respond_error(req, 415, *media, "Unsupported charset: send the request body as UTF-8.");
        return false;
    }
    return true;
}

/* ---- multipart bodies ---------------------------------------------------------------- */

static void upload_release(void *state)
{
    ep_upload *u = state;
    gqlx_multipart_free(u->mp);
    u->mp = NULL;
}

/* Answers a body the parser refused with the parser's own words, and
 * frees the parser: nothing reads it after that. Returning the status to
 * the connection layer instead would close the connection at once, but
 * with a bare reason phrase; a client is better served by knowing which
 * limit or which part was wrong, so the rest of the body is read and
 * dropped (the server's body size limit still bounds it). */
static int upload_failed(ep_upload *u, int st)
{
    if (!u->req->responded)
        respond_error(u->req, st, u->media,
                      u->mp != NULL ? gqlx_multipart_error(u->mp) : "Out of memory.");
    upload_release(u);
    return 0;
}

static int upload_write(void *state, const char *p, size_t n)
{
    ep_upload *u = state;
    if (u->req->responded)
        return 0; /* dropping the rest of a refused body */
    int st = u->mp != NULL ? gqlx_multipart_write(u->mp, p, n) : 500;
    return st != 0 ? upload_failed(u, st) : 0;
}

static int upload_finish(void *state)
{
    ep_upload *u = state;
    if (u->req->responded)
        return 0;
    int st = u->mp != NULL ? gqlx_multipart_finish(u->mp) : 500;
    return st != 0 ? upload_failed(u, st) : 0;
}

static gqlx_multipart *new_multipart(const gqlx_endpoint *ep, const gql_http_request *req)
{
    gqlx_multipart_limits lim;
    gqlx_multipart_limits_init(&lim);
    lim.maximum_file_size = ep->opts.maximum_file_size;
    lim.maximum_file_count = ep->opts.maximum_file_count;
    lim.upload_memory_limit = ep->opts.upload_memory_limit;
    return gqlx_multipart_new(gqlx_http_header(req, "Content-Type"), &lim);
}

/* Runs when the headers are complete: answers what they already decide,
 * and streams a multipart body into the parser instead of memory. */
static void ep_begin(gql_http_request *req, void *data)
{
    gqlx_endpoint *ep = data;
    gqlx_response_type media;
    gqlx_body_kind kind;
    if (!check_headers(ep, req, &media, &kind))
        return;
    if (kind != GQLX_BODY_MULTIPART || !ep->opts.read_form_on_post)
        return;
    ep_upload *u = gqlx_arena_alloc(&req->arena, sizeof *u, _Alignof(ep_upload));
    gqlx_multipart *mp = u != NULL ? new_multipart(ep, req) : NULL;
    if (mp == NULL) {
        respond_error(req, 500, media, "Out of memory.");
        return;
    }
    int st = gqlx_multipart_status(mp);
    if (st != 0) {
        respond_error(req, st, media, gqlx_multipart_error(mp));
        gqlx_multipart_free(mp);
        return;
    }
    u->mp = mp;
    u->req = req;
    u->media = media;
    req->sink.write = upload_write;
    req->sink.finish = upload_finish;
    req->sink.state = u;
    req->on_free = upload_release;
    req->on_free_arg = u;
}

/* The multipart parser of a request: the sink's, or one made now from the
 * buffered body (when the connection layer did not stream it). Returns 0
 * or an HTTP status with *message. */
static int request_multipart(ep_request *r, gqlx_multipart **out, const char **message)
{
    gql_http_request *req = r->req;
    *message = "Out of memory.";
    if (req->sink.write == upload_write) {
        r->upload = req->sink.state;
        *out = r->upload->mp;
        return *out != NULL ? 0 : 500;
    }
    gqlx_multipart *mp = new_multipart(r->ep, req);
    if (mp == NULL)
        return 500;
    r->own_mp = mp;
    int st = gqlx_multipart_write(mp, req->body, req->body_len);
    if (st == 0)
        st = gqlx_multipart_finish(mp);
    if (st != 0)
        *message = gqlx_multipart_error(mp);
    *out = mp;
    return st;
}

static bool multipart_field(void *ctx, const char *name, gqlx_slice *value)
{
    size_t len = 0;
    const char *v = gqlx_upload_form_field(ctx, name, &len);
    if (v == NULL)
        return false;
    *value = gqlx_slice_make(v, len);
    return true;
}

/* Points in at a multipart form's request: its "operations" (read as a
 * JSON body, with the uploads table in *ur) or its plain fields (through
 * *fields). *ur and *fields must live as long as in. Returns 0 or an HTTP
 * status with *message. */
static int read_multipart(ep_request *r, gqlx_params_input *in, gqlx_params_fields *fields,
                          gqlx_upload_request *ur, const char **message)
{
    gqlx_multipart *mp = NULL;
    int st = request_multipart(r, &mp, message);
    if (st != 0)
        return st;
    st = gqlx_upload_request_build(&r->req->arena, mp, ur);
    if (st != 0) {
        *message = ur->message;
        return st;
    }
    if (ur->operations != NULL) {
        in->body = ur->operations;
        in->body_len = ur->operations_len;
    } else {
        fields->get = multipart_field;
        fields->ctx = mp;
        in->fields = fields;
    }
    return 0;
}

/* ---- executing and answering ----------------------------------------------------------- */

/* The HTTP status of one GraphQL response (not a refused operation).
 *
 * Requests that produced no data (syntax, validation, variables, limits):
 * with application/graphql-response+json, 400 (422 for documents that do
 * not parse or validate with draft_status_codes), as that media type
 * requires; with application/json, 200, as the GraphQL-over-HTTP
 * specification recommends for well-formed requests and legacy clients
 * expect, unless validation_errors_return_bad_request is 2 or more.
 * validation_errors_return_bad_request 0 answers 200 for both. */
static int response_status(const gqlx_endpoint *ep, gqlx_response_type media, int st)
{
    if (st == GQL_OK)
        return 200;
    if (st == GQL_ENOMEM)
        return 500;
    int v = ep->opts.validation_errors_return_bad_request;
    bool bad = media == GQLX_RESPONSE_GRAPHQL ? v != 0 : v >= 2;
    if (!bad)
        return 200;
    if (ep->opts.draft_status_codes && (st == GQL_ESYNTAX || st == GQL_EVALIDATION))
        return 422;
    return 400;
}

/* Frees what the request holds outside its arena: the responses not
 * being sent and, unless keep_uploads, the uploads. */
static void finish_request(ep_request *r, bool keep_uploads)
{
    for (size_t i = 0; i < r->count; i++) {
        gql_response_free(r->items[i].resp);
        r->items[i].resp = NULL;
    }
    if (keep_uploads)
        return;
    gqlx_multipart_free(r->own_mp);
    r->own_mp = NULL;
    if (r->upload != NULL)
        upload_release(r->upload);
}

/* Runs once the response is written (or dropped): the request's arena is
 * still there. */
static void release_sent(void *arg)
{
    ep_request *r = arg;
    gql_response_free(r->sent_resp);
    r->sent_resp = NULL;
    gqlx_free(r->sent_body);
    r->sent_body = NULL;
    finish_request(r, false);
}

/* Answers with an error message and frees everything at once. */
static void respond_failure(ep_request *r, int status, const char *message)
{
    finish_request(r, false);
    respond_error(r->req, status, r->media, message);
}

static void respond_single(ep_request *r)
{
    gql_http_request *req = r->req;
    ep_item *it = &r->items[0];
    gql_response *resp = it->resp;
    if (resp == NULL) {
        respond_failure(r, 500, "Out of memory.");
        return;
    }
    int st = gql_response_status(resp);
    if (st == GQL_EOPERATION) {
        /* Refused before execution: the refusal is about the transport,
         * so it is worded for HTTP. */
        if (is_get(req)) {
            finish_request(r, false);
            respond_405(req, r->media, allowed_methods(r->ep, "GET"),
                        "Only query operations can be sent with GET: send mutations with POST, "
                        "and subscriptions over a WebSocket.");
        } else {
            respond_failure(r, 400,
                            "Subscription operations are not supported over HTTP: use a "
                            "WebSocket connection (graphql-transport-ws or graphql-ws).");
        }
        return;
    }
    size_t len = 0;
    const char *json = gql_response_json(resp, &len);
    it->resp = NULL; /* the response now belongs to the write */
    r->sent_resp = resp;
    if (gqlx_http_respond_owned(req, response_status(r->ep, r->media, st),
                                gqlx_media_response_content_type(r->media), json, len,
                                GQLX_RESP_NO_STORE, release_sent, r) != GQL_OK)
        release_sent(r);
}

static void respond_batch(ep_request *r)
{
    gqlx_buf b;
    gqlx_buf_init(&b, 0);
    gqlx_buf_putc(&b, '[');
    for (size_t i = 0; i < r->count; i++) {
        if (i > 0)
            gqlx_buf_putc(&b, ',');
        size_t len = 0;
        const char *json = r->items[i].resp ? gql_response_json(r->items[i].resp, &len) : NULL;
        if (json != NULL)
            gqlx_buf_append(&b, json, len);
        else
            gqlx_buf_append_cstr(&b, "{\"errors\":[{\"message\":\"Out of memory.\"}]}");
    }
    gqlx_buf_putc(&b, ']');
    if (b.failed) {
        gqlx_buf_free(&b);
        respond_failure(r, 500, "Out of memory.");
        return;
    }
    finish_request(r, true);
    size_t len;
    r->sent_body = gqlx_buf_detach(&b, &len);
    if (gqlx_http_respond_owned(r->req, 200, gqlx_media_response_content_type(r->media),
                                r->sent_body, len, GQLX_RESP_NO_STORE, release_sent, r) != GQL_OK)
        release_sent(r);
}

static void pump(ep_request *r);

static void on_done(gql_response *resp, void *arg)
{
    ep_item *it = arg;
    it->resp = resp;
    it->done = true;
    it->r->finished++;
    pump(it->r);
}

static void poll_execution(void *arg)
{
    gql_execution_poll(arg);
}

/* Called from any thread when a pending value arrived: the execution
 * continues on the request's loop. */
static void on_wake(gql_execution *x, void *arg)
{
    ep_item *it = arg;
    gql_http_request *req = it->r->req;
    if (gqlx_worker_post(req->worker, poll_execution, x) != GQL_OK)
        gqlx_server_log(req->server,
                        "graphql: a pending value could not be delivered (out of memory); the "
                        "request will time out");
}

/* Starts what may start (every request of a parallel batch, else the
 * next once the previous is done) and answers once all are done.
 * Executions may complete inside gql_execute_async: pump then only
 * counts them, and its loop goes on. */
static void pump(ep_request *r)
{
    if (r->pumping)
        return;
    r->pumping = true;
    bool parallel = r->ep->opts.execute_batched_requests_in_parallel != 0;
    while (r->started < r->count && (parallel || r->finished == r->started)) {
        ep_item *it = &r->items[r->started++];
        int rc =
            gql_execute_async(r->ep->schema, &it->greq, &r->ep->exec, on_done, on_wake, it, NULL);
        if (rc != GQL_OK) { /* done will not be called */
            it->done = true;
            r->finished++;
        }
    }
    r->pumping = false;
    if (r->finished == r->count && !r->req->responded) {
        if (r->batch)
            respond_batch(r);
        else
            respond_single(r);
    }
}

static void ep_handle(gql_http_request *req, void *data)
{
    gqlx_endpoint *ep = data;
    if (req->responded)
        return;
    gqlx_response_type media;
    gqlx_body_kind kind;
    if (!check_headers(ep, req, &media, &kind))
        return;
    ep_request *r = GQLX_NEW(&req->arena, ep_request);
    if (r == NULL) {
        respond_error(req, 500, media, "Out of memory.");
        return;
    }
    r->ep = ep;
    r->req = req;
    r->media = media;

    gqlx_params_input in = {is_post(req), kind,          req->query, strlen(req->query),
                            req->body,    req->body_len, NULL};
    gqlx_upload_request ur = {0};
    gqlx_params_fields fields;
    int st = 0;
    const char *message = NULL;
    if (in.post && kind == GQLX_BODY_MULTIPART && ep->opts.read_form_on_post)
        st = read_multipart(r, &in, &fields, &ur, &message);
    gqlx_params params;
    if (st == 0) {
        st = gqlx_params_extract(&req->arena, &in, &ep->params, &params);
        message = params.message;
    }
    if (st != 0) {
        respond_failure(r, st, message != NULL ? message : "Bad request.");
        return;
    }

    r->count = params.count;
    r->batch = params.batch;
    r->items = GQLX_ARRAY(&req->arena, ep_item, r->count);
    if (r->items == NULL) {
        respond_failure(r, 500, "Out of memory.");
        return;
    }
    unsigned refuse = GQL_OP_SUBSCRIPTION | (is_get(req) ? GQL_OP_MUTATION : 0u);
    for (size_t i = 0; i < r->count; i++) {
        const gqlx_gql_params *p = &params.items[i];
        ep_item *it = &r->items[i];
        memset(it, 0, sizeof *it);
        it->r = r;
        gql_request_init(&it->greq);
        it->greq.query = p->query;
        it->greq.query_len = p->query_len;
        it->greq.operation_name = p->operation_name;
        it->greq.variables_json = (const gql_json *)(const void *)p->variables;
        it->greq.root = ep->opts.root;
        it->greq.context = ep->opts.context;
        it->greq.user = req->user;
        it->greq.uploads = ur.uploads;
        it->greq.upload_count = ur.upload_count;
        it->greq.refuse_operations = refuse;
    }
    pump(r);
}

gqlx_route_handler gqlx_endpoint_handler(gqlx_endpoint *ep)
{
    gqlx_route_handler h = {ep_begin, ep_handle, ep};
    return h;
}
