/* tests/unit/server/test_auth_http.c — the endpoint's authentication
 * logic (server/auth_http.h): credentials in a connection_init payload,
 * bearer tokens checked by a real verifier, the endpoint's rule (required,
 * roles any-of, a policy), and the claim matching of gqld's --policy. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "core/arena.h"
#include "core/json.h"
#include "execution/authorize.h"
#include "gql/gql.h"
#include "gql/status.h"
#include "server/auth_http.h"
#include "server/base64url.h"
#include "server/http.h"

static const char SECRET[] = "unit-test-secret-of-at-least-32-bytes!";

/* Parses JSON text into a (test-lifetime) arena value. */
static const gqlx_json *json(gqlx_arena *a, const char *text)
{
    gqlx_json *v = NULL;
    gqlx_json_error err;
    assert_int_equal(gqlx_json_parse(a, text, strlen(text), NULL, &v, &err), GQL_OK);
    return v;
}

/* An HS256 token of payload, signed with SECRET, into out. */
static void make_token(const char *payload, char *out, size_t cap)
{
    static const char header[] = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
    char input[1024];
    size_t n = gqlx_base64url_encode((const unsigned char *)header, strlen(header), input);
    input[n++] = '.';
    n += gqlx_base64url_encode((const unsigned char *)payload, strlen(payload), input + n);
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned mac_len = 0;
    assert_non_null(HMAC(EVP_sha256(), SECRET, (int)strlen(SECRET), (const unsigned char *)input, n,
                         mac, &mac_len));
    assert_true(n + 2 + gqlx_base64url_encoded_len(mac_len) < cap);
    memcpy(out, input, n);
    out[n++] = '.';
    n += gqlx_base64url_encode(mac, mac_len, out + n);
    out[n] = '\0';
}

static gql_jwt_verifier *verifier(void)
{
    gql_jwt_opts o;
    gql_jwt_opts_init(&o);
    o.secret = (const unsigned char *)SECRET;
    o.secret_len = strlen(SECRET);
    gql_jwt_verifier *v = NULL;
    assert_int_equal(gql_jwt_verifier_new(&o, &v, NULL, 0), GQL_OK);
    return v;
}

/* ---- settings -------------------------------------------------------------------- */

static void test_init_copies_the_rule(void **state)
{
    (void)state;
    char r1[] = "admin", r2[] = "ops", pol[] = "editor";
    const char *roles[] = {r1, r2};
    gql_endpoint_opts o;
    gql_endpoint_opts_init(&o);
    assert_int_equal(o.authorization_required, 0);
    assert_null(o.jwt);
    assert_null(o.authenticate);
    o.authorized_roles = roles;
    o.authorized_role_count = 2;
    o.authorized_policy = pol;
    gqlx_auth a;
    assert_int_equal(gqlx_auth_init(&a, &o), GQL_OK);
    r1[0] = r2[0] = pol[0] = 'X'; /* copies, not the caller's strings */
    assert_int_equal(a.role_count, 2);
    assert_string_equal(a.roles[0], "admin");
    assert_string_equal(a.roles[1], "ops");
    assert_string_equal(a.policy, "editor");
    assert_true(gqlx_auth_has_rule(&a));
    assert_false(gqlx_auth_reads_credentials(&a));
    gqlx_auth_free(&a);

    const char *bad[] = {"a", NULL};
    o.authorized_roles = bad;
    assert_int_equal(gqlx_auth_init(&a, &o), GQL_EINVAL);
    gqlx_auth_free(&a);
    o.authorized_roles = NULL;
    assert_int_equal(gqlx_auth_init(&a, &o), GQL_EINVAL);
    gqlx_auth_free(&a);

    gql_endpoint_opts_init(&o);
    assert_int_equal(gqlx_auth_init(&a, &o), GQL_OK);
    assert_false(gqlx_auth_has_rule(&a));
    gqlx_auth_free(&a);
}

/* ---- credentials in connection_init ------------------------------------------------ */

