// The annual count for the Sociaal jaarverslag ("Jaartelling", §9; issue 17): one year's
// figures from GET /api/reports/annual?year=…, drawn by the report's own renderer (render.js),
// with the CSV the answer links. The year is the URL's (`?annual=2025` beside the report's
// query), so reload and back show the same count, asked again; figures of another year are
// cleared before the answer comes.
import { t } from "../i18n.js";
import { get } from "../api.js";
import * as conn from "../connection.js";
import { $ } from "../dom.js";
import { clearErrors, showErrors, today } from "../incidents/followup-ui.js";
import { limitField } from "../vocabulary.js";
import { clearDrawn, drawReport, statusLine } from "./render.js";

const PLACE = "reports-annual";
const form = () => $("reports-annual-form");
const yearField = () => $("reports-annual-year");
/** Last year, in the municipality's calendar: the year a Sociaal jaarverslag is about. */
const lastYear = () => String(Number(today().slice(0, 4)) - 1);

export class AnnualCount {
  year = null;   // the year the URL asks for, or null: no count shown
  onPage = null; // the year asked for last: the count on the page is that one's
  asked = 0;     // the latest load: an older answer is not drawn over it
  showing = false;
  focusNext = false; // asked with the form: the count's heading takes the focus once drawn
  say = statusLine("reports-annual-status");

  /** `go(year)` puts a year (null: none) in the URL; `onReport(answer)` hears every answer. */
  bind(go, onReport) {
    this.onReport = onReport;
    limitField(yearField());
    form().addEventListener("submit", (e) => {
      e.preventDefault();
      this.focusNext = true;
      go(yearField().value.trim());
    });
    $("reports-annual-close").addEventListener("click", () => go(null));
  }

  /** The URL's year: its count (asked again only when the year changed), or none. */
  show(year) {
    this.showing = true;
    this.year = year ? String(year) : null;
    if (!this.year) {
      Object.assign(this, { onPage: null, asked: this.asked + 1 });  // an answer under way is not drawn
      this.clear();
      if (!yearField().value) yearField().value = lastYear();
      return;
    }
    yearField().value = this.year;
    if (this.year !== this.onPage) this.load();
  }

  async load(year = this.year ?? "") {
    const asked = ++this.asked;
    this.onPage = year;
    this.clear();
    this.say("reports.annual.loading");
    try {
      const answer = await get(`/api/reports/annual?year=${encodeURIComponent(year)}`);
      if (asked !== this.asked || !this.showing) return;
      conn.setReachable(true);
      this.onReport?.(answer);
      drawReport(answer, PLACE, t("reports.annual.title", { period: answer.period.label, scope: answer.scope.label }), "annual-");
      this.say("reports.annual.loaded", { period: answer.period.label, scope: answer.scope.label });
      if (this.focusNext) $("reports-annual-scope").focus();
      this.focusNext = false;
    } catch (err) {
      if (err.status === 401 || asked !== this.asked || !this.showing) return;
      if (err.isNetwork) conn.setReachable(false);
      this.onPage = null;  // nothing of it is on the page: asking again loads it
      this.focusNext = false;
      this.say(null);
      if (err.status === 422) showErrors(form(), err.message, err.fields);
      else $("reports-annual-error").textContent = err.isNetwork ? t("reports.annual.offline") : err.message || t("reports.annual.failed");
    }
  }

  /** No count, no message: the figures, the errors and the status line go. */
  clear() {
    clearDrawn(PLACE);
    clearErrors(form());
    $("reports-annual-error").textContent = "";
    this.say(null);
  }

  /** The figures leave the page with the screen; coming back asks the server again. */
  leave() {
    Object.assign(this, { showing: false, onPage: null, asked: this.asked + 1 });
    this.clear();
  }

  /** The server's words in the new language. */
  refreshTexts() {
    if (this.showing && this.year) this.load();
  }

  stop() {
    this.leave();
    this.year = null;
    form().reset();
  }
}
