// Visits: wires the live feed, GET /api/visits and a one-second ticker to the worker side
// (worker.js), the side of managers and alerted colleagues (team.js) and the managers'
// permission requests (requests.js, loaded for those who decide them; "Te doen" opens them).
import { get } from "../api.js";
import * as conn from "../connection.js";
import { can } from "../capabilities.js";
import { paths } from "../routes.js";
import { isActive, visitOf } from "./common.js";
import * as worker from "./worker.js";
import * as team from "./team.js";

const POLL_MS = 30000;
const POLL_LATE_MS = 5000;  // while a visit in the list is past due, its status changes soon

let me = null;
let active = false;
let initialised = false;
let ticker = 0;
let pollTimer = 0;
let refreshing = null;
let requests = null;  // requests.js, for managers and the coordinator

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
  const fast = can(me, "team_visits") && team.anyPastDue();
  pollTimer = setTimeout(refresh, fast ? POLL_LATE_MS : POLL_MS);
}

function onEvent(ev, { live = true } = {}) {
  if (!active || !ev?.type?.startsWith("visit.")) return;
  if (!live) return; // the replay after a reconnect: "ready" then asks /api/visits
  const visit = visitOf(ev);
  if (!visit) return;
  if (ev.type === "visit.override_requested") requests?.requested(visit);
  else if (ev.type === "visit.override_decided") requests?.decided(visit);
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
}

/** The permission requests' banner and dialog, for those who decide them. */
async function loadRequests(profile) {
  if (!can(profile, "team_visits") || requests) return;
  try {
    requests = await import("./requests.js");
  } catch { return; /* offline before its first use: the next start tries again */ }
  requests.bind();
  requests.configure(me);
}

/* ---------- lifecycle ---------- */
function initOnce() {
  if (initialised) return;
  initialised = true;
  worker.bind();
  team.bind();
  conn.onEvent(onEvent);
  conn.onReady(() => { if (active) refresh(); });
}

/**
 * After login (or a start with a cached profile). hooks: go, up, replaceFrom (navigation),
 * currentScreen(), showOwnAlarm(alarm), ownAlarmOpen().
 */
export async function start(profile, hooks) {
  const first = !active;
  me = profile;
  active = true;
  worker.configure(profile, { ...hooks, refresh });
  team.configure(profile);
  initOnce();
  if (!first) return;
  ticker = setInterval(tick, 1000);
  loadRequests(profile);
  await worker.start();
  await refresh();
  // A start during a visit: on to it (unless my alarm is on screen).
  const visit = worker.current();
  if (active && isActive(visit) && hooks.currentScreen() === "home") hooks.go(paths.visit(visit.id));
}

export function update(profile) {
  me = profile;
  worker.configure(profile, {});
  team.configure(profile);
  requests?.configure(profile);
  loadRequests(profile);
}

export function refreshTexts() {
  worker.refreshTexts();
  team.refreshTexts();
  requests?.refreshTexts();
}

/** The visit screen's routes (worker.js). */
export const enter = (params) => worker.enter(params);
export const leave = () => worker.leave();

export function stop() {
  active = false;
  clearInterval(ticker);
  clearTimeout(pollTimer);
  ticker = pollTimer = 0;
  worker.stop();
  team.stop();
  requests?.stop();
}
