/* include/gql/builder.h — binding C code to a schema before it is frozen.
 *
 * A schema builder takes SDL (as gql_schema_build does, with the same
 * checks), lets the application bind resolvers, subscription sources, type
 * resolvers and custom scalar functions by name, and then freezes the
 * result into an immutable gql_schema that any number of threads may
 * execute against at once.
 *
 *   gql_schema_builder *b;
 *   gql_schema_builder_new(&b, sdl, strlen(sdl), NULL, &errs);
 *   gql_schema_builder_resolver(b, "Query.hero", resolve_hero, NULL);
 *   gql_schema_builder_finish(b, &schema);
 *
 * Binding functions return GQL_OK, or GQL_EINVAL when the name does not
 * denote what the function binds (an unknown type or field, a field of an
 * input type, a built-in scalar...), or GQL_ENOMEM. A later binding of the
 * same name replaces the earlier one. */
#ifndef GQL_BUILDER_H
#define GQL_BUILDER_H

#include "gql/common.h"
#include "gql/errors.h"
#include "gql/resolve.h"
#include "gql/schema.h"

GQL_BEGIN_DECLS

typedef struct gql_schema_builder gql_schema_builder;

/* Builds the schema from SDL as gql_schema_build does (same options,
 * results and errors) and returns it unfrozen in *out. */
GQL_EXTERN int gql_schema_builder_new(gql_schema_builder **out, const char *sdl, size_t len,
                                      const gql_schema_opts *opts, gql_errors **errs);

/* Binds fn (with data, given to it through gql_info_data) to a field or a
 * type, by schema coordinate: "Query.hero" binds one field of an object or
 * interface type; "Human" binds every field of the object type Human that
 * has no resolver of its own (one function that switches on
 * gql_info_field_name). A resolver bound to an interface field is used by
 * the implementing object types' fields that have none of their own. */
GQL_EXTERN int gql_schema_builder_resolver(gql_schema_builder *b, const char *coordinate,
                                           gql_resolve_fn fn, void *data);

/* Binds the source of a subscription field ("Subscription.messageAdded"):
 * fn is called once per subscription (its parent is the request's root
 * value) and returns a stream made with gql_stream_new (async.h), or an
 * error. Each event pushed into the stream is executed with the event as
 * the root value: the field's resolver receives it as its parent. Without
 * a resolver, a JSON event is read as graphql-js reads it (the member
 * named like the field) and any other event is the field's value
 * itself. */
GQL_EXTERN int gql_schema_builder_subscriber(gql_schema_builder *b, const char *coordinate,
                                             gql_resolve_fn fn, void *data);

/* Binds fn as the source of every field of the object type type_name
 * ("Subscription") that has no source of its own, as
 * gql_schema_builder_subscriber does for one field. */
GQL_EXTERN int gql_schema_builder_subscribers(gql_schema_builder *b, const char *type_name,
                                              gql_resolve_fn fn, void *data);

/* The name of the schema's root type for operation ("query", "mutation"
 * or "subscription"), or NULL when the schema has none (or b is NULL).
 * Valid as long as the builder, and then the schema. */
GQL_EXTERN const char *gql_schema_builder_root_type(const gql_schema_builder *b,
                                                    const char *operation);

/* Binds a type resolver to an interface or union type. */
GQL_EXTERN int gql_schema_builder_type_resolver(gql_schema_builder *b, const char *type_name,
                                                gql_resolve_type_fn fn, void *data);

/* Binds the functions of a custom scalar (not Int, Float, String, Boolean
 * or ID). *funcs is copied. */
GQL_EXTERN int gql_schema_builder_scalar(gql_schema_builder *b, const char *scalar_name,
                                         const gql_scalar_funcs *funcs);

/* Adds an authorization rule (auth.h) to an element of the schema, by
 * schema coordinate: NULL for the schema itself (every operation),
 * "Query" or "Admin" for an object or interface type (every field
 * selected on it, except fields that allow anonymous access), "Query.secret"
 * for a field, "Query.user(id:)" for an argument (checked when a query
 * gives it). Input types, input fields and directives take no rules.
 *
 * The rule needs an authenticated principal; with roles (role_count
 * strings, copied; roles may be NULL when role_count is 0) the principal
 * must also hold one of them, and with a policy (copied; NULL for none)
 * the policy must pass. Several calls on one element add up as repeated
 * @authorize directives do: any one role of all listed suffices, every
 * policy must pass. Returns GQL_OK, GQL_EINVAL (b NULL, an unknown or
 * built-in element, a role NULL) or GQL_ENOMEM. */
GQL_EXTERN int gql_schema_builder_authorize(gql_schema_builder *b, const char *coordinate,
                                            const char *const *roles, size_t role_count,
                                            const char *policy);

/* Marks a field ("Type.field") as open to anyone, as @allowAnonymous
 * does: the rules of its type are not checked for it (its arguments'
 * rules still are). A rule on the field itself is then ignored. Returns
 * GQL_OK or GQL_EINVAL (b NULL, not a field of an object or interface
 * type). */
GQL_EXTERN int gql_schema_builder_allow_anonymous(gql_schema_builder *b, const char *coordinate);

/* Freezes the schema: stores it in *out and releases the builder (also on
 * failure). Returns GQL_OK or GQL_EINVAL (b or out NULL). */
GQL_EXTERN int gql_schema_builder_finish(gql_schema_builder *b, gql_schema **out);

/* Releases a builder that will not be finished, and its schema. NULL does
 * nothing. */
GQL_EXTERN void gql_schema_builder_free(gql_schema_builder *b);

GQL_END_DECLS

#endif
