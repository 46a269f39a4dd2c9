// tests/diff/introspection.test.mjs — differential tests of introspection
// against graphql-js.
//
// The same introspection queries run through `gqld exec` and graphql-js's
// graphql(); the responses must be equal as JSON text, byte for byte (key
// order, list order, nulls, default values as print() writes them). And
// `gqld schema --introspection` must print exactly
// JSON.stringify(introspectionFromSchema(schema)).
//
// Schemas:
//   tests/data/introspection/features.graphql  every feature introspection
//      shows: descriptions (schema, types, fields, arguments, enum values,
//      directives), deprecation of fields, arguments, input fields, enum
//      values and directives, @oneOf, @specifiedBy, repeatable directives
//      with several locations, interfaces implementing interfaces, unions,
//      default values of every kind, lists nested deeper than typeDepth
//   node_modules/@octokit/graphql-schema/schema.graphql  GitHub's public
//      schema, built with validation off on both sides (it repeats fields)
//
// Queries: getIntrospectionQuery() with its options all on, all off, each
// one flipped from both, and the defaults; then hand-written __type and
// includeDeprecated queries on the features schema.
//
// Environment: GQLD (path of gqld), GQL_BUILD_DIR (scratch files).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSchema, getIntrospectionQuery, graphql, introspectionFromSchema } from 'graphql';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BUILD = path.resolve(ROOT, process.env.GQL_BUILD_DIR ?? 'build');
const GQLD = path.resolve(ROOT, process.env.GQLD ?? path.join(BUILD, 'gqld'));
const FEATURES = path.join(ROOT, 'tests/data/introspection/features.graphql');
const GITHUB_SCHEMA = path.join(ROOT, 'node_modules/@octokit/graphql-schema/schema.graphql');
const HAVE_GITHUB = fs.existsSync(GITHUB_SCHEMA);

const SCRATCH = fs.mkdtempSync(path.join(BUILD, 'introspection-'));
process.on('exit', () => fs.rmSync(SCRATCH, { recursive: true, force: true }));

function run(args) {
  const r = spawnSync(GQLD, args, { encoding: 'utf8', maxBuffer: 256 << 20 });
  if (r.error) throw r.error;
  return r;
}

const schemas = new Map();
function schemaOf(file, assumeValid) {
  if (!schemas.has(file)) {
    const sdl = fs.readFileSync(file, 'utf8');
    const options = assumeValid ? { assumeValid: true, assumeValidSDL: true } : undefined;
    schemas.set(file, buildSchema(sdl, options));
  }
  return schemas.get(file);
}

let queryFiles = 0;
// Runs query through `gqld exec` and graphql-js and compares the responses.
async function compare(file, assumeValid, query) {
  const expected = JSON.stringify(await graphql({ schema: schemaOf(file, assumeValid), source: query }));
  const queryFile = path.join(SCRATCH, `q${queryFiles++}.graphql`);
  fs.writeFileSync(queryFile, query);
  const flags = assumeValid ? ['--assume-valid'] : [];
  const r = run(['exec', '--schema', file, ...flags, '--query-file', queryFile]);
  assert.equal(r.stderr, '', `gqld exec wrote to standard error for:\n${query}`);
  assert.equal(r.status, 0, `gqld exec failed for:\n${query}`);
  assertSameJson(r.stdout.replace(/\n$/, ''), expected, query);
}

// Equal text, or a message that points at the first difference (the
// responses are megabytes long).
function assertSameJson(actual, expected, what) {
  if (actual === expected) return;
  let i = 0;
  while (i < actual.length && actual[i] === expected[i]) i++;
  const from = Math.max(0, i - 200);
  assert.fail(
    `responses differ at byte ${i} (lengths ${actual.length} and ${expected.length}) for:\n` +
      `${what.slice(0, 300)}\n` +
      `gqld:       ...${actual.slice(from, i + 200)}\n` +
      `graphql-js: ...${expected.slice(from, i + 200)}`,
  );
}

// The options of getIntrospectionQuery that change what it selects.
const OPTIONS = [
  'descriptions',
  'specifiedByUrl',
  'directiveIsRepeatable',
  'schemaDescription',
  'inputValueDeprecation',
  'experimentalDirectiveDeprecation',
  'oneOf',
];

