// The worker's side of visits: plan in two steps ("/bezoek": where and with whom,
// "/bezoek/checklist": the risk checklist), the risk and AIR result ("/bezoek/12"),
// check in (permission and going alone in permission.js), the visit under way (the reminder
// before the end, extend, "alles goed" for shifts, check out) and the "Alles goed?" prompt
// when it runs over — with the PIN where the server asks for it.
import { t } from "../i18n.js";
import { get, post } from "../api.js";
import { kvGet, kvSet, kvDelete } from "../store.js";
import { currentPosition } from "../position.js";
import { locationPermission } from "../location.js";
import * as conn from "../connection.js";
import { inertAllBut } from "../dom.js";
import { paths } from "../routes.js";
import { can } from "../capabilities.js";
import { $, el, LATE, isOpen, isActive, placeText, statusText, timeLeftText, formatClock, responsesText } from "./common.js";
import * as permission from "./permission.js";

const ANSWERS = [["ja", "visit.answer.ja"], ["nee", "visit.answer.nee"], ["weet_niet", "visit.answer.weet_niet"]];
const FIELD_INPUTS = {
  address: "visit-address", floor_room: "visit-floor", client_ref: "visit-client",
  visit_type: "visit-type", expected_minutes: "visit-minutes", buddy_id: "visit-buddy",
  checklist_id: "visit-checklist",
};

let me = null;
let hooks = { go: () => {}, up: () => {}, replaceFrom: () => {}, currentScreen: () => "", showOwnAlarm: () => {},
  ownAlarmOpen: () => false, refresh: () => {} };
let mine = null;            // my current visit (active, else planned), as the server last described it
let checklists = [];
let people = [];
let addresses = [];
let helpAsked = null;       // id of a visit for which "Nee, ik heb hulp nodig" raised an alarm
let promptFocus = null;
let reminderDue = null;     // the due time the reminder on screen was about
let generation = 0;         // bumps on stop() so stale async work does nothing
let step = "plan";          // of the planning: "plan" (where) or "checklist"
let loaded = false;         // the visit this device knew is back from storage
let entered = null;         // the route's params, once loaded

export function configure(profile, h) {
  me = profile;
  hooks = { ...hooks, ...h };
}

export const current = () => mine;

/* ---------- form data ---------- */
async function cachedThenFresh(key, path, pick) {
  const gen = generation;
  const cached = await kvGet(key).catch(() => null);
  if (gen !== generation) return null;
  let value = cached;
  try {
    value = pick(await get(path, { timeout: 10000 }));
    kvSet(key, value).catch(() => {});
  } catch (err) {
    if (err.isNetwork) conn.setReachable(false);
  }
  return gen === generation ? value : null;
}

async function loadFormData() {
  const [lists, persons, recent] = await Promise.all([
    cachedThenFresh("visitChecklists", "/api/checklists/for-me", (d) => d?.checklists || []),
    cachedThenFresh("visitPeople", "/api/people", (d) => ({ people: d?.people || [] })),
    cachedThenFresh("recentAddresses", "/api/visits/recent-addresses", (d) => d?.addresses || []),
  ]);
  checklists = Array.isArray(lists) ? lists : [];
  people = Array.isArray(persons?.people) ? persons.people : [];
  addresses = Array.isArray(recent) ? recent : [];
  renderFormData();
}

function renderFormData() {
  $("recent-addresses").replaceChildren(...addresses.map((a) => el("option", { value: a })));

  const buddy = $("visit-buddy");
  const previousBuddy = buddy.value;
  const team = me?.team?.id;
  const mates = people.filter((p) => p.id !== me?.id && team && p.team?.id === team);
  buddy.replaceChildren(el("option", { value: "" }, t("visit.buddy.none")),
    ...mates.map((p) => el("option", { value: String(p.id) }, p.name)));
  if ([...buddy.options].some((o) => o.value === previousBuddy)) buddy.value = previousBuddy;

  const sel = $("visit-checklist");
  const previous = sel.value;
  sel.replaceChildren(...checklists.map((c) => el("option", { value: String(c.id) }, c.title)));
  if ([...sel.options].some((o) => o.value === previous)) sel.value = previous;
  renderChecklist();
}

