/* src/core/dtoa.c — shortest round-trip printing of doubles in JavaScript's
 * layout, and locale-independent strtod.
 *
 * Method: find the least p such that the correctly rounded p-digit decimal
 * of x (printf's %.*e is exact in glibc) reads back as x with strtod; 17
 * digits always suffice. That p-digit decimal is
 * also the closest one to x, which is the tie-break ECMAScript asks for.
 * One subtlety: when x is a power of two the gap to the next smaller double
 * is half the gap to the next larger one, so the closest p-digit decimal may
 * lie just outside the (narrow) lower half of x's rounding interval while
 * the next p-digit decimal above x lies inside the (wide) upper half. Then
 * that upper neighbour is the answer for this p, and we try it too. */
#include "core/dtoa.h"

#include <locale.h>
#include <math.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static _Atomic(locale_t) c_locale_cache;

/* The "C" locale object, created once per process. glibc hands out a static
 * object for "C", so this practically never fails; if it does, fall back to
 * the global locale (right unless the host changed LC_NUMERIC). */
static locale_t c_locale(void)
{
    locale_t loc = atomic_load_explicit(&c_locale_cache, memory_order_acquire);
    if (loc != (locale_t)0)
        return loc;
    locale_t made = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    if (made == (locale_t)0)
        return (locale_t)0;
    locale_t expected = (locale_t)0;
    if (!atomic_compare_exchange_strong(&c_locale_cache, &expected, made)) {
        freelocale(made);
        return expected;
    }
    return made;
}

double gqlx_strtod_c(const char *s, char **end)
{
    locale_t loc = c_locale();
    if (loc == (locale_t)0)
        return strtod(s, end);
    return strtod_l(s, end, loc);
}

/* Reads the decimal digits[0..k) x 10^exp10 (digits[0] is the units digit)
 * back as a double. */
static double read_back(const char *digits, int k, int exp10)
{
    char text[48];
    size_t n = 0;
    text[n++] = digits[0];
    if (k > 1) {
        text[n++] = '.';
        memcpy(text + n, digits + 1, (size_t)k - 1);
        n += (size_t)k - 1;
    }
    text[n++] = 'e';
    snprintf(text + n, sizeof text - n, "%d", exp10);
    return gqlx_strtod_c(text, NULL);
}

/* Adds one unit in the last place to digits[0..k), keeping k digits; a carry
 * out of the first digit becomes "1000..." with a larger exponent. */
static void increment(char *digits, int k, int *exp10)
{
    int i = k - 1;
    while (i >= 0 && digits[i] == '9')
        digits[i--] = '0';
    if (i >= 0) {
        digits[i]++;
        return;
    }
    digits[0] = '1';
    ++*exp10;
}

/* Looks for a p-digit decimal that reads back as the positive finite v:
 * the correctly rounded one, or (asymmetric case) the one just above v.
 * On success stores its digits (exactly p) and exponent and returns true. */
static bool try_precision(double v, int p, bool asymmetric, char *digits, int *exp10)
{
    char tmp[48];
    snprintf(tmp, sizeof tmp, "%.*e", p - 1, v);
    /* Skip whatever radix character the locale put after the first digit:
     * only the digits and the exponent matter. */
    const char *s = tmp;
    int k = 0;
    for (; *s != '\0' && *s != 'e'; s++)
        if (*s >= '0' && *s <= '9' && k < 17)
            digits[k++] = *s;
    int e = 0;
    bool neg = false;
    if (*s == 'e')
        s++;
    if (*s == '-' || *s == '+')
        neg = *s++ == '-';
    for (; *s >= '0' && *s <= '9'; s++)
        e = e * 10 + (*s - '0');
    *exp10 = neg ? -e : e;
    double back = read_back(digits, k, *exp10);
    if (back == v)
        return true;
    if (asymmetric && back < v) {
        increment(digits, k, exp10);
        return read_back(digits, k, *exp10) == v;
    }
    return false;
}

/* Stores the shortest round-trip digits of the positive finite v in digits
 * (room for 17) with the decimal exponent of the first digit; returns how
 * many digits, trailing zeros removed.
 *
 * "Some p-digit decimal reads back as v" is monotonic in p (append a zero),
 * and try_precision answers exactly that question, so a binary search over
 * p = 1..17 finds the shortest in at most five tries. */
