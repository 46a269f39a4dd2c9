/* src/core/json_read.c — strict RFC 8259 JSON reader building an arena DOM.
 *
 * The parser is a loop over three states (read a value, a value is done,
 * read an object key) with an explicit stack of open containers, so nesting
 * costs heap, never C stack. Children of an open container wait in a scratch
 * vector; when the container closes they are copied into one arena array,
 * so every array and object is contiguous and indexable. The scratch vector
 * and the container stack start in the parser struct on the C stack and
 * move to gqlx_malloc memory only for large or deep documents. */
#include "core/json.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/dtoa.h"
#include "core/hash.h"
#include "core/limits.h"
#include "core/utf8.h"
#include "gql/status.h"

/* Byte classes inside a string: 0 ordinary ASCII (copied as is), 1 needs
 * attention ('"', '\\', control characters), 2 starts a non-ASCII sequence. */
const unsigned char gqlx_json_str_class[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
};

enum { LOCAL_FRAMES = 32, LOCAL_MEMBERS = 64, SMALL_OBJECT = 8 };

typedef struct frame {
    uint8_t kind;   /* GQLX_JSON_ARRAY or GQLX_JSON_OBJECT */
    size_t start;   /* index of its first child in the scratch vector */
    gqlx_slice key; /* object: key of the member whose value is being read */
} frame;

typedef struct parser {
    const char *text;
    size_t len;
    gqlx_arena *arena;
    gqlx_json_error *err;
    gqlx_json_member *scratch;
    size_t nscratch, scratch_cap;
    frame *frames;
    size_t nframes, frames_cap;
    size_t *table; /* duplicate-key detection for large objects */
    size_t table_cap;
    gqlx_json_member local_scratch[LOCAL_MEMBERS];
    frame local_frames[LOCAL_FRAMES];
} parser;

void gqlx_json_opts_init(gqlx_json_opts *opts)
{
    opts->max_bytes = GQLX_DEFAULT_MAX_JSON_BYTES;
    opts->max_depth = GQLX_DEFAULT_MAX_JSON_DEPTH;
}

/* Records the first error with its position and returns status. */
__attribute__((format(printf, 4, 5))) static int fail(parser *ps, int status, size_t offset,
                                                      const char *fmt, ...)
{
    gqlx_json_error *e = ps->err;
    if (e == NULL)
        return status;
    e->status = status;
    e->offset = offset;
    size_t line = 1, line_start = 0;
    for (size_t i = 0; i < offset && i < ps->len; i++) {
        char c = ps->text[i];
        if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < ps->len && ps->text[i + 1] == '\n')
                i++;
            line++;
            line_start = i + 1;
        }
    }
    if (line_start > offset)
        line_start = offset;
    e->line = line;
    e->column = 1 + gqlx_utf16_length(ps->text + line_start, offset - line_start);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
    return status;
}

static int fail_end(parser *ps)
{
    return fail(ps, GQL_EJSON, ps->len, "Unexpected end of input");
}

static int fail_nomem(parser *ps, const char *p)
{
    return fail(ps, GQL_ENOMEM, (size_t)(p - ps->text), "Out of memory");
}

/* Describes the byte at p for a message: 'x' for printable ASCII, else its
 * code (a lone byte of a multi-byte sequence has no better name). */
static const char *describe(const char *p, char *out, size_t cap)
{
    unsigned char c = (unsigned char)*p;
    if (c > 0x20 && c < 0x7f)
        snprintf(out, cap, "'%c'", c);
    else if (c < 0x80)
        snprintf(out, cap, "U+%04X", c);
    else
        snprintf(out, cap, "byte 0x%02X", c);
    return out;
}

/* Grows a vector that may still live in the parser's local storage to at
 * most max elements. Returns the new base (old contents kept) or NULL with
 * the old one untouched. */
static void *grow(void *base, const void *local, size_t *cap, size_t elem, size_t max)
{
    size_t ncap = *cap * 2;
    if (ncap > max)
        ncap = max;
    if (ncap <= *cap || ncap > SIZE_MAX / elem)
        return NULL;
    void *p;
    if (base == local) {
        p = gqlx_malloc(ncap * elem);
        if (p != NULL)
            memcpy(p, base, *cap * elem);
    } else {
        p = gqlx_realloc(base, ncap * elem);
    }
    if (p != NULL)
        *cap = ncap;
    return p;
}

