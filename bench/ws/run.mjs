// bench/ws/run.mjs — the WebSocket fan-out benchmark: gqld and graphql-ws's
// own Node.js server (bench/ws/peer) with the same schema and the same
// POST /publish/{topic} route, loaded one at a time by bench/ws/fanout
// (a C client on libuv) over loopback.
//
// Usage: node bench/ws/run.mjs [--fanout PATH] [--gqld PATH] [--connections N]
//          [--publishes K] [--interval-ms M] [--throughput-connections N] [--seconds S]
//          [--in-flight F] [--only IMPL,...] [--tests latency,throughput] [--no-pin]
//
// For every server and test: start the server afresh, wait until it
// answers GET /publish/tick, run fanout against it with the server's pid
// (for its memory and CPU time), stop it. The latency test holds N
// subscribers (default 10,000) and times K publishes one after the other;
// the throughput test holds 1,000 subscribers and publishes as fast as
// they are delivered for S seconds. Servers: gqld with --workers 1 (the
// reference row), gqld with its default of one event loop per core, and
// graphql-ws 6 `useServer` on ws 8 with graphql-js 16. Prints one JSON line
// per (test, server) on standard output (names ws_fanout and
// ws_throughput; bench/report_ws.mjs makes the table), progress on
// standard error; exits 1 when a run failed its delivery check.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));
const rel = (p) => join(here, p);

// ---- options ------------------------------------------------------------------
const opt = {
  fanout: join(root, 'build', 'bench', 'fanout'),
  gqld: join(root, 'build', 'gqld'),
  connections: 10000,
  publishes: 20,
  intervalMs: 100,
  throughputConnections: 1000,
  seconds: 5,
  inFlight: 16,
  only: undefined,
  tests: ['latency', 'throughput'],
  pin: true,
};
{
  const a = process.argv.slice(2);
  const value = (i) => {
    if (i + 1 >= a.length) usage(`${a[i]} needs a value`);
    return a[i + 1];
  };
  const count = (i) => {
    const n = Number(value(i));
    if (!Number.isInteger(n) || n < 1) usage(`${a[i]} needs a whole number`);
    return n;
  };
  for (let i = 0; i < a.length; i++) {
    switch (a[i]) {
      case '--fanout': opt.fanout = value(i++); break;
      case '--gqld': opt.gqld = value(i++); break;
      case '--connections': opt.connections = count(i++); break;
      case '--publishes': opt.publishes = count(i++); break;
      case '--interval-ms': opt.intervalMs = count(i++); break;
      case '--throughput-connections': opt.throughputConnections = count(i++); break;
      case '--seconds': opt.seconds = count(i++); break;
      case '--in-flight': opt.inFlight = count(i++); break;
      case '--only': opt.only = value(i++).split(','); break;
      case '--tests': opt.tests = value(i++).split(','); break;
      case '--no-pin': opt.pin = false; break;
      case '-h': case '--help': usage(); break;
      default: usage(`unknown argument ${a[i]}`);
    }
  }
}

function usage(problem) {
  const text = readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(6, 9).map((l) => l.replace(/^\/\/ ?/, ''));
  if (problem) process.stderr.write(`run.mjs: ${problem}\n`);
  process.stderr.write(text.join('\n') + '\n');
  process.exit(problem ? 2 : 0);
}

const log = (line) => process.stderr.write(`ws: ${line}\n`);
const emit = (rec) => process.stdout.write(JSON.stringify(rec) + '\n');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const run = (cmd, args) => spawnSync(cmd, args, { encoding: 'utf8', timeout: 10000 });
const firstLine = (s) => (s ?? '').split('\n').find((l) => l.trim()) ?? '';
const TOPIC = 'tick';
const SCHEMA = rel('schema.graphql');

// ---- servers ----------------------------------------------------------------------
const peerDir = rel('peer');
const peerVersion = (pkg) => {
  const f = join(peerDir, 'node_modules', pkg, 'package.json');
  return existsSync(f) ? JSON.parse(readFileSync(f, 'utf8')).version : undefined;
};

// Pinning needs two cores: the server on core 0, fanout on core 1.
const canPin = opt.pin && run('taskset', ['-c', '0,1', 'true']).status === 0;
const cores = availableParallelism();

function gqld(impl, workers) {
  let help = '';
  return {
    impl,
    workers,
    // One event loop per core cannot be pinned to one core.
    pin: workers === 1,
    available: () => {
      if (!existsSync(opt.gqld)) return `${opt.gqld} does not exist (build first)`;
      const r = run(opt.gqld, ['serve', '--help']);
      if (r.status !== 0) return `\`gqld serve\` is not available in this build (${firstLine(r.stderr || r.stdout)})`;
      help = `${r.stdout}${r.stderr}`;
      return null;
    },
    version: () => firstLine(run(opt.gqld, ['--version']).stdout) || 'gqld',
    command: (port, connections) => ({
      cmd: opt.gqld,
      args: ['serve', '--schema', SCHEMA, '--listen', `127.0.0.1:${port}`, '--workers', String(workers),
        // Room for every subscriber and the publishing connection.
        '--max-connections', String(connections + 1024),
        // No peer logs requests.
        ...(/--access-log\b/.test(help) ? ['--access-log=false'] : [])],
    }),
  };
}

const SERVERS = [
  gqld('gqld', 1),
  // Only where it differs from the row above.
  ...(cores > 1 ? [gqld('gqld-per-core', 0)] : []),
  {
    impl: 'graphql-ws',
    workers: 1,
    pin: true,
    available: () => {
      const missing = ['graphql-ws', 'ws', 'graphql'].filter((p) => !peerVersion(p));
      return missing.length ? `${missing.join(', ')} not installed (npm ci in bench/ws/peer)` : null;
    },
    version: () => `graphql-ws ${peerVersion('graphql-ws')} (useServer), ws ${peerVersion('ws')}, ` +
      `graphql ${peerVersion('graphql')}, Node ${process.version}`,
    command: (port) => ({
      cmd: process.execPath,
      args: [join(peerDir, 'server.mjs'), '--port', String(port), '--schema', SCHEMA],
      env: { NODE_ENV: 'production' },
    }),
  },
].filter((s) => !opt.only || opt.only.includes(s.impl));