static void test_payload_token(void **state)
{
    (void)state;
    gqlx_arena a;
    gqlx_arena_init(&a, 0, 0);
    size_t len = 0;
    const char *t = gqlx_auth_payload_token(json(&a, "{\"Authorization\":\"Bearer x\"}"), &len);
    assert_non_null(t);
    assert_int_equal(len, 8);
    assert_memory_equal(t, "Bearer x", 8);
    t = gqlx_auth_payload_token(json(&a, "{\"authorization\":\"Bearer y\",\"token\":\"z\"}"), &len);
    assert_memory_equal(t, "Bearer y", len);
    t = gqlx_auth_payload_token(json(&a, "{\"Authorization\":7,\"token\":\"zz\"}"), &len);
    assert_int_equal(len, 2);
    assert_memory_equal(t, "zz", 2);
    assert_null(gqlx_auth_payload_token(json(&a, "{\"Authorization\":null}"), &len));
    assert_int_equal(len, 0);
    assert_null(gqlx_auth_payload_token(json(&a, "[\"token\"]"), &len));
    assert_null(gqlx_auth_payload_token(NULL, &len));
    gqlx_arena_free(&a);
}

static void test_connection_init_with_jwt(void **state)
{
    (void)state;
    gql_jwt_verifier *v = verifier();
    gql_endpoint_opts o;
    gql_endpoint_opts_init(&o);
    o.jwt = v;
    gqlx_auth auth;
    assert_int_equal(gqlx_auth_init(&auth, &o), GQL_OK);
    assert_true(gqlx_auth_reads_credentials(&auth));

    char tok[512], text[700];
    char claims[128];
    snprintf(claims, sizeof claims, "{\"sub\":\"alice\",\"roles\":[\"ops\"],\"exp\":%lld}",
             (long long)time(NULL) + 600);
    make_token(claims, tok, sizeof tok);
    gqlx_arena a;
    gqlx_arena_init(&a, 0, 0);
    gqlx_auth_result r;

    /* "Bearer <token>" and the bare token both work. */
    snprintf(text, sizeof text, "{\"Authorization\":\"Bearer %s\"}", tok);
    assert_int_equal(gqlx_auth_connection_init(&auth, NULL, json(&a, text), &r), GQL_OK);
    assert_non_null(r.principal);
    assert_ptr_equal(r.principal, r.owned);
    assert_string_equal(r.principal->subject, "alice");
    assert_true(gql_principal_has_role(r.principal, "ops"));
    assert_true(r.principal->expires_at > time(NULL));
    gqlx_auth_result_free(&r);
    assert_null(r.principal);
    snprintf(text, sizeof text, "{\"token\":\"%s\"}", tok);
    assert_int_equal(gqlx_auth_connection_init(&auth, NULL, json(&a, text), &r), GQL_OK);
    assert_string_equal(r.principal->subject, "alice");
    gqlx_auth_result_free(&r);

    /* No credentials: anonymous. */
    assert_int_equal(gqlx_auth_connection_init(&auth, NULL, json(&a, "{}"), &r), GQL_OK);
    assert_null(r.principal);
    assert_int_equal(gqlx_auth_connection_init(&auth, NULL, NULL, &r), GQL_OK);
    assert_null(r.principal);

    /* Bad credentials are refused with a reason, never anonymous. */
    tok[strlen(tok) - 2] ^= 1;
    snprintf(text, sizeof text, "{\"token\":\"%s\"}", tok);
    assert_int_equal(gqlx_auth_connection_init(&auth, NULL, json(&a, text), &r),
                     GQL_EUNAUTHENTICATED);
    assert_null(r.principal);
    assert_non_null(r.reason);
    assert_int_equal(
        gqlx_auth_connection_init(&auth, NULL, json(&a, "{\"Authorization\":\"Basic abc\"}"), &r),
        GQL_EUNAUTHENTICATED);
    assert_string_equal(r.reason, "not a bearer token");
    snprintf(claims, sizeof claims, "{\"sub\":\"bob\",\"exp\":%lld}", (long long)time(NULL) - 3600);
    make_token(claims, tok, sizeof tok);
    snprintf(text, sizeof text, "{\"Authorization\":\"bearer  %s\"}", tok);
    assert_int_equal(gqlx_auth_connection_init(&auth, NULL, json(&a, text), &r),
                     GQL_EUNAUTHENTICATED);
    assert_string_equal(r.reason, "token expired");

    gqlx_arena_free(&a);
    gqlx_auth_free(&auth);
    gql_jwt_verifier_free(v);
}

