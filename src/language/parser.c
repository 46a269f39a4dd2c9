/* src/language/parser.c — recursive-descent GraphQL parser.
 *
 * Follows graphql-js's parser (language/parser.ts) production by
 * production, so that every syntax error carries graphql-js's message at
 * graphql-js's position. Errors unwind with longjmp to the entry point:
 * everything the parser allocates lives in the caller's arena, so there is
 * nothing to release on the way out except the scratch stack, which the
 * entry point frees on both paths. */
#include "language/parser.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/limits.h"
#include "core/utf8.h"
#include "language/lexer.h"
#include "language/string_value.h"

typedef struct parser {
    gqlx_lexer lx;
    gqlx_token tok;    /* the current, not yet consumed, token */
    uint32_t prev_end; /* end of the last consumed token: node ends */
    uint32_t token_count;
    uint32_t depth;
    gqlx_arena *arena;
    const gqlx_source *src;
    gqlx_parse_opts opts;
    /* Scratch stack collecting list items before they are copied into an
     * exact-size array in the arena. Nested lists share it. */
    void **stack;
    size_t sp;
    size_t cap;
    /* failure */
    jmp_buf on_error;
    uint32_t err_offset;
    const char *err_message;
    bool oom;
} parser;

void gqlx_parse_opts_init(gqlx_parse_opts *opts)
{
    opts->max_tokens = GQLX_DEFAULT_MAX_TOKENS;
    opts->max_depth = GQLX_DEFAULT_MAX_PARSE_DEPTH;
    opts->max_bytes = GQLX_DEFAULT_MAX_DOCUMENT_BYTES;
    opts->allow_empty_selection_sets = false;
}

/* ---- failure ---------------------------------------------------------- */

static _Noreturn void fail_oom(parser *p)
{
    p->oom = true;
    p->err_message = NULL;
    longjmp(p->on_error, 1);
}

/* Records a syntax error (message without the "Syntax Error: " prefix) at
 * byte offset `at` and unwinds. */
__attribute__((format(printf, 3, 4))) static _Noreturn void fail(parser *p, uint32_t at,
                                                                 const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    char *msg = gqlx_arena_alloc(p->arena, (size_t)n + 1, 1);
    if (msg == NULL)
        fail_oom(p);
    va_start(ap, fmt);
    vsnprintf(msg, (size_t)n + 1, fmt, ap);
    va_end(ap);
    p->err_offset = at;
    p->err_message = msg;
    longjmp(p->on_error, 1);
}

static _Noreturn void fail_lexer(parser *p)
{
    if (p->lx.error == NULL)
        fail_oom(p);
    p->err_offset = p->lx.error_offset;
    p->err_message = p->lx.error;
    longjmp(p->on_error, 1);
}

/* ---- tokens ----------------------------------------------------------- */

static inline gqlx_slice tok_text(const parser *p, const gqlx_token *t)
{
    return gqlx_slice_make(p->lx.body + t->start, t->end - t->start);
}

/* The value of a STRING or BLOCK_STRING token, decoded. */
static gqlx_slice tok_string_value(parser *p, const gqlx_token *t)
{
    bool block = t->kind == GQLX_TOK_BLOCK_STRING;
    uint32_t q = block ? 3 : 1;
    gqlx_slice raw = gqlx_slice_make(p->lx.body + t->start + q, t->end - t->start - 2 * q);
    gqlx_slice v;
    if (!block && !(t->flags & GQLX_TOKEN_ESCAPED))
        return raw;
    if (!gqlx_string_decode(p->arena, raw, block, &v))
        fail_oom(p);
    return v;
}

/* graphql-js's getTokenDesc(): the kind, then the value in quotes for
 * tokens that have one. Returns a NUL-terminated string in the arena. */
static const char *tok_desc(parser *p, const gqlx_token *t)
{
    gqlx_token_kind k = (gqlx_token_kind)t->kind;
    const char *kind = gqlx_token_kind_desc(k);
    gqlx_slice value;
    switch (k) {
    case GQLX_TOK_NAME:
    case GQLX_TOK_INT:
    case GQLX_TOK_FLOAT:
        value = tok_text(p, t);
        break;
    case GQLX_TOK_STRING:
    case GQLX_TOK_BLOCK_STRING:
        value = tok_string_value(p, t);
        break;
    default: {
        if (!gqlx_token_is_punctuator(k))
            return kind;
        char *s = gqlx_arena_alloc(p->arena, strlen(kind) + 3, 1);
        if (s == NULL)
            fail_oom(p);
        sprintf(s, "\"%s\"", kind);
        return s;
    }
    }
    const char *text = gqlx_message_text(p->arena, value.ptr, value.len);
    if (text == NULL)
        fail_oom(p);
    size_t n = strlen(kind) + strlen(text) + 4;
    char *s = gqlx_arena_alloc(p->arena, n, 1);
    if (s == NULL)
        fail_oom(p);
    snprintf(s, n, "%s \"%s\"", kind, text);
    return s;
}

/* Whether the token's value (graphql-js's token.value) equals word: names
 * by their text, strings by their decoded value. */
static bool tok_value_is(parser *p, const gqlx_token *t, const char *word)
{
    if (t->kind == GQLX_TOK_NAME)
        return gqlx_slice_eq_cstr(tok_text(p, t), word);
    if (t->kind == GQLX_TOK_STRING || t->kind == GQLX_TOK_BLOCK_STRING)
        return gqlx_slice_eq_cstr(tok_string_value(p, t), word);
    return false;
}

