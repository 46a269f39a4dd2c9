/* src/server/pubsub.c — topics, subscribers and delivery of published
 * events (include/gql/pubsub.h).
 *
 * A topic keeps one group of subscribers per delivery target (an event
 * loop). Publishing takes the pub/sub's lock only to find the topic and
 * post one delivery to each group's loop, so the cost of a publish grows
 * with the number of loops, not of subscribers, and the order of the
 * posts (made under the lock) is the order of publishing. On the loop, a
 * delivery walks its group's list and pushes the shared event into each
 * subscription's stream. A group's list belongs to its loop's thread
 * alone; the lock guards the topic table and the counts that decide when
 * a group or a topic is freed. */
#include "server/pubsub.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/hash.h"
#include "core/json.h"
#include "gql/async.h"
#include "gql/status.h"

/* Arena chunks of an event: most events are small JSON objects. */
#define EVENT_CHUNK_BYTES 1024u
/* Arena chunks of a subscriber's copy of its arguments (filters only). */
#define ARGS_CHUNK_BYTES 256u

typedef struct ps_topic ps_topic;
typedef struct ps_group ps_group;
typedef struct ps_sub ps_sub;

/* One published event, shared by every subscriber on every thread. */
typedef struct ps_event {
    atomic_size_t refs;
    gqlx_arena arena; /* the text and its DOM */
    const gqlx_json *root;
    const char *error; /* an error event's message (in the arena) */
} ps_event;

struct ps_sub {
    ps_sub *prev, *next; /* the group's list */
    ps_group *group;
    gql_stream *stream; /* NULL once the subscription has ended */
    gql_pubsub_filter_fn filter;
    void *data;
    gqlx_arena args_arena; /* the arguments' text and DOM (filters only) */
    const gqlx_json *args;
};

struct ps_group {
    ps_group *next; /* the topic's groups */
    ps_topic *topic;
    gqlx_pubsub_target target;
    /* Under the lock: */
    size_t count; /* live subscribers */
    size_t refs;  /* deliveries posted and not yet finished */
    /* The target's thread only: */
    ps_sub *head, *tail;
    unsigned delivering; /* deliveries on the stack */
    bool dirty;          /* ended subscribers wait to be unlinked */
};

struct ps_topic {
    ps_topic *next; /* the bucket's chain */
    gql_pubsub *ps;
    uint64_t hash;
    size_t len;
    char *name;
    size_t count; /* live subscribers of every group */
    ps_group *groups;
};

struct gql_pubsub {
    pthread_mutex_t lock;
    uint64_t seed;
    ps_topic **buckets;
    size_t bucket_count; /* a power of two */
    size_t topic_count;
};

/* One publish on its way to one group. */
typedef struct ps_delivery {
    ps_group *group;
    ps_event *event;
    struct ps_delivery *next; /* the synchronous deliveries of a publish */
} ps_delivery;

static _Thread_local gqlx_pubsub_target current_target;

void gqlx_pubsub_set_target(const gqlx_pubsub_target *t, gqlx_pubsub_target *prev)
{
    if (prev != NULL)
        *prev = current_target;
    if (t != NULL)
        current_target = *t;
    else
        memset(&current_target, 0, sizeof current_target);
}

/* ---- events ------------------------------------------------------------------ */

static void event_unref(void *arg)
{
    ps_event *e = arg;
    if (atomic_fetch_sub_explicit(&e->refs, 1, memory_order_acq_rel) != 1)
        return;
    gqlx_arena_free(&e->arena);
    gqlx_free(e);
}

static void event_ref(ps_event *e)
{
    atomic_fetch_add_explicit(&e->refs, 1, memory_order_relaxed);
}

static ps_event *event_alloc(void)
{
    ps_event *e = gqlx_malloc(sizeof *e);
    if (e == NULL)
        return NULL;
    atomic_init(&e->refs, 1);
    gqlx_arena_init(&e->arena, EVENT_CHUNK_BYTES, 0);
    e->root = NULL;
    e->error = NULL;
    return e;
}

