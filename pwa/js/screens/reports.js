// Reports ("/rapportages", issue 17): the figures of a period against the previous one, over
// the viewer's own scope (a manager's teams, the coordinator everything: the server decides),
// from GET /api/reports, with the same report as CSV and PDF. The query is the URL's
// ("?preset=last_quarter&team=3"), so reload and back show the same report; a figure links
// to the register list of its incidents. Every word, figure and chart is the server's; the
// figures leave the page with the screen. Loaded on first use.
import { t } from "../i18n.js";
import { get } from "../api.js";
import * as conn from "../connection.js";
import { $ } from "../dom.js";
import { can } from "../capabilities.js";
import { paths } from "../routes.js";
import { QUERY_KEYS, queryString, reportQuery } from "../reports/core.js";
import { bindForm, clearErrors, fillFrom, fillOptions, readForm, resetForm, showErrors } from "../reports/form.js";
import { generatedAt, sections } from "../reports/render.js";

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

  /** After login or a profile refresh; the form's fields and buttons are bound the first time. */
  configure(me, nav) {
    const first = this.nav === null;
    [this.me, this.nav] = [me, nav];
    if (!first) return;
    bindForm();
    $("reports-back").addEventListener("click", () => this.nav.up(paths.home()));
    $("reports-form").addEventListener("submit", (e) => {
      e.preventDefault();
      this.apply();
    });
  }

  /** The route: the report its query asks for (drawn again only when that changed). */
  enter({ query = {} } = {}) {
    if (!can(this.me, "reports")) return false;
    this.showing = true;
    this.query = reportQuery(query);
    if (queryString(this.query) !== this.onPage) this.load();
    return true;
  }

  /** The form's report becomes the URL's (a step back returns to the one before). */
  apply() {
    clearErrors();
    const query = ordered(reportQuery(readForm()));
    const again = queryString(query) === this.onPage;
    this.nav.go(paths.reports(query));
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
    const { period, previous, scope, downloads = {} } = this.report;
    $("reports-scope").textContent = t("reports.heading", { scope: scope.label, period: period.label });
    $("reports-compare").textContent = previous ? t("reports.compare", { period: period.label, previous: previous.label }) : "";
    $("reports-generated").textContent = this.report.generated_at ? t("reports.generated", { at: generatedAt(this.report.generated_at) }) : "";
    for (const [kind, id] of [["pdf", "reports-pdf"], ["csv", "reports-csv"]]) {
      $(id).hidden = !downloads[kind];
      if (downloads[kind]) $(id).href = downloads[kind];
    }
    $("reports-sections").replaceChildren(...sections(this.report));
    $("reports-result").hidden = false;
  }

  clearReport() {
    this.report = null;
    $("reports-result").hidden = true;
    $("reports-sections").replaceChildren();
    $("reports-error").textContent = "";
  }

  /** The status line (a live region): a text, or none. */
  say(key, values = {}) {
    $("reports-status").textContent = key ? t(key, values) : "";
  }

  /** The figures leave the page; coming back asks the server again. */
  leave() {
    this.showing = false;
    this.asked += 1;
    this.onPage = null;
    this.clearReport();
    this.say(null);
  }

  refreshTexts() {
    if (!this.showing) return;
    fillOptions();
    this.load();  // the server's words, in the new language
  }

  stop() {
    this.leave();
    this.me = null;
    this.query = {};
    resetForm();
  }
}

export const screen = new ReportsScreen();
