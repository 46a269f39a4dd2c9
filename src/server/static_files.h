/* src/server/static_files.h — files from a folder under a URL path:
 * content types by extension, ETag and Last-Modified with 304 answers,
 * no way out of the folder. */
#ifndef GQLX_SERVER_STATIC_FILES_H
#define GQLX_SERVER_STATIC_FILES_H

#include "server/http.h"

typedef struct gqlx_static gqlx_static;

/* Serves dir (resolved to an absolute path now) for requests whose path
 * is mount ("/static") followed by "/" and a file's relative path.
 * Returns GQL_OK, GQL_ENOMEM or GQL_EIO (dir missing or not a folder). */
int gqlx_static_new(const char *dir, const char *mount, gqlx_static **out);
void gqlx_static_free(gqlx_static *s);

/* The route handler (GET and HEAD; other methods 405 with Allow): 200
 * with the file (a folder's index.html for a folder), Content-Type by
 * extension, a weak ETag, Last-Modified and Cache-Control: no-cache; 304
 * when If-None-Match / If-Modified-Since match; 404 for a missing file, a
 * folder without index.html, a hidden file, or a path that would leave
 * the folder (".." segments, encoded slashes or NUL, symbolic links
 * pointing outside); 400 for malformed percent-encoding; 500 for a file
 * above GQLX_STATIC_MAX_FILE_BYTES (64 MiB). See static_lookup.h. */
gqlx_route_handler gqlx_static_handler(gqlx_static *s);

#endif
