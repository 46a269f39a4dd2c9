// ui/src/voyager.jsx — the GraphQL Voyager page: the endpoint's schema,
// read by introspection, drawn as a graph.
import config from './config.js';
import React from 'react';
import { createRoot } from 'react-dom/client';
import createCache from '@emotion/cache';
import { CacheProvider } from '@emotion/react';
import { Voyager, voyagerIntrospectionQuery } from 'graphql-voyager';
import 'graphql-voyager/dist/voyager.css';
import './page.css';

async function introspection() {
  const response = await fetch(config.endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query: voyagerIntrospectionQuery }),
  });
  return response.json();
}

// Emotion (Material UI's styles) is told the nonce directly as well.
const cache = createCache({ key: 'voyager', nonce: config.nonce || undefined });

createRoot(document.getElementById('voyager')).render(
  <CacheProvider value={cache}>
    <Voyager introspection={introspection()} hideVoyagerLogo={false} />
  </CacheProvider>,
);
