// The worker a site serves for the library's worker mode (workerUrl): it loads the library from
// the relay and runs the browser's shared hub. A real site writes its relay's URL here; the test
// pages pass it in the query, since the test relay's port changes from run to run.
importScripts(new URL(self.location.href).searchParams.get('relay') + '/addressable.js');
Addressable.startWorker();
