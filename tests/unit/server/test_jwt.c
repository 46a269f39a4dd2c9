/* tests/unit/server/test_jwt.c — JWT bearer-token verification (jwt.c,
 * jwt_keys.c, base64url.c): keys made here with OpenSSL, exported as PEM
 * and as JWKS, tokens signed here, and every refusal with its reason. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "core/alloc.h"
#include "gql/jwt.h"
#include "gql/status.h"
#include "server/base64url.h"

#define NOW 1700000000LL

/* Keys shared by every test (made once: RSA generation is slow). */
static struct {
    EVP_PKEY *rsa, *rsa2, *rsa_small, *p256, *p384, *p521;
    char *rsa_pem, *rsa2_pem, *rsa_small_pem, *p256_pem, *p384_pem, *p521_pem, *rsa_private_pem;
} K;

static const unsigned char SECRET[] = "0123456789abcdef0123456789abcdef-this-is-the-hmac-secret!";
#define SECRET_LEN (sizeof SECRET - 1)

/* ---- helpers: text, keys, tokens -------------------------------------------- */

static char *xprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *xprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = malloc((size_t)n + 1);
    assert_non_null(s);
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

static char *b64(const void *p, size_t n)
{
    char *s = malloc(gqlx_base64url_encoded_len(n) + 1);
    assert_non_null(s);
    s[gqlx_base64url_encode(p, n, s)] = '\0';
    return s;
}

static char *bn_b64(const EVP_PKEY *pkey, const char *param, int pad)
{
    BIGNUM *bn = NULL;
    assert_int_equal(EVP_PKEY_get_bn_param(pkey, param, &bn), 1);
    int n = pad > 0 ? pad : BN_num_bytes(bn);
    unsigned char *buf = malloc((size_t)n);
    assert_non_null(buf);
    assert_int_equal(BN_bn2binpad(bn, buf, n), n);
    char *s = b64(buf, (size_t)n);
    free(buf);
    BN_free(bn);
    return s;
}

static char *pem_of(EVP_PKEY *pkey, int private_key)
{
    BIO *bio = BIO_new(BIO_s_mem());
    assert_non_null(bio);
    if (private_key)
        assert_int_equal(PEM_write_bio_PrivateKey(bio, pkey, NULL, NULL, 0, NULL, NULL), 1);
    else
        assert_int_equal(PEM_write_bio_PUBKEY(bio, pkey), 1);
    char *data;
    long n = BIO_get_mem_data(bio, &data);
    char *s = malloc((size_t)n + 1);
    assert_non_null(s);
    memcpy(s, data, (size_t)n);
    s[n] = '\0';
    BIO_free(bio);
    return s;
}

/* A JWK for an RSA key; extra is more members (",\"alg\":\"RS256\"") or "". */
static char *rsa_jwk(EVP_PKEY *pkey, const char *kid, const char *extra)
{
    char *n = bn_b64(pkey, OSSL_PKEY_PARAM_RSA_N, 0);
    char *e = bn_b64(pkey, OSSL_PKEY_PARAM_RSA_E, 0);
    char *s =
        xprintf("{\"kty\":\"RSA\",\"kid\":\"%s\",\"n\":\"%s\",\"e\":\"%s\"%s}", kid, n, e, extra);
    free(n);
    free(e);
    return s;
}

static char *ec_jwk(EVP_PKEY *pkey, const char *crv, int size, const char *kid)
{
    char *x = bn_b64(pkey, OSSL_PKEY_PARAM_EC_PUB_X, size);
    char *y = bn_b64(pkey, OSSL_PKEY_PARAM_EC_PUB_Y, size);
    char *s = xprintf("{\"kty\":\"EC\",\"crv\":\"%s\",\"kid\":\"%s\",\"x\":\"%s\",\"y\":\"%s\"}",
                      crv, kid, x, y);
    free(x);
    free(y);
    return s;
}

static const EVP_MD *md_of(const char *alg)
{
    const char *bits = alg + 2;
    return strcmp(bits, "256") == 0   ? EVP_sha256()
           : strcmp(bits, "384") == 0 ? EVP_sha384()
                                      : EVP_sha512();
}

/* Signs header.payload (JSON texts) with alg: HS* with secret, others
 * with pkey. Returns the compact token (malloc'd). */
static char *sign_with(const char *alg, EVP_PKEY *pkey, const void *secret, size_t secret_len,
                       const char *header, const char *payload)
{
    char *h = b64(header, strlen(header));
    char *p = b64(payload, strlen(payload));
    char *input = xprintf("%s.%s", h, p);
    free(h);
    free(p);
    size_t in_len = strlen(input);
    unsigned char sig[1024];
    size_t sig_len = 0;
    if (alg[0] == 'H') {
        unsigned n = 0;
        assert_non_null(HMAC(md_of(alg), secret, (int)secret_len, (const unsigned char *)input,
                             in_len, sig, &n));
        sig_len = n;
    } else if (alg[0] != 'n') {
        EVP_MD_CTX *ctx = EVP_MD_CTX_new();
        EVP_PKEY_CTX *pctx = NULL;
        assert_int_equal(EVP_DigestSignInit(ctx, &pctx, md_of(alg), NULL, pkey), 1);
        if (alg[0] == 'P') {
            assert_int_equal(EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING), 1);
            assert_int_equal(EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST), 1);
        }
        unsigned char der[1024];
        size_t der_len = sizeof der;
        assert_int_equal(EVP_DigestSign(ctx, der, &der_len, (const unsigned char *)input, in_len),
                         1);
        EVP_MD_CTX_free(ctx);
        if (alg[0] == 'E') {
            /* DER to R || S, each as wide as the curve's order */
            int half = strcmp(alg, "ES256") == 0 ? 32 : strcmp(alg, "ES384") == 0 ? 48 : 66;
            const unsigned char *d = der;
            ECDSA_SIG *es = d2i_ECDSA_SIG(NULL, &d, (long)der_len);
            assert_non_null(es);
            assert_int_equal(BN_bn2binpad(ECDSA_SIG_get0_r(es), sig, half), half);
            assert_int_equal(BN_bn2binpad(ECDSA_SIG_get0_s(es), sig + half, half), half);
            ECDSA_SIG_free(es);
            sig_len = 2 * (size_t)half;
        } else {
            memcpy(sig, der, der_len);
            sig_len = der_len;
        }
    }
    char *s = b64(sig, sig_len);
    char *token = xprintf("%s.%s", input, s);
    free(s);
    free(input);
    return token;
}

/* The usual header for alg, with a kid when kid is not NULL. */
static char *header_for(const char *alg, const char *kid)
{
    return kid != NULL ? xprintf("{\"alg\":\"%s\",\"typ\":\"JWT\",\"kid\":\"%s\"}", alg, kid)
                       : xprintf("{\"alg\":\"%s\",\"typ\":\"JWT\"}", alg);
}

