// Departments and their teams, with who leads each and how many belong to it; for the
// administrator, forms to add a department or a team and to rename or move one.
import { t } from "../i18n.js";
import { post, put } from "../api.js";
import * as conn from "../connection.js";
import { $, el } from "../dom.js";
import { clearErrors, control, folded, form, showErrors, valueOf } from "../incidents/followup-ui.js";

function errorText(err) {
  return err?.isNetwork ? t("admin.error.offline") : err?.message || t("admin.error.failed");
}

export class Teams {
  /** onChanged(status) once a department or team was saved: the screen reloads. */
  constructor({ onChanged }) {
    this.onChanged = onChanged;
    this.org = null;
    this.changes = false;
  }

  render(org, { changes }) {
    this.org = org;
    this.changes = changes;
    const names = new Map(org.people.map((p) => [p.id, p.name]));
    $("admin-teams").replaceChildren(...org.departments.map((d) => this.department(d, names)));
    $("admin-team-forms").replaceChildren(...(changes ? [
      folded(t("admin.department.new"), this.departmentForm(null)),
      folded(t("admin.team.new"), this.teamForm(null)),
    ] : []));
  }

  department(d, names) {
    const teams = this.org.teams.filter((team) => team.department_id === d.id);
    const headingId = `admin-department-${d.id}`;
    return el("section", { class: "admin-department", "aria-labelledby": headingId },
      el("h3", { id: headingId }, d.name),
      teams.length ? el("ul", { class: "admin-list" }, ...teams.map((team) => this.team(team, names)))
        : el("p", { class: "hint" }, t("admin.department.empty")),
      this.changes ? folded(t("admin.department.edit", { name: d.name }), this.departmentForm(d)) : null);
  }

  team(team, names) {
    const leaders = team.leader_ids.map((id) => names.get(id)).filter(Boolean);
    return el("li", { class: "admin-team", dataset: { teamId: String(team.id) } },
      el("p", { class: "admin-team-name" }, el("strong", {}, team.name)),
      el("p", { class: "hint" }, leaders.length ? t("admin.team.leaders", { names: leaders.join(", ") }) : t("admin.team.noLeader"),
        " · ", t("admin.team.members", { count: team.members })),
      this.changes ? folded(t("admin.team.edit", { name: team.name }), this.teamForm(team)) : null);
  }

  departmentForm(d) {
    const id = d ? `admin-department-form-${d.id}` : "admin-department-form";
    return form({ id, submit: t(d ? "admin.save" : "admin.department.add"),
      onSubmit: (node) => this.send(node, d ? put(`/api/admin/departments/${d.id}`, { name: valueOf(node, "name") })
        : post("/api/admin/departments", { name: valueOf(node, "name") })) },
    control({ id: `${id}-name`, field: "name", label: t("admin.department.name"), value: d?.name, limit: "department_name", required: true }));
  }

  teamForm(team) {
    const id = team ? `admin-team-form-${team.id}` : "admin-team-form";
    const body = (node) => ({ name: valueOf(node, "name"), department_id: Number(valueOf(node, "department_id")) || null });
    return form({ id, submit: t(team ? "admin.save" : "admin.team.add"),
      onSubmit: (node) => this.send(node, team ? put(`/api/admin/teams/${team.id}`, body(node)) : post("/api/admin/teams", body(node))) },
    control({ id: `${id}-name`, field: "name", label: t("admin.team.name"), value: team?.name, limit: "team_name", required: true }),
    control({ id: `${id}-department`, field: "department_id", type: "select", label: t("admin.team.department"),
      options: this.org.departments.map((d) => [d.id, d.name]), value: team?.department_id ?? "" }));
  }

  async send(node, request) {
    clearErrors(node);
    try {
      const answer = await request;
      conn.setReachable(true);
      const saved = answer.team || answer.department;
      this.onChanged(t("admin.saved", { name: saved.name }));
    } catch (err) {
      if (err.status === 401) return;
      if (err.isNetwork) conn.setReachable(false);
      showErrors(node, errorText(err), err.fields);
    }
  }
}