/* Parses text into a new event (the DOM borrows from a copy of text in
 * the event's arena). Returns GQL_OK or the parser's status. */
static int event_from_text(const char *text, size_t len, ps_event **out)
{
    *out = NULL;
    ps_event *e = event_alloc();
    if (e == NULL)
        return GQL_ENOMEM;
    const char *copy = len > 0 ? gqlx_arena_memdup(&e->arena, text, len) : "";
    gqlx_json *root = NULL;
    int rc = copy != NULL ? gqlx_json_parse(&e->arena, copy, len, NULL, &root, NULL) : GQL_ENOMEM;
    if (rc != GQL_OK) {
        event_unref(e);
        return rc;
    }
    e->root = root;
    *out = e;
    return GQL_OK;
}

/* ---- topics and groups (under the lock) ----------------------------------------- */

static ps_topic *find_topic(gql_pubsub *ps, const char *name, size_t len, uint64_t h)
{
    if (ps->buckets == NULL)
        return NULL;
    for (ps_topic *t = ps->buckets[h & (ps->bucket_count - 1)]; t != NULL; t = t->next)
        if (t->hash == h && t->len == len && memcmp(t->name, name, len) == 0)
            return t;
    return NULL;
}

/* Doubles the table when it is as full as it has buckets. */
static bool grow_table(gql_pubsub *ps)
{
    if (ps->buckets != NULL && ps->topic_count < ps->bucket_count)
        return true;
    size_t n = ps->bucket_count ? ps->bucket_count * 2 : 16;
    ps_topic **b = gqlx_malloc(n * sizeof *b);
    if (b == NULL)
        return ps->buckets != NULL; /* the old table still works */
    memset(b, 0, n * sizeof *b);
    for (size_t i = 0; i < ps->bucket_count; i++) {
        for (ps_topic *t = ps->buckets[i]; t != NULL;) {
            ps_topic *next = t->next;
            t->next = b[t->hash & (n - 1)];
            b[t->hash & (n - 1)] = t;
            t = next;
        }
    }
    gqlx_free(ps->buckets);
    ps->buckets = b;
    ps->bucket_count = n;
    return true;
}

static ps_topic *add_topic(gql_pubsub *ps, const char *name, size_t len, uint64_t h)
{
    if (!grow_table(ps))
        return NULL;
    ps_topic *t = gqlx_malloc(sizeof *t);
    char *copy = gqlx_malloc(len + 1);
    if (t == NULL || copy == NULL) {
        gqlx_free(t);
        gqlx_free(copy);
        return NULL;
    }
    memcpy(copy, name, len);
    copy[len] = '\0';
    memset(t, 0, sizeof *t);
    t->ps = ps;
    t->hash = h;
    t->len = len;
    t->name = copy;
    size_t i = h & (ps->bucket_count - 1);
    t->next = ps->buckets[i];
    ps->buckets[i] = t;
    ps->topic_count++;
    return t;
}

static void remove_topic(gql_pubsub *ps, ps_topic *t)
{
    ps_topic **p = &ps->buckets[t->hash & (ps->bucket_count - 1)];
    while (*p != t)
        p = &(*p)->next;
    *p = t->next;
    ps->topic_count--;
    gqlx_free(t->name);
    gqlx_free(t);
}

/* Frees a group nobody uses any more, and its topic when it was the last
 * group. */
static void maybe_free_group(ps_group *g)
{
    if (g->count > 0 || g->refs > 0)
        return;
    ps_topic *t = g->topic;
    ps_group **p = &t->groups;
    while (*p != g)
        p = &(*p)->next;
    *p = g->next;
    gqlx_free(g);
    if (t->groups == NULL)
        remove_topic(t->ps, t);
}

/* ---- delivery (on the group's thread) ---------------------------------------------- */

static void free_sub(ps_sub *s)
{
    gqlx_arena_free(&s->args_arena);
    gqlx_free(s);
}

