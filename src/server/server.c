/* src/server/server.c — the public gql_server: options, routes, hooks and
 * endpoints, binding the listeners, starting the event loops, the stop
 * signal, waiting and releasing; the server's log. */
#include "gql/server.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <uv.h>

#include "core/alloc.h"
#include "core/limits.h"
#include "core/strdup.h"
#include "gql/status.h"
#include "server/server_internal.h"
#include "server/worker.h"

void gql_server_opts_init(gql_server_opts *o)
{
    memset(o, 0, sizeof *o);
    o->listen = "127.0.0.1:8080";
    o->workers = 0;
    o->loop = NULL;
    o->path_prefix = "";
    o->max_connections = GQLX_DEFAULT_MAX_CONNECTIONS;
    o->max_header_size = GQLX_DEFAULT_MAX_HEADER_BYTES;
    o->max_body_size = GQLX_DEFAULT_MAX_BODY_BYTES;
    o->header_timeout_ms = GQLX_DEFAULT_HEADER_TIMEOUT_MS;
    o->request_timeout_ms = GQLX_DEFAULT_REQUEST_TIMEOUT_MS;
    o->idle_timeout_ms = GQLX_DEFAULT_IDLE_TIMEOUT_MS;
    o->shutdown_timeout_ms = GQLX_DEFAULT_SHUTDOWN_TIMEOUT_MS;
    o->compress_min_size = GQLX_DEFAULT_COMPRESS_MIN_BYTES;
    o->compress_gzip = 1;
    o->compress_brotli = 1;
    o->security_headers = 1;
    o->cors_origins = NULL;
    o->cors_credentials = 0;
    o->cors_max_age = 600;
    o->static_dir = NULL;
    o->static_path = "/static";
    o->health = 1;
    o->server_info = 1;
    o->metrics = 1;
    o->access_log = 1;
    o->log = NULL;
    o->log_data = NULL;
    o->debug = 0;
}

/* ---- errors and the log ------------------------------------------------------ */

void gqlx_server_set_error(gql_server *srv, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(srv->error, sizeof srv->error, fmt, ap);
    va_end(ap);
}

void gqlx_server_log(const gql_server *srv, const char *fmt, ...)
{
    char small[1024];
    char *line = small;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n >= sizeof small) {
        char *big = gqlx_malloc((size_t)n + 1);
        if (big != NULL) {
            va_start(ap, fmt);
            vsnprintf(big, (size_t)n + 1, fmt, ap);
            va_end(ap);
            line = big;
        }
    }
    if (srv->opts.log != NULL)
        srv->opts.log(line, srv->opts.log_data);
    else
        fprintf(stderr, "%s\n", line); /* one call: lines of threads do not mix */
    if (line != small)
        gqlx_free(line);
}

const gql_server_opts *gqlx_server_opts(const gql_server *srv)
{
    return &srv->opts;
}

const char *gql_server_error(const gql_server *srv)
{
    return srv != NULL ? srv->error : "";
}

int gql_server_port(const gql_server *srv)
{
    return srv != NULL && srv->started ? srv->port : 0;
}

/* ---- creating ------------------------------------------------------------------ */

