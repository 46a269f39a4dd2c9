// bench/report_ws.mjs — the WebSocket fan-out benchmark's tables, from the
// ws_fanout and ws_throughput lines of bench/ws/run.mjs: delivery latency
// and memory per idle subscribed connection with N subscribers on one
// topic, and events delivered per second to 1,000 subscribers; with
// gqld's standing against the targets: p99 latency at least 10× lower
// than graphql-ws's Node.js server, at most 8 KiB of server memory per
// idle subscribed connection.
//
// Usage: node bench/report_ws.mjs [FILE...]   (stdin if no FILE)
// or, from another report: import { wsTables } from './report_ws.mjs'.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const TARGETS = { p99_ratio: 10, bytes_per_conn: 8192 };
const SERVERS = ['gqld', 'gqld-per-core', 'graphql-ws'];
const PEER = 'graphql-ws';
const TITLES = {
  gqld: 'gqld (1 event loop)',
  'gqld-per-core': 'gqld (one loop per core)',
  'graphql-ws': 'graphql-ws useServer (Node.js)',
};

const title = (impl) => TITLES[impl] ?? impl;
const int = (x) => Math.round(x).toLocaleString('en-US');
const ms = (x) => (x === undefined ? '—' : x >= 100 ? `${int(x)} ms` : x >= 10 ? `${x.toFixed(1)} ms` : `${x.toFixed(2)} ms`);
const mib = (kb) => (kb === undefined || kb < 0 ? '—' : `${(kb / 1024).toFixed(1)} MiB`);
const kib = (b) => (b === undefined ? '—' : `${(b / 1024).toFixed(1)} KiB`);
const ratio = (x) => (x >= 100 ? int(x) : x.toFixed(x >= 10 ? 1 : 2));
const us = (x) => (x === undefined ? '—' : `${x.toFixed(x >= 10 ? 1 : 2)} µs`);
const clip = (s, n) => (s.length > n ? `${s.slice(0, n - 1)}…` : s).replaceAll('|', '\\|');
const measured = (r) => r && !r.failed && !r.skipped;
const check = (r) =>
  r.failed ? '✗' : `✓ ${int(r.deliveries)}`;

function order(records) {
  const servers = SERVERS.filter((s) => records.some((r) => r.impl === s));
  for (const r of records) if (!servers.includes(r.impl)) servers.push(r.impl);
  const by = new Map();
  for (const r of records) by.set(r.impl, r);
  return servers.map((s) => by.get(s));
}