/* The common case without printf: v = n / 10^k for a small k and an
 * integer n below 2^53. Division of two exactly representable numbers is
 * correctly rounded, so the equality test is exactly strtod's answer for
 * the decimal n e-k; the first k that passes gives the fewest digits, and
 * the nearest n is the closest such decimal. Returns the digit count, or 0
 * when v is not of that form. */
static int shortest_scaled(double v, char *digits, int *exp10)
{
    static const double pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,
                                   1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17};
    const double limit = 9007199254740992.0; /* 2^53 */
    if (!(v >= 1e-7 && v < limit))
        return 0;
    for (int k = 0; k < 18; k++) {
        double y = v * pow10[k];
        if (y >= limit)
            return 0;
        double n = nearbyint(y);
        if (n / pow10[k] != v || n == 0)
            continue;
        uint64_t m = (uint64_t)n;
        char rev[20];
        int len = 0;
        while (m > 0) {
            rev[len++] = (char)('0' + m % 10);
            m /= 10;
        }
        for (int i = 0; i < len; i++)
            digits[i] = rev[len - 1 - i];
        *exp10 = len - 1 - k;
        while (len > 1 && digits[len - 1] == '0')
            len--;
        return len;
    }
    return 0;
}

static int shortest(double v, char *digits, int *exp10)
{
    int fast = shortest_scaled(v, digits, exp10);
    if (fast > 0)
        return fast;
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    /* Power of two above the smallest normal: asymmetric rounding interval. */
    bool asymmetric = (bits & ((UINT64_C(1) << 52) - 1)) == 0 && (bits >> 52) > 1;
    char found[17];
    int found_exp = 0, lo = 1, hi = 17;
    bool have = false;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        char d[17];
        int e;
        if (try_precision(v, mid, asymmetric, d, &e)) {
            hi = mid;
            memcpy(found, d, (size_t)mid);
            found_exp = e;
            have = true;
        } else {
            lo = mid + 1;
        }
    }
    if (!have) /* hi is 17: 17 significant digits always identify a double */
        try_precision(v, 17, asymmetric, found, &found_exp);
    int k = hi;
    memcpy(digits, found, (size_t)k);
    *exp10 = found_exp;
    while (k > 1 && digits[k - 1] == '0')
        k--;
    return k;
}

size_t gqlx_dtoa(double x, char *out)
{
    char *o = out;
    if (isnan(x)) {
        memcpy(out, "NaN", 4);
        return 3;
    }
    if (signbit(x) && x != 0) {
        *o++ = '-';
        x = -x;
    }
    if (isinf(x)) {
        memcpy(o, "Infinity", 9);
        return (size_t)(o - out) + 8;
    }
    if (x == 0) {
        memcpy(o, "0", 2);
        return (size_t)(o - out) + 1;
    }
    char d[17];
    int e;
    int k = shortest(x, d, &e);
    int n = e + 1; /* position of the decimal point relative to d[0] */
    if (k <= n && n <= 21) {
        memcpy(o, d, (size_t)k);
        o += k;
        for (int i = k; i < n; i++)
            *o++ = '0';
    } else if (0 < n && n <= 21) {
        memcpy(o, d, (size_t)n);
        o += n;
        *o++ = '.';
        memcpy(o, d + n, (size_t)(k - n));
        o += k - n;
    } else if (-6 < n && n <= 0) {
        *o++ = '0';
        *o++ = '.';
        for (int i = n; i < 0; i++)
            *o++ = '0';
        memcpy(o, d, (size_t)k);
        o += k;
    } else {
        *o++ = d[0];
        if (k > 1) {
            *o++ = '.';
            memcpy(o, d + 1, (size_t)k - 1);
            o += k - 1;
        }
        *o++ = 'e';
        int ex = n - 1;
        *o++ = ex < 0 ? '-' : '+';
        if (ex < 0)
            ex = -ex;
        char rev[4];
        int r = 0;
        do {
            rev[r++] = (char)('0' + ex % 10);
            ex /= 10;
        } while (ex > 0);
        while (r > 0)
            *o++ = rev[--r];
    }
    *o = '\0';
    return (size_t)(o - out);
}
