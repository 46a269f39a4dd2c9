/* src/language/printer.c — AST back to GraphQL text, as graphql-js prints it.
 *
 * graphql-js 17 builds a tree of print buffers bottom-up and indents nested
 * blocks when it renders them. We write straight into the output buffer
 * instead and keep the current indentation, so every newline is followed by
 * the indentation of the block it belongs to; blank lines keep their
 * indentation too, as graphql-js renders them. The result is the same bytes
 * in time linear in the output.
 *
 * Three layout choices depend on printed widths, which graphql-js measures
 * in UTF-16 code units as if the text stood at column 0:
 *   - field arguments go one per line when `name(args)` is over 80 wide;
 *   - list values and object values break into one item per line when
 *     their one-line form is over 80 wide;
 *   - variable definitions and argument definitions go one per line when
 *     any of them spans several lines (has a description, a block string,
 *     a broken list...).
 * Widths are measured before printing by value_width(), which stops as soon
 * as the width passes the limit asked for, so a decision reads about 80
 * characters of the value whatever its size (a block string's raw text is
 * read once more per decision that reaches it, to bound its width without
 * decoding it). */
#include "language/printer.h"

#include <stdint.h>
#include <string.h>

#include "core/utf8.h"
#include "language/string_value.h"

/* graphql-js's MAX_LINE_LENGTH */
#define MAX_LINE_LENGTH 80u

typedef struct printer {
    gqlx_buf *out;
    gqlx_arena *scratch;
    size_t indent; /* spaces after each newline */
} printer;

static void print_node(printer *p, const gqlx_node *node);

/* ---- output primitives ------------------------------------------------ */

static void put(printer *p, const char *s, size_t n)
{
    gqlx_buf_append(p->out, s, n);
}

static void put_cstr(printer *p, const char *s)
{
    gqlx_buf_append(p->out, s, strlen(s));
}

static void put_slice(printer *p, gqlx_slice s)
{
    gqlx_buf_append(p->out, s.ptr, s.len);
}

static void put_char(printer *p, char c)
{
    gqlx_buf_putc(p->out, c);
}

static void newline(printer *p)
{
    gqlx_buf *out = p->out;
    if (!gqlx_buf_reserve(out, 1 + p->indent))
        return;
    out->data[out->len++] = '\n';
    memset(out->data + out->len, ' ', p->indent);
    out->len += p->indent;
    out->data[out->len] = '\0';
}

/* Opens a block: `open`, then one level deeper. Items follow, each after
 * block_item(); block_close() returns to the outer level before `close`. */
static void block_open(printer *p, char open)
{
    put_char(p, open);
    p->indent += 2;
}

static void block_close(printer *p, char close)
{
    p->indent -= 2;
    newline(p);
    put_char(p, close);
}

/* Drops everything after `len`: used after trial prints. */
static void truncate_to(printer *p, size_t len)
{
    if (p->out->data != NULL && len <= p->out->len) {
        p->out->len = len;
        p->out->data[len] = '\0';
    }
}

/* Adds the current indentation after every newline written since `start`.
 * Block strings are produced by gqlx_print_block_string() at column 0 and
 * their lines must follow the enclosing block. Moves the text once, from
 * the end backwards. */
static void indent_since(printer *p, size_t start)
{
    gqlx_buf *out = p->out;
    if (p->indent == 0 || out->data == NULL || start >= out->len)
        return;
    size_t lines = 0;
    for (size_t i = start; i < out->len; i++)
        lines += out->data[i] == '\n';
    if (lines == 0 || !gqlx_buf_reserve(out, lines * p->indent))
        return;
    size_t src = out->len;
    size_t dst = out->len + lines * p->indent;
    out->len = dst;
    out->data[dst] = '\0';
    while (src > start) {
        char c = out->data[--src];
        if (c == '\n') {
            dst -= p->indent;
            memset(out->data + dst, ' ', p->indent);
        }
        out->data[--dst] = c;
    }
}

/* ---- strings ---------------------------------------------------------- */

/* The value of a string literal; false (printing nothing) when the scratch
 * arena fails, which the caller of gqlx_print sees. */
static bool string_value(printer *p, const gqlx_string_value *s, gqlx_slice *value)
{
    return gqlx_string_value_get(p->scratch, s, value);
}

static void print_string_value(printer *p, const gqlx_string_value *s)
{
    gqlx_slice v;
    if (!string_value(p, s, &v))
        return;
    if ((s->base.flags & GQLX_STRING_BLOCK) == 0) {
        gqlx_print_string(p->out, v.ptr, v.len);
        return;
    }
    size_t start = p->out->len;
    gqlx_print_block_string(p->out, v.ptr, v.len, false);
    indent_since(p, start);
}

