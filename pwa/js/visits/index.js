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

/** Who is signed in on this page, whether visits are running, and their timers (one per page). */
class VisitSession {
  constructor() {
    this.me = null;
    this.active = false;
    this.initialised = false;
    this.ticker = 0;
    this.pollTimer = 0;
    this.refreshing = null; // the GET /api/visits under way, shared by those who ask meanwhile
    this.requests = null;   // requests.js, for managers and the coordinator
  }

  /** GET /api/visits, then the next poll (sooner while a visit in the list is past due). */
  refresh() {
    this.refreshing ||= this.fetchVisits().finally(() => {
      this.refreshing = null;
      this.schedulePoll();
    });
    return this.refreshing;
  }

  async fetchVisits() {
    try {
      const data = await get("/api/visits", { handle401: false, timeout: 10000 });
      if (!this.active) return;
      const visits = Array.isArray(data?.visits) ? data.visits : [];
      worker.reconcile(visits);
      team.setAll(visits);
    } catch { /* offline or busy: the next poll or "ready" tries again */ }
  }

  schedulePoll() {
    clearTimeout(this.pollTimer);
    if (!this.active) return;
    const fast = can(this.me, "team_visits") && team.anyPastDue();
    this.pollTimer = setTimeout(() => this.refresh(), fast ? POLL_LATE_MS : POLL_MS);
  }

  stopTimers() {
    clearInterval(this.ticker);
    clearTimeout(this.pollTimer);
    this.ticker = this.pollTimer = 0;
  }
}
const session = new VisitSession();
const refresh = () => session.refresh();

function onEvent(ev, { live = true } = {}) {
  if (!session.active || !ev?.type?.startsWith("visit.")) return;
  if (!live) return; // the replay after a reconnect: "ready" then asks /api/visits
  const visit = visitOf(ev);
  if (!visit) return;
  if (ev.type === "visit.override_requested") session.requests?.requested(visit);
  else if (ev.type === "visit.override_decided") session.requests?.decided(visit);
  if (visit.worker?.id === session.me?.id) {
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
  if (!can(profile, "team_visits") || session.requests) return;
  let requests;
  try {
    requests = await import("./requests.js");
  } catch { return; /* offline before its first use: the next start tries again */ }
  if (session.requests) return; // a second start loaded it meanwhile
  session.requests = requests;
  requests.bind();
  requests.configure(session.me);
}

/* ---------- lifecycle ---------- */
function initOnce() {
  if (session.initialised) return;
  session.initialised = true;
  worker.bind();
  team.bind();
  conn.onEvent(onEvent);
  conn.onReady(() => { if (session.active) refresh(); });
}

/**
 * After login (or a start with a cached profile). hooks: go, up, replaceFrom (navigation),
 * currentScreen(), showOwnAlarm(alarm), ownAlarmOpen().
 */
export async function start(profile, hooks) {
  const first = !session.active;
  session.me = profile;
  session.active = true;
  worker.configure(profile, { ...hooks, refresh });
  team.configure(profile);
  initOnce();
  if (!first) return;
  session.ticker = setInterval(tick, 1000);
  loadRequests(profile);
  await worker.start();
  await refresh();
  // A start during a visit: on to it (unless my alarm is on screen).
  const visit = worker.current();
  if (session.active && isActive(visit) && hooks.currentScreen() === "home") hooks.go(paths.visit(visit.id));
}

export function update(profile) {
  session.me = profile;
  worker.configure(profile, {});
  team.configure(profile);
  session.requests?.configure(profile);
  loadRequests(profile);
}

export function refreshTexts() {
  worker.refreshTexts();
  team.refreshTexts();
  session.requests?.refreshTexts();
}

/** My current visit (active, else planned), as the server last described it. */
export const current = () => worker.current();

/** The visit screen's routes (worker.js). */
export const enter = (params) => worker.enter(params);
export const leave = () => worker.leave();

export function stop() {
  session.active = false;
  session.stopTimers();
  worker.stop();
  team.stop();
  session.requests?.stop();
}
