/* src/server/base64url.h — strict base64url (RFC 4648 section 5, without
 * padding), as JSON Web Tokens and JWKS documents use it. */
#ifndef GQLX_BASE64URL_H
#define GQLX_BASE64URL_H

#include <stdbool.h>
#include <stddef.h>

/* Bytes gqlx_base64url_decode writes at most for n characters of text. */
static inline size_t gqlx_base64url_decoded_max(size_t n)
{
    return n / 4 * 3 + 2;
}

/* Characters gqlx_base64url_encode writes for n bytes. */
static inline size_t gqlx_base64url_encoded_len(size_t n)
{
    return n / 3 * 4 + (n % 3 == 0 ? 0 : n % 3 + 1);
}

/* Decodes in[0..n) into out (room for gqlx_base64url_decoded_max(n)
 * bytes) and stores the byte count in *out_len. Only the canonical form is
 * accepted: the alphabet A-Z a-z 0-9 - _, no padding, no whitespace, a
 * length that is not 1 more than a multiple of 4, and zero bits left over
 * in the last character — so every byte string has exactly one accepted
 * text (a signature cannot be varied without changing it). Returns false
 * on any other input (*out_len is then unspecified). */
bool gqlx_base64url_decode(const char *in, size_t n, unsigned char *out, size_t *out_len);

/* Encodes in[0..n) into out (room for gqlx_base64url_encoded_len(n)
 * characters; no terminator is written) and returns the character count. */
size_t gqlx_base64url_encode(const unsigned char *in, size_t n, char *out);

#endif
