/* src/server/worker.c — an event loop of the server: accepting, the libuv
 * I/O behind each connection engine (reads, writes, timers, lingering
 * close), the post queue, request objects, and a graceful stop. */
#include "server/worker.h"

#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/limits.h"
#include "gql/status.h"
#include "server/server_internal.h"
#include "server/static_lookup.h"
#include "server/ws_deflate.h"

struct gqlx_post {
    void (*fn)(void *arg);
    void *arg;
    gqlx_post *next;
};

/* A connection on a socket: the engine plus its libuv handles. */
typedef struct uv_conn {
    gqlx_conn c; /* first: an engine pointer is a uv_conn pointer */
    uv_tcp_t tcp;
    uv_timer_t timer;
    uv_write_t wr[2];
    uv_shutdown_t sd;
    int write_failed[2]; /* a write refused at once: reported on close */
    bool written_now[2]; /* a write finished at once: reported by on_written */
    struct uv_conn *written_prev, *written_next; /* the worker's written list */
    unsigned open_handles;
    /* The engine's deadline (loop time in ms; 0: none) and when the timer
     * is due to fire (0: stopped). The timer is moved only when the
     * deadline comes earlier: the engine sets a deadline several times per
     * request, and restarting a libuv timer each time is a heap operation. */
    uint64_t deadline, timer_due;
    bool closing, lingering, reading, eof;
} uv_conn;

static uv_conn *uc_of(gqlx_conn *c)
{
    return (uv_conn *)c;
}

/* ---- the I/O side of a connection ------------------------------------------ */

static void on_handle_closed(uv_handle_t *h);

static void close_handles(uv_conn *u)
{
    if (u->closing)
        return;
    u->closing = true;
    u->reading = false;
    uv_close((uv_handle_t *)&u->tcp, on_handle_closed);
    uv_close((uv_handle_t *)&u->timer, on_handle_closed);
}

static void on_write(uv_write_t *wr, int status)
{
    uv_conn *u = wr->data;
    int kind = wr == &u->wr[GQLX_WRITE_RESPONSE] ? GQLX_WRITE_RESPONSE : GQLX_WRITE_CONTINUE;
    gqlx_conn_write_done(&u->c, kind, status);
}

/* The worker's list of connections with a finished write to report. */
static void written_unlink(gqlx_worker *w, uv_conn *u)
{
    if (u->written_prev != NULL)
        u->written_prev->written_next = u->written_next;
    else if (w->written_head == u)
        w->written_head = u->written_next;
    if (u->written_next != NULL)
        u->written_next->written_prev = u->written_prev;
    u->written_prev = u->written_next = NULL;
}

static void on_written(uv_idle_t *h)
{
    gqlx_worker *w = h->data;
    /* A report may start the next write, which may finish at once too:
     * the loop takes it in the same turn. */
    while (w->written_head != NULL) {
        uv_conn *u = w->written_head;
        written_unlink(w, u);
        /* A "100 Continue" went out before its response: reported first. */
        for (int kind = GQLX_WRITE_CONTINUE; kind >= GQLX_WRITE_RESPONSE; kind--) {
            if (u->written_now[kind]) {
                u->written_now[kind] = false;
                gqlx_conn_write_done(&u->c, kind, 0);
            }
        }
    }
    uv_idle_stop(h);
}

/* Writes what the socket takes at once without libuv's write queue: a
 * queued write costs an epoll_ctl call on the next turn of the loop even
 * when it completes immediately, and for small answers that call is a
 * large part of the work. The engine hears of the finished write on the
 * next turn (the idle handle), never from inside its own call. */
static int write_now(uv_conn *u, uv_buf_t *bufs, unsigned *n, int kind)
{
    gqlx_worker *w = u->c.worker;
    if (!w->written_open)
        return 0;
    int done = uv_try_write((uv_stream_t *)&u->tcp, bufs, *n);
    if (done == UV_EAGAIN || done == UV_ENOSYS)
        return 0;
    if (done < 0)
        return done;
    size_t left = (size_t)done;
    unsigned i = 0;
    while (i < *n && left >= bufs[i].len)
        left -= bufs[i++].len;
    if (i == *n) {
        u->written_now[kind] = true;
        if (u->written_prev == NULL && w->written_head != u) {
            u->written_next = w->written_head;
            if (u->written_next != NULL)
                u->written_next->written_prev = u;
            w->written_head = u;
        }
        uv_idle_start(&w->written, on_written);
        return 1;
    }
    /* Partly written: the rest goes through libuv's queue. */
    bufs[i].base += left;
    bufs[i].len -= left;
    memmove(bufs, bufs + i, (*n - i) * sizeof *bufs);
    *n -= i;
    return 0;
}

