// bench/report.mjs — turns benchmark JSON lines into one Markdown table.
//
// Usage: node bench/report.mjs [--baseline IMPL] [FILE...]   (stdin if no FILE)
//
// Every line is one measurement: {"name":..., "impl":..., metrics...}; a line
// named "_meta" describes the run (date, machine, versions) instead. Rows are
// (metric, benchmark, input file), columns are implementations: gqld, then
// graphql-js 16 and 17, then any other impl met (peer servers later), and a
// ratio column gqld / baseline (default graphql-js-16). Metrics understood:
//   ms_per_op (+ mb_per_s)   time per operation; ratio = speed-up (ops_per_s)
//   rps (+ p99_ms)           requests per second (HTTP load); ratio = rps
//   ast_bytes / ast_ratio    memory per source byte; ratio = memory
//   instr_per_byte           instructions per source byte (callgrind)
// A new benchmark only has to print lines with these fields to appear.
import { readFileSync } from 'node:fs';

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

// Each metric: which lines it applies to, how a cell reads, and the number
// its ratio column divides (gqld's value / the baseline's).
const METRICS = [
  {
    key: 'speed',
    applies: (r) => r.ms_per_op !== undefined,
    label: (r) => `${r.name}${r.file ? ` (${r.file}${r.bytes ? `, ${mb(r.bytes)}` : ''})` : ''}`,
    cell: (r) => `${num(r.ms_per_op, 2)} ms` + (r.mb_per_s !== undefined ? ` · ${num(r.mb_per_s, 1)} MB/s` : ''),
    value: (r) => r.ops_per_s ?? 1e3 / r.ms_per_op,
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
    applies: (r) => r.instr_per_byte !== undefined,
    label: (r) => `${r.name}: instructions / source byte (callgrind)`,
    cell: (r) =>
      `${r.instr_per_byte.toFixed(1)}` + (r.instructions ? ` (${num(r.instructions / 1e6, 1)} M per ${r.name})` : ''),
    value: (r) => r.instr_per_byte,
  },
];

// ---- rows and columns ------------------------------------------------------
const impls = [...KNOWN];
for (const r of lines) if (!impls.includes(r.impl)) impls.push(r.impl);
const shown = impls.filter((i) => KNOWN.includes(i) || lines.some((r) => r.impl === i));

const rows = new Map(); // key -> { metric, label, byImpl }
for (const metric of METRICS) {
  for (const r of lines) {
    if (!metric.applies(r)) continue;
    const key = `${metric.key}|${r.name}|${r.file ?? ''}`;
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
console.log(out.join('\n'));
