/* src/validation/api.c — the public validation API (include/gql/validate.h)
 * over gqlx_validate. */
#include "core/errors.h"
#include "gql/gql.h"
#include "language/document_internal.h"
#include "types/build_schema.h"
#include "validation/validate.h"

void gql_validate_opts_init(gql_validate_opts *opts)
{
    if (opts == NULL)
        return;
    opts->max_errors = 100;
    opts->disable_introspection = 0;
}

int gql_validate(const gql_schema *schema, const gql_document *doc,
                 const gql_validate_opts *opts, gql_errors **errs)
{
    if (errs != NULL)
        *errs = NULL;
    if (schema == NULL || doc == NULL)
        return GQL_EINVAL;
    gqlx_validate_opts o;
    gqlx_validate_opts_init(&o);
    if (opts != NULL) {
        o.max_errors = opts->max_errors;
        o.disable_introspection = opts->disable_introspection != 0;
    }
    gql_errors *list = gqlx_errors_new();
    if (list == NULL)
        return GQL_ENOMEM;
    gqlx_arena scratch;
    gqlx_arena_init(&scratch, 0, 0);
    size_t n = gqlx_validate(gqlx_schema_of(schema), gqlx_document_root(doc),
                             gqlx_document_source(doc), &o, &scratch, list);
    bool failed = gqlx_arena_failed(&scratch);
    gqlx_arena_free(&scratch);
    if (failed) {
        gql_errors_free(list);
        return GQL_ENOMEM;
    }
    if (n == 0) {
        gql_errors_free(list);
        return GQL_OK;
    }
    if (errs != NULL)
        *errs = list;
    else
        gql_errors_free(list);
    return GQL_EVALIDATION;
}
