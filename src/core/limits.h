/* src/core/limits.h — every limit on outside input, named and explained.
 *
 * Each constant is a default; the options structs of the public API let a
 * host lower or raise them. A limit that is reached always produces a clear
 * error for the caller, never a crash, an abort or unbounded memory. */
#ifndef GQLX_LIMITS_H
#define GQLX_LIMITS_H

/* Tokens in one GraphQL document. Bounds parse time and AST memory for
 * documents that are small in bytes but dense in tokens ("{a a a a ...}").
 * The GitHub public schema has about 140,000 tokens; executable documents
 * sent by clients are far smaller. */
#define GQLX_DEFAULT_MAX_TOKENS 1000000u

/* Nesting depth of selection sets, list/object values and wrapped types in
 * one document. The parser recurses on nesting, so this bounds its stack
 * use: each level costs well under 256 bytes of stack. */
#define GQLX_DEFAULT_MAX_PARSE_DEPTH 256u

/* Bytes of one GraphQL document. 64 MiB leaves room for any real schema
 * while keeping 32-bit source offsets safe. Hard upper bound: UINT32_MAX. */
#define GQLX_DEFAULT_MAX_DOCUMENT_BYTES (64u * 1024u * 1024u)

/* Bytes of the longest query text the plan cache keeps. The cache counts
 * entries, not bytes, and each entry keeps its text twice (the key and the
 * plan's copy) with its syntax tree: without this bound a client sending
 * distinct long queries (each up to the body limit) could make it hold
 * gigabytes. Longer texts are parsed and validated on every request, as
 * without a cache; real queries, generated ones included, are far shorter. */
#define GQLX_PLAN_CACHE_MAX_QUERY_BYTES (256u * 1024u)

/* Nesting depth of JSON arrays and objects (variables, request bodies,
 * configuration). The JSON reader is iterative; this bounds its container
 * stack and the depth later stages (coercion, writing) walk. */
#define GQLX_DEFAULT_MAX_JSON_DEPTH 128u

/* Bytes of one JSON text handed to the reader. */
#define GQLX_DEFAULT_MAX_JSON_BYTES (64u * 1024u * 1024u)

/* Coercion errors collected for one request's variables before giving up
 * with "Too many errors processing variables, error limit reached.
 * Execution aborted." (graphql-js execute's default maxCoercionErrors).
 * Bounds the error list a hostile variables object can produce. */
#define GQLX_MAX_COERCION_ERRORS 50u

/* Deepest nesting of values, types and default values one input coercion
 * walks. Deeper than any input the GraphQL and JSON readers accept; it
 * stops recursion through cyclic default values of an assume-valid schema. */
#define GQLX_COERCE_MAX_DEPTH 1024u

/* Default size of one arena chunk. Large enough that parsing a typical
 * request needs one chunk, small enough that an idle connection costs little. */
#define GQLX_ARENA_CHUNK_BYTES (16u * 1024u)

/* ---- the HTTP server (gql_server_opts; each default below can be changed
 * per server) ------------------------------------------------------------ */

/* Connections open at once, over all event loops. Each costs a socket, a
 * few kilobytes of buffers and a file descriptor; past this the newest
 * connection is answered 503 and closed, so a flood of clients cannot run
 * the process out of descriptors or memory. */
#define GQLX_DEFAULT_MAX_CONNECTIONS 10000u

/* Bytes of a request line and its headers. Bounds the memory a request
 * holds before it can be routed; past it the answer is 431 and the
 * connection closes. (llhttp has no limit of its own: this is the one.) */
#define GQLX_DEFAULT_MAX_HEADER_BYTES (16u * 1024u)

/* Headers in one request. A header section of many tiny headers costs
 * more per byte than one long header; 431 past it. */
#define GQLX_MAX_REQUEST_HEADERS 100u

/* Bytes of a request body, with Content-Length or chunked. Checked before
 * the body is read when the length is announced, and while reading a
 * chunked body: 413 and close. */
#define GQLX_DEFAULT_MAX_BODY_BYTES (16u * 1024u * 1024u)

/* The request arena (headers, body, and whatever its handler allocates:
 * the JSON of a GraphQL request, its variables, its result) may reserve at
 * most GQLX_REQUEST_MEMORY_FACTOR times the header and body limits plus
 * GQLX_REQUEST_MEMORY_BASE. A parsed JSON body takes several times the
 * bytes of its text, and a growing chunked body twice its size; the cap
 * keeps one request from taking the process's memory. */
