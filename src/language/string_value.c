/* src/language/string_value.c — decoding GraphQL string literals.
 *
 * Inputs were checked by the lexer, so every escape here is well formed;
 * the decoder still never reads past `raw` whatever it is given. */
#include "language/string_value.h"

#include <string.h>

#include "core/hex.h"
#include "core/utf8.h"

/* Reads n hex digits at p; -1 if any is not one. */
static int32_t hex_n(const char *p, size_t n)
{
    int32_t v = 0;
    for (size_t i = 0; i < n; i++) {
        int h = gqlx_hex_value(p[i]);
        if (h < 0)
            return -1;
        v = (v << 4) | h;
    }
    return v;
}

/* Decodes escapes of a "quoted" string into out (room for raw.len bytes:
 * every escape is at least as long as the UTF-8 it stands for). */
static size_t decode_escapes(const char *s, size_t len, char *out)
{
    size_t o = 0;
    size_t i = 0;
    while (i < len) {
        const char *bs = memchr(s + i, '\\', len - i);
        size_t run = bs ? (size_t)(bs - (s + i)) : len - i;
        memcpy(out + o, s + i, run);
        o += run;
        i += run;
        if (i >= len || i + 1 >= len)
            break;
        char e = s[i + 1];
        char simple = 0;
        switch (e) {
        case '"':
            simple = '"';
            break;
        case '\\':
            simple = '\\';
            break;
        case '/':
            simple = '/';
            break;
        case 'b':
            simple = '\b';
            break;
        case 'f':
            simple = '\f';
            break;
        case 'n':
            simple = '\n';
            break;
        case 'r':
            simple = '\r';
            break;
        case 't':
            simple = '\t';
            break;
        default:
            break;
        }
        if (simple) {
            out[o++] = simple;
            i += 2;
            continue;
        }
        if (e != 'u') { /* cannot happen after the lexer; keep the text */
            out[o++] = '\\';
            i += 1;
            continue;
        }
        uint32_t cp = 0xfffd;
        size_t used = 2;
        if (i + 2 < len && s[i + 2] == '{') {
            size_t j = i + 3;
            uint32_t v = 0;
            while (j < len && s[j] != '}' && j - (i + 3) < 8) {
                int h = gqlx_hex_value(s[j]);
                if (h < 0)
                    break;
                v = (v << 4) | (uint32_t)h;
                j++;
            }
            if (j < len && s[j] == '}') {
                cp = v;
                used = j + 1 - i;
            }
        } else if (i + 6 <= len) {
            int32_t v = hex_n(s + i + 2, 4);
            used = 6;
            if (v >= 0xd800 && v <= 0xdbff && i + 12 <= len && s[i + 6] == '\\' &&
                s[i + 7] == 'u') {
                int32_t t = hex_n(s + i + 8, 4);
                if (t >= 0xdc00 && t <= 0xdfff) {
                    v = 0x10000 + ((v - 0xd800) << 10) + (t - 0xdc00);
                    used = 12;
                }
            }
            if (v >= 0)
                cp = (uint32_t)v;
        }
        if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            cp = 0xfffd;
        o += gqlx_utf8_encode(cp, out + o);
        i += used;
    }
    return o;
}

/* One line of a block string: [start, end) in raw. */
static size_t leading_ws(const char *p, size_t n)
{
    size_t i = 0;
    while (i < n && (p[i] == ' ' || p[i] == '\t'))
        i++;
    return i;
}

/* Length of the line starting at i (up to, not including, its line
 * terminator) and, through *next, where the following line starts. */
static size_t line_at(const char *s, size_t len, size_t i, size_t *next)
{
    size_t j = i;
    while (j < len && s[j] != '\n' && s[j] != '\r')
        j++;
    if (j >= len)
        *next = len + 1; /* no further line */
    else if (s[j] == '\r' && j + 1 < len && s[j + 1] == '\n')
        *next = j + 2;
    else
        *next = j + 1;
    return j - i;
}

/* Copies a block string line, turning each \""" into """. */
static size_t copy_block_line(const char *p, size_t n, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '\\' && i + 3 < n && p[i + 1] == '"' && p[i + 2] == '"' &&
            p[i + 3] == '"') {
            memcpy(out + o, "\"\"\"", 3);
            o += 3;
            i += 3;
            continue;
        }
        out[o++] = p[i];
    }
    return o;
}

/* The specification's BlockStringValue(): common indentation removed from
 * every line but the first, leading and trailing blank lines dropped,
 * lines joined with "\n". */
static size_t decode_block(const char *s, size_t len, char *out)
{
    size_t common = SIZE_MAX;
    size_t first = SIZE_MAX, last = 0;
    bool any = false;
    size_t index = 0;
    for (size_t i = 0; i <= len; index++) {
        size_t next;
        size_t n = line_at(s, len, i, &next);
        size_t ws = leading_ws(s + i, n);
        if (ws < n) {
            if (first == SIZE_MAX)
                first = index;
            last = index;
            any = true;
            if (index != 0 && ws < common)
                common = ws;
        }
        i = next;
    }
    if (!any)
        return 0;
    size_t o = 0;
    index = 0;
    for (size_t i = 0; i <= len && index <= last; index++) {
        size_t next;
        size_t n = line_at(s, len, i, &next);
        if (index >= first) {
            const char *line = s + i;
            if (index != 0) {
                size_t cut = common < n ? common : n;
                line += cut;
                n -= cut;
            }
            if (index != first)
                out[o++] = '\n';
            o += copy_block_line(line, n, out + o);
        }
        i = next;
    }
    return o;
}

bool gqlx_string_decode(gqlx_arena *arena, gqlx_slice raw, bool block, gqlx_slice *out)
{
    if (!block && memchr(raw.ptr, '\\', raw.len) == NULL) {
        *out = raw;
        return true;
    }
    char *buf = gqlx_arena_alloc(arena, raw.len + 1, 1);
    if (buf == NULL)
        return false;
    size_t n = block ? decode_block(raw.ptr, raw.len, buf) : decode_escapes(raw.ptr, raw.len, buf);
    buf[n] = '\0';
    *out = gqlx_slice_make(buf, n);
    return true;
}
