// tests/diff/json.test.mjs — compares gqld's JSON reader and writer with
// JavaScript's JSON.parse / JSON.stringify through tests/tools/json_roundtrip.
//
// Run: node --test tests/diff/json.test.mjs   (GQL_BUILD_DIR picks the build
// directory, default build/). Known, deliberate differences are kept out of
// the data: gqld rejects lone surrogate escapes ("\ud800") which JSON.parse
// accepts, and gqld keeps object members in text order while JavaScript moves
// integer-like keys ("1", "42") to the front; no valid/ file has such keys.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const buildDir = process.env.GQL_BUILD_DIR ?? 'build';
const tool = path.resolve(buildDir, 'tests', 'json_roundtrip');
const dataDir = path.resolve('tests', 'data', 'json');

function run(input, args = []) {
  const r = spawnSync(tool, args, { input, maxBuffer: 1 << 28 });
  if (r.error) throw r.error;
  return { status: r.status, out: r.stdout.toString('utf8') };
}

// SplitMix64: a small seeded generator, so every run checks the same values.
function prng(seed) {
  let s = BigInt.asUintN(64, BigInt(seed));
  return () => {
    s = BigInt.asUintN(64, s + 0x9e3779b97f4a7c15n);
    let z = s;
    z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
    z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn);
    return z ^ (z >> 31n);
  };
}

function files(kind) {
  return fs.readdirSync(path.join(dataDir, kind)).filter((f) => f.endsWith('.json')).sort();
}

// Runs a batch of number texts as one JSON array and compares element-wise,
// so a failure names the exact input.
function checkNumbers(texts) {
  const input = '[' + texts.join(',') + ']';
  const { status, out } = run(input);
  assert.equal(status, 0, `tool failed: ${out}`);
  const expected = JSON.stringify(JSON.parse(input));
  if (out === expected) return;
  const got = out.slice(1, -1).split(',');
  const want = expected.slice(1, -1).split(',');
  for (let i = 0; i < texts.length; i++)
    assert.equal(got[i], want[i], `number ${texts[i]}`);
  assert.equal(out, expected);
}

test('valid documents round-trip exactly as JSON.stringify(JSON.parse(x))', () => {
  const names = files('valid');
  assert.ok(names.length >= 20);
  for (const name of names) {
    const bytes = fs.readFileSync(path.join(dataDir, 'valid', name));
    const expected = JSON.stringify(JSON.parse(bytes.toString('utf8')));
    const { status, out } = run(bytes);
    assert.equal(status, 0, `${name}: ${out}`);
    assert.equal(out, expected, name);
  }
});

test('invalid documents are rejected by both', () => {
  const names = files('invalid');
  assert.ok(names.length >= 30);
  for (const name of names) {
    const bytes = fs.readFileSync(path.join(dataDir, 'invalid', name));
    assert.throws(() => JSON.parse(bytes.toString('utf8')), SyntaxError, `${name}: JSON.parse`);
    const { status, out } = run(bytes);
    assert.equal(status, 1, `${name}: gqld accepted it: ${out}`);
    assert.match(out, /^ERROR \d+ \S/, name);
  }
});

test('doubles from random bit patterns print as in JavaScript', () => {
  const next = prng(20240611);
  const f64 = new Float64Array(1);
  const u64 = new BigUint64Array(f64.buffer);
  const shortest = [];
  const long = [];
  while (shortest.length < 6000) {
    u64[0] = next();
    const x = f64[0];
    if (!Number.isFinite(x)) continue;
    shortest.push(String(x));
    // More digits than needed: the reader must round them to the same double.
    if (long.length < 2000) long.push(x.toExponential(19 + (long.length % 5)));
  }
  checkNumbers(shortest);
  checkNumbers(long);
});

test('every power of two prints as in JavaScript', () => {
  const texts = [];
  for (let k = -1074; k <= 1023; k++) texts.push(String(2 ** k), String(-(2 ** k)));
  checkNumbers(texts);
});

test('random decimal strings read and print as in JavaScript', () => {
  const next = prng(77);
  const rand = (n) => Number(next() % BigInt(n));
  const texts = [];
  for (let i = 0; i < 4000; i++) {
    let digits = String(1 + rand(9));
    const n = rand(25);
    for (let j = 0; j < n; j++) digits += String(rand(10));
    let t = rand(2) ? '-' : '';
    const point = rand(digits.length + 1);
    t += point > 0 && point < digits.length ? digits.slice(0, point) + '.' + digits.slice(point) : digits;
    if (rand(3)) t += (rand(2) ? 'e' : 'E') + (rand(2) ? '-' : rand(2) ? '+' : '') + rand(340);
    texts.push(t);
  }
  checkNumbers(texts);
});

test('edge doubles print as in JavaScript', () => {
  checkNumbers([
    '5e-324', '1.7976931348623157e308', '0.1', '100', '1e21', '1e-7', '123e-20', '-0', '0',
    '1e20', '123456789012345680000', '0.000001', '0.0000001', '1.5e-7', '2.2250738585072014e-308',
    '2.225073858507201e-308', '9007199254740993', '4.35', '0.3', '1e23', '8.41e21', '5e-310',
  ]);
});

// Random JSON values with awkward strings: stringify, feed (compact and
// pretty-printed), and expect the compact text back.
function randomString(rand) {
  const pool = ['a', 'é', '"', '\\', '/', '\n', '\u0000', '\u001f', '\u007f', '\u2028', '😀', '日', '\t', ' '];
  let s = '';
  const n = rand(12);
  for (let i = 0; i < n; i++) s += rand(4) ? pool[rand(pool.length)] : String.fromCodePoint(32 + rand(0x2000));
  return s;
}

function randomValue(rand, depth) {
  const k = rand(depth > 4 ? 5 : 8);
  switch (k) {
    case 0: return null;
    case 1: return rand(2) === 1;
    case 2: return (rand(2) ? -1 : 1) * rand(1e6) / (1 + rand(1000));
    case 3: return randomString(rand);
    case 4: return rand(1 << 30);
    case 5: case 6: {
      const a = [];
      for (let i = rand(5); i > 0; i--) a.push(randomValue(rand, depth + 1));
      return a;
    }
    default: {
      const o = {};
      for (let i = rand(5); i > 0; i--) o['k' + randomString(rand)] = randomValue(rand, depth + 1);
      return o;
    }
  }
}

test('random documents round-trip', () => {
  const next = prng(5);
  const rand = (n) => Number(next() % BigInt(n));
  const docs = [];
  for (let i = 0; i < 300; i++) docs.push(randomValue(rand, 0));
  const compact = JSON.stringify(docs);
  assert.equal(run(compact).out, compact);
  assert.equal(run(JSON.stringify(docs, null, 2)).out, compact);
});

test('string literals of arbitrary bytes match Buffer decoding', () => {
  const next = prng(99);
  const rand = (n) => Number(next() % BigInt(n));
  const interesting = [0x00, 0x0a, 0x22, 0x5c, 0x7f, 0x80, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1,
    0xed, 0xee, 0xef, 0xf0, 0xf1, 0xf4, 0xf5, 0xff, 0x9f, 0xa0, 0x8f, 0x90, 0x41];
  for (let i = 0; i < 300; i++) {
    const bytes = Buffer.alloc(1 + rand(16));
    for (let j = 0; j < bytes.length; j++)
      bytes[j] = rand(3) ? interesting[rand(interesting.length)] : rand(256);
    const { status, out } = run(bytes, ['--string']);
    assert.equal(status, 0);
    assert.equal(out, JSON.stringify(bytes.toString('utf8')), `bytes ${bytes.toString('hex')}`);
  }
});
