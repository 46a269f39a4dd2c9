// tests/integration/server.test.mjs — the HTTP server core over real
// sockets: keep-alive, pipelining, limits and timeouts, routing, hooks,
// built-in pages, response headers, compression, graceful stop. Drives
// tests/tools/core_test_server.c with raw bytes (node:net) and node:http.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import http from 'node:http';
import zlib from 'node:zlib';
import { promisify } from 'node:util';
import { startServer, testServer } from './lib/server.mjs';

const SERVER = testServer('core_test_server');
const T = { timeout: 15000 };

function start(args = []) {
  return startServer(SERVER, ['--listen', '127.0.0.1:0', ...args]);
}

/** A raw TCP client that reads whole HTTP/1.1 responses. */
class Raw {
  constructor(port) {
    this.buf = Buffer.alloc(0);
    this.closed = false;
    this.error = null;
    this.waiters = [];
    this.sock = net.connect(port, '127.0.0.1');
    this.connected = new Promise((resolve, reject) => {
      this.sock.once('connect', resolve);
      this.sock.once('error', reject);
    });
    this.sock.on('data', (d) => { this.buf = Buffer.concat([this.buf, d]); this.wake(); });
    this.sock.on('close', () => { this.closed = true; this.wake(); });
    this.sock.on('error', (e) => { this.error = e; });
  }

  wake() {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  write(data) {
    this.sock.write(data);
  }

  /** Resolves once pred() holds; rejects if the socket closes first or on timeout. */
  async waitFor(pred, timeoutMs = 5000, what = 'condition') {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (pred()) return;
      if (this.closed) throw new Error(`socket closed while waiting for ${what}; got ${JSON.stringify(this.buf.toString('latin1'))}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.buf.toString('latin1'))}`);
      await new Promise((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => { clearTimeout(t); resolve(); });
      });
    }
  }

  /** Reads one response; head: the request was HEAD (no body follows). */
  async response({ head = false, timeoutMs = 5000 } = {}) {
    await this.waitFor(() => this.buf.indexOf('\r\n\r\n') >= 0, timeoutMs, 'response headers');
    const end = this.buf.indexOf('\r\n\r\n');
    const lines = this.buf.subarray(0, end).toString('latin1').split('\r\n');
    const status = Number(lines[0].split(' ')[1]);
    const headers = {};
    for (const line of lines.slice(1)) {
      const i = line.indexOf(':');
      const name = line.slice(0, i).toLowerCase();
      const value = line.slice(i + 1).trim();
      headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
    }
    let len = Number(headers['content-length'] ?? 0);
    if (head || status < 200 || status === 204 || status === 304) len = 0;
    await this.waitFor(() => this.buf.length >= end + 4 + len, timeoutMs, 'response body');
    const body = this.buf.subarray(end + 4, end + 4 + len);
    this.buf = this.buf.subarray(end + 4 + len);
    return { status, headers, body: body.toString('utf8'), raw: body, statusLine: lines[0] };
  }

  async closedWithin(ms) {
    await this.waitFor(() => this.closed, ms, 'close');
  }

  destroy() {
    this.sock.destroy();
  }
}

