/* src/language/lexer.c — GraphQL tokens from source text.
 *
 * Mirrors graphql-js's lexer (language/lexer.ts) in what it accepts and in
 * each error's message and position; differs in that it works on UTF-8
 * bytes, copies nothing and does not count lines (positions become line
 * and column only when a message needs them). */
#include "language/lexer.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/utf8.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

const char *gqlx_token_kind_desc(gqlx_token_kind kind)
{
    switch (kind) {
#define GQLX_TOKEN_DESC(name, desc) \
    case GQLX_TOK_##name:           \
        return desc;
        GQLX_TOKEN_KINDS(GQLX_TOKEN_DESC)
#undef GQLX_TOKEN_DESC
    }
    return "?";
}

bool gqlx_token_is_punctuator(gqlx_token_kind kind)
{
    return kind >= GQLX_TOK_BANG && kind <= GQLX_TOK_BRACE_R;
}

/* 1 for the bytes that may continue a Name: [_0-9A-Za-z]. */
static const unsigned char name_continue[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0,
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1,
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

void gqlx_lexer_init(gqlx_lexer *lx, const char *body, uint32_t len, gqlx_arena *arena)
{
    lx->body = body;
    lx->len = len;
    lx->pos = 0;
    lx->error_offset = 0;
    lx->error = NULL;
    lx->arena = arena;
}

void gqlx_describe_char(const char *body, uint32_t len, uint32_t offset, char out[16])
{
    if (offset >= len) {
        memcpy(out, "<EOF>", 6);
        return;
    }
    unsigned char c = (unsigned char)body[offset];
    if (c >= 0x20 && c <= 0x7e) {
        if (c == '"')
            memcpy(out, "'\"'", 4);
        else
            snprintf(out, 16, "\"%c\"", c);
        return;
    }
    uint32_t cp = c;
    if (c >= 0x80 && gqlx_utf8_decode(body + offset, len - offset, &cp) == 0)
        cp = 0xfffd; /* unreachable for validated sources */
    snprintf(out, 16, "U+%04X", (unsigned)cp);
}

__attribute__((format(printf, 3, 4))) static bool fail(gqlx_lexer *lx, uint32_t offset,
                                                       const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    lx->error_offset = offset;
    if (n < 0)
        n = 0;
    if ((size_t)n < sizeof tmp) {
        lx->error = gqlx_arena_strndup(lx->arena, tmp, (size_t)n);
        return false;
    }
    /* Long message (it quotes source text): format again at full size. */
    char *big = gqlx_arena_alloc(lx->arena, (size_t)n + 1, 1);
    if (big != NULL) {
        va_start(ap, fmt);
        vsnprintf(big, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    lx->error = big;
    return false;
}

/* Messages are C strings, so a NUL byte quoted from the source cannot
 * appear in them as it does in graphql-js's: it becomes U+FFFD. */
static const char replacement[] = "\xef\xbf\xbd";

const char *gqlx_message_text(gqlx_arena *arena, const char *p, size_t len)
{
    size_t nuls = 0;
    for (size_t i = 0; i < len; i++)
        nuls += p[i] == '\0';
    char *out = gqlx_arena_alloc(arena, len + 2 * nuls + 1, 1);
    if (out == NULL)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        if (p[i] == '\0') {
            memcpy(out + o, replacement, 3);
            o += 3;
        } else {
            out[o++] = p[i];
        }
    }
    out[o] = '\0';
    return out;
}

/* The source text graphql-js quotes as body.slice(from, from + units):
 * `units` UTF-16 code units. When the cut falls between the two halves of
 * a surrogate pair, JavaScript keeps a lone surrogate, which becomes U+FFFD
 * once written as UTF-8; the excerpt ends with U+FFFD the same way. */
static const char *excerpt(gqlx_lexer *lx, uint32_t from, uint32_t units)
{
    uint32_t p = from;
    bool half = false;
    while (units > 0 && p < lx->len) {
        uint32_t cp;
        size_t n = gqlx_utf8_decode(lx->body + p, lx->len - p, &cp);
        if (n == 0) { /* unreachable for validated sources */
            n = 1;
            cp = 0xfffd;
        }
        if (cp >= 0x10000 && units == 1) {
            half = true;
            break;
        }
        p += (uint32_t)n;
        units -= cp >= 0x10000 ? 2 : 1;
    }
    const char *text = gqlx_message_text(lx->arena, lx->body + from, p - from);
    if (text == NULL || !half)
        return text;
    size_t n = strlen(text);
    char *out = gqlx_arena_alloc(lx->arena, n + 4, 1);
    if (out != NULL) {
        memcpy(out, text, n);
        memcpy(out + n, replacement, 4);
    }
    return out;
}

static inline int hex_value(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* The byte at i, or -1 past the end (graphql-js's charCodeAt gives NaN). */
static inline int at(const gqlx_lexer *lx, uint32_t i)
{
    return i < lx->len ? (unsigned char)lx->body[i] : -1;
}

static inline bool is_scalar_value(int32_t cp)
{
    return (cp >= 0 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0x10ffff);
}

/* Reads four hex digits at i as graphql-js's read16BitHexCode: negative if
 * any is not a hex digit. */
static int32_t hex16(const gqlx_lexer *lx, uint32_t i)
{
    int a = hex_value(at(lx, i)), b = hex_value(at(lx, i + 1));
    int c = hex_value(at(lx, i + 2)), d = hex_value(at(lx, i + 3));
    if ((a | b | c | d) < 0)
        return -1;
    return (a << 12) | (b << 8) | (c << 4) | d;
}

/* Checks the escape sequence starting with the backslash at pos; returns
 * its length in bytes, or 0 after recording the error. */
static uint32_t check_escape(gqlx_lexer *lx, uint32_t pos)
{
    int c = at(lx, pos + 1);
    switch (c) {
    case '"':
    case '\\':
    case '/':
    case 'b':
    case 'f':
    case 'n':
    case 'r':
    case 't':
        return 2;
    case 'u':
        break;
    default: {
        const char *text = excerpt(lx, pos, 2);
        if (text != NULL)
            fail(lx, pos, "Invalid character escape sequence: \"%s\".", text);
        return 0;
    }
    }
    if (at(lx, pos + 2) == '{') {
        /* \u{X...}: as graphql-js, at most nine characters after "\u{" are
         * examined, and the value is accumulated in 32-bit arithmetic. */
        int32_t point = 0;
        uint32_t size = 3;
        while (size < 12) {
            int ch = at(lx, pos + size++);
            if (ch == '}') {
                if (size < 5 || !is_scalar_value(point))
                    break;
                return size;
            }
            int h = hex_value(ch);
            point = (int32_t)(((uint32_t)point << 4) | (uint32_t)(h < 0 ? -1 : h));
            if (point < 0)
                break;
        }
        const char *text = excerpt(lx, pos, size);
        if (text != NULL)
            fail(lx, pos, "Invalid Unicode escape sequence: \"%s\".", text);
        return 0;
    }
    int32_t code = hex16(lx, pos + 2);
    if (is_scalar_value(code))
        return 6;
    if (code >= 0xd800 && code <= 0xdbff && at(lx, pos + 6) == '\\' && at(lx, pos + 7) == 'u') {
        int32_t trail = hex16(lx, pos + 8);
        if (trail >= 0xdc00 && trail <= 0xdfff)
            return 12;
    }
    const char *text = excerpt(lx, pos, 6);
    if (text != NULL)
        fail(lx, pos, "Invalid Unicode escape sequence: \"%s\".", text);
    return 0;
}

/* Returns the first position in [p, end) holding byte a or byte b, or end.
 * String and comment bodies are most of a schema's bytes, so this scan is
 * the lexer's hot loop: 16 bytes per step where SSE2 is available. */
static inline const char *find_either(const char *p, const char *end, char a, char b)
{
#ifdef __SSE2__
    const __m128i va = _mm_set1_epi8(a), vb = _mm_set1_epi8(b);
    while (end - p >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
        int mask = _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, va), _mm_cmpeq_epi8(v, vb)));
        if (mask != 0)
            return p + __builtin_ctz((unsigned)mask);
        p += 16;
    }
#endif
    while (p < end && *p != a && *p != b)
        p++;
    return p;
}

/* Returns the first position in [p, end) that cannot continue a Name
 * ([_0-9A-Za-z]), or end: names are most of a schema's tokens. */
static inline const char *name_end(const char *p, const char *end)
{
#ifdef __SSE2__
    const __m128i a = _mm_set1_epi8('a'), z = _mm_set1_epi8('z' - 'a');
    const __m128i d0 = _mm_set1_epi8('0'), d9 = _mm_set1_epi8(9);
    const __m128i us = _mm_set1_epi8('_'), case_bit = _mm_set1_epi8(0x20);
    while (end - p >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
        /* x - lo <= hi - lo, unsigned, for the ranges a-z (either case)
         * and 0-9. */
        __m128i alpha = _mm_sub_epi8(_mm_or_si128(v, case_bit), a);
        __m128i digit = _mm_sub_epi8(v, d0);
        __m128i ok = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(_mm_max_epu8(alpha, z), z),
                                               _mm_cmpeq_epi8(_mm_max_epu8(digit, d9), d9)),
                                  _mm_cmpeq_epi8(v, us));
        unsigned stop = ~(unsigned)_mm_movemask_epi8(ok) & 0xffffu;
        if (stop != 0)
            return p + __builtin_ctz(stop);
        p += 16;
    }
