// The completion form (annex 8) on a report's detail. Save sends only what changed, with the
// version it was based on; when someone else saved in between (409) the newest version is
// loaded and the user's unsaved values stay in the form, listed, so one more save applies them.
import { t } from "../i18n.js";
import { api, get } from "../api.js";
import * as conn from "../connection.js";
import { $, el } from "../dom.js";
import { fieldOf, formParts, AGGRESSOR_PATHS, yesNoAnswers, toInput, fromInput, inputProblem, display,
  fieldLabel, shown, valueAt } from "./gir-fields.js";

/** The form's sections: the report's own fields, then annex 8's parts as the server has them. */
const sections = () => [
  { legend: t("gir.edit.what"), paths: ["behaviour_type", "kinds", "channel", "occurred_at", "location", "description"] },
  { legend: t("gir.edit.serious"), hint: "gir.edit.serious.hint", paths: ["serious_criteria"] },
  ...formParts().map((part) => ({ legend: part.label, paths: part.paths })),
  { legend: t("gir.edit.aggressor"), paths: AGGRESSOR_PATHS },
];

const idOf = (path) => `gir-f-${path.replace(".", "-")}`;
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

function editablePaths(incident) {
  const paths = sections().flatMap((s) => s.paths);
  return incident.can_set_status ? [...paths, "status"] : paths;
}

function baselineOf(incident, paths) {
  return Object.fromEntries(paths.map((p) => [p, toInput(p, valueAt(incident, p))]));
}

/* ---------- controls ---------- */
function group(path, value, id, hintId) {
  const f = fieldOf(path);
  const radio = f.type === "yesno";
  const answers = radio ? yesNoAnswers() : [];
  const optionLabel = radio ? (a) => answers.find((x) => x.code === a)?.label ?? a : f.optionLabel;
  const options = (radio ? answers.map((a) => a.code) : f.options).map((o) => {
    const input = el("input", { type: radio ? "radio" : "checkbox", name: path, value: o, id: `${id}-${o}` });
    input.checked = radio ? value === o : value.includes(o);
    return radio ? el("label", { class: "answer" }, input, el("span", {}, optionLabel(o)))
      : el("div", { class: "check" }, input, el("label", { for: input.id }, optionLabel(o)));
  });
  return el("fieldset", { id, class: radio ? "gir-yesno" : "gir-checks", "aria-describedby": [hintId, `${id}-error`].filter(Boolean).join(" ") },
    el("legend", {}, fieldLabel(path)),
    hintId ? el("p", { class: "hint", id: hintId }, t(f.hint)) : null,
    el("div", { class: radio ? "answer-options" : "gir-check-list" }, ...options),
    el("p", { class: "error field-error", id: `${id}-error` }));
}

function single(path, value, id) {
  const f = fieldOf(path);
  const attrs = { id, name: path, "aria-describedby": `${id}-error` };
  let input;
  if (f.type === "select") {
    // An empty choice only when nothing was chosen yet, so an untouched form changes nothing.
    const options = [...(value ? [] : [""]), ...f.options];
    input = el("select", attrs, ...options.map((o) => el("option", { value: o }, o ? f.optionLabel(o) : t("gir.choose"))));
    input.value = value;
  } else if (f.type === "long") {
    input = el("textarea", { ...attrs, rows: f.max > 1000 ? "4" : "2", maxlength: f.max ? String(f.max) : null }, value);
  } else {
    const types = { datetime: "datetime-local", date: "date" };
    input = el("input", { ...attrs, type: types[f.type] || "text", value,
      maxlength: f.max ? String(f.max) : null, inputmode: f.type === "euro" ? "decimal" : null, autocomplete: "off" });
  }
  return [el("label", { for: id }, fieldLabel(path)), input, el("p", { class: "error field-error", id: `${id}-error` })];
}

function field(path, values) {
  const f = fieldOf(path);
  const id = idOf(path);
  const grouped = f.type === "checks" || f.type === "yesno";
  const wrap = el("div", { class: "field", dataset: { path } },
    ...(grouped ? [group(path, values[path], id, f.hint ? `${id}-hint` : null)] : single(path, values[path], id)));
  wrap.hidden = !shown(path, values);
  return wrap;
}

function section(s, values, incident) {
  // Workers may record the aggressor but never see it back: the server sends aggressor: null.
  const hint = s.paths === AGGRESSOR_PATHS
    ? (incident.aggressor ? "gir.edit.aggressor.manager" : incident.aggressor_recorded ? "gir.edit.aggressor.replace" : "gir.edit.aggressor.worker")
    : s.hint;
  return el("fieldset", { class: "gir-section" },
    el("legend", {}, s.legend),
    hint ? el("p", { class: "hint gir-section-hint" }, t(hint)) : null,
    ...s.paths.map((p) => field(p, values)));
}

/* ---------- reading ---------- */
function readValue(form, path) {
  const type = fieldOf(path).type;
  if (type === "checks") return [...form.querySelectorAll(`input[name="${path}"]:checked`)].map((i) => i.value).sort();
  if (type === "yesno") return form.querySelector(`input[name="${path}"]:checked`)?.value || toInput(path, null);
  const value = $(idOf(path)).value;
  return type === "datetime" || type === "date" ? value : value.trim();
}

const readValues = (form, paths) => Object.fromEntries(paths.map((p) => [p, readValue(form, p)]));

function updateFollowUps(form, paths) {
  const values = readValues(form, paths);
  for (const wrap of form.querySelectorAll(".field[data-path]")) wrap.hidden = !shown(wrap.dataset.path, values);
}

