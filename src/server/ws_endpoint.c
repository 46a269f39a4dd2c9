/* src/server/ws_endpoint.c — GraphQL WebSockets on an endpoint's path.
 *
 * The upgrade picks the first sub-protocol of the client's
 * Sec-WebSocket-Protocol list that the endpoint supports (the seed's
 * rule), answers 400 "Invalid WebSocket sub-protocol." when there is
 * none, and otherwise hands the socket to a protocol engine
 * (ws_graphql.h): its messages go in, and its sends, closes and timer go
 * out to the WebSocket layer (ws.h) and a libuv timer on the worker's
 * loop. A client that named no sub-protocol at all is still given the
 * WebSocket, to be told why in graphql-transport-ws's own words: close
 * 4406, "Subprotocol not acceptable". */
#include "server/ws_endpoint.h"

#include <string.h>
#include <uv.h>

#include "core/alloc.h"
#include "gql/status.h"
#include "server/worker.h"
#include "server/ws.h"
#include "server/ws_graphql.h"

struct gqlx_ws_endpoint {
    gqlx_wsg_config cfg; /* what every connection's engine reads */
    gqlx_ws_opts ws_opts;
    bool transport; /* graphql-transport-ws is supported */
    bool legacy;    /* graphql-ws is supported */
};

/* One GraphQL WebSocket: the socket, its engine and its timer. Freed when
 * the socket is over and the timer handle closed. */
typedef struct ws_link {
    gqlx_ws *ws;      /* NULL once the socket is over */
    gqlx_wsg *engine; /* NULL for a socket closed at once with 4406 */
    uv_timer_t timer;
    bool has_timer; /* the worker has a loop (not an offline one) */
} ws_link;

/* ---- options ------------------------------------------------------------------ */

/* The next name of a list separated by commas and blanks: its length,
 * with *p moved to its start (0 at the end of the list). */
static size_t next_name(const char **p)
{
    *p += strspn(*p, ", \t");
    return strcspn(*p, ", \t");
}

/* The protocol named p[0..n), or -1 for none gqld speaks. */
static int protocol_named(const char *p, size_t n)
{
    if (n == strlen(GQLX_WSG_TRANSPORT_NAME) && memcmp(p, GQLX_WSG_TRANSPORT_NAME, n) == 0)
        return GQLX_WSG_TRANSPORT;
    if (n == strlen(GQLX_WSG_LEGACY_NAME) && memcmp(p, GQLX_WSG_LEGACY_NAME, n) == 0)
        return GQLX_WSG_LEGACY;
    return -1;
}

/* Reads the list of sub-protocols the endpoint supports (NULL: both). */
static int parse_protocols(gqlx_ws_endpoint *wep, const char *list)
{
    const char *p = list != NULL ? list : GQLX_WSG_LEGACY_NAME "," GQLX_WSG_TRANSPORT_NAME;
    for (size_t n; (n = next_name(&p)) > 0; p += n) {
        int proto = protocol_named(p, n);
        if (proto < 0)
            return GQL_EINVAL;
        if (proto == GQLX_WSG_TRANSPORT)
            wep->transport = true;
        else
            wep->legacy = true;
    }
    return wep->transport || wep->legacy ? GQL_OK : GQL_EINVAL;
}

