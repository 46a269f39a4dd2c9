/* src/gqld/serve_options.c — `gqld serve` options from flags and a JSON
 * configuration file, both read through one table.
 *
 * Flags are kebab-case (--read-form-on-post); a configuration file's keys
 * may be the same names or the seed's PascalCase ones (ReadFormOnPost):
 * names are compared without case, '-' and '_'. Booleans take true/false
 * (or 1/0, yes/no, on/off); a flag given without a value means true. */
#include "serve_options.h"

#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"

/* OPT_LIST: a repeatable flag, each value appended to a
 * serve_auth_flags.policies list (the one such option). */
typedef enum { OPT_BOOL, OPT_UINT, OPT_SIZE, OPT_STR, OPT_ENUM, OPT_LIST } opt_kind;

typedef struct serve_option {
    const char *name;
    opt_kind kind;
    size_t offset; /* into serve_config */
    const char *help;
} serve_option;

/* The names of the OPT_ENUM option's values (an int field), in the order
 * of their numbers: the keep-alive mode (gql_keep_alive_mode) is the one
 * such option, so OPT_ENUM means these names. */
static const char *const keep_alive_modes[] = {"default", "timeout", "interval",
                                               "timeout-with-payload", NULL};

#define SRV(field) offsetof(serve_config, server.field)
#define EP(field) offsetof(serve_config, endpoint.field)
#define EX(field) offsetof(serve_config, endpoint.exec.field)
#define CFG(field) offsetof(serve_config, field)
#define WS(field)  offsetof(serve_config, endpoint.websockets.field)
#define AUTH(field) offsetof(serve_config, auth.field)

