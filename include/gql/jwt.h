/* include/gql/jwt.h — verifying JSON Web Tokens (RFC 7519) sent as bearer
 * credentials, and turning them into a gql_principal.
 *
 * A client authenticates an HTTP request with the header
 * "Authorization: Bearer <token>" and a GraphQL WebSocket connection with
 * the same text in its connection_init payload. A gql_jwt_verifier holds
 * the keys and the rules a token must meet; gql_jwt_verify checks one
 * token (its signature, then its claims) and, when it is good, returns the
 * identity it carries.
 *
 * Supported signature algorithms (the token header's "alg"):
 *   HS256, HS384, HS512   HMAC with a shared secret (gql_jwt_opts.secret);
 *   RS256, RS384, RS512   RSASSA-PKCS1-v1_5 with an RSA public key;
 *   PS256, PS384, PS512   RSASSA-PSS (salt as long as the hash, MGF1 with
 *                         the same hash) with an RSA public key;
 *   ES256, ES384, ES512   ECDSA on P-256, P-384, P-521 with an EC public
 *                         key; the signature is R || S (RFC 7518 3.4).
 * Public keys come from PEM text, from a JWKS document, or both.
 *
 * Key selection: a token whose header has a "kid" is checked with the
 * keys of that id (JWKS keys), or, when no key has it, with the keys
 * without an id (PEM keys); a token without "kid" is checked with every
 * key of the kind its algorithm needs, until one verifies. A token no key
 * could check is refused as "unknown key".
 *
 * Rules every token must meet (each refusal names its reason):
 *   - the compact form: three base64url segments (no padding, no other
 *     characters, no stray bits) separated by dots, at most
 *     max_token_bytes long; header and payload are JSON objects;
 *   - "alg" names one of the algorithms above AND a key of that family is
 *     configured: "none" is always refused, and an HMAC token is refused
 *     when no secret is configured (a public key is never used as an HMAC
 *     secret, which defeats the classic algorithm-confusion attack);
 *   - no "crit" header: no extension is understood, so any is refused;
 *   - the signature verifies (HMAC compared in constant time);
 *   - "exp", "nbf", "iat", when present, are numbers; the token is refused
 *     once now >= exp + skew, while now + skew < nbf, or when it was issued
 *     after now + skew (a token without "exp" does not expire);
 *   - "iss" equals the configured issuer, "aud" (a string or an array of
 *     strings) contains the configured audience, when they are configured;
 *   - "sub", when present, is a string; the roles (see roles_claim) are
 *     strings; neither may contain a NUL character.
 *
 * Thread-safety: a verifier is immutable once made; gql_jwt_verify may be
 * called on it from any number of threads at once. */
#ifndef GQL_JWT_H
#define GQL_JWT_H

#include <stddef.h>

#include "gql/auth.h"
#include "gql/common.h"

GQL_BEGIN_DECLS

/* Opaque: the parsed keys and the checks of one configuration. */
typedef struct gql_jwt_verifier gql_jwt_verifier;

/* What a verifier accepts. Fill with gql_jwt_opts_init, then set the
 * fields that matter; gql_jwt_verifier_new copies everything it needs, so
 * the strings may be released afterwards. At least one of secret,
 * public_key_pem and jwks must be given; several may be combined. */
typedef struct gql_jwt_opts {
    /* HMAC secret for HS256/384/512: secret_len raw bytes (not text: a
     * base64-encoded secret must be decoded by the caller). At least 32
     * bytes (256 bits) are required. NULL: HMAC tokens are refused. */
    const unsigned char *secret;
    size_t secret_len;
    /* PEM text holding one or more public keys: "PUBLIC KEY" blocks
     * (SubjectPublicKeyInfo) or "CERTIFICATE" blocks (the certificate's
     * key is used, the certificate itself is not checked). RSA keys must
     * have 2048 to 8192 bits; EC keys must be on P-256, P-384 or P-521;
     * every key must pass OpenSSL's public-key check.
     * Private keys are refused. public_key_pem_len 0 means the text is
     * NUL-terminated. NULL: none. */
    const char *public_key_pem;
    size_t public_key_pem_len;
    /* A JWKS document (RFC 7517: {"keys": [...]}) as JSON text, len 0
     * meaning NUL-terminated. RSA keys ("kty":"RSA" with "n", "e") and EC
     * keys ("kty":"EC" with "crv" P-256, P-384 or P-521, "x", "y") are
     * used; keys of other types, and keys whose "use" is not "sig", are
     * skipped. A key's "alg", when present, restricts it to that
     * algorithm; its "kid" is matched against the token header's "kid".
     * NULL: none. */
    const char *jwks;
    size_t jwks_len;
    /* The required "iss" (exact match). NULL: not checked. */
    const char *issuer;
    /* The required audience: "aud" must equal it, or be an array holding
     * it. NULL: not checked. */
    const char *audience;
    /* The claim holding the roles: an array of strings, or one string (a
     * single role). Looked up first as a top-level claim of exactly that
     * name (so "https://example.com/roles" works), then as a dotted path
     * through nested objects ("realm_access.roles"). An absent claim gives
     * no roles. Default "roles"; NULL or "" also means no roles. */
    const char *roles_claim;
    /* Comma-separated algorithm names this verifier accepts ("RS256,ES256").
     * NULL (the default): every algorithm a configured key can verify. */
    const char *algorithms;
    /* Seconds of leeway for clock differences between the token's issuer
     * and this host, applied to "exp", "nbf" and "iat": a token stays
     * valid until exp + skew and becomes valid at nbf - skew. Default 60. */
    unsigned clock_skew_seconds;
    /* Longest token accepted, in bytes; longer tokens are refused before
     * any decoding. Default 8192 (8 KiB, far above real tokens); 0 also
     * means the default. */
    size_t max_token_bytes;
} gql_jwt_opts;

