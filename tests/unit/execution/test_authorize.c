/* tests/unit/execution/test_authorize.c — authorization rules (auth.h,
 * builder.h, @authorize and @allowAnonymous): roles (any of), policies
 * (all of), rules that only need a principal, anonymous fields in guarded
 * types, @skip/@include, interfaces and unions as the selection names
 * them, arguments, introspection, statuses, subscriptions, the builder's
 * coordinates, declarations in SDL, and the policy table itself. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/alloc.h"
#include "execution/exec_test.h"
#include "gql/gql.h"

/* ---- helpers ----------------------------------------------------------------------- */

static gql_schema *sdl_schema(const char *sdl)
{
    return finish(builder(sdl));
}

/* Builds sdl expecting failure; returns the first error's message (static
 * copy). */
static const char *sdl_error(const char *sdl)
{
    static char message[512];
    gql_schema *s = NULL;
    gql_errors *errs = NULL;
    int rc = gql_schema_build(&s, sdl, strlen(sdl), NULL, &errs);
    assert_int_equal(rc, GQL_ESCHEMA);
    assert_null(s);
    assert_true(gql_errors_count(errs) > 0);
    snprintf(message, sizeof message, "%s", gql_errors_message(errs, 0));
    gql_errors_free(errs);
    return message;
}

static gql_policies *policies;
static gql_plan_cache *cache;
static char last_json[4096];

/* Runs query for principal p (NULL: anonymous); returns the status and
 * keeps the response text in last_json. */
static int run(const gql_schema *s, const char *query, const char *variables,
               const gql_principal *p)
{
    gql_request req = request(query, variables);
    req.principal = p;
    gql_exec_opts opts;
    gql_exec_opts_init(&opts);
    opts.policies = policies;
    opts.cache = cache;
    gql_response *resp = NULL;
    assert_int_equal(gql_execute(s, &req, &opts, &resp), GQL_OK);
    int status = gql_response_status(resp);
    snprintf(last_json, sizeof last_json, "%s", gql_response_json(resp, NULL));
    gql_response_free(resp);
    return status;
}

static void expect(const gql_schema *s, const char *query, const char *variables,
                   const gql_principal *p, int status, const char *json)
{
    int got = run(s, query, variables, p);
    if (got != status)
        fail_msg("status %d, want %d: %s (query %.80s)", got, status, last_json, query);
    if (json != NULL)
        assert_string_equal(last_json, json);
}

#define ALLOWED(s, q, p)      expect((s), (q), NULL, (p), GQL_OK, NULL)
#define FORBIDDEN(s, q, p)    expect((s), (q), NULL, (p), GQL_EFORBIDDEN, NULL)
#define UNAUTHENTICATED(s, q) expect((s), (q), NULL, NULL, GQL_EUNAUTHENTICATED, NULL)

static const char *const admin_roles[] = {"admin"};
static const char *const user_roles[] = {"user"};
static const char *const cat_roles[] = {"cat"};
static const char *const animal_roles[] = {"animal"};
static const gql_principal nobody = {"nobody", NULL, 0, NULL, 0};
static const gql_principal admin = {"ann", admin_roles, 1, NULL, 0};
static const gql_principal user = {"bob", user_roles, 1, NULL, 0};
static const gql_principal cat_person = {"cid", cat_roles, 1, NULL, 0};
static const gql_principal animal_person = {"al", animal_roles, 1, NULL, 0};

/* Policies: "yes" allows, "no" denies, "admin" asks for the role; each
 * call is counted. */
static int policy_calls;

static int policy_fn(const gql_principal *p, const struct gql_request *req, void *data)
{
    assert_non_null(req);
    policy_calls++;
    const char *what = data;
    if (strcmp(what, "yes") == 0)
        return 1;
    if (strcmp(what, "admin") == 0)
        return gql_principal_has_role(p, "admin");
    return 0;
}

static int setup(void **state)
{
    (void)state;
    if (gql_policies_new(&policies) != GQL_OK ||
        gql_policies_add(policies, "Yes", policy_fn, DATA("yes")) != GQL_OK ||
        gql_policies_add(policies, "No", policy_fn, DATA("no")) != GQL_OK ||
        gql_policies_add(policies, "Admin", policy_fn, DATA("admin")) != GQL_OK)
        return -1;
    cache = NULL;
    policy_calls = 0;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    gql_policies_free(policies);
    policies = NULL;
    gql_plan_cache_free(cache);
    cache = NULL;
    return 0;
}

/* ---- roles and policies ------------------------------------------------------------- */

