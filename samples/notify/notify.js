// Notifications: each notice sent to this browser's client address (server.clientUrl) reaches
// every tab it has open. Notices are JSON {from, text, level: "info" | "urgent"}; plain text works
// too. The sender picks a TTL (?ttl=seconds): the relay drops a notice once it is stale, so a tab
// that comes back later never shows it. For screen readers, "Recent notices" is the polite live
// region that reads each notice (the toasts are for the eye), and failures are shown in words.
(function () {
  'use strict';

  var $ = function (id) { return document.getElementById(id); };
  var server = new Addressable.Server({ transports: chosenTransports() });
  var unread = 0;

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
    if (meta.missed) remember(null, 'Notices that went stale while this tab was away were not shown.');
    var notice;
    try { notice = JSON.parse(data); } catch (e) { notice = null; }
    if (!notice || typeof notice.text !== 'string') notice = { text: data };
    toast(notice);
    remember(notice);
    $('unread').textContent = ++unread;
    $('bell').setAttribute('aria-label', unread + (unread === 1 ? ' notice' : ' notices') + ' in this tab');
    $('bell').classList.add('ring');
    setTimeout(function () { $('bell').classList.remove('ring'); }, 900);
  };

  server.connect(function () { $('client-url').textContent = server.clientUrl; });

  /** A highlighted box at the top right that fades away by itself. */
  function toast(notice) {
    var box = document.createElement('div');
    box.className = 'toast ' + (notice.level === 'urgent' ? 'urgent' : 'info');
    var title = document.createElement('strong');
    title.textContent = (notice.level === 'urgent' ? 'Urgent · ' : '') + (notice.from || 'Notice');
    var text = document.createElement('span');
    text.textContent = notice.text;
    box.append(title, text);
    $('toasts').prepend(box);
    setTimeout(function () {
      box.classList.add('leaving');
      box.addEventListener('transitionend', function () { box.remove(); });
    }, notice.level === 'urgent' ? 12000 : 7000);
  }

  /** Keeps the notice in "Recent notices"; a null notice is a note of the page's own. */
  function remember(notice, note) {
    var list = $('history'), item = document.createElement('li');
    var none = list.querySelector('.none');
    if (none) none.remove();
    if (!notice) {
      item.className = 'expired';
      item.textContent = note;
    } else {
      item.className = 'notice ' + (notice.level === 'urgent' ? 'urgent' : 'info');
      var who = document.createElement('strong');
      who.textContent = (notice.level === 'urgent' ? 'Urgent · ' : '') + (notice.from || 'Notice'); // not by colour alone
      var text = document.createElement('span');
      text.className = 'text';
      text.textContent = notice.text;
      var time = document.createElement('time');
      time.textContent = new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
      item.append(who, text, time);
    }
    list.prepend(item);
  }

  // The form does what a backend would: one send to the client address, with a TTL.
  $('send-form').onsubmit = function (e) {
    e.preventDefault();
    if (!server.clientUrl) return;
    var ttl = Math.max(1, Math.min(120, parseInt($('ttl').value, 10) || 30));
    var notice = { from: $('from').value.trim(), text: $('text').value.trim(), level: $('level').value };
    server.send(server.clientUrl + '?ttl=' + ttl, notice).then(function (answer) {
      var tabs = (answer.channels || []).length;
      $('result').textContent = 'Sent to ' + tabs + (tabs === 1 ? ' tab' : ' tabs') + ', kept ' + ttl + ' s for tabs that are away.';
    }, function (err) {
      $('result').textContent = 'Not sent: ' + err.message + (err.code ? ' (' + err.code + ')' : '');
    });
  };

  function problem(text) {
    if ($('problem').textContent !== text) $('problem').textContent = text;
  }

  $('copy').onclick = function () { navigator.clipboard.writeText(server.clientUrl || ''); };

  window.server = server; // for the console, and for the sample's browser test
})();
