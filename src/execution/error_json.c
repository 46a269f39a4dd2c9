/* src/execution/error_json.c — GraphQL errors as JSON text. */
#include "execution/error_json.h"

#include "core/json.h"

void gqlx_error_json_begin(gqlx_buf *b, const char *message, size_t len)
{
    gqlx_buf_append(b, "{\"message\":", 11);
    gqlx_json_write_string(b, message, len);
}

void gqlx_error_json_locations(gqlx_buf *b, const gql_location *locs, size_t n)
{
    if (n == 0)
        return;
    gqlx_buf_append(b, ",\"locations\":[", 14);
    for (size_t i = 0; i < n; i++) {
        gqlx_buf_append(b, i ? ",{\"line\":" : "{\"line\":", i ? 9 : 8);
        gqlx_json_write_int(b, locs[i].line);
        gqlx_buf_append(b, ",\"column\":", 10);
        gqlx_json_write_int(b, locs[i].column);
        gqlx_buf_putc(b, '}');
    }
    gqlx_buf_putc(b, ']');
}

void gqlx_error_json(gqlx_buf *b, const char *message, size_t len, const gql_location *locs,
                     size_t n)
{
    gqlx_error_json_begin(b, message, len);
    gqlx_error_json_locations(b, locs, n);
    gqlx_buf_putc(b, '}');
}
