// The outbox, shared by the page and the service worker (sw.js): what the phone made offline
// (incident reports from js/incidents/, questionnaire answers from js/learning/) waits here,
// keyed by the client_id the phone made, until the server has it. A classic script (like
// idb-schema.js), so the service worker can importScripts() it and page and worker send with
// exactly the same rules. The server makes a repeated POST with the same client_id harmless,
// so a page and a worker racing cost nothing but a request.
"use strict";
self.VeldwachtOutbox = (() => {
  const STORE = "outbox";
  const CHANNEL = "veldwacht-outbox";
  // Background Sync's tag (sw.js): kept from when the outbox carried reports only.
  const SYNC_TAG = "incident-outbox";
  const SEND_TIMEOUT_MS = 15000;
  const KEEP_RECEIVED_MS = 7 * 24 * 60 * 60 * 1000;
  // The server refused this entry as it is: keep it for the user to correct.
  const REFUSED = new Set([400, 403, 404, 409, 413, 422]);
  const DEFAULT_KIND = "incident";  // entries stored before there were kinds are reports
  const now = () => new Date().toISOString();
  /**
   * What the outbox carries: where each kind is sent, what of it is kept once received (the
   * detail stays on the server only) and what of the server's answer is noted then.
   */
  const KINDS = {
    incident: {
      endpoint: "/api/incidents",
      // alarm_id too, so the card after that alarm leads to this report instead of offering another
      summary: ["client_id", "behaviour_type", "kinds", "channel", "occurred_at", "location", "alarm_id"],
      receipt: ({ incident = {} } = {}) => ({ incident_id: incident.id ?? null, number: incident.number ?? null,
        received_at: incident.reported_at || now() }),
    },
    learning_response: {
      endpoint: "/api/learning/responses",
      summary: ["client_id", "instrument_id", "answered_at"],
      receipt: ({ response = {} } = {}) => ({ response_id: response.id ?? null, received_at: response.received_at || now() }),
    },
  };
  const kindOf = (entry) => entry.kind || DEFAULT_KIND;

  const channel = typeof BroadcastChannel === "function" ? new BroadcastChannel(CHANNEL) : null;
  const announce = () => channel?.postMessage({ type: "changed" });

  /** Run fn(store) in one transaction; resolves with fn's result once it is committed. */
  async function withStore(name, mode, fn) {
    const db = await self.VeldwachtDb.open();
    try {
      return await new Promise((resolve, reject) => {
        const tx = db.transaction(name, mode);
        let result;
        Promise.resolve(fn(tx.objectStore(name))).then((r) => { result = r; }, reject);
        tx.oncomplete = () => resolve(result);
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error);
      });
    } finally {
      db.close();
    }
  }

  const request = (r) => new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });

  const getAll = () => withStore(STORE, "readonly", (s) => request(s.getAll()));

  /** This user's entries (of one kind, or all), oldest first (the order they are sent in). */
  async function list(userId, kind = null) {
    const all = await getAll();
    return all.filter((e) => e.user_id === userId && (kind === null || kindOf(e) === kind))
      .sort((a, b) => a.created_at.localeCompare(b.created_at));
  }

  /**
   * Keep an entry of `kind` (payload with its client_id, exactly as the server takes it) for
   * this user, waiting to be sent; `about` is what the phone shows of it meanwhile (a
   * questionnaire's title). Saving the same client_id again (a double tap, a correction)
   * replaces the payload, unless the server already has it: then nothing changes. Returns the
   * stored entry.
   */
  async function add(userId, payload, { lang = null, kind = DEFAULT_KIND, about = null } = {}) {
    if (!KINDS[kind]) throw new Error(`outbox: unknown kind ${kind}`);
    const at = now();
    const entry = await withStore(STORE, "readwrite", async (s) => {
      const old = await request(s.get(payload.client_id));
      if (old?.state === "received") return old;
      // The user's language goes with the entry: the service worker, which may send it,
      // cannot know it, and the server's answer (a refusal to correct) is read in it.
      const next = { client_id: payload.client_id, user_id: userId, kind, about, state: "waiting", payload, lang,
        created_at: old?.created_at || at, updated_at: at, attempts: 0, last_error: null,
        error: null, fields: {}, status: null };
      s.put(next);
      return next;
    });
    announce();
    return entry;
  }

  async function update(clientId, changes) {
    const entry = await withStore(STORE, "readwrite", async (s) => {
      const old = await request(s.get(clientId));
      if (!old) return null;
      const next = { ...old, ...changes, updated_at: now() };
      s.put(next);
      return next;
    });
    announce();
    return entry;
  }

  async function remove(clientId) {
    await withStore(STORE, "readwrite", (s) => { s.delete(clientId); });
    announce();
  }

  async function pruneReceived() {
    const cutoff = Date.now() - KEEP_RECEIVED_MS;
    const old = (await getAll()).filter((e) => e.state === "received" && Date.parse(e.received_at) < cutoff);
    if (!old.length) return;
    await withStore(STORE, "readwrite", (s) => { for (const e of old) s.delete(e.client_id); });
    announce();
  }

  const profile = () => withStore("kv", "readonly", (s) => request(s.get("profile")));

  /** POST one entry; returns {status, data} (status 0 = no network or no answer in time). */
  async function post(endpoint, payload, lang) {
    const ctrl = new AbortController();
    const timer = setTimeout(() => ctrl.abort(), SEND_TIMEOUT_MS);
    try {
      const res = await fetch(endpoint, {
        method: "POST",
        credentials: "same-origin",
        cache: "no-store",
        headers: { "Content-Type": "application/json", Accept: "application/json",
          ...(lang ? { "Accept-Language": lang } : {}) },
        body: JSON.stringify(payload),
        signal: ctrl.signal,
      });
      const data = await res.json().catch(() => null);
      return { status: res.status, data };
    } catch {
      return { status: 0, data: null };
    } finally {
      clearTimeout(timer);
    }
  }

  const summaryOf = (kind, payload) => Object.fromEntries(kind.summary.map((k) => [k, payload[k] ?? null]));

  /** Send one entry and record the answer; false when sending should stop for now. */
  async function send(entry) {
    const kind = KINDS[kindOf(entry)];
    if (!kind) return true;  // a kind of a newer version of the app: left for that one to send
    const { status, data } = await post(kind.endpoint, entry.payload, entry.lang);
    if (status === 200 || status === 201) {
      await update(entry.client_id, { state: "received", payload: summaryOf(kind, entry.payload),
        ...kind.receipt(data || {}), last_error: null });
      return true;
    }
    if (REFUSED.has(status)) {
      await update(entry.client_id, { state: "rejected", status,
        error: data?.error || `HTTP ${status}`, fields: data?.fields || {} });
      return true;
    }
    if (status === 401) return false; // needs a login; the entry waits as it is
    // No network, a busy or failing server: try again later, in the same order.
    await update(entry.client_id, { attempts: (entry.attempts || 0) + 1,
      last_error: status ? `HTTP ${status}` : "network" });
    return false;
  }

  /** Send the logged-in user's waiting entries, oldest first. Returns {waiting: n}. */
  async function run() {
    await pruneReceived();
    const me = await profile();
    if (!me?.id) return { waiting: 0 };
    const waiting = (await list(me.id)).filter((e) => e.state === "waiting");
    let sent = 0;
    for (const entry of waiting) {
      if (!(await send(entry))) break;
      sent += 1;
    }
    return { waiting: waiting.length - sent };
  }

  // Page and service worker may flush at once: the lock makes them take turns. Calls made
  // while a flush is queued in this context share it.
  let queued = null;
  const turn = (fn) => (self.navigator?.locks ? navigator.locks.request(CHANNEL, fn) : fn());
  function flush() {
    if (queued) return queued;
    const mine = Promise.resolve().then(() => turn(() => {
      if (queued === mine) queued = null; // from here on, a new call queues a fresh run
      return run();
    }));
    mine.catch(() => { if (queued === mine) queued = null; });
    queued = mine;
    return mine;
  }

  /** Ask the browser to wake the service worker once the network is back, even with the app
   * closed (Background Sync); where it cannot, the page's own triggers still send. */
  async function requestSync() {
    try {
      const registration = await self.navigator?.serviceWorker?.getRegistration();
      await registration?.sync?.register(SYNC_TAG);
    } catch { /* not supported or not allowed */ }
  }

  /** fn() whenever any page or the service worker changed the outbox. */
  function onChange(fn) {
    if (typeof BroadcastChannel !== "function") return () => {};
    const listener = new BroadcastChannel(CHANNEL); // its own object, so it hears this context too
    listener.onmessage = () => fn();
    return () => listener.close();
  }

  return { add, list, update, remove, flush, onChange, kindOf, requestSync, SYNC_TAG };
})();