function chosenChecklist() {
  const id = Number($("visit-checklist").value);
  return checklists.find((c) => c.id === id) || null;
}

/** The chosen checklist's questions, each a group of three large radio buttons. */
function renderChecklist() {
  const box = $("checklist-questions");
  const list = chosenChecklist();
  const kept = list && box.dataset.checklistId === String(list.id) ? answers() : {};
  $("checklist-title").textContent = list ? list.title : t("visit.checklist.questions");
  $("checklist-empty").hidden = !!list;
  $("checklist-empty").textContent = t("visit.checklist.none");
  box.dataset.checklistId = list ? String(list.id) : "";
  box.replaceChildren(...(list?.questions || []).map((q, i) => {
    const base = `q-${i}`;
    const help = q.help ? el("p", { class: "hint question-help", id: `${base}-help` }, q.help) : null;
    const options = el("div", { class: "answer-options" }, ...ANSWERS.map(([value, key]) => {
      const input = el("input", { type: "radio", name: `answer-${q.id}`, value, id: `${base}-${value}` });
      if (kept[q.id] === value) input.checked = true;
      return el("label", { class: "answer", for: `${base}-${value}` }, input, el("span", {}, t(key)));
    }));
    return el("fieldset", { class: "question", dataset: { question: q.id }, "aria-describedby": help ? `${base}-help` : null },
      el("legend", {}, q.text), help, options,
      el("p", { class: "error field-error", id: `${base}-error` }));
  }));
}

function answers() {
  const out = {};
  for (const fs of $("checklist-questions").querySelectorAll("fieldset.question")) {
    const checked = fs.querySelector("input[type=radio]:checked");
    if (checked) out[fs.dataset.question] = checked.value;
  }
  return out;
}

const kind = () => $("visit-form").querySelector('input[name="visit-kind"]:checked')?.value || "visit";

function renderKind() {
  const isVisit = kind() === "visit";
  $("visit-type-field").hidden = !isVisit;
  $("visit-minutes-field").hidden = !isVisit;
}

function defaultVisitType() {
  const controlling = ["boa", "inspectie"].includes(me?.function_group);
  $("visit-type").value = controlling ? "controlerend" : "dienstverlenend";
}

function resetForm() {
  const form = $("visit-form");
  form.reset();
  defaultVisitType();
  clearErrors();
  renderKind();
  renderChecklist();
}

/* ---------- errors ---------- */
function clearErrors() {
  $("visit-form-error").textContent = "";
  for (const p of $("visit-form").querySelectorAll(".field-error")) p.textContent = "";
  for (const n of $("visit-form").querySelectorAll("[aria-invalid]")) n.removeAttribute("aria-invalid");
}

/** Mark one input (or a question's group) as wrong; returns what to focus. */
function markField(field, message) {
  if (field.startsWith("answers.")) {
    const qid = field.slice("answers.".length);
    const fs = [...$("checklist-questions").querySelectorAll("fieldset.question")].find((f) => f.dataset.question === qid);
    if (!fs) return null;
    fs.setAttribute("aria-invalid", "true");
    fs.querySelector(".field-error").textContent = message;
    return fs.querySelector("input[type=radio]");
  }
  const input = $(FIELD_INPUTS[field]);
  if (!input) return null;
  input.setAttribute("aria-invalid", "true");
  const p = $(`${input.id}-error`);
  if (p) p.textContent = message;
  return input;
}

function showErrors(summary, fields) {
  $("visit-form-error").textContent = summary;
  let first = null;
  for (const [field, message] of Object.entries(fields)) {
    const target = markField(field, message);
    first = first || target;
  }
  first?.focus();
}

