"""Who sees and may change which incident (need-to-know, AVG).

A worker sees the reports they made or that were made about them; a manager also those of
the teams they lead; the coordinator all. Aggressor details are for managers and the
coordinator only, and every read of them is logged.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, true
from sqlalchemy.orm import Session

from services.accounts.models import Role, User
from services.accounts.service import Reach, get_user, reach_of
from services.incidents.models import Incident
from services.incidents.vocabulary import CLOSED

AGGRESSOR_READERS = (Role.LEIDINGGEVENDE, Role.COORDINATOR)


@dataclass(frozen=True)
class Viewer:
    user: User
    reach: Reach

    @property
    def sees_aggressor(self) -> bool:
        return self.user.role in AGGRESSOR_READERS

    def is_party(self, incident: Incident) -> bool:
        return self.user.id in (incident.reporter_id, incident.victim_id)

    def manages(self, incident: Incident) -> bool:
        """Handles the follow-up: the coordinator, or a manager of the victim's team who is
        not the victim (an incident against a manager is their own manager's to handle)."""
        if self.user.role == Role.COORDINATOR:
            return True
        return (self.user.role == Role.LEIDINGGEVENDE and incident.victim_id != self.user.id
                and incident.team_id is not None and incident.team_id in self.reach.team_ids)

    def sees(self, incident: Incident) -> bool:
        return self.is_party(incident) or self.manages(incident)

    def may_edit(self, incident: Incident) -> bool:
        return self.manages(incident) or (self.is_party(incident) and incident.status != CLOSED)

    def visible_clause(self):
        """The same rule as `sees`, as SQL for the register's list."""
        if self.user.role == Role.COORDINATOR:
            return true()
        own = or_(Incident.reporter_id == self.user.id, Incident.victim_id == self.user.id)
        if self.user.role != Role.LEIDINGGEVENDE or not self.reach.team_ids:
            return own
        return or_(own, Incident.team_id.in_(self.reach.team_ids)
                   & (Incident.victim_id != self.user.id))


def viewer_of(session: Session, user_id: int) -> Viewer:
    user = get_user(session, user_id)
    return Viewer(user=user, reach=reach_of(session, user))
