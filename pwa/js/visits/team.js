// Others' visits: the visits under way that managers and the coordinator see (drawn by the
// Team screen, team-list.js, loaded on first use), and for everyone alerted the banner that a
// colleague is late back, with "Ik ga kijken" / "Ik bel" and who answered so far.
import { t } from "../i18n.js";
import { post, serverNow } from "../api.js";
import * as conn from "../connection.js";
import { can } from "../capabilities.js";
import { $, el, placeText, telHref, responsesText } from "./common.js";
import { TeamVisits } from "./team-core.js";

// Others' visits on this page (one page, one list): the state is the controller's.
const team = new TeamVisits({ can, now: serverNow });
const listeners = new Set(); // fn() when the team's visits changed
// The banner as last drawn: a role="alert" region must not be rebuilt with the same words.
const banner = { key: "" };
team.view = { renderBanner: () => renderBanner(), changed: () => { for (const fn of listeners) fn(); } };

export function configure(profile) {
  team.me = profile;
}

/** The visits under way of my teams (managers and the coordinator). */
export const teamVisits = () => [...team.visits.values()];

/** fn() whenever the team's visits change; returns the way to stop listening. */
export function onTeamChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/* ---------- the banner ---------- */

function answerButtons(v) {
  const mine = (v.responses || []).find((r) => r.user?.id === team.me?.id)?.response;
  return ["checking", "calling"].map((response) => el("button", {
    type: "button", class: "btn btn-light btn-small", "aria-pressed": String(mine === response),
    dataset: { respondVisit: String(v.id), response },
  }, t(`visit.respond.${response}`)));
}

function renderBanner() {
  const box = $("visit-overdue-banner");
  // A role="alert" region is announced when it changes: rebuild it only when its text would.
  const late = [...team.overdue.values()];
  const key = JSON.stringify([t("visit.overdue.call"), ...late.map((v) => [v.id, v.worker, placeText(v), v.responses])]);
  if (key === banner.key) return;
  banner.key = key;
  const rows = late.map((v) => {
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
    if (data?.visit) team.upsert(data.visit);
  } catch (err) {
    if (err.isNetwork) conn.setReachable(false);
    if (err.status === 404 || err.status === 409) team.dismiss(Number(button.dataset.respondVisit));
    else renderBanner();
  } finally {
    button.disabled = false;
  }
}

/* ---------- updates ---------- */
/** The server's word on someone else's visit (an event or the list). */
export const upsert = (visit) => team.upsert(visit);
/** A visit.overdue event: somebody I must look after is late back. */
export const alertOverdue = (visit) => team.alertOverdue(visit);
/** A visit.stood_down event: the worker said all is well (or the visit ended). */
export const standDown = (visit) => team.standDown(visit);
/** GET /api/visits: the complete list of others' visits under way I may see. */
export const setAll = (list) => team.setAll(list);
/** A visit in the list has passed its due time: worth asking the server sooner. */
export const anyPastDue = () => team.anyPastDue();

export function bind() {
  $("visit-overdue-banner").addEventListener("click", (e) => {
    const answer = e.target.closest("[data-respond-visit]");
    if (answer) return respond(answer);
    const b = e.target.closest("[data-dismiss-visit]");
    if (b) team.dismiss(Number(b.dataset.dismissVisit));
  });
}

export function refreshTexts() {
  renderBanner();
}

export const stop = () => team.stop();