/* Most children the scratch vector may hold. Each becomes arena memory
 * (at least a gqlx_json) when its container closes, duplicate keys aside,
 * so past the room the arena's cap leaves no DOM can be built: the vector
 * stops there rather than take many times the text's size from the system
 * outside the cap (a 16 MiB array of zeros would take 470 MiB). */
static size_t scratch_max(const parser *ps)
{
    const gqlx_arena *a = ps->arena;
    if (a->cap == 0)
        return SIZE_MAX;
    size_t room = (a->cap > a->reserved ? a->cap - a->reserved : 0) + (size_t)(a->end - a->ptr);
    return room / sizeof(gqlx_json_member);
}

static inline int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c |= 0x20;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Reads the four hex digits at p (the caller checked they are in bounds and
 * valid). */
static inline uint32_t hex4(const char *p)
{
    return (uint32_t)(hexval((unsigned char)p[0]) << 12 | hexval((unsigned char)p[1]) << 8 |
                      hexval((unsigned char)p[2]) << 4 | hexval((unsigned char)p[3]));
}

/* Checks the \u escape at p (p[0] == '\\', p[1] == 'u'); returns 0 or an
 * error status. */
static int check_u_escape(parser *ps, const char *p, const char *end)
{
    for (int i = 2; i < 6; i++) {
        if (p + i >= end)
            return fail(ps, GQL_EJSON, ps->len, "Unterminated string");
        if (hexval((unsigned char)p[i]) < 0) {
            char what[16];
            return fail(ps, GQL_EJSON, (size_t)(p + i - ps->text),
                        "Invalid \\u escape in string: expected a hex digit, found %s",
                        describe(p + i, what, sizeof what));
        }
    }
    return 0;
}

/* Validates the string body starting at p (just after the opening quote).
 * On success stores the position of the closing quote in *close and whether
 * any escape occurs in *escaped, and returns 0. */
static int scan_string(parser *ps, const char *p, const char *end, const char **close,
                       bool *escaped)
{
    const unsigned char *cls = gqlx_json_str_class;
    for (;;) {
        while (p < end && cls[(unsigned char)*p] == 0)
            p++;
        if (p >= end)
            return fail(ps, GQL_EJSON, ps->len, "Unterminated string");
        unsigned char c = (unsigned char)*p;
        if (c == '"') {
            *close = p;
            return 0;
        }
        if (c == '\\') {
            *escaped = true;
            if (p + 1 >= end)
                return fail(ps, GQL_EJSON, ps->len, "Unterminated string");
            switch (p[1]) {
            case '"':
            case '\\':
            case '/':
            case 'b':
            case 'f':
            case 'n':
            case 'r':
            case 't':
                p += 2;
                continue;
            case 'u': {
                int rc = check_u_escape(ps, p, end);
                if (rc != 0)
                    return rc;
                uint32_t u = hex4(p + 2);
                if (u >= 0xd800 && u <= 0xdbff) {
                    /* Must be followed at once by the escape of a low half. */
                    if (p + 7 < end && p[6] == '\\' && p[7] == 'u') {
                        rc = check_u_escape(ps, p + 6, end);
                        if (rc != 0)
                            return rc;
                        uint32_t lo = hex4(p + 8);
                        if (lo >= 0xdc00 && lo <= 0xdfff) {
                            p += 12;
                            continue;
                        }
                    }
                } else if (u < 0xdc00 || u > 0xdfff) {
                    p += 6;
                    continue;
                }
                return fail(ps, GQL_EJSON, (size_t)(p - ps->text),
                            "Lone surrogate '\\u%.4s' in string", p + 2);
            }
            default: {
                unsigned char e = (unsigned char)p[1];
                if (e > 0x20 && e < 0x7f)
                    return fail(ps, GQL_EJSON, (size_t)(p - ps->text),
                                "Invalid escape '\\%c' in string", e);
                char what[16];
                return fail(ps, GQL_EJSON, (size_t)(p - ps->text),
                            "Invalid escape in string: '\\' followed by %s",
                            describe(p + 1, what, sizeof what));
            }
            }
        }
        if (c < 0x20)
            return fail(ps, GQL_EJSON, (size_t)(p - ps->text),
                        "Unescaped control character U+%04X in string", c);
        uint32_t cp;
        size_t n = gqlx_utf8_decode(p, (size_t)(end - p), &cp);
        if (n == 0)
            return fail(ps, GQL_EJSON, (size_t)(p - ps->text), "Invalid UTF-8 in string");
        p += n;
    }
}

