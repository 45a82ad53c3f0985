// What the signed-in user may see and do, in one place. The server's word is `me.can` (a flag
// per capability); until it sends a flag, the rule below stands in for it, from the roles the
// server's own routes allow (app/api): the only place in the PWA that reads `me.role` for this.
const MANAGERS = ["leidinggevende", "coordinator"];

const BY_ROLE = {
  followup: MANAGERS,             // "Te doen": the follow-up of reports (GET /api/followup/todo)
  team_visits: MANAGERS,          // the teams' visits under way, and permission requests
  team_incidents: MANAGERS,       // the register (GIR) of their teams, filters and export
  all_incidents: ["coordinator"], // the register of everyone
  air: MANAGERS,                  // the Agressie Informatie Register
  checklists: ["coordinator"],    // the checklist editor
  air_lookups: ["coordinator"],   // who looked what up in the AIR
  alarm_timeline: [...MANAGERS, "beheerder"],
};

/** Whether the user `me` has capability `name`. */
export function can(me, name) {
  const flag = me?.can?.[name];
  if (typeof flag === "boolean") return flag;
  return (BY_ROLE[name] || []).includes(me?.role);
}
