'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { fakeBrowser, relayConnect, newServer, settle, pageWindow } = require('../test-support/fakes.js');

/** Starts a tab on the fake browser and lets its duplicate check, /connect and hub hand-shake run. */
async function tab(b, options = {}, tabOpts = {}) {
  const s = newServer(b.tab(tabOpts), Object.assign({ transports: ['websocket'] }, options));
  s.connect();
  await b.clock.tick(200);
  return s;
}

/** The relay's side of the one open hub socket. */
function hubSocket(b) {
  const open = b.WS.all.filter((ws) => !ws.closed);
  assert.equal(open.length, 1, 'one relay connection for the browser: ' + open.map((w) => w.url));
  return open[0];
}

/**
 * A browser with a leader tab whose hub socket is open and a follower tab; leaderEnv overrides
 * parts of the leader's page (its visibility, say).
 */
async function leaderAndFollower(options = {}, leaderEnv = {}) {
  const b = fakeBrowser({ locks: true });
  relayConnect(b.fetch);
  const one = await tab(b, options, leaderEnv);
  const ws = hubSocket(b);
  ws.open();
  await settle();
  const two = await tab(b, options);
  return { b, one, two, ws };
}

test('tabs of one browser share one connection: the first leads, the others follow, each gets its own messages', async () => {
  const b = fakeBrowser({ locks: true });
  relayConnect(b.fetch);
  const one = await tab(b);
  const ws = hubSocket(b);
  ws.open();
  await settle();
  const two = await tab(b);
  assert.equal(one.server.mode, 'leader');
  assert.equal(two.server.mode, 'follower');
  assert.equal(b.WS.all.length, 1, 'the follower opened no socket');
  assert.equal(ws.query.hub > 0, true, 'a hub receive: ' + ws.url);
  assert.deepEqual(ws.sent.find((f) => f.join === two.server.channel), { join: two.server.channel, cursor: 'c0' });

  ws.receive({ channel: two.server.channel, seq: 1, data: 'for two', ts: 1, cursor: 'c1' });
  ws.receive({ channel: one.server.channel, seq: 1, data: 'for one', ts: 1, cursor: 'c1' });
  await settle();
  assert.deepEqual(two.seen.messages.map((m) => m.data), ['for two']);
  assert.deepEqual(one.seen.messages.map((m) => m.data), ['for one']);
  assert.ok(ws.sent.some((f) => f.ack === 'c1' && f.channel === two.server.channel), 'the follower\'s ack goes in band');
  assert.equal(two.server.state, 'open', 'a follower shows the hub\'s state');
  assert.equal(two.server.transport, 'websocket');
  assert.equal(one.server.clientUrl, two.server.clientUrl, 'one client');
});

test('when the leader closes, the next tab leads with a higher term from the cursors the tabs hold; nothing is lost or doubled', async () => {
  const { b, one, two, ws: first } = await leaderAndFollower();
  first.receive({ channel: two.server.channel, seq: 1, data: 'a', ts: 1, cursor: 'c1' });
  await settle();

  one.server.disconnect();
  await b.clock.tick(100);
  assert.equal(two.server.mode, 'leader');
  const second = hubSocket(b);
  assert.ok(+second.query.hub > +first.query.hub, 'a higher term');
  assert.equal(second.query.channels, two.server.channel + ':c1', 'from the cursor the tab acked');
  second.open();
  second.receive({ channel: two.server.channel, seq: 1, data: 'a', ts: 1, cursor: 'c1' }); // read again
  second.receive({ channel: two.server.channel, seq: 2, data: 'b', ts: 1, cursor: 'c2' });
  await settle();
  assert.deepEqual(two.seen.messages.map((m) => m.data), ['a', 'b'], 'each message once');
});

test('a leader superseded by a newer term steps down and follows', async () => {
  const b = fakeBrowser({ locks: true });
  relayConnect(b.fetch);
  const one = await tab(b);
  const ws = hubSocket(b);
  ws.open();
  ws.receive({ error: 'superseded', message: 'a newer hub' });
  await b.clock.tick(100);
  assert.equal(one.server.mode, 'leader', 'it got the lock back: no other tab wanted it');
  assert.equal(one.seen.errors.filter((e) => e.code === 'superseded').length, 0, 'not an app error');
  assert.equal(b.WS.all.filter((w) => !w.closed).length, 1);
});

