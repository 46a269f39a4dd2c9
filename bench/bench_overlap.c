/* bench/bench_overlap.c — how the overlap check (src/validation/overlap.c)
 * grows on adversarial documents.
 *
 * Generates families of documents at several sizes N (the same texts as
 * bench/js/overlap.mjs, against tests/data/overlap/schema.graphqls), runs
 * the check over every selection set (parent types tracked as graphql-js's
 * TypeInfo does) and prints one JSON line per (family, N):
 *   {"name":"overlap_<family>","impl":"gqld","n":N,"bytes":B,"ms":X,
 *    "arena_bytes":A,"conflicts":C,"aborted":false}
 * ms is the best of the repetitions (parsing excluded); arena_bytes is what
 * the check allocated. graphql-js aborts validation once its complexity
 * budget is spent, and so does gqld, at the same documents ("aborted").
 *
 * Usage: bench_overlap [--repeat K]   (run from the source root) */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "language/parser.h"
#include "types/build_schema.h"
#include "validation/overlap.h"

#include "bench_util.h"

#define SCHEMA_FILE "tests/data/overlap/schema.graphqls"

static const gqlx_schema *schema;

/* ---- documents (keep in step with bench/js/overlap.mjs) ---------------- */

static void rep(gqlx_buf *b, int n, const char *pre, bool numbered, const char *post)
{
    for (int i = 0; i < n; i++) {
        gqlx_buf_append_cstr(b, pre);
        if (numbered)
            gqlx_buf_printf(b, "%d", i);
        gqlx_buf_append_cstr(b, post);
        gqlx_buf_putc(b, ' ');
    }
}

/* { a a a ... } */
static void gen_identical(gqlx_buf *b, int n)
{
    gqlx_buf_append_cstr(b, "{ ");
    rep(b, n, "a", false, "");
    gqlx_buf_append_cstr(b, "}\n");
}

/* N spreads of one fragment next to a field of the same name. */
static void gen_spread(gqlx_buf *b, int n)
{
    gqlx_buf_append_cstr(b, "{ dog { x: name ");
    rep(b, n, "...A", false, "");
    gqlx_buf_append_cstr(b, "} }\nfragment A on Dog { name x: name }\n");
}

/* N fragments, each spreading all the others. */
static void gen_all_spread_all(gqlx_buf *b, int n)
{
    gqlx_buf_append_cstr(b, "{ dog { ");
    rep(b, n, "...F", true, "");
    gqlx_buf_append_cstr(b, "} }\n");
    for (int i = 0; i < n; i++) {
        gqlx_buf_printf(b, "fragment F%d on Dog { x: name ", i);
        rep(b, n, "...F", true, "");
        gqlx_buf_append_cstr(b, "}\n");
    }
}

/* Three copies of a path N levels deep ending in x: a / x: b / x: a. */
static void gen_deep(gqlx_buf *b, int n)
{
    gqlx_buf_append_cstr(b, "{ ");
    for (int k = 0; k < 3; k++) {
        rep(b, n, "deep {", false, "");
        gqlx_buf_append_cstr(b, k == 1 ? "x: b " : "x: a ");
        rep(b, n, "}", false, "");
    }
    gqlx_buf_append_cstr(b, "}\n");
}

/* Four copies of a set of N aliased fields. */
static void gen_wide(gqlx_buf *b, int n)
{
    gqlx_buf_append_cstr(b, "{ ");
    for (int k = 0; k < 4; k++) {
        gqlx_buf_append_cstr(b, "deep { ");
        rep(b, n, "f", true, ": a");
        gqlx_buf_append_cstr(b, "} ");
    }
    gqlx_buf_append_cstr(b, "}\n");
}

/* N copies of a field whose sub-selections differ in list wrapping. */
static void gen_typed(gqlx_buf *b, int n)
{
    gqlx_buf_append_cstr(b, "{ ");
    rep(b, n,
        "pet { ... on Dog { tags scores owner { relatives { iq } } } "
        "... on Cat { tags scores owner { relatives { iq } } } }",
        false, "");
    gqlx_buf_append_cstr(b, "}\n");
}

typedef struct family {
    const char *name;
    void (*gen)(gqlx_buf *, int);
    int sizes[6];
} family;

static const family families[] = {
    {"identical", gen_identical, {100, 300, 700, 1000, 5000, 50000}},
    {"spread", gen_spread, {100, 1000, 10000, 50000, 0, 0}},
    {"all_spread_all", gen_all_spread_all, {10, 20, 40, 50, 100, 200}},
    {"deep", gen_deep, {10, 50, 100, 200, 250, 0}},
    {"wide", gen_wide, {100, 1000, 5000, 20000, 0, 0}},
    {"typed", gen_typed, {10, 50, 100, 130, 500, 0}},
};

/* ---- the walk --------------------------------------------------------- */

typedef struct run {
    gqlx_overlap *ov;
    long conflicts;
    bool stop;
} run;

static bool on_conflict(void *user, const char *message, const uint32_t *offsets, size_t count)
{
    (void)message;
    (void)offsets;
    (void)count;
    ((run *)user)->conflicts++;
    return true;
}

static const gqlx_type *composite(const gqlx_type *t)
{
    return t != NULL && gqlx_type_is_composite(t) ? t : NULL;
}

