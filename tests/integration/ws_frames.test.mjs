// tests/integration/ws_frames.test.mjs — the WebSocket layer (RFC 6455,
// RFC 7692) over real sockets, against tests/tools/ws_echo_server.c:
// handshakes right and wrong, every framing rule a client can break and
// the close code it earns, UTF-8 across fragments, the size and outbound
// limits, the close handshake, a graceful stop, permessage-deflate with
// the ws package and by hand, and the memory an idle connection costs.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import net from 'node:net';
import zlib from 'node:zlib';
import { once } from 'node:events';
import WebSocket from 'ws';
import { startServer, testServer } from './lib/server.mjs';

const ECHO = testServer('ws_echo_server');
const RFC_KEY = 'dGhlIHNhbXBsZSBub25jZQ==';
const OP = { cont: 0, text: 1, binary: 2, close: 8, ping: 9, pong: 10 };

/** A client frame: masked unless told otherwise; `first` overrides byte 0. */
function frame(opcode, payload = '', { fin = true, rsv1 = false, mask = true, first, len } = {}) {
  const data = Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
  const n = len ?? data.length;
  let head;
  if (n < 126) {
    head = Buffer.from([0, n]);
  } else if (n <= 0xffff) {
    head = Buffer.alloc(4);
    head[1] = 126;
    head.writeUInt16BE(n, 2);
  } else {
    head = Buffer.alloc(10);
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(n), 2);
  }
  head[0] = first ?? ((fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode);
  if (!mask) return Buffer.concat([head, data]);
  head[1] |= 0x80;
  const key = crypto.randomBytes(4);
  const body = Buffer.from(data);
  for (let i = 0; i < body.length; i++) body[i] ^= key[i % 4];
  return Buffer.concat([head, key, body]);
}

function closeFrame(code, reason = '') {
  const p = Buffer.alloc(2 + Buffer.byteLength(reason));
  p.writeUInt16BE(code, 0);
  p.write(reason, 2);
  return frame(OP.close, p);
}

/** A WebSocket client on a plain TCP socket, reading frames by hand. */
class Raw {
  static async open(port, { path = '/ws', key = RFC_KEY, headers = {}, version = '13', request, then } = {}) {
    const socket = net.connect(port, '127.0.0.1');
    await once(socket, 'connect');
    const raw = new Raw(socket);
    let text = request;
    if (text === undefined) {
      const h = {
        Host: `127.0.0.1:${port}`,
        Upgrade: 'websocket',
        Connection: 'Upgrade',
        'Sec-WebSocket-Key': key,
        'Sec-WebSocket-Version': version,
        ...headers,
      };
      text = `GET ${path} HTTP/1.1\r\n`;
      for (const [k, v] of Object.entries(h)) if (v !== null) text += `${k}: ${v}\r\n`;
      text += '\r\n';
    }
    socket.write(then ? Buffer.concat([Buffer.from(text), then]) : text);
    raw.response = await raw.readHead();
    return raw;
  }

  constructor(socket) {
    this.socket = socket;
    this.buf = Buffer.alloc(0);
    this.ended = false;
    this.waiters = [];
    socket.on('data', (d) => { this.buf = Buffer.concat([this.buf, d]); this.wake(); });
    socket.on('end', () => { this.ended = true; this.wake(); });
    socket.on('close', () => { this.ended = true; this.wake(); });
    socket.on('error', () => { this.ended = true; this.wake(); });
  }