/* Decodes the validated string body p[0..close) into out (room for
 * close - p bytes: decoding never lengthens) and returns the length. */
static size_t decode_string(const char *p, const char *close, char *out)
{
    char *o = out;
    while (p < close) {
        const char *bs = memchr(p, '\\', (size_t)(close - p));
        if (bs == NULL)
            bs = close;
        memcpy(o, p, (size_t)(bs - p));
        o += bs - p;
        p = bs;
        if (p == close)
            break;
        char c = p[1];
        p += 2;
        switch (c) {
        case 'b':
            *o++ = '\b';
            break;
        case 'f':
            *o++ = '\f';
            break;
        case 'n':
            *o++ = '\n';
            break;
        case 'r':
            *o++ = '\r';
            break;
        case 't':
            *o++ = '\t';
            break;
        case 'u': {
            uint32_t cp = hex4(p);
            p += 4;
            if (cp >= 0xd800 && cp <= 0xdbff) {
                cp = 0x10000 + ((cp - 0xd800) << 10) + (hex4(p + 2) - 0xdc00);
                p += 6;
            }
            o += gqlx_utf8_encode(cp, o);
            break;
        }
        default: /* '"', '\\', '/' stand for themselves */
            *o++ = c;
            break;
        }
    }
    return (size_t)(o - out);
}

/* Reads the string whose opening quote is at *pp into *out and moves *pp
 * past the closing quote; *escaped says whether the text held escapes.
 * Returns 0 or an error status. */
static int read_string(parser *ps, const char **pp, const char *end, gqlx_slice *out,
                       bool *escaped_out)
{
    const char *start = *pp + 1, *close = NULL;
    bool escaped = false;
    int rc = scan_string(ps, start, end, &close, &escaped);
    *escaped_out = escaped;
    if (rc != 0)
        return rc;
    size_t raw = (size_t)(close - start);
    if (!escaped) {
        *out = gqlx_slice_make(start, raw);
    } else {
        char *buf = gqlx_arena_alloc(ps->arena, raw, 1);
        if (buf == NULL)
            return fail_nomem(ps, *pp);
        *out = gqlx_slice_make(buf, decode_string(start, close, buf));
    }
    *pp = close + 1;
    return 0;
}

static const double exact_pow10[] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

static inline bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Reads the number at *pp into *v and moves *pp past it. Returns 0 or an
 * error status. */
