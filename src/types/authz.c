/* src/types/authz.c — authorization rules in the schema model: finding
 * undeclared uses of @authorize and @allowAnonymous in SDL, reading the
 * applied directives into rules, and adding rules (types/authz.h). */
#include "types/authz.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/errors.h"
#include "language/source.h"
#include "language/string_value.h"

/* ---- undeclared uses ------------------------------------------------------ */

static unsigned list_uses(const gqlx_directive_list *l)
{
    unsigned bits = 0;
    for (uint32_t i = 0; i < l->count; i++) {
        gqlx_slice n = l->items[i]->name;
        if (gqlx_slice_eq_cstr(n, "authorize"))
            bits |= GQLX_AUTHZ_NEEDS_AUTHORIZE;
        else if (gqlx_slice_eq_cstr(n, "allowAnonymous"))
            bits |= GQLX_AUTHZ_NEEDS_ALLOW_ANONYMOUS;
    }
    return bits;
}

static unsigned args_use(const gqlx_input_value_def_list *l)
{
    unsigned bits = 0;
    for (uint32_t i = 0; i < l->count; i++)
        bits |= list_uses(&l->items[i]->directives);
    return bits;
}

/* Every place a directive may be written in a type-system definition is
 * looked at, misplaced ones included: with the declaration in place,
 * validation then names the wrong location instead of an unknown
 * directive. */
static unsigned definition_uses(const gqlx_node *d, unsigned *declared)
{
    switch ((gqlx_kind)d->kind) {
    case GQLX_KIND_SCHEMA_DEFINITION:
    case GQLX_KIND_SCHEMA_EXTENSION:
        return list_uses(&GQLX_AS_CONST(gqlx_schema_def, d)->directives);
    case GQLX_KIND_SCALAR_TYPE_DEFINITION:
    case GQLX_KIND_SCALAR_TYPE_EXTENSION:
        return list_uses(&GQLX_AS_CONST(gqlx_scalar_type_def, d)->directives);
    case GQLX_KIND_OBJECT_TYPE_DEFINITION:
    case GQLX_KIND_OBJECT_TYPE_EXTENSION:
    case GQLX_KIND_INTERFACE_TYPE_DEFINITION:
    case GQLX_KIND_INTERFACE_TYPE_EXTENSION: {
        const gqlx_object_type_def *o = GQLX_AS_CONST(gqlx_object_type_def, d);
        unsigned bits = list_uses(&o->directives);
        for (uint32_t i = 0; i < o->fields.count; i++)
            bits |= list_uses(&o->fields.items[i]->directives) |
                    args_use(&o->fields.items[i]->arguments);
        return bits;
    }
    case GQLX_KIND_UNION_TYPE_DEFINITION:
    case GQLX_KIND_UNION_TYPE_EXTENSION:
        return list_uses(&GQLX_AS_CONST(gqlx_union_type_def, d)->directives);
    case GQLX_KIND_ENUM_TYPE_DEFINITION:
    case GQLX_KIND_ENUM_TYPE_EXTENSION: {
        const gqlx_enum_type_def *e = GQLX_AS_CONST(gqlx_enum_type_def, d);
        unsigned bits = list_uses(&e->directives);
        for (uint32_t i = 0; i < e->values.count; i++)
            bits |= list_uses(&e->values.items[i]->directives);
        return bits;
    }
    case GQLX_KIND_INPUT_OBJECT_TYPE_DEFINITION:
    case GQLX_KIND_INPUT_OBJECT_TYPE_EXTENSION: {
        const gqlx_input_object_type_def *io = GQLX_AS_CONST(gqlx_input_object_type_def, d);
        return list_uses(&io->directives) | args_use(&io->fields);
    }
    case GQLX_KIND_DIRECTIVE_DEFINITION: {
        const gqlx_directive_def *dd = GQLX_AS_CONST(gqlx_directive_def, d);
        if (gqlx_slice_eq_cstr(dd->name, "authorize"))
            *declared |= GQLX_AUTHZ_NEEDS_AUTHORIZE;
        else if (gqlx_slice_eq_cstr(dd->name, "allowAnonymous"))
            *declared |= GQLX_AUTHZ_NEEDS_ALLOW_ANONYMOUS;
        return list_uses(&dd->directives) | args_use(&dd->arguments);
    }
    case GQLX_KIND_DIRECTIVE_EXTENSION:
        return list_uses(&GQLX_AS_CONST(gqlx_directive_def, d)->directives);
    default:
        return 0;
    }
}

unsigned gqlx_authz_undeclared(const gqlx_document *doc)
{
    unsigned used = 0, declared = 0;
    for (uint32_t i = 0; i < doc->definitions.count; i++)
        used |= definition_uses(doc->definitions.items[i], &declared);
    return used & ~declared;
}

