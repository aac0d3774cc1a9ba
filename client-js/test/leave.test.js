'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { fakeBrowser, relayConnect, newServer, pageWindow } = require('../test-support/fakes.js');

/** A tab whose window and navigator.sendBeacon the test sees; sendBeacon: null takes it away. */
function page(overrides = {}) {
  const b = fakeBrowser();
  relayConnect(b.fetch);
  const window = pageWindow();
  const beacons = [];
  const env = b.tab(Object.assign({
    window,
    sendBeacon: (url, data) => { beacons.push({ url, data }); return true; }
  }, overrides));
  return { b, env, window, beacons, ...newServer(env, { transports: ['websocket'] }) };
}

test('on pagehide a connected tab sends its leave as a beacon, the key a form field, and not before', async () => {
  const { b, window, beacons, server, connect } = page();
  window.fire('pagehide');
  assert.equal(window.count('pagehide'), 0, 'no listener before connect()');
  connect();
  window.fire('pagehide'); // connecting: no address yet
  await b.clock.tick(150); // the duplicate-tab check, then /connect
  assert.equal(server.client, 'C1');
  b.WS.last().open();

  window.fire('pagehide', { persisted: false });
  assert.equal(beacons.length, 1, 'one beacon, after the address was known');
  assert.equal(beacons[0].url, 'https://relay.test/leave');
  assert.ok(beacons[0].data instanceof URLSearchParams, 'a form: sendBeacon sends it as x-www-form-urlencoded');
  assert.deepEqual(Object.fromEntries(beacons[0].data), { client: 'C1', channel: server.channel, key: 'K1' });
  assert.equal(b.fetch.count('/leave'), 0);
  assert.equal(window.count('pagehide'), 1);
  assert.equal(window.count('unload') + window.count('beforeunload'), 0, 'they would keep the page out of the bfcache');
});

test('without sendBeacon the leave goes as a keepalive fetch; on a file: page, not at all', async () => {
  const { b, window, server, connect } = page({ sendBeacon: null });
  connect();
  await b.clock.tick(150);
  window.fire('pagehide');
  const call = b.fetch.take('/leave');
  assert.equal(call.method, 'POST');
  assert.equal(call.headers['Content-Type'], 'application/x-www-form-urlencoded');
  assert.deepEqual(Object.fromEntries(new URLSearchParams(call.body)), { client: 'C1', channel: server.channel, key: 'K1' });

  const local = page({ location: { protocol: 'file:', origin: 'null' } });
  local.connect();
  await local.b.clock.tick(150);
  const channel = local.server.channel;
  local.env.document.take('/connect').answer({ client: 'C1', key: 'K1', channel, url: 'https://relay.test/m/C1/' + channel,
    clientUrl: 'https://relay.test/m/C1', cursor: 'c0' }); // no fetch on file: pages, so JSONP
  await local.b.clock.tick(0);
  assert.equal(local.server.client, 'C1');
  local.window.fire('pagehide');
  assert.equal(local.beacons.length, 0);
  assert.equal(local.b.fetch.count('/leave'), 0);
});

test('a disconnected server sends no leave', async () => {
  const { b, window, beacons, server, connect } = page();
  connect();
  await b.clock.tick(150);
  server.disconnect();
  window.fire('pagehide');
  assert.equal(beacons.length, 0);
});

test('a page restored from the back/forward cache connects again at once', async () => {
  const { b, window, connect } = page();
  connect();
  await b.clock.tick(150);
  const before = b.WS.last();
  before.open();
  window.fire('pagehide', { persisted: true });
  window.fire('pageshow', { persisted: false }); // a first load's pageshow changes nothing
  await b.clock.tick(0);
  assert.equal(b.WS.last(), before);
  assert.equal(b.fetch.count('/connect'), 1);

  window.fire('pageshow', { persisted: true });
  await b.clock.tick(0);
  assert.equal(b.fetch.count('/connect'), 2, 'joins again: the relay sees the tab back');
  assert.ok(before.closed, 'the connection cut while frozen is closed');
  assert.notEqual(b.WS.last(), before);
  assert.equal(b.WS.last().query.cursor, 'c0', 'from where it was');
});
