/* src/types/authz.h — authorization rules in the schema model.
 *
 * A rule is a gqlx_authz (schema.h) on the schema, an object or interface
 * type, a field, or a field argument. Rules come from the SDL directives
 *
 *   directive @authorize(roles: [String!], policy: String) repeatable
 *     on SCHEMA | OBJECT | INTERFACE | FIELD_DEFINITION | ARGUMENT_DEFINITION
 *   directive @allowAnonymous on FIELD_DEFINITION
 *
 * (declared by the build itself when the SDL applies them without
 * declaring them, so a schema that never mentions them is unchanged), and
 * from the C builder (include/gql/builder.h). Several rules on one element
 * add up: their roles form one list of which any suffices, and every
 * policy of every rule must pass. */
#ifndef GQLX_TYPES_AUTHZ_H
#define GQLX_TYPES_AUTHZ_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "gql/errors.h"
#include "language/ast.h"
#include "types/schema.h"

/* Bits of gqlx_authz_undeclared(). */
#define GQLX_AUTHZ_NEEDS_AUTHORIZE       1u
#define GQLX_AUTHZ_NEEDS_ALLOW_ANONYMOUS 2u

/* Which of @authorize and @allowAnonymous the document applies somewhere
 * without defining them (GQLX_AUTHZ_NEEDS_* bits; 0 for a document that
 * never applies them or defines what it applies). */
unsigned gqlx_authz_undeclared(const gqlx_document *doc);

/* The SDL text declaring the directives named by the bits `needs`,
 * beginning with a line break so that it can follow any document; its
 * length in *len. Static storage. */
const char *gqlx_authz_declarations(unsigned needs, size_t *len);

/* Reads the directives applied in the built schema s into its rules and
 * sets s->has_authz. A declaration the SDL wrote itself must take the
 * arguments the rules need (roles: a list of String, policy: a String;
 * @allowAnonymous none). Errors (such a declaration, or an argument value
 * of the wrong kind) are appended to errs (may be NULL), located in the
 * SDL, and counted in the result. Memory failure shows in s->arena's
 * flag. */
size_t gqlx_authz_read_sdl(gqlx_schema *s, gql_errors *errs);

/* Adds a rule to *slot (NULL: none yet): a new requirement in arena a
 * holding the roles and policies already there, the role_count roles and
 * the policy (NULL for none), all copied. roles may be NULL when
 * role_count is 0. Returns false when memory runs out (*slot unchanged). */
bool gqlx_authz_add(gqlx_arena *a, const gqlx_authz **slot, const char *const *roles,
                    size_t role_count, const char *policy);

#endif