int gqlx_ws_endpoint_new(const gql_schema *schema, const gql_endpoint_opts *opts,
                         const gql_exec_opts *exec, const gqlx_auth *auth, gqlx_ws_endpoint **out)
{
    *out = NULL;
    gqlx_ws_endpoint *wep = gqlx_malloc(sizeof *wep);
    if (wep == NULL)
        return GQL_ENOMEM;
    memset(wep, 0, sizeof *wep);
    const gql_websocket_opts *o = &opts->websockets;
    int rc = parse_protocols(wep, o->supported_subprotocols);
    if (o->keep_alive_mode < GQL_KEEPALIVE_DEFAULT ||
        o->keep_alive_mode > GQL_KEEPALIVE_TIMEOUT_WITH_PAYLOAD)
        rc = GQL_EINVAL;
    if (rc != GQL_OK) {
        gqlx_free(wep);
        return rc;
    }
    wep->cfg.schema = schema;
    wep->cfg.exec = *exec;
    wep->cfg.root = opts->root;
    wep->cfg.context = opts->context;
    wep->cfg.ws = *o;
    wep->cfg.ws.supported_subprotocols = NULL; /* parsed above; not kept */
    if (auth != NULL && (gqlx_auth_reads_credentials(auth) || gqlx_auth_has_rule(auth)))
        wep->cfg.auth = auth;
    gqlx_ws_opts_init(&wep->ws_opts);
    if (o->max_message_size > 0)
        wep->ws_opts.max_message_size = o->max_message_size;
    if (o->max_outbound_bytes > 0)
        wep->ws_opts.max_outbound_bytes = o->max_outbound_bytes;
    wep->ws_opts.permessage_deflate = o->permessage_deflate != 0;
    wep->ws_opts.close_timeout_ms = o->disconnection_timeout_ms;
    *out = wep;
    return GQL_OK;
}

void gqlx_ws_endpoint_free(gqlx_ws_endpoint *wep)
{
    gqlx_free(wep);
}

/* ---- the engine's I/O ------------------------------------------------------------ */

static int link_send(void *ctx, const char *p, size_t n)
{
    ws_link *l = ctx;
    return l->ws != NULL ? gqlx_ws_send_text(l->ws, p, n) : GQL_EINVAL;
}

static void link_close(void *ctx, int code, const char *reason)
{
    ws_link *l = ctx;
    if (l->ws != NULL)
        gqlx_ws_close(l->ws, code, reason);
}

static void on_timer(uv_timer_t *t)
{
    ws_link *l = t->data;
    if (l->engine != NULL)
        gqlx_wsg_timeout(l->engine);
}

static void link_timer(void *ctx, uint64_t ms)
{
    ws_link *l = ctx;
    if (!l->has_timer)
        return;
    if (ms == 0)
        uv_timer_stop(&l->timer);
    else
        uv_timer_start(&l->timer, on_timer, ms, 0);
}

static uint64_t link_now(void *ctx)
{
    ws_link *l = ctx;
    return l->has_timer ? uv_now(l->timer.loop) : 0;
}

static const gqlx_wsg_io link_io = {link_send, link_close, link_timer, link_now};

static int worker_post(void *ctx, void (*fn)(void *arg), void *arg)
{
    return gqlx_worker_post(ctx, fn, arg);
}

static void link_freed(uv_handle_t *h)
{
    gqlx_free(h->data);
}

static void link_release(ws_link *l)
{
    if (l->has_timer)
        uv_close((uv_handle_t *)&l->timer, link_freed);
    else
        gqlx_free(l);
}

static void engine_released(void *arg)
{
    gqlx_ws_release(arg);
}

/* ---- the socket's events ------------------------------------------------------------- */

static void on_message(gqlx_ws *ws, const char *p, size_t n, bool is_text, void *data)
{
    (void)ws;
    ws_link *l = data;
    if (l->engine != NULL)
        gqlx_wsg_receive(l->engine, p, n, is_text);
}

static void on_close(gqlx_ws *ws, int code, void *data)
{
    (void)ws;
    (void)code;
    ws_link *l = data;
    l->ws = NULL;
    gqlx_wsg *engine = l->engine;
    l->engine = NULL;
    if (engine != NULL)
        gqlx_wsg_closed(engine);
    link_release(l);
}

/* ---- the upgrade ----------------------------------------------------------------------- */

/* What the upgrade request itself decides, before it is accepted (the
 * seed's order): an Authorization header is verified at once (a browser
 * cannot send one, so without it the credentials may still come with
 * connection_init, and the upgrade is accepted); a principal found is
 * checked against the endpoint's rule. Returns false when it answered
 * the request; otherwise *ar holds the principal (or none). */
