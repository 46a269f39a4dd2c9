/* tests/tools/coerce_tool.c — drives the coercion layer (execution/values.h)
 * for the differential test tests/diff/coercion.test.mjs.
 *
 *   coerce_tool SCHEMA.graphql < cases.jsonl
 *
 * Each input line is a JSON object {"query": "...", "variables": {...}}.
 * For each line the tool prints one JSON line:
 *   {"errors":[{"message":"...","locations":[{"line":1,"column":8}]}]}
 * when the document does not parse or the variables do not coerce, or
 *   {"variables":{...},"args":[ARG,...]}
 * where each ARG stands for one top-level field of the first operation, in
 * order: {"value":{...coerced arguments...}} or {"error":{...}} (the first
 * argument error, as graphql-js's getArgumentValues throws it). Fields are
 * looked up on the root type of the operation. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/errors.h"
#include "core/json.h"
#include "execution/values.h"
#include "gql/status.h"
#include "gqld/commands.h" /* gqld_read_file */
#include "language/parser.h"
#include "types/build_schema.h"

static void write_error(gqlx_json_writer *w, const gql_errors *errs, size_t i)
{
    gqlx_json_begin_object(w);
    gqlx_json_key_cstr(w, "message");
    const char *m = gql_errors_message(errs, i);
    gqlx_json_string(w, m, strlen(m));
    const gql_location *locs;
    size_t n = gql_errors_locations(errs, i, &locs);
    if (n) {
        gqlx_json_key_cstr(w, "locations");
        gqlx_json_begin_array(w);
        for (size_t k = 0; k < n; k++) {
            gqlx_json_begin_object(w);
            gqlx_json_key_cstr(w, "line");
            gqlx_json_int(w, locs[k].line);
            gqlx_json_key_cstr(w, "column");
            gqlx_json_int(w, locs[k].column);
            gqlx_json_end_object(w);
        }
        gqlx_json_end_array(w);
    }
    gqlx_json_end_object(w);
}

static void write_errors(gqlx_json_writer *w, const gql_errors *errs)
{
    gqlx_json_begin_object(w);
    gqlx_json_key_cstr(w, "errors");
    gqlx_json_begin_array(w);
    for (size_t i = 0; i < gql_errors_count(errs); i++)
        write_error(w, errs, i);
    gqlx_json_end_array(w);
    gqlx_json_end_object(w);
}

