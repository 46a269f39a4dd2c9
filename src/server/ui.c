/* src/server/ui.c — the browser UI: GraphiQL and GraphQL Voyager pages,
 * rendered per response with a fresh CSP nonce, and the bundle's files
 * (embedded by the gql_ui_assets library) with long-lived caching.
 *
 * A page is small HTML naming the bundle's hashed files and one inline
 * script, allowed by the nonce, that tells the bundle where the endpoint
 * and its WebSocket are. The policy allows scripts and style elements
 * only from this origin or with the nonce; the bundle gives that nonce to
 * the <style> elements its libraries create, so injected markup stays
 * inert. Style attributes stay allowed (style-src-attr): Monaco writes
 * its editor lines as HTML with positions in style attributes. */
#include "server/ui.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/types.h>

#include "core/alloc.h"
#include "core/base64.h"
#include "core/buf.h"
#include "gql/status.h"
#include "server/compress.h"
#include "server/server_internal.h"
#include "server/static_lookup.h"

/* A page is about 2 KiB; the cap only guards against absurd paths. */
#define UI_PAGE_MAX_BYTES (64u * 1024u)
#define UI_PATH_MAX       512

static const char NOT_BUILT[] =
    "The browser UI is not available: this server was built without its files "
    "(they are bundled from ui/ when Node.js and ui/node_modules are present "
    "at build time).\n";

void gql_ui_opts_init(gql_ui_opts *opts)
{
    if (opts == NULL)
        return;
    memset(opts, 0, sizeof *opts);
    opts->endpoint = "/graphql";
    opts->endpoint_page = 1;
    opts->graphiql_path = "/graphiql";
    opts->voyager_path = "/voyager";
    opts->assets_path = "/ui-assets";
}

/* ---- small helpers ------------------------------------------------------------------ */

static const gql_ui_file *find_role(const gql_ui_bundle *b, const char *role)
{
    for (size_t i = 0; i < b->count; i++)
        if (b->files[i].role != NULL && strcmp(b->files[i].role, role) == 0)
            return &b->files[i];
    return NULL;
}

static const gql_ui_file *find_name(const gql_ui_bundle *b, const char *name)
{
    for (size_t i = 0; i < b->count; i++)
        if (strcmp(b->files[i].name, name) == 0)
            return &b->files[i];
    return NULL;
}

/* Text inside a double-quoted HTML attribute. */
static void put_attr(gqlx_buf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        switch (s[i]) {
        case '&':
            gqlx_buf_append_cstr(b, "&amp;");
            break;
        case '"':
            gqlx_buf_append_cstr(b, "&quot;");
            break;
        case '<':
            gqlx_buf_append_cstr(b, "&lt;");
            break;
        case '>':
            gqlx_buf_append_cstr(b, "&gt;");
            break;
        default:
            gqlx_buf_putc(b, s[i]);
        }
    }
}

/* Text inside a JavaScript string literal inside a <script> element: no
 * character can end the string or the element. */
static void put_js(gqlx_buf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' || c == '\'')
            gqlx_buf_printf(b, "\\u%04x", c);
        else
            gqlx_buf_putc(b, (char)c);
    }
}

/* The length of the assets path without its trailing slashes; 0 for "/",
 * so that "/" + a file name follows it in URLs and routes alike. */
static size_t assets_base_len(const char *path)
{
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/')
        n--;
    return n == 1 ? 0 : n;
}

/* The URL of a bundle file: prefix + assets path + "/" + name. */
static void put_asset_url(gqlx_buf *b, const gql_ui_opts *o, const char *prefix, size_t prefix_len,
                          const gql_ui_file *f, bool js)
{
    void (*put)(gqlx_buf *, const char *, size_t) = js ? put_js : put_attr;
    put(b, prefix, prefix_len);
    put(b, o->assets_path, assets_base_len(o->assets_path));
    put(b, "/", 1);
    put(b, f->name, strlen(f->name));
}

