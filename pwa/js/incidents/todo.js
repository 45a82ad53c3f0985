// "Te doen" on the home screen of managers and the coordinator: the reports they are
// responsible for with what is still open and when it is due, the most urgent first. Live
// data: refreshed on follow-up and incident events and every few minutes while in view,
// never stored on the device. Tapping a report opens it in the register.
import { t, getLang, onLangChange } from "../i18n.js";
import { get, serverNow } from "../api.js";
import * as conn from "../connection.js";
import { $, el } from "../dom.js";
import { formatMoment } from "./gir-fields.js";

const MANAGERS = new Set(["leidinggevende", "coordinator"]);
const TICK_MS = 60000;        // due texts ("over 3 uur") are drawn again every minute
const RELOAD_EVERY = 3;       // ... and the list is fetched again every third minute
const SOON_MS = 4 * 3600000;  // closer than this: "over 3 uur" rather than a clock time
const HOUR_MS = 3600000;

let active = false;
let bound = false;
let todo = [];
let timer = null;
let ticks = 0;
let gen = 0;
let soon = null;

const locale = () => (getLang() === "en" ? "en-GB" : "nl-NL");
const clock = (d) => new Intl.DateTimeFormat(locale(), { hour: "2-digit", minute: "2-digit", hour12: false }).format(d);
const dayKey = (d) => d.toDateString();

/** A date without a time (an action's due day) is due at the end of that day. */
const dueMoment = (due) => new Date(due);  // the server sends every due time as a moment

/** "TE LAAT", "over 45 minuten", "over 3 uur", "vandaag 23:59", "morgen 23:59" or a date. */
function dueText(due, now = serverNow()) {
  const at = dueMoment(due);
  const left = at.getTime() - now;
  if (left <= 0) return t("todo.late");
  if (left < HOUR_MS) return t("todo.minutes", { n: Math.max(1, Math.floor(left / 60000)) });
  if (left < SOON_MS) return t("todo.hours", { n: Math.floor(left / HOUR_MS) });
  const tomorrow = new Date(now + 24 * HOUR_MS);
  if (dayKey(at) === dayKey(new Date(now))) return t("todo.today", { time: clock(at) });
  if (dayKey(at) === dayKey(tomorrow)) return t("todo.tomorrow", { time: clock(at) });
  return t("todo.on", { when: formatMoment(at.toISOString()) });
}

const isLate = (item) => Boolean(item.due_at) && dueMoment(item.due_at).getTime() <= serverNow();

/** Late first, then urgent, then by due time; items without a time last. */
function ordered(items) {
  const rank = (i) => [isLate(i) ? 0 : 1, i.urgent ? 0 : 1, i.due_at ? dueMoment(i.due_at).getTime() : Infinity];
  return [...items].sort((a, b) => {
    const [x, y] = [rank(a), rank(b)];
    return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
  });
}

function itemRow(item) {
  const late = isLate(item);
  return el("li", { class: `todo-task${late ? " is-late" : ""}${item.urgent ? " is-urgent" : ""}`, dataset: { kind: item.kind } },
    late || item.urgent ? el("span", { class: "todo-mark", "aria-hidden": "true" }, "⚠ ") : null,
    item.label,
    item.due_at ? el("span", { class: "todo-due" }, ` — ${dueText(item.due_at)}`) : null);
}

function entryRow(entry) {
  const s = entry.incident;
  return el("li", { class: `todo-entry${entry.urgent ? " is-urgent" : ""}`, dataset: { id: String(s.id) } },
    el("button", { type: "button", class: "todo-open", dataset: { open: String(s.id) } },
      entry.urgent ? el("span", { class: "urgent-label" }, t("todo.urgent")) : null, entry.urgent ? " " : null,
      el("span", { class: "gir-number" }, s.number), ` · ${s.victim?.name || ""} · `,
      el("time", { datetime: s.occurred_at }, formatMoment(s.occurred_at))),
    el("ul", { class: "todo-tasks" }, ...ordered(entry.items).map(itemRow)));
}

function render() {
  if (!active) return;
  $("todo-list").replaceChildren(...todo.map(entryRow));
  $("todo-empty").hidden = todo.length > 0;
}

async function load() {
  const mine = ++gen;
  try {
    const data = await get("/api/followup/todo");
    if (mine !== gen || !active) return;
    conn.setReachable(true);
    todo = data?.todo || [];
    $("todo-error").textContent = "";
    render();
  } catch (err) {
    if (mine !== gen || !active || err.status === 401) return;
    if (err.isNetwork) conn.setReachable(false);
    $("todo-error").textContent = err.isNetwork ? t("todo.offline") : err.message || t("todo.failed");
  }
}

/** Several events in a row fetch once. */
function loadSoon() {
  clearTimeout(soon);
  soon = setTimeout(() => { if (active) load(); }, 300);
}

function tick() {
  if (!active || document.visibilityState !== "visible" || $("home-screen").hidden) return;
  ticks += 1;
  if (ticks % RELOAD_EVERY === 0) load();
  else render();
}

function onEvent(ev, { live = true } = {}) {
  const type = ev?.type || "";
  if (active && live && (type.startsWith("followup.") || type.startsWith("incident."))) loadSoon();
}

function bind() {
  if (bound) return;
  bound = true;
  $("todo-list").addEventListener("click", (e) => {
    const entry = e.target.closest("li.todo-entry");
    if (entry) window.dispatchEvent(new CustomEvent("veldwacht:open-incident", { detail: { id: Number(entry.dataset.id) } }));
  });
  conn.onEvent(onEvent);
  conn.onReady(() => { if (active) load(); });
  document.addEventListener("visibilitychange", () => { if (active && document.visibilityState === "visible") load(); });
  onLangChange(render);
}

/** After login or a profile refresh: the card for managers and the coordinator only. */
export function start(profile) {
  bind();
  const show = MANAGERS.has(profile?.role);
  $("todo-card").hidden = !show;
  if (!show) { stop(); return; }
  if (active) return;
  active = true;
  ticks = 0;
  timer = setInterval(tick, TICK_MS);
  load();
}

/** Back on the home screen: what was done elsewhere shows at once. */
export function refresh() {
  if (active) load();
}

export function stop() {
  active = false;
  gen += 1;
  clearInterval(timer);
  clearTimeout(soon);
  todo = [];
  $("todo-list").replaceChildren();
  $("todo-error").textContent = "";
  $("todo-card").hidden = true;
}
