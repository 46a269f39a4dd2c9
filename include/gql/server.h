/* include/gql/server.h — serving GraphQL over HTTP.
 *
 * A gql_server is an HTTP/1.1 server on libuv that answers GraphQL requests
 * as the GraphQL-over-HTTP specification says, beside health, server
 * information, metrics, static files and the application's own REST
 * routes. It runs its own event-loop threads (one per core by default),
 * each with its own SO_REUSEPORT listener and its own connections, or a
 * single loop the host owns (gql_server_opts.loop).
 *
 *   gql_server_opts so;   gql_server_opts_init(&so);   so.listen = "127.0.0.1:5000";
 *   gql_endpoint_opts eo; gql_endpoint_opts_init(&eo);
 *   gql_server *srv;
 *   gql_server_new(&so, &srv);
 *   gql_server_graphql(srv, "/graphql", schema, &eo);
 *   gql_server_start(srv);   // listening
 *   gql_server_wait(srv);    // until gql_server_stop (e.g. from a signal)
 *   gql_server_free(srv);
 *
 * Paths registered below are relative to the server's path prefix. Every
 * handler and hook runs on the event-loop thread that owns the
 * connection; the same hook may run on several threads at once. */
#ifndef GQL_SERVER_H
#define GQL_SERVER_H

#include <stddef.h>

#include "gql/common.h"
#include "gql/exec.h"
#include "gql/jwt.h"
#include "gql/schema.h"
#include "gql/value.h"

GQL_BEGIN_DECLS

struct uv_loop_s;

typedef struct gql_server gql_server;

/* One HTTP request being answered, valid from the handler or hook that
 * receives it until its response is complete. */
typedef struct gql_http_request gql_http_request;

/* A log line (access log, startup, errors), without a trailing newline. */
typedef void (*gql_log_cb)(const char *line, void *user_data);

/* ---- server options ------------------------------------------------------ */

typedef struct gql_server_opts {
    /* "host:port", "[v6]:port" or ":port" (every address). Port 0 picks a
     * free port (gql_server_port tells which). Default "127.0.0.1:8080". */
    const char *listen;
    /* Event-loop threads: 0 means one per core. Ignored with loop. */
    unsigned workers;
    /* A loop the host owns and runs: the server then adds its listener and
     * connections to it and starts no thread. NULL by default. */
    struct uv_loop_s *loop;
    /* Application path prefix ("/dagster"): every route below lives under
     * it; other paths are 404. "" by default. */
    const char *path_prefix;

    /* Limits. Exceeding one answers the status given and closes. */
    unsigned max_connections;     /* open at once: default 10,000 (503) */
    size_t max_header_size;       /* request line and headers: 16 KiB (431) */
    size_t max_body_size;         /* 16 MiB (413) */
    unsigned header_timeout_ms;   /* headers complete within: 10 s (408) */
    unsigned request_timeout_ms;  /* whole request within: 30 s (408) */
    unsigned idle_timeout_ms;     /* keep-alive without a request: 60 s */
    unsigned shutdown_timeout_ms; /* graceful stop waits at most: 30 s */

    /* Compression of responses of at least compress_min_size bytes, by the
     * client's Accept-Encoding (br preferred to gzip at equal weight).
     * Default 1,024 bytes; both encodings on. */
    size_t compress_min_size;
    int compress_gzip;
    int compress_brotli;

    /* X-Content-Type-Options, Referrer-Policy, Permissions-Policy on every
     * response (Cache-Control: no-store on GraphQL responses is always
     * sent). Default 1. */
    int security_headers;

    /* CORS: comma-separated allowed origins, or "*"; NULL (default) sends
     * no CORS headers and answers no preflight. */
    const char *cors_origins;
    int cors_credentials;  /* Access-Control-Allow-Credentials: default 0 */
    unsigned cors_max_age; /* preflight cache, seconds: default 600 */

    /* Static files from static_dir under the URL path static_path
     * (default "/static"); NULL static_dir (default) serves none. */
    const char *static_dir;
    const char *static_path;

    int health;      /* GET /health: default 1 */
    int server_info; /* GET /server_info: default 1 */
    int metrics;     /* GET /metrics (Prometheus text): default 1 */
    int access_log;  /* one line per request: default 1 */

    /* Where log lines go; NULL writes them to stderr. */
    gql_log_cb log;
    void *log_data;

    /* Debug mode: unexpected resolver failures show their detail instead
     * of "Unexpected error.". Default 0. */
    int debug;
} gql_server_opts;

/* Sets every field of *opts to its default. */
GQL_EXTERN void gql_server_opts_init(gql_server_opts *opts);