#define GQLX_REQUEST_MEMORY_FACTOR 8u
#define GQLX_REQUEST_MEMORY_BASE   (4u * 1024u * 1024u)

/* Milliseconds from the first byte of a request until its headers are
 * complete: a client sending its headers a byte at a time (slowloris)
 * would otherwise hold a connection forever. 408 and close. */
#define GQLX_DEFAULT_HEADER_TIMEOUT_MS 10000u

/* Milliseconds from the first byte of a request until its body is
 * complete: a slow body ties up a connection and its memory. 408. */
#define GQLX_DEFAULT_REQUEST_TIMEOUT_MS 30000u

/* Milliseconds a keep-alive connection may wait for its next request, and
 * a response may wait for the client to read it, before the connection is
 * closed. */
#define GQLX_DEFAULT_IDLE_TIMEOUT_MS 60000u

/* Milliseconds a graceful stop waits for the requests in flight before it
 * closes every connection. */
#define GQLX_DEFAULT_SHUTDOWN_TIMEOUT_MS 30000u

/* Bytes a connection reads ahead of the request being answered
 * (pipelining). Beyond this the connection stops reading until the
 * answer is written, so a client that sends without reading cannot make
 * the server buffer without end. */
#define GQLX_CONN_READ_AHEAD_BYTES (64u * 1024u)

/* Milliseconds a connection closed after an error answer (413, 431...)
 * keeps reading and discarding what the client still sends, so that the
 * client reads the answer instead of a reset (a "lingering close"). */
#define GQLX_LINGER_MS 2000u

/* Smallest response body worth compressing; below it the headers the
 * encoding adds eat the gain. */
#define GQLX_DEFAULT_COMPRESS_MIN_BYTES 1024u

/* Event-loop threads a server runs at most (the default is one per core). */
#define GQLX_MAX_WORKERS 256u

/* The first chunk of the memory a user builder allocates for an upgrade
 * request (gql_server_user): it stays with the WebSocket for its whole
 * life, so it starts small; a user identity is a few small strings. */
#define GQLX_USER_ARENA_CHUNK_BYTES 256u

/* Request objects (with their first arena chunk) an event loop keeps for
 * reuse, so steady traffic allocates nothing per request. */
#define GQLX_REQUEST_POOL_SIZE 64u

/* ---- WebSockets (gqlx_ws_opts; each default can be changed per
 * connection) --------------------------------------------------------- */

/* Bytes of one WebSocket message once its fragments are joined and, with
 * permessage-deflate, inflated. Checked against each frame's announced
 * length before its payload is read, and while inflating (a small
 * compressed message can expand a thousandfold): close 1009. GraphQL
 * messages from clients (subscribe, connection_init) are small. */
#define GQLX_WS_DEFAULT_MAX_MESSAGE_BYTES (1024u * 1024u)

/* Bytes queued for one WebSocket peer and not yet written. A subscriber
 * that stops reading while events keep coming would otherwise make the
 * server buffer without end; past it the queue is dropped and the
 * connection closed with 1008 (Redis's output-buffer limit). */
#define GQLX_WS_DEFAULT_MAX_OUTBOUND_BYTES (4u * 1024u * 1024u)

/* Milliseconds the server waits for the peer's close frame after sending
 * its own (and for that frame to be written) before it drops the
 * connection: a peer that never answers cannot keep it open. */
#define GQLX_WS_DEFAULT_CLOSE_TIMEOUT_MS 5000u

/* Extra compressed bytes a permessage-deflate message may have over the
 * message limit: deflate can make incompressible data slightly larger
 * (5 bytes per stored block), and such a message still inflates within
 * the limit. */
#define GQLX_WS_DEFLATE_SLACK_BYTES 1024u

/* Smallest outgoing message worth compressing: below it deflate's block
 * headers eat the gain and the call costs more than the bytes saved. */
#define GQLX_WS_DEFLATE_MIN_BYTES 128u

/* Fragment spreads nested within each other (F0 spreads F1, which spreads
 * F2, ...). Each definition is small, so a long chain passes the parser's
 * limits; the walks over an operation follow spreads by recursion, and
 * this bounds their stack. Past it the request fails (GQL_ELIMIT). */
#define GQLX_MAX_SPREAD_NESTING 3000u

#endif