/* ---------- plan ---------- */
/** Step one's fields that are wrong: where, how long, which checklist. */
function whereProblems(body, list) {
  const fields = {};
  if (body.address.length < 3) fields.address = t("visit.error.address");
  if (body.kind === "visit") {
    const m = body.expected_minutes;
    if (!Number.isInteger(m) || m < 5 || m > 480) fields.expected_minutes = t("visit.error.minutes");
  }
  if (!list) fields.checklist_id = t("visit.checklist.none");
  return fields;
}

function answerProblems(body, list) {
  const fields = {};
  for (const q of list?.questions || []) {
    if (!body.answers[q.id]) fields[`answers.${q.id}`] = t("visit.error.answer");
  }
  return fields;
}

const isAnswer = (field) => field.startsWith("answers.");

/** Step one done: on to the checklist (its own screen, so back returns to step one). */
function toChecklist() {
  const fields = whereProblems(planBody(), chosenChecklist());
  if (Object.keys(fields).length) return showErrors(t("visit.error.form"), fields);
  hooks.go(paths.checklist());
}

function submitForm(e) {
  e.preventDefault();
  clearErrors();
  if (step === "checklist") submitPlan();
  else toChecklist();
}

function planBody() {
  const list = chosenChecklist();
  const k = kind();
  const minutes = $("visit-minutes").value.trim();
  return {
    kind: k,
    visit_type: k === "visit" ? $("visit-type").value : null,
    address: $("visit-address").value.trim(),
    floor_room: $("visit-floor").value.trim() || null,
    client_ref: $("visit-client").value.trim() || null,
    expected_minutes: k === "visit" ? (/^\d+$/.test(minutes) ? Number(minutes) : NaN) : null,
    buddy_id: $("visit-buddy").value ? Number($("visit-buddy").value) : null,
    checklist_id: list ? list.id : null,
    answers: answers(),
  };
}

async function submitPlan() {
  const body = planBody();
  const list = chosenChecklist();
  const fields = { ...whereProblems(body, list), ...answerProblems(body, list) };
  if (Object.keys(fields).length) return planRefused(t("visit.error.form"), fields);

  const btn = $("visit-submit");
  btn.disabled = true;
  $("visit-status").textContent = "";
  try {
    const data = await post("/api/visits", body);
    conn.setReachable(true);
    if (data?.visit) {
      adopt(data.visit);
      // The planning is done: its two steps make way for the visit ("/bezoek/12").
      hooks.replaceFrom(paths.visit(), paths.visit(data.visit.id));
      $("visit-risk-heading").focus();
    }
  } catch (err) {
    if (err.status === 401) return;
    if (err.isNetwork) conn.setReachable(false);
    planRefused(err.isNetwork ? t("visit.error.offline") : err.message || t("visit.error.failed"), err.fields || {});
  } finally {
    btn.disabled = false;
  }
}

/** Marked where they are; a wrong field of step one takes the worker back there. */
function planRefused(summary, fields) {
  showErrors(summary, fields);
  if (Object.keys(fields).some((f) => !isAnswer(f))) hooks.up(paths.visit());
}

/* ---------- actions on a visit ---------- */
/** POST an action; the answer's visit is adopted. Returns the answer, or null after an error shown in `status`. */
async function act(path, body, status, btn) {
  const visit = mine;
  if (!visit) return null;
  if (btn) btn.disabled = true;
  $(status).textContent = "";
  $(status).classList.remove("is-error");
  try {
    const data = await post(`/api/visits/${visit.id}/${path}`, body, { timeout: 10000 });
    conn.setReachable(true);
    if (data?.visit) adopt(data.visit);
    return data || {};
  } catch (err) {
    if (err.status === 401) return null;
    if (err.isNetwork) conn.setReachable(false);
    $(status).classList.add("is-error");
    $(status).textContent = err.isNetwork ? t("visit.error.offline") : err.message || t("visit.error.failed");
    if (err.status === 404) reconcileGone(visit.id);
    throw err;
  } finally {
    if (btn) btn.disabled = false;
  }
}

