// The responder's side: the full-screen alert, acknowledging, resolving, the banner that
// reopens a dismissed alert, receipts (delivered / seen) and the alarm tone.
import { t } from "../i18n.js";
import { post } from "../api.js";
import { $, el, ackText, telHref, formatPosition, closedForResponder, sendReceipt, OUTCOMES, seesTimeline } from "./common.js";
import { showOnMap, refreshMap } from "./map.js";
import * as timeline from "./timeline.js";

let me = null;
let hooks = { onClosed: () => {} };
/** id -> {alarm, via: "websocket"|"push", delivered, seen, dismissed} */
const alerts = new Map();
let currentId = null;
let previousFocus = null;

export function configure(profile, h) {
  me = profile;
  hooks = h;
}

/* ---------- sound and vibration ---------- */
let audio = null;
let toneTimer = 0;

function audioContext() {
  try {
    const Ctx = window.AudioContext || window.webkitAudioContext;
    if (!audio && Ctx) audio = new Ctx();
  } catch { audio = null; }
  return audio;
}

/** Browsers only allow sound after a gesture: unlock the context on the first one. */
function unlockAudio() {
  const ctx = audioContext();
  ctx?.resume?.().catch(() => {});
}

function beepBurst() {
  const ctx = audioContext();
  if (!ctx || ctx.state !== "running") { ctx?.resume?.().catch(() => {}); return; }
  try {
    const start = ctx.currentTime + 0.05;
    for (let i = 0; i < 6; i++) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = "square";
      osc.frequency.value = i % 2 ? 660 : 960;
      gain.gain.value = 0.25;
      osc.connect(gain).connect(ctx.destination);
      osc.start(start + i * 0.3);
      osc.stop(start + i * 0.3 + 0.25);
    }
  } catch { /* sound is a bonus */ }
}

function startAlerting() {
  try { navigator.vibrate?.([500, 200, 500, 200, 500]); } catch { /* ignore */ }
  stopTone();
  beepBurst();
  let bursts = 1;
  toneTimer = setInterval(() => {
    if (++bursts > 10) return stopTone(); // about 30 s, then the screen stays
    beepBurst();
  }, 3000);
}

function stopTone() {
  clearInterval(toneTimer);
  toneTimer = 0;
}

/* ---------- overlay ---------- */
const INERT = () => [document.querySelector(".skip-link"), document.querySelector(".app-header"),
  $("booting"), $("login-screen"), $("home-screen"), $("alarm-screen"), $("alarm-bar"),
  $("visit-screen"), $("visit-overdue-banner"), $("visit-prompt")];

function setBackgroundInert(on) {
  for (const node of INERT()) if (node) node.inert = on;
}

function renderOutcomes(alarm) {
  const sel = $("alarm-outcome");
  const previous = sel.value;
  sel.replaceChildren(el("option", { value: "" }, t("alarm.outcome.choose")),
    ...OUTCOMES.map((o) => el("option", { value: o }, t(`alarm.outcome.${o}`))));
  if (previous && OUTCOMES.includes(previous)) sel.value = previous;
  else if (alarm.test) sel.value = "test_completed";
}

function mine(alarm) {
  return (alarm.acknowledgements || []).find((a) => a.user?.id === me?.id);
}

function render() {
  const entry = alerts.get(currentId);
  if (!entry) return;
  const a = entry.alarm;
  const box = $("alarm-alert");
  box.dataset.alarmId = String(a.id);
  box.classList.toggle("is-test", !!a.test);
  $("alarm-alert-title").textContent = a.test ? t("alarm.alert.title.test") : t("alarm.alert.title");
  $("alarm-alert-test").hidden = !a.test;
  $("alarm-alert-duress").hidden = a.duress !== true;
  const w = a.worker || {};
  $("alarm-alert-worker").textContent = w.team?.name ? `${w.name} (${w.team.name})` : (w.name || "");
  const call = $("alarm-alert-call");
  call.hidden = !w.phone;
  if (w.phone) {
    call.href = telHref(w.phone);
    call.textContent = t("alarm.alert.call", { name: w.name, phone: w.phone });
  }
  $("alarm-alert-position").textContent = formatPosition(a.position);
  // A region, not an image: Leaflet puts zoom buttons and links inside the map.
  $("alarm-map").setAttribute("aria-label", t("alarm.map.label"));
  showOnMap($("alarm-map"), a.position);
  $("alarm-alert-acks").replaceChildren(...(a.acknowledgements || []).map((k) => el("li", {}, ackText(k))));
  if (!(a.acknowledgements || []).length) $("alarm-alert-acks").append(el("li", { class: "hint" }, t("alarm.acks.none")));
  const my = mine(a);
  $("ack-coming").setAttribute("aria-pressed", my?.response === "coming" ? "true" : "false");
  $("ack-112").setAttribute("aria-pressed", my?.response === "calling_112" ? "true" : "false");
  renderOutcomes(a);
  $("alarm-timeline-button").hidden = !seesTimeline(me);
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
  }
  refreshMap();
  box.focus();
  if (alerting && !mine(entry.alarm)) startAlerting();
  markSeen();
  renderBanner();
}