function optionSets() {
  const all = (value) => Object.fromEntries(OPTIONS.map((o) => [o, value]));
  const sets = [
    ['defaults', {}],
    ['all on', all(true)],
    ['all off', all(false)],
  ];
  for (const o of OPTIONS) {
    sets.push([`all on but ${o}`, { ...all(true), [o]: false }]);
    sets.push([`all off but ${o}`, { ...all(false), [o]: true }]);
  }
  return sets;
}

const CORPORA = [
  { name: 'features', file: FEATURES, assumeValid: false, skip: false },
  { name: 'GitHub', file: GITHUB_SCHEMA, assumeValid: true, skip: !HAVE_GITHUB },
];

for (const { name, file, assumeValid, skip } of CORPORA) {
  test(`getIntrospectionQuery, every option combination: ${name}`, { skip }, async (t) => {
    for (const [label, options] of optionSets()) {
      await t.test(label, () => compare(file, assumeValid, getIntrospectionQuery(options)));
    }
  });

  test(`gqld schema --introspection equals introspectionFromSchema: ${name}`, { skip }, () => {
    const expected = JSON.stringify(introspectionFromSchema(schemaOf(file, assumeValid))) + '\n';
    const r = run(['schema', ...(assumeValid ? ['--assume-valid'] : []), '--introspection', file]);
    assert.equal(r.stderr, '');
    assert.equal(r.status, 0);
    assertSameJson(r.stdout, expected, `gqld schema --introspection ${file}`);
  });
}

test('typeDepth: shallower and deeper than the nesting of the types', async () => {
  for (const typeDepth of [0, 1, 3, 12]) {
    await compare(FEATURES, false, getIntrospectionQuery({ typeDepth, oneOf: true }));
  }
});

const TYPE_QUERIES = {
  'an object type with interfaces, fields and arguments': `{
    __type(name: "Book") {
      kind name description specifiedByURL isOneOf
      interfaces { name kind }
      possibleTypes { name }
      enumValues { name }
      inputFields { name }
      ofType { name }
      fields { name args { name defaultValue } type { kind name ofType { kind name } } }
      all: fields(includeDeprecated: true) { name isDeprecated deprecationReason }
      none: fields(includeDeprecated: false) { name }
    }
  }`,
  'an unknown type is null': `{ __type(name: "Nope") { name } }`,
  'a built-in type': `{ t: __type(name: "__Type") { name description fields { name args { name type { kind ofType { name } } defaultValue } } } }`,
  'the built-in scalars and specifiedByURL': `{
    a: __type(name: "String") { kind name description specifiedByURL }
    b: __type(name: "DateTime") { kind name description specifiedByURL }
    c: __type(name: "Plain") { kind name description specifiedByURL fields { name } }
  }`,
  'interface possible types (type-map order) and interfaces of interfaces': `{
    node: __type(name: "Node") { kind interfaces { name } possibleTypes { name } fields { name } }
    titled: __type(name: "Titled") { interfaces { name } possibleTypes { name } }
    dated: __type(name: "Dated") { interfaces { name } possibleTypes { name } }
  }`,
  'union members in definition order': `{
    u: __type(name: "SearchResult") { kind description possibleTypes { name kind } fields { name } interfaces { name } }
    s: __type(name: "Single") { possibleTypes { name } }
  }`,
  'enum values with and without deprecated ones': `{
    __type(name: "Scope") {
      kind description
      enumValues { name description isDeprecated deprecationReason }
      all: enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
      no: enumValues(includeDeprecated: false) { name }
    }
  }`,
  'input fields, @oneOf and default values': `{
    f: __type(name: "Filter") {
      kind isOneOf
      inputFields { name description defaultValue isDeprecated deprecationReason }
      all: inputFields(includeDeprecated: true) { name defaultValue isDeprecated deprecationReason type { kind name } }
    }
    l: __type(name: "Lookup") {
      isOneOf
      inputFields(includeDeprecated: true) { name description isDeprecated }
    }
    q: __type(name: "Query") { isOneOf fields(includeDeprecated: true) { name args(includeDeprecated: true) { name defaultValue isDeprecated deprecationReason } isDeprecated deprecationReason } }
  }`,
  'arguments with and without deprecated ones': `{
    __type(name: "Titled") {
      fields {
        name
        args { name isDeprecated }
        a: args(includeDeprecated: false) { name }
        b: args(includeDeprecated: true) { name description isDeprecated deprecationReason defaultValue }
      }
    }
  }`,
  'directives with and without deprecated ones': `{
    __schema {
      description
      queryType { name } mutationType { name } subscriptionType { name }
      directives { name }
      all: directives(includeDeprecated: true) {
        name description isRepeatable locations isDeprecated deprecationReason
        args { name }
        allArgs: args(includeDeprecated: true) { name defaultValue isDeprecated deprecationReason }
      }
      none: directives(includeDeprecated: false) { name }
    }
  }`,
  'the type list, __typename and deep wrappers': `{
    __schema { types { __typename name kind } }
    __type(name: "Book") {
      __typename
      fields {
        __typename
        name
        type { __typename kind name ${'ofType { kind '.repeat(20)}name${' }'.repeat(20)} }
      }
    }
  }`,
  'introspection through fragments and aliases': `
    query Q { ...S t: __type(name: "Author") { ...T } }
    fragment S on Query { __schema { queryType { ...T } } }
    fragment T on __Type { n: name k: kind fields(includeDeprecated: true) { name isDeprecated } }
  `,
};

