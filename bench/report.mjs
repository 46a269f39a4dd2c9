// bench/report.mjs — turns benchmark JSON lines into one Markdown table.
//
// Usage: node bench/report.mjs [--baseline IMPL] [FILE...]   (stdin if no FILE)
//
// Every line is one measurement: {"name":..., "impl":..., metrics...}; a line
// named "_meta" describes the run (date, machine, versions) instead. Rows are
// (metric, benchmark, input file), columns are implementations: gqld, then
// graphql-js 16 and 17, then any other impl met (peer servers later), and a
// ratio column gqld / baseline (default graphql-js-16). Metrics understood:
//   ms_per_op (+ mb_per_s)   time per operation; ratio = speed-up (ops_per_s);
//                            without mb_per_s the cell shows operations per
//                            second; a "schema" field names the schema the
//                            operation ran against (validate)
//   ms + n (+ aborted)       one time per (benchmark, size N): the overlap
//                            families, one row per family and N, so growth
//                            reads down the rows; ratio = speed-up
//   rps (+ p99_ms)           requests per second (HTTP load); ratio = rps
//   ast_bytes / ast_ratio    memory per source byte; ratio = memory
//   instr_per_byte           instructions per source byte (callgrind)
// Lines named "execute" make a table of their own (bench/report_execute.mjs).
// A new benchmark only has to print lines with these fields to appear.
import { readFileSync } from 'node:fs';

import { executionTable } from './report_execute.mjs';

const KNOWN = ['gqld', 'graphql-js-16', 'graphql-js-17'];
const TITLES = { gqld: 'gqld', 'graphql-js-16': 'graphql-js 16', 'graphql-js-17': 'graphql-js 17' };

let baseline = 'graphql-js-16';
const files = [];
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--baseline') baseline = args[++i];
  else files.push(args[i]);
}
const text = files.length ? files.map((f) => readFileSync(f, 'utf8')).join('\n') : readFileSync(0, 'utf8');

const meta = {};
const lines = [];
for (const raw of text.split('\n')) {
  if (!raw.trim()) continue;
  let rec;
  try {
    rec = JSON.parse(raw);
  } catch {
    process.stderr.write(`report.mjs: skipping a line that is not JSON: ${raw.slice(0, 80)}\n`);
    continue;
  }
  if (rec.name === '_meta') Object.assign(meta, rec);
  else if (rec.name && rec.impl) lines.push(rec);
}

// ---- formatting helpers ---------------------------------------------------
const num = (x, digits) => {
  if (x >= 100) return Math.round(x).toLocaleString('en-US');
  return x.toFixed(x >= 10 ? Math.max(0, digits - 2) : digits);
};
const mb = (bytes) => `${num(bytes / 1e6, 2)} MB`;
// A size in the unit that suits it (inputs range from 200 B to 1.2 MB).
const size = (bytes) => (bytes >= 1e6 ? mb(bytes) : bytes >= 1e3 ? `${num(bytes / 1e3, 1)} kB` : `${bytes} B`);
// Milliseconds with three significant digits below 10 (validation and the
// small overlap documents take microseconds).
const ms = (x) => (x >= 100 ? num(x, 0) : x >= 10 ? x.toFixed(1) : x >= 1 ? x.toFixed(2) : x.toPrecision(3));

// Each metric: which lines it applies to, how a cell reads, and the number
// its ratio column divides (gqld's value / the baseline's).
const METRICS = [
  {
    key: 'speed',
    applies: (r) => r.ms_per_op !== undefined && r.name !== 'execute',
    label: (r) =>
      `${r.name}` +
      (r.file ? ` (${r.file}${r.schema ? ` on ${r.schema}` : ''}${r.bytes ? `, ${size(r.bytes)}` : ''})` : ''),
    cell: (r) =>
      `${ms(r.ms_per_op)} ms` +
      (r.mb_per_s !== undefined
        ? ` · ${num(r.mb_per_s, 1)} MB/s`
        : ` · ${num(r.ops_per_s ?? 1e3 / r.ms_per_op, 0)}/s`),
    value: (r) => r.ops_per_s ?? 1e3 / r.ms_per_op,
  },
  {
    key: 'sized',
    applies: (r) => r.ms !== undefined && r.n !== undefined,
    rowKey: (r) => `${r.name}|${r.n}`,
    label: (r) => `${r.name} N=${r.n}${r.bytes ? ` (${size(r.bytes)})` : ''}`,
    cell: (r) => `${ms(r.ms)} ms` + (r.aborted ? ' (aborted)' : ''),
    // Guard against a 0.000 ms reading of a tiny document.
    value: (r) => 1 / Math.max(r.ms, 1e-4),
  },
  {
    key: 'rps',
    applies: (r) => r.rps !== undefined,
    label: (r) => `${r.name} (requests/s${r.connections ? `, ${r.connections} connections` : ''})`,
    cell: (r) => `${num(r.rps, 0)} req/s` + (r.p99_ms !== undefined ? ` · p99 ${num(r.p99_ms, 2)} ms` : ''),
    value: (r) => r.rps,
  },
  {
    key: 'memory',
    applies: (r) => r.ast_bytes !== undefined && r.bytes,
    label: (r) => `${r.name}: AST memory / source size`,
    cell: (r) => `${num(r.ast_bytes / r.bytes, 2)}× (${mb(r.ast_bytes)})`,
    value: (r) => r.ast_bytes,
  },
  {
    key: 'instructions',
    applies: (r) => r.instr_per_byte !== undefined && r.name !== 'execute',
    label: (r) => `${r.name}: instructions / source byte (callgrind)`,
    cell: (r) =>
      `${r.instr_per_byte.toFixed(1)}` + (r.instructions ? ` (${num(r.instructions / 1e6, 1)} M per ${r.name})` : ''),
    value: (r) => r.instr_per_byte,
  },
];

