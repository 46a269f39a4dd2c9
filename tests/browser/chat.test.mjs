// tests/browser/chat.test.mjs — the chat example (examples/chat) in headless
// Chromium: GraphiQL at / runs a typed query over the SQLite-backed API,
// a subscription started in the page receives a message that another client
// (Node, over HTTP) adds, and GraphQL Voyager at /voyager draws the chat's
// schema; no console errors and no Content-Security-Policy violations.
// Screenshots go to tests/artifacts/chat-*.png.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildDir, startServer } from '../integration/lib/server.mjs';

const CHROMIUM = '/usr/bin/chromium';
const CHAT = path.join(buildDir, 'examples', 'chat');
const ARTIFACTS = path.resolve('tests/artifacts');
const T = { timeout: 45000 };

const haveChromium = existsSync(CHROMIUM);

const ADD = `mutation ($m: MessageInput!) {
  addMessage(message: $m) { id content from { displayName } }
}`;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Text of a Monaco editor as a person reads it (Monaco draws spaces as NBSP). */
async function editorText(locator) {
  return (await locator.locator('.view-lines').innerText()).replace(/\u00a0/g, ' ');
}

describe('chat example in the browser', { skip: haveChromium ? false : `no Chromium at ${CHROMIUM}` }, () => {
  let server;
  let browser;
  let chromium;
  let dir;

  /** One mutation from Node, the "other client": the added message. */
  async function addMessage(fromId, displayName, content) {
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ query: ADD, variables: { m: { fromId, displayName, content } } }),
    });
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(body.errors, undefined, JSON.stringify(body.errors));
    return body.data.addMessage;
  }

  before(async () => {
    ({ chromium } = await import('playwright-core'));
    mkdirSync(ARTIFACTS, { recursive: true });
    dir = mkdtempSync(path.join(os.tmpdir(), 'gqld-chat-browser-'));
    server = await startServer(CHAT, ['--listen', '127.0.0.1:0', '--db', path.join(dir, 'chat.db'),
      '--workers', '1']);
    await addMessage('ada', 'Ada', 'Has anyone tried the new build?');
    await addMessage('grace', 'Grace', 'Yes, it runs fine here.');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });

  after(async () => {
    await browser?.close();
    if (server) assert.equal(await server.stop(), 0, server.stderr());
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A fresh page recording console errors, page errors and CSP violations. */
  async function openPage(url) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const problems = [];
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await page.addInitScript(() => {
      window.cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => {
        window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
      });
    });
    const response = await page.goto(url);
    assert.equal(response.status(), 200, `${url} answered ${response.status()}`);
    return { context, page, problems };
  }

  async function assertClean(page, problems) {
    const violations = await page.evaluate(() => window.cspViolations);
    assert.deepEqual(violations, [], 'CSP violations');
    assert.deepEqual(problems, [], 'console errors');
  }

  /** Replaces the query editor's text by typing it, as a person would. */
  async function typeQuery(page, text) {
    const editor = page.locator('.graphiql-query-editor');
    await editor.locator('.monaco-editor').click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Delete');
    await page.keyboard.type(text, { delay: 5 });
    await page.keyboard.press('Escape'); // close any suggestion list
    await page.keyboard.press('Home'); // so that screenshots show the line's start
    assert.equal((await editorText(editor)).trim(), text);
  }

  async function run(page) {
    await page.locator('.graphiql-execute-button').click();
  }

  /** Whether the result pane shows `needle` now. */
  function resultHas(page, needle) {
    return page.evaluate(
      (n) => (document.querySelector('.graphiql-response .view-lines')?.innerText ?? '')
        .replace(/\u00a0/g, ' ').includes(n),
      needle);
  }

  async function waitForResult(page, needle, timeout = 15000) {
    await page.waitForFunction(
      (n) => document.querySelector('.graphiql-response .view-lines')?.innerText
        .replace(/\u00a0/g, ' ').includes(n),
      needle, { timeout });
    return editorText(page.locator('.graphiql-response'));
  }

  it('GraphiQL at / runs a query and shows a message another client adds', T, async () => {
    const { context, page, problems } = await openPage(`${server.url}/`);
    // The page's subscribe messages, as the WebSocket carries them.
    const subscribes = [];
    page.on('websocket', (ws) => ws.on('framesent', (f) => {
      if (typeof f.payload === 'string' && f.payload.includes('"subscribe"')) subscribes.push(f.payload);
    }));
    try {
      await page.locator('.graphiql-query-editor .monaco-editor').waitFor({ timeout: 15000 });

      await typeQuery(page,
        'query { messages(first: 5) { totalCount edges { node { content from { displayName } } } } }');
      await run(page);
      const result = await waitForResult(page, 'Yes, it runs fine here.');
      assert.match(result, /"totalCount": 2/);
      assert.match(result, /"content": "Has anyone tried the new build\?"/);
      assert.match(result, /"displayName": "Grace"/);
      await page.screenshot({ path: path.join(ARTIFACTS, 'chat-graphiql-query.png') });

      await typeQuery(page, 'subscription { messageAdded { content from { displayName } } }');
      await run(page);
      const deadline = Date.now() + 15000;
      while (subscribes.length === 0) {
        if (Date.now() > deadline) {
          await page.screenshot({ path: path.join(ARTIFACTS, 'chat-failure-subscribe.png') });
          assert.fail(`the page never subscribed; server log:\n${server.stderr()}\n${problems}`);
        }
        await sleep(50);
      }
      assert.match(subscribes[0], /messageAdded/);

      // The subscribe message is on its way to the server, which may not have
      // registered the subscription when the mutation lands: add messages
      // until one of them arrives in the page.
      let seen = null;
      for (let i = 1; i <= 10 && !seen; i++) {
        const content = `Hello from another client (${i})`;
        const added = await addMessage('linus', 'Linus', content);
        assert.equal(added.content, content);
        const until = Date.now() + 1500;
        while (Date.now() < until) {
          if (await resultHas(page, 'Hello from another client')) { seen = true; break; }
          await sleep(50);
        }
      }
      assert.ok(seen, `no subscription event reached the page; server log:\n${server.stderr()}`);
      const event = await editorText(page.locator('.graphiql-response'));
      assert.match(event, /"messageAdded"/);
      assert.match(event, /"content": "Hello from another client \(\d+\)"/);
      assert.match(event, /"displayName": "Linus"/);
      await page.screenshot({ path: path.join(ARTIFACTS, 'chat-graphiql-subscription.png') });
      await assertClean(page, problems);
    } finally {
      await context.close();
    }
  });

  it('Voyager at /voyager draws the chat schema', T, async () => {
    const { context, page, problems } = await openPage(`${server.url}/voyager`);
    try {
      // The graph is an SVG whose nodes are the types and their fields; it
      // starts at Query and, as Voyager folds Relay connections by default,
      // shows messages as [Message!]!.
      const text = await (await page.waitForFunction(() => {
        for (const svg of document.querySelectorAll('svg')) {
          const t = svg.textContent;
          if (t.includes('Query') && t.includes('Message') && t.includes('messages')) return t;
        }
        return null;
      }, null, { timeout: 20000 })).jsonValue();
      assert.match(text, /displayName/);
      assert.match(text, /sentAt/);
      await page.screenshot({ path: path.join(ARTIFACTS, 'chat-voyager.png') });
      await assertClean(page, problems);
    } finally {
      await context.close();
    }
  });
});
