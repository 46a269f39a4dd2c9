// ui/src/graphiql.jsx — the GraphiQL page: queries and mutations over HTTP
// (POST to the endpoint), subscriptions over graphql-transport-ws on the
// same origin.
import config from './config.js';
import React from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { createClient } from 'graphql-ws';
import { parse } from 'graphql';
import 'graphiql/style.css';
import './page.css';

// Monaco runs its language services in workers: each is a file served
// beside this bundle (never a blob or a CDN), so worker-src 'self' covers it.
globalThis.MonacoEnvironment = {
  getWorker(_id, label) {
    const workers = config.workers || {};
    return new Worker(workers[label] || workers.editor, { name: `monaco-${label}` });
  },
};

const wsClient = createClient({ url: config.subscriptionEndpoint, lazy: true });
const toolkitFetcher = createGraphiQLFetcher({ url: config.endpoint, wsClient });

// The toolkit sends an operation over the WebSocket when the parsed
// document it is given says it is a subscription. GraphiQL parses the
// editor's text a moment after each change, so a subscription run right
// after typing could go over HTTP instead: parse the text being sent.
function fetcher(params, opts) {
  let documentAST;
  try {
    documentAST = parse(params.query);
  } catch {
    documentAST = opts?.documentAST;
  }
  return toolkitFetcher(params, { ...opts, documentAST });
}

const defaultQuery = `# GraphiQL, served by gqld.
#
# Write a query, then press Ctrl-Enter
# (or the run button) to run it.
# Subscriptions run over a WebSocket
# on this same endpoint.

{
  __typename
}
`;

createRoot(document.getElementById('graphiql')).render(
  <GraphiQL fetcher={fetcher} defaultQuery={defaultQuery} />,
);
