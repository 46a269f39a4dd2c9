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

#endif
