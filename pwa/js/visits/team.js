// Others' visits: the visits under way that managers and the coordinator see (drawn by the
// Team screen, team-list.js, loaded on first use), and for everyone alerted the banner that a
// colleague is late back, with "Ik ga kijken" / "Ik bel" and who answered so far.
import { t } from "../i18n.js";
import { post } from "../api.js";
import * as conn from "../connection.js";
import { can } from "../capabilities.js";
import { $, el, LATE, isActive, placeText, msLeft, telHref, responsesText } from "./common.js";

let me = null;
const visits = new Map();   // id -> visit under way of someone else (managers only)
const overdue = new Map();  // id -> visit whose worker is late back (banner)
const listeners = new Set(); // fn() when `visits` changed

export function configure(profile) {
  me = profile;
}

const others = (visit) => visit && visit.worker?.id !== me?.id;
const watchesTeams = () => can(me, "team_visits");

/** The visits under way of my teams (managers and the coordinator). */
export const teamVisits = () => [...visits.values()];

/** fn() whenever the team's visits change; returns the way to stop listening. */
export function onTeamChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function changed() {
  for (const fn of listeners) fn();
}

/* ---------- the banner ---------- */
let bannerKey = "";

function answerButtons(v) {
  const mine = (v.responses || []).find((r) => r.user?.id === me?.id)?.response;
  return ["checking", "calling"].map((response) => el("button", {
    type: "button", class: "btn btn-light btn-small", "aria-pressed": String(mine === response),
    dataset: { respondVisit: String(v.id), response },
  }, t(`visit.respond.${response}`)));
}

function renderBanner() {
  const box = $("visit-overdue-banner");
  // A role="alert" region is announced when it changes: rebuild it only when its text would.
  const key = JSON.stringify([t("visit.overdue.call"), ...[...overdue.values()].map((v) => [v.id, v.worker, placeText(v), v.responses])]);
  if (key === bannerKey) return;
  bannerKey = key;
  const rows = [...overdue.values()].map((v) => {
    const text = el("p", { class: "visit-overdue-text" },
      t("visit.overdue.banner", { name: v.worker?.name || "", place: placeText(v) }));
    if (v.worker?.phone) {
      text.append(` — ${t("visit.overdue.call")} `, el("a", { href: telHref(v.worker.phone) }, v.worker.phone));
    }
    const coming = responsesText(v);
    const close = el("button", { type: "button", class: "btn btn-light btn-small", dataset: { dismissVisit: String(v.id) },
      "aria-label": t("visit.overdue.dismiss.label", { name: v.worker?.name || "" }) }, t("visit.overdue.dismiss"));
    return el("div", { class: "visit-overdue-row", dataset: { visitId: String(v.id) } }, text,
      coming ? el("p", { class: "visit-overdue-responses" }, coming) : null,
      el("div", { class: "visit-overdue-actions" }, ...answerButtons(v), close));
  });
  box.replaceChildren(...rows);
  box.hidden = rows.length === 0;
}

/** "Ik ga kijken" / "Ik bel": the others hear it at once; the escalation goes on. */
async function respond(button) {
  button.disabled = true;
  try {
    const data = await post(`/api/visits/${button.dataset.respondVisit}/respond`, { response: button.dataset.response }, { timeout: 10000 });
    conn.setReachable(true);
    if (data?.visit) upsert(data.visit);
  } catch (err) {
    if (err.isNetwork) conn.setReachable(false);
    if (err.status === 404 || err.status === 409) overdue.delete(Number(button.dataset.respondVisit));
    renderBanner();
  } finally {
    button.disabled = false;
  }
}

/* ---------- updates ---------- */
/** The server's word on someone else's visit (an event or the list). */
export function upsert(visit) {
  if (!others(visit)) return;
  if (isActive(visit)) {
    if (watchesTeams()) visits.set(visit.id, visit);
  } else {
    visits.delete(visit.id);
  }
  // Back on time (after "alles goed") or closed: the banner about it goes.
  if (overdue.has(visit.id) && (!isActive(visit) || !LATE.has(visit.status))) overdue.delete(visit.id);
  else if (overdue.has(visit.id)) overdue.set(visit.id, visit);
  changed();
  renderBanner();
}

/** A visit.overdue event: somebody I must look after is late back. */
export function alertOverdue(visit) {
  if (!others(visit) || !isActive(visit)) return upsert(visit);
  overdue.set(visit.id, visit);
  upsert(visit);
}

/** A visit.stood_down event: the worker said all is well (or the visit ended). */
export function standDown(visit) {
  if (!others(visit)) return;
  overdue.delete(visit.id);
  upsert(visit);
}

/** GET /api/visits: the complete list of others' visits under way I may see. */
export function setAll(list) {
  const open = list.filter((v) => others(v) && isActive(v));
  visits.clear();
  if (watchesTeams()) for (const v of open) visits.set(v.id, v);
  const byId = new Map(open.map((v) => [v.id, v]));
  for (const id of [...overdue.keys()]) {
    const v = byId.get(id);
    // Only what the list proves: a visit of my teams that is gone or back on time.
    if (watchesTeams() && (!v || !LATE.has(v.status))) overdue.delete(id);
    else if (v) overdue.set(id, v);
  }
  changed();
  renderBanner();
}

/** A visit in the list has passed its due time: worth asking the server sooner. */
export const anyPastDue = () => [...visits.values()].some((v) => LATE.has(v.status) || (msLeft(v) ?? 1) < 0);

export function bind() {
  $("visit-overdue-banner").addEventListener("click", (e) => {
    const answer = e.target.closest("[data-respond-visit]");
    if (answer) return respond(answer);
    const b = e.target.closest("[data-dismiss-visit]");
    if (!b) return;
    overdue.delete(Number(b.dataset.dismissVisit));
    renderBanner();
  });
}

export function refreshTexts() {
  renderBanner();
}

export function stop() {
  visits.clear();
  overdue.clear();
  changed();
  renderBanner();
}
