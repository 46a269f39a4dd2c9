/* src/server/auth_http.h — who sent a request to a GraphQL endpoint, and
 * the endpoint's own rule (AuthorizationRequired, AuthorizedRoles,
 * AuthorizedPolicy), shared by GraphQL over HTTP (graphql_http.c) and
 * GraphQL WebSockets (ws_endpoint.c, ws_graphql.c). The schema's own
 * rules are the engine's (execution/authorize.h); this decides the
 * principal they are checked against. */
#ifndef GQLX_SERVER_AUTH_HTTP_H
#define GQLX_SERVER_AUTH_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "core/json.h"
#include "gql/auth.h"
#include "gql/jwt.h"
#include "gql/server.h"

/* The authentication settings of one endpoint, copied from its options;
 * immutable once made, read by every worker thread. */
typedef struct gqlx_auth {
    bool required; /* authorization_required */
    char **roles;  /* authorized_roles, copied (one block) */
    size_t role_count;
    char *policy; /* authorized_policy, copied; NULL: none */
    const gql_jwt_verifier *jwt;
    gql_authenticate_cb hook;
    void *hook_data;
    const gql_policies *policies; /* the endpoint's exec.policies */
    void *context;                /* the endpoint's context, for policies */
} gqlx_auth;

/* Copies the settings of opts into *a. Returns GQL_OK, GQL_ENOMEM, or
 * GQL_EINVAL (a NULL role name, or roles given with a NULL array). *a is
 * always safe to pass to gqlx_auth_free. */
int gqlx_auth_init(gqlx_auth *a, const gql_endpoint_opts *opts);

void gqlx_auth_free(gqlx_auth *a);

/* Whether requests have credentials to read (a hook or a verifier). */
bool gqlx_auth_reads_credentials(const gqlx_auth *a);

/* Whether the endpoint has a rule of its own. */
bool gqlx_auth_has_rule(const gqlx_auth *a);

/* What authenticating a request found. */
typedef struct gqlx_auth_result {
    const gql_principal *principal; /* NULL: anonymous */
    gql_principal *owned;           /* a JWT principal, released by
                                       gqlx_auth_result_free */
    const char *reason;             /* refused: why (a constant string) */
} gqlx_auth_result;

/* Releases what the result owns and clears it. */
void gqlx_auth_result_free(gqlx_auth_result *r);

/* Authenticates an HTTP request (also a WebSocket upgrade request): the
 * hook with no payload when there is one, else the bearer token of its
 * Authorization header when a verifier is set (no header: anonymous).
 * Returns GQL_OK with *out filled, GQL_EUNAUTHENTICATED (credentials
 * refused; out->reason says why), or another negative status (the hook
 * failed, memory ran out). */
int gqlx_auth_http(const gqlx_auth *a, gql_http_request *req, gqlx_auth_result *out);

/* Authenticates a WebSocket's connection_init: the hook with payload
 * (NULL when absent or not an object) when there is one, else the token
 * gqlx_auth_payload_token finds, checked by the verifier (no token:
 * anonymous). req may be NULL (tests). Returns as gqlx_auth_http. */
int gqlx_auth_connection_init(const gqlx_auth *a, gql_http_request *req, const gqlx_json *payload,
                              gqlx_auth_result *out);

/* The credentials of a connection_init payload: the string member
 * "Authorization", else "authorization", else "token" (the first present
 * as a string). Returns it (*len its length), or NULL when there is none.
 * The value may be "Bearer <token>" or the bare token. */
const char *gqlx_auth_payload_token(const gqlx_json *payload, size_t *len);


/* The endpoint's rule for principal (user is the request's user, given
 * to policies): GQL_OK, GQL_EUNAUTHENTICATED (no principal, or an expired
 * one, where one is required), or GQL_EFORBIDDEN (a role or the policy is
 * missing). Every part that is set must pass; roles are any-of. */
int gqlx_auth_check(const gqlx_auth *a, const gql_principal *principal, void *user);

/* Answers an HTTP request refused by authentication: status 401 or 403,
 * content_type that of the endpoint's errors, the GraphQL error body
 * {"errors":[{"message":...,"extensions":{"code":"ACCESS_DENIED"}}]} and,
 * on 401 with a verifier, a WWW-Authenticate: Bearer challenge (with
 * error="invalid_token" and the reason when reason is not NULL, that is
 * for refused credentials). */
void gqlx_auth_respond(const gqlx_auth *a, gql_http_request *req, int status,
                       const char *content_type, const char *reason);

/* Adds the WWW-Authenticate challenge of a 401 when the endpoint has a
 * verifier: "Bearer", or with reason (refused credentials)
 * 'Bearer error="invalid_token", error_description="<reason>"'. */
void gqlx_auth_challenge(const gqlx_auth *a, gql_http_request *req, const char *reason);

/* Whether claims holds value in the claim named claim: looked up as a
 * top-level member of exactly that name, else as a dotted path through
 * nested objects. Matches a string equal to value, an array holding such
 * a string, a string of space-separated words one of which is value (an
 * OAuth "scope"), and a boolean or integer spelled as value ("true",
 * "42"). False when claims or the claim is absent. */
bool gqlx_auth_claim_matches(const gql_json *claims, const char *claim, const char *value);

#endif
