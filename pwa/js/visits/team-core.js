// Others' visits as an object: the visits under way of my teams (managers and the coordinator)
// and the colleagues late back whose banner I see, kept from the server's events and list. No
// DOM: the screen is passed in, so the banner's rules — it goes when the visit is back on time
// or closed, and only what the list proves removes it — are tested in Node
// (tests/js/visit-team.test.mjs); js/visits/team.js draws the banner.
import { LATE, isActive } from "./visit-core.js";

export class TeamVisits {
  /**
   * @param {object} deps
   * @param {(profile, capability: string) => boolean} deps.can
   * @param {() => number} deps.now  the server's clock (ms)
   */
  constructor(deps) {
    this.deps = deps;
    // What the screen shows; the page sets it (js/visits/team.js), tests record the calls.
    this.view = { renderBanner() {}, changed() {} };
    this.me = null;
    this.visits = new Map();  // id -> visit under way of someone else (managers only)
    this.overdue = new Map(); // id -> visit whose worker is late back (banner)
  }

  others(visit) { return !!visit && visit.worker?.id !== this.me?.id; }
  watchesTeams() { return this.deps.can(this.me, "team_visits"); }

  changed() {
    this.view.changed();
    this.view.renderBanner();
  }

  /** The server's word on someone else's visit (an event or the list). */
  upsert(visit) {
    if (!this.others(visit)) return;
    if (!isActive(visit)) this.visits.delete(visit.id);
    else if (this.watchesTeams()) this.visits.set(visit.id, visit);
    // Back on time (after "alles goed") or closed: the banner about it goes.
    if (this.overdue.has(visit.id)) {
      if (!isActive(visit) || !LATE.has(visit.status)) this.overdue.delete(visit.id);
      else this.overdue.set(visit.id, visit);
    }
    this.changed();
  }

  /** A visit.overdue event: somebody I must look after is late back. */
  alertOverdue(visit) {
    if (this.others(visit) && isActive(visit)) this.overdue.set(visit.id, visit);
    this.upsert(visit);
  }

  /** A visit.stood_down event: the worker said all is well (or the visit ended). */
  standDown(visit) {
    if (!this.others(visit)) return;
    this.overdue.delete(visit.id);
    this.upsert(visit);
  }

  /** GET /api/visits: the complete list of others' visits under way I may see. */
  setAll(list) {
    const open = list.filter((v) => this.others(v) && isActive(v));
    const watches = this.watchesTeams();
    this.visits = new Map(watches ? open.map((v) => [v.id, v]) : []);
    const byId = new Map(open.map((v) => [v.id, v]));
    for (const id of [...this.overdue.keys()]) {
      const v = byId.get(id);
      // Only what the list proves: a visit of my teams that is gone or back on time.
      if (watches && (!v || !LATE.has(v.status))) this.overdue.delete(id);
      else if (v) this.overdue.set(id, v);
    }
    this.changed();
  }

  /** The banner's close button, or an answer the server refused (404/409): it goes. */
  dismiss(id) {
    this.overdue.delete(id);
    this.view.renderBanner();
  }

  /** A visit in the list has passed its due time: worth asking the server sooner. */
  anyPastDue() {
    const now = this.deps.now();
    return [...this.visits.values()].some((v) => LATE.has(v.status) || (v.due_at && Date.parse(v.due_at) < now));
  }

  stop() {
    this.visits.clear();
    this.overdue.clear();
    this.changed();
  }
}
