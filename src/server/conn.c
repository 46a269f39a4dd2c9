/* src/server/conn.c — the HTTP/1.1 connection engine: llhttp fed from
 * the input buffer, the limits on requests, prefix, CORS preflight, hooks
 * and routing when the headers are complete, the body into the request
 * arena (or a route's sink), and the one place responses are written:
 * status line, Date, length, encoding, security and CORS headers. */
#include "server/conn.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <uv.h>

#include "core/alloc.h"
#include "core/json.h"
#include "core/limits.h"
#include "gql/status.h"
#include "server/compress.h"
#include "server/cors.h"
#include "server/reason.h"
#include "server/server_internal.h"
#include "server/url.h"
#include "server/worker.h"
#include "server/ws_conn.h"

/* Bytes the input buffer offers each read. */
#define READ_CHUNK (16u * 1024u)

static const char CONTINUE_100[] = "HTTP/1.1 100 Continue\r\n\r\n";

static void process(gqlx_conn *c);
static void send_response(gqlx_conn *c);
static void compact_input(gqlx_conn *c);

static gqlx_req_slot *slot_of(gql_http_request *req)
{
    return (gqlx_req_slot *)req;
}

static const gql_server_opts *opts_of(const gqlx_conn *c)
{
    return &c->srv->opts;
}

static void set_timer(gqlx_conn *c, uint64_t ms)
{
    c->io->timer(c, ms);
}

/* ---- requests ----------------------------------------------------------- */

static bool new_request(gqlx_conn *c)
{
    gql_http_request *req = gqlx_worker_request_new(c->worker);
    if (req == NULL)
        return false;
    gqlx_req_slot *s = slot_of(req);
    req->conn = c;
    req->method = req->target = req->path = req->query = "";
    req->start_ns = c->req_start_ns != 0 ? c->req_start_ns : uv_hrtime();
    req->http_minor = 1;
    req->keep_alive = true;
    _Static_assert(sizeof req->remote_addr == sizeof c->remote_addr, "same-sized addresses");
    memcpy(req->remote_addr, c->remote_addr, sizeof req->remote_addr);
    s->counted = true;
    gqlx_metrics_request_start(&c->worker->metrics);
    c->req = req;
    c->body_seen = 0;
    return true;
}

/* Counts a request as done in the metrics (once), and when it was
 * answered runs the after hooks and the access log. */
static void request_account(gql_http_request *req, size_t bytes, bool answered)
{
    gqlx_req_slot *s = slot_of(req);
    gqlx_worker *w = req->worker;
    gql_server *srv = req->server;
    uint64_t now = uv_hrtime();
    unsigned long long micros = now > req->start_ns ? (now - req->start_ns) / 1000u : 0;
    /* 499: the client went away before an answer (nginx's convention). */
    int status = req->responded ? req->status : 499;
    if (s->counted)
        gqlx_metrics_request_end(&w->metrics, status, micros);
    s->counted = false;
    if (answered && req->responded) {
        for (size_t i = 0; i < srv->after_count; i++)
            srv->after[i].fn(req, status, bytes, micros, srv->after[i].data);
        if (srv->opts.access_log)
            gqlx_access_log(req, status, bytes, micros);
    }
}

/* Releases the response body the handler lent (once). */
static void release_body(gql_http_request *req)
{
    if (req->resp_release != NULL) {
        void (*release)(void *) = req->resp_release;
        req->resp_release = NULL;
        release(req->resp_release_arg);
    }
}

void gqlx_request_finish(gql_http_request *req, size_t bytes, bool answered)
{
    gqlx_worker *w = req->worker;
    release_body(req);
    request_account(req, bytes, answered);
    if (req->on_free != NULL) {
        void (*on_free)(void *) = req->on_free;
        req->on_free = NULL;
        on_free(req->on_free_arg);
    }
    gqlx_worker_request_free(w, req);
}

/* ---- closing and failing -------------------------------------------------- */

static void conn_close(gqlx_conn *c, bool linger)
{
    if (c->state == GQLX_CONN_CLOSED)
        return;
    gqlx_conn_state was = c->state;
    c->state = GQLX_CONN_CLOSED;
    set_timer(c, 0);
    gql_http_request *req = c->req;
    if (req != NULL && was != GQLX_CONN_WRITING) {
        /* A request being written is finished by its write callback. */
        c->req = NULL;
        req->conn = NULL;
        if (was == GQLX_CONN_HANDLING && !req->responded) {
            /* Its handler is still at work (asynchronous GraphQL): it
             * stays alive, orphaned, until it answers. */
        } else {
            gqlx_request_finish(req, 0, false);
        }
    }
    c->io->close(c, linger);
}

void gqlx_conn_close(gqlx_conn *c, bool linger)
{
    conn_close(c, linger);
}

/* The message of an error answer: the body sink's own when it failed
 * and has one, else the status's reason phrase. */
static const char *fail_message(gqlx_conn *c, int status)
{
    gql_http_request *req = c->req;
    const char *m = NULL;
    if (c->sink_failed && req->sink.message != NULL)
        m = req->sink.message(req->sink.state);
    return m != NULL ? m : gqlx_http_reason(status);
}

