/* src/server/server_internal.h — the gql_server object shared by the
 * server's files: options, routes, hooks, endpoints, workers and the stop
 * signal. */
#ifndef GQLX_SERVER_INTERNAL_H
#define GQLX_SERVER_INTERNAL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include "gql/server.h"
#include "server/cors.h"
#include "server/graphql_http.h"
#include "server/router.h"
#include "server/static_files.h"

struct gqlx_worker;

typedef struct gqlx_before_hook {
    gql_before_cb fn;
    void *data;
} gqlx_before_hook;

typedef struct gqlx_after_hook {
    gql_after_cb fn;
    void *data;
} gqlx_after_hook;

struct gql_server {
    /* The options; their strings point to the server's own copies. */
    gql_server_opts opts;
    char *listen_copy, *prefix_copy, *cors_copy, *static_dir_copy, *static_path_copy;
    size_t prefix_len; /* path_prefix without a trailing '/' */

    char host[64]; /* the listen host, without brackets */
    int port;      /* asked for; the bound port once started */

    gqlx_router router;
    gqlx_cors cors;
    gqlx_static *static_files;
    gqlx_endpoint **endpoints;
    size_t endpoint_count;
    gqlx_before_hook *before;
    size_t before_count;
    gqlx_after_hook *after;
    size_t after_count;
    gql_user_cb user;
    void *user_data;

    size_t request_memory; /* the cap of a request's arena */

    struct gqlx_worker *workers;
    unsigned worker_count;
    unsigned workers_ready; /* initialized (and to be finalized) */

    int stop_pipe[2]; /* a byte written to [1] tells every loop to stop */
    atomic_int stop_requested;
    atomic_uint open_connections;

    bool prepared; /* built-in routes and static files added */
    bool started;
    bool threads_joined;
    char error[256];
};

/* Adds the built-in pages and the static files route (once; the router
 * is not changed afterwards). Returns GQL_OK, GQL_ENOMEM or GQL_EIO (the
 * static folder is missing; see gql_server_error). */
int gqlx_server_prepare(gql_server *srv);

/* Gives srv one worker without a loop, for driving connections by hand
 * (tests, fuzzing): routes prepared, nothing listens. gql_server_free
 * releases it. Returns GQL_OK, GQL_ENOMEM or GQL_EINVAL (started). */
int gqlx_server_attach_offline(gql_server *srv, struct gqlx_worker **out);

/* Records the last error (gql_server_error), printf format. */
void gqlx_server_set_error(gql_server *srv, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Adds /health, /server_info and /metrics as the options enable them
 * (builtin.c). An application route on the same path wins. */
int gqlx_builtin_add_routes(gql_server *srv);

/* Writes one access-log line for an answered request (access_log.c). */
void gqlx_access_log(const gql_http_request *req, int status, size_t bytes,
                     unsigned long long micros);

#endif