function get(path, headers = {}) {
  return `GET ${path} HTTP/1.1\r\nHost: test\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
}

/** One request over node:http without automatic decompression. */
function httpGet(port, path, headers = {}, method = 'GET') {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method, headers, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('server core (default options)', () => {
  let srv;
  before(async () => { srv = await start(['--workers', '2']); });
  after(async () => { assert.equal(await srv.stop(), 0); });

  test('keep-alive: two requests on one connection', T, async () => {
    const c = new Raw(srv.port);
    await c.connected;
    c.write(get('/hello'));
    const a = await c.response();
    assert.equal(a.status, 200);
    assert.equal(a.body, 'hello');
    assert.equal(a.headers.connection, undefined);
    c.write(get('/hello'));
    const b = await c.response();
    assert.equal(b.status, 200);
    assert.equal(b.body, 'hello');
    assert.equal(c.closed, false);
    c.destroy();
  });

  test('HTTP/1.0 closes unless keep-alive is asked for', T, async () => {
    const c = new Raw(srv.port);
    c.write('GET /hello HTTP/1.0\r\n\r\n');
    const a = await c.response();
    assert.equal(a.status, 200);
    assert.equal(a.headers.connection, 'close');
    await c.closedWithin(3000);
    const d = new Raw(srv.port);
    d.write('GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n');
    const b = await d.response();
    assert.equal(b.headers.connection, 'keep-alive');
    d.write('GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n');
    assert.equal((await d.response()).body, 'hello');
    d.destroy();
  });

  test('pipelining: answers in request order', T, async () => {
    const c = new Raw(srv.port);
    c.write(get('/slow?ms=150') + get('/hello') + get('/user', { 'X-User': 'pipe' }));
    const a = await c.response();
    const b = await c.response();
    const d = await c.response();
    assert.deepEqual(JSON.parse(a.body), { slow: 150 });
    assert.equal(b.body, 'hello');
    assert.deepEqual(JSON.parse(d.body), { user: 'pipe' });
    c.destroy();
  });

  test('malformed HTTP is answered 400 and closed', T, async () => {
    const c = new Raw(srv.port);
    c.write('GET /hello HTTP/1.1\r\nBad Header Line\r\n\r\n');
    const r = await c.response();
    assert.equal(r.status, 400);
    assert.equal(r.headers.connection, 'close');
    await c.closedWithin(3000);
    const d = new Raw(srv.port);
    d.write('\x01\x02 nonsense\r\n\r\n');
    assert.equal((await d.response()).status, 400);
    await d.closedWithin(3000);
  });

  test('framing that could smuggle a request is refused with 400 and closed', T, async () => {
    // Content-Length beside chunked, two different lengths, and a bare LF
    // inside the head: each could make a proxy and this server disagree
    // on where a request ends.
    for (const head of [
      'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
      'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab',
      'GET /hello HTTP/1.1\r\nHost: x\r\nX-A: 1\rX-B: 2\r\n\r\n',
      // A chunk whose data is not followed by CRLF, and a space before a
      // header's colon (RFC 9112 5.1).
      'POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcXX0\r\n\r\n',
      'GET /hello HTTP/1.1\r\nHost : x\r\n\r\n',
    ]) {
      const c = new Raw(srv.port);
      c.write(head);
      const r = await c.response();
      assert.equal(r.status, 400, head);
      await c.closedWithin(3000);
    }
  });

  test('unsupported Transfer-Encoding is 501', T, async () => {
    const c = new Raw(srv.port);
    c.write('POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n');
    assert.equal((await c.response()).status, 501);
    await c.closedWithin(3000);
  });

  test('chunked request body', T, async () => {
    const c = new Raw(srv.port);
    c.write('POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n');
    c.write('5\r\nhello\r\n');
    await new Promise((r) => setTimeout(r, 50));
    c.write('7\r\n, world\r\n0\r\n\r\n');
    const r = await c.response();
    assert.equal(r.status, 200);
    assert.equal(r.body, 'hello, world');
    c.destroy();
  });

  test('Expect: 100-continue gets 100 before the body', T, async () => {
    const c = new Raw(srv.port);
    c.write('POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n');
    const cont = await c.response();
    assert.equal(cont.status, 100);
    c.write('ping');
    const r = await c.response();
    assert.equal(r.status, 200);
    assert.equal(r.body, 'ping');
    c.destroy();
  });

  test('an early answer to Expect: 100-continue skips the body and closes', T, async () => {
    const c = new Raw(srv.port);
    c.write('POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\nX-Test-Deny: 1\r\n\r\n');
    const r = await c.response();
    assert.equal(r.status, 401);
    assert.equal(r.headers.connection, 'close');
    await c.closedWithin(3000);
  });

  test('REST route with a path parameter, percent-decoded', T, async () => {
    const res = await fetch(`${srv.url}/report_asset_materialization/my%2Fasset%20key`, { method: 'POST', body: 'abcdef' });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { asset_key: 'my/asset key', body_length: 6 });
  });

  test('a final "*" segment takes the raw rest of the path', T, async () => {
    const res = await fetch(`${srv.url}/files/a/b%20c/d`);
    assert.deepEqual(await res.json(), { rest: 'a/b%20c/d' });
  });

  test('before hook answers 401', T, async () => {
    const res = await fetch(`${srv.url}/hello`, { headers: { 'X-Test-Deny': 'yes' } });
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('www-authenticate'), 'Bearer');
    assert.deepEqual(await res.json(), { errors: [{ message: 'Unauthorized' }] });
  });

  test('user builder', T, async () => {
    assert.deepEqual(await (await fetch(`${srv.url}/user`, { headers: { 'X-User': 'alice' } })).json(), { user: 'alice' });
    assert.deepEqual(await (await fetch(`${srv.url}/user`)).json(), { user: null });
  });

  test('405 with Allow, 404 with a JSON error', T, async () => {
    const a = await fetch(`${srv.url}/hello`, { method: 'POST', body: 'x' });
    assert.equal(a.status, 405);
    assert.equal(a.headers.get('allow'), 'GET, HEAD');
    assert.deepEqual(await a.json(), { errors: [{ message: 'Method Not Allowed' }] });
    const b = await fetch(`${srv.url}/nowhere`);
    assert.equal(b.status, 404);
    assert.match(b.headers.get('content-type'), /^application\/json/);
    assert.deepEqual(await b.json(), { errors: [{ message: 'Not Found' }] });
  });

  test('HEAD sends the headers of GET and no body', T, async () => {
    const c = new Raw(srv.port);
    c.write('HEAD /hello HTTP/1.1\r\nHost: x\r\n\r\n');
    const r = await c.response({ head: true });
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-length'], '5');
    c.write(get('/hello'));
    const g = await c.response();
    assert.equal(g.body, 'hello'); // nothing of a HEAD body came in between
    c.destroy();
  });

  test('/health', T, async () => {
    const res = await fetch(`${srv.url}/health`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.deepEqual(await res.json(), { status: 'ok' });
  });

  test('/server_info describes the configuration', T, async () => {
    const info = await (await fetch(`${srv.url}/server_info`)).json();
    assert.equal(info.name, 'gqld');
    assert.match(info.version, /^\d+\.\d+\.\d+$/);
    assert.equal(info.workers, 2);
    assert.equal(info.port, srv.port);
    assert.equal(info.path_prefix, '');
    assert.equal(info.limits.max_body_size, 16 * 1024 * 1024);
    assert.ok(Array.isArray(info.endpoints));
    assert.ok(info.routes.some((r) => r.path === '/report_asset_materialization/{asset_key}' && r.method === 'POST'));
  });

  test('/metrics counts requests by status', T, async () => {
    await fetch(`${srv.url}/nowhere-else`);
    const res = await fetch(`${srv.url}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    const ok = /gqld_http_requests_total\{code="200"\} (\d+)/.exec(text);
    assert.ok(ok && Number(ok[1]) >= 5, text);
    assert.match(text, /gqld_http_requests_total\{code="404"\} \d+/);
    assert.match(text, /gqld_http_request_duration_seconds_count \d+/);
    assert.match(text, /gqld_http_open_connections \d+/);
  });

  test('security headers on every response', T, async () => {
    for (const path of ['/hello', '/nowhere', '/health']) {
      const res = await fetch(`${srv.url}${path}`);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(res.headers.get('referrer-policy'), 'strict-origin-when-cross-origin');
      assert.equal(res.headers.get('permissions-policy'), 'microphone=(), camera=()');
      assert.ok(res.headers.get('date'));
    }
  });

  test('gzip and br compression of a large body', T, async () => {
    const plain = await httpGet(srv.port, '/big');
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.ok(plain.body.length >= 100 * 1024);
    assert.equal(plain.headers.vary, 'Accept-Encoding');

    const gz = await httpGet(srv.port, '/big', { 'Accept-Encoding': 'gzip' });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.ok(gz.body.length < plain.body.length / 4);
    assert.deepEqual(await promisify(zlib.gunzip)(gz.body), plain.body);

    const br = await httpGet(srv.port, '/big', { 'Accept-Encoding': 'gzip, br' });
    assert.equal(br.headers['content-encoding'], 'br');
    assert.deepEqual(await promisify(zlib.brotliDecompress)(br.body), plain.body);

    const small = await httpGet(srv.port, '/hello', { 'Accept-Encoding': 'gzip' });
    assert.equal(small.headers['content-encoding'], undefined);
    assert.equal(small.body.toString(), 'hello');
  });

  test('a client that leaves during an asynchronous handler does no harm', T, async () => {
    const c = new Raw(srv.port);
    await c.connected;
    c.write(get('/slow?ms=200'));
    await new Promise((r) => setTimeout(r, 50));
    c.sock.resetAndDestroy();
    await new Promise((r) => setTimeout(r, 300));
    const res = await fetch(`${srv.url}/hello`);
    assert.equal(await res.text(), 'hello');
  });

  test('after hook sees every answered request', T, async () => {
    const before = (await (await fetch(`${srv.url}/count`)).json()).requests;
    await fetch(`${srv.url}/hello`);
    await fetch(`${srv.url}/nowhere`);
    const afterCount = (await (await fetch(`${srv.url}/count`)).json()).requests;
    assert.equal(afterCount, before + 3);
  });
});

