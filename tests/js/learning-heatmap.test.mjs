// The heat map's shading (pwa/js/learning/heatmap-core.js) and its colours (pwa/css/app.css):
// a cell's step follows its share of the statement's answers, and every step's text keeps
// WCAG AA contrast (4.5:1) on its background, the darker steps darker.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { LEVELS, shadeLevel, statementCells } from "../../pwa/js/learning/heatmap-core.js";

const CSS = readFileSync(new URL("../../pwa/css/app.css", import.meta.url), "utf8");
const colour = (name) => CSS.match(new RegExp(`--${name}:\\s*(#[0-9a-f]{6})`, "i"))?.[1];

function luminance(hex) {
  const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) / 255)
    .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

const contrast = (a, b) => {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
};

test("no answers is the blank step, any answer at least the first, all of them the darkest", () => {
  assert.equal(shadeLevel(0, 5), 0);
  assert.equal(shadeLevel(0, 0), 0);
  assert.equal(shadeLevel(1, 100), 1);
  assert.equal(shadeLevel(1, 2), 2);
  assert.equal(shadeLevel(3, 4), 3);
  assert.equal(shadeLevel(4, 4), LEVELS);
});

test("a statement's cells follow the options' order, counting what was not chosen as 0", () => {
  const options = [{ key: "altijd" }, { key: "vaak" }, { key: "soms" }, { key: "nooit" }];
  assert.deepEqual(statementCells(options, { vaak: 1, soms: 1 }), [
    { option: "altijd", count: 0, level: 0 },
    { option: "vaak", count: 1, level: 2 },
    { option: "soms", count: 1, level: 2 },
    { option: "nooit", count: 0, level: 0 },
  ]);
});

test("every step's count is readable on its background (AA), and each step is darker", () => {
  let previous = Infinity;
  for (let level = 0; level <= LEVELS; level += 1) {
    const [background, text] = [colour(`heat-${level}`), colour(`heat-${level}-text`)];
    assert.ok(background && text, `--heat-${level} and its text colour are in app.css`);
    assert.ok(contrast(background, text) >= 4.5, `step ${level}: ${contrast(background, text).toFixed(2)}:1`);
    assert.ok(luminance(background) < previous, `step ${level} is darker than the one before`);
    previous = luminance(background);
  }
});