/* Answers the request being read with an error status and closes the
 * connection afterwards: the rest of the request cannot be trusted. */
static void conn_fail(gqlx_conn *c, int status)
{
    if (c->state == GQLX_CONN_CLOSED)
        return;
    if (status < 0 || c->state == GQLX_CONN_HANDLING || c->state == GQLX_CONN_WRITING ||
        (c->req == NULL && !new_request(c))) {
        conn_close(c, false);
        return;
    }
    gql_http_request *req = c->req;
    if (req->responded) {
        /* An early answer (a hook's 401) gives way to the error. */
        release_body(req);
        req->responded = false;
        gqlx_buf_clear(&req->resp_headers);
    }
    req->keep_alive = false;
    c->close_after = true;
    c->discard_body = true;
    gqlx_http_respond_error(req, status, NULL, fail_message(c, status));
    c->sink_failed = false;
    if (!req->responded) {
        conn_close(c, false);
        return;
    }
    c->state = GQLX_CONN_HANDLING;
    send_response(c);
}

/* ---- parser callbacks ----------------------------------------------------- */

/* Trailer bytes count against the header limit too (the head itself is
 * bounded in process()). */
static bool count_trailer_bytes(gqlx_conn *c, size_t n)
{
    c->header_bytes += n;
    if (c->header_bytes > opts_of(c)->max_header_size) {
        c->fail_status = 431;
        return false;
    }
    return true;
}

static int on_message_begin(llhttp_t *p)
{
    gqlx_conn *c = p->data;
    if (c->req == NULL && !new_request(c)) {
        c->fail_status = -1;
        return -1;
    }
    gqlx_buf_clear(&c->hdr);
    c->nspans = 0;
    c->url_len = 0;
    c->in_value = false;
    c->headers_done = false;
    c->discard_body = false;
    c->early_send = false;
    return 0;
}

static int on_url(llhttp_t *p, const char *at, size_t len)
{
    gqlx_conn *c = p->data;
    gqlx_buf_append(&c->hdr, at, len);
    c->url_len += len;
    return 0;
}

static int on_header_field(llhttp_t *p, const char *at, size_t len)
{
    gqlx_conn *c = p->data;
    if (c->headers_done) /* trailers: read and dropped */
        return count_trailer_bytes(c, len) ? 0 : -1;
    if (c->nspans == 0 || c->in_value) {
        if (c->nspans == GQLX_MAX_REQUEST_HEADERS) {
            c->fail_status = 431;
            return -1;
        }
        if (c->nspans == c->spans_cap) {
            size_t cap = c->spans_cap ? c->spans_cap * 2 : 16;
            gqlx_hdr_span *grown = gqlx_realloc(c->spans, cap * sizeof *grown);
            if (grown == NULL) {
                c->fail_status = -1;
                return -1;
            }
            c->spans = grown;
            c->spans_cap = cap;
        }
        gqlx_hdr_span *s = &c->spans[c->nspans++];
        s->name_off = c->hdr.len;
        s->name_len = 0;
        s->value_off = c->hdr.len;
        s->value_len = 0;
        c->in_value = false;
    }
    gqlx_buf_append(&c->hdr, at, len);
    c->spans[c->nspans - 1].name_len += len;
    return 0;
}

static int on_header_value(llhttp_t *p, const char *at, size_t len)
{
    gqlx_conn *c = p->data;
    if (c->headers_done)
        return count_trailer_bytes(c, len) ? 0 : -1;
    if (c->nspans == 0)
        return 0;
    gqlx_hdr_span *s = &c->spans[c->nspans - 1];
    if (!c->in_value) {
        s->value_off = c->hdr.len;
        s->value_len = 0;
        c->in_value = true;
    }
    gqlx_buf_append(&c->hdr, at, len);
    s->value_len += len;
    return 0;
}

/* Splits the target into path and query (origin form "/p?q", absolute
 * form "http://h/p?q", "*" and authority forms kept whole as the path,
 * which no route matches). Returns false when memory runs out or an
 * absolute form does not parse. */
static bool split_target(gql_http_request *req, const char *t, size_t n)
{
    gqlx_arena *a = &req->arena;
    const char *path = t, *query = NULL;
    size_t path_len = n, query_len = 0;
    size_t i = 0;
    bool absolute =
        n > 7 && (strncasecmp(t, "http://", 7) == 0 || strncasecmp(t, "https://", 8) == 0);
    if (absolute) {
        /* Scheme "://" authority: skipped; an empty authority is refused. */
        size_t host = i = t[4] == ':' ? 7 : 8;
        while (i < n && t[i] != '/' && t[i] != '?' && t[i] != '#')
            i++;
        if (i == host)
            return false;
    }
    if (absolute || (n > 0 && t[0] == '/')) {
        size_t p0 = i;
        while (i < n && t[i] != '?' && t[i] != '#')
            i++;
        path = i > p0 ? t + p0 : "/";
        path_len = i > p0 ? i - p0 : 1;
        if (i < n && t[i] == '?') {
            size_t j = i + 1;
            while (j < n && t[j] != '#')
                j++;
            query = t + i + 1;
            query_len = j - i - 1;
        }
    }
    char *p = gqlx_arena_strndup(a, path, path_len);
    char *q = query != NULL ? gqlx_arena_strndup(a, query, query_len) : NULL;
    if (p == NULL || (query != NULL && q == NULL))
        return false;
    req->path = p;
    req->query = q != NULL ? q : "";
    return true;
}

