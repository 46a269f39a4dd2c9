// tests/cli/format.test.mjs — the `gqld format` command line: input from a
// file, from standard input (no argument or "-"), the output contract
// (graphql-js's print() plus one "\n", exit 0), the error line
// "FILE:LINE:COLUMN: Syntax Error: message" with exit status 1, usage errors
// (exit 2), and the top-level help / version / unknown-command behaviour of
// src/gqld/main.c.
//
// Environment: GQLD (path of gqld; default build/gqld).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, print } from 'graphql';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const GQLD = path.resolve(ROOT, process.env.GQLD ?? path.join(process.env.GQL_BUILD_DIR ?? 'build', 'gqld'));
const GITHUB_SCHEMA = path.join(ROOT, 'node_modules/@octokit/graphql-schema/schema.graphql');
const skip = !fs.existsSync(GQLD) && `no gqld at ${GQLD}`;

const EXIT_OK = 0;
const EXIT_INVALID = 1;
const EXIT_USAGE = 2;

function gqld(args, input) {
  // Without input, standard input is /dev/null: gqld may exit without
  // reading it (usage errors), and writing to its closed pipe would fail
  // with EPIPE depending on timing.
  const stdin = input === undefined ? 'ignore' : 'pipe';
  const r = spawnSync(GQLD, args, {
    input, stdio: [stdin, 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024, timeout: 30_000,
  });
  if (r.error && !(r.error.code === 'EPIPE' && r.status !== null)) throw r.error;
  return { status: r.status, signal: r.signal, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') };
}

const expectedPrint = (text) => print(parse(text, { allowEmptySelectionSets: false })) + '\n';

const SAMPLE = 'query Q($a: Int = 1) { a(x: $a) { b } ...F }\nfragment F on T { c }';
const BROKEN = '{\n  a\n  b(c: )\n}\n'; // graphql-js: 3:8 Unexpected ")".

let tmp;
function tmpFile(name, content) {
  tmp ??= fs.mkdtempSync(path.join(os.tmpdir(), 'gqld-format-'));
  const p = path.join(tmp, name);
  fs.writeFileSync(p, content);
  return p;
}
test.after(() => { if (tmp) fs.rmSync(tmp, { recursive: true, force: true }); });

test('format FILE prints graphql-js print() and one newline', { skip }, () => {
  const file = tmpFile('sample.graphql', SAMPLE);
  const r = gqld(['format', file]);
  assert.equal(r.status, EXIT_OK, r.stderr);
  assert.equal(r.stderr, '');
  assert.equal(r.stdout, expectedPrint(SAMPLE));
  assert.ok(r.stdout.endsWith('}\n') && !r.stdout.endsWith('\n\n'), 'exactly one trailing newline');
});

test('format reads standard input with no argument and with "-"', { skip }, () => {
  for (const args of [['format'], ['format', '-']]) {
    const r = gqld(args, SAMPLE);
    assert.equal(r.status, EXIT_OK, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stdout, expectedPrint(SAMPLE), args.join(' '));
    assert.equal(r.stderr, '');
  }
});

test('a large document through a pipe (GitHub schema, 1.2 MB)', { skip: skip || (!fs.existsSync(GITHUB_SCHEMA) && 'no schema') }, () => {
  const text = fs.readFileSync(GITHUB_SCHEMA, 'utf8');
  const r = gqld(['format', '-'], text);
  assert.equal(r.status, EXIT_OK, r.stderr.slice(0, 500));
  assert.ok(r.stdout === expectedPrint(text), 'printed schema differs from graphql-js');
});

test('a syntax error in a FILE: "FILE:LINE:COLUMN: Syntax Error: ..." and exit 1', { skip }, () => {
  const file = tmpFile('broken.graphql', BROKEN);
  const r = gqld(['format', file]);
  assert.equal(r.status, EXIT_INVALID);
  assert.equal(r.stdout, '', 'nothing printed on stdout');
  assert.equal(r.stderr, `${file}:3:8: Syntax Error: Unexpected ")".\n`);
});

test('a syntax error on standard input is reported as <stdin>', { skip }, () => {
  for (const args of [['format'], ['format', '-']]) {
    const r = gqld(args, BROKEN);
    assert.equal(r.status, EXIT_INVALID, args.join(' '));
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, '<stdin>:3:8: Syntax Error: Unexpected ")".\n', args.join(' '));
  }
});

test('error columns count UTF-16 code units, lines split at CRLF and CR', { skip }, () => {
  // "😀" is 4 bytes in UTF-8 and 2 UTF-16 code units; "é" is 2 bytes and 1 unit.
  const cases = [
    ['{ a(s: "😀é") b: }', 1, 18, 'Expected Name, found "}".'],
    ['\ufeff{ a: }', 1, 7, 'Expected Name, found "}".'],
    ['{\r\n  a\r\n  b(c: )\r\n}', 3, 8, 'Unexpected ")".'],
    ['{\r  a\r  b(c: )\r}', 3, 8, 'Unexpected ")".'],
  ];
  for (const [text, line, column, message] of cases) {
    const r = gqld(['format', '-'], text);
    assert.equal(r.status, EXIT_INVALID, JSON.stringify(text));
    assert.equal(r.stderr, `<stdin>:${line}:${column}: Syntax Error: ${message}\n`, JSON.stringify(text));
  }
});

test('an empty document is a syntax error (Unexpected <EOF>)', { skip }, () => {
  for (const text of ['', '   \n', '# only a comment\n']) {
    const r = gqld(['format'], text);
    assert.equal(r.status, EXIT_INVALID, JSON.stringify(text));
    let want;
    try { parse(text); } catch (e) { want = `<stdin>:${e.locations[0].line}:${e.locations[0].column}: ${e.message}\n`; }
    assert.equal(r.stderr, want, JSON.stringify(text));
    assert.equal(r.stderr.includes('Syntax Error: Unexpected <EOF>.'), true);
  }
});

test('empty selection sets are rejected unless --allow-empty-selection-sets', { skip }, () => {
  const r = gqld(['format', '-'], '{}');
  assert.equal(r.status, EXIT_INVALID);
  assert.equal(r.stderr, '<stdin>:1:2: Syntax Error: Expected Name, found "}".\n');

  const text = 'query Q { a {} ... on T { } }';
  const allowed = gqld(['format', '--allow-empty-selection-sets', '-'], text);
  assert.equal(allowed.status, EXIT_OK, allowed.stderr);
  // graphql-js 17's default accepts them and prints "{}"
  assert.equal(allowed.stdout, print(parse(text)) + '\n');
  const fileFirst = gqld(['format', tmpFile('empty-sel.graphql', text), '--allow-empty-selection-sets']);
  assert.equal(fileFirst.status, EXIT_USAGE, 'FILE must be the last argument (it is in the usage line)');
});

test('a missing or unreadable FILE is a usage error (exit 2) naming the file', { skip }, () => {
  const missing = path.join(os.tmpdir(), 'gqld-no-such-dir', 'missing.graphql');
  const r = gqld(['format', missing]);
  assert.equal(r.status, EXIT_USAGE);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, new RegExp(`^gqld: ${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: No such file or directory\n$`));

  const dir = gqld(['format', os.tmpdir()]);
  assert.equal(dir.status, EXIT_USAGE, 'a directory is not a document');
  assert.equal(dir.stdout, '');
  assert.match(dir.stderr, /^gqld: .*: .+\n$/);
});

