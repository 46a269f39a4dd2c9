/* tests/unit/execution/test_fast_paths.c — the engine's shortcuts for
 * common values (execute.c): leaves read straight from a JSON root value
 * or a resolver's plain value, objects and lists of objects completed in
 * one loop, and introspection leaves read from the schema. Each case is a
 * value the shortcut writes and a value next to it that it must leave to
 * the general path (nulls in non-null positions, values needing coercion,
 * errors), whose output must stay exactly graphql-js 17's.
 *
 * The JSON-root expectations are graphql-js 17's execute() output for the
 * same schema, data (JSON.parse) and query. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "execution/exec_test.h"
#include "gql/gql.h"

static void expect_json(const gql_schema *s, const gql_request *req, const char *want)
{
    gql_response *r = NULL;
    assert_int_equal(gql_execute(s, req, NULL, &r), GQL_OK);
    assert_string_equal(gql_response_json(r, NULL), want);
    gql_response_free(r);
}

/* ---- JSON root values ---------------------------------------------------------- */

static const char json_sdl[] =
    "enum E { A B }\n"
    "type Item { a: Int! b: String }\n"
    "type Query {\n"
    "  s: String s2: String! id: ID i: Int f: Float b: Boolean e: E e2: E!\n"
    "  o: Item on: Item! l: [Item] ln: [Item!] lnn: [Item!]! ls: [String] li: [Int!]\n"
    "}\n";

