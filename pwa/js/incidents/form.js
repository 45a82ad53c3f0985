// The capture form (#incident-form): read it into the API's payload, fill it from one,
// check it as the server does (the server stays the authority), and show errors per field.
import { t } from "../i18n.js";
import { $ } from "../dom.js";
import { serverNow } from "../api.js";
import { constant, limit } from "../vocabulary.js";

// The server's limits and clock rules (GET /api/vocabulary); until they are here, no limit.
const maxDescription = () => limit("incident_description")?.max ?? Infinity;
const maxShort = () => limit("incident_short_text")?.max ?? Infinity;
const DAY_MS = 24 * 60 * 60 * 1000;
// Control characters other than tab and newlines: the server refuses them.
// eslint-disable-next-line no-control-regex -- matching them is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
// As the server: a phone clock may run a little ahead; older reports go through the coordinator.
const futureSlackMs = () => (constant("clock_skew_seconds") ?? 0) * 1000;
const oldestMs = () => (constant("oldest_days") ?? Infinity) * DAY_MS;

/** Where each payload field is shown: a group (fieldset) or an input; errors go to `${id}-error`. */
const TARGETS = {
  behaviour_type: "incident-type", kinds: "incident-kinds", channel: "incident-channel",
  occurred_at: "incident-when", location: "incident-location", description: "incident-description",
  "aggressor.name": "incident-aggressor-name", "aggressor.address": "incident-aggressor-address",
};

const form = () => $("incident-form");
const checked = (name) => [...form().querySelectorAll(`input[name="${name}"]:checked`)].map((i) => i.value);

const pad = (n) => String(n).padStart(2, "0");

/** A moment as the value of a datetime-local input, in this phone's time zone. */
export function localInputValue(date) {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
    + `T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** "2026-11-25T09:12" (local) -> "2026-11-25T09:12:00+01:00": the server wants the offset. */
export function withOffset(value) {
  const date = new Date(value);
  if (!value || Number.isNaN(date.getTime())) return null;
  const minutes = -date.getTimezoneOffset();
  const sign = minutes >= 0 ? "+" : "-";
  const abs = Math.abs(minutes);
  const seconds = value.length === 16 ? ":00" : "";
  return `${value}${seconds}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** The form as the POST /api/incidents payload (without client_id and links). */
export function read() {
  const text = (id) => $(id).value.trim();
  const aggressor = { name: text("incident-aggressor-name"), address: text("incident-aggressor-address") };
  return {
    behaviour_type: checked("incident-type")[0] || null,
    kinds: checked("incident-kind"),
    channel: checked("incident-channel")[0] || null,
    occurred_at: withOffset($("incident-when").value),
    location: text("incident-location"),
    description: text("incident-description"),
    aggressor: aggressor.name || aggressor.address ? aggressor : null,
  };
}

let filled = {}; // the payload last put on the form: its choices wait for the vocabulary

function tickChoices(payload) {
  for (const input of form().querySelectorAll("input[type=radio], input[type=checkbox]")) {
    const value = { "incident-type": payload.behaviour_type, "incident-channel": payload.channel }[input.name];
    input.checked = input.name === "incident-kind" ? (payload.kinds || []).includes(input.value) : value === input.value;
  }
}

/** Draw the choices anew (`draw`: from the vocabulary), keeping what is ticked; before the
 * first drawing, what the form was filled with. */
export function redrawChoices(draw) {
  const drawn = form().querySelector('input[name="incident-type"]');
  const ticked = drawn ? read() : filled;
  draw();
  tickChoices(ticked);
}

/** Fill the form from a payload (a prefill or a stored report); the rest is emptied. */
export function fill(payload) {
  filled = payload;
  form().reset();
  tickChoices(payload);
  // The server's "now" (a phone's clock may run ahead): what it will accept as not future.
  const now = new Date(serverNow());
  const when = payload.occurred_at ? new Date(payload.occurred_at) : now;
  $("incident-when").value = localInputValue(Number.isNaN(when.getTime()) ? now : when);
  $("incident-when").max = localInputValue(now);
  $("incident-location").value = payload.location || "";
  $("incident-description").value = payload.description || "";
  $("incident-aggressor-name").value = payload.aggressor?.name || "";
  $("incident-aggressor-address").value = payload.aggressor?.address || "";
  $("incident-aggressor").open = !!(payload.aggressor?.name || payload.aggressor?.address);
  updateCount();
}

export function updateCount() {
  const max = limit("incident_description")?.max;
  $("incident-description-count").textContent = max ? t("incident.count", {
    n: $("incident-description").value.length, max }) : "";
}

/** The same checks as the server, with a Dutch message per field; {} when all is well. */
export function validate(p) {
  const fields = {};
  const tooLong = (value, max) => value.length > max || CONTROL.test(value);
  if (!p.behaviour_type) fields.behaviour_type = t("incident.error.type");
  if (!p.kinds.length) fields.kinds = t("incident.error.kinds");
  if (!p.channel) fields.channel = t("incident.error.channel");
  const when = p.occurred_at ? Date.parse(p.occurred_at) : NaN;
  if (Number.isNaN(when)) fields.occurred_at = t("incident.error.when");
  else if (when > serverNow() + futureSlackMs()) fields.occurred_at = t("incident.error.future");
  else if (when < serverNow() - oldestMs()) fields.occurred_at = t("incident.error.old");
  if (tooLong(p.location, maxShort())) fields.location = t("incident.error.short", { max: maxShort() });
  if (!p.description) fields.description = t("incident.error.description");
  else if (tooLong(p.description, maxDescription())) fields.description = t("incident.error.long", { max: maxDescription() });
  for (const key of ["name", "address"]) {
    if (tooLong(p.aggressor?.[key] || "", maxShort())) fields[`aggressor.${key}`] = t("incident.error.short", { max: maxShort() });
  }
  return fields;
}

export function clearErrors() {
  $("incident-form-error").textContent = "";
  for (const p of form().querySelectorAll(".field-error")) p.textContent = "";
  for (const n of form().querySelectorAll("[aria-invalid]")) n.removeAttribute("aria-invalid");
}

/** Clear one field's error once the reporter changes it. */
export function clearFieldError(target) {
  const box = target.closest("fieldset") || target;
  box.removeAttribute("aria-invalid");
  const p = $(`${box.id}-error`);
  if (p) p.textContent = "";
}

/**
 * Show a summary and each field's message by its field; messages for fields without a place
 * here (alarm_id, visit_id, …) join the summary. Focus goes to the first wrong field.
 */
export function showErrors(summary, fields = {}) {
  const loose = [];
  let first = null;
  for (const [field, message] of Object.entries(fields)) {
    const box = $(TARGETS[field] || TARGETS[field.split(".")[0]] || "");
    if (!box) { loose.push(message); continue; }
    box.setAttribute("aria-invalid", "true");
    $(`${box.id}-error`).textContent = message;
    if (field.startsWith("aggressor.")) $("incident-aggressor").open = true;
    first = first || (box.tagName === "FIELDSET" ? box.querySelector("input") : box);
  }
  $("incident-form-error").textContent = [summary, ...loose].filter(Boolean).join(" ");
  (first || $("incident-form-error")).focus();
}
