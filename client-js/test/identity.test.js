'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { fakeBrowser, relayConnect, newServer, settle, FakeStorage, RELAY, pageWindow } = require('../test-support/fakes.js');

const TAB_CHANNEL = /^t[A-Za-z0-9_-]{10}$/;

/** Starts a server on env and lets the duplicate-tab check finish. */
async function start(b, env, options = {}) {
  const s = newServer(env, Object.assign({ transports: ['longpoll'] }, options));
  s.connect();
  await b.clock.tick(150);
  return s;
}

/** The same tab after a reload: the old page is gone (its BroadcastChannel closed), window.name and sessionStorage stay. */
function reload(b, env, oldServer) {
  oldServer.disconnect();
  return b.tab({ window: env.window, session: env.sessionStorage });
}

test('an empty window.name gets a generated channel, written back so a reload keeps the address', async () => {
  const b = fakeBrowser();
  const bodies = relayConnect(b.fetch);
  const env = b.tab();
  const first = await start(b, env);
  assert.match(env.window.name, TAB_CHANNEL);
  assert.equal(first.server.channel, env.window.name);
  assert.equal(bodies[0].channel, env.window.name);
  assert.deepEqual(first.seen.connects, [{ id: 'C1/' + env.window.name, url: `${RELAY}/m/C1/${env.window.name}` }]);
  assert.equal(first.server.clientUrl, RELAY + '/m/C1');

  const again = await start(b, reload(b, env, first.server));
  assert.equal(again.server.url, first.server.url);
});

test('a window.name the app uses for something else is left alone; the channel lives in sessionStorage', async () => {
  const b = fakeBrowser();
  relayConnect(b.fetch);
  const env = b.tab({ name: '{"appState":1}' });
  const first = await start(b, env);
  assert.equal(env.window.name, '{"appState":1}');
  assert.match(first.server.channel, TAB_CHANNEL);
  assert.equal(env.sessionStorage.getItem('addressable.channel'), first.server.channel);

  const again = await start(b, reload(b, env, first.server));
  assert.equal(again.server.channel, first.server.channel);
});

test('a valid window.name is the channel', async () => {
  const b = fakeBrowser();
  const bodies = relayConnect(b.fetch);
  const { server } = await start(b, b.tab({ name: 'inbox_7' }));
  assert.equal(server.channel, 'inbox_7');
  assert.equal(bodies[0].channel, 'inbox_7');
});

test('setChannel (or options.channel) overrides the tab channel and leaves window.name alone', async () => {
  const b = fakeBrowser();
  const bodies = relayConnect(b.fetch);
  const env = b.tab();
  const s = newServer(env, { transports: ['longpoll'] });
  s.server.setChannel('myChannel');
  s.connect();
  await b.clock.tick(150);
  assert.equal(env.window.name, '');
  assert.equal(bodies[0].channel, 'myChannel');
  assert.equal(s.server.url, RELAY + '/m/C1/myChannel');

  const viaOption = await start(b, b.tab(), { channel: 'other' });
  assert.equal(viaOption.server.channel, 'other');
});

test('setChannel after connect moves the tab to the new channel and reports its new address', async () => {
  const b = fakeBrowser();
  relayConnect(b.fetch);
  const { server, seen } = await start(b, b.tab({ name: 'first' }));
  server.setChannel('second');
  await b.clock.tick(0);
  assert.deepEqual(seen.connects.map((c) => c.url), [RELAY + '/m/C1/first', RELAY + '/m/C1/second']);
  assert.equal(b.fetch.pending.filter((c) => c.path === '/poll' && !c.aborted).length, 1, 'the old poll is aborted');
  assert.equal(b.fetch.take('/poll').query.channel, 'second');
});

test('setChannel rejects a bad name with a RangeError naming it', () => {
  const b = fakeBrowser();
  const { server } = newServer(b.tab());
  assert.throws(() => server.setChannel('no spaces'), (e) => e instanceof RangeError && /"no spaces"/.test(e.message));
  assert.throws(() => server.setChannel('x'.repeat(65)), RangeError);
});

