/* src/server/router.c — route table and matching of a method and path. */
#include "server/router.h"

#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/strdup.h"
#include "gql/status.h"
#include "server/url.h"

void gqlx_router_init(gqlx_router *r)
{
    r->routes = NULL;
    r->count = r->cap = 0;
}

static void route_free(gqlx_route *rt)
{
    if (rt == NULL)
        return;
    gqlx_free(rt->method);
    gqlx_free(rt->pattern);
    gqlx_free(rt->seg);
    gqlx_free(rt);
}

void gqlx_router_free(gqlx_router *r)
{
    for (size_t i = 0; i < r->count; i++)
        route_free(r->routes[i]);
    gqlx_free(r->routes);
    gqlx_router_init(r);
}

static bool is_param(gqlx_slice s)
{
    return s.len >= 3 && s.ptr[0] == '{' && s.ptr[s.len - 1] == '}';
}

static bool is_tail(gqlx_slice s)
{
    return s.len == 1 && s.ptr[0] == '*';
}

/* A method is "*" or a run of token characters (RFC 9110); the router
 * compares it byte for byte, as methods are case-sensitive. */
static bool valid_method(const char *m)
{
    if (strcmp(m, "*") == 0)
        return true;
    if (*m == '\0')
        return false;
    for (const char *p = m; *p; p++)
        if (!gqlx_http_tchar(*p))
            return false;
    return true;
}

/* Splits pattern (which starts with '/') into rt->seg, checking that
 * braces only wrap whole segments and "*" comes last. */
static int split_pattern(gqlx_route *rt)
{
    const char *p = rt->pattern;
    if (p[0] != '/' || strchr(p, '?') != NULL || strchr(p, '#') != NULL)
        return GQL_EINVAL;
    size_t n = 1;
    for (const char *q = p + 1; *q; q++)
        n += *q == '/';
    rt->seg = gqlx_malloc(n * sizeof *rt->seg);
    if (rt->seg == NULL)
        return GQL_ENOMEM;
    rt->nseg = n;
    rt->exact = true;
    rt->tail = false;
    const char *s = p + 1;
    for (size_t i = 0; i < n; i++) {
        const char *slash = strchr(s, '/');
        size_t len = slash != NULL ? (size_t)(slash - s) : strlen(s);
        gqlx_slice seg = gqlx_slice_make(s, len);
        rt->seg[i] = seg;
        if (is_tail(seg)) {
            if (i + 1 != n)
                return GQL_EINVAL;
            rt->tail = true;
            rt->exact = false;
        } else if (is_param(seg)) {
            for (size_t k = 1; k + 1 < len; k++)
                if (seg.ptr[k] == '{' || seg.ptr[k] == '}')
                    return GQL_EINVAL;
            rt->exact = false;
        } else if (memchr(s, '{', len) != NULL || memchr(s, '}', len) != NULL) {
            return GQL_EINVAL;
        }
        s = slash != NULL ? slash + 1 : s + len;
    }
    return GQL_OK;
}

bool gqlx_router_has_pattern(const gqlx_router *r, const char *pattern)
{
    for (size_t i = 0; i < r->count; i++)
        if (strcmp(r->routes[i]->pattern, pattern) == 0)
            return true;
    return false;
}

int gqlx_router_add(gqlx_router *r, const char *method, const char *pattern,
                    gqlx_route_handler handler, gqlx_route **out)
{
    if (out != NULL)
        *out = NULL;
    if (method == NULL || pattern == NULL || handler.handle == NULL || !valid_method(method))
        return GQL_EINVAL;
    for (size_t i = 0; i < r->count; i++)
        if (strcmp(r->routes[i]->pattern, pattern) == 0 &&
            strcmp(r->routes[i]->method, method) == 0)
            return GQL_EINVAL;
    if (r->count == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 8;
        gqlx_route **grown = gqlx_realloc(r->routes, cap * sizeof *grown);
        if (grown == NULL)
            return GQL_ENOMEM;
        r->routes = grown;
        r->cap = cap;
    }
    gqlx_route *rt = gqlx_malloc(sizeof *rt);
    if (rt == NULL)
        return GQL_ENOMEM;
    memset(rt, 0, sizeof *rt);
    rt->method = gqlx_strdup(method);
    rt->pattern = gqlx_strdup(pattern);
    if (rt->method == NULL || rt->pattern == NULL) {
        route_free(rt);
        return GQL_ENOMEM;
    }
    int rc = split_pattern(rt);
    if (rc != GQL_OK) {
        route_free(rt);
        return rc;
    }
    rt->handler = handler;
    r->routes[r->count++] = rt;
    if (out != NULL)
        *out = rt;
    return GQL_OK;
}

/* Whether path fits rt's pattern; caps[i] receives the text of segment i
 * (for the "*" segment: the rest of the path). */
