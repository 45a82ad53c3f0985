// The worker's side: raise (idempotent, retried until the server has it), the alarm
// screen, position sharing while the alarm is open, and closing with the PIN.
//
// Duress: the server answers a duress PIN exactly as a real cancel, and this code never
// looks at the answer's body: every 200 runs the same finish(), and nothing about an
// alarm closed here is shown again (later events about it are ignored), so an onlooker
// cannot tell the two apart.
import { t } from "../i18n.js";
import { post, get } from "../api.js";
import { kvGet, kvSet, kvDelete } from "../store.js";
import { $, el, ackText, telHref, newClientId } from "./common.js";
import { toPosition, currentPosition as fix } from "../position.js";

const RETRY_MS = 2000;
const OFFLINE_AFTER_MS = 5000;
const POSITION_EVERY_MS = 10000;
const FIX_TIMEOUT_MS = 3000; // the alarm never waits longer for a position

let me = null;
let ui = { showScreen: () => {} };
let pending = null;   // {client_id, test, position} until the server has it
let own = null;       // the open alarm as the server last described it
let retryTimer = 0;
let offlineTimer = 0;
let sending = false;
let watchId = null;
let lastSentAt = 0;
let latest = null;
let positionTimer = 0;
let closed = new Set(); // ids of my alarms closed on this device: never shown again
let generation = 0;     // bumps on stop() so stale async work does nothing

export function configure(profile, hooks) {
  me = profile;
  ui = hooks;
}

export const isOpen = () => !!(pending || own);

/* ---------- position ---------- */
function sendPosition() {
  positionTimer = 0;
  if (!own || !latest) return;
  lastSentAt = Date.now();
  post(`/api/alarms/${own.id}/positions`, latest, { handle401: false, timeout: 8000 }).catch(() => {});
}

function onWatchedPosition(p) {
  latest = toPosition(p);
  if (!latest || !own || positionTimer) return;
  const wait = lastSentAt + POSITION_EVERY_MS - Date.now();
  if (wait <= 0) sendPosition();
  else positionTimer = setTimeout(sendPosition, wait);
}

function startWatch() {
  if (watchId !== null || !navigator.geolocation) return;
  try {
    watchId = navigator.geolocation.watchPosition(onWatchedPosition, () => {},
      { enableHighAccuracy: true, maximumAge: 5000, timeout: 30000 });
  } catch { watchId = null; }
}

function stopWatch() {
  if (watchId !== null) navigator.geolocation.clearWatch(watchId);
  watchId = null;
  clearTimeout(positionTimer);
  positionTimer = 0;
  latest = null;
}

/* ---------- screen ---------- */
function setStatus(state, text) {
  const p = $("alarm-status");
  p.dataset.state = state;
  p.textContent = text;
}

function renderManagerCall() {
  const a = $("call-manager");
  const m = me?.manager;
  a.hidden = !m?.phone;
  if (m?.phone) {
    a.href = telHref(m.phone);
    a.textContent = t("alarm.callManager", { name: m.name });
  }
}

function render() {
  const test = own ? own.test : !!pending?.test;
  $("alarm-screen-title").textContent = test ? t("alarm.screen.title.test") : t("alarm.screen.title");
  $("alarm-test-mark").hidden = !test;
  $("alarm-screen").classList.toggle("is-test", test);
  renderManagerCall();
  const list = $("alarm-acks");
  const acks = own?.acknowledgements || [];
  list.replaceChildren(...acks.map((a) => el("li", {}, ackText(a))));
  if (!own) setStatus("sending", t("alarm.status.sending"));
  else if (acks.length) setStatus("acknowledged", ackText(acks[acks.length - 1]));
  else setStatus("received", t("alarm.status.received"));
  $("alarm-offline").hidden = !!own || !offlineShown;
}

let offlineShown = false;

function showAlarmScreen() {
  $("alarm-pin-error").textContent = "";
  render();
  ui.showScreen("alarm");
}

