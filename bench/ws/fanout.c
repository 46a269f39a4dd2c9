/* bench/ws/fanout.c — the WebSocket fan-out benchmark's load generator:
 * N graphql-transport-ws subscribers of one topic, publishes over HTTP,
 * the delivery latency of every event (or the events delivered per second
 * under a stream of publishes), the server's memory, and a check that
 * every subscriber received every event exactly once, in order.
 *
 * Usage: fanout --port P [--host 127.0.0.1] [--path /graphql] [--topic tick]
 *          [--connections N] [--publishes K] [--interval-ms M] [--warmup W]
 *          [--throughput --seconds S --in-flight F]
 *          [--batch B] [--settle-ms T] [--timeout-ms T] [--server-pid PID] [--impl NAME]
 *
 * One thread, one libuv loop. Subscribers connect in batches of B at a
 * time (the server's listen backlog must not overflow), each sending the
 * upgrade, connection_init, and after connection_ack a subscribe for
 * `subscription { TOPIC }`. graphql-transport-ws does not acknowledge a
 * subscribe, so the run asks the server (GET /publish/TOPIC) until it
 * counts all N subscriptions, waits --settle-ms, and then publishes
 * {"TOPIC": SEQ} with POST /publish/TOPIC over one keep-alive connection.
 *
 * The latency of one delivery is the time the client reads the `next`
 * message carrying SEQ minus the time just before the publish request was
 * written (uv_hrtime, CLOCK_MONOTONIC, same process). Latency mode: the
 * next publish goes out once the previous one reached every subscriber
 * and --interval-ms passed since it was sent, so that publishes never
 * queue behind each other. Throughput mode: publishes go out as fast as
 * the server acknowledges them while fewer than F are not yet delivered
 * to every subscriber, for S seconds; events delivered per second counts
 * the deliveries from the first timed publish to the last delivery. The
 * first W publishes of either mode are a warm-up: checked, not timed.
 *
 * Prints one JSON line (name "ws_fanout" or "ws_throughput") on standard
 * output and exits 0, or 1 when a subscriber missed, repeated or reordered
 * an event, a connection failed or the server stopped answering (the line
 * then has "failed"), or 2 on bad usage. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <unistd.h>
#include <uv.h>

#include "core/base64.h"
#include "core/sha1.h"

/* The histogram of latencies: one bucket per microsecond up to about a
 * second, then one per millisecond up to about seventeen minutes; the
 * maximum is kept exactly. */
#define FINE_BUCKETS   (1u << 20)
#define COARSE_BUCKETS (1u << 20)
/* Largest handshake answer or HTTP response header read. */
#define MAX_HEAD 8192u
/* File descriptors the program needs besides the subscribers'. */
#define SPARE_FDS 64u

typedef enum { SUB_IDLE, SUB_CONNECTING, SUB_UPGRADING, SUB_INIT, SUB_READY, SUB_CLOSED } sub_state;

typedef enum { PH_CONNECT, PH_COUNT, PH_SETTLE, PH_PUBLISH, PH_DONE } phase;

struct fanout;

/* One subscriber. Bytes of a frame that has not fully arrived wait in
 * pend; everything else is read straight from the loop's buffer. */
typedef struct sub {
    uv_tcp_t tcp;
    uv_connect_t connect;
    struct fanout *fo;
    char *pend;
    uint32_t pend_len, pend_cap;
    uint32_t received; /* `next` messages */
    uint64_t next_seq; /* the sequence number expected next */
    uint8_t state;
    bool inited; /* tcp was initialised, so it must be closed */
} sub;

/* The publishing connection: one request at a time, keep-alive. */
typedef struct publisher {
    uv_tcp_t tcp;
    uv_connect_t connect;
    bool inited, connected, busy, get;
    char in[MAX_HEAD * 2];
    size_t in_len;
} publisher;

typedef struct options {
    const char *host, *path, *topic, *impl;
    int port, server_pid;
    unsigned connections, publishes, warmup, interval_ms, batch, settle_ms, timeout_ms, in_flight;
    double seconds;
    bool throughput;
} options;

typedef struct fanout {
    options o;
    uv_loop_t *loop;
    struct sockaddr_in addr;
    sub *subs;
    publisher pub;
    uv_timer_t timer, watchdog;
    phase ph;
    char key[25], accept[29];
    uint64_t rng;

    unsigned started, ready, setup_failed, closed_later;
    char first_close[160];

    /* Publishes, by sequence number (1-based): when each was written and
     * how many subscribers received it. */
    uint64_t *pub_time;
    uint32_t *pub_got;
    size_t pub_cap;
    uint64_t published, acked, completed;
    uint64_t ack_mismatch;
    char first_mismatch[160];

    uint64_t deliveries, timed_deliveries, out_of_order, unexpected;
    uint64_t t_start, t_ready, t_first_timed, t_last_complete, last_progress;
    uint64_t timed_base; /* deliveries when timing began */

    uint32_t *fine, *coarse;
    uint64_t hist_n, hist_max_ns;
    double hist_sum_ns;

    long rss_before, rss_subscribed, rss_after;
    double cpu_start_s, cpu_end_s; /* the server's CPU time around the publishes */
    char failure[320];
    int exit_code;
} fanout;

static char read_buffer[65536];

/* ---- small helpers ------------------------------------------------------------------ */

static uint64_t next_random(fanout *fo)
{
    fo->rng ^= fo->rng << 13;
    fo->rng ^= fo->rng >> 7;
    fo->rng ^= fo->rng << 17;
    return fo->rng;
}

/* VmRSS of a process in kB, or -1. */
static long rss_kb(int pid)
{
    if (pid <= 0)
        return -1;
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/status", pid);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return -1;
    char line[256];
    long kb = -1;
    while (fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, "VmRSS:", 6) == 0) {
            kb = strtol(line + 6, NULL, 10);
            break;
        }
    }
    fclose(f);
    return kb;
}

