// The worker's own alarm (pwa/js/alarm/worker-core.js) with a fake server behind a fake API:
// "sending" until the server answers and "received" only after it, "not sent" on a timeout or
// an outage while it keeps retrying, the same client id on every try, resuming after a reload,
// cancelling with the PIN (a duress PIN looks the same), and the position while it is open.
import { afterEach, test } from "node:test";
import assert from "node:assert/strict";
import { WorkerAlarmController } from "../../pwa/js/alarm/worker-core.js";

/** A POST the test answers when it likes: resolve(data) or fail(error). */
function deferred() {
  let resolve, reject;
  const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
}

const offline = () => Object.assign(new Error("Failed to fetch"), { isNetwork: true, status: 0 });
const refusal = (status, message = "") => Object.assign(new Error(message), { status, message });

/** The server's side of the API: every call is recorded and waits for the test's answer. */
class FakeApi {
  constructor() { this.calls = []; }

  call(method, path, body) {
    const call = { method, path, body, ...deferred() };
    this.calls.push(call);
    return call.promise;
  }

  post(path, body) { return this.call("POST", path, body); }
  get(path) { return this.call("GET", path, null); }
  to(path) { return this.calls.filter((c) => c.path === path); }
  last(path) { return this.to(path).at(-1); }
}

class FakeWatch {
  constructor() { this.latest = null; this.missing = null; this.running = false; }
  start() { this.running = true; }
  stop() { this.running = false; }
  settled() { return Promise.resolve(); }
}

const running = [];
afterEach(() => { for (const c of running.splice(0)) c.stop(); });

function setUp({ online = true, stored = {}, timings = {} } = {}) {
  const api = new FakeApi();
  const store = new Map(Object.entries(stored));
  const watch = new FakeWatch();
  const cover = { begun: [], stopped: 0, begin(id) { this.begun.push(id); }, stop() { this.stopped += 1; }, resume() {} };
  const net = { online };
  let ids = 0;
  const alarm = new WorkerAlarmController({
    api,
    store: { get: async (k) => store.get(k), set: async (k, v) => { store.set(k, v); }, delete: async (k) => { store.delete(k); } },
    watch, cover, isOnline: () => net.online, newClientId: () => `client-${++ids}`,
  }, { retryMs: 5, confirmMs: 20, positionEveryMs: 30, ...timings });
  const seen = [];   // the screen's status each time it was drawn
  const ended = [];
  alarm.view = {
    show: () => seen.push(alarm.status), render: () => seen.push(alarm.status),
    renderLocation() {}, finished: (a) => ended.push(a),
  };
  running.push(alarm);
  return { alarm, api, store, watch, cover, net, seen, ended };
}

const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check, what, ms = 2000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await tick(1);
  }
}

const openAlarm = (over = {}) => ({ id: 41, client_id: "client-1", state: "open", test: false, acknowledgements: [], ...over });

/** Raise and let the server take it: the alarm is then open on this phone. */
async function raised(t) {
  await t.alarm.raise(false);
  await until(() => t.api.to("/api/alarms").length === 1, "the raise");
  t.api.last("/api/alarms").resolve({ alarm: openAlarm() });
  await until(() => t.alarm.own, "adopted");
}

test("a raise is 'sending' until the server answers, and 'received' only after that", async () => {
  const t = setUp();
  await t.alarm.raise(false);
  await until(() => t.api.to("/api/alarms").length === 1, "the raise is posted");
  assert.equal(t.alarm.status, "sending");
  assert.deepEqual(t.seen, ["sending"]);
  assert.equal(t.store.get("pendingAlarm").client_id, "client-1"); // stored before it went
  t.api.last("/api/alarms").resolve({ alarm: openAlarm() });
  await until(() => t.alarm.status === "received", "received");
  assert.ok(!t.seen.slice(0, -1).includes("received"), "never received before the answer");
  assert.equal(t.store.has("pendingAlarm"), false);
  assert.equal(t.store.get("ownAlarm").id, 41);
});

