// bench/http/peers/graphql_http.mjs — graphql-js 16 served by graphql-http's
// handler for node:http (the reference GraphQL-over-HTTP implementation),
// with the benchmark data as the root value.
import { createServer } from 'node:http';

import { buildSchema } from 'graphql';
import { createHandler } from 'graphql-http/lib/use/http';

import { data, host, listening, port, typeDefs } from './common.mjs';

const handler = createHandler({ schema: buildSchema(typeDefs), rootValue: data });

createServer((req, res) => {
  if (req.url === '/graphql' || req.url.startsWith('/graphql?')) handler(req, res);
  else res.writeHead(404).end();
}).listen(port, host, () => listening('graphql-http'));