/* A token for alg over payload, signed with pkey (or the test secret). */
static char *token_kid(const char *alg, EVP_PKEY *pkey, const char *kid, const char *payload)
{
    char *h = header_for(alg, kid);
    char *t = sign_with(alg, pkey, SECRET, SECRET_LEN, h, payload);
    free(h);
    return t;
}

static char *token(const char *alg, EVP_PKEY *pkey, const char *payload)
{
    return token_kid(alg, pkey, NULL, payload);
}

static const char *PAYLOAD = "{\"sub\":\"alice\",\"name\":\"Alice\",\"roles\":[\"admin\",\"user\"],"
                             "\"iat\":1699999000,\"exp\":1700003600}";

/* Options with the defaults and the given key material. */
static gql_jwt_opts opts_with(int secret, const char *pem, const char *jwks)
{
    gql_jwt_opts o;
    gql_jwt_opts_init(&o);
    if (secret) {
        o.secret = SECRET;
        o.secret_len = SECRET_LEN;
    }
    o.public_key_pem = pem;
    o.jwks = jwks;
    return o;
}

static gql_jwt_verifier *make(const gql_jwt_opts *o)
{
    gql_jwt_verifier *v = NULL;
    char err[256];
    int rc = gql_jwt_verifier_new(o, &v, err, sizeof err);
    if (rc != GQL_OK)
        fail_msg("gql_jwt_verifier_new: %s", err);
    assert_string_equal(err, "");
    return v;
}

/* Expects verifier_new to fail with rc and a message containing `part`. */
static void refuse_opts(const gql_jwt_opts *o, int rc, const char *part)
{
    gql_jwt_verifier *v = (gql_jwt_verifier *)1;
    char err[256];
    assert_int_equal(gql_jwt_verifier_new(o, &v, err, sizeof err), rc);
    assert_null(v);
    if (strstr(err, part) == NULL)
        fail_msg("error \"%s\" does not mention \"%s\"", err, part);
}

/* Verifies tok (freed) at NOW and returns the principal, failing the test
 * on refusal. */
static gql_principal *accept(const gql_jwt_verifier *v, char *tok)
{
    gql_principal *p = NULL;
    const char *reason = "unset";
    int rc = gql_jwt_verify(v, tok, strlen(tok), NOW, &p, &reason);
    if (rc != GQL_OK)
        fail_msg("token refused (%d): %s\n  %s", rc, reason ? reason : "(null)", tok);
    free(tok);
    assert_null(reason);
    assert_non_null(p);
    return p;
}

static void accept_free(const gql_jwt_verifier *v, char *tok)
{
    gql_jwt_principal_free(accept(v, tok));
}

/* Verifies tok (freed) at now and expects a refusal with reason. */
static void refuse_at(const gql_jwt_verifier *v, char *tok, long long now, const char *why)
{
    gql_principal *p = (gql_principal *)1;
    const char *reason = NULL;
    int rc = gql_jwt_verify(v, tok, strlen(tok), now, &p, &reason);
    if (rc != GQL_EUNAUTHENTICATED || reason == NULL || strcmp(reason, why) != 0)
        fail_msg("expected \"%s\", got %d \"%s\" for\n  %s", why, rc, reason ? reason : "(null)",
                 tok);
    assert_null(p);
    free(tok);
}

static void refuse(const gql_jwt_verifier *v, char *tok, const char *why)
{
    refuse_at(v, tok, NOW, why);
}

/* ---- fixtures ------------------------------------------------------------------ */

static int setup_keys(void **state)
{
    (void)state;
    K.rsa = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
    K.rsa2 = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
    K.rsa_small = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)1024);
    K.p256 = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    K.p384 = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
    K.p521 = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-521");
    if (!K.rsa || !K.rsa2 || !K.rsa_small || !K.p256 || !K.p384 || !K.p521)
        return -1;
    K.rsa_pem = pem_of(K.rsa, 0);
    K.rsa2_pem = pem_of(K.rsa2, 0);
    K.rsa_small_pem = pem_of(K.rsa_small, 0);
    K.p256_pem = pem_of(K.p256, 0);
    K.p384_pem = pem_of(K.p384, 0);
    K.p521_pem = pem_of(K.p521, 0);
    K.rsa_private_pem = pem_of(K.rsa, 1);
    return 0;
}

static int teardown_keys(void **state)
{
    (void)state;
    EVP_PKEY *keys[] = {K.rsa, K.rsa2, K.rsa_small, K.p256, K.p384, K.p521};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        EVP_PKEY_free(keys[i]);
    char *texts[] = {K.rsa_pem,  K.rsa2_pem, K.rsa_small_pem,  K.p256_pem,
                     K.p384_pem, K.p521_pem, K.rsa_private_pem};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        free(texts[i]);
    return 0;
}

/* ---- base64url ------------------------------------------------------------------ */

static bool dec(const char *s, char *out, size_t *n)
{
    return gqlx_base64url_decode(s, strlen(s), (unsigned char *)out, n);
}

static void test_base64url(void **state)
{
    (void)state;
    char out[64];
    size_t n;
    assert_true(dec("", out, &n));
    assert_int_equal(n, 0);
    assert_true(dec("Zg", out, &n));
    assert_memory_equal(out, "f", 1);
    assert_true(dec("Zm8", out, &n));
    assert_memory_equal(out, "fo", 2);
    assert_true(dec("Zm9v", out, &n));
    assert_int_equal(n, 3);
    assert_true(dec("-_8", out, &n)); /* the URL-safe characters */
    assert_int_equal(n, 2);
    assert_memory_equal(out, "\xfb\xff", 2);
    assert_false(dec("Zg==", out, &n)); /* padding */
    assert_false(dec("Z", out, &n));    /* 6 bits are not a byte */
    assert_false(dec("Zh", out, &n));   /* leftover bits set: not canonical */
    assert_false(dec("Zm+v", out, &n)); /* base64, not base64url */
    assert_false(dec("Zm/v", out, &n));
    assert_false(dec("Zm9 v", out, &n));
    assert_false(dec("Zm9\nv", out, &n));

    /* Every length round-trips. */
    unsigned char bytes[40];
    for (size_t i = 0; i < sizeof bytes; i++)
        bytes[i] = (unsigned char)(i * 37 + 11);
    for (size_t len = 0; len <= sizeof bytes; len++) {
        char text[64];
        size_t t = gqlx_base64url_encode(bytes, len, text);
        assert_int_equal(t, gqlx_base64url_encoded_len(len));
        unsigned char back[64];
        size_t m;
        assert_true(gqlx_base64url_decode(text, t, back, &m));
        assert_int_equal(m, len);
        assert_memory_equal(back, bytes, len);
    }
}

/* ---- accepted tokens ------------------------------------------------------------ */

static void check_alice(const gql_principal *p)
{
    assert_string_equal(p->subject, "alice");
    assert_int_equal(p->role_count, 2);
    assert_string_equal(p->roles[0], "admin");
    assert_string_equal(p->roles[1], "user");
    assert_int_equal(p->expires_at, 1700003600LL + 60); /* exp plus the default skew */
    size_t n;
    const char *name = gql_json_string(gql_json_member(p->claims, "name"), &n);
    assert_int_equal(n, 5);
    assert_memory_equal(name, "Alice", 5);
    assert_int_equal(gql_json_int(gql_json_member(p->claims, "iat")), 1699999000);
}