bool gqlx_ui_render(gqlx_buf *b, const gql_ui_opts *o, const char *prefix, size_t prefix_len,
                    bool voyager, const char *nonce)
{
    const gql_ui_bundle *bundle = o->assets;
    const char *page = voyager ? "voyager" : "graphiql";
    char role[32];
    snprintf(role, sizeof role, "%s.js", page);
    const gql_ui_file *js = find_role(bundle, role);
    snprintf(role, sizeof role, "%s.css", page);
    const gql_ui_file *css = find_role(bundle, role);
    static const char *const worker_roles[][2] = {{"editor", "editor.worker.js"},
                                                  {"json", "json.worker.js"},
                                                  {"graphql", "graphql.worker.js"}};
    const gql_ui_file *workers[3] = {NULL, NULL, NULL};
    for (size_t i = 0; i < 3 && !voyager; i++)
        if ((workers[i] = find_role(bundle, worker_roles[i][1])) == NULL)
            return false;
    if (js == NULL || css == NULL)
        return false;

    gqlx_buf_clear(b);
    gqlx_buf_printf(b,
                    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                    "<title>%s</title>\n<link rel=\"icon\" href=\"data:,\">\n"
                    "<link rel=\"stylesheet\" href=\"",
                    voyager ? "GraphQL Voyager" : "GraphiQL");
    put_asset_url(b, o, prefix, prefix_len, css, false);
    gqlx_buf_printf(b,
                    "\">\n</head>\n<body>\n<div id=\"%s\"><noscript>This page needs "
                    "JavaScript.</noscript></div>\n<script nonce=\"%s\">\n"
                    "(function () {\n  var c = {endpoint: \"",
                    page, nonce);
    put_js(b, prefix, prefix_len);
    put_js(b, o->endpoint, strlen(o->endpoint));
    gqlx_buf_append_cstr(b, "\", workers: {");
    for (size_t i = 0; i < 3 && !voyager; i++) {
        gqlx_buf_printf(b, "%s%s: \"", i > 0 ? ", " : "", worker_roles[i][0]);
        put_asset_url(b, o, prefix, prefix_len, workers[i], true);
        gqlx_buf_putc(b, '"');
    }
    /* The WebSocket URL follows the page's own scheme and host, so the
     * page works behind a proxy and over TLS alike. */
    gqlx_buf_append_cstr(b, "}};\n"
                            "  var url = new URL(c.endpoint, location.href);\n"
                            "  c.endpoint = url.href;\n"
                            "  url.protocol = url.protocol === \"https:\" ? \"wss:\" : \"ws:\";\n"
                            "  c.subscriptionEndpoint = url.href;\n"
                            "  c.nonce = document.currentScript.nonce;\n"
                            "  window.gqldUi = c;\n"
                            "})();\n</script>\n");
    gqlx_buf_printf(b, "<script nonce=\"%s\" src=\"", nonce);
    put_asset_url(b, o, prefix, prefix_len, js, false);
    gqlx_buf_append_cstr(b, "\"></script>\n</body>\n</html>\n");
    return !b->failed;
}

/* ---- answers ------------------------------------------------------------------------ */

static void respond_text(gql_http_request *req, int status, const char *text)
{
    gql_http_respond(req, status, "text/plain; charset=utf-8", text, strlen(text));
}

static void release_page(void *arg)
{
    gqlx_free(arg);
}

/* Each page's policy allows what it needs and no more (checked in the
 * browser test): GraphiQL's editor starts its workers from this origin's
 * files and its CSS embeds fonts as data: URLs; Voyager's layout engine
 * (Graphviz compiled to WebAssembly) runs in a worker made from a blob.
 * The favicon is "data:," so browsers ask for no /favicon.ico. */
