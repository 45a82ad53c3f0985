// The worker's own visit (pwa/js/visits/visit-core.js) against a fake server: the planning's two
// steps, the planned visit, check-in, running over ("Alles goed?"), "Nee, ik heb hulp nodig",
// extending and checking out — each state only as the server reports it — and what the
// visit screen's routes may show.
import { test } from "node:test";
import assert from "node:assert/strict";
import { VisitController, visitPhase } from "../../pwa/js/visits/visit-core.js";

const ME = { id: 7, name: "Sanne", team: { id: 1 } };

/** The visits API as app/api/visits.py answers it, for one visit of mine. */
class FakeServer {
  constructor() {
    this.visit = null;
    this.posts = [];
    this.refuse = null; // {path, error} for the next POST to that path
    this.online = true;
  }

  answer(visit) {
    this.visit = visit && { ...visit };
    return { visit: this.visit };
  }

  async post(path, body) {
    this.posts.push([path, body]);
    if (!this.online) throw Object.assign(new Error("Failed to fetch"), { isNetwork: true, status: 0 });
    if (this.refuse?.path === path) {
      const { error } = this.refuse;
      this.refuse = null;
      throw error;
    }
    if (path === "/api/visits") {
      return this.answer({ id: 12, worker: ME, state: "planned", status: "planned", address: body.address,
        risk_level: "green", can: { check_in: true } });
    }
    const action = path.split("/").at(-1);
    const v = this.visit;
    if (action === "check-in") return this.answer({ ...v, state: "active", status: "on_time", due_at: "2030-01-01T10:30:00Z" });
    if (action === "extend") return this.answer({ ...v, status: "on_time", due_at: "2030-01-01T10:45:00Z" });
    if (action === "ok") return this.answer({ ...v, status: "on_time" });
    if (action === "not-ok") return { ...this.answer({ ...v, status: "escalated" }), alarm: { id: 41 } };
    if (action === "check-out") return this.answer({ ...v, state: "closed", status: "closed" });
    throw new Error(`unexpected POST ${path}`);
  }

  async get(path) {
    if (!this.online) throw Object.assign(new Error("Failed to fetch"), { isNetwork: true, status: 0 });
    if (path === "/api/checklists/for-me") return { checklists: [{ id: 3, title: "Huisbezoek", questions: [] }] };
    if (path === "/api/people") return { people: [{ id: 8, name: "Lisa", team: { id: 1 } }] };
    if (path === "/api/visits/recent-addresses") return { addresses: ["Kerkstraat 7"] };
    throw new Error(`unexpected GET ${path}`);
  }

  /** What the sweeper does on the server, told to the phone by an event. */
  runsOver(status) {
    return this.answer({ ...this.visit, status }).visit;
  }
}

function setUp({ stored = {} } = {}) {
  const server = new FakeServer();
  const store = new Map(Object.entries(stored));
  const reachable = [];
  const visit = new VisitController({
    api: server,
    store: { get: async (k) => store.get(k), set: async (k, v) => { store.set(k, v); }, delete: async (k) => { store.delete(k); } },
    setReachable: (value) => reachable.push(value),
    can: (profile, capability) => capability === "team_visits" && profile?.role === "manager",
  });
  visit.me = ME;
  const phases = [];
  visit.view = { render: () => phases.push(visit.phase), renderFormData() {} };
  return { server, store, reachable, visit, phases };
}

test("plan → checklist → planned → under way → late → back on time → checked out", async () => {
  const { server, visit, phases, store } = setUp();
  await visit.start();
  visit.setStep({});
  assert.equal(visit.phase, "plan");
  visit.setStep({ step: "checklist" });
  assert.equal(visit.phase, "checklist");
  assert.equal(visit.mine, null); // nothing is planned until the server has it

  const planned = await visit.plan({ address: "Kerkstraat 7", checklist_id: 3, answers: {} });
  assert.equal(planned.id, 12);
  assert.equal(visit.phase, "planned");
  assert.equal(store.get("ownVisit").id, 12); // kept for a reload or offline start

  await visit.act("check-in", { position: null, alone_confirmed: false });
  assert.equal(visit.phase, "active");
  assert.equal(visit.wantsPrompt(), false);

  visit.adopt(server.runsOver("prompted")); // the visit.prompted event
  assert.equal(visit.phase, "late");
  assert.equal(visit.wantsPrompt(), true);
  assert.equal(visit.wantsPrompt(true), false); // my alarm on screen comes first

  await visit.act("ok", {});
  assert.equal(visit.phase, "active");

  await visit.act("check-out", {});
  assert.equal(visit.mine, null);
  visit.finished();
  assert.equal(visit.phase, "checklist"); // the step stays as the route left it
  assert.equal(store.has("ownVisit"), false);
  assert.deepEqual(phases, ["plan", "planned", "active", "late", "active", "checklist"]);
});

