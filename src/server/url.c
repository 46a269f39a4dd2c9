/* src/server/url.c — percent-decoding and query-string iteration. */
#include "server/url.h"

#include "core/hex.h"

size_t gqlx_url_decode(char *dst, const char *src, size_t n, bool plus_as_space)
{
    size_t out = 0;
    for (size_t i = 0; i < n; i++) {
        char c = src[i];
        if (c == '%') {
            if (n - i < 3)
                return (size_t)-1;
            int hi = gqlx_hex_value(src[i + 1]), lo = gqlx_hex_value(src[i + 2]);
            if (hi < 0 || lo < 0)
                return (size_t)-1;
            dst[out++] = (char)(hi << 4 | lo);
            i += 2;
        } else {
            dst[out++] = (c == '+' && plus_as_space) ? ' ' : c;
        }
    }
    return out;
}

bool gqlx_query_next(const char *s, size_t len, size_t *pos, gqlx_slice *name, gqlx_slice *value)
{
    size_t i = *pos;
    while (i < len && s[i] == '&')
        i++;
    if (i >= len) {
        *pos = len;
        return false;
    }
    size_t start = i, eq = (size_t)-1;
    while (i < len && s[i] != '&') {
        if (s[i] == '=' && eq == (size_t)-1)
            eq = i;
        i++;
    }
    if (eq == (size_t)-1) {
        *name = gqlx_slice_make(s + start, i - start);
        *value = gqlx_slice_make(s + i, 0);
    } else {
        *name = gqlx_slice_make(s + start, eq - start);
        *value = gqlx_slice_make(s + eq + 1, i - eq - 1);
    }
    *pos = i;
    return true;
}