/* Strips the server's path prefix from req->path; marks the request as
 * outside when the path does not start with it. */
static void strip_prefix(gqlx_conn *c, gql_http_request *req)
{
    size_t n = c->srv->prefix_len;
    if (n == 0)
        return;
    const char *pre = c->srv->opts.path_prefix;
    if (strncmp(req->path, pre, n) != 0 || (req->path[n] != '/' && req->path[n] != '\0')) {
        slot_of(req)->outside = true;
        return;
    }
    req->path = req->path[n] == '\0' ? "/" : req->path + n;
}

/* Decodes the query string's parameters once ('+' as space); pairs with
 * a malformed escape are left out. */
static bool decode_query(gql_http_request *req)
{
    gqlx_req_slot *s = slot_of(req);
    size_t len = strlen(req->query), pos = 0, n = 0;
    gqlx_slice name, value;
    while (gqlx_query_next(req->query, len, &pos, &name, &value))
        n++;
    if (n == 0)
        return true;
    gqlx_http_field *f = GQLX_ARRAY(&req->arena, gqlx_http_field, n);
    if (f == NULL)
        return false;
    size_t k = 0;
    pos = 0;
    while (gqlx_query_next(req->query, len, &pos, &name, &value)) {
        char *nb = gqlx_arena_alloc(&req->arena, name.len + 1, 1);
        char *vb = gqlx_arena_alloc(&req->arena, value.len + 1, 1);
        if (nb == NULL || vb == NULL)
            return false;
        size_t nl = gqlx_url_decode(nb, name.ptr, name.len, true);
        size_t vl = gqlx_url_decode(vb, value.ptr, value.len, true);
        if (nl == (size_t)-1 || vl == (size_t)-1)
            continue;
        nb[nl] = '\0';
        vb[vl] = '\0';
        f[k].name = gqlx_slice_make(nb, nl);
        f[k].value = gqlx_slice_make(vb, vl);
        k++;
    }
    s->query_params = f;
    s->query_param_count = k;
    return true;
}

/* Copies the headers into the arena, joining repeated names with ", ". */
static bool copy_headers(gqlx_conn *c, gql_http_request *req)
{
    gqlx_arena *a = &req->arena;
    if (c->nspans == 0)
        return true;
    gqlx_http_field *f = GQLX_ARRAY(a, gqlx_http_field, c->nspans);
    if (f == NULL)
        return false;
    size_t n = 0;
    for (size_t i = 0; i < c->nspans; i++) {
        const gqlx_hdr_span *s = &c->spans[i];
        const char *name = c->hdr.data + s->name_off;
        const char *value = c->hdr.data + s->value_off;
        size_t vlen = s->value_len;
        while (vlen > 0 && (value[vlen - 1] == ' ' || value[vlen - 1] == '\t'))
            vlen--;
        size_t j = 0;
        while (j < n && !(f[j].name.len == s->name_len &&
                          strncasecmp(f[j].name.ptr, name, s->name_len) == 0))
            j++;
        if (j < n) {
            size_t total = f[j].value.len + 2 + vlen;
            char *joined = gqlx_arena_alloc(a, total + 1, 1);
            if (joined == NULL)
                return false;
            memcpy(joined, f[j].value.ptr, f[j].value.len);
            memcpy(joined + f[j].value.len, ", ", 2);
            memcpy(joined + f[j].value.len + 2, value, vlen);
            joined[total] = '\0';
            f[j].value = gqlx_slice_make(joined, total);
            continue;
        }
        char *nc = gqlx_arena_strndup(a, name, s->name_len);
        char *vc = gqlx_arena_strndup(a, value, vlen);
        if (nc == NULL || vc == NULL)
            return false;
        f[n].name = gqlx_slice_make(nc, s->name_len);
        f[n].value = gqlx_slice_make(vc, vlen);
        n++;
    }
    req->headers = f;
    req->header_count = n;
    return true;
}

/* Everything that happens when the headers are complete: the request's
 * fields, then prefix, CORS preflight, before hooks, user builder,
 * routing and the route's begin. */
static int build_request(gqlx_conn *c, llhttp_t *p)
{
    gql_http_request *req = c->req;
    if (c->hdr.failed)
        return -1;
    req->method = llhttp_method_name((llhttp_method_t)p->method);
    char *target = gqlx_arena_strndup(&req->arena, c->hdr.data ? c->hdr.data : "", c->url_len);
    if (target == NULL)
        return 500;
    req->target = target;
    if (!split_target(req, target, c->url_len))
        return gqlx_arena_failed(&req->arena) ? 500 : 400;
    strip_prefix(c, req);
    if (!copy_headers(c, req) || !decode_query(req))
        return 500;
    req->http_minor = p->http_minor;
    req->keep_alive = llhttp_should_keep_alive(p) != 0 && p->upgrade == 0;
    return 0;
}

