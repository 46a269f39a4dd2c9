/* src/language/string_value.h — the values of GraphQL string literals.
 *
 * The lexer checks string literals but keeps them as written; the value
 * (escapes decoded, block strings dedented as the specification's
 * BlockStringValue() says) is produced on demand, so descriptions that
 * nobody reads cost nothing. */
#ifndef GQLX_STRING_VALUE_H
#define GQLX_STRING_VALUE_H

#include <stdbool.h>

#include "core/arena.h"
#include "core/slice.h"
#include "language/ast.h"

/* The value of a string literal whose text between the quotes is `raw`
 * (already checked by the lexer). When the value equals raw (no escapes,
 * not a block string) *out is raw itself; otherwise it is a copy in
 * `arena`. Returns false only when the arena fails. The value is valid
 * UTF-8 and may contain NUL bytes (from "\u0000"). */
bool gqlx_string_decode(gqlx_arena *arena, gqlx_slice raw, bool block, gqlx_slice *out);

/* gqlx_string_decode for a STRING_VALUE node. */
static inline bool gqlx_string_value_get(gqlx_arena *arena, const gqlx_string_value *s,
                                         gqlx_slice *out)
{
    if ((s->base.flags & (GQLX_STRING_BLOCK | GQLX_STRING_ESCAPED)) == 0) {
        *out = s->raw;
        return true;
    }
    return gqlx_string_decode(arena, s->raw, (s->base.flags & GQLX_STRING_BLOCK) != 0, out);
}

#endif
