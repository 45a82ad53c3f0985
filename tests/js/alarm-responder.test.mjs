// A responder's open alarms (pwa/js/alarm/responder-core.js): a new alarm takes the screen with
// sound unless I already answered it, "delivered" and "seen" are sent once each (seen only on a
// visible screen), the bar lists what is not on screen, and closing — resolved, withdrawn, or
// gone from /api/alarms — takes it away, while a duress "withdrawal" keeps it going.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ResponderAlarmController } from "../../pwa/js/alarm/responder-core.js";

const ME = { id: 2, name: "Lisa" };
const alarm = (id, over = {}) => ({ id, state: "open", worker: { id: 7, name: "Sanne" }, acknowledgements: [], ...over });

function setUp({ visible = true } = {}) {
  const receipts = [];
  const page = { visible };
  const calls = [];
  const alarms = new ResponderAlarmController({
    sendReceipt: (...r) => receipts.push(r),
    isVisible: () => page.visible,
  });
  alarms.me = ME;
  const bar = [];
  alarms.view = {
    open: (a, { alerting }) => calls.push(["open", a.id, alerting]),
    render: (a) => calls.push(["render", a.id]),
    hide: () => calls.push(["hide"]),
    renderBar: (list) => bar.splice(0, bar.length, ...list.map((a) => a.id)),
    renderWhereabouts: (a) => calls.push(["where", a.id, a.place]),
    trace: (a) => calls.push(["trace", a.id]),
    closed: (a) => calls.push(["closed", a.id]),
  };
  return { alarms, receipts, page, calls, bar };
}

test("a new alarm takes the screen with sound; delivered and seen are sent once", () => {
  const { alarms, receipts, calls, bar } = setUp();
  alarms.present(alarm(41));
  alarms.present(alarm(41)); // the same again, from /api/alarms
  assert.deepEqual(calls, [["open", 41, true], ["render", 41]]);
  assert.deepEqual(receipts, [[41, "delivered", "websocket"], [41, "seen", "websocket"]]);
  assert.equal(alarms.currentId, 41);
  assert.deepEqual(bar, []); // on screen, so not in the bar
});

test("by push: 'delivered' came from the service worker; 'seen' waits for a visible screen", () => {
  const { alarms, receipts, page } = setUp({ visible: false });
  alarms.present(alarm(41), { via: "push" });
  assert.deepEqual(receipts, []);
  page.visible = true;
  alarms.markSeen(); // visibilitychange
  alarms.markSeen();
  assert.deepEqual(receipts, [[41, "seen", "push"]]);
});

test("an alarm I already answered opens without sound; my own alarms never show here", () => {
  const { alarms, calls } = setUp();
  alarms.present(alarm(41, { acknowledgements: [{ user: ME, response: "coming" }] }));
  alarms.present(alarm(42, { worker: ME }));
  assert.deepEqual(calls, [["open", 41, false]]);
});

test("a second alarm takes the screen; dismissed ones stay in the bar and reopen from it", () => {
  const { alarms, bar, calls } = setUp();
  alarms.present(alarm(41));
  alarms.present(alarm(42));
  assert.equal(alarms.currentId, 42);
  assert.deepEqual(bar, [41]);
  alarms.dismiss();
  assert.equal(alarms.currentId, null);
  assert.deepEqual(bar, [41, 42]);
  assert.equal(alarms.alerts.get(42).dismissed, true);
  alarms.open(41);
  assert.deepEqual(bar, [42]);
  assert.deepEqual(calls.at(-1), ["open", 41, false]); // reopened from the bar: no sound
});

test("positions update where she is, on screen only for the alarm shown", () => {
  const { alarms, calls } = setUp();
  alarms.present(alarm(41));
  alarms.present(alarm(42));
  alarms.position(41, { alarm_id: 41, position: { lat: 52, lon: 5 }, place: "Kerkstraat 7" });
  alarms.position(42, { alarm_id: 42, position: { lat: 53, lon: 6 }, place: "Dorpsplein 1" });
  alarms.position(42, { alarm_id: 42, position: null }); // no fix: nothing changes
  assert.deepEqual(calls.filter((c) => c[0] === "where"), [["where", 42, "Dorpsplein 1"]]);
  assert.equal(alarms.alerts.get(41).alarm.place, "Kerkstraat 7");
  assert.equal(alarms.alerts.get(41).alarm.alarm_id, undefined);
});

test("resolved or withdrawn: gone with a trace; a duress withdrawal keeps it open", () => {
  const { alarms, calls, bar } = setUp();
  alarms.present(alarm(41));
  alarms.present(alarm(42));
  alarms.update(alarm(41, { state: "cancelled", duress: true, pin_failures: 0 }));
  assert.ok(alarms.alerts.has(41));
  alarms.update(alarm(42, { state: "resolved" }));
  assert.ok(!alarms.alerts.has(42));
  assert.equal(alarms.currentId, null);
  assert.deepEqual(calls.slice(-3), [["hide"], ["trace", 42], ["closed", 42]]);
  assert.deepEqual(bar, [41]); // the duress one, still in sight
  alarms.update(alarm(41, { state: "cancelled" }));
  assert.ok(!alarms.alerts.has(41));
  assert.deepEqual(calls.slice(-2), [["trace", 41], ["closed", 41]]);
  assert.deepEqual(bar, []);
});

test("alarms /api/alarms no longer lists are dropped without a trace", () => {
  const { alarms, calls } = setUp();
  alarms.present(alarm(41));
  alarms.present(alarm(42));
  alarms.reconcile(new Set([42]));
  assert.deepEqual([...alarms.alerts.keys()], [42]);
  assert.ok(!calls.some((c) => c[0] === "trace"));
  alarms.stop();
  assert.equal(alarms.alerts.size, 0);
  assert.equal(alarms.currentId, null);
});
