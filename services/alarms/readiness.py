"""Can this person's phone receive alarms? Derived from the last test alarm they were alerted
to: a receipt from their device says yes; silence after a minute says no, with the likely
reason, so it is fixed before a real alarm depends on it."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.accounts.capabilities import OVERSEERS
from services.accounts.models import User
from services.accounts.service import get_user, reach_of
from services.alarms.models import Alarm, AlarmLog, AlarmRecipient
from services.clock import Clock, iso
from services.push.models import PushSubscription

TEST_GRACE = timedelta(seconds=60)

REASONS = {
    "no_device": "Meldingen staan uit of de app is nooit geopend op een telefoon. "
    "Op iPhone werken meldingen alleen als Veldwacht op het beginscherm staat.",
    "push_failed": "Het pushbericht kwam niet aan: zet meldingen opnieuw aan in de app.",
    "silent": "Het testalarm is niet ontvangen: telefoon uit, geen verbinding, of meldingen "
    "geblokkeerd in de instellingen.",
}


def _status(session: Session, clock: Clock, user: User) -> dict:
    last = session.execute(
        select(AlarmRecipient.alarm_id, AlarmRecipient.notified_at)
        .join(Alarm)
        .where(AlarmRecipient.user_id == user.id, Alarm.is_test.is_(True))
        .order_by(AlarmRecipient.notified_at.desc())
        .limit(1)
    ).first()
    base = {"user": {"id": user.id, "name": user.name}, "tested_at": None}
    if last is None:
        return {**base, "status": "untested", "reason": "Nog niet getest."}
    alarm_id, notified_at = last
    base["tested_at"] = iso(notified_at)
    kinds = set(
        session.scalars(
            select(AlarmLog.kind).where(
                AlarmLog.alarm_id == alarm_id, AlarmLog.subject_id == user.id
            )
        )
    )
    if kinds & {"delivered", "seen"}:
        return {**base, "status": "ok", "reason": "Testalarm ontvangen."}
    if clock.now() - notified_at < TEST_GRACE:  # the screen asks again at `recheck_at`
        return {
            **base,
            "status": "pending",
            "reason": "Testalarm onderweg.",
            "recheck_at": iso(notified_at + TEST_GRACE),
        }
    has_device = session.scalar(
        select(PushSubscription.id).where(PushSubscription.user_id == user.id).limit(1)
    )
    cause = "push_failed" if "push_failed" in kinds else "silent" if has_device else "no_device"
    return {**base, "status": "unreachable", "reason": REASONS[cause]}


def alarm_readiness(session: Session, clock: Clock, viewer_id: int) -> list[dict]:
    """The viewer's own status first, then, for managers and the coordinator, the people of
    the teams they oversee: whose phone cannot receive alarms is need-to-know for them."""
    viewer = get_user(session, viewer_id)
    people = [viewer]
    if viewer.role in OVERSEERS:
        reach = reach_of(session, viewer)
        people += [
            u
            for u in session.scalars(select(User).where(User.active.is_(True)).order_by(User.name))
            if u.id != viewer.id and u.team_id is not None and reach.covers_team(u.team_id)
        ]
    return [_status(session, clock, person) for person in people]
