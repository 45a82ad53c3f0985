// The worker's side: raise (idempotent, retried until the server has it), the alarm screen,
// position sharing while the alarm is open, and closing with the PIN.
//
// Honest status: "ontvangen" only ever follows a 200/201 from the server. Offline at the press,
// no answer within 3 s, or a 503, 5xx or network error: the screen says at once "Niet verstuurd
// — bel 112" and keeps sending (the pending raise is kept in IndexedDB). 112 and the manager are
// on the alarm screen all the time, online too.
//
// Duress: the server answers a duress PIN exactly as a real cancel, and this code never
// looks at the answer's body: every 200 runs the same finish() and the same silent position
// cover (cover.js), and nothing about an alarm closed here is shown again (later events about
// it are ignored), so an onlooker cannot tell the two apart.
import { t } from "../i18n.js";
import { post, get } from "../api.js";
import { kvGet, kvSet, kvDelete } from "../store.js";
import { PositionWatch } from "../position.js";
import { current as currentVisit } from "../visits/worker.js";
import { isActive } from "../visits/common.js";
import { $, el, ackText, telHref, newClientId } from "./common.js";
import { afterAlarm } from "./after.js";
import { cover } from "./cover.js";

const RETRY_MS = 2000;
const CONFIRM_MS = 3000;     // not confirmed by then: "Niet verstuurd"
const SEND_TIMEOUT_MS = 5000;
const FIX_WAIT_MS = 1000;    // the raise never waits longer for a position
const POSITION_EVERY_MS = 10000;

let me = null;
let ui = { setOwnAlarm: () => {} };
let pending = null;   // {client_id, test, position, position_missing, no_position, started_at} until the server has it
let own = null;       // the open alarm as the server last described it
let unsent = null;    // why the raise is not confirmed: {reason, message}; null while sending or once sent
let locked = "";      // the server's message once cancelling by PIN is locked (429)
let retryTimer = 0;
let confirmTimer = 0;
let sending = false;
let closed = new Set(); // ids of my alarms closed on this device: never shown again
let generation = 0;     // bumps on stop() so stale async work does nothing

export function configure(profile, hooks) {
  me = profile;
  ui = hooks;
}

export const isOpen = () => !!(pending || own);

/* ---------- position: shared while the alarm is open, or why not ---------- */
const watch = new PositionWatch(onPositionChange);
let sentPosition = null; // the fix the server was sent last (by identity)
let toldMissing = null;  // the reason the server was told last ("pending" in the raise)
let lastSentAt = 0;
let positionTimer = 0;

function sendPosition() {
  positionTimer = 0;
  const position = watch.latest;
  if (!own || !position || position === sentPosition) return;
  sentPosition = position;
  lastSentAt = Date.now();
  post(`/api/alarms/${own.id}/positions`, position, { handle401: false, timeout: 8000 }).catch(() => {});
}

/** No position after all: responders learn why (they go by the visit address, or call). */
function tellMissing() {
  const reason = watch.missing;
  if (!own || !reason || reason === toldMissing || sentPosition) return;
  toldMissing = reason;
  post(`/api/alarms/${own.id}/position-missing`, { reason }, { handle401: false, timeout: 8000 })
    .catch(() => { toldMissing = null; });
}

function sharePosition() {
  if (!own) return;
  tellMissing();
  if (!watch.latest || positionTimer || watch.latest === sentPosition) return;
  const wait = lastSentAt + POSITION_EVERY_MS - Date.now();
  if (wait <= 0) sendPosition();
  else positionTimer = setTimeout(sendPosition, wait);
}

function onPositionChange() {
  sharePosition();
  if (pending || own) renderLocation();
}

function stopSharing() {
  watch.stop();
  clearTimeout(positionTimer);
  positionTimer = 0;
  sentPosition = null;
  toldMissing = null;
  lastSentAt = 0;
}

/* ---------- screen ---------- */
function setStatus(state, text) {
  const p = $("alarm-status");
  p.dataset.state = state;
  if (p.textContent !== text) p.textContent = text; // the same words are not announced again
}