static void test_roles_any_of(void **state)
{
    (void)state;
    gql_schema *s =
        sdl_schema("type Query {\n"
                   "  both: String @authorize(roles: [\"admin\", \"user\"])\n"
                   "  split: String @authorize(roles: \"admin\") @authorize(roles: [\"user\"])\n"
                   "  adminOnly: String @authorize(roles: [\"admin\"])\n"
                   "}");
    ALLOWED(s, "{ both }", &admin);
    ALLOWED(s, "{ both }", &user);
    FORBIDDEN(s, "{ both }", &nobody);
    /* Repeated directives: their roles form one list. */
    ALLOWED(s, "{ split }", &admin);
    ALLOWED(s, "{ split }", &user);
    ALLOWED(s, "{ adminOnly }", &admin);
    expect(s, "{ both\n  adminOnly }", NULL, &user, GQL_EFORBIDDEN,
           "{\"errors\":[{\"message\":\"Access denied for field 'adminOnly' on type 'Query'.\","
           "\"locations\":[{\"line\":2,\"column\":3}],"
           "\"extensions\":{\"code\":\"ACCESS_DENIED\"}}]}");
    gql_schema_free(s);
}

static void test_policies_all_of(void **state)
{
    (void)state;
    gql_schema *s =
        sdl_schema("type Query {\n"
                   "  two: String @authorize(policy: \"Yes\") @authorize(policy: \"Admin\")\n"
                   "  no: String @authorize(policy: \"Yes\") @authorize(policy: \"No\")\n"
                   "  again: String @authorize(policy: \"Yes\")\n"
                   "  mixed: String @authorize(roles: [\"user\"], policy: \"Admin\")\n"
                   "}");
    ALLOWED(s, "{ two }", &admin);
    FORBIDDEN(s, "{ two }", &user);
    FORBIDDEN(s, "{ no }", &admin);
    /* Roles and a policy on one directive: both must hold. */
    FORBIDDEN(s, "{ mixed }", &admin);
    FORBIDDEN(s, "{ mixed }", &user);
    /* Each policy runs once per request, however many rules name it. */
    policy_calls = 0;
    ALLOWED(s, "{ two again a: again b: two }", &admin);
    assert_int_equal(policy_calls, 2);
    gql_schema_free(s);
}

static void test_unregistered_policy_denies(void **state)
{
    (void)state;
    gql_schema *s = sdl_schema("type Query { x: String @authorize(policy: \"Missing\") }");
    FORBIDDEN(s, "{ x }", &admin);
    /* No table at all. */
    gql_policies *saved = policies;
    policies = NULL;
    FORBIDDEN(s, "{ x }", &admin);
    policies = saved;
    gql_schema_free(s);
}

static void test_authenticated_only(void **state)
{
    (void)state;
    gql_schema *s = sdl_schema("type Query { me: String @authorize open: String }");
    ALLOWED(s, "{ open }", NULL);
    ALLOWED(s, "{ me }", &nobody);
    expect(s, "{ me }", NULL, NULL, GQL_EUNAUTHENTICATED,
           "{\"errors\":[{\"message\":\"Access denied for field 'me' on type 'Query'.\","
           "\"locations\":[{\"line\":1,\"column\":3}],"
           "\"extensions\":{\"code\":\"ACCESS_DENIED\"}}]}");
    /* An identity past its end counts as none. */
    gql_principal expired = {"old", NULL, 0, NULL, 1};
    expect(s, "{ me }", NULL, &expired, GQL_EUNAUTHENTICATED, NULL);
    gql_principal later = {"new", NULL, 0, NULL, 32503680000LL}; /* year 3000 */
    ALLOWED(s, "{ me }", &later);
    gql_schema_free(s);
}

static void test_statuses(void **state)
{
    (void)state;
    gql_schema *s = sdl_schema("type Query { x: String @authorize(roles: [\"admin\"]) }");
    assert_int_equal(run(s, "{ x }", NULL, NULL), GQL_EUNAUTHENTICATED);
    assert_int_equal(run(s, "{ x }", NULL, &user), GQL_EFORBIDDEN);
    assert_int_equal(run(s, "{ x }", NULL, &admin), GQL_OK);
    assert_string_equal(last_json, "{\"data\":{\"x\":null}}");
    /* Denied: no data, nothing about the roles in the message. */
    run(s, "{ x }", NULL, &user);
    assert_null(strstr(last_json, "\"data\""));
    assert_null(strstr(last_json, "admin"));
    gql_schema_free(s);
}

/* ---- types and anonymous fields -------------------------------------------------------- */