static void io_write(gqlx_conn *c, const gqlx_iov *iov, unsigned n, int kind)
{
    uv_conn *u = uc_of(c);
    uv_buf_t bufs[2];
    int rc = UV_EINVAL;
    if (n <= 2 && !u->closing) {
        rc = 0;
        for (unsigned i = 0; i < n; i++) {
            if (iov[i].len > UINT32_MAX)
                rc = UV_E2BIG;
            /* libuv's buffers are not const but are only read. */
            bufs[i] = uv_buf_init((char *)(uintptr_t)iov[i].base, (unsigned)iov[i].len);
        }
    }
    if (rc == 0)
        rc = write_now(u, bufs, &n, kind);
    if (rc == 1)
        return;
    if (rc == 0) {
        u->wr[kind].data = u;
        rc = uv_write(&u->wr[kind], (uv_stream_t *)&u->tcp, bufs, n, on_write);
    }
    if (rc != 0) {
        /* Never call the engine back from inside its own call: report the
         * failure once the handles are closed. */
        u->write_failed[kind] = rc;
        close_handles(u);
    }
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    static _Thread_local char discard[16384];
    uv_conn *u = h->data;
    (void)suggested;
    if (u->lingering) {
        *buf = uv_buf_init(discard, sizeof discard);
        return;
    }
    size_t n;
    char *p = gqlx_conn_read_space(&u->c, &n);
    *buf = uv_buf_init(p, p != NULL ? (unsigned)(n > UINT32_MAX ? UINT32_MAX : n) : 0);
}

static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
    uv_conn *u = s->data;
    (void)buf;
    if (nread == 0 || u->closing)
        return;
    if (u->lingering) {
        if (nread < 0)
            close_handles(u); /* the client has read the answer and gone */
        return;
    }
    if (nread > 0) {
        gqlx_conn_received(&u->c, (size_t)nread);
    } else if (nread == UV_EOF) {
        u->eof = true;
        u->reading = false;
        gqlx_conn_eof(&u->c);
    } else {
        u->eof = true;
        u->reading = false;
        gqlx_conn_error(&u->c);
    }
}

static void io_reading(gqlx_conn *c, bool on)
{
    uv_conn *u = uc_of(c);
    if (u->closing || u->eof || on == u->reading)
        return;
    if (on) {
        if (uv_read_start((uv_stream_t *)&u->tcp, on_alloc, on_read) == 0)
            u->reading = true;
    } else {
        uv_read_stop((uv_stream_t *)&u->tcp);
        u->reading = false;
    }
}

static void arm_timer(uv_conn *u, uint64_t due);

static void on_timer(uv_timer_t *t)
{
    uv_conn *u = t->data;
    u->timer_due = 0;
    if (u->lingering) {
        close_handles(u);
        return;
    }
    if (u->deadline == 0)
        return;
    uint64_t now = uv_now(u->tcp.loop);
    if (now < u->deadline) {
        arm_timer(u, u->deadline);
        return;
    }
    u->deadline = 0;
    gqlx_conn_timeout(&u->c);
}

static void arm_timer(uv_conn *u, uint64_t due)
{
    uint64_t now = uv_now(u->tcp.loop);
    u->timer_due = due;
    uv_timer_start(&u->timer, on_timer, due > now ? due - now : 0, 0);
}

static void io_timer(gqlx_conn *c, uint64_t ms)
{
    uv_conn *u = uc_of(c);
    if (u->closing || u->lingering)
        return;
    if (ms == 0) {
        u->deadline = 0; /* a timer still due finds nothing to do */
        return;
    }
    u->deadline = uv_now(u->tcp.loop) + ms;
    if (u->timer_due == 0 || u->timer_due > u->deadline)
        arm_timer(u, u->deadline);
}

static void on_shutdown(uv_shutdown_t *sd, int status)
{
    uv_conn *u = sd->data;
    if (status < 0)
        close_handles(u);
}

