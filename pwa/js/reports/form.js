// The reports screen's form: the period (one of the server's presets, or a quarter, half year,
// year or own dates) and the filters, whose choices are the server's (`options` of the report).
// It reads into the report's query and is filled from one; the server checks it (422 with a
// message per field, shown next to that field).
import { t } from "../i18n.js";
import { $, el } from "../dom.js";
import { limitField } from "../vocabulary.js";

// The form's fields, drawn once: the API's parameter, its field, its label's text, its control.
const DATE = { tag: "input", type: "date" };
const SELECT = { tag: "select" };
const PERIOD_FIELDS = [
  { name: "period", id: "reports-period", label: "reports.period.choose", ...SELECT, shown: true },
  { name: "year", id: "reports-year", label: "reports.year", tag: "input", type: "number", inputmode: "numeric",
    dataset: { limit: "report_year" }, autocomplete: "off" },
  { name: "number", id: "reports-number", label: "reports.number.quarter", ...SELECT },
  { name: "from", id: "reports-from", label: "gir.filter.from", ...DATE },
  { name: "to", id: "reports-to", label: "gir.filter.to", ...DATE },
];
const FILTER_FIELDS = [
  { name: "department", id: "reports-department", label: "reports.department", ...SELECT },
  { name: "team", id: "reports-team", label: "gir.filter.team", hint: "reports.team.hint", ...SELECT },
  { name: "function_group", id: "reports-function-group", label: "reports.function_group", ...SELECT },
  { name: "channel", id: "reports-channel", label: "gir.f.channel", ...SELECT },
];
// The API's parameter -> its field (a preset is chosen in the period's).
const FIELDS = Object.fromEntries([["preset", "reports-period"],
  ...[...PERIOD_FIELDS, ...FILTER_FIELDS].map((f) => [f.name, f.id])]);
const ERROR_FIELDS = [...new Set(Object.values(FIELDS))];
// The kinds of period GET /api/reports takes besides its presets, and their numbered parts.
// The kinds of period and how many parts a year has of each come with the report's `options`.
const periodOf = (key) => options.periods.find((p) => p.key === key);

/** A labelled field with its hint and its error, tied to the control (aria-describedby). */
function field({ name, id, label, hint, tag, shown = false, ...attrs }) {
  const described = [hint && `${id}-hint`, `${id}-error`].filter(Boolean).join(" ");
  return el("div", { class: "field", id: `${id}-field`, ...(shown ? {} : { hidden: "" }) },
    el("label", { for: id, id: `${id}-label`, dataset: { i18n: label } }, t(label)),
    limitField(el(tag, { id, name, "aria-describedby": described, ...attrs })),
    hint ? el("p", { id: `${id}-hint`, class: "hint", dataset: { i18n: hint } }, t(hint)) : null,
    el("p", { id: `${id}-error`, class: "error field-error" }));
}

let options = { presets: [], periods: [], departments: [], teams: [], function_groups: [], channels: [] };

function fillSelect(id, choices, { all = true } = {}) {
  const select = $(id);
  const keep = select.value;
  select.replaceChildren(...(all ? [el("option", { value: "" }, t("reports.all"))] : []),
    ...choices.map(([value, text]) => el("option", { value: String(value) }, text)));
  select.value = keep;
  if (select.value !== keep) select.value = all ? "" : select.options[0]?.value ?? "";
}

const kind = () => (periodOf($("reports-period").value) ? $("reports-period").value : "preset");

/** The fields the chosen kind of period needs, and its numbered parts ("1e kwartaal"). */
export function showKindFields() {
  const chosen = kind();
  const about = periodOf(chosen) || { parts: 0, year: false };
  $("reports-year-field").hidden = !about.year;
  $("reports-number-field").hidden = !about.parts;
  $("reports-from-field").hidden = chosen !== "custom";
  $("reports-to-field").hidden = chosen !== "custom";
  if (!about.parts) return;
  const label = $("reports-number-label");
  label.dataset.i18n = `reports.number.${chosen}`;
  label.textContent = t(label.dataset.i18n);
  fillSelect("reports-number", Array.from({ length: about.parts }, (_, i) => [i + 1, t(`reports.part.${chosen}`, { number: i + 1 })]),
    { all: false });
}

