// tests/integration/chat.test.mjs — the chat example (examples/chat) as its
// clients see it: messages, pagination, counts and deletion over HTTP; data
// that survives a restart; concurrent writers; subscriptions over
// graphql-ws with and without their filter; bad input; its command line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { createClient } from 'graphql-ws';
import { buildDir, startServer } from './lib/server.mjs';

const CHAT = path.join(buildDir, 'examples', 'chat');
const T = { timeout: 30000 };
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A database path in a new temporary directory, removed after the test. */
function tempDb(t) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gqld-chat-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return path.join(dir, 'chat.db');
}

function startChat(db, args = []) {
  return startServer(CHAT, ['--listen', '127.0.0.1:0', '--db', db, '--workers', '2', ...args]);
}

/** Starts the chat and stops it after the test, checking it exits 0. */
async function chat(t, db) {
  const server = await startChat(db);
  t.after(async () => {
    assert.equal(await server.stop(), 0, server.stderr());
  });
  return server;
}

/** One GraphQL request over HTTP: the parsed response body. */
async function gql(server, query, variables) {
  const res = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query, variables }),
  });
  return res.json();
}

/** Like gql, for a request that must succeed without errors: its data. */
async function data(server, query, variables) {
  const body = await gql(server, query, variables);
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data;
}

const ADD = `mutation ($m: MessageInput!) {
  addMessage(message: $m) { id content sentAt from { id displayName messageCount } }
}`;

function add(server, fromId, content, displayName) {
  return data(server, ADD, { m: { fromId, content, displayName } }).then((d) => d.addMessage);
}

