// tests/integration/graphql_http.test.mjs — GraphQL over HTTP against
// `gqld serve` on loopback: every request form (GET, POST with JSON,
// application/graphql, url-encoded and multipart forms), batches, Accept
// negotiation, status codes, CSRF protection, methods, malformed input and
// every endpoint option turned on and off.
//
// Environment: GQLD (default build/gqld).

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, gqld } from './lib/server.mjs';

const SCHEMA = 'tests/data/http/schema.graphql';
const DATA = 'tests/data/http/data.json';

const JSON_TYPE = 'application/json; charset=utf-8';
const GRAPHQL_TYPE = 'application/graphql-response+json; charset=utf-8';
const GR = 'application/graphql-response+json';
const PREFLIGHT = { 'GraphQL-Require-Preflight': '1' };

/** Starts `gqld serve` on a free port with the test schema and flags. */
function serve(flags = []) {
  return startServer(gqld, ['serve', '--schema', SCHEMA, '--data', DATA,
    '--listen', '127.0.0.1:0', ...flags]);
}

const servers = {};
const started = [];

async function server(name, flags) {
  const s = await serve(flags);
  servers[name] = s;
  started.push(s);
  return s;
}

before(async () => {
  await Promise.all([
    server('main', []),
    server('forms', ['--read-form-on-post=true']),
    server('options', ['--read-query-string-on-post=false', '--read-variables-from-query-string=false',
      '--read-extensions-from-query-string=false', '--enable-batched-requests=false']),
    server('serial', ['--execute-batched-requests-in-parallel=false', '--max-batch-size=3']),
    server('nocsrf', ['--csrf-protection-enabled=false', '--read-form-on-post=true']),
    server('headers', ['--csrf-protection-headers=X-One, X-Two', '--read-form-on-post=true']),
    server('getonly', ['--handle-post=false']),
    server('postonly', ['--handle-get=false']),
    server('draft', ['--draft-status-codes=true']),
    server('lenient', ['--validation-errors-return-bad-request=false']),
    server('debug', ['--debug']),
  ]);
});

after(async () => {
  for (const s of started) assert.equal(await s.stop(), 0, s.stderr());
});

/** One request: { status, type, headers, text, json }. */
async function send(srv, { method = 'GET', params, headers = {}, body, path = '/graphql' } = {}) {
  const url = new URL(path, srv.url);
  for (const [k, v] of Object.entries(params ?? {}))
    url.searchParams.set(k, typeof v === 'string' ? v : JSON.stringify(v));
  const res = await fetch(url, { method, headers, body });
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, type: res.headers.get('content-type'), headers: res.headers, text, json };
}

// GETs carry the CSRF header unless a test gives its own headers.
const get = (srv, params, headers = PREFLIGHT) => send(srv, { params, headers });

const post = (srv, payload, headers = {}, params) => send(srv, {
  method: 'POST', params, headers: { 'Content-Type': 'application/json', ...headers },
  body: typeof payload === 'string' ? payload : JSON.stringify(payload),
});

function assertError(r, status, pattern) {
  assert.equal(r.status, status, r.text);
  assert.ok(Array.isArray(r.json?.errors) && r.json.errors.length > 0, r.text);
  assert.equal(r.json.data, undefined, r.text);
  if (pattern) assert.match(r.json.errors[0].message, pattern);
}

