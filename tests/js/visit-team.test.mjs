// Others' visits (pwa/js/visits/team-core.js): a manager's list of visits under way, and the
// banner that a colleague is late back — it goes when the visit is back on time, stood down or
// closed, and a list from the server removes only what it proves gone.
import { test } from "node:test";
import assert from "node:assert/strict";
import { TeamVisits } from "../../pwa/js/visits/team-core.js";

const NOW = Date.parse("2030-01-01T10:00:00Z");
const visit = (id, status = "on_time", over = {}) => ({ id, worker: { id: 10 + id }, state: "active", status,
  due_at: "2030-01-01T10:30:00Z", ...over });

function setUp(role = "manager") {
  const team = new TeamVisits({ can: (me, what) => what === "team_visits" && me?.role === "manager", now: () => NOW });
  team.me = { id: 1, role };
  let changes = 0;
  team.view = { renderBanner() {}, changed: () => { changes += 1; } };
  return { team, changes: () => changes };
}

const ids = (map) => [...map.keys()];

test("a manager's list follows the events; my own visits are not in it", () => {
  const { team, changes } = setUp();
  team.upsert(visit(1));
  team.upsert(visit(2));
  team.upsert({ ...visit(3), worker: { id: 1 } });
  assert.deepEqual(ids(team.visits), [1, 2]);
  team.upsert(visit(1, "closed", { state: "closed" }));
  assert.deepEqual(ids(team.visits), [2]);
  assert.equal(changes(), 3);
});

test("a colleague (not a manager) sees the overdue banner but keeps no list", () => {
  const { team } = setUp("worker");
  team.alertOverdue(visit(1, "overdue"));
  assert.deepEqual(ids(team.overdue), [1]);
  assert.deepEqual(ids(team.visits), []);
});

test("the banner goes when the visit is back on time, stood down or closed", () => {
  const { team } = setUp();
  for (const id of [1, 2, 3]) team.alertOverdue(visit(id, "overdue"));
  team.upsert(visit(1, "escalated"));
  assert.equal(team.overdue.get(1).status, "escalated"); // still late: kept, updated
  team.upsert(visit(1, "on_time"));       // "alles goed"
  team.standDown(visit(2, "overdue"));    // visit.stood_down
  team.upsert(visit(3, "closed", { state: "closed" }));
  assert.deepEqual(ids(team.overdue), []);
});

test("a list from the server removes only what it proves gone (for my teams)", () => {
  const manager = setUp();
  manager.team.alertOverdue(visit(1, "overdue"));
  manager.team.alertOverdue(visit(2, "overdue"));
  manager.team.setAll([visit(1, "escalated")]);
  assert.deepEqual(ids(manager.team.overdue), [1]);
  assert.equal(manager.team.overdue.get(1).status, "escalated");
  // A colleague's list does not have others' visits: it proves nothing about the banner.
  const colleague = setUp("worker");
  colleague.team.alertOverdue(visit(5, "overdue"));
  colleague.team.setAll([]);
  assert.deepEqual(ids(colleague.team.overdue), [5]);
  colleague.team.dismiss(5);
  assert.deepEqual(ids(colleague.team.overdue), []);
});

test("poll sooner while a visit in the list is past due or late", () => {
  const { team } = setUp();
  team.setAll([visit(1)]);
  assert.equal(team.anyPastDue(), false);
  team.setAll([visit(1), visit(2, "on_time", { due_at: "2030-01-01T09:59:00Z" })]);
  assert.equal(team.anyPastDue(), true);
  team.setAll([visit(1, "prompted")]);
  assert.equal(team.anyPastDue(), true);
  team.stop();
  assert.equal(team.anyPastDue(), false);
});