test('tabs of one origin are one client: the stored client and key add each new channel', async () => {
  const b = fakeBrowser();
  const bodies = relayConnect(b.fetch);
  await start(b, b.tab({ name: 'one' }));
  assert.deepEqual(JSON.parse(b.local.getItem('addressable.client@' + RELAY)), { client: 'C1', key: 'K1' });
  const second = await start(b, b.tab({ name: 'two' }));
  assert.deepEqual(bodies[1], { channel: 'two', client: 'C1', key: 'K1' });
  assert.equal(second.server.id, 'C1/two');
});

test('identity is kept per relay URL', async () => {
  const b = fakeBrowser();
  const bodies = relayConnect(b.fetch);
  b.local.setItem('addressable.client@https://elsewhere.test', JSON.stringify({ client: 'X', key: 'Y' }));
  await start(b, b.tab({ name: 'one' }));
  assert.deepEqual(bodies[0], { channel: 'one' });
});

test('a stored key the relay refuses is dropped and the tab connects as a new client', async () => {
  const b = fakeBrowser();
  const bodies = relayConnect(b.fetch);
  b.local.setItem('addressable.client@' + RELAY, JSON.stringify({ client: 'Cold', key: 'stale' }));
  const { server, seen } = await start(b, b.tab({ name: 'one' }));
  assert.deepEqual([...bodies], [{ channel: 'one', client: 'Cold', key: 'stale' }, { channel: 'one' }]);
  assert.equal(server.client, 'C1');
  assert.deepEqual(JSON.parse(b.local.getItem('addressable.client@' + RELAY)), { client: 'C1', key: 'K1' });
  assert.deepEqual(seen.errors, []);
});

test('a poll refused with wrong_key rejoins, and the connect callback hears the new address', async () => {
  const b = fakeBrowser();
  const bodies = relayConnect(b.fetch);
  const { server, seen } = await start(b, b.tab({ name: 'one' }));
  bodies.forgetKeys(); // the relay's secret changed
  b.fetch.take('/poll').respond(403, { error: 'wrong_key', message: 'key does not match client' });
  await b.clock.tick(1000);

  assert.deepEqual(seen.errors.map((e) => e.code), ['wrong_key']);
  assert.deepEqual(seen.connects.map((c) => c.id), ['C1/one', 'C2/one']);
  assert.equal(server.state, 'connecting');
  const poll = b.fetch.take('/poll');
  assert.equal(poll.query.client, 'C2');
  assert.equal(poll.query.cursor, 'c0', 'a new client starts at the cursor its /connect gave');
});

test('after a reload the tab resumes from its saved cursor and sees each message once', async () => {
  const b = fakeBrowser();
  relayConnect(b.fetch);
  const env = b.tab();
  const before = await start(b, env);
  b.fetch.take('/poll').respond(200, { cursor: 'c2', messages: [{ seq: 1, data: 'a', ts: 1 }, { seq: 2, data: 'b', ts: 2 }] });
  await b.clock.tick(0);
  b.fetch.take('/poll'); // the page unloads with this poll open

  const after = await start(b, reload(b, env, before.server));
  const poll = b.fetch.take('/poll');
  assert.equal(poll.query.cursor, 'c2');
  poll.respond(200, { cursor: 'c3', messages: [{ seq: 2, data: 'b', ts: 2 }, { seq: 3, data: 'c', ts: 3 }] });
  await b.clock.tick(0);

  assert.deepEqual(before.seen.messages.map((m) => m.data), ['a', 'b']);
  assert.deepEqual(after.seen.messages.map((m) => m.data), ['c']);
});

test('a handler that reloads mid-batch: the next page skips what was already delivered', async () => {
  const b = fakeBrowser();
  relayConnect(b.fetch);
  const env = b.tab();
  const before = await start(b, env);
  before.server.onmessage = (data) => { if (data === 'a') before.server.disconnect(); };
  b.fetch.take('/poll').respond(200, { cursor: 'c2', messages: [{ seq: 1, data: 'a', ts: 1 }, { seq: 2, data: 'b', ts: 2 }] });
  await b.clock.tick(0);

  const after = await start(b, reload(b, env, before.server));
  const poll = b.fetch.take('/poll');
  assert.equal(poll.query.cursor, 'c0', 'the cursor did not move past the undelivered message');
  poll.respond(200, { cursor: 'c2', messages: [{ seq: 1, data: 'a', ts: 1 }, { seq: 2, data: 'b', ts: 2 }] });
  await b.clock.tick(0);
  assert.deepEqual(after.seen.messages.map((m) => m.data), ['b']);
});