/* A description stands on its own line before what it describes. */
static void print_description(printer *p, const gqlx_string_value *desc)
{
    if (desc == NULL)
        return;
    print_string_value(p, desc);
    newline(p);
}

/* Width of one code point of a string value once printString() has
 * escaped it. */
static size_t escaped_width(uint32_t cp)
{
    switch (cp) {
    case '"':
    case '\\':
    case '\b':
    case '\t':
    case '\n':
    case '\f':
    case '\r':
        return 2;
    default:
        break;
    }
    if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F))
        return 6; /* \u00XX */
    if (cp >= 0x10000)
        return 2; /* a surrogate pair */
    return 1;     /* lone surrogate halves from \uD83D\uDE00 count one each */
}

/* Width of the printed form of a value held as UTF-8 text, with the given
 * escapes in the text decoded on the way when `escaped`; stops early once
 * past cap. The lexer has checked the escapes. */
static size_t quoted_string_width(gqlx_slice raw, bool escaped, size_t cap)
{
    const unsigned char *s = (const unsigned char *)raw.ptr;
    size_t w = 2; /* the quotes */
    for (size_t i = 0; i < raw.len && w <= cap; i++) {
        unsigned char c = s[i];
        if (c == '\\' && escaped && i + 1 < raw.len) {
            unsigned char e = s[++i];
            if (e == '/') {
                w += 1;
            } else if (e != 'u') {
                w += 2; /* \" \\ \b \f \n \r \t print as written */
            } else {
                uint32_t cp = 0;
                size_t digits = 0;
                bool braced = i + 1 < raw.len && s[i + 1] == '{';
                if (braced)
                    i++;
                while (i + 1 < raw.len && (braced ? s[i + 1] != '}' : digits < 4)) {
                    unsigned char h = s[++i];
                    uint32_t d = h <= '9' ? (uint32_t)(h - '0') : (uint32_t)((h | 0x20) - 'a' + 10);
                    cp = (cp << 4) | (d & 0xF);
                    digits++;
                }
                if (braced)
                    i++; /* the '}' */
                w += escaped_width(cp);
            }
        } else if (c < 0x80) {
            w += escaped_width(c);
        } else if (c == 0xC2 && i + 1 < raw.len && s[i + 1] <= 0x9F) {
            w += 6;
            i++;
        } else if ((c & 0xC0) != 0x80) {
            w += c >= 0xF0 ? 2 : 1;
        }
    }
    return w;
}

/* Prints a block string at the end of the output as a trial, reports its
 * width and whether it spans lines, and takes it back. */
static void measure_block_string(printer *p, const gqlx_string_value *s, size_t *width,
                                 bool *multiline)
{
    gqlx_slice v;
    size_t start = p->out->len;
    *width = 0;
    *multiline = false;
    if (!string_value(p, s, &v))
        return;
    gqlx_print_block_string(p->out, v.ptr, v.len, false);
    if (p->out->data != NULL && start < p->out->len) {
        *width = gqlx_utf16_length(p->out->data + start, p->out->len - start);
        *multiline = memchr(p->out->data + start, '\n', p->out->len - start) != NULL;
    }
    truncate_to(p, start);
}

/* A lower bound of a block string's printed width computed from its raw
 * text without decoding it. Decoding (the specification's BlockStringValue)
 * drops the blank lines at both ends and the common indentation of the
 * lines after the first, and unescapes \""" — which printing escapes
 * again, at least as often. So the kept lines' characters, minus that
 * indentation, plus the line breaks between them and the six quotes, are
 * all printed. */
typedef struct raw_line {
    size_t indent; /* leading spaces and tabs */
    size_t units;  /* UTF-16 code units, indentation included */
    bool blank;    /* nothing but spaces and tabs */
} raw_line;

/* Reads the line of a block string's raw text that starts at byte i, up to
 * \n, \r\n or \r; returns where the next line starts (raw.len + 1 after
 * the last line). */
static size_t read_raw_line(gqlx_slice raw, size_t i, raw_line *l)
{
    const unsigned char *s = (const unsigned char *)raw.ptr;
    l->indent = 0;
    while (i < raw.len && (s[i] == ' ' || s[i] == '\t')) {
        l->indent++;
        i++;
    }
    size_t text = i;
    while (i < raw.len && s[i] != '\n' && s[i] != '\r')
        i++;
    l->blank = i == text;
    l->units = l->indent + gqlx_utf16_length(raw.ptr + text, i - text);
    if (i + 1 < raw.len && s[i] == '\r' && s[i + 1] == '\n')
        i++;
    return i + 1;
}

