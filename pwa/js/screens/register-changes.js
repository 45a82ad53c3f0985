// The register screen's changes and history, as parts of an entry: the edit form (what it sends
// is only what changed), ending a measure with its reason, and the entry's versions. Whether
// the viewer may change an entry or measure is the server's word (`may_change`): without it
// these controls are not drawn.
import { t } from "../i18n.js";
import { el } from "../dom.js";
import { entries as vocabularyEntries, limitField } from "../vocabulary.js";
import { behaviourLabel, field, formatDate, formatMoment, kindLabel } from "./register-parts.js";

const TEXTS = ["name", "client_ref", "address"];
const DATES = new Set(["starts_on", "ends_on"]);

const editId = (f, id) => `air-edit-${f}-${id}`;

/* ---------- changing an entry ---------- */
/** "Wijzigen": the entry's fields as they are; `changesOf` says what to send. */
export function editPanel(e) {
  const id = e.id;
  const ids = (f) => editId(f, id);
  const described = (f, hint = false) => `${hint ? `${ids(f)}-hint ` : ""}${ids(f)}-error`;
  const text = (f, limit) => limitField(el("input", { id: ids(f), name: f, type: "text", autocomplete: "off",
    value: e[f] || "", "aria-describedby": described(f) }), limit);
  const known = el("input", { id: ids("known"), name: "known_aggressive", type: "checkbox", "aria-describedby": described("known") });
  known.checked = !!e.known_aggressive;
  const behaviour = el("select", { id: ids("behaviour"), name: "behaviour_type", "aria-describedby": described("behaviour") },
    el("option", { value: "" }, t("air.behaviour.none")),
    ...vocabularyEntries("behaviour_types").map((b) => el("option", { value: b.code }, b.label)));
  behaviour.value = e.behaviour_type || "";
  const remarks = limitField(el("textarea", { id: ids("remarks"), name: "remarks", rows: "3", "aria-describedby": described("remarks") }), "air_remarks");
  remarks.value = e.remarks || "";
  const reason = limitField(el("textarea", { id: ids("reason"), name: "reason", rows: "2", "aria-describedby": described("reason", true) }), "air_measure_reason");
  const form = el("form", { class: "air-edit-form air-measure-form", novalidate: "", dataset: { entryId: String(id) } },
    field(ids("name"), "air.name", text("name", "air_name"), `${ids("name")}-error`),
    field(ids("client_ref"), "air.clientRef", text("client_ref", "client_ref"), `${ids("client_ref")}-error`),
    field(ids("address"), "air.address", text("address", "air_address"), `${ids("address")}-error`),
    el("div", { class: "check" }, known, el("label", { for: ids("known") }, t("air.known")),
      el("p", { class: "error field-error", id: `${ids("known")}-error` })),
    field(ids("behaviour"), "air.behaviour", behaviour, `${ids("behaviour")}-error`),
    field(ids("remarks"), "air.remarks", remarks, `${ids("remarks")}-error`),
    field(ids("reason"), "air.edit.reason", reason, `${ids("reason")}-error`, "air.edit.reason.hint"),
    el("p", { class: "error", id: `air-edit-error-${id}`, role: "alert" }),
    el("button", { type: "submit", id: ids("save"), class: "btn btn-primary" }, t("air.edit.save")));
  return el("details", { class: "air-measure-add air-edit", dataset: { entryId: String(id) } },
    el("summary", { id: `air-edit-summary-${id}` }, t("air.edit.summary")), form);
}

/** The input of the edit form for a field the server named ("known_aggressive" → its box). */
export function editInput(form, name) {
  const id = form.dataset.entryId;
  const short = { known_aggressive: "known", behaviour_type: "behaviour" }[name] || name;
  return form.querySelector(`#${editId(short, id)}`);
}

/** The body of a PATCH: only the fields that differ from `e`, and the reason when given. */
export function changesOf(form, e) {
  const input = (name) => editInput(form, name);
  const body = {};
  for (const f of TEXTS) {
    const value = input(f).value.trim() || null;
    if (value !== (e[f] || null)) body[f] = value;
  }
  if (input("known_aggressive").checked !== !!e.known_aggressive) body.known_aggressive = input("known_aggressive").checked;
  const behaviour = input("behaviour_type").value || null;
  if (behaviour !== (e.behaviour_type || null)) body.behaviour_type = behaviour;
  const remarks = input("remarks").value.trim();
  if (remarks !== (e.remarks || "")) body.remarks = remarks;
  const reason = input("reason").value.trim();
  return { body: reason ? { ...body, reason } : body, changed: Object.keys(body).length > 0 };
}

