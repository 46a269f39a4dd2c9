// tests/unit/validation/gen_overlap_cases.mjs — expectations for the
// overlap cases, from graphql-js (the reference).
//
// Writes the generated cases (tests/data/overlap/gen_*.graphql: long names,
// many sub-conflicts, and adversarial documents that are too large to write
// by hand), then, for every tests/data/overlap/*.graphql, runs graphql-js's
// validate(schema, doc, [OverlappingFieldsCanBeMergedRule]) and writes
// <case>.expected: one line per error, the message, a tab, and the
// locations as line:column separated by commas.
//
// Run from the repository root: node tests/unit/validation/gen_overlap_cases.mjs
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildSchema,
  OverlappingFieldsCanBeMergedRule,
  parse,
  validate,
} from 'graphql';

const dir = 'tests/data/overlap';
const schema = buildSchema(readFileSync(join(dir, 'schema.graphqls'), 'utf8'));

// ---- generated cases --------------------------------------------------
const gen = {};
const rep = (n, f, sep = ' ') => Array.from({ length: n }, (_, i) => f(i)).join(sep);
const long = (c, n) => c.repeat(n);

gen.long_names = `{
  ${long('r', 1100)}: a
  ${long('r', 1100)}: b
  x: ${long('f', 1005)}
  x: ${long('g', 1001)}
  y: ${long('h', 999)}
  y: ${long('h', 1000)}
}
`;
// 30 sub-conflicts: the reason is cut at 1000 characters and each side
// lists 20 fields.
gen.many_subfields = `{
  deep {
    ${rep(30, (i) => `f${i}: a`, '\n    ')}
  }
  deep {
    ${rep(30, (i) => `f${i}: b`, '\n    ')}
  }
}
`;
// Nested sub-conflicts that each bring several nodes.
gen.nested_nodes = `{
  ${rep(3, (k) => `deep {\n    ${rep(4, (j) => `d${j}: deep { ${rep(4, (i) => `x${i}: ${['a', 'b', 'c'][k]}`)} }`, '\n    ')}\n  }`, '\n  ')}
}
`;
// Long field names inside sub-conflicts.
gen.long_subreasons = `{
  deep {
    ${rep(3, (i) => `s${i}: ${long('p', 400 + i)}`, '\n    ')}
  }
  deep {
    ${rep(3, (i) => `s${i}: ${long('q', 400 + i)}`, '\n    ')}
  }
}
`;
// ---- adversarial ----
gen.adv_identical_600 = `{ ${rep(600, () => 'a')} }\n`;
gen.adv_identical_5000 = `{ ${rep(5000, () => 'a')} }\n`;
gen.adv_identical_args = `{ ${rep(400, () => 'field(x: 1, s: "abc")')} }\n`;
gen.adv_spread_1000 = `{ dog { ${rep(1000, () => '...A')} } }\nfragment A on Dog { name x: name }\n`;
gen.adv_spread_fields = `{ dog { ${rep(1000, (i) => (i % 2 ? '...A' : 'x: nickname'))} } }\nfragment A on Dog { x: name }\n`;
gen.adv_deep_nested = (() => {
  const depth = 120;
  const open = (leaf) => 'deep { '.repeat(depth) + leaf + ' }'.repeat(depth);
  return `{ ${open('x: a')} ${open('x: b')} ${open('x: a')} }\n`;
})();
gen.adv_all_spread_all = (() => {
  const n = 40;
  let s = '{ dog { ' + rep(n, (i) => `...F${i}`) + ' } }\n';
  for (let i = 0; i < n; i++) {
    s += `fragment F${i} on Dog { x${i % 3}: name ${rep(n, (j) => (j === i ? '' : `...F${j}`))} }\n`;
  }
  return s;
})();
gen.adv_all_spread_all_conflicting = (() => {
  const n = 30;
  let s = '{ dog { ' + rep(n, (i) => `...F${i}`) + ' } }\n';
  for (let i = 0; i < n; i++) {
    s += `fragment F${i} on Dog { x: ${i % 2 ? 'name' : 'nickname'} ${rep(n, (j) => (j === i ? '' : `...F${j}`))} }\n`;
  }
  return s;
})();
gen.adv_fragment_chain = (() => {
  const n = 150;
  let s = '{ ...F0 ...G0 }\n';
  for (let i = 0; i < n; i++) {
    const last = i === n - 1;
    s += `fragment F${i} on Query { deep { ${last ? 'x: a' : `...F${i + 1}`} } }\n`;
    s += `fragment G${i} on Query { deep { ${last ? 'x: b' : `...G${i + 1}`} } }\n`;
  }
  return s;
})();
gen.adv_wide_overlap = `{ ${rep(12, (k) => `deep { ${rep(300, (i) => `f${i}: ${k % 2 ? 'a' : 'b'}`)} }`)} }\n`;
gen.adv_abort_later = `{ deep { x: a x: b } list { ${rep(2000, () => 'c')} } deep { y: a y: b } }\n`;
gen.adv_many_errors = `{ ${rep(150, (i) => `f${i}: a f${i}: b`)} }\n`;

