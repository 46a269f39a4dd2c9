// tests/integration/auth_ws.test.mjs — authentication and authorization of
// GraphQL WebSockets with `gqld serve`: JWT bearer tokens in the
// connection_init payload (or the upgrade request's Authorization header),
// accepted or refused (graphql-transport-ws: close 4403; the legacy
// graphql-ws: connection_error, then close), operations the schema's
// rules deny answered with "error", the endpoint's own rule, and a
// connection closed with 4403 when its token expires. Both protocols,
// with their real clients (graphql-ws; Apollo's subscriptions-transport-ws)
// and with raw sockets.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { once } from 'node:events';
import WebSocket from 'ws';
import { createClient } from 'graphql-ws';
import { gqld, startServer } from './lib/server.mjs';
import { AUDIENCE, ISSUER, claims, makeFixture, now, sign, token } from './lib/jwt.mjs';

const legacyRequire = createRequire(new URL('./legacy-client/package.json', import.meta.url));
const { SubscriptionClient } = legacyRequire('subscriptions-transport-ws');
const LegacyWebSocket = legacyRequire('ws');

const T = { timeout: 20000 };
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
let fx;

function serve(args) {
  return startServer(gqld, ['serve', '--schema', fx.schema, '--data', fx.data,
    '--listen', '127.0.0.1:0', '--workers', '1', '--access-log', 'false', '--ui', 'false',
    '--jwt-secret-file', fx.secretFile, '--jwt-public-key', fx.publicKeys,
    '--jwt-issuer', ISSUER, '--jwt-audience', AUDIENCE,
    // No skew: a connection then closes at the token's exp itself.
    '--jwt-clock-skew', '0', ...args]);
}

const wsUrl = (server) => `${server.url.replace('http:', 'ws:')}/graphql`;

// ---- clients ---------------------------------------------------------------------------

function transportClient(url, connectionParams) {
  return createClient({ url, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true, connectionParams });
}

/** Runs one operation: { results, error, completed }; until() ends it early. */
function run(client, payload, { until } = {}) {
  return new Promise((resolve) => {
    const results = [];
    const dispose = client.subscribe(payload, {
      next: (v) => {
        results.push(v);
        if (until && until(results)) {
          dispose();
          resolve({ results, disposed: true });
        }
      },
      error: (error) => resolve({ results, error }),
      complete: () => resolve({ results, completed: true }),
    });
  });
}

function legacyClient(url, connectionParams, options = {}) {
  return new SubscriptionClient(url, { reconnect: false, lazy: false, connectionParams, ...options }, LegacyWebSocket);
}

function runLegacy(client, request) {
  return new Promise((resolve) => {
    const results = [];
    client.request(request).subscribe({
      next: (v) => results.push(v),
      error: (error) => resolve({ results, error }),
      complete: () => resolve({ results, completed: true }),
    });
  });
}

/** A raw socket: its JSON messages in order, and how it closed. */
class Raw {
  constructor(url, protocol, headers = {}) {
    this.messages = [];
    this.waiters = [];
    this.ws = new WebSocket(url, protocol, { headers });
    this.opened = once(this.ws, 'open');
    this.closed = new Promise((resolve) => {
      this.ws.on('close', (code, reason) => resolve({ code, reason: reason.toString(), at: Date.now() }));
    });
    this.ws.on('error', () => {});
    this.ws.on('message', (data) => {
      this.messages.push(JSON.parse(data.toString()));
      this.waiters.splice(0).forEach((f) => f());
    });
    this.ws.on('close', () => this.waiters.splice(0).forEach((f) => f()));
  }

  send(msg) { this.ws.send(JSON.stringify(msg)); }

  async next(timeoutMs = 5000) {
    const deadline = Date.now() + timeoutMs;
    while (this.messages.length === 0) {
      if (this.ws.readyState === WebSocket.CLOSED) return null;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('no message in time');
      await new Promise((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => { clearTimeout(t); resolve(); });
      });
    }
    return this.messages.shift();
  }
}

/** The HTTP answer to an upgrade the server refuses. */
function refusedUpgrade(url, protocol, headers) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocol, { headers });
    ws.on('unexpected-response', (req, res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    ws.on('open', () => reject(new Error('the upgrade was accepted')));
    ws.on('error', () => {});
  });
}

/** Publishes an event through gqld's route once the topic has a subscriber. */
async function publishWhenSubscribed(server, topic, event) {
  const deadline = Date.now() + 5000;
  while ((await (await fetch(`${server.url}/publish/${topic}`)).json()).subscribers === 0) {
    if (Date.now() > deadline) throw new Error(`nobody subscribed to ${topic}`);
    await sleep(20);
  }
  await fetch(`${server.url}/publish/${topic}`, { method: 'POST', body: JSON.stringify(event) });
}

const isDenied = (errors) => Array.isArray(errors) && errors.length > 0 &&
  errors.every((e) => e.extensions?.code === 'ACCESS_DENIED');