static size_t block_string_bound(gqlx_slice raw)
{
    raw_line l;
    size_t common = SIZE_MAX;          /* indentation shared by lines after the first */
    size_t first = SIZE_MAX, last = 0; /* the lines kept: first to last non-blank */
    size_t line = 0;
    for (size_t i = 0; i <= raw.len; line++) {
        i = read_raw_line(raw, i, &l);
        if (l.blank)
            continue;
        if (line > 0 && l.indent < common)
            common = l.indent;
        if (first == SIZE_MAX)
            first = line;
        last = line;
    }
    size_t w = 6;
    if (first == SIZE_MAX)
        return w;
    line = 0;
    for (size_t i = 0; i <= raw.len && line <= last; line++) {
        i = read_raw_line(raw, i, &l);
        if (line < first)
            continue;
        size_t strip = line == 0 ? 0 : (l.indent < common ? l.indent : common);
        w += l.units - strip + (line > first); /* the line break before it */
    }
    return w;
}

static size_t string_width(printer *p, const gqlx_string_value *s, size_t cap)
{
    if ((s->base.flags & GQLX_STRING_BLOCK) == 0)
        return quoted_string_width(s->raw, (s->base.flags & GQLX_STRING_ESCAPED) != 0, cap);

    /* Most block strings are settled by the bound, without decoding; those
     * that are not have a value of at most about cap characters. */
    size_t bound = block_string_bound(s->raw);
    if (bound > cap)
        return bound;
    size_t width;
    bool multiline;
    measure_block_string(p, s, &width, &multiline);
    return width;
}

/* ---- value widths ------------------------------------------------------ */

static size_t value_width(printer *p, const gqlx_node *v, size_t cap);

static size_t object_field_width(printer *p, const gqlx_object_field *f, size_t cap)
{
    size_t w = f->name.len + 2;
    if (w > cap)
        return w;
    return w + value_width(p, f->value, cap - w);
}

/* The width of value v printed on one line, exact when it is at most cap,
 * otherwise some number above cap (found without looking further). A list
 * or object that would break over lines is wider than its one-line form,
 * and every cap used here is at most MAX_LINE_LENGTH, so "above cap" comes
 * out right for those as well. */
static size_t value_width(printer *p, const gqlx_node *v, size_t cap)
{
    switch ((gqlx_kind)v->kind) {
    case GQLX_KIND_VARIABLE:
        return 1 + GQLX_AS_CONST(gqlx_variable, v)->name.len;
    case GQLX_KIND_INT_VALUE:
    case GQLX_KIND_FLOAT_VALUE:
    case GQLX_KIND_ENUM_VALUE:
        return GQLX_AS_CONST(gqlx_scalar_value, v)->text.len;
    case GQLX_KIND_BOOLEAN_VALUE:
        return GQLX_AS_CONST(gqlx_boolean_value, v)->value ? 4 : 5;
    case GQLX_KIND_NULL_VALUE:
        return 4;
    case GQLX_KIND_STRING_VALUE:
        return string_width(p, GQLX_AS_CONST(gqlx_string_value, v), cap);
    case GQLX_KIND_LIST_VALUE: {
        const gqlx_list_value *l = GQLX_AS_CONST(gqlx_list_value, v);
        size_t w = 2;
        for (uint32_t i = 0; i < l->values.count && w <= cap; i++) {
            w += i > 0 ? 2 : 0;
            if (w <= cap)
                w += value_width(p, l->values.items[i], cap - w);
        }
        return w;
    }
    case GQLX_KIND_OBJECT_VALUE: {
        const gqlx_object_value *o = GQLX_AS_CONST(gqlx_object_value, v);
        size_t w = 4; /* "{ " and " }", even around nothing */
        for (uint32_t i = 0; i < o->fields.count && w <= cap; i++) {
            w += i > 0 ? 2 : 0;
            if (w <= cap)
                w += object_field_width(p, o->fields.items[i], cap - w);
        }
        return w;
    }
    default:
        return 0;
    }
}