// ---- budget edges ----
// For each family of documents, the smallest size at which graphql-js
// aborts (its complexity budget runs out), found by bisection; the cases
// at that size and one below check that every step is charged alike.
const aborts = (text) =>
  validate(schema, parse(text), [OverlappingFieldsCanBeMergedRule]).some(
    (e) => e.message === 'Validation aborted.',
  );
const families = {
  leaves: (n) => `{ ${rep(n, () => 'a')} }\n`,
  args: (n) => `{ ${rep(n, () => 'field(x: 1, s: "abc", arg: {a: 1})')} }\n`,
  fragments: (n) =>
    `{ dog { ${rep(n, (i) => `...F${i}`)} } }\n` +
    rep(n, (i) => `fragment F${i} on Dog { x: name y: nickname }`, '\n') + '\n',
  all_spread_all: (n) =>
    `{ dog { ${rep(n, (i) => `...F${i}`)} } }\n` +
    rep(n, (i) => `fragment F${i} on Dog { x: name ${rep(n, (j) => (j === i ? '' : `...F${j}`))} }`, '\n') +
    '\n',
  typed: (n) =>
    `{ ${rep(n, () => 'pet { ... on Dog { tags scores owner { relatives { iq } } } ... on Cat { tags scores owner { relatives { iq } } } }')} }\n`,
  exclusive: (n) =>
    `{ catOrDog { ${rep(n, (i) => (i % 2 ? '... on Dog { name owner { name } }' : '... on Cat { name owner { name } }'))} } }\n`,
  stream: (n) => `{ dog { ${rep(n, () => 'friends @stream(initialCount: 1) { name }')} } }\n`,
  nested: (n) => `{ ${rep(n, () => 'deep { deep { a b } list { c } }')} }\n`,
  spread_fields: (n) =>
    `{ ${rep(n, (i) => `deep { ...F${i % 7} z: a }`)} }\n` +
    rep(7, (i) => `fragment F${i} on Query { x: a deep { y: b ...F${(i + 1) % 7} } }`, '\n') + '\n',
};
for (const [name, make] of Object.entries(families)) {
  let lo = 1, hi = 2;
  while (!aborts(make(hi))) { lo = hi; hi *= 2; }
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (aborts(make(mid))) hi = mid; else lo = mid;
  }
  gen[`edge_${name}_below`] = make(hi - 1);
  gen[`edge_${name}_at`] = make(hi);
  console.log(`edge ${name}: aborts from n = ${hi}`);
}

for (const [name, text] of Object.entries(gen)) {
  writeFileSync(join(dir, `gen_${name}.graphql`), text);
}

// ---- expectations -----------------------------------------------------
let count = 0;
for (const file of readdirSync(dir).sort()) {
  if (!file.endsWith('.graphql')) continue;
  const doc = parse(readFileSync(join(dir, file), 'utf8'));
  let errors;
  try {
    errors = validate(schema, doc, [OverlappingFieldsCanBeMergedRule]);
  } catch (e) {
    errors = [{ message: `THROWN: ${e.constructor.name}`, locations: [] }];
  }
  const lines = errors.map(
    (e) => e.message + '\t' + (e.locations ?? []).map((l) => `${l.line}:${l.column}`).join(','),
  );
  writeFileSync(join(dir, file.replace(/\.graphql$/, '.expected')), lines.map((l) => l + '\n').join(''));
  count++;
}
console.log(`${count} cases`);
