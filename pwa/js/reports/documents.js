// The quarterly and half-year reports as documents (annex 2; /api/report-documents): the list
// of versions, each with its state and its PDF, for everyone with `reports` (a manager gets the
// final versions only: the server decides), and for the coordinator (`report_documents`) the
// form that opens a period's draft, a draft's recommendations, finalising it after a second
// step, and a new version of a final one. Nothing is said done before the server answered:
// while a request runs its buttons are off and its status line (a live region) says so.
//
// A document keeps its list item while the list is drawn again (after a change, in another
// language): its status line stays the same live region, and what was typed stays.
import { t } from "../i18n.js";
import { get, post, put } from "../api.js";
import * as conn from "../connection.js";
import { $, el } from "../dom.js";
import { can } from "../capabilities.js";
import { formatMoment } from "../incidents/gir-fields.js";
import { clearErrors, control, restoreValues, showErrors, today, typedValues, valueOf } from "../incidents/followup-ui.js";
import { limitField } from "../vocabulary.js";

// A document's kind -> the kind of period of GET /api/reports (`options.periods`), whose
// `parts` say how many of them a year has: the same pairs as PERIOD_KINDS in
// services/reports/documents.py. The texts of the kinds are reports.docs.kind.<kind>.
const PERIOD_OF_KIND = { quarterly: "quarter", half_year: "half_year" };

/** The year and number of a document's period, from its own dates: a quarter is the fourth
 * when it starts in October and runs three months, a half year the second from July. */
export function partOf({ from, to }) {
  const [year, first] = from.split("-").map(Number);
  const months = Number(to.slice(5, 7)) - first + 1;
  return { year, number: (first - 1) / months + 1 };
}

/** The last of a year's `parts` that has ended by `day` (YYYY-MM-DD): the one to report on. */
export function lastEnded(day, parts) {
  const [year, month] = day.split("-").map(Number);
  const running = Math.floor(((month - 1) * parts) / 12) + 1;
  return running > 1 ? { year, number: running - 1 } : { year: year - 1, number: parts };
}

const numberOrNull = (text) => (String(text).trim() === "" ? null : Number(text));

function stateText(doc) {
  return doc.final
    ? t("reports.docs.final", { version: doc.version, date: formatMoment(doc.finalised_at), name: doc.finalised_by ?? "" })
    : t("reports.docs.draft", { version: doc.version });
}

/** A final version's recommendations, folded away (they are in its PDF too). */
function recommendationsRead(doc) {
  if (!doc.final || !doc.recommendations) return null;
  return el("details", { class: "report-doc-read" },
    el("summary", {}, t("reports.docs.read")),
    el("p", { class: "report-doc-recs" }, doc.recommendations));
}

export class ReportDocuments {
  me = null;
  showing = false;
  periods = [];       // options.periods of the report: how many parts a year has of each
  items = new Map();  // document id -> {doc, latest, signature, node, body, status, said}
  asked = 0;          // the latest load of the list: an older answer is not drawn over it
  opening = { said: "" };

  configure(me) {
    this.me = me;
    if (this.bound) return;
    this.bound = true;
    this.opening.node = $("report-docs-open");
    this.opening.status = $("report-docs-open-status");
    limitField($("report-docs-year"));
    this.opening.node.addEventListener("submit", (e) => {
      e.preventDefault();
      this.open();
    });
    $("report-docs-kind").addEventListener("change", () => this.fillNumbers());
  }

  writer() {
    return can(this.me, "report_documents");
  }

  enter() {
    this.showing = true;
    $("report-docs-open").hidden = !this.writer();
    if (this.writer()) this.fillOpenForm();
    this.load();
  }

  /** How many parts a year has of each kind of period (the report's `options.periods`). */
  setPeriods(periods) {
    if (!Array.isArray(periods) || !periods.length) return;
    this.periods = periods;
    if (this.writer()) this.fillNumbers();
  }

  /* ---------- the form that opens a draft ---------- */
  periodOf(kind) {
    return this.periods.find((p) => p.key === PERIOD_OF_KIND[kind]);
  }

