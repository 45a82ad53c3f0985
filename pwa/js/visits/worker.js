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
import { $, el, isOpen, isActive, placeText, statusText, timeLeftText, formatClock, responsesText } from "./common.js";
import * as permission from "./permission.js";
import { VisitController } from "./visit-core.js";
import { entries, fitsLength, inRange, limit, onVocabulary } from "../vocabulary.js";

const FIELD_INPUTS = {
  address: "visit-address", floor_room: "visit-floor", client_ref: "visit-client",
  visit_type: "visit-type", expected_minutes: "visit-minutes", buddy_id: "visit-buddy",
  checklist_id: "visit-checklist",
};

// The one visit of this page's user (a singleton: one worker, one visit screen). Its state is
// the controller's; this module draws it and turns the screen's events into its actions.
const visit = new VisitController({ api: { get, post }, store: { get: kvGet, set: kvSet, delete: kvDelete },
  setReachable: conn.setReachable, can });
visit.view = { render: () => render(), renderFormData: () => renderFormData() };

// DOM bookkeeping of the one screen, not visit state: the navigation hooks, where the focus
// returns after the prompt, which visit and decision were drawn last, whether events are bound.
const screen = {
  hooks: { go: () => {}, up: () => {}, replaceFrom: () => {}, currentScreen: () => "", showOwnAlarm: () => {},
    ownAlarmOpen: () => false, refresh: () => {} },
  promptFocus: null,
  shownId: null,
  shownDecision: "",
  bound: false,
};

export function configure(profile, h) {
  visit.me = profile;
  screen.hooks = { ...screen.hooks, ...h };
}

/** My current visit (active, else planned), as the server last described it. */
export const current = () => visit.mine;

/* ---------- form data ---------- */
const loadFormData = () => visit.loadFormData();