test('a duplicated tab (same window.name and sessionStorage) takes a new channel; the original keeps its own', async () => {
  const b = fakeBrowser();
  const bodies = relayConnect(b.fetch);
  const envA = b.tab();
  const a = await start(b, envA);
  const original = a.server.channel;

  const envB = b.tab({ name: envA.window.name, session: envA.sessionStorage.copy() });
  const dup = await start(b, envB);
  assert.notEqual(dup.server.channel, original);
  assert.match(dup.server.channel, TAB_CHANNEL);
  assert.equal(envB.window.name, dup.server.channel);
  assert.equal(a.server.channel, original);
  assert.equal(envA.window.name, original);
  assert.deepEqual(bodies.map((x) => x.channel), [original, dup.server.channel], 'the duplicate never connected on the original channel');
  assert.equal(a.seen.connects.length, 1);
});

test('a duplicate that missed the answer moves as soon as the older tab speaks up', async () => {
  const b = fakeBrowser();
  relayConnect(b.fetch);
  const envA = b.tab();
  const a = await start(b, envA);
  const original = a.server.channel;
  const busyA = b.BC.open[0];
  busyA.hold(); // tab A's main thread is busy: it hears nothing for now

  const envB = b.tab({ name: original, session: envA.sessionStorage.copy() });
  const dup = await start(b, envB);
  assert.equal(dup.server.channel, original, 'nobody answered in time');
  busyA.release();
  await b.clock.tick(0);

  assert.notEqual(dup.server.channel, original);
  assert.deepEqual(dup.seen.connects.map((c) => c.url), [`${RELAY}/m/C1/${original}`, `${RELAY}/m/C1/${dup.server.channel}`]);
  assert.equal(a.server.channel, original);
  assert.equal(a.seen.connects.length, 1);
});

test('with Web Locks, a duplicate of a tab that cannot answer in time still takes a channel of its own before it connects', async () => {
  const b = fakeBrowser({ locks: true });
  const bodies = relayConnect(b.fetch);
  const envA = b.tab();
  const a = await start(b, envA);
  const original = a.server.channel;
  b.fetch.take('/poll').respond(200, { channels: { [original]: { cursor: 'c1', messages: [{ seq: 1, data: 'a', ts: 1 }] } } });
  await settle();
  assert.equal(JSON.parse(envA.sessionStorage.getItem(`addressable.cursor@${RELAY}#${original}`)).cursor, 'c1');
  b.BC.open.filter((c) => !c.closed).forEach((c) => c.hold()); // tab A's main thread is busy: it hears nothing

  const envB = b.tab({ name: original, session: envA.sessionStorage.copy() });
  const dup = newServer(envB, { transports: ['longpoll'] });
  dup.connect();
  await b.clock.tick(4900);
  assert.equal(bodies.length, 1, 'still waiting: a reloading document may let go of the lock this late');
  await b.clock.tick(100); // the channel's lock stays taken for LOCK_WAIT
  assert.notEqual(dup.server.channel, original);
  assert.equal(envB.window.name, dup.server.channel);
  assert.deepEqual(bodies.map((x) => x.channel), [original, dup.server.channel], 'the duplicate never connected on the original channel');
  assert.equal(dup.server.cursor, 'c0', 'from its own /connect, not the copied c1');
  assert.equal(a.server.channel, original);
});