/* Whether value v prints over several lines. */
static bool value_multiline(printer *p, const gqlx_node *v)
{
    switch ((gqlx_kind)v->kind) {
    case GQLX_KIND_STRING_VALUE: {
        const gqlx_string_value *s = GQLX_AS_CONST(gqlx_string_value, v);
        if ((s->base.flags & GQLX_STRING_BLOCK) == 0)
            return false;
        size_t width;
        bool multiline;
        measure_block_string(p, s, &width, &multiline);
        return multiline;
    }
    case GQLX_KIND_LIST_VALUE: {
        const gqlx_list_value *l = GQLX_AS_CONST(gqlx_list_value, v);
        if (value_width(p, v, MAX_LINE_LENGTH) > MAX_LINE_LENGTH)
            return true;
        for (uint32_t i = 0; i < l->values.count; i++)
            if (value_multiline(p, l->values.items[i]))
                return true;
        return false;
    }
    case GQLX_KIND_OBJECT_VALUE: {
        const gqlx_object_value *o = GQLX_AS_CONST(gqlx_object_value, v);
        if (value_width(p, v, MAX_LINE_LENGTH) > MAX_LINE_LENGTH)
            return true;
        for (uint32_t i = 0; i < o->fields.count; i++)
            if (value_multiline(p, o->fields.items[i]->value))
                return true;
        return false;
    }
    default:
        return false;
    }
}

static bool directives_multiline(printer *p, const gqlx_directive_list *dirs)
{
    for (uint32_t i = 0; i < dirs->count; i++) {
        const gqlx_argument_list *args = &dirs->items[i]->arguments;
        for (uint32_t j = 0; j < args->count; j++)
            if (value_multiline(p, args->items[j]->value))
                return true;
    }
    return false;
}

/* Whether a variable or argument definition prints over several lines;
 * a description always ends with a line break. */
static bool definition_multiline(printer *p, const gqlx_string_value *desc,
                                 const gqlx_node *default_value, const gqlx_directive_list *dirs)
{
    return desc != NULL || (default_value != NULL && value_multiline(p, default_value)) ||
           directives_multiline(p, dirs);
}

/* ---- values ------------------------------------------------------------ */

static void print_object_field(printer *p, const gqlx_object_field *f)
{
    put_slice(p, f->name);
    put(p, ": ", 2);
    print_node(p, f->value);
}

static void print_list_value(printer *p, const gqlx_list_value *l)
{
    if (value_width(p, &l->base, MAX_LINE_LENGTH) > MAX_LINE_LENGTH) {
        block_open(p, '[');
        for (uint32_t i = 0; i < l->values.count; i++) {
            newline(p);
            print_node(p, l->values.items[i]);
        }
        block_close(p, ']');
        return;
    }
    put_char(p, '[');
    for (uint32_t i = 0; i < l->values.count; i++) {
        if (i > 0)
            put(p, ", ", 2);
        print_node(p, l->values.items[i]);
    }
    put_char(p, ']');
}

static void print_object_value(printer *p, const gqlx_object_value *o)
{
    if (value_width(p, &o->base, MAX_LINE_LENGTH) > MAX_LINE_LENGTH) {
        block_open(p, '{');
        for (uint32_t i = 0; i < o->fields.count; i++) {
            newline(p);
            print_object_field(p, o->fields.items[i]);
        }
        block_close(p, '}');
        return;
    }
    put(p, "{ ", 2);
    for (uint32_t i = 0; i < o->fields.count; i++) {
        if (i > 0)
            put(p, ", ", 2);
        print_object_field(p, o->fields.items[i]);
    }
    put(p, " }", 2);
}

/* ---- pieces shared by many nodes -------------------------------------- */

static void print_argument(printer *p, const gqlx_argument *a)
{
    put_slice(p, a->name);
    put(p, ": ", 2);
    print_node(p, a->value);
}

/* "(a: 1, b: 2)" on one line; nothing when there are no arguments. */
static void print_arguments_inline(printer *p, const gqlx_argument_list *args)
{
    if (args->count == 0)
        return;
    put_char(p, '(');
    for (uint32_t i = 0; i < args->count; i++) {
        if (i > 0)
            put(p, ", ", 2);
        print_argument(p, args->items[i]);
    }
    put_char(p, ')');
}

/* A field's arguments after a prefix of prefix_width ("alias: name"): one
 * line when `prefix(args)` fits in MAX_LINE_LENGTH, else one per line. */
