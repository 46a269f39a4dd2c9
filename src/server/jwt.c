/* src/server/jwt.c — JWT bearer-token verification (include/gql/jwt.h):
 * the compact form, the header rules, signature checks with OpenSSL, the
 * registered claims, and the principal a good token becomes. */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rsa.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/json.h"
#include "core/strdup.h"
#include "gql/jwt.h"
#include "gql/status.h"
#include "server/base64url.h"
#include "server/jwt_internal.h"

/* Defaults of gql_jwt_opts. */
#define DEFAULT_SKEW_SECONDS    60u
#define DEFAULT_MAX_TOKEN_BYTES 8192u

/* RFC 7518 3.2: an HMAC key must be at least as long as the hash; 256
 * bits is the floor for every HS algorithm here. */
#define MIN_SECRET_BYTES 32u

/* JSON nesting accepted in a token: headers are flat; payloads nest a
 * little (Keycloak's realm_access.roles, address claims). */
#define HEADER_MAX_DEPTH  8u
#define PAYLOAD_MAX_DEPTH 32u

/* The reasons gql_jwt_verify gives. */
#define R_TOO_LARGE  "token too large"
#define R_MALFORMED  "malformed token"
#define R_ALG        "unsupported algorithm"
#define R_CRIT       "unsupported critical header"
#define R_KEY        "unknown key"
#define R_SIGNATURE  "bad signature"
#define R_CLAIM      "invalid claim"
#define R_EXPIRED    "token expired"
#define R_NOT_YET    "token not yet valid"
#define R_FUTURE     "token issued in the future"
#define R_ISSUER     "wrong issuer"
#define R_AUDIENCE   "wrong audience"
#define R_NOMEM      "out of memory"
#define R_INVAL      "invalid argument"
#define R_NOT_BEARER "not a bearer token"

const gqlx_jwt_alg gqlx_jwt_algs[] = {
    {"HS256", GQLX_JWT_HMAC, EVP_sha256, GQLX_JWT_KEY_RSA, 0},
    {"HS384", GQLX_JWT_HMAC, EVP_sha384, GQLX_JWT_KEY_RSA, 0},
    {"HS512", GQLX_JWT_HMAC, EVP_sha512, GQLX_JWT_KEY_RSA, 0},
    {"RS256", GQLX_JWT_RSA, EVP_sha256, GQLX_JWT_KEY_RSA, 0},
    {"RS384", GQLX_JWT_RSA, EVP_sha384, GQLX_JWT_KEY_RSA, 0},
    {"RS512", GQLX_JWT_RSA, EVP_sha512, GQLX_JWT_KEY_RSA, 0},
    {"PS256", GQLX_JWT_PSS, EVP_sha256, GQLX_JWT_KEY_RSA, 0},
    {"PS384", GQLX_JWT_PSS, EVP_sha384, GQLX_JWT_KEY_RSA, 0},
    {"PS512", GQLX_JWT_PSS, EVP_sha512, GQLX_JWT_KEY_RSA, 0},
    {"ES256", GQLX_JWT_ECDSA, EVP_sha256, GQLX_JWT_KEY_P256, 32},
    {"ES384", GQLX_JWT_ECDSA, EVP_sha384, GQLX_JWT_KEY_P384, 48},
    {"ES512", GQLX_JWT_ECDSA, EVP_sha512, GQLX_JWT_KEY_P521, 66},
};
const size_t gqlx_jwt_alg_count = sizeof gqlx_jwt_algs / sizeof gqlx_jwt_algs[0];

int gqlx_jwt_alg_find(const char *name, size_t len)
{
    for (size_t i = 0; i < gqlx_jwt_alg_count; i++)
        if (strlen(gqlx_jwt_algs[i].name) == len && memcmp(gqlx_jwt_algs[i].name, name, len) == 0)
            return (int)i;
    return -1;
}

struct gql_jwt_verifier {
    unsigned char *secret; /* heap copy, or NULL */
    size_t secret_len;
    gqlx_jwt_keys keys;
    char *issuer; /* heap copies, or NULL */
    char *audience;
    char *roles_claim; /* NULL: no roles */
    unsigned algs;     /* bit i: gqlx_jwt_algs[i] is accepted */
    unsigned skew;
    size_t max_token_bytes;
};

