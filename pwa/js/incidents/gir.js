// The central incident register (GIR): a worker sees the reports they made or that are about
// them, a manager their teams' reports, the coordinator all (the server scopes every answer).
// Live data: fetched while the screen is open, refreshed on incident events, never cached on
// the device and dropped from the page when the screen closes. "/gir" is the list, "/gir/17" a
// report, "/gir/17/politie" a part of its follow-up. The list's filters are its URL's query
// ("/gir?from=2026-10-01&behaviour=D"), also those a report's figure drills down with, which
// have no field in the form: its department, function group, figure and value, the period of a
// figure over incidents of any time, and the figure's name for the note above the list.
// Loaded on first use.
import { t } from "../i18n.js";
import { get } from "../api.js";
import * as conn from "../connection.js";
import { $, el } from "../dom.js";
import { behaviourLabel, kindLabel, channelLabel, statusLabel, kindsText, formatMoment } from "./gir-fields.js";
import { codes, limit, onVocabulary, ready as vocabularyReady, word } from "../vocabulary.js";
import { render, seriousMark, statusMark } from "./gir-detail.js";
import { unsavedValues } from "./gir-form.js";
import * as followup from "./followup.js";
import { can } from "../capabilities.js";
import { paths } from "../routes.js";

const PAGE = 50;
const FILTERS = { from: "gir-filter-from", to: "gir-filter-to", team: "gir-filter-team",
  behaviour: "gir-filter-behaviour", kind: "gir-filter-kind", channel: "gir-filter-channel",
  status: "gir-filter-status", serious: "gir-filter-serious" };
// Filters only a report's drill-down sets (GET /api/incidents takes them as they are).
const DRILL = ["department", "function_group", "figure", "value", "period_from", "period_to"];

let me = null;
let nav = { go: () => {}, up: () => {} };
let open = false;
let view = "list";
let rows = [];
let total = 0;
let nextBefore = null;
let filters = {};
let drillLabel = "";     // the figure the list was opened from, for its note
let listPath = paths.gir();  // the list's URL as shown: a report's back button returns to it
let teams = [];
let incident = null;     // the report on the detail view
let lastOpened = null;   // its row gets focus back
let listGen = 0;         // a newer load makes an older answer void
let detailGen = 0;
let refreshTimer = null;
let bound = false;

const isManager = () => can(me, "team_incidents");
const say = (text) => { $("gir-status").textContent = text; };
const problemText = (err, fallback) => (err.isNetwork ? t("gir.offline") : err.message || t(fallback));

/* ---------- filters ---------- */
/** A filter's choices, keeping the one chosen; the first time they are here (the vocabulary,
 * the teams), the applied filter's (from the URL). */
function fillSelect(key, values, labelOf) {
  const select = $(FILTERS[key]);
  const keep = select.options.length > 1 ? select.value : filters[key] ?? "";
  select.replaceChildren(el("option", { value: "" }, t("gir.filter.all")),
    ...values.map((v) => el("option", { value: v }, labelOf(v))));
  select.value = keep;
}

function fillFilters() {
  const teamName = new Map(teams.map((team) => [String(team.id), team.name]));
  fillSelect("team", [...teamName.keys()], (id) => teamName.get(id));
  const combination = word("combination");
  fillSelect("behaviour", codes("behaviour_types"), behaviourLabel);
  fillSelect("kind", [...codes("kinds"), ...(combination ? [combination] : [])],
    (v) => (v === combination ? t("gir.combination.filter") : kindLabel(v)));
  fillSelect("channel", codes("channels"), channelLabel);
  fillSelect("status", codes("statuses"), statusLabel);
  fillSelect("serious", ["true", "false"], (v) => t(`gir.filter.serious.${v}`));
}

/** The filters in a list URL's query, and the name of the figure it drills down to. */
function fromQuery(params = {}) {
  const found = {};
  for (const key of [...Object.keys(FILTERS), ...DRILL]) if (params[key]) found[key] = String(params[key]);
  return { filters: found, label: params.label ? String(params.label) : "" };
}

const sameFilters = (next) => next.label === drillLabel
  && JSON.stringify(Object.entries(next.filters).sort()) === JSON.stringify(Object.entries(filters).sort());

/** Whether the list shows a report's figure (its filters, or its name from the report's link). */
const drilled = () => Boolean(drillLabel) || DRILL.some((key) => filters[key]);