static const char AUTHORIZE_SDL[] =
    "\n\n\"\"\"Requires an authenticated user holding one of the roles and passing the "
    "policy.\"\"\"\n"
    "directive @authorize(roles: [String!], policy: String) repeatable on SCHEMA | OBJECT | "
    "INTERFACE | FIELD_DEFINITION | ARGUMENT_DEFINITION\n";
static const char ALLOW_ANONYMOUS_SDL[] =
    "\n\n\"\"\"Exempts the field from the rules of its type.\"\"\"\n"
    "directive @allowAnonymous on FIELD_DEFINITION\n";
static const char BOTH_SDL[] =
    "\n\n\"\"\"Requires an authenticated user holding one of the roles and passing the "
    "policy.\"\"\"\n"
    "directive @authorize(roles: [String!], policy: String) repeatable on SCHEMA | OBJECT | "
    "INTERFACE | FIELD_DEFINITION | ARGUMENT_DEFINITION\n"
    "\n\"\"\"Exempts the field from the rules of its type.\"\"\"\n"
    "directive @allowAnonymous on FIELD_DEFINITION\n";

const char *gqlx_authz_declarations(unsigned needs, size_t *len)
{
    const char *text = "";
    size_t n = 0;
    if ((needs & GQLX_AUTHZ_NEEDS_AUTHORIZE) && (needs & GQLX_AUTHZ_NEEDS_ALLOW_ANONYMOUS))
        text = BOTH_SDL, n = sizeof BOTH_SDL - 1;
    else if (needs & GQLX_AUTHZ_NEEDS_AUTHORIZE)
        text = AUTHORIZE_SDL, n = sizeof AUTHORIZE_SDL - 1;
    else if (needs & GQLX_AUTHZ_NEEDS_ALLOW_ANONYMOUS)
        text = ALLOW_ANONYMOUS_SDL, n = sizeof ALLOW_ANONYMOUS_SDL - 1;
    *len = n;
    return text;
}

/* ---- adding rules ----------------------------------------------------------- */

/* A requirement with room for the old one's roles and policies plus
 * more_roles and more_policies, the old ones copied in. */
static gqlx_authz *grow_rule(gqlx_arena *a, const gqlx_authz *old, size_t more_roles,
                             size_t more_policies)
{
    size_t nr = (old ? old->role_count : 0) + more_roles;
    size_t np = (old ? old->policy_count : 0) + more_policies;
    if (nr > UINT32_MAX || np > UINT32_MAX)
        return NULL;
    gqlx_authz *r = GQLX_NEW(a, gqlx_authz);
    const char **roles = nr ? GQLX_ARRAY(a, const char *, nr) : NULL;
    const char **policies = np ? GQLX_ARRAY(a, const char *, np) : NULL;
    if (r == NULL || (nr && roles == NULL) || (np && policies == NULL))
        return NULL;
    if (old != NULL) {
        for (uint32_t i = 0; i < old->role_count; i++)
            roles[i] = old->roles[i];
        for (uint32_t i = 0; i < old->policy_count; i++)
            policies[i] = old->policies[i];
        r->role_count = old->role_count;
        r->policy_count = old->policy_count;
    }
    r->roles = roles;
    r->policies = policies;
    return r;
}

bool gqlx_authz_add(gqlx_arena *a, const gqlx_authz **slot, const char *const *roles,
                    size_t role_count, const char *policy)
{
    gqlx_authz *r = grow_rule(a, *slot, role_count, policy != NULL ? 1 : 0);
    if (r == NULL)
        return false;
    const char **rl = (const char **)(uintptr_t)r->roles;
    const char **pl = (const char **)(uintptr_t)r->policies;
    for (size_t i = 0; i < role_count; i++) {
        const char *c = gqlx_arena_strndup(a, roles[i], strlen(roles[i]));
        if (c == NULL)
            return false;
        rl[r->role_count++] = c;
    }
    if (policy != NULL) {
        const char *c = gqlx_arena_strndup(a, policy, strlen(policy));
        if (c == NULL)
            return false;
        pl[r->policy_count++] = c;
    }
    *slot = r;
    return true;
}

/* ---- reading the SDL's directives -------------------------------------------- */

typedef struct reader {
    gqlx_schema *s;
    gql_errors *errs;
    size_t errors;
    const gqlx_directive_decl *authorize;       /* NULL: not usable */
    const gqlx_directive_decl *allow_anonymous; /* NULL: not usable */
} reader;

static void report(reader *r, uint32_t offset, const char *message)
{
    r->errors++;
    if (r->errs == NULL)
        return;
    gqlx_location l = gqlx_source_location(&r->s->source, offset);
    gql_location loc = {l.line, l.column};
    if (!gqlx_errors_add(r->errs, message, &loc, 1))
        r->s->arena.failed = true; /* the build reports memory failure */
}

