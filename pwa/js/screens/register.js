// The Agressie Informatie Register for managers and the coordinator: entries with their
// measures and history, add an entry; change an entry, add or end a measure where the server
// says this viewer may (`may_change`); the coordinator also sees every lookup.
// Nothing of the register is cached on the device: it is fetched when the screen opens and
// dropped from memory and the page when it closes (every GET is logged by the server).
import { t, onLangChange } from "../i18n.js";
import { api, get, post } from "../api.js";
import * as conn from "../connection.js";
import { $, el } from "../dom.js";
import { can } from "../capabilities.js";
import { paths } from "../routes.js";
import { codes, entries as vocabularyEntries, limitField, onVocabulary, ready as vocabularyReady } from "../vocabulary.js";
import { behaviourLabel, clearErrors, dateEl, field, formatDate, formatMoment, kindLabel, showFieldErrors, todayIso } from "./register-parts.js";
import { changesOf, editInput, editPanel, endControl, historyPanel, showHistory, toggleEnd } from "./register-changes.js";

const ENTRY_FIELDS = { name: "air-name", client_ref: "air-client-ref", address: "air-address", behaviour_type: "air-behaviour", remarks: "air-remarks" };
const MEASURE_FIELDS = { kind: "kind", starts_on: "start", ends_on: "end", reason: "reason" };
const LOOKUPS_SHOWN = 50;

let me = null;
let nav = { up: () => {} };
let open = false;
let entries = [];          // while the screen is open only
let lookups = [];
let people = new Map();    // user id -> name, for the lookup log
let loadGen = 0;
let bound = false;

const canUse = (profile) => can(profile, "air");
const seesLookups = () => can(me, "air_lookups");

/* ---------- rendering ---------- */
/** The behaviour types to choose from, after "none"; the choice made stays. */
function fillBehaviours() {
  const select = $("air-behaviour");
  const keep = select.value;
  select.replaceChildren(select.options[0], ...vocabularyEntries("behaviour_types").map((e) => el("option", { value: e.code }, e.label)));
  select.value = keep;
}

/** "actief" / "beëindigd" / ...; and whether "Beëindigen" still makes sense. */
function measureState(m) {
  const today = todayIso();
  if (m.active) {
    if (m.ends_on && m.ends_on <= today) return { key: "air.measure.lastDay", state: "last-day", endable: false };
    return { key: "air.measure.active", state: "active", endable: true };
  }
  const ended = (m.ends_on && m.ends_on < m.starts_on) || m.starts_on <= today;
  // A measure that starts later can be called off already.
  return ended ? { key: "air.measure.ended", state: "ended", endable: false }
    : { key: "air.measure.future", state: "future", endable: true };
}

function entryTitle(e) {
  return e.name || e.address || e.client_ref || t("air.entry.unnamed", { id: e.id });
}

function measureItem(m) {
  const st = measureState(m);
  const kind = kindLabel(m.kind, m.label);
  const dates = el("p", { class: "air-measure-dates" },
    t("air.measure.from"), " ", dateEl(m.starts_on, "measure-start"), " ",
    ...(m.ends_on ? [t("air.measure.until"), " ", dateEl(m.ends_on, "measure-end")]
      : [t("air.measure.open")]));
  const li = el("li", { class: `air-measure is-${st.state}`, dataset: { measureId: String(m.id), kind: m.kind, active: String(!!m.active) } },
    el("p", { class: "air-measure-head" },
      el("span", { class: "air-measure-kind" }, kind), " ",
      el("span", { class: "air-measure-state" }, t(st.key))),
    dates,
    m.reason ? el("p", { class: "air-measure-reason" }, t("air.measure.reason", { reason: m.reason })) : null);
  if (st.endable && m.may_change) li.append(...endControl(m, kind));
  return li;
}