describe('request forms', () => {
  test('GET with query, operationName, variables and extensions', async () => {
    let r = await get(servers.main, { query: '{ hello }' });
    assert.equal(r.status, 200);
    assert.equal(r.type, JSON_TYPE);
    assert.equal(r.headers.get('cache-control'), 'no-store');
    assert.deepEqual(r.json, { data: { hello: 'world' } });
    r = await get(servers.main, {
      query: 'query A { hello } query B($id: ID!) { book(id: $id) { title author { name } } }',
      operationName: 'B', variables: { id: '2' }, extensions: { trace: true },
    });
    assert.deepEqual(r.json, { data: { book: { title: 'Kindred', author: { name: 'Octavia E. Butler' } } } });
  });

  test('POST application/json', async () => {
    const r = await post(servers.main, {
      query: 'query Q($n: ID!) { book(id: $n) { id } books { year } }', variables: { n: '1' },
      operationName: 'Q', extensions: { some: 'value' },
    });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, { data: { book: { id: '2' }, books: [{ year: 1969 }, { year: 1979 }, { year: 1961 }] } });
  });

  test('POST application/graphql takes the other parameters from the query string', async () => {
    const r = await send(servers.main, {
      method: 'POST', headers: { 'Content-Type': 'application/graphql' },
      params: { operationName: 'B' }, body: 'query A { books { id } } query B { hello }',
    });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json, { data: { hello: 'world' } });
  });

  test('the query string fills what a POST body leaves out (read_query_string_on_post)', async () => {
    let r = await post(servers.main, { query: 'query A { hello } query B { echo }' }, {}, { operationName: 'B' });
    assert.deepEqual(r.json, { data: { echo: 'echo' } });
    r = await post(servers.main, { query: 'query A { hello } query B { echo }', operationName: 'A' }, {},
      { operationName: 'B' });
    assert.deepEqual(r.json, { data: { hello: 'world' } }, 'the body wins');
    r = await post(servers.main, {}, {}, { query: '{ hello }' });
    assert.deepEqual(r.json, { data: { hello: 'world' } });
    // Turned off: the query string is not read on POST.
    r = await post(servers.options, {}, {}, { query: '{ hello }' });
    assertError(r, 400, /"query" parameter is missing/);
  });

  test('read_variables_from_query_string and read_extensions_from_query_string', async () => {
    const q = 'query ($id: ID!) { book(id: $id) { id } }';
    let r = await get(servers.main, { query: q, variables: { id: '1' } });
    assert.deepEqual(r.json, { data: { book: { id: '2' } } });
    r = await get(servers.options, { query: q, variables: { id: '1' } }, { Accept: GR, ...PREFLIGHT });
    assertError(r, 400, /Variable "\$id"/);
    // Extensions that are not JSON are refused when read, ignored when not.
    r = await get(servers.main, { query: '{ hello }', extensions: 'not json' });
    assertError(r, 400, /"extensions" parameter is not valid JSON/);
    r = await get(servers.options, { query: '{ hello }', extensions: 'not json' });
    assert.deepEqual(r.json, { data: { hello: 'world' } });
  });

  test('url-encoded forms (read_form_on_post)', async () => {
    const form = new URLSearchParams({ query: 'query Q($id: ID!) { book(id: $id) { id } }', variables: '{"id":"3"}' });
    let r = await send(servers.forms, { method: 'POST', headers: PREFLIGHT, body: form });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json, { data: { book: { id: '2' } } });
    // A form may carry "operations" as JSON, a batch too.
    r = await send(servers.forms, {
      method: 'POST', headers: PREFLIGHT,
      body: new URLSearchParams({ operations: JSON.stringify([{ query: '{ hello }' }, { query: '{ echo }' }]) }),
    });
    assert.deepEqual(r.json, [{ data: { hello: 'world' } }, { data: { echo: 'echo' } }]);
    // Off by default: 415.
    r = await send(servers.main, { method: 'POST', headers: PREFLIGHT, body: form });
    assertError(r, 415, /Unsupported Content-Type/);
  });

  test('multipart forms: plain fields, and operations with map', async () => {
    let fd = new FormData();
    fd.append('query', 'query Q { hello }');
    fd.append('operationName', 'Q');
    let r = await send(servers.forms, { method: 'POST', headers: PREFLIGHT, body: fd });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json, { data: { hello: 'world' } });
    fd = new FormData();
    fd.append('operations', JSON.stringify({ query: 'query ($t: String) { echo(text: $t) }', variables: { t: 'x' } }));
    fd.append('map', '{}');
    r = await send(servers.forms, { method: 'POST', headers: PREFLIGHT, body: fd });
    assert.deepEqual(r.json, { data: { echo: 'echo' } });
    // A body that ends early says why.
    r = await send(servers.forms, {
      method: 'POST', headers: { ...PREFLIGHT, 'Content-Type': 'multipart/form-data; boundary=zz' },
      body: '--zz\r\nContent-Disposition: form-data; name="query"\r\n\r\n{ hello }\r\n',
    });
    assertError(r, 400, /final boundary/);
    fd = new FormData();
    fd.append('query', '{ hello }');
    r = await send(servers.main, { method: 'POST', headers: PREFLIGHT, body: fd });
    assertError(r, 415);
  });
});

