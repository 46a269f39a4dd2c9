// tests/integration/uploads.test.mjs — file uploads over real HTTP: GraphQL
// multipart requests (operations, map, files) built with fetch's FormData
// against tests/tools/upload_test_server.c, whose resolvers answer what
// they received (names, types, sizes, SHA-256 and text of the content).
//
// Covered: one file, a list of files, a file in an input object, a file
// named by several paths, a batch, a file of a few MB kept in a temporary
// file, the limits (file size and file count: 413), malformed bodies and
// maps (400), CSRF protection of multipart requests, and a plain multipart
// form without "operations".
//
// Environment: GQL_BUILD_DIR (default build) holds tests/upload_test_server.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { startServer, testServer } from './lib/server.mjs';

const SERVER = testServer('upload_test_server');
const skip = !fs.existsSync(SERVER) && `no test server at ${SERVER}`;

// Generous limits, with a small memory threshold so big files go to disk.
let main;
// Tight limits: files over 1,000 bytes, more than 2 files.
let strict;

before(async () => {
  if (skip) return;
  main = await startServer(SERVER, ['--max-file-size', String(16 << 20), '--max-file-count', '4',
    '--upload-memory-limit', '65536']);
  strict = await startServer(SERVER, ['--max-file-size', '1000', '--max-file-count', '2']);
});

after(async () => {
  if (main) assert.equal(await main.stop(), 0);
  if (strict) assert.equal(await strict.stop(), 0);
});

const PREFLIGHT = { 'GraphQL-Require-Preflight': '1', Accept: 'application/json' };
const FIELDS = 'name filename type size sha256OrPrefix text';

const sha256 = (bytes) => crypto.createHash('sha256').update(bytes).digest('hex');

/** A GraphQL multipart request: operations, map and files ({ field: [blob, filename] }). */
function form(operations, map, files) {
  const fd = new FormData();
  fd.append('operations', JSON.stringify(operations));
  fd.append('map', JSON.stringify(map));
  for (const [field, [blob, filename]] of Object.entries(files)) fd.append(field, blob, filename);
  return fd;
}

async function post(server, body, headers = PREFLIGHT) {
  const res = await fetch(`${server.url}/graphql`, { method: 'POST', body, headers });
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, json, text };
}

function errorMessage(r) {
  return r.json?.errors?.[0]?.message ?? r.text;
}

test('one file: every property and the content arrive', { skip }, async () => {
  const content = 'Alpha file content.\n';
  const r = await post(main, form(
    { query: `mutation ($file: Upload!) { single(file: $file) { ${FIELDS} } }`, variables: { file: null } },
    { 0: ['variables.file'] },
    { 0: [new Blob([content], { type: 'text/plain' }), 'a.txt'] },
  ));
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, {
    data: {
      single: {
        name: '0', filename: 'a.txt', type: 'text/plain', size: content.length,
        sha256OrPrefix: sha256(content), text: content,
      },
    },
  });
});

test('a list of files, in order, with their own types', { skip }, async () => {
  const files = ['one', 'two two', ''];
  const r = await post(main, form(
    { query: 'mutation ($files: [Upload!]!) { multiple(files: $files) { name filename type size text } }',
      variables: { files: [null, null, null] } },
    { a: ['variables.files.0'], b: ['variables.files.1'], c: ['variables.files.2'] },
    {
      a: [new Blob([files[0]], { type: 'text/plain' }), 'one.txt'],
      b: [new Blob([files[1]], { type: 'application/x-custom' }), 'two.txt'],
      c: [new Blob([files[2]]), 'empty.bin'],
    },
  ));
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.data.multiple, [
    { name: 'a', filename: 'one.txt', type: 'text/plain', size: 3, text: 'one' },
    { name: 'b', filename: 'two.txt', type: 'application/x-custom', size: 7, text: 'two two' },
    { name: 'c', filename: 'empty.bin', type: 'application/octet-stream', size: 0, text: '' },
  ]);
});