// Returns the lines of Markdown for the ws_fanout and ws_throughput records
// (a later record of the same test and server replaces an earlier one).
export function wsTables(records) {
  const out = [];
  const checks = [];
  const failing = (r, cols) =>
    `| ${title(r.impl)} | ${clip(r.skipped ? `not run: ${r.skipped}` : `✗ failed: ${r.failed}`, 160)} |${' |'.repeat(cols)}`;

  const fan = order(records.filter((r) => r.name === 'ws_fanout'));
  if (fan.length) {
    const n = fan.find((r) => r.connections)?.connections;
    const g = fan.find((r) => r.impl === 'gqld');
    const peer = fan.find((r) => r.impl === PEER);
    out.push(
      `| WebSocket fan-out, ${n ? int(n) : '?'} subscribers | p50 | p90 | p99 | max | server CPU per event | ` +
        'RSS before | RSS subscribed | per idle connection | setup | delivered | p99: server ÷ gqld |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    );
    for (const r of fan) {
      if (!measured(r)) {
        out.push(failing(r, 11));
        continue;
      }
      const versus = measured(g) && r.impl !== 'gqld' && g.p99_ms > 0 ? `${ratio(r.p99_ms / g.p99_ms)}×` : '';
      out.push(
        `| ${title(r.impl)} | ${ms(r.p50_ms)} | ${ms(r.p90_ms)} | ${ms(r.p99_ms)} | ${ms(r.max_ms)} | ` +
          `${us(r.cpu_us_per_event)} | ${mib(r.rss_before_kb)} | ${mib(r.rss_subscribed_kb)} | ` +
          `${kib(r.bytes_per_conn)} | ${r.setup_s?.toFixed(1) ?? '—'} s | ${check(r)} | ${versus} |`,
      );
    }
    if (measured(g) && measured(peer)) {
      const x = peer.p99_ms / g.p99_ms;
      checks.push(`p99 of ${title(PEER)} ÷ gqld's: ${ratio(x)}× (target ≥ ${TARGETS.p99_ratio}×) ${x >= TARGETS.p99_ratio ? '✓' : '✗'}`);
    }
    // Not a target, but steadier than latency on a busy machine.
    if (measured(g) && measured(peer) && g.cpu_us_per_event > 0 && peer.cpu_us_per_event > 0) {
      checks.push(`server CPU per event, theirs ÷ gqld's: ${ratio(peer.cpu_us_per_event / g.cpu_us_per_event)}× (for comparison)`);
    }
    if (measured(g) && g.bytes_per_conn !== undefined) {
      const ok = g.bytes_per_conn <= TARGETS.bytes_per_conn;
      checks.push(`${kib(g.bytes_per_conn)} per idle subscribed connection (target ≤ ${kib(TARGETS.bytes_per_conn)}) ${ok ? '✓' : '✗'}`);
    }
    const pubs = fan.find((r) => r.publishes)?.publishes;
    out.push(
      '',
      `${pubs ?? '?'} publishes (after ${fan.find((r) => r.warmup !== undefined)?.warmup ?? '?'} untimed), one at a time: each ` +
        `goes out once the previous one reached every subscriber and ${fan.find((r) => r.interval_ms)?.interval_ms ?? '?'} ms ` +
        'passed. Latency of one delivery: the client reading the `next` message minus the moment before the publish ' +
        'request was written; percentiles over every delivery of every timed publish. Server CPU per event: its user + ' +
        'system time over the publishes divided by the events delivered. Per idle connection: (RSS with every ' +
        'subscriber connected and subscribed, after 1 s, − RSS before any) ÷ subscribers. Setup: connecting and ' +
        'subscribing everyone, 256 handshakes at a time. Delivered: every subscriber got every event once, in order.',
    );
  }

  const thr = order(records.filter((r) => r.name === 'ws_throughput'));
  if (thr.length) {
    const n = thr.find((r) => r.connections)?.connections;
    const g = thr.find((r) => r.impl === 'gqld');
    out.push(
      '',
      `| WebSocket stream, ${n ? int(n) : '?'} subscribers | events/s | publishes/s | p50 | p99 | server CPU per event | ` +
        'RSS after | delivered | gqld ÷ server |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    );
    for (const r of thr) {
      if (!measured(r)) {
        out.push(failing(r, 8));
        continue;
      }
      const versus = measured(g) && r.impl !== 'gqld' && r.events_per_s > 0 ? `${ratio(g.events_per_s / r.events_per_s)}×` : '';
      out.push(
        `| ${title(r.impl)} | ${int(r.events_per_s)} | ${int(r.publishes_per_s)} | ${ms(r.p50_ms)} | ${ms(r.p99_ms)} | ` +
          `${us(r.cpu_us_per_event)} | ${mib(r.rss_after_kb)} | ${check(r)} | ${versus} |`,
      );
    }
    const r0 = thr.find((r) => r.in_flight);
    out.push(
      '',
      `Publishes for ${r0?.seconds ? Math.round(r0.seconds) : '?'} s as fast as they are acknowledged, at most ` +
        `${r0?.in_flight ?? '?'} not yet delivered to every subscriber; events/s: deliveries from the first timed ` +
        'publish to the last delivery. Latencies here include waiting behind earlier publishes.',
    );
  }

  if (checks.length) out.push('', `Targets (gqld, 1 event loop): ${checks.join(' · ')}.`);
  const all = [...fan, ...thr];
  out.push(
    '',
    'Servers pinned to core 0 and the client to core 1 (except one loop per core, unpinned); gqld and its peer ' +
      'serve bench/ws/schema.graphql and take publishes on POST /publish/tick.',
  );
  const versions = new Map();
  for (const r of all) if (r.version) versions.set(r.impl, r.version);
  if (versions.size) out.push('', 'Versions: ' + [...versions].map(([i, v]) => `${title(i)}: ${v}`).join('; ') + '.');
  const loads = all.filter((r) => r.loadavg !== undefined).map((r) => r.loadavg);
  if (loads.length) {
    out.push(
      `One-minute load average as each run began: ${Math.min(...loads).toFixed(2)} to ${Math.max(...loads).toFixed(2)} ` +
        '(the benchmark itself keeps about two cores busy while it publishes).',
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
      process.stderr.write(`report_ws.mjs: skipping a line that is not JSON: ${raw.slice(0, 80)}\n`);
      continue;
    }
    if (rec.name === '_meta') Object.assign(meta, rec);
    else if (rec.name === 'ws_fanout' || rec.name === 'ws_throughput') records.push(rec);
  }
  const out = [];
  if (Object.keys(meta).length) {
    const parts = [meta.date, meta.commit && `commit ${meta.commit}`, meta.cpu, meta.cores && `${meta.cores} cores`,
      meta.build_type, meta.loadavg !== undefined && `load average ${meta.loadavg} at the start`].filter(Boolean);
    out.push(`_${parts.join(' · ')}_`, '');
  }
  if (records.length) out.push(...wsTables(records));
  else out.push('(no WebSocket benchmark lines)');
  console.log(out.join('\n'));
}
