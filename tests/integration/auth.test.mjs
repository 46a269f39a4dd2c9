// tests/integration/auth.test.mjs — authentication and authorization over
// HTTP with `gqld serve` and no C code: JWT bearer tokens signed here
// (HS256, RS256 and ES256 with keys from the openssl command line) and
// refused when they must be (expired, not yet valid, wrong audience, bad
// signature, alg none, an RSA public key used as an HMAC secret); the
// schema's @authorize / @allowAnonymous rules (roles any-of, policies
// all-of through --policy, anonymous fields, @skip/@include, interfaces,
// unions, arguments, introspection); and the endpoint's own rule
// (--auth-required, --auth-roles, --auth-policy), checked before the
// document is parsed.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { gqld, startServer } from './lib/server.mjs';
import { AUDIENCE, ISSUER, SECRET, claims, makeFixture, now, sign, token } from './lib/jwt.mjs';

const T = { timeout: 20000 };
let fx;

function serve(args, env = {}) {
  return startServer(gqld, ['serve', '--schema', fx.schema, '--data', fx.data,
    '--listen', '127.0.0.1:0', '--workers', '1', '--access-log', 'false', '--ui', 'false', ...args],
  { env });
}

/** POSTs a GraphQL request: { status, headers, body }. */
async function post(server, body, { bearer, authorization, accept = 'application/graphql-response+json' } = {}) {
  const headers = { 'content-type': 'application/json', accept };
  if (bearer !== undefined) headers.authorization = `Bearer ${bearer}`;
  if (authorization !== undefined) headers.authorization = authorization;
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: JSON.parse(text) };
}

const q = (query, variables) => ({ query, variables });

function assertDenied(r, status) {
  assert.equal(r.status, status, r.text);
  assert.equal(r.body.data, undefined);
  assert.ok(r.body.errors.length > 0);
  for (const e of r.body.errors) assert.equal(e.extensions.code, 'ACCESS_DENIED');
}

before(() => { fx = makeFixture(); });
after(() => fx.cleanup());

