/* src/server/jwt_internal.h — what the JWT verifier (jwt.c) and its key
 * loader (jwt_keys.c) share: the algorithm table and the key set. */
#ifndef GQLX_JWT_INTERNAL_H
#define GQLX_JWT_INTERNAL_H

#include <stddef.h>

#include <openssl/evp.h>

/* How a family of algorithms checks a signature. */
typedef enum gqlx_jwt_family {
    GQLX_JWT_HMAC,  /* HS*: the shared secret */
    GQLX_JWT_RSA,   /* RS*: PKCS#1 v1.5 padding */
    GQLX_JWT_PSS,   /* PS*: PSS padding */
    GQLX_JWT_ECDSA, /* ES*: R || S over one curve */
} gqlx_jwt_family;

/* The kind of a public key, which decides the algorithms it may serve. */
typedef enum gqlx_jwt_key_kind {
    GQLX_JWT_KEY_RSA,
    GQLX_JWT_KEY_P256,
    GQLX_JWT_KEY_P384,
    GQLX_JWT_KEY_P521,
} gqlx_jwt_key_kind;

typedef struct gqlx_jwt_alg {
    const char *name; /* "RS256" */
    gqlx_jwt_family family;
    const EVP_MD *(*md)(void); /* the hash */
    gqlx_jwt_key_kind key;     /* RSA, PSS, ECDSA: the key kind it needs */
    size_t ec_half;            /* ECDSA: bytes of R (and of S) */
} gqlx_jwt_alg;

/* Every supported algorithm; the index is the algorithm's bit in masks. */
extern const gqlx_jwt_alg gqlx_jwt_algs[];
extern const size_t gqlx_jwt_alg_count;

/* The algorithm named name[0..len), or -1. "none" is never found. */
int gqlx_jwt_alg_find(const char *name, size_t len);

/* Most keys one verifier holds (JWKS keys plus PEM keys): when a token
 * names no key id every key of the right kind may be tried, so this bounds
 * the signature checks one token can cost. */
#define GQLX_JWT_MAX_KEYS 64u

/* Longest JWKS text accepted. Real documents hold a few keys in a few
 * kilobytes. */
#define GQLX_JWT_MAX_JWKS_BYTES (1024u * 1024u)

/* Smallest RSA modulus accepted (NIST SP 800-57), and the largest: big
 * moduli make every verification slow. */
#define GQLX_JWT_MIN_RSA_BITS 2048
#define GQLX_JWT_MAX_RSA_BITS 8192

/* One public key. */
typedef struct gqlx_jwt_key {
    EVP_PKEY *pkey;
    gqlx_jwt_key_kind kind;
    char *kid; /* JWKS "kid" (heap, NUL-terminated), or NULL */
    size_t kid_len;
    int alg; /* JWKS "alg" as an index of gqlx_jwt_algs, or -1: any */
} gqlx_jwt_key;

typedef struct gqlx_jwt_keys {
    gqlx_jwt_key *items; /* heap */
    size_t count;
    size_t cap;
} gqlx_jwt_keys;

/* Adds the public keys of PEM text pem[0..len) to ks. Returns GQL_OK, or
 * GQL_EINVAL (text without a key, a private key, an unsupported or too
 * small key; err says which), GQL_ELIMIT (too many keys) or GQL_ENOMEM.
 * On failure ks holds the keys it held before and possibly some of the
 * text's; the caller frees it either way. */
int gqlx_jwt_keys_add_pem(gqlx_jwt_keys *ks, const char *pem, size_t len, char *err, size_t errlen);

/* Adds the usable keys of the JWKS text json[0..len) to ks; the same
 * results as gqlx_jwt_keys_add_pem, plus GQL_ELIMIT for a text over
 * GQLX_JWT_MAX_JWKS_BYTES. A document without a usable key is GQL_EINVAL. */
int gqlx_jwt_keys_add_jwks(gqlx_jwt_keys *ks, const char *json, size_t len, char *err,
                           size_t errlen);

/* Releases every key and the array; ks is empty afterwards. */
void gqlx_jwt_keys_free(gqlx_jwt_keys *ks);

/* Writes a formatted message into err[0..errlen) when err is not NULL. */
void gqlx_jwt_errf(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