function measureForm(e) {
  const id = e.id;
  const ids = (f) => `air-measure-${f}-${id}`;
  const kind = el("select", { id: ids("kind"), name: "kind", "aria-describedby": `${ids("kind")}-error` },
    ...codes("air_measures").map((k) => el("option", { value: k }, kindLabel(k))));
  const start = el("input", { id: ids("start"), name: "starts_on", type: "date", required: "", value: todayIso(), "aria-describedby": `${ids("start")}-error` });
  const end = el("input", { id: ids("end"), name: "ends_on", type: "date", "aria-describedby": `${ids("end")}-error` });
  const reason = limitField(el("textarea", { id: ids("reason"), name: "reason", rows: "2", "aria-describedby": `${ids("reason")}-error` }), "air_measure_reason");
  const form = el("form", { class: "air-measure-form", novalidate: "", dataset: { entryId: String(id) } },
    field(ids("kind"), "air.measure.kind", kind, `${ids("kind")}-error`),
    el("div", { class: "air-dates" },
      field(ids("start"), "air.measure.start", start, `${ids("start")}-error`),
      field(ids("end"), "air.measure.endDate", end, `${ids("end")}-error`)),
    field(ids("reason"), "air.measure.reasonLabel", reason, `${ids("reason")}-error`),
    el("p", { class: "error", id: `air-measure-error-${id}`, role: "alert" }),
    el("button", { type: "submit", id: ids("add"), class: "btn btn-primary" }, t("air.measure.add")));
  return el("details", { class: "air-measure-add air-new-measure", dataset: { entryId: String(id) } },
    el("summary", { id: `air-measure-summary-${id}` }, t("air.measure.add.summary")), form);
}

function entryItem(e) {
  const headingId = `air-entry-${e.id}-heading`;
  const facts = el("dl", { class: "air-facts" });
  const fact = (label, value) => { if (value) facts.append(el("dt", {}, label), el("dd", {}, value)); };
  fact(t("air.entry.name"), e.name);
  fact(t("air.entry.address"), e.address);
  fact(t("air.entry.clientRef"), e.client_ref);

  const flag = el("p", { class: `air-flag${e.known_aggressive ? " is-known" : ""}` });
  if (e.known_aggressive) flag.append(el("span", { class: "air-flag-mark", "aria-hidden": "true" }, "⚠"), " ", el("strong", {}, t("air.entry.known")));
  else flag.append(t("air.entry.notKnown"));
  if (e.behaviour_type) flag.append(" — ", t("air.entry.behaviour", { type: behaviourLabel(e.behaviour_type) || e.behaviour_type }));

  const measures = e.measures || [];
  return el("li", { class: "air-entry", dataset: { entryId: String(e.id) }, "aria-labelledby": headingId },
    el("h3", { id: headingId, class: "air-entry-title", tabindex: "-1" }, entryTitle(e)),
    facts, flag,
    e.remarks ? el("p", { class: "air-remarks" }, el("span", { class: "air-label" }, `${t("air.entry.remarks")}: `), e.remarks) : null,
    el("h4", { class: "air-measures-heading" }, t("air.measures")),
    measures.length ? el("ul", { class: "air-measures" }, ...measures.map(measureItem))
      : el("p", { class: "hint" }, t("air.measures.none")),
    e.may_change ? measureForm(e) : el("p", { class: "hint air-read-only" }, t("air.entry.readOnly")),
    e.may_change ? editPanel(e) : null,
    historyPanel(e));
}

function renderEntries() {
  const list = $("air-list");
  // Keep open "add a measure" and "change" panels open across a re-render (language change);
  // a history is fetched again when opened again (each read is logged).
  const panels = "details.air-measure-add:not(.air-history)";
  const openIds = new Set([...list.querySelectorAll(`${panels}[open] > summary`)].map((s) => s.id));
  list.replaceChildren(...entries.map(entryItem));
  for (const d of list.querySelectorAll(panels)) if (openIds.has(d.querySelector("summary").id)) d.open = true;
  $("air-empty").hidden = entries.length > 0 || !$("air-loading").hidden;
}

function replaceEntry(entry) {
  const i = entries.findIndex((e) => e.id === entry.id);
  if (i >= 0) entries[i] = entry; else entries.push(entry);
  const li = entryItem(entry);
  const old = $("air-list").querySelector(`li.air-entry[data-entry-id="${entry.id}"]`);
  if (old) old.replaceWith(li); else $("air-list").append(li);
  $("air-empty").hidden = true;
  return li;
}

