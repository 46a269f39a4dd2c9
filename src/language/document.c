/* src/language/document.c — the public document API (include/gql/document.h)
 * over the parser and printer. */
#include <string.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/errors.h"
#include "gql/gql.h"
#include "language/document_internal.h"
#include "language/parser.h"
#include "language/printer.h"

struct gql_document {
    gqlx_arena arena; /* the tree and the copy of the text */
    gqlx_source source;
    gqlx_document *root;
};

void gql_parse_opts_init(gql_parse_opts *opts)
{
    gqlx_parse_opts o;
    gqlx_parse_opts_init(&o);
    opts->max_tokens = o.max_tokens;
    opts->max_depth = o.max_depth;
    opts->max_bytes = o.max_bytes;
    opts->allow_empty_selection_sets = o.allow_empty_selection_sets;
}

void gql_free(void *ptr)
{
    gqlx_free(ptr);
}

/* Hands a syntax error to the caller as a one-item gql_errors list. */
static int report_syntax_error(const gqlx_syntax_error *e, gql_errors **errs)
{
    if (e->out_of_memory)
        return GQL_ENOMEM;
    if (errs != NULL) {
        gql_errors *list = gqlx_errors_new();
        gql_location loc = {e->loc.line, e->loc.column};
        if (list == NULL || !gqlx_errors_add(list, e->message, &loc, 1)) {
            gql_errors_free(list);
            return GQL_ENOMEM;
        }
        *errs = list;
    }
    return GQL_ESYNTAX;
}

int gql_document_parse(gql_document **out, const char *text, size_t len,
                       const gql_parse_opts *opts, gql_errors **errs)
{
    if (errs != NULL)
        *errs = NULL;
    if (out == NULL)
        return GQL_EINVAL;
    *out = NULL;
    if (text == NULL && len > 0)
        return GQL_EINVAL;
    gql_document *doc = gqlx_malloc(sizeof *doc);
    if (doc == NULL)
        return GQL_ENOMEM;
    /* Chunks sized to the text keep big documents from taking many small
     * chunks; the tree is typically one to two times the text. */
    size_t chunk = len < 4096 ? 4096 : len + len / 2;
    gqlx_arena_init(&doc->arena, chunk, 0);
    char *copy = gqlx_arena_memdup(&doc->arena, text ? text : "", len);
    if (copy == NULL) {
        gql_document_free(doc);
        return GQL_ENOMEM;
    }
    doc->source = gqlx_source_make("GraphQL request", copy, len);
    gqlx_parse_opts po;
    gqlx_parse_opts_init(&po);
    if (opts != NULL) {
        po.max_tokens = opts->max_tokens;
        po.max_depth = opts->max_depth;
        po.max_bytes = opts->max_bytes;
        po.allow_empty_selection_sets = opts->allow_empty_selection_sets != 0;
    }
    gqlx_syntax_error err;
    doc->root = gqlx_parse(&doc->arena, &doc->source, &po, &err);
    if (doc->root == NULL) {
        int rc = report_syntax_error(&err, errs);
        gql_document_free(doc);
        return rc;
    }
    *out = doc;
    return GQL_OK;
}

int gql_document_print(const gql_document *doc, char **text, size_t *len)
{
    if (doc == NULL || text == NULL)
        return GQL_EINVAL;
    *text = NULL;
    gqlx_buf out;
    gqlx_buf_init(&out, 0);
    gqlx_arena scratch;
    gqlx_arena_init(&scratch, 0, 0);
    gqlx_print(&out, &doc->root->base, &scratch);
    bool failed = out.failed || gqlx_arena_failed(&scratch) || !gqlx_buf_reserve(&out, 0);
    gqlx_arena_free(&scratch);
    if (failed) {
        gqlx_buf_free(&out);
        return GQL_ENOMEM;
    }
    *text = gqlx_buf_detach(&out, len);
    return GQL_OK;
}

size_t gql_document_definition_count(const gql_document *doc)
{
    return doc ? doc->root->definitions.count : 0;
}

void gql_document_free(gql_document *doc)
{
    if (doc == NULL)
        return;
    gqlx_arena_free(&doc->arena);
    gqlx_free(doc);
}

const gqlx_document *gqlx_document_root(const gql_document *doc)
{
    return doc->root;
}

const gqlx_source *gqlx_document_source(const gql_document *doc)
{
    return &doc->source;
}