static void test_hmac_accepted(void **state)
{
    (void)state;
    gql_jwt_opts o = opts_with(1, NULL, NULL);
    gql_jwt_verifier *v = make(&o);
    const char *algs[] = {"HS256", "HS384", "HS512"};
    for (size_t i = 0; i < 3; i++) {
        gql_principal *p = accept(v, token(algs[i], NULL, PAYLOAD));
        check_alice(p);
        gql_jwt_principal_free(p);
    }
    gql_jwt_verifier_free(v);
}

static void test_rsa_accepted(void **state)
{
    (void)state;
    gql_jwt_opts o = opts_with(0, K.rsa_pem, NULL);
    gql_jwt_verifier *v = make(&o);
    const char *algs[] = {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512"};
    for (size_t i = 0; i < 6; i++) {
        gql_principal *p = accept(v, token(algs[i], K.rsa, PAYLOAD));
        check_alice(p);
        gql_jwt_principal_free(p);
    }
    gql_jwt_verifier_free(v);
}

static void test_ec_accepted(void **state)
{
    (void)state;
    struct {
        const char *alg, *pem;
        EVP_PKEY *key;
    } cases[] = {{"ES256", K.p256_pem, K.p256},
                 {"ES384", K.p384_pem, K.p384},
                 {"ES512", K.p521_pem, K.p521}};
    for (size_t i = 0; i < 3; i++) {
        gql_jwt_opts o = opts_with(0, cases[i].pem, NULL);
        gql_jwt_verifier *v = make(&o);
        /* ECDSA signatures are randomized: several of each, so R or S with
         * leading zero bytes get exercised too. */
        for (int k = 0; k < 8; k++) {
            gql_principal *p = accept(v, token(cases[i].alg, cases[i].key, PAYLOAD));
            check_alice(p);
            gql_jwt_principal_free(p);
        }
        /* the other curves' algorithms are refused */
        const char *other = i == 0 ? "ES384" : "ES256";
        refuse(v, token(other, i == 0 ? K.p384 : K.p256, PAYLOAD), "unsupported algorithm");
        gql_jwt_verifier_free(v);
    }
}

static void test_several_pem_keys(void **state)
{
    (void)state;
    /* one PEM text holding an RSA key and an EC key; a private-key-free
     * text of several blocks is common for rotation */
    char *pem = xprintf("%s%s", K.rsa2_pem, K.p256_pem);
    gql_jwt_opts o = opts_with(1, pem, NULL);
    gql_jwt_verifier *v = make(&o);
    accept_free(v, token("RS256", K.rsa2, PAYLOAD));
    accept_free(v, token("ES256", K.p256, PAYLOAD));
    accept_free(v, token("HS256", NULL, PAYLOAD));
    refuse(v, token("RS256", K.rsa, PAYLOAD), "bad signature");
    gql_jwt_verifier_free(v);
    free(pem);
}

/* ---- the principal -------------------------------------------------------------- */

/* Verifies payload signed HS256 with roles_claim and returns the principal. */
static gql_principal *with_roles(const char *roles_claim, const char *payload)
{
    gql_jwt_opts o = opts_with(1, NULL, NULL);
    o.roles_claim = roles_claim;
    gql_jwt_verifier *v = make(&o);
    gql_principal *p = accept(v, token("HS256", NULL, payload));
    gql_jwt_verifier_free(v); /* the principal outlives its verifier */
    return p;
}

static void test_roles(void **state)
{
    (void)state;
    gql_principal *p =
        with_roles("groups", "{\"sub\":\"bob\",\"groups\":[\"ops\"],\"roles\":[\"x\"]}");
    assert_int_equal(p->role_count, 1);
    assert_string_equal(p->roles[0], "ops");
    assert_int_equal(p->expires_at, 0); /* no exp: never expires */
    gql_jwt_principal_free(p);

    p = with_roles("realm_access.roles",
                   "{\"realm_access\":{\"roles\":[\"reader\",\"writer\",\"\"]}}");
    assert_null(p->subject);
    assert_int_equal(p->role_count, 3);
    assert_string_equal(p->roles[1], "writer");
    assert_string_equal(p->roles[2], "");
    gql_jwt_principal_free(p);

    p = with_roles("a.b.c", "{\"a\":{\"b\":{\"c\":\"deep\"}}}");
    assert_int_equal(p->role_count, 1);
    assert_string_equal(p->roles[0], "deep");
    gql_jwt_principal_free(p);

    /* a claim whose name has dots is found before any path walk */
    p = with_roles("https://example.com/roles",
                   "{\"https://example.com/roles\":[\"admin\"],\"https://example\":{}}");
    assert_int_equal(p->role_count, 1);
    assert_string_equal(p->roles[0], "admin");
    gql_jwt_principal_free(p);

    p = with_roles("roles", "{\"roles\":\"solo\"}");
    assert_int_equal(p->role_count, 1);
    assert_string_equal(p->roles[0], "solo");
    gql_jwt_principal_free(p);

    p = with_roles("roles", "{\"roles\":[]}");
    assert_int_equal(p->role_count, 0);
    gql_jwt_principal_free(p);

    p = with_roles("roles", "{\"sub\":\"x\"}"); /* absent: no roles */
    assert_int_equal(p->role_count, 0);
    assert_null(p->roles);
    gql_jwt_principal_free(p);

    p = with_roles("realm_access.roles", "{\"realm_access\":\"flat\"}");
    assert_int_equal(p->role_count, 0);
    gql_jwt_principal_free(p);

    p = with_roles(NULL, PAYLOAD); /* roles off */
    assert_int_equal(p->role_count, 0);
    assert_string_equal(p->subject, "alice");
    gql_jwt_principal_free(p);

    /* ill-typed roles and subjects, and NUL characters, are refused */
    gql_jwt_opts o = opts_with(1, NULL, NULL);
    gql_jwt_verifier *v = make(&o);
    refuse(v, token("HS256", NULL, "{\"roles\":[\"a\",1]}"), "invalid claim");
    refuse(v, token("HS256", NULL, "{\"roles\":{\"a\":1}}"), "invalid claim");
    refuse(v, token("HS256", NULL, "{\"roles\":true}"), "invalid claim");
    refuse(v, token("HS256", NULL, "{\"roles\":[\"admin\\u0000x\"]}"), "invalid claim");
    refuse(v, token("HS256", NULL, "{\"sub\":42}"), "invalid claim");
    refuse(v, token("HS256", NULL, "{\"sub\":\"a\\u0000b\"}"), "invalid claim");
    gql_jwt_verifier_free(v);
}

/* ---- time ----------------------------------------------------------------------- */

static void test_time_claims(void **state)
{
    (void)state;
    gql_jwt_opts o = opts_with(1, NULL, NULL);
    gql_jwt_verifier *v = make(&o);
    o.clock_skew_seconds = 0;
    gql_jwt_verifier *strict = make(&o);

    char *p = xprintf("{\"exp\":%lld}", NOW - 61);
    refuse(v, token("HS256", NULL, p), "token expired");
    free(p);
    p = xprintf("{\"exp\":%lld}", NOW - 30); /* within the skew */
    accept_free(v, token("HS256", NULL, p));
    refuse(strict, token("HS256", NULL, p), "token expired");
    free(p);
    p = xprintf("{\"exp\":%lld}", NOW); /* exp is the first invalid second */
    refuse(strict, token("HS256", NULL, p), "token expired");
    free(p);
    p = xprintf("{\"exp\":%lld.5}", NOW);
    gql_principal *pr = accept(strict, token("HS256", NULL, p));
    /* Accepted at NOW, so still live at NOW: the end is the next second. */
    assert_int_equal(pr->expires_at, NOW + 1);
    gql_jwt_principal_free(pr);
    free(p);

    p = xprintf("{\"nbf\":%lld}", NOW + 61);
    refuse(v, token("HS256", NULL, p), "token not yet valid");
    free(p);
    p = xprintf("{\"nbf\":%lld}", NOW + 30);
    accept_free(v, token("HS256", NULL, p));
    refuse(strict, token("HS256", NULL, p), "token not yet valid");
    free(p);
    p = xprintf("{\"nbf\":%lld}", NOW);
    accept_free(strict, token("HS256", NULL, p));
    free(p);

    p = xprintf("{\"iat\":%lld}", NOW + 3600);
    refuse(v, token("HS256", NULL, p), "token issued in the future");
    free(p);
    p = xprintf("{\"iat\":%lld}", NOW + 30);
    accept_free(v, token("HS256", NULL, p));
    refuse(strict, token("HS256", NULL, p), "token issued in the future");
    free(p);

    /* NumericDate claims must be numbers */
    refuse(v, token("HS256", NULL, "{\"exp\":\"1800000000\"}"), "invalid claim");
    refuse(v, token("HS256", NULL, "{\"exp\":null}"), "invalid claim");
    refuse(v, token("HS256", NULL, "{\"nbf\":[1]}"), "invalid claim");
    refuse(v, token("HS256", NULL, "{\"iat\":true}"), "invalid claim");
    refuse(v, token("HS256", NULL, "{\"exp\":1e999}"), "invalid claim");
    /* huge but finite: valid, and expires_at saturates */
    pr = accept(v, token("HS256", NULL, "{\"exp\":1e300}"));
    assert_true(pr->expires_at > NOW);
    gql_jwt_principal_free(pr);

    /* now 0 means the current time: a token of 2023 has expired */
    char *t = token("HS256", NULL, PAYLOAD);
    gql_principal *none = NULL;
    const char *reason = NULL;
    assert_int_equal(gql_jwt_verify(v, t, strlen(t), 0, &none, &reason), GQL_EUNAUTHENTICATED);
    assert_string_equal(reason, "token expired");
    free(t);

    gql_jwt_verifier_free(strict);
    gql_jwt_verifier_free(v);
}

/* ---- issuer and audience --------------------------------------------------------- */

static void test_issuer_audience(void **state)
{
    (void)state;
    gql_jwt_opts o = opts_with(1, NULL, NULL);
    o.issuer = "https://issuer.example";
    o.audience = "api";
    gql_jwt_verifier *v = make(&o);
    accept_free(v, token("HS256", NULL, "{\"iss\":\"https://issuer.example\",\"aud\":\"api\"}"));
    accept_free(
        v, token("HS256", NULL, "{\"iss\":\"https://issuer.example\",\"aud\":[\"web\",\"api\"]}"));
    refuse(v, token("HS256", NULL, "{\"iss\":\"https://issuer.example\",\"aud\":\"web\"}"),
           "wrong audience");
    refuse(v, token("HS256", NULL, "{\"iss\":\"https://issuer.example\",\"aud\":[\"web\",1]}"),
           "wrong audience");
    refuse(v, token("HS256", NULL, "{\"iss\":\"https://issuer.example\",\"aud\":[]}"),
           "wrong audience");
    refuse(v, token("HS256", NULL, "{\"iss\":\"https://issuer.example\"}"), "wrong audience");
    refuse(v, token("HS256", NULL, "{\"iss\":\"https://issuer.example\",\"aud\":\"apix\"}"),
           "wrong audience");
    refuse(v, token("HS256", NULL, "{\"iss\":\"https://evil.example\",\"aud\":\"api\"}"),
           "wrong issuer");
    refuse(v, token("HS256", NULL, "{\"aud\":\"api\"}"), "wrong issuer");
    refuse(v, token("HS256", NULL, "{\"iss\":[\"https://issuer.example\"],\"aud\":\"api\"}"),
           "wrong issuer");
    gql_jwt_verifier_free(v);

    /* unset: not checked */
    o = opts_with(1, NULL, NULL);
    v = make(&o);
    accept_free(v, token("HS256", NULL, "{\"iss\":\"anyone\",\"aud\":\"any\"}"));
    gql_jwt_verifier_free(v);
}

/* ---- signatures and algorithms ----------------------------------------------------- */

/* Replaces the payload segment of tok (freed) with that of other (freed). */
static char *splice_payload(char *tok, char *other)
{
    char *d1 = strchr(tok, '.'), *d2 = strrchr(tok, '.');
    char *o1 = strchr(other, '.'), *o2 = strrchr(other, '.');
    char *s = xprintf("%.*s%.*s%s", (int)(d1 - tok), tok, (int)(o2 - o1), o1, d2);
    free(tok);
    free(other);
    return s;
}

static void test_bad_signatures(void **state)
{
    (void)state;
    char *pem = xprintf("%s%s", K.rsa_pem, K.p256_pem);
    gql_jwt_opts o = opts_with(1, pem, NULL);
    gql_jwt_verifier *v = make(&o);

    static const unsigned char other[] = "another-secret-that-is-long-enough-for-hs256";
    char *h = header_for("HS256", NULL);
    refuse(v, sign_with("HS256", NULL, other, sizeof other - 1, h, PAYLOAD), "bad signature");
    free(h);
    refuse(v, token("RS256", K.rsa2, PAYLOAD), "bad signature");
    refuse(v, token("PS256", K.rsa2, PAYLOAD), "bad signature");

    /* a tampered payload: the signature of another one */
    const char *algs[] = {"HS256", "RS256", "PS384", "ES256"};
    EVP_PKEY *keys[] = {NULL, K.rsa, K.rsa, K.p256};
    for (size_t i = 0; i < 4; i++) {
        char *good = token(algs[i], keys[i], PAYLOAD);
        char *evil = token(algs[i], keys[i], "{\"sub\":\"alice\",\"roles\":[\"root\"]}");
        refuse(v, splice_payload(good, evil), "bad signature");
    }

    /* a PKCS#1 v1.5 signature is not a PSS one, nor the other way round */
    char *rs = token("RS256", K.rsa, PAYLOAD);
    char *ps = token("PS256", K.rsa, PAYLOAD);
    char *rs_h = header_for("RS256", NULL), *ps_h = header_for("PS256", NULL);
    char *hb_rs = b64(rs_h, strlen(rs_h)), *hb_ps = b64(ps_h, strlen(ps_h));
    char *swapped = xprintf("%s%s", hb_ps, strchr(rs, '.'));
    refuse(v, swapped, "bad signature");
    swapped = xprintf("%s%s", hb_rs, strchr(ps, '.'));
    refuse(v, swapped, "bad signature");
    free(rs);
    free(ps);
    free(rs_h);
    free(ps_h);
    free(hb_rs);
    free(hb_ps);

    /* ES256 signatures of the wrong size, or in DER form */
    h = header_for("ES256", NULL);
    char *hb = b64(h, strlen(h));
    char *pb = b64(PAYLOAD, strlen(PAYLOAD));
    unsigned char zeros[64] = {0};
    char *z = b64(zeros, sizeof zeros);
    refuse(v, xprintf("%s.%s.%s", hb, pb, z), "bad signature"); /* r = s = 0 */
    char *z2 = b64(zeros, 63);
    refuse(v, xprintf("%s.%s.%s", hb, pb, z2), "bad signature");
    refuse(v, xprintf("%s.%s.", hb, pb), "bad signature");
    free(z);
    free(z2);
    free(hb);
    free(pb);
    free(h);
    /* HMAC with an empty or truncated signature */
    char *t = token("HS256", NULL, PAYLOAD);
    t[strrchr(t, '.') - t + 1] = '\0';
    refuse(v, t, "bad signature");
    t = token("HS512", NULL, PAYLOAD);
    t[strlen(t) - 2] = '\0'; /* 86 characters to 84: 63 bytes */
    refuse(v, t, "bad signature");

    gql_jwt_verifier_free(v);
    free(pem);
}

static void test_alg_none_and_confusion(void **state)
{
    (void)state;
    gql_jwt_opts o = opts_with(1, K.rsa_pem, NULL);
    gql_jwt_verifier *v = make(&o);
    const char *nones[] = {"{\"alg\":\"none\"}", "{\"alg\":\"None\"}",   "{\"alg\":\"NONE\"}",
                           "{\"alg\":\"\"}",     "{\"alg\":\"HS256 \"}", "{\"alg\":\"hs256\"}"};
    for (size_t i = 0; i < sizeof nones / sizeof nones[0]; i++) {
        char *hb = b64(nones[i], strlen(nones[i]));
        char *pb = b64(PAYLOAD, strlen(PAYLOAD));
        refuse(v, xprintf("%s.%s.", hb, pb), "unsupported algorithm");
        /* with a signature of some sort too */
        refuse(v, xprintf("%s.%s.c2ln", hb, pb), "unsupported algorithm");
        free(hb);
        free(pb);
    }
    gql_jwt_verifier_free(v);

    /* algorithm confusion: the public key's PEM text used as an HMAC
     * secret, against a verifier that only has that public key */
    o = opts_with(0, K.rsa_pem, NULL);
    v = make(&o);
    const char *hs[] = {"HS256", "HS384", "HS512"};
    for (size_t i = 0; i < 3; i++) {
        char *h = header_for(hs[i], NULL);
        refuse(v, sign_with(hs[i], NULL, K.rsa_pem, strlen(K.rsa_pem), h, PAYLOAD),
               "unsupported algorithm");
        free(h);
    }
    /* and the other families without their kind of key */
    refuse(v, token("ES256", K.p256, PAYLOAD), "unsupported algorithm");
    gql_jwt_verifier_free(v);

    o = opts_with(0, K.p256_pem, NULL);
    v = make(&o);
    char *h = header_for("HS256", NULL);
    refuse(v, sign_with("HS256", NULL, K.p256_pem, strlen(K.p256_pem), h, PAYLOAD),
           "unsupported algorithm");
    free(h);
    refuse(v, token("RS256", K.rsa, PAYLOAD), "unsupported algorithm");
    gql_jwt_verifier_free(v);

    /* an allow-list narrows what the keys could do */
    o = opts_with(1, K.rsa_pem, NULL);
    o.algorithms = "RS256, ES256";
    v = make(&o);
    accept_free(v, token("RS256", K.rsa, PAYLOAD));
    refuse(v, token("PS256", K.rsa, PAYLOAD), "unsupported algorithm");
    refuse(v, token("HS256", NULL, PAYLOAD), "unsupported algorithm");
    gql_jwt_verifier_free(v);
}

static void test_header_rules(void **state)
{
    (void)state;
    gql_jwt_opts o = opts_with(1, NULL, NULL);
    gql_jwt_verifier *v = make(&o);
    struct {
        const char *header, *why;
    } cases[] = {
        {"{\"alg\":\"HS256\",\"crit\":[\"exp\"]}", "unsupported critical header"},
        {"{\"alg\":\"HS256\",\"crit\":[\"b64\"],\"b64\":false}", "unsupported critical header"},
        {"{\"alg\":\"HS256\",\"crit\":[]}", "unsupported critical header"},
        {"{\"typ\":\"JWT\"}", "malformed token"},
        {"{\"alg\":256}", "malformed token"},
        {"{\"alg\":null}", "malformed token"},
        {"{\"alg\":\"HS256\",\"kid\":7}", "malformed token"},
        {"[\"HS256\"]", "malformed token"},
        {"\"HS256\"", "malformed token"},
        {"{\"alg\":\"HS256\"", "malformed token"},
        {"", "malformed token"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        refuse(v, sign_with("HS256", NULL, SECRET, SECRET_LEN, cases[i].header, PAYLOAD),
               cases[i].why);
    /* unknown header members are fine; embedded keys are never used */
    accept_free(v, sign_with("HS256", NULL, SECRET, SECRET_LEN,
                             "{\"alg\":\"HS256\",\"x-custom\":{\"a\":[1]},\"jku\":\"https://e\"}",
                             PAYLOAD));
    gql_jwt_verifier_free(v);
}

static void test_malformed(void **state)
{
    (void)state;
    gql_jwt_opts o = opts_with(1, NULL, NULL);
    o.max_token_bytes = 512;
    gql_jwt_verifier *v = make(&o);
    char *good = token("HS256", NULL, PAYLOAD);
    char *d1 = strchr(good, '.'), *d2 = strrchr(good, '.');
    int h = (int)(d1 - good), p = (int)(d2 - d1 - 1);

    refuse(v, xprintf("%.*s.%.*s", h, good, p, d1 + 1), "malformed token"); /* 2 segments */
    refuse(v, xprintf("%s.%s", good, d2 + 1), "malformed token");           /* 4 segments */
    refuse(v, xprintf("%s.", good), "malformed token");
    refuse(v, xprintf("%.*s", h, good), "malformed token"); /* 1 segment */
    refuse(v, xprintf(".."), "malformed token");
    refuse(v, xprintf("%s=", good), "malformed token"); /* padding */
    refuse(v, xprintf("%.*s=.%s", h, good, d1 + 1), "malformed token");
    refuse(v, xprintf("%.*s*%s", h, good, d1), "malformed token"); /* bad character */
    refuse(v, xprintf("%.*s %s", h, good, d1), "malformed token");
    refuse(v, xprintf("%.*s.%.*s+.%s", h, good, p, d1 + 1, d2 + 1), "malformed token");
    refuse(v, xprintf(" %s", good), "malformed token");
    refuse(v, xprintf("%s\n", good), "malformed token");
    /* a signature whose last character has stray low bits */
    char *t = xprintf("%s", good);
    char *last = t + strlen(t) - 1;
    *last = *last == 'A' ? 'B' : (char)(*last + 1);
    refuse(v, t, "malformed token");

    /* header or payload not JSON objects, with good signatures */
    const char *payloads[] = {"[1,2]", "\"alice\"", "42", "null", "{\"a\":1", "{\"a\":1}x", ""};
    for (size_t i = 0; i < sizeof payloads / sizeof payloads[0]; i++)
        refuse(v, token("HS256", NULL, payloads[i]), "malformed token");
    /* JSON nested past the payload's depth limit */
    char deep[200];
    size_t n = 0;
    for (int i = 0; i < 40; i++)
        deep[n++] = '[';
    for (int i = 0; i < 40; i++)
        deep[n++] = ']';
    deep[n] = '\0';
    char *dp = xprintf("{\"d\":%s}", deep);
    refuse(v, token("HS256", NULL, dp), "malformed token");
    free(dp);

    /* oversize */
    char big[600];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    char *bp = xprintf("{\"pad\":\"%s\"}", big);
    refuse(v, token("HS256", NULL, bp), "token too large");
    free(bp);

    /* empty, and arguments */
    gql_principal *pr = (gql_principal *)1;
    const char *reason = NULL;
    assert_int_equal(gql_jwt_verify(v, "", 0, NOW, &pr, &reason), GQL_EUNAUTHENTICATED);
    assert_string_equal(reason, "malformed token");
    assert_null(pr);
    assert_int_equal(gql_jwt_verify(v, NULL, 0, NOW, &pr, NULL), GQL_EUNAUTHENTICATED);
    assert_int_equal(gql_jwt_verify(v, NULL, 3, NOW, &pr, &reason), GQL_EINVAL);
    assert_int_equal(gql_jwt_verify(NULL, "a.b.c", 5, NOW, &pr, &reason), GQL_EINVAL);
    assert_int_equal(gql_jwt_verify(v, "a.b.c", 5, NOW, NULL, &reason), GQL_EINVAL);
    /* embedded NUL in the token text */
    assert_int_equal(gql_jwt_verify(v, good, strlen(good) + 1, NOW, &pr, &reason),
                     GQL_EUNAUTHENTICATED);
    assert_string_equal(reason, "malformed token");
    gql_jwt_principal_free(NULL);

    free(good);
    gql_jwt_verifier_free(v);
}

/* ---- JWKS ----------------------------------------------------------------------- */

static void test_jwks(void **state)
{
    (void)state;
    char *k1 = rsa_jwk(K.rsa, "k1", "");
    char *k2 = rsa_jwk(K.rsa2, "k2", ",\"use\":\"sig\",\"alg\":\"RS256\"");
    char *e1 = ec_jwk(K.p256, "P-256", 32, "e1");
    char *e2 = ec_jwk(K.p384, "P-384", 48, "e2");
    char *jwks = xprintf("{\"keys\":[%s,%s,{\"kty\":\"oct\",\"k\":\"c2VjcmV0\"},"
                         "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"AA\"},"
                         "{\"kty\":\"RSA\",\"use\":\"enc\",\"n\":\"!\",\"e\":\"!\"},"
                         "{\"kty\":\"EC\",\"crv\":\"secp256k1\",\"x\":\"AA\",\"y\":\"AA\"},"
                         "%s,%s],\"extra\":true}",
                         k1, k2, e1, e2);
    gql_jwt_opts o = opts_with(0, NULL, jwks);
    gql_jwt_verifier *v = make(&o);

    accept_free(v, token_kid("RS256", K.rsa, "k1", PAYLOAD));
    accept_free(v, token_kid("PS512", K.rsa, "k1", PAYLOAD));
    accept_free(v, token_kid("RS256", K.rsa2, "k2", PAYLOAD));
    accept_free(v, token_kid("ES256", K.p256, "e1", PAYLOAD));
    accept_free(v, token_kid("ES384", K.p384, "e2", PAYLOAD));
    /* kid selects the key: the other key's signature fails */
    refuse(v, token_kid("RS256", K.rsa2, "k1", PAYLOAD), "bad signature");
    refuse(v, token_kid("RS256", K.rsa, "k2", PAYLOAD), "bad signature");
    /* k2 is restricted to RS256 */
    refuse(v, token_kid("PS256", K.rsa2, "k2", PAYLOAD), "unknown key");
    refuse(v, token_kid("RS256", K.rsa, "nope", PAYLOAD), "unknown key");
    refuse(v, token_kid("ES256", K.p256, "k1", PAYLOAD), "unknown key");
    refuse(v, token_kid("RS256", K.rsa, "", PAYLOAD), "unknown key");
    /* without kid, every key of the right kind is tried */
    accept_free(v, token("RS256", K.rsa2, PAYLOAD));
    accept_free(v, token("RS256", K.rsa, PAYLOAD));
    accept_free(v, token("ES384", K.p384, PAYLOAD));
    refuse(v, token("RS256", K.rsa_small, PAYLOAD), "bad signature");
    /* HMAC is never available from a JWKS (oct keys are skipped) */
    refuse(v, token("HS256", NULL, PAYLOAD), "unsupported algorithm");
    gql_jwt_verifier_free(v);

    /* a PEM key (no id) answers tokens whose kid the JWKS does not know */
    o = opts_with(0, K.p521_pem, jwks);
    v = make(&o);
    accept_free(v, token_kid("ES512", K.p521, "whatever", PAYLOAD));
    accept_free(v, token_kid("RS256", K.rsa, "k1", PAYLOAD));
    refuse(v, token_kid("RS256", K.rsa, "whatever", PAYLOAD), "unknown key");
    gql_jwt_verifier_free(v);

    /* the text need not be NUL-terminated */
    size_t len = strlen(jwks);
    char *copy = malloc(len + 5);
    memcpy(copy, jwks, len);
    memcpy(copy + len, "XXXX", 5);
    o = opts_with(0, NULL, copy);
    o.jwks_len = len;
    v = make(&o);
    accept_free(v, token_kid("RS256", K.rsa, "k1", PAYLOAD));
    gql_jwt_verifier_free(v);
    free(copy);

    free(jwks);
    free(k1);
    free(k2);
    free(e1);
    free(e2);
}

static void test_jwks_refused(void **state)
{
    (void)state;
    char *small = rsa_jwk(K.rsa_small, "s", "");
    char *ok = rsa_jwk(K.rsa, "k", "");
    char *x = bn_b64(K.p256, OSSL_PKEY_PARAM_EC_PUB_X, 32);
    char *y = bn_b64(K.p256, OSSL_PKEY_PARAM_EC_PUB_Y, 32);
    char *y_bad = xprintf("%s", y);
    y_bad[0] = y_bad[0] == 'A' ? 'B' : 'A'; /* a point off the curve */
    struct {
        char *jwks;
        int rc;
        const char *part;
    } cases[] = {
        {xprintf("not json"), GQL_EINVAL, "jwks"},
        {xprintf("[]"), GQL_EINVAL, "\"keys\" array"},
        {xprintf("{\"keys\":{}}"), GQL_EINVAL, "\"keys\" array"},
        {xprintf("{\"keys\":[]}"), GQL_EINVAL, "no usable key"},
        {xprintf("{\"keys\":[{\"kty\":\"oct\",\"k\":\"AAAA\"}]}"), GQL_EINVAL, "no usable key"},
        {xprintf("{\"keys\":[1]}"), GQL_EINVAL, "key 0 is not an object"},
        {xprintf("{\"keys\":[{\"n\":\"AQAB\"}]}"), GQL_EINVAL, "\"kty\""},
        {xprintf("{\"keys\":[{\"kty\":\"RSA\",\"kid\":1,\"n\":\"AQAB\",\"e\":\"AQAB\"}]}"),
         GQL_EINVAL, "\"kid\""},
        {xprintf("{\"keys\":[%s,%s]}", ok, small), GQL_EINVAL, "key 1: an RSA key of 1024 bits"},
        {xprintf("{\"keys\":[{\"kty\":\"RSA\",\"e\":\"AQAB\"}]}"), GQL_EINVAL, "\"n\""},
        {xprintf("{\"keys\":[{\"kty\":\"RSA\",\"n\":\"AQA=\",\"e\":\"AQAB\"}]}"), GQL_EINVAL,
         "\"n\""},
        {xprintf("{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"%s\",\"y\":\"%.40s\"}]}", x,
                 y),
         GQL_EINVAL, "\"x\" and \"y\""},
        {xprintf("{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"%s\",\"y\":\"%s\"}]}", x,
                 y_bad),
         GQL_EINVAL, "\"x\" and \"y\""},
        {xprintf("{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-384\",\"x\":\"%s\",\"y\":\"%s\"}]}", x, y),
         GQL_EINVAL, "\"x\" and \"y\""},
        {xprintf("{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"alg\":\"RS256\",\"x\":\"%s\","
                 "\"y\":\"%s\"}]}",
                 x, y),
         GQL_EINVAL, "does not fit"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        gql_jwt_opts o = opts_with(0, NULL, cases[i].jwks);
        refuse_opts(&o, cases[i].rc, cases[i].part);
        free(cases[i].jwks);
    }
    /* too many keys */
    size_t cap = 70 * (strlen(ok) + 1) + 32, n = 0;
    char *many = malloc(cap);
    n += (size_t)sprintf(many, "{\"keys\":[");
    for (int i = 0; i < 65; i++)
        n += (size_t)sprintf(many + n, "%s%s", i ? "," : "", ok);
    sprintf(many + n, "]}");
    gql_jwt_opts o = opts_with(0, NULL, many);
    refuse_opts(&o, GQL_ELIMIT, "more than 64 keys");
    free(many);

    free(small);
    free(ok);
    free(x);
    free(y);
    free(y_bad);
}

/* ---- configuration -------------------------------------------------------------- */

static void test_config_refused(void **state)
{
    (void)state;
    gql_jwt_opts o;
    gql_jwt_opts_init(&o);
    assert_string_equal(o.roles_claim, "roles");
    assert_int_equal(o.clock_skew_seconds, 60);
    assert_int_equal(o.max_token_bytes, 8192);
    refuse_opts(&o, GQL_EINVAL, "no key");

    o = opts_with(0, K.rsa_small_pem, NULL);
    refuse_opts(&o, GQL_EINVAL, "RSA key of 1024 bits");
    o = opts_with(0, K.rsa_private_pem, NULL);
    refuse_opts(&o, GQL_EINVAL, "private key");
    o = opts_with(0, "hello", NULL);
    refuse_opts(&o, GQL_EINVAL, "no PEM public key");
    o = opts_with(0, "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", NULL);
    refuse_opts(&o, GQL_EINVAL, "cannot be decoded");
    char *mixed = xprintf("%s%s", K.rsa_pem, K.rsa_small_pem);
    o = opts_with(0, mixed, NULL);
    refuse_opts(&o, GQL_EINVAL, "block 2: an RSA key of 1024 bits");
    free(mixed);

    o = opts_with(1, NULL, NULL);
    o.secret_len = 31;
    refuse_opts(&o, GQL_EINVAL, "at least 32");
    o.secret = NULL;
    refuse_opts(&o, GQL_EINVAL, "secret");

    o = opts_with(1, NULL, NULL);
    o.algorithms = "HS256,XS999";
    refuse_opts(&o, GQL_EINVAL, "\"XS999\"");
    o.algorithms = "none";
    refuse_opts(&o, GQL_EINVAL, "\"none\"");
    o.algorithms = "RS256";
    refuse_opts(&o, GQL_EINVAL, "no configured key");
    o.algorithms = "HS256;HS384";
    refuse_opts(&o, GQL_EINVAL, "algorithms");

    gql_jwt_verifier *v = (gql_jwt_verifier *)1;
    assert_int_equal(gql_jwt_verifier_new(NULL, &v, NULL, 0), GQL_EINVAL);
    assert_null(v);
    assert_int_equal(gql_jwt_verifier_new(&o, NULL, NULL, 0), GQL_EINVAL);
    gql_jwt_verifier_free(NULL);
}

/* ---- bearer credentials ----------------------------------------------------------- */

static void bearer_is(const char *value, const char *want)
{
    const char *t = (const char *)1;
    size_t n = 99;
    int rc = gql_bearer_token(value, strlen(value), &t, &n);
    if (want == NULL) {
        if (rc != GQL_EUNAUTHENTICATED)
            fail_msg("\"%s\" gave a token", value);
        assert_null(t);
        assert_int_equal(n, 0);
        return;
    }
    if (rc != GQL_OK)
        fail_msg("\"%s\" gave no token", value);
    assert_int_equal(n, strlen(want));
    assert_memory_equal(t, want, n);
}

static void test_bearer(void **state)
{
    (void)state;
    bearer_is("Bearer abc.def.ghi", "abc.def.ghi");
    bearer_is("bearer abc", "abc");
    bearer_is("BEARER   abc  ", "abc");
    bearer_is(" \tBeArEr\tabc\t", "abc");
    bearer_is("Bearer a-b_c.d~e+f/g==", "a-b_c.d~e+f/g==");
    bearer_is("Bearer", NULL);
    bearer_is("Bearer ", NULL);
    bearer_is("Bearerabc", NULL);
    bearer_is("Basic dXNlcjpwYXNz", NULL);
    bearer_is("Bearer a b", NULL);
    bearer_is("Bearer abc,def", NULL);
    bearer_is("Bearer =abc", NULL);
    bearer_is("Bearer ab=c", NULL);
    bearer_is("Bearerx abc", NULL);
    bearer_is("", NULL);
    const char *t;
    size_t n;
    assert_int_equal(gql_bearer_token(NULL, 0, &t, &n), GQL_EUNAUTHENTICATED);
    assert_int_equal(gql_bearer_token(NULL, 1, &t, &n), GQL_EINVAL);
    assert_int_equal(gql_bearer_token("Bearer x", 8, NULL, &n), GQL_EINVAL);
    /* only len bytes are read */
    assert_int_equal(gql_bearer_token("Bearer abc!!!", 10, &t, &n), GQL_OK);
    assert_int_equal(n, 3);

    gql_jwt_opts o = opts_with(1, NULL, NULL);
    gql_jwt_verifier *v = make(&o);
    char *tok = token("HS256", NULL, PAYLOAD);
    char *hdr = xprintf("Bearer %s", tok);
    gql_principal *p = NULL;
    const char *reason = "unset";
    assert_int_equal(gql_jwt_verify_bearer(v, hdr, strlen(hdr), NOW, &p, &reason), GQL_OK);
    assert_null(reason);
    assert_string_equal(p->subject, "alice");
    gql_jwt_principal_free(p);
    free(hdr);
    hdr = xprintf("Basic %s", tok);
    assert_int_equal(gql_jwt_verify_bearer(v, hdr, strlen(hdr), NOW, &p, &reason),
                     GQL_EUNAUTHENTICATED);
    assert_string_equal(reason, "not a bearer token");
    assert_null(p);
    free(hdr);
    hdr = xprintf("Bearer %s.x", tok);
    assert_int_equal(gql_jwt_verify_bearer(v, hdr, strlen(hdr), NOW, &p, &reason),
                     GQL_EUNAUTHENTICATED);
    assert_string_equal(reason, "malformed token");
    free(hdr);
    free(tok);
    gql_jwt_verifier_free(v);
}

/* ---- robustness ----------------------------------------------------------------- */

/* Every allocation of the library failing in turn: a clean GQL_ENOMEM,
 * never a crash or a leak. */
static void test_out_of_memory(void **state)
{
    (void)state;
    char *k1 = rsa_jwk(K.rsa, "k1", "");
    char *e1 = ec_jwk(K.p256, "P-256", 32, "e1");
    char *jwks = xprintf("{\"keys\":[%s,%s]}", k1, e1);
    gql_jwt_opts o = opts_with(1, K.p384_pem, jwks);
    o.issuer = "iss";
    o.audience = "aud";
    char *toks[] = {token_kid("RS256", K.rsa, "k1",
                              "{\"sub\":\"s\",\"roles\":[\"a\",\"b\"],"
                              "\"iss\":\"iss\",\"aud\":\"aud\"}"),
                    token("HS256", NULL, "{\"sub\":\"s\",\"iss\":\"iss\",\"aud\":[\"aud\"]}")};
    int done = 0;
    for (long n = 0; n < 1000 && !done; n++) {
        gqlx_fault_set(n);
        gql_jwt_verifier *v = NULL;
        int rc = gql_jwt_verifier_new(&o, &v, NULL, 0);
        gqlx_fault_reset();
        if (rc == GQL_ENOMEM) {
            assert_null(v);
            continue;
        }
        assert_int_equal(rc, GQL_OK);
        done = 1;
        gql_jwt_verifier_free(v);
    }
    assert_true(done);

    gql_jwt_verifier *v = make(&o);
    for (size_t t = 0; t < 2; t++) {
        done = 0;
        for (long n = 0; n < 1000 && !done; n++) {
            gqlx_fault_set(n);
            gql_principal *p = NULL;
            const char *reason = NULL;
            int rc = gql_jwt_verify(v, toks[t], strlen(toks[t]), NOW, &p, &reason);
            gqlx_fault_reset();
            if (rc == GQL_ENOMEM) {
                assert_string_equal(reason, "out of memory");
                assert_null(p);
                continue;
            }
            assert_int_equal(rc, GQL_OK);
            assert_string_equal(p->subject, "s");
            gql_jwt_principal_free(p);
            done = 1;
        }
        assert_true(done);
        free(toks[t]);
    }
    gql_jwt_verifier_free(v);
    free(jwks);
    free(k1);
    free(e1);
}

struct thread_job {
    const gql_jwt_verifier *v;
    const char *tokens[3];
    int failures;
};

static void *verify_many(void *arg)
{
    struct thread_job *job = arg;
    for (int i = 0; i < 60; i++) {
        const char *t = job->tokens[i % 3];
        gql_principal *p = NULL;
        if (gql_jwt_verify(job->v, t, strlen(t), NOW, &p, NULL) != GQL_OK ||
            strcmp(p->subject, "alice") != 0)
            job->failures++;
        gql_jwt_principal_free(p);
    }
    return NULL;
}

/* One verifier shared by several threads at once. */
static void test_threads(void **state)
{
    (void)state;
    char *pem = xprintf("%s%s", K.rsa_pem, K.p256_pem);
    gql_jwt_opts o = opts_with(1, pem, NULL);
    gql_jwt_verifier *v = make(&o);
    char *toks[] = {token("HS256", NULL, PAYLOAD), token("RS256", K.rsa, PAYLOAD),
                    token("ES256", K.p256, PAYLOAD)};
    struct thread_job jobs[4];
    pthread_t th[4];
    for (int i = 0; i < 4; i++) {
        jobs[i] = (struct thread_job){.v = v, .tokens = {toks[0], toks[1], toks[2]}, .failures = 0};
        assert_int_equal(pthread_create(&th[i], NULL, verify_many, &jobs[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(jobs[i].failures, 0);
    }
    for (int i = 0; i < 3; i++)
        free(toks[i]);
    gql_jwt_verifier_free(v);
    free(pem);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_base64url),
        cmocka_unit_test(test_hmac_accepted),
        cmocka_unit_test(test_rsa_accepted),
        cmocka_unit_test(test_ec_accepted),
        cmocka_unit_test(test_several_pem_keys),
        cmocka_unit_test(test_roles),
        cmocka_unit_test(test_time_claims),
        cmocka_unit_test(test_issuer_audience),
        cmocka_unit_test(test_bad_signatures),
        cmocka_unit_test(test_alg_none_and_confusion),
        cmocka_unit_test(test_header_rules),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_jwks),
        cmocka_unit_test(test_jwks_refused),
        cmocka_unit_test(test_config_refused),
        cmocka_unit_test(test_bearer),
        cmocka_unit_test(test_out_of_memory),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, setup_keys, teardown_keys);
}
