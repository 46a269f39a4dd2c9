/* src/gqld/cmd_serve.c — `gqld serve`: serve schemas over HTTP with JSON
 * documents as their root values, until SIGTERM or SIGINT stops the
 * server gracefully. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "serve_options.h"

/* One served schema and what it owns. */
typedef struct served {
    gql_schema *schema;
    gql_json_doc *data;
    gql_plan_cache *cache;
} served;

static gql_server *volatile running_server;

static void on_stop_signal(int sig)
{
    (void)sig;
    gql_server *srv = running_server;
    if (srv != NULL)
        gql_server_stop(srv);
}

static int install_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGTERM, &sa, NULL) != 0 || sigaction(SIGINT, &sa, NULL) != 0)
        return -1;
    /* A client that disconnects while we write must not kill the daemon. */
    sa.sa_handler = SIG_IGN;
    return sigaction(SIGPIPE, &sa, NULL);
}

static gql_schema *load_schema(const char *file, int assume_valid)
{
    size_t len;
    char *text = gqld_read_file(file, &len);
    if (text == NULL)
        return NULL;
    gql_schema_opts opts;
    gql_schema_opts_init(&opts);
    opts.assume_valid = assume_valid;
    gql_schema *schema = NULL;
    gql_errors *errs = NULL;
    int rc = gql_schema_build(&schema, text, len, &opts, &errs);
    free(text);
    if (rc == GQL_ESYNTAX || rc == GQL_ESCHEMA)
        gqld_print_errors(file, errs);
    else if (rc != GQL_OK)
        fprintf(stderr, "gqld serve: %s: %s\n", file, gql_strerror(rc));
    gql_errors_free(errs);
    return schema;
}

static gql_json_doc *load_data(const char *file)
{
    size_t len;
    char *text = gqld_read_file(file, &len);
    if (text == NULL)
        return NULL;
    gql_json_doc *doc = NULL;
    gql_errors *errs = NULL;
    int rc = gql_json_parse(&doc, text, len, &errs);
    free(text);
    if (rc == GQL_EJSON || rc == GQL_ELIMIT)
        gqld_print_errors(file, errs);
    else if (rc != GQL_OK)
        fprintf(stderr, "gqld serve: %s: %s\n", file, gql_strerror(rc));
    gql_errors_free(errs);
    return doc;
}

/* Loads every endpoint's schema and data and registers it. */
static int add_endpoints(gql_server *srv, serve_config *cfg, served *out)
{
    for (size_t i = 0; i < cfg->endpoint_count; i++) {
        const serve_endpoint *e = &cfg->endpoints[i];
        served *s = &out[i];
        if ((s->schema = load_schema(e->schema, cfg->assume_valid)) == NULL)
            return -1;
        if (e->data != NULL && (s->data = load_data(e->data)) == NULL)
            return -1;
        if (gql_plan_cache_new(&s->cache, cfg->plan_cache_size) != GQL_OK) {
            fprintf(stderr, "gqld serve: %s\n", gql_strerror(GQL_ENOMEM));
            return -1;
        }
        gql_endpoint_opts eo = cfg->endpoint;
        eo.exec.cache = s->cache;
        if (s->data != NULL)
            eo.root = gql_json_value(gql_json_doc_root(s->data));
        int rc = gql_server_graphql(srv, e->path, s->schema, &eo);
        if (rc != GQL_OK) {
            fprintf(stderr, "gqld serve: cannot serve %s at '%s': %s\n", e->schema, e->path,
                    rc == GQL_EINVAL ? "invalid or duplicate path" : gql_strerror(rc));
            return -1;
        }
    }
    return 0;
}

static int run(serve_config *cfg, served *endpoints)
{
    gql_pool *pool = NULL;
    if (cfg->pool_threads > 0) {
        if (gql_pool_new(&pool, cfg->pool_threads) != GQL_OK) {
            fprintf(stderr, "gqld serve: cannot start the thread pool\n");
            return GQLD_EXIT_USAGE;
        }
        cfg->endpoint.exec.pool = pool;
    }
    gql_server *srv = NULL;
    int status = GQLD_EXIT_USAGE;
    int rc = gql_server_new(&cfg->server, &srv);
    if (rc != GQL_OK) {
        fprintf(stderr, "gqld serve: %s\n",
                rc == GQL_EINVAL ? "invalid --listen address or --path-prefix" : gql_strerror(rc));
        goto out;
    }
    if (add_endpoints(srv, cfg, endpoints) != 0)
        goto out;
    if (install_signals() != 0) {
        perror("gqld serve: sigaction");
        goto out;
    }
    running_server = srv;
    rc = gql_server_start(srv);
    if (rc != GQL_OK) {
        fprintf(stderr, "gqld serve: cannot start: %s\n",
                *gql_server_error(srv) ? gql_server_error(srv) : gql_strerror(rc));
        running_server = NULL;
        goto out;
    }
    gql_server_wait(srv);
    running_server = NULL;
    status = GQLD_EXIT_OK;
out:
    gql_server_free(srv);
    gql_pool_free(pool);
    return status;
}

int gqld_cmd_serve(int argc, char **argv)
{
    serve_config cfg;
    serve_config_init(&cfg);
    served endpoints[SERVE_MAX_ENDPOINTS];
    memset(endpoints, 0, sizeof endpoints);
    int status = GQLD_EXIT_USAGE;
    if (serve_config_parse_args(&cfg, argc, argv) == 0)
        status = run(&cfg, endpoints);
    for (size_t i = 0; i < SERVE_MAX_ENDPOINTS; i++) {
        gql_plan_cache_free(endpoints[i].cache);
        gql_json_doc_free(endpoints[i].data);
        gql_schema_free(endpoints[i].schema);
    }
    serve_config_free(&cfg);
    return status;
}

void gqld_serve_print_usage(FILE *to)
{
    fputs("usage: gqld serve --schema SCHEMA.graphql [--data DATA.json] [--path /graphql]\n"
          "                  [--schema ... ] [--config FILE.json] [OPTIONS]\n"
          "\n"
          "Serves GraphQL over HTTP: each --schema at its --path (default /graphql), with\n"
          "the JSON document DATA as its root value (every field reads the member named\n"
          "like it; interfaces and unions take their type from \"__typename\"), so any\n"
          "schema becomes a mock server. Also serves /health, /server_info and /metrics.\n"
          "Logs to standard error; SIGTERM or SIGINT stops gracefully (requests in\n"
          "flight finish) and exits 0.\n"
          "\n"
          "--config FILE reads options from a JSON object whose keys are the option names\n"
          "below (or the PascalCase names of GraphQL.NET Server's option table, such as\n"
          "\"ReadFormOnPost\"), plus \"endpoints\": [{\"path\",\"schema\",\"data\"}]. Options\n"
          "are applied in order, so flags after --config override it. Booleans take\n"
          "true/false (a flag alone means true).\n"
          "\n"
          "options:\n",
          to);
    serve_options_print_help(to);
}
