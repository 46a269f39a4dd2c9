/* src/types/schema_validate.h — checking SDL documents and built schemas.
 *
 * Two stages, as graphql-js's buildASTSchema() and validateSchema() run
 * them:
 *   1. gqlx_validate_sdl() checks the SDL document itself before anything
 *      is built (graphql-js's specifiedSDLRules: LoneSchemaDefinition,
 *      UniqueOperationTypes, UniqueTypeNames, UniqueEnumValueNames,
 *      UniqueFieldDefinitionNames, UniqueArgumentDefinitionNames,
 *      UniqueDirectiveNames, KnownTypeNames, KnownDirectives,
 *      UniqueDirectivesPerLocation, PossibleTypeExtensions,
 *      KnownArgumentNamesOnDirectives, UniqueArgumentNames,
 *      UniqueInputFieldNames, ProvidedRequiredArgumentsOnDirectives).
 *   2. gqlx_validate_schema() checks the built schema (graphql-js's
 *      validateSchema: root types, directives, type names, fields,
 *      interfaces and their implementations, union members, enum values,
 *      input fields, @oneOf, input object cycles, default values).
 * Both append graphql-js-worded errors with locations to `errs` and return
 * the number of errors found (0 = valid). Memory exhaustion shows as
 * gqlx_arena_failed() on the arena passed or a false return of
 * gqlx_errors_add; callers treat it as GQL_ENOMEM. */
#ifndef GQLX_SCHEMA_VALIDATE_H
#define GQLX_SCHEMA_VALIDATE_H

#include <stddef.h>

#include "core/arena.h"
#include "gql/errors.h"
#include "language/ast.h"
#include "language/source.h"
#include "types/schema.h"

/* Stage 1. `scratch` is temporary memory (reset by the caller afterwards). */
size_t gqlx_validate_sdl(const gqlx_document *doc, const gqlx_source *src, gqlx_arena *scratch,
                         gql_errors *errs);

/* Stage 2. `src` is the SDL source the schema's AST nodes point into. */
size_t gqlx_validate_schema(const gqlx_schema *schema, const gqlx_source *src,
                            gqlx_arena *scratch, gql_errors *errs);

#endif
