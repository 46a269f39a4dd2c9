/* tests/fuzz/fuzz_jwt.c — libFuzzer target for JWT verification and JWKS
 * parsing (src/server/jwt.c, jwt_keys.c, base64url.c).
 *
 * Each input is used three ways:
 *  1. as a compact token, verified against fixed keys (an HS256 secret and
 *     an EC P-256 public key) by a lenient and a strict verifier;
 *  2. when it holds a newline, as header JSON and payload JSON: both are
 *     encoded and signed with the HS256 secret here, so the header and
 *     claim checks behind the signature are reached too;
 *  3. as a JWKS document.
 * Invariants: a verification returns GQL_OK with a well-formed principal
 * or a refusal with a reason, and a verifier made from a JWKS can be used
 * and freed; the sanitizers catch the rest. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "gql/jwt.h"
#include "gql/status.h"
#include "server/base64url.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NOW 1700000000LL

static const unsigned char SECRET[] = "fuzz-secret-for-hs256-0123456789abcdef";

/* The seeds of corpus/jwt/ with "ES256" are signed by this key's private
 * half. */
static const char EC_PEM[] = "-----BEGIN PUBLIC KEY-----\n"
                             "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEaWWdnJT/t2o+UqD2TJR/rniJJtPf\n"
                             "zL5IpJ90CnV6baCc3YMl6IHKmHoagcow8N2monM2MVzcdPpPkewRQr4jGw==\n"
                             "-----END PUBLIC KEY-----\n";

/* A token the JWKS verifiers get to check: ES256, kid "e1", signed by
 * the same key (corpus/jwt/jwks_ec holds its JWK). */
static const char ES_TOKEN[] =
    "eyJhbGciOiJFUzI1NiIsImtpZCI6ImUxIn0.eyJzdWIiOiJhbGljZSJ9."
    "CWFRygTJdzMNYtGs5JSKZWzqUQsLrjmDDGAC4Ye7pPB-rUDf9ZWA0woAzHiXkiUQk8DYdCRFWYIC2wBUURHLWw";

static gql_jwt_verifier *lenient, *strict;

static void setup(void)
{
    gql_jwt_opts o;
    gql_jwt_opts_init(&o);
    o.secret = SECRET;
    o.secret_len = sizeof SECRET - 1;
    o.public_key_pem = EC_PEM;
    if (gql_jwt_verifier_new(&o, &lenient, NULL, 0) != GQL_OK)
        abort();
    o.issuer = "fuzz";
    o.audience = "fuzz";
    o.roles_claim = "realm.roles";
    o.clock_skew_seconds = 0;
    if (gql_jwt_verifier_new(&o, &strict, NULL, 0) != GQL_OK)
        abort();
}

static void check(const gql_jwt_verifier *v, const char *token, size_t len)
{
    gql_principal *p = NULL;
    const char *reason = NULL;
    int rc = gql_jwt_verify(v, token, len, NOW, &p, &reason);
    if (rc == GQL_OK) {
        if (p == NULL || reason != NULL || (p->role_count > 0 && p->roles == NULL))
            abort();
        for (size_t i = 0; i < p->role_count; i++)
            if (p->roles[i] == NULL || strlen(p->roles[i]) > len)
                abort();
        if (p->subject != NULL && strlen(p->subject) > len)
            abort();
        gql_jwt_principal_free(p);
    } else if (p != NULL || reason == NULL || reason[0] == '\0' ||
               (rc != GQL_EUNAUTHENTICATED && rc != GQL_ENOMEM)) {
        abort();
    }
}

/* Mode 2: "header\npayload" as JSON texts, signed here. */
static void check_signed(const uint8_t *data, size_t size)
{
    const uint8_t *nl = memchr(data, '\n', size);
    if (nl == NULL || size > 6000)
        return;
    size_t hl = (size_t)(nl - data), pl = size - hl - 1;
    char *t = malloc(gqlx_base64url_encoded_len(hl) + gqlx_base64url_encoded_len(pl) + 48);
    if (t == NULL)
        return;
    size_t n = gqlx_base64url_encode(data, hl, t);
    t[n++] = '.';
    n += gqlx_base64url_encode(nl + 1, pl, t + n);
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned mac_len = 0;
    if (HMAC(EVP_sha256(), SECRET, (int)(sizeof SECRET - 1), (const unsigned char *)t, n, mac,
             &mac_len) != NULL) {
        t[n++] = '.';
        n += gqlx_base64url_encode(mac, mac_len, t + n);
        check(lenient, t, n);
        check(strict, t, n);
    }
    free(t);
}

/* Mode 3: the input as a JWKS document. */
static void check_jwks(const uint8_t *data, size_t size)
{
    if (size == 0)
        return;
    gql_jwt_opts o;
    gql_jwt_opts_init(&o);
    o.jwks = (const char *)data;
    o.jwks_len = size;
    gql_jwt_verifier *v = NULL;
    char err[200];
    int rc = gql_jwt_verifier_new(&o, &v, err, sizeof err);
    if (rc == GQL_OK) {
        check(v, ES_TOKEN, sizeof ES_TOKEN - 1);
        gql_jwt_verifier_free(v);
    } else if (v != NULL || err[0] == '\0') {
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (lenient == NULL)
        setup();
    check(lenient, (const char *)data, size);
    check(strict, (const char *)data, size);
    check_signed(data, size);
    check_jwks(data, size);
    return 0;
}
