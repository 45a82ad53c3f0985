// After ANY withdrawal with the PIN the phone keeps sharing its position for half an hour,
// silently. The server answers a duress PIN exactly like a real one and this phone cannot tell
// them apart, so it does the same after both; the server streams the positions of an alarm
// that is still open (duress) to responders and drops those of one really closed. Nothing is
// shown and nothing is logged, whatever happens: an onlooker must see a withdrawn alarm.
import { post } from "../api.js";
import { kvGet, kvSet, kvDelete } from "../store.js";
import { PositionWatch } from "../position.js";

const KEY = "positionCover";
const EVERY_MS = 15_000;
const FOR_MS = 30 * 60_000;

class PositionCover {
  constructor() {
    this.cover = null; // {alarm_id, until (ms)}
    this.watch = new PositionWatch();
    this.sendTimer = 0;
    this.endTimer = 0;
    this.generation = 0;
  }

  /** Right after a PIN cancel answered 200 (any 200: see worker.js). */
  begin(alarmId) {
    this.stop();
    const cover = { alarm_id: alarmId, until: Date.now() + FOR_MS };
    kvSet(KEY, cover).catch(() => {});
    this.run(cover);
  }

  /** On app start: carry on with a cover that has time left. */
  async resume() {
    const gen = this.generation;
    const cover = await kvGet(KEY).catch(() => null);
    if (gen !== this.generation || this.cover || !(cover?.until > Date.now())) return;
    this.run(cover);
  }

  run(cover) {
    this.cover = cover;
    this.watch.start();
    this.sendTimer = setInterval(() => this.send(), EVERY_MS);
    this.endTimer = setTimeout(() => this.stop(), cover.until - Date.now());
  }

  send() {
    const position = this.watch.latest;
    if (!this.cover || !position) return;
    post(`/api/alarms/${this.cover.alarm_id}/positions`, position, { handle401: false, timeout: 10000 })
      .catch(() => {});
  }

  /** Time is up, a new alarm is raised, or the worker logs out. */
  stop() {
    this.generation += 1;
    clearInterval(this.sendTimer);
    clearTimeout(this.endTimer);
    this.watch.stop();
    if (this.cover) kvDelete(KEY).catch(() => {});
    this.cover = null;
  }
}

export const cover = new PositionCover();
