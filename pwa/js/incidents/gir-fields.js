// The register's vocabulary and fields in one place: the detail view, the completion form,
// the history and the "unsaved changes" list all label, show and convert a field the same way.
// Form values are what the inputs hold (strings, "ja"/"nee"/"onbekend", sorted arrays);
// server values are what the API sends and takes.
import { t, getLang } from "../i18n.js";

export const BEHAVIOURS = ["A", "B", "C", "D", "E"];
export const KINDS = ["verbaal", "discriminatie", "intimidatie", "fysiek_zaak", "fysiek_persoon"];
export const CHANNELS = ["huisbezoek", "openbare_ruimte", "gemeentelijk_gebouw", "telefoon",
  "brief_email", "social_media", "doxing", "buiten_diensttijd"];
export const STATUSES = ["gemeld", "in_behandeling", "afgehandeld"];
const SERIOUS = ["overlijden", "ernstig_letsel", "ziekenhuisopname", "blijvende_schade"];
export const WS = ["wie", "wat", "waar", "wanneer", "op_welke_wijze", "waarom", "waarmee"];
export const ANSWERS = ["ja", "nee", "onbekend"];

const locale = () => (getLang() === "en" ? "en-GB" : "nl-NL");

/** The translation of prefix.value, or the value itself for anything the app does not know. */
function label(prefix, value) {
  const key = `${prefix}.${value}`;
  const s = t(key);
  return s === key ? String(value ?? "") : s;
}

// The vocabulary's labels are shared with quick capture.
export const behaviourLabel = (v) => label("incident.type", v);
export const kindLabel = (v) => label("incident.kind", v);
export const channelLabel = (v) => label("incident.channel", v);
export const statusLabel = (v) => label("gir.status", v);
const seriousLabel = (v) => label("gir.serious", v);
export const fieldLabel = (path) => label("gir.f", path);

/** "verbaal" or "combinatie: verbaal, intimidatie". */
export function kindsText(incident) {
  const kinds = (incident.kinds || []).map(kindLabel).join(", ");
  return incident.combination ? `${t("gir.combination")}: ${kinds}` : kinds;
}

/* ---------- dates and money ---------- */
export function formatMoment(iso) {
  const d = iso ? new Date(iso) : null;
  if (!d || Number.isNaN(d.getTime())) return iso || "";
  return new Intl.DateTimeFormat(locale(), { day: "numeric", month: "short", year: "numeric",
    hour: "2-digit", minute: "2-digit", hour12: false }).format(d);
}

export function formatDay(ymd) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd || "");
  if (!m) return ymd || "";
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Intl.DateTimeFormat(locale(), { day: "numeric", month: "short", year: "numeric" }).format(d);
}

const formatEuro = (cents) => new Intl.NumberFormat(locale(), { style: "currency", currency: "EUR" }).format(cents / 100);

const pad = (n) => String(n).padStart(2, "0");

