// The live connection (pwa/js/connection-core.js) with a fake server behind a fake WebSocket:
// replay since the last id, live events after "ready", reconnects without a gap or a duplicate,
// the polling safety net, backoff and the revoked session.
import { afterEach, test } from "node:test";
import assert from "node:assert/strict";
import { Connection } from "../../pwa/js/connection-core.js";

/** The server's event log and the sockets it has open; it replays like app/ws.py does. */
class Server {
  constructor() {
    this.log = [];        // events, id order
    this.sockets = [];
  }

  publish(id) {
    const event = { id, type: "message.sent", title: `Bericht ${id}` };
    this.log.push(event);
    for (const socket of this.sockets.filter((s) => s.readyState === 1)) socket.deliver(event);
    return event;
  }

  since(id) {
    return this.log.filter((e) => e.id > id);
  }
}

class FakeSocket {
  constructor(server, url) {
    this.server = server;
    this.url = url;
    this.readyState = 0;
    this.sent = [];
    server.sockets.push(this);
    setTimeout(() => this.open(), 0);
  }

  open() {
    if (this.readyState !== 0) return;
    this.readyState = 1;
    this.onopen?.();
    const since = Number(new URL(this.url).searchParams.get("since"));
    const replay = this.server.since(since);
    for (const event of replay) this.deliver(event);
    this.message({ type: "ready", last_id: replay.length ? replay.at(-1).id : since });
  }

  deliver(event) { this.message({ type: "event", event }); }
  message(data) { this.onmessage?.({ data: JSON.stringify(data) }); }
  send(text) { this.sent.push(JSON.parse(text)); }

  close(code = 1006) {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.onclose?.({ code });
  }
}

const running = []; // stopped after each test, passed or failed, so no timer outlives it
afterEach(() => { for (const c of running.splice(0)) c.stop(); });

function setUp({ lastId = 0, timings = {}, httpDown = false } = {}) {
  const server = new Server();
  const stored = new Map();
  let saved = lastId;
  const online = { value: true };
  const connection = new Connection({
    openSocket: (url) => new FakeSocket(server, url),
    socketUrl: (since) => `ws://test/ws?since=${since}`,
    fetchSince: async (since) => {
      if (httpDown) throw Object.assign(new Error("no network"), { isNetwork: true });
      return server.since(since);
    },
    store: {
      async putEvent(e) { const isNew = !stored.has(e.id); stored.set(e.id, e); return isNew; },
      getLastId: async () => saved,
      setLastId: async (id) => { saved = id; },
    },
    isOnline: () => online.value,
    random: () => 1, // no jitter: the delays are the backoff itself
  }, { backoffMinMs: 5, backoffMaxMs: 40, watchdogMs: 60, pingMs: 1000, pollMs: 100000, ...timings });
  running.push(connection);
  const seen = [];
  connection.onEvent((e, { live }) => seen.push([e.id, live]));
  return { server, connection, seen, online, saved: () => saved };
}

const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check, what, ms = 2000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await tick(2);
  }
}

test("a fresh socket replays what was missed since the stored id, then streams live", async () => {
  const { server, connection, seen, saved } = setUp({ lastId: 2 });
  for (const id of [1, 2, 3, 4]) server.publish(id);
  await connection.start();
  await until(() => seen.length === 2, "replay");
  assert.equal(server.sockets[0].url, "ws://test/ws?since=2");
  server.publish(5);
  await until(() => seen.length === 3, "live event");
  assert.deepEqual(seen, [[3, false], [4, false], [5, true]]);
  assert.equal(saved(), 5);
  connection.stop();
});

test("a dropped socket reconnects from the last id: no gap, no duplicate", async () => {
  const { server, connection, seen } = setUp({ httpDown: true }); // only the replay can fill the gap
  await connection.start();
  await until(() => connection.state === "open", "open");
  server.publish(1);
  await until(() => seen.length === 1, "first event");
  server.sockets[0].close(); // the network hiccups
  server.publish(2);         // published while nobody listened
  server.publish(3);
  await until(() => server.sockets.length === 2 && connection.state === "open", "reconnect");
  assert.equal(server.sockets[1].url, "ws://test/ws?since=1");
  await until(() => seen.length === 3, "replay after reconnect");
  server.sockets[1].deliver(server.log[1]); // a live copy of 2 that raced the replay
  server.publish(4);
  await until(() => seen.length === 4, "live after reconnect");
  assert.deepEqual(seen.map(([id]) => id), [1, 2, 3, 4]); // each once, in order
  connection.stop();
});

