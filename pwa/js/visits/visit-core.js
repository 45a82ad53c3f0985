// The worker's own visit as an object: which step of the planning is on screen, the visit as the
// server last described it (planned, under way, running over), the actions on it and what the
// route may show. It touches no DOM: the API, storage and the screen are passed in, so the
// states — plan → checklist → planned → under way → late → checked out, each only as the server
// reports it — are tested in Node (tests/js/visit.test.mjs); js/visits/worker.js draws them.
import { paths } from "../routes.js";

/** Statuses in which the visit has run over: the worker is asked "Alles goed?". */
export const LATE = new Set(["prompted", "overdue", "escalated"]);
/** Statuses the team view marks "TE LAAT" (colleagues or the manager were alerted). */
export const ALERTED = new Set(["overdue", "escalated"]);

export const isOpen = (visit) => !!visit && visit.state !== "closed" && visit.status !== "closed";
export const isActive = (visit) => visit?.state === "active" && visit.status !== "closed";

/** The visit an event is about, or null. */
export const visitOf = (ev) => (ev?.data?.visit && typeof ev.data.visit.id === "number" ? ev.data.visit : null);

/** What the visit screen shows: a step of the planning, or my visit in one of its states. */
export function visitPhase(visit, step = "plan") {
  if (isActive(visit)) return LATE.has(visit.status) ? "late" : "active";
  if (isOpen(visit)) return "planned";
  return step === "checklist" ? "checklist" : "plan";
}

const FORM_DATA = [
  ["checklists", "visitChecklists", "/api/checklists/for-me", (d) => d?.checklists || []],
  ["people", "visitPeople", "/api/people", (d) => ({ people: d?.people || [] })],
  ["addresses", "recentAddresses", "/api/visits/recent-addresses", (d) => d?.addresses || []],
];

export class VisitController {
  /**
   * @param {object} deps
   * @param {{get(path, opts): Promise<object>, post(path, body, opts): Promise<object>}} deps.api
   *   errors carry {status, isNetwork, message, fields} as api.js's ApiError does
   * @param {{get(key), set(key, value), delete(key)}} deps.store  promises (IndexedDB's kv)
   * @param {(reachable: boolean) => void} [deps.setReachable]  what the answers say of the server
   * @param {(profile, capability: string) => boolean} [deps.can]
   */
  constructor(deps) {
    this.deps = { setReachable: () => {}, can: () => false, ...deps };
    // What the screen shows; the page sets it (js/visits/worker.js), tests record the calls.
    this.view = { render() {}, renderFormData() {} };
    this.me = null;
    this.generation = 0; // bumps on stop() so stale async work does nothing
    this.reset();
  }

  reset() {
    this.mine = null;        // my current visit (active, else planned), as the server last described it
    this.checklists = [];
    this.people = [];
    this.addresses = [];
    this.helpAsked = null;   // id of a visit for which "Nee, ik heb hulp nodig" raised an alarm
    this.reminderDue = null; // the due time the reminder on screen was about
    this.step = "plan";      // of the planning: "plan" (where) or "checklist"
    this.loaded = false;     // the visit this device knew is back from storage
    this.entered = null;     // the route's params, once loaded
  }

  get phase() { return visitPhase(this.mine, this.step); }

  /** Is the "Alles goed?" prompt due (not while my alarm is on screen, not after I asked for help)? */
  wantsPrompt(ownAlarmOpen = false) {
    return this.phase === "late" && this.helpAsked !== this.mine.id && !ownAlarmOpen;
  }

  store(action, ...args) {
    return Promise.resolve(this.deps.store[action](...args)).catch(() => null);
  }

  setMine(visit) {
    this.mine = visit;
    if (visit) this.store("set", "ownVisit", visit);
    else this.store("delete", "ownVisit");
  }

  /* ---------- form data ---------- */
  /** What this device had, then the server's (kept for offline use); null after a logout. */
  async cachedThenFresh(key, path, pick) {
    const gen = this.generation;
    let value = await this.store("get", key);
    if (gen !== this.generation) return null;
    try {
      value = pick(await this.deps.api.get(path, { timeout: 10000 }));
      this.store("set", key, value);
    } catch (err) {
      if (err.isNetwork) this.deps.setReachable(false);
    }
    return gen === this.generation ? value : null;
  }

  async loadFormData() {
    const [lists, persons, recent] = await Promise.all(FORM_DATA.map(([, ...how]) => this.cachedThenFresh(...how)));
    this.checklists = Array.isArray(lists) ? lists : [];
    this.people = Array.isArray(persons?.people) ? persons.people : [];
    this.addresses = Array.isArray(recent) ? recent : [];
    this.view.renderFormData();
  }

