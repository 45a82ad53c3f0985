"""Retention with a fake clock, on both backends: for each kind of data, rows just past their
period and just within it; after a sweep exactly the ones past it are anonymised, cleared or
deleted and no other row of the database differs; a second sweep changes nothing; the dry run
changes nothing and names the ids the sweep then acts on."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from services import audit
from services.accounts.models import User
from services.alarms.models import Alarm
from services.audit.chain import verify
from services.audit.models import AuditAnchor, AuditEntry
from services.checklists.models import Checklist
from services.clock import FakeClock, local_date
from services.events.log import events_since
from services.events.models import Event, EventAudience
from services.followup.models import AftercareRecord, IncidentLetter, IncidentMeasure, PoliceRecord
from services.incidents.models import Incident, IncidentChange
from services.incidents.vocabulary import CLOSED
from services.push.models import PushDelivery, PushSubscription
from services.register.models import MeasureKind, RegisterEntry, RegisterMeasure, RegisterVersion
from services.retention import RetentionPolicy, preview, sweep_until_done
from services.retention.incidents import ANONYMISED
from services.retention.policy import ended_before, kept_since
from services.schema import metadata
from services.visits.models import Visit

NOW = FakeClock().now()
POLICY = RetentionPolicy()  # the documented defaults
MINUTE, DAY = timedelta(minutes=1), timedelta(days=1)
INCIDENTS_BEFORE = kept_since(NOW, POLICY.incidents)
AIR_ENDED_BEFORE = ended_before(NOW, POLICY.air_entries)
AIR_CHANGED_BEFORE = kept_since(NOW, POLICY.air_entries)
POSITIONS_BEFORE = kept_since(NOW, POLICY.positions)
EVENTS_BEFORE = kept_since(NOW, POLICY.events)
LOGS_BEFORE = kept_since(NOW, POLICY.logs)


# ---- what the database holds, to compare -----------------------------------------------------


def dump(db) -> dict[str, dict[tuple, tuple]]:
    """Every row of every table, by primary key."""
    with db.reader() as uow:
        return {
            table.name: {
                tuple(row._mapping[c] for c in table.primary_key.columns): tuple(row)
                for row in uow.session.execute(select(table))
            }
            for table in metadata.sorted_tables
        }


def differences(before: dict, after: dict) -> dict[str, set[tuple]]:
    """Per table, the keys of rows changed, added or gone (tables with none left out)."""
    found = {}
    for table, rows in before.items():
        keys = {k for k in rows.keys() | after[table].keys() if rows.get(k) != after[table].get(k)}
        if keys:
            found[table] = keys
    return found


def keys(*ids: int) -> set[tuple]:
    return {(i,) for i in ids}


def sweep(db, clock) -> dict[str, list[int] | int]:
    """What a sweep until done acted on: ids per kind (a count for the audit trail)."""
    acted: dict = {}
    for batch in sweep_until_done(db, clock, POLICY):
        if batch.kind == "logs":
            acted["logs"] = acted.get("logs", 0) + batch.count
        else:
            acted.setdefault(batch.kind, []).extend(batch.ids)
    return {kind: sorted(ids) if isinstance(ids, list) else ids for kind, ids in acted.items()}


def dry_run(db, clock) -> dict[str, list[int] | int]:
    return {
        due.kind: due.count if due.kind == "logs" else sorted(i.id for i in due.items)
        for due in preview(db, clock, POLICY)
        if due.count
    }


# ---- factories: rows as the services leave them, at the moments a test needs ----------------


def user(session, name: str) -> User:
    return session.scalar(select(User).where(User.username == name))


def make_incident(
    session, victim: User, *, n: int, closed_at: datetime | None, status: str = CLOSED
) -> int:
    """A report with everything personal it can hold: aggressor, free text, history, a ban
    with a breach, police, aftercare, a letter."""
    at = (closed_at or NOW - 10 * 365 * DAY) - 30 * DAY
    incident = Incident(
        client_id=f"retention-{n}",
        reporter_id=victim.id,
        victim_id=victim.id,
        team_id=victim.team_id,
        occurred_at=at,
        reported_at=at,
        updated_at=closed_at or at,
        behaviour_type="D",
        kinds=["intimidatie", "verbaal"],
        channel="huisbezoek",
        location="Beukenlaan 9",
        description="Dreigde me buiten op te wachten.",
        status=status,
        closed_at=closed_at,
        serious=True,
        serious_criteria=["ziekenhuisopname"],
        form={
            "involved": "Buurvrouw J. Jansen",
            "injury": True,
            "injury_description": "Gekneusde arm",
            "damage_employer": True,
            "damage_amount_cents": 12000,
            "police_report": True,
            "police_report_date": "2021-10-01",
            "further_action_text": "",
        },
        aggressor_name="P. Verhoeven",
        aggressor_address="Beukenlaan 9, Demodorp",
        aggressor_client_ref="K-77",
        szw_reported_at=at,
        szw_reference="SZW-123",
        szw_written_at=at,
        szw_written_reference="SZW-124",
        absence_days=5,
        analysis={
            "answers": {"aanleiding": "Afwijzing van de aanvraag"},
            "causes": [
                {
                    "kind": "direct",
                    "category": "burger",
                    "description": "Boos over de afwijzing",
                    "action": "Gesprek met P. Verhoeven",
                    "action_owner_id": victim.id,
                    "action_due_on": "2021-11-01",
                    "action_done_on": None,
                }
            ],
        },
    )
    session.add(incident)
    session.flush()
    day = local_date(at)
    measure = IncidentMeasure(
        incident_id=incident.id,
        kind="pandverbod",
        decided_on=day,
        note="D-gedrag tegen Sanne",
        breaches=[{"on": "2021-10-02", "extend_days": 30, "note": "Kwam toch", "recorded_at": "x"}],
        decided_by_id=victim.id,
        created_at=at,
    )
    session.add_all(
        [
            measure,
            IncidentChange(
                incident_id=incident.id,
                at=at,
                user_id=victim.id,
                action="gewijzigd",
                changes=[
                    {"field": "description", "old": "Dreigde", "new": "Dreigde me op te wachten."},
                    {"field": "status", "old": "gemeld", "new": CLOSED},
                    {"field": "aggressor.name", "old": "", "new": "P. Verhoeven"},
                    {"field": "form.injury", "old": None, "new": True},
                ],
            ),
            IncidentChange(
                incident_id=incident.id,
                at=at,
                user_id=victim.id,
                action="politie",
                changes=[
                    {"kind": "aangifte", "on": "2021-10-01", "reference": "PL-1", "reason": ""}
                ],
            ),
            PoliceRecord(
                incident_id=incident.id,
                kind="aangifte",
                on=day,
                reference="PL-1",
                domicile=True,
                reason="",
                recorded_by_id=victim.id,
                recorded_at=at,
            ),
            AftercareRecord(
                incident_id=incident.id,
                step="second_talk",
                from_on=day,
                due_at=at,
                remind_at=at,
                done_on=day,
                done_by_id=victim.id,
                notes="Slaapt slecht sinds het incident",
                signs=["cynisme"],
                referral="bedrijfsarts",
            ),
        ]
    )
    session.flush()
    session.add(
        IncidentLetter(
            incident_id=incident.id,
            kind="pandverbod",
            measure_id=measure.id,
            text="Geachte heer Verhoeven, Beukenlaan 9 …",
            pdf=b"%PDF-1.4 Verhoeven",
            created_by_id=victim.id,
            created_at=at,
            updated_at=at,
            finalised_at=at,
            finalised_by_id=victim.id,
        )
    )
    session.flush()
    return incident.id


def make_entry(session, *, n: int, measures=(), updated_at: datetime = NOW) -> int:
    """An AIR entry with measures given as (starts_on, ends_on), and the version that made it."""
    entry = RegisterEntry(
        name="P. Verhoeven",
        address=f"Beukenlaan {n}, Demodorp",
        client_ref=f"K-{n}",
        known_aggressive=True,
        behaviour_type="D",
        remarks="Dreigde een medewerker.",
        created_at=updated_at,
        updated_at=updated_at,
    )
    session.add(entry)
    session.flush()
    session.add(
        RegisterVersion(
            entry_id=entry.id,
            at=updated_at,
            actor_id=user(session, "lisa").id,
            action="created",
            before={},
            after={"name": entry.name, "address": entry.address},
        )
    )
    for starts_on, ends_on in measures:
        session.add(
            RegisterMeasure(
                entry_id=entry.id,
                kind=MeasureKind.PANDVERBOD,
                starts_on=starts_on,
                ends_on=ends_on,
                reason="GIR-1: D-gedrag",
                created_at=updated_at,
            )
        )
    session.flush()
    return entry.id


def make_alarm(session, worker: User, *, n: int, closed_at: datetime | None) -> int:
    raised = (closed_at or NOW - 60 * DAY) - 10 * MINUTE
    alarm = Alarm(
        client_id=f"retention-alarm-{n}",
        worker_id=worker.id,
        team_id=worker.team_id,
        state="resolved" if closed_at else "open",
        raised_at=raised,
        policy=[],
        closed_at=closed_at,
        outcome="false_alarm" if closed_at else None,
        lat=52.1 + n / 1000,
        lon=6.2,
        accuracy=12.0,
        position_at=raised,
        position_status="shared",
    )
    session.add(alarm)
    session.flush()
    return alarm.id


def make_visit(session, worker: User, *, closed_at: datetime | None) -> int:
    checked_in = (closed_at or NOW - 60 * DAY) - 45 * MINUTE
    visit = Visit(
        worker_id=worker.id,
        team_id=worker.team_id,
        kind="visit",
        address="Kerkstraat 7, Demodorp",
        checklist_id=session.scalar(select(Checklist.id).limit(1)),
        answers={},
        risk_level="laag",
        advice=[],
        state="closed" if closed_at else "active",
        planned_at=checked_in,
        checked_in_at=checked_in,
        lat=52.2,
        lon=6.1,
        accuracy=8.0,
        closed_at=closed_at,
    )
    session.add(visit)
    session.flush()
    return visit.id


def make_event(session, *, at: datetime, type: str, data: dict, to: User) -> int:
    event = Event(type=type, created_at=at, title="Alarm", body="Locatie 52.1, 6.2", data=data)
    session.add(event)
    session.flush()
    session.add(EventAudience(event_id=event.id, key=f"user:{to.id}"))
    return event.id


def make_delivery(session, event_id: int, to: User) -> None:
    subscription = session.scalar(select(PushSubscription).where(PushSubscription.user_id == to.id))
    if subscription is None:
        subscription = PushSubscription(
            user_id=to.id,
            endpoint=f"https://push.example/{to.id}",
            p256dh="k",
            auth="a",
            created_at=NOW - 365 * DAY,
        )
        session.add(subscription)
        session.flush()
    session.add(
        PushDelivery(
            event_id=event_id,
            subscription_id=subscription.id,
            user_id=to.id,
            state="accepted",
            next_try_at=NOW - 365 * DAY,
        )
    )


def record_reads(db, moments: list[datetime], actor: int) -> None:
    for moment in moments:
        with db.uow() as uow:
            audit.record(
                uow.session,
                moment,
                actor_id=actor,
                act="read",
                subject="incident",
                subject_id=1,
                purpose="detail",
                shown={"fields": ["name"]},
            )


def rows_of(db, model, **where) -> list:
    with db.reader() as uow:
        return list(uow.session.scalars(select(model).filter_by(**where).order_by(model.id)))


# ---- the cut-offs ---------------------------------------------------------------------------


def test_a_period_counts_whole_days_back_from_now():
    assert kept_since(NOW, 30) == datetime(2026, 10, 25, 9, 0, tzinfo=NOW.tzinfo)
    # A measure "tot en met" 23 November 2024 ended 730 days before 24 November 2026 began.
    assert ended_before(NOW, 730) == date(2024, 11, 24)
    # 23:30 UTC on 24 November is already the 25th in the Netherlands.
    assert ended_before(NOW.replace(hour=23, minute=30), 1) == date(2026, 11, 24)


@pytest.mark.parametrize("days", [0, -1, 2.5])
def test_a_period_is_a_whole_number_of_days_of_at_least_one(days):
    with pytest.raises(ValueError, match="events"):
        RetentionPolicy(events=days)


def test_the_documented_defaults():
    assert POLICY.as_days() == {
        "incidents": 1825,
        "air_entries": 730,
        "positions": 30,
        "logs": 1825,
        "events": 90,
    }


# ---- per kind: exactly what is past its period, nothing else -------------------------------------


def test_an_incident_closed_before_its_period_is_anonymised_and_nothing_else(db, clock):
    with db.uow() as uow:
        sanne = user(uow.session, "sanne")
        past = make_incident(uow.session, sanne, n=1, closed_at=INCIDENTS_BEFORE - MINUTE)
        make_incident(uow.session, sanne, n=2, closed_at=INCIDENTS_BEFORE + MINUTE)
        # Open again, whatever its dates say: an open incident is never touched.
        make_incident(uow.session, sanne, n=3, closed_at=NOW - 3650 * DAY, status="in_behandeling")
    before = dump(db)

    assert dry_run(db, clock) == {"incidents": [past]}
    assert dump(db) == before
    assert sweep(db, clock) == {"incidents": [past]}

    children = {
        model.__tablename__: {(r.id,) for r in rows_of(db, model, incident_id=past)}
        for model in (
            IncidentChange,
            IncidentMeasure,
            PoliceRecord,
            AftercareRecord,
            IncidentLetter,
        )
    }
    assert differences(before, dump(db)) == {"incidents": keys(past), **children}


def test_anonymising_keeps_what_the_counts_need_and_takes_names_and_free_text(db, clock):
    with db.uow() as uow:
        past = make_incident(
            uow.session, user(uow.session, "sanne"), n=1, closed_at=INCIDENTS_BEFORE - DAY
        )
    sweep(db, clock)

    [incident] = rows_of(db, Incident, id=past)
    assert (incident.aggressor_name, incident.aggressor_address, incident.aggressor_client_ref) == (
        "",
        "",
        "",
    )
    assert not incident.has_aggressor_details  # so no read of it is logged any more
    assert (incident.description, incident.location) == (ANONYMISED, ANONYMISED)
    assert (incident.szw_reference, incident.szw_written_reference) == ("", "")
    assert incident.anonymised_at == NOW
    assert (incident.behaviour_type, incident.kinds, incident.channel, incident.status) == (
        "D",
        ["intimidatie", "verbaal"],
        "huisbezoek",
        CLOSED,
    )
    assert (incident.serious, incident.serious_criteria, incident.absence_days) == (
        True,
        ["ziekenhuisopname"],
        5,
    )
    assert incident.szw_reported_at is not None and incident.szw_written_at is not None
    assert incident.form == {
        "involved": ANONYMISED,  # witnesses' names
        "injury": True,
        "injury_description": ANONYMISED,
        "damage_employer": True,
        "damage_amount_cents": 12000,
        "police_report": True,
        "police_report_date": "2021-10-01",
        "further_action_text": "",  # nothing written stays nothing
    }
    assert incident.analysis == {
        "answers": {"aanleiding": ANONYMISED},
        "causes": [
            {
                "kind": "direct",
                "category": "burger",
                "description": ANONYMISED,
                "action": ANONYMISED,
                "action_owner_id": None,
                "action_due_on": "2021-11-01",
                "action_done_on": None,
            }
        ],
    }
    edit, police_step = rows_of(db, IncidentChange, incident_id=past)
    assert edit.changes == [
        {"field": "description", "old": ANONYMISED, "new": ANONYMISED},
        {"field": "status", "old": "gemeld", "new": CLOSED},
        {"field": "aggressor.name", "old": "", "new": ANONYMISED},
        {"field": "form.injury", "old": None, "new": True},
    ]
    assert police_step.changes == [
        {"kind": "aangifte", "on": "2021-10-01", "reference": ANONYMISED, "reason": ""}
    ]
    [measure] = rows_of(db, IncidentMeasure, incident_id=past)
    assert (measure.kind, measure.note) == ("pandverbod", ANONYMISED)
    assert measure.breaches == [
        {"on": "2021-10-02", "extend_days": 30, "note": ANONYMISED, "recorded_at": "x"}
    ]
    [police] = rows_of(db, PoliceRecord, incident_id=past)
    assert (police.kind, police.domicile, police.reference) == ("aangifte", True, "")
    [step] = rows_of(db, AftercareRecord, incident_id=past)
    assert (step.step, step.done_on is not None) == ("second_talk", True)
    assert (step.notes, step.signs, step.referral) == (ANONYMISED, [], None)
    [letter] = rows_of(db, IncidentLetter, incident_id=past)
    assert (letter.kind, letter.text, letter.pdf) == ("pandverbod", ANONYMISED, None)
    assert letter.finalised_at is not None


def test_an_air_entry_goes_after_its_last_measure_ended_never_while_one_runs(db, clock):
    long_ago = AIR_ENDED_BEFORE - 3000 * DAY
    with db.uow() as uow:
        ended_past = make_entry(
            uow.session,
            n=1,
            measures=[(long_ago, long_ago + DAY), (long_ago, AIR_ENDED_BEFORE - DAY)],
        )
        ended_within = make_entry(uow.session, n=2, measures=[(long_ago, AIR_ENDED_BEFORE)])
        running = make_entry(uow.session, n=3, measures=[(long_ago, long_ago), (long_ago, None)])
        make_entry(uow.session, n=4, measures=[(long_ago, local_date(NOW) + 30 * DAY)])
        unchanged_past = make_entry(uow.session, n=5, updated_at=AIR_CHANGED_BEFORE - MINUTE)
        make_entry(uow.session, n=6, updated_at=AIR_CHANGED_BEFORE + MINUTE)
        # An incident's ban that went into the AIR, on the entry that goes.
        incident = make_incident(
            uow.session, user(uow.session, "sanne"), n=1, closed_at=INCIDENTS_BEFORE + DAY
        )
        decision = uow.session.scalar(
            select(IncidentMeasure).where(IncidentMeasure.incident_id == incident)
        )
        in_air = uow.session.scalar(
            select(RegisterMeasure.id)
            .where(RegisterMeasure.entry_id == ended_past)
            .order_by(RegisterMeasure.id)
            .limit(1)
        )
        decision.air_measure_id = in_air
    before = dump(db)

    assert dry_run(db, clock) == {"air_entries": [ended_past, unchanged_past]}
    assert sweep(db, clock) == {"air_entries": [ended_past, unchanged_past]}

    gone = (ended_past, unchanged_past)
    assert differences(before, dump(db)) == {
        "air_entries": keys(*gone),
        "air_measures": {k for k, row in before["air_measures"].items() if row[1] in gone},
        "air_versions": {k for k, row in before["air_versions"].items() if row[1] in gone},
        "incident_measures": keys(decision.id),
    }
    with db.reader() as uow:
        kept = uow.session.get(IncidentMeasure, decision.id)
        # The decision keeps the ban's period: the annual report counts bans and their length.
        assert (kept.air_measure_id, kept.starts_on, kept.ends_on) == (
            None,
            long_ago,
            long_ago + DAY,
        )
    assert {e.id for e in rows_of(db, RegisterEntry)} >= {ended_within, running}


def test_positions_are_cleared_after_the_alarm_or_visit_closed_with_the_alarms_events(db, clock):
    with db.uow() as uow:
        sanne, lisa = user(uow.session, "sanne"), user(uow.session, "lisa")
        alarm_past = make_alarm(uow.session, sanne, n=1, closed_at=POSITIONS_BEFORE - MINUTE)
        alarm_within = make_alarm(uow.session, sanne, n=2, closed_at=POSITIONS_BEFORE + MINUTE)
        make_alarm(uow.session, sanne, n=3, closed_at=None)  # open for 60 days, under duress
        visit_past = make_visit(uow.session, sanne, closed_at=POSITIONS_BEFORE - MINUTE)
        make_visit(uow.session, sanne, closed_at=POSITIONS_BEFORE + MINUTE)
        make_visit(uow.session, sanne, closed_at=None)  # still under way
        raised = POSITIONS_BEFORE - 10 * MINUTE
        alarm_events = [
            make_event(
                uow.session,
                at=raised,
                type="alarm.raised",
                data={"alarm": {"id": alarm_past, "position": {"lat": 52.1}}},
                to=lisa,
            ),
            make_event(
                uow.session,
                at=raised + MINUTE,
                type="alarm.position",
                data={"alarm_id": alarm_past, "position": {"lat": 52.1}},
                to=lisa,
            ),
        ]
        make_delivery(uow.session, alarm_events[0], lisa)
        make_event(  # the other alarm's: it closed within the period
            uow.session,
            at=raised,
            type="alarm.raised",
            data={"alarm": {"id": alarm_within, "position": {"lat": 52.1}}},
            to=lisa,
        )
        make_event(uow.session, at=raised, type="visit.updated", data={"visit": {}}, to=sanne)
    before = dump(db)

    expected = {
        "alarm_positions": [alarm_past],
        "visit_positions": [visit_past],
        "alarm_events": alarm_events,
    }
    assert dry_run(db, clock) == expected
    assert sweep(db, clock) == expected

    delivered = {k for k, row in before["push_deliveries"].items() if row[1] == alarm_events[0]}
    assert differences(before, dump(db)) == {
        "alarms": keys(alarm_past),
        "visits": keys(visit_past),
        "events": keys(*alarm_events),
        "event_audience": {(e, f"user:{lisa.id}") for e in alarm_events},
        "push_deliveries": delivered,
    }
    [alarm] = rows_of(db, Alarm, id=alarm_past)
    assert (alarm.lat, alarm.lon, alarm.accuracy, alarm.position_at) == (None, None, None, None)
    assert (alarm.state, alarm.outcome, alarm.closed_at) == (
        "resolved",
        "false_alarm",
        alarm.closed_at,
    )
    [visit] = rows_of(db, Visit, id=visit_past)
    assert (visit.lat, visit.lon, visit.accuracy, visit.address) == (
        None,
        None,
        None,
        "Kerkstraat 7, Demodorp",
    )


def test_events_go_after_their_period_and_the_replay_copes_with_the_gap(db, clock):
    with db.uow() as uow:
        sanne = user(uow.session, "sanne")
        old = make_event(
            uow.session, at=EVENTS_BEFORE - MINUTE, type="message.sent", data={}, to=sanne
        )
        make_delivery(uow.session, old, sanne)
        kept = make_event(
            uow.session, at=EVENTS_BEFORE + MINUTE, type="message.sent", data={}, to=sanne
        )
    before = dump(db)

    assert dry_run(db, clock) == {"events": [old]}
    assert sweep(db, clock) == {"events": [old]}

    delivered = {k for k, row in before["push_deliveries"].items() if row[1] == old}
    assert differences(before, dump(db)) == {
        "events": keys(old),
        "event_audience": {(old, f"user:{sanne.id}")},
        "push_deliveries": delivered,
    }
    # A phone that was away since before the old event asks for everything after it had.
    with db.reader() as uow:
        replay = events_since(uow.session, frozenset({f"user:{sanne.id}"}), since=old - 1)
    assert [e.id for e in replay] == [kept]


def test_read_logs_go_from_the_oldest_end_and_the_chain_still_verifies(db, clock, ids):
    moments = [LOGS_BEFORE - 2 * MINUTE, LOGS_BEFORE - MINUTE, LOGS_BEFORE + MINUTE]
    record_reads(db, moments, ids["lisa"])
    before = dump(db)
    old = sorted(k for k, row in before["audit_log"].items() if row[1] < LOGS_BEFORE)

    assert dry_run(db, clock) == {"logs": 2}
    assert sweep(db, clock) == {"logs": 2}

    after = dump(db)
    assert differences(before, after) == {
        "audit_log": set(old),
        "audit_anchors": after["audit_anchors"].keys() - before["audit_anchors"].keys(),
    }
    with db.reader() as uow:
        assert verify(uow.session, AuditEntry).intact
        assert verify(uow.session, AuditAnchor).intact


# ---- all kinds at once: the dry run names what the sweep does, twice changes nothing ---------


def test_a_second_sweep_changes_nothing_and_the_dry_run_named_what_the_first_did(db, clock):
    due: dict[str, list[int] | int] = {}
    with db.uow() as uow:
        sanne = user(uow.session, "sanne")
        closed = [INCIDENTS_BEFORE - MINUTE, INCIDENTS_BEFORE + MINUTE]
        due["incidents"] = [
            make_incident(uow.session, sanne, n=n, closed_at=closed[n]) for n in (0, 1)
        ][:1]
        make_incident(uow.session, sanne, n=9, closed_at=None, status="gemeld")
        ends = [AIR_ENDED_BEFORE - DAY, AIR_ENDED_BEFORE]
        due["air_entries"] = [
            make_entry(uow.session, n=n, measures=[(ends[0] - 9 * DAY, ends[n])]) for n in (0, 1)
        ][:1]
        closed = [POSITIONS_BEFORE - MINUTE, POSITIONS_BEFORE + MINUTE]
        alarms = [make_alarm(uow.session, sanne, n=n, closed_at=closed[n]) for n in (0, 1)]
        visits = [make_visit(uow.session, sanne, closed_at=closed[n]) for n in (0, 1)]
        alarm_events = [
            make_event(
                uow.session,
                at=closed[n] - MINUTE,
                type="alarm.updated",
                data={"alarm": {"id": alarms[n]}},
                to=sanne,
            )
            for n in (0, 1)
        ]
        due |= {
            "alarm_positions": alarms[:1],
            "visit_positions": visits[:1],
            "alarm_events": alarm_events[:1],
        }
        written = [EVENTS_BEFORE - MINUTE, EVENTS_BEFORE + MINUTE]
        events = [
            make_event(uow.session, at=at, type="message.sent", data={}, to=sanne) for at in written
        ]
        due["events"] = events[:1]
    record_reads(db, [LOGS_BEFORE - MINUTE, LOGS_BEFORE + MINUTE], sanne.id)
    due["logs"] = 1

    assert dry_run(db, clock) == due
    assert sweep(db, clock) == due
    once = dump(db)

    assert sweep(db, clock) == {}
    assert dump(db) == once
    assert dry_run(db, clock) == {}