static const gql_principal hooked = {"hooked", NULL, 0, NULL, 0};

static int hook(gql_http_request *req, const gql_json *payload, const gql_principal **p,
                void *user_data)
{
    (void)req;
    int *calls = user_data;
    (*calls)++;
    if (payload == NULL)
        return GQL_ENOMEM;
    if (gql_json_member(payload, "refuse") != NULL)
        return GQL_EUNAUTHENTICATED;
    *p = gql_json_member(payload, "anonymous") != NULL ? NULL : &hooked;
    return GQL_OK;
}

static void test_connection_init_with_hook(void **state)
{
    (void)state;
    int calls = 0;
    gql_endpoint_opts o;
    gql_endpoint_opts_init(&o);
    o.authenticate = hook;
    o.authenticate_data = &calls;
    o.jwt = NULL;
    gqlx_auth auth;
    assert_int_equal(gqlx_auth_init(&auth, &o), GQL_OK);
    gqlx_arena a;
    gqlx_arena_init(&a, 0, 0);
    gqlx_auth_result r;
    assert_int_equal(gqlx_auth_connection_init(&auth, NULL, json(&a, "{}"), &r), GQL_OK);
    assert_ptr_equal(r.principal, &hooked);
    assert_null(r.owned);
    assert_int_equal(gqlx_auth_connection_init(&auth, NULL, json(&a, "{\"anonymous\":1}"), &r),
                     GQL_OK);
    assert_null(r.principal);
    assert_int_equal(gqlx_auth_connection_init(&auth, NULL, json(&a, "{\"refuse\":1}"), &r),
                     GQL_EUNAUTHENTICATED);
    assert_non_null(r.reason);
    /* A payload that is not an object reaches the hook as NULL. */
    assert_int_equal(gqlx_auth_connection_init(&auth, NULL, json(&a, "[1]"), &r), GQL_ENOMEM);
    assert_int_equal(calls, 4);
    gqlx_arena_free(&a);
    gqlx_auth_free(&auth);
}

/* ---- HTTP requests ------------------------------------------------------------------ */

/* A request with one Authorization header (none when value is NULL). */
static void fake_request(gql_http_request *req, gqlx_http_field *field, const char *value)
{
    memset(req, 0, sizeof *req);
    if (value == NULL)
        return;
    field->name = gqlx_slice_make("authorization", 13);
    field->value = gqlx_slice_make(value, strlen(value));
    req->headers = field;
    req->header_count = 1;
}

static void test_http_bearer(void **state)
{
    (void)state;
    gql_jwt_verifier *v = verifier();
    gql_endpoint_opts o;
    gql_endpoint_opts_init(&o);
    o.jwt = v;
    gqlx_auth auth;
    assert_int_equal(gqlx_auth_init(&auth, &o), GQL_OK);
    char tok[512], header[600];
    make_token("{\"sub\":\"carol\"}", tok, sizeof tok);
    gql_http_request req;
    gqlx_http_field f;
    gqlx_auth_result r;

    fake_request(&req, &f, NULL);
    assert_int_equal(gqlx_auth_http(&auth, &req, &r), GQL_OK);
    assert_null(r.principal);

    snprintf(header, sizeof header, "Bearer %s", tok);
    fake_request(&req, &f, header);
    assert_int_equal(gqlx_auth_http(&auth, &req, &r), GQL_OK);
    assert_string_equal(r.principal->subject, "carol");
    assert_int_equal(r.principal->expires_at, 0);
    gqlx_auth_result_free(&r);

    /* In a header the scheme is required. */
    fake_request(&req, &f, tok);
    assert_int_equal(gqlx_auth_http(&auth, &req, &r), GQL_EUNAUTHENTICATED);
    assert_string_equal(r.reason, "not a bearer token");
    assert_null(r.owned);
    gqlx_auth_free(&auth);

    /* Without a verifier, headers are not read. */
    gql_endpoint_opts_init(&o);
    assert_int_equal(gqlx_auth_init(&auth, &o), GQL_OK);
    fake_request(&req, &f, "Bearer whatever");
    assert_int_equal(gqlx_auth_http(&auth, &req, &r), GQL_OK);
    assert_null(r.principal);
    gqlx_auth_free(&auth);
    gql_jwt_verifier_free(v);
}

