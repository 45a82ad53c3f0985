"""Alarms and overdue visits in a report (BS 8484's monthly statistics): how many, their
outcome, the time to the first acknowledgement and how far they escalated; visits that ran
over and how long until the worker stood them down. Over the same people the viewer's
register shows: their teams (and chain), or everyone."""

from __future__ import annotations

from sqlalchemy import and_, case, func, select, true
from sqlalchemy.orm import Session

from services.accounts.models import Team, User
from services.alarms.models import OUTCOME_LABELS, Alarm, Outcome
from services.reports.frame import Frame
from services.reports.tables import row, section, table
from services.visits.models import Visit, VisitLog

OVERDUE_STEPS = ("prompted", "escalated")  # the first step of an overdue visit asks the worker
STAND_DOWNS = ("ok", "extended", "checked_out")


def _people_clause(frame: Frame, *, team, worker):
    """The register's need-to-know for whom an alarm or a visit is about, and the filters."""
    q = frame.query
    clauses = [frame.viewer.scope_clause(own=(worker,), person=worker, team=team)]
    if q.team_id is not None:
        clauses.append(team == q.team_id)
    if q.department_id is not None:
        clauses.append(team.in_(select(Team.id).where(Team.department_id == q.department_id)))
    if q.function_group is not None:
        clauses.append(worker.in_(select(User.id).where(User.function_group == q.function_group)))
    return clauses


def _median_and_worst(session: Session, seconds, where: list) -> tuple[float | None, float | None]:
    """The median and the largest of `seconds` over the rows, in SQL (ORDER BY with an offset:
    SQLite has no percentile function)."""
    count = session.scalar(select(func.count()).where(*where, seconds.is_not(None)))
    if not count:
        return None, None
    ordered = select(seconds).where(*where, seconds.is_not(None)).order_by(seconds)
    middle = session.scalars(ordered.offset((count - 1) // 2).limit(2 - count % 2)).all()
    worst = session.scalar(select(func.max(seconds)).where(*where))
    return sum(middle) / len(middle), worst


def alarm_figures(frame: Frame) -> dict:
    where = [
        Alarm.raised_at >= frame.start,
        Alarm.raised_at < frame.end,
        *_people_clause(frame, team=Alarm.team_id, worker=Alarm.worker_id),
    ]
    real = [*where, Alarm.is_test.is_(False)]
    counts = frame.session.execute(
        select(
            func.sum(case((Alarm.is_test.is_(False), 1), else_=0)),
            func.sum(case((Alarm.is_test.is_(True), 1), else_=0)),
            func.sum(
                case((and_(Alarm.is_test.is_(False), Alarm.duress_at.is_not(None)), 1), else_=0)
            ),
            func.sum(case((and_(Alarm.is_test.is_(False), Alarm.fired_steps > 1), 1), else_=0)),
            func.sum(
                case((and_(Alarm.is_test.is_(False), Alarm.acknowledged_at.is_(None)), 1), else_=0)
            ),
        ).where(*where)
    ).one()
    outcome = func.coalesce(Alarm.outcome, "open")
    outcomes = dict(
        frame.session.execute(select(outcome, func.count()).where(*real).group_by(outcome)).all()
    )
    ack = frame.dialect.seconds(Alarm.acknowledged_at, Alarm.raised_at)
    median, worst = _median_and_worst(frame.session, ack, real)
    real_count, tests, duress, escalated, unanswered = (int(v or 0) for v in counts)
    return {
        "count": real_count,
        "tests": tests,
        "duress": duress,
        "escalated": escalated,
        "unacknowledged": unanswered,
        "outcomes": {
            o.value: outcomes.get(o.value, 0) for o in Outcome if o != Outcome.TEST_COMPLETED
        }
        | {"open": outcomes.get("open", 0)},
        "ack_median_s": median,
        "ack_worst_s": worst,
    }


def visit_figures(frame: Frame) -> dict:
    """Each cycle of a visit that ran over counts once: from its first overdue step to the
    worker's sign of life (Alles goed, verlengd, uitgecheckt)."""
    log = VisitLog
    first_overdue = func.min(case((log.kind.in_(OVERDUE_STEPS), log.at)))
    first_alert = func.min(case((log.kind == "escalated", log.at)))
    stood_down = func.min(case((log.kind.in_(STAND_DOWNS), log.at)))
    cycles = (
        select(
            first_overdue.label("overdue_at"),
            first_alert.label("alerted_at"),
            stood_down.label("stood_down_at"),
        )
        .join(Visit, Visit.id == log.visit_id)
        .where(*_people_clause(frame, team=Visit.team_id, worker=Visit.worker_id))
        .group_by(log.visit_id, log.cycle)
        .having(first_overdue >= frame.start, first_overdue < frame.end)
        .subquery()
    )
    row = frame.session.execute(
        select(func.count(), func.count(cycles.c.alerted_at)).select_from(cycles)
    ).one()
    took = frame.dialect.seconds(cycles.c.stood_down_at, cycles.c.overdue_at)
    median, worst = _median_and_worst(frame.session, took, [true()])
    return {
        "overdue": int(row[0]),
        "alerted": int(row[1]),
        "stand_down_median_s": median,
        "stand_down_worst_s": worst,
    }


def _minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 60, 1)


def _seconds(value: float | None) -> int | None:
    return None if value is None else round(value)


def activity_section(frames) -> dict:
    alarms = [alarm_figures(f) for f in frames]
    visits = [visit_figures(f) for f in frames]

    def both(key, label, source, convert=lambda v: v):
        return row(key, label, convert(source[0][key]), convert(source[1][key]))

    alarm_rows = table(
        "alarms",
        "Alarmen",
        [
            both("count", "Alarmen (zonder testalarmen)", alarms),
            both("tests", "Testalarmen", alarms),
            both("duress", "Stil alarm (dwangcode)", alarms),
            both("escalated", "Verder opgeschaald dan de eerste stap", alarms),
            both("unacknowledged", "Door niemand bevestigd", alarms),
            both(
                "ack_median_s", "Tijd tot eerste bevestiging, mediaan (seconden)", alarms, _seconds
            ),
            both(
                "ack_worst_s", "Tijd tot eerste bevestiging, langste (seconden)", alarms, _seconds
            ),
        ],
        frames=frames,
        chart=None,
        summary=f"{alarms[0]['count']} alarmen en {alarms[0]['tests']} testalarmen.",
    )
    outcomes = {**{o.value: label for o, label in OUTCOME_LABELS.items()}, "open": "Nog open"}
    outcomes.pop("test_completed")
    outcome_rows = table(
        "alarm_outcomes",
        "Alarmen naar afloop",
        [
            row(k, label, alarms[0]["outcomes"][k], alarms[1]["outcomes"][k])
            for k, label in outcomes.items()
        ],
        frames=frames,
    )
    visit_rows = table(
        "visits",
        "Bezoeken die uitliepen",
        [
            both("overdue", "Uitgelopen (de medewerker reageerde niet op tijd)", visits),
            both("alerted", "Collega's gewaarschuwd", visits),
            both("stand_down_median_s", "Tijd tot afmelden, mediaan (minuten)", visits, _minutes),
            both("stand_down_worst_s", "Tijd tot afmelden, langste (minuten)", visits, _minutes),
        ],
        frames=frames,
        chart=None,
        summary=f"{visits[0]['overdue']} keer liep een bezoek uit.",
    )
    return section(
        "activity",
        "Alarmen en bezoeken",
        f"{alarms[0]['count']} alarmen; {visits[0]['overdue']} keer liep een bezoek uit.",
        [alarm_rows, outcome_rows, visit_rows],
    )
