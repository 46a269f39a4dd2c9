/* src/gqld/serve_auth.h — authentication and authorization for `gqld
 * serve` without C code: the auth flags as read (serve_options.c), and
 * what they become at start-up (a JWT verifier, a table of claim
 * policies, the endpoint's rule). */
#ifndef GQLD_SERVE_AUTH_H
#define GQLD_SERVE_AUTH_H

#include <stddef.h>
#include <stdio.h>

#include "gql/gql.h"
#include "gql/server.h"

/* Most --policy flags. */
#define SERVE_MAX_POLICIES 32

/* The flags, as text: strings point into argv or the configuration
 * file's copies. */
typedef struct serve_auth_flags {
    int required;       /* --auth-required */
    const char *roles;  /* --auth-roles A,B */
    const char *policy; /* --auth-policy NAME */
    /* --policy NAME:CLAIM=VALUE, in the order given */
    const char *policies[SERVE_MAX_POLICIES];
    size_t policy_count;
    const char *jwt_secret;      /* the HMAC secret itself */
    const char *jwt_secret_file; /* ... read from a file */
    const char *jwt_secret_env;  /* ... read from an environment variable */
    const char *jwt_public_key;  /* PEM file */
    const char *jwt_jwks;        /* JWKS file */
    const char *jwt_issuer;
    const char *jwt_audience;
    const char *jwt_roles_claim; /* default "roles" */
    const char *jwt_algorithms;  /* comma-separated; NULL: any a key allows */
    unsigned jwt_clock_skew;     /* seconds; default 60 */
} serve_auth_flags;

/* Sets the defaults. */
void serve_auth_flags_init(serve_auth_flags *f);

/* What the flags became; lives as long as the server. */
typedef struct serve_auth {
    gql_jwt_verifier *jwt;
    gql_policies *policies;
    const char **roles; /* the --auth-roles names (into roles_text) */
    size_t role_count;
    char *roles_text;
    struct serve_policy *conditions; /* the --policy conditions */
    size_t condition_count;
} serve_auth;

/* Checks the flags against each other, reads the keys and secrets, and
 * sets the endpoint options' authentication (jwt, policies, the rule).
 * Prints a message and returns -1 when the flags conflict (a rule with no
 * way to authenticate, two secrets, a JWT check with no key, an unknown
 * --auth-policy) or a key cannot be used. *state is then still to be
 * released with serve_auth_free. */
int serve_auth_setup(const serve_auth_flags *f, gql_endpoint_opts *eo, serve_auth *state);

/* Releases what serve_auth_setup made; after the server is freed. */
void serve_auth_free(serve_auth *state);

/* Prints the paragraph of `gqld serve --help` about authentication. */
void serve_auth_print_help(FILE *to);

#endif
