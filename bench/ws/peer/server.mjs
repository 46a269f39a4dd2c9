// bench/ws/peer/server.mjs — graphql-ws's own Node.js server for the
// WebSocket fan-out benchmark: graphql-js 16, `useServer` from graphql-ws
// on a `ws` WebSocketServer, and the same surface as `gqld serve`: every
// Subscription field listens to the pub/sub topic named like it, and
// POST /publish/{topic} with a JSON body publishes that body as the event
// (the root value of each subscriber's execution, so {"tick": 1} reaches
// `subscription { tick }` as {"data":{"tick":1}}); GET /publish/{topic}
// counts the subscriptions. Both answer {"topic":…,"subscribers":n}.
//
// Usage: node bench/ws/peer/server.mjs --port P [--host 127.0.0.1] [--schema FILE]
// Prints "listening on http://HOST:PORT" on standard error when ready.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';

import { buildSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';

import { PubSub } from './pubsub.mjs';

const opt = { port: 0, host: '127.0.0.1', schema: fileURLToPath(new URL('../schema.graphql', import.meta.url)) };
for (let a = process.argv.slice(2), i = 0; i < a.length; i += 2) {
  const key = a[i].replace(/^--/, '');
  if (!(key in opt) || a[i + 1] === undefined) {
    process.stderr.write('usage: node server.mjs --port P [--host 127.0.0.1] [--schema FILE]\n');
    process.exit(2);
  }
  opt[key] = key === 'port' ? Number(a[i + 1]) : a[i + 1];
}

const pubsub = new PubSub();
const schema = buildSchema(readFileSync(opt.schema, 'utf8'));
const subscription = schema.getSubscriptionType();
for (const [name, field] of Object.entries(subscription?.getFields() ?? {})) {
  // The event is the root value: the default resolver reads event[name].
  field.subscribe = () => pubsub.subscribe(name);
}

const answer = (res, status, body) => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
};

const server = createServer((req, res) => {
  const m = /^\/publish\/([_A-Za-z][_0-9A-Za-z]*)$/.exec(req.url ?? '');
  if (!m || (req.method !== 'POST' && req.method !== 'GET')) {
    answer(res, 404, { errors: [{ message: 'Not found.' }] });
    return;
  }
  const topic = m[1];
  if (req.method === 'GET') {
    answer(res, 200, { topic, subscribers: pubsub.count(topic) });
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    let event;
    try {
      event = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      answer(res, 400, { errors: [{ message: 'The body must be the event as JSON.' }] });
      return;
    }
    answer(res, 200, { topic, subscribers: pubsub.publish(topic, event) });
  });
});
// The benchmark's publishing connection may sit idle for seconds while
// its subscribers connect; Node's 5 s keep-alive timeout would close it.
server.keepAliveTimeout = 0;

const wss = new WebSocketServer({ server, path: '/graphql' });
useServer({ schema }, wss);

server.listen(opt.port, opt.host, () => {
  const { address, port } = server.address();
  process.stderr.write(`listening on http://${address}:${port}\n`);
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(0));
