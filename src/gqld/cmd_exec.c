/* src/gqld/cmd_exec.c — `gqld exec`: execute one request against a schema
 * whose root value is a JSON document, and print the JSON response. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"

typedef struct exec_args {
    const char *schema;
    const char *data;
    const char *query;
    const char *query_file;
    const char *variables;
    const char *operation;
    int assume_valid;
} exec_args;

static int parse_args(int argc, char **argv, exec_args *a)
{
    memset(a, 0, sizeof *a);
    for (int i = 1; i < argc; i++) {
        const char *opt = argv[i];
        const char **slot = strcmp(opt, "--schema") == 0        ? &a->schema
                            : strcmp(opt, "--data") == 0        ? &a->data
                            : strcmp(opt, "--query") == 0       ? &a->query
                            : strcmp(opt, "--query-file") == 0  ? &a->query_file
                            : strcmp(opt, "--variables") == 0   ? &a->variables
                            : strcmp(opt, "--operation") == 0   ? &a->operation
                                                                : NULL;
        if (slot != NULL) {
            if (i + 1 == argc) {
                fprintf(stderr, "gqld exec: option '%s' needs a value\n", opt);
                return -1;
            }
            *slot = argv[++i];
        } else if (strcmp(opt, "--assume-valid") == 0) {
            a->assume_valid = 1;
        } else {
            fprintf(stderr, "gqld exec: unknown argument '%s'\n", opt);
            return -1;
        }
    }
    if (a->schema == NULL) {
        fprintf(stderr, "gqld exec: missing --schema FILE\n");
        return -1;
    }
    if ((a->query == NULL) == (a->query_file == NULL)) {
        fprintf(stderr, "gqld exec: give exactly one of --query and --query-file\n");
        return -1;
    }
    return 0;
}

static gql_schema *load_schema(const exec_args *a)
{
    size_t len;
    char *text = gqld_read_file(a->schema, &len);
    if (text == NULL)
        return NULL;
    gql_schema_opts opts;
    gql_schema_opts_init(&opts);
    opts.assume_valid = a->assume_valid;
    gql_schema *schema = NULL;
    gql_errors *errs = NULL;
    int rc = gql_schema_build(&schema, text, len, &opts, &errs);
    free(text);
    if (rc != GQL_OK)
        gqld_report("exec", a->schema, rc, errs);
    gql_errors_free(errs);
    return schema;
}

int gqld_cmd_exec(int argc, char **argv)
{
    exec_args a;
    if (parse_args(argc, argv, &a) != 0)
        return GQLD_EXIT_USAGE;
    gql_schema *schema = load_schema(&a);
    if (schema == NULL)
        return GQLD_EXIT_USAGE;
    gql_json_doc *data = NULL, *vars = NULL;
    char *query = NULL;
    int status = GQLD_EXIT_USAGE;
    if (a.data != NULL && (data = gqld_load_json("exec", a.data)) == NULL)
        goto out;
    size_t query_len;
    if (a.query_file != NULL) {
        query = gqld_read_file(a.query_file, &query_len);
        if (query == NULL)
            goto out;
    }
    gql_request req;
    gql_request_init(&req);
    req.query = query ? query : a.query;
    req.query_len = query ? query_len : strlen(a.query);
    req.operation_name = a.operation;
    if (a.variables != NULL) {
        /* Malformed JSON on the command line is a usage error. */
        gql_errors *errs = NULL;
        if (gql_json_parse(&vars, a.variables, strlen(a.variables), &errs) != GQL_OK) {
            fprintf(stderr, "gqld exec: --variables: %s\n",
                    errs ? gql_errors_message(errs, 0) : gql_strerror(GQL_ENOMEM));
            gql_errors_free(errs);
            goto out;
        }
        req.variables_json = gql_json_doc_root(vars);
    }
    if (data != NULL)
        req.root = gql_json_value(gql_json_doc_root(data));
    gql_response *resp = NULL;
    int rc = gql_execute(schema, &req, NULL, &resp);
    if (rc != GQL_OK) {
        fprintf(stderr, "gqld exec: %s\n", gql_strerror(rc));
        goto out;
    }
    size_t len;
    const char *json = gql_response_json(resp, &len);
    fwrite(json, 1, len, stdout);
    fputc('\n', stdout);
    status = gql_response_status(resp) == GQL_OK ? GQLD_EXIT_OK : GQLD_EXIT_INVALID;
    gql_response_free(resp);
    if (fflush(stdout) != 0)
        status = GQLD_EXIT_USAGE;
out:
    free(query);
    gql_json_doc_free(data);
    gql_json_doc_free(vars);
    gql_schema_free(schema);
    return status;
}