  checklist(id) {
    return this.checklists.find((c) => c.id === id) || null;
  }

  /* ---------- server state ---------- */
  /** A visit of mine as the server describes it (an answer, an event or GET /api/visits). */
  adopt(visit) {
    if (!visit || visit.worker?.id !== this.me?.id) return;
    if (!isOpen(visit)) {
      if (this.mine?.id === visit.id) { this.setMine(null); this.view.render(); }
      return;
    }
    // One visit on screen: the one I have, or an active one over a planned one.
    const mine = this.mine;
    if (mine && mine.id !== visit.id && !(isActive(visit) && !isActive(mine))) return;
    if (this.helpAsked === visit.id && visit.status === "on_time") this.helpAsked = null;
    this.setMine(visit);
    this.view.render();
  }

  /** My open visits from GET /api/visits: the one on screen is gone when it is not listed. */
  reconcile(visits) {
    const own = visits.filter((v) => v.worker?.id === this.me?.id && isOpen(v));
    const same = this.mine && own.find((v) => v.id === this.mine.id);
    this.setMine(own.find(isActive) || same || own.at(-1) || null);
    this.view.render();
  }

  /** A visit.reminder about the visit under way; false when it is about another one. */
  remind(visit) {
    if (this.mine?.id !== visit.id) return false;
    this.adopt(visit);
    this.reminderDue = visit.due_at;
    return true;
  }

  /* ---------- actions ---------- */
  /** The server's answer says it is reachable (or not); throws what it refused. */
  async send(path, body, opts) {
    try {
      const data = await this.deps.api.post(path, body, opts);
      this.deps.setReachable(true);
      return data;
    } catch (err) {
      if (err.isNetwork) this.deps.setReachable(false);
      throw err;
    }
  }

  /** Plan a visit (both steps' answers): the server's visit is mine from now on. */
  async plan(body) {
    const data = await this.send("/api/visits", body);
    if (data?.visit) this.adopt(data.visit);
    return data?.visit || null;
  }

  /** An action on my visit ("check-in", "extend", "ok", "check-out", …): its answer is adopted. */
  async act(path, body) {
    const visit = this.mine;
    if (!visit) return null;
    try {
      const data = await this.send(`/api/visits/${visit.id}/${path}`, body, { timeout: 10000 });
      if (data?.visit) this.adopt(data.visit);
      return data || {};
    } catch (err) {
      if (err.status === 404) this.gone(visit.id);
      throw err;
    }
  }

  gone(id) {
    if (this.mine?.id === id) this.setMine(null);
    this.view.render();
  }

  /** "Nee, ik heb hulp nodig": the server raised an alarm; the prompt makes way for it. */
  async notOk() {
    const visit = this.mine;
    const data = await this.act("not-ok", {});
    if (data) this.helpAsked = visit.id;
    return data;
  }

  /** After a cancel or a check-out: no visit of mine any more. */
  finished() {
    this.setMine(null);
  }

  /* ---------- the route ---------- */
  /**
   * Where an open visit, a visit of someone else or a stale step sends the worker instead, or
   * null to stay. `stepOneDone`: the planning's first step has what the checklist needs.
   */
  redirect({ step = null, id = null } = {}, stepOneDone = true) {
    if (isOpen(this.mine)) return id === this.mine.id ? null : paths.visit(this.mine.id);
    if (id !== null) return this.deps.can(this.me, "team_visits") ? paths.team() : paths.visit();
    return step === "checklist" && !stepOneDone ? paths.visit() : null;
  }

  /** The route's params; false until the visit this device knew is back (start() enters then). */
  enter(params) {
    this.entered = params;
    return this.loaded;
  }

  setStep(params) {
    this.step = params.step === "checklist" ? "checklist" : "plan";
  }

  /** Where "back" goes: from the checklist to step one, else home. */
  backPath() {
    return this.step === "checklist" && !isOpen(this.mine) ? paths.visit() : paths.home();
  }

  /* ---------- lifecycle ---------- */
  /** After login: the visit this device last knew (until the server answers). False after a logout meanwhile. */
  async start() {
    const gen = this.generation;
    const stored = await this.store("get", "ownVisit");
    if (gen !== this.generation) return false;
    this.loaded = true;
    if (stored?.id && !this.mine && stored.worker?.id === this.me?.id) this.adopt(stored);
    else this.view.render();
    return true;
  }

  /** Logout: forget everything. */
  stop() {
    this.generation += 1;
    this.reset();
  }
}
