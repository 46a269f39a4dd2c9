/* tests/unit/server/test_auth_ws.c — authentication of GraphQL WebSockets
 * in the protocol engine (ws_graphql.c) with a fake socket and clock:
 * connection_init refused by the endpoint's authentication or rule (4403;
 * the legacy protocol's connection_error first), the principal set on
 * every operation, the websockets.authenticate hook after it, and the
 * close at the principal's expiry. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "wsg_test.h"

static const char auth_sdl[] = "type Query { hello: String secret: String "
                               "@authorize(roles: [\"admin\"]) }\n";

/* What the hook answers: a principal (or none), or a status. */
typedef struct hook_state {
    gql_principal principal;
    const char *const *roles;
    bool anonymous;
    int status;
    int calls;
} hook_state;

static int hook(gql_http_request *req, const gql_json *payload, const gql_principal **p,
                void *user_data)
{
    (void)req;
    (void)payload;
    hook_state *h = user_data;
    h->calls++;
    if (h->status != GQL_OK)
        return h->status;
    *p = h->anonymous ? NULL : &h->principal;
    return GQL_OK;
}

typedef struct auth_world {
    gql_schema *schema;
    gqlx_wsg_config cfg;
    gqlx_auth auth;
    hook_state h;
    fake_ws f;
    gqlx_wsg *c;
} auth_world;

static const char *const ADMIN[] = {"admin"};
static const char *const USER[] = {"user"};

/* A connection of protocol on an endpoint whose hook gives a principal
 * with roles, expiring at expires_at (0: never); required sets
 * authorization_required. */
static void aw_init(auth_world *w, gqlx_wsg_protocol protocol, const char *const *roles,
                    long long expires_at, bool required)
{
    memset(w, 0, sizeof *w);
    assert_int_equal(gql_schema_build(&w->schema, auth_sdl, strlen(auth_sdl), NULL, NULL), GQL_OK);
    w->h.principal.subject = "alice";
    w->h.principal.roles = roles;
    w->h.principal.role_count = roles != NULL ? 1 : 0;
    w->h.principal.expires_at = expires_at;
    gql_endpoint_opts o;
    gql_endpoint_opts_init(&o);
    o.authenticate = hook;
    o.authenticate_data = &w->h;
    o.authorization_required = required;
    assert_int_equal(gqlx_auth_init(&w->auth, &o), GQL_OK);
    w->cfg.schema = w->schema;
    gql_exec_opts_init(&w->cfg.exec);
    w->cfg.root = gql_null();
    gqlx_websocket_opts_init(&w->cfg.ws);
    w->cfg.auth = &w->auth;
    w->f.now = 1000;
    w->c = gqlx_wsg_new(&w->cfg, protocol, &fake_io, &w->f, NULL, NULL);
    assert_non_null(w->c);
    gqlx_wsg_start(w->c);
}

static void aw_free(auth_world *w)
{
    if (w->c != NULL)
        gqlx_wsg_closed(w->c);
    gqlx_auth_free(&w->auth);
    gql_schema_free(w->schema);
}

static void test_transport_principal_on_operations(void **state)
{
    (void)state;
    auth_world w;
    aw_init(&w, GQLX_WSG_TRANSPORT, ADMIN, 0, true);
    feed(w.c, "{\"type\":\"connection_init\",\"payload\":{\"token\":\"x\"}}");
    expect_sent(&w.f, ACK);
    assert_int_equal(w.h.calls, 1);
    feed(w.c, "{\"id\":\"1\",\"type\":\"subscribe\",\"payload\":{\"query\":\"{ secret }\"}}");
    expect_sent(&w.f, "{\"id\":\"1\",\"type\":\"next\",\"payload\":{\"data\":{\"secret\":null}}}\n"
                      "{\"id\":\"1\",\"type\":\"complete\"}\n");
    /* No expiry: no timer beyond the protocol's own. */
    assert_int_equal(w.f.timer_due, 0);
    aw_free(&w);
}

