// The central incident register (GIR): a worker sees the reports they made or that are about
// them, a manager their teams' reports, the coordinator all (the server scopes every answer).
// Live data: fetched while the screen is open, refreshed on incident events, never cached on
// the device and dropped from the page when the screen closes. "/gir" is the list, "/gir/17" a
// report, "/gir/17/politie" a part of its follow-up. Loaded on first use.
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

let me = null;
let nav = { go: () => {}, up: () => {} };
let open = false;
let view = "list";
let rows = [];
let total = 0;
let nextBefore = null;
let filters = {};
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
function fillSelect(id, values, labelOf) {
  const select = $(id);
  const keep = select.value;
  select.replaceChildren(el("option", { value: "" }, t("gir.filter.all")),
    ...values.map((v) => el("option", { value: v }, labelOf(v))));
  select.value = keep;
}

function fillFilters() {
  const teamName = new Map(teams.map((team) => [String(team.id), team.name]));
  fillSelect(FILTERS.team, [...teamName.keys()], (id) => teamName.get(id));
  const combination = word("combination");
  fillSelect(FILTERS.behaviour, codes("behaviour_types"), behaviourLabel);
  fillSelect(FILTERS.kind, [...codes("kinds"), ...(combination ? [combination] : [])],
    (v) => (v === combination ? t("gir.combination.filter") : kindLabel(v)));
  fillSelect(FILTERS.channel, codes("channels"), channelLabel);
  fillSelect(FILTERS.status, codes("statuses"), statusLabel);
  fillSelect(FILTERS.serious, ["true", "false"], (v) => t(`gir.filter.serious.${v}`));
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
  const next = Object.fromEntries(Object.entries(FILTERS).map(([key, id]) => [key, $(id).value]));
  if (!isManager()) delete next.team;
  if (next.from && next.to && next.to < next.from) {
    to.setAttribute("aria-invalid", "true");
    $("gir-filter-to-error").textContent = t("gir.filter.error.order");
    to.focus();
    return;
  }
  filters = next;
  showExportLink();
  loadList();
}

function clearFilters() {
  $("gir-filters").reset();
  $("gir-filter-to-error").textContent = "";
  $(FILTERS.to).removeAttribute("aria-invalid");
  filters = {};
  showExportLink();
  loadList();
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
  nav.up(view === "detail" ? paths.gir() : paths.home());
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

function openScreen() {
  open = true;
  clearPage();
  setupForRole();
  fillFilters();
  showExportLink();
  // At a desk the filters are in view; on a phone they fold away.
  $("gir-filters-box").open = window.matchMedia("(min-width: 48rem)").matches;
  loadTeams();
  loadList();
  vocabularyReady().catch(() => {}); // drawn again once here (onVocabulary)
}

/** The route: the list, or with an id that report's detail (at its follow-up `part`). */
function enter({ id = null, part = null } = {}) {
  if (!me) return false;
  if (!open) openScreen();
  if (id === null) {
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
  $("gir-filters").reset();
}

export const screen = { configure, enter, leave: close, canLeave, refreshTexts, stop };
