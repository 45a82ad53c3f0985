// What a signed-in user's app runs: home, the alarm, visits, quick capture, live messages and
// the server's vocabulary. app.js imports it once someone is signed in, so the login page
// fetches none of it; the service worker keeps it with the shell (app/pwa.py SESSION), and a
// request with a signed-in cookie gets it preloaded side by side.
import * as home from "./screens/home.js";
import * as alarm from "./alarm/index.js";
import * as visits from "./visits/index.js";
import * as capture from "./incidents/capture.js";
import { announcer } from "./announcer.js";
import { ready as vocabularyReady } from "./vocabulary.js";

export { disablePush } from "./push.js";

/** The session's screens by the router's names; each has enter (and leave, canLeave). */
export const screens = { home, visit: visits, incident: capture };

// Between the parts of the start: a slow phone gets to paint and to take a tap in between
// instead of freezing for the whole start at once.
const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));
const run = { id: 0 };  // which start is current: a logout during a start ends it there

export async function start(me, nav, hooks) {
  // The server's words (outcomes, visit types, answers, the report's choices): asked for once
  // signed in, kept by the service worker for an offline start; screens redraw when here.
  vocabularyReady().catch(() => {});
  const id = ++run.id;
  home.show(me, nav);
  alarm.start(me, hooks);
  await nextTask();
  if (id !== run.id) return;
  visits.start(me, { ...hooks, showOwnAlarm: alarm.showOwnAlarm, ownAlarmOpen: alarm.ownAlarmOpen });
  await nextTask();
  if (id !== run.id) return;
  capture.start(me, hooks);
  announcer.start(me);
}

/** A fresh profile from /api/me: every part follows (a role or team may have changed). */
export function update(me) {
  home.update(me);
  alarm.update(me);
  visits.update(me);
  capture.update(me);
  announcer.start(me);
}

export function stop() {
  run.id += 1;
  capture.stop();
  visits.stop();
  alarm.stop();
  home.hide();
  announcer.stop();
}

export function refreshTexts() {
  alarm.refreshTexts();
  visits.refreshTexts();
  capture.refreshTexts();
}
