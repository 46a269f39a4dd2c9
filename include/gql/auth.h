/* include/gql/auth.h — who sent a request, and the named policies that
 * decide what they may see.
 *
 * A gql_principal is an authenticated identity: a subject, its roles and
 * the claims it was issued with. A request without one (gql_request's
 * principal NULL) is anonymous. Authorization rules attached to a schema
 * (builder.h, or the SDL directives @authorize and @allowAnonymous) are
 * checked against the request's principal before any resolver runs: a
 * denied request ends with the status GQL_EUNAUTHENTICATED (no principal)
 * or GQL_EFORBIDDEN (a principal without the rights), which HTTP answers
 * with 401 and 403.
 *
 * Policies are application callbacks registered by name in a gql_policies
 * table (gql_exec_opts.policies); a rule naming a policy that is not
 * registered denies access.
 *
 * What one rule asks: an authenticated principal (one whose expires_at
 * has not passed: an expired principal counts as none); when the rule
 * lists roles, one of them (several rules on one element pool their
 * roles); and every policy the rules on the element name. Each policy is
 * called at most once per request. What the check covers: the schema's
 * rules for every operation (introspection included); the rules of each
 * selected field and of each argument the query gives; and the rules of
 * the object or interface type each field is selected on, as the
 * selection names it, except where every field selected on it allows
 * anonymous access or is __typename, __schema or __type. Fields left out
 * by @skip or @include are not checked; input types, input fields and
 * directives never are. A denied request gets one error per denial, such
 * as "Access denied for field 'secret' on type 'Query'." with the
 * extension code "ACCESS_DENIED", and no data; subscriptions are checked
 * once, when they start. */
#ifndef GQL_AUTH_H
#define GQL_AUTH_H

#include <stddef.h>

#include "gql/common.h"
#include "gql/json.h"

GQL_BEGIN_DECLS

/* An authenticated identity. Everything it points to must outlive the
 * requests that use it. */
typedef struct gql_principal {
    const char *subject;      /* who ("sub" of a JWT); may be NULL */
    const char *const *roles; /* the roles held, role_count of them */
    size_t role_count;
    const gql_json *claims;   /* every claim (a JWT's payload), or NULL */
    long long expires_at;     /* Unix time the identity ends; 0: never */
} gql_principal;

/* Returns 1 when principal holds the role (exact, case-sensitive
 * comparison), 0 otherwise (also when principal is NULL). */
GQL_EXTERN int gql_principal_has_role(const gql_principal *principal, const char *role);

struct gql_request;

/* A policy: returns nonzero to allow. principal is NULL for an anonymous
 * request; req is the request being authorized (its context and user
 * fields carry the application's data). Called on the thread executing
 * the request, possibly several threads at once. */
typedef int (*gql_policy_fn)(const gql_principal *principal, const struct gql_request *req,
                             void *user_data);

/* A table of named policies, shared read-only by every request once
 * filled. */
typedef struct gql_policies gql_policies;

/* Creates an empty table. Returns GQL_OK, GQL_EINVAL (out NULL) or
 * GQL_ENOMEM. */
GQL_EXTERN int gql_policies_new(gql_policies **out);

/* Registers policy `name` (copied); a second registration of the same
 * name replaces the first. Not thread-safe: fill the table before
 * requests use it. Returns GQL_OK, GQL_EINVAL or GQL_ENOMEM. */
GQL_EXTERN int gql_policies_add(gql_policies *policies, const char *name, gql_policy_fn fn,
                                void *user_data);

/* Evaluates policy `name` for a request: 1 allowed, 0 denied (also when
 * no such policy is registered or policies is NULL). */
GQL_EXTERN int gql_policies_check(const gql_policies *policies, const char *name,
                                  const gql_principal *principal,
                                  const struct gql_request *req);

/* Releases the table. NULL does nothing. */
GQL_EXTERN void gql_policies_free(gql_policies *policies);

GQL_END_DECLS

#endif