static void advance(parser *p)
{
    p->prev_end = p->tok.end;
    if (!gqlx_lex(&p->lx, &p->tok))
        fail_lexer(p);
    if (p->tok.kind != GQLX_TOK_EOF && ++p->token_count > p->opts.max_tokens)
        fail(p, p->tok.start, "Document contains more than %u tokens. Parsing aborted.",
             (unsigned)p->opts.max_tokens);
}

/* The token after the current one, without consuming anything. */
static gqlx_token lookahead(parser *p)
{
    gqlx_token t = p->tok;
    if (t.kind == GQLX_TOK_EOF)
        return t;
    uint32_t saved = p->lx.pos;
    if (!gqlx_lex(&p->lx, &t))
        fail_lexer(p);
    p->lx.pos = saved;
    return t;
}

static inline bool peek(const parser *p, gqlx_token_kind kind)
{
    return p->tok.kind == kind;
}

static _Noreturn void unexpected_at(parser *p, const gqlx_token *t)
{
    fail(p, t->start, "Unexpected %s.", tok_desc(p, t));
}

static _Noreturn void unexpected(parser *p)
{
    gqlx_token t = p->tok;
    unexpected_at(p, &t);
}

static gqlx_token expect(parser *p, gqlx_token_kind kind)
{
    gqlx_token t = p->tok;
    if (t.kind != kind) {
        const char *want = gqlx_token_kind_desc(kind);
        if (gqlx_token_is_punctuator(kind))
            fail(p, t.start, "Expected \"%s\", found %s.", want, tok_desc(p, &t));
        fail(p, t.start, "Expected %s, found %s.", want, tok_desc(p, &t));
    }
    advance(p);
    return t;
}

static bool optional(parser *p, gqlx_token_kind kind)
{
    if (p->tok.kind != kind)
        return false;
    advance(p);
    return true;
}

static bool peek_keyword(const parser *p, const char *word)
{
    return p->tok.kind == GQLX_TOK_NAME && gqlx_slice_eq_cstr(tok_text(p, &p->tok), word);
}

static void expect_keyword(parser *p, const char *word)
{
    if (!peek_keyword(p, word)) {
        gqlx_token t = p->tok;
        fail(p, t.start, "Expected \"%s\", found %s.", word, tok_desc(p, &t));
    }
    advance(p);
}

static bool optional_keyword(parser *p, const char *word)
{
    if (!peek_keyword(p, word))
        return false;
    advance(p);
    return true;
}

/* ---- nodes and lists -------------------------------------------------- */

/* Inlined, so that the node's size is a constant at each use and the
 * zeroing is a few stores rather than a call. */
static inline __attribute__((always_inline)) void *node_new(parser *p, size_t size, gqlx_kind kind,
                                                            uint32_t start)
{
    gqlx_node *n = gqlx_arena_alloc(p->arena, size, 8);
    if (n == NULL)
        fail_oom(p);
    memset(n, 0, size);
    n->kind = (uint8_t)kind;
    n->start = start;
    return n;
}

#define NEW_NODE(p, type, kind, start) ((type *)node_new((p), sizeof(type), (kind), (start)))

/* A node ends where the last token consumed for it ends. */
static inline void *finish(parser *p, void *node)
{
    ((gqlx_node *)node)->end = p->prev_end;
    return node;
}

static void push(parser *p, void *item)
{
    if (p->sp == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 256;
        void **s = gqlx_realloc(p->stack, cap * sizeof *s);
        if (s == NULL)
            fail_oom(p);
        p->stack = s;
        p->cap = cap;
    }
    p->stack[p->sp++] = item;
}

/* Moves the items pushed since `base` into an arena array. */
static void **pop_items(parser *p, size_t base, uint32_t *count)
{
    size_t n = p->sp - base;
    *count = (uint32_t)n;
    if (n == 0)
        return NULL;
    void **items = GQLX_ARRAY(p->arena, void *, n);
    if (items == NULL)
        fail_oom(p);
    memcpy(items, p->stack + base, n * sizeof *items);
    p->sp = base;
    return items;
}

#define POP_LIST(p, base, list) \
    ((list).items = (void *)pop_items((p), (base), &(list).count))

static void enter_level(parser *p)
{
    if (++p->depth > p->opts.max_depth)
        fail(p, p->tok.start, "Document nesting is deeper than %u levels. Parsing aborted.",
             (unsigned)p->opts.max_depth);
}

static inline void leave_level(parser *p)
{
    p->depth--;
}

/* ---- names, types, values -------------------------------------------- */

static gqlx_slice parse_name(parser *p)
{
    gqlx_token t = expect(p, GQLX_TOK_NAME);
    return tok_text(p, &t);
}

static gqlx_named_type *parse_named_type(parser *p)
{
    gqlx_named_type *n = NEW_NODE(p, gqlx_named_type, GQLX_KIND_NAMED_TYPE, p->tok.start);
    n->name = parse_name(p);
    return finish(p, n);
}

