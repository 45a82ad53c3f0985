// The reports screen's core (pwa/js/reports/core.js) and its routes (pwa/js/routes.js): the
// query a report is asked with and kept in the URL, the figures in Dutch notation with what
// the server says and nothing computed, and the register list a figure drills down to.
import { test } from "node:test";
import assert from "node:assert/strict";
import { drillFilters, formatChange, formatShare, formatValue, queryString, reportQuery } from "../../pwa/js/reports/core.js";
import { parse, paths } from "../../pwa/js/routes.js";

const days = (unit, text, value) => `${text} ${value === 1 ? "dag" : "dagen"}`;
const share = (part, whole) => `${part} van ${whole}`;

test("a report's query keeps the known, non-empty parameters in one order", () => {
  const query = reportQuery({ team: "3", preset: "last_quarter", department: "", other: "x", channel: null });
  assert.deepEqual(query, { preset: "last_quarter", team: "3" });
  assert.equal(queryString({ team: "3", preset: "last_quarter" }), "preset=last_quarter&team=3");
  assert.equal(queryString(reportQuery({ period: "custom", from: "2026-01-01", to: "2026-03-31" })),
    "period=custom&from=2026-01-01&to=2026-03-31");
});

test("the reports route carries its query, and its path is built from one", () => {
  assert.deepEqual(parse("/rapportages", "?preset=last_quarter&team=3"),
    { screen: "reports", params: { query: { preset: "last_quarter", team: "3" } } });
  assert.equal(parse("/rapportages/x"), null);
  assert.equal(paths.reports(), "/rapportages");
  assert.equal(paths.reports({ preset: "this_quarter", team: "" }), "/rapportages?preset=this_quarter");
});

test("the register list's route carries its filters; a report's id route does not", () => {
  assert.deepEqual(parse("/gir", "?from=2026-10-01&figure=behaviour&value=D"),
    { screen: "gir", params: { query: { from: "2026-10-01", figure: "behaviour", value: "D" } } });
  assert.deepEqual(parse("/gir/17"), { screen: "gir", params: { id: 17, part: null } });
  assert.equal(paths.girList({ from: "2026-10-01", team: null, label: "D — bedreiging" }),
    "/gir?from=2026-10-01&label=D+%E2%80%94+bedreiging");
});

test("figures are written in Dutch notation, none as a dash", () => {
  assert.equal(formatValue(1234), "1.234");
  assert.equal(formatValue(2.5), "2,5");
  assert.equal(formatValue(null), "—");
  assert.equal(formatValue(345, "euro"), "€\u00a0345");
  assert.equal(formatValue(1, "days", days), "1 dag");
  assert.equal(formatValue(12, "days", days), "12 dagen");
});

test("a change has its sign; no change is 0", () => {
  assert.equal(formatChange(2), "+2");
  assert.equal(formatChange(-1), "\u22121");
  assert.equal(formatChange(0), "0");
  assert.equal(formatChange(null), "—");
  assert.equal(formatChange(-1500, "euro"), "\u2212€\u00a01.500");
});

test("a share is 'x van y', with a percentage only when the server gives one", () => {
  const options = { share };
  assert.equal(formatShare(7, 9, 78, options), "7 van 9 (78 %)");
  assert.equal(formatShare(1, 2, null, options), "1 van 2");
  assert.equal(formatShare(5, null, null, options), "5");
  assert.equal(formatShare(null, 9, null, options), "—");
});

test("a drill becomes the register list's filters, named after its figure", () => {
  const drill = { from: "2026-10-01", to: "2026-12-31", figure: "behaviour", value: "D", team: null };
  assert.deepEqual(drillFilters(drill, "Naar gedragstype: D"),
    { from: "2026-10-01", to: "2026-12-31", figure: "behaviour", value: "D", label: "Naar gedragstype: D" });
  assert.equal(drillFilters({ ...drill, label: "Van de server" }, "x").label, "Van de server");
  assert.equal(drillFilters(null, "x"), null);
});
