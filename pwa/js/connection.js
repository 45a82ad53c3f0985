// The live connection of this page: js/connection-core.js wired to the browser's WebSocket,
// the event store (IndexedDB), /api/events and the online/visibility events.
import { get } from "./api.js";
import { putEvent, kvGet, kvSet } from "./store.js";
import { Connection } from "./connection-core.js";

const connection = new Connection({
  openSocket: (url) => new WebSocket(url),
  socketUrl: (since) => `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}/ws?since=${since}`,
  fetchSince: async (since) => (await get(`/api/events?since=${since}&limit=100`))?.events || [],
  store: { putEvent, getLastId: () => kvGet("lastId"), setLastId: (id) => kvSet("lastId", id) },
  isOnline: () => navigator.onLine,
});

let unauthorized = () => {};
connection.onUnauthorized = () => {
  stop();
  unauthorized();
};

/**
 * fn(event, {live}) for every new event; live is false for the replay a fresh websocket
 * sends before "ready" (the listener may then prefer to ask the server for current state).
 */
export const onEvent = (fn) => connection.onEvent(fn);
/** fn() after each websocket "ready" (the replay is over). */
export const onReady = (fn) => connection.onReady(fn);
export const onState = (fn) => connection.onState(fn);
/** fn(reachable: boolean) — false when the server could not be reached. */
export const onReachable = (fn) => connection.onReachable(fn);
export const onUnauthorizedClose = (fn) => { unauthorized = fn; };
export const getState = () => connection.state;
export const isReachable = () => connection.reachable;
export const setReachable = (value) => connection.setReachable(value);
/** Safety net: fetch missed events over HTTP. 401 is handled by api.js. */
export const poll = () => connection.poll();

const onOnline = () => connection.reconnectNow();
const onOffline = () => connection.wentOffline();
const onVisibility = () => { if (document.visibilityState === "visible") connection.becameVisible(); };

export async function start() {
  if (connection.running) return;
  window.addEventListener("online", onOnline);
  window.addEventListener("offline", onOffline);
  document.addEventListener("visibilitychange", onVisibility);
  await connection.start();
}

export function stop() {
  window.removeEventListener("online", onOnline);
  window.removeEventListener("offline", onOffline);
  document.removeEventListener("visibilitychange", onVisibility);
  connection.stop();
}
