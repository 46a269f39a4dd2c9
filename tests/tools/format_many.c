/* tests/tools/format_many.c — parse and print many GraphQL documents in one
 * process, for the differential tests (tests/diff/language.test.mjs).
 *
 * Spawning `gqld format` once per document is too slow for thousands of
 * generated cases, so this tool reads a stream of documents from stdin and
 * writes one framed result per document to stdout, in order.
 *
 * Input, repeated until end of file:
 *     <decimal byte length>\n<that many bytes of document text>
 * Output, one frame per input document:
 *     OK <len>\n<len bytes: the printed document, without a final newline>
 *     ERR <line> <column> <len>\n<len bytes: the message, "Syntax Error: ...">
 *     FAIL <len>\n<len bytes: why nothing could be printed (memory, limits)>
 * The parser runs with the default limits of core/limits.h and rejects empty
 * selection sets `{}` unless --allow-empty-selection-sets is given.
 *
 * Usage: format_many [--allow-empty-selection-sets] < frames > results
 * Exit status: 0 when the whole input was read, 2 on malformed framing. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "language/parser.h"
#include "language/printer.h"
#include "language/source.h"

/* Reads one frame header "<len>\n". Returns 1 on success, 0 at a clean end
 * of input, -1 on malformed input. */
static int read_header(FILE *in, size_t *len)
{
    int c = fgetc(in);
    if (c == EOF)
        return 0;
    size_t n = 0;
    int digits = 0;
    while (c >= '0' && c <= '9') {
        if (n > (size_t)1 << 40)
            return -1;
        n = n * 10 + (size_t)(c - '0');
        digits++;
        c = fgetc(in);
    }
    if (digits == 0 || c != '\n')
        return -1;
    *len = n;
    return 1;
}

static void write_frame(FILE *out, const char *head, const char *body, size_t len)
{
    fprintf(out, "%s %zu\n", head, len);
    fwrite(body, 1, len, out);
}

int main(int argc, char **argv)
{
    gqlx_parse_opts opts;
    gqlx_parse_opts_init(&opts);
    opts.allow_empty_selection_sets = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--allow-empty-selection-sets") == 0) {
            opts.allow_empty_selection_sets = true;
        } else {
            fprintf(stderr, "usage: %s [--allow-empty-selection-sets] < frames\n", argv[0]);
            return 2;
        }
    }

    gqlx_arena arena, scratch;
    gqlx_arena_init(&arena, 0, 0);
    gqlx_arena_init(&scratch, 0, 0);
    gqlx_buf out;
    gqlx_buf_init(&out, 0);
    char *text = NULL;
    size_t text_cap = 0;
    int status = 0;

    for (;;) {
        size_t len;
        int h = read_header(stdin, &len);
        if (h == 0)
            break;
        if (h < 0) {
            fprintf(stderr, "format_many: malformed frame header\n");
            status = 2;
            break;
        }
        if (len + 1 > text_cap) {
            char *grown = realloc(text, len + 1);
            if (grown == NULL) {
                fprintf(stderr, "format_many: out of memory\n");
                status = 2;
                break;
            }
            text = grown;
            text_cap = len + 1;
        }
        if (len > 0 && fread(text, 1, len, stdin) != len) {
            fprintf(stderr, "format_many: truncated document\n");
            status = 2;
            break;
        }
        text[len] = '\0';

        gqlx_source src = gqlx_source_make("GraphQL request", text, len);
        gqlx_syntax_error err;
        memset(&err, 0, sizeof err);
        gqlx_document *doc = gqlx_parse(&arena, &src, &opts, &err);
        if (doc == NULL) {
            if (err.message != NULL && !err.out_of_memory) {
                char head[64];
                snprintf(head, sizeof head, "ERR %u %u", (unsigned)err.loc.line,
                         (unsigned)err.loc.column);
                write_frame(stdout, head, err.message, strlen(err.message));
            } else {
                const char *why = err.out_of_memory ? "out of memory" : "parse failed without a message";
                write_frame(stdout, "FAIL", why, strlen(why));
            }
        } else {
            gqlx_buf_clear(&out);
            gqlx_print(&out, &doc->base, &scratch);
            if (out.failed || gqlx_arena_failed(&scratch)) {
                const char *why = "printer failed";
                write_frame(stdout, "FAIL", why, strlen(why));
            } else {
                write_frame(stdout, "OK", out.data != NULL ? out.data : "", out.len);
            }
        }
        gqlx_arena_reset(&arena);
        gqlx_arena_reset(&scratch);
    }

    fflush(stdout);
    free(text);
    gqlx_buf_free(&out);
    gqlx_arena_free(&arena);
    gqlx_arena_free(&scratch);
    return status;
}