static const serve_option options[] = {
    /* server */
    {"listen", OPT_STR, SRV(listen), "address to listen on, HOST:PORT (port 0: any free port)"},
    {"workers", OPT_UINT, SRV(workers), "event-loop threads (0: one per core)"},
    {"path-prefix", OPT_STR, SRV(path_prefix), "application path prefix, e.g. /app"},
    {"max-connections", OPT_UINT, SRV(max_connections), "open connections at most (503 beyond)"},
    {"max-header-size", OPT_SIZE, SRV(max_header_size), "request line and headers, bytes (431)"},
    {"max-body-size", OPT_SIZE, SRV(max_body_size), "request body, bytes (413)"},
    {"header-timeout-ms", OPT_UINT, SRV(header_timeout_ms), "headers must arrive within (408)"},
    {"request-timeout-ms", OPT_UINT, SRV(request_timeout_ms), "whole request within (408)"},
    {"idle-timeout-ms", OPT_UINT, SRV(idle_timeout_ms), "idle keep-alive connections closed after"},
    {"shutdown-timeout-ms", OPT_UINT, SRV(shutdown_timeout_ms),
     "graceful stop waits for requests in flight at most"},
    {"compress-min-size", OPT_SIZE, SRV(compress_min_size), "compress responses from this size"},
    {"compress-gzip", OPT_BOOL, SRV(compress_gzip), "gzip responses when accepted"},
    {"compress-brotli", OPT_BOOL, SRV(compress_brotli), "brotli responses when accepted"},
    {"security-headers", OPT_BOOL, SRV(security_headers),
     "X-Content-Type-Options, Referrer-Policy, Permissions-Policy"},
    {"cors-origins", OPT_STR, SRV(cors_origins), "allowed CORS origins, comma-separated, or *"},
    {"cors-credentials", OPT_BOOL, SRV(cors_credentials), "allow credentials in CORS"},
    {"cors-max-age", OPT_UINT, SRV(cors_max_age), "CORS preflight cache, seconds"},
    {"static-dir", OPT_STR, SRV(static_dir), "serve files from this folder"},
    {"static-path", OPT_STR, SRV(static_path), "URL path of the static files"},
    {"health", OPT_BOOL, SRV(health), "GET /health"},
    {"server-info", OPT_BOOL, SRV(server_info), "GET /server_info"},
    {"metrics", OPT_BOOL, SRV(metrics), "GET /metrics (Prometheus)"},
    {"access-log", OPT_BOOL, SRV(access_log), "one log line per request"},
    {"debug", OPT_BOOL, SRV(debug), "show unexpected errors' details"},
    /* GraphQL endpoints (the seed's option table) */
    {"handle-get", OPT_BOOL, EP(handle_get), "answer GET requests"},
    {"handle-post", OPT_BOOL, EP(handle_post), "answer POST requests"},
    {"handle-websockets", OPT_BOOL, EP(handle_websockets), "answer WebSocket upgrades"},
    {"enable-batched-requests", OPT_BOOL, EP(enable_batched_requests),
     "JSON arrays of requests in one POST"},
    {"execute-batched-requests-in-parallel", OPT_BOOL, EP(execute_batched_requests_in_parallel),
     "run a batch's requests concurrently"},
    {"max-batch-size", OPT_UINT, EP(max_batch_size), "requests in one batch at most"},
    {"csrf-protection-enabled", OPT_BOOL, EP(csrf_protection_enabled),
     "require a CSRF header on requests that skip CORS preflight"},
    {"csrf-protection-headers", OPT_STR, EP(csrf_protection_headers),
     "the CSRF headers, comma-separated"},
    {"read-extensions-from-query-string", OPT_BOOL, EP(read_extensions_from_query_string),
     "read 'extensions' from the query string"},
    {"read-form-on-post", OPT_BOOL, EP(read_form_on_post),
     "accept url-encoded and multipart forms (uploads)"},
    {"read-query-string-on-post", OPT_BOOL, EP(read_query_string_on_post),
     "read the query string on POST too"},
    {"read-variables-from-query-string", OPT_BOOL, EP(read_variables_from_query_string),
     "read 'variables' from the query string"},
    {"validation-errors-return-bad-request", OPT_BOOL, EP(validation_errors_return_bad_request),
     "answer 400 to invalid documents"},
    {"draft-status-codes", OPT_BOOL, EP(draft_status_codes),
     "status codes of the 2026 GraphQL-over-HTTP draft (422)"},
    {"maximum-file-size", OPT_SIZE, EP(maximum_file_size), "largest uploaded file (0: no limit)"},
    {"maximum-file-count", OPT_UINT, EP(maximum_file_count), "most uploaded files (0: no limit)"},
    {"upload-memory-limit", OPT_SIZE, EP(upload_memory_limit),
     "larger uploads go to a temporary file"},
    /* GraphQL over WebSocket (the seed's WebSockets table) */
    {"connection-init-wait-timeout-ms", OPT_UINT, WS(connection_init_wait_timeout_ms),
     "connection_init must arrive within (close 4408; 0: no limit)"},
    {"disconnection-timeout-ms", OPT_UINT, WS(disconnection_timeout_ms),
     "the WebSocket close handshake may take at most"},
    {"disconnect-after-error-event", OPT_BOOL, WS(disconnect_after_error_event),
     "end a subscription whose source reports an error"},
    {"disconnect-after-any-error", OPT_BOOL, WS(disconnect_after_any_error),
     "end a subscription after an event with errors"},
    {"keep-alive-mode", OPT_ENUM, WS(keep_alive_mode),
     "default, timeout, interval or timeout-with-payload"},
    {"keep-alive-timeout-ms", OPT_UINT, WS(keep_alive_timeout_ms),
     "WebSocket keep-alive period (0: none)"},
    {"supported-websocket-sub-protocols", OPT_STR, WS(supported_subprotocols),
     "graphql-ws and/or graphql-transport-ws, comma-separated"},
    {"ws-max-message-size", OPT_SIZE, WS(max_message_size),
     "largest WebSocket message, bytes (close 1009; 0: 1 MiB)"},
    {"ws-max-outbound-bytes", OPT_SIZE, WS(max_outbound_bytes),
     "bytes queued for a slow WebSocket reader (close 1008; 0: 4 MiB)"},
    {"ws-max-operations", OPT_UINT, WS(max_operations),
     "operations at once on one WebSocket (0: no limit)"},
    {"ws-permessage-deflate", OPT_BOOL, WS(permessage_deflate),
     "compress WebSocket messages when the client offers it"},
    /* execution */
    {"max-depth", OPT_UINT, EX(max_depth), "deepest field nesting (0: no limit)"},
    {"max-fields", OPT_UINT, EX(max_fields), "fields per operation (0: no limit)"},
    {"max-aliases", OPT_UINT, EX(max_aliases), "aliases per operation (0: no limit)"},
    {"max-memory", OPT_SIZE, EX(max_memory), "bytes one request may use"},
    {"disable-introspection", OPT_BOOL, EX(disable_introspection), "refuse __schema and __type"},
    {"hide-suggestions", OPT_BOOL, EX(hide_suggestions), "no \"Did you mean\" in errors"},
    {"plan-cache-size", OPT_SIZE, CFG(plan_cache_size), "prepared queries kept per endpoint"},
    {"pool-threads", OPT_UINT, CFG(pool_threads),
     "threads for blocking resolver work (0: one per core)"},
    {"assume-valid", OPT_BOOL, CFG(assume_valid), "skip validation of the schema"},
    /* the browser UI */
    {"ui", OPT_BOOL, CFG(ui),
     "GraphiQL on the UI path and for browsers opening the first endpoint, and Voyager"},
    {"ui-path", OPT_STR, CFG(ui_opts.graphiql_path), "URL path of GraphiQL (\"\": none)"},
    {"voyager-path", OPT_STR, CFG(ui_opts.voyager_path),
     "URL path of GraphQL Voyager, the schema as a graph (\"\": none)"},
    /* authentication and authorization (serve_auth.c) */
    {"auth-required", OPT_BOOL, AUTH(required), "refuse requests without a valid token (401)"},
    {"auth-roles", OPT_STR, AUTH(roles), "the token must hold one of these roles, A,B (403)"},
    {"auth-policy", OPT_STR, AUTH(policy), "the token must pass this --policy (403)"},
    {"policy", OPT_LIST, AUTH(policies),
     "NAME:CLAIM=VALUE declares a policy on a claim (repeatable)"},
    {"jwt-secret", OPT_STR, AUTH(jwt_secret), "HMAC secret of HS256/384/512 tokens"},
    {"jwt-secret-file", OPT_STR, AUTH(jwt_secret_file), "file holding the HMAC secret"},
    {"jwt-secret-env", OPT_STR, AUTH(jwt_secret_env),
     "environment variable holding the HMAC secret"},
    {"jwt-public-key", OPT_STR, AUTH(jwt_public_key), "PEM file of RSA/EC public keys"},
    {"jwt-jwks", OPT_STR, AUTH(jwt_jwks), "JWKS file of public keys"},
    {"jwt-issuer", OPT_STR, AUTH(jwt_issuer), "required \"iss\" of tokens"},
    {"jwt-audience", OPT_STR, AUTH(jwt_audience), "required \"aud\" of tokens"},
    {"jwt-roles-claim", OPT_STR, AUTH(jwt_roles_claim),
     "claim holding the roles (a name or a dotted path)"},
    {"jwt-algorithms", OPT_STR, AUTH(jwt_algorithms),
     "accepted algorithms, e.g. RS256,ES256 (none: any a key allows)"},
    {"jwt-clock-skew", OPT_UINT, AUTH(jwt_clock_skew), "seconds of leeway on exp and nbf"},
    /* the seed's names, for configuration files */
    {"authorization-required", OPT_BOOL, AUTH(required), NULL},
    {"authorized-roles", OPT_STR, AUTH(roles), NULL},
    {"authorized-policy", OPT_STR, AUTH(policy), NULL},
};

