/* examples/chat/cursor.c — pagination cursors in base64. */
#include "cursor.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static const char prefix[] = "message:";

size_t chat_cursor_encode(int64_t id, char out[CHAT_CURSOR_MAX])
{
    char plain[32];
    int n = snprintf(plain, sizeof plain, "%s%" PRId64, prefix, id);
    size_t len = 0;
    for (int i = 0; i < n; i += 3) {
        unsigned b = (unsigned char)plain[i] << 16;
        if (i + 1 < n)
            b |= (unsigned char)plain[i + 1] << 8;
        if (i + 2 < n)
            b |= (unsigned char)plain[i + 2];
        out[len++] = alphabet[(b >> 18) & 63];
        out[len++] = alphabet[(b >> 12) & 63];
        out[len++] = i + 1 < n ? alphabet[(b >> 6) & 63] : '=';
        out[len++] = i + 2 < n ? alphabet[b & 63] : '=';
    }
    out[len] = '\0';
    return len;
}

static int sextet(char c)
{
    const char *p = c ? strchr(alphabet, c) : NULL;
    return p ? (int)(p - alphabet) : -1;
}

int64_t chat_cursor_decode(const char *s, size_t len)
{
    /* Only the canonical, padded form of what encode writes. */
    if (len == 0 || len % 4 != 0 || len >= CHAT_CURSOR_MAX)
        return -1;
    char plain[CHAT_CURSOR_MAX];
    size_t n = 0;
    for (size_t i = 0; i < len; i += 4) {
        int pad = (s[i + 3] == '=') + (s[i + 2] == '=');
        if (pad > 0 && i + 4 != len)
            return -1;
        if (s[i + 2] == '=' && s[i + 3] != '=')
            return -1;
        int v[4];
        for (int k = 0; k < 4 - pad; k++)
            if ((v[k] = sextet(s[i + (size_t)k])) < 0)
                return -1;
        for (int k = 4 - pad; k < 4; k++)
            v[k] = 0;
        unsigned b =
            (unsigned)v[0] << 18 | (unsigned)v[1] << 12 | (unsigned)v[2] << 6 | (unsigned)v[3];
        plain[n++] = (char)(b >> 16);
        if (pad < 2)
            plain[n++] = (char)(b >> 8 & 255);
        if (pad < 1)
            plain[n++] = (char)(b & 255);
    }
    size_t skip = sizeof prefix - 1;
    if (n <= skip || n - skip > 18 || memcmp(plain, prefix, skip) != 0)
        return -1;
    int64_t id = 0;
    for (size_t i = skip; i < n; i++) {
        if (plain[i] < '0' || plain[i] > '9')
            return -1;
        id = id * 10 + (plain[i] - '0');
    }
    return id;
}
