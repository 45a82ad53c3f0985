// The reaction to the aggressor (§8) and the police (§10): the reaction matrix's advice,
// deciding a measure (a ban, warning or suspension also goes into the Agressie Informatie
// Register) or "geen maatregel" with its reason, extending the person's running ban instead
// of a second one, breaches of a ban, and aangifte / melding / why neither. Which measures and
// police steps exist, their labels, and which measures have a period or are bans is the
// server's vocabulary (GET /api/vocabulary).
import { t } from "../i18n.js";
import { codes, entry, label, word } from "../vocabulary.js";
import { el } from "../dom.js";
import { formatDay } from "./gir-fields.js";
import { serverNow } from "../api.js";
import { addMonths, control, dayEl, folded, form, momentEl, period, today, valueOf } from "./followup-ui.js";

export const measureLabel = (kind) => label("measures", kind);
const policeLabel = (kind) => label("police_steps", kind);
const periodOf = (kind) => entry("measures", kind)?.period ?? null; // "required" | "optional"
const isNoMeasure = (kind) => kind === word("no_measure");

/* ---------- advice ---------- */
function advice(data) {
  const a = data.advice;
  const due = a.category && !data.measures.length;
  return el("div", { class: "fu-advice", id: "fu-advice" },
    el("p", { class: "fu-advice-line" }, `${t("fu.advice.measure")}: `, el("strong", { id: "fu-advice-measure" }, a.measure_label)),
    a.police ? el("p", { class: "fu-advice-line" }, `${t("fu.advice.police")}: `, el("strong", { id: "fu-advice-police" }, policeLabel(a.police))) : null,
    el("p", { class: "fu-advice-reason" }, a.reason),
    a.note ? el("p", { class: "hint" }, a.note) : null,
    due ? el("p", {}, `${t("fu.advice.due")} `, momentEl(data.reaction_due_at),
      Date.parse(data.reaction_due_at) < serverNow() ? ` — ${t("fu.late")}` : "") : null);
}

/* ---------- measures and breaches ---------- */
function breachForm(m, ui) {
  const id = `fu-breach-${m.id}`;
  const submit = (node) => ui.act(node, { method: "POST", path: `/measures/${m.id}/breach`, body: {
    on: valueOf(node, "on"), extend_days: Number(valueOf(node, "extend_days") || 0), note: valueOf(node, "note") } }, {
    done: (answer) => {
      const now = answer.followup.measures.find((x) => x.id === m.id);
      return t("fu.breach.saved", { from: formatDay(now.starts_on), to: formatDay(now.ends_on) });
    },
    focus: () => document.getElementById(`fu-measure-${m.id}`) });
  return folded(t("fu.breach.open", { kind: measureLabel(m.kind) }),
    form({ id, submit: t("fu.breach.submit"), onSubmit: submit },
      el("p", { class: "hint" }, t("fu.breach.hint")),
      control({ id: `${id}-on`, field: "on", type: "date", label: t("fu.breach.on"), value: today() }),
      control({ id: `${id}-extend`, field: "extend_days", type: "number", label: t("fu.breach.extend"), value: "0", limit: "breach_extend_days", inputmode: "numeric" }),
      control({ id: `${id}-note`, field: "note", type: "textarea", label: t("fu.note"), limit: "followup_note", rows: 2 })));
}

function measureItem(m, ui) {
  const ban = entry("measures", m.kind)?.ban === true;
  const dated = Boolean(periodOf(m.kind) && m.starts_on);
  const noMeasure = isNoMeasure(m.kind);
  return el("li", { class: "fu-measure", id: `fu-measure-${m.id}`, tabindex: "-1", dataset: { kind: m.kind } },
    el("p", { class: "fu-measure-title" }, el("strong", {}, measureLabel(m.kind)), dated ? " " : "",
      dated ? (m.ends_on ? period(m.starts_on, m.ends_on) : el("span", { class: "fu-period" }, `${t("air.measure.from")} `, dayEl(m.starts_on), ` ${t("air.measure.open")}`)) : ""),
    m.extended_from ? el("p", { class: "fu-extended" }, t("fu.extend.was", { until: formatDay(m.extended_from) })) : null,
    el("p", { class: "hint" }, `${t("fu.measure.decidedOn")} `, dayEl(m.decided_on)),
    m.in_air ? el("p", { class: "fu-in-air" }, el("span", { "aria-hidden": "true" }, "ℹ "), t("fu.measure.inAir")) : null,
    m.note ? el("p", { class: "fu-note" }, noMeasure ? `${t("fu.police.reason")}: ${m.note}` : m.note) : null,
    m.breaches.length ? el("ul", { class: "fu-breaches" }, ...m.breaches.map((b) => el("li", {},
      `${t("fu.breach.was")} `, dayEl(b.on), b.extend_days ? ` (+${t("fu.breach.days", { n: b.extend_days })})` : "",
      b.note ? `: ${b.note}` : ""))) : null,
    ban ? breachForm(m, ui) : null);
}

