// The coordinator's audit trail ("/inzagelog"): who saw which aggressor details or position,
// who looked up what in the register, who exported what (GET /api/audit), searched by period,
// person, subject and act, newest first, paged with "Meer laden"; the same selection as CSV
// (GET /api/audit.csv, a plain link: the export is written down too). The acts and subjects
// are the server's (vocabulary "audit_trail"). Nothing is kept on the device: the rows leave
// the page with the screen, the search stays for coming back (from a linked report).
import { t } from "../i18n.js";
import { get } from "../api.js";
import * as conn from "../connection.js";
import { $, el } from "../dom.js";
import { can } from "../capabilities.js";
import { paths } from "../routes.js";
import { formatMoment } from "../incidents/gir-fields.js";
import { onVocabulary, ready as vocabularyReady, word } from "../vocabulary.js";

// The API's filter -> its field.
const FILTERS = { from: "audit-from", to: "audit-to", person: "audit-person", subject: "audit-subject",
  subject_id: "audit-subject-id", act: "audit-act" };
const ISO_MOMENT = /^\d{4}-\d{2}-\d{2}T/;

/** The trail's acts or subjects ({code, label, …}); [] until the vocabulary is here. */
const terms = (list) => word("audit_trail")?.[list] || [];
const term = (list, code) => terms(list).find((e) => e.code === code);
const termLabel = (list, code) => term(list, code)?.label ?? String(code ?? "");

/** The text for one of the server's words in `shown` ("fields", "address"), or the word. */
function shownWord(name) {
  const key = `audit.shown.${name}`;
  const text = t(key);
  return text === key ? name : text;
}

function shownValue(value) {
  if (Array.isArray(value)) return value.every(Number.isInteger) ? String(value.length) : value.map(shownWord).join(", ");
  if (value && typeof value === "object") {
    return Object.entries(value).filter(([, v]) => v !== null && v !== "")
      .map(([k, v]) => `${shownWord(k)} ${shownValue(v)}`).join(", ");
  }
  return ISO_MOMENT.test(String(value)) ? formatMoment(value) : String(value ?? "");
}

/** What the act showed, short: "Gegevens: naam, adres", "Gevonden: 2", "Regels: 40". */
const shownText = (shown) => Object.entries(shown || {}).map(([k, v]) => `${shownWord(k)}: ${shownValue(v)}`).join(" · ");

/** The subject and its number; a report's number links to the report. */
function subjectCell(row) {
  const name = termLabel("subjects", row.subject);
  if (row.subject_id === null) return name;
  const text = t("audit.subject.numbered", { subject: name, number: row.subject_id });
  return term("subjects", row.subject)?.report ? el("a", { href: paths.gir(row.subject_id) }, text) : text;
}

function rowOf(entry) {
  return el("tr", { dataset: { auditId: String(entry.id) } },
    el("th", { scope: "row", tabindex: "-1" }, el("time", { datetime: entry.at }, formatMoment(entry.at))),
    el("td", {}, entry.actor?.name ?? t("audit.actor.unknown")),
    el("td", {}, termLabel("acts", entry.act)),
    el("td", {}, subjectCell(entry)),
    el("td", {}, entry.purpose),
    el("td", {}, shownText(entry.shown)));
}

function fillSelect(id, options) {
  const select = $(id);
  const keep = select.value;
  select.replaceChildren(el("option", { value: "" }, t("audit.all")),
    ...options.map(([value, text]) => el("option", { value: String(value) }, text)));
  select.value = keep;
  if (select.value !== keep) select.value = "";
}

class AuditScreen {
  constructor() {
    this.me = null;
    this.nav = null;
    this.showing = false;
    this.people = [];   // [{id, name}] for the person filter
    this.applied = {};  // the filters of the last search, also the CSV link's
    this.rows = [];
    this.before = null; // id to continue before, or null: no more
    this.asked = 0;     // the latest search: an older answer is not drawn over it
    this.said = null;   // [key, values] of the status line, said again in a new language
  }

  configure(me, nav) {
    if (!this.nav) this.bind();
    this.me = me;
    this.nav = nav;
  }

  bind() {
    $("audit-back").addEventListener("click", () => this.nav.up(paths.home()));
    $("audit-filters").addEventListener("submit", (e) => { e.preventDefault(); this.apply(); });
    $("audit-clear").addEventListener("click", () => { $("audit-filters").reset(); this.apply(); });
    $("audit-more").addEventListener("click", () => this.search({ more: true }));
    onVocabulary(() => this.refreshTexts());
  }

