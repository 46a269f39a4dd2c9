/* src/server/ws_transport.c — the graphql-transport-ws protocol
 * (enisdenjo/graphql-ws's PROTOCOL.md): message checks as strict as its
 * reference server's, and its close codes:
 *   4400 a message of a type or shape the protocol does not have,
 *   4401 subscribe before connection_ack,
 *   4403 connection_init refused (credentials, the endpoint's rule, the
 *        authentication hook), and the principal's expiry ("Token
 *        expired"),
 *   4408 no connection_init in time (and a client that stops answering
 *        TIMEOUT_WITH_PAYLOAD keep-alive pings),
 *   4409 subscribe with the id of a running operation,
 *   4429 a second connection_init,
 *   4500 the server failed (the authentication hook, memory). */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "gql/status.h"
#include "server/ws_graphql.h"

/* Closes with 4400 and a reason saying what was wrong (cut to fit). */
__attribute__((format(printf, 2, 3))) static void bad_request(gqlx_wsg *c, const char *fmt, ...)
{
    char reason[124];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    gqlx_wsg_close(c, GQLX_WSG_CLOSE_BAD_REQUEST, reason);
}

/* "object", "string"... as graphql-ws's messages say it. */
static const char *kind_name(const gqlx_json *v)
{
    return v == NULL ? "undefined" : gqlx_json_kind_name(v->kind);
}

/* The payload of connection_init, ping and pong: an object, null or
 * absent. */
static bool check_payload(gqlx_wsg *c, const gqlx_json *msg, const char *type)
{
    const gqlx_json *p = gqlx_json_get_cstr(msg, "payload");
    if (gqlx_wsg_nullish_or(p, GQLX_JSON_OBJECT))
        return true;
    bad_request(c,
                "\"%s\" message expects the 'payload' property to be an object or nullish or "
                "missing",
                type);
    return false;
}

/* The id of subscribe and complete: a non-empty string. */
static const gqlx_json *check_id(gqlx_wsg *c, const gqlx_json *msg, const char *type)
{
    const gqlx_json *id = gqlx_json_get_cstr(msg, "id");
    if (id != NULL && id->kind == GQLX_JSON_STRING && id->len > 0)
        return id;
    if (id != NULL && id->kind == GQLX_JSON_STRING)
        bad_request(c, "\"%s\" message requires a non-empty 'id' property", type);
    else
        bad_request(c, "\"%s\" message expects the 'id' property to be a string", type);
    return NULL;
}

/* Answers a ping with a pong carrying the ping's payload, if any. */
static void echo_pong(gqlx_wsg *c, const gqlx_json *payload)
{
    if (payload == NULL || payload->kind != GQLX_JSON_OBJECT) {
        gqlx_wsg_send(c, "pong", NULL, 0, NULL, 0);
        return;
    }
    gqlx_buf b;
    gqlx_buf_init(&b, 0);
    gqlx_json_write_value(&b, payload, GQLX_JSON_WRITE_NUMBER_TEXT);
    if (b.failed)
        gqlx_wsg_close(c, GQLX_WSG_CLOSE_INTERNAL, "Internal server error");
    else
        gqlx_wsg_send(c, "pong", NULL, 0, b.data, b.len);
    gqlx_buf_free(&b);
}

