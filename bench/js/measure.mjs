// bench/js/measure.mjs — the timing loop the JavaScript benchmarks share, so
// that every graphql-js figure is measured the same way.
import { performance } from 'node:perf_hooks';

// Calls fn repeatedly: untimed for warmupSeconds, then timed for seconds.
// Returns the timed iterations, their total and fastest time (ms), and the
// last result (kept so that the work cannot be optimised away).
export function measure(fn, seconds, warmupSeconds) {
  let sink;
  const warmEnd = performance.now() + warmupSeconds * 1e3;
  do sink = fn();
  while (performance.now() < warmEnd);

  let iterations = 0;
  let min = Infinity;
  const t0 = performance.now();
  let t1 = t0;
  do {
    const start = t1;
    sink = fn();
    t1 = performance.now();
    if (t1 - start < min) min = t1 - start;
    iterations++;
  } while (t1 - t0 < seconds * 1e3);
  return { iterations, totalMs: t1 - t0, minMs: min, sink };
}