test("'Nee, ik heb hulp nodig' ends the prompt until the visit is back on time", async () => {
  const { server, visit } = setUp();
  await visit.plan({ address: "Kerkstraat 7" });
  await visit.act("check-in", {});
  visit.adopt(server.runsOver("overdue"));
  const data = await visit.notOk();
  assert.equal(data.alarm.id, 41);
  assert.equal(visit.phase, "late");
  assert.equal(visit.wantsPrompt(), false);
  visit.adopt(server.runsOver("escalated")); // still late: no prompt over the alarm
  assert.equal(visit.wantsPrompt(), false);
  visit.adopt(server.runsOver("on_time"));
  visit.adopt(server.runsOver("prompted")); // late again later: asked again
  assert.equal(visit.wantsPrompt(), true);
});

test("a refused action changes nothing here; offline says the server is unreachable", async () => {
  const { server, visit, reachable } = setUp();
  await visit.plan({ address: "Kerkstraat 7" });
  server.refuse = { path: "/api/visits/12/check-in", error: Object.assign(new Error("Niet gaan"), { status: 409 }) };
  await assert.rejects(visit.act("check-in", {}), { status: 409 });
  assert.equal(visit.phase, "planned");
  server.online = false;
  await assert.rejects(visit.act("check-in", {}), { isNetwork: true });
  assert.equal(visit.phase, "planned");
  assert.deepEqual(reachable, [true, false]);
});

test("a visit the server no longer has (404) is gone from the screen", async () => {
  const { server, visit } = setUp();
  await visit.plan({ address: "Kerkstraat 7" });
  server.refuse = { path: "/api/visits/12/extend", error: Object.assign(new Error("Niet gevonden"), { status: 404 }) };
  await assert.rejects(visit.act("extend", { minutes: 15 }));
  assert.equal(visit.mine, null);
  assert.equal(await visit.act("extend", { minutes: 15 }), null); // no visit: nothing is sent
  assert.equal(server.posts.length, 2);
});

test("the reminder is about the visit under way; extending moves its due time", async () => {
  const { server, visit } = setUp();
  await visit.plan({ address: "Kerkstraat 7" });
  await visit.act("check-in", {});
  assert.equal(visit.remind({ ...server.visit, id: 99 }), false);
  assert.equal(visit.remind(server.visit), true);
  assert.equal(visit.reminderDue, "2030-01-01T10:30:00Z");
  await visit.act("extend", { minutes: 15 });
  assert.equal(visit.mine.due_at, "2030-01-01T10:45:00Z");
  assert.notEqual(visit.reminderDue, visit.mine.due_at); // so the screen hides the old reminder
});

test("one visit on screen: an active one wins over a planned one, others' visits are ignored", () => {
  const { visit } = setUp();
  const planned = { id: 1, worker: ME, state: "planned", status: "planned" };
  const other = { id: 2, worker: ME, state: "planned", status: "planned" };
  const active = { id: 3, worker: ME, state: "active", status: "on_time" };
  visit.adopt(planned);
  visit.adopt(other);
  assert.equal(visit.mine.id, 1);
  visit.adopt({ id: 4, worker: { id: 99 }, state: "active", status: "on_time" });
  assert.equal(visit.mine.id, 1);
  visit.adopt(active);
  assert.equal(visit.mine.id, 3);
  visit.reconcile([planned, other]); // GET /api/visits no longer lists 3: closed elsewhere
  assert.equal(visit.mine.id, 2); // the last planned of those listed
  visit.reconcile([]);
  assert.equal(visit.mine, null);
});

test("the routes: my open visit, someone else's, and a checklist without step one", async () => {
  const { visit } = setUp();
  assert.equal(visit.enter({ id: 12 }), false); // not loaded yet: start() enters later
  assert.equal(await visit.start(), true);
  assert.deepEqual(visit.entered, { id: 12 });
  assert.equal(visit.redirect({ id: 12 }), "/bezoek"); // not mine (any more)
  visit.me = { ...ME, role: "manager" };
  assert.equal(visit.redirect({ id: 12 }), "/team");
  visit.me = ME;
  assert.equal(visit.redirect({ step: "checklist" }, false), "/bezoek");
  assert.equal(visit.redirect({ step: "checklist" }, true), null);
  visit.adopt({ id: 12, worker: ME, state: "planned", status: "planned" });
  assert.equal(visit.redirect({}), "/bezoek/12");
  assert.equal(visit.redirect({ id: 12 }), null);
  visit.setStep({ step: "checklist" });
  assert.equal(visit.backPath(), "/");
});

test("a start resumes the visit this device knew; logout forgets it and the late answer", async () => {
  const ownVisit = { id: 12, worker: ME, state: "active", status: "on_time" };
  const { visit } = setUp({ stored: { ownVisit, visitChecklists: [{ id: 1, title: "Oud" }] } });
  await visit.start();
  assert.equal(visit.phase, "active");
  const loading = visit.loadFormData();
  visit.stop();
  await loading;
  assert.equal(visit.mine, null);
  assert.deepEqual(visit.checklists, []); // what arrived after the logout is dropped
  const fresh = setUp({ stored: { visitChecklists: [{ id: 1, title: "Oud" }] } });
  fresh.server.online = false;
  await fresh.visit.loadFormData();
  assert.deepEqual(fresh.visit.checklists.map((c) => c.title), ["Oud"]); // offline: what this device had
  fresh.server.online = true;
  await fresh.visit.loadFormData();
  assert.deepEqual(fresh.visit.checklists.map((c) => c.title), ["Huisbezoek"]);
  assert.equal(visitPhase(null), "plan");
});