/** The list's URL for the applied filters (and the drill's note). */
const filteredPath = () => paths.girList({ ...filters, label: drillLabel });

/** A report's figure the list shows: said above it until dismissed. */
function showDrill() {
  const on = drilled();
  $("gir-drill").hidden = !on;
  $("gir-drill-text").textContent = !on ? "" : drillLabel ? t("gir.drill.label", { label: drillLabel }) : t("gir.drill.plain");
}

/** Filters from the URL: the form shows them, the list and the export follow them. */
function setFilters({ filters: next, label }) {
  filters = next;
  drillLabel = label;
  for (const [key, id] of Object.entries(FILTERS)) $(id).value = filters[key] ?? "";
  showDrill();
  showExportLink();
}

/** Applied filters become the URL's, so that a reload or a step back keeps them; the list
 * follows them (once: the route that the URL now means is the list as it is). */
function showFiltered() {
  showDrill();
  showExportLink();
  listPath = filteredPath();
  nav.go(listPath, { replace: true });
  loadList();
}

/** The list's query string: the applied filters plus paging. */
function query(extra = {}) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...filters, ...extra })) if (v) params.set(k, v);
  return params.toString();
}

function showExportLink() {
  const q = query();
  $("gir-export").href = `/api/incidents/export.csv${q ? `?${q}` : ""}`;
}

function applyFilters(e) {
  e.preventDefault();
  const to = $(FILTERS.to);
  to.removeAttribute("aria-invalid");
  $("gir-filter-to-error").textContent = "";
  const next = Object.fromEntries(Object.entries(FILTERS).map(([key, id]) => [key, $(id).value]).filter(([, v]) => v));
  if (!isManager()) delete next.team;
  if (next.from && next.to && next.to < next.from) {
    to.setAttribute("aria-invalid", "true");
    $("gir-filter-to-error").textContent = t("gir.filter.error.order");
    to.focus();
    return;
  }
  // A report's figure stays until its note is dismissed or the filters are cleared.
  filters = { ...next, ...Object.fromEntries(DRILL.filter((key) => filters[key]).map((key) => [key, filters[key]])) };
  showFiltered();
}

/** Clearing the filters clears a report's drill-down too. */
function clearFilters() {
  $("gir-filters").reset();
  $("gir-filter-to-error").textContent = "";
  $(FILTERS.to).removeAttribute("aria-invalid");
  filters = {};
  drillLabel = "";
  showFiltered();
}

/** The note's button: the figure's filters go, the form's stay. */
function clearDrill() {
  filters = Object.fromEntries(Object.entries(filters).filter(([key]) => !DRILL.includes(key)));
  drillLabel = "";
  showFiltered();
  $("gir-list-heading").focus();
}

async function loadTeams() {
  if (!isManager()) return;
  try {
    teams = (await get("/api/teams"))?.teams || [];
    fillFilters();
  } catch { /* without teams the other filters still work */ }
}

/* ---------- list ---------- */
function row(s) {
  const victim = [s.victim?.name, s.team?.name].filter(Boolean).join(" — ");
  const c = s.completeness || {};
  return el("li", { class: `gir-row${s.serious ? " is-serious" : ""}`, dataset: { id: String(s.id) } },
    el("h3", { class: "gir-row-title" },
      el("button", { type: "button", class: "gir-row-open", dataset: { open: String(s.id) } },
        el("span", { class: "gir-number" }, s.number), " ",
        el("time", { datetime: s.occurred_at }, formatMoment(s.occurred_at)))),
    el("p", { class: "gir-marks" }, statusMark(s.status), s.serious ? seriousMark() : null,
      el("span", { class: "gir-complete" }, t("gir.completeness.short", { count: c.count ?? 0, of: c.of ?? 7 }))),
    el("p", { class: "gir-row-what" }, [behaviourLabel(s.behaviour_type), kindsText(s), channelLabel(s.channel), s.location].filter(Boolean).join(" · ")),
    victim ? el("p", { class: "gir-row-victim" }, victim) : null);
}

function renderList() {
  // A live refresh must not take the keyboard focus away from the row it was on.
  const focused = document.activeElement?.dataset?.open;
  $("gir-list").replaceChildren(...rows.map(row));
  $("gir-empty").hidden = rows.length > 0;
  $("gir-count").textContent = t("gir.count", { shown: rows.length, total });
  $("gir-more").hidden = !nextBefore;
  if (focused) $("gir-list").querySelector(`[data-open="${focused}"]`)?.focus();
}