function reconcileGone(id) {
  if (mine?.id === id) setMine(null);
  render();
}

async function checkIn() {
  const btn = $("visit-checkin");
  const box = $("visit-checkin-error");
  box.hidden = true;
  const alone = permission.aloneConfirmation();
  if (alone === null) return;
  btn.disabled = true;
  $("visit-risk-status").textContent = t("visit.checkin.busy");
  const position = await currentPosition(3000);
  try {
    await act("check-in", { position, alone_confirmed: alone }, "visit-risk-status", btn);
    if (isActive(mine)) $("visit-active-heading").focus();
  } catch (err) {
    if (err.status === 409) {
      $("visit-risk-status").textContent = "";
      $("visit-checkin-error-text").textContent = err.message;
      box.hidden = false;
      hooks.refresh(); // the register, read again, may have changed the visit
    }
  }
}

async function askPermission(reason, btn) {
  await act("override-request", { reason }, "visit-risk-status", btn);
  $("visit-checkin-error").hidden = true;
}

async function cancelPlanned() {
  try {
    await act("check-out", {}, "visit-risk-status", $("visit-cancel"));
    finished(t("visit.cancelled"));
  } catch { /* shown */ }
}

async function checkOut() {
  try {
    await act("check-out", {}, "visit-active-status-msg", $("visit-checkout"));
    finished(t("visit.checkedOut"));
  } catch { /* shown */ }
}

/** After a cancel or check-out: forget the visit, fresh form, back home. */
function finished(message) {
  setMine(null);
  resetForm();
  loadFormData();
  render();
  $("visit-home-status").textContent = message;
  hooks.up(paths.home());
}

function toggleExtend() {
  const form = $("visit-extend-form");
  form.hidden = !form.hidden;
  $("visit-extend").setAttribute("aria-expanded", String(!form.hidden));
  if (!form.hidden) {
    $("visit-extend-minutes").value = "15";
    $("visit-extend-minutes").focus();
  }
}

async function submitExtend(e) {
  e.preventDefault();
  const raw = $("visit-extend-minutes").value.trim();
  const minutes = /^\d+$/.test(raw) ? Number(raw) : NaN;
  const status = $("visit-active-status-msg");
  if (!(minutes >= 5 && minutes <= 240)) {
    status.classList.add("is-error");
    status.textContent = t("visit.error.extend");
    $("visit-extend-minutes").focus();
    return;
  }
  try {
    await act("extend", { minutes }, "visit-active-status-msg", $("visit-extend-confirm"));
    $("visit-extend-form").hidden = true;
    $("visit-extend").setAttribute("aria-expanded", "false");
    status.textContent = t("visit.extended", { minutes });
  } catch { /* shown */ }
}

/** The body of "alles goed": with the PIN where the server asks for it, else null (said why). */
function okBody(input, status) {
  if (!mine?.ok_needs_pin) return {};
  const pin = $(input).value.trim();
  $(input).value = "";
  if (pin) return { pin };
  $(status).classList.add("is-error");
  $(status).textContent = t("visit.pin.missing");
  $(input).focus();
  return null;
}

async function shiftOk() {
  const body = okBody("visit-ok-pin", "visit-active-status-msg");
  if (!body) return;
  try {
    await act("ok", body, "visit-active-status-msg", $("visit-ok"));
    $("visit-active-status-msg").textContent = t("visit.ok.sent");
  } catch { /* shown */ }
}

/** "Loopt over 5 minuten af. Verlengen?" (the server's words) on the visit under way. */
export function remind(visit, text) {
  if (mine?.id !== visit.id) return;
  adopt(visit);
  reminderDue = visit.due_at;
  $("visit-reminder-text").textContent = text;
  $("visit-reminder").hidden = false;
}