describe('batches', () => {
  const batch = [
    { query: '{ hello }' },
    { query: '{ nope }' },
    { query: 'query ($id: ID!) { book(id: $id) { title } }', variables: { id: '9' } },
    { query: 'mutation { setGreeting(text: "hi") }' },
    { query: '{ broken }' },
  ];
  const expected = (r) => {
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.length, 5);
    assert.deepEqual(r.json[0], { data: { hello: 'world' } });
    assert.equal(r.json[1].data, undefined);
    assert.match(r.json[1].errors[0].message, /Cannot query field "nope"/);
    assert.deepEqual(r.json[2], { data: { book: { title: 'Kindred' } } });
    assert.deepEqual(r.json[3], { data: { setGreeting: 'greeting set' } });
    assert.equal(r.json[4].data, null);
    assert.match(r.json[4].errors[0].message, /Cannot return null for non-nullable field Query.broken/);
  };

  test('in parallel: one response per request, in order, failures in place', async () => {
    expected(await post(servers.main, batch));
    expected(await post(servers.main, batch, { Accept: GR }));
  });

  test('one after another: the same answer', async () => {
    const r = await post(servers.serial, batch.slice(0, 3));
    assert.equal(r.json.length, 3);
    assert.deepEqual(r.json[0], { data: { hello: 'world' } });
    assert.deepEqual(r.json[2], { data: { book: { title: 'Kindred' } } });
  });

  test('limits and refusals', async () => {
    let r = await post(servers.serial, batch);
    assertError(r, 400, /The batch holds 5 requests; at most 3 are allowed/);
    r = await post(servers.options, [{ query: '{ hello }' }]);
    assertError(r, 400, /Batched requests are not supported/);
    r = await post(servers.main, []);
    assertError(r, 400, /holds no request/);
    r = await post(servers.main, [{ query: '{ hello }' }, { query: 5 }]);
    assertError(r, 400, /Batch request 2: The "query" parameter must be a string/);
    const many = Array.from({ length: 101 }, () => ({ query: '{ hello }' }));
    assertError(await post(servers.main, many), 400, /at most 100/);
    r = await post(servers.main, many.slice(1));
    assert.equal(r.json.length, 100);
  });
});

describe('media types', () => {
  const q = { query: '{ hello }' };
  for (const [accept, type] of [
    [undefined, JSON_TYPE],
    ['*/*', JSON_TYPE],
    ['application/json', JSON_TYPE],
    ['application/*', JSON_TYPE],
    [GR, GRAPHQL_TYPE],
    [`${GR}, application/json;q=0.9`, GRAPHQL_TYPE],
    [`application/json, ${GR}`, GRAPHQL_TYPE],
    [`application/json, ${GR};q=0.5`, JSON_TYPE],
    ['text/html,application/xhtml+xml,*/*;q=0.8', JSON_TYPE],
  ]) {
    test(`Accept ${accept ?? '(none)'} -> ${type}`, async () => {
      const r = await post(servers.main, q, accept ? { Accept: accept } : {});
      assert.equal(r.status, 200);
      assert.equal(r.type, type);
      assert.deepEqual(r.json, { data: { hello: 'world' } });
    });
  }

  test('406 when neither type is acceptable', async () => {
    for (const accept of ['text/html', 'application/xml', 'application/json;q=0']) {
      const r = await post(servers.main, q, { Accept: accept });
      assertError(r, 406, /Accept header/);
      assert.equal(r.type, JSON_TYPE);
    }
  });

  test('UTF-8 in and out; other charsets refused', async () => {
    let r = await post(servers.main, { query: '{ books { author { name } } }' },
      { 'Content-Type': 'application/json; charset=utf-8' });
    assert.equal(r.json.data.books[2].author.name, 'Stanisław Lem');
    r = await post(servers.main, q, { 'Content-Type': 'application/json; charset=iso-8859-1' });
    assertError(r, 415, /UTF-8/);
  });
});

