// Quick incident capture ("/melden", "/melden?alarm=7") and this phone's outbox on the home card.
// A report is stored in the outbox shared with the service worker (js/outbox-core.js) before
// anything is sent, then sent and retried until the register has it: never dropped silently,
// and received once, whatever the retries, thanks to the client_id made here.
import { getLang, t } from "../i18n.js";
import { $ } from "../dom.js";
import * as conn from "../connection.js";
import { current as currentVisit } from "../visits/worker.js";
import { isActive, formatClock } from "../visits/common.js";
import { afterAlarm, alreadyReported } from "../alarm/after.js";
import { paths } from "../routes.js";
import { onVocabulary, ready as vocabularyReady, word } from "../vocabulary.js";
import * as choices from "./choices.js";
import * as form from "./form.js";
import * as view from "./outbox-view.js";

const outbox = self.VeldwachtOutbox;
const RETRY_MS = 30000;
const SEND_WAIT_MS = 5000; // the reporter waits on the form at most this long for an answer

let me = null;
let hooks = { go: () => {}, up: () => {} };
let active = false;
let initialised = false;
let entries = [];        // this user's outbox, oldest first
let draft = null;        // the report on the form: {client_id, source, alarm_id, visit_id, replaces, context}
let saving = false;
let lastSaved = null;    // client_id of the report saved last here: the home status speaks of it
let notice = "";
let retryTimer = 0;

/* ---------- the outbox on the home card ---------- */
async function refresh() {
  if (!active) return;
  const userId = me?.id;
  const list = await outbox.list(userId).catch(() => []);
  if (!active || me?.id !== userId) return;
  entries = list;
  view.render(entries, { last: lastSaved, notice, handlers: { correct, remove } });
}

function flush() {
  if (active) outbox.flush().catch(() => {}); // the outbox's change message redraws the card
}

function retryWhileWaiting() {
  if (document.visibilityState === "visible" && entries.some((e) => e.state === "waiting")) flush();
}

/** Background Sync: the service worker sends once the network is back, even with the app closed. */
async function registerSync() {
  try {
    const registration = await navigator.serviceWorker?.getRegistration();
    await registration?.sync?.register("incident-outbox");
  } catch { /* not supported or not allowed: the page's own triggers still send */ }
}

/* ---------- the form ---------- */
function drawChoices() {
  form.redrawChoices(choices.render);
  form.updateCount();
}

/** The choices come from the server's vocabulary (offline: the service worker's copy); it
 * draws them when it arrives (onVocabulary). Once here, it is not asked again. */
function loadChoices() {
  if (!word("constants")) vocabularyReady().catch(() => {});
}

function newDraft(source, links = {}, context = "") {
  return { client_id: crypto.randomUUID(), source, alarm_id: null, visit_id: null, replaces: null, context, ...links };
}

function renderContext() {
  const p = $("incident-context");
  p.textContent = draft?.context ? t(draft.context.key, draft.context.vars) : "";
  p.hidden = !p.textContent;
}

/** Put this draft on the form, filled from payload (unless it is the draft already on it). */
function prepare(next, payload) {
  if (draft?.source !== next.source || next.source === "entry") {
    draft = next;
    form.clearErrors();
    form.fill(payload);
  }
  renderContext();
}

/** The form with this draft, on its own screen. */
function show(next, payload) {
  prepare(next, payload);
  hooks.go(paths.incident());
}

/** The visit's part of a prefill: where, and how (home visit or outdoor shift). */
function visitPrefill(visit) {
  if (!visit) return {};
  return { visit_id: visit.id, location: visit.address || "",
    channel: word("visit_channels")?.[visit.kind] ?? null };
}

function newOne() {
  return draft?.source === "new" ? draft : newDraft("new");
}

export function openNew() {
  show(newOne(), {});
}

function openFromVisit() {
  const visit = currentVisit();
  if (!isActive(visit)) return openNew();
  const prefill = visitPrefill(visit);
  show(newDraft(`visit:${visit.id}`, { visit_id: visit.id }, { key: "incident.context.visit", vars: { place: visit.address } }), prefill);
}

/** From "Incidentmelding maken" after my alarm closed: what the phone knows of that alarm. */
function prepareFromAlarm(id) {
  const known = afterAlarm.info(id) || { id, raised_at: null, visit: null };
  const prefill = { ...visitPrefill(known.visit), alarm_id: id, occurred_at: known.raised_at };
  const context = known.raised_at
    ? { key: "incident.context.alarm", vars: { time: formatClock(known.raised_at) } }
    : { key: "incident.context.alarmNoTime", vars: {} };
  prepare(newDraft(`alarm:${id}`, { alarm_id: id, visit_id: prefill.visit_id ?? null }, context), prefill);
}