test("no answer in time says 'not sent' and retries with the same client id until received", async () => {
  const t = setUp();
  await t.alarm.raise(true);
  await until(() => t.alarm.status === "unsent", "not sent after the confirm time");
  assert.deepEqual(t.alarm.unsent, { reason: "timeout", message: "" });
  t.api.last("/api/alarms").reject(offline());
  await until(() => t.api.to("/api/alarms").length === 2, "a retry");
  assert.equal(t.alarm.unsent.reason, "network");
  t.api.last("/api/alarms").reject(refusal(503, "Server bezet"));
  await until(() => t.api.to("/api/alarms").length === 3, "another retry");
  assert.deepEqual(t.alarm.unsent, { reason: "server", message: "Server bezet" });
  assert.deepEqual(new Set(t.api.to("/api/alarms").map((c) => c.body.client_id)), new Set(["client-1"]));
  assert.equal(t.api.last("/api/alarms").body.test, true);
  t.api.last("/api/alarms").resolve({ alarm: openAlarm({ test: true }) });
  await until(() => t.alarm.status === "received", "received at last");
  assert.equal(t.alarm.unsent, null);
});

test("offline at the press: 'not sent' at once, sent when the network is back", async () => {
  const t = setUp({ online: false });
  await t.alarm.raise(false);
  assert.deepEqual(t.seen, ["unsent"]);
  t.api.last("/api/alarms").reject(offline());
  await until(() => t.alarm.unsent?.reason === "offline", "offline");
  t.net.online = true;
  t.alarm.online();
  await until(() => t.api.to("/api/alarms").length === 2, "sent when online");
  t.api.last("/api/alarms").resolve({ alarm: openAlarm() });
  await until(() => t.alarm.status === "received", "received");
});

test("one send at a time: going online mid-flight does not send it twice", async () => {
  const t = setUp();
  await t.alarm.raise(false);
  await until(() => t.api.to("/api/alarms").length === 1, "in flight");
  t.alarm.online();
  t.alarm.online();
  await tick(5);
  assert.equal(t.api.to("/api/alarms").length, 1);
});

test("a reload resumes the raise that had not reached the server", async () => {
  const pendingAlarm = { client_id: "from-before", test: false, position: null, position_missing: null };
  const t = setUp({ stored: { pendingAlarm } });
  await t.alarm.resume();
  await until(() => t.api.to("/api/alarms").length === 1, "resent");
  assert.equal(t.api.last("/api/alarms").body.client_id, "from-before");
  assert.equal(t.alarm.status, "sending");
  t.api.last("/api/alarms").resolve({ alarm: openAlarm({ client_id: "from-before" }) });
  await until(() => t.alarm.status === "received", "received");
});

test("a live alarm.updated with the raise's client id confirms it even before the POST answers", async () => {
  const t = setUp();
  await t.alarm.raise(false);
  await until(() => t.api.to("/api/alarms").length === 1, "in flight");
  t.alarm.adopt(openAlarm({ acknowledgements: [{ user: { id: 2, name: "Lisa" }, response: "coming" }] }));
  assert.equal(t.alarm.status, "acknowledged");
  t.api.last("/api/alarms").resolve({ alarm: openAlarm() }); // the late answer changes nothing
  await tick(2);
  assert.equal(t.alarm.pending, null);
});

test("cancelling with the PIN: checked, refused, locked, and a 200 ends it with the cover", async () => {
  const t = setUp();
  assert.deepEqual(await t.alarm.cancel("4826"), { error: "notYet" });
  await raised(t);
  assert.deepEqual(await t.alarm.cancel("12"), { error: "invalid" });
  const wrong = t.alarm.cancel("1111");
  t.api.last("/api/alarms/41/cancel").reject(refusal(422, "Verkeerde pincode"));
  assert.deepEqual(await wrong, { error: "wrong", message: "Verkeerde pincode" });
  assert.ok(t.alarm.own);
  const lost = t.alarm.cancel("1111");
  t.api.last("/api/alarms/41/cancel").reject(offline());
  assert.equal((await lost).error, "offline");
  const right = t.alarm.cancel("4321");
  assert.deepEqual(t.api.last("/api/alarms/41/cancel").body, { pin: "4321" });
  t.api.last("/api/alarms/41/cancel").resolve({ alarm: { id: 41, state: "open", duress: true } });
  assert.deepEqual(await right, { ok: true });
  // A duress PIN keeps the alarm open on the server; here it ends exactly like a real cancel.
  assert.equal(t.alarm.own, null);
  assert.equal(t.alarm.isOpen, false);
  assert.deepEqual(t.ended.map((a) => [a.id, a.state]), [[41, "cancelled"]]);
  assert.deepEqual(t.cover.begun, [41]);
  assert.ok(t.alarm.isClosedHere(41));
  t.alarm.adopt(openAlarm()); // later news about it is not shown again
  assert.equal(t.alarm.own, null);
  assert.deepEqual(t.store.get("closedAlarms"), [41]);
});