static void dispatch_begin(gqlx_conn *c)
{
    gql_http_request *req = c->req;
    gqlx_req_slot *s = slot_of(req);
    gql_server *srv = c->srv;
    if (s->outside) {
        gqlx_http_respond_error(req, 404, NULL, "Not Found");
        return;
    }
    if (strcmp(req->method, "OPTIONS") == 0 &&
        gqlx_cors_preflight(&srv->cors, req, &req->resp_headers)) {
        s->preflight = true;
        gqlx_http_respond_owned(req, 204, NULL, NULL, 0, 0, NULL, NULL);
        return;
    }
    for (size_t i = 0; i < srv->before_count; i++) {
        int stop = srv->before[i].fn(req, srv->before[i].data);
        if (req->responded)
            return;
        if (stop) {
            gqlx_http_respond_error(req, 500, NULL, "Internal Server Error");
            return;
        }
    }
    if (srv->user != NULL && c->parser.upgrade) {
        /* A WebSocket lives on with its user, not with the rest of this
         * request's memory: what the builder allocates goes apart. */
        gqlx_arena main = req->arena;
        gqlx_arena_init(&req->arena, GQLX_USER_ARENA_CHUNK_BYTES, main.cap);
        req->user = srv->user(req, srv->user_data);
        s->user_arena = req->arena;
        s->has_user_arena = true;
        req->arena = main;
        if (req->responded)
            return;
    } else if (srv->user != NULL) {
        req->user = srv->user(req, srv->user_data);
        if (req->responded)
            return;
    }
    gqlx_route_match m;
    int st = gqlx_router_match(&srv->router, req->method, req->path, &req->arena, &m);
    switch (st) {
    case 200:
        s->route = m.route;
        req->params = m.params;
        req->param_count = m.param_count;
        break;
    case 405:
        gql_http_add_header(req, "Allow", m.allow);
        gqlx_http_respond_error(req, 405, NULL, "Method Not Allowed");
        return;
    case 404:
        gqlx_http_respond_error(req, 404, NULL, "Not Found");
        return;
    case 400:
        gqlx_http_respond_error(req, 400, NULL, "Malformed percent-encoding in the path");
        return;
    default:
        gqlx_http_respond_error(req, 500, NULL, "Internal Server Error");
        return;
    }
    if (s->route->handler.begin != NULL)
        s->route->handler.begin(req, s->route->handler.data);
}

static bool token_is(const char *v, const char *token)
{
    while (*v == ' ' || *v == '\t')
        v++;
    size_t n = strlen(token);
    if (strncasecmp(v, token, n) != 0)
        return false;
    v += n;
    while (*v == ' ' || *v == '\t')
        v++;
    return *v == '\0';
}

static int on_headers_complete(llhttp_t *p)
{
    gqlx_conn *c = p->data;
    const gql_server_opts *o = opts_of(c);
    c->headers_done = true;
    c->header_bytes = 0; /* from here it counts trailers */
    int st = build_request(c, p);
    if (st != 0) {
        c->fail_status = st;
        return -1;
    }
    gql_http_request *req = c->req;

    /* Only "chunked" is understood; any other coding would hand the
     * handler bytes it cannot read. */
    const char *te = gqlx_http_header(req, "Transfer-Encoding");
    if (te != NULL && !token_is(te, "chunked")) {
        c->fail_status = 501;
        return -1;
    }
    bool has_length = (p->flags & F_CONTENT_LENGTH) != 0;
    bool too_large = has_length && p->content_length > o->max_body_size;
    bool has_body = (p->flags & F_CHUNKED) != 0 || (has_length && p->content_length > 0);
    bool expect_continue = false;
    const char *expect = req->http_minor >= 1 ? gqlx_http_header(req, "Expect") : NULL;
    if (expect != NULL) {
        /* A client that asks before sending learns that its body will
         * not be taken without sending it (417), as it does for an
         * expectation the server does not know. */
        if (!token_is(expect, "100-continue") || too_large) {
            c->fail_status = 417;
            return -1;
        }
        expect_continue = has_body;
    }
    if (too_large) {
        c->fail_status = 413;
        return -1;
    }

    c->state = GQLX_CONN_BODY;
    if (o->request_timeout_ms > 0) {
        uint64_t spent = (uv_hrtime() - c->req_start_ns) / 1000000u;
        uint64_t left = spent < o->request_timeout_ms ? o->request_timeout_ms - spent : 1;
        set_timer(c, left);
    } else {
        set_timer(c, 0);
    }

    dispatch_begin(c);
    if (c->state == GQLX_CONN_CLOSED)
        return -1;
    if (!req->responded && req->sink.write == NULL && has_length && p->content_length > 0) {
        /* The announced length is within the limit: room for it once. */
        size_t cap = (size_t)p->content_length + 1;
        req->body = gqlx_arena_alloc(&req->arena, cap, 1);
        if (req->body == NULL) {
            c->fail_status = 500;
            return -1;
        }
        slot_of(req)->body_cap = cap;
    }
    if (req->responded) {
        c->discard_body = true;
        if (expect_continue) {
            /* The client waits before sending the body it announced:
             * answer now and close instead of reading a body nobody
             * wants. */
            c->early_send = true;
            return HPE_PAUSED;
        }
    } else if (expect_continue && !c->continue_out) {
        gqlx_iov iov = {CONTINUE_100, sizeof CONTINUE_100 - 1};
        c->continue_out = true;
        c->io->write(c, &iov, 1, GQLX_WRITE_CONTINUE);
    }
    return 0;
}