test('format rejects unknown options and more than one FILE (exit 2)', { skip }, () => {
  const a = gqld(['format', '--bogus'], '{ a }');
  assert.equal(a.status, EXIT_USAGE);
  assert.match(a.stderr, /unknown option '--bogus'/);
  const f = tmpFile('one.graphql', '{ a }');
  const b = gqld(['format', f, f]);
  assert.equal(b.status, EXIT_USAGE);
  assert.equal(b.stdout, '');
  assert.match(b.stderr, /one FILE/);
});

test('help, version and unknown commands', { skip }, () => {
  const help = gqld(['--help']);
  assert.equal(help.status, EXIT_OK);
  assert.match(help.stdout, /usage: gqld COMMAND/);
  assert.match(help.stdout, /^\s+format\s+/m);
  assert.deepEqual(gqld(['-h']).stdout, help.stdout);
  assert.deepEqual(gqld(['help']).stdout, help.stdout);

  const none = gqld([]);
  assert.equal(none.status, EXIT_USAGE, 'no command: help on stderr, exit 2');
  assert.equal(none.stdout, '');
  assert.match(none.stderr, /usage: gqld COMMAND/);

  const unknown = gqld(['frobnicate']);
  assert.equal(unknown.status, EXIT_USAGE);
  assert.equal(unknown.stdout, '');
  assert.match(unknown.stderr, /unknown command 'frobnicate'/);

  for (const args of [['format', '--help'], ['format', '-h'], ['help', 'format']]) {
    const r = gqld(args);
    assert.equal(r.status, EXIT_OK, args.join(' '));
    assert.match(r.stdout, /usage: gqld format \[--allow-empty-selection-sets\] \[FILE\|-\]/, args.join(' '));
  }
  const helpUnknown = gqld(['help', 'nope']);
  assert.equal(helpUnknown.status, EXIT_USAGE);
  assert.match(helpUnknown.stderr, /unknown command 'nope'/);

  const version = gqld(['--version']);
  assert.equal(version.status, EXIT_OK);
  assert.match(version.stdout, /^gqld \d+\.\d+\.\d+/);
});
