/* src/gqld/cmd_schema.c — `gqld schema`: build a schema from SDL and print
 * it as graphql-js's printSchema() does. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"

int gqld_cmd_schema(int argc, char **argv)
{
    const char *path = NULL;
    int type_map = 0;
    gql_schema_opts opts;
    gql_schema_opts_init(&opts);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--assume-valid") == 0) {
            opts.assume_valid = 1;
        } else if (strcmp(argv[i], "--type-map") == 0) {
            type_map = 1;
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