static void respond_page(gql_http_request *req, const gql_ui_opts *o, bool voyager)
{
    if (o->assets == NULL) {
        respond_text(req, 503, NOT_BUILT);
        return;
    }
    unsigned char raw[GQLX_UI_NONCE_BYTES];
    char nonce[4 * ((GQLX_UI_NONCE_BYTES + 2) / 3) + 1];
    if (getrandom(raw, sizeof raw, 0) != (ssize_t)sizeof raw) {
        gqlx_server_log(req->server, "UI page: no random bytes for the nonce");
        respond_text(req, 500, "Internal Server Error\n");
        return;
    }
    gqlx_base64_encode(raw, sizeof raw, nonce);

    const gql_server *srv = req->server;
    gqlx_buf page;
    gqlx_buf_init(&page, UI_PAGE_MAX_BYTES);
    if (!gqlx_ui_render(&page, o, srv->prefix_copy, srv->prefix_len, voyager, nonce)) {
        gqlx_buf_free(&page);
        respond_text(req, 500, "The UI bundle is incomplete.\n");
        return;
    }
    char csp[640];
    snprintf(csp, sizeof csp,
             "default-src 'self'; script-src 'self' 'nonce-%s'%s; "
             "style-src 'self' 'nonce-%s'; style-src-attr 'unsafe-inline'; "
             "img-src 'self' data:; %sconnect-src 'self'; "
             "worker-src 'self'%s; object-src 'none'; base-uri 'none'; form-action 'self'; "
             "frame-ancestors 'none'",
             nonce, voyager ? " 'wasm-unsafe-eval'" : "", nonce,
             voyager ? "" : "font-src 'self' data:; ", voyager ? " blob:" : "");
    gql_http_add_header(req, "Content-Security-Policy", csp);
    gql_http_add_header(req, "X-Frame-Options", "DENY");
    size_t len;
    char *body = gqlx_buf_detach(&page, &len);
    if (gqlx_http_respond_owned(req, 200, "text/html; charset=utf-8", body, len, GQLX_RESP_NO_STORE,
                                release_page, body) != GQL_OK)
        gqlx_free(body);
}

static void graphiql_handle(gql_http_request *req, void *data)
{
    respond_page(req, data, false);
}

static void voyager_handle(gql_http_request *req, void *data)
{
    respond_page(req, data, true);
}

static void assets_handle(gql_http_request *req, void *data)
{
    const gql_ui_opts *o = data;
    if (o->assets == NULL) {
        respond_text(req, 503, NOT_BUILT);
        return;
    }
    const char *name = gql_http_path_param(req, "file");
    const gql_ui_file *f = name != NULL ? find_name(o->assets, name) : NULL;
    if (f == NULL) {
        respond_text(req, 404, "Not Found\n");
        return;
    }
    /* The name changes with the content: a browser never needs to ask
     * again, and the ETag answers those that do. */
    gql_http_add_header(req, "ETag", f->etag);
    gql_http_add_header(req, "Cache-Control", "public, max-age=31536000, immutable");
    const char *inm = gqlx_http_header(req, "If-None-Match");
    if (inm != NULL && gqlx_etag_list_matches(inm, f->etag)) {
        gql_http_respond(req, 304, NULL, NULL, 0);
        return;
    }
    const gql_server_opts *so = gqlx_server_opts(req->server);
    const unsigned char *body = f->data;
    size_t len = f->size;
    if (f->gzip != NULL || f->br != NULL) {
        gql_http_add_header(req, "Vary", "Accept-Encoding");
        int enc = gqlx_compress_choose(gqlx_http_header(req, "Accept-Encoding"),
                                       f->gzip != NULL && so->compress_gzip,
                                       f->br != NULL && so->compress_brotli);
        if (enc == GQLX_ENC_BR) {
            body = f->br;
            len = f->br_size;
        } else if (enc == GQLX_ENC_GZIP) {
            body = f->gzip;
            len = f->gzip_size;
        }
        if (enc != GQLX_ENC_IDENTITY)
            gql_http_add_header(req, "Content-Encoding", gqlx_compress_token(enc));
    }
    gqlx_http_respond_owned(req, 200, f->content_type, (const char *)body, len,
                            GQLX_RESP_NO_COMPRESS, NULL, NULL);
}

/* ---- the endpoint's browser page ---------------------------------------------------- */

/* The weight of one Accept range ("text/html;q=0.9" gives 900), in
 * thousandths; *type gets the range without parameters. */
static unsigned accept_range(const char *p, size_t n, const char **type, size_t *type_len)
{
    size_t i = 0;
    while (i < n && (p[i] == ' ' || p[i] == '\t'))
        i++;
    size_t start = i;
    while (i < n && p[i] != ';' && p[i] != ' ' && p[i] != '\t')
        i++;
    *type = p + start;
    *type_len = i - start;
    unsigned q = 1000;
    while (i < n) {
        const char *semi = memchr(p + i, ';', n - i);
        if (semi == NULL)
            break;
        i = (size_t)(semi - p) + 1;
        while (i < n && (p[i] == ' ' || p[i] == '\t'))
            i++;
        if (i + 2 <= n && (p[i] == 'q' || p[i] == 'Q') && p[i + 1] == '=') {
            i += 2;
            unsigned v = 0, scale = 1000, digits = 0;
            bool frac = false;
            for (; i < n && (p[i] == '.' || (p[i] >= '0' && p[i] <= '9')); i++) {
                if (p[i] == '.') {
                    frac = true;
                } else if (!frac) {
                    v = v * 10 + (unsigned)(p[i] - '0') * 1000;
                } else if (digits++ < 3) {
                    scale /= 10;
                    v += (unsigned)(p[i] - '0') * scale;
                }
            }
            q = v > 1000 ? 1000 : v;
        }
    }
    return q;
}

