/* src/server/jwt_keys.c — public keys for JWT verification, read from PEM
 * text and from JWKS documents (RFC 7517, RFC 7518 section 6) into
 * OpenSSL key objects, with the checks that make a key acceptable. */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/json.h"
#include "core/strdup.h"
#include "gql/status.h"
#include "server/base64url.h"
#include "server/jwt_internal.h"

/* JWKS documents are flat: {"keys":[{...}]} is depth 2; a key's own
 * members ("x5c" arrays, "oth" objects) add a level or two. */
#define JWKS_MAX_DEPTH 16u

void gqlx_jwt_errf(char *err, size_t errlen, const char *fmt, ...)
{
    if (err == NULL || errlen == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* Appends a key; takes ownership of pkey (freed on failure) and copies
 * kid. */
static int push_key(gqlx_jwt_keys *ks, EVP_PKEY *pkey, gqlx_jwt_key_kind kind, const char *kid,
                    size_t kid_len, int alg, char *err, size_t errlen)
{
    if (ks->count >= GQLX_JWT_MAX_KEYS) {
        EVP_PKEY_free(pkey);
        gqlx_jwt_errf(err, errlen, "more than %u keys", GQLX_JWT_MAX_KEYS);
        return GQL_ELIMIT;
    }
    if (ks->count == ks->cap) {
        size_t cap = ks->cap == 0 ? 4 : ks->cap * 2;
        gqlx_jwt_key *items = gqlx_realloc(ks->items, cap * sizeof *items);
        if (items == NULL) {
            EVP_PKEY_free(pkey);
            gqlx_jwt_errf(err, errlen, "out of memory");
            return GQL_ENOMEM;
        }
        ks->items = items;
        ks->cap = cap;
    }
    char *kid_copy = NULL;
    if (kid != NULL && (kid_copy = gqlx_strndup(kid, kid_len)) == NULL) {
        EVP_PKEY_free(pkey);
        gqlx_jwt_errf(err, errlen, "out of memory");
        return GQL_ENOMEM;
    }
    ks->items[ks->count++] =
        (gqlx_jwt_key){.pkey = pkey, .kind = kind, .kid = kid_copy, .kid_len = kid_len, .alg = alg};
    return GQL_OK;
}

void gqlx_jwt_keys_free(gqlx_jwt_keys *ks)
{
    for (size_t i = 0; i < ks->count; i++) {
        EVP_PKEY_free(ks->items[i].pkey);
        gqlx_free(ks->items[i].kid);
    }
    gqlx_free(ks->items);
    *ks = (gqlx_jwt_keys){.items = NULL, .count = 0, .cap = 0};
}

/* Decides which algorithms pkey may serve, and refuses keys that are too
 * weak, of another type, or that fail OpenSSL's public-key check (a point
 * off its curve, an even RSA modulus). `what` names the key in messages. */
static int classify(EVP_PKEY *pkey, gqlx_jwt_key_kind *kind, const char *what, char *err,
                    size_t errlen)
{
    int id = EVP_PKEY_get_base_id(pkey);
    if (id == EVP_PKEY_RSA) {
        int bits = EVP_PKEY_get_bits(pkey);
        if (bits < GQLX_JWT_MIN_RSA_BITS || bits > GQLX_JWT_MAX_RSA_BITS) {
            gqlx_jwt_errf(err, errlen, "%s: an RSA key of %d bits; %d to %d are accepted", what,
                          bits, GQLX_JWT_MIN_RSA_BITS, GQLX_JWT_MAX_RSA_BITS);
            return GQL_EINVAL;
        }
        *kind = GQLX_JWT_KEY_RSA;
    } else if (id == EVP_PKEY_EC) {
        char group[64];
        size_t glen = 0;
        if (!EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
                                            &glen))
            group[0] = '\0';
        if (strcmp(group, "prime256v1") == 0) {
            *kind = GQLX_JWT_KEY_P256;
        } else if (strcmp(group, "secp384r1") == 0) {
            *kind = GQLX_JWT_KEY_P384;
        } else if (strcmp(group, "secp521r1") == 0) {
            *kind = GQLX_JWT_KEY_P521;
        } else {
            gqlx_jwt_errf(err, errlen,
                          "%s: an EC key on curve \"%s\"; P-256, P-384 and P-521 are accepted",
                          what, group);
            return GQL_EINVAL;
        }
    } else {
        gqlx_jwt_errf(err, errlen, "%s: unsupported key type %s; RSA and EC are accepted", what,
                      OBJ_nid2sn(id));
        return GQL_EINVAL;
    }
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
    if (ctx == NULL) {
        gqlx_jwt_errf(err, errlen, "out of memory");
        return GQL_ENOMEM;
    }
    int ok = EVP_PKEY_public_check(ctx);
    EVP_PKEY_CTX_free(ctx);
    if (ok != 1) {
        gqlx_jwt_errf(err, errlen, "%s: the public key is not valid", what);
        return GQL_EINVAL;
    }
    return GQL_OK;
}

/* ---- PEM ------------------------------------------------------------------ */

/* The public key of one PEM block's DER bytes, by the block's name; NULL
 * (and *skip set) for blocks that hold no key, such as "EC PARAMETERS". */
static EVP_PKEY *pem_block_key(const char *name, const unsigned char *der, long dlen, bool *skip)
{
    *skip = false;
    const unsigned char *p = der;
    if (strcmp(name, "PUBLIC KEY") == 0)
        return d2i_PUBKEY(NULL, &p, dlen);
    if (strcmp(name, "RSA PUBLIC KEY") == 0)
        return d2i_PublicKey(EVP_PKEY_RSA, NULL, &p, dlen);
    if (strcmp(name, "CERTIFICATE") == 0) {
        X509 *cert = d2i_X509(NULL, &p, dlen);
        EVP_PKEY *key = cert != NULL ? X509_get_pubkey(cert) : NULL;
        X509_free(cert);
        return key;
    }
    *skip = true;
    return NULL;
}

int gqlx_jwt_keys_add_pem(gqlx_jwt_keys *ks, const char *pem, size_t len, char *err, size_t errlen)
{
    if (len > INT_MAX) {
        gqlx_jwt_errf(err, errlen, "public_key_pem: the text is too long");
        return GQL_ELIMIT;
    }
    BIO *bio = BIO_new_mem_buf(pem, (int)len);
    if (bio == NULL) {
        gqlx_jwt_errf(err, errlen, "out of memory");
        return GQL_ENOMEM;
    }
    int rc = GQL_OK;
    unsigned found = 0;
    for (unsigned block = 1; rc == GQL_OK; block++) {
        char *name = NULL, *header = NULL;
        unsigned char *der = NULL;
        long dlen = 0;
        if (!PEM_read_bio(bio, &name, &header, &der, &dlen)) {
            unsigned long e = ERR_peek_last_error();
            /* Running out of blocks is the normal end of the text. */
            bool end = ERR_GET_LIB(e) == ERR_LIB_PEM && ERR_GET_REASON(e) == PEM_R_NO_START_LINE;
            if (!end || found == 0) {
                gqlx_jwt_errf(err, errlen,
                              end ? "public_key_pem: no PEM public key or certificate found"
                                  : "public_key_pem: PEM block %u cannot be read",
                              block);
                rc = GQL_EINVAL;
            }
            break;
        }
        char what[64];
        snprintf(what, sizeof what, "public_key_pem: block %u", block);
        if (strstr(name, "PRIVATE KEY") != NULL) {
            gqlx_jwt_errf(err, errlen, "%s: a private key; give the public key only", what);
            rc = GQL_EINVAL;
        } else {
            bool skip;
            EVP_PKEY *key = pem_block_key(name, der, dlen, &skip);
            gqlx_jwt_key_kind kind = GQLX_JWT_KEY_RSA;
            if (skip) {
                /* parameters and the like: nothing to verify with */
            } else if (key == NULL) {
                gqlx_jwt_errf(err, errlen, "%s (%s) cannot be decoded", what, name);
                rc = GQL_EINVAL;
            } else if ((rc = classify(key, &kind, what, err, errlen)) != GQL_OK) {
                EVP_PKEY_free(key);
            } else {
                rc = push_key(ks, key, kind, NULL, 0, -1, err, errlen);
                found++;
            }
        }
        OPENSSL_free(name);
        OPENSSL_free(header);
        OPENSSL_free(der);
    }
    BIO_free(bio);
    ERR_clear_error();
    return rc;
}

/* ---- JWKS ----------------------------------------------------------------- */

/* A JWK member that must be a string when present: the string (or NULL
 * when absent) in *s; false when present with another kind. */
static bool opt_string(const gqlx_json *key, const char *name, const gqlx_json **s)
{
    *s = gqlx_json_get_cstr(key, name);
    return *s == NULL || (*s)->kind == GQLX_JSON_STRING;
}

static bool str_is(const gqlx_json *s, const char *lit)
{
    size_t n = strlen(lit);
    return s != NULL && s->len == n && memcmp(s->u.str, lit, n) == 0;
}

/* Decodes the base64url string member `name` of a JWK into the arena;
 * false when it is absent, not a string, not strict base64url or empty. */
static bool b64_member(gqlx_arena *a, const gqlx_json *key, const char *name, unsigned char **out,
                       size_t *out_len)
{
    const gqlx_json *s = gqlx_json_get_cstr(key, name);
    if (s == NULL || s->kind != GQLX_JSON_STRING || s->len == 0)
        return false;
    *out = gqlx_arena_alloc(a, gqlx_base64url_decoded_max(s->len), 1);
    return *out != NULL && gqlx_base64url_decode(s->u.str, s->len, *out, out_len) && *out_len > 0;
}

/* Builds a public key of OpenSSL type `type` from the parameters of bld. */
static EVP_PKEY *key_from_params(const char *type, OSSL_PARAM_BLD *bld)
{
    OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
    EVP_PKEY_CTX *ctx = params != NULL ? EVP_PKEY_CTX_new_from_name(NULL, type, NULL) : NULL;
    EVP_PKEY *pkey = NULL;
    if (ctx != NULL && EVP_PKEY_fromdata_init(ctx) == 1)
        EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params);
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    return pkey;
}