static gqlx_node *parse_type_reference(parser *p)
{
    uint32_t start = p->tok.start;
    gqlx_node *type;
    if (peek(p, GQLX_TOK_BRACKET_L)) {
        enter_level(p);
        advance(p);
        gqlx_wrapper_type *list = NEW_NODE(p, gqlx_wrapper_type, GQLX_KIND_LIST_TYPE, start);
        list->type = parse_type_reference(p);
        expect(p, GQLX_TOK_BRACKET_R);
        leave_level(p);
        type = finish(p, list);
    } else {
        type = &parse_named_type(p)->base;
    }
    if (optional(p, GQLX_TOK_BANG)) {
        gqlx_wrapper_type *nn = NEW_NODE(p, gqlx_wrapper_type, GQLX_KIND_NON_NULL_TYPE, start);
        nn->type = type;
        return finish(p, nn);
    }
    return type;
}

static gqlx_string_value *parse_string_literal(parser *p)
{
    gqlx_token t = p->tok;
    advance(p);
    gqlx_string_value *s = NEW_NODE(p, gqlx_string_value, GQLX_KIND_STRING_VALUE, t.start);
    uint32_t q = t.kind == GQLX_TOK_BLOCK_STRING ? 3 : 1;
    s->raw = gqlx_slice_make(p->lx.body + t.start + q, t.end - t.start - 2 * q);
    if (t.kind == GQLX_TOK_BLOCK_STRING)
        s->base.flags = GQLX_STRING_BLOCK | GQLX_STRING_ESCAPED;
    else if (t.flags & GQLX_TOKEN_ESCAPED)
        s->base.flags = GQLX_STRING_ESCAPED;
    return finish(p, s);
}

static gqlx_variable *parse_variable(parser *p)
{
    gqlx_variable *v = NEW_NODE(p, gqlx_variable, GQLX_KIND_VARIABLE, p->tok.start);
    expect(p, GQLX_TOK_DOLLAR);
    v->name = parse_name(p);
    return finish(p, v);
}

static gqlx_node *parse_value(parser *p, bool is_const);

static gqlx_object_field *parse_object_field(parser *p, bool is_const)
{
    gqlx_object_field *f = NEW_NODE(p, gqlx_object_field, GQLX_KIND_OBJECT_FIELD, p->tok.start);
    f->name = parse_name(p);
    expect(p, GQLX_TOK_COLON);
    f->value = parse_value(p, is_const);
    return finish(p, f);
}

static gqlx_node *parse_value(parser *p, bool is_const)
{
    gqlx_token t = p->tok;
    switch ((gqlx_token_kind)t.kind) {
    case GQLX_TOK_BRACKET_L: {
        enter_level(p);
        gqlx_list_value *l = NEW_NODE(p, gqlx_list_value, GQLX_KIND_LIST_VALUE, t.start);
        advance(p);
        size_t base = p->sp;
        while (!optional(p, GQLX_TOK_BRACKET_R))
            push(p, parse_value(p, is_const));
        POP_LIST(p, base, l->values);
        leave_level(p);
        return finish(p, l);
    }
    case GQLX_TOK_BRACE_L: {
        enter_level(p);
        gqlx_object_value *o = NEW_NODE(p, gqlx_object_value, GQLX_KIND_OBJECT_VALUE, t.start);
        advance(p);
        size_t base = p->sp;
        while (!optional(p, GQLX_TOK_BRACE_R))
            push(p, parse_object_field(p, is_const));
        POP_LIST(p, base, o->fields);
        leave_level(p);
        return finish(p, o);
    }
    case GQLX_TOK_INT:
    case GQLX_TOK_FLOAT: {
        advance(p);
        gqlx_scalar_value *v = NEW_NODE(
            p, gqlx_scalar_value, t.kind == GQLX_TOK_INT ? GQLX_KIND_INT_VALUE : GQLX_KIND_FLOAT_VALUE,
            t.start);
        v->text = tok_text(p, &t);
        return finish(p, v);
    }
    case GQLX_TOK_STRING:
    case GQLX_TOK_BLOCK_STRING:
        return &parse_string_literal(p)->base;
    case GQLX_TOK_NAME: {
        advance(p);
        gqlx_slice text = tok_text(p, &t);
        if (gqlx_slice_eq_cstr(text, "true") || gqlx_slice_eq_cstr(text, "false")) {
            gqlx_boolean_value *b =
                NEW_NODE(p, gqlx_boolean_value, GQLX_KIND_BOOLEAN_VALUE, t.start);
            b->value = text.len == 4;
            return finish(p, b);
        }
        if (gqlx_slice_eq_cstr(text, "null"))
            return finish(p, NEW_NODE(p, gqlx_node, GQLX_KIND_NULL_VALUE, t.start));
        gqlx_scalar_value *e = NEW_NODE(p, gqlx_scalar_value, GQLX_KIND_ENUM_VALUE, t.start);
        e->text = text;
        return finish(p, e);
    }
    case GQLX_TOK_DOLLAR:
        if (is_const) {
            advance(p);
            if (peek(p, GQLX_TOK_NAME)) {
                gqlx_slice name = tok_text(p, &p->tok);
                fail(p, t.start, "Unexpected variable \"$%.*s\" in constant value.",
                     (int)name.len, name.ptr); /* a Name: never holds NUL */
            }
            unexpected_at(p, &t);
        }
        return &parse_variable(p)->base;
    default:
        unexpected(p);
    }
}

/* ---- directives and arguments ----------------------------------------- */

