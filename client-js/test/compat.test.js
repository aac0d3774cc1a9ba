'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const vm = require('node:vm');
const { pathToFileURL } = require('node:url');
const { Addressable, fakeBrowser, relayConnect, newServer, RELAY } = require('../test-support/fakes.js');

const LIB = path.join(__dirname, '..', 'addressable.js');

test('2008 code runs unchanged: useGears, onmessage(message), connect(function (id, url)), setChannel', async () => {
  const b = fakeBrowser();
  relayConnect(b.fetch);
  const env = b.tab();
  const log = [];

  // As written in 2008, but for the env (which a page never passes).
  var server = new Addressable.Server({ useGears: true, relay: RELAY, env: env, transports: ['longpoll'] });
  server.onmessage = function (message) { log.push(message); };
  server.setChannel('myChannel');
  server.connect(function (id, url) { log.push([id, url]); });

  await b.clock.tick(0);
  b.fetch.take('/poll').respond(200, { cursor: 'c1', messages: [{ seq: 1, data: 'hello', ts: 1 }] });
  await b.clock.tick(0);
  assert.deepEqual(log, [['C1/myChannel', RELAY + '/m/C1/myChannel'], 'hello']);
  assert.equal(server.useGears, true);
});

test('Server works without new and without options', () => {
  const server = Addressable.Server({ relay: RELAY + '/' });
  assert.ok(server instanceof Addressable.Server);
  assert.equal(server.relay, RELAY, 'trailing slash dropped');
  assert.equal(server.state, 'closed');
  assert.equal(server.url, null);
});

test('states go connecting → open → reconnecting → open → closed, and nothing runs after disconnect', async () => {
  const b = fakeBrowser();
  relayConnect(b.fetch);
  const { server, seen, connect } = newServer(b.tab(), { transports: ['websocket'] });
  connect();
  await b.clock.tick(150);
  b.WS.last().open();
  b.WS.last().drop();
  await b.clock.tick(1000);
  const ws = b.WS.last();
  ws.open();
  server.disconnect();
  assert.equal(ws.closed, true);
  ws.receive({ seq: 1, data: 'late', ts: 1, cursor: 'c1' });
  await b.clock.tick(120000);
  assert.deepEqual(seen.states, ['connecting', 'open', 'reconnecting', 'open', 'closed']);
  assert.equal(b.WS.all.length, 2);
  assert.deepEqual(seen.messages, []);
  assert.deepEqual(b.clock.delays(), []);
});

test('disconnect from onerror during a drop leaves the server closed', async () => {
  const b = fakeBrowser();
  relayConnect(b.fetch);
  const { server, seen, connect } = newServer(b.tab(), { transports: ['websocket'] });
  server.onerror = () => server.disconnect();
  connect();
  await b.clock.tick(150);
  b.WS.last().open();
  b.WS.last().drop();
  await b.clock.tick(60000);
  assert.equal(server.state, 'closed');
  assert.deepEqual(seen.states, ['connecting', 'open', 'closed']);
  assert.equal(b.WS.all.length, 1);
});

test('connect after connect only adds the callback, which hears the current address', async () => {
  const b = fakeBrowser();
  relayConnect(b.fetch);
  const { server, connect } = newServer(b.tab({ name: 'x1' }), { transports: ['longpoll'] });
  connect();
  await b.clock.tick(150);
  const heard = [];
  server.connect((id, url) => heard.push(url));
  await b.clock.tick(0);
  assert.deepEqual(heard, [RELAY + '/m/C1/x1']);
  assert.equal(b.fetch.count('/connect'), 1);

  server.disconnect();
  const later = [];
  server.connect((id) => later.push(id));
  await b.clock.tick(150);
  assert.deepEqual(later, ['C1/x1'], 'a callback added while closed hears the address on the next connect');
  assert.deepEqual(heard, [RELAY + '/m/C1/x1'], 'one that heard it already is not told again');
});

test('a /connect answer without client, key or url is an error and is retried', async () => {
  const b = fakeBrowser({ random: () => 0 });
  const { server, seen, connect } = newServer(b.tab(), { transports: ['longpoll'] });
  connect();
  await b.clock.tick(150);
  b.fetch.take('/connect').respond(200, '<html>captive portal</html>');
  await b.clock.tick(0);
  assert.deepEqual(seen.errors.map((e) => e.code), ['bad_answer']);
  assert.deepEqual(b.clock.delays(), [250]);
  assert.equal(server.url, null);
});

