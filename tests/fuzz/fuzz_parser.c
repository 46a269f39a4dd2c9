/* tests/fuzz/fuzz_parser.c — libFuzzer target for the GraphQL lexer, parser
 * and printer (src/language/).
 *
 * For each input: parse it; a syntax error must come with a message and a
 * position inside the input. When it parses, print it, parse the printed
 * text again (it must parse: the printer only writes valid GraphQL), print
 * that, and require both printed texts to be byte-equal — the round-trip
 * invariant print(parse(print(parse(x)))) == print(parse(x)). Any violation
 * calls abort() so libFuzzer keeps the input.
 *
 * Limits are small (20,000 tokens, depth 64, a 64 MiB arena cap) so one input
 * cannot take long or exhaust memory; hitting a limit or the cap is a normal
 * rejection, not a finding. Also linked with tests/fuzz/replay_main.c to
 * replay tests/fuzz/corpus/parser/ in ordinary test runs. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "language/parser.h"
#include "language/printer.h"
#include "language/source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum {
    FUZZ_MAX_TOKENS = 20000,
    FUZZ_MAX_DEPTH = 64,
};
#define FUZZ_ARENA_CAP ((size_t)64 * 1024 * 1024)
#define FUZZ_PRINT_CAP ((size_t)64 * 1024 * 1024)

static void fail(const char *what, const char *text, size_t len)
{
    fprintf(stderr, "fuzz_parser: %s\n", what);
    if (text != NULL) {
        fprintf(stderr, "--- text (%zu bytes) ---\n", len);
        fwrite(text, 1, len, stderr);
        fprintf(stderr, "\n--- end ---\n");
    }
    abort();
}

/* Parses text; on success prints it into out and returns true. A failure
 * that is not a plain rejection (a missing message, a position outside the
 * text) aborts. */
static bool parse_and_print(gqlx_arena *arena, gqlx_arena *scratch, const char *text,
                            size_t len, const gqlx_parse_opts *opts, gqlx_buf *out,
                            bool *limited)
{
    gqlx_source src = gqlx_source_make("fuzz", text, len);
    gqlx_syntax_error err;
    memset(&err, 0, sizeof err);
    *limited = false;
    gqlx_document *doc = gqlx_parse(arena, &src, opts, &err);
    if (doc == NULL) {
        if (err.out_of_memory || gqlx_arena_failed(arena)) {
            *limited = true;
            return false;
        }
        if (err.message == NULL)
            fail("parse failed without an error message", text, len);
        if (strncmp(err.message, "Syntax Error: ", 14) != 0)
            fail("error message does not start with \"Syntax Error: \"", err.message,
                 strlen(err.message));
        if (err.offset > len)
            fail("error offset beyond the end of the input", text, len);
        if (err.loc.line < 1 || err.loc.column < 1)
            fail("error line or column below 1", text, len);
        /* "... Parsing aborted." (token, depth and size limits) is a normal
         * rejection of the input; *limited stays false so that the same
         * rejection of printed text, which has as many tokens and as deep a
         * nesting as its source, is a finding. */
        return false;
    }
    gqlx_print(out, &doc->base, scratch);
    if (out->failed || gqlx_arena_failed(scratch)) {
        *limited = true;
        return false;
    }
    return true;
}

/* True when printed text has an anonymous shorthand query ("{ ... }")
 * right after a definition that ended without a body ("interface I"):
 * printed back to back they read as one definition with that body (or
 * fail to parse), in graphql-js as here, so the round trip cannot hold
 * for such documents. */
static bool shorthand_after_bodiless(const char *printed, size_t len)
{
    for (size_t i = 1; i + 2 < len; i++)
        if (printed[i] == '\n' && printed[i + 1] == '\n' && printed[i + 2] == '{' &&
            printed[i - 1] != '}')
            return true;
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gqlx_parse_opts opts;
    gqlx_parse_opts_init(&opts);
    opts.max_tokens = FUZZ_MAX_TOKENS;
    opts.max_depth = FUZZ_MAX_DEPTH;
    opts.allow_empty_selection_sets = size > 0 && (data[0] & 1) != 0;

    gqlx_arena arena, scratch;
    gqlx_arena_init(&arena, 0, FUZZ_ARENA_CAP);
    gqlx_arena_init(&scratch, 0, FUZZ_ARENA_CAP);
    gqlx_buf first, second;
    gqlx_buf_init(&first, FUZZ_PRINT_CAP);
    gqlx_buf_init(&second, FUZZ_PRINT_CAP);

    bool limited;
    if (parse_and_print(&arena, &scratch, (const char *)data, size, &opts, &first, &limited)) {
        const char *printed = first.data != NULL ? first.data : "";
        gqlx_arena_reset(&arena);
        gqlx_arena_reset(&scratch);
        /* The printed text has the same tokens and nesting as the input, so
         * the same limits must let it through; only memory may run out. */
        if (!parse_and_print(&arena, &scratch, printed, first.len, &opts, &second, &limited)) {
            if (!limited && !shorthand_after_bodiless(printed, first.len))
                fail("printed text does not parse again", printed, first.len);
        } else if ((second.len != first.len ||
                    memcmp(second.data != NULL ? second.data : "", printed, first.len) != 0) &&
                   !shorthand_after_bodiless(printed, first.len)) {
            fprintf(stderr, "--- first print ---\n");
            fwrite(printed, 1, first.len, stderr);
            fail("print(parse(print(parse(x)))) differs from print(parse(x))",
                 second.data, second.len);
        }
    }

    gqlx_buf_free(&first);
    gqlx_buf_free(&second);
    gqlx_arena_free(&arena);
    gqlx_arena_free(&scratch);
    return 0;
}