  enter() {
    if (!can(this.me, "audit_trail")) return false;
    if (this.showing) return true;
    this.showing = true;
    this.fillFilters();
    vocabularyReady().catch(() => {});  // the selects fill once it is here (onVocabulary)
    this.loadPeople();
    this.search();
    return true;
  }

  fillFilters() {
    fillSelect(FILTERS.person, this.people.map((p) => [p.id, p.name]));
    fillSelect(FILTERS.subject, terms("subjects").map((s) => [s.code, s.label]));
    fillSelect(FILTERS.act, terms("acts").map((a) => [a.code, a.label]));
  }

  /** Everyone the coordinator can name, herself included, by name. */
  async loadPeople() {
    try {
      const others = (await get("/api/people"))?.people || [];
      this.people = [this.me, ...others].sort((a, b) => a.name.localeCompare(b.name));
      if (this.showing) this.fillFilters();
    } catch { /* without names the other filters still work */ }
  }

  clearErrors() {
    $("audit-filters-error").textContent = "";
    for (const id of Object.values(FILTERS)) {
      $(id).removeAttribute("aria-invalid");
      $(`${id}-error`).textContent = "";
    }
  }

  /** Field messages next to their fields (the first gets focus), the rest above the button. */
  showErrors(summary, fields = {}) {
    const rest = [];
    let first = null;
    for (const [name, message] of Object.entries(fields)) {
      const field = FILTERS[name] && $(FILTERS[name]);
      if (!field) { rest.push(message); continue; }
      field.setAttribute("aria-invalid", "true");
      $(`${field.id}-error`).textContent = message;
      first ??= field;
    }
    $("audit-filters-error").textContent = [summary, ...rest].join(" ");
    first?.focus();
  }

  apply() {
    this.clearErrors();
    const chosen = Object.entries(FILTERS).map(([name, id]) => [name, $(id).value.trim()]).filter(([, v]) => v);
    const next = Object.fromEntries(chosen);
    if (next.from && next.to && next.to < next.from) {
      this.showErrors(t("air.error.form"), { to: t("gir.filter.error.order") });
      return;
    }
    this.applied = next;
    this.search();
  }

  /** The first page of the applied search, or the next page after the rows on screen. */
  async search({ more = false } = {}) {
    const asked = ++this.asked;
    const filtered = new URLSearchParams(this.applied).toString();
    $("audit-csv").href = `/api/audit.csv${filtered ? `?${filtered}` : ""}`;
    const params = new URLSearchParams(this.applied);
    if (more) params.set("before", String(this.before));
    $("audit-more").disabled = true;
    $("audit-error").textContent = "";
    if (!more) this.say("loading");
    try {
      const data = await get(`/api/audit?${params}`);
      if (asked !== this.asked || !this.showing) return;
      conn.setReachable(true);
      const shownBefore = more ? this.rows.length : 0;
      this.rows = [...(more ? this.rows : []), ...(data?.entries || [])];
      this.before = data?.before ?? null;
      this.render();
      this.sayCount();
      if (more) $("audit-rows").children[shownBefore]?.querySelector("th")?.focus();
    } catch (err) {
      if (err.status === 401 || asked !== this.asked || !this.showing) return;
      if (err.isNetwork) conn.setReachable(false);
      if (!more) this.clearRows();  // rows of another search must not pass for this one's
      this.say(null);
      if (err.status === 422) this.showErrors(err.message, err.fields);
      else $("audit-error").textContent = err.isNetwork ? t("audit.offline") : err.message || t("audit.failed");
    } finally {
      if (asked === this.asked) $("audit-more").disabled = false;
    }
  }

  render() {
    $("audit-rows").replaceChildren(...this.rows.map(rowOf));
    $("audit-table-box").hidden = this.rows.length === 0;
    $("audit-more").hidden = this.before === null;
  }

  sayCount() {
    this.say(!this.rows.length ? "audit.empty" : this.before === null ? "audit.count" : "audit.count.more",
      { count: this.rows.length });
  }

  /** The status line (a live region): a text's key and values, or null for none. */
  say(key, values = {}) {
    this.said = key && [key, values];
    $("audit-status").textContent = key ? t(key, values) : "";
  }

  clearRows() {
    this.rows = [];
    this.before = null;
    this.render();
  }

  /** The rows leave the page; the search stays for coming back. */
  leave() {
    this.showing = false;
    this.asked += 1;
    this.clearRows();
    this.say(null);
    $("audit-error").textContent = "";
  }

  refreshTexts() {
    if (!this.showing) return;
    this.fillFilters();
    this.render();
    if (this.said) this.say(...this.said);
  }

  stop() {
    this.leave();
    this.me = null;
    this.people = [];
    this.applied = {};
    $("audit-filters").reset();
    this.clearErrors();
  }
}

export const screen = new AuditScreen();
