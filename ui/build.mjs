// ui/build.mjs — bundles the browser pages gqld serves (GraphiQL and GraphQL
// Voyager) from the pinned npm packages, for use with no network at all.
//
//   node ui/build.mjs OUTDIR
//
// writes OUTDIR/files/ (minified JavaScript, CSS, Monaco's workers and the
// fonts the CSS refers to, every name content-hashed so a browser may keep
// them for good), a gzip and a brotli copy of each file that shrinks, and
// OUTDIR/gql_ui_assets.c: a C file that embeds those files with .incbin and
// defines gql_ui_assets() (include/gql/ui.h) for the gql_ui_assets library.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync, constants as zlibConstants } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const outArg = process.argv[2];
if (!outArg) {
  console.error('usage: node ui/build.mjs OUTDIR');
  process.exit(2);
}
const outDir = resolve(outArg);
const filesDir = join(outDir, 'files');
rmSync(filesDir, { recursive: true, force: true });
mkdirSync(filesDir, { recursive: true });

const pkg = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'));
const version = (name) =>
  JSON.parse(readFileSync(join(here, 'node_modules', name, 'package.json'), 'utf8')).version;

// The bundles the pages load, by the stable role name the server looks
// them up by; workers are entries of their own so Monaco can start them
// from a same-origin URL.
const entries = {
  graphiql: join(here, 'src/graphiql.jsx'),
  voyager: join(here, 'src/voyager.jsx'),
  'editor.worker': 'monaco-editor/esm/vs/editor/editor.worker.js',
  'json.worker': 'monaco-editor/esm/vs/language/json/json.worker.js',
  'graphql.worker': 'monaco-graphql/esm/graphql.worker.js',
};

const result = await build({
  absWorkingDir: here,
  entryPoints: entries,
  outdir: filesDir,
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
  jsx: 'automatic',
  entryNames: '[name]-[hash]',
  assetNames: '[name]-[hash]',
  loader: {
    '.ttf': 'file',
    '.woff': 'file',
    '.woff2': 'file',
    '.eot': 'file',
    '.png': 'file',
    '.svg': 'file',
    '.gif': 'file',
  },
  define: { 'process.env.NODE_ENV': '"production"' },
  legalComments: 'eof',
  metafile: true,
  logLevel: 'warning',
});

const types = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.eot': 'application/vnd.ms-fontobject',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.gif': 'image/gif',
};
const compressible = new Set(['.js', '.css', '.svg', '.ttf', '.eot']);

// Role names: "graphiql.js", "graphiql.css", "editor.worker.js", ...
const roles = new Map();
for (const [out, info] of Object.entries(result.metafile.outputs)) {
  if (!info.entryPoint) continue;
  const entry = Object.keys(entries).find(
    (k) => resolve(here, info.entryPoint) === resolve(here, entries[k]) ||
      info.entryPoint.endsWith(entries[k].replace(/^\.?\//, '')),
  );
  if (entry === undefined) continue;
  roles.set(resolve(here, out), `${entry}.js`);
  if (info.cssBundle) roles.set(resolve(here, info.cssBundle), `${entry}.css`);
}

const files = [];
for (const out of Object.keys(result.metafile.outputs).sort()) {
  const path = resolve(here, out);
  const ext = extname(path);
  const data = readFileSync(path);
  const file = {
    name: basename(path),
    role: roles.get(path) ?? null,
    type: types[ext] ?? 'application/octet-stream',
    etag: `"${createHash('sha256').update(data).digest('hex').slice(0, 20)}"`,
    path,
    size: data.length,
  };
  if (compressible.has(ext) && data.length >= 1024) {
    const gz = gzipSync(data, { level: 9 });
    const br = brotliCompressSync(data, {
      params: {
        // Quality 9: 2 s for the bundle instead of 29 s at 11, for 9 %
        // more bytes; the bundle is made in every build directory.
        [zlibConstants.BROTLI_PARAM_QUALITY]: 9,
        [zlibConstants.BROTLI_PARAM_SIZE_HINT]: data.length,
      },
    });
    if (gz.length < data.length) {
      writeFileSync(`${path}.gz`, gz);
      file.gz = { path: `${path}.gz`, size: gz.length };
    }
    if (br.length < data.length) {
      writeFileSync(`${path}.br`, br);
      file.br = { path: `${path}.br`, size: br.length };
    }
  }
  files.push(file);
}
for (const role of ['graphiql.js', 'graphiql.css', 'voyager.js', 'voyager.css',
  'editor.worker.js', 'json.worker.js', 'graphql.worker.js']) {
  if (!files.some((f) => f.role === role)) {
    console.error(`ui/build.mjs: no output for ${role}`);
    process.exit(1);
  }
}

// ---- the C file -------------------------------------------------------------
const cString = (s) => JSON.stringify(s); // ASCII names and types only
const asmString = (s) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
let asm = '';
let decls = '';
const sym = (i, kind) => `gqlx_ui_${kind}${i}`;
files.forEach((f, i) => {
  for (const [kind, part] of [['f', f], ['g', f.gz], ['b', f.br]]) {
    if (!part) continue;
    const s = sym(i, kind);
    // .incbin's file name is a C string inside a C string: escaped twice.
    asm += `    ".globl ${s}\\n.hidden ${s}\\n.balign 16\\n${s}:\\n.incbin ` +
      `${JSON.stringify(asmString(part.path)).slice(1, -1)}\\n"\n`;
    decls += `extern const unsigned char ${s}[] __attribute__((visibility("hidden")));\n`;
  }
});
const table = files.map((f, i) => {
  const part = (kind, p) => (p ? `${sym(i, kind)}, ${p.size}u` : 'NULL, 0u');
  return `    {${cString(f.name)}, ${f.role ? cString(f.role) : 'NULL'}, ${cString(f.type)},\n` +
    `     ${cString(f.etag)}, ${part('f', f)}, ${part('g', f.gz)}, ${part('b', f.br)}},`;
}).join('\n');
const versions = `graphiql ${version('graphiql')}, graphql-voyager ${version('graphql-voyager')}, ` +
  `react ${version('react')}, graphql-ws ${version('graphql-ws')}`;

const c = `/* gql_ui_assets.c — the browser UI's files (GraphiQL, GraphQL Voyager),
 * embedded into the program. Generated by ui/build.mjs from ${pkg.name}; do not edit. */
#include <stddef.h>

#include "gql/ui.h"

__asm__(".pushsection .rodata.gql_ui,\\"a\\",@progbits\\n"
${asm}    ".popsection\\n");

${decls}
static const gql_ui_file files[] = {
${table}
};

static const gql_ui_bundle bundle = {${cString(versions)}, files, sizeof files / sizeof files[0]};

const gql_ui_bundle *gql_ui_assets(void)
{
    return &bundle;
}
`;
// Written through a temporary name so an interrupted build leaves no
// half-written file for the compiler.
const cPath = join(outDir, 'gql_ui_assets.c');
writeFileSync(`${cPath}.tmp`, c);
renameSync(`${cPath}.tmp`, cPath);

const total = files.reduce((n, f) => n + f.size, 0);
console.log(`ui: ${files.length} files, ${(total / 1048576).toFixed(1)} MiB (${versions}) -> ${outDir}`);
