/* src/server/ws_frame.c — the WebSocket frame parser and header writer:
 * RFC 6455 section 5 read strictly, UTF-8 checked as the bytes arrive,
 * messages gathered across fragments and inflated (RFC 7692) whole. */
#include "server/ws_frame.h"

#include <string.h>

#include "core/limits.h"
#include "core/utf8.h"
#include "server/ws.h"

/* Most payload bytes reserved for a frame before they arrive. Past it the
 * buffer grows with what the peer sends, not with what it announced: a
 * peer that announces a long frame and sends a byte of it holds a few
 * KiB (the buffer rounds up to a power of two), not the message limit. */
#define WS_RESERVE_MAX (4u * 1024u)

void gqlx_ws_parser_init(gqlx_ws_parser *p, size_t max_message, bool masked, bool deflate,
                         gqlx_ws_zlib **zlib)
{
    memset(p, 0, sizeof *p);
    p->max_message = max_message;
    p->masked = masked;
    p->deflate = deflate && zlib != NULL;
    p->zlib = zlib;
    p->hdr_need = 2;
    gqlx_buf_init(&p->msg, 0);
    gqlx_buf_init(&p->inflated, 0);
}

void gqlx_ws_parser_free(gqlx_ws_parser *p)
{
    gqlx_buf_free(&p->msg);
    gqlx_buf_free(&p->inflated);
    p->release = false;
}

bool gqlx_ws_close_code_valid(int code)
{
    return (code >= 1000 && code <= 1014 && code != 1004 && code != GQLX_WS_CLOSE_NO_STATUS &&
            code != GQLX_WS_CLOSE_ABNORMAL) ||
           (code >= 3000 && code <= 4999);
}

void gqlx_ws_mask(char *p, size_t n, const unsigned char mask[4], uint64_t pos)
{
    unsigned char m[8];
    for (unsigned k = 0; k < 8; k++)
        m[k] = mask[(pos + k) & 3u];
    uint64_t word;
    memcpy(&word, m, 8);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        w ^= word;
        memcpy(p + i, &w, 8);
    }
    for (; i < n; i++)
        p[i] = (char)(p[i] ^ m[i & 3u]);
}

