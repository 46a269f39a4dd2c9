/* src/gqld/cmd_serve.c — `gqld serve`: serve schemas over HTTP with JSON
 * documents as their root values, until SIGTERM or SIGINT stops the
 * server gracefully. Subscriptions listen to pub/sub topics named like
 * their fields, which POST /publish/{topic} feeds. */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "core/buf.h"
#include "core/json.h"
#include "gql/pubsub.h"
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

/* ---- subscriptions: pub/sub topics -------------------------------------------- */

/* An event reaches a subscription unless an argument it gave names a
 * member of the event's value for the field (an object) that holds
 * another value: `messageAdded(channel: "news")` hears
 * {"messageAdded":{"channel":"news",...}} and events without a
 * "channel", not those of other channels. Scalars are compared; any
 * other argument or member lets the event through. */
static int same_scalar(const gql_json *a, const gql_json *b)
{
    gql_json_kind k = gql_json_type(a);
    if (k != gql_json_type(b))
        return 0;
    size_t al = 0, bl = 0;
    const char *as, *bs;
    switch (k) {
    case GQL_JSON_NULL:
        return 1;
    case GQL_JSON_BOOL:
        return gql_json_bool(a) == gql_json_bool(b);
    case GQL_JSON_NUMBER:
        return gql_json_float(a) == gql_json_float(b);
    case GQL_JSON_STRING:
        as = gql_json_string(a, &al);
        bs = gql_json_string(b, &bl);
        return al == bl && memcmp(as, bs, al) == 0;
    default:
        return 1;
    }
}

static int serve_filter(const gql_json *event, const gql_json *args, void *data)
{
    const gql_json *value = gql_json_member(event, data);
    if (gql_json_type(value) != GQL_JSON_OBJECT)
        return 1;
    for (size_t i = 0; i < gql_json_length(args); i++) {
        const char *key;
        size_t key_len;
        const gql_json *want = gql_json_member_at(args, i, &key, &key_len);
        if (gql_json_type(want) == GQL_JSON_NULL || gql_json_type(want) == GQL_JSON_ARRAY ||
            gql_json_type(want) == GQL_JSON_OBJECT)
            continue;
        for (size_t j = 0; j < gql_json_length(value); j++) {
            const char *k;
            size_t kl;
            const gql_json *have = gql_json_member_at(value, j, &k, &kl);
            if (kl == key_len && memcmp(k, key, kl) == 0 && !same_scalar(want, have))
                return 0;
        }
    }
    return 1;
}

/* The subscriber of every subscription field: its topic is its name. */
static gql_value serve_subscribe(gql_info *info, gql_value parent)
{
    (void)parent;
    const char *field = gql_info_field_name(info);
    /* The filter's data is the field name, which lives as long as the
     * schema. */
    return gql_pubsub_subscribe(info, gql_info_data(info), field, serve_filter,
                                (void *)(uintptr_t)field);
}

/* Builds the schema with every subscription field (if any) listening to
 * the pub/sub topic named like it; sets *has_subscriptions then. */
static gql_schema *load_schema(const char *file, int assume_valid, gql_pubsub *ps,
                               int *has_subscriptions)
{
    size_t len;
    char *text = gqld_read_file(file, &len);
    if (text == NULL)
        return NULL;
    gql_schema_opts opts;
    gql_schema_opts_init(&opts);
    opts.assume_valid = assume_valid;
    gql_schema_builder *b = NULL;
    gql_errors *errs = NULL;
    int rc = gql_schema_builder_new(&b, text, len, &opts, &errs);
    free(text);
    if (rc != GQL_OK) {
        gqld_report("serve", file, rc, errs);
        gql_errors_free(errs);
        return NULL;
    }
    const char *subscription = gql_schema_builder_root_type(b, "subscription");
    if (subscription != NULL) {
        if (gql_schema_builder_subscribers(b, subscription, serve_subscribe, ps) != GQL_OK) {
            fprintf(stderr, "gqld serve: %s: cannot bind the subscriptions\n", file);
            gql_schema_builder_free(b);
            return NULL;
        }
        *has_subscriptions = 1;
    }
    gql_schema *schema = NULL;
    gql_schema_builder_finish(b, &schema);
    return schema;
}

/* POST /publish/{topic}: the JSON body is the event, the root value of
 * each subscription's execution. Answers {"topic":...,"subscribers":n};
 * GET answers the same without publishing. */
static void on_publish(gql_http_request *req, void *data)
{
    gql_pubsub *ps = data;
    const char *topic = gql_http_path_param(req, "topic");
    size_t len = 0;
    const char *body = gql_http_body(req, &len);
    size_t n = 0;
    int rc = GQL_EINVAL;
    if (topic != NULL && strcmp(gql_http_method(req), "GET") == 0) {
        n = gql_pubsub_subscriber_count(ps, topic);
        rc = GQL_OK;
    } else if (topic != NULL) {
        rc = gql_pubsub_publish(ps, topic, body, len, &n);
    }
    if (rc == GQL_EJSON || rc == GQL_ELIMIT || rc == GQL_EINVAL) {
        static const char m[] = "{\"errors\":[{\"message\":\"The body must be the event as "
                                "JSON.\"}]}";
        gql_http_respond(req, 400, "application/json; charset=utf-8", m, sizeof m - 1);
        return;
    }
    if (rc != GQL_OK) {
        gql_http_respond(req, 500, NULL, NULL, 0);
        return;
    }
    gqlx_buf out;
    gqlx_buf_init(&out, 0);
    gqlx_buf_append_cstr(&out, "{\"topic\":");
    gqlx_json_write_string(&out, topic, strlen(topic));
    gqlx_buf_printf(&out, ",\"subscribers\":%zu}", n);
    if (out.failed)
        gql_http_respond(req, 500, NULL, NULL, 0);
    else
        gql_http_respond(req, 200, "application/json; charset=utf-8", out.data, out.len);
    gqlx_buf_free(&out);
}

