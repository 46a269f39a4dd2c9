// tests/integration/ui_http.test.mjs — the browser UI as HTTP sees it: the
// pages' Content-Security-Policy (a fresh nonce per response, the same one
// on the page's scripts), security and caching headers, the endpoint's
// page for browsers only, the bundle's files (content types, immutable
// caching, ETag and 304, precompressed bodies), --ui=false, --ui-path,
// --voyager-path and the path prefix.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { gqld, startServer } from './lib/server.mjs';

const SCHEMA = path.resolve('tests/browser/schema.graphql');
const DATA = path.resolve('tests/browser/data.json');
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

function serve(args = []) {
  return startServer(gqld, ['serve', '--schema', SCHEMA, '--data', DATA,
    '--listen', '127.0.0.1:0', '--workers', '1', '--access-log', 'false', ...args]);
}

/** One request with exact headers; the body as sent (not decompressed). */
function get(server, target, headers = {}, method = 'GET') {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.port, path: target, method, headers },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({
          status: res.statusCode,
          headers: res.headers,
          body: Buffer.concat(chunks),
          text: () => Buffer.concat(chunks).toString('utf8'),
        }));
      });
    req.on('error', reject);
    req.end();
  });
}

function nonceOf(csp) {
  const m = /script-src 'self' 'nonce-([A-Za-z0-9+/=]+)'/.exec(csp);
  assert.ok(m, `no script nonce in ${csp}`);
  return m[1];
}

/** The URLs of the page's stylesheet and script. */
function assetUrls(html) {
  const css = /<link rel="stylesheet" href="([^"]+)"/.exec(html)[1];
  const js = /<script nonce="[^"]+" src="([^"]+)"/.exec(html)[1];
  return { css, js };
}

function assertPage(res, { voyager = false } = {}) {
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
  assert.equal(res.headers['cache-control'], 'no-store');
  assert.equal(res.headers['x-content-type-options'], 'nosniff');
  assert.equal(res.headers['referrer-policy'], 'strict-origin-when-cross-origin');
  assert.ok(res.headers['permissions-policy']);
  assert.equal(res.headers['x-frame-options'], 'DENY');
  const csp = res.headers['content-security-policy'];
  const nonce = nonceOf(csp);
  assert.ok(Buffer.from(nonce, 'base64').length >= 16, 'a nonce of at least 128 bits');
  for (const d of ["default-src 'self'", `style-src 'self' 'nonce-${nonce}'`,
    "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "connect-src 'self'"])
    assert.ok(csp.includes(d), `${d} in ${csp}`);
  assert.ok(!/'unsafe-eval'|script-src[^;]*'unsafe-inline'/.test(csp), csp);
  assert.equal(csp.includes("'wasm-unsafe-eval'"), voyager);
  assert.equal(csp.includes('blob:'), voyager);
  // Every script element carries the response's nonce, and no other.
  const html = res.text();
  const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1]);
  assert.equal(scripts.length, 2);
  for (const attrs of scripts) assert.ok(attrs.includes(`nonce="${nonce}"`), attrs);
  return { nonce, html, csp };
}

describe('UI over HTTP', () => {
  let server;
  before(async () => { server = await serve(); });
  after(async () => { await server?.stop(); });

  it('serves GraphiQL at /graphiql with a fresh nonce per response', async () => {
    const a = assertPage(await get(server, '/graphiql'));
    const b = assertPage(await get(server, '/graphiql'));
    assert.notEqual(a.nonce, b.nonce);
    assert.match(a.html, /endpoint: "\/graphql"/);
    assert.match(a.html, /workers: \{editor: "\/ui-assets\/editor\.worker-[^"]+\.js"/);
    assert.match(a.html, /wss:/); // the WebSocket URL follows the page's scheme
    const head = await get(server, '/graphiql', {}, 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.body.length, 0);
  });

  it('serves Voyager at /voyager with its own policy', async () => {
    const { html } = assertPage(await get(server, '/voyager'), { voyager: true });
    assert.match(html, /<div id="voyager">/);
  });

  it('answers a browser opening the endpoint with GraphiQL, and nobody else', async () => {
    const page = assertPage(await get(server, '/graphql', { accept: BROWSER_ACCEPT }));
    assert.match(page.html, /<div id="graphiql">/);
    // GraphQL clients, requests with a query, and other methods are the
    // endpoint's as before.
    for (const [target, accept] of [
      ['/graphql', 'application/graphql-response+json, application/json'],
      ['/graphql', undefined],
      ['/graphql', 'text/html;q=0.5, application/json'],
      ['/graphql?query=%7Bhello%7D', BROWSER_ACCEPT],
    ]) {
      const res = await get(server, target, accept ? { accept } : {});
      assert.doesNotMatch(res.headers['content-type'] ?? '', /text\/html/, `${target} ${accept}`);
    }
    const ok = await get(server, '/graphql?query=%7Bhello%7D',
      { accept: 'application/json', 'graphql-require-preflight': '1' });
    assert.equal(ok.status, 200);
    assert.deepEqual(JSON.parse(ok.text()), { data: { hello: 'Hello from gqld' } });
  });

  it('serves the bundle with content types, immutable caching and ETags', async () => {
    const { html } = assertPage(await get(server, '/graphiql'));
    const { css, js } = assetUrls(html);
    const worker = /graphql: "([^"]+)"/.exec(html)[1];
    for (const [url, type] of [[js, 'text/javascript; charset=utf-8'],
      [css, 'text/css; charset=utf-8'], [worker, 'text/javascript; charset=utf-8']]) {
      const res = await get(server, url);
      assert.equal(res.status, 200, url);
      assert.equal(res.headers['content-type'], type);
      assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable');
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      assert.ok(res.body.length > 1000);
      assert.match(res.headers.etag, /^"[0-9a-f]+"$/);
      const again = await get(server, url, { 'if-none-match': res.headers.etag });
      assert.equal(again.status, 304);
      assert.equal(again.body.length, 0);
    }
    // A font the stylesheet names is served too.
    const cssText = (await get(server, css)).text();
    const font = /url\("?\.\/([^")]+\.ttf)"?\)/.exec(cssText);
    if (font) {
      const res = await get(server, `/ui-assets/${font[1]}`);
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-type'], 'font/ttf');
    }
    assert.equal((await get(server, '/ui-assets/nothing-here.js')).status, 404);
    assert.equal((await get(server, '/ui-assets/..%2Fgraphiql')).status, 404);
    assert.equal((await get(server, js, {}, 'POST')).status, 405);
  });

  it('sends the precompressed forms the client accepts', async () => {
    const { js } = assetUrls(assertPage(await get(server, '/graphiql')).html);
    const plain = await get(server, js);
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(plain.headers.vary, 'Accept-Encoding');
    const br = await get(server, js, { 'accept-encoding': 'gzip, deflate, br' });
    assert.equal(br.headers['content-encoding'], 'br');
    assert.ok(br.body.length < plain.body.length / 2);
    assert.ok(brotliDecompressSync(br.body).equals(plain.body));
    const gz = await get(server, js, { 'accept-encoding': 'gzip' });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.ok(gunzipSync(gz.body).equals(plain.body));
    const none = await get(server, js, { 'accept-encoding': 'br;q=0, gzip;q=0' });
    assert.equal(none.headers['content-encoding'], undefined);
  });
});

