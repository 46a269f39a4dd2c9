/* src/execution/info.h — what the engine knows about the field being
 * resolved, for the library's own resolvers (introspection). Applications
 * use the public accessors of include/gql/resolve.h instead. */
#ifndef GQLX_INFO_H
#define GQLX_INFO_H

#include "gql/resolve.h"
#include "types/schema.h"

/* The schema the request executes against. */
const gqlx_schema *gqlx_info_schema(const gql_info *info);

/* The field being resolved. */
const gqlx_field_decl *gqlx_info_field(const gql_info *info);

#endif
