'use strict';
// A fake browser for the library's tests: clock, fetch, WebSocket, EventSource, <script> loading,
// storages and BroadcastChannel, all driven by the test. Kept outside test/ because node 20's
// runner treats every .js file under test/ as a test file.

const Addressable = require('../addressable.js');

const RELAY = 'https://relay.test';

/** Lets pending promise callbacks and microtasks run (no wall-clock waiting). */
async function settle() {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** Timers that only move when the test calls tick(). */
class Clock {
  constructor() {
    this.now = 1000000;
    this.timers = [];
    this.nextId = 1;
    this.setTimeout = (fn, ms) => {
      const t = { id: this.nextId++, at: this.now + (ms || 0), ms: ms || 0, fn };
      this.timers.push(t);
      return t.id;
    };
    this.clearTimeout = (id) => { this.timers = this.timers.filter((t) => t.id !== id); };
  }

  /** Delays (ms) of the timers still pending, in the order they were set. */
  delays() { return this.timers.map((t) => t.ms); }

  /** Advances time by ms, running due timers in order and settling promises between them. */
  async tick(ms) {
    const end = this.now + ms;
    await settle();
    for (;;) {
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.timers.splice(this.timers.indexOf(due), 1);
      this.now = due.at;
      due.fn();
      await settle();
    }
    this.now = end;
    await settle();
  }
}

function response(status, body, headers = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return {
    ok: status >= 200 && status < 300,
    status,
    headers: { get: (name) => headers[name] ?? null },
    text: async () => text
  };
}

/**
 * fetch whose calls wait in `pending` until the test answers them (call.respond / call.fail),
 * unless a route registered with on(path, handler) answers them first. Every call is also in `log`.
 */
function fakeFetch() {
  const routes = [];
  const fetch = (url, init = {}) => new Promise((resolve, reject) => {
    const u = new URL(url);
    const call = {
      url, path: u.pathname, query: Object.fromEntries(u.searchParams), method: init.method || 'GET',
      headers: init.headers || {}, body: init.body, aborted: false,
      respond: (status, body, headers) => resolve(response(status, body, headers)),
      fail: (err = new TypeError('Failed to fetch')) => reject(err)
    };
    if (init.signal) {
      init.signal.addEventListener('abort', () => {
        call.aborted = true;
        reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
      });
    }
    fetch.log.push(call);
    const route = routes.find((r) => r.path === call.path);
    if (route) route.handler(call); else fetch.pending.push(call);
  });
  fetch.log = [];
  fetch.pending = [];
  fetch.on = (path, handler) => { routes.unshift({ path, handler }); };
  /** Removes and returns the oldest unanswered call to path; throws when there is none. */
  fetch.take = (path) => {
    const i = fetch.pending.findIndex((c) => c.path === path && !c.aborted);
    if (i < 0) throw new Error('no pending call to ' + path + '; pending: ' + fetch.pending.map((c) => c.path));
    return fetch.pending.splice(i, 1)[0];
  };
  fetch.count = (path) => fetch.log.filter((c) => c.path === path).length;
  return fetch;
}

/** WebSocket class recording its instances in `all`; the test opens, feeds and drops them. */
function fakeWebSocket() {
  class FakeWebSocket {
    constructor(url) {
      this.url = url;
      this.query = Object.fromEntries(new URL(url).searchParams);
      this.sent = [];
      this.readyState = 0;
      this.closed = false;
      FakeWebSocket.all.push(this);
    }
    send(text) { this.sent.push(JSON.parse(text)); }
    close() { this.readyState = 3; this.closed = true; }
    open() { this.readyState = 1; if (this.onopen) this.onopen({}); }
    receive(frame) { if (this.onmessage) this.onmessage({ data: JSON.stringify(frame) }); }
    drop(code = 1006) {
      this.readyState = 3;
      if (this.onerror) this.onerror({ type: 'error' });
      if (this.onclose) this.onclose({ code });
    }
    static last() { return FakeWebSocket.all[FakeWebSocket.all.length - 1]; }
  }
  FakeWebSocket.all = [];
  return FakeWebSocket;
}

/** EventSource class recording its instances; emit() plays what the relay would stream. */
function fakeEventSource() {
  class FakeEventSource {
    constructor(url) {
      this.url = url;
      this.query = Object.fromEntries(new URL(url).searchParams);
      this.listeners = {};
      this.closed = false;
      this.lastEventId = '';
      this.readyState = 0; // CONNECTING; 1 OPEN, 2 CLOSED
      FakeEventSource.all.push(this);
    }
    addEventListener(name, fn) { (this.listeners[name] = this.listeners[name] || []).push(fn); }
    close() { this.readyState = 2; this.closed = true; }
    open() { this.readyState = 1; if (this.onopen) this.onopen({}); }
    /** Dispatches like a browser: `message` to onmessage, named events to their listeners. */
    emit(name, data, id) {
      if (id !== undefined) this.lastEventId = id;
      const ev = { type: name, data: typeof data === 'string' ? data : JSON.stringify(data), lastEventId: this.lastEventId };
      if (name === 'message' && this.onmessage) this.onmessage(ev);
      for (const fn of this.listeners[name] || []) fn(ev);
    }
    /** A lost connection: a browser's EventSource would reconnect (CONNECTING). */
    error() { this.readyState = 0; if (this.onerror) this.onerror({ type: 'error' }); }
    /** The relay answered with an error status (429, say): the browser gives up on it (CLOSED), and cannot say why. */
    refuse() { this.readyState = 2; if (this.onerror) this.onerror({ type: 'error' }); }
    static last() { return FakeEventSource.all[FakeEventSource.all.length - 1]; }
  }
  FakeEventSource.all = [];
  return FakeEventSource;
}

/** document whose <script> tags wait in `scripts` until the test answers or fails them. */
function fakeDocument(global) {
  const scripts = [];
  const head = {
    appendChild(s) { s.parentNode = head; scripts.push(s); },
    removeChild(s) { s.parentNode = null; s.removed = true; }
  };
  return {
    head,
    scripts,
    createElement: (tag) => ({ tag }),
    /** Removes and returns the oldest script still loading whose path is path. */
    take(path) {
      const s = scripts.find((x) => !x.done && new URL(x.src).pathname === path);
      if (!s) throw new Error('no pending script for ' + path);
      s.done = true;
      s.query = Object.fromEntries(new URL(s.src).searchParams);
      /** Runs the script as the relay's JSONP answer would: calls the named callback, then onload. */
      s.answer = (obj) => {
        const fn = s.query.callback.split('.').reduce((o, k) => o[k], global);
        fn(obj);
        if (s.onload) s.onload({ type: 'load' });
      };
      s.fail = () => { if (s.onerror) s.onerror({ type: 'error' }); };
      return s;
    },
    pending(path) { return scripts.filter((x) => !x.done && new URL(x.src).pathname === path).length; }
  };
}

class FakeStorage {
  constructor(entries) { this.map = new Map(Object.entries(entries || {})); }
  getItem(k) { return this.map.has(k) ? this.map.get(k) : null; }
  setItem(k, v) { this.map.set(k, String(v)); }
  removeItem(k) { this.map.delete(k); }
  copy() { return new FakeStorage(Object.fromEntries(this.map)); }
}

/**
 * BroadcastChannel shared by the tabs of one fake browser; delivery is asynchronous, like the real
 * one. hold() keeps what arrives at one instance (a busy tab) until release().
 */
function fakeBroadcastChannel() {
  const open = [];
  class FakeBroadcastChannel {
    constructor(name) { this.name = name; this.held = null; open.push(this); }
    postMessage(data) {
      const copy = JSON.parse(JSON.stringify(data));
      for (const c of open) {
        if (c !== this && c.name === this.name && !c.closed) queueMicrotask(() => c.deliver(copy));
      }
    }
    deliver(data) {
      if (this.held) this.held.push(data);
      else if (this.onmessage && !this.closed) this.onmessage({ data });
    }
    hold() { this.held = []; }
    release() { const held = this.held; this.held = null; held.forEach((d) => this.deliver(d)); }
    close() { this.closed = true; }
  }
  FakeBroadcastChannel.open = open;
  return FakeBroadcastChannel;
}

/**
 * navigator.locks for one browser profile: exclusive locks granted in request order, released when
 * the callback's promise settles; { steal: true } takes a held lock at once (the holder's request
 * rejects with AbortError); a request's signal calls it off while it waits.
 */
function fakeLocks() {
  const held = new Map();   // name -> { reject }
  const waiting = [];       // { name, grant, reject }
  function grant(name) {
    if (held.has(name)) return;
    const i = waiting.findIndex((w) => w.name === name);
    if (i >= 0) waiting.splice(i, 1)[0].grant();
  }
  const locks = {
    request(name, opts, cb) {
      if (typeof opts === 'function') { cb = opts; opts = {}; }
      return new Promise((resolve, reject) => {
        const entry = { name, reject };
        entry.grant = () => {
          const mine = { reject };
          held.set(name, mine);
          Promise.resolve().then(() => cb({ name })).then((v) => {
            if (held.get(name) === mine) { held.delete(name); grant(name); }
            resolve(v);
          }, (e) => {
            if (held.get(name) === mine) { held.delete(name); grant(name); }
            reject(e);
          });
        };
        if (opts.signal) {
          opts.signal.addEventListener('abort', () => {
            const i = waiting.indexOf(entry);
            if (i >= 0) { waiting.splice(i, 1); reject(Object.assign(new Error('aborted'), { name: 'AbortError' })); }
          });
        }
        if (opts.steal) {
          const old = held.get(name);
          held.delete(name);
          if (old) old.reject(Object.assign(new Error('stolen'), { name: 'AbortError' }));
          entry.grant();
        } else {
          waiting.push(entry);
          grant(name);
        }
      });
    },
    query: () => Promise.resolve({
      held: [...held.keys()].map((name) => ({ name, mode: 'exclusive' })),
      pending: waiting.map((w) => ({ name: w.name, mode: 'exclusive' }))
    }),
    holds: (name) => held.has(name),
    waiting: (name) => waiting.filter((w) => w.name === name).length
  };
  return locks;
}

/**
 * SharedWorker for one fake browser: one worker per URL and name, started on first use with the
 * library's startWorker() in an env of its own (no document, no storage, the browser's locks,
 * fetch and sockets). Its MessagePorts deliver asynchronously and clone what they carry.
 * browser.workers lists the started ones ({url, name, host}); fail = true makes them not load;
 * kill(worker) ends one as a crash would: its ports go dead, its socket closes, its locks go.
 */
function fakeSharedWorker(browser, workerEnv) {
  function portPair() {
    const a = { other: null, closed: false, started: false, queue: [] };
    const b = { other: a, closed: false, started: false, queue: [] };
    a.other = b;
    for (const p of [a, b]) {
      p.postMessage = (data) => {
        if (p.closed || p.other.closed) return;
        const copy = JSON.parse(JSON.stringify(data));
        queueMicrotask(() => { if (!p.other.closed && p.other.onmessage) p.other.onmessage({ data: copy }); });
      };
      p.start = () => { p.started = true; };
      p.close = () => { p.closed = true; };
    }
    return [a, b];
  }
  return class FakeSharedWorker {
    constructor(url, opts) {
      const name = (opts && opts.name) || '';
      const [mine, theirs] = portPair();
      this.port = mine;
      if (FakeSharedWorker.fail) {
        queueMicrotask(() => this.onerror && this.onerror(new Error('worker script failed')));
        return;
      }
      let w = browser.workers.find((x) => x.url === url && x.name === name && !x.killed);
      if (!w) {
        const global = {};
        w = { url, name, global, ports: [], host: Addressable.startWorker({ env: workerEnv(global) }) };
        browser.workers.push(w);
      }
      w.ports.push(theirs);
      queueMicrotask(() => { if (!w.killed) w.global.onconnect({ ports: [theirs] }); });
    }

    static kill(w) {
      w.killed = true;
      w.ports.forEach((p) => { p.closed = true; });
      const host = w.host;
      if (host.hub) host.hub.stop();
      if (host.release) host.release();
      host.hub = null;
    }
  };
}

let pageCounter = 0;

/**
 * One browser profile: a clock, a fetch, localStorage and BroadcastChannel shared by its tabs.
 * browser.tab(opts) makes a tab's env; opts: name (window.name), session (FakeStorage), and
 * overrides such as WebSocket: null to take a feature away.
 */
function fakeBrowser(opts = {}) {
  const clock = new Clock();
  const fetch = fakeFetch();
  const WS = fakeWebSocket();
  const ES = fakeEventSource();
  const BC = fakeBroadcastChannel();
  const local = new FakeStorage();
  const locks = fakeLocks();
  const browser = { clock, fetch, WS, ES, BC, local, locks, workers: [] };
  let randomSeq = 0;
  const random = opts.random || (() => ((randomSeq = (randomSeq * 7919 + 104729) % 1000003) / 1000003));
  browser.SharedWorker = fakeSharedWorker(browser, (global) => ({
    global, location: { protocol: 'https:', origin: 'https://app.test' },
    setTimeout: clock.setTimeout, clearTimeout: clock.clearTimeout, now: () => clock.now,
    fetch, WebSocket: WS, EventSource: ES, BroadcastChannel: BC, AbortController,
    locks, visible: () => true, random
  }));
  browser.tab = (tabOpts = {}) => {
    const global = {};
    const document = fakeDocument(global);
    const env = {
      global, window: { name: tabOpts.name || '' }, document, location: { protocol: 'https:', origin: 'https://app.test' },
      setTimeout: clock.setTimeout, clearTimeout: clock.clearTimeout, now: () => clock.now,
      fetch, WebSocket: WS, EventSource: ES, BroadcastChannel: BC, AbortController,
      localStorage: local, sessionStorage: tabOpts.session || new FakeStorage(),
      locks: opts.locks ? locks : undefined, visible: () => true,
      random, SharedWorker: opts.workers ? browser.SharedWorker : undefined,
      pageId: 'page' + String(++pageCounter).padStart(4, '0')
    };
    for (const k of Object.keys(tabOpts)) if (k !== 'name' && k !== 'session') env[k] = tabOpts[k];
    return env;
  };
  return browser;
}

/**
 * Makes /connect answer like the relay: a new client (C1, C2, …) when none or a wrong key is
 * given, else the same client with the channel added. Returns the list of parsed connect bodies.
 */
function relayConnect(fetch, opts = {}) {
  const bodies = [];
  let clients = 0;
  const keys = {};
  fetch.on('/connect', (call) => {
    const body = Object.fromEntries(new URLSearchParams(call.body || ''));
    bodies.push(body);
    if (body.client && keys[body.client] !== body.key) {
      return call.respond(403, { error: 'wrong_key', message: 'key does not match client' });
    }
    const client = body.client || 'C' + ++clients;
    keys[client] = keys[client] || 'K' + client.slice(1);
    const channel = body.channel || 'anon';
    call.respond(200, {
      client, key: keys[client], channel,
      url: `${RELAY}/m/${client}/${channel}`, clientUrl: `${RELAY}/m/${client}`, cursor: opts.cursor || 'c0'
    });
  });
  bodies.forgetKeys = () => { for (const k of Object.keys(keys)) keys[k] = 'rotated-' + k; };
  return bodies;
}

/** A Server on the fake browser, recording what its handlers see. */
function newServer(env, options = {}) {
  const server = new Addressable.Server(Object.assign({ relay: RELAY, env }, options));
  const seen = { messages: [], states: [], errors: [], connects: [] };
  server.onmessage = (data, meta) => seen.messages.push({ data, ...meta });
  server.onstatechange = (state) => seen.states.push(state);
  server.onerror = (err) => seen.errors.push(err);
  return { server, seen, connect: () => server.connect((id, url) => seen.connects.push({ id, url })) };
}

/** A page's window: it records listeners and fires page lifecycle events (pagehide, pageshow) as a browser would. */
function pageWindow() {
  const listeners = {};
  return {
    name: '',
    addEventListener(type, fn) { (listeners[type] = listeners[type] || []).push(fn); },
    fire(type, event = {}) { for (const fn of listeners[type] || []) fn(Object.assign({ type }, event)); },
    count(type) { return (listeners[type] || []).length; }
  };
}

module.exports = { Addressable, RELAY, settle, Clock, FakeStorage, fakeBrowser, relayConnect, newServer, pageWindow };
