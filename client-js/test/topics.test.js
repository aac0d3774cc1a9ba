'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { fakeBrowser, newServer, relayConnect, settle, RELAY } = require('../test-support/fakes.js');

const TOPIC = RELAY + '/t/' + 'T'.repeat(32);

function form(body) {
  return Object.fromEntries(new URLSearchParams(body));
}

function connected() {
  const b = fakeBrowser();
  relayConnect(b.fetch);
  const { server, seen } = newServer(b.tab(), { transports: ['longpoll'] });
  return { b, server, seen };
}

test('subscribe waits for the address, then POSTs the channel with its key and the capability', async () => {
  const { b, server } = connected();
  const subscribed = server.subscribe(TOPIC, 'cap-123');
  await settle();
  assert.equal(b.fetch.count('/subscribe'), 0, 'not before connect');
  server.connect();
  await b.clock.tick(150); // the duplicate-tab check
  await settle();
  const call = b.fetch.take('/subscribe');
  assert.equal(call.method, 'POST');
  const fields = form(call.body);
  assert.equal(fields.client, 'C1');
  assert.equal(fields.key, 'K1');
  assert.equal(fields.channel, server.channel);
  assert.equal(fields.topic, TOPIC);
  assert.equal(fields.subscribeKey, 'cap-123');
  call.respond(200, { topic: 'T'.repeat(32), subscribed: true });
  assert.deepEqual(await subscribed, { topic: 'T'.repeat(32), subscribed: true });
});

test('a missed answer (the relay restarted and forgot subscriptions) subscribes again', async () => {
  const { b, server, seen } = connected();
  server.connect();
  await b.clock.tick(150); // the duplicate-tab check
  await settle();
  server.subscribe(TOPIC, 'cap-123');
  await settle();
  b.fetch.take('/subscribe').respond(200, { subscribed: true });
  b.fetch.take('/poll').respond(200, { cursor: 'new.1', missed: true, messages: [{ seq: 1, data: 'after', ts: 1 }] });
  await settle();
  const again = b.fetch.take('/subscribe');
  assert.equal(form(again.body).subscribeKey, 'cap-123');
  assert.equal(seen.messages[0].missed, true);
});

test('an answer naming unsubscribed topics subscribes again to just those', async () => {
  const { b, server } = connected();
  server.connect();
  await b.clock.tick(150); // the duplicate-tab check
  await settle();
  const OTHER = RELAY + '/t/' + 'O'.repeat(32);
  server.subscribe(TOPIC, 'cap-1');
  server.subscribe(OTHER, 'cap-2');
  await settle();
  b.fetch.take('/subscribe').respond(200, { topic: 'T'.repeat(32), subscribed: true });
  b.fetch.take('/subscribe').respond(200, { topic: 'O'.repeat(32), subscribed: true });
  await settle();
  b.fetch.take('/poll').respond(200, { cursor: 'e.3', messages: [], unsubscribed: ['O'.repeat(32)] });
  await settle();
  const again = b.fetch.take('/subscribe');
  assert.equal(form(again.body).topic, OTHER);
  assert.equal(form(again.body).subscribeKey, 'cap-2');
  assert.equal(b.fetch.count('/subscribe'), 3, 'the topic still followed is left alone');
});

test('unsubscribe forgets the topic so it is not subscribed again', async () => {
  const { b, server } = connected();
  server.connect();
  await b.clock.tick(150); // the duplicate-tab check
  await settle();
  server.subscribe(TOPIC, 'cap');
  await settle();
  b.fetch.take('/subscribe').respond(200, {});
  const off = server.unsubscribe(TOPIC);
  await settle();
  const call = b.fetch.take('/unsubscribe');
  assert.equal(form(call.body).topic, TOPIC);
  call.respond(200, { subscribed: false });
  await off;
  b.fetch.take('/poll').respond(200, { cursor: 'x.0', missed: true, messages: [] });
  await settle();
  assert.equal(b.fetch.count('/subscribe'), 1);
});

test('status asks the relay about this tab\'s address by default, or about any address', async () => {
  const { b, server } = connected();
  server.connect();
  await b.clock.tick(150); // the duplicate-tab check
  await settle();
  const asked = server.status();
  await settle();
  const call = b.fetch.take('/status/m/C1/' + server.channel);
  assert.equal(call.method, 'GET');
  call.respond(200, { online: true, lastSeen: 1 });
  assert.deepEqual(await asked, { online: true, lastSeen: 1 });
  const other = server.status(RELAY + '/m/OTHER');
  await settle();
  b.fetch.take('/status/m/OTHER').respond(200, { online: false, lastSeen: null });
  assert.deepEqual(await other, { online: false, lastSeen: null });
  await assert.rejects(server.status('https://elsewhere.example/nope'), (e) => e.code === 'bad_address');
});
