/* src/server/cors.c — Cross-Origin Resource Sharing: which origins may
 * read responses, and the answers to preflight requests. */
#include "server/cors.h"

#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "gql/status.h"

/* The request header of that name (case-insensitive), or NULL. Scans the
 * parsed headers directly so this module needs nothing of the request
 * layer beyond the struct. */
static const char *header(const gql_http_request *req, const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < req->header_count; i++) {
        const gqlx_http_field *f = &req->headers[i];
        if (f->name.len == n && strncasecmp(f->name.ptr, name, n) == 0)
            return f->value.ptr;
    }
    return NULL;
}

int gqlx_cors_init(gqlx_cors *c, const gql_server_opts *opts)
{
    memset(c, 0, sizeof *c);
    if (opts->cors_origins == NULL)
        return GQL_OK;
    size_t n = strlen(opts->cors_origins);
    c->origins = gqlx_malloc(n + 1);
    if (c->origins == NULL)
        return GQL_ENOMEM;
    memcpy(c->origins, opts->cors_origins, n + 1);
    c->credentials = opts->cors_credentials != 0;
    c->max_age = opts->cors_max_age;
    /* "*" anywhere in the list opens CORS to every origin. */
    const char *p = c->origins;
    while (*p != '\0') {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        const char *start = p;
        while (*p != '\0' && *p != ',')
            p++;
        const char *end = p;
        while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
            end--;
        if (end - start == 1 && *start == '*')
            c->any = true;
    }
    return GQL_OK;
}

void gqlx_cors_free(gqlx_cors *c)
{
    gqlx_free(c->origins);
    memset(c, 0, sizeof *c);
}

/* An Origin value is one serialized origin (scheme://host[:port]) or
 * "null": visible ASCII without spaces or commas. Anything else — two
 * Origin headers joined by ", ", control bytes — matches no entry and is
 * never echoed back. */
static bool origin_well_formed(const char *origin)
{
    if (*origin == '\0')
        return false;
    for (const char *p = origin; *p != '\0'; p++)
        if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f || *p == ',')
            return false;
    return true;
}

static bool origin_allowed(const gqlx_cors *c, const char *origin)
{
    if (!origin_well_formed(origin))
        return false;
    if (c->any) {
        /* Echoing "null" with credentials would hand sandboxed documents
         * and local files a credentialed read of every response. */
        return !(c->credentials && strcmp(origin, "null") == 0);
    }
    size_t n = strlen(origin);
    const char *p = c->origins;
    while (*p != '\0') {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        const char *start = p;
        while (*p != '\0' && *p != ',')
            p++;
        const char *end = p;
        while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
            end--;
        if ((size_t)(end - start) == n && memcmp(start, origin, n) == 0)
            return true;
    }
    return false;
}

/* Browsers refuse "*" on credentialed requests, so with credentials the
 * allowed origin itself is echoed. */
static void allow_origin(const gqlx_cors *c, const char *origin, gqlx_buf *headers)
{
    if (c->any && !c->credentials) {
        gqlx_buf_append_cstr(headers, "Access-Control-Allow-Origin: *\r\n");
    } else {
        gqlx_buf_printf(headers, "Access-Control-Allow-Origin: %s\r\n", origin);
        if (c->credentials)
            gqlx_buf_append_cstr(headers, "Access-Control-Allow-Credentials: true\r\n");
    }
}

/* Access-Control-Request-Headers is a comma-separated list of header
 * names; only such a list is echoed, so nothing else reaches the
 * response. */
static bool header_list_well_formed(const char *s)
{
    bool any = false;
    for (const char *p = s; *p != '\0'; p++) {
        char ch = *p;
        bool name_char = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                         (ch >= '0' && ch <= '9') || strchr("!#$%&'*+-.^_`|~", ch) != NULL;
        if (name_char)
            any = true;
        else if (ch != ',' && ch != ' ' && ch != '\t')
            return false;
    }
    return any;
}

bool gqlx_cors_preflight(const gqlx_cors *c, const gql_http_request *req, gqlx_buf *headers)
{
    if (c->origins == NULL || strcmp(req->method, "OPTIONS") != 0)
        return false;
    const char *origin = header(req, "Origin");
    if (origin == NULL || header(req, "Access-Control-Request-Method") == NULL)
        return false;
    if (!origin_allowed(c, origin))
        return true; /* answered without CORS headers: the browser refuses */
    allow_origin(c, origin, headers);
    gqlx_buf_append_cstr(headers, "Access-Control-Allow-Methods: GET, POST, OPTIONS\r\n");
    /* Echoing the requested names allows Content-Type,
     * GraphQL-Require-Preflight and whatever authentication header the
     * application uses, without a list to keep in step with it. */
    const char *requested = header(req, "Access-Control-Request-Headers");
    if (requested != NULL && header_list_well_formed(requested))
        gqlx_buf_printf(headers, "Access-Control-Allow-Headers: %s\r\n", requested);
    gqlx_buf_printf(headers, "Access-Control-Max-Age: %u\r\n", c->max_age);
    gqlx_buf_append_cstr(headers, "Vary: Origin\r\n");
    return true;
}

void gqlx_cors_headers(const gqlx_cors *c, const gql_http_request *req, gqlx_buf *headers)
{
    if (c->origins == NULL)
        return;
    const char *origin = header(req, "Origin");
    if (origin != NULL && origin_allowed(c, origin))
        allow_origin(c, origin, headers);
    /* Whether the CORS headers are present depends on Origin, also when
     * they are absent: without Vary a shared cache could hand a response
     * made for one origin (or for none) to another. */
    gqlx_buf_append_cstr(headers, "Vary: Origin\r\n");
}