// ---- rows and columns ------------------------------------------------------
const impls = [...KNOWN];
for (const r of lines) if (!impls.includes(r.impl)) impls.push(r.impl);
const general = lines.filter((r) => r.name !== 'execute');
const shown = impls.filter((i) => KNOWN.includes(i) || general.some((r) => r.impl === i));

const rows = new Map(); // key -> { metric, label, byImpl }
for (const metric of METRICS) {
  for (const r of lines) {
    if (!metric.applies(r)) continue;
    const key = `${metric.key}|` + (metric.rowKey ? metric.rowKey(r) : `${r.name}|${r.file ?? ''}`);
    if (!rows.has(key)) rows.set(key, { metric, label: metric.label(r), byImpl: new Map() });
    rows.get(key).byImpl.set(r.impl, r); // a later line replaces an earlier one
  }
}

const out = [];
if (Object.keys(meta).length) {
  const parts = [];
  if (meta.date) parts.push(meta.date);
  if (meta.commit) parts.push(`commit ${meta.commit}`);
  if (meta.cpu) parts.push(meta.cpu);
  if (meta.node) parts.push(`Node ${meta.node}`);
  if (meta.cc) parts.push(meta.cc);
  if (meta.build_type) parts.push(meta.build_type);
  if (meta.mode === 'timing' && meta.pinned) parts.push(`gqld pinned: ${meta.pinned}`);
  if (meta.mode === 'timing' && meta.loadavg !== undefined) parts.push(`load average ${meta.loadavg} on ${meta.cores} cores`);
  out.push(`_${parts.join(' · ')}_`, '');
}
const baseTitle = TITLES[baseline] ?? baseline;
if (rows.size) {
  out.push(`| benchmark | ${shown.map((i) => TITLES[i] ?? i).join(' | ')} | ratio (gqld / ${baseTitle}) |`);
  out.push(`|---|${shown.map(() => '---:').join('|')}|---:|`);
  for (const row of rows.values()) {
    const cells = shown.map((i) => (row.byImpl.has(i) ? row.metric.cell(row.byImpl.get(i)) : '—'));
    const g = row.byImpl.get('gqld');
    const b = row.byImpl.get(baseline);
    const ratio = g && b ? `${num(row.metric.value(g) / row.metric.value(b), 2)}×` : '—';
    out.push(`| ${row.label} | ${cells.join(' | ')} | ${ratio} |`);
  }
  out.push('');
  out.push(
    `Ratio: for speed rows gqld's operations per second divided by ${baseTitle}'s (above 1: gqld is faster); ` +
      `for memory and instruction rows gqld's figure divided by ${baseTitle}'s (below 1: gqld uses less).`,
  );
  if (lines.some((r) => r.name === 'validate')) {
    out.push(
      'validate: every specified rule, document parsed once outside the timing, schema built with assume-valid; ' +
        'mean time per validation and validations per second.',
    );
  }
  if (lines.some((r) => r.name.startsWith('overlap_'))) {
    out.push(
      "overlap_*: adversarial documents for the overlapping-fields check at growing size N, best of the runs; " +
        "gqld times its overlap check over every selection set, graphql-js validate() with only " +
        'OverlappingFieldsCanBeMergedRule; "aborted": the complexity budget was spent and validation stopped.',
    );
  }
}

// Printing must give the same text everywhere; flag differing output sizes.
for (const row of rows.values()) {
  const sizes = [...row.byImpl.values()].filter((r) => r.out_bytes !== undefined);
  if (row.metric.key === 'speed' && new Set(sizes.map((r) => r.out_bytes)).size > 1) {
    out.push(
      `Note: ${row.label.split(' ')[0]} output sizes differ: ` +
        sizes.map((r) => `${TITLES[r.impl] ?? r.impl} ${r.out_bytes} bytes`).join(', ') +
        '.',
    );
  }
}
// Execution has its own table: two ratio columns and allocation counts.
const executed = lines.filter((r) => r.name === 'execute');
if (executed.length) {
  if (out.length && out[out.length - 1] !== '') out.push('');
  out.push(...executionTable(executed, { num, ms, size, titles: TITLES }));
}
console.log(out.join('\n'));
