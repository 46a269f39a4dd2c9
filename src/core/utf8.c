/* src/core/utf8.c — UTF-8 validation and decoding. */
#include "core/utf8.h"

#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

size_t gqlx_utf8_decode(const char *s, size_t len, uint32_t *cp)
{
    const unsigned char *p = (const unsigned char *)s;
    if (len == 0)
        return 0;
    unsigned c = p[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c < 0xc2) /* continuation byte, or overlong two-byte lead */
        return 0;
    if (c < 0xe0) {
        if (len < 2 || (p[1] & 0xc0) != 0x80)
            return 0;
        *cp = ((c & 0x1fu) << 6) | (p[1] & 0x3fu);
        return 2;
    }
    if (c < 0xf0) {
        if (len < 3 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80)
            return 0;
        uint32_t v = ((c & 0x0fu) << 12) | ((p[1] & 0x3fu) << 6) | (p[2] & 0x3fu);
        if (v < 0x800 || (v >= 0xd800 && v <= 0xdfff))
            return 0;
        *cp = v;
        return 3;
    }
    if (c < 0xf5) {
        if (len < 4 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80 ||
            (p[3] & 0xc0) != 0x80)
            return 0;
        uint32_t v = ((c & 0x07u) << 18) | ((p[1] & 0x3fu) << 12) |
                     ((p[2] & 0x3fu) << 6) | (p[3] & 0x3fu);
        if (v < 0x10000 || v > 0x10ffff)
            return 0;
        *cp = v;
        return 4;
    }
    return 0;
}

bool gqlx_utf8_valid(const char *s, size_t len, size_t *bad)
{
    size_t i = 0;
    while (i < len) {
        /* ASCII runs, sixteen or eight bytes at a time. */
#ifdef __SSE2__
        while (i + 16 <= len &&
               _mm_movemask_epi8(_mm_loadu_si128((const __m128i *)(const void *)(s + i))) == 0)
            i += 16;
#endif
        while (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (w & 0x8080808080808080ull)
                break;
            i += 8;
        }
        if (i >= len)
            break;
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        size_t n = gqlx_utf8_decode(s + i, len - i, &cp);
        if (n == 0) {
            if (bad != NULL)
                *bad = i;
            return false;
        }
        i += n;
    }
    return true;
}

size_t gqlx_utf8_encode(uint32_t cp, char *out)
{
    unsigned char *o = (unsigned char *)out;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xc0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xe0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
        o[2] = (unsigned char)(0x80 | (cp & 0x3f));
        return 3;
    }
    o[0] = (unsigned char)(0xf0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
    o[3] = (unsigned char)(0x80 | (cp & 0x3f));
    return 4;
}

size_t gqlx_utf16_length(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t units = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned c = p[i];
        if ((c & 0xc0) != 0x80) /* each lead byte starts a code point */
            units += c >= 0xf0 ? 2 : 1;
    }
    return units;
}
