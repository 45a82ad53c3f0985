// The worker's own alarm as an object: the raise (idempotent, retried until the server has it),
// the open alarm as the server describes it, position sharing while it is open, and closing
// with the PIN. It touches no DOM and imports nothing: the API, storage, the position watch,
// the cover and the screen are passed in, so the rules — "received" only after the server's
// answer, never before; a PIN cancel looks the same whatever the server did with it — are
// tested in Node (tests/js/alarm-worker.test.mjs); js/alarm/worker.js wires it to the page.

export const TIMINGS = {
  retryMs: 2000,
  confirmMs: 3000,       // not confirmed by then: "Niet verstuurd"
  sendTimeoutMs: 5000,
  fixWaitMs: 1000,       // the raise never waits longer for a position
  positionEveryMs: 10000,
};

const PIN = /^\d{4,8}$/;
const quiet = { handle401: false, timeout: 8000 };

/** What the screen draws, from nothing up: which of the four honest states the alarm is in. */
function alarmStatus({ pending, own, unsent }) {
  if (own) return own.acknowledgements?.length ? "acknowledged" : "received";
  if (pending) return unsent ? "unsent" : "sending";
  return "idle";
}

export class WorkerAlarmController {
  /**
   * @param {object} deps
   * @param {{post(path, body, opts): Promise<object>, get(path, opts): Promise<object>}} deps.api
   *   errors carry {status, isNetwork, retryAfter, message} as api.js's ApiError does
   * @param {{get(key), set(key, value), delete(key)}} deps.store  promises (IndexedDB's kv)
   * @param {{start(), stop(), settled(ms): Promise, latest, missing}} deps.watch  a PositionWatch
   * @param {{stop(), begin(alarmId), resume()}} deps.cover  the silent position cover (cover.js)
   * @param {() => boolean} deps.isOnline
   * @param {() => string} deps.newClientId
   * @param {() => void} [deps.vibrate]
   * @param {Partial<typeof TIMINGS>} [timings]
   */
  constructor(deps, timings = {}) {
    this.deps = { vibrate: () => {}, ...deps };
    this.timings = { ...TIMINGS, ...timings };
    // What the screen shows; the page sets it (js/alarm/worker.js), tests record the calls.
    this.view = { show() {}, render() {}, renderLocation() {}, finished() {} };
    this.reset();
    this.closed = new Set(); // ids of my alarms closed on this device: never shown again
    this.generation = 0;     // bumps on stop() so stale async work does nothing
  }

  reset() {
    this.pending = null;  // {client_id, test, position, position_missing, no_position, started_at} until the server has it
    this.own = null;      // the open alarm as the server last described it
    this.unsent = null;   // why the raise is not confirmed: {reason, message}; null while sending or once sent
    this.locked = null;   // {message} once cancelling by PIN is locked (429)
    this.inFlight = false;
    this.retryTimer = 0;
    this.confirmTimer = 0;
    this.resetSharing();
  }

  resetSharing() {
    this.sentPosition = null; // the fix the server was sent last (by identity)
    this.toldMissing = null;  // the reason the server was told last ("pending" in the raise)
    this.lastSentAt = 0;
    this.positionTimer = 0;
  }

  get isOpen() { return !!(this.pending || this.own); }
  get status() { return alarmStatus(this); }
  get test() { return this.own ? !!this.own.test : !!this.pending?.test; }
  isClosedHere(id) { return this.closed.has(id); }

  /* ---------- position: shared while the alarm is open, or why not ---------- */
  sendPosition() {
    this.positionTimer = 0;
    const position = this.deps.watch.latest;
    if (!this.own || !position || position === this.sentPosition) return;
    this.sentPosition = position;
    this.lastSentAt = Date.now();
    this.deps.api.post(`/api/alarms/${this.own.id}/positions`, position, quiet).catch(() => {});
  }

  /** No position after all: responders learn why (they go by the visit address, or call). */
  tellMissing() {
    const reason = this.deps.watch.missing;
    if (!this.own || !reason || reason === this.toldMissing || this.sentPosition) return;
    this.toldMissing = reason;
    this.deps.api.post(`/api/alarms/${this.own.id}/position-missing`, { reason }, quiet)
      .catch(() => { this.toldMissing = null; });
  }

  sharePosition() {
    if (!this.own) return;
    this.tellMissing();
    const latest = this.deps.watch.latest;
    if (!latest || this.positionTimer || latest === this.sentPosition) return;
    const wait = this.lastSentAt + this.timings.positionEveryMs - Date.now();
    if (wait <= 0) this.sendPosition();
    else this.positionTimer = setTimeout(() => this.sendPosition(), wait);
  }