static void unlink_sub(ps_group *g, ps_sub *s)
{
    if (s->prev)
        s->prev->next = s->next;
    else
        g->head = s->next;
    if (s->next)
        s->next->prev = s->prev;
    else
        g->tail = s->prev;
}

/* Unlinks the subscribers that ended while a delivery walked the list. */
static void sweep(ps_group *g)
{
    if (g->delivering > 0 || !g->dirty)
        return;
    g->dirty = false;
    for (ps_sub *s = g->head; s != NULL;) {
        ps_sub *next = s->next;
        if (s->stream == NULL) {
            unlink_sub(g, s);
            free_sub(s);
        }
        s = next;
    }
}

static void push_one(ps_sub *s, ps_event *e)
{
    if (e->error != NULL) {
        gql_stream_error(s->stream, e->error);
        return;
    }
    const gql_json *root = (const gql_json *)(const void *)e->root;
    if (s->filter != NULL && !s->filter(root, (const gql_json *)(const void *)s->args, s->data))
        return;
    event_ref(e);
    if (gql_stream_push_shared(s->stream, gql_json_value(root), event_unref, e) != GQL_OK)
        event_unref(e);
}

/* Pushes the event into every subscriber the group had when the delivery
 * began. Subscriptions may end (and new ones start) while it walks: an
 * ended one is only marked, and unlinked once no walk is under way. */
static void deliver(void *arg)
{
    ps_delivery *d = arg;
    ps_group *g = d->group;
    ps_event *e = d->event;
    gqlx_free(d);
    g->delivering++;
    ps_sub *last = g->tail;
    for (ps_sub *s = g->head; s != NULL; s = s->next) {
        if (s->stream != NULL)
            push_one(s, e);
        if (s == last)
            break;
    }
    g->delivering--;
    sweep(g);
    gql_pubsub *ps = g->topic->ps;
    pthread_mutex_lock(&ps->lock);
    g->refs--;
    maybe_free_group(g);
    pthread_mutex_unlock(&ps->lock);
    event_unref(e);
}

/* ---- publishing -------------------------------------------------------------------- */

int gql_pubsub_new(gql_pubsub **out)
{
    if (out == NULL)
        return GQL_EINVAL;
    *out = NULL;
    gql_pubsub *ps = gqlx_malloc(sizeof *ps);
    if (ps == NULL)
        return GQL_ENOMEM;
    memset(ps, 0, sizeof *ps);
    if (pthread_mutex_init(&ps->lock, NULL) != 0) {
        gqlx_free(ps);
        return GQL_ENOMEM;
    }
    ps->seed = gqlx_hash_seed();
    *out = ps;
    return GQL_OK;
}

void gql_pubsub_free(gql_pubsub *ps)
{
    if (ps == NULL)
        return;
    /* Nothing should be left; whatever is (a subscription the application
     * never ended) is released so that it does not leak. */
    for (size_t i = 0; i < ps->bucket_count; i++) {
        for (ps_topic *t = ps->buckets[i]; t != NULL;) {
            ps_topic *next = t->next;
            for (ps_group *g = t->groups; g != NULL;) {
                ps_group *gn = g->next;
                for (ps_sub *s = g->head; s != NULL;) {
                    ps_sub *sn = s->next;
                    free_sub(s);
                    s = sn;
                }
                gqlx_free(g);
                g = gn;
            }
            gqlx_free(t->name);
            gqlx_free(t);
            t = next;
        }
    }
    gqlx_free(ps->buckets);
    pthread_mutex_destroy(&ps->lock);
    gqlx_free(ps);
}

/* Sends e to every group of topic; the publisher's reference to e is
 * released. Deliveries to loops are posted under the lock (so loops see
 * publishes in lock order); those without a loop run here afterwards. */
