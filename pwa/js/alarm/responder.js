// The responder's side: the full-screen alert (drawn by alert-view.js), acknowledging,
// resolving, the bar that keeps open alarms in sight on every screen (bar.js), receipts
// (delivered / seen) and the alarm tone (tone.js).
import { post } from "../api.js";
import { t } from "../i18n.js";
import { $, closedForResponder, sendReceipt } from "./common.js";
import { inertAllBut } from "../dom.js";
import { renderAlert, renderTimes, renderWhereabouts, renderMapStatus, myAck } from "./alert-view.js";
import { refreshMap, onTileState } from "./map.js";
import { alarmBar } from "./bar.js";
import { startAlerting, stopTone, bindTone } from "./tone.js";
import * as timeline from "./timeline.js";

const TICK_MS = 1000;

let me = null;
let hooks = { onClosed: () => {} };
/** id -> {alarm, via: "websocket"|"push", delivered, seen, dismissed} */
const alerts = new Map();
let currentId = null;
let previousFocus = null;
let ticker = 0;

export function configure(profile, h) {
  me = profile;
  hooks = h;
}

/* ---------- overlay ---------- */
// The alert and its timeline stay usable; whatever screen is under them does not.
const ON_TOP = ["alarm-alert", "alarm-timeline-dialog"];

function setBackgroundInert(on) {
  inertAllBut(ON_TOP, on);
}

const shown = () => alerts.get(currentId)?.alarm || null;

function render() {
  const alarm = shown();
  if (alarm) renderAlert(alarm, me);
}

/** Each second while the alert is up: how long ago, how old the position is. */
function tick() {
  const alarm = shown();
  if (alarm && !$("alarm-alert").hidden) renderTimes(alarm);
}

function open(id, { alerting = false } = {}) {
  const entry = alerts.get(id);
  if (!entry) return;
  entry.dismissed = false;
  currentId = id;
  const box = $("alarm-alert");
  const wasHidden = box.hidden;
  $("alarm-alert-status").textContent = "";
  render();
  if (wasHidden) {
    previousFocus = document.activeElement;
    box.hidden = false;
    setBackgroundInert(true);
    document.body.classList.add("has-alert");
    clearInterval(ticker);
    ticker = setInterval(tick, TICK_MS);
  }
  refreshMap();
  box.focus();
  if (alerting && !myAck(entry.alarm, me)) startAlerting();
  markSeen();
  renderBar();
}

function hide() {
  const box = $("alarm-alert");
  stopTone();
  clearInterval(ticker);
  ticker = 0;
  if (box.hidden) return;
  box.hidden = true;
  setBackgroundInert(false);
  document.body.classList.remove("has-alert");
  currentId = null;
  const back = previousFocus;
  previousFocus = null;
  if (back && document.contains(back) && !back.closest("[hidden]")) back.focus?.();
}

function dismiss() {
  const entry = alerts.get(currentId);
  if (entry) entry.dismissed = true;
  hide();
  renderBar();
  $("alarm-banner").querySelector("button")?.focus();
}

/** "seen" once per alarm, only when the alert is on a visible screen. */
function markSeen() {
  const entry = alerts.get(currentId);
  if (!entry || entry.seen || document.visibilityState !== "visible" || $("alarm-alert").hidden) return;
  entry.seen = true;
  sendReceipt(entry.alarm.id, "seen", entry.via === "push" ? "push" : "websocket");
}

/** The bar lists every open alarm whose alert is not on screen. */
function renderBar() {
  const hidden = $("alarm-alert").hidden;
  alarmBar.render([...alerts.values()].map((e) => e.alarm).filter((a) => a.id !== currentId || hidden), me);
}

/* ---------- state from the server ---------- */
/**
 * An open alarm I respond to: from a live alarm.raised (via websocket or push) or from
 * /api/alarms at start. A new one takes the screen with sound and vibration
 * (unless I already acknowledged it).
 */
export function present(alarm, { via = "websocket" } = {}) {
  if (!alarm || alarm.worker?.id === me?.id) return;
  if (closedForResponder(alarm)) { close(alarm); return; }
  let entry = alerts.get(alarm.id);
  const isNew = !entry;
  if (!entry) {
    entry = { alarm, via, delivered: via === "push", seen: false, dismissed: false };
    alerts.set(alarm.id, entry);
  } else {
    entry.alarm = alarm;
  }
  if (!entry.delivered) {
    entry.delivered = true;
    sendReceipt(alarm.id, "delivered", "websocket");
  }
  if (isNew) open(alarm.id, { alerting: true }); // a new alarm takes the screen
  else if (currentId === alarm.id) render();
  renderBar();
}