describe('JWT bearer tokens and the schema\'s rules', () => {
  let server;
  before(async () => {
    server = await serve(['--jwt-secret-env', 'GQLD_TEST_JWT_SECRET', '--jwt-public-key', fx.publicKeys,
      '--jwt-issuer', ISSUER, '--jwt-audience', AUDIENCE,
      '--policy', 'editor:scope=write', '--policy', 'verified:email_verified=true'],
    { GQLD_TEST_JWT_SECRET: SECRET });
  });
  after(async () => { assert.equal(await server.stop(), 0); });

  it('answers anonymous requests for unprotected fields', T, async () => {
    const r = await post(server, q('{ hello }'));
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { data: { hello: 'world' } });
  });

  it('401 without a token for a protected field, naming only that field', T, async () => {
    for (const accept of ['application/graphql-response+json', 'application/json']) {
      const r = await post(server, q('{ hello secret }'), { accept });
      assertDenied(r, 401);
      assert.equal(r.headers.get('www-authenticate'), 'Bearer');
      assert.deepEqual(r.body.errors.map((e) => e.message), ["Access denied for field 'secret' on type 'Query'."]);
      assert.ok(!/admin|ops/.test(r.text), 'the roles are not disclosed');
    }
  });

  it('accepts valid HS256, RS256 and ES256 tokens', T, async () => {
    const tokens = [
      token({ roles: ['ops'] }),
      sign('RS256', claims({ roles: ['ops'] }), fx.rsaPrivate),
      sign('ES256', claims({ roles: ['admin'] }), fx.ecPrivate),
    ];
    for (const t of tokens) {
      const r = await post(server, q('{ secret me { name } }'), { bearer: t });
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.body, { data: { secret: 's3cret', me: { name: 'alice' } } });
    }
  });

  it('refuses bad tokens with 401 and an invalid_token challenge', T, async () => {
    const t = now();
    const cases = [
      ['token expired', token({ exp: t - 3600 })],
      ['token not yet valid', token({ nbf: t + 3600 })],
      ['wrong audience', token({ aud: 'someone-else' })],
      ['wrong issuer', token({ iss: 'https://elsewhere.test' })],
      ['bad signature', sign('HS256', claims(), 'another-secret-of-more-than-32-bytes!!')],
      ['bad signature', sign('RS256', claims(), crypto_otherRsa())],
      ['unsupported algorithm', sign('none', claims(), null)],
      // Algorithm confusion: the RSA public key (public knowledge) used as
      // an HMAC secret must never verify.
      ['bad signature', sign('HS256', claims(), fx.rsaPublic)],
      ['malformed token', 'not.a.jwt'],
    ];
    for (const [reason, bad] of cases) {
      const r = await post(server, q('{ hello }'), { bearer: bad });
      assertDenied(r, 401);
      assert.equal(r.headers.get('www-authenticate'),
        `Bearer error="invalid_token", error_description="${reason}"`, reason);
      assert.deepEqual(r.body.errors.map((e) => e.message), [`Access denied: ${reason}.`]);
    }
    // Credentials that are not a bearer token are refused, not ignored.
    const basic = await post(server, q('{ hello }'), { authorization: 'Basic YWxpY2U6cHc=' });
    assertDenied(basic, 401);
  });

  it('roles are any-of: 403 with a token lacking them', T, async () => {
    assert.equal((await post(server, q('{ secret }'), { bearer: token({ roles: ['admin'] }) })).status, 200);
    assert.equal((await post(server, q('{ secret }'), { bearer: token({ roles: ['x', 'ops'] }) })).status, 200);
    const r = await post(server, q('{ hello secret }'), { bearer: token({ roles: ['user'] }) });
    assertDenied(r, 403);
    assert.equal(r.headers.get('www-authenticate'), null);
    const none = await post(server, q('{ secret }'), { bearer: token() });
    assertDenied(none, 403);
  });

  it('policies are all-of (--policy claims)', T, async () => {
    const both = token({ scope: 'read write', email_verified: true });
    assert.deepEqual((await post(server, q('{ editorNote }'), { bearer: both })).body, { data: { editorNote: 'note' } });
    assertDenied(await post(server, q('{ editorNote }'), { bearer: token({ scope: 'write' }) }), 403);
    assertDenied(await post(server, q('{ editorNote }'), { bearer: token({ email_verified: true }) }), 403);
    assertDenied(await post(server, q('{ editorNote }'), { bearer: token({ scope: 'writer', email_verified: true }) }), 403);
    assertDenied(await post(server, q('{ editorNote }')), 401);
  });

  it('@allowAnonymous fields of a protected type', T, async () => {
    assert.deepEqual((await post(server, q('{ vault { brochure } }'))).body, { data: { vault: { brochure: 'come in' } } });
    assertDenied(await post(server, q('{ vault { brochure gold } }')), 401);
    assert.deepEqual((await post(server, q('{ vault { gold } }'), { bearer: token() })).body, { data: { vault: { gold: 42 } } });
  });

  it('fields left out by @skip and @include are not checked', T, async () => {
    assert.deepEqual((await post(server, q('{ hello secret @skip(if: true) }'))).body, { data: { hello: 'world' } });
    const doc = 'query ($s: Boolean!) { hello secret @include(if: $s) }';
    assert.deepEqual((await post(server, q(doc, { s: false }))).body, { data: { hello: 'world' } });
    assertDenied(await post(server, q(doc, { s: true })), 401);
    assertDenied(await post(server, q('{ hello secret @skip(if: false) }')), 401);
  });

  it('interfaces: the rule of the type the selection names', T, async () => {
    // Cat.name has no rule; Animal.name has one.
    assert.deepEqual((await post(server, q('{ cat { name } }'))).body, { data: { cat: { name: 'Tom' } } });
    const viaInterface = await post(server, q('{ cat { ... on Animal { name } } }'));
    assertDenied(viaInterface, 401);
    assert.deepEqual(viaInterface.body.errors.map((e) => e.message), ["Access denied for field 'name' on type 'Animal'."]);
    assertDenied(await post(server, q('{ cat { ... on Animal { name } } }'), { bearer: token() }), 403);
    const zoo = await post(server, q('{ cat { ... on Animal { name } } }'), { bearer: token({ roles: ['zoo'] }) });
    assert.deepEqual(zoo.body, { data: { cat: { name: 'Tom' } } });
  });

  it('unions: the rule of the member type queried', T, async () => {
    assert.deepEqual((await post(server, q('{ pets { ... on Cat { name } } }'))).body,
      { data: { pets: [{ name: 'Tom' }, {}] } });
    assertDenied(await post(server, q('{ pets { ... on Dog { name } } }')), 401);
    assertDenied(await post(server, q('{ pets { ... on Dog { name } } }'), { bearer: token({ roles: ['cats'] }) }), 403);
    assert.deepEqual((await post(server, q('{ pets { __typename ... on Dog { name } } }'), { bearer: token({ roles: ['dogs'] }) })).body,
      { data: { pets: [{ __typename: 'Cat' }, { __typename: 'Dog', name: 'Rex' }] } });
  });

  it('arguments: checked when the query gives them', T, async () => {
    assert.deepEqual((await post(server, q('{ search(term: "a") }'))).body, { data: { search: ['a', 'b'] } });
    const r = await post(server, q('{ search(term: "a", includeHidden: true) }'));
    assertDenied(r, 401);
    assert.deepEqual(r.body.errors.map((e) => e.message), ["Access denied for argument 'includeHidden' of field 'Query.search'."]);
    assertDenied(await post(server, q('{ search(includeHidden: true) }'), { bearer: token() }), 403);
    assert.equal((await post(server, q('{ search(includeHidden: true) }'), { bearer: token({ roles: ['admin'] }) })).status, 200);
  });

  it('introspection is open when the schema itself has no rule', T, async () => {
    const r = await post(server, q('{ __schema { queryType { name } } __type(name: "Vault") { name } }'));
    assert.deepEqual(r.body, { data: { __schema: { queryType: { name: 'Query' } }, __type: { name: 'Vault' } } });
  });

  it('mutations are checked too', T, async () => {
    assertDenied(await post(server, q('mutation { rename(name: "x") }')), 401);
    assertDenied(await post(server, q('mutation { rename(name: "x") }'), { bearer: token() }), 403);
    assert.deepEqual((await post(server, q('mutation { rename(name: "x") }'), { bearer: token({ roles: ['admin'] }) })).body,
      { data: { rename: 'renamed' } });
  });

  it('a batch answers 200 with each denied request\'s errors', T, async () => {
    const r = await post(server, [q('{ hello }'), q('{ secret }')], { accept: 'application/json' });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body[0], { data: { hello: 'world' } });
    assert.equal(r.body[1].errors[0].extensions.code, 'ACCESS_DENIED');
  });

  it('/server_info shows the authentication, never the keys', T, async () => {
    const res = await fetch(`${server.url}/server_info`);
    const text = await res.text();
    const auth = JSON.parse(text).endpoints[0].authentication;
    assert.deepEqual(auth, { jwt: true, hook: false, authorization_required: false, authorized_roles: [], authorized_policy: null });
    assert.ok(!text.includes(SECRET));
  });
});

