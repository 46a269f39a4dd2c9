/* src/gqld/io.c — file reading and error printing for the subcommands. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"

char *gqld_read_file(const char *path, size_t *len)
{
    bool is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "gqld: %s: %s\n", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (buf == NULL) {
            fprintf(stderr, "gqld: %s: out of memory\n", path);
            break;
        }
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap)
            break;
        char *grown = realloc(buf, cap * 2);
        if (grown == NULL)
            free(buf);
        buf = grown;
        cap *= 2;
    }
    bool failed = buf == NULL || ferror(f);
    if (buf != NULL && ferror(f))
        fprintf(stderr, "gqld: %s: %s\n", path, strerror(errno));
    if (!is_stdin)
        fclose(f);
    if (failed) {
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

void gqld_print_errors(const char *file, const gql_errors *errs)
{
    for (size_t i = 0; i < gql_errors_count(errs); i++) {
        const gql_location *locs;
        size_t n = gql_errors_locations(errs, i, &locs);
        const char *msg = gql_errors_message(errs, i);
        if (n == 0)
            fprintf(stderr, "%s: %s\n", file, msg);
        for (size_t j = 0; j < n; j++)
            fprintf(stderr, "%s:%u:%u: %s\n", file, locs[j].line, locs[j].column, msg);
    }
}

void gqld_report(const char *cmd, const char *path, int rc, const gql_errors *errs)
{
    if (gql_errors_count(errs) > 0)
        gqld_print_errors(path, errs);
    else
        fprintf(stderr, "gqld %s: %s: %s\n", cmd, path, gql_strerror(rc));
}

gql_json_doc *gqld_load_json(const char *cmd, const char *path)
{
    size_t len;
    char *text = gqld_read_file(path, &len);
    if (text == NULL)
        return NULL;
    gql_json_doc *doc = NULL;
    gql_errors *errs = NULL;
    int rc = gql_json_parse(&doc, text, len, &errs);
    free(text);
    if (rc != GQL_OK)
        gqld_report(cmd, path, rc, errs);
    gql_errors_free(errs);
    return doc;
}
