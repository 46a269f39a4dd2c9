// bench/report_http.mjs — the HTTP server benchmark's table: one row per
// scenario and server from the "http" lines of bench/http/run.mjs, with
// requests per second, median and 99th-percentile latency and the server's
// memory, and gqld's standing against the targets: at least 85% of
// nginx's requests per second on { hello } (the ceiling for a tiny
// response) and at least 5× the fastest Node.js peer in every scenario.
//
// Usage: node bench/report_http.mjs [FILE...]   (stdin if no FILE)
// or, from another report: import { httpTable } from './report_http.mjs'.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const TARGETS = { nginx: 0.85, node: 5 };
const SCENARIOS = ['hello', 'list100', 'nested', 'introspection'];
const SERVERS = ['gqld', 'nginx', 'graphql-go', 'mercurius', 'graphql-yoga', 'apollo-server', 'graphql-http'];
export const NODE_PEERS = ['graphql-http', 'apollo-server', 'graphql-yoga', 'mercurius'];
const TITLES = {
  gqld: 'gqld',
  nginx: 'nginx (constant body)',
  'graphql-go': 'graphql-go (Go)',
  mercurius: 'Mercurius + graphql-jit',
  'graphql-yoga': 'GraphQL Yoga',
  'apollo-server': 'Apollo Server',
  'graphql-http': 'graphql-js + graphql-http',
};

const int = (x) => Math.round(x).toLocaleString('en-US');
const ms = (x) => (x >= 100 ? int(x) : x >= 10 ? x.toFixed(1) : x >= 1 ? x.toFixed(2) : x.toPrecision(2));
const mib = (kb) => (kb === undefined || Number.isNaN(kb) ? '—' : `${(kb / 1024).toFixed(kb >= 102400 ? 0 : 1)} MiB`);
const bytes = (n) => (n === undefined ? '—' : n >= 1e4 ? `${(n / 1e3).toFixed(1)} kB` : `${n} B`);
const ratio = (x) => (x >= 100 ? int(x) : x.toFixed(x >= 10 ? 1 : 2));
const clip = (s, n) => (s.length > n ? `${s.slice(0, n - 1)}…` : s).replaceAll('|', '\\|');
const measured = (r) => r && !r.failed && !r.skipped && r.rps > 0;