test('an exception in onmessage goes to onerror, and delivery goes on', async () => {
  const b = fakeBrowser();
  relayConnect(b.fetch);
  const { server, seen, connect } = newServer(b.tab(), { transports: ['websocket'] });
  const got = [];
  server.onmessage = (data) => { got.push(data); if (data === 'bad') throw new Error('app bug'); };
  connect();
  await b.clock.tick(150);
  const ws = b.WS.last();
  ws.open();
  assert.doesNotThrow(() => {
    ws.receive({ seq: 1, data: 'bad', ts: 1, cursor: 'c1' });
    ws.receive({ seq: 2, data: 'good', ts: 2, cursor: 'c2' });
  });
  assert.deepEqual(got, ['bad', 'good']);
  assert.deepEqual(seen.errors.map((e) => e.message), ['app bug']);
  assert.equal(server.cursor, 'c2');
});

test('a throwing onerror, or an app error with no onerror, is rethrown later on its own stack', async () => {
  const b = fakeBrowser();
  relayConnect(b.fetch);
  const { server, connect } = newServer(b.tab(), { transports: ['websocket'] });
  server.onerror = null;
  server.onstatechange = () => { throw new Error('in onstatechange'); };
  assert.doesNotThrow(() => connect());
  const rethrow = b.clock.timers.find((t) => t.ms === 0);
  assert.ok(rethrow, 'a 0 ms timer carries the error');
  assert.throws(() => rethrow.fn(), /in onstatechange/);
  b.clock.clearTimeout(rethrow.id);
  assert.equal(server.state, 'connecting', 'the library went on');

  server.onstatechange = null;
  server.onmessage = () => { throw new Error('in onmessage'); };
  server.onerror = () => { throw new Error('in onerror'); };
  await b.clock.tick(150);
  b.WS.last().open();
  assert.doesNotThrow(() => b.WS.last().receive({ seq: 1, data: 'x', ts: 1, cursor: 'c1' }));
  assert.throws(() => b.clock.timers.find((t) => t.ms === 0).fn(), /in onerror/);
  assert.equal(server.cursor, 'c1');
});

test('a relay error at /connect goes to onerror, never thrown; a 400 stops the server', async () => {
  const b = fakeBrowser();
  const { server, seen, connect } = newServer(b.tab(), { transports: ['longpoll'] });
  connect();
  await b.clock.tick(150);
  b.fetch.take('/connect').respond(400, { error: 'bad_channel', message: 'channel must be …' });
  await b.clock.tick(60000);
  assert.deepEqual(seen.errors.map((e) => [e.code, e.status]), [['bad_channel', 400]]);
  assert.equal(server.state, 'closed');
  assert.equal(b.fetch.count('/connect'), 1);
});

test('the default relay is the directory the script was loaded from', () => {
  const code = fs.readFileSync(LIB, 'utf8');
  const page = { document: { currentScript: { src: 'https://push.example/lib/addressable.js?v=3' } }, location: { protocol: 'https:', origin: 'https://app.example' } };
  vm.runInNewContext(code, page);
  assert.equal(page.Addressable.defaultRelay, 'https://push.example/lib');
  assert.equal(new page.Addressable.Server().relay, 'https://push.example/lib');

  const inline = { location: { protocol: 'https:', origin: 'https://app.example' } };
  vm.runInNewContext(code, inline);
  assert.equal(new inline.Addressable.Server().relay, 'https://app.example', 'falls back to the page origin');
});

test('addressable.mjs loads the classic script as a module and re-exports it', async () => {
  // A browser importing addressable.js as a module runs it as strict module code, where
  // `module` is undefined and the library must set globalThis.Addressable. A "type": "module"
  // folder makes node do the same.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'addressable-mjs-'));
  try {
    fs.writeFileSync(path.join(dir, 'package.json'), '{"type":"module"}');
    fs.copyFileSync(LIB, path.join(dir, 'addressable.js'));
    fs.copyFileSync(path.join(__dirname, '..', 'addressable.mjs'), path.join(dir, 'addressable.mjs'));
    const mod = await import(pathToFileURL(path.join(dir, 'addressable.mjs')).href);
    assert.equal(typeof mod.Server, 'function');
    assert.equal(mod.default, globalThis.Addressable);
    assert.equal(mod.default.Server, mod.Server);
    assert.equal(new mod.Server({ relay: RELAY }).relay, RELAY);
  } finally {
    delete globalThis.Addressable;
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