/** ISO moment -> the value of a datetime-local input, in this device's time. */
export function localInput(iso) {
  const d = iso ? new Date(iso) : null;
  if (!d || Number.isNaN(d.getTime())) return "";
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A datetime-local value -> ISO with this device's offset (the server refuses a moment without a zone). */
export function withOffset(value) {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? "+" : "-";
  return `${value}:00${sign}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
}

/** "125,50" or "125.50" -> 12550; "" -> null; anything else -> NaN. */
function parseEuro(text) {
  const s = text.replace(/[\s€]/g, "");
  if (!s) return null;
  const m = /^(\d{1,9})(?:[.,](\d{1,2}))?$/.exec(s);
  return m ? Number(m[1]) * 100 + Number((m[2] || "0").padEnd(2, "0")) : NaN;
}

function euroInput(cents) {
  if (cents === null || cents === undefined) return "";
  const s = (cents / 100).toFixed(2);
  return getLang() === "en" ? s : s.replace(".", ",");
}

/* ---------- the fields ---------- */
const yesno = { type: "yesno" };
const long = (max, showWhen) => ({ type: "long", max, showWhen });

// type: text | long | select | checks | yesno | datetime | date | euro.
// showWhen: the yes/no question whose "ja" asks this follow-up (as services/incidents/form.py).
export const FIELDS = {
  behaviour_type: { type: "select", options: BEHAVIOURS, optionLabel: behaviourLabel },
  kinds: { type: "checks", options: KINDS, optionLabel: kindLabel, hint: "gir.f.kinds.hint" },
  channel: { type: "select", options: CHANNELS, optionLabel: channelLabel },
  occurred_at: { type: "datetime" },
  location: { type: "text", max: 200 },
  description: long(2000),
  serious_criteria: { type: "checks", options: SERIOUS, optionLabel: seriousLabel },
  "form.involved": long(500),
  "form.cause": long(2000),
  "form.course": long(2000),
  "form.injury": yesno,
  "form.injury_description": long(1000, "form.injury"),
  "form.damage_personal": yesno,
  "form.damage_personal_description": long(1000, "form.damage_personal"),
  "form.damage_employer": yesno,
  "form.damage_employer_description": long(1000, "form.damage_employer"),
  "form.damage_amount_cents": { type: "euro", showWhen: "form.damage_employer" },
  "form.damage_recovered": { type: "yesno", showWhen: "form.damage_employer" },
  "form.weapons": yesno,
  "form.weapons_description": long(1000, "form.weapons"),
  "form.police_report": yesno,
  "form.police_report_date": { type: "date", showWhen: "form.police_report" },
  "form.recidive": yesno,
  "form.contact_ban": yesno,
  "form.building_ban": yesno,
  "form.doctor_report": { type: "yesno", showWhen: "form.injury" },
  "form.further_action": yesno,
  "form.further_action_text": long(1000),  // which action, or why none: always asked
  "aggressor.name": { type: "text", max: 200 },
  "aggressor.address": { type: "text", max: 200 },
  "aggressor.client_ref": { type: "text", max: 200 },
  status: { type: "select", options: STATUSES, optionLabel: statusLabel },
};

export const FORM_PATHS = Object.keys(FIELDS).filter((p) => p.startsWith("form."));
export const AGGRESSOR_PATHS = Object.keys(FIELDS).filter((p) => p.startsWith("aggressor."));

/** The server value at "form.injury" etc.; undefined when the object is absent (aggressor: null). */
export function valueAt(incident, path) {
  return path.split(".").reduce((obj, key) => (obj == null ? undefined : obj[key]), incident);
}

/** Server value -> form value. */
export function toInput(path, value) {
  const type = FIELDS[path].type;
  if (type === "yesno") return value === true ? "ja" : value === false ? "nee" : "onbekend";
  if (type === "checks") return [...(value || [])].sort();
  if (type === "datetime") return localInput(value);
  if (type === "euro") return euroInput(value);
  return value === null || value === undefined ? "" : String(value);
}

/** Form value -> server value (NaN for an amount that is not one). */
export function fromInput(path, input) {
  const type = FIELDS[path].type;
  if (type === "yesno") return input === "ja" ? true : input === "nee" ? false : null;
  if (type === "datetime") return input ? withOffset(input) : null;
  if (type === "date") return input || null;
  if (type === "euro") return parseEuro(input);
  return input;
}

/** A field's message key when its form value cannot be sent, else null. */
export function inputProblem(path, input) {
  return FIELDS[path].type === "euro" && Number.isNaN(parseEuro(input)) ? "gir.edit.error.amount" : null;
}

/** A server value as text for reading. */
export function display(path, value) {
  const f = FIELDS[path];
  const empty = value === null || value === undefined || value === "" || (Array.isArray(value) && !value.length);
  if (empty) return f?.type === "yesno" ? t("gir.answer.onbekend") : t("gir.answer.empty");
  if (!f) return Array.isArray(value) ? value.join(", ") : String(value);
  if (f.type === "yesno") return t(`gir.answer.${toInput(path, value)}`);
  if (f.type === "checks") return value.map(f.optionLabel).join(", ");
  if (f.type === "select") return f.optionLabel(value);
  if (f.type === "datetime") return formatMoment(value);
  if (f.type === "date") return formatDay(value);
  if (f.type === "euro") return formatEuro(value);
  return String(value);
}

/** Whether a follow-up field is in play for these form values. */
export function shown(path, values) {
  const when = FIELDS[path].showWhen;
  return !when || values[when] === "ja";
}
