// The employee's part of Leren: the questionnaire of their function group (and, if they like,
// the development matrix), answered on the phone and sent through the outbox shared with the
// service worker, so it works without a network and is received exactly once; then their
// profile per round (earlier rounds beside it, so change shows) and their learning goals.
// "Ontvangen" only ever means the server has the answers.
import { getLang, t } from "../i18n.js";
import { get } from "../api.js";
import * as conn from "../connection.js";
import { el } from "../dom.js";
import { applyLimits } from "../vocabulary.js";
import { control, dayEl, form, momentEl, valueOf } from "../incidents/followup-ui.js";
import { formatDay, formatMoment } from "../incidents/gir-fields.js";
import { clear, fields, markOpen, read } from "./questionnaire.js";
import { cachedInstruments, refreshInstruments } from "./instruments.js";
import { sendForm } from "./send.js";

const outbox = self.VeldwachtOutbox;
const KIND = "learning_response";
const SEND_WAIT_MS = 5000;  // the form waits at most this long for the server's answer
const SYMBOL = { waiting: "⏳", received: "✓", rejected: "✗" };

/** What the outbox says of the answers to `instrument` sent last from this phone. */
function entryState(entry) {
  if (!entry) return "";
  if (entry.state === "received") return t("learning.sent.received", { when: formatMoment(entry.received_at) });
  if (entry.state === "rejected") return t("learning.sent.rejected", { reason: entry.error || "" });
  return entry.attempts ? t("learning.sent.waitingTries", { n: entry.attempts }) : t("learning.sent.waiting");
}

/** Which instrument versions these are ("4,9"), or null for none. */
const versions = (instruments) => (instruments
  ? [instruments.questionnaire?.id, instruments.matrix?.id].join(",") : null);

export class MyLearning {
  me = null;
  root = null;
  instruments = null;  // {questionnaire, matrix} from the server or, offline, the phone
  fresh = false;       // the instruments came from the server just now
  mine = null;         // GET /api/learning/me, or null while offline
  entries = [];        // this user's learning answers in the outbox
  saving = new Set();  // instrument ids being saved: a double tap sends nothing twice
  gen = 0;

  constructor(root) {
    this.root = root;
    outbox.onChange(() => this.refreshOutbox());
  }

  async show(me) {
    this.me = me;
    const gen = ++this.gen;
    this.instruments = await cachedInstruments();
    this.fresh = false;
    const kept = versions(this.instruments);
    if (this.instruments) this.draw();
    await Promise.all([this.loadInstruments(gen), this.loadMine(gen), this.refreshOutbox(false)]);
    if (gen !== this.gen) return;
    // The versions the phone kept are the current ones: what was chosen meanwhile stays.
    if (kept && kept === versions(this.instruments)) this.confirmKept();
    else this.draw();
    outbox.flush().catch(() => {});
  }

  confirmKept() {
    if (this.fresh) this.root.querySelector(".learning-offline")?.remove();
    this.drawSent();
    this.drawMine();
  }

  async loadInstruments(gen) {
    const fresh = await refreshInstruments();
    if (gen !== this.gen || !fresh) return;
    this.instruments = fresh;
    this.fresh = true;
  }

  async loadMine(gen) {
    try {
      const mine = await get("/api/learning/me");
      if (gen !== this.gen) return;
      conn.setReachable(true);
      this.mine = mine;
    } catch (err) {
      if (err.isNetwork) conn.setReachable(false);
      if (gen === this.gen) this.mine = null;
    }
  }

  /** The outbox changed (here, in another tab or the service worker): received answers bring
   * a new profile. */
  async refreshOutbox(redraw = true) {
    if (!this.me) return;
    const before = this.entries.filter((e) => e.state === "received").length;
    this.entries = await outbox.list(this.me.id, KIND).catch(() => []);
    if (!redraw) return;
    const received = this.entries.filter((e) => e.state === "received").length;
    this.drawSent();
    if (received > before) {
      const gen = this.gen;
      await this.loadMine(gen);
      if (gen === this.gen) this.drawMine();
    }
  }

