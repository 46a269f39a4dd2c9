/* src/core/suggest.c — graphql-js's suggestionList and didYouMean in C.
 *
 * Strings are compared as JavaScript would: as arrays of UTF-16 code units,
 * so lengths, thresholds and the natural sort agree with graphql-js for any
 * text. The conversion from UTF-8 happens once per string per call. */
#include "core/suggest.h"

#include <stdint.h>
#include <stdlib.h>

#include "core/utf8.h"

/* Writes the UTF-16 code units of a UTF-8 string to u (room for s.len
 * units is enough), ASCII letters lower-cased when `lower`, and returns how
 * many. Invalid bytes (not expected: names come from checked sources) count
 * as one unit each so that the function is total. */
static size_t fill_utf16(gqlx_slice s, bool lower, uint16_t *u)
{
    size_t n = 0;
    for (size_t i = 0; i < s.len;) {
        uint32_t cp;
        size_t len = gqlx_utf8_decode(s.ptr + i, s.len - i, &cp);
        if (len == 0) {
            cp = (unsigned char)s.ptr[i];
            len = 1;
        }
        i += len;
        if (cp >= 0x10000) {
            /* A 4-byte sequence is two UTF-16 units. */
            cp -= 0x10000;
            u[n++] = (uint16_t)(0xD800 + (cp >> 10));
            u[n++] = (uint16_t)(0xDC00 + (cp & 0x3FF));
        } else {
            if (lower && cp >= 'A' && cp <= 'Z')
                cp += 'a' - 'A';
            u[n++] = (uint16_t)cp;
        }
    }
    return n;
}

/* fill_utf16 into an array from the arena. Returns the number of units, or
 * SIZE_MAX when the arena fails. */
static size_t to_utf16(gqlx_arena *a, gqlx_slice s, bool lower, uint16_t **out)
{
    uint16_t *u = GQLX_ARRAY(a, uint16_t, s.len + 1);
    if (u == NULL)
        return SIZE_MAX;
    *out = u;
    return fill_utf16(s, lower, u);
}

static bool is_digit16(uint16_t c)
{
    return c >= '0' && c <= '9';
}

/* naturalCompare on UTF-16 arrays. A digit run is read as a number, but a
 * leading zero ends the run at once (graphql-js stops while the value is
 * 0), so "007" reads as 0, 0, 7. Values accumulate in a double as in
 * JavaScript. */
static int natural_compare16(const uint16_t *a, size_t alen, const uint16_t *b, size_t blen)
{
    size_t ai = 0, bi = 0;
    while (ai < alen && bi < blen) {
        uint16_t ac = a[ai], bc = b[bi];
        if (is_digit16(ac) && is_digit16(bc)) {
            double an = 0, bn = 0;
            do {
                an = an * 10 + (ac - '0');
                ai++;
                ac = ai < alen ? a[ai] : 0;
            } while (is_digit16(ac) && an > 0);
            do {
                bn = bn * 10 + (bc - '0');
                bi++;
                bc = bi < blen ? b[bi] : 0;
            } while (is_digit16(bc) && bn > 0);
            if (an < bn)
                return -1;
            if (an > bn)
                return 1;
        } else {
            if (ac < bc)
                return -1;
            if (ac > bc)
                return 1;
            ai++;
            bi++;
        }
    }
    return alen < blen ? -1 : alen > blen ? 1 : 0;
}

int gqlx_natural_compare(gqlx_slice a, gqlx_slice b)
{
    /* Names are short: convert on the stack (this runs inside qsort
     * comparators), in a temporary arena only for long texts. */
    enum { LOCAL_UNITS = 128 };
    uint16_t la[LOCAL_UNITS], lb[LOCAL_UNITS];
    if (a.len <= LOCAL_UNITS && b.len <= LOCAL_UNITS)
        return natural_compare16(la, fill_utf16(a, false, la), lb, fill_utf16(b, false, lb));
    gqlx_arena tmp;
    gqlx_arena_init(&tmp, 0, 0);
    uint16_t *ua = NULL, *ub = NULL;
    size_t alen = to_utf16(&tmp, a, false, &ua);
    size_t blen = to_utf16(&tmp, b, false, &ub);
    int r;
    if (alen == SIZE_MAX || blen == SIZE_MAX) /* no memory: fall back to bytes */
        r = a.len == b.len ? memcmp(a.ptr, b.ptr, a.len) : (a.len < b.len ? -1 : 1);
    else
        r = natural_compare16(ua, alen, ub, blen);
    gqlx_arena_free(&tmp);
    return r;
}

/* Optimal string alignment distance between lower-cased arrays a (longer)
 * and b, with graphql-js's early exits; -1 when above threshold. rows holds
 * 3 * (blen + 1) cells. */
static long osa_distance(const uint16_t *a, size_t alen, const uint16_t *b, size_t blen,
                         size_t threshold, size_t *rows)
{
    size_t w = blen + 1;
    if (alen - blen > threshold)
        return -1;
    for (size_t j = 0; j <= blen; j++)
        rows[j] = j;
    for (size_t i = 1; i <= alen; i++) {
        size_t *up = rows + ((i - 1) % 3) * w;
        size_t *cur = rows + (i % 3) * w;
        size_t smallest = cur[0] = i;
        for (size_t j = 1; j <= blen; j++) {
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t cell = up[j] + 1;
            if (cur[j - 1] + 1 < cell)
                cell = cur[j - 1] + 1;
            if (up[j - 1] + cost < cell)
                cell = up[j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                size_t dd = rows[((i - 2) % 3) * w + (j - 2)] + 1;
                if (dd < cell)
                    cell = dd;
            }
            if (cell < smallest)
                smallest = cell;
            cur[j] = cell;
        }
        if (smallest > threshold)
            return -1;
    }
    size_t d = rows[(alen % 3) * w + blen];
    return d <= threshold ? (long)d : -1;
}

