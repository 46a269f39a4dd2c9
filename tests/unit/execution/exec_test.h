/* tests/unit/execution/exec_test.h — helpers the execution tests share:
 * building a schema with bindings, and making requests. Include after
 * <cmocka.h>. */
#ifndef EXEC_TEST_H
#define EXEC_TEST_H

#include <stdint.h>
#include <string.h>

#include "gql/gql.h"

/* String literals are const; resolver data is not. */
#define DATA(s) ((void *)(uintptr_t)(s))

static inline gql_schema_builder *builder(const char *sdl)
{
    gql_schema_builder *b = NULL;
    gql_errors *errs = NULL;
    int rc = gql_schema_builder_new(&b, sdl, strlen(sdl), NULL, &errs);
    if (rc != GQL_OK)
        fail_msg("schema: %s", gql_errors_count(errs) ? gql_errors_message(errs, 0) : "?");
    gql_errors_free(errs);
    return b;
}

static inline void bind(gql_schema_builder *b, const char *coordinate, gql_resolve_fn fn,
                        void *data)
{
    assert_int_equal(gql_schema_builder_resolver(b, coordinate, fn, data), GQL_OK);
}

static inline gql_schema *finish(gql_schema_builder *b)
{
    gql_schema *s = NULL;
    assert_int_equal(gql_schema_builder_finish(b, &s), GQL_OK);
    assert_non_null(s);
    return s;
}

/* A request for query with variables as JSON text (or NULL). */
static inline gql_request request(const char *query, const char *variables)
{
    gql_request req;
    gql_request_init(&req);
    req.query = query;
    req.query_len = strlen(query);
    req.variables = variables;
    req.variables_len = variables ? strlen(variables) : 0;
    return req;
}

#endif