function extendFromReminder() {
  if ($("visit-extend-form").hidden) toggleExtend();
  else $("visit-extend-minutes").focus();
}

/* ---------- the "Alles goed?" prompt ---------- */
function wantsPrompt() {
  return isActive(mine) && LATE.has(mine.status) && helpAsked !== mine.id && !hooks.ownAlarmOpen();
}

// The prompt is modal; a responder's alarm alert may still come over it.
const ON_TOP = ["visit-prompt", "alarm-alert", "alarm-timeline-dialog"];

function renderPrompt() {
  const box = $("visit-prompt");
  const show = wantsPrompt();
  if (show) {
    $("visit-prompt-text").textContent = t("visit.prompt.text", { place: placeText(mine), time: formatClock(mine.due_at) });
    const coming = responsesText(mine);
    if ($("visit-prompt-responses").textContent !== coming) $("visit-prompt-responses").textContent = coming;
    $("visit-prompt-responses").hidden = !coming;
    $("visit-prompt-pin-field").hidden = !mine.ok_needs_pin;
  }
  if (show === !box.hidden) return;
  box.hidden = !show;
  inertAllBut(ON_TOP, show);
  document.body.classList.toggle("has-prompt", show);
  if (show) {
    $("visit-prompt-status").textContent = "";
    promptFocus = document.activeElement;
    try { navigator.vibrate?.([400, 200, 400]); } catch { /* ignore */ }
    box.focus();
  } else if (promptFocus && document.contains(promptFocus) && !promptFocus.closest("[hidden]")) {
    promptFocus.focus();
  }
}

async function promptYes() {
  const body = okBody("visit-prompt-pin", "visit-prompt-status");
  if (!body) return;
  try {
    await act("ok", body, "visit-prompt-status", $("visit-ok-yes"));
  } catch { /* shown */ }
}

async function promptNo() {
  const visit = mine;
  try {
    const data = await act("not-ok", {}, "visit-prompt-status", $("visit-ok-no"));
    if (!data) return;
    helpAsked = visit.id;
    renderPrompt();
    hooks.showOwnAlarm(data.alarm || null);
  } catch { /* shown */ }
}

/* ---------- rendering ---------- */
function setMine(visit) {
  mine = visit;
  if (visit) kvSet("ownVisit", visit).catch(() => {});
  else kvDelete("ownVisit").catch(() => {});
}

let shownId = null; // the visit the risk or active view was last drawn for
let shownDecision = ""; // its permission and whether it may check in, as last drawn

/** A different visit on screen: no messages left over from the previous one. */
function freshView(v) {
  if (shownId === v.id) return;
  shownId = v.id;
  $("visit-checkin-error").hidden = true;
  $("visit-reminder").hidden = true;
  for (const id of ["visit-risk-status", "visit-active-status-msg"]) $(id).textContent = "";
  $("visit-extend-form").hidden = true;
  $("visit-extend").setAttribute("aria-expanded", "false");
}

function renderRisk() {
  const v = mine;
  freshView(v);
  $("visit-risk").dataset.level = v.risk_level || "";
  $("visit-risk-place").textContent = placeText(v);
  $("visit-risk-level").textContent = v.risk_label || v.risk_level || "";
  $("visit-advice").replaceChildren(...(v.advice || []).map((a) => el("li", {}, a)));
  const air = $("visit-air");
  // Rewritten only when it changes: the alert must not be announced again on each update.
  if (air.textContent !== (v.air?.message || "")) air.textContent = v.air?.message || "";
  air.hidden = !v.air?.message;
  air.classList.toggle("is-match", !!v.air?.match);
  if (v.air?.match) air.setAttribute("role", "alert");
  else air.removeAttribute("role");
  // Allowed now, or asked: a refusal shown before no longer holds.
  const decision = JSON.stringify([v.permission?.state, v.can?.check_in]);
  const better = v.can?.check_in || v.permission?.state === "requested";
  if (decision !== shownDecision && better) $("visit-checkin-error").hidden = true;
  shownDecision = decision;
  permission.render(v, me);
}

