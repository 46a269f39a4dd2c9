// bench/http/peers/common.mjs — what every Node.js peer server shares: the
// benchmark's schema text and root value (read once at start), the port
// from the command line, and the start-up line the benchmark driver (and a
// person watching) waits for. Production settings come from the
// environment (NODE_ENV=production, set by bench/http/run.mjs).
import { readFileSync } from 'node:fs';

const here = new URL('..', import.meta.url);

export const typeDefs = readFileSync(new URL('../data/exec/schema.graphql', here), 'utf8');
export const data = JSON.parse(readFileSync(new URL('../data/exec/data.json', here), 'utf8'));

// Servers without a root-value option get one resolver per root field that
// returns the root value's member, which is what the default resolver does
// with a root value; every field below them uses the default resolver.
export const rootResolvers = Object.fromEntries(Object.keys(data).map((k) => [k, () => data[k]]));

export const host = '127.0.0.1';
export const port = (() => {
  const i = process.argv.indexOf('--port');
  const p = i > 0 ? Number(process.argv[i + 1]) : NaN;
  if (!Number.isInteger(p) || p <= 0 || p > 65535) {
    process.stderr.write(`usage: node ${process.argv[1]} --port PORT\n`);
    process.exit(2);
  }
  return p;
})();

export function listening(name) {
  process.stderr.write(`${name}: listening on http://${host}:${port}/graphql\n`);
}