static bool authenticate_upgrade(const gqlx_auth *a, gql_http_request *req, gqlx_auth_result *ar)
{
    memset(ar, 0, sizeof *ar);
    if (a == NULL)
        return true;
    /* The hook is the application's own way and runs at connection_init,
     * where it sees the request and the payload both. */
    if (a->hook == NULL && a->jwt != NULL && gqlx_http_header(req, "Authorization") != NULL) {
        int rc = gqlx_auth_http(a, req, ar);
        if (rc == GQL_OK)
            rc = gqlx_auth_check(a, ar->principal, req->user);
        if (rc == GQL_OK)
            return true;
        if (rc == GQL_EUNAUTHENTICATED || rc == GQL_EFORBIDDEN)
            gqlx_auth_respond(a, req, rc == GQL_EFORBIDDEN ? 403 : 401, NULL, ar->reason);
        else
            gqlx_http_respond_error(req, 500, NULL, "Authentication failed.");
        gqlx_auth_result_free(ar);
        return false;
    }
    if (!gqlx_auth_reads_credentials(a) && gqlx_auth_check(a, NULL, req->user) != GQL_OK) {
        /* Nothing a connection_init carries could ever be accepted. */
        gqlx_auth_respond(a, req, 401, NULL, NULL);
        return false;
    }
    return true;
}

bool gqlx_ws_endpoint_wants(const gqlx_ws_endpoint *wep, const gql_http_request *req)
{
    return wep != NULL && gqlx_ws_check_upgrade(req) >= 0;
}

/* The first protocol of the client's list that the endpoint supports:
 * returns 1 and sets *protocol, or 0 when there is none. */
static int choose_protocol(const gqlx_ws_endpoint *wep, const char *offered,
                           gqlx_wsg_protocol *protocol)
{
    for (size_t n; (n = next_name(&offered)) > 0; offered += n) {
        int proto = protocol_named(offered, n);
        if ((proto == GQLX_WSG_TRANSPORT && wep->transport) ||
            (proto == GQLX_WSG_LEGACY && wep->legacy)) {
            *protocol = (gqlx_wsg_protocol)proto;
            return 1;
        }
    }
    return 0;
}

void gqlx_ws_endpoint_upgrade(gqlx_ws_endpoint *wep, gql_http_request *req)
{
    int st = gqlx_ws_check_upgrade(req);
    if (st != 0) {
        gqlx_ws_refuse(req, st > 0 ? st : 400);
        return;
    }
    const char *offered = gqlx_http_header(req, "Sec-WebSocket-Protocol");
    gqlx_wsg_protocol protocol = GQLX_WSG_TRANSPORT;
    if (offered != NULL && !choose_protocol(wep, offered, &protocol)) {
        gqlx_http_respond_error(req, 400, "application/json; charset=utf-8",
                                "Invalid WebSocket sub-protocol.");
        return;
    }
    gqlx_auth_result ar;
    if (!authenticate_upgrade(wep->cfg.auth, req, &ar))
        return;
    ws_link *l = gqlx_malloc(sizeof *l);
    if (l == NULL) {
        gqlx_auth_result_free(&ar);
        gqlx_http_respond_error(req, 500, "application/json; charset=utf-8", "Out of memory.");
        return;
    }
    memset(l, 0, sizeof *l);
    gqlx_worker *w = req->worker;
    if (w != NULL && w->loop != NULL) {
        uv_timer_init(w->loop, &l->timer);
        l->timer.data = l;
        l->has_timer = true;
    }
    const char *name = offered == NULL                  ? NULL
                       : protocol == GQLX_WSG_TRANSPORT ? GQLX_WSG_TRANSPORT_NAME
                                                        : GQLX_WSG_LEGACY_NAME;
    gqlx_ws_handler h = {on_message, NULL, on_close, l};
    if (gqlx_ws_accept(req, name, &wep->ws_opts, &h, &l->ws) != GQL_OK) {
        gqlx_auth_result_free(&ar);
        link_release(l); /* the request was answered 400 or 500 */
        return;
    }
    if (name == NULL) {
        gqlx_auth_result_free(&ar);
        gqlx_ws_close(l->ws, GQLX_WSG_CLOSE_SUBPROTOCOL, "Subprotocol not acceptable");
        return;
    }
    gqlx_pubsub_target target = {worker_post, w};
    l->engine = gqlx_wsg_new(&wep->cfg, protocol, &link_io, l, w != NULL ? &target : NULL,
                             gqlx_ws_request(l->ws));
    if (l->engine == NULL) {
        gqlx_auth_result_free(&ar);
        gqlx_ws_close(l->ws, GQLX_WSG_CLOSE_INTERNAL, "Internal server error");
        return;
    }
    gqlx_wsg_set_principal(l->engine, &ar);
    /* The engine's executions may outlive the socket: the request, with
     * the user they read, stays until the engine is released. */
    gqlx_ws_hold(l->ws);
    gqlx_wsg_on_release(l->engine, engine_released, l->ws);
    gqlx_wsg_start(l->engine);
}

