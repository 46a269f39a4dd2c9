/* src/execution/scalars.c — the built-in scalars and enums as leaf types:
 * input coercion from JSON and from literals, output coercion, and the
 * inspect() text graphql-js quotes values with in messages.
 *
 * JavaScript semantics matter here: graphql-js tests numbers with
 * Number.isInteger on doubles, converts strings with Number(), and prints
 * values with String() and inspect(). The functions below reproduce those
 * on the JSON DOM (numbers carry their double `d`, which is what
 * JSON.parse would have produced). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/dtoa.h"
#include "core/suggest.h"
#include "execution/scalar_call.h"
#include "execution/values.h"
#include "gql/status.h"
#include "language/printer.h"
#include "language/string_value.h"

static int custom_parse(gqlx_arena *a, const gqlx_type *leaf, const gqlx_json *in, bool literal,
                        gqlx_json *out, gqlx_buf *msg);

#define INT32_MAX_D 2147483647.0
#define INT32_MIN_D (-2147483648.0)

/* ---- DOM constructors ------------------------------------------------- */

void gqlx_json_set_null(gqlx_json *out)
{
    memset(out, 0, sizeof *out);
    out->kind = GQLX_JSON_NULL;
}

void gqlx_json_set_bool(gqlx_json *out, bool v)
{
    memset(out, 0, sizeof *out);
    out->kind = GQLX_JSON_BOOL;
    out->boolean = v;
}

void gqlx_json_set_number(gqlx_json *out, double d)
{
    memset(out, 0, sizeof *out);
    out->kind = GQLX_JSON_NUMBER;
    out->d = d;
    /* 2^63 itself does not fit, hence the strict upper bound. */
    if (isfinite(d) && floor(d) == d && d >= -9223372036854775808.0 && d < 9223372036854775808.0) {
        out->flags = GQLX_JSON_INTEGER | GQLX_JSON_INT64;
        out->i64 = (int64_t)d;
    }
}

void gqlx_json_set_string(gqlx_json *out, const char *p, size_t len)
{
    memset(out, 0, sizeof *out);
    out->kind = GQLX_JSON_STRING;
    out->u.str = p;
    out->len = len;
}

/* ---- JavaScript helpers ----------------------------------------------- */

static bool js_is_integer(double d)
{
    return isfinite(d) && floor(d) == d;
}

/* String(d) of JavaScript. */
static void put_js_number(gqlx_buf *out, double d)
{
    char tmp[GQLX_DTOA_MAX];
    size_t n = gqlx_dtoa(d, tmp);
    gqlx_buf_append(out, tmp, n);
}

/* An array index key of a JavaScript object: canonical decimal below
 * 2^32 - 1. Such keys come first in Object.keys order, ascending. */
static bool js_array_index(gqlx_slice k, uint32_t *value)
{
    if (k.len == 0 || k.len > 10 || (k.len > 1 && k.ptr[0] == '0'))
        return false;
    uint64_t v = 0;
    for (size_t i = 0; i < k.len; i++) {
        if (k.ptr[i] < '0' || k.ptr[i] > '9')
            return false;
        v = v * 10 + (uint64_t)(k.ptr[i] - '0');
    }
    if (v > 4294967294u)
        return false;
    *value = (uint32_t)v;
    return true;
}

typedef struct idx_key {
    uint32_t value;
    uint32_t pos;
} idx_key;

static int cmp_idx_key(const void *x, const void *y)
{
    const idx_key *a = x, *b = y;
    return a->value < b->value ? -1 : a->value > b->value;
}

size_t gqlx_js_key_order(gqlx_arena *a, const gqlx_json *obj, uint32_t **order)
{
    size_t n = obj->len;
    *order = NULL;
    if (n == 0)
        return 0;
    uint32_t *o = GQLX_ARRAY(a, uint32_t, n);
    idx_key *ix = GQLX_ARRAY(a, idx_key, n);
    if (o == NULL || ix == NULL)
        return 0;
    size_t ni = 0, k = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t v;
        if (js_array_index(obj->u.members[i].key, &v)) {
            ix[ni].value = v;
            ix[ni].pos = (uint32_t)i;
            ni++;
        }
    }
    if (ni > 1)
        qsort(ix, ni, sizeof *ix, cmp_idx_key);
    for (size_t i = 0; i < ni; i++)
        o[k++] = ix[i].pos;
    for (size_t i = 0; i < n; i++) {
        uint32_t v;
        if (!js_array_index(obj->u.members[i].key, &v))
            o[k++] = (uint32_t)i;
    }
    *order = o;
    return n;
}