/* A principal and the arena holding its strings, roles and claims. */
typedef struct jwt_principal {
    gql_principal pub;
    gqlx_arena arena;
} jwt_principal;

void gql_jwt_opts_init(gql_jwt_opts *opts)
{
    if (opts == NULL)
        return;
    *opts = (gql_jwt_opts){
        .secret = NULL,
        .secret_len = 0,
        .public_key_pem = NULL,
        .public_key_pem_len = 0,
        .jwks = NULL,
        .jwks_len = 0,
        .issuer = NULL,
        .audience = NULL,
        .roles_claim = "roles",
        .algorithms = NULL,
        .clock_skew_seconds = DEFAULT_SKEW_SECONDS,
        .max_token_bytes = DEFAULT_MAX_TOKEN_BYTES,
    };
}

void gql_jwt_verifier_free(gql_jwt_verifier *v)
{
    if (v == NULL)
        return;
    if (v->secret != NULL) {
        OPENSSL_cleanse(v->secret, v->secret_len);
        gqlx_free(v->secret);
    }
    gqlx_jwt_keys_free(&v->keys);
    gqlx_free(v->issuer);
    gqlx_free(v->audience);
    gqlx_free(v->roles_claim);
    gqlx_free(v);
}

/* Whether key k may verify a token signed with algorithm alg. */
static bool key_serves(const gqlx_jwt_key *k, int alg)
{
    const gqlx_jwt_alg *a = &gqlx_jwt_algs[alg];
    return a->family != GQLX_JWT_HMAC && a->key == k->kind && (k->alg < 0 || k->alg == alg);
}

/* The algorithms the configured keys can verify. */
static unsigned algs_with_keys(const gql_jwt_verifier *v)
{
    unsigned mask = 0;
    for (size_t alg = 0; alg < gqlx_jwt_alg_count; alg++) {
        if (gqlx_jwt_algs[alg].family == GQLX_JWT_HMAC) {
            if (v->secret != NULL)
                mask |= 1u << alg;
            continue;
        }
        for (size_t i = 0; i < v->keys.count; i++)
            if (key_serves(&v->keys.items[i], (int)alg))
                mask |= 1u << alg;
    }
    return mask;
}

/* Parses the comma-separated list of algorithm names into a mask. */
static int parse_algorithms(const char *list, unsigned *mask, char *err, size_t errlen)
{
    *mask = 0;
    const char *p = list;
    for (;;) {
        while (*p == ' ')
            p++;
        size_t n = strcspn(p, ", ");
        int alg = gqlx_jwt_alg_find(p, n);
        if (alg < 0) {
            gqlx_jwt_errf(err, errlen, "algorithms: \"%.*s\" is not a supported algorithm",
                          (int)(n > 32 ? 32 : n), p);
            return GQL_EINVAL;
        }
        *mask |= 1u << alg;
        p += n;
        while (*p == ' ')
            p++;
        if (*p == '\0')
            return GQL_OK;
        if (*p != ',') {
            gqlx_jwt_errf(err, errlen, "algorithms: names must be separated by commas");
            return GQL_EINVAL;
        }
        p++;
    }
}

/* Copies s unless it is NULL; false when memory ran out. */
static bool copy_opt(char **dst, const char *s)
{
    *dst = NULL;
    return s == NULL || (*dst = gqlx_strdup(s)) != NULL;
}

