/* examples/chat/resolvers.c — resolvers of the chat's schema.
 *
 * Every resolver that needs the database checks its arguments on the
 * request's thread, then hands a job to the thread pool with gql_offload
 * and returns the pending value: no SQLite call ever runs on an event
 * loop. Records built by a job live in the job's memory, which the engine
 * keeps until the response is sent. Mutations publish their message once
 * it is committed. */
#include "resolvers.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cursor.h"
#include "event.h"
#include "store.h"

/* Limits on what clients send, counted in characters (code points). */
#define CHAT_MAX_CONTENT 2000 /* a message's text */
#define CHAT_MAX_ID      64   /* a user id */
#define CHAT_MAX_NAME    64   /* a display name */
#define CHAT_MAX_PAGE    100  /* messages(first:) */

#define BAD_INPUT "{\"code\":\"BAD_USER_INPUT\"}"

/* A job for the pool: the app and whichever inputs its kind uses, in the
 * request's memory. */
typedef struct job {
    chat_app *app;
    int64_t id;
    unsigned first;
    int with_total;
    chat_new_message in;
    chat_user *user;
} job;

static void *work_alloc(void *work, size_t size)
{
    return gql_work_alloc(work, size);
}

static void *info_alloc(void *info, size_t size)
{
    return gql_alloc(info, size);
}

static chat_alloc in_work(gql_work *w)
{
    return (chat_alloc){work_alloc, w};
}

static job *new_job(gql_info *info)
{
    job *j = gql_alloc(info, sizeof *j);
    if (j != NULL) {
        memset(j, 0, sizeof *j);
        j->app = gql_info_data(info);
    }
    return j;
}

/* The field's value when the store failed (CHAT_NOT_FOUND is the
 * caller's to handle); the detail of a database error is in the log. */
static gql_value failed(gql_work *w, int rc)
{
    return gql_work_error(w, rc == CHAT_ENOMEM ? "Out of memory." : "Internal database error.");
}

static gql_value str(chat_str s)
{
    return gql_string(s.ptr, s.len);
}

/* A message id given as an ID: the decimal digits of a positive number,
 * else -1 (no message can have it). */
static int64_t parse_id(const char *s, size_t len)
{
    if (s == NULL || len == 0 || len > 18)
        return -1;
    int64_t id = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        id = id * 10 + (s[i] - '0');
    }
    return id;
}

static size_t chars(chat_str s)
{
    size_t n = 0;
    for (size_t i = 0; i < s.len; i++)
        n += ((unsigned char)s.ptr[i] & 0xC0) != 0x80;
    return n;
}

static int blank(chat_str s)
{
    for (size_t i = 0; i < s.len; i++)
        if (strchr(" \t\r\n\v\f", s.ptr[i]) == NULL || s.ptr[i] == '\0')
            return 0;
    return 1;
}

/* A copy of s in the request's memory (which outlives the job). */
static int keep(gql_info *info, chat_str *s)
{
    if (s->ptr == NULL)
        return 0;
    char *copy = gql_alloc(info, s->len + 1);
    if (copy == NULL)
        return -1;
    memcpy(copy, s->ptr, s->len);
    copy[s->len] = '\0';
    s->ptr = copy;
    return 0;
}

/* ---- publishing ------------------------------------------------------------ */

static void publish(gql_pubsub *ps, const char *topic, const chat_message *m)
{
    size_t len;
    char *text = chat_event_json(m, &len);
    int rc = text ? gql_pubsub_publish(ps, topic, text, len, NULL) : GQL_ENOMEM;
    if (rc != GQL_OK)
        fprintf(stderr, "chat: cannot publish to %s: %s\n", topic, gql_strerror(rc));
    free(text);
}

static void publish_added(const chat_message *m, void *app)
{
    publish(((chat_app *)app)->ps, "messageAdded", m);
}

static void publish_deleted(const chat_message *m, void *app)
{
    publish(((chat_app *)app)->ps, "messageDeleted", m);
}

/* ---- Query ----------------------------------------------------------------- */