#define OPTION_COUNT (sizeof options / sizeof options[0])

void serve_config_init(serve_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    gql_server_opts_init(&cfg->server);
    gql_endpoint_opts_init(&cfg->endpoint);
    cfg->plan_cache_size = 1000;
    cfg->ui = 1;
    serve_auth_flags_init(&cfg->auth);
    gql_ui_opts_init(&cfg->ui_opts);
}

void serve_config_free(serve_config *cfg)
{
    for (size_t i = 0; i < cfg->owned_count; i++)
        free(cfg->owned[i]);
    free(cfg->owned);
    gql_json_doc_free(cfg->config_doc);
    cfg->owned = NULL;
    cfg->owned_count = 0;
    cfg->config_doc = NULL;
}

/* Compares option names ignoring case, '-' and '_'. */
static int same_name(const char *a, size_t alen, const char *b)
{
    size_t i = 0;
    for (;;) {
        while (i < alen && (a[i] == '-' || a[i] == '_'))
            i++;
        while (*b == '-' || *b == '_')
            b++;
        if (i == alen || *b == '\0')
            return i == alen && *b == '\0';
        if (tolower((unsigned char)a[i]) != tolower((unsigned char)*b))
            return 0;
        i++;
        b++;
    }
}

static const serve_option *find_option(const char *name, size_t len)
{
    for (size_t i = 0; i < OPTION_COUNT; i++)
        if (same_name(name, len, options[i].name))
            return &options[i];
    return NULL;
}

