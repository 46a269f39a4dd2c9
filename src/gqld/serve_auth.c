/* src/gqld/serve_auth.c — turning `gqld serve`'s auth flags into a JWT
 * verifier, claim policies and the endpoint's rule, so a schema using
 * @authorize and @allowAnonymous is protected with no C code. */
#include "serve_auth.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "server/auth_http.h"

/* One condition of a --policy NAME:CLAIM=VALUE (the three in one block). */
typedef struct serve_policy {
    char *name;
    char *claim;
    char *value;
    struct serve_policy *next_same; /* the next condition of this name */
} serve_policy;

void serve_auth_flags_init(serve_auth_flags *f)
{
    memset(f, 0, sizeof *f);
    f->jwt_roles_claim = "roles";
    f->jwt_clock_skew = 60;
}

/* A policy passes when the principal's claims meet every condition
 * declared under its name. */
static int claim_policy(const gql_principal *principal, const gql_request *req, void *data)
{
    (void)req;
    if (principal == NULL)
        return 0;
    for (const serve_policy *p = data; p != NULL; p = p->next_same)
        if (!gqlx_auth_claim_matches(principal->claims, p->claim, p->value))
            return 0;
    return 1;
}

/* Splits "NAME:CLAIM=VALUE" into a condition; -1 with a message when it
 * is not of that form. */
static int parse_policy(const char *spec, serve_policy *out)
{
    const char *colon = strchr(spec, ':');
    const char *eq = colon != NULL ? strchr(colon + 1, '=') : NULL;
    if (colon == NULL || eq == NULL || colon == spec || eq == colon + 1 || eq[1] == '\0') {
        fprintf(stderr,
                "gqld serve: --policy '%s': expected NAME:CLAIM=VALUE (e.g. "
                "editor:scope=write)\n",
                spec);
        return -1;
    }
    size_t len = strlen(spec);
    char *copy = malloc(len + 1);
    if (copy == NULL) {
        fprintf(stderr, "gqld serve: out of memory\n");
        return -1;
    }
    memcpy(copy, spec, len + 1);
    copy[colon - spec] = '\0';
    copy[eq - spec] = '\0';
    out->name = copy;
    out->claim = copy + (colon - spec) + 1;
    out->value = copy + (eq - spec) + 1;
    out->next_same = NULL;
    return 0;
}

static int setup_policies(const serve_auth_flags *f, gql_endpoint_opts *eo, serve_auth *st)
{
    if (f->policy_count == 0)
        return 0;
    st->conditions = calloc(f->policy_count, sizeof *st->conditions);
    if (st->conditions == NULL || gql_policies_new(&st->policies) != GQL_OK) {
        fprintf(stderr, "gqld serve: out of memory\n");
        return -1;
    }
    for (size_t i = 0; i < f->policy_count; i++) {
        if (parse_policy(f->policies[i], &st->conditions[i]) != 0)
            return -1;
        st->condition_count++;
    }
    /* Conditions of one name are chained from its first, which is the
     * one registered. */
    for (size_t i = 0; i < st->condition_count; i++) {
        serve_policy *p = &st->conditions[i];
        size_t first = 0;
        while (strcmp(st->conditions[first].name, p->name) != 0)
            first++;
        if (first != i) {
            serve_policy *last = &st->conditions[first];
            while (last->next_same != NULL)
                last = last->next_same;
            last->next_same = p;
            continue;
        }
        if (gql_policies_add(st->policies, p->name, claim_policy, p) != GQL_OK) {
            fprintf(stderr, "gqld serve: out of memory\n");
            return -1;
        }
    }
    eo->exec.policies = st->policies;
    return 0;
}