static gql_value work_page(gql_work *w, void *arg)
{
    job *j = arg;
    chat_page *page = gql_work_alloc(w, sizeof *page);
    if (page == NULL)
        return failed(w, CHAT_ENOMEM);
    int rc = chat_store_page(j->app->db, j->id, j->first, j->with_total, in_work(w), page);
    return rc == CHAT_OK ? gql_object(page, "MessageConnection") : failed(w, rc);
}

static gql_value query_messages(gql_info *info, gql_value parent)
{
    (void)parent;
    int64_t first = gql_arg_int(info, "first", 20);
    if (first < 0 || first > CHAT_MAX_PAGE)
        return gql_error_ext(info, BAD_INPUT, "first must be between 0 and %d.", CHAT_MAX_PAGE);
    size_t len = 0;
    const char *after = gql_arg_string(info, "after", &len);
    int64_t after_id = after ? chat_cursor_decode(after, len) : 0;
    if (after_id < 0)
        return gql_error_ext(info, BAD_INPUT, "after is not a cursor of this list.");
    job *j = new_job(info);
    if (j == NULL)
        return gql_error(info, "Out of memory.");
    j->id = after_id;
    j->first = (unsigned)first;
    j->with_total = gql_info_selects(info, "totalCount");
    return gql_offload(info, NULL, work_page, j);
}

static gql_value work_message(gql_work *w, void *arg)
{
    job *j = arg;
    chat_message *m;
    int rc = chat_store_message(j->app->db, j->id, in_work(w), &m);
    if (rc == CHAT_NOT_FOUND)
        return gql_null();
    return rc == CHAT_OK ? gql_object(m, "Message") : failed(w, rc);
}

static gql_value query_message(gql_info *info, gql_value parent)
{
    (void)parent;
    size_t len = 0;
    const char *id = gql_arg_string(info, "id", &len);
    job *j = new_job(info);
    if (j == NULL)
        return gql_error(info, "Out of memory.");
    if ((j->id = parse_id(id, len)) < 0)
        return gql_null();
    return gql_offload(info, NULL, work_message, j);
}

static gql_value work_count(gql_work *w, void *arg)
{
    job *j = arg;
    int64_t n;
    int rc = chat_store_message_count(j->app->db, &n);
    return rc == CHAT_OK ? gql_int(n) : failed(w, rc);
}

static gql_value query_message_count(gql_info *info, gql_value parent)
{
    (void)parent;
    job *j = new_job(info);
    return j ? gql_offload(info, NULL, work_count, j) : gql_error(info, "Out of memory.");
}

static gql_value work_users(gql_work *w, void *arg)
{
    job *j = arg;
    chat_user **users;
    size_t n;
    int rc = chat_store_users(j->app->db, in_work(w), &users, &n);
    return rc == CHAT_OK ? gql_object_list((void *const *)users, n, "User") : failed(w, rc);
}

static gql_value query_users(gql_info *info, gql_value parent)
{
    (void)parent;
    job *j = new_job(info);
    return j ? gql_offload(info, NULL, work_users, j) : gql_error(info, "Out of memory.");
}

static gql_value work_user(gql_work *w, void *arg)
{
    job *j = arg;
    chat_user *u;
    int rc = chat_store_user(j->app->db, j->in.from_id, in_work(w), &u);
    if (rc == CHAT_NOT_FOUND)
        return gql_null();
    return rc == CHAT_OK ? gql_object(u, "User") : failed(w, rc);
}

static gql_value query_user(gql_info *info, gql_value parent)
{
    (void)parent;
    job *j = new_job(info);
    if (j == NULL)
        return gql_error(info, "Out of memory.");
    j->in.from_id.ptr = gql_arg_string(info, "id", &j->in.from_id.len);
    if (j->in.from_id.ptr == NULL || keep(info, &j->in.from_id) != 0)
        return gql_error(info, "Out of memory.");
    return gql_offload(info, NULL, work_user, j);
}

/* ---- Mutation -------------------------------------------------------------- */