test('shared: false, or no Web Locks, keeps one connection per tab', async () => {
  const b = fakeBrowser({ locks: true });
  relayConnect(b.fetch);
  const one = await tab(b, { shared: false });
  const two = await tab(b, { shared: false });
  assert.equal(one.server.mode, 'solo');
  assert.equal(two.server.mode, 'solo');
  assert.equal(b.WS.all.length, 2);
  assert.ok(b.WS.all.every((w) => w.query.channel && !w.query.hub));

  const plain = fakeBrowser();
  relayConnect(plain.fetch);
  const three = await tab(plain, { useGears: true });
  assert.equal(three.server.mode, 'solo', 'useGears asks for sharing, but this page cannot');
});

test('a tab whose hub does not answer connects alone: after 3 s, or 6 s while a leader holds the hub lock', async () => {
  const b = fakeBrowser({ locks: true });
  relayConnect(b.fetch);
  b.locks.request('addressable.v1.hub@https://relay.test', () => new Promise(() => {})); // a leader that never speaks
  const one = await tab(b);
  assert.equal(one.server.mode, 'follower');
  assert.equal(b.WS.all.length, 0);
  await b.clock.tick(3000);
  assert.equal(one.server.mode, 'follower', 'a leader holds the lock: it may only be slow (a loaded machine)');
  assert.equal(b.WS.all.length, 0);
  await b.clock.tick(3000);
  assert.equal(one.server.mode, 'solo');
  assert.equal(b.WS.all.length, 1);
  assert.equal(b.WS.all[0].query.channel, one.server.channel);
});

test('a visible follower takes the lead when the hub stalls (a frozen leader)', async () => {
  const { b, one, two } = await leaderAndFollower({ hubStall: 5000 });
  assert.equal(two.server.mode, 'follower');
  one.server._peer.ctl.hold(); // the leader's page is frozen: it hears nothing, says nothing
  one.server._peer.hub.state = () => {};
  await b.clock.tick(7000);
  assert.equal(two.server.mode, 'leader', 'it stole the lead');
  const open = b.WS.all.filter((w) => !w.closed);
  const newest = open[open.length - 1];
  assert.ok(+newest.query.hub > +b.WS.all[0].query.hub, 'with a higher term, which supersedes the frozen one at the relay');
});

test('a leader going into the back/forward cache hands the hub over at once and comes back as a follower', async () => {
  const window = pageWindow();
  const { b, one, two, ws: first } = await leaderAndFollower({}, { window });
  first.receive({ channel: one.server.channel, seq: 1, data: 'a', ts: 1, cursor: 'c1' });
  await settle();

  window.fire('pagehide', { persisted: true }); // a cached page keeps its locks: it must let go itself
  await b.clock.tick(10);
  assert.equal(two.server.mode, 'leader', 'the other tab leads at once, not after its stall limit');
  assert.ok(first.closed, 'the cached page\'s hub connection is closed');
  const second = hubSocket(b);
  assert.equal(second.query.channels, two.server.channel + ':c0', 'without the cached tab\'s channel');
  second.open();
  await settle();

  window.fire('pageshow', { persisted: true });
  await b.clock.tick(200);
  assert.equal(one.server.mode, 'follower');
  assert.deepEqual(second.sent.find((f) => f.join === one.server.channel), { join: one.server.channel, cursor: 'c1' },
    'joined again from where it was');
  second.receive({ channel: one.server.channel, seq: 1, data: 'a', ts: 1, cursor: 'c1' }); // a replay is dropped
  second.receive({ channel: one.server.channel, seq: 2, data: 'b', ts: 1, cursor: 'c2' });
  await settle();
  assert.deepEqual(one.seen.messages.map((m) => m.data), ['a', 'b'], 'each message once');
  assert.equal(b.WS.all.filter((w) => !w.closed).length, 1, 'one relay connection');
});

test('over long-poll a channel whose batch is not acked yet is left out of the next poll', async () => {
  const b = fakeBrowser({ locks: true });
  relayConnect(b.fetch);
  const one = await tab(b, { transports: ['longpoll'] });
  const firstPoll = b.fetch.take('/poll');
  assert.equal(firstPoll.query.hub > 0, true);
  assert.equal(firstPoll.query.channels, one.server.channel + ':c0');
  firstPoll.respond(200, { channels: { [one.server.channel]: { cursor: 'c1', messages: [{ seq: 1, data: 'x', ts: 1 }] } } });
  await settle();
  assert.deepEqual(one.seen.messages.map((m) => m.data), ['x']);
  const next = b.fetch.pending.filter((c) => c.path === '/poll' && !c.aborted);
  assert.equal(next[next.length - 1].query.channels, one.server.channel + ':c1', 'acked at once by the leader\'s own tab');
});

