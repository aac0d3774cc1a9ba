'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { fakeBrowser, relayConnect, newServer } = require('../test-support/fakes.js');

/** A server connected over the given transports, with /connect answered; the first attempt is under way. */
async function connected(transports, options = {}) {
  const b = fakeBrowser();
  relayConnect(b.fetch);
  const s = newServer(b.tab(), Object.assign({ transports }, options));
  s.connect();
  await b.clock.tick(150); // the duplicate-tab check
  return { b, ...s };
}

const datas = (seen) => seen.messages.map((m) => m.data);

test('delivers each message once when the relay repeats messages after a reconnect', async () => {
  const { b, seen } = await connected(['websocket']);
  const ws1 = b.WS.last();
  ws1.open();
  ws1.receive({ seq: 1, data: 'a', ts: 11, cursor: 'c1' });
  ws1.receive({ seq: 2, data: 'b', ts: 12, cursor: 'c2' });
  ws1.receive({ seq: 2, data: 'b', ts: 12, cursor: 'c2' });
  ws1.drop();
  await b.clock.tick(1000);

  const ws2 = b.WS.last();
  assert.notEqual(ws2, ws1);
  ws2.open();
  ws2.receive({ seq: 2, data: 'b', ts: 12, cursor: 'c2' });
  ws2.receive({ seq: 3, data: 'c', ts: 13, cursor: 'c3' });

  assert.deepEqual(datas(seen), ['a', 'b', 'c']);
  assert.deepEqual(seen.messages[0], { data: 'a', seq: 1, ts: 11, missed: false });
});

test('resumes a websocket from the cursor of the last delivered message', async () => {
  const { b, server } = await connected(['websocket']);
  const ws1 = b.WS.last();
  assert.equal(ws1.query.cursor, 'c0', 'starts at the cursor /connect gave');
  assert.equal(ws1.url.split('?')[0], 'wss://relay.test/ws');
  assert.equal(ws1.query.key, 'K1');
  ws1.open();
  ws1.receive({ seq: 1, data: 'a', ts: 1, cursor: 'c1' });
  ws1.drop();
  await b.clock.tick(1000);

  assert.equal(b.WS.last().query.cursor, 'c1');
  assert.equal(server.cursor, 'c1');
});

test('polls again at once with the cursor of each answer, and after an error with the last good one', async () => {
  const { b, seen } = await connected(['longpoll']);
  const p1 = b.fetch.take('/poll');
  assert.deepEqual(p1.query, { client: 'C1', channel: p1.query.channel, cursor: 'c0', timeout: '0' });
  assert.equal(p1.headers.Authorization, 'Bearer K1');
  p1.respond(200, { cursor: 'c2', messages: [{ seq: 1, data: 'a', ts: 1 }, { seq: 2, data: 'b', ts: 2 }] });
  await b.clock.tick(0);

  const p2 = b.fetch.take('/poll');
  assert.equal(p2.query.cursor, 'c2');
  assert.equal(p2.query.timeout, '25');
  p2.respond(503, { error: 'overloaded', message: 'busy' });
  await b.clock.tick(1000);

  assert.equal(b.fetch.take('/poll').query.cursor, 'c2');
  assert.deepEqual(datas(seen), ['a', 'b']);
  assert.deepEqual(seen.errors.map((e) => e.code), ['overloaded']);
});

test('a long-poll attempt opens on an immediate first poll, then parks for pollTimeout', async () => {
  const { b, server, seen } = await connected(['longpoll'], { pollTimeout: 20 });
  const probe = b.fetch.take('/poll');
  assert.equal(probe.query.timeout, '0', 'answered at once, whatever the inbox holds');
  assert.equal(server.state, 'connecting');
  probe.respond(200, { cursor: 'c0', messages: [] });
  await b.clock.tick(0);

  assert.equal(server.state, 'open', 'open when the relay accepted the poll, not 20 s later');
  assert.deepEqual(seen.states, ['connecting', 'open']);
  assert.equal(b.fetch.take('/poll').query.timeout, '20');
});

test('after a missed marker, seq starting again at 1 is delivered and flagged missed once', async () => {
  const { b, server, seen } = await connected(['websocket']);
  let missedCalls = 0;
  server.onmissed = () => missedCalls++;
  const ws = b.WS.last();
  ws.open();
  ws.receive({ seq: 5, data: 'old5', ts: 1, cursor: 'e1.5' });
  ws.receive({ missed: true, cursor: 'e2.0' }); // the relay restarted with a new epoch
  ws.receive({ seq: 1, data: 'new1', ts: 2, cursor: 'e2.1' });
  ws.receive({ seq: 2, data: 'new2', ts: 3, cursor: 'e2.2' });

  assert.equal(missedCalls, 1);
  assert.deepEqual(seen.messages.map((m) => [m.data, m.seq, m.missed]),
    [['old5', 5, false], ['new1', 1, true], ['new2', 2, false]]);
  assert.equal(server.cursor, 'e2.2');
});

