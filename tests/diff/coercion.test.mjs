// tests/diff/coercion.test.mjs — compares gqld's value coercion
// (src/execution/values.c through tests/tools/coerce_tool) with graphql-js
// 17's getVariableValues and getArgumentValues.
//
// Each case is a query over tests/data/coercion/schema.graphql and a JSON
// variables text. Both sides report, per case, either the coerced variables
// and the coerced arguments of every top-level field, or the variable
// errors; values (JSON.stringify) and error messages and locations must be
// equal. Cases: tests/data/coercion/cases.json (hand-written) plus seeded
// random variable values and argument literals against random input types.
//
// Run: node --test tests/diff/coercion.test.mjs  (GQL_BUILD_DIR picks the
// build directory, default build/).
//
// Known, deliberate differences (kept out of the generated data, listed in
// ALLOWED for hand-written cases):
//  - A custom scalar passes JSON objects through; JavaScript reorders
//    array-index keys ("1") first in such objects, gqld keeps text order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { buildSchema, parse, Kind } from 'graphql';
import { getVariableValues, getArgumentValues } from 'graphql/execution/values.js';

const buildDir = process.env.GQL_BUILD_DIR ?? 'build';
const tool = path.resolve(buildDir, 'tests', 'coerce_tool');
const dataDir = path.resolve('tests', 'data', 'coercion');
const schemaPath = path.join(dataDir, 'schema.graphql');
const schema = buildSchema(fs.readFileSync(schemaPath, 'utf8'));

// Case names (hand-written index) whose results may differ, with the reason.
const ALLOWED = new Map([]);

function errorJSON(e) {
  const o = { message: e.message };
  if (e.locations) o.locations = e.locations;
  return o;
}

// graphql-js's answer for one case, in coerce_tool's output shape.
function reference(query, varsText) {
  let doc;
  try {
    doc = parse(query);
  } catch (e) {
    return { errors: [errorJSON(e)] };
  }
  const op = doc.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  const inputs = JSON.parse(varsText);
  const r = getVariableValues(schema, op.variableDefinitions ?? [], inputs ?? {}, {
    maxErrors: 50,
  });
  if (r.errors) return { errors: r.errors.map(errorJSON) };
  const root = schema.getRootType(op.operation);
  const args = [];
  for (const sel of op.selectionSet.selections) {
    if (sel.kind !== Kind.FIELD) continue;
    const def = root.getFields()[sel.name.value];
    if (!def) continue;
    try {
      args.push({ value: getArgumentValues(def, sel, r.variableValues) });
    } catch (e) {
      args.push({ error: errorJSON(e) });
    }
  }
  return { variables: r.variableValues.coerced, args };
}

function runTool(cases) {
  const input = cases.map((c) => `{"query":${JSON.stringify(c.q)},"variables":${c.v}}\n`).join('');
  const r = spawnSync(tool, [schemaPath], { input, maxBuffer: 1 << 28 });
  if (r.error) throw r.error;
  assert.equal(r.status, 0, r.stderr.toString());
  const lines = r.stdout.toString('utf8').split('\n');
  lines.pop();
  assert.equal(lines.length, cases.length);
  return lines;
}

function compare(cases, label) {
  const got = runTool(cases);
  let checked = 0;
  const mismatches = [];
  cases.forEach((c, i) => {
    const want = JSON.stringify(reference(c.q, c.v));
    checked++;
    if (got[i] === want) return;
    const name = `${label}#${i}`;
    if (ALLOWED.has(name)) return;
    mismatches.push(`${name}\n  query: ${c.q}\n  vars:  ${c.v}\n  gqld:  ${got[i]}\n  js:    ${want}`);
  });
  assert.equal(mismatches.length, 0, mismatches.slice(0, 10).join('\n'));
  // The mix, so a generator that only produces one outcome is noticed.
  const kinds = { variableErrors: 0, values: 0, argumentErrors: 0 };
  for (const line of got) {
    if (line.startsWith('{"errors"')) kinds.variableErrors++;
    else if (line.includes('"error":')) kinds.argumentErrors++;
    else kinds.values++;
  }
  return { checked, kinds };
}

test('hand-written cases match graphql-js', () => {
  const cases = JSON.parse(fs.readFileSync(path.join(dataDir, 'cases.json'), 'utf8'));
  assert.ok(cases.length >= 100);
  const { kinds } = compare(cases, 'cases');
  for (const [k, n] of Object.entries(kinds)) assert.ok(n >= 20, `only ${n} cases of kind ${k}`);
});

// ---- random cases -----------------------------------------------------------

// SplitMix64, so every run checks the same values.
function prng(seed) {
  let s = BigInt.asUintN(64, BigInt(seed));
  return () => {
    s = BigInt.asUintN(64, s + 0x9e3779b97f4a7c15n);
    let z = s;
    z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
    z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn);
    return Number((z ^ (z >> 31n)) >> 11n) / 2 ** 53;
  };
}

const rnd = prng(Number(process.env.COERCION_SEED ?? 20240917));
const pick = (arr) => arr[Math.floor(rnd() * arr.length)];
const chance = (p) => rnd() < p;

