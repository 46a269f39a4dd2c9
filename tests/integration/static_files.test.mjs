// tests/integration/static_files.test.mjs — static files over real HTTP:
// content types, validators and 304 answers, HEAD, folder indexes, names
// that need escaping, and attempts to read outside the folder.
//
// Runs the core test server with tests/data/static mounted at /static.
// Paths are sent exactly as written here (node:http does not normalise
// them, unlike fetch), so "../" and "%2e%2e" reach the server.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

import { startServer, testServer } from './lib/server.mjs';

const dataDir = path.resolve('tests/data/static');
let server;

before(async () => {
  server = await startServer(testServer('core_test_server'), [
    '--listen', '127.0.0.1:0', '--static', 'tests/data/static',
  ]);
});

after(async () => {
  await server?.stop();
});

/** One request on its own connection: { status, headers, body (Buffer) }. */
function request(method, urlPath, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1', port: server.port, method, path: urlPath, headers, agent: false,
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.setTimeout(5000, () => req.destroy(new Error(`timeout: ${method} ${urlPath}`)));
    req.on('error', reject);
    req.end();
  });
}

const file = (name) => fs.readFileSync(path.join(dataDir, name));

describe('static files', () => {
  test('content types by extension, bodies as on disk', async () => {
    const cases = [
      ['index.html', 'text/html; charset=utf-8'],
      ['app.js', 'text/javascript; charset=utf-8'],
      ['style.css', 'text/css; charset=utf-8'],
      ['logo.svg', 'image/svg+xml; charset=utf-8'],
      ['data.json', 'application/json; charset=utf-8'],
      ['sub/page.txt', 'text/plain; charset=utf-8'],
      ['noindex/readme.txt', 'text/plain; charset=utf-8'],
    ];
    for (const [name, type] of cases) {
      const res = await request('GET', `/static/${name}`);
      assert.equal(res.status, 200, name);
      assert.equal(res.headers['content-type'], type, name);
      assert.deepEqual(res.body, file(name), name);
      assert.equal(Number(res.headers['content-length']), file(name).length, name);
      assert.equal(res.headers['cache-control'], 'no-cache', name);
      assert.match(res.headers.etag, /^W\/"[0-9a-f]+-[0-9a-f]+-[0-9a-f]+"$/, name);
      assert.match(res.headers['last-modified'], /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/, name);
    }
  });

  test('Last-Modified is the file time', async () => {
    const res = await request('GET', '/static/app.js');
    const mtime = Math.floor(fs.statSync(path.join(dataDir, 'app.js')).mtimeMs / 1000);
    assert.equal(Date.parse(res.headers['last-modified']) / 1000, mtime);
  });

  test('If-None-Match answers 304 with the ETag', async () => {
    const first = await request('GET', '/static/app.js');
    const { etag } = first.headers;
    for (const inm of [etag, etag.slice(2), `"nope", ${etag}`, '*']) {
      const res = await request('GET', '/static/app.js', { 'If-None-Match': inm });
      assert.equal(res.status, 304, inm);
      assert.equal(res.headers.etag, etag);
      assert.equal(res.body.length, 0);
    }
    const changed = await request('GET', '/static/app.js', { 'If-None-Match': '"nope"' });
    assert.equal(changed.status, 200);
    assert.deepEqual(changed.body, file('app.js'));
  });

  test('If-Modified-Since answers 304 unless the file is newer', async () => {
    const first = await request('GET', '/static/style.css');
    const lastModified = first.headers['last-modified'];
    const same = await request('GET', '/static/style.css', { 'If-Modified-Since': lastModified });
    assert.equal(same.status, 304);
    assert.equal(same.headers.etag, first.headers.etag);
    assert.equal(same.body.length, 0);
    const later = new Date(Date.parse(lastModified) + 3600e3).toUTCString();
    assert.equal((await request('GET', '/static/style.css', { 'If-Modified-Since': later })).status, 304);
    const earlier = new Date(Date.parse(lastModified) - 1000).toUTCString();
    const stale = await request('GET', '/static/style.css', { 'If-Modified-Since': earlier });
    assert.equal(stale.status, 200);
    assert.deepEqual(stale.body, file('style.css'));
    const garbage = await request('GET', '/static/style.css', { 'If-Modified-Since': 'yesterday' });
    assert.equal(garbage.status, 200);
    // If-None-Match decides alone when both are sent.
    const both = await request('GET', '/static/style.css', {
      'If-None-Match': '"nope"', 'If-Modified-Since': lastModified,
    });
    assert.equal(both.status, 200);
  });

  test('HEAD sends the headers of GET without a body', async () => {
    const res = await request('HEAD', '/static/data.json');
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(Number(res.headers['content-length']), file('data.json').length);
    assert.ok(res.headers.etag);
    assert.equal(res.body.length, 0);
    const cached = await request('HEAD', '/static/data.json', { 'If-None-Match': res.headers.etag });
    assert.equal(cached.status, 304);
  });

  test('a folder serves its index.html, or is not found', async () => {
    for (const p of ['/static/', '/static/index.html']) {
      const res = await request('GET', p);
      assert.equal(res.status, 200, p);
      assert.equal(res.headers['content-type'], 'text/html; charset=utf-8', p);
      assert.deepEqual(res.body, file('index.html'), p);
    }
    for (const p of ['/static/sub/', '/static/sub']) {
      const res = await request('GET', p);
      assert.equal(res.status, 200, p);
      assert.deepEqual(res.body, file('sub/index.html'), p);
    }
    assert.equal((await request('GET', '/static/noindex/')).status, 404);
    assert.equal((await request('GET', '/static/noindex')).status, 404);
  });

  test('a name with a space, percent-encoded', async () => {
    const res = await request('GET', '/static/hello%20world.txt');
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'text/plain; charset=utf-8');
    assert.deepEqual(res.body, file('hello world.txt'));
  });

  test('missing files are 404', async () => {
    assert.equal((await request('GET', '/static/missing.js')).status, 404);
    assert.equal((await request('GET', '/static/app.js/')).status, 404);
    assert.equal((await request('GET', '/static/.hidden')).status, 404);
  });

  test('other methods are 405 with Allow', async () => {
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const res = await request(method, '/static/app.js');
      assert.equal(res.status, 405, method);
      assert.match(res.headers.allow, /GET/);
      assert.match(res.headers.allow, /HEAD/);
    }
  });

  test('no way out of the folder', async () => {
    const attempts = [
      '/static/../CMakeLists.txt',
      '/static/../../CMakeLists.txt',
      '/static/sub/../../CMakeLists.txt',
      '/static/%2e%2e/CMakeLists.txt',
      '/static/%2E%2E/%2E%2E/CMakeLists.txt',
      '/static/.%2e/CMakeLists.txt',
      '/static/..%2fCMakeLists.txt',
      '/static/..%2FCMakeLists.txt',
      '/static/sub%2f..%2f..%2fCMakeLists.txt',
      '/static/%2f..%2f..%2fCMakeLists.txt',
      '/static/..%5cCMakeLists.txt',
      '/static/..\\CMakeLists.txt',
      '/static/app.js%00',
      '/static/app.js%00.txt',
      '/static/%00',
      '/static/%2e%2e%2f%2e%2e%2fetc/passwd',
      '/static//etc/passwd',
      '/static/%2fetc%2fpasswd',
    ];
    for (const p of attempts) {
      const res = await request('GET', p);
      assert.ok(res.status === 404 || res.status === 400, `${p}: ${res.status}`);
      assert.ok(!res.body.toString().includes('cmake_minimum_required'), p);
      assert.ok(!res.body.toString().includes('root:'), p);
    }
  });
});