static void print_field_arguments(printer *p, const gqlx_argument_list *args, size_t prefix_width)
{
    if (args->count == 0)
        return;
    bool wrap = prefix_width + 2 >= MAX_LINE_LENGTH;
    if (!wrap) {
        size_t cap = MAX_LINE_LENGTH - prefix_width - 2;
        size_t w = 0;
        for (uint32_t i = 0; i < args->count && w <= cap; i++) {
            const gqlx_argument *a = args->items[i];
            w += (i > 0 ? 2 : 0) + a->name.len + 2;
            if (w <= cap)
                w += value_width(p, a->value, cap - w);
        }
        wrap = w > cap;
    }
    if (!wrap) {
        print_arguments_inline(p, args);
        return;
    }
    block_open(p, '(');
    for (uint32_t i = 0; i < args->count; i++) {
        newline(p);
        print_argument(p, args->items[i]);
    }
    block_close(p, ')');
}

static void print_directive(printer *p, const gqlx_directive *d)
{
    put_char(p, '@');
    put_slice(p, d->name);
    print_arguments_inline(p, &d->arguments);
}

/* " @a @b(x: 1)": each directive after a space. */
static void print_directives(printer *p, const gqlx_directive_list *dirs)
{
    for (uint32_t i = 0; i < dirs->count; i++) {
        put_char(p, ' ');
        print_directive(p, dirs->items[i]);
    }
}

static void print_named_types(printer *p, const gqlx_named_type_list *types, const char *sep)
{
    for (uint32_t i = 0; i < types->count; i++) {
        if (i > 0)
            put_cstr(p, sep);
        put_slice(p, types->items[i]->name);
    }
}

static void print_selection_set(printer *p, const gqlx_selection_set *set)
{
    if (set->selections.count == 0) {
        put(p, "{}", 2);
        return;
    }
    block_open(p, '{');
    for (uint32_t i = 0; i < set->selections.count; i++) {
        newline(p);
        print_node(p, set->selections.items[i]);
    }
    block_close(p, '}');
}

/* " {" members "}" of a type-system block, or nothing when it is empty. */
#define PRINT_MEMBER_BLOCK(p, list)                                                                \
    do {                                                                                           \
        if ((list).count > 0) {                                                                    \
            put_char((p), ' ');                                                                    \
            block_open((p), '{');                                                                  \
            for (uint32_t i_ = 0; i_ < (list).count; i_++) {                                       \
                newline(p);                                                                        \
                print_node((p), &(list).items[i_]->base);                                          \
            }                                                                                      \
            block_close((p), '}');                                                                 \
        }                                                                                          \
    } while (0)

static void print_variable_definitions(printer *p, const gqlx_variable_def_list *defs)
{
    if (defs->count == 0)
        return;
    bool multiline = false;
    for (uint32_t i = 0; i < defs->count && !multiline; i++) {
        const gqlx_variable_def *d = defs->items[i];
        multiline = definition_multiline(p, d->description, d->default_value, &d->directives);
    }
    /* graphql-js breaks variable definitions over lines without indenting
     * them, unlike argument definitions. */
    put_char(p, '(');
    for (uint32_t i = 0; i < defs->count; i++) {
        if (multiline)
            newline(p);
        else if (i > 0)
            put(p, ", ", 2);
        print_node(p, &defs->items[i]->base);
    }
    if (multiline)
        newline(p);
    put_char(p, ')');
}

static void print_argument_definitions(printer *p, const gqlx_input_value_def_list *defs)
{
    if (defs->count == 0)
        return;
    bool multiline = false;
    for (uint32_t i = 0; i < defs->count && !multiline; i++) {
        const gqlx_input_value_def *d = defs->items[i];
        multiline = definition_multiline(p, d->description, d->default_value, &d->directives);
    }
    if (multiline) {
        block_open(p, '(');
        for (uint32_t i = 0; i < defs->count; i++) {
            newline(p);
            print_node(p, &defs->items[i]->base);
        }
        block_close(p, ')');
        return;
    }
    put_char(p, '(');
    for (uint32_t i = 0; i < defs->count; i++) {
        if (i > 0)
            put(p, ", ", 2);
        print_node(p, &defs->items[i]->base);
    }
    put_char(p, ')');
}

/* ---- executable definitions ------------------------------------------- */

static void print_operation(printer *p, const gqlx_operation_def *op)
{
    /* An unnamed query with nothing before its selection set prints as the
     * bare selection set, however it was written. */
    if (op->operation == GQLX_OP_QUERY && op->description == NULL && op->name.ptr == NULL &&
        op->variable_definitions.count == 0 && op->directives.count == 0) {
        print_selection_set(p, op->selection_set);
        return;
    }
    print_description(p, op->description);
    put_cstr(p, gqlx_operation_name(op->operation));
    if (op->name.ptr != NULL) {
        put_char(p, ' ');
        put_slice(p, op->name);
    } else if (op->variable_definitions.count > 0) {
        put_char(p, ' ');
    }
    print_variable_definitions(p, &op->variable_definitions);
    print_directives(p, &op->directives);
    put_char(p, ' ');
    print_selection_set(p, op->selection_set);
}

