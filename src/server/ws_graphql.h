/* src/server/ws_graphql.h — GraphQL over one WebSocket connection, as a
 * protocol engine without I/O.
 *
 * A gqlx_wsg takes the connection's complete messages in and acts on the
 * world only through its gqlx_wsg_io: send a text message, close with a
 * code and a reason, arm its one timer, read the clock. ws_endpoint.c
 * plugs a gqlx_ws (ws.h) and a libuv timer in; the unit tests and fuzz
 * targets plug in recorders and a fake clock.
 *
 * The shared part (ws_graphql.c) keeps the connection's operations by id,
 * runs queries and mutations with gql_execute_async and subscriptions
 * with gql_subscribe, sends their results, and owns the timers: the
 * connection-init timeout and the keep-alive period. The two
 * sub-protocols, graphql-transport-ws (ws_transport.c) and the legacy
 * graphql-ws of subscriptions-transport-ws (ws_legacy.c), read the
 * messages and decide what each means.
 *
 * Everything runs on the connection's thread. Work that finishes on other
 * threads (a pending value delivered by the thread pool) comes back
 * through the connection's target (server/pubsub.h), which also tells the
 * pub/sub where subscriptions started here want their events. */
#ifndef GQLX_SERVER_WS_GRAPHQL_H
#define GQLX_SERVER_WS_GRAPHQL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/json.h"
#include "gql/exec.h"
#include "gql/server.h"
#include "server/auth_http.h"
#include "server/pubsub.h"

typedef struct gqlx_wsg gqlx_wsg;
typedef struct gqlx_wsg_op gqlx_wsg_op;

#define GQLX_WSG_TRANSPORT_NAME "graphql-transport-ws"
#define GQLX_WSG_LEGACY_NAME    "graphql-ws"

typedef enum gqlx_wsg_protocol {
    GQLX_WSG_TRANSPORT, /* graphql-transport-ws (enisdenjo/graphql-ws) */
    GQLX_WSG_LEGACY     /* graphql-ws (apollographql/subscriptions-transport-ws) */
} gqlx_wsg_protocol;

/* The close codes of graphql-transport-ws, used by both protocols. */
enum {
    GQLX_WSG_CLOSE_BAD_REQUEST = 4400,    /* invalid message */
    GQLX_WSG_CLOSE_UNAUTHORIZED = 4401,   /* an operation before the ack */
    GQLX_WSG_CLOSE_FORBIDDEN = 4403,      /* authentication refused; token expired */
    GQLX_WSG_CLOSE_SUBPROTOCOL = 4406,    /* no acceptable sub-protocol */
    GQLX_WSG_CLOSE_INIT_TIMEOUT = 4408,   /* no connection_init in time; keep-alive */
    GQLX_WSG_CLOSE_DUPLICATE_ID = 4409,   /* subscriber for that id already exists */
    GQLX_WSG_CLOSE_TOO_MANY_INITS = 4429, /* a second connection_init */
    GQLX_WSG_CLOSE_INTERNAL = 4500,       /* the server failed */
};

/* What a connection does to the world; ctx is given with it. */
typedef struct gqlx_wsg_io {
    /* Queues one text message (copied). Returns GQL_OK, or an error when
     * the connection is closing or its outbound limit was passed (it is
     * then being closed: the engine stops sending). */
    int (*send)(void *ctx, const char *p, size_t n);
    /* Starts closing the connection with a code and a reason (at most 123
     * bytes once cut). gqlx_wsg_closed follows, later. */
    void (*close)(void *ctx, int code, const char *reason);
    /* (Re)arms the connection's timer to call gqlx_wsg_timeout after ms
     * milliseconds; 0 stops it. */
    void (*timer)(void *ctx, uint64_t ms);
    /* A monotonic clock in milliseconds. */
    uint64_t (*now)(void *ctx);
} gqlx_wsg_io;

/* What every connection of one endpoint shares; it must outlive them. */
typedef struct gqlx_wsg_config {
    const gql_schema *schema;
    gql_exec_opts exec;
    gql_value root;
    void *context;
    gql_websocket_opts ws; /* supported_subprotocols is not read here */
    /* The endpoint's authentication and rule, applied at connection_init
     * (NULL: none: every connection is anonymous). */
    const gqlx_auth *auth;
} gqlx_wsg_config;

/* Sets the defaults of the WebSocket options (gql_endpoint_opts_init
 * calls it for its websockets member). */
