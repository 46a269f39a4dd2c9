// tests/diff/language.test.mjs — differential tests of gqld's GraphQL
// language layer (lexer, parser, printer) against graphql-js.
//
// graphql-js is the oracle: for every document, `gqld format` must print
// exactly what graphql-js's print(parse(text)) prints (plus one "\n"), or
// reject it with the same "Syntax Error: ..." message at the same line and
// column (columns in UTF-16 code units). graphql-js 17 accepts empty
// selection sets `{}` by default; gqld follows the specification and rejects
// them, so the oracle parses with {allowEmptySelectionSets: false}.
//
// Corpora:
//   tests/data/language/valid/*.graphql    every syntax form; printed output
//                                          and idempotence are checked
//   tests/data/language/invalid/*.graphql  one syntax error each
//   node_modules/@octokit/graphql-schema/schema.graphql  (GitHub, 1.2 MB SDL)
//   generated: seeded mutations of the valid files (delete / insert / swap a
//   character or token), run through build/tests/format_many in one process.
//
// Environment: GQLD (path of gqld), GQL_BUILD_DIR (build directory, for
// tests/format_many); optional GQL_MUTATION_SEED and GQL_MUTATIONS.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, print, getLocation, Source, GraphQLError } from 'graphql';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BUILD = path.resolve(ROOT, process.env.GQL_BUILD_DIR ?? 'build');
const GQLD = path.resolve(ROOT, process.env.GQLD ?? path.join(BUILD, 'gqld'));
const FORMAT_MANY = path.join(BUILD, 'tests', 'format_many');
const VALID_DIR = path.join(ROOT, 'tests/data/language/valid');
const INVALID_DIR = path.join(ROOT, 'tests/data/language/invalid');
const GITHUB_SCHEMA = path.join(ROOT, 'node_modules/@octokit/graphql-schema/schema.graphql');
const PARSE_OPTIONS = { allowEmptySelectionSets: false };
const SYNTAX_PREFIX = 'Syntax Error: ';

// Invalid inputs where gqld cannot agree with graphql-js, each with its reason.
// Only the gqld side is checked for these: it must reject the file, with a
// "Syntax Error: " message, at the start of the first ill-formed UTF-8
// sequence (see firstInvalidUtf8). Node decodes such bytes to U+FFFD before
// graphql-js sees them, so graphql-js either accepts the text (inside strings
// and comments U+FFFD is an ordinary character) or reports "Unexpected
// character: U+FFFD." at top level.
const ALLOWED_DIFFERENCES = new Map([
  ['utf8_invalid_byte_top_level.graphql',
    'byte 0xFF is not UTF-8; graphql-js sees U+FFFD, gqld reports invalid UTF-8'],
  ['utf8_truncated_sequence_in_string.graphql',
    'truncated 2-byte sequence inside a string; graphql-js sees U+FFFD and accepts'],
  ['utf8_truncated_sequence_in_comment.graphql',
    'truncated 3-byte sequence inside a comment; graphql-js sees U+FFFD and accepts'],
  ['utf8_encoded_surrogate_in_string.graphql',
    'UTF-8-encoded surrogate D800 (CESU style) is not UTF-8; graphql-js sees U+FFFD and accepts'],
  ['utf8_overlong_slash_in_string.graphql',
    'overlong encoding of "/" is not UTF-8; graphql-js sees U+FFFD and accepts'],
  ['utf8_continuation_byte_in_block_string.graphql',
    'stray continuation byte in a block string; graphql-js sees U+FFFD and accepts'],
  ['utf8_above_max_code_point_in_string.graphql',
    'sequence for a code point above U+10FFFF; graphql-js sees U+FFFD and accepts'],
]);

// ---- the oracle -----------------------------------------------------------

/** graphql-js's verdict on a document: {ok, out} or {ok: false, line, column, message}. */
function oracle(text) {
  try {
    return { ok: true, out: print(parse(text, PARSE_OPTIONS)) };
  } catch (e) {
    if (!(e instanceof GraphQLError) || !e.locations?.length) throw e;
    const { line, column } = e.locations[0];
    // A message may quote half of a surrogate pair (graphql-js slices the
    // source by UTF-16 units); written out as UTF-8 it becomes U+FFFD, which
    // is what a byte-for-byte equal gqld must print there. gqld's messages
    // are C strings, which cannot hold NUL: a NUL quoted from the source
    // (a string token's value, an escape excerpt) is U+FFFD there, by design.
    const message = Buffer.from(e.message, 'utf8').toString('utf8').replaceAll('\0', '\uFFFD');
    return { ok: false, line, column, message };
  }
}