static bool path_fits(const gqlx_route *rt, const char *path, gqlx_slice *caps)
{
    if (path[0] != '/')
        return false;
    const char *p = path + 1;
    for (size_t i = 0; i < rt->nseg; i++) {
        gqlx_slice seg = rt->seg[i];
        if (rt->tail && i + 1 == rt->nseg) {
            caps[i] = gqlx_slice_cstr(p);
            return true;
        }
        const char *slash = strchr(p, '/');
        size_t len = slash != NULL ? (size_t)(slash - p) : strlen(p);
        if (is_param(seg)) {
            if (len == 0)
                return false;
        } else if (seg.len != len || memcmp(seg.ptr, p, len) != 0) {
            return false;
        }
        caps[i] = gqlx_slice_make(p, len);
        if (i + 1 < rt->nseg) {
            if (slash == NULL)
                return false;
            p = slash + 1;
        } else if (slash != NULL) {
            return false;
        }
    }
    return true;
}

static bool method_fits(const gqlx_route *rt, const char *method)
{
    return strcmp(rt->method, "*") == 0 || strcmp(rt->method, method) == 0 ||
           (strcmp(method, "HEAD") == 0 && strcmp(rt->method, "GET") == 0);
}

/* Appends method to the comma-separated list in b unless it is there. */
static void allow_add(gqlx_buf *b, const char *method)
{
    size_t n = strlen(method);
    const char *p = b->data;
    while (p != NULL && *p) {
        const char *end = strchr(p, ',');
        size_t len = end != NULL ? (size_t)(end - p) : strlen(p);
        if (len == n && memcmp(p, method, n) == 0)
            return;
        p = end != NULL ? end + 2 : p + len;
    }
    if (b->len > 0)
        gqlx_buf_append(b, ", ", 2);
    gqlx_buf_append(b, method, n);
}

static int collect_params(const gqlx_route *rt, const gqlx_slice *caps, gqlx_arena *arena,
                          gqlx_route_match *m)
{
    size_t n = 0;
    for (size_t i = 0; i < rt->nseg; i++)
        n += is_param(rt->seg[i]) || (rt->tail && i + 1 == rt->nseg);
    m->params = NULL;
    m->param_count = 0;
    if (n == 0)
        return 200;
    gqlx_http_field *f = GQLX_ARRAY(arena, gqlx_http_field, n);
    if (f == NULL)
        return 500;
    size_t k = 0;
    for (size_t i = 0; i < rt->nseg; i++) {
        gqlx_slice seg = rt->seg[i];
        if (rt->tail && i + 1 == rt->nseg) {
            f[k].name = GQLX_SLICE_LIT("*");
            char *v = gqlx_arena_strndup(arena, caps[i].ptr, caps[i].len);
            if (v == NULL)
                return 500;
            f[k++].value = gqlx_slice_make(v, caps[i].len);
        } else if (is_param(seg)) {
            char *name = gqlx_arena_strndup(arena, seg.ptr + 1, seg.len - 2);
            char *v = gqlx_arena_alloc(arena, caps[i].len + 1, 1);
            if (name == NULL || v == NULL)
                return 500;
            size_t len = gqlx_url_decode(v, caps[i].ptr, caps[i].len, false);
            if (len == (size_t)-1)
                return 400;
            v[len] = '\0';
            f[k].name = gqlx_slice_make(name, seg.len - 2);
            f[k++].value = gqlx_slice_make(v, len);
        }
    }
    m->params = f;
    m->param_count = k;
    return 200;
}

int gqlx_router_match(const gqlx_router *r, const char *method, const char *path, gqlx_arena *arena,
                      gqlx_route_match *m)
{
    m->route = NULL;
    m->params = NULL;
    m->param_count = 0;
    m->allow = NULL;

    size_t most = 1;
    for (size_t i = 0; i < r->count; i++)
        if (r->routes[i]->nseg > most)
            most = r->routes[i]->nseg;
    gqlx_slice *caps = GQLX_ARRAY(arena, gqlx_slice, most);
    if (caps == NULL)
        return 500;

    bool path_known = false;
    /* Two passes: exact paths, then patterns, each in the order added. */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < r->count; i++) {
            const gqlx_route *rt = r->routes[i];
            if (rt->exact != (pass == 0) || !path_fits(rt, path, caps))
                continue;
            path_known = true;
            if (!method_fits(rt, method))
                continue;
            m->route = rt;
            return collect_params(rt, caps, arena, m);
        }
    }
    if (!path_known)
        return 404;

    gqlx_buf allow;
    gqlx_buf_init(&allow, 0);
    bool get = false, head = false;
    for (size_t i = 0; i < r->count; i++) {
        const gqlx_route *rt = r->routes[i];
        if (!path_fits(rt, path, caps))
            continue;
        get |= strcmp(rt->method, "GET") == 0;
        head |= strcmp(rt->method, "HEAD") == 0;
        allow_add(&allow, rt->method);
    }
    if (get && !head)
        allow_add(&allow, "HEAD");
    int status = 405;
    if (allow.failed) {
        status = 500;
    } else {
        m->allow = gqlx_arena_strndup(arena, allow.data != NULL ? allow.data : "", allow.len);
        if (m->allow == NULL)
            status = 500;
    }
    gqlx_buf_free(&allow);
    return status;
}
