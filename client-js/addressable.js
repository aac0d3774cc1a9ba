/*!
 * Addressable: every browser tab gets an address that anyone can push to.
 *
 *   <script src="https://relay.example/addressable.js"></script>
 *   <script>
 *     var server = new Addressable.Server();
 *     server.onmessage = function (data, meta) { console.log(meta.seq, data); };
 *     server.connect(function (id, url) { console.log('push to', url); });
 *   </script>
 *
 *   curl -d hello https://relay.example/m/<client>/<channel>
 *
 * One file, no dependencies, no build step: a plain script (global `Addressable`),
 * CommonJS (`require`), or an ES module through addressable.mjs. Types are in
 * addressable.d.ts, the wire protocol in the repository's docs/protocol.md.
 *
 * Layout: helpers, HTTP and JSONP, identity and channel, duplicate-tab guard, page
 * lifecycle (leave on pagehide), transports (websocket, sse, longpoll, jsonp), Server
 * (connection state).
 */
(function (root, factory) {
  var api = factory(root);
  if (typeof module === 'object' && module && module.exports) module.exports = api;
  else root.Addressable = api;
})(typeof globalThis !== 'undefined' ? globalThis : typeof self !== 'undefined' ? self : this, function (root) {
  'use strict';

  var CHANNEL_RE = /^[A-Za-z0-9_-]{1,64}$/;
  var ORDER = ['websocket', 'sse', 'longpoll', 'jsonp'];
  var DEFAULTS = {
    relay: null, channel: null, transports: null, useGears: false, shared: true, hubStall: null, workerUrl: null,
    heartbeatTimeout: 45000, pollTimeout: 25, retryDelay: 500, maxRetryDelay: 30000
  };
  var UPGRADE_AFTER = 30000;   // ms on a fallback transport before trying the preferred one again (after an outage)
  var MAX_UPGRADES = 3;        // such tries per connect(), so a transport blocked for good is not retried forever
  var FALLBACK_AFTER = 4;      // consecutive drops of a transport that once opened before trying the next one
  var RECOVER_FOR = 30000;     // ms after an open connection is lost during which unreachable-relay retries stay within RECOVER_DELAY
  var RECOVER_DELAY = 1000;    // ms: the longest such retry (a restarting relay is back in use within about a second of answering)
  var POLL_SLACK = 10000;      // ms a poll may take beyond its timeout before it counts as dead
  var MAX_POLL_PAUSE = 5000;   // ms: the longest pause before the next poll a poll answer's "interval" gets (within POLL_SLACK)
  var REQUEST_TIMEOUT = 15000; // ms for /connect and JSONP sends
  var DUP_WAIT = 150;          // ms a starting tab waits for a live tab to claim its channel
  var LOCK_WAIT = 5000;        // ms a starting tab waits for its channel's Web Lock when no live tab claims it (a reloading tab's old document may hold it still)
  var SEND_ATTEMPTS = 5;       // tries of one send (same mid) when the relay or a proxy answers 502/503/504
  var SEND_PATIENCE = 30000;   // ms after which a send stops retrying and rejects with the last error
  var HUB_WAIT = 3000;         // ms a tab waits for the shared hub to answer its hello before it connects alone (twice while a leader holds the lock)
  var STALL_CHECK = 1000;      // ms between a visible follower's checks that the leader's hub still hears the relay
  var RESTART_AFTER = 1000;    // ms a superseded worker's hub waits before it starts again, with a higher term
  var HANDOVER_AFTER = 10000;  // ms a hidden leader keeps the lead before handing it to a visible tab (hidden pages get frozen)
  var AUTH_CODES = { missing_key: 1, wrong_key: 1, unknown_address: 1 };
  // A hub's channel refused for one of these is asked for again after a backoff, not given up.
  var TRANSIENT = { too_many_polls: 1, overloaded: 1, store_unavailable: 1, memory_full: 1, shutting_down: 1 };
  var B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  var PAGE_ID = randomId(Math.random, 12);
  var heldHere = {}; // 'pageId channel' -> true while a Server of that page holds the channel's lock
  var cbSeq = 0;
  var api = { version: '0.1.0', transports: ORDER.slice(), defaultRelay: scriptBase(root), _cb: {} };

  // ---- helpers ---------------------------------------------------------

  function noop() {}

  function assign(to, from) {
    for (var k in from) if (Object.prototype.hasOwnProperty.call(from, k)) to[k] = from[k];
    return to;
  }

  function randomId(random, n) {
    for (var s = ''; s.length < n;) s += B64URL.charAt(Math.floor(random() * 64));
    return s;
  }

  function parseJson(text) {
    try { return JSON.parse(text); } catch (e) { return undefined; }
  }

  /** Query string from an object, leaving out null, undefined and '' values. */
  function qs(params) {
    var out = [];
    for (var k in params) {
      if (params[k] != null && params[k] !== '') out.push(encodeURIComponent(k) + '=' + encodeURIComponent(params[k]));
    }
    return out.join('&');
  }

  /** An Error with a machine-readable `code` (the relay's error codes, or this library's) and optional HTTP `status`. */
  function fail(code, message, status) {
    var e = new Error(message || code);
    e.code = code;
    if (status) e.status = status;
    return e;
  }

  /** Error from a relay answer `{"error","message"}` (HTTP or JSONP), keeping Retry-After (header, or a JSONP body's retryAfter) in seconds. */
  function answerError(body, status, retryAfter) {
    var e = fail(body && body.error || 'http_' + status, body && body.message || 'relay answered ' + status, status);
    retryAfter = +(retryAfter || body && body.retryAfter);
    if (retryAfter > 0) e.retryAfter = retryAfter;
    return e;
  }

  /** True for fetch's own failures (network down, CORS refused), as opposed to an HTTP answer. */
  function isNetwork(err) {
    return !!err && err.name === 'TypeError';
  }

  function isAuth(err) {
    return !!AUTH_CODES[err.code] || err.status === 401 || err.status === 403 || err.status === 404;
  }

  /** Directory of the <script> this file is being loaded from, without trailing slash; '' when unknown. */
  function scriptBase(g) {
    var s = g.document && g.document.currentScript, src = s && s.src;
    return src && /^https?:/i.test(src) ? src.replace(/\/[^\/]*([?#].*)?$/, '') : '';
  }

  /** Storage wrapper that never throws (private modes, sandboxed frames, quota). */
  function store(s) {
    return {
      get: function (k) { try { return s ? s.getItem(k) : null; } catch (e) { return null; } },
      set: function (k, v) { try { if (s) s.setItem(k, v); } catch (e) { /* not persisted */ } },
      remove: function (k) { try { if (s) s.removeItem(k); } catch (e) { /* ignore */ } }
    };
  }

  function read(g, name) {
    try { return g[name]; } catch (e) { return undefined; }
  }

  /** The browser behind the library. Every entry can be replaced through options.env (tests do). */
  function defaultEnv(g) {
    var c = g.crypto, buf = c && c.getRandomValues && new Uint32Array(1);
    return {
      global: g, window: g, document: g.document, location: g.location,
      setTimeout: function (fn, ms) { return g.setTimeout(fn, ms); },
      clearTimeout: function (t) { g.clearTimeout(t); },
      fetch: g.fetch && function (url, init) { return g.fetch(url, init); }, // unbound fetch is an Illegal invocation
      sendBeacon: g.navigator && g.navigator.sendBeacon && function (url, data) { return g.navigator.sendBeacon(url, data); },
      WebSocket: g.WebSocket, EventSource: g.EventSource,
      BroadcastChannel: g.BroadcastChannel, AbortController: g.AbortController, SharedWorker: g.SharedWorker,
      locks: g.navigator && g.navigator.locks,
      visible: function () { return !g.document || g.document.visibilityState !== 'hidden'; },
      onVisibilityChange: function (fn) {
        if (g.document && g.document.addEventListener) g.document.addEventListener('visibilitychange', fn);
      },
      localStorage: read(g, 'localStorage'), sessionStorage: read(g, 'sessionStorage'),
      random: buf ? function () { c.getRandomValues(buf); return buf[0] / 4294967296; } : Math.random,
      now: function () { return Date.now(); },
      reloaded: function () { // a reload is the same tab: never a duplicate of whoever answers for its channel
        var p = g.performance, n = p && p.getEntriesByType && p.getEntriesByType('navigation')[0];
        return !!n && n.type === 'reload';
      },
      pageId: PAGE_ID
    };
  }

  /** Delay before retry n (1-based): retryDelay doubling up to maxRetryDelay, half fixed and half random ("equal jitter"). */
  function backoff(n, o, random) {
    var cap = Math.min(o.maxRetryDelay, o.retryDelay * Math.pow(2, Math.min(n - 1, 30)));
    return Math.round(cap / 2 + random() * cap / 2);
  }

  // ---- HTTP and JSONP --------------------------------------------------

  /**
   * fetch that resolves with the parsed JSON answer (or its text when not JSON) and rejects on
   * HTTP errors with answerError(). Network and CORS failures reject with fetch's TypeError.
   */
  function httpJson(env, method, url, opts) {
    var init = { method: method, headers: {} };
    if (opts.signal) init.signal = opts.signal;
    if (opts.key) init.headers.Authorization = 'Bearer ' + opts.key;
    if (opts.body != null) { init.body = opts.body; init.headers['Content-Type'] = opts.type; }
    return env.fetch(url, init).then(function (res) {
      return res.text().then(function (text) {
        var body = parseJson(text);
        if (res.ok) return body === undefined ? text : body;
        throw answerError(body, res.status, res.headers && res.headers.get && res.headers.get('Retry-After'));
      });
    });
  }

  /**
   * GET url with params and callback=Addressable._cb.<id> through a <script> tag. Resolves with the
   * object the relay passes to the callback when its "status" is 2xx (or absent); rejects with its
   * error, when the script fails to load or never calls back, or after timeoutMs.
   */
  function jsonp(env, url, params, timeoutMs) {
    return new Promise(function (resolve, reject) {
      var g = env.global, ns = g.Addressable || (g.Addressable = api), reg = ns._cb || (ns._cb = {});
      var id = 'c' + (++cbSeq) + 'x' + Math.floor(env.random() * 1e9).toString(36);
      var doc = env.document, script = doc.createElement('script'), done = false;
      var where = url.replace(/[?#].*$/, '');
      var timer = env.setTimeout(function () { finish(fail('timeout', 'no answer from ' + where)); }, timeoutMs);
      function finish(err, value) {
        if (done) return;
        done = true;
        env.clearTimeout(timer);
        reg[id] = noop; // a late script may still call it
        if (err) reject(err); else resolve(value);
      }
      reg[id] = function (ans) {
        var status = ans && ans.status;
        if (status && (status < 200 || status > 299)) finish(answerError(ans, status));
        else finish(null, ans);
      };
      script.onload = script.onerror = function (ev) {
        delete reg[id];
        script.onload = script.onerror = null;
        if (script.parentNode) script.parentNode.removeChild(script);
        var failed = ev && ev.type === 'error';
        finish(fail(failed ? 'script_error' : 'no_callback', (failed ? 'script failed: ' : 'no callback from ') + where));
      };
      script.async = true;
      var query = qs(params);
      script.src = url + (url.indexOf('?') < 0 ? '?' : '&') + (query ? query + '&' : '') + 'callback=Addressable._cb.' + id;
      (doc.head || doc.documentElement).appendChild(script);
    });
  }

  // ---- identity and channel ----------------------------------------------

  function identityKey(s) { return 'addressable.client@' + s.relay; }
  function cursorKey(s) { return 'addressable.cursor@' + s.relay + '#' + s.channel; }

  /** {client, key} this origin's tabs share for the relay, or null. */
  function loadIdentity(s) {
    var idn = parseJson(store(s.env.localStorage).get(identityKey(s)));
    return idn && idn.client && idn.key ? idn : null;
  }

  /** Throws a RangeError naming the bad value unless name is 1-64 chars of [A-Za-z0-9_-]. */
  function checkChannel(name) {
    if (typeof name !== 'string' || !CHANNEL_RE.test(name)) {
      throw new RangeError('channel must be 1-64 chars of [A-Za-z0-9_-]: ' + JSON.stringify(name));
    }
    return name;
  }

  /**
   * This tab's channel. window.name is used when it is a valid channel name, and written with a new
   * one when empty, so a reload keeps the address. A window.name the app uses for something else is
   * left alone; the channel then lives in sessionStorage. fresh = true replaces the channel (duplicated tab).
   */
  function tabChannel(env, fresh) {
    var w = env.window || {}, name = w.name || '', ss = store(env.sessionStorage), key = 'addressable.channel';
    var made = 't' + randomId(env.random, 10);
    if (!name || CHANNEL_RE.test(name)) {
      if (name && !fresh) return name;
      w.name = made;
      return made;
    }
    var kept = ss.get(key);
    if (kept && CHANNEL_RE.test(kept) && !fresh) return kept;
    ss.set(key, made);
    return made;
  }

  // ---- duplicate-tab guard -------------------------------------------------

  /**
   * Tells a duplicated tab (browsers copy window.name and sessionStorage) from its original. With
   * Web Locks, a tab holds lock addressable.v1.chan.<ch>@<relay> while it uses ch: check(ch, cb)
   * asks for it and, over BroadcastChannel, asks the other tabs too. It calls cb(true) as soon as a
   * live tab claims ch, or when the lock stays held for LOCK_WAIT ms (by a tab too busy to answer),
   * and cb(false) once it holds the lock. A reloading tab's old document never answers but may let
   * go of the lock late, hence the long wait. Without Web Locks, check asks the other tabs and
   * calls cb(true) when a live tab claims ch within DUP_WAIT ms. claim(ch) holds ch's lock and
   * answers for ch from then on (except between hush() and unhush()); when an older tab turns out
   * to hold the same channel, onConflict() is called and the younger tab moves. Without either it
   * never reports a duplicate. Servers of one page share their channel.
   */
  function TabGuard(env, relay, onConflict) {
    var self = this, BC = env.BroadcastChannel;
    this.env = env;
    this.relay = relay;
    this.locks = env.locks && env.locks.request ? env.locks : null;
    this.me = env.pageId || PAGE_ID;
    this.onConflict = onConflict;
    this.ch = this.asking = null;
    this.bc = BC ? new BC('addressable@' + relay) : null;
    if (this.bc) this.bc.onmessage = function (e) { self.hear(e.data || {}); };
  }

  TabGuard.prototype.check = function (ch, cb) {
    var self = this, reloaded = this.env.reloaded && this.env.reloaded();
    if (this.locks) {
      if (heldHere[this.me + ' ' + ch]) return cb(false);
      this.onTaken = this.lock(ch, function (got) { self.asking = self.onTaken = null; cb(!got); });
      return reloaded ? null : this.ask(ch);
    }
    if (!this.bc || reloaded) return cb(false); // a reload is its own tab; claim() still settles a clash by age
    this.ask(ch);
    this.env.setTimeout(function () { self.asking = null; cb(self.taken); }, DUP_WAIT);
  };

  /** Asks the other tabs over BroadcastChannel whether one of them uses ch; a 'here' answer sets taken. */
  TabGuard.prototype.ask = function (ch) {
    if (!this.bc) return;
    this.asking = ch;
    this.taken = false;
    this.bc.postMessage({ t: 'who', ch: ch, from: this.me });
  };

  TabGuard.prototype.claim = function (ch) {
    this.ch = ch;
    this.since = this.env.now();
    if (ch) this.say();
    if (this.locks && (!this.held || this.held.ch !== ch)) {
      this.unlock();
      if (ch && !heldHere[this.me + ' ' + ch]) this.lock(ch, noop);
    }
  };

  /**
   * Asks for ch's lock, held until unlock(); done(true) once held, done(false) when it stays taken
   * for LOCK_WAIT ms or the returned function gives up on it.
   */
  TabGuard.prototype.lock = function (ch, done) {
    var self = this, env = this.env, AC = env.AbortController, stop = AC ? new AC() : null, over = false;
    var timer = env.setTimeout(giveUp, LOCK_WAIT);
    function finish(got) { if (!over) { over = true; env.clearTimeout(timer); done(got); } }
    function giveUp() { if (!over) { finish(false); if (stop) stop.abort(); } }
    this.locks.request(hubName(this.relay, 'chan.' + ch), stop ? { signal: stop.signal } : {}, function () {
      if (over || self.closed) return null; // too late: let go at once
      return new Promise(function (release) {
        self.unlock();
        self.held = { ch: ch, release: release };
        heldHere[self.me + ' ' + ch] = true;
        finish(true);
      });
    }).catch(noop);
    return giveUp;
  };

  TabGuard.prototype.unlock = function () {
    var h = this.held;
    this.held = null;
    if (h) { delete heldHere[this.me + ' ' + h.ch]; h.release(); }
  };

  TabGuard.prototype.say = function () {
    if (this.bc) this.bc.postMessage({ t: 'here', ch: this.ch, from: this.me, since: this.since });
  };

  TabGuard.prototype.hear = function (m) {
    if (m.from === this.me || this.hushed) return; // another Server in this same page; a page going away
    if (m.t === 'who' && m.ch === this.ch) this.say();
    else if (m.t === 'here' && m.ch === this.asking) {
      this.taken = true;
      if (this.onTaken) this.onTaken(); // a live tab uses it: no need to wait for its lock
    } else if (m.t === 'here' && this.ch && m.ch === this.ch) {
      if (m.since < this.since || (m.since === this.since && m.from < this.me)) this.onConflict();
      else this.say(); // we are older: tell the newcomer
    }
  };

  /** The page is going (pagehide): it hears and answers nothing until unhush() (pageshow from the cache). */
  TabGuard.prototype.hush = function () {
    this.hushed = true;
  };

  TabGuard.prototype.unhush = function () {
    this.hushed = false;
  };

  TabGuard.prototype.close = function () {
    this.closed = true;
    this.unlock();
    if (this.bc) { this.bc.onmessage = null; this.bc.close(); }
    this.ch = null;
  };

  // ---- page lifecycle ------------------------------------------------------------
  // A tab that closes or navigates away says so: on pagehide a started server sends POST /leave
  // {client, channel, key} as a beacon, which outlives the page, and the relay reports the channel
  // offline at once rather than after its online grace. No unload or beforeunload handler: those
  // keep a page out of the back/forward cache. A page that may go into that cache (pagehide with
  // persisted) also leaves the shared hub: a cached page keeps its Web Locks, so a leader would
  // starve the other tabs until their stall limit, and a BroadcastChannel message evicts it. A page
  // restored from the cache (pageshow with persisted) connects again at once, as a new follower.

  /** Listens to the page's pagehide and pageshow for this server, once; they act only while it is started. */
  function watchPage(s) {
    var w = s.env.window;
    if (s._pageWatched || !w || typeof w.addEventListener !== 'function') return;
    s._pageWatched = true;
    w.addEventListener('pagehide', function (e) {
      if (!s._started) return;
      sendLeave(s);
      if (s._guard) s._guard.hush(); // a reloaded document must not take this one for the original of a duplicate
      if (e && e.persisted && s._peer) { s._peer.close(); s._peer = null; } // bye, locks released, channels closed
    });
    w.addEventListener('pageshow', function (e) {
      if (!e || !e.persisted || !s._started) return;
      if (s._guard) s._guard.unhush();
      s._move();
    });
  }

  /**
   * Tells the relay this tab leaves: nothing before the tab has its address, or on file: pages.
   * Never throws: the page is going away.
   */
  function sendLeave(s) {
    var loc = s.env.location;
    if (!s.client || !s.channel || !s._key || (loc && loc.protocol === 'file:')) return;
    tellLeave(s.env, s.relay, { client: s.client, channel: s.channel, key: s._key }, s._fetchOk());
  }

  /**
   * POST /leave {client, channel, key}: navigator.sendBeacon with a form (no headers, so the key is
   * a field), else a keepalive fetch when fetchOk; both outlive the page. Never throws.
   */
  function tellLeave(env, relay, fields, fetchOk) {
    var url = relay + '/leave';
    try {
      if (env.sendBeacon && typeof URLSearchParams === 'function' && env.sendBeacon(url, new URLSearchParams(fields))) return;
      if (fetchOk) {
        env.fetch(url, { method: 'POST', keepalive: true, body: qs(fields),
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }).then(noop, noop);
      }
    } catch (e) { /* nobody left to tell */ }
  }

  // ---- transports ------------------------------------------------------------
  // A transport is {name, supported(server), watchdog(options), open(server, sink)}. open() returns
  // {close(), ack(cursor, channel), changed()} and reports through the sink: open() once established,
  // alive() on any frame, batch({messages, cursor, missed, channel}) on data, refused(channel, err)
  // when a hub's channel cannot be read, fail(err) once. The Server ignores a sink whose attempt
  // has ended, so transports need no state of their own beyond their socket. A hub's connection
  // (s._hub set) carries several channels: changed() tells the transport its list of channels changed.

  function receiveParams(s, withKey) {
    var key = withKey ? s._key : null;
    if (s._hub) return { client: s.client, key: key, hub: s._hub.term, channels: s._hub.list(false) };
    return { client: s.client, channel: s.channel, cursor: s.cursor, key: key };
  }

  function streamWatchdog(o) { return o.heartbeatTimeout; }
  function pollWatchdog(o) { return o.pollTimeout * 1000 + POLL_SLACK; }

  /** Turns one relay frame (message, missed marker, unsubscribed topics) into a batch for the sink. */
  function frameBatch(f, cursor) {
    return {
      messages: 'seq' in f || 'data' in f ? [f] : [], missed: !!f.missed, cursor: f.cursor || cursor,
      unsubscribed: f.unsubscribed, channel: f.channel
    };
  }

  /** POST /ack for receivers that cannot confirm on their connection: one in flight, the latest cursor next. */
  function ackPoster(s) {
    var busy = {}, next = {};
    function post(channel, cursor) {
      busy[channel] = true;
      var body = JSON.stringify({ client: s.client, channel: channel, cursor: cursor });
      httpJson(s.env, 'POST', s.relay + '/ack', { key: s._key, type: 'application/json', body: body })
        .then(noop, noop)
        .then(function () {
          busy[channel] = false;
          var c = next[channel];
          if (c) { delete next[channel]; post(channel, c); }
        });
    }
    return function (cursor, channel) {
      channel = channel || s.channel;
      if (!s._fetchOk()) return;
      if (busy[channel]) next[channel] = cursor; else post(channel, cursor);
    };
  }

  var websocket = {
    name: 'websocket',
    supported: function (s) { return !!s.env.WebSocket; },
    watchdog: streamWatchdog,
    open: function (s, sink) {
      var ws = new s.env.WebSocket(s.relay.replace(/^http/i, 'ws') + '/ws?' + qs(receiveParams(s, true)));
      var joined = s._hub ? s._hub.list(true) : null; // a hub's channels as the URL gave them
      if (s._hub) s._hub.takeRejoins(); // the URL carries their cursors
      function say(frame) {
        try { if (ws.readyState === 1) ws.send(JSON.stringify(frame)); } catch (e) { /* dropping */ }
      }
      ws.onopen = function () {
        sink.open();
        if (s._hub) changed(); // channels that came or went while it opened
      };
      ws.onmessage = function (e) {
        sink.alive();
        var f = parseJson(e.data);
        if (!f || typeof f !== 'object') sink.fail(fail('bad_frame', 'unreadable WebSocket frame'));
        else if (f.error && f.channel) sink.refused(f.channel, answerError(f, f.status));
        else if (f.error) sink.fail(answerError(f));
        else if (!('heartbeat' in f)) sink.batch(frameBatch(f));
      };
      /** Joins and leaves, in band, what differs between the hub's list and what this socket carries. */
      function changed() {
        if (ws.readyState !== 1) return;
        var now = s._hub.list(true), again = s._hub.takeRejoins();
        for (var name in now) if (!(name in joined) || again[name]) say({ join: name, cursor: now[name] || null });
        for (name in joined) if (!(name in now)) say({ leave: name });
        joined = now;
      }
      ws.onerror = ws.onclose = function (e) {
        sink.fail(fail('closed', 'WebSocket closed' + (e && e.code ? ' (' + e.code + ')' : '')));
      };
      return {
        close: function () {
          ws.onopen = ws.onmessage = ws.onerror = ws.onclose = null;
          try { ws.close(); } catch (e) { /* already closed */ }
        },
        ack: function (cursor, channel) { say(channel ? { ack: cursor, channel: channel } : { ack: cursor }); },
        changed: changed
      };
    }
  };

  var sse = {
    name: 'sse',
    supported: function (s) { return !!s.env.EventSource; },
    watchdog: streamWatchdog,
    open: function (s, sink) {
      var es, opened = false;
      function onData(e) {
        sink.alive();
        var f = parseJson(e.data);
        if (f && typeof f === 'object') sink.batch(frameBatch(f, e.lastEventId));
        else sink.fail(fail('bad_frame', 'unreadable event'));
      }
      function onHub(e) {
        var f = parseJson(e.data) || {};
        if (e.type === 'refused') sink.refused(f.channel, answerError(f));
        else sink.fail(answerError(f.error ? f : { error: 'superseded' }));
      }
      function stop() {
        if (es) { es.onopen = es.onmessage = es.onerror = null; es.close(); }
      }
      /** (Re)opens the stream: a hub joins and leaves channels by opening it again with its new list. */
      function start() {
        stop();
        es = new s.env.EventSource(s.relay + '/events?' + qs(receiveParams(s, true)));
        opened = false;
        es.onopen = function () { opened = true; sink.open(); };
        es.onmessage = onData;
        es.addEventListener('missed', onData);
        es.addEventListener('unsubscribed', onData);
        es.addEventListener('heartbeat', function () { sink.alive(); });
        es.addEventListener('refused', onHub);
        es.addEventListener('superseded', onHub);
        // EventSource would reconnect by itself; the Server owns retries so backoff and cursor stay in its hands.
        // Closed for good (readyState 2) before it opened: the relay refused it; anything else is a lost stream.
        es.onerror = function () {
          sink.fail(opened || es.readyState !== 2 ? fail('closed', 'event stream failed or closed') : refusedStream());
        };
      }
      start();
      return { close: stop, ack: ackPoster(s), changed: start };
    }
  };

  /**
   * An event stream closed for good before it opened: the relay answered with an error status, which
   * EventSource does not show. Most likely 429 too_many_polls (this browser's tabs hold as many polls
   * and streams as the relay lets one client hold): the next transport (long-poll) takes over at once,
   * and reads the reason itself if it is another.
   */
  function refusedStream() {
    var e = fail('stream_refused', 'the relay refused the event stream');
    e.nextTransport = true;
    return e;
  }

  /**
   * The pause before the next poll that a poll answer asks for with "interval" (ms; a relay holding
   * as many polls of this client as it allows says 2000), at most MAX_POLL_PAUSE; 0 for none or garbage.
   */
  function pollPause(ans) {
    var ms = ans && ans.interval;
    return typeof ms === 'number' && ms >= 1 ? Math.min(Math.floor(ms), MAX_POLL_PAUSE) : 0;
  }

  /**
   * Long-poll loop shared by fetch and JSONP: poll, deliver, poll again at once with the new cursor
   * (or after the answer's "interval").
   * Until the relay has answered once, polls ask for an immediate answer (timeout=0), so the
   * attempt counts as open as soon as the relay accepts it, not pollTimeout later when an idle poll
   * would come back (a hub's first poll is often called off for a new list as tabs say hello).
   */
  function poller(name, supported, get) {
    return {
      name: name,
      supported: supported,
      watchdog: pollWatchdog,
      open: function (s, sink) {
        var closed = false, answered = false, round = 0, abort = null, pause = null;
        function next() {
          var mine = ++round, AC = s.env.AbortController;
          var p = receiveParams(s, false);
          p.timeout = answered ? s.options.pollTimeout : 0;
          abort = AC ? new AC() : null;
          get(s, p, abort && abort.signal).then(function (ans) {
            if (closed || mine !== round) return; // called off, or a newer poll took over
            answered = true;
            sink.open();
            sink.alive();
            if (s._hub) hubAnswer(ans || {}); else sink.batch(ans || {});
            if (closed || mine !== round) return;
            var ms = pollPause(ans);
            if (ms) pause = s.env.setTimeout(function () { pause = null; if (!closed && mine === round) next(); }, ms);
            else next();
          }, function (err) {
            if (!closed && mine === round) sink.fail(err);
          });
        }
        function unpause() {
          if (pause != null) s.env.clearTimeout(pause);
          pause = null;
        }
        function hubAnswer(ans) {
          var channels = ans.channels || {};
          for (var name in channels) {
            var c = channels[name] || {};
            if (c.error) sink.refused(name, answerError(c, c.status));
            else sink.batch({ channel: name, messages: c.messages, cursor: c.cursor, missed: !!c.missed, unsubscribed: c.unsubscribed });
            if (closed) return;
          }
        }
        next();
        return {
          close: function () { closed = true; if (abort) abort.abort(); unpause(); },
          ack: noop,
          // A hub's list changed: poll again with it at once (the relay answers the parked poll of the same term).
          changed: function () { if (!closed) { if (abort) abort.abort(); unpause(); next(); } }
        };
      }
    };
  }

  var longpoll = poller('longpoll', function (s) { return s._fetchOk(); }, function (s, p, signal) {
    return httpJson(s.env, 'GET', s.relay + '/poll?' + qs(p), { key: s._key, signal: signal });
  });

  var jsonpPoll = poller('jsonp', function (s) { return !!s.env.document; }, function (s, p) {
    p.key = s._key;
    return jsonp(s.env, s.relay + '/poll', p, pollWatchdog(s.options));
  });

  var REGISTRY = { websocket: websocket, sse: sse, longpoll: longpoll, jsonp: jsonpPoll };

  // ---- shared connection ---------------------------------------------------------
  // All tabs of one browser share one relay connection (docs/protocol.md, "Hub receive"). Each tab
  // still connects (/connect) for its own address and keeps its own cursor; one hub receives for
  // every tab's channel and hands each tab its messages. By default the hub runs in the tab that
  // holds the Web Lock "addressable.v1.hub@<relay>" (the leader), which talks to the others over
  // BroadcastChannel. When the leader closes, crashes or navigates, the browser gives the lock to
  // another tab, which takes a higher term and connects again from the cursors the tabs hold: what
  // the old hub got but a tab never processed is read again, and each tab's per-source seq de-dup
  // drops what it already had. A site that serves a worker script of its own (workerUrl) runs the
  // hub in a SharedWorker instead, so no tab leads; tabs talk to it over a MessagePort.

  function hubName(relay, kind) { return 'addressable.v1.' + kind + '@' + relay; }

  /** Whether this page can share: Web Locks (secure contexts only), and BroadcastChannel or the site's SharedWorker. */
  function canShare(s) {
    return s.options.shared !== false && !!(s.env.locks && s.env.locks.request) && (!!s.env.BroadcastChannel || canWork(s));
  }

  /**
   * Whether the hub runs in the site's SharedWorker: the app gave workerUrl, the browser has
   * SharedWorker, and the tab may use a transport a worker has (JSONP needs a document).
   */
  function canWork(s) {
    var t = s.options.transports, some = !t || t.some(function (n) { return n !== 'jsonp'; });
    return s.options.shared !== false && !!s.options.workerUrl && !!s.env.SharedWorker && !s._noWorker && some;
  }

  /** The options a worker's hub takes from the tabs: plain values only (a MessagePort clones data, not functions). */
  var HUB_OPTIONS = ['transports', 'heartbeatTimeout', 'pollTimeout', 'retryDelay', 'maxRetryDelay'];

  /**
   * One tab's side of the shared connection: it asks for the hub's lock (leading when granted),
   * tells the hub which channel it reads from where (hello), takes its deliveries, and acks them.
   * In worker mode it only talks to the worker, which runs the hub. Messages carry v (the tab-hub
   * contract's version) and the hub's term; a tab drops what an older term sends.
   */
  function Peer(server, worker) {
    var self = this, env = server.env;
    this.server = server;
    this.env = env;
    this.tab = randomId(env.random, 12);
    this.term = 0;
    this.heard = 0;
    this.hubId = null;
    this.closed = false;
    this.worker = !!worker;
    function hear(e) { self.hear(e.data || {}); }
    if (worker) {
      this.attach(worker);
    } else {
      this.ctl = new env.BroadcastChannel(hubName(server.relay, 'hub'));
      this.own = new env.BroadcastChannel(hubName(server.relay, 'tab.' + this.tab));
      this.ctl.onmessage = this.own.onmessage = hear;
    }
    // Held for this document's life: the hub waits for it, and its grant means the tab is gone
    // (closed, crashed, navigated away), however it went. The tab speaks only once it holds it:
    // the hub's request, made on hearing the tab, could otherwise reach the browser's lock
    // manager first and take the tab for gone.
    env.locks.request(hubName(server.relay, 'tab.' + this.tab), function () {
      return new Promise(function (release) {
        self.releaseLife = release;
        if (self.closed) return release();
        if (!self.worker) self.queue();
        self.hello();
        self.awaitHub(false);
      });
    });
    this.watch();
    if (env.onVisibilityChange) env.onVisibilityChange(function () { self.visibilityChanged(); });
  }

  /**
   * Gives the hub HUB_WAIT from this tab's hello to answer, then connects alone; once more while a
   * tab holds the hub's lock: a leader on a loaded machine answers late, and a tab that went solo
   * keeps a connection of its own for its life.
   */
  Peer.prototype.awaitHub = function (again) {
    var self = this, env = this.env, server = this.server;
    function unanswered() { return !self.closed && !self.heard && !self.hub; }
    env.clearTimeout(this.waitForHub);
    this.waitForHub = env.setTimeout(function () {
      if (!unanswered()) return;
      if (again || !env.locks.query) return server._goSolo();
      var hub = hubName(server.relay, 'hub');
      env.locks.query().then(function (state) {
        var led = ((state && state.held) || []).some(function (lock) { return lock.name === hub; });
        if (unanswered()) { if (led) self.awaitHub(true); else server._goSolo(); }
      }, function () { if (unanswered()) server._goSolo(); });
    }, HUB_WAIT);
  };

  /** Talks to the hub through this SharedWorker's port. */
  Peer.prototype.attach = function (worker) {
    var self = this;
    worker.onerror = function () { if (!self.closed && !self.heard) self.noWorker(); }; // it did not load
    this.ctl = this.own = worker.port;
    worker.port.onmessage = function (e) { if (self.ctl === worker.port) self.hear(e.data || {}); };
    worker.port.start();
  };

  /**
   * The worker went quiet (the browser ended it: a crash, or a restart it did not tell): this tab
   * opens it again, which starts a fresh one if it is gone, and says hello. A fresh worker takes a
   * higher term, which supersedes a zombie's connection at the relay.
   */
  Peer.prototype.reattach = function () {
    var s = this.server, worker = s._startWorker();
    if (!worker) return;
    this.heard = this.env.now();
    try { this.ctl.close(); } catch (e) { /* gone */ }
    this.attach(worker);
    this.hello();
  };

  /** The worker script failed (missing, not same-origin, refused by CSP): share through a leader tab, if the page can. */
  Peer.prototype.noWorker = function () {
    var s = this.server;
    s._noWorker = true;
    if (!canShare(s)) return s._goSolo();
    this.close();
    s._peer = null;
    s._receive();
  };

  Peer.prototype.isVisible = function () {
    return !this.env.visible || this.env.visible();
  };

  /** A leader hidden for long hands over; a follower tells the hub, and checks for a stalled hub now. */
  Peer.prototype.visibilityChanged = function () {
    if (this.closed) return;
    if (this.hub) return this.planHandover();
    this.post(this.ctl, { t: 'visible', tab: this.tab, visible: this.isVisible() });
    this.checkStall();
  };

  /**
   * Leadership follows visibility: hidden pages are throttled and, on mobile and under energy
   * saving, frozen with their lock held. A leader hidden for HANDOVER_AFTER asks a visible
   * follower to take over, which it does by stealing the lock (a new term).
   */
  Peer.prototype.planHandover = function () {
    var self = this, env = this.env;
    if (!this.hub || this.isVisible()) {
      env.clearTimeout(this.handoverTimer);
      this.handoverTimer = null;
      return;
    }
    if (this.handoverTimer) return;
    this.handoverTimer = env.setTimeout(function () {
      self.handoverTimer = null;
      if (!self.hub || self.isVisible()) return;
      var to = null;
      for (var tab in self.hub.visibleTabs) if (self.hub.visibleTabs[tab]) to = tab;
      if (to) self.post(self.ctl, { t: 'handover', term: self.hub.term, tab: to });
      else self.planHandover(); // nobody to take it yet: ask again later
    }, HANDOVER_AFTER);
  };

  Peer.prototype.post = function (to, msg) {
    msg.v = 1;
    try { to.postMessage(msg); } catch (e) { /* closed */ }
  };

  /** Waits in line for the hub's lock; when granted, this tab leads until it steps down or closes. */
  Peer.prototype.queue = function (steal) {
    var self = this, AC = this.env.AbortController, opts = {};
    this.asking = AC ? new AC() : null;
    if (this.asking && !steal) opts.signal = this.asking.signal;
    if (steal) opts.steal = true;
    this.env.locks.request(hubName(this.server.relay, 'hub'), opts, function () {
      if (self.closed) return null;
      return new Promise(function (release) { self.lead(release); });
    }).catch(function (e) {
      // AbortError: the lock was stolen (this leader was frozen or stalled) or the request called off.
      if (self.hub) self.stepDown();
    });
  };

  Peer.prototype.lead = function (release) {
    var env = this.env, key = hubName(this.server.relay, 'term'), kept = +store(env.localStorage).get(key) || 0;
    var term = Math.max(kept + 1, this.term + 1, env.now());
    store(env.localStorage).set(key, String(term));
    this.term = term;
    this.release = release;
    this.server.mode = 'leader';
    this.outs = {};
    this.hub = new Hub(this.host(), term);
    this.hub.hello({ tab: this.tab, channel: this.server.channel, cursor: this.server.cursor });
    this.hub.conn._startHub(); // its first connection already carries this tab's channel
    this.post(this.ctl, { t: 'whoareyou', term: term });
    this.planHandover(); // a tab hidden when the lead came to it passes it on
  };

  /** What a leader's hub needs of its page: this tab's server, and a BroadcastChannel to each other tab. */
  Peer.prototype.host = function () {
    var self = this, s = this.server, BC = this.env.BroadcastChannel;
    return {
      env: this.env, relay: s.relay, client: s.client, key: s._key, noFetch: s._noFetch, options: s.options, own: this.tab,
      toTab: function (tab, msg) {
        if (tab === self.tab) return self.hear(assign({ v: 1 }, msg));
        var out = self.outs[tab] || (self.outs[tab] = new BC(hubName(s.relay, 'tab.' + tab)));
        self.post(out, msg);
      },
      toAll: function (msg) { self.post(self.ctl, msg); },
      forget: function (tab) { if (self.outs[tab]) { self.outs[tab].close(); delete self.outs[tab]; } },
      showState: function (transport, state) { s.transport = transport; s._setState(state); },
      report: function (err) { s._report(err); },
      visibleChanged: function () { self.planHandover(); },
      superseded: function () { self.stepDown(); }
    };
  };

  /** Stops running the hub: its connection, its channels to the tabs and the lead. */
  Peer.prototype.dropHub = function () {
    var hub = this.hub, release = this.release;
    this.hub = this.release = null;
    this.env.clearTimeout(this.handoverTimer);
    this.handoverTimer = null;
    if (hub) hub.stop();
    for (var tab in this.outs) this.outs[tab].close();
    this.outs = {};
    if (release) release();
  };

  /** Another tab leads now (this one was superseded or its lock stolen): it becomes a follower. */
  Peer.prototype.stepDown = function () {
    this.dropHub();
    if (this.closed) return;
    this.server.mode = 'follower';
    this.heard = this.env.now();
    this.queue();
    this.hello();
  };

  Peer.prototype.hello = function () {
    var s = this.server;
    var msg = { t: 'hello', tab: this.tab, channel: s.channel, cursor: s.cursor, term: this.term, visible: this.isVisible() };
    if (this.worker) {
      // The worker has no storage of its own: it learns the relay and the identity from the tabs.
      msg.relay = s.relay;
      msg.client = s.client;
      msg.key = s._key;
      msg.options = {};
      HUB_OPTIONS.forEach(function (k) { if (s.options[k] != null) msg.options[k] = s.options[k]; });
    }
    if (this.hub) this.hub.hello(msg); else this.post(this.ctl, msg);
  };

  /** This tab processed its messages up to cursor: the hub may confirm them to the relay. */
  Peer.prototype.ack = function (cursor) {
    var msg = { t: 'ack', tab: this.tab, channel: this.server.channel, cursor: cursor };
    if (this.hub) this.hub.ack(msg); else this.post(this.ctl, msg);
  };

  Peer.prototype.hear = function (m) {
    if (m.v !== 1 || this.closed) return;
    var s = this.server;
    if (m.t === 'hello' || m.t === 'ack' || m.t === 'bye' || m.t === 'visible') {
      if (this.hub) this.hub[m.t](m);
      return;
    }
    if (typeof m.term !== 'number' || m.term < this.term) return; // a zombie hub's
    this.term = m.term;
    if (m.t === 'whoareyou') {
      this.hubId = null; // the hello answers whichever hub asked: its next state names it
      if (this.hub && m.term > this.hub.term) this.stepDown();
      else this.hello();
    } else if (m.t === 'state' && !this.hub) {
      this.heard = this.env.now();
      if (this.hubId && m.hub !== this.hubId) this.hello(); // a hub that started afresh: it may not know this tab
      this.hubId = m.hub;
      s.transport = m.transport;
      s._setState(m.state === 'open' ? 'open' : s._ever ? 'reconnecting' : 'connecting');
      if (m.state === 'open') s._ever = true;
    } else if (m.t === 'deliver' && m.channel === s.channel) {
      s._fromHub(m);
    } else if (m.t === 'refused' && m.channel === s.channel) {
      s._refused(answerError(m, m.status));
    } else if (m.t === 'handover' && m.tab === this.tab && !this.hub && this.isVisible()) {
      this.steal();
    }
  };

  /**
   * A visible follower takes the lead when the hub has not heard the relay for hubStall ms (a
   * frozen or stuck leader); a visible worker tab opens the worker again.
   */
  Peer.prototype.watch = function () {
    var self = this;
    this.watcher = this.env.setTimeout(function () {
      if (self.closed) return;
      self.checkStall();
      self.watch();
    }, STALL_CHECK);
  };

  Peer.prototype.checkStall = function () {
    var s = this.server, limit = s.options.hubStall || s.options.heartbeatTimeout + 5000;
    if (this.hub || !this.heard || this.env.now() - this.heard <= limit || !this.isVisible()) return;
    if (this.worker) this.reattach(); else this.steal();
  };

  /** Takes the lead at once (a new term), whoever holds the lock: the holder learns it when it runs again. */
  Peer.prototype.steal = function () {
    this.heard = this.env.now();
    if (this.asking) this.asking.abort();
    this.queue(true);
  };

  /** The tab leaves (disconnect, pagehide): the hub stops carrying its channel; a leader lets go of the lead. */
  Peer.prototype.close = function () {
    if (this.closed) return;
    var msg = { t: 'bye', tab: this.tab, channel: this.server.channel };
    if (this.hub) this.hub.bye(msg); else this.post(this.ctl, msg);
    this.closed = true;
    this.env.clearTimeout(this.waitForHub);
    this.env.clearTimeout(this.watcher);
    if (this.asking) this.asking.abort();
    this.dropHub();
    if (this.releaseLife) this.releaseLife();
    this.ctl.onmessage = this.own.onmessage = null;
    this.ctl.close();
    if (this.own !== this.ctl) this.own.close();
  };

  /**
   * The hub, run by the leader tab or a SharedWorker (its host): one connection for every tab's
   * channel, with the library's transport ladder, backoff and watchdog (an internal Server in hub
   * mode). It joins a channel from the cursor its tab gives (hello), routes each batch to the
   * channel's tabs, and confirms to the relay only what a tab acked. Over long-poll a channel whose
   * last batch is not acked yet is left out of the next poll, so a tab that does not process
   * (frozen) is not read again and again. Its id changes whenever it starts afresh: a tab that
   * hears a new id in a state message says hello again, so a hub that lost its state (a restarted
   * worker) learns every channel back from the tabs.
   *
   * The host gives: env, relay, client, key, noFetch, options, own (the leader's tab id, or null),
   * toTab(tab, msg), toAll(msg), forget(tab), showState(transport, state), report(err),
   * visibleChanged() and superseded().
   */
  function Hub(host, term) {
    var self = this, o = assign({}, host.options);
    o.env = host.env;
    o.relay = host.relay;
    o.shared = false;
    this.host = host;
    this.env = host.env;
    this.term = term;
    this.id = randomId(host.env.random, 8);
    this.channels = {};
    this.known = {};
    this.watching = {};
    this.visibleTabs = {};
    this.rejoins = {};
    this.stateSent = 0;
    var conn = this.conn = new Server(o);
    conn._hub = this;
    conn.client = host.client;
    conn._key = host.key;
    conn._noFetch = host.noFetch;
    conn._deliver = function (b) { self.route(b); };
    conn._refused = function (err, channel) { self.refused(channel, err); };
    conn.onstatechange = function () { self.state(true); };
    conn.onerror = function (err) { if (err.code !== 'superseded' && err.code !== 'stale_term') host.report(err); };
  }

  /** The channels it carries with their cursors: as a map (streams), or as the relay's list (poll: only those acked). */
  Hub.prototype.list = function (asMap) {
    var map = {}, parts = [], polls = this.conn.transport === 'longpoll' || this.conn.transport === 'jsonp';
    for (var name in this.channels) {
      var c = this.channels[name];
      if (asMap) map[name] = c.acked || '';
      else if (!(polls && c.pending)) parts.push(name + (c.acked ? ':' + c.acked : ''));
    }
    return asMap ? map : parts.join(',');
  };

  /** The client the hub receives for: a hub connecting again (the relay restarted) keeps it. */
  Hub.prototype.identity = function () {
    return { client: this.host.client, key: this.host.key };
  };

  /** Channels a hello rewound since the last call: a stream joins them again from their cursors. */
  Hub.prototype.takeRejoins = function () {
    var taken = this.rejoins;
    this.rejoins = {};
    return taken;
  };

  Hub.prototype.changed = function () {
    var h = this.conn._handle;
    if (h && h.changed) h.changed();
  };

  Hub.prototype.visible = function (m) {
    if (!this.known[m.tab]) return this.ask(m.tab);
    this.visibleTabs[m.tab] = !!m.visible;
    this.host.visibleChanged();
  };

  Hub.prototype.hello = function (m) {
    this.known[m.tab] = true;
    this.watchTab(m.tab);
    if (m.tab !== this.host.own) this.visibleTabs[m.tab] = m.visible !== false;
    var c = this.channels[m.channel] || (this.channels[m.channel] = { tabs: {} });
    c.tabs[m.tab] = true;
    c.acked = m.cursor || c.acked; // a hello rewinds its channel to what the tab holds
    c.pending = false;
    this.rejoins[m.channel] = true;
    this.changed();
    this.state(true);
  };

  /** A tab this hub never heard say hello (it started afresh since): asks it who it is. */
  Hub.prototype.ask = function (tab) {
    this.host.toTab(tab, { t: 'whoareyou', term: this.term });
  };

  /**
   * Waits for a tab's lifetime lock: when it is granted, the tab is gone (closed, crashed,
   * discarded) and its channels leave, each with a POST /leave unless another tab reads it, since
   * a crashed tab said nothing.
   */
  Hub.prototype.watchTab = function (tab) {
    var self = this, env = this.env, AC = env.AbortController;
    if (tab === this.host.own || this.watching[tab]) return;
    var stop = this.watching[tab] = AC ? new AC() : { abort: noop };
    env.locks.request(hubName(this.host.relay, 'tab.' + tab), AC ? { signal: stop.signal } : {}, function () {
      delete self.watching[tab];
      if (self.stopped) return null;
      for (var name in self.channels) {
        if (self.channels[name].tabs[tab] && self.bye({ tab: tab, channel: name })) self.tellLeave(name);
      }
      delete self.known[tab];
      self.host.forget(tab);
      return null; // let go at once
    }).catch(noop); // called off when the hub stops
  };

  Hub.prototype.tellLeave = function (channel) {
    var h = this.host, fetchOk = !!this.env.fetch && !h.noFetch;
    tellLeave(this.env, h.relay, { client: h.client, channel: channel, key: h.key }, fetchOk);
  };

  /** A tab stops reading a channel; true when nobody reads it any more and it left the connection. */
  Hub.prototype.bye = function (m) {
    delete this.visibleTabs[m.tab];
    var c = this.channels[m.channel];
    if (!c) return false;
    delete c.tabs[m.tab];
    for (var any in c.tabs) return false; // another tab reads this channel too
    delete this.channels[m.channel];
    this.changed();
    return true;
  };

  Hub.prototype.ack = function (m) {
    if (!this.known[m.tab]) return this.ask(m.tab);
    var c = this.channels[m.channel];
    if (!c || !m.cursor) return;
    c.acked = m.cursor;
    var h = this.conn._handle;
    if (c.pending) { c.pending = false; this.changed(); } else if (h) h.ack(m.cursor, m.channel);
  };

  /** A batch for one channel: to each of its tabs. */
  Hub.prototype.route = function (b) {
    var c = this.channels[b.channel];
    if (!c) return;
    var polls = this.conn.transport === 'longpoll' || this.conn.transport === 'jsonp';
    if (polls) c.pending = true;
    var msg = {
      t: 'deliver', term: this.term, channel: b.channel, messages: b.messages || [], cursor: b.cursor,
      missed: !!b.missed, unsubscribed: b.unsubscribed
    };
    for (var tab in c.tabs) this.host.toTab(tab, msg);
    this.state(false);
  };

  Hub.prototype.refused = function (channel, err) {
    var c = this.channels[channel];
    if (!c) return;
    delete this.channels[channel];
    this.changed(); // the connection's view follows: a later hello joins it afresh
    var msg = { t: 'refused', term: this.term, channel: channel, error: err.code, message: err.message, status: err.status };
    for (var tab in c.tabs) this.host.toTab(tab, msg);
  };

  /** Tells the tabs how the hub's connection is, now if it changed, else at most once a second. */
  Hub.prototype.state = function (force) {
    var now = this.env.now(), st = this.conn.state;
    if (st === 'closed' || (!force && now - this.stateSent < 1000)) return; // not started, or said lately
    this.stateSent = now;
    this.host.showState(this.conn.transport, st);
    this.host.toAll({ t: 'state', term: this.term, hub: this.id, transport: this.conn.transport, state: st, at: now });
  };

  Hub.prototype.stop = function () {
    this.stopped = true;
    for (var tab in this.watching) this.watching[tab].abort();
    this.watching = {};
    this.conn.onstatechange = null;
    this.conn.disconnect();
  };

  // ---- worker mode ---------------------------------------------------------------

  /**
   * The hub's home in a SharedWorker. The site serves a worker of its own origin:
   *
   *   importScripts('https://relay.example/addressable.js');
   *   Addressable.startWorker();
   *
   * and its pages pass that file's URL as workerUrl. The worker has no storage of its own: the
   * first tab's hello brings the relay, the client and its key, and the tabs' terms. It runs the hub
   * under the same Web Lock as a leader tab would, so the two never run side by side, and it takes
   * a term above every term a tab reported. A tab that closes or crashes is noticed through its
   * lifetime lock (a MessagePort has no close event).
   */
  function WorkerHost(env) {
    this.env = env;
    this.ports = {};
    this.hellos = {};
    this.term = 0;
    this.hub = null;
    this.config = null;
  }

  WorkerHost.prototype.connect = function (port) {
    var self = this;
    port.onmessage = function (e) { self.hear(port, e.data || {}); };
    if (port.start) port.start();
    // Every new tab may be talking to a worker that restarted: tabs it never met say hello again.
    if (this.hub) this.post(port, { t: 'whoareyou', term: this.hub.term });
  };

  WorkerHost.prototype.post = function (port, msg) {
    msg.v = 1;
    try { port.postMessage(msg); } catch (e) { /* gone */ }
  };

  WorkerHost.prototype.hear = function (port, m) {
    if (m.v !== 1 || typeof m.tab !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(m.tab)) return;
    this.ports[m.tab] = port;
    if (typeof m.term === 'number' && m.term > this.term) this.term = m.term;
    if (m.t === 'hello') {
      if (typeof m.channel !== 'string' || typeof m.relay !== 'string') return;
      if (!this.config) this.start(m);
      if (m.relay !== this.config.relay) return; // the worker's name is per relay: not expected
      this.hellos[m.tab] = m;
      if (this.hub) this.hub.hello(m);
    } else if (m.t === 'bye') {
      delete this.hellos[m.tab];
      if (this.hub) this.hub.bye(m);
      delete this.ports[m.tab];
    } else if ((m.t === 'ack' || m.t === 'visible') && this.hub) {
      this.hub[m.t](m);
    }
  };

  /** The first hello: the hub waits for the lock, then runs for as long as the worker lives. */
  WorkerHost.prototype.start = function (m) {
    this.config = { relay: m.relay, client: m.client, key: m.key, options: m.options || {} };
    this.queue();
  };

  WorkerHost.prototype.queue = function () {
    var self = this;
    this.env.locks.request(hubName(this.config.relay, 'hub'), function () {
      return new Promise(function (release) { self.lead(release); });
    });
  };

  WorkerHost.prototype.lead = function (release) {
    var self = this, c = this.config, term = Math.max(this.term + 1, this.env.now());
    this.term = term;
    this.release = release;
    this.hub = new Hub({
      env: this.env, relay: c.relay, client: c.client, key: c.key, noFetch: false, options: c.options, own: null,
      toTab: function (tab, msg) { if (self.ports[tab]) self.post(self.ports[tab], msg); },
      toAll: function (msg) { self.each(function (port) { self.post(port, assign({}, msg)); }); },
      forget: function (tab) { delete self.ports[tab]; delete self.hellos[tab]; },
      showState: noop,
      report: noop, // the tabs hear the connection's state; errors are theirs to report
      visibleChanged: noop,
      superseded: function () { self.superseded(); }
    }, term);
    for (var tab in this.hellos) this.hub.hello(this.hellos[tab]);
    this.hub.conn._startHub();
    this.each(function (port) { self.post(port, { t: 'whoareyou', term: term }); });
  };

  /** Each port once (a tab's port is kept under its tab id). */
  WorkerHost.prototype.each = function (fn) {
    var seen = [];
    for (var tab in this.ports) {
      var port = this.ports[tab];
      if (seen.indexOf(port) < 0) { seen.push(port); fn(port); }
    }
  };

  /**
   * A hub of a higher term runs for this client elsewhere: a worker from before a restart the
   * browser did not tell, or a page not configured with workerUrl. This worker starts again with
   * a term above it after a pause, rather than leave its tabs without a connection.
   */
  WorkerHost.prototype.superseded = function () {
    var self = this, release = this.release;
    if (this.hub) this.hub.stop();
    this.hub = this.release = null;
    if (release) release();
    this.env.setTimeout(function () { if (!self.hub) self.queue(); }, RESTART_AFTER);
  };

  /** Runs the shared hub in this SharedWorker; call it once, from the worker script the site serves. */
  api.startWorker = function (options) {
    var env = assign(defaultEnv(root), (options && options.env) || {}), host = new WorkerHost(env);
    (env.global || root).onconnect = function (e) { host.connect(e.ports[0]); };
    return host;
  };

  // ---- Server ----------------------------------------------------------------

  /**
   * One tab's receiver and sender. State: 'closed' → connect() → 'connecting' → 'open', and on a
   * drop 'reconnecting' → 'open' again, until disconnect() → 'closed'. Handlers (onmessage,
   * onstatechange, onerror, onmissed and connect callbacks) are called without try/catch around
   * the library: whatever they throw goes to onerror. The constructor throws RangeError for bad options.
   */
  function Server(options) {
    if (!(this instanceof Server)) return new Server(options);
    var o = this.options = assign(assign({}, DEFAULTS), options || {});
    this.env = assign(defaultEnv(root), o.env || {});
    var loc = this.env.location, origin = loc && /^https?:$/.test(loc.protocol) ? loc.origin : '';
    this.relay = String(o.relay || api.defaultRelay || origin).replace(/\/+$/, '');
    this.useGears = !!o.useGears; // 2008 code's way to share one connection: sharing is the default now
    this.mode = null; // 'leader', 'follower' or 'solo' once connected (see the shared connection above)
    (o.transports || []).forEach(function (n) {
      if (!REGISTRY[n]) throw new RangeError('unknown transport ' + JSON.stringify(n) + '; known: ' + ORDER.join(', '));
    });
    this.state = 'closed';
    this.id = this.url = this.clientUrl = this.client = this.transport = this.cursor = null;
    this.channel = o.channel ? checkChannel(o.channel) : null;
    this._fixed = !!o.channel; // chosen by the app: no duplicate-tab check
    this._callbacks = [];
    this._dedup = {};
    this._missed = false;
    this._gen = 0;
  }

  /** Receive on this channel instead of the tab's own; after connect() the tab moves to it (new url). */
  Server.prototype.setChannel = function (name) {
    this.channel = checkChannel(name);
    this._fixed = true;
    if (this._guard) this._guard.claim(null);
    if (this._started) this._move();
    return this;
  };

  /** Starts receiving. callback(id, url) runs each time this tab's address is established or changes. */
  Server.prototype.connect = function (callback) {
    var self = this;
    if (typeof callback === 'function') {
      this._callbacks.push({ fn: callback, told: null });
      if (this._started && this.url) Promise.resolve().then(function () { self._tell(); });
    }
    if (this._started) return this;
    this._list = this._transportList();
    if (!this.relay || !this._list.length) {
      this._report(fail('unsupported', this.relay ? 'no transport works here' : 'no relay URL: pass options.relay'));
      return this;
    }
    this._started = true;
    this._failures = this._index = 0;
    this._worked = {};
    this._ever = false;
    watchPage(this);
    var gen = ++this._gen;
    this._setState('connecting');
    if (gen !== this._gen) return this; // onstatechange disconnected
    this._pickChannel(function () { if (gen === self._gen) self._join(); });
    return this;
  };

  Server.prototype._transportList = function () {
    var self = this;
    return (this.options.transports || ORDER).map(function (n) { return REGISTRY[n]; })
      .filter(function (t) { return t.supported(self); });
  };

  /** Starts a hub's connection (this Server is a leader's internal one, its client and key set). */
  Server.prototype._startHub = function () {
    this._list = this._transportList();
    this._started = true;
    this._failures = this._index = 0;
    this._worked = {};
    this._ever = false;
    this._setState('connecting');
    this._open();
  };

  /** Stops receiving and closes the connection. No handler is called after it but onstatechange('closed'). */
  Server.prototype.disconnect = function () {
    this._started = false;
    if (this._peer) { this._peer.close(); this._peer = null; }
    if (this._clientLock) { this._clientLock(); this._clientLock = null; }
    this._end();
    if (this._guard) { this._guard.close(); this._guard = null; }
    this._setState('closed');
    return this;
  };

  /**
   * Pushes message to any address. Resolves with the relay's answer ({seq, delivered}, …) and rejects
   * with an Error carrying code and status. CORS fetch POST (text/plain: no preflight); a JSONP
   * GET ?message= when fetch is missing, on file:// pages, or when fetch fails at the network level.
   * Every send carries a fresh mid, and is tried again with it, so that the relay stores it once,
   * while the relay (or a proxy before it) answers 502, 503 or 504, or fetch fails where JSONP
   * cannot stand in: after Retry-After (or a growing pause), up to SEND_ATTEMPTS times within SEND_PATIENCE.
   */
  Server.prototype.send = function (url, message) {
    var self = this, env = this.env, text = typeof message === 'string' ? message : JSON.stringify(message);
    var mid = randomId(env.random, 22), started = env.now(), attempt = 0;
    var withMid = url + (url.indexOf('?') < 0 ? '?' : '&') + 'mid=' + mid;
    function byScript() { return jsonp(env, url, { message: text, mid: mid }, REQUEST_TIMEOUT); }
    function once() {
      attempt++;
      if (!self._fetchOk()) return env.document ? byScript() : Promise.reject(fail('unsupported', 'neither fetch nor document'));
      return httpJson(env, 'POST', withMid, { type: 'text/plain;charset=UTF-8', body: text }).catch(function (err) {
        if (isNetwork(err) && env.document) return byScript();
        throw err;
      });
    }
    function again(err) {
      var busy = err.status === 502 || err.status === 503 || err.status === 504 || isNetwork(err);
      if (!busy || attempt >= SEND_ATTEMPTS) throw err;
      var ms = backoff(attempt, self.options, env.random);
      if (err.retryAfter) ms = Math.max(ms, err.retryAfter * 1000 + Math.round(env.random() * 1000));
      if (env.now() + ms - started > SEND_PATIENCE) throw err;
      return new Promise(function (resolve) { env.setTimeout(resolve, ms); }).then(once).catch(again);
    }
    return once().catch(again);
  };

  /**
   * Follows a topic on this tab's own connection: each publish then reaches onmessage with
   * meta.topic set. topicUrl is the topic's id from POST /topics (its publish URL works too, but
   * belongs on servers), capability its subscribeKey. Resolves with the relay's answer once this tab's channel is subscribed (it waits
   * for connect() to establish the address). The tab re-subscribes by itself after a relay restart.
   */
  Server.prototype.subscribe = function (topicUrl, capability) {
    var topics = this._topics || (this._topics = {}), self = this;
    topics[topicUrl] = { key: capability, id: null };
    return this._channelCall('/subscribe', { topic: topicUrl, subscribeKey: capability }).then(function (ans) {
      var kept = self._topics && self._topics[topicUrl];
      if (kept && ans && ans.topic) kept.id = ans.topic; // the id its messages carry, for resubscribing
      return ans;
    });
  };

  /** Stops following a topic. Resolves with the relay's answer. */
  Server.prototype.unsubscribe = function (topicUrl) {
    if (this._topics) delete this._topics[topicUrl];
    return this._channelCall('/unsubscribe', { topic: topicUrl });
  };

  /**
   * Whether someone is at an address now: resolves with {online, lastSeen} (epoch ms or null).
   * url defaults to this tab's address; a client-wide address is online if any of its tabs is.
   */
  Server.prototype.status = function (url) {
    var self = this;
    var ready = url ? Promise.resolve(this) : this._whenJoined();
    return ready.then(function () {
      var target = String(url || self.url), m = /^(.*?)\/m\/([^/?#]+)(?:\/([^/?#]+))?\/?$/.exec(target);
      if (!m) throw fail('bad_address', 'not an address: ' + target);
      var statusUrl = m[1] + '/status/m/' + m[2] + (m[3] ? '/' + m[3] : '');
      return self._fetchOk() ? httpJson(self.env, 'GET', statusUrl, {}) : jsonp(self.env, statusUrl, {}, REQUEST_TIMEOUT);
    });
  };

  /** POSTs a form to the relay on behalf of this tab's channel, once the tab has its address. */
  Server.prototype._channelCall = function (path, fields) {
    var self = this;
    return this._whenJoined().then(function () {
      var body = assign({ client: self.client, key: self._key, channel: self.channel }, fields);
      return httpJson(self.env, 'POST', self.relay + path, { type: 'application/x-www-form-urlencoded', body: qs(body) });
    });
  };

  /** Resolves with this server once /connect has answered (at once if it has). */
  Server.prototype._whenJoined = function () {
    var self = this;
    if (this.client && this._key && this.url) return Promise.resolve(this);
    return new Promise(function (resolve) { (self._joinWaiters || (self._joinWaiters = [])).push(resolve); });
  };

  /**
   * Subscribes again to followed topics the relay forgot (it restarted, or the channel expired):
   * those whose ids are in `only`, or all of them when `only` is not given (after a missed marker).
   */
  Server.prototype._resubscribe = function (only) {
    var self = this, topics = this._topics || {};
    Object.keys(topics).forEach(function (url) {
      var t = topics[url];
      if (only && only.indexOf(t.id) < 0 && only.indexOf(url) < 0) return;
      self._channelCall('/subscribe', { topic: url, subscribeKey: t.key }).catch(function (err) { self._report(err); });
    });
  };

  Server.prototype._fetchOk = function () {
    var loc = this.env.location;
    return !!this.env.fetch && !this._noFetch && !(loc && loc.protocol === 'file:');
  };

  /** Settles this tab's channel: the app's, or the tab's own after asking other tabs whether it is a duplicate. */
  Server.prototype._pickChannel = function (done) {
    var self = this;
    if (this._fixed) return done();
    this.channel = tabChannel(this.env, false);
    if (!this._guard) this._guard = new TabGuard(this.env, this.relay, function () { self._duplicate(); });
    this._guard.check(this.channel, function (taken) {
      if (!self._guard) return; // disconnected meanwhile
      if (taken) self.channel = tabChannel(self.env, true);
      self._guard.claim(self.channel);
      done();
    });
  };

  Server.prototype._duplicate = function () {
    if (this._fixed || !this._started) return;
    this.channel = tabChannel(this.env, true);
    this._guard.claim(this.channel);
    this._move();
  };

  /**
   * POST /connect with the stored client and key (a new client when there is none, or when the
   * relay refuses the key), then opens a transport. Retries with backoff; a 4xx other than 403,
   * 408 and 429 stops the server.
   */
  Server.prototype._join = function (fresh) {
    var self = this;
    if (!fresh && !this._clientLock && !this._solo && canShare(this) && !loadIdentity(this)) {
      // One browser, one client: the first tab makes it under a lock, the others wait and read it.
      var gen0 = ++this._gen;
      this.env.locks.request(hubName(this.relay, 'client'), function () {
        return new Promise(function (release) {
          if (gen0 !== self._gen || !self._started) return release();
          self._clientLock = release;
          self._join();
        });
      });
      return;
    }
    var gen = ++this._gen, idn = fresh ? null : this._hub ? this._hub.identity() : loadIdentity(this);
    var body = { channel: this.channel };
    if (idn) { body.client = idn.client; body.key = idn.key; }
    this._schedule(REQUEST_TIMEOUT, function () { self._gen++; self._retry(self._join, fail('timeout', 'no answer to /connect')); });
    this._connectRequest(body).then(function (ans) {
      if (!ans || !ans.client || !ans.key || !ans.url) throw fail('bad_answer', 'unexpected answer from /connect');
      return ans;
    }).then(function (ans) {
      if (gen === self._gen) self._joined(ans);
    }, function (err) {
      if (gen !== self._gen) return;
      self._clearTimer();
      if (idn && (err.code === 'wrong_key' || err.status === 403)) {
        store(self.env.localStorage).remove(identityKey(self));
        return self._join(true);
      }
      self._report(err);
      var s = err.status;
      if (s >= 400 && s < 500 && s !== 403 && s !== 408 && s !== 429) return self.disconnect();
      self._retry(self._join, err);
    });
  };

  Server.prototype._connectRequest = function (body) {
    var self = this, env = this.env, url = this.relay + '/connect';
    if (!this._fetchOk()) return jsonp(env, url, body, REQUEST_TIMEOUT);
    return httpJson(env, 'POST', url, { type: 'application/x-www-form-urlencoded', body: qs(body) }).catch(function (err) {
      if (!isNetwork(err) || !env.document) throw err;
      return jsonp(env, url, body, REQUEST_TIMEOUT).then(function (ans) {
        self._noFetch = true; // fetch is refused (CORS) where script tags work
        return ans;
      });
    });
  };

  Server.prototype._joined = function (ans) {
    var gen = this._gen;
    this._clearTimer();
    store(this.env.localStorage).set(identityKey(this), JSON.stringify({ client: ans.client, key: ans.key }));
    this._key = ans.key;
    this.client = ans.client;
    this.channel = ans.channel || this.channel;
    this.id = this.client + '/' + this.channel;
    this.url = ans.url;
    this.clientUrl = ans.clientUrl;
    this._resume(ans.cursor);
    var waiters = this._joinWaiters, self = this;
    this._joinWaiters = null;
    if (waiters) waiters.forEach(function (resolve) { resolve(self); });
    if (this._clientLock) { this._clientLock(); this._clientLock = null; } // the other tabs may read the identity now
    this._tell();
    if (gen === this._gen) this._receive();
  };

  /**
   * Receives through the browser's shared hub when the page can share (see the shared connection
   * above), else on a connection of its own ('solo').
   */
  Server.prototype._receive = function () {
    var self = this;
    if (this._peer && this._peer.channel !== this.channel) { this._peer.close(); this._peer = null; }
    var worker = !this._peer && !this._solo ? this._startWorker() : null;
    if (this._solo || !canShare(this)) {
      this.mode = 'solo';
      return this._open();
    }
    if (this._peer) this._peer.hello(); // joined again (a bad cursor, a relay restart): from the new cursor
    else {
      this.mode = worker ? 'worker' : 'follower';
      this._peer = new Peer(this, worker);
      this._peer.channel = this.channel;
    }
    this._handle = { close: noop, ack: function (cursor) { if (self._peer) self._peer.ack(cursor); } };
  };

  /** The site's SharedWorker for the hub (workerUrl), or null: none configured, none here, or it cannot start. */
  Server.prototype._startWorker = function () {
    if (!canWork(this)) return null;
    try {
      return new this.env.SharedWorker(this.options.workerUrl, { name: 'addressable.v1@' + this.relay });
    } catch (e) { // a URL of another origin, or a worker-src policy
      this._noWorker = true;
      this._report(e);
      return null;
    }
  };

  /** A batch the hub routed to this tab. */
  Server.prototype._fromHub = function (m) {
    var self = this;
    if (!this._started) return;
    this._deliver(m, function () { return self._started && !!self._peer; });
  };

  /**
   * The hub cannot read this tab's channel: a bad cursor makes the tab connect again for a fresh
   * one (as a receive of its own would); any other reason makes it receive on its own.
   */
  Server.prototype._refused = function (err) {
    this._report(err);
    if (err.code === 'bad_cursor') {
      store(this.env.sessionStorage).remove(cursorKey(this));
      this._at = null;
      this._missed = true;
      return this._retry(this._join, err);
    }
    if (TRANSIENT[err.code] || err.status >= 500) {
      // For now (a limit, a busy relay): ask the hub to carry it again after the usual backoff.
      return this._retry(function () { if (this._peer) this._peer.hello(); }, err);
    }
    this._goSolo();
  };

  /** Gives up on sharing for this page: a connection of its own, as without Web Locks. */
  Server.prototype._goSolo = function () {
    if (this._peer) { this._peer.close(); this._peer = null; }
    this._solo = true;
    this.mode = 'solo';
    this._handle = null;
    if (this._started && this.client) this._open();
  };

  /** Calls each connect callback that has not yet heard the current address. */
  Server.prototype._tell = function () {
    var gen = this._gen, url = this.url;
    for (var i = 0; i < this._callbacks.length && gen === this._gen; i++) {
      var cb = this._callbacks[i];
      if (cb.told !== url) { cb.told = url; this._call(cb.fn, [this.id, url]); }
    }
  };

  /**
   * Chooses where to receive from: the cursor in memory for this client and channel, else the one
   * this tab saved before a reload (with its de-dup state), else the end of the inbox as /connect says.
   */
  Server.prototype._resume = function (fresh) {
    var at = this.client + '/' + this.channel;
    if (this._at === at && this.cursor) return;
    var saved = parseJson(store(this.env.sessionStorage).get(cursorKey(this)));
    this._at = at;
    var ok = saved && saved.at === at && saved.cursor;
    this.cursor = ok ? saved.cursor : fresh || null;
    this._dedup = ok && saved.last || {};
  };

  Server.prototype._save = function () {
    var v = { at: this._at, cursor: this.cursor, last: this._dedup };
    store(this.env.sessionStorage).set(cursorKey(this), JSON.stringify(v));
  };

  /** Opens the current transport. Its sink talks to this server only while the attempt is current. */
  Server.prototype._open = function () {
    var self = this, t = this._list[this._index], gen = ++this._gen, opened = false;
    var wd = t.watchdog(this.options);
    function live() { return gen === self._gen; }
    function arm() {
      self._schedule(wd, function () { sink.fail(fail('heartbeat_timeout', 'nothing from the relay for ' + wd + ' ms')); });
    }
    var sink = {
      open: function () {
        if (!live() || opened) return;
        opened = self._ever = self._worked[t.name] = true;
        self._failures = 0;
        arm();
        self._setState('open');
        if (live()) self._planUpgrade(live);
      },
      alive: function () { if (live()) { arm(); if (self._hub) self._hub.state(false); } },
      batch: function (b) { if (live()) { arm(); self._deliver(b, live); } },
      refused: function (channel, err) { if (live()) self._refused(err, channel); },
      fail: function (err) { if (live()) self._dropped(t, opened, err); }
    };
    this.transport = t.name;
    arm();
    var handle;
    try { handle = t.open(this, sink); } catch (e) { sink.fail(e); }
    if (live()) this._handle = handle;
    else if (handle) handle.close();
  };

  /**
   * On a fallback transport although a preferred one worked earlier (so the fallback came from an
   * outage, not from a network that blocks it): try the preferred order again after UPGRADE_AFTER.
   */
  Server.prototype._planUpgrade = function (live) {
    var self = this, above = this._list.slice(0, this._index);
    if (!above.some(function (x) { return self._worked[x.name]; }) || (this._upgrades || 0) >= MAX_UPGRADES) return;
    this.env.setTimeout(function () {
      if (!live() || !self._started) return;
      self._upgrades = (self._upgrades || 0) + 1;
      self._end();
      self._index = 0;
      self._failures = 0;
      self._open();
    }, UPGRADE_AFTER);
  };

  /**
   * After a drop: an auth error rejoins (/connect); a transport that never opened, or a stream the
   * relay refused, gives way to the next at once; one that worked reconnects with backoff, and gives
   * way after FALLBACK_AFTER drops in a row. When the last transport never opened, the list starts
   * over after a backoff.
   */
  Server.prototype._dropped = function (t, opened, err) {
    this._end();
    if (opened) this._lostAt = this.env.now();
    if (this._hub && (err.code === 'superseded' || err.code === 'stale_term')) {
      return this._hub.host.superseded(); // another hub runs now
    }
    var worked = opened || this._worked[t.name], last = this._index === this._list.length - 1;
    if (err.code === 'bad_cursor') {
      store(this.env.sessionStorage).remove(cursorKey(this));
      this._at = null;
      this._missed = true;
    }
    if (isAuth(err) || err.code === 'bad_cursor') {
      this._report(err);
      this._retry(this._join, err);
    } else if ((!worked || err.nextTransport) && !last) {
      this._index++;
      return this._open();
    } else {
      this._report(err);
      if (!worked) this._index = 0;
      else if (this._failures + 1 >= FALLBACK_AFTER && !last) return this._fallBackIfReachable(err);
      this._retry(this._open, err);
    }
    if (this._started) this._setState(this._ever ? 'reconnecting' : 'connecting'); // onerror may have disconnected
  };

  /**
   * Hands a batch to onmessage in order. A missed marker resets de-dup (after a relay restart seq
   * starts again at 1) and flags the next message. A message whose seq this tab already delivered
   * for its source (the channel, or its topic) is skipped. Then the cursor moves, is saved, and acked.
   */
  Server.prototype._deliver = function (b, live) {
    var list = b.messages || [], n = 0;
    if (b.missed) {
      this._dedup = {};
      this._missed = true;
      this._resubscribe();
      this._call(this.onmissed, []);
      if (!live()) return;
    } else if (b.unsubscribed && b.unsubscribed.length) {
      this._resubscribe(b.unsubscribed);
    }
    for (var i = 0; i < list.length; i++) {
      var m = list[i], src = m.topic || '', last = this._dedup[src];
      if (typeof m.seq === 'number') {
        if (last != null && m.seq <= last) continue;
        this._dedup[src] = m.seq;
      }
      var meta = { seq: m.seq, ts: m.ts, missed: this._missed };
      if (m.topic) meta.topic = m.topic;
      this._missed = false;
      n++;
      this._save();
      this._call(this.onmessage, [m.data, meta]);
      if (!live()) return; // the handler disconnected or moved the tab
    }
    if (b.cursor) this.cursor = b.cursor;
    this._save();
    if ((n || this._peer) && this._handle) this._handle.ack(this.cursor);
  };

  /**
   * A transport that worked keeps failing: try the next one only if the relay answers otherwise
   * (GET /health), since then something between here and the relay blocks this transport. While
   * the relay cannot be reached at all (it is restarting), every transport would fail alike:
   * stay on the preferred one, so the tab comes back on it.
   */
  Server.prototype._fallBackIfReachable = function (err) {
    var self = this, gen = this._gen;
    if (err.status || !this._fetchOk()) {
      this._index++;
      return this._retry(this._open, err);
    }
    httpJson(this.env, 'GET', this.relay + '/health', {}).then(function () { return true; }, function () { return false; })
      .then(function (reachable) {
        if (gen !== self._gen || !self._started) return;
        if (reachable) self._index++;
        self._retry(self._open, err);
      });
    if (this._started) this._setState('reconnecting');
  };

  Server.prototype._retry = function (step, err) {
    var self = this, ms = backoff(++this._failures, this.options, this.env.random);
    // An open connection lost without an answer from the relay (a restart, a network change):
    // retries stay within a second for a while, so the tab is back soon after the relay is.
    if (err && !err.status && this._lostAt != null && this.env.now() - this._lostAt < RECOVER_FOR) {
      ms = Math.min(ms, Math.round(RECOVER_DELAY / 2 + this.env.random() * RECOVER_DELAY / 2));
    }
    // Retry-After is a floor, not a moment: a second of jitter on top keeps a crowd of tabs turned
    // away together (a relay restart) from coming back together.
    if (err && err.retryAfter) ms = Math.max(ms, err.retryAfter * 1000 + Math.round(this.env.random() * 1000));
    this._schedule(ms, function () { step.call(self); });
  };

  /** Moves the running server to this.channel: a new /connect, and a new url for the callbacks. */
  Server.prototype._move = function () {
    this._end();
    this._failures = 0;
    this._join();
  };

  /** Ends the current attempt or pending retry; late callbacks of either are ignored. */
  Server.prototype._end = function () {
    this._gen++;
    this._clearTimer();
    var h = this._handle;
    this._handle = null;
    if (h) h.close();
  };

  /** The one timer of a server: a watchdog while an attempt runs, else the pending retry. */
  Server.prototype._schedule = function (ms, fn) {
    var self = this, gen = this._gen;
    this._clearTimer();
    this._timer = this.env.setTimeout(function () {
      self._timer = null;
      if (gen === self._gen && self._started) fn();
    }, ms);
  };

  Server.prototype._clearTimer = function () {
    if (this._timer != null) this.env.clearTimeout(this._timer);
    this._timer = null;
  };

  Server.prototype._setState = function (state) {
    if (this.state === state) return;
    this.state = state;
    this._call(this.onstatechange, [state]);
  };

  Server.prototype._call = function (fn, args) {
    if (typeof fn !== 'function') return;
    try { fn.apply(this, args); } catch (e) { this._report(e, true); }
  };

  /** To onerror; a throwing onerror, or an app error with no onerror, is rethrown on a fresh stack. */
  Server.prototype._report = function (err, fromApp) {
    if (typeof this.onerror === 'function') {
      try { this.onerror(err); return; } catch (e) { err = e; fromApp = true; }
    }
    if (fromApp) this.env.setTimeout(function () { throw err; }, 0);
  };

  api.Server = Server;
  return api;
});
