// The coordinator's checklist editor: pick a current checklist, edit its title and questions,
// publish it as a new version (PUT /api/checklists/<key>). Visits keep the version they
// answered, so nothing here changes a visit already planned.
import { t, onLangChange } from "../i18n.js";
import { get, put } from "../api.js";
import * as conn from "../connection.js";
import { $, el } from "../dom.js";
import { can } from "../capabilities.js";
import { applyLimits, entries, fitsLength, inRange, label, limit, onVocabulary, ready as vocabularyReady } from "../vocabulary.js";
import { paths } from "../routes.js";

const ID_PATTERN = /^[a-z0-9_]+$/;
const FIELDS = ["id", "text", "help", "risk_answer", "points", "advice", "floor"];

let me = null;
let nav = { up: () => {} };
let open = false;
let lists = [];
let currentKey = "";
let rows = [];        // [{uid, existing}] in the order shown
let nextUid = 1;
let dirty = false;
let loadGen = 0;
let bound = false;

const canUse = (profile) => can(profile, "checklists");

const fid = (uid, f) => `cl-q${uid}-${f.replace("_", "-")}`;
const current = () => lists.find((c) => c.key === currentKey) || null;

/* ---------- rendering ---------- */
function labelled(id, labelKey, control, { hint } = {}) {
  const describedBy = [hint ? `${id}-hint` : null, `${id}-error`].filter(Boolean).join(" ");
  control.setAttribute("aria-describedby", describedBy);
  return el("div", { class: `field cl-field cl-field-${id.split("-").pop()}` },
    el("label", { for: id }, t(labelKey)), control,
    hint ? el("p", { class: "hint", id: `${id}-hint` }, hint) : null,
    el("p", { class: "error field-error", id: `${id}-error` }));
}

function option(value, text, selected) {
  const o = el("option", { value }, text);
  if (selected) o.selected = true;
  return o;
}

function questionRow(row, q, n) {
  const { uid } = row;
  const idInput = el("input", { id: fid(uid, "id"), type: "text", dataset: { limit: "question_id" }, autocomplete: "off",
    autocapitalize: "none", spellcheck: "false", pattern: "[a-z0-9_]+", required: "" });
  idInput.value = q.id || "";
  if (row.existing) idInput.readOnly = true;
  const text = el("textarea", { id: fid(uid, "text"), rows: "2", dataset: { limit: "question_text" }, required: "" });
  text.value = q.text || "";
  const help = el("input", { id: fid(uid, "help"), type: "text", dataset: { limit: "question_help" }, autocomplete: "off" });
  help.value = q.help || "";
  // The answers a question can call risky are the server's (vocabulary "risk_answers"); a new
  // question starts at the first. One they do not name (yet) stays as it is, never changed unseen.
  const answers = entries("risk_answers");
  const unknown = q.risk_answer && !answers.some((a) => a.code === q.risk_answer);
  const risk = el("select", { id: fid(uid, "risk_answer") },
    ...answers.map((a) => option(a.code, a.label, a.code === q.risk_answer)),
    unknown ? option(q.risk_answer, q.risk_answer, true) : null);
  const points = el("input", { id: fid(uid, "points"), type: "number", inputmode: "numeric", dataset: { limit: "question_points" }, step: "1", required: "" });
  points.value = Number.isInteger(q.points) ? String(q.points) : "";
  const advice = el("textarea", { id: fid(uid, "advice"), rows: "2", dataset: { limit: "question_advice" }, required: "" });
  advice.value = q.advice || "";
  // A floor is a risk level above the lowest (vocabulary "checklist_floors"), or none.
  const floor = el("select", { id: fid(uid, "floor") }, option("", t("cl.floor.none"), !q.floor),
    ...entries("checklist_floors").map((f) => option(f.code, f.label, q.floor === f.code)));

  const legendId = `cl-q${uid}-legend`;
  return el("li", { class: "cl-question", dataset: { uid: String(uid), existing: String(row.existing) } },
    el("fieldset", { class: "cl-question-fields" },
      el("legend", { id: legendId }, t("cl.question", { n })),
      labelled(fid(uid, "id"), "cl.q.id", idInput),
      labelled(fid(uid, "text"), "cl.q.text", text),
      labelled(fid(uid, "help"), "cl.q.help", help),
      el("div", { class: "cl-row" },
        labelled(fid(uid, "risk_answer"), "cl.q.risk", risk),
        labelled(fid(uid, "points"), "cl.q.points", points),
        labelled(fid(uid, "floor"), "cl.q.floor", floor)),
      labelled(fid(uid, "advice"), "cl.q.advice", advice),
      el("p", { class: "error", id: `cl-q${uid}-error` }),
      el("button", { type: "button", class: "btn btn-quiet btn-small cl-remove", dataset: { removeUid: String(uid) },
        "aria-label": t("cl.remove.label", { n }) }, t("cl.remove"))));
}

function renderRows(questions) {
  $("checklist-editor-questions").replaceChildren(...rows.map((row, i) => questionRow(row, questions[i] || {}, i + 1)));
  applyLimits($("checklist-editor-questions"));
}

