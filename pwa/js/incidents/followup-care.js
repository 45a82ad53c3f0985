// Aftercare for the victim (§11) as a timeline of talks, and the incident analysis: §9's
// questions and the causes with an action, its owner and dates, and per cause the decision
// whether action is needed (the learning guide's structured evaluation), which can become a
// team-plan item (learning/cause-plan.js).
import { t } from "../i18n.js";
import { el } from "../dom.js";
import { checkGroup, checkedValues, control, dayEl, entries, folded, form, momentEl, today, valueOf } from "./followup-ui.js";
import { choices } from "../learning/words.js";
import { causesInPlan } from "../learning/cause-plan.js";

/* ---------- aftercare ---------- */
const SECOND_TALK = "second_talk";  // where the signs of disturbed processing are looked for
const MARKS = { done: "✓", overdue: "⚠", open: "○" };

function stepForm(step, data, ui) {
  const id = `fu-step-${step.step}`;
  const submit = (node) => {
    const referral = valueOf(node, "referral");
    ui.act(node, { method: "PUT", path: `/aftercare/${step.step}`, body: { done_on: valueOf(node, "done_on"),
      notes: valueOf(node, "notes"), signs: checkedValues(node, "signs"), referral: referral || null } }, {
      done: t("fu.aftercare.saved", { step: step.label }),
      focus: () => document.getElementById(`fu-step-${step.step}-item`) });
  };
  return form({ id, submit: t("fu.aftercare.submit"), onSubmit: submit },
    control({ id: `${id}-on`, field: "done_on", type: "date", label: t("fu.aftercare.doneOn"), value: today() }),
    control({ id: `${id}-notes`, field: "notes", type: "textarea", label: t("fu.aftercare.notes"), limit: "aftercare_notes" }),
    step.step === SECOND_TALK ? checkGroup({ id: `${id}-signs`, name: "signs", legend: t("fu.aftercare.signs"),
      options: entries(data.vocabulary.signs) }) : null,
    control({ id: `${id}-referral`, field: "referral", type: "select", label: t("fu.aftercare.referral"), value: "",
      options: [["", t("fu.aftercare.noReferral")], ...entries(data.vocabulary.referrals)] }));
}

function stepState(step) {
  if (step.done_on) return el("p", { class: "fu-step-state" }, `${t("fu.aftercare.done")} `, dayEl(step.done_on));
  return el("p", { class: "fu-step-state" }, t(step.overdue ? "fu.late" : "fu.aftercare.open"));
}

function stepDone(step, data) {
  const signs = step.signs.map((s) => data.vocabulary.signs[s] || s);
  return [
    step.notes ? el("p", { class: "fu-note" }, step.notes) : null,
    signs.length ? el("p", {}, `${t("fu.aftercare.signs")}: ${signs.join("; ")}`) : null,
    step.referral ? el("p", {}, `${t("fu.aftercare.referral")}: ${data.vocabulary.referrals[step.referral] || step.referral}`) : null,
  ];
}

function stepItem(step, data, ui) {
  const state = step.done_on ? "done" : step.overdue ? "overdue" : "open";
  return el("li", { class: `fu-step is-${state}`, id: `fu-step-${step.step}-item`, tabindex: "-1", dataset: { step: step.step, state } },
    el("p", { class: "fu-step-title" }, el("span", { class: "fu-mark", "aria-hidden": "true" }, MARKS[state]), " ", el("strong", {}, step.label)),
    el("p", { class: "fu-step-when" }, `${t("fu.aftercare.from")} `, dayEl(step.from_on), ` · ${t("fu.aftercare.due")} `, momentEl(step.due_at)),
    stepState(step),
    ...(step.done_on ? stepDone(step, data) : [folded(t("fu.aftercare.record", { step: step.label }), stepForm(step, data, ui))]));
}

export function aftercarePart(data, ui) {
  return [el("ol", { class: "fu-timeline", id: "fu-aftercare" }, ...data.aftercare.map((step) => stepItem(step, data, ui)))];
}

/* ---------- analysis ---------- */
const CAUSE_FIELDS = ["id", "kind", "category", "decision", "description", "action", "action_owner_id", "action_due_on", "action_done_on"];

/** One shape for saved and typed analyses, so "unsaved" is a plain comparison. */
function normal(analysis) {
  const answers = Object.entries(analysis?.answers || {}).filter(([, v]) => (v || "").trim()).sort();
  const causes = (analysis?.causes || []).map((c) => CAUSE_FIELDS.map((f) => c[f] ?? null));
  return JSON.stringify({ answers, causes });
}

function readCause(row) {
  const value = (name) => row.querySelector(`[data-field$=".${name}"]`).value.trim();
  const owner = value("action_owner_id");
  const id = value("id");  // the server's, once saved: a team action points at it
  return { ...(id ? { id } : {}), kind: value("kind"), category: value("category"), decision: value("decision") || null,
    description: value("description"), action: value("action"), action_owner_id: owner ? Number(owner) : null,
    action_due_on: value("action_due_on") || null, action_done_on: value("action_done_on") || null };
}

