/* bench/bench_validate.c — how fast gqld validates operations.
 *
 * Builds one schema (by default GitHub's public schema from the
 * @octokit/graphql-schema npm package) with assume_valid, as graphql-js's
 * buildSchema(sdl, {assumeValid, assumeValidSDL}) does, then for each
 * operation file given (by default bench/data/introspection_query.graphql,
 * GraphiQL's introspection query, and bench/data/github_large_query.graphql)
 * parses it once, outside the timing, and validates it again and again with
 * every specified rule (gqlx_validate with the default options) into one
 * scratch arena, reset before each validation, for about --seconds seconds
 * after a warm-up. Prints one JSON line per file (bench/README.md lists the
 * fields):
 *   {"name":"validate","impl":"gqld","file":F,"schema":S,"bytes":N,
 *    "iterations":K,"ms_per_validation":X,"ms_per_op":X,"ms_min":Y,
 *    "ops_per_s":Z,"errors":E,"scratch_bytes":B}
 * errors must be 0 (the documents are valid); scratch_bytes is what one
 * validation used of the scratch arena.
 *
 * Usage: bench_validate [--seconds S] [--iterations N] [--schema FILE] [FILE...]
 * Exit status 1 when a file cannot be read, does not parse or the schema
 * does not build. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/errors.h"
#include "language/parser.h"
#include "language/source.h"
#include "types/build_schema.h"
#include "validation/validate.h"

#include "bench_util.h"

#define DEFAULT_SCHEMA  "node_modules/@octokit/graphql-schema/schema.graphql"
#define DEFAULT_SECONDS 2.0
#define WARMUP          20

static const char *const default_files[] = {
    "bench/data/introspection_query.graphql",
    "bench/data/github_large_query.graphql",
};

/* One validation into the reset scratch arena; returns the error count. */
static size_t validate_once(const gqlx_schema *schema, const gqlx_document *doc,
                            const gqlx_source *src, const gqlx_validate_opts *opts,
                            gqlx_arena *scratch)
{
    gqlx_arena_reset(scratch);
    return gqlx_validate(schema, doc, src, opts, scratch, NULL);
}

/* Times the validation of one file; 0 on success, 1 on error. */
static int bench_file(const gqlx_schema *schema, const char *schema_file, const char *file,
                      double seconds, long iterations)
{
    size_t len;
    char *text = bench_read_file("bench_validate", file, &len);
    if (text == NULL)
        return 1;
    int status = 1;
    gqlx_arena doc_arena, scratch;
    gqlx_arena_init(&doc_arena, 0, 0);
    gqlx_arena_init(&scratch, 0, 0);
    gqlx_source src = gqlx_source_make(file, text, len);
    gqlx_syntax_error err;
    memset(&err, 0, sizeof err);
    gqlx_document *doc = gqlx_parse(&doc_arena, &src, NULL, &err);
    if (doc == NULL) {
        fprintf(stderr, "bench_validate: %s:%u:%u: %s\n", file, err.loc.line, err.loc.column,
                err.message != NULL ? err.message : "parse failed");
        goto done;
    }
    gqlx_validate_opts opts;
    gqlx_validate_opts_init(&opts);

    /* One validation with the messages, to say what is wrong if anything. */
    gql_errors *list = gqlx_errors_new();
    if (list == NULL)
        goto done;
    gqlx_arena_reset(&scratch);
    size_t errors = gqlx_validate(schema, doc, &src, &opts, &scratch, list);
    size_t scratch_bytes = gqlx_arena_used(&scratch);
    for (size_t i = 0; i < gql_errors_count(list) && i < 5; i++)
        fprintf(stderr, "bench_validate: %s: %s\n", bench_base_name(file), gql_errors_message(list, i));
    gql_errors_free(list);
    if (gqlx_arena_failed(&scratch)) {
        fprintf(stderr, "bench_validate: %s: out of memory\n", file);
        goto done;
    }

    for (int i = 0; i < (iterations > 0 ? 0 : WARMUP); i++)
        (void)validate_once(schema, doc, &src, &opts, &scratch);

    long done = 0;
    double min = 1e30, t0 = bench_now_s(), t = t0;
    while (iterations > 0 ? done < iterations : (done == 0 || t - t0 < seconds)) {
        double start = t;
        (void)validate_once(schema, doc, &src, &opts, &scratch);
        t = bench_now_s();
        if (t - start < min)
            min = t - start;
        done++;
    }
    double mean_ms = (t - t0) * 1e3 / (double)done;
    printf("{\"name\":\"validate\",\"impl\":\"gqld\",\"file\":\"%s\",\"schema\":\"%s\","
           "\"bytes\":%zu,\"iterations\":%ld,\"seconds\":%.3f,\"ms_per_validation\":%.5f,"
           "\"ms_per_op\":%.5f,\"ms_min\":%.5f,\"ops_per_s\":%.2f,\"errors\":%zu,"
           "\"scratch_bytes\":%zu}\n",
           bench_base_name(file), bench_base_name(schema_file), len, done, t - t0, mean_ms, mean_ms, min * 1e3,
           1e3 / mean_ms, errors, scratch_bytes);
    fflush(stdout);
    status = 0;
done:
    gqlx_arena_free(&scratch);
    gqlx_arena_free(&doc_arena);
    free(text);
    return status;
}

static void usage(FILE *out)
{
    fprintf(out,
            "usage: bench_validate [--seconds S] [--iterations N] [--schema FILE] [FILE...]\n");
}

int main(int argc, char **argv)
{
    const char *schema_file = DEFAULT_SCHEMA;
    double seconds = DEFAULT_SECONDS;
    long iterations = 0;
    const char **files = calloc((size_t)argc, sizeof *files);
    size_t nfiles = 0;
    if (files == NULL)
        return 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            free(files);
            return 0;
        } else if (strcmp(a, "--seconds") == 0 && v != NULL) {
            seconds = strtod(v, NULL);
            i++;
        } else if (strcmp(a, "--iterations") == 0 && v != NULL) {
            iterations = strtol(v, NULL, 10);
            i++;
        } else if (strcmp(a, "--schema") == 0 && v != NULL) {
            schema_file = v;
            i++;
        } else if (a[0] == '-') {
            usage(stderr);
            free(files);
            return 2;
        } else {
            files[nfiles++] = a;
        }
    }
    if (!(seconds > 0) || iterations < 0) {
        usage(stderr);
        free(files);
        return 2;
    }

    size_t len;
    char *sdl = bench_read_file("bench_validate", schema_file, &len);
    if (sdl == NULL) {
        free(files);
        return 1;
    }
    gqlx_build_opts bo;
    memset(&bo, 0, sizeof bo);
    gqlx_parse_opts_init(&bo.parse);
    bo.assume_valid = true;
    bo.max_bytes = 0;
    gqlx_schema *schema;
    int rc = gqlx_schema_build(&schema, sdl, len, "schema", &bo, NULL);
    if (rc != GQL_OK) {
        fprintf(stderr, "bench_validate: %s: build failed: %s\n", schema_file, gql_strerror(rc));
        free(sdl);
        free(files);
        return 1;
    }

    int status = 0;
    if (nfiles == 0) {
        for (size_t i = 0; i < sizeof default_files / sizeof default_files[0]; i++)
            status |= bench_file(schema, schema_file, default_files[i], seconds, iterations);
    } else {
        for (size_t i = 0; i < nfiles; i++)
            status |= bench_file(schema, schema_file, files[i], seconds, iterations);
    }
    gqlx_schema_free(schema);
    free(sdl);
    free(files);
    return status;
}
