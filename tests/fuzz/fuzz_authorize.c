/* tests/fuzz/fuzz_authorize.c — libFuzzer target for the authorization
 * check (src/execution/authorize.c).
 *
 * Each input is one request against a fixed schema with rules on the
 * schema's types, fields and arguments: when the first line starts with
 * '{' it is the variables object, the rest is the query. The request runs
 * as four principals: anonymous, one without roles, one with every role
 * (policies then all pass), and an expired one. Invariants: the response
 * is valid JSON; access-denied statuses match the principal (anonymous and
 * expired: GQL_EUNAUTHENTICATED; others: GQL_EFORBIDDEN) and their every
 * error carries the code ACCESS_DENIED; the principal with every role is
 * never denied; running again through a shared plan cache gives the same
 * response; no crash, leak or hang. Also linked with
 * tests/fuzz/replay_main.c to replay tests/fuzz/corpus/authorize/. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "gql/gql.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char schema_sdl[] =
    "interface Animal @authorize(roles: [\"zoo\"]) { name: String @allowAnonymous age: Int }\n"
    "type Cat implements Animal { name: String @authorize(roles: [\"cat\"]) age: Int\n"
    "  lives: Int @allowAnonymous }\n"
    "type Dog implements Animal @authorize { name: String age: Int\n"
    "  owner(full: Boolean @authorize(policy: \"Owner\")): String }\n"
    "union Pet = Cat | Dog\n"
    "input Filter { name: String nested: Filter }\n"
    "type Query @authorize(roles: [\"reader\"]) {\n"
    "  open: String @allowAnonymous\n"
    "  pets(f: Filter, limit: Int @authorize(roles: [\"admin\"])): [Pet] @allowAnonymous\n"
    "  animal: Animal @allowAnonymous\n"
    "  cat: Cat @allowAnonymous\n"
    "  secret: String @authorize(policy: \"Owner\") @authorize(policy: \"Missing\")\n"
    "  me: Query\n"
    "}\n"
    "type Mutation { rename(name: String @authorize): String }\n"
    "type Subscription { ticks: Int @authorize(roles: [\"admin\"]) }\n";

static gql_schema *schema;
static gql_plan_cache *cache;
static gql_policies *policies;

static int owner_policy(const gql_principal *p, const struct gql_request *req, void *data)
{
    (void)req;
    (void)data;
    return gql_principal_has_role(p, "admin");
}

static void setup(void)
{
    if (schema != NULL)
        return;
    if (gql_schema_build(&schema, schema_sdl, sizeof schema_sdl - 1, NULL, NULL) != GQL_OK ||
        gql_plan_cache_new(&cache, 64) != GQL_OK || gql_policies_new(&policies) != GQL_OK ||
        gql_policies_add(policies, "Owner", owner_policy, NULL) != GQL_OK ||
        gql_policies_add(policies, "Missing", owner_policy, NULL) != GQL_OK)
        abort();
}

/* Runs the request; returns a malloc'd copy of the response (NULL when
 * memory ran out) after checking the invariants for principal kind. */
static char *run(const gql_request *req, const gql_exec_opts *opts, int kind)
{
    gql_response *resp = NULL;
    if (gql_execute(schema, req, opts, &resp) != GQL_OK)
        return NULL;
    size_t len;
    const char *json = gql_response_json(resp, &len);
    int status = gql_response_status(resp);
    gqlx_arena a;
    gqlx_arena_init(&a, 0, 0);
    gqlx_json *v = NULL;
    if (gqlx_json_parse(&a, json, len, NULL, &v, NULL) != GQL_OK || v->kind != GQLX_JSON_OBJECT)
        abort();
    const gqlx_json *d = gqlx_json_get(v, "data", 4);
    const gqlx_json *e = gqlx_json_get(v, "errors", 6);
    if ((status == GQL_OK) != (d != NULL) || (status != GQL_OK && e == NULL))
        abort();
    if (status == GQL_EUNAUTHENTICATED || status == GQL_EFORBIDDEN) {
        bool anonymous = kind == 0 || kind == 3;
        if (kind == 2 || (status == GQL_EUNAUTHENTICATED) != anonymous)
            abort();
        for (size_t i = 0; i < e->len; i++) {
            const gqlx_json *ext = gqlx_json_get(gqlx_json_at(e, i), "extensions", 10);
            const gqlx_json *code = ext ? gqlx_json_get(ext, "code", 4) : NULL;
            if (code == NULL || code->kind != GQLX_JSON_STRING || code->len != 13 ||
                memcmp(code->u.str, "ACCESS_DENIED", 13) != 0)
                abort();
        }
    }
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
    static const char *const all_roles[] = {"zoo", "cat", "reader", "admin"};
    const gql_principal principals[4] = {
        {"none", NULL, 0, NULL, 0},
        {"plain", NULL, 0, NULL, 0},
        {"root", all_roles, 4, NULL, 0},
        {"old", all_roles, 4, NULL, 1},
    };
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
    gql_exec_opts opts;
    gql_exec_opts_init(&opts);
    opts.max_memory = 64u << 20;
    opts.policies = policies;
    for (int kind = 0; kind < 4; kind++) {
        req.principal = kind == 0 ? NULL : &principals[kind];
        opts.cache = NULL;
        char *first = run(&req, &opts, kind);
        opts.cache = cache;
        char *second = run(&req, &opts, kind);
        if (first != NULL && second != NULL && strcmp(first, second) != 0)
            abort();
        free(first);
        free(second);
    }
    return 0;
}
