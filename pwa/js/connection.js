// Live connection: websocket /ws with replay from the last stored event id,
// exponential backoff, a watchdog, client pings and a polling safety net.
import { get, ApiError } from "./api.js";
import { putEvent, kvGet, kvSet } from "./store.js";

const PING_MS = 15000;
const WATCHDOG_MS = 45000;
const POLL_MS = 60000;
const BACKOFF_MIN = 1000;
const BACKOFF_MAX = 30000;

let ws = null;
let running = false;
let state = "closed";
let lastId = 0;
let lastMsgAt = 0;
let backoff = BACKOFF_MIN;
let reconnectTimer = null;
let pingTimer = null;
let watchdogTimer = null;
let pollTimer = null;
let chain = Promise.resolve(); // serialises event handling so ids stay ordered
let reachable = true;

const eventListeners = new Set();
const readyListeners = new Set();
const stateListeners = new Set();
const reachListeners = new Set();
let unauthorized = () => {};

/**
 * fn(event, {live}) for every new event; live is false for the replay a fresh websocket
 * sends before "ready" (the listener may then prefer to ask the server for current state).
 */
export const onEvent = (fn) => eventListeners.add(fn);
/** fn() after each websocket "ready" (the replay is over). */
export const onReady = (fn) => readyListeners.add(fn);
export const onState = (fn) => stateListeners.add(fn);
/** fn(reachable: boolean) — false when the server could not be reached. */
export const onReachable = (fn) => reachListeners.add(fn);
export const onUnauthorizedClose = (fn) => { unauthorized = fn; };
export const getState = () => state;
export const isReachable = () => reachable;

export function setReachable(value) {
  if (value === reachable) return;
  reachable = value;
  for (const fn of reachListeners) fn(value);
}

function setState(next) {
  if (next === state) return;
  state = next;
  for (const fn of stateListeners) fn(next);
}

function handleEvent(event, live = true) {
  chain = chain.then(async () => {
    let isNew = true;
    try {
      isNew = await putEvent(event);
    } catch { /* storage failed: still show it */ }
    if (event.id > lastId) {
      lastId = event.id;
      kvSet("lastId", lastId).catch(() => {});
    }
    if (isNew) {
      for (const fn of eventListeners) {
        try { fn(event, { live }); } catch (err) { console.error(err); }
      }
    }
  });
  return chain;
}

function wsUrl() {
  const proto = location.protocol === "https:" ? "wss:" : "ws:";
  return `${proto}//${location.host}/ws?since=${lastId}`;
}

function clearTimers() {
  clearTimeout(reconnectTimer);
  clearInterval(pingTimer);
  reconnectTimer = pingTimer = null;
}

function connect() {
  if (!running) return;
  clearTimers();
  if (ws) {
    const old = ws;
    ws = null;
    old.onclose = old.onmessage = old.onerror = old.onopen = null;
    try { old.close(); } catch { /* ignore */ }
  }
  if (!navigator.onLine) {
    setState("offline");
    return;
  }
  setState("connecting");
  lastMsgAt = Date.now();
  let sock;
  try {
    sock = new WebSocket(wsUrl());
  } catch {
    scheduleReconnect();
    return;
  }
  ws = sock;
  let replaying = true; // events before "ready" are the replay of what we missed
  sock.onopen = () => {
    lastMsgAt = Date.now();
    backoff = BACKOFF_MIN;
    setReachable(true);
    setState("open");
    pingTimer = setInterval(() => {
      if (sock.readyState === WebSocket.OPEN) sock.send(JSON.stringify({ type: "ping" }));
    }, PING_MS);
  };
  sock.onmessage = (msg) => {
    lastMsgAt = Date.now();
    let data;
    try { data = JSON.parse(msg.data); } catch { return; }
    if (data.type === "event" && data.event && typeof data.event.id === "number") {
      handleEvent(data.event, !replaying);
    } else if (data.type === "ready" && typeof data.last_id === "number") {
      replaying = false;
      chain = chain.then(() => {
        if (data.last_id > lastId) {
          lastId = data.last_id;
          kvSet("lastId", lastId).catch(() => {});
        }
        for (const fn of readyListeners) {
          try { fn(); } catch (err) { console.error(err); }
        }
      });
    }
    // heartbeat / pong: only refresh lastMsgAt (done above)
  };
  sock.onclose = (e) => {
    if (ws !== sock) return;
    ws = null;
    clearInterval(pingTimer);
    if (e.code === 4401) {
      stop();
      unauthorized();
      return;
    }
    scheduleReconnect();
    if (navigator.onLine) poll();
  };
}

function scheduleReconnect() {
  if (!running) return;
  if (!navigator.onLine) {
    setState("offline");
    return;
  }
  setState("closed");
  const delay = Math.min(backoff, BACKOFF_MAX) * (0.5 + Math.random() * 0.5);
  backoff = Math.min(backoff * 2, BACKOFF_MAX);
  clearTimeout(reconnectTimer);
  reconnectTimer = setTimeout(connect, delay);
}

/** Safety net: fetch missed events over HTTP. 401 is handled by api.js. */
export async function poll() {
  if (!running || !navigator.onLine) return;
  try {
    await chain;
    const data = await get(`/api/events?since=${lastId}&limit=100`);
    setReachable(true);
    for (const ev of data?.events || []) handleEvent(ev);
    await chain;
  } catch (err) {
    if (err instanceof ApiError && err.isNetwork) setReachable(false);
  }
}

function reconnectNow() {
  if (!running) return;
  backoff = BACKOFF_MIN;
  if (!ws || ws.readyState > WebSocket.OPEN) connect();
}

function onOnline() {
  reconnectNow();
}

function onOffline() {
  setReachable(false);
  if (ws) {
    const old = ws;
    ws = null;
    old.onclose = null;
    try { old.close(); } catch { /* ignore */ }
  }
  clearTimers();
  setState("offline");
}

function onVisibility() {
  if (document.visibilityState !== "visible") return;
  if (state === "open" && ws?.readyState === WebSocket.OPEN) {
    ws.send(JSON.stringify({ type: "ping" }));
  } else {
    reconnectNow();
  }
}

export async function start() {
  if (running) return;
  running = true;
  lastId = Number(await kvGet("lastId").catch(() => 0)) || 0;
  window.addEventListener("online", onOnline);
  window.addEventListener("offline", onOffline);
  document.addEventListener("visibilitychange", onVisibility);
  watchdogTimer = setInterval(() => {
    if (ws && Date.now() - lastMsgAt > WATCHDOG_MS) {
      try { ws.close(); } catch { /* ignore */ }
      // onclose will schedule the reconnect; force it if close never fires
      const stale = ws;
      setTimeout(() => { if (ws === stale) connect(); }, 2000);
    }
  }, 5000);
  pollTimer = setInterval(poll, POLL_MS);
  connect();
}

export function stop() {
  running = false;
  clearTimers();
  clearInterval(watchdogTimer);
  clearInterval(pollTimer);
  window.removeEventListener("online", onOnline);
  window.removeEventListener("offline", onOffline);
  document.removeEventListener("visibilitychange", onVisibility);
  if (ws) {
    const old = ws;
    ws = null;
    old.onclose = null;
    try { old.close(); } catch { /* ignore */ }
  }
  lastId = 0;
  chain = Promise.resolve();
  setState("closed");
}
