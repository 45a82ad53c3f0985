"""Who sees and may change which incident (need-to-know, AVG).

A worker sees the reports they made or that were made about them; a manager also those of
the teams they lead and of everyone below them in the chain of managers; the coordinator all.
Acting on a report (status, follow-up) is for the victim's chain of managers (§5) and the
coordinator. Aggressor details are for managers and the coordinator only, and every read of
them is logged.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, true
from sqlalchemy.orm import Session

from services.accounts.models import MANAGING_ROLES, Role, User
from services.accounts.responsibility import subordinate_ids
from services.accounts.service import Reach, get_user, reach_of
from services.errors import Conflict, NotAllowed, NotFound
from services.incidents.models import Incident
from services.incidents.vocabulary import CLOSED


@dataclass(frozen=True)
class Viewer:
    user: User
    reach: Reach
    subordinates: frozenset[int] = frozenset()  # everyone below this manager in the chain

    @property
    def sees_aggressor(self) -> bool:
        return self.user.role in MANAGING_ROLES

    def is_party(self, incident: Incident) -> bool:
        return self.user.id in (incident.reporter_id, incident.victim_id)

    def manages(self, incident: Incident) -> bool:
        """May act on it: the coordinator, or a manager above the victim in the chain (an
        incident against a manager is their own manager's to handle, never their own)."""
        return self.user.role == Role.COORDINATOR or incident.victim_id in self.subordinates

    def leads_team_of(self, incident: Incident) -> bool:
        return (
            self.user.role == Role.LEIDINGGEVENDE
            and incident.team_id is not None
            and incident.team_id in self.reach.team_ids
        )

    def sees(self, incident: Incident) -> bool:
        return self.is_party(incident) or self.manages(incident) or self.leads_team_of(incident)

    def may_edit(self, incident: Incident) -> bool:
        return self.manages(incident) or (self.is_party(incident) and incident.status != CLOSED)

    def visible_clause(self):
        """The same rule as `sees`, as SQL for the register's list."""
        return self.scope_clause(
            own=(Incident.reporter_id, Incident.victim_id),
            person=Incident.victim_id,
            team=Incident.team_id,
        )

    def scope_clause(self, *, own: tuple, person, team):
        """Need-to-know as SQL over any record about a person in a team (an incident, an
        alarm, a visit): the coordinator all; anyone their own (`own`: the columns naming
        them); a manager also those about someone below them in the chain or in a team they
        lead."""
        if self.user.role == Role.COORDINATOR:
            return true()
        mine = or_(*(column == self.user.id for column in own))
        if self.user.role != Role.LEIDINGGEVENDE:
            return mine
        return or_(mine, person.in_(self.subordinates), team.in_(self.reach.team_ids))


def viewer_of(session: Session, user_id: int) -> Viewer:
    user = get_user(session, user_id)
    below = subordinate_ids(session, user.id) if user.role == Role.LEIDINGGEVENDE else set()
    return Viewer(user=user, reach=reach_of(session, user), subordinates=frozenset(below))


def locked_incident(session: Session, incident_id: int) -> Incident | None:
    """The incident, locked until the commit, for a change: two saves or follow-up actions at
    once go one after the other (the second sees the first's version, as on SQLite, instead
    of failing on it); FOR NO KEY UPDATE, which rows referring to it (its history) do not
    wait for."""
    return session.get(
        Incident, incident_id, with_for_update={"key_share": True}, populate_existing=True
    )


def visible_incident(
    session: Session, viewer: Viewer, incident_id: int, *, lock: bool = False
) -> Incident:
    """`lock`: locked for a change (`locked_incident`), which an anonymised one never gets:
    what retention took away must not come back in it."""
    incident = locked_incident(session, incident_id) if lock else session.get(Incident, incident_id)
    if incident is None or not viewer.sees(incident):
        raise NotFound("Onbekende melding.")  # not 403: existence is need-to-know too
    if lock and incident.anonymised_at is not None:
        raise Conflict("Deze melding is geanonimiseerd en verandert niet meer.")
    return incident


def managed_incident(
    session: Session, viewer: Viewer, incident_id: int, *, lock: bool = False
) -> Incident:
    """An incident this viewer may act on (§5: the victim's chain of managers, coordinator).
    `lock`: for a follow-up action, which holds the incident, and so its follow-up records,
    until the commit; it is locked before anything that belongs to it (a register entry
    after it, never before)."""
    incident = visible_incident(session, viewer, incident_id, lock=lock)
    if not viewer.manages(incident):
        raise NotAllowed(
            "Alleen de leidinggevende(n) van het slachtoffer en de coördinator "
            "handelen deze melding af."
        )
    return incident


def require_version(incident: Incident, version: int) -> None:
    """Optimistic concurrency: a save based on an older version changes nothing."""
    if version != incident.version:
        raise Conflict(
            "Iemand anders heeft deze melding intussen opgeslagen. Laad de nieuwste "
            "versie en breng je wijziging opnieuw aan.",
            {"version": "verouderd"},
        )