  wake() {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  async until(take) {
    for (;;) {
      const r = take();
      if (r !== undefined) return r;
      if (this.ended) return null;
      await new Promise((resolve) => this.waiters.push(resolve));
    }
  }

  readHead() {
    return this.until(() => {
      const end = this.buf.indexOf('\r\n\r\n');
      if (end < 0) return undefined;
      const lines = this.buf.subarray(0, end).toString('latin1').split('\r\n');
      const headers = {};
      for (const l of lines.slice(1)) {
        const i = l.indexOf(':');
        headers[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim();
      }
      const status = Number(lines[0].split(' ')[1]);
      const length = status === 101 ? 0 : Number(headers['content-length'] ?? 0);
      if (this.buf.length < end + 4 + length) return undefined;
      const body = this.buf.subarray(end + 4, end + 4 + length).toString();
      this.buf = this.buf.subarray(end + 4 + length);
      return { status, headers, body };
    });
  }

  /** The next server frame: { fin, rsv1, opcode, payload }, or null at the end. */
  readFrame() {
    return this.until(() => {
      const b = this.buf;
      if (b.length < 2) return undefined;
      let n = b[1] & 0x7f;
      let at = 2;
      assert.equal(b[1] & 0x80, 0, 'server frames are not masked');
      if (n === 126) {
        if (b.length < 4) return undefined;
        n = b.readUInt16BE(2);
        at = 4;
      } else if (n === 127) {
        if (b.length < 10) return undefined;
        n = Number(b.readBigUInt64BE(2));
        at = 10;
      }
      if (b.length < at + n) return undefined;
      const f = { fin: (b[0] & 0x80) !== 0, rsv1: (b[0] & 0x40) !== 0, opcode: b[0] & 0x0f, payload: b.subarray(at, at + n) };
      this.buf = b.subarray(at + n);
      return f;
    });
  }

  /** Reads frames up to the server's close frame: { code, reason }. */
  async readClose() {
    for (;;) {
      const f = await this.readFrame();
      if (f === null) return null;
      if (f.opcode === OP.close) {
        return {
          code: f.payload.length >= 2 ? f.payload.readUInt16BE(0) : 1005,
          reason: f.payload.subarray(2).toString(),
        };
      }
    }
  }

  async readText() {
    const f = await this.readFrame();
    assert.ok(f, 'a frame');
    assert.equal(f.opcode, OP.text);
    return f.payload.toString();
  }

  /** Resolves once the server has ended the stream. */
  end() {
    return this.until(() => (this.ended ? true : undefined)).then(() => true);
  }

  send(...frames) {
    this.socket.write(Buffer.concat(frames));
  }

  destroy() {
    this.socket.destroy();
  }
}

/** The server's close code for a connection that sends frames. */
async function failWith(port, ...frames) {
  const c = await Raw.open(port);
  assert.equal(c.response.status, 101);
  c.send(...frames);
  const close = await c.readClose();
  assert.ok(close, 'a close frame');
  assert.ok(await c.end(), 'the server ends the stream');
  c.destroy();
  return close.code;
}

function waitLog(server, re, ms = 10000) {
  return new Promise((resolve, reject) => {
    const start = Date.now();
    const t = setInterval(() => {
      const m = re.exec(server.stderr());
      if (m) { clearInterval(t); resolve(m); }
      else if (Date.now() - start > ms) { clearInterval(t); reject(new Error(`no ${re} in:\n${server.stderr()}`)); }
    }, 20);
  });
}

describe('WebSocket handshake', () => {
  let server;
  before(async () => { server = await startServer(ECHO); });
  after(async () => { assert.equal(await server.stop(), 0); });

  it('answers 101 with the accept value of RFC 6455 section 1.3', { timeout: 10000 }, async () => {
    const c = await Raw.open(server.port, { headers: { 'Sec-WebSocket-Protocol': 'other, echo' } });
    assert.equal(c.response.status, 101);
    assert.equal(c.response.headers['sec-websocket-accept'], 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
    assert.equal(c.response.headers.upgrade.toLowerCase(), 'websocket');
    assert.equal(c.response.headers.connection.toLowerCase(), 'upgrade');
    assert.equal(c.response.headers['sec-websocket-protocol'], 'echo');
    assert.equal(c.response.headers['x-echo-server'], '1'); // headers the handler added
    assert.equal(c.response.headers['sec-websocket-extensions'], undefined);
    c.send(frame(OP.text, 'hi'));
    assert.equal(await c.readText(), 'hi');
    c.send(closeFrame(1000));
    assert.equal((await c.readClose()).code, 1000);
    c.destroy();
  });

  it('refuses a bad key, missing headers and HTTP/1.0 with 400', { timeout: 10000 }, async () => {
    const bad = [
      { key: 'short' },
      { key: 'dGhlIHNhbXBsZSBub25jZQ=' },
      { key: 'dGhlIHNhbXBsZSBub25jZR==' }, // not canonical base64
      { key: 'dGhlIHNhbXBsZSBub25jZQ==, dGhlIHNhbXBsZSBub25jZQ==' }, // two keys
      { key: null },
      { version: null },
      { headers: { Connection: 'keep-alive' } },
      { headers: { Connection: null } },
      { headers: { Host: null } },
    ];
    for (const opts of bad) {
      const c = await Raw.open(server.port, opts);
      assert.equal(c.response.status, 400, JSON.stringify(opts));
      assert.match(c.response.body, /errors/);
      // What follows an upgrade request is not HTTP: the server closes.
      if (c.response.headers.connection === 'close') assert.ok(await c.end());
      c.destroy();
    }
    const old = await Raw.open(server.port, {
      request: `GET /ws HTTP/1.0\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${RFC_KEY}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    });
    assert.equal(old.response.status, 400);
    old.destroy();
    // Not an upgrade at all: the route's own answer.
    const plain = await Raw.open(server.port, { request: 'GET /ws HTTP/1.1\r\nHost: x\r\n\r\n' });
    assert.equal(plain.response.status, 400);
    assert.match(plain.response.body, /only speaks WebSocket/);
    plain.destroy();
  });

  it('refuses another version with 426 and names version 13', { timeout: 10000 }, async () => {
    for (const version of ['8', '14', '13, 8']) {
      const c = await Raw.open(server.port, { version });
      assert.equal(c.response.status, 426);
      assert.equal(c.response.headers['sec-websocket-version'], '13');
      c.destroy();
    }
  });

  it('takes the header forms browsers send', { timeout: 10000 }, async () => {
    const c = await Raw.open(server.port, { headers: { Connection: 'keep-alive, Upgrade', Upgrade: 'WebSocket' } });
    assert.equal(c.response.status, 101);
    c.send(frame(OP.text, 'firefox'));
    assert.equal(await c.readText(), 'firefox');
    c.destroy();
  });

  it('reads frames the client sent right behind the request', { timeout: 10000 }, async () => {
    const c = await Raw.open(server.port, { then: Buffer.concat([frame(OP.text, 'early'), frame(OP.text, 'bird')]) });
    assert.equal(c.response.status, 101);
    assert.equal(await c.readText(), 'early');
    assert.equal(await c.readText(), 'bird');
    c.destroy();
  });

  it('keeps the request readable: path, query, headers, user', { timeout: 10000 }, async () => {
    const c = await Raw.open(server.port, { path: '/ws?q=42', headers: { 'X-Test': 'kept' } });
    c.send(frame(OP.text, 'request'));
    assert.deepEqual(JSON.parse(await c.readText()), { path: '/ws', query: '42', header: 'kept', user: null });
    c.destroy();
    const u = await Raw.open(server.port, { headers: { 'X-User': 'ada' } });
    u.send(frame(OP.text, 'request'));
    assert.deepEqual(JSON.parse(await u.readText()), { path: '/ws', query: null, header: null, user: 'ada' });
    u.destroy();
  });
});

describe('WebSocket framing', () => {
  let server;
  before(async () => { server = await startServer(ECHO, ['--max-message', '1000']); });
  after(async () => { assert.equal(await server.stop(), 0); });
  const port = () => server.port;

  it('closes with 1002 on an unmasked frame', { timeout: 10000 }, async () => {
    assert.equal(await failWith(port(), frame(OP.text, 'hi', { mask: false })), 1002);
  });

  it('closes with 1002 on unknown opcodes', { timeout: 10000 }, async () => {
    for (const op of [3, 7, 0xb, 0xf]) assert.equal(await failWith(port(), frame(op, 'x')), 1002);
  });

  it('closes with 1002 on reserved bits (RSV1 without permessage-deflate)', { timeout: 10000 }, async () => {
    assert.equal(await failWith(port(), frame(OP.text, 'x', { first: 0x80 | 0x20 | OP.text })), 1002);
    assert.equal(await failWith(port(), frame(OP.text, 'x', { first: 0x80 | 0x10 | OP.text })), 1002);
    assert.equal(await failWith(port(), frame(OP.text, 'x', { rsv1: true })), 1002);
  });

  it('closes with 1002 on a control frame over 125 bytes or fragmented', { timeout: 10000 }, async () => {
    assert.equal(await failWith(port(), frame(OP.ping, 'p'.repeat(126))), 1002);
    assert.equal(await failWith(port(), frame(OP.ping, 'p', { fin: false })), 1002);
  });

  it('closes with 1002 on a continuation without a message, or a message inside one', { timeout: 10000 }, async () => {
    assert.equal(await failWith(port(), frame(OP.cont, 'x')), 1002);
    assert.equal(await failWith(port(), frame(OP.text, 'a', { fin: false }), frame(OP.text, 'b')), 1002);
  });

  it('answers a ping between the fragments of a message', { timeout: 10000 }, async () => {
    const c = await Raw.open(port());
    c.send(frame(OP.text, 'Hel', { fin: false }), frame(OP.ping, 'between'), frame(OP.cont, 'l', { fin: false }),
      frame(OP.cont, 'o'));
    const pong = await c.readFrame();
    assert.equal(pong.opcode, OP.pong);
    assert.equal(pong.payload.toString(), 'between');
    assert.equal(await c.readText(), 'Hello');
    c.destroy();
  });

  it('joins UTF-8 split across fragments, and fails bad UTF-8 with 1007 at once', { timeout: 10000 }, async () => {
    const c = await Raw.open(port());
    const kosme = Buffer.from('κόσμε');
    c.send(frame(OP.text, kosme.subarray(0, 1), { fin: false }), frame(OP.cont, kosme.subarray(1, 4), { fin: false }),
      frame(OP.cont, kosme.subarray(4)));
    assert.equal(await c.readText(), 'κόσμε');
    c.destroy();
    assert.equal(await failWith(port(), frame(OP.text, Buffer.from([0x61, 0xff]))), 1007);
    assert.equal(await failWith(port(), frame(OP.text, Buffer.from([0xed, 0xa0, 0x80]))), 1007); // a surrogate
    // The message never ends: the bad byte alone must fail it.
    assert.equal(await failWith(port(), frame(OP.text, Buffer.from([0x6f, 0x6b, 0xc3]), { fin: false }),
      frame(OP.cont, 'A', { fin: false })), 1007);
    // A message may not end inside a code point.
    assert.equal(await failWith(port(), frame(OP.text, Buffer.from([0xe2, 0x82]))), 1007);
  });

  it('closes with 1009 on a message over the limit, before reading it', { timeout: 10000 }, async () => {
    const c = await Raw.open(port());
    c.send(frame(OP.binary, Buffer.alloc(1000)));
    const f = await c.readFrame();
    assert.equal(f.payload.length, 1000);
    c.destroy();
    assert.equal(await failWith(port(), frame(OP.text, 'x'.repeat(1001))), 1009);
    assert.equal(await failWith(port(), frame(OP.text, 'x'.repeat(600), { fin: false }), frame(OP.cont, 'y'.repeat(401))), 1009);
    // A header announcing 2^40 bytes, with no payload behind it.
    assert.equal(await failWith(port(), frame(OP.binary, '', { len: 2 ** 40 })), 1009);
  });

  it('closes with 1002 on a length not in its shortest form', { timeout: 10000 }, async () => {
    const head = Buffer.from([0x82, 0xfe, 0x00, 0x05, 1, 2, 3, 4]);
    assert.equal(await failWith(port(), Buffer.concat([head, Buffer.from('abcde')])), 1002);
  });
});

describe('WebSocket close handshake', () => {
  let server;
  before(async () => { server = await startServer(ECHO, ['--close-timeout-ms', '500']); });
  after(async () => { assert.equal(await server.stop(), 0); });
  const port = () => server.port;

  it('echoes the close code and ends the stream', { timeout: 10000 }, async () => {
    const c = await Raw.open(port());
    c.send(closeFrame(4001, 'see you'));
    assert.deepEqual(await c.readClose(), { code: 4001, reason: '' });
    assert.ok(await c.end());
    c.destroy();
    await waitLog(server, /ws closed 4001/);
    const e = await Raw.open(port());
    e.send(frame(OP.close, ''));
    assert.deepEqual(await e.readClose(), { code: 1005, reason: '' }); // answered without a code
    e.destroy();
  });

  it('takes a 123-byte reason; 124 bytes make the frame too long (1002)', { timeout: 10000 }, async () => {
    const c = await Raw.open(port());
    c.send(closeFrame(1000, 'r'.repeat(123)));
    assert.equal((await c.readClose()).code, 1000);
    c.destroy();
    assert.equal(await failWith(port(), closeFrame(1000, 'r'.repeat(124))), 1002);
    assert.equal(await failWith(port(), closeFrame(1005)), 1002);
    assert.equal(await failWith(port(), closeFrame(999)), 1002);
    assert.equal(await failWith(port(), frame(OP.close, Buffer.from([0x03]))), 1002);
    const bad = Buffer.concat([Buffer.from([0x03, 0xe8]), Buffer.from([0xc3])]);
    assert.equal(await failWith(port(), frame(OP.close, bad)), 1007);
  });

  it('closes on request with a code and reason, and waits for the answer', { timeout: 10000 }, async () => {
    const c = await Raw.open(port());
    c.send(frame(OP.text, 'close:4000:done here'));
    assert.deepEqual(await c.readClose(), { code: 4000, reason: 'done here' });
    c.send(frame(OP.text, 'dropped'), closeFrame(4000));
    assert.ok(await c.end());
    c.destroy();
    // A peer that never answers is dropped after the close timeout.
    const silent = await Raw.open(port());
    silent.send(frame(OP.text, 'close:1000:bye'));
    assert.equal((await silent.readClose()).code, 1000);
    const t0 = Date.now();
    assert.ok(await silent.end());
    assert.ok(Date.now() - t0 < 3000);
    silent.destroy();
  });

  it('pings on request and reports the pong', { timeout: 10000 }, async () => {
    const c = await Raw.open(port());
    c.send(frame(OP.text, 'ping:xyz'));
    const ping = await c.readFrame();
    assert.equal(ping.opcode, OP.ping);
    assert.equal(ping.payload.toString(), 'xyz');
    c.send(frame(OP.pong, ping.payload));
    assert.equal(await c.readText(), 'pong:xyz');
    c.destroy();
  });
});

describe('WebSocket outbound limit', () => {
  it('disconnects a client that stops reading', { timeout: 30000 }, async () => {
    const server = await startServer(ECHO, ['--max-outbound', '65536', '--close-timeout-ms', '300']);
    try {
      const c = await Raw.open(server.port);
      c.socket.pause();
      c.send(frame(OP.text, 'flood:16384'));
      await waitLog(server, /ws closed 1008/, 20000);
      assert.match(server.stderr(), /flood stopped: (ELIMIT|EINVAL)/);
      // What the kernel had already taken still arrives; then the end.
      let bytes = 0;
      c.socket.on('data', (d) => { bytes += d.length; });
      c.socket.resume();
      await c.end();
      assert.ok(bytes < 64 * 1024 * 1024, `${bytes} bytes`);
      c.destroy();
    } finally {
      assert.equal(await server.stop(), 0);
    }
  });
});

describe('permessage-deflate', () => {
  let server;
  before(async () => { server = await startServer(ECHO); });
  after(async () => { assert.equal(await server.stop(), 0); });

  it('round-trips through the ws package, compressed', { timeout: 10000 }, async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws`);
    await once(ws, 'open');
    assert.match(ws.extensions, /permessage-deflate/);
    const text = JSON.stringify({ data: Array.from({ length: 2000 }, (_, i) => ({ id: i, name: `item ${i}` })) });
    const bin = crypto.randomBytes(50000);
    const got = [];
    ws.on('message', (d, isBinary) => got.push({ d: Buffer.from(d), isBinary }));
    ws.send(text);
    ws.send(bin);
    ws.send('short');
    while (got.length < 3) await new Promise((r) => setTimeout(r, 10));
    assert.equal(got[0].d.toString(), text);
    assert.equal(got[0].isBinary, false);
    assert.ok(got[1].d.equals(bin));
    assert.equal(got[1].isBinary, true);
    assert.equal(got[2].d.toString(), 'short');
    ws.close(1000);
    const [code] = await once(ws, 'close');
    assert.equal(code, 1000);
  });

  it('compresses by hand: RSV1 frames both ways', { timeout: 10000 }, async () => {
    const c = await Raw.open(server.port, { headers: { 'Sec-WebSocket-Extensions': 'permessage-deflate; client_max_window_bits' } });
    assert.equal(c.response.headers['sec-websocket-extensions'],
      'permessage-deflate; server_no_context_takeover; client_no_context_takeover');
    const text = 'graphql '.repeat(500);
    const z = zlib.deflateRawSync(Buffer.from(text), { finishFlush: zlib.constants.Z_SYNC_FLUSH });
    assert.ok(z.subarray(-4).equals(Buffer.from([0, 0, 0xff, 0xff])));
    c.send(frame(OP.text, z.subarray(0, -4), { rsv1: true }));
    const f = await c.readFrame();
    assert.equal(f.rsv1, true, 'the echo is compressed');
    assert.ok(f.payload.length < 200);
    const back = zlib.inflateRawSync(Buffer.concat([f.payload, Buffer.from([0, 0, 0xff, 0xff])]),
      { finishFlush: zlib.constants.Z_SYNC_FLUSH });
    assert.equal(back.toString(), text);
    // Short messages go out as they are.
    c.send(frame(OP.text, 'tiny'));
    const t = await c.readFrame();
    assert.equal(t.rsv1, false);
    assert.equal(t.payload.toString(), 'tiny');
    c.destroy();
  });

  it('stops inflating at the message limit (1009)', { timeout: 10000 }, async () => {
    const bomb = zlib.deflateRawSync(Buffer.alloc(4 << 20), { finishFlush: zlib.constants.Z_SYNC_FLUSH });
    assert.ok(bomb.length < 8192);
    const c = await Raw.open(server.port, { headers: { 'Sec-WebSocket-Extensions': 'permessage-deflate' } });
    c.send(frame(OP.binary, bomb.subarray(0, -4), { rsv1: true }));
    assert.equal((await c.readClose()).code, 1009);
    c.destroy();
  });

  it('is declined by a server without it', { timeout: 10000 }, async () => {
    const plain = await startServer(ECHO, ['--no-deflate']);
    try {
      const ws = new WebSocket(`ws://127.0.0.1:${plain.port}/ws`);
      await once(ws, 'open');
      assert.equal(ws.extensions, '');
      const text = 'x'.repeat(3000);
      ws.send(text);
      const [d] = await once(ws, 'message');
      assert.equal(d.toString(), text);
      ws.close();
      await once(ws, 'close');
      const c = await Raw.open(plain.port, { headers: { 'Sec-WebSocket-Extensions': 'permessage-deflate' } });
      assert.equal(c.response.headers['sec-websocket-extensions'], undefined);
      c.send(frame(OP.text, 'x', { rsv1: true }));
      assert.equal((await c.readClose()).code, 1002);
      c.destroy();
    } finally {
      assert.equal(await plain.stop(), 0);
    }
  });
});

describe('WebSocket lifetime', () => {
  it('closes open WebSockets with 1001 on a graceful stop', { timeout: 15000 }, async () => {
    const server = await startServer(ECHO);
    const c = await Raw.open(server.port);
    c.send(frame(OP.text, 'hi'));
    assert.equal(await c.readText(), 'hi');
    const exited = server.stop();
    const close = await c.readClose();
    assert.deepEqual(close, { code: 1001, reason: 'server shutting down' });
    c.send(closeFrame(1001));
    assert.ok(await c.end());
    assert.equal(await exited, 0);
    assert.match(server.stderr(), /ws closed 1001/);
    c.destroy();
  });

  it('costs at most 8 KiB of server memory per idle connection, with or without a user', { timeout: 30000 }, async () => {
    const server = await startServer(ECHO);
    try {
      const probe = await Raw.open(server.port);
      const stats = async () => { probe.send(frame(OP.text, 'stats')); return JSON.parse(await probe.readText()); };
      // Warm up: the first connections fill the server's pools.
      const warm = [];
      for (let i = 0; i < 20; i++) warm.push(await Raw.open(server.port, { headers: { 'Sec-WebSocket-Extensions': 'permessage-deflate' } }));
      const before0 = await stats();
      if (before0.heap === 0) return; // no mallinfo (a sanitizer's allocator)
      const conns = [];
      const N = 300;
      for (let i = 0; i < N; i++) {
        const c = await Raw.open(server.port, {
          // Every other one with a user identity (kept by the server).
          headers: { 'Sec-WebSocket-Extensions': 'permessage-deflate; client_max_window_bits', 'User-Agent': 'test',
            'X-User': i % 2 ? `user-${i}` : null },
        });
        c.send(frame(OP.text, `hello ${i}`));
        assert.equal(await c.readText(), `hello ${i}`);
        conns.push(c);
      }
      const after0 = await stats();
      assert.equal(after0.open, before0.open + N);
      const per = (after0.heap - before0.heap) / N;
      console.log(`server heap per idle WebSocket: ${Math.round(per)} bytes`);
      assert.ok(per <= 8192, `${per} bytes per connection`);
      for (const c of [...conns, ...warm, probe]) c.destroy();
    } finally {
      assert.equal(await server.stop(), 0);
    }
  });
});
