// tests/diff/schema_validation.test.mjs — gqld's schema validation against graphql-js.
//
// For every SDL file under tests/data/schema/invalid/<rule>/ (and the
// GitHub public schema), `gqld schema FILE` must exit with status 1 and
// print exactly graphql-js's errors: same count, same order, same
// locations (one "FILE:LINE:COLUMN: message" line per location) and the
// same messages. graphql-js's buildSchema() stops at the first stage with
// one aggregated Error, so the reference errors are collected the way
// buildSchema runs the stages: validateSDL(document) first, and only when
// that is clean validateSchema(buildASTSchema(document, {assumeValidSDL})).
//
// Run: GQLD=build/gqld node --test tests/diff/schema_validation.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parse } from 'graphql/language/parser.js';
import { validateSDL } from 'graphql/validation/validate.js';
import { buildASTSchema } from 'graphql/utilities/buildASTSchema.js';
import { validateSchema } from 'graphql/type/validate.js';

const root = new URL('../..', import.meta.url).pathname;
const gqld = resolve(process.cwd(), process.env.GQLD ?? join(root, 'build', 'gqld'));
const dataDir = join(root, 'tests', 'data', 'schema', 'invalid');
const github = join(root, 'node_modules', '@octokit', 'graphql-schema', 'schema.graphql');

// Files whose messages are allowed to differ from graphql-js, with the
// reason. Locations and counts must agree even for these. Empty: every
// case currently matches graphql-js 17.1.0 byte for byte.
const allowedMessageDifferences = new Map([
  // ['rule/file.graphql', 'reason'],
]);

function referenceErrors(text) {
  let doc;
  try {
    doc = parse(text);
  } catch (e) {
    return [e];
  }
  const sdlErrors = validateSDL(doc);
  if (sdlErrors.length > 0) return sdlErrors;
  return validateSchema(buildASTSchema(doc, { assumeValidSDL: true }));
}

function formatErrors(file, errors) {
  const lines = [];
  for (const e of errors) {
    if (!e.locations || e.locations.length === 0) lines.push(`${file}: ${e.message}`);
    else for (const l of e.locations) lines.push(`${file}:${l.line}:${l.column}: ${e.message}`);
  }
  return lines.join('\n');
}

// Splits "FILE:L:C: message" output into records, keeping multi-line
// messages (printed values wider than 80 columns) with their first line.
function records(output, file) {
  const out = [];
  for (const line of output.split('\n')) {
    if (line.startsWith(file + ':')) out.push(line);
    else if (out.length > 0) out[out.length - 1] += '\n' + line;
  }
  return out;
}

function check(path, display, cwd = root) {
  const text = readFileSync(path, 'utf8');
  const expected = formatErrors(display, referenceErrors(text));
  const run = spawnSync(gqld, ['schema', display], { cwd, encoding: 'utf8' });
  assert.equal(run.status, 1, `gqld should reject ${display}; stderr: ${run.stderr}`);
  const actual = run.stderr.replace(/\n$/, '');
  const exp = records(expected, display);
  const act = records(actual, display);
  assert.equal(act.length, exp.length, `error line count for ${display}\n${actual}\n---\n${expected}`);
  const loc = (r) => r.slice(0, r.indexOf(': '));
  assert.deepEqual(act.map(loc), exp.map(loc), `locations for ${display}`);
  if (!allowedMessageDifferences.has(display)) assert.equal(actual, expected);
}

function collect(dir) {
  const files = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) files.push(...collect(p));
    else if (name.endsWith('.graphql')) files.push(p);
  }
  return files;
}

const files = collect(dataDir);

test('every rule has at least three invalid schemas', () => {
  const perRule = new Map();
  for (const f of files) {
    const rule = relative(dataDir, f).split('/')[0];
    perRule.set(rule, (perRule.get(rule) ?? 0) + 1);
  }
  for (const [rule, n] of perRule) assert.ok(n >= 3, `${rule} has ${n} files`);
});

for (const f of files) {
  const display = relative(root, f);
  test(`schema validation: ${relative(dataDir, f)}`, () => {
    assert.ok(referenceErrors(readFileSync(f, 'utf8')).length > 0,
              'graphql-js must reject every file under invalid/');
    check(f, display);
  });
}

test('GitHub public schema: same errors as graphql-js', () => {
  check(github, relative(root, github));
});

// With its duplicate fields renamed, the GitHub schema passes stage 1 and
// reaches stage 2, where graphql-js 17 reports deprecated implementation
// fields of non-deprecated interface fields: gqld must report the same.
test('GitHub public schema, duplicates renamed: same stage-2 errors', () => {
  const lines = readFileSync(github, 'utf8').split('\n');
  const seen = new Set();
  let inType = false;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].startsWith('type EnterpriseOwnerInfo ')) inType = true;
    else if (inType && lines[i].startsWith('}')) inType = false;
    const m = inType && /^  (repositoryDeployKeySetting\w*)/.exec(lines[i]);
    if (m) {
      if (seen.has(m[1])) lines[i] = lines[i].replace(m[1], m[1] + 'Renamed');
      seen.add(m[1]);
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'gqld-sv-'));
  try {
    writeFileSync(join(dir, 'github.graphql'), lines.join('\n'));
    const ref = referenceErrors(lines.join('\n'));
    assert.ok(ref.length > 0);
    assert.ok(ref.every((e) => !/defined once/.test(e.message)));
    check(join(dir, 'github.graphql'), 'github.graphql', dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
