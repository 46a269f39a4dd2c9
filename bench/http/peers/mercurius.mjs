// bench/http/peers/mercurius.mjs — Mercurius 16 on Fastify 5 with
// graphql-jit compiling every query after its first run (jit: 1). Mercurius
// takes no root value, so the root fields return the data's members
// (common.mjs); Fastify's logger is off by default and GraphiQL is off.
import Fastify from 'fastify';
import mercurius from 'mercurius';

import { host, listening, port, rootResolvers, typeDefs } from './common.mjs';

const app = Fastify({ logger: false });
app.register(mercurius, { schema: typeDefs, resolvers: { Query: rootResolvers }, jit: 1, graphiql: false });
await app.listen({ host, port });
listening('mercurius');
