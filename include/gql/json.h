/* include/gql/json.h — read-only JSON values.
 *
 * Coerced arguments reach resolvers as gql_json values, and a JSON document
 * can serve as the root value of an execution (the default resolver reads
 * object members by field name). A gql_json is a node of a tree that someone
 * else owns: the request (arguments), or a gql_json_doc (parsed text). The
 * accessors below never fail on a value of the wrong kind: they return the
 * zero of their type. Numbers keep both an exact 64-bit integer (when the
 * value is integral and fits) and a double. */
#ifndef GQL_JSON_H
#define GQL_JSON_H

#include <stdint.h>

#include "gql/common.h"
#include "gql/errors.h"

GQL_BEGIN_DECLS

typedef struct gql_json gql_json;
typedef struct gql_json_doc gql_json_doc;

typedef enum gql_json_kind {
    GQL_JSON_NULL,
    GQL_JSON_BOOL,
    GQL_JSON_NUMBER,
    GQL_JSON_STRING,
    GQL_JSON_ARRAY,
    GQL_JSON_OBJECT
} gql_json_kind;

/* The kind of v; GQL_JSON_NULL when v is NULL. */
GQL_EXTERN gql_json_kind gql_json_type(const gql_json *v);

/* A boolean's value; 0 for other kinds. */
GQL_EXTERN int gql_json_bool(const gql_json *v);

/* A number as a 64-bit integer: exact when gql_json_is_int() says so,
 * otherwise the double truncated toward zero (saturated); 0 for other
 * kinds. */
GQL_EXTERN int64_t gql_json_int(const gql_json *v);

/* 1 when v is a number with an integral value that fits int64_t. */
GQL_EXTERN int gql_json_is_int(const gql_json *v);

/* A number as a double; 0 for other kinds. */
GQL_EXTERN double gql_json_float(const gql_json *v);

/* A string's UTF-8 bytes (not NUL-terminated; may contain NUL) and, if len
 * is not NULL, their count. NULL (and *len 0) for other kinds. */
GQL_EXTERN const char *gql_json_string(const gql_json *v, size_t *len);

/* Items of an array or members of an object; 0 for other kinds. */
GQL_EXTERN size_t gql_json_length(const gql_json *v);

/* Item i of an array, or NULL. */
GQL_EXTERN const gql_json *gql_json_item(const gql_json *v, size_t i);

/* The value of member `key` (NUL-terminated) of an object, or NULL. */
GQL_EXTERN const gql_json *gql_json_member(const gql_json *v, const char *key);

/* Member i of an object in order: its value, and its key in *key (not
 * NUL-terminated) and *key_len. NULL when i is out of range. */
GQL_EXTERN const gql_json *gql_json_member_at(const gql_json *v, size_t i, const char **key,
                                              size_t *key_len);

/* Parses len bytes of JSON text (RFC 8259, strict; the text is copied).
 * Returns GQL_OK and a document in *out, GQL_EJSON or GQL_ELIMIT (nesting
 * deeper than 128 levels, text over 64 MiB) with one located error in
 * *errs (when errs is not NULL; release with gql_errors_free), GQL_ENOMEM,
 * or GQL_EINVAL (out NULL, or text NULL with len > 0). */
GQL_EXTERN int gql_json_parse(gql_json_doc **out, const char *text, size_t len,
                              gql_errors **errs);

/* The root value of a parsed document; valid until gql_json_doc_free. */
GQL_EXTERN const gql_json *gql_json_doc_root(const gql_json_doc *doc);

/* Releases a document and every value in it. NULL does nothing. */
GQL_EXTERN void gql_json_doc_free(gql_json_doc *doc);

GQL_END_DECLS

#endif