/* t is String (under at most one non-null). */
static bool is_string(const gqlx_type_ref *t)
{
    if (t->wrap == GQLX_WRAP_NON_NULL)
        t = t->of;
    return t->wrap == GQLX_WRAP_NAMED && t->named->kind == GQLX_TYPE_SCALAR &&
           t->named->scalar == GQLX_SCALAR_STRING;
}

static bool is_string_list(const gqlx_type_ref *t)
{
    if (t->wrap == GQLX_WRAP_NON_NULL)
        t = t->of;
    return t->wrap == GQLX_WRAP_LIST && is_string(t->of);
}

/* The directive named name when the SDL's (or the build's) declaration
 * takes the arguments the rules read; reports one that does not. */
static const gqlx_directive_decl *usable(reader *r, const char *name)
{
    const gqlx_directive_decl *d = gqlx_schema_directive(r->s, name, strlen(name));
    if (d == NULL)
        return NULL;
    bool authorize = strcmp(name, "authorize") == 0;
    bool ok = true;
    for (uint32_t i = 0; i < d->arg_count && ok; i++) {
        const gqlx_input_value *a = &d->args[i];
        if (!authorize)
            ok = false;
        else if (strcmp(a->name->str, "roles") == 0)
            ok = is_string_list(a->type);
        else if (strcmp(a->name->str, "policy") == 0)
            ok = is_string(a->type);
        else
            ok = false;
    }
    if (ok)
        return d;
    uint32_t at = d->ast != NULL ? gqlx_source_offset(&r->s->source, d->ast->name.ptr) : 0;
    report(r, at,
           authorize ? "Directive \"@authorize\" must take only the arguments \"roles\" (a list "
                       "of String) and \"policy\" (a String)."
                     : "Directive \"@allowAnonymous\" must take no arguments.");
    return NULL;
}

/* The literal of argument `name` of applied directive d: the last one
 * written, else the declaration's default, else NULL. */
static const gqlx_node *arg_value(const reader *r, const gqlx_directive *d, const char *name)
{
    const gqlx_node *v = NULL;
    for (uint32_t i = 0; i < d->arguments.count; i++)
        if (gqlx_slice_eq_cstr(d->arguments.items[i]->name, name))
            v = d->arguments.items[i]->value;
    if (v != NULL)
        return v;
    uint32_t i = gqlx_name_index_find(&r->authorize->arg_index, name, strlen(name));
    return i != UINT32_MAX ? r->authorize->args[i].default_value : NULL;
}

/* Counts (out NULL) or copies (into out) the strings of a roles or policy
 * literal: a string, a list of strings (nulls skipped), or null. Returns
 * the count, or -1 after reporting a literal of another kind (when
 * counting). */
static long strings_of(reader *r, const gqlx_directive *d, const gqlx_node *v, const char *arg,
                       bool list, const char **out)
{
    if (v == NULL || v->kind == GQLX_KIND_NULL_VALUE)
        return 0;
    const gqlx_node *const *items = (const gqlx_node *const *)&v;
    uint32_t count = 1;
    if (list && v->kind == GQLX_KIND_LIST_VALUE) {
        const gqlx_list_value *lv = GQLX_AS_CONST(gqlx_list_value, v);
        items = (const gqlx_node *const *)lv->values.items;
        count = lv->values.count;
    }
    long n = 0;
    for (uint32_t i = 0; i < count; i++) {
        const gqlx_node *item = items[i];
        if (item->kind == GQLX_KIND_NULL_VALUE && items != (const gqlx_node *const *)&v)
            continue;
        gqlx_slice text = {NULL, 0};
        bool ok =
            item->kind == GQLX_KIND_STRING_VALUE &&
            gqlx_string_value_get(&r->s->arena, GQLX_AS_CONST(gqlx_string_value, item), &text);
        if (ok && memchr(text.ptr, '\0', text.len) != NULL)
            ok = false; /* names are compared as C strings */
        if (!ok) {
            if (out == NULL && !gqlx_arena_failed(&r->s->arena)) {
                char msg[160];
                snprintf(msg, sizeof msg, "Argument \"@%.*s(%s:)\" has invalid value: expected %s.",
                         (int)d->name.len, d->name.ptr, arg,
                         list ? "a list of strings" : "a string");
                report(r, item->start, msg);
            }
            return -1;
        }
        if (out != NULL) {
            out[n] = gqlx_arena_strndup(&r->s->arena, text.ptr, text.len);
            if (out[n] == NULL)
                return -1;
        }
        n++;
    }
    return n;
}