function renderActive() {
  const v = mine;
  freshView(v);
  const section = $("visit-active");
  section.dataset.status = v.status;
  const shift = v.kind === "shift";
  $("visit-active-heading").textContent = shift ? t("visit.active.shift") : t("visit.active.heading");
  $("visit-active-place").textContent = placeText(v);
  $("visit-active-status").textContent = statusText(v);
  $("visit-active-due").textContent = v.due_at
    ? t(shift ? "visit.due.shift" : "visit.due.visit", { time: formatClock(v.due_at) }) : "";
  $("visit-ok").hidden = !shift;
  $("visit-ok-pin-field").hidden = !(shift && v.ok_needs_pin);
  if (v.due_at !== reminderDue) $("visit-reminder").hidden = true;
  $("visit-extend").hidden = shift;
  if (shift) $("visit-extend-form").hidden = true;
  tick();
}

function renderHomeCard() {
  const summary = $("visit-summary");
  const button = $("visit-start");
  if (isActive(mine)) {
    summary.hidden = false;
    summary.dataset.status = mine.status;
    summary.textContent = `${t("visit.summary.active", { place: placeText(mine) })} — ${timeLeftText(mine)}`;
    button.textContent = t("visit.open.active");
  } else if (isOpen(mine)) {
    summary.hidden = false;
    summary.dataset.status = "planned";
    const asked = mine.permission?.label ? ` — ${mine.permission.label}` : "";
    summary.textContent = t("visit.summary.planned", { place: placeText(mine) }) + asked;
    button.textContent = t("visit.open.planned");
  } else {
    summary.hidden = true;
    summary.textContent = "";
    button.textContent = t("visit.start");
  }
}

function renderSteps() {
  const back = $("visit-back");
  back.dataset.i18n = step === "checklist" ? "visit.back.where" : "visit.back";
  back.textContent = t(back.dataset.i18n);
  $("visit-step-where").hidden = step === "checklist";
  $("visit-step-checklist").hidden = step !== "checklist";
}

export function render() {
  const active = isActive(mine);
  const planned = !active && isOpen(mine);
  $("visit-form").hidden = active || planned;
  renderSteps();
  $("visit-risk").hidden = !planned;
  $("visit-active").hidden = !active;
  if (planned) renderRisk();
  if (active) renderActive();
  renderHomeCard();
  renderPrompt();
}

/** Each second: the countdowns. */
export function tick() {
  if (!isActive(mine)) return;
  $("visit-time-left").textContent = timeLeftText(mine);
  const summary = $("visit-summary");
  if (!summary.hidden) summary.textContent = `${t("visit.summary.active", { place: placeText(mine) })} — ${timeLeftText(mine)}`;
}

/* ---------- server state ---------- */
/** A visit of mine as the server describes it (an answer, an event or GET /api/visits). */
export function adopt(visit) {
  if (!visit || visit.worker?.id !== me?.id) return;
  if (!isOpen(visit)) {
    if (mine?.id === visit.id) { setMine(null); render(); }
    return;
  }
  // One visit on screen: the one I have, or an active one over a planned one.
  if (mine && mine.id !== visit.id && !(isActive(visit) && !isActive(mine))) return;
  if (helpAsked === visit.id && visit.status === "on_time") helpAsked = null;
  setMine(visit);
  render();
}

/** My open visits from GET /api/visits: the one on screen is gone when it is not listed. */
export function reconcile(visits) {
  const own = visits.filter((v) => v.worker?.id === me?.id && isOpen(v));
  const same = mine && own.find((v) => v.id === mine.id);
  const best = own.find(isActive) || same || own[own.length - 1] || null;
  setMine(best);
  render();
}

