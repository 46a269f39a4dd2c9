/* tests/unit/types/test_authz.c — authorization rules in the schema model
 * (types/authz.c): what @authorize and @allowAnonymous leave on the
 * schema, types, fields and arguments, how repeated directives and
 * extensions add up, the declarations the build adds, error locations,
 * and schemas without rules, which carry nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/alloc.h"
#include "gql/gql.h"
#include "types/authz.h"
#include "types/build_schema.h"

static gql_schema *build(const char *sdl)
{
    gql_schema *s = NULL;
    gql_errors *errs = NULL;
    int rc = gql_schema_build(&s, sdl, strlen(sdl), NULL, &errs);
    if (rc != GQL_OK)
        fail_msg("%s", gql_errors_count(errs) ? gql_errors_message(errs, 0) : "?");
    return s;
}

static const gqlx_type *type(const gql_schema *s, const char *name)
{
    const gqlx_type *t = gqlx_schema_type(gqlx_schema_of(s), name, strlen(name));
    assert_non_null(t);
    return t;
}

static const gqlx_field_decl *field(const gql_schema *s, const char *t, const char *name)
{
    const gqlx_field_decl *f = gqlx_type_field(type(s, t), name, strlen(name));
    assert_non_null(f);
    return f;
}

/* "roles=a,b policies=p" */
static const char *rule_text(const gqlx_authz *r)
{
    static char text[256];
    if (r == NULL)
        return "(none)";
    size_t n = (size_t)snprintf(text, sizeof text, "roles=");
    for (uint32_t i = 0; i < r->role_count; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, "%s%s", i ? "," : "", r->roles[i]);
    n += (size_t)snprintf(text + n, sizeof text - n, " policies=");
    for (uint32_t i = 0; i < r->policy_count; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, "%s%s", i ? "," : "", r->policies[i]);
    return text;
}

static void test_rules_on_every_element(void **state)
{
    (void)state;
    gql_schema *s = build(
        "schema @authorize(roles: \"root\") { query: Query }\n"
        "type Query @authorize(roles: [\"a\", \"b\"]) @authorize(roles: [\"c\"], policy: \"P\") {\n"
        "  open: String @allowAnonymous\n"
        "  me(id: ID @authorize(policy: \"Q\"), name: String): Me @authorize\n"
        "}\n"
        "interface Me @authorize(roles: null, policy: null) { id: ID }\n"
        "extend type Query @authorize(policy: \"\"\"R\"\"\")\n"
        "extend schema @authorize(policy: \"S\\u0041\")");
    const gqlx_schema *m = gqlx_schema_of(s);
    assert_true(m->has_authz);
    assert_string_equal(rule_text(m->authz), "roles=root policies=SA");
    assert_string_equal(rule_text(type(s, "Query")->authz), "roles=a,b,c policies=P,R");
    assert_string_equal(rule_text(type(s, "Me")->authz), "roles= policies=");
    const gqlx_field_decl *open = field(s, "Query", "open");
    assert_true(open->allow_anonymous);
    assert_null(open->authz);
    const gqlx_field_decl *me = field(s, "Query", "me");
    assert_false(me->allow_anonymous);
    assert_string_equal(rule_text(me->authz), "roles= policies=");
    assert_string_equal(rule_text(me->args[0].authz), "roles= policies=Q");
    assert_null(me->args[1].authz);
    assert_null(field(s, "Me", "id")->authz);
    gql_schema_free(s);
}

static void test_schema_without_rules(void **state)
{
    (void)state;
    static const char sdl[] = "type Query { a(x: Int): Q }\ntype Q { b: Int }";
    gql_schema *s = build(sdl);
    const gqlx_schema *m = gqlx_schema_of(s);
    assert_false(m->has_authz);
    assert_null(m->authz);
    assert_int_equal(m->source.len, strlen(sdl)); /* nothing appended */
    assert_null(gqlx_schema_directive(m, "authorize", 9));
    assert_null(gqlx_schema_directive(m, "allowAnonymous", 14));
    assert_null(type(s, "Query")->authz);
    assert_null(field(s, "Query", "a")->authz);
    gql_schema_free(s);

    /* Declared but never applied: declared, and no rules. */
    s = build("directive @authorize(roles: [String!]) on OBJECT\ntype Query { a: Int }");
    assert_false(gqlx_schema_of(s)->has_authz);
    assert_non_null(gqlx_schema_directive(gqlx_schema_of(s), "authorize", 9));
    assert_null(gqlx_schema_directive(gqlx_schema_of(s), "allowAnonymous", 14));
    gql_schema_free(s);
}