static gqlx_argument *parse_argument(parser *p, bool is_const)
{
    gqlx_argument *a = NEW_NODE(p, gqlx_argument, GQLX_KIND_ARGUMENT, p->tok.start);
    a->name = parse_name(p);
    expect(p, GQLX_TOK_COLON);
    a->value = parse_value(p, is_const);
    return finish(p, a);
}

static void parse_arguments(parser *p, bool is_const, gqlx_argument_list *out)
{
    if (!optional(p, GQLX_TOK_PAREN_L))
        return;
    size_t base = p->sp;
    do
        push(p, parse_argument(p, is_const));
    while (!optional(p, GQLX_TOK_PAREN_R));
    POP_LIST(p, base, *out);
}

static void parse_directives(parser *p, bool is_const, gqlx_directive_list *out)
{
    size_t base = p->sp;
    while (peek(p, GQLX_TOK_AT)) {
        gqlx_directive *d = NEW_NODE(p, gqlx_directive, GQLX_KIND_DIRECTIVE, p->tok.start);
        advance(p);
        d->name = parse_name(p);
        parse_arguments(p, is_const, &d->arguments);
        push(p, finish(p, d));
    }
    POP_LIST(p, base, *out);
}

/* ---- executable definitions ------------------------------------------- */

static gqlx_selection_set *parse_selection_set(parser *p);

static gqlx_string_value *parse_description(parser *p)
{
    if (peek(p, GQLX_TOK_STRING) || peek(p, GQLX_TOK_BLOCK_STRING))
        return parse_string_literal(p);
    return NULL;
}

static gqlx_slice parse_fragment_name(parser *p)
{
    if (tok_value_is(p, &p->tok, "on"))
        unexpected(p);
    return parse_name(p);
}

static gqlx_node *parse_fragment(parser *p)
{
    uint32_t start = p->tok.start;
    expect(p, GQLX_TOK_SPREAD);
    bool has_type_condition = optional_keyword(p, "on");
    if (!has_type_condition && peek(p, GQLX_TOK_NAME)) {
        gqlx_fragment_spread *s =
            NEW_NODE(p, gqlx_fragment_spread, GQLX_KIND_FRAGMENT_SPREAD, start);
        s->name = parse_fragment_name(p);
        parse_directives(p, false, &s->directives);
        return finish(p, s);
    }
    gqlx_inline_fragment *f = NEW_NODE(p, gqlx_inline_fragment, GQLX_KIND_INLINE_FRAGMENT, start);
    if (has_type_condition)
        f->type_condition = parse_named_type(p);
    parse_directives(p, false, &f->directives);
    f->selection_set = parse_selection_set(p);
    return finish(p, f);
}

static gqlx_node *parse_field(parser *p)
{
    gqlx_field *f = NEW_NODE(p, gqlx_field, GQLX_KIND_FIELD, p->tok.start);
    gqlx_slice first = parse_name(p);
    if (optional(p, GQLX_TOK_COLON)) {
        f->alias = first;
        f->name = parse_name(p);
    } else {
        f->name = first;
    }
    parse_arguments(p, false, &f->arguments);
    parse_directives(p, false, &f->directives);
    if (peek(p, GQLX_TOK_BRACE_L))
        f->selection_set = parse_selection_set(p);
    return finish(p, f);
}

static gqlx_selection_set *parse_selection_set(parser *p)
{
    enter_level(p);
    gqlx_selection_set *s = NEW_NODE(p, gqlx_selection_set, GQLX_KIND_SELECTION_SET, p->tok.start);
    expect(p, GQLX_TOK_BRACE_L);
    size_t base = p->sp;
    if (!(p->opts.allow_empty_selection_sets && optional(p, GQLX_TOK_BRACE_R))) {
        do
            push(p, peek(p, GQLX_TOK_SPREAD) ? parse_fragment(p) : parse_field(p));
        while (!optional(p, GQLX_TOK_BRACE_R));
    }
    POP_LIST(p, base, s->selections);
    leave_level(p);
    return finish(p, s);
}

static gqlx_operation parse_operation_type(parser *p)
{
    gqlx_token t = expect(p, GQLX_TOK_NAME);
    gqlx_slice text = tok_text(p, &t);
    if (gqlx_slice_eq_cstr(text, "query"))
        return GQLX_OP_QUERY;
    if (gqlx_slice_eq_cstr(text, "mutation"))
        return GQLX_OP_MUTATION;
    if (gqlx_slice_eq_cstr(text, "subscription"))
        return GQLX_OP_SUBSCRIPTION;
    unexpected_at(p, &t);
}

static gqlx_variable_def *parse_variable_definition(parser *p)
{
    gqlx_variable_def *v = NEW_NODE(p, gqlx_variable_def, GQLX_KIND_VARIABLE_DEFINITION, p->tok.start);
    v->description = parse_description(p);
    v->variable = parse_variable(p);
    expect(p, GQLX_TOK_COLON);
    v->type = parse_type_reference(p);
    if (optional(p, GQLX_TOK_EQUALS))
        v->default_value = parse_value(p, true);
    parse_directives(p, true, &v->directives);
    return finish(p, v);
}