static int parse_bool(const char *s, int *out)
{
    static const char *const yes[] = {"true", "1", "yes", "on"};
    static const char *const no[] = {"false", "0", "no", "off"};
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(s, yes[i]) == 0)
            return *out = 1, 0;
        if (strcasecmp(s, no[i]) == 0)
            return *out = 0, 0;
    }
    return -1;
}

static int parse_number(const char *s, unsigned long long max, unsigned long long *out)
{
    if (!isdigit((unsigned char)*s))
        return -1;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0' || v > max)
        return -1;
    *out = v;
    return 0;
}

/* Sets an option from text; returns -1 with a message on a bad value. */
static int set_option(serve_config *cfg, const serve_option *o, const char *value)
{
    char *slot = (char *)cfg + o->offset;
    unsigned long long n;
    int b;
    switch (o->kind) {
    case OPT_BOOL:
        if (parse_bool(value, &b) != 0)
            goto bad;
        memcpy(slot, &b, sizeof b);
        return 0;
    case OPT_UINT:
        if (parse_number(value, UINT32_MAX, &n) != 0)
            goto bad;
        unsigned u = (unsigned)n;
        memcpy(slot, &u, sizeof u);
        return 0;
    case OPT_SIZE:
        if (parse_number(value, SIZE_MAX, &n) != 0)
            goto bad;
        size_t z = (size_t)n;
        memcpy(slot, &z, sizeof z);
        return 0;
    case OPT_STR:
        memcpy(slot, &value, sizeof value);
        return 0;
    case OPT_LIST:
        if (cfg->auth.policy_count == SERVE_MAX_POLICIES) {
            fprintf(stderr, "gqld serve: --%s: at most %d\n", o->name, SERVE_MAX_POLICIES);
            return -1;
        }
        cfg->auth.policies[cfg->auth.policy_count++] = value;
        return 0;
    case OPT_ENUM:
        for (int i = 0; keep_alive_modes[i] != NULL; i++) {
            if (same_name(value, strlen(value), keep_alive_modes[i])) {
                memcpy(slot, &i, sizeof i);
                return 0;
            }
        }
        goto bad;
    }
bad:
    fprintf(stderr, "gqld serve: --%s: invalid value '%s' (expected %s)\n", o->name, value,
            o->kind == OPT_BOOL   ? "true or false"
            : o->kind == OPT_ENUM ? o->help
                                  : "a non-negative integer");
    return -1;
}

static int add_endpoint(serve_config *cfg, const char *schema)
{
    if (cfg->endpoint_count == SERVE_MAX_ENDPOINTS) {
        fprintf(stderr, "gqld serve: at most %d schemas\n", SERVE_MAX_ENDPOINTS);
        return -1;
    }
    serve_endpoint *e = &cfg->endpoints[cfg->endpoint_count++];
    e->schema = schema;
    e->path = "/graphql";
    e->data = NULL;
    return 0;
}

static const char *keep_string(serve_config *cfg, const char *p, size_t len)
{
    char **grown = realloc(cfg->owned, (cfg->owned_count + 1) * sizeof *grown);
    if (grown == NULL)
        return NULL;
    cfg->owned = grown;
    char *s = malloc(len + 1);
    if (s == NULL)
        return NULL;
    memcpy(s, p, len);
    s[len] = '\0';
    cfg->owned[cfg->owned_count++] = s;
    return s;
}

/* A configuration value as option text: strings as they are, numbers and
 * booleans spelled out. */