static void on_connection_init(gqlx_wsg *c, const gqlx_json *msg)
{
    if (!check_payload(c, msg, "connection_init"))
        return;
    if (c->init_received) {
        gqlx_wsg_close(c, GQLX_WSG_CLOSE_TOO_MANY_INITS, "Too many initialisation requests");
        return;
    }
    c->init_received = true;
    int r = gqlx_wsg_authenticate(c, gqlx_json_get_cstr(msg, "payload"));
    if (r == GQL_WS_REFUSE) {
        gqlx_wsg_forbid(c, "Forbidden", c->refusal);
        return;
    }
    if (r != GQL_WS_ACCEPT) {
        gqlx_wsg_close(c, GQLX_WSG_CLOSE_INTERNAL, "Internal server error");
        return;
    }
    gqlx_wsg_send(c, "connection_ack", NULL, 0, NULL, 0);
    const gql_websocket_opts *o = &c->cfg->ws;
    int mode = o->keep_alive_mode;
    bool after_silence =
        mode != GQL_KEEPALIVE_INTERVAL && mode != GQL_KEEPALIVE_TIMEOUT_WITH_PAYLOAD;
    gqlx_wsg_acknowledged(c, o->keep_alive_timeout_ms, after_silence);
}

/* A pong answering one of our keep-alive pings: {"id":"<n>"}. */
static void on_pong(gqlx_wsg *c, const gqlx_json *msg)
{
    if (!check_payload(c, msg, "pong"))
        return;
    if (c->cfg->ws.keep_alive_mode != GQL_KEEPALIVE_TIMEOUT_WITH_PAYLOAD)
        return;
    const gqlx_json *payload = gqlx_json_get_cstr(msg, "payload");
    const gqlx_json *id = gqlx_wsg_member(payload, "id", GQLX_JSON_STRING);
    if (id == NULL || id->len == 0 || id->len > 20)
        return;
    char digits[21];
    memcpy(digits, id->u.str, id->len);
    digits[id->len] = '\0';
    char *end;
    unsigned long long n = strtoull(digits, &end, 10);
    /* Only an echo of a ping we sent counts, and only forward. */
    if (*end == '\0' && digits[0] >= '0' && digits[0] <= '9' && n <= c->ping_seq && n > c->pong_seq)
        c->pong_seq = n;
}

static void on_subscribe(gqlx_wsg *c, const gqlx_json *msg)
{
    const gqlx_json *id = check_id(c, msg, "subscribe");
    if (id == NULL)
        return;
    const gqlx_json *payload = gqlx_json_get_cstr(msg, "payload");
    if (payload == NULL || payload->kind != GQLX_JSON_OBJECT) {
        bad_request(c,
                    "\"subscribe\" message expects the 'payload' property to be an object, but "
                    "got %s",
                    kind_name(payload));
        return;
    }
    const gqlx_json *query = gqlx_json_get_cstr(payload, "query");
    if (query == NULL || query->kind != GQLX_JSON_STRING) {
        bad_request(c,
                    "\"subscribe\" message payload expects the 'query' property to be a "
                    "string, but got %s",
                    kind_name(query));
        return;
    }
    if (!gqlx_wsg_nullish_or(gqlx_json_get_cstr(payload, "variables"), GQLX_JSON_OBJECT)) {
        bad_request(c, "%s",
                    "\"subscribe\" message payload expects the 'variables' property to "
                    "be an object or nullish or missing");
        return;
    }
    if (!gqlx_wsg_nullish_or(gqlx_json_get_cstr(payload, "operationName"), GQLX_JSON_STRING)) {
        bad_request(c, "%s",
                    "\"subscribe\" message payload expects the 'operationName' property "
                    "to be a string or nullish or missing");
        return;
    }
    if (!gqlx_wsg_nullish_or(gqlx_json_get_cstr(payload, "extensions"), GQLX_JSON_OBJECT)) {
        bad_request(c, "%s",
                    "\"subscribe\" message payload expects the 'extensions' property to "
                    "be an object or nullish or missing");
        return;
    }
    if (!c->acknowledged) {
        gqlx_wsg_close(c, GQLX_WSG_CLOSE_UNAUTHORIZED, "Unauthorized");
        return;
    }
    if (gqlx_wsg_find(c, id->u.str, id->len) != NULL) {
        /* At most 100 bytes of the id, cut between code points: a close
         * reason must be UTF-8. */
        size_t n = id->len < 100 ? id->len : 100;
        while (n < id->len && n > 0 && ((unsigned char)id->u.str[n] & 0xc0u) == 0x80u)
            n--;
        char reason[124];
        snprintf(reason, sizeof reason, "Subscriber for %.*s already exists", (int)n, id->u.str);
        gqlx_wsg_close(c, GQLX_WSG_CLOSE_DUPLICATE_ID, reason);
        return;
    }
    gqlx_wsg_start_op(c, id->u.str, id->len, payload);
}

