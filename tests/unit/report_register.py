"""A register of known content for the report tests: two departments, three teams, four
function groups, two managers, incidents in this quarter, the previous one and an older year,
with consequences, follow-up, a repeat aggressor in two teams, alarms and overdue visits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from services.accounts.models import Department, ManagedTeam, Organisation, Role, Team, User
from services.alarms.models import Alarm
from services.checklists.models import Checklist
from services.clock import MUNICIPAL_TIME
from services.followup.models import AftercareRecord, IncidentMeasure, PoliceRecord
from services.incidents.models import Incident
from services.visits.models import Visit, VisitLog

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)  # the 4th quarter of 2026


@dataclass
class Register:
    teams: dict[str, int]
    departments: dict[str, int]
    users: dict[str, int]
    incidents: dict[str, int]


def local(*args) -> datetime:
    return datetime(*args, tzinfo=MUNICIPAL_TIME).astimezone(UTC)


def _person(session, username, *, role, team=None, group=None, manager=None) -> User:
    user = User(
        username=username,
        name=username.title(),
        password_hash="x",
        role=role,
        team_id=team,
        function_group=group,
        manager_id=manager,
    )
    session.add(user)
    session.flush()
    return user


def _organisation(session) -> tuple[dict, dict, dict]:
    org = session.scalar(select(Organisation.id).limit(1))
    departments, teams = {}, {}
    for dept, names in (("Rapport Noord", ("Noord A", "Noord B")), ("Rapport Zuid", ("Zuid C",))):
        d = Department(organisation_id=org, name=dept)
        session.add(d)
        session.flush()
        departments[dept] = d.id
        for name in names:
            t = Team(department_id=d.id, name=name)
            session.add(t)
            session.flush()
            teams[name] = t.id
    m_a = _person(session, "rep-ma", role=Role.LEIDINGGEVENDE, team=teams["Noord A"])
    m_bc = _person(session, "rep-mbc", role=Role.LEIDINGGEVENDE, team=teams["Noord B"])
    session.add_all(
        [
            ManagedTeam(manager_id=m_a.id, team_id=teams["Noord A"]),
            ManagedTeam(manager_id=m_bc.id, team_id=teams["Noord B"]),
            ManagedTeam(manager_id=m_bc.id, team_id=teams["Zuid C"]),
        ]
    )
    people = {"ma": m_a, "mbc": m_bc}
    for key, team, group, boss in (
        ("a1", "Noord A", "sociaal_domein", m_a),
        ("a2", "Noord A", "boa", m_a),
        ("b1", "Noord B", "boa", m_bc),
        ("c1", "Zuid C", "beheer_onderhoud", m_bc),
    ):
        people[key] = _person(
            session,
            f"rep-{key}",
            role=Role.MEDEWERKER,
            team=teams[team],
            group=group,
            manager=boss.id,
        )
    return departments, teams, people


def _incident(session, n: str, victim: User, at: datetime, **fields) -> Incident:
    defaults = dict(
        client_id=f"report-{n}",
        reporter_id=victim.id,
        victim_id=victim.id,
        team_id=victim.team_id,
        occurred_at=at,
        reported_at=at + timedelta(hours=1),
        updated_at=at,
        behaviour_type="A",
        kinds=["verbaal"],
        channel="huisbezoek",
        description="Test",
        status="gemeld",
        serious=False,
        serious_criteria=[],
        form={},
    )
    incident = Incident(**(defaults | fields))
    session.add(incident)
    session.flush()
    return incident


def _incidents(session, p: dict) -> dict[str, Incident]:
    i = {}
    i["I1"] = _incident(
        session,
        "I1",
        p["a1"],
        local(2026, 10, 5, 10, 30),
        behaviour_type="D",
        kinds=["intimidatie", "verbaal"],
        form={"injury": True},
        aggressor_client_ref="K-1",
    )
    i["I2"] = _incident(
        session,
        "I2",
        p["b1"],
        local(2026, 11, 10, 14, 0),
        behaviour_type="E",
        kinds=["fysiek_persoon"],
        channel="openbare_ruimte",
        serious=True,
        serious_criteria=["ziekenhuisopname"],
        absence_days=5,
        form={"damage_employer": True, "damage_amount_cents": 25070, "recidive": True},
        aggressor_client_ref=" k-1",
        aggressor_name="Iemand",
        analysis={
            "causes": [
                {
                    "kind": "direct",
                    "category": "technisch",
                    "description": "Alarmknop kapot",
                    "action": "Knop vervangen",
                    "action_due_on": "2026-11-01",
                    "action_done_on": None,
                },
                {"kind": "indirect", "category": "burger", "description": "Schuld", "action": ""},
            ]
        },
    )
    i["I2"].reported_at = i["I2"].occurred_at + timedelta(hours=30)
    i["I2"].szw_reported_at = i["I2"].occurred_at + timedelta(hours=2)
    i["I3"] = _incident(
        session,
        "I3",
        p["c1"],
        local(2026, 11, 20, 9, 15),
        behaviour_type="B",
        channel="telefoon",
        aggressor_name="Jan  Smit",
    )
    i["I4"] = _incident(
        session,
        "I4",
        p["a2"],
        local(2026, 10, 20, 16, 45),
        channel="gemeentelijk_gebouw",
        status="afgehandeld",
    )
    i["P1"] = _incident(
        session,
        "P1",
        p["a1"],
        local(2026, 8, 12, 11, 0),
        behaviour_type="D",
        kinds=["intimidatie"],
        aggressor_client_ref="K-1",
    )
    i["P2"] = _incident(
        session,
        "P2",
        p["c1"],
        local(2026, 9, 1, 20, 0),
        behaviour_type="C",
        kinds=["discriminatie"],
        channel="social_media",
        aggressor_name="jan smit",
    )
    i["O1"] = _incident(session, "O1", p["b1"], local(2024, 3, 3, 12, 0), behaviour_type="E")
    session.flush()
    return i


def _followup(session, i: dict, boss: User) -> None:
    made = dict(decided_by_id=boss.id, created_at=NOW)
    session.add_all(
        [
            IncidentMeasure(
                incident_id=i["I1"].id,
                kind="pandverbod",
                decided_on=date(2026, 10, 6),
                period_starts_on=date(2026, 10, 6),
                period_ends_on=date(2027, 10, 5),
                breaches=[{"on": "2026-11-01", "extend_days": 0, "note": ""}],
                **made,
            ),
            IncidentMeasure(
                incident_id=i["I2"].id, kind="ordegesprek", decided_on=date(2026, 11, 12), **made
            ),
        ]
    )
    for key, kind in (("I1", "aangifte"), ("I2", "melding"), ("I4", "afgezien")):
        session.add(
            PoliceRecord(
                incident_id=i[key].id,
                kind=kind,
                on=date(2026, 11, 12),
                recorded_by_id=boss.id,
                recorded_at=NOW,
                reason="Geen zin" if kind == "afgezien" else "",
            )
        )
    for step, due, done in (
        ("first_talk", local(2026, 11, 20, 23, 59), date(2026, 11, 20)),
        ("second_talk", local(2026, 11, 23, 23, 59), None),
    ):
        session.add(
            AftercareRecord(
                incident_id=i["I3"].id,
                step=step,
                from_on=date(2026, 11, 20),
                due_at=due,
                remind_at=due,
                done_on=done,
            )
        )


def _alarm(session, n: int, worker: User, raised: datetime, *, ack_s=None, **fields) -> None:
    session.add(
        Alarm(
            client_id=f"report-alarm-{n}",
            worker_id=worker.id,
            team_id=worker.team_id,
            state="resolved",
            raised_at=raised,
            policy=[],
            acknowledged_at=raised + timedelta(seconds=ack_s) if ack_s is not None else None,
            **({"fired_steps": 1} | fields),
        )
    )


def _alarms(session, p: dict) -> None:
    q4 = datetime(2026, 10, 5, 8, 30, tzinfo=UTC)
    _alarm(session, 1, p["a1"], q4, ack_s=45, outcome="resolved_with_help")
    _alarm(
        session,
        2,
        p["b1"],
        q4 + timedelta(days=36),
        ack_s=125,
        fired_steps=3,
        outcome="police_called",
    )
    _alarm(
        session, 3, p["c1"], q4 + timedelta(days=2), ack_s=5, is_test=True, outcome="test_completed"
    )
    _alarm(
        session,
        4,
        p["a2"],
        q4 + timedelta(days=3),
        fired_steps=2,
        outcome="false_alarm",
        duress_at=q4 + timedelta(days=3, minutes=1),
    )
    _alarm(
        session, 5, p["a1"], datetime(2026, 8, 1, 9, tzinfo=UTC), ack_s=30, outcome="false_alarm"
    )


def _visit(session, worker: User, steps: list[tuple[str, datetime]]) -> None:
    visit = Visit(
        worker_id=worker.id,
        team_id=worker.team_id,
        kind="visit",
        address="Kerkstraat 7",
        checklist_id=session.scalar(select(Checklist.id).limit(1)),
        answers={},
        risk_level="laag",
        advice=[],
        state="closed",
        planned_at=steps[0][1],
    )
    session.add(visit)
    session.flush()
    session.add_all(VisitLog(visit_id=visit.id, at=at, kind=kind, cycle=0) for kind, at in steps)


def _visits(session, p: dict) -> None:
    start = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)
    _visit(
        session,
        p["a1"],
        [
            ("checked_in", start - timedelta(hours=1)),
            ("prompted", start),
            ("escalated", start + timedelta(minutes=5)),
            ("ok", start + timedelta(minutes=12)),
        ],
    )
    later = start + timedelta(days=1)
    _visit(
        session,
        p["b1"],
        [
            ("checked_in", later - timedelta(hours=1)),
            ("prompted", later),
            ("checked_out", later + timedelta(minutes=3)),
        ],
    )


def build(session) -> Register:
    departments, teams, people = _organisation(session)
    incidents = _incidents(session, people)
    _followup(session, incidents, people["ma"])
    _alarms(session, people)
    _visits(session, people)
    session.flush()
    return Register(
        teams=teams,
        departments=departments,
        users={k: u.id for k, u in people.items()},
        incidents={k: v.id for k, v in incidents.items()},
    )