describe('server core (limits and options)', () => {
  test('431 for headers over max_header_size', T, async () => {
    const srv = await start(['--max-header', '1024']);
    try {
      const c = new Raw(srv.port);
      c.write(get('/hello', { 'X-Long': 'a'.repeat(2000) }));
      const r = await c.response();
      assert.equal(r.status, 431);
      assert.equal(r.headers.connection, 'close');
      await c.closedWithin(3000);
      const ok = await fetch(`${srv.url}/hello`, { headers: { 'X-Short': 'a'.repeat(500) } });
      assert.equal(ok.status, 200);
      // Many small headers: the count has its own limit (100).
      const d = new Raw(srv.port);
      const many = {};
      for (let i = 0; i < 101; i++) many[`h${i}`] = '1';
      d.write(get('/hello', many));
      assert.equal((await d.response()).status, 431);
      await d.closedWithin(3000);
      // Bytes no header keeps count too: blank lines before the request
      // line, spaces around a value, and trailers.
      for (const head of [
        '\r\n'.repeat(600) + 'GET /hello HTTP/1.1\r\nHost: x\r\n\r\n',
        `GET /hello HTTP/1.1\r\nHost: x\r\nX-Pad: ${' '.repeat(2000)}1\r\n\r\n`,
        `POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-T: ${'a'.repeat(2000)}\r\n\r\n`,
      ]) {
        const e = new Raw(srv.port);
        e.write(head);
        assert.equal((await e.response()).status, 431, head.slice(0, 40));
        await e.closedWithin(3000);
      }
    } finally {
      assert.equal(await srv.stop(), 0);
    }
  });

  test('413 for bodies over max_body_size (announced and chunked), 417 for Expect', T, async () => {
    const srv = await start(['--max-body', '1000']);
    try {
      const c = new Raw(srv.port);
      c.write('POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n' + 'x'.repeat(5000));
      const r = await c.response();
      assert.equal(r.status, 413);
      await c.closedWithin(3000);

      const d = new Raw(srv.port);
      d.write('POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n');
      d.write('400\r\n' + 'y'.repeat(1024) + '\r\n');
      const s = await d.response();
      assert.equal(s.status, 413);
      await d.closedWithin(3000);

      const e = new Raw(srv.port);
      e.write('POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\nExpect: 100-continue\r\n\r\n');
      assert.equal((await e.response()).status, 417);
      await e.closedWithin(3000);

      const ok = await fetch(`${srv.url}/echo`, { method: 'POST', body: 'z'.repeat(1000) });
      assert.equal((await ok.text()).length, 1000);
    } finally {
      assert.equal(await srv.stop(), 0);
    }
  });

  test('408 when headers come too slowly; idle connections are closed', T, async () => {
    const srv = await start(['--header-timeout-ms', '300', '--idle-timeout-ms', '400']);
    try {
      const c = new Raw(srv.port);
      const t0 = Date.now();
      c.write('GET /hello HTTP/1.1\r\nHost: x\r\n');
      const r = await c.response({ timeoutMs: 3000 });
      assert.equal(r.status, 408);
      await c.closedWithin(3000);
      assert.ok(Date.now() - t0 >= 250);

      const d = new Raw(srv.port);
      d.write(get('/hello'));
      assert.equal((await d.response()).status, 200);
      const t1 = Date.now();
      await d.closedWithin(3000);
      assert.ok(Date.now() - t1 >= 300, 'closed after the idle timeout, not before');
    } finally {
      assert.equal(await srv.stop(), 0);
    }
  });

  test('408 when a body comes too slowly', T, async () => {
    const srv = await start(['--request-timeout-ms', '400']);
    try {
      const c = new Raw(srv.port);
      c.write('POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nab');
      const r = await c.response({ timeoutMs: 3000 });
      assert.equal(r.status, 408);
      await c.closedWithin(3000);
    } finally {
      assert.equal(await srv.stop(), 0);
    }
  });

  test('503 past max_connections', T, async () => {
    const srv = await start(['--max-connections', '2']);
    try {
      const a = new Raw(srv.port);
      const b = new Raw(srv.port);
      await a.connected;
      await b.connected;
      a.write(get('/hello'));
      b.write(get('/hello'));
      await a.response();
      await b.response();
      const c = new Raw(srv.port);
      const r = await c.response();
      assert.equal(r.status, 503);
      await c.closedWithin(3000);
      a.destroy();
      await new Promise((res) => setTimeout(res, 200));
      const d = new Raw(srv.port);
      d.write(get('/hello'));
      assert.equal((await d.response()).status, 200);
      d.destroy();
      b.destroy();
    } finally {
      assert.equal(await srv.stop(), 0);
    }
  });

  test('path prefix: inside works, outside is 404', T, async () => {
    const srv = await start(['--prefix', '/app/']);
    try {
      assert.equal(await (await fetch(`${srv.url}/app/hello`)).text(), 'hello');
      assert.equal((await fetch(`${srv.url}/app/health`)).status, 200);
      assert.equal((await fetch(`${srv.url}/hello`)).status, 404);
      assert.equal((await fetch(`${srv.url}/apphello`)).status, 404);
      assert.equal((await fetch(`${srv.url}/app`)).status, 404);
      const info = await (await fetch(`${srv.url}/app/server_info`)).json();
      assert.equal(info.path_prefix, '/app');
    } finally {
      assert.equal(await srv.stop(), 0);
    }
  });

  test('CORS preflight and actual request', T, async () => {
    const srv = await start(['--cors', 'https://allowed.example']);
    try {
      const pre = await fetch(`${srv.url}/hello`, {
        method: 'OPTIONS',
        headers: { Origin: 'https://allowed.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
      });
      assert.equal(pre.status, 204);
      assert.equal(pre.headers.get('access-control-allow-origin'), 'https://allowed.example');
      assert.match(pre.headers.get('access-control-allow-methods') ?? '', /POST/);
      const actual = await fetch(`${srv.url}/hello`, { headers: { Origin: 'https://allowed.example' } });
      assert.equal(actual.headers.get('access-control-allow-origin'), 'https://allowed.example');
      const other = await fetch(`${srv.url}/hello`, { headers: { Origin: 'https://evil.example' } });
      assert.equal(other.headers.get('access-control-allow-origin'), null);
      assert.equal(await other.text(), 'hello');
    } finally {
      assert.equal(await srv.stop(), 0);
    }
  });

  test('graceful stop: the request in flight completes, then exit 0', T, async () => {
    const srv = await start(['--workers', '2']);
    const slow = fetch(`${srv.url}/slow?ms=600`);
    await new Promise((r) => setTimeout(r, 150));
    const exited = srv.stop('SIGTERM');
    await new Promise((r) => setTimeout(r, 150));
    await assert.rejects(
      new Promise((resolve, reject) => {
        const s = net.connect(srv.port, '127.0.0.1');
        s.on('connect', () => { s.destroy(); resolve(); });
        s.on('error', reject);
      }),
      /ECONNREFUSED/,
    );
    const res = await slow;
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('connection'), 'close');
    assert.deepEqual(await res.json(), { slow: 600 });
    assert.equal(await exited, 0);
  });

  test('graceful stop closes idle keep-alive connections at once', T, async () => {
    const srv = await start(['--shutdown-timeout-ms', '5000']);
    const c = new Raw(srv.port);
    c.write(get('/hello'));
    await c.response();
    const t0 = Date.now();
    const exited = srv.stop('SIGTERM');
    await c.closedWithin(3000);
    assert.equal(await exited, 0);
    assert.ok(Date.now() - t0 < 2000);
  });

  test('on a loop the host owns: serves, then stops gracefully', T, async () => {
    const srv = await start(['--host-loop']);
    const info = await (await fetch(`${srv.url}/server_info`)).json();
    assert.equal(info.workers, 1);
    const c = new Raw(srv.port);
    c.write(get('/hello') + get('/slow?ms=300'));
    assert.equal((await c.response()).body, 'hello');
    await new Promise((r) => setTimeout(r, 100));
    const exited = srv.stop('SIGTERM');
    const r = await c.response();
    assert.equal(r.status, 200);
    assert.equal(r.headers.connection, 'close');
    await c.closedWithin(3000);
    assert.equal(await exited, 0);
  });

  test('shutdown timeout cuts a request that takes too long', T, async () => {
    const srv = await start(['--shutdown-timeout-ms', '300']);
    const c = new Raw(srv.port);
    c.write(get('/slow?ms=1500'));
    await new Promise((r) => setTimeout(r, 100));
    const t0 = Date.now();
    const exited = srv.stop('SIGTERM');
    await c.closedWithin(3000);
    assert.ok(Date.now() - t0 < 1200, 'connection closed at the shutdown timeout');
    assert.equal(await exited, 0);
  });
});
