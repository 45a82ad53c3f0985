// The administrator's form for one person: add, change, deactivate (a leaver) or reactivate.
// The roles, function groups and who may be someone's manager are the server's word (the
// vocabulary's roles with `line_manager`, the organisation's people with `line_manager`); the
// server checks the chain as a whole and its refusals land next to the field they are about.
import { t } from "../i18n.js";
import { del, post, put } from "../api.js";
import * as conn from "../connection.js";
import { $, el } from "../dom.js";
import { entries, entry } from "../vocabulary.js";
import { clearErrors, control, form, showErrors, valueOf } from "../incidents/followup-ui.js";

const ID = "admin-person-form";
const none = () => t("admin.value.none");
const lineManagerRole = (code) => entry("roles", code)?.line_manager === true;

function errorText(err) {
  return err?.isNetwork ? t("admin.error.offline") : err?.message || t("admin.error.failed");
}

export class PersonForm {
  /** host: where the form is drawn; onDone(person, {password, status}) after a change. */
  constructor({ host, onDone }) {
    this.host = host;
    this.onDone = onDone;
    this.org = null;
    this.person = null;
    this.opener = null;
    this.busy = false;
  }

  get isOpen() {
    return this.host.childElementCount > 0;
  }

  /** Open for `person` (null: someone new); `opener` gets the focus back on cancel. */
  open(org, person = null, opener = null) {
    this.org = org;
    this.person = person;
    this.opener = opener;
    this.render();
    $(`${ID}-name`).focus();
  }

  close({ refocus = true } = {}) {
    this.host.replaceChildren();
    this.person = null;
    if (refocus && this.opener && document.contains(this.opener)) this.opener.focus();
  }

  render() {
    const p = this.person || {};
    const roles = entries("roles");
    const teams = this.org.teams.map((team) => [team.id, team.name]);
    const managers = this.org.people.filter((x) => x.line_manager && x.id !== p.id).map((x) => [x.id, x.name]);
    const buttons = [el("button", { type: "button", class: "btn btn-quiet", dataset: { action: "cancel" } }, t("admin.cancel"))];
    if (p.id && p.active) buttons.push(el("button", { type: "button", class: "btn btn-secondary", id: `${ID}-leave`, dataset: { action: "leave" } }, t("admin.leave")));
    if (p.id && !p.active) buttons.push(el("button", { type: "button", class: "btn btn-secondary", id: `${ID}-return`, dataset: { action: "return" } }, t("admin.return")));
    if (p.id && p.active) {
      buttons.push(el("button", { type: "button", class: "btn btn-secondary", id: `${ID}-reset-password`, dataset: { action: "reset-password" } }, t("admin.reset.password")),
        el("button", { type: "button", class: "btn btn-secondary", id: `${ID}-reset-factor`, dataset: { action: "reset-factor" } }, t("admin.reset.factor")));
    }
    const node = form({ id: ID, legend: p.id ? t("admin.person.edit", { name: p.name }) : t("admin.person.new"),
      submit: t("admin.person.save"), onSubmit: () => this.save(), buttons },
    control({ id: `${ID}-name`, field: "name", label: t("admin.field.name"), value: p.name, limit: "person_name", required: true }),
    control({ id: `${ID}-username`, field: "username", label: t("admin.field.username"), value: p.username,
      limit: "username", required: true, hint: t("admin.username.hint") }),
    control({ id: `${ID}-email`, field: "email", type: "email", label: t("admin.field.email"), value: p.email, limit: "email" }),
    control({ id: `${ID}-phone`, field: "phone", type: "tel", label: t("admin.field.phone"), value: p.phone, limit: "phone" }),
    control({ id: `${ID}-role`, field: "role", type: "select", label: t("admin.field.role"),
      options: roles.map((r) => [r.code, r.label]), value: p.role ?? roles[0]?.code }),
    control({ id: `${ID}-team`, field: "team_id", type: "select", label: t("admin.field.team"),
      options: [["", none()], ...teams], value: p.team_id ?? "" }),
    control({ id: `${ID}-group`, field: "function_group", type: "select", label: t("admin.field.function_group"),
      options: [["", none()], ...entries("function_groups").map((g) => [g.code, g.label])], value: p.function_group ?? "" }),
    control({ id: `${ID}-manager`, field: "manager_id", type: "select", label: t("admin.field.manager"),
      options: [["", none()], ...managers], value: p.manager_id ?? "", hint: t("admin.manager.hint") }),
    this.leadsField(p, teams),
    control({ id: `${ID}-adopt`, field: "adopt_team_members", type: "checkbox", label: t("admin.adopt"), hint: t("admin.adopt.hint") }),
    control({ id: `${ID}-duty`, field: "on_duty", type: "checkbox", label: t("admin.field.on_duty"), value: p.on_duty }));
    node.append(el("div", { id: `${ID}-confirm`, class: "admin-confirm", hidden: "" }));
    node.addEventListener("click", (e) => this.clicked(e.target.closest("button[data-action]")));
    node.querySelector(`#${ID}-role`).addEventListener("change", () => this.showLeads());
    this.host.replaceChildren(node);
    this.showLeads();
  }

