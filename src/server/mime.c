/* src/server/mime.c — the table of media types by file extension. */
#include "server/mime.h"

#include <string.h>
#include <strings.h>

typedef struct mime_entry {
    const char *ext;
    const char *type;
    bool compressible;
} mime_entry;

/* Kept short on purpose: the types a web UI and its assets need. Formats
 * that carry their own compression (PNG, JPEG, GIF, WebP, WOFF, WOFF2) are
 * marked so the server does not spend time compressing them again. */
static const mime_entry mime_table[] = {
    {"html", "text/html; charset=utf-8", true},
    {"htm", "text/html; charset=utf-8", true},
    {"js", "text/javascript; charset=utf-8", true},
    {"mjs", "text/javascript; charset=utf-8", true},
    {"css", "text/css; charset=utf-8", true},
    {"json", "application/json; charset=utf-8", true},
    {"map", "application/json; charset=utf-8", true},
    {"svg", "image/svg+xml; charset=utf-8", true},
    {"txt", "text/plain; charset=utf-8", true},
    {"xml", "application/xml; charset=utf-8", true},
    {"png", "image/png", false},
    {"jpg", "image/jpeg", false},
    {"jpeg", "image/jpeg", false},
    {"gif", "image/gif", false},
    {"ico", "image/x-icon", true},
    {"webp", "image/webp", false},
    {"woff", "font/woff", false},
    {"woff2", "font/woff2", false},
    {"ttf", "font/ttf", true},
    {"wasm", "application/wasm", true},
    {"pdf", "application/pdf", true},
};

#define MIME_DEFAULT "application/octet-stream"

const char *gqlx_mime_type(const char *name, size_t len, bool *compressible)
{
    size_t dot = len;
    for (size_t i = len; i > 0; i--) {
        if (name[i - 1] == '/')
            break;
        if (name[i - 1] == '.') {
            dot = i - 1;
            break;
        }
    }
    if (compressible != NULL)
        *compressible = false;
    /* No dot, or a leading dot only (".profile"): no extension. */
    if (dot == len || dot == 0 || name[dot - 1] == '/')
        return MIME_DEFAULT;
    const char *ext = name + dot + 1;
    size_t ext_len = len - dot - 1;
    for (size_t i = 0; i < sizeof mime_table / sizeof mime_table[0]; i++) {
        const mime_entry *e = &mime_table[i];
        if (strlen(e->ext) == ext_len && strncasecmp(e->ext, ext, ext_len) == 0) {
            if (compressible != NULL)
                *compressible = e->compressible;
            return e->type;
        }
    }
    return MIME_DEFAULT;
}