function statusNow() {
  const acks = own?.acknowledgements || [];
  if (own && acks.length) return ["acknowledged", ackText(acks[acks.length - 1])];
  if (own) return ["received", t("alarm.status.received")];
  if (unsent) return ["unsent", t("alarm.status.unsent")];
  return ["sending", t("alarm.status.sending")];
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

/** Why it is not sent yet: the server's words for a busy server, else ours. */
function unsentText() {
  return unsent.message || t(`alarm.unsent.${unsent.reason}`);
}

/** The visit under way: the server's (once it has the alarm), else the one on this phone. */
function visitNow() {
  if (own) return own.visit || null;
  const visit = currentVisit();
  return isActive(visit) ? visit : null;
}

function renderLocation() {
  const p = $("alarm-location");
  const state = watch.latest ? "shared" : watch.missing ? "missing" : "pending";
  p.dataset.state = state;
  const key = state === "missing" && visitNow() ? "alarm.location.missing.visit" : `alarm.location.${state}`;
  p.textContent = t(key);
}

function renderPinForm() {
  $("alarm-cancel-form").hidden = !!locked;
  const note = $("alarm-pin-locked");
  note.hidden = !locked;
  note.textContent = locked;
}

function render() {
  const test = own ? own.test : !!pending?.test;
  $("alarm-screen-title").textContent = test ? t("alarm.screen.title.test") : t("alarm.screen.title");
  $("alarm-test-mark").hidden = !test;
  $("alarm-screen").classList.toggle("is-test", test);
  renderManagerCall();
  $("alarm-acks").replaceChildren(...(own?.acknowledgements || []).map((a) => el("li", {}, ackText(a))));
  setStatus(...statusNow());
  const note = $("alarm-offline");
  note.hidden = !!own || !unsent;
  note.textContent = !own && unsent ? unsentText() : "";
  renderLocation();
  renderPinForm();
}

function showAlarmScreen() {
  $("alarm-pin-error").textContent = "";
  render();
  ui.setOwnAlarm(true);
}

/* ---------- raise ---------- */
async function savePending() {
  await kvSet("pendingAlarm", pending).catch(() => {});
}

/** The freshest fix goes with every try; without one, why there is none ("pending": still looking). */
function fillPosition() {
  const position = pending.no_position ? null : watch.latest || pending.position;
  pending.position = position || null;
  pending.position_missing = position ? null : watch.missing || "pending";
}

function body() {
  const where = pending.position ? { position: pending.position } : { position_missing: pending.position_missing };
  return { client_id: pending.client_id, test: !!pending.test, ...where };
}

function notSent(reason, message = "") {
  if (!pending) return;
  unsent = { reason, message };
  render();
}

/** The server has it: what it was sent is what it knows of where I am. */
function confirmed() {
  sentPosition = pending.position || null;
  if (sentPosition) lastSentAt = Date.now();
  toldMissing = pending.position_missing;
  pending = null;
  unsent = null;
  clearTimeout(retryTimer);
  clearTimeout(confirmTimer);
  kvDelete("pendingAlarm").catch(() => {});
}

function retryAfterFailure(err) {
  if (err.status === 422 && pending.position) {
    // A position the server refuses must not hold the alarm back: send it without.
    pending.no_position = true;
    retryTimer = setTimeout(sendLoop, 0);
    return;
  }
  if (err.isNetwork) notSent(navigator.onLine ? "network" : "offline");
  else notSent("server", err.status === 503 ? err.message : "");
  const wait = err.retryAfter === null || err.retryAfter === undefined ? RETRY_MS : err.retryAfter * 1000;
  retryTimer = setTimeout(sendLoop, wait);
}

async function sendLoop() {
  if (!pending || sending) return;
  clearTimeout(retryTimer);
  sending = true;
  const gen = generation;
  const attempt = pending;
  fillPosition();
  savePending();
  try {
    const data = await post("/api/alarms", body(), { handle401: false, timeout: SEND_TIMEOUT_MS });
    if (gen !== generation || pending !== attempt) return;
    confirmed();
    if (data?.alarm) adopt(data.alarm, { fresh: true });
  } catch (err) {
    if (gen !== generation || pending !== attempt) return;
    retryAfterFailure(err);
  } finally {
    sending = false;
  }
}

function armConfirm() {
  clearTimeout(confirmTimer);
  confirmTimer = setTimeout(() => { if (pending && !unsent) notSent("timeout"); }, CONFIRM_MS);
}

/** Show the pending raise and send it. */
function startSending() {
  unsent = navigator.onLine ? null : { reason: "offline", message: "" };
  watch.start();
  showAlarmScreen();
  armConfirm();
}

/** Start an alarm (test or real). Safe to call while one is open: then it just shows it. */
export async function raise(test) {
  if (pending || own) { showAlarmScreen(); return; }
  cover.stop(); // a new alarm ends the cover of an earlier one
  navigator.vibrate?.(300);
  const gen = generation;
  pending = { client_id: newClientId(), test: !!test, position: null, position_missing: null,
    started_at: new Date().toISOString() };
  await savePending(); // before anything is sent: a crash or reload resumes it
  if (gen !== generation || !pending) return;
  startSending();
  await watch.settled(FIX_WAIT_MS);
  if (gen === generation && pending) sendLoop();
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
    startSending();
    sendLoop();
  } else if (openOwn?.id && !pending && !own && !closed.has(openOwn.id)) {
    adopt(openOwn, {}); // shown at once from storage; refreshed from /api/alarms
  }
  cover.resume();
}