static int setup_roles(const serve_auth_flags *f, gql_endpoint_opts *eo, serve_auth *st)
{
    if (f->roles == NULL)
        return 0;
    size_t len = strlen(f->roles), count = 1;
    for (size_t i = 0; i < len; i++)
        count += f->roles[i] == ',';
    st->roles_text = malloc(len + 1);
    st->roles = calloc(count, sizeof *st->roles);
    if (st->roles_text == NULL || st->roles == NULL) {
        fprintf(stderr, "gqld serve: out of memory\n");
        return -1;
    }
    memcpy(st->roles_text, f->roles, len + 1);
    for (char *p = st->roles_text; p != NULL;) {
        char *comma = strchr(p, ',');
        if (comma != NULL)
            *comma = '\0';
        p += strspn(p, " \t");
        size_t n = strlen(p);
        while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
            p[--n] = '\0';
        if (n > 0)
            st->roles[st->role_count++] = p;
        p = comma != NULL ? comma + 1 : NULL;
    }
    if (st->role_count == 0) {
        fprintf(stderr, "gqld serve: --auth-roles names no role\n");
        return -1;
    }
    eo->authorized_roles = st->roles;
    eo->authorized_role_count = st->role_count;
    return 0;
}

/* The HMAC secret from whichever of the three flags was given (at most
 * one): *secret is malloc'd (NULL when none was given). */
static int read_secret(const serve_auth_flags *f, char **secret, size_t *len)
{
    *secret = NULL;
    *len = 0;
    int given =
        (f->jwt_secret != NULL) + (f->jwt_secret_file != NULL) + (f->jwt_secret_env != NULL);
    if (given > 1) {
        fprintf(stderr, "gqld serve: give only one of --jwt-secret, --jwt-secret-file and "
                        "--jwt-secret-env\n");
        return -1;
    }
    const char *text = f->jwt_secret;
    if (f->jwt_secret_env != NULL) {
        text = getenv(f->jwt_secret_env);
        if (text == NULL || *text == '\0') {
            fprintf(stderr,
                    "gqld serve: --jwt-secret-env: the environment variable %s is not "
                    "set\n",
                    f->jwt_secret_env);
            return -1;
        }
    }
    if (text != NULL) {
        *len = strlen(text);
        *secret = malloc(*len + 1);
        if (*secret == NULL) {
            fprintf(stderr, "gqld serve: out of memory\n");
            return -1;
        }
        memcpy(*secret, text, *len + 1);
        return 0;
    }
    if (f->jwt_secret_file == NULL)
        return 0;
    *secret = gqld_read_file(f->jwt_secret_file, len);
    if (*secret == NULL)
        return -1;
    /* A file written by an editor or `echo` ends with a line break that
     * is not part of the secret. */
    if (*len > 0 && (*secret)[*len - 1] == '\n')
        (*secret)[--*len] = '\0';
    if (*len > 0 && (*secret)[*len - 1] == '\r')
        (*secret)[--*len] = '\0';
    return 0;
}

static int setup_jwt(const serve_auth_flags *f, gql_endpoint_opts *eo, serve_auth *st)
{
    char *secret = NULL, *pem = NULL, *jwks = NULL;
    size_t secret_len = 0, pem_len = 0, jwks_len = 0;
    int rc = -1;
    if (read_secret(f, &secret, &secret_len) != 0)
        goto out;
    if (f->jwt_public_key != NULL && (pem = gqld_read_file(f->jwt_public_key, &pem_len)) == NULL)
        goto out;
    if (f->jwt_jwks != NULL && (jwks = gqld_read_file(f->jwt_jwks, &jwks_len)) == NULL)
        goto out;
    if (secret == NULL && pem == NULL && jwks == NULL) {
        bool checks = f->jwt_issuer != NULL || f->jwt_audience != NULL || f->jwt_algorithms != NULL;
        if (checks) {
            fprintf(stderr, "gqld serve: --jwt-issuer, --jwt-audience and --jwt-algorithms need "
                            "a key: --jwt-secret(-file, -env), --jwt-public-key or "
                            "--jwt-jwks\n");
            goto out;
        }
        rc = 0;
        goto out;
    }
    gql_jwt_opts jo;
    gql_jwt_opts_init(&jo);
    jo.secret = (const unsigned char *)secret;
    jo.secret_len = secret_len;
    jo.public_key_pem = pem;
    jo.public_key_pem_len = pem_len;
    jo.jwks = jwks;
    jo.jwks_len = jwks_len;
    jo.issuer = f->jwt_issuer;
    jo.audience = f->jwt_audience;
    jo.roles_claim = f->jwt_roles_claim;
    jo.algorithms = f->jwt_algorithms;
    jo.clock_skew_seconds = f->jwt_clock_skew;
    char err[256];
    if (gql_jwt_verifier_new(&jo, &st->jwt, err, sizeof err) != GQL_OK) {
        fprintf(stderr, "gqld serve: JWT configuration: %s\n", err);
        goto out;
    }
    eo->jwt = st->jwt;
    rc = 0;
out:
    if (secret != NULL) /* the verifier keeps its own copy */
        memset(secret, 0, secret_len);
    free(secret);
    free(pem);
    free(jwks);
    return rc;
}

