// The live connection as an object: websocket /ws with replay from the last stored event id,
// exponential backoff, a watchdog, client pings and a polling safety net. Everything it talks
// to (the socket, the store, the API, the network state, timers) is passed in, so the rules —
// no gap and no duplicate across reconnects, events handled in order — are tested in Node
// (tests/js/connection.test.mjs); js/connection.js wires it to the browser.

export const TIMINGS = {
  pingMs: 15000,      // the client pings; the server answers with a pong
  watchdogMs: 45000,  // no message at all for this long: the socket is dead, reconnect
  pollMs: 60000,      // the safety net: ask /api/events even while the socket seems fine
  backoffMinMs: 1000,
  backoffMaxMs: 30000,
};

export class Connection {
  /**
   * @param {object} deps
   * @param {(url: string) => WebSocket} deps.openSocket
   * @param {(since: number) => string} deps.socketUrl
   * @param {(since: number) => Promise<object[]>} deps.fetchSince  events after `since`; throws {isNetwork} offline
   * @param {{putEvent(e): Promise<boolean>, getLastId(): Promise<number>, setLastId(n): Promise<void>}} deps.store
   * @param {() => boolean} deps.isOnline
   * @param {() => number} [deps.random]
   * @param {Partial<typeof TIMINGS>} [timings]
   */
  constructor(deps, timings = {}) {
    this.deps = { random: Math.random, ...deps };
    this.timings = { ...TIMINGS, ...timings };
    this.ws = null;
    this.running = false;
    this.state = "closed";
    this.lastId = 0;
    this.lastMessageAt = 0;
    this.backoff = this.timings.backoffMinMs;
    this.timers = { reconnect: null, ping: null, watchdog: null, poll: null };
    this.chain = Promise.resolve(); // events are handled one after another, in arrival order
    this.reachable = true;
    this.listeners = { event: new Set(), ready: new Set(), state: new Set(), reachable: new Set() };
    this.onUnauthorized = () => {};
  }

  /** fn(event, {live}); `live` is false for the replay a fresh socket sends before "ready". */
  onEvent(fn) { this.listeners.event.add(fn); }
  onReady(fn) { this.listeners.ready.add(fn); }
  onState(fn) { this.listeners.state.add(fn); }
  onReachable(fn) { this.listeners.reachable.add(fn); }

  setReachable(value) {
    if (value === this.reachable) return;
    this.reachable = value;
    for (const fn of this.listeners.reachable) fn(value);
  }

  setState(next) {
    if (next === this.state) return;
    this.state = next;
    for (const fn of this.listeners.state) fn(next);
  }

  /** Store, advance the last id, tell listeners — once per event id, in order. */
  handleEvent(event, live = true) {
    this.chain = this.chain.then(async () => {
      let isNew = true;
      try {
        isNew = await this.deps.store.putEvent(event);
      } catch { /* storage failed: still show it */ }
      this.advance(event.id);
      if (!isNew) return;
      for (const fn of this.listeners.event) {
        try { fn(event, { live }); } catch (err) { console.error(err); }
      }
    });
    return this.chain;
  }

  advance(id) {
    if (id <= this.lastId) return;
    this.lastId = id;
    this.deps.store.setLastId(id).catch(() => {});
  }

  clearSocketTimers() {
    clearTimeout(this.timers.reconnect);
    clearInterval(this.timers.ping);
    this.timers.reconnect = this.timers.ping = null;
  }

  dropSocket() {
    const old = this.ws;
    this.ws = null;
    if (!old) return;
    old.onclose = old.onmessage = old.onerror = old.onopen = null;
    try { old.close(); } catch { /* ignore */ }
  }