static void test_anonymous_fields_in_guarded_type(void **state)
{
    (void)state;
    gql_schema *s = sdl_schema("type Query @authorize(roles: [\"admin\"]) {\n"
                               "  open: String @allowAnonymous\n"
                               "  closed: String\n"
                               "  me: User @allowAnonymous\n"
                               "}\n"
                               "type User @authorize {\n"
                               "  name: String @allowAnonymous\n"
                               "  email: String\n"
                               "  secret: String @allowAnonymous @authorize(roles: [\"admin\"])\n"
                               "}");
    ALLOWED(s, "{ open }", NULL);
    ALLOWED(s, "{ open __typename }", NULL);
    ALLOWED(s, "{ me { name __typename } }", NULL);
    /* @allowAnonymous also sets the field's own rule aside. */
    ALLOWED(s, "{ me { secret } }", NULL);
    ALLOWED(s, "{ closed }", &admin);
    expect(s, "{ open closed }", NULL, NULL, GQL_EUNAUTHENTICATED,
           "{\"errors\":[{\"message\":\"Access denied for type 'Query'.\","
           "\"locations\":[{\"line\":1,\"column\":1}],"
           "\"extensions\":{\"code\":\"ACCESS_DENIED\"}}]}");
    /* User's rule: any principal; the error points at the field whose
     * selection set asked for it. */
    ALLOWED(s, "{ me { email } }", &nobody);
    expect(s, "{\n  me { name email } }", NULL, NULL, GQL_EUNAUTHENTICATED,
           "{\"errors\":[{\"message\":\"Access denied for type 'User'.\","
           "\"locations\":[{\"line\":2,\"column\":3}],"
           "\"extensions\":{\"code\":\"ACCESS_DENIED\"}}]}");
    /* Fragments count as part of the selection set they are spread in. */
    UNAUTHENTICATED(s, "{ me { name ...F } } fragment F on User { email }");
    ALLOWED(s, "{ me { ...F } } fragment F on User { name }", NULL);
    /* Every denial is listed: Query for `closed` and User for `email`. */
    run(s, "{ closed me { email } }", NULL, NULL);
    assert_non_null(strstr(last_json, "Access denied for type 'User'."));
    assert_non_null(strstr(last_json, "Access denied for type 'Query'."));
    gql_schema_free(s);
}

/* ---- @skip and @include ----------------------------------------------------------------- */

static void test_skip_include(void **state)
{
    (void)state;
    gql_schema *s = sdl_schema("type Query { open: String secret: String @authorize me: User }\n"
                               "type User @authorize { email: String }");
    ALLOWED(s, "{ open secret @skip(if: true) }", NULL);
    ALLOWED(s, "{ open secret @include(if: false) }", NULL);
    UNAUTHENTICATED(s, "{ open secret @skip(if: false) }");
    UNAUTHENTICATED(s, "{ open secret @include(if: true) }");
    /* Nothing below a skipped field is checked. */
    ALLOWED(s, "{ open me @skip(if: true) { email } }", NULL);
    ALLOWED(s, "{ open ... @skip(if: true) { secret } }", NULL);
    ALLOWED(s, "{ open ...F @include(if: false) } fragment F on Query { secret }", NULL);
    /* Variables. */
    const char *q = "query($s: Boolean!) { open secret @skip(if: $s) }";
    expect(s, q, "{\"s\": true}", NULL, GQL_OK, "{\"data\":{\"open\":null}}");
    expect(s, q, "{\"s\": false}", NULL, GQL_EUNAUTHENTICATED, NULL);
    const char *qi = "query($i: Boolean = false) { open ... @include(if: $i) { me { email } } }";
    expect(s, qi, NULL, NULL, GQL_OK, NULL);
    expect(s, qi, "{\"i\": true}", NULL, GQL_EUNAUTHENTICATED, NULL);
    gql_schema_free(s);
}

/* ---- interfaces and unions ---------------------------------------------------------------- */

static void test_interfaces_follow_the_selection(void **state)
{
    (void)state;
    gql_schema *s =
        sdl_schema("interface Animal { name: String @authorize(roles: [\"animal\"]) }\n"
                   "type Cat implements Animal { name: String @authorize(roles: [\"cat\"]) }\n"
                   "type Query { cat: Cat animal: Animal }");
    /* Cat.name */
    ALLOWED(s, "{ cat { name } }", &cat_person);
    FORBIDDEN(s, "{ cat { name } }", &animal_person);
    /* Animal.name */
    ALLOWED(s, "{ cat { ... on Animal { name } } }", &animal_person);
    FORBIDDEN(s, "{ cat { ... on Animal { name } } }", &cat_person);
    ALLOWED(s, "{ animal { name } }", &animal_person);
    ALLOWED(s, "{ animal { ... on Cat { name } } }", &cat_person);
    /* Both, in document order. */
    expect(s, "{ cat { name ... on Animal { name } } }", NULL, &nobody, GQL_EFORBIDDEN,
           "{\"errors\":[{\"message\":\"Access denied for field 'name' on type 'Cat'.\","
           "\"locations\":[{\"line\":1,\"column\":9}],"
           "\"extensions\":{\"code\":\"ACCESS_DENIED\"}},"
           "{\"message\":\"Access denied for field 'name' on type 'Animal'.\","
           "\"locations\":[{\"line\":1,\"column\":30}],"
           "\"extensions\":{\"code\":\"ACCESS_DENIED\"}}]}");
    gql_schema_free(s);
}

static void test_interface_and_union_types(void **state)
{
    (void)state;
    gql_schema *s = sdl_schema(
        "interface Animal @authorize(roles: [\"animal\"]) { name: String }\n"
        "type Cat implements Animal { name: String }\n"
        "type Dog implements Animal @authorize(roles: [\"dog\"]) { name: String bark: String }\n"
        "union Pet = Cat | Dog\n"
        "type Query { pet: Pet animal: Animal }");
    ALLOWED(s, "{ pet { ... on Cat { name } } }", NULL);
    ALLOWED(s, "{ pet { __typename } }", NULL);
    expect(s, "{ pet { ... on Cat { name } ... on Dog { bark } } }", NULL, NULL,
           GQL_EUNAUTHENTICATED,
           "{\"errors\":[{\"message\":\"Access denied for type 'Dog'.\","
           "\"locations\":[{\"line\":1,\"column\":3}],"
           "\"extensions\":{\"code\":\"ACCESS_DENIED\"}}]}");
    /* The interface's rule applies to fields selected on the interface,
     * not to those selected on an implementation. */
    FORBIDDEN(s, "{ animal { name } }", &nobody);
    ALLOWED(s, "{ animal { name } }", &animal_person);
    ALLOWED(s, "{ animal { ... on Cat { name } } }", NULL);
    ALLOWED(s, "{ animal { __typename } }", NULL);
    gql_schema_free(s);
}