  /** The position watch saw a new fix, or why there is none. */
  positionChanged() {
    this.sharePosition();
    if (this.isOpen) this.view.renderLocation();
  }

  stopSharing() {
    this.deps.watch.stop();
    clearTimeout(this.positionTimer);
    this.resetSharing();
  }

  /* ---------- raise ---------- */
  savePending() {
    return Promise.resolve(this.deps.store.set("pendingAlarm", this.pending)).catch(() => {});
  }

  /** The freshest fix goes with every try; without one, why there is none ("pending": still looking). */
  fillPosition() {
    const { watch } = this.deps;
    const position = this.pending.no_position ? null : watch.latest || this.pending.position;
    this.pending.position = position || null;
    this.pending.position_missing = position ? null : watch.missing || "pending";
  }

  body() {
    const p = this.pending;
    const where = p.position ? { position: p.position } : { position_missing: p.position_missing };
    return { client_id: p.client_id, test: !!p.test, ...where };
  }

  notSent(reason, message = "") {
    if (!this.pending) return;
    this.unsent = { reason, message };
    this.view.render();
  }

  /** The server has it: what it was sent is what it knows of where I am. */
  confirmed() {
    this.sentPosition = this.pending.position || null;
    if (this.sentPosition) this.lastSentAt = Date.now();
    this.toldMissing = this.pending.position_missing;
    this.pending = null;
    this.unsent = null;
    clearTimeout(this.retryTimer);
    clearTimeout(this.confirmTimer);
    Promise.resolve(this.deps.store.delete("pendingAlarm")).catch(() => {});
  }

  retryAfterFailure(err) {
    if (err.status === 422 && this.pending.position) {
      // A position the server refuses must not hold the alarm back: send it without.
      this.pending.no_position = true;
      this.retryTimer = setTimeout(() => this.sendLoop(), 0);
      return;
    }
    if (err.isNetwork) this.notSent(this.deps.isOnline() ? "network" : "offline");
    else this.notSent("server", err.status === 503 ? err.message : "");
    const wait = err.retryAfter == null ? this.timings.retryMs : err.retryAfter * 1000;
    this.retryTimer = setTimeout(() => this.sendLoop(), wait);
  }

  async sendLoop() {
    if (!this.pending || this.inFlight) return;
    clearTimeout(this.retryTimer);
    this.inFlight = true;
    const gen = this.generation;
    const attempt = this.pending;
    this.fillPosition();
    this.savePending();
    try {
      const data = await this.deps.api.post("/api/alarms", this.body(),
        { handle401: false, timeout: this.timings.sendTimeoutMs });
      if (gen !== this.generation || this.pending !== attempt) return;
      this.confirmed();
      if (data?.alarm) this.adopt(data.alarm, { fresh: true });
    } catch (err) {
      if (gen !== this.generation || this.pending !== attempt) return;
      this.retryAfterFailure(err);
    } finally {
      if (gen === this.generation) this.inFlight = false;
    }
  }

  armConfirm() {
    clearTimeout(this.confirmTimer);
    this.confirmTimer = setTimeout(() => {
      if (this.pending && !this.unsent) this.notSent("timeout");
    }, this.timings.confirmMs);
  }

  /** Show the pending raise and send it. */
  startSending() {
    this.unsent = this.deps.isOnline() ? null : { reason: "offline", message: "" };
    this.deps.watch.start();
    this.view.show();
    this.armConfirm();
  }

  /** Start an alarm (test or real). Safe to call while one is open: then it just shows it. */
  async raise(test) {
    if (this.isOpen) { this.view.show(); return; }
    this.deps.cover.stop(); // a new alarm ends the cover of an earlier one
    this.deps.vibrate();
    const gen = this.generation;
    this.pending = { client_id: this.deps.newClientId(), test: !!test, position: null, position_missing: null,
      started_at: new Date().toISOString() };
    await this.savePending(); // before anything is sent: a crash or reload resumes it
    if (gen !== this.generation || !this.pending) return;
    this.startSending();
    await this.deps.watch.settled(this.timings.fixWaitMs);
    if (gen === this.generation && this.pending) this.sendLoop();
  }

  /** The network came back: a raise not yet confirmed goes at once. */
  online() {
    if (this.pending) this.sendLoop();
  }

  offline() {
    this.notSent("offline");
  }