const PAGE = `query ($first: Int, $after: String) {
  messages(first: $first, after: $after) {
    totalCount
    edges { cursor node { id content sentAt from { id displayName } } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

/** Every message, read page by page through the cursors. */
async function readAll(server, first) {
  const all = [];
  let after = null;
  for (let pages = 0; ; pages++) {
    assert.ok(pages < 1000, 'pagination does not end');
    const { messages } = await data(server, PAGE, { first, after });
    all.push(...messages.edges.map((e) => e.node));
    if (!messages.pageInfo.hasNextPage) return all;
    after = messages.pageInfo.endCursor;
  }
}

test('messages, pages, counts, users and deletion', T, async (t) => {
  const server = await chat(t, tempDb(t));

  const a1 = await add(server, 'alice', 'Hello!', 'Alice');
  assert.equal(a1.id, '1');
  assert.equal(a1.content, 'Hello!');
  assert.match(a1.sentAt, ISO);
  assert.ok(Math.abs(Date.parse(a1.sentAt) - Date.now()) < 60000);
  assert.deepEqual(a1.from, { id: 'alice', displayName: 'Alice', messageCount: 1 });
  // A new sender without a name is called by their id.
  const b1 = await add(server, 'bob', 'Hi "Alice"\n\u00e9\u{1F600}');
  assert.equal(b1.content, 'Hi "Alice"\n\u00e9\u{1F600}');
  assert.deepEqual(b1.from, { id: 'bob', displayName: 'bob', messageCount: 1 });
  const a2 = await add(server, 'alice', 'How are you?');
  assert.equal(a2.from.displayName, 'Alice', 'the name is kept when not given');
  const b2 = await add(server, 'bob', 'Fine.', 'Bob');
  assert.equal(b2.from.displayName, 'Bob', 'a given name renames');
  const a3 = await add(server, 'alice', 'Good.');
  const ids = [a1, b1, a2, b2, a3].map((m) => Number(m.id));
  assert.deepEqual(ids, [1, 2, 3, 4, 5]);

  // Pages of two: cursors lead from one page to the next.
  let page = (await data(server, PAGE, { first: 2 })).messages;
  assert.equal(page.totalCount, 5);
  assert.deepEqual(page.edges.map((e) => e.node.id), ['1', '2']);
  assert.deepEqual(page.edges[1].node.from, { id: 'bob', displayName: 'Bob' });
  assert.equal(page.pageInfo.hasNextPage, true);
  assert.equal(page.pageInfo.hasPreviousPage, false);
  assert.equal(page.pageInfo.startCursor, page.edges[0].cursor);
  assert.equal(page.pageInfo.endCursor, page.edges[1].cursor);
  page = (await data(server, PAGE, { first: 2, after: page.pageInfo.endCursor })).messages;
  assert.deepEqual(page.edges.map((e) => e.node.id), ['3', '4']);
  assert.equal(page.pageInfo.hasNextPage, true);
  assert.equal(page.pageInfo.hasPreviousPage, true);
  page = (await data(server, PAGE, { first: 2, after: page.pageInfo.endCursor })).messages;
  assert.deepEqual(page.edges.map((e) => e.node.id), ['5']);
  assert.equal(page.pageInfo.hasNextPage, false);
  // Past the end, and an empty page.
  page = (await data(server, PAGE, { first: 2, after: page.pageInfo.endCursor })).messages;
  assert.deepEqual(page.edges, []);
  assert.equal(page.pageInfo.hasNextPage, false);
  assert.equal(page.pageInfo.endCursor, null);
  page = (await data(server, PAGE, { first: 0 })).messages;
  assert.deepEqual(page.edges, []);
  assert.equal(page.pageInfo.hasNextPage, true);
  // The default page size is 20.
  assert.equal((await data(server, '{ messages { edges { node { id } } } }')).messages.edges.length, 5);
  assert.deepEqual((await readAll(server, 3)).map((m) => m.id), ['1', '2', '3', '4', '5']);

  const counts = await data(server, `{
    messageCount
    users { id displayName messageCount }
    alice: user(id: "alice") { displayName messageCount }
    nobody: user(id: "nobody") { id }
    message(id: "2") { content from { id messageCount } }
    missing: message(id: "99") { id }
    notAnId: message(id: "x1") { id }
  }`);
  assert.deepEqual(counts, {
    messageCount: 5,
    users: [
      { id: 'alice', displayName: 'Alice', messageCount: 3 },
      { id: 'bob', displayName: 'Bob', messageCount: 2 },
    ],
    alice: { displayName: 'Alice', messageCount: 3 },
    nobody: null,
    message: { content: b1.content, from: { id: 'bob', messageCount: 2 } },
    missing: null,
    notAnId: null,
  });

  // Deleting returns the message once, then null.
  const DEL = 'mutation ($id: ID!) { deleteMessage(id: $id) { id content sentAt from { id messageCount } } }';
  const deleted = (await data(server, DEL, { id: '2' })).deleteMessage;
  assert.deepEqual(deleted, { id: '2', content: b1.content, sentAt: b1.sentAt, from: { id: 'bob', messageCount: 1 } });
  assert.equal((await data(server, DEL, { id: '2' })).deleteMessage, null);
  assert.equal((await data(server, DEL, { id: 'nope' })).deleteMessage, null);
  const after = await data(server, '{ messageCount message(id: "2") { id } user(id: "bob") { messageCount } }');
  assert.deepEqual(after, { messageCount: 4, message: null, user: { messageCount: 1 } });
  assert.deepEqual((await readAll(server, 2)).map((m) => m.id), ['1', '3', '4', '5']);
  // A cursor of a deleted message still marks its place.
  page = (await data(server, PAGE, { first: 1, after: Buffer.from('message:2').toString('base64') })).messages;
  assert.deepEqual(page.edges.map((e) => e.node.id), ['3']);
});

test('the data survives a restart', T, async (t) => {
  const db = tempDb(t);
  let server = await startChat(db);
  let before;
  try {
    await add(server, 'u1', 'first', 'User One');
    await add(server, 'u2', 'second');
    await add(server, 'u1', 'third');
    await data(server, 'mutation { deleteMessage(id: "3") { id } }');
    before = await readAll(server, 100);
  } finally {
    assert.equal(await server.stop('SIGINT'), 0, server.stderr());
  }
  assert.match(server.stderr(), /chat: database closed/);
  // The last connection's close checkpoints the WAL into the file.
  assert.equal(fs.existsSync(`${db}-wal`), false);

  server = await startChat(db);
  try {
    assert.deepEqual(await readAll(server, 100), before);
    assert.deepEqual(before.map((m) => [m.id, m.content, m.from.displayName]), [
      ['1', 'first', 'User One'],
      ['2', 'second', 'u2'],
    ]);
    for (const m of before) assert.match(m.sentAt, ISO);
    assert.deepEqual(await data(server, '{ users { id displayName messageCount } }'), {
      users: [
        { id: 'u1', displayName: 'User One', messageCount: 1 },
        { id: 'u2', displayName: 'u2', messageCount: 1 },
      ],
    });
    // Ids are never reused, not even the deleted newest one.
    assert.equal((await add(server, 'u2', 'fourth')).id, '4');
  } finally {
    assert.equal(await server.stop(), 0, server.stderr());
  }
});

test('8 clients adding 25 messages each at once', T, async (t) => {
  const server = await chat(t, tempDb(t));
  const clients = 8;
  const each = 25;
  const results = await Promise.all(
    Array.from({ length: clients }, (_, c) =>
      Promise.all(Array.from({ length: each }, (_, i) => add(server, `client${c}`, `message ${i} of client ${c}`)))),
  );
  const ids = results.flat().map((m) => Number(m.id));
  assert.equal(ids.length, clients * each);
  assert.equal(new Set(ids).size, clients * each, 'ids are distinct');
  assert.deepEqual([...ids].sort((a, b) => a - b), Array.from({ length: clients * each }, (_, i) => i + 1));

  const { messages, messageCount, users } = await data(server, `{
    messages(first: 1) { totalCount }
    messageCount
    users { id messageCount }
  }`);
  assert.equal(messages.totalCount, 200);
  assert.equal(messageCount, 200);
  assert.equal(users.length, clients);
  for (const u of users) assert.equal(u.messageCount, each, u.id);

  // Read back in pages of 100: every message once, in id order, intact.
  const all = await readAll(server, 100);
  assert.deepEqual(all.map((m) => Number(m.id)), Array.from({ length: 200 }, (_, i) => i + 1));
  const sent = new Map(results.flat().map((m) => [m.id, m.content]));
  for (const m of all) assert.equal(m.content, sent.get(m.id));
  // Times follow ids: a message is stamped while it is being stored.
  for (let i = 1; i < all.length; i++) assert.ok(all[i - 1].sentAt <= all[i].sentAt);
});

// ---- subscriptions ------------------------------------------------------------------

function wsClient(server) {
  return createClient({
    url: `${server.url.replace('http:', 'ws:')}/graphql`,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
  });
}

/** Subscribes; returns { events, errors } that fill as results arrive. */
function listen(client, query, variables) {
  const sub = { events: [], errors: [] };
  client.subscribe({ query, variables }, {
    next: (v) => (v.errors ? sub.errors.push(v.errors) : sub.events.push(v.data)),
    error: (e) => sub.errors.push(e),
    complete: () => {},
  });
  return sub;
}

/** Resolves once an operation sent after the subscriptions on the same
 * socket has answered: the server handles a socket's messages in order,
 * so the subscriptions listen by then. */
function barrier(client) {
  return new Promise((resolve, reject) => {
    client.subscribe({ query: '{ messageCount }' }, { next: () => {}, error: reject, complete: resolve });
  });
}

async function until(what, ok, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

test('subscriptions: messageAdded and messageDeleted, with and without fromId', T, async (t) => {
  const server = await chat(t, tempDb(t));
  const one = wsClient(server);
  const two = wsClient(server);
  t.after(async () => {
    await one.dispose();
    await two.dispose();
  });
  const FIELDS = '{ id content sentAt from { id displayName messageCount } }';
  const added = listen(one, `subscription { messageAdded ${FIELDS} }`);
  const deleted = listen(one, `subscription { messageDeleted ${FIELDS} }`);
  const addedAlice = listen(two, `subscription { messageAdded(fromId: "alice") ${FIELDS} }`);
  const deletedBob = listen(two, `subscription ($f: ID) { messageDeleted(fromId: $f) ${FIELDS} }`, { f: 'bob' });
  const addedNull = listen(two, `subscription { messageAdded(fromId: null) { id } }`);
  await Promise.all([barrier(one), barrier(two)]);

  const a1 = await add(server, 'alice', 'a1', 'Alice');
  const b1 = await add(server, 'bob', 'b1', 'Bob');
  const a2 = await add(server, 'alice', 'a2');
  await until('three messageAdded events', () => added.events.length >= 3 && addedAlice.events.length >= 2 &&
    addedNull.events.length >= 3);
  await data(server, 'mutation { b: deleteMessage(id: "2") { id } a: deleteMessage(id: "1") { id } }');
  await until('two messageDeleted events', () => deleted.events.length >= 2 && deletedBob.events.length >= 1);
  // Whatever else was coming has had time to arrive.
  await Promise.all([barrier(one), barrier(two)]);
  await sleep(200);

  const ids = (sub, field) => sub.events.map((e) => e[field].id);
  assert.deepEqual(ids(added, 'messageAdded'), [a1.id, b1.id, a2.id]);
  assert.deepEqual(ids(addedNull, 'messageAdded'), [a1.id, b1.id, a2.id]);
  assert.deepEqual(ids(addedAlice, 'messageAdded'), [a1.id, a2.id]);
  assert.deepEqual(ids(deleted, 'messageDeleted'), [b1.id, a1.id]);
  assert.deepEqual(ids(deletedBob, 'messageDeleted'), [b1.id]);
  for (const sub of [added, deleted, addedAlice, deletedBob, addedNull]) assert.deepEqual(sub.errors, []);

  // An event carries the message as stored; counts are read when it is sent.
  assert.deepEqual(added.events[0].messageAdded, { ...a1, from: { ...a1.from, messageCount: added.events[0].messageAdded.from.messageCount } });
  assert.ok(added.events[0].messageAdded.from.messageCount >= 1);
  assert.deepEqual(deleted.events[0].messageDeleted, { ...b1, from: { id: 'bob', displayName: 'Bob', messageCount: 0 } });
});

// ---- bad input -------------------------------------------------------------------------

test('bad input gets a clear error and stores nothing', T, async (t) => {
  const server = await chat(t, tempDb(t));
  const tryAdd = (m) => gql(server, ADD, { m });
  const badInput = async (body, message) => {
    assert.equal(body.data, null, JSON.stringify(body));
    assert.equal(body.errors.length, 1);
    assert.equal(body.errors[0].message, message);
    assert.deepEqual(body.errors[0].extensions, { code: 'BAD_USER_INPUT' });
  };
  await badInput(await tryAdd({ fromId: 'a', content: '' }), 'A message must not be empty.');
  await badInput(await tryAdd({ fromId: 'a', content: ' \n\t ' }), 'A message must not be empty.');
  await badInput(await tryAdd({ fromId: 'a', content: 'x'.repeat(2001) }),
    'A message must be at most 2000 characters long.');
  await badInput(await tryAdd({ fromId: '', content: 'x' }), 'fromId must be 1 to 64 characters long.');
  await badInput(await tryAdd({ fromId: 'u'.repeat(65), content: 'x' }), 'fromId must be 1 to 64 characters long.');
  await badInput(await tryAdd({ fromId: 'a', displayName: '  ', content: 'x' }),
    'displayName must be 1 to 64 characters long, not all blank.');
  await badInput(await gql(server, PAGE, { first: -1 }), 'first must be between 0 and 100.');
  await badInput(await gql(server, PAGE, { first: 101 }), 'first must be between 0 and 100.');
  await badInput(await gql(server, PAGE, { after: 'not a cursor' }), 'after is not a cursor of this list.');
  await badInput(await gql(server, PAGE, { after: Buffer.from('user:1').toString('base64') }),
    'after is not a cursor of this list.');
  // GraphQL's own checks: a missing field, a wrong type.
  let body = await gql(server, ADD, { m: { fromId: 'a' } });
  assert.match(body.errors[0].message, /to include required field "content"/);
  body = await gql(server, ADD, { m: { fromId: 'a', content: 5 } });
  assert.match(body.errors[0].message, /String cannot represent a non string value/);
  assert.deepEqual(await data(server, '{ messageCount users { id } }'), { messageCount: 0, users: [] });

  // The limits count characters, not bytes.
  const long = await add(server, 'a', '\u20ac'.repeat(2000));
  assert.equal(long.content.length, 2000);
  assert.equal((await add(server, 'u'.repeat(64), 'ok')).from.id.length, 64);
});

// ---- the command line ------------------------------------------------------------------

test('command line: usage, bad options, a database that cannot be opened', T, (t) => {
  let r = spawnSync(CHAT, ['--help'], { encoding: 'utf8' });
  assert.equal(r.status, 0);
  assert.match(r.stdout, /usage: chat \[--listen HOST:PORT\] \[--db PATH\] \[--workers N\]/);
  r = spawnSync(CHAT, ['--workers', 'many'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /bad option --workers many/);
  r = spawnSync(CHAT, ['--db'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  r = spawnSync(CHAT, ['--db', '/nonexistent-dir/x/chat.db', '--listen', '127.0.0.1:0'], { encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /chat: cannot open the database \/nonexistent-dir\/x\/chat\.db/);
  const notDb = tempDb(t);
  fs.writeFileSync(notDb, 'this is not a database, just some text that is long enough to be read');
  r = spawnSync(CHAT, ['--db', notDb, '--listen', '127.0.0.1:0'], { encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /file is not a database/);
});
