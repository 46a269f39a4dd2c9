// tests/integration/ws_graphql.test.mjs — GraphQL over WebSocket with the
// real clients: graphql-ws's createClient (graphql-transport-ws) and
// Apollo's subscriptions-transport-ws (the legacy graphql-ws protocol),
// against `gqld serve` (tests/data/ws: subscriptions fed by
// POST /publish/{topic}) and tests/tools/ws_auth_server.c (authentication
// on connection_init, a timer-driven source, a mutation that publishes).
// Raw `ws` sockets check every graphql-transport-ws close code, the
// legacy messages one by one, sub-protocol negotiation and keep-alive in
// each mode.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { once } from 'node:events';
import net from 'node:net';
import path from 'node:path';
import WebSocket from 'ws';
import { createClient } from 'graphql-ws';
import { gqld, startServer, testServer } from './lib/server.mjs';

const legacyRequire = createRequire(new URL('./legacy-client/package.json', import.meta.url));
const { SubscriptionClient } = legacyRequire('subscriptions-transport-ws');
const LegacyWebSocket = legacyRequire('ws');

const AUTH_SERVER = testServer('ws_auth_server');
const SCHEMA = path.resolve('tests/data/ws/schema.graphql');
const DATA = path.resolve('tests/data/ws/data.json');
const T = { timeout: 20000 };

function serveGqld(args = []) {
  return startServer(gqld, ['serve', '--schema', SCHEMA, '--data', DATA,
    '--listen', '127.0.0.1:0', '--workers', '2', '--access-log', 'false', ...args]);
}

function wsUrl(server) {
  return `${server.url.replace('http:', 'ws:')}/graphql`;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Publishes an event through gqld's route; resolves with its answer. */
async function publish(server, topic, event) {
  const res = await fetch(`${server.url}/publish/${topic}`, { method: 'POST', body: JSON.stringify(event) });
  assert.equal(res.status, 200);
  return res.json();
}

/** Waits until a topic has n subscribers (subscribing is asynchronous). */
async function waitSubscribers(server, topic, n, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(`${server.url}/publish/${topic}`);
    const { subscribers } = await res.json();
    if (subscribers === n) return;
    if (Date.now() > deadline) throw new Error(`${topic}: ${subscribers} subscribers, wanted ${n}`);
    await sleep(20);
  }
}

// ---- clients -------------------------------------------------------------------------

function transportClient(url, options = {}) {
  return createClient({ url, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true, ...options });
}

/** Runs one operation to its end: { results, error, completed }. */
function run(client, payload, { until } = {}) {
  return new Promise((resolve) => {
    const results = [];
    let dispose = null;
    dispose = client.subscribe(payload, {
      next: (v) => {
        results.push(v);
        if (until && until(results)) {
          dispose();
          resolve({ results, completed: false, disposed: true });
        }
      },
      error: (error) => resolve({ results, error }),
      complete: () => resolve({ results, completed: true }),
    });
  });
}

function legacyClient(url, options = {}) {
  return new SubscriptionClient(url, { reconnect: false, lazy: false, ...options }, LegacyWebSocket);
}

/** Runs one legacy operation: resolves at complete or error, or once until() holds. */
function runLegacy(client, request, { until } = {}) {
  return new Promise((resolve) => {
    const results = [];
    const sub = client.request(request).subscribe({
      next: (v) => {
        results.push(v);
        if (until && until(results)) {
          sub.unsubscribe();
          resolve({ results, completed: false, unsubscribed: true });
        }
      },
      error: (error) => resolve({ results, error }),
      complete: () => resolve({ results, completed: true }),
    });
  });
}

/** A raw socket: JSON messages in a queue, the close code and reason. */
class Raw {
  constructor(url, protocol = 'graphql-transport-ws') {
    this.messages = [];
    this.waiters = [];
    this.ws = protocol === null ? new WebSocket(url) : new WebSocket(url, protocol);
    this.opened = once(this.ws, 'open');
    this.closed = new Promise((resolve) => {
      this.ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    });
    this.ws.on('error', () => {});
    this.ws.on('message', (data) => {
      this.messages.push(JSON.parse(data.toString()));
      this.waiters.splice(0).forEach((f) => f());
    });
    this.ws.on('close', () => this.waiters.splice(0).forEach((f) => f()));
  }

