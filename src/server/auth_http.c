/* src/server/auth_http.c — authenticating requests to a GraphQL endpoint
 * (a hook, or JWT bearer tokens) and checking the endpoint's own rule,
 * for HTTP requests and GraphQL WebSockets alike (server/auth_http.h). */
#include "server/auth_http.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/strdup.h"
#include "execution/authorize.h"
#include "gql/status.h"
#include "server/http.h"

/* ---- settings ---------------------------------------------------------------- */

int gqlx_auth_init(gqlx_auth *a, const gql_endpoint_opts *opts)
{
    memset(a, 0, sizeof *a);
    a->required = opts->authorization_required != 0;
    a->jwt = opts->jwt;
    a->hook = opts->authenticate;
    a->hook_data = opts->authenticate_data;
    a->policies = opts->exec.policies;
    a->context = opts->context;
    size_t n = opts->authorized_role_count;
    if (n > 0 && opts->authorized_roles == NULL)
        return GQL_EINVAL;
    /* The names and their pointers in one block: the pointers first. */
    size_t bytes = 0;
    for (size_t i = 0; i < n; i++) {
        if (opts->authorized_roles[i] == NULL)
            return GQL_EINVAL;
        bytes += strlen(opts->authorized_roles[i]) + 1;
    }
    if (n > 0) {
        if (n > (SIZE_MAX - bytes) / sizeof(char *))
            return GQL_ENOMEM;
        a->roles = gqlx_malloc(n * sizeof(char *) + bytes);
        if (a->roles == NULL)
            return GQL_ENOMEM;
        char *p = (char *)(a->roles + n);
        for (size_t i = 0; i < n; i++) {
            size_t len = strlen(opts->authorized_roles[i]) + 1;
            memcpy(p, opts->authorized_roles[i], len);
            a->roles[i] = p;
            p += len;
        }
        a->role_count = n;
    }
    if (opts->authorized_policy != NULL) {
        a->policy = gqlx_strdup(opts->authorized_policy);
        if (a->policy == NULL)
            return GQL_ENOMEM;
    }
    return GQL_OK;
}

void gqlx_auth_free(gqlx_auth *a)
{
    gqlx_free(a->roles);
    gqlx_free(a->policy);
    a->roles = NULL;
    a->policy = NULL;
    a->role_count = 0;
}

bool gqlx_auth_reads_credentials(const gqlx_auth *a)
{
    return a->hook != NULL || a->jwt != NULL;
}

bool gqlx_auth_has_rule(const gqlx_auth *a)
{
    return a->required || a->role_count > 0 || a->policy != NULL;
}

/* ---- authenticating ------------------------------------------------------------- */

void gqlx_auth_result_free(gqlx_auth_result *r)
{
    gql_jwt_principal_free(r->owned);
    memset(r, 0, sizeof *r);
}

/* Runs the application's hook; its refusal has no reason of its own. */
static int run_hook(const gqlx_auth *a, gql_http_request *req, const gqlx_json *payload,
                    gqlx_auth_result *out)
{
    const gql_principal *p = NULL;
    int rc = a->hook(req, (const gql_json *)(const void *)payload, &p, a->hook_data);
    if (rc == GQL_OK) {
        out->principal = p;
        return GQL_OK;
    }
    if (rc == GQL_EUNAUTHENTICATED) {
        out->reason = "credentials refused";
        return rc;
    }
    return rc < 0 ? rc : GQL_EINVAL;
}

/* Verifies a bearer credential: "Bearer <token>", or with bare the token
 * alone (connection_init payloads carry either). */
static int verify(const gqlx_auth *a, const char *value, size_t len, bool bare,
                  gqlx_auth_result *out)
{
    gql_principal *p = NULL;
    const char *reason = NULL;
    int rc = bare ? gql_jwt_verify(a->jwt, value, len, 0, &p, &reason)
                  : gql_jwt_verify_bearer(a->jwt, value, len, 0, &p, &reason);
    if (rc != GQL_OK) {
        out->reason = reason != NULL ? reason : "invalid token";
        return rc;
    }
    out->owned = p;
    out->principal = p;
    return GQL_OK;
}

