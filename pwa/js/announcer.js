// Live messages announce themselves wherever the user is, not only in the home screen's feed:
// a message from a colleague shows at the top of every screen (a status region, so screen
// readers say it) until dismissed or replaced by the next. Alarms have their own overlay and
// bar (alarm/), late visits and permission requests their banners (visits/).
import { t } from "./i18n.js";
import * as conn from "./connection.js";
import { $, el } from "./dom.js";

class Announcer {
  constructor() {
    this.me = null;
    this.bound = false;
  }

  start(me) {
    this.me = me;
    if (this.bound) return;
    this.bound = true;
    conn.onEvent((ev, { live = true } = {}) => { if (live) this.heard(ev); });
    navigator.serviceWorker?.addEventListener("message", (e) => {
      if (e.data?.type === "push-event") this.heard(e.data.event);
    });
    $("live-notice").addEventListener("click", (e) => {
      if (e.target.closest("[data-dismiss-notice]")) this.clear();
    });
  }

  /** A message someone else sent me (or my team). */
  heard(ev) {
    if (!this.me || ev?.type !== "message.sent" || ev.data?.from?.id === this.me.id) return;
    this.say(ev.body ? `${ev.title}: ${ev.body}` : ev.title || "");
  }

  say(text) {
    if (!text) return;
    $("live-notice").replaceChildren(el("div", { class: "live-notice-row" },
      el("p", { class: "live-notice-text" }, text),
      el("button", { type: "button", class: "btn btn-small btn-quiet", dataset: { dismissNotice: "" },
        "aria-label": t("notice.dismiss.label", { text }) }, t("notice.dismiss"))));
  }

  clear() {
    $("live-notice").replaceChildren();
  }

  stop() {
    this.me = null;
    this.clear();
  }
}

export const announcer = new Announcer();