/* "host:port", "[v6]:port" or ":port" into srv->host and srv->port. */
static int parse_listen(gql_server *srv, const char *s)
{
    const char *host, *port;
    size_t host_len;
    if (s[0] == '[') {
        const char *close = strchr(s, ']');
        if (close == NULL || close[1] != ':')
            return GQL_EINVAL;
        host = s + 1;
        host_len = (size_t)(close - host);
        port = close + 2;
        if (host_len == 0)
            return GQL_EINVAL;
    } else {
        const char *colon = strrchr(s, ':');
        if (colon == NULL)
            return GQL_EINVAL;
        host = s;
        host_len = (size_t)(colon - s);
        port = colon + 1;
        if (memchr(host, ':', host_len) != NULL)
            return GQL_EINVAL; /* an IPv6 address needs brackets */
    }
    if (host_len >= sizeof srv->host)
        return GQL_EINVAL;
    size_t digits = strlen(port);
    if (digits == 0 || digits > 5 || strspn(port, "0123456789") != digits)
        return GQL_EINVAL;
    long value = strtol(port, NULL, 10);
    if (value > 65535)
        return GQL_EINVAL;
    memcpy(srv->host, host, host_len);
    srv->host[host_len] = '\0';
    if (s[0] == '[') {
        struct sockaddr_in6 probe;
        if (uv_ip6_addr(srv->host, 0, &probe) != 0)
            return GQL_EINVAL;
    }
    srv->port = (int)value;
    return GQL_OK;
}

/* A path like the prefix or the static mount: "" or "/..." without query,
 * fragment, braces or white space; trailing slashes removed. */
static bool normalize_path(char *p)
{
    if (p[0] != '\0' && p[0] != '/')
        return false;
    if (strpbrk(p, "?#{} \t\r\n") != NULL)
        return false;
    size_t n = strlen(p);
    while (n > 0 && p[n - 1] == '/')
        p[--n] = '\0';
    return true;
}

static size_t add_sat(size_t a, size_t b)
{
    return a > SIZE_MAX - b ? SIZE_MAX : a + b;
}

static size_t mul_sat(size_t a, size_t b)
{
    return b != 0 && a > SIZE_MAX / b ? SIZE_MAX : a * b;
}

