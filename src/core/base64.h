/* src/core/base64.h — base64 encoding with the standard alphabet and
 * padding (RFC 4648 section 4), for header values such as
 * Sec-WebSocket-Accept and CSP nonces. */
#ifndef GQLX_BASE64_H
#define GQLX_BASE64_H

#include <stddef.h>

/* Characters gqlx_base64_encode writes for n bytes, without the NUL. */
static inline size_t gqlx_base64_encoded_len(size_t n)
{
    return (n + 2) / 3 * 4;
}

/* Encodes in[0..n) into out, which has room for
 * gqlx_base64_encoded_len(n) + 1 characters, and NUL-terminates it. */
void gqlx_base64_encode(const unsigned char *in, size_t n, char *out);

#endif