/* Fills *opts with the defaults: no keys, no issuer, no audience, roles
 * from "roles", every algorithm, 60 seconds of skew, 8 KiB tokens. */
GQL_EXTERN void gql_jwt_opts_init(gql_jwt_opts *opts);

/* Makes a verifier from opts: parses the PEM and JWKS key material once.
 *
 * Returns GQL_OK and the verifier in *out (release with
 * gql_jwt_verifier_free); or, with *out set to NULL:
 *   GQL_EINVAL  opts or out is NULL, no key is configured, a key cannot
 *               be parsed or is refused (an RSA key under 2048 bits, an
 *               unsupported curve or key type, a short secret), the JWKS
 *               is not a JSON object with a "keys" array or holds no
 *               usable key, or "algorithms" names an unknown algorithm;
 *   GQL_ELIMIT  the JWKS text is over 1 MiB, or there are over 64 public
 *               keys in all;
 *   GQL_ENOMEM  memory ran out.
 * When err is not NULL (and errlen > 0) it receives a NUL-terminated
 * English sentence saying what was wrong ("" on success). Thread-safe. */
GQL_EXTERN int gql_jwt_verifier_new(const gql_jwt_opts *opts, gql_jwt_verifier **out, char *err,
                                    size_t errlen);

/* Releases a verifier. It must no longer be in use by any thread;
 * principals it produced stay valid. NULL does nothing. */
GQL_EXTERN void gql_jwt_verifier_free(gql_jwt_verifier *verifier);

/* Verifies the compact token token[0..len) (no terminator needed) at Unix
 * time `now` (0: the current time).
 *
 * Returns
 *   GQL_OK  the token is good: *out receives a new principal (release
 *           with gql_jwt_principal_free) whose subject is "sub" (NULL when
 *           absent), whose roles come from opts.roles_claim, whose claims
 *           are the whole payload, and whose expires_at is when the
 *           token stops being accepted: "exp" plus the clock skew,
 *           rounded up to a whole second (0 when there is no "exp").
 *           The principal owns all of it, and is independent of the
 *           verifier and of the token text;
 *   GQL_EUNAUTHENTICATED  the token is refused: *reason receives one of
 *           these constant strings (never to be freed):
 *             "token too large", "malformed token",
 *             "unsupported algorithm", "unsupported critical header",
 *             "unknown key", "bad signature", "invalid claim",
 *             "token expired", "token not yet valid",
 *             "token issued in the future", "wrong issuer",
 *             "wrong audience";
 *   GQL_ENOMEM   memory ran out (*reason "out of memory");
 *   GQL_EINVAL   verifier or out is NULL, or token is NULL with len > 0
 *                (*reason "invalid argument").
 * On any failure *out is NULL. reason may be NULL. Nothing is kept from
 * the token text. Thread-safe. */
GQL_EXTERN int gql_jwt_verify(const gql_jwt_verifier *verifier, const char *token, size_t len,
                              long long now, gql_principal **out, const char **reason);

/* gql_bearer_token followed by gql_jwt_verify: checks the value of an
 * Authorization header (or a connection_init payload's "Authorization"
 * string). A value that is not "Bearer <token>" gives
 * GQL_EUNAUTHENTICATED with the reason "not a bearer token"; otherwise the
 * results are gql_jwt_verify's. */
GQL_EXTERN int gql_jwt_verify_bearer(const gql_jwt_verifier *verifier, const char *header_value,
                                     size_t len, long long now, gql_principal **out,
                                     const char **reason);

/* Releases a principal made by gql_jwt_verify (and only those: other
 * principals belong to whoever made them). NULL does nothing. */
GQL_EXTERN void gql_jwt_principal_free(gql_principal *principal);

/* Finds the token in the credentials header_value[0..len) of the form
 * "Bearer <token>" (RFC 6750 2.1): the scheme in any case, one or more
 * spaces or tabs, then the token, made of letters, digits and "-._~+/" followed
 * by optional "=" padding. Spaces and tabs around the whole value are
 * ignored.
 *
 * Returns GQL_OK with *token pointing into header_value and *token_len
 * its length; GQL_EUNAUTHENTICATED when the scheme is not Bearer or the
 * token is missing or holds other characters (*token NULL, *token_len 0);
 * GQL_EINVAL when token or token_len is NULL, or header_value is NULL
 * with len > 0. Does not allocate. */
GQL_EXTERN int gql_bearer_token(const char *header_value, size_t len, const char **token,
                                size_t *token_len);

GQL_END_DECLS

#endif