test('a long-poll answer with missed and messages flags the first message', async () => {
  const { b, seen } = await connected(['longpoll']);
  b.fetch.take('/poll').respond(200, { cursor: 'e1.9', messages: [{ seq: 9, data: 'x', ts: 1 }] });
  await b.clock.tick(0);
  b.fetch.take('/poll').respond(200, { cursor: 'e2.1', missed: true, messages: [{ seq: 1, data: 'y', ts: 2 }] });
  await b.clock.tick(0);

  assert.deepEqual(seen.messages.map((m) => [m.data, m.missed]), [['x', false], ['y', true]]);
  assert.equal(b.fetch.take('/poll').query.cursor, 'e2.1');
});

test('topic messages carry their topic and are de-duplicated by their own seq', async () => {
  const { b, seen } = await connected(['websocket']);
  const ws = b.WS.last();
  ws.open();
  ws.receive({ seq: 5, data: 'own', ts: 1, cursor: 'c1' });
  ws.receive({ seq: 1, data: 'news1', ts: 2, topic: 'news', cursor: 'c2' });
  ws.receive({ seq: 1, data: 'news1', ts: 2, topic: 'news', cursor: 'c2' });
  ws.receive({ seq: 2, data: 'news2', ts: 3, topic: 'news', cursor: 'c3' });

  assert.deepEqual(seen.messages.map((m) => [m.data, m.topic]),
    [['own', undefined], ['news1', 'news'], ['news2', 'news']]);
});

test('silence past heartbeatTimeout drops the connection and reconnects; heartbeats keep it', async () => {
  const { b, server, seen } = await connected(['websocket']);
  const ws1 = b.WS.last();
  ws1.open();
  await b.clock.tick(30000);
  ws1.receive({ heartbeat: 1 });
  await b.clock.tick(30000);
  assert.equal(ws1.closed, false, 'a heartbeat 30 s ago keeps the socket');
  assert.equal(server.state, 'open');

  await b.clock.tick(15001);
  assert.equal(ws1.closed, true);
  assert.equal(server.state, 'reconnecting');
  assert.equal(seen.errors[0].code, 'heartbeat_timeout');
  await b.clock.tick(1000);
  assert.equal(b.WS.all.length, 2);
  assert.equal(seen.messages.length, 0, 'heartbeats are not messages');
});

test('a long-poll is given up when no answer comes within pollTimeout plus slack', async () => {
  const { b, server } = await connected(['longpoll'], { pollTimeout: 5 });
  const stuck = b.fetch.take('/poll');
  await b.clock.tick(14999);
  assert.equal(stuck.aborted, false);
  await b.clock.tick(1);
  assert.equal(stuck.aborted, true);
  assert.equal(server.state, 'connecting');
});

test('websocket receivers ack each delivered cursor on the socket', async () => {
  const { b } = await connected(['websocket']);
  const ws = b.WS.last();
  ws.open();
  ws.receive({ seq: 1, data: 'a', ts: 1, cursor: 'c1' });
  ws.receive({ heartbeat: 2 });
  ws.receive({ seq: 1, data: 'a', ts: 1, cursor: 'c1' });
  ws.receive({ seq: 2, data: 'b', ts: 1, cursor: 'c2' });
  assert.deepEqual(ws.sent, [{ ack: 'c1' }, { ack: 'c2' }]);
});

test('server-sent events: lastEventId is the cursor, named missed and heartbeat events are understood, acks are POSTed', async () => {
  const { b, server, seen } = await connected(['sse']);
  const es = b.ES.last();
  assert.equal(es.url.split('?')[0], 'https://relay.test/events');
  assert.equal(es.query.key, 'K1');
  assert.equal(es.query.cursor, 'c0');
  es.open();
  es.emit('message', { seq: 1, data: 'a', ts: 1 }, 'c1');
  es.emit('message', { seq: 2, data: 'b', ts: 2 }, 'c2'); // while the first ack is in flight
  const ack1 = b.fetch.take('/ack');
  assert.equal(ack1.method, 'POST');
  assert.equal(ack1.headers.Authorization, 'Bearer K1');
  assert.deepEqual(JSON.parse(ack1.body), { client: 'C1', channel: server.channel, cursor: 'c1' });
  assert.equal(b.fetch.count('/ack'), 1, 'one ack in flight at a time');
  ack1.respond(200, {});
  await b.clock.tick(0);
  assert.deepEqual(JSON.parse(b.fetch.take('/ack').body).cursor, 'c2');

  es.emit('heartbeat', '123');
  es.emit('missed', { missed: true, cursor: 'e2.0' });
  es.emit('message', { seq: 1, data: 'c', ts: 3 }, 'e2.1');
  assert.deepEqual(seen.messages.map((m) => [m.data, m.missed]), [['a', false], ['b', false], ['c', true]]);
  assert.equal(server.cursor, 'e2.1');

  es.error();
  assert.equal(es.closed, true, 'the library closes the stream and owns the retry');
  await b.clock.tick(1000);
  assert.equal(b.ES.last().query.cursor, 'e2.1');
});

test('an error frame from the relay drops the socket and is reported', async () => {
  const { b, server, seen } = await connected(['websocket']);
  const ws = b.WS.last();
  ws.open();
  ws.receive({ error: 'overloaded', message: 'too many connections' });
  assert.equal(ws.closed, true);
  assert.equal(server.state, 'reconnecting');
  assert.equal(seen.errors[0].code, 'overloaded');
  assert.equal(seen.errors[0].message, 'too many connections');
});