/* ---- WebSocket options (the seed's WebSockets table) ------------------------ */

/* How a GraphQL WebSocket is kept alive once keep_alive_timeout_ms is set
 * (the seed's KeepAliveMode). Only graphql-transport-ws has a choice: the
 * legacy graphql-ws protocol always sends its "ka" message right after
 * "connection_ack" and then every keep_alive_timeout_ms, because its
 * client, once it has seen one, expects them on a fixed schedule. */
typedef enum gql_keep_alive_mode {
    /* The protocol's own default: TIMEOUT for graphql-transport-ws. */
    GQL_KEEPALIVE_DEFAULT = 0,
    /* A one-way "pong" message when nothing has been received from the
     * client for keep_alive_timeout_ms. */
    GQL_KEEPALIVE_TIMEOUT = 1,
    /* A one-way "pong" message every keep_alive_timeout_ms, whatever the
     * traffic. */
    GQL_KEEPALIVE_INTERVAL = 2,
    /* A "ping" message with a payload ({"id":"<n>"}) every
     * keep_alive_timeout_ms; the client's "pong" must echo the payload.
     * Since the ping waits in the outbound queue behind every message
     * sent before it, this also bounds how far a slow reader may fall
     * behind: a client whose last echoed ping is two periods old is
     * disconnected (close 4408, "Keep-alive timeout"). */
    GQL_KEEPALIVE_TIMEOUT_WITH_PAYLOAD = 3
} gql_keep_alive_mode;

/* What a WebSocket authentication hook answers. */
enum {
    GQL_WS_ACCEPT = 0, /* the connection is acknowledged */
    GQL_WS_REFUSE = 1  /* graphql-transport-ws: close 4403 "Forbidden";
                          graphql-ws: "connection_error", then close 4403 */
};

/* Authenticates a GraphQL WebSocket connection when its "connection_init"
 * message arrives (browsers cannot set headers on a WebSocket, so clients
 * put their credentials, such as a bearer token, in its payload).
 *
 * req is the upgrade request (headers, path, gql_http_user); it lives
 * until the socket closes, so memory from gql_http_alloc(req) lasts as
 * long as the connection. payload is the message's "payload" (an object,
 * or NULL when it was absent or null); it is only valid during the call.
 * *user holds the identity the server's user builder made for the
 * upgrade request (NULL: anonymous); the hook may replace it: every
 * operation of the connection then runs with it (gql_info_user).
 *
 * Returns GQL_WS_ACCEPT, GQL_WS_REFUSE, or a negative status for a
 * failure of its own (the connection is closed with 4500, "Internal
 * server error"). Runs on the connection's event-loop thread and must not
 * block it. */
typedef int (*gql_ws_auth_cb)(gql_http_request *req, const gql_json *payload, void **user,
                              void *user_data);

typedef struct gql_websocket_opts {
    /* The "connection_init" message must arrive within this many
     * milliseconds of the upgrade, or the socket is closed with 4408
     * ("Connection initialisation timeout"). Default 10,000; 0 waits
     * forever. */
    unsigned connection_init_wait_timeout_ms;
    /* How long the close handshake may take before the socket is simply
     * closed (the seed's DisconnectionTimeout). Default 10,000. */
    unsigned disconnection_timeout_ms;
    /* When a subscription's source stream reports an error
     * (gql_stream_error, gql_pubsub_publish_error): 1 (default) sends it
     * as the protocol's "error" message and ends the subscription; 0 sends
     * it as a result ({"errors":[...]}) and the subscription goes on. */
    int disconnect_after_error_event;
    /* 1: a subscription event whose result has any error is sent, then
     * the subscription is ended by the server ("complete"). Default 0. */
    int disconnect_after_any_error;
    /* A gql_keep_alive_mode (default GQL_KEEPALIVE_DEFAULT), and its
     * period in milliseconds: 0 (default) sends no keep-alive messages. */
    int keep_alive_mode;
    unsigned keep_alive_timeout_ms;
    /* The sub-protocols accepted, comma-separated (copied): default
     * "graphql-ws,graphql-transport-ws". The first protocol of the
     * client's Sec-WebSocket-Protocol list that is also in this list is
     * chosen; a client that offers none of them is answered 400 "Invalid
     * WebSocket sub-protocol." A client that names no sub-protocol at all
     * gets the WebSocket and then the graphql-transport-ws close 4406
     * ("Subprotocol not acceptable"). */
    const char *supported_subprotocols;
    /* Largest message (after reassembly and decompression; close 1009),
     * and most bytes queued for a client that does not read (close 1008).
     * 0 (default) means the server's defaults. */
    size_t max_message_size;
    size_t max_outbound_bytes;
    /* Operations running at once on one connection; a "subscribe" or
     * "start" beyond it is answered with an error. Default 100; 0: no
     * limit. */
    unsigned max_operations;
    /* Accept permessage-deflate (RFC 7692) when the client offers it.
     * Default 1. */
    int permessage_deflate;
    /* Authentication on "connection_init" (NULL by default: every
     * connection is accepted with the upgrade request's user). */
    gql_ws_auth_cb authenticate;
    void *authenticate_data;
} gql_websocket_opts;