test('over long-poll, tabs joining before the relay first answers do not hold every tab in connecting for a poll timeout', async () => {
  const b = fakeBrowser({ locks: true });
  relayConnect(b.fetch);
  const one = await tab(b, { transports: ['longpoll'] });
  const two = await tab(b, { transports: ['longpoll'] }); // joins while the hub's first poll is out
  const polls = () => b.fetch.pending.filter((c) => c.path === '/poll' && !c.aborted);
  assert.equal(polls().length, 1, 'the poll with the old list was called off');
  assert.equal(polls()[0].query.channels.split(',').length, 2);
  assert.equal(polls()[0].query.timeout, '0', 'not answered yet, so it still asks for an answer at once');

  b.fetch.take('/poll').respond(200, { channels: {} });
  await settle();
  assert.equal(one.server.state, 'open');
  assert.equal(two.server.state, 'open', 'the follower hears it from the hub');
  assert.equal(polls()[0].query.timeout, '25', 'from then on it waits');
});

test('tabs opened together become one client: the first makes it under a lock, the others read it', async () => {
  const b = fakeBrowser({ locks: true });
  const bodies = relayConnect(b.fetch);
  const tabs = [];
  for (let i = 0; i < 5; i++) {
    const s = newServer(b.tab(), { transports: ['websocket'] });
    s.connect();
    tabs.push(s);
  }
  await b.clock.tick(500);
  assert.equal(bodies.filter((x) => !x.client).length, 1, 'one /connect made the client');
  assert.equal(new Set(tabs.map((t) => t.server.client)).size, 1);
});

test('a channel the hub cannot carry for now is asked for again; a bad cursor connects again; another refusal goes solo', async () => {
  const { b, one, two, ws } = await leaderAndFollower();
  const joins = () => ws.sent.filter((f) => f.join === two.server.channel).length;
  const before = joins();
  ws.receive({ channel: two.server.channel, error: 'too_many_polls', message: 'busy' });
  await b.clock.tick(1000);
  assert.equal(two.server.mode, 'follower', 'still shared');
  assert.ok(joins() > before, 'joined again after a backoff');

  const connects = b.fetch.count('/connect');
  ws.receive({ channel: two.server.channel, error: 'bad_cursor', message: 'ahead of the inbox' });
  await b.clock.tick(1000);
  assert.equal(b.fetch.count('/connect'), connects + 1, 'connected again for a fresh cursor');
  assert.equal(two.server.mode, 'follower');

  ws.receive({ channel: two.server.channel, error: 'too_many_channels', message: 'a hub carries at most 1' });
  await b.clock.tick(100);
  assert.equal(two.server.mode, 'solo');
  assert.equal(b.WS.all.filter((w) => !w.closed).length, 2, 'the refused tab connects alone');
  assert.equal(one.server.mode, 'leader');
});

test('a follower that vanishes without a word (crash) is noticed through its lifetime lock: the hub leaves its channel', async () => {
  const { b, one, two, ws } = await leaderAndFollower();
  const channel = two.server.channel;
  assert.ok(ws.sent.some((f) => f.join === channel));
  const peer = two.server._peer;
  peer.closed = true; // the renderer is gone: no bye, no more messages
  peer.ctl.onmessage = peer.own.onmessage = null;
  peer.releaseLife();
  await b.clock.tick(10);
  assert.ok(ws.sent.some((f) => f.leave === channel), 'left: ' + JSON.stringify(ws.sent));
  assert.deepEqual(Object.keys(one.server._peer.hub.channels), [one.server.channel]);
});

test('a leader hidden for 10 s hands the lead to a visible follower, which takes it with a higher term', async () => {
  let leaderVisible = true;
  const listeners = [];
  const { b, one, two, ws: first } = await leaderAndFollower({}, {
    visible: () => leaderVisible, onVisibilityChange: (fn) => listeners.push(fn)
  });
  leaderVisible = false;
  listeners.forEach((fn) => fn());
  await b.clock.tick(9000);
  assert.equal(one.server.mode, 'leader', 'not before 10 s');
  await b.clock.tick(1500);
  assert.equal(two.server.mode, 'leader');
  assert.equal(one.server.mode, 'follower', 'the hidden tab follows');
  const open = b.WS.all.filter((w) => !w.closed);
  assert.equal(open.length, 1);
  assert.ok(+open[0].query.hub > +first.query.hub);
});

