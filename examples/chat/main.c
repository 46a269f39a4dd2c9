/* examples/chat/main.c — a chat service on gqld, stored in SQLite:
 *
 *   chat [--listen HOST:PORT] [--db PATH] [--workers N] [--db-threads N]
 *
 * serves the API of schema.graphql at /graphql (queries and mutations
 * over HTTP, subscriptions over WebSocket) until SIGINT or SIGTERM, then
 * finishes the requests in flight, closes the database and exits 0. */
#include <errno.h>
#include <gql/gql.h>
#include <gql/pubsub.h>
#include <gql/server.h>
#ifdef CHAT_HAVE_UI
#include <gql/ui.h>
#endif
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "resolvers.h"
#include "schema_sdl.h"

/* Threads (and read-only connections) for database work by default: a
 * few readers keep queries flowing while one writer commits. */
#define CHAT_DB_THREADS  4
#define CHAT_MAX_THREADS 256

typedef struct options {
    const char *listen;
    const char *db;
    unsigned workers;
    unsigned db_threads;
} options;

static gql_server *volatile running;
static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
    gql_server *srv = running;
    if (srv != NULL)
        gql_server_stop(srv);
}

static int install_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGINT, &sa, NULL) != 0 || sigaction(SIGTERM, &sa, NULL) != 0)
        return -1;
    /* A client that goes away while we write to it must not end us. */
    sa.sa_handler = SIG_IGN;
    return sigaction(SIGPIPE, &sa, NULL);
}

static int usage(FILE *to)
{
    fputs("usage: chat [--listen HOST:PORT] [--db PATH] [--workers N] [--db-threads N]\n"
          "\n"
          "A chat service: GraphQL at http://HOST:PORT/graphql, subscriptions over\n"
          "WebSocket on the same path, messages kept in the SQLite database PATH.\n"
          "\n"
          "  --listen HOST:PORT  address to serve (default 127.0.0.1:8080; port 0 picks one)\n"
          "  --db PATH           database file, created when missing (default chat.db)\n"
          "  --workers N         event-loop threads (default: one per core)\n"
          "  --db-threads N      threads and connections for database work (default 4)\n",
          to);
    return to == stdout ? 0 : 2;
}

static int parse_count(const char *text, unsigned min, unsigned *out)
{
    char *end;
    errno = 0;
    unsigned long n = strtoul(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || text[0] == '-' || n < min ||
        n > CHAT_MAX_THREADS)
        return -1;
    *out = (unsigned)n;
    return 0;
}

/* Returns 0, or the exit status when the program should end now. */
static int parse_args(int argc, char **argv, options *o, int *status)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
            return *status = usage(stdout), -1;
        const char *v = i + 1 < argc ? argv[++i] : NULL;
        int bad = 0;
        if (v == NULL)
            bad = 1;
        else if (strcmp(a, "--listen") == 0)
            o->listen = v;
        else if (strcmp(a, "--db") == 0)
            bad = v[0] == '\0', o->db = v;
        else if (strcmp(a, "--workers") == 0)
            bad = parse_count(v, 0, &o->workers) != 0;
        else if (strcmp(a, "--db-threads") == 0)
            bad = parse_count(v, 1, &o->db_threads) != 0;
        else
            bad = 1;
        if (bad) {
            fprintf(stderr, "chat: bad option %s%s%s\n", a, v ? " " : "", v ? v : "");
            return *status = usage(stderr), -1;
        }
    }
    return 0;
}

static gql_schema *build_schema(chat_app *app)
{
    gql_schema_builder *b;
    gql_errors *errs = NULL;
    gql_schema *schema = NULL;
    if (gql_schema_builder_new(&b, (const char *)chat_schema_sdl, chat_schema_sdl_len, NULL,
                               &errs) != GQL_OK) {
        for (size_t i = 0; i < gql_errors_count(errs); i++)
            fprintf(stderr, "chat: schema: %s\n", gql_errors_message(errs, i));
        gql_errors_free(errs);
        return NULL;
    }
    if (chat_bind(b, app) != GQL_OK) {
        fprintf(stderr, "chat: cannot bind the resolvers\n");
        gql_schema_builder_free(b);
        return NULL;
    }
    return gql_schema_builder_finish(b, &schema) == GQL_OK ? schema : NULL;
}

