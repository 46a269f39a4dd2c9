/* src/server/multipart.h — an incremental multipart/form-data parser
 * (RFC 7578 over RFC 2046's multipart syntax) that never holds a body
 * whole.
 *
 * It does no I/O of its own but for the temporary files of large uploads:
 * the connection layer feeds it every body chunk as it arrives, in pieces
 * of any size (through a body sink, see server/http.h), and it keeps
 *  - plain fields (no filename): name and value, in memory, bounded by
 *    max_field_bytes each and by max_memory together;
 *  - files (a filename parameter, even ""): name, filename, content type,
 *    size and content — in memory up to upload_memory_limit bytes, beyond
 *    that in a temporary file made with mkstemp in tmp_dir ($TMPDIR or
 *    /tmp) and unlinked at once, written as the content streams in, so
 *    memory stays bounded whatever the files weigh.
 *
 * Syntax decisions:
 *  - Lines end with CRLF. A delimiter is CRLF "--" boundary; a LF without
 *    CR never ends a line (inside content it is content, inside part
 *    headers it is an error), as RFC 2046 requires and browsers, curl and
 *    Node send.
 *  - The preamble (before the first delimiter) and the epilogue (after the
 *    close delimiter) are ignored; spaces and tabs after a delimiter are
 *    allowed (RFC 2046's transport padding).
 *  - Part headers: "Name: value" lines, at most max_header_bytes per
 *    part; folded lines, lines without a colon and control characters are
 *    errors. Content-Disposition must be "form-data" with a name
 *    parameter; parameters are tokens or quoted strings (a backslash
 *    escapes only '"' and '\', so Windows paths in old browsers' filenames
 *    survive); filename* (RFC 5987 UTF-8'') wins over filename. Names and
 *    filenames are not percent-decoded (browsers send '"' as %22 and the
 *    HTML standard leaves the decoding to no one). Other headers are
 *    ignored, Content-Type is kept.
 *  - The first failure is sticky: every later call returns the same
 *    status, and gqlx_multipart_error() says why.
 *
 * Statuses: 0 for success; 400 for a malformed body (missing or invalid
 * boundary, bad part headers, missing name, no final boundary); 413 for a
 * limit (a file over maximum_file_size, more files than
 * maximum_file_count, more parts than max_parts, a field over
 * max_field_bytes, part headers over max_header_bytes, fields over
 * max_memory); 500 when memory or the temporary file failed. */
#ifndef GQLX_SERVER_MULTIPART_H
#define GQLX_SERVER_MULTIPART_H

#include <stdbool.h>
#include <stddef.h>

#include "core/slice.h"

/* Default limits (each overridable per parser through the limits struct). */

/* Parts in one body, fields and files together: bounds the bookkeeping a
 * body of tiny parts costs. */
#define GQLX_MULTIPART_MAX_PARTS 1000u
/* Header bytes of one part: the Content-Disposition and Content-Type
 * lines browsers send are well under 1 KiB. */
#define GQLX_MULTIPART_MAX_HEADER_BYTES (8u * 1024u)
/* Bytes of one plain field: "operations" holds the query and variables. */
#define GQLX_MULTIPART_MAX_FIELD_BYTES (8u * 1024u * 1024u)
/* Bytes of one file kept in memory before it moves to a temporary file
 * (gql_endpoint_opts.upload_memory_limit's default). */
#define GQLX_MULTIPART_UPLOAD_MEMORY_LIMIT (1024u * 1024u)
/* Memory of the whole parser: fields, in-memory files and part records
 * (two fixed buffers come on top: one part's headers, at most
 * max_header_bytes, and 64 KiB staging temporary-file writes). A file that
 * would pass it goes to a temporary file early; a field that would pass
 * it fails with 413. */
#define GQLX_MULTIPART_MAX_MEMORY (32u * 1024u * 1024u)

typedef struct gqlx_multipart_limits {
    size_t max_parts;           /* 0: GQLX_MULTIPART_MAX_PARTS */
    size_t max_header_bytes;    /* 0: GQLX_MULTIPART_MAX_HEADER_BYTES */
    size_t max_field_bytes;     /* 0: GQLX_MULTIPART_MAX_FIELD_BYTES */
    size_t maximum_file_size;   /* 0: unlimited */
    size_t maximum_file_count;  /* 0: unlimited */
    size_t upload_memory_limit; /* 0 keeps every file in a temporary file */
    size_t max_memory;          /* 0: GQLX_MULTIPART_MAX_MEMORY */
    const char *tmp_dir;        /* NULL: $TMPDIR, else /tmp (copied) */
} gqlx_multipart_limits;