static bool units_equal(const uint16_t *a, size_t alen, const uint16_t *b, size_t blen)
{
    return alen == blen && (alen == 0 || memcmp(a, b, alen * sizeof *a) == 0);
}

/* Distance with the input already converted (exact and lower-case forms). */
static long measure(gqlx_arena *scratch, const uint16_t *in, size_t inlen, const uint16_t *inl,
                    gqlx_slice option, size_t threshold)
{
    uint16_t *opt, *optl;
    size_t olen = to_utf16(scratch, option, false, &opt);
    size_t ollen = to_utf16(scratch, option, true, &optl);
    if (olen == SIZE_MAX || ollen == SIZE_MAX)
        return -1;
    if (units_equal(in, inlen, opt, olen))
        return 0;
    if (units_equal(inl, inlen, optl, ollen))
        return 1;
    const uint16_t *a = optl, *b = inl;
    size_t alen = ollen, blen = inlen;
    if (alen < blen) {
        a = inl;
        b = optl;
        alen = inlen;
        blen = ollen;
    }
    size_t *rows = GQLX_ARRAY(scratch, size_t, 3 * (blen + 1));
    if (rows == NULL)
        return -1;
    return osa_distance(a, alen, b, blen, threshold, rows);
}

long gqlx_lexical_distance(gqlx_arena *scratch, gqlx_slice input, gqlx_slice option,
                           size_t threshold)
{
    uint16_t *in, *inl;
    size_t inlen = to_utf16(scratch, input, false, &in);
    size_t inllen = to_utf16(scratch, input, true, &inl);
    if (inlen == SIZE_MAX || inllen == SIZE_MAX)
        return -1;
    return measure(scratch, in, inlen, inl, option, threshold);
}

typedef struct candidate {
    gqlx_slice text;
    const uint16_t *units;
    size_t len;
    long distance;
    size_t order; /* position among the options: JavaScript's sort is stable */
} candidate;

static int candidate_cmp(const void *pa, const void *pb)
{
    const candidate *a = pa, *b = pb;
    if (a->distance != b->distance)
        return a->distance < b->distance ? -1 : 1;
    int c = natural_compare16(a->units, a->len, b->units, b->len);
    if (c != 0)
        return c;
    return a->order < b->order ? -1 : a->order > b->order ? 1 : 0;
}

size_t gqlx_suggestion_list(gqlx_arena *arena, gqlx_slice input, const gqlx_slice *options,
                            size_t n, gqlx_slice **out)
{
    *out = NULL;
    if (n == 0)
        return 0;
    uint16_t *in, *inl;
    size_t inlen = to_utf16(arena, input, false, &in);
    if (inlen == SIZE_MAX || to_utf16(arena, input, true, &inl) == SIZE_MAX)
        return 0;
    /* graphql-js: Math.floor(input.length * 0.4) + 1 */
    size_t threshold = (inlen * 2) / 5 + 1;
    candidate *c = GQLX_ARRAY(arena, candidate, n);
    if (c == NULL)
        return 0;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        long d = measure(arena, in, inlen, inl, options[i], threshold);
        if (d < 0)
            continue;
        uint16_t *u;
        size_t ulen = to_utf16(arena, options[i], false, &u);
        if (ulen == SIZE_MAX)
            return 0;
        c[m++] = (candidate){options[i], u, ulen, d, i};
    }
    if (gqlx_arena_failed(arena) || m == 0)
        return 0;
    qsort(c, m, sizeof *c, candidate_cmp);
    gqlx_slice *res = GQLX_ARRAY(arena, gqlx_slice, m);
    if (res == NULL)
        return 0;
    /* Equal options sort next to each other (same distance, natural order
     * 0); graphql-js keeps each once because they become object keys. */
    size_t k = 0;
    for (size_t i = 0; i < m; i++) {
        if (k > 0 && gqlx_slice_eq(res[k - 1], c[i].text))
            continue;
        res[k++] = c[i].text;
    }
    *out = res;
    return k;
}

/* graphql-js's orList / andList, each item quoted when `quote`. */
static void append_list(gqlx_buf *out, const char *conjunction, const gqlx_slice *items, size_t n,
                        bool quote)
{
    for (size_t i = 0; i < n; i++) {
        if (i > 0) {
            if (n > 2)
                gqlx_buf_putc(out, ',');
            gqlx_buf_putc(out, ' ');
            if (i == n - 1) {
                gqlx_buf_append_cstr(out, conjunction);
                gqlx_buf_putc(out, ' ');
            }
        }
        if (quote)
            gqlx_buf_putc(out, '"');
        gqlx_buf_append(out, items[i].ptr, items[i].len);
        if (quote)
            gqlx_buf_putc(out, '"');
    }
}

void gqlx_format_list(gqlx_buf *out, const char *conjunction, const gqlx_slice *items, size_t n)
{
    append_list(out, conjunction, items, n, false);
}

void gqlx_did_you_mean(gqlx_buf *out, const char *sub_message, const gqlx_slice *suggestions,
                       size_t n)
{
    if (n == 0)
        return;
    if (n > GQLX_MAX_SUGGESTIONS)
        n = GQLX_MAX_SUGGESTIONS;
    gqlx_buf_append_cstr(out, " Did you mean ");
    if (sub_message != NULL) {
        gqlx_buf_append_cstr(out, sub_message);
        gqlx_buf_putc(out, ' ');
    }
    append_list(out, "or", suggestions, n, true);
    gqlx_buf_putc(out, '?');
}