/** First page (a refresh keeps as many rows as were loaded), or the next page with more. */
async function loadList({ more = false } = {}) {
  const mine = ++listGen;
  const most = limit("incidents_page")?.max ?? PAGE;  // the most rows the server gives at once
  const count = more ? PAGE : Math.min(most, Math.max(PAGE, rows.length));
  $("gir-loading").hidden = false;
  $("gir-more").disabled = true;
  try {
    const data = await get(`/api/incidents?${query({ limit: count, before: more ? nextBefore : null })}`);
    if (mine !== listGen || !open) return;
    conn.setReachable(true);
    $("gir-error").textContent = "";
    const shownBefore = rows.length;
    rows = more ? [...rows, ...(data?.incidents || [])] : data?.incidents || [];
    total = data?.total ?? rows.length;
    nextBefore = data?.next_before ?? null;
    renderList();
    if (more) $("gir-list").children[shownBefore]?.querySelector("button")?.focus();
  } catch (err) {
    if (err.status === 401 || mine !== listGen || !open) return;
    if (err.isNetwork) conn.setReachable(false);
    $("gir-error").textContent = problemText(err, "gir.load.failed");
  } finally {
    if (mine === listGen) { $("gir-loading").hidden = true; $("gir-more").disabled = false; }
  }
}

function refreshSoon() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => { if (open) loadList(); }, 300);
}

/* ---------- detail ---------- */
function showView() {
  $("gir-list-view").hidden = view !== "list";
  $("gir-detail-view").hidden = view !== "detail";
  const button = $("gir-back");
  button.dataset.i18n = view === "detail" ? "gir.back.list" : "visit.back";
  button.textContent = t(button.dataset.i18n);
}

function showDetail(next, opts = {}) {
  incident = next;
  rows = rows.map((r) => (r.id === next.id ? next : r));
  // Drawing the detail again moves the follow-up section: whoever was typing keeps the focus.
  const active = document.activeElement;
  const section = isManager() ? followup.section(next, { me, onIncidentChanged: reloadIncident }) : null;
  render($("gir-detail"), next, { ...opts, coordinator: can(me, "all_incidents"), onUpdated: updated, say, followup: section });
  if (document.contains(active)) active.focus();
  else if (active?.id) $(active.id)?.focus();
}

/** A follow-up action changed the report (history, version): show the newest, keep unsaved edits. */
async function reloadIncident() {
  const mine = detailGen;
  const id = incident?.id;
  if (!id) return;
  try {
    const data = await get(`/api/incidents/${encodeURIComponent(id)}`);
    if (mine !== detailGen || !open || incident?.id !== id) return;
    const pending = unsavedValues(incident);
    showDetail(data.incident, { pending: Object.keys(pending).length ? pending : null });
  } catch { /* the form still holds the old version: saving it says so (409) */ }
}

/** After a save (message) or a 409 (pending values, conflict). */
function updated(next, { message = "", pending = null, conflict = false } = {}) {
  showDetail(next, { pending, conflict });
  say(message);
  (conflict ? $("gir-conflict") : $("gir-detail-heading")).focus();
}

async function openDetail(id, part = null) {
  const mine = ++detailGen;
  view = "detail";
  lastOpened = id;
  incident = null;
  followup.stop();
  showView();
  say("");
  $("gir-error").textContent = "";
  $("gir-detail").replaceChildren();
  $("gir-detail-loading").hidden = false;
  try {
    const data = await get(`/api/incidents/${encodeURIComponent(id)}`);
    if (mine !== detailGen || !open) return;
    conn.setReachable(true);
    showDetail(data.incident);
    $("gir-detail-heading").focus();
    if (part) followup.goTo(part);  // once the follow-up is drawn, its part takes the focus
  } catch (err) {
    if (err.status === 401 || mine !== detailGen || !open) return;
    if (err.isNetwork) conn.setReachable(false);
    $("gir-error").textContent = problemText(err, "gir.detail.failed");
  } finally {
    if (mine === detailGen) $("gir-detail-loading").hidden = true;
  }
}

function showList() {
  detailGen += 1;
  view = "list";
  incident = null;
  followup.stop();
  $("gir-detail").replaceChildren();
  showView();
  renderList();
  const button = $("gir-list").querySelector(`[data-open="${lastOpened}"]`);
  (button || $("gir-list-heading")).focus();
}

