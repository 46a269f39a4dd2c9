/* tests/tools/json_roundtrip.c — drives the JSON reader and writer from the
 * command line for the differential tests in tests/diff/json.test.mjs.
 *
 *   json_roundtrip            read JSON on stdin, print it re-serialized
 *                             compactly (numbers as JSON.stringify would), or
 *                             print "ERROR <offset> <message>" and exit 1
 *   json_roundtrip --string   print stdin's raw bytes as one JSON string
 *                             literal (tests escaping and U+FFFD repair)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/json.h"
#include "gql/status.h"
#include "gqld/commands.h" /* gqld_read_file */

int main(int argc, char **argv)
{
    size_t len;
    char *text = gqld_read_file("-", &len);
    if (text == NULL) {
        fputs("ERROR 0 cannot read stdin\n", stdout);
        return 2;
    }
    gqlx_buf out;
    gqlx_buf_init(&out, 0);
    int status = 0;
    if (argc > 1 && strcmp(argv[1], "--string") == 0) {
        gqlx_json_write_string(&out, text, len);
    } else {
        gqlx_arena arena;
        gqlx_arena_init(&arena, 0, 0);
        gqlx_json_opts opts;
        gqlx_json_opts_init(&opts);
        gqlx_json *v;
        gqlx_json_error err;
        int rc = gqlx_json_parse(&arena, text, len, &opts, &v, &err);
        if (rc == GQL_OK)
            rc = gqlx_json_write_value(&out, v, 0);
        else {
            printf("ERROR %zu %s\n", err.offset, err.message);
            status = 1;
        }
        gqlx_arena_free(&arena);
    }
    if (status == 0) {
        if (out.failed) {
            fputs("ERROR 0 out of memory\n", stdout);
            status = 2;
        } else {
            fwrite(out.data, 1, out.len, stdout);
        }
    }
    gqlx_buf_free(&out);
    free(text);
    return status;
}