static void io_close(gqlx_conn *c, bool linger)
{
    uv_conn *u = uc_of(c);
    if (u->closing || u->lingering)
        return;
    if (!linger || u->eof) {
        close_handles(u);
        return;
    }
    /* Half-close after the answer and read until the client closes too,
     * for at most GQLX_LINGER_MS: closing with unread input would send a
     * reset that can destroy the answer before the client reads it. */
    u->lingering = true;
    arm_timer(u, uv_now(u->tcp.loop) + GQLX_LINGER_MS);
    if (!u->reading) {
        if (uv_read_start((uv_stream_t *)&u->tcp, on_alloc, on_read) != 0) {
            close_handles(u);
            return;
        }
        u->reading = true;
    }
    u->sd.data = u;
    if (uv_shutdown(&u->sd, (uv_stream_t *)&u->tcp, on_shutdown) != 0)
        close_handles(u);
}

static const gqlx_conn_io uv_io = {io_write, io_reading, io_timer, io_close};

static void unlink_conn(gqlx_worker *w, gqlx_conn *c)
{
    if (c->prev != NULL)
        c->prev->next = c->next;
    else
        w->conns = c->next;
    if (c->next != NULL)
        c->next->prev = c->prev;
    c->prev = c->next = NULL;
}

static void on_handle_closed(uv_handle_t *h)
{
    uv_conn *u = h->data;
    if (--u->open_handles > 0)
        return;
    gqlx_worker *w = u->c.worker;
    written_unlink(w, u);
    for (int kind = GQLX_WRITE_CONTINUE; kind >= GQLX_WRITE_RESPONSE; kind--) {
        if (u->written_now[kind]) {
            u->written_now[kind] = false;
            gqlx_conn_write_done(&u->c, kind, 0);
        }
        if (u->write_failed[kind] != 0) {
            int rc = u->write_failed[kind];
            u->write_failed[kind] = 0;
            gqlx_conn_write_done(&u->c, kind, rc);
        }
    }
    gqlx_conn_fini(&u->c);
    unlink_conn(w, &u->c);
    w->conn_count--;
    if (u->c.counted)
        atomic_fetch_sub(&w->srv->open_connections, 1);
    gqlx_free(u);
    gqlx_worker_check_done(w);
}

/* ---- accepting --------------------------------------------------------------- */

static void on_connection(uv_stream_t *server, int status);

static void on_spare_closed(uv_handle_t *h)
{
    gqlx_worker *w = h->data;
    w->spare_busy = false;
    if (w->accept_stalled && w->listener_open) {
        w->accept_stalled = false;
        on_connection((uv_stream_t *)&w->listener, 0);
    }
}

/* Out of memory for a connection: accept it on the spare handle and
 * close it. libuv stops the listener until a pending connection is
 * accepted, so one that finds the spare still closing is taken as soon
 * as it is free; else the loop would never accept again. */
static void drop_connection(gqlx_worker *w, uv_stream_t *server)
{
    if (w->spare_busy) {
        w->accept_stalled = true;
        return;
    }
    if (uv_tcp_init(w->loop, &w->spare) != 0)
        return;
    w->spare_busy = true;
    w->spare.data = w;
    (void)uv_accept(server, (uv_stream_t *)&w->spare);
    uv_close((uv_handle_t *)&w->spare, on_spare_closed);
}

static void on_early_close(uv_handle_t *h)
{
    gqlx_free(h->data);
}

static void peer_name(uv_tcp_t *tcp, char *out, size_t size)
{
    struct sockaddr_storage ss;
    int len = (int)sizeof ss;
    out[0] = '\0';
    if (uv_tcp_getpeername(tcp, (struct sockaddr *)&ss, &len) != 0)
        return;
    if (ss.ss_family == AF_INET)
        uv_ip4_name((const struct sockaddr_in *)&ss, out, size);
    else if (ss.ss_family == AF_INET6)
        uv_ip6_name((const struct sockaddr_in6 *)&ss, out, size);
}