  /** On app start: keep sending an alarm that had not reached the server. */
  async resume() {
    const gen = this.generation;
    const load = (key) => Promise.resolve(this.deps.store.get(key)).catch(() => null);
    const stored = await load("pendingAlarm");
    const openOwn = await load("ownAlarm");
    const closedIds = await load("closedAlarms");
    if (gen !== this.generation) return;
    this.closed = new Set(Array.isArray(closedIds) ? closedIds : []);
    if (stored?.client_id && !this.isOpen) {
      this.pending = stored;
      this.startSending();
      this.sendLoop();
    } else if (openOwn?.id && !this.isOpen && !this.closed.has(openOwn.id)) {
      this.adopt(openOwn); // shown at once from storage; refreshed from /api/alarms
    }
    this.deps.cover.resume();
  }

  /* ---------- the open alarm ---------- */
  /** The server's view of my alarm (from the raise, /api/alarms or an alarm.updated event). */
  adopt(alarm, { fresh = false } = {}) {
    if (!alarm || this.closed.has(alarm.id)) return;
    if (this.pending && alarm.client_id === this.pending.client_id) this.confirmed();
    if (alarm.state !== "open") {
      if (this.own?.id === alarm.id) this.finish(alarm.state === "resolved" ? alarm : { ...alarm, state: "cancelled" });
      return;
    }
    if (this.own && this.own.id !== alarm.id && !fresh) return; // one open alarm of mine at a time on screen
    const first = this.own?.id !== alarm.id;
    this.own = alarm;
    Promise.resolve(this.deps.store.set("ownAlarm", alarm)).catch(() => {});
    if (!first) { this.view.render(); return; }
    this.locked = null;
    this.deps.watch.start();
    this.sharePosition();
    this.view.show();
  }

  /** Called after /api/alarms no longer lists my open alarm: it was closed elsewhere. */
  async reconcile(openIds) {
    if (!this.own || openIds.has(this.own.id)) return;
    const id = this.own.id;
    try {
      const data = await this.deps.api.get(`/api/alarms/${id}`, quiet);
      if (this.own?.id === id && data?.alarm && data.alarm.state !== "open") this.adopt(data.alarm);
    } catch (err) {
      if (err.status === 404 && this.own?.id === id) this.finish({ ...this.own, state: "cancelled" });
    }
  }

  /** The same for every way an alarm of mine ends; a duress cancel is a cancel here. */
  finish(alarm) {
    this.closed.add(alarm.id);
    Promise.resolve(this.deps.store.set("closedAlarms", [...this.closed].slice(-50))).catch(() => {});
    Promise.resolve(this.deps.store.delete("ownAlarm")).catch(() => {});
    this.stopSharing();
    this.own = null;
    this.locked = null;
    this.view.finished(alarm);
  }

  /**
   * Withdraw with the PIN. Resolves {ok: true}, or {error, message} for the screen to explain:
   * "invalid" (not 4–8 digits), "notYet" (the server does not have it yet), "locked" (429),
   * "wrong" (422), "closed" (409: a responder closed it), "offline" or "failed".
   * Deliberately never reads the answer's body: a duress PIN must look like a real one.
   */
  async cancel(pin) {
    const refused = this.cancelRefusal(pin);
    if (refused) return refused;
    const alarm = this.own;
    try {
      await this.deps.api.post(`/api/alarms/${alarm.id}/cancel`, { pin }, { handle401: false, timeout: 10000 });
      if (this.own?.id === alarm.id) this.finish({ ...alarm, state: "cancelled" });
      this.deps.cover.begin(alarm.id);
      return { ok: true };
    } catch (err) {
      return this.pinRefused(err);
    }
  }

  /** Why a PIN cannot be sent at all, or null. */
  cancelRefusal(pin) {
    if (!PIN.test(pin)) return { error: "invalid" };
    if (!this.own) return { error: "notYet" };
    return null;
  }

  pinRefused(err) {
    const message = err.message || "";
    if (err.status === 429) {
      this.locked = { message }; // the server's words replace the form
      return { error: "locked", message };
    }
    if (err.status === 422) return { error: "wrong", message };
    if (err.status === 409) {
      this.reconcile(new Set()); // already closed (by a responder): the refresh shows how it ended
      return { error: "closed", message };
    }
    return { error: err.isNetwork ? "offline" : "failed", message };
  }

  /** Logout: forget everything (the pending raise is kept in storage only until clearAll). */
  stop() {
    this.generation += 1;
    clearTimeout(this.retryTimer);
    clearTimeout(this.confirmTimer);
    this.stopSharing();
    this.deps.cover.stop();
    this.reset();
    this.closed = new Set();
  }
}