// ---- processes ----------------------------------------------------------------------
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

const pinned = (core, use, cmd, args) => (canPin && use ? ['taskset', ['-c', String(core), cmd, ...args]] : [cmd, args]);

function start(server, port, connections, dir) {
  const { cmd, args, env } = server.command(port, connections);
  const logFile = join(dir, `${server.impl}.log`);
  const fd = openSync(logFile, 'w');
  // taskset executes the server in place, so the child's pid is the server's.
  const [c, a] = pinned(0, server.pin, cmd, args);
  const child = spawn(c, a, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  child.on('error', () => {});
  return { child, exited, logFile, port };
}

const logTail = (file) => {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-5).join(' | ');
  } catch {
    return '';
  }
};

async function waitReady(proc) {
  const deadline = Date.now() + 30000;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null)
      throw new Error(`exited (${proc.child.exitCode ?? proc.child.signalCode}) before answering: ${logTail(proc.logFile)}`);
    try {
      const res = await fetch(`http://127.0.0.1:${proc.port}/publish/${TOPIC}`, { signal: AbortSignal.timeout(1000) });
      const body = await res.json();
      if (res.status === 200 && body.subscribers === 0) return;
      throw new Error(`GET /publish/${TOPIC} answered ${res.status} ${JSON.stringify(body)}`);
    } catch (e) {
      if (e.message.startsWith('GET ')) throw e;
      await sleep(100);
    }
  }
  throw new Error(`no answer within 30 s: ${logTail(proc.logFile)}`);
}

async function stop(proc) {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  proc.child.kill('SIGTERM');
  const done = await Promise.race([proc.exited, sleep(5000).then(() => null)]);
  if (!done) {
    proc.child.kill('SIGKILL');
    await proc.exited;
  }
}

// Runs fanout (pinned to the other core) and returns its JSON line.
function fanout(args) {
  return new Promise((resolve) => {
    const [c, a] = pinned(1, true, opt.fanout, args);
    const child = spawn(c, a, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 300000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const line = out.split('\n').find((l) => l.startsWith('{'));
      resolve({ code, signal, rec: line ? JSON.parse(line) : null, err: err.trim() });
    });
  });
}

// ---- the run ---------------------------------------------------------------------------
if (!existsSync(opt.fanout)) {
  log(`${opt.fanout} does not exist (build first: ninja -C BUILD fanout)`);
  process.exit(1);
}
const dir = mkdtempSync(join(tmpdir(), 'gql-bench-ws.'));
const live = new Set();
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    for (const p of live) p.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    process.exit(130);
  });
}

const TESTS = [
  {
    name: 'latency',
    record: 'ws_fanout',
    connections: opt.connections,
    args: ['--connections', String(opt.connections), '--publishes', String(opt.publishes),
      '--interval-ms', String(opt.intervalMs)],
  },
  {
    name: 'throughput',
    record: 'ws_throughput',
    connections: opt.throughputConnections,
    args: ['--throughput', '--connections', String(opt.throughputConnections), '--seconds', String(opt.seconds),
      '--in-flight', String(opt.inFlight)],
  },
].filter((t) => opt.tests.includes(t.name));

if (!canPin) log('warning: taskset or a second core is missing; server and fanout are not pinned');
let failures = 0;
for (const test of TESTS) {
  for (const server of SERVERS) {
    const rec = { name: test.record, impl: server.impl, connections: test.connections, workers: server.workers };
    const why = server.available();
    if (why) {
      log(`${test.name} on ${server.impl}: skipped: ${why}`);
      emit({ ...rec, skipped: why });
      continue;
    }
    rec.version = server.version();
    rec.pinned = canPin && server.pin;
    const port = await freePort();
    const proc = start(server, port, test.connections, dir);
    live.add(proc);
    try {
      await waitReady(proc);
      rec.loadavg = Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
      log(`${test.name} on ${server.impl}: ${test.connections} subscribers…`);
      const r = await fanout(['--port', String(port), '--topic', TOPIC, '--impl', server.impl,
        '--server-pid', String(proc.child.pid), ...test.args]);
      if (!r.rec) throw new Error(`fanout ${r.signal ? `killed (${r.signal})` : `exited ${r.code}`} without a result: ${r.err}`);
      Object.assign(rec, r.rec, { impl: server.impl, workers: server.workers });
      if (proc.child.exitCode !== null || proc.child.signalCode !== null) {
        rec.failed ??= `the server exited during the run: ${logTail(proc.logFile)}`;
      }
      const summary = test.name === 'latency'
        ? `p50 ${rec.p50_ms} ms, p99 ${rec.p99_ms} ms, ${rec.bytes_per_conn} B per idle connection`
        : `${rec.events_per_s} events/s, p99 ${rec.p99_ms} ms`;
      log(`${test.name} on ${server.impl}: ${summary}, setup ${rec.setup_s} s` + (rec.failed ? ` — FAILED: ${rec.failed}` : ''));
    } catch (e) {
      rec.failed = e.message;
      log(`${test.name} on ${server.impl}: FAILED: ${e.message}`);
    } finally {
      await stop(proc);
      live.delete(proc);
    }
    if (rec.failed) failures++;
    emit(rec);
  }
}
rmSync(dir, { recursive: true, force: true });
process.exit(failures ? 1 : 0);