static gqlx_node *parse_operation_definition(parser *p)
{
    gqlx_operation_def *op =
        NEW_NODE(p, gqlx_operation_def, GQLX_KIND_OPERATION_DEFINITION, p->tok.start);
    if (peek(p, GQLX_TOK_BRACE_L)) {
        op->operation = GQLX_OP_QUERY;
        op->base.flags = GQLX_OPERATION_SHORTHAND;
        op->selection_set = parse_selection_set(p);
        return finish(p, op);
    }
    op->description = parse_description(p);
    op->operation = parse_operation_type(p);
    if (peek(p, GQLX_TOK_NAME))
        op->name = parse_name(p);
    if (optional(p, GQLX_TOK_PAREN_L)) {
        size_t base = p->sp;
        do
            push(p, parse_variable_definition(p));
        while (!optional(p, GQLX_TOK_PAREN_R));
        POP_LIST(p, base, op->variable_definitions);
    }
    parse_directives(p, false, &op->directives);
    op->selection_set = parse_selection_set(p);
    return finish(p, op);
}

static gqlx_node *parse_fragment_definition(parser *p)
{
    gqlx_fragment_def *f = NEW_NODE(p, gqlx_fragment_def, GQLX_KIND_FRAGMENT_DEFINITION, p->tok.start);
    f->description = parse_description(p);
    expect_keyword(p, "fragment");
    f->name = parse_fragment_name(p);
    expect_keyword(p, "on");
    f->type_condition = parse_named_type(p);
    parse_directives(p, false, &f->directives);
    f->selection_set = parse_selection_set(p);
    return finish(p, f);
}

/* ---- type system ------------------------------------------------------- */

static gqlx_input_value_def *parse_input_value_def(parser *p)
{
    gqlx_input_value_def *v =
        NEW_NODE(p, gqlx_input_value_def, GQLX_KIND_INPUT_VALUE_DEFINITION, p->tok.start);
    v->description = parse_description(p);
    v->name = parse_name(p);
    expect(p, GQLX_TOK_COLON);
    v->type = parse_type_reference(p);
    if (optional(p, GQLX_TOK_EQUALS))
        v->default_value = parse_value(p, true);
    parse_directives(p, true, &v->directives);
    return finish(p, v);
}

/* `( InputValueDefinition+ )` or `{ InputValueDefinition+ }`, optional. */
static void parse_input_value_defs(parser *p, gqlx_token_kind open, gqlx_token_kind close,
                                   gqlx_input_value_def_list *out)
{
    if (!optional(p, open))
        return;
    size_t base = p->sp;
    do
        push(p, parse_input_value_def(p));
    while (!optional(p, close));
    POP_LIST(p, base, *out);
}

static gqlx_field_def *parse_field_def(parser *p)
{
    gqlx_field_def *f = NEW_NODE(p, gqlx_field_def, GQLX_KIND_FIELD_DEFINITION, p->tok.start);
    f->description = parse_description(p);
    f->name = parse_name(p);
    parse_input_value_defs(p, GQLX_TOK_PAREN_L, GQLX_TOK_PAREN_R, &f->arguments);
    expect(p, GQLX_TOK_COLON);
    f->type = parse_type_reference(p);
    parse_directives(p, true, &f->directives);
    return finish(p, f);
}

/* `Item (delim Item)*` with an optional leading delimiter. */
static void parse_named_types(parser *p, gqlx_token_kind delim, gqlx_named_type_list *out)
{
    optional(p, delim);
    size_t base = p->sp;
    do
        push(p, parse_named_type(p));
    while (optional(p, delim));
    POP_LIST(p, base, *out);
}

static void parse_object_like(parser *p, gqlx_object_type_def *t)
{
    t->name = parse_name(p);
    if (optional_keyword(p, "implements"))
        parse_named_types(p, GQLX_TOK_AMP, &t->interfaces);
    parse_directives(p, true, &t->directives);
    if (optional(p, GQLX_TOK_BRACE_L)) {
        size_t base = p->sp;
        do
            push(p, parse_field_def(p));
        while (!optional(p, GQLX_TOK_BRACE_R));
        POP_LIST(p, base, t->fields);
    }
}

static void parse_union_members(parser *p, gqlx_union_type_def *u)
{
    if (optional(p, GQLX_TOK_EQUALS))
        parse_named_types(p, GQLX_TOK_PIPE, &u->types);
}

static gqlx_slice parse_enum_value_name(parser *p)
{
    if (tok_value_is(p, &p->tok, "true") || tok_value_is(p, &p->tok, "false") ||
        tok_value_is(p, &p->tok, "null")) {
        gqlx_token t = p->tok;
        fail(p, t.start, "%s is reserved and cannot be used for an enum value.", tok_desc(p, &t));
    }
    return parse_name(p);
}

static void parse_enum_values(parser *p, gqlx_enum_type_def *e)
{
    if (!optional(p, GQLX_TOK_BRACE_L))
        return;
    size_t base = p->sp;
    do {
        gqlx_enum_value_def *v =
            NEW_NODE(p, gqlx_enum_value_def, GQLX_KIND_ENUM_VALUE_DEFINITION, p->tok.start);
        v->description = parse_description(p);
        v->name = parse_enum_value_name(p);
        parse_directives(p, true, &v->directives);
        push(p, finish(p, v));
    } while (!optional(p, GQLX_TOK_BRACE_R));
    POP_LIST(p, base, e->values);
}

static gqlx_operation_type_def *parse_operation_type_def(parser *p)
{
    gqlx_operation_type_def *o =
        NEW_NODE(p, gqlx_operation_type_def, GQLX_KIND_OPERATION_TYPE_DEFINITION, p->tok.start);
    o->operation = parse_operation_type(p);
    expect(p, GQLX_TOK_COLON);
    o->type = parse_named_type(p);
    return finish(p, o);
}