static int verifier_setup(gql_jwt_verifier *v, const gql_jwt_opts *o, char *err, size_t errlen)
{
    if (o->secret == NULL && o->secret_len > 0) {
        gqlx_jwt_errf(err, errlen, "secret: NULL with a length");
        return GQL_EINVAL;
    }
    if (o->secret != NULL) {
        if (o->secret_len < MIN_SECRET_BYTES || o->secret_len > INT_MAX) {
            gqlx_jwt_errf(err, errlen, "secret: %zu bytes; at least %u are required", o->secret_len,
                          MIN_SECRET_BYTES);
            return GQL_EINVAL;
        }
        if ((v->secret = gqlx_malloc(o->secret_len)) == NULL)
            goto nomem;
        memcpy(v->secret, o->secret, o->secret_len);
        v->secret_len = o->secret_len;
    }
    int rc;
    if (o->public_key_pem != NULL) {
        size_t n = o->public_key_pem_len ? o->public_key_pem_len : strlen(o->public_key_pem);
        if ((rc = gqlx_jwt_keys_add_pem(&v->keys, o->public_key_pem, n, err, errlen)) != GQL_OK)
            return rc;
    }
    if (o->jwks != NULL) {
        size_t n = o->jwks_len ? o->jwks_len : strlen(o->jwks);
        if ((rc = gqlx_jwt_keys_add_jwks(&v->keys, o->jwks, n, err, errlen)) != GQL_OK)
            return rc;
    }
    if (v->secret == NULL && v->keys.count == 0) {
        gqlx_jwt_errf(err, errlen, "no key: set secret, public_key_pem or jwks");
        return GQL_EINVAL;
    }
    v->algs = algs_with_keys(v);
    if (o->algorithms != NULL) {
        unsigned listed;
        if ((rc = parse_algorithms(o->algorithms, &listed, err, errlen)) != GQL_OK)
            return rc;
        v->algs &= listed;
        if (v->algs == 0) {
            gqlx_jwt_errf(err, errlen, "algorithms: no configured key serves any of them");
            return GQL_EINVAL;
        }
    }
    const char *roles = o->roles_claim != NULL && o->roles_claim[0] != '\0' ? o->roles_claim : NULL;
    if (!copy_opt(&v->issuer, o->issuer) || !copy_opt(&v->audience, o->audience) ||
        !copy_opt(&v->roles_claim, roles))
        goto nomem;
    v->skew = o->clock_skew_seconds;
    v->max_token_bytes = o->max_token_bytes ? o->max_token_bytes : DEFAULT_MAX_TOKEN_BYTES;
    return GQL_OK;
nomem:
    gqlx_jwt_errf(err, errlen, "out of memory");
    return GQL_ENOMEM;
}

int gql_jwt_verifier_new(const gql_jwt_opts *opts, gql_jwt_verifier **out, char *err, size_t errlen)
{
    gqlx_jwt_errf(err, errlen, "%s", "");
    if (out != NULL)
        *out = NULL;
    if (opts == NULL || out == NULL) {
        gqlx_jwt_errf(err, errlen, "invalid argument");
        return GQL_EINVAL;
    }
    gql_jwt_verifier *v = gqlx_malloc(sizeof *v);
    if (v == NULL) {
        gqlx_jwt_errf(err, errlen, "out of memory");
        return GQL_ENOMEM;
    }
    *v = (gql_jwt_verifier){.secret = NULL, .keys = {.items = NULL, .count = 0, .cap = 0}};
    int rc = verifier_setup(v, opts, err, errlen);
    ERR_clear_error();
    if (rc != GQL_OK) {
        gql_jwt_verifier_free(v);
        return rc;
    }
    *out = v;
    return GQL_OK;
}

/* ---- signatures ----------------------------------------------------------- */

/* RFC 7518 3.4: an ECDSA signature is R || S, each half bytes; OpenSSL
 * wants DER. Returns the DER length written into *der (OPENSSL_malloc'd),
 * or 0 when the pair cannot be encoded. */
static int ecdsa_der(const unsigned char *sig, size_t half, unsigned char **der)
{
    ECDSA_SIG *es = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(sig, (int)half, NULL);
    BIGNUM *s = BN_bin2bn(sig + half, (int)half, NULL);
    int len = 0;
    if (es != NULL && r != NULL && s != NULL && ECDSA_SIG_set0(es, r, s) == 1) {
        r = s = NULL; /* es owns them now */
        *der = NULL;
        len = i2d_ECDSA_SIG(es, der);
        if (len < 0)
            len = 0;
    }
    BN_free(r);
    BN_free(s);
    ECDSA_SIG_free(es);
    return len;
}