static const struct {
    const char *data, *query, *want;
} json_cases[] = {
    {"{\"s\":\"plain\",\"s2\":\"a\\\"b\\u00e9\\/c\",\"id\":\"x\"}", "{ s s2 id }",
     "{\"data\":{\"s\":\"plain\",\"s2\":\"a\\\"bé/c\",\"id\":\"x\"}}"},
    {"{\"i\":12,\"f\":12.50,\"id\":9007199254740992}", "{ i f id }",
     "{\"data\":{\"i\":12,\"f\":12.5,\"id\":\"9007199254740992\"}}"},
    {"{\"i\":-0,\"f\":-0}", "{ i f }", "{\"data\":{\"i\":0,\"f\":0}}"},
    {"{\"f\":1e3,\"i\":1e2}", "{ f i }", "{\"data\":{\"f\":1000,\"i\":100}}"},
    {"{\"f\":0.0000001,\"b\":true}", "{ f b }", "{\"data\":{\"f\":1e-7,\"b\":true}}"},
    {"{\"f\":0.1,\"i\":2147483648}", "{ f i }",
     "{\"errors\":[{\"message\":\"Int cannot represent non 32-bit signed integer value:"
     " 2147483648\",\"locations\":[{\"line\":1,\"column\":5}],\"path\":[\"i\"]}],\"data"
     "\":{\"f\":0.1,\"i\":null}}"},
    {"{\"i\":1.5,\"s\":12}", "{ i s }",
     "{\"errors\":[{\"message\":\"Int cannot represent non-integer value: 1.5\",\"locat"
     "ions\":[{\"line\":1,\"column\":3}],\"path\":[\"i\"]}],\"data\":{\"i\":null,\"s\":"
     "\"12\"}}"},
    {"{\"id\":9007199254740993,\"f\":12345678901234567890}", "{ id f }",
     "{\"data\":{\"id\":\"9007199254740992\",\"f\":12345678901234567000}}"},
    {"{\"e\":\"B\",\"e2\":\"C\"}", "{ e e2 }",
     "{\"errors\":[{\"message\":\"Enum \\\"E\\\" cannot represent value: \\\"C\\\"\",\""
     "locations\":[{\"line\":1,\"column\":5}],\"path\":[\"e2\"]}],\"data\":null}"},
    {"{\"e\":\"C\"}", "{ e }",
     "{\"errors\":[{\"message\":\"Enum \\\"E\\\" cannot represent value: \\\"C\\\"\",\""
     "locations\":[{\"line\":1,\"column\":3}],\"path\":[\"e\"]}],\"data\":{\"e\":null}}"},
    {"{\"s2\":null}", "{ s s2 }",
     "{\"errors\":[{\"message\":\"Cannot return null for non-nullable field Query.s2.\""
     ",\"locations\":[{\"line\":1,\"column\":5}],\"path\":[\"s2\"]}],\"data\":null}"},
    {"{\"b\":\"true\",\"s\":true}", "{ b s }",
     "{\"errors\":[{\"message\":\"Boolean cannot represent a non boolean value: \\\"tru"
     "e\\\"\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"b\"]}],\"data\":{\""
     "b\":null,\"s\":\"true\"}}"},
    {"{\"o\":{\"a\":1,\"b\":\"x\"},\"on\":{\"b\":\"y\"}}", "{ o { a b } on { b } }",
     "{\"data\":{\"o\":{\"a\":1,\"b\":\"x\"},\"on\":{\"b\":\"y\"}}}"},
    {"{\"o\":{\"b\":\"x\"}}", "{ o { a b } s }",
     "{\"errors\":[{\"message\":\"Cannot return null for non-nullable field Item.a.\","
     "\"locations\":[{\"line\":1,\"column\":7}],\"path\":[\"o\",\"a\"]}],\"data\":{\"o"
     "\":null,\"s\":null}}"},
    {"{\"l\":[{\"a\":1},null,{\"a\":2,\"b\":\"z\"}]}", "{ l { a b } }",
     "{\"data\":{\"l\":[{\"a\":1,\"b\":null},null,{\"a\":2,\"b\":\"z\"}]}}"},
    {"{\"l\":[{\"a\":1},{\"b\":\"x\"}]}", "{ l { a b } }",
     "{\"errors\":[{\"message\":\"Cannot return null for non-nullable field Item.a.\","
     "\"locations\":[{\"line\":1,\"column\":7}],\"path\":[\"l\",1,\"a\"]}],\"data\":{\""
     "l\":[{\"a\":1,\"b\":null},null]}}"},
    {"{\"ln\":[{\"a\":1},null]}", "{ ln { a } s }",
     "{\"errors\":[{\"message\":\"Cannot return null for non-nullable field Query.ln.\""
     ",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"ln\",1]}],\"data\":{\"ln\""
     ":null,\"s\":null}}"},
    {"{\"lnn\":[{\"a\":1},{\"a\":null}]}", "{ lnn { a } s }",
     "{\"errors\":[{\"message\":\"Cannot return null for non-nullable field Item.a.\","
     "\"locations\":[{\"line\":1,\"column\":9}],\"path\":[\"lnn\",1,\"a\"]}],\"data\":n"
     "ull}"},
    {"{\"l\":{\"a\":1}}", "{ l { a } }",
     "{\"errors\":[{\"message\":\"Expected Iterable, but did not find one for field \\"
     "\"Query.l\\\".\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":[\"l\"]}],\"d"
     "ata\":{\"l\":null}}"},
    {"{\"o\":\"text\"}", "{ o { b } }", "{\"data\":{\"o\":{\"b\":null}}}"},
    {"{\"o\":[1]}", "{ o { b } }", "{\"data\":{\"o\":{\"b\":null}}}"},
    {"{\"ls\":[\"a\",null,\"b\\n\"],\"li\":[1,2]}", "{ ls li }",
     "{\"data\":{\"ls\":[\"a\",null,\"b\\n\"],\"li\":[1,2]}}"},
    {"{\"i\":3.0,\"id\":3.5}", "{ i id }",
     "{\"errors\":[{\"message\":\"ID cannot represent value: 3.5\",\"locations\":[{\"li"
     "ne\":1,\"column\":5}],\"path\":[\"id\"]}],\"data\":{\"i\":3,\"id\":null}}"},
    {"{\"o\":{\"a\":1,\"b\":\"x\"}}", "{ x: o { b y: b a } o { a } }",
     "{\"data\":{\"x\":{\"b\":\"x\",\"y\":\"x\",\"a\":1},\"o\":{\"a\":1}}}"},
};

static void test_json_root(void **state)
{
    (void)state;
    gql_schema *s = NULL;
    assert_int_equal(gql_schema_build(&s, json_sdl, strlen(json_sdl), NULL, NULL), GQL_OK);
    for (size_t i = 0; i < sizeof json_cases / sizeof json_cases[0]; i++) {
        gql_json_doc *doc = NULL;
        assert_int_equal(gql_json_parse(&doc, json_cases[i].data, strlen(json_cases[i].data), NULL),
                         GQL_OK);
        gql_request req = request(json_cases[i].query, NULL);
        req.root = gql_json_value(gql_json_doc_root(doc));
        expect_json(s, &req, json_cases[i].want);
        /* Again: the member positions remembered by the first run must not
         * change the answer for objects with another key order. */
        expect_json(s, &req, json_cases[i].want);
        gql_json_doc_free(doc);
    }
    gql_schema_free(s);
}

/* Objects of one list with their keys in different orders, missing keys
 * and extra keys. */
static void test_json_key_orders(void **state)
{
    (void)state;
    gql_schema *s = NULL;
    assert_int_equal(gql_schema_build(&s, json_sdl, strlen(json_sdl), NULL, NULL), GQL_OK);
    const char *data = "{\"l\":[{\"a\":1,\"b\":\"x\"},{\"b\":\"y\",\"a\":2},{\"zz\":0,\"a\":3},"
                       "{\"b\":\"w\",\"q\":1,\"a\":4}]}";
    gql_json_doc *doc = NULL;
    assert_int_equal(gql_json_parse(&doc, data, strlen(data), NULL), GQL_OK);
    gql_request req = request("{ l { b a } }", NULL);
    req.root = gql_json_value(gql_json_doc_root(doc));
    for (int round = 0; round < 2; round++)
        expect_json(s, &req,
                    "{\"data\":{\"l\":[{\"b\":\"x\",\"a\":1},{\"b\":\"y\",\"a\":2},"
                    "{\"b\":null,\"a\":3},{\"b\":\"w\",\"a\":4}]}}");
    gql_json_doc_free(doc);
    gql_schema_free(s);
}

/* ---- resolvers' values ------------------------------------------------------------ */

static gql_value value_of(gql_info *info, gql_value parent)
{
    (void)parent;
    const char *f = gql_info_field_name(info);
    if (strcmp(f, "bigInt") == 0)
        return gql_int(INT64_C(3000000000));
    if (strcmp(f, "intAsFloat") == 0 || strcmp(f, "intAsId") == 0)
        return gql_int(-7);
    if (strcmp(f, "nan") == 0)
        return gql_float(NAN);
    if (strcmp(f, "boolAsString") == 0)
        return gql_bool(1);
    if (strcmp(f, "badEnum") == 0)
        return gql_cstr("C");
    if (strcmp(f, "goodEnum") == 0)
        return gql_cstr("B");
    if (strcmp(f, "escaped") == 0)
        return gql_cstr("tab\there \"q\"");
    if (strcmp(f, "nullNonNull") == 0)
        return gql_null();
    return gql_float(2.5);
}

static void test_resolver_leaves(void **state)
{
    (void)state;
    gql_schema_builder *b =
        builder("enum E { A B } type Query { bigInt: Int intAsFloat: Float intAsId: ID nan: Float "
                "boolAsString: String badEnum: E goodEnum: E escaped: String float: Float "
                "nullNonNull: Int! }");
    bind(b, "Query", value_of, NULL);
    gql_schema *s = finish(b);
    gql_request req = request("{ bigInt intAsFloat intAsId nan boolAsString badEnum goodEnum "
                              "escaped float }",
                              NULL);
    expect_json(s, &req,
                "{\"errors\":[{\"message\":\"Int cannot represent non 32-bit signed integer "
                "value: 3000000000\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":"
                "[\"bigInt\"]},{\"message\":\"Float cannot represent non numeric value: NaN\","
                "\"locations\":[{\"line\":1,\"column\":29}],\"path\":[\"nan\"]},{\"message\":"
                "\"Enum \\\"E\\\" cannot represent value: \\\"C\\\"\",\"locations\":[{\"line\":1,"
                "\"column\":46}],\"path\":[\"badEnum\"]}],\"data\":{\"bigInt\":null,"
                "\"intAsFloat\":-7,\"intAsId\":\"-7\",\"nan\":null,\"boolAsString\":\"true\","
                "\"badEnum\":null,\"goodEnum\":\"B\",\"escaped\":\"tab\\there \\\"q\\\"\","
                "\"float\":2.5}}");
    req = request("{ nullNonNull }", NULL);
    expect_json(s, &req,
                "{\"errors\":[{\"message\":\"Cannot return null for non-nullable field "
                "Query.nullNonNull.\",\"locations\":[{\"line\":1,\"column\":3}],\"path\":"
                "[\"nullNonNull\"]}],\"data\":null}");
    gql_schema_free(s);
}

/* ---- objects and lists of objects ----------------------------------------------------- */

typedef struct node {
    int a;
    const char *b;
} node;

static node nodes[3] = {{1, "one"}, {2, NULL}, {3, "three"}};

static gql_value node_list(gql_info *info, gql_value parent)
{
    (void)parent;
    static void *ptrs[3] = {&nodes[0], NULL, &nodes[2]};
    static void *all[3] = {&nodes[0], &nodes[1], &nodes[2]};
    const char *f = gql_info_field_name(info);
    if (strcmp(f, "one") == 0)
        return gql_object(&nodes[1], "Node");
    return gql_object_list(strcmp(f, "all") == 0 ? all : ptrs, 3, "Node");
}

static gql_value node_field(gql_info *info, gql_value parent)
{
    const node *n = parent.u.ptr;
    if (strcmp(gql_info_field_name(info), "a") == 0)
        return gql_int(n->a);
    return n->b ? gql_cstr(n->b) : gql_null();
}

static void test_object_lists(void **state)
{
    (void)state;
    gql_schema_builder *b = builder("type Node { a: Int! b: String! } "
                                    "type Query { all: [Node!]! holes: [Node] strict: [Node!] "
                                    "one: Node }");
    bind(b, "Query", node_list, NULL);
    bind(b, "Node", node_field, NULL);
    gql_schema *s = finish(b);
    gql_request req = request("{ all { a } holes { a } strict { a } one { a } }", NULL);
    expect_json(s, &req,
                "{\"errors\":[{\"message\":\"Cannot return null for non-nullable field "
                "Query.strict.\",\"locations\":[{\"line\":1,\"column\":25}],\"path\":"
                "[\"strict\",1]}],\"data\":{\"all\":[{\"a\":1},{\"a\":2},{\"a\":3}],\"holes\":"
                "[{\"a\":1},null,{\"a\":3}],\"strict\":null,\"one\":{\"a\":2}}}");
    /* A non-null field failing inside an item: the item's list takes it. */
    req = request("{ holes { b } all { b } }", NULL);
    expect_json(s, &req,
                "{\"errors\":[{\"message\":\"Cannot return null for non-nullable field "
                "Node.b.\",\"locations\":[{\"line\":1,\"column\":21}],\"path\":[\"all\",1,"
                "\"b\"]}],\"data\":null}");
    req = request("{ holes { b } one { b } }", NULL);
    expect_json(s, &req,
                "{\"errors\":[{\"message\":\"Cannot return null for non-nullable field "
                "Node.b.\",\"locations\":[{\"line\":1,\"column\":21}],\"path\":[\"one\","
                "\"b\"]}],\"data\":{\"holes\":[{\"b\":\"one\"},null,{\"b\":\"three\"}],"
                "\"one\":null}}");
    gql_schema_free(s);
}

/* ---- mutations stay serial ---------------------------------------------------------------- */

static gql_pending *held[4];
static size_t nheld;
static char order[64];

static gql_value box_root(gql_info *info, gql_value parent)
{
    (void)parent;
    strcat(order, gql_info_field_name(info));
    strcat(order, "|");
    return gql_object(&nodes[0], "Box");
}

static gql_value box_value(gql_info *info, gql_value parent)
{
    (void)parent;
    strcat(order, "v|");
    return gql_pending_new(info, &held[nheld++]);
}

typedef struct done_rec {
    int calls;
    char *json;
} done_rec;

static void on_done(gql_response *resp, void *arg)
{
    done_rec *d = arg;
    d->calls++;
    d->json = strdup(gql_response_json(resp, NULL));
    gql_response_free(resp);
}

/* A mutation field whose object completes at once but whose subtree waits:
 * the next mutation field starts only once the subtree is done. */
static void test_mutation_subtree_waits(void **state)
{
    (void)state;
    gql_schema_builder *b = builder("type Box { v: Int } type Query { q: Int } "
                                    "type Mutation { first: Box second: Box }");
    bind(b, "Mutation", box_root, NULL);
    bind(b, "Box.v", box_value, NULL);
    gql_schema *s = finish(b);
    gql_request req = request("mutation { first { v } second { v } }", NULL);
    done_rec d = {0, NULL};
    gql_execution *x = NULL;
    assert_int_equal(gql_execute_async(s, &req, NULL, on_done, NULL, &d, &x), GQL_OK);
    assert_string_equal(order, "first|v|");
    gql_pending_resolve(held[0], gql_int(1));
    assert_string_equal(order, "first|v|second|v|");
    assert_int_equal(d.calls, 0);
    gql_pending_resolve(held[1], gql_int(2));
    assert_int_equal(d.calls, 1);
    assert_string_equal(d.json, "{\"data\":{\"first\":{\"v\":1},\"second\":{\"v\":2}}}");
    free(d.json);
    gql_schema_free(s);

    /* The same with the objects read from a JSON root value. */
    b = builder("type Box { v: Int } type Query { q: Int } "
                "type Mutation { first: Box second: Box }");
    bind(b, "Box.v", box_value, NULL);
    s = finish(b);
    const char *root = "{\"first\":{},\"second\":{}}";
    gql_json_doc *doc = NULL;
    assert_int_equal(gql_json_parse(&doc, root, strlen(root), NULL), GQL_OK);
    req.root = gql_json_value(gql_json_doc_root(doc));
    order[0] = '\0';
    nheld = 0;
    d = (done_rec){0, NULL};
    assert_int_equal(gql_execute_async(s, &req, NULL, on_done, NULL, &d, &x), GQL_OK);
    assert_string_equal(order, "v|");
    gql_pending_resolve(held[0], gql_int(1));
    assert_string_equal(order, "v|v|");
    assert_int_equal(d.calls, 0);
    gql_pending_resolve(held[1], gql_int(2));
    assert_int_equal(d.calls, 1);
    assert_string_equal(d.json, "{\"data\":{\"first\":{\"v\":1},\"second\":{\"v\":2}}}");
    free(d.json);
    gql_json_doc_free(doc);
    gql_schema_free(s);
}

/* ---- introspection leaves ------------------------------------------------------------------ */

static void test_introspection_leaves(void **state)
{
    (void)state;
    const char *sdl =
        "\"\"\"Quote \" and\nnewline\"\"\" type Query { f(a: Int = 3, b: String = \"x\\\"y\", "
        "c: [Int] = [1, 2], d: Boolean = false, e: Int = null, g: In = {x: 1}): Int "
        "@deprecated(reason: \"tab\\there\") } input In @oneOf { x: Int } "
        "directive @d on FIELD | QUERY | FIELD";
    gql_schema *s = NULL;
    assert_int_equal(gql_schema_build(&s, sdl, strlen(sdl), NULL, NULL), GQL_OK);
    gql_request req =
        request("{ __type(name: \"Query\") { kind name description isOneOf specifiedByURL "
                "fields(includeDeprecated: true) { name isDeprecated deprecationReason type { kind "
                "name ofType { name } } args { name defaultValue } } } in: __type(name: \"In\") { "
                "isOneOf } __schema { directives { name locations isRepeatable } } }",
                NULL);
    expect_json(s, &req,
                "{\"data\":{\"__type\":{\"kind\":\"OBJECT\",\"name\":\"Query\",\"description\":"
                "\"Quote \\\" and\\nnewline\",\"isOneOf\":null,\"specifiedByURL\":null,\"fields\":"
                "[{\"name\":\"f\",\"isDeprecated\":true,\"deprecationReason\":\"tab\\there\","
                "\"type\":{\"kind\":\"SCALAR\",\"name\":\"Int\",\"ofType\":null},\"args\":["
                "{\"name\":\"a\",\"defaultValue\":\"3\"},{\"name\":\"b\",\"defaultValue\":"
                "\"\\\"x\\\\\\\"y\\\"\"},{\"name\":\"c\",\"defaultValue\":\"[1, 2]\"},{\"name\":"
                "\"d\",\"defaultValue\":\"false\"},{\"name\":\"e\",\"defaultValue\":\"null\"},"
                "{\"name\":\"g\",\"defaultValue\":\"{ x: 1 }\"}]}]},\"in\":{\"isOneOf\":true},"
                "\"__schema\":{\"directives\":[{\"name\":\"d\",\"locations\":[\"FIELD\","
                "\"QUERY\",\"FIELD\"],\"isRepeatable\":false},{\"name\":\"include\","
                "\"locations\":[\"FIELD\",\"FRAGMENT_SPREAD\",\"INLINE_FRAGMENT\"],"
                "\"isRepeatable\":false},{\"name\":\"skip\",\"locations\":[\"FIELD\","
                "\"FRAGMENT_SPREAD\",\"INLINE_FRAGMENT\"],\"isRepeatable\":false},{\"name\":"
                "\"deprecated\",\"locations\":[\"FIELD_DEFINITION\",\"ARGUMENT_DEFINITION\","
                "\"INPUT_FIELD_DEFINITION\",\"ENUM_VALUE\",\"DIRECTIVE_DEFINITION\"],"
                "\"isRepeatable\":false},{\"name\":"
                "\"specifiedBy\",\"locations\":[\"SCALAR\"],\"isRepeatable\":false},{\"name\":"
                "\"oneOf\",\"locations\":[\"INPUT_OBJECT\"],\"isRepeatable\":false}]}}}");
    gql_schema_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_root),
        cmocka_unit_test(test_json_key_orders),
        cmocka_unit_test(test_resolver_leaves),
        cmocka_unit_test(test_object_lists),
        cmocka_unit_test(test_mutation_subtree_waits),
        cmocka_unit_test(test_introspection_leaves),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
