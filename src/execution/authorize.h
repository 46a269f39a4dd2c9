/* src/execution/authorize.h — checking a request's operation against the
 * schema's authorization rules (types/authz.h) before any resolver runs.
 *
 * The check follows the selection as written: the schema's rule for every
 * operation; the rule of each selected field (unless it allows anonymous
 * access) and of each argument the query gives; and the rule of each
 * object or interface type that fields are selected on (the parent type
 * as the selection names it: an inline fragment `... on Animal` inside a
 * Cat checks Animal), unless every field selected on it allows anonymous
 * access or is __typename, __schema or __type. Fields that @skip or
 * @include leave out are not checked, nor anything below them, and
 * introspection (__schema, __type and below) only answers to the schema's
 * rule. Input types, input fields and directives take no rules. */
#ifndef GQLX_AUTHORIZE_H
#define GQLX_AUTHORIZE_H

#include <stdbool.h>

#include "execution/engine.h"
#include "gql/exec.h"

/* Deepest nesting of selection sets and fragment spreads the check
 * follows; deeper operations are refused (GQL_ELIMIT) rather than
 * allowed unchecked. Far beyond any real operation: the parser already
 * limits nesting within one definition, and this bounds the stack when
 * fragments spread each other in a long chain. */
/* Whether p is an identity still in force at Unix time now (0: the
 * current time): not NULL, and expires_at 0 or later than now. An
 * identity past its end counts as none. */
bool gqlx_principal_live(const gql_principal *p, long long now);

#define GQLX_AUTHZ_MAX_NESTING 2000u

/* Most denials reported for one request; the request is denied all the
 * same when there are more. */
#define GQLX_AUTHZ_MAX_DENIALS 100u

/* Checks the operation x has selected (after its variables are coerced:
 * @skip and @include with variables are honoured) against the rules of
 * x->schema, for req's principal, calling the policies of x->opts.
 * Returns true when the request may run. Otherwise false with x->status
 * GQL_EUNAUTHENTICATED (no principal, or an expired one) or
 * GQL_EFORBIDDEN and one error per denial in x->errors (extensions code
 * ACCESS_DENIED), or GQL_ELIMIT, or x->oom set. Work is linear in the
 * document: each fragment is walked once. */
bool gqlx_authorize(gqlx_exec *x, const gql_request *req);

#endif
