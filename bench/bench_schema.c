/* bench/bench_schema.c — how fast gqld builds a schema from SDL.
 *
 * Reads one SDL file (by default GitHub's public schema from the
 * @octokit/graphql-schema npm package) and builds it again and again with
 * assume_valid (the same work graphql-js does for buildSchema(sdl,
 * {assumeValid, assumeValidSDL}): parse, model, type map), freeing each
 * schema, for about --seconds seconds after a warm-up. Prints one JSON line
 * (bench/README.md lists the fields):
 *   {"name":"schema_build","impl":"gqld","bytes":N,"iterations":K,
 *    "ms_per_build":X,"ms_per_op":X,"ms_min":Y,"schema_bytes":Z,...}
 * schema_bytes is what one schema's arena reserved from the system (text,
 * tree and model together).
 *
 * Usage: bench_schema [--seconds S] [--iterations N] [FILE]
 * Exit status 1 when the file cannot be read or the schema does not build. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "types/build_schema.h"

#include "bench_util.h"

#define DEFAULT_FILE    "node_modules/@octokit/graphql-schema/schema.graphql"
#define DEFAULT_SECONDS 2.0
#define WARMUP          5

/* One build; false (with a message) when it fails. */
static bool build_once(const char *text, size_t len, const gqlx_build_opts *opts,
                       gqlx_schema **out)
{
    int rc = gqlx_schema_build(out, text, len, "bench", opts, NULL);
    if (rc != GQL_OK) {
        fprintf(stderr, "bench_schema: build failed: %s\n", gql_strerror(rc));
        return false;
    }
    return true;
}

int main(int argc, char **argv)
{
    const char *file = DEFAULT_FILE;
    double seconds = DEFAULT_SECONDS;
    long iterations = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc) {
            seconds = strtod(argv[++i], NULL);
        } else if (strcmp(argv[i], "--iterations") == 0 && i + 1 < argc) {
            iterations = strtol(argv[++i], NULL, 10);
        } else if (argv[i][0] == '-') {
            fprintf(stderr, "usage: bench_schema [--seconds S] [--iterations N] [FILE]\n");
            return 2;
        } else {
            file = argv[i];
        }
    }
    size_t len;
    char *text = bench_read_file("bench_schema", file, &len);
    if (text == NULL)
        return 1;
    gqlx_build_opts opts;
    gqlx_parse_opts_init(&opts.parse);
    opts.assume_valid = true;
    opts.max_bytes = 0;

    gqlx_schema *s;
    size_t schema_bytes = 0;
    uint32_t types = 0;
    for (int i = 0; i < (iterations > 0 ? 0 : WARMUP); i++) {
        if (!build_once(text, len, &opts, &s))
            return 1;
        schema_bytes = gqlx_arena_reserved(&s->arena);
        types = s->type_count;
        gqlx_schema_free(s);
    }
    long done = 0;
    double min = 1e30, t0 = bench_now_s(), t = t0;
    while (iterations > 0 ? done < iterations : (done == 0 || t - t0 < seconds)) {
        double start = t;
        if (!build_once(text, len, &opts, &s))
            return 1;
        schema_bytes = gqlx_arena_reserved(&s->arena);
        types = s->type_count;
        gqlx_schema_free(s);
        t = bench_now_s();
        if (t - start < min)
            min = t - start;
        done++;
    }
    double mean_ms = (t - t0) * 1e3 / (double)done;
    printf("{\"name\":\"schema_build\",\"impl\":\"gqld\",\"file\":\"%s\",\"bytes\":%zu,"
           "\"iterations\":%ld,\"seconds\":%.3f,\"ms_per_build\":%.4f,\"ms_per_op\":%.4f,"
           "\"ms_min\":%.4f,\"ops_per_s\":%.2f,\"schema_bytes\":%zu,\"types\":%u}\n",
           bench_base_name(file), len, done, t - t0, mean_ms, mean_ms, min * 1e3, 1e3 / mean_ms,
           schema_bytes, types);
    free(text);
    return 0;
}
