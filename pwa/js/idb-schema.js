// The IndexedDB schema, shared by the page (js/store.js) and the service worker (sw.js).
// A classic script, so the service worker can importScripts() it.
"use strict";
self.VeldwachtDb = {
  name: "veldwacht",
  version: 2,
  /**
   * Open the database; stores "events" (keyPath "id"), "kv" (small values) and, since
   * version 2, "outbox" (incident reports until the register has them, keyPath "client_id").
   */
  open() {
    return new Promise((resolve, reject) => {
      const r = indexedDB.open(this.name, this.version);
      r.onupgradeneeded = () => {
        const db = r.result;
        if (!db.objectStoreNames.contains("events")) db.createObjectStore("events", { keyPath: "id" });
        if (!db.objectStoreNames.contains("kv")) db.createObjectStore("kv");
        if (!db.objectStoreNames.contains("outbox")) db.createObjectStore("outbox", { keyPath: "client_id" });
      };
      r.onsuccess = () => {
        const db = r.result;
        // A newer page or service worker wants to upgrade: step aside rather than block it.
        db.addEventListener("versionchange", () => db.close());
        resolve(db);
      };
      r.onerror = () => reject(r.error);
    });
  },
};