static int read_number(parser *ps, const char **pp, const char *end, gqlx_json *v)
{
    const char *start = *pp, *p = start;
    bool neg = false;
    if (*p == '-') {
        neg = true;
        if (++p >= end)
            return fail_end(ps);
    }
    /* Up to 19 significant digits are gathered in m exactly; past that the
     * value is only known from the text. */
    uint64_t m = 0;
    int ndigits = 0, exp10 = 0;
    bool truncated = false, integer = true;
    if (*p == '0') {
        p++;
        if (p < end && is_digit(*p))
            return fail(ps, GQL_EJSON, (size_t)(p - 1 - ps->text),
                        "Leading zeros are not allowed in numbers");
    } else if (is_digit(*p)) {
        for (; p < end && is_digit(*p); p++) {
            if (ndigits < 19) {
                m = m * 10 + (uint64_t)(*p - '0');
                ndigits++;
            } else {
                truncated = true;
                exp10++;
            }
        }
    } else {
        char what[16];
        return fail(ps, GQL_EJSON, (size_t)(p - ps->text), "Expected a digit after '-', found %s",
                    describe(p, what, sizeof what));
    }
    if (p < end && *p == '.') {
        integer = false;
        if (++p >= end)
            return fail_end(ps);
        if (!is_digit(*p)) {
            char what[16];
            return fail(ps, GQL_EJSON, (size_t)(p - ps->text),
                        "Expected a digit after '.', found %s", describe(p, what, sizeof what));
        }
        for (; p < end && is_digit(*p); p++) {
            if (m == 0 && *p == '0') {
                exp10--; /* leading zeros of the fraction are not significant */
            } else if (ndigits < 19) {
                m = m * 10 + (uint64_t)(*p - '0');
                ndigits++;
                exp10--;
            } else {
                truncated = true;
            }
        }
    }
    bool has_exponent = false;
    if (p < end && (*p == 'e' || *p == 'E')) {
        integer = false;
        has_exponent = true;
        if (++p >= end)
            return fail_end(ps);
        bool eneg = false;
        if (*p == '+' || *p == '-') {
            eneg = *p == '-';
            if (++p >= end)
                return fail_end(ps);
        }
        if (!is_digit(*p)) {
            char what[16];
            return fail(ps, GQL_EJSON, (size_t)(p - ps->text),
                        "Expected a digit in the exponent, found %s",
                        describe(p, what, sizeof what));
        }
        int e = 0;
        for (; p < end && is_digit(*p); p++)
            if (e < 100000) /* far beyond any double; the text decides */
                e = e * 10 + (*p - '0');
        exp10 += eneg ? -e : e;
    }
    *v = (gqlx_json){.kind = GQLX_JSON_NUMBER};
    v->u.str = start;
    v->len = (size_t)(p - start);
    if (integer) {
        v->flags = GQLX_JSON_INTEGER;
        if (!truncated && m <= (neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX)) {
            v->flags |= GQLX_JSON_INT64;
            v->i64 = neg ? (m == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)m) : (int64_t)m;
        }
        /* An integer of at most 2^53 is exact, and JavaScript prints it
         * with the same digits; -0 prints as 0. */
        if (!truncated && m <= (UINT64_C(1) << 53) && !(neg && m == 0))
            v->flags |= GQLX_JSON_JS_TEXT;
    } else if (!has_exponent && ndigits <= 15 && p[-1] != '0' && exp10 > -6 - ndigits) {
        /* A fraction without exponent: at most 15 significant digits
         * read back as the same digits (DBL_DIG), so no shorter text gives
         * the same double and this is the one JavaScript prints, unless a
         * final zero makes it longer than needed or the value is below
         * 1e-6 (printed with an exponent). */
        v->flags = GQLX_JSON_JS_TEXT;
    }
    if (!truncated && m <= (UINT64_C(1) << 53) && exp10 >= -22 && exp10 <= 22) {
        /* Both m and the power of ten are exact doubles, so one IEEE
         * multiplication or division gives the correctly rounded result. */
        double d = (double)m;
        d = exp10 < 0 ? d / exact_pow10[-exp10] : d * exact_pow10[exp10];
        v->d = neg ? -d : d;
    } else {
        char local[64];
        char *copy = local;
        if (v->len >= sizeof local) {
            copy = gqlx_arena_alloc(ps->arena, v->len + 1, 1);
            if (copy == NULL)
                return fail_nomem(ps, start);
        }
        memcpy(copy, start, v->len);
        copy[v->len] = '\0';
        v->d = gqlx_strtod_c(copy, NULL);
    }
    *pp = p;
    return 0;
}

/* Reads the literal lit (true, false, null) at *pp. */
static int read_literal(parser *ps, const char **pp, const char *end, const char *lit, size_t n)
{
    const char *p = *pp;
    for (size_t i = 0; i < n; i++) {
        if (p + i >= end)
            return fail_end(ps);
        if (p[i] != lit[i]) {
            char what[16];
            return fail(ps, GQL_EJSON, (size_t)(p + i - ps->text),
                        "Invalid literal: expected '%s', found %s", lit,
                        describe(p + i, what, sizeof what));
        }
    }
    *pp = p + n;
    return 0;
}

/* Keeps one member per key in m[0..n): the first position, the last value.
 * Removed members get a NULL key pointer. Returns the number kept, or
 * SIZE_MAX when the hash table could not be allocated. */