#endif
    while (p < end && name_continue[(unsigned char)*p])
        p++;
    return p;
}

static bool read_string(gqlx_lexer *lx, gqlx_token *tok, uint32_t start)
{
    const char *body = lx->body;
    uint32_t len = lx->len;
    uint32_t pos = start + 1;
    uint8_t flags = 0;
    while (pos < len) {
        char c = body[pos];
        if (c == '"') {
            tok->kind = GQLX_TOK_STRING;
            tok->flags = flags;
            tok->start = start;
            tok->end = pos + 1;
            lx->pos = pos + 1;
            return true;
        }
        if (c == '\\') {
            uint32_t n = check_escape(lx, pos);
            if (n == 0)
                return false;
            flags = GQLX_TOKEN_ESCAPED;
            pos += n;
            continue;
        }
        if (c == '\n' || c == '\r')
            break;
        pos++;
    }
    return fail(lx, pos, "Unterminated string.");
}

static bool read_block_string(gqlx_lexer *lx, gqlx_token *tok, uint32_t start)
{
    const char *body = lx->body;
    uint32_t len = lx->len;
    uint32_t pos = start + 3;
    while (pos < len) {
        /* Only '"' and '\\' matter inside a block string. */
        pos = (uint32_t)(find_either(body + pos, body + len, '"', '\\') - body);
        if (pos >= len)
            break;
        if (body[pos] == '"') {
            if (at(lx, pos + 1) == '"' && at(lx, pos + 2) == '"') {
                tok->kind = GQLX_TOK_BLOCK_STRING;
                tok->flags = GQLX_TOKEN_ESCAPED;
                tok->start = start;
                tok->end = pos + 3;
                lx->pos = pos + 3;
                return true;
            }
            pos++;
            continue;
        }
        /* A backslash: only \""" is an escape; any other is literal. */
        if (at(lx, pos + 1) == '"' && at(lx, pos + 2) == '"' && at(lx, pos + 3) == '"')
            pos += 4;
        else
            pos++;
    }
    return fail(lx, len, "Unterminated string.");
}

