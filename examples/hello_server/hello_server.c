/* examples/hello_server/hello_server.c — the "hero" sample of the
 * GraphQL.NET and Dagster documentation as an HTTP server:
 *
 *   $ ./hello_server &
 *   $ curl 'http://localhost:5000/graphql?query={hero}'
 *   {"data":{"hero":"Luke Skywalker"}}
 */
#include <gql/gql.h>
#include <gql/server.h>
#include <signal.h>
#include <string.h>

static gql_server *server;

static gql_value hero(gql_info *info, gql_value parent)
{
    (void)info, (void)parent;
    return gql_cstr("Luke Skywalker");
}

static void stop(int sig) { (void)sig, gql_server_stop(server); }

int main(int argc, char **argv)
{
    const char *sdl = "type Query { hero: String }";
    gql_schema_builder *b;
    gql_schema *schema;
    if (gql_schema_builder_new(&b, sdl, strlen(sdl), NULL, NULL) != GQL_OK ||
        gql_schema_builder_resolver(b, "Query.hero", hero, NULL) != GQL_OK ||
        gql_schema_builder_finish(b, &schema) != GQL_OK)
        return 1;

    gql_server_opts so;
    gql_server_opts_init(&so);
    so.listen = argc > 1 ? argv[1] : "127.0.0.1:5000";
    gql_endpoint_opts eo;
    gql_endpoint_opts_init(&eo);
    /* A read-only demo without cookies, so a plain GET from the address
     * bar is fine; keep CSRF protection on in real applications. */
    eo.csrf_protection_enabled = 0;

    signal(SIGINT, stop);
    signal(SIGTERM, stop);
    int rc = gql_server_new(&so, &server);
    if (rc == GQL_OK)
        rc = gql_server_graphql(server, "/graphql", schema, &eo);
    if (rc == GQL_OK)
        rc = gql_server_start(server);
    if (rc == GQL_OK)
        gql_server_wait(server);
    gql_server_free(server);
    gql_schema_free(schema);
    return rc == GQL_OK ? 0 : 1;
}
