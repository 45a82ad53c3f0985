// The change log, newest first: when, who, which person, team or department, what was done,
// and each field before → after; "Meer" pages back.
import { t } from "../i18n.js";
import { get } from "../api.js";
import { $, el } from "../dom.js";
import { formatMoment } from "../incidents/gir-fields.js";
import { actionText, changeTexts } from "./words.js";

const PAGE = 50;

/** What a change set, leaving out the fields it left empty. */
const filled = (values) => Object.fromEntries(Object.entries(values || {})
  .filter(([, v]) => v !== null && v !== "" && !(Array.isArray(v) && v.length === 0)));

export class ChangeLog {
  constructor() {
    this.changes = [];
    this.bound = false;
  }

  bind() {
    if (this.bound) return;
    this.bound = true;
    $("admin-changes-more").addEventListener("click", () => this.load({ more: true }));
  }

  async load({ more = false } = {}) {
    this.bind();
    const before = more && this.changes.length ? `&before=${this.changes[this.changes.length - 1].id}` : "";
    $("admin-changes-error").textContent = "";
    try {
      const answer = await get(`/api/admin/changes?limit=${PAGE}${before}`);
      this.changes = more ? [...this.changes, ...answer.changes] : answer.changes;
      this.render();
      $("admin-changes-more").hidden = !answer.more;
    } catch (err) {
      if (err.status === 401) return;
      $("admin-changes-error").textContent = err.isNetwork ? t("admin.error.offline") : err.message;
    }
  }

  render() {
    $("admin-changes").replaceChildren(...(this.changes.length ? this.changes.map((c) => el("li", { class: "admin-change" },
      el("p", {}, el("time", { datetime: c.at }, formatMoment(c.at)), " · ", c.actor.name, " · ",
        el("strong", {}, c.label), `: ${actionText(c.action)}`, c.via === "app" ? "" : ` (${t(`admin.via.${c.via}`)})`),
      ...changeTexts(c.before, c.before ? c.after : filled(c.after)).map((text) => el("p", { class: "hint" }, text))))
      : [el("li", { class: "hint" }, t("admin.changes.none"))]));
  }

  stop() {
    this.changes = [];
    $("admin-changes").replaceChildren();
  }
}