static void on_connection(uv_stream_t *server, int status)
{
    gqlx_worker *w = server->data;
    gql_server *srv = w->srv;
    if (status < 0 || w->stopping)
        return;
    uv_conn *u = gqlx_malloc(sizeof *u);
    if (u == NULL) {
        drop_connection(w, server);
        return;
    }
    memset(u, 0, sizeof *u);
    if (uv_tcp_init(w->loop, &u->tcp) != 0) {
        gqlx_free(u);
        drop_connection(w, server);
        return;
    }
    u->tcp.data = u;
    if (uv_accept(server, (uv_stream_t *)&u->tcp) != 0 || uv_timer_init(w->loop, &u->timer) != 0) {
        uv_close((uv_handle_t *)&u->tcp, on_early_close);
        return;
    }
    u->timer.data = u;
    u->open_handles = 2;
    uv_tcp_nodelay(&u->tcp, 1);
    char addr[48];
    peer_name(&u->tcp, addr, sizeof addr);
    gqlx_conn_init(&u->c, w, &uv_io, addr);
    u->c.next = w->conns;
    if (w->conns != NULL)
        w->conns->prev = &u->c;
    w->conns = &u->c;
    w->conn_count++;

    if (uv_read_start((uv_stream_t *)&u->tcp, on_alloc, on_read) == 0)
        u->reading = true;
    unsigned max = srv->opts.max_connections;
    unsigned open = atomic_fetch_add(&srv->open_connections, 1) + 1;
    if (max != 0 && open > max) {
        atomic_fetch_sub(&srv->open_connections, 1);
        gqlx_conn_reject(&u->c, 503);
        return;
    }
    u->c.counted = true;
    gqlx_conn_start(&u->c);
}

/* ---- posts from other threads ------------------------------------------------- */

static void drain_posts(gqlx_worker *w)
{
    for (;;) {
        uv_mutex_lock(&w->post_lock);
        gqlx_post *p = w->post_head;
        w->post_head = w->post_tail = NULL;
        uv_mutex_unlock(&w->post_lock);
        if (p == NULL)
            return;
        while (p != NULL) {
            gqlx_post *next = p->next;
            p->fn(p->arg);
            gqlx_free(p);
            p = next;
        }
    }
}

static void on_wake(uv_async_t *h)
{
    drain_posts(h->data);
}

/* Once the wake handle is closed (the worker has stopped and nothing is
 * left) a post is refused with GQL_EINVAL: no loop would run it. */
int gqlx_worker_post(struct gqlx_worker *w, void (*fn)(void *arg), void *arg)
{
    if (w == NULL || fn == NULL || !w->post_lock_ready)
        return GQL_EINVAL;
    gqlx_post *p = gqlx_malloc(sizeof *p);
    if (p == NULL)
        return GQL_ENOMEM;
    p->fn = fn;
    p->arg = arg;
    p->next = NULL;
    uv_mutex_lock(&w->post_lock);
    if (w->post_closed) {
        uv_mutex_unlock(&w->post_lock);
        gqlx_free(p);
        return GQL_EINVAL;
    }
    if (w->post_tail != NULL)
        w->post_tail->next = p;
    else
        w->post_head = p;
    w->post_tail = p;
    /* Sent under the lock, so the handle cannot be closed in between. */
    uv_async_send(&w->wake);
    uv_mutex_unlock(&w->post_lock);
    return GQL_OK;
}

/* ---- stopping ------------------------------------------------------------------ */

static void close_worker_handle(uv_handle_t *h, bool *open)
{
    if (!*open)
        return;
    *open = false;
    uv_close(h, NULL);
}

static void on_shutdown_timer(uv_timer_t *t)
{
    gqlx_worker *w = t->data;
    for (gqlx_conn *c = w->conns; c != NULL; c = c->next)
        gqlx_conn_abort(c);
}

static void begin_stop(gqlx_worker *w)
{
    if (w->stopping)
        return;
    w->stopping = true;
    if (w->stop_poll_open)
        uv_poll_stop(&w->stop_poll);
    close_worker_handle((uv_handle_t *)&w->stop_poll, &w->stop_poll_open);
    close_worker_handle((uv_handle_t *)&w->listener, &w->listener_open);
    for (gqlx_conn *c = w->conns; c != NULL; c = c->next)
        gqlx_conn_shutdown(c);
    unsigned ms = w->srv->opts.shutdown_timeout_ms;
    if (w->timer_open)
        uv_timer_start(&w->shutdown_timer, on_shutdown_timer, ms ? ms : 1, 0);
    gqlx_worker_check_done(w);
}

static void on_stop_poll(uv_poll_t *h, int status, int events)
{
    (void)status;
    (void)events;
    begin_stop(h->data);
}

void gqlx_worker_check_done(gqlx_worker *w)
{
    if (w->loop == NULL || !w->stopping || w->finishing || w->conn_count > 0 || w->live_count > 0)
        return;
    w->finishing = true;
    close_worker_handle((uv_handle_t *)&w->shutdown_timer, &w->timer_open);
    close_worker_handle((uv_handle_t *)&w->written, &w->written_open);
    if (w->wake_open) {
        uv_mutex_lock(&w->post_lock);
        w->post_closed = true;
        uv_mutex_unlock(&w->post_lock);
        drain_posts(w);
        close_worker_handle((uv_handle_t *)&w->wake, &w->wake_open);
    }
}

