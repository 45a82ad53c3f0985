// IndexedDB storage shared with the service worker; the schema is in js/idb-schema.js
// (a classic script loaded by index.html and by sw.js).

let dbPromise = null;

function req(r) {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

export function openDb() {
  if (!dbPromise) {
    const opening = self.VeldwachtDb.open();
    const forget = () => { if (dbPromise === opening) dbPromise = null; };
    dbPromise = opening;
    // A closed connection (failed open, or an upgrade by a newer shell) is opened afresh.
    opening.then((db) => db.addEventListener("versionchange", forget), forget);
  }
  return dbPromise;
}

async function store(name, mode = "readonly") {
  const db = await openDb();
  return db.transaction(name, mode).objectStore(name);
}

/**
 * Store an event by id. Returns true when it was new (or replaced a partial
 * record written by the service worker from a push payload), false for a duplicate.
 */
export async function putEvent(event) {
  const s = await store("events", "readwrite");
  const existing = await req(s.get(event.id));
  if (existing && existing.source !== "push") return false;
  await req(s.put(event));
  return true;
}

/** Newest first. */
export async function listEvents(limit = 100) {
  const s = await store("events");
  return new Promise((resolve, reject) => {
    const out = [];
    const r = s.openCursor(null, "prev");
    r.onsuccess = () => {
      const c = r.result;
      if (!c || out.length >= limit) return resolve(out);
      out.push(c.value);
      c.continue();
    };
    r.onerror = () => reject(r.error);
  });
}

export async function kvGet(key) {
  return req((await store("kv")).get(key));
}

export async function kvSet(key, value) {
  return req((await store("kv", "readwrite")).put(value, key));
}

export async function kvDelete(key) {
  return req((await store("kv", "readwrite")).delete(key));
}

/**
 * Wipe everything (on logout or a revoked session). Keeps the push key, and the outbox:
 * an incident report is never dropped silently; its entries carry their reporter's id.
 */
export async function clearAll() {
  const db = await openDb();
  const tx = db.transaction(["events", "kv"], "readwrite");
  tx.objectStore("events").clear();
  const kv = tx.objectStore("kv");
  const keep = kv.get("applicationServerKey");
  keep.onsuccess = () => {
    kv.clear();
    if (keep.result !== undefined) kv.put(keep.result, "applicationServerKey");
  };
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

// Profile cache: localStorage for a synchronous first paint, IndexedDB as a mirror.
const PROFILE_KEY = "veldwacht.profile";

export function cachedProfile() {
  try {
    return JSON.parse(localStorage.getItem(PROFILE_KEY) || "null");
  } catch {
    return null;
  }
}

export async function saveProfile(me) {
  try { localStorage.setItem(PROFILE_KEY, JSON.stringify(me)); } catch { /* ignore */ }
  await kvSet("profile", me).catch(() => {});
}

export async function forgetProfile() {
  try { localStorage.removeItem(PROFILE_KEY); } catch { /* ignore */ }
  await clearAll().catch(() => {});
}
