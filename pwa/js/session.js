// What a signed-in user's app runs: home, the alarm, visits, quick capture, live messages and
// the server's vocabulary. app.js imports it once someone is signed in, so the login page
// fetches none of it; the service worker keeps it with the shell (app/pwa.py SESSION), and a
// request with a signed-in cookie gets it preloaded side by side.
//
// Home and the alarm come first; visits and quick capture are imported once home is on view,
// so on a slow connection neither the alarm nor home waits for their code.
import * as home from "./screens/home.js";
import * as alarm from "./alarm/index.js";
import { announcer } from "./announcer.js";
import { ready as vocabularyReady } from "./vocabulary.js";

export { disablePush } from "./push.js";

/** The session's screens by the router's names, as their code arrives; each has enter (and
 * leave, canLeave). */
export const screens = { home };

// Between the parts of the start: a slow phone gets to paint and to take a tap in between
// instead of freezing for the whole start at once.
const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));
const run = { id: 0, me: null, started: null };  // the current start; a logout ends it there

async function loadRest() {
  const [visits, capture] = await Promise.all([import("./visits/index.js"), import("./incidents/capture.js")]);
  return { visits, capture };
}

/** The current start, once every part has started (at once when there is none). */
export const started = () => run.started ?? Promise.resolve();

/** Resolves once every part has started; hooks.alarmReady(homeDrawn) is called as soon as
 * the alarm works (homeDrawn: home's first draw is done), and visits and capture are asked
 * for once what it returns has resolved (home on view). */
export function start(me, nav, hooks) {
  run.me = me;
  run.started = startParts(++run.id, nav, hooks);
  return run.started;
}

async function startParts(id, nav, hooks) {
  // The server's words (outcomes, visit types, answers, the report's choices): asked for once
  // signed in, kept by the service worker for an offline start; screens redraw when here.
  vocabularyReady().catch(() => {});
  const homeDrawn = home.show(run.me, nav);
  alarm.start(run.me, { ...hooks, currentVisit: () => screens.visit?.current() ?? null });
  await hooks.alarmReady(homeDrawn);  // home on view: the rest of the code may come now
  if (id !== run.id) return;
  const { visits, capture } = await loadRest();
  if (id !== run.id) return;
  screens.visit = visits;
  screens.incident = capture;
  visits.start(run.me, { ...hooks, showOwnAlarm: alarm.showOwnAlarm, ownAlarmOpen: alarm.ownAlarmOpen });
  await nextTask();
  if (id !== run.id) return;
  capture.start(run.me, hooks);
  announcer.start(run.me);
}

/** A fresh profile from /api/me: every part follows (a role or team may have changed); a
 * part still to start starts with it. */
export function update(me) {
  run.me = me;
  home.update(me);
  alarm.update(me);
  screens.visit?.update(me);
  screens.incident?.update(me);
  announcer.start(me);
}

export function stop() {
  run.id += 1;
  screens.incident?.stop();
  screens.visit?.stop();
  alarm.stop();
  home.hide();
  announcer.stop();
}

export function refreshTexts() {
  alarm.refreshTexts();
  screens.visit?.refreshTexts();
  screens.incident?.refreshTexts();
}
