// Helpers shared by the browser-test pages (served by the test's PageServer, not by the relay).
// log() shows a message on the page and, when a Java test listens (window.recordMessage, a
// Playwright binding), hands it over with the library's state.
(function () {
  'use strict';

  function server() {
    return window.server || {};
  }

  function status() {
    var s = server(), el = document.getElementById('status');
    if (el) el.textContent = 'state: ' + s.state + ' | transport: ' + s.transport + ' | channel: ' + s.channel;
  }

  window.log = function (message, meta) {
    var s = server(), line = document.createElement('div');
    window.lastMeta = meta;
    line.textContent = (meta && meta.missed ? '[missed before] ' : '') + (meta && meta.seq != null ? '#' + meta.seq + ' ' : '') + message;
    (document.getElementById('log') || document.body).appendChild(line);
    status();
    if (typeof window.recordMessage === 'function') {
      window.recordMessage(JSON.stringify({
        data: message,
        seq: meta && meta.seq != null ? meta.seq : null,
        missed: !!(meta && meta.missed),
        transport: s.transport || null,
        url: s.url || null
      }));
    }
  };

  /** Options for Addressable.Server from the page's query: ?transports=sse,jsonp&retryDelay=100&shared=false. */
  window.optionsFromQuery = function () {
    var q = new URLSearchParams(location.search), o = {};
    if (q.get('transports')) o.transports = q.get('transports').split(',');
    ['retryDelay', 'maxRetryDelay', 'pollTimeout', 'heartbeatTimeout', 'hubStall'].forEach(function (k) {
      if (q.get(k)) o[k] = Number(q.get(k));
    });
    if (q.get('shared')) o.shared = q.get('shared') !== 'false';
    // worker=1: the hub runs in this origin's SharedWorker (hub-worker.js, told the relay's URL).
    if (q.get('worker') === '1') o.workerUrl = 'hub-worker.js?relay=' + encodeURIComponent(Addressable.defaultRelay);
    return o;
  };

  // Page lifecycle events as they happen, for the tests of hidden, frozen and cached pages.
  window.lifecycle = [];
  ['visibilitychange', 'freeze', 'resume'].forEach(function (type) {
    document.addEventListener(type, function () {
      window.lifecycle.push({ type: type, at: Date.now(), visibility: document.visibilityState });
    });
  });
  ['pagehide', 'pageshow'].forEach(function (type) {
    window.addEventListener(type, function (e) { window.lifecycle.push({ type: type, at: Date.now(), persisted: e.persisted }); });
  });

  setInterval(status, 200);
})();