// ---- worker mode: the hub in the site's SharedWorker ----------------------------------

test('with workerUrl the hub runs in a SharedWorker: every tab is a worker tab, one connection, each gets its own messages', async () => {
  const b = fakeBrowser({ locks: true, workers: true });
  relayConnect(b.fetch);
  const opts = { workerUrl: '/hub-worker.js' };
  const tabs = [await tab(b, opts), await tab(b, opts), await tab(b, opts)];
  assert.deepEqual(tabs.map((t) => t.server.mode), ['worker', 'worker', 'worker']);
  assert.equal(b.workers.length, 1, 'one worker for the browser');
  assert.equal(b.workers[0].name, 'addressable.v1@https://relay.test');
  const ws = hubSocket(b);
  ws.open();
  await settle();
  for (const t of tabs) assert.ok(ws.sent.some((f) => f.join === t.server.channel), 'joined ' + t.server.channel);
  assert.equal(ws.query.client, tabs[0].server.client, 'the worker receives for the tabs\' client');

  tabs.forEach((t, i) => ws.receive({ channel: t.server.channel, seq: 1, data: 'for ' + i, ts: 1, cursor: 'c1' }));
  await settle();
  tabs.forEach((t, i) => assert.deepEqual(t.seen.messages.map((m) => m.data), ['for ' + i]));
  assert.equal(ws.sent.filter((f) => f.ack === 'c1').length, 3, 'each tab\'s ack reaches the relay');
  assert.ok(tabs.every((t) => t.server.state === 'open' && t.server.transport === 'websocket'));
});

test('a worker tab that closes leaves the hub, which lives on; a tab that crashes is noticed and left for at the relay', async () => {
  const b = fakeBrowser({ locks: true, workers: true });
  relayConnect(b.fetch);
  const opts = { workerUrl: '/hub-worker.js' };
  const [one, two, three] = [await tab(b, opts), await tab(b, opts), await tab(b, opts)];
  const ws = hubSocket(b);
  ws.open();
  await settle();

  one.server.disconnect(); // the tab that created the worker closes
  await b.clock.tick(10);
  assert.ok(ws.sent.some((f) => f.leave === one.server.channel));
  assert.equal(hubSocket(b), ws, 'the same connection carries the others');

  const peer = three.server._peer; // its renderer is gone: no bye, only its lifetime lock goes
  peer.closed = true;
  peer.ctl.onmessage = null;
  peer.releaseLife();
  await b.clock.tick(10);
  assert.ok(ws.sent.some((f) => f.leave === three.server.channel), 'the hub noticed');
  const leave = b.fetch.log.filter((c) => c.path === '/leave');
  assert.equal(leave.length, 1, 'the hub told the relay, since the tab could not');
  const form = new URLSearchParams(leave[0].body);
  assert.equal(form.get('channel'), three.server.channel);
  assert.equal(form.get('client'), three.server.client);

  ws.receive({ channel: two.server.channel, seq: 1, data: 'still here', ts: 1, cursor: 'c1' });
  await settle();
  assert.deepEqual(two.seen.messages.map((m) => m.data), ['still here']);
});

test('a worker that cannot load leaves the tabs sharing through a leader tab', async () => {
  const b = fakeBrowser({ locks: true, workers: true });
  relayConnect(b.fetch);
  b.SharedWorker.fail = true;
  const one = await tab(b, { workerUrl: '/missing.js' });
  assert.equal(one.server.mode, 'leader');
  assert.equal(b.WS.all.filter((w) => !w.closed).length, 1);

  const withWorkers = fakeBrowser({ locks: true, workers: true });
  relayConnect(withWorkers.fetch);
  const jsonpOnly = await tab(withWorkers, { workerUrl: '/hub-worker.js', transports: ['jsonp'] });
  assert.equal(jsonpOnly.server.mode, 'leader', 'a worker has no document for JSONP');
  assert.equal(withWorkers.workers.length, 0);

  const plain = fakeBrowser({ locks: true }); // no SharedWorker at all
  relayConnect(plain.fetch);
  const two = await tab(plain, { workerUrl: '/hub-worker.js' });
  assert.equal(two.server.mode, 'leader');
});

