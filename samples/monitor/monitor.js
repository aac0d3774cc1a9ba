// Live monitor: follows a topic that backends report to ("kind: what happened"), and shows a feed,
// counts per kind and events per second. Stays smooth at hundreds of events a second: onmessage
// only counts and queues; the page is drawn at most once per frame (requestAnimationFrame), and
// the feed keeps the newest FEED_MAX rows. For screen readers the feed is not a live region (it
// would never stop talking); #heard sums up what arrived at most every HEARD_EVERY ms.
(function () {
  'use strict';

  var FEED_MAX = 100;
  var SECONDS = 60;
  var HEARD_EVERY = 10000;
  // Each kind's colour keeps 4.5:1 as text on its own 13% tint (the feed's labels) and under white.
  var COLORS = { login: '#5a4de0', query: '#0a7382', checkout: '#0e7749', signup: '#945c00', error: '#c22d2d' };
  var SPARE = ['#8241de', '#b92e78', '#316ca3', '#56721c', '#a0522d'];

  var $ = function (id) { return document.getElementById(id); };
  var server = new Addressable.Server({ transports: chosenTransports() });
  var total = 0, errors = 0, peak = 0;
  var counts = {};         // kind -> count
  var rows = {};           // kind -> its row in "By kind"
  var queued = [];         // events not drawn yet (only the newest FEED_MAX are kept)
  var perSecond = [];      // ring of {sec, n}, one slot per second
  var frame = 0;
  var unheard = 0, latest = null; // for #heard: events since its last summary, and the newest

  server.onstatechange = function (state) {
    $('state').textContent = state === 'open' ? 'live · ' + server.transport : state;
    $('state').dataset.state = state;
    if (state === 'open') problem('');
  };

  // Why the connection failed, in words (the library's errors carry a code and a message).
  server.onerror = function (err) {
    if (!err || !err.code) throw err; // a bug in this page: let it surface as a page error
    problem('Connection problem: ' + err.message + ' (' + err.code + ')');
  };

  server.onmessage = function (data, meta) {
    var event = parse(data);
    event.at = new Date();
    total++;
    if (event.kind === 'error') errors++;
    counts[event.kind] = (counts[event.kind] || 0) + 1;
    countSecond(Math.floor(Date.now() / 1000));
    queued.push(event);
    unheard++;
    latest = event;
    if (queued.length > 2 * FEED_MAX) queued.splice(0, queued.length - FEED_MAX);
    if (!frame) frame = requestAnimationFrame(draw);
  };

  server.connect();

  // The sample's backend made the topic (POST /topics) and hands out its id and subscribe key (to
  // follow it) and its publish URL (shown to the operator: it is what backends report to).
  fetch('api/topic').then(function (r) { return r.json(); }).then(function (topic) {
    $('publish').textContent = topic.url;
    showSnippet(SNIPPETS[0]);
    return server.subscribe(topic.topic, topic.subscribeKey);
  }).then(function () {
    $('monitor').dataset.subscribed = 'yes';
    $('subscribed').textContent = 'following the topic';
    $('subscribed').classList.add('on');
  }, function (err) {
    $('subscribed').textContent = 'could not subscribe: ' + err.message;
  });

  /** "kind: text", or JSON {kind, text}; anything else is kind "other". */
  function parse(data) {
    var m = /^([A-Za-z][\w-]{0,23}):\s*([\s\S]*)$/.exec(data);
    if (m) return { kind: m[1].toLowerCase(), text: m[2] };
    try {
      var j = JSON.parse(data);
      if (j && j.kind) return { kind: String(j.kind).toLowerCase().slice(0, 24), text: String(j.text || '') };
    } catch (e) { /* plain text */ }
    return { kind: 'other', text: data };
  }

  function countSecond(sec) {
    var slot = perSecond[sec % SECONDS];
    if (!slot || slot.sec !== sec) slot = perSecond[sec % SECONDS] = { sec: sec, n: 0 };
    slot.n++;
  }

  function eventsIn(sec) {
    var slot = perSecond[sec % SECONDS];
    return slot && slot.sec === sec ? slot.n : 0;
  }

  // ---- drawing: once per frame at most ----

  function draw() {
    frame = 0;
    $('total').textContent = total.toLocaleString('en');
    $('errors').textContent = errors.toLocaleString('en');
    drawFeed();
    drawKinds();
    drawChart();
  }

  var fresh = [];
  function drawFeed() {
    var feed = $('feed'), batch = queued.slice(-FEED_MAX), fragment = document.createDocumentFragment();
    queued = [];
    if (!batch.length) return;
    fresh.forEach(function (row) { row.classList.remove('fresh'); }); // only the newest rows are lit
    fresh = [];
    for (var i = batch.length - 1; i >= 0; i--) fresh.push(fragment.appendChild(feedRow(batch[i])));
    fresh.forEach(function (row) { row.classList.add('fresh'); });
    feed.prepend(fragment);
    while (feed.childElementCount > FEED_MAX) feed.lastElementChild.remove();
  }

  function feedRow(event) {
    var li = document.createElement('li');
    var kind = document.createElement('span');
    kind.className = 'kind';
    kind.style.setProperty('--c', color(event.kind));
    kind.textContent = event.kind;
    var text = document.createElement('span');
    text.className = 'text';
    text.textContent = event.text.length > 200 ? event.text.slice(0, 200) + '…' : event.text;
    var time = document.createElement('time');
    time.textContent = clock(event.at);
    li.append(kind, text, time);
    return li;
  }

  function clock(d) {
    var pad = function (n) { return (n < 10 ? '0' : '') + n; };
    return pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds());
  }

  function drawKinds() {
    var list = $('kinds'), most = 0;
    Object.keys(counts).forEach(function (k) { most = Math.max(most, counts[k]); });
    Object.keys(counts).forEach(function (kind) {
      var row = rows[kind];
      if (!row) {
        if (list.querySelector('.none')) list.textContent = '';
        row = rows[kind] = document.createElement('li');
        row.dataset.kind = kind;
        row.style.setProperty('--c', color(kind));
        row.innerHTML = '<span class="name"></span><span class="bar"><i></i></span><span class="count"></span>';
        row.querySelector('.name').textContent = kind;
        list.append(row);
      }
      row.querySelector('.count').textContent = counts[kind].toLocaleString('en');
      row.querySelector('i').style.width = (100 * counts[kind] / most).toFixed(1) + '%';
    });
  }

  // Bars for the last SECONDS seconds, the current one at the right edge; redrawn every second too.
  var chart = $('chart'), bars = [], labels = [];
  (function buildChart() {
    var ns = 'http://www.w3.org/2000/svg';
    [150, 85, 20].forEach(function (y) {
      var line = document.createElementNS(ns, 'line');
      line.setAttribute('x1', 0); line.setAttribute('x2', 600);
      line.setAttribute('y1', y); line.setAttribute('y2', y);
      line.setAttribute('class', 'grid-line');
      chart.append(line);
      var label = document.createElementNS(ns, 'text');
      label.setAttribute('x', 4); label.setAttribute('y', y - 4);
      labels.push(chart.appendChild(label));
    });
    [[2, 'start', SECONDS + ' s ago'], [598, 'end', 'now']].forEach(function (x) {
      var label = document.createElementNS(ns, 'text');
      label.setAttribute('x', x[0]); label.setAttribute('y', 166);
      label.setAttribute('text-anchor', x[1]);
      label.textContent = x[2];
      chart.append(label);
    });
    for (var i = 0; i < SECONDS; i++) {
      var bar = document.createElementNS(ns, 'rect');
      bar.setAttribute('x', i * 10 + 1.5);
      bar.setAttribute('width', 7);
      bar.setAttribute('rx', 1.5);
      bars.push(chart.appendChild(bar));
    }
  })();

  function drawChart() {
    var now = Math.floor(Date.now() / 1000), values = [], top = 5;
    for (var i = 0; i < SECONDS; i++) {
      values.push(eventsIn(now - SECONDS + 1 + i));
      if (i < SECONDS - 1) top = Math.max(top, values[i]);
    }
    top = niceCeiling(Math.max(top, values[SECONDS - 1]));
    values.forEach(function (n, i) {
      var h = 130 * n / top;
      bars[i].setAttribute('y', 150 - h);
      bars[i].setAttribute('height', Math.max(h, n ? 1 : 0));
      bars[i].setAttribute('class', i === SECONDS - 1 ? 'now' : '');
    });
    labels[0].textContent = '0';
    labels[1].textContent = String(top / 2);
    labels[2].textContent = top + '/s';
    var last = eventsIn(now - 1);
    peak = Math.max(peak, last);
    $('rate').textContent = last.toLocaleString('en');
    $('peak').textContent = peak.toLocaleString('en');
  }

  function niceCeiling(n) {
    var step = Math.pow(10, Math.floor(Math.log10(n)));
    var nice = [1, 2, 5, 10].map(function (f) { return f * step; }).filter(function (v) { return v >= n; })[0];
    return nice % 2 ? nice * 2 : nice; // even, so the middle label is whole
  }

  setInterval(function () { if (!frame) frame = requestAnimationFrame(draw); }, 1000);

  // One polite sentence now and then instead of every event: "12 new events, the latest login: …".
  setInterval(function () {
    if (!unheard) return;
    var text = latest.text.length > 80 ? latest.text.slice(0, 80) + '…' : latest.text;
    $('heard').textContent = (unheard === 1 ? '1 new event: ' : unheard.toLocaleString('en') + ' new events, the latest ')
        + latest.kind + ': ' + text;
    unheard = 0;
  }, HEARD_EVERY);

  function color(kind) {
    if (!COLORS[kind]) COLORS[kind] = SPARE[Object.keys(COLORS).length % SPARE.length];
    return COLORS[kind];
  }

  // ---- senders: the files in senders/, with the command that runs each ----

  var SNIPPETS = [
    { name: 'curl', file: 'send.sh', run: 'sh send.sh URL "checkout: €42"' },
    { name: 'Java', file: 'Send.java', run: 'java Send.java URL "query: cart totals took 230 ms"' },
    { name: 'Python', file: 'send.py', run: 'python3 send.py URL "login: user 4711 logged in"' },
    { name: 'PHP', file: 'send.php', run: 'php send.php URL "signup: new account from Oslo"' },
    { name: 'Shell stream', file: 'stream.sh', run: 'sh stream.sh URL 600 30    # 600 mixed events over 30 s' },
    { name: 'Terminal view', file: 'watch.sh', run: 'sh watch.sh ' + location.origin + '    # curl -N on the SSE stream' }
  ];

  SNIPPETS.forEach(function (s) {
    var tab = document.createElement('button');
    tab.className = 'tab';
    tab.type = 'button';
    tab.textContent = s.name;
    tab.setAttribute('aria-pressed', 'false');
    tab.onclick = function () { showSnippet(s); };
    s.tab = $('tabs').appendChild(tab);
  });

  function showSnippet(s) {
    SNIPPETS.forEach(function (o) {
      o.tab.classList.toggle('on', o === s);
      o.tab.setAttribute('aria-pressed', String(o === s));
    });
    $('run').textContent = '$ ' + s.run.replace('URL', "'" + $('publish').textContent + "'");
    fetch('senders/' + s.file).then(function (r) { return r.text(); }).then(function (text) {
      $('snippet').textContent = text.trim();
    });
  }

  function problem(text) {
    if ($('problem').textContent !== text) $('problem').textContent = text;
  }

  $('copy').onclick = function () { navigator.clipboard.writeText($('publish').textContent); };

  $('demo').onclick = function () {
    $('demo').disabled = true;
    fetch('api/demo?seconds=10&rate=200', { method: 'POST' }).then(function (r) {
      if (!r.ok) throw new Error('the sample\'s backend answered ' + r.status);
    }).catch(function (err) {
      $('demo-note').textContent = 'Could not start the demo: ' + err.message;
    }).finally(function () {
      setTimeout(function () { $('demo').disabled = false; }, 10000);
    });
  };

  window.server = server; // for the console, and for the sample's browser test
})();
