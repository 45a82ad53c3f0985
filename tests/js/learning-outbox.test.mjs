// The outbox's kinds (pwa/js/outbox-core.js): questionnaire answers wait beside incident
// reports, each sent to its own endpoint and noted with its own receipt; entries stored before
// there were kinds are reports. Loaded as the page loads it, over an in-memory IndexedDB.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import vm from "node:vm";
import { IDBFactory } from "fake-indexeddb";

const SOURCES = ["pwa/js/idb-schema.js", "pwa/js/outbox-core.js"]
  .map((path) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8"));
const USER = { id: 3 };

/** The server's two endpoints, each storing once per client_id; `offline` fails every POST. */
class Server {
  posts = [];  // [url, client_id]
  stored = new Map();
  offline = false;

  async fetch(url, { body }) {
    if (this.offline) throw new TypeError("Failed to fetch");
    const sent = JSON.parse(body);
    this.posts.push([url, sent.client_id]);
    const known = this.stored.has(sent.client_id);
    if (!known) this.stored.set(sent.client_id, this.stored.size + 1);
    const id = this.stored.get(sent.client_id);
    const data = url === "/api/incidents"
      ? { incident: { id, number: `GIR-${id}` } }
      : { response: { id, received_at: "2026-11-25T09:00:00+00:00" } };
    return { status: known ? 200 : 201, json: async () => data };
  }
}

async function setUp() {
  const indexedDB = new IDBFactory();
  const server = new Server();
  const context = vm.createContext({ indexedDB, fetch: (url, init) => server.fetch(url, init), AbortController,
    setTimeout, clearTimeout, console, structuredClone, navigator: {} });
  context.self = context;
  for (const source of SOURCES) vm.runInContext(source, context);
  const db = await context.VeldwachtDb.open();
  await new Promise((resolve) => {
    const tx = db.transaction("kv", "readwrite");
    tx.objectStore("kv").put(USER, "profile");
    tx.oncomplete = resolve;
  });
  db.close();
  return { server, outbox: context.VeldwachtOutbox, indexedDB };
}

const plain = (value) => JSON.parse(JSON.stringify(value));
const answers = { client_id: "answers-1", instrument_id: 4, answers: { 11: "vaak" }, answered_at: "2026-11-25T08:59:00+01:00" };

test("answers wait offline and are received only once the server confirmed them", async () => {
  const { server, outbox } = await setUp();
  server.offline = true;
  await outbox.add(USER.id, answers, { kind: "learning_response", about: "Sociaal Domein" });
  assert.deepEqual(plain(await outbox.flush()), { waiting: 1 });
  let [entry] = await outbox.list(USER.id, "learning_response");
  assert.equal(entry.state, "waiting");
  assert.equal(entry.attempts, 1);
  assert.equal(entry.about, "Sociaal Domein");
  server.offline = false;
  await outbox.flush();
  [entry] = await outbox.list(USER.id, "learning_response");
  assert.equal(entry.state, "received");
  assert.equal(entry.response_id, 1);
  assert.equal(entry.received_at, "2026-11-25T09:00:00+00:00");
  assert.deepEqual(plain(entry.payload), { client_id: "answers-1", instrument_id: 4, answered_at: answers.answered_at });
  assert.deepEqual(server.posts, [["/api/learning/responses", "answers-1"]]);
});

test("each kind goes to its own endpoint, in the order it was made", async () => {
  const { server, outbox } = await setUp();
  await outbox.add(USER.id, { client_id: "report-1", behaviour_type: "C" });
  await new Promise((resolve) => setTimeout(resolve, 3));
  await outbox.add(USER.id, answers, { kind: "learning_response" });
  await outbox.flush();
  assert.deepEqual(server.posts, [["/api/incidents", "report-1"], ["/api/learning/responses", "answers-1"]]);
  const [report] = await outbox.list(USER.id, "incident");
  assert.equal(report.number, "GIR-1");
  assert.deepEqual(plain((await outbox.list(USER.id)).map((e) => outbox.kindOf(e))), ["incident", "learning_response"]);
});

test("an entry stored before there were kinds is an incident report", async () => {
  const { server, outbox, indexedDB } = await setUp();
  const db = await new Promise((resolve) => { indexedDB.open("veldwacht").onsuccess = (e) => resolve(e.target.result); });
  await new Promise((resolve) => {
    const tx = db.transaction("outbox", "readwrite");
    tx.objectStore("outbox").put({ client_id: "old", user_id: USER.id, state: "waiting", payload: { client_id: "old" },
      created_at: "2026-01-01T00:00:00Z", attempts: 0 });
    tx.oncomplete = resolve;
  });
  db.close();
  assert.equal((await outbox.list(USER.id, "incident")).length, 1);
  assert.equal((await outbox.list(USER.id, "learning_response")).length, 0);
  await outbox.flush();
  assert.deepEqual(server.posts, [["/api/incidents", "old"]]);
});

test("a kind the outbox does not know is refused before anything is stored", async () => {
  const { outbox } = await setUp();
  await assert.rejects(outbox.add(USER.id, { client_id: "x" }, { kind: "visit" }));
  assert.equal((await outbox.list(USER.id)).length, 0);
});