function badTokens() {
  const t = now();
  return {
    expired: token({ exp: t - 3600 }),
    'not yet valid': token({ nbf: t + 3600 }),
    'wrong audience': token({ aud: 'someone-else' }),
    'wrong signature': sign('HS256', claims(), 'another-secret-of-more-than-32-bytes!!'),
    'alg none': sign('none', claims(), null),
    'RSA public key as HMAC secret': sign('HS256', claims(), fx.rsaPublic),
  };
}

before(() => { fx = makeFixture(); });
after(() => fx.cleanup());

// ---- graphql-transport-ws ----------------------------------------------------------------

describe('graphql-transport-ws', () => {
  let server;
  before(async () => { server = await serve([]); });
  after(async () => { assert.equal(await server.stop(), 0); });

  it('accepts a token in connection_init ("Authorization" or a bare "token")', T, async () => {
    for (const params of [{ Authorization: `Bearer ${token()}` },
      { token: sign('RS256', claims(), fx.rsaPrivate) },
      { authorization: `Bearer ${sign('ES256', claims(), fx.ecPrivate)}` }]) {
      const client = transportClient(wsUrl(server), params);
      const r = await run(client, { query: '{ me { name } }' });
      assert.deepEqual(r, { results: [{ data: { me: { name: 'alice' } } }], completed: true });
      await client.dispose();
    }
  });

  it('closes with 4403 on every bad token', T, async () => {
    for (const [what, bad] of Object.entries(badTokens())) {
      const client = transportClient(wsUrl(server), { Authorization: `Bearer ${bad}` });
      const r = await run(client, { query: '{ hello }' });
      assert.equal(r.error?.code, 4403, what);
      assert.equal(r.error.reason, 'Forbidden');
      await client.dispose();
    }
  });

  it('anonymous connections run what the schema allows, and get "error" for the rest', T, async () => {
    const client = transportClient(wsUrl(server), undefined);
    assert.deepEqual((await run(client, { query: '{ hello }' })).results, [{ data: { hello: 'world' } }]);
    const r = await run(client, { query: '{ hello secret }' });
    assert.ok(isDenied(r.error), JSON.stringify(r.error));
    assert.deepEqual(r.error.map((e) => e.message), ["Access denied for field 'secret' on type 'Query'."]);
    await client.dispose();
  });

  it('field rules are checked against the token: roles, subscriptions', T, async () => {
    const user = transportClient(wsUrl(server), { token: token({ roles: ['user'] }) });
    assert.ok(isDenied((await run(user, { query: '{ secret }' })).error));
    assert.ok(isDenied((await run(user, { query: 'subscription { alerts }' })).error));
    await user.dispose();

    const admin = transportClient(wsUrl(server), { token: token({ roles: ['admin'] }) });
    assert.deepEqual((await run(admin, { query: '{ secret }' })).results, [{ data: { secret: 's3cret' } }]);
    const sub = run(admin, { query: 'subscription { alerts }' }, { until: (r) => r.length === 1 });
    await publishWhenSubscribed(server, 'alerts', { alerts: 'fire' });
    assert.deepEqual((await sub).results, [{ data: { alerts: 'fire' } }]);
    await admin.dispose();
  });

  it('takes the upgrade request\'s Authorization header, and refuses a bad one with 401', T, async () => {
    const raw = new Raw(wsUrl(server), 'graphql-transport-ws', { Authorization: `Bearer ${token()}` });
    await raw.opened;
    raw.send({ type: 'connection_init' });
    assert.equal((await raw.next()).type, 'connection_ack');
    raw.send({ id: '1', type: 'subscribe', payload: { query: '{ me { name } }' } });
    assert.deepEqual(await raw.next(), { id: '1', type: 'next', payload: { data: { me: { name: 'alice' } } } });
    raw.ws.close();
    await raw.closed;

    const refused = await refusedUpgrade(wsUrl(server), 'graphql-transport-ws',
      { Authorization: `Bearer ${badTokens().expired}` });
    assert.equal(refused.status, 401);
    assert.match(refused.headers['www-authenticate'], /invalid_token/);
  });

  it('closes the connection with 4403 when its token expires', T, async () => {
    const exp = now() + 2;
    const raw = new Raw(wsUrl(server), 'graphql-transport-ws');
    await raw.opened;
    raw.send({ type: 'connection_init', payload: { Authorization: `Bearer ${token({ exp })}` } });
    assert.equal((await raw.next()).type, 'connection_ack');
    raw.send({ id: '1', type: 'subscribe', payload: { query: 'subscription { news }' } });
    const closed = await raw.closed;
    assert.equal(closed.code, 4403);
    assert.equal(closed.reason, 'Token expired');
    // At the expiry, not before it, and not much later.
    assert.ok(closed.at >= exp * 1000 - 50, `closed ${exp * 1000 - closed.at} ms early`);
    assert.ok(closed.at < exp * 1000 + 1500, `closed ${closed.at - exp * 1000} ms late`);
  });
});

