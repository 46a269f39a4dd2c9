/* tests/unit/validation/test_rules.c — every validation rule, data-driven.
 *
 * Each directory tests/data/validation/<rule>/ holds case files: a GraphQL
 * document preceded by comment lines giving the errors graphql-js 17.1.0's
 * validate() reports for it, in order:
 *     # expect: 0                      (a valid document), or
 *     # error LINE:COL[,LINE:COL...]: message   (one line per error;
 *                                       "-" when it has no location)
 * The document is validated against tests/data/validation/schema.graphql,
 * or <rule>/schema.graphql when that exists, with all specified rules (as
 * graphql-js does), and the errors must match exactly. Each rule needs at
 * least five invalid_*.graphql and three valid_*.graphql cases. (The diff
 * test tests/diff/validation.test.mjs re-checks the files against
 * graphql-js itself.)
 *
 * A few table-driven tests cover the options: the error limit, disabled
 * introspection, a rule subset, a custom rule, and running out of memory. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/errors.h"
#include "language/parser.h"
#include "types/build_schema.h"
#include "validation/rule.h"
#include "validation/validate.h"

#define DATA_DIR "tests/data/validation"

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    gqlx_buf b;
    gqlx_buf_init(&b, 0);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        gqlx_buf_append(&b, chunk, n);
    fclose(f);
    gqlx_buf_reserve(&b, 1);
    return gqlx_buf_detach(&b, len);
}

static gqlx_schema *load_schema(const char *path)
{
    size_t len;
    char *sdl = read_all(path, &len);
    assert_non_null(sdl);
    gqlx_schema *s = NULL;
    gql_errors *errs = gqlx_errors_new();
    gqlx_build_opts opts;
    memset(&opts, 0, sizeof opts);
    gqlx_parse_opts_init(&opts.parse);
    int rc = gqlx_schema_build(&s, sdl, len, path, &opts, errs);
    if (rc != GQL_OK && errs != NULL)
        for (size_t i = 0; i < errs->count; i++)
            fprintf(stderr, "%s: %s\n", path, errs->items[i].message);
    gql_errors_free(errs);
    free(sdl);
    assert_int_equal(rc, GQL_OK);
    return s;
}

/* The errors as the header format writes them, one per line. */
static void format_errors(gqlx_buf *out, const gql_errors *errs)
{
    for (size_t i = 0; i < errs->count; i++) {
        const gqlx_error *e = &errs->items[i];
        gqlx_buf_append_cstr(out, "# error ");
        if (e->location_count == 0)
            gqlx_buf_append_cstr(out, "-");
        for (size_t j = 0; j < e->location_count; j++)
            gqlx_buf_printf(out, "%s%u:%u", j ? "," : "", e->locations[j].line,
                            e->locations[j].column);
        gqlx_buf_printf(out, ": %s\n", e->message);
    }
}

/* The expected header lines of a case file ("# expect: 0" gives none). */
static void expected_errors(gqlx_buf *out, const char *text)
{
    const char *p = text;
    while (strncmp(p, "# ", 2) == 0) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) + 1 : strlen(p);
        if (strncmp(p, "# error ", 8) == 0)
            gqlx_buf_append(out, p, n);
        p += n;
    }
}

/* Validates one case file; returns false (after printing both lists) when
 * the errors differ. */
