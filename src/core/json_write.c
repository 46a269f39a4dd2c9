/* src/core/json_write.c — JSON output compatible with JSON.stringify. */
#include "core/json.h"

#include <math.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "core/alloc.h"
#include "core/dtoa.h"
#include "core/utf8.h"
#include "gql/status.h"

/* Length of the maximal ill-formed subsequence at s (s[0] does not start a
 * valid sequence): a lead byte plus the continuation bytes that could still
 * have completed it. Each such run becomes one U+FFFD, as in WHATWG's UTF-8
 * decoder, so our output matches what Node would show for the same bytes. */
static size_t ill_formed_length(const unsigned char *s, size_t n)
{
    unsigned c = s[0], lo = 0x80, hi = 0xbf;
    size_t need;
    if (c >= 0xc2 && c <= 0xdf) {
        need = 1;
    } else if (c >= 0xe0 && c <= 0xef) {
        need = 2;
        if (c == 0xe0)
            lo = 0xa0; /* below: overlong */
        else if (c == 0xed)
            hi = 0x9f; /* above: surrogates */
    } else if (c >= 0xf0 && c <= 0xf4) {
        need = 3;
        if (c == 0xf0)
            lo = 0x90; /* below: overlong */
        else if (c == 0xf4)
            hi = 0x8f; /* above: past U+10FFFF */
    } else {
        return 1;
    }
    size_t i = 1;
    if (i < n && s[i] >= lo && s[i] <= hi) {
        i++;
        while (i < need && i < n && (s[i] & 0xc0) == 0x80)
            i++;
    }
    return i;
}

/* Whether no byte of the eight in w is below 0x20, at or above 0x80, '"'
 * or '\\'. (Each subtraction can borrow into the next byte only from a
 * byte that is itself one of those, so the answer for the whole word is
 * exact.) */
static inline bool plain_word(uint64_t w)
{
    const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
    uint64_t quote = w ^ (ones * '"'), slash = w ^ (ones * '\\');
    return (((w - ones * 0x20) | (quote - ones) | (slash - ones) | w) & high) == 0;
}

/* Whether a string shorter than 16 bytes needs no escaping: its bytes are
 * read as two overlapping words (short strings fill most responses). */
static inline bool short_plain(const unsigned char *s, size_t len)
{
    uint64_t a, z;
    if (len >= 8) {
        memcpy(&a, s, 8);
        memcpy(&z, s + len - 8, 8);
    } else if (len >= 4) {
        uint32_t a4, z4;
        memcpy(&a4, s, 4);
        memcpy(&z4, s + len - 4, 4);
        a = a4 | (uint64_t)z4 << 32;
        z = a;
    } else {
        /* 'a' (plain) fills the bytes a short string does not have. */
        a = 0x6161616161000000u | (uint64_t)s[0] | (uint64_t)s[len / 2] << 8 |
            (uint64_t)s[len - 1] << 16;
        z = a;
    }
    return plain_word(a) && plain_word(z);
}

void gqlx_json_write_string(gqlx_buf *b, const char *p, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *s = (const unsigned char *)p;
    const unsigned char *cls = gqlx_json_str_class;
    if (len == 0) { /* p may be NULL */
        gqlx_buf_append(b, "\"\"", 2);
        return;
    }
    if (len < 16 && short_plain(s, len)) {
        gqlx_json_write_plain(b, p, len);
        return;
    }
    /* Most strings need no escaping: room for them in one step. */
    if (!gqlx_buf_reserve(b, len + 2))
        return;
    gqlx_buf_putc(b, '"');
    size_t i = 0, run = 0;
    while (i < len) {
#ifdef __SSE2__
        /* Sixteen bytes at a time, straight to the first that is not
         * plain ASCII: below 0x20, at or above 0x80, '"' or '\\'. */
        const __m128i quote16 = _mm_set1_epi8('"'), slash16 = _mm_set1_epi8('\\'),
                      ctl16 = _mm_set1_epi8(0x1f);
        while (i + 16 <= len) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
            __m128i bad =
                _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote16), _mm_cmpeq_epi8(v, slash16)),
                             _mm_or_si128(_mm_cmpeq_epi8(_mm_max_epu8(v, ctl16), ctl16), v));
            int mask = _mm_movemask_epi8(bad);
            if (mask != 0) {
                i += (size_t)__builtin_ctz((unsigned)mask);
                break;
            }
            i += 16;
        }