static void test_http_hook(void **state)
{
    (void)state;
    int calls = 0;
    gql_jwt_verifier *v = verifier();
    gql_endpoint_opts o;
    gql_endpoint_opts_init(&o);
    o.authenticate = hook;
    o.authenticate_data = &calls;
    o.jwt = v; /* the hook replaces it */
    gqlx_auth auth;
    assert_int_equal(gqlx_auth_init(&auth, &o), GQL_OK);
    gql_http_request req;
    gqlx_http_field f;
    gqlx_auth_result r;
    fake_request(&req, &f, "Bearer not-even-a-token");
    /* HTTP requests reach the hook without a payload: this hook answers
     * that with a failure of its own, which is passed on. */
    assert_int_equal(gqlx_auth_http(&auth, &req, &r), GQL_ENOMEM);
    assert_int_equal(calls, 1);
    gqlx_auth_free(&auth);
    gql_jwt_verifier_free(v);
}

/* ---- the endpoint's rule ---------------------------------------------------------------- */

static int policy_calls;

static int scope_policy(const gql_principal *p, const gql_request *req, void *user_data)
{
    policy_calls++;
    assert_non_null(req);
    assert_ptr_equal(req->principal, p);
    assert_ptr_equal(req->user, (void *)&policy_calls);
    return p != NULL && gqlx_auth_claim_matches(p->claims, "scope", user_data);
}

static void test_check(void **state)
{
    (void)state;
    gqlx_arena a;
    gqlx_arena_init(&a, 0, 0);
    const char *admin_roles[] = {"admin"};
    const char *user_roles[] = {"user", "ops"};
    const gql_json *write = (const gql_json *)(const void *)json(&a, "{\"scope\":\"read write\"}");
    const gql_json *read = (const gql_json *)(const void *)json(&a, "{\"scope\":\"read\"}");
    gql_principal admin = {"a", admin_roles, 1, write, 0};
    gql_principal user = {"u", user_roles, 2, read, 0};
    gql_principal expired = {"e", admin_roles, 1, write, (long long)time(NULL) - 10};
    gql_principal later = {"l", admin_roles, 1, write, (long long)time(NULL) + 100};
    void *u = &policy_calls;

    gql_policies *pol = NULL;
    assert_int_equal(gql_policies_new(&pol), GQL_OK);
    static char write_scope[] = "write";
    assert_int_equal(gql_policies_add(pol, "writer", scope_policy, write_scope), GQL_OK);

    gql_endpoint_opts o;
    gql_endpoint_opts_init(&o);
    o.exec.policies = pol;
    gqlx_auth auth;

    /* No rule: anyone. */
    assert_int_equal(gqlx_auth_init(&auth, &o), GQL_OK);
    assert_int_equal(gqlx_auth_check(&auth, NULL, u), GQL_OK);
    assert_int_equal(gqlx_auth_check(&auth, &expired, u), GQL_OK);
    gqlx_auth_free(&auth);

    /* Required: a live principal. */
    o.authorization_required = 1;
    assert_int_equal(gqlx_auth_init(&auth, &o), GQL_OK);
    assert_int_equal(gqlx_auth_check(&auth, NULL, u), GQL_EUNAUTHENTICATED);
    assert_int_equal(gqlx_auth_check(&auth, &expired, u), GQL_EUNAUTHENTICATED);
    assert_int_equal(gqlx_auth_check(&auth, &later, u), GQL_OK);
    assert_int_equal(gqlx_auth_check(&auth, &user, u), GQL_OK);
    gqlx_auth_free(&auth);

    /* Roles: any one; without a principal it is 401, not 403. */
    o.authorization_required = 0;
    const char *need[] = {"ops", "admin"};
    o.authorized_roles = need;
    o.authorized_role_count = 2;
    assert_int_equal(gqlx_auth_init(&auth, &o), GQL_OK);
    assert_int_equal(gqlx_auth_check(&auth, NULL, u), GQL_EUNAUTHENTICATED);
    assert_int_equal(gqlx_auth_check(&auth, &admin, u), GQL_OK);
    assert_int_equal(gqlx_auth_check(&auth, &user, u), GQL_OK);
    gqlx_auth_free(&auth);
    const char *only_admin[] = {"admin"};
    o.authorized_roles = only_admin;
    o.authorized_role_count = 1;
    assert_int_equal(gqlx_auth_init(&auth, &o), GQL_OK);
    assert_int_equal(gqlx_auth_check(&auth, &user, u), GQL_EFORBIDDEN);
    gqlx_auth_free(&auth);

    /* A policy, called with a request carrying the principal and user. */
    o.authorized_roles = NULL;
    o.authorized_role_count = 0;
    o.authorized_policy = "writer";
    assert_int_equal(gqlx_auth_init(&auth, &o), GQL_OK);
    policy_calls = 0;
    assert_int_equal(gqlx_auth_check(&auth, &admin, u), GQL_OK);
    assert_int_equal(gqlx_auth_check(&auth, &user, u), GQL_EFORBIDDEN);
    assert_int_equal(gqlx_auth_check(&auth, NULL, u), GQL_EUNAUTHENTICATED);
    assert_int_equal(policy_calls, 2);
    gqlx_auth_free(&auth);

    /* A policy nobody registered refuses everyone. */
    o.authorized_policy = "nobody";
    assert_int_equal(gqlx_auth_init(&auth, &o), GQL_OK);
    assert_int_equal(gqlx_auth_check(&auth, &admin, u), GQL_EFORBIDDEN);
    gqlx_auth_free(&auth);

    gql_policies_free(pol);
    gqlx_arena_free(&a);
}

