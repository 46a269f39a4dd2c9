/* src/gqld/serve_options.h — the options of `gqld serve`: one table of
 * every server, endpoint and execution option, read from command-line
 * flags and from a JSON configuration file. */
#ifndef GQLD_SERVE_OPTIONS_H
#define GQLD_SERVE_OPTIONS_H

#include <stdio.h>

#include "gql/gql.h"
#include "gql/server.h"
#include "gql/ui.h"
#include "serve_auth.h"

/* One GraphQL endpoint: its path, schema file and JSON data file. */
typedef struct serve_endpoint {
    const char *path;
    const char *schema;
    const char *data;
} serve_endpoint;

#define SERVE_MAX_ENDPOINTS 16

typedef struct serve_config {
    gql_server_opts server;
    gql_endpoint_opts endpoint; /* shared by every endpoint */
    size_t plan_cache_size;
    unsigned pool_threads;
    int assume_valid;
    /* The browser UI (GraphiQL, Voyager): on unless --ui=false; its
     * endpoint is the first endpoint's path. */
    int ui;
    gql_ui_opts ui_opts;
    /* Authentication and authorization flags (serve_auth.h). */
    serve_auth_flags auth;
    serve_endpoint endpoints[SERVE_MAX_ENDPOINTS];
    size_t endpoint_count;
    /* Strings from a configuration file live here until exit. */
    gql_json_doc *config_doc;
    char **owned;
    size_t owned_count;
} serve_config;

/* Fills *cfg with the defaults. */
void serve_config_init(serve_config *cfg);

/* Releases what parsing allocated. */
void serve_config_free(serve_config *cfg);

/* Applies the command line (argv[0] is "serve"): flags, and --config FILE
 * read where it appears (later flags win). Prints a message and returns
 * -1 on a usage error. */
int serve_config_parse_args(serve_config *cfg, int argc, char **argv);

/* Prints the option list (name, value kind, default, meaning). */
void serve_options_print_help(FILE *to);

#endif