static int publish_event(gql_pubsub *ps, const char *topic, ps_event *e, size_t *subscribers)
{
    size_t len = strlen(topic);
    uint64_t h = gqlx_hash(topic, len, ps->seed);
    ps_delivery *sync_head = NULL, **sync_tail = &sync_head;
    int rc = GQL_OK;
    pthread_mutex_lock(&ps->lock);
    ps_topic *t = find_topic(ps, topic, len, h);
    if (subscribers != NULL)
        *subscribers = t != NULL ? t->count : 0;
    for (ps_group *g = t != NULL ? t->groups : NULL; g != NULL; g = g->next) {
        if (g->count == 0)
            continue;
        ps_delivery *d = gqlx_malloc(sizeof *d);
        if (d == NULL) {
            rc = GQL_ENOMEM;
            continue;
        }
        d->group = g;
        d->event = e;
        d->next = NULL;
        event_ref(e);
        g->refs++;
        if (g->target.ctx == NULL) {
            *sync_tail = d;
            sync_tail = &d->next;
        } else if (g->target.post(g->target.ctx, deliver, d) != GQL_OK) {
            /* The loop is gone (the server is stopping): its
             * subscribers are ending anyway. */
            g->refs--;
            event_unref(e);
            gqlx_free(d);
        }
    }
    pthread_mutex_unlock(&ps->lock);
    for (ps_delivery *d = sync_head; d != NULL;) {
        ps_delivery *next = d->next;
        deliver(d);
        d = next;
    }
    event_unref(e);
    return rc;
}

int gql_pubsub_publish(gql_pubsub *ps, const char *topic, const char *json, size_t len,
                       size_t *subscribers)
{
    if (subscribers != NULL)
        *subscribers = 0;
    if (ps == NULL || topic == NULL || (json == NULL && len > 0))
        return GQL_EINVAL;
    ps_event *e;
    int rc = event_from_text(json, len, &e);
    if (rc != GQL_OK)
        return rc;
    return publish_event(ps, topic, e, subscribers);
}

int gql_pubsub_publish_json(gql_pubsub *ps, const char *topic, const gql_json *event,
                            size_t *subscribers)
{
    if (subscribers != NULL)
        *subscribers = 0;
    if (ps == NULL || topic == NULL)
        return GQL_EINVAL;
    gqlx_buf b;
    gqlx_buf_init(&b, 0);
    const gqlx_json *v = (const gqlx_json *)(const void *)event;
    int rc = v != NULL ? gqlx_json_write_value(&b, v, GQLX_JSON_WRITE_NUMBER_TEXT)
                       : (gqlx_buf_append_cstr(&b, "null"), b.failed ? GQL_ENOMEM : GQL_OK);
    if (rc == GQL_OK)
        rc = gql_pubsub_publish(ps, topic, b.data, b.len, subscribers);
    gqlx_buf_free(&b);
    return rc;
}

int gql_pubsub_publish_error(gql_pubsub *ps, const char *topic, const char *message,
                             size_t *subscribers)
{
    if (subscribers != NULL)
        *subscribers = 0;
    if (ps == NULL || topic == NULL)
        return GQL_EINVAL;
    ps_event *e = event_alloc();
    if (e == NULL)
        return GQL_ENOMEM;
    const char *m = message != NULL ? message : "Error";
    e->error = gqlx_arena_strndup(&e->arena, m, strlen(m));
    if (e->error == NULL) {
        event_unref(e);
        return GQL_ENOMEM;
    }
    return publish_event(ps, topic, e, subscribers);
}

size_t gql_pubsub_subscriber_count(gql_pubsub *ps, const char *topic)
{
    if (ps == NULL || topic == NULL)
        return 0;
    size_t len = strlen(topic);
    uint64_t h = gqlx_hash(topic, len, ps->seed);
    pthread_mutex_lock(&ps->lock);
    ps_topic *t = find_topic(ps, topic, len, h);
    size_t n = t != NULL ? t->count : 0;
    pthread_mutex_unlock(&ps->lock);
    return n;
}

/* ---- subscribing --------------------------------------------------------------------- */

static bool same_target(const gqlx_pubsub_target *a, const gqlx_pubsub_target *b)
{
    return a->ctx == b->ctx && (a->ctx == NULL || a->post == b->post);
}