/* Verifies sig over input with public key k and algorithm alg. */
static bool verify_with_key(const gqlx_jwt_key *k, int alg, const unsigned char *input,
                            size_t input_len, const unsigned char *sig, size_t sig_len)
{
    const gqlx_jwt_alg *a = &gqlx_jwt_algs[alg];
    unsigned char *der = NULL;
    if (a->family == GQLX_JWT_ECDSA) {
        if (sig_len != 2 * a->ec_half)
            return false;
        int n = ecdsa_der(sig, a->ec_half, &der);
        if (n <= 0)
            return false;
        sig = der;
        sig_len = (size_t)n;
    }
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = NULL;
    bool ok = ctx != NULL && EVP_DigestVerifyInit(ctx, &pctx, a->md(), NULL, k->pkey) == 1;
    if (ok && a->family == GQLX_JWT_PSS)
        ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
             EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) == 1 &&
             EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, a->md()) == 1;
    ok = ok && EVP_DigestVerify(ctx, sig, sig_len, input, input_len) == 1;
    EVP_MD_CTX_free(ctx);
    OPENSSL_free(der);
    return ok;
}

static bool verify_hmac(const gql_jwt_verifier *v, int alg, const unsigned char *input,
                        size_t input_len, const unsigned char *sig, size_t sig_len)
{
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned mac_len = 0;
    if (HMAC(gqlx_jwt_algs[alg].md(), v->secret, (int)v->secret_len, input, input_len, mac,
             &mac_len) == NULL)
        return false;
    /* The length is public (it follows from alg); the bytes are compared
     * in constant time so timing tells nothing about a forged MAC. */
    bool ok = sig_len == mac_len && CRYPTO_memcmp(mac, sig, mac_len) == 0;
    OPENSSL_cleanse(mac, sizeof mac);
    return ok;
}

static bool kid_is(const gqlx_jwt_key *k, const gqlx_json *kid)
{
    return k->kid != NULL && k->kid_len == kid->len && memcmp(k->kid, kid->u.str, kid->len) == 0;
}

/* Checks the signature with the keys the header selects: a "kid" picks
 * the keys of that id, or failing those the keys without one (PEM keys);
 * without "kid" every key serving alg is tried. Returns NULL when good,
 * else the reason. */
static const char *check_signature(const gql_jwt_verifier *v, int alg, const gqlx_json *kid,
                                   const unsigned char *input, size_t input_len,
                                   const unsigned char *sig, size_t sig_len)
{
    if (gqlx_jwt_algs[alg].family == GQLX_JWT_HMAC)
        return verify_hmac(v, alg, input, input_len, sig, sig_len) ? NULL : R_SIGNATURE;
    bool tried = false;
    /* pass 0: keys named by kid; pass 1: keys without an id */
    for (int pass = kid != NULL ? 0 : 1; pass < 2; pass++) {
        for (size_t i = 0; i < v->keys.count; i++) {
            const gqlx_jwt_key *k = &v->keys.items[i];
            if (!key_serves(k, alg))
                continue;
            if (pass == 0 ? !kid_is(k, kid) : kid != NULL && k->kid != NULL)
                continue;
            tried = true;
            bool ok = verify_with_key(k, alg, input, input_len, sig, sig_len);
            /* a failed check leaves OpenSSL errors in this thread's queue */
            ERR_clear_error();
            if (ok)
                return NULL;
        }
        if (tried)
            break;
    }
    return tried ? R_SIGNATURE : R_KEY;
}

/* ---- claims --------------------------------------------------------------- */

/* Decodes the base64url segment s[0..n) into the arena. Returns GQL_OK,
 * GQL_ENOMEM, or GQL_EUNAUTHENTICATED. */
static int decode_segment(gqlx_arena *a, const char *s, size_t n, unsigned char **out,
                          size_t *out_len)
{
    *out = gqlx_arena_alloc(a, gqlx_base64url_decoded_max(n), 1);
    if (*out == NULL)
        return GQL_ENOMEM;
    return gqlx_base64url_decode(s, n, *out, out_len) ? GQL_OK : GQL_EUNAUTHENTICATED;
}

/* Parses decoded bytes as a JSON object in the arena. Returns GQL_OK,
 * GQL_ENOMEM, or GQL_EUNAUTHENTICATED. */
static int parse_object(gqlx_arena *a, const unsigned char *bytes, size_t len, unsigned depth,
                        const gqlx_json **out)
{
    gqlx_json_opts jo = {.max_bytes = 0, .max_depth = depth};
    gqlx_json *root;
    int rc = gqlx_json_parse(a, (const char *)bytes, len, &jo, &root, NULL);
    if (rc == GQL_ENOMEM)
        return GQL_ENOMEM;
    if (rc != GQL_OK || root->kind != GQLX_JSON_OBJECT)
        return GQL_EUNAUTHENTICATED;
    *out = root;
    return GQL_OK;
}

