/* src/server/compress.h — response compression (gzip with zlib, brotli)
 * chosen from the client's Accept-Encoding. */
#ifndef GQLX_SERVER_COMPRESS_H
#define GQLX_SERVER_COMPRESS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"

struct z_stream_s;

enum { GQLX_ENC_IDENTITY = 0, GQLX_ENC_GZIP = 1, GQLX_ENC_BR = 2 };

/* The encoding to use for a client's Accept-Encoding header (NULL: none)
 * among the enabled ones: the highest q-value wins ("*" counts for any
 * encoding not named; q=0 refuses), br before gzip at equal weight;
 * GQLX_ENC_IDENTITY when nothing acceptable is enabled. */
int gqlx_compress_choose(const char *accept_encoding, bool gzip_enabled, bool br_enabled);

/* The Content-Encoding token of an encoding ("gzip", "br"; NULL for
 * identity). */
const char *gqlx_compress_token(int enc);

/* What compression keeps from one body to the next on one thread (an
 * event loop): setting up zlib's deflate state (about 256 KiB) costs ten
 * times the work of compressing a small response, so it is made once and
 * reset for each body. All zero is an empty compressor. */
typedef struct gqlx_compressor {
    struct z_stream_s *gzip; /* NULL until the first gzip body */
} gqlx_compressor;

/* Releases what cz holds; it stays usable (empty). */
void gqlx_compressor_free(gqlx_compressor *cz);

/* Appends n bytes of in, compressed with enc, to out, using cz's state
 * (NULL: a state made for this body alone). Returns false when
 * compression failed or would not shrink the body (send it as is); out
 * then keeps its former length and failure flag. */
bool gqlx_compress_with(gqlx_compressor *cz, int enc, const char *in, size_t n, gqlx_buf *out);

/* gqlx_compress_with without a compressor. */
bool gqlx_compress(int enc, const char *in, size_t n, gqlx_buf *out);

/* Makes the zlib stream z allocate through gqlx_malloc (one path to the
 * system allocator, fault injection included). Call on a zeroed stream
 * before deflateInit or inflateInit. */
void gqlx_zlib_allocator(struct z_stream_s *z);

#endif
