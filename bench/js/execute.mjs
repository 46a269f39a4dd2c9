// bench/js/execute.mjs — the reference numbers for bench/bench_execute.c:
// execution alone (no parsing, no validation) of the same queries on the
// same schemas and data, by graphql-js or by graphql-jit. One operation is
// a request turned into its response text:
//   graphql-js   JSON.stringify(execute({ schema, document, rootValue }))
//                on a document parsed once, outside the timing;
//   graphql-jit  compiled.stringify(compiled.query(rootValue, {}, {})) on a
//                query compiled once (compileQuery) outside the timing,
//                with its fast-json-stringify serializer
//                (customJSONSerializer).
// Workloads (bench/README.md, "Execution"):
//   list100        bench/data/exec/list100.graphql: 100 items of ten scalars
//                  and two small nested objects;
//   nested         bench/data/exec/nested.graphql: a catalogue tree of
//                  about 3,000 fields;
//   introspection  bench/data/introspection_query.graphql (graphql-js 16's
//                  getIntrospectionQuery()) on GitHub's public schema,
//                  built with assumeValid and assumeValidSDL.
// list100 and nested run twice: with the default resolver reading a
// JSON.parse'd bench/data/exec/data.json ("resolvers":"default"), and with
// a resolver function on every field reading objects built from the same
// data ("resolvers":"functions"), as bench_execute's C resolvers do.
// After 0.5 s of warm-up each is timed for about --seconds seconds. One JSON
// line per (workload, resolvers), with the fields of bench_execute:
//   {"name":"execute","impl":"graphql-jit","workload":W,"resolvers":R,
//    "fields":F,"out_bytes":B,"out_hash":H,"iterations":K,"ms_per_op":X,
//    "ms_min":Y,"ops_per_s":Z,"ms_execute_only":E,"heap_bytes":M}
// fields counts the members of every object under "data" in the response;
// out_hash is the FNV-1a hash (32 bits, hex) of the response's UTF-8 text,
// which must equal gqld's; ms_execute_only is the time without the
// serialization to text (measured separately, for half of --seconds);
// heap_bytes is the median growth of the V8 heap across one operation
// (roughly what one request allocates; needs --expose-gc).
//
// Usage: node --expose-gc bench/js/execute.mjs [--lib graphql16|graphql|graphql-jit]
//            [--seconds S] [--dump DIR] [WORKLOAD...]
// --lib defaults to graphql16 (graphql-js 16). graphql-jit runs on
// graphql-js 16: its own require('graphql') is sent to the graphql16
// package (the project's graphql package is graphql-js 17).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { join } from 'node:path';

import { measure } from './measure.mjs';

const LIBS = { graphql16: 'graphql-js-16', graphql: 'graphql-js-17', 'graphql-jit': 'graphql-jit' };
const WORKLOADS = ['list100', 'nested', 'introspection'];
const GITHUB_SCHEMA = 'node_modules/@octokit/graphql-schema/schema.graphql';
const DATA = 'bench/data/exec';

const o = { lib: 'graphql16', seconds: 2, warmupSeconds: 0.5, dump: null, workloads: [] };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--lib') o.lib = argv[++i];
  else if (a === '--seconds') o.seconds = Number(argv[++i]);
  else if (a === '--dump') o.dump = argv[++i];
  else if (!a.startsWith('-') && WORKLOADS.includes(a)) o.workloads.push(a);
  else {
    process.stderr.write(
      'usage: node --expose-gc bench/js/execute.mjs [--lib graphql16|graphql|graphql-jit] [--seconds S] ' +
        `[--dump DIR] [${WORKLOADS.join('|')}...]\n`,
    );
    process.exit(2);
  }
}
if (!(o.lib in LIBS)) {
  process.stderr.write(`execute.mjs: --lib must be one of ${Object.keys(LIBS)}\n`);
  process.exit(2);
}
if (!o.workloads.length) o.workloads = WORKLOADS;

