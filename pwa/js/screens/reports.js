// Reports ("/rapportages", issue 17): the figures of a period against the previous one, over
// the viewer's own scope (a manager's teams, the coordinator everything: the server decides),
// from GET /api/reports, with the same report as CSV and PDF. The query is the URL's
// ("?preset=last_quarter&team=3"), so reload and back show the same report; a figure links
// to the register list of its incidents. Every word, figure and chart is the server's; the
// figures leave the page with the screen. Loaded on first use.
// Above the report: the quarterly and half-year reports as documents (reports/documents.js)
// and the annual count for the Sociaal jaarverslag (reports/annual.js), whose year is the URL's
// too ("?preset=last_quarter&annual=2025").
import { t } from "../i18n.js";
import { get } from "../api.js";
import * as conn from "../connection.js";
import { $ } from "../dom.js";
import { can } from "../capabilities.js";
import { parse, paths } from "../routes.js";
import { QUERY_KEYS, queryString, reportQuery } from "../reports/core.js";
import { bindForm, clearErrors, fillFrom, fillOptions, readForm, resetForm, showErrors } from "../reports/form.js";
import { AnnualCount } from "../reports/annual.js";
import { clearDrawn, drawReport, statusLine } from "../reports/render.js";
import { ReportDocuments } from "../reports/documents.js";
import { ready as vocabularyReady } from "../vocabulary.js";

/** The query in the API's order, so that the same report has the same URL. */
const ordered = (query) => Object.fromEntries(QUERY_KEYS.filter((key) => key in query).map((key) => [key, query[key]]));

class ReportsScreen {
  me = null;
  nav = null;
  showing = false;
  query = {};    // what the URL asks for
  onPage = null; // its query string once asked: the report on the page is for that one
  report = null;
  asked = 0;     // the latest load: an older answer is not drawn over it
  documents = new ReportDocuments();
  annual = new AnnualCount();
  say = statusLine("reports-status");  // the report's status line (a live region)

  /** After login or a profile refresh; the form's fields and buttons are bound the first time. */
  configure(me, nav) {
    const first = this.nav === null;
    [this.me, this.nav] = [me, nav];
    this.documents.configure(me);
    if (!first) return;
    bindForm();
    this.annual.bind((year) => this.showAnnual(year), (answer) => this.documents.setPeriods(answer.options?.periods));
    $("reports-back").addEventListener("click", () => this.nav.up(paths.home()));
    $("reports-form").addEventListener("submit", (e) => {
      e.preventDefault();
      this.apply();
    });
  }

  /** The route: the report its query asks for (drawn again only when that changed). */
  enter({ query = {} } = {}) {
    if (!can(this.me, "reports")) return false;
    const entering = !this.showing;
    this.showing = true;
    this.query = reportQuery(query);
    if (queryString(this.query) !== this.onPage) this.load();
    this.annual.show(query.annual);
    if (entering) {
      vocabularyReady().catch(() => {});  // the fields' bounds (data-limit) once it is here
      this.documents.enter();
    }
    return true;
  }

  /** The annual count of `year` (null: none) becomes the URL's, beside the report's query. */
  showAnnual(year) {
    if (year === "") { this.annual.load(""); return; }  // the server says what is missing
    const again = year !== null && year === this.annual.onPage;
    this.nav.go(paths.reports({ ...ordered(this.query), annual: year }));
    if (again) this.annual.load();  // the same year once more: the figures as they are now
  }

  /** Away from the screen with recommendations not saved only when the user says so; within
   * it (another report, the annual count) they stay on the page. */
  canLeave(path) {
    const url = new URL(path, location.href);
    if (parse(url.pathname, url.search)?.screen === "reports" || !this.documents.unsaved()) return true;
    return window.confirm(t("reports.docs.discard"));
  }

  /** The form's report becomes the URL's (a step back returns to the one before). */
  apply() {
    clearErrors();
    const query = ordered(reportQuery(readForm()));
    const again = queryString(query) === this.onPage;
    this.nav.go(paths.reports({ ...query, annual: this.annual.year }));
    if (again) this.load();  // the same query once more: the figures as they are now
  }

  async load() {
    const asked = ++this.asked;
    const query = queryString(this.query);
    this.onPage = query;
    this.clearReport();  // figures of another query must not pass for this one's
    clearErrors();
    if (query) fillFrom(this.query, null);
    this.say("reports.loading");
    try {
      const report = await get(`/api/reports${query ? `?${query}` : ""}`);
      if (asked !== this.asked || !this.showing) return;
      conn.setReachable(true);
      this.report = report;
      fillOptions(report.options || {});
      this.documents.setPeriods(report.options?.periods);
      fillFrom(this.query, report);
      this.render();
      this.say("reports.loaded", { period: report.period.label, scope: report.scope.label });
    } catch (err) {
      if (err.status === 401 || asked !== this.asked || !this.showing) return;
      if (err.isNetwork) conn.setReachable(false);
      this.onPage = null;  // nothing of it is on the page: asking again loads it
      this.say(null);
      if (err.status === 422) showErrors(err.message, err.fields);
      else $("reports-error").textContent = err.isNetwork ? t("reports.offline") : err.message || t("reports.failed");
    }
  }

  render() {
    const { period, scope } = this.report;
    drawReport(this.report, "reports", t("reports.heading", { scope: scope.label, period: period.label }));
  }

  clearReport() {
    this.report = null;
    clearDrawn("reports");
    $("reports-error").textContent = "";
  }

  /** The figures leave the page; coming back asks the server again. */
  leave() {
    this.showing = false;
    this.asked += 1;
    this.onPage = null;
    this.clearReport();
    this.say(null);
    this.annual.leave();
    this.documents.leave();
  }

  refreshTexts() {
    if (!this.showing) return;
    fillOptions();
    this.load();  // the server's words, in the new language
    this.annual.refreshTexts();
    this.documents.refreshTexts();
  }

  stop() {
    this.leave();
    this.annual.stop();
    this.documents.stop();
    this.me = null;
    this.query = {};
    resetForm();
  }
}

export const screen = new ReportsScreen();
