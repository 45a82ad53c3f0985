/* Veldwacht service worker (classic script, scope "/"). */
"use strict";

// Replaced by the server with a hash of the shell files, so any change installs a new worker;
// the shell's files are served under it, content-addressed ("/v/<version>/js/app.js").
const VERSION = "__SHELL_VERSION__";
const CACHE = `veldwacht-shell-${VERSION}`;
const PREFIX = `/v/${VERSION}/`;
// The field worker's shell, precached: what a first start needs to work offline (raise an
// alarm, plan a visit, report an incident). The server fills in js/app.js, js/session.js and
// every module they import statically; code loaded with import() — the register, follow-up, Te doen, the team,
// the editors — and Leaflet are cached the first time they are used. So are the texts of a
// language other than Dutch (i18n/en.json), the first time it is chosen.
const MODULES = __SHELL_MODULES__;
const SHELL = [
  "/",
  "/manifest.webmanifest",
  "/icons/icon-192.png", // the notifications' icon and badge
  "/icons/badge-96.png",
  ...["css/app.css", "i18n/nl.json", "js/idb-schema.js", "js/outbox-core.js", "icons/icon.svg", ...MODULES].map((file) => PREFIX + file),
];
const NAV_TIMEOUT_MS = 3000;
// The server's vocabulary (GET /api/vocabulary): the capture form's choices and the rules it
// checks. Network first, this cache when offline; kept across versions (a new worker activates
// after the page fetched it), for it holds words, nothing of the user's.
const DATA_CACHE = "veldwacht-vocabulary";
const VOCABULARY = "/api/vocabulary";

importScripts(`${PREFIX}js/idb-schema.js`); // the IndexedDB schema shared with the page
importScripts(`${PREFIX}js/outbox-core.js`); // the outbox (reports, answers), sent by page and worker alike

/* ---------- lifecycle ---------- */
// Versioned files never change, so the copy the page just loaded (the HTTP cache) will do;
// the others are checked with the server (a 304 when the page has the current one, rather
// than the whole page again on a slow connection).
self.addEventListener("install", (event) => {
  self.skipWaiting();
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      cache.addAll(SHELL.map((url) => new Request(url, { cache: url.startsWith(PREFIX) ? "default" : "no-cache" })))
    )
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const keys = await caches.keys();
    await Promise.all(
      keys.filter((k) => k.startsWith("veldwacht-") && k !== CACHE && k !== DATA_CACHE).map((k) => caches.delete(k))
    );
    await self.clients.claim();
  })());
});

/* ---------- fetch ---------- */
function isLive(url) {
  return url.pathname.startsWith("/api/") || url.pathname === "/api" || url.pathname === "/ws";
}

/** This version's files and the shell's: an older version's file must not be kept under it. */
function cacheable(url) {
  return url.pathname.startsWith(PREFIX) || SHELL.includes(url.pathname);
}

// Every screen's path ("/gir/17") is the same page: it is kept as "/" for an offline start.
async function networkFirstNavigation(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await Promise.race([
      fetch(request),
      new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), NAV_TIMEOUT_MS)),
    ]);
    if (response.ok && (response.headers.get("Content-Type") || "").startsWith("text/html")) {
      cache.put("/", response.clone()).catch(() => {});
    }
    return response;
  } catch {
    const cached = await cache.match("/");
    return cached || Response.error();
  }
}

/** The vocabulary as the server has it now, else the last copy (keyed by its ?lang=). */
async function networkFirstVocabulary(request) {
  const cache = await caches.open(DATA_CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) cache.put(request, response.clone()).catch(() => {});
    return response;
  } catch {
    return (await cache.match(request, { ignoreVary: true })) || Response.error();
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request, { ignoreSearch: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && response.type === "basic" && cacheable(new URL(request.url))) {
    cache.put(request, response.clone()).catch(() => {});
  }
  return response;
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname === VOCABULARY) {
    event.respondWith(networkFirstVocabulary(request));
    return;
  }
  if (isLive(url)) return; // never cached: the browser handles it (and fails offline)
  if (request.mode === "navigate") {
    event.respondWith(networkFirstNavigation(request));
    return;
  }
  event.respondWith(cacheFirst(request));
});

/* ---------- IndexedDB ---------- */
function openDb() {
  return self.VeldwachtDb.open();
}

