// Home screen: who am I, connection + duty state, push opt-in (notify.js), location
// permission (location.js), send a message, feed; the way to the register and, for those who
// may, to the AIR and the checklist editor. "/alarm/7" (a notification's link) is home with
// that alarm brought up.
import { t, getLang, onLangChange } from "../i18n.js";
import { get, post, put } from "../api.js";
import { listEvents, kvGet, kvSet, saveProfile } from "../store.js";
import * as conn from "../connection.js";
import { startReadiness, stopReadiness } from "../readiness.js";
import { renderNotify, bindNotify } from "./notify.js";
import { locationPermission, bindLocation } from "../location.js";
import { decorateFeedItem, openAlarm } from "../alarm/index.js";
import { can } from "../capabilities.js";
import { paths } from "../routes.js";

import { $, el } from "../dom.js";
let me = null;
let active = false;
let initialised = false;
let recipients = { teams: [], people: [] };
let nav = { go: () => {}, replaceFrom: () => {} };
const LEARNING_AFTER_MS = 1500;

/* ---------- who ---------- */
function renderWho() {
  if (!me) return;
  $("who-name").textContent = me.name || me.username;
  const list = $("who-list");
  list.replaceChildren();
  const row = (label, value) => { if (value) list.append(el("dt", {}, label), el("dd", {}, value)); };
  row(t("who.role"), me.role_label);
  row(t("who.team"), me.team?.name);
  row(t("who.function"), me.function_group_label);
  if (me.manager) {
    const dd = el("span", {}, me.manager.name);
    if (me.manager.phone) {
      const tel = me.manager.phone.replace(/[^\d+]/g, "");
      dd.append(el("br"), el("a", { href: `tel:${tel}`, "aria-label": `${t("who.call")} ${me.manager.name} ${me.manager.phone}` }, me.manager.phone));
    }
    row(t("who.manager"), dd);
  }
  renderDuty();
}

/** The register's button says whose reports it shows; the AIR, the reports, the editors and the
 * audit trail for those who may. */
function renderManagement() {
  const gir = $("gir-open");
  gir.dataset.i18n = can(me, "team_incidents") ? "gir.open.register" : "gir.open.mine";
  gir.textContent = t(gir.dataset.i18n);
  gir.hidden = false;
  $("register-open").hidden = !can(me, "air");
  $("checklists-open").hidden = !can(me, "checklists");
  $("admin-open").hidden = !can(me, "administration_read");
  $("audit-open").hidden = !can(me, "audit_trail");
  $("reports-open").hidden = !can(me, "reports");
  $("manage-card").hidden = !["air", "reports", "checklists", "administration_read", "audit_trail"].some((flag) => can(me, flag));
  renderLearning();
}

/** Leren for everyone who may: its code and the questionnaire are fetched once home is on
 * view, so the form opens later without a network (the code is then in the service
 * worker's cache, the questionnaire in IndexedDB), and the card says what waits to be sent. */
function renderLearning() {
  const allowed = can(me, "learning");
  $("learning-card").hidden = !allowed;
  if (!allowed) return;
  const profile = me;
  // After the first start's own requests: on a slow connection this must not hold them up.
  setTimeout(() => {
    if (!active || me !== profile) return;
    import("./learning.js").then(({ prepare }) => { if (active && me === profile) prepare(profile); }, () => {});
  }, LEARNING_AFTER_MS);
}

/* ---------- duty ---------- */
function renderDuty() {
  const btn = $("duty-toggle");
  btn.setAttribute("aria-pressed", me?.on_duty ? "true" : "false");
  btn.textContent = me?.on_duty ? t("duty.on") : t("duty.off");
}

async function toggleDuty() {
  const btn = $("duty-toggle");
  const status = $("duty-status");
  status.textContent = "";
  btn.disabled = true;
  try {
    me = await put("/api/me/duty", { on_duty: !me.on_duty });
    conn.setReachable(true);
    await saveProfile(me);
    renderDuty();
  } catch (err) {
    if (err.status === 401) return;
    if (err.isNetwork) conn.setReachable(false);
    status.textContent = err.isNetwork ? t("error.network") : err.message || t("duty.failed");
  } finally {
    btn.disabled = false;
  }
}

/* ---------- connection + offline banner ---------- */
function renderConn(state = conn.getState()) {
  const p = $("conn-state");
  p.dataset.state = state;
  p.textContent = t(`conn.${state}`);
}