  fillOpenForm() {
    const select = $("report-docs-kind");
    const keep = select.value;
    select.replaceChildren(...Object.keys(PERIOD_OF_KIND).map((kind) => el("option", { value: kind }, t(`reports.docs.kind.${kind}`))));
    if (keep) select.value = keep;
    this.fillNumbers();
  }

  /** The numbered parts of the chosen kind ("3e kwartaal"), keeping the chosen one; first the
   * last that has ended, and its year. */
  fillNumbers() {
    const period = this.periodOf($("report-docs-kind").value);
    const select = $("report-docs-number");
    const label = $("report-docs-number-label");
    if (!period) {
      select.replaceChildren();
      return;
    }
    label.dataset.i18n = `reports.number.${period.key}`;
    label.textContent = t(label.dataset.i18n);
    const keep = select.value;
    select.replaceChildren(...Array.from({ length: period.parts }, (_, i) =>
      el("option", { value: String(i + 1) }, t(`reports.part.${period.key}`, { number: i + 1 }))));
    const last = lastEnded(today(), period.parts);
    if (!$("report-docs-year").value) $("report-docs-year").value = String(last.year);
    select.value = keep;
    if (select.value !== keep) select.value = String(last.number);
  }

  async open() {
    const node = this.opening.node;
    const body = { kind: valueOf(node, "kind"), year: numberOrNull(valueOf(node, "year")), number: numberOrNull(valueOf(node, "number")) };
    const answer = await this.run(this.opening, "reports.docs.opening", () => post("/api/report-documents", body));
    if (!answer) return;
    const existing = this.items.has(answer.id);
    this.say(this.opening, existing ? "reports.docs.opened.existing" : "reports.docs.opened.new", { label: answer.label, version: answer.version });
    await this.load({ focus: answer.id });
  }

  /* ---------- the list ---------- */
  async load({ focus = null, force = false } = {}) {
    const asked = ++this.asked;
    $("report-docs-error").textContent = "";
    if (!this.items.size) $("report-docs-status").textContent = t("reports.docs.loading");
    try {
      const answer = await get("/api/report-documents");
      if (asked !== this.asked || !this.showing) return;
      conn.setReachable(true);
      $("report-docs-status").textContent = "";
      this.draw(answer?.documents || [], force);
      if (focus !== null) this.focusOn(focus);
    } catch (err) {
      if (err.status === 401 || asked !== this.asked || !this.showing) return;
      if (err.isNetwork) conn.setReachable(false);
      $("report-docs-status").textContent = "";
      $("report-docs-error").textContent = err.isNetwork ? t("reports.docs.list.offline") : err.message || t("reports.docs.failed");
    }
  }

  /** The documents in the server's order (the newest period first, then the latest version),
   * each in its own item; an item is drawn anew only when its document changed. */
  draw(documents, force) {
    const focused = document.activeElement;
    const latest = new Set();
    const nodes = documents.map((doc) => {
      const period = `${doc.kind} ${doc.period.from}`;
      const item = this.items.get(doc.id) || this.newItem(doc.id);
      this.fill(item, doc, !latest.has(period), force);
      latest.add(period);
      return item.node;
    });
    const shown = new Set(documents.map((doc) => doc.id));
    for (const id of [...this.items.keys()]) if (!shown.has(id)) this.items.delete(id);
    $("report-docs-list").replaceChildren(...nodes);
    $("report-docs-empty").hidden = documents.length > 0;
    if (focused?.isConnected && focused !== document.activeElement) focused.focus();
  }

  newItem(id) {
    const base = `report-doc-${id}`;
    const body = el("div", { class: "report-doc-body" });
    const error = el("p", { class: "error fu-form-error", id: `${base}-error`, role: "alert", tabindex: "-1" });
    const status = el("p", { class: "form-status", id: `${base}-status`, role: "status" });
    const item = { id, base, body, status, said: "", node: el("li", { class: "report-doc", id: base }, body, error, status) };
    this.items.set(id, item);
    return item;
  }

