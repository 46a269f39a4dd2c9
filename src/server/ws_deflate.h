/* src/server/ws_deflate.h — the permessage-deflate extension (RFC 7692):
 * choosing among a client's offers, and raw-deflate compression of whole
 * messages with zlib.
 *
 * The server always answers with server_no_context_takeover and
 * client_no_context_takeover: every message is compressed and inflated on
 * its own, so a connection keeps no zlib state between messages and one
 * inflater and a few compressors per event loop (gqlx_ws_zlib) serve all
 * its connections. A context kept per connection would cost about 40 KiB
 * to inflate and 256 KiB to compress, for each of thousands of mostly
 * idle subscribers; what is lost is only the gain of repeated text across
 * messages. */
#ifndef GQLX_SERVER_WS_DEFLATE_H
#define GQLX_SERVER_WS_DEFLATE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"

/* The zlib streams of one event loop, created on first use. Not
 * thread-safe: one loop thread uses it. */
typedef struct gqlx_ws_zlib gqlx_ws_zlib;

/* Releases the streams (NULL does nothing). */
void gqlx_ws_zlib_free(gqlx_ws_zlib *z);

typedef struct gqlx_ws_deflate_params {
    /* The window the server's compressor may use, 8..15 (the client's
     * server_max_window_bits, 15 when it set none). zlib's raw deflate
     * has no 256-byte window: with 8 the server sends every message
     * uncompressed, which the extension allows. */
    unsigned server_window_bits;
} gqlx_ws_deflate_params;

/* Longest response gqlx_ws_deflate_negotiate writes, terminator included. */
#define GQLX_WS_DEFLATE_RESPONSE_MAX 128u

/* Reads a Sec-WebSocket-Extensions request header (NULL: absent; several
 * headers arrive joined with ", ") and picks the first permessage-deflate
 * offer whose parameters are valid and known: each at most once,
 * *_no_context_takeover without a value, server_max_window_bits with a
 * value 8..15, client_max_window_bits with none or 8..15. Returns true and
 * fills *params and resp (the response header's value, NUL-terminated)
 * when one is accepted; false when none is (or the header does not parse):
 * the connection then goes on without compression. */
bool gqlx_ws_deflate_negotiate(const char *header, gqlx_ws_deflate_params *params,
                               char resp[GQLX_WS_DEFLATE_RESPONSE_MAX]);

/* Inflates one message's payload (in[0..n), the 0x00 0x00 0xff 0xff tail
 * removed by the sender) and appends the result to out. Returns 0, or the
 * close code to fail the connection with: 1009 when the result would pass
 * max bytes (it stops there, so a small "zip bomb" costs at most max),
 * 1007 when the data is not valid deflate, 1011 when memory ran out. *zp
 * holds the loop's streams (created when NULL). */
int gqlx_ws_inflate(gqlx_ws_zlib **zp, const char *in, size_t n, size_t max, gqlx_buf *out);

/* Compresses one message with a window of window_bits (9..15) and
 * appends the payload to send (the tail removed) to out. Returns GQL_OK,
 * GQL_ENOMEM, or GQL_EINVAL for a window zlib cannot honour; out keeps
 * its former length on failure. The caller compares the sizes: a
 * message that did not shrink is better sent as it is. */
int gqlx_ws_deflate(gqlx_ws_zlib **zp, unsigned window_bits, const char *in, size_t n,
                    gqlx_buf *out);

#endif
