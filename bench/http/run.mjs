// bench/http/run.mjs — the HTTP benchmark: gqld and its peer servers
// (graphql-js 16 with graphql-http, Apollo Server, GraphQL Yoga, Mercurius
// with graphql-jit, graphql-go, and nginx as the ceiling for a tiny
// response) answer the same GraphQL requests over loopback, one server at
// a time, each pinned to core 0 while wrk loads it from core 1.
//
// Usage: node bench/http/run.mjs [--seconds S] [--warmup S] [--connections N]
//          [--gqld PATH] [--gqld-args "ARGS"] [--gophers PATH]
//          [--only IMPL,...] [--scenarios NAME,...] [--rounds N] [--no-pin]
//
// For every scenario and server: start the server, check its answer
// against graphql-js's (a server that answers wrong is reported as failing
// and not measured), warm it up with a short wrk run, measure with
// `wrk -t1 -cN -dS --latency`, read the server's memory from /proc, stop
// it. Prints one JSON line per (scenario, server) on standard output (name
// "http"; bench/report_http.mjs makes the table), progress on standard
// error. scripts/bench --only http installs the peers and builds graphql-go
// first; see bench/README.md, "HTTP server".
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { buildClientSchema, buildSchema, graphql, lexicographicSortSchema, printSchema } from 'graphql';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));
const rel = (p) => join(here, p);

// ---- options ------------------------------------------------------------------
const opt = {
  seconds: 10,
  warmup: undefined,
  connections: 64,
  gqld: join(root, 'build', 'gqld'),
  gqldArgs: undefined,
  gophers: undefined,
  only: undefined,
  scenarios: undefined,
  pin: true,
  rounds: 1,
};
{
  const a = process.argv.slice(2);
  const value = (i) => {
    if (i + 1 >= a.length) usage(`${a[i]} needs a value`);
    return a[i + 1];
  };
  for (let i = 0; i < a.length; i++) {
    switch (a[i]) {
      case '--seconds': opt.seconds = Number(value(i++)); break;
      case '--warmup': opt.warmup = Number(value(i++)); break;
      case '--connections': opt.connections = Number(value(i++)); break;
      case '--gqld': opt.gqld = value(i++); break;
      case '--gqld-args': opt.gqldArgs = value(i++).split(/\s+/).filter(Boolean); break;
      case '--gophers': opt.gophers = value(i++); break;
      case '--only': opt.only = value(i++).split(','); break;
      case '--scenarios': opt.scenarios = value(i++).split(','); break;
      case '--no-pin': opt.pin = false; break;
      case '--rounds': opt.rounds = Number(value(i++)); break;
      case '-h': case '--help': usage(); break;
      default: usage(`unknown argument ${a[i]}`);
    }
  }
  if (!(opt.seconds > 0) || !Number.isInteger(opt.connections) || opt.connections < 1) usage('bad --seconds or --connections');
  if (!Number.isInteger(opt.rounds) || opt.rounds < 1) usage('bad --rounds');
  // A warm-up long enough for the JIT compilers of Node and graphql-jit,
  // short next to the measurement.
  opt.warmup ??= Math.min(2, opt.seconds);
}

function usage(problem) {
  const text = readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(6, 9).map((l) => l.replace(/^\/\/ ?/, ''));
  if (problem) process.stderr.write(`run.mjs: ${problem}\n`);
  process.stderr.write(text.join('\n') + '\n');
  process.exit(problem ? 2 : 0);
}

const log = (line) => process.stderr.write(`http: ${line}\n`);
const emit = (rec) => process.stdout.write(JSON.stringify(rec) + '\n');

// ---- scenarios ------------------------------------------------------------------
// A query file's leading comment lines describe it; they are not sent.
const queryText = (file) =>
  readFileSync(rel(file), 'utf8')
    .split('\n')
    .filter((l, i, all) => !all.slice(0, i + 1).every((x) => x.startsWith('#')))
    .join('\n')
    .trim();