/* A NumericDate claim: absent (true, *present false), a finite number
 * (true), or something else (false). */
static bool numeric_date(const gqlx_json *payload, const char *name, double *value, bool *present)
{
    const gqlx_json *c = gqlx_json_get_cstr(payload, name);
    *present = c != NULL;
    if (c == NULL)
        return true;
    if (c->kind != GQLX_JSON_NUMBER || !isfinite(c->d))
        return false;
    *value = c->d;
    return true;
}

static bool string_eq(const gqlx_json *s, const char *want)
{
    size_t n = strlen(want);
    return s != NULL && s->kind == GQLX_JSON_STRING && s->len == n &&
           memcmp(s->u.str, want, n) == 0;
}

static bool audience_ok(const gqlx_json *aud, const char *want)
{
    if (aud == NULL)
        return false;
    if (aud->kind != GQLX_JSON_ARRAY)
        return string_eq(aud, want);
    for (size_t i = 0; i < aud->len; i++)
        if (string_eq(&aud->u.items[i], want))
            return true;
    return false;
}

/* A claim string as a C string in the arena; NULL when it holds a NUL
 * (a role "admin\0x" must not pass as "admin") or memory ran out
 * (*nomem set). */
static const char *claim_cstr(gqlx_arena *a, const gqlx_json *s, bool *nomem)
{
    if (memchr(s->u.str, '\0', s->len) != NULL)
        return NULL;
    char *c = gqlx_arena_strndup(a, s->u.str, s->len);
    *nomem = c == NULL;
    return c;
}

/* Fills the principal's subject and roles. Returns GQL_OK, GQL_ENOMEM or
 * GQL_EUNAUTHENTICATED (an ill-typed claim). */
static int identity(const gql_jwt_verifier *v, jwt_principal *jp, const gqlx_json *payload)
{
    gqlx_arena *a = &jp->arena;
    bool nomem = false;
    const gqlx_json *sub = gqlx_json_get_cstr(payload, "sub");
    if (sub != NULL) {
        if (sub->kind != GQLX_JSON_STRING)
            return GQL_EUNAUTHENTICATED;
        if ((jp->pub.subject = claim_cstr(a, sub, &nomem)) == NULL)
            return nomem ? GQL_ENOMEM : GQL_EUNAUTHENTICATED;
    }
    const gqlx_json *roles =
        v->roles_claim != NULL ? gqlx_json_get_path(payload, v->roles_claim) : NULL;
    if (roles == NULL || roles->kind == GQLX_JSON_NULL)
        return GQL_OK;
    size_t count = roles->kind == GQLX_JSON_ARRAY ? roles->len : 1;
    const gqlx_json *items = roles->kind == GQLX_JSON_ARRAY ? roles->u.items : roles;
    const char **list = GQLX_ARRAY(a, const char *, count ? count : 1);
    if (list == NULL)
        return GQL_ENOMEM;
    for (size_t i = 0; i < count; i++) {
        if (items[i].kind != GQLX_JSON_STRING)
            return GQL_EUNAUTHENTICATED;
        if ((list[i] = claim_cstr(a, &items[i], &nomem)) == NULL)
            return nomem ? GQL_ENOMEM : GQL_EUNAUTHENTICATED;
    }
    jp->pub.roles = list;
    jp->pub.role_count = count;
    return GQL_OK;
}

/* Checks the time, issuer and audience claims at time now. Returns NULL
 * when they pass, else the reason; *exp_at receives "exp" rounded down (0
 * when absent). */
