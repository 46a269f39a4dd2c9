/* src/language/block_string.c — GraphQL """block string""" output.
 *
 * gqlx_print_block_string() lays a value out as graphql-js's
 * printBlockString() does and gqlx_printable_as_block_string() answers
 * graphql-js's isPrintableAsBlockString(). Values are UTF-8; where
 * graphql-js measures a length it counts UTF-16 code units, and so do we. */
#include "language/printer.h"

#include "core/utf8.h"

static bool is_blank(unsigned char c)
{
    return c == ' ' || c == '\t';
}

void gqlx_print_block_string(gqlx_buf *out, const char *value, size_t len, bool minimize)
{
    const unsigned char *s = (const unsigned char *)value;

    /* Lines are split at \r\n, \n and \r. A leading newline is forced when
     * every line after the first is empty or starts with a blank, because
     * the reader would otherwise take that indentation as common and strip
     * it. */
    bool single_line = true;
    bool rest_indented = true;
    for (size_t i = 0; i < len; i++) {
        if (s[i] != '\n' && s[i] != '\r')
            continue;
        single_line = false;
        if (s[i] == '\r' && i + 1 < len && s[i + 1] == '\n')
            i++;
        if (i + 1 < len && !is_blank(s[i + 1]) && s[i + 1] != '\n' && s[i + 1] != '\r')
            rest_indented = false;
    }
    bool force_leading = !single_line && rest_indented;

    /* Every """ is escaped, left to right without overlap; so a final run
     * of k quotes ends in an escaped triple exactly when k is a positive
     * multiple of three. */
    size_t trailing_quotes = 0;
    while (trailing_quotes < len && s[len - 1 - trailing_quotes] == '"')
        trailing_quotes++;
    bool trailing_triple = trailing_quotes >= 3 && trailing_quotes % 3 == 0;
    /* A final lone quote or backslash would merge with the closing """. */
    bool force_trailing =
        (trailing_quotes > 0 && !trailing_triple) || (len > 0 && s[len - 1] == '\\');

    bool multiple_lines = !minimize && (!single_line || force_trailing || force_leading ||
                                        trailing_triple || gqlx_utf16_length(value, len) > 70);
    bool skip_leading = single_line && len > 0 && is_blank(s[0]);

    gqlx_buf_append(out, "\"\"\"", 3);
    if ((multiple_lines && !skip_leading) || force_leading)
        gqlx_buf_putc(out, '\n');
    size_t run = 0;
    for (size_t i = 0; i + 3 <= len;) {
        if (s[i] == '"' && s[i + 1] == '"' && s[i + 2] == '"') {
            gqlx_buf_append(out, value + run, i - run);
            gqlx_buf_putc(out, '\\');
            run = i;
            i += 3;
        } else {
            i++;
        }
    }
    gqlx_buf_append(out, value + run, len - run);
    if (multiple_lines || force_trailing)
        gqlx_buf_putc(out, '\n');
    gqlx_buf_append(out, "\"\"\"", 3);
}

bool gqlx_printable_as_block_string(const char *value, size_t len)
{
    const unsigned char *s = (const unsigned char *)value;
    bool empty_line = true;    /* nothing but blanks so far on this line */
    bool has_indent = false;   /* this line began with a blank */
    bool common_indent = true; /* every content line so far began with one */
    bool seen_newline = false;

    if (len == 0)
        return true;
    for (size_t i = 0; i < len; i++) {
        switch (s[i]) {
        /* Controls a block string cannot hold (it has no escapes), and \r,
         * which the reader would turn into \n. U+0010..U+001F are accepted,
         * as graphql-js does. */
        case 0x00:
        case 0x01:
        case 0x02:
        case 0x03:
        case 0x04:
        case 0x05:
        case 0x06:
        case 0x07:
        case 0x08:
        case 0x0B:
        case 0x0C:
        case 0x0D:
        case 0x0E:
        case 0x0F:
            return false;
        case '\n':
            /* A leading empty line would be stripped by the reader. */
            if (empty_line && !seen_newline)
                return false;
            seen_newline = true;
            empty_line = true;
            has_indent = false;
            break;
        case '\t':
        case ' ':
            has_indent = has_indent || empty_line;
            break;
        default:
            common_indent = common_indent && has_indent;
            empty_line = false;
            break;
        }
    }
    /* A trailing empty line would be stripped; an indentation shared by
     * every line after a newline would be removed. */
    if (empty_line)
        return false;
    if (common_indent && seen_newline)
        return false;
    return true;
}
