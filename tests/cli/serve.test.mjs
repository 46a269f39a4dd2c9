// tests/cli/serve.test.mjs — `gqld serve`'s command line: flags, a JSON
// configuration file (kebab-case and PascalCase keys, several endpoints),
// usage errors and --help.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gqld, startServer } from '../integration/lib/server.mjs';

const SCHEMA = 'examples/starwars/schema.graphql';
const DATA = 'examples/starwars/data.json';

function run(args) {
  return spawnSync(gqld, args, { encoding: 'utf8', timeout: 10000 });
}

test('--help lists every option with its default', () => {
  const r = run(['serve', '--help']);
  assert.equal(r.status, 0);
  for (const name of ['--listen', '--workers', '--csrf-protection-enabled', '--read-form-on-post',
    '--enable-batched-requests', '--maximum-file-size', '--max-depth', '--config'])
    assert.match(r.stdout, new RegExp(name.replace(/-/g, '\\-')));
  assert.match(r.stdout, /--read-form-on-post\S*\s.*\(default false\)/);
});

test('usage errors exit 2 with a message', () => {
  for (const [args, message] of [
    [['serve'], /missing --schema/],
    [['serve', '--schema', SCHEMA, '--no-such-option'], /unknown option '--no-such-option'/],
    [['serve', '--schema', SCHEMA, '--workers', 'many'], /--workers: invalid value 'many'/],
    [['serve', '--schema', SCHEMA, '--handle-get=perhaps'], /--handle-get: invalid value 'perhaps'/],
    [['serve', '--data', DATA], /comes after the --schema/],
    [['serve', '--schema', 'no/such/file.graphql'], /no\/such\/file\.graphql/],
  ]) {
    const r = run(args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
  }
});

test('a configuration file sets options and endpoints; later flags win', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gqld-serve-'));
  const config = path.join(dir, 'config.json');
  fs.writeFileSync(config, JSON.stringify({
    listen: '127.0.0.1:0',
    ReadFormOnPost: true,
    'max-batch-size': 7,
    csrf_protection_enabled: false,
    endpoints: [
      { path: '/graphql', schema: SCHEMA, data: DATA },
      { path: '/graphql/other', schema: SCHEMA },
    ],
  }));
  const server = await startServer(gqld, ['serve', '--config', config, '--max-batch-size', '9']);
  try {
    const info = await (await fetch(`${server.url}/server_info`)).json();
    assert.equal(info.endpoints.length, 2);
    const [main, other] = info.endpoints;
    assert.equal(main.path, '/graphql');
    assert.equal(other.path, '/graphql/other');
    assert.equal(main.read_form_on_post, true);
    assert.equal(main.csrf_protection_enabled, false);
    assert.equal(main.max_batch_size, 9);
    let res = await fetch(`${server.url}/graphql?query={hero{name}}`);
    assert.deepEqual(await res.json(), { data: { hero: { name: 'R2-D2' } } });
    res = await fetch(`${server.url}/graphql/other?query={hero{name}}`);
    assert.deepEqual(await res.json(), { data: { hero: null } }, 'no data: a null root');
  } finally {
    assert.equal(await server.stop(), 0);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a bad configuration file is a usage error', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gqld-serve-'));
  const config = path.join(dir, 'config.json');
  for (const [text, message] of [
    ['{"listen": ', /config\.json:1:/],
    ['[]', /must be a JSON object/],
    ['{"Unknown": 1}', /unknown option "Unknown"/],
    ['{"workers": "x"}', /--workers: invalid value 'x'/],
    ['{"workers": -1}', /"workers" has a value of the wrong type/],
    ['{"endpoints": [{"path": "/g"}]}', /needs a "schema"/],
  ]) {
    fs.writeFileSync(config, text);
    const r = run(['serve', '--config', config]);
    assert.equal(r.status, 2, `${text}: ${r.stderr}`);
    assert.match(r.stderr, message, text);
  }
  fs.rmSync(dir, { recursive: true, force: true });
});
