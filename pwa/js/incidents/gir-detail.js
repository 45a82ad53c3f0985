// A report's detail: its fields, the seven W's and the annex-8 questions still open, the
// aggressor as far as this reader may see it, the annex-8 answers, the history, and for the
// coordinator who read the aggressor's details. Every text from the server goes in as text.
import { t } from "../i18n.js";
import { get } from "../api.js";
import { el } from "../dom.js";
import { fieldOf, sevenWs, wLabel, formPaths, AGGRESSOR_PATHS, answerLabel, display, fieldLabel, formatDay,
  formatMoment, kindsText, behaviourLabel, channelLabel, statusLabel, shown, toInput, valueAt } from "./gir-fields.js";
import { buildForm } from "./gir-form.js";

const timeEl = (iso) => (iso ? el("time", { datetime: iso }, formatMoment(iso)) : null);

/** "Ernstig" in words, with an icon; never colour alone. */
export const seriousMark = () => el("span", { class: "gir-serious" },
  el("span", { "aria-hidden": "true" }, "⚠ "), t("gir.serious"));

export const statusMark = (status) => el("span", { class: "gir-status", dataset: { status } }, statusLabel(status));

function part(id, title, ...children) {
  return el("section", { class: "gir-part", "aria-labelledby": id }, el("h3", { id }, title), ...children);
}

function factList(rows) {
  const dl = el("dl", { class: "gir-facts" });
  for (const [label, value] of rows) if (value) dl.append(el("dt", {}, label), el("dd", {}, value));
  return dl;
}

function facts(incident) {
  const victim = incident.victim?.name
    ? [incident.victim.name, incident.team?.name].filter(Boolean).join(" — ") : null;
  const linked = [incident.alarm_id ? t("gir.f.alarm", { id: incident.alarm_id }) : null,
    incident.visit_id ? t("gir.f.visit", { id: incident.visit_id }) : null].filter(Boolean).join(", ");
  return factList([
    [fieldLabel("occurred_at"), timeEl(incident.occurred_at)],
    [t("gir.f.reported_at"), timeEl(incident.reported_at)],
    [fieldLabel("behaviour_type"), behaviourLabel(incident.behaviour_type)],
    [fieldLabel("kinds"), kindsText(incident)],
    [fieldLabel("channel"), channelLabel(incident.channel)],
    [fieldLabel("location"), incident.location],
    [t("gir.f.victim"), victim],
    [t("gir.f.reporter"), incident.reporter?.name],
    [fieldLabel("serious_criteria"), incident.serious_criteria?.length ? display("serious_criteria", incident.serious_criteria) : null],
    [t("gir.f.linked"), linked],
    [t("gir.f.updated_at"), timeEl(incident.updated_at)],
  ]);
}

function completeness(incident) {
  const c = incident.completeness || {};
  const ws = c.ws || {};
  const open = c.open_questions || [];
  const question = (q) => fieldLabel(fieldOf(`form.${q}`) ? `form.${q}` : q);
  return part("gir-ws-heading", t("gir.completeness.heading", { count: c.count ?? 0, of: c.of ?? sevenWs().length }),
    el("ul", { class: "gir-ws" }, ...sevenWs().map((w) => el("li", { class: ws[w] ? "is-done" : "is-open", dataset: { w } },
      el("span", { class: "gir-ws-mark", "aria-hidden": "true" }, ws[w] ? "✓" : "○"),
      el("span", { class: "gir-ws-name" }, wLabel(w)),
      el("span", { class: "gir-ws-state" }, t(ws[w] ? "gir.w.done" : "gir.w.open"))))),
    el("h4", {}, t("gir.questions.heading")),
    open.length ? el("ul", { class: "gir-questions" }, ...open.map((q) => el("li", {}, question(q))))
      : el("p", { class: "hint" }, t("gir.questions.none")));
}

function aggressor(incident) {
  const a = incident.aggressor;
  const title = t("gir.aggressor.heading");
  if (!a) {
    return part("gir-aggressor-heading", title, el("p", { class: incident.aggressor_recorded ? "notice" : "hint", id: "gir-aggressor-note" },
      t(incident.aggressor_recorded ? "gir.aggressor.recorded" : "gir.aggressor.none")));
  }
  const known = AGGRESSOR_PATHS.some((p) => valueAt(incident, p));
  return part("gir-aggressor-heading", title,
    known ? factList(AGGRESSOR_PATHS.map((p) => [fieldLabel(p), valueAt(incident, p)])) : el("p", { class: "hint" }, t("gir.aggressor.none")),
    known ? el("p", { class: "hint", id: "gir-aggressor-logged" }, t("gir.aggressor.logged")) : null);
}

