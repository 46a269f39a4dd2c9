// bench/js/schema.mjs — the reference numbers for bench/bench_schema.c:
// graphql-js's buildSchema(sdl, { assumeValid: true, assumeValidSDL: true })
// on the same file (parse, build and the type map, as gqld's build with
// assume_valid), measured the same way: warm-up, then repeat for about
// --seconds seconds; one JSON line with the same fields as the C benchmark.
//
// Usage: node bench/js/schema.mjs [--lib graphql16|graphql] [--seconds S] [FILE]
// --lib defaults to graphql16 (graphql-js 16, the version most servers run).
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

import { measure } from './measure.mjs';

const DEFAULT_FILE = 'node_modules/@octokit/graphql-schema/schema.graphql';
const LIBS = { graphql16: 'graphql-js-16', graphql: 'graphql-js-17' };

const o = { lib: 'graphql16', seconds: 2, warmupSeconds: 0.5, file: DEFAULT_FILE };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--lib') o.lib = argv[++i];
  else if (a === '--seconds') o.seconds = Number(argv[++i]);
  else if (a.startsWith('-')) {
    process.stderr.write('usage: node bench/js/schema.mjs [--lib graphql16|graphql] [--seconds S] [FILE]\n');
    process.exit(2);
  } else o.file = a;
}
if (!(o.lib in LIBS)) {
  process.stderr.write(`schema.mjs: --lib must be one of ${Object.keys(LIBS)}\n`);
  process.exit(2);
}

const lib = await import(o.lib);
const text = readFileSync(o.file, 'utf8');
const bytes = Buffer.byteLength(text, 'utf8');
// The type map is built by the GraphQLSchema constructor, so the call does
// all the work gqld's build does.
const build = () => lib.buildSchema(text, { assumeValid: true, assumeValidSDL: true });

const { iterations, totalMs, minMs: min, sink } = measure(build, o.seconds, o.warmupSeconds);
const meanMs = totalMs / iterations;
console.log(
  JSON.stringify({
    name: 'schema_build',
    impl: LIBS[o.lib],
    version: lib.version,
    file: basename(o.file),
    bytes,
    iterations,
    seconds: Number((totalMs / 1e3).toFixed(3)),
    ms_per_build: Number(meanMs.toFixed(4)),
    ms_per_op: Number(meanMs.toFixed(4)),
    ms_min: Number(min.toFixed(4)),
    ops_per_s: Number((1e3 / meanMs).toFixed(2)),
    types: Object.keys(sink.getTypeMap()).length,
  }),
);