test('a file inside an input object', { skip }, async () => {
  const r = await post(main, form(
    { query: 'mutation ($input: UploadInput!) { nested(input: $input) { filename text } }',
      variables: { input: { file: null, note: 'hello' } } },
    { f: ['variables.input.file'] },
    { f: [new Blob(['nested!']), 'n.txt'] },
  ));
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { data: { nested: { filename: 'n.txt', text: 'nested!' } } });
});

test('one file named by several paths is one upload', { skip }, async () => {
  const r = await post(main, form(
    { query: 'mutation ($a: Upload!, $b: Upload!) { x: single(file: $a) { name } y: single(file: $b) { name text } }',
      variables: { a: null, b: null } },
    { shared: ['variables.a', 'variables.b'] },
    { shared: [new Blob(['same']), 's.txt'] },
  ));
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { data: { x: { name: 'shared' }, y: { name: 'shared', text: 'same' } } });
});

test('a file of a few MB goes through a temporary file intact', { skip }, async () => {
  const big = crypto.randomBytes(3 * 1024 * 1024 + 123);
  const r = await post(main, form(
    { query: 'mutation ($file: Upload!) { single(file: $file) { size sha256OrPrefix } }', variables: { file: null } },
    { 0: ['variables.file'] },
    { 0: [new Blob([big], { type: 'application/octet-stream' }), 'big.bin'] },
  ));
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { data: { single: { size: big.length, sha256OrPrefix: sha256(big) } } });
});

test('batched operations share the files', { skip }, async () => {
  const r = await post(main, form(
    [
      { query: 'mutation ($file: Upload!) { single(file: $file) { filename text } }', variables: { file: null } },
      { query: 'mutation ($files: [Upload!]!) { multiple(files: $files) { filename } }', variables: { files: [null, null] } },
      { query: '{ ok }' },
    ],
    { 0: ['0.variables.file', '1.variables.files.1'], 1: ['1.variables.files.0'] },
    { 0: [new Blob(['zero']), 'zero.txt'], 1: [new Blob(['one']), 'one.txt'] },
  ));
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, [
    { data: { single: { filename: 'zero.txt', text: 'zero' } } },
    { data: { multiple: [{ filename: 'one.txt' }, { filename: 'zero.txt' }] } },
    { data: { ok: true } },
  ]);
});

test('a file over the maximum file size is refused with 413', { skip }, async () => {
  const ok = await post(strict, form(
    { query: 'mutation ($file: Upload!) { single(file: $file) { size } }', variables: { file: null } },
    { 0: ['variables.file'] },
    { 0: [new Blob(['x'.repeat(1000)]), 'fits.txt'] },
  ));
  assert.equal(ok.status, 200, ok.text);
  assert.deepEqual(ok.json, { data: { single: { size: 1000 } } });

  const r = await post(strict, form(
    { query: 'mutation ($file: Upload!) { single(file: $file) { size } }', variables: { file: null } },
    { 0: ['variables.file'] },
    { 0: [new Blob(['x'.repeat(1001)]), 'big.txt'] },
  ));
  assert.equal(r.status, 413, r.text);
  assert.match(errorMessage(r), /File 'big\.txt' is larger than the maximum file size of 1000 bytes/);
});

test('more files than the maximum file count is refused with 413', { skip }, async () => {
  const r = await post(strict, form(
    { query: 'mutation ($files: [Upload!]!) { multiple(files: $files) { size } }', variables: { files: [null, null, null] } },
    { a: ['variables.files.0'], b: ['variables.files.1'], c: ['variables.files.2'] },
    { a: [new Blob(['a']), 'a'], b: [new Blob(['b']), 'b'], c: [new Blob(['c']), 'c'] },
  ));
  assert.equal(r.status, 413, r.text);
  assert.match(errorMessage(r), /Too many files: at most 2 may be uploaded at once/);
});