const NAMED = ['Int', 'Float', 'String', 'Boolean', 'ID', 'Color', 'JSON', 'Point', 'Filter', 'Choice', 'Required'];
const FIELD_NAMES = ['x', 'y', 'label', 'name', 'ids', 'color', 'point', 'tags', 'score', 'flag', 'nested', 'id', 'a', 'b', 'c', 'nam', 'zz'];

function randomTypeString(depth = 0) {
  let t = pick(NAMED);
  if (depth < 2 && chance(0.3)) t = `[${randomTypeString(depth + 1)}]`;
  if (chance(0.3)) t += '!';
  return t;
}

function randomScalarValue() {
  return pick([
    0, 1, -1, 7, 2147483647, 2147483648, -2147483648, -2147483649, 1.5, -0.25, 1e21, 1e100,
    '', 'a', 'RED', 'GREEN', 'BLU', '12', '1.5', 'é', true, false, null,
  ]);
}

// A value shaped after the type most of the time, random otherwise.
function randomValue(type, depth = 0) {
  if (depth > 4 || chance(0.12)) return chance(0.5) ? randomScalarValue() : depth > 3 ? [] : {};
  const nonNull = type.endsWith('!');
  const t = nonNull ? type.slice(0, -1) : type;
  if (!nonNull && chance(0.08)) return null;
  if (t.startsWith('[')) {
    const inner = t.slice(1, -1);
    if (chance(0.2)) return randomValue(inner, depth + 1);
    const n = Math.floor(rnd() * 4);
    return Array.from({ length: n }, () => randomValue(inner, depth + 1));
  }
  switch (t) {
    case 'Int': return pick([0, 1, -5, 2147483647, 2147483648, 1.5, '3']);
    case 'Float': return pick([0, 1.5, -2.25, 1e300, 3, 'x']);
    case 'String': return pick(['', 'abc', 'line\nbreak', 'ü', 5]);
    case 'Boolean': return pick([true, false, 0, 'true']);
    case 'ID': return pick(['id', 42, -7, 1.5, true]);
    case 'Color': return pick(['RED', 'GREEN', 'BLUE', 'red', 'BLU', 1]);
    case 'JSON': return pick([{ k: [1, 'v'] }, [null, true], 'text', 2.5]);
    default: {
      const o = {};
      const fields = schema.getType(t).getFields();
      for (const f of Object.values(fields)) {
        if (chance(0.55)) o[f.name] = randomValue(String(f.type), depth + 1);
      }
      if (chance(0.15)) o[pick(FIELD_NAMES)] = randomScalarValue();
      return o;
    }
  }
}

// A GraphQL literal for a JavaScript value (enum-like strings sometimes as
// enum literals), with an occasional variable reference.
function toLiteral(v, vars) {
  if (vars.length && chance(0.08)) return `$${pick(vars)}`;
  if (v === null) return 'null';
  if (Array.isArray(v)) return `[${v.map((x) => toLiteral(x, vars)).join(', ')}]`;
  if (typeof v === 'object') {
    return `{${Object.entries(v).map(([k, x]) => `${k}: ${toLiteral(x, vars)}`).join(', ')}}`;
  }
  if (typeof v === 'string') {
    if (/^[A-Z_a-z][A-Z_a-z0-9]*$/.test(v) && v !== 'true' && v !== 'false' && v !== 'null' && chance(0.6)) return v;
    return JSON.stringify(v);
  }
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 1e21 ? String(v) : String(v).replace('e+', 'e');
  return String(v);
}

const ARG_FIELDS = Object.values(schema.getQueryType().getFields());

function randomCase() {
  const nvars = 1 + Math.floor(rnd() * 3);
  const defs = [];
  const names = [];
  const values = {};
  for (let i = 0; i < nvars; i++) {
    const name = `v${i}`;
    const type = randomTypeString();
    names.push(name);
    let def = `$${name}: ${type}`;
    if (chance(0.15)) def += ` = ${toLiteral(randomValue(type), [])}`;
    defs.push(def);
    if (chance(0.85)) values[name] = randomValue(type);
  }
  const fields = [];
  const nf = 1 + Math.floor(rnd() * 2);
  for (let i = 0; i < nf; i++) {
    const f = pick(ARG_FIELDS);
    const args = [];
    for (const a of f.args) {
      if (chance(0.75)) args.push(`${a.name}: ${toLiteral(randomValue(String(a.type)), names)}`);
    }
    fields.push(args.length ? `${f.name}(${args.join(', ')})` : f.name);
  }
  return { q: `query (${defs.join(', ')}) { ${fields.join(' ')} }`, v: JSON.stringify(values) };
}

test('seeded random values and literals match graphql-js', () => {
  const cases = [];
  const count = Number(process.env.COERCION_CASES ?? 400);
  for (let i = 0; i < count; i++) cases.push(randomCase());
  const { checked, kinds } = compare(cases, 'random');
  assert.equal(checked, count);
  for (const [k, n] of Object.entries(kinds)) assert.ok(n >= 40, `only ${n} random cases of kind ${k}`);
});
