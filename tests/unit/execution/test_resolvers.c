/* tests/unit/execution/test_resolvers.c — the schema builder and resolvers
 * through the public API (builder.h, resolve.h, value.h, exec.h): binding
 * by coordinate and by type, inherited interface resolvers, application
 * objects and lists, type resolution, arguments, the gql_info queries and
 * look-ahead, field errors and null propagation, memory handed to the
 * engine, custom scalars, limits, request errors and the plan cache.
 *
 * Every expected response is the exact text graphql-js 17 gives for the
 * same schema, data and query (checked with graphql-js where it has an
 * equivalent). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "execution/exec_test.h"
#include "gql/gql.h"

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

/* ---- helpers ---------------------------------------------------------------- */

/* Executes req and checks the status and the exact response text. */
static void expect_req(const gql_schema *s, const gql_request *req, const gql_exec_opts *opts,
                       int status, const char *want)
{
    gql_response *r = NULL;
    assert_int_equal(gql_execute(s, req, opts, &r), GQL_OK);
    assert_non_null(r);
    size_t len = 0;
    const char *json = gql_response_json(r, &len);
    assert_string_equal(json, want);
    assert_int_equal(len, strlen(want));
    assert_int_equal(gql_response_status(r), status);
    gql_response_free(r);
}

static void expect_vars(const gql_schema *s, const char *query, const char *variables,
                        const char *want)
{
    gql_request req = request(query, variables);
    expect_req(s, &req, NULL, GQL_OK, want);
}

static void expect(const gql_schema *s, const char *query, const char *want)
{
    expect_vars(s, query, NULL, want);
}

static void expect_status(const gql_schema *s, const char *query, int status, const char *want)
{
    gql_request req = request(query, NULL);
    expect_req(s, &req, NULL, status, want);
}

static gql_value constant(gql_info *info, gql_value parent)
{
    (void)parent;
    return gql_cstr(gql_info_data(info));
}

/* The parent's own JSON member named like the field (a JSON parent). */
static gql_value json_member(gql_info *info, gql_value parent)
{
    return gql_json_value(gql_json_member(parent.u.json, gql_info_field_name(info)));
}

/* ---- the seeds' example, binding by coordinate and by type ------------------------ */

static gql_value resolve_hero(gql_info *info, gql_value parent)
{
    (void)info;
    (void)parent;
    return gql_cstr("Luke Skywalker");
}

static void test_hero(void **state)
{
    (void)state;
    gql_schema_builder *b = builder("type Query { hero: String }");
    bind(b, "Query.hero", resolve_hero, NULL);
    gql_schema *s = finish(b);
    expect(s, "{ hero }", "{\"data\":{\"hero\":\"Luke Skywalker\"}}");
    expect(s, "{ h: hero hero }",
           "{\"data\":{\"h\":\"Luke Skywalker\",\"hero\":\"Luke Skywalker\"}}");
    gql_schema_free(s);
}

/* A later binding replaces an earlier one; data reaches the resolver. */
static void test_rebinding_and_data(void **state)
{
    (void)state;
    gql_schema_builder *b = builder("type Query { a: String b: String }");
    bind(b, "Query.a", resolve_hero, NULL);
    bind(b, "Query.a", constant, DATA("second"));
    bind(b, "Query.b", constant, DATA("bee"));
    gql_schema *s = finish(b);
    expect(s, "{ a b }", "{\"data\":{\"a\":\"second\",\"b\":\"bee\"}}");
    gql_schema_free(s);
}

/* Without resolvers a JSON root value is read by field name, as graphql-js
 * reads a root object; absent members are null. */
static void test_default_resolver_json_root(void **state)
{
    (void)state;
    gql_schema *s = NULL;
    const char *sdl = "type Query { a: String n: Int o: O missing: String } type O { x: [Int] }";
    assert_int_equal(gql_schema_build(&s, sdl, strlen(sdl), NULL, NULL), GQL_OK);
    gql_json_doc *doc = NULL;
    const char *root = "{\"a\":\"A\",\"n\":3,\"o\":{\"x\":[1,2]}}";
    assert_int_equal(gql_json_parse(&doc, root, strlen(root), NULL), GQL_OK);
    gql_request req = request("{ missing o { x } n a }", NULL);
    req.root = gql_json_value(gql_json_doc_root(doc));
    expect_req(s, &req, NULL, GQL_OK,
               "{\"data\":{\"missing\":null,\"o\":{\"x\":[1,2]},\"n\":3,\"a\":\"A\"}}");
    /* A null root: every field is null. */
    req.root = gql_null();
    expect_req(s, &req, NULL, GQL_OK,
               "{\"data\":{\"missing\":null,\"o\":null,\"n\":null,\"a\":null}}");
    gql_json_doc_free(doc);
    gql_schema_free(s);
}

typedef struct human {
    int id;
    const char *name;
    double height;
} human;

static human luke = {1000, "Luke Skywalker", 1.72};

static gql_value resolve_human(gql_info *info, gql_value parent)
{
    (void)parent;
    return gql_object(gql_info_data(info), NULL);
}

/* One function for every field of Human without a resolver of its own. */
static gql_value resolve_human_fields(gql_info *info, gql_value parent)
{
    const human *h = parent.u.ptr;
    const char *f = gql_info_field_name(info);
    if (strcmp(f, "name") == 0)
        return gql_cstr(h->name);
    if (strcmp(f, "height") == 0)
        return gql_float(h->height);
    if (strcmp(f, "id") == 0)
        return gql_cstr("type-level");
    return gql_null();
}

static gql_value resolve_human_id(gql_info *info, gql_value parent)
{
    (void)info;
    return gql_int(((const human *)parent.u.ptr)->id);
}

static void test_type_level_resolver(void **state)
{
    (void)state;
    gql_schema_builder *b = builder("type Query { human: Human } "
                                    "type Human { id: ID name: String height: Float other: Int }");
    bind(b, "Query.human", resolve_human, &luke);
    bind(b, "Human", resolve_human_fields, NULL);
    bind(b, "Human.id", resolve_human_id, NULL); /* its own wins */
    gql_schema *s = finish(b);
    expect(s, "{ human { id name height other __typename } }",
           "{\"data\":{\"human\":{\"id\":\"1000\",\"name\":\"Luke Skywalker\",\"height\":1.72,"
           "\"other\":null,\"__typename\":\"Human\"}}}");
    gql_schema_free(s);
}

/* The root type may have a type-level resolver too. */
static gql_value resolve_query_fields(gql_info *info, gql_value parent)
{
    (void)parent;
    return gql_string_copy(info, gql_info_field_name(info), strlen(gql_info_field_name(info)));
}

static void test_type_level_on_query(void **state)
{
    (void)state;
    gql_schema_builder *b = builder("type Query { a: String b: String }");
    bind(b, "Query", resolve_query_fields, NULL);
    gql_schema *s = finish(b);
    expect(s, "{ b a }", "{\"data\":{\"b\":\"b\",\"a\":\"a\"}}");
    gql_schema_free(s);
}

/* ---- interface resolvers ---------------------------------------------------- */

static int pet_object;

static gql_value resolve_pet(gql_info *info, gql_value parent)
{
    (void)parent;
    return gql_object(&pet_object, gql_info_data(info));
}

static gql_value resolve_named_name(gql_info *info, gql_value parent)
{
    (void)parent;
    char buf[64];
    int n = snprintf(buf, sizeof buf, "Named via %s", gql_info_parent_type(info));
    return gql_string_copy(info, buf, (size_t)n);
}

static void test_interface_resolver_inherited(void **state)
{
    (void)state;
    gql_schema_builder *b = builder("interface Named { name: String } "
                                    "type Dog implements Named { name: String } "
                                    "type Cat implements Named { name: String } "
                                    "type Query { dog: Dog cat: Cat pet: Named }");
    bind(b, "Named.name", resolve_named_name, NULL);
    bind(b, "Cat.name", constant, DATA("cat's own"));
    bind(b, "Query.dog", resolve_pet, NULL);
    bind(b, "Query.cat", resolve_pet, NULL);
    bind(b, "Query.pet", resolve_pet, DATA("Dog"));
    gql_schema *s = finish(b);
    expect(s, "{ dog { name } cat { name } pet { name } }",
           "{\"data\":{\"dog\":{\"name\":\"Named via Dog\"},\"cat\":{\"name\":\"cat's own\"},"
           "\"pet\":{\"name\":\"Named via Dog\"}}}");
    gql_schema_free(s);
}

/* ---- binding errors ---------------------------------------------------------- */

static const char binding_sdl[] = "interface Named { name: String } "
                                  "type Dog implements Named { name: String } "
                                  "union U = Dog input In { x: Int } enum E { A } scalar S "
                                  "type Query { dog: Dog u: U } "
                                  "type Subscription { tick: Int }";

static const char *type_name_fn(gql_info *info, gql_value value, void *data)
{
    (void)info;
    (void)value;
    (void)data;
    return "Dog";
}