const require16 = createRequire(join(root, 'package.json'));
const SCENARIOS = [
  { name: 'hello', label: '{ hello }', query: () => queryText('queries/hello.graphql') },
  { name: 'list100', label: 'list of 100 objects', query: () => queryText('../data/exec/list100.graphql') },
  {
    name: 'nested',
    label: 'nested, with variables',
    query: () => queryText('queries/nested.graphql'),
    variables: () => JSON.parse(readFileSync(rel('queries/nested.json'), 'utf8')),
  },
  {
    name: 'introspection',
    label: 'introspection query',
    // graphql-js 16's getIntrospectionQuery() with its default options:
    // what GraphiQL and most tools send.
    query: () => require16('graphql16').getIntrospectionQuery(),
    introspection: true,
  },
].filter((s) => !opt.scenarios || opt.scenarios.includes(s.name));

const sdl = readFileSync(rel('../data/exec/schema.graphql'), 'utf8');
const data = JSON.parse(readFileSync(rel('../data/exec/data.json'), 'utf8'));
const schema = buildSchema(sdl);
// Introspection answers differ in ways that do not matter (the order of
// types, graphql-js 17's @oneOf among the built-in directives), so they are
// compared by the schema they describe: printed in a fixed order, one
// block per type or directive. Every block of the benchmark's schema must
// be there, unchanged; a block more (graphql-go adds the federation type
// _Service to every schema) is noted, not failed: the server does more
// work, not less.
const blocks = (s) => printSchema(lexicographicSortSchema(s)).split('\n\n');
const schemaBlocks = blocks(schema);

const HEADERS = { 'Content-Type': 'application/json', Accept: 'application/graphql-response+json, application/json' };

// ---- servers ----------------------------------------------------------------------
const run = (cmd, args) => spawnSync(cmd, args, { encoding: 'utf8', timeout: 10000 });
const firstLine = (s) => (s ?? '').split('\n').find((l) => l.trim()) ?? '';
const peersDir = rel('peers');
const peerVersion = (pkg) => {
  const f = join(peersDir, 'node_modules', pkg, 'package.json');
  return existsSync(f) ? JSON.parse(readFileSync(f, 'utf8')).version : undefined;
};
const peersMissing = (...pkgs) => {
  const missing = pkgs.filter((p) => !peerVersion(p));
  return missing.length ? `${missing.join(', ')} not installed (npm ci in bench/http/peers)` : null;
};
// graphql-jit comes with mercurius: its version is whichever mercurius resolves.
const jitVersion = () => {
  try {
    const req = createRequire(join(peersDir, 'node_modules', 'mercurius', 'index.js'));
    return JSON.parse(readFileSync(req.resolve('graphql-jit/package.json'), 'utf8')).version;
  } catch {
    return '?';
  }
};

function gqldServer() {
  const base = {
    impl: 'gqld',
    kind: 'gqld',
    available: () => {
      if (!existsSync(opt.gqld)) return `${opt.gqld} does not exist (build first)`;
      const help = run(opt.gqld, ['serve', '--help']);
      if (help.status !== 0) return `\`gqld serve\` is not available in this build (${firstLine(help.stderr || help.stdout) || `exit ${help.status}`})`;
      base.help = `${help.stdout}${help.stderr}`;
      return null;
    },
    version: () => firstLine(run(opt.gqld, ['--version']).stdout) || 'gqld',
    command: (port) => {
      // The peers log nothing per request; gqld's access log goes off too
      // (when this build has the switch). Everything else keeps its defaults.
      const extra = opt.gqldArgs ?? (/--access-log\b/.test(base.help ?? '') ? ['--access-log=false'] : []);
      return {
        cmd: opt.gqld,
        args: ['serve', '--schema', rel('../data/exec/schema.graphql'), '--data', rel('../data/exec/data.json'),
          '--listen', `127.0.0.1:${port}`, '--workers', '1', ...extra],
      };
    },
  };
  return base;
}

const nodePeer = (impl, script, pkgs, version) => ({
  impl,
  kind: 'node',
  available: () => peersMissing(...pkgs),
  version,
  command: (port) => ({
    cmd: process.execPath,
    args: [join(peersDir, script), '--port', String(port)],
    env: { NODE_ENV: 'production' },
  }),
});

