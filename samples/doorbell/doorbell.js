// Doorbell counter: the counter lives in the app's store (GET api/counter, POST api/increment);
// the relay only says "it changed". The page waits on the current version's doorbell with a script
// tag, /ev/NAME?callback=rang, which the relay answers with rang("NAME") once the backend has rung
// it, or rang("NAME", false) when the wait timed out. Then the page reads the counter again.
(function () {
  'use strict';

  var $ = function (id) { return document.getElementById(id); };
  var shown = -1;     // version on screen
  var waitingOn = ''; // name of the doorbell this page waits on
  var tag = null;     // its <script>

  /** Reads the counter from the app; why = what to note in the page's log once it is read. */
  function read(why) {
    fetch('api/counter', { cache: 'no-store' }).then(function (r) { return r.json(); }).then(function (counter) {
      if (why) log(why + ': the counter is ' + counter.count);
      show(counter);
    }, retry);
  }

  function show(counter) {
    if (counter.version < shown) return;
    if (counter.version > shown && shown >= 0) bump();
    shown = counter.version;
    $('count').textContent = counter.count;
    $('version').textContent = 'version ' + counter.version;
    wait(counter.doorbell);
  }

  /** Waits for the doorbell at path (/ev/NAME) with a script tag; one tag at a time. */
  function wait(path) {
    var name = path.slice(path.lastIndexOf('/') + 1);
    if (name === waitingOn) return;
    if (tag) tag.remove(); // an older doorbell; its late answer is ignored below
    waitingOn = name;
    state('open', 'waiting for the doorbell');
    tag = document.createElement('script');
    tag.src = path + '?timeout=25&callback=rang';
    tag.onerror = retry; // relay unreachable: try again shortly
    tag.onload = function () { if (waitingOn === name) retry(); }; // answered without calling rang (an error)
    document.head.append(tag);
  }

  // What the relay's answer calls: rang("NAME") once rung, rang("NAME", false) on timeout.
  window.rang = function (name, set) {
    if (name !== waitingOn) return;
    waitingOn = '';
    if (set === false) return read(); // nobody rang within the timeout: look and wait again
    read('the doorbell rang');
  };

  $('increment').onclick = function () {
    fetch('api/increment', { method: 'POST' }).then(function (r) { return r.json(); }).then(function (counter) {
      log('you pressed +1: the counter is ' + counter.count);
      show(counter);
    }, retry);
  };

  function retry() {
    waitingOn = '';
    state('reconnecting', 'reconnecting');
    setTimeout(function () { read(); }, 2000);
  }

  function bump() {
    $('count').classList.remove('bump');
    void $('count').offsetWidth; // restart the animation
    $('count').classList.add('bump');
  }

  function state(s, text) {
    $('state').dataset.state = s;
    $('state').textContent = text;
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