function hide() {
  const box = $("alarm-alert");
  stopTone();
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
  renderBanner();
  $("alarm-banner").querySelector("button")?.focus();
}

/** "seen" once per alarm, only when the alert is on a visible screen. */
function markSeen() {
  const entry = alerts.get(currentId);
  if (!entry || entry.seen || document.visibilityState !== "visible" || $("alarm-alert").hidden) return;
  entry.seen = true;
  sendReceipt(entry.alarm.id, "seen", entry.via === "push" ? "push" : "websocket");
}

/* ---------- banner ---------- */
function renderBanner() {
  const banner = $("alarm-banner");
  const items = [...alerts.values()].filter((e) => e.alarm.id !== currentId || $("alarm-alert").hidden);
  banner.replaceChildren(...items.map(({ alarm }) => {
    const name = alarm.worker?.name || "";
    const text = alarm.test ? t("alarm.banner.test", { name }) : t("alarm.banner", { name });
    const row = el("div", { class: "alarm-banner-row" },
      el("button", { type: "button", class: "btn btn-banner", dataset: { alarmId: String(alarm.id) } }, text));
    if (seesTimeline(me)) {
      row.append(el("button", { type: "button", class: "btn btn-light timeline-btn", dataset: { timeline: String(alarm.id) } }, t("alarm.timeline")));
    }
    return row;
  }));
  banner.hidden = items.length === 0;
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
  renderBanner();
}

/** A fresh view of an alarm (alarm.updated, or the answer to my own action). */
export function update(alarm) {
  if (!alarm || alarm.worker?.id === me?.id) return;
  if (closedForResponder(alarm)) { close(alarm); return; }
  const entry = alerts.get(alarm.id);
  if (!entry) { present(alarm); return; }
  entry.alarm = alarm;
  if (currentId === alarm.id) render();
  renderBanner();
}

export function position(alarmId, pos) {
  const entry = alerts.get(alarmId);
  if (!entry || !pos) return;
  entry.alarm = { ...entry.alarm, position: pos };
  if (currentId === alarmId) {
    $("alarm-alert-position").textContent = formatPosition(pos);
    showOnMap($("alarm-map"), pos);
  }
}

function close(alarm) {
  const had = alerts.delete(alarm.id);
  if (currentId === alarm.id) hide();
  renderBanner();
  if (had) hooks.onClosed(alarm);
}

/** Drop alarms that /api/alarms no longer lists (closed while we were away). */
export function reconcile(openIds) {
  for (const id of [...alerts.keys()]) {
    if (!openIds.has(id)) close(alerts.get(id).alarm);
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
  $("alarm-banner").addEventListener("click", (e) => {
    const tl = e.target.closest("[data-timeline]");
    if (tl) { timeline.open(Number(tl.dataset.timeline)); return; }
    const b = e.target.closest("[data-alarm-id]");
    if (b) open(Number(b.dataset.alarmId));
  });
  $("alarm-alert").addEventListener("keydown", (e) => {
    if (e.key === "Escape") { e.preventDefault(); dismiss(); }
  });
  document.addEventListener("visibilitychange", markSeen);
  for (const type of ["pointerdown", "keydown"]) {
    document.addEventListener(type, unlockAudio, { capture: true, passive: true });
  }
}

export function refreshTexts() {
  if (currentId !== null) render();
  renderBanner();
}

export function stop() {
  alerts.clear();
  hide();
  renderBanner();
}
