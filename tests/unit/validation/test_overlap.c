/* tests/unit/validation/test_overlap.c — the "Overlapping Fields Can Be
 * Merged" check (src/validation/overlap.c) against graphql-js.
 *
 * Every tests/data/overlap/<case>.graphql is validated against
 * tests/data/overlap/schema.graphqls and the errors are compared with
 * <case>.expected, which gen_overlap_cases.mjs wrote from graphql-js's
 * validate(schema, doc, [OverlappingFieldsCanBeMergedRule]): messages,
 * line:column locations, order, and graphql-js's "Validation aborted." and
 * error-limit errors. Since the validation framework is written
 * separately, this file has its own small walk that tracks parent types as
 * graphql-js's TypeInfo does and calls gqlx_overlap_check on every
 * selection set, and it plays validate()'s part for the error limit (100).
 *
 * Further tests: large generated documents (they must finish quickly; the
 * time is printed, not asserted), the API's edge cases, and arena
 * failures at every size. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "core/arena.h"
#include "core/buf.h"
#include "language/parser.h"
#include "types/build_schema.h"
#include "validation/overlap.h"

#define DATA_DIR "tests/data/overlap"
#define MAX_ERRORS 100

static gqlx_schema *g_schema;

/* ---- helpers ---------------------------------------------------------- */

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *p = malloc((size_t)n + 1);
    assert_non_null(p);
    size_t got = fread(p, 1, (size_t)n, f);
    fclose(f);
    p[got] = '\0';
    *len = got;
    return p;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* ---- the validation stand-in ------------------------------------------ */

typedef struct run {
    const gqlx_source *src;
    gqlx_overlap *ov;
    gqlx_buf out; /* one line per error, as in the .expected files */
    size_t errors;
    bool stop;
} run;

static bool on_conflict(void *user, const char *message, const uint32_t *offsets, size_t count)
{
    run *r = user;
    if (r->errors >= MAX_ERRORS) {
        /* graphql-js's reportError throws once the limit is reached. */
        gqlx_buf_append_cstr(&r->out,
                             "Too many validation errors, error limit reached. "
                             "Validation aborted.\t\n");
        r->stop = true;
        return false;
    }
    r->errors++;
    gqlx_buf_append_cstr(&r->out, message);
    gqlx_buf_putc(&r->out, '\t');
    for (size_t i = 0; i < count; i++) {
        gqlx_location loc = gqlx_source_location(r->src, offsets[i]);
        gqlx_buf_printf(&r->out, "%s%u:%u", i ? "," : "", loc.line, loc.column);
    }
    gqlx_buf_putc(&r->out, '\n');
    return true;
}

static const gqlx_type *composite_or_null(const gqlx_type *t)
{
    return t != NULL && gqlx_type_is_composite(t) ? t : NULL;
}

static const gqlx_type *output_or_null(const gqlx_type *t)
{
    return t != NULL && t->kind != GQLX_TYPE_INPUT_OBJECT ? t : NULL;
}

static const gqlx_type *named(const char *name)
{
    return gqlx_schema_type(g_schema, name, strlen(name));
}

/* The named type of a field as TypeInfo sees it, meta-fields included. */
static const gqlx_type *field_type(const gqlx_type *parent, const gqlx_field *f)
{
    if (parent == NULL)
        return NULL;
    if (gqlx_slice_eq_cstr(f->name, "__typename"))
        return named("String");
    if (parent == g_schema->query && gqlx_slice_eq_cstr(f->name, "__schema"))
        return named("__Schema");
    if (parent == g_schema->query && gqlx_slice_eq_cstr(f->name, "__type"))
        return named("__Type");
    if (parent->kind != GQLX_TYPE_OBJECT && parent->kind != GQLX_TYPE_INTERFACE)
        return NULL;
    const gqlx_field_decl *d = gqlx_type_field(parent, f->name.ptr, f->name.len);
    return d ? d->type->named : NULL;
}

/* Visits set and the sets inside it in document order, as graphql-js's
 * visitor enters them; parent is TypeInfo's getParentType(). */
