/* src/gqld/cmd_format.c — `gqld format`: print a document canonically. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"

int gqld_cmd_format(int argc, char **argv)
{
    const char *path = "-";
    gql_parse_opts opts;
    gql_parse_opts_init(&opts);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--allow-empty-selection-sets") == 0) {
            opts.allow_empty_selection_sets = 1;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "gqld format: unknown option '%s'\n", argv[i]);
            return GQLD_EXIT_USAGE;
        } else if (i + 1 < argc) {
            /* The usage line puts FILE last: nothing may follow it. */
            fprintf(stderr, "gqld format: expected one FILE, as the last argument; got '%s' "
                            "after '%s'\n",
                    argv[i + 1], argv[i]);
            return GQLD_EXIT_USAGE;
        } else {
            path = argv[i];
        }
    }
    size_t len;
    char *text = gqld_read_file(path, &len);
    if (text == NULL)
        return GQLD_EXIT_USAGE;
    gql_document *doc;
    gql_errors *errs;
    int rc = gql_document_parse(&doc, text, len, &opts, &errs);
    free(text);
    const char *shown = strcmp(path, "-") == 0 ? "<stdin>" : path;
    if (rc == GQL_ESYNTAX) {
        gqld_print_errors(shown, errs);
        gql_errors_free(errs);
        return GQLD_EXIT_INVALID;
    }
    if (rc != GQL_OK) {
        fprintf(stderr, "gqld format: %s: %s\n", shown, gql_strerror(rc));
        return GQLD_EXIT_USAGE;
    }
    char *printed;
    size_t printed_len;
    rc = gql_document_print(doc, &printed, &printed_len);
    gql_document_free(doc);
    if (rc != GQL_OK) {
        fprintf(stderr, "gqld format: %s\n", gql_strerror(rc));
        return GQLD_EXIT_USAGE;
    }
    fwrite(printed, 1, printed_len, stdout);
    fputc('\n', stdout);
    gql_free(printed);
    return fflush(stdout) == 0 ? GQLD_EXIT_OK : GQLD_EXIT_USAGE;
}