static EVP_PKEY *rsa_from_jwk(gqlx_arena *a, const gqlx_json *key)
{
    unsigned char *n, *e;
    size_t n_len, e_len;
    if (!b64_member(a, key, "n", &n, &n_len) || !b64_member(a, key, "e", &e, &e_len) ||
        n_len > INT_MAX || e_len > INT_MAX)
        return NULL;
    BIGNUM *bn_n = BN_bin2bn(n, (int)n_len, NULL);
    BIGNUM *bn_e = BN_bin2bn(e, (int)e_len, NULL);
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    EVP_PKEY *pkey = NULL;
    if (bn_n != NULL && bn_e != NULL && bld != NULL &&
        OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn_n) &&
        OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, bn_e))
        pkey = key_from_params("RSA", bld);
    OSSL_PARAM_BLD_free(bld);
    BN_free(bn_n);
    BN_free(bn_e);
    return pkey;
}

/* The curve a JWK "crv" names: its OpenSSL group, key kind and coordinate
 * size. False for curves this verifier does not use. */
static bool jwk_curve(const gqlx_json *crv, const char **group, gqlx_jwt_key_kind *kind,
                      size_t *size)
{
    if (str_is(crv, "P-256")) {
        *group = "prime256v1";
        *kind = GQLX_JWT_KEY_P256;
        *size = 32;
    } else if (str_is(crv, "P-384")) {
        *group = "secp384r1";
        *kind = GQLX_JWT_KEY_P384;
        *size = 48;
    } else if (str_is(crv, "P-521")) {
        *group = "secp521r1";
        *kind = GQLX_JWT_KEY_P521;
        *size = 66;
    } else {
        return false;
    }
    return true;
}