function answers(incident) {
  const paths = formPaths();
  const values = Object.fromEntries(paths.map((p) => [p, toInput(p, valueAt(incident, p))]));
  const rows = paths.filter((p) => shown(p, values)).map((p) => [fieldLabel(p), display(p, valueAt(incident, p))]);
  return part("gir-answers-heading", t("gir.answers.heading"), factList(rows));
}

/** A follow-up action's record ({kind, on, …}) as "Soort: pandverbod · Einddatum: 25 feb 2027". */
function decided(c) {
  const readable = (v) => (typeof v === "boolean" ? answerLabel(v)
    : /^\d{4}-\d{2}-\d{2}$/.test(v) ? formatDay(v)
      : /^\d{4}-\d{2}-\d{2}T/.test(v) ? formatMoment(v) : Array.isArray(v) ? v.join(", ") : String(v));
  const given = Object.entries(c).filter(([, v]) => v !== null && v !== "" && !(Array.isArray(v) && !v.length));
  return el("li", {}, given.map(([key, v]) => `${fieldLabel(key)}: ${readable(v)}`).join(" · "));
}

function change(c) {
  // Follow-up actions record what was decided, not a field's old and new value.
  if (!("field" in c)) return decided(c);
  const name = el("strong", {}, `${fieldLabel(c.field)}: `);
  if (c.redacted) return el("li", { class: "is-redacted" }, name, t("gir.history.redacted"));
  return el("li", {}, name, `${display(c.field, c.old)} → ${display(c.field, c.new)}`);
}

function history(incident) {
  const entries = incident.history || [];
  return part("gir-history-heading", t("gir.history.heading"),
    entries.length ? el("ol", { class: "gir-history", id: "gir-history" }, ...entries.map((h) => el("li", {},
      el("p", {}, timeEl(h.at), " — ", el("strong", {}, h.by?.name || ""), `: ${t(`gir.history.${h.action}`)}`),
      h.changes?.length ? el("ul", {}, ...h.changes.map(change)) : null)))
      : el("p", { class: "hint" }, t("gir.history.empty")));
}

async function loadReads(id, list) {
  try {
    const data = await get(`/api/incidents/${id}/reads`);
    const found = data?.reads || [];
    list.replaceChildren(...(found.length ? found.map((r) => el("li", {}, timeEl(r.at), " — ",
      el("strong", {}, r.user?.name || ""), ` (${t(`gir.reads.${r.purpose}`)})`))
      : [el("li", { class: "hint" }, t("gir.reads.empty"))]));
  } catch (err) {
    if (err.status === 401) return;
    list.replaceChildren(el("li", { class: "error" }, t(err.isNetwork ? "gir.offline" : "gir.reads.failed")));
  }
}

function reads(incident) {
  const list = el("ul", { class: "gir-reads", id: "gir-reads" }, el("li", { class: "hint" }, t("loading")));
  loadReads(incident.id, list);
  return part("gir-reads-heading", t("gir.reads.heading"), list);
}

/** Fill container with the report; ctx as for buildForm, plus coordinator (bool) and followup (its section or null). */
export function render(container, incident, ctx) {
  container.dataset.incidentId = String(incident.id);
  const parts = [
    el("h2", { id: "gir-detail-heading", tabindex: "-1" }, incident.number),
    el("p", { class: "gir-marks" }, statusMark(incident.status), incident.serious ? seriousMark() : null),
    facts(incident),
    part("gir-description-heading", fieldLabel("description"), el("p", { class: "gir-description" }, incident.description || "")),
    completeness(incident),
    aggressor(incident),
    ctx.coordinator ? reads(incident) : null,
    ctx.followup,
    answers(incident),
    incident.can_edit ? buildForm(incident, ctx) : el("p", { class: "hint" }, t("gir.edit.closed")),
    history(incident),
  ];
  container.replaceChildren(...parts.filter(Boolean));
}