/* ---- arguments and input types --------------------------------------------------------------- */

static void test_arguments(void **state)
{
    (void)state;
    gql_schema *s = sdl_schema(
        "input Filter { secret: String }\n"
        "type Query {\n"
        "  user(name: String, id: ID @authorize(roles: [\"admin\"]), f: Filter): String\n"
        "}");
    ALLOWED(s, "{ user }", NULL);
    ALLOWED(s, "{ user(name: \"x\") }", NULL);
    ALLOWED(s, "{ user(id: 1) }", &admin);
    expect(s, "{ user(name: \"x\", id: 1) }", NULL, &user, GQL_EFORBIDDEN,
           "{\"errors\":[{\"message\":\"Access denied for argument 'id' of field 'Query.user'.\","
           "\"locations\":[{\"line\":1,\"column\":19}],"
           "\"extensions\":{\"code\":\"ACCESS_DENIED\"}}]}");
    /* Given through a variable counts as given. */
    expect(s, "query($v: ID) { user(id: $v) }", "{}", NULL, GQL_EUNAUTHENTICATED, NULL);
    /* Input types are never checked, and take no rules. */
    ALLOWED(s, "{ user(f: {secret: \"s\"}) }", NULL);
    gql_schema_free(s);
    const char *m = sdl_error("input Filter { secret: String @authorize }\n"
                              "type Query { x(f: Filter): String }");
    assert_string_equal(m, "Directive \"@authorize\" may not be used on INPUT_FIELD_DEFINITION.");
}

/* ---- introspection ----------------------------------------------------------------------------
 */

static void test_introspection(void **state)
{
    (void)state;
    gql_schema *open = sdl_schema("type Query @authorize { x: String }");
    ALLOWED(open, "{ __schema { queryType { name } } }", NULL);
    ALLOWED(open, "{ __type(name: \"Query\") { name } __typename }", NULL);
    UNAUTHENTICATED(open, "{ __typename x }");
    gql_schema_free(open);

    gql_schema *closed = sdl_schema("schema @authorize { query: Query }\n"
                                    "type Query { x: String }");
    expect(closed, "{ __typename }", NULL, NULL, GQL_EUNAUTHENTICATED,
           "{\"errors\":[{\"message\":\"Access denied for schema.\","
           "\"locations\":[{\"line\":1,\"column\":1}],"
           "\"extensions\":{\"code\":\"ACCESS_DENIED\"}}]}");
    UNAUTHENTICATED(closed, "{ __schema { queryType { name } } }");
    UNAUTHENTICATED(closed, "{ x }");
    ALLOWED(closed, "{ __schema { queryType { name } } x }", &nobody);
    gql_schema_free(closed);

    /* `extend schema` adds up with the schema's own rules. */
    gql_schema *ext = sdl_schema("type Query { x: String }\n"
                                 "extend schema @authorize(roles: [\"admin\"])\n"
                                 "extend schema @authorize(policy: \"Yes\")");
    ALLOWED(ext, "{ __typename }", &admin);
    FORBIDDEN(ext, "{ __typename }", &user);
    gql_schema_free(ext);
}

/* ---- fragments ----------------------------------------------------------------------------------
 */

static void test_fragments_walked_once(void **state)
{
    (void)state;
    gql_schema *s = sdl_schema("type Query { q: Query secret: String @authorize open: String }");
    /* Each fragment spreads the next one twice: 2^40 paths, one walk each. */
    char doc[8192];
    size_t n = (size_t)snprintf(doc, sizeof doc, "{ ...F0 }\n");
    for (int i = 0; i < 40; i++)
        n += (size_t)snprintf(doc + n, sizeof doc - n,
                              "fragment F%d on Query { q { ...F%d } q2: q { ...F%d } }\n", i, i + 1,
                              i + 1);
    n += (size_t)snprintf(doc + n, sizeof doc - n, "fragment F40 on Query { secret open }\n");
    assert_true(n < sizeof doc);
    gql_exec_opts opts;
    gql_exec_opts_init(&opts);
    gql_request req = request(doc, NULL);
    gql_response *resp = NULL;
    opts.max_fields = 0; /* expanded, the operation is enormous */
    opts.max_depth = 0;
    opts.max_aliases = 0;
    assert_int_equal(gql_execute(s, &req, &opts, &resp), GQL_OK);
    if (gql_response_status(resp) != GQL_EUNAUTHENTICATED)
        fail_msg("%s", gql_response_json(resp, NULL));
    /* One error for the one field node, however often it is reached. */
    assert_int_equal(gql_response_error_count(resp), 1);
    gql_response_free(resp);
    gql_schema_free(s);
}