static void test_bad_coordinates(void **state)
{
    (void)state;
    gql_schema_builder *b = builder(binding_sdl);
    static const char *const bad[] = {
        "Nope.x", "Query.nope", "In.x",        "In",  "E",         "E.A",
        "S",      "Named",      "U",           "Int", "__Type",    "__Type.name",
        "Query.", ".dog",       "Query.dog.x", "",    "query.dog", "Dog.",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (gql_schema_builder_resolver(b, bad[i], resolve_hero, NULL) != GQL_EINVAL)
            fail_msg("resolver \"%s\" was accepted", bad[i]);
    assert_int_equal(gql_schema_builder_resolver(b, NULL, resolve_hero, NULL), GQL_EINVAL);
    assert_int_equal(gql_schema_builder_resolver(b, "Query.dog", NULL, NULL), GQL_EINVAL);
    assert_int_equal(gql_schema_builder_resolver(NULL, "Query.dog", resolve_hero, NULL),
                     GQL_EINVAL);
    assert_int_equal(gql_schema_builder_resolver(b, "Query.dog", resolve_hero, NULL), GQL_OK);
    assert_int_equal(gql_schema_builder_resolver(b, "Named.name", resolve_hero, NULL), GQL_OK);
    assert_int_equal(gql_schema_builder_resolver(b, "Dog", resolve_hero, NULL), GQL_OK);
    assert_int_equal(gql_schema_builder_resolver(b, "Query", resolve_hero, NULL), GQL_OK);
    assert_int_equal(gql_schema_builder_resolver(b, "Subscription.tick", resolve_hero, NULL),
                     GQL_OK);

    /* Subscribers: object fields only. */
    assert_int_equal(gql_schema_builder_subscriber(b, "Subscription.tick", resolve_hero, NULL),
                     GQL_OK);
    assert_int_equal(gql_schema_builder_subscriber(b, "Named.name", resolve_hero, NULL),
                     GQL_EINVAL);
    assert_int_equal(gql_schema_builder_subscriber(b, "Subscription", resolve_hero, NULL),
                     GQL_EINVAL);
    assert_int_equal(gql_schema_builder_subscriber(b, "Subscription.nope", resolve_hero, NULL),
                     GQL_EINVAL);
    assert_int_equal(gql_schema_builder_subscriber(b, "Subscription.tick", NULL, NULL), GQL_EINVAL);
    /* Every field of a type at once; the root types by operation. */
    assert_int_equal(gql_schema_builder_subscribers(b, "Subscription", resolve_hero, NULL), GQL_OK);
    assert_int_equal(gql_schema_builder_subscribers(b, "Named", resolve_hero, NULL), GQL_EINVAL);
    assert_int_equal(gql_schema_builder_subscribers(b, "Nope", resolve_hero, NULL), GQL_EINVAL);
    assert_int_equal(gql_schema_builder_subscribers(b, "Subscription", NULL, NULL), GQL_EINVAL);
    assert_string_equal(gql_schema_builder_root_type(b, "query"), "Query");
    assert_string_equal(gql_schema_builder_root_type(b, "subscription"), "Subscription");
    assert_null(gql_schema_builder_root_type(b, "mutation"));
    assert_null(gql_schema_builder_root_type(b, "nope"));
    assert_null(gql_schema_builder_root_type(NULL, "query"));

    /* Type resolvers: interfaces and unions only. */
    assert_int_equal(gql_schema_builder_type_resolver(b, "Named", type_name_fn, NULL), GQL_OK);
    assert_int_equal(gql_schema_builder_type_resolver(b, "U", type_name_fn, NULL), GQL_OK);
    static const char *const not_abstract[] = {"Dog",  "In", "E",      "S",
                                               "Nope", "",   "__Type", "Named.name"};
    for (size_t i = 0; i < sizeof not_abstract / sizeof *not_abstract; i++)
        if (gql_schema_builder_type_resolver(b, not_abstract[i], type_name_fn, NULL) != GQL_EINVAL)
            fail_msg("type resolver \"%s\" was accepted", not_abstract[i]);
    assert_int_equal(gql_schema_builder_type_resolver(b, "U", NULL, NULL), GQL_EINVAL);

    /* Scalar functions: custom scalars only. */
    gql_scalar_funcs funcs = {NULL, NULL, NULL, NULL};
    assert_int_equal(gql_schema_builder_scalar(b, "S", &funcs), GQL_OK);
    static const char *const not_custom[] = {"Int", "Float", "String", "Boolean", "ID",
                                             "Dog", "E",     "In",     "Nope"};
    for (size_t i = 0; i < sizeof not_custom / sizeof *not_custom; i++)
        if (gql_schema_builder_scalar(b, not_custom[i], &funcs) != GQL_EINVAL)
            fail_msg("scalar \"%s\" was accepted", not_custom[i]);
    assert_int_equal(gql_schema_builder_scalar(b, "S", NULL), GQL_EINVAL);
    gql_schema_builder_free(b);
}

static void test_builder_lifecycle(void **state)
{
    (void)state;
    gql_schema_builder *b = NULL;
    gql_errors *errs = NULL;
    const char *bad = "type Query { a: Nope }";
    assert_int_not_equal(gql_schema_builder_new(&b, bad, strlen(bad), NULL, &errs), GQL_OK);
    assert_null(b);
    assert_int_equal(gql_errors_count(errs), 1);
    assert_string_equal(gql_errors_message(errs, 0), "Unknown type \"Nope\".");
    gql_errors_free(errs);
    assert_int_equal(gql_schema_builder_new(NULL, bad, strlen(bad), NULL, NULL), GQL_EINVAL);

    /* finish releases the builder on failure too (ASan sees no leak). */
    gql_schema *s = NULL;
    b = builder("type Query { a: Int }");
    assert_int_equal(gql_schema_builder_finish(b, NULL), GQL_EINVAL);
    assert_int_equal(gql_schema_builder_finish(NULL, &s), GQL_EINVAL);
    assert_null(s);
    gql_schema_builder_free(NULL);
    b = builder("type Query { a: Int }");
    gql_schema_builder_free(b);
}

/* ---- application objects and lists ------------------------------------------------ */

typedef struct person {
    const char *name;
    int age;
    struct person *friends[3];
    size_t friend_count;
} person;

static person ann = {"Ann", 31, {NULL}, 0};
static person bob = {"Bob", 42, {&ann}, 1};
static person cid = {"Cid", 7, {&ann, NULL, &bob}, 3};
static person *const people[] = {&ann, &bob, NULL, &cid};

static gql_value resolve_people(gql_info *info, gql_value parent)
{
    (void)info;
    (void)parent;
    return gql_object_list((void *const *)people, 4, "Person");
}

static gql_value resolve_person(gql_info *info, gql_value parent)
{
    const person *p = parent.u.ptr;
    const char *f = gql_info_field_name(info);
    if (strcmp(f, "name") == 0)
        return gql_cstr(p->name);
    if (strcmp(f, "age") == 0)
        return gql_int(p->age);
    if (strcmp(f, "friends") == 0)
        return gql_object_list((void *const *)p->friends, p->friend_count, NULL);
    if (strcmp(f, "best") == 0)
        return gql_object(p->friend_count ? p->friends[0] : NULL, NULL);
    return gql_null();
}

static void test_objects(void **state)
{
    (void)state;
    gql_schema_builder *b = builder("type Person { name: String age: Int friends: [Person] "
                                    "best: Person } type Query { people: [Person] }");
    bind(b, "Query.people", resolve_people, NULL);
    bind(b, "Person", resolve_person, NULL);
    gql_schema *s = finish(b);
    expect(s, "{ people { name age best { name } friends { name } } }",
           "{\"data\":{\"people\":[{\"name\":\"Ann\",\"age\":31,\"best\":null,\"friends\":[]},"
           "{\"name\":\"Bob\",\"age\":42,\"best\":{\"name\":\"Ann\"},\"friends\":[{\"name\":"
           "\"Ann\"}]},"
           "null,{\"name\":\"Cid\",\"age\":7,\"best\":{\"name\":\"Ann\"},\"friends\":[{\"name\":"
           "\"Ann\"},null,{\"name\":\"Bob\"}]}]}}");
    gql_schema_free(s);
}

static gql_value resolve_lists(gql_info *info, gql_value parent)
{
    (void)parent;
    static const gql_value row0[] = {{GQL_VALUE_STRING, 1, {.str = "a"}, NULL}};
    static gql_value ints[3], row1[2], matrix[3], mixed[3], strict[2], one[1];
    const char *f = gql_info_field_name(info);
    if (strcmp(f, "ints") == 0) {
        ints[0] = gql_int(1), ints[1] = gql_null(), ints[2] = gql_int(-3);
        return gql_list(ints, 3);
    }
    if (strcmp(f, "matrix") == 0) {
        row1[0] = gql_cstr("b"), row1[1] = gql_null();
        matrix[0] = gql_list(row0, 1), matrix[1] = gql_list(row1, 2), matrix[2] = gql_list(NULL, 0);
        return gql_list(matrix, 3);
    }
    if (strcmp(f, "mixed") == 0) {
        mixed[0] = gql_int(1), mixed[1] = gql_float(2.5), mixed[2] = gql_float(1e21);
        return gql_list(mixed, 3);
    }
    if (strcmp(f, "strict") == 0) {
        strict[0] = gql_int(1), strict[1] = gql_null();
        return gql_list(strict, 2);
    }
    if (strcmp(f, "outer") == 0) {
        one[0] = gql_int(5);
        return gql_list(one, 1);
    }
    if (strcmp(f, "empty") == 0)
        return gql_list(NULL, 0);
    if (strcmp(f, "notList") == 0)
        return gql_int(5);
    if (strcmp(f, "fromAlloc") == 0) {
        gql_value *v = gql_alloc_values(info, 3);
        assert_non_null(v);
        assert_int_equal(v[0].kind, GQL_VALUE_NULL); /* filled with nulls */
        v[2] = gql_cstr("z");
        return gql_list(v, 3);
    }
    return gql_null();
}

static void test_value_lists(void **state)
{
    (void)state;
    gql_schema_builder *b = builder("type Query { ints: [Int] matrix: [[String]] mixed: [Float] "
                                    "strict: [Int!] outer: [Int]! empty: [Int] notList: [Int] "
                                    "fromAlloc: [String] }");
    bind(b, "Query", resolve_lists, NULL);
    gql_schema *s = finish(b);
    expect(s, "{ ints matrix mixed outer empty fromAlloc }",
           "{\"data\":{\"ints\":[1,null,-3],\"matrix\":[[\"a\"],[\"b\",null],[]],"
           "\"mixed\":[1,2.5,1e+21],\"outer\":[5],\"empty\":[],\"fromAlloc\":[null,null,\"z\"]}}");
    expect(s, "{ strict notList ints }",
           "{\"errors\":[{\"message\":\"Cannot return null for non-nullable field Query.strict.\","
           "\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"strict\",1]},{\"message\":"
           "\"Expected Iterable, but did not find one for field \\\"Query.notList\\\".\","
           "\"locations\":[{\"line\":1,\"column\":10}],\"path\":[\"notList\"]}],"
           "\"data\":{\"strict\":null,\"notList\":null,\"ints\":[1,null,-3]}}");
    gql_schema_free(s);
}

/* ---- type resolution -------------------------------------------------------- */

typedef struct character {
    int kind; /* what the type resolver answers: see character_type */
    const char *id;
    const char *name;
    const char *extra;
} character;

static const char *character_type(gql_info *info, gql_value value, void *data)
{
    (void)info;
    assert_string_equal(data, "tr-data");
    static const char *const names[] = {"Human", "Droid", NULL, "Wookiee", "Character", "Query"};
    return names[((const character *)value.u.ptr)->kind];
}

static character chars[] = {
    {0, "1000", "Luke", "Tatooine"},
    {1, "2001", "R2-D2", "Astromech"},
    {2, "x", "?", NULL},
    {3, "x", "?", NULL},
    {4, "x", "?", NULL},
    {5, "x", "?", NULL},
};

static gql_value resolve_hero_kind(gql_info *info, gql_value parent)
{
    (void)parent;
    return gql_object(&chars[gql_arg_int(info, "kind", 0)], NULL);
}

static gql_value resolve_character(gql_info *info, gql_value parent)
{
    if (parent.kind == GQL_VALUE_JSON)
        return json_member(info, parent);
    const character *c = parent.u.ptr;
    const char *f = gql_info_field_name(info);
    if (strcmp(f, "id") == 0)
        return gql_cstr(c->id);
    if (strcmp(f, "name") == 0)
        return gql_cstr(c->name);
    return gql_cstr(c->extra);
}

static const char c3po_json[] = "{\"__typename\":\"Droid\",\"name\":\"C-3PO\",\"primaryFunction\":"
                                "\"Protocol\"}";
static gql_json_doc *c3po_doc;

static gql_value resolve_search(gql_info *info, gql_value parent)
{
    (void)parent;
    gql_value *items = gql_alloc_values(info, 4);
    items[0] = gql_object(&chars[0], "Human");
    items[1] = gql_object(&chars[1], "Droid");
    items[2] = gql_json_value(gql_json_doc_root(c3po_doc));
    items[3] = gql_object(&chars[0], gql_arg_string(info, "last", NULL) ? "Human" : NULL);
    return gql_list(items, 4);
}

static gql_schema *characters_schema(void)
{
    gql_schema_builder *b =
        builder("interface Character { id: ID! name: String } "
                "type Human implements Character { id: ID! name: String homePlanet: String } "
                "type Droid implements Character { id: ID! name: String primaryFunction: String } "
                "union Search = Human | Droid "
                "type Query { hero(kind: Int): Character search(last: String): [Search] "
                "human: Human peek: Character peekUnion: Search }");
    bind(b, "Query.hero", resolve_hero_kind, NULL);
    bind(b, "Query.search", resolve_search, NULL);
    bind(b, "Human", resolve_character, NULL);
    bind(b, "Droid", resolve_character, NULL);
    assert_int_equal(
        gql_schema_builder_type_resolver(b, "Character", character_type, DATA("tr-data")), GQL_OK);
    return finish(b);
}

static void test_type_resolvers(void **state)
{
    (void)state;
    assert_int_equal(gql_json_parse(&c3po_doc, c3po_json, strlen(c3po_json), NULL), GQL_OK);
    gql_schema *s = characters_schema();
    const char *q = "query($k: Int) { hero(kind: $k) { __typename id name "
                    "... on Human { homePlanet } ... on Droid { primaryFunction } } }";
    expect_vars(s, q, "{\"k\":0}",
                "{\"data\":{\"hero\":{\"__typename\":\"Human\",\"id\":\"1000\",\"name\":\"Luke\","
                "\"homePlanet\":\"Tatooine\"}}}");
    expect_vars(s, q, "{\"k\":1}",
                "{\"data\":{\"hero\":{\"__typename\":\"Droid\",\"id\":\"2001\",\"name\":\"R2-D2\","
                "\"primaryFunction\":\"Astromech\"}}}");
    /* The type resolver's failures, with graphql-js's messages. */
    expect_vars(
        s, q, "{\"k\":2}",
        "{\"errors\":[{\"message\":\"Abstract type \\\"Character\\\" must resolve to an "
        "Object type at runtime for field \\\"Query.hero\\\". Either the \\\"Character\\\" "
        "type should provide a \\\"resolveType\\\" function or each possible type should "
        "provide an \\\"isTypeOf\\\" function.\",\"locations\":[{\"line\":1,\"column\":18}],"
        "\"path\":[\"hero\"]}],\"data\":{\"hero\":null}}");
    expect_vars(
        s, q, "{\"k\":3}",
        "{\"errors\":[{\"message\":\"Abstract type \\\"Character\\\" was resolved to a type "
        "\\\"Wookiee\\\" that does not exist inside the schema.\",\"locations\":[{\"line\":1,"
        "\"column\":18}],\"path\":[\"hero\"]}],\"data\":{\"hero\":null}}");
    expect_vars(s, q, "{\"k\":4}",
                "{\"errors\":[{\"message\":\"Abstract type \\\"Character\\\" was resolved to a "
                "non-object type \\\"Character\\\".\",\"locations\":[{\"line\":1,\"column\":18}],"
                "\"path\":[\"hero\"]}],\"data\":{\"hero\":null}}");
    expect_vars(s, q, "{\"k\":5}",
                "{\"errors\":[{\"message\":\"Runtime Object type \\\"Query\\\" is not a possible "
                "type for \\\"Character\\\".\",\"locations\":[{\"line\":1,\"column\":18}],"
                "\"path\":[\"hero\"]}],\"data\":{\"hero\":null}}");

    /* Without a type resolver: the value's type, or a JSON "__typename". */
    const char *sq = "{ search(last: \"x\") { __typename ... on Human { name homePlanet } "
                     "... on Droid { name primaryFunction } } }";
    expect(s, sq,
           "{\"data\":{\"search\":[{\"__typename\":\"Human\",\"name\":\"Luke\",\"homePlanet\":"
           "\"Tatooine\"},{\"__typename\":\"Droid\",\"name\":\"R2-D2\",\"primaryFunction\":"
           "\"Astromech\"},{\"__typename\":\"Droid\",\"name\":\"C-3PO\",\"primaryFunction\":"
           "\"Protocol\"},{\"__typename\":\"Human\",\"name\":\"Luke\",\"homePlanet\":"
           "\"Tatooine\"}]}}");
    expect(s, "{ search { __typename } }",
           "{\"errors\":[{\"message\":\"Abstract type \\\"Search\\\" must resolve to an Object "
           "type at runtime for field \\\"Query.search\\\". Either the \\\"Search\\\" type should "
           "provide a \\\"resolveType\\\" function or each possible type should provide an "
           "\\\"isTypeOf\\\" function.\",\"locations\":[{\"line\":1,\"column\":3}],"
           "\"path\":[\"search\",3]}],\"data\":{\"search\":[{\"__typename\":\"Human\"},"
           "{\"__typename\":\"Droid\"},{\"__typename\":\"Droid\"},null]}}");
    gql_schema_free(s);
    gql_json_doc_free(c3po_doc);
}

/* An object's type naming a type outside the union. */
static gql_value resolve_wrong_member(gql_info *info, gql_value parent)
{
    (void)parent;
    return gql_object(&chars[0], gql_info_data(info));
}

static void test_type_fallback_errors(void **state)
{
    (void)state;
    gql_schema_builder *b = builder("type A { x: Int } type B { x: Int } union U = A "
                                    "enum E { V } type Query { u: U v: U w: U }");
    bind(b, "Query.u", resolve_wrong_member, DATA("B"));
    bind(b, "Query.v", resolve_wrong_member, DATA("E"));
    bind(b, "Query.w", resolve_wrong_member, DATA("A"));
    gql_schema *s = finish(b);
    expect(s, "{ u { __typename } v { __typename } w { __typename } }",
           "{\"errors\":[{\"message\":\"Runtime Object type \\\"B\\\" is not a possible type for "
           "\\\"U\\\".\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"u\"]},{\"message\":"
           "\"Abstract type \\\"U\\\" was resolved to a non-object type \\\"E\\\".\","
           "\"locations\":[{\"line\":1,\"column\":20}],\"path\":[\"v\"]}],\"data\":{\"u\":null,"
           "\"v\":null,\"w\":{\"__typename\":\"A\"}}}");
    gql_schema_free(s);
}

/* ---- arguments -------------------------------------------------------------- */

static gql_value resolve_all_args(gql_info *info, gql_value parent)
{
    (void)parent;
    assert_int_equal(gql_json_type(gql_args(info)), GQL_JSON_OBJECT);
    return gql_json_value(gql_args(info));
}

static gql_value resolve_conv(gql_info *info, gql_value parent)
{
    (void)parent;
    size_t len = 99;
    const char *str = gql_arg_string(info, "s", &len);
    char buf[160];
    int n = snprintf(buf, sizeof buf, "i=%lld f=%g b=%d s=%.*s(%zu) missing=%s",
                     (long long)gql_arg_int(info, "i", -1), gql_arg_float(info, "f", -1.5),
                     gql_arg_bool(info, "b", -1), str ? (int)len : 4, str ? str : "NULL", len,
                     gql_arg(info, "missing") == NULL ? "NULL" : "?");
    return gql_string_copy(info, buf, (size_t)n);
}

static void test_arguments(void **state)
{
    (void)state;
    gql_schema_builder *b =
        builder("scalar JSON enum Color { RED GREEN } "
                "input Point { x: Int! y: Int = 7 tags: [String] } "
                "type Query { args(i: Int, f: Float, b: Boolean, s: String, id: ID, c: Color, "
                "d: Int = 42, p: Point, l: [Int], nn: String! = \"x\"): JSON "
                "none: JSON conv(i: Int, f: Float, b: Boolean, s: String): String }");
    bind(b, "Query.args", resolve_all_args, NULL);
    bind(b, "Query.none", resolve_all_args, NULL);
    bind(b, "Query.conv", resolve_conv, NULL);
    gql_schema *s = finish(b);
    expect(s,
           "{ args(l: 3, p: {x: 1, tags: \"t\"}, c: GREEN, id: 5, s: \"hi\", b: true, f: 2, i: 1) "
           "none }",
           "{\"data\":{\"args\":{\"i\":1,\"f\":2,\"b\":true,\"s\":\"hi\",\"id\":\"5\",\"c\":"
           "\"GREEN\",\"d\":42,\"p\":{\"x\":1,\"y\":7,\"tags\":[\"t\"]},\"l\":[3],\"nn\":\"x\"},"
           "\"none\":{}}}");
    /* Variables, defaults and explicit nulls. */
    expect_vars(s, "query($p: Point, $d: Int, $l: [Int]) { args(p: $p, d: $d, l: $l, nn: \"y\") }",
                "{\"p\":{\"x\":2,\"y\":null},\"l\":[1,null]}",
                "{\"data\":{\"args\":{\"d\":42,\"p\":{\"x\":2,\"y\":null},\"l\":[1,null],"
                "\"nn\":\"y\"}}}");
    expect(s, "{ args(d: null) }", "{\"data\":{\"args\":{\"d\":null,\"nn\":\"x\"}}}");
    /* The typed accessors. */
    expect(s, "{ conv(i: 7, f: 2.5, b: false, s: \"a\\u0000b\") }",
           "{\"data\":{\"conv\":\"i=7 f=2.5 b=0 s=a(3) missing=NULL\"}}");
    expect(s, "{ conv(i: 2147483647, f: 3, b: true, s: \"hi\") }",
           "{\"data\":{\"conv\":\"i=2147483647 f=3 b=1 s=hi(2) missing=NULL\"}}");
    expect(s, "{ conv }", "{\"data\":{\"conv\":\"i=-1 f=-1.5 b=-1 s=NULL(0) missing=NULL\"}}");
    expect(s, "{ conv(i: null, f: null, b: null, s: null) }",
           "{\"data\":{\"conv\":\"i=-1 f=-1.5 b=-1 s=NULL(0) missing=NULL\"}}");
    expect_vars(s, "query($i: Int, $s: String) { conv(i: $i, s: $s) }",
                "{\"i\":-9,\"s\":\"\\u00e9\"}",
                "{\"data\":{\"conv\":\"i=-9 f=-1.5 b=-1 s=\xc3\xa9(2) missing=NULL\"}}");
    gql_schema_free(s);
}

/* ---- the gql_info queries ------------------------------------------------------- */

static int obj_node;
static void *const obj_pair[] = {&obj_node, &obj_node};

static gql_value resolve_obj(gql_info *info, gql_value parent)
{
    (void)parent;
    const char *f = gql_info_field_name(info);
    if (strcmp(f, "leaf") == 0) {
        /* "Parent.field key.0.key" built from the path. */
        char buf[256];
        size_t n = (size_t)snprintf(buf, sizeof buf, "%s.%s ", gql_info_parent_type(info), f);
        size_t steps = gql_info_path_length(info);
        for (size_t i = 0; i < steps; i++) {
            gql_path_step st = gql_info_path_step(info, i);
            if (i)
                buf[n++] = '.';
            if (st.key != NULL)
                n += (size_t)snprintf(buf + n, sizeof buf - n, "%.*s", (int)st.key_len, st.key);
            else
                n += (size_t)snprintf(buf + n, sizeof buf - n, "%zu", st.index);
        }
        return gql_string_copy(info, buf, n);
    }
    if (strcmp(f, "items") == 0)
        return gql_object_list(obj_pair, 1, NULL);
    if (strcmp(f, "roots") == 0)
        return gql_object_list(obj_pair, 2, NULL);
    return gql_object(&obj_node, NULL);
}

static char recorded[512];

static void record(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void record(const char *fmt, ...)
{
    size_t n = strlen(recorded);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(recorded + n, sizeof recorded - n, fmt, ap);
    va_end(ap);
}

static gql_value resolve_recording_roots(gql_info *info, gql_value parent)
{
    gql_path_step st = gql_info_path_step(info, 0);
    gql_path_step out = gql_info_path_step(info, 1);
    record("%s %s %s %d %zu %.*s %s %zu|", gql_info_field_name(info), gql_info_parent_type(info),
           gql_info_return_type(info), gql_info_operation(info), gql_info_path_length(info),
           (int)st.key_len, st.key, out.key ? "key" : "NULL", out.index);
    return resolve_obj(info, parent);
}

static void test_info(void **state)
{
    (void)state;
    gql_schema_builder *b = builder("type Obj { child: Obj leaf: String items: [Obj] } "
                                    "type Query { roots: [Obj!]! } type Mutation { roots: [Obj] }");
    bind(b, "Obj", resolve_obj, NULL);
    bind(b, "Query.roots", resolve_recording_roots, NULL);
    bind(b, "Mutation.roots", resolve_recording_roots, NULL);
    gql_schema *s = finish(b);
    recorded[0] = '\0';
    expect(s, "{ r: roots { a: items { l: leaf } child { leaf } } }",
           "{\"data\":{\"r\":[{\"a\":[{\"l\":\"Obj.leaf r.0.a.0.l\"}],\"child\":{\"leaf\":"
           "\"Obj.leaf r.0.child.leaf\"}},{\"a\":[{\"l\":\"Obj.leaf r.1.a.0.l\"}],\"child\":"
           "{\"leaf\":\"Obj.leaf r.1.child.leaf\"}}]}}");
    assert_string_equal(recorded, "roots Query [Obj!]! 0 1 r NULL 0|");
    recorded[0] = '\0';
    expect(s, "mutation { roots { leaf } }",
           "{\"data\":{\"roots\":[{\"leaf\":\"Obj.leaf roots.0.leaf\"},{\"leaf\":\"Obj.leaf "
           "roots.1.leaf\"}]}}");
    assert_string_equal(recorded, "roots Mutation [Obj] 1 1 roots NULL 0|");
    gql_schema_free(s);
}

/* Look-ahead: what each call of the recording resolver saw. */
static gql_value resolve_peek(gql_info *info, gql_value parent)
{
    (void)parent;
    size_t n = gql_info_selection_count(info);
    for (size_t i = 0; i < n; i++)
        record("%s%s", i ? "," : "", gql_info_selection_name(info, i));
    assert_null(gql_info_selection_name(info, n));
    record(" %d%d|", gql_info_selects(info, "homePlanet"), gql_info_selects(info, "nope"));
    return gql_null();
}

static void expect_peek(const gql_schema *s, const char *query, const char *vars, const char *want)
{
    recorded[0] = '\0';
    gql_request req = request(query, vars);
    gql_response *r = NULL;
    assert_int_equal(gql_execute(s, &req, NULL, &r), GQL_OK);
    assert_int_equal(gql_response_status(r), GQL_OK);
    gql_response_free(r);
    assert_string_equal(recorded, want);
}

static void test_lookahead(void **state)
{
    (void)state;
    gql_schema_builder *b =
        builder("interface Character { id: ID! name: String } "
                "type Human implements Character { id: ID! name: String homePlanet: String } "
                "type Droid implements Character { id: ID! name: String primaryFunction: String } "
                "union Search = Human | Droid "
                "type Query { human: Human peek: Character peekUnion: Search leaf: String }");
    bind(b, "Query.human", resolve_peek, NULL);
    bind(b, "Query.peek", resolve_peek, NULL);
    bind(b, "Query.peekUnion", resolve_peek, NULL);
    bind(b, "Query.leaf", resolve_peek, NULL);
    gql_schema *s = finish(b);
    /* Abstract types: every possible type's selections, in order. */
    expect_peek(s,
                "{ peek { id ... on Human { homePlanet } ...F __typename id } } "
                "fragment F on Droid { primaryFunction name }",
                NULL, "id,homePlanet,primaryFunction,name,__typename 10|");
    expect_peek(s, "{ peekUnion { ... on Droid { name } ... on Human { homePlanet name } } }", NULL,
                "name,homePlanet 10|");
    expect_peek(s, "{ peek { ... on Character { name } name @skip(if: true) } }", NULL, "name 00|");
    /* An object type: fragments expanded, duplicates merged. */
    expect_peek(s,
                "{ human { name ... on Human { name homePlanet } ...H } } "
                "fragment H on Human { id name }",
                NULL, "name,homePlanet,id 10|");
    /* @skip and @include with variables, per request. */
    const char *q =
        "query($v: Boolean!) { human { name @include(if: $v) id homePlanet @skip(if: $v) } }";
    expect_peek(s, q, "{\"v\":true}", "name,id 00|");
    expect_peek(s, q, "{\"v\":false}", "id,homePlanet 10|");
    /* A leaf field selects nothing. */
    expect_peek(s, "{ leaf }", NULL, " 00|");
    gql_schema_free(s);
}

/* ---- field errors --------------------------------------------------------------- */

static gql_value resolve_failing(gql_info *info, gql_value parent)
{
    (void)parent;
    const char *f = gql_info_field_name(info);
    if (strcmp(f, "a") == 0)
        return gql_error(info, "no hero %d", 7);
    if (strcmp(f, "b") == 0)
        return gql_error_ext(info, "{\"code\":\"NOT_FOUND\",\"n\":[1,{\"k\":null}]}", "missing %s",
                             "b");
    if (strcmp(f, "c") == 0)
        return gql_error_ext(info, "{bad", "c failed");
    if (strcmp(f, "d") == 0)
        return gql_error_ext(info, "[1]", "d failed");
    if (strcmp(f, "e") == 0)
        return gql_error_ext(info, NULL, "%s", "e \"quoted\"\n");
    if (strcmp(f, "x") == 0)
        return gql_error(info, "x broke");
    if (strcmp(f, "y") == 0)
        return gql_cstr("y");
    return gql_object(&obj_node, NULL);
}

static void test_errors(void **state)
{
    (void)state;
    gql_schema_builder *b = builder("type Obj { x: String! y: String inner: Obj! } "
                                    "type Query { a: String b: String c: String d: String "
                                    "e: String obj: Obj must: Obj! list: [Obj!] }");
    bind(b, "Query", resolve_failing, NULL);
    bind(b, "Obj", resolve_failing, NULL);
    gql_schema *s = finish(b);
    expect(s, "{ a b c d e }",
           "{\"errors\":[{\"message\":\"no hero 7\",\"locations\":[{\"line\":1,\"column\":3}],"
           "\"path\":[\"a\"]},{\"message\":\"missing b\",\"locations\":[{\"line\":1,\"column\":5}],"
           "\"path\":[\"b\"],\"extensions\":{\"code\":\"NOT_FOUND\",\"n\":[1,{\"k\":null}]}},"
           "{\"message\":\"c failed\",\"locations\":[{\"line\":1,\"column\":7}],\"path\":[\"c\"]},"
           "{\"message\":\"d failed\",\"locations\":[{\"line\":1,\"column\":9}],\"path\":[\"d\"]},"
           "{\"message\":\"e \\\"quoted\\\"\\n\",\"locations\":[{\"line\":1,\"column\":11}],"
           "\"path\":[\"e\"]}],\"data\":{\"a\":null,\"b\":null,\"c\":null,\"d\":null,\"e\":null}}");
    /* One resolver call and every location for merged fields. */
    expect(s, "{ a ... { a } }",
           "{\"errors\":[{\"message\":\"no hero 7\",\"locations\":[{\"line\":1,\"column\":3},"
           "{\"line\":1,\"column\":11}],\"path\":[\"a\"]}],\"data\":{\"a\":null}}");
    /* Null propagation to the nearest nullable ancestor. */
    expect(s, "{ obj { y x } a2: obj { y } }",
           "{\"errors\":[{\"message\":\"x broke\",\"locations\":[{\"line\":1,\"column\":11}],"
           "\"path\":[\"obj\",\"x\"]}],\"data\":{\"obj\":null,\"a2\":{\"y\":\"y\"}}}");
    expect(s, "{ obj { inner { inner { x } } } }",
           "{\"errors\":[{\"message\":\"x broke\",\"locations\":[{\"line\":1,\"column\":25}],"
           "\"path\":[\"obj\",\"inner\",\"inner\",\"x\"]}],\"data\":{\"obj\":null}}");
    expect(s, "{ a must { x } }",
           "{\"errors\":[{\"message\":\"no hero 7\",\"locations\":[{\"line\":1,\"column\":3}],"
           "\"path\":[\"a\"]},{\"message\":\"x broke\",\"locations\":[{\"line\":1,\"column\":12}],"
           "\"path\":[\"must\",\"x\"]}],\"data\":null}");
    gql_schema_free(s);
}

/* A list of non-null objects whose item fails: the whole list is null. */
static gql_value resolve_list_items(gql_info *info, gql_value parent)
{
    (void)parent;
    if (strcmp(gql_info_field_name(info), "list") == 0)
        return gql_object_list(obj_pair, 2, NULL);
    if (gql_info_path_step(info, 1).index == 1)
        return gql_error(info, "item %zu", gql_info_path_step(info, 1).index);
    return gql_cstr("ok");
}

static void test_error_in_list(void **state)
{
    (void)state;
    gql_schema_builder *b = builder("type Obj { x: String! } "
                                    "type Query { list: [Obj!] other: [Obj] }");
    bind(b, "Query.list", resolve_list_items, NULL);
    bind(b, "Query.other", resolve_list_items, NULL);
    bind(b, "Obj.x", resolve_list_items, NULL);
    gql_schema *s = finish(b);
    expect(s, "{ list { x } }",
           "{\"errors\":[{\"message\":\"item 1\",\"locations\":[{\"line\":1,\"column\":10}],"
           "\"path\":[\"list\",1,\"x\"]}],\"data\":{\"list\":null}}");
    gql_schema_free(s);
}

/* ---- memory handed to the engine -------------------------------------------------- */

static int released;

static void count_release(void *arg)
{
    released += *(int *)arg;
}

enum { BIG = 16 << 20 };

static gql_value resolve_memory(gql_info *info, gql_value parent)
{
    (void)parent;
    const char *f = gql_info_field_name(info);
    if (strcmp(f, "copy") == 0) {
        char buf[32];
        int n = snprintf(buf, sizeof buf, "copied %d", 42);
        gql_value v = gql_string_copy(info, buf, (size_t)n);
        memset(buf, 'x', sizeof buf); /* the engine holds its own copy */
        return v;
    }
    if (strcmp(f, "empty") == 0)
        return gql_string_copy(info, NULL, 0);
    if (strcmp(f, "owned") == 0) {
        char *s = malloc(BIG);
        assert_non_null(s);
        memset(s, 'o', BIG);
        memcpy(s, "owned", 5);
        return gql_string_owned(info, s, 5);
    }
    if (strcmp(f, "hooks") == 0) {
        static int one = 1, ten = 10;
        assert_int_equal(gql_on_release(info, count_release, &one), GQL_OK);
        assert_int_equal(gql_on_release(info, count_release, &ten), GQL_OK);
        assert_int_equal(gql_on_release(info, NULL, &one), GQL_EINVAL);
        void *p = gql_alloc(info, 24);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % 16, 0);
        return gql_cstr("hooked");
    }
    return gql_null();
}

#if defined(__GLIBC__) && !defined(UNDER_ASAN) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 33)
#define COUNT_MMAP 1
#endif

static void test_strings_and_release(void **state)
{
    (void)state;
    gql_schema_builder *b = builder("type Query { copy: String empty: String owned: String "
                                    "hooks: String }");
    bind(b, "Query", resolve_memory, NULL);
    gql_schema *s = finish(b);
    expect(s, "{ copy empty }", "{\"data\":{\"copy\":\"copied 42\",\"empty\":\"\"}}");

    released = 0;
    gql_request req = request("{ hooks owned hooks2: hooks }", NULL);
#ifdef COUNT_MMAP
    /* A fixed threshold: the 16 MiB block is mapped, and unmapped at once
     * when the engine frees it. */
    mallopt(M_MMAP_THRESHOLD, 1 << 20);
#endif
    gql_response *r = NULL;
    assert_int_equal(gql_execute(s, &req, NULL, &r), GQL_OK);
    assert_string_equal(
        gql_response_json(r, NULL),
        "{\"data\":{\"hooks\":\"hooked\",\"owned\":\"owned\",\"hooks2\":\"hooked\"}}");
    assert_int_equal(released, 0); /* not before the response goes */
#ifdef COUNT_MMAP
    size_t mapped = mallinfo2().hblkhd;
    assert_true(mapped >= BIG);
#endif
    gql_response_free(r);
    assert_int_equal(released, 22);
#ifdef COUNT_MMAP
    assert_true(mallinfo2().hblkhd <= mapped - BIG);
#endif

    /* No info: the function runs at once. */
    released = 0;
    int five = 5;
    assert_int_equal(gql_on_release(NULL, count_release, &five), GQL_EINVAL);
    assert_int_equal(released, 5);
    assert_int_equal(gql_string_owned(NULL, NULL, 0).kind, GQL_VALUE_NULL);
    gql_schema_free(s);
}

/* ---- custom scalars ------------------------------------------------------------ */

/* Date: "D<n>" outside, the integer n inside. */
static gql_value date_serialize(gql_scalar_call *call, gql_value v)
{
    assert_string_equal(gql_scalar_data(call), "date-data");
    if (v.kind != GQL_VALUE_INT)
        return gql_scalar_fail(call, "not a date: %.*s", (int)v.len, v.u.str);
    char *buf = gql_scalar_alloc(call, 32);
    int n = snprintf(buf, 32, "D%lld", (long long)v.u.i);
    return gql_string(buf, (size_t)n);
}

static gql_value date_parse(gql_scalar_call *call, const gql_json *in, const char *what)
{
    size_t len = 0;
    const char *s = gql_json_string(in, &len);
    if (s == NULL || len < 2 || s[0] != 'D')
        return gql_scalar_fail(call, "bad %s", what);
    return gql_int(atoi(s + 1));
}

static gql_value date_parse_value(gql_scalar_call *call, const gql_json *in)
{
    return date_parse(call, in, "date");
}

static gql_value date_parse_literal(gql_scalar_call *call, const gql_json *in)
{
    return date_parse(call, in, "literal");
}

static gql_value resolve_next(gql_info *info, gql_value parent)
{
    (void)parent;
    const char *f = gql_info_field_name(info);
    if (strcmp(f, "bad") == 0)
        return gql_cstr("soon");
    if (strcmp(f, "raw") == 0)
        return gql_json_value(gql_arg(info, "v"));
    return gql_int(gql_arg_int(info, "d", 0) + 1);
}

static void test_custom_scalars(void **state)
{
    (void)state;
    gql_schema_builder *b =
        builder("scalar Date scalar Any "
                "type Query { next(d: Date): Date bad: Date raw(v: Any): Any }");
    gql_scalar_funcs funcs = {date_serialize, date_parse_value, date_parse_literal,
                              DATA("date-data")};
    assert_int_equal(gql_schema_builder_scalar(b, "Date", &funcs), GQL_OK);
    bind(b, "Query", resolve_next, NULL);
    gql_schema *s = finish(b);
    expect(s, "{ next(d: \"D5\") }", "{\"data\":{\"next\":\"D6\"}}");
    expect_vars(s, "query($d: Date) { next(d: $d) }", "{\"d\":\"D9\"}",
                "{\"data\":{\"next\":\"D10\"}}");
    /* A variable inside a literal is substituted before parse_literal. */
    expect_vars(s, "query($s: String) { raw(v: {a: [$s, 1.5, true, null, E]}) }", "{\"s\":\"x\"}",
                "{\"data\":{\"raw\":{\"a\":[\"x\",1.5,true,null,\"E\"]}}}");
    /* serialize failing: a field error with its message. */
    expect(s, "{ bad }",
           "{\"errors\":[{\"message\":\"not a date: soon\",\"locations\":[{\"line\":1,"
           "\"column\":3}],\"path\":[\"bad\"]}],\"data\":{\"bad\":null}}");
    /* parse_value failing: graphql-js's variable message. */
    gql_request req = request("query($d: Date) { next(d: $d) }", "{\"d\":\"x\"}");
    expect_req(s, &req, NULL, GQL_EINVAL,
               "{\"errors\":[{\"message\":\"Variable \\\"$d\\\" has invalid value: bad date\","
               "\"locations\":[{\"line\":1,\"column\":7}]}]}");
    gql_schema_free(s);
}

/* parse_literal failing: the argument's error, with the reason given to
 * gql_scalar_fail as the whole reason (graphql-js's message for a scalar
 * that throws a GraphQLError; graphql-js checks literals during
 * validation, this engine when it coerces the argument). */
static void test_custom_scalar_literal_error(void **state)
{
    (void)state;
    gql_schema_builder *b = builder("scalar Date type Query { next(d: Date): Date }");
    gql_scalar_funcs funcs = {date_serialize, date_parse_value, date_parse_literal,
                              DATA("date-data")};
    assert_int_equal(gql_schema_builder_scalar(b, "Date", &funcs), GQL_OK);
    bind(b, "Query", resolve_next, NULL);
    gql_schema *s = finish(b);
    expect_status(s, "{ next(d: \"x\") }", GQL_OK,
                  "{\"errors\":[{\"message\":\"Argument \\\"Query.next(d:)\\\" has invalid value: "
                  "bad literal\",\"locations\":[{\"line\":1,\"column\":11}],\"path\":[\"next\"]}],"
                  "\"data\":{\"next\":null}}");
    gql_schema_free(s);
}

/* ---- limits ------------------------------------------------------------------ */

static gql_value big_values[100000];

static gql_value resolve_deep(gql_info *info, gql_value parent)
{
    (void)parent;
    const char *f = gql_info_field_name(info);
    if (strcmp(f, "v") == 0)
        return gql_int(1);
    if (strcmp(f, "big") == 0) {
        for (size_t i = 0; i < 100000; i++)
            big_values[i] = gql_int((int64_t)i);
        return gql_list(big_values, 100000);
    }
    if (strcmp(f, "alloc") == 0) {
        /* Past the request's memory: NULL, and the request fails. */
        assert_null(gql_alloc(info, (size_t)1 << 24));
        return gql_cstr("null");
    }
    return gql_object(&obj_node, NULL);
}

static void expect_opts(const gql_schema *s, const char *query, const gql_exec_opts *o, int status,
                        const char *want)
{
    gql_request req = request(query, NULL);
    expect_req(s, &req, o, status, want);
}

static void test_limits(void **state)
{
    (void)state;
    gql_schema_builder *b = builder("type Obj { o: Obj v: Int } "
                                    "type Query { o: Obj big: [Int] alloc: String }");
    bind(b, "Obj", resolve_deep, NULL);
    bind(b, "Query", resolve_deep, NULL);
    gql_schema *s = finish(b);
    gql_exec_opts o;
    gql_exec_opts_init(&o);
    assert_int_equal(o.max_depth, 64);
    assert_int_equal(o.max_fields, 10000);
    assert_int_equal(o.max_aliases, 1000);
    assert_int_equal(o.max_memory, (size_t)256 << 20);

    o.max_depth = 3;
    expect_opts(s, "{ o { o { v } } }", &o, GQL_OK, "{\"data\":{\"o\":{\"o\":{\"v\":1}}}}");
    expect_opts(s, "query Q { o { o { o { v } } } }", &o, GQL_ELIMIT,
                "{\"errors\":[{\"message\":\"The operation is nested 4 levels deep; the limit is "
                "3.\",\"locations\":[{\"line\":1,\"column\":1}]}]}");
    expect_opts(s, "{ o { ...F } } fragment F on Obj { o { o { v } } }", &o, GQL_ELIMIT,
                "{\"errors\":[{\"message\":\"The operation is nested 4 levels deep; the limit is "
                "3.\",\"locations\":[{\"line\":1,\"column\":1}]}]}");
    gql_exec_opts_init(&o);
    o.max_fields = 5;
    expect_opts(s, "{ o { ...F } p: o { ...F } } fragment F on Obj { v w: v }", &o, GQL_ELIMIT,
                "{\"errors\":[{\"message\":\"The operation selects 6 fields; the limit is 5.\","
                "\"locations\":[{\"line\":1,\"column\":1}]}]}");
    expect_opts(s, "{ o { ...F } } fragment F on Obj { v w: v }", &o, GQL_OK,
                "{\"data\":{\"o\":{\"v\":1,\"w\":1}}}");
    gql_exec_opts_init(&o);
    o.max_aliases = 2;
    expect_opts(s, "{ a: o { b: v } c: o { d: v } }", &o, GQL_ELIMIT,
                "{\"errors\":[{\"message\":\"The operation uses 4 aliases; the limit is 2.\","
                "\"locations\":[{\"line\":1,\"column\":1}]}]}");
    expect_opts(s, "{ a: o { b: v } }", &o, GQL_OK, "{\"data\":{\"a\":{\"b\":1}}}");
    /* 0 disables a limit. */
    gql_exec_opts_init(&o);
    o.max_depth = 0;
    char deep[2048] = "{";
    for (int i = 0; i < 100; i++)
        strcat(deep, " o {");
    strcat(deep, " v");
    for (int i = 0; i < 101; i++)
        strcat(deep, " }");
    gql_request req = request(deep, NULL);
    gql_response *r = NULL;
    assert_int_equal(gql_execute(s, &req, &o, &r), GQL_OK);
    assert_int_equal(gql_response_status(r), GQL_OK);
    gql_response_free(r);
    gql_exec_opts_init(&o);
    assert_int_equal(gql_execute(s, &req, &o, &r), GQL_OK);
    assert_int_equal(gql_response_status(r), GQL_ELIMIT);
    gql_response_free(r);

    /* Memory. */
    gql_exec_opts_init(&o);
    o.max_memory = 64 << 10;
    expect_opts(s, "{ big }", &o, GQL_ELIMIT,
                "{\"errors\":[{\"message\":\"The request exceeded its memory limit.\"}]}");
    expect_opts(s, "{ alloc }", &o, GQL_ELIMIT,
                "{\"errors\":[{\"message\":\"The request exceeded its memory limit.\"}]}");
    expect_opts(s, "{ o { v } }", &o, GQL_OK, "{\"data\":{\"o\":{\"v\":1}}}");
    gql_schema_free(s);
}

/* A long chain of fragment spreads is refused with a clear error, whatever
 * the other limits say, before any walk can exhaust the stack. */
static void test_spread_chain_limit(void **state)
{
    (void)state;
    gql_schema *s = finish(builder("type Query { a: Int }"));
    size_t cap = 512 * 1024, n = 0;
    char *doc = malloc(cap);
    assert_non_null(doc);
    n += (size_t)snprintf(doc + n, cap - n, "{ ...F0 }\n");
    for (int i = 0; i < 10000; i++)
        n += (size_t)snprintf(doc + n, cap - n, "fragment F%d on Query { ...F%d }\n", i, i + 1);
    n += (size_t)snprintf(doc + n, cap - n, "fragment F10000 on Query { a }\n");
    assert_true(n < cap);
    gql_exec_opts o;
    gql_exec_opts_init(&o);
    o.max_depth = o.max_fields = o.max_aliases = 0;
    expect_opts(s, doc, &o, GQL_ELIMIT,
                "{\"errors\":[{\"message\":\"The operation nests fragment spreads more than "
                "3000 deep.\",\"locations\":[{\"line\":1,\"column\":1}]}]}");
    /* Within the limit, the chain runs. */
    n = (size_t)snprintf(doc, cap, "{ ...F0 }\n");
    for (int i = 0; i < 1000; i++)
        n += (size_t)snprintf(doc + n, cap - n, "fragment F%d on Query { ...F%d }\n", i, i + 1);
    n += (size_t)snprintf(doc + n, cap - n, "fragment F1000 on Query { a }\n");
    expect_opts(s, doc, &o, GQL_OK, "{\"data\":{\"a\":null}}");
    free(doc);
    gql_schema_free(s);
}

/* ---- request errors and statuses ---------------------------------------------------- */

static gql_value resolve_echo(gql_info *info, gql_value parent)
{
    (void)parent;
    return gql_json_value(gql_arg(info, "n"));
}

static gql_schema *echo_schema(void)
{
    gql_schema_builder *b = builder("type Query { echo(n: Int): Int a: Int }");
    bind(b, "Query.echo", resolve_echo, NULL);
    return finish(b);
}

static void test_operation_selection(void **state)
{
    (void)state;
    gql_schema *s = echo_schema();
    const char *two = "query A { a: echo(n: 1) } query B { b: echo(n: 2) }";
    expect_status(s, two, GQL_EINVAL,
                  "{\"errors\":[{\"message\":\"Must provide operation name if query contains "
                  "multiple operations.\"}]}");
    gql_request req = request(two, NULL);
    req.operation_name = "B";
    expect_req(s, &req, NULL, GQL_OK, "{\"data\":{\"b\":2}}");
    req.operation_name = "A";
    expect_req(s, &req, NULL, GQL_OK, "{\"data\":{\"a\":1}}");
    req.operation_name = "C";
    expect_req(s, &req, NULL, GQL_EINVAL,
               "{\"errors\":[{\"message\":\"Unknown operation named \\\"C\\\".\"}]}");
    /* A name given for an anonymous operation matches nothing. */
    req = request("{ a }", NULL);
    req.operation_name = "A";
    expect_req(s, &req, NULL, GQL_EINVAL,
               "{\"errors\":[{\"message\":\"Unknown operation named \\\"A\\\".\"}]}");
    expect_status(s, "mutation { a }", GQL_EVALIDATION,
                  "{\"errors\":[{\"message\":\"The mutation operation is not supported by the "
                  "schema.\",\"locations\":[{\"line\":1,\"column\":1}]}]}");
    gql_schema_free(s);
}

static void test_variables(void **state)
{
    (void)state;
    gql_schema *s = echo_schema();
    const char *q = "query($n: Int) { echo(n: $n) }";
    expect_vars(s, q, "{\"n\":3}", "{\"data\":{\"echo\":3}}");
    expect_vars(s, q, "null", "{\"data\":{\"echo\":null}}");
    expect_vars(s, q, NULL, "{\"data\":{\"echo\":null}}");
    expect_vars(s, q, " {} ", "{\"data\":{\"echo\":null}}");
    /* A parsed value wins over text. */
    gql_json_doc *doc = NULL;
    assert_int_equal(gql_json_parse(&doc, "{\"n\":4}", 7, NULL), GQL_OK);
    gql_request req = request(q, "{\"n\":3}");
    req.variables_json = gql_json_doc_root(doc);
    expect_req(s, &req, NULL, GQL_OK, "{\"data\":{\"echo\":4}}");
    req.variables = "{bad";
    req.variables_len = 4;
    expect_req(s, &req, NULL, GQL_OK, "{\"data\":{\"echo\":4}}");
    gql_json_doc_free(doc);
    /* Bad variables are request errors. */
    req = request(q, "[1]");
    expect_req(s, &req, NULL, GQL_EINVAL,
               "{\"errors\":[{\"message\":\"Variables must be a JSON object.\"}]}");
    req = request(q, "{\"n\":");
    gql_response *r = NULL;
    assert_int_equal(gql_execute(s, &req, NULL, &r), GQL_OK);
    assert_int_equal(gql_response_status(r), GQL_EINVAL);
    assert_int_equal(gql_response_error_count(r), 1);
    assert_non_null(strstr(gql_response_json(r, NULL),
                           "{\"errors\":[{\"message\":\"Variables are invalid JSON: "));
    assert_null(strstr(gql_response_json(r, NULL), "\"data\""));
    gql_response_free(r);
    req = request(q, "{\"n\":\"x\"}");
    expect_req(
        s, &req, NULL, GQL_EINVAL,
        "{\"errors\":[{\"message\":\"Variable \\\"$n\\\" has invalid value: Int cannot "
        "represent non-integer value: \\\"x\\\"\",\"locations\":[{\"line\":1,\"column\":7}]}]}");
    gql_schema_free(s);
}

static void test_statuses(void **state)
{
    (void)state;
    gql_schema *s = echo_schema();
    struct {
        const char *query;
        int status;
        size_t errors;
        const char *json;
    } cases[] = {
        {"{ a }", GQL_OK, 0, "{\"data\":{\"a\":null}}"},
        {"{", GQL_ESYNTAX, 1,
         "{\"errors\":[{\"message\":\"Syntax Error: Expected Name, found <EOF>.\",\"locations\":"
         "[{\"line\":1,\"column\":2}]}]}"},
        {"{ nope b: nope }", GQL_EVALIDATION, 2,
         "{\"errors\":[{\"message\":\"Cannot query field \\\"nope\\\" on type \\\"Query\\\".\","
         "\"locations\":[{\"line\":1,\"column\":3}]},{\"message\":\"Cannot query field "
         "\\\"nope\\\" "
         "on type \\\"Query\\\".\",\"locations\":[{\"line\":1,\"column\":8}]}]}"},
        {"query A { a } query A { a }", GQL_EVALIDATION, 1,
         "{\"errors\":[{\"message\":\"There can be only one operation named \\\"A\\\".\","
         "\"locations\":[{\"line\":1,\"column\":7},{\"line\":1,\"column\":21}]}]}"},
        {"subscription { a }", GQL_EVALIDATION, 1,
         "{\"errors\":[{\"message\":\"The subscription operation is not supported by the "
         "schema.\",\"locations\":[{\"line\":1,\"column\":1}]}]}"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        gql_request req = request(cases[i].query, NULL);
        gql_response *r = NULL;
        assert_int_equal(gql_execute(s, &req, NULL, &r), GQL_OK);
        assert_string_equal(gql_response_json(r, NULL), cases[i].json);
        assert_int_equal(gql_response_status(r), cases[i].status);
        assert_int_equal(gql_response_error_count(r), cases[i].errors);
        gql_response_free(r);
    }
    /* Arguments. */
    gql_request req = request("{ a }", NULL);
    gql_response *r = (gql_response *)(uintptr_t)1; /* overwritten with NULL */
    assert_int_equal(gql_execute(NULL, &req, NULL, &r), GQL_EINVAL);
    assert_null(r);
    assert_int_equal(gql_execute(s, NULL, NULL, &r), GQL_EINVAL);
    assert_int_equal(gql_execute(s, &req, NULL, NULL), GQL_EINVAL);
    req.query = NULL;
    assert_int_equal(gql_execute(s, &req, NULL, &r), GQL_EINVAL);
    assert_int_equal(gql_response_status(NULL), GQL_EINVAL);
    assert_int_equal(gql_response_error_count(NULL), 0);
    size_t len = 7;
    assert_null(gql_response_json(NULL, &len));
    assert_int_equal(len, 0);
    gql_response_free(NULL);
    gql_exec_opts_init(NULL);
    gql_request_init(NULL);
    gql_schema_free(s);
}

/* ---- the plan cache ----------------------------------------------------------- */

static void expect_stats(const gql_plan_cache *c, size_t entries, size_t hits, size_t misses)
{
    size_t e = 99, h = 99, m = 99;
    gql_plan_cache_stats(c, &e, &h, &m);
    if (e != entries || h != hits || m != misses)
        fail_msg("stats: %zu entries, %zu hits, %zu misses; want %zu, %zu, %zu", e, h, m, entries,
                 hits, misses);
}

static void test_plan_cache(void **state)
{
    (void)state;
    gql_schema *s = echo_schema();
    gql_plan_cache *cache = NULL;
    assert_int_equal(gql_plan_cache_new(&cache, 10), GQL_OK);
    gql_exec_opts with;
    gql_exec_opts_init(&with);
    with.cache = cache;
    static const struct {
        const char *query;
        const char *vars;
        int status;
        const char *json;
    } runs[] = {
        {"query($n: Int) { echo(n: $n) }", "{\"n\":1}", GQL_OK, "{\"data\":{\"echo\":1}}"},
        {"query($n: Int) { echo(n: $n) }", "{\"n\":2}", GQL_OK, "{\"data\":{\"echo\":2}}"},
        {"{ a }", NULL, GQL_OK, "{\"data\":{\"a\":null}}"},
        {"query($n: Int) { echo(n: $n) }", "{\"n\":3}", GQL_OK, "{\"data\":{\"echo\":3}}"},
        {"{ nope }", NULL, GQL_EVALIDATION,
         "{\"errors\":[{\"message\":\"Cannot query field \\\"nope\\\" on type \\\"Query\\\".\","
         "\"locations\":[{\"line\":1,\"column\":3}]}]}"},
        {"{ nope }", NULL, GQL_EVALIDATION,
         "{\"errors\":[{\"message\":\"Cannot query field \\\"nope\\\" on type \\\"Query\\\".\","
         "\"locations\":[{\"line\":1,\"column\":3}]}]}"},
        {"query($s: Boolean!) { echo(n: 5) @skip(if: $s) a }", "{\"s\":true}", GQL_OK,
         "{\"data\":{\"a\":null}}"},
        {"query($s: Boolean!) { echo(n: 5) @skip(if: $s) a }", "{\"s\":false}", GQL_OK,
         "{\"data\":{\"echo\":5,\"a\":null}}"},
        {"query($s: Boolean!) { echo(n: 5) @skip(if: $s) a }", "{\"s\":true}", GQL_OK,
         "{\"data\":{\"a\":null}}"},
        {"query($s: Boolean!) { echo(n: 5) @skip(if: $s) a }", "{}", GQL_EINVAL,
         "{\"errors\":[{\"message\":\"Variable \\\"$s\\\" has invalid value: Expected a value of "
         "non-null type \\\"Boolean!\\\" to be provided.\",\"locations\":[{\"line\":1,"
         "\"column\":7}]}]}"},
    };
    size_t n = sizeof runs / sizeof *runs;
    for (size_t i = 0; i < n; i++) {
        gql_request req = request(runs[i].query, runs[i].vars);
        expect_req(s, &req, NULL, runs[i].status, runs[i].json);
        expect_req(s, &req, &with, runs[i].status, runs[i].json);
    }
    /* 4 distinct texts; every other run is a hit. */
    expect_stats(cache, 4, n - 4, 4);

    /* A second schema sharing the cache gets its own plans. */
    gql_schema_builder *b = builder("type Query { echo(n: Int): String a: String }");
    bind(b, "Query.echo", resolve_hero, NULL);
    gql_schema *s2 = finish(b);
    gql_request req = request("{ a }", NULL);
    expect_req(s2, &req, &with, GQL_OK, "{\"data\":{\"a\":null}}");
    req = request("query($n: Int) { echo(n: $n) }", "{\"n\":1}");
    expect_req(s2, &req, &with, GQL_OK, "{\"data\":{\"echo\":\"Luke Skywalker\"}}");
    expect_req(s, &req, &with, GQL_OK, "{\"data\":{\"echo\":1}}");
    expect_req(s2, &req, &with, GQL_OK, "{\"data\":{\"echo\":\"Luke Skywalker\"}}");
    expect_stats(cache, 6, n - 4 + 2, 6);
    gql_schema_free(s2);
    gql_schema_free(s);
    gql_plan_cache_free(cache);
}

/* A query over the parser's 64 MiB limit is refused unread, with and
 * without a plan cache (which does not keep a copy of it). */
static void test_oversized_query(void **state)
{
    (void)state;
    gql_schema *s = finish(builder("type Query { a: Int }"));
    size_t len = (64u << 20) + 1;
    char *text = malloc(len);
    assert_non_null(text);
    memset(text, ' ', len);
    memcpy(text, "{ a }", 5);
    gql_request req = request("", NULL);
    req.query = text;
    req.query_len = len;
    const char *want = "{\"errors\":[{\"message\":\"Syntax Error: Document is too large. Parsing "
                       "aborted.\",\"locations\":[{\"line\":1,\"column\":1}]}]}";
    gql_plan_cache *cache = NULL;
    assert_int_equal(gql_plan_cache_new(&cache, 4), GQL_OK);
    gql_exec_opts opts;
    gql_exec_opts_init(&opts);
    expect_req(s, &req, NULL, GQL_ESYNTAX, want);
    opts.cache = cache;
    expect_req(s, &req, &opts, GQL_ESYNTAX, want);
    size_t entries = 1;
    gql_plan_cache_stats(cache, &entries, NULL, NULL);
    assert_int_equal(entries, 0);
    gql_plan_cache_free(cache);
    free(text);
    gql_schema_free(s);
}

/* A long query runs as any other, but the plan cache does not keep it: a
 * client sending distinct long queries cannot fill the cache with them. */
static void test_long_query_not_cached(void **state)
{
    (void)state;
    gql_schema *s = finish(builder("type Query { a: Int }"));
    size_t len = 300u * 1024u;
    char *text = malloc(len);
    assert_non_null(text);
    memset(text, ' ', len);
    memcpy(text, "{ a }", 5);
    gql_request req = request("", NULL);
    req.query = text;
    req.query_len = len;
    gql_plan_cache *cache = NULL;
    assert_int_equal(gql_plan_cache_new(&cache, 4), GQL_OK);
    gql_exec_opts opts;
    gql_exec_opts_init(&opts);
    opts.cache = cache;
    expect_req(s, &req, &opts, GQL_OK, "{\"data\":{\"a\":null}}");
    expect_req(s, &req, &opts, GQL_OK, "{\"data\":{\"a\":null}}");
    size_t entries = 1;
    gql_plan_cache_stats(cache, &entries, NULL, NULL);
    assert_int_equal(entries, 0);
    gql_plan_cache_free(cache);
    free(text);
    gql_schema_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hero),
        cmocka_unit_test(test_rebinding_and_data),
        cmocka_unit_test(test_default_resolver_json_root),
        cmocka_unit_test(test_type_level_resolver),
        cmocka_unit_test(test_type_level_on_query),
        cmocka_unit_test(test_interface_resolver_inherited),
        cmocka_unit_test(test_bad_coordinates),
        cmocka_unit_test(test_builder_lifecycle),
        cmocka_unit_test(test_objects),
        cmocka_unit_test(test_value_lists),
        cmocka_unit_test(test_type_resolvers),
        cmocka_unit_test(test_type_fallback_errors),
        cmocka_unit_test(test_arguments),
        cmocka_unit_test(test_info),
        cmocka_unit_test(test_lookahead),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_error_in_list),
        cmocka_unit_test(test_strings_and_release),
        cmocka_unit_test(test_custom_scalars),
        cmocka_unit_test(test_custom_scalar_literal_error),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_spread_chain_limit),
        cmocka_unit_test(test_operation_selection),
        cmocka_unit_test(test_variables),
        cmocka_unit_test(test_statuses),
        cmocka_unit_test(test_plan_cache),
        cmocka_unit_test(test_oversized_query),
        cmocka_unit_test(test_long_query_not_cached),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
