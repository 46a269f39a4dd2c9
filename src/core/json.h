/* src/core/json.h — strict JSON (RFC 8259) reader into an arena DOM, and a
 * JSON writer that prints exactly what JavaScript's JSON.stringify prints.
 *
 * Reader decisions (all deliberate, all tested):
 *  - Strict RFC 8259: no trailing commas, no leading zeros, no comments, no
 *    byte order mark, no bare control characters (U+0000..U+001F) inside
 *    strings, only the escapes \" \\ \/ \b \f \n \r \t \uXXXX, whitespace is
 *    only space, tab, LF and CR (the same set JSON.parse accepts).
 *  - The text must be valid UTF-8 (shortest forms, no encoded surrogates,
 *    nothing above U+10FFFF). Outside strings any non-ASCII byte is a syntax
 *    error anyway; inside strings the first invalid byte is reported.
 *  - A \u escape of a surrogate must be a high surrogate (D800..DBFF)
 *    immediately followed by a \u escape of a low surrogate (DC00..DFFF);
 *    the pair decodes to one supplementary code point. A lone surrogate
 *    escape is REJECTED ("Lone surrogate '\uD800' in string"), because every
 *    string the reader produces must be valid UTF-8 and there is no UTF-8
 *    form for it. (JSON.parse accepts lone surrogates; this is the one place
 *    where gqld is stricter than JavaScript.)
 *  - Duplicate object keys: the object keeps ONE member per key, at the
 *    position where the key first appeared, holding the value of its LAST
 *    occurrence — exactly what JSON.parse produces. Members otherwise keep
 *    the order of the text.
 *  - Numbers keep their original text. GQLX_JSON_INTEGER says the text has
 *    neither fraction nor exponent; GQLX_JSON_INT64 says it is an integer
 *    that fits int64_t, whose exact value is in `i64`. Every number also has
 *    `d`, the correctly rounded double (locale-independent). Numbers too
 *    large for a double are valid JSON: `d` is then +-infinity (JSON.parse
 *    gives Infinity too), and tiny ones round to zero.
 *  - Limits: nesting depth (arrays and objects; "[[1]]" has depth 2) and the
 *    size of the text. Exceeding either gives GQL_ELIMIT with a located error.
 *    The reader is iterative, so depth never costs C stack.
 *
 * Memory: every DOM node and every decoded string lives in the arena given
 * to the parser. A string without escapes is NOT copied: it points into the
 * input text, which must therefore outlive the DOM. The parser's temporary
 * work space comes from gqlx_malloc and is released before it returns.
 *
 * Writer decisions:
 *  - Strings are escaped like JSON.stringify: \" \\ \b \f \n \r \t, other
 *    control characters as \u00xx (lowercase hex); '/', DEL and all
 *    non-ASCII characters (U+2028/2029 included) are written as they are.
 *  - The writer always produces valid UTF-8: bytes of a string argument that
 *    are not valid UTF-8 are replaced by U+FFFD, one replacement per maximal
 *    ill-formed subsequence (the rule of the WHATWG encoding standard, so the
 *    result equals Node's Buffer.toString('utf8') of the same bytes).
 *  - Doubles are printed as the shortest text that reads back as the same
 *    double, laid out as Number.prototype.toString does (1e+21, 1.5e-7,
 *    0.000001, 123456789012345680000); -0 prints as 0; NaN and infinities
 *    print as null (as JSON.stringify does). Locale-independent.
 *  - The writer appends to a gqlx_buf; like the buffer it never fails loudly:
 *    check gqlx_buf's `failed` flag once at the end. */
#ifndef GQLX_JSON_H
#define GQLX_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/slice.h"

/* ---- the DOM -------------------------------------------------------------- */

typedef enum gqlx_json_kind {
    GQLX_JSON_NULL,
    GQLX_JSON_BOOL,
    GQLX_JSON_NUMBER,
    GQLX_JSON_STRING,
    GQLX_JSON_ARRAY,
    GQLX_JSON_OBJECT,
} gqlx_json_kind;

/* Flags of a number or a string (gqlx_json.flags). The reader sets them;
 * values built by hand may leave them 0, which is always correct (the
 * writer then takes its general path). */
enum {
    GQLX_JSON_INTEGER = 1, /* number: the text has no fraction and no exponent */
    GQLX_JSON_INT64 = 2,   /* ... and its value fits int64_t: see i64 */
    /* number: the text is exactly what JavaScript prints for d (and so
     * what gqlx_json_write_double writes), so writers may copy it */
    GQLX_JSON_JS_TEXT = 4,
    /* string: the bytes are valid UTF-8 and hold nothing JSON escapes
     * (no '"', '\\' or control character), so writers may copy them
     * between quotes */
    GQLX_JSON_PLAIN = 8,
};