/* A chain of fragments deeper than the check follows is refused, not
 * let through unchecked. */
static void test_fragment_chain_limit(void **state)
{
    (void)state;
    gql_schema *s = sdl_schema("type Query { open: String secret: String @authorize }");
    size_t cap = 128 * 1024, n = 0;
    char *doc = malloc(cap);
    assert_non_null(doc);
    n += (size_t)snprintf(doc + n, cap - n, "{ ...F0 }\n");
    /* One selection per fragment: validation's overlap check, which stops
     * at long chains of sets to compare, has nothing to compare. */
    for (int i = 0; i < 2100; i++)
        n += (size_t)snprintf(doc + n, cap - n, "fragment F%d on Query { ...F%d }\n", i, i + 1);
    n += (size_t)snprintf(doc + n, cap - n, "fragment F2100 on Query { secret }\n");
    assert_true(n < cap);
    expect(s, doc, NULL, &admin, GQL_ELIMIT,
           "{\"errors\":[{\"message\":\"The operation nests fragments too deeply to "
           "authorize.\",\"locations\":[{\"line\":1,\"column\":1}]}]}");
    /* Within the limit, the end of the chain is reached. */
    n = (size_t)snprintf(doc, cap, "{ ...F0 }\n");
    for (int i = 0; i < 1000; i++)
        n += (size_t)snprintf(doc + n, cap - n, "fragment F%d on Query { ...F%d }\n", i, i + 1);
    n += (size_t)snprintf(doc + n, cap - n, "fragment F1000 on Query { secret }\n");
    expect(s, doc, NULL, NULL, GQL_EUNAUTHENTICATED, NULL);
    expect(s, doc, NULL, &nobody, GQL_OK, NULL);
    free(doc);
    gql_schema_free(s);
}

/* ---- the builder -------------------------------------------------------------------------------
 */

