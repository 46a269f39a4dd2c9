// bench/js/overlap.mjs — the reference numbers for bench/bench_overlap.c:
// graphql-js's validate(schema, doc, [OverlappingFieldsCanBeMergedRule]) on
// the same generated documents (keep the generators in step with the C
// file), best of K runs, parsing excluded. One JSON line per (family, N):
//   {"name":"overlap_<family>","impl":"graphql-js-17","n":N,"bytes":B,
//    "ms":X,"conflicts":C,"aborted":false}
// (conflicts counts the rule's errors; validate stops at 100.)
//
// graphql-js 16 (16.15 here) aborts at the same documents as 17.
//
// Usage: node bench/js/overlap.mjs [--lib graphql|graphql16] [--repeat K]
//        (from the source root; --lib defaults to graphql, graphql-js 17)
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const LIBS = { graphql16: 'graphql-js-16', graphql: 'graphql-js-17' };
let repeat = 7;
let libName = 'graphql';
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--repeat') repeat = Math.max(1, Number(argv[++i]));
  else if (argv[i] === '--lib' && argv[i + 1] in LIBS) libName = argv[++i];
  else {
    process.stderr.write('usage: node bench/js/overlap.mjs [--lib graphql|graphql16] [--repeat K]\n');
    process.exit(2);
  }
}
const { buildSchema, OverlappingFieldsCanBeMergedRule, parse, validate } = await import(libName);

const schema = buildSchema(readFileSync('tests/data/overlap/schema.graphqls', 'utf8'));
const rep = (n, pre, numbered = false, post = '') => {
  let s = '';
  for (let i = 0; i < n; i++) s += pre + (numbered ? String(i) : '') + post + ' ';
  return s;
};

const families = [
  ['identical', (n) => `{ ${rep(n, 'a')}}\n`, [100, 300, 700, 1000, 5000, 50000]],
  ['spread', (n) => `{ dog { x: name ${rep(n, '...A')}} }\nfragment A on Dog { name x: name }\n`,
    [100, 1000, 10000, 50000]],
  ['all_spread_all', (n) => {
    let s = `{ dog { ${rep(n, '...F', true)}} }\n`;
    for (let i = 0; i < n; i++) s += `fragment F${i} on Dog { x: name ${rep(n, '...F', true)}}\n`;
    return s;
  }, [10, 20, 40, 50, 100, 200]],
  ['deep', (n) => {
    let s = '{ ';
    for (let k = 0; k < 3; k++) s += rep(n, 'deep {') + (k === 1 ? 'x: b ' : 'x: a ') + rep(n, '}');
    return s + '}\n';
  }, [10, 50, 100, 200, 250]],
  ['wide', (n) => {
    let s = '{ ';
    for (let k = 0; k < 4; k++) s += 'deep { ' + rep(n, 'f', true, ': a') + '} ';
    return s + '}\n';
  }, [100, 1000, 5000, 20000]],
  ['typed', (n) => `{ ${rep(n, 'pet { ... on Dog { tags scores owner { relatives { iq } } } ... on Cat { tags scores owner { relatives { iq } } } }')}}\n`,
    [10, 50, 100, 130, 500]],
];

for (const [name, gen, sizes] of families) {
  for (const n of sizes) {
    const text = gen(n);
    const doc = parse(text, { maxTokens: 1000000 });
    let best = Infinity;
    let errors = [];
    for (let k = 0; k < repeat; k++) {
      const t0 = performance.now();
      try {
        errors = validate(schema, doc, [OverlappingFieldsCanBeMergedRule]);
      } catch (e) {
        errors = [{ message: `THROWN ${e.constructor.name}` }];
      }
      best = Math.min(best, performance.now() - t0);
    }
    const aborted = errors.some((e) => e.message === 'Validation aborted.');
    const conflicts = errors.filter((e) => e.message.startsWith('Fields ')).length;
    console.log(JSON.stringify({
      name: `overlap_${name}`, impl: LIBS[libName], n, bytes: Buffer.byteLength(text),
      ms: Number(best.toFixed(3)), conflicts, aborted,
    }));
  }
}
