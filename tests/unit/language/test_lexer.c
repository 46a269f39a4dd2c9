/* tests/unit/language/test_lexer.c — the lexer: token kinds and ranges,
 * ignored tokens, and lexical errors with their positions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "language/lexer.h"

typedef struct lexed {
    gqlx_arena arena;
    gqlx_lexer lx;
} lexed;

static void start(lexed *l, const char *text)
{
    gqlx_arena_init(&l->arena, 0, 0);
    gqlx_lexer_init(&l->lx, text, (uint32_t)strlen(text), &l->arena);
}

/* Lexes the whole text, checking each token kind in turn. */
static void expect_kinds(const char *text, const gqlx_token_kind *kinds, size_t n)
{
    lexed l;
    start(&l, text);
    gqlx_token t;
    for (size_t i = 0; i < n; i++) {
        assert_true(gqlx_lex(&l.lx, &t));
        assert_int_equal(t.kind, kinds[i]);
    }
    assert_true(gqlx_lex(&l.lx, &t));
    assert_int_equal(t.kind, GQLX_TOK_EOF);
    gqlx_arena_free(&l.arena);
}

static void test_punctuators(void **state)
{
    (void)state;
    static const gqlx_token_kind k[] = {
        GQLX_TOK_BANG,    GQLX_TOK_DOLLAR,    GQLX_TOK_AMP,       GQLX_TOK_PAREN_L,
        GQLX_TOK_PAREN_R, GQLX_TOK_SPREAD,    GQLX_TOK_COLON,     GQLX_TOK_EQUALS,
        GQLX_TOK_AT,      GQLX_TOK_BRACKET_L, GQLX_TOK_BRACKET_R, GQLX_TOK_BRACE_L,
        GQLX_TOK_PIPE,    GQLX_TOK_BRACE_R,
    };
    expect_kinds("! $ & ( ) ... : = @ [ ] { | }", k, sizeof k / sizeof k[0]);
}

static void test_ignored(void **state)
{
    (void)state;
    static const gqlx_token_kind k[] = {GQLX_TOK_NAME, GQLX_TOK_NAME};
    /* BOM, commas, tabs, CR, CRLF, comments are all ignored. */
    expect_kinds("\xef\xbb\xbf a,,\t\r\n# comment \xe2\x9c\x93\r b # end", k, 2);
}

static void test_numbers_and_names(void **state)
{
    (void)state;
    static const gqlx_token_kind k[] = {GQLX_TOK_INT,   GQLX_TOK_INT,   GQLX_TOK_FLOAT,
                                        GQLX_TOK_FLOAT, GQLX_TOK_FLOAT, GQLX_TOK_NAME,
                                        GQLX_TOK_NAME};
    expect_kinds("0 -12 1.5 -0.5e10 3E-2 _a1 Z", k, sizeof k / sizeof k[0]);
}

static void test_strings(void **state)
{
    (void)state;
    lexed l;
    start(&l, "\"plain\" \"esc\\n\\u00e9\\u{1F600}\\uD83D\\uDE00\" \"\"\"block \\\"\"\" \"\"\"");
    gqlx_token t;
    assert_true(gqlx_lex(&l.lx, &t));
    assert_int_equal(t.kind, GQLX_TOK_STRING);
    assert_int_equal(t.flags, 0);
    assert_int_equal(t.start, 0);
    assert_int_equal(t.end, 7);
    assert_true(gqlx_lex(&l.lx, &t));
    assert_int_equal(t.kind, GQLX_TOK_STRING);
    assert_int_equal(t.flags, GQLX_TOKEN_ESCAPED);
    assert_true(gqlx_lex(&l.lx, &t));
    assert_int_equal(t.kind, GQLX_TOK_BLOCK_STRING);
    assert_true(gqlx_lex(&l.lx, &t));
    assert_int_equal(t.kind, GQLX_TOK_EOF);
    gqlx_arena_free(&l.arena);
}

struct error_case {
    const char *text;
    uint32_t offset;
    const char *message;
};

static void test_errors(void **state)
{
    (void)state;
    static const struct error_case cases[] = {
        {"\"abc", 4, "Unterminated string."},
        {"\"a\nb\"", 2, "Unterminated string."},
        {"\"\"\"abc", 6, "Unterminated string."},
        {"\"\\x\"", 1, "Invalid character escape sequence: \"\\x\"."},
        {"\"\\u12\"", 1, "Invalid Unicode escape sequence: \"\\u12\"\"."},
        {"\"\\uD800\"", 1, "Invalid Unicode escape sequence: \"\\uD800\"."},
        {"\"\\u{110000}\"", 1, "Invalid Unicode escape sequence: \"\\u{110000}\"."},
        {"\"\\u{}\"", 1, "Invalid Unicode escape sequence: \"\\u{}\"."},
        {"..", 0, "Unexpected \"..\", did you mean \"...\"?"},
        {".5", 0, "Invalid number, expected digit before \".\", did you mean \"0.5\"?"},
        {"00", 1, "Invalid number, unexpected digit after 0: \"0\"."},
        {"1.", 2, "Invalid number, expected digit but got: <EOF>."},
        {"1e", 2, "Invalid number, expected digit but got: <EOF>."},
        {"1a", 1, "Invalid number, expected digit but got: \"a\"."},
        {"1.2.3", 3, "Invalid number, expected digit but got: \".\"."},
        {"-", 1, "Invalid number, expected digit but got: <EOF>."},
        {"'a'", 0, "Unexpected single quote character ('), did you mean to use a double quote "
                   "(\")?"},
        {"?", 0, "Unexpected character: \"?\"."},
        {"\x01", 0, "Unexpected character: U+0001."},
        {"\xc2\xa0", 0, "Unexpected character: U+00A0."},
        {"\xf0\x9f\x98\x80", 0, "Unexpected character: U+1F600."},
        {"a .", 2, "Unexpected character: \".\"."},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        lexed l;
        start(&l, cases[i].text);
        gqlx_token t;
        bool ok = true;
        while (ok) {
            ok = gqlx_lex(&l.lx, &t);
            if (ok && t.kind == GQLX_TOK_EOF)
                break;
        }
        if (ok)
            fail_msg("case %zu (%s) lexed without error", i, cases[i].text);
        assert_string_equal(l.lx.error, cases[i].message);
        assert_int_equal(l.lx.error_offset, cases[i].offset);
        gqlx_arena_free(&l.arena);
    }
}

static void test_describe_char(void **state)
{
    (void)state;
    char out[16];
    gqlx_describe_char("a\"", 2, 1, out);
    assert_string_equal(out, "'\"'");
    gqlx_describe_char("a", 1, 1, out);
    assert_string_equal(out, "<EOF>");
    gqlx_describe_char("\t", 1, 0, out);
    assert_string_equal(out, "U+0009");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_punctuators), cmocka_unit_test(test_ignored),
        cmocka_unit_test(test_numbers_and_names), cmocka_unit_test(test_strings),
        cmocka_unit_test(test_errors), cmocka_unit_test(test_describe_char),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
