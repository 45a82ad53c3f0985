// "Beheer": the organisation as the administrator keeps it — people with their role, team and
// chain of managers, departments and teams, the staff CSV and the change log. The coordinator
// reads it all (`administration_read`); only the administrator changes it (`administration`).
// Nothing of it is kept on the device: fetched when the screen opens, dropped when it closes.
import { t, onLangChange } from "../i18n.js";
import { get } from "../api.js";
import * as conn from "../connection.js";
import { $, el } from "../dom.js";
import { can } from "../capabilities.js";
import { paths } from "../routes.js";
import { applyLimits, label, onVocabulary, ready as vocabularyReady } from "../vocabulary.js";
import { PersonForm } from "./person-form.js";
import { Teams } from "./teams.js";
import { StaffImport } from "./staff-import.js";
import { ChangeLog } from "./changes.js";
import { SignInAttempts } from "./sign-in-attempts.js";
import { valueText } from "./words.js";

class AdminScreen {
  constructor() {
    this.me = null;
    this.nav = { up: () => {} };
    this.open = false;
    this.org = null;
    this.loadGen = 0;
    this.bound = false;
    this.form = null;
    // After a change the lists are drawn anew: the focus goes to the heading of what changed.
    this.teams = new Teams({ onChanged: (status) => this.reload(status, "admin-teams-heading") });
    this.staffImport = new StaffImport({ onApplied: (status) => this.reload(status, "admin-people-heading") });
    this.log = new ChangeLog();
    this.attempts = new SignInAttempts();
  }

  get changes() {
    return can(this.me, "administration");
  }

  configure(me, nav) {
    this.me = me;
    this.nav = nav;
    this.bind();
  }

  bind() {
    if (this.bound) return;
    this.bound = true;
    this.form = new PersonForm({ host: $("admin-person-editor"), onDone: (person, result) => this.saved(person, result) });
    $("admin-back").addEventListener("click", () => this.nav.up(paths.home()));
    $("admin-person-new").addEventListener("click", (e) => { if (this.org) this.form.open(this.org, null, e.currentTarget); });
    $("admin-search").addEventListener("input", () => this.renderPeople());
    $("admin-people").addEventListener("click", (e) => {
      const button = e.target.closest("button[data-edit]");
      if (button) this.form.open(this.org, this.person(Number(button.dataset.edit)), button);
    });
    const redraw = () => {
      if (!this.open || !this.org) return;
      this.render();
      this.log.render();
    };
    onLangChange(redraw);
    onVocabulary(redraw);
  }

  person(id) {
    return this.org?.people.find((p) => p.id === id) || null;
  }

  /** The route "/beheer" (administration_read only). */
  enter() {
    if (!can(this.me, "administration_read")) return false;
    if (this.open) return true;
    this.open = true;
    this.clear();
    $("admin-readonly").hidden = this.changes;
    $("admin-person-new").hidden = !this.changes;
    this.staffImport.show(this.changes);
    vocabularyReady().catch(() => {});
    this.load();
    if (can(this.me, "sign_in_attempts")) this.attempts.load();
    return true;
  }

  leave() {
    if (!this.open) return;
    this.open = false;
    this.loadGen += 1;
    this.clear();
  }

  clear() {
    this.org = null;
    this.form?.close({ refocus: false });
    this.log.stop();
    this.attempts.stop();
    for (const id of ["admin-people", "admin-teams", "admin-team-forms"]) $(id).replaceChildren();
    $("admin-status").textContent = "";
    $("admin-load-error").textContent = "";
    $("admin-password").hidden = true;
    $("admin-password-text").textContent = "";
    $("admin-search").value = "";
  }

  async load() {
    const gen = ++this.loadGen;
    $("admin-loading").hidden = false;
    $("admin-load-error").textContent = "";
    try {
      const org = await get("/api/admin/organisation");
      if (gen !== this.loadGen || !this.open) return;
      conn.setReachable(true);
      this.org = org;
      this.render();
      this.log.load();
    } catch (err) {
      if (err.status === 401 || gen !== this.loadGen) return;
      if (err.isNetwork) conn.setReachable(false);
      $("admin-load-error").textContent = err.isNetwork ? t("admin.error.offline") : err.message;
    } finally {
      if (gen === this.loadGen) $("admin-loading").hidden = true;
    }
  }

  async reload(status, focus = null) {
    $("admin-status").textContent = status;
    await this.load();
    if (focus) $(focus).focus();
  }

  render() {
    this.renderPeople();
    this.teams.render(this.org, { changes: this.changes });
    applyLimits($("admin-screen"));
  }

  renderPeople() {
    if (!this.org) return;
    const wanted = $("admin-search").value.trim().toLowerCase();
    const shown = this.org.people.filter((p) => !wanted || `${p.name} ${p.username}`.toLowerCase().includes(wanted));
    $("admin-people").replaceChildren(...shown.map((p) => this.personItem(p)));
    $("admin-search-count").textContent = t("admin.search.count", { count: shown.length, total: this.org.people.length });
  }

  personItem(p) {
    const team = this.org.teams.find((x) => x.id === p.team_id);
    const facts = el("dl", { class: "admin-facts" });
    const fact = (key, value) => facts.append(el("dt", {}, t(key)), el("dd", {}, value));
    fact("admin.field.username", p.username);
    fact("admin.field.email", valueText("email", p.email));
    fact("admin.field.phone", valueText("phone", p.phone));
    fact("admin.field.function_group", valueText("function_group", p.function_group));
    fact("admin.chain", p.chain.length ? p.chain.map((m) => (m.active ? m.name : t("admin.inactive.name", { name: m.name }))).join(" → ")
      : t("admin.chain.top"));
    const leads = p.leads_team_ids.map((id) => this.org.teams.find((x) => x.id === id)?.name).filter(Boolean);
    if (leads.length) fact("admin.field.leads", leads.join(", "));
    const headingId = `admin-person-${p.id}`;
    return el("li", { class: `admin-person${p.active ? "" : " is-inactive"}`, dataset: { personId: String(p.id) }, "aria-labelledby": headingId },
      el("h3", { id: headingId, class: "admin-person-name", tabindex: "-1" }, p.name,
        p.active ? null : el("span", { class: "admin-badge" }, ` ${t("admin.inactive")}`)),
      el("p", { class: "admin-person-role" }, [label("roles", p.role), team?.name, p.on_duty ? t("admin.field.on_duty") : null].filter(Boolean).join(" · ")),
      facts,
      this.changes ? el("button", { type: "button", class: "btn btn-secondary btn-small", dataset: { edit: String(p.id) },
        "aria-label": t("admin.person.edit", { name: p.name }) }, t("admin.edit")) : null);
  }

  /** After a change: the organisation anew, the password once, the focus on the person. */
  async saved(person, { password = null, status = "" }) {
    $("admin-search").value = "";
    await this.reload(status);
    if (password) {
      $("admin-password-text").replaceChildren(t("admin.password", { name: person.name, username: person.username }), " ",
        el("code", { id: "admin-password-value" }, password));
      $("admin-password").hidden = false;
      $("admin-password").focus();
    } else {
      $(`admin-person-${person.id}`)?.focus();
    }
  }

  refreshTexts() {}

  stop() {
    this.leave();
    this.me = null;
  }
}

const admin = new AdminScreen();

export const screen = {
  configure: (me, nav) => admin.configure(me, nav),
  enter: () => admin.enter(),
  leave: () => admin.leave(),
  refreshTexts: () => admin.refreshTexts(),
  stop: () => admin.stop(),
};