// ---- the legacy graphql-ws protocol --------------------------------------------------------

describe('graphql-ws (subscriptions-transport-ws)', () => {
  let server;
  before(async () => { server = await serve([]); });
  after(async () => { assert.equal(await server.stop(), 0); });

  it('accepts a token in connectionParams', T, async () => {
    const client = legacyClient(wsUrl(server), { Authorization: `Bearer ${token({ roles: ['ops'] })}` });
    const r = await runLegacy(client, { query: '{ me { name } secret }' });
    assert.deepEqual(r, { results: [{ data: { me: { name: 'alice' }, secret: 's3cret' } }], completed: true });
    client.close();
  });

  it('refuses bad tokens with connection_error, then closes', T, async () => {
    for (const [what, bad] of Object.entries(badTokens())) {
      const errors = [];
      const client = legacyClient(wsUrl(server), { token: bad }, {
        connectionCallback: (e) => { if (e) errors.push(e); },
      });
      await new Promise((resolve) => client.onDisconnected(resolve));
      assert.equal(errors.length, 1, what);
      assert.match(errors[0].message, /^Access denied/, what);
      client.close();
    }
    const raw = new Raw(wsUrl(server), 'graphql-ws');
    await raw.opened;
    raw.send({ type: 'connection_init', payload: { token: badTokens().expired } });
    assert.deepEqual(await raw.next(), { type: 'connection_error', payload: { message: 'Access denied: token expired.' } });
    assert.equal((await raw.closed).code, 4403);
  });

  it('answers operations the rules deny with "error"', T, async () => {
    const client = legacyClient(wsUrl(server), { token: token({ roles: ['user'] }) });
    const r = await runLegacy(client, { query: '{ secret }' });
    assert.ok(r.error, JSON.stringify(r));
    assert.match(JSON.stringify(r.error), /Access denied for field 'secret' on type 'Query'/);
    client.close();

    const raw = new Raw(wsUrl(server), 'graphql-ws');
    await raw.opened;
    raw.send({ type: 'connection_init' });
    assert.equal((await raw.next()).type, 'connection_ack');
    raw.send({ id: '1', type: 'start', payload: { query: 'subscription { alerts }' } });
    const err = await raw.next();
    assert.equal(err.type, 'error');
    assert.equal(err.id, '1');
    assert.ok(isDenied(err.payload.errors), JSON.stringify(err));
    raw.ws.close();
  });

  it('sends connection_error and closes with 4403 when the token expires', T, async () => {
    const exp = now() + 2;
    const raw = new Raw(wsUrl(server), 'graphql-ws');
    await raw.opened;
    raw.send({ type: 'connection_init', payload: { token: token({ exp }) } });
    assert.equal((await raw.next()).type, 'connection_ack');
    assert.deepEqual(await raw.next(6000), { type: 'connection_error', payload: { message: 'Access denied: token expired.' } });
    const closed = await raw.closed;
    assert.equal(closed.code, 4403);
    assert.ok(closed.at >= exp * 1000 - 50);
  });
});

// ---- the endpoint's own rule ----------------------------------------------------------------

describe('the endpoint\'s rule on WebSockets (--auth-required --auth-roles ops)', () => {
  let server;
  before(async () => { server = await serve(['--auth-required', '--auth-roles', 'ops']); });
  after(async () => { assert.equal(await server.stop(), 0); });

  it('accepts the upgrade without credentials (they may come in connection_init)', T, async () => {
    const ops = transportClient(wsUrl(server), { token: token({ roles: ['ops'] }) });
    assert.deepEqual((await run(ops, { query: '{ hello }' })).results, [{ data: { hello: 'world' } }]);
    await ops.dispose();
  });

  it('closes with 4403 without a token or without the role', T, async () => {
    for (const params of [undefined, { token: token({ roles: ['user'] }) }]) {
      const client = transportClient(wsUrl(server), params);
      const r = await run(client, { query: '{ hello }' });
      assert.equal(r.error?.code, 4403);
      await client.dispose();
    }
    const errors = [];
    const legacy = legacyClient(wsUrl(server), undefined, { connectionCallback: (e) => { if (e) errors.push(e); } });
    await new Promise((resolve) => legacy.onDisconnected(resolve));
    assert.deepEqual(errors, [{ message: 'Access denied.' }]);
    legacy.close();
  });

  it('refuses an upgrade whose header token lacks the role with 403', T, async () => {
    const refused = await refusedUpgrade(wsUrl(server), 'graphql-transport-ws',
      { Authorization: `Bearer ${token({ roles: ['user'] })}` });
    assert.equal(refused.status, 403);
    assert.deepEqual(JSON.parse(refused.body), { errors: [{ message: 'Access denied.', extensions: { code: 'ACCESS_DENIED' } }] });
  });
});
