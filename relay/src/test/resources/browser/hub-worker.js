// The worker a site serves for the library's worker mode (workerUrl): it loads the library from
// the relay and runs the browser's shared hub. A real site writes its relay's URL here; the test
// pages pass it in the query, since the test relay's port changes from run to run.
importScripts(new URL(self.location.href).searchParams.get('relay') + '/addressable.js');
Addressable.startWorker();

// For WorkerModeTest only: a port that posts {testEnd: true} ends the worker, as a crash would,
// and BroadcastChannel 'test-worker' answers any message with when this worker was born.
var born = Date.now(), runHub = self.onconnect, ask = new BroadcastChannel('test-worker');
ask.onmessage = function () { ask.postMessage({ born: born }); };
self.onconnect = function (e) {
  e.ports[0].addEventListener('message', function (m) { if (m.data && m.data.testEnd) self.close(); });
  runHub(e);
};