static const char *check_claims(const gql_jwt_verifier *v, const gqlx_json *payload, long long now,
                                long long *exp_at)
{
    double exp = 0, nbf = 0, iat = 0;
    bool has_exp, has_nbf, has_iat;
    if (!numeric_date(payload, "exp", &exp, &has_exp) ||
        !numeric_date(payload, "nbf", &nbf, &has_nbf) ||
        !numeric_date(payload, "iat", &iat, &has_iat))
        return R_CLAIM;
    /* In doubles: now and the claims may be anywhere in their ranges, and
     * a sum in long long could overflow. */
    double t = (double)now, skew = (double)v->skew;
    if (has_exp && t >= exp + skew)
        return R_EXPIRED;
    if (has_nbf && t + skew < nbf)
        return R_NOT_YET;
    if (has_iat && iat > t + skew)
        return R_FUTURE;
    if (v->issuer != NULL && !string_eq(gqlx_json_get_cstr(payload, "iss"), v->issuer))
        return R_ISSUER;
    if (v->audience != NULL && !audience_ok(gqlx_json_get_cstr(payload, "aud"), v->audience))
        return R_AUDIENCE;
    *exp_at = 0;
    if (has_exp) {
        /* The identity lasts as long as the token is accepted, skew
         * included, so the rules and a WebSocket's expiry agree with
         * verification: a whole second t is refused when t >= exp + skew,
         * which is t >= ceil(exp + skew). 0 means "never", so an end at
         * or before the epoch stays 1. */
        double f = ceil(exp + skew);
        *exp_at = f >= 9.2e18 ? LLONG_MAX : f < 1 ? 1 : (long long)f;
    }
    return NULL;
}

/* ---- verification --------------------------------------------------------- */

/* Splits the compact form into its three segments; false unless there are
 * exactly two dots. */
static bool split(const char *t, size_t len, size_t dots[2])
{
    size_t found = 0;
    for (size_t i = 0; i < len; i++) {
        if (t[i] == '.') {
            if (found == 2)
                return false;
            dots[found++] = i;
        }
    }
    return found == 2;
}

/* Verifies the token into jp. Returns GQL_OK, GQL_ENOMEM or
 * GQL_EUNAUTHENTICATED with *reason set. */
static int verify_into(const gql_jwt_verifier *v, const char *token, size_t len, long long now,
                       jwt_principal *jp, const char **reason)
{
    gqlx_arena *a = &jp->arena;
    size_t dots[2];
    *reason = R_MALFORMED;
    if (!split(token, len, dots))
        return GQL_EUNAUTHENTICATED;
    const char *h = token, *p = token + dots[0] + 1, *s = token + dots[1] + 1;
    size_t h_len = dots[0], p_len = dots[1] - dots[0] - 1, s_len = len - dots[1] - 1;

    /* Every segment must be strict base64url before anything else is
     * looked at. */
    unsigned char *hb, *pb, *sig;
    size_t hb_len, pb_len, sig_len;
    int rc;
    if ((rc = decode_segment(a, h, h_len, &hb, &hb_len)) != GQL_OK ||
        (rc = decode_segment(a, p, p_len, &pb, &pb_len)) != GQL_OK ||
        (rc = decode_segment(a, s, s_len, &sig, &sig_len)) != GQL_OK)
        return rc;
    const gqlx_json *header;
    if ((rc = parse_object(a, hb, hb_len, HEADER_MAX_DEPTH, &header)) != GQL_OK)
        return rc;
    const gqlx_json *alg_s = gqlx_json_get_cstr(header, "alg");
    const gqlx_json *kid = gqlx_json_get_cstr(header, "kid");
    if (alg_s == NULL || alg_s->kind != GQLX_JSON_STRING ||
        (kid != NULL && kid->kind != GQLX_JSON_STRING))
        return GQL_EUNAUTHENTICATED;
    int alg = gqlx_jwt_alg_find(alg_s->u.str, alg_s->len);
    if (alg < 0 || !(v->algs & (1u << alg))) {
        *reason = R_ALG;
        return GQL_EUNAUTHENTICATED;
    }
    /* RFC 7515 4.1.11: extensions listed in "crit" must be understood, and
     * this verifier understands none. */
    if (gqlx_json_get_cstr(header, "crit") != NULL) {
        *reason = R_CRIT;
        return GQL_EUNAUTHENTICATED;
    }

    /* The signing input is the first two segments as they were sent. */
    const char *bad =
        check_signature(v, alg, kid, (const unsigned char *)token, dots[1], sig, sig_len);
    if (bad != NULL) {
        *reason = bad;
        return GQL_EUNAUTHENTICATED;
    }

    const gqlx_json *payload;
    if ((rc = parse_object(a, pb, pb_len, PAYLOAD_MAX_DEPTH, &payload)) != GQL_OK)
        return rc;
    long long exp_at = 0;
    if ((bad = check_claims(v, payload, now, &exp_at)) != NULL) {
        *reason = bad;
        return GQL_EUNAUTHENTICATED;
    }
    *reason = R_CLAIM;
    if ((rc = identity(v, jp, payload)) != GQL_OK)
        return rc;
    jp->pub.claims = (const gql_json *)(const void *)payload;
    jp->pub.expires_at = exp_at;
    *reason = NULL;
    return GQL_OK;
}