static void run_case(const gqlx_schema *schema, const char *line, size_t len, gqlx_buf *out)
{
    gqlx_arena arena;
    gqlx_arena_init(&arena, 0, 0);
    gql_errors *errs = gqlx_errors_new();
    gqlx_json_writer w;
    gqlx_json_writer_init(&w, out);
    gqlx_json *c;
    gqlx_json_error jerr;
    if (errs == NULL || gqlx_json_parse(&arena, line, len, NULL, &c, &jerr) != GQL_OK) {
        gqlx_buf_append_cstr(out, "{\"tool_error\":\"bad case line\"}");
        goto done;
    }
    const gqlx_json *q = gqlx_json_get_cstr(c, "query");
    const gqlx_json *vars = gqlx_json_get_cstr(c, "variables");
    if (q == NULL || q->kind != GQLX_JSON_STRING) {
        gqlx_buf_append_cstr(out, "{\"tool_error\":\"no query\"}");
        goto done;
    }
    gqlx_source src = gqlx_source_make("GraphQL request", q->u.str, q->len);
    gqlx_syntax_error serr;
    gqlx_document *doc = gqlx_parse(&arena, &src, NULL, &serr);
    if (doc == NULL) {
        gqlx_location l = serr.loc;
        gql_location gl = {l.line, l.column};
        gqlx_errors_add(errs, serr.message ? serr.message : "parse failed", &gl, 1);
        write_errors(&w, errs);
        goto done;
    }
    const gqlx_operation_def *op = NULL;
    for (uint32_t i = 0; i < doc->definitions.count && op == NULL; i++)
        if (doc->definitions.items[i]->kind == GQLX_KIND_OPERATION_DEFINITION)
            op = GQLX_AS_CONST(gqlx_operation_def, doc->definitions.items[i]);
    if (op == NULL) {
        gqlx_buf_append_cstr(out, "{\"tool_error\":\"no operation\"}");
        goto done;
    }
    gqlx_json *coerced;
    int rc = gqlx_coerce_variables(&arena, schema, op, vars, NULL, &coerced, errs, &src);
    if (rc != GQL_OK) {
        if (rc == GQL_ENOMEM)
            gqlx_buf_append_cstr(out, "{\"tool_error\":\"out of memory\"}");
        else
            write_errors(&w, errs);
        goto done;
    }
    gqlx_json_begin_object(&w);
    gqlx_json_key_cstr(&w, "variables");
    gqlx_json_value(&w, coerced, 0);
    gqlx_json_key_cstr(&w, "args");
    gqlx_json_begin_array(&w);
    const gqlx_type *root = op->operation == GQLX_OP_MUTATION       ? schema->mutation
                            : op->operation == GQLX_OP_SUBSCRIPTION ? schema->subscription
                                                                    : schema->query;
    const gqlx_node_list *sels = &op->selection_set->selections;
    for (uint32_t i = 0; root != NULL && i < sels->count; i++) {
        if (sels->items[i]->kind != GQLX_KIND_FIELD)
            continue;
        const gqlx_field *f = GQLX_AS_CONST(gqlx_field, sels->items[i]);
        const gqlx_field_decl *fd = gqlx_type_field(root, f->name.ptr, f->name.len);
        if (fd == NULL)
            continue;
        gqlx_arg_owner owner = {fd, NULL};
        gqlx_json *args;
        size_t before = gql_errors_count(errs);
        rc = gqlx_coerce_arguments(&arena, schema, owner, &f->base, &f->arguments, coerced, NULL,
                                   &args, errs, &src);
        gqlx_json_begin_object(&w);
        if (rc == GQL_OK) {
            gqlx_json_key_cstr(&w, "value");
            gqlx_json_value(&w, args, 0);
        } else if (gql_errors_count(errs) > before) {
            gqlx_json_key_cstr(&w, "error");
            write_error(&w, errs, before);
        } else {
            gqlx_json_key_cstr(&w, "tool_error");
            gqlx_json_string(&w, "no error reported", 17);
        }
        gqlx_json_end_object(&w);
    }
    gqlx_json_end_array(&w);
    gqlx_json_end_object(&w);
done:
    gqlx_buf_putc(out, '\n');
    gql_errors_free(errs);
    gqlx_arena_free(&arena);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fputs("usage: coerce_tool SCHEMA.graphql < cases.jsonl\n", stderr);
        return 2;
    }
    size_t slen, ilen;
    char *sdl = gqld_read_file(argv[1], &slen);
    char *input = sdl != NULL ? gqld_read_file("-", &ilen) : NULL;
    if (sdl == NULL || input == NULL)
        return 2;
    gqlx_schema *schema;
    gql_errors *errs = gqlx_errors_new();
    gqlx_build_opts bo;
    memset(&bo, 0, sizeof bo);
    gqlx_parse_opts_init(&bo.parse);
    if (gqlx_schema_build(&schema, sdl, slen, argv[1], &bo, errs) != GQL_OK) {
        for (size_t i = 0; i < gql_errors_count(errs); i++)
            fprintf(stderr, "schema: %s\n", gql_errors_message(errs, i));
        return 2;
    }
    gql_errors_free(errs);
    gqlx_buf out;
    gqlx_buf_init(&out, 0);
    size_t pos = 0;
    while (pos < ilen) {
        const char *nl = memchr(input + pos, '\n', ilen - pos);
        size_t end = nl ? (size_t)(nl - input) : ilen;
        if (end > pos)
            run_case(schema, input + pos, end - pos, &out);
        pos = end + 1;
    }
    fwrite(out.data, 1, out.len, stdout);
    int status = out.failed ? 1 : 0;
    gqlx_buf_free(&out);
    gqlx_schema_free(schema);
    free(sdl);
    free(input);
    return status;
}