  fill(item, doc, latest, force = false) {
    const signature = JSON.stringify([doc, latest]);
    if (!force && signature === item.signature) return;
    Object.assign(item, { doc, latest, signature });
    Object.assign(item.node.dataset, { documentId: String(doc.id), kind: doc.kind, period: doc.period.from,
      version: String(doc.version), state: doc.final ? "final" : "draft" });
    const kept = typedValues(item.body);
    const focused = item.body.contains(document.activeElement) ? document.activeElement.id : "";
    item.body.replaceChildren(...this.parts(item).filter(Boolean));
    restoreValues(item.body, kept);
    if (focused) $(focused)?.focus();
  }

  parts(item) {
    const { doc, base } = item;
    return [
      el("h3", { id: `${base}-title`, tabindex: "-1" }, doc.label),
      el("p", { class: "report-doc-state", id: `${base}-state` }, stateText(doc)),
      el("a", { class: "btn btn-secondary report-doc-pdf", id: `${base}-pdf`, href: doc.pdf, download: "",
        "aria-describedby": `${base}-title ${base}-state` },
      el("span", { "aria-hidden": "true" }, "⬇"), " ", t(doc.final ? "reports.docs.pdf" : "reports.docs.pdf.draft")),
      doc.may_edit ? this.draftForm(item) : recommendationsRead(doc),
      doc.final && item.latest && this.writer() ? this.button(`${base}-new`, "btn-secondary", "reports.docs.newVersion", () => this.newVersion(item)) : null,
    ];
  }

  button(id, kind, key, onClick) {
    const node = el("button", { type: "button", class: `btn ${kind}`, id }, t(key));
    node.addEventListener("click", onClick);
    return node;
  }

  /** A draft: its recommendations, saved or made final (after a second step). */
  draftForm(item) {
    const { doc, base } = item;
    const field = control({ id: `${base}-recommendations`, field: "recommendations", type: "textarea", rows: 6,
      label: t("reports.docs.recommendations"), hint: t("reports.docs.recommendations.hint"),
      limit: "report_recommendations", value: doc.recommendations });
    field.querySelector("textarea").dataset.limit = "report_recommendations";  // applyLimits() keeps it the server's
    const node = el("form", { class: "report-doc-form", id: `${base}-form`, novalidate: "" }, field,
      el("div", { class: "fu-buttons" },
        el("button", { type: "submit", class: "btn btn-primary", id: `${base}-save` }, t("reports.docs.save")),
        this.button(`${base}-final`, "btn-secondary", "reports.docs.finalise", () => this.askFinal(item))),
      el("div", { class: "admin-confirm", id: `${base}-confirm`, hidden: "" }));
    node.addEventListener("submit", (e) => {
      e.preventDefault();
      this.save(item);
    });
    return node;
  }

  textarea(item) {
    return $(`${item.base}-recommendations`);
  }

  /** Typed and not saved: the recommendations differ from the draft's. */
  edited(item) {
    const box = this.textarea(item);
    return Boolean(box) && box.value.trim() !== item.doc.recommendations;
  }

  /** Whether some draft on the page has recommendations that are not saved. */
  unsaved() {
    return [...this.items.values()].some((item) => item.doc?.may_edit && this.edited(item));
  }

  async save(item) {
    const sent = valueOf(item.node, "recommendations");
    const answer = await this.run(item, "reports.docs.saving",
      () => put(`/api/report-documents/${item.doc.id}`, { recommendations: sent }));
    if (answer) this.saved(item, sent, answer);
    return answer;
  }

  /** The server has the recommendations: the field says so (unless typed on meanwhile). */
  saved(item, sent, answer) {
    const box = this.textarea(item);
    if (box) {
      const typedOn = box.value.trim() !== sent;
      box.defaultValue = answer.recommendations;
      if (!typedOn) box.value = answer.recommendations;
    }
    Object.assign(item, { doc: answer, signature: JSON.stringify([answer, item.latest]) });
    this.say(item, "reports.docs.saved", { at: formatMoment(answer.updated_at) });
  }