void gqlx_websocket_opts_init(gql_websocket_opts *opts);

/* Creates the engine of one connection speaking protocol. req is the
 * upgrade request, alive until the engine is released
 * (gqlx_wsg_on_release; NULL in tests: no authentication hook is then
 * called with a request, and the user is anonymous). target runs work
 * posted from other threads on this connection's thread; its ctx NULL
 * means there is no such thread (the pub/sub then delivers
 * synchronously). Returns NULL when memory is out. Call gqlx_wsg_start
 * once the socket is open. */
gqlx_wsg *gqlx_wsg_new(const gqlx_wsg_config *cfg, gqlx_wsg_protocol protocol,
                       const gqlx_wsg_io *io, void *io_ctx, const gqlx_pubsub_target *target,
                       gql_http_request *req);

/* Gives the connection the principal its upgrade request authenticated
 * (its Authorization header): connection_init then reads no credentials
 * of its own but still applies the endpoint's rule. The engine takes
 * over what *r owns (released with the engine) and clears *r. */
void gqlx_wsg_set_principal(gqlx_wsg *c, gqlx_auth_result *r);

/* Starts the connection-init timeout. */
void gqlx_wsg_start(gqlx_wsg *c);

/* One complete message from the client. */
void gqlx_wsg_receive(gqlx_wsg *c, const char *p, size_t n, bool is_text);

/* The timer armed through io->timer fired. */
void gqlx_wsg_timeout(gqlx_wsg *c);

/* The socket is gone (whoever closed it): ends every operation and
 * releases the engine once nothing it started still runs (an execution
 * waiting on a pending value, events of an ended subscription), and not
 * before one of its own calls on the stack returns. c must not be used
 * afterwards. */
void gqlx_wsg_closed(gqlx_wsg *c);

/* Calls fn(arg) when the engine is released after gqlx_wsg_closed: until
 * then its executions may read the upgrade request's user, so the
 * request must stay alive (gqlx_ws_hold). */
void gqlx_wsg_on_release(gqlx_wsg *c, void (*fn)(void *arg), void *arg);

/* Operations currently running (for tests and metrics). */
size_t gqlx_wsg_operation_count(const gqlx_wsg *c);

/* ---- shared with the protocol files (ws_transport.c, ws_legacy.c) ---------- */

/* One sub-protocol: how messages are read and how results are worded. */
typedef struct gqlx_wsg_proto {
    const char *name;
    /* A text message: msg is its JSON value, or NULL when it is not JSON
     * (parse_error then says why). The protocol's whole reading. */
    void (*message)(gqlx_wsg *c, const gqlx_json *msg, const char *parse_error);
    /* The keep-alive period elapsed (see gqlx_wsg_keepalive). */
    void (*keepalive)(gqlx_wsg *c);
    const char *result_type; /* "next" / "data" */
    bool id_first;           /* write "id" before "type" */
    bool errors_as_array;    /* "error" payloads: the errors array, not
                                the response object */
    bool error_before_close; /* a refusal sends connection_error first */
} gqlx_wsg_proto;

extern const gqlx_wsg_proto gqlx_wsg_transport;
extern const gqlx_wsg_proto gqlx_wsg_legacy;

struct gqlx_wsg_op {
    gqlx_wsg *c;              /* its connection, which outlives it */
    gqlx_wsg_op *prev, *next; /* on c->ops, or on c->stopped */
    gqlx_arena arena;         /* the request's texts, until it runs */
    const char *id;           /* NUL-terminated, after the struct */
    size_t id_len;
    gql_request greq;
    gql_subscription *sub;
    bool executing; /* gql_execute_async has not called done */
    bool sub_live;  /* events of its subscription may still execute */
    bool stopped;   /* ended with work still under way: on c->stopped */
};