static void test_declarations_added(void **state)
{
    (void)state;
    assert_int_equal(GQLX_AUTHZ_NEEDS_AUTHORIZE & GQLX_AUTHZ_NEEDS_ALLOW_ANONYMOUS, 0);
    gql_schema *s = build("type Query { a: Int @allowAnonymous }");
    const gqlx_schema *m = gqlx_schema_of(s);
    assert_non_null(gqlx_schema_directive(m, "allowAnonymous", 14));
    assert_null(gqlx_schema_directive(m, "authorize", 9));
    /* @allowAnonymous alone makes no rule to check. */
    assert_false(m->has_authz);
    assert_true(field(s, "Query", "a")->allow_anonymous);
    gql_schema_free(s);

    s = build("type Query { a(x: Int @authorize): Int }");
    const gqlx_directive_decl *d = gqlx_schema_directive(gqlx_schema_of(s), "authorize", 9);
    assert_non_null(d);
    assert_true(d->repeatable);
    assert_int_equal(d->arg_count, 2);
    assert_int_equal(d->location_count, 5);
    gql_schema_free(s);
}

static void test_error_locations(void **state)
{
    (void)state;
    static const char sdl[] = "type Query {\n  a: Int @authorize(roles: [\"x\", 3])\n}";
    gql_schema *s = NULL;
    gql_errors *errs = NULL;
    assert_int_equal(gql_schema_build(&s, sdl, strlen(sdl), NULL, &errs), GQL_ESCHEMA);
    assert_int_equal(gql_errors_count(errs), 1);
    assert_string_equal(gql_errors_message(errs, 0),
                        "Argument \"@authorize(roles:)\" has invalid value: expected a list of "
                        "strings.");
    const gql_location *loc = NULL;
    assert_int_equal(gql_errors_locations(errs, 0, &loc), 1);
    assert_int_equal(loc->line, 2);
    assert_int_equal(loc->column, 34);
    gql_errors_free(errs);

    /* Errors in the user's text keep their place when declarations are
     * appended. */
    static const char bad[] = "type Query {\n  a: Nope @authorize\n}";
    assert_int_equal(gql_schema_build(&s, bad, strlen(bad), NULL, &errs), GQL_ESCHEMA);
    assert_string_equal(gql_errors_message(errs, 0), "Unknown type \"Nope\".");
    assert_int_equal(gql_errors_locations(errs, 0, &loc), 1);
    assert_int_equal(loc->line, 2);
    assert_int_equal(loc->column, 6);
    gql_errors_free(errs);
}

/* Every allocation of a build with rules failing in turn: a clean
 * GQL_ENOMEM each time, and no leak. */
static void test_memory_failures(void **state)
{
    (void)state;
    static const char sdl[] = "type Query @authorize(roles: [\"a\"]) { a(x: Int @authorize): Int "
                              "@allowAnonymous }";
    for (long n = 0;; n++) {
        gqlx_fault_set(n);
        gql_schema *s = NULL;
        int rc = gql_schema_build(&s, sdl, strlen(sdl), NULL, NULL);
        int hit = gqlx_fault_triggered();
        gqlx_fault_reset();
        if (!hit) {
            assert_int_equal(rc, GQL_OK);
            gql_schema_free(s);
            break;
        }
        assert_int_equal(rc, GQL_ENOMEM);
        assert_null(s);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rules_on_every_element), cmocka_unit_test(test_schema_without_rules),
        cmocka_unit_test(test_declarations_added),     cmocka_unit_test(test_error_locations),
        cmocka_unit_test(test_memory_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
