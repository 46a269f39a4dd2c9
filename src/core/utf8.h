/* src/core/utf8.h — UTF-8 validation and decoding (RFC 3629).
 *
 * Valid means: shortest form only, no surrogate code points (U+D800..DFFF),
 * nothing above U+10FFFF. */
#ifndef GQLX_UTF8_H
#define GQLX_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True if the len bytes at p are valid UTF-8. Otherwise false, and *bad (if
 * not NULL) receives the offset of the first byte of the invalid sequence. */
bool gqlx_utf8_valid(const char *p, size_t len, size_t *bad);

/* Decodes one code point at p (at most len bytes). Returns its length in
 * bytes (1..4) and stores it in *cp, or returns 0 for an invalid or
 * truncated sequence. */
size_t gqlx_utf8_decode(const char *p, size_t len, uint32_t *cp);

/* Writes the UTF-8 form of cp (at most U+10FFFF, not a surrogate) to out,
 * which must have room for 4 bytes; returns the number of bytes. */
size_t gqlx_utf8_encode(uint32_t cp, char *out);

/* Number of UTF-16 code units in the valid UTF-8 text p[0..len): what a
 * JavaScript string's length would be. */
size_t gqlx_utf16_length(const char *p, size_t len);

#endif