static bool run_case(const gqlx_schema *schema, const char *path)
{
    size_t len;
    char *text = read_all(path, &len);
    assert_non_null(text);
    gqlx_arena arena;
    gqlx_arena_init(&arena, 0, 0);
    gqlx_source src = gqlx_source_make(path, text, len);
    gqlx_syntax_error serr;
    gqlx_document *doc = gqlx_parse(&arena, &src, NULL, &serr);
    if (doc == NULL) {
        fprintf(stderr, "%s: %s\n", path, serr.message ? serr.message : "parse failed");
        gqlx_arena_free(&arena);
        free(text);
        return false;
    }
    gql_errors *errs = gqlx_errors_new();
    assert_non_null(errs);
    size_t n = gqlx_validate(schema, doc, &src, NULL, &arena, errs);
    assert_int_equal(n, errs->count);
    assert_false(gqlx_arena_failed(&arena));
    gqlx_buf got, want;
    gqlx_buf_init(&got, 0);
    gqlx_buf_init(&want, 0);
    format_errors(&got, errs);
    expected_errors(&want, text);
    bool same = got.len == want.len && (got.len == 0 || memcmp(got.data, want.data, got.len) == 0);
    if (!same)
        fprintf(stderr, "%s:\n--- expected\n%s--- got\n%s", path, want.data ? want.data : "",
                got.data ? got.data : "");
    gqlx_buf_free(&got);
    gqlx_buf_free(&want);
    gql_errors_free(errs);
    gqlx_arena_free(&arena);
    free(text);
    return same;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void test_case_files(void **state)
{
    (void)state;
    gqlx_schema *shared = load_schema(DATA_DIR "/schema.graphql");
    DIR *top = opendir(DATA_DIR);
    assert_non_null(top);
    struct dirent *de;
    size_t rules = 0, failures = 0, total = 0;
    while ((de = readdir(top)) != NULL) {
        if (de->d_name[0] == '.' || strchr(de->d_name, '.') != NULL)
            continue;
        char dir[512];
        snprintf(dir, sizeof dir, "%s/%s", DATA_DIR, de->d_name);
        DIR *d = opendir(dir);
        if (d == NULL)
            continue;
        rules++;
        char own[600];
        snprintf(own, sizeof own, "%s/schema.graphql", dir);
        FILE *probe = fopen(own, "rb");
        gqlx_schema *schema = shared;
        if (probe != NULL) {
            fclose(probe);
            schema = load_schema(own);
        }
        char *names[256];
        size_t count = 0, valid = 0, invalid = 0;
        struct dirent *ce;
        while ((ce = readdir(d)) != NULL && count < 256) {
            size_t l = strlen(ce->d_name);
            if (l < 9 || strcmp(ce->d_name + l - 8, ".graphql") != 0 ||
                strcmp(ce->d_name, "schema.graphql") == 0)
                continue;
            names[count++] = strdup(ce->d_name);
            valid += strncmp(ce->d_name, "valid_", 6) == 0;
            invalid += strncmp(ce->d_name, "invalid_", 8) == 0;
        }
        closedir(d);
        qsort(names, count, sizeof names[0], cmp_str);
        for (size_t i = 0; i < count; i++) {
            char path[1024];
            snprintf(path, sizeof path, "%s/%s", dir, names[i]);
            total++;
            failures += !run_case(schema, path);
            free(names[i]);
        }
        if (valid < 3 || invalid < 5) {
            fprintf(stderr, "%s: %zu valid and %zu invalid cases (need 3 and 5)\n", dir, valid,
                    invalid);
            failures++;
        }
        if (schema != shared)
            gqlx_schema_free(schema);
    }
    closedir(top);
    gqlx_schema_free(shared);
    fprintf(stderr, "validation cases: %zu rules, %zu files, %zu failures\n", rules, total,
            failures);
    assert_true(rules >= 30);
    assert_int_equal(failures, 0);
}

/* Validates text with opts; returns the error list (caller frees). */
static gql_errors *validate_text(const gqlx_schema *s, const char *text,
                                 const gqlx_validate_opts *opts, size_t arena_cap)
{
    gqlx_arena parse_arena, scratch;
    gqlx_arena_init(&parse_arena, 0, 0);
    gqlx_arena_init(&scratch, 0, arena_cap);
    gqlx_source src = gqlx_source_make("t", text, strlen(text));
    gqlx_document *doc = gqlx_parse(&parse_arena, &src, NULL, NULL);
    assert_non_null(doc);
    gql_errors *errs = gqlx_errors_new();
    size_t n = gqlx_validate(s, doc, &src, opts, &scratch, errs);
    if (arena_cap == 0)
        assert_int_equal(n, errs->count);
    gqlx_arena_free(&scratch);
    gqlx_arena_free(&parse_arena);
    return errs;
}

static void test_error_limit(void **state)
{
    (void)state;
    gqlx_schema *s = load_schema(DATA_DIR "/schema.graphql");
    gqlx_buf doc;
    gqlx_buf_init(&doc, 0);
    gqlx_buf_append_cstr(&doc, "{ dog {");
    for (int i = 0; i < 150; i++)
        gqlx_buf_printf(&doc, " f%d", i);
    gqlx_buf_append_cstr(&doc, " } }");
    gql_errors *errs = validate_text(s, doc.data, NULL, 0);
    assert_int_equal(errs->count, 101);
    assert_string_equal(errs->items[100].message,
                        "Too many validation errors, error limit reached. Validation aborted.");
    assert_int_equal(errs->items[100].location_count, 0);
    assert_string_equal(errs->items[99].message, "Cannot query field \"f99\" on type \"Dog\".");
    gql_errors_free(errs);

    gqlx_validate_opts o;
    gqlx_validate_opts_init(&o);
    o.max_errors = 3;
    errs = validate_text(s, doc.data, &o, 0);
    assert_int_equal(errs->count, 4);
    gql_errors_free(errs);
    /* Exactly max_errors errors: no final error. */
    errs = validate_text(s, "{ dog { a b c } }", &o, 0);
    assert_int_equal(errs->count, 3);
    gql_errors_free(errs);
    gqlx_buf_free(&doc);
    gqlx_schema_free(s);
}

static void test_disable_introspection(void **state)
{
    (void)state;
    gqlx_schema *s = load_schema(DATA_DIR "/schema.graphql");
    gqlx_validate_opts o;
    gqlx_validate_opts_init(&o);
    o.disable_introspection = true;
    gql_errors *errs = validate_text(s, "{ __schema { queryType { name } } dog { __typename } }",
                                     &o, 0);
    assert_int_equal(errs->count, 2);
    assert_string_equal(errs->items[0].message,
                        "GraphQL introspection has been disabled, but the requested query "
                        "contained the field \"__schema\".");
    assert_string_equal(errs->items[1].message,
                        "GraphQL introspection has been disabled, but the requested query "
                        "contained the field \"queryType\".");
    gql_errors_free(errs);
    gqlx_schema_free(s);
}

static void test_rule_subset(void **state)
{
    (void)state;
    gqlx_schema *s = load_schema(DATA_DIR "/schema.graphql");
    gqlx_validate_opts o;
    gqlx_validate_opts_init(&o);
    o.rules = GQLX_RULE_BIT(NO_UNUSED_FRAGMENTS);
    gql_errors *errs = validate_text(s, "{ dog { nope } }\nfragment F on Dog { name }", &o, 0);
    assert_int_equal(errs->count, 1);
    assert_string_equal(errs->items[0].message, "Fragment \"F\" is never used.");
    gql_errors_free(errs);
    gqlx_schema_free(s);
}

/* A custom rule: no field may be called "secret". */
static int enter_secret(gqlx_vctx *ctx, const gqlx_node *node, void *state)
{
    int *seen = state;
    (*seen)++;
    if (gqlx_slice_eq_cstr(GQLX_AS_CONST(gqlx_field, node)->name, "nickname")) {
        gqlx_buf_printf(gqlx_vctx_msg(ctx), "No nicknames (field %d).", *seen);
        gqlx_vctx_report1(ctx, node->start);
    }
    return GQLX_VISIT_CONTINUE;
}

static const gqlx_rule no_nicknames = {
    .name = "NoNicknames",
    .state_size = sizeof(int),
    .enter = {[GQLX_KIND_FIELD] = enter_secret},
};

static void test_custom_rule(void **state)
{
    (void)state;
    gqlx_schema *s = load_schema(DATA_DIR "/schema.graphql");
    const gqlx_rule *custom[] = {&no_nicknames};
    gqlx_validate_opts o;
    gqlx_validate_opts_init(&o);
    o.custom_rules = custom;
    o.custom_rule_count = 1;
    gql_errors *errs = validate_text(s, "{ dog { name nickname } }", &o, 0);
    assert_int_equal(errs->count, 1);
    assert_string_equal(errs->items[0].message, "No nicknames (field 3).");
    assert_int_equal(errs->items[0].locations[0].column, 14);
    gql_errors_free(errs);
    gqlx_schema_free(s);
}

/* A capped scratch arena must end cleanly at every cap. */
static void test_out_of_memory(void **state)
{
    (void)state;
    gqlx_schema *s = load_schema(DATA_DIR "/schema.graphql");
    const char *text = "query Q($a: Int) { dog { ...F nope(x: $b) } catOrDog { name } }\n"
                       "fragment F on Dog { name(surname: \"x\") ...F }";
    for (size_t cap = 1024; cap < 256 * 1024; cap += 4096) {
        gql_errors *errs = validate_text(s, text, NULL, cap);
        gql_errors_free(errs);
    }
    gqlx_schema_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_case_files),   cmocka_unit_test(test_error_limit),
        cmocka_unit_test(test_disable_introspection), cmocka_unit_test(test_rule_subset),
        cmocka_unit_test(test_custom_rule),  cmocka_unit_test(test_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