const hasUnsaved = () => incident && Object.keys(unsavedValues(incident)).length > 0;

/** Leaving a report with unsaved edits asks first (its back button, the phone's, a tab);
 * moving within it (a part of its follow-up) does not. */
function canLeave(path) {
  const within = incident && (path === paths.gir(incident.id) || path.startsWith(`${paths.gir(incident.id)}/`));
  return within || !hasUnsaved() || window.confirm(t("gir.edit.discard"));
}

function back() {
  nav.up(view === "detail" ? listPath : paths.home());
}

/* ---------- screen ---------- */
function setupForRole() {
  $("gir-intro").textContent = t(can(me, "all_incidents") ? "gir.intro.all" : isManager() ? "gir.intro.team" : "gir.intro.mine");
  $("gir-filter-team-field").hidden = !isManager();
  $("gir-export-box").hidden = !isManager();
}

function clearPage() {
  rows = [];
  total = 0;
  nextBefore = null;
  incident = null;
  view = "list";
  $("gir-list").replaceChildren();
  $("gir-detail").replaceChildren();
  $("gir-count").textContent = "";
  $("gir-empty").hidden = true;
  $("gir-more").hidden = true;
  $("gir-error").textContent = "";
  say("");
  showView();
}

function openScreen(wanted) {
  open = true;
  clearPage();
  setupForRole();
  setFilters(wanted);
  fillFilters();
  // At a desk the filters are in view; on a phone they fold away.
  $("gir-filters-box").open = window.matchMedia("(min-width: 48rem)").matches;
  loadTeams();
  loadList();
  vocabularyReady().catch(() => {}); // drawn again once here (onVocabulary)
}

/** The route: the list with its URL's filters, or with an id that report's detail (at its
 * follow-up `part`), the list behind it as it was. */
function enter({ id = null, part = null, query: asked = {} } = {}) {
  if (!me) return false;
  const wanted = id === null ? fromQuery(asked) : null;
  if (!open) openScreen(wanted || fromQuery());
  else if (wanted && !sameFilters(wanted)) { setFilters(wanted); loadList(); }
  if (id === null) {
    listPath = location.pathname + location.search;
    if (view === "detail") { say(""); showList(); }
  } else if (view === "detail" && incident?.id === id) {
    if (part) followup.goTo(part);
  } else {
    openDetail(id, part);
  }
  return true;
}

/** Leave the screen: the register's data does not stay in the page. */
function close() {
  if (!open) return;
  open = false;
  listPath = paths.gir();
  listGen += 1;
  detailGen += 1;
  clearTimeout(refreshTimer);
  followup.stop();
  clearPage();
}

function onEvent(ev, { live = true } = {}) {
  // The replay after a reconnect ends with "ready", which reloads the list anyway.
  if (open && live && ev?.type?.startsWith("incident.")) refreshSoon();
}

function bind() {
  if (bound) return;
  bound = true;
  $("gir-back").addEventListener("click", back);
  $("gir-filters").addEventListener("submit", applyFilters);
  $("gir-filter-clear").addEventListener("click", clearFilters);
  $("gir-drill-clear").addEventListener("click", clearDrill);
  $("gir-more").addEventListener("click", () => loadList({ more: true }));
  $("gir-list").addEventListener("click", (e) => {
    const button = e.target.closest("button[data-open]");
    if (button) nav.go(paths.gir(Number(button.dataset.open)));
  });
  conn.onEvent(onEvent);
  conn.onReady(() => { if (open) loadList(); });
  onVocabulary(refreshTexts);  // the labels and options are the server's, in the chosen language
}

/** After login or a profile refresh; navigation: go, up. */
function configure(profile, navigation) {
  me = profile;
  nav = navigation;
  bind();
  if (open) setupForRole();
}

/** The language changed: redraw what is on screen, keeping unsaved form values. */
function refreshTexts() {
  if (!open) return;
  say("");  // a status in the old language would linger
  setupForRole();
  fillFilters();
  showDrill();
  renderList();
  if (view === "detail" && incident) {
    followup.refreshTexts();
    const pending = unsavedValues(incident);
    showDetail(incident, { pending: Object.keys(pending).length ? pending : null });
  }
}

/** Logout. */
function stop() {
  close();
  me = null;
  teams = [];
  filters = {};
  drillLabel = "";
  $("gir-filters").reset();
  showDrill();
}

export const screen = { configure, enter, leave: close, canLeave, refreshTexts, stop };