/** The advised ban's shortest length from its start; the manager decides, this only fills in. */
function suggestedEnd(advised, kind, startsOn) {
  return kind === advised.measure && advised.min_months && startsOn ? addMonths(startsOn, advised.min_months) : "";
}

/**
 * Dates only for a measure with a period (its end optional for a suspension); the advised end
 * follows kind and start until the manager types one; "geen maatregel" asks for its reason.
 */
function followKind(node, advised) {
  const kind = valueOf(node, "kind");
  const ends = node.querySelector('[data-field="ends_on"]');
  const periodKind = periodOf(kind);
  node.querySelector(".fu-ban-dates").hidden = !periodKind;
  node.querySelector("#fu-measure-ends-hint").textContent = kind === advised.measure
    ? t("fu.measure.endsHint", { advice: advised.measure_label })
    : t(periodKind === "optional" ? "fu.measure.endsOptional" : "fu.measure.endsFree");
  const noMeasure = isNoMeasure(kind);
  node.querySelector('label[for="fu-measure-note"]').textContent = t(noMeasure ? "fu.measure.reason" : "fu.note");
  node.querySelector("#fu-measure-note").toggleAttribute("required", noMeasure);
  const suggestion = suggestedEnd(advised, kind, valueOf(node, "starts_on"));
  if (ends.value === (node.dataset.suggested || "")) ends.value = suggestion;
  node.dataset.suggested = suggestion;
}

function measureForm(data, ui) {
  const advised = data.advice;
  const kinds = codes("measures");
  const kind = kinds.includes(advised.measure) ? advised.measure : kinds[0];
  const start = today();
  const submit = (node) => {
    const chosen = valueOf(node, "kind");
    const dates = periodOf(chosen) ? { starts_on: valueOf(node, "starts_on") || null, ends_on: valueOf(node, "ends_on") || null } : {};
    ui.act(node, { method: "POST", path: "/measures", body: { kind: chosen, decided_on: valueOf(node, "decided_on"), ...dates, note: valueOf(node, "note") } }, {
      done: (answer) => t("fu.measure.saved", { kind: measureLabel(chosen) }) + (answer.followup.measures.at(-1)?.in_air ? ` ${t("fu.measure.inAir")}` : ""),
      focus: (answer) => document.getElementById(`fu-measure-${answer.followup.measures.at(-1)?.id}`) });
  };
  const node = form({ id: "fu-measure-form", legend: t("fu.measure.legend"), submit: t("fu.measure.submit"), onSubmit: submit },
    control({ id: "fu-measure-kind", field: "kind", type: "select", label: t("fu.measure.kind"), value: kind,
      options: kinds.map((k) => [k, measureLabel(k)]) }),
    control({ id: "fu-measure-decided", field: "decided_on", type: "date", label: t("fu.measure.decided"), value: start }),
    el("div", { class: "fu-ban-dates" },
      control({ id: "fu-measure-starts", field: "starts_on", type: "date", label: t("fu.measure.starts"), value: start }),
      control({ id: "fu-measure-ends", field: "ends_on", type: "date", label: t("fu.measure.ends"),
        value: suggestedEnd(advised, kind, start), hint: t("fu.measure.endsHint", { advice: advised.measure_label }) })),
    control({ id: "fu-measure-note", field: "note", type: "textarea", label: t("fu.note"), limit: "followup_note", rows: 2 }));
  node.dataset.suggested = suggestedEnd(advised, kind, start);
  node.addEventListener("change", (e) => { if (e.target.matches('[data-field="kind"], [data-field="starts_on"]')) followKind(node, advised); });
  followKind(node, advised);
  return node;
}