describe('UI options', () => {
  it('--ui=false serves no pages and leaves the endpoint to GraphQL', async () => {
    const server = await serve(['--ui=false']);
    try {
      assert.equal((await get(server, '/graphiql')).status, 404);
      assert.equal((await get(server, '/voyager')).status, 404);
      const res = await get(server, '/graphql', { accept: BROWSER_ACCEPT });
      assert.doesNotMatch(res.headers['content-type'] ?? '', /text\/html/);
    } finally {
      await server.stop();
    }
  });

  it('--ui-path and --voyager-path move or remove the pages', async () => {
    const server = await serve(['--ui-path', '/ide', '--voyager-path', '']);
    try {
      assertPage(await get(server, '/ide'));
      assert.equal((await get(server, '/graphiql')).status, 404);
      assert.equal((await get(server, '/voyager')).status, 404);
    } finally {
      await server.stop();
    }
  });

  it('puts the path prefix in every URL of the page', async () => {
    const server = await serve(['--path-prefix', '/app']);
    try {
      assert.equal((await get(server, '/graphiql')).status, 404);
      const { html } = assertPage(await get(server, '/app/graphiql'));
      assert.match(html, /endpoint: "\/app\/graphql"/);
      const { css, js } = assetUrls(html);
      assert.ok(css.startsWith('/app/ui-assets/') && js.startsWith('/app/ui-assets/'));
      assert.equal((await get(server, js)).status, 200);
      const voyager = assertPage(await get(server, '/app/voyager'), { voyager: true });
      assert.match(voyager.html, /endpoint: "\/app\/graphql"/);
      assertPage(await get(server, '/app/graphql', { accept: BROWSER_ACCEPT }));
    } finally {
      await server.stop();
    }
  });
});
