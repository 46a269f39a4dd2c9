/* src/execution/introspection_resolve.h — the resolver of every field of
 * the introspection types (__Schema __Type __Field __InputValue
 * __EnumValue __Directive).
 *
 * The engine answers the meta-fields __schema and __type itself, with
 * parent values the introspection fields below then receive as
 * gql_object pointers into the schema:
 *   __Schema      const gqlx_schema *
 *   __Type        const gqlx_type_ref * (a named type's ref is &type->ref)
 *   __Field       const gqlx_field_decl *
 *   __InputValue  const gqlx_input_value *
 *   __EnumValue   const gqlx_enum_value *
 *   __Directive   const gqlx_directive_decl *
 * Every value returned follows graphql-js 17.1's introspection resolvers
 * (type/introspection.ts): the same lists in the same order, the same
 * filtering by includeDeprecated, the same nulls. Strings borrow the
 * schema's memory; lists take their pointer arrays from the request
 * arena. */
#ifndef GQLX_INTROSPECTION_RESOLVE_H
#define GQLX_INTROSPECTION_RESOLVE_H

#include <stdbool.h>

#include "gql/resolve.h"

/* Resolves the field info->decl, which must belong to one of the
 * introspection object types above, on `parent`. Returns null for a field
 * it does not know, and an error value when request memory runs out. */
gql_value gqlx_introspection_resolve(gql_info *info, gql_value parent);

struct gqlx_buf;
struct gqlx_field_decl;

/* Writes the JSON of one leaf field of an introspection type (names,
 * descriptions, kinds, flags, locations, default values) on parent (the
 * object pointer, as listed above) to out: exactly the text resolving and
 * completing it would give. Returns false, writing nothing, when the
 * value needs the general path (a default value that must be printed). */
typedef bool (*gqlx_intro_writer)(struct gqlx_buf *out, const void *parent);

/* The writer of field f when f is a leaf field of an introspection type,
 * else NULL (lists, objects, fields of other types). Plans look it up
 * once per collected field. */
gqlx_intro_writer gqlx_introspection_leaf_writer(const struct gqlx_field_decl *f);

#endif
