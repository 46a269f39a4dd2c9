/* examples/hello/hello.c — the smallest gqld application: the "hero"
 * example of the GraphQL.NET and Dagster documentation, in C.
 *
 *   $ ./hello '{ hero }'
 *   {"data":{"hero":"Luke Skywalker"}}
 */
#include <stdio.h>
#include <string.h>

#include <gql/gql.h>

static gql_value resolve_hero(gql_info *info, gql_value parent)
{
    (void)info;
    (void)parent;
    return gql_cstr("Luke Skywalker");
}

int main(int argc, char **argv)
{
    const char *sdl = "type Query { hero: String }";
    const char *query = argc > 1 ? argv[1] : "{ hero }";

    gql_schema_builder *builder;
    gql_errors *errs = NULL;
    if (gql_schema_builder_new(&builder, sdl, strlen(sdl), NULL, &errs) != GQL_OK) {
        fprintf(stderr, "schema: %s\n", gql_errors_message(errs, 0));
        gql_errors_free(errs);
        return 1;
    }
    gql_schema_builder_resolver(builder, "Query.hero", resolve_hero, NULL);
    gql_schema *schema;
    if (gql_schema_builder_finish(builder, &schema) != GQL_OK)
        return 1;

    gql_request req;
    gql_request_init(&req);
    req.query = query;
    req.query_len = strlen(query);
    gql_response *resp;
    if (gql_execute(schema, &req, NULL, &resp) != GQL_OK) {
        gql_schema_free(schema);
        return 1;
    }
    puts(gql_response_json(resp, NULL));
    int status = gql_response_status(resp) == GQL_OK ? 0 : 1;
    gql_response_free(resp);
    gql_schema_free(schema);
    return status;
}