static void walk(run *r, const gqlx_selection_set *set, const gqlx_type *parent)
{
    if (set == NULL || r->stop)
        return;
    if (!gqlx_overlap_check(r->ov, set, parent)) {
        r->stop = true;
        return;
    }
    for (uint32_t i = 0; i < set->selections.count && !r->stop; i++) {
        const gqlx_node *s = set->selections.items[i];
        if (s->kind == GQLX_KIND_FIELD) {
            const gqlx_field *f = GQLX_AS_CONST(gqlx_field, s);
            const gqlx_field_decl *d = NULL;
            if (parent && (parent->kind == GQLX_TYPE_OBJECT || parent->kind == GQLX_TYPE_INTERFACE))
                d = gqlx_type_field(parent, f->name.ptr, f->name.len);
            walk(r, f->selection_set, d ? composite(d->type->named) : NULL);
        } else if (s->kind == GQLX_KIND_INLINE_FRAGMENT) {
            const gqlx_inline_fragment *in = GQLX_AS_CONST(gqlx_inline_fragment, s);
            const gqlx_type *t = parent;
            if (in->type_condition)
                t = gqlx_schema_type(schema, in->type_condition->name.ptr,
                                     in->type_condition->name.len);
            walk(r, in->selection_set, composite(t));
        }
    }
}

static void check_document(const gqlx_document *doc, gqlx_arena *a, run *r)
{
    memset(r, 0, sizeof *r);
    r->ov = gqlx_overlap_new(a, schema, doc, on_conflict, r);
    if (r->ov == NULL)
        return;
    for (uint32_t i = 0; i < doc->definitions.count && !r->stop; i++) {
        const gqlx_node *d = doc->definitions.items[i];
        if (d->kind == GQLX_KIND_OPERATION_DEFINITION) {
            walk(r, GQLX_AS_CONST(gqlx_operation_def, d)->selection_set, schema->query);
        } else if (d->kind == GQLX_KIND_FRAGMENT_DEFINITION) {
            const gqlx_fragment_def *f = GQLX_AS_CONST(gqlx_fragment_def, d);
            walk(r, f->selection_set,
                 composite(gqlx_schema_type(schema, f->type_condition->name.ptr,
                                            f->type_condition->name.len)));
        }
    }
}

int main(int argc, char **argv)
{
    int repeat = 7;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--repeat") == 0 && i + 1 < argc) {
            repeat = atoi(argv[++i]);
        } else {
            fprintf(stderr, "usage: bench_overlap [--repeat K]\n");
            return 2;
        }
    }
    if (repeat < 1)
        repeat = 1;

    FILE *f = fopen(SCHEMA_FILE, "rb");
    if (f == NULL) {
        fprintf(stderr, "bench_overlap: cannot open " SCHEMA_FILE " (run from the source root)\n");
        return 1;
    }
    static char sdl[1 << 16];
    size_t len = fread(sdl, 1, sizeof sdl, f);
    fclose(f);
    gqlx_build_opts bo;
    memset(&bo, 0, sizeof bo);
    gqlx_parse_opts_init(&bo.parse);
    gqlx_schema *built;
    if (gqlx_schema_build(&built, sdl, len, "schema", &bo, NULL) != GQL_OK) {
        fprintf(stderr, "bench_overlap: the schema does not build\n");
        return 1;
    }
    schema = built;

    gqlx_buf text;
    gqlx_buf_init(&text, 0);
    for (size_t fi = 0; fi < sizeof families / sizeof families[0]; fi++) {
        const family *fam = &families[fi];
        for (int si = 0; si < 6 && fam->sizes[si] != 0; si++) {
            int n = fam->sizes[si];
            gqlx_buf_clear(&text);
            fam->gen(&text, n);
            gqlx_arena doc_arena;
            gqlx_arena_init(&doc_arena, 0, 0);
            gqlx_source src = gqlx_source_make("bench", text.data, text.len);
            gqlx_document *doc = gqlx_parse(&doc_arena, &src, NULL, NULL);
            if (doc == NULL) {
                fprintf(stderr, "bench_overlap: %s %d does not parse\n", fam->name, n);
                return 1;
            }
            double best = 1e300;
            size_t used = 0;
            run r;
            gqlx_arena a;
            gqlx_arena_init(&a, 0, 0);
            for (int k = 0; k < repeat; k++) {
                gqlx_arena_reset(&a);
                double t0 = bench_now_s();
                check_document(doc, &a, &r);
                double ms = (bench_now_s() - t0) * 1e3;
                if (ms < best)
                    best = ms;
                used = gqlx_arena_used(&a);
            }
            printf("{\"name\":\"overlap_%s\",\"impl\":\"gqld\",\"n\":%d,\"bytes\":%zu,"
                   "\"ms\":%.4f,\"arena_bytes\":%zu,\"conflicts\":%ld,\"aborted\":%s}\n",
                   fam->name, n, text.len, best, used, r.conflicts,
                   r.ov && gqlx_overlap_aborted(r.ov) ? "true" : "false");
            fflush(stdout);
            gqlx_arena_free(&a);
            gqlx_arena_free(&doc_arena);
        }
    }
    gqlx_buf_free(&text);
    gqlx_schema_free(built);
    return 0;
}