static void parse_operation_types(parser *p, gqlx_schema_def *s)
{
    size_t base = p->sp;
    do
        push(p, parse_operation_type_def(p));
    while (!optional(p, GQLX_TOK_BRACE_R));
    POP_LIST(p, base, s->operation_types);
}

static bool is_directive_location(gqlx_slice name)
{
    static const char *const locations[] = {
        "QUERY", "MUTATION", "SUBSCRIPTION", "FIELD", "FRAGMENT_DEFINITION",
        "FRAGMENT_SPREAD", "INLINE_FRAGMENT", "VARIABLE_DEFINITION",
        "FRAGMENT_VARIABLE_DEFINITION", "SCHEMA", "SCALAR", "OBJECT", "FIELD_DEFINITION",
        "ARGUMENT_DEFINITION", "INTERFACE", "UNION", "ENUM", "ENUM_VALUE", "INPUT_OBJECT",
        "INPUT_FIELD_DEFINITION", "DIRECTIVE_DEFINITION",
    };
    for (size_t i = 0; i < sizeof locations / sizeof locations[0]; i++)
        if (gqlx_slice_eq_cstr(name, locations[i]))
            return true;
    return false;
}

static gqlx_node *parse_directive_definition(parser *p, gqlx_directive_def *d)
{
    d->description = parse_description(p);
    expect_keyword(p, "directive");
    expect(p, GQLX_TOK_AT);
    d->name = parse_name(p);
    parse_input_value_defs(p, GQLX_TOK_PAREN_L, GQLX_TOK_PAREN_R, &d->arguments);
    parse_directives(p, true, &d->directives);
    if (optional_keyword(p, "repeatable"))
        d->base.flags = GQLX_DIRECTIVE_REPEATABLE;
    expect_keyword(p, "on");
    optional(p, GQLX_TOK_PIPE);
    /* Locations are slices, collected on the stack as pointers to them. */
    size_t base = p->sp;
    do {
        gqlx_token t = p->tok;
        gqlx_slice *name = GQLX_NEW(p->arena, gqlx_slice);
        if (name == NULL)
            fail_oom(p);
        *name = parse_name(p);
        if (!is_directive_location(*name))
            unexpected_at(p, &t);
        push(p, name);
    } while (optional(p, GQLX_TOK_PIPE));
    size_t n = p->sp - base;
    d->locations.items = GQLX_ARRAY(p->arena, gqlx_slice, n);
    if (d->locations.items == NULL)
        fail_oom(p);
    for (size_t i = 0; i < n; i++)
        d->locations.items[i] = *(gqlx_slice *)p->stack[base + i];
    d->locations.count = (uint32_t)n;
    p->sp = base;
    return finish(p, d);
}

static gqlx_node *parse_type_definition(parser *p, gqlx_slice keyword)
{
    uint32_t start = p->tok.start;
#define KEYWORD_IS(w) gqlx_slice_eq_cstr(keyword, w)
    if (KEYWORD_IS("schema")) {
        gqlx_schema_def *s = NEW_NODE(p, gqlx_schema_def, GQLX_KIND_SCHEMA_DEFINITION, start);
        s->description = parse_description(p);
        expect_keyword(p, "schema");
        parse_directives(p, true, &s->directives);
        expect(p, GQLX_TOK_BRACE_L);
        parse_operation_types(p, s);
        return finish(p, s);
    }
    if (KEYWORD_IS("scalar")) {
        gqlx_scalar_type_def *s =
            NEW_NODE(p, gqlx_scalar_type_def, GQLX_KIND_SCALAR_TYPE_DEFINITION, start);
        s->description = parse_description(p);
        expect_keyword(p, "scalar");
        s->name = parse_name(p);
        parse_directives(p, true, &s->directives);
        return finish(p, s);
    }
    if (KEYWORD_IS("type") || KEYWORD_IS("interface")) {
        bool object = KEYWORD_IS("type");
        gqlx_object_type_def *t = NEW_NODE(
            p, gqlx_object_type_def,
            object ? GQLX_KIND_OBJECT_TYPE_DEFINITION : GQLX_KIND_INTERFACE_TYPE_DEFINITION, start);
        t->description = parse_description(p);
        expect_keyword(p, object ? "type" : "interface");
        parse_object_like(p, t);
        return finish(p, t);
    }
    if (KEYWORD_IS("union")) {
        gqlx_union_type_def *u =
            NEW_NODE(p, gqlx_union_type_def, GQLX_KIND_UNION_TYPE_DEFINITION, start);
        u->description = parse_description(p);
        expect_keyword(p, "union");
        u->name = parse_name(p);
        parse_directives(p, true, &u->directives);
        parse_union_members(p, u);
        return finish(p, u);
    }
    if (KEYWORD_IS("enum")) {
        gqlx_enum_type_def *e = NEW_NODE(p, gqlx_enum_type_def, GQLX_KIND_ENUM_TYPE_DEFINITION, start);
        e->description = parse_description(p);
        expect_keyword(p, "enum");
        e->name = parse_name(p);
        parse_directives(p, true, &e->directives);
        parse_enum_values(p, e);
        return finish(p, e);
    }
    if (KEYWORD_IS("input")) {
        gqlx_input_object_type_def *i = NEW_NODE(p, gqlx_input_object_type_def,
                                                 GQLX_KIND_INPUT_OBJECT_TYPE_DEFINITION, start);
        i->description = parse_description(p);
        expect_keyword(p, "input");
        i->name = parse_name(p);
        parse_directives(p, true, &i->directives);
        parse_input_value_defs(p, GQLX_TOK_BRACE_L, GQLX_TOK_BRACE_R, &i->fields);
        return finish(p, i);
    }
    if (KEYWORD_IS("directive")) {
        gqlx_directive_def *d =
            NEW_NODE(p, gqlx_directive_def, GQLX_KIND_DIRECTIVE_DEFINITION, start);
        return parse_directive_definition(p, d);
    }
#undef KEYWORD_IS
    return NULL;
}