typedef struct gqlx_json gqlx_json;
typedef struct gqlx_json_member gqlx_json_member;

struct gqlx_json {
    uint8_t kind;  /* a gqlx_json_kind */
    uint8_t flags; /* numbers and strings: the GQLX_JSON_ flags above */
    bool boolean;  /* GQLX_JSON_BOOL: the value */
    size_t len;    /* string: bytes; number: text bytes; array: items;
                      object: members */
    union {
        const char *str;           /* STRING: bytes (may hold NUL; no
                                      terminator); NUMBER: original text */
        gqlx_json *items;          /* ARRAY: len values */
        gqlx_json_member *members; /* OBJECT: len members, in text order */
    } u;
    int64_t i64; /* NUMBER with GQLX_JSON_INT64: the exact value */
    double d;    /* NUMBER: the correctly rounded double */
};

struct gqlx_json_member {
    gqlx_slice key; /* decoded key bytes (same ownership as strings) */
    gqlx_json value;
};

/* ---- reading -------------------------------------------------------------- */

typedef struct gqlx_json_opts {
    size_t max_bytes;   /* longest accepted text; 0 = no limit */
    unsigned max_depth; /* deepest array/object nesting accepted */
} gqlx_json_opts;

/* A located error. offset is the byte offset of the offending byte (the
 * text's length for "Unexpected end of input", 0 when the whole text is over
 * the size limit); line and column are 1-based,
 * the column counted in UTF-16 code units like graphql-js locations (CR,
 * LF and CRLF each end a line). message is a full English sentence without
 * a final period, always NUL-terminated. */
typedef struct gqlx_json_error {
    size_t offset;
    size_t line;
    size_t column;
    int status; /* the code the parser returned */
    char message[120];
} gqlx_json_error;

/* Fills *opts with the defaults: GQLX_DEFAULT_MAX_JSON_BYTES and
 * GQLX_DEFAULT_MAX_JSON_DEPTH from core/limits.h. */
void gqlx_json_opts_init(gqlx_json_opts *opts);

/* Parses the JSON text text[0..len) (no terminator needed; text may be NULL
 * when len is 0) into a DOM allocated from arena.
 *
 * opts may be NULL for the defaults. err may be NULL; otherwise it is filled
 * on failure (and left untouched on success).
 * Returns GQL_OK and stores the root in *out; the DOM borrows unescaped
 * strings and number texts from `text`. On failure *out is set to NULL and
 * the result is:
 *   GQL_EJSON  — the text is not valid JSON (err says where and why);
 *   GQL_ELIMIT — the text is longer than opts->max_bytes or nests deeper
 *                than opts->max_depth;
 *   GQL_ENOMEM — the arena (cap reached or sticky failure) or the system
 *                allocator failed.
 * Whatever was allocated from the arena before a failure stays there until
 * the arena is reset; nothing else leaks. Thread-safe for distinct arenas. */
int gqlx_json_parse(gqlx_arena *arena, const char *text, size_t len, const gqlx_json_opts *opts,
                    gqlx_json **out, gqlx_json_error *err);

/* Returns the value of the member named key[0..key_len) of an object, or
 * NULL if obj is NULL, not an object, or has no such member. Keys are unique
 * in a parsed object, so the answer is unambiguous. Linear in the number of
 * members (request objects are small). */
const gqlx_json *gqlx_json_get(const gqlx_json *obj, const char *key, size_t key_len);

/* gqlx_json_get with a NUL-terminated key. */
const gqlx_json *gqlx_json_get_cstr(const gqlx_json *obj, const char *key);

/* The member named key exactly, else the value at key read as a dotted
 * path through nested objects ("realm_access.roles"); NULL when absent. */
const gqlx_json *gqlx_json_get_path(const gqlx_json *obj, const char *key);

/* Returns item i of an array, or NULL if arr is NULL, not an array, or i is
 * out of range. */
const gqlx_json *gqlx_json_at(const gqlx_json *arr, size_t i);

/* Returns "null", "boolean", "number", "string", "array", "object" or
 * "unknown". */
const char *gqlx_json_kind_name(int kind);

/* ---- writing -------------------------------------------------------------- */

/* Appends a JSON string literal (with the quotes) for the bytes p[0..len),
 * escaped as described at the top of this file; p may hold NUL bytes and
 * invalid UTF-8 (replaced by U+FFFD). p may be NULL when len is 0. */
void gqlx_json_write_string(gqlx_buf *b, const char *p, size_t len);

/* Appends p[0..len) between quotes as it is: for bytes known to need no
 * escaping (GQLX_JSON_PLAIN strings, GraphQL names). */
