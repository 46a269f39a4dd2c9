/* examples/chat/store.c — the chat's SQL, run on a borrowed connection. */
#include "store.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static int db_error(chat_conn *c, const char *what)
{
    fprintf(stderr, "chat: database error (%s): %s\n", what, sqlite3_errmsg(chat_conn_handle(c)));
    return CHAT_EDB;
}

/* Runs a statement that returns no rows (BEGIN, COMMIT...). */
static int exec(chat_conn *c, chat_stmt_id id, const char *what)
{
    sqlite3_stmt *st = chat_stmt(c, id);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? CHAT_OK : db_error(c, what);
}

/* Ends a failed transaction; its own failure changes nothing more. */
static void rollback(chat_conn *c)
{
    if (!sqlite3_get_autocommit(chat_conn_handle(c)))
        exec(c, CHAT_STMT_ROLLBACK, "rollback");
}

/* Binds a slice as text; SQLite only reads it during the step that
 * follows, so it is not copied. */
static void bind_str(sqlite3_stmt *st, int i, chat_str s)
{
    if (s.ptr == NULL)
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_text(st, i, s.len ? s.ptr : "", (int)s.len, SQLITE_STATIC);
}

/* Copies a text column into a's memory (NUL-terminated, for debuggers). */
static int column_str(sqlite3_stmt *st, int col, chat_alloc a, chat_str *out)
{
    const unsigned char *text = sqlite3_column_text(st, col);
    size_t len = (size_t)sqlite3_column_bytes(st, col);
    char *copy = a.fn(a.ctx, len + 1);
    if (copy == NULL)
        return CHAT_ENOMEM;
    if (len > 0 && text != NULL)
        memcpy(copy, text, len);
    copy[len] = '\0';
    *out = (chat_str){copy, len};
    return CHAT_OK;
}

/* Reads a row of CHAT_STMT_MESSAGE or CHAT_STMT_PAGE. */
static chat_message *column_message(sqlite3_stmt *st, chat_alloc a)
{
    chat_message *m = a.fn(a.ctx, sizeof *m);
    if (m == NULL)
        return NULL;
    memset(m, 0, sizeof *m);
    m->id = sqlite3_column_int64(st, 0);
    m->from.message_count = -1;
    if (column_str(st, 1, a, &m->content) != CHAT_OK ||
        column_str(st, 2, a, &m->from.id) != CHAT_OK ||
        column_str(st, 3, a, &m->from.display_name) != CHAT_OK ||
        column_str(st, 4, a, &m->sent_at) != CHAT_OK)
        return NULL;
    return m;
}

/* Reads a row of CHAT_STMT_USERS or CHAT_STMT_USER. */
static chat_user *column_user(sqlite3_stmt *st, chat_alloc a)
{
    chat_user *u = a.fn(a.ctx, sizeof *u);
    if (u == NULL || column_str(st, 0, a, &u->id) != CHAT_OK ||
        column_str(st, 1, a, &u->display_name) != CHAT_OK)
        return NULL;
    u->message_count = sqlite3_column_int64(st, 2);
    return u;
}

/* The current time as ISO-8601 in UTC with milliseconds, as JavaScript's
 * Date.prototype.toISOString writes it. */
static void timestamp(char out[32])
{
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    size_t n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out + n, 32 - n, ".%03dZ", (int)(ts.tv_nsec / 1000000));
}

/* Runs a query whose one row holds one integer. */
static int scalar(chat_conn *c, sqlite3_stmt *st, const char *what, int64_t *out)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? CHAT_OK : db_error(c, what);
}

/* ---- changes ----------------------------------------------------------------- */

/* The writes of addMessage, in the writer's open transaction. */
static int insert(chat_conn *c, const chat_new_message *in, const char *now, chat_alloc a,
                  chat_message *m)
{
    chat_str stamp = {now, strlen(now)};
    sqlite3_stmt *st = chat_stmt(c, CHAT_STMT_UPSERT_USER);
    bind_str(st, 1, in->from_id);
    bind_str(st, 2, in->display_name);
    bind_str(st, 3, stamp);
    if (sqlite3_step(st) != SQLITE_ROW)
        return db_error(c, "user");
    int rc = column_str(st, 0, a, &m->from.display_name);
    sqlite3_reset(st);
    if (rc != CHAT_OK)
        return rc;

    st = chat_stmt(c, CHAT_STMT_INSERT_MESSAGE);
    bind_str(st, 1, in->content);
    bind_str(st, 2, in->from_id);
    bind_str(st, 3, stamp);
    if (sqlite3_step(st) != SQLITE_ROW)
        return db_error(c, "message");
    m->id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return CHAT_OK;
}