/* ---------- raise ---------- */
async function savePending() {
  await kvSet("pendingAlarm", pending).catch(() => {});
}

function body() {
  return { client_id: pending.client_id, test: !!pending.test, position: pending.position || null };
}

async function sendLoop() {
  if (!pending || sending) return;
  clearTimeout(retryTimer);
  sending = true;
  const gen = generation;
  const attempt = pending;
  try {
    const data = await post("/api/alarms", body(), { handle401: false, timeout: 5000 });
    if (gen !== generation || pending !== attempt) return;
    pending = null;
    clearTimeout(offlineTimer);
    offlineShown = false;
    await kvDelete("pendingAlarm").catch(() => {});
    if (data?.alarm) adopt(data.alarm, { fresh: true });
  } catch (err) {
    if (gen !== generation || pending !== attempt) return;
    if (err.status === 422 && pending.position) {
      // A position the server refuses must not hold the alarm back: send it without.
      pending.position = null;
      await savePending();
      retryTimer = setTimeout(sendLoop, 0);
    } else {
      retryTimer = setTimeout(sendLoop, RETRY_MS);
    }
  } finally {
    sending = false;
  }
}

function armOfflineHelp() {
  clearTimeout(offlineTimer);
  offlineTimer = setTimeout(() => {
    if (!pending) return;
    offlineShown = true;
    render();
  }, OFFLINE_AFTER_MS);
}

/** Start an alarm (test or real). Safe to call while one is open: then it just shows it. */
export async function raise(test) {
  if (pending || own) { showAlarmScreen(); return; }
  navigator.vibrate?.(300);
  const gen = generation;
  pending = { client_id: newClientId(), test: !!test, position: null, started_at: new Date().toISOString() };
  offlineShown = false;
  await savePending(); // before anything is sent: a crash or reload resumes it
  showAlarmScreen();
  armOfflineHelp();
  const position = await fix(FIX_TIMEOUT_MS);
  if (gen !== generation || !pending) return;
  pending.position = position;
  if (position) lastSentAt = Date.now();
  await savePending();
  sendLoop();
}

/** On app start: keep sending an alarm that had not reached the server. */
export async function resume() {
  const gen = generation;
  const stored = await kvGet("pendingAlarm").catch(() => null);
  const openOwn = await kvGet("ownAlarm").catch(() => null);
  const closedIds = await kvGet("closedAlarms").catch(() => null);
  if (gen !== generation) return;
  closed = new Set(Array.isArray(closedIds) ? closedIds : []);
  if (stored?.client_id && !pending && !own) {
    pending = stored;
    offlineShown = false;
    showAlarmScreen();
    armOfflineHelp();
    sendLoop();
  } else if (openOwn?.id && !pending && !own && !closed.has(openOwn.id)) {
    adopt(openOwn, {}); // shown at once from storage; refreshed from /api/alarms
  }
}

/* ---------- the open alarm ---------- */
/** The server's view of my alarm (from the raise, /api/alarms or an alarm.updated event). */
export function adopt(alarm, { fresh = false } = {}) {
  if (!alarm || closed.has(alarm.id)) return;
  if (pending && alarm.client_id === pending.client_id) {
    pending = null;
    clearTimeout(retryTimer);
    clearTimeout(offlineTimer);
    offlineShown = false;
    kvDelete("pendingAlarm").catch(() => {});
  }
  if (alarm.state !== "open") {
    if (own && own.id === alarm.id) finish(alarm.state === "resolved" ? alarm : { ...alarm, state: "cancelled" });
    return;
  }
  if (own && own.id !== alarm.id && !fresh) return; // one open alarm of mine at a time on screen
  const first = !own || own.id !== alarm.id;
  own = alarm;
  kvSet("ownAlarm", alarm).catch(() => {});
  if (first) {
    if (!lastSentAt) lastSentAt = Date.now();
    startWatch();
    showAlarmScreen();
  } else {
    render();
  }
}