static inline void gqlx_json_write_plain(gqlx_buf *b, const char *p, size_t len)
{
    if (b->len + len + 2 < b->cap && !b->failed) {
        char *o = b->data + b->len;
        o[0] = '"';
        gqlx_copy(o + 1, p, len);
        o[len + 1] = '"';
        o[len + 2] = '\0';
        b->len += len + 2;
        return;
    }
    gqlx_buf_putc(b, '"');
    gqlx_buf_append(b, p, len);
    gqlx_buf_putc(b, '"');
}

/* A string value v as a JSON string literal: copied when the reader
 * marked it GQLX_JSON_PLAIN, else escaped by gqlx_json_write_string. */
static inline void gqlx_json_write_str_value(gqlx_buf *b, const gqlx_json *v)
{
    if (v->flags & GQLX_JSON_PLAIN)
        gqlx_json_write_plain(b, v->u.str, v->len);
    else
        gqlx_json_write_string(b, v->u.str, v->len);
}

/* Appends the JavaScript text of x: shortest round-trip digits in
 * Number.prototype.toString layout; "null" for NaN and infinities. */
void gqlx_json_write_double(gqlx_buf *b, double x);

/* Appends the decimal text of v. */
void gqlx_json_write_int(gqlx_buf *b, int64_t v);

/* Flags of gqlx_json_write_value. */
enum {
    /* Write numbers as their original text (exact big integers, "1E5"
     * stays "1E5") instead of re-printing the double as JSON.stringify
     * would. Numbers without text (built by hand, len 0) use the double. */
    GQLX_JSON_WRITE_NUMBER_TEXT = 1,
};

/* Appends the compact JSON text of the DOM value v (no whitespace). Object
 * members are written in order, keys escaped like strings. Iterative: any
 * depth works; deep trees (past 64 levels) take one temporary gqlx_malloc
 * block for the walk. Returns GQL_OK, or GQL_ENOMEM if that block could not
 * be had or the buffer failed (b->failed; the content is then incomplete),
 * or GQL_EINVAL if v is NULL or holds an unknown kind. */
int gqlx_json_write_value(gqlx_buf *b, const gqlx_json *v, unsigned flags);

/* A streaming writer: the caller emits a sequence of calls that forms one
 * JSON value and the writer inserts the commas and colons. The caller is
 * responsible for the shape (a key before each object member's value,
 * balanced begin/end); the writer does not check it.
 *
 *   gqlx_json_writer w;
 *   gqlx_json_writer_init(&w, &buf);
 *   gqlx_json_begin_object(&w);
 *   gqlx_json_key(&w, "data", 4);
 *   gqlx_json_begin_array(&w);
 *   gqlx_json_int(&w, 1);
 *   gqlx_json_null(&w);
 *   gqlx_json_end_array(&w);
 *   gqlx_json_end_object(&w);      -> {"data":[1,null]}
 */
typedef struct gqlx_json_writer {
    gqlx_buf *out;
    bool need_comma; /* a value was completed at the current level */
} gqlx_json_writer;

/* Prepares w to append to out (which it does not own). */
void gqlx_json_writer_init(gqlx_json_writer *w, gqlx_buf *out);
void gqlx_json_begin_object(gqlx_json_writer *w);
void gqlx_json_end_object(gqlx_json_writer *w);
void gqlx_json_begin_array(gqlx_json_writer *w);
void gqlx_json_end_array(gqlx_json_writer *w);
/* Writes an object key (escaped like a string) and the colon. */
void gqlx_json_key(gqlx_json_writer *w, const char *p, size_t len);
void gqlx_json_key_cstr(gqlx_json_writer *w, const char *key);
void gqlx_json_null(gqlx_json_writer *w);
void gqlx_json_bool(gqlx_json_writer *w, bool v);
void gqlx_json_int(gqlx_json_writer *w, int64_t v);
void gqlx_json_double(gqlx_json_writer *w, double v);
void gqlx_json_string(gqlx_json_writer *w, const char *p, size_t len);
/* Writes p[0..len) as it is: it must be one complete, valid JSON value. */
void gqlx_json_raw(gqlx_json_writer *w, const char *p, size_t len);
/* Writes a DOM value (see gqlx_json_write_value for flags). Returns its
 * result. */
int gqlx_json_value(gqlx_json_writer *w, const gqlx_json *v, unsigned flags);

/* Shared by the reader and the writer: for each byte, 0 if it stands for
 * itself inside a JSON string, 1 for '"', '\\' and control characters, 2
 * for the first byte of a non-ASCII sequence. */
extern const unsigned char gqlx_json_str_class[256];

#endif
