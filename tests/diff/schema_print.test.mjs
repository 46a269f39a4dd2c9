// tests/diff/schema_print.test.mjs — differential tests of schema building
// and printing against graphql-js.
//
// For every SDL file, `gqld schema FILE` must print exactly what graphql-js's
// printSchema(buildSchema(sdl)) prints (plus one "\n"), and
// `gqld schema --type-map FILE` must list the types in the order of
// Object.keys(schema.getTypeMap()) — the order introspection returns them
// in, which depends on graphql-js's GraphQLSchema constructor walking the
// types depth first.
//
// Corpora:
//   tests/data/schema/valid/*.graphql  every type-system feature; built with
//                                      validation on both sides
//   node_modules/@octokit/graphql-schema/schema.graphql  GitHub's public
//      schema (1.2 MB). It repeats some fields, which validation rejects, so
//      both sides build it with validation off (graphql-js: assumeValid and
//      assumeValidSDL; gqld: --assume-valid).
//
// Environment: GQLD (path of gqld, default build/gqld).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSchema, printSchema } from 'graphql';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BUILD = path.resolve(ROOT, process.env.GQL_BUILD_DIR ?? 'build');
const GQLD = path.resolve(ROOT, process.env.GQLD ?? path.join(BUILD, 'gqld'));
const VALID_DIR = path.join(ROOT, 'tests/data/schema/valid');
const GITHUB_SCHEMA = path.join(ROOT, 'node_modules/@octokit/graphql-schema/schema.graphql');

function gqld(args) {
  const r = spawnSync(GQLD, ['schema', ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  return r;
}

function reference(file, assumeValid) {
  const sdl = fs.readFileSync(file, 'utf8');
  const options = assumeValid ? { assumeValid: true, assumeValidSDL: true } : undefined;
  const schema = buildSchema(sdl, options);
  return { printed: printSchema(schema) + '\n', typeMap: Object.keys(schema.getTypeMap()) };
}

function check(file, assumeValid) {
  const flags = assumeValid ? ['--assume-valid'] : [];
  const expected = reference(file, assumeValid);

  const printed = gqld([...flags, file]);
  assert.equal(printed.stderr, '', `gqld schema reported errors for ${file}`);
  assert.equal(printed.status, 0);
  assert.equal(printed.stdout, expected.printed);

  const order = gqld([...flags, '--type-map', file]);
  assert.equal(order.status, 0, order.stderr);
  assert.deepEqual(order.stdout.split('\n').filter(Boolean), expected.typeMap);
}

const files = fs
  .readdirSync(VALID_DIR)
  .filter((f) => f.endsWith('.graphql'))
  .sort();

test('the corpus is not empty', () => {
  assert.ok(files.length > 0, `no .graphql files in ${VALID_DIR}`);
});

for (const name of files) {
  test(`printSchema and type map: ${name}`, () => check(path.join(VALID_DIR, name), false));
}

test('printSchema and type map: GitHub public schema (assume valid)', { skip: !fs.existsSync(GITHUB_SCHEMA) }, () =>
  check(GITHUB_SCHEMA, true),
);

test('printing is idempotent: print(build(print(x))) == print(x)', () => {
  for (const name of files) {
    const first = gqld([path.join(VALID_DIR, name)]);
    assert.equal(first.status, 0, first.stderr);
    const tmp = path.join(fs.mkdtempSync(path.join(BUILD, 'schema-print-')), name);
    fs.writeFileSync(tmp, first.stdout);
    const second = gqld([tmp]);
    fs.rmSync(path.dirname(tmp), { recursive: true });
    assert.equal(second.status, 0, second.stderr);
    assert.equal(second.stdout, first.stdout, name);
  }
});

test('invalid SDL: errors as FILE:LINE:COLUMN: message and exit status 1', () => {
  const dir = fs.mkdtempSync(path.join(BUILD, 'schema-print-'));
  const file = path.join(dir, 'bad.graphql');
  fs.writeFileSync(file, 'type Query {\n  a: Missing\n}\n');
  const r = gqld([file]);
  fs.rmSync(dir, { recursive: true });
  assert.equal(r.status, 1);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /bad\.graphql:2:6: Unknown type "Missing"\./);
});

test('syntax error: one located error and exit status 1', () => {
  const dir = fs.mkdtempSync(path.join(BUILD, 'schema-print-'));
  const file = path.join(dir, 'syntax.graphql');
  fs.writeFileSync(file, 'type Query {\n  a: \n}\n');
  const r = gqld([file]);
  fs.rmSync(dir, { recursive: true });
  assert.equal(r.status, 1);
  assert.equal(r.stderr, `${file}:3:1: Syntax Error: Expected Name, found "}".\n`);
});

test('assume valid: an unknown type is still an error, located', () => {
  const dir = fs.mkdtempSync(path.join(BUILD, 'schema-print-'));
  const file = path.join(dir, 'unknown.graphql');
  fs.writeFileSync(file, 'type Query {\n  a: [Missing!]\n}\n');
  const r = gqld(['--assume-valid', file]);
  fs.rmSync(dir, { recursive: true });
  assert.equal(r.status, 1);
  assert.equal(r.stderr, `${file}:2:7: Unknown type: "Missing".\n`);
});