/* ---- setting up and tearing down ------------------------------------------------ */

static void worker_zero(gqlx_worker *w, gql_server *srv, unsigned index)
{
    memset(w, 0, sizeof *w);
    w->srv = srv;
    w->index = index;
    gqlx_metrics_init(&w->metrics);
}

void gqlx_worker_init_offline(gqlx_worker *w, gql_server *srv)
{
    worker_zero(w, srv, 0);
}

int gqlx_worker_init(gqlx_worker *w, gql_server *srv, unsigned index, uv_loop_t *host_loop,
                     int listen_fd, char *err, size_t errlen)
{
    worker_zero(w, srv, index);
    int rc;
    const char *what = "event loop";
    if (host_loop != NULL) {
        w->loop = host_loop;
    } else {
        rc = uv_loop_init(&w->own_loop);
        if (rc != 0) {
            close(listen_fd);
            snprintf(err, errlen, "%s: %s", what, uv_strerror(rc));
            return GQL_EIO;
        }
        w->loop = &w->own_loop;
        w->owns_loop = true;
    }
    if (uv_mutex_init(&w->post_lock) == 0)
        w->post_lock_ready = true;

    what = "listener";
    rc = uv_tcp_init(w->loop, &w->listener);
    if (rc == 0) {
        w->listener_open = true;
        w->listener.data = w;
        rc = uv_tcp_open(&w->listener, listen_fd);
        if (rc != 0)
            close(listen_fd);
        else
            rc = uv_listen((uv_stream_t *)&w->listener, 511, on_connection);
    } else {
        close(listen_fd);
    }
    if (rc == 0) {
        what = "stop signal";
        rc = uv_poll_init(w->loop, &w->stop_poll, srv->stop_pipe[0]);
        if (rc == 0) {
            w->stop_poll_open = true;
            w->stop_poll.data = w;
            rc = uv_poll_start(&w->stop_poll, UV_READABLE, on_stop_poll);
        }
    }
    if (rc == 0) {
        what = "wake handle";
        rc = uv_async_init(w->loop, &w->wake, on_wake);
        if (rc == 0) {
            w->wake_open = true;
            w->wake.data = w;
        }
    }
    if (rc == 0) {
        what = "idle handle";
        rc = uv_idle_init(w->loop, &w->written);
        if (rc == 0) {
            w->written_open = true;
            w->written.data = w;
        }
    }
    if (rc == 0) {
        what = "timer";
        rc = uv_timer_init(w->loop, &w->shutdown_timer);
        if (rc == 0) {
            w->timer_open = true;
            w->shutdown_timer.data = w;
        }
    }
    if (rc != 0 || !w->post_lock_ready) {
        snprintf(err, errlen, "%s: %s", what, rc != 0 ? uv_strerror(rc) : "mutex");
        gqlx_worker_abandon(w);
        return rc == UV_ENOMEM ? GQL_ENOMEM : GQL_EIO;
    }
    return GQL_OK;
}

static void worker_main(void *arg)
{
    gqlx_worker *w = arg;
    uv_run(w->loop, UV_RUN_DEFAULT);
}

int gqlx_worker_spawn(gqlx_worker *w)
{
    if (uv_thread_create(&w->thread, worker_main, w) != 0)
        return GQL_ENOMEM;
    w->has_thread = true;
    return GQL_OK;
}

void gqlx_worker_join(gqlx_worker *w)
{
    if (w->has_thread) {
        uv_thread_join(&w->thread);
        w->has_thread = false;
    }
}

void gqlx_worker_abandon(gqlx_worker *w)
{
    if (w->loop == NULL)
        return;
    w->stopping = true;
    w->finishing = true;
    if (w->post_lock_ready) {
        uv_mutex_lock(&w->post_lock);
        w->post_closed = true;
        uv_mutex_unlock(&w->post_lock);
    }
    close_worker_handle((uv_handle_t *)&w->listener, &w->listener_open);
    close_worker_handle((uv_handle_t *)&w->stop_poll, &w->stop_poll_open);
    close_worker_handle((uv_handle_t *)&w->written, &w->written_open);
    close_worker_handle((uv_handle_t *)&w->wake, &w->wake_open);
    close_worker_handle((uv_handle_t *)&w->shutdown_timer, &w->timer_open);
    if (w->owns_loop)
        uv_run(w->loop, UV_RUN_DEFAULT);
}

