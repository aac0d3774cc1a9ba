'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { fakeBrowser, newServer, settle, RELAY } = require('../test-support/fakes.js');

const ADDRESS = RELAY + '/m/C7/inbox';

function sender(tabOpts) {
  const b = fakeBrowser();
  const env = b.tab(tabOpts);
  return { b, env, server: newServer(env).server };
}

test('send POSTs the message as text/plain (no CORS preflight) and resolves with the relay answer', async () => {
  const { b, server } = sender();
  const sent = server.send(ADDRESS, 'hello');
  const call = b.fetch.take('/m/C7/inbox');
  assert.equal(call.method, 'POST');
  assert.equal(call.body, 'hello');
  assert.equal(call.headers['Content-Type'], 'text/plain;charset=UTF-8');
  assert.equal(call.headers.Authorization, undefined, 'sending needs no key');
  call.respond(202, { seq: 12, delivered: 1 });
  assert.deepEqual(await sent, { seq: 12, delivered: 1 });
  assert.equal(server.state, 'closed', 'sending does not connect');
});

test('a non-string message is sent as its JSON text', async () => {
  const { b, server } = sender();
  const sent = server.send(ADDRESS, { n: 1 });
  const call = b.fetch.take('/m/C7/inbox');
  assert.equal(call.body, '{"n":1}');
  call.respond(202, { seq: 1, delivered: 0 });
  await sent;
});

test('when fetch fails with a network or CORS TypeError, send retries as a JSONP GET', async () => {
  const { b, env, server } = sender();
  const sent = server.send(ADDRESS + '?x=1', 'hi there');
  b.fetch.take('/m/C7/inbox').fail(new TypeError('Failed to fetch'));
  await settle();
  const script = env.document.take('/m/C7/inbox');
  assert.equal(script.query.message, 'hi there');
  assert.equal(script.query.x, '1', 'the address keeps its own query');
  assert.match(script.query.callback, /^Addressable\._cb\.c[0-9a-z]+$/);
  script.answer({ status: 202, seq: 3, delivered: 0 });
  assert.deepEqual(await sent, { status: 202, seq: 3, delivered: 0 });
  assert.equal(script.removed, true);
});

test('an HTTP error rejects with the relay code and status, with no JSONP retry', async () => {
  const { b, env, server } = sender();
  const sent = server.send(ADDRESS, 'hi');
  b.fetch.take('/m/C7/inbox').respond(404, { error: 'unknown_address', message: 'no such channel' });
  await assert.rejects(sent, (e) => e.code === 'unknown_address' && e.status === 404 && e.message === 'no such channel');
  assert.equal(env.document.scripts.length, 0);
});

test('a JSONP answer with an error status rejects', async () => {
  const { env, server } = sender({ fetch: undefined });
  const sent = server.send(ADDRESS, 'x'.repeat(10));
  env.document.take('/m/C7/inbox').answer({ status: 413, error: 'message_too_large', message: 'max 64 KiB' });
  await assert.rejects(sent, (e) => e.code === 'message_too_large' && e.status === 413);
});

test('a JSONP script that fails to load, or never calls back, rejects', async () => {
  const { env, server } = sender({ fetch: undefined });
  const failed = server.send(ADDRESS, 'a');
  env.document.take('/m/C7/inbox').fail();
  await assert.rejects(failed, (e) => e.code === 'script_error' && !e.message.includes('message='));

  const silent = server.send(ADDRESS, 'b');
  const s = env.document.take('/m/C7/inbox');
  s.onload({ type: 'load' }); // e.g. the answer was not JavaScript
  await assert.rejects(silent, (e) => e.code === 'no_callback');
});

test('a JSONP send times out after 15 s, and a late answer is harmless', async () => {
  const { b, env, server } = sender({ fetch: undefined });
  const sent = server.send(ADDRESS, 'a');
  const script = env.document.take('/m/C7/inbox');
  let outcome = null;
  sent.then(() => { outcome = 'resolved'; }, (e) => { outcome = e.code; });
  await b.clock.tick(14999);
  assert.equal(outcome, null);
  await b.clock.tick(1);
  assert.equal(outcome, 'timeout');
  assert.doesNotThrow(() => script.answer({ status: 202, seq: 1, delivered: 1 }));
  assert.equal(script.removed, true, 'removed once it finally loaded');
});

