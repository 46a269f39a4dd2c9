/* src/server/media_type.h — media types for GraphQL over HTTP: what a
 * request body's Content-Type says, and which response media type an
 * Accept header chooses.
 *
 * Parsing follows RFC 9110 (type "/" subtype, then ";"-separated
 * parameters whose values are tokens or quoted strings), compared without
 * regard to case, and is lenient where browsers are (parameters it cannot
 * read are skipped), so that a header it does not understand never makes
 * a request look safer than it is. */
#ifndef GQLX_SERVER_MEDIA_TYPE_H
#define GQLX_SERVER_MEDIA_TYPE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/slice.h"

/* A parsed media type; every slice points into the parsed text. */
typedef struct gqlx_media_type {
    gqlx_slice type;    /* "application" (case as sent) */
    gqlx_slice subtype; /* "json" */
    gqlx_slice charset; /* the charset parameter, unquoted; len 0 when absent */
    bool has_charset;
} gqlx_media_type;

/* Parses a Content-Type value of len bytes. Returns false when there is no
 * "type/subtype" made of token characters (*out is then unspecified). */
bool gqlx_media_type_parse(const char *s, size_t len, gqlx_media_type *out);

/* What a request body is, from its Content-Type header. */
typedef enum gqlx_body_kind {
    GQLX_BODY_NONE,      /* no Content-Type header */
    GQLX_BODY_JSON,      /* application/json */
    GQLX_BODY_GRAPHQL,   /* application/graphql: the body is the query */
    GQLX_BODY_FORM,      /* application/x-www-form-urlencoded */
    GQLX_BODY_MULTIPART, /* multipart/form-data */
    GQLX_BODY_TEXT,      /* text/plain */
    GQLX_BODY_OTHER,     /* any other media type */
    GQLX_BODY_INVALID    /* a value that is not a media type */
} gqlx_body_kind;

/* Classifies a Content-Type header value (NULL: GQLX_BODY_NONE). When
 * charset_ok is not NULL it receives false if the value names a charset
 * other than UTF-8 (the only one the endpoint reads), true otherwise. */
gqlx_body_kind gqlx_media_body_kind(const char *content_type, bool *charset_ok);

/* True when a browser may send a body of this kind to another origin
 * without asking first (a CORS "simple" request): no Content-Type, or
 * one of the three the Fetch standard safelists (form, multipart, plain
 * text). Any other value, unparsable ones included, makes the browser
 * send a preflight, which CORS then guards. */
bool gqlx_media_is_cors_simple(gqlx_body_kind kind);

/* The response media types a GraphQL endpoint can send. */
typedef enum gqlx_response_type {
    GQLX_RESPONSE_NONE,    /* nothing the client accepts: 406 */
    GQLX_RESPONSE_JSON,    /* application/json (the legacy type) */
    GQLX_RESPONSE_GRAPHQL, /* application/graphql-response+json */
} gqlx_response_type;

/* Chooses the response media type for an Accept header value (NULL when
 * the request has none).
 *
 * Each candidate takes the weight (q) of the most specific range that
 * matches it (RFC 9110 section 12.5.1; a range naming a charset other than
 * UTF-8 does not match), and the higher weight wins. At equal weights a
 * type the client named wins over one it only reached through a wildcard;
 * when it named both, application/graphql-response+json wins; when it
 * named neither (a missing header, "*" + "/" + "*", "application/" + "*"),
 * application/json wins, as the GraphQL-over-HTTP specification asks
 * of servers while clients that predate the newer type remain common.
 * A header without any readable range counts as missing. Returns
 * GQLX_RESPONSE_NONE when both weights are 0. */
gqlx_response_type gqlx_media_choose_response(const char *accept);

/* The Content-Type header value of a response type, with its charset
 * ("application/json; charset=utf-8"); NULL for GQLX_RESPONSE_NONE. */
const char *gqlx_media_response_content_type(gqlx_response_type t);

#endif
