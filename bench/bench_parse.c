/* bench/bench_parse.c — how fast gqld parses and prints a large document.
 *
 * Reads one GraphQL file (by default GitHub's public schema from the
 * @octokit/graphql-schema npm package, 1.2 MB of SDL), then:
 *   parse  parses it again and again into one arena, reset before each
 *          parse, for about --seconds seconds after a warm-up;
 *   print  prints the parsed tree back to text (graphql-js's print()) into
 *          one reused buffer, the same way.
 * Each prints one JSON line to stdout, the format scripts/bench and
 * bench/report.mjs read (bench/README.md lists the fields):
 *   {"name":"parse","impl":"gqld","bytes":N,"iterations":K,"mb_per_s":X,
 *    "ms_per_parse":Y,"ms_per_op":Y,"ast_bytes":Z,"ast_ratio":Z/N,...}
 * MB means 10^6 bytes of source text. Timing uses CLOCK_MONOTONIC around
 * the whole loop; the fastest single iteration is reported as ms_min,
 * which is steadier than the mean on a busy machine.
 *
 * Usage: bench_parse [--seconds S] [--iterations N] [--warmup N]
 *                    [--only parse|print] [FILE]
 * --iterations N runs exactly N timed iterations (and, unless --warmup is
 * given, no warm-up): scripts/bench --callgrind uses --iterations 1 to count
 * the instructions of one parse. Exit status 1 on a read or parse error. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/json.h"
#include "language/parser.h"
#include "language/printer.h"
#include "language/source.h"

#include "bench_util.h"

#define DEFAULT_FILE    "node_modules/@octokit/graphql-schema/schema.graphql"
#define DEFAULT_SECONDS 2.0
#define DEFAULT_WARMUP  5

typedef struct options {
    const char *file;
    double seconds;  /* time budget per measurement when iterations == 0 */
    long iterations; /* fixed count of timed iterations; 0 = use seconds */
    long warmup;     /* untimed iterations first */
    bool do_parse;
    bool do_print;
} options;

typedef struct timing {
    long iterations;
    double total_s; /* whole timed loop */
    double min_s;   /* fastest single iteration */
} timing;

static void usage(FILE *out)
{
    fprintf(out, "usage: bench_parse [--seconds S] [--iterations N] [--warmup N]\n"
                 "                   [--only parse|print] [FILE]\n"
                 "FILE defaults to " DEFAULT_FILE "\n");
}

static bool parse_count(const char *text, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || v < 0)
        return false;
    *out = v;
    return true;
}

static bool parse_args(int argc, char **argv, options *o)
{
    bool warmup_given = false;
    *o = (options){DEFAULT_FILE, DEFAULT_SECONDS, 0, DEFAULT_WARMUP, true, true};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            exit(0);
        } else if (strcmp(a, "--seconds") == 0 && v != NULL) {
            char *end;
            o->seconds = strtod(v, &end);
            if (end == v || *end != '\0' || !(o->seconds > 0))
                return false;
            i++;
        } else if (strcmp(a, "--iterations") == 0 && v != NULL) {
            if (!parse_count(v, &o->iterations) || o->iterations == 0)
                return false;
            i++;
        } else if (strcmp(a, "--warmup") == 0 && v != NULL) {
            if (!parse_count(v, &o->warmup))
                return false;
            warmup_given = true;
            i++;
        } else if (strcmp(a, "--only") == 0 && v != NULL) {
            o->do_parse = strcmp(v, "parse") == 0;
            o->do_print = strcmp(v, "print") == 0;
            if (!o->do_parse && !o->do_print)
                return false;
            i++;
        } else if (a[0] == '-') {
            return false;
        } else {
            o->file = a;
        }
    }
    if (o->iterations > 0 && !warmup_given)
        o->warmup = 0;
    return true;
}

/* Writes s as a JSON string (quotes included). */
static void put_json_string(const char *s)
{
    gqlx_buf b;
    gqlx_buf_init(&b, 0);
    gqlx_json_write_string(&b, s, strlen(s));
    if (!b.failed)
        fwrite(b.data, 1, b.len, stdout);
    gqlx_buf_free(&b);
}

/* Should the timed loop go on after `done` iterations started at t0? */
static bool keep_going(const options *o, long done, double t0, double t)
{
    if (o->iterations > 0)
        return done < o->iterations;
    return done == 0 || t - t0 < o->seconds;
}

static void report_error(const options *o, const gqlx_syntax_error *err)
{
    fprintf(stderr, "bench_parse: %s:%u:%u: %s\n", o->file, err->loc.line, err->loc.column,
            err->message != NULL ? err->message : "parse failed");
}

/* One parse into a freshly reset arena; NULL on failure. */
static gqlx_document *parse_once(gqlx_arena *arena, const gqlx_source *src,
                                 const gqlx_parse_opts *opts, gqlx_syntax_error *err)
{
    gqlx_arena_reset(arena);
    memset(err, 0, sizeof *err);
    return gqlx_parse(arena, src, opts, err);
}

/* calls: every call of the measured function, untimed ones included, so
 * that an instruction count of the whole run can be divided by it. */