/* ---------- the open alarm ---------- */
/** The server's view of my alarm (from the raise, /api/alarms or an alarm.updated event). */
export function adopt(alarm, { fresh = false } = {}) {
  if (!alarm || closed.has(alarm.id)) return;
  if (pending && alarm.client_id === pending.client_id) confirmed();
  if (alarm.state !== "open") {
    if (own && own.id === alarm.id) finish(alarm.state === "resolved" ? alarm : { ...alarm, state: "cancelled" });
    return;
  }
  if (own && own.id !== alarm.id && !fresh) return; // one open alarm of mine at a time on screen
  const first = !own || own.id !== alarm.id;
  own = alarm;
  kvSet("ownAlarm", alarm).catch(() => {});
  if (first) {
    locked = "";
    watch.start();
    sharePosition();
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
  closed.add(alarm.id);
  kvSet("closedAlarms", [...closed].slice(-50)).catch(() => {});
  kvDelete("ownAlarm").catch(() => {});
  stopSharing();
  own = null;
  locked = "";
  $("alarm-pin").value = "";
  $("alarm-pin-error").textContent = "";
  ui.setOwnAlarm(false);
  afterAlarm.show(alarm);
}

/** Is this (an event about) an alarm of mine that this device already closed? */
export const isClosedHere = (id) => closed.has(id);

function pinRefused(err, input, error) {
  if (err.status === 429) {
    // Cancelling by PIN is locked for this alarm: the server's words replace the form.
    locked = err.message || t("alarm.pin.locked");
    renderPinForm();
    $("alarm-pin-locked").focus();
  } else if (err.status === 422) {
    error.textContent = err.message || t("alarm.pin.wrong");
    input.value = "";
    input.setAttribute("aria-invalid", "true");
    input.focus();
  } else if (err.status === 409) {
    reconcile(new Set()); // already closed (by a responder): the refresh shows how it ended
  } else {
    error.textContent = err.isNetwork ? t("alarm.cancel.offline") : err.message || t("alarm.cancel.failed");
  }
}

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
    cover.begin(alarm.id);
  } catch (err) {
    pinRefused(err, input, error);
  } finally {
    btn.disabled = false;
  }
}

let bound = false;
export function bind() {
  if (bound) return;
  bound = true;
  $("alarm-cancel-form").addEventListener("submit", submitCancel);
  window.addEventListener("online", () => { if (pending) sendLoop(); });
  window.addEventListener("offline", () => notSent("offline"));
}

export function refreshTexts() {
  if (pending || own) render();
}

/** Logout: forget everything (the pending raise is kept in storage only until clearAll). */
export function stop() {
  generation += 1;
  clearTimeout(retryTimer);
  clearTimeout(confirmTimer);
  stopSharing();
  cover.stop();
  pending = null;
  own = null;
  unsent = null;
  locked = "";
  sending = false;
  closed = new Set();
}