// In this order, so that gqld and nginx, then gqld and the fastest peers,
// are measured close together in time.
const SERVERS = [
  gqldServer(),
  {
    impl: 'nginx',
    kind: 'nginx',
    // A constant body: only the { hello } scenario has a meaning for it.
    scenarios: ['hello'],
    available: () => (run('nginx', ['-v']).error ? 'nginx is not installed' : null),
    version: () => firstLine(run('nginx', ['-v']).stderr).replace(/^nginx version: /, ''),
    command: (port, dir) => {
      const prefix = join(dir, 'nginx');
      rmSync(prefix, { recursive: true, force: true });
      cpSync(rel('nginx.conf'), join(prefix, 'nginx.conf'));
      writeFileSync(join(prefix, 'nginx.conf'), readFileSync(join(prefix, 'nginx.conf'), 'utf8').replaceAll('@PORT@', String(port)));
      return { cmd: 'nginx', args: ['-p', `${prefix}/`, '-c', 'nginx.conf'] };
    },
  },
  {
    impl: 'graphql-go',
    kind: 'go',
    available: () => (!opt.gophers ? 'not built (pass --gophers PATH)' : existsSync(opt.gophers) ? null : `${opt.gophers} does not exist`),
    version: () => {
      const deb = run('dpkg-query', ['-W', '-f', '${Version}', 'golang-github-graph-gophers-graphql-go-dev']).stdout;
      const go = firstLine(run('go', ['version']).stdout).replace(/^go version /, '');
      return `graph-gophers/graphql-go ${deb || '?'} (Debian), ${go || 'go ?'}`;
    },
    command: (port) => ({
      cmd: opt.gophers,
      args: ['-schema', rel('../data/exec/schema.graphql'), '-data', rel('../data/exec/data.json'), '-listen', `127.0.0.1:${port}`],
    }),
  },
  nodePeer('mercurius', 'mercurius.mjs', ['mercurius', 'fastify', 'graphql'],
    () => `mercurius ${peerVersion('mercurius')} (jit: 1, graphql-jit ${jitVersion()}), fastify ${peerVersion('fastify')}, ` +
      `graphql ${peerVersion('graphql')}, Node ${process.version}`),
  nodePeer('graphql-yoga', 'yoga.mjs', ['graphql-yoga', 'graphql'],
    () => `graphql-yoga ${peerVersion('graphql-yoga')}, graphql ${peerVersion('graphql')}, Node ${process.version}`),
  nodePeer('apollo-server', 'apollo.mjs', ['@apollo/server', 'graphql'],
    () => `@apollo/server ${peerVersion('@apollo/server')} (standalone), graphql ${peerVersion('graphql')}, Node ${process.version}`),
  nodePeer('graphql-http', 'graphql_http.mjs', ['graphql-http', 'graphql'],
    () => `graphql-http ${peerVersion('graphql-http')}, graphql ${peerVersion('graphql')}, Node ${process.version}`),
].filter((s) => !opt.only || opt.only.includes(s.impl));

// ---- processes ---------------------------------------------------------------------
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// Pinning needs two cores: the server on core 0, wrk on core 1.
const canPin = opt.pin && run('taskset', ['-c', '0,1', 'true']).status === 0;
const pinned = (core, cmd, args) => (canPin ? ['taskset', ['-c', String(core), cmd, ...args]] : [cmd, args]);

function start(server, port, dir) {
  const { cmd, args, env } = server.command(port, dir);
  const logFile = join(dir, `${server.impl}.log`);
  const fd = openSync(logFile, 'w');
  // taskset executes the server in place, so the child's pid is the server's.
  const [c, a] = pinned(0, cmd, args);
  const child = spawn(c, a, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  child.on('error', () => {});
  return { child, exited, logFile, url: `http://127.0.0.1:${port}/graphql` };
}

const logTail = (file) => {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-5).join(' | ');
  } catch {
    return '';
  }
};

async function waitReady(proc, body) {
  const deadline = Date.now() + 30000;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null)
      throw new Error(`exited (${proc.child.exitCode ?? proc.child.signalCode}) before answering: ${logTail(proc.logFile)}`);
    try {
      const res = await fetch(proc.url, { method: 'POST', headers: HEADERS, body, signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      return;
    } catch {
      await sleep(100);
    }
  }
  throw new Error(`no answer within 30 s: ${logTail(proc.logFile)}`);
}

async function stop(proc) {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  proc.child.kill('SIGTERM');
  const killed = await Promise.race([proc.exited, sleep(5000).then(() => null)]);
  if (!killed) {
    proc.child.kill('SIGKILL');
    await proc.exited;
  }
}

// VmRSS (resident now) and VmHWM (the peak) of a process, in kB.
function memory(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key) => Number(new RegExp(`^${key}:\\s*(\\d+) kB`, 'm').exec(status)?.[1]);
    return { rss_kb: kb('VmRSS'), hwm_kb: kb('VmHWM') };
  } catch {
    return {};
  }
}

