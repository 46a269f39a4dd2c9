/* tests/fuzz/fuzz_variables.c — libFuzzer target for variable coercion.
 *
 * The input bytes are a JSON variables object (read with small limits),
 * coerced against the variable definitions of a fixed operation over a
 * fixed schema that has every kind of input type (nested input objects,
 * defaults, @oneOf, lists of lists, enums, a custom scalar). Invariants:
 * the coercion ends cleanly; GQL_OK comes with an object and no errors,
 * GQL_EINVAL with at least one and at most max_errors + 1 errors and no
 * object; the coerced object serializes; the arguments of the operation's
 * fields then coerce without crashing. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/errors.h"
#include "core/json.h"
#include "execution/values.h"
#include "gql/status.h"
#include "language/parser.h"
#include "types/build_schema.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char sdl[] =
    "scalar JSON\n"
    "enum Color { RED GREEN BLUE }\n"
    "input Point { x: Int! y: Int = 0 label: String }\n"
    "input Filter { name: String ids: [ID!] color: Color = GREEN point: Point\n"
    "  tags: [[String]] score: Float = 1.5 flag: Boolean! = false nested: Filter }\n"
    "input Choice @oneOf { id: ID name: String point: Point }\n"
    "type Query { f(a: Int, b: [Filter!], c: Choice, d: JSON, e: [[Color]] = [[RED]]): Int }\n";

static const char query[] =
    "query ($i: Int, $n: Int!, $f: Float = 2.5, $s: String, $b: Boolean, $id: ID,\n"
    "       $c: Color, $j: JSON, $l: [[Int]], $p: Point, $filter: [Filter!],\n"
    "       $choice: Choice, $req: Filter! = {flag: true}) {\n"
    "  f(a: $i, b: $filter, c: $choice, d: {x: [$j, $i]}, e: [[$c], $c])\n"
    "  g: f(a: $n, b: [{point: $p, score: $f, name: $s, ids: [$id]}], c: {point: $p})\n"
    "}\n";

static gqlx_schema *schema;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (schema == NULL) {
        gqlx_build_opts bo;
        memset(&bo, 0, sizeof bo);
        gqlx_parse_opts_init(&bo.parse);
        if (gqlx_schema_build(&schema, sdl, strlen(sdl), "schema", &bo, NULL) != GQL_OK)
            abort();
    }
    gqlx_arena arena;
    gqlx_arena_init(&arena, 4096, 64u << 20);
    gqlx_source src = gqlx_source_make("GraphQL request", query, strlen(query));
    gqlx_document *doc = gqlx_parse(&arena, &src, NULL, NULL);
    if (doc == NULL)
        abort();
    const gqlx_operation_def *op = GQLX_AS_CONST(gqlx_operation_def, doc->definitions.items[0]);

    gqlx_json_opts jo;
    gqlx_json_opts_init(&jo);
    jo.max_bytes = 1u << 16;
    jo.max_depth = 32;
    gqlx_json *inputs;
    if (gqlx_json_parse(&arena, (const char *)data, size, &jo, &inputs, NULL) != GQL_OK) {
        gqlx_arena_free(&arena);
        return 0;
    }
    gql_errors *errs = gqlx_errors_new();
    if (errs == NULL)
        abort();
    gqlx_coerce_opts opts;
    gqlx_coerce_opts_init(&opts);
    gqlx_json *vars;
    int rc = gqlx_coerce_variables(&arena, schema, op, inputs, &opts, &vars, errs, &src);
    size_t n = gql_errors_count(errs);
    if (rc == GQL_OK) {
        if (vars == NULL || vars->kind != GQLX_JSON_OBJECT || n != 0)
            abort();
        gqlx_buf b;
        gqlx_buf_init(&b, 0);
        if (gqlx_json_write_value(&b, vars, 0) != GQL_OK)
            abort();
        gqlx_buf_free(&b);
        const gqlx_node_list *sels = &op->selection_set->selections;
        for (uint32_t i = 0; i < sels->count; i++) {
            const gqlx_field *f = GQLX_AS_CONST(gqlx_field, sels->items[i]);
            gqlx_arg_owner owner = {gqlx_type_field(schema->query, "f", 1), NULL};
            gqlx_json *args;
            size_t before = gql_errors_count(errs);
            int arc = gqlx_coerce_arguments(&arena, schema, owner, &f->base, &f->arguments, vars,
                                            &opts, &args, errs, &src);
            if (arc == GQL_OK && args == NULL)
                abort();
            if (arc == GQL_EINVAL && gql_errors_count(errs) != before + 1)
                abort();
        }
    } else if (rc == GQL_EINVAL) {
        if (vars != NULL || n == 0 || n > opts.max_errors + 1)
            abort();
    } else if (rc != GQL_ENOMEM) {
        abort();
    }
    gql_errors_free(errs);
    gqlx_arena_free(&arena);
    return 0;
}