/* Fills *lim with the defaults above (no file size or count limit;
 * upload_memory_limit GQLX_MULTIPART_UPLOAD_MEMORY_LIMIT). */
void gqlx_multipart_limits_init(gqlx_multipart_limits *lim);

/* One part, as stored. Strings are NUL-terminated and live as long as the
 * parser. */
typedef struct gqlx_multipart_part {
    const char *name; /* the name parameter */
    size_t name_len;
    const char *filename;     /* NULL for a plain field */
    const char *content_type; /* the Content-Type header's value; NULL if none */
    bool is_file;             /* filename != NULL */
    size_t size;              /* bytes of content */
    /* The content when in memory (always for fields), NUL-terminated after
     * size bytes; NULL when it is in the temporary file fd. */
    const char *data;
    int fd; /* the unlinked temporary file, or -1 */
} gqlx_multipart_part;

typedef struct gqlx_multipart gqlx_multipart;

/* True when a Content-Type header value names multipart/form-data
 * (case-insensitive, parameters ignored). NULL gives false. */
bool gqlx_multipart_is_form_data(const char *content_type);

/* Extracts the boundary parameter of a Content-Type header value (quoted
 * or not) into out (room for 71 bytes; NUL-terminated) and its length in
 * *len. Returns 0, or 400 with *message (a constant) saying what is wrong:
 * no boundary, an empty one, one over 70 characters, characters RFC 2046
 * does not allow, a trailing space. */
int gqlx_multipart_boundary(const char *content_type, char out[71], size_t *len,
                            const char **message);

/* Creates a parser for a body of the given Content-Type header value
 * (which must hold the boundary), with limits (NULL for the defaults;
 * copied). Returns NULL only when memory runs out; otherwise check
 * gqlx_multipart_status(): a missing or invalid boundary gives a parser
 * whose status is already 400 (free it as usual). */
gqlx_multipart *gqlx_multipart_new(const char *content_type, const gqlx_multipart_limits *lim);

/* Consumes n bytes of the body (p may be NULL when n is 0). Returns 0 or
 * the sticky HTTP status of the first failure. */
int gqlx_multipart_write(gqlx_multipart *mp, const char *p, size_t n);

/* Ends the body: returns 0 when the close delimiter was seen (content
 * after it is ignored), else 400 ("missing final boundary"), or the
 * sticky status of an earlier failure. Flushes the temporary files. */
int gqlx_multipart_finish(gqlx_multipart *mp);

/* The sticky status (0 while all is well) and its message ("" while all
 * is well); the message lives as long as the parser. */
int gqlx_multipart_status(const gqlx_multipart *mp);
const char *gqlx_multipart_error(const gqlx_multipart *mp);

/* True once finish succeeded: the parts are complete. */
bool gqlx_multipart_done(const gqlx_multipart *mp);

/* The parts stored so far, in body order (complete parts only until the
 * body is done). */
size_t gqlx_multipart_count(const gqlx_multipart *mp);
const gqlx_multipart_part *gqlx_multipart_at(const gqlx_multipart *mp, size_t i);

/* The first plain field (not file) named name, or NULL. */
const gqlx_multipart_part *gqlx_multipart_field(const gqlx_multipart *mp, const char *name);

/* The first part (file or field) named name[0..len), or NULL. */
const gqlx_multipart_part *gqlx_multipart_find(const gqlx_multipart *mp, const char *name,
                                               size_t len);

/* Number of file parts stored. */
size_t gqlx_multipart_file_count(const gqlx_multipart *mp);

/* Bytes of memory the parser holds now (for tests and metrics). */
size_t gqlx_multipart_memory(const gqlx_multipart *mp);

/* Releases everything: memory, and the temporary files (closed; they were
 * unlinked when created, so the space returns to the file system).
 * Uploads handed out from this parser become invalid. NULL does nothing.
 * Call it once the request is over: after its response is sent, or when
 * the connection is gone. */
void gqlx_multipart_free(gqlx_multipart *mp);

#endif