/* ---- inspect ---------------------------------------------------------- */

enum { INSPECT_MAX_ITEMS = 10, INSPECT_MAX_DEPTH = 2 };

static void inspect_rec(gqlx_buf *out, const gqlx_json *v, unsigned seen, gqlx_arena *a)
{
    switch (v->kind) {
    case GQLX_JSON_NULL:
        gqlx_buf_append_cstr(out, "null");
        return;
    case GQLX_JSON_BOOL:
        gqlx_buf_append_cstr(out, v->boolean ? "true" : "false");
        return;
    case GQLX_JSON_NUMBER:
        put_js_number(out, v->d);
        return;
    case GQLX_JSON_STRING:
        gqlx_json_write_string(out, v->u.str, v->len);
        return;
    case GQLX_JSON_ARRAY: {
        if (v->len == 0) {
            gqlx_buf_append_cstr(out, "[]");
            return;
        }
        /* inspect() counts the values on the way down, this one included. */
        if (seen + 1 > INSPECT_MAX_DEPTH) {
            gqlx_buf_append_cstr(out, "[Array]");
            return;
        }
        size_t shown = v->len < INSPECT_MAX_ITEMS ? v->len : INSPECT_MAX_ITEMS;
        gqlx_buf_putc(out, '[');
        for (size_t i = 0; i < shown; i++) {
            if (i)
                gqlx_buf_append_cstr(out, ", ");
            inspect_rec(out, &v->u.items[i], seen + 1, a);
        }
        size_t rest = v->len - shown;
        if (rest == 1)
            gqlx_buf_append_cstr(out, ", ... 1 more item");
        else if (rest > 1)
            gqlx_buf_printf(out, ", ... %zu more items", rest);
        gqlx_buf_putc(out, ']');
        return;
    }
    case GQLX_JSON_OBJECT: {
        if (v->len == 0) {
            gqlx_buf_append_cstr(out, "{}");
            return;
        }
        if (seen + 1 > INSPECT_MAX_DEPTH) {
            gqlx_buf_append_cstr(out, "[Object]");
            return;
        }
        uint32_t *order;
        size_t n = gqlx_js_key_order(a, v, &order);
        if (order == NULL) {
            out->failed = true;
            return;
        }
        gqlx_buf_append_cstr(out, "{ ");
        for (size_t i = 0; i < n; i++) {
            const gqlx_json_member *m = &v->u.members[order[i]];
            if (i)
                gqlx_buf_append_cstr(out, ", ");
            gqlx_buf_append(out, m->key.ptr, m->key.len);
            gqlx_buf_append_cstr(out, ": ");
            inspect_rec(out, &m->value, seen + 1, a);
        }
        gqlx_buf_append_cstr(out, " }");
        return;
    }
    default:
        gqlx_buf_append_cstr(out, "undefined");
        return;
    }
}

void gqlx_inspect_json_a(gqlx_buf *out, const gqlx_json *v, gqlx_arena *a)
{
    inspect_rec(out, v, 0, a);
}

void gqlx_inspect_json(gqlx_buf *out, const gqlx_json *v)
{
    gqlx_arena scratch;
    gqlx_arena_init(&scratch, 0, 0);
    inspect_rec(out, v, 0, &scratch);
    gqlx_arena_free(&scratch);
}

/* ---- JavaScript Number(string) ---------------------------------------- */

/* Length of the JavaScript WhiteSpace or LineTerminator character at p
 * (StringNumericLiteral trims these), 0 if there is none. */