static uint32_t skip_digits(const gqlx_lexer *lx, uint32_t pos)
{
    while (pos < lx->len && (unsigned)(lx->body[pos] - '0') < 10u)
        pos++;
    return pos;
}

/* graphql-js's readDigits: at least one digit at pos, else an error. */
static bool read_digits(gqlx_lexer *lx, uint32_t *pos)
{
    int c = at(lx, *pos);
    if (c < '0' || c > '9') {
        char desc[16];
        gqlx_describe_char(lx->body, lx->len, *pos, desc);
        return fail(lx, *pos, "Invalid number, expected digit but got: %s.", desc);
    }
    *pos = skip_digits(lx, *pos + 1);
    return true;
}

static bool read_number(gqlx_lexer *lx, gqlx_token *tok, uint32_t start)
{
    uint32_t pos = start;
    bool is_float = false;
    char desc[16];
    if (at(lx, pos) == '-')
        pos++;
    if (at(lx, pos) == '0') {
        pos++;
        int c = at(lx, pos);
        if (c >= '0' && c <= '9') {
            gqlx_describe_char(lx->body, lx->len, pos, desc);
            return fail(lx, pos, "Invalid number, unexpected digit after 0: %s.", desc);
        }
    } else if (!read_digits(lx, &pos)) {
        return false;
    }
    if (at(lx, pos) == '.') {
        is_float = true;
        pos++;
        if (!read_digits(lx, &pos))
            return false;
    }
    int c = at(lx, pos);
    if (c == 'e' || c == 'E') {
        is_float = true;
        pos++;
        c = at(lx, pos);
        if (c == '+' || c == '-')
            pos++;
        if (!read_digits(lx, &pos))
            return false;
    }
    c = at(lx, pos);
    if (c == '.' || c == '_' || ((unsigned)((c | 0x20) - 'a') < 26u && c >= 0)) {
        gqlx_describe_char(lx->body, lx->len, pos, desc);
        return fail(lx, pos, "Invalid number, expected digit but got: %s.", desc);
    }
    tok->kind = is_float ? GQLX_TOK_FLOAT : GQLX_TOK_INT;
    tok->flags = 0;
    tok->start = start;
    tok->end = pos;
    lx->pos = pos;
    return true;
}

