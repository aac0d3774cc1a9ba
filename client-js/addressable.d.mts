// Types for addressable.mjs (the ES-module entry); the API is described in addressable.d.ts.
import type Addressable = require('./addressable.js');

declare const api: typeof Addressable;
export default api;
export declare const Server: typeof Addressable.Server;
export type { Addressable };
