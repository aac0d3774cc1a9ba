// Types for addressable.js: a plain script (global `Addressable`), CommonJS module, or ES module
// through addressable.mjs (`import { Server } from '…/addressable.mjs'`).

export as namespace Addressable;
export = Addressable;

declare namespace Addressable {
  /** Wire transports, tried in this order by default. */
  type TransportName = 'websocket' | 'sse' | 'longpoll' | 'jsonp';

  /**
   * 'closed' before connect() and after disconnect() (or a fatal /connect error);
   * 'connecting' until a transport first opens; 'open'; 'reconnecting' after a drop.
   */
  type State = 'closed' | 'connecting' | 'open' | 'reconnecting';

  interface ServerOptions {
    /** Relay base URL. Default: the folder addressable.js was loaded from, else the page's origin. */
    relay?: string;
    /** Channel (1-64 chars of [A-Za-z0-9_-]). Default: the tab's own, kept in window.name. */
    channel?: string;
    /** Transports to try, in order. Default: all, as ['websocket', 'sse', 'longpoll', 'jsonp']. */
    transports?: TransportName[];
    /** 2008 code's way to ask for one connection shared by the browser's tabs, which is now the default. */
    useGears?: boolean;
    /**
     * Share one relay connection between this browser's tabs (a leader tab runs it for all). Default
     * true; needs Web Locks (secure contexts) and BroadcastChannel, else the tab connects alone.
     */
    shared?: boolean;
    /** ms without word from the relay after which a visible follower takes over a stalled leader. Default heartbeatTimeout + 5000. */
    hubStall?: number;
    /**
     * URL of a SharedWorker script on the page's own origin that calls Addressable.startWorker():
     * the hub then runs there instead of in a leader tab. Every tab must pass the same URL.
     * Where SharedWorker is missing or the script fails to load, tabs share through a leader tab.
     */
    workerUrl?: string;
    /** ms without any frame (message or heartbeat) before a stream counts as dropped. Default 45000. */
    heartbeatTimeout?: number;
    /** Seconds a long-poll waits at the relay. Default 25; a poll is dropped after this + 10 s. */
    pollTimeout?: number;
    /** First retry delay in ms, doubling per failure. Default 500. */
    retryDelay?: number;
    /** Cap of the retry delay in ms. Default 30000. */
    maxRetryDelay?: number;
    /** For tests only: replaces browser globals (timers, fetch, WebSocket, storage, …). Not a stable API. */
    env?: Record<string, unknown>;
  }

  interface MessageMeta {
    /** The message's sequence number in its source (the channel's inbox, or its topic). */
    seq: number;
    /** When the relay accepted it, epoch ms. */
    ts: number;
    /** True on the first message after messages were lost (inbox overflow, expiry, relay restart). */
    missed: boolean;
    /** Set when the message came from a subscribed topic. */
    topic?: string;
  }

  /** Errors given to onerror and by rejected send() promises. */
  interface AddressableError extends Error {
    /**
     * The relay's code ('wrong_key', 'unknown_address', 'rate_limited', …) or the library's:
     * 'closed' (a connection dropped), 'stream_refused' (an event stream refused before it opened,
     * e.g. 429 too_many_polls; EventSource cannot say which), 'heartbeat_timeout', 'timeout', 'script_error',
     * 'no_callback', 'bad_frame', 'bad_answer', 'unsupported', 'http_<status>'.
     */
    code?: string;
    /** HTTP status, when the relay answered. */
    status?: number;
    /** Seconds from a 429's or 503's Retry-After. */
    retryAfter?: number;
  }

  /** The relay's answer to a send: {seq, delivered} for a channel address; more fields for others. */
  interface SendResult {
    seq?: number;
    delivered?: number;
    /** True when this send's mid had been stored before (a retry): nothing was stored again. */
    dup?: boolean;
    [field: string]: unknown;
  }