static const char *json_option_text(serve_config *cfg, const gql_json *v, char *tmp, size_t cap)
{
    size_t len;
    const char *s;
    switch (gql_json_type(v)) {
    case GQL_JSON_STRING:
        s = gql_json_string(v, &len);
        if (memchr(s, '\0', len) != NULL)
            return NULL;
        return keep_string(cfg, s, len);
    case GQL_JSON_BOOL:
        return gql_json_bool(v) ? "true" : "false";
    case GQL_JSON_NUMBER:
        if (!gql_json_is_int(v) || gql_json_int(v) < 0)
            return NULL;
        snprintf(tmp, cap, "%lld", (long long)gql_json_int(v));
        return tmp;
    default:
        return NULL;
    }
}

static int endpoint_from_json(serve_config *cfg, const char *file, const gql_json *e)
{
    char tmp[32];
    const gql_json *schema = gql_json_member(e, "schema");
    const char *s = schema ? json_option_text(cfg, schema, tmp, sizeof tmp) : NULL;
    if (gql_json_type(schema) != GQL_JSON_STRING || s == NULL) {
        fprintf(stderr, "gqld serve: %s: each endpoint needs a \"schema\" file name\n", file);
        return -1;
    }
    if (add_endpoint(cfg, s) != 0)
        return -1;
    serve_endpoint *ep = &cfg->endpoints[cfg->endpoint_count - 1];
    const gql_json *path = gql_json_member(e, "path"), *data = gql_json_member(e, "data");
    if (path != NULL && (ep->path = json_option_text(cfg, path, tmp, sizeof tmp)) == NULL)
        goto bad;
    if (data != NULL && (ep->data = json_option_text(cfg, data, tmp, sizeof tmp)) == NULL)
        goto bad;
    return 0;
bad:
    fprintf(stderr, "gqld serve: %s: endpoint \"path\" and \"data\" must be strings\n", file);
    return -1;
}

/* Reads a JSON object of options; "endpoints" is an array of
 * {"path","schema","data"} objects. */
static int read_config(serve_config *cfg, const char *file)
{
    size_t len;
    char *text = gqld_read_file(file, &len);
    if (text == NULL)
        return -1;
    gql_json_doc *doc = NULL;
    gql_errors *errs = NULL;
    int rc = gql_json_parse(&doc, text, len, &errs);
    free(text);
    if (rc != GQL_OK) {
        gqld_print_errors(file, errs);
        gql_errors_free(errs);
        return -1;
    }
    gql_json_doc_free(cfg->config_doc);
    cfg->config_doc = doc;
    const gql_json *root = gql_json_doc_root(doc);
    if (gql_json_type(root) != GQL_JSON_OBJECT) {
        fprintf(stderr, "gqld serve: %s: the configuration must be a JSON object\n", file);
        return -1;
    }
    for (size_t i = 0; i < gql_json_length(root); i++) {
        const char *key;
        size_t key_len;
        const gql_json *v = gql_json_member_at(root, i, &key, &key_len);
        if (same_name(key, key_len, "endpoints")) {
            if (gql_json_type(v) != GQL_JSON_ARRAY) {
                fprintf(stderr, "gqld serve: %s: \"endpoints\" must be an array\n", file);
                return -1;
            }
            for (size_t j = 0; j < gql_json_length(v); j++)
                if (endpoint_from_json(cfg, file, gql_json_item(v, j)) != 0)
                    return -1;
            continue;
        }
        const serve_option *o = find_option(key, key_len);
        if (o == NULL) {
            fprintf(stderr, "gqld serve: %s: unknown option \"%.*s\"\n", file, (int)key_len, key);
            return -1;
        }
        if (o->kind == OPT_LIST && gql_json_type(v) == GQL_JSON_ARRAY) {
            for (size_t j = 0; j < gql_json_length(v); j++) {
                const gql_json *item = gql_json_item(v, j);
                char t[32];
                const char *s = gql_json_type(item) == GQL_JSON_STRING
                                    ? json_option_text(cfg, item, t, sizeof t)
                                    : NULL;
                if (s == NULL) {
                    fprintf(stderr, "gqld serve: %s: \"%s\" must hold strings\n", file, o->name);
                    return -1;
                }
                if (set_option(cfg, o, s) != 0)
                    return -1;
            }
            continue;
        }
        char tmp[32];
        const char *value = json_option_text(cfg, v, tmp, sizeof tmp);
        if (value == NULL) {
            fprintf(stderr, "gqld serve: %s: \"%s\" has a value of the wrong type\n", file,
                    o->name);
            return -1;
        }
        if (set_option(cfg, o, value) != 0)
            return -1;
    }
    return 0;
}

