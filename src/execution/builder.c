/* src/execution/builder.c — binding C code to a schema before it is frozen
 * (include/gql/builder.h). The builder owns a built schema and writes the
 * binding slots of its model; after gql_schema_builder_finish nothing
 * writes to it again. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "core/alloc.h"
#include "gql/builder.h"
#include "gql/status.h"
#include "types/authz.h"
#include "types/build_schema.h"

struct gql_schema_builder {
    gql_schema *schema;
};

/* The model is const for every reader; the builder is its one writer. */
static gqlx_type *writable(const gqlx_type *t)
{
    return (gqlx_type *)(uintptr_t)t;
}

int gql_schema_builder_new(gql_schema_builder **out, const char *sdl, size_t len,
                           const gql_schema_opts *opts, gql_errors **errs)
{
    if (out == NULL)
        return GQL_EINVAL;
    *out = NULL;
    gql_schema *s = NULL;
    int rc = gql_schema_build(&s, sdl, len, opts, errs);
    if (rc != GQL_OK)
        return rc;
    gql_schema_builder *b = gqlx_malloc(sizeof *b);
    if (b == NULL) {
        gql_schema_free(s);
        return GQL_ENOMEM;
    }
    b->schema = s;
    *out = b;
    return GQL_OK;
}

static const gqlx_schema *model(const gql_schema_builder *b)
{
    return gqlx_schema_of(b->schema);
}

static gqlx_field_decl *find_field(const gql_schema_builder *b, const char *coordinate)
{
    const char *dot = strchr(coordinate, '.');
    if (dot == NULL)
        return NULL;
    const gqlx_type *t = gqlx_schema_type(model(b), coordinate, (size_t)(dot - coordinate));
    if (t == NULL || (t->kind != GQLX_TYPE_OBJECT && t->kind != GQLX_TYPE_INTERFACE))
        return NULL;
    const gqlx_field_decl *f = gqlx_type_field(t, dot + 1, strlen(dot + 1));
    return (gqlx_field_decl *)(uintptr_t)f;
}

int gql_schema_builder_resolver(gql_schema_builder *b, const char *coordinate, gql_resolve_fn fn,
                                void *data)
{
    if (b == NULL || coordinate == NULL || fn == NULL)
        return GQL_EINVAL;
    if (strchr(coordinate, '.') == NULL) {
        const gqlx_type *t = gqlx_schema_type(model(b), coordinate, strlen(coordinate));
        if (t == NULL || t->kind != GQLX_TYPE_OBJECT || t->builtin)
            return GQL_EINVAL;
        writable(t)->resolve = (gqlx_binding){fn, data};
        return GQL_OK;
    }
    gqlx_field_decl *f = find_field(b, coordinate);
    if (f == NULL || f->owner->builtin)
        return GQL_EINVAL;
    f->resolve = (gqlx_binding){fn, data};
    return GQL_OK;
}

int gql_schema_builder_subscriber(gql_schema_builder *b, const char *coordinate,
                                  gql_resolve_fn fn, void *data)
{
    if (b == NULL || coordinate == NULL || fn == NULL)
        return GQL_EINVAL;
    gqlx_field_decl *f = find_field(b, coordinate);
    if (f == NULL || f->owner->kind != GQLX_TYPE_OBJECT || f->owner->builtin)
        return GQL_EINVAL;
    f->subscribe = (gqlx_binding){fn, data};
    return GQL_OK;
}

int gql_schema_builder_subscribers(gql_schema_builder *b, const char *type_name,
                                   gql_resolve_fn fn, void *data)
{
    if (b == NULL || type_name == NULL || fn == NULL)
        return GQL_EINVAL;
    const gqlx_type *t = gqlx_schema_type(model(b), type_name, strlen(type_name));
    if (t == NULL || t->kind != GQLX_TYPE_OBJECT || t->builtin)
        return GQL_EINVAL;
    for (uint32_t i = 0; i < t->field_count; i++)
        if (t->fields[i].subscribe.fn == NULL)
            writable(t)->fields[i].subscribe = (gqlx_binding){fn, data};
    return GQL_OK;
}

const char *gql_schema_builder_root_type(const gql_schema_builder *b, const char *operation)
{
    if (b == NULL || operation == NULL)
        return NULL;
    const gqlx_schema *s = model(b);
    const gqlx_type *t = strcmp(operation, "query") == 0          ? s->query
                         : strcmp(operation, "mutation") == 0     ? s->mutation
                         : strcmp(operation, "subscription") == 0 ? s->subscription
                                                                  : NULL;
    return t != NULL ? t->name->str : NULL;
}

int gql_schema_builder_type_resolver(gql_schema_builder *b, const char *type_name,
                                     gql_resolve_type_fn fn, void *data)
{
    if (b == NULL || type_name == NULL || fn == NULL)
        return GQL_EINVAL;
    const gqlx_type *t = gqlx_schema_type(model(b), type_name, strlen(type_name));
    if (t == NULL || !gqlx_type_is_abstract(t) || t->builtin)
        return GQL_EINVAL;
    writable(t)->resolve_type = fn;
    writable(t)->resolve_type_data = data;
    return GQL_OK;
}