int gqlx_auth_http(const gqlx_auth *a, gql_http_request *req, gqlx_auth_result *out)
{
    memset(out, 0, sizeof *out);
    if (a->hook != NULL)
        return run_hook(a, req, NULL, out);
    if (a->jwt == NULL)
        return GQL_OK;
    const char *h = gqlx_http_header(req, "Authorization");
    if (h == NULL)
        return GQL_OK;
    return verify(a, h, strlen(h), false, out);
}

const char *gqlx_auth_payload_token(const gqlx_json *payload, size_t *len)
{
    static const char *const names[] = {"Authorization", "authorization", "token"};
    *len = 0;
    if (payload == NULL || payload->kind != GQLX_JSON_OBJECT)
        return NULL;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const gqlx_json *v = gqlx_json_get_cstr(payload, names[i]);
        if (v != NULL && v->kind == GQLX_JSON_STRING) {
            *len = v->len;
            return v->u.str;
        }
    }
    return NULL;
}

/* Whether a credential names its scheme: a word of letters, then blanks. */
static bool has_scheme(const char *p, size_t len)
{
    size_t i = 0;
    while (i < len && (p[i] == ' ' || p[i] == '\t'))
        i++;
    size_t start = i;
    while (i < len && ((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' && p[i] <= 'Z')))
        i++;
    return i > start && i < len && (p[i] == ' ' || p[i] == '\t');
}

int gqlx_auth_connection_init(const gqlx_auth *a, gql_http_request *req, const gqlx_json *payload,
                              gqlx_auth_result *out)
{
    memset(out, 0, sizeof *out);
    if (payload != NULL && payload->kind != GQLX_JSON_OBJECT)
        payload = NULL;
    if (a->hook != NULL)
        return run_hook(a, req, payload, out);
    if (a->jwt == NULL)
        return GQL_OK;
    size_t len;
    const char *cred = gqlx_auth_payload_token(payload, &len);
    if (cred == NULL)
        return GQL_OK;
    /* A bare token is three base64url segments: it never has a blank, so
     * a credential with one is read as "<scheme> <token>" (and refused
     * unless the scheme is Bearer). */
    return verify(a, cred, len, !has_scheme(cred, len), out);
}

/* ---- the endpoint's rule ---------------------------------------------------------- */

int gqlx_auth_check(const gqlx_auth *a, const gql_principal *principal, void *user)
{
    if (!gqlx_auth_has_rule(a))
        return GQL_OK;
    /* Every part of the rule asks for an identity first, as the schema's
     * rules do: an anonymous request is told to authenticate (401), not
     * that it lacks rights (403). */
    if (!gqlx_principal_live(principal, 0))
        return GQL_EUNAUTHENTICATED;
    if (a->role_count > 0) {
        bool held = false;
        for (size_t i = 0; i < a->role_count && !held; i++)
            held = gql_principal_has_role(principal, a->roles[i]) != 0;
        if (!held)
            return GQL_EFORBIDDEN;
    }
    if (a->policy != NULL) {
        gql_request greq;
        gql_request_init(&greq);
        greq.context = a->context;
        greq.user = user;
        greq.principal = principal;
        if (!gql_policies_check(a->policies, a->policy, principal, &greq))
            return GQL_EFORBIDDEN;
    }
    return GQL_OK;
}

/* ---- answering ------------------------------------------------------------------------ */

void gqlx_auth_challenge(const gqlx_auth *a, gql_http_request *req, const char *reason)
{
    if (a->jwt == NULL)
        return;
    if (reason == NULL) {
        gql_http_add_header(req, "WWW-Authenticate", "Bearer");
        return;
    }
    /* The reasons are the verifier's constant phrases: plain words, never
     * a quote or a backslash, so they go between quotes as they are. */
    char value[160];
    snprintf(value, sizeof value, "Bearer error=\"invalid_token\", error_description=\"%s\"",
             strpbrk(reason, "\"\\") == NULL ? reason : "invalid token");
    gql_http_add_header(req, "WWW-Authenticate", value);
}

static const char DENIED_BODY[] =
    "{\"errors\":[{\"message\":\"Access denied.\",\"extensions\":{\"code\":\"ACCESS_DENIED\"}}]}";

void gqlx_auth_respond(const gqlx_auth *a, gql_http_request *req, int status,
                       const char *content_type, const char *reason)
{
    if (req->responded)
        return;
    if (status == 401)
        gqlx_auth_challenge(a, req, reason);
    if (content_type == NULL)
        content_type = "application/json; charset=utf-8";
    if (reason == NULL) {
        gqlx_http_respond_owned(req, status, content_type, DENIED_BODY, sizeof DENIED_BODY - 1,
                                GQLX_RESP_NO_STORE, NULL, NULL);
        return;
    }
    gqlx_buf b;
    gqlx_buf_init(&b, 0);
    gqlx_buf_append_cstr(&b, "{\"errors\":[{\"message\":");
    char message[128];
    snprintf(message, sizeof message, "Access denied: %s.", reason);
    gqlx_json_write_string(&b, message, strlen(message));
    gqlx_buf_append_cstr(&b, ",\"extensions\":{\"code\":\"ACCESS_DENIED\"}}]}");
    char *body = b.failed ? NULL : gqlx_arena_memdup(&req->arena, b.data, b.len);
    size_t len = b.len;
    gqlx_buf_free(&b);
    if (body == NULL)
        gqlx_http_respond_owned(req, status, content_type, DENIED_BODY, sizeof DENIED_BODY - 1,
                                GQLX_RESP_NO_STORE, NULL, NULL);
    else
        gqlx_http_respond_owned(req, status, content_type, body, len, GQLX_RESP_NO_STORE, NULL,
                                NULL);
}

/* ---- claims ------------------------------------------------------------------------------ */

/* Whether a scalar claim value is value: a string equal to it, or one of
 * its space-separated words; a boolean or integer spelled as it. */
static bool scalar_matches(const gql_json *v, const char *value, bool words)
{
    size_t vlen = strlen(value);
    char text[32];
    switch (gql_json_type(v)) {
    case GQL_JSON_STRING: {
        size_t len;
        const char *s = gql_json_string(v, &len);
        if (len == vlen && memcmp(s, value, len) == 0)
            return true;
        if (!words || vlen == 0)
            return false;
        for (size_t i = 0; i < len;) {
            while (i < len && s[i] == ' ')
                i++;
            size_t start = i;
            while (i < len && s[i] != ' ')
                i++;
            if (i - start == vlen && memcmp(s + start, value, vlen) == 0)
                return true;
        }
        return false;
    }
    case GQL_JSON_BOOL:
        return strcmp(value, gql_json_bool(v) ? "true" : "false") == 0;
    case GQL_JSON_NUMBER:
        if (!gql_json_is_int(v))
            return false;
        snprintf(text, sizeof text, "%lld", (long long)gql_json_int(v));
        return strcmp(text, value) == 0;
    default:
        return false;
    }
}

bool gqlx_auth_claim_matches(const gql_json *claims, const char *claim, const char *value)
{
    if (claims == NULL || claim == NULL || value == NULL)
        return false;
    const gql_json *v = (const gql_json *)(const void *)gqlx_json_get_path(
        (const gqlx_json *)(const void *)claims, claim);
    if (gql_json_type(v) != GQL_JSON_ARRAY)
        return v != NULL && scalar_matches(v, value, true);
    for (size_t i = 0; i < gql_json_length(v); i++)
        if (scalar_matches(gql_json_item(v, i), value, false))
            return true;
    return false;
}