/** "Corrigeren": the rejected report back on the form with the server's messages. */
function correct(entry) {
  const p = entry.payload;
  // 409: the id is someone else's report, so the corrected one needs an id of its own.
  const links = { alarm_id: p.alarm_id ?? null, visit_id: p.visit_id ?? null };
  show(newDraft("entry", entry.status === 409
    ? { ...links, replaces: entry.client_id }
    : { ...links, client_id: entry.client_id }), p);
  form.showErrors(t("incident.rejected.summary", { reason: entry.error || "" }), entry.fields || {});
}

async function remove(entry) {
  if (!confirm(t("incident.outbox.confirmDelete"))) return;
  await outbox.remove(entry.client_id).catch(() => {});
  if (draft?.client_id === entry.client_id) draft = null;
  notice = t("incident.outbox.deleted");
  await refresh();
  $("incident-new").focus();
}

function payloadOf(d) {
  return { client_id: d.client_id, ...form.read(), alarm_id: d.alarm_id, visit_id: d.visit_id };
}

async function store(d, payload) {
  await outbox.add(me.id, payload, { lang: getLang() });
  if (d.replaces) await outbox.remove(d.replaces); // only once its successor is safely stored
  lastSaved = payload.client_id;
  notice = "";
  registerSync();
  // Sent now if the network allows; otherwise the outbox keeps trying.
  await Promise.race([outbox.flush().catch(() => {}), new Promise((r) => setTimeout(r, SEND_WAIT_MS))]);
  return (await outbox.list(me.id)).find((e) => e.client_id === payload.client_id);
}

async function submit(e) {
  e.preventDefault();
  if (saving || !draft) return; // a double tap: the first one is already saving this client_id
  form.clearErrors();
  const d = draft;
  const payload = payloadOf(d);
  const fields = form.validate(payload);
  if (Object.keys(fields).length) return form.showErrors(t("incident.error.form"), fields);
  saving = true;
  $("incident-submit").disabled = true;
  try {
    const entry = await store(d, payload);
    if (alreadyReported(entry)) {
      // The alarm has its report already: the outbox says so, the card after it leads there.
      draft = null;
      hooks.up(paths.home());
      await refresh();
      return;
    }
    if (entry?.state === "rejected") {
      // The register refused it as it is: correct it right here (same report, same id).
      if (entry.status === 409) draft = { ...d, client_id: crypto.randomUUID(), replaces: entry.client_id };
      form.showErrors(t("incident.rejected.summary", { reason: entry.error || "" }), entry.fields || {});
      return;
    }
    draft = null;
    hooks.up(paths.home());
    await refresh();
  } catch {
    form.showErrors(t("incident.error.storage"));
  } finally {
    saving = false;
    $("incident-submit").disabled = false;
  }
}

/** The route "/melden", or "/melden?alarm=7" (the link after my alarm closed): the draft on
 * the form stays (a reload, or the way back from another screen), else a new one. */
export function enter({ alarm = null } = {}) {
  if (alarm !== null && draft?.source !== `alarm:${alarm}`) prepareFromAlarm(alarm);
  else if (!draft) prepare(newOne(), {});
}

/* ---------- lifecycle ---------- */
function initOnce() {
  if (initialised) return;
  initialised = true;
  $("incident-new").addEventListener("click", openNew);
  $("visit-incident").addEventListener("click", openFromVisit);
  $("incident-back").addEventListener("click", () => hooks.up(paths.home()));
  $("incident-form").addEventListener("submit", submit);
  $("incident-form").addEventListener("change", (e) => form.clearFieldError(e.target));
  $("incident-description").addEventListener("input", form.updateCount);
  window.addEventListener("online", flush);
  conn.onReachable((reachable) => { if (reachable) { flush(); loadChoices(); } });
  onVocabulary(() => { if (active) { drawChoices(); refresh(); } });  // the outbox names the types too
  outbox.onChange(refresh);
}

/** After login or an app start: show this user's outbox and send what waits. */
export function start(profile, h) {
  me = profile;
  hooks = { ...hooks, ...h };
  initOnce();
  if (!active) {
    active = true;
    retryTimer = setInterval(retryWhileWaiting, RETRY_MS);
  }
  if (word("constants")) drawChoices();
  else loadChoices();
  refresh();
  flush();
}

export function update(profile) {
  me = profile;
  refresh();
}

export function refreshTexts() {
  if (!active) return;
  renderContext();
  form.updateCount();
  refresh();
}

/** Logout: forget the form and the card. The outbox itself stays (see js/store.js clearAll). */
export function stop() {
  active = false;
  clearInterval(retryTimer);
  retryTimer = 0;
  entries = [];
  draft = null;
  lastSaved = null;
  notice = "";
  $("incident-form").reset();
  form.clearErrors();
  view.clear();
}