// ---- running gqld ---------------------------------------------------------

function haveGqld() {
  return fs.existsSync(GQLD);
}

/** Parses gqld's error line "FILE:LINE:COLUMN: Syntax Error: message". */
function parseErrorLine(stderr) {
  // The message may itself hold line breaks (it can quote a string token).
  const m = /^([^\n]*?):(\d+):(\d+): (Syntax Error: .*?)\n?$/s.exec(stderr);
  if (!m) return null;
  return { file: m[1], line: Number(m[2]), column: Number(m[3]), message: m[4] };
}

/** Runs `gqld format ARGS` and returns {status, stdout (Buffer), stderr (string)}. */
function runFormat(args, input) {
  const r = spawnSync(GQLD, ['format', ...args], {
    input, maxBuffer: 64 * 1024 * 1024, timeout: 30_000,
  });
  if (r.error) throw r.error;
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr.toString('utf8') };
}

/** gqld's verdict on a file or text, in the oracle's shape. */
function gqldVerdict(r) {
  if (r.signal) return { crashed: `killed by ${r.signal}`, stderr: r.stderr };
  if (r.status === 0) {
    const s = r.stdout.toString('utf8');
    return { ok: true, raw: r.stdout, out: s.endsWith('\n') ? s.slice(0, -1) : s, stderr: r.stderr };
  }
  const e = parseErrorLine(r.stderr);
  if (r.status === 1 && e) return { ok: false, ...e };
  return { crashed: `exit status ${r.status}`, stderr: r.stderr };
}

// ---- batch runner (tests/format_many) ---------------------------------------

/** Formats many documents in one gqld-library process; returns verdicts. */
function formatMany(texts) {
  return new Promise((resolve, reject) => {
    const child = spawn(FORMAT_MANY, [], { stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks = [];
    let stderr = '';
    child.stdout.on('data', (c) => chunks.push(c));
    child.stderr.on('data', (c) => { stderr += c; });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const out = Buffer.concat(chunks);
      const results = [];
      let pos = 0;
      while (pos < out.length) {
        const nl = out.indexOf(10, pos);
        if (nl < 0) break;
        const head = out.subarray(pos, nl).toString('latin1').split(' ');
        const len = Number(head[head.length - 1]);
        const body = out.subarray(nl + 1, nl + 1 + len);
        pos = nl + 1 + len;
        if (head[0] === 'OK') results.push({ ok: true, out: body.toString('utf8') });
        else if (head[0] === 'ERR') {
          results.push({ ok: false, line: Number(head[1]), column: Number(head[2]),
            message: body.toString('utf8') });
        } else results.push({ crashed: `FAIL: ${body.toString('utf8')}` });
      }
      if (signal || code !== 0 || results.length !== texts.length) {
        // A crash loses the rest of the batch; report where it happened.
        const at = results.length;
        reject(new Error(`format_many ended (code ${code}, signal ${signal}) after ` +
          `${at} of ${texts.length} documents; next input: ${JSON.stringify(texts[at])}\n${stderr}`));
        return;
      }
      resolve(results);
    });
    const frames = [];
    for (const t of texts) {
      const b = Buffer.from(t, 'utf8');
      frames.push(Buffer.from(`${b.length}\n`, 'latin1'), b);
    }
    child.stdin.on('error', () => {}); // a crash shows in 'close'
    child.stdin.end(Buffer.concat(frames));
  });
}

/** Fallback when format_many is not built: `gqld format -` per text, 4 at a time. */
async function formatEachWithGqld(texts) {
  const results = new Array(texts.length);
  let next = 0;
  async function worker() {
    while (next < texts.length) {
      const i = next++;
      results[i] = await new Promise((resolve, reject) => {
        const child = spawn(GQLD, ['format', '-']);
        const out = [];
        let err = '';
        child.stdout.on('data', (c) => out.push(c));
        child.stderr.on('data', (c) => { err += c; });
        child.on('error', reject);
        child.on('close', (status, signal) => resolve(gqldVerdict({
          status, signal, stdout: Buffer.concat(out), stderr: err })));
        child.stdin.on('error', () => {});
        child.stdin.end(Buffer.from(texts[i], 'utf8'));
      });
    }
  }
  await Promise.all([worker(), worker(), worker(), worker()]);
  return results;
}

async function formatBatch(texts) {
  if (fs.existsSync(FORMAT_MANY)) return formatMany(texts);
  return formatEachWithGqld(texts);
}

// ---- helpers ---------------------------------------------------------------

function listCorpus(dir) {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.graphql')).sort();
}