  /** What finalising does, and a second button that does it. */
  askFinal(item) {
    const box = $(`${item.base}-confirm`);
    const text = this.edited(item) ? `${t("reports.docs.confirm")} ${t("reports.docs.confirm.unsaved")}` : t("reports.docs.confirm");
    box.replaceChildren(el("p", { id: `${item.base}-confirm-text`, tabindex: "-1" }, text),
      this.button(`${item.base}-final-yes`, "btn-primary", "reports.docs.confirm.yes", () => this.finalise(item)),
      this.button(`${item.base}-final-no`, "btn-quiet", "reports.docs.confirm.cancel", () => {
        box.hidden = true;
        $(`${item.base}-final`).focus();
      }));
    box.hidden = false;
    $(`${item.base}-confirm-text`).focus();
  }

  /** What is on the page becomes final: recommendations not yet saved are saved first. */
  async finalise(item) {
    $(`${item.base}-confirm`).hidden = true;
    if (this.edited(item) && !(await this.save(item))) return;
    const answer = await this.run(item, "reports.docs.finalising", () => post(`/api/report-documents/${item.doc.id}/final`, {}));
    if (!answer) return;
    this.say(item, "reports.docs.finalised", { version: answer.version });
    await this.load({ focus: answer.id });
  }

  /** A final version's correction: the next version, with its recommendations to start from. */
  async newVersion(item) {
    const body = { kind: item.doc.kind, ...partOf(item.doc.period) };
    const answer = await this.run(item, "reports.docs.opening", () => post("/api/report-documents", body));
    if (!answer) return;
    const existing = this.items.has(answer.id);
    this.say(item, existing ? "reports.docs.opened.existing" : "reports.docs.opened.version", { label: answer.label, version: answer.version });
    await this.load({ focus: answer.id });
  }

  /** A document's text field, else its title. */
  focusOn(id) {
    const item = this.items.get(id);
    if (!item) return;
    (this.textarea(item) || $(`${item.base}-title`)).focus();
  }

  /**
   * One request for `place` (a document's item, or the form that opens one): its buttons off
   * and its status line saying what runs; the answer, or null after the server's refusal is
   * shown (next to the field it is about; a conflict also draws the list as it now is).
   */
  async run(place, pending, request) {
    const node = place.node;
    const buttons = [...node.querySelectorAll("button")];
    clearErrors(node);
    place.status.textContent = t(pending);
    for (const button of buttons) button.disabled = true;
    try {
      const answer = await request();
      conn.setReachable(true);
      return answer;
    } catch (err) {
      if (err.status === 401 || !this.showing) return null;
      if (err.isNetwork) conn.setReachable(false);
      place.status.textContent = place.said;  // what the server confirmed last, no more
      showErrors(node, err.isNetwork ? t("reports.docs.offline") : err.message, err.fields);
      if (err.status === 409) this.load();
      return null;
    } finally {
      for (const button of buttons) button.disabled = false;
    }
  }

  /** A status line says what the server confirmed (and keeps it for after a refusal). */
  say(place, key, values) {
    place.said = t(key, values);
    place.status.textContent = place.said;
  }

  leave() {
    this.showing = false;
    this.asked += 1;
    this.items.clear();
    $("report-docs-list").replaceChildren();
    $("report-docs-empty").hidden = true;
    $("report-docs-status").textContent = "";
    $("report-docs-error").textContent = "";
    this.opening.said = "";
    this.opening.status.textContent = "";
    clearErrors(this.opening.node);
  }

  /** The kinds and parts in the new language, and the documents drawn again (typed text kept). */
  refreshTexts() {
    if (!this.showing) return;
    if (this.writer()) this.fillOpenForm();
    this.load({ force: true });
  }

  stop() {
    this.leave();
    this.me = null;
    this.periods = [];
    this.opening.node.reset();
  }
}
