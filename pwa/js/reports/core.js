// The reports screen's logic without the page (unit-tested in tests/js/reports.test.mjs): which
// query parameters a report is asked with, how its figures are written (Dutch notation, as the
// server's charts have them), and the register list's query a figure drills down to. Every
// figure, share and percentage is the server's; nothing is computed here.

// What GET /api/reports is asked with: the period, then the filters.
export const PERIOD_KEYS = ["preset", "period", "year", "number", "from", "to"];
export const FILTER_KEYS = ["department", "team", "function_group", "channel"];
export const QUERY_KEYS = [...PERIOD_KEYS, ...FILTER_KEYS];
export const DASH = "—";
const MINUS = "\u2212";

/** The report's parameters in `params` (a route's query), without empty or unknown ones. */
export function reportQuery(params = {}) {
  const query = {};
  for (const key of QUERY_KEYS) {
    const value = params[key];
    if (value !== null && value !== undefined && String(value).trim() !== "") query[key] = String(value).trim();
  }
  return query;
}

/** "preset=last_quarter&team=3": the query string, in one order, so equal queries compare equal. */
export const queryString = (query) => new URLSearchParams(QUERY_KEYS.filter((k) => k in query).map((k) => [k, query[k]])).toString();

const numbers = new Intl.NumberFormat("nl-NL", { maximumFractionDigits: 1 });
const euros = new Intl.NumberFormat("nl-NL", { style: "currency", currency: "EUR", maximumFractionDigits: 0 });

const isFigure = (value) => typeof value === "number" && Number.isFinite(value);

// The units GET /api/reports gives a time in, written with their word ("3 dagen").
const TIMES = ["days", "minutes", "seconds"];

/** A figure in its unit: 1.234, € 345; `unitText(unit, text, value)` adds days, minutes, seconds. */
export function formatValue(value, unit = "count", unitText = (_, text) => text) {
  if (!isFigure(value)) return DASH;
  if (unit === "euro") return euros.format(value);
  const text = numbers.format(value);
  return TIMES.includes(unit) ? unitText(unit, text, value) : text;
}

/** A change with its sign: +2, −1, 0 (in its unit), or — for none. */
export function formatChange(change, unit = "count", unitText) {
  if (!isFigure(change)) return DASH;
  const size = formatValue(Math.abs(change), unit, unitText);
  if (numbers.format(Math.abs(change)) === "0") return size;
  return `${change > 0 ? "+" : MINUS}${size}`;
}

/** This period's or the previous one's figure of a row: a count, or a share "7 van 9 (78 %)"
 * when the server gives its whole (`of`) and, only when it does, its percentage. */
export function formatShare(value, of, percent, { unit = "count", unitText, share }) {
  const text = formatValue(value, unit, unitText);
  if (!isFigure(value) || !isFigure(of)) return text;
  const whole = share(text, formatValue(of, unit, unitText));
  return isFigure(percent) ? `${whole} (${numbers.format(percent)} %)` : whole;
}

/** The register list's filters for a row's figure: the server's drill, with the figure's name
 * (`label`, for the note above the list) unless the drill names it already. */
export function drillFilters(drill, label) {
  if (!drill) return null;
  const filters = {};
  for (const [key, value] of Object.entries(drill)) if (value !== null && value !== undefined && value !== "") filters[key] = String(value);
  if (!filters.label && label) filters.label = label;
  return filters;
}