int gql_schema_builder_scalar(gql_schema_builder *b, const char *scalar_name,
                              const gql_scalar_funcs *funcs)
{
    if (b == NULL || scalar_name == NULL || funcs == NULL)
        return GQL_EINVAL;
    const gqlx_type *t = gqlx_schema_type(model(b), scalar_name, strlen(scalar_name));
    if (t == NULL || t->kind != GQLX_TYPE_SCALAR || t->scalar != GQLX_SCALAR_CUSTOM)
        return GQL_EINVAL;
    gqlx_schema *s = (gqlx_schema *)(uintptr_t)model(b);
    gql_scalar_funcs *copy = GQLX_NEW(&s->arena, gql_scalar_funcs);
    if (copy == NULL)
        return GQL_ENOMEM;
    *copy = *funcs;
    writable(t)->scalar_funcs = copy;
    return GQL_OK;
}

/* ---- authorization rules ------------------------------------------------------ */

/* The element a coordinate names, for rules: exactly one of *type, *field
 * and *arg is set (the argument's field in *field too). */
typedef struct element {
    gqlx_type *type;
    gqlx_field_decl *field;
    gqlx_input_value *arg;
} element;

static bool find_element(const gql_schema_builder *b, const char *coordinate, element *e)
{
    memset(e, 0, sizeof *e);
    size_t len = strlen(coordinate);
    const char *dot = memchr(coordinate, '.', len);
    size_t type_len = dot != NULL ? (size_t)(dot - coordinate) : len;
    const gqlx_type *t = gqlx_schema_type(model(b), coordinate, type_len);
    if (t == NULL || t->builtin || (t->kind != GQLX_TYPE_OBJECT && t->kind != GQLX_TYPE_INTERFACE))
        return false;
    if (dot == NULL) {
        e->type = writable(t);
        return true;
    }
    const char *name = dot + 1;
    const char *paren = strchr(name, '(');
    size_t name_len = paren != NULL ? (size_t)(paren - name) : strlen(name);
    const gqlx_field_decl *f = gqlx_type_field(t, name, name_len);
    if (f == NULL)
        return false;
    e->field = (gqlx_field_decl *)(uintptr_t)f;
    if (paren == NULL)
        return true;
    /* "field(arg:)": the argument name, then exactly ":)". */
    const char *arg = paren + 1;
    const char *colon = strchr(arg, ':');
    if (colon == NULL || strcmp(colon, ":)") != 0)
        return false;
    const gqlx_input_value *a = gqlx_field_arg(f, arg, (size_t)(colon - arg));
    if (a == NULL)
        return false;
    e->arg = (gqlx_input_value *)(uintptr_t)a;
    e->field = NULL;
    return true;
}

int gql_schema_builder_authorize(gql_schema_builder *b, const char *coordinate,
                                 const char *const *roles, size_t role_count, const char *policy)
{
    if (b == NULL || (roles == NULL && role_count > 0))
        return GQL_EINVAL;
    for (size_t i = 0; i < role_count; i++)
        if (roles[i] == NULL)
            return GQL_EINVAL;
    gqlx_schema *s = (gqlx_schema *)(uintptr_t)model(b);
    const gqlx_authz **slot = &s->authz;
    element e;
    if (coordinate != NULL) {
        if (!find_element(b, coordinate, &e))
            return GQL_EINVAL;
        slot = e.arg != NULL ? &e.arg->authz : e.field != NULL ? &e.field->authz : &e.type->authz;
    }
    if (!gqlx_authz_add(&s->arena, slot, roles, role_count, policy))
        return GQL_ENOMEM;
    s->has_authz = true;
    return GQL_OK;
}

int gql_schema_builder_allow_anonymous(gql_schema_builder *b, const char *coordinate)
{
    element e;
    if (b == NULL || coordinate == NULL || !find_element(b, coordinate, &e) || e.field == NULL)
        return GQL_EINVAL;
    e.field->allow_anonymous = true;
    return GQL_OK;
}

/* Object fields without a resolver take the one bound to the same field
 * of an interface they implement (the first in declaration order). */
static void inherit_interface_resolvers(const gqlx_schema *s)
{
    for (uint32_t i = 0; i < s->type_count; i++) {
        const gqlx_type *t = s->types[i];
        if (t->kind != GQLX_TYPE_OBJECT || t->builtin)
            continue;
        for (uint32_t f = 0; f < t->field_count; f++) {
            gqlx_field_decl *fd = &writable(t)->fields[f];
            for (uint32_t k = 0; k < t->interface_count && fd->resolve.fn == NULL; k++) {
                const gqlx_field_decl *inf =
                    gqlx_type_field(t->interfaces[k], fd->name->str, fd->name->len);
                if (inf != NULL && inf->resolve.fn != NULL)
                    fd->resolve = inf->resolve;
            }
        }
    }
}

int gql_schema_builder_finish(gql_schema_builder *b, gql_schema **out)
{
    if (out != NULL)
        *out = NULL;
    if (b == NULL || out == NULL) {
        gql_schema_builder_free(b);
        return GQL_EINVAL;
    }
    inherit_interface_resolvers(model(b));
    *out = b->schema;
    gqlx_free(b);
    return GQL_OK;
}

void gql_schema_builder_free(gql_schema_builder *b)
{
    if (b == NULL)
        return;
    gql_schema_free(b->schema);
    gqlx_free(b);
}