static gql_value work_add(gql_work *w, void *arg)
{
    job *j = arg;
    chat_message *m;
    int rc = chat_store_add(j->app->db, &j->in, in_work(w), publish_added, j->app, &m);
    return rc == CHAT_OK ? gql_object(m, "Message") : failed(w, rc);
}

static chat_str input_member(const gql_json *input, const char *name)
{
    chat_str s = {NULL, 0};
    s.ptr = gql_json_string(gql_json_member(input, name), &s.len);
    return s;
}

static gql_value mutation_add_message(gql_info *info, gql_value parent)
{
    (void)parent;
    const gql_json *input = gql_arg(info, "message");
    job *j = new_job(info);
    if (j == NULL)
        return gql_error(info, "Out of memory.");
    j->in.from_id = input_member(input, "fromId");
    j->in.display_name = input_member(input, "displayName");
    j->in.content = input_member(input, "content");
    if (j->in.from_id.len == 0 || chars(j->in.from_id) > CHAT_MAX_ID)
        return gql_error_ext(info, BAD_INPUT, "fromId must be 1 to %d characters long.",
                             CHAT_MAX_ID);
    if (j->in.display_name.ptr != NULL &&
        (blank(j->in.display_name) || chars(j->in.display_name) > CHAT_MAX_NAME))
        return gql_error_ext(info, BAD_INPUT,
                             "displayName must be 1 to %d characters long, not all blank.",
                             CHAT_MAX_NAME);
    if (blank(j->in.content))
        return gql_error_ext(info, BAD_INPUT, "A message must not be empty.");
    if (chars(j->in.content) > CHAT_MAX_CONTENT)
        return gql_error_ext(info, BAD_INPUT, "A message must be at most %d characters long.",
                             CHAT_MAX_CONTENT);
    if (keep(info, &j->in.from_id) != 0 || keep(info, &j->in.display_name) != 0 ||
        keep(info, &j->in.content) != 0)
        return gql_error(info, "Out of memory.");
    return gql_offload(info, NULL, work_add, j);
}

static gql_value work_delete(gql_work *w, void *arg)
{
    job *j = arg;
    chat_message *m;
    int rc = chat_store_delete(j->app->db, j->id, in_work(w), publish_deleted, j->app, &m);
    if (rc == CHAT_NOT_FOUND)
        return gql_null();
    return rc == CHAT_OK ? gql_object(m, "Message") : failed(w, rc);
}

static gql_value mutation_delete_message(gql_info *info, gql_value parent)
{
    (void)parent;
    size_t len = 0;
    const char *id = gql_arg_string(info, "id", &len);
    job *j = new_job(info);
    if (j == NULL)
        return gql_error(info, "Out of memory.");
    if ((j->id = parse_id(id, len)) < 0)
        return gql_null();
    return gql_offload(info, NULL, work_delete, j);
}

/* ---- Subscription ---------------------------------------------------------- */

/* The source of both subscription fields: the topic named like the
 * field, filtered by its fromId argument. */
static gql_value subscribe(gql_info *info, gql_value parent)
{
    (void)parent;
    chat_app *app = gql_info_data(info);
    return gql_pubsub_subscribe(info, app->ps, gql_info_field_name(info), chat_event_filter, NULL);
}

/* The value of both subscription fields: the event's message. */
static gql_value subscription_field(gql_info *info, gql_value event)
{
    chat_message *m = NULL;
    if (event.kind == GQL_VALUE_JSON)
        m = chat_event_message(event.u.json, (chat_alloc){info_alloc, info});
    return m ? gql_object(m, "Message") : gql_error(info, "Malformed event.");
}

/* ---- object types -------------------------------------------------------- */

static gql_value cursor_of(gql_info *info, const chat_message *m)
{
    char *text = gql_alloc(info, CHAT_CURSOR_MAX);
    if (text == NULL)
        return gql_error(info, "Out of memory.");
    return gql_string(text, chat_cursor_encode(m->id, text));
}

