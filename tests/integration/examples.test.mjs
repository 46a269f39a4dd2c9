// tests/integration/examples.test.mjs — the example programs answer as the
// README says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { buildDir, startServer } from './lib/server.mjs';

test('hello_server answers GET /graphql?query={hero}', { timeout: 20000 }, async () => {
  const server = await startServer(path.join(buildDir, 'examples', 'hello_server'), ['127.0.0.1:0']);
  try {
    const res = await fetch(`${server.url}/graphql?query={hero}`);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), '{"data":{"hero":"Luke Skywalker"}}');
  } finally {
    assert.equal(await server.stop(), 0);
  }
});
