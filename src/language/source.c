/* src/language/source.c — byte offsets to graphql-js line/column pairs. */
#include "language/source.h"

#include "core/utf8.h"

gqlx_location gqlx_source_location(const gqlx_source *src, size_t offset)
{
    const char *p = src->body;
    if (offset > src->len)
        offset = src->len;
    uint32_t line = 1;
    size_t line_start = 0;
    for (size_t i = 0; i < offset; i++) {
        if (p[i] == '\n') {
            line++;
            line_start = i + 1;
        } else if (p[i] == '\r') {
            /* "\r\n" is one line break; the break ends after the "\n". When
             * the offset points at the "\n" itself, graphql-js still counts
             * the whole "\r\n" as before it. */
            if (i + 1 < src->len && p[i + 1] == '\n')
                i++;
            line++;
            line_start = i + 1;
        }
    }
    if (line_start > offset) /* offset pointed at the "\n" of "\r\n" */
        return (gqlx_location){line, 0};
    size_t units = gqlx_utf16_length(p + line_start, offset - line_start);
    return (gqlx_location){line, (uint32_t)units + 1};
}