static gql_value message_field(gql_info *info, gql_value parent)
{
    chat_message *m = parent.u.ptr;
    const char *field = gql_info_field_name(info);
    if (strcmp(field, "id") == 0) {
        char *id = gql_alloc(info, 24);
        if (id == NULL)
            return gql_error(info, "Out of memory.");
        return gql_string(id, (size_t)snprintf(id, 24, "%" PRId64, m->id));
    }
    if (strcmp(field, "content") == 0)
        return str(m->content);
    if (strcmp(field, "from") == 0)
        return gql_object(&m->from, "User");
    if (strcmp(field, "sentAt") == 0)
        return str(m->sent_at);
    return gql_null();
}

static gql_value work_user_count(gql_work *w, void *arg)
{
    job *j = arg;
    int64_t n;
    int rc = chat_store_user_message_count(j->app->db, j->user->id, &n);
    return rc == CHAT_OK ? gql_int(n) : failed(w, rc);
}

static gql_value user_field(gql_info *info, gql_value parent)
{
    chat_user *u = parent.u.ptr;
    const char *field = gql_info_field_name(info);
    if (strcmp(field, "id") == 0)
        return str(u->id);
    if (strcmp(field, "displayName") == 0)
        return str(u->display_name);
    if (strcmp(field, "messageCount") != 0)
        return gql_null();
    if (u->message_count >= 0)
        return gql_int(u->message_count);
    /* A sender reached through a message: counted only when asked. */
    job *j = new_job(info);
    if (j == NULL)
        return gql_error(info, "Out of memory.");
    j->user = u;
    return gql_offload(info, NULL, work_user_count, j);
}

static gql_value edge_field(gql_info *info, gql_value parent)
{
    chat_message *m = parent.u.ptr; /* an edge is its message */
    if (strcmp(gql_info_field_name(info), "cursor") == 0)
        return cursor_of(info, m);
    return gql_object(m, "Message");
}

static gql_value connection_field(gql_info *info, gql_value parent)
{
    chat_page *p = parent.u.ptr;
    const char *field = gql_info_field_name(info);
    if (strcmp(field, "edges") == 0)
        return gql_object_list((void *const *)p->items, p->count, "MessageEdge");
    if (strcmp(field, "pageInfo") == 0)
        return gql_object(p, "PageInfo");
    return p->total >= 0 ? gql_int(p->total) : gql_error(info, "totalCount was not counted.");
}

static gql_value page_info_field(gql_info *info, gql_value parent)
{
    chat_page *p = parent.u.ptr;
    const char *field = gql_info_field_name(info);
    if (strcmp(field, "hasNextPage") == 0)
        return gql_bool(p->has_next);
    if (strcmp(field, "hasPreviousPage") == 0)
        return gql_bool(p->has_previous);
    if (p->count == 0)
        return gql_null();
    return cursor_of(info,
                     strcmp(field, "startCursor") == 0 ? p->items[0] : p->items[p->count - 1]);
}

int chat_bind(gql_schema_builder *b, chat_app *app)
{
    static const struct {
        const char *coordinate;
        gql_resolve_fn fn;
    } resolvers[] = {
        {"Query.messages", query_messages},
        {"Query.message", query_message},
        {"Query.messageCount", query_message_count},
        {"Query.users", query_users},
        {"Query.user", query_user},
        {"Mutation.addMessage", mutation_add_message},
        {"Mutation.deleteMessage", mutation_delete_message},
        {"Subscription", subscription_field},
        {"Message", message_field},
        {"User", user_field},
        {"MessageEdge", edge_field},
        {"MessageConnection", connection_field},
        {"PageInfo", page_info_field},
    };
    int rc = GQL_OK;
    for (size_t i = 0; rc == GQL_OK && i < sizeof resolvers / sizeof resolvers[0]; i++)
        rc = gql_schema_builder_resolver(b, resolvers[i].coordinate, resolvers[i].fn, app);
    if (rc == GQL_OK)
        rc = gql_schema_builder_subscribers(b, "Subscription", subscribe, app);
    return rc;
}