static size_t js_space_len(const unsigned char *p, size_t n)
{
    if (n == 0)
        return 0;
    unsigned c = p[0];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r')
        return 1;
    if (c == 0xC2 && n >= 2 && p[1] == 0xA0) /* U+00A0 */
        return 2;
    if (n >= 3 && (c & 0xF0u) == 0xE0u && (p[1] & 0xC0u) == 0x80u && (p[2] & 0xC0u) == 0x80u) {
        unsigned cp = ((c & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
        if (cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 ||
            cp == 0x202F || cp == 0x205F || cp == 0x3000 || cp == 0xFEFF)
            return 3;
    }
    return 0;
}

static int digit_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z')
        return c - 'A' + 10;
    return 99;
}

/* The digits t[0..len) in base 1 << shift (2, 8 or 16), correctly rounded
 * like JavaScript's Number("0x..."), or NaN for a digit out of range.
 * Multiplying a double digit by digit would round at every step once past
 * 2^53 (0x1000000000000081 would lose its low 0x81); instead the first 64
 * significant bits stay exact in m and the rest only count (extra) and set
 * a sticky bit, so the one conversion to double rounds as the exact value
 * would (m keeps at least 61 bits, two more than the rounding needs). */
static double radix_to_number(const char *t, size_t len, unsigned shift)
{
    uint64_t m = 0;
    size_t extra = 0;
    bool sticky = false;
    for (size_t i = 0; i < len; i++) {
        unsigned dv = (unsigned)digit_value(t[i]);
        if (dv >> shift != 0)
            return NAN;
        if (m >> (64 - shift) == 0) {
            m = m << shift | dv;
        } else {
            sticky |= dv != 0;
            extra += shift;
        }
    }
    if (extra > 2000) /* far past DBL_MAX; m is not zero here */
        return INFINITY;
    return ldexp((double)(m | sticky), (int)extra);
}

/* JavaScript's Number(s): whitespace-trimmed decimal, 0x/0o/0b integers,
 * Infinity; "" and all-space give 0; anything else NaN. */
static double js_string_to_number(gqlx_arena *a, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t b = 0, e = n, k;
    while (b < e && (k = js_space_len(p + b, e - b)) > 0)
        b += k;
    /* Trailing space: step back over whole characters. */
    for (;;) {
        if (e > b && js_space_len(p + e - 1, 1) == 1) {
            e--;
        } else if (e - b >= 2 && p[e - 2] == 0xC2 && p[e - 1] == 0xA0) {
            e -= 2;
        } else if (e - b >= 3 && js_space_len(p + e - 3, 3) == 3) {
            e -= 3;
        } else {
            break;
        }
    }
    if (b == e)
        return 0.0;
    const char *t = s + b;
    size_t len = e - b;
    if (len > 2 && t[0] == '0') {
        unsigned shift = (t[1] == 'x' || t[1] == 'X')   ? 4
                         : (t[1] == 'o' || t[1] == 'O') ? 3
                         : (t[1] == 'b' || t[1] == 'B') ? 1
                                                        : 0;
        if (shift)
            return radix_to_number(t + 2, len - 2, shift);
    }
    size_t i = 0;
    bool neg = false;
    if (t[0] == '+' || t[0] == '-') {
        neg = t[0] == '-';
        i = 1;
    }
    if (len - i == 8 && memcmp(t + i, "Infinity", 8) == 0)
        return neg ? -INFINITY : INFINITY;
    /* StrDecimalLiteral: digits [. digits] | . digits, then an exponent. */
    size_t int_digits = 0, frac_digits = 0;
    while (i < len && t[i] >= '0' && t[i] <= '9')
        i++, int_digits++;
    if (i < len && t[i] == '.') {
        i++;
        while (i < len && t[i] >= '0' && t[i] <= '9')
            i++, frac_digits++;
    }
    if (int_digits + frac_digits == 0)
        return NAN;
    if (i < len && (t[i] == 'e' || t[i] == 'E')) {
        i++;
        if (i < len && (t[i] == '+' || t[i] == '-'))
            i++;
        size_t exp_digits = 0;
        while (i < len && t[i] >= '0' && t[i] <= '9')
            i++, exp_digits++;
        if (exp_digits == 0)
            return NAN;
    }
    if (i != len)
        return NAN;
    char *z = gqlx_arena_strndup(a, t, len);
    if (z == NULL)
        return NAN;
    return gqlx_strtod_c(z, NULL);
}

/* ---- messages --------------------------------------------------------- */

static void msg_value(gqlx_buf *msg, gqlx_arena *a, const char *prefix, const gqlx_json *v)
{
    if (msg == NULL)
        return;
    gqlx_buf_append_cstr(msg, prefix);
    gqlx_inspect_json_a(msg, v, a);
}

static void msg_number(gqlx_buf *msg, const char *prefix, double d)
{
    if (msg == NULL)
        return;
    gqlx_buf_append_cstr(msg, prefix);
    put_js_number(msg, d);
}

static void msg_literal(gqlx_buf *msg, gqlx_arena *a, const char *prefix, const gqlx_node *lit)
{
    if (msg == NULL)
        return;
    gqlx_buf_append_cstr(msg, prefix);
    gqlx_print(msg, lit, a);
}

static int fail(gqlx_arena *a)
{
    return gqlx_arena_failed(a) ? GQL_ENOMEM : GQL_EINVAL;
}

/* graphql-js didYouMeanEnumValue: suggestions among the enum's names. */
static void did_you_mean_enum(gqlx_buf *msg, gqlx_arena *a, const gqlx_type *e, const char *input,
                              size_t len)
{
    if (msg == NULL || e->value_count == 0)
        return;
    gqlx_slice *names = GQLX_ARRAY(a, gqlx_slice, e->value_count);
    if (names == NULL)
        return;
    for (uint32_t i = 0; i < e->value_count; i++)
        names[i] = gqlx_slice_make(e->values[i].name->str, e->values[i].name->len);
    gqlx_slice *list;
    size_t n = gqlx_suggestion_list(a, gqlx_slice_make(input, len), names, e->value_count, &list);
    gqlx_did_you_mean(msg, "the enum value", list, n);
}

/* Ends `Enum "E" cannot represent non-... value: <text>` (text appended
 * to msg from vstart) with '.' and the enum values close to that text. */
static int enum_wrong_kind(gqlx_buf *msg, gqlx_arena *a, const gqlx_type *e, size_t vstart,
                           bool hide_suggestions)
{
    size_t vlen = msg->len - vstart;
    gqlx_buf_putc(msg, '.');
    /* The text is read (into the arena) before the suggestions are
     * appended, so it may stay in msg. */
    if (!hide_suggestions && !msg->failed)
        did_you_mean_enum(msg, a, e, msg->data + vstart, vlen);
    return fail(a);
}

static void set_enum_name(gqlx_json *out, const gqlx_enum_value *v)
{
    gqlx_json_set_string(out, v->name->str, v->name->len);
}

/* String(d) copied into the arena, as a JSON string. */
static int set_number_text(gqlx_arena *a, gqlx_json *out, double d)
{
    char tmp[GQLX_DTOA_MAX];
    size_t n = gqlx_dtoa(d, tmp);
    char *p = gqlx_arena_memdup(a, tmp, n);
    if (p == NULL)
        return GQL_ENOMEM;
    gqlx_json_set_string(out, p, n);
    return GQL_OK;
}

/* ---- input coercion from JSON ----------------------------------------- */

int gqlx_leaf_coerce_input(gqlx_arena *a, const gqlx_type *leaf, const gqlx_json *in,
                           gqlx_json *out, gqlx_buf *msg, bool hide_suggestions)
{
    if (leaf->kind == GQLX_TYPE_ENUM) {
        if (in->kind != GQLX_JSON_STRING) {
            if (msg == NULL)
                return GQL_EINVAL;
            gqlx_buf_printf(msg,
                            "Enum \"%s\" cannot represent non-string value: ", leaf->name->str);
            size_t vstart = msg->len;
            gqlx_inspect_json_a(msg, in, a);
            return enum_wrong_kind(msg, a, leaf, vstart, hide_suggestions);
        }
        const gqlx_enum_value *v = gqlx_type_enum_value(leaf, in->u.str, in->len);
        if (v == NULL) {
            if (msg != NULL) {
                gqlx_buf_append_cstr(msg, "Value \"");
                gqlx_buf_append(msg, in->u.str, in->len);
                gqlx_buf_printf(msg, "\" does not exist in \"%s\" enum.", leaf->name->str);
                if (!hide_suggestions)
                    did_you_mean_enum(msg, a, leaf, in->u.str, in->len);
            }
            return fail(a);
        }
        set_enum_name(out, v);
        return GQL_OK;
    }
    if (leaf->kind != GQLX_TYPE_SCALAR)
        return GQL_EINVAL;
    switch (leaf->scalar) {
    case GQLX_SCALAR_INT:
        if (in->kind != GQLX_JSON_NUMBER || !js_is_integer(in->d)) {
            msg_value(msg, a, "Int cannot represent non-integer value: ", in);
            return fail(a);
        }
        if (in->d > INT32_MAX_D || in->d < INT32_MIN_D) {
            msg_number(msg, "Int cannot represent non 32-bit signed integer value: ", in->d);
            return fail(a);
        }
        gqlx_json_set_number(out, in->d);
        return GQL_OK;
    case GQLX_SCALAR_FLOAT:
        if (in->kind != GQLX_JSON_NUMBER || !isfinite(in->d)) {
            msg_value(msg, a, "Float cannot represent non numeric value: ", in);
            return fail(a);
        }
        gqlx_json_set_number(out, in->d);
        return GQL_OK;
    case GQLX_SCALAR_STRING:
        if (in->kind != GQLX_JSON_STRING) {
            msg_value(msg, a, "String cannot represent a non string value: ", in);
            return fail(a);
        }
        *out = *in;
        return GQL_OK;
    case GQLX_SCALAR_BOOLEAN:
        if (in->kind != GQLX_JSON_BOOL) {
            msg_value(msg, a, "Boolean cannot represent a non boolean value: ", in);
            return fail(a);
        }
        *out = *in;
        return GQL_OK;
    case GQLX_SCALAR_ID:
        if (in->kind == GQLX_JSON_STRING) {
            *out = *in;
            return GQL_OK;
        }
        if (in->kind == GQLX_JSON_NUMBER && js_is_integer(in->d))
            return set_number_text(a, out, in->d);
        msg_value(msg, a, "ID cannot represent value: ", in);
        return fail(a);
    default:
        return custom_parse(a, leaf, in, false, out, msg);
    }
}

/* A custom scalar's parse function (identity without one). A failure's
 * reason goes to msg. */
static int custom_parse(gqlx_arena *a, const gqlx_type *leaf, const gqlx_json *in, bool literal,
                        gqlx_json *out, gqlx_buf *msg)
{
    const gql_scalar_funcs *f = leaf->scalar_funcs;
    gql_parse_value_fn fn = f == NULL ? NULL : literal ? f->parse_literal : f->parse_value;
    if (fn == NULL) {
        *out = *in;
        return GQL_OK;
    }
    gql_scalar_call call;
    gqlx_scalar_call_init(&call, a, f->data, msg);
    gql_value v = fn(&call, (const gql_json *)(const void *)in);
    if (v.kind == GQL_VALUE_ERROR)
        return GQL_EINVAL;
    if (!gqlx_value_to_json(a, v, out)) {
        if (gqlx_arena_failed(a))
            return GQL_ENOMEM;
        if (msg != NULL)
            gqlx_buf_printf(msg, "%s cannot represent this value", leaf->name->str);
        return GQL_EINVAL;
    }
    return GQL_OK;
}

/* ---- input coercion from literals ------------------------------------- */

/* The double of an INT or FLOAT literal's text (parseInt / parseFloat give
 * the correctly rounded value of such texts). */
static bool literal_number(gqlx_arena *a, const gqlx_node *lit, double *d)
{
    const gqlx_scalar_value *sv = GQLX_AS_CONST(gqlx_scalar_value, lit);
    char *z = gqlx_arena_strndup(a, sv->text.ptr, sv->text.len);
    if (z == NULL)
        return false;
    *d = gqlx_strtod_c(z, NULL);
    return true;
}

/* graphql-js valueFromASTUntyped: false when the value is undefined (a
 * variable without a value). Depth is bounded by the parser. */
static bool untyped(gqlx_arena *a, const gqlx_node *lit, const gqlx_json *vars, gqlx_json *out)
{
    switch (lit->kind) {
    case GQLX_KIND_NULL_VALUE:
        gqlx_json_set_null(out);
        return true;
    case GQLX_KIND_INT_VALUE:
    case GQLX_KIND_FLOAT_VALUE: {
        double d;
        if (!literal_number(a, lit, &d))
            return false;
        gqlx_json_set_number(out, d);
        return true;
    }
    case GQLX_KIND_STRING_VALUE: {
        gqlx_slice s;
        if (!gqlx_string_value_get(a, GQLX_AS_CONST(gqlx_string_value, lit), &s))
            return false;
        gqlx_json_set_string(out, s.ptr, s.len);
        return true;
    }
    case GQLX_KIND_ENUM_VALUE: {
        gqlx_slice s = GQLX_AS_CONST(gqlx_scalar_value, lit)->text;
        gqlx_json_set_string(out, s.ptr, s.len);
        return true;
    }
    case GQLX_KIND_BOOLEAN_VALUE:
        gqlx_json_set_bool(out, GQLX_AS_CONST(gqlx_boolean_value, lit)->value);
        return true;
    case GQLX_KIND_VARIABLE: {
        gqlx_slice name = GQLX_AS_CONST(gqlx_variable, lit)->name;
        const gqlx_json *v = gqlx_json_get(vars, name.ptr, name.len);
        if (v == NULL)
            return false;
        *out = *v;
        return true;
    }
    case GQLX_KIND_LIST_VALUE: {
        const gqlx_list_value *l = GQLX_AS_CONST(gqlx_list_value, lit);
        gqlx_json *items = l->values.count ? GQLX_ARRAY(a, gqlx_json, l->values.count) : NULL;
        if (l->values.count && items == NULL)
            return false;
        for (uint32_t i = 0; i < l->values.count; i++) {
            /* [undefined] serialises as [null]. */
            if (!untyped(a, l->values.items[i], vars, &items[i])) {
                if (gqlx_arena_failed(a))
                    return false;
                gqlx_json_set_null(&items[i]);
            }
        }
        memset(out, 0, sizeof *out);
        out->kind = GQLX_JSON_ARRAY;
        out->len = l->values.count;
        out->u.items = items;
        return true;
    }
    case GQLX_KIND_OBJECT_VALUE: {
        const gqlx_object_value *o = GQLX_AS_CONST(gqlx_object_value, lit);
        uint32_t n = o->fields.count;
        gqlx_json_member *m = n ? GQLX_ARRAY(a, gqlx_json_member, n) : NULL;
        if (n && m == NULL)
            return false;
        size_t k = 0;
        for (uint32_t i = 0; i < n; i++) {
            const gqlx_object_field *f = o->fields.items[i];
            gqlx_json v;
            if (!untyped(a, f->value, vars, &v)) {
                if (gqlx_arena_failed(a))
                    return false;
                continue; /* an undefined member is not serialised */
            }
            /* keyValMap: a repeated name keeps its first place, last value. */
            size_t j = 0;
            while (j < k && !gqlx_slice_eq(m[j].key, f->name))
                j++;
            m[j].key = f->name;
            m[j].value = v;
            if (j == k)
                k++;
        }
        memset(out, 0, sizeof *out);
        out->kind = GQLX_JSON_OBJECT;
        out->len = k;
        out->u.members = m;
        return true;
    }
    default:
        return false;
    }
}

int gqlx_leaf_coerce_literal(gqlx_arena *a, const gqlx_type *leaf, const gqlx_node *lit,
                             const gqlx_json *variables, gqlx_json *out, gqlx_buf *msg,
                             bool hide_suggestions)
{
    if (leaf->kind == GQLX_TYPE_ENUM) {
        if (lit->kind != GQLX_KIND_ENUM_VALUE) {
            if (msg == NULL)
                return GQL_EINVAL;
            gqlx_buf_printf(msg, "Enum \"%s\" cannot represent non-enum value: ", leaf->name->str);
            size_t vstart = msg->len;
            gqlx_print(msg, lit, a);
            return enum_wrong_kind(msg, a, leaf, vstart, hide_suggestions);
        }
        gqlx_slice name = GQLX_AS_CONST(gqlx_scalar_value, lit)->text;
        const gqlx_enum_value *v = gqlx_type_enum_value(leaf, name.ptr, name.len);
        if (v == NULL) {
            if (msg != NULL) {
                gqlx_buf_append_cstr(msg, "Value \"");
                gqlx_buf_append(msg, name.ptr, name.len);
                gqlx_buf_printf(msg, "\" does not exist in \"%s\" enum.", leaf->name->str);
                if (!hide_suggestions)
                    did_you_mean_enum(msg, a, leaf, name.ptr, name.len);
            }
            return fail(a);
        }
        set_enum_name(out, v);
        return GQL_OK;
    }
    if (leaf->kind != GQLX_TYPE_SCALAR)
        return GQL_EINVAL;
    switch (leaf->scalar) {
    case GQLX_SCALAR_INT: {
        if (lit->kind != GQLX_KIND_INT_VALUE) {
            msg_literal(msg, a, "Int cannot represent non-integer value: ", lit);
            return fail(a);
        }
        double d;
        if (!literal_number(a, lit, &d))
            return GQL_ENOMEM;
        if (d > INT32_MAX_D || d < INT32_MIN_D) {
            if (msg != NULL) {
                gqlx_slice t = GQLX_AS_CONST(gqlx_scalar_value, lit)->text;
                gqlx_buf_append_cstr(msg, "Int cannot represent non 32-bit signed integer value: ");
                gqlx_buf_append(msg, t.ptr, t.len);
            }
            return fail(a);
        }
        gqlx_json_set_number(out, d);
        return GQL_OK;
    }
    case GQLX_SCALAR_FLOAT: {
        if (lit->kind != GQLX_KIND_INT_VALUE && lit->kind != GQLX_KIND_FLOAT_VALUE) {
            msg_literal(msg, a, "Float cannot represent non numeric value: ", lit);
            return fail(a);
        }
        double d;
        if (!literal_number(a, lit, &d))
            return GQL_ENOMEM;
        /* parseFloat("1e400") is Infinity and graphql-js keeps it. */
        gqlx_json_set_number(out, d);
        return GQL_OK;
    }
    case GQLX_SCALAR_STRING:
    case GQLX_SCALAR_ID: {
        bool id = leaf->scalar == GQLX_SCALAR_ID;
        if (lit->kind == GQLX_KIND_STRING_VALUE) {
            gqlx_slice s;
            if (!gqlx_string_value_get(a, GQLX_AS_CONST(gqlx_string_value, lit), &s))
                return GQL_ENOMEM;
            gqlx_json_set_string(out, s.ptr, s.len);
            return GQL_OK;
        }
        if (id && lit->kind == GQLX_KIND_INT_VALUE) {
            gqlx_slice t = GQLX_AS_CONST(gqlx_scalar_value, lit)->text;
            gqlx_json_set_string(out, t.ptr, t.len);
            return GQL_OK;
        }
        msg_literal(msg, a,
                    id ? "ID cannot represent a non-string and non-integer value: "
                       : "String cannot represent a non string value: ",
                    lit);
        return fail(a);
    }
    case GQLX_SCALAR_BOOLEAN:
        if (lit->kind != GQLX_KIND_BOOLEAN_VALUE) {
            msg_literal(msg, a, "Boolean cannot represent a non boolean value: ", lit);
            return fail(a);
        }
        gqlx_json_set_bool(out, GQLX_AS_CONST(gqlx_boolean_value, lit)->value);
        return GQL_OK;
    default: {
        /* parseLiteral of a custom scalar: its function (identity when
         * there is none) of valueFromASTUntyped(node, coerced variables). */
        size_t before = msg != NULL ? msg->len : 0;
        if (!untyped(a, lit, variables, out) ||
            custom_parse(a, leaf, out, true, out, msg) != GQL_OK) {
            if (gqlx_arena_failed(a))
                return GQL_ENOMEM;
            /* A reason from gql_scalar_fail is the whole message. */
            if (msg != NULL && msg->len == before) {
                gqlx_buf_printf(msg, "Expected value of type \"%s\", found: ", leaf->name->str);
                gqlx_print(msg, lit, a);
                gqlx_buf_putc(msg, '.');
            }
            return GQL_EINVAL;
        }
        return GQL_OK;
    }
    }
}

/* ---- output coercion -------------------------------------------------- */

int gqlx_serialize_scalar(gqlx_arena *a, const gqlx_type *leaf, const gqlx_json *in, gqlx_json *out,
                          gqlx_buf *msg)
{
    if (leaf->kind == GQLX_TYPE_ENUM) {
        /* SDL enums have their names as internal values. */
        const gqlx_enum_value *v =
            in->kind == GQLX_JSON_STRING ? gqlx_type_enum_value(leaf, in->u.str, in->len) : NULL;
        if (v == NULL) {
            if (msg != NULL) {
                gqlx_buf_printf(msg, "Enum \"%s\" cannot represent value: ", leaf->name->str);
                gqlx_inspect_json_a(msg, in, a);
            }
            return fail(a);
        }
        set_enum_name(out, v);
        return GQL_OK;
    }
    if (leaf->kind != GQLX_TYPE_SCALAR)
        return GQL_EINVAL;
    switch (leaf->scalar) {
    case GQLX_SCALAR_INT:
    case GQLX_SCALAR_FLOAT: {
        bool is_int = leaf->scalar == GQLX_SCALAR_INT;
        const char *bad = is_int ? "Int cannot represent non-integer value: "
                                 : "Float cannot represent non numeric value: ";
        double d;
        if (in->kind == GQLX_JSON_NUMBER) {
            d = in->d;
        } else if (in->kind == GQLX_JSON_BOOL) {
            gqlx_json_set_number(out, in->boolean ? 1.0 : 0.0);
            return GQL_OK;
        } else if (in->kind == GQLX_JSON_STRING) {
            if (in->len == 0) {
                msg_value(msg, a, bad, in);
                return fail(a);
            }
            d = js_string_to_number(a, in->u.str, in->len);
            if (gqlx_arena_failed(a))
                return GQL_ENOMEM;
            /* Messages about strings quote the string, not the number. */
            if (is_int ? !js_is_integer(d) : !isfinite(d)) {
                msg_value(msg, a, bad, in);
                return fail(a);
            }
            if (is_int && (d > INT32_MAX_D || d < INT32_MIN_D)) {
                msg_value(msg, a, "Int cannot represent non 32-bit signed integer value: ", in);
                return fail(a);
            }
            gqlx_json_set_number(out, d);
            return GQL_OK;
        } else {
            msg_value(msg, a, bad, in);
            return fail(a);
        }
        if (is_int ? !js_is_integer(d) : !isfinite(d)) {
            msg_number(msg, bad, d);
            return fail(a);
        }
        if (is_int && (d > INT32_MAX_D || d < INT32_MIN_D)) {
            msg_number(msg, "Int cannot represent non 32-bit signed integer value: ", d);
            return fail(a);
        }
        gqlx_json_set_number(out, d);
        return GQL_OK;
    }
    case GQLX_SCALAR_STRING:
        if (in->kind == GQLX_JSON_STRING) {
            *out = *in;
            return GQL_OK;
        }
        if (in->kind == GQLX_JSON_BOOL) {
            gqlx_json_set_string(out, in->boolean ? "true" : "false", in->boolean ? 4 : 5);
            return GQL_OK;
        }
        if (in->kind == GQLX_JSON_NUMBER && isfinite(in->d))
            return set_number_text(a, out, in->d);
        msg_value(msg, a, "String cannot represent value: ", in);
        return fail(a);
    case GQLX_SCALAR_BOOLEAN:
        if (in->kind == GQLX_JSON_BOOL) {
            *out = *in;
            return GQL_OK;
        }
        if (in->kind == GQLX_JSON_NUMBER && isfinite(in->d)) {
            gqlx_json_set_bool(out, in->d != 0.0);
            return GQL_OK;
        }
        msg_value(msg, a, "Boolean cannot represent a non boolean value: ", in);
        return fail(a);
    case GQLX_SCALAR_ID:
        if (in->kind == GQLX_JSON_STRING) {
            *out = *in;
            return GQL_OK;
        }
        if (in->kind == GQLX_JSON_NUMBER && js_is_integer(in->d))
            return set_number_text(a, out, in->d);
        msg_value(msg, a, "ID cannot represent value: ", in);
        return fail(a);
    default:
        *out = *in;
        return GQL_OK;
    }
}