static bool has_policy(const serve_auth *st, const char *name)
{
    for (size_t i = 0; i < st->condition_count; i++)
        if (strcmp(st->conditions[i].name, name) == 0)
            return true;
    return false;
}

int serve_auth_setup(const serve_auth_flags *f, gql_endpoint_opts *eo, serve_auth *st)
{
    memset(st, 0, sizeof *st);
    if (setup_jwt(f, eo, st) != 0 || setup_policies(f, eo, st) != 0 || setup_roles(f, eo, st) != 0)
        return -1;
    eo->authorization_required = f->required;
    eo->authorized_policy = f->policy;
    if (f->policy != NULL && !has_policy(st, f->policy)) {
        fprintf(stderr,
                "gqld serve: --auth-policy %s: no such policy (declare it with --policy "
                "%s:CLAIM=VALUE)\n",
                f->policy, f->policy);
        return -1;
    }
    if ((f->required || st->role_count > 0 || f->policy != NULL) && st->jwt == NULL &&
        eo->authenticate == NULL) {
        fprintf(stderr, "gqld serve: --auth-required, --auth-roles and --auth-policy need a way "
                        "to authenticate: --jwt-secret(-file, -env), --jwt-public-key or "
                        "--jwt-jwks\n");
        return -1;
    }
    return 0;
}

void serve_auth_free(serve_auth *st)
{
    gql_jwt_verifier_free(st->jwt);
    gql_policies_free(st->policies);
    for (size_t i = 0; i < st->condition_count; i++)
        free(st->conditions[i].name);
    free(st->conditions);
    free(st->roles);
    free(st->roles_text);
    memset(st, 0, sizeof *st);
}

void serve_auth_print_help(FILE *to)
{
    fputs("Authentication and authorization: with --jwt-secret (HS256/384/512; better\n"
          "--jwt-secret-file FILE or --jwt-secret-env VAR, which keep the secret out of\n"
          "the process list), --jwt-public-key FILE.pem (RS, PS, ES) or --jwt-jwks\n"
          "FILE.json, requests carry \"Authorization: Bearer <JWT>\"; WebSocket clients may\n"
          "put the same text (or the bare token) in connection_init's payload as\n"
          "\"Authorization\" or \"token\". A bad, expired or not-yet-valid token is\n"
          "answered 401; a WebSocket whose token expires is closed with 4403. The schema's\n"
          "@authorize(roles: [...], policy: \"...\") (roles: any one; policies: all) and\n"
          "@allowAnonymous protect types, fields and arguments: denied requests get 401\n"
          "(no token) or 403. --auth-required, --auth-roles and --auth-policy protect\n"
          "the whole endpoint before the document is read. --policy NAME:CLAIM=VALUE\n"
          "declares a policy: it passes when the token's claim CLAIM (a name, or a dotted\n"
          "path such as realm.level) is VALUE, an array holding VALUE, or a string of\n"
          "space-separated words one of which is VALUE (an OAuth scope); repeat a NAME\n"
          "to require several claims.\n"
          "\n",
          to);
}