/* The stream ended (the subscription is over): stop delivering to it. */
static void on_stream_close(gql_stream *stream, void *data)
{
    (void)stream;
    ps_sub *s = data;
    ps_group *g = s->group;
    s->stream = NULL;
    if (g->delivering > 0) {
        g->dirty = true;
    } else {
        unlink_sub(g, s);
        free_sub(s);
    }
    gql_pubsub *ps = g->topic->ps;
    pthread_mutex_lock(&ps->lock);
    g->count--;
    g->topic->count--;
    maybe_free_group(g);
    pthread_mutex_unlock(&ps->lock);
}

/* Keeps a copy of the subscription's arguments for its filter. */
static bool copy_args(ps_sub *s, gql_info *info)
{
    gqlx_buf b;
    gqlx_buf_init(&b, 0);
    const gqlx_json *args = (const gqlx_json *)(const void *)gql_args(info);
    int rc = gqlx_json_write_value(&b, args, GQLX_JSON_WRITE_NUMBER_TEXT);
    const char *copy = rc == GQL_OK ? gqlx_arena_memdup(&s->args_arena, b.data, b.len) : NULL;
    gqlx_json *root = NULL;
    if (copy != NULL)
        rc = gqlx_json_parse(&s->args_arena, copy, b.len, NULL, &root, NULL);
    gqlx_buf_free(&b);
    s->args = root;
    return copy != NULL && rc == GQL_OK;
}

gql_value gql_pubsub_subscribe(gql_info *info, gql_pubsub *ps, const char *topic,
                               gql_pubsub_filter_fn filter, void *data)
{
    if (info == NULL || ps == NULL || topic == NULL)
        return info != NULL ? gql_error(info, "No pub/sub topic to subscribe to.") : gql_null();
    ps_sub *s = gqlx_malloc(sizeof *s);
    if (s == NULL)
        return gql_error(info, "Out of memory.");
    memset(s, 0, sizeof *s);
    s->filter = filter;
    s->data = data;
    gqlx_arena_init(&s->args_arena, ARGS_CHUNK_BYTES, 0);
    if (filter != NULL && !copy_args(s, info)) {
        free_sub(s);
        return gql_error(info, "Out of memory.");
    }
    size_t len = strlen(topic);
    uint64_t h = gqlx_hash(topic, len, ps->seed);
    gqlx_pubsub_target target = current_target;

    pthread_mutex_lock(&ps->lock);
    ps_topic *t = find_topic(ps, topic, len, h);
    if (t == NULL)
        t = add_topic(ps, topic, len, h);
    ps_group *g = NULL;
    for (ps_group *i = t != NULL ? t->groups : NULL; i != NULL && g == NULL; i = i->next)
        if (same_target(&i->target, &target))
            g = i;
    if (g == NULL && t != NULL && (g = gqlx_malloc(sizeof *g)) != NULL) {
        memset(g, 0, sizeof *g);
        g->topic = t;
        g->target = target;
        g->next = t->groups;
        t->groups = g;
    }
    if (g != NULL) {
        /* Counted now, so the group outlives the unlocked part below. */
        g->count++;
        t->count++;
    } else if (t != NULL && t->groups == NULL) {
        remove_topic(ps, t);
    }
    pthread_mutex_unlock(&ps->lock);
    if (g == NULL) {
        free_sub(s);
        return gql_error(info, "Out of memory.");
    }

    gql_stream *stream = NULL;
    gql_value v = gql_stream_new(info, &stream, on_stream_close, s);
    if (stream == NULL) {
        pthread_mutex_lock(&ps->lock);
        g->count--;
        t->count--;
        maybe_free_group(g);
        pthread_mutex_unlock(&ps->lock);
        free_sub(s);
        return v;
    }
    s->stream = stream;
    s->group = g;
    s->prev = g->tail;
    if (g->tail)
        g->tail->next = s;
    else
        g->head = s;
    g->tail = s;
    return v;
}