static void print_field(printer *p, const gqlx_field *f)
{
    size_t prefix = f->name.len;
    if (f->alias.ptr != NULL) {
        put_slice(p, f->alias);
        put(p, ": ", 2);
        prefix += f->alias.len + 2;
    }
    put_slice(p, f->name);
    print_field_arguments(p, &f->arguments, prefix);
    print_directives(p, &f->directives);
    if (f->selection_set != NULL) {
        put_char(p, ' ');
        print_selection_set(p, f->selection_set);
    }
}

static void print_inline_fragment(printer *p, const gqlx_inline_fragment *f)
{
    put(p, "...", 3);
    if (f->type_condition != NULL) {
        put(p, " on ", 4);
        put_slice(p, f->type_condition->name);
    }
    print_directives(p, &f->directives);
    if (f->selection_set != NULL) {
        put_char(p, ' ');
        print_selection_set(p, f->selection_set);
    }
}

static void print_fragment(printer *p, const gqlx_fragment_def *f)
{
    print_description(p, f->description);
    put(p, "fragment ", 9);
    put_slice(p, f->name);
    put(p, " on ", 4);
    put_slice(p, f->type_condition->name);
    print_directives(p, &f->directives);
    put_char(p, ' ');
    print_selection_set(p, f->selection_set);
}

static void print_variable_definition(printer *p, const gqlx_variable_def *d)
{
    print_description(p, d->description);
    put_char(p, '$');
    put_slice(p, d->variable->name);
    put(p, ": ", 2);
    print_node(p, d->type);
    if (d->default_value != NULL) {
        put(p, " = ", 3);
        print_node(p, d->default_value);
    }
    print_directives(p, &d->directives);
}

/* ---- type system ------------------------------------------------------- */

/* Everything before the member block of a named type-system definition or
 * extension: description (definitions only), keyword, name, directives. */
static bool is_extension(const gqlx_node *node)
{
    switch ((gqlx_kind)node->kind) {
    case GQLX_KIND_SCHEMA_EXTENSION:
    case GQLX_KIND_SCALAR_TYPE_EXTENSION:
    case GQLX_KIND_OBJECT_TYPE_EXTENSION:
    case GQLX_KIND_INTERFACE_TYPE_EXTENSION:
    case GQLX_KIND_UNION_TYPE_EXTENSION:
    case GQLX_KIND_ENUM_TYPE_EXTENSION:
    case GQLX_KIND_INPUT_OBJECT_TYPE_EXTENSION:
    case GQLX_KIND_DIRECTIVE_EXTENSION:
        return true;
    default:
        return false;
    }
}

static void print_type_head(printer *p, const gqlx_node *node, const gqlx_string_value *desc,
                            const char *keyword, gqlx_slice name)
{
    if (is_extension(node)) {
        put(p, "extend ", 7);
    } else {
        print_description(p, desc);
    }
    put_cstr(p, keyword);
    put_char(p, ' ');
    put_slice(p, name);
}

static void print_schema(printer *p, const gqlx_schema_def *s)
{
    if (is_extension(&s->base)) {
        put(p, "extend schema", 13);
    } else {
        print_description(p, s->description);
        put(p, "schema", 6);
    }
    print_directives(p, &s->directives);
    PRINT_MEMBER_BLOCK(p, s->operation_types);
}

static void print_object_type(printer *p, const gqlx_object_type_def *t, const char *keyword)
{
    print_type_head(p, &t->base, t->description, keyword, t->name);
    if (t->interfaces.count > 0) {
        put(p, " implements ", 12);
        print_named_types(p, &t->interfaces, " & ");
    }
    print_directives(p, &t->directives);
    PRINT_MEMBER_BLOCK(p, t->fields);
}

static void print_union(printer *p, const gqlx_union_type_def *u)
{
    print_type_head(p, &u->base, u->description, "union", u->name);
    print_directives(p, &u->directives);
    if (u->types.count > 0) {
        put(p, " = ", 3);
        print_named_types(p, &u->types, " | ");
    }
}

