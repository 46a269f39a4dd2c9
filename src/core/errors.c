/* src/core/errors.c — located GraphQL error lists. */
#include "core/errors.h"

#include <string.h>

#include "core/alloc.h"

gql_errors *gqlx_errors_new(void)
{
    gql_errors *e = gqlx_malloc(sizeof *e);
    if (e == NULL)
        return NULL;
    gqlx_arena_init(&e->arena, 4096, 0);
    e->items = NULL;
    e->count = 0;
    e->cap = 0;
    return e;
}

bool gqlx_errors_add(gql_errors *errs, const char *message, const gql_location *locs, size_t n)
{
    if (!gqlx_arena_grow(&errs->arena, (void **)&errs->items, &errs->cap, errs->count + 1,
                         sizeof *errs->items, errs->count))
        return false;
    gqlx_error *e = &errs->items[errs->count];
    e->message = gqlx_arena_strndup(&errs->arena, message, strlen(message));
    e->locations = n ? GQLX_ARRAY(&errs->arena, gql_location, n) : NULL;
    if (e->message == NULL || (n && e->locations == NULL))
        return false;
    if (n)
        memcpy(e->locations, locs, n * sizeof *locs);
    e->location_count = n;
    errs->count++;
    return true;
}

size_t gql_errors_count(const gql_errors *errs)
{
    return errs ? errs->count : 0;
}

const char *gql_errors_message(const gql_errors *errs, size_t i)
{
    return errs && i < errs->count ? errs->items[i].message : NULL;
}

size_t gql_errors_locations(const gql_errors *errs, size_t i, const gql_location **locs)
{
    if (errs == NULL || i >= errs->count) {
        if (locs)
            *locs = NULL;
        return 0;
    }
    if (locs)
        *locs = errs->items[i].locations;
    return errs->items[i].location_count;
}

void gql_errors_free(gql_errors *errs)
{
    if (errs == NULL)
        return;
    gqlx_arena_free(&errs->arena);
    gqlx_free(errs);
}
