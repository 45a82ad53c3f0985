// A team's or the organisation's picture of one questionnaire: a heat map table (a row per
// statement, grouped by competence aspect; a column per option; each cell shaded by its share
// and showing its count) and the weakest areas; or, below the server's threshold, why there is
// nothing to see. A real <table> with headers, so a screen reader reads every count with its
// statement and option; the shading is never the only carrier of a figure.
import { t } from "../i18n.js";
import { el } from "../dom.js";
import { statementCells } from "./heatmap-core.js";

function headRow(picture) {
  return el("thead", {}, el("tr", {},
    el("th", { scope: "col" }, t("learning.heat.statement")),
    ...picture.options.map((o) => el("th", { scope: "col", class: "heat-option" }, o.label)),
    el("th", { scope: "col", class: "heat-score" }, t("learning.heat.score"))));
}

function statementRow(picture, statement) {
  return el("tr", { dataset: { statement: String(statement.id) } },
    el("th", { scope: "row", class: "heat-statement" }, statement.text),
    ...statementCells(picture.options, statement.counts || {}).map((cell) =>
      el("td", { class: "heat-cell", dataset: { level: String(cell.level), option: cell.option } }, String(cell.count))),
    el("td", { class: "heat-score" }, statement.score ?? "–"));
}

function groupBody(picture, group) {
  const columns = picture.options.length + 2;
  return el("tbody", { dataset: { group: group.key } },
    el("tr", { class: "heat-group" }, el("th", { scope: "rowgroup", colspan: String(columns) },
      group.title, " ", el("span", { class: "heat-group-score" }, t("learning.heat.groupScore", { score: group.score ?? "–" })))),
    ...group.statements.map((s) => statementRow(picture, s)));
}

/** The heat map of a shown picture. */
export function heatTable(picture, captionId) {
  return el("div", { class: "heat-scroll", tabindex: "0", role: "region", "aria-labelledby": captionId },
    el("table", { class: "heat-table", dataset: { picture: picture.key } },
      el("caption", { id: captionId }, t("learning.heat.caption", { title: picture.title, n: picture.respondents })),
      headRow(picture),
      ...picture.groups.map((g) => groupBody(picture, g))));
}

/**
 * One picture as a section: heading, the heat map and the weakest areas (each with the
 * action `onWeakest(picture, area)` offers, when given), or the threshold in words.
 */
export function pictureSection(picture, { threshold, id, heading = "h3", onWeakest = null }) {
  const headingId = `${id}-heading`;
  const head = el(heading, { id: headingId }, picture.function_group_label || picture.title);
  if (!picture.shown) {
    return el("section", { class: "learning-picture", id, "aria-labelledby": headingId, dataset: { shown: "false" } }, head,
      el("p", { class: "notice learning-hidden" }, t("learning.picture.hidden", { n: threshold, respondents: picture.respondents })));
  }
  const weakest = picture.weakest.map((area) => el("li", { class: "learning-weak", dataset: { area: area.key } },
    el("span", {}, t("learning.picture.weakArea", { title: area.title, score: area.score })),
    onWeakest ? weakButton(picture, area, onWeakest) : null));
  return el("section", { class: "learning-picture", id, "aria-labelledby": headingId, dataset: { shown: "true" } }, head,
    el("p", { class: "hint" }, t("learning.heat.legend")),
    heatTable(picture, `${id}-caption`),
    weakest.length ? el("h4", {}, t("learning.picture.weakest")) : null,
    weakest.length ? el("ul", { class: "learning-weakest" }, ...weakest) : null);
}

function weakButton(picture, area, onWeakest) {
  const button = el("button", { type: "button", class: "btn btn-secondary btn-small learning-weak-plan",
    "aria-label": t("learning.picture.planLabel", { title: area.title }) }, t("learning.picture.plan"));
  button.addEventListener("click", () => onWeakest(picture, area));
  return button;
}
