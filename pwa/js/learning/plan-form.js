// A new team-plan item: the kind (the server's), optionally a work form whose goal, duration
// and steps become the facilitator's agenda, the title, the expected result, the owner, who
// outside the team takes it on, and the date. From a weak area or an incident's cause it comes
// prefilled and says where it came from; the server links the item to it.
import { t } from "../i18n.js";
import { el } from "../dom.js";
import { control, form, valueOf } from "../incidents/followup-ui.js";
import { choices } from "./words.js";
import { sendForm } from "./send.js";

function workFormAgenda(workForm) {
  if (!workForm) return [];
  return [
    el("p", {}, el("strong", {}, `${t("learning.workForm.goal")} `), workForm.goal || ""),
    workForm.duration ? el("p", {}, el("strong", {}, `${t("learning.workForm.duration")} `), workForm.duration) : null,
    workForm.audience ? el("p", {}, el("strong", {}, `${t("learning.workForm.audience")} `), workForm.audience) : null,
    workForm.steps?.length ? el("ol", { class: "plan-steps" }, ...workForm.steps.map((s) => el("li", {}, s))) : null,
  ].filter(Boolean);
}

function personOptions(people, outside, none) {
  return [["", none], ...people.filter((p) => Boolean(p.outside) === outside)
    .map((p) => [p.id, p.team ? `${p.name} (${p.team})` : p.name])];
}

function workFormControl(id, workForms) {
  const select = control({ id: `${id}-work-form`, field: "work_form", type: "select", label: t("learning.plan.workForm"),
    value: "", options: [["", t("learning.plan.noWorkForm")], ...workForms.map((w) => [w.key, w.title])] });
  const shown = el("div", { class: "plan-work-form", id: `${id}-agenda`, "aria-live": "polite" });
  return [select, shown];
}

/** When a work form is chosen: its agenda is shown, and its kind of plan item preselected. */
function followWorkForm(node, id, workForms) {
  node.addEventListener("change", (e) => {
    if (e.target.dataset.field !== "work_form") return;
    const chosen = workForms.find((w) => w.key === e.target.value) || null;
    node.querySelector(`#${id}-agenda`).replaceChildren(...workFormAgenda(chosen));
    if (chosen?.plan_kind) node.querySelector(`#${id}-kind`).value = chosen.plan_kind;
  });
}

function bodyOf(node, { area, incident }) {
  const number = (field) => (valueOf(node, field) ? Number(valueOf(node, field)) : null);
  const body = { kind: valueOf(node, "kind"), title: valueOf(node, "title"), due_on: valueOf(node, "due_on") };
  const optional = { work_form: valueOf(node, "work_form") || null, expected_result: valueOf(node, "expected_result"),
    owner_id: number("owner_id"), assignee_id: number("assignee_id") };
  for (const [key, value] of Object.entries(optional)) if (value) body[key] = value;
  if (area) body.area = { questionnaire: area.questionnaire, key: area.key };
  if (incident) body.incident = incident;
  return body;
}

/**
 * The form. spec: {id, teamId, title (prefilled), area {questionnaire, key, title} | null,
 * incident {id, cause_id} | null, people (null: no owner or assignee fields), workForms (null:
 * none to choose), onCreated(item), onCancel (a cancel button when given)}.
 */
export function planForm({ id, teamId, title = "", area = null, incident = null, people = null, workForms = null,
  onCreated, onCancel = null }) {
  const submit = async (node) => {
    const item = await sendForm(node, "POST", `/api/learning/teams/${teamId}/plan`, bodyOf(node, { area, incident }));
    if (item) onCreated(item);
  };
  const cancel = onCancel ? el("button", { type: "button", class: "btn btn-quiet" }, t("learning.plan.cancel")) : null;
  cancel?.addEventListener("click", onCancel);
  const node = form({ id, submit: t("learning.plan.submit"), onSubmit: submit, buttons: cancel ? [cancel] : [] },
    area ? el("p", { class: "hint plan-source" }, t("learning.plan.fromArea", { title: area.title })) : null,
    control({ id: `${id}-kind`, field: "kind", type: "select", label: t("learning.plan.kind"), value: "",
      options: [["", t("learning.plan.kindChoose")], ...choices("plan_kinds")] }),
    ...(workForms?.length ? workFormControl(id, workForms) : []),
    control({ id: `${id}-title`, field: "title", label: t("learning.plan.title"), value: title, limit: "plan_title", required: true }),
    control({ id: `${id}-expected`, field: "expected_result", type: "textarea", label: t("learning.plan.expected"),
      limit: "plan_expected_result", rows: 2 }),
    ...(people ? [
      control({ id: `${id}-owner`, field: "owner_id", type: "select", label: t("learning.plan.owner"), value: "",
        options: personOptions(people, false, t("learning.plan.noOwner")) }),
      control({ id: `${id}-assignee`, field: "assignee_id", type: "select", label: t("learning.plan.assignee"), value: "",
        hint: t("learning.plan.assigneeHint"), options: personOptions(people, true, t("learning.plan.noAssignee")) }),
    ] : []),
    control({ id: `${id}-due`, field: "due_on", type: "date", label: t("learning.plan.due"), value: "", required: true }));
  if (workForms?.length) followWorkForm(node, id, workForms);
  return node;
}