function renderBanner() {
  $("offline-banner").hidden = navigator.onLine && conn.isReachable();
}

/* ---------- recipients + message form ---------- */
function renderRecipients() {
  const sel = $("message-to");
  const previous = sel.value;
  sel.replaceChildren(el("option", { value: "" }, t("message.choose")));
  if (recipients.teams.length) {
    const g = el("optgroup", { label: t("message.teams") });
    for (const team of recipients.teams) g.append(el("option", { value: `team:${team.id}` }, t("message.team", { name: team.name })));
    sel.append(g);
  }
  if (recipients.people.length) {
    const g = el("optgroup", { label: t("message.people") });
    for (const p of recipients.people) {
      g.append(el("option", { value: `user:${p.id}` }, p.role_label ? `${p.name} (${p.role_label})` : p.name));
    }
    sel.append(g);
  }
  if ([...sel.options].some((o) => o.value === previous)) sel.value = previous;
}

async function loadRecipients() {
  const cached = await kvGet("recipients").catch(() => null);
  if (cached) { recipients = cached; renderRecipients(); }
  try {
    const [teams, people] = await Promise.all([get("/api/teams"), get("/api/people")]);
    recipients = { teams: teams?.teams || [], people: people?.people || [] };
    kvSet("recipients", recipients).catch(() => {});
    if (active) renderRecipients();
  } catch (err) {
    if (err.isNetwork) conn.setReachable(false);
  }
}

async function sendMessage(e) {
  e.preventDefault();
  const to = $("message-to");
  const text = $("message-text");
  const status = $("message-status");
  status.classList.remove("is-error");
  to.removeAttribute("aria-invalid");
  text.removeAttribute("aria-invalid");
  const fail = (msg, field) => {
    status.classList.add("is-error");
    status.textContent = msg;
    if (field) { field.setAttribute("aria-invalid", "true"); field.focus(); }
  };
  const [kind, id] = to.value.split(":");
  const body = text.value.trim();
  if (!kind || !id) return fail(t("message.noRecipient"), to);
  if (!body) return fail(t("message.empty"), text);

  const btn = e.submitter || $("message-form").querySelector("button[type=submit]");
  btn.disabled = true;
  status.textContent = t("message.sending");
  try {
    const payload = { text: body };
    payload[kind === "team" ? "team_id" : "user_id"] = Number(id);
    await post("/api/messages", payload);
    conn.setReachable(true);
    text.value = "";
    updateCount();
    status.textContent = t("message.sent");
  } catch (err) {
    if (err.status === 401) return;
    if (err.isNetwork) { conn.setReachable(false); return fail(t("message.offline")); }
    const fieldMsg = err.fields?.text || err.fields?.user_id || err.fields?.team_id;
    fail(fieldMsg ? `${err.message} ${fieldMsg}` : err.message || t("message.failed"),
      err.fields?.text ? text : err.fields?.user_id || err.fields?.team_id ? to : null);
  } finally {
    btn.disabled = false;
  }
}

function updateCount() {
  $("message-count").textContent = `${$("message-text").value.length} / 500`;
}