static void walk(run *r, const gqlx_selection_set *set, const gqlx_type *parent)
{
    if (set == NULL || r->stop)
        return;
    if (!gqlx_overlap_check(r->ov, set, parent)) {
        if (gqlx_overlap_aborted(r->ov))
            gqlx_buf_append_cstr(&r->out, "Validation aborted.\t\n");
        r->stop = true;
        return;
    }
    for (uint32_t i = 0; i < set->selections.count && !r->stop; i++) {
        const gqlx_node *s = set->selections.items[i];
        if (s->kind == GQLX_KIND_FIELD) {
            const gqlx_field *f = GQLX_AS_CONST(gqlx_field, s);
            walk(r, f->selection_set, composite_or_null(field_type(parent, f)));
        } else if (s->kind == GQLX_KIND_INLINE_FRAGMENT) {
            const gqlx_inline_fragment *in = GQLX_AS_CONST(gqlx_inline_fragment, s);
            const gqlx_type *t = parent;
            if (in->type_condition != NULL)
                t = output_or_null(gqlx_schema_type(g_schema, in->type_condition->name.ptr,
                                                    in->type_condition->name.len));
            walk(r, in->selection_set, composite_or_null(t));
        }
    }
}

/* Validates text (only this rule) and returns the error lines; *ms gets
 * the time taken by the check, parsing excluded. The caller frees. */
static char *validate_text(const char *text, size_t len, double *ms)
{
    gqlx_arena arena;
    gqlx_arena_init(&arena, 0, 0);
    gqlx_source src = gqlx_source_make("case", text, len);
    gqlx_syntax_error err;
    gqlx_document *doc = gqlx_parse(&arena, &src, NULL, &err);
    if (doc == NULL)
        fail_msg("syntax error: %s", err.message ? err.message : "?");
    run r = {0};
    r.src = &src;
    gqlx_buf_init(&r.out, 0);
    double t0 = now_ms();
    r.ov = gqlx_overlap_new(&arena, g_schema, doc, on_conflict, &r);
    assert_non_null(r.ov);
    for (uint32_t i = 0; i < doc->definitions.count && !r.stop; i++) {
        const gqlx_node *d = doc->definitions.items[i];
        if (d->kind == GQLX_KIND_OPERATION_DEFINITION) {
            const gqlx_operation_def *op = GQLX_AS_CONST(gqlx_operation_def, d);
            const gqlx_type *root = op->operation == GQLX_OP_QUERY      ? g_schema->query
                                    : op->operation == GQLX_OP_MUTATION ? g_schema->mutation
                                                                        : g_schema->subscription;
            walk(&r, op->selection_set, root);
        } else if (d->kind == GQLX_KIND_FRAGMENT_DEFINITION) {
            const gqlx_fragment_def *f = GQLX_AS_CONST(gqlx_fragment_def, d);
            const gqlx_type *t = gqlx_schema_type(g_schema, f->type_condition->name.ptr,
                                                  f->type_condition->name.len);
            walk(&r, f->selection_set, composite_or_null(output_or_null(t)));
        }
    }
    if (ms)
        *ms = now_ms() - t0;
    assert_false(gqlx_arena_failed(&arena));
    gqlx_arena_free(&arena);
    assert_false(r.out.failed);
    size_t n;
    char *text_out = gqlx_buf_detach(&r.out, &n);
    return text_out ? text_out : strdup("");
}

/* ---- table of graphql-js cases ---------------------------------------- */

static void test_case(void **state)
{
    const char *name = *state;
    char path[512];
    size_t len, elen;
    snprintf(path, sizeof path, DATA_DIR "/%s.graphql", name);
    char *text = read_file(path, &len);
    assert_non_null(text);
    snprintf(path, sizeof path, DATA_DIR "/%s.expected", name);
    char *expected = read_file(path, &elen);
    assert_non_null(expected);
    double ms;
    char *got = validate_text(text, len, &ms);
    if (strcmp(got, expected) != 0) {
        fprintf(stderr, "case %s\n--- expected\n%s--- got\n%s", name, expected, got);
        fail();
    }
    if (ms > 50)
        fprintf(stderr, "case %s: %.1f ms\n", name, ms);
    free(got);
    free(expected);
    free(text);
}

/* ---- large generated documents ---------------------------------------- */

/* Appends `times` copies of pre, the copy's number if numbered, and post,
 * each followed by a space. */
static void repeat(gqlx_buf *b, int times, const char *pre, bool numbered, const char *post)
{
    for (int i = 0; i < times; i++) {
        gqlx_buf_append_cstr(b, pre);
        if (numbered)
            gqlx_buf_printf(b, "%d", i);
        gqlx_buf_append_cstr(b, post);
        gqlx_buf_putc(b, ' ');
    }
}

static char *stress(const char *label, gqlx_buf *b, bool expect_abort)
{
    double ms;
    char *got = validate_text(b->data, b->len, &ms);
    fprintf(stderr, "stress %-28s %8zu bytes %8.2f ms\n", label, b->len, ms);
    bool aborted = strstr(got, "Validation aborted.") != NULL;
    assert_int_equal(aborted, expect_abort);
    gqlx_buf_clear(b);
    return got;
}