/** Only the teams of the chosen department (all teams without one). */
function fillTeams() {
  const department = $("reports-department").value;
  const teams = options.teams.filter((team) => !department || String(team.department_id) === department);
  fillSelect("reports-team", teams.map((team) => [team.id, team.name]));
}

/** The server's choices (in the chosen language), keeping what is chosen. */
export function fillOptions(next = options) {
  options = { ...options, ...next };
  fillSelect("reports-period", [...options.presets.map((p) => [p.key, p.label]),
    ...options.periods.map((p) => [p.key, t(`reports.kind.${p.key}`)])], { all: false });
  fillSelect("reports-department", options.departments.map((d) => [d.id, d.name]));
  fillTeams();
  fillSelect("reports-function-group", options.function_groups.map((g) => [g.value, g.label]));
  fillSelect("reports-channel", options.channels.map((c) => [c.value, c.label]));
  showKindFields();
}

/** The form as `query` asks (the URL's) and `report` answered: its period, its filters. */
export function fillFrom(query, report) {
  const period = $("reports-period");
  const presets = options.presets.map((p) => p.key);
  period.value = query.preset || query.period || report?.period?.preset || (presets.includes(report?.period?.kind)
    ? report.period.kind : presets[0] || "quarter");
  showKindFields();
  const from = report?.period?.from || "";
  $("reports-year").value = query.year || from.slice(0, 4);
  if (query.number) $("reports-number").value = query.number;
  $("reports-from").value = query.from || from;
  $("reports-to").value = query.to || report?.period?.to || "";
  const filters = report?.filters || query;
  $("reports-department").value = filters.department == null ? "" : String(filters.department);
  fillTeams();
  for (const [name, id] of [["team", "reports-team"], ["function_group", "reports-function-group"], ["channel", "reports-channel"]]) {
    $(id).value = filters[name] == null ? "" : String(filters[name]);
  }
}

/** The report's query the form asks for. */
export function readForm() {
  const chosen = kind();
  const value = (id) => $(id).value.trim();
  const query = chosen === "preset" ? { preset: value("reports-period") } : { period: chosen };
  if (periodOf(chosen)?.year) query.year = value("reports-year");
  if (periodOf(chosen)?.parts) query.number = value("reports-number");
  if (chosen === "custom") Object.assign(query, { from: value("reports-from"), to: value("reports-to") });
  for (const name of ["department", "team", "function_group", "channel"]) query[name] = value(FIELDS[name]);
  return query;
}

export function clearErrors() {
  $("reports-form-error").textContent = "";
  for (const id of ERROR_FIELDS) {
    $(id).removeAttribute("aria-invalid");
    $(`${id}-error`).textContent = "";
  }
}

/** The server's messages next to their fields (the first gets focus), the rest above the button. */
export function showErrors(summary, fields = {}) {
  const rest = [];
  let first = null;
  for (const [name, message] of Object.entries(fields)) {
    const control = FIELDS[name] && $(FIELDS[name]);
    if (!control || control.closest("[hidden]")) { rest.push(message); continue; }
    control.setAttribute("aria-invalid", "true");
    $(`${control.id}-error`).textContent = message;
    first ??= control;
  }
  $("reports-form-error").textContent = [summary, ...rest].join(" ");
  first?.focus();
}

/** The fields, once (their labels follow the language as every data-i18n does). */
export function bindForm() {
  $("reports-period-fields").replaceChildren(...PERIOD_FIELDS.map(field));
  $("reports-filter-fields").replaceChildren(...FILTER_FIELDS.map((f) => field({ ...f, shown: true })));
  $("reports-period").addEventListener("change", showKindFields);
  $("reports-department").addEventListener("change", fillTeams);
}

export function resetForm() {
  options = { presets: [], periods: [], departments: [], teams: [], function_groups: [], channels: [] };
  $("reports-form").reset();
  clearErrors();
}