static int on_body(llhttp_t *p, const char *at, size_t len)
{
    gqlx_conn *c = p->data;
    gql_http_request *req = c->req;
    gqlx_req_slot *s = slot_of(req);
    c->body_seen += len;
    if (c->body_seen > opts_of(c)->max_body_size) {
        c->fail_status = 413;
        return -1;
    }
    if (c->discard_body)
        return 0;
    if (req->sink.write != NULL) {
        int st = req->sink.write(req->sink.state, at, len);
        if (st != 0) {
            c->sink_failed = true;
            c->fail_status = st;
            return -1;
        }
        return 0;
    }
    size_t need = req->body_len + len + 1;
    if (need > s->body_cap) {
        /* A chunked body: grow by doubling, within the limit. */
        size_t cap = s->body_cap ? s->body_cap * 2 : 4096;
        if (cap < need)
            cap = need;
        if (cap > opts_of(c)->max_body_size + 1)
            cap = opts_of(c)->max_body_size + 1;
        char *grown = gqlx_arena_alloc(&req->arena, cap, 1);
        if (grown == NULL) {
            c->fail_status = 500;
            return -1;
        }
        if (req->body_len > 0)
            memcpy(grown, req->body, req->body_len);
        req->body = grown;
        s->body_cap = cap;
    }
    memcpy(req->body + req->body_len, at, len);
    req->body_len += len;
    return 0;
}

static int on_message_complete(llhttp_t *p)
{
    gqlx_conn *c = p->data;
    gql_http_request *req = c->req;
    gqlx_req_slot *s = slot_of(req);
    s->complete = true;
    if (req->body == NULL) {
        req->body = gqlx_arena_alloc(&req->arena, 1, 1);
        if (req->body == NULL) {
            c->fail_status = 500;
            return -1;
        }
        req->body_len = 0;
    }
    req->body[req->body_len] = '\0';
    if (!req->responded && !c->discard_body && req->sink.finish != NULL) {
        int st = req->sink.finish(req->sink.state);
        if (st != 0) {
            c->sink_failed = true;
            gqlx_http_respond_error(req, st, NULL, fail_message(c, st));
            c->sink_failed = false;
        }
    }
    /* Parsing waits here until the response is written: requests are
     * answered in order, one at a time. */
    c->state = GQLX_CONN_HANDLING;
    return HPE_PAUSED;
}

static const llhttp_settings_t parser_settings = {
    .on_message_begin = on_message_begin,
    .on_url = on_url,
    .on_header_field = on_header_field,
    .on_header_value = on_header_value,
    .on_headers_complete = on_headers_complete,
    .on_body = on_body,
    .on_message_complete = on_message_complete,
};

/* ---- dispatch and responses ------------------------------------------------- */

static void dispatch(gqlx_conn *c)
{
    gql_http_request *req = c->req;
    gqlx_req_slot *s = slot_of(req);
    set_timer(c, 0);
    if (req->responded) {
        send_response(c);
        return;
    }
    if (s->route == NULL) {
        gqlx_http_respond_error(req, 500, NULL, "Internal Server Error");
        return;
    }
    /* req may be gone when handle returns (answered and written). */
    s->route->handler.handle(req, s->route->handler.data);
}

static bool has_header_line(const gqlx_buf *b, const char *name)
{
    size_t n = strlen(name);
    const char *p = b->data;
    if (p == NULL)
        return false;
    while (*p) {
        if (strncasecmp(p, name, n) == 0 && p[n] == ':')
            return true;
        const char *nl = strchr(p, '\n');
        if (nl == NULL)
            break;
        p = nl + 1;
    }
    return false;
}

static const char SECURITY_HEADERS[] = "X-Content-Type-Options: nosniff\r\n"
                                       "Referrer-Policy: strict-origin-when-cross-origin\r\n"
                                       "Permissions-Policy: microphone=(), camera=()\r\n";

static void append_status_line(gqlx_buf *h, int status)
{
    char code[4] = {(char)('0' + status / 100 % 10), (char)('0' + status / 10 % 10),
                    (char)('0' + status % 10), ' '};
    gqlx_buf_append(h, "HTTP/1.1 ", 9);
    gqlx_buf_append(h, code, 4);
    gqlx_buf_append_cstr(h, gqlx_http_reason(status));
    gqlx_buf_append(h, "\r\n", 2);
}

static void header_line(gqlx_buf *h, const char *name_colon, const char *value)
{
    gqlx_buf_append_cstr(h, name_colon);
    gqlx_buf_append_cstr(h, value);
    gqlx_buf_append(h, "\r\n", 2);
}