/* Loads every endpoint's schema and data and registers it; sets
 * *has_subscriptions when a schema has subscription fields. */
static int add_endpoints(gql_server *srv, serve_config *cfg, served *out, gql_pubsub *ps,
                         int *has_subscriptions)
{
    for (size_t i = 0; i < cfg->endpoint_count; i++) {
        const serve_endpoint *e = &cfg->endpoints[i];
        served *s = &out[i];
        s->schema = load_schema(e->schema, cfg->assume_valid, ps, has_subscriptions);
        if (s->schema == NULL)
            return -1;
        if (e->data != NULL && (s->data = gqld_load_json("serve", e->data)) == NULL)
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

/* Mounts GraphiQL and Voyager for the first endpoint. Without the UI's
 * files (gqld built without Node.js or ui/node_modules), the pages still
 * exist and answer 503 saying why. cfg outlives the server. */
static int mount_ui(gql_server *srv, serve_config *cfg)
{
#if defined(GQLD_HAVE_UI)
    cfg->ui_opts.assets = gql_ui_assets();
#else
    cfg->ui_opts.assets = NULL;
#endif
    cfg->ui_opts.endpoint = cfg->endpoints[0].path;
    int rc = gql_server_ui(srv, &cfg->ui_opts);
    if (rc != GQL_OK) {
        fprintf(stderr, "gqld serve: cannot serve the UI: %s\n",
                rc == GQL_EINVAL ? "invalid or duplicate --ui-path or --voyager-path"
                                 : gql_strerror(rc));
        return -1;
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
    gql_pubsub *ps = NULL;
    int status = GQLD_EXIT_USAGE;
    serve_auth auth;
    if (serve_auth_setup(&cfg->auth, &cfg->endpoint, &auth) != 0) {
        serve_auth_free(&auth);
        gql_pool_free(pool);
        return GQLD_EXIT_USAGE;
    }
    int rc = gql_pubsub_new(&ps);
    if (rc == GQL_OK)
        rc = gql_server_new(&cfg->server, &srv);
    if (rc != GQL_OK) {
        fprintf(stderr, "gqld serve: %s\n",
                rc == GQL_EINVAL ? "invalid --listen address or --path-prefix" : gql_strerror(rc));
        goto out;
    }
    int has_subscriptions = 0;
    if (add_endpoints(srv, cfg, endpoints, ps, &has_subscriptions) != 0)
        goto out;
    if (cfg->ui && mount_ui(srv, cfg) != 0)
        goto out;
    if (has_subscriptions &&
        (gql_server_route(srv, "POST", "/publish/{topic}", on_publish, ps) != GQL_OK ||
         gql_server_route(srv, "GET", "/publish/{topic}", on_publish, ps) != GQL_OK)) {
        fprintf(stderr, "gqld serve: cannot add the /publish route\n");
        goto out;
    }
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
    gql_pubsub_free(ps); /* after the server: its subscriptions are over */
    gql_pool_free(pool);
    serve_auth_free(&auth); /* the server used its verifier and policies */
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
          "\n"
          "Browsers get GraphiQL at /graphiql (--ui-path) and when they open the first\n"
          "endpoint itself, and GraphQL Voyager, the schema drawn as a graph, at /voyager\n"
          "(--voyager-path); both are built into gqld and need no network. --ui=false\n"
          "turns them off.\n"
          "\n"
          "Subscriptions run over WebSockets on the same path, with either sub-protocol:\n"
          "graphql-transport-ws (the graphql-ws client) or graphql-ws (Apollo's legacy\n"
          "subscriptions-transport-ws). Each subscription field listens to the topic named\n"
          "like the field, and POST /publish/TOPIC with a JSON body publishes an event to\n"
          "it: the body is the root value of each subscriber's execution, so\n"
          "  curl -d '{\"messageAdded\":{\"text\":\"hi\"}}' localhost:8080/publish/messageAdded\n"
          "sends {\"messageAdded\":{\"text\":\"hi\"}} (as selected) to every\n"
          "`subscription { messageAdded { text } }`. A subscription's scalar arguments\n"
          "filter: messageAdded(channel: \"x\") only hears events whose messageAdded has no\n"
          "\"channel\" or the channel \"x\". The answer says how many subscriptions\n"
          "listened (GET /publish/TOPIC tells without publishing). The route exists\n"
          "only when a schema has subscriptions, and anyone\n"
          "who can reach the server can publish: it is meant for development.\n"
          "Logs to standard error; SIGTERM or SIGINT stops gracefully (requests in\n"
          "flight finish) and exits 0.\n"
          "\n"
          "--config FILE reads options from a JSON object whose keys are the option names\n"
          "below (or the PascalCase names of GraphQL.NET Server's option table, such as\n"
          "\"ReadFormOnPost\"), plus \"endpoints\": [{\"path\",\"schema\",\"data\"}]. Options\n"
          "are applied in order, so flags after --config override it. Booleans take\n"
          "true/false (a flag alone means true).\n"
          "\n",
          to);
    serve_auth_print_help(to);
    fputs("options:\n", to);
    serve_options_print_help(to);
}
