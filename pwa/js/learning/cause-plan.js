// The incident analysis' way into the team plan: each saved cause whose decision calls for an
// action gets "In het teamplan zetten" (a small form: kind, title, date) when the viewer may
// plan for the incident's team (the server's plan_team), and every cause shows the team-plan
// items it became. Outside the analysis form: a form may not hold another.
import { t } from "../i18n.js";
import { el } from "../dom.js";
import { applyLimits, entry, limit } from "../vocabulary.js";
import { planForm } from "./plan-form.js";

/** Whether the cause's decision calls for an action: the vocabulary's entry says so. */
const needsAction = (cause) => entry("cause_decisions", cause.decision)?.plans === true;

function linkedItems(cause) {
  if (!cause.plan_items?.length) return null;
  return el("ul", { class: "plan-links" }, ...cause.plan_items.map((item) => el("li", { class: "plan-link", dataset: { id: String(item.id) } },
    t("learning.cause.linked", { title: item.title, state: item.state_label, team: item.team?.name || "" }))));
}

function causeEntry(cause, index, { incidentId, planTeam }) {
  const id = `fu-cause-plan-${index}`;
  const items = linkedItems(cause);
  const box = el("div", { class: "fu-cause-plan-box" });
  const row = el("li", { class: "fu-cause-plan", id, dataset: { cause: cause.id } },
    el("p", {}, el("strong", {}, t("fu.cause.legend", { n: index + 1 })), ` ${cause.description}`), items, box);
  if (!needsAction(cause) || !planTeam) return row;
  const open = el("button", { type: "button", class: "btn btn-secondary btn-small", id: `${id}-open` }, t("learning.cause.plan"));
  open.addEventListener("click", () => {
    const node = planForm({ id: `${id}-form`, teamId: planTeam.id, title: (cause.action || cause.description).slice(0, limit("plan_title")?.max),
      incident: { id: incidentId, cause_id: cause.id },
      onCreated: (item) => {
        cause.plan_items = [...(cause.plan_items || []), item];
        row.replaceWith(causeEntry(cause, index, { incidentId, planTeam }));
        document.getElementById(id)?.querySelector(".plan-links")?.setAttribute("tabindex", "-1");
        document.getElementById(id)?.querySelector(".plan-links")?.focus();
      },
      onCancel: () => { box.replaceChildren(); open.hidden = false; open.focus(); } });
    open.hidden = true;
    box.replaceChildren(node);
    applyLimits(box);
    node.querySelector(`#${id}-form-kind`).focus();
  });
  box.before(open);
  return row;
}

/** The saved causes with their team-plan items; null when nothing is saved yet. */
export function causesInPlan(analysis, incidentId) {
  const causes = (analysis?.causes || []).filter((c) => c.id);
  if (!causes.length) return null;
  const planTeam = analysis.plan_team || null;
  return el("section", { class: "fu-causes-plan", "aria-labelledby": "fu-causes-plan-heading" },
    el("h5", { id: "fu-causes-plan-heading" }, t("learning.cause.heading", { team: planTeam?.name || "" })),
    el("ol", { class: "fu-cause-plan-list" }, ...(analysis.causes || []).map((c, i) => (c.id ? causeEntry(c, i, { incidentId, planTeam }) : null))));
}
