// The incident outbox (pwa/js/outbox-core.js) on its own, with Node's test runner: the script is
// loaded as the page and the service worker load it, over an in-memory IndexedDB, with a fake
// register behind fetch that dedupes by client_id as the real one does.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import vm from "node:vm";
import { IDBFactory } from "fake-indexeddb";

const SOURCES = ["pwa/js/idb-schema.js", "pwa/js/outbox-core.js"]
  .map((path) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8"));
const USER = { id: 7 };

/** The register: stores a report once per client_id; `answers` scripts refusals and outages. */
class Register {
  constructor() {
    this.stored = new Map();
    this.posts = [];       // client ids in the order they were POSTed
    this.languages = [];   // the Accept-Language of each POST
    this.answers = [];     // [{client_id, status}] used once each, in order
  }

  async fetch(_url, { body, headers }) {
    const report = JSON.parse(body);
    this.posts.push(report.client_id);
    this.languages.push(headers["Accept-Language"] ?? null);
    await new Promise((resolve) => setTimeout(resolve, 1)); // a round trip lets others run
    const scripted = this.answers.findIndex((a) => a.client_id === report.client_id);
    if (scripted >= 0) {
      const [{ status }] = this.answers.splice(scripted, 1);
      if (status === 0) throw new TypeError("Failed to fetch");
      return response(status, { error: "Ongeldige invoer", fields: { kinds: "onbekend" } });
    }
    const known = this.stored.get(report.client_id);
    if (!known) this.stored.set(report.client_id, { id: this.stored.size + 1, ...report });
    const incident = this.stored.get(report.client_id);
    return response(known ? 200 : 201, { incident: { id: incident.id, number: `GIR-${incident.id}` } });
  }
}

const response = (status, data) => ({ status, json: async () => data });

/** One context with the outbox loaded (a page, or the service worker), sharing `indexedDB`. */
function outboxIn(indexedDB, register) {
  const context = vm.createContext({
    indexedDB, fetch: (url, init) => register.fetch(url, init), AbortController, setTimeout,
    clearTimeout, console, structuredClone, navigator: {},
  });
  context.self = context;
  for (const source of SOURCES) vm.runInContext(source, context);
  return context;
}

async function setUp() {
  const indexedDB = new IDBFactory();
  const register = new Register();
  const page = outboxIn(indexedDB, register);
  const db = await page.VeldwachtDb.open();
  await new Promise((resolve) => {
    const tx = db.transaction("kv", "readwrite");
    tx.objectStore("kv").put(USER, "profile");
    tx.oncomplete = resolve;
  });
  db.close();
  return { indexedDB, register, page, outbox: page.VeldwachtOutbox };
}

async function addReports(outbox, ids) {
  for (const id of ids) {
    await outbox.add(USER.id, { client_id: id, behaviour_type: "C", kinds: ["verbaal"] });
    await new Promise((resolve) => setTimeout(resolve, 3)); // distinct creation times
  }
}

const states = async (outbox) => (await outbox.list(USER.id)).map((e) => [e.client_id, e.state]);
/** What the outbox returns comes from its own context (realm): compare it as plain data. */
const plain = (value) => JSON.parse(JSON.stringify(value));

test("reports are sent oldest first, whatever their ids", async () => {
  const { register, outbox } = await setUp();
  await addReports(outbox, ["c-3", "a-1", "b-2"]);
  assert.deepEqual(plain(await outbox.flush()), { waiting: 0 });
  assert.deepEqual(register.posts, ["c-3", "a-1", "b-2"]);
  assert.deepEqual(plain(await states(outbox)), [["c-3", "received"], ["a-1", "received"], ["b-2", "received"]]);
});

test("a report that could not be sent stays first in line for the next try", async () => {
  const { register, outbox } = await setUp();
  await addReports(outbox, ["one", "two", "three"]);
  register.answers.push({ client_id: "two", status: 0 }); // no network for the second
  assert.deepEqual(plain(await outbox.flush()), { waiting: 2 });
  assert.deepEqual(register.posts, ["one", "two"]); // the third waits behind it, in order
  const two = (await outbox.list(USER.id))[1];
  assert.equal(two.state, "waiting");
  assert.equal(two.attempts, 1);
  assert.deepEqual(plain(await outbox.flush()), { waiting: 0 });
  assert.deepEqual(register.posts, ["one", "two", "two", "three"]);
});

test("a report the register refuses is kept, with its reason, for correction", async () => {
  const { register, outbox } = await setUp();
  await addReports(outbox, ["good", "refused", "after"]);
  register.answers.push({ client_id: "refused", status: 422 });
  assert.deepEqual(plain(await outbox.flush()), { waiting: 0 });
  const refused = (await outbox.list(USER.id)).find((e) => e.client_id === "refused");
  assert.equal(refused.state, "rejected");
  assert.equal(refused.status, 422);
  assert.equal(refused.error, "Ongeldige invoer");
  assert.deepEqual(plain(refused.fields), { kinds: "onbekend" });
  assert.equal(refused.payload.behaviour_type, "C"); // the whole report, to correct it
  assert.deepEqual(plain(await states(outbox)), [["good", "received"], ["refused", "rejected"], ["after", "received"]]);
  // corrected under the same client id: sent again, and received
  await outbox.add(USER.id, { ...refused.payload, kinds: ["discriminatie"] });
  await outbox.flush();
  assert.deepEqual(plain(await states(outbox)), [["good", "received"], ["refused", "received"], ["after", "received"]]);
});

test("page and service worker flushing at once, and a lost answer, store each report once", async () => {
  const { indexedDB, register, outbox } = await setUp();
  const worker = outboxIn(indexedDB, register).VeldwachtOutbox; // the service worker's copy
  await addReports(outbox, ["r-1", "r-2", "r-3", "r-4"]);
  await Promise.all([outbox.flush(), worker.flush(), outbox.flush()]);
  await outbox.flush(); // a retry after an answer that never arrived sends the same ids again
  assert.ok(register.posts.length >= 4);
  assert.deepEqual([...register.stored.keys()].sort(), ["r-1", "r-2", "r-3", "r-4"]);
  const received = await outbox.list(USER.id);
  assert.ok(received.every((e) => e.state === "received"));
  assert.equal(new Set(received.map((e) => e.number)).size, 4); // each its own incident
  // once received, saving the same client id again changes nothing
  await outbox.add(USER.id, { client_id: "r-2", behaviour_type: "E", kinds: ["fysiek_persoon"] });
  assert.equal((await outbox.list(USER.id)).find((e) => e.client_id === "r-2").state, "received");
});

test("another user's reports on the same phone are neither shown nor sent", async () => {
  const { register, outbox } = await setUp();
  await outbox.add(99, { client_id: "theirs", behaviour_type: "C", kinds: ["verbaal"] });
  await addReports(outbox, ["mine"]);
  await outbox.flush();
  assert.deepEqual(register.posts, ["mine"]);
  assert.deepEqual(plain((await outbox.list(99)).map((e) => e.state)), ["waiting"]);
});

test("the service worker sends a report in its reporter's language, so a refusal reads in it", async () => {
  const { indexedDB, register, outbox } = await setUp();
  await outbox.add(USER.id, { client_id: "en-1", behaviour_type: "C", kinds: ["verbaal"] }, { lang: "en" });
  const worker = outboxIn(indexedDB, register).VeldwachtOutbox;  // no page, no chosen language
  await worker.flush();
  assert.deepEqual(register.languages, ["en"]);
});
