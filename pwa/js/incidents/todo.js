// "Te doen" ("/te-doen"), the screen of managers and the coordinator: first the visits whose worker
// asks permission, then team-plan actions other teams put in their hands (their state is set
// here), then the reports they are responsible for (the coordinator: also what is
// late anywhere), grouped per report, the most urgent first, with a count; the first few, the
// rest behind "meer". Order, grouping and due dates are the server's; this only draws them.
// Each open point links to its part of the report ("/gir/17/politie"). Live data: refreshed on
// follow-up, incident and permission events and every few minutes while in view, never
// stored on the device. Loaded on first use.
import { t, getLang } from "../i18n.js";
import { get, serverNow } from "../api.js";
import * as conn from "../connection.js";
import { $, el } from "../dom.js";
import { openOverrideRequest } from "../visits/requests.js";
import { can } from "../capabilities.js";
import { paths } from "../routes.js";
import { formatMoment } from "./gir-fields.js";
import { planItem } from "../learning/plan-item.js";

const TICK_MS = 60000;        // due texts ("over 3 uur") are drawn again every minute
const RELOAD_EVERY = 3;       // ... and the list is fetched again every third minute
const SOON_MS = 4 * 3600000;  // closer than this: "over 3 uur" rather than a clock time
const HOUR_MS = 3600000;
const LIVE_TYPES = ["followup.", "incident.", "visit.override_"];

let active = false;
let bound = false;
let me = null;
let todo = { todo: [], count: 0, first: 0, plan_items: [] };
let requests = [];
let expanded = false;
let timer = null;
let ticks = 0;
let gen = 0;
let soon = null;

const locale = () => (getLang() === "en" ? "en-GB" : "nl-NL");
const clock = (d) => new Intl.DateTimeFormat(locale(), { hour: "2-digit", minute: "2-digit", hour12: false }).format(d);
const dayKey = (d) => d.toDateString();

/** "TE LAAT", "over 45 minuten", "over 3 uur", "vandaag 23:59", "morgen 23:59" or a date. */
function dueText(due, overdue, now = serverNow()) {
  const at = new Date(due);
  const left = at.getTime() - now;
  if (overdue || left <= 0) return t("todo.late");
  if (left < HOUR_MS) return t("todo.minutes", { n: Math.max(1, Math.floor(left / 60000)) });
  if (left < SOON_MS) return t("todo.hours", { n: Math.floor(left / HOUR_MS) });
  const tomorrow = new Date(now + 24 * HOUR_MS);
  if (dayKey(at) === dayKey(new Date(now))) return t("todo.today", { time: clock(at) });
  if (dayKey(at) === dayKey(tomorrow)) return t("todo.tomorrow", { time: clock(at) });
  return t("todo.on", { when: formatMoment(at.toISOString()) });
}

const isLate = (item) => item.overdue || (Boolean(item.due_at) && Date.parse(item.due_at) <= serverNow());

function itemRow(incidentId, item) {
  const late = isLate(item);
  return el("li", { class: `todo-task${late ? " is-late" : ""}${item.urgent ? " is-urgent" : ""}`, dataset: { kind: item.kind } },
    el("a", { class: "todo-task-link", href: paths.gir(incidentId, item.section) },
      late || item.urgent ? el("span", { class: "todo-mark", "aria-hidden": "true" }, "⚠ ") : null,
      item.label,
      item.due_at ? el("span", { class: "todo-due" }, ` — ${dueText(item.due_at, item.overdue)}`) : null));
}

function entryRow(entry) {
  const s = entry.incident;
  const someoneElse = entry.responsible && entry.responsible.id !== me?.id;
  return el("li", { class: `todo-entry${entry.urgent ? " is-urgent" : ""}`, dataset: { id: String(s.id) } },
    el("h3", { class: "todo-entry-title" },
      el("a", { class: "todo-open", href: paths.gir(s.id) },
        entry.urgent ? el("span", { class: "urgent-label" }, t("todo.urgent")) : null, entry.urgent ? " " : null,
        el("span", { class: "gir-number" }, s.number), ` · ${s.victim?.name || ""} · `,
        el("time", { datetime: s.occurred_at }, formatMoment(s.occurred_at))),
      " ", el("span", { class: "todo-count" }, t("todo.items", { n: entry.count }))),
    someoneElse ? el("p", { class: "hint todo-responsible" }, t("todo.responsible", { name: entry.responsible.name })) : null,
    el("ul", { class: "todo-tasks" }, ...entry.items.map((item) => itemRow(s.id, item))));
}

