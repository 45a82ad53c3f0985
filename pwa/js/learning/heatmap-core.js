// The heat map's shading: how dark a cell is follows the share of the statement's answers
// it holds, in a few steps, so that each step has a background and text colour pair of its
// own with enough contrast (pwa/css/app.css, --heat-<level>). Pure, tested under Node.

export const LEVELS = 4;  // shaded steps; level 0 is a cell nobody chose

/** The step (0..LEVELS) of `count` answers out of `total`: 0 only for none at all. */
export function shadeLevel(count, total) {
  if (!count || !total) return 0;
  return Math.min(LEVELS, Math.max(1, Math.ceil((count / total) * LEVELS)));
}

/** The statement's answers in the options' order: [{option, count, level}]. */
export function statementCells(options, counts) {
  const total = options.reduce((sum, { key }) => sum + (counts[key] || 0), 0);
  return options.map(({ key }) => ({ option: key, count: counts[key] || 0, level: shadeLevel(counts[key] || 0, total) }));
}