/* The rule the @authorize directives among items give (NULL: none). */
static const gqlx_authz *read_rule(reader *r, const gqlx_directive *const *items, uint32_t count)
{
    if (r->authorize == NULL)
        return NULL;
    bool present = false, bad = false;
    size_t nroles = 0, npolicies = 0;
    for (uint32_t i = 0; i < count; i++) {
        const gqlx_directive *d = items[i];
        if (!gqlx_slice_eq_cstr(d->name, "authorize"))
            continue;
        present = true;
        long nr = strings_of(r, d, arg_value(r, d, "roles"), "roles", true, NULL);
        long np = strings_of(r, d, arg_value(r, d, "policy"), "policy", false, NULL);
        if (nr < 0 || np < 0)
            bad = true;
        else
            nroles += (size_t)nr, npolicies += (size_t)np;
    }
    if (!present || bad)
        return NULL;
    gqlx_authz *rule = grow_rule(&r->s->arena, NULL, nroles, npolicies);
    if (rule == NULL)
        return NULL;
    const char **roles = (const char **)(uintptr_t)rule->roles;
    const char **policies = (const char **)(uintptr_t)rule->policies;
    for (uint32_t i = 0; i < count; i++) {
        const gqlx_directive *d = items[i];
        if (!gqlx_slice_eq_cstr(d->name, "authorize"))
            continue;
        /* The lists are NULL when empty: there is nothing to copy then. */
        long nr = nroles == 0 ? 0
                              : strings_of(r, d, arg_value(r, d, "roles"), "roles", true,
                                           roles + rule->role_count);
        long np = npolicies == 0 ? 0
                                 : strings_of(r, d, arg_value(r, d, "policy"), "policy", false,
                                              policies + rule->policy_count);
        if (nr < 0 || np < 0)
            return NULL;
        rule->role_count += (uint32_t)nr;
        rule->policy_count += (uint32_t)np;
    }
    r->s->has_authz = true;
    return rule;
}

static const gqlx_authz *read_applied(reader *r, const gqlx_applied_list *l)
{
    return read_rule(r, l->items, l->count);
}

static bool allows_anonymous(const reader *r, const gqlx_applied_list *l)
{
    if (r->allow_anonymous == NULL)
        return false;
    for (uint32_t i = 0; i < l->count; i++)
        if (gqlx_slice_eq_cstr(l->items[i]->name, "allowAnonymous"))
            return true;
    return false;
}

/* The schema's rule: from the schema definition and its extensions,
 * whose directives add up as a type's do. */
static void read_schema_rule(reader *r)
{
    gqlx_schema *s = r->s;
    const gqlx_authz *rule = NULL;
    for (uint32_t k = 0; k <= s->extension_count; k++) {
        const gqlx_schema_def *def =
            k == 0 ? s->ast : GQLX_AS_CONST(gqlx_schema_def, s->extensions[k - 1]);
        if (def == NULL)
            continue;
        const gqlx_authz *part = read_rule(r, (const gqlx_directive *const *)def->directives.items,
                                           def->directives.count);
        if (part == NULL)
            continue;
        if (rule == NULL) {
            rule = part;
            continue;
        }
        gqlx_authz *both = grow_rule(&s->arena, rule, part->role_count, part->policy_count);
        if (both == NULL)
            return;
        const char **roles = (const char **)(uintptr_t)both->roles;
        const char **policies = (const char **)(uintptr_t)both->policies;
        for (uint32_t i = 0; i < part->role_count; i++)
            roles[both->role_count++] = part->roles[i];
        for (uint32_t i = 0; i < part->policy_count; i++)
            policies[both->policy_count++] = part->policies[i];
        rule = both;
    }
    s->authz = rule;
}

size_t gqlx_authz_read_sdl(gqlx_schema *s, gql_errors *errs)
{
    reader r = {s, errs, 0, NULL, NULL};
    r.authorize = usable(&r, "authorize");
    r.allow_anonymous = usable(&r, "allowAnonymous");
    if (r.authorize == NULL && r.allow_anonymous == NULL)
        return r.errors;
    read_schema_rule(&r);
    for (uint32_t i = 0; i < s->type_count; i++) {
        gqlx_type *t = (gqlx_type *)(uintptr_t)s->types[i];
        if (t->builtin || (t->kind != GQLX_TYPE_OBJECT && t->kind != GQLX_TYPE_INTERFACE))
            continue;
        t->authz = read_applied(&r, &t->directives);
        for (uint32_t f = 0; f < t->field_count; f++) {
            gqlx_field_decl *fd = &t->fields[f];
            fd->authz = read_applied(&r, &fd->directives);
            fd->allow_anonymous = allows_anonymous(&r, &fd->directives);
            for (uint32_t a = 0; a < fd->arg_count; a++)
                fd->args[a].authz = read_applied(&r, &fd->args[a].directives);
        }
    }
    return r.errors;
}
