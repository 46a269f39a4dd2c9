/* tests/fuzz/fuzz_json.c — libFuzzer target for the JSON reader and writer.
 *
 * Invariants checked on every input: the reader never crashes; if it accepts
 * the input, the writer's output is valid UTF-8, the reader accepts that
 * output too, and writing it again gives the same bytes (serialization is a
 * fixed point after one round). Also checks the string writer on the raw
 * input, which is arbitrary bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/utf8.h"
#include "gql/status.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    gqlx_arena arena;
    gqlx_arena_init(&arena, 4096, 64u << 20);
    gqlx_buf one, two;
    gqlx_buf_init(&one, 0);
    gqlx_buf_init(&two, 0);

    gqlx_json_write_string(&one, text, size);
    if (one.failed || !gqlx_utf8_valid(one.data, one.len, NULL))
        abort();
    gqlx_buf_clear(&one);

    gqlx_json *v;
    gqlx_json_error err;
    int rc = gqlx_json_parse(&arena, text, size, NULL, &v, &err);
    if (rc == GQL_OK) {
        if (gqlx_json_write_value(&one, v, 0) != GQL_OK)
            abort();
        if (!gqlx_utf8_valid(one.data, one.len, NULL))
            abort();
        gqlx_json *again;
        if (gqlx_json_parse(&arena, one.data, one.len, NULL, &again, &err) != GQL_OK)
            abort();
        if (gqlx_json_write_value(&two, again, 0) != GQL_OK)
            abort();
        if (one.len != two.len || memcmp(one.data, two.data, one.len) != 0)
            abort();
        /* Original number texts are valid JSON as well. */
        gqlx_buf_clear(&two);
        if (gqlx_json_write_value(&two, v, GQLX_JSON_WRITE_NUMBER_TEXT) != GQL_OK)
            abort();
        if (gqlx_json_parse(&arena, two.data, two.len, NULL, &again, &err) != GQL_OK)
            abort();
    } else if (rc != GQL_ENOMEM) {
        if (err.offset > size || err.line == 0 || err.column == 0 || err.message[0] == '\0')
            abort();
    }
    gqlx_buf_free(&one);
    gqlx_buf_free(&two);
    gqlx_arena_free(&arena);
    return 0;
}
