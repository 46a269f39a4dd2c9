// bench/http/generate.mjs — writes data.json, the root value of the HTTP
// benchmark (schema.graphql): the execution benchmarks' shop data
// (bench/data/exec/data.json, itself generated from a fixed sequence) under
// a greeting. "world!" makes the {hello} response 27 bytes, the size of the
// constant body nginx answers (nginx.conf).
//   node bench/http/generate.mjs > bench/http/data.json
import { readFileSync } from 'node:fs';

const shop = JSON.parse(readFileSync(new URL('../data/exec/data.json', import.meta.url), 'utf8'));
process.stdout.write(JSON.stringify({ hello: 'world!', items: shop.items, catalog: shop.catalog }, null, 1) + '\n');