// ---- the library ---------------------------------------------------------
const require = createRequire(import.meta.url);
let graphql;
let jit = null;
if (o.lib === 'graphql-jit') {
  // graphql-jit is CommonJS and asks for 'graphql' (and a few deep paths):
  // answer with graphql16, so that it and the schemas below share one
  // graphql-js 16 instance.
  const jitDir = join(require.resolve('graphql-jit'), '..', '..');
  const resolveFilename = Module._resolveFilename;
  Module._resolveFilename = function (request, parent, ...rest) {
    if ((request === 'graphql' || request.startsWith('graphql/')) && parent?.filename?.startsWith(jitDir))
      request = 'graphql16' + request.slice('graphql'.length);
    return resolveFilename.call(this, request, parent, ...rest);
  };
  graphql = require('graphql16');
  jit = require('graphql-jit');
} else {
  graphql = require(o.lib);
}
const version = jit ? `${require('graphql-jit/package.json').version} on graphql ${graphql.version}` : graphql.version;

// ---- schemas, data and resolvers ------------------------------------------
const buildOpts = { assumeValid: true, assumeValidSDL: true };
const execSdl = readFileSync(join(DATA, 'schema.graphql'), 'utf8');
const jsonRoot = JSON.parse(readFileSync(join(DATA, 'data.json'), 'utf8'));

// The "functions" variant: the data as class instances whose properties are
// named differently from the fields (so no default resolver could serve
// them), and one resolver per field, as an application writes them.
class Seller {
  constructor(j) {
    this.sellerId = j.id;
    this.displayName = j.name;
    this.mail = j.email;
    this.isVerified = j.verified;
    this.trust = j.score;
  }
}
class Location {
  constructor(j) {
    this.cityName = j.city;
    this.countryName = j.country;
    this.lat = j.latitude;
    this.lng = j.longitude;
  }
}
class Review {
  constructor(j) {
    this.reviewId = j.id;
    this.rating = j.stars;
    this.heading = j.title;
    this.isHelpful = j.helpful;
  }
}
class Item {
  constructor(j) {
    this.itemId = j.id;
    this.skuCode = j.sku;
    this.title = j.name;
    this.text = j.description;
    this.cost = j.price;
    this.score = j.rating;
    this.inStock = j.stock;
    this.viewCount = j.views;
    this.isAvailable = j.available;
    this.state = j.status;
    this.sellerObj = new Seller(j.seller);
    this.locationObj = j.location === null ? null : new Location(j.location);
    this.reviewList = j.reviews.map((r) => new Review(r));
  }
}
class Category {
  constructor(j) {
    this.categoryId = j.id;
    this.label = j.name;
    this.itemList = j.items.map((i) => new Item(i));
  }
}
class Department {
  constructor(j) {
    this.departmentId = j.id;
    this.label = j.name;
    this.categoryList = j.categories.map((c) => new Category(c));
  }
}
class Catalog {
  constructor(j) {
    this.catalogId = j.id;
    this.label = j.name;
    this.updatedAt = j.updated;
    this.departmentList = j.departments.map((d) => new Department(d));
  }
}
const objectRoot = { itemList: jsonRoot.items.map((i) => new Item(i)), catalogObj: new Catalog(jsonRoot.catalog) };

const RESOLVERS = {
  Query: { items: (p) => p.itemList, catalog: (p) => p.catalogObj },
  Item: {
    id: (p) => p.itemId,
    sku: (p) => p.skuCode,
    name: (p) => p.title,
    description: (p) => p.text,
    price: (p) => p.cost,
    rating: (p) => p.score,
    stock: (p) => p.inStock,
    views: (p) => p.viewCount,
    available: (p) => p.isAvailable,
    status: (p) => p.state,
    seller: (p) => p.sellerObj,
    location: (p) => p.locationObj,
    reviews: (p) => p.reviewList,
  },
  Seller: {
    id: (p) => p.sellerId,
    name: (p) => p.displayName,
    email: (p) => p.mail,
    verified: (p) => p.isVerified,
    score: (p) => p.trust,
  },
  Location: {
    city: (p) => p.cityName,
    country: (p) => p.countryName,
    latitude: (p) => p.lat,
    longitude: (p) => p.lng,
  },
  Review: {
    id: (p) => p.reviewId,
    stars: (p) => p.rating,
    title: (p) => p.heading,
    helpful: (p) => p.isHelpful,
  },
  Catalog: {
    id: (p) => p.catalogId,
    name: (p) => p.label,
    updated: (p) => p.updatedAt,
    departments: (p) => p.departmentList,
  },
  Department: { id: (p) => p.departmentId, name: (p) => p.label, categories: (p) => p.categoryList },
  Category: { id: (p) => p.categoryId, name: (p) => p.label, items: (p) => p.itemList },
};

