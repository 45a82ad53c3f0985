// The one-tap alarm: wires the alarm button, the live feed and the service worker to the
// worker side (worker.js) and the responder side (responder.js).
import { t } from "../i18n.js";
import { get, ApiError } from "../api.js";
import * as conn from "../connection.js";
import { can } from "../capabilities.js";
import { $, el, alarmIdOf, closedForResponder } from "./common.js";
import { holdToConfirm } from "./hold.js";
import * as worker from "./worker.js";
import { afterAlarm } from "./after.js";
import * as responder from "./responder.js";
import * as timeline from "./timeline.js";

/** Who is signed in on this page and whether the alarm parts are running (one per page). */
class AlarmSession {
  constructor() {
    this.me = null;
    this.active = false;
    this.initialised = false;
    this.setOwnAlarm = () => {};
    this.currentVisit = () => null;  // the visit under way, once visits' code is here
    this.refreshing = null; // the GET /api/alarms under way, shared by those who ask meanwhile
  }

  isMine(alarm) { return alarm?.worker?.id === this.me?.id; }

  /** Open alarms I raised or respond to; after start and after every websocket "ready". */
  refreshOpen() {
    this.refreshing ||= this.fetchOpen().finally(() => { this.refreshing = null; });
    return this.refreshing;
  }

  async fetchOpen() {
    try {
      const data = await get("/api/alarms", { handle401: false, timeout: 10000 });
      if (!this.active) return;
      const alarms = Array.isArray(data?.alarms) ? data.alarms : [];
      const openIds = new Set(alarms.map((a) => a.id));
      for (const a of alarms) {
        if (this.isMine(a)) worker.adopt(a);
        else responder.present(a);
      }
      responder.reconcile(openIds);
      await worker.reconcile(openIds);
    } catch { /* offline or the server is busy: the next "ready" tries again */ }
  }

  configure(profile) {
    this.me = profile;
    worker.configure(profile, { setOwnAlarm: (open) => this.setOwnAlarm(open), currentVisit: () => this.currentVisit() });
    responder.configure(profile, { onClosed: () => {} });
  }
}
const session = new AlarmSession();

/* ---------- the alarm button ---------- */
function setHoldProgress(fraction) {
  const pct = Math.round(fraction * 100);
  $("alarm-progress").value = pct;
  const btn = $("alarm-button");
  btn.classList.toggle("is-holding", fraction > 0 && fraction < 1);
  $("alarm-button-label").textContent = fraction > 0 && fraction < 1
    ? t("alarm.button.holding", { pct })
    : t("alarm.button");
}

function initButton() {
  holdToConfirm($("alarm-button"), {
    duration: 1500,
    onProgress: setHoldProgress,
    onFire: () => {
      setHoldProgress(0);
      worker.raise(false);
    },
    onCancel: () => {
      $("alarm-hold-hint").textContent = t("alarm.hold.cancelled");
    },
  });
  // A short click (or an assistive "activate") only explains the hold.
  $("alarm-button").addEventListener("click", () => {
    $("alarm-hold-hint").textContent = t("alarm.hold.hint");
  });
  $("test-alarm-button").addEventListener("click", () => {
    if (!confirm(t("alarm.test.confirm"))) return;
    worker.raise(true);
  });
}

/* ---------- server state ---------- */
function route(alarm, { via = "websocket", raised = false } = {}) {
  if (!alarm) return;
  if (session.isMine(alarm)) {
    worker.adopt(alarm);
  } else if (raised) {
    responder.present(alarm, { via });
  } else {
    responder.update(alarm);
  }
}

function onEvent(ev, { live = true } = {}) {
  if (!session.active || !ev?.type?.startsWith("alarm.")) return;
  if (!live) return; // the replay after a reconnect: "ready" then asks /api/alarms
  const data = ev.data || {};
  if (ev.type === "alarm.raised") route(data.alarm, { raised: true });
  else if (ev.type === "alarm.updated") route(data.alarm);
  else if (ev.type === "alarm.position") responder.position(data.alarm_id, data);
}

