/* src/server/static_files.c — the route handler that serves a folder's
 * files: a thin layer answering requests with what static_lookup.c finds.
 *
 * Files are opened, checked and read on the event-loop thread with
 * blocking calls. That is acceptable for what this serves — a UI's
 * scripts, styles and images, read from the page cache in microseconds
 * and bounded by GQLX_STATIC_MAX_FILE_BYTES — and keeps every answer on
 * the request's own thread; a folder on a slow network file system would
 * stall the loop and is not what this is for. */
#include "server/static_files.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/alloc.h"
#include "gql/status.h"
#include "server/static_lookup.h"

struct gqlx_static {
    char *root;  /* the folder's real path */
    char *mount; /* URL path without a trailing slash ("" for "/") */
    size_t mount_len;
};

int gqlx_static_new(const char *dir, const char *mount, gqlx_static **out)
{
    *out = NULL;
    char real[PATH_MAX];
    struct stat st;
    if (dir == NULL || realpath(dir, real) == NULL || stat(real, &st) != 0 || !S_ISDIR(st.st_mode))
        return GQL_EIO;
    if (mount == NULL)
        mount = "";
    size_t mount_len = strlen(mount);
    while (mount_len > 0 && mount[mount_len - 1] == '/')
        mount_len--;
    size_t root_len = strlen(real);
    gqlx_static *s = gqlx_malloc(sizeof *s + root_len + 1 + mount_len + 1);
    if (s == NULL)
        return GQL_ENOMEM;
    s->root = (char *)(s + 1);
    memcpy(s->root, real, root_len + 1);
    s->mount = s->root + root_len + 1;
    memcpy(s->mount, mount, mount_len);
    s->mount[mount_len] = '\0';
    s->mount_len = mount_len;
    *out = s;
    return GQL_OK;
}

void gqlx_static_free(gqlx_static *s)
{
    gqlx_free(s);
}

static void respond_text(gql_http_request *req, int status, const char *text)
{
    gql_http_respond(req, status, "text/plain; charset=utf-8", text, strlen(text));
}

static void respond_status(gql_http_request *req, int status)
{
    switch (status) {
    case 400:
        respond_text(req, 400, "Bad Request\n");
        break;
    case 404:
        respond_text(req, 404, "Not Found\n");
        break;
    default:
        respond_text(req, 500, "Internal Server Error\n");
        break;
    }
}

static void static_handle(gql_http_request *req, void *data)
{
    gqlx_static *s = data;
    bool head = strcmp(req->method, "HEAD") == 0;
    if (!head && strcmp(req->method, "GET") != 0) {
        gql_http_add_header(req, "Allow", "GET, HEAD");
        respond_text(req, 405, "Method Not Allowed\n");
        return;
    }
    const char *path = req->path;
    size_t path_len = strlen(path);
    if (path_len < s->mount_len || memcmp(path, s->mount, s->mount_len) != 0 ||
        (path[s->mount_len] != '/' && path[s->mount_len] != '\0')) {
        respond_status(req, 404);
        return;
    }

    gqlx_static_file f;
    int status = gqlx_static_open(s->root, path + s->mount_len, path_len - s->mount_len, &f);
    if (status != 200) {
        if (status == 500 && f.error != NULL)
            gqlx_server_log(req->server, "static file %s: %s", path, f.error);
        respond_status(req, status);
        return;
    }

    /* no-cache: browsers keep the file but ask each time, and the
     * validators make that question cheap; a changed UI is seen at once. */
    gql_http_add_header(req, "ETag", f.etag);
    gql_http_add_header(req, "Last-Modified", f.last_modified);
    gql_http_add_header(req, "Cache-Control", "no-cache");
    if (gqlx_static_not_modified(&f, gqlx_http_header(req, "If-None-Match"),
                                 gqlx_http_header(req, "If-Modified-Since"))) {
        gqlx_static_close(&f);
        gql_http_respond(req, 304, NULL, NULL, 0);
        return;
    }

    /* HEAD reads the file too: the connection layer sends the headers of
     * the GET answer, Content-Length included, and drops the body. */
    char *body;
    size_t len;
    int rc = gqlx_static_read(&f, &body, &len);
    gqlx_static_close(&f);
    if (rc != GQL_OK) {
        gqlx_server_log(req->server, "static file %s: %s", path,
                        rc == GQL_ENOMEM ? "out of memory" : "read error");
        respond_status(req, 500);
        return;
    }
    unsigned flags = f.compressible ? 0u : (unsigned)GQLX_RESP_NO_COMPRESS;
    if (gqlx_http_respond_owned(req, 200, f.content_type, body, len, flags, gqlx_free, body) !=
        GQL_OK)
        gqlx_free(body);
}

gqlx_route_handler gqlx_static_handler(gqlx_static *s)
{
    return (gqlx_route_handler){.begin = NULL, .handle = static_handle, .data = s};
}
