// bench/http/peers/yoga.mjs — GraphQL Yoga 5 on node:http. Yoga takes no
// root value, so the root fields return the data's members (common.mjs);
// logging and GraphiQL are off, as for production.
import { createServer } from 'node:http';

import { createSchema, createYoga } from 'graphql-yoga';

import { host, listening, port, rootResolvers, typeDefs } from './common.mjs';

const yoga = createYoga({
  schema: createSchema({ typeDefs, resolvers: { Query: rootResolvers } }),
  logging: false,
  graphiql: false,
  landingPage: false,
});

createServer(yoga).listen(port, host, () => listening('graphql-yoga'));
