/* src/server/static_lookup.h — the part of serving static files that
 * needs no connection: finding the file for a URL path without a way out
 * of the folder, its validators (ETag, Last-Modified), the decision to
 * answer 304, and HTTP dates. static_files.c answers requests with it. */
#ifndef GQLX_SERVER_STATIC_LOOKUP_H
#define GQLX_SERVER_STATIC_LOOKUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Largest file served. Files are read whole into memory (they are UI
 * assets: scripts, styles, images, fonts), so this bounds the memory one
 * request can hold; a larger file is refused with 500 and a log line. */
#define GQLX_STATIC_MAX_FILE_BYTES ((uint64_t)64 * 1024 * 1024)

/* Longest URL path (below the mount, still percent-encoded) looked up.
 * Longer paths name no file (404); the bound keeps the path buffers on
 * the stack. */
#define GQLX_STATIC_MAX_PATH 2048

/* An HTTP date as text: "Sun, 06 Nov 1994 08:49:37 GMT" and its NUL. */
#define GQLX_HTTP_DATE_LEN 30

/* A file found for a URL path, open for reading. */
typedef struct gqlx_static_file {
    int fd;
    uint64_t size;
    int64_t mtime; /* seconds since the epoch */
    long mtime_nsec;
    const char *content_type; /* static text */
    bool compressible;        /* not an already compressed format */
    char etag[64];            /* W/"size-seconds-nanoseconds", in hex */
    char last_modified[GQLX_HTTP_DATE_LEN];
    const char *error; /* with status 500: why (static text) */
} gqlx_static_file;

/* Finds the file for rel, the raw URL path below the mount ("/app.js",
 * "/css/site%20dark.css"; "" or "/" is the folder itself), inside root,
 * an absolute path already resolved with realpath (no trailing slash
 * unless it is "/").
 *
 * rel is percent-decoded; a path holding NUL, a backslash, an encoded
 * slash or backslash, a "." or ".." segment or a segment starting with
 * '.' (hidden files) names no file. The decoded path is resolved with
 * realpath and must stay under root, so symbolic links may point
 * anywhere inside the folder but not out of it. A folder stands for its
 * index.html.
 *
 * Returns 200 with *f filled and f->fd open (close it with
 * gqlx_static_close), 400 for malformed percent-encoding, 404 when no
 * regular file is found, 500 (f->error says why) for a file above
 * GQLX_STATIC_MAX_FILE_BYTES or an unexpected system error. Does blocking
 * file-system calls. */
int gqlx_static_open(const char *root, const char *rel, size_t rel_len, gqlx_static_file *f);

/* Closes the file (f->fd becomes -1). Safe to call twice. */
void gqlx_static_close(gqlx_static_file *f);

/* Reads the whole file into memory from gqlx_malloc (NUL-terminated;
 * release with gqlx_free). *len is the bytes read, which may differ from
 * f->size if the file changed meanwhile. Returns GQL_OK, GQL_ENOMEM or
 * GQL_EIO. */
int gqlx_static_read(gqlx_static_file *f, char **data, size_t *len);

/* Whether the If-None-Match list (RFC 9110 13.1.2) names etag, a quoted
 * tag, by weak comparison, or is "*" alone. A malformed list matches
 * nothing. */
bool gqlx_etag_list_matches(const char *list, const char *etag);

/* True when a GET or HEAD with these request headers (NULL when absent)
 * is answered 304: If-None-Match, when present, decides alone — "*" or
 * any listed entity tag equal to f->etag by weak comparison —; otherwise
 * If-Modified-Since holds a valid HTTP date not before the file's
 * modification second. */
bool gqlx_static_not_modified(const gqlx_static_file *f, const char *if_none_match,
                              const char *if_modified_since);

/* Writes t (seconds since the epoch) as an IMF-fixdate into out. */
void gqlx_httpdate_format(int64_t t, char out[GQLX_HTTP_DATE_LEN]);

/* Parses an HTTP date in any of the three forms RFC 9110 asks recipients
 * to accept (IMF-fixdate, RFC 850, asctime). Returns false for anything
 * else. */
bool gqlx_httpdate_parse(const char *s, int64_t *t);

#endif
