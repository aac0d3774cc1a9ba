// Doorbell counter: the counter lives in the app's store (GET api/counter, POST api/increment);
// the relay only says "it changed". The page waits on the current version's doorbell with a script
// tag, /ev/NAME?callback=rang, which the relay answers with rang("NAME") once the backend has rung
// it, or rang("NAME", false) when the wait timed out. Then the page reads the counter again.
// ?transports=longpoll waits with a plain GET (fetch) instead of the script tag.
// One tab of the browser waits and tells the others what it read (BroadcastChannel): each wait is
// a request held open, and a browser opens at most six connections to one host, so ten tabs each
// waiting would leave the seventh unable to load anything. The waiting tab holds a Web Lock while
// it lives; when it closes, the browser gives the lock to another tab, which reads the counter and
// waits from there (a doorbell never unsets, so a ring meanwhile is not lost). Without Web Locks or
// BroadcastChannel (plain http, older browsers), every tab waits for itself. The waiting tab also
// tells the others how its wait goes (the pill and any problem), and a tab that opens asks for it,
// so every tab shows "reconnecting" and why when the one wait fails.
// For screen readers the state pill and the page's log are polite live regions, and every failure
// is shown in words (#problem) until the page is back.
(function () {
  'use strict';

  var $ = function (id) { return document.getElementById(id); };
  var shown = -1;     // version on screen
  var waitingOn = ''; // name of the doorbell this page waits on
  var tag = null;     // its <script>
  var asked = (new URLSearchParams(location.search).get('transports') || '').match(/longpoll|jsonp/);
  var byFetch = !!asked && asked[0] === 'longpoll'; // ?transports=longpoll: wait with fetch, not a script tag
  var tabs = window.BroadcastChannel ? new BroadcastChannel('addressable.samples.doorbell') : null;
  var waits = !(tabs && navigator.locks); // whether this tab waits on the doorbell (else one of the others does)
  var heard = false;  // whether the waiting tab has told this one how its wait goes

  /** Reads the counter from the app; why = what to note in the page's log once it is read. */
  function read(why) {
    fetch('api/counter', { cache: 'no-store' }).then(json).then(function (counter) {
      problem('');
      if (why) log(why + ': the counter is ' + counter.count);
      show(counter);
    }, function (err) { retry('Cannot read the counter: ' + err.message + '.'); });
  }

  function show(counter) {
    if (counter.version < shown) return;
    if (counter.version > shown && shown >= 0) bump();
    shown = counter.version;
    $('count').textContent = counter.count;
    $('version').textContent = 'version ' + counter.version;
    if (!waits) return heard || state('open', 'waiting for the doorbell'); // else the waiting tab's word
    if (tabs) tabs.postMessage(counter); // what the other tabs show
    wait(counter.doorbell);
  }

  // From the waiting tab: its counter (news for this one when newer than what it shows), and how its
  // wait goes. To the waiting tab: a new tab's question.
  if (tabs) {
    tabs.onmessage = function (e) {
      var m = e.data || {};
      if (m.ask) return waits && tell();
      if (waits) return;
      if (m.status) {
        heard = true;
        state(m.status.state, m.status.text);
        problem(m.status.problem);
        return;
      }
      if (m.version <= shown) return;
      log('the doorbell rang: the counter is ' + m.count);
      show(m);
    };
    if (!waits) tabs.postMessage({ ask: true });
  }

  /** The waiting tab: tells the others its pill and problem, as they are now. */
  function tell() {
    if (tabs) tabs.postMessage({ status: { state: $('state').dataset.state, text: $('state').textContent, problem: $('problem').textContent } });
  }

  // Held while this page lives: the browser grants it to one tab at a time, the one that waits.
  if (!waits) {
    navigator.locks.request('addressable.samples.doorbell', function () {
      waits = true;
      read(); // from the counter as it is now
      return new Promise(function () {});
    });
  }

  /** Waits for the doorbell at path (/ev/NAME) with a script tag, or with fetch; one wait at a time. */
  function wait(path) {
    var name = path.slice(path.lastIndexOf('/') + 1);
    if (name === waitingOn) return;
    if (tag) tag.remove(); // an older doorbell; its late answer is ignored below
    waitingOn = name;
    state('open', 'waiting for the doorbell');
    if (byFetch) {
      // The same wait as plain JSON: {"name","set":true|false}, or a refusal {"error","message"}.
      fetch(path + '?timeout=25', { cache: 'no-store' }).then(function (r) { return r.json(); }).then(function (answer) {
        if (answer.error) window.rang(answer); else window.rang(answer.name, answer.set);
      }, function (err) {
        if (waitingOn === name) retry('The relay did not answer the wait for the doorbell: ' + err.message + '.');
      });
      return;
    }
    tag = document.createElement('script');
    tag.src = path + '?timeout=25&callback=rang';
    tag.onerror = function () { retry('The relay did not answer the wait for the doorbell.'); };
    tag.onload = function () { if (waitingOn === name) retry('The relay answered the wait without calling rang.'); };
    document.head.append(tag);
  }

  // What the relay's answer calls: rang("NAME") once rung, rang("NAME", false) on timeout.
  // A refused wait calls rang({error, message, status}) instead.
  window.rang = function (name, set) {
    if (name && typeof name === 'object') {
      if (waitingOn) retry('The relay refused the wait: ' + name.message + ' (' + name.error + ').');
      return;
    }
    if (name !== waitingOn) return;
    waitingOn = '';
    if (set === false) return read(); // nobody rang within the timeout: look and wait again
    read('the doorbell rang');
  };

  $('increment').onclick = function () {
    fetch('api/increment', { method: 'POST' }).then(json).then(function (counter) {
      log('you pressed +1: the counter is ' + counter.count);
      show(counter);
    }, function (err) {
      log('your press was not counted: ' + err.message);
      retry('Your press did not reach the app: ' + err.message + '.');
    });
  };

  function json(r) {
    if (!r.ok) throw new Error('the app answered ' + r.status);
    return r.json();
  }

  /** Shows why (in words), then reads the counter again in 2 s. */
  function retry(why) {
    waitingOn = '';
    state('reconnecting', 'reconnecting');
    problem(why + ' Trying again in 2 s.');
    setTimeout(function () { read(); }, 2000);
  }

  function problem(text) {
    if ($('problem').textContent === text) return;
    $('problem').textContent = text;
    if (waits) tell();
  }

  function bump() {
    $('count').classList.remove('bump');
    void $('count').offsetWidth; // restart the animation
    $('count').classList.add('bump');
  }

  // The pill is a live region: written only when it changes, so each wait does not re-announce it.
  function state(s, text) {
    if ($('state').dataset.state === s && $('state').textContent === text) return;
    $('state').dataset.state = s;
    $('state').textContent = text;
    if (waits) tell();
  }

  function log(text) {
    var item = document.createElement('li');
    var time = document.createElement('time');
    time.textContent = new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
    item.append(time, document.createTextNode(text));
    $('log').prepend(item);
    while ($('log').childElementCount > 6) $('log').lastElementChild.remove();
  }

  read();
})();