#endif
        /* Eight plain ASCII bytes at a time. */
        while (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (!plain_word(w))
                break;
            i += 8;
        }
        if (i >= len)
            break;
        unsigned k = cls[s[i]];
        if (k == 0) {
            i++;
            continue;
        }
        if (k == 2) {
            uint32_t cp;
            size_t n = gqlx_utf8_decode(p + i, len - i, &cp);
            if (n != 0) {
                i += n;
                continue;
            }
        }
        gqlx_buf_append(b, p + run, i - run);
        if (k == 2) {
            gqlx_buf_append(b, "\xef\xbf\xbd", 3);
            i += ill_formed_length(s + i, len - i);
            run = i;
            continue;
        }
        char esc[6] = {'\\', 0, 0, 0, 0, 0};
        size_t elen = 2;
        switch (s[i]) {
        case '"':
            esc[1] = '"';
            break;
        case '\\':
            esc[1] = '\\';
            break;
        case '\b':
            esc[1] = 'b';
            break;
        case '\f':
            esc[1] = 'f';
            break;
        case '\n':
            esc[1] = 'n';
            break;
        case '\r':
            esc[1] = 'r';
            break;
        case '\t':
            esc[1] = 't';
            break;
        default:
            esc[1] = 'u';
            esc[2] = '0';
            esc[3] = '0';
            esc[4] = hex[s[i] >> 4];
            esc[5] = hex[s[i] & 15];
            elen = 6;
            break;
        }
        gqlx_buf_append(b, esc, elen);
        i++;
        run = i;
    }
    gqlx_buf_append(b, p + run, len - run);
    gqlx_buf_putc(b, '"');
}

void gqlx_json_write_double(gqlx_buf *b, double x)
{
    if (!isfinite(x)) {
        gqlx_buf_append(b, "null", 4);
        return;
    }
    char text[GQLX_DTOA_MAX];
    gqlx_buf_append(b, text, gqlx_dtoa(x, text));
}

void gqlx_json_write_int(gqlx_buf *b, int64_t v)
{
    char text[24];
    char *end = text + sizeof text, *o = end;
    /* Negate in unsigned arithmetic so INT64_MIN works. */
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do {
        *--o = (char)('0' + u % 10);
        u /= 10;
    } while (u != 0);
    if (v < 0)
        *--o = '-';
    gqlx_buf_append(b, o, (size_t)(end - o));
}

/* Writes a value that is not a container. */
static int write_scalar(gqlx_buf *b, const gqlx_json *v, unsigned flags)
{
    switch (v->kind) {
    case GQLX_JSON_NULL:
        gqlx_buf_append(b, "null", 4);
        return GQL_OK;
    case GQLX_JSON_BOOL:
        if (v->boolean)
            gqlx_buf_append(b, "true", 4);
        else
            gqlx_buf_append(b, "false", 5);
        return GQL_OK;
    case GQLX_JSON_NUMBER:
        if (((flags & GQLX_JSON_WRITE_NUMBER_TEXT) && v->len > 0) || (v->flags & GQLX_JSON_JS_TEXT))
            gqlx_buf_append(b, v->u.str, v->len);
        else
            gqlx_json_write_double(b, v->d);
        return GQL_OK;
    case GQLX_JSON_STRING:
        gqlx_json_write_str_value(b, v);
        return GQL_OK;
    default:
        return GQL_EINVAL;
    }
}

typedef struct walk_frame {
    const gqlx_json *v; /* an array or object being written */
    size_t next;        /* index of the next child */
} walk_frame;

enum { LOCAL_WALK = 64 };