/** A fresh view of an alarm (alarm.updated, or the answer to my own action). */
export function update(alarm) {
  if (!alarm || alarm.worker?.id === me?.id) return;
  if (closedForResponder(alarm)) { close(alarm); return; }
  const entry = alerts.get(alarm.id);
  if (!entry) { present(alarm); return; }
  entry.alarm = alarm;
  if (currentId === alarm.id) render();
  renderBar();
}

/** The worker moved: the server sends where she is now (place, position, its status and the
 * navigation links) with every position. */
export function position(alarmId, whereabouts) {
  const entry = alerts.get(alarmId);
  if (!entry || !whereabouts?.position) return;
  const { alarm_id: _, ...fresh } = whereabouts;
  entry.alarm = { ...entry.alarm, ...fresh };
  if (currentId === alarmId) renderWhereabouts(entry.alarm);
}

/** Gone from the open alarms; `ended` when we know how it ended (then a trace stays). */
function close(alarm, { ended = true } = {}) {
  const had = alerts.delete(alarm.id);
  if (currentId === alarm.id) hide();
  renderBar();
  if (had && ended) alarmBar.trace(alarm);
  if (had) hooks.onClosed(alarm);
}

/** Drop alarms that /api/alarms no longer lists (closed while we were away). */
export function reconcile(openIds) {
  for (const id of [...alerts.keys()]) {
    if (!openIds.has(id)) close(alerts.get(id).alarm, { ended: false });
  }
}

/* ---------- actions ---------- */
async function acknowledge(response) {
  const entry = alerts.get(currentId);
  if (!entry) return;
  stopTone();
  const status = $("alarm-alert-status");
  const btns = [$("ack-coming"), $("ack-112")];
  btns.forEach((b) => { b.disabled = true; });
  status.classList.remove("is-error");
  status.textContent = t("alarm.ack.sending");
  try {
    const data = await post(`/api/alarms/${entry.alarm.id}/acknowledge`, { response }, { timeout: 10000 });
    status.textContent = response === "coming" ? t("alarm.ack.sent.coming") : t("alarm.ack.sent.112");
    if (data?.alarm) update(data.alarm);
  } catch (err) {
    if (err.status === 401) return;
    status.classList.add("is-error");
    status.textContent = err.isNetwork ? t("error.network") : err.message || t("alarm.ack.failed");
  } finally {
    btns.forEach((b) => { b.disabled = false; });
  }
}

async function resolve(e) {
  e.preventDefault();
  const entry = alerts.get(currentId);
  if (!entry) return;
  const sel = $("alarm-outcome");
  const status = $("alarm-alert-status");
  status.classList.remove("is-error");
  if (!sel.value) {
    status.classList.add("is-error");
    status.textContent = t("alarm.outcome.missing");
    sel.setAttribute("aria-invalid", "true");
    sel.focus();
    return;
  }
  sel.removeAttribute("aria-invalid");
  const btn = e.submitter || $("alarm-resolve-form").querySelector("button[type=submit]");
  btn.disabled = true;
  try {
    const data = await post(`/api/alarms/${entry.alarm.id}/resolve`, { outcome: sel.value }, { timeout: 10000 });
    if (data?.alarm) update(data.alarm);
  } catch (err) {
    if (err.status === 401) return;
    status.classList.add("is-error");
    status.textContent = err.isNetwork ? t("error.network") : err.message || t("alarm.resolve.failed");
  } finally {
    btn.disabled = false;
  }
}

let bound = false;
export function bind() {
  if (bound) return;
  bound = true;
  $("ack-coming").addEventListener("click", () => acknowledge("coming"));
  $("ack-112").addEventListener("click", () => acknowledge("calling_112"));
  $("alarm-resolve-form").addEventListener("submit", resolve);
  $("alarm-alert-dismiss").addEventListener("click", dismiss);
  $("alarm-timeline-button").addEventListener("click", () => currentId && timeline.open(currentId));
  alarmBar.bind({ open: (id) => open(id), timeline: (id) => timeline.open(id) });
  $("alarm-alert").addEventListener("keydown", (e) => {
    if (e.key === "Escape") { e.preventDefault(); dismiss(); }
  });
  document.addEventListener("visibilitychange", markSeen);
  onTileState(() => renderMapStatus(shown()));
  bindTone();
}

export function refreshTexts() {
  if (currentId !== null) render();
  alarmBar.refreshTexts();
}

export function stop() {
  alerts.clear();
  hide();
  alarmBar.stop();
}
