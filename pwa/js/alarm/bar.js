// What keeps an open alarm in sight for a responder on every logged-in screen: a bar at the top
// with each open alarm they respond to whose alert is not on screen (a tap reopens it), until the
// alarm is resolved or withdrawn; then a trace of how it ended, which stays until dismissed or
// for a minute, so closing it on the register screen or in another tab leaves a mark there too.
import { t } from "../i18n.js";
import { $, el } from "./common.js";
import { can } from "../capabilities.js";

const TRACE_MS = 60_000;

class AlarmBar {
  constructor() {
    this.traces = new Map(); // alarm id -> {alarm, timer}
    this.shown = [];         // the open alarms listed
    this.me = null;
  }

  /** The open alarms to list (those whose alert is not on screen). */
  render(alarms, me) {
    this.shown = alarms;
    this.me = me;
    const bar = $("alarm-banner");
    bar.replaceChildren(...alarms.map((alarm) => this.row(alarm)));
    bar.hidden = alarms.length === 0;
  }

  row(alarm) {
    const name = alarm.worker?.name || "";
    const text = alarm.test ? t("alarm.banner.test", { name }) : t("alarm.banner", { name });
    const row = el("div", { class: "alarm-banner-row" },
      el("button", { type: "button", class: "btn btn-banner", dataset: { alarmId: String(alarm.id) } }, text));
    if (can(this.me, "alarm_timeline")) {
      row.append(el("button", { type: "button", class: "btn btn-light timeline-btn", dataset: { timeline: String(alarm.id) } }, t("alarm.timeline")));
    }
    return row;
  }

  /** An alarm I responded to was closed (by me, a colleague, or withdrawn by the worker). */
  trace(alarm) {
    clearTimeout(this.traces.get(alarm.id)?.timer);
    this.traces.set(alarm.id, { alarm, timer: setTimeout(() => this.dropTrace(alarm.id), TRACE_MS) });
    this.renderTraces();
  }

  dropTrace(id) {
    clearTimeout(this.traces.get(id)?.timer);
    this.traces.delete(id);
    this.renderTraces();
  }

  renderTraces() {
    $("alarm-trace").replaceChildren(...[...this.traces.values()].map(({ alarm }) => {
      const text = traceText(alarm);
      return el("div", { class: "alarm-trace-row" },
        el("p", { class: "alarm-trace-text" }, text),
        el("button", { type: "button", class: "btn btn-small btn-quiet alarm-trace-dismiss",
          dataset: { traceId: String(alarm.id) }, "aria-label": t("alarm.trace.dismissLabel", { text }) },
        t("alarm.trace.dismiss")));
    }));
  }

  refreshTexts() {
    this.render(this.shown, this.me);
    this.renderTraces();
  }

  /** open(id) and timeline(id) for the bar's buttons. */
  bind({ open, timeline }) {
    $("alarm-banner").addEventListener("click", (e) => {
      const tl = e.target.closest("[data-timeline]");
      if (tl) { timeline(Number(tl.dataset.timeline)); return; }
      const b = e.target.closest("[data-alarm-id]");
      if (b) open(Number(b.dataset.alarmId));
    });
    $("alarm-trace").addEventListener("click", (e) => {
      const b = e.target.closest("[data-trace-id]");
      if (b) this.dropTrace(Number(b.dataset.traceId));
    });
  }

  stop() {
    for (const { timer } of this.traces.values()) clearTimeout(timer);
    this.traces.clear();
    this.render([], null);
    this.renderTraces();
  }
}

function traceText(alarm) {
  const name = alarm.worker?.name || "";
  return alarm.state === "resolved"
    ? t("alarm.trace.resolved", { name, outcome: alarm.outcome_label || "" })
    : t("alarm.trace.cancelled", { name });
}

export const alarmBar = new AlarmBar();
