// The worker's side: the alarm screen and the PIN form. The state — the raise (idempotent,
// retried until the server has it), the open alarm, position sharing while it is open and
// closing with the PIN — is a WorkerAlarmController (worker-core.js, tested in Node).
//
// Honest status: "ontvangen" only ever follows a 200/201 from the server. Offline at the press,
// no answer within 3 s, or a 503, 5xx or network error: the screen says at once "Niet verstuurd
// — bel 112" and keeps sending (the pending raise is kept in IndexedDB). 112 and the manager are
// on the alarm screen all the time, online too.
//
// Duress: the server answers a duress PIN exactly as a real cancel, and this code never
// looks at the answer's body: every 200 runs the same finish() (worker-core.js) and the same silent position
// cover (cover.js), and nothing about an alarm closed here is shown again (later events about
// it are ignored), so an onlooker cannot tell the two apart.
import { t } from "../i18n.js";
import { post, get } from "../api.js";
import { kvGet, kvSet, kvDelete } from "../store.js";
import { PositionWatch } from "../position.js";
import { isActive } from "../visits/common.js";
import { $, el, ackText, telHref, newClientId } from "./common.js";
import { afterAlarm } from "./after.js";
import { cover } from "./cover.js";
import { WorkerAlarmController } from "./worker-core.js";

/** The alarm screen (#alarm-screen) drawn from the controller's state; the form's events. */
class WorkerAlarmScreen {
  constructor(alarm) {
    this.alarm = alarm;
    this.me = null;
    this.ui = { setOwnAlarm: () => {} };
    this.bound = false;
  }

  setStatus(state, text) {
    const p = $("alarm-status");
    p.dataset.state = state;
    if (p.textContent !== text) p.textContent = text; // the same words are not announced again
  }

  statusText(state) {
    if (state === "acknowledged") return ackText(this.alarm.own.acknowledgements.at(-1));
    return t(`alarm.status.${state}`);
  }

  renderManagerCall() {
    const a = $("call-manager");
    const m = this.me?.manager;
    a.hidden = !m?.phone;
    if (m?.phone) {
      a.href = telHref(m.phone);
      a.textContent = t("alarm.callManager", { name: m.name });
    }
  }

  /** The visit under way: the server's (once it has the alarm), else the one on this phone. */
  visitNow() {
    if (this.alarm.own) return this.alarm.own.visit || null;
    const visit = this.ui?.currentVisit?.() ?? null;  // visits' code may not be here yet
    return isActive(visit) ? visit : null;
  }

  renderLocation() {
    const p = $("alarm-location");
    const { watch } = this.alarm.deps;
    const state = watch.latest ? "shared" : watch.missing ? "missing" : "pending";
    p.dataset.state = state;
    const key = state === "missing" && this.visitNow() ? "alarm.location.missing.visit" : `alarm.location.${state}`;
    p.textContent = t(key);
  }

  renderPinForm() {
    const { locked } = this.alarm;
    $("alarm-cancel-form").hidden = !!locked;
    const note = $("alarm-pin-locked");
    note.hidden = !locked;
    note.textContent = locked ? locked.message || t("alarm.pin.locked") : "";
  }

  render() {
    const { own, unsent, test } = this.alarm;
    $("alarm-screen-title").textContent = test ? t("alarm.screen.title.test") : t("alarm.screen.title");
    $("alarm-test-mark").hidden = !test;
    $("alarm-screen").classList.toggle("is-test", test);
    this.renderManagerCall();
    $("alarm-acks").replaceChildren(...(own?.acknowledgements || []).map((a) => el("li", {}, ackText(a))));
    // "idle" (neither a raise nor an open alarm) has no words of its own: it reads as sending.
    const state = this.alarm.status === "idle" ? "sending" : this.alarm.status;
    this.setStatus(state, this.statusText(state));
    const note = $("alarm-offline");
    note.hidden = !!own || !unsent;
    // Why it is not sent yet: the server's words for a busy server, else ours.
    note.textContent = !own && unsent ? unsent.message || t(`alarm.unsent.${unsent.reason}`) : "";
    this.renderLocation();
    this.renderPinForm();
  }