struct gqlx_wsg {
    const gqlx_wsg_config *cfg;
    const gqlx_wsg_proto *proto;
    const gqlx_wsg_io *io;
    void *io_ctx;
    gqlx_pubsub_target target;
    gql_http_request *req;
    void *user;         /* the operations' user identity */
    gqlx_arena scratch; /* the message being read */
    gqlx_wsg_op *ops;   /* running operations, newest first */
    size_t op_count;
    gqlx_wsg_op *stopped; /* ended, their work still under way */
    size_t stopped_count;
    gqlx_auth_result auth;       /* the principal, set on every operation */
    const char *refusal;         /* why connection_init was refused */
    uint64_t expire_due;         /* when the principal expires, 0 when never */
    void (*released)(void *arg); /* gqlx_wsg_on_release */
    void *released_arg;
    bool init_received;    /* connection_init seen */
    bool acknowledged;     /* connection_ack sent */
    bool closing;          /* we closed: nothing more is sent or read */
    bool gone;             /* gqlx_wsg_closed was called */
    unsigned busy;         /* engine calls on the stack */
    uint64_t init_due;     /* connection-init deadline, 0 when none */
    uint64_t ka_due;       /* next keep-alive, 0 when none */
    uint64_t ka_period;    /* keep-alive period in ms, 0 when off */
    bool ka_after_silence; /* TIMEOUT: only after ka_period without input */
    uint64_t last_input;   /* when the last message arrived */
    uint64_t timer_due;    /* what the armed timer is for, 0 when stopped */
    uint64_t ping_seq;     /* TIMEOUT_WITH_PAYLOAD: last ping's id */
    uint64_t pong_seq;     /* ... and the last echoed one */
};

/* Sends {"type":type,"id":id,"payload":payload}: id may be NULL,
 * payload (complete JSON text) may be NULL. Does nothing once closing.
 * A failed send closes the engine's side (the socket is being closed). */
void gqlx_wsg_send(gqlx_wsg *c, const char *type, const char *id, size_t id_len,
                   const char *payload, size_t payload_len);

/* gqlx_wsg_send with a payload made of head, text as a JSON string, and
 * tail: ("{\"message\":", text, "}") sends {"message":text}. */
void gqlx_wsg_send_text(gqlx_wsg *c, const char *type, const char *id, size_t id_len,
                        const char *head, const char *text, const char *tail);

/* Closes with code and reason: ends every operation silently and stops
 * the timers. Does nothing when already closing. */
void gqlx_wsg_close(gqlx_wsg *c, int code, const char *reason);

/* Authenticates a connection_init payload (NULL when absent): the
 * endpoint's authentication (cfg->auth: a hook, or a bearer token in the
 * payload unless the upgrade request had one) and its rule, then the
 * websockets.authenticate hook. Returns GQL_WS_ACCEPT (the connection's
 * principal and user are set, and its expiry timer armed), GQL_WS_REFUSE
 * (c->refusal says why, for graphql-ws's connection_error), or a
 * negative status. */
int gqlx_wsg_authenticate(gqlx_wsg *c, const gqlx_json *payload);

/* Refuses the connection: with error_before_close a connection_error
 * whose payload is {"message":message} first, then close 4403 with
 * reason. */
void gqlx_wsg_forbid(gqlx_wsg *c, const char *reason, const char *message);

/* Marks the connection acknowledged, stops the init timeout and starts
 * the keep-alive: every period ms (0: none), or with after_silence only
 * once period ms passed without a message from the client. */
void gqlx_wsg_acknowledged(gqlx_wsg *c, uint64_t period, bool after_silence);

/* The running operation with this id, or NULL. */
gqlx_wsg_op *gqlx_wsg_find(gqlx_wsg *c, const char *id, size_t id_len);

/* Starts an operation from a subscribe/start payload: an object whose
 * "query" is a string and whose "variables", "operationName" are the
 * right kinds or absent (the caller checked). Answers the operation's
 * messages itself, including errors. */
void gqlx_wsg_start_op(gqlx_wsg *c, const char *id, size_t id_len, const gqlx_json *payload);

/* Ends a running operation at the client's request: no more messages for
 * it, except "complete" when send_complete. */
void gqlx_wsg_stop_op(gqlx_wsg_op *op, bool send_complete);

/* A member of an object of the given kind (NULL when absent or of
 * another kind). */
const gqlx_json *gqlx_wsg_member(const gqlx_json *obj, const char *key, gqlx_json_kind kind);

/* Whether v is absent, null, or of kind. */
bool gqlx_wsg_nullish_or(const gqlx_json *v, gqlx_json_kind kind);

/* Room for the longest message type of either protocol and more. */
#define GQLX_WSG_TYPE_MAX 24u

/* Copies a message's "type" string into out as a C string. False (out
 * "") when it is too long to be a type of either protocol or holds a
 * NUL. */
bool gqlx_wsg_type_name(const gqlx_json *type, char out[GQLX_WSG_TYPE_MAX]);

#endif