static void print_field_definition(printer *p, const gqlx_field_def *f)
{
    print_description(p, f->description);
    put_slice(p, f->name);
    print_argument_definitions(p, &f->arguments);
    put(p, ": ", 2);
    print_node(p, f->type);
    print_directives(p, &f->directives);
}

static void print_input_value_definition(printer *p, const gqlx_input_value_def *d)
{
    print_description(p, d->description);
    put_slice(p, d->name);
    put(p, ": ", 2);
    print_node(p, d->type);
    if (d->default_value != NULL) {
        put(p, " = ", 3);
        print_node(p, d->default_value);
    }
    print_directives(p, &d->directives);
}

static void print_directive_definition(printer *p, const gqlx_directive_def *d)
{
    if (d->base.kind == GQLX_KIND_DIRECTIVE_EXTENSION) {
        put(p, "extend directive @", 18);
        put_slice(p, d->name);
        print_directives(p, &d->directives);
        return;
    }
    print_description(p, d->description);
    put(p, "directive @", 11);
    put_slice(p, d->name);
    print_argument_definitions(p, &d->arguments);
    print_directives(p, &d->directives);
    if (d->base.flags & GQLX_DIRECTIVE_REPEATABLE)
        put(p, " repeatable", 11);
    put(p, " on ", 4);
    for (uint32_t i = 0; i < d->locations.count; i++) {
        if (i > 0)
            put(p, " | ", 3);
        put_slice(p, d->locations.items[i]);
    }
}

/* ---- dispatch ---------------------------------------------------------- */