/** The home card's button: my visit, or planning one. */
export function openScreen() {
  $("visit-status").textContent = "";
  $("visit-home-status").textContent = "";
  hooks.go(isOpen(mine) ? paths.visit(mine.id) : paths.visit());
}

/** Where an open visit, a visit of someone else or a stale step sends the worker instead. */
function redirect({ step: wanted = null, id = null }) {
  if (isOpen(mine)) return id === mine.id ? null : paths.visit(mine.id);
  if (id !== null) return can(me, "team_visits") ? paths.team() : paths.visit();
  const where = whereProblems(planBody(), chosenChecklist());
  return wanted === "checklist" && Object.keys(where).length ? paths.visit() : null;
}

/** The route: "/bezoek" (step one), "/bezoek/checklist" (step two) or "/bezoek/12" (my visit). */
export function enter(params) {
  entered = params;
  if (!loaded) return; // start() enters once the visit this device knew is back
  const elsewhere = redirect(params);
  if (elsewhere) { hooks.go(elsewhere, { replace: true }); return; }
  step = params.step === "checklist" ? "checklist" : "plan";
  render();
  if (isOpen(mine)) return;
  // The first time planning opens, the phone asks for location, the reason above the form.
  if (step === "plan") locationPermission.askOnce();
  // A field the server refused takes the focus once the screen is on view.
  const wrong = $(step === "plan" ? "visit-step-where" : "visit-step-checklist").querySelector("[aria-invalid] input, input[aria-invalid], select[aria-invalid]");
  if (wrong) queueMicrotask(() => wrong.focus());
}

export function leave() {
  entered = null;
}

/* ---------- lifecycle ---------- */
let bound = false;
export function bind() {
  if (bound) return;
  bound = true;
  $("visit-start").addEventListener("click", openScreen);
  $("visit-back").addEventListener("click", () => hooks.up(step === "checklist" && !isOpen(mine) ? paths.visit() : paths.home()));
  $("visit-form").addEventListener("submit", submitForm);
  for (const r of $("visit-form").querySelectorAll('input[name="visit-kind"]')) r.addEventListener("change", renderKind);
  $("visit-checklist").addEventListener("change", renderChecklist);
  $("checklist-questions").addEventListener("change", (e) => {
    const fs = e.target.closest("fieldset.question");
    if (!fs) return;
    fs.removeAttribute("aria-invalid");
    fs.querySelector(".field-error").textContent = "";
  });
  $("visit-checkin").addEventListener("click", checkIn);
  $("visit-cancel").addEventListener("click", cancelPlanned);
  $("visit-extend").addEventListener("click", toggleExtend);
  $("visit-extend-form").addEventListener("submit", submitExtend);
  $("visit-ok").addEventListener("click", shiftOk);
  $("visit-checkout").addEventListener("click", checkOut);
  $("visit-ok-yes").addEventListener("click", promptYes);
  $("visit-ok-no").addEventListener("click", promptNo);
  $("visit-reminder-extend").addEventListener("click", extendFromReminder);
  permission.bind(askPermission);
}

/** After login: the form's data, and the visit this device last knew (until the server answers). */
export async function start() {
  const gen = generation;
  defaultVisitType();
  renderKind();
  loadFormData();
  const stored = await kvGet("ownVisit").catch(() => null);
  if (gen !== generation) return;
  loaded = true;
  if (stored?.id && !mine && stored.worker?.id === me?.id) adopt(stored);
  else render();
  if (entered) enter(entered);
}

export function refreshTexts() {
  renderFormData();
  render();
}

/** Logout: forget everything. */
export function stop() {
  generation += 1;
  loaded = false;
  entered = null;
  step = "plan";
  mine = null;
  helpAsked = null;
  checklists = [];
  people = [];
  addresses = [];
  $("visit-form").reset();
  $("checklist-questions").replaceChildren();
  $("visit-home-status").textContent = "";
  render();
}
