'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { Addressable, fakeBrowser, relayConnect, newServer, RELAY } = require('../test-support/fakes.js');

async function started(tabOpts = {}, options = {}) {
  const b = fakeBrowser();
  relayConnect(b.fetch);
  const env = b.tab(tabOpts);
  const s = newServer(env, options);
  s.connect();
  await b.clock.tick(150);
  return { b, env, ...s };
}

test('falls back websocket → sse → longpoll → jsonp, each failing before it opened, without reporting errors', async () => {
  const { b, env, server, seen } = await started();
  assert.equal(server.transport, 'websocket');
  b.WS.last().drop();
  assert.equal(server.transport, 'sse');
  assert.equal(b.ES.all.length, 1);
  b.ES.last().error();
  assert.equal(server.transport, 'longpoll');
  b.fetch.take('/poll').fail(new TypeError('Failed to fetch'));
  await b.clock.tick(0);
  assert.equal(server.transport, 'jsonp');

  const script = env.document.take('/poll');
  assert.equal(script.query.key, 'K1');
  assert.equal(script.query.cursor, 'c0');
  assert.match(script.query.callback, /^Addressable\._cb\.[A-Za-z0-9]+$/);
  script.answer({ status: 200, cursor: 'c1', messages: [{ seq: 1, data: 'hi', ts: 5 }] });
  await b.clock.tick(0);

  assert.deepEqual(seen.messages.map((m) => m.data), ['hi']);
  assert.equal(server.state, 'open');
  assert.deepEqual(seen.states, ['connecting', 'open']);
  assert.deepEqual(seen.errors, []);
  assert.equal(env.document.take('/poll').query.cursor, 'c1', 'polls again at once');
  assert.equal(script.removed, true, 'the answered script tag is removed');
  assert.equal(env.global.Addressable._cb[script.query.callback.split('.').pop()], undefined, 'its callback is deleted');
});

test('skips transports the browser lacks', async () => {
  const { b, server } = await started({ WebSocket: undefined, EventSource: undefined });
  assert.equal(server.transport, 'longpoll');
  assert.equal(b.fetch.take('/poll').path, '/poll');
});

test('the transports option forces the list: a failing sse retries sse, never websocket', async () => {
  const { b, server, seen } = await started({}, { transports: ['sse'] });
  b.ES.last().error();
  assert.equal(seen.errors.length, 1, 'the last transport failing is reported');
  await b.clock.tick(1000);
  assert.equal(b.ES.all.length, 2);
  assert.equal(b.WS.all.length, 0);
  assert.equal(server.transport, 'sse');
});

test('a transport that opened once reconnects itself after a drop instead of falling back', async () => {
  const { b, server, seen } = await started();
  b.WS.last().open();
  b.WS.last().drop();
  assert.equal(server.state, 'reconnecting');
  assert.equal(b.ES.all.length, 0);
  await b.clock.tick(1000);
  assert.equal(b.WS.all.length, 2);
  b.WS.last().open();
  assert.deepEqual(seen.states, ['connecting', 'open', 'reconnecting', 'open']);
});

test('after four failures in a row of a transport that worked, the next transport is tried if the relay answers otherwise', async () => {
  const { b, server } = await started();
  b.fetch.on('/health', (call) => call.respond(200, { status: 'ok' })); // reachable: something blocks the socket
  b.WS.last().open();
  for (let i = 0; i < 4; i++) {
    assert.equal(b.ES.all.length, 0, 'still on websocket after ' + i + ' failures');
    b.WS.last().drop();
    await b.clock.tick(0); // the /health probe answers
    await b.clock.tick(b.clock.delays()[0]); // the retry only, well before the 45 s watchdog
  }
  assert.equal(server.transport, 'sse');
  assert.equal(b.WS.all.length, 4);
  assert.equal(b.ES.all.length, 1);
});

test('after a blocked transport pushed it to a fallback, the tab tries its preferred transport again', async () => {
  const { b, server } = await started();
  b.fetch.on('/health', (call) => call.respond(200, { status: 'ok' }));
  b.WS.last().open();
  for (let i = 0; i < 4; i++) {
    b.WS.last().drop();
    await b.clock.tick(0);
    await b.clock.tick(b.clock.delays()[0]);
  }
  assert.equal(server.transport, 'sse');
  b.ES.last().open();
  assert.equal(b.WS.all.length, 4);
  await b.clock.tick(30000);
  assert.equal(b.WS.all.length, 5, 'websocket is tried again once the relay is back');
  assert.equal(server.transport, 'websocket');
  assert.equal(b.ES.last().closed, true);
  b.WS.last().open();
  assert.equal(server.state, 'open');
  await b.clock.tick(40000); // within the heartbeat watchdog: nothing else should move the tab
  assert.equal(b.WS.all.length, 5, 'no further switching while on the preferred transport');
});

