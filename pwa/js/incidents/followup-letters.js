// Letters to the aggressor (annexes 4-7) and the sheet for the police: a draft made by the
// server from the report, edited here, then made final as a PDF that no longer changes (the
// server refuses it while a gap or place is open, and says what is missing). The worker's
// description is shown beside a draft as a suggestion, never put in it. The form starts from
// the measure just recorded (the server's letter_defaults).
import { t } from "../i18n.js";
import { el } from "../dom.js";
import { control, entries, form, momentEl, valueOf } from "./followup-ui.js";
import { measureLabel } from "./followup-reaction.js";
import { formatDay } from "./gir-fields.js";
import { word } from "../vocabulary.js";

const pdfUrl = (ui, letter) => `/api/incidents/${ui.id}/letters/${letter.id}.pdf`;

function finalItem(letter, ui) {
  return el("li", { class: "fu-letter" },
    el("a", { href: pdfUrl(ui, letter), download: "", id: `fu-letter-${letter.id}-pdf`, class: "fu-pdf" },
      el("span", { "aria-hidden": "true" }, "⬇ "), `${letter.label} (PDF)`),
    ` — ${t("fu.letter.finalOn")} `, momentEl(letter.finalised_at));
}

function suggestion(data, id) {
  return data.description_suggestion ? el("div", { class: "fu-suggestion", id: `${id}-suggestion` },
    el("p", { class: "fu-suggestion-title" }, t("fu.letter.suggestion")),
    el("p", { class: "fu-note" }, data.description_suggestion),
    el("p", { class: "hint" }, t("fu.letter.suggestionHint"))) : null;
}

function draftForm(letter, data, ui) {
  const id = `fu-letter-${letter.id}`;
  const text = () => document.getElementById(`${id}-text`);
  const save = (node) => ui.act(node, { method: "PUT", path: `/letters/${letter.id}`, body: { text: valueOf(node, "text") } },
    { done: t("fu.letter.saved"), focus: text });
  const finalise = (node) => {
    if (!window.confirm(t("fu.letter.confirm"))) return;
    // What is on screen is what becomes final: an edit not yet saved is saved first.
    const edited = node.querySelector('[data-field="text"]').value !== letter.text;
    const requests = [...(edited ? [{ method: "PUT", path: `/letters/${letter.id}`, body: { text: valueOf(node, "text") } }] : []),
      { method: "POST", path: `/letters/${letter.id}/final`, body: {} }];
    ui.act(node, requests, { done: t("fu.letter.final"), focus: () => document.getElementById(`${id}-pdf`) });
  };
  const finalButton = el("button", { type: "button", class: "btn btn-secondary", id: `${id}-final` }, t("fu.letter.finalise"));
  const node = form({ id, legend: t("fu.letter.draft", { label: letter.label }), submit: t("fu.letter.save"), onSubmit: save, buttons: [finalButton] },
    control({ id: `${id}-text`, field: "text", type: "textarea", label: t("fu.letter.text"), rows: 18, limit: "letter_text",
      value: letter.text, hint: t("fu.letter.textHint") }),
    letter.to_aggressor ? suggestion(data, id) : null);
  finalButton.addEventListener("click", () => finalise(node));
  return node;
}

function measureOptions(data) {
  const decided = data.measures.filter((m) => m.kind !== word("no_measure"));
  return [["", t("fu.letter.noMeasure")], ...decided.map((m) => [m.id, m.starts_on && m.ends_on
    ? `${measureLabel(m.kind)} ${formatDay(m.starts_on)} – ${formatDay(m.ends_on)}`
    : `${measureLabel(m.kind)} (${formatDay(m.decided_on)})`])];
}

/** Whether a letter of this kind has variants to choose from (the server says which). */
const hasVariants = (data, kind) => Boolean(data.vocabulary.letter_variants?.[kind]);

/** The variant only for a letter that has them (the warning letter). */
function followKind(node, data) {
  node.querySelector("#fu-letter-variant-box").hidden = !hasVariants(data, valueOf(node, "kind"));
}

function newLetterForm(data, ui) {
  const start = data.letter_defaults;
  const submit = (node) => {
    const chosen = valueOf(node, "kind");
    const measure = valueOf(node, "measure_id");
    ui.act(node, { method: "POST", path: "/letters", body: { kind: chosen,
      variant: hasVariants(data, chosen) ? Number(valueOf(node, "variant")) : 1, measure_id: measure ? Number(measure) : null } }, {
      done: t("fu.letter.drafted"), focus: (answer) => document.getElementById(`fu-letter-${answer.letter_id}-text`) });
  };
  const node = form({ id: "fu-letter-form", legend: t("fu.letter.legend"), submit: t("fu.letter.submit"), onSubmit: submit },
    control({ id: "fu-letter-kind", field: "kind", type: "select", label: t("fu.letter.kind"), value: start.kind, options: entries(data.vocabulary.letters) }),
    el("div", { id: "fu-letter-variant-box" }, control({ id: "fu-letter-variant", field: "variant", type: "select",
      label: t("fu.letter.variant"), value: "1", options: [["1", t("fu.letter.variant.1")], ["2", t("fu.letter.variant.2")]] })),
    el("div", { id: "fu-letter-measure-box" }, control({ id: "fu-letter-measure", field: "measure_id", type: "select",
      label: t("fu.letter.measure"), value: start.measure_id ?? "", options: measureOptions(data), hint: t("fu.letter.measureHint") })));
  node.addEventListener("change", (e) => { if (e.target.matches('[data-field="kind"]')) followKind(node, data); });
  followKind(node, data);
  return node;
}

export function lettersPart(data, ui) {
  const finals = data.letters.filter((l) => l.final);
  return [
    finals.length ? el("ul", { class: "fu-list", id: "fu-letters" }, ...finals.map((l) => finalItem(l, ui)))
      : el("p", { class: "hint" }, t("fu.letter.none")),
    ...data.letters.filter((l) => !l.final).map((l) => draftForm(l, data, ui)),
    newLetterForm(data, ui),
  ];
}
