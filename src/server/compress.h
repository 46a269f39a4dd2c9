/* src/server/compress.h — response compression (gzip with zlib, brotli)
 * chosen from the client's Accept-Encoding. */
#ifndef GQLX_SERVER_COMPRESS_H
#define GQLX_SERVER_COMPRESS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"

enum { GQLX_ENC_IDENTITY = 0, GQLX_ENC_GZIP = 1, GQLX_ENC_BR = 2 };

/* The encoding to use for a client's Accept-Encoding header (NULL: none)
 * among the enabled ones: the highest q-value wins ("*" counts for any
 * encoding not named; q=0 refuses), br before gzip at equal weight;
 * GQLX_ENC_IDENTITY when nothing acceptable is enabled. */
int gqlx_compress_choose(const char *accept_encoding, bool gzip_enabled, bool br_enabled);

/* The Content-Encoding token of an encoding ("gzip", "br"; NULL for
 * identity). */
const char *gqlx_compress_token(int enc);

/* Appends n bytes of in, compressed with enc, to out. Returns false when
 * compression failed or would not shrink the body (send it as is); out
 * then keeps its former length and failure flag. */
bool gqlx_compress(int enc, const char *in, size_t n, gqlx_buf *out);

#endif
