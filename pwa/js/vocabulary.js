// The server's words and rules (GET /api/vocabulary): incident kinds, channels, behaviour
// types with their examples, statuses, measures, police steps, outcomes, function groups, and
// constants such as the allowed clock skew and the longest texts. Screens render their options
// from it and keep no list of their own (tests/api/test_vocabulary.py scans pwa/ for restated
// codes). One answer per language; the service worker keeps the last one for an offline start.
import { getLang, onLangChange } from "./i18n.js";

const answers = {};  // language -> promise of its vocabulary
const listeners = new Set();
let current = null;  // the vocabulary in the chosen language, once here

async function fetchVocabulary(lang) {
  const res = await fetch(`/api/vocabulary?lang=${encodeURIComponent(lang)}`, {
    credentials: "same-origin", headers: { Accept: "application/json" }, cache: "no-cache" });
  if (!res.ok) throw new Error(`vocabulary: HTTP ${res.status}`);
  return res.json();
}

/** The vocabulary in the chosen language: fetched once per language, again after a failure. */
export function ready() {
  const lang = getLang();
  if (!answers[lang]) {
    answers[lang] = fetchVocabulary(lang).then((answer) => {
      if (lang === getLang()) {
        current = answer;
        for (const fn of listeners) fn(answer);
      }
      return answer;
    }, (err) => {
      delete answers[lang];
      throw err;
    });
  }
  return answers[lang];
}

/** Called with the vocabulary whenever a (new) one is here: after the start, a new language. */
export function onVocabulary(fn) {
  listeners.add(fn);
}

onLangChange(() => { ready().catch(() => {}); });

/** The entries ({code, label, …}) of one list, e.g. "kinds"; [] until the vocabulary is here. */
export const entries = (list) => current?.[list] || [];

export const codes = (list) => entries(list).map((e) => e.code);

export const entry = (list, code) => entries(list).find((e) => e.code === code);

/** The label of a code, or the code itself for one the app does not know (yet). */
export const label = (list, code) => entry(list, code)?.label ?? String(code ?? "");

/** The label of a code the vocabulary knows, else `fallback`. */
export const knownLabel = (list, code, fallback = "") => (entry(list, code) ? label(list, code) : fallback);

/** A word or constant that is not a list: "combination", "no_measure", "constants". */
export const word = (name) => current?.[name];

export const constant = (name) => current?.constants?.[name];

/** A field's bounds as the server takes them ({min, max}: a text's length, a number's range),
 * or null until the vocabulary is here (which sends them as [min, max]). */
export function limit(name) {
  const bounds = current?.limits?.[name];
  return bounds ? { min: bounds[0], max: bounds[1] } : null;
}

/** A whole number within limit `name` (true until the vocabulary is here: the server decides). */
export function inRange(name, value) {
  const bounds = limit(name);
  return !bounds || (Number.isInteger(value) && value >= bounds.min && value <= bounds.max);
}

/** A text at least and at most as long as limit `name` allows (true until the vocabulary is here). */
export function fitsLength(name, text) {
  const bounds = limit(name);
  return !bounds || (text.length >= bounds.min && text.length <= bounds.max);
}

/** A field with the server's bounds for limit `name`: a number's range, a text's length. */
export function limitField(field, name = field.dataset.limit) {
  const bounds = limit(name);
  if (!bounds) return field;
  if (field.type === "number") {
    field.min = String(bounds.min);
    field.max = String(bounds.max);
  } else {
    field.maxLength = bounds.max;
    if (bounds.min > 1) field.minLength = bounds.min;  // 1 is "required", which says it better
  }
  return field;
}

/** Every field under root that names a limit (data-limit) gets the server's bounds. */
export function applyLimits(root = document) {
  for (const field of root.querySelectorAll("[data-limit]")) limitField(field);
}

onVocabulary(() => applyLimits());