static void test_stress(void **state)
{
    (void)state;
    gqlx_buf b;
    gqlx_buf_init(&b, 0);

    /* 50,000 identical fields: graphql-js gives up after its budget. */
    gqlx_buf_append_cstr(&b, "{ ");
    repeat(&b, 50000, "a", false, "");
    gqlx_buf_append_cstr(&b, "}");
    free(stress("identical_50000", &b, true));

    /* 20,000 spreads of one fragment. */
    gqlx_buf_append_cstr(&b, "{ dog { x: name ");
    repeat(&b, 20000, "...A", false, "");
    gqlx_buf_append_cstr(&b, "} } fragment A on Dog { x: name name }");
    free(stress("spread_20000", &b, false));

    /* 150 fragments that each spread all the others. */
    gqlx_buf_append_cstr(&b, "{ dog { ");
    repeat(&b, 150, "...F", true, "");
    gqlx_buf_append_cstr(&b, "} }\n");
    for (int i = 0; i < 150; i++) {
        gqlx_buf_printf(&b, "fragment F%d on Dog { x: name ", i);
        repeat(&b, 150, "...F", true, "");
        gqlx_buf_append_cstr(&b, "}\n");
    }
    free(stress("all_spread_all_150", &b, true));

    /* Overlaps 250 levels deep (the parser allows 256), three times. */
    gqlx_buf_append_cstr(&b, "{ ");
    for (int k = 0; k < 3; k++) {
        repeat(&b, 250, "deep {", false, "");
        gqlx_buf_append_cstr(&b, k == 1 ? "x: b " : "x: a ");
        repeat(&b, 250, "}", false, "");
    }
    gqlx_buf_append_cstr(&b, "}");
    free(stress("deep_250", &b, false));

    /* A fragment chain longer than the nesting limit of comparisons. */
    gqlx_buf_append_cstr(&b, "{ ...F0 ...G0 }\n");
    for (int i = 0; i < 3000; i++) {
        gqlx_buf_printf(&b, "fragment F%d on Query { deep { ...F%d } }\n", i, i + 1);
        gqlx_buf_printf(&b, "fragment G%d on Query { deep { ...G%d } }\n", i, i + 1);
    }
    free(stress("fragment_chain_3000", &b, true));

    /* Wide sets compared pairwise: 40 copies of 2,000 aliased fields. */
    gqlx_buf_append_cstr(&b, "{ ");
    for (int k = 0; k < 40; k++) {
        gqlx_buf_append_cstr(&b, "deep { ");
        repeat(&b, 2000, "f", true, ": a");
        gqlx_buf_append_cstr(&b, "} ");
    }
    gqlx_buf_append_cstr(&b, "}");
    free(stress("wide_40x2000", &b, true));

    /* Many distinct argument values, each field compared with the rest. */
    gqlx_buf_append_cstr(&b, "{ ");
    repeat(&b, 3000, "field(arg: {a: ", true, ", b: [\"x\", \"y\"], c: {a: 1}})");
    gqlx_buf_append_cstr(&b, "}");
    char *got = stress("distinct_args_3000", &b, true);
    free(got);

    gqlx_buf_free(&b);
}

/* ---- API edges and memory failures ------------------------------------ */

static bool count_reports(void *user, const char *message, const uint32_t *offsets, size_t count)
{
    (void)message;
    (void)offsets;
    (void)count;
    int *n = user;
    (*n)++;
    return false; /* stop at once */
}

static void test_api(void **state)
{
    (void)state;
    const char *text = "{ x: a x: b y: a y: b }";
    gqlx_arena arena;
    gqlx_arena_init(&arena, 0, 0);
    gqlx_source src = gqlx_source_make("t", text, strlen(text));
    gqlx_document *doc = gqlx_parse(&arena, &src, NULL, NULL);
    assert_non_null(doc);
    int n = 0;
    assert_null(gqlx_overlap_new(&arena, g_schema, NULL, count_reports, &n));
    assert_null(gqlx_overlap_new(&arena, g_schema, doc, NULL, &n));
    assert_false(gqlx_overlap_check(NULL, NULL, NULL));
    assert_false(gqlx_overlap_aborted(NULL));

    /* No schema at all: every type is unknown, names still conflict. */
    gqlx_overlap *o = gqlx_overlap_new(&arena, NULL, doc, count_reports, &n);
    assert_non_null(o);
    const gqlx_selection_set *set =
        GQLX_AS_CONST(gqlx_operation_def, doc->definitions.items[0])->selection_set;
    assert_true(gqlx_overlap_check(o, NULL, NULL));
    /* The report callback says stop after the first conflict. */
    assert_false(gqlx_overlap_check(o, set, NULL));
    assert_int_equal(n, 1);
    assert_false(gqlx_overlap_aborted(o));
    /* Later calls do nothing. */
    assert_false(gqlx_overlap_check(o, set, NULL));
    assert_int_equal(n, 1);
    gqlx_arena_free(&arena);
}

