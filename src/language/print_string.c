/* src/language/print_string.c — GraphQL "double-quoted" string output.
 *
 * Produces the same bytes as graphql-js's printString(): the value goes
 * between double quotes with '"' and '\' backslash-escaped, the C0 controls
 * written as \b \t \n \f \r or \u00XX, and DEL plus the C1 controls
 * (U+007F..U+009F) as \u00XX with upper-case hex. Everything else, other
 * non-ASCII text included, is copied unchanged. */
#include "language/printer.h"

#include <stdint.h>

/* The escape for one code point below U+00A0, or NULL when it is copied. */
static const char *escape_for(uint32_t cp, char tmp[7])
{
    static const char hex[] = "0123456789ABCDEF";
    switch (cp) {
    case '"':
        return "\\\"";
    case '\\':
        return "\\\\";
    case '\b':
        return "\\b";
    case '\t':
        return "\\t";
    case '\n':
        return "\\n";
    case '\f':
        return "\\f";
    case '\r':
        return "\\r";
    default:
        break;
    }
    if (cp >= 0x20 && (cp < 0x7F || cp > 0x9F))
        return NULL;
    tmp[0] = '\\';
    tmp[1] = 'u';
    tmp[2] = '0';
    tmp[3] = '0';
    tmp[4] = hex[(cp >> 4) & 0xF];
    tmp[5] = hex[cp & 0xF];
    tmp[6] = '\0';
    return tmp;
}

void gqlx_print_string(gqlx_buf *out, const char *value, size_t len)
{
    const unsigned char *s = (const unsigned char *)value;
    size_t run = 0; /* start of the pending stretch copied as is */
    char tmp[7];

    gqlx_buf_putc(out, '"');
    for (size_t i = 0; i < len; i++) {
        uint32_t cp;
        size_t width;
        if (s[i] < 0x80) {
            cp = s[i];
            width = 1;
        } else if (s[i] == 0xC2 && i + 1 < len && s[i + 1] >= 0x80 && s[i + 1] <= 0x9F) {
            /* U+0080..U+009F, the only multi-byte characters escaped */
            cp = s[i + 1];
            width = 2;
        } else {
            continue;
        }
        const char *esc = escape_for(cp, tmp);
        if (esc == NULL)
            continue;
        gqlx_buf_append(out, value + run, i - run);
        gqlx_buf_append_cstr(out, esc);
        i += width - 1;
        run = i + 1;
    }
    gqlx_buf_append(out, value + run, len - run);
    gqlx_buf_putc(out, '"');
}