static void send_response(gqlx_conn *c)
{
    gql_http_request *req = c->req;
    gqlx_req_slot *s = slot_of(req);
    gql_server *srv = c->srv;
    const gql_server_opts *o = &srv->opts;
    int status = req->status;
    bool no_body = status < 200 || status == 204 || status == 304;
    bool head_only = strcmp(req->method, "HEAD") == 0;
    const char *body = req->resp_body;
    size_t len = no_body ? 0 : req->resp_len;

    bool keep = req->keep_alive && !c->close_after && !c->draining && !c->worker->stopping &&
                !(req->resp_flags & GQLX_RESP_CLOSE);
    if (!keep)
        c->close_after = true;

    int enc = GQLX_ENC_IDENTITY;
    bool varies = !no_body && len >= o->compress_min_size &&
                  !(req->resp_flags & GQLX_RESP_NO_COMPRESS) &&
                  (o->compress_gzip || o->compress_brotli) &&
                  !has_header_line(&req->resp_headers, "Content-Encoding");
    if (varies) {
        enc = gqlx_compress_choose(gqlx_http_header(req, "Accept-Encoding"), o->compress_gzip != 0,
                                   o->compress_brotli != 0);
        if (enc != GQLX_ENC_IDENTITY) {
            gqlx_buf_clear(&c->zbody);
            if (gqlx_compress_with(&c->worker->compressor, enc, body, len, &c->zbody) &&
                !c->zbody.failed) {
                body = c->zbody.data;
                len = c->zbody.len;
            } else {
                enc = GQLX_ENC_IDENTITY;
            }
        }
    }

    gqlx_buf *h = &c->head;
    gqlx_buf_clear(h);
    /* Appended piece by piece: formatting with printf cost more than the
     * rest of a small request's answer. */
    append_status_line(h, status);
    header_line(h, "Date: ", gqlx_worker_date(c->worker));
    if (req->content_type != NULL)
        header_line(h, "Content-Type: ", req->content_type);
    if (!no_body) {
        gqlx_buf_append(h, "Content-Length: ", 16);
        gqlx_json_write_int(h, (int64_t)len);
        gqlx_buf_append(h, "\r\n", 2);
    }
    if (enc != GQLX_ENC_IDENTITY)
        header_line(h, "Content-Encoding: ", gqlx_compress_token(enc));
    if (varies)
        gqlx_buf_append_cstr(h, "Vary: Accept-Encoding\r\n");
    if (req->resp_flags & GQLX_RESP_NO_STORE)
        gqlx_buf_append_cstr(h, "Cache-Control: no-store\r\n");
    if (o->security_headers)
        gqlx_buf_append(h, SECURITY_HEADERS, sizeof SECURITY_HEADERS - 1);
    if (!s->preflight)
        gqlx_cors_headers(&srv->cors, req, h);
    if (req->resp_headers.len > 0)
        gqlx_buf_append(h, req->resp_headers.data, req->resp_headers.len);
    if (!keep)
        gqlx_buf_append_cstr(h, "Connection: close\r\n");
    else if (req->http_minor == 0)
        gqlx_buf_append_cstr(h, "Connection: keep-alive\r\n");
    gqlx_buf_append(h, "\r\n", 2);

    c->state = GQLX_CONN_WRITING;
    if (h->failed) {
        conn_close(c, false);
        gqlx_conn_write_done(c, GQLX_WRITE_RESPONSE, UV_ENOMEM);
        return;
    }
    gqlx_iov iov[2] = {{h->data, h->len}, {body, len}};
    unsigned n = 1;
    c->sent_body = 0;
    if (!head_only && len > 0) {
        n = 2;
        c->sent_body = len;
    }
    set_timer(c, o->idle_timeout_ms);
    c->io->write(c, iov, n, GQLX_WRITE_RESPONSE);
}

void gqlx_conn_responded(gql_http_request *req)
{
    gqlx_conn *c = req->conn;
    if (c == NULL) {
        gqlx_request_finish(req, 0, true); /* an orphan: nobody to tell */
        return;
    }
    /* Before the request is complete the answer waits for the body (or
     * for the early send of an Expect: 100-continue request). */
    if (c->req == req && c->state == GQLX_CONN_HANDLING)
        send_response(c);
}

void gqlx_conn_write_done(gqlx_conn *c, int kind, int status)
{
    if (kind == GQLX_WRITE_CONTINUE) {
        c->continue_out = false;
        if (status < 0 && c->ws != NULL)
            gqlx_wsc_error(c->ws);
        else if (status < 0)
            conn_close(c, false);
        return;
    }
    if (c->ws != NULL) {
        gqlx_wsc_write_done(c->ws, status);
        return;
    }
    gql_http_request *req = c->req;
    c->req = NULL;
    if (req != NULL) {
        req->conn = NULL;
        gqlx_request_finish(req, status == 0 ? c->sent_body : 0, true);
    }
    if (c->zbody.cap > READ_CHUNK)
        gqlx_buf_free(&c->zbody);
    if (c->state == GQLX_CONN_CLOSED)
        return;
    if (status < 0) {
        conn_close(c, false);
        return;
    }
    if (c->close_after) {
        /* Lingering lets a client read the error before a reset; a
         * connection over the limit is closed at once instead, since
         * freeing its descriptor is the point of refusing it. */
        conn_close(c, !c->shed);
        return;
    }
    c->state = GQLX_CONN_IDLE;
    set_timer(c, opts_of(c)->idle_timeout_ms);
    if (c->read_paused) {
        c->read_paused = false;
        c->io->reading(c, true);
    }
    process(c);
}