/* ---- GraphQL endpoint options (the seed's option table) ------------------- */

/* Authenticates a request in place of the built-in JWT handling
 * (gql_endpoint_opts.authenticate): called once per HTTP request to the
 * endpoint when its headers are complete (init_payload NULL; the body is
 * not read yet), and once per GraphQL WebSocket when its connection_init
 * arrives (req the upgrade request, init_payload the message's payload
 * object, or NULL when it had none).
 *
 * Sets *principal to the identity found (NULL: anonymous) and returns
 * GQL_OK, or returns GQL_EUNAUTHENTICATED to refuse bad credentials (HTTP
 * 401, WebSocket 4403); any other negative status is a failure of its own
 * (HTTP 500, WebSocket 4500). The endpoint's rule and the schema's rules
 * are then checked against *principal. The principal and what it points
 * to must stay valid for the request or the connection: allocate it with
 * gql_http_alloc(req) (freed with the request; for a WebSocket, with the
 * connection), or own it in the application. Runs on the request's
 * event-loop thread and must not block it. */
typedef int (*gql_authenticate_cb)(gql_http_request *req, const gql_json *init_payload,
                                   const gql_principal **principal, void *user_data);

typedef struct gql_endpoint_opts {
    int handle_get;        /* default 1 */
    int handle_post;       /* default 1 */
    int handle_websockets; /* default 1 */
    /* A JSON array of requests in one POST: default 1, at most
     * max_batch_size requests (default 100). */
    int enable_batched_requests;
    int execute_batched_requests_in_parallel; /* default 1 */
    unsigned max_batch_size;
    /* CSRF protection (default 1): a GET, or a POST whose Content-Type is
     * application/x-www-form-urlencoded, multipart/form-data or text/plain
     * (or absent), must carry a non-empty header named in
     * csrf_protection_headers (comma-separated; default
     * "GraphQL-Require-Preflight"), or it is refused with 400. */
    int csrf_protection_enabled;
    const char *csrf_protection_headers;
    int read_extensions_from_query_string;    /* default 1 */
    int read_form_on_post;                    /* forms and multipart: 0 */
    int read_query_string_on_post;            /* default 1 */
    int read_variables_from_query_string;     /* default 1 */
    /* Request errors (syntax, validation, variables): 1 (default) answers
     * 400 with application/graphql-response+json and 200 with
     * application/json, as the GraphQL-over-HTTP specification and the
     * graphql-http audit want; 0 answers 200 to both; 2 answers 400 to
     * both. */
    int validation_errors_return_bad_request;
    /* Status codes of the 2026 GraphQL-over-HTTP draft (422 for a
     * document that fails to parse or validate with the graphql-response
     * media type) instead of the graphql-http audit's. Default 0. */
    int draft_status_codes;
    /* Multipart uploads: largest file and most files (0: unlimited, the
     * body limit still applies); files above upload_memory_limit bytes
     * (default 1 MiB) are kept in a temporary file instead of memory. */
    size_t maximum_file_size;
    unsigned maximum_file_count;
    size_t upload_memory_limit;
    /* Execution: limits, plan cache and pool (exec.h); the root value and
     * application context every request of the endpoint gets. */
    gql_exec_opts exec;
    gql_value root;
    void *context;
    /* GraphQL over WebSocket (handle_websockets): graphql-transport-ws
     * and the legacy graphql-ws protocol on the endpoint's own path. */
    gql_websocket_opts websockets;

    /* ---- authentication and endpoint authorization (auth.h, jwt.h) ----
     *
     * Who sent a request: the authenticate hook when set, else, with jwt
     * set, the bearer token of the request's Authorization header (a
     * WebSocket: the upgrade request's header when it has one, else the
     * connection_init payload's "Authorization", "authorization" or
     * "token" string, with or without "Bearer "). No credentials: the
     * request is anonymous. Credentials that are present and refused
     * (a bad, expired or not-yet-valid token, a header that is not a
     * bearer token) are never taken as anonymous: HTTP answers 401 with
     * WWW-Authenticate: Bearer error="invalid_token", a WebSocket is
     * refused at connection_init.
     *
     * Then the endpoint's own rule, checked before the document is parsed
     * (HTTP) or the connection acknowledged (WebSocket), the seed's
     * AuthorizationRequired, AuthorizedRoles and AuthorizedPolicy: every
     * one set must pass. A refused HTTP request is answered 401 (no
     * principal; with WWW-Authenticate: Bearer when jwt is set) or 403
     * (a principal without the rights) with the body
     * {"errors":[{"message":"Access denied.","extensions":{"code":
     * "ACCESS_DENIED"}}]}; a refused WebSocket is closed with 4403
     * "Forbidden" (graphql-ws: connection_error, then close 4403).
     *
     * The principal is then every operation's gql_request.principal, so
     * the schema's own rules (@authorize, @allowAnonymous) are checked
     * against it: an execution denied with GQL_EUNAUTHENTICATED is
     * answered 401, with GQL_EFORBIDDEN 403 (both media types; in a batch
     * each denied request carries its errors and the batch answers 200).
     * A WebSocket whose principal has an expiry (a JWT's "exp") is closed
     * with 4403 "Token expired" when it comes (graphql-ws: connection_error
     * first), so no connection lives on with rights that ended.
     *
     * On a WebSocket, the websockets.authenticate hook still runs after
     * all this (its user is the operations' gql_info_user) and may refuse
     * the connection too. */

    /* AuthorizationRequired: refuse anonymous requests. Default 0. */
    int authorization_required;
    /* AuthorizedRoles: the principal must hold at least one of these
     * role_count roles (copied). NULL/0 (default): no role needed. */
    const char *const *authorized_roles;
    size_t authorized_role_count;
    /* AuthorizedPolicy: a policy of exec.policies the principal must pass
     * (copied). NULL (default): none. A name that is not registered
     * refuses every request. */
    const char *authorized_policy;
    /* Verifies bearer tokens (jwt.h); NULL (default): no JWT. Borrowed:
     * it must outlive the server. */
    const gql_jwt_verifier *jwt;
    /* Replaces the built-in authentication entirely (the seed's
     * HandleAuthorizeAsync and IWebSocketAuthenticationService); NULL by
     * default. See gql_authenticate_cb. */
    gql_authenticate_cb authenticate;
    void *authenticate_data;
} gql_endpoint_opts;