function lookupItem(x) {
  const who = x.user_id === me?.id ? me.name : people.get(x.user_id) || t("air.lookup.user", { id: x.user_id });
  const q = x.query || {};
  const asked = [q.address ? t("air.lookup.address", { value: q.address }) : null,
    q.client_ref ? t("air.lookup.client", { value: q.client_ref }) : null].filter(Boolean).join(", ");
  const ids = Array.isArray(x.matched_ids) ? x.matched_ids : [];
  // A look at the whole list asks nothing, so it matches nothing either.
  const found = ids.length ? t("air.lookup.matches", { n: ids.length, ids: ids.join(", ") })
    : asked ? t("air.lookup.none") : "";
  return el("li", { class: `air-lookup${ids.length ? " is-match" : ""}`, dataset: { lookupId: String(x.id) } },
    el("p", { class: "air-lookup-head" }, el("time", { datetime: x.at }, formatMoment(x.at)), " · ", el("strong", {}, who)),
    el("p", { class: "air-lookup-body" }, x.purpose || "", asked ? ` — ${asked}` : "", found ? ` — ${found}` : ""));
}

function renderLookups() {
  const box = $("air-lookups");
  const shown = lookups.slice(0, LOOKUPS_SHOWN);
  box.replaceChildren(...(shown.length ? shown.map(lookupItem) : [el("li", { class: "hint" }, t("air.lookups.empty"))]));
}

/* ---------- loading ---------- */
function errorText(err, fallbackKey) {
  if (err?.isNetwork) return t("air.error.offline");
  return err?.message || t(fallbackKey);
}

async function loadEntries() {
  const gen = ++loadGen;
  $("air-loading").hidden = false;
  $("air-load-error").textContent = "";
  try {
    const data = await get("/api/air");
    if (gen !== loadGen || !open) return;
    conn.setReachable(true);
    entries = Array.isArray(data?.entries) ? data.entries : [];
  } catch (err) {
    if (err.status === 401 || gen !== loadGen || !open) return;
    if (err.isNetwork) conn.setReachable(false);
    $("air-load-error").textContent = errorText(err, "air.load.failed");
    entries = [];
  } finally {
    if (gen === loadGen) $("air-loading").hidden = true;
  }
  if (gen === loadGen && open) renderEntries();
}

async function loadPeople() {
  try {
    const data = await get("/api/people");
    people = new Map((data?.people || []).map((p) => [p.id, p.name]));
  } catch { /* names are a nicety; ids are shown otherwise */ }
}

async function loadLookups() {
  if (!seesLookups()) return;
  const gen = loadGen;
  $("air-lookups-error").textContent = "";
  try {
    const [data] = await Promise.all([get("/api/air/lookups"), people.size ? null : loadPeople()]);
    if (gen !== loadGen || !open) return;
    lookups = Array.isArray(data?.lookups) ? data.lookups : [];
    renderLookups();
  } catch (err) {
    if (err.status === 401 || gen !== loadGen || !open) return;
    $("air-lookups-error").textContent = errorText(err, "air.lookups.failed");
  }
}

/* ---------- add an entry ---------- */
function clearEntryErrors() {
  clearErrors($("air-form"), $("air-error"));
}

async function submitEntry(e) {
  e.preventDefault();
  clearEntryErrors();
  const val = (id) => $(id).value.trim();
  const body = {
    name: val("air-name") || null,
    client_ref: val("air-client-ref") || null,
    address: val("air-address") || null,
    known_aggressive: $("air-known").checked,
    behaviour_type: $("air-behaviour").value || null,
    remarks: val("air-remarks"),
  };
  const inputFor = (name) => (ENTRY_FIELDS[name] ? $(ENTRY_FIELDS[name]) : null);
  if (!body.name && !body.client_ref && !body.address) {
    return showFieldErrors($("air-error"), t("air.error.form"), { address: t("air.error.who") }, inputFor);
  }
  const btn = e.submitter || $("air-form").querySelector("button[type=submit]");
  btn.disabled = true;
  $("register-status").textContent = "";
  try {
    const data = await post("/api/air", body);
    conn.setReachable(true);
    if (data?.entry) replaceEntry(data.entry);
    $("air-form").reset();
    $("register-status").textContent = t("air.added");
    if (data?.entry) $(`air-entry-${data.entry.id}-heading`)?.focus();
  } catch (err) {
    if (err.status === 401) return;
    if (err.isNetwork) conn.setReachable(false);
    showFieldErrors($("air-error"), errorText(err, "air.error.failed"), err.fields, inputFor);
  } finally {
    btn.disabled = false;
  }
}

