/* src/server/worker.h — one event loop of a server: its listening socket,
 * its connections (the libuv side of conn.h), its request objects, the
 * queue other threads post work to, and its part of a graceful stop. */
#ifndef GQLX_SERVER_WORKER_H
#define GQLX_SERVER_WORKER_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include <uv.h>

#include "server/compress.h"
#include "server/conn.h"
#include "server/http.h"
#include "server/metrics.h"

typedef struct gqlx_post gqlx_post;
struct gqlx_ws_zlib;

typedef struct gqlx_worker {
    gql_server *srv;
    unsigned index;
    uv_loop_t *loop; /* NULL: offline (tests and fuzzing, no I/O) */
    uv_loop_t own_loop;
    bool owns_loop;
    bool has_thread;
    uv_thread_t thread;

    uv_tcp_t listener;
    uv_poll_t stop_poll; /* the server's stop pipe */
    uv_async_t wake;     /* posts from other threads */
    uv_timer_t shutdown_timer;
    /* Reports writes that finished at once (worker.c, io_write) on the
     * next turn of the loop. */
    uv_idle_t written;
    void *written_head; /* connections with such a report due */
    uv_tcp_t spare; /* accepts and drops a connection when memory is out */
    bool listener_open, stop_poll_open, wake_open, timer_open, written_open, spare_busy;
    bool accept_stalled; /* a connection waits for the spare (drop_connection) */

    uv_mutex_t post_lock;
    bool post_lock_ready;
    gqlx_post *post_head, *post_tail;
    bool post_closed; /* the wake handle is gone: posts are refused */

    gqlx_metrics metrics;
    gqlx_conn *conns;
    size_t conn_count;
    gqlx_req_slot *live; /* requests not yet finished (orphans too) */
    size_t live_count;
    gqlx_req_slot *pool; /* finished requests kept for reuse */
    size_t pool_count;

    bool stopping;  /* a graceful stop has begun */
    bool finishing; /* the last handles are closing */

    time_t date_sec;
    char date[64]; /* "Date" header value for date_sec */

    /* The response compressor of the loop's connections (compress.h). */
    gqlx_compressor compressor;
    /* permessage-deflate streams shared by the loop's WebSockets
     * (ws_deflate.h), made on first use. */
    struct gqlx_ws_zlib *ws_zlib;
} gqlx_worker;

/* Prepares w for srv: its own loop, or host_loop when not NULL, with its
 * stop, wake and timer handles, listening on listen_fd (a bound, listening
 * socket it then owns). Returns GQL_OK, or GQL_ENOMEM / GQL_EIO with the
 * reason in err; w's handles are then closed (on a host loop they finish
 * closing when the host runs it) and gqlx_worker_fini is still due. */
int gqlx_worker_init(gqlx_worker *w, gql_server *srv, unsigned index, uv_loop_t *host_loop,
                     int listen_fd, char *err, size_t errlen);

/* Prepares w without any loop, for driving connections by hand. */
void gqlx_worker_init_offline(gqlx_worker *w, gql_server *srv);

/* Runs w's loop on a new thread. Returns GQL_OK or GQL_ENOMEM. */
int gqlx_worker_spawn(gqlx_worker *w);

/* Waits for the thread of a spawned worker. */
void gqlx_worker_join(gqlx_worker *w);

/* Closes the handles of a worker whose loop never ran (a failed start)
 * and runs its own loop until they are closed. */
void gqlx_worker_abandon(gqlx_worker *w);

/* Releases what is left once the loop has ended: requests, pooled
 * objects, the loop itself. */
void gqlx_worker_fini(gqlx_worker *w);

/* A fresh request object (an arena capped at the server's request
 * memory), live until gqlx_worker_request_free. NULL when memory is out. */
gql_http_request *gqlx_worker_request_new(gqlx_worker *w);
void gqlx_worker_request_free(gqlx_worker *w, gql_http_request *req);

/* The Date header value for now ("Sun, 06 Nov 1994 08:49:37 GMT"). */
const char *gqlx_worker_date(gqlx_worker *w);

/* Called by the engine when a connection finished closing or a request
 * was freed: a stopping worker closes its last handles once nothing is
 * left. */
void gqlx_worker_check_done(gqlx_worker *w);

#endif