/** A second RSA key, unknown to the server. */
function crypto_otherRsa() {
  const path = fx.file('other.pem');
  if (!fs.existsSync(path))
    spawnSync('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', path]);
  return fs.readFileSync(path, 'utf8');
}

describe('a schema-level rule', () => {
  let server;
  before(async () => {
    const schema = fx.file('schema-protected.graphql',
      `schema @authorize { query: Query }\n${fs.readFileSync(fx.schema, 'utf8').replace(/type Mutation[^}]*}|type Subscription[^}]*}/g, '')}`);
    server = await startServer(gqld, ['serve', '--schema', schema, '--data', fx.data, '--listen', '127.0.0.1:0',
      '--workers', '1', '--access-log', 'false', '--ui', 'false', '--jwt-secret-file', fx.secretFile]);
  });
  after(async () => { assert.equal(await server.stop(), 0); });

  it('protects introspection and every field', T, async () => {
    assertDenied(await post(server, q('{ __schema { queryType { name } } }')), 401);
    assertDenied(await post(server, q('{ hello }')), 401);
    const r = await post(server, q('{ __schema { queryType { name } } hello }'), { bearer: token() });
    assert.deepEqual(r.body, { data: { __schema: { queryType: { name: 'Query' } }, hello: 'world' } });
  });
});

