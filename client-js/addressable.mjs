// ES-module entry. Importing the classic script runs it (as module code), which sets
// globalThis.Addressable; this file re-exports it and, since a module has no
// document.currentScript, takes the default relay from its own URL.
//
//   import { Server } from 'https://relay.example/addressable.mjs';
import './addressable.js';

const Addressable = globalThis.Addressable;
if (!Addressable.defaultRelay && /^https?:/.test(import.meta.url)) {
  Addressable.defaultRelay = new URL('.', import.meta.url).href.replace(/\/$/, '');
}

export const Server = Addressable.Server;
export default Addressable;
