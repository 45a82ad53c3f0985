// The organisation in Leren ("/leren/organisatie"), for the coordinator: per function group
// the organisation's picture (below the threshold: why not) beside that group's incidents in
// the period against the one before, and the team-plan actions still open across teams, from
// which the coordinator makes a concrete offer; and the editor of the instruments' versions.
// Live data only.
import { t } from "../i18n.js";
import { get } from "../api.js";
import * as conn from "../connection.js";
import { el } from "../dom.js";
import { pictureSection } from "./picture.js";
import { planItem } from "./plan-item.js";
import { editorCard } from "./instrument-editor.js";

function trend(incidents) {
  const change = incidents.change ?? incidents.total - incidents.previous;
  return el("dl", { class: "plan-facts learning-trend" },
    el("dt", {}, t("learning.org.incidents", { period: incidents.period.label })), el("dd", {}, String(incidents.total)),
    el("dt", {}, t("learning.org.previous")), el("dd", {}, String(incidents.previous)),
    el("dt", {}, t("learning.org.change")), el("dd", {}, change > 0 ? `+${change}` : String(change)));
}

export class View {
  root = null;
  gen = 0;
  published = null;  // the instrument version just published, to say so

  constructor(root) {
    this.root = root;
  }

  async show() {
    const gen = ++this.gen;
    this.root.replaceChildren(el("p", { class: "hint" }, t("loading")));
    try {
      const [data, open, all] = await Promise.all([get("/api/learning/organisation"),
        get("/api/learning/plan/open"), get("/api/learning/instruments/all")]);
      if (gen !== this.gen) return;
      conn.setReachable(true);
      this.draw(data, open.items, all.instruments);
    } catch (err) {
      if (gen !== this.gen || err.status === 401) return;
      if (err.isNetwork) conn.setReachable(false);
      this.root.replaceChildren(el("p", { class: "error", role: "alert" }, err.isNetwork ? t("learning.offline.live") : err.message));
    }
  }

  draw(data, openItems, instruments) {
    this.root.replaceChildren(
      el("section", { class: "card", "aria-labelledby": "learning-org-heading" },
        el("h2", { id: "learning-org-heading" }, t("learning.org.heading")),
        el("p", { class: "hint" }, t("learning.picture.privacy", { n: data.threshold })),
        ...data.function_groups.map((group, i) => el("section", { class: "learning-org-group", dataset: { group: group.function_group } },
          pictureSection({ ...group.picture, function_group_label: group.label }, { threshold: data.threshold, id: `learning-org-${i}` }),
          trend(group.incidents)))),
      el("section", { class: "card", "aria-labelledby": "learning-open-heading" },
        el("h2", { id: "learning-open-heading" }, t("learning.org.open.heading")),
        openItems.length
          ? el("ul", { class: "plan-list" }, ...openItems.map((item) => planItem(item, { showTeam: true, onChanged: () => this.show() })))
          : el("p", { class: "hint" }, t("learning.org.open.none"))),
      editorCard(instruments, { published: this.published, onPublished: (instrument) => {
        this.published = instrument;
        this.show();
      } }));
  }

  leave() {
    this.gen += 1;
    this.published = null;
    this.root.replaceChildren();
  }
}
