/* tests/fuzz/fuzz_schema.c — libFuzzer target for building schemas from SDL
 * (src/types/): parsing, SDL validation, the model build with every
 * extension, schema validation and printSchema.
 *
 * For each input: build a schema, both validating and with assume-valid.
 * Each build must end in a schema or in a clean error list whose every
 * error has a message and locations inside the text; a built schema must
 * print, and its printed SDL must build again (printSchema only writes
 * valid SDL of the same schema). Violations abort() so libFuzzer keeps the
 * input. Limits keep one input cheap: 20,000 tokens, depth 64, a 64 MiB
 * schema arena. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gql/gql.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, const uint8_t *data, size_t size)
{
    fprintf(stderr, "fuzz_schema: %s\n--- input (%zu bytes) ---\n", what, size);
    fwrite(data, 1, size, stderr);
    fprintf(stderr, "\n--- end ---\n");
    abort();
}

/* Every error has a message and its locations lie inside the text. */
static void check_errors(const gql_errors *errs, const uint8_t *data, size_t size)
{
    size_t n = gql_errors_count(errs);
    if (n == 0)
        fail("failure without errors", data, size);
    for (size_t i = 0; i < n; i++) {
        const char *msg = gql_errors_message(errs, i);
        if (msg == NULL || msg[0] == '\0')
            fail("error without a message", data, size);
        const gql_location *locs;
        size_t count = gql_errors_locations(errs, i, &locs);
        for (size_t j = 0; j < count; j++)
            if (locs[j].line == 0 || locs[j].line > size + 1 || locs[j].column == 0)
                fail("error location outside the text", data, size);
    }
}

static void build(const uint8_t *data, size_t size, int assume_valid)
{
    gql_schema_opts opts;
    gql_schema_opts_init(&opts);
    opts.assume_valid = assume_valid;
    opts.max_tokens = 20000;
    opts.max_bytes = (size_t)64 * 1024 * 1024;
    gql_schema *schema;
    gql_errors *errs;
    int rc = gql_schema_build(&schema, (const char *)data, size, &opts, &errs);
    if (rc != GQL_OK) {
        if (rc == GQL_ESYNTAX || rc == GQL_ESCHEMA)
            check_errors(errs, data, size);
        gql_errors_free(errs);
        return;
    }
    char *text;
    size_t len;
    if (gql_schema_print(schema, &text, &len) != GQL_OK)
        fail("a built schema does not print", data, size);
    gql_schema_free(schema);
    if (!assume_valid) {
        /* A valid schema's printed SDL is a valid schema too. */
        gql_schema *again;
        gql_errors *errs2;
        rc = gql_schema_build(&again, text, len, &opts, &errs2);
        if (rc != GQL_OK && rc != GQL_ENOMEM) {
            fprintf(stderr, "printed:\n%s\n", text);
            if (errs2 != NULL)
                fprintf(stderr, "first error: %s\n", gql_errors_message(errs2, 0));
            fail("printed SDL of a valid schema does not build", data, size);
        }
        gql_schema_free(again);
        gql_errors_free(errs2);
    }
    gql_free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    build(data, size, 0);
    build(data, size, 1);
    return 0;
}