/* ---------- measures ---------- */
async function submitMeasure(form, submitter) {
  const id = Number(form.dataset.entryId);
  const input = (f) => $(`air-measure-${f}-${id}`);
  const error = $(`air-measure-error-${id}`);
  clearErrors(form, error);
  const inputFor = (name) => (MEASURE_FIELDS[name] ? input(MEASURE_FIELDS[name]) : null);

  const body = {
    kind: input("kind").value,
    starts_on: input("start").value || null,
    ends_on: input("end").value || null,
    reason: input("reason").value.trim(),
  };
  const fields = {};
  if (!body.starts_on) fields.starts_on = t("air.measure.error.start");
  else if (body.ends_on && body.ends_on < body.starts_on) fields.ends_on = t("air.measure.error.order");
  if (Object.keys(fields).length) return showFieldErrors(error, t("air.error.form"), fields, inputFor);

  const btn = submitter || input("add");
  btn.disabled = true;
  $("register-status").textContent = "";
  try {
    const data = await post(`/api/air/${id}/measures`, body);
    conn.setReachable(true);
    if (data?.entry) {
      const li = replaceEntry(data.entry);
      li.querySelector(".air-entry-title")?.focus();
    }
    $("register-status").textContent = t("air.measure.added", { kind: kindLabel(body.kind) });
  } catch (err) {
    if (err.status === 401) return;
    if (err.isNetwork) conn.setReachable(false);
    showFieldErrors(error, errorText(err, "air.error.failed"), err.fields, inputFor);
  } finally {
    if (document.contains(btn)) btn.disabled = false;
  }
}

async function endMeasure(form, submitter) {
  const measureId = Number(form.dataset.measureId);
  const li = form.closest("li.air-entry");
  const entry = entries.find((e) => e.id === Number(li?.dataset.entryId));
  const measure = entry?.measures?.find((m) => m.id === measureId);
  if (!entry || !measure) return;
  const error = $(`air-end-error-${measureId}`);
  clearErrors(form, error);
  const reason = $(`air-end-reason-${measureId}`);
  const body = reason.value.trim() ? { reason: reason.value.trim() } : {};
  const btn = submitter || form.querySelector("button[type=submit]");
  btn.disabled = true;
  $("register-status").textContent = "";
  try {
    const data = await post(`/api/air/measures/${measureId}/end`, body);
    conn.setReachable(true);
    // Ended today: it no longer holds today. The server says how the measure stands now.
    Object.assign(measure, data.measure);
    const fresh = replaceEntry(entry);
    fresh.querySelector(".air-entry-title")?.focus();
    $("register-status").textContent = t("air.measure.endedStatus",
      { kind: kindLabel(measure.kind, measure.label), date: formatDate(todayIso()) });
  } catch (err) {
    if (err.status === 401) return;
    if (err.isNetwork) conn.setReachable(false);
    showFieldErrors(error, errorText(err, "air.error.failed"), err.fields, (name) => (name === "reason" ? reason : null));
  } finally {
    if (document.contains(btn)) btn.disabled = false;
  }
}