/* ---------- feed ---------- */
function formatTime(iso) {
  const d = iso ? new Date(iso) : null;
  if (!d || isNaN(d)) return "";
  const locale = getLang() === "en" ? "en-GB" : "nl-NL";
  const sameDay = d.toDateString() === new Date().toDateString();
  const opts = sameDay ? { hour: "2-digit", minute: "2-digit" } : { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" };
  return new Intl.DateTimeFormat(locale, opts).format(d);
}

// State updates for the live screens (visit list, alarm map), not news: kept out of the feed.
const NOT_IN_FEED = new Set(["visit.updated", "alarm.position", "readiness.changed"]);

function renderEvent(ev, isNew = false) {
  if (NOT_IN_FEED.has(ev.type)) return null;
  const when = ev.created_at || ev.received_at;
  const title = el("p", { class: "event-title" });
  if (ev.urgent) title.append(el("span", { class: "urgent-label" }, t("feed.urgent")), " ");
  title.append(ev.title || ev.type || "");
  const li = el("li", { class: `event${ev.urgent ? " is-urgent" : ""}${isNew ? " is-new" : ""}`, dataset: { eventId: String(ev.id) } },
    title,
    ev.body ? el("p", { class: "event-body" }, ev.body) : null,
    when ? el("time", { class: "event-time", datetime: when }, formatTime(when)) : null);
  // Alarm events get their own marks; null when the feed must not show the event.
  return decorateFeedItem(ev, li) ? li : null;
}

function addToFeed(ev, isNew = false) {
  const feed = $("feed");
  const li = renderEvent(ev, isNew);
  if (!li) return;
  const existing = feed.querySelector(`li[data-event-id="${ev.id}"]`);
  if (existing) { existing.replaceWith(li); return; }
  // newest first: insert before the first item with a lower id
  const after = [...feed.children].find((n) => Number(n.dataset.eventId) < ev.id);
  feed.insertBefore(li, after || null);
  $("feed-empty").hidden = true;
}

async function loadFeed() {
  const events = await listEvents(100).catch(() => []);
  const feed = $("feed");
  const items = events.map((ev) => renderEvent(ev)).filter(Boolean);
  feed.replaceChildren(...items);
  $("feed-empty").hidden = items.length > 0;
}

/* ---------- lifecycle ---------- */
function initOnce() {
  if (initialised) return;
  initialised = true;
  $("duty-toggle").addEventListener("click", toggleDuty);
  $("gir-open").addEventListener("click", () => nav.go(paths.gir()));
  $("register-open").addEventListener("click", () => nav.go(paths.register()));
  $("checklists-open").addEventListener("click", () => nav.go(paths.checklists()));
  $("admin-open").addEventListener("click", () => nav.go(paths.admin()));
  $("audit-open").addEventListener("click", () => nav.go(paths.audit()));
  $("reports-open").addEventListener("click", () => nav.go(paths.reports()));
  $("learning-open").addEventListener("click", () => nav.go(paths.learning()));
  bindNotify();
  bindLocation();
  // Opening "Hoe werkt het alarm?" asks for location the first time, with the reason in view.
  $("alarm-explain").addEventListener("toggle", () => { if ($("alarm-explain").open) locationPermission.askOnce(); });
  $("message-form").addEventListener("submit", sendMessage);
  $("message-text").addEventListener("input", updateCount);
  window.addEventListener("online", renderBanner);
  window.addEventListener("offline", renderBanner);
  conn.onState((s) => active && renderConn(s));
  conn.onReachable(() => renderBanner());
  conn.onEvent((ev) => active && addToFeed(ev, true));
  // Events recorded by the service worker from a push message.
  navigator.serviceWorker?.addEventListener("message", (e) => {
    if (active && e.data?.type === "push-event" && e.data.event) addToFeed(e.data.event, true);
  });
  onLangChange(() => {
    if (!active) return;
    renderWho();
    renderConn();
    renderNotify();
    locationPermission.render();
    renderRecipients();
    loadFeed();
  });
}

/** Start the home screen for this profile (may be a cached one). Resolves once its first
 * draw is complete: what the browser says of notifications and location is asked for, and
 * shown at once it would push the cards below it down. */
export function show(profile, navigation) {
  nav = navigation;
  initOnce();
  const first = !active;
  me = profile;
  active = true;
  renderWho();
  renderManagement();
  renderBanner();
  renderConn();
  if (!first) return Promise.resolve();
  $("message-status").textContent = "";
  $("duty-status").textContent = "";
  loadFeed();
  loadRecipients();
  const drawn = Promise.all([renderNotify(), locationPermission.start()]);
  startReadiness();
  conn.start();
  // A browser that never answers (a permission query that hangs) holds nothing up for long.
  const enough = new Promise((resolve) => setTimeout(resolve, 1500));
  return Promise.race([drawn.then(() => {}, () => {}), enough]);
}

/** Update the profile after a refresh from /api/me. */
export function update(profile) {
  me = profile;
  if (!active) return;
  renderWho();
  renderManagement();
}

/** The route "/" (or "/alarm/7": the alarm comes up over home, whose path it then is). */
export function enter({ alarm = null } = {}) {
  if (alarm === null) return;
  openAlarm(alarm);
  nav.go(paths.home(), { replace: true });
}

export function hide() {
  active = false;
  stopReadiness();
  locationPermission.stop();
  conn.stop();
  $("feed").replaceChildren();
  $("who-list").replaceChildren();
  $("who-name").textContent = "";
  $("message-to").replaceChildren();
  $("gir-open").hidden = true;
  $("manage-card").hidden = true;
  $("learning-card").hidden = true;
  recipients = { teams: [], people: [] };
}
