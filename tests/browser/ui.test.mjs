// tests/browser/ui.test.mjs — the browser UI in headless Chromium: GraphiQL
// opened on the endpoint and on /graphiql runs a typed query, receives a
// subscription event published from Node over graphql-transport-ws, and
// GraphQL Voyager draws the schema; no console errors and no
// Content-Security-Policy violations anywhere. Screenshots go to
// tests/artifacts/ui-*.png.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { gqld, startServer } from '../integration/lib/server.mjs';

const CHROMIUM = '/usr/bin/chromium';
const SCHEMA = path.resolve('tests/browser/schema.graphql');
const DATA = path.resolve('tests/browser/data.json');
const ARTIFACTS = path.resolve('tests/artifacts');
const T = { timeout: 45000 };

const haveChromium = existsSync(CHROMIUM);

/** Text of a Monaco editor as a person reads it (Monaco draws spaces as NBSP). */
async function editorText(locator) {
  return (await locator.locator('.view-lines').innerText()).replace(/\u00a0/g, ' ');
}

describe('browser UI', { skip: haveChromium ? false : `no Chromium at ${CHROMIUM}` }, () => {
  let server;
  let browser;
  let chromium;

  before(async () => {
    ({ chromium } = await import('playwright-core'));
    mkdirSync(ARTIFACTS, { recursive: true });
    server = await startServer(gqld, ['serve', '--schema', SCHEMA, '--data', DATA,
      '--listen', '127.0.0.1:0', '--workers', '1', '--access-log', 'false']);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
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
    assert.equal((await editorText(editor)).trim(), text);
  }

  async function run(page) {
    await page.locator('.graphiql-execute-button').click();
  }

  async function waitForResult(page, needle) {
    const response = page.locator('.graphiql-response');
    await page.waitForFunction(
      (n) => document.querySelector('.graphiql-response .view-lines')?.innerText
        .replace(/\u00a0/g, ' ').includes(n),
      needle, { timeout: 15000 });
    return editorText(response);
  }

  async function subscribers(topic) {
    const res = await fetch(`${server.url}/publish/${topic}`);
    return (await res.json()).subscribers;
  }

  it('GraphiQL on the endpoint runs a typed query and shows a subscription event', T, async () => {
    const { context, page, problems } = await openPage(`${server.url}/graphql`);
    try {
      await page.locator('.graphiql-query-editor .monaco-editor').waitFor({ timeout: 15000 });

      await typeQuery(page, '{ hello messages { id text } }');
      await run(page);
      const result = await waitForResult(page, 'Hello from gqld');
      assert.match(result, /"text": "second"/);
      await page.screenshot({ path: path.join(ARTIFACTS, 'ui-graphiql-query.png') });

      await typeQuery(page, 'subscription { messageAdded { id text } }');
      await run(page);
      const deadline = Date.now() + 15000;
      while ((await subscribers('messageAdded')) < 1) {
        if (Date.now() > deadline) {
          await page.screenshot({ path: path.join(ARTIFACTS, 'ui-failure-subscribe.png') });
          assert.fail(`the page never subscribed; server log:\n${server.stderr()}\n${problems}`);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      const res = await fetch(`${server.url}/publish/messageAdded`, {
        method: 'POST',
        body: JSON.stringify({ messageAdded: { id: '3', text: 'pushed from node' } }),
      });
      assert.equal(res.status, 200);
      const event = await waitForResult(page, 'pushed from node');
      assert.match(event, /"id": "3"/);
      await page.screenshot({ path: path.join(ARTIFACTS, 'ui-graphiql-subscription.png') });
      await assertClean(page, problems);
    } finally {
      await context.close();
    }
  });

  it('GraphiQL on /graphiql loads the schema without errors', T, async () => {
    const { context, page, problems } = await openPage(`${server.url}/graphiql`);
    try {
      await page.locator('.graphiql-query-editor .monaco-editor').waitFor({ timeout: 15000 });
      // The documentation explorer lists the root type once introspection
      // (over HTTP) has loaded the schema.
      await page.locator('button[aria-label="Show Documentation Explorer"]').click();
      await page.locator('.graphiql-doc-explorer').getByText('Query', { exact: true })
        .first().waitFor({ timeout: 15000 });
      await page.screenshot({ path: path.join(ARTIFACTS, 'ui-graphiql-docs.png') });
      await assertClean(page, problems);
    } finally {
      await context.close();
    }
  });

  it('Voyager draws the schema', T, async () => {
    const { context, page, problems } = await openPage(`${server.url}/voyager`);
    try {
      // The graph is an SVG whose nodes are the types and their fields.
      const text = await (await page.waitForFunction(() => {
        for (const svg of document.querySelectorAll('svg')) {
          const t = svg.textContent;
          if (t.includes('Query') && t.includes('Message') && t.includes('messages')) return t;
        }
        return null;
      }, null, { timeout: 20000 })).jsonValue();
      assert.match(text, /hello/);
      await page.screenshot({ path: path.join(ARTIFACTS, 'ui-voyager.png') });
      await assertClean(page, problems);
    } finally {
      await context.close();
    }
  });
});