static char *copy_str(chat_alloc a, chat_str s, chat_str *out)
{
    char *p = a.fn(a.ctx, s.len + 1);
    if (p != NULL) {
        if (s.len)
            memcpy(p, s.ptr, s.len);
        p[s.len] = '\0';
        *out = (chat_str){p, s.len};
    }
    return p;
}

int chat_store_add(chat_db *db, const chat_new_message *in, chat_alloc a,
                   chat_committed_fn committed, void *data, chat_message **out)
{
    *out = NULL;
    chat_message *m = a.fn(a.ctx, sizeof *m);
    char *now = a.fn(a.ctx, 32);
    if (m == NULL || now == NULL)
        return CHAT_ENOMEM;
    memset(m, 0, sizeof *m);
    m->from.message_count = -1;
    if (copy_str(a, in->content, &m->content) == NULL ||
        copy_str(a, in->from_id, &m->from.id) == NULL)
        return CHAT_ENOMEM;

    chat_conn *c = chat_db_writer(db);
    /* Stamped under the lock, so later ids never have earlier times. */
    timestamp(now);
    m->sent_at = (chat_str){now, strlen(now)};
    int rc = exec(c, CHAT_STMT_BEGIN_WRITE, "begin");
    if (rc == CHAT_OK)
        rc = insert(c, in, now, a, m);
    if (rc == CHAT_OK)
        rc = exec(c, CHAT_STMT_COMMIT, "commit");
    if (rc != CHAT_OK)
        rollback(c);
    else if (committed != NULL)
        committed(m, data);
    chat_db_release(db, c);
    if (rc == CHAT_OK)
        *out = m;
    return rc;
}

int chat_store_delete(chat_db *db, int64_t id, chat_alloc a, chat_committed_fn committed,
                      void *data, chat_message **out)
{
    *out = NULL;
    chat_conn *c = chat_db_writer(db);
    chat_message *m = NULL;
    int rc = exec(c, CHAT_STMT_BEGIN_WRITE, "begin");
    if (rc == CHAT_OK) {
        sqlite3_stmt *st = chat_stmt(c, CHAT_STMT_MESSAGE);
        sqlite3_bind_int64(st, 1, id);
        int step = sqlite3_step(st);
        if (step == SQLITE_ROW)
            rc = (m = column_message(st, a)) != NULL ? CHAT_OK : CHAT_ENOMEM;
        else
            rc = step == SQLITE_DONE ? CHAT_NOT_FOUND : db_error(c, "message");
        sqlite3_reset(st);
    }
    if (rc == CHAT_OK) {
        sqlite3_stmt *st = chat_stmt(c, CHAT_STMT_DELETE_MESSAGE);
        sqlite3_bind_int64(st, 1, id);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = db_error(c, "delete");
        sqlite3_reset(st);
    }
    if (rc == CHAT_OK)
        rc = exec(c, CHAT_STMT_COMMIT, "commit");
    if (rc != CHAT_OK)
        rollback(c);
    else if (committed != NULL)
        committed(m, data);
    chat_db_release(db, c);
    if (rc == CHAT_OK)
        *out = m;
    return rc;
}

/* ---- queries ------------------------------------------------------------------- */

int chat_store_message(chat_db *db, int64_t id, chat_alloc a, chat_message **out)
{
    *out = NULL;
    chat_conn *c = chat_db_reader(db);
    sqlite3_stmt *st = chat_stmt(c, CHAT_STMT_MESSAGE);
    sqlite3_bind_int64(st, 1, id);
    int step = sqlite3_step(st), rc;
    if (step == SQLITE_ROW)
        rc = (*out = column_message(st, a)) != NULL ? CHAT_OK : CHAT_ENOMEM;
    else
        rc = step == SQLITE_DONE ? CHAT_NOT_FOUND : db_error(c, "message");
    chat_db_release(db, c);
    return rc;
}