/* ---------- ending a measure ---------- */
/** "Beëindigen" and, once asked, the form with its reason (ending early needs one). */
export function endControl(m, kind) {
  const formId = `air-end-form-${m.id}`;
  const reasonId = `air-end-reason-${m.id}`;
  const reason = limitField(el("textarea", { id: reasonId, name: "reason", rows: "2", "aria-describedby": `${reasonId}-error` }), "air_measure_reason");
  const form = el("form", { class: "air-end-form", id: formId, novalidate: "", hidden: "", dataset: { measureId: String(m.id) } },
    field(reasonId, "air.measure.end.reason", reason, `${reasonId}-error`),
    el("p", { class: "error", id: `air-end-error-${m.id}`, role: "alert" }),
    el("button", { type: "submit", class: "btn btn-primary btn-small", id: `air-end-confirm-${m.id}` }, t("air.measure.end.confirm")), " ",
    el("button", { type: "button", class: "btn btn-quiet btn-small", dataset: { endCancel: String(m.id) } }, t("air.measure.end.cancel")));
  const button = el("button", { type: "button", class: "btn btn-secondary btn-small air-measure-end",
    dataset: { endMeasure: String(m.id) }, "aria-expanded": "false", "aria-controls": formId,
    "aria-label": t("air.measure.end.label", { kind }) }, t("air.measure.end"));
  return [button, form];
}

/** Show or hide a measure's end form; shown, its reason has the focus. */
export function toggleEnd(li, open) {
  const button = li.querySelector("button[data-end-measure]");
  const form = li.querySelector("form.air-end-form");
  if (!button || !form) return;
  form.hidden = !open;
  button.setAttribute("aria-expanded", String(open));
  if (open) form.querySelector("textarea").focus();
  else button.focus();
}

/* ---------- history ---------- */
/** "Geschiedenis": loaded when opened (each read is logged by the server). */
export function historyPanel(e) {
  return el("details", { class: "air-measure-add air-history", dataset: { entryId: String(e.id) } },
    el("summary", { id: `air-history-summary-${e.id}` }, t("air.history.summary")),
    el("div", { class: "air-measure-form" },
      el("p", { class: "hint air-history-state", role: "status" }),
      el("ol", { class: "gir-history air-history-list" })));
}

function shownValue(name, value) {
  if (value === null || value === undefined || value === "") return t("air.history.empty");
  if (typeof value === "boolean") return t(value ? "air.history.yes" : "air.history.no");
  if (DATES.has(name)) return formatDate(value);
  if (name === "behaviour_type") return behaviourLabel(value) || value;
  if (name === "kind") return kindLabel(value);
  return String(value);
}

function versionItem(v) {
  const what = v.measure ? t("air.history.of", { action: t(`air.history.${v.action}`), kind: kindLabel(v.measure.kind, v.measure.label) })
    : t(`air.history.${v.action}`);
  const changes = (v.changes || []).map((c) => el("li", { dataset: { field: c.field } },
    `${t(`air.field.${c.field}`)}: `,
    v.action === "created" || v.action === "measure_added" ? shownValue(c.field, c.after)
      : t("air.history.fromTo", { before: shownValue(c.field, c.before), after: shownValue(c.field, c.after) })));
  return el("li", { class: "air-version", dataset: { versionId: String(v.id), action: v.action } },
    el("p", {}, el("time", { datetime: v.at }, formatMoment(v.at)), " — ", el("strong", {}, v.actor?.name || ""), `: ${what}`),
    changes.length ? el("ul", {}, ...changes) : null,
    v.reason ? el("p", { class: "air-version-reason" }, t("air.measure.reason", { reason: v.reason })) : null);
}

/** Fill an opened history panel: its state line ("laden…", an error, "geen") and its list. */
export function showHistory(panel, { versions = null, state = "" } = {}) {
  panel.querySelector(".air-history-state").textContent = versions && !versions.length ? t("air.history.none") : state;
  panel.querySelector(".air-history-list").replaceChildren(...(versions || []).map(versionItem));
}
