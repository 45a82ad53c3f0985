// What the register screen's parts share: the municipal calendar day, dates and moments in the
// chosen language, the server's labels, and form fields with their messages.
import { t, getLang } from "../i18n.js";
import { $, el } from "../dom.js";
import { knownLabel } from "../vocabulary.js";

/* ---------- dates ---------- */
// Measures run by the municipality's calendar day (as on the server), not the device's zone.
const MUNICIPAL_DAY = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Amsterdam" });
/** Today in the Netherlands as YYYY-MM-DD. */
export function todayIso(d = new Date()) {
  return MUNICIPAL_DAY.format(d);
}

export function formatDate(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
  if (!m) return iso || "";
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const locale = getLang() === "en" ? "en-GB" : "nl-NL";
  return new Intl.DateTimeFormat(locale, { day: "numeric", month: "short", year: "numeric" }).format(d);
}

export function formatMoment(iso) {
  const d = iso ? new Date(iso) : null;
  if (!d || Number.isNaN(d.getTime())) return iso || "";
  const locale = getLang() === "en" ? "en-GB" : "nl-NL";
  return new Intl.DateTimeFormat(locale, { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", hour12: false }).format(d);
}

export const dateEl = (iso, cls) => el("time", { class: cls, datetime: iso }, formatDate(iso));

/* ---------- labels: the server's vocabulary (GET /api/vocabulary) ---------- */
export function kindLabel(kind, fallback = "") {
  return knownLabel("air_measures", kind, fallback || kind);
}

export function behaviourLabel(type) {
  return knownLabel("behaviour_types", type);
}

/* ---------- fields and their messages ---------- */
export function field(id, labelKey, control, errorId, hintKey = null) {
  return el("div", { class: "field" }, el("label", { for: id }, t(labelKey)), control,
    hintKey ? el("p", { class: "hint", id: `${id}-hint` }, t(hintKey)) : null,
    el("p", { class: "error field-error", id: errorId }));
}

/** Empty a form's messages and its invalid marks. */
export function clearErrors(form, summaryEl) {
  summaryEl.textContent = "";
  for (const p of form.querySelectorAll(".field-error")) p.textContent = "";
  for (const n of form.querySelectorAll("[aria-invalid]")) n.removeAttribute("aria-invalid");
}

/** Show a summary and per-field messages; the first wrong input gets focus. */
export function showFieldErrors(summaryEl, summary, fields, inputFor) {
  summaryEl.textContent = summary;
  let first = null;
  const rest = [];
  for (const [name, message] of Object.entries(fields || {})) {
    const input = inputFor(name);
    if (!input) { rest.push(message); continue; }
    input.setAttribute("aria-invalid", "true");
    const p = $(`${input.id}-error`);
    if (p) p.textContent = message;
    first = first || input;
  }
  if (rest.length) summaryEl.textContent = `${summary} ${rest.join(" ")}`;
  first?.focus();
}