size_t gqlx_ws_frame_header(unsigned char out[GQLX_WS_MAX_HEADER], unsigned opcode, bool fin,
                            bool rsv1, uint64_t len, const unsigned char *mask)
{
    size_t i = 0;
    unsigned char m = mask != NULL ? 0x80 : 0;
    out[i++] = (unsigned char)((fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | (opcode & 0x0f));
    if (len < 126) {
        out[i++] = (unsigned char)(m | len);
    } else if (len <= 0xffff) {
        out[i++] = (unsigned char)(m | 126);
        out[i++] = (unsigned char)(len >> 8);
        out[i++] = (unsigned char)len;
    } else {
        out[i++] = (unsigned char)(m | 127);
        for (int k = 7; k >= 0; k--)
            out[i++] = (unsigned char)(len >> (8 * k));
    }
    if (mask != NULL) {
        memcpy(out + i, mask, 4);
        i += 4;
    }
    return i;
}

/* ---- UTF-8 as it arrives ------------------------------------------------------ */

/* Checks n more bytes of a text message whose earlier bytes left a code
 * point in progress (utf8_need continuation bytes to come, the next one
 * within utf8_lo..utf8_hi): shortest forms only, no surrogates, nothing
 * past U+10FFFF, as gqlx_utf8_valid. False at the first bad byte. */
static bool utf8_feed(gqlx_ws_parser *p, const unsigned char *s, size_t n)
{
    unsigned need = p->utf8_need, lo = p->utf8_lo, hi = p->utf8_hi;
    size_t i = 0;
    while (i < n) {
        unsigned b = s[i];
        if (need > 0) {
            if (b < lo || b > hi)
                return false;
            lo = 0x80;
            hi = 0xbf;
            need--;
            i++;
            continue;
        }
        if (b < 0x80) {
            /* ASCII, most JSON: eight bytes at a time. */
            while (i + 8 <= n) {
                uint64_t w;
                memcpy(&w, s + i, 8);
                if (w & 0x8080808080808080ull)
                    break;
                i += 8;
            }
            while (i < n && s[i] < 0x80)
                i++;
            continue;
        }
        if (b < 0xc2) {
            return false; /* a continuation byte, or an overlong lead */
        } else if (b < 0xe0) {
            need = 1;
            lo = 0x80;
            hi = 0xbf;
        } else if (b < 0xf0) {
            need = 2;
            lo = b == 0xe0 ? 0xa0 : 0x80; /* overlong */
            hi = b == 0xed ? 0x9f : 0xbf; /* surrogates */
        } else if (b < 0xf5) {
            need = 3;
            lo = b == 0xf0 ? 0x90 : 0x80; /* overlong */
            hi = b == 0xf4 ? 0x8f : 0xbf; /* past U+10FFFF */
        } else {
            return false;
        }
        i++;
    }
    p->utf8_need = (unsigned char)need;
    p->utf8_lo = (unsigned char)lo;
    p->utf8_hi = (unsigned char)hi;
    return true;
}

/* ---- the parser ---------------------------------------------------------------- */

static void release_message(gqlx_ws_parser *p)
{
    gqlx_buf_free(&p->msg);
    gqlx_buf_free(&p->inflated);
    p->release = false;
}

static void fail(gqlx_ws_parser *p, gqlx_ws_event *ev, int code, const char *why)
{
    release_message(p);
    p->done = true;
    p->in_message = false;
    ev->kind = GQLX_WS_EV_FAIL;
    ev->code = code;
    ev->why = why;
    ev->data = NULL;
    ev->len = 0;
}

static bool is_control(unsigned opcode)
{
    return (opcode & 0x8u) != 0;
}

/* The first two header bytes: what can be refused before the rest of
 * the header arrives. Sets hdr_need to the header's full length. */
static bool check_start(gqlx_ws_parser *p, gqlx_ws_event *ev)
{
    unsigned b0 = p->hdr[0], b1 = p->hdr[1];
    p->fin = (b0 & 0x80u) != 0;
    p->rsv1 = (b0 & 0x40u) != 0;
    p->opcode = b0 & 0x0fu;
    bool masked = (b1 & 0x80u) != 0;
    unsigned len7 = b1 & 0x7fu;
    if (b0 & 0x30u) {
        fail(p, ev, GQLX_WS_CLOSE_PROTOCOL, "reserved bits set");
        return false;
    }
    switch (p->opcode) {
    case GQLX_WS_OP_CONTINUATION:
    case GQLX_WS_OP_TEXT:
    case GQLX_WS_OP_BINARY:
    case GQLX_WS_OP_CLOSE:
    case GQLX_WS_OP_PING:
    case GQLX_WS_OP_PONG:
        break;
    default:
        fail(p, ev, GQLX_WS_CLOSE_PROTOCOL, "unknown opcode");
        return false;
    }
    const char *why = NULL;
    if (is_control(p->opcode)) {
        if (!p->fin)
            why = "fragmented control frame";
        else if (len7 > GQLX_WS_MAX_CONTROL)
            why = "control frame payload over 125 bytes";
        else if (p->rsv1)
            why = "RSV1 set on a control frame";
    } else if (p->opcode == GQLX_WS_OP_CONTINUATION) {
        if (!p->in_message)
            why = "continuation frame without a message";
        else if (p->rsv1)
            why = "RSV1 set on a continuation frame";
    } else {
        if (p->in_message)
            why = "new message before the last one ended";
        else if (p->rsv1 && !p->deflate)
            why = "RSV1 set without permessage-deflate";
    }
    if (why == NULL && masked != p->masked)
        why = masked ? "masked frame from a server" : "unmasked frame from a client";
    if (why != NULL) {
        fail(p, ev, GQLX_WS_CLOSE_PROTOCOL, why);
        return false;
    }
    p->hdr_need = 2u + (len7 == 126 ? 2u : len7 == 127 ? 8u : 0u) + (masked ? 4u : 0u);
    return true;
}

/* The whole header: the length (in its shortest form), the masking key,
 * the message limit, and the start of a new message. */
static bool check_header(gqlx_ws_parser *p, gqlx_ws_event *ev)
{
    unsigned len7 = p->hdr[1] & 0x7fu;
    size_t i = 2;
    uint64_t len = len7;
    if (len7 == 126) {
        len = (uint64_t)p->hdr[2] << 8 | p->hdr[3];
        i += 2;
        if (len < 126) {
            fail(p, ev, GQLX_WS_CLOSE_PROTOCOL, "length not in its shortest form");
            return false;
        }
    } else if (len7 == 127) {
        len = 0;
        for (unsigned k = 0; k < 8; k++)
            len = len << 8 | p->hdr[2 + k];
        i += 8;
        if (len >> 63) {
            fail(p, ev, GQLX_WS_CLOSE_PROTOCOL, "length with its most significant bit set");
            return false;
        }
        if (len <= 0xffff) {
            fail(p, ev, GQLX_WS_CLOSE_PROTOCOL, "length not in its shortest form");
            return false;
        }
    }
    if (p->masked)
        memcpy(p->mask, p->hdr + i, 4);
    p->frame_len = len;
    p->frame_pos = 0;
    p->frame_start = NULL;
    if (is_control(p->opcode))
        return true;
    bool starts = p->opcode != GQLX_WS_OP_CONTINUATION;
    bool compressed = starts ? p->rsv1 : p->msg_compressed;
    uint64_t so_far = starts ? 0 : p->msg_len;
    /* Compressed bytes are bounded a little above the limit; what they
     * inflate to is bounded by the limit itself. */
    uint64_t limit = p->max_message + (compressed ? GQLX_WS_DEFLATE_SLACK_BYTES : 0u);
    if (len > limit || so_far > limit - len) {
        fail(p, ev, GQLX_WS_CLOSE_TOO_BIG, "message over the size limit");
        return false;
    }
    if (starts) {
        p->in_message = true;
        p->msg_text = p->opcode == GQLX_WS_OP_TEXT;
        p->msg_compressed = p->rsv1;
        p->msg_len = 0;
        p->utf8_need = 0;
        p->utf8_lo = 0x80;
        p->utf8_hi = 0xbf;
    }
    return true;
}

/* take bytes of the current frame's payload, unmasked, at chunk. */
static bool payload(gqlx_ws_parser *p, char *chunk, size_t take, gqlx_ws_event *ev)
{
    if (is_control(p->opcode)) {
        memcpy(p->ctrl + p->frame_pos, chunk, take);
        return true;
    }
    if (p->msg_text && !p->msg_compressed && !utf8_feed(p, (const unsigned char *)chunk, take)) {
        fail(p, ev, GQLX_WS_CLOSE_INVALID_DATA, "text that is not UTF-8");
        return false;
    }
    if (p->fin && p->frame_pos == 0 && take == p->frame_len && p->msg.len == 0) {
        /* The message's bytes are all here: hand them over in place. */
        p->frame_start = chunk;
    } else {
        size_t reserve = p->frame_len < WS_RESERVE_MAX ? (size_t)p->frame_len : WS_RESERVE_MAX;
        if (p->frame_pos == 0 && !gqlx_buf_reserve(&p->msg, reserve)) {
            fail(p, ev, GQLX_WS_CLOSE_INTERNAL, "out of memory");
            return false;
        }
        gqlx_buf_append(&p->msg, chunk, take);
        if (p->msg.failed) {
            fail(p, ev, GQLX_WS_CLOSE_INTERNAL, "out of memory");
            return false;
        }
    }
    p->msg_len += take;
    return true;
}

/* The current frame is complete. Returns true when it produced an event. */
static bool frame_end(gqlx_ws_parser *p, gqlx_ws_event *ev)
{
    p->in_payload = false;
    p->hdr_len = 0;
    p->hdr_need = 2;
    size_t len = (size_t)p->frame_len;
    switch (p->opcode) {
    case GQLX_WS_OP_PING:
    case GQLX_WS_OP_PONG:
        ev->kind = p->opcode == GQLX_WS_OP_PING ? GQLX_WS_EV_PING : GQLX_WS_EV_PONG;
        ev->data = (const char *)p->ctrl;
        ev->len = len;
        return true;
    case GQLX_WS_OP_CLOSE: {
        int code = GQLX_WS_CLOSE_NO_STATUS;
        if (len == 1) {
            fail(p, ev, GQLX_WS_CLOSE_PROTOCOL, "close frame with a one-byte payload");
            return true;
        }
        if (len >= 2) {
            code = p->ctrl[0] << 8 | p->ctrl[1];
            if (!gqlx_ws_close_code_valid(code)) {
                fail(p, ev, GQLX_WS_CLOSE_PROTOCOL, "invalid close code");
                return true;
            }
            if (!gqlx_utf8_valid((const char *)p->ctrl + 2, len - 2, NULL)) {
                fail(p, ev, GQLX_WS_CLOSE_INVALID_DATA, "close reason that is not UTF-8");
                return true;
            }
        }
        release_message(p);
        p->done = true;
        p->in_message = false;
        ev->kind = GQLX_WS_EV_CLOSE;
        ev->code = code;
        ev->data = len >= 2 ? (const char *)p->ctrl + 2 : "";
        ev->len = len >= 2 ? len - 2 : 0;
        return true;
    }
    default:
        break;
    }
    if (!p->fin)
        return false;
    const char *data = p->frame_start != NULL ? p->frame_start : p->msg.data;
    size_t n = p->frame_start != NULL ? len : p->msg.len;
    p->frame_start = NULL;
    if (data == NULL)
        data = "";
    if (p->msg_compressed) {
        int st = gqlx_ws_inflate(p->zlib, data, n, p->max_message, &p->inflated);
        if (st != 0) {
            fail(p, ev, st,
                 st == GQLX_WS_CLOSE_TOO_BIG        ? "message over the size limit"
                 : st == GQLX_WS_CLOSE_INVALID_DATA ? "invalid compressed data"
                                                    : "out of memory");
            return true;
        }
        data = p->inflated.data != NULL ? p->inflated.data : "";
        n = p->inflated.len;
        if (p->msg_text && !gqlx_utf8_valid(data, n, NULL)) {
            fail(p, ev, GQLX_WS_CLOSE_INVALID_DATA, "text that is not UTF-8");
            return true;
        }
    } else if (p->msg_text && p->utf8_need != 0) {
        fail(p, ev, GQLX_WS_CLOSE_INVALID_DATA, "text that ends inside a UTF-8 sequence");
        return true;
    }
    p->in_message = false;
    p->release = true;
    ev->kind = GQLX_WS_EV_MESSAGE;
    ev->is_text = p->msg_text;
    ev->data = data;
    ev->len = n;
    return true;
}

size_t gqlx_ws_parse(gqlx_ws_parser *p, char *in, size_t n, gqlx_ws_event *ev)
{
    memset(ev, 0, sizeof *ev);
    ev->kind = GQLX_WS_EV_NONE;
    if (p->release)
        release_message(p);
    if (p->done)
        return n;
    size_t pos = 0;
    while (pos < n) {
        if (!p->in_payload) {
            size_t take = p->hdr_need - p->hdr_len;
            if (take > n - pos)
                take = n - pos;
            memcpy(p->hdr + p->hdr_len, in + pos, take);
            p->hdr_len += (unsigned)take;
            pos += take;
            if (p->hdr_len < p->hdr_need)
                break;
            if (p->hdr_len == 2) {
                if (!check_start(p, ev))
                    return pos;
                if (p->hdr_need > 2)
                    continue;
            }
            if (!check_header(p, ev))
                return pos;
            p->in_payload = true;
            if (p->frame_len == 0 && frame_end(p, ev))
                return pos;
            continue;
        }
        uint64_t left = p->frame_len - p->frame_pos;
        size_t take = left < n - pos ? (size_t)left : n - pos;
        char *chunk = in + pos;
        if (p->masked)
            gqlx_ws_mask(chunk, take, p->mask, p->frame_pos);
        pos += take;
        if (!payload(p, chunk, take, ev))
            return pos;
        p->frame_pos += take;
        if (p->frame_pos == p->frame_len && frame_end(p, ev))
            return pos;
    }
    return pos;
}
