/* src/execution/policies.c — principals' roles and the table of named
 * policies (include/gql/auth.h). The table is an open-addressing hash of
 * copied names, filled before requests use it and then only read. */
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "core/alloc.h"
#include "core/hash.h"
#include "core/strdup.h"
#include "execution/authorize.h"
#include "gql/auth.h"
#include "gql/status.h"

typedef struct policy_slot {
    char *name; /* NULL: empty */
    gql_policy_fn fn;
    void *user_data;
} policy_slot;

struct gql_policies {
    policy_slot *slots;
    size_t mask; /* capacity - 1; capacity 0 while empty */
    size_t count;
};

int gql_principal_has_role(const gql_principal *principal, const char *role)
{
    if (principal == NULL || role == NULL || principal->roles == NULL)
        return 0;
    for (size_t i = 0; i < principal->role_count; i++)
        if (principal->roles[i] != NULL && strcmp(principal->roles[i], role) == 0)
            return 1;
    return 0;
}

int gql_policies_new(gql_policies **out)
{
    if (out == NULL)
        return GQL_EINVAL;
    *out = gqlx_malloc(sizeof **out);
    if (*out == NULL)
        return GQL_ENOMEM;
    memset(*out, 0, sizeof **out);
    return GQL_OK;
}

/* Policy names are the application's own, not outside input: a fixed seed
 * keeps lookups the same in every process. */
static size_t name_hash(const char *name)
{
    return (size_t)gqlx_hash(name, strlen(name), 0);
}

static policy_slot *find_slot(const gql_policies *p, const char *name)
{
    if (p->slots == NULL)
        return NULL;
    for (size_t h = name_hash(name);; h++) {
        policy_slot *s = &p->slots[h & p->mask];
        if (s->name == NULL || strcmp(s->name, name) == 0)
            return s;
    }
}

/* Doubles the capacity (starting at 8), keeping the load under 3/4. */
static int grow(gql_policies *p)
{
    size_t cap = p->slots == NULL ? 8 : (p->mask + 1) * 2;
    if (cap > SIZE_MAX / sizeof(policy_slot))
        return GQL_ENOMEM;
    policy_slot *slots = gqlx_malloc(cap * sizeof *slots);
    if (slots == NULL)
        return GQL_ENOMEM;
    memset(slots, 0, cap * sizeof *slots);
    policy_slot *old = p->slots;
    size_t old_cap = old == NULL ? 0 : p->mask + 1;
    p->slots = slots;
    p->mask = cap - 1;
    for (size_t i = 0; i < old_cap; i++)
        if (old[i].name != NULL)
            *find_slot(p, old[i].name) = old[i];
    gqlx_free(old);
    return GQL_OK;
}

int gql_policies_add(gql_policies *policies, const char *name, gql_policy_fn fn, void *user_data)
{
    if (policies == NULL || name == NULL || fn == NULL)
        return GQL_EINVAL;
    policy_slot *s = find_slot(policies, name);
    if (s != NULL && s->name != NULL) {
        s->fn = fn;
        s->user_data = user_data;
        return GQL_OK;
    }
    if ((policies->count + 1) * 4 > (policies->slots ? policies->mask + 1 : 0) * 3) {
        int rc = grow(policies);
        if (rc != GQL_OK)
            return rc;
    }
    char *copy = gqlx_strdup(name);
    if (copy == NULL)
        return GQL_ENOMEM;
    s = find_slot(policies, name);
    s->name = copy;
    s->fn = fn;
    s->user_data = user_data;
    policies->count++;
    return GQL_OK;
}

int gql_policies_check(const gql_policies *policies, const char *name,
                       const gql_principal *principal, const struct gql_request *req)
{
    if (policies == NULL || name == NULL)
        return 0;
    const policy_slot *s = find_slot(policies, name);
    if (s == NULL || s->name == NULL)
        return 0;
    return s->fn(principal, req, s->user_data) != 0;
}

void gql_policies_free(gql_policies *policies)
{
    if (policies == NULL)
        return;
    for (size_t i = 0; policies->slots != NULL && i <= policies->mask; i++)
        gqlx_free(policies->slots[i].name);
    gqlx_free(policies->slots);
    gqlx_free(policies);
}

bool gqlx_principal_live(const gql_principal *p, long long now)
{
    if (p == NULL)
        return false;
    if (p->expires_at == 0)
        return true;
    if (now == 0)
        now = (long long)time(NULL);
    return p->expires_at > now;
}
