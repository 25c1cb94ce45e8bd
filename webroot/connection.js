// The /ws feed (DESIGN §5) with heartbeat and reconnect. Knows nothing about services: it reports
// its state and hands every parsed message on, as events:
//   "state"   detail: { state, attempt, retryAt }  state ∈ connecting | live | reconnecting | offline | held
//   "open"    detail: { first }                    first is true only for the very first connection
//   "message" detail: the parsed JSON object

const DEFAULTS = {
  pingEvery: 20_000,      // send {"type":"ping"} this often while live
  deadAfter: 10_000,      // no message at all this long after a ping: the socket is dead
  connectTimeout: 10_000, // a handshake that hangs this long is abandoned
  minDelay: 500,          // back-off: 0.5 s, 1 s, 2 s, … capped at maxDelay, with jitter
  maxDelay: 10_000,
};

/**
 * The /ws URL next to the page, so the dashboard also works behind a reverse proxy sub-path. A
 * browser that can gunzip asks for the opening snapshot compressed (one binary frame, a tenth of the
 * bytes: what a phone on mobile data pays at every reconnect).
 */
export function feedUrl(base = document.baseURI, gunzip = typeof DecompressionStream === 'function') {
  const url = new URL('ws', base);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.hash = '';
  url.search = gunzip ? '?snapshot=gzip' : '';
  return url.href;
}

/** A binary frame's text: the gzip snapshot. */
async function gunzipText(blob) {
  return new Response(blob.stream().pipeThrough(new DecompressionStream('gzip'))).text();
}

export class Connection extends EventTarget {
  #url;
  #opts;
  #ws = null;
  #state = 'connecting';
  #attempt = 0;            // failed attempts since the last good connection
  #everOpened = false;
  #retryAt = null;
  #retryTimer = null;
  #connectTimer = null;
  #pingTimer = null;
  #deadTimer = null;

  constructor(url, options = {}) {
    super();
    this.#url = url;
    this.#opts = { ...DEFAULTS, ...options };
    window.addEventListener('online', () => { if (this.#state !== 'held') this.retryNow(); });
    window.addEventListener('offline', () => { if (this.#state !== 'held') this.#dropped(); });
    // Phones freeze background tabs; on return, check at once instead of trusting an old socket.
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState !== 'visible') return;
      if (this.#state === 'live') this.#ping();
      else if (this.#state !== 'held') this.retryNow();
    });
  }

  get state() { return this.#state; }
  get attempt() { return this.#attempt; }
  get retryAt() { return this.#retryAt; }

  start() {
    this.#open();
  }

  /** Sends one JSON message; false when not connected (nothing is queued). */
  send(message) {
    if (this.#state !== 'live' || this.#ws?.readyState !== WebSocket.OPEN) return false;
    this.#ws.send(JSON.stringify(message));
    return true;
  }

  /** Stops connecting (logged out): nothing is tried until retryNow(). */
  hold() {
    const ws = this.#ws;
    this.#ws = null;
    this.#stopTimers();
    this.#clearRetry();
    if (ws) {
      try { ws.close(); } catch { /* already closing */ }
    }
    this.#attempt = 0;
    this.#setState('held');
  }

  /** Skips the remaining back-off wait (the user pressed "Retry now", or the network came back). */
  retryNow() {
    if (this.#state === 'live' || (this.#ws && this.#ws.readyState === WebSocket.CONNECTING)) return;
    this.#attempt = 0;
    this.#clearRetry();
    this.#open();
  }

  #open() {
    this.#clearRetry();
    this.#setState(this.#everOpened || this.#attempt > 0 ? this.#waitingState() : 'connecting');
    let ws;
    try {
      ws = new WebSocket(this.#url);
    } catch (e) {
      console.error('WebSocket could not be created', e);
      this.#scheduleRetry();
      return;
    }
    this.#ws = ws;
    this.#connectTimer = setTimeout(() => this.#abandon(ws, 'connect timeout'), this.#opts.connectTimeout);
    ws.addEventListener('open', () => {
      if (ws !== this.#ws) return;
      clearTimeout(this.#connectTimer);
      const first = !this.#everOpened;
      this.#everOpened = true;
      this.#setState('live');
      this.#pingTimer = setInterval(() => this.#ping(), this.#opts.pingEvery);
      this.dispatchEvent(new CustomEvent('open', { detail: { first } }));
    });
    // Frames are handed on in arrival order: a text frame waits while a gzip snapshot before it is unpacked.
    let unpacking = null;
    ws.addEventListener('message', (event) => {
      if (ws !== this.#ws) return;
      // Any message proves the socket alive, not only a pong.
      clearTimeout(this.#deadTimer);
      this.#deadTimer = null;
      // A server that accepts and at once drops us must not reset the back-off: only data does.
      this.#attempt = 0;
      if (typeof event.data !== 'string' || unpacking) {
        const text = typeof event.data === 'string' ? Promise.resolve(event.data) : gunzipText(event.data);
        const done = (unpacking ?? Promise.resolve())
          .then(() => text)
          .then((t) => { if (ws === this.#ws) this.#deliver(t); })
          .catch((e) => console.warn('ignored a binary frame that is not gzip JSON', e))
          .finally(() => { if (unpacking === done) unpacking = null; });
        unpacking = done;
        return;
      }
      this.#deliver(event.data);
    });
    ws.addEventListener('close', () => {
      if (ws === this.#ws) this.#dropped();
    });
    // "error" is always followed by "close"; nothing to do here.
  }

  #deliver(text) {
    let message;
    try {
      message = JSON.parse(text);
    } catch {
      console.warn('ignored a frame that is not JSON', text);
      return;
    }
    if (message && typeof message === 'object' && !Array.isArray(message)) {
      this.dispatchEvent(new CustomEvent('message', { detail: message }));
    }
  }

  #ping() {
    if (!this.send({ type: 'ping' })) return;
    if (this.#deadTimer === null) {
      const ws = this.#ws;
      this.#deadTimer = setTimeout(() => this.#abandon(ws, 'no answer to ping'), this.#opts.deadAfter);
    }
  }

  /** Gives up on a socket that hangs: a dead network may take minutes to deliver "close". */
  #abandon(ws, reason) {
    if (ws !== this.#ws) return;
    console.warn(`/ws: ${reason}; reconnecting`);
    this.#dropped();
  }

  #dropped() {
    const ws = this.#ws;
    this.#ws = null;
    this.#stopTimers();
    if (ws) {
      try { ws.close(); } catch { /* already closing */ }
    }
    if (this.#retryTimer === null) this.#scheduleRetry();
    else this.#setState(this.#waitingState()); // already waiting: only the label may change
  }

  #scheduleRetry() {
    this.#attempt += 1;
    const base = Math.min(this.#opts.maxDelay, this.#opts.minDelay * 2 ** (this.#attempt - 1));
    const delay = base / 2 + Math.random() * base / 2; // "equal jitter": never zero, never in lock-step
    this.#retryAt = Date.now() + delay;
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      this.#open();
    }, delay);
    this.#setState(this.#waitingState());
  }

  #waitingState() {
    return navigator.onLine === false ? 'offline' : 'reconnecting';
  }

  #clearRetry() {
    clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    this.#retryAt = null;
  }

  #stopTimers() {
    clearTimeout(this.#connectTimer);
    clearInterval(this.#pingTimer);
    clearTimeout(this.#deadTimer);
    this.#deadTimer = null;
  }

  #setState(state) {
    this.#state = state;
    this.dispatchEvent(new CustomEvent('state', {
      detail: { state, attempt: this.#attempt, retryAt: this.#retryAt },
    }));
  }
}