int gql_jwt_verify(const gql_jwt_verifier *v, const char *token, size_t len, long long now,
                   gql_principal **out, const char **reason)
{
    const char *why = NULL;
    if (out != NULL)
        *out = NULL;
    if (reason == NULL)
        reason = &why;
    *reason = NULL;
    if (v == NULL || out == NULL || (token == NULL && len > 0)) {
        *reason = R_INVAL;
        return GQL_EINVAL;
    }
    if (len > v->max_token_bytes) {
        *reason = R_TOO_LARGE;
        return GQL_EUNAUTHENTICATED;
    }
    if (len == 0) {
        *reason = R_MALFORMED;
        return GQL_EUNAUTHENTICATED;
    }
    if (now == 0)
        now = (long long)time(NULL);
    jwt_principal *jp = gqlx_malloc(sizeof *jp);
    if (jp == NULL) {
        *reason = R_NOMEM;
        return GQL_ENOMEM;
    }
    jp->pub = (gql_principal){
        .subject = NULL, .roles = NULL, .role_count = 0, .claims = NULL, .expires_at = 0};
    /* One chunk fits the decoded segments and the claims of a typical
     * token; larger ones grow the arena. */
    gqlx_arena_init(&jp->arena, 4096, 0);
    int rc = verify_into(v, token, len, now, jp, reason);
    if (rc != GQL_OK) {
        if (rc == GQL_ENOMEM)
            *reason = R_NOMEM;
        gqlx_arena_free(&jp->arena);
        gqlx_free(jp);
        return rc;
    }
    *out = &jp->pub;
    return GQL_OK;
}

void gql_jwt_principal_free(gql_principal *principal)
{
    if (principal == NULL)
        return;
    jwt_principal *jp = (jwt_principal *)(void *)((char *)principal - offsetof(jwt_principal, pub));
    gqlx_arena_free(&jp->arena);
    gqlx_free(jp);
}

/* ---- bearer credentials --------------------------------------------------- */

static bool is_ows(char c)
{
    return c == ' ' || c == '\t';
}

/* RFC 6750 b64token characters (the "=" padding is handled apart). */
static bool is_b64token(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
}

int gql_bearer_token(const char *value, size_t len, const char **token, size_t *token_len)
{
    if (token == NULL || token_len == NULL || (value == NULL && len > 0))
        return GQL_EINVAL;
    *token = NULL;
    *token_len = 0;
    size_t b = 0, e = len;
    while (b < e && is_ows(value[b]))
        b++;
    while (e > b && is_ows(value[e - 1]))
        e--;
    static const char scheme[] = "bearer";
    size_t sl = sizeof scheme - 1;
    if (e - b <= sl || !is_ows(value[b + sl]))
        return GQL_EUNAUTHENTICATED;
    for (size_t i = 0; i < sl; i++) {
        char c = value[b + i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != scheme[i])
            return GQL_EUNAUTHENTICATED;
    }
    b += sl;
    while (b < e && is_ows(value[b]))
        b++;
    size_t i = b;
    while (i < e && is_b64token((unsigned char)value[i]))
        i++;
    if (i == b)
        return GQL_EUNAUTHENTICATED;
    while (i < e && value[i] == '=')
        i++;
    if (i != e)
        return GQL_EUNAUTHENTICATED;
    *token = value + b;
    *token_len = e - b;
    return GQL_OK;
}

int gql_jwt_verify_bearer(const gql_jwt_verifier *v, const char *header_value, size_t len,
                          long long now, gql_principal **out, const char **reason)
{
    const char *token;
    size_t token_len;
    int rc = gql_bearer_token(header_value, len, &token, &token_len);
    if (rc != GQL_OK) {
        if (out != NULL)
            *out = NULL;
        if (reason != NULL)
            *reason = rc == GQL_EINVAL ? R_INVAL : R_NOT_BEARER;
        return rc;
    }
    return gql_jwt_verify(v, token, token_len, now, out, reason);
}
