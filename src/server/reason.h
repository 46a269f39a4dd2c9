/* src/server/reason.h — the reason phrase of an HTTP status code. */
#ifndef GQLX_SERVER_REASON_H
#define GQLX_SERVER_REASON_H

/* The phrase RFC 9110 (and the IANA registry) gives the status, or
 * "Unknown" for a code with none. */
const char *gqlx_http_reason(int status);

#endif
