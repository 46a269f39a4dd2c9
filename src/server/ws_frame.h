/* src/server/ws_frame.h — WebSocket framing (RFC 6455 section 5) as a
 * protocol engine without I/O: bytes in, events out (whole messages,
 * pings, pongs, the peer's close, or the close code to fail with), and
 * the frame header writer.
 *
 * The parser is strict: a server's peer must mask every frame; reserved
 * bits, unknown opcodes, long or fragmented control frames, continuation
 * frames out of place and lengths not in their shortest form all fail
 * with 1002; text that is not UTF-8 fails with 1007 as soon as the bad
 * byte arrives, even when a code point is split across fragments; a
 * message over the limit fails with 1009 before its payload is read.
 * Control frames may come between the fragments of a message.
 *
 * Memory: a frame's header and a control payload live in the parser; a
 * message whose payload arrives whole within one input chunk is handed
 * over in place (unmasked in the caller's buffer), anything else is
 * gathered in a buffer that is released once the message was handed
 * over, so an idle parser holds nothing on the heap. */
#ifndef GQLX_SERVER_WS_FRAME_H
#define GQLX_SERVER_WS_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "server/ws_deflate.h"

enum {
    GQLX_WS_OP_CONTINUATION = 0x0,
    GQLX_WS_OP_TEXT = 0x1,
    GQLX_WS_OP_BINARY = 0x2,
    GQLX_WS_OP_CLOSE = 0x8,
    GQLX_WS_OP_PING = 0x9,
    GQLX_WS_OP_PONG = 0xa,
};

/* Longest frame header: 2 bytes, a 64-bit length, a masking key. */
#define GQLX_WS_MAX_HEADER 14u

/* Longest payload of a control frame. */
#define GQLX_WS_MAX_CONTROL 125u

typedef enum gqlx_ws_event_kind {
    GQLX_WS_EV_NONE,    /* the input is used up; nothing to report */
    GQLX_WS_EV_MESSAGE, /* data, len, is_text */
    GQLX_WS_EV_PING,    /* data, len: the payload to answer with */
    GQLX_WS_EV_PONG,    /* data, len */
    GQLX_WS_EV_CLOSE,   /* code (1005 for none), data/len: the reason */
    GQLX_WS_EV_FAIL,    /* code to close with, why: a description */
} gqlx_ws_event_kind;

typedef struct gqlx_ws_event {
    gqlx_ws_event_kind kind;
    bool is_text;
    const char *data; /* valid until the next gqlx_ws_parse call */
    size_t len;
    int code;
    const char *why; /* a constant string */
} gqlx_ws_event;

typedef struct gqlx_ws_parser {
    size_t max_message;  /* message bytes after inflation */
    bool masked;         /* frames must be masked (a server's peer) */
    bool deflate;        /* permessage-deflate was negotiated */
    gqlx_ws_zlib **zlib; /* the loop's zlib streams (with deflate) */

    /* The frame being read. */
    unsigned char hdr[GQLX_WS_MAX_HEADER];
    unsigned hdr_len, hdr_need;
    bool in_payload; /* the header is complete */
    bool fin, rsv1;
    unsigned opcode;
    unsigned char mask[4];
    uint64_t frame_len, frame_pos;
    const char *frame_start; /* the payload in the current input, or NULL */

    /* The message being gathered. */
    bool in_message, msg_text, msg_compressed;
    uint64_t msg_len; /* payload bytes so far (compressed, with deflate) */
    gqlx_buf msg;     /* the payload, when it is not handed over in place */
    gqlx_buf inflated;
    unsigned char utf8_need, utf8_lo, utf8_hi; /* a code point in progress */

    unsigned char ctrl[GQLX_WS_MAX_CONTROL];
    bool release; /* msg and inflated hold a message already handed over */
    bool done;    /* a close frame was read, or the peer failed: the rest
                     of the input is ignored */
} gqlx_ws_parser;

/* Prepares p. max_message bounds a message (1009 beyond); masked says
 * whether frames must be masked (true for a server) or must not be;
 * deflate whether RSV1 marks compressed messages, inflated with *zlib. */
void gqlx_ws_parser_init(gqlx_ws_parser *p, size_t max_message, bool masked, bool deflate,
                         gqlx_ws_zlib **zlib);

/* Releases p's buffers. */
void gqlx_ws_parser_free(gqlx_ws_parser *p);

/* Reads in[0..n) up to and including the first event, which it stores in
 * *ev, and returns the bytes used; call again with the rest. Masked
 * payloads are unmasked in place (the buffer is the caller's read
 * buffer), so ev's data may point into in. After a FAIL or CLOSE event
 * every later call uses the whole input and reports nothing. */
size_t gqlx_ws_parse(gqlx_ws_parser *p, char *in, size_t n, gqlx_ws_event *ev);

/* Writes the header of a frame with a payload of len bytes to out and
 * returns its length (2 to 14). mask NULL writes an unmasked frame (a
 * server's); otherwise the 4-byte key is included (the payload must then
 * be masked with gqlx_ws_mask). */
size_t gqlx_ws_frame_header(unsigned char out[GQLX_WS_MAX_HEADER], unsigned opcode, bool fin,
                            bool rsv1, uint64_t len, const unsigned char *mask);

/* XORs n bytes with the masking key, starting at payload offset pos. */
void gqlx_ws_mask(char *p, size_t n, const unsigned char mask[4], uint64_t pos);

/* Whether a close code may appear in a close frame (RFC 6455 section
 * 7.4: 1000-1003, 1007-1014, 3000-4999). */
bool gqlx_ws_close_code_valid(int code);

#endif