/* CPU time (user and system, every thread) a process has used, in
 * seconds, or -1. */
static double cpu_s(int pid)
{
    if (pid <= 0)
        return -1;
    char path[64], line[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return -1;
    size_t n = fread(line, 1, sizeof line - 1, f);
    fclose(f);
    line[n] = '\0';
    /* The command name may hold blanks and parentheses: fields are
     * counted from the last ')'; utime and stime are the 12th and 13th
     * after it. */
    char *p = strrchr(line, ')');
    if (p == NULL)
        return -1;
    unsigned long long ut = 0, st = 0;
    if (sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2)
        return -1;
    return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

/* The value of header `name` in an HTTP head (up to its blank line), or
 * NULL; *len is its length. */
static const char *header_value(const char *head, size_t n, const char *name, size_t *len)
{
    size_t nl = strlen(name);
    const char *p = memchr(head, '\n', n);
    const char *end = head + n;
    while (p != NULL && p + 1 < end) {
        p++;
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (eol == NULL)
            eol = end;
        if ((size_t)(eol - p) > nl && strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
            const char *v = p + nl + 1;
            while (v < eol && (*v == ' ' || *v == '\t'))
                v++;
            const char *ve = eol;
            while (ve > v && (ve[-1] == '\r' || ve[-1] == ' ' || ve[-1] == '\t'))
                ve--;
            *len = (size_t)(ve - v);
            return v;
        }
        p = eol < end ? eol : NULL;
    }
    return NULL;
}

/* The string value of the first "key" in a JSON message, or NULL. The
 * messages are the servers' own, small and flat where it matters. */
static const char *json_string_of(const char *m, size_t n, const char *key, size_t *len)
{
    char quoted[32];
    int k = snprintf(quoted, sizeof quoted, "\"%s\"", key);
    const char *p = memmem(m, n, quoted, (size_t)k);
    if (p == NULL)
        return NULL;
    const char *end = m + n;
    p += k;
    while (p < end && (*p == ' ' || *p == ':'))
        p++;
    if (p >= end || *p != '"')
        return NULL;
    p++;
    const char *q = memchr(p, '"', (size_t)(end - p));
    if (q == NULL)
        return NULL;
    *len = (size_t)(q - p);
    return p;
}

/* The unsigned integer after "key": in m[0..n) (from `from` on), or -1. */
static int64_t json_uint_of(const char *m, size_t n, const char *from, const char *key)
{
    char quoted[80];
    int k = snprintf(quoted, sizeof quoted, "\"%s\"", key);
    const char *end = m + n;
    const char *p = memmem(from, (size_t)(end - from), quoted, (size_t)k);
    if (p == NULL)
        return -1;
    p += k;
    while (p < end && (*p == ' ' || *p == ':'))
        p++;
    if (p >= end || *p < '0' || *p > '9')
        return -1;
    int64_t v = 0;
    while (p < end && *p >= '0' && *p <= '9' && v < INT64_MAX / 10)
        v = v * 10 + (*p++ - '0');
    return v;
}

static void fail(fanout *fo, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void finish(fanout *fo);
static void maybe_publish(fanout *fo);
static void send_get(fanout *fo);

/* Records the first failure and ends the run. */
static void fail(fanout *fo, const char *fmt, ...)
{
    if (fo->failure[0] == '\0') {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(fo->failure, sizeof fo->failure, fmt, ap);
        va_end(ap);
    }
    finish(fo);
}

/* ---- writing --------------------------------------------------------------------- */

typedef struct wreq {
    uv_write_t req;
    char data[];
} wreq;

static void on_written(uv_write_t *req, int status)
{
    (void)status; /* a failed write shows as a failed read */
    free(req);
}

static int send_bytes(uv_stream_t *s, const char *p, size_t n)
{
    wreq *w = malloc(sizeof *w + n);
    if (w == NULL)
        return UV_ENOMEM;
    memcpy(w->data, p, n);
    uv_buf_t b = uv_buf_init(w->data, (unsigned)n);
    int rc = uv_write(&w->req, s, &b, 1, on_written);
    if (rc != 0)
        free(w);
    return rc;
}

/* A client frame (RFC 6455 section 5.2): FIN, masked. */
static int send_frame(sub *c, unsigned opcode, const char *p, size_t n)
{
    unsigned char frame[512];
    if (n > sizeof frame - 8)
        return UV_EINVAL;
    size_t h = 0;
    frame[h++] = (unsigned char)(0x80u | opcode);
    if (n < 126) {
        frame[h++] = (unsigned char)(0x80u | n);
    } else {
        frame[h++] = 0x80u | 126u;
        frame[h++] = (unsigned char)(n >> 8);
        frame[h++] = (unsigned char)n;
    }
    uint64_t r = next_random(c->fo);
    unsigned char mask[4] = {(unsigned char)r, (unsigned char)(r >> 8), (unsigned char)(r >> 16),
                             (unsigned char)(r >> 24)};
    memcpy(frame + h, mask, 4);
    h += 4;
    for (size_t i = 0; i < n; i++)
        frame[h + i] = (unsigned char)p[i] ^ mask[i & 3];
    return send_bytes((uv_stream_t *)&c->tcp, (const char *)frame, h + n);
}

static int send_text(sub *c, const char *text)
{
    return send_frame(c, 1, text, strlen(text));
}

/* ---- latency histogram ----------------------------------------------------------- */

static void hist_add(fanout *fo, uint64_t ns)
{
    uint64_t us = ns / 1000;
    if (us < FINE_BUCKETS) {
        fo->fine[us]++;
    } else {
        uint64_t ms = us / 1000;
        fo->coarse[ms < COARSE_BUCKETS ? ms : COARSE_BUCKETS - 1]++;
    }
    fo->hist_n++;
    fo->hist_sum_ns += (double)ns;
    if (ns > fo->hist_max_ns)
        fo->hist_max_ns = ns;
}

/* The q-quantile in milliseconds (the lower edge of its bucket). */
static double hist_quantile(const fanout *fo, double q)
{
    if (fo->hist_n == 0)
        return 0;
    uint64_t rank = (uint64_t)(q * (double)fo->hist_n + 0.999999);
    if (rank < 1)
        rank = 1;
    uint64_t seen = 0;
    for (size_t i = 0; i < FINE_BUCKETS; i++) {
        seen += fo->fine[i];
        if (seen >= rank)
            return (double)i / 1000.0;
    }
    for (size_t i = 0; i < COARSE_BUCKETS; i++) {
        seen += fo->coarse[i];
        if (seen >= rank)
            return (double)i;
    }
    return (double)fo->hist_max_ns / 1e6;
}

/* ---- publishes -------------------------------------------------------------------- */

static bool grow_publishes(fanout *fo, uint64_t seq)
{
    if (seq < fo->pub_cap)
        return true;
    size_t cap = fo->pub_cap ? fo->pub_cap * 2 : 1024;
    uint64_t *t = realloc(fo->pub_time, cap * sizeof *t);
    if (t == NULL)
        return false;
    fo->pub_time = t;
    uint32_t *g = realloc(fo->pub_got, cap * sizeof *g);
    if (g == NULL)
        return false;
    memset(g + fo->pub_cap, 0, (cap - fo->pub_cap) * sizeof *g);
    fo->pub_got = g;
    fo->pub_cap = cap;
    return true;
}

/* One `next` message with sequence number seq read by c at time now. */
static void deliver(fanout *fo, sub *c, uint64_t seq, uint64_t now)
{
    if (seq == 0 || seq > fo->published) {
        fo->unexpected++;
        return;
    }
    if (seq != c->next_seq)
        fo->out_of_order++;
    if (seq >= c->next_seq)
        c->next_seq = seq + 1;
    c->received++;
    fo->deliveries++;
    if (seq > fo->o.warmup) {
        hist_add(fo, now - fo->pub_time[seq]);
        fo->timed_deliveries++;
    }
    if (++fo->pub_got[seq] == fo->o.connections) {
        fo->completed++;
        fo->t_last_complete = now;
        fo->last_progress = now;
        if (fo->completed == fo->o.warmup && fo->t_first_timed == 0)
            fo->timed_base = fo->deliveries;
        maybe_publish(fo);
    }
}

static void publish(fanout *fo)
{
    uint64_t seq = fo->published + 1;
    if (!grow_publishes(fo, seq)) {
        fail(fo, "out of memory");
        return;
    }
    char body[96], req[512];
    int bl = snprintf(body, sizeof body, "{\"%s\":%" PRIu64 "}", fo->o.topic, seq);
    int rl =
        snprintf(req, sizeof req,
                 "POST /publish/%s HTTP/1.1\r\nHost: %s:%d\r\nContent-Type: application/json\r\n"
                 "Content-Length: %d\r\n\r\n%s",
                 fo->o.topic, fo->o.host, fo->o.port, bl, body);
    fo->published = seq;
    fo->pub_got[seq] = 0;
    fo->pub.busy = true;
    fo->pub.get = false;
    if (seq == (uint64_t)fo->o.warmup + 1)
        fo->t_first_timed = uv_hrtime();
    fo->pub_time[seq] = uv_hrtime();
    int rc = send_bytes((uv_stream_t *)&fo->pub.tcp, req, (size_t)rl);
    if (rc != 0)
        fail(fo, "publish: %s", uv_strerror(rc));
}

static void on_interval(uv_timer_t *t)
{
    maybe_publish(t->data);
}

/* Sends the next publish when the mode allows it, or ends the run. */
static void maybe_publish(fanout *fo)
{
    if (fo->ph != PH_PUBLISH || fo->pub.busy)
        return;
    uint64_t now = uv_hrtime();
    uint64_t outstanding = fo->published - fo->completed;
    if (!fo->o.throughput) {
        uint64_t total = (uint64_t)fo->o.warmup + fo->o.publishes;
        if (outstanding > 0)
            return;
        if (fo->published == total) {
            finish(fo);
            return;
        }
        if (fo->published > 0) {
            uint64_t due = fo->pub_time[fo->published] + (uint64_t)fo->o.interval_ms * 1000000u;
            if (now < due) {
                uv_timer_start(&fo->timer, on_interval, (due - now + 999999) / 1000000, 0);
                return;
            }
        }
        publish(fo);
        return;
    }
    bool warming = fo->published < fo->o.warmup;
    bool over = !warming && fo->t_first_timed != 0 &&
                (double)(now - fo->t_first_timed) >= fo->o.seconds * 1e9;
    if (over) {
        if (outstanding == 0)
            finish(fo);
        return;
    }
    /* The warm-up ends before timing starts: its deliveries are not
     * counted in events per second. */
    if (fo->published == fo->o.warmup && fo->completed < fo->o.warmup)
        return;
    if (outstanding < fo->o.in_flight)
        publish(fo);
}

/* ---- the publishing connection ------------------------------------------------------ */

static void on_count_timer(uv_timer_t *t)
{
    send_get(t->data);
}

static void on_settled(uv_timer_t *t)
{
    fanout *fo = t->data;
    fo->rss_subscribed = rss_kb(fo->o.server_pid);
    fo->cpu_start_s = cpu_s(fo->o.server_pid);
    fo->ph = PH_PUBLISH;
    fo->last_progress = uv_hrtime();
    maybe_publish(fo);
}

/* A whole response: status, body. */
static void on_response(fanout *fo, int status, const char *body, size_t n)
{
    fo->pub.busy = false;
    fo->acked += !fo->pub.get;
    int64_t count = json_uint_of(body, n, body, "subscribers");
    if (fo->pub.get) {
        if (status != 200 || count < 0) {
            fail(fo, "GET /publish/%s answered %d: %.*s", fo->o.topic, status,
                 (int)(n > 120 ? 120 : n), body);
            return;
        }
        if ((uint64_t)count == fo->o.connections) {
            fo->t_ready = uv_hrtime();
            fo->ph = PH_SETTLE;
            uv_timer_start(&fo->timer, on_settled, fo->o.settle_ms, 0);
        } else {
            uv_timer_start(&fo->timer, on_count_timer, 50, 0);
        }
        return;
    }
    if (status != 200 || count != (int64_t)fo->o.connections) {
        if (fo->ack_mismatch++ == 0)
            snprintf(fo->first_mismatch, sizeof fo->first_mismatch,
                     "publish %" PRIu64 ": HTTP %d, %.*s", fo->published, status,
                     (int)(n > 100 ? 100 : n), body);
    }
    fo->last_progress = uv_hrtime();
    maybe_publish(fo);
}

static void on_pub_alloc(uv_handle_t *h, size_t hint, uv_buf_t *buf)
{
    (void)hint;
    publisher *p = h->data;
    buf->base = p->in + p->in_len;
    buf->len = sizeof p->in - p->in_len;
}

static fanout *fanout_of_publisher(publisher *p)
{
    return (fanout *)((char *)p - offsetof(fanout, pub));
}

static void on_pub_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
    (void)buf;
    publisher *p = s->data;
    fanout *fo = fanout_of_publisher(p);
    if (nread < 0) {
        fail(fo, "the publishing connection: %s",
             nread == UV_EOF ? "closed by the server" : uv_strerror((int)nread));
        return;
    }
    p->in_len += (size_t)nread;
    const char *end = memmem(p->in, p->in_len, "\r\n\r\n", 4);
    if (end == NULL) {
        if (p->in_len == sizeof p->in)
            fail(fo, "the publishing connection: response header too large");
        return;
    }
    size_t head = (size_t)(end + 4 - p->in);
    size_t vl = 0;
    const char *cl = header_value(p->in, head, "Content-Length", &vl);
    if (cl == NULL) {
        fail(fo, "the publishing connection: a response without Content-Length");
        return;
    }
    size_t body = (size_t)strtoul(cl, NULL, 10);
    if (head + body > sizeof p->in) {
        fail(fo, "the publishing connection: response too large");
        return;
    }
    if (p->in_len < head + body)
        return;
    int status = p->in_len > 12 && memcmp(p->in, "HTTP/1.", 7) == 0 ? atoi(p->in + 9) : 0;
    char copy[MAX_HEAD];
    size_t n = body < sizeof copy ? body : sizeof copy;
    memcpy(copy, p->in + head, n);
    size_t rest = p->in_len - head - body;
    memmove(p->in, p->in + head + body, rest);
    p->in_len = rest;
    on_response(fo, status, copy, n);
}

static void send_get(fanout *fo)
{
    char req[256];
    int n = snprintf(req, sizeof req, "GET /publish/%s HTTP/1.1\r\nHost: %s:%d\r\n\r\n",
                     fo->o.topic, fo->o.host, fo->o.port);
    fo->pub.busy = true;
    fo->pub.get = true;
    int rc = send_bytes((uv_stream_t *)&fo->pub.tcp, req, (size_t)n);
    if (rc != 0)
        fail(fo, "GET /publish: %s", uv_strerror(rc));
}

static void on_pub_connect(uv_connect_t *req, int status)
{
    fanout *fo = req->data;
    if (status != 0) {
        fail(fo, "the publishing connection: %s", uv_strerror(status));
        return;
    }
    fo->pub.connected = true;
    uv_read_start((uv_stream_t *)&fo->pub.tcp, on_pub_alloc, on_pub_read);
    if (fo->ph == PH_COUNT)
        send_get(fo);
}

/* ---- subscribers ---------------------------------------------------------------------- */

static void start_next(fanout *fo);

/* Ends a subscriber after a problem; before all are ready that fails the
 * run, later the missing deliveries will. */
static void sub_fail(sub *c, const char *why)
{
    fanout *fo = c->fo;
    if (c->state == SUB_CLOSED)
        return;
    bool setup = c->state != SUB_READY || fo->ph == PH_CONNECT;
    c->state = SUB_CLOSED;
    if (!uv_is_closing((uv_handle_t *)&c->tcp))
        uv_close((uv_handle_t *)&c->tcp, NULL);
    if (fo->ph == PH_DONE)
        return;
    if (setup && fo->ph == PH_CONNECT) {
        fo->setup_failed++;
        fail(fo, "subscriber %u: %s", (unsigned)(c - fo->subs), why);
        return;
    }
    if (fo->closed_later++ == 0)
        snprintf(fo->first_close, sizeof fo->first_close, "subscriber %u: %s",
                 (unsigned)(c - fo->subs), why);
}

static void sub_ready(sub *c)
{
    fanout *fo = c->fo;
    char msg[256];
    snprintf(
        msg, sizeof msg,
        "{\"id\":\"1\",\"type\":\"subscribe\",\"payload\":{\"query\":\"subscription { %s }\"}}",
        fo->o.topic);
    if (send_text(c, msg) != 0) {
        sub_fail(c, "cannot send subscribe");
        return;
    }
    c->state = SUB_READY;
    c->next_seq = 1;
    fo->ready++;
    fo->last_progress = uv_hrtime();
    if (fo->ready == fo->o.connections) {
        fo->ph = PH_COUNT;
        if (fo->pub.connected)
            send_get(fo);
    } else {
        start_next(fo);
    }
}

/* One text message from the server. */
static void on_message(sub *c, const char *m, size_t n, uint64_t now)
{
    fanout *fo = c->fo;
    size_t tl = 0;
    const char *type = json_string_of(m, n, "type", &tl);
    if (type == NULL) {
        sub_fail(c, "a message without a type");
        return;
    }
#define IS(lit) (tl == sizeof lit - 1 && memcmp(type, lit, tl) == 0)
    if (IS("next")) {
        const char *data = memmem(m, n, "\"data\"", 6);
        int64_t seq = data != NULL ? json_uint_of(m, n, data, fo->o.topic) : -1;
        if (c->state != SUB_READY || seq < 0) {
            fo->unexpected++;
            return;
        }
        deliver(fo, c, (uint64_t)seq, now);
    } else if (IS("connection_ack")) {
        if (c->state == SUB_INIT)
            sub_ready(c);
    } else if (IS("ping")) {
        send_text(c, "{\"type\":\"pong\"}");
    } else if (IS("pong")) {
        /* nothing to do */
    } else {
        char why[200];
        snprintf(why, sizeof why, "unexpected message %.*s", (int)(n > 150 ? 150 : n), m);
        sub_fail(c, why);
    }
#undef IS
}

/* The server's handshake answer in p[0..n): 101, the accept value for our
 * key, our sub-protocol. Returns the bytes of the head, 0 when it has not
 * fully arrived, or -1 after failing the subscriber. */
static long on_upgrade(sub *c, const char *p, size_t n)
{
    const char *end = memmem(p, n, "\r\n\r\n", 4);
    if (end == NULL) {
        if (n > MAX_HEAD) {
            sub_fail(c, "handshake answer too large");
            return -1;
        }
        return 0;
    }
    size_t head = (size_t)(end + 4 - p);
    size_t al = 0, pl = 0;
    const char *accept = header_value(p, head, "Sec-WebSocket-Accept", &al);
    const char *proto = header_value(p, head, "Sec-WebSocket-Protocol", &pl);
    if (head < 12 || memcmp(p, "HTTP/1.1 101", 12) != 0) {
        char why[200];
        const char *eol = memchr(p, '\r', head);
        snprintf(why, sizeof why, "upgrade refused: %.*s", (int)(eol ? eol - p : 60), p);
        sub_fail(c, why);
        return -1;
    }
    if (accept == NULL || al != 28 || memcmp(accept, c->fo->accept, 28) != 0) {
        sub_fail(c, "wrong Sec-WebSocket-Accept");
        return -1;
    }
    if (proto == NULL || pl != strlen("graphql-transport-ws") ||
        memcmp(proto, "graphql-transport-ws", pl) != 0) {
        sub_fail(c, "the server did not choose graphql-transport-ws");
        return -1;
    }
    c->state = SUB_INIT;
    if (send_text(c, "{\"type\":\"connection_init\"}") != 0) {
        sub_fail(c, "cannot send connection_init");
        return -1;
    }
    return (long)head;
}

/* Handles the complete frames of p[0..n); returns the bytes used. */
static size_t consume(sub *c, const char *p, size_t n, uint64_t now)
{
    size_t off = 0;
    if (c->state == SUB_UPGRADING) {
        long head = on_upgrade(c, p, n);
        if (head <= 0)
            return head < 0 ? n : 0;
        off = (size_t)head;
    }
    while (n - off >= 2 && c->state != SUB_CLOSED) {
        const unsigned char *f = (const unsigned char *)p + off;
        size_t avail = n - off, h = 2;
        uint64_t len = f[1] & 0x7fu;
        if (f[1] & 0x80u) {
            sub_fail(c, "a masked frame from the server");
            return n;
        }
        if (len == 126) {
            if (avail < 4)
                break;
            len = (uint64_t)f[2] << 8 | f[3];
            h = 4;
        } else if (len == 127) {
            if (avail < 10)
                break;
            len = 0;
            for (int i = 0; i < 8; i++)
                len = len << 8 | f[2 + i];
            h = 10;
        }
        if (len > (1u << 24)) {
            sub_fail(c, "a frame over 16 MiB");
            return n;
        }
        if (avail - h < len)
            break;
        unsigned opcode = f[0] & 0x0fu;
        const char *payload = (const char *)f + h;
        if (!(f[0] & 0x80u) || opcode == 0) {
            sub_fail(c, "a fragmented message (not expected for small messages)");
            return n;
        }
        if (opcode == 1) {
            on_message(c, payload, (size_t)len, now);
        } else if (opcode == 8) {
            char why[200];
            unsigned code =
                len >= 2 ? (unsigned)((unsigned char)payload[0] << 8 | (unsigned char)payload[1])
                         : 0;
            snprintf(why, sizeof why, "closed by the server: %u %.*s", code,
                     (int)(len > 2 ? (len > 120 ? 118 : len - 2) : 0), payload + 2);
            sub_fail(c, why);
            return n;
        } else if (opcode == 9) {
            send_frame(c, 10, payload, (size_t)len);
        }
        off += h + (size_t)len;
    }
    return off;
}

static void on_sub_alloc(uv_handle_t *h, size_t hint, uv_buf_t *buf)
{
    (void)h;
    (void)hint;
    buf->base = read_buffer;
    buf->len = sizeof read_buffer;
}

static bool keep(sub *c, const char *p, size_t n)
{
    if (n > c->pend_cap) {
        size_t cap = n < 256 ? 256 : n * 2;
        char *b = realloc(c->pend, cap);
        if (b == NULL)
            return false;
        c->pend = b;
        c->pend_cap = (uint32_t)cap;
    }
    memmove(c->pend, p, n);
    c->pend_len = (uint32_t)n;
    return true;
}

static void on_sub_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
    sub *c = s->data;
    if (nread < 0) {
        sub_fail(c, nread == UV_EOF ? "closed by the server (no close frame)"
                                    : uv_strerror((int)nread));
        return;
    }
    if (nread == 0)
        return;
    /* The moment the bytes are read: every message in them was read now. */
    uint64_t now = uv_hrtime();
    const char *p = buf->base;
    size_t n = (size_t)nread;
    if (c->pend_len > 0) {
        size_t need = c->pend_len + n;
        if (need > c->pend_cap) {
            char *b = realloc(c->pend, need);
            if (b == NULL) {
                sub_fail(c, "out of memory");
                return;
            }
            c->pend = b;
            c->pend_cap = (uint32_t)need;
        }
        memcpy(c->pend + c->pend_len, p, n);
        p = c->pend;
        n = need;
    }
    size_t used = consume(c, p, n, now);
    if (c->state == SUB_CLOSED)
        return;
    if (used == n) {
        c->pend_len = 0;
        /* Idle subscribers hold no buffer. */
        free(c->pend);
        c->pend = NULL;
        c->pend_cap = 0;
    } else if (!keep(c, p + used, n - used)) {
        sub_fail(c, "out of memory");
    }
}

static void on_sub_connect(uv_connect_t *req, int status)
{
    sub *c = req->data;
    fanout *fo = c->fo;
    if (status != 0) {
        sub_fail(c, uv_strerror(status));
        return;
    }
    c->state = SUB_UPGRADING;
    char up[512];
    int n =
        snprintf(up, sizeof up,
                 "GET %s HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                 "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n"
                 "Sec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n",
                 fo->o.path, fo->o.host, fo->o.port, fo->key);
    int rc = uv_read_start((uv_stream_t *)&c->tcp, on_sub_alloc, on_sub_read);
    if (rc == 0)
        rc = send_bytes((uv_stream_t *)&c->tcp, up, (size_t)n);
    if (rc != 0)
        sub_fail(c, uv_strerror(rc));
}

/* Starts connections until B are being set up or all are started. */
static void start_next(fanout *fo)
{
    while (fo->ph == PH_CONNECT && fo->started < fo->o.connections &&
           fo->started - fo->ready < fo->o.batch) {
        sub *c = &fo->subs[fo->started++];
        c->fo = fo;
        c->state = SUB_CONNECTING;
        int rc = uv_tcp_init(fo->loop, &c->tcp);
        if (rc == 0) {
            c->inited = true;
            c->tcp.data = c;
            c->connect.data = c;
            uv_tcp_nodelay(&c->tcp, 1);
            rc = uv_tcp_connect(&c->connect, &c->tcp, (const struct sockaddr *)&fo->addr,
                                on_sub_connect);
        }
        if (rc != 0) {
            if (c->inited)
                sub_fail(c, uv_strerror(rc));
            else
                fail(fo, "subscriber %u: %s", fo->started - 1, uv_strerror(rc));
            return;
        }
    }
}

/* ---- the run ------------------------------------------------------------------------ */

static void on_watchdog(uv_timer_t *t)
{
    fanout *fo = t->data;
    uint64_t now = uv_hrtime();
    if (fo->ph == PH_SETTLE || now - fo->last_progress < (uint64_t)fo->o.timeout_ms * 1000000u)
        return;
    switch (fo->ph) {
    case PH_CONNECT:
        fail(fo, "no progress for %u ms while connecting: %u of %u subscribed", fo->o.timeout_ms,
             fo->ready, fo->o.connections);
        break;
    case PH_COUNT:
        fail(fo, "the server did not count %u subscriptions within %u ms%s%s", fo->o.connections,
             fo->o.timeout_ms, fo->closed_later ? "; first lost connection: " : "",
             fo->first_close);
        break;
    default:
        fail(fo, "no progress for %u ms: publish %" PRIu64 " reached %u of %u subscribers%s%s",
             fo->o.timeout_ms, fo->published, fo->published ? fo->pub_got[fo->published] : 0,
             fo->o.connections, fo->closed_later ? "; first lost connection: " : "",
             fo->first_close);
        break;
    }
}

/* Prints s as a JSON string: quotes and backslashes escaped, control
 * characters as blanks (the texts are ours or short server answers). */
static void print_json_string(const char *s)
{
    putchar('"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            putchar('\\');
        putchar((unsigned char)*s < 0x20 ? ' ' : *s);
    }
    putchar('"');
}

static void emit(fanout *fo)
{
    const options *o = &fo->o;
    uint64_t total = fo->published;
    uint64_t lost = 0, dup = 0;
    unsigned incomplete = 0;
    for (unsigned i = 0; i < fo->started; i++) {
        const sub *c = &fo->subs[i];
        if (c->received < total) {
            lost += total - c->received;
            incomplete++;
        } else {
            dup += c->received - total;
        }
    }
    if (fo->started < o->connections)
        incomplete += o->connections - fo->started;
    if (fo->failure[0] == '\0' &&
        (lost || dup || fo->out_of_order || fo->unexpected || fo->closed_later))
        snprintf(fo->failure, sizeof fo->failure,
                 "%" PRIu64 " events lost (%u subscribers incomplete), %" PRIu64
                 " duplicated, %" PRIu64 " out of order, %" PRIu64
                 " unexpected messages, %u connections lost%s%s",
                 lost, incomplete, dup, fo->out_of_order, fo->unexpected, fo->closed_later,
                 fo->closed_later ? " — first: " : "", fo->first_close);

    printf("{\"name\":\"%s\",\"impl\":\"%s\",\"connections\":%u,\"topic\":\"%s\"",
           o->throughput ? "ws_throughput" : "ws_fanout", o->impl, o->connections, o->topic);
    double setup_s = fo->t_ready ? (double)(fo->t_ready - fo->t_start) / 1e9 : 0;
    printf(",\"setup_s\":%.3f,\"publishes\":%" PRIu64 ",\"warmup\":%u,\"deliveries\":%" PRIu64,
           setup_s, total > o->warmup ? total - o->warmup : 0, o->warmup, fo->deliveries);
    if (o->throughput) {
        double secs = fo->t_first_timed && fo->t_last_complete > fo->t_first_timed
                          ? (double)(fo->t_last_complete - fo->t_first_timed) / 1e9
                          : 0;
        uint64_t counted = fo->deliveries - fo->timed_base;
        printf(",\"in_flight\":%u,\"seconds\":%.3f,\"events_per_s\":%.0f,\"publishes_per_s\":%.1f",
               o->in_flight, secs, secs > 0 ? (double)counted / secs : 0,
               secs > 0 ? (double)(total - o->warmup) / secs : 0);
    } else {
        printf(",\"interval_ms\":%u", o->interval_ms);
    }
    if (fo->hist_n > 0)
        printf(",\"p50_ms\":%.3f,\"p90_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f,\"mean_ms\":%.3f",
               hist_quantile(fo, 0.50), hist_quantile(fo, 0.90), hist_quantile(fo, 0.99),
               (double)fo->hist_max_ns / 1e6, fo->hist_sum_ns / (double)fo->hist_n / 1e6);
    if (fo->rss_before >= 0) {
        printf(",\"rss_before_kb\":%ld,\"rss_subscribed_kb\":%ld,\"rss_after_kb\":%ld",
               fo->rss_before, fo->rss_subscribed, fo->rss_after);
        if (fo->rss_subscribed >= 0)
            printf(",\"bytes_per_conn\":%.0f",
                   (double)(fo->rss_subscribed - fo->rss_before) * 1024.0 / o->connections);
    }
    /* The server's CPU time over the publishes (warm-up included), per
     * event delivered: steadier than latency on a busy machine. */
    if (fo->cpu_start_s >= 0 && fo->cpu_end_s >= fo->cpu_start_s && fo->deliveries > 0)
        printf(",\"server_cpu_s\":%.2f,\"cpu_us_per_event\":%.2f", fo->cpu_end_s - fo->cpu_start_s,
               (fo->cpu_end_s - fo->cpu_start_s) * 1e6 / (double)fo->deliveries);
    printf(",\"lost\":%" PRIu64 ",\"duplicates\":%" PRIu64 ",\"out_of_order\":%" PRIu64
           ",\"connections_lost\":%u,\"ack_mismatch\":%" PRIu64,
           lost, dup, fo->out_of_order, fo->closed_later, fo->ack_mismatch);
    if (fo->ack_mismatch) {
        printf(",\"ack_note\":");
        print_json_string(fo->first_mismatch);
    }
    if (fo->failure[0] != '\0') {
        printf(",\"failed\":");
        print_json_string(fo->failure);
    }
    printf("}\n");
    fflush(stdout);
    if (fo->failure[0] != '\0')
        fprintf(stderr, "fanout: %s\n", fo->failure);
}

static void finish(fanout *fo)
{
    if (fo->ph == PH_DONE)
        return;
    fo->ph = PH_DONE;
    fo->rss_after = rss_kb(fo->o.server_pid);
    fo->cpu_end_s = cpu_s(fo->o.server_pid);
    emit(fo);
    fo->exit_code = fo->failure[0] != '\0' ? 1 : 0;
    uv_timer_stop(&fo->timer);
    uv_timer_stop(&fo->watchdog);
    uv_close((uv_handle_t *)&fo->timer, NULL);
    uv_close((uv_handle_t *)&fo->watchdog, NULL);
    if (fo->pub.inited && !uv_is_closing((uv_handle_t *)&fo->pub.tcp))
        uv_close((uv_handle_t *)&fo->pub.tcp, NULL);
    for (unsigned i = 0; i < fo->started; i++) {
        sub *c = &fo->subs[i];
        c->state = SUB_CLOSED;
        if (c->inited && !uv_is_closing((uv_handle_t *)&c->tcp))
            uv_close((uv_handle_t *)&c->tcp, NULL);
    }
}

/* ---- options ------------------------------------------------------------------------- */

static void usage(const char *problem)
{
    if (problem != NULL)
        fprintf(stderr, "fanout: %s\n", problem);
    fputs(
        "usage: fanout --port P [--host 127.0.0.1] [--path /graphql] [--topic tick]\n"
        "         [--connections N] [--publishes K] [--interval-ms M] [--warmup W]\n"
        "         [--throughput --seconds S --in-flight F]\n"
        "         [--batch B] [--settle-ms T] [--timeout-ms T] [--server-pid PID] [--impl NAME]\n",
        stderr);
    exit(2);
}

static unsigned uint_arg(const char *name, const char *v, unsigned min)
{
    char *end;
    errno = 0;
    unsigned long x = strtoul(v, &end, 10);
    if (errno != 0 || *end != '\0' || v[0] == '-' || x < min || x > 100000000ul) {
        fprintf(stderr, "fanout: %s needs a whole number of at least %u\n", name, min);
        exit(2);
    }
    return (unsigned)x;
}

static bool graphql_name(const char *s)
{
    if (!(*s == '_' || (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z')))
        return false;
    for (s++; *s; s++)
        if (!(*s == '_' || (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
              (*s >= '0' && *s <= '9')))
            return false;
    return true;
}

static void parse_options(options *o, int argc, char **argv)
{
    *o = (options){.host = "127.0.0.1",
                   .path = "/graphql",
                   .topic = "tick",
                   .impl = "server",
                   .port = 0,
                   .server_pid = 0,
                   .connections = 0,
                   .publishes = 20,
                   .warmup = ~0u,
                   .interval_ms = 100,
                   .batch = 256,
                   .settle_ms = 1000,
                   .timeout_ms = 30000,
                   .in_flight = 16,
                   .seconds = 5,
                   .throughput = false};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--throughput") == 0) {
            o->throughput = true;
            continue;
        }
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)
            usage(NULL);
        if (i + 1 >= argc)
            usage("an option without its value");
        const char *v = argv[++i];
        if (strcmp(a, "--host") == 0)
            o->host = v;
        else if (strcmp(a, "--port") == 0)
            o->port = (int)uint_arg(a, v, 1);
        else if (strcmp(a, "--path") == 0)
            o->path = v;
        else if (strcmp(a, "--topic") == 0)
            o->topic = v;
        else if (strcmp(a, "--impl") == 0)
            o->impl = v;
        else if (strcmp(a, "--connections") == 0)
            o->connections = uint_arg(a, v, 1);
        else if (strcmp(a, "--publishes") == 0)
            o->publishes = uint_arg(a, v, 1);
        else if (strcmp(a, "--warmup") == 0)
            o->warmup = uint_arg(a, v, 0);
        else if (strcmp(a, "--interval-ms") == 0)
            o->interval_ms = uint_arg(a, v, 0);
        else if (strcmp(a, "--batch") == 0)
            o->batch = uint_arg(a, v, 1);
        else if (strcmp(a, "--settle-ms") == 0)
            o->settle_ms = uint_arg(a, v, 0);
        else if (strcmp(a, "--timeout-ms") == 0)
            o->timeout_ms = uint_arg(a, v, 100);
        else if (strcmp(a, "--in-flight") == 0)
            o->in_flight = uint_arg(a, v, 1);
        else if (strcmp(a, "--seconds") == 0)
            o->seconds = uint_arg(a, v, 1);
        else if (strcmp(a, "--server-pid") == 0)
            o->server_pid = (int)uint_arg(a, v, 1);
        else
            usage("unknown option");
    }
    if (o->port == 0 || o->port > 65535)
        usage("--port is required");
    if (!graphql_name(o->topic) || strlen(o->topic) > 60)
        usage("--topic must be a GraphQL name of at most 60 characters");
    if (strlen(o->impl) > 60 || strpbrk(o->impl, "\"\\") != NULL || strlen(o->host) > 200 ||
        strlen(o->path) > 200 || o->path[0] != '/')
        usage("bad --impl, --host or --path");
    if (o->connections == 0)
        o->connections = o->throughput ? 1000 : 10000;
    if (o->warmup == ~0u)
        o->warmup = o->throughput ? 20 : 2;
}

/* Raises the soft limit on open files to the hard one; fails when N
 * connections do not fit. */
static int raise_fd_limit(unsigned n)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0) {
        perror("fanout: getrlimit");
        return -1;
    }
    if (rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &rl) != 0) {
            perror("fanout: setrlimit");
            return -1;
        }
    }
    if (rl.rlim_cur != RLIM_INFINITY && (rlim_t)n + SPARE_FDS > rl.rlim_cur) {
        fprintf(stderr,
                "fanout: %u connections need %u open files; the hard limit (ulimit -Hn) is %llu: "
                "use at most %llu connections or raise the limit\n",
                n, n + SPARE_FDS, (unsigned long long)rl.rlim_max,
                (unsigned long long)(rl.rlim_max > SPARE_FDS ? rl.rlim_max - SPARE_FDS : 0));
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    static fanout fo;
    parse_options(&fo.o, argc, argv);
    if (raise_fd_limit(fo.o.connections) != 0)
        return 2;
    if (uv_ip4_addr(fo.o.host, fo.o.port, &fo.addr) != 0) {
        fprintf(stderr, "fanout: --host must be an IPv4 address\n");
        return 2;
    }
    fo.loop = uv_default_loop();
    fo.rng = uv_hrtime() | 1u;
    unsigned char raw[16];
    for (size_t i = 0; i < sizeof raw; i++)
        raw[i] = (unsigned char)next_random(&fo);
    gqlx_base64_encode(raw, sizeof raw, fo.key);
    {
        char cat[64];
        int n = snprintf(cat, sizeof cat, "%s258EAFA5-E914-47DA-95CA-C5AB0DC85B11", fo.key);
        unsigned char digest[GQLX_SHA1_DIGEST_BYTES];
        gqlx_sha1(cat, (size_t)n, digest);
        gqlx_base64_encode(digest, sizeof digest, fo.accept);
    }
    fo.subs = calloc(fo.o.connections, sizeof *fo.subs);
    fo.fine = calloc(FINE_BUCKETS, sizeof *fo.fine);
    fo.coarse = calloc(COARSE_BUCKETS, sizeof *fo.coarse);
    if (fo.subs == NULL || fo.fine == NULL || fo.coarse == NULL || !grow_publishes(&fo, 1)) {
        fprintf(stderr, "fanout: out of memory\n");
        return 2;
    }
    fo.rss_before = rss_kb(fo.o.server_pid);
    fo.rss_subscribed = fo.rss_after = -1;
    fo.cpu_start_s = fo.cpu_end_s = -1;
    fo.t_start = fo.last_progress = uv_hrtime();

    uv_timer_init(fo.loop, &fo.timer);
    uv_timer_init(fo.loop, &fo.watchdog);
    fo.timer.data = fo.watchdog.data = &fo;
    uv_timer_start(&fo.watchdog, on_watchdog, 250, 250);

    uv_tcp_init(fo.loop, &fo.pub.tcp);
    fo.pub.inited = true;
    fo.pub.tcp.data = &fo.pub;
    fo.pub.connect.data = &fo;
    uv_tcp_nodelay(&fo.pub.tcp, 1);
    int rc = uv_tcp_connect(&fo.pub.connect, &fo.pub.tcp, (const struct sockaddr *)&fo.addr,
                            on_pub_connect);
    if (rc != 0)
        fail(&fo, "the publishing connection: %s", uv_strerror(rc));
    else
        start_next(&fo);

    uv_run(fo.loop, UV_RUN_DEFAULT);
    for (unsigned i = 0; i < fo.o.connections; i++)
        free(fo.subs[i].pend);
    free(fo.subs);
    free(fo.fine);
    free(fo.coarse);
    free(fo.pub_time);
    free(fo.pub_got);
    uv_loop_close(fo.loop);
    return fo.exit_code;
}
