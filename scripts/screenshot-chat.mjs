#!/usr/bin/env node
// scripts/screenshot-chat.mjs — regenerates docs/chat-graphiql.png, the
// picture of the chat example's GraphiQL page that examples/chat/README.md
// shows. Run by hand from the repository's root, after building the chat
// example with the browser UI bundled (cmake/ui.cmake):
//
//   node scripts/screenshot-chat.mjs [BUILD_DIR] [OUTPUT.png]
//
// BUILD_DIR defaults to $GQL_BUILD_DIR, else build; OUTPUT to
// docs/chat-graphiql.png. It needs Debian's Chromium (/usr/bin/chromium) and
// the root's playwright-core. It starts <BUILD_DIR>/examples/chat on a free
// port with a new database in a temporary directory, adds a few messages
// over HTTP, opens GraphiQL at / in a 1280x900 headless window, enters a
// query, formats it with GraphiQL's prettify button, runs it, waits for the
// result and saves the screenshot. Nothing outside the temporary directory
// and OUTPUT is touched.
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startServer } from '../tests/integration/lib/server.mjs';

const CHROMIUM = '/usr/bin/chromium';
const buildDir = path.resolve(process.argv[2] ?? process.env.GQL_BUILD_DIR ?? 'build');
const output = path.resolve(process.argv[3] ?? 'docs/chat-graphiql.png');
const chat = path.join(buildDir, 'examples', 'chat');

// A short conversation, oldest first: [fromId, displayName, content].
const MESSAGES = [
  ['ada', 'Ada', 'Morning! Is the nightly build green?'],
  ['grace', 'Grace', 'All green, and the benchmarks held up.'],
  ['linus', 'Linus', 'Great, I will tag the release at noon.'],
];

// Pasted into the editor rather than typed: typed key by key, its brackets
// and indentation would be added a second time by the editor. It is then
// prettified into GraphiQL's own layout.
const QUERY = `query {
  messages(first: 5) {
    totalCount
    edges { node { id content from { displayName } } }
  }
}`;

// The window, tall enough for the whole result, and where the divider
// between the query and the result is dragged to.
const VIEWPORT = { width: 1280, height: 900 };
const DIVIDER_X = 520;

const ADD = `mutation ($m: MessageInput!) { addMessage(message: $m) { id } }`;

function fail(message) {
  console.error(`screenshot-chat: ${message}`);
  process.exit(1);
}

if (!existsSync(chat)) fail(`no ${chat}: build the chat example first`);
if (!existsSync(CHROMIUM)) fail(`no Chromium at ${CHROMIUM} (apt-get install chromium)`);

// Errors inside the try below are thrown, so that the finally stops the
// server and the browser before the program ends.

const dir = mkdtempSync(path.join(os.tmpdir(), 'gqld-chat-shot-'));
let server;
let browser;
try {
  server = await startServer(chat, ['--listen', '127.0.0.1:0', '--db', path.join(dir, 'chat.db'),
    '--workers', '1']);
  for (const [fromId, displayName, content] of MESSAGES) {
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: ADD, variables: { m: { fromId, displayName, content } } }),
    });
    const body = await res.json();
    if (body.errors) throw new Error(`addMessage: ${JSON.stringify(body.errors)}`);
  }

  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const page = await browser.newPage({ viewport: VIEWPORT });
  await page.goto(`${server.url}/`);
  const editor = page.locator('.graphiql-query-editor .monaco-editor');
  await editor.waitFor({ timeout: 15000 });
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  // A paste event like the one the system clipboard would send.
  await page.locator('.graphiql-query-editor textarea').first().evaluate((area, text) => {
    const data = new DataTransfer();
    data.setData('text/plain', text);
    area.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, QUERY);
  await page.keyboard.press('Escape'); // close any suggestion list
  await page.locator('button[aria-label^="Prettify"]').click();
  // Give the result the wider half, so that no message is wrapped.
  const bar = await page.locator('.graphiql-horizontal-drag-bar').first().boundingBox();
  await page.mouse.move(bar.x + bar.width / 2, bar.y + bar.height / 2);
  await page.mouse.down();
  await page.mouse.move(DIVIDER_X, bar.y + bar.height / 2, { steps: 10 });
  await page.mouse.up();
  await page.locator('.graphiql-execute-button').click();
  // The last sender's name: a long content may be wrapped over two lines.
  const last = `"${MESSAGES[MESSAGES.length - 1][1]}"`;
  await page.waitForFunction(
    (n) => document.querySelector('.graphiql-response .view-lines')?.innerText
      .replace(/\u00a0/g, ' ').includes(n),
    last, { timeout: 15000 });
  // Keep the pointer off the text.
  await page.mouse.move(VIEWPORT.width - 10, VIEWPORT.height - 10);
  mkdirSync(path.dirname(output), { recursive: true });
  await page.screenshot({ path: output });
  console.log(`screenshot-chat: wrote ${output} (${statSync(output).size} bytes)`);
} finally {
  await browser?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
}
