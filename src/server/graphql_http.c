/* src/server/graphql_http.c — a GraphQL endpoint's requests: GraphQL over
 * HTTP as the GraphQL-over-HTTP specification and the graphql-http audit
 * describe it, with the options of the seed (GET and POST, batches, forms
 * and uploads, CSRF protection), executing on the worker's loop.
 *
 * One HTTP request goes through: method, Accept, CSRF protection,
 * authentication and the endpoint's own authorization rule (all from the
 * headers, so answered before a body is read), then the body's
 * parameters, then execution of the one request or of every request of a
 * batch, then one response: a GraphQL response is sent as the engine wrote
 * it, without a copy; a batch's responses are joined into one array. */
#include "server/graphql_http.h"

#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "gql/status.h"
#include "server/graphql_endpoint.h"
#include "server/media_type.h"
#include "server/multipart.h"
#include "server/ui.h"
#include "server/upload_request.h"

/* ---- one HTTP request ------------------------------------------------------------- */

typedef struct ep_request ep_request;

/* One GraphQL request of the HTTP request (a batch has several). */
typedef struct ep_item {
    ep_request *r;
    gql_request greq;
    gql_response *resp; /* NULL until done, or when none could be made */
} ep_item;

/* A multipart body being received: the sink's state; the parser is
 * released by the request's on_free (or early, once its body failed). */
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

/* The CSRF rule of the seed, exactly: a POST whose Content-Type makes
 * browsers send a preflight (present, and not form, multipart or plain
 * text) is safe, and so is any request carrying a non-empty header from
 * the configured list (a header only scripts can add, which again makes
 * browsers ask first). Everything else, plain GETs included, is refused:
 * a GET's response cannot be read by another origin, but running it can
 * still leak timing or load the server on the victim's credentials. */
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
    return false;
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

/* What ep_begin read from the headers, so ep_handle need not again. */
typedef struct ep_checked {
    bool upgrade; /* a WebSocket upgrade: ep_handle hands it over */
    gqlx_response_type media;
    gqlx_body_kind kind;
    gqlx_auth_result auth; /* who sent it; released with the request */
    ep_upload *upload;     /* a multipart body's parser, or NULL */
} ep_checked;

/* The request's on_free: what ep_begin kept outside the arena. */
static void checked_release(void *arg)
{
    ep_checked *ck = arg;
    if (ck->upload != NULL)
        upload_release(ck->upload);
    gqlx_auth_result_free(&ck->auth);
}

/* Authentication and the endpoint's rule, before the body is read or the
 * document parsed (the seed's order): the principal found is kept in
 * ck for every request of the body. Returns false when it answered. */
static bool check_auth(gqlx_endpoint *ep, gql_http_request *req, ep_checked *ck)
{
    const gqlx_auth *a = &ep->auth;
    if (!gqlx_auth_reads_credentials(a) && !gqlx_auth_has_rule(a))
        return true;
    const char *ct = gqlx_media_response_content_type(ck->media);
    int rc = gqlx_auth_http(a, req, &ck->auth);
    if (ck->auth.owned != NULL) {
        req->on_free = checked_release;
        req->on_free_arg = ck;
    }
    if (rc == GQL_EUNAUTHENTICATED) {
        gqlx_auth_respond(a, req, 401, ct, ck->auth.reason);
        return false;
    }
    if (rc != GQL_OK) {
        respond_error(req, 500, ck->media,
                      rc == GQL_ENOMEM ? "Out of memory." : "Authentication failed.");
        return false;
    }
    rc = gqlx_auth_check(a, ck->auth.principal, req->user);
    if (rc != GQL_OK) {
        gqlx_auth_respond(a, req, rc == GQL_EUNAUTHENTICATED ? 401 : 403, ct, NULL);
        return false;
    }
    return true;
}

/* Runs when the headers are complete: answers what they already decide,
 * and streams a multipart body into the parser instead of memory. The
 * parser lives until the request is freed (on_free), so uploads stay
 * readable until the response is written. */
static void ep_begin(gql_http_request *req, void *data)
{
    gqlx_endpoint *ep = data;
    /* A browser opening the endpoint gets the GraphiQL page (ui.c). */
    if (gqlx_ui_endpoint_page(req, ep->path))
        return;
    ep_checked *ck = GQLX_NEW(&req->arena, ep_checked);
    if (ck == NULL) {
        respond_error(req, 500, GQLX_RESPONSE_JSON, "Out of memory.");
        return;
    }
    req->route_state = ck;
    ck->upgrade = gqlx_ws_endpoint_wants(ep->ws, req);
    if (ck->upgrade || !check_headers(ep, req, &ck->media, &ck->kind) || !check_auth(ep, req, ck))
        return;
    gqlx_response_type media = ck->media;
    if (ck->kind != GQLX_BODY_MULTIPART || !ep->opts.read_form_on_post)
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
    ck->upload = u;
    req->on_free = checked_release;
    req->on_free_arg = ck;
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
static int read_multipart(gql_http_request *req, gqlx_params_input *in, gqlx_params_fields *fields,
                          gqlx_upload_request *ur, const char **message)
{
    /* ep_begin streamed the body into its parser (it runs first, and a
     * refused body was answered there). */
    ep_upload *u = req->sink.write == upload_write ? req->sink.state : NULL;
    gqlx_multipart *mp = u != NULL ? u->mp : NULL;
    if (mp == NULL) {
        *message = "Out of memory.";
        return 500;
    }
    int st = gqlx_upload_request_build(&req->arena, mp, ur);
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
    /* Denied by the schema's rules: the status says so for both media
     * types, as it does for the endpoint's own rule. */
    if (st == GQL_EUNAUTHENTICATED)
        return 401;
    if (st == GQL_EFORBIDDEN)
        return 403;
    int v = ep->opts.validation_errors_return_bad_request;
    bool bad = media == GQLX_RESPONSE_GRAPHQL ? v != 0 : v >= 2;
    if (!bad)
        return 200;
    if (ep->opts.draft_status_codes && (st == GQL_ESYNTAX || st == GQL_EVALIDATION))
        return 422;
    return 400;
}

/* Frees the engine responses not being sent (the uploads go with the
 * request: on_free). */
static void free_responses(ep_request *r)
{
    for (size_t i = 0; i < r->count; i++) {
        gql_response_free(r->items[i].resp);
        r->items[i].resp = NULL;
    }
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
}

/* Answers with an error message (copied at once) and frees the
 * responses. */
static void respond_failure(ep_request *r, int status, const char *message)
{
    respond_error(r->req, status, r->media, message);
    free_responses(r);
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
            free_responses(r);
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
    if (st == GQL_EUNAUTHENTICATED)
        gqlx_auth_challenge(&r->ep->auth, req, NULL);
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
    free_responses(r);
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
    int rc = gqlx_worker_post(req->worker, poll_execution, x);
    if (rc != GQL_OK) /* out of memory, or the worker has stopped */
        gqlx_server_log(req->server, "graphql: a pending value could not be delivered: %s",
                        gql_strerror(rc));
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
        if (rc != GQL_OK) /* done will not be called */
            r->finished++;
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
    const ep_checked *ck = req->route_state;
    if (req->responded || ck == NULL)
        return;
    if (ck->upgrade) {
        gqlx_ws_endpoint_upgrade(ep->ws, req);
        return;
    }
    gqlx_response_type media = ck->media;
    gqlx_body_kind kind = ck->kind;
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
        st = read_multipart(req, &in, &fields, &ur, &message);
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
        it->greq.principal = ck->auth.principal;
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