/* RFC 7518 6.2.1.2: x and y are exactly the size of a coordinate. */
static EVP_PKEY *ec_from_jwk(gqlx_arena *a, const gqlx_json *key, const char *group, size_t size)
{
    unsigned char *x, *y;
    size_t x_len, y_len;
    if (!b64_member(a, key, "x", &x, &x_len) || !b64_member(a, key, "y", &y, &y_len) ||
        x_len != size || y_len != size)
        return NULL;
    unsigned char point[1 + 2 * 66];
    point[0] = 0x04; /* uncompressed: 04 || X || Y */
    memcpy(point + 1, x, size);
    memcpy(point + 1 + size, y, size);
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    EVP_PKEY *pkey = NULL;
    if (bld != NULL && OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, group, 0) &&
        OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point, 1 + 2 * size))
        pkey = key_from_params("EC", bld);
    OSSL_PARAM_BLD_free(bld);
    return pkey;
}

/* Whether algorithm alg can run on a key of this kind. */
static bool alg_fits(int alg, gqlx_jwt_key_kind kind)
{
    return gqlx_jwt_algs[alg].family != GQLX_JWT_HMAC && gqlx_jwt_algs[alg].key == kind;
}

/* Adds JWK number i (key) to ks, or skips it when it is not for
 * signatures or of a type, curve or algorithm this verifier does not use;
 * *added tells which. */
