/* src/gqld/cmd_validate.c — `gqld validate`: check GraphQL documents
 * against a schema with the specification's validation rules. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "core/buf.h"
#include "core/json.h"

/* --json: one line per document, {"file":F,"errors":[{"message":M,
 * "locations":[{"line":L,"column":C}]}]} — what the differential tests
 * compare with graphql-js, without parsing compiler-style lines. */
static void print_json(const char *file, const gql_errors *errs)
{
    gqlx_buf b;
    gqlx_buf_init(&b, 0);
    gqlx_json_writer w;
    gqlx_json_writer_init(&w, &b);
    gqlx_json_begin_object(&w);
    gqlx_json_key_cstr(&w, "file");
    gqlx_json_string(&w, file, strlen(file));
    gqlx_json_key_cstr(&w, "errors");
    gqlx_json_begin_array(&w);
    for (size_t i = 0; i < gql_errors_count(errs); i++) {
        const char *msg = gql_errors_message(errs, i);
        gqlx_json_begin_object(&w);
        gqlx_json_key_cstr(&w, "message");
        gqlx_json_string(&w, msg, strlen(msg));
        gqlx_json_key_cstr(&w, "locations");
        gqlx_json_begin_array(&w);
        const gql_location *locs;
        size_t n = gql_errors_locations(errs, i, &locs);
        for (size_t j = 0; j < n; j++) {
            gqlx_json_begin_object(&w);
            gqlx_json_key_cstr(&w, "line");
            gqlx_json_int(&w, locs[j].line);
            gqlx_json_key_cstr(&w, "column");
            gqlx_json_int(&w, locs[j].column);
            gqlx_json_end_object(&w);
        }
        gqlx_json_end_array(&w);
        gqlx_json_end_object(&w);
    }
    gqlx_json_end_array(&w);
    gqlx_json_end_object(&w);
    gqlx_buf_putc(&b, '\n');
    if (b.failed)
        fprintf(stderr, "gqld validate: %s: %s\n", file, gql_strerror(GQL_ENOMEM));
    else
        fwrite(b.data, 1, b.len, stdout);
    gqlx_buf_free(&b);
}

int gqld_cmd_validate(int argc, char **argv)
{
    const char *schema_path = NULL;
    int json = 0;
    gql_validate_opts vopts;
    gql_validate_opts_init(&vopts);
    int first_doc = argc;
    for (int i = 1; i < argc; i++) {
        if ((strcmp(argv[i], "--schema") == 0 || strcmp(argv[i], "--max-errors") == 0) &&
            i + 1 == argc) {
            fprintf(stderr, "gqld validate: option '%s' needs a value\n", argv[i]);
            return GQLD_EXIT_USAGE;
        }
        if (strcmp(argv[i], "--schema") == 0) {
            schema_path = argv[++i];
        } else if (strcmp(argv[i], "--max-errors") == 0) {
            char *end;
            unsigned long v = strtoul(argv[++i], &end, 10);
            if (*end != '\0' || v == 0 || v > 1000000) {
                fprintf(stderr, "gqld validate: bad --max-errors '%s'\n", argv[i]);
                return GQLD_EXIT_USAGE;
            }
            vopts.max_errors = (unsigned)v;
        } else if (strcmp(argv[i], "--disable-introspection") == 0) {
            vopts.disable_introspection = 1;
        } else if (strcmp(argv[i], "--json") == 0) {
            json = 1;
        } else if (strcmp(argv[i], "--") == 0) {
            first_doc = i + 1;
            break;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "gqld validate: unknown option '%s'\n", argv[i]);
            return GQLD_EXIT_USAGE;
        } else {
            first_doc = i;
            break;
        }
    }
    if (schema_path == NULL) {
        fprintf(stderr, "gqld validate: missing --schema FILE\n");
        return GQLD_EXIT_USAGE;
    }
    if (first_doc >= argc) {
        fprintf(stderr, "gqld validate: missing DOCUMENT file(s)\n");
        return GQLD_EXIT_USAGE;
    }
    size_t len;
    char *text = gqld_read_file(schema_path, &len);
    if (text == NULL)
        return GQLD_EXIT_USAGE;
    gql_schema *schema;
    gql_errors *errs;
    int rc = gql_schema_build(&schema, text, len, NULL, &errs);
    free(text);
    if (rc == GQL_ESYNTAX || rc == GQL_ESCHEMA) {
        gqld_print_errors(schema_path, errs);
        gql_errors_free(errs);
        return GQLD_EXIT_USAGE; /* the schema, not a document, is broken */
    }
    if (rc != GQL_OK) {
        fprintf(stderr, "gqld validate: %s: %s\n", schema_path, gql_strerror(rc));
        return GQLD_EXIT_USAGE;
    }
    int status = GQLD_EXIT_OK;
    for (int i = first_doc; i < argc; i++) {
        const char *path = argv[i];
        const char *shown = strcmp(path, "-") == 0 ? "<stdin>" : path;
        text = gqld_read_file(path, &len);
        if (text == NULL) {
            status = GQLD_EXIT_USAGE;
            continue;
        }
        gql_document *doc;
        rc = gql_document_parse(&doc, text, len, NULL, &errs);
        free(text);
        if (rc == GQL_OK) {
            rc = gql_validate(schema, doc, &vopts, &errs);
            gql_document_free(doc);
        }
        if (rc == GQL_ESYNTAX || rc == GQL_EVALIDATION) {
            if (json)
                print_json(shown, errs);
            else
                gqld_print_errors(shown, errs);
            gql_errors_free(errs);
            if (status == GQLD_EXIT_OK)
                status = GQLD_EXIT_INVALID;
        } else if (rc != GQL_OK) {
            fprintf(stderr, "gqld validate: %s: %s\n", shown, gql_strerror(rc));
            status = GQLD_EXIT_USAGE;
        } else if (json) {
            print_json(shown, NULL);
        }
    }
    gql_schema_free(schema);
    if (fflush(stdout) != 0)
        return GQLD_EXIT_USAGE;
    return status;
}