/* ---- describing ---------------------------------------------------------------------- */

void gqlx_ws_endpoint_describe(const gqlx_ws_endpoint *wep, gqlx_json_writer *w)
{
    static const char *const modes[] = {"default", "timeout", "interval", "timeout_with_payload"};
    const gql_websocket_opts *o = &wep->cfg.ws;
    gqlx_json_key_cstr(w, "websockets");
    gqlx_json_begin_object(w);
    gqlx_json_key_cstr(w, "supported_subprotocols");
    gqlx_json_begin_array(w);
    if (wep->legacy)
        gqlx_json_string(w, GQLX_WSG_LEGACY_NAME, strlen(GQLX_WSG_LEGACY_NAME));
    if (wep->transport)
        gqlx_json_string(w, GQLX_WSG_TRANSPORT_NAME, strlen(GQLX_WSG_TRANSPORT_NAME));
    gqlx_json_end_array(w);
    gqlx_json_key_cstr(w, "connection_init_wait_timeout_ms");
    gqlx_json_int(w, o->connection_init_wait_timeout_ms);
    gqlx_json_key_cstr(w, "disconnection_timeout_ms");
    gqlx_json_int(w, o->disconnection_timeout_ms);
    gqlx_json_key_cstr(w, "disconnect_after_error_event");
    gqlx_json_bool(w, o->disconnect_after_error_event != 0);
    gqlx_json_key_cstr(w, "disconnect_after_any_error");
    gqlx_json_bool(w, o->disconnect_after_any_error != 0);
    gqlx_json_key_cstr(w, "keep_alive_mode");
    const char *mode = modes[o->keep_alive_mode];
    gqlx_json_string(w, mode, strlen(mode));
    gqlx_json_key_cstr(w, "keep_alive_timeout_ms");
    gqlx_json_int(w, o->keep_alive_timeout_ms);
    gqlx_json_key_cstr(w, "max_message_size");
    gqlx_json_int(w, (int64_t)wep->ws_opts.max_message_size);
    gqlx_json_key_cstr(w, "max_outbound_bytes");
    gqlx_json_int(w, (int64_t)wep->ws_opts.max_outbound_bytes);
    gqlx_json_key_cstr(w, "max_operations");
    gqlx_json_int(w, o->max_operations);
    gqlx_json_key_cstr(w, "permessage_deflate");
    gqlx_json_bool(w, wep->ws_opts.permessage_deflate);
    gqlx_json_key_cstr(w, "authentication");
    gqlx_json_bool(w, o->authenticate != NULL);
    gqlx_json_end_object(w);
}
