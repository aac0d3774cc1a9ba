'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { fakeBrowser, relayConnect, newServer, settle } = require('../test-support/fakes.js');

/** A long-poll-only server whose random() is fixed, so the jitter is known. */
async function polling(random, options = {}) {
  const b = fakeBrowser({ random: () => random });
  relayConnect(b.fetch);
  const s = newServer(b.tab(), Object.assign({ transports: ['longpoll'] }, options));
  s.connect();
  await b.clock.tick(150);
  return { b, ...s };
}

/** Fails the pending poll with status and returns the retry delay the server then waits. */
async function failPoll(b, status = 503, headers = {}) {
  b.fetch.take('/poll').respond(status, { error: 'overloaded', message: 'busy' }, headers);
  await settle();
  const delays = b.clock.delays();
  assert.equal(delays.length, 1, 'exactly one timer (the retry) after a failure');
  await b.clock.tick(delays[0]);
  return delays[0];
}

test('retry delays double from retryDelay with equal jitter, and are clamped at maxRetryDelay', async () => {
  const low = await polling(0);
  const lowDelays = [];
  for (let i = 0; i < 9; i++) lowDelays.push(await failPoll(low.b));
  assert.deepEqual(lowDelays, [250, 500, 1000, 2000, 4000, 8000, 15000, 15000, 15000]);

  const high = await polling(1 - 1e-12);
  const highDelays = [];
  for (let i = 0; i < 9; i++) highDelays.push(await failPoll(high.b));
  assert.deepEqual(highDelays, [500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
});

test('retryDelay and maxRetryDelay options shape the backoff', async () => {
  const { b } = await polling(0.5, { retryDelay: 100, maxRetryDelay: 1000 });
  const delays = [];
  for (let i = 0; i < 6; i++) delays.push(await failPoll(b));
  assert.deepEqual(delays, [75, 150, 300, 600, 750, 750]);
});

test('a successful answer resets the backoff', async () => {
  const { b } = await polling(0);
  assert.equal(await failPoll(b), 250);
  assert.equal(await failPoll(b), 500);
  assert.equal(await failPoll(b), 1000);
  b.fetch.take('/poll').respond(200, { cursor: 'c1', messages: [] });
  await settle();
  assert.equal(await failPoll(b), 250);
});

test('Retry-After of a 429 is honoured when longer than the backoff', async () => {
  const { b, seen } = await polling(0);
  assert.equal(await failPoll(b, 429, { 'Retry-After': '7' }), 7000);
  assert.equal(seen.errors[0].code, 'overloaded');
  assert.equal(seen.errors[0].retryAfter, 7);
});

test('Retry-After gets up to a second of jitter on top, so tabs turned away together do not return together', async () => {
  const { b } = await polling(0.5);
  assert.equal(await failPoll(b, 503, { 'Retry-After': '3' }), 3500);
});

test('a JSONP error answer may carry retryAfter, since script tags cannot read headers', async () => {
  const b = fakeBrowser({ random: () => 0 });
  relayConnect(b.fetch);
  const env = b.tab();
  const s = newServer(env, { transports: ['jsonp'] });
  s.connect();
  await b.clock.tick(150);
  env.document.take('/poll').answer({ status: 429, error: 'rate_limited', message: 'slow down', retryAfter: 3 });
  await settle();
  assert.deepEqual(b.clock.delays(), [3000]);
  assert.equal(s.seen.errors[0].code, 'rate_limited');
});

test('a failing /connect is retried with the same backoff', async () => {
  const b = fakeBrowser({ random: () => 0 });
  const { server, seen, connect } = newServer(b.tab(), { transports: ['longpoll'] });
  connect();
  await b.clock.tick(150);
  const delays = [];
  for (let i = 0; i < 3; i++) {
    b.fetch.take('/connect').respond(503, { error: 'overloaded', message: 'busy' });
    await settle();
    delays.push(...b.clock.delays());
    await b.clock.tick(b.clock.delays()[0]);
  }
  assert.deepEqual(delays, [250, 500, 1000]);
  assert.equal(seen.errors.length, 3);
  assert.equal(server.state, 'connecting');
});

test('a /connect that never answers times out after 15 s and is retried', async () => {
  const b = fakeBrowser({ random: () => 0 });
  const { connect } = newServer(b.tab(), { transports: ['longpoll'] });
  connect();
  await b.clock.tick(150);
  b.fetch.take('/connect');
  await b.clock.tick(15000);
  assert.deepEqual(b.clock.delays(), [250]);
  await b.clock.tick(250);
  assert.equal(b.fetch.count('/connect'), 2);
});
