// Form pieces shared by the follow-up parts. Every control has a label, its hint and error
// tied to it (aria-describedby) and carries the server's name for it (data-field), so a
// refusal from the server lands next to the input it is about.
import { t } from "../i18n.js";
import { serverNow } from "../api.js";
import { el } from "../dom.js";
import { limitField } from "../vocabulary.js";
import { formatDay, formatMoment } from "./gir-fields.js";

/** Today in the municipality: the server checks dates against the Dutch calendar day. */
export function today() {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Amsterdam" }).format(serverNow());
}

/** "2026-11-30" plus 3 months is "2027-02-28": the month's last day when the day is not in it. */
export function addMonths(ymd, months) {
  const [y, m, d] = ymd.split("-").map(Number);
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, last));
  return first.toISOString().slice(0, 10);
}

export const dayEl = (ymd) => (ymd ? el("time", { datetime: ymd }, formatDay(ymd)) : "");
export const momentEl = (iso) => (iso ? el("time", { datetime: iso }, formatMoment(iso)) : "");

/** "van 25 nov 2026 t/m 25 feb 2027". */
export const period = (from, to) => el("span", { class: "fu-period" },
  `${t("air.measure.from")} `, dayEl(from), ` ${t("air.measure.until")} `, dayEl(to));

/** [[value, label]] from the server's vocabulary object (key -> Dutch label). */
export const entries = (vocabulary) => Object.entries(vocabulary || {});

function described(id, hint) {
  return [hint ? `${id}-hint` : null, `${id}-error`].filter(Boolean).join(" ");
}

function input(spec) {
  const attrs = { id: spec.id, name: spec.field, dataset: { field: spec.field },
    "aria-describedby": described(spec.id, spec.hint), required: spec.required ? "" : null };
  const value = spec.value ?? "";
  if (spec.type === "textarea") {
    return limitField(el("textarea", { ...attrs, rows: String(spec.rows || 3) }, String(value)), spec.limit);
  }
  if (spec.type === "select") {
    // "selected" as an attribute, so the page can tell a user's choice from the default.
    return el("select", attrs, ...spec.options.map(([v, label]) => el("option",
      { value: String(v), selected: String(v) === String(value) ? "" : null }, label)));
  }
  if (spec.type === "checkbox") return el("input", { ...attrs, type: "checkbox", checked: value ? "" : null });
  return limitField(el("input", { ...attrs, type: spec.type || "text", value: String(value), autocomplete: "off",
    inputmode: spec.inputmode || null }), spec.limit);
}

/**
 * A labelled control. spec: {id, field (the server's name), label, type (text, date,
 * datetime-local, number, textarea, select, checkbox), value, options [[value, label]],
 * hint, limit (the name of the server's bounds: a text's length, a number's range), rows,
 * required}.
 */
export function control(spec) {
  const box = input(spec);
  const hint = spec.hint ? el("p", { class: "hint", id: `${spec.id}-hint` }, spec.hint) : null;
  const error = el("p", { class: "error field-error", id: `${spec.id}-error` });
  const label = el("label", { for: spec.id }, spec.label);
  if (spec.type === "checkbox") return el("div", { class: "field" }, el("div", { class: "check" }, box, label), hint, error);
  return el("div", { class: "field" }, label, box, hint, error);
}

/** Checkboxes for a list of keys; `name` is the server's field for the array. */
export function checkGroup({ id, name, legend, options, values = [] }) {
  return el("fieldset", { class: "fu-checks", id },
    el("legend", {}, legend),
    ...options.map(([v, label]) => el("div", { class: "check" },
      el("input", { type: "checkbox", id: `${id}-${v}`, name, value: v, checked: values.includes(v) ? "" : null }),
      el("label", { for: `${id}-${v}` }, label))));
}

export const checkedValues = (root, name) => [...root.querySelectorAll(`input[name="${name}"]:checked`)].map((i) => i.value);

/** The value of the control for a server field, trimmed when it is text. */
export function valueOf(root, field) {
  const box = root.querySelector(`[data-field="${field}"]`);
  if (!box) return "";
  if (box.type === "checkbox") return box.checked;
  return box.tagName === "TEXTAREA" || box.type === "text" ? box.value.trim() : box.value;
}

/**
 * A form: controls (in a fieldset with a legend when given), a place for its error and its
 * buttons. onSubmit(form) runs instead of a page load.
 */
export function form({ id, legend, submit, onSubmit, buttons = [] }, ...children) {
  const body = legend ? [el("fieldset", { class: "fu-fieldset" }, el("legend", {}, legend), ...children)] : children;
  const node = el("form", { id, class: "fu-form", novalidate: "" }, ...body,
    el("p", { class: "error fu-form-error", id: `${id}-error`, role: "alert", tabindex: "-1" }),
    el("div", { class: "fu-buttons" }, el("button", { type: "submit", class: "btn btn-primary" }, submit), ...buttons));
  node.addEventListener("submit", (e) => { e.preventDefault(); onSubmit(node); });
  return node;
}

/** A form folded away behind its summary, e.g. a second measure after the first. */
export const folded = (summary, node) => el("details", { class: "fu-more" }, el("summary", {}, summary), node);

export function clearErrors(node) {
  for (const p of node.querySelectorAll(".field-error, .fu-form-error")) p.textContent = "";
  for (const n of node.querySelectorAll("[aria-invalid]")) n.removeAttribute("aria-invalid");
}

/** The message above the buttons, each field's next to it; focus on the first wrong field. */
export function showErrors(node, message, fields = {}) {
  let first = null;
  for (const [field, text] of Object.entries(fields || {})) {
    const box = node.querySelector(`[data-field="${field}"]`);
    if (!box) continue;
    box.setAttribute("aria-invalid", "true");
    box.closest("details")?.setAttribute("open", "");
    const error = node.querySelector(`#${box.id}-error`);
    if (error) error.textContent = text;
    first = first || box;
  }
  const summary = node.querySelector(".fu-form-error");
  summary.textContent = message;
  (first || summary).focus();
}

/* ---------- keeping what was typed when a part is drawn again ---------- */
const isToggle = (box) => box.type === "checkbox" || box.type === "radio";

function changed(box) {
  if (isToggle(box)) return box.checked !== box.defaultChecked;
  if (box.tagName === "SELECT") return box.selectedIndex !== Math.max(0, [...box.options].findIndex((o) => o.defaultSelected));
  return box.value !== box.defaultValue;
}

/** The controls under root that the user changed (by id), except those inside `except`. */
export function typedValues(root, except = null) {
  const kept = new Map();
  for (const box of root.querySelectorAll("input[id], select[id], textarea[id]")) {
    if (except?.contains(box) || !changed(box)) continue;
    kept.set(box.id, isToggle(box) ? box.checked : box.value);
  }
  return kept;
}

/** Put typed values back; each control says "change" so its form follows (shown fields, defaults). */
export function restoreValues(root, kept) {
  for (const [id, value] of kept) {
    const box = root.querySelector(`#${CSS.escape(id)}`);
    if (!box) continue;
    if (isToggle(box)) box.checked = value;
    else box.value = value;
    box.closest("details")?.setAttribute("open", "");
    box.dispatchEvent(new Event("change", { bubbles: true }));
  }
}
