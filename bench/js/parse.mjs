// bench/js/parse.mjs — the reference numbers for bench/bench_parse.c:
// graphql-js's parse() and print() on the same file, measured the same way
// (warm-up, then repeat for about --seconds seconds), one JSON line each
// with the same fields as the C benchmark (bench/README.md lists them).
//
// Usage: node --expose-gc bench/js/parse.mjs [--lib graphql16|graphql]
//          [--seconds S] [--warmup-seconds S] [--only parse|print] [FILE]
// Without --lib it measures graphql-js 16 (package "graphql16") and then
// graphql-js 17 (package "graphql"), each in a fresh Node process so that
// neither one's JIT state or heap affects the other.
//
// ast_bytes is the growth of the V8 heap while one parsed document is kept
// alive (garbage collected before and after; needs --expose-gc, otherwise
// it is left out): the JavaScript counterpart of gqld's arena bytes.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';

import { measure } from './measure.mjs';

const DEFAULT_FILE = 'node_modules/@octokit/graphql-schema/schema.graphql';
const LIBS = { graphql16: 'graphql-js-16', graphql: 'graphql-js-17' };

function parseArgs(argv) {
  const o = { lib: null, seconds: 2, warmupSeconds: 0.5, only: null, file: DEFAULT_FILE };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--lib') o.lib = next();
    else if (a === '--seconds') o.seconds = Number(next());
    else if (a === '--warmup-seconds') o.warmupSeconds = Number(next());
    else if (a === '--only') o.only = next();
    else if (a.startsWith('-')) usage(`unknown option ${a}`);
    else o.file = a;
  }
  if (o.lib !== null && !(o.lib in LIBS)) usage(`--lib must be one of ${Object.keys(LIBS)}`);
  if (o.only !== null && o.only !== 'parse' && o.only !== 'print') usage('--only parse|print');
  if (!(o.seconds > 0) || !(o.warmupSeconds >= 0)) usage('bad --seconds or --warmup-seconds');
  return o;
}

function usage(message) {
  process.stderr.write(
    `parse.mjs: ${message}\n` +
      'usage: node --expose-gc bench/js/parse.mjs [--lib graphql16|graphql] [--seconds S]\n' +
      '         [--warmup-seconds S] [--only parse|print] [FILE]\n',
  );
  process.exit(2);
}

function fullGc() {
  for (let i = 0; i < 4; i++) globalThis.gc();
}

// Heap growth while one parsed document is alive.
function astBytes(parse, text) {
  if (typeof globalThis.gc !== 'function') return undefined;
  fullGc();
  const before = process.memoryUsage().heapUsed;
  const doc = parse(text);
  fullGc();
  const after = process.memoryUsage().heapUsed;
  // Keep doc reachable until after the second measurement.
  return doc.definitions.length >= 0 ? Math.max(0, after - before) : 0;
}

function line(name, impl, version, o, bytes, m, extra) {
  const meanMs = m.totalMs / m.iterations;
  return JSON.stringify({
    name,
    impl,
    version,
    file: basename(o.file),
    bytes,
    iterations: m.iterations,
    seconds: Number((m.totalMs / 1e3).toFixed(3)),
    mb_per_s: Number((bytes / 1e6 / (meanMs / 1e3)).toFixed(2)),
    [`ms_per_${name}`]: Number(meanMs.toFixed(4)),
    ms_per_op: Number(meanMs.toFixed(4)),
    ms_min: Number(m.minMs.toFixed(4)),
    ops_per_s: Number((1e3 / meanMs).toFixed(2)),
    ...extra,
  });
}

async function runOne(o) {
  const lib = await import(o.lib);
  const impl = LIBS[o.lib];
  const text = readFileSync(o.file, 'utf8');
  const bytes = Buffer.byteLength(text, 'utf8');

  if (o.only !== 'print') {
    const ast = astBytes(lib.parse, text);
    const m = measure(() => lib.parse(text), o.seconds, o.warmupSeconds);
    const extra = { definitions: m.sink.definitions.length };
    if (ast !== undefined) Object.assign(extra, { ast_bytes: ast, ast_ratio: Number((ast / bytes).toFixed(3)) });
    console.log(line('parse', impl, lib.version, o, bytes, m, extra));
  }
  if (o.only !== 'parse') {
    const doc = lib.parse(text);
    const m = measure(() => lib.print(doc), o.seconds, o.warmupSeconds);
    console.log(line('print', impl, lib.version, o, bytes, m, { out_bytes: Buffer.byteLength(m.sink, 'utf8') }));
  }
}

const o = parseArgs(process.argv.slice(2));
if (o.lib !== null) {
  await runOne(o);
} else {
  // One child process per library, same flags plus --lib.
  const self = fileURLToPath(import.meta.url);
  let status = 0;
  for (const lib of Object.keys(LIBS)) {
    const r = spawnSync(process.execPath, [...process.execArgv, self, ...process.argv.slice(2), '--lib', lib], {
      stdio: 'inherit',
    });
    if (r.status !== 0) status = 1;
  }
  process.exit(status);
}
