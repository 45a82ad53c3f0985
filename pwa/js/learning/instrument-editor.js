// The coordinator publishes a new version of a questionnaire or the matrix ("de coördinator
// kan een nieuwe versie publiceren"): per competence aspect its statements, one per line. A
// line whose text is unchanged keeps its statement's id, so its answers stay comparable over
// time; the server gives new lines their id and keeps the old version with its answers.
import { t } from "../i18n.js";
import { el } from "../dom.js";
import { control, folded, form, valueOf } from "../incidents/followup-ui.js";
import { sendForm } from "./send.js";

/** The groups to send: each line a statement, with the id of the same text in this version. */
export function groupsFrom(instrument, linesOf) {
  const idOf = new Map(instrument.groups.flatMap((g) => g.statements.map((s) => [s.text, s.id])));
  return instrument.groups.map((group) => ({
    key: group.key,
    title: group.title,
    statements: linesOf(group.key).split("\n").map((line) => line.trim()).filter(Boolean)
      .map((text) => (idOf.has(text) ? { id: idOf.get(text), text } : { text })),
  }));
}

function editor(instrument, onPublished) {
  const id = `learning-edit-${instrument.key}`;
  const submit = async (node) => {
    const groups = groupsFrom(instrument, (key) => valueOf(node, `group-${key}`));
    const answer = await sendForm(node, "POST", `/api/learning/instruments/${encodeURIComponent(instrument.key)}/versions`,
      { title: valueOf(node, "title"), groups });
    if (answer) onPublished(answer);
  };
  return form({ id, submit: t("learning.editor.submit"), onSubmit: submit },
    control({ id: `${id}-title`, field: "title", type: "text", label: t("learning.editor.title"), value: instrument.title }),
    ...instrument.groups.map((group) => control({ id: `${id}-${group.key}`, field: `group-${group.key}`, type: "textarea",
      label: t("learning.editor.group", { title: group.title }),
      value: group.statements.map((s) => s.text).join("\n") })));
}

/**
 * The editor's card: every instrument's current version, each folded away. `published`: the
 * version just published (said once the card is drawn again with the new versions).
 */
export function editorCard(instruments, { published = null, onPublished }) {
  const status = el("p", { class: "hint", role: "status", id: "learning-editor-status" },
    published ? t("learning.editor.published", { title: published.title, version: published.version }) : "");
  return el("section", { class: "card", "aria-labelledby": "learning-editor-heading" },
    el("h2", { id: "learning-editor-heading" }, t("learning.editor.heading")),
    el("p", { class: "hint" }, t("learning.editor.intro")),
    status,
    ...instruments.map((instrument) => folded(
      t("learning.editor.fold", { title: instrument.title, version: instrument.version }),
      editor(instrument, onPublished))));
}
