// The responder's open alarms as an object: which alarms I respond to are open, which one's
// alert is on screen, which are only in the bar, and the receipts (delivered once, seen once,
// only when the alert is on a visible screen). It touches no DOM: the receipts and the screen
// are passed in, so the rules are tested in Node (tests/js/alarm-responder.test.mjs);
// js/alarm/responder.js draws the alert and the bar.

/** Closed for a responder: resolved, or cancelled without duress (duress keeps it going). */
export function closedForResponder(alarm) {
  return alarm.state === "resolved" || (alarm.state === "cancelled" && !alarm.duress);
}

/** My own acknowledgement of this alarm, if any. */
export const myAck = (alarm, me) => (alarm.acknowledgements || []).find((a) => a.user?.id === me?.id);

export class ResponderAlarmController {
  /**
   * @param {object} deps
   * @param {(alarmId: number, state: "delivered"|"seen", channel: string) => void} deps.sendReceipt
   * @param {() => boolean} deps.isVisible  the page is on screen (not a background tab)
   */
  constructor(deps) {
    this.deps = deps;
    // What the screen does; the page sets it (js/alarm/responder.js), tests record the calls.
    this.view = { open() {}, render() {}, hide() {}, renderBar() {}, renderWhereabouts() {}, trace() {}, closed() {} };
    this.me = null;
    this.alerts = new Map(); // id -> {alarm, via: "websocket"|"push", delivered, seen, dismissed}
    this.currentId = null;   // the alarm whose alert is on screen, null while none is
  }

  get shown() { return this.alerts.get(this.currentId)?.alarm || null; }

  /** The open alarms the bar lists: all but the one whose alert is on screen. */
  get barred() {
    return [...this.alerts.values()].map((e) => e.alarm).filter((a) => a.id !== this.currentId);
  }

  isMine(alarm) { return alarm.worker?.id === this.me?.id; }

  renderBar() { this.view.renderBar(this.barred); }

  /** Put the alert of this alarm on screen (`alerting`: with sound, unless I acknowledged it). */
  open(id, { alerting = false } = {}) {
    const entry = this.alerts.get(id);
    if (!entry) return;
    entry.dismissed = false;
    this.currentId = id;
    this.view.open(entry.alarm, { alerting: alerting && !myAck(entry.alarm, this.me) });
    this.markSeen();
    this.renderBar();
  }

  hide() {
    this.view.hide();
    this.currentId = null;
  }

  /** "Sluiten": the alert goes, the alarm stays in the bar. */
  dismiss() {
    const entry = this.alerts.get(this.currentId);
    if (entry) entry.dismissed = true;
    this.hide();
    this.renderBar();
  }

  /** "seen" once per alarm, only when the alert is on a visible screen. */
  markSeen() {
    const entry = this.alerts.get(this.currentId);
    if (!entry || entry.seen || !this.deps.isVisible()) return;
    entry.seen = true;
    this.deps.sendReceipt(entry.alarm.id, "seen", entry.via === "push" ? "push" : "websocket");
  }

  /**
   * An open alarm I respond to: from a live alarm.raised (via websocket or push) or from
   * /api/alarms at start. A new one takes the screen with sound and vibration
   * (unless I already acknowledged it).
   */
  present(alarm, { via = "websocket" } = {}) {
    if (!alarm || this.isMine(alarm)) return;
    if (closedForResponder(alarm)) { this.close(alarm); return; }
    let entry = this.alerts.get(alarm.id);
    const isNew = !entry;
    if (isNew) {
      entry = { alarm, via, delivered: via === "push", seen: false, dismissed: false };
      this.alerts.set(alarm.id, entry);
    } else {
      entry.alarm = alarm;
    }
    if (!entry.delivered) { // a push already said "delivered" (the service worker did)
      entry.delivered = true;
      this.deps.sendReceipt(alarm.id, "delivered", "websocket");
    }
    if (isNew) this.open(alarm.id, { alerting: true }); // a new alarm takes the screen
    else if (this.currentId === alarm.id) this.view.render(alarm);
    this.renderBar();
  }

  /** A fresh view of an alarm (alarm.updated, or the answer to my own action). */
  update(alarm) {
    if (!alarm || this.isMine(alarm)) return;
    if (closedForResponder(alarm)) { this.close(alarm); return; }
    const entry = this.alerts.get(alarm.id);
    if (!entry) { this.present(alarm); return; }
    entry.alarm = alarm;
    if (this.currentId === alarm.id) this.view.render(alarm);
    this.renderBar();
  }

  /** The worker moved: the server sends where she is now (place, position, its status and the
   * navigation links) with every position. */
  position(alarmId, whereabouts) {
    const entry = this.alerts.get(alarmId);
    if (!entry || !whereabouts?.position) return;
    const { alarm_id: _, ...fresh } = whereabouts;
    entry.alarm = { ...entry.alarm, ...fresh };
    if (this.currentId === alarmId) this.view.renderWhereabouts(entry.alarm);
  }

  /** Gone from the open alarms; `ended` when we know how it ended (then a trace stays). */
  close(alarm, { ended = true } = {}) {
    const had = this.alerts.delete(alarm.id);
    if (this.currentId === alarm.id) this.hide();
    this.renderBar();
    if (had && ended) this.view.trace(alarm);
    if (had) this.view.closed(alarm);
  }

  /** Drop alarms that /api/alarms no longer lists (closed while we were away). */
  reconcile(openIds) {
    for (const [id, entry] of [...this.alerts]) {
      if (!openIds.has(id)) this.close(entry.alarm, { ended: false });
    }
  }

  /** Logout: forget every alarm. */
  stop() {
    this.alerts.clear();
    this.hide();
  }
}