test('every send carries a fresh mid, and a JSONP send carries it too', async () => {
  const { b, server } = sender();
  const first = server.send(ADDRESS, 'a');
  const second = server.send(ADDRESS, 'b');
  const one = b.fetch.take('/m/C7/inbox');
  const two = b.fetch.take('/m/C7/inbox');
  assert.match(one.query.mid, /^[A-Za-z0-9_-]{22}$/);
  assert.notEqual(one.query.mid, two.query.mid);
  one.respond(202, { seq: 1, delivered: 0 });
  two.respond(202, { seq: 2, delivered: 0 });
  await Promise.all([first, second]);

  const { env, server: noFetch } = sender({ fetch: undefined });
  const sent = noFetch.send(ADDRESS, 'by script');
  const script = env.document.take('/m/C7/inbox');
  assert.match(script.query.mid, /^[A-Za-z0-9_-]{22}$/);
  script.answer({ status: 202, seq: 3, delivered: 0 });
  await sent;
});

test('a 503 is retried with the same mid after its Retry-After, and the retry answers', async () => {
  const { b, server } = sender();
  const sent = server.send(ADDRESS, 'stored once');
  const first = b.fetch.take('/m/C7/inbox');
  first.respond(503, { error: 'store_unavailable', message: 'Redis is out of reach', outcome: 'unknown' }, { 'Retry-After': '2' });
  await b.clock.tick(1999);
  assert.equal(b.fetch.pending.length, 0, 'not before Retry-After');
  await b.clock.tick(1001);
  const retry = b.fetch.take('/m/C7/inbox');
  assert.equal(retry.query.mid, first.query.mid, 'the same mid: the relay stores it once');
  assert.equal(retry.body, 'stored once');
  retry.respond(202, { seq: 7, delivered: 0, dup: true });
  assert.deepEqual(await sent, { seq: 7, delivered: 0, dup: true });
});

test('a send gives up after five tries and rejects with the last error; other errors are not retried', async () => {
  const { b, server } = sender();
  const sent = server.send(ADDRESS, 'x');
  let outcome = null;
  sent.catch((e) => { outcome = e; });
  for (let i = 0; i < 5; i++) {
    b.fetch.take('/m/C7/inbox').respond(503, { error: 'overloaded', message: 'busy' }, { 'Retry-After': '1' });
    await b.clock.tick(3000);
  }
  assert.equal(b.fetch.pending.length, 0, 'no sixth try');
  assert.equal(outcome.code, 'overloaded');
  assert.equal(b.fetch.count('/m/C7/inbox'), 5);

  const refused = server.send(ADDRESS, 'y');
  b.fetch.take('/m/C7/inbox').respond(400, { error: 'bad_ttl', message: 'no' });
  await assert.rejects(refused, (e) => e.code === 'bad_ttl');
  await b.clock.tick(60000);
  assert.equal(b.fetch.pending.length, 0, 'a 400 is final');
});

test('a send stops retrying once 30 s have gone by', async () => {
  const { b, server } = sender();
  const sent = server.send(ADDRESS, 'x');
  let outcome = null;
  sent.catch((e) => { outcome = e; });
  b.fetch.take('/m/C7/inbox').respond(503, { error: 'store_unavailable', message: 'down' }, { 'Retry-After': '20' });
  await b.clock.tick(22000);
  b.fetch.take('/m/C7/inbox').respond(503, { error: 'store_unavailable', message: 'down' }, { 'Retry-After': '20' });
  await b.clock.tick(1);
  assert.equal(outcome && outcome.code, 'store_unavailable', 'a third try would end past 30 s');
  assert.equal(b.fetch.pending.length, 0);
});