// User plus system time of a process (all its threads), in clock ticks.
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;
function cpuTicks(pid) {
  try {
    // The fields after the command name, which may hold spaces.
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').pop().split(' ');
    return Number(f[11]) + Number(f[12]);
  } catch {
    return undefined;
  }
}

function wrk(url, bodyFile, seconds) {
  const [c, a] = pinned(1, 'wrk', [
    '-t1', `-c${opt.connections}`, `-d${seconds}s`, '--latency', '--timeout', '10s',
    '-s', rel('post.lua'), url, '--', bodyFile,
  ]);
  const r = spawnSync(c, a, { encoding: 'utf8', timeout: (seconds + 60) * 1000 });
  const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith('wrk-json '));
  if (r.status !== 0 || !line) throw new Error(`wrk failed (${r.error?.message ?? `exit ${r.status}`}): ${firstLine(r.stderr)}`);
  return JSON.parse(line.slice('wrk-json '.length));
}

// ---- checking answers -----------------------------------------------------------------
// Where two texts first differ, for the failure message.
function firstDifference(a, b) {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `at character ${i}: got …${JSON.stringify(a.slice(Math.max(0, i - 20), i + 40))}, expected …${JSON.stringify(b.slice(Math.max(0, i - 20), i + 40))}`;
}

// Returns null when the answer is right, or what is wrong with it; notes
// what is acceptable but different in note(text).
function check(scenario, expected, status, contentType, text, note) {
  if (status !== 200) return `HTTP ${status}: ${text.slice(0, 200)}`;
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    return `not JSON (${contentType}): ${text.slice(0, 200)}`;
  }
  if (body.errors) return `errors: ${JSON.stringify(body.errors).slice(0, 300)}`;
  if (scenario.introspection) {
    if (!body.data?.__schema) return 'no data.__schema in the answer';
    let described;
    try {
      described = blocks(buildClientSchema(body.data));
    } catch (e) {
      return `the introspection result does not build a schema: ${e.message}`;
    }
    const missing = schemaBlocks.find((b) => !described.includes(b));
    if (missing !== undefined) {
      const name = /^\S+ (\S+)/.exec(missing)?.[1] ?? missing.slice(0, 40);
      const theirs = described.find((b) => /^\S+ (\S+)/.exec(b)?.[1] === name);
      return theirs ? `describes ${name} differently: ${firstDifference(theirs, missing)}` : `does not describe ${missing.split('\n')[0]}`;
    }
    const extra = described.filter((b) => !schemaBlocks.includes(b));
    if (extra.length) note(`also describes ${extra.map((b) => b.split(' {')[0].split('\n').pop()).join(', ')}`);
    return null;
  }
  const got = JSON.stringify(body);
  return got === expected ? null : `wrong data: ${firstDifference(got, expected)}`;
}

// ---- the run ---------------------------------------------------------------------------
const dir = mkdtempSync(join(tmpdir(), 'gql-bench-http.'));
let interrupted = false;
const live = new Set();
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    interrupted = true;
    for (const p of live) p.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    process.exit(130);
  });
}

const prepared = [];
for (const s of SCENARIOS) {
  const query = s.query();
  const variables = s.variables?.();
  const request = variables ? { query, variables } : { query };
  const body = JSON.stringify(request);
  const bodyFile = join(dir, `${s.name}.json`);
  writeFileSync(bodyFile, body);
  const result = await graphql({ schema, source: query, rootValue: data, variableValues: variables });
  if (result.errors) throw new Error(`${s.name}: graphql-js reports errors: ${JSON.stringify(result.errors)}`);
  prepared.push({ ...s, body, bodyFile, expected: JSON.stringify(result) });
}
const helloBody = JSON.stringify({ query: '{ hello }' });

if (!canPin) log('warning: taskset or a second core is missing; server and wrk are not pinned');
const versions = new Map();
const unavailable = new Map();
for (const server of SERVERS) {
  const why = server.available();
  if (why) {
    unavailable.set(server.impl, why);
    log(`${server.impl}: skipped: ${why}`);
  } else {
    versions.set(server.impl, server.version());
  }
}