function renderFormData() {
  const { me, people, checklists } = visit;
  $("recent-addresses").replaceChildren(...visit.addresses.map((a) => el("option", { value: a })));

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
  return visit.checklist(Number($("visit-checklist").value));
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
    const options = el("div", { class: "answer-options" }, ...entries("checklist_answers").map(({ code: value, label }) => {
      const input = el("input", { type: "radio", name: `answer-${q.id}`, value, id: `${base}-${value}` });
      if (kept[q.id] === value) input.checked = true;
      return el("label", { class: "answer", for: `${base}-${value}` }, input, el("span", {}, label));
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

/** The server's visit types; reset: start from the one the worker's function group usually has. */
function drawVisitTypes({ reset = false } = {}) {
  const select = $("visit-type");
  const chosen = reset ? "" : select.value;
  select.replaceChildren(...entries("visit_types").map(({ code, label }) => el("option", { value: code }, label)));
  select.value = chosen || visit.me?.default_visit_type || "";
}

function resetForm() {
  const form = $("visit-form");
  form.reset();
  drawVisitTypes({ reset: true });
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
  if (!fitsLength("visit_address", body.address)) fields.address = t("visit.error.address", limit("visit_address"));
  if (body.kind === "visit" && !inRange("visit_minutes", body.expected_minutes)) {
    fields.expected_minutes = t("visit.error.minutes", limit("visit_minutes"));
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
  screen.hooks.go(paths.checklist());
}

function submitForm(e) {
  e.preventDefault();
  clearErrors();
  if (visit.step === "checklist") submitPlan();
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
    const planned = await visit.plan(body);
    if (planned) {
      // The planning is done: its two steps make way for the visit ("/bezoek/12").
      screen.hooks.replaceFrom(paths.visit(), paths.visit(planned.id));
      $("visit-risk-heading").focus();
    }
  } catch (err) {
    if (err.status === 401) return;
    planRefused(err.isNetwork ? t("visit.error.offline") : err.message || t("visit.error.failed"), err.fields || {});
  } finally {
    btn.disabled = false;
  }
}

/** Marked where they are; a wrong field of step one takes the worker back there. */
function planRefused(summary, fields) {
  showErrors(summary, fields);
  if (Object.keys(fields).some((f) => !isAnswer(f))) screen.hooks.up(paths.visit());
}

/* ---------- actions on a visit ---------- */
/**
 * An action on my visit (`run`, by default the controller's act(path, body)); the answer's visit
 * is adopted. Returns the answer, or null without a visit or after a 401; other errors are shown
 * in `status` and thrown.
 */
async function act(path, body, status, btn, run = () => visit.act(path, body)) {
  if (!visit.mine) return null;
  if (btn) btn.disabled = true;
  $(status).textContent = "";
  $(status).classList.remove("is-error");
  try {
    return await run();
  } catch (err) {
    if (err.status === 401) return null;
    $(status).classList.add("is-error");
    $(status).textContent = err.isNetwork ? t("visit.error.offline") : err.message || t("visit.error.failed");
    throw err;
  } finally {
    if (btn) btn.disabled = false;
  }
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
    if (isActive(visit.mine)) $("visit-active-heading").focus();
  } catch (err) {
    if (err.status === 409) {
      $("visit-risk-status").textContent = "";
      $("visit-checkin-error-text").textContent = err.message;
      box.hidden = false;
      screen.hooks.refresh(); // the register, read again, may have changed the visit
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
  visit.finished();
  resetForm();
  loadFormData();
  render();
  $("visit-home-status").textContent = message;
  screen.hooks.up(paths.home());
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
  if (Number.isNaN(minutes) || !inRange("visit_extend_minutes", minutes)) {
    status.classList.add("is-error");
    status.textContent = t("visit.error.extend", limit("visit_extend_minutes"));
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
  if (!visit.mine?.ok_needs_pin) return {};
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
export function remind(reminded, text) {
  if (!visit.remind(reminded)) return;
  $("visit-reminder-text").textContent = text;
  $("visit-reminder").hidden = false;
}

function extendFromReminder() {
  if ($("visit-extend-form").hidden) toggleExtend();
  else $("visit-extend-minutes").focus();
}

/* ---------- the "Alles goed?" prompt ---------- */
const wantsPrompt = () => visit.wantsPrompt(screen.hooks.ownAlarmOpen());

// The prompt is modal; a responder's alarm alert may still come over it.
const ON_TOP = ["visit-prompt", "alarm-alert", "alarm-timeline-dialog"];

function renderPrompt() {
  const box = $("visit-prompt");
  const show = wantsPrompt();
  const mine = visit.mine;
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
    screen.promptFocus = document.activeElement;
    try { navigator.vibrate?.([400, 200, 400]); } catch { /* ignore */ }
    box.focus();
  } else if (screen.promptFocus && document.contains(screen.promptFocus) && !screen.promptFocus.closest("[hidden]")) {
    screen.promptFocus.focus();
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
  try {
    const data = await act("not-ok", {}, "visit-prompt-status", $("visit-ok-no"), () => visit.notOk());
    if (!data) return;
    renderPrompt();
    screen.hooks.showOwnAlarm(data.alarm || null);
  } catch { /* shown */ }
}

/* ---------- rendering ---------- */
/** A different visit on screen: no messages left over from the previous one. */
function freshView(v) {
  if (screen.shownId === v.id) return;
  screen.shownId = v.id;
  $("visit-checkin-error").hidden = true;
  $("visit-reminder").hidden = true;
  for (const id of ["visit-risk-status", "visit-active-status-msg"]) $(id).textContent = "";
  $("visit-extend-form").hidden = true;
  $("visit-extend").setAttribute("aria-expanded", "false");
}

function renderRisk() {
  const v = visit.mine;
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
  if (decision !== screen.shownDecision && better) $("visit-checkin-error").hidden = true;
  screen.shownDecision = decision;
  permission.render(v, visit.me);
}

function renderActive() {
  const v = visit.mine;
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
  if (v.due_at !== visit.reminderDue) $("visit-reminder").hidden = true;
  $("visit-extend").hidden = shift;
  if (shift) $("visit-extend-form").hidden = true;
  tick();
}

function renderHomeCard() {
  const summary = $("visit-summary");
  const button = $("visit-start");
  const mine = visit.mine;
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
  const { step } = visit;
  const back = $("visit-back");
  back.dataset.i18n = step === "checklist" ? "visit.back.where" : "visit.back";
  back.textContent = t(back.dataset.i18n);
  $("visit-step-where").hidden = step === "checklist";
  $("visit-step-checklist").hidden = step !== "checklist";
}

export function render() {
  const phase = visit.phase;
  const active = phase === "active" || phase === "late";
  const planned = phase === "planned";
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
  const mine = visit.mine;
  if (!isActive(mine)) return;
  $("visit-time-left").textContent = timeLeftText(mine);
  const summary = $("visit-summary");
  if (!summary.hidden) summary.textContent = `${t("visit.summary.active", { place: placeText(mine) })} — ${timeLeftText(mine)}`;
}

/* ---------- server state ---------- */
/** A visit of mine as the server describes it (an answer, an event or GET /api/visits). */
export const adopt = (v) => visit.adopt(v);
/** My open visits from GET /api/visits: the one on screen is gone when it is not listed. */
export const reconcile = (visits) => visit.reconcile(visits);

/** The home card's button: my visit, or planning one. */
export function openScreen() {
  $("visit-status").textContent = "";
  $("visit-home-status").textContent = "";
  const mine = visit.mine;
  screen.hooks.go(isOpen(mine) ? paths.visit(mine.id) : paths.visit());
}

/** The route: "/bezoek" (step one), "/bezoek/checklist" (step two) or "/bezoek/12" (my visit). */
export function enter(params) {
  if (!visit.enter(params)) return; // start() enters once the visit this device knew is back
  const stepOneDone = !Object.keys(whereProblems(planBody(), chosenChecklist())).length;
  const elsewhere = visit.redirect(params, stepOneDone);
  if (elsewhere) { screen.hooks.go(elsewhere, { replace: true }); return; }
  visit.setStep(params);
  render();
  if (isOpen(visit.mine)) return;
  const plan = visit.step === "plan";
  // The first time planning opens, the phone asks for location, the reason above the form.
  if (plan) locationPermission.askOnce();
  // A field the server refused takes the focus once the screen is on view.
  const wrong = $(plan ? "visit-step-where" : "visit-step-checklist").querySelector("[aria-invalid] input, input[aria-invalid], select[aria-invalid]");
  if (wrong) queueMicrotask(() => wrong.focus());
}

export function leave() {
  visit.entered = null;
}

/* ---------- lifecycle ---------- */
export function bind() {
  if (screen.bound) return;
  screen.bound = true;
  $("visit-start").addEventListener("click", openScreen);
  $("visit-back").addEventListener("click", () => screen.hooks.up(visit.backPath()));
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
  onVocabulary(() => { drawVisitTypes(); renderChecklist(); });  // the words are the server's
}

/** After login: the form's data, and the visit this device last knew (until the server answers). */
export async function start() {
  drawVisitTypes({ reset: true });
  renderKind();
  loadFormData();
  if (!(await visit.start())) return;
  if (visit.entered) enter(visit.entered);
}

export function refreshTexts() {
  renderFormData();
  render();
}

/** Logout: forget everything. */
export function stop() {
  visit.stop();
  $("visit-form").reset();
  $("checklist-questions").replaceChildren();
  $("visit-home-status").textContent = "";
  render();
}
