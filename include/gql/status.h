/* include/gql/status.h — result codes returned by every gql_ function.
 *
 * A function that can fail returns int: GQL_OK (0) on success, or one of the
 * negative codes below. Codes are listed once; values never change and new
 * codes are only appended. */
#ifndef GQL_STATUS_H
#define GQL_STATUS_H

#include "gql/common.h"

GQL_BEGIN_DECLS

/* One line per code: name, value, message. */
#define GQL_STATUS_LIST(X)                                            \
    X(ENOMEM,      -1, "out of memory")                               \
    X(EINVAL,      -2, "invalid argument")                            \
    X(ELIMIT,      -3, "a configured limit was exceeded")             \
    X(ESYNTAX,     -4, "the document is not valid GraphQL syntax")    \
    X(EVALIDATION, -5, "the document failed validation")              \
    X(ESCHEMA,     -6, "the schema definition is invalid")            \
    X(EJSON,       -7, "the text is not valid JSON")                  \
    X(EIO,         -8, "input/output error")                          \
    X(EOPERATION,  -9, "the operation's kind is not allowed here")    \
    X(EUNAUTHENTICATED, -10, "authentication is required")            \
    X(EFORBIDDEN,  -11, "access was denied")

enum {
    GQL_OK = 0,
#define GQL_STATUS_ENUM(name, value, text) GQL_##name = (value),
    GQL_STATUS_LIST(GQL_STATUS_ENUM)
#undef GQL_STATUS_ENUM
};

/* Returns a constant English description of a status code; never NULL.
 * Unknown codes give "unknown status". Thread-safe. */
GQL_EXTERN const char *gql_strerror(int status);

/* Returns the code's symbolic name without the prefix ("ENOMEM"), or
 * "UNKNOWN". Thread-safe. */
GQL_EXTERN const char *gql_status_name(int status);

GQL_END_DECLS

#endif
