// One team-plan item as every screen shows it (the team plan, Te doen, the incident analysis,
// the organisation's open items): what, whose, when, its state, where it came from, the work
// form's agenda, the material for the meeting and its evaluation; whoever may edit it (the
// server's may_edit) sets its state and records its evaluation here.
import { t } from "../i18n.js";
import { el } from "../dom.js";
import { paths } from "../routes.js";
import { control, dayEl, form, momentEl, valueOf } from "../incidents/followup-ui.js";
import { choices } from "./words.js";
import { sendForm } from "./send.js";

function facts(item, showTeam) {
  const rows = [
    showTeam ? [t("learning.plan.team"), item.team?.name] : null,
    [t("learning.plan.kind"), item.kind_label],
    [t("learning.plan.due"), dayEl(item.due_on)],
    [t("learning.plan.owner"), item.owner?.name],
    [t("learning.plan.assignee"), item.assignee?.name],
    [t("learning.plan.expected"), item.expected_result],
  ].filter((row) => row && row[1]);
  return el("dl", { class: "plan-facts" }, ...rows.flatMap(([term, value]) => [el("dt", {}, term), el("dd", {}, value)]));
}

function sourceText(source) {
  if (source?.area) return el("p", { class: "hint plan-source" }, t("learning.plan.fromArea", { title: source.area.title }));
  if (source?.incident) {
    return el("p", { class: "hint plan-source" }, `${t("learning.plan.fromIncident")} `,
      el("a", { href: paths.gir(source.incident.id, "analysis") }, source.incident.number || ""),
      source.incident.cause ? `: ${source.incident.cause}` : "");
  }
  return null;
}

/** The work form's steps: the facilitator's agenda. */
function agenda(workForm) {
  if (!workForm) return null;
  return el("details", { class: "plan-agenda" }, el("summary", {}, t("learning.plan.agenda", { title: workForm.title })),
    el("ol", {}, ...(workForm.steps || []).map((step) => el("li", {}, step))));
}

/** For a thematic meeting or a team incident analysis: the team's recent incidents. */
export function material(m) {
  if (!m) return null;
  const change = m.total - m.previous;
  const query = { ...m.register_query, label: t("learning.material.label", { period: m.period.label }) };
  return el("section", { class: "plan-material", "aria-label": t("learning.material.heading") },
    el("h4", {}, t("learning.material.heading")),
    el("p", {}, t("learning.material.total", { period: m.period.label, n: m.total, previous: m.previous,
      change: change > 0 ? `+${change}` : String(change) })),
    m.by_behaviour?.length ? el("ul", { class: "plan-material-list" },
      ...m.by_behaviour.map((b) => el("li", {}, `${b.label}: ${b.count}`))) : null,
    el("a", { class: "btn btn-secondary btn-small", href: paths.girList(query) }, t("learning.material.open")));
}

function evaluation(item) {
  const e = item.evaluation;
  if (!e) return null;
  return el("div", { class: "plan-evaluation", dataset: { outcome: e.outcome } },
    el("p", {}, el("strong", {}, t("learning.plan.evaluated", { outcome: e.outcome_label })), " ", dayEl(e.on),
      e.by ? ` · ${e.by}` : ""),
    e.text ? el("p", { class: "fu-note" }, e.text) : null);
}

function stateForm(item, onChanged) {
  const id = `plan-${item.id}-state`;
  const submit = async (node) => {
    const answer = await sendForm(node, "PUT", `/api/learning/plan/${item.id}`, { version: item.version, state: valueOf(node, "state") });
    if (answer) onChanged(answer, t("learning.plan.stateSaved"));
  };
  return form({ id, submit: t("learning.plan.stateSubmit"), onSubmit: submit },
    control({ id: `${id}-value`, field: "state", type: "select", label: t("learning.plan.state"), value: item.state,
      options: choices("plan_states", (entry) => entry.settable) }));
}

function evaluationForm(item, onChanged) {
  const id = `plan-${item.id}-evaluation`;
  const submit = async (node) => {
    const next = valueOf(node, "next_due_on");
    const body = { version: item.version, outcome: valueOf(node, "outcome"), text: valueOf(node, "text"),
      ...(next ? { next_due_on: next } : {}) };
    const answer = await sendForm(node, "POST", `/api/learning/plan/${item.id}/evaluation`, body);
    if (answer) onChanged(answer, t("learning.plan.evaluationSaved"));
  };
  return el("details", { class: "fu-more plan-evaluate" }, el("summary", {}, t("learning.plan.evaluate")),
    form({ id, submit: t("learning.plan.evaluationSubmit"), onSubmit: submit },
      control({ id: `${id}-outcome`, field: "outcome", type: "select", label: t("learning.plan.outcome"), value: "",
        options: [["", t("learning.plan.outcomeChoose")], ...choices("plan_outcomes")] }),
      control({ id: `${id}-text`, field: "text", type: "textarea", label: t("learning.plan.evaluationText"), limit: "plan_evaluation" }),
      control({ id: `${id}-next`, field: "next_due_on", type: "date", label: t("learning.plan.nextDue"),
        hint: t("learning.plan.nextDueHint") })));
}

/**
 * The item as a list entry. onChanged(item, message): the server's new version of it after a
 * change made here; showTeam for lists across teams; inMyHands for an item put in the
 * viewer's hands from outside its team (Te doen): its taker sets the state, the team meeting
 * evaluates it.
 */
export function planItem(item, { onChanged = () => {}, showTeam = false, inMyHands = false } = {}) {
  const editable = item.may_edit;
  return el("li", { class: "plan-item", id: `plan-item-${item.id}`, tabindex: "-1", dataset: { id: String(item.id), state: item.state } },
    el("h3", { class: "plan-title" }, item.title),
    el("p", { class: "plan-state" }, el("span", { class: "plan-state-label" }, item.state_label),
      item.carried_from ? ` · ${t("learning.plan.carried")}` : ""),
    facts(item, showTeam),
    sourceText(item.source),
    agenda(item.work_form),
    material(item.material),
    evaluation(item),
    el("p", { class: "hint plan-created" }, `${t("learning.plan.created")} `, momentEl(item.created_at)),
    editable || inMyHands ? stateForm(item, onChanged) : null,
    editable && !item.evaluation ? evaluationForm(item, onChanged) : null);
}
