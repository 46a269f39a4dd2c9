/* src/server/ws_deflate.c — permessage-deflate: the offer parser, and one
 * inflater and a compressor per window size shared by an event loop's
 * connections (each message stands alone: no context takeover). */
#include "server/ws_deflate.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#include "core/alloc.h"
#include "gql/status.h"
#include "server/compress.h"
#include "server/ws.h"

/* Compression level for outgoing messages: GraphQL results are small
 * and repetitive JSON, where levels above this gain little and cost time
 * on the loop thread. */
#define WS_DEFLATE_LEVEL     5
#define WS_DEFLATE_MEM_LEVEL 8

/* Output grows by this much at a time while inflating. */
#define INFLATE_STEP (16u * 1024u)

static const unsigned char TAIL[4] = {0x00, 0x00, 0xff, 0xff};

struct gqlx_ws_zlib {
    z_stream inflater;
    bool inflater_ready;
    z_stream deflater[16]; /* by window bits; 9..15 used */
    bool deflater_ready[16];
};

static gqlx_ws_zlib *zlib_get(gqlx_ws_zlib **zp)
{
    if (*zp == NULL) {
        gqlx_ws_zlib *z = gqlx_malloc(sizeof *z);
        if (z == NULL)
            return NULL;
        memset(z, 0, sizeof *z);
        *zp = z;
    }
    return *zp;
}

void gqlx_ws_zlib_free(gqlx_ws_zlib *z)
{
    if (z == NULL)
        return;
    if (z->inflater_ready)
        inflateEnd(&z->inflater);
    for (unsigned i = 0; i < 16; i++)
        if (z->deflater_ready[i])
            deflateEnd(&z->deflater[i]);
    gqlx_free(z);
}

/* ---- negotiation ------------------------------------------------------------ */

