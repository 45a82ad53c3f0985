// The register's vocabulary and fields in one place: the detail view, the completion form,
// the history and the "unsaved changes" list all label, show and convert a field the same way.
// Form values are what the inputs hold (strings, a yes/no answer's code, sorted arrays);
// server values are what the API sends and takes. The annex-8 questions, their parts, the
// yes/no answers and the seven W's are the server's (services/incidents/form.py, published in
// GET /api/vocabulary): a question added there is asked here with no change to this file.
import { t, getLang } from "../i18n.js";
import { codes, entries, label, limit } from "../vocabulary.js";

/** §9's seven W's, in order, and their names. */
export const sevenWs = () => codes("seven_ws");
export const wLabel = (w) => label("seven_ws", w);

/** A yes/no question's answers: {code, label, value} with value true, false or null. */
export const yesNoAnswers = () => entries("yes_no_answers");
const answerFor = (value) => yesNoAnswers().find((a) => a.value === (value ?? null));
/** "Ja", "Nee" or "Onbekend" for true, false or null. */
export const answerLabel = (value) => answerFor(value)?.label ?? "";

const locale = () => (getLang() === "en" ? "en-GB" : "nl-NL");

/** The translation of prefix.value, or the value itself for anything the app does not know. */
function textOf(prefix, value) {
  const key = `${prefix}.${value}`;
  const s = t(key);
  return s === key ? String(value ?? "") : s;
}

// The vocabulary's codes and labels are the server's (GET /api/vocabulary), read when used.
export const behaviourLabel = (v) => label("behaviour_types", v);
export const kindLabel = (v) => label("kinds", v);
export const channelLabel = (v) => label("channels", v);
export const statusLabel = (v) => label("statuses", v);
const seriousLabel = (v) => label("serious_criteria", v);
/** An annex-8 question's label is the server's; the report's own fields are the app's texts. */
export const fieldLabel = (path) => fieldOf(path)?.label ?? textOf("gir.f", path);

/** A choice among one of the vocabulary's lists; `select` or `checks`. */
const among = (type, list, optionLabel, extra = {}) => ({ type, get options() { return codes(list); }, optionLabel, ...extra });
/** A text at most as long as the server's limit `name` allows. */
const limitedText = (name, type = "text") => ({ type, get max() { return limit(name)?.max; } });

/** The kinds' labels, after "combinatie: " for more than one. */
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
// type: text | long | select | checks | yesno | datetime | date | euro.
// The report's own fields; the annex-8 questions ("form.…") follow from the vocabulary.
const OWN = {
  behaviour_type: among("select", "behaviour_types", behaviourLabel),
  kinds: among("checks", "kinds", kindLabel, { hint: "gir.f.kinds.hint" }),
  channel: among("select", "channels", channelLabel),
  occurred_at: { type: "datetime" },
  location: limitedText("incident_short_text"),
  description: limitedText("incident_description", "long"),
  serious_criteria: among("checks", "serious_criteria", seriousLabel),
  "aggressor.name": limitedText("incident_short_text"),
  "aggressor.address": limitedText("incident_short_text"),
  "aggressor.client_ref": limitedText("client_ref"),
  status: among("select", "statuses", statusLabel),
};

export const AGGRESSOR_PATHS = Object.keys(OWN).filter((p) => p.startsWith("aggressor."));

// A question's kind (services/incidents/form.py) -> the input that answers it.
const INPUT_OF_KIND = { yes_no: "yesno", text: "long", amount: "euro", date: "date" };
// part: the form's part it is asked in; showWhen: the yes/no question whose "yes" asks it.
const question = (q) => ({ type: INPUT_OF_KIND[q.kind] || "long", max: q.max, label: q.label,
  part: q.part, showWhen: q.follow_up_of ? `form.${q.follow_up_of}` : undefined });

let questions = { from: null, fields: {} };  // the annex-8 questions of the vocabulary at hand

function formFields() {
  const list = entries("gir_questions");
  if (questions.from !== list) {
    questions = { from: list, fields: Object.fromEntries(list.map((q) => [`form.${q.code}`, question(q)])) };
  }
  return questions.fields;
}

/** The field at a path ("location", "form.injury", "aggressor.name"), or undefined. */
export const fieldOf = (path) => (path?.startsWith("form.") ? formFields()[path] : OWN[path]);

/** The annex-8 questions' paths, in the form's order; [] until the vocabulary is here. */
export const formPaths = () => Object.keys(formFields());

/** The form's parts in order, each {code, label, paths}. */
export function formParts() {
  const all = formPaths();
  return entries("gir_parts").map((p) => ({ ...p, paths: all.filter((path) => formFields()[path].part === p.code) }));
}

/** The server value at "form.injury" etc.; undefined when the object is absent (aggressor: null). */
export function valueAt(incident, path) {
  return path.split(".").reduce((obj, key) => (obj == null ? undefined : obj[key]), incident);
}

/** Server value -> form value. */
export function toInput(path, value) {
  const type = fieldOf(path).type;
  if (type === "yesno") return answerFor(value)?.code ?? "";
  if (type === "checks") return [...(value || [])].sort();
  if (type === "datetime") return localInput(value);
  if (type === "euro") return euroInput(value);
  return value === null || value === undefined ? "" : String(value);
}

/** Form value -> server value (NaN for an amount that is not one). */
export function fromInput(path, input) {
  const type = fieldOf(path).type;
  if (type === "yesno") return yesNoAnswers().find((a) => a.code === input)?.value ?? null;
  if (type === "datetime") return input ? withOffset(input) : null;
  if (type === "date") return input || null;
  if (type === "euro") return parseEuro(input);
  return input;
}

/** A field's message key when its form value cannot be sent, else null. */
export function inputProblem(path, input) {
  return fieldOf(path).type === "euro" && Number.isNaN(parseEuro(input)) ? "gir.edit.error.amount" : null;
}

/** A server value as text for reading. */
export function display(path, value) {
  const f = fieldOf(path);
  const empty = value === null || value === undefined || value === "" || (Array.isArray(value) && !value.length);
  if (empty) return f?.type === "yesno" ? answerLabel(null) : t("gir.answer.empty");
  if (!f) return Array.isArray(value) ? value.join(", ") : String(value);
  if (f.type === "yesno") return answerLabel(value);
  if (f.type === "checks") return value.map(f.optionLabel).join(", ");
  if (f.type === "select") return f.optionLabel(value);
  if (f.type === "datetime") return formatMoment(value);
  if (f.type === "date") return formatDay(value);
  if (f.type === "euro") return formatEuro(value);
  return String(value);
}

/** Whether a follow-up field is in play for these form values: its question answered "yes". */
export function shown(path, values) {
  const when = fieldOf(path)?.showWhen;
  return !when || fromInput(when, values[when]) === true;
}
