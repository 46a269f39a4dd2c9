/* include/gql/upload.h — files uploaded with a GraphQL multipart request.
 *
 * A GraphQL endpoint with read_form_on_post (server.h) accepts
 * multipart/form-data bodies laid out as the GraphQL multipart request
 * specification says: an "operations" field (one request object, or an
 * array of them for a batch), a "map" field naming, for each file field,
 * the places in the operations where the file belongs ("variables.file",
 * "0.variables.files.1"), and the file fields. Each of those places must
 * hold null; the server replaces it with an upload reference, so a
 * variable of type Upload (a custom scalar: declare `scalar Upload` and
 * bind no parse callbacks, or ones that return their input unchanged as
 * a JSON value) reaches the resolver as an argument that the functions
 * below turn into the gql_upload it refers to.
 *
 * The reference is the JSON object {"$upload": N}, N being the file's
 * position in its request's table of uploads. The table belongs to one
 * HTTP request (every operation of a batch shares it): a reference can
 * only ever reach the files sent with the same request, and in a request
 * that carried no files every reference finds nothing (NULL).
 *
 * Files are stored while the body arrives: up to the endpoint's
 * upload_memory_limit in memory, larger ones in an unlinked temporary
 * file. Either way they stay readable until the request's response is
 * sent; resolvers read them with gql_upload_read (from any thread, also
 * from pool work the resolver started) and never free them. */
#ifndef GQL_UPLOAD_H
#define GQL_UPLOAD_H

#include <stddef.h>

#include "gql/common.h"
#include "gql/json.h"
#include "gql/resolve.h"

GQL_BEGIN_DECLS

/* One uploaded file. Every member is read-only for the application. */
typedef struct gql_upload {
    const char *name;         /* the form field that carried it; never NULL */
    const char *filename;     /* the client's file name, as sent (may be ""
                                 and may hold a path); never NULL */
    const char *content_type; /* the part's Content-Type, or "text/plain"
                                 (RFC 7578's default) when it had none */
    size_t size;              /* bytes of content */
    /* The whole content when it is kept in memory (NUL-terminated after
     * size bytes, which may themselves hold NUL); NULL when it is in a
     * temporary file. */
    const char *data;
    /* The temporary file's descriptor when data is NULL, else -1. Owned by
     * the server: read it only with pread or gql_upload_read, never close
     * it or move its offset. */
    int fd;
} gql_upload;

/* The upload argument `name` of the field being resolved refers to:
 * gql_upload_from_json(info, gql_arg(info, name)). NULL when the argument
 * is absent, null, not an upload reference, or refers to no file of this
 * request. */
GQL_EXTERN const gql_upload *gql_arg_upload(const gql_info *info, const char *name);

/* The upload a JSON value refers to: an argument, an item of a list
 * argument ([Upload!]), or a member of an input object argument
 * (gql_json_member(gql_arg(info, "input"), "file")). NULL when value is
 * NULL, is not an upload reference, or its index is outside this
 * request's table (a request without files has an empty one). */
GQL_EXTERN const gql_upload *gql_upload_from_json(const gql_info *info, const gql_json *value);

/* The same for a resolver's parent or returned value that carries a
 * reference as JSON (GQL_VALUE_JSON); NULL for every other kind. */
GQL_EXTERN const gql_upload *gql_upload_from_value(const gql_info *info, gql_value value);

/* Number of files in the request's table, and file i of it (NULL when i
 * is out of range). Files appear in the order of the "map" field. */
GQL_EXTERN size_t gql_upload_count(const gql_info *info);
GQL_EXTERN const gql_upload *gql_upload_at(const gql_info *info, size_t i);

/* Copies up to len bytes of the upload's content, starting at byte
 * offset, into buf, and stores the number copied in *nread (0 at or past
 * the end; fewer than len only at the end). Works for files in memory and
 * in temporary files alike, from any thread, and never changes the
 * upload (concurrent readers do not disturb each other). buf may be NULL
 * when len is 0; nread may be NULL. Returns GQL_OK, GQL_EINVAL (upload
 * NULL, or buf NULL with len > 0) or GQL_EIO (reading the temporary file
 * failed; *nread then holds what was copied before). */
GQL_EXTERN int gql_upload_read(const gql_upload *upload, size_t offset, void *buf, size_t len,
                               size_t *nread);

GQL_END_DECLS

#endif