for (const [label, query] of Object.entries(TYPE_QUERIES)) {
  test(`__type and includeDeprecated: ${label}`, () => compare(FEATURES, false, query));
}

test('an empty-ish schema: only a query type, no descriptions', async () => {
  const file = path.join(SCRATCH, 'minimal.graphql');
  fs.writeFileSync(file, 'type Query { a: Int }\n');
  await compare(file, false, getIntrospectionQuery({ oneOf: true, schemaDescription: true }));
  const r = run(['schema', '--introspection', file]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, JSON.stringify(introspectionFromSchema(schemaOf(file, false))) + '\n');
});

// Corners of the schema model that introspection shows as they are:
// repeated directive locations, escapes and block strings in default
// values, extensions that add deprecated members, repeated fields and union
// members (validation off), an empty specifiedBy URL.
const ODD_SCHEMAS = {
  'default values with escapes, block strings, nested lists': {
    assumeValid: false,
    sdl:
      'directive @d on FIELD | FIELD | QUERY\n' +
      'type Query { a(s: String = "\\u00e9\\t\\u0001\\"\\\\ \\u{1F600}", b: String = """  x\\n  """, ' +
      'f: Float = 1e10, i: [[Int]] = [[1], [], null]): Int }\n',
  },
  'extensions, repeats and block descriptions (validation off)': {
    assumeValid: true,
    sdl: `"""
  Indented
    block
"""
type Query { a: Int, a: String, u: U }
union U = Query | Query
extend type Query { b: Int @deprecated(reason: """multi
line""") }
extend enum E { Y @deprecated }
enum E { X }
extend schema @d
directive @d on SCHEMA
input I { a: Int = 1 }
extend input I { b: String @deprecated }
`,
  },
  'custom scalar defaults and an empty specifiedBy URL': {
    assumeValid: false,
    sdl: 'scalar S @specifiedBy(url: "")\ntype Query { s(x: S = {a: [1, {b: ENUMISH, c: null}]}): S }\n',
  },
};

for (const [label, { assumeValid, sdl }] of Object.entries(ODD_SCHEMAS)) {
  test(`gqld schema --introspection: ${label}`, () => {
    const file = path.join(SCRATCH, `odd${queryFiles++}.graphql`);
    fs.writeFileSync(file, sdl);
    const expected = JSON.stringify(introspectionFromSchema(schemaOf(file, assumeValid))) + '\n';
    const r = run(['schema', ...(assumeValid ? ['--assume-valid'] : []), '--introspection', file]);
    assert.equal(r.stderr, '');
    assert.equal(r.status, 0);
    assertSameJson(r.stdout, expected, label);
  });
}

test('gqld schema: --introspection and --type-map exclude each other', () => {
  const r = run(['schema', '--introspection', '--type-map', FEATURES]);
  assert.equal(r.status, 2);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /exclude each other/);
});