// One measurement of a server on a scenario: a record for emit().
async function measure(s, server) {
  const rec = { name: 'http', impl: server.impl, scenario: s.name, label: s.label, connections: opt.connections, threads: 1 };
  if (unavailable.has(server.impl)) return { ...rec, skipped: unavailable.get(server.impl) };
  rec.version = versions.get(server.impl);
  rec.pinned = canPin;
  const port = await freePort();
  const proc = start(server, port, dir);
  live.add(proc);
  try {
    await waitReady(proc, helloBody);
    const res = await fetch(proc.url, { method: 'POST', headers: HEADERS, body: s.body });
    const text = await res.text();
    rec.response_bytes = Buffer.byteLength(text);
    rec.content_type = res.headers.get('content-type');
    const wrong = check(s, s.expected, res.status, rec.content_type, text, (n) => (rec.note = n));
    if (wrong) throw Object.assign(new Error(wrong), { answer: true });

    wrk(proc.url, s.bodyFile, opt.warmup);
    rec.loadavg = Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
    const cpu0 = cpuTicks(proc.child.pid);
    const w = wrk(proc.url, s.bodyFile, opt.seconds);
    const cpu1 = cpuTicks(proc.child.pid);
    Object.assign(rec, memory(proc.child.pid));
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) throw new Error(`exited during the run: ${logTail(proc.logFile)}`);
    const errors = Object.values(w.errors).reduce((x, y) => x + y, 0);
    Object.assign(rec, {
      seconds: Number((w.duration_us / 1e6).toFixed(3)),
      requests: w.requests,
      rps: Number((w.requests / (w.duration_us / 1e6)).toFixed(1)),
      p50_ms: w.latency_us.p50 / 1000,
      p90_ms: w.latency_us.p90 / 1000,
      p99_ms: w.latency_us.p99 / 1000,
      max_ms: w.latency_us.max / 1000,
      bytes_per_response: Math.round(w.bytes / Math.max(1, w.requests)),
    });
    // The server's own CPU time per request: unlike requests/s, time the
    // machine gives to others (or steals) does not enter it.
    if (cpu0 !== undefined && cpu1 !== undefined && w.requests > 0)
      rec.cpu_us_per_request = Number((((cpu1 - cpu0) / CLOCK_TICKS) * 1e6 / w.requests).toFixed(2));
    if (errors) rec.errors = w.errors;
    // A server that fails more than one request in a hundred under load
    // is not serving the scenario.
    if (errors > w.requests / 100) rec.failed = `${errors} of ${w.requests} requests failed under load: ${JSON.stringify(w.errors)}`;
    log(`${s.name} on ${server.impl}: ${Math.round(rec.rps)} req/s, ${rec.cpu_us_per_request} µs CPU/request, p50 ${rec.p50_ms} ms, p99 ${rec.p99_ms} ms, ` +
      `RSS ${(rec.rss_kb / 1024).toFixed(1)} MiB` + (rec.failed ? ` — FAILED: ${rec.failed}` : ''));
  } catch (e) {
    rec.failed = e.message;
    log(`${s.name} on ${server.impl}: FAILED: ${e.message}`);
  } finally {
    await stop(proc);
    live.delete(proc);
  }
  return rec;
}

// The round whose rate is the median of a server's rounds, with every
// round's rate beside it; a failed round makes the record failed.
function median(recs) {
  if (recs.length === 1) return recs[0];
  const failed = recs.find((r) => r.failed || r.skipped);
  if (failed) return failed;
  const sorted = [...recs].sort((x, y) => x.rps - y.rps);
  return { ...sorted[(sorted.length - 1) >> 1], rounds_rps: recs.map((r) => r.rps) };
}

let failures = 0;
for (const s of prepared) {
  const servers = SERVERS.filter((server) => !server.scenarios || server.scenarios.includes(s.name));
  const rounds = new Map(servers.map((server) => [server.impl, []]));
  // Rounds go through every server in turn, so that a stretch of noise
  // on the machine touches all of them rather than one.
  for (let round = 0; round < opt.rounds && !interrupted; round++) {
    for (const server of servers) {
      if (round > 0 && unavailable.has(server.impl)) continue;
      rounds.get(server.impl).push(await measure(s, server));
      if (interrupted) break;
    }
  }
  for (const server of servers) {
    const rec = median(rounds.get(server.impl));
    if (rec.failed) failures++;
    emit(rec);
  }
  if (interrupted) break;
}
rmSync(dir, { recursive: true, force: true });
process.exit(failures ? 1 : 0);