static void print_node(printer *p, const gqlx_node *node)
{
    if (node == NULL)
        return;
    switch ((gqlx_kind)node->kind) {
    case GQLX_KIND_DOCUMENT: {
        const gqlx_document *d = GQLX_AS_CONST(gqlx_document, node);
        for (uint32_t i = 0; i < d->definitions.count; i++) {
            if (i > 0) {
                newline(p);
                newline(p);
            }
            print_node(p, d->definitions.items[i]);
        }
        break;
    }
    case GQLX_KIND_OPERATION_DEFINITION:
        print_operation(p, GQLX_AS_CONST(gqlx_operation_def, node));
        break;
    case GQLX_KIND_VARIABLE_DEFINITION:
        print_variable_definition(p, GQLX_AS_CONST(gqlx_variable_def, node));
        break;
    case GQLX_KIND_SELECTION_SET:
        print_selection_set(p, GQLX_AS_CONST(gqlx_selection_set, node));
        break;
    case GQLX_KIND_FIELD:
        print_field(p, GQLX_AS_CONST(gqlx_field, node));
        break;
    case GQLX_KIND_ARGUMENT:
        print_argument(p, GQLX_AS_CONST(gqlx_argument, node));
        break;
    case GQLX_KIND_FRAGMENT_SPREAD: {
        const gqlx_fragment_spread *s = GQLX_AS_CONST(gqlx_fragment_spread, node);
        put(p, "...", 3);
        put_slice(p, s->name);
        print_directives(p, &s->directives);
        break;
    }
    case GQLX_KIND_INLINE_FRAGMENT:
        print_inline_fragment(p, GQLX_AS_CONST(gqlx_inline_fragment, node));
        break;
    case GQLX_KIND_FRAGMENT_DEFINITION:
        print_fragment(p, GQLX_AS_CONST(gqlx_fragment_def, node));
        break;
    case GQLX_KIND_VARIABLE:
        put_char(p, '$');
        put_slice(p, GQLX_AS_CONST(gqlx_variable, node)->name);
        break;
    case GQLX_KIND_INT_VALUE:
    case GQLX_KIND_FLOAT_VALUE:
    case GQLX_KIND_ENUM_VALUE:
        put_slice(p, GQLX_AS_CONST(gqlx_scalar_value, node)->text);
        break;
    case GQLX_KIND_STRING_VALUE:
        print_string_value(p, GQLX_AS_CONST(gqlx_string_value, node));
        break;
    case GQLX_KIND_BOOLEAN_VALUE:
        put_cstr(p, GQLX_AS_CONST(gqlx_boolean_value, node)->value ? "true" : "false");
        break;
    case GQLX_KIND_NULL_VALUE:
        put(p, "null", 4);
        break;
    case GQLX_KIND_LIST_VALUE:
        print_list_value(p, GQLX_AS_CONST(gqlx_list_value, node));
        break;
    case GQLX_KIND_OBJECT_VALUE:
        print_object_value(p, GQLX_AS_CONST(gqlx_object_value, node));
        break;
    case GQLX_KIND_OBJECT_FIELD:
        print_object_field(p, GQLX_AS_CONST(gqlx_object_field, node));
        break;
    case GQLX_KIND_DIRECTIVE:
        print_directive(p, GQLX_AS_CONST(gqlx_directive, node));
        break;
    case GQLX_KIND_NAMED_TYPE:
        put_slice(p, GQLX_AS_CONST(gqlx_named_type, node)->name);
        break;
    case GQLX_KIND_LIST_TYPE:
        put_char(p, '[');
        print_node(p, GQLX_AS_CONST(gqlx_wrapper_type, node)->type);
        put_char(p, ']');
        break;
    case GQLX_KIND_NON_NULL_TYPE:
        print_node(p, GQLX_AS_CONST(gqlx_wrapper_type, node)->type);
        put_char(p, '!');
        break;
    case GQLX_KIND_SCHEMA_DEFINITION:
    case GQLX_KIND_SCHEMA_EXTENSION:
        print_schema(p, GQLX_AS_CONST(gqlx_schema_def, node));
        break;
    case GQLX_KIND_OPERATION_TYPE_DEFINITION: {
        const gqlx_operation_type_def *t = GQLX_AS_CONST(gqlx_operation_type_def, node);
        put_cstr(p, gqlx_operation_name(t->operation));
        put(p, ": ", 2);
        put_slice(p, t->type->name);
        break;
    }
    case GQLX_KIND_SCALAR_TYPE_DEFINITION:
    case GQLX_KIND_SCALAR_TYPE_EXTENSION: {
        const gqlx_scalar_type_def *t = GQLX_AS_CONST(gqlx_scalar_type_def, node);
        print_type_head(p, node, t->description, "scalar", t->name);
        print_directives(p, &t->directives);
        break;
    }
    case GQLX_KIND_OBJECT_TYPE_DEFINITION:
    case GQLX_KIND_OBJECT_TYPE_EXTENSION:
        print_object_type(p, GQLX_AS_CONST(gqlx_object_type_def, node), "type");
        break;
    case GQLX_KIND_INTERFACE_TYPE_DEFINITION:
    case GQLX_KIND_INTERFACE_TYPE_EXTENSION:
        print_object_type(p, GQLX_AS_CONST(gqlx_object_type_def, node), "interface");
        break;
    case GQLX_KIND_FIELD_DEFINITION:
        print_field_definition(p, GQLX_AS_CONST(gqlx_field_def, node));
        break;
    case GQLX_KIND_INPUT_VALUE_DEFINITION:
        print_input_value_definition(p, GQLX_AS_CONST(gqlx_input_value_def, node));
        break;
    case GQLX_KIND_UNION_TYPE_DEFINITION:
    case GQLX_KIND_UNION_TYPE_EXTENSION:
        print_union(p, GQLX_AS_CONST(gqlx_union_type_def, node));
        break;
    case GQLX_KIND_ENUM_TYPE_DEFINITION:
    case GQLX_KIND_ENUM_TYPE_EXTENSION: {
        const gqlx_enum_type_def *t = GQLX_AS_CONST(gqlx_enum_type_def, node);
        print_type_head(p, node, t->description, "enum", t->name);
        print_directives(p, &t->directives);
        PRINT_MEMBER_BLOCK(p, t->values);
        break;
    }
    case GQLX_KIND_ENUM_VALUE_DEFINITION: {
        const gqlx_enum_value_def *v = GQLX_AS_CONST(gqlx_enum_value_def, node);
        print_description(p, v->description);
        put_slice(p, v->name);
        print_directives(p, &v->directives);
        break;
    }
    case GQLX_KIND_INPUT_OBJECT_TYPE_DEFINITION:
    case GQLX_KIND_INPUT_OBJECT_TYPE_EXTENSION: {
        const gqlx_input_object_type_def *t = GQLX_AS_CONST(gqlx_input_object_type_def, node);
        print_type_head(p, node, t->description, "input", t->name);
        print_directives(p, &t->directives);
        PRINT_MEMBER_BLOCK(p, t->fields);
        break;
    }
    case GQLX_KIND_DIRECTIVE_DEFINITION:
    case GQLX_KIND_DIRECTIVE_EXTENSION:
        print_directive_definition(p, GQLX_AS_CONST(gqlx_directive_def, node));
        break;
    case GQLX_KIND_COUNT:
        break;
    }
}

void gqlx_print(gqlx_buf *out, const gqlx_node *node, gqlx_arena *scratch)
{
    printer p = {out, scratch, 0};
    print_node(&p, node);
}
