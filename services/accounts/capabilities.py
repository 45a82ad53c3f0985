"""What the signed-in user may see and do, as named flags: the one word on it. `GET /api/me`
sends `can` (a flag per capability), and the API's routes gated by a capability allow exactly
its roles (`endpoint(..., can="air")`), so the screen the PWA offers and the route behind it
cannot drift apart. Service rules that stand behind a flag import the same role set.

The role sets are named here once; a package that needs one imports it from here."""

from __future__ import annotations

from services.accounts.models import MANAGING_ROLES, Role

MANAGERS = MANAGING_ROLES  # managers and the coordinator
COORDINATOR = (Role.COORDINATOR,)
ADMINISTRATORS = (Role.BEHEERDER,)
# Who oversees alarms (their timeline, a team's escalation policy): managers, the coordinator
# and the application administrator.
OVERSEERS = (*MANAGING_ROLES, Role.BEHEERDER)
POLICY_EDITORS = (Role.COORDINATOR, Role.BEHEERDER)  # a team's escalation policy
# Who can be someone's manager in the chain of §5 and lead a team (services/admin/rules.py).
LINE_MANAGERS = (Role.LEIDINGGEVENDE,)
# The organisation as the administrator keeps it, and its change log: read by the coordinator
# (P&O) too, changed by the administrator only.
ORGANISATION_READERS = (Role.BEHEERDER, Role.COORDINATOR)

CAPABILITIES: dict[str, tuple[Role, ...]] = {
    "followup": MANAGERS,  # "Te doen" and an incident's follow-up
    "team_visits": MANAGERS,  # the teams' visits under way, and permission requests
    "team_incidents": MANAGERS,  # the register (GIR) of their teams, its filters and export
    "all_incidents": COORDINATOR,  # the register of everyone, and who read aggressor details
    "air": MANAGERS,  # the Agressie Informatie Register
    "air_lookups": COORDINATOR,  # who looked what up in the AIR
    "audit_trail": COORDINATOR,  # the whole audit trail: search and export
    "checklists": COORDINATOR,  # the checklist editor
    # Reports and trends over their own scope (a manager's teams and chain, the coordinator and
    # the gemeentesecretaris everything), and the finalised quarterly and half-year reports.
    "reports": MANAGERS,
    "report_documents": COORDINATOR,  # write the recommendations and finalise those reports
    # The learning loop (seed 000): everyone fills in their leerdoelwijzer and keeps their
    # goals; managers see their teams' pictures; the coordinator the organisation's.
    "learning": (*Role,),
    "team_learning": MANAGERS,
    "learning_organisation": COORDINATOR,
    "alarm_timeline": OVERSEERS,  # an alarm's timeline
    "sign_in_attempts": ADMINISTRATORS,  # repeated failed logins, per account
    "administration": ADMINISTRATORS,  # change departments, teams, people; import staff
    "administration_read": ORGANISATION_READERS,  # read them, the staff export, the change log
}


def roles_for(capability: str) -> tuple[Role, ...]:
    """The roles with `capability`; an unknown name is a programming error (KeyError)."""
    return CAPABILITIES[capability]


def capabilities(role: str) -> dict[str, bool]:
    """Every capability as a flag for a user of `role`."""
    return {name: role in roles for name, roles in CAPABILITIES.items()}