/** Where two texts first differ, with a little context, for failure messages. */
function firstDifference(expected, actual) {
  let i = 0;
  while (i < expected.length && i < actual.length && expected[i] === actual[i]) i++;
  const line = expected.slice(0, i).split('\n').length;
  return `first difference at offset ${i} (expected line ${line}):\n` +
    `  expected: ${JSON.stringify(expected.slice(Math.max(0, i - 40), i + 40))}\n` +
    `  actual:   ${JSON.stringify(actual.slice(Math.max(0, i - 40), i + 40))}`;
}

function describeVerdict(v) {
  if (v.crashed) return `crash (${v.crashed}) ${v.stderr ?? ''}`;
  if (v.ok) return `accepted, printed ${JSON.stringify(v.out.length > 300 ? v.out.slice(0, 300) + '…' : v.out)}`;
  return `rejected at ${v.line}:${v.column}: ${v.message}`;
}

/**
 * Byte offset of the first ill-formed UTF-8 sequence in buf (RFC 3629: no
 * overlong forms, no surrogates, nothing above U+10FFFF), or -1.
 */
function firstInvalidUtf8(buf) {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i];
    let need, min;
    if (b < 0x80) { i++; continue; }
    if (b >= 0xc2 && b <= 0xdf) { need = 1; min = 0x80; }
    else if (b >= 0xe0 && b <= 0xef) { need = 2; min = 0x800; }
    else if (b >= 0xf0 && b <= 0xf4) { need = 3; min = 0x10000; }
    else return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = buf[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/** Line and UTF-16 column of byte offset `offset` of buf (valid UTF-8 before it). */
function locationOfByte(buf, offset) {
  const prefix = buf.subarray(0, offset).toString('utf8');
  return getLocation(new Source(prefix + ' '), prefix.length);
}

// ---- seeded mutations ------------------------------------------------------

/** mulberry32: a small deterministic PRNG returning floats in [0, 1). */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const INSERT_CHARS = [
  '{', '}', '(', ')', '[', ']', ':', '=', '@', '$', '!', '|', '&', '.', '...', ',', '"', '"""',
  '\\', '#', '-', '+', '0', '1', '9', 'e', 'E', 'x', '_', ' ', '\t', '\n', '\r', '\r\n', "'",
  '\u00a0', '\u00e9', '\u4e2d', '\u{1F600}', '\ufeff', '\u0000', '\u0001', '\u007f', '\\u', '\\u{',
  '\\"""', 'on', 'null', 'true',
];
const INSERT_TOKENS = [
  'query', 'mutation', 'subscription', 'fragment', 'on', 'extend', 'schema', 'scalar', 'type',
  'interface', 'union', 'enum', 'input', 'directive', 'repeatable', 'implements', 'true', 'false',
  'null', '"desc"', '"""block"""', '$v', '@d', '...', '{', '}', '{}', '()', '[]', '1', '-1.5e3',
  'FIELD', 'QUERY', 'Int!', '[Int]', '=', ':', '|', '&',
];
// Rough GraphQL tokenizer for mutations only (it need not be exact).
const TOKEN_RE = /"""(?:\\"""|[^])*?"""|"(?:\\.|[^"\\\n\r])*"|#[^\n\r]*|\.\.\.|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|[_A-Za-z][_0-9A-Za-z]*|\s+|[^]/gu;

function mutate(text, rand) {
  const pick = (arr) => arr[Math.floor(rand() * arr.length)];
  const kind = Math.floor(rand() * 7);
  if (kind <= 1) {
    // character level, on code points so surrogate pairs stay whole
    const cps = Array.from(text);
    const i = Math.floor(rand() * (cps.length + 1));
    if (kind === 0 && cps.length > 0) cps.splice(Math.min(i, cps.length - 1), 1);
    else cps.splice(i, 0, pick(INSERT_CHARS));
    return cps.join('');
  }
  const toks = text.match(TOKEN_RE) ?? [];
  if (toks.length === 0) return pick(INSERT_TOKENS);
  const i = Math.floor(rand() * toks.length);
  switch (kind) {
    case 2: toks.splice(i, 1); break; // delete a token
    case 3: toks.splice(i, 0, pick(INSERT_TOKENS), ' '); break; // insert a token
    case 4: { // swap two adjacent non-space tokens
      const j = toks.findIndex((t, k) => k > i && !/^\s+$/.test(t));
      if (j > 0) [toks[i], toks[j]] = [toks[j], toks[i]];
      break;
    }
    case 5: toks[i] = pick(INSERT_TOKENS); break; // replace a token
    default: toks.splice(i, 0, toks[Math.floor(rand() * toks.length)]); break; // duplicate
  }
  return toks.join('');
}

/** The mutation corpus: deterministic for a given seed. */
function generateMutations(sources, count, seed) {
  const rand = prng(seed);
  const cases = [];
  for (let n = 0; n < count; n++) {
    let text = sources[n % sources.length];
    // one to three edits; most cases have one so errors stay varied
    const edits = rand() < 0.7 ? 1 : 1 + Math.floor(rand() * 3);
    for (let k = 0; k < edits; k++) text = mutate(text, rand);
    cases.push(text);
  }
  return cases;
}

// ---- the tests ---------------------------------------------------------------

test('the corpora are what they claim to be (graphql-js side)', () => {
  const valid = listCorpus(VALID_DIR);
  const invalid = listCorpus(INVALID_DIR);
  assert.ok(valid.length >= 20, `valid corpus has ${valid.length} files`);
  assert.ok(invalid.length >= 80, `invalid corpus has ${invalid.length} files`);
  for (const f of valid) {
    const text = fs.readFileSync(path.join(VALID_DIR, f), 'utf8');
    const v = oracle(text);
    assert.ok(v.ok, `${f}: graphql-js rejects a valid-corpus file: ${describeVerdict(v)}`);
    assert.equal(print(parse(v.out, PARSE_OPTIONS)), v.out, `${f}: graphql-js print is not idempotent`);
  }
  for (const f of invalid) {
    if (ALLOWED_DIFFERENCES.has(f)) continue;
    const text = fs.readFileSync(path.join(INVALID_DIR, f), 'utf8');
    const v = oracle(text);
    assert.ok(!v.ok, `${f}: graphql-js accepts an invalid-corpus file`);
  }
  for (const f of ALLOWED_DIFFERENCES.keys()) {
    assert.ok(invalid.includes(f), `allow-listed file ${f} is missing`);
    assert.ok(firstInvalidUtf8(fs.readFileSync(path.join(INVALID_DIR, f))) >= 0,
      `allow-listed file ${f} has no invalid UTF-8`);
  }
});

test('valid documents: gqld format prints what graphql-js prints, and is idempotent',
  { skip: !haveGqld() && `no gqld at ${GQLD}` }, async (t) => {
    for (const f of listCorpus(VALID_DIR)) {
      await t.test(f, () => {
        const file = path.join(VALID_DIR, f);
        const expected = oracle(fs.readFileSync(file, 'utf8'));
        const r = runFormat([file]);
        const got = gqldVerdict(r);
        assert.ok(got.ok, `gqld: ${describeVerdict(got)}`);
        assert.equal(r.stderr, '', 'nothing on stderr');
        const want = Buffer.from(expected.out + '\n', 'utf8');
        assert.ok(r.stdout.equals(want), firstDifference(expected.out + '\n', r.stdout.toString('utf8')));
        // idempotence: formatting the output again changes nothing
        const r2 = runFormat(['-'], r.stdout);
        const got2 = gqldVerdict(r2);
        assert.ok(got2.ok, `second pass: ${describeVerdict(got2)}`);
        assert.ok(r2.stdout.equals(r.stdout), 'format(format(x)) !== format(x): ' +
          firstDifference(r.stdout.toString('utf8'), r2.stdout.toString('utf8')));
      });
    }
  });

test('GitHub public schema (1.2 MB SDL) round-trips like graphql-js',
  { skip: (!haveGqld() && `no gqld at ${GQLD}`) || (!fs.existsSync(GITHUB_SCHEMA) && 'no @octokit/graphql-schema') },
  () => {
    const text = fs.readFileSync(GITHUB_SCHEMA, 'utf8');
    const expected = oracle(text);
    assert.ok(expected.ok);
    const r = runFormat([GITHUB_SCHEMA]);
    const got = gqldVerdict(r);
    assert.ok(got.ok, `gqld: ${describeVerdict(got)}`);
    assert.ok(r.stdout.equals(Buffer.from(expected.out + '\n', 'utf8')),
      firstDifference(expected.out + '\n', r.stdout.toString('utf8')));
    const r2 = runFormat(['-'], r.stdout);
    assert.ok(r2.status === 0 && r2.stdout.equals(r.stdout), 'format(format(schema)) !== format(schema)');
  });

test('invalid documents: gqld rejects each as graphql-js does (line, column, message)',
  { skip: !haveGqld() && `no gqld at ${GQLD}` }, async (t) => {
    for (const f of listCorpus(INVALID_DIR)) {
      await t.test(f, () => {
        const file = path.join(INVALID_DIR, f);
        const r = runFormat([file]);
        const got = gqldVerdict(r);
        assert.ok(!got.crashed, `gqld: ${describeVerdict(got)}`);
        assert.ok(!got.ok, `gqld accepts it and prints ${JSON.stringify(got.out)}`);
        assert.equal(r.stdout.length, 0, 'nothing on stdout');
        assert.equal(got.file, file, 'the error line names the file');
        const reason = ALLOWED_DIFFERENCES.get(f);
        if (reason) {
          const bytes = fs.readFileSync(file);
          const loc = locationOfByte(bytes, firstInvalidUtf8(bytes));
          t.diagnostic(`${f}: allowed difference (${reason}); gqld says ${got.line}:${got.column}: ${got.message}`);
          assert.deepEqual({ line: got.line, column: got.column }, { line: loc.line, column: loc.column },
            'gqld reports invalid UTF-8 at the start of the bad sequence');
          return;
        }
        const expected = oracle(fs.readFileSync(file, 'utf8'));
        assert.deepEqual(
          { line: got.line, column: got.column, message: got.message },
          { line: expected.line, column: expected.column, message: expected.message });
      });
    }
  });

test('generated mutations of the valid corpus agree with graphql-js',
  { skip: !haveGqld() && !fs.existsSync(FORMAT_MANY) && 'neither gqld nor format_many is built' },
  async (t) => {
    const seed = Number(process.env.GQL_MUTATION_SEED ?? 0x67716c64);
    const count = Number(process.env.GQL_MUTATIONS ?? 2000);
    // Mutate the valid files (count cases) and, for half as many more cases,
    // the invalid ones: their mutations sometimes become valid and reach error
    // paths that mutations of valid files rarely do.
    const read = (dir, files) => files.map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))
      .filter((s) => s.length < 8000);
    const validSources = read(VALID_DIR, listCorpus(VALID_DIR));
    const invalidSources = read(INVALID_DIR, listCorpus(INVALID_DIR).filter((f) => !ALLOWED_DIFFERENCES.has(f)));
    const cases = [
      ...generateMutations(validSources, count, seed),
      ...generateMutations(invalidSources, Math.ceil(count / 2), seed + 1),
    ];
    const expected = cases.map(oracle);
    const got = await formatBatch(cases);

    const failures = [];
    let accepted = 0;
    for (let i = 0; i < cases.length; i++) {
      const e = expected[i], g = got[i];
      if (e.ok) accepted++;
      const agree = g.crashed ? false
        : e.ok ? g.ok && g.out === e.out
        : !g.ok && g.line === e.line && g.column === e.column && g.message === e.message;
      if (!agree) failures.push({ i, input: cases[i], expected: describeVerdict(e), actual: describeVerdict(g) });
    }

    // Second pass: gqld's printed output must itself print the same way.
    const printed = [];
    for (let i = 0; i < cases.length; i++) if (expected[i].ok && got[i].ok) printed.push(got[i].out);
    const again = await formatBatch(printed);
    for (let i = 0; i < printed.length; i++) {
      const e = oracle(printed[i]);
      const g = again[i];
      if (!(e.ok && g.ok && g.out === e.out && g.out === printed[i])) {
        failures.push({ i: `reprint ${i}`, input: printed[i], expected: describeVerdict(e), actual: describeVerdict(g) });
      }
    }

    t.diagnostic(`seed ${seed}: ${cases.length} cases, ${accepted} accepted by graphql-js, ` +
      `${cases.length - accepted} rejected; ${printed.length} reprinted; ${failures.length} disagreements`);
    if (failures.length) {
      // Group by kind of disagreement (token texts masked) so that one noisy
      // bug does not hide the others; show the shortest input of each group.
      const mask = (v) => v.replace(/"(?:[^"\\]|\\.)*"/gs, '"…"').replace(/\d+:\d+/, 'L:C').slice(0, 120);
      const groups = new Map();
      for (const f of failures) {
        const key = `${mask(f.expected)} | ${mask(f.actual)}`;
        const g = groups.get(key);
        if (!g) groups.set(key, { n: 1, f });
        else { g.n++; if (f.input.length < g.f.input.length) g.f = f; }
      }
      const shown = [...groups.values()].sort((a, b) => b.n - a.n).slice(0, 20).map(({ n, f }) =>
        `${n} case(s) like ${f.i}: input ${JSON.stringify(f.input.length > 600 ? f.input.slice(0, 600) + '…' : f.input)}\n` +
        `  graphql-js: ${f.expected}\n  gqld:       ${f.actual}`).join('\n');
      assert.fail(`${failures.length} of ${cases.length} generated cases disagree:\n${shown}`);
    }
  });
