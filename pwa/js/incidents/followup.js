// The follow-up ("Afhandeling") of one report, for the managers who act on it and the
// coordinator: who is responsible, Inspectie SZW and absence, the reaction to the aggressor,
// police, aftercare, the analysis and letters. Live data only: fetched when the report opens,
// never stored on the device, dropped when the register closes.
//
// The section's frame (headings and status regions) stays while its parts are drawn again
// from each answer, so screen readers hear the status and what someone typed in another
// part is kept. A navigation at the top (sticky while the follow-up is in view) links to each
// part with its state as the server says it; "/gir/<id>/<part>" opens a part (goTo).
import { t } from "../i18n.js";
import { api, get } from "../api.js";
import * as conn from "../connection.js";
import { el } from "../dom.js";
import { paths } from "../routes.js";
import { clearErrors, showErrors, typedValues, restoreValues } from "./followup-ui.js";
import { szwPart, tickCountdown } from "./followup-szw.js";
import { reactionPart, policePart } from "./followup-reaction.js";
import { aftercarePart, analysisPart, unsavedAnalysis } from "./followup-care.js";
import { lettersPart } from "./followup-letters.js";

const PARTS = [
  ["szw", "fu.szw.heading", szwPart],
  ["reaction", "fu.reaction.heading", reactionPart],
  ["police", "fu.police.heading", policePart],
  ["aftercare", "fu.aftercare.heading", aftercarePart],
  ["analysis", "fu.analysis.heading", analysisPart],
  ["letters", "fu.letters.heading", lettersPart],
];
const TICK_MS = 15000;  // the countdown shows minutes: its text changes at most once a minute

let state = null;  // {id, version, data, node, ctx, people, gen}
let timer = null;

const find = (selector) => state.node.querySelector(selector);

function frame() {
  return el("section", { class: "gir-part followup", id: "followup", "aria-labelledby": "fu-heading" },
    el("h3", { id: "fu-heading" }, t("fu.heading")),
    el("nav", { class: "fu-nav", id: "fu-nav", "aria-labelledby": "fu-nav-label", hidden: "" },
      el("p", { class: "visually-hidden", id: "fu-nav-label" }, t("fu.nav.label")),
      el("ul", { class: "fu-nav-list", id: "fu-nav-list" })),
    el("p", { class: "hint", id: "fu-loading" }, t("fu.loading")),
    el("p", { class: "error", id: "fu-error", role: "alert" }),
    el("dl", { class: "gir-facts", id: "fu-facts" }),
    ...PARTS.map(([key, title]) => el("section", { class: "fu-part", id: `fu-part-${key}`, "aria-labelledby": `fu-${key}-heading`, hidden: "" },
      el("h4", { id: `fu-${key}-heading`, tabindex: "-1" }, t(title)),
      el("p", { class: "form-status", id: `fu-${key}-status`, role: "status" }),
      el("div", { class: "fu-body", id: `fu-${key}-body` }))));
}

const NAV_MARKS = { overdue: "⚠", open: "○", done: "✓", none: "–" };

/** The parts as in-page links, each with its state in words (never colour alone). */
function navigation(data) {
  find("#fu-nav-list").replaceChildren(...data.sections.map((s) => el("li", {},
    el("a", { href: paths.gir(state.id, s.key), class: `fu-nav-link is-${s.state}`, id: `fu-nav-${s.key}`, dataset: { state: s.state } },
      el("span", { class: "fu-nav-mark", "aria-hidden": "true" }, NAV_MARKS[s.state] || ""), " ",
      el("span", { class: "fu-nav-name" }, t(`fu.nav.${s.key}`)), " ",
      el("span", { class: "fu-nav-state" }, t(`fu.nav.state.${s.state}`, { n: s.open }))))));
  find("#fu-nav").hidden = false;
}

/** Scroll the part asked for (goTo) into view and focus its heading, once it is drawn. */
function focusTarget() {
  const key = state.target;
  const heading = key && find(`#fu-${key}-heading`);
  if (!heading || find(`#fu-part-${key}`).hidden) return;
  state.target = null;
  heading.scrollIntoView({ block: "start" });
  heading.focus({ preventScroll: true });
}

function facts(data) {
  const name = data.responsible?.name || t("fu.responsible.none");
  find("#fu-facts").replaceChildren(el("dt", {}, t("fu.responsible")), el("dd", { id: "fu-responsible" }, name));
}

/** What each part gets: the follow-up, the viewer, the people for actions, and act/say. */
function partContext(key, data, draft) {
  return { data, id: state.id, me: state.ctx.me, people: state.people, draft,
    act: (formNode, requests, opts) => act(key, formNode, requests, opts),
    say: (text) => { find(`#fu-${key}-status`).textContent = text; } };
}

/** Draw every part from `data`, keeping what was typed outside `except` (the form just sent). */
function show(data, except = null) {
  state.data = data;
  state.version = data.incident_version;
  find("#fu-loading").hidden = true;
  find("#fu-error").textContent = "";
  if (!data.can_act) { state.node.hidden = true; return; }
  const kept = typedValues(state.node, except);
  const focused = state.node.contains(document.activeElement) ? document.activeElement.id : "";
  const analysisForm = find("#fu-analysis-form");
  const draft = analysisForm && analysisForm !== except ? unsavedAnalysis(analysisForm) : null;
  facts(data);
  for (const [key, , render] of PARTS) {
    find(`#fu-${key}-body`).replaceChildren(...render(data, partContext(key, data, draft)).filter(Boolean));
    find(`#fu-part-${key}`).hidden = false;
  }
  navigation(data);
  restoreValues(state.node, kept);
  if (focused) find(`#${CSS.escape(focused)}`)?.focus();
  focusTarget();
  startTimer();
}

