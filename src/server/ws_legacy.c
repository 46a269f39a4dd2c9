/* src/server/ws_legacy.c — the legacy graphql-ws protocol of Apollo's
 * subscriptions-transport-ws (its PROTOCOL.md): connection_init,
 * connection_ack / connection_error, ka, start, data, error, complete,
 * stop and connection_terminate.
 *
 * Where that protocol is silent, the choices follow its reference server
 * and the seed's: a message that is not JSON, or not an object with a
 * "type", is answered with connection_error and otherwise ignored; an
 * unknown type with an error for the message's id; a refused
 * connection_init with connection_error and then close 4403 (so is a
 * connection whose principal expires: ws_graphql.c); a start
 * before the connection is acknowledged closes with 4401, and a second
 * connection_init with 4429 (as graphql-transport-ws does); a start with
 * the id of a running operation replaces it; a stop is answered with
 * complete. Keep-alive is always the fixed schedule the legacy client
 * expects ("ka" at once after the ack, then every period). */
#include <string.h>

#include "gql/status.h"
#include "server/ws_graphql.h"

/* Sends a message whose payload is {"message":text}. */
static void send_message_payload(gqlx_wsg *c, const char *type, const char *id, size_t id_len,
                                 const char *text)
{
    gqlx_wsg_send_text(c, type, id, id_len, "{\"message\":", text, "}");
}

static void on_connection_init(gqlx_wsg *c, const gqlx_json *msg)
{
    if (c->init_received) {
        gqlx_wsg_close(c, GQLX_WSG_CLOSE_TOO_MANY_INITS, "Too many initialisation requests");
        return;
    }
    c->init_received = true;
    const gqlx_json *payload = gqlx_json_get_cstr(msg, "payload");
    if (payload != NULL && payload->kind != GQLX_JSON_OBJECT)
        payload = NULL;
    int r = gqlx_wsg_authenticate(c, payload);
    if (r == GQL_WS_REFUSE) {
        gqlx_wsg_forbid(c, "Forbidden", c->refusal);
        return;
    }
    if (r != GQL_WS_ACCEPT) {
        send_message_payload(c, "connection_error", NULL, 0, "Internal server error");
        gqlx_wsg_close(c, GQLX_WSG_CLOSE_INTERNAL, "Internal server error");
        return;
    }
    gqlx_wsg_send(c, "connection_ack", NULL, 0, NULL, 0);
    unsigned period = c->cfg->ws.keep_alive_timeout_ms;
    if (period > 0)
        gqlx_wsg_send(c, "ka", NULL, 0, NULL, 0);
    gqlx_wsg_acknowledged(c, period, false);
}

/* The id of start and stop: a string. */
static const gqlx_json *message_id(const gqlx_json *msg)
{
    return gqlx_wsg_member(msg, "id", GQLX_JSON_STRING);
}

static void on_start(gqlx_wsg *c, const gqlx_json *msg)
{
    const gqlx_json *id = message_id(msg);
    if (id == NULL) {
        send_message_payload(c, "error", NULL, 0, "The 'id' property must be a string.");
        return;
    }
    if (!c->acknowledged) {
        gqlx_wsg_close(c, GQLX_WSG_CLOSE_UNAUTHORIZED, "Unauthorized");
        return;
    }
    const gqlx_json *payload = gqlx_wsg_member(msg, "payload", GQLX_JSON_OBJECT);
    const char *problem = NULL;
    if (payload == NULL || gqlx_wsg_member(payload, "query", GQLX_JSON_STRING) == NULL)
        problem = "Must provide a query.";
    else if (!gqlx_wsg_nullish_or(gqlx_json_get_cstr(payload, "variables"), GQLX_JSON_OBJECT) ||
             !gqlx_wsg_nullish_or(gqlx_json_get_cstr(payload, "operationName"), GQLX_JSON_STRING))
        problem = "Incorrect option types. query must be a string, `operationName` must be a "
                  "string, and `variables` must be an object.";
    if (problem != NULL) {
        send_message_payload(c, "error", id->u.str, id->len, problem);
        return;
    }
    gqlx_wsg_op *running = gqlx_wsg_find(c, id->u.str, id->len);
    if (running != NULL)
        gqlx_wsg_stop_op(running, false);
    gqlx_wsg_start_op(c, id->u.str, id->len, payload);
}

static void on_stop(gqlx_wsg *c, const gqlx_json *msg)
{
    const gqlx_json *id = message_id(msg);
    gqlx_wsg_op *op = id != NULL ? gqlx_wsg_find(c, id->u.str, id->len) : NULL;
    if (op != NULL)
        gqlx_wsg_stop_op(op, true);
}

static void legacy_message(gqlx_wsg *c, const gqlx_json *msg, const char *parse_error)
{
    if (msg == NULL) {
        send_message_payload(c, "connection_error", NULL, 0, parse_error);
        return;
    }
    const gqlx_json *type = gqlx_wsg_member(msg, "type", GQLX_JSON_STRING);
    if (msg->kind != GQLX_JSON_OBJECT || type == NULL) {
        send_message_payload(c, "connection_error", NULL, 0,
                             "A message must be an object with a string 'type' property.");
        return;
    }
    char t[GQLX_WSG_TYPE_MAX];
    gqlx_wsg_type_name(type, t); /* "" for no type of ours: unknown */
    if (strcmp(t, "connection_init") == 0) {
        on_connection_init(c, msg);
    } else if (strcmp(t, "start") == 0) {
        on_start(c, msg);
    } else if (strcmp(t, "stop") == 0) {
        on_stop(c, msg);
    } else if (strcmp(t, "connection_terminate") == 0) {
        gqlx_wsg_close(c, 1000, "Normal Closure");
    } else {
        const gqlx_json *id = message_id(msg);
        send_message_payload(c, "error", id != NULL ? id->u.str : NULL, id != NULL ? id->len : 0,
                             "Invalid message type!");
    }
}

static void legacy_keepalive(gqlx_wsg *c)
{
    gqlx_wsg_send(c, "ka", NULL, 0, NULL, 0);
}

const gqlx_wsg_proto gqlx_wsg_legacy = {
    .name = GQLX_WSG_LEGACY_NAME,
    .message = legacy_message,
    .keepalive = legacy_keepalive,
    .result_type = "data",
    .id_first = false,
    .errors_as_array = false,
    .error_before_close = true,
};
