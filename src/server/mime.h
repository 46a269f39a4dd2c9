/* src/server/mime.h — the Content-Type of a file from its name's extension,
 * for static files. */
#ifndef GQLX_SERVER_MIME_H
#define GQLX_SERVER_MIME_H

#include <stdbool.h>
#include <stddef.h>

/* The media type for a file name of len bytes (a path is fine: only the
 * part after the last '.' of the last segment counts, compared without
 * regard to case). Text types carry "; charset=utf-8". Unknown or missing
 * extensions give "application/octet-stream". Never NULL; the string is
 * static. When compressible is not NULL it receives whether compressing the
 * body can help (false for images, fonts and archives that are already
 * compressed). */
const char *gqlx_mime_type(const char *name, size_t len, bool *compressible);

#endif