static int add_jwk(gqlx_jwt_keys *ks, gqlx_arena *a, const gqlx_json *key, size_t i, bool *added,
                   char *err, size_t errlen)
{
    char what[48];
    snprintf(what, sizeof what, "jwks: key %zu", i);
    *added = false;
    if (key->kind != GQLX_JSON_OBJECT) {
        gqlx_jwt_errf(err, errlen, "%s is not an object", what);
        return GQL_EINVAL;
    }
    const gqlx_json *kty, *use, *alg_s, *kid, *crv;
    if (!opt_string(key, "kty", &kty) || kty == NULL || !opt_string(key, "use", &use) ||
        !opt_string(key, "alg", &alg_s) || !opt_string(key, "kid", &kid) ||
        !opt_string(key, "crv", &crv)) {
        gqlx_jwt_errf(err, errlen,
                      "%s: \"kty\" must be a string, and \"use\", \"alg\", \"kid\", \"crv\" "
                      "strings when present",
                      what);
        return GQL_EINVAL;
    }
    if (use != NULL && !str_is(use, "sig"))
        return GQL_OK; /* an encryption key */
    int alg = -1;
    if (alg_s != NULL && (alg = gqlx_jwt_alg_find(alg_s->u.str, alg_s->len)) < 0)
        return GQL_OK; /* for an algorithm not verified here ("RSA-OAEP", "EdDSA") */

    EVP_PKEY *pkey;
    gqlx_jwt_key_kind kind;
    if (str_is(kty, "RSA")) {
        kind = GQLX_JWT_KEY_RSA;
        pkey = rsa_from_jwk(a, key);
    } else if (str_is(kty, "EC")) {
        const char *group;
        size_t size;
        if (!jwk_curve(crv, &group, &kind, &size))
            return GQL_OK; /* a curve not used by JWS algorithms here */
        pkey = ec_from_jwk(a, key, group, size);
    } else {
        return GQL_OK; /* "oct", "OKP": not used */
    }
    if (pkey == NULL) {
        if (gqlx_arena_failed(a)) {
            gqlx_jwt_errf(err, errlen, "out of memory");
            return GQL_ENOMEM;
        }
        gqlx_jwt_errf(err, errlen,
                      kind == GQLX_JWT_KEY_RSA
                          ? "%s: \"n\" and \"e\" must be non-empty base64url strings"
                          : "%s: \"x\" and \"y\" must be base64url strings of the "
                            "curve's coordinate size, naming a point on it",
                      what);
        return GQL_EINVAL;
    }
    gqlx_jwt_key_kind checked;
    int rc = classify(pkey, &checked, what, err, errlen);
    if (rc == GQL_OK && alg >= 0 && !alg_fits(alg, checked)) {
        gqlx_jwt_errf(err, errlen, "%s: \"alg\" %s does not fit the key", what,
                      gqlx_jwt_algs[alg].name);
        rc = GQL_EINVAL;
    }
    if (rc != GQL_OK) {
        EVP_PKEY_free(pkey);
        return rc;
    }
    rc = push_key(ks, pkey, checked, kid != NULL ? kid->u.str : NULL, kid != NULL ? kid->len : 0,
                  alg, err, errlen);
    *added = rc == GQL_OK;
    return rc;
}

int gqlx_jwt_keys_add_jwks(gqlx_jwt_keys *ks, const char *json, size_t len, char *err,
                           size_t errlen)
{
    if (len > GQLX_JWT_MAX_JWKS_BYTES) {
        gqlx_jwt_errf(err, errlen, "jwks: the document is over %u bytes", GQLX_JWT_MAX_JWKS_BYTES);
        return GQL_ELIMIT;
    }
    gqlx_arena a;
    gqlx_arena_init(&a, 0, 0);
    gqlx_json_opts jo = {.max_bytes = GQLX_JWT_MAX_JWKS_BYTES, .max_depth = JWKS_MAX_DEPTH};
    gqlx_json *root;
    gqlx_json_error je;
    int rc = gqlx_json_parse(&a, json, len, &jo, &root, &je);
    if (rc != GQL_OK) {
        if (rc == GQL_ENOMEM)
            gqlx_jwt_errf(err, errlen, "out of memory");
        else
            gqlx_jwt_errf(err, errlen, "jwks: %s at line %zu, column %zu", je.message, je.line,
                          je.column);
        gqlx_arena_free(&a);
        return rc == GQL_ENOMEM ? GQL_ENOMEM : GQL_EINVAL;
    }
    const gqlx_json *keys = gqlx_json_get_cstr(root, "keys");
    if (keys == NULL || keys->kind != GQLX_JSON_ARRAY) {
        gqlx_jwt_errf(err, errlen, "jwks: the document must be an object with a \"keys\" array");
        gqlx_arena_free(&a);
        return GQL_EINVAL;
    }
    if (keys->len > GQLX_JWT_MAX_KEYS) {
        gqlx_jwt_errf(err, errlen, "jwks: more than %u keys", GQLX_JWT_MAX_KEYS);
        gqlx_arena_free(&a);
        return GQL_ELIMIT;
    }
    size_t usable = 0;
    for (size_t i = 0; i < keys->len && rc == GQL_OK; i++) {
        bool added;
        rc = add_jwk(ks, &a, &keys->u.items[i], i, &added, err, errlen);
        usable += added;
    }
    if (rc == GQL_OK && usable == 0) {
        gqlx_jwt_errf(err, errlen,
                      "jwks: no usable key (RSA, or EC on P-256, P-384, P-521, for signatures)");
        rc = GQL_EINVAL;
    }
    gqlx_arena_free(&a);
    ERR_clear_error();
    return rc;
}
