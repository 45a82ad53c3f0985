// A team in Leren ("/leren/team/3"), for its manager and the coordinator: the team picture of
// each questionnaire and of the matrix (heat maps, or below the threshold why not), the weakest
// areas each with "Maak hier een teamactie van", the learning goals shared with the viewer,
// and the team plan with its form. Live data only, never kept on the phone.
import { t } from "../i18n.js";
import { get } from "../api.js";
import * as conn from "../connection.js";
import { el } from "../dom.js";
import { applyLimits } from "../vocabulary.js";
import { momentEl } from "../incidents/followup-ui.js";
import { pictureSection } from "./picture.js";
import { planItem } from "./plan-item.js";
import { planForm } from "./plan-form.js";

let workForms = null;  // the same for every team: asked once

async function loadWorkForms() {
  workForms ??= get("/api/learning/work-forms").then((a) => a.work_forms, (err) => {
    workForms = null;
    throw err;
  });
  return workForms;
}

export class View {
  root = null;
  id = null;
  data = null;  // {picture, plan, workForms}
  gen = 0;
  area = null;  // the weak area the plan form was opened from

  constructor(root) {
    this.root = root;
  }

  async show(_me, id) {
    this.id = id;
    this.area = null;
    const gen = ++this.gen;
    this.root.replaceChildren(el("p", { class: "hint" }, t("loading")));
    try {
      const [picture, plan, forms] = await Promise.all([get(`/api/learning/teams/${id}/picture`),
        get(`/api/learning/teams/${id}/plan`), loadWorkForms()]);
      if (gen !== this.gen) return;
      conn.setReachable(true);
      this.data = { picture, plan, workForms: forms };
      this.draw();
    } catch (err) {
      if (gen !== this.gen || err.status === 401) return;
      if (err.isNetwork) conn.setReachable(false);
      this.root.replaceChildren(el("p", { class: "error", role: "alert" }, err.isNetwork ? t("learning.offline.live") : err.message));
    }
  }

  async reloadPlan(focusId = null, message = "") {
    const gen = this.gen;
    try {
      const plan = await get(`/api/learning/teams/${this.id}/plan`);
      if (gen !== this.gen) return;
      this.data.plan = plan;
    } catch { /* the answer of the change is drawn below at least */ }
    this.drawPlan(message);
    const target = focusId ? this.root.querySelector(`#plan-item-${focusId}`) : null;
    (target || this.root.querySelector("#learning-plan-heading")).focus();
  }

  draw() {
    const { picture } = this.data;
    const pictures = [...picture.questionnaires, picture.matrix].filter(Boolean);
    this.root.replaceChildren(
      el("h2", { class: "learning-team-name", id: "learning-team-name" }, picture.team.name),
      el("section", { class: "card", "aria-labelledby": "learning-picture-heading" },
        el("h2", { id: "learning-picture-heading" }, t("learning.picture.heading")),
        el("p", { class: "hint" }, t("learning.picture.privacy", { n: picture.threshold })),
        ...pictures.map((p, i) => pictureSection(p, { threshold: picture.threshold, id: `learning-picture-${i}`,
          onWeakest: (shown, area) => this.openForm({ questionnaire: shown.key, key: area.key, title: area.title }) }))),
      goalsSection(picture.goals),
      el("section", { class: "card learning-plan", "aria-labelledby": "learning-plan-heading" },
        el("h2", { id: "learning-plan-heading", tabindex: "-1" }, t("learning.plan.heading")),
        el("p", { class: "form-status", id: "learning-plan-status", role: "status" }),
        el("ul", { class: "plan-list", id: "learning-plan-list" }),
        el("p", { class: "hint", id: "learning-plan-empty", hidden: "" }, t("learning.plan.empty")),
        el("div", { id: "learning-plan-form-box" })));
    this.drawPlan();
  }

  drawPlan(message = "") {
    const items = this.data.plan.items;
    this.root.querySelector("#learning-plan-list").replaceChildren(...items.map((item) => planItem(item,
      { onChanged: (changed, said) => this.reloadPlan(changed.id, said) })));
    this.root.querySelector("#learning-plan-empty").hidden = items.length > 0;
    this.root.querySelector("#learning-plan-status").textContent = message;
    this.drawForm();
  }

  /** The form folded away, or open (from a weak area: prefilled with it). */
  drawForm(open = false) {
    const box = this.root.querySelector("#learning-plan-form-box");
    const area = this.area;
    const node = planForm({ id: "learning-plan-form", teamId: this.id, title: area?.title || "", area,
      people: this.data.plan.people, workForms: this.data.workForms,
      onCreated: (item) => { this.area = null; this.reloadPlan(item.id, t("learning.plan.added")); },
      onCancel: area ? () => { this.area = null; this.drawForm(); } : null });
    const details = el("details", { class: "fu-more plan-add", id: "learning-plan-add" }, el("summary", {}, t("learning.plan.add")), node);
    if (open) details.open = true;
    box.replaceChildren(details);
    applyLimits(box);
    return details;
  }

  openForm(area) {
    this.area = area;
    const details = this.drawForm(true);
    details.scrollIntoView({ block: "start" });
    details.querySelector("#learning-plan-form-kind").focus({ preventScroll: true });
  }

  leave() {
    this.gen += 1;
    this.data = null;
    this.root.replaceChildren();
  }
}

function goalsSection(goals) {
  return el("section", { class: "card", "aria-labelledby": "learning-team-goals-heading" },
    el("h2", { id: "learning-team-goals-heading" }, t("learning.teamGoals.heading")),
    goals.length ? el("ul", { class: "learning-goal-list" }, ...goals.map((g) => el("li", { class: "learning-goal" },
      el("p", { class: "fu-note" }, g.text),
      el("p", { class: "hint" }, g.author?.name || "", " · ", momentEl(g.shared_at || g.created_at)))))
      : el("p", { class: "hint" }, t("learning.teamGoals.none")));
}
