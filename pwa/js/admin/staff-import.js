// The staff CSV: pick a file, check it (the server's dry run: per line what would change and
// what is wrong), then apply it — offered only when nothing is wrong, and the server applies
// all of it or nothing. The export link downloads the same format.
import { t } from "../i18n.js";
import { post } from "../api.js";
import * as conn from "../connection.js";
import { $, el } from "../dom.js";
import { actionText, changeTexts } from "./words.js";

/** A line's changes as texts: {field: {before, after}}; someone new has no "before". */
function lineChanges(line) {
  const pairs = Object.entries(line.changes || {});
  const side = (which) => Object.fromEntries(pairs.map(([field, change]) => [field, change[which]]));
  return changeTexts(line.action === "created" ? null : side("before"), side("after"));
}

export class StaffImport {
  /** onApplied(status) after a file was applied: the screen reloads. */
  constructor({ onApplied }) {
    this.onApplied = onApplied;
    this.text = null;  // the file checked last, applied as it was checked
    this.bound = false;
  }

  bind() {
    if (this.bound) return;
    this.bound = true;
    $("admin-import-form").addEventListener("submit", (e) => { e.preventDefault(); this.check(); });
    $("admin-import-file").addEventListener("change", () => this.reset());
    $("admin-import-apply").addEventListener("click", () => this.apply());
  }

  show(changes) {
    this.bind();
    $("admin-import-form").hidden = !changes;
    this.reset();
  }

  reset() {
    this.text = null;
    $("admin-import-report").hidden = true;
    $("admin-import-apply").hidden = true;
    $("admin-import-file-error").textContent = "";
    $("admin-import-file").removeAttribute("aria-invalid");
  }

  refuse(message) {
    $("admin-import-file").setAttribute("aria-invalid", "true");
    $("admin-import-file-error").textContent = message;
    $("admin-import-file").focus();
  }

  async check() {
    const file = $("admin-import-file").files?.[0];
    this.reset();
    if (!file) { this.refuse(t("admin.import.none")); return; }
    const text = await file.text();
    await this.send({ csv: text, apply: false }, (report) => {
      this.text = report.problems.length ? null : text;
      this.report(report);
    });
  }

  async apply() {
    if (this.text === null) return;
    await this.send({ csv: this.text, apply: true }, (report) => {
      this.reset();
      this.onApplied(t("admin.import.applied", { count: report.lines.filter((l) => l.action !== "unchanged").length }));
    });
  }

  async send(body, done) {
    const buttons = [$("admin-import-check"), $("admin-import-apply")];
    for (const b of buttons) b.disabled = true;
    try {
      const report = await post("/api/admin/people/import", body);
      conn.setReachable(true);
      done(report);
    } catch (err) {
      if (err.status === 401) return;
      if (err.isNetwork) conn.setReachable(false);
      this.refuse(err.isNetwork ? t("admin.error.offline") : err.message || t("admin.error.failed"));
    } finally {
      for (const b of buttons) b.disabled = false;
    }
  }

  report(report) {
    const counts = report.summary || {};
    const changing = report.lines.filter((l) => l.action !== "unchanged");
    $("admin-import-summary").textContent = report.problems.length
      ? t("admin.import.wrong", { count: report.problems.length })
      : t("admin.import.fine", { count: changing.length, unchanged: counts.unchanged || 0 });
    $("admin-import-problems").replaceChildren(...report.problems.map((p) => el("li", { class: "admin-problem" },
      el("strong", {}, p.line ? t("admin.import.at", { line: p.line, column: p.column || "—" }) : p.username || ""), " ", p.message)));
    $("admin-import-lines").replaceChildren(...changing.map((l) => el("li", { class: "admin-import-line" },
      el("p", {}, el("strong", {}, l.line ? t("admin.import.line", { line: l.line }) : t("admin.import.consequence")),
        ` ${l.name} (${l.username}): ${actionText(l.action)}`),
      ...lineChanges(l).map((text) => el("p", { class: "hint" }, text)))));
    $("admin-import-report").hidden = false;
    $("admin-import-apply").hidden = this.text === null || changing.length === 0;
    $("admin-import-report").focus();
  }
}
