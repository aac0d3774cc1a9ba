/*
 * The relay dashboard: reads the relay's /metrics (Prometheus text) every few seconds, keeps the
 * last five minutes, and draws them as SVG line charts beside their current values. No library,
 * no build step. With --admin-token the relay serves this page locked (data-access="locked");
 * the token the user gives is kept in sessionStorage and sent as a Bearer header to /metrics.
 */
(function () {
  'use strict';

  var TOKEN_KEY = 'addressable.adminToken';
  var WINDOW_MS = 5 * 60 * 1000;
  var SVG_NS = 'http://www.w3.org/2000/svg';
  var TRANSPORTS = ['longpoll', 'jsonp', 'sse', 'websocket'];
  var LATENCY = 'addressable_delivery_latency_seconds';

  var state = {
    every: 2000,
    paused: false,
    timer: null,
    reading: false,
    reads: 0,
    previous: null, // {at, metrics} of the read before
    history: []     // [{at, values}] within WINDOW_MS, oldest first
  };

  function $(id) { return document.getElementById(id); }

  // --- Prometheus text ---------------------------------------------------------------------------

  /** {name: [{labels: {...}, value: number}]} from the text exposition format. */
  function parseMetrics(text) {
    var metrics = {};
    text.split('\n').forEach(function (line) {
      if (line === '' || line.charAt(0) === '#') { return; }
      var brace = line.indexOf('{');
      var space = line.lastIndexOf(' ');
      if (space < 0) { return; }
      var name = brace >= 0 && brace < space ? line.slice(0, brace) : line.slice(0, space);
      var labels = brace >= 0 && brace < space ? parseLabels(line.slice(brace + 1, line.lastIndexOf('}', space))) : {};
      (metrics[name] = metrics[name] || []).push({ labels: labels, value: parseValue(line.slice(space + 1)) });
    });
    return metrics;
  }

  function parseLabels(text) {
    var labels = {};
    var re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
    var m;
    while ((m = re.exec(text)) !== null) {
      labels[m[1]] = m[2].replace(/\\(.)/g, function (_, c) { return c === 'n' ? '\n' : c; });
    }
    return labels;
  }

  function parseValue(text) {
    if (text === '+Inf') { return Infinity; }
    if (text === '-Inf') { return -Infinity; }
    return Number(text);
  }

  function value(metrics, name) {
    var samples = metrics[name];
    return samples && samples.length ? samples[0].value : NaN;
  }

  /** Per second since the read before; a counter that went down (a restart) counts from 0. */
  function rate(now, before, name, seconds) {
    if (!before || !(seconds > 0)) { return null; }
    var a = value(before, name);
    var b = value(now, name);
    if (isNaN(a) || isNaN(b)) { return null; }
    return (b >= a ? b - a : b) / seconds;
  }

  /** Cumulative buckets [{le, count}] of the latency histogram, summed over the transports kept. */
  function latencyBuckets(metrics, keep) {
    var byLe = {};
    (metrics[LATENCY + '_bucket'] || []).forEach(function (s) {
      if (keep(s.labels.transport)) {
        var le = parseValue(s.labels.le);
        byLe[le] = (byLe[le] || 0) + s.value;
      }
    });
    return Object.keys(byLe).map(Number).sort(function (a, b) { return a - b; })
      .map(function (le) { return { le: le, count: byLe[le] }; });
  }

  function minus(now, before) {
    return now.map(function (b, i) {
      var old = before && before[i] && before[i].le === b.le ? before[i].count : 0;
      return { le: b.le, count: Math.max(0, b.count - old) };
    });
  }

  /**
   * The q-quantile estimated from cumulative buckets, interpolating inside the bucket as
   * Prometheus's histogram_quantile does; Infinity when it lies past the last bound; null if empty.
   */
  function quantile(q, buckets) {
    var total = buckets.length ? buckets[buckets.length - 1].count : 0;
    if (!(total > 0)) { return null; }
    var rank = q * total;
    var lowLe = 0;
    var lowCount = 0;
    for (var i = 0; i < buckets.length; i++) {
      var b = buckets[i];
      if (b.count >= rank) {
        if (b.le === Infinity) { return Infinity; }
        var inBucket = b.count - lowCount;
        return inBucket > 0 ? lowLe + (b.le - lowLe) * (rank - lowCount) / inBucket : b.le;
      }
      lowLe = b.le;
      lowCount = b.count;
    }
    return null;
  }

  // --- formatting ----------------------------------------------------------------------------------

  function count(n) { return isNaN(n) ? '–' : Math.round(n).toLocaleString('en'); }

  function perSecond(n) {
    if (n === null || isNaN(n)) { return '–'; }
    if (n === 0) { return '0'; }
    return n < 10 ? n.toFixed(1) : Math.round(n).toLocaleString('en');
  }

  function percent(part, whole) {
    if (isNaN(part) || !(whole > 0)) { return '–'; }
    var p = 100 * part / whole;
    return (p > 0 && p < 0.1 ? '< 0.1' : p.toFixed(1)) + ' %';
  }

  function bytes(n) {
    if (isNaN(n)) { return '–'; }
    var units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    var u = 0;
    while (n >= 1024 && u < units.length - 1) { n /= 1024; u++; }
    return (u === 0 || n >= 100 ? Math.round(n) : n.toFixed(1)) + ' ' + units[u];
  }

  function seconds(s) {
    if (s === null || isNaN(s)) { return '–'; }
    if (s === 0) { return '0'; }
    if (s === Infinity) { return '> 10 s'; }
    if (s < 0.01) { return (s * 1000).toFixed(1) + ' ms'; }
    if (s < 1) { return Math.round(s * 1000) + ' ms'; }
    return s.toFixed(2) + ' s';
  }

  function duration(s) {
    if (isNaN(s)) { return '–'; }
    var d = Math.floor(s / 86400);
    var h = Math.floor(s % 86400 / 3600);
    var m = Math.floor(s % 3600 / 60);
    if (d > 0) { return d + ' d ' + h + ' h'; }
    if (h > 0) { return h + ' h ' + m + ' min'; }
    if (m > 0) { return m + ' min ' + Math.floor(s % 60) + ' s'; }
    return Math.floor(s) + ' s';
  }

  // --- charts --------------------------------------------------------------------------------------

  function niceCeiling(max) {
    if (!(max > 0)) { return 1; }
    var power = Math.pow(10, Math.floor(Math.log10(max)));
    var steps = [1, 2, 5, 10];
    for (var i = 0; i < steps.length; i++) {
      if (max <= steps[i] * power) { return steps[i] * power; }
    }
    return 10 * power;
  }

  function el(name, attrs, text) {
    var node = document.createElementNS(SVG_NS, name);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  /**
   * Draws series (keys of each history entry's values) as lines over the time window ending now.
   * options: format (tick labels); max (a fixed top, else the data's rounded up, at least floor);
   * scaleBy (the keys the top is taken from, default all); cap (values above are drawn at it,
   * default the top); clip (values above the top are not drawn at all); binary (the top is a
   * power of two, for bytes); whole (the top is even, for counts).
   */
  function draw(svg, keys, options) {
    var box = svg.getBoundingClientRect();
    var width = Math.max(200, Math.round(box.width) || 400);
    var height = Math.max(100, Math.round(box.height) || 160);
    var left = 56;
    var bottom = height - 18;
    var top = 8;
    var now = state.history.length ? state.history[state.history.length - 1].at : Date.now();
    var max = options.max;
    if (!(max > 0)) {
      var seen = options.floor || 0;
      state.history.forEach(function (h) {
        (options.scaleBy || keys).forEach(function (k) {
          var v = h.values[k];
          if (v !== null && isFinite(v) && v > seen) { seen = v; }
        });
      });
      max = options.binary ? Math.pow(2, Math.ceil(Math.log2(Math.max(1, seen)))) : niceCeiling(seen);
      if (options.whole) { max = Math.ceil(max / 2) * 2; } // whole numbers at the middle tick too
    }
    while (svg.firstChild) { svg.removeChild(svg.firstChild); }
    svg.setAttribute('viewBox', '0 0 ' + width + ' ' + height);
    [0, 0.5, 1].forEach(function (f) {
      var y = bottom - f * (bottom - top);
      svg.appendChild(el('line', { x1: left, x2: width, y1: y, y2: y, 'class': 'grid' }));
      svg.appendChild(el('text', { x: left - 6, y: y + 4, 'text-anchor': 'end', 'class': 'tick' }, options.format(max * f)));
    });
    svg.appendChild(el('text', { x: left, y: height - 2, 'class': 'tick' }, '−5 min'));
    svg.appendChild(el('text', { x: width, y: height - 2, 'text-anchor': 'end', 'class': 'tick' }, 'now'));
    keys.forEach(function (k, i) {
      var d = '';
      var pen = 'M';
      state.history.forEach(function (h) {
        var v = h.values[k];
        if (v === null || v === undefined || isNaN(v) || (options.clip && v > max)) { pen = 'M'; return; }
        v = Math.min(v, options.cap !== undefined ? options.cap : max);
        var x = left + (width - left) * (1 - (now - h.at) / WINDOW_MS);
        var y = bottom - (bottom - top) * Math.min(1, v / max);
        d += pen + x.toFixed(1) + ' ' + y.toFixed(1) + ' ';
        pen = 'L';
      });
      svg.appendChild(el('path', { d: d.trim(), 'class': 'line s' + (i + 1), 'data-series': k }));
    });
  }

  // --- one read --------------------------------------------------------------------------------------

  function show(metrics, at) {
    var before = state.previous;
    var dt = before ? (at - before.at) / 1000 : 0;
    var prev = before && before.metrics;
    var latencyNow = latencyBuckets(metrics, function () { return true; });
    var latencyStep = minus(latencyNow, prev ? latencyBuckets(prev, function () { return true; }) : null);
    var values = {
      parked: value(metrics, 'addressable_parked_requests'),
      streams: value(metrics, 'addressable_streams_open'),
      channels: value(metrics, 'addressable_channels_live'),
      topics: value(metrics, 'addressable_topics'),
      sent: rate(metrics, prev, 'addressable_messages_sent_total', dt),
      delivered: rate(metrics, prev, 'addressable_messages_delivered_total', dt),
      p50: quantile(0.5, latencyStep),
      p99: quantile(0.99, latencyStep),
      used: value(metrics, 'addressable_memory_used_bytes'),
      inFlight: value(metrics, 'addressable_memory_in_flight_bytes'),
      limit: value(metrics, 'addressable_memory_limit_bytes'),
      memoryFull: rate(metrics, prev, 'addressable_memory_refusals_total', dt),
      errors: rate(metrics, prev, 'addressable_errors_total', dt),
      hangUps: rate(metrics, prev, 'addressable_hangups_total', dt)
    };
    state.previous = { at: at, metrics: metrics };
    state.history.push({ at: at, values: values });
    while (state.history.length && state.history[0].at < at - WINDOW_MS) { state.history.shift(); }

    var info = metrics.addressable_build_info;
    $('version').textContent = info && info[0].labels.version ? info[0].labels.version : 'unknown';
    $('uptime').textContent = duration(value(metrics, 'process_uptime_seconds'));
    $('updated').textContent = new Date(at).toLocaleTimeString('en-GB');

    $('parked-value').textContent = count(values.parked);
    $('streams-value').textContent = count(values.streams);
    $('channels-value').textContent = count(values.channels);
    $('topics-value').textContent = count(values.topics);
    $('sent-rate').textContent = perSecond(values.sent);
    $('delivered-rate').textContent = perSecond(values.delivered);
    $('sent-total').textContent = count(value(metrics, 'addressable_messages_sent_total'));
    $('latency-p50').textContent = seconds(values.p50);
    $('latency-p99').textContent = seconds(values.p99);
    $('latency-count').textContent = count(latencyNow.length ? latencyNow[latencyNow.length - 1].count : NaN);
    $('memory-used').textContent = bytes(values.used);
    $('memory-share').textContent = percent(values.used + values.inFlight, values.limit);
    $('memory-in-flight').textContent = bytes(values.inFlight);
    $('memory-limit').textContent = bytes(values.limit);
    $('refusals-memory').textContent = perSecond(values.memoryFull);
    $('refusals-errors').textContent = perSecond(values.errors);
    $('refusals-hangups').textContent = perSecond(values.hangUps);
    $('refusals-totals').textContent = count(value(metrics, 'addressable_memory_refusals_total')) + ' memory full, '
      + count(value(metrics, 'addressable_errors_total')) + ' errors, '
      + count(value(metrics, 'addressable_hangups_total')) + ' hang-ups';
    showTransports(metrics);

    draw($('parked-chart'), ['parked', 'streams'], { format: count, floor: 4, whole: true });
    draw($('channels-chart'), ['channels', 'topics'], { format: count, floor: 4, whole: true });
    draw($('rate-chart'), ['sent', 'delivered'], { format: perSecond });
    draw($('latency-chart'), ['p50', 'p99'], { format: seconds, cap: 10 });
    draw($('memory-chart'), ['used', 'inFlight', 'limit'], { format: bytes, floor: 1024 * 1024, binary: true, scaleBy: ['used', 'inFlight'], clip: true });
    draw($('refusals-chart'), ['memoryFull', 'errors', 'hangUps'], { format: perSecond });
  }

  function showTransports(metrics) {
    var rows = TRANSPORTS.map(function (t) {
      var buckets = latencyBuckets(metrics, function (name) { return name === t; });
      var n = buckets.length ? buckets[buckets.length - 1].count : NaN;
      return [t, count(n), seconds(quantile(0.5, buckets)), seconds(quantile(0.99, buckets))];
    });
    var body = $('latency-table');
    while (body.firstChild) { body.removeChild(body.firstChild); }
    rows.forEach(function (cells) {
      var tr = document.createElement('tr');
      cells.forEach(function (text, i) {
        var cell = document.createElement(i === 0 ? 'th' : 'td');
        if (i === 0) { cell.setAttribute('scope', 'row'); }
        cell.textContent = text;
        tr.appendChild(cell);
      });
      body.appendChild(tr);
    });
  }

  // --- access ----------------------------------------------------------------------------------------

  function token() {
    try { return sessionStorage.getItem(TOKEN_KEY); } catch (e) { return null; }
  }

  function setToken(value) {
    try {
      if (value) { sessionStorage.setItem(TOKEN_KEY, value); } else { sessionStorage.removeItem(TOKEN_KEY); }
    } catch (e) { /* storage off: the token lasts until the page is left */ }
    state.memoryToken = value || null;
  }

  function currentToken() { return token() || state.memoryToken || null; }

  function setStatus(text) { $('status').textContent = text; }

  function lock(message) {
    stop();
    state.previous = null;
    state.history = [];
    $('charts').hidden = true;
    $('lock').hidden = false;
    $('forget').hidden = !currentToken();
    $('lock-error').textContent = message || '';
    document.body.setAttribute('data-state', 'locked');
    setStatus('Locked: waiting for the admin token.');
    if (message) { $('token').focus(); }
  }

  function unlocked() {
    if (!$('charts').hidden) { return; }
    $('lock').hidden = true;
    $('charts').hidden = false;
    $('forget').hidden = !currentToken();
    document.body.setAttribute('data-state', 'live');
  }

  // --- the loop ----------------------------------------------------------------------------------------

  function read() {
    state.timer = null;
    if (state.reading || state.paused) { return; }
    state.reading = true;
    var headers = { 'Accept': 'text/plain' };
    var t = currentToken();
    if (t) { headers.Authorization = 'Bearer ' + t; }
    fetch('/metrics', { headers: headers, cache: 'no-store', credentials: 'same-origin' }).then(function (answer) {
      if (answer.status === 401) {
        var refused = !!t;
        if (refused) { setToken(null); }
        state.reading = false;
        lock(refused ? 'The relay refused that token.' : '');
        return null;
      }
      if (!answer.ok) { throw new Error('/metrics answered ' + answer.status); }
      return answer.text().then(function (text) {
        unlocked();
        show(parseMetrics(text), Date.now());
        state.reads++;
        document.body.setAttribute('data-reads', String(state.reads));
        setStatus(state.paused ? 'Paused.' : 'Live.');
        state.reading = false;
        schedule();
      });
    }).catch(function (e) {
      state.reading = false;
      setStatus('Could not read /metrics (' + e.message + '); trying again.');
      schedule();
    });
  }

  function schedule() {
    if (!state.paused && state.timer === null && !state.reading) {
      state.timer = setTimeout(read, state.every);
    }
  }

  function stop() {
    if (state.timer !== null) { clearTimeout(state.timer); state.timer = null; }
  }

  function start() {
    $('every').addEventListener('change', function (e) {
      state.every = Number(e.target.value) || 2000;
      stop();
      schedule();
    });
    $('pause').addEventListener('click', function (e) {
      state.paused = !state.paused;
      e.target.setAttribute('aria-pressed', String(state.paused));
      e.target.textContent = state.paused ? 'Resume' : 'Pause';
      setStatus(state.paused ? 'Paused.' : 'Live.');
      if (state.paused) { stop(); } else { read(); }
    });
    $('forget').addEventListener('click', function () {
      setToken(null);
      lock('');
    });
    $('unlock').addEventListener('submit', function (e) {
      e.preventDefault();
      var value = $('token').value.trim();
      if (!value) { return; }
      setToken(value);
      $('token').value = '';
      $('lock-error').textContent = '';
      setStatus('Checking the token…');
      read();
    });
    if (document.body.getAttribute('data-access') === 'locked' && !currentToken()) {
      lock('');
    } else {
      read();
    }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
}());