/* Serves until a signal stops the server. Returns the exit status. */
static int serve(const options *o, const gql_schema *schema, gql_pool *pool, gql_plan_cache *cache)
{
    gql_server_opts so;
    gql_server_opts_init(&so);
    so.listen = o->listen;
    so.workers = o->workers;
    gql_endpoint_opts eo;
    gql_endpoint_opts_init(&eo);
    eo.exec.pool = pool;
    eo.exec.cache = cache;

    gql_server *srv = NULL;
    int rc = gql_server_new(&so, &srv);
    if (rc == GQL_OK)
        rc = gql_server_graphql(srv, "/graphql", schema, &eo);
#ifdef CHAT_HAVE_UI
    /* GraphiQL at / and for browsers on /graphql, the schema drawn at
     * /voyager. Static: the server reads these options while it runs. */
    static gql_ui_opts uo;
    gql_ui_opts_init(&uo);
    uo.assets = gql_ui_assets();
    uo.endpoint = "/graphql";
    uo.graphiql_path = "/";
    if (rc == GQL_OK)
        rc = gql_server_ui(srv, &uo);
#endif
    if (rc != GQL_OK) {
        fprintf(stderr, "chat: %s\n",
                rc == GQL_EINVAL ? "invalid --listen address" : gql_strerror(rc));
        gql_server_free(srv);
        return 1;
    }
    running = srv;
    rc = gql_server_start(srv);         /* logs "listening on http://HOST:PORT" */
    if (rc == GQL_OK && stop_requested) /* a signal came while starting */
        gql_server_stop(srv);
    if (rc == GQL_OK)
        gql_server_wait(srv);
    else
        fprintf(stderr, "chat: cannot start: %s\n",
                *gql_server_error(srv) ? gql_server_error(srv) : gql_strerror(rc));
    running = NULL;
    gql_server_free(srv);
    return rc == GQL_OK ? 0 : 1;
}

int main(int argc, char **argv)
{
    options o = {"127.0.0.1:8080", "chat.db", 0, CHAT_DB_THREADS};
    int status = 0;
    if (parse_args(argc, argv, &o, &status) != 0)
        return status;
    /* Before any thread starts, so that every thread inherits them. */
    if (install_signals() != 0) {
        perror("chat: sigaction");
        return 1;
    }

    char err[512];
    chat_app app = {NULL, NULL};
    if (chat_db_open(&app.db, o.db, o.db_threads, err, sizeof err) != 0) {
        fprintf(stderr, "chat: cannot open the database %s: %s\n", o.db, err);
        return 1;
    }
    fprintf(stderr, "chat: database %s (schema version %d)\n", o.db, chat_db_version(app.db));

    gql_pool *pool = NULL;
    gql_plan_cache *cache = NULL;
    gql_schema *schema = NULL;
    status = 1;
    if (gql_pubsub_new(&app.ps) != GQL_OK || gql_pool_new(&pool, o.db_threads) != GQL_OK ||
        gql_plan_cache_new(&cache, 0) != GQL_OK)
        fprintf(stderr, "chat: out of memory\n");
    else if ((schema = build_schema(&app)) != NULL)
        status = serve(&o, schema, pool, cache);

    /* The server is gone, so no subscription listens any more and no new
     * job comes; the pool finishes the queued ones before the database
     * closes under them. */
    gql_pubsub_free(app.ps);
    gql_pool_free(pool);
    gql_plan_cache_free(cache);
    gql_schema_free(schema);
    chat_db_close(app.db);
    fprintf(stderr, "chat: database closed\n");
    return status;
}