/* ---------- visits waiting for permission (the visits module decides them) ---------- */
function requestRow(r) {
  const v = r.visit || {};
  const what = [v.worker?.name || r.requested_by?.name, v.address, formatMoment(r.requested_at)].filter(Boolean).join(" · ");
  return el("li", { class: "todo-request", dataset: { visitId: String(v.id) } },
    el("button", { type: "button", class: "btn btn-secondary todo-request-open", dataset: { visit: String(v.id) } }, what),
    r.reason ? el("p", { class: "hint" }, t("todo.request.reason", { reason: r.reason })) : null);
}

function renderRequests() {
  $("todo-requests").hidden = requests.length === 0;
  $("todo-request-list").replaceChildren(...requests.map(requestRow));
}

/* ---------- team-plan actions put in my hands from outside my team ---------- */
function renderPlan(message = "") {
  const items = todo.plan_items || [];
  $("todo-plan").hidden = items.length === 0;
  $("todo-plan-list").replaceChildren(...items.map((item) => planItem(item, { showTeam: true, inMyHands: true,
    onChanged: (changed, said) => planChanged(changed, said) })));
  $("todo-plan-status").textContent = message;
}

/** The server's new version of an item in place; done ones leave the list at the next load. */
function planChanged(changed, message) {
  todo.plan_items = (todo.plan_items || []).map((item) => (item.id === changed.id ? changed : item));
  renderPlan(message);
  (document.getElementById(`plan-item-${changed.id}`) || $("todo-plan-heading")).focus();
}

function render() {
  if (!active) return;
  renderRequests();
  const entries = todo.todo;
  const first = todo.first || entries.length;
  const shown = expanded ? entries : entries.slice(0, first);
  const summary = entries.length === 1 ? "todo.summary.one" : "todo.summary";
  $("todo-summary").textContent = entries.length ? t(summary, { n: todo.count, incidents: entries.length }) : "";
  $("todo-list").replaceChildren(...shown.map(entryRow));
  $("todo-empty").hidden = entries.length > 0 || requests.length > 0 || (todo.plan_items || []).length > 0;
  const more = $("todo-more");
  more.hidden = entries.length <= first;
  more.setAttribute("aria-expanded", String(expanded));
  more.textContent = expanded ? t("todo.less") : t("todo.more", { n: entries.length - first });
}

async function loadRequests() {
  try {
    requests = (await get("/api/visits/override-requests"))?.requests || [];
  } catch (err) {
    if (err.status !== 401) requests = [];  // 403/404 (not built yet): no group at all
  }
}

async function load() {
  const mine = ++gen;
  try {
    const [data] = await Promise.all([get("/api/followup/todo"), loadRequests()]);
    if (mine !== gen || !active) return;
    conn.setReachable(true);
    todo = data || todo;
    $("todo-error").textContent = "";
    renderPlan();  // only with a new answer: a minute's tick must not undo a state being chosen
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
  if (!active || document.visibilityState !== "visible" || $("todo-screen").hidden) return;
  ticks += 1;
  if (ticks % RELOAD_EVERY === 0) load();
  else render();
}

function onEvent(ev, { live = true } = {}) {
  const type = ev?.type || "";
  if (active && live && LIVE_TYPES.some((prefix) => type.startsWith(prefix))) loadSoon();
}

function toggleMore() {
  expanded = !expanded;
  const before = todo.first;
  render();
  // Opening the rest: on to the first of them; closing: the button stays where it was.
  if (expanded) $("todo-list").children[before]?.querySelector("a")?.focus();
}

function bind() {
  if (bound) return;
  bound = true;
  $("todo-more").addEventListener("click", toggleMore);
  $("todo-request-list").addEventListener("click", (e) => {
    const button = e.target.closest("button[data-visit]");
    if (button) openOverrideRequest(Number(button.dataset.visit));
  });
  conn.onEvent(onEvent);
  conn.onReady(() => { if (active) load(); });
  document.addEventListener("visibilitychange", () => { if (active && document.visibilityState === "visible") load(); });
}

function configure(profile) {
  me = profile;
}

/** The route: the list, fetched again each time (what was done elsewhere shows at once). */
function enter() {
  if (!can(me, "followup")) return false;
  bind();
  if (!active) {
    active = true;
    ticks = 0;
    expanded = false;
    timer = setInterval(tick, TICK_MS);
  }
  load();
  return true;
}

function stop() {
  active = false;
  gen += 1;
  clearInterval(timer);
  clearTimeout(soon);
  todo = { todo: [], count: 0, first: 0, plan_items: [] };
  requests = [];
  $("todo-list").replaceChildren();
  $("todo-plan-list").replaceChildren();
  $("todo-plan").hidden = true;
  $("todo-request-list").replaceChildren();
  $("todo-requests").hidden = true;
  $("todo-summary").textContent = "";
  $("todo-more").hidden = true;
  $("todo-error").textContent = "";
}

// Left, it keeps its list (refreshed on events) for a quick way back.
export const screen = { configure, enter, leave: () => {}, refreshTexts: () => { renderPlan(); render(); }, stop };