static void on_complete(gqlx_wsg *c, const gqlx_json *msg)
{
    const gqlx_json *id = check_id(c, msg, "complete");
    if (id == NULL)
        return;
    /* Operations already over are ignored, as the protocol asks. */
    gqlx_wsg_op *op = gqlx_wsg_find(c, id->u.str, id->len);
    if (op != NULL)
        gqlx_wsg_stop_op(op, false);
}

static void transport_message(gqlx_wsg *c, const gqlx_json *msg, const char *parse_error)
{
    if (msg == NULL) {
        bad_request(c, "Invalid message received: %s", parse_error);
        return;
    }
    if (msg->kind != GQLX_JSON_OBJECT) {
        bad_request(c, "Message is expected to be an object, but got %s", kind_name(msg));
        return;
    }
    const gqlx_json *type = gqlx_json_get_cstr(msg, "type");
    if (type == NULL || type->kind != GQLX_JSON_STRING) {
        bad_request(c, "%s",
                    type == NULL ? "Message is missing the 'type' property"
                                 : "Message expects the 'type' property to be a "
                                   "string");
        return;
    }
    char t[GQLX_WSG_TYPE_MAX];
    if (!gqlx_wsg_type_name(type, t)) {
        bad_request(c, "%s", "Invalid message 'type' property");
        return;
    }
    if (strcmp(t, "connection_init") == 0) {
        on_connection_init(c, msg);
    } else if (strcmp(t, "ping") == 0) {
        if (check_payload(c, msg, "ping"))
            echo_pong(c, gqlx_json_get_cstr(msg, "payload"));
    } else if (strcmp(t, "pong") == 0) {
        on_pong(c, msg);
    } else if (strcmp(t, "subscribe") == 0) {
        on_subscribe(c, msg);
    } else if (strcmp(t, "complete") == 0) {
        on_complete(c, msg);
    } else if (strcmp(t, "connection_ack") == 0 || strcmp(t, "next") == 0 ||
               strcmp(t, "error") == 0) {
        bad_request(c, "Unexpected message of type %s received", t);
    } else {
        bad_request(c, "Invalid message 'type' property \"%s\"", t);
    }
}

/* TIMEOUT and INTERVAL send a one-way pong; TIMEOUT_WITH_PAYLOAD a ping
 * whose echo it expects, after closing a client two pings behind. */
static void transport_keepalive(gqlx_wsg *c)
{
    if (c->cfg->ws.keep_alive_mode != GQL_KEEPALIVE_TIMEOUT_WITH_PAYLOAD) {
        gqlx_wsg_send(c, "pong", NULL, 0, NULL, 0);
        return;
    }
    if (c->ping_seq - c->pong_seq >= 2) {
        gqlx_wsg_close(c, GQLX_WSG_CLOSE_INIT_TIMEOUT, "Keep-alive timeout");
        return;
    }
    c->ping_seq++;
    char payload[48];
    int len = snprintf(payload, sizeof payload, "{\"id\":\"%" PRIu64 "\"}", c->ping_seq);
    gqlx_wsg_send(c, "ping", NULL, 0, payload, (size_t)len);
}

const gqlx_wsg_proto gqlx_wsg_transport = {
    .name = GQLX_WSG_TRANSPORT_NAME,
    .message = transport_message,
    .keepalive = transport_keepalive,
    .result_type = "next",
    .id_first = true,
    .errors_as_array = true,
    .error_before_close = false,
};
