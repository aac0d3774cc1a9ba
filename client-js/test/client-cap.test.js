'use strict';
// The relay's safety net for tabs that do not share a connection (--max-polls-per-client): past it
// a poll is answered at once with "interval" (the library waits before polling again), and an
// event stream is refused (the library moves on to long-poll).
const test = require('node:test');
const assert = require('node:assert/strict');
const { fakeBrowser, relayConnect, newServer } = require('../test-support/fakes.js');

async function connected(transports, options = {}, browserOpts = {}) {
  const b = fakeBrowser(browserOpts);
  relayConnect(b.fetch);
  const env = b.tab();
  const s = newServer(env, Object.assign({ transports }, options));
  s.connect();
  await b.clock.tick(150); // the duplicate-tab check
  return { b, env, ...s };
}

const polls = (b) => b.fetch.pending.filter((c) => c.path === '/poll' && !c.aborted).length;

test('a poll answered with an interval is followed by the next poll only that many ms later', async () => {
  const { b, seen } = await connected(['longpoll']);
  b.fetch.take('/poll').respond(200, { cursor: 'c1', messages: [{ seq: 1, data: 'hi', ts: 1 }], interval: 2000 });
  await b.clock.tick(0);
  assert.deepEqual(seen.messages.map((m) => m.data), ['hi'], 'what the answer carries is delivered at once');
  await b.clock.tick(1999);
  assert.equal(polls(b), 0, 'no poll during the pause');
  await b.clock.tick(1);
  const next = b.fetch.take('/poll');
  assert.equal(next.query.cursor, 'c1');

  next.respond(200, { cursor: 'c1', messages: [] });
  await b.clock.tick(0);
  assert.equal(polls(b), 1, 'an answer without an interval: the next poll at once');
  assert.deepEqual(seen.errors, []);
});

test('a JSONP poll honours the interval too', async () => {
  const { b, env } = await connected(['jsonp']);
  env.document.take('/poll').answer({ status: 200, cursor: 'c0', messages: [], interval: 2000 });
  await b.clock.tick(1999);
  assert.equal(env.document.pending('/poll'), 0, 'no script during the pause');
  await b.clock.tick(1);
  assert.equal(env.document.pending('/poll'), 1);
});

test('a hub poll honours the interval too', async () => {
  const { b } = await connected(['longpoll'], {}, { locks: true });
  const first = b.fetch.take('/poll');
  assert.ok(first.query.hub > 0, 'a hub poll: ' + first.url);
  first.respond(200, { channels: {}, interval: 2000 });
  await b.clock.tick(1999);
  assert.equal(polls(b), 0, 'no poll during the pause');
  await b.clock.tick(1);
  assert.equal(polls(b), 1);
});

test('garbage intervals are ignored and a huge one is cut to five seconds', async () => {
  const { b } = await connected(['longpoll']);
  for (const interval of ['2000', -1, 0, 0.5, null, true, {}, [2000]]) {
    b.fetch.take('/poll').respond(200, { cursor: 'c0', messages: [], interval });
    await b.clock.tick(0);
    assert.equal(polls(b), 1, 'polls again at once after interval ' + JSON.stringify(interval));
  }
  for (const body of ['{"cursor":"c0","messages":[],"interval":1e12}', '{"cursor":"c0","messages":[],"interval":1e999}']) {
    b.fetch.take('/poll').respond(200, body);
    await b.clock.tick(4999);
    assert.equal(polls(b), 0, 'still waiting after ' + body);
    await b.clock.tick(1);
    assert.equal(polls(b), 1, 'polls after 5 s: ' + body);
  }
});

test('a server closed during the pause polls no more; a reconnect starts without it', async () => {
  const { b, server } = await connected(['longpoll']);
  b.fetch.take('/poll').respond(200, { cursor: 'c0', messages: [], interval: 2000 });
  await b.clock.tick(500);
  server.disconnect();
  await b.clock.tick(5000);
  assert.equal(polls(b), 0);
  assert.equal(b.fetch.count('/poll'), 1);
});

test('an event stream the relay refuses gives way to long-poll at once, even after it worked, and reports nothing', async () => {
  const { b, server, seen } = await connected(['sse', 'longpoll']);
  b.ES.last().open();
  b.ES.last().error(); // lost: the browser would reconnect; the library retries sse itself
  assert.equal(server.transport, 'sse');
  await b.clock.tick(1000);
  assert.equal(b.ES.all.length, 2, 'sse again after a backoff');
  const errors = seen.errors.length;

  b.ES.last().refuse(); // e.g. 429 too_many_polls: closed for good before it opened
  assert.equal(server.transport, 'longpoll', 'long-poll takes over at once');
  assert.equal(b.fetch.take('/poll').query.timeout, '0');
  assert.equal(seen.errors.length, errors, 'moving on is not an error');
});

test('a refused event stream that is the only transport is reported and tried again after a backoff', async () => {
  const { b, server, seen } = await connected(['sse']);
  b.ES.last().refuse();
  assert.deepEqual(seen.errors.map((e) => e.code), ['stream_refused']);
  await b.clock.tick(1000);
  assert.equal(b.ES.all.length, 2);
  assert.equal(server.transport, 'sse');
});