int gqlx_json_write_value(gqlx_buf *b, const gqlx_json *v, unsigned flags)
{
    if (v == NULL)
        return GQL_EINVAL;
    walk_frame local[LOCAL_WALK];
    walk_frame *stack = local;
    size_t depth = 0, cap = LOCAL_WALK;
    int rc = GQL_OK;
    const gqlx_json *cur = v;
    for (;;) {
        if (cur->kind == GQLX_JSON_ARRAY || cur->kind == GQLX_JSON_OBJECT) {
            bool is_array = cur->kind == GQLX_JSON_ARRAY;
            if (cur->len == 0) {
                gqlx_buf_append(b, is_array ? "[]" : "{}", 2);
            } else {
                if (depth == cap) {
                    walk_frame *grown;
                    if (cap > SIZE_MAX / 2 / sizeof *grown) {
                        rc = GQL_ENOMEM;
                        break;
                    }
                    if (stack == local) {
                        grown = gqlx_malloc(cap * 2 * sizeof *grown);
                        if (grown != NULL)
                            memcpy(grown, local, sizeof local);
                    } else {
                        grown = gqlx_realloc(stack, cap * 2 * sizeof *grown);
                    }
                    if (grown == NULL) {
                        rc = GQL_ENOMEM;
                        break;
                    }
                    stack = grown;
                    cap *= 2;
                }
                gqlx_buf_putc(b, is_array ? '[' : '{');
                stack[depth++] = (walk_frame){cur, 0};
            }
        } else {
            rc = write_scalar(b, cur, flags);
            if (rc != GQL_OK)
                break;
        }
        /* Find the next value to write, closing finished containers. */
        cur = NULL;
        while (depth > 0) {
            walk_frame *f = &stack[depth - 1];
            if (f->next < f->v->len) {
                if (f->next > 0)
                    gqlx_buf_putc(b, ',');
                if (f->v->kind == GQLX_JSON_ARRAY) {
                    cur = &f->v->u.items[f->next];
                } else {
                    const gqlx_json_member *m = &f->v->u.members[f->next];
                    gqlx_json_write_string(b, m->key.ptr, m->key.len);
                    gqlx_buf_putc(b, ':');
                    cur = &m->value;
                }
                f->next++;
                break;
            }
            gqlx_buf_putc(b, f->v->kind == GQLX_JSON_ARRAY ? ']' : '}');
            depth--;
        }
        if (cur == NULL)
            break;
    }
    if (stack != local)
        gqlx_free(stack);
    if (rc == GQL_OK && b->failed)
        rc = GQL_ENOMEM;
    return rc;
}

/* ---- streaming writer ------------------------------------------------------ */

static inline void separate(gqlx_json_writer *w)
{
    if (w->need_comma)
        gqlx_buf_putc(w->out, ',');
}

void gqlx_json_writer_init(gqlx_json_writer *w, gqlx_buf *out)
{
    w->out = out;
    w->need_comma = false;
}

void gqlx_json_begin_object(gqlx_json_writer *w)
{
    separate(w);
    gqlx_buf_putc(w->out, '{');
    w->need_comma = false;
}

void gqlx_json_end_object(gqlx_json_writer *w)
{
    gqlx_buf_putc(w->out, '}');
    w->need_comma = true;
}

void gqlx_json_begin_array(gqlx_json_writer *w)
{
    separate(w);
    gqlx_buf_putc(w->out, '[');
    w->need_comma = false;
}

void gqlx_json_end_array(gqlx_json_writer *w)
{
    gqlx_buf_putc(w->out, ']');
    w->need_comma = true;
}

void gqlx_json_key(gqlx_json_writer *w, const char *p, size_t len)
{
    separate(w);
    gqlx_json_write_string(w->out, p, len);
    gqlx_buf_putc(w->out, ':');
    w->need_comma = false; /* the member's value follows the colon */
}

void gqlx_json_key_cstr(gqlx_json_writer *w, const char *key)
{
    gqlx_json_key(w, key, strlen(key));
}

void gqlx_json_null(gqlx_json_writer *w)
{
    separate(w);
    gqlx_buf_append(w->out, "null", 4);
    w->need_comma = true;
}

void gqlx_json_bool(gqlx_json_writer *w, bool v)
{
    separate(w);
    if (v)
        gqlx_buf_append(w->out, "true", 4);
    else
        gqlx_buf_append(w->out, "false", 5);
    w->need_comma = true;
}

void gqlx_json_int(gqlx_json_writer *w, int64_t v)
{
    separate(w);
    gqlx_json_write_int(w->out, v);
    w->need_comma = true;
}

void gqlx_json_double(gqlx_json_writer *w, double v)
{
    separate(w);
    gqlx_json_write_double(w->out, v);
    w->need_comma = true;
}

void gqlx_json_string(gqlx_json_writer *w, const char *p, size_t len)
{
    separate(w);
    gqlx_json_write_string(w->out, p, len);
    w->need_comma = true;
}

void gqlx_json_raw(gqlx_json_writer *w, const char *p, size_t len)
{
    separate(w);
    gqlx_buf_append(w->out, p, len);
    w->need_comma = true;
}

int gqlx_json_value(gqlx_json_writer *w, const gqlx_json *v, unsigned flags)
{
    separate(w);
    w->need_comma = true;
    return gqlx_json_write_value(w->out, v, flags);
}