static inline bool punct(gqlx_lexer *lx, gqlx_token *tok, gqlx_token_kind kind, uint32_t pos,
                         uint32_t n)
{
    tok->kind = (uint8_t)kind;
    tok->flags = 0;
    tok->start = pos;
    tok->end = pos + n;
    lx->pos = pos + n;
    return true;
}

bool gqlx_lex(gqlx_lexer *lx, gqlx_token *tok)
{
    const char *body = lx->body;
    uint32_t len = lx->len;
    uint32_t pos = lx->pos;
    char desc[16];

    while (pos < len) {
        unsigned char c = (unsigned char)body[pos];
        switch (c) {
        case ' ':
        case '\t':
        case ',':
        case '\n':
        case '\r':
            /* Indentation comes in runs of spaces: take them without going
             * back through the dispatch for each one. */
            pos++;
            while (pos < len && body[pos] == ' ')
                pos++;
            continue;
        case 0xef: /* U+FEFF, the byte order mark, is ignored anywhere */
            if (pos + 2 < len && (unsigned char)body[pos + 1] == 0xbb &&
                (unsigned char)body[pos + 2] == 0xbf) {
                pos += 3;
                continue;
            }
            break;
        case '#':
            /* A comment runs to the end of the line. */
            pos = (uint32_t)(find_either(body + pos, body + len, '\n', '\r') - body);
            continue;
        case '!':
            return punct(lx, tok, GQLX_TOK_BANG, pos, 1);
        case '$':
            return punct(lx, tok, GQLX_TOK_DOLLAR, pos, 1);
        case '&':
            return punct(lx, tok, GQLX_TOK_AMP, pos, 1);
        case '(':
            return punct(lx, tok, GQLX_TOK_PAREN_L, pos, 1);
        case ')':
            return punct(lx, tok, GQLX_TOK_PAREN_R, pos, 1);
        case '.': {
            int n1 = at(lx, pos + 1);
            if (n1 == '.' && at(lx, pos + 2) == '.')
                return punct(lx, tok, GQLX_TOK_SPREAD, pos, 3);
            if (n1 == '.')
                return fail(lx, pos, "Unexpected \"..\", did you mean \"...\"?");
            if (n1 >= '0' && n1 <= '9') {
                uint32_t end = skip_digits(lx, pos + 1);
                return fail(lx, pos,
                            "Invalid number, expected digit before \".\", did you mean "
                            "\"0.%.*s\"?",
                            (int)(end - pos - 1), body + pos + 1);
            }
            break;
        }
        case ':':
            return punct(lx, tok, GQLX_TOK_COLON, pos, 1);
        case '=':
            return punct(lx, tok, GQLX_TOK_EQUALS, pos, 1);
        case '@':
            return punct(lx, tok, GQLX_TOK_AT, pos, 1);
        case '[':
            return punct(lx, tok, GQLX_TOK_BRACKET_L, pos, 1);
        case ']':
            return punct(lx, tok, GQLX_TOK_BRACKET_R, pos, 1);
        case '{':
            return punct(lx, tok, GQLX_TOK_BRACE_L, pos, 1);
        case '|':
            return punct(lx, tok, GQLX_TOK_PIPE, pos, 1);
        case '}':
            return punct(lx, tok, GQLX_TOK_BRACE_R, pos, 1);
        case '"':
            if (at(lx, pos + 1) == '"' && at(lx, pos + 2) == '"')
                return read_block_string(lx, tok, pos);
            return read_string(lx, tok, pos);
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
            return read_number(lx, tok, pos);
        default:
            if (name_continue[c] && (c < '0' || c > '9')) {
                uint32_t end = (uint32_t)(name_end(body + pos + 1, body + len) - body);
                tok->kind = GQLX_TOK_NAME;
                tok->flags = 0;
                tok->start = pos;
                tok->end = end;
                lx->pos = end;
                return true;
            }
            break;
        }
        if (c == '\'')
            return fail(lx, pos,
                        "Unexpected single quote character ('), did you mean to use a double "
                        "quote (\")?");
        gqlx_describe_char(body, len, pos, desc);
        return fail(lx, pos, "Unexpected character: %s.", desc);
    }
    tok->kind = GQLX_TOK_EOF;
    tok->flags = 0;
    tok->start = tok->end = len;
    lx->pos = len;
    return true;
}
