// The IndexedDB schema, shared by the page (js/store.js) and the service worker (sw.js).
// A classic script, so the service worker can importScripts() it.
"use strict";
self.VeldwachtDb = {
  name: "veldwacht",
  version: 1,
  /** Open the database; stores "events" (keyPath "id") and "kv" (small values). */
  open() {
    return new Promise((resolve, reject) => {
      const r = indexedDB.open(this.name, this.version);
      r.onupgradeneeded = () => {
        const db = r.result;
        if (!db.objectStoreNames.contains("events")) db.createObjectStore("events", { keyPath: "id" });
        if (!db.objectStoreNames.contains("kv")) db.createObjectStore("kv");
      };
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
  },
};