function startTimer() {
  clearInterval(timer);
  timer = setInterval(() => { if (state?.data) tickCountdown(state.node, state.data); }, TICK_MS);
}

/** Fetch the follow-up; an answer that an action or a newer load overtook is dropped. */
async function load() {
  const s = state;
  const mine = ++s.gen;
  find("#fu-loading").hidden = false;
  try {
    const data = await get(`/api/incidents/${s.id}/followup`);
    if (s !== state || mine !== s.gen) return;
    conn.setReachable(true);
    show(data.followup);
  } catch (err) {
    if (s !== state || mine !== s.gen || err.status === 401) return;
    find("#fu-loading").hidden = true;
    // Not responsible for this report (a worker, a manager elsewhere): no follow-up at all.
    if (err.status === 403 || err.status === 404) { s.node.hidden = true; return; }
    if (err.isNetwork) conn.setReachable(false);
    find("#fu-error").textContent = err.isNetwork ? t("gir.offline") : err.message || t("fu.load.failed");
  }
}

async function loadPeople() {
  const s = state;
  try {
    s.people = (await get("/api/people"))?.people || [];
    // The analysis' owner lists are drawn with the people now known.
    if (s === state && s.data) show(s.data);
  } catch { /* "mijzelf" is still there to choose */ }
}

async function send(requests) {
  let answer = null;
  for (const { method, path, body } of [].concat(requests)) answer = await api(method, `/api/incidents/${state.id}${path}`, body);
  return answer;
}

/** Someone changed the report in between (409): show the newest, keep the input, say so. */
async function reloadAfterConflict(formNode, message) {
  const s = state;
  await load();
  const again = s === state ? find(`#${formNode.id}`) : null;
  if (again) showErrors(again, message);
}

/**
 * Send one action (or several in turn) from a part's form, draw the follow-up the server
 * answers with, announce `done` (text, or a function of the answer) and move focus to
 * `focus(answer)` or the part's heading. Returns the answer, or null when it failed.
 */
async function act(key, formNode, requests, { done = "", focus = null, conflict = null } = {}) {
  const s = state;
  const buttons = [...formNode.querySelectorAll("button")];
  clearErrors(formNode);
  find(`#fu-${key}-status`).textContent = "";
  for (const b of buttons) b.disabled = true;
  try {
    const answer = await send(requests);
    if (s !== state) return null;
    conn.setReachable(true);
    s.gen += 1;  // a load still under way brings older news
    show(answer.followup, find(`#${formNode.id}`));
    find(`#fu-${key}-status`).textContent = typeof done === "function" ? done(answer) : done;
    ((focus && focus(answer)) || find(`#fu-${key}-heading`)).focus();
    // Every action is in the report's history, and some move its version on: the detail reloads.
    s.ctx.onIncidentChanged?.();
    return answer;
  } catch (err) {
    if (s !== state || err.status === 401) return null;
    if (err.isNetwork) conn.setReachable(false);
    // The form may have been drawn again meanwhile (the people for the analysis came in).
    const live = find(`#${formNode.id}`) || formNode;
    if (err.status === 409) await reloadAfterConflict(live, conflict || err.message);
    else showErrors(live, err.isNetwork ? t("gir.edit.offline") : err.message, err.fields);
    return null;
  } finally {
    for (const b of buttons) b.disabled = false;
  }
}

/**
 * The follow-up section for this report (ctx: me, onIncidentChanged()). The same node comes
 * back while the same report is shown, so the detail can be drawn again around it; a new
 * version of the report (someone saved it) loads the follow-up again.
 */
export function section(incident, ctx) {
  if (state?.id === incident.id) {
    state.ctx = ctx;
    if (state.version !== incident.version) load();
    return state.node;
  }
  stop();
  state = { id: incident.id, version: incident.version, data: null, node: frame(), ctx, people: [], gen: 0, target: null };
  load();
  loadPeople();
  return state.node;
}

/** Open a part ("police", …): its heading in view and focused, now or once it is drawn. */
export function goTo(key) {
  if (!state) return;
  state.target = key;
  if (state.data) focusTarget();
}

/** The language changed: new headings, parts drawn again with what was typed. */
export function refreshTexts() {
  if (!state) return;
  state.node.querySelector("#fu-heading").textContent = t("fu.heading");
  find("#fu-nav-label").textContent = t("fu.nav.label");
  for (const [key, title] of PARTS) {
    find(`#fu-${key}-heading`).textContent = t(title);
    find(`#fu-${key}-status`).textContent = "";  // a status in the old language would linger
  }
  find("#fu-loading").textContent = t("fu.loading");
  if (state.data) show(state.data);
}

/** The report left the screen: nothing of it stays in the page. */
export function stop() {
  clearInterval(timer);
  timer = null;
  if (state) state.gen += 1;
  state = null;
}