static size_t dedupe(parser *ps, gqlx_json_member *m, size_t n)
{
    size_t kept = n;
    if (n <= SMALL_OBJECT) {
        for (size_t i = 1; i < n; i++)
            for (size_t j = 0; j < i; j++)
                if (m[j].key.ptr != NULL && gqlx_slice_eq(m[i].key, m[j].key)) {
                    m[j].value = m[i].value;
                    m[i].key.ptr = NULL;
                    kept--;
                    break;
                }
        return kept;
    }
    size_t cap = 16;
    while (cap < n * 2)
        cap *= 2;
    if (cap > ps->table_cap) {
        size_t *t = gqlx_malloc(cap * sizeof *t);
        if (t == NULL)
            return SIZE_MAX;
        gqlx_free(ps->table);
        ps->table = t;
        ps->table_cap = cap;
    }
    size_t *slots = ps->table;
    memset(slots, 0, cap * sizeof *slots);
    /* Seeded so that a client cannot send keys that all collide. */
    uint64_t seed = gqlx_hash_seed();
    for (size_t i = 0; i < n; i++) {
        size_t s = (size_t)gqlx_hash(m[i].key.ptr, m[i].key.len, seed) & (cap - 1);
        for (;;) {
            if (slots[s] == 0) {
                slots[s] = i + 1;
                break;
            }
            gqlx_json_member *first = &m[slots[s] - 1];
            if (gqlx_slice_eq(first->key, m[i].key)) {
                first->value = m[i].value;
                m[i].key.ptr = NULL;
                kept--;
                break;
            }
            s = (s + 1) & (cap - 1);
        }
    }
    return kept;
}

/* Pops the innermost container and builds it in *v from its children. */
static int close_container(parser *ps, const char *p, gqlx_json *v)
{
    frame *f = &ps->frames[--ps->nframes];
    size_t n = ps->nscratch - f->start;
    gqlx_json_member *m = ps->scratch + f->start;
    *v = (gqlx_json){.kind = f->kind, .len = n};
    if (f->kind == GQLX_JSON_ARRAY) {
        if (n > 0) {
            gqlx_json *items = GQLX_ARRAY(ps->arena, gqlx_json, n);
            if (items == NULL)
                return fail_nomem(ps, p);
            for (size_t i = 0; i < n; i++)
                items[i] = m[i].value;
            v->u.items = items;
        }
    } else if (n > 0) {
        size_t kept = n > 1 ? dedupe(ps, m, n) : n;
        if (kept == SIZE_MAX)
            return fail_nomem(ps, p);
        gqlx_json_member *members = GQLX_ARRAY(ps->arena, gqlx_json_member, kept);
        if (members == NULL)
            return fail_nomem(ps, p);
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            if (m[i].key.ptr != NULL)
                members[k++] = m[i];
        v->len = kept;
        v->u.members = members;
    }
    ps->nscratch = f->start;
    return 0;
}

#define SKIP_WS()                                                                                  \
    while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))                       \
    p++

