// The card after my own alarm closed (#alarm-after): how it ended and, after a real alarm, the
// way to the one incident report about it. It is kept in IndexedDB until dismissed, so a reload
// keeps it. Once a report for the alarm exists — waiting in this phone's outbox, received by
// the register, or known to the server (another phone) — it leads to that report instead of
// offering a second one (the server refuses a second report of one alarm with a 409).
import { t } from "../i18n.js";
import { get } from "../api.js";
import { kvGet, kvSet, kvDelete } from "../store.js";
import { $ } from "../dom.js";
import { paths } from "../routes.js";

const outbox = self.VeldwachtOutbox;
const KEY = "alarmAfter";
// Which of this phone's reports about the alarm to go by when there are several.
const RANK = { received: 0, waiting: 1, rejected: 2 };

/** A 409 naming the report this alarm already has: the server says so in fields.alarm_id. */
export const alreadyReported = (entry) => entry?.state === "rejected" && entry.status === 409 && !!entry.fields?.alarm_id;

class AfterAlarmCard {
  constructor() {
    this.me = null;
    this.card = null;  // {id, state, outcome_label, test, raised_at, visit, report: {id, number} | null}
    this.entry = null; // this phone's outbox entry about the alarm, if any
    this.generation = 0;
  }

  /** My alarm just closed on this phone (worker.js finish()). Stored before it is shown: a
   * card on screen is one a reload brings back. */
  async show(alarm) {
    const card = { id: alarm.id, state: alarm.state, outcome_label: alarm.outcome_label || "",
      test: !!alarm.test, raised_at: alarm.raised_at || null, visit: alarm.visit || null, report: null };
    this.card = card;
    this.entry = null;
    await this.save();
    if (this.card !== card) return;  // dismissed or logged out meanwhile
    this.render();
    this.refresh();
    $("alarm-closed").focus();
  }

  /** On app start: the card as it was, then what the outbox and the server know now. */
  async resume(profile) {
    this.me = profile;
    const gen = this.generation;
    const stored = await kvGet(KEY).catch(() => null);
    if (gen !== this.generation || !stored?.id || this.card) return;
    this.card = stored;
    this.render();
    this.refresh();
  }

  /** What the phone knows of a closed alarm of mine: the incident form prefills from it. */
  info(id) {
    return this.card?.id === id ? this.card : null;
  }

  async refresh() {
    if (!this.card || this.card.test) return;
    await this.findEntry();
    if (!this.entry || alreadyReported(this.entry)) await this.askServer();
    this.render();
  }

  async findEntry() {
    const id = this.card?.id;
    const mine = await outbox.list(this.me?.id).catch(() => []);
    const about = mine.filter((e) => e.payload?.alarm_id === id)
      .sort((a, b) => (RANK[a.state] ?? 9) - (RANK[b.state] ?? 9));
    if (this.card?.id === id) this.entry = about[0] || null;
  }

  /** The report the server has about this alarm (made here or on another phone), if any. */
  async askServer() {
    const id = this.card.id;
    try {
      const data = await get(`/api/alarms/${id}`, { handle401: false, timeout: 10000 });
      if (this.card?.id !== id || !data?.report) return;
      this.card.report = data.report;
      this.save();
    } catch { /* offline: the card keeps what it knew */ }
  }

  /** The report to lead to: {id, number} received by the register, or null. */
  report() {
    const e = this.entry;
    if (e?.state === "received" && e.incident_id != null) return { id: e.incident_id, number: e.number || "" };
    return this.card.report;
  }

  render() {
    const box = $("alarm-after");
    box.hidden = !this.card;
    if (!this.card) return;
    const { state, outcome_label: outcome, test, id } = this.card;
    const text = state === "resolved" ? t("alarm.closed.resolved", { outcome }) : t("alarm.closed.cancelled");
    $("alarm-closed").textContent = test ? `${t("alarm.test.prefix")} ${text}` : text;
    const report = test ? null : this.report();
    const entry = test || report ? null : this.entry;
    const offer = !test && !report && !entry;
    const make = $("alarm-report");
    make.hidden = !offer;
    make.href = paths.incident(id);
    const open = $("alarm-report-open");
    open.hidden = !report;
    if (report) open.textContent = t("alarm.after.open", { number: report.number });
    // A report on this phone not (yet) in the register: waiting, to be corrected, or refused
    // because the alarm has one already (the server's words name it).
    $("alarm-report-note").textContent = !entry ? "" : alreadyReported(entry) ? entry.error : t(`alarm.after.${entry.state}`);
    $("alarm-after-dismiss").textContent = offer ? t("alarm.after.none") : t("alarm.after.hide");
  }

  openReport() {
    const report = this.card && this.report();
    if (report) window.dispatchEvent(new CustomEvent("veldwacht:open-incident", { detail: { id: report.id } }));
  }

  dismiss() {
    this.forget();
    $("alarm-after").hidden = true;
    $("incident-new").focus();
  }

  save() {
    if (this.card && !this.card.test) return kvSet(KEY, this.card).catch(() => {});
    return kvDelete(KEY).catch(() => {});
  }

  forget() {
    this.generation += 1;
    this.card = null;
    this.entry = null;
    kvDelete(KEY).catch(() => {});
  }

  bind() {
    $("alarm-report-open").addEventListener("click", () => this.openReport());
    $("alarm-after-dismiss").addEventListener("click", () => this.dismiss());
    outbox.onChange(() => this.refresh());
  }

  /** Logout: the card goes (storage is wiped by the logout itself). */
  stop() {
    this.generation += 1;
    this.card = null;
    this.entry = null;
    this.me = null;
    $("alarm-after").hidden = true;
  }
}

export const afterAlarm = new AfterAlarmCard();