  draw() {
    if (!this.me) return;
    const { questionnaire = null, matrix = null } = this.instruments || {};
    this.root.replaceChildren(
      this.instruments && !this.fresh ? el("p", { class: "notice learning-offline" }, t("learning.offline.form")) : null,
      !this.instruments ? el("p", { class: "notice" }, t("learning.offline.none")) : null,
      questionnaire ? this.instrumentCard(questionnaire, false) : null,
      this.instruments && !questionnaire ? el("p", { class: "hint" }, t("learning.noQuestionnaire")) : null,
      matrix ? this.instrumentCard(matrix, true) : null,
      el("div", { id: "learning-mine" }));
    this.drawSent();
    this.drawMine();
    applyLimits(this.root);
  }

  instrumentCard(instrument, optional) {
    const id = `learning-form-${instrument.id}`;
    const node = form({ id, submit: t("learning.form.submit"), onSubmit: (n) => this.submit(n, instrument) }, ...fields(instrument));
    node.classList.add("lq-form");
    const body = [el("p", { class: "form-status learning-sent", id: `${id}-sent`, role: "status", dataset: { instrument: String(instrument.id) } }), node];
    const heading = el("h2", { id: `${id}-heading` }, instrument.title);
    if (optional) {
      return el("section", { class: "card learning-instrument", "aria-labelledby": `${id}-heading` }, heading,
        el("details", { class: "fu-more" }, el("summary", {}, t("learning.matrix.open")), ...body));
    }
    return el("section", { class: "card learning-instrument", "aria-labelledby": `${id}-heading` }, heading, ...body);
  }

  async submit(node, instrument) {
    if (this.saving.has(instrument.id)) return;
    const { answers, open } = read(node, instrument);
    markOpen(node, instrument, open);
    const error = node.querySelector(".fu-form-error");
    error.textContent = open.length ? t("learning.form.open", { n: open.length }) : "";
    if (open.length) return;
    this.saving.add(instrument.id);
    try {
      const payload = { client_id: crypto.randomUUID(), instrument_id: instrument.id, answers, answered_at: new Date().toISOString() };
      await outbox.add(this.me.id, payload, { lang: getLang(), kind: KIND, about: instrument.title });
      clear(node);
      outbox.requestSync();
      // Sent now if the network allows; otherwise the outbox keeps trying, and says so.
      await Promise.race([outbox.flush().catch(() => {}), new Promise((r) => setTimeout(r, SEND_WAIT_MS))]);
      await this.refreshOutbox();
    } catch {
      error.textContent = t("learning.form.storage");
    } finally {
      this.saving.delete(instrument.id);
    }
  }

  /** Each form's line: what happened to the answers sent last from this phone. */
  drawSent() {
    for (const line of this.root.querySelectorAll(".learning-sent")) {
      const id = Number(line.dataset.instrument);
      const last = this.entries.filter((e) => e.payload?.instrument_id === id).at(-1);
      const text = last ? `${SYMBOL[last.state] || ""} ${entryState(last)}` : "";
      if (line.textContent !== text) line.textContent = text;
      line.dataset.state = last?.state || "";
    }
  }

  drawMine() {
    const box = this.root.querySelector("#learning-mine");
    if (!box) return;
    if (!this.mine) {
      box.replaceChildren(el("p", { class: "hint" }, t("learning.offline.profile")));
      return;
    }
    box.replaceChildren(profileCard(this.mine.rounds), this.goalsCard());
    applyLimits(box);
  }