/* ---------- the person's running ban: extend it rather than add a second ---------- */
function extensionForm(running, ui) {
  const id = `fu-extend-${running.id}`;
  const submit = (node) => ui.act(node, { method: "POST", path: "/extensions", body: {
    air_measure_id: running.id, decided_on: valueOf(node, "decided_on"), ends_on: valueOf(node, "ends_on"),
    note: valueOf(node, "note") } }, {
    done: (answer) => t("fu.extend.saved", { until: formatDay(answer.followup.measures.at(-1)?.ends_on) }),
    focus: (answer) => document.getElementById(`fu-measure-${answer.followup.measures.at(-1)?.id}`) });
  return form({ id, legend: t("fu.extend.legend", { kind: running.label.toLowerCase() }), submit: t("fu.extend.submit"), onSubmit: submit },
    control({ id: `${id}-decided`, field: "decided_on", type: "date", label: t("fu.measure.decided"), value: today() }),
    control({ id: `${id}-ends`, field: "ends_on", type: "date", label: t("fu.extend.ends"), hint: t("fu.extend.hint") }),
    control({ id: `${id}-note`, field: "note", type: "textarea", label: t("fu.note"), limit: "followup_note", rows: 2 }));
}

function runningItem(running, ui) {
  return el("div", { class: "fu-running", id: `fu-running-${running.id}` },
    el("p", { class: "fu-advice-line fu-open" }, el("span", { "aria-hidden": "true" }, "ℹ "),
      t("fu.extend.running", { kind: running.label.toLowerCase() }), " ",
      running.ends_on ? period(running.starts_on, running.ends_on) : "", " ", t("fu.extend.noSecond")),
    running.ends_on ? folded(t("fu.extend.open", { kind: running.label.toLowerCase() }), extensionForm(running, ui)) : null);
}

export function reactionPart(data, ui) {
  const decide = measureForm(data, ui);
  return [
    advice(data),
    data.measures.length ? el("ul", { class: "fu-list", id: "fu-measures" }, ...data.measures.map((m) => measureItem(m, ui)))
      : el("p", { class: "hint" }, t("fu.measure.none")),
    ...data.running.map((r) => runningItem(r, ui)),
    data.measures.length ? folded(t("fu.measure.another"), decide) : decide,
  ];
}

/* ---------- police ---------- */
function policeItem(r) {
  return el("li", { class: "fu-police-record" },
    el("strong", {}, policeLabel(r.kind)), ` — `, dayEl(r.on),
    r.reference ? ` — ${t("fu.police.reference")}: ${r.reference}` : "",
    r.domicile ? ` — ${t("fu.police.domicileShort")}` : "",
    r.reason ? el("span", { class: "fu-note" }, ` ${t("fu.police.reason")}: ${r.reason}`) : "");
}

function policeForm(data, ui) {
  const submit = (node) => ui.act(node, { method: "POST", path: "/police", body: {
    kind: valueOf(node, "kind"), on: valueOf(node, "on"), reference: valueOf(node, "reference"),
    domicile: valueOf(node, "domicile"), reason: valueOf(node, "reason") } }, {
    done: (answer) => t("fu.police.saved", { kind: policeLabel(answer.followup.police.records.at(-1)?.kind) }) });
  return form({ id: "fu-police-form", legend: t("fu.police.legend"), submit: t("fu.police.submit"), onSubmit: submit },
    control({ id: "fu-police-kind", field: "kind", type: "select", label: t("fu.police.kind"),
      value: data.police.advice || word("police_default"), options: codes("police_steps").map((k) => [k, policeLabel(k)]) }),
    control({ id: "fu-police-on", field: "on", type: "date", label: t("fu.police.on"), value: today() }),
    control({ id: "fu-police-reference", field: "reference", label: t("fu.police.reference"), limit: "police_reference" }),
    control({ id: "fu-police-domicile", field: "domicile", type: "checkbox", label: t("fu.police.domicile"), hint: t("fu.police.domicileHint") }),
    control({ id: "fu-police-reason", field: "reason", type: "textarea", label: t("fu.police.reason"), limit: "police_reason", rows: 2, hint: t("fu.police.reasonHint") }));
}

export function policePart(data, ui) {
  const p = data.police;
  return [
    p.advice ? el("p", { class: `fu-advice-line${p.open ? " fu-open" : ""}`, id: "fu-police-advice" },
      `${t("fu.advice.police")}: `, el("strong", {}, policeLabel(p.advice)), ". ", p.reason,
      p.open ? "" : ` ${t("fu.police.recorded")}`) : el("p", { class: "hint" }, t("fu.police.noAdvice")),
    el("p", { class: "hint" }, t("fu.police.victimOnly")),
    p.records.length ? el("ul", { class: "fu-list", id: "fu-police-records" }, ...p.records.map(policeItem)) : null,
    p.records.length && !p.open ? folded(t("fu.police.another"), policeForm(data, ui)) : policeForm(data, ui),
  ];
}