static bool ignore_report(void *user, const char *message, const uint32_t *offsets, size_t count)
{
    (void)user;
    (void)message;
    (void)offsets;
    (void)count;
    return true;
}

/* Checks a document with an arena capped at each size in turn: every
 * failure must be clean (NULL or false, and the arena's flag set). */
static void test_arena_failures(void **state)
{
    (void)state;
    const char *text = "{ dog { ...A ...B x: name(surname: true) x: name(surname: false) "
                       "owner { y: name } owner { y: iq } } }\n"
                       "fragment A on Dog { x: nickname ... on Dog { x: barks } owner { y: name } }\n"
                       "fragment B on Dog { x: name field(arg: {a: [1, 2], b: \"s\"}) }";
    gqlx_arena parse_arena;
    gqlx_arena_init(&parse_arena, 0, 0);
    gqlx_source src = gqlx_source_make("t", text, strlen(text));
    gqlx_document *doc = gqlx_parse(&parse_arena, &src, NULL, NULL);
    assert_non_null(doc);
    const gqlx_operation_def *op = GQLX_AS_CONST(gqlx_operation_def, doc->definitions.items[0]);
    const gqlx_field *dog = GQLX_AS_CONST(gqlx_field, op->selection_set->selections.items[0]);
    const gqlx_type *dog_type = named("Dog");
    bool succeeded = false;
    for (size_t cap = 1024; cap <= 256 * 1024 && !succeeded; cap += 512) {
        gqlx_arena a;
        gqlx_arena_init(&a, 1024, cap);
        gqlx_overlap *o = gqlx_overlap_new(&a, g_schema, doc, ignore_report, NULL);
        if (o == NULL) {
            assert_true(gqlx_arena_failed(&a));
        } else if (!gqlx_overlap_check(o, dog->selection_set, dog_type)) {
            assert_true(gqlx_arena_failed(&a));
            assert_false(gqlx_overlap_aborted(o));
        } else {
            succeeded = true;
        }
        gqlx_arena_free(&a);
    }
    assert_true(succeeded);
    gqlx_arena_free(&parse_arena);
}

/* ---- main ------------------------------------------------------------- */

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
    size_t len;
    char *sdl = read_file(DATA_DIR "/schema.graphqls", &len);
    if (sdl == NULL) {
        fprintf(stderr, "cannot read " DATA_DIR "/schema.graphqls (run from the source root)\n");
        return 1;
    }
    gqlx_build_opts bo;
    memset(&bo, 0, sizeof bo);
    gqlx_parse_opts_init(&bo.parse);
    if (gqlx_schema_build(&g_schema, sdl, len, "schema", &bo, NULL) != GQL_OK) {
        fprintf(stderr, "schema build failed\n");
        return 1;
    }
    free(sdl);

    /* One test per case file, in name order. */
    char **names = NULL;
    size_t n = 0, cap = 0;
    DIR *d = opendir(DATA_DIR);
    if (d == NULL)
        return 1;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name);
        if (l < 9 || strcmp(e->d_name + l - 8, ".graphql") != 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            names = realloc(names, cap * sizeof *names);
            if (names == NULL)
                return 1;
        }
        names[n] = strndup(e->d_name, l - 8);
        n++;
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_names);

    struct CMUnitTest *tests = calloc(n + 3, sizeof *tests);
    if (tests == NULL)
        return 1;
    for (size_t i = 0; i < n; i++) {
        tests[i].name = names[i];
        tests[i].test_func = test_case;
        tests[i].initial_state = names[i];
    }
    tests[n].name = "stress";
    tests[n].test_func = test_stress;
    tests[n + 1].name = "api";
    tests[n + 1].test_func = test_api;
    tests[n + 2].name = "arena_failures";
    tests[n + 2].test_func = test_arena_failures;
    int rc = _cmocka_run_group_tests("overlap", tests, n + 3, NULL, NULL);

    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    free(tests);
    gqlx_schema_free(g_schema);
    return rc;
}