/* The rows of one page, in the reader's open transaction. */
static int read_page(chat_conn *c, int64_t after_id, unsigned first, int with_total, chat_alloc a,
                     chat_page *out)
{
    out->items = a.fn(a.ctx, (first ? first : 1) * sizeof *out->items);
    if (out->items == NULL)
        return CHAT_ENOMEM;
    sqlite3_stmt *st = chat_stmt(c, CHAT_STMT_PAGE);
    sqlite3_bind_int64(st, 1, after_id);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)first + 1); /* one more tells of a next page */
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (out->count == first) {
            out->has_next = 1;
            break;
        }
        chat_message *m = column_message(st, a);
        if (m == NULL)
            return CHAT_ENOMEM;
        out->items[out->count++] = m;
    }
    sqlite3_reset(st);
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        return db_error(c, "page");
    int rc = CHAT_OK;
    if (after_id > 0) {
        int64_t any = 0;
        st = chat_stmt(c, CHAT_STMT_ANY_UP_TO);
        sqlite3_bind_int64(st, 1, after_id);
        rc = scalar(c, st, "page", &any);
        out->has_previous = any != 0;
    }
    if (rc == CHAT_OK && with_total)
        rc = scalar(c, chat_stmt(c, CHAT_STMT_COUNT_MESSAGES), "count", &out->total);
    return rc;
}

int chat_store_page(chat_db *db, int64_t after_id, unsigned first, int with_total, chat_alloc a,
                    chat_page *out)
{
    memset(out, 0, sizeof *out);
    out->total = -1;
    chat_conn *c = chat_db_reader(db);
    /* One read transaction: the page, its neighbours and the total are
     * seen as of one moment, whatever is being written meanwhile. */
    int rc = exec(c, CHAT_STMT_BEGIN_READ, "begin");
    if (rc == CHAT_OK)
        rc = read_page(c, after_id, first, with_total, a, out);
    if (rc == CHAT_OK)
        rc = exec(c, CHAT_STMT_COMMIT, "commit");
    if (rc != CHAT_OK)
        rollback(c);
    chat_db_release(db, c);
    return rc;
}

int chat_store_message_count(chat_db *db, int64_t *out)
{
    chat_conn *c = chat_db_reader(db);
    int rc = scalar(c, chat_stmt(c, CHAT_STMT_COUNT_MESSAGES), "count", out);
    chat_db_release(db, c);
    return rc;
}

int chat_store_user_message_count(chat_db *db, chat_str id, int64_t *out)
{
    chat_conn *c = chat_db_reader(db);
    sqlite3_stmt *st = chat_stmt(c, CHAT_STMT_USER_MESSAGE_COUNT);
    bind_str(st, 1, id);
    int rc = scalar(c, st, "count", out);
    chat_db_release(db, c);
    return rc;
}

static int read_users(chat_conn *c, chat_alloc a, chat_user ***out, size_t *count)
{
    int64_t n = 0;
    int rc = scalar(c, chat_stmt(c, CHAT_STMT_COUNT_USERS), "users", &n);
    if (rc != CHAT_OK)
        return rc;
    chat_user **users = a.fn(a.ctx, ((size_t)n + 1) * sizeof *users);
    if (users == NULL)
        return CHAT_ENOMEM;
    sqlite3_stmt *st = chat_stmt(c, CHAT_STMT_USERS);
    int step = SQLITE_DONE;
    size_t got = 0;
    /* The count and the rows come from one snapshot; the bound only
     * guards the array. */
    while (got < (size_t)n && (step = sqlite3_step(st)) == SQLITE_ROW)
        if ((users[got++] = column_user(st, a)) == NULL)
            return CHAT_ENOMEM;
    if (got < (size_t)n && step != SQLITE_DONE)
        return db_error(c, "users");
    sqlite3_reset(st);
    *out = users;
    *count = got;
    return CHAT_OK;
}

int chat_store_users(chat_db *db, chat_alloc a, chat_user ***out, size_t *count)
{
    *out = NULL;
    *count = 0;
    chat_conn *c = chat_db_reader(db);
    int rc = exec(c, CHAT_STMT_BEGIN_READ, "begin");
    if (rc == CHAT_OK)
        rc = read_users(c, a, out, count);
    if (rc == CHAT_OK)
        rc = exec(c, CHAT_STMT_COMMIT, "commit");
    if (rc != CHAT_OK)
        rollback(c);
    chat_db_release(db, c);
    return rc;
}

int chat_store_user(chat_db *db, chat_str id, chat_alloc a, chat_user **out)
{
    *out = NULL;
    chat_conn *c = chat_db_reader(db);
    sqlite3_stmt *st = chat_stmt(c, CHAT_STMT_USER);
    bind_str(st, 1, id);
    int step = sqlite3_step(st), rc;
    if (step == SQLITE_ROW)
        rc = (*out = column_user(st, a)) != NULL ? CHAT_OK : CHAT_ENOMEM;
    else
        rc = step == SQLITE_DONE ? CHAT_NOT_FOUND : db_error(c, "user");
    chat_db_release(db, c);
    return rc;
}