describe('status codes', () => {
  const cases = [
    // [name, body, status with application/json, with graphql-response+json]
    ['parse failure', { query: '{' }, 200, 400],
    ['validation failure', { query: '{ nope }' }, 200, 400],
    ['variable coercion failure', { query: 'query ($id: ID!) { book(id: $id) { id } }', variables: { id: null } },
      200, 400],
    ['unknown operation name', { query: '{ hello }', operationName: 'X' }, 200, 400],
    ['field error, data present', { query: '{ hello broken }' }, 200, 200],
  ];
  for (const [name, body, json, gr] of cases) {
    test(name, async () => {
      const a = await post(servers.main, body, { Accept: 'application/json' });
      assert.equal(a.status, json, a.text);
      assert.ok(a.json.errors.length > 0);
      const b = await post(servers.main, body, { Accept: GR });
      assert.equal(b.status, gr, b.text);
      assert.equal(b.type, GRAPHQL_TYPE);
      if (gr !== 200) assert.equal(b.json.data, undefined);
    });
  }

  test('draft_status_codes: 422 for documents that fail to parse or validate', async () => {
    const h = { Accept: GR };
    assert.equal((await post(servers.draft, { query: '{' }, h)).status, 422);
    assert.equal((await post(servers.draft, { query: '{ nope }' }, h)).status, 422);
    assert.equal((await post(servers.draft, { query: 'query ($id: ID!) { book(id: $id) { id } }' }, h)).status, 400);
    assert.equal((await post(servers.draft, { query: '{ nope }' })).status, 200);
    assert.equal((await post(servers.main, { query: '{ nope }' }, h)).status, 400);
  });

  test('validation_errors_return_bad_request off: 200 for request errors', async () => {
    const r = await post(servers.lenient, { query: '{ nope }' }, { Accept: GR });
    assert.equal(r.status, 200);
    assert.equal(r.json.data, undefined);
  });

  test('mutations over GET: 405 with Allow: POST, before anything runs', async () => {
    let r = await get(servers.main, { query: 'mutation { setGreeting(text: "x") }' });
    assertError(r, 405, /Only query operations can be sent with GET/);
    assert.equal(r.headers.get('allow'), 'POST');
    r = await get(servers.main, { query: 'query Q { hello } mutation M { setGreeting(text: "x") }', operationName: 'Q' });
    assert.deepEqual(r.json, { data: { hello: 'world' } });
    r = await get(servers.main, { query: 'subscription { ticks }' });
    assertError(r, 405);
    r = await post(servers.main, { query: 'mutation { setGreeting(text: "x") }' });
    assert.deepEqual(r.json, { data: { setGreeting: 'greeting set' } });
  });

  test('subscriptions over HTTP: 400', async () => {
    const r = await post(servers.main, { query: 'subscription { ticks }' }, { Accept: GR });
    assertError(r, 400, /Subscription operations are not supported over HTTP/);
  });
});

describe('malformed requests', () => {
  test('malformed or empty JSON: 400', async () => {
    for (const accept of ['application/json', GR]) {
      assertError(await post(servers.main, '{ "not a JSON', { Accept: accept }), 400, /not valid JSON/);
      assertError(await post(servers.main, '', { Accept: accept }), 400, /empty/);
      assertError(await post(servers.main, '"text"', { Accept: accept }), 400, /must be a JSON object/);
    }
  });

  test('parameters of the wrong type: 400', async () => {
    for (const [body, pattern] of [
      [{ notquery: '{ hello }' }, /"query" parameter is missing/],
      [{ query: { obj: 'ect' } }, /"query" parameter must be a string, not object/],
      [{ query: 0 }, /not number/],
      [{ query: false }, /not boolean/],
      [{ query: ['array'] }, /not array/],
      [{ query: '{ hello }', operationName: 0 }, /"operationName" parameter must be a string or null/],
      [{ query: '{ hello }', variables: 'string' }, /"variables" parameter must be an object or null, not string/],
      [{ query: '{ hello }', variables: [] }, /not array/],
      [{ query: '{ hello }', extensions: false }, /"extensions" parameter must be an object or null/],
    ]) assertError(await post(servers.main, body), 400, pattern);
    // null parameters are absent.
    const r = await post(servers.main, { query: '{ hello }', variables: null, operationName: null, extensions: null });
    assert.deepEqual(r.json, { data: { hello: 'world' } });
    assertError(await get(servers.main, {}), 400, /"query" parameter is missing/);
    assertError(await get(servers.main, { query: '{ hello }', variables: '[1]' }), 400, /must be a JSON object/);
    const bad = await fetch(new URL('/graphql?query=%zz', servers.main.url));
    assert.equal(bad.status, 400);
  });

  test('content types: missing or unsupported', async () => {
    // Without CSRF protection the content type itself is judged.
    // (fetch labels string bodies text/plain; bytes go without a type.)
    let r = await send(servers.nocsrf, { method: 'POST', body: Buffer.from('{"query":"{ hello }"}') });
    assertError(r, 415, /no Content-Type/);
    for (const ct of ['application/xml', 'text/plain', 'application/graphql-response+json', 'json']) {
      r = await send(servers.nocsrf, { method: 'POST', headers: { 'Content-Type': ct }, body: '{"query":"{ hello }"}' });
      assertError(r, 415, /Unsupported Content-Type/);
    }
  });

  test('methods: 405 with Allow; handle_get and handle_post', async () => {
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      const r = await send(servers.main, { method, headers: PREFLIGHT, body: '{}' });
      assertError(r, 405);
      assert.equal(r.headers.get('allow'), 'GET, POST');
    }
    let r = await post(servers.getonly, { query: '{ hello }' });
    assertError(r, 405);
    assert.equal(r.headers.get('allow'), 'GET');
    r = await get(servers.getonly, { query: '{ hello }' });
    assert.equal(r.status, 200);
    r = await get(servers.postonly, { query: '{ hello }' });
    assertError(r, 405);
    assert.equal(r.headers.get('allow'), 'POST');
    r = await post(servers.postonly, { query: '{ hello }' });
    assert.equal(r.status, 200);
    // A mutation over GET on a server without POST: nothing to allow.
    r = await get(servers.getonly, { query: 'mutation { setGreeting(text: "x") }' });
    assertError(r, 405);
    assert.equal(r.headers.get('allow'), '');
  });
});