function execSchema(withResolvers) {
  const schema = graphql.buildSchema(execSdl, buildOpts);
  if (withResolvers) {
    for (const [typeName, fields] of Object.entries(RESOLVERS)) {
      const type = schema.getType(typeName);
      for (const [fieldName, fn] of Object.entries(fields)) type.getFields()[fieldName].resolve = fn;
    }
  }
  return schema;
}

// ---- one run ---------------------------------------------------------------
// The members of every object below "data", as bench_execute counts them.
function countFields(v) {
  if (Array.isArray(v)) return v.reduce((n, x) => n + countFields(x), 0);
  if (v === null || typeof v !== 'object') return 0;
  let n = 0;
  for (const k in v) n += 1 + countFields(v[k]);
  return n;
}

function fnv1a(text) {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

// Median growth of the V8 heap across one call of fn (runs without a
// collection in between only; a collection makes the heap shrink).
function heapBytes(fn) {
  if (typeof globalThis.gc !== 'function') return undefined;
  const samples = [];
  for (let k = 0; k < 15; k++) {
    globalThis.gc();
    const before = process.memoryUsage().heapUsed;
    const keep = fn();
    const grown = process.memoryUsage().heapUsed - before;
    if (keep !== undefined && grown > 0) samples.push(grown);
  }
  samples.sort((a, b) => a - b);
  return samples.length ? samples[samples.length >> 1] : undefined;
}

function runOne(workload, resolvers, schema, queryFile, rootValue) {
  let source = readFileSync(queryFile, 'utf8');
  // The variant gqld executes every time (see bench/bench_execute.c).
  if (resolvers === 'executed') source = source.replace('__schema {', '__schema @include(if: true) {');
  const document = graphql.parse(source);
  let exec;
  let stringify;
  if (jit) {
    const compiled = jit.compileQuery(schema, document, undefined, { customJSONSerializer: true });
    if (!jit.isCompiledQuery(compiled)) throw new Error(`${workload}: ${JSON.stringify(compiled)}`);
    exec = () => compiled.query(rootValue, {}, {});
    stringify = (r) => compiled.stringify(r);
  } else {
    exec = () => graphql.execute({ schema, document, rootValue });
    stringify = (r) => JSON.stringify(r);
  }
  const op = () => stringify(exec());

  const text = op();
  const response = JSON.parse(text);
  if (response.errors) {
    process.stderr.write(`execute.mjs: ${workload}: ${JSON.stringify(response.errors).slice(0, 400)}\n`);
    return false;
  }
  if (o.dump) {
    mkdirSync(o.dump, { recursive: true });
    writeFileSync(join(o.dump, `${LIBS[o.lib]}-${workload}-${resolvers}.json`), text);
  }

  const { iterations, totalMs, minMs: min } = measure(op, o.seconds, o.warmupSeconds);
  const execOnly = measure(exec, o.seconds / 2, 0.1);
  const meanMs = totalMs / iterations;
  console.log(
    JSON.stringify({
      name: 'execute',
      impl: LIBS[o.lib],
      version,
      workload,
      resolvers,
      fields: countFields(response.data),
      out_bytes: Buffer.byteLength(text, 'utf8'),
      out_hash: fnv1a(text),
      iterations,
      seconds: Number((totalMs / 1e3).toFixed(3)),
      ms_per_op: Number(meanMs.toFixed(5)),
      ms_min: Number(min.toFixed(5)),
      ops_per_s: Number((1e3 / meanMs).toFixed(2)),
      ms_execute_only: Number((execOnly.totalMs / execOnly.iterations).toFixed(5)),
      heap_bytes: heapBytes(op),
    }),
  );
  return true;
}

let ok = true;
for (const workload of o.workloads) {
  if (workload === 'introspection') {
    const schema = graphql.buildSchema(readFileSync(GITHUB_SCHEMA, 'utf8'), buildOpts);
    ok = runOne(workload, 'default', schema, 'bench/data/introspection_query.graphql', undefined) && ok;
    ok = runOne(workload, 'executed', schema, 'bench/data/introspection_query.graphql', undefined) && ok;
    continue;
  }
  const queryFile = join(DATA, `${workload}.graphql`);
  ok = runOne(workload, 'default', execSchema(false), queryFile, jsonRoot) && ok;
  ok = runOne(workload, 'functions', execSchema(true), queryFile, objectRoot) && ok;
}
process.exit(ok ? 0 : 1);
