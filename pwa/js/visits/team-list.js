// The Team screen ("/team") of managers and the coordinator: their teams' visits under way,
// the late ones first, with the time left, who answered an overdue alert, and a call button.
// The data is team.js's (kept up to date from the live feed); this screen only draws it, each
// second while it is on view. Loaded on first use: a field worker never needs it.
import { t } from "../i18n.js";
import { can } from "../capabilities.js";
import { $, el, ALERTED, placeText, statusText, timeLeftText, telHref, responsesText, aloneText } from "./common.js";
import { teamVisits, onTeamChange } from "./team.js";

const ORDER = { escalated: 0, overdue: 1, prompted: 2, on_time: 3 };

function sorted(visits) {
  return visits.sort((a, b) =>
    (ORDER[a.status] ?? 9) - (ORDER[b.status] ?? 9) || String(a.due_at).localeCompare(String(b.due_at)));
}

function item(v) {
  const late = ALERTED.has(v.status);
  const name = el("p", { class: "team-visit-name" });
  if (late) name.append(el("span", { class: "late-label" }, t("visit.late.label")), " ");
  name.append(v.worker?.name || "");
  const details = el("p", { class: "team-visit-place" }, placeText(v));
  const meta = el("p", { class: "team-visit-meta" },
    el("span", { class: "risk-badge", dataset: { level: v.risk_level || "" } }, v.risk_label || ""), " ",
    el("span", { class: "team-visit-status" }, statusText(v)), " · ",
    el("span", { class: "team-visit-time" }, timeLeftText(v)));
  const li = el("li", { class: `team-visit${late ? " is-late" : ""}`, dataset: { visitId: String(v.id), status: v.status } },
    name, details, meta);
  if (v.buddy?.name) li.append(el("p", { class: "hint" }, t("visit.team.buddy", { name: v.buddy.name })));
  if (v.alone_label) li.append(el("p", { class: "team-visit-alone" }, aloneText(v)));
  const coming = responsesText(v);
  if (coming) li.append(el("p", { class: "team-visit-responses" }, coming));
  if (v.worker?.phone) {
    li.append(el("a", { class: "btn btn-secondary btn-small", href: telHref(v.worker.phone) },
      t("visit.call", { name: v.worker.name, phone: v.worker.phone })));
  }
  return li;
}

class TeamScreen {
  constructor() {
    this.me = null;
    this.shown = new Map(); // id -> visit on screen
    this.unlisten = null;
    this.ticker = 0;
  }

  configure(me) {
    this.me = me;
  }

  enter() {
    if (!can(this.me, "team_visits")) return false;
    this.render();
    this.unlisten ||= onTeamChange(() => this.render());
    clearInterval(this.ticker);
    this.ticker = setInterval(() => this.tick(), 1000);
    return true;
  }

  render() {
    const list = sorted(teamVisits());
    this.shown = new Map(list.map((v) => [v.id, v]));
    $("team-visits-list").replaceChildren(...list.map(item));
    $("team-visits-empty").hidden = list.length > 0;
  }

  /** The countdowns, without drawing the list again (a screen reader keeps its place). */
  tick() {
    for (const li of $("team-visits-list").children) {
      const v = this.shown.get(Number(li.dataset.visitId));
      const span = li.querySelector(".team-visit-time");
      if (v && span) span.textContent = timeLeftText(v);
    }
  }

  leave() {
    clearInterval(this.ticker);
    this.ticker = 0;
    this.unlisten?.();
    this.unlisten = null;
  }

  refreshTexts() {
    if (this.unlisten) this.render();
  }

  stop() {
    this.leave();
    this.me = null;
    $("team-visits-list").replaceChildren();
  }
}

export const screen = new TeamScreen();
