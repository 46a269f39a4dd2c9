/* src/gqld/introspection_query.h — the query `gqld schema --introspection`
 * runs. */
#ifndef GQLD_INTROSPECTION_QUERY_H
#define GQLD_INTROSPECTION_QUERY_H

/* The full introspection query, NUL-terminated. */
extern const char gqld_introspection_query[];

#endif