/** The form values on the page that differ from the incident's saved ones. */
export function unsavedValues(incident) {
  const form = $("gir-form");
  if (!form) return {};
  // Only what the page holds: a form drawn before the vocabulary was here has no questions yet.
  const paths = editablePaths(incident).filter((p) => $(idOf(p)));
  const base = baselineOf(incident, paths);
  const current = readValues(form, paths);
  return Object.fromEntries(paths.filter((p) => !same(base[p], current[p])).map((p) => [p, current[p]]));
}

function bodyOf(values, version) {
  const body = { version };
  for (const [path, value] of Object.entries(values)) {
    const [head, key] = path.split(".");
    if (key) (body[head] ||= {})[key] = fromInput(path, value);
    else body[head] = fromInput(path, value);
  }
  return body;
}

/* ---------- errors ---------- */
/** The form field a server field name means: "kinds.0" -> "kinds", a question's -> "form.<name>". */
function pathFor(name) {
  const bare = name.replace(/(\.\d+)+$/, "");
  return [bare, `form.${bare}`, `aggressor.${bare}`].find((p) => fieldOf(p) && $(idOf(p))) || null;
}

function clearErrors(form) {
  $("gir-form-error").textContent = "";
  for (const p of form.querySelectorAll(".field-error")) p.textContent = "";
  for (const n of form.querySelectorAll("[aria-invalid]")) n.removeAttribute("aria-invalid");
}

/** A summary, and each message next to its field; the first wrong field gets focus. */
function showErrors(form, summary, fields = {}) {
  const rest = [];
  let first = null;
  for (const [name, message] of Object.entries(fields)) {
    const path = pathFor(name);
    if (!path) { rest.push(message); continue; }
    const box = $(idOf(path));
    box.closest(".field").hidden = false;
    $(`${box.id}-error`).textContent = message;
    const inputs = box.tagName === "FIELDSET" ? [...box.querySelectorAll("input")] : [box];
    for (const input of inputs) input.setAttribute("aria-invalid", "true");
    first = first || inputs[0];
  }
  $("gir-form-error").textContent = [summary, ...rest].join(" ");
  (first || $("gir-form-error")).focus();
}

/* ---------- saving ---------- */
function conflictBox(incident, pending) {
  const items = Object.entries(pending).map(([path, value]) => {
    const hidden = path.startsWith("aggressor.") && !incident.aggressor;
    return el("li", {}, el("strong", {}, `${fieldLabel(path)}: `),
      t("gir.edit.conflict.yours", { value: display(path, fromInput(path, value)) }),
      hidden ? null : ` — ${t("gir.edit.conflict.saved", { value: display(path, valueAt(incident, path)) })}`);
  });
  return el("div", { class: "gir-conflict", id: "gir-conflict", role: "alert", tabindex: "-1" },
    el("h3", {}, t("gir.edit.conflict.heading")),
    el("p", {}, t("gir.edit.conflict.text")),
    el("ul", { class: "gir-pending" }, ...items));
}

async function reloadAfterConflict(incident, pending, ctx) {
  try {
    const data = await get(`/api/incidents/${incident.id}`);
    ctx.onUpdated(data.incident, { pending, conflict: true });
  } catch (err) {
    if (err.status === 401) return;
    // The user's values are still in the form; they can reload and save once more.
    showErrors($("gir-form"), `${t("gir.edit.conflict.heading")}. ${t("gir.edit.conflict.reloadFailed")}`);
  }
}

async function save(form, incident, ctx) {
  clearErrors(form);
  const pending = unsavedValues(incident);
  if (!Object.keys(pending).length) { ctx.say(t("gir.edit.nothing")); return; }
  const problems = Object.entries(pending).map(([p, v]) => [p, inputProblem(p, v)]).filter(([, key]) => key);
  if (problems.length) {
    showErrors(form, t("gir.edit.error.form"), Object.fromEntries(problems.map(([p, key]) => [p, t(key)])));
    return;
  }
  const button = $("gir-save");
  button.disabled = true;
  button.textContent = t("gir.edit.saving");
  try {
    const data = await api("PATCH", `/api/incidents/${incident.id}`, bodyOf(pending, incident.version));
    conn.setReachable(true);
    ctx.onUpdated(data.incident, { message: t("gir.edit.saved") });
  } catch (err) {
    if (err.status === 401) return;
    if (err.status === 409) { await reloadAfterConflict(incident, pending, ctx); return; }
    if (err.isNetwork) conn.setReachable(false);
    showErrors(form, err.isNetwork ? t("gir.edit.offline") : err.message, err.fields);
  } finally {
    if (document.contains(button)) { button.disabled = false; button.textContent = t("gir.edit.save"); }
  }
}

/**
 * The form for an editable report. ctx: onUpdated(incident, {message, pending, conflict}),
 * say(text); pending: form values to put back over the saved ones (after a 409 or a language
 * switch), conflict: whether to explain that someone else saved.
 */
export function buildForm(incident, ctx) {
  const paths = editablePaths(incident);
  const values = { ...baselineOf(incident, paths), ...(ctx.pending || {}) };
  const form = el("form", { class: "gir-form", id: "gir-form", novalidate: "" },
    ctx.conflict ? conflictBox(incident, ctx.pending) : null,
    ...sections().map((s) => section(s, values, incident)),
    incident.can_set_status ? field("status", values) : null,
    el("p", { class: "error", id: "gir-form-error", role: "alert", tabindex: "-1" }),
    el("button", { type: "submit", class: "btn btn-primary", id: "gir-save" }, t("gir.edit.save")));
  form.addEventListener("change", () => updateFollowUps(form, paths));
  form.addEventListener("submit", (e) => { e.preventDefault(); save(form, incident, ctx); });
  return el("details", { class: "gir-edit", id: "gir-edit", open: ctx.pending ? "" : null },
    el("summary", {}, t("gir.edit.summary")), form);
}
