// tests/diff/exec.test.mjs — gqld's execution against graphql-js 17's.
//
// Every case is an operation over tests/data/exec/schema.graphql with the
// root value tests/data/exec/data.json (or none), optional variables and an
// optional operation name. For each, graphql-js's
//   JSON.stringify(await graphql({ schema, source, rootValue, variableValues, operationName }))
// must equal the standard output of
//   gqld exec --schema S [--data D] (--query Q | --query-file F) [--variables V] [--operation N]
// byte for byte (plus a newline), and gqld's exit status must be 0 when the
// response has "data" and 1 when it has not (request errors). Cases:
// tests/data/exec/cases.json (hand-written) and ~340 operations from the
// seeded generator in exec_gen.mjs (EXEC_SEED changes the seed). A few
// command-line errors must exit with status 2.
//
// Run with GQLD=path/to/gqld (ctest sets it). EXEC_REPORT=FILE writes every
// mismatch to FILE, not only the first ones shown by the failed assertion.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSchema, graphql } from 'graphql';
import { generateCases } from './exec_gen.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const GQLD = path.resolve(ROOT, process.env.GQLD ?? 'build/gqld');
const DATA_DIR = path.join(ROOT, 'tests', 'data', 'exec');
const SCHEMA_PATH = path.join(DATA_DIR, 'schema.graphql');
const DATA_PATH = path.join(DATA_DIR, 'data.json');
const SEED = Number(process.env.EXEC_SEED ?? 20250117);
const SHOWN = 25; // mismatches printed by a failing assertion

const schema = buildSchema(fs.readFileSync(SCHEMA_PATH, 'utf8'));
const rootValue = JSON.parse(fs.readFileSync(DATA_PATH, 'utf8'));

// Variables are kept as JSON text when a case gives text (numbers such as
// 1e400 or 1.0 that a JavaScript value cannot keep), as values otherwise.
function variablesText(c) {
  if (c.variables === undefined) return undefined;
  return typeof c.variables === 'string' ? c.variables : JSON.stringify(c.variables);
}

async function reference(c) {
  const text = variablesText(c);
  const result = await graphql({
    schema,
    source: c.query,
    rootValue: c.noData ? undefined : rootValue,
    variableValues: text === undefined ? undefined : JSON.parse(text),
    operationName: c.operationName,
  });
  return { text: JSON.stringify(result), status: 'data' in result ? 0 : 1 };
}

function run(args) {
  return new Promise((resolve, reject) => {
    const p = spawn(GQLD, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 20000 });
    const out = [];
    const err = [];
    p.stdout.on('data', (b) => out.push(b));
    p.stderr.on('data', (b) => err.push(b));
    p.on('error', reject);
    p.on('close', (status, signal) => resolve({
      status, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'),
    }));
  });
}

// Runs fn over items, at most `limit` at a time, keeping the order.
async function mapLimit(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  async function worker() {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function gqldArgs(c, i, tmp, extra = []) {
  const args = ['exec', ...extra, '--schema', SCHEMA_PATH];
  if (!c.noData) args.push('--data', DATA_PATH);
  // Every fifth query goes through a file, so both ways are exercised.
  if (i % 5 === 4) {
    const file = path.join(tmp, `q${i}.graphql`);
    fs.writeFileSync(file, c.query);
    args.push('--query-file', file);
  } else {
    args.push('--query', c.query);
  }
  const vars = variablesText(c);
  if (vars !== undefined) args.push('--variables', vars);
  if (c.operationName !== undefined) args.push('--operation', c.operationName);
  return args;
}

function describe(c, want, got) {
  const lines = [`--- ${c.name}`, `query: ${c.query}`];
  if (c.variables !== undefined) lines.push(`variables: ${variablesText(c)}`);
  if (c.operationName !== undefined) lines.push(`operationName: ${c.operationName}`);
  if (c.noData) lines.push('root value: none');
  lines.push(`expected (exit ${want.status}): ${want.text}`);
  lines.push(`got      (exit ${got.status}${got.signal ? ', ' + got.signal : ''}): ${got.stdout.replace(/\n$/, '')}`);
  if (got.stderr) lines.push(`stderr: ${got.stderr.slice(0, 500).trimEnd()}`);
  return lines.join('\n');
}

async function compare(cases, label, extra = []) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gqld-exec-'));
  try {
    const wants = [];
    for (const c of cases) wants.push(await reference(c));
    const gots = await mapLimit(cases, 2, (c, i) => run(gqldArgs(c, i, tmp, extra)));
    const mismatches = [];
    cases.forEach((c, i) => {
      const want = wants[i];
      const got = gots[i];
      if (got.stdout === want.text + '\n' && got.status === want.status) return;
      mismatches.push(describe(c, want, got));
    });
    if (mismatches.length && process.env.EXEC_REPORT) {
      fs.appendFileSync(process.env.EXEC_REPORT, `== ${label}: ${mismatches.length} of ${cases.length} differ\n` +
        mismatches.join('\n') + '\n');
    }
    assert.equal(mismatches.length, 0,
      `${mismatches.length} of ${cases.length} ${label} cases differ from graphql-js:\n` +
      mismatches.slice(0, SHOWN).join('\n'));
    return wants;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

test('gqld has the exec command', async () => {
  const r = await run(['exec', '--help']);
  assert.ok(!/unknown command/.test(r.stderr), `gqld exec is missing: ${r.stderr.trim()}`);
});

test('hand-written cases match graphql-js', async () => {
  const cases = JSON.parse(fs.readFileSync(path.join(DATA_DIR, 'cases.json'), 'utf8'));
  assert.ok(cases.length >= 150, `only ${cases.length} cases`);
  const names = new Set(cases.map((c) => c.name));
  assert.equal(names.size, cases.length, 'case names must be unique');
  const wants = await compare(cases, 'hand-written');
  // The mix, so that a broken data file (everything an error) is noticed.
  const requestErrors = wants.filter((w) => w.status === 1).length;
  const clean = wants.filter((w) => !w.text.startsWith('{"errors"')).length;
  assert.ok(requestErrors >= 40 && clean >= 100, `request errors ${requestErrors}, clean ${clean}`);
});

test('generated cases match graphql-js', async () => {
  const cases = generateCases(schema, { seed: SEED });
  assert.ok(cases.length >= 300, `only ${cases.length} cases`);
  await compare(cases, `generated (seed ${SEED})`);
});

test('--assume-valid changes nothing for a valid schema', async () => {
  const cases = JSON.parse(fs.readFileSync(path.join(DATA_DIR, 'cases.json'), 'utf8'))
    .filter((c, i) => i % 25 === 0);
  await compare(cases, 'assume-valid', ['--assume-valid']);
});

test('command-line and file errors exit with status 2', async () => {
  const missing = path.join(os.tmpdir(), 'gqld-exec-no-such-file');
  const runs = [
    ['exec', '--schema', missing, '--query', '{ greeting }'],
    ['exec', '--schema', SCHEMA_PATH, '--data', missing, '--query', '{ greeting }'],
    ['exec', '--schema', SCHEMA_PATH, '--query-file', missing],
    ['exec', '--schema', SCHEMA_PATH],
    ['exec', '--query', '{ greeting }'],
    ['exec', '--schema', SCHEMA_PATH, '--query', '{ greeting }', '--no-such-option'],
    ['exec', '--schema', SCHEMA_PATH, '--query', '{ greeting }', '--variables', '{"a": '],
  ];
  for (const args of runs) {
    const r = await run(args);
    assert.equal(r.status, 2, `gqld ${args.join(' ')}: exit ${r.status}\n${r.stdout}${r.stderr}`);
  }
});
