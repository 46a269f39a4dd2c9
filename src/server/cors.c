/* src/server/cors.c — Cross-Origin Resource Sharing: which origins may
 * read responses, and the answers to preflight requests. */
#include "server/cors.h"

#include <string.h>

#include "core/alloc.h"
#include "core/strdup.h"
#include "gql/status.h"

/* The next entry of the comma-separated origin list at *p, without the
 * white space around it; false at the end of the list. */
static bool next_origin(const char **p, const char **start, size_t *len)
{
    const char *q = *p;
    while (*q == ' ' || *q == '\t' || *q == ',')
        q++;
    if (*q == '\0')
        return false;
    const char *s = q;
    while (*q != '\0' && *q != ',')
        q++;
    const char *end = q;
    while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
    *p = q;
    *start = s;
    *len = (size_t)(end - s);
    return true;
}

int gqlx_cors_init(gqlx_cors *c, const gql_server_opts *opts)
{
    memset(c, 0, sizeof *c);
    if (opts->cors_origins == NULL)
        return GQL_OK;
    c->origins = gqlx_strdup(opts->cors_origins);
    if (c->origins == NULL)
        return GQL_ENOMEM;
    c->credentials = opts->cors_credentials != 0;
    c->max_age = opts->cors_max_age;
    /* "*" anywhere in the list opens CORS to every origin. */
    const char *p = c->origins, *start;
    size_t len;
    while (next_origin(&p, &start, &len))
        if (len == 1 && *start == '*')
            c->any = true;
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
    const char *p = c->origins, *start;
    size_t len;
    while (next_origin(&p, &start, &len))
        if (len == n && memcmp(start, origin, n) == 0)
            return true;
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
        if (gqlx_http_tchar(*p))
            any = true;
        else if (*p != ',' && *p != ' ' && *p != '\t')
            return false;
    }
    return any;
}

bool gqlx_cors_preflight(const gqlx_cors *c, const gql_http_request *req, gqlx_buf *headers)
{
    if (c->origins == NULL || strcmp(req->method, "OPTIONS") != 0)
        return false;
    const char *origin = gqlx_http_header(req, "Origin");
    if (origin == NULL || gqlx_http_header(req, "Access-Control-Request-Method") == NULL)
        return false;
    if (!origin_allowed(c, origin))
        return true; /* answered without CORS headers: the browser refuses */
    allow_origin(c, origin, headers);
    gqlx_buf_append_cstr(headers, "Access-Control-Allow-Methods: GET, POST, OPTIONS\r\n");
    /* Echoing the requested names allows Content-Type,
     * GraphQL-Require-Preflight and whatever authentication header the
     * application uses, without a list to keep in step with it. */
    const char *requested = gqlx_http_header(req, "Access-Control-Request-Headers");
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
    const char *origin = gqlx_http_header(req, "Origin");
    if (origin != NULL && origin_allowed(c, origin))
        allow_origin(c, origin, headers);
    /* Whether the CORS headers are present depends on Origin, also when
     * they are absent: without Vary a shared cache could hand a response
     * made for one origin (or for none) to another. */
    gqlx_buf_append_cstr(headers, "Vary: Origin\r\n");
}
