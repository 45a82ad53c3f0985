// The reaction to the aggressor (§8) and the police (§10): the reaction matrix's advice,
// deciding a measure (a ban or warning also goes into the Agressie Informatie Register),
// breaches of a ban, and aangifte / melding / why neither.
import { t } from "../i18n.js";
import { el } from "../dom.js";
import { formatDay } from "./gir-fields.js";
import { serverNow } from "../api.js";
import { addMonths, control, dayEl, folded, form, momentEl, period, today, valueOf } from "./followup-ui.js";

const MEASURES = ["ordegesprek", "waarschuwingsbrief", "pandverbod", "contactverbod"];
const POLICE = ["aangifte", "melding", "afgezien"];

export const measureLabel = (kind) => t(`fu.measure.${kind}`);
const policeLabel = (kind) => t(`fu.police.${kind}`);

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
      control({ id: `${id}-extend`, field: "extend_days", type: "number", label: t("fu.breach.extend"), value: "0", min: "0", inputmode: "numeric" }),
      control({ id: `${id}-note`, field: "note", type: "textarea", label: t("fu.note"), max: 1000, rows: 2 })));
}

function measureItem(m, bans, ui) {
  const ban = bans.includes(m.kind);
  return el("li", { class: "fu-measure", id: `fu-measure-${m.id}`, tabindex: "-1", dataset: { kind: m.kind } },
    el("p", { class: "fu-measure-title" }, el("strong", {}, measureLabel(m.kind)), ban ? " " : "", ban ? period(m.starts_on, m.ends_on) : ""),
    el("p", { class: "hint" }, `${t("fu.measure.decidedOn")} `, dayEl(m.decided_on)),
    m.in_air ? el("p", { class: "fu-in-air" }, el("span", { "aria-hidden": "true" }, "ℹ "), t("fu.measure.inAir")) : null,
    m.note ? el("p", { class: "fu-note" }, m.note) : null,
    m.breaches.length ? el("ul", { class: "fu-breaches" }, ...m.breaches.map((b) => el("li", {},
      `${t("fu.breach.was")} `, dayEl(b.on), b.extend_days ? ` (+${t("fu.breach.days", { n: b.extend_days })})` : "",
      b.note ? `: ${b.note}` : ""))) : null,
    ban ? breachForm(m, ui) : null);
}

/** The advised ban's shortest length from its start; the manager decides, this only fills in. */
function suggestedEnd(advised, kind, startsOn) {
  return kind === advised.measure && advised.min_months && startsOn ? addMonths(startsOn, advised.min_months) : "";
}

/** Ban dates only for a ban; the advised end follows kind and start until the manager types one. */
function followKind(node, advised, bans) {
  const kind = valueOf(node, "kind");
  const ends = node.querySelector('[data-field="ends_on"]');
  node.querySelector(".fu-ban-dates").hidden = !bans.includes(kind);
  node.querySelector("#fu-measure-ends-hint").textContent = kind === advised.measure
    ? t("fu.measure.endsHint", { advice: advised.measure_label }) : t("fu.measure.endsFree");
  const suggestion = suggestedEnd(advised, kind, valueOf(node, "starts_on"));
  if (ends.value === (node.dataset.suggested || "")) ends.value = suggestion;
  node.dataset.suggested = suggestion;
}

function measureForm(data, ui) {
  const advised = data.advice;
  const kind = MEASURES.includes(advised.measure) ? advised.measure : "ordegesprek";
  const start = today();
  const submit = (node) => {
    const chosen = valueOf(node, "kind");
    const dates = data.vocabulary.bans.includes(chosen) ? { starts_on: valueOf(node, "starts_on") || null, ends_on: valueOf(node, "ends_on") || null } : {};
    ui.act(node, { method: "POST", path: "/measures", body: { kind: chosen, decided_on: valueOf(node, "decided_on"), ...dates, note: valueOf(node, "note") } }, {
      done: (answer) => t("fu.measure.saved", { kind: measureLabel(chosen) }) + (answer.followup.measures.at(-1)?.in_air ? ` ${t("fu.measure.inAir")}` : ""),
      focus: (answer) => document.getElementById(`fu-measure-${answer.followup.measures.at(-1)?.id}`) });
  };
  const node = form({ id: "fu-measure-form", legend: t("fu.measure.legend"), submit: t("fu.measure.submit"), onSubmit: submit },
    control({ id: "fu-measure-kind", field: "kind", type: "select", label: t("fu.measure.kind"), value: kind,
      options: MEASURES.map((k) => [k, measureLabel(k)]) }),
    control({ id: "fu-measure-decided", field: "decided_on", type: "date", label: t("fu.measure.decided"), value: start }),
    el("div", { class: "fu-ban-dates" },
      control({ id: "fu-measure-starts", field: "starts_on", type: "date", label: t("fu.measure.starts"), value: start }),
      control({ id: "fu-measure-ends", field: "ends_on", type: "date", label: t("fu.measure.ends"),
        value: suggestedEnd(advised, kind, start), hint: t("fu.measure.endsHint", { advice: advised.measure_label }) })),
    control({ id: "fu-measure-note", field: "note", type: "textarea", label: t("fu.note"), max: 1000, rows: 2 }));
  node.dataset.suggested = suggestedEnd(advised, kind, start);
  node.addEventListener("change", (e) => { if (e.target.matches('[data-field="kind"], [data-field="starts_on"]')) followKind(node, advised, data.vocabulary.bans); });
  followKind(node, advised, data.vocabulary.bans);
  return node;
}

export function reactionPart(data, ui) {
  return [
    advice(data),
    data.measures.length ? el("ul", { class: "fu-list", id: "fu-measures" }, ...data.measures.map((m) => measureItem(m, data.vocabulary.bans, ui)))
      : el("p", { class: "hint" }, t("fu.measure.none")),
    data.measures.length ? folded(t("fu.measure.another"), measureForm(data, ui)) : measureForm(data, ui),
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
      value: data.police.advice || "melding", options: POLICE.map((k) => [k, policeLabel(k)]) }),
    control({ id: "fu-police-on", field: "on", type: "date", label: t("fu.police.on"), value: today() }),
    control({ id: "fu-police-reference", field: "reference", label: t("fu.police.reference"), max: 100 }),
    control({ id: "fu-police-domicile", field: "domicile", type: "checkbox", label: t("fu.police.domicile"), hint: t("fu.police.domicileHint") }),
    control({ id: "fu-police-reason", field: "reason", type: "textarea", label: t("fu.police.reason"), max: 1000, rows: 2, hint: t("fu.police.reasonHint") }));
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