static gqlx_node *parse_type_system_extension(parser *p)
{
    uint32_t start = p->tok.start;
    gqlx_token kw = lookahead(p);
    if (kw.kind != GQLX_TOK_NAME)
        unexpected_at(p, &kw);
    gqlx_slice k = tok_text(p, &kw);
#define KEYWORD_IS(w) gqlx_slice_eq_cstr(k, w)
    if (KEYWORD_IS("schema")) {
        expect_keyword(p, "extend");
        expect_keyword(p, "schema");
        gqlx_schema_def *s = NEW_NODE(p, gqlx_schema_def, GQLX_KIND_SCHEMA_EXTENSION, start);
        parse_directives(p, true, &s->directives);
        if (optional(p, GQLX_TOK_BRACE_L))
            parse_operation_types(p, s);
        if (s->directives.count == 0 && s->operation_types.count == 0)
            unexpected(p);
        return finish(p, s);
    }
    if (KEYWORD_IS("scalar")) {
        expect_keyword(p, "extend");
        expect_keyword(p, "scalar");
        gqlx_scalar_type_def *s =
            NEW_NODE(p, gqlx_scalar_type_def, GQLX_KIND_SCALAR_TYPE_EXTENSION, start);
        s->name = parse_name(p);
        parse_directives(p, true, &s->directives);
        if (s->directives.count == 0)
            unexpected(p);
        return finish(p, s);
    }
    if (KEYWORD_IS("type") || KEYWORD_IS("interface")) {
        bool object = KEYWORD_IS("type");
        expect_keyword(p, "extend");
        expect_keyword(p, object ? "type" : "interface");
        gqlx_object_type_def *t = NEW_NODE(
            p, gqlx_object_type_def,
            object ? GQLX_KIND_OBJECT_TYPE_EXTENSION : GQLX_KIND_INTERFACE_TYPE_EXTENSION, start);
        parse_object_like(p, t);
        if (t->interfaces.count == 0 && t->directives.count == 0 && t->fields.count == 0)
            unexpected(p);
        return finish(p, t);
    }
    if (KEYWORD_IS("union")) {
        expect_keyword(p, "extend");
        expect_keyword(p, "union");
        gqlx_union_type_def *u =
            NEW_NODE(p, gqlx_union_type_def, GQLX_KIND_UNION_TYPE_EXTENSION, start);
        u->name = parse_name(p);
        parse_directives(p, true, &u->directives);
        parse_union_members(p, u);
        if (u->directives.count == 0 && u->types.count == 0)
            unexpected(p);
        return finish(p, u);
    }
    if (KEYWORD_IS("enum")) {
        expect_keyword(p, "extend");
        expect_keyword(p, "enum");
        gqlx_enum_type_def *e = NEW_NODE(p, gqlx_enum_type_def, GQLX_KIND_ENUM_TYPE_EXTENSION, start);
        e->name = parse_name(p);
        parse_directives(p, true, &e->directives);
        parse_enum_values(p, e);
        if (e->directives.count == 0 && e->values.count == 0)
            unexpected(p);
        return finish(p, e);
    }
    if (KEYWORD_IS("input")) {
        expect_keyword(p, "extend");
        expect_keyword(p, "input");
        gqlx_input_object_type_def *i = NEW_NODE(p, gqlx_input_object_type_def,
                                                 GQLX_KIND_INPUT_OBJECT_TYPE_EXTENSION, start);
        i->name = parse_name(p);
        parse_directives(p, true, &i->directives);
        parse_input_value_defs(p, GQLX_TOK_BRACE_L, GQLX_TOK_BRACE_R, &i->fields);
        if (i->directives.count == 0 && i->fields.count == 0)
            unexpected(p);
        return finish(p, i);
    }
    if (KEYWORD_IS("directive")) {
        expect_keyword(p, "extend");
        expect_keyword(p, "directive");
        expect(p, GQLX_TOK_AT);
        gqlx_directive_def *d =
            NEW_NODE(p, gqlx_directive_def, GQLX_KIND_DIRECTIVE_EXTENSION, start);
        d->name = parse_name(p);
        parse_directives(p, true, &d->directives);
        if (d->directives.count == 0)
            unexpected(p);
        return finish(p, d);
    }
#undef KEYWORD_IS
    unexpected_at(p, &kw);
}