static void test_principal_live(void **state)
{
    (void)state;
    gql_principal p = {NULL, NULL, 0, NULL, 0};
    assert_false(gqlx_principal_live(NULL, 0));
    assert_true(gqlx_principal_live(&p, 0));
    p.expires_at = 1000;
    assert_true(gqlx_principal_live(&p, 999));
    assert_false(gqlx_principal_live(&p, 1000));
    assert_false(gqlx_principal_live(&p, 0));
}

/* ---- claims ---------------------------------------------------------------------------- */

static void test_claim_matches(void **state)
{
    (void)state;
    gqlx_arena a;
    gqlx_arena_init(&a, 0, 0);
    const gql_json *c = (const gql_json *)(const void *)json(
        &a, "{\"scope\":\"read  write\",\"groups\":[\"a\",\"b c\",3],\"email_verified\":true,"
            "\"level\":42,\"realm\":{\"access\":{\"roles\":[\"staff\"]}},\"x.y\":\"dotted\","
            "\"half\":1.5,\"obj\":{\"k\":\"v\"}}");
    static const struct {
        const char *claim, *value;
        bool match;
    } cases[] = {
        {"scope", "write", true},
        {"scope", "read", true},
        {"scope", "read  write", true},
        {"scope", "wri", false},
        {"scope", "", false},
        {"groups", "a", true},
        {"groups", "b c", true},
        {"groups", "b", false}, /* words split strings, not array items */
        {"groups", "3", true},
        {"email_verified", "true", true},
        {"email_verified", "false", false},
        {"level", "42", true},
        {"level", "4", false},
        {"half", "1.5", false},
        {"realm.access.roles", "staff", true},
        {"realm.access", "staff", false},
        {"realm.missing.roles", "staff", false},
        {"x.y", "dotted", true},
        {"obj", "v", false},
        {"absent", "x", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bool got = gqlx_auth_claim_matches(c, cases[i].claim, cases[i].value);
        if (got != cases[i].match)
            fail_msg("%s=%s: %d", cases[i].claim, cases[i].value, got);
    }
    assert_false(gqlx_auth_claim_matches(NULL, "scope", "read"));
    gqlx_arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_copies_the_rule),
        cmocka_unit_test(test_payload_token),
        cmocka_unit_test(test_connection_init_with_jwt),
        cmocka_unit_test(test_connection_init_with_hook),
        cmocka_unit_test(test_http_bearer),
        cmocka_unit_test(test_http_hook),
        cmocka_unit_test(test_check),
        cmocka_unit_test(test_principal_live),
        cmocka_unit_test(test_claim_matches),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