describe('CSRF protection', () => {
  const form = () => new URLSearchParams({ query: '{ hello }' });

  test('POST JSON passes; simple content types need the header', async () => {
    assert.equal((await post(servers.forms, { query: '{ hello }' })).status, 200);
    for (const [headers, body] of [
      [{}, form()],
      [{ 'Content-Type': 'text/plain' }, '{"query":"{ hello }"}'],
      [{}, Buffer.from('{"query":"{ hello }"}')], // no Content-Type at all
    ]) {
      const r = await send(servers.forms, { method: 'POST', headers, body });
      assertError(r, 400, /cross-site request forgery.*GraphQL-Require-Preflight/);
    }
    const fd = new FormData();
    fd.append('query', '{ hello }');
    assertError(await send(servers.forms, { method: 'POST', body: fd }), 400, /cross-site/);
    assert.equal((await send(servers.forms, { method: 'POST', headers: PREFLIGHT, body: form() })).status, 200);
    // An empty header does not count.
    const r = await send(servers.forms, { method: 'POST', headers: { 'GraphQL-Require-Preflight': '' }, body: form() });
    assertError(r, 400, /cross-site/);
  });

  test('GET needs the header, whatever the credentials', async () => {
    const q = { query: '{ hello }' };
    assertError(await get(servers.main, q, {}), 400, /cross-site request forgery.*GraphQL-Require-Preflight/);
    assertError(await get(servers.main, q, { Cookie: 'session=1' }), 400, /cross-site/);
    assertError(await get(servers.main, q, { Authorization: 'Bearer abc.def' }), 400, /cross-site/);
    assert.equal((await get(servers.main, q)).status, 200);
    assert.equal((await get(servers.main, q, { Cookie: 'session=1', ...PREFLIGHT })).status, 200);
  });

  test('csrf_protection_headers: the configured names only', async () => {
    const q = { query: '{ hello }' };
    assertError(await get(servers.headers, q, { Cookie: 'a=b', ...PREFLIGHT }), 400, /X-One or X-Two/);
    assert.equal((await get(servers.headers, q, { Cookie: 'a=b', 'X-Two': 'yes' })).status, 200);
    assert.equal((await send(servers.headers, { method: 'POST', headers: { 'X-One': '1' }, body: form() })).status, 200);
  });

  test('csrf_protection_enabled off', async () => {
    assert.equal((await send(servers.nocsrf, { method: 'POST', body: form() })).status, 200);
    assert.equal((await get(servers.nocsrf, { query: '{ hello }' }, { Cookie: 'a=b' })).status, 200);
  });
});

describe('configuration', () => {
  test('/server_info describes the endpoint, debug exposes internal errors', async () => {
    const info = async (srv) => (await send(srv, { path: '/server_info' })).json;
    const main = (await info(servers.main)).endpoints[0];
    assert.equal(main.path, '/graphql');
    assert.equal(main.handle_get, true);
    assert.equal(main.enable_batched_requests, true);
    assert.equal(main.max_batch_size, 100);
    assert.equal(main.csrf_protection_enabled, true);
    assert.deepEqual(main.csrf_protection_headers, ['GraphQL-Require-Preflight']);
    assert.equal(main.read_form_on_post, false);
    assert.equal(main.validation_errors_return_bad_request, true);
    assert.equal(main.draft_status_codes, false);
    assert.equal(main.expose_internal_errors, false);
    const headers = (await info(servers.headers)).endpoints[0];
    assert.deepEqual(headers.csrf_protection_headers, ['X-One', 'X-Two']);
    const serial = (await info(servers.serial)).endpoints[0];
    assert.equal(serial.execute_batched_requests_in_parallel, false);
    assert.equal(serial.max_batch_size, 3);
    assert.equal((await info(servers.debug)).endpoints[0].expose_internal_errors, true);
  });
});