describe('the endpoint\'s own rule, before the document is read', () => {
  const BROKEN = q('{ hello');
  let required, roles, policy;
  before(async () => {
    required = await serve(['--jwt-secret-file', fx.secretFile, '--auth-required']);
    roles = await serve(['--jwt-secret-file', fx.secretFile, '--auth-roles', 'admin, ops']);
    const config = fx.file('auth-config.json', JSON.stringify({
      AuthorizedPolicy: 'editor', policy: ['editor:scope=write'], 'jwt-secret-file': fx.secretFile,
    }));
    policy = await serve(['--config', config]);
  });
  after(async () => {
    for (const s of [required, roles, policy]) assert.equal(await s.stop(), 0);
  });

  it('--auth-required: 401 without a token, even for a broken document', T, async () => {
    const r = await post(required, BROKEN);
    assert.equal(r.status, 401);
    assert.deepEqual(r.body, { errors: [{ message: 'Access denied.', extensions: { code: 'ACCESS_DENIED' } }] });
    assert.equal(r.headers.get('www-authenticate'), 'Bearer');
    assert.equal(r.headers.get('content-type'), 'application/graphql-response+json; charset=utf-8');
    // Not even the body is needed: a GET is refused the same way.
    const get = await fetch(`${required.url}/graphql?query=%7Bhello%7D`, { headers: { 'GraphQL-Require-Preflight': '1' } });
    assert.equal(get.status, 401);
    // With a token the document is read, and found broken.
    assert.equal((await post(required, BROKEN, { bearer: token() })).status, 400);
    assert.deepEqual((await post(required, q('{ hello }'), { bearer: token() })).body, { data: { hello: 'world' } });
    assertDenied(await post(required, q('{ hello }'), { bearer: token({ exp: now() - 3600 }) }), 401);
  });

  it('--auth-roles: any one of the roles, else 403', T, async () => {
    assertDenied(await post(roles, BROKEN), 401);
    const r = await post(roles, BROKEN, { bearer: token({ roles: ['user'] }) });
    assert.equal(r.status, 403);
    assert.deepEqual(r.body, { errors: [{ message: 'Access denied.', extensions: { code: 'ACCESS_DENIED' } }] });
    assert.equal(r.headers.get('www-authenticate'), null);
    assert.equal((await post(roles, q('{ hello }'), { bearer: token({ roles: ['ops'] }) })).status, 200);
    assert.equal((await post(roles, BROKEN, { bearer: token({ roles: ['admin'] }) })).status, 400);
  });

  it('--auth-policy (from a --config file): the policy must pass, else 403', T, async () => {
    assertDenied(await post(policy, BROKEN), 401);
    assertDenied(await post(policy, BROKEN, { bearer: token({ scope: 'read' }) }), 403);
    assert.equal((await post(policy, q('{ hello }'), { bearer: token({ scope: 'read write' }) })).status, 200);
    const info = await (await fetch(`${policy.url}/server_info`)).json();
    assert.equal(info.endpoints[0].authentication.authorized_policy, 'editor');
  });
});

describe('gqld serve refuses conflicting options at start-up', () => {
  const cases = [
    [['--auth-required'], /need a way to authenticate/],
    [['--auth-roles', 'admin'], /need a way to authenticate/],
    [['--jwt-secret-file', 'F', '--auth-policy', 'nope'], /--auth-policy nope: no such policy/],
    [['--jwt-secret', SECRET, '--jwt-secret-file', 'F'], /only one of/],
    [['--jwt-audience', 'x'], /need a key/],
    [['--jwt-secret', 'short'], /JWT configuration: .*secret/i],
    [['--jwt-secret-env', 'GQLD_TEST_UNSET_VARIABLE'], /GQLD_TEST_UNSET_VARIABLE is not set/],
    [['--jwt-secret-file', 'F', '--policy', 'broken'], /expected NAME:CLAIM=VALUE/],
  ];
  for (const [args, message] of cases) {
    it(args.join(' '), T, () => {
      const real = args.map((a) => (a === 'F' ? fx.secretFile : a));
      const r = spawnSync(gqld, ['serve', '--schema', fx.schema, '--listen', '127.0.0.1:0', ...real], { encoding: 'utf8' });
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, message);
    });
  }
});