static gqlx_node *parse_definition(parser *p)
{
    if (peek(p, GQLX_TOK_BRACE_L))
        return parse_operation_definition(p);
    bool has_description = peek(p, GQLX_TOK_STRING) || peek(p, GQLX_TOK_BLOCK_STRING);
    gqlx_token kw = has_description ? lookahead(p) : p->tok;
    if (has_description && kw.kind == GQLX_TOK_BRACE_L)
        fail(p, p->tok.start,
             "Unexpected description, descriptions are not supported on shorthand queries.");
    if (kw.kind == GQLX_TOK_NAME) {
        gqlx_slice k = tok_text(p, &kw);
        gqlx_node *def = parse_type_definition(p, k);
        if (def != NULL)
            return def;
        if (gqlx_slice_eq_cstr(k, "query") || gqlx_slice_eq_cstr(k, "mutation") ||
            gqlx_slice_eq_cstr(k, "subscription"))
            return parse_operation_definition(p);
        if (gqlx_slice_eq_cstr(k, "fragment"))
            return parse_fragment_definition(p);
        if (has_description)
            fail(p, p->tok.start,
                 "Unexpected description, only GraphQL definitions support descriptions.");
        if (gqlx_slice_eq_cstr(k, "extend"))
            return parse_type_system_extension(p);
    }
    unexpected_at(p, &kw);
}

/* ---- entry points ----------------------------------------------------- */

static void parser_report(parser *p, gqlx_syntax_error *err)
{
    gqlx_free(p->stack);
    p->stack = NULL;
    if (err == NULL)
        return;
    if (p->oom || p->err_message == NULL) {
        err->out_of_memory = true;
        err->message = "Out of memory.";
        err->offset = 0;
        err->loc = (gqlx_location){0, 0};
        return;
    }
    err->offset = p->err_offset;
    err->loc = gqlx_source_location(p->src, p->err_offset);
    size_t n = strlen(p->err_message) + sizeof "Syntax Error: ";
    char *m = gqlx_arena_alloc(p->arena, n, 1);
    if (m == NULL) {
        err->out_of_memory = true;
        err->message = "Out of memory.";
        return;
    }
    snprintf(m, n, "Syntax Error: %s", p->err_message);
    err->message = m;
}

/* Common set-up. Returns false (with *err filled) if the source cannot be
 * parsed at all: too large, or not UTF-8. */
static bool parser_init(parser *p, gqlx_arena *arena, const gqlx_source *src,
                        const gqlx_parse_opts *opts, gqlx_syntax_error *err)
{
    memset(p, 0, sizeof *p);
    p->arena = arena;
    p->src = src;
    if (opts != NULL)
        p->opts = *opts;
    else
        gqlx_parse_opts_init(&p->opts);
    if (err != NULL)
        memset(err, 0, sizeof *err);
    size_t at = 0;
    const char *problem = NULL;
    if (src->len > UINT32_MAX - 16 || (p->opts.max_bytes != 0 && src->len > p->opts.max_bytes))
        problem = "Document is too large. Parsing aborted.";
    else if (!gqlx_utf8_valid(src->body, src->len, &at))
        problem = "Invalid UTF-8 byte sequence.";
    if (problem != NULL) {
        p->err_offset = (uint32_t)at;
        p->err_message = problem;
        parser_report(p, err);
        return false;
    }
    gqlx_lexer_init(&p->lx, src->body, (uint32_t)src->len, arena);
    p->tok.kind = GQLX_TOK_SOF;
    return true;
}

gqlx_document *gqlx_parse(gqlx_arena *arena, const gqlx_source *src,
                          const gqlx_parse_opts *opts, gqlx_syntax_error *err)
{
    parser p;
    if (!parser_init(&p, arena, src, opts, err))
        return NULL;
    if (setjmp(p.on_error) != 0) {
        parser_report(&p, err);
        return NULL;
    }
    gqlx_document *doc = NEW_NODE(&p, gqlx_document, GQLX_KIND_DOCUMENT, 0);
    doc->source = src;
    expect(&p, GQLX_TOK_SOF);
    size_t base = p.sp;
    do
        push(&p, parse_definition(&p));
    while (!optional(&p, GQLX_TOK_EOF));
    POP_LIST(&p, base, doc->definitions);
    finish(&p, doc);
    doc->token_count = p.token_count;
    gqlx_free(p.stack);
    return doc;
}

gqlx_node *gqlx_parse_value(gqlx_arena *arena, const gqlx_source *src,
                            const gqlx_parse_opts *opts, bool is_const, gqlx_syntax_error *err)
{
    parser p;
    if (!parser_init(&p, arena, src, opts, err))
        return NULL;
    if (setjmp(p.on_error) != 0) {
        parser_report(&p, err);
        return NULL;
    }
    expect(&p, GQLX_TOK_SOF);
    gqlx_node *value = parse_value(&p, is_const);
    expect(&p, GQLX_TOK_EOF);
    gqlx_free(p.stack);
    return value;
}

gqlx_node *gqlx_parse_type(gqlx_arena *arena, const gqlx_source *src,
                           const gqlx_parse_opts *opts, gqlx_syntax_error *err)
{
    parser p;
    if (!parser_init(&p, arena, src, opts, err))
        return NULL;
    if (setjmp(p.on_error) != 0) {
        parser_report(&p, err);
        return NULL;
    }
    expect(&p, GQLX_TOK_SOF);
    gqlx_node *type = parse_type_reference(&p);
    expect(&p, GQLX_TOK_EOF);
    gqlx_free(p.stack);
    return type;
}