static void print_common(const char *name, const options *o, size_t bytes, const timing *t,
                         long calls)
{
    double mean_s = t->total_s / (double)t->iterations;
    printf("{\"name\":\"%s\",\"impl\":\"gqld\",\"file\":", name);
    put_json_string(bench_base_name(o->file));
    printf(",\"bytes\":%zu,\"iterations\":%ld,\"seconds\":%.3f,\"mb_per_s\":%.2f,"
           "\"ms_per_%s\":%.4f,\"ms_per_op\":%.4f,\"ms_min\":%.4f,\"ops_per_s\":%.2f,\"calls\":%ld",
           bytes, t->iterations, t->total_s, (double)bytes / 1e6 / mean_s, name, mean_s * 1e3,
           mean_s * 1e3, t->min_s * 1e3, 1.0 / mean_s, calls);
}

static int bench_parse(const options *o, const gqlx_source *src, const gqlx_parse_opts *opts)
{
    gqlx_arena arena;
    gqlx_syntax_error err;
    gqlx_arena_init(&arena, 0, 0);

    /* One parse for the memory figures (and to fail early). */
    gqlx_document *doc = parse_once(&arena, src, opts, &err);
    if (doc == NULL) {
        report_error(o, &err);
        gqlx_arena_free(&arena);
        return 1;
    }
    size_t ast_bytes = gqlx_arena_used(&arena);
    uint32_t tokens = doc->token_count;
    size_t definitions = doc->definitions.count;

    for (long i = 0; i < o->warmup; i++)
        (void)parse_once(&arena, src, opts, &err);

    timing t = {0, 0, 1e30};
    double t0 = bench_now_s(), t1 = t0;
    while (keep_going(o, t.iterations, t0, t1)) {
        double start = t1;
        if (parse_once(&arena, src, opts, &err) == NULL) {
            report_error(o, &err);
            gqlx_arena_free(&arena);
            return 1;
        }
        t1 = bench_now_s();
        if (t1 - start < t.min_s)
            t.min_s = t1 - start;
        t.iterations++;
    }
    t.total_s = t1 - t0;

    print_common("parse", o, src->len, &t, 1 + o->warmup + t.iterations);
    printf(",\"ast_bytes\":%zu,\"ast_ratio\":%.3f,\"arena_reserved\":%zu,\"tokens\":%u,"
           "\"definitions\":%zu}\n",
           ast_bytes, (double)ast_bytes / (double)src->len, gqlx_arena_reserved(&arena), tokens,
           definitions);
    gqlx_arena_free(&arena);
    return 0;
}

/* One print of doc into a cleared buffer; false on failure. */
static bool print_once(gqlx_buf *out, const gqlx_document *doc, gqlx_arena *scratch)
{
    gqlx_buf_clear(out);
    gqlx_arena_reset(scratch);
    gqlx_print(out, &doc->base, scratch);
    return !out->failed && !gqlx_arena_failed(scratch);
}

static int bench_print(const options *o, const gqlx_source *src, const gqlx_parse_opts *opts)
{
    gqlx_arena arena, scratch;
    gqlx_syntax_error err;
    gqlx_buf out;
    int status = 1;
    gqlx_arena_init(&arena, 0, 0);
    gqlx_arena_init(&scratch, 0, 0);
    gqlx_buf_init(&out, 0);

    gqlx_document *doc = parse_once(&arena, src, opts, &err);
    if (doc == NULL) {
        report_error(o, &err);
        goto done;
    }
    if (!print_once(&out, doc, &scratch)) {
        fprintf(stderr, "bench_parse: printing %s failed\n", o->file);
        goto done;
    }
    for (long i = 0; i < o->warmup; i++)
        (void)print_once(&out, doc, &scratch);

    timing t = {0, 0, 1e30};
    double t0 = bench_now_s(), t1 = t0;
    while (keep_going(o, t.iterations, t0, t1)) {
        double start = t1;
        if (!print_once(&out, doc, &scratch)) {
            fprintf(stderr, "bench_parse: printing %s failed\n", o->file);
            goto done;
        }
        t1 = bench_now_s();
        if (t1 - start < t.min_s)
            t.min_s = t1 - start;
        t.iterations++;
    }
    t.total_s = t1 - t0;

    /* mb_per_s counts source bytes, like parse, so the two rows compare. */
    print_common("print", o, src->len, &t, 1 + o->warmup + t.iterations);
    printf(",\"out_bytes\":%zu}\n", out.len);
    status = 0;
done:
    gqlx_buf_free(&out);
    gqlx_arena_free(&scratch);
    gqlx_arena_free(&arena);
    return status;
}

int main(int argc, char **argv)
{
    options o;
    if (!parse_args(argc, argv, &o)) {
        usage(stderr);
        return 2;
    }
    size_t len = 0;
    char *text = bench_read_file("bench_parse", o.file, &len);
    if (text == NULL)
        return 1;
    gqlx_source src = gqlx_source_make(o.file, text, len);
    gqlx_parse_opts opts;
    gqlx_parse_opts_init(&opts);

    int status = 0;
    if (o.do_parse)
        status |= bench_parse(&o, &src, &opts);
    fflush(stdout);
    if (status == 0 && o.do_print)
        status |= bench_print(&o, &src, &opts);
    free(text);
    return status;
}
