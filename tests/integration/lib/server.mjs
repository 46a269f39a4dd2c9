// tests/integration/lib/server.mjs — starts a server process (gqld serve or a
// test server from tests/tools) on a free port and stops it.
//
// Every server built on the library logs "listening on http://HOST:PORT" to
// stderr once it accepts connections; startServer waits for that line.
import { spawn } from 'node:child_process';
import path from 'node:path';

export const buildDir = process.env.GQL_BUILD_DIR ?? path.resolve('build');
export const gqld = process.env.GQLD ?? path.join(buildDir, 'gqld');

/** The path of a test server built from tests/tools/<name>.c. */
export function testServer(name) {
  return path.join(buildDir, 'tests', name);
}

/**
 * Starts `command args...` and resolves once it listens:
 * { url, port, proc, stderr(), stop(signal) } — stop sends the signal
 * (SIGTERM by default) and resolves with the exit code.
 */
export function startServer(command, args = [], { timeoutMs = 10000, env } = {}) {
  const proc = spawn(command, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let log = '';
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve(code ?? signal)));
  proc.stdout.on('data', (d) => { log += d; });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`server did not start in ${timeoutMs} ms:\n${log}`));
    }, timeoutMs);
    proc.on('error', (e) => { clearTimeout(timer); reject(e); });
    proc.on('exit', () => {
      clearTimeout(timer);
      reject(new Error(`server exited before listening:\n${log}`));
    });
    proc.stderr.on('data', (d) => {
      log += d;
      const m = /listening on (http:\/\/([^\s:]+|\[[^\]]+\]):(\d+))/.exec(log);
      if (m && !proc.gqlStarted) {
        proc.gqlStarted = true;
        clearTimeout(timer);
        resolve({
          url: m[1],
          port: Number(m[3]),
          proc,
          stderr: () => log,
          exited,
          async stop(signal = 'SIGTERM') {
            if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
            return exited;
          },
        });
      }
    });
  });
}