test("three wrong PINs: the server locks cancelling and its words replace the form", async () => {
  const t = setUp();
  await raised(t);
  const locked = t.alarm.cancel("9999");
  t.api.last("/api/alarms/41/cancel").reject(refusal(429, "Intrekken met pincode is geblokkeerd"));
  assert.equal((await locked).error, "locked");
  assert.deepEqual(t.alarm.locked, { message: "Intrekken met pincode is geblokkeerd" });
  assert.ok(t.alarm.own);
});

test("closed by a responder (409 on cancel): the refresh shows how it ended", async () => {
  const t = setUp();
  await raised(t);
  const cancel = t.alarm.cancel("4826");
  t.api.last("/api/alarms/41/cancel").reject(refusal(409));
  assert.equal((await cancel).error, "closed");
  await until(() => t.api.to("/api/alarms/41").length === 1, "asked how it ended");
  t.api.last("/api/alarms/41").resolve({ alarm: { id: 41, state: "resolved", outcome_label: "Opgelost" } });
  await until(() => t.ended.length === 1, "finished");
  assert.equal(t.ended[0].state, "resolved");
  assert.equal(t.cover.begun.length, 0);
});

test("the position goes with the raise, then follows the watch at most once per interval", async () => {
  const t = setUp();
  t.watch.latest = { lat: 52.1, lon: 5.1, accuracy: 12 };
  await t.alarm.raise(false);
  await until(() => t.api.to("/api/alarms").length === 1, "the raise");
  assert.deepEqual(t.api.last("/api/alarms").body.position, { lat: 52.1, lon: 5.1, accuracy: 12 });
  assert.equal(t.watch.running, true);
  t.api.last("/api/alarms").resolve({ alarm: openAlarm() });
  await until(() => t.alarm.own, "open");
  t.alarm.positionChanged(); // the same fix the raise carried: not sent again
  assert.equal(t.api.to("/api/alarms/41/positions").length, 0);
  t.watch.latest = { lat: 52.2, lon: 5.2, accuracy: 8 };
  t.alarm.positionChanged();
  t.watch.latest = { lat: 52.3, lon: 5.3, accuracy: 6 };
  t.alarm.positionChanged();
  assert.equal(t.api.to("/api/alarms/41/positions").length, 0); // waits for the interval
  await until(() => t.api.to("/api/alarms/41/positions").length === 1, "sent after the interval");
  assert.deepEqual(t.api.last("/api/alarms/41/positions").body, { lat: 52.3, lon: 5.3, accuracy: 6 });
  t.alarm.stop();
  assert.equal(t.watch.running, false);
});

test("without a position the raise says why, and the server is told once the reason is known", async () => {
  const t = setUp();
  await t.alarm.raise(false);
  await until(() => t.api.to("/api/alarms").length === 1, "the raise");
  assert.equal(t.api.last("/api/alarms").body.position_missing, "pending");
  t.api.last("/api/alarms").resolve({ alarm: openAlarm() });
  await until(() => t.alarm.own, "open");
  t.watch.missing = "denied";
  t.alarm.positionChanged();
  t.alarm.positionChanged();
  assert.deepEqual(t.api.to("/api/alarms/41/position-missing").map((c) => c.body), [{ reason: "denied" }]);
});

test("a position the server refuses (422) does not hold the alarm back", async () => {
  const t = setUp();
  t.watch.latest = { lat: 999, lon: 5, accuracy: 1 };
  await t.alarm.raise(false);
  await until(() => t.api.to("/api/alarms").length === 1, "the raise");
  t.api.last("/api/alarms").reject(refusal(422));
  await until(() => t.api.to("/api/alarms").length === 2, "sent again");
  const body = t.api.last("/api/alarms").body;
  assert.equal(body.position, undefined);
  assert.equal(body.client_id, "client-1");
});

test("logout forgets the alarm; a late answer to the old raise changes nothing", async () => {
  const t = setUp();
  await t.alarm.raise(false);
  await until(() => t.api.to("/api/alarms").length === 1, "in flight");
  t.alarm.stop();
  t.api.last("/api/alarms").resolve({ alarm: openAlarm() });
  await tick(2);
  assert.equal(t.alarm.isOpen, false);
  assert.equal(t.alarm.status, "idle");
});
