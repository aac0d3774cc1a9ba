// Chat: two tabs talk through the relay with no app backend. Each message is JSON
// {from, name, text}: "from" is the sender's own address, so the other side can answer.
// Sends ask for a receipt (?wait=5): one tick when the relay has it, two once the other tab got it.
// For screen readers: the state pill, the presence line and the conversation are polite live
// regions; a tick carries its state in words, and a failure shows its reason as text.
(function () {
  'use strict';

  var $ = function (id) { return document.getElementById(id); };
  var server = new Addressable.Server({ transports: chosenTransports() });
  var peer = sessionStorage.getItem('chat.peer') || '';
  var ADDRESS = /^https?:\/\/[^\s?#]+\/m\/[A-Za-z0-9_-]+\/[A-Za-z0-9_-]+$/;

  $('name').value = sessionStorage.getItem('chat.name') || 'Guest ' + (100 + Math.floor(Math.random() * 900));
  $('name').onchange = function () { sessionStorage.setItem('chat.name', $('name').value.trim()); };
  $('peer').value = peer;

  server.onstatechange = function (state) {
    $('state').textContent = state === 'open' ? 'online · ' + server.transport : state;
    $('state').dataset.state = state;
    if (state === 'open') problem('');
  };

  // Why the connection failed, in words (the library's errors carry a code and a message).
  server.onerror = function (err) {
    if (!err || !err.code) throw err; // a bug in this page: let it surface as a page error
    problem('Connection problem: ' + err.message + ' (' + err.code + ')');
  };

  server.onmessage = function (data) {
    var msg;
    try { msg = JSON.parse(data); } catch (e) { msg = null; }
    if (!msg || typeof msg.text !== 'string') msg = { text: data }; // e.g. curl -d hello <address>
    if (msg.from && ADDRESS.test(msg.from) && !peer) setPeer(msg.from);
    add('in', msg.text, msg.name || (msg.from ? 'someone' : 'curl or a backend'));
  };

  server.connect(function (id, url) { $('me').textContent = url; });

  $('copy').onclick = function () {
    navigator.clipboard.writeText(server.url || '').then(function () {
      $('copy').textContent = 'Copied';
      setTimeout(function () { $('copy').textContent = 'Copy'; }, 1500);
    }, function () { selectText($('me')); });
  };

  $('peer-form').onsubmit = function (e) { e.preventDefault(); setPeer($('peer').value.trim()); };
  $('peer').onchange = function () { setPeer($('peer').value.trim()); };

  $('compose').onsubmit = function (e) {
    e.preventDefault();
    var text = $('text').value.trim();
    if (!text) return;
    if (!peer) { $('peer').focus(); return say('Paste the other tab\'s address first.', false); }
    $('text').value = '';
    send(text);
  };

  function send(text) {
    var item = add('out', text, $('name').value.trim() || 'me');
    tick(item, 'sending', 'sending…');
    var message = { from: server.url, name: $('name').value.trim(), text: text };
    server.send(peer + '?wait=5', message).then(function (answer) {
      if (answer.received) tick(item, 'received', 'received by the other tab');
      else tick(item, 'accepted', 'at the relay: the other tab gets it when it comes back');
    }, function (err) {
      tick(item, 'failed', 'not sent');
      var reason = document.createElement('span');
      reason.className = 'error';
      reason.textContent = 'Not sent: ' + err.message + (err.code ? ' (' + err.code + ')' : '');
      item.append(reason);
    });
  }

  function setPeer(url) {
    if (url && !ADDRESS.test(url)) return say('That is not a tab address (…/m/<client>/<tab>).', false);
    peer = url;
    $('peer').value = url;
    sessionStorage.setItem('chat.peer', url);
    checkPresence();
  }

  // The relay tells anyone holding an address whether a tab is there now.
  function checkPresence() {
    if (!peer) return;
    server.status(peer).then(function (s) {
      if (s.online) say('Online now', true);
      else say(s.lastSeen ? 'Away, last seen ' + new Date(s.lastSeen).toLocaleTimeString() : 'Not connected', false);
    }, function (err) { say('Cannot check that address: ' + err.message, false); });
  }
  setInterval(checkPresence, 15000);
  checkPresence();

  // The presence line is a live region: only a change is written, so a screen reader hears it once.
  function say(text, online) {
    if ($('presence').textContent !== text) $('presence').textContent = text;
    $('presence').dataset.online = online ? 'yes' : 'no';
  }

  function problem(text) {
    if ($('problem').textContent !== text) $('problem').textContent = text;
  }

  function add(direction, text, who) {
    var empty = $('empty');
    if (empty) empty.remove();
    var item = document.createElement('li');
    item.className = 'message ' + direction;
    var head = document.createElement('span');
    head.className = 'who';
    head.textContent = who + ' · ' + new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    var body = document.createElement('span');
    body.className = 'text';
    body.textContent = text;
    item.append(head, body);
    if (direction === 'out') {
      var t = Object.assign(document.createElement('span'), { className: 'tick' });
      t.append(Object.assign(document.createElement('span'), { className: 'sr-only' })); // its state in words
      item.append(t);
    }
    $('messages').append(item);
    item.scrollIntoView({ block: 'end' });
    return item;
  }

  /** Sets a sent message's tick: a glyph for the eye, the same state in words for screen readers. */
  function tick(item, state, words) {
    var t = item.querySelector('.tick');
    t.dataset.state = state;
    t.title = words;
    t.firstChild.textContent = words;
  }

  function selectText(node) {
    var range = document.createRange();
    range.selectNodeContents(node);
    getSelection().removeAllRanges();
    getSelection().addRange(range);
  }

  window.server = server; // for the console, and for the sample's browser test
})();