static void test_builder_rules(void **state)
{
    (void)state;
    gql_schema_builder *b = builder("interface Node { id: ID }\n"
                                    "type Admin implements Node { id: ID name: String }\n"
                                    "input Filter { a: Int }\n"
                                    "union U = Admin\n"
                                    "type Query { open: String secret: String admin: Admin\n"
                                    "  user(id: ID, name: String): String node: Node }");
    static const char *const roles[] = {"admin"};
    static const char *const more[] = {"user"};
    assert_int_equal(gql_schema_builder_authorize(b, "Query.secret", roles, 1, NULL), GQL_OK);
    assert_int_equal(gql_schema_builder_authorize(b, "Query.secret", more, 1, NULL), GQL_OK);
    assert_int_equal(gql_schema_builder_authorize(b, "Admin", NULL, 0, NULL), GQL_OK);
    assert_int_equal(gql_schema_builder_allow_anonymous(b, "Admin.id"), GQL_OK);
    assert_int_equal(gql_schema_builder_authorize(b, "Query.user(id:)", roles, 1, "Yes"), GQL_OK);
    assert_int_equal(gql_schema_builder_authorize(b, "Node.id", NULL, 0, "No"), GQL_OK);
    /* What is not an object or interface type, a field or an argument. */
    static const char *const bad[] = {"Nope",
                                      "Query.nope",
                                      "Query.user(nope:)",
                                      "Query.user(id:",
                                      "Query.user(id)",
                                      "Query.user(id:)x",
                                      "Filter",
                                      "Filter.a",
                                      "U",
                                      "__Schema",
                                      "__Type.name",
                                      "String",
                                      "",
                                      "Query.",
                                      ".secret"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (gql_schema_builder_authorize(b, bad[i], roles, 1, NULL) != GQL_EINVAL)
            fail_msg("%s accepted", bad[i]);
    const char *const null_role[] = {NULL};
    assert_int_equal(gql_schema_builder_authorize(b, "Query", null_role, 1, NULL), GQL_EINVAL);
    assert_int_equal(gql_schema_builder_authorize(b, "Query", NULL, 1, NULL), GQL_EINVAL);
    assert_int_equal(gql_schema_builder_authorize(NULL, "Query", NULL, 0, NULL), GQL_EINVAL);
    assert_int_equal(gql_schema_builder_allow_anonymous(b, "Query"), GQL_EINVAL);
    assert_int_equal(gql_schema_builder_allow_anonymous(b, "Query.user(id:)"), GQL_EINVAL);
    assert_int_equal(gql_schema_builder_allow_anonymous(b, NULL), GQL_EINVAL);
    gql_schema *s = finish(b);

    ALLOWED(s, "{ open }", NULL);
    ALLOWED(s, "{ secret }", &admin);
    ALLOWED(s, "{ secret }", &user);
    FORBIDDEN(s, "{ secret }", &nobody);
    ALLOWED(s, "{ admin { id } }", NULL);
    UNAUTHENTICATED(s, "{ admin { id name } }");
    ALLOWED(s, "{ admin { name } }", &nobody);
    ALLOWED(s, "{ user(name: \"n\") }", NULL);
    ALLOWED(s, "{ user(id: 1) }", &admin);
    FORBIDDEN(s, "{ user(id: 1) }", &user);
    FORBIDDEN(s, "{ node { id } }", &admin);
    ALLOWED(s, "{ node { ... on Admin { id } } }", NULL);
    /* Printing is not affected by rules made in C. */
    char *text = NULL;
    assert_int_equal(gql_schema_print(s, &text, NULL), GQL_OK);
    assert_null(strstr(text, "authorize"));
    free(text);
    gql_schema_free(s);

    /* The schema itself. */
    b = builder("type Query { x: String }");
    assert_int_equal(gql_schema_builder_authorize(b, NULL, roles, 1, NULL), GQL_OK);
    s = finish(b);
    expect(s, "{ __typename }", NULL, &user, GQL_EFORBIDDEN, NULL);
    assert_non_null(strstr(last_json, "Access denied for schema."));
    ALLOWED(s, "{ __typename }", &admin);
    gql_schema_free(s);
}

/* ---- declarations in SDL --------------------------------------------------------------------- */

static void test_sdl_declarations(void **state)
{
    (void)state;
    /* Declared by the SDL, compatibly: used as written. */
    gql_schema *s = sdl_schema("directive @authorize(policy: String!, roles: [String]) "
                               "on FIELD_DEFINITION\n"
                               "directive @allowAnonymous on FIELD_DEFINITION | OBJECT\n"
                               "type Query { x: String @authorize(policy: \"Admin\") }");
    FORBIDDEN(s, "{ x }", &user);
    ALLOWED(s, "{ x }", &admin);
    char *text = NULL;
    assert_int_equal(gql_schema_print(s, &text, NULL), GQL_OK);
    assert_string_equal(text, "directive @authorize(policy: String!, roles: [String]) on "
                              "FIELD_DEFINITION\n\n"
                              "directive @allowAnonymous on FIELD_DEFINITION | OBJECT\n\n"
                              "type Query {\n  x: String\n}");
    free(text);
    gql_schema_free(s);

    /* A default in the SDL's declaration applies. */
    s = sdl_schema("directive @authorize(roles: [String!] = [\"admin\"]) repeatable on OBJECT\n"
                   "type Query @authorize { x: String }");
    FORBIDDEN(s, "{ x }", &user);
    ALLOWED(s, "{ x }", &admin);
    gql_schema_free(s);

    /* Declarations that do not fit the rules. */
    assert_string_equal(sdl_error("directive @authorize(level: Int) on FIELD_DEFINITION\n"
                                  "type Query { x: String @authorize(level: 1) }"),
                        "Directive \"@authorize\" must take only the arguments \"roles\" (a "
                        "list of String) and \"policy\" (a String).");
    assert_string_equal(sdl_error("directive @authorize(roles: String) on FIELD_DEFINITION\n"
                                  "type Query { x: String }"),
                        "Directive \"@authorize\" must take only the arguments \"roles\" (a "
                        "list of String) and \"policy\" (a String).");
    assert_string_equal(sdl_error("directive @allowAnonymous(x: Int) on FIELD_DEFINITION\n"
                                  "type Query { x: String }"),
                        "Directive \"@allowAnonymous\" must take no arguments.");
    /* Values of the wrong kind. */
    assert_string_equal(sdl_error("type Query { x: String @authorize(roles: 5) }"),
                        "Argument \"@authorize(roles:)\" has invalid value: expected a list of "
                        "strings.");
    assert_string_equal(sdl_error("type Query { x: String @authorize(policy: [\"a\"]) }"),
                        "Argument \"@authorize(policy:)\" has invalid value: expected a string.");
    /* Misplaced or unknown arguments: the declaration the build adds
     * makes validation name the problem. */
    assert_string_equal(sdl_error("type Query @allowAnonymous { x: String }"),
                        "Directive \"@allowAnonymous\" may not be used on OBJECT.");
    assert_string_equal(
        sdl_error("type Query { x: String @authorize(role: \"a\") }"),
        "Unknown argument \"role\" on directive \"@authorize\". Did you mean \"roles\"?");
}

static void test_schema_without_rules_unchanged(void **state)
{
    (void)state;
    static const char sdl[] = "directive @auth(requires: String) on FIELD_DEFINITION\n\n"
                              "type Query {\n  x: String @auth(requires: \"a\")\n  y: Int\n}";
    gql_schema *s = sdl_schema(sdl);
    char *text = NULL;
    assert_int_equal(gql_schema_print(s, &text, NULL), GQL_OK);
    assert_string_equal(text, "directive @auth(requires: String) on FIELD_DEFINITION\n\n"
                              "type Query {\n  x: String\n  y: Int\n}");
    free(text);
    /* Introspection lists the specified directives only, as before. */
    run(s, "{ __schema { directives { name } } }", NULL, NULL);
    assert_string_equal(last_json,
                        "{\"data\":{\"__schema\":{\"directives\":[{\"name\":\"auth\"},"
                        "{\"name\":\"include\"},{\"name\":\"skip\"},{\"name\":\"deprecated\"},"
                        "{\"name\":\"specifiedBy\"},{\"name\":\"oneOf\"}]}}}");
    gql_schema_free(s);

    /* A schema that uses the directives has their declarations, printed
     * as graphql-js would print them. */
    s = sdl_schema("type Query { x: String @authorize(roles: [\"a\"]) }");
    assert_int_equal(gql_schema_print(s, &text, NULL), GQL_OK);
    assert_string_equal(text, "\"\"\"\nRequires an authenticated user holding one of the roles "
                              "and passing the policy.\n\"\"\"\n"
                              "directive @authorize(roles: [String!], policy: String) repeatable "
                              "on SCHEMA | OBJECT | INTERFACE | FIELD_DEFINITION | "
                              "ARGUMENT_DEFINITION\n\n"
                              "type Query {\n  x: String\n}");
    free(text);
    gql_schema_free(s);
}

/* ---- caching, async, subscriptions
 * --------------------------------------------------------------- */

static void test_plan_cache(void **state)
{
    (void)state;
    assert_int_equal(gql_plan_cache_new(&cache, 16), GQL_OK);
    gql_schema *s = sdl_schema("type Query { x: String @authorize(roles: [\"admin\"]) }");
    for (int i = 0; i < 3; i++) {
        ALLOWED(s, "{ x }", &admin);
        FORBIDDEN(s, "{ x }", &user);
        UNAUTHENTICATED(s, "{ x }");
        /* Introspection-only answers are cached; the check still runs. */
        ALLOWED(s, "{ __typename }", NULL);
    }
    size_t hits = 0;
    gql_plan_cache_stats(cache, NULL, &hits, NULL);
    assert_true(hits >= 8);
    gql_schema_free(s);
    gql_plan_cache_free(cache);
    cache = NULL;
}

static gql_response *async_resp;

static void on_done(gql_response *resp, void *arg)
{
    (void)arg;
    async_resp = resp;
}

static int resolver_calls;

static gql_value count_resolver(gql_info *info, gql_value parent)
{
    (void)info;
    (void)parent;
    resolver_calls++;
    return gql_cstr("v");
}

static void test_execute_async(void **state)
{
    (void)state;
    gql_schema_builder *b = builder("type Query { x: String @authorize }");
    bind(b, "Query.x", count_resolver, NULL);
    gql_schema *s = finish(b);
    gql_request req = request("{ x }", NULL);
    resolver_calls = 0;
    async_resp = NULL;
    assert_int_equal(gql_execute_async(s, &req, NULL, on_done, NULL, NULL, NULL), GQL_OK);
    assert_non_null(async_resp);
    assert_int_equal(gql_response_status(async_resp), GQL_EUNAUTHENTICATED);
    assert_int_equal(resolver_calls, 0);
    gql_response_free(async_resp);
    req.principal = &nobody;
    async_resp = NULL;
    assert_int_equal(gql_execute_async(s, &req, NULL, on_done, NULL, NULL, NULL), GQL_OK);
    assert_int_equal(gql_response_status(async_resp), GQL_OK);
    assert_string_equal(gql_response_json(async_resp, NULL), "{\"data\":{\"x\":\"v\"}}");
    assert_int_equal(resolver_calls, 1);
    gql_response_free(async_resp);
    gql_schema_free(s);
}

static int subscribers;

static gql_value subscriber(gql_info *info, gql_value root)
{
    (void)root;
    subscribers++;
    gql_stream *st = NULL;
    return gql_stream_new(info, &st, NULL, NULL);
}

static void on_event(gql_response *resp, void *arg)
{
    (void)arg;
    gql_response_free(resp);
}

static void test_subscription_checked_at_subscribe(void **state)
{
    (void)state;
    gql_schema_builder *b = builder("type Query { x: Int }\n"
                                    "type Subscription { events: Int @authorize(roles: "
                                    "[\"admin\"]) ticks: Int }");
    assert_int_equal(gql_schema_builder_subscribers(b, "Subscription", subscriber, NULL), GQL_OK);
    gql_schema *s = finish(b);
    subscribers = 0;
    gql_request req = request("subscription { events }", NULL);
    gql_subscription *sub = NULL;
    gql_response *err = NULL;
    assert_int_equal(gql_subscribe(s, &req, NULL, on_event, NULL, NULL, &sub, &err), GQL_OK);
    assert_null(sub);
    assert_non_null(err);
    assert_int_equal(gql_response_status(err), GQL_EUNAUTHENTICATED);
    assert_non_null(strstr(gql_response_json(err, NULL),
                           "Access denied for field 'events' on type 'Subscription'."));
    gql_response_free(err);
    req.principal = &user;
    assert_int_equal(gql_subscribe(s, &req, NULL, on_event, NULL, NULL, &sub, &err), GQL_OK);
    assert_int_equal(gql_response_status(err), GQL_EFORBIDDEN);
    gql_response_free(err);
    assert_int_equal(subscribers, 0);
    req.principal = &admin;
    assert_int_equal(gql_subscribe(s, &req, NULL, on_event, NULL, NULL, &sub, &err), GQL_OK);
    assert_null(err);
    assert_non_null(sub);
    assert_int_equal(subscribers, 1);
    gql_subscription_free(sub);
    gql_schema_free(s);
}

/* ---- memory failures ----------------------------------------------------------------------------
 */

/* Every allocation of a checked request failing in turn: a clean
 * GQL_ENOMEM (or an error response) each time, and no leak. */
static void test_memory_failures(void **state)
{
    (void)state;
    gql_schema *s = sdl_schema("type Query @authorize { a: String @allowAnonymous b: String "
                               "c(x: Int @authorize(policy: \"Yes\")): String q: Query }");
    static const char *const queries[] = {
        "{ a b c(x: 1) q { ...F ...F } } fragment F on Query { b q { a } }",
        "{ a q { a } }",
    };
    gql_exec_opts opts;
    gql_exec_opts_init(&opts);
    opts.policies = policies;
    for (size_t k = 0; k < sizeof queries / sizeof *queries; k++) {
        gql_request req = request(queries[k], NULL);
        for (long n = 0;; n++) {
            gqlx_fault_set(n);
            gql_response *resp = NULL;
            int rc = gql_execute(s, &req, &opts, &resp);
            int hit = gqlx_fault_triggered();
            gqlx_fault_reset();
            if (rc == GQL_OK)
                gql_response_free(resp);
            else
                assert_int_equal(rc, GQL_ENOMEM);
            if (!hit) {
                assert_int_equal(rc, GQL_OK);
                break;
            }
        }
    }
    gql_schema_free(s);
}

/* ---- the policy table and roles
 * ------------------------------------------------------------------ */

static void test_policy_table(void **state)
{
    (void)state;
    gql_policies *p = NULL;
    assert_int_equal(gql_policies_new(NULL), GQL_EINVAL);
    assert_int_equal(gql_policies_new(&p), GQL_OK);
    gql_request req;
    gql_request_init(&req);
    assert_int_equal(gql_policies_check(p, "a", &admin, &req), 0);
    char name[32];
    for (int i = 0; i < 100; i++) {
        snprintf(name, sizeof name, "policy-%d", i);
        assert_int_equal(gql_policies_add(p, name, policy_fn, DATA(i % 2 ? "yes" : "no")), GQL_OK);
    }
    for (int i = 0; i < 100; i++) {
        snprintf(name, sizeof name, "policy-%d", i);
        assert_int_equal(gql_policies_check(p, name, NULL, &req), i % 2);
    }
    /* Replacing. */
    assert_int_equal(gql_policies_add(p, "policy-0", policy_fn, DATA("yes")), GQL_OK);
    assert_int_equal(gql_policies_check(p, "policy-0", NULL, &req), 1);
    assert_int_equal(gql_policies_check(p, "policy-100", NULL, &req), 0);
    assert_int_equal(gql_policies_check(NULL, "policy-1", NULL, &req), 0);
    assert_int_equal(gql_policies_check(p, NULL, NULL, &req), 0);
    assert_int_equal(gql_policies_add(p, NULL, policy_fn, NULL), GQL_EINVAL);
    assert_int_equal(gql_policies_add(p, "x", NULL, NULL), GQL_EINVAL);
    assert_int_equal(gql_policies_add(NULL, "x", policy_fn, NULL), GQL_EINVAL);
    gql_policies_free(p);
    gql_policies_free(NULL);

    assert_int_equal(gql_principal_has_role(&admin, "admin"), 1);
    assert_int_equal(gql_principal_has_role(&admin, "Admin"), 0);
    assert_int_equal(gql_principal_has_role(&nobody, "admin"), 0);
    assert_int_equal(gql_principal_has_role(NULL, "admin"), 0);
    assert_int_equal(gql_principal_has_role(&admin, NULL), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_roles_any_of, setup, teardown),
        cmocka_unit_test_setup_teardown(test_policies_all_of, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unregistered_policy_denies, setup, teardown),
        cmocka_unit_test_setup_teardown(test_authenticated_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_statuses, setup, teardown),
        cmocka_unit_test_setup_teardown(test_anonymous_fields_in_guarded_type, setup, teardown),
        cmocka_unit_test_setup_teardown(test_skip_include, setup, teardown),
        cmocka_unit_test_setup_teardown(test_interfaces_follow_the_selection, setup, teardown),
        cmocka_unit_test_setup_teardown(test_interface_and_union_types, setup, teardown),
        cmocka_unit_test_setup_teardown(test_arguments, setup, teardown),
        cmocka_unit_test_setup_teardown(test_introspection, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fragments_walked_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fragment_chain_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_builder_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sdl_declarations, setup, teardown),
        cmocka_unit_test_setup_teardown(test_schema_without_rules_unchanged, setup, teardown),
        cmocka_unit_test_setup_teardown(test_plan_cache, setup, teardown),
        cmocka_unit_test_setup_teardown(test_execute_async, setup, teardown),
        cmocka_unit_test_setup_teardown(test_subscription_checked_at_subscribe, setup, teardown),
        cmocka_unit_test_setup_teardown(test_memory_failures, setup, teardown),
        cmocka_unit_test_setup_teardown(test_policy_table, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