test('a worker hub that comes back after a relay restart connects for the tabs\' client, not a new one', async () => {
  const b = fakeBrowser({ locks: true, workers: true });
  const bodies = relayConnect(b.fetch);
  const one = await tab(b, { workerUrl: '/hub-worker.js' });
  const ws = hubSocket(b);
  ws.open();
  await settle();
  ws.receive({ error: 'unknown_address', message: 'no such client' }); // the relay restarted and forgot it
  await b.clock.tick(2000);
  const last = bodies[bodies.length - 1];
  assert.equal(last.client, one.server.client, 'the worker connected again with the tabs\' identity');
  assert.equal(hubSocket(b).query.client, one.server.client);
});

test('a worker hub that started afresh (its id changed) hears every tab again from its cursor: nothing lost or doubled', async () => {
  const b = fakeBrowser({ locks: true, workers: true });
  relayConnect(b.fetch);
  const opts = { workerUrl: '/hub-worker.js' };
  const [one, two] = [await tab(b, opts), await tab(b, opts)];
  const ws = hubSocket(b);
  ws.open();
  await settle();
  ws.receive({ channel: two.server.channel, seq: 1, data: 'a', ts: 1, cursor: 'c1' });
  await settle();
  const hub = b.workers[0].host.hub;
  hub.channels = {}; // a silent restart: the hub forgets every tab and channel
  hub.known = {};
  hub.id = 'fresh';
  hub.changed();
  assert.ok(ws.sent.some((f) => f.leave === two.server.channel), 'the connection dropped the channels');
  hub.state(true);
  await settle();
  assert.deepEqual(Object.keys(hub.channels).sort(), [one.server.channel, two.server.channel].sort(), 'the tabs said hello again');
  assert.equal(hub.channels[two.server.channel].acked, 'c1', 'from the cursor the tab holds');
  ws.receive({ channel: two.server.channel, seq: 1, data: 'a', ts: 1, cursor: 'c1' }); // read again
  ws.receive({ channel: two.server.channel, seq: 2, data: 'b', ts: 1, cursor: 'c2' });
  await settle();
  assert.deepEqual(two.seen.messages.map((m) => m.data), ['a', 'b']);
});

test('an ack from a tab the hub never heard of is answered with whoareyou', async () => {
  const b = fakeBrowser({ locks: true, workers: true });
  relayConnect(b.fetch);
  const one = await tab(b, { workerUrl: '/hub-worker.js' });
  const ws = hubSocket(b);
  ws.open();
  await settle();
  const hub = b.workers[0].host.hub;
  delete hub.known[one.server._peer.tab];
  hub.channels = {};
  one.server._peer.ack('c0');
  await settle();
  assert.ok(hub.channels[one.server.channel], 'it said hello again');
});

test('worker tabs whose worker died open it again after hubStall: a fresh worker with a higher term carries on, nothing doubled', async () => {
  const b = fakeBrowser({ locks: true, workers: true });
  relayConnect(b.fetch);
  const opts = { workerUrl: '/hub-worker.js', hubStall: 5000 };
  const [one, two] = [await tab(b, opts), await tab(b, opts)];
  const first = hubSocket(b);
  first.open();
  await settle();
  first.receive({ channel: two.server.channel, seq: 1, data: 'a', ts: 1, cursor: 'c1' });
  await settle();

  b.SharedWorker.kill(b.workers[0]);
  await b.clock.tick(4000);
  assert.equal(b.workers.length, 1, 'not before the stall limit');
  await b.clock.tick(3000);
  assert.equal(b.workers.length, 2, 'a fresh worker');
  assert.deepEqual([one.server.mode, two.server.mode], ['worker', 'worker']);
  const second = hubSocket(b);
  assert.ok(+second.query.hub > +first.query.hub, 'a higher term');
  second.open();
  await settle();
  assert.ok(second.sent.some((f) => f.join === two.server.channel && f.cursor === 'c1'), 'from the tab\'s cursor');
  assert.ok(second.sent.some((f) => f.join === one.server.channel), 'every tab came back');
  second.receive({ channel: two.server.channel, seq: 1, data: 'a', ts: 1, cursor: 'c1' });
  second.receive({ channel: two.server.channel, seq: 2, data: 'b', ts: 1, cursor: 'c2' });
  await settle();
  assert.deepEqual(two.seen.messages.map((m) => m.data), ['a', 'b']);
});