/** Called after /api/alarms no longer lists my open alarm: it was closed elsewhere. */
export async function reconcile(openIds) {
  if (!own || openIds.has(own.id)) return;
  const id = own.id;
  try {
    const data = await get(`/api/alarms/${id}`, { handle401: false, timeout: 8000 });
    if (own?.id === id && data?.alarm && data.alarm.state !== "open") adopt(data.alarm);
  } catch (err) {
    if (err.status === 404 && own?.id === id) finish({ ...own, state: "cancelled" });
  }
}

/** The same for every way an alarm of mine ends; a duress cancel is a cancel here. */
function finish(alarm) {
  const id = alarm.id;
  closed.add(id);
  kvSet("closedAlarms", [...closed].slice(-50)).catch(() => {});
  kvDelete("ownAlarm").catch(() => {});
  stopWatch();
  const test = !!alarm.test;
  own = null;
  lastSentAt = 0;
  $("alarm-pin").value = "";
  $("alarm-pin-error").textContent = "";
  const text = alarm.state === "resolved"
    ? t("alarm.closed.resolved", { outcome: alarm.outcome_label || "" })
    : t("alarm.closed.cancelled");
  $("alarm-closed").textContent = test ? `${t("alarm.test.prefix")} ${text}` : text;
  const report = $("alarm-report");
  report.href = `/#incident?alarm=${id}`;
  report.hidden = test;
  // The incident form (incidents/capture.js) prefills from this alarm, offline too.
  if (!test) window.dispatchEvent(new CustomEvent("veldwacht:alarm-closed", { detail: { id, raised_at: alarm.raised_at } }));
  $("alarm-after").hidden = false;
  ui.showScreen("home");
  $("alarm-closed").focus();
}

/** Is this (an event about) an alarm of mine that this device already closed? */
export const isClosedHere = (id) => closed.has(id);

async function submitCancel(e) {
  e.preventDefault();
  const input = $("alarm-pin");
  const error = $("alarm-pin-error");
  const pin = input.value.trim();
  error.textContent = "";
  input.removeAttribute("aria-invalid");
  if (!/^\d{4,8}$/.test(pin)) {
    error.textContent = t("alarm.pin.invalid");
    input.setAttribute("aria-invalid", "true");
    input.focus();
    return;
  }
  if (!own) {
    error.textContent = t("alarm.cancel.notYet");
    return;
  }
  const alarm = own;
  const btn = e.submitter || $("alarm-cancel-form").querySelector("button[type=submit]");
  btn.disabled = true;
  try {
    await post(`/api/alarms/${alarm.id}/cancel`, { pin }, { handle401: false, timeout: 10000 });
    // Deliberately not reading the answer: see the note at the top of this file.
    if (own?.id === alarm.id) finish({ ...alarm, state: "cancelled" });
  } catch (err) {
    if (err.status === 422) {
      error.textContent = err.message || t("alarm.pin.wrong");
      input.value = "";
      input.setAttribute("aria-invalid", "true");
      input.focus();
    } else if (err.status === 409) {
      // Already closed (by a responder): the refresh shows how it ended.
      reconcile(new Set());
    } else {
      error.textContent = err.isNetwork ? t("alarm.cancel.offline") : err.message || t("alarm.cancel.failed");
    }
  } finally {
    btn.disabled = false;
  }
}

let bound = false;
export function bind() {
  if (bound) return;
  bound = true;
  $("alarm-cancel-form").addEventListener("submit", submitCancel);
}

export function refreshTexts() {
  if (pending || own) render();
}

/** Logout: forget everything (the pending raise is kept in storage only until clearAll). */
export function stop() {
  generation += 1;
  clearTimeout(retryTimer);
  clearTimeout(offlineTimer);
  stopWatch();
  pending = null;
  own = null;
  sending = false;
  offlineShown = false;
  lastSentAt = 0;
  closed = new Set();
  $("alarm-after").hidden = true;
}
