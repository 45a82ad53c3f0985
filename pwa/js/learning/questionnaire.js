// A questionnaire (or the development matrix) as a form for one hand: per competence aspect a
// heading, per statement a fieldset whose legend is the statement and whose options (the
// server's: Altijd … Nooit, or the matrix's levels) are large radio buttons side by side.
import { t } from "../i18n.js";
import { el } from "../dom.js";

const nameOf = (instrument, statement) => `lq-${instrument.id}-${statement.id}`;

function statementField(instrument, statement, index) {
  const name = nameOf(instrument, statement);
  return el("fieldset", { class: "lq-statement", id: `${name}-set`, dataset: { statement: String(statement.id) },
    "aria-describedby": `${name}-error` },
    el("legend", { tabindex: "-1" }, el("span", { class: "lq-number" }, `${index}. `), statement.text),
    el("div", { class: "lq-options" }, ...instrument.options.map((option) => el("label", { class: "lq-option" },
      el("input", { type: "radio", name, value: option.key, required: "" }), el("span", {}, option.label)))),
    el("p", { class: "error field-error", id: `${name}-error` }));
}

function groupSection(instrument, group, start) {
  return el("section", { class: "lq-group", "aria-labelledby": `lq-${instrument.id}-${group.key}` },
    el("h3", { id: `lq-${instrument.id}-${group.key}` }, group.title),
    ...group.statements.map((s, i) => statementField(instrument, s, start + i + 1)));
}

/** The form's fields for `instrument`: its prompt, then its groups of statements. */
export function fields(instrument) {
  let count = 0;
  const groups = instrument.groups.map((g) => {
    const section = groupSection(instrument, g, count);
    count += g.statements.length;
    return section;
  });
  return [
    instrument.prompt ? el("p", { class: "hint" }, instrument.prompt) : null,
    instrument.contact ? el("p", { class: "hint" }, instrument.contact) : null,
    ...groups,
  ].filter(Boolean);
}

/** {statement_id: option} of what is chosen in `root`, and the statements left open. */
export function read(root, instrument) {
  const answers = {};
  const open = [];
  for (const statement of instrument.groups.flatMap((g) => g.statements)) {
    const chosen = root.querySelector(`input[name="${nameOf(instrument, statement)}"]:checked`);
    if (chosen) answers[statement.id] = chosen.value;
    else open.push(statement);
  }
  return { answers, open };
}

/** Mark the statements left open and put the focus on the first; says how many. */
export function markOpen(root, instrument, open) {
  for (const statement of instrument.groups.flatMap((g) => g.statements)) {
    const name = nameOf(instrument, statement);
    const missing = open.includes(statement);
    const set = root.querySelector(`#${name}-set`);
    if (missing) set.setAttribute("aria-invalid", "true");
    else set.removeAttribute("aria-invalid");
    root.querySelector(`#${name}-error`).textContent = missing ? t("learning.form.choose") : "";
  }
  if (open.length) root.querySelector(`#${nameOf(instrument, open[0])}-set legend`).focus();
}

/** Every choice cleared (a new round starts empty). */
export function clear(root) {
  for (const input of root.querySelectorAll(".lq-option input:checked")) input.checked = false;
}
