// bench/report_execute.mjs — the execution part of bench/report.mjs: one
// row per (workload, resolvers) from the "execute" lines of bench_execute
// and js/execute.mjs, with gqld's speed-up over graphql-js 16 and over
// graphql-jit side by side, checked against the targets, and gqld's heap
// allocations and memory per request. Lines with "instructions" (from
// scripts/bench --callgrind) make a second table of instruction counts.

// Speed-up targets: gqld's requests per second over the peer's.
const TARGETS = {
  'graphql-js-16': (workload) => (workload === 'introspection' ? 20 : 10),
  'graphql-jit': () => 3,
};
const IMPLS = ['gqld', 'graphql-js-16', 'graphql-js-17', 'graphql-jit'];
const WORKLOADS = {
  list100: 'list of 100 objects',
  nested: 'nested catalogue',
  introspection: "introspection of GitHub's schema",
};
const RESOLVERS = { default: 'default, JSON root', functions: 'a function per field' };
const resolverLabel = (row) =>
  row.workload === 'introspection'
    ? row.resolvers === 'executed'
      ? 'built-in, executed every time'
      : 'built-in, repeated (gqld answers from the cached plan)'
    : RESOLVERS[row.resolvers] ?? row.resolvers;

// Returns the lines of Markdown for the "execute" records.
export function executionTable(records, { num, ms, size, titles }) {
  const timed = records.filter((r) => r.ms_per_op !== undefined);
  const counted = records.filter((r) => r.instructions !== undefined);
  const out = [];
  const rows = groupRows(timed);
  if (rows.length) {
    const impls = IMPLS.filter((i) => timed.some((r) => r.impl === i));
    for (const r of timed) if (!impls.includes(r.impl)) impls.push(r.impl);
    const title = (i) => titles[i] ?? i;
    out.push(
      '| execution: workload (fields) | resolvers | ' +
        impls.map(title).join(' | ') +
        ' | gqld / graphql-js 16 | gqld / graphql-jit | gqld allocations per request (per field) | memory per request: gqld · graphql-js 16 |',
    );
    out.push(`|---|---|${impls.map(() => '---:').join('|')}|---:|---:|---:|---:|`);
    for (const row of rows) {
      const g = row.byImpl.get('gqld');
      const any = g ?? [...row.byImpl.values()][0];
      const cells = impls.map((i) => {
        const r = row.byImpl.get(i);
        return r ? `${ms(r.ms_per_op)} ms · ${num(r.ops_per_s ?? 1e3 / r.ms_per_op, 0)}/s` : '—';
      });
      const ratio = (peer) => {
        const p = row.byImpl.get(peer);
        if (!g || !p) return '—';
        const x = (g.ops_per_s ?? 1e3 / g.ms_per_op) / (p.ops_per_s ?? 1e3 / p.ms_per_op);
        // One decimal at least, so that 19.8× does not read as the 20× target.
        return `${x >= 100 ? num(x, 0) : x.toFixed(x >= 10 ? 1 : 2)}× ${x >= TARGETS[peer](row.workload) ? '✓' : '✗'}`;
      };
      const allocs = g?.allocs_per_op !== undefined ? `${num(g.allocs_per_op, 1)} (${num(g.allocs_per_field, 3)})` : '—';
      const js = row.byImpl.get('graphql-js-16');
      const memory =
        (g?.heap_bytes !== undefined ? size(g.heap_bytes) : '—') +
        ' · ' +
        (js?.heap_bytes !== undefined ? size(js.heap_bytes) : '—');
      out.push(
        `| ${WORKLOADS[row.workload] ?? row.workload} (${num(any.fields, 0)}) | ${resolverLabel(row)} | ` +
          `${cells.join(' | ')} | ${ratio('graphql-js-16')} | ${ratio('graphql-jit')} | ${allocs} | ${memory} |`,
      );
    }
    out.push('');
    out.push(
      'execution: one request turned into its response text, parsing and validation excluded (gqld: gql_execute ' +
        'with a plan cache, then gql_response_free; graphql-js: JSON.stringify(execute()) on a parsed document; ' +
        'graphql-jit: a compiled query and its serializer); mean time per request and requests per second. ' +
        'Ratios are requests per second; ✓/✗: at least the target (10× graphql-js 16, 20× on introspection; ' +
        '3× graphql-jit) or not. Memory: for gqld the heap held while one response is alive (arena and text), ' +
        "for graphql-js the V8 heap's growth across one request.",
    );
    for (const row of rows) {
      const hashes = new Map();
      for (const r of row.byImpl.values()) {
        if (r.out_hash === undefined) continue;
        if (!hashes.has(r.out_hash)) hashes.set(r.out_hash, []);
        hashes.get(r.out_hash).push(`${title(r.impl)} (${r.out_bytes} bytes)`);
      }
      if (hashes.size > 1) {
        out.push(
          `Note: ${row.workload}/${row.resolvers} responses differ: ` +
            [...hashes.values()].map((group) => group.join(', ')).join(' ≠ ') +
            '.',
        );
      }
    }
  }
  const cg = groupRows(counted);
  if (cg.length) {
    if (out.length) out.push('');
    out.push('| execution: workload (fields) | resolvers | gqld instructions per request | per field |');
    out.push('|---|---|---:|---:|');
    for (const row of cg) {
      const g = row.byImpl.get('gqld');
      if (!g) continue;
      out.push(
        `| ${WORKLOADS[row.workload] ?? row.workload} (${num(g.fields, 0)}) | ${resolverLabel(row)} | ` +
          `${(g.instructions / 1e6).toFixed(2)} M | ${num(g.instr_per_field, 0)} |`,
      );
    }
  }
  return out;
}

// Rows in workload order, then default resolvers before functions.
function groupRows(records) {
  const rows = new Map();
  for (const r of records) {
    const key = `${r.workload}|${r.resolvers}`;
    if (!rows.has(key)) rows.set(key, { workload: r.workload, resolvers: r.resolvers, byImpl: new Map() });
    rows.get(key).byImpl.set(r.impl, r); // a later line replaces an earlier one
  }
  const order = Object.keys(WORKLOADS);
  const rank = (w) => (order.includes(w) ? order.indexOf(w) : order.length);
  return [...rows.values()].sort(
    (a, b) => rank(a.workload) - rank(b.workload) || (a.resolvers === 'default' ? -1 : 1) - (b.resolvers === 'default' ? -1 : 1),
  );
}
