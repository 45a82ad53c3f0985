"""Who may read and who may change the register (need-to-know, AVG).

Every manager and the coordinator consult it (§6: before contact with a client); changing an
entry or a measure is for the coordinator, the managers of the team that recorded the entry,
and the manager responsible (§5) for an incident whose follow-up put a measure in it. Who is
responsible is asked when it matters, from the chain of managers, as the follow-up does: a
leaver's successor or a new manager has the right at once, the previous one no longer."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.accounts.models import MANAGING_ROLES, ManagedTeam, Role, User
from services.accounts.responsibility import responsible_for
from services.accounts.service import get_user, reach_of
from services.errors import NotAllowed
from services.register.models import RegisterEntry, RegisterMeasure


def manager(session: Session, user_id: int) -> User:
    """A manager or the coordinator: who reads the register."""
    user = get_user(session, user_id)
    if user.role not in MANAGING_ROLES:
        raise NotAllowed("Alleen leidinggevenden en de coördinator beheren het register.")
    return user


def recording_team(session: Session, user: User) -> int | None:
    """The team an entry someone records belongs to: their own, else the first they lead."""
    if user.team_id is not None:
        return user.team_id
    return session.scalar(
        select(func.min(ManagedTeam.team_id)).where(ManagedTeam.manager_id == user.id)
    )


@dataclass
class Rights:
    """What one manager may change; asked per entry and measure while answering one request."""

    session: Session
    user: User
    team_ids: frozenset[int]
    _responsible: dict[int, int | None] = field(default_factory=dict)  # victim -> manager

    def _leads(self, entry: RegisterEntry) -> bool:
        return self.user.role == Role.LEIDINGGEVENDE and entry.team_id in self.team_ids

    def _handles_incident_of(self, measure: RegisterMeasure) -> bool:
        victim_id = measure.victim_id
        if victim_id is None or self.user.role != Role.LEIDINGGEVENDE:
            return False
        if victim_id not in self._responsible:
            boss = responsible_for(self.session, self.session.get(User, victim_id))
            self._responsible[victim_id] = boss.id if boss else None
        return self._responsible[victim_id] == self.user.id

    def may_change_measure(self, measure: RegisterMeasure) -> bool:
        return (
            self.user.role == Role.COORDINATOR
            or self._leads(measure.entry)
            or self._handles_incident_of(measure)
        )

    def may_change_entry(self, entry: RegisterEntry) -> bool:
        return (
            self.user.role == Role.COORDINATOR
            or self._leads(entry)
            or any(self._handles_incident_of(m) for m in entry.measures)
        )

    def require_entry(self, entry: RegisterEntry) -> None:
        if not self.may_change_entry(entry):
            raise NotAllowed(
                "Deze registratie wijzigen alleen de leidinggevenden van het team dat haar "
                "vastlegde, de leidinggevende die een incident erachter afhandelt en de "
                "coördinator."
            )

    def require_measure(self, measure: RegisterMeasure) -> None:
        if not self.may_change_measure(measure):
            raise NotAllowed(
                "Deze maatregel wijzigen alleen de leidinggevenden van het team dat de "
                "registratie vastlegde, de leidinggevende die het incident erachter afhandelt "
                "en de coördinator."
            )


def rights_of(session: Session, user_id: int) -> Rights:
    """A manager's or the coordinator's rights; anyone else is refused (`manager`)."""
    user = manager(session, user_id)
    return Rights(session=session, user=user, team_ids=reach_of(session, user).team_ids)