/* Sets every field of *opts to its default (exec: gql_exec_opts_init;
 * websockets: the defaults listed with gql_websocket_opts). */
GQL_EXTERN void gql_endpoint_opts_init(gql_endpoint_opts *opts);

/* ---- building a server ----------------------------------------------------- */

/* Creates a server that is not yet listening; opts NULL means defaults.
 * The options (strings included) are copied. Returns GQL_OK, GQL_ENOMEM
 * or GQL_EINVAL (unparsable listen address or prefix). */
GQL_EXTERN int gql_server_new(const gql_server_opts *opts, gql_server **out);

/* Serves GraphQL for schema at path ("/graphql", "/graphql/dogs"); several
 * endpoints may share one server. The schema must outlive the server.
 * opts NULL means defaults. Returns GQL_OK, GQL_ENOMEM or GQL_EINVAL
 * (path already taken, server started). */
GQL_EXTERN int gql_server_graphql(gql_server *srv, const char *path, const gql_schema *schema,
                                  const gql_endpoint_opts *opts);

/* A REST route handler. It must answer with gql_http_respond, now or
 * later on the same thread. */
typedef void (*gql_route_cb)(gql_http_request *req, void *user_data);

/* Adds a route for method ("GET", "POST", ... or "*" for any) and a path
 * pattern whose segments may be parameters in braces:
 * "/report_asset_materialization/{asset_key}" (read with
 * gql_http_path_param). Exact paths win over patterns; routes are tried
 * in the order added. Returns GQL_OK, GQL_ENOMEM or GQL_EINVAL. */
GQL_EXTERN int gql_server_route(gql_server *srv, const char *method, const char *pattern,
                                gql_route_cb handler, void *user_data);

/* Middleware run before each request is routed (in the order added). It
 * returns 0 to go on, or answers the request itself with
 * gql_http_respond (an authentication step answering 401) and returns 1. */
typedef int (*gql_before_cb)(gql_http_request *req, void *user_data);

/* Middleware run after each response is sent: status, body bytes sent and
 * duration in microseconds (tracing, logging). */
typedef void (*gql_after_cb)(gql_http_request *req, int status, size_t bytes,
                             unsigned long long micros, void *user_data);

