// bench/http/peers/apollo.mjs — Apollo Server 5 with its standalone
// node:http server, the benchmark data as the root value. Introspection is
// turned back on (production mode turns it off) because one scenario asks
// for it; everything else keeps Apollo's production defaults.
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';

import { data, host, listening, port, typeDefs } from './common.mjs';

const server = new ApolloServer({ typeDefs, rootValue: data, introspection: true });
await startStandaloneServer(server, { listen: { host, port } });
listening('apollo-server');