test("the poll safety net and the socket together still hand each event over once", async () => {
  const { server, connection, seen, saved } = setUp();
  await connection.start();
  await until(() => connection.state === "open", "open");
  server.sockets[0].readyState = 2; // the socket looks open but delivers nothing
  for (const id of [1, 2, 3]) server.publish(id);
  await connection.poll();
  assert.deepEqual(seen.map(([id]) => id), [1, 2, 3]);
  server.sockets[0].readyState = 1;
  for (const e of [...server.log].reverse()) server.sockets[0].deliver(e); // late copies
  await tick(5);
  assert.deepEqual(seen.map(([id]) => id), [1, 2, 3]);
  assert.equal(saved(), 3); // the last id never goes back: a reconnect asks since 3
  connection.stop();
});

test("reconnect delays double up to the maximum and start again after a good connection", async () => {
  const { connection } = setUp();
  connection.running = true;
  const delays = [1, 2, 3, 4, 5].map(() => connection.scheduleReconnect());
  assert.deepEqual(delays, [5, 10, 20, 40, 40]);
  connection.stop();
  const fresh = setUp();
  await fresh.connection.start();
  await until(() => fresh.connection.state === "open", "open");
  assert.equal(fresh.connection.backoff, 5); // reset by the successful open
  fresh.connection.stop();
});

test("a socket that goes silent is replaced (the watchdog)", async () => {
  const { server, connection } = setUp({ timings: { watchdogMs: 30 } });
  await connection.start();
  await until(() => connection.state === "open", "open");
  server.sockets[0].onmessage = null; // stops hearing anything, not even heartbeats
  await until(() => server.sockets.length === 2, "a new socket", 8000);
  connection.stop();
});

test("offline: no socket is tried; back online, it connects at once", async () => {
  const { server, connection, online } = setUp();
  online.value = false;
  await connection.start();
  assert.equal(connection.state, "offline");
  assert.equal(server.sockets.length, 0);
  online.value = true;
  connection.reconnectNow();
  await until(() => connection.state === "open", "open after online");
  connection.stop();
});

test("a revoked session (4401) stops reconnecting and says so", async () => {
  const { server, connection } = setUp();
  let told = 0;
  connection.onUnauthorized = () => { told += 1; };
  await connection.start();
  await until(() => connection.state === "open", "open");
  server.sockets[0].close(4401);
  await tick(30);
  assert.equal(told, 1);
  assert.equal(server.sockets.length, 1);
  assert.equal(connection.state, "closed");
});

test("the client pings while open, and heartbeats keep a quiet socket from the watchdog", async () => {
  const { server, connection } = setUp({ timings: { pingMs: 10, watchdogMs: 40 } });
  await connection.start();
  await until(() => connection.state === "open", "open");
  const socket = server.sockets[0];
  await until(() => socket.sent.length >= 3, "pings");
  assert.ok(socket.sent.every((m) => m.type === "ping"));
  for (let i = 0; i < 8; i++) { // no events for 80 ms, only the server's heartbeats
    socket.message({ type: "heartbeat" });
    await tick(10);
    connection.watch();
  }
  assert.equal(server.sockets.length, 1);
  assert.equal(socket.readyState, 1);
  await tick(50); // then silence: the watchdog closes it and a new socket takes over
  connection.watch();
  await until(() => server.sockets.length === 2 && connection.state === "open", "replaced");
});

test("a restart of the app resumes from the stored last id: no gap, no duplicate", async () => {
  const first = setUp();
  await first.connection.start();
  await until(() => first.connection.state === "open", "open");
  for (const id of [1, 2, 3]) first.server.publish(id);
  await until(() => first.seen.length === 3, "live events");
  first.connection.stop();
  assert.equal(first.saved(), 3);
  const { server, connection, seen } = setUp({ lastId: first.saved() }); // the page is opened again
  server.log.push(...first.server.log);
  for (const id of [4, 5]) server.publish(id); // while the app was closed
  await connection.start();
  await until(() => seen.length === 2, "replay");
  assert.equal(server.sockets[0].url, "ws://test/ws?since=3");
  assert.deepEqual(seen, [[4, false], [5, false]]);
});