// Returns the lines of Markdown for the "http" records (a later record of
// the same scenario and server replaces an earlier one).
export function httpTable(records) {
  const by = new Map();
  for (const r of records) by.set(`${r.scenario}|${r.impl}`, r);
  const scenarios = [...SCENARIOS.filter((s) => records.some((r) => r.scenario === s))];
  for (const r of records) if (!scenarios.includes(r.scenario)) scenarios.push(r.scenario);
  const servers = [...SERVERS.filter((s) => records.some((r) => r.impl === s))];
  for (const r of records) if (!servers.includes(r.impl)) servers.push(r.impl);
  const get = (scenario, impl) => by.get(`${scenario}|${impl}`);

  const out = [];
  const connections = records.find((r) => r.connections)?.connections;
  out.push(
    `| HTTP: scenario | server | requests/s | CPU/request | p50 | p99 | RSS after | peak RSS | response | gqld ÷ server | targets (gqld) |`,
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  );
  const checks = [];
  for (const scenario of scenarios) {
    const label = records.find((r) => r.scenario === scenario && r.label)?.label ?? scenario;
    const g = get(scenario, 'gqld');
    // The fastest Node.js peer that answered right, per scenario.
    const node = NODE_PEERS.map((i) => get(scenario, i)).filter(measured).sort((a, b) => b.rps - a.rps)[0];
    const targets = [];
    if (measured(g)) {
      const nginx = get(scenario, 'nginx');
      if (measured(nginx)) {
        const x = g.rps / nginx.rps;
        const ok = x >= TARGETS.nginx;
        targets.push(`${(x * 100).toFixed(0)}% of nginx ${ok ? '✓' : '✗'}`);
        checks.push({ scenario: label, what: `≥ ${TARGETS.nginx * 100}% of nginx`, x: `${(x * 100).toFixed(1)}%`, ok });
      }
      if (node) {
        const x = g.rps / node.rps;
        const ok = x >= TARGETS.node;
        targets.push(`${ratio(x)}× ${TITLES[node.impl] ?? node.impl} ${ok ? '✓' : '✗'}`);
        checks.push({ scenario: label, what: `≥ ${TARGETS.node}× the fastest Node.js peer (${TITLES[node.impl] ?? node.impl})`, x: `${ratio(x)}×`, ok });
      }
    }
    let first = true;
    for (const impl of servers) {
      const r = get(scenario, impl);
      if (!r) continue;
      const head = `| ${first ? label : ''} | ${TITLES[impl] ?? impl} |`;
      first = false;
      if (!measured(r)) {
        const why = r.skipped ? `not run: ${r.skipped}` : `✗ failed: ${r.failed ?? 'no requests'}`;
        out.push(`${head} ${clip(why, 140)} | | | | | | ${bytes(r.response_bytes)} | | |`);
        continue;
      }
      const versus = impl !== 'gqld' && measured(g) ? `${ratio(g.rps / r.rps)}×` : '';
      const errors = r.errors ? ` (${Object.values(r.errors).reduce((a, b) => a + b, 0)} errors)` : '';
      out.push(
        `${head} ${int(r.rps)}${errors} | ${r.cpu_us_per_request === undefined ? '—' : `${r.cpu_us_per_request.toFixed(1)} µs`} | ${ms(r.p50_ms)} ms | ${ms(r.p99_ms)} ms | ${mib(r.rss_kb)} | ${mib(r.hwm_kb)} | ` +
          `${bytes(r.response_bytes)} | ${versus} | ${impl === 'gqld' ? targets.join(' · ') : ''} |`,
      );
    }
  }
  out.push('');
  out.push(
    `Each server alone, pinned to one core, loaded by \`wrk -t1 -c${connections ?? '?'}\` from the other core after a ` +
      'warm-up run; POST application/json with Accept: application/graphql-response+json, application/json. ' +
      'CPU/request: the server\'s user + system time over the measurement, divided by the requests it answered. ' +
      'p50/p99: latency percentiles by wrk; RSS after: VmRSS when the run ends; peak RSS: VmHWM; response: ' +
      'the GraphQL response body. Every answer was checked against graphql-js before measuring (introspection by ' +
      'the schema it describes). nginx answers a constant 27-byte body, the same bytes as { hello }: the ceiling ' +
      'for a tiny response.',
  );
  const rounds = records.find((r) => r.rounds_rps)?.rounds_rps.length;
  if (rounds) {
    const first = records.find((r) => r.scenario === scenarios[0] && r.label)?.label ?? scenarios[0];
    out.push(
      `Each row is the median of ${rounds} rounds by requests/s; the rounds went through every server in turn. ` +
        `Requests/s of each round for ${first}: ` +
        servers
          .map((impl) => get(scenarios[0], impl))
          .filter((r) => r?.rounds_rps)
          .map((r) => `${TITLES[r.impl] ?? r.impl} ${r.rounds_rps.map(int).join(' / ')}`)
          .join('; ') +
        '.',
    );
  }
  if (checks.length) {
    const passed = checks.filter((c) => c.ok).length;
    out.push(`Targets met: ${passed} of ${checks.length}.`);
  }
  const notes = records.filter((r) => r.note).map((r) => `${TITLES[r.impl] ?? r.impl} (${r.scenario}): ${r.note}`);
  for (const n of new Set(notes)) out.push(`Note: ${n}.`);
  const versions = new Map();
  for (const impl of servers) {
    const v = records.findLast((r) => r.impl === impl && r.version)?.version;
    if (v) versions.set(impl, v);
  }
  if (versions.size) {
    out.push('');
    out.push('Versions: ' + [...versions].map(([impl, v]) => `${TITLES[impl] ?? impl}: ${v}`).join('; ') + '.');
  }
  const loads = records.filter((r) => r.loadavg !== undefined).map((r) => r.loadavg);
  if (loads.length) {
    out.push(
      `One-minute load average as each measurement began: ${Math.min(...loads).toFixed(2)} to ${Math.max(...loads).toFixed(2)} ` +
        '(the benchmark itself keeps both cores busy, about 2).',
    );
  }
  return out;
}

// ---- command line ----------------------------------------------------------------
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const files = process.argv.slice(2);
  const text = files.length ? files.map((f) => readFileSync(f, 'utf8')).join('\n') : readFileSync(0, 'utf8');
  const meta = {};
  const records = [];
  for (const raw of text.split('\n')) {
    if (!raw.startsWith('{')) continue;
    let rec;
    try {
      rec = JSON.parse(raw);
    } catch {
      process.stderr.write(`report_http.mjs: skipping a line that is not JSON: ${raw.slice(0, 80)}\n`);
      continue;
    }
    if (rec.name === '_meta') Object.assign(meta, rec);
    else if (rec.name === 'http') records.push(rec);
  }
  const out = [];
  if (Object.keys(meta).length) {
    const parts = [meta.date, meta.commit && `commit ${meta.commit}`, meta.cpu, meta.cores && `${meta.cores} cores`,
      meta.build_type, meta.loadavg !== undefined && `load average ${meta.loadavg} at the start`].filter(Boolean);
    out.push(`_${parts.join(' · ')}_`, '');
  }
  if (records.length) out.push(...httpTable(records));
  else out.push('(no HTTP benchmark lines)');
  console.log(out.join('\n'));
}