  class Server {
    /** Throws RangeError for a bad channel or an unknown transport name. Callable without `new`. */
    constructor(options?: ServerOptions);

    readonly options: ServerOptions;
    /** Relay base URL in use, without trailing slash. */
    readonly relay: string;
    readonly useGears: boolean;
    readonly state: State;
    /** This tab's address: `{relay}/m/{client}/{channel}`. Null until connected. */
    readonly url: string | null;
    /** Address reaching every live tab of this client: `{relay}/m/{client}`. Null until connected. */
    readonly clientUrl: string | null;
    /** `{client}/{channel}`: unique per tab across the relay. Null until connected. */
    readonly id: string | null;
    /** Public client id, shared by the origin's tabs (kept in localStorage). */
    readonly client: string | null;
    readonly channel: string | null;
    /** Transport of the current or last attempt (a follower's: its leader's). */
    readonly transport: TransportName | null;
    /**
     * How this tab receives: 'leader' (it holds the browser's shared connection), 'follower' (its
     * leader tab receives for it), 'worker' (the site's SharedWorker receives for it, see
     * workerUrl), or 'solo' (a connection of its own). Null before connect.
     */
    readonly mode: 'leader' | 'follower' | 'worker' | 'solo' | null;
    /** Opaque position after the last delivered message. */
    readonly cursor: string | null;

    /**
     * Each message once, in order per source. `data` is always a string (a JSON body arrives as
     * its text). 2008 handlers taking one argument keep working.
     */
    onmessage: ((data: string, meta: MessageMeta) => void) | null;
    onstatechange: ((state: State) => void) | null;
    /**
     * Errors: relay and network failures the library retries, and exceptions thrown by the other
     * handlers. Never thrown out of the library; without onerror, handler exceptions are rethrown
     * on a fresh stack and library errors are dropped.
     */
    onerror: ((error: AddressableError) => void) | null;
    /** Called when the relay reports lost messages; the next message also has meta.missed = true. */
    onmissed: (() => void) | null;

    /**
     * Starts receiving. `callback(id, url)` runs when the address is known, and again whenever it
     * changes (setChannel after connect, a duplicated tab moving, a relay refusing the stored key).
     * Calling connect() again only adds the callback. Returns this.
     */
    connect(callback?: (id: string, url: string) => void): this;
    /** Receive on `name` instead of the tab's own channel; after connect() the tab moves. Throws RangeError for a bad name. */
    setChannel(name: string): this;
    /** Stops receiving; no handler runs afterwards but onstatechange('closed'). connect() starts again. */
    disconnect(): this;
    /**
     * Pushes `message` (a string; anything else is sent as its JSON text) to any address. Needs no
     * connect(). CORS fetch POST, falling back to a JSONP GET when fetch fails at the network level.
     */
    send(url: string, message: unknown): Promise<SendResult | string>;
    /**
     * Follows a topic on this tab's own connection: publishes then reach onmessage with
     * meta.topic. `topicUrl` is the topic's id (or its publish URL) from POST /topics, `capability` its
     * subscribeKey. Waits for connect() to establish the address; re-subscribes when the relay says it
     * forgot the subscription (a restart, an idle channel).
     */
    subscribe(topicUrl: string, capability: string): Promise<{ topic: string; subscribed: boolean }>;
    /** Stops following a topic. */
    unsubscribe(topicUrl: string): Promise<{ topic: string; subscribed: boolean }>;
    /** Whether someone is at `url` (default: this tab's address) now. */
    status(url?: string): Promise<{ online: boolean; lastSeen: number | null }>;
  }

  const version: string;
  /** All transport names in default order. */
  const transports: TransportName[];
  /** Relay used when options.relay is absent ('' when unknown); may be assigned before creating a Server. */
  let defaultRelay: string;
  /**
   * Runs the browser's shared hub in this SharedWorker. Call it once from the worker script the
   * site serves for workerUrl, after importScripts('{relay}/addressable.js').
   */
  function startWorker(): object;
}
