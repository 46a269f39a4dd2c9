// tests/integration/audit.test.mjs — the graphql-http server audits (the
// GraphQL-over-HTTP specification's MUST, SHOULD and MAY checks) against
// `gqld serve` with its default options: every audit must pass.
//
// Environment: GQLD (default build/gqld).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serverAudits } from 'graphql-http';
import { startServer, gqld } from './lib/server.mjs';

let server;

before(async () => {
  server = await startServer(gqld, ['serve', '--schema', 'tests/data/http/schema.graphql',
    '--data', 'tests/data/http/data.json', '--listen', '127.0.0.1:0']);
});

after(async () => {
  if (server) assert.equal(await server.stop(), 0, server.stderr());
});

test('graphql-http server audits all pass with the default options', async (t) => {
  // CSRF protection is on by default and refuses GETs without the
  // GraphQL-Require-Preflight header (the seed's rule), so the audit's
  // requests carry it, as a browser client's script would.
  const fetchFn = (input, init = {}) => {
    const headers = new Headers(init.headers);
    headers.set('GraphQL-Require-Preflight', '1');
    return fetch(input, { ...init, headers });
  };
  const audits = serverAudits({ url: `${server.url}/graphql`, fetchFn });
  // graphql-http 1.23.1 has 61: 13 MUST, 23 SHOULD, 25 MAY.
  assert.ok(audits.length >= 61, `only ${audits.length} audits`);
  const failures = [];
  for (const audit of audits) {
    await t.test(`${audit.id} ${audit.name}`, async () => {
      const result = await audit.fn();
      if (result.status !== 'ok') failures.push(`${audit.id} ${audit.name}: ${result.reason}`);
      assert.equal(result.status, 'ok', result.reason);
    });
  }
  assert.deepEqual(failures, []);
});