static int run(parser *ps, unsigned max_depth, gqlx_json *result)
{
    const char *p = ps->text, *end = ps->text + ps->len;
    gqlx_json cur;
    gqlx_slice s;
    int rc;
    bool after_comma = false, escaped;

value:
    SKIP_WS();
    if (p >= end)
        return fail_end(ps);
    switch (*p) {
    case '{':
    case '[': {
        if (ps->nframes >= max_depth)
            return fail(ps, GQL_ELIMIT, (size_t)(p - ps->text),
                        "Nesting is deeper than the limit of %u", max_depth);
        if (ps->nframes == ps->frames_cap) {
            frame *f = grow(ps->frames, ps->local_frames, &ps->frames_cap, sizeof *f, SIZE_MAX);
            if (f == NULL)
                return fail_nomem(ps, p);
            ps->frames = f;
        }
        frame *top = &ps->frames[ps->nframes++];
        top->kind = *p == '{' ? GQLX_JSON_OBJECT : GQLX_JSON_ARRAY;
        top->start = ps->nscratch;
        top->key = gqlx_slice_make(NULL, 0);
        char close = *p == '{' ? '}' : ']';
        p++;
        SKIP_WS();
        if (p < end && *p == close) {
            p++;
            rc = close_container(ps, p, &cur);
            if (rc != 0)
                return rc;
            goto done;
        }
        if (top->kind == GQLX_JSON_OBJECT) {
            after_comma = false;
            goto key;
        }
        goto value;
    }
    case '"':
        rc = read_string(ps, &p, end, &s, &escaped);
        if (rc != 0)
            return rc;
        /* Valid UTF-8 without quotes, backslashes or control characters
         * (all three need escapes in JSON text): written back as it is. */
        cur = (gqlx_json){
            .kind = GQLX_JSON_STRING, .len = s.len, .flags = escaped ? 0 : GQLX_JSON_PLAIN};
        cur.u.str = s.ptr;
        goto done;
    case 't':
        rc = read_literal(ps, &p, end, "true", 4);
        if (rc != 0)
            return rc;
        cur = (gqlx_json){.kind = GQLX_JSON_BOOL, .boolean = true};
        goto done;
    case 'f':
        rc = read_literal(ps, &p, end, "false", 5);
        if (rc != 0)
            return rc;
        cur = (gqlx_json){.kind = GQLX_JSON_BOOL, .boolean = false};
        goto done;
    case 'n':
        rc = read_literal(ps, &p, end, "null", 4);
        if (rc != 0)
            return rc;
        cur = (gqlx_json){.kind = GQLX_JSON_NULL};
        goto done;
    case '-':
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7':
    case '8':
    case '9':
        rc = read_number(ps, &p, end, &cur);
        if (rc != 0)
            return rc;
        goto done;
    default: {
        char what[16];
        return fail(ps, GQL_EJSON, (size_t)(p - ps->text), "Expected a JSON value, found %s",
                    describe(p, what, sizeof what));
    }
    }

done:
    if (ps->nframes == 0) {
        SKIP_WS();
        if (p < end) {
            char what[16];
            return fail(ps, GQL_EJSON, (size_t)(p - ps->text), "Unexpected %s after the JSON value",
                        describe(p, what, sizeof what));
        }
        *result = cur;
        return 0;
    }
    {
        frame *top = &ps->frames[ps->nframes - 1];
        if (ps->nscratch == ps->scratch_cap) {
            gqlx_json_member *g =
                grow(ps->scratch, ps->local_scratch, &ps->scratch_cap, sizeof *g, scratch_max(ps));
            if (g == NULL) {
                /* As if the arena had passed its cap: the same sticky
                 * failure its other users test. */
                ps->arena->failed = true;
                return fail_nomem(ps, p);
            }
            ps->scratch = g;
        }
        ps->scratch[ps->nscratch].key = top->key;
        ps->scratch[ps->nscratch++].value = cur;
        SKIP_WS();
        if (p >= end)
            return fail_end(ps);
        if (top->kind == GQLX_JSON_OBJECT) {
            if (*p == ',') {
                p++;
                after_comma = true;
                goto key;
            }
            if (*p != '}')
                return fail(ps, GQL_EJSON, (size_t)(p - ps->text),
                            "Expected ',' or '}' after object member");
        } else {
            if (*p == ',') {
                p++;
                SKIP_WS();
                if (p < end && *p == ']')
                    return fail(ps, GQL_EJSON, (size_t)(p - ps->text), "Trailing comma in array");
                goto value;
            }
            if (*p != ']')
                return fail(ps, GQL_EJSON, (size_t)(p - ps->text),
                            "Expected ',' or ']' after array element");
        }
        p++;
        rc = close_container(ps, p, &cur);
        if (rc != 0)
            return rc;
        goto done;
    }

key:
    SKIP_WS();
    if (p >= end)
        return fail_end(ps);
    if (*p != '"') {
        if (after_comma && *p == '}')
            return fail(ps, GQL_EJSON, (size_t)(p - ps->text), "Trailing comma in object");
        char what[16];
        return fail(ps, GQL_EJSON, (size_t)(p - ps->text),
                    "Expected a string key in object, found %s", describe(p, what, sizeof what));
    }
    rc = read_string(ps, &p, end, &s, &escaped);
    if (rc != 0)
        return rc;
    ps->frames[ps->nframes - 1].key = s;
    SKIP_WS();
    if (p >= end)
        return fail_end(ps);
    if (*p != ':')
        return fail(ps, GQL_EJSON, (size_t)(p - ps->text), "Expected ':' after object key");
    p++;
    goto value;
}