async function recordEvent(ev) {
  const db = await openDb();
  try {
    await new Promise((resolve, reject) => {
      const tx = db.transaction("events", "readwrite");
      const store = tx.objectStore("events");
      const get = store.get(ev.id);
      get.onsuccess = () => {
        if (!get.result) store.put(ev); // never overwrite a full event from the live feed
      };
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

async function kvGet(key) {
  const db = await openDb();
  try {
    return await new Promise((resolve, reject) => {
      const r = db.transaction("kv").objectStore("kv").get(key);
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
  } finally {
    db.close();
  }
}

/* ---------- outbox ---------- */
// Background Sync: the browser wakes us when the network is back, even with the app closed.
// A rejection while entries still wait asks the browser to try again later.
self.addEventListener("sync", (event) => {
  if (event.tag !== self.VeldwachtOutbox.SYNC_TAG) return;
  event.waitUntil(self.VeldwachtOutbox.flush().then(({ waiting }) => {
    if (waiting) throw new Error(`${waiting} outbox entr(y/ies) still waiting`);
  }));
});

/* ---------- push ---------- */
/** Tell the server an alarm reached this device by push (its timeline shows it). */
async function alarmReceipt(alarmId) {
  try {
    await fetch(`/api/alarms/${encodeURIComponent(alarmId)}/receipts`, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ state: "delivered", channel: "push" }),
    });
  } catch { /* best effort */ }
}

self.addEventListener("push", (event) => {
  event.waitUntil((async () => {
    let p;
    try {
      p = event.data ? event.data.json() : {};
    } catch {
      p = { title: "Veldwacht", body: event.data ? event.data.text() : "" };
    }
    const urgent = !!p.urgent;
    const title = p.title || "Veldwacht";
    const body = p.body || "";
    const url = p.url || "/";
    const alarmId = p.type === "alarm.raised" && p.alarm_id !== undefined && p.alarm_id !== null ? p.alarm_id : null;
    // Sent alongside recording and showing; never holds the notification back.
    const receipt = alarmId !== null ? alarmReceipt(alarmId) : Promise.resolve();

    // Record before showing, so the feed has it even if the notification is dismissed.
    if (p.id !== undefined && p.id !== null) {
      const ev = {
        id: p.id,
        type: p.type || "push",
        title,
        body,
        urgent,
        data: p.alarm_id !== undefined && p.alarm_id !== null ? { url, alarm_id: p.alarm_id } : { url },
        received_at: new Date().toISOString(),
        source: "push",
      };
      try { await recordEvent(ev); } catch { /* still notify */ }
      const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      for (const c of windows) c.postMessage({ type: "push-event", event: ev });
    }

    const options = {
      body,
      tag: `event-${p.id ?? Date.now()}`,
      data: { url },
      requireInteraction: urgent,
      renotify: urgent,
      icon: "/icons/icon-192.png",
      badge: "/icons/badge-96.png",
    };
    if (urgent) options.vibrate = [300, 100, 300, 100, 300];
    if (p.type === "alarm.raised") options.vibrate = [500, 200, 500, 200, 500, 200, 500];
    await self.registration.showNotification(title, options);
    await receipt;
  })());
});

/**
 * A notification's link ("/gir/17", "/alarm/7"): an open window of the app goes there in the
 * page (its router, logged in or after the login), else the app opens there. "/" only brings
 * the app to the front.
 */
async function openLink(link) {
  let target = new URL(link || "/", self.location.origin);
  if (target.origin !== self.location.origin) target = new URL("/", self.location.origin);  // only our own pages
  const path = target.pathname + target.search;
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const open = windows.find((c) => new URL(c.url).origin === target.origin && "focus" in c);
  if (!open) {
    await self.clients.openWindow(target.href);
    return;
  }
  const focused = await open.focus().catch(() => open);
  if (path !== "/") focused.postMessage({ type: "open-link", path });
}

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(openLink(event.notification.data && event.notification.data.url));
});

function base64UrlToBytes(b64) {
  const pad = "=".repeat((4 - (b64.length % 4)) % 4);
  const raw = atob((b64 + pad).replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

self.addEventListener("pushsubscriptionchange", (event) => {
  event.waitUntil((async () => {
    try {
      const key = await kvGet("applicationServerKey");
      if (!key) return;
      const sub = await self.registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: base64UrlToBytes(key),
      });
      await fetch("/api/push/subscriptions", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(sub.toJSON()),
      });
    } catch { /* best effort */ }
  })());
});