static void free_user_arena(gqlx_req_slot *s)
{
    if (s->has_user_arena) {
        gqlx_arena_free(&s->user_arena);
        s->has_user_arena = false;
    }
}

static void free_slot(gqlx_req_slot *s)
{
    free_user_arena(s);
    gqlx_arena_free(&s->req.arena);
    gqlx_buf_free(&s->req.resp_headers);
    gqlx_free(s);
}

static void on_walk_close(uv_handle_t *h, void *arg)
{
    (void)arg;
    if (!uv_is_closing(h))
        uv_close(h, NULL);
}

void gqlx_worker_fini(gqlx_worker *w)
{
    if (w->owns_loop) {
        if (uv_loop_close(w->loop) == UV_EBUSY) {
            /* Handles an application left open on our loop. */
            uv_walk(w->loop, on_walk_close, NULL);
            uv_run(w->loop, UV_RUN_DEFAULT);
            uv_loop_close(w->loop);
        }
        w->owns_loop = false;
    }
    w->loop = NULL;
    /* Requests whose handler never answered: nothing can use them now. */
    while (w->live != NULL)
        gqlx_request_finish(&w->live->req, 0, false);
    while (w->pool != NULL) {
        gqlx_req_slot *s = w->pool;
        w->pool = s->next;
        free_slot(s);
    }
    w->pool_count = 0;
    gqlx_post *p = w->post_head;
    while (p != NULL) {
        gqlx_post *next = p->next;
        gqlx_free(p);
        p = next;
    }
    w->post_head = w->post_tail = NULL;
    gqlx_compressor_free(&w->compressor);
    gqlx_ws_zlib_free(w->ws_zlib);
    w->ws_zlib = NULL;
    if (w->post_lock_ready) {
        uv_mutex_destroy(&w->post_lock);
        w->post_lock_ready = false;
    }
}

/* ---- request objects ---------------------------------------------------------------- */

/* A pooled request keeps the largest chunk of its arena for the next
 * request. A bigger one (up to 16 MiB after a big body or result) is given
 * back instead: a burst of big requests must not stay resident in the
 * pool, GQLX_REQUEST_POOL_SIZE times over. */
#define POOL_KEEP_ARENA_BYTES (256u * 1024u)

gql_http_request *gqlx_worker_request_new(gqlx_worker *w)
{
    gqlx_req_slot *s = w->pool;
    if (s != NULL) {
        w->pool = s->next;
        w->pool_count--;
    } else {
        s = gqlx_malloc(sizeof *s);
        if (s == NULL)
            return NULL;
        gqlx_arena_init(&s->req.arena, 0, w->srv->request_memory);
        gqlx_buf_init(&s->req.resp_headers, 0);
    }
    gqlx_arena arena = s->req.arena;
    gqlx_buf headers = s->req.resp_headers;
    memset(s, 0, sizeof *s);
    s->req.arena = arena;
    s->req.resp_headers = headers;
    s->req.server = w->srv;
    s->req.worker = w;
    s->live = true;
    s->next = w->live;
    if (w->live != NULL)
        w->live->prev = s;
    w->live = s;
    w->live_count++;
    return &s->req;
}

void gqlx_worker_request_free(gqlx_worker *w, gql_http_request *req)
{
    gqlx_req_slot *s = (gqlx_req_slot *)req;
    if (s->live) {
        if (s->prev != NULL)
            s->prev->next = s->next;
        else
            w->live = s->next;
        if (s->next != NULL)
            s->next->prev = s->prev;
        s->live = false;
        w->live_count--;
    }
    if (w->pool_count < GQLX_REQUEST_POOL_SIZE) {
        free_user_arena(s);
        gqlx_arena_reset(&req->arena);
        if (gqlx_arena_reserved(&req->arena) > POOL_KEEP_ARENA_BYTES)
            gqlx_arena_free(&req->arena);
        if (req->resp_headers.cap > 4096)
            gqlx_buf_free(&req->resp_headers);
        else
            gqlx_buf_clear(&req->resp_headers);
        s->prev = NULL;
        s->next = w->pool;
        w->pool = s;
        w->pool_count++;
    } else {
        free_slot(s);
    }
    gqlx_worker_check_done(w);
}

const char *gqlx_worker_date(gqlx_worker *w)
{
    time_t now = time(NULL);
    if (now != w->date_sec || w->date[0] == '\0') {
        gqlx_httpdate_format((int64_t)now, w->date);
        w->date_sec = now;
    }
    return w->date;
}
