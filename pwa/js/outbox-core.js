// The incident outbox, shared by the page (js/incidents/) and the service worker (sw.js):
// reports wait here, keyed by the client_id the phone made, until the register has them.
// A classic script (like idb-schema.js), so the service worker can importScripts() it and
// page and worker send with exactly the same rules. The server makes a repeated POST with the
// same client_id harmless, so a page and a worker racing cost nothing but a request.
"use strict";
self.VeldwachtOutbox = (() => {
  const STORE = "outbox";
  const CHANNEL = "veldwacht-outbox";
  const SEND_TIMEOUT_MS = 15000;
  const KEEP_RECEIVED_MS = 7 * 24 * 60 * 60 * 1000;
  // The server refused this report as it is: keep it for the reporter to correct.
  const REFUSED = new Set([400, 403, 404, 409, 413, 422]);
  // Received: the detail stays on the server only; this much is kept to show in the list (and
  // alarm_id, so the card after that alarm leads to this report instead of offering another).
  const SUMMARY = ["client_id", "behaviour_type", "kinds", "channel", "occurred_at", "location", "alarm_id"];

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

  /** This user's entries, oldest first (the order they are sent in). */
  async function list(userId) {
    const all = await getAll();
    return all.filter((e) => e.user_id === userId)
      .sort((a, b) => a.created_at.localeCompare(b.created_at));
  }

  /**
   * Keep a report (payload with its client_id) for this user, waiting to be sent. Saving the
   * same client_id again (a double tap, a correction) replaces the payload, unless the
   * register already has it: then nothing changes. Returns the stored entry.
   */
  async function add(userId, payload, { lang = null } = {}) {
    const now = new Date().toISOString();
    const entry = await withStore(STORE, "readwrite", async (s) => {
      const old = await request(s.get(payload.client_id));
      if (old?.state === "received") return old;
      // The reporter's language goes with the entry: the service worker, which may send it,
      // cannot know it, and the register's answer (a refusal to correct) is read in it.
      const next = { client_id: payload.client_id, user_id: userId, state: "waiting", payload, lang,
        created_at: old?.created_at || now, updated_at: now, attempts: 0, last_error: null,
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
      const next = { ...old, ...changes, updated_at: new Date().toISOString() };
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

  /** POST one report; returns {status, data} (status 0 = no network or no answer in time). */
  async function post(payload, lang) {
    const ctrl = new AbortController();
    const timer = setTimeout(() => ctrl.abort(), SEND_TIMEOUT_MS);
    try {
      const res = await fetch("/api/incidents", {
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

  const summaryOf = (payload) => Object.fromEntries(SUMMARY.map((k) => [k, payload[k] ?? null]));

  /** Send one entry and record the answer; false when sending should stop for now. */
  async function send(entry) {
    const { status, data } = await post(entry.payload, entry.lang);
    if (status === 200 || status === 201) {
      const incident = data?.incident || {};
      await update(entry.client_id, { state: "received", payload: summaryOf(entry.payload),
        incident_id: incident.id ?? null, number: incident.number ?? null,
        received_at: incident.reported_at || new Date().toISOString(), last_error: null });
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

  /** Send the logged-in user's waiting reports, oldest first. Returns {waiting: n}. */
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

  /** fn() whenever any page or the service worker changed the outbox. */
  function onChange(fn) {
    if (typeof BroadcastChannel !== "function") return () => {};
    const listener = new BroadcastChannel(CHANNEL); // its own object, so it hears this context too
    listener.onmessage = () => fn();
    return () => listener.close();
  }

  return { add, list, update, remove, flush, onChange };
})();