  show() {
    $("alarm-pin-error").textContent = "";
    this.render();
    this.ui.setOwnAlarm(true);
  }

  finished(alarm) {
    $("alarm-pin").value = "";
    $("alarm-pin-error").textContent = "";
    this.ui.setOwnAlarm(false);
    afterAlarm.show(alarm);
  }

  /** Mark the PIN input wrong, with why, and put the focus there. */
  pinError(input, error, text, { clear = false } = {}) {
    error.textContent = text;
    if (clear) input.value = "";
    input.setAttribute("aria-invalid", "true");
    input.focus();
  }

  explainRefusal({ error: why, message }, input, error) {
    if (why === "invalid") this.pinError(input, error, t("alarm.pin.invalid"));
    else if (why === "wrong") this.pinError(input, error, message || t("alarm.pin.wrong"), { clear: true });
    else if (why === "notYet") error.textContent = t("alarm.cancel.notYet");
    else if (why === "offline") error.textContent = t("alarm.cancel.offline");
    else if (why === "failed") error.textContent = message || t("alarm.cancel.failed");
    else if (why === "locked") {
      this.renderPinForm();
      $("alarm-pin-locked").focus();
    }
  }

  async submitCancel(e) {
    e.preventDefault();
    const input = $("alarm-pin");
    const error = $("alarm-pin-error");
    const pin = input.value.trim();
    error.textContent = "";
    input.removeAttribute("aria-invalid");
    const refused = this.alarm.cancelRefusal(pin); // nothing to send: said at once
    if (refused) { this.explainRefusal(refused, input, error); return; }
    const btn = e.submitter || $("alarm-cancel-form").querySelector("button[type=submit]");
    btn.disabled = true;
    try {
      const result = await this.alarm.cancel(pin);
      if (!result.ok) this.explainRefusal(result, input, error);
    } finally {
      btn.disabled = false;
    }
  }

  bind() {
    if (this.bound) return;
    this.bound = true;
    $("alarm-cancel-form").addEventListener("submit", (e) => this.submitCancel(e));
    window.addEventListener("online", () => this.alarm.online());
    window.addEventListener("offline", () => this.alarm.offline());
  }
}

// The one alarm of this page's user: a singleton as the page has one worker and one screen.
const watch = new PositionWatch(() => alarm.positionChanged());
const alarm = new WorkerAlarmController({
  api: { post, get },
  store: { get: kvGet, set: kvSet, delete: kvDelete },
  watch,
  cover,
  isOnline: () => navigator.onLine,
  newClientId,
  vibrate: () => navigator.vibrate?.(300),
});
const screen = new WorkerAlarmScreen(alarm);
alarm.view = screen;

export function configure(profile, hooks) {
  screen.me = profile;
  screen.ui = hooks;
}

export const isOpen = () => alarm.isOpen;
/** Start an alarm (test or real). Safe to call while one is open: then it just shows it. */
export const raise = (test) => alarm.raise(test);
/** On app start: keep sending an alarm that had not reached the server. */
export const resume = () => alarm.resume();
/** The server's view of my alarm (from the raise, /api/alarms or an alarm.updated event). */
export const adopt = (a, opts) => alarm.adopt(a, opts);
/** Called after /api/alarms no longer lists my open alarm: it was closed elsewhere. */
export const reconcile = (openIds) => alarm.reconcile(openIds);
/** Is this (an event about) an alarm of mine that this device already closed? */
export const isClosedHere = (id) => alarm.isClosedHere(id);
export const bind = () => screen.bind();

export function refreshTexts() {
  if (alarm.isOpen) screen.render();
}

/** Logout: forget everything (the pending raise is kept in storage only until clearAll). */
export const stop = () => alarm.stop();