test('while the relay cannot be reached (a restart), the tab stays on its transport and retries within a second', async () => {
  const { b, server } = await started();
  b.fetch.on('/health', (call) => call.fail()); // connection refused
  b.WS.last().open();
  const delays = [];
  for (let i = 0; i < 8; i++) {
    b.WS.last().drop();
    await b.clock.tick(0);
    delays.push(b.clock.delays()[0]);
    await b.clock.tick(b.clock.delays()[0]);
  }
  assert.equal(b.ES.all.length, 0, 'never fell back to SSE');
  assert.ok(delays.every((ms) => ms <= 1000), 'every retry within a second: ' + delays);
  b.WS.last().open();
  assert.equal(server.state, 'open');
  assert.equal(server.transport, 'websocket');
});

test('when every transport fails before opening, the list starts over after a backoff', async () => {
  const { b, server } = await started({}, { transports: ['websocket', 'longpoll'] });
  b.WS.last().drop();
  b.fetch.take('/poll').respond(502, 'Bad Gateway');
  await b.clock.tick(0);
  assert.equal(server.state, 'connecting');
  assert.equal(b.clock.delays().length, 1, 'one retry timer');
  await b.clock.tick(b.clock.delays()[0]);
  assert.equal(b.WS.all.length, 2);
  assert.equal(server.transport, 'websocket');
});

test('a file:// page connects and polls through script tags', async () => {
  const b = fakeBrowser();
  const env = b.tab({ location: { protocol: 'file:', origin: 'null' }, WebSocket: undefined, EventSource: undefined });
  const { server, seen, connect } = newServer(env);
  connect();
  await b.clock.tick(150);
  assert.equal(b.fetch.log.length, 0, 'no fetch from file://');

  const join = env.document.take('/connect');
  assert.equal(join.query.channel, server.channel);
  join.answer({ status: 200, client: 'C9', key: 'K9', channel: server.channel, url: RELAY + '/m/C9/x', clientUrl: RELAY + '/m/C9', cursor: 'c0' });
  await b.clock.tick(0);
  assert.deepEqual(seen.connects, [{ id: 'C9/' + server.channel, url: RELAY + '/m/C9/x' }]);
  assert.equal(server.transport, 'jsonp');
  assert.equal(env.document.take('/poll').query.key, 'K9');
});

test('a /connect refused by CORS is retried by script tag, and later requests skip fetch', async () => {
  const b = fakeBrowser();
  const env = b.tab({ WebSocket: undefined, EventSource: undefined });
  const { server, connect } = newServer(env);
  connect();
  await b.clock.tick(150);
  b.fetch.take('/connect').fail(new TypeError('Failed to fetch'));
  await b.clock.tick(0);
  env.document.take('/connect').answer({ status: 200, client: 'C1', key: 'K1', channel: server.channel, url: 'u', clientUrl: 'cu', cursor: 'c0' });
  await b.clock.tick(0);

  const sent = server.send(RELAY + '/m/C2/x', 'hi');
  await b.clock.tick(0);
  assert.equal(b.fetch.count('/m/C2/x'), 0);
  env.document.take('/m/C2/x').answer({ status: 202, seq: 1, delivered: 1 });
  assert.deepEqual(await sent, { status: 202, seq: 1, delivered: 1 });
});

test('an unknown transport name is a RangeError that names it', () => {
  assert.throws(() => new Addressable.Server({ relay: RELAY, transports: ['websocket', 'carrier-pigeon'] }),
    (err) => err instanceof RangeError && /"carrier-pigeon"/.test(err.message) && /longpoll/.test(err.message));
});

test('with no usable transport, connect reports it and stays closed', async () => {
  const b = fakeBrowser();
  const env = b.tab({ WebSocket: undefined, EventSource: undefined });
  const { server, seen, connect } = newServer(env, { transports: ['websocket', 'sse'] });
  connect();
  await b.clock.tick(1000);
  assert.equal(server.state, 'closed');
  assert.deepEqual(seen.errors.map((e) => e.code), ['unsupported']);
  assert.equal(b.fetch.log.length, 0);
});