  send(msg) {
    this.ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
  }

  /** The next message, or null if the socket closes first. */
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

  async init(payload) {
    await this.opened;
    this.send(payload === undefined ? { type: 'connection_init' } : { type: 'connection_init', payload });
    const ack = await this.next();
    assert.equal(ack.type, 'connection_ack');
    return this;
  }

  close() {
    this.ws.close();
    return this.closed;
  }
}

/** The HTTP answer to an upgrade the server refuses. */
function refusedUpgrade(url, protocols) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols);
    ws.on('unexpected-response', (req, res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    ws.on('open', () => reject(new Error('the upgrade was accepted')));
    ws.on('error', () => {});
  });
}

// ---- gqld serve ----------------------------------------------------------------------

describe('gqld serve: graphql-transport-ws', () => {
  let server;
  before(async () => { server = await serveGqld(); });
  after(async () => { assert.equal(await server.stop(), 0); });

  it('answers queries and mutations', T, async () => {
    const client = transportClient(wsUrl(server));
    const q = await run(client, { query: '{ hello books { title } }' });
    assert.equal(q.completed, true);
    assert.deepEqual(q.results, [{ data: { hello: 'world', books: [{ title: 'The Left Hand of Darkness' }, { title: 'Kindred' }] } }]);
    const m = await run(client, { query: 'mutation($t: String!) { addBook(title: $t) { title } }', variables: { t: 'x' } });
    assert.deepEqual(m.results, [{ data: { addBook: { title: 'A mock always returns this' } } }]);
    const bad = await run(client, { query: '{ nope }' });
    assert.equal(bad.error[0].message, 'Cannot query field "nope" on type "Query".');
    await client.dispose();
  });

  it('delivers many published events in order, then stops on complete', T, async () => {
    const client = transportClient(wsUrl(server));
    const N = 300;
    const done = run(client, { query: 'subscription { counter }' }, { until: (r) => r.length === N });
    await waitSubscribers(server, 'counter', 1);
    for (let i = 1; i <= N; i++) {
      const { subscribers } = await publish(server, 'counter', { counter: i });
      assert.equal(subscribers, 1);
    }
    const { results } = await done;
    assert.deepEqual(results.map((r) => r.data.counter), Array.from({ length: N }, (_, i) => i + 1));
    await waitSubscribers(server, 'counter', 0);
    await client.dispose();
  });

  it('filters events by the subscription arguments', T, async () => {
    const client = transportClient(wsUrl(server));
    const red = run(client, { query: 'subscription { bookAdded(channel: "red") { title } }' }, { until: (r) => r.length === 2 });
    const all = run(client, { query: 'subscription { bookAdded { title channel } }' }, { until: (r) => r.length === 3 });
    await waitSubscribers(server, 'bookAdded', 2);
    await publish(server, 'bookAdded', { bookAdded: { title: 'a', channel: 'red' } });
    await publish(server, 'bookAdded', { bookAdded: { title: 'b', channel: 'blue' } });
    await publish(server, 'bookAdded', { bookAdded: { title: 'c' } });
    assert.deepEqual((await red).results.map((r) => r.data.bookAdded.title), ['a', 'c']);
    assert.deepEqual((await all).results.map((r) => r.data.bookAdded.title), ['a', 'b', 'c']);
    await client.dispose();
  });

  it('reports its WebSocket options in /server_info', T, async () => {
    const info = await (await fetch(`${server.url}/server_info`)).json();
    const text = JSON.stringify(info);
    assert.match(text, /"websockets":\{"supported_subprotocols":\["graphql-ws","graphql-transport-ws"\],"connection_init_wait_timeout_ms":10000/);
  });
});

describe('gqld serve: legacy graphql-ws (subscriptions-transport-ws)', () => {
  let server;
  before(async () => { server = await serveGqld(); });
  after(async () => { assert.equal(await server.stop(), 0); });

  it('answers queries and mutations', T, async () => {
    const client = legacyClient(wsUrl(server));
    const q = await runLegacy(client, { query: '{ hello }' });
    assert.deepEqual(q, { results: [{ data: { hello: 'world' } }], completed: true });
    const m = await runLegacy(client, { query: 'mutation { addBook(title: "t") { title } }' });
    assert.deepEqual(m.results, [{ data: { addBook: { title: 'A mock always returns this' } } }]);
    const bad = await runLegacy(client, { query: '{ nope }' });
    assert.equal(bad.error.message, 'Cannot query field "nope" on type "Query".');
    client.close();
  });

  it('delivers subscription events and stops on unsubscribe', T, async () => {
    const client = legacyClient(wsUrl(server));
    const N = 100;
    const done = runLegacy(client, { query: 'subscription { counter }' }, { until: (r) => r.length === N });
    await waitSubscribers(server, 'counter', 1);
    for (let i = 1; i <= N; i++) await publish(server, 'counter', { counter: i });
    const { results } = await done;
    assert.deepEqual(results.map((r) => r.data.counter), Array.from({ length: N }, (_, i) => i + 1));
    await waitSubscribers(server, 'counter', 0);
    client.close();
  });

  it('speaks every message of the protocol', T, async () => {
    const raw = new Raw(wsUrl(server), 'graphql-ws');
    await raw.opened;
    raw.send('{oops');
    assert.equal((await raw.next()).type, 'connection_error');
    raw.send({ type: 'connection_init', payload: {} });
    assert.deepEqual(await raw.next(), { type: 'connection_ack' });
    raw.send({ id: '1', type: 'start', payload: { query: '{ hello }' } });
    assert.deepEqual(await raw.next(), { type: 'data', id: '1', payload: { data: { hello: 'world' } } });
    assert.deepEqual(await raw.next(), { type: 'complete', id: '1' });
    raw.send({ id: '2', type: 'start', payload: { query: '{ nope }' } });
    const err = await raw.next();
    assert.equal(err.type, 'error');
    assert.equal(err.payload.errors[0].message, 'Cannot query field "nope" on type "Query".');
    raw.send({ id: '3', type: 'start', payload: { query: 'subscription { counter }' } });
    await waitSubscribers(server, 'counter', 1);
    await publish(server, 'counter', { counter: 7 });
    assert.deepEqual(await raw.next(), { type: 'data', id: '3', payload: { data: { counter: 7 } } });
    raw.send({ id: '3', type: 'stop' });
    assert.deepEqual(await raw.next(), { type: 'complete', id: '3' });
    raw.send({ id: '4', type: 'bogus' });
    assert.deepEqual(await raw.next(), { type: 'error', id: '4', payload: { message: 'Invalid message type!' } });
    raw.send({ type: 'connection_terminate' });
    assert.equal((await raw.closed).code, 1000);
  });
});

describe('sub-protocol negotiation', () => {
  let server, transportOnly;
  before(async () => {
    server = await serveGqld();
    transportOnly = await serveGqld(['--supported-websocket-sub-protocols', 'graphql-transport-ws']);
  });
  after(async () => { assert.equal(await server.stop(), 0); assert.equal(await transportOnly.stop(), 0); });

  it('refuses unknown sub-protocols with 400', T, async () => {
    const r = await refusedUpgrade(wsUrl(server), ['graphql-sse', 'mqtt']);
    assert.equal(r.status, 400);
    assert.equal(JSON.parse(r.body).errors[0].message, 'Invalid WebSocket sub-protocol.');
    const legacy = await refusedUpgrade(wsUrl(transportOnly), 'graphql-ws');
    assert.equal(legacy.status, 400);
  });

  it('picks the first protocol the client offers', T, async () => {
    for (const [offer, chosen] of [[['graphql-ws', 'graphql-transport-ws'], 'graphql-ws'],
      [['graphql-transport-ws', 'graphql-ws'], 'graphql-transport-ws'],
      [['x', 'graphql-ws'], 'graphql-ws']]) {
      const ws = new WebSocket(wsUrl(server), offer);
      await once(ws, 'open');
      assert.equal(ws.protocol, chosen);
      ws.close();
    }
    const ws = new WebSocket(wsUrl(transportOnly), ['graphql-ws', 'graphql-transport-ws']);
    await once(ws, 'open');
    assert.equal(ws.protocol, 'graphql-transport-ws');
    ws.close();
  });

  it('closes a socket without a sub-protocol with 4406', T, async () => {
    const raw = new Raw(wsUrl(server), null);
    assert.deepEqual(await raw.closed, { code: 4406, reason: 'Subprotocol not acceptable' });
  });
});

describe('graphql-transport-ws close codes (raw sockets)', () => {
  let server, auth;
  before(async () => {
    server = await serveGqld(['--connection-init-wait-timeout-ms', '300']);
    auth = await startServer(AUTH_SERVER);
  });
  after(async () => { assert.equal(await server.stop(), 0); assert.equal(await auth.stop(), 0); });

  it('4400 for an invalid message', T, async () => {
    const raw = await new Raw(wsUrl(server)).init();
    raw.send('{"type":"subscribe","id":"1","payload":{"query":1}}');
    const c = await raw.closed;
    assert.equal(c.code, 4400);
    assert.match(c.reason, /'query' property to be a string/);
    const raw2 = new Raw(wsUrl(server));
    await raw2.opened;
    raw2.send('not json');
    assert.equal((await raw2.closed).code, 4400);
  });

  it('4401 for subscribe before connection_ack', T, async () => {
    const raw = new Raw(wsUrl(server));
    await raw.opened;
    raw.send({ id: '1', type: 'subscribe', payload: { query: '{ hello }' } });
    assert.deepEqual(await raw.closed, { code: 4401, reason: 'Unauthorized' });
  });

  it('4403 when the authentication hook refuses', T, async () => {
    const raw = new Raw(wsUrl(auth));
    await raw.opened;
    raw.send({ type: 'connection_init', payload: { token: 'wrong' } });
    assert.deepEqual(await raw.closed, { code: 4403, reason: 'Forbidden' });
  });

  it('4406 without a sub-protocol', T, async () => {
    assert.equal((await new Raw(wsUrl(server), null).closed).code, 4406);
  });

  it('4408 when connection_init does not come in time', T, async () => {
    const raw = new Raw(wsUrl(server));
    await raw.opened;
    const started = Date.now();
    assert.deepEqual(await raw.closed, { code: 4408, reason: 'Connection initialisation timeout' });
    assert.ok(Date.now() - started >= 250);
  });

  it('4409 for a second operation with a running id', T, async () => {
    const raw = await new Raw(wsUrl(server)).init();
    raw.send({ id: 'x', type: 'subscribe', payload: { query: 'subscription { counter }' } });
    raw.send({ id: 'x', type: 'subscribe', payload: { query: 'subscription { counter }' } });
    assert.deepEqual(await raw.closed, { code: 4409, reason: 'Subscriber for x already exists' });
    await waitSubscribers(server, 'counter', 0);
  });

  it('4429 for a second connection_init', T, async () => {
    const raw = await new Raw(wsUrl(server)).init();
    raw.send({ type: 'connection_init' });
    assert.deepEqual(await raw.closed, { code: 4429, reason: 'Too many initialisation requests' });
  });

  it('4500 when the server fails', T, async () => {
    const raw = new Raw(wsUrl(auth));
    await raw.opened;
    raw.send({ type: 'connection_init', payload: { token: 'crash' } });
    assert.deepEqual(await raw.closed, { code: 4500, reason: 'Internal server error' });
  });

  it('answers ping with pong, and ignores complete for unknown ids', T, async () => {
    const raw = await new Raw(wsUrl(server)).init();
    raw.send({ type: 'ping', payload: { t: 1 } });
    assert.deepEqual(await raw.next(), { type: 'pong', payload: { t: 1 } });
    raw.send({ id: 'nobody', type: 'complete' });
    raw.send({ id: 'q', type: 'subscribe', payload: { query: '{ hello }' } });
    assert.deepEqual(await raw.next(), { id: 'q', type: 'next', payload: { data: { hello: 'world' } } });
    assert.deepEqual(await raw.next(), { id: 'q', type: 'complete' });
    await raw.close();
  });
});

// ---- authentication, sources, errors: ws_auth_server ------------------------------------

describe('ws_auth_server: authentication and sources', () => {
  let server;
  before(async () => { server = await startServer(AUTH_SERVER); });
  after(async () => { assert.equal(await server.stop(), 0); });

  it('accepts a token and runs operations as its user', T, async () => {
    const client = transportClient(wsUrl(server), { connectionParams: { token: 'secret' } });
    const r = await run(client, { query: '{ whoami hello }' });
    assert.deepEqual(r.results, [{ data: { whoami: 'alice', hello: 'world' } }]);
    // Work on the thread pool comes back to the connection's loop.
    const slow = await run(client, { query: '{ slow(ms: 30) }' });
    assert.deepEqual(slow.results, [{ data: { slow: 'slept' } }]);
    await client.dispose();
  });

  it('refuses other tokens (graphql-ws sees 4403)', T, async () => {
    const client = transportClient(wsUrl(server), { connectionParams: { token: 'nope' } });
    const r = await run(client, { query: '{ hello }' });
    assert.equal(r.error.code, 4403);
    await client.dispose();
  });

  it('refuses legacy clients with connection_error', T, async () => {
    const errors = [];
    const client = legacyClient(wsUrl(server), {
      connectionParams: { token: 'nope' },
      connectionCallback: (e) => { if (e) errors.push(e); },
    });
    const closed = new Promise((resolve) => client.onDisconnected(resolve));
    await closed;
    assert.deepEqual(errors, [{ message: 'Forbidden' }]);
    client.close();
  });

  it('streams a timer-driven subscription to its end', T, async () => {
    const client = transportClient(wsUrl(server), { connectionParams: { token: 'secret' } });
    const r = await run(client, { query: 'subscription { ticks(count: 50, intervalMs: 1) }' });
    assert.equal(r.completed, true);
    assert.deepEqual(r.results.map((x) => x.data.ticks), Array.from({ length: 50 }, (_, i) => i + 1));
    const legacy = legacyClient(wsUrl(server), { connectionParams: { token: 'secret' } });
    const l = await runLegacy(legacy, { query: 'subscription { ticks(count: 3, intervalMs: 5) }' });
    assert.deepEqual(l, { results: [{ data: { ticks: 1 } }, { data: { ticks: 2 } }, { data: { ticks: 3 } }], completed: true });
    legacy.close();
    await client.dispose();
  });

  it('ends the subscription on a source error (disconnect after error event)', T, async () => {
    const client = transportClient(wsUrl(server), { connectionParams: { token: 'secret' } });
    const r = await run(client, { query: 'subscription { ticks(count: 10, intervalMs: 5, failAt: 3) }' });
    assert.deepEqual(r.results.map((x) => x.data.ticks), [1, 2]);
    assert.deepEqual(r.error, [{ message: 'tick failed' }]);
    await client.dispose();
  });

  it('publishes from a mutation to other connections', T, async () => {
    const alice = transportClient(wsUrl(server), { connectionParams: { token: 'secret' } });
    const bob = transportClient(wsUrl(server), { connectionParams: { token: 'other' } });
    const heard = run(alice, { query: 'subscription { messages { text author } }' }, { until: (r) => r.length === 2 });
    // Subscribing is asynchronous: wait for the subscription to exist.
    for (;;) {
      const m = await run(bob, { query: '{ subscribers(topic: "messages") }' });
      if (m.results[0].data.subscribers === 1) break;
      await sleep(20);
    }
    await run(bob, { query: 'mutation { post(text: "hi \\"there\\"") { text author } }' });
    await run(bob, { query: 'mutation { post(text: "again") { text } }' });
    const { results } = await heard;
    assert.deepEqual(results, [
      { data: { messages: { text: 'hi "there"', author: 'bob' } } },
      { data: { messages: { text: 'again', author: 'bob' } } },
    ]);
    await alice.dispose();
    await bob.dispose();
  });
});

describe('ws_auth_server: error options', () => {
  it('keeps the subscription after a source error when told to', T, async () => {
    const server = await startServer(AUTH_SERVER, ['--disconnect-after-error-event', '0']);
    const client = transportClient(wsUrl(server), { connectionParams: { token: 'secret' } });
    const r = await run(client, { query: 'subscription { ticks(count: 4, intervalMs: 5, failAt: 2) }' });
    assert.equal(r.completed, true);
    assert.deepEqual(r.results, [{ data: { ticks: 1 } }, { errors: [{ message: 'tick failed' }] }, { data: { ticks: 3 } }, { data: { ticks: 4 } }]);
    await client.dispose();
    assert.equal(await server.stop(), 0);
  });

  it('ends the subscription after any error when told to', T, async () => {
    const server = await startServer(AUTH_SERVER, ['--disconnect-after-any-error', '1']);
    const client = transportClient(wsUrl(server), { connectionParams: { token: 'secret' } });
    const r = await run(client, { query: 'subscription { ticks(count: 10, intervalMs: 5, badAt: 2) }' });
    assert.equal(r.completed, true);
    assert.equal(r.results.length, 2);
    assert.deepEqual(r.results[0], { data: { ticks: 1 } });
    assert.match(r.results[1].errors[0].message, /Int cannot represent/);
    await client.dispose();
    assert.equal(await server.stop(), 0);
  });
});

describe('ws_auth_server: memory', () => {
  it('costs at most 8 KiB of server memory per idle subscribed connection', { timeout: 60000 }, async () => {
    const server = await startServer(AUTH_SERVER);
    const all = []; // every socket, closed whatever the outcome
    try {
      const probe = await new Raw(wsUrl(server)).init({ token: 'secret' });
      all.push(probe);
      let seq = 0;
      const query = async (q) => {
        const id = `p${++seq}`;
        probe.send({ id, type: 'subscribe', payload: { query: q } });
        const m = await probe.next();
        assert.equal(m.type, 'next', JSON.stringify(m));
        assert.deepEqual(await probe.next(), { id, type: 'complete' });
        return m.payload.data;
      };
      const open = async (n) => {
        const list = [];
        for (let i = 0; i < n; i++) {
          const raw = await new Raw(wsUrl(server)).init({ token: 'secret' });
          all.push(raw);
          raw.send({ id: 'm', type: 'subscribe', payload: { query: 'subscription { messages { text author } }' } });
          list.push(raw);
        }
        return list;
      };
      const warm = await open(20); // the first connections fill the server's pools
      const N = 300;
      const before = (await query('{ heap }')).heap;
      if (before === 0) return; // no mallinfo (a sanitizer's allocator)
      const conns = await open(N);
      for (;;) {
        const { subscribers } = await query('{ subscribers(topic: "messages") }');
        if (subscribers === N + warm.length) break;
        await sleep(20);
      }
      const after = (await query('{ heap }')).heap;
      const per = (after - before) / N;
      console.log(`server heap per idle subscribed WebSocket: ${Math.round(per)} bytes`);
      assert.ok(per <= 8192, `${per} bytes per connection`);
      // Every subscription still hears its topic.
      await query('mutation { post(text: "all") { text } }');
      for (const r of [...warm, ...conns]) assert.equal((await r.next()).payload.data.messages.text, 'all');
    } finally {
      for (const r of all) r.ws.terminate();
      assert.equal(await server.stop(), 0);
    }
  });
});

// ---- keep-alive --------------------------------------------------------------------------

describe('keep-alive modes', () => {
  it('timeout: a pong after silence only', T, async () => {
    const server = await serveGqld(['--keep-alive-timeout-ms', '150', '--keep-alive-mode', 'timeout']);
    const raw = await new Raw(wsUrl(server)).init();
    // Talking more often than the period keeps the server quiet.
    for (let i = 0; i < 4; i++) {
      await sleep(60);
      raw.send({ type: 'pong' });
    }
    assert.equal(raw.messages.length, 0);
    assert.deepEqual(await raw.next(1000), { type: 'pong' });
    await raw.close();
    assert.equal(await server.stop(), 0);
  });

  it('interval: a pong every period whatever the traffic', T, async () => {
    const server = await serveGqld(['--keep-alive-timeout-ms', '100', '--keep-alive-mode', 'interval']);
    const raw = await new Raw(wsUrl(server)).init();
    const started = Date.now();
    for (let i = 0; i < 3; i++) {
      raw.send({ type: 'pong' });
      assert.deepEqual(await raw.next(1000), { type: 'pong' });
    }
    assert.ok(Date.now() - started >= 250);
    await raw.close();
    assert.equal(await server.stop(), 0);
  });

  it('timeout-with-payload: pings that must be echoed, or 4408', T, async () => {
    const server = await serveGqld(['--keep-alive-timeout-ms', '100', '--keep-alive-mode', 'timeout-with-payload']);
    const raw = await new Raw(wsUrl(server)).init();
    for (let i = 1; i <= 3; i++) {
      const ping = await raw.next(1000);
      assert.deepEqual(ping, { type: 'ping', payload: { id: String(i) } });
      raw.send({ type: 'pong', payload: ping.payload });
    }
    // Stop answering: the server gives up two periods later.
    while ((await raw.next(2000)) !== null);
    assert.deepEqual(await raw.closed, { code: 4408, reason: 'Keep-alive timeout' });
    // The graphql-ws client answers pings itself and stays connected.
    const client = transportClient(wsUrl(server));
    const done = run(client, { query: 'subscription { counter }' }, { until: (r) => r.length === 1 });
    await sleep(600);
    await waitSubscribers(server, 'counter', 1);
    await publish(server, 'counter', { counter: 1 });
    assert.deepEqual((await done).results, [{ data: { counter: 1 } }]);
    await client.dispose();
    assert.equal(await server.stop(), 0);
  });

  it('legacy: "ka" after the ack and every period', T, async () => {
    const server = await serveGqld(['--keep-alive-timeout-ms', '100']);
    const raw = new Raw(wsUrl(server), 'graphql-ws');
    await raw.opened;
    raw.send({ type: 'connection_init' });
    assert.deepEqual(await raw.next(), { type: 'connection_ack' });
    assert.deepEqual(await raw.next(), { type: 'ka' });
    assert.deepEqual(await raw.next(1000), { type: 'ka' });
    assert.deepEqual(await raw.next(1000), { type: 'ka' });
    await raw.close();
    // The legacy client keeps the connection on these.
    const client = legacyClient(wsUrl(server), { timeout: 400 });
    await sleep(1000);
    const r = await runLegacy(client, { query: '{ hello }' });
    assert.deepEqual(r.results, [{ data: { hello: 'world' } }]);
    client.close();
    assert.equal(await server.stop(), 0);
  });
});

// ---- reconnection ------------------------------------------------------------------------

/** A port that was free a moment ago. */
async function freePort() {
  const srv = net.createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const { port } = srv.address();
  srv.close();
  await once(srv, 'close');
  return port;
}

describe('reconnection', () => {
  it('graphql-ws resubscribes after the server restarts', T, async () => {
    const port = await freePort();
    const args = ['--listen', `127.0.0.1:${port}`];
    let server = await serveGqld(args);
    const url = wsUrl(server);
    const client = createClient({ url, webSocketImpl: WebSocket, retryAttempts: 20, retryWait: () => sleep(100), shouldRetry: () => true });
    const got = [];
    let resolveDone;
    const done = new Promise((resolve) => { resolveDone = resolve; });
    client.subscribe({ query: 'subscription { counter }' }, {
      next: (v) => { got.push(v.data.counter); if (got.includes(2)) resolveDone(); },
      error: (e) => resolveDone(e),
      complete: () => {},
    });
    await waitSubscribers(server, 'counter', 1);
    await publish(server, 'counter', { counter: 1 });
    assert.equal(await server.stop(), 0);
    server = await startServer(gqld, ['serve', '--schema', SCHEMA, '--data', DATA, '--workers', '1', ...args]);
    await waitSubscribers(server, 'counter', 1, 10000);
    await publish(server, 'counter', { counter: 2 });
    assert.equal(await done, undefined);
    assert.deepEqual(got, [1, 2]);
    await client.dispose();
    assert.equal(await server.stop(), 0);
  });

  it('subscriptions-transport-ws restarts its operations after the server restarts', T, async () => {
    const port = await freePort();
    const args = ['--listen', `127.0.0.1:${port}`];
    let server = await serveGqld(args);
    const client = legacyClient(wsUrl(server), { reconnect: true, minTimeout: 100 });
    const got = [];
    let resolveDone;
    const done = new Promise((resolve) => { resolveDone = resolve; });
    client.request({ query: 'subscription { counter }' }).subscribe({
      next: (v) => { got.push(v.data.counter); if (got.includes(2)) resolveDone(); },
    });
    await waitSubscribers(server, 'counter', 1);
    await publish(server, 'counter', { counter: 1 });
    assert.equal(await server.stop(), 0);
    server = await startServer(gqld, ['serve', '--schema', SCHEMA, '--data', DATA, '--workers', '1', ...args]);
    await waitSubscribers(server, 'counter', 1, 15000);
    await publish(server, 'counter', { counter: 2 });
    await done;
    assert.deepEqual(got, [1, 2]);
    client.close();
    assert.equal(await server.stop(), 0);
  });
});
