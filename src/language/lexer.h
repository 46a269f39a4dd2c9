/* src/language/lexer.h — GraphQL tokens from source text.
 *
 * The lexer reads one token at a time, skipping ignored tokens (white
 * space, line terminators, commas, the byte order mark and comments). A
 * token is a kind and a byte range of the source: nothing is copied or
 * decoded here. String literals are checked completely (escapes included)
 * so that every lexical error is found with the position graphql-js gives
 * it; their values are decoded later, on demand (string_value.h). */
#ifndef GQLX_LEXER_H
#define GQLX_LEXER_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"

/* Token kinds with graphql-js's descriptions (TokenKind values). */
#define GQLX_TOKEN_KINDS(X)       \
    X(SOF, "<SOF>")               \
    X(EOF, "<EOF>")               \
    X(BANG, "!")                  \
    X(DOLLAR, "$")                \
    X(AMP, "&")                   \
    X(PAREN_L, "(")               \
    X(PAREN_R, ")")               \
    X(SPREAD, "...")              \
    X(COLON, ":")                 \
    X(EQUALS, "=")                \
    X(AT, "@")                    \
    X(BRACKET_L, "[")             \
    X(BRACKET_R, "]")             \
    X(BRACE_L, "{")               \
    X(PIPE, "|")                  \
    X(BRACE_R, "}")               \
    X(NAME, "Name")               \
    X(INT, "Int")                 \
    X(FLOAT, "Float")             \
    X(STRING, "String")           \
    X(BLOCK_STRING, "BlockString")

typedef enum gqlx_token_kind {
#define GQLX_TOKEN_ENUM(name, desc) GQLX_TOK_##name,
    GQLX_TOKEN_KINDS(GQLX_TOKEN_ENUM)
#undef GQLX_TOKEN_ENUM
} gqlx_token_kind;

/* graphql-js's description of a token kind: "Name", "<EOF>", "{"... */
const char *gqlx_token_kind_desc(gqlx_token_kind kind);

/* True for the punctuator kinds, which graphql-js quotes in messages. */
bool gqlx_token_is_punctuator(gqlx_token_kind kind);

/* Token flag: a STRING holds at least one escape sequence. */
#define GQLX_TOKEN_ESCAPED 0x01

typedef struct gqlx_token {
    uint8_t kind;  /* gqlx_token_kind */
    uint8_t flags; /* GQLX_TOKEN_ESCAPED */
    uint32_t start;
    uint32_t end;
} gqlx_token;

typedef struct gqlx_lexer {
    const char *body;
    uint32_t len;
    uint32_t pos; /* where the next token's search starts */
    /* Set when gqlx_lex() fails: the byte offset of the error and its
     * message (without the "Syntax Error: " prefix), from `arena`. */
    uint32_t error_offset;
    const char *error;
    gqlx_arena *arena;
} gqlx_lexer;

/* Prepares a lexer over len bytes (valid UTF-8; at most UINT32_MAX - 16). */
void gqlx_lexer_init(gqlx_lexer *lx, const char *body, uint32_t len, gqlx_arena *arena);

/* Reads the next significant token into *tok. Returns false on a lexical
 * error, with lx->error and lx->error_offset set (error may be NULL if the
 * arena failed while formatting the message). At the end of the text it
 * returns EOF tokens forever. */
bool gqlx_lex(gqlx_lexer *lx, gqlx_token *tok);

/* Formats graphql-js's printCodePointAt() for the character at offset:
 * "<EOF>", "\"x\"" for printable ASCII, otherwise "U+XXXX". Writes at most
 * 16 bytes including the terminator. */
void gqlx_describe_char(const char *body, uint32_t len, uint32_t offset, char out[16]);

/* A NUL-terminated copy of len bytes of source text for a message, each
 * NUL byte replaced by U+FFFD; NULL if the arena fails. */
const char *gqlx_message_text(gqlx_arena *arena, const char *p, size_t len);

#endif
