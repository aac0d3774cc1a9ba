// Shared by the samples that load the library: the transports the page's query asks for, e.g.
// ?transports=longpoll or ?transports=sse,jsonp (names the library knows; samples/README.md),
// else null: the library's own order. Load it after /addressable.js.
function chosenTransports() {
  'use strict';
  var asked = (new URLSearchParams(location.search).get('transports') || '').split(',');
  var known = asked.filter(function (t) { return Addressable.transports.indexOf(t) >= 0; });
  return known.length ? known : null;
}
