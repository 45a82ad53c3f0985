// The responder's side: the full-screen alert (drawn by alert-view.js), acknowledging,
// resolving, the bar that keeps open alarms in sight on every screen (bar.js), receipts
// (delivered / seen) and the alarm tone (tone.js). Which alarms are open and which alert is on
// screen is a ResponderAlarmController's (responder-core.js, tested in Node); this draws it.
import { post } from "../api.js";
import { t } from "../i18n.js";
import { $, sendReceipt } from "./common.js";
import { inertAllBut } from "../dom.js";
import { renderAlert, renderTimes, renderWhereabouts, renderMapStatus } from "./alert-view.js";
import { refreshMap, onTileState } from "./map.js";
import { alarmBar } from "./bar.js";
import { startAlerting, stopTone, bindTone } from "./tone.js";
import * as timeline from "./timeline.js";
import { ResponderAlarmController } from "./responder-core.js";

const TICK_MS = 1000;
// The alert and its timeline stay usable; whatever screen is under them does not.
const ON_TOP = ["alarm-alert", "alarm-timeline-dialog"];

/** The full-screen alert (#alarm-alert) and its buttons, drawn from the controller's state. */
class ResponderAlertScreen {
  constructor(alarms) {
    this.alarms = alarms;
    this.hooks = { onClosed: () => {} };
    this.previousFocus = null;
    this.ticker = 0;
    this.bound = false;
  }

  render(alarm) {
    renderAlert(alarm, this.alarms.me);
  }

  /** Each second while the alert is up: how long ago, how old the position is. */
  tick() {
    const alarm = this.alarms.shown;
    if (alarm && !$("alarm-alert").hidden) renderTimes(alarm);
  }

  open(alarm, { alerting }) {
    const box = $("alarm-alert");
    $("alarm-alert-status").textContent = "";
    this.render(alarm);
    if (box.hidden) {
      this.previousFocus = document.activeElement;
      box.hidden = false;
      inertAllBut(ON_TOP, true);
      document.body.classList.add("has-alert");
      clearInterval(this.ticker);
      this.ticker = setInterval(() => this.tick(), TICK_MS);
    }
    refreshMap();
    box.focus();
    if (alerting) startAlerting();
  }

  hide() {
    const box = $("alarm-alert");
    stopTone();
    clearInterval(this.ticker);
    this.ticker = 0;
    if (box.hidden) return;
    box.hidden = true;
    inertAllBut(ON_TOP, false);
    document.body.classList.remove("has-alert");
    const back = this.previousFocus;
    this.previousFocus = null;
    if (back && document.contains(back) && !back.closest("[hidden]")) back.focus?.();
  }

  renderBar(alarms) { alarmBar.render(alarms, this.alarms.me); }
  renderWhereabouts(alarm) { renderWhereabouts(alarm); }
  trace(alarm) { alarmBar.trace(alarm); }
  closed(alarm) { this.hooks.onClosed(alarm); }

  dismiss() {
    this.alarms.dismiss();
    $("alarm-banner").querySelector("button")?.focus();
  }

  /**
   * A POST about the alarm on screen; `sent` is said before its answer is adopted (which may
   * close the alert), a failure in the status line.
   */
  async send(action, body, failed, sent = "") {
    const alarm = this.alarms.shown;
    const status = $("alarm-alert-status");
    try {
      const data = await post(`/api/alarms/${alarm.id}/${action}`, body, { timeout: 10000 });
      if (sent) status.textContent = t(sent);
      if (data?.alarm) this.alarms.update(data.alarm);
    } catch (err) {
      if (err.status === 401) return;
      status.classList.add("is-error");
      status.textContent = err.isNetwork ? t("error.network") : err.message || t(failed);
    }
  }

  async acknowledge(response) {
    if (!this.alarms.shown) return;
    stopTone();
    const status = $("alarm-alert-status");
    const btns = [$("ack-coming"), $("ack-112")];
    btns.forEach((b) => { b.disabled = true; });
    status.classList.remove("is-error");
    status.textContent = t("alarm.ack.sending");
    const sent = response === "coming" ? "alarm.ack.sent.coming" : "alarm.ack.sent.112";
    await this.send("acknowledge", { response }, "alarm.ack.failed", sent);
    btns.forEach((b) => { b.disabled = false; });
  }

  async resolve(e) {
    e.preventDefault();
    if (!this.alarms.shown) return;
    const sel = $("alarm-outcome");
    const status = $("alarm-alert-status");
    status.classList.remove("is-error");
    if (!sel.value) {
      status.classList.add("is-error");
      status.textContent = t("alarm.outcome.missing");
      sel.setAttribute("aria-invalid", "true");
      sel.focus();
      return;
    }
    sel.removeAttribute("aria-invalid");
    const btn = e.submitter || $("alarm-resolve-form").querySelector("button[type=submit]");
    btn.disabled = true;
    await this.send("resolve", { outcome: sel.value }, "alarm.resolve.failed");
    btn.disabled = false;
  }

  bind() {
    if (this.bound) return;
    this.bound = true;
    const alarms = this.alarms;
    $("ack-coming").addEventListener("click", () => this.acknowledge("coming"));
    $("ack-112").addEventListener("click", () => this.acknowledge("calling_112"));
    $("alarm-resolve-form").addEventListener("submit", (e) => this.resolve(e));
    $("alarm-alert-dismiss").addEventListener("click", () => this.dismiss());
    $("alarm-timeline-button").addEventListener("click", () => alarms.currentId && timeline.open(alarms.currentId));
    alarmBar.bind({ open: (id) => alarms.open(id), timeline: (id) => timeline.open(id) });
    $("alarm-alert").addEventListener("keydown", (e) => {
      if (e.key === "Escape") { e.preventDefault(); this.dismiss(); }
    });
    document.addEventListener("visibilitychange", () => alarms.markSeen());
    onTileState(() => renderMapStatus(alarms.shown));
    bindTone();
  }
}

// The open alarms of this page's user: a singleton as the page has one alert overlay.
const alarms = new ResponderAlarmController({
  sendReceipt: (id, state, channel) => sendReceipt(id, state, channel),
  isVisible: () => document.visibilityState === "visible",
});
const screen = new ResponderAlertScreen(alarms);
alarms.view = screen;

export function configure(profile, hooks) {
  alarms.me = profile;
  screen.hooks = hooks;
}

export const present = (alarm, opts) => alarms.present(alarm, opts);
export const update = (alarm) => alarms.update(alarm);
export const position = (alarmId, whereabouts) => alarms.position(alarmId, whereabouts);
export const reconcile = (openIds) => alarms.reconcile(openIds);
export const bind = () => screen.bind();

export function refreshTexts() {
  if (alarms.shown) screen.render(alarms.shown);
  alarmBar.refreshTexts();
}

export function stop() {
  alarms.stop();
  alarmBar.stop();
}
