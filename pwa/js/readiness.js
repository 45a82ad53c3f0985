// Whether phones received their last test alarm: my own, and my teams' for managers.
// A phone that cannot receive alarms is shown with the reason, so it is fixed in time. The list
// is asked again at once when the server says a test alarm arrived (`readiness.changed`), at the
// moment a test still on its way is due (`recheck_at`), and every 30 s as a safety net.
import { t } from "./i18n.js";
import { get, serverNow } from "./api.js";
import * as conn from "./connection.js";
import { $, el } from "./dom.js";

const REFRESH_MS = 30_000;
const RECHECK_SLACK_MS = 500; // the server decides at recheck_at: ask just after it

class Readiness {
  constructor() {
    this.active = false;
    this.timer = 0;
    this.recheckTimer = 0;
    this.bound = false;
  }

  async render() {
    let people;
    try {
      ({ people } = await get("/api/alarm-readiness"));
    } catch {
      return; // offline: keep what is shown
    }
    if (!this.active) return;
    $("readiness-list").replaceChildren(...people.map((p) => el("li", { dataset: { status: p.status } },
      el("strong", {}, p.user.name),
      el("span", {}, ` — ${t(`readiness.${p.status}`)}`),
      p.status === "unreachable" ? el("p", { class: "hint" }, p.reason) : null)));
    this.scheduleRecheck(people);
  }

  /** A test alarm on its way turns "ok" or "unreachable" at its recheck_at: ask again then. */
  scheduleRecheck(people) {
    clearTimeout(this.recheckTimer);
    const due = people.map((p) => Date.parse(p.recheck_at || "")).filter((at) => !Number.isNaN(at));
    if (!due.length) return;
    const wait = Math.max(0, Math.min(...due) - serverNow()) + RECHECK_SLACK_MS;
    this.recheckTimer = setTimeout(() => this.render(), wait);
  }

  start() {
    this.active = true;
    if (!this.bound) {
      this.bound = true;
      conn.onEvent((ev) => { if (this.active && ev?.type === "readiness.changed") this.render(); });
    }
    this.render();
    clearInterval(this.timer);
    this.timer = setInterval(() => this.render(), REFRESH_MS);
  }

  stop() {
    this.active = false;
    clearInterval(this.timer);
    clearTimeout(this.recheckTimer);
  }
}

const readiness = new Readiness();
export const startReadiness = () => readiness.start();
export const stopReadiness = () => readiness.stop();