/* ---------- change an entry ---------- */
async function changeEntry(form, submitter) {
  const entry = entries.find((e) => e.id === Number(form.dataset.entryId));
  if (!entry) return;
  const error = $(`air-edit-error-${entry.id}`);
  clearErrors(form, error);
  const { body, changed } = changesOf(form, entry);
  if (!changed) {
    error.textContent = t("air.edit.nothing");
    return;
  }
  const btn = submitter || form.querySelector("button[type=submit]");
  btn.disabled = true;
  $("register-status").textContent = "";
  try {
    const data = await api("PATCH", `/api/air/${entry.id}`, body);
    conn.setReachable(true);
    if (data?.entry) replaceEntry(data.entry).querySelector(".air-entry-title")?.focus();
    $("register-status").textContent = t("air.edit.saved");
  } catch (err) {
    if (err.status === 401) return;
    if (err.isNetwork) conn.setReachable(false);
    showFieldErrors(error, errorText(err, "air.error.failed"), err.fields, (name) => editInput(form, name));
  } finally {
    if (document.contains(btn)) btn.disabled = false;
  }
}

/* ---------- an entry's history ---------- */
async function loadHistory(panel) {
  const gen = loadGen;
  showHistory(panel, { state: t("air.history.loading") });
  try {
    const data = await get(`/api/air/${panel.dataset.entryId}/history`);
    if (gen !== loadGen || !open || !panel.open) return;
    conn.setReachable(true);
    showHistory(panel, { versions: Array.isArray(data?.versions) ? data.versions : [] });
  } catch (err) {
    if (err.status === 401 || gen !== loadGen || !open) return;
    if (err.isNetwork) conn.setReachable(false);
    showHistory(panel, { state: errorText(err, "air.history.failed") });
  }
}

/* ---------- screen ---------- */
function clearPage() {
  entries = [];
  lookups = [];
  $("air-list").replaceChildren();
  $("air-lookups").replaceChildren();
  $("air-form").reset();
  clearEntryErrors();
  $("register-status").textContent = "";
  $("air-load-error").textContent = "";
  $("air-lookups-error").textContent = "";
  $("air-empty").hidden = true;
}

/** The route "/register" (managers and the coordinator only). */
function enter() {
  if (!canUse(me)) return false;
  if (open) return true;
  open = true;
  clearPage();
  $("air-lookups-section").hidden = !seesLookups();
  $("air-lookups-all").hidden = !can(me, "audit_trail");
  fillBehaviours();
  vocabularyReady().catch(() => {}); // drawn again once here (onVocabulary)
  loadEntries().then(() => loadLookups());
  return true;
}

/** Leave the screen: the register's details do not stay in the page. */
function close() {
  if (!open) return;
  open = false;
  loadGen += 1;
  clearPage();
}


function bind() {
  if (bound) return;
  bound = true;
  $("register-back").addEventListener("click", () => nav.up(paths.home()));
  $("air-form").addEventListener("submit", submitEntry);
  $("air-list").addEventListener("submit", (e) => {
    const form = e.target.closest("form");
    if (!form) return;
    e.preventDefault();
    if (form.matches(".air-edit-form")) changeEntry(form, e.submitter);
    else if (form.matches(".air-end-form")) endMeasure(form, e.submitter);
    else if (form.matches(".air-measure-form")) submitMeasure(form, e.submitter);
  });
  $("air-list").addEventListener("click", (e) => {
    const btn = e.target.closest("button[data-end-measure], button[data-end-cancel]");
    if (!btn || btn.disabled) return;
    toggleEnd(btn.closest("li.air-measure"), "endMeasure" in btn.dataset);
  });
  // "toggle" does not bubble: caught on its way down. A history is fetched each time it opens.
  $("air-list").addEventListener("toggle", (e) => {
    if (e.target.matches?.("details.air-history") && e.target.open) loadHistory(e.target);
  }, true);
  onLangChange(() => {
    if (!open) return;
    renderEntries();
    renderLookups();
  });
  onVocabulary(() => {
    if (!open) return;
    fillBehaviours();
    renderEntries();
  });
}

/** After login or a profile refresh; navigation: up. */
function configure(profile, navigation) {
  me = profile;
  nav = navigation;
  bind();
  if (open) $("air-lookups-section").hidden = !seesLookups();
}

/** Logout. */
function stop() {
  close();
  me = null;
  people = new Map();
}

export const screen = { configure, enter, leave: close, refreshTexts: () => {}, stop };
