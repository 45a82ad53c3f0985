// The app's texts, one JSON file per language (pwa/i18n/<lang>.json), loaded on demand:
// Dutch, the default, is in the service worker's shell; English is fetched the first time it
// is chosen (and then cached). The app awaits loadLanguage() before it renders; index.html
// carries keys (data-i18n, data-i18n-label) and the server fills in the Dutch texts for the
// first paint. tests/api/test_i18n.py keeps the files' keys equal and every key used present.
export const LANGUAGES = ["nl", "en"];
const DEFAULT = "nl";
const KEY = "veldwacht.lang";
const texts = {}; // language -> its texts, once loaded
const listeners = new Set();
let lang = DEFAULT;
try {
  const saved = localStorage.getItem(KEY);
  if (LANGUAGES.includes(saved)) lang = saved;
} catch { /* storage unavailable */ }

/** A language's texts, fetched once. The URL is relative to this module, so it carries the
 * shell's versioned prefix (/v/<version>/) like every other file of the app. */
async function load(code) {
  if (!texts[code]) {
    const res = await fetch(new URL(`../i18n/${code}.json`, import.meta.url));
    if (!res.ok) throw new Error(`${code}.json: HTTP ${res.status}`);
    texts[code] = await res.json();
  }
  return texts[code];
}

/** The chosen language's texts, before the app renders. A language that cannot be had
 * (English never used, and offline) falls back to Dutch; the page keeps its stamped Dutch
 * texts if even that fails. */
export async function loadLanguage() {
  try {
    await load(lang);
  } catch {
    lang = DEFAULT;
    await load(DEFAULT).catch(() => {});
  }
}

export function getLang() {
  return lang;
}

function lookup(key) {
  return texts[lang]?.[key] ?? texts[DEFAULT]?.[key];
}

export function t(key, vars = {}) {
  const s = lookup(key) ?? key;
  return s.replace(/\{(\w+)\}/g, (_, k) => (k in vars ? String(vars[k]) : ""));
}

/** Translate every element carrying data-i18n="key" (its text) or data-i18n-label (its
 * aria-label) under root; a key without a loaded text keeps what the element has. */
export function applyTranslations(root = document) {
  document.documentElement.lang = lang;
  for (const el of root.querySelectorAll("[data-i18n]")) {
    const s = lookup(el.dataset.i18n);
    if (s !== undefined) el.textContent = s;
  }
  for (const el of root.querySelectorAll("[data-i18n-label]")) {
    const s = lookup(el.dataset.i18nLabel);
    if (s !== undefined) el.setAttribute("aria-label", s);
  }
}

/** At the start: the server stamped the page in the default language, so only another one
 * needs the page's texts redrawn (some six hundred elements, on a slow phone). */
export function translatePage() {
  if (lang === DEFAULT) document.documentElement.lang = lang;
  else applyTranslations();
}

/** Switch language once its texts are here; resolves true when switched, false when the
 * language could not be loaded (offline, never used before): the app stays as it was. */
export async function setLang(next) {
  if (!LANGUAGES.includes(next) || next === lang) return next === lang;
  try {
    await load(next);
  } catch {
    return false;
  }
  lang = next;
  try { localStorage.setItem(KEY, lang); } catch { /* ignore */ }
  applyTranslations();
  for (const fn of listeners) fn(lang);
  return true;
}

export function onLangChange(fn) {
  listeners.add(fn);
}
