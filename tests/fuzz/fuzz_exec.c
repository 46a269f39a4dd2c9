/* tests/fuzz/fuzz_exec.c — libFuzzer target for execution (src/execution/).
 *
 * Each input is one request against a fixed schema whose root value is a
 * JSON document: when the input's first line starts with '{' it is the
 * variables object, the rest is the query. The request runs twice, the
 * second time through a plan cache shared by every input. The response
 * must be valid JSON holding "data" when the status is GQL_OK and
 * "errors" otherwise, equal on both runs; no crash, leak or hang. Also
 * linked with tests/fuzz/replay_main.c to replay tests/fuzz/corpus/exec/. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "gql/gql.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char schema_sdl[] =
    "scalar Date\n"
    "enum Episode { NEWHOPE EMPIRE JEDI }\n"
    "interface Node { id: ID! }\n"
    "interface Character implements Node { id: ID! name: String! friends: [Character] }\n"
    "type Human implements Character & Node { id: ID! name: String! friends: [Character]\n"
    "  height(unit: Unit = METER): Float homePlanet: String }\n"
    "type Droid implements Character & Node { id: ID! name: String! friends: [Character]\n"
    "  primaryFunction: String }\n"
    "enum Unit { METER FOOT }\n"
    "union SearchResult = Human | Droid\n"
    "input Filter { name: String episodes: [Episode!] = [JEDI] nested: Filter }\n"
    "input OneOf @oneOf { id: ID name: String }\n"
    "type Query {\n"
    "  hero(episode: Episode): Character\n"
    "  humans: [Human!]!\n"
    "  search(text: String!, filter: Filter): [SearchResult]\n"
    "  node(by: OneOf): Node\n"
    "  numbers: [[Int!]]\n"
    "  when: Date\n"
    "  strict: String!\n"
    "}\n"
    "type Mutation { rename(id: ID!, name: String!): Character }\n";

static const char root_json[] =
    "{\"hero\":{\"__typename\":\"Droid\",\"id\":\"2001\",\"name\":\"R2-D2\","
    "\"primaryFunction\":\"Astromech\",\"friends\":[{\"__typename\":\"Human\",\"id\":\"1000\","
    "\"name\":\"Luke\",\"height\":1.72},null,{\"__typename\":\"Wookiee\"},{\"id\":7}]},"
    "\"humans\":[{\"id\":1,\"name\":\"Leia\"},{\"id\":\"2\",\"name\":null}],"
    "\"search\":[{\"__typename\":\"Human\",\"id\":\"3\",\"name\":\"Han\"},{\"name\":\"x\"}],"
    "\"node\":{\"__typename\":\"Human\",\"id\":\"1000\",\"name\":\"Luke\"},"
    "\"numbers\":[[1,2],[3,null],null,[1.5]],\"when\":\"2026-11-21\","
    "\"rename\":{\"__typename\":\"Human\",\"id\":\"9\",\"name\":\"Renamed\"}}";

static gql_schema *schema;
static gql_json_doc *root;
static gql_plan_cache *cache;

static void setup(void)
{
    if (schema != NULL)
        return;
    if (gql_schema_build(&schema, schema_sdl, sizeof schema_sdl - 1, NULL, NULL) != GQL_OK ||
        gql_json_parse(&root, root_json, sizeof root_json - 1, NULL) != GQL_OK ||
        gql_plan_cache_new(&cache, 64) != GQL_OK)
        abort();
}

static char *run(const gql_request *req, const gql_exec_opts *opts, int *status)
{
    gql_response *resp = NULL;
    if (gql_execute(schema, req, opts, &resp) != GQL_OK)
        return NULL; /* out of memory: not a finding */
    size_t len;
    const char *json = gql_response_json(resp, &len);
    *status = gql_response_status(resp);
    gqlx_arena a;
    gqlx_arena_init(&a, 0, 0);
    gqlx_json *v = NULL;
    if (gqlx_json_parse(&a, json, len, NULL, &v, NULL) != GQL_OK || v->kind != GQLX_JSON_OBJECT)
        abort();
    const gqlx_json *d = gqlx_json_get(v, "data", 4);
    const gqlx_json *e = gqlx_json_get(v, "errors", 6);
    if ((*status == GQL_OK) != (d != NULL) || (*status != GQL_OK && e == NULL))
        abort();
    if (e != NULL && (e->kind != GQLX_JSON_ARRAY || e->len != gql_response_error_count(resp)))
        abort();
    gqlx_arena_free(&a);
    char *copy = malloc(len + 1);
    if (copy == NULL)
        abort();
    memcpy(copy, json, len + 1);
    gql_response_free(resp);
    return copy;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    setup();
    const char *text = (const char *)data;
    size_t vars_len = 0;
    if (size > 0 && text[0] == '{') {
        const char *nl = memchr(text, '\n', size);
        vars_len = nl ? (size_t)(nl - text) : size;
    }
    gql_request req;
    gql_request_init(&req);
    req.query = vars_len < size ? text + vars_len + (vars_len > 0) : "";
    req.query_len = vars_len < size ? size - vars_len - (vars_len > 0) : 0;
    req.variables = vars_len ? text : NULL;
    req.variables_len = vars_len;
    req.root = gql_json_value(gql_json_doc_root(root));
    gql_exec_opts opts;
    gql_exec_opts_init(&opts);
    opts.max_memory = 64u << 20;
    int s1 = 0, s2 = 0;
    char *first = run(&req, &opts, &s1);
    opts.cache = cache;
    char *second = run(&req, &opts, &s2);
    if (first != NULL && second != NULL && (s1 != s2 || strcmp(first, second) != 0))
        abort();
    free(first);
    free(second);
    return 0;
}
