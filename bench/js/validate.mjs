// bench/js/validate.mjs — the reference numbers for bench/bench_validate.c:
// graphql-js's validate(schema, doc) (every specified rule, the defaults) on
// the same operations against the same schema, built once with
// buildSchema(sdl, { assumeValid: true, assumeValidSDL: true }). Each file is
// parsed once, outside the timing; then validate() runs for 0.5 s of warm-up
// and again for about --seconds seconds. One JSON line per file, with the
// same fields as the C benchmark:
//   {"name":"validate","impl":"graphql-js-16","file":F,"schema":S,"bytes":N,
//    "iterations":K,"ms_per_validation":X,"ms_per_op":X,"ms_min":Y,
//    "ops_per_s":Z,"errors":E}
//
// Usage: node bench/js/validate.mjs [--lib graphql16|graphql] [--seconds S]
//                                   [--schema FILE] [FILE...]
// --lib defaults to graphql16 (graphql-js 16); FILE defaults to
// bench/data/introspection_query.graphql and bench/data/github_large_query.graphql.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

import { measure } from './measure.mjs';

const LIBS = { graphql16: 'graphql-js-16', graphql: 'graphql-js-17' };
const DEFAULT_FILES = ['bench/data/introspection_query.graphql', 'bench/data/github_large_query.graphql'];

const o = {
  lib: 'graphql16',
  seconds: 2,
  warmupSeconds: 0.5,
  schema: 'node_modules/@octokit/graphql-schema/schema.graphql',
  files: [],
};
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--lib') o.lib = argv[++i];
  else if (a === '--seconds') o.seconds = Number(argv[++i]);
  else if (a === '--schema') o.schema = argv[++i];
  else if (a.startsWith('-')) {
    process.stderr.write(
      'usage: node bench/js/validate.mjs [--lib graphql16|graphql] [--seconds S] [--schema FILE] [FILE...]\n',
    );
    process.exit(2);
  } else o.files.push(a);
}
if (!(o.lib in LIBS)) {
  process.stderr.write(`validate.mjs: --lib must be one of ${Object.keys(LIBS)}\n`);
  process.exit(2);
}
if (!o.files.length) o.files = DEFAULT_FILES;

const lib = await import(o.lib);
const schema = lib.buildSchema(readFileSync(o.schema, 'utf8'), { assumeValid: true, assumeValidSDL: true });

let status = 0;
for (const file of o.files) {
  const text = readFileSync(file, 'utf8');
  const doc = lib.parse(text);
  const errors = lib.validate(schema, doc);
  for (const e of errors.slice(0, 5)) process.stderr.write(`validate.mjs: ${basename(file)}: ${e.message}\n`);

  const { iterations, totalMs, minMs: min, sink } = measure(
    () => lib.validate(schema, doc),
    o.seconds,
    o.warmupSeconds,
  );
  if (sink.length !== errors.length) status = 1;

  const meanMs = totalMs / iterations;
  console.log(
    JSON.stringify({
      name: 'validate',
      impl: LIBS[o.lib],
      version: lib.version,
      file: basename(file),
      schema: basename(o.schema),
      bytes: Buffer.byteLength(text, 'utf8'),
      iterations,
      seconds: Number((totalMs / 1e3).toFixed(3)),
      ms_per_validation: Number(meanMs.toFixed(5)),
      ms_per_op: Number(meanMs.toFixed(5)),
      ms_min: Number(min.toFixed(5)),
      ops_per_s: Number((1e3 / meanMs).toFixed(2)),
      errors: errors.length,
    }),
  );
}
process.exit(status);