static void test_transport_denied_operation(void **state)
{
    (void)state;
    auth_world w;
    aw_init(&w, GQLX_WSG_TRANSPORT, USER, 0, false);
    feed(w.c, "{\"type\":\"connection_init\"}");
    expect_sent(&w.f, ACK);
    feed(w.c, "{\"id\":\"1\",\"type\":\"subscribe\",\"payload\":{\"query\":\"{ secret }\"}}");
    expect_sent(&w.f, "{\"id\":\"1\",\"type\":\"error\",\"payload\":[{\"message\":\"Access denied "
                      "for field 'secret' on type 'Query'.\",\"locations\":[{\"line\":1,"
                      "\"column\":3}],\"extensions\":{\"code\":\"ACCESS_DENIED\"}}]}\n");
    assert_int_equal(w.f.closes, 0);
    aw_free(&w);
}

static void test_refusals(void **state)
{
    (void)state;
    static const struct {
        gqlx_wsg_protocol protocol;
        bool anonymous, required;
        int status;
        const char *sent;
        int code;
        const char *reason;
    } cases[] = {
        /* Refused credentials. */
        {GQLX_WSG_TRANSPORT, false, false, GQL_EUNAUTHENTICATED, "", 4403, "Forbidden"},
        {GQLX_WSG_LEGACY, false, false, GQL_EUNAUTHENTICATED,
         "{\"type\":\"connection_error\",\"payload\":{\"message\":\"Access denied: invalid "
         "credentials.\"}}\n",
         4403, "Forbidden"},
        /* The endpoint's rule: anonymous where a principal is required. */
        {GQLX_WSG_TRANSPORT, true, true, GQL_OK, "", 4403, "Forbidden"},
        {GQLX_WSG_LEGACY, true, true, GQL_OK,
         "{\"type\":\"connection_error\",\"payload\":{\"message\":\"Access denied.\"}}\n", 4403,
         "Forbidden"},
        /* The hook's own failure. */
        {GQLX_WSG_TRANSPORT, false, false, GQL_ENOMEM, "", 4500, "Internal server error"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        auth_world w;
        aw_init(&w, cases[i].protocol, ADMIN, 0, cases[i].required);
        w.h.anonymous = cases[i].anonymous;
        w.h.status = cases[i].status;
        feed(w.c, "{\"type\":\"connection_init\"}");
        expect_sent(&w.f, cases[i].sent);
        assert_int_equal(w.f.close_code, cases[i].code);
        assert_string_equal(w.f.close_reason, cases[i].reason);
        aw_free(&w);
    }
}

static void test_expired_principal_is_refused(void **state)
{
    (void)state;
    auth_world w;
    aw_init(&w, GQLX_WSG_TRANSPORT, ADMIN, (long long)time(NULL) - 1, false);
    feed(w.c, "{\"type\":\"connection_init\"}");
    expect_sent(&w.f, "");
    assert_int_equal(w.f.close_code, 4403);
    aw_free(&w);
}

/* The connection lives until its principal expires, then is closed. */
static void check_expiry(gqlx_wsg_protocol protocol, const char *sent)
{
    auth_world w;
    long long exp = (long long)time(NULL) + 5;
    aw_init(&w, protocol, ADMIN, exp, false);
    feed(w.c, "{\"type\":\"connection_init\"}");
    expect_sent(&w.f, ACK);
    /* Armed for the expiry: between 4 and 5 seconds from now. */
    assert_true(w.f.timer_due >= w.f.now + 3900 && w.f.timer_due <= w.f.now + 5000);
    advance(&w.f, w.c, 3800);
    assert_int_equal(w.f.closes, 0);
    feed(w.c, protocol == GQLX_WSG_LEGACY
                  ? "{\"id\":\"1\",\"type\":\"start\",\"payload\":{\"query\":\"{ hello }\"}}"
                  : "{\"id\":\"1\",\"type\":\"subscribe\",\"payload\":{\"query\":\"{ hello }\"}}");
    w.f.sent[0] = '\0';
    advance(&w.f, w.c, 1300);
    expect_sent(&w.f, sent);
    assert_int_equal(w.f.closes, 1);
    assert_int_equal(w.f.close_code, 4403);
    assert_string_equal(w.f.close_reason, "Token expired");
    aw_free(&w);
}

static void test_expiry_closes_transport(void **state)
{
    (void)state;
    check_expiry(GQLX_WSG_TRANSPORT, "");
}

static void test_expiry_closes_legacy(void **state)
{
    (void)state;
    check_expiry(GQLX_WSG_LEGACY, "{\"type\":\"connection_error\",\"payload\":{\"message\":"
                                  "\"Access denied: token expired.\"}}\n");
}

/* The expiry shares the one timer with the keep-alive. */
static void keepalive_every_second(gql_websocket_opts *o)
{
    o->keep_alive_mode = GQL_KEEPALIVE_INTERVAL;
    o->keep_alive_timeout_ms = 1000;
}

static void test_expiry_with_keepalive(void **state)
{
    (void)state;
    auth_world w;
    aw_init(&w, GQLX_WSG_TRANSPORT, ADMIN, (long long)time(NULL) + 3, false);
    keepalive_every_second(&w.cfg.ws);
    feed(w.c, "{\"type\":\"connection_init\"}");
    expect_sent(&w.f, ACK);
    advance(&w.f, w.c, 1500);
    expect_sent(&w.f, "{\"type\":\"pong\"}\n");
    assert_int_equal(w.f.closes, 0);
    advance(&w.f, w.c, 2000);
    assert_int_equal(w.f.close_code, 4403);
    aw_free(&w);
}

/* The upgrade request's principal stands in for connection_init's. */
static void test_upgrade_principal(void **state)
{
    (void)state;
    auth_world w;
    aw_init(&w, GQLX_WSG_TRANSPORT, USER, 0, true);
    /* An unowned principal: the engine frees only what it is given to
     * own (a verified token's). */
    gqlx_auth_result r = {&w.h.principal, NULL, NULL};
    w.h.principal.roles = ADMIN;
    gqlx_wsg_set_principal(w.c, &r);
    assert_null(r.principal);
    feed(w.c, "{\"type\":\"connection_init\"}");
    expect_sent(&w.f, ACK);
    assert_int_equal(w.h.calls, 0); /* nothing more to authenticate */
    feed(w.c, "{\"id\":\"1\",\"type\":\"subscribe\",\"payload\":{\"query\":\"{ secret }\"}}");
    expect_sent(&w.f, "{\"id\":\"1\",\"type\":\"next\",\"payload\":{\"data\":{\"secret\":null}}}\n"
                      "{\"id\":\"1\",\"type\":\"complete\"}\n");
    aw_free(&w);
}

/* websockets.authenticate runs after the endpoint's authentication. */
static int ws_refuse(gql_http_request *req, const gql_json *payload, void **user, void *data)
{
    (void)req;
    (void)payload;
    (void)user;
    (*(int *)data)++;
    return GQL_WS_REFUSE;
}

static void test_ws_hook_after(void **state)
{
    (void)state;
    auth_world w;
    int calls = 0;
    aw_init(&w, GQLX_WSG_LEGACY, ADMIN, (long long)time(NULL) + 100, false);
    w.cfg.ws.authenticate = ws_refuse;
    w.cfg.ws.authenticate_data = &calls;
    feed(w.c, "{\"type\":\"connection_init\"}");
    assert_int_equal(w.h.calls, 1);
    assert_int_equal(calls, 1);
    expect_sent(&w.f, "{\"type\":\"connection_error\",\"payload\":{\"message\":\"Forbidden\"}}\n");
    assert_int_equal(w.f.close_code, 4403);
    assert_int_equal(w.f.timer_due, 0); /* no expiry waits for a refused connection */
    aw_free(&w);

    /* Refused by the endpoint first: the hook is not asked. */
    aw_init(&w, GQLX_WSG_TRANSPORT, ADMIN, 0, true);
    w.h.anonymous = true;
    w.cfg.ws.authenticate = ws_refuse;
    w.cfg.ws.authenticate_data = &calls;
    feed(w.c, "{\"type\":\"connection_init\"}");
    assert_int_equal(calls, 1);
    assert_int_equal(w.f.close_code, 4403);
    aw_free(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_transport_principal_on_operations),
        cmocka_unit_test(test_transport_denied_operation),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_expired_principal_is_refused),
        cmocka_unit_test(test_expiry_closes_transport),
        cmocka_unit_test(test_expiry_closes_legacy),
        cmocka_unit_test(test_expiry_with_keepalive),
        cmocka_unit_test(test_upgrade_principal),
        cmocka_unit_test(test_ws_hook_after),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