/** Question numbers in legends and remove labels follow the order shown. */
function renumber() {
  rows.forEach((row, i) => {
    const li = $("checklist-editor-questions").querySelector(`li[data-uid="${row.uid}"]`);
    if (!li) return;
    li.querySelector("legend").textContent = t("cl.question", { n: i + 1 });
    li.querySelector(".cl-remove").setAttribute("aria-label", t("cl.remove.label", { n: i + 1 }));
  });
}

function renderSelect() {
  const sel = $("checklist-editor-select");
  sel.replaceChildren(...lists.map((c) => option(c.key, t("cl.option", { title: c.title, version: c.version }), c.key === currentKey)));
  sel.disabled = lists.length === 0;
}

function renderMeta() {
  const c = current();
  if (!c) { $("checklist-editor-meta").replaceChildren(); return; }
  const groups = c.function_groups?.length ? t("cl.meta.groups", { groups: c.function_groups.map((g) => label("function_groups", g)).join(", ") }) : t("cl.meta.general");
  $("checklist-editor-meta").replaceChildren(
    el("strong", {}, t("cl.meta", { version: c.version, key: c.key })), el("br"), groups);
}

/** Show a checklist as published (drops unpublished edits). */
function showChecklist() {
  const c = current();
  clearErrors();
  $("checklist-editor-form").hidden = !c;
  renderSelect();
  renderMeta();
  if (!c) return;
  $("checklist-editor-name").value = c.title || "";
  const qs = Array.isArray(c.questions) ? c.questions : [];
  rows = qs.map(() => ({ uid: nextUid++, existing: true }));
  renderRows(qs);
  dirty = false;
}

/* ---------- reading the form ---------- */
function collect() {
  const questions = rows.map(({ uid }) => {
    const v = (f) => $(fid(uid, f)).value;
    const pts = v("points").trim();
    return {
      id: v("id").trim(),
      text: v("text").trim(),
      help: v("help").trim() || null,
      risk_answer: v("risk_answer"),
      points: /^\d+$/.test(pts) ? Number(pts) : pts === "" ? null : Number(pts),
      advice: v("advice").trim(),
      floor: v("floor") || null,
    };
  });
  return { title: $("checklist-editor-name").value.trim(), questions };
}

function validate(body) {
  const fields = {};
  if (!fitsLength("checklist_title", body.title)) fields.title = t("cl.error.title", limit("checklist_title"));
  if (!body.questions.length) fields.questions = t("cl.error.none");
  if (!inRange("checklist_questions", body.questions.length)) fields.questions = t("cl.error.many", limit("checklist_questions"));
  const seen = new Set();
  body.questions.forEach((q, i) => {
    const at = (f) => `questions.${i}.${f}`;
    if (!ID_PATTERN.test(q.id) || !fitsLength("question_id", q.id)) fields[at("id")] = t("cl.error.id");
    else if (seen.has(q.id)) fields[at("id")] = t("cl.error.idTaken");
    seen.add(q.id);
    if (!fitsLength("question_text", q.text)) fields[at("text")] = t("cl.error.text", limit("question_text"));
    if (!fitsLength("question_advice", q.advice)) fields[at("advice")] = t("cl.error.text", limit("question_advice"));
    if (!inRange("question_points", q.points)) fields[at("points")] = t("cl.error.points", limit("question_points"));
  });
  return fields;
}

/* ---------- errors ---------- */
function clearErrors() {
  $("checklist-editor-error").textContent = "";
  const form = $("checklist-editor-form");
  for (const p of form.querySelectorAll(".error")) if (p.id !== "checklist-editor-error") p.textContent = "";
  for (const n of form.querySelectorAll("[aria-invalid]")) n.removeAttribute("aria-invalid");
}

/** Paths as the server names them: "title", "questions", "questions.3.id". */
function targetFor(path) {
  if (path === "title") return { input: $("checklist-editor-name") };
  const m = /^questions\.(\d+)(?:\.(\w+))?/.exec(path);
  if (!m) return null;
  const row = rows[Number(m[1])];
  if (!row) return null;
  if (m[2] && FIELDS.includes(m[2])) return { input: $(fid(row.uid, m[2])) };
  return { box: $(`cl-q${row.uid}-error`), focus: $(fid(row.uid, "id")) };
}

function showErrors(summary, fields) {
  const rest = [];
  let first = null;
  for (const [path, message] of Object.entries(fields || {})) {
    const target = targetFor(path);
    if (target?.input) {
      target.input.setAttribute("aria-invalid", "true");
      const p = $(`${target.input.id}-error`);
      if (p) p.textContent = message;
      first = first || target.input;
    } else if (target?.box) {
      target.box.textContent = message;
      first = first || target.focus;
    } else {
      rest.push(message);
    }
  }
  $("checklist-editor-error").textContent = rest.length ? `${summary} ${rest.join(" ")}` : summary;
  first?.focus();
}