  connect() {
    if (!this.running) return;
    this.clearSocketTimers();
    this.dropSocket();
    if (!this.deps.isOnline()) {
      this.setState("offline");
      return;
    }
    this.setState("connecting");
    this.lastMessageAt = Date.now();
    let sock;
    try {
      sock = this.deps.openSocket(this.deps.socketUrl(this.lastId));
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.ws = sock;
    let replaying = true; // events before "ready" are the replay of what we missed
    sock.onopen = () => {
      this.lastMessageAt = Date.now();
      this.backoff = this.timings.backoffMinMs;
      this.setReachable(true);
      this.setState("open");
      this.timers.ping = setInterval(() => {
        if (sock.readyState === 1) sock.send(JSON.stringify({ type: "ping" }));
      }, this.timings.pingMs);
    };
    sock.onmessage = (msg) => {
      this.lastMessageAt = Date.now();
      let data;
      try { data = JSON.parse(msg.data); } catch { return; }
      if (data.type === "event" && data.event && typeof data.event.id === "number") {
        this.handleEvent(data.event, !replaying);
      } else if (data.type === "ready" && typeof data.last_id === "number") {
        replaying = false;
        this.chain = this.chain.then(() => {
          this.advance(data.last_id);
          for (const fn of this.listeners.ready) {
            try { fn(); } catch (err) { console.error(err); }
          }
        });
      }
      // heartbeat / pong: only refresh lastMessageAt (done above)
    };
    sock.onclose = (e) => {
      if (this.ws !== sock) return;
      this.ws = null;
      clearInterval(this.timers.ping);
      if (e.code === 4401) { // the session was revoked
        this.stop();
        this.onUnauthorized();
        return;
      }
      this.scheduleReconnect();
      if (this.deps.isOnline()) this.poll();
    };
  }

  /** The next try after a jittered, doubling delay (so a thousand phones do not reconnect at once). */
  scheduleReconnect() {
    if (!this.running) return;
    if (!this.deps.isOnline()) {
      this.setState("offline");
      return;
    }
    this.setState("closed");
    const delay = Math.min(this.backoff, this.timings.backoffMaxMs) * (0.5 + this.deps.random() * 0.5);
    this.backoff = Math.min(this.backoff * 2, this.timings.backoffMaxMs);
    clearTimeout(this.timers.reconnect);
    this.timers.reconnect = setTimeout(() => this.connect(), delay);
    return delay;
  }

  /** Safety net: fetch missed events over HTTP, through the same ordered handling. */
  async poll() {
    if (!this.running || !this.deps.isOnline()) return;
    try {
      await this.chain;
      const events = await this.deps.fetchSince(this.lastId);
      this.setReachable(true);
      for (const ev of events) this.handleEvent(ev);
      await this.chain;
    } catch (err) {
      if (err?.isNetwork) this.setReachable(false);
    }
  }

  reconnectNow() {
    if (!this.running) return;
    this.backoff = this.timings.backoffMinMs;
    if (!this.ws || this.ws.readyState > 1) this.connect();
  }

  wentOffline() {
    this.setReachable(false);
    this.dropSocket();
    this.clearSocketTimers();
    this.setState("offline");
  }

  /** The app came to the foreground: check the socket at once. */
  becameVisible() {
    if (this.state === "open" && this.ws?.readyState === 1) this.ws.send(JSON.stringify({ type: "ping" }));
    else this.reconnectNow();
  }

  watch() {
    if (this.ws && Date.now() - this.lastMessageAt > this.timings.watchdogMs) {
      const stale = this.ws;
      try { stale.close(); } catch { /* ignore */ }
      // onclose schedules the reconnect; force it if close never fires
      setTimeout(() => { if (this.ws === stale) this.connect(); }, 2000);
    }
  }

  async start() {
    if (this.running) return;
    this.running = true;
    this.lastId = Number(await this.deps.store.getLastId().catch(() => 0)) || 0;
    this.timers.watchdog = setInterval(() => this.watch(), 5000);
    this.timers.poll = setInterval(() => this.poll(), this.timings.pollMs);
    this.connect();
  }

  stop() {
    this.running = false;
    this.clearSocketTimers();
    clearInterval(this.timers.watchdog);
    clearInterval(this.timers.poll);
    this.dropSocket();
    this.lastId = 0;
    this.chain = Promise.resolve();
    this.setState("closed");
  }
}