test('malformed multipart bodies are refused with 400', { skip }, async () => {
  const ops = JSON.stringify({ query: '{ ok }' });
  const cases = [
    // no final boundary
    ['multipart/form-data; boundary=XyZ',
      `--XyZ\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${ops}\r\n`,
      /missing final boundary/],
    // Content-Disposition without name
    ['multipart/form-data; boundary=XyZ',
      `--XyZ\r\nContent-Disposition: form-data\r\n\r\n${ops}\r\n--XyZ--\r\n`,
      /Content-Disposition without name/],
    // bad part header line
    ['multipart/form-data; boundary=XyZ',
      `--XyZ\r\nContent-Disposition form-data; name="operations"\r\n\r\n${ops}\r\n--XyZ--\r\n`,
      /Malformed part header/],
    // no boundary parameter
    ['multipart/form-data',
      `--XyZ\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${ops}\r\n--XyZ--\r\n`,
      /no boundary parameter/],
  ];
  for (const [type, body, message] of cases) {
    const r = await post(main, body, { ...PREFLIGHT, 'Content-Type': type });
    assert.equal(r.status, 400, `${message}: ${r.text}`);
    assert.match(errorMessage(r), message);
  }
});

test('a broken map is refused with 400 and a precise message', { skip }, async () => {
  const query = 'mutation ($file: Upload!) { single(file: $file) { size } }';
  const cases = [
    [{ 0: ['variables.file'] }, {}, /The file field '0' named in 'map' is missing/],
    [{ 0: ['variables.nope'] }, { 0: [new Blob(['x']), 'x'] },
      /The operations path 'variables\.nope' of file field '0' does not exist/],
    [{ 0: ['query'] }, { 0: [new Blob(['x']), 'x'] },
      /The operations path 'query' of file field '0' must hold null, not string/],
  ];
  for (const [map, files, message] of cases) {
    const r = await post(main, form({ query, variables: { file: null } }, map, files));
    assert.equal(r.status, 400, r.text);
    assert.match(errorMessage(r), message);
  }
  const fd = new FormData();
  fd.append('operations', JSON.stringify({ query, variables: { file: null } }));
  fd.append('0', new Blob(['x']), 'x');
  const r = await post(main, fd);
  assert.equal(r.status, 400, r.text);
  assert.match(errorMessage(r), /The 'map' multipart field is missing/);
});

test('CSRF: multipart without the preflight header is refused, with it accepted', { skip }, async () => {
  const make = () => form(
    { query: 'mutation ($file: Upload!) { single(file: $file) { text } }', variables: { file: null } },
    { 0: ['variables.file'] },
    { 0: [new Blob(['csrf']), 'c.txt'] },
  );
  const refused = await post(main, make(), { Accept: 'application/json' });
  assert.equal(refused.status, 400, refused.text);
  const accepted = await post(main, make());
  assert.equal(accepted.status, 200, accepted.text);
  assert.deepEqual(accepted.json, { data: { single: { text: 'csrf' } } });
});

test('a multipart form without operations is read as plain fields', { skip }, async () => {
  const fd = new FormData();
  fd.append('query', 'query Q($x: Boolean!) { ok @include(if: $x) }');
  fd.append('variables', JSON.stringify({ x: true }));
  fd.append('operationName', 'Q');
  const r = await post(main, fd);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { data: { ok: true } });
});

test('an upload reference without files finds nothing', { skip }, async () => {
  // A JSON request cannot reach files: the reference shape alone is not enough.
  const r = await post(main, JSON.stringify({
    query: 'mutation ($file: Upload!) { single(file: $file) { name } }',
    variables: { file: { $upload: 0 } },
  }), { ...PREFLIGHT, 'Content-Type': 'application/json' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.data.single, null);
  assert.match(r.json.errors[0].message, /not an upload of this request/);
});
