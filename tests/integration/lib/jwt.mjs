// tests/integration/lib/jwt.mjs — what the authentication tests share: keys
// made with the openssl command line, tokens signed here with node:crypto,
// and a schema protected with @authorize and @allowAnonymous (the seed's
// cases: roles, policies, anonymous fields, interfaces, unions, arguments).
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const SECRET = 'a-test-secret-of-more-than-32-bytes-0123456789';
export const ISSUER = 'https://issuer.test';
export const AUDIENCE = 'gqld-tests';

export const SCHEMA = `
type Query {
  hello: String
  secret: String @authorize(roles: ["admin", "ops"])
  me: User @authorize
  editorNote: String @authorize(policy: "editor") @authorize(policy: "verified")
  vault: Vault
  cat: Cat
  pets: [Pet]
  search(term: String, includeHidden: Boolean @authorize(roles: ["admin"])): [String]
}

type Mutation {
  rename(name: String!): String @authorize(roles: ["admin"])
}

type Subscription {
  news: String
  alerts: String @authorize(roles: ["admin"])
}

type User {
  name: String
}

type Vault @authorize {
  gold: Int
  brochure: String @allowAnonymous
}

interface Animal {
  name: String @authorize(roles: ["zoo"])
}

type Cat implements Animal {
  name: String
}

type Dog @authorize(roles: ["dogs"]) {
  name: String
}

union Pet = Cat | Dog
`;

export const DATA = {
  hello: 'world',
  secret: 's3cret',
  me: { name: 'alice' },
  editorNote: 'note',
  vault: { gold: 42, brochure: 'come in' },
  cat: { __typename: 'Cat', name: 'Tom' },
  pets: [{ __typename: 'Cat', name: 'Tom' }, { __typename: 'Dog', name: 'Rex' }],
  search: ['a', 'b'],
  rename: 'renamed',
};

/**
 * A temporary folder with the schema, its data, a secret file, and keys
 * made by openssl: RSA 2048 and EC P-256 private keys, and their public
 * keys alone and together in one PEM file.
 */
export function makeFixture() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gqld-auth-'));
  const file = (name, text) => {
    const p = path.join(dir, name);
    if (text !== undefined) fs.writeFileSync(p, text);
    return p;
  };
  const openssl = (...args) => execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  openssl('genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', file('rsa.pem'));
  openssl('pkey', '-in', file('rsa.pem'), '-pubout', '-out', file('rsa.pub.pem'));
  openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', file('ec.pem'));
  openssl('pkey', '-in', file('ec.pem'), '-pubout', '-out', file('ec.pub.pem'));
  const read = (name) => fs.readFileSync(file(name), 'utf8');
  const fx = {
    dir,
    schema: file('schema.graphql', SCHEMA),
    data: file('data.json', JSON.stringify(DATA)),
    secretFile: file('secret.txt', `${SECRET}\n`),
    rsaPrivate: read('rsa.pem'),
    rsaPublic: read('rsa.pub.pem'),
    ecPrivate: read('ec.pem'),
    ecPublic: read('ec.pub.pem'),
    file,
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
  fx.publicKeys = file('public.pem', fx.rsaPublic + fx.ecPublic);
  return fx;
}

const b64url = (x) => Buffer.from(x).toString('base64url');
export const now = () => Math.floor(Date.now() / 1000);

/**
 * A compact JWS of payload signed with alg: HS256 with a secret (any
 * text or bytes), RS256 with an RSA private key, ES256 with an EC private
 * key (R || S, as JWS wants), or "none" with no signature.
 */
export function sign(alg, payload, key, header = {}) {
  const input = `${b64url(JSON.stringify({ alg, typ: 'JWT', ...header }))}.${b64url(JSON.stringify(payload))}`;
  let sig;
  if (alg === 'HS256') sig = crypto.createHmac('sha256', key).update(input).digest();
  else if (alg === 'RS256') sig = crypto.sign('sha256', Buffer.from(input), key);
  else if (alg === 'ES256') sig = crypto.sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  else if (alg === 'none') sig = Buffer.alloc(0);
  else throw new Error(`unsupported alg ${alg}`);
  return `${input}.${b64url(sig)}`;
}

/** The claims of a good token for the tests' issuer and audience, and more. */
export function claims(extra = {}) {
  const t = now();
  return { iss: ISSUER, aud: AUDIENCE, sub: 'alice', iat: t, exp: t + 600, ...extra };
}

/** An HS256 token with the test secret. */
export function token(extra = {}) {
  return sign('HS256', claims(extra), SECRET);
}