  /** The teams this person leads: checkboxes, with one place for the server's word on them. */
  leadsField(p, teams) {
    const led = new Set(p.leads_team_ids || []);
    return el("fieldset", { class: "fu-checks", id: `${ID}-leads`, tabindex: "-1", dataset: { field: "leads_team_ids" },
      "aria-describedby": `${ID}-leads-error` },
    el("legend", {}, t("admin.field.leads")),
    ...teams.map(([id, name]) => el("div", { class: "check" },
      el("input", { type: "checkbox", id: `${ID}-leads-${id}`, name: "leads", value: String(id), checked: led.has(id) ? "" : null }),
      el("label", { for: `${ID}-leads-${id}` }, name))),
    el("p", { class: "error field-error", id: `${ID}-leads-error` }));
  }

  /** Leading teams (and taking their members) is for a role that can manage people. */
  showLeads() {
    const manages = lineManagerRole($(`${ID}-role`).value);
    $(`${ID}-leads`).hidden = !manages;
    $(`${ID}-adopt`).closest(".field").hidden = !manages;
  }

  body() {
    const node = $(ID);
    const manages = lineManagerRole(valueOf(node, "role"));
    const number = (field) => (valueOf(node, field) ? Number(valueOf(node, field)) : null);
    return {
      name: valueOf(node, "name"),
      username: valueOf(node, "username"),
      email: valueOf(node, "email") || null,
      phone: valueOf(node, "phone") || null,
      role: valueOf(node, "role"),
      team_id: number("team_id"),
      function_group: valueOf(node, "function_group") || null,
      manager_id: number("manager_id"),
      leads_team_ids: manages ? [...node.querySelectorAll('input[name="leads"]:checked')].map((i) => Number(i.value)) : [],
      adopt_team_members: manages && valueOf(node, "adopt_team_members") === true,
      on_duty: valueOf(node, "on_duty") === true,
    };
  }

  async run(request, done) {
    if (this.busy) return;
    const node = $(ID);
    clearErrors(node);
    this.busy = true;
    try {
      const answer = await request();
      conn.setReachable(true);
      done(answer);
    } catch (err) {
      if (err.status === 401) return;
      if (err.isNetwork) conn.setReachable(false);
      if (document.contains(node)) showErrors(node, errorText(err), err.fields);
    } finally {
      this.busy = false;
    }
  }

  save() {
    const id = this.person?.id;
    const body = this.body();
    return this.run(() => (id ? put(`/api/admin/people/${id}`, body) : post("/api/admin/people", body)), (answer) => {
      this.close({ refocus: false });
      this.onDone(answer.person, { password: answer.one_time_password || null,
        status: t(id ? "admin.person.saved" : "admin.person.added", { name: answer.person.name }) });
    });
  }

  clicked(button) {
    if (!button || this.busy) return;
    const { action } = button.dataset;
    if (action === "cancel") this.close();
    else if (action === "leave") this.askToLeave();
    else if (action === "leave-confirmed") this.leave();
    else if (action === "leave-cancel") { $(`${ID}-confirm`).hidden = true; $(`${ID}-leave`).focus(); }
    else if (action === "return") this.comeBack();
    else if (action === "reset-password") this.resetPassword();
    else if (action === "reset-factor") this.resetSecondFactor();
  }

  /** A forgotten password: a one-time password, shown once, for the administrator to pass on;
   * the person is logged out everywhere. */
  resetPassword() {
    const person = this.person;
    return this.run(() => post(`/api/admin/people/${person.id}/password-reset`, {}), (answer) => {
      this.close({ refocus: false });
      this.onDone(person, { password: answer.one_time_password, status: t("admin.reset.password.done", { name: person.name }) });
    });
  }

  /** A lost phone with the authenticator app: the person sets the second factor up again. */
  resetSecondFactor() {
    const person = this.person;
    return this.run(() => del(`/api/admin/people/${person.id}/second-factor`, {}), () => {
      this.close({ refocus: false });
      this.onDone(person, { status: t("admin.reset.factor.done", { name: person.name }) });
    });
  }

  /** Deactivating is not undone by a tap: say what it does, then ask once more. */
  askToLeave() {
    const box = $(`${ID}-confirm`);
    box.replaceChildren(
      el("p", { id: `${ID}-confirm-text`, tabindex: "-1" }, t("admin.leave.confirm", { name: this.person.name })),
      el("button", { type: "button", class: "btn btn-primary", id: `${ID}-leave-confirmed`, dataset: { action: "leave-confirmed" } },
        t("admin.leave.yes", { name: this.person.name })),
      el("button", { type: "button", class: "btn btn-quiet", dataset: { action: "leave-cancel" } }, t("admin.cancel")));
    box.hidden = false;
    $(`${ID}-confirm-text`).focus();
  }

  leave() {
    const { id, name } = this.person;
    return this.run(() => post(`/api/admin/people/${id}/deactivate`, {}), (answer) => {
      this.close({ refocus: false });
      const status = answer.successor
        ? t("admin.left", { name, successor: answer.successor.name, count: answer.reports_moved.length })
        : t("admin.left.alone", { name });
      this.onDone(answer.person, { status });
    });
  }

  comeBack() {
    const { id, name } = this.person;
    return this.run(() => post(`/api/admin/people/${id}/reactivate`, {}), (answer) => {
      this.close({ refocus: false });
      this.onDone(answer.person, { status: t("admin.returned", { name }) });
    });
  }
}