  goalsCard() {
    const { goals, manager, rounds } = this.mine;
    const share = (goal) => {
      const button = el("button", { type: "button", class: "btn btn-secondary btn-small" }, t("learning.goal.share"));
      const node = el("div", {}, button, el("p", { class: "error fu-form-error", role: "alert", tabindex: "-1" }));
      button.addEventListener("click", async () => {
        if (await sendForm(node, "POST", `/api/learning/goals/${goal.id}/share`, {})) this.reloadMine(t("learning.goal.shared"));
      });
      return node;
    };
    const submit = async (node) => {
      const body = { text: valueOf(node, "text"), share: Boolean(valueOf(node, "share")), ...(rounds[0] ? { response_id: rounds[0].id } : {}) };
      if (await sendForm(node, "POST", "/api/learning/goals", body)) this.reloadMine(t("learning.goal.saved"));
    };
    return el("section", { class: "card learning-goals", "aria-labelledby": "learning-goals-heading" },
      el("h2", { id: "learning-goals-heading" }, t("learning.goal.heading")),
      el("p", { class: "form-status", id: "learning-goals-status", role: "status" }),
      goals.length ? el("ul", { class: "learning-goal-list" }, ...goals.map((g) => el("li", { class: "learning-goal" },
        el("p", { class: "fu-note" }, g.text),
        el("p", { class: "hint" }, momentEl(g.created_at), " · ", g.shared_at
          ? t("learning.goal.sharedWith", { name: g.shared_with?.name || "" }) : t("learning.goal.notShared")),
        !g.shared_at && manager ? share(g) : null))) : null,
      form({ id: "learning-goal-form", legend: t("learning.goal.new"), submit: t("learning.goal.submit"), onSubmit: submit },
        control({ id: "learning-goal-text", field: "text", type: "textarea", label: t("learning.goal.text"), limit: "learning_goal",
          hint: this.instruments?.questionnaire?.prompt || t("learning.goal.hint"), required: true }),
        manager ? control({ id: "learning-goal-share", field: "share", type: "checkbox",
          label: t("learning.goal.shareWith", { name: manager.name }) })
          : el("p", { class: "hint" }, t("learning.goal.noManager"))));
  }

  async reloadMine(message) {
    const gen = this.gen;
    await this.loadMine(gen);
    if (gen !== this.gen) return;
    this.drawMine();
    const status = this.root.querySelector("#learning-goals-status");
    if (status) status.textContent = message;
    this.root.querySelector("#learning-goals-heading")?.setAttribute("tabindex", "-1");
    this.root.querySelector("#learning-goals-heading")?.focus();
  }

  leave() {
    this.gen += 1;
    this.me = null;
    this.mine = null;
    this.root.replaceChildren();
  }
}

/* ---------- the profile: the newest round as bars, earlier rounds beside it ---------- */
function bar(group) {
  const fill = el("span", { class: "score-fill" });
  fill.style.width = `${Math.max(0, Math.min(100, group.score ?? 0))}%`;
  return el("li", { class: "score-row" },
    el("span", { class: "score-title" }, group.title),
    el("span", { class: "score-bar", "aria-hidden": "true" }, fill),
    el("span", { class: "score-value" }, t("learning.profile.score", { score: group.score ?? "–" })));
}

function roundsTable(rounds, id) {
  const titles = rounds[0].profile.map((g) => [g.key, g.title]);
  const scoreIn = (round, key) => round.profile.find((g) => g.key === key)?.score ?? "–";
  return el("div", { class: "heat-scroll", tabindex: "0", role: "region", "aria-labelledby": `${id}-caption` },
    el("table", { class: "rounds-table" },
      el("caption", { id: `${id}-caption` }, t("learning.profile.rounds")),
      el("thead", {}, el("tr", {}, el("th", { scope: "col" }, t("learning.profile.aspect")),
        ...rounds.map((r) => el("th", { scope: "col" }, dayEl(r.answered_at.slice(0, 10)))))),
      el("tbody", {}, ...titles.map(([key, title]) => el("tr", {}, el("th", { scope: "row" }, title),
        ...rounds.map((r) => el("td", {}, String(scoreIn(r, key)))))))));
}

function profileCard(rounds) {
  const byInstrument = new Map();
  for (const round of rounds) {
    const key = round.instrument.key;
    if (!byInstrument.has(key)) byInstrument.set(key, []);
    byInstrument.get(key).push(round);
  }
  const parts = [...byInstrument.entries()].map(([key, list], index) => {
    const id = `learning-profile-${index}`;
    return el("section", { class: "learning-profile", "aria-labelledby": `${id}-heading`, dataset: { instrument: key } },
      el("h3", { id: `${id}-heading` }, list[0].instrument.title),
      el("p", { class: "hint" }, t("learning.profile.latest", { when: formatDay(list[0].answered_at.slice(0, 10)) })),
      el("ul", { class: "score-list" }, ...list[0].profile.map(bar)),
      list.length > 1 ? roundsTable(list, id) : null);
  });
  return el("section", { class: "card", "aria-labelledby": "learning-profile-heading" },
    el("h2", { id: "learning-profile-heading" }, t("learning.profile.heading")),
    parts.length ? el("p", { class: "hint" }, t("learning.profile.hint")) : el("p", { class: "hint" }, t("learning.profile.none")),
    ...parts);
}
