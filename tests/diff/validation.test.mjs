// tests/diff/validation.test.mjs — gqld's validation against graphql-js's.
//
// For every case file under tests/data/validation/<rule>/ and for a seeded
// corpus of ~1,000 random documents over the shared test schema, runs
// `gqld validate --json` and graphql-js 17's validate(buildSchema(sdl),
// parse(doc)) and requires the same errors: same count, same order, same
// messages, same locations. Documents are checked in batches (one gqld
// process per batch). Run with GQLD=path/to/gqld (ctest sets it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  buildSchema, getNamedType, isEnumType, isInputObjectType, isLeafType, isListType,
  isNonNullType, isObjectType, isInterfaceType, isUnionType, parse, validate,
} from 'graphql';

const GQLD = process.env.GQLD ?? 'build/gqld';
const DATA = 'tests/data/validation';
const SHARED = `${DATA}/schema.graphql`;

// Messages that may legitimately differ, as [graphql-js message, gqld
// message] pairs. Empty: every message matches.
const ALLOWED_DIFFERENCES = [];

function reference(schema, text) {
  let errors;
  try {
    errors = validate(schema, parse(text));
  } catch (e) {
    errors = [e];
  }
  return errors.map((e) => ({ message: e.message, locations: e.locations ?? [] }));
}

function runGqld(schemaPath, files) {
  let out;
  try {
    out = execFileSync(GQLD, ['validate', '--json', '--schema', schemaPath, ...files], {
      encoding: 'utf8', maxBuffer: 256 << 20,
    });
  } catch (e) {
    if (e.status !== 1) throw e;
    out = e.stdout;
  }
  const byFile = new Map();
  for (const line of out.split('\n')) {
    if (line === '') continue;
    const r = JSON.parse(line);
    byFile.set(r.file, r.errors);
  }
  return byFile;
}

function sameMessage(a, b) {
  return a === b || ALLOWED_DIFFERENCES.some(([x, y]) => x === a && y === b);
}

// Compares one document; returns a description of the first difference.
function compare(file, expected, got) {
  got ??= [];
  if (expected.length !== got.length) {
    return `${file}: ${expected.length} errors expected, got ${got.length}\n` +
      `expected: ${JSON.stringify(expected, null, 1)}\ngot: ${JSON.stringify(got, null, 1)}`;
  }
  for (let i = 0; i < expected.length; i++) {
    if (!sameMessage(expected[i].message, got[i].message) ||
        JSON.stringify(expected[i].locations) !== JSON.stringify(got[i].locations)) {
      return `${file}: error ${i} differs\nexpected: ${JSON.stringify(expected[i])}\n` +
        `got:      ${JSON.stringify(got[i])}`;
    }
  }
  return null;
}

function checkBatch(schemaPath, files, texts) {
  const schema = buildSchema(readFileSync(schemaPath, 'utf8'));
  const failures = [];
  for (let start = 0; start < files.length; start += 250) {
    const batch = files.slice(start, start + 250);
    const got = runGqld(schemaPath, batch);
    for (const f of batch) {
      const diff = compare(f, reference(schema, texts.get(f)), got.get(f));
      if (diff) failures.push(diff);
    }
  }
  return failures;
}

test('case files agree with graphql-js', () => {
  const groups = new Map(); // schema path -> files
  const texts = new Map();
  for (const rule of readdirSync(DATA, { withFileTypes: true })) {
    if (!rule.isDirectory()) continue;
    const dir = `${DATA}/${rule.name}`;
    const own = `${dir}/schema.graphql`;
    const schemaPath = existsSync(own) ? own : SHARED;
    for (const f of readdirSync(dir).sort()) {
      if (!f.endsWith('.graphql') || f === 'schema.graphql') continue;
      const file = `${dir}/${f}`;
      texts.set(file, readFileSync(file, 'utf8'));
      if (!groups.has(schemaPath)) groups.set(schemaPath, []);
      groups.get(schemaPath).push(file);
    }
  }
  let failures = [];
  for (const [schemaPath, files] of groups) failures = failures.concat(checkBatch(schemaPath, files, texts));
  assert.ok(texts.size >= 240, `only ${texts.size} case files`);
  assert.deepEqual(failures, []);
});

// ---- the random corpus -------------------------------------------------

