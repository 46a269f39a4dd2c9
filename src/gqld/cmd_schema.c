/* src/gqld/cmd_schema.c — `gqld schema`: build a schema from SDL and print
 * it as graphql-js's printSchema() does, or its introspection as
 * graphql-js's introspectionFromSchema() gives it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "gql/exec.h"
#include "introspection_query.h"

/* Runs the full introspection query against schema and prints the "data"
 * member of the response: what JSON.stringify(introspectionFromSchema(
 * schema)) prints. Errors (there should be none) go to standard error with
 * the whole response. */
static int print_introspection(const gql_schema *schema)
{
    gql_request req;
    gql_request_init(&req);
    req.query = gqld_introspection_query;
    req.query_len = strlen(gqld_introspection_query);
    gql_response *resp;
    int rc = gql_execute(schema, &req, NULL, &resp);
    if (rc != GQL_OK) {
        fprintf(stderr, "gqld schema: %s\n", gql_strerror(rc));
        return GQLD_EXIT_USAGE;
    }
    size_t len;
    const char *json = gql_response_json(resp, &len);
    /* Without errors the response is exactly {"data":DATA}. */
    static const char prefix[] = "{\"data\":";
    size_t plen = sizeof prefix - 1;
    int status = GQLD_EXIT_OK;
    if (gql_response_status(resp) == GQL_OK && gql_response_error_count(resp) == 0 &&
        len > plen + 1 && memcmp(json, prefix, plen) == 0 && json[len - 1] == '}') {
        fwrite(json + plen, 1, len - plen - 1, stdout);
        fputc('\n', stdout);
    } else {
        fprintf(stderr, "gqld schema: introspection failed: %.*s\n", (int)len, json);
        status = GQLD_EXIT_INVALID;
    }
    gql_response_free(resp);
    if (fflush(stdout) != 0)
        status = GQLD_EXIT_USAGE;
    return status;
}

int gqld_cmd_schema(int argc, char **argv)
{
    const char *path = NULL;
    int type_map = 0;
    int introspection = 0;
    gql_schema_opts opts;
    gql_schema_opts_init(&opts);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--assume-valid") == 0) {
            opts.assume_valid = 1;
        } else if (strcmp(argv[i], "--type-map") == 0) {
            type_map = 1;
        } else if (strcmp(argv[i], "--introspection") == 0) {
            introspection = 1;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "gqld schema: unknown option '%s'\n", argv[i]);
            return GQLD_EXIT_USAGE;
        } else if (path != NULL) {
            fprintf(stderr, "gqld schema: expected one FILE, got more\n");
            return GQLD_EXIT_USAGE;
        } else {
            path = argv[i];
        }
    }
    if (path == NULL) {
        fprintf(stderr, "gqld schema: missing FILE (use '-' for standard input)\n");
        return GQLD_EXIT_USAGE;
    }
    size_t len;
    char *text = gqld_read_file(path, &len);
    if (text == NULL)
        return GQLD_EXIT_USAGE;
    gql_schema *schema;
    gql_errors *errs;
    int rc = gql_schema_build(&schema, text, len, &opts, &errs);
    free(text);
    const char *shown = strcmp(path, "-") == 0 ? "<stdin>" : path;
    if (rc == GQL_ESYNTAX || rc == GQL_ESCHEMA) {
        gqld_print_errors(shown, errs);
        gql_errors_free(errs);
        return GQLD_EXIT_INVALID;
    }
    if (rc != GQL_OK) {
        fprintf(stderr, "gqld schema: %s: %s\n", shown, gql_strerror(rc));
        return GQLD_EXIT_USAGE;
    }
    if (type_map && introspection) {
        gql_schema_free(schema);
        fprintf(stderr, "gqld schema: --type-map and --introspection exclude each other\n");
        return GQLD_EXIT_USAGE;
    }
    if (introspection) {
        rc = print_introspection(schema);
        gql_schema_free(schema);
        return rc;
    }
    if (type_map) {
        /* The type names in type-map order, one per line: what graphql-js's
         * Object.keys(schema.getTypeMap()) lists. */
        for (size_t i = 0; i < gql_schema_type_count(schema); i++)
            puts(gql_schema_type_name(schema, i));
        gql_schema_free(schema);
        return fflush(stdout) == 0 ? GQLD_EXIT_OK : GQLD_EXIT_USAGE;
    }
    char *printed;
    size_t printed_len;
    rc = gql_schema_print(schema, &printed, &printed_len);
    gql_schema_free(schema);
    if (rc != GQL_OK) {
        fprintf(stderr, "gqld schema: %s\n", gql_strerror(rc));
        return GQLD_EXIT_USAGE;
    }
    fwrite(printed, 1, printed_len, stdout);
    fputc('\n', stdout);
    gql_free(printed);
    return fflush(stdout) == 0 ? GQLD_EXIT_OK : GQLD_EXIT_USAGE;
}