int gqlx_json_parse(gqlx_arena *arena, const char *text, size_t len, const gqlx_json_opts *opts,
                    gqlx_json **out, gqlx_json_error *err)
{
    gqlx_json_opts defaults;
    if (opts == NULL) {
        gqlx_json_opts_init(&defaults);
        opts = &defaults;
    }
    *out = NULL;
    parser ps;
    ps.text = text != NULL ? text : "";
    ps.len = text != NULL ? len : 0;
    ps.arena = arena;
    ps.err = err;
    ps.scratch = ps.local_scratch;
    ps.nscratch = 0;
    ps.scratch_cap = LOCAL_MEMBERS;
    ps.frames = ps.local_frames;
    ps.nframes = 0;
    ps.frames_cap = LOCAL_FRAMES;
    ps.table = NULL;
    ps.table_cap = 0;
    if (opts->max_bytes != 0 && ps.len > opts->max_bytes) {
        ps.len = 0; /* the position is reported without looking at the text */
        int rc = fail(&ps, GQL_ELIMIT, 0, "JSON text of %zu bytes is larger than the limit of %zu",
                      len, opts->max_bytes);
        return rc;
    }
    if (gqlx_arena_failed(arena))
        return fail_nomem(&ps, ps.text);
    gqlx_json root;
    int rc = run(&ps, opts->max_depth, &root);
    if (ps.scratch != ps.local_scratch)
        gqlx_free(ps.scratch);
    if (ps.frames != ps.local_frames)
        gqlx_free(ps.frames);
    gqlx_free(ps.table);
    if (rc != 0)
        return rc;
    gqlx_json *r = GQLX_ARRAY(arena, gqlx_json, 1);
    if (r == NULL)
        return fail_nomem(&ps, ps.text + ps.len);
    *r = root;
    *out = r;
    return GQL_OK;
}

const gqlx_json *gqlx_json_get(const gqlx_json *obj, const char *key, size_t key_len)
{
    if (obj == NULL || obj->kind != GQLX_JSON_OBJECT)
        return NULL;
    gqlx_slice k = gqlx_slice_make(key, key_len);
    for (size_t i = 0; i < obj->len; i++)
        if (gqlx_slice_eq(obj->u.members[i].key, k))
            return &obj->u.members[i].value;
    return NULL;
}

const gqlx_json *gqlx_json_get_cstr(const gqlx_json *obj, const char *key)
{
    return gqlx_json_get(obj, key, strlen(key));
}

const gqlx_json *gqlx_json_get_path(const gqlx_json *obj, const char *key)
{
    const gqlx_json *v = gqlx_json_get_cstr(obj, key);
    if (v != NULL || strchr(key, '.') == NULL)
        return v;
    v = obj;
    for (const char *p = key; v != NULL;) {
        const char *dot = strchr(p, '.');
        size_t n = dot != NULL ? (size_t)(dot - p) : strlen(p);
        v = gqlx_json_get(v, p, n);
        if (dot == NULL)
            break;
        p = dot + 1;
    }
    return v;
}

const gqlx_json *gqlx_json_at(const gqlx_json *arr, size_t i)
{
    if (arr == NULL || arr->kind != GQLX_JSON_ARRAY || i >= arr->len)
        return NULL;
    return &arr->u.items[i];
}

const char *gqlx_json_kind_name(int kind)
{
    switch (kind) {
    case GQLX_JSON_NULL:
        return "null";
    case GQLX_JSON_BOOL:
        return "boolean";
    case GQLX_JSON_NUMBER:
        return "number";
    case GQLX_JSON_STRING:
        return "string";
    case GQLX_JSON_ARRAY:
        return "array";
    case GQLX_JSON_OBJECT:
        return "object";
    default:
        return "unknown";
    }
}
