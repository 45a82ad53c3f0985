// A report on the page, as the server sent it: each section's title and summary, each table's
// chart (the server's SVG, hidden from assistive technology) beside a real table, which is the
// accessible form of the same figures. A figure with a drill links to the register list of
// its incidents.
import { getLang, t } from "../i18n.js";
import { $, el } from "../dom.js";
import { paths } from "../routes.js";
import { drillFilters, formatChange, formatShare, formatValue } from "./core.js";

const plural = new Intl.PluralRules("nl-NL");
/** "3 dagen", "1 minuut": a figure in days or minutes. */
const unitText = (unit, text, value) => t(`reports.unit.${unit}.${plural.select(value) === "one" ? "one" : "other"}`, { value: text });
const share = (part, whole) => t("reports.share", { part, whole });

/** The server's chart as an element of this page; null for anything but an SVG. */
function chart(svg) {
  if (!svg) return null;
  const parsed = new DOMParser().parseFromString(svg, "image/svg+xml");
  const root = parsed.documentElement;
  if (root.localName !== "svg" || parsed.querySelector("parsererror")) return null;
  for (const node of root.querySelectorAll("script, foreignObject")) node.remove();
  for (const node of [root, ...root.querySelectorAll("*")]) {
    for (const attr of [...node.attributes]) if (/^on/i.test(attr.name)) node.removeAttribute(attr.name);
  }
  return el("div", { class: "reports-chart", "aria-hidden": "true" }, document.importNode(root, true));
}

function head(...labels) {
  return el("thead", {}, el("tr", {}, ...labels.map((label) => el("th", { scope: "col" }, label))));
}

/** One row of a bars table: its label, this period, the previous one, the change. */
function figureRow(table, row) {
  const format = { unit: table.unit, unitText, share };
  const value = formatShare(row.value, row.of, row.percent, format);
  const filters = drillFilters(row.drill, `${table.title}: ${row.label}`);
  return el("tr", { dataset: { key: String(row.key) } },
    el("th", { scope: "row" }, row.label),
    el("td", { class: "reports-value" }, filters ? el("a", { href: paths.girList(filters) }, value) : value),
    el("td", { class: "reports-previous" }, formatShare(row.previous, row.previous_of, null, format)),
    el("td", { class: "reports-change" }, formatChange(row.change, table.unit, unitText)));
}

function figuresTable(table, report, captionId) {
  return el("table", { class: "reports-table reports-figures" },
    el("caption", { id: captionId }, table.title),
    head(t("reports.col.what"), report.period.label, report.previous?.label ?? t("reports.col.previous"), t("reports.col.change")),
    el("tbody", {}, ...table.rows.map((row) => figureRow(table, row))));
}

/** Weekday by hour: a column per hour, in a region of its own that scrolls sideways. */
function matrixTable(table, captionId) {
  const rows = table.rows.map((row) => el("tr", { dataset: { key: String(row.key) } },
    el("th", { scope: "row" }, row.label),
    ...row.values.map((value) => el("td", {}, formatValue(value, table.unit, unitText)))));
  return el("div", { class: "reports-scroll", role: "region", tabindex: "0", "aria-label": t("reports.matrix.region", { title: table.title }) },
    el("table", { class: "reports-table reports-matrix" },
      el("caption", { id: captionId }, table.title),
      head(t("reports.col.day"), ...table.columns),
      el("tbody", {}, ...rows)));
}

function tableBlock(table, report, id) {
  const headingId = `${id}-heading`;
  const captionId = `${id}-caption`;
  const matrix = table.chart === "matrix" || Array.isArray(table.columns);
  return el("section", { class: "reports-table-block", "aria-labelledby": headingId, dataset: { table: String(table.key) } },
    el("h3", { id: headingId }, table.title),
    table.summary ? el("p", { class: "reports-summary" }, table.summary) : null,
    chart(table.svg),
    matrix ? matrixTable(table, captionId) : figuresTable(table, report, captionId));
}

function section(part, report) {
  const id = `reports-${part.key}`;
  return el("section", { class: "card reports-section", "aria-labelledby": `${id}-heading`, dataset: { section: String(part.key) } },
    el("h2", { id: `${id}-heading` }, part.title),
    part.summary ? el("p", { class: "reports-summary" }, part.summary) : null,
    ...(part.tables || []).map((table) => tableBlock(table, report, `${id}-${table.key}`)));
}

/** The report's sections, in the server's order. */
export const sections = (report) => (report.sections || []).map((part) => section(part, report));

/** "2 dec. 2026, 11:00": when the server drew the figures up. */
export function generatedAt(iso) {
  return new Intl.DateTimeFormat(getLang() === "en" ? "en-GB" : "nl-NL", { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));
}

const REFERENCES = ["aria-labelledby", "aria-describedby", "for"];

/** Two reports on one page: the ids render.js gives one (and what points at them) get `prefix`. */
function prefixIds(root, prefix) {
  for (const node of [root, ...root.querySelectorAll("*")]) {
    if (node.id) node.id = `${prefix}${node.id}`;
    for (const name of REFERENCES) {
      if (node.hasAttribute(name)) node.setAttribute(name, node.getAttribute(name).split(/\s+/).map((id) => `${prefix}${id}`).join(" "));
    }
  }
}

/** A report on the page under the ids `${place}-scope`, `-compare`, `-generated`, `-pdf`, `-csv`,
 * `-sections` and `-result`; `idPrefix` keeps its sections' ids apart from another report's. */
export function drawReport(report, place, heading, idPrefix = "") {
  const { period, previous, downloads = {} } = report;
  $(`${place}-scope`).textContent = heading;
  $(`${place}-compare`).textContent = previous ? t("reports.compare", { period: period.label, previous: previous.label }) : "";
  $(`${place}-generated`).textContent = report.generated_at ? t("reports.generated", { at: generatedAt(report.generated_at) }) : "";
  for (const kind of ["pdf", "csv"]) {
    const link = $(`${place}-${kind}`);
    if (!link) continue;
    link.hidden = !downloads[kind];
    if (downloads[kind]) link.href = downloads[kind];
  }
  const drawn = sections(report);
  if (idPrefix) for (const node of drawn) prefixIds(node, idPrefix);
  $(`${place}-sections`).replaceChildren(...drawn);
  $(`${place}-result`).hidden = false;
}

/** The status line (a live region) `id`: say(key, values) writes a text, say(null) none. */
export const statusLine = (id) => (key, values = {}) => {
  $(id).textContent = key ? t(key, values) : "";
};

/** No report under `place` any more. */
export function clearDrawn(place) {
  $(`${place}-result`).hidden = true;
  $(`${place}-sections`).replaceChildren();
}