/* Builds the user identity of a request (after the before hooks, before
 * GraphQL execution); resolvers read it with gql_info_user. Allocate it
 * with gql_http_alloc, or own it yourself. NULL means anonymous. */
typedef void *(*gql_user_cb)(gql_http_request *req, void *user_data);

/* Add a hook. Returns GQL_OK, GQL_ENOMEM or GQL_EINVAL (server started). */
GQL_EXTERN int gql_server_before(gql_server *srv, gql_before_cb hook, void *user_data);
GQL_EXTERN int gql_server_after(gql_server *srv, gql_after_cb hook, void *user_data);
/* Sets the user builder (one per server; a second call replaces it). */
GQL_EXTERN int gql_server_user(gql_server *srv, gql_user_cb builder, void *user_data);

/* ---- running --------------------------------------------------------------- */

/* Binds the listener(s) and starts serving: returns once the server
 * accepts connections (workers started), or with GQL_EIO when the address
 * cannot be bound (gql_server_error tells why), GQL_ENOMEM or GQL_EINVAL
 * (already started). With opts.loop, the host runs that loop. */
GQL_EXTERN int gql_server_start(gql_server *srv);

/* The port the server listens on (useful after listening on port 0), or 0
 * before gql_server_start. */
GQL_EXTERN int gql_server_port(const gql_server *srv);

/* The last error's description (e.g. why binding failed), or "". */
GQL_EXTERN const char *gql_server_error(const gql_server *srv);

/* Begins a graceful stop: stop accepting, finish the requests in flight
 * (at most shutdown_timeout_ms), close idle connections. Safe from any
 * thread and from a signal handler; calling it again does nothing. */
GQL_EXTERN void gql_server_stop(gql_server *srv);

/* Waits until a stopped server's threads have finished. Returns GQL_OK.
 * With opts.loop, returns at once: the host's loop ends when the
 * server's handles are closed. */
GQL_EXTERN int gql_server_wait(gql_server *srv);

/* Releases a server that is not running (never started, or stopped and
 * waited for). NULL does nothing. */
GQL_EXTERN void gql_server_free(gql_server *srv);

/* ---- requests, for routes and hooks ---------------------------------------- */

/* The method ("GET"), the path without the prefix and query string, as
 * sent (percent-encoding kept), and the raw query string (after '?', ""
 * when none). */
GQL_EXTERN const char *gql_http_method(const gql_http_request *req);
GQL_EXTERN const char *gql_http_path(const gql_http_request *req);
GQL_EXTERN const char *gql_http_query(const gql_http_request *req);

/* A request header by name (case-insensitive), NUL-terminated; several
 * headers of one name are joined with ", ". NULL when absent. */
GQL_EXTERN const char *gql_http_header(const gql_http_request *req, const char *name);

/* The request body (NUL-terminated; *len its length when len is not
 * NULL); "" when there is none. */
GQL_EXTERN const char *gql_http_body(const gql_http_request *req, size_t *len);

/* A path parameter of the route's pattern ("asset_key"), percent-decoded;
 * NULL when the pattern has none of that name. */
GQL_EXTERN const char *gql_http_path_param(const gql_http_request *req, const char *name);

/* A query-string parameter, percent-decoded ('+' as space); the first of
 * several. NULL when absent. */
GQL_EXTERN const char *gql_http_query_param(const gql_http_request *req, const char *name);

/* The peer's address as text ("127.0.0.1"). */
GQL_EXTERN const char *gql_http_remote_addr(const gql_http_request *req);

/* Memory freed with the request (8-byte aligned); NULL when the request's
 * memory limit is reached. */
GQL_EXTERN void *gql_http_alloc(gql_http_request *req, size_t size);

/* The user identity the user builder made (NULL: anonymous). */
GQL_EXTERN void *gql_http_user(const gql_http_request *req);

/* Adds a response header (copied). Returns GQL_OK, GQL_ENOMEM, or
 * GQL_EINVAL (the response already sent, or CR/LF in name or value). */
GQL_EXTERN int gql_http_add_header(gql_http_request *req, const char *name, const char *value);

/* Answers the request: status, Content-Type (NULL for none) and body
 * (copied; NULL with len 0 for none). Security headers, CORS and
 * compression are added by the server. Returns GQL_OK, GQL_ENOMEM or
 * GQL_EINVAL (already answered). Call once, on the request's thread. */
GQL_EXTERN int gql_http_respond(gql_http_request *req, int status, const char *content_type,
                                const char *body, size_t len);

GQL_END_DECLS

#endif