/* ---- upgrades ------------------------------------------------------------------ */

int gqlx_conn_upgrade(gql_http_request *req, struct gqlx_ws *ws, gqlx_buf *leftover)
{
    gqlx_conn *c = req->conn;
    if (c == NULL || ws == NULL || c->req != req || c->state != GQLX_CONN_HANDLING ||
        !c->parser.upgrade || !slot_of(req)->complete || req->responded || c->ws != NULL)
        return GQL_EINVAL;
    set_timer(c, 0);
    c->ws = ws;
    c->state = GQLX_CONN_UPGRADED;
    c->req = NULL;
    req->conn = NULL;
    req->responded = true;
    req->status = 101;
    request_account(req, 0, true);

    /* What the client sent after the request is the WebSocket's. */
    compact_input(c);
    *leftover = c->in;
    gqlx_buf_init(&c->in, 0);
    c->in_pos = 0;
    gqlx_buf_free(&c->hdr);
    gqlx_buf_free(&c->head);
    gqlx_buf_free(&c->zbody);
    gqlx_free(c->spans);
    c->spans = NULL;
    c->nspans = c->spans_cap = 0;
    if (c->read_paused) {
        c->read_paused = false;
        c->io->reading(c, true);
    }
    return GQL_OK;
}

/* ---- input ------------------------------------------------------------------ */

static void begin_request(gqlx_conn *c)
{
    const gql_server_opts *o = opts_of(c);
    c->state = GQLX_CONN_HEADERS;
    c->header_bytes = 0;
    c->req_start_ns = uv_hrtime();
    unsigned ms = o->header_timeout_ms;
    if (o->request_timeout_ms > 0 && (ms == 0 || o->request_timeout_ms < ms))
        ms = o->request_timeout_ms;
    set_timer(c, ms);
}

static void compact_input(gqlx_conn *c)
{
    gqlx_buf *in = &c->in;
    if (c->in_pos == 0)
        return;
    if (c->in_pos >= in->len) {
        in->len = 0;
        c->in_pos = 0;
        if (in->cap > 4 * READ_CHUNK)
            gqlx_buf_free(in); /* a burst is over: give the room back */
        else if (in->data != NULL)
            in->data[0] = '\0';
        return;
    }
    memmove(in->data, in->data + c->in_pos, in->len - c->in_pos);
    in->len -= c->in_pos;
    in->data[in->len] = '\0';
    c->in_pos = 0;
}

static bool reading_state(const gqlx_conn *c)
{
    return c->state == GQLX_CONN_IDLE || c->state == GQLX_CONN_HEADERS ||
           c->state == GQLX_CONN_BODY;
}

/* Parses buffered input while the connection is reading a request. */
static void process(gqlx_conn *c)
{
    while (reading_state(c) && c->in_pos < c->in.len) {
        if (c->state == GQLX_CONN_IDLE)
            begin_request(c);
        const char *from = c->in.data + c->in_pos;
        size_t len = c->in.len - c->in_pos;
        /* The head (blank lines before it included) gets at most
         * max_header_size bytes of the parser: the limit holds for what
         * arrives, not only for what the callbacks see. */
        bool head = c->state == GQLX_CONN_HEADERS;
        size_t room = opts_of(c)->max_header_size - c->header_bytes;
        if (head && len > room)
            len = room;
        llhttp_errno_t err = llhttp_execute(&c->parser, from, len);
        size_t n = err == HPE_OK ? len : (size_t)(llhttp_get_error_pos(&c->parser) - from);
        c->in_pos += n;
        if (head && c->state == GQLX_CONN_HEADERS)
            c->header_bytes += n;
        if (c->state == GQLX_CONN_CLOSED)
            return;
        if (c->fail_status != 0) {
            int st = c->fail_status;
            c->fail_status = 0;
            conn_fail(c, st);
            return;
        }
        if (err == HPE_PAUSED) {
            llhttp_resume(&c->parser);
            if (c->early_send) {
                c->close_after = true;
                c->state = GQLX_CONN_HANDLING;
                send_response(c);
                return;
            }
            if (c->state == GQLX_CONN_HANDLING) {
                if (c->parser.upgrade)
                    c->close_after = true; /* what follows is not HTTP */
                dispatch(c);
            }
        } else if (err != HPE_OK) {
            conn_fail(c, 400);
            return;
        } else if (c->state == GQLX_CONN_HEADERS &&
                   c->header_bytes >= opts_of(c)->max_header_size) {
            conn_fail(c, 431); /* the head goes on past the limit */
            return;
        } else if (n == 0) {
            break;
        }
    }
    if (c->state == GQLX_CONN_CLOSED || c->ws != NULL)
        return; /* an upgraded connection took what was left */
    compact_input(c);
    if (reading_state(c)) {
        if (c->eof)
            conn_close(c, false); /* nothing more will come */
    } else if (c->in.len >= GQLX_CONN_READ_AHEAD_BYTES && !c->read_paused) {
        c->read_paused = true;
        c->io->reading(c, false);
    }
}