int gql_server_new(const gql_server_opts *opts, gql_server **out)
{
    if (out == NULL)
        return GQL_EINVAL;
    *out = NULL;
    gql_server_opts defaults;
    if (opts == NULL) {
        gql_server_opts_init(&defaults);
        opts = &defaults;
    }
    gql_server *srv = gqlx_malloc(sizeof *srv);
    if (srv == NULL)
        return GQL_ENOMEM;
    memset(srv, 0, sizeof *srv);
    srv->stop_pipe[0] = srv->stop_pipe[1] = -1;
    atomic_init(&srv->stop_requested, 0);
    atomic_init(&srv->open_connections, 0u);
    gqlx_router_init(&srv->router);
    srv->opts = *opts;
    gql_server_opts *o = &srv->opts;

    srv->listen_copy = gqlx_strdup(opts->listen != NULL ? opts->listen : "127.0.0.1:8080");
    srv->prefix_copy = gqlx_strdup(opts->path_prefix != NULL ? opts->path_prefix : "");
    srv->static_path_copy = gqlx_strdup(opts->static_path != NULL ? opts->static_path : "/static");
    srv->cors_copy = opts->cors_origins != NULL ? gqlx_strdup(opts->cors_origins) : NULL;
    srv->static_dir_copy = opts->static_dir != NULL ? gqlx_strdup(opts->static_dir) : NULL;
    int rc = GQL_OK;
    if (srv->listen_copy == NULL || srv->prefix_copy == NULL || srv->static_path_copy == NULL ||
        (opts->cors_origins != NULL && srv->cors_copy == NULL) ||
        (opts->static_dir != NULL && srv->static_dir_copy == NULL))
        rc = GQL_ENOMEM;
    if (rc == GQL_OK &&
        (!normalize_path(srv->prefix_copy) || !normalize_path(srv->static_path_copy) ||
         parse_listen(srv, srv->listen_copy) != GQL_OK))
        rc = GQL_EINVAL;
    o->listen = srv->listen_copy;
    o->path_prefix = srv->prefix_copy;
    o->static_path = srv->static_path_copy;
    o->cors_origins = srv->cors_copy;
    o->static_dir = srv->static_dir_copy;
    if (rc != GQL_OK) {
        gql_server_free(srv);
        return rc;
    }
    srv->prefix_len = strlen(srv->prefix_copy);

    /* A size limit of 0 would refuse everything: it means the default. */
    if (o->max_header_size == 0)
        o->max_header_size = GQLX_DEFAULT_MAX_HEADER_BYTES;
    if (o->max_body_size == 0)
        o->max_body_size = GQLX_DEFAULT_MAX_BODY_BYTES;
    if (o->max_body_size >= SIZE_MAX / 2)
        o->max_body_size = SIZE_MAX / 2 - 1;
    srv->request_memory =
        add_sat(mul_sat(add_sat(o->max_header_size, o->max_body_size), GQLX_REQUEST_MEMORY_FACTOR),
                GQLX_REQUEST_MEMORY_BASE);

    rc = gqlx_cors_init(&srv->cors, o);
    if (rc == GQL_OK && pipe2(srv->stop_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
        srv->stop_pipe[0] = srv->stop_pipe[1] = -1;
        rc = GQL_EIO;
    }
    if (rc != GQL_OK) {
        gql_server_free(srv);
        return rc;
    }
    *out = srv;
    return GQL_OK;
}

/* ---- routes, endpoints, hooks ---------------------------------------------------- */

static void public_route(gql_http_request *req, void *data)
{
    const gqlx_route *rt = data;
    rt->cb(req, rt->cb_data);
}

int gql_server_route(gql_server *srv, const char *method, const char *pattern, gql_route_cb handler,
                     void *user_data)
{
    if (srv == NULL || method == NULL || pattern == NULL || handler == NULL || srv->started)
        return GQL_EINVAL;
    gqlx_route_handler h = {.begin = NULL, .handle = public_route, .data = NULL};
    gqlx_route *rt;
    int rc = gqlx_router_add(&srv->router, method, pattern, h, &rt);
    if (rc != GQL_OK)
        return rc;
    rt->cb = handler;
    rt->cb_data = user_data;
    rt->handler.data = rt;
    return GQL_OK;
}

int gql_server_graphql(gql_server *srv, const char *path, const gql_schema *schema,
                       const gql_endpoint_opts *opts)
{
    if (srv == NULL || path == NULL || schema == NULL || srv->started || path[0] != '/' ||
        gqlx_router_has_pattern(&srv->router, path))
        return GQL_EINVAL;
    gql_endpoint_opts defaults;
    if (opts == NULL) {
        gql_endpoint_opts_init(&defaults);
        opts = &defaults;
    }
    gqlx_endpoint **grown = gqlx_realloc(srv->endpoints, (srv->endpoint_count + 1) * sizeof *grown);
    if (grown == NULL)
        return GQL_ENOMEM;
    srv->endpoints = grown;
    gqlx_endpoint *ep;
    int rc = gqlx_endpoint_new(srv, path, schema, opts, &ep);
    if (rc != GQL_OK)
        return rc;
    rc = gqlx_router_add(&srv->router, "*", path, gqlx_endpoint_handler(ep), NULL);
    if (rc != GQL_OK) {
        gqlx_endpoint_free(ep);
        return rc;
    }
    srv->endpoints[srv->endpoint_count++] = ep;
    return GQL_OK;
}

int gql_server_before(gql_server *srv, gql_before_cb hook, void *user_data)
{
    if (srv == NULL || hook == NULL || srv->started)
        return GQL_EINVAL;
    gqlx_before_hook *grown = gqlx_realloc(srv->before, (srv->before_count + 1) * sizeof *grown);
    if (grown == NULL)
        return GQL_ENOMEM;
    srv->before = grown;
    srv->before[srv->before_count++] = (gqlx_before_hook){hook, user_data};
    return GQL_OK;
}

int gql_server_after(gql_server *srv, gql_after_cb hook, void *user_data)
{
    if (srv == NULL || hook == NULL || srv->started)
        return GQL_EINVAL;
    gqlx_after_hook *grown = gqlx_realloc(srv->after, (srv->after_count + 1) * sizeof *grown);
    if (grown == NULL)
        return GQL_ENOMEM;
    srv->after = grown;
    srv->after[srv->after_count++] = (gqlx_after_hook){hook, user_data};
    return GQL_OK;
}

int gql_server_user(gql_server *srv, gql_user_cb builder, void *user_data)
{
    if (srv == NULL || srv->started)
        return GQL_EINVAL;
    srv->user = builder;
    srv->user_data = user_data;
    return GQL_OK;
}

int gqlx_server_prepare(gql_server *srv)
{
    if (srv->prepared)
        return GQL_OK;
    int rc = gqlx_builtin_add_routes(srv);
    if (rc != GQL_OK)
        return rc;
    if (srv->opts.static_dir != NULL) {
        rc = gqlx_static_new(srv->opts.static_dir, srv->opts.static_path, &srv->static_files);
        if (rc != GQL_OK) {
            gqlx_server_set_error(srv, "static files: %s: %s", srv->opts.static_dir,
                                  rc == GQL_ENOMEM ? "out of memory" : "not a readable folder");
            return rc;
        }
        char pattern[1024];
        int n = snprintf(pattern, sizeof pattern, "%s/*", srv->opts.static_path);
        if (n < 0 || (size_t)n >= sizeof pattern) {
            gqlx_server_set_error(srv, "static files: the path is too long");
            return GQL_EINVAL;
        }
        rc = gqlx_router_add(&srv->router, "*", pattern, gqlx_static_handler(srv->static_files),
                             NULL);
        if (rc == GQL_ENOMEM)
            return rc; /* GQL_EINVAL: the application took the path */
    }
    srv->prepared = true;
    return GQL_OK;
}

int gqlx_server_attach_offline(gql_server *srv, struct gqlx_worker **out)
{
    *out = NULL;
    if (srv->started || srv->workers != NULL)
        return GQL_EINVAL;
    int rc = gqlx_server_prepare(srv);
    if (rc != GQL_OK)
        return rc;
    gqlx_worker *w = gqlx_malloc(sizeof *w);
    if (w == NULL)
        return GQL_ENOMEM;
    gqlx_worker_init_offline(w, srv);
    srv->workers = w;
    srv->worker_count = srv->workers_ready = 1;
    *out = w;
    return GQL_OK;
}

/* ---- starting ---------------------------------------------------------------------- */

/* The address to bind: the host of the listen option and the port. */
static int resolve(gql_server *srv, struct sockaddr_storage *ss, socklen_t *len)
{
    memset(ss, 0, sizeof *ss);
    const char *host = srv->host;
    if (host[0] == '\0' || strcmp(host, "::") == 0) {
        uv_ip6_addr("::", srv->port, (struct sockaddr_in6 *)ss);
        *len = sizeof(struct sockaddr_in6);
        return GQL_OK;
    }
    if (uv_ip4_addr(host, srv->port, (struct sockaddr_in *)ss) == 0) {
        *len = sizeof(struct sockaddr_in);
        return GQL_OK;
    }
    if (uv_ip6_addr(host, srv->port, (struct sockaddr_in6 *)ss) == 0) {
        *len = sizeof(struct sockaddr_in6);
        return GQL_OK;
    }
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    int rc = getaddrinfo(host, NULL, &hints, &res);
    if (rc != 0 || res == NULL) {
        gqlx_server_set_error(srv, "cannot resolve %s: %s", host, gai_strerror(rc));
        return GQL_EIO;
    }
    memcpy(ss, res->ai_addr, res->ai_addrlen);
    *len = res->ai_addrlen;
    freeaddrinfo(res);
    if (ss->ss_family == AF_INET)
        ((struct sockaddr_in *)ss)->sin_port = htons((uint16_t)srv->port);
    else
        ((struct sockaddr_in6 *)ss)->sin6_port = htons((uint16_t)srv->port);
    return GQL_OK;
}

/* A bound, listening, non-blocking socket; 0 or a negative errno. */
static int bind_listener(const struct sockaddr *sa, socklen_t len, bool reuseport, bool any,
                         int *out)
{
    int fd = socket(sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -errno;
    int one = 1, zero = 0;
    (void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    /* Only with several loops: a lone listener should fail on a port
     * another process holds instead of sharing it. */
    if (reuseport && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0)
        goto fail;
    if (any && sa->sa_family == AF_INET6)
        (void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
    if (bind(fd, sa, len) != 0 || listen(fd, 511) != 0)
        goto fail;
    *out = fd;
    return 0;
fail:;
    int e = errno;
    close(fd);
    return -e;
}

static void display_host(const gql_server *srv, const struct sockaddr_storage *ss, char *out,
                         size_t size)
{
    if (srv->host[0] == '\0')
        snprintf(out, size, "%s", ss->ss_family == AF_INET6 ? "[::]" : "0.0.0.0");
    else if (strchr(srv->host, ':') != NULL)
        snprintf(out, size, "[%s]", srv->host);
    else
        snprintf(out, size, "%s", srv->host);
}

int gql_server_start(gql_server *srv)
{
    if (srv == NULL || srv->started || srv->workers != NULL)
        return GQL_EINVAL;
    int rc = gqlx_server_prepare(srv);
    if (rc != GQL_OK)
        return rc;
    struct sockaddr_storage ss;
    socklen_t sl;
    rc = resolve(srv, &ss, &sl);
    if (rc != GQL_OK)
        return rc;
    const gql_server_opts *o = &srv->opts;
    /* A client that closes before reading its answer must not kill the
     * process: writes then fail with EPIPE instead of raising SIGPIPE.
     * A disposition the application chose is left alone. */
    struct sigaction old;
    if (sigaction(SIGPIPE, NULL, &old) == 0 && old.sa_handler == SIG_DFL)
        signal(SIGPIPE, SIG_IGN);
    unsigned n = o->loop != NULL ? 1 : o->workers != 0 ? o->workers : uv_available_parallelism();
    if (n == 0)
        n = 1;
    if (n > GQLX_MAX_WORKERS)
        n = GQLX_MAX_WORKERS;
    bool any = srv->host[0] == '\0' || strcmp(srv->host, "::") == 0;

    int *fds = gqlx_malloc(n * sizeof *fds);
    if (fds == NULL)
        return GQL_ENOMEM;
    for (unsigned i = 0; i < n; i++) {
        int e = bind_listener((struct sockaddr *)&ss, sl, n > 1, any, &fds[i]);
        if (e == -EAFNOSUPPORT && i == 0 && any && srv->host[0] == '\0') {
            /* No IPv6 here: every IPv4 address then. */
            uv_ip4_addr("0.0.0.0", srv->port, (struct sockaddr_in *)&ss);
            sl = sizeof(struct sockaddr_in);
            e = bind_listener((struct sockaddr *)&ss, sl, n > 1, any, &fds[i]);
        }
        if (e != 0) {
            gqlx_server_set_error(srv, "cannot listen on %s: %s", o->listen, strerror(-e));
            for (unsigned j = 0; j < i; j++)
                close(fds[j]);
            gqlx_free(fds);
            return GQL_EIO;
        }
        if (i == 0) {
            /* Port 0: the others join the port the first one got. */
            struct sockaddr_storage bound;
            socklen_t bl = sizeof bound;
            if (getsockname(fds[0], (struct sockaddr *)&bound, &bl) == 0) {
                uint16_t port = bound.ss_family == AF_INET
                                    ? ((struct sockaddr_in *)&bound)->sin_port
                                    : ((struct sockaddr_in6 *)&bound)->sin6_port;
                if (ss.ss_family == AF_INET)
                    ((struct sockaddr_in *)&ss)->sin_port = port;
                else
                    ((struct sockaddr_in6 *)&ss)->sin6_port = port;
                srv->port = ntohs(port);
            }
        }
    }

    gqlx_worker *w = gqlx_malloc(n * sizeof *w);
    if (w == NULL) {
        for (unsigned j = 0; j < n; j++)
            close(fds[j]);
        gqlx_free(fds);
        return GQL_ENOMEM;
    }
    memset(w, 0, n * sizeof *w);
    srv->workers = w;
    srv->worker_count = n;
    for (unsigned i = 0; i < n; i++) {
        char err[200];
        rc = gqlx_worker_init(&w[i], srv, i, o->loop, fds[i], err, sizeof err);
        srv->workers_ready = i + 1;
        if (rc != GQL_OK) {
            gqlx_server_set_error(srv, "cannot start: %s", err);
            for (unsigned j = i + 1; j < n; j++)
                close(fds[j]);
            for (unsigned j = 0; j < i; j++)
                gqlx_worker_abandon(&w[j]);
            gqlx_free(fds);
            return rc;
        }
    }
    gqlx_free(fds);

    char shown[80];
    display_host(srv, &ss, shown, sizeof shown);
    srv->started = true;
    gqlx_server_log(srv, "listening on http://%s:%d", shown, srv->port);
    if (o->loop != NULL)
        return GQL_OK;
    for (unsigned i = 0; i < n; i++) {
        if (gqlx_worker_spawn(&w[i]) != GQL_OK) {
            gqlx_server_set_error(srv, "cannot start: no thread for event loop %u", i);
            gql_server_stop(srv);
            for (unsigned j = i; j < n; j++)
                gqlx_worker_abandon(&w[j]);
            gql_server_wait(srv);
            return GQL_ENOMEM;
        }
    }
    return GQL_OK;
}

/* ---- stopping and releasing ---------------------------------------------------------- */

void gql_server_stop(gql_server *srv)
{
    if (srv == NULL || atomic_exchange(&srv->stop_requested, 1) != 0)
        return;
    /* Async-signal-safe: one byte on a pipe every loop watches; it stays
     * there, so a loop that looks later still sees it. */
    int saved = errno;
    ssize_t r = write(srv->stop_pipe[1], "x", 1);
    (void)r;
    errno = saved;
}

int gql_server_wait(gql_server *srv)
{
    if (srv == NULL || !srv->started || srv->opts.loop != NULL || srv->threads_joined)
        return GQL_OK;
    for (unsigned i = 0; i < srv->worker_count; i++)
        gqlx_worker_join(&srv->workers[i]);
    srv->threads_joined = true;
    return GQL_OK;
}

void gql_server_free(gql_server *srv)
{
    if (srv == NULL)
        return;
    if (srv->started && srv->opts.loop == NULL && !srv->threads_joined) {
        gql_server_stop(srv);
        gql_server_wait(srv);
    }
    for (unsigned i = 0; i < srv->workers_ready; i++)
        gqlx_worker_fini(&srv->workers[i]);
    gqlx_free(srv->workers);
    for (size_t i = 0; i < srv->endpoint_count; i++)
        gqlx_endpoint_free(srv->endpoints[i]);
    gqlx_free(srv->endpoints);
    gqlx_free(srv->before);
    gqlx_free(srv->after);
    gqlx_static_free(srv->static_files);
    gqlx_cors_free(&srv->cors);
    gqlx_router_free(&srv->router);
    gqlx_free(srv->listen_copy);
    gqlx_free(srv->prefix_copy);
    gqlx_free(srv->cors_copy);
    gqlx_free(srv->static_dir_copy);
    gqlx_free(srv->static_path_copy);
    if (srv->stop_pipe[0] >= 0)
        close(srv->stop_pipe[0]);
    if (srv->stop_pipe[1] >= 0)
        close(srv->stop_pipe[1]);
    gqlx_free(srv);
}
