/* src/core/sha1.h — SHA-1 (FIPS 180-4), for the WebSocket handshake's
 * Sec-WebSocket-Accept value (RFC 6455 section 4.2.2).
 *
 * SHA-1 is broken as a collision-resistant hash; the handshake uses it
 * only to prove that the server read the client's key, which needs no
 * collision resistance. Do not use it for anything secret. */
#ifndef GQLX_SHA1_H
#define GQLX_SHA1_H

#include <stddef.h>
#include <stdint.h>

#define GQLX_SHA1_DIGEST_BYTES 20u

typedef struct gqlx_sha1_ctx {
    uint32_t h[5];
    uint64_t bytes;          /* message bytes hashed so far */
    unsigned char block[64]; /* a partial block waiting for more input */
    size_t used;             /* bytes of block in use */
} gqlx_sha1_ctx;

void gqlx_sha1_init(gqlx_sha1_ctx *s);
/* Adds n bytes of message (p may be NULL when n is 0). */
void gqlx_sha1_update(gqlx_sha1_ctx *s, const void *p, size_t n);
/* Pads, writes the 20-byte digest to out; s must be initialised again
 * before another use. */
void gqlx_sha1_final(gqlx_sha1_ctx *s, unsigned char out[GQLX_SHA1_DIGEST_BYTES]);

/* The digest of n bytes at p in one call. */
void gqlx_sha1(const void *p, size_t n, unsigned char out[GQLX_SHA1_DIGEST_BYTES]);

#endif