char *gqlx_conn_read_space(gqlx_conn *c, size_t *len)
{
    if (c->ws != NULL)
        return gqlx_wsc_read_space(c->ws, len);
    if (!gqlx_buf_reserve(&c->in, READ_CHUNK)) {
        *len = 0;
        return NULL;
    }
    *len = c->in.cap - c->in.len - 1;
    return c->in.data + c->in.len;
}

void gqlx_conn_received(gqlx_conn *c, size_t n)
{
    if (n == 0)
        return;
    if (c->ws != NULL) {
        gqlx_wsc_received(c->ws, n);
        return;
    }
    if (c->state == GQLX_CONN_CLOSED)
        return;
    c->in.len += n;
    c->in.data[c->in.len] = '\0';
    if (reading_state(c))
        process(c);
    else if (c->in.len >= GQLX_CONN_READ_AHEAD_BYTES && !c->read_paused) {
        c->read_paused = true;
        c->io->reading(c, false);
    }
}

void gqlx_conn_feed(gqlx_conn *c, const char *p, size_t n)
{
    while (n > 0 && c->state != GQLX_CONN_CLOSED) {
        size_t room;
        char *dst = gqlx_conn_read_space(c, &room);
        if (dst == NULL) {
            gqlx_conn_error(c);
            return;
        }
        size_t k = n < room ? n : room;
        memcpy(dst, p, k);
        gqlx_conn_received(c, k);
        p += k;
        n -= k;
    }
}

/* ---- lifecycle -------------------------------------------------------------- */

void gqlx_conn_init(gqlx_conn *c, struct gqlx_worker *w, const gqlx_conn_io *io,
                    const char *remote_addr)
{
    memset(c, 0, sizeof *c);
    c->worker = w;
    c->srv = w->srv;
    c->io = io;
    llhttp_init(&c->parser, HTTP_REQUEST, &parser_settings);
    c->parser.data = c;
    c->state = GQLX_CONN_IDLE;
    gqlx_buf_init(&c->in, 0);
    /* Room for the limit plus what a header line may add past it. */
    gqlx_buf_init(&c->hdr, w->srv->opts.max_header_size + 4096u);
    gqlx_buf_init(&c->head, 0);
    gqlx_buf_init(&c->zbody, 0);
    snprintf(c->remote_addr, sizeof c->remote_addr, "%s", remote_addr ? remote_addr : "");
    gqlx_metrics_connection(&w->metrics, 1);
}

void gqlx_conn_start(gqlx_conn *c)
{
    set_timer(c, opts_of(c)->header_timeout_ms);
}

void gqlx_conn_reject(gqlx_conn *c, int status)
{
    c->req_start_ns = uv_hrtime();
    c->shed = true;
    conn_fail(c, status);
}

void gqlx_conn_eof(gqlx_conn *c)
{
    c->eof = true;
    if (c->ws != NULL) {
        gqlx_wsc_eof(c->ws);
        return;
    }
    if (reading_state(c))
        conn_close(c, false);
    /* Otherwise the response still goes out; pipelined requests already
     * buffered are answered, then process() closes. */
}

void gqlx_conn_error(gqlx_conn *c)
{
    c->eof = true;
    if (c->ws != NULL) {
        gqlx_wsc_error(c->ws);
        return;
    }
    conn_close(c, false);
}

void gqlx_conn_timeout(gqlx_conn *c)
{
    if (c->ws != NULL) {
        gqlx_wsc_timeout(c->ws);
        return;
    }
    switch (c->state) {
    case GQLX_CONN_IDLE:
        conn_close(c, false);
        break;
    case GQLX_CONN_HEADERS:
    case GQLX_CONN_BODY:
        conn_fail(c, 408);
        break;
    case GQLX_CONN_WRITING:
        conn_close(c, false); /* the client does not read its answer */
        break;
    default:
        break;
    }
}

void gqlx_conn_shutdown(gqlx_conn *c)
{
    c->draining = true;
    if (c->ws != NULL) {
        gqlx_wsc_shutdown(c->ws);
        return;
    }
    if (c->state == GQLX_CONN_IDLE)
        conn_close(c, false);
}

void gqlx_conn_abort(gqlx_conn *c)
{
    if (c->ws != NULL) {
        gqlx_wsc_abort(c->ws);
        return;
    }
    conn_close(c, false);
}

void gqlx_conn_fini(gqlx_conn *c)
{
    if (c->ws != NULL) {
        struct gqlx_ws *ws = c->ws;
        c->ws = NULL;
        gqlx_wsc_fini(ws);
    }
    if (c->req != NULL) {
        gql_http_request *req = c->req;
        c->req = NULL;
        req->conn = NULL;
        gqlx_request_finish(req, 0, false);
    }
    gqlx_buf_free(&c->in);
    gqlx_buf_free(&c->hdr);
    gqlx_buf_free(&c->head);
    gqlx_buf_free(&c->zbody);
    gqlx_free(c->spans);
    c->spans = NULL;
    gqlx_metrics_connection(&c->worker->metrics, -1);
}