test('with Web Locks, a reloaded tab whose old document lets go of its channel a moment late keeps it', async () => {
  const b = fakeBrowser({ locks: true });
  relayConnect(b.fetch);
  const env = b.tab({ window: pageWindow() });
  const before = await start(b, env);
  env.window.fire('pagehide', { persisted: false });
  const after = newServer(b.tab({ window: env.window, session: env.sessionStorage }), { transports: ['longpoll'] });
  after.connect();
  await b.clock.tick(100);
  before.server.disconnect(); // only now is the old document gone
  await b.clock.tick(1000);
  assert.equal(after.server.channel, before.server.channel);
  assert.equal(after.server.url, before.server.url);
});

test('with Web Locks, a duplicate whose original answers takes a channel of its own at once', async () => {
  const b = fakeBrowser({ locks: true });
  const bodies = relayConnect(b.fetch);
  const envA = b.tab();
  const a = await start(b, envA);
  const original = a.server.channel;

  const envB = b.tab({ name: original, session: envA.sessionStorage.copy() });
  const dup = newServer(envB, { transports: ['longpoll'] });
  dup.connect();
  await b.clock.tick(10); // long before LOCK_WAIT: the original's answer settles it
  assert.notEqual(dup.server.channel, original);
  assert.deepEqual(bodies.map((x) => x.channel), [original, dup.server.channel]);
  assert.equal(a.server.channel, original);
});

test('with Web Locks, a reloaded tab whose old document lets go seconds late keeps its channel', async () => {
  const b = fakeBrowser({ locks: true });
  relayConnect(b.fetch);
  const env = b.tab();
  const before = await start(b, env);
  const after = newServer(b.tab({ window: env.window, session: env.sessionStorage, reloaded: () => true }), { transports: ['longpoll'] });
  after.connect();
  await b.clock.tick(4000);
  before.server.disconnect();
  await b.clock.tick(100);
  assert.equal(after.server.channel, before.server.channel);
  assert.equal(after.server.url, before.server.url);
});

test('a page back from the back/forward cache answers for its channel again: a duplicate of it moves at once', async () => {
  const b = fakeBrowser({ locks: true });
  const bodies = relayConnect(b.fetch);
  const envA = b.tab({ window: pageWindow() });
  const a = await start(b, envA);
  const original = a.server.channel;
  envA.window.fire('pagehide', { persisted: true });
  envA.window.fire('pageshow', { persisted: true });
  await b.clock.tick(200);

  const dup = newServer(b.tab({ name: original, session: envA.sessionStorage.copy() }), { transports: ['longpoll'] });
  dup.connect();
  await b.clock.tick(10);
  assert.notEqual(dup.server.channel, original, 'the restored original answered');
  assert.equal(bodies[bodies.length - 1].channel, dup.server.channel);
});

test('with Web Locks, two Servers of one page share the page\'s channel', async () => {
  const b = fakeBrowser({ locks: true });
  relayConnect(b.fetch);
  const env = b.tab();
  const one = await start(b, env);
  const two = await start(b, Object.assign({}, env));
  assert.equal(two.server.channel, one.server.channel);
});

test('tabs given the same explicit channel share it: no duplicate check', async () => {
  const b = fakeBrowser();
  relayConnect(b.fetch);
  const a = await start(b, b.tab(), { channel: 'shared' });
  const c = await start(b, b.tab(), { channel: 'shared' });
  await b.clock.tick(0);
  assert.equal(a.server.channel, 'shared');
  assert.equal(c.server.channel, 'shared');
});

test('without BroadcastChannel or storage the tab still connects', async () => {
  const b = fakeBrowser();
  relayConnect(b.fetch);
  const env = b.tab({ BroadcastChannel: undefined, localStorage: undefined, session: undefined });
  env.sessionStorage = undefined;
  const { server } = await start(b, env);
  assert.equal(server.state, 'connecting');
  assert.equal(b.fetch.take('/poll').query.client, 'C1');
});

test('storage that throws (private mode) is treated as empty', async () => {
  const b = fakeBrowser();
  const bodies = relayConnect(b.fetch);
  const broken = new FakeStorage();
  broken.getItem = broken.setItem = () => { throw new Error('SecurityError'); };
  const { server } = await start(b, b.tab({ localStorage: broken, session: broken }));
  assert.equal(server.client, 'C1');
  assert.deepEqual(bodies[0], { channel: server.channel });
});