function readAnalysis(node) {
  const answers = {};
  for (const box of node.querySelectorAll('[data-field^="answers."]')) {
    if (box.value.trim()) answers[box.dataset.field.slice("answers.".length)] = box.value.trim();
  }
  return { answers, causes: [...node.querySelectorAll(".fu-cause")].map(readCause) };
}

/** What is typed in the analysis form when it differs from what it was drawn from, else null. */
export function unsavedAnalysis(node) {
  const typed = readAnalysis(node);
  return normal(typed) === node.dataset.drawn ? null : typed;
}

function ownerOptions(ui, current) {
  const options = [["", t("fu.cause.noOwner")], [ui.me.id, t("fu.cause.me")],
    ...ui.people.filter((p) => p.id !== ui.me.id).map((p) => [p.id, p.role_label ? `${p.name} (${p.role_label})` : p.name])];
  if (current && !options.some(([id]) => String(id) === String(current))) options.push([current, t("fu.cause.owner.other", { id: current })]);
  return options;
}

function causeRow(cause, index, data, ui) {
  const id = `fu-cause-${index}`;
  const spec = (name, extra) => ({ id: `${id}-${name}`, field: `causes.${index}.${name}`, value: cause[name] ?? "", ...extra });
  return el("li", { class: "fu-cause" }, el("fieldset", { class: "fu-fieldset" },
    el("legend", { id: `${id}-legend`, tabindex: "-1" }, t("fu.cause.legend", { n: index + 1 })),
    el("input", { type: "hidden", id: `${id}-id`, dataset: { field: `causes.${index}.id` }, value: cause.id ?? "" }),
    control(spec("kind", { type: "select", label: t("fu.cause.kind"), value: cause.kind || "direct",
      options: [["direct", t("fu.cause.direct")], ["indirect", t("fu.cause.indirect")]] })),
    control(spec("category", { type: "select", label: t("fu.cause.category"), options: entries(data.vocabulary.cause_categories) })),
    control(spec("description", { type: "textarea", label: t("fu.cause.description"), limit: "cause_description", rows: 2, required: true })),
    control(spec("decision", { type: "select", label: t("fu.cause.decision"),
      options: [["", t("fu.cause.noDecision")], ...choices("cause_decisions")] })),
    control(spec("action", { label: t("fu.cause.action"), limit: "cause_action" })),
    control(spec("action_owner_id", { type: "select", label: t("fu.cause.owner"), options: ownerOptions(ui, cause.action_owner_id) })),
    control(spec("action_due_on", { type: "date", label: t("fu.cause.due") })),
    control(spec("action_done_on", { type: "date", label: t("fu.cause.doneOn") })),
    el("button", { type: "button", class: "btn btn-quiet btn-small fu-remove", dataset: { remove: String(index) } },
      t("fu.cause.remove", { n: index + 1 }))));
}

/** Add or remove a row in the form itself; nothing is sent until "Analyse opslaan". */
function editCauses(node, data, ui, change) {
  const draft = readAnalysis(node);
  const focusIndex = change(draft.causes);
  node.querySelector("#fu-causes").replaceChildren(...draft.causes.map((c, i) => causeRow(c, i, data, ui)));
  const target = node.querySelector(`#fu-cause-${focusIndex}-kind`) || node.querySelector("#fu-cause-add");
  target.focus();
}

function analysisForm(data, ui) {
  const shown = ui.draft || data.analysis;
  const submit = (node) => {
    const typed = readAnalysis(node);
    ui.act(node, { method: "PUT", path: "/analysis", body: { version: data.incident_version, ...typed } },
      { done: t("fu.analysis.saved"), conflict: t("fu.analysis.conflict") });
  };
  const node = form({ id: "fu-analysis-form", submit: t("fu.analysis.submit"), onSubmit: submit },
    el("fieldset", { class: "fu-fieldset" }, el("legend", {}, t("fu.analysis.questions")),
      ...Object.entries(data.vocabulary.analysis_questions).map(([key, question]) => control({ id: `fu-answer-${key}`,
        field: `answers.${key}`, type: "textarea", label: question, limit: "analysis_answer", value: shown.answers?.[key] || "" }))),
    el("fieldset", { class: "fu-fieldset" }, el("legend", {}, t("fu.analysis.causes")),
      el("p", { class: "hint" }, t("fu.analysis.causesHint")),
      el("ol", { class: "fu-causes", id: "fu-causes" }, ...(shown.causes || []).map((c, i) => causeRow(c, i, data, ui))),
      el("button", { type: "button", class: "btn btn-secondary", id: "fu-cause-add" }, t("fu.cause.add"))));
  node.dataset.drawn = normal(data.analysis);
  node.addEventListener("click", (e) => {
    const remove = e.target.closest("[data-remove]");
    if (e.target.closest("#fu-cause-add")) {
      editCauses(node, data, ui, (causes) => causes.push({}) - 1);
    } else if (remove) {
      const index = Number(remove.dataset.remove);
      editCauses(node, data, ui, (causes) => { causes.splice(index, 1); return Math.min(index, causes.length - 1); });
      ui.say(t("fu.cause.removed"));
    }
  });
  return node;
}

export function analysisPart(data, ui) {
  return [ui.draft ? el("p", { class: "fu-warning" }, t("fu.analysis.unsaved")) : null, analysisForm(data, ui),
    causesInPlan(data.analysis, ui.id)];
}