// mulberry32: a small seeded generator, so the corpus is the same each run.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generator(schema, seed) {
  const rand = rng(seed);
  const pick = (arr) => arr[Math.floor(rand() * arr.length)];
  const chance = (p) => rand() < p;
  const typeMap = schema.getTypeMap();
  const userTypes = Object.values(typeMap).filter((t) => !t.name.startsWith('__'));
  const composite = userTypes.filter((t) => isObjectType(t) || isInterfaceType(t) || isUnionType(t));
  const inputTypes = ['Int', 'Int!', 'String', 'Boolean', 'Boolean!', 'ID', 'Float', 'FurColor',
    '[String]', '[String!]', 'ComplexInput', 'OneOfInput', 'OneOfInput!', 'DogCommand', 'JSON',
    'Dog', 'Unknown', '[Int!]!'];
  const directives = ['@include(if: true)', '@skip(if: $v0)', '@onField', '@onQuery',
    '@unknown', '@repeatable @repeatable', '@include', '@skip(if: "no")', '@onInlineFragment',
    '@onFragmentSpread', '@withArgs(required: "x")', '@include(if: true) @include(if: false)'];
  let variables = [];
  let fragments = [];

  function literal(type, depth) {
    const named = type ? getNamedType(type) : null;
    if (chance(0.2) && variables.length) return '$' + pick(variables).name;
    if (chance(0.15)) return '$v' + Math.floor(rand() * 4);
    if (chance(0.15) || !named) {
      return pick(['1', '-7', '2147483648', '1.5', '"str"', 'true', 'null', 'BROWN', 'SIT',
        'brown', '[1, 2]', '{a: 1}', '""', '[]', '{}', '"""block"""', '0', '1e3']);
    }
    if (type && isNonNullType(type) && chance(0.1)) return 'null';
    const inner = type && isNonNullType(type) ? type.ofType : type;
    if (inner && isListType(inner)) {
      if (chance(0.3)) return literal(inner.ofType, depth + 1);
      const n = Math.floor(rand() * 3);
      return '[' + Array.from({ length: n }, () => literal(inner.ofType, depth + 1)).join(', ') + ']';
    }
    if (isEnumType(named)) return chance(0.8) ? pick(named.getValues()).name : pick(['BRWN', 'HEEL', '"SIT"']);
    if (isInputObjectType(named)) {
      if (depth > 2) return '{}';
      const fields = Object.values(named.getFields());
      const chosen = fields.filter(() => chance(0.5));
      if (chance(0.2)) chosen.push({ name: pick(['unknown', 'intFeld', 'requiredField']), type: null });
      return '{' + chosen.map((f) => `${f.name}: ${literal(f.type, depth + 1)}`).join(', ') + '}';
    }
    switch (named.name) {
      case 'Int': return pick(['1', '42', '-1', '2147483647', '99999999999', '1.0', '"1"']);
      case 'Float': return pick(['1.5', '1', '-0.0', 'true']);
      case 'String': return pick(['"a"', '"\\u00e9"', '1', '"""b"""']);
      case 'Boolean': return pick(['true', 'false', '0', '"true"']);
      case 'ID': return pick(['"x"', '7', '1.5']);
      default: return pick(['1', '"x"', '{a: [1]}']);
    }
  }

  function args(field) {
    const parts = [];
    for (const a of field ? field.args : []) {
      if (chance(0.6)) parts.push(`${a.name}: ${literal(a.type, 0)}`);
    }
    if (chance(0.1)) parts.push(`${pick(['unknownArg', 'surnam', 'x'])}: ${literal(null, 0)}`);
    if (chance(0.05) && parts.length) parts.push(parts[0]);
    return parts.length ? '(' + parts.join(', ') + ')' : '';
  }

  function dirs() {
    return chance(0.12) ? ' ' + pick(directives) : '';
  }

  function selectionSet(type, depth) {
    const n = 1 + Math.floor(rand() * 3);
    const out = [];
    for (let i = 0; i < n; i++) out.push(selection(type, depth));
    return '{ ' + out.join(' ') + ' }';
  }

  function selection(type, depth) {
    const r = rand();
    if (r < 0.12 && depth < 4) {
      const cond = chance(0.8) ? pick(composite).name : pick(['FurColor', 'Int', 'Nope']);
      const t = typeMap[cond];
      const tc = chance(0.85) ? ` on ${cond}` : '';
      return `...${tc}${dirs()} ${selectionSet(tc && t && (isObjectType(t) || isInterfaceType(t) || isUnionType(t)) ? t : type, depth + 1)}`;
    }
    if (r < 0.22) {
      if (chance(0.8) || fragments.length === 0) {
        const name = 'F' + Math.floor(rand() * 5);
        if (!fragments.some((f) => f.name === name)) {
          fragments.push({ name, on: chance(0.85) ? (type ? type.name : pick(composite).name) : pick(composite).name, depth });
        }
        return `...${name}${dirs()}`;
      }
      return `...${pick(['Missing', fragments[0].name])}`;
    }
    const fields = type && (isObjectType(type) || isInterfaceType(type)) ? Object.values(type.getFields()) : [];
    let field = null;
    let name;
    if (fields.length && chance(0.88)) {
      field = pick(fields);
      name = field.name;
    } else {
      name = pick(['__typename', 'unknownField', 'name', 'barks', '__schema', '__type', 'meows']);
    }
    const alias = chance(0.12) ? pick(['a', 'name', 'x']) + ': ' : '';
    const fieldType = field ? getNamedType(field.type) : null;
    let sub = '';
    if (fieldType && !isLeafType(fieldType) && depth < 4) sub = ' ' + selectionSet(fieldType, depth + 1);
    else if (chance(0.05) && depth < 4) sub = ' { __typename }';
    else if (!fieldType && name === '__schema' && depth < 4) sub = ' { types { fields { name } } }';
    return `${alias}${name}${args(field)}${dirs()}${sub}`;
  }

  return function document() {
    variables = [];
    fragments = [];
    const nops = chance(0.85) ? 1 : 2;
    const ops = [];
    for (let o = 0; o < nops; o++) {
      const kind = pick(['query', 'query', 'query', 'mutation', 'subscription', '']);
      const root = kind === 'mutation' ? schema.getMutationType()
        : kind === 'subscription' ? schema.getSubscriptionType() : schema.getQueryType();
      const nv = Math.floor(rand() * 3);
      variables = Array.from({ length: nv }, (_, i) => ({ name: 'v' + (chance(0.9) ? i : 0), type: pick(inputTypes) }));
      const varDefs = variables.length && kind !== ''
        ? '(' + variables.map((v) => `$${v.name}: ${v.type}${chance(0.15) ? ' = ' + literal(null, 0) : ''}`).join(', ') + ')' : '';
      const name = kind === '' ? '' : (chance(0.8) ? ` Op${chance(0.9) ? o : 0}` : '');
      const head = kind === '' ? '' : `${kind}${name}${varDefs}${dirs()} `;
      ops.push(head + selectionSet(root, 0));
    }
    const defs = [];
    for (let i = 0; i < fragments.length; i++) {
      const f = fragments[i];
      const t = typeMap[f.on];
      defs.push(`fragment ${f.name} on ${f.on}${dirs()} ${selectionSet(t, Math.max(f.depth, 2))}`);
    }
    if (chance(0.05)) defs.push('fragment Unused on Dog { name }');
    const all = chance(0.5) ? [...ops, ...defs] : [...defs, ...ops];
    return all.join('\n') + '\n';
  };
}

test('a random corpus of 1,000 documents agrees with graphql-js', () => {
  const schema = buildSchema(readFileSync(SHARED, 'utf8'));
  const gen = generator(schema, 20251121);
  const dir = mkdtempSync(path.join(tmpdir(), 'gqld-validate-'));
  try {
    const files = [];
    const texts = new Map();
    let invalid = 0;
    for (let i = 0; i < 1000; i++) {
      let text = gen();
      try {
        parse(text);
      } catch {
        text = '{ dog { name } }\n'; // keep the count; syntax is tested elsewhere
      }
      const file = path.join(dir, `doc_${i}.graphql`);
      writeFileSync(file, text);
      files.push(file);
      texts.set(file, text);
      if (reference(schema, text).length) invalid++;
    }
    const failures = checkBatch(SHARED, files, texts);
    assert.ok(invalid > 300 && invalid < 1000, `corpus too uniform: ${invalid} invalid`);
    if (process.env.GQLD_STATS) console.log(`invalid ${invalid} / ${files.length}`, [...new Set([...texts.values()].flatMap((t) => reference(schema, t).map((e) => e.message.replace(/"[^"]*"/g, "\"\"").slice(0, 50))))].length, "message shapes");
    assert.deepEqual(failures.slice(0, 5), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