static const char *skip_ows(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

static const char *scan_token(const char *s)
{
    while (gqlx_http_tchar(*s))
        s++;
    return s;
}

/* A parameter's value: a token, or a quoted string whose content (after
 * unescaping) must be a token (RFC 6455 section 9.1). Copies at most
 * size - 1 bytes into out; *too_long tells whether it was cut. Returns
 * the position after the value, or NULL when it does not parse. */
static const char *scan_value(const char *s, char *out, size_t size, bool *too_long)
{
    size_t n = 0;
    *too_long = false;
    if (*s != '"') {
        const char *e = scan_token(s);
        if (e == s)
            return NULL;
        for (const char *p = s; p < e; p++) {
            if (n + 1 < size)
                out[n++] = *p;
            else
                *too_long = true;
        }
        out[n] = '\0';
        return e;
    }
    s++;
    while (*s != '"') {
        if (*s == '\\')
            s++;
        if (*s == '\0' || !gqlx_http_tchar(*s))
            return NULL;
        if (n + 1 < size)
            out[n++] = *s;
        else
            *too_long = true;
        s++;
    }
    out[n] = '\0';
    return n > 0 ? s + 1 : NULL;
}

/* "8".."15" without leading zeros, as RFC 7692 section 7.1.2 writes them. */
static int window_bits(const char *v)
{
    if (strcmp(v, "8") == 0 || strcmp(v, "9") == 0)
        return v[0] - '0';
    if (v[0] == '1' && v[1] >= '0' && v[1] <= '5' && v[2] == '\0')
        return 10 + (v[1] - '0');
    return -1;
}

typedef struct offer {
    bool deflate; /* the extension is permessage-deflate */
    bool valid;   /* every parameter is known and well-formed */
    bool server_nct, client_nct, client_bits_seen;
    int server_bits; /* -1: not given */
} offer;

static void offer_param(offer *o, const char *name, size_t name_len, const char *value,
                        bool has_value, bool too_long)
{
    if (!o->deflate || !o->valid)
        return;
#define IS(lit) (name_len == sizeof(lit) - 1 && strncasecmp(name, lit, name_len) == 0)
    if (IS("server_no_context_takeover")) {
        o->valid = !o->server_nct && !has_value;
        o->server_nct = true;
    } else if (IS("client_no_context_takeover")) {
        o->valid = !o->client_nct && !has_value;
        o->client_nct = true;
    } else if (IS("server_max_window_bits")) {
        int bits = has_value && !too_long ? window_bits(value) : -1;
        o->valid = o->server_bits < 0 && bits > 0;
        o->server_bits = bits;
    } else if (IS("client_max_window_bits")) {
        /* Without a value it only says the client could honour one. */
        o->valid = !o->client_bits_seen && (!has_value || (!too_long && window_bits(value) > 0));
        o->client_bits_seen = true;
    } else {
        o->valid = false; /* a parameter we do not know: decline the offer */
    }
#undef IS
}

bool gqlx_ws_deflate_negotiate(const char *header, gqlx_ws_deflate_params *params,
                               char resp[GQLX_WS_DEFLATE_RESPONSE_MAX])
{
    if (header == NULL)
        return false;
    const char *s = header;
    offer chosen = {0};
    bool found = false;
    for (;;) {
        while (*s == ' ' || *s == '\t' || *s == ',')
            s++; /* empty list elements are allowed (RFC 9110 section 5.6.1) */
        if (*s == '\0')
            break;
        const char *name = s;
        s = scan_token(s);
        if (s == name)
            return false;
        offer o = {.valid = true, .server_bits = -1};
        o.deflate = (size_t)(s - name) == strlen("permessage-deflate") &&
                    strncasecmp(name, "permessage-deflate", (size_t)(s - name)) == 0;
        s = skip_ows(s);
        while (*s == ';') {
            s = skip_ows(s + 1);
            const char *pname = s;
            s = scan_token(s);
            if (s == pname)
                return false;
            size_t plen = (size_t)(s - pname);
            s = skip_ows(s);
            char value[8];
            bool has_value = false, too_long = false;
            value[0] = '\0';
            if (*s == '=') {
                s = scan_value(skip_ows(s + 1), value, sizeof value, &too_long);
                if (s == NULL)
                    return false;
                has_value = true;
                s = skip_ows(s);
            }
            offer_param(&o, pname, plen, value, has_value, too_long);
        }
        if (*s != ',' && *s != '\0')
            return false;
        if (!found && o.deflate && o.valid) {
            chosen = o;
            found = true;
        }
    }
    if (!found)
        return false;
    params->server_window_bits = chosen.server_bits > 0 ? (unsigned)chosen.server_bits : 15u;
    /* server_max_window_bits, when offered, must come back (with the same
     * or a smaller value) for the offer to count as accepted. */
    if (chosen.server_bits > 0)
        snprintf(resp, GQLX_WS_DEFLATE_RESPONSE_MAX,
                 "permessage-deflate; server_no_context_takeover; "
                 "client_no_context_takeover; server_max_window_bits=%d",
                 chosen.server_bits);
    else
        snprintf(resp, GQLX_WS_DEFLATE_RESPONSE_MAX,
                 "permessage-deflate; server_no_context_takeover; client_no_context_takeover");
    return true;
}

/* ---- inflating ---------------------------------------------------------------- */

int gqlx_ws_inflate(gqlx_ws_zlib **zp, const char *in, size_t n, size_t max, gqlx_buf *out)
{
    gqlx_ws_zlib *z = zlib_get(zp);
    if (z == NULL)
        return GQLX_WS_CLOSE_INTERNAL;
    z_stream *s = &z->inflater;
    if (!z->inflater_ready) {
        memset(s, 0, sizeof *s);
        gqlx_zlib_allocator(s);
        /* A 32 KiB window takes any window the client compressed with. */
        if (inflateInit2(s, -15) != Z_OK)
            return GQLX_WS_CLOSE_INTERNAL;
        z->inflater_ready = true;
    } else if (inflateReset(s) != Z_OK) {
        return GQLX_WS_CLOSE_INTERNAL;
    }
    size_t start = out->len, produced = 0;
    bool tail_given = false;
    /* zlib does not write through next_in. */
    s->next_in = (Bytef *)(uintptr_t)in;
    s->avail_in = 0;
    size_t left = n; /* input not yet handed to zlib (uInt is narrower) */
    int result = 0;
    for (;;) {
        if (s->avail_in == 0) {
            if (left > 0) {
                s->avail_in = left > UINT32_MAX ? UINT32_MAX : (uInt)left;
                left -= s->avail_in;
            } else if (!tail_given) {
                s->next_in = (Bytef *)(uintptr_t)TAIL;
                s->avail_in = sizeof TAIL;
                tail_given = true;
            }
        }
        /* Room for one byte past the limit: a result that fills it is
         * too big. */
        size_t room = max - produced + 1;
        if (room > INFLATE_STEP)
            room = INFLATE_STEP;
        if (!gqlx_buf_reserve(out, room)) {
            result = GQLX_WS_CLOSE_INTERNAL;
            break;
        }
        s->next_out = (Bytef *)(out->data + out->len);
        s->avail_out = (uInt)room;
        int rc = inflate(s, Z_SYNC_FLUSH);
        size_t got = room - s->avail_out;
        out->len += got;
        produced += got;
        if (produced > max) {
            result = GQLX_WS_CLOSE_TOO_BIG;
            break;
        }
        if (rc == Z_STREAM_END)
            break; /* a final block: what follows it is ignored */
        if (rc == Z_MEM_ERROR) {
            result = GQLX_WS_CLOSE_INTERNAL;
            break;
        }
        if (rc != Z_OK && rc != Z_BUF_ERROR) {
            result = GQLX_WS_CLOSE_INVALID_DATA;
            break;
        }
        if (s->avail_in == 0 && left == 0 && tail_given && s->avail_out > 0) {
            /* Everything read and flushed. The tail is an empty stored
             * block, so a whole message ends between blocks; anywhere
             * else it was cut short (zlib's data_type says 128 then). */
            if (!(s->data_type & 128))
                result = GQLX_WS_CLOSE_INVALID_DATA;
            break;
        }
        if (rc == Z_BUF_ERROR && s->avail_out > 0) {
            result = GQLX_WS_CLOSE_INVALID_DATA; /* no progress possible */
            break;
        }
    }
    if (result != 0) {
        out->len = start;
        if (out->data != NULL)
            out->data[start] = '\0';
        return result;
    }
    if (out->data != NULL)
        out->data[out->len] = '\0';
    return 0;
}

/* ---- deflating ------------------------------------------------------------------ */

int gqlx_ws_deflate(gqlx_ws_zlib **zp, unsigned window_bits, const char *in, size_t n,
                    gqlx_buf *out)
{
    if (window_bits < 9 || window_bits > 15)
        return GQL_EINVAL;
    gqlx_ws_zlib *z = zlib_get(zp);
    if (z == NULL)
        return GQL_ENOMEM;
    z_stream *s = &z->deflater[window_bits];
    if (!z->deflater_ready[window_bits]) {
        memset(s, 0, sizeof *s);
        gqlx_zlib_allocator(s);
        if (deflateInit2(s, WS_DEFLATE_LEVEL, Z_DEFLATED, -(int)window_bits, WS_DEFLATE_MEM_LEVEL,
                         Z_DEFAULT_STRATEGY) != Z_OK)
            return GQL_ENOMEM;
        z->deflater_ready[window_bits] = true;
    } else if (deflateReset(s) != Z_OK) {
        return GQL_ENOMEM;
    }
    size_t start = out->len;
    bool failed = out->failed;
    s->next_in = (Bytef *)(uintptr_t)in;
    s->avail_in = 0;
    size_t left = n;
    int rc = Z_OK;
    for (;;) {
        if (s->avail_in == 0 && left > 0) {
            s->avail_in = left > UINT32_MAX ? UINT32_MAX : (uInt)left;
            left -= s->avail_in;
        }
        size_t room = deflateBound(s, s->avail_in) + 16;
        if (!gqlx_buf_reserve(out, room) || room > UINT32_MAX) {
            rc = Z_MEM_ERROR;
            break;
        }
        s->next_out = (Bytef *)(out->data + out->len);
        s->avail_out = (uInt)room;
        rc = deflate(s, left > 0 ? Z_NO_FLUSH : Z_SYNC_FLUSH);
        out->len += room - s->avail_out;
        if (rc != Z_OK && rc != Z_BUF_ERROR)
            break;
        /* Done once all input is in and the flush left room to spare. */
        if (left == 0 && s->avail_in == 0 && s->avail_out > 0) {
            rc = Z_OK;
            break;
        }
    }
    size_t len = out->len - start;
    if (rc != Z_OK || len < 4 || memcmp(out->data + out->len - 4, TAIL, 4) != 0) {
        out->len = start;
        out->failed = failed;
        if (out->data != NULL)
            out->data[start] = '\0';
        return GQL_ENOMEM;
    }
    out->len -= 4; /* RFC 7692 section 7.2.1: the sync flush's tail is not sent */
    out->data[out->len] = '\0';
    return GQL_OK;
}
