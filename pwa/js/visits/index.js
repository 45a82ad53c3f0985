// Visits: wires the live feed, GET /api/visits and a one-second ticker to the worker side
// (worker.js), the side of managers and alerted colleagues (team.js) and the managers'
// permission requests (requests.js, whose `openOverrideRequest` "Te doen" calls too).
import { get } from "../api.js";
import * as conn from "../connection.js";
import { isActive, visitOf, watchesTeams } from "./common.js";
import * as worker from "./worker.js";
import * as team from "./team.js";
import * as requests from "./requests.js";

export { openOverrideRequest } from "./requests.js";

const POLL_MS = 30000;
const POLL_LATE_MS = 5000;  // while a visit in the list is past due, its status changes soon

let me = null;
let active = false;
let initialised = false;
let ticker = 0;
let pollTimer = 0;
let refreshing = null;

/* ---------- server state ---------- */
function refresh() {
  if (refreshing) return refreshing;
  refreshing = (async () => {
    try {
      const data = await get("/api/visits", { handle401: false, timeout: 10000 });
      if (!active) return;
      const visits = Array.isArray(data?.visits) ? data.visits : [];
      worker.reconcile(visits);
      team.setAll(visits);
    } catch { /* offline or busy: the next poll or "ready" tries again */ }
    finally {
      refreshing = null;
      schedulePoll();
    }
  })();
  return refreshing;
}

function schedulePoll() {
  clearTimeout(pollTimer);
  if (!active) return;
  const fast = watchesTeams(me) && team.anyPastDue();
  pollTimer = setTimeout(refresh, fast ? POLL_LATE_MS : POLL_MS);
}

function onEvent(ev, { live = true } = {}) {
  if (!active || !ev?.type?.startsWith("visit.")) return;
  if (!live) return; // the replay after a reconnect: "ready" then asks /api/visits
  const visit = visitOf(ev);
  if (!visit) return;
  if (ev.type === "visit.override_requested") requests.requested(visit);
  else if (ev.type === "visit.override_decided") requests.decided(visit);
  if (visit.worker?.id === me?.id) {
    if (ev.type === "visit.reminder") worker.remind(visit, ev.body || "");
    else worker.adopt(visit);
    return;
  }
  if (ev.type === "visit.overdue") team.alertOverdue(visit);
  else if (ev.type === "visit.stood_down") team.standDown(visit);
  else team.upsert(visit);
}

function tick() {
  worker.tick();
  team.tick();
}

/* ---------- lifecycle ---------- */
function initOnce() {
  if (initialised) return;
  initialised = true;
  worker.bind();
  team.bind();
  requests.bind();
  conn.onEvent(onEvent);
  conn.onReady(() => { if (active) refresh(); });
}

/**
 * After login (or a start with a cached profile). hooks: showScreen(name),
 * currentScreen(), showOwnAlarm(alarm), ownAlarmOpen().
 */
export async function start(profile, hooks) {
  const first = !active;
  me = profile;
  active = true;
  worker.configure(profile, { ...hooks, refresh });
  team.configure(profile);
  requests.configure(profile);
  initOnce();
  if (!first) return;
  ticker = setInterval(tick, 1000);
  await worker.start();
  await refresh();
  // A reload during a visit: back to it (unless my alarm is on screen).
  if (active && isActive(worker.current()) && hooks.currentScreen() === "home") worker.openScreen();
}

export function update(profile) {
  me = profile;
  worker.configure(profile, {});
  team.configure(profile);
  requests.configure(profile);
}

export function refreshTexts() {
  worker.refreshTexts();
  team.refreshTexts();
  requests.refreshTexts();
}

export function stop() {
  active = false;
  clearInterval(ticker);
  clearTimeout(pollTimer);
  ticker = pollTimer = 0;
  worker.stop();
  team.stop();
  requests.stop();
}