/** The alarm as the server has it now, put on screen (`raised`: as the alert it was). */
async function fetchAndRoute(id, { raised }) {
  try {
    const data = await get(`/api/alarms/${id}`, { handle401: false, timeout: 10000 });
    route(data?.alarm, { via: "push", raised });
  } catch (err) {
    if (!(err instanceof ApiError)) console.error(err);
  }
}

/** An alarm event that reached us as a push (the service worker already sent "delivered"). */
function onPushEvent(ev) {
  if (!session.active || !ev?.type?.startsWith("alarm.")) return;
  const id = alarmIdOf(ev);
  if (id !== null) fetchAndRoute(id, { raised: ev.type === "alarm.raised" });
}

/** A link to an alarm ("/alarm/7", a notification's): its alert comes up while it is open. */
export function openAlarm(id) {
  if (session.active) fetchAndRoute(id, { raised: true });
}

/* ---------- the feed (home screen) ---------- */
/**
 * Alarm events in the feed: TEST marked, "Alarm afgesloten" when closed, a timeline
 * button for managers. Returns false for events the feed must not show: anything about an
 * alarm of mine after this device closed it (see worker.js about duress).
 */
export function decorateFeedItem(ev, li) {
  if (!ev?.type?.startsWith("alarm.")) return true;
  const id = alarmIdOf(ev);
  const alarm = ev.data?.alarm;
  if (id !== null && worker.isClosedHere(id)) return false;
  if (alarm && session.isMine(alarm) && alarm.state !== "open") return false;
  if (id !== null) li.dataset.alarmId = String(id);
  if (alarm?.test) {
    li.querySelector(".event-title")?.prepend(el("span", { class: "test-label" }, t("alarm.test.label")), " ");
  }
  if (ev.type === "alarm.updated" && alarm && closedForResponder(alarm)) {
    const text = alarm.outcome_label ? `${t("alarm.feed.closed")}: ${alarm.outcome_label}` : t("alarm.feed.closed");
    li.querySelector(".event-title")?.after(el("p", { class: "event-body alarm-feed-closed" }, text));
  }
  if (id !== null && can(session.me, "alarm_timeline")) {
    li.append(el("button", { type: "button", class: "btn btn-secondary btn-small timeline-btn", dataset: { timeline: String(id) } }, t("alarm.timeline")));
  }
  return true;
}

/* ---------- lifecycle ---------- */
function initOnce() {
  if (session.initialised) return;
  session.initialised = true;
  initButton();
  worker.bind();
  afterAlarm.bind();
  responder.bind();
  timeline.bind();
  conn.onEvent(onEvent);
  conn.onReady(() => { if (session.active) session.refreshOpen(); });
  navigator.serviceWorker?.addEventListener("message", (e) => {
    if (e.data?.type === "push-event" && e.data.event) onPushEvent(e.data.event);
  });
  $("feed").addEventListener("click", (e) => {
    const b = e.target.closest("[data-timeline]");
    if (b) timeline.open(Number(b.dataset.timeline));
  });
}

/** After login (or a start with a cached profile). */
export function start(profile, hooks) {
  session.setOwnAlarm = hooks.setOwnAlarm;
  session.currentVisit = hooks.currentVisit;
  const first = !session.active;
  session.active = true;
  session.configure(profile);
  initOnce();
  if (first) {
    afterAlarm.resume(profile);
    worker.resume();
    session.refreshOpen();
  }
}

/** A fresh profile from /api/me (manager phone may have changed). */
export function update(profile) {
  session.configure(profile);
}

export function refreshTexts() {
  setHoldProgress(0);
  afterAlarm.render();
  worker.refreshTexts();
  responder.refreshTexts();
}

export const ownAlarmOpen = () => worker.isOpen();

/**
 * Put an alarm of mine that was raised elsewhere on screen (a visit's "Nee, ik heb hulp
 * nodig"); without one, ask the server for my open alarms.
 */
export function showOwnAlarm(alarm) {
  if (!session.active) return;
  if (alarm && session.isMine(alarm)) worker.adopt(alarm, { fresh: true });
  else session.refreshOpen();
}

export function stop() {
  session.active = false;
  worker.stop();
  afterAlarm.stop();
  responder.stop();
  timeline.close();
}