int serve_config_parse_args(serve_config *cfg, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strncmp(arg, "--", 2) != 0) {
            fprintf(stderr, "gqld serve: unexpected argument '%s'\n", arg);
            return -1;
        }
        const char *name = arg + 2, *eq = strchr(name, '=');
        size_t name_len = eq ? (size_t)(eq - name) : strlen(name);
        const char *value = eq ? eq + 1 : NULL;
        int is_schema = same_name(name, name_len, "schema");
        int is_data = same_name(name, name_len, "data");
        int is_path = same_name(name, name_len, "path");
        int is_config = same_name(name, name_len, "config");
        const serve_option *o = NULL;
        if (!is_schema && !is_data && !is_path && !is_config) {
            o = find_option(name, name_len);
            if (o == NULL) {
                fprintf(stderr, "gqld serve: unknown option '%s' (see gqld serve --help)\n", arg);
                return -1;
            }
        }
        if (value == NULL) {
            /* A boolean flag alone means true; everything else takes the
             * next argument. */
            if (o != NULL && o->kind == OPT_BOOL &&
                (i + 1 == argc || parse_bool(argv[i + 1], &(int){0}) != 0))
                value = "true";
            else if (i + 1 < argc)
                value = argv[++i];
            else {
                fprintf(stderr, "gqld serve: option '%s' needs a value\n", arg);
                return -1;
            }
        }
        if (is_config) {
            if (read_config(cfg, value) != 0)
                return -1;
        } else if (is_schema) {
            if (add_endpoint(cfg, value) != 0)
                return -1;
        } else if (is_data || is_path) {
            if (cfg->endpoint_count == 0) {
                fprintf(stderr, "gqld serve: '%s' comes after the --schema it belongs to\n", arg);
                return -1;
            }
            serve_endpoint *e = &cfg->endpoints[cfg->endpoint_count - 1];
            *(is_data ? &e->data : &e->path) = value;
        } else if (set_option(cfg, o, value) != 0) {
            return -1;
        }
    }
    if (cfg->endpoint_count == 0) {
        fprintf(stderr, "gqld serve: missing --schema FILE\n");
        return -1;
    }
    return 0;
}

static void print_default(FILE *to, const serve_config *d, const serve_option *o)
{
    const char *slot = (const char *)d + o->offset;
    switch (o->kind) {
    case OPT_BOOL: {
        int b;
        memcpy(&b, slot, sizeof b);
        fprintf(to, "%s", b ? "true" : "false");
        break;
    }
    case OPT_UINT: {
        unsigned u;
        memcpy(&u, slot, sizeof u);
        fprintf(to, "%u", u);
        break;
    }
    case OPT_SIZE: {
        size_t z;
        memcpy(&z, slot, sizeof z);
        if (z == SIZE_MAX)
            fprintf(to, "none");
        else
            fprintf(to, "%zu", z);
        break;
    }
    case OPT_STR: {
        const char *s;
        memcpy(&s, slot, sizeof s);
        fprintf(to, "%s", s ? (*s ? s : "\"\"") : "none");
        break;
    }
    case OPT_LIST:
        fprintf(to, "none");
        break;
    case OPT_ENUM: {
        int i;
        memcpy(&i, slot, sizeof i);
        fprintf(to, "%s", keep_alive_modes[i]);
        break;
    }
    }
}

void serve_options_print_help(FILE *to)
{
    serve_config d;
    serve_config_init(&d);
    for (size_t i = 0; i < OPTION_COUNT; i++) {
        const serve_option *o = &options[i];
        if (o->help == NULL) /* another name of an option listed */
            continue;
        const char *arg = o->kind == OPT_BOOL                           ? "[=BOOL]"
                          : o->kind == OPT_STR || o->kind == OPT_LIST ? " TEXT"
                          : o->kind == OPT_ENUM ? " MODE"
                                                : " N";
        char left[64];
        snprintf(left, sizeof left, "--%s%s", o->name, arg);
        fprintf(to, "  %-40s %s (default ", left, o->help);
        print_default(to, &d, o);
        fprintf(to, ")\n");
    }
    serve_config_free(&d);
}