/* ---------- actions ---------- */
function addQuestion() {
  if (!inRange("checklist_questions", rows.length + 1)) {
    showErrors(t("cl.error.form"), { questions: t("cl.error.many", limit("checklist_questions")) });
    return;
  }
  const row = { uid: nextUid++, existing: false };
  rows.push(row);
  $("checklist-editor-questions").append(questionRow(row, { points: 1 }, rows.length));
  applyLimits($("checklist-editor-questions"));
  dirty = true;
  $(fid(row.uid, "id")).focus();
}

function removeQuestion(uid) {
  const i = rows.findIndex((r) => r.uid === uid);
  if (i < 0) return;
  rows.splice(i, 1);
  $("checklist-editor-questions").querySelector(`li[data-uid="${uid}"]`)?.remove();
  renumber();
  dirty = true;
  $("checklist-editor-status").textContent = t("cl.removed");
  const next = rows[i] || rows[i - 1];
  (next ? $(fid(next.uid, "text")) : $("checklist-editor-add")).focus();
}

async function publish(e) {
  e.preventDefault();
  clearErrors();
  const c = current();
  if (!c) return;
  const body = collect();
  const fields = validate(body);
  if (Object.keys(fields).length) return showErrors(t("cl.error.form"), fields);

  const btn = $("checklist-editor-publish");
  const status = $("checklist-editor-status");
  btn.disabled = true;
  status.textContent = t("cl.publishing");
  try {
    const data = await put(`/api/checklists/${encodeURIComponent(c.key)}`, body);
    conn.setReachable(true);
    await load(c.key);
    status.textContent = t("cl.published", { version: data?.version ?? "" });
  } catch (err) {
    status.textContent = "";
    if (err.status === 401) return;
    if (err.isNetwork) conn.setReachable(false);
    showErrors(err.isNetwork ? t("visit.error.offline") : err.message || t("visit.error.failed"), err.fields || {});
  } finally {
    btn.disabled = false;
  }
}

function chooseChecklist() {
  const sel = $("checklist-editor-select");
  if (dirty && !window.confirm(t("cl.discard"))) {
    sel.value = currentKey;
    return;
  }
  currentKey = sel.value;
  $("checklist-editor-status").textContent = "";
  showChecklist();
}

async function load(keepKey = currentKey) {
  const gen = ++loadGen;
  $("checklist-editor-loading").hidden = false;
  $("checklist-editor-load-error").textContent = "";
  try {
    const data = await get("/api/checklists");
    if (gen !== loadGen || !open) return;
    lists = Array.isArray(data?.checklists) ? data.checklists : [];
    currentKey = lists.some((c) => c.key === keepKey) ? keepKey : lists[0]?.key || "";
    showChecklist();
  } catch (err) {
    if (err.status === 401 || gen !== loadGen || !open) return;
    if (err.isNetwork) conn.setReachable(false);
    $("checklist-editor-load-error").textContent = err.isNetwork ? t("visit.error.offline") : err.message || t("cl.load.failed");
  } finally {
    if (gen === loadGen) $("checklist-editor-loading").hidden = true;
  }
}

/* ---------- screen ---------- */
function reset() {
  lists = [];
  rows = [];
  currentKey = "";
  dirty = false;
  $("checklist-editor-select").replaceChildren();
  $("checklist-editor-questions").replaceChildren();
  $("checklist-editor-form").hidden = true;
  $("checklist-editor-status").textContent = "";
  $("checklist-editor-load-error").textContent = "";
  clearErrors();
}

/** The route "/checklists" (the coordinator only). */
function enter() {
  if (!canUse(me)) return false;
  if (open) return true;
  open = true;
  reset();
  load();
  vocabularyReady().catch(() => {}); // the rows are drawn again once here (onVocabulary)
  return true;
}

function close() {
  if (!open) return;
  open = false;
  loadGen += 1;
  reset();
}

/** Leaving with unsaved edits asks first (the back button, the phone's, a tab). */
function canLeave() {
  return !dirty || window.confirm(t("cl.discard"));
}

function bind() {
  if (bound) return;
  bound = true;
  $("checklist-editor-back").addEventListener("click", () => nav.up(paths.home()));
  $("checklist-editor-select").addEventListener("change", chooseChecklist);
  $("checklist-editor-add").addEventListener("click", addQuestion);
  $("checklist-editor-form").addEventListener("submit", publish);
  $("checklist-editor-form").addEventListener("input", () => { dirty = true; });
  $("checklist-editor-questions").addEventListener("click", (e) => {
    const b = e.target.closest("button[data-remove-uid]");
    if (b) removeQuestion(Number(b.dataset.removeUid));
  });
  onLangChange(redraw);
  onVocabulary(redraw);  // the answers' and function groups' labels are the server's
}

/** The language or the vocabulary changed: keep what was typed; only the labels change. */
function redraw() {
  if (!open || !current()) return;
  const { questions } = collect();
  renderSelect();
  renderMeta();
  renderRows(questions);
}

function configure(profile, navigation) {
  me = profile;
  nav = navigation;
  bind();
}

function stop() {
  close();
  me = null;
}

export const screen = { configure, enter, leave: close, canLeave, refreshTexts: () => {}, stop };
