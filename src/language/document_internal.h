/* src/language/document_internal.h — the parts of a public gql_document
 * that other library layers need (validation and execution work on the
 * tree and its source, not on the opaque handle). Private to the library. */
#ifndef GQLX_DOCUMENT_INTERNAL_H
#define GQLX_DOCUMENT_INTERNAL_H

#include "gql/document.h"
#include "language/ast.h"
#include "language/source.h"

/* The parsed tree of doc; valid while doc lives. doc must not be NULL. */
const gqlx_document *gqlx_document_root(const gql_document *doc);

/* The source text doc was parsed from (the document's own copy). */
const gqlx_source *gqlx_document_source(const gql_document *doc);

#endif