static bool type_is(const char *t, size_t n, const char *want)
{
    return strlen(want) == n && strncasecmp(t, want, n) == 0;
}

bool gqlx_ui_accept_prefers_html(const char *accept)
{
    if (accept == NULL)
        return false;
    unsigned html = 0, json = 0;
    const char *p = accept;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t n = comma != NULL ? (size_t)(comma - p) : strlen(p);
        const char *t;
        size_t tn;
        unsigned q = accept_range(p, n, &t, &tn);
        if (type_is(t, tn, "text/html") && q > html)
            html = q;
        else if ((type_is(t, tn, "application/json") ||
                  type_is(t, tn, "application/graphql-response+json")) &&
                 q > json)
            json = q;
        if (comma == NULL)
            break;
        p = comma + 1;
    }
    return html > 0 && html > json;
}

bool gqlx_ui_endpoint_page(gql_http_request *req, const char *endpoint_path)
{
    if (strcmp(req->method, "GET") != 0 || req->query[0] != '\0' ||
        !gqlx_ui_accept_prefers_html(gqlx_http_header(req, "Accept")))
        return false;
    /* The router is immutable once the server runs, so reading it from
     * any loop thread needs no lock. */
    const gqlx_router *r = &req->server->router;
    for (size_t i = 0; i < r->count; i++) {
        const gqlx_route *rt = r->routes[i];
        if (rt->handler.handle != assets_handle)
            continue;
        const gql_ui_opts *o = rt->handler.data;
        if (o->endpoint_page && strcmp(o->endpoint, endpoint_path) == 0) {
            respond_page(req, o, false);
            return true;
        }
    }
    return false;
}

/* ---- mounting ----------------------------------------------------------------------- */

static bool valid_path(const char *p)
{
    return p != NULL && p[0] == '/' && strlen(p) < UI_PATH_MAX;
}

static bool wanted(const char *p)
{
    return p != NULL && p[0] != '\0';
}

int gql_server_ui(gql_server *srv, const gql_ui_opts *opts)
{
    if (srv == NULL || opts == NULL || srv->started || !valid_path(opts->endpoint) ||
        !valid_path(opts->assets_path) ||
        (wanted(opts->graphiql_path) && !valid_path(opts->graphiql_path)) ||
        (wanted(opts->voyager_path) && !valid_path(opts->voyager_path)))
        return GQL_EINVAL;
    char assets[UI_PATH_MAX + 16];
    snprintf(assets, sizeof assets, "%.*s/{file}", (int)assets_base_len(opts->assets_path),
             opts->assets_path);
    if (gqlx_router_has_pattern(&srv->router, assets) ||
        (wanted(opts->graphiql_path) &&
         gqlx_router_has_pattern(&srv->router, opts->graphiql_path)) ||
        (wanted(opts->voyager_path) && gqlx_router_has_pattern(&srv->router, opts->voyager_path)))
        return GQL_EINVAL;

    /* The handlers only read opts, which the caller keeps alive. */
    void *data = (void *)(uintptr_t)opts;
    gqlx_route_handler h = {.begin = NULL, .handle = assets_handle, .data = data};
    int rc = gqlx_router_add(&srv->router, "GET", assets, h, NULL);
    if (rc == GQL_OK && wanted(opts->graphiql_path)) {
        h.handle = graphiql_handle;
        rc = gqlx_router_add(&srv->router, "GET", opts->graphiql_path, h, NULL);
    }
    if (rc == GQL_OK && wanted(opts->voyager_path)) {
        h.handle = voyager_handle;
        rc = gqlx_router_add(&srv->router, "GET", opts->voyager_path, h, NULL);
    }
    return rc;
}
