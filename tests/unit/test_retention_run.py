"""Retention as it runs: an incident taken through the follow-up and closed, its ban leaving the
AIR two years after it ended and the incident anonymised five years after closing while it
still counts in the register; the command with its dry run; the configuration; the sweeper's
pacing; on PostgreSQL, rows someone holds are skipped and one worker at a time sweeps a kind;
the migration finds when incidents closed before it were closed."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import create_engine, func, select, text

from app import create_app
from app.config import load_config
from services import sweeper
from services.audit.models import AuditEntry
from services.clock import FakeClock
from services.db import Database
from services.errors import Conflict
from services.followup import reaction, service
from services.followup.closing import closing_blockers
from services.followup.views import followup_json
from services.incidents import service as incidents
from services.incidents.access import viewer_of
from services.incidents.models import Incident
from services.incidents.service import RegisterFilter
from services.incidents.views import detail_json
from services.register.models import RegisterEntry
from services.retention import KINDS, RetentionPolicy, sweep_round, sweep_until_done
from services.retention import sweep as retention_sweep
from services.retention.incidents import ANONYMISED
from services.retention.sweep import run_batch
from tests.conftest import ON_POSTGRES, app_config, runtime_of
from tests.unit.test_followup import AGGRESSOR, _move_to, act, capture
from tests.unit.test_retention import (
    INCIDENTS_BEFORE,
    MINUTE,
    NOW,
    dump,
    make_event,
    make_incident,
    user,
)

POLICY = RetentionPolicy()
INCIDENTS = next(k for k in KINDS if k.name == "incidents")


TODAY = date(2026, 11, 24)  # the fake clock's


def decide(db, clock, ids, incident_id: int, *, kind: str, note: str, ends_on=None) -> None:
    """The reaction to the aggressor, by the victim's manager."""
    act(
        db,
        clock,
        ids,
        "lisa",
        reaction.issue_measure,
        incident_id=incident_id,
        kind=kind,
        decided_on=TODAY,
        starts_on=TODAY if ends_on else None,
        ends_on=ends_on,
        note=note,
    )


def police(db, clock, ids, incident_id: int, *, kind: str, reference="", reason="") -> None:
    act(
        db,
        clock,
        ids,
        "lisa",
        service.record_police,
        incident_id=incident_id,
        kind=kind,
        on=TODAY,
        reference=reference,
        domicile=kind == "aangifte",
        reason=reason,
    )


def set_status(db, events, clock, ids, incident_id: int, status: str, who: str = "lisa"):
    with db.uow() as uow:
        version = uow.session.get(Incident, incident_id).version
        incidents.update_incident(
            uow,
            events,
            clock,
            viewer=viewer_of(uow.session, ids[who]),
            incident_id=incident_id,
            version=version,
            changes={"status": status},
            closing_blockers=closing_blockers,
        )


def close(db, events, clock, ids, incident_id: int, who: str = "lisa") -> None:
    set_status(db, events, clock, ids, incident_id, "afgehandeld", who)


def register_total(db, ids) -> int:
    with db.reader() as uow:
        _, total, _ = incidents.list_incidents(
            uow.session,
            viewer=viewer_of(uow.session, ids["coordinator"]),
            filters=RegisterFilter(),
            limit=200,
            before=None,
        )
        return total


def kinds_done(db, clock) -> dict[str, int]:
    done: dict[str, int] = {}
    for batch in sweep_until_done(db, clock, POLICY):
        done[batch.kind] = done.get(batch.kind, 0) + batch.count
    return done


def test_a_closed_incident_loses_its_ban_from_the_air_then_its_names_yet_still_counts(
    db, events, clock, ids
):
    incident_id = capture(db, events, clock, ids)
    ban_ends = TODAY + timedelta(days=90)
    note = "D-gedrag, zie gesprek met P. Verhoeven"
    decide(db, clock, ids, incident_id, kind="pandverbod", ends_on=ban_ends, note=note)
    police(db, clock, ids, incident_id, kind="aangifte", reference="PL-2026-77")
    close(db, events, clock, ids, incident_id)
    closed_at = clock.now()
    with db.reader() as uow:
        assert uow.session.get(Incident, incident_id).closed_at == closed_at
        [entry] = uow.session.scalars(
            select(RegisterEntry).where(RegisterEntry.address == AGGRESSOR["address"])
        )
    counted = register_total(db, ids)

    # Two years and a day after the ban's last day: the AIR entry goes, the period stays.
    clock.advance(days=(ban_ends - TODAY).days + 731)
    kinds_done(db, clock)
    with db.reader() as uow:
        assert uow.session.get(RegisterEntry, entry.id) is None
        viewer = viewer_of(uow.session, ids["lisa"])
        incident = uow.session.get(Incident, incident_id)
        [ban] = followup_json(uow.session, clock.now(), viewer=viewer, incident=incident)[
            "measures"
        ]
    assert (ban["starts_on"], ban["ends_on"], ban["in_air"]) == (
        TODAY.isoformat(),
        ban_ends.isoformat(),
        False,
    )
    assert incident.anonymised_at is None

    # Five years after closing: anonymised, and still in the register's count.
    _move_to(clock, closed_at + timedelta(days=POLICY.incidents, minutes=1))
    anonymised_at = clock.now()
    assert kinds_done(db, clock)["incidents"] == 1
    assert register_total(db, ids) == counted
    with db.uow() as uow:
        viewer = viewer_of(uow.session, ids["lisa"])
        incident, history = incidents.read_incident(uow, clock, viewer, incident_id)
        shown = detail_json(incident, viewer, history)
        followup = followup_json(uow.session, clock.now(), viewer=viewer, incident=incident)
    assert shown["description"] == ANONYMISED
    assert shown["aggressor"] == {"name": "", "address": "", "client_ref": ""}
    assert not shown["aggressor_recorded"]
    assert (shown["behaviour_type"], shown["status"]) == ("D", "afgehandeld")
    assert [m["kind"] for m in followup["measures"]] == ["pandverbod"]
    with db.reader() as uow:  # nothing of the aggressor was shown, so no read was logged
        reads = select(func.count()).where(
            AuditEntry.subject == "incident",
            AuditEntry.subject_id == incident_id,
            AuditEntry.at >= anonymised_at,
        )
        assert uow.session.scalar(reads) == 0

    # What retention took away cannot come back: no edit, no follow-up action.
    with pytest.raises(Conflict, match="geanonimiseerd"):
        close(db, events, clock, ids, incident_id, who="coordinator")
    with pytest.raises(Conflict, match="geanonimiseerd"):
        police(db, clock, ids, incident_id, kind="melding")


def test_reopening_an_incident_stops_its_period_and_closing_again_restarts_it(
    db, events, clock, ids
):
    incident_id = capture(db, events, clock, ids)
    decide(db, clock, ids, incident_id, kind="geen_maatregel", note="Excuses aangeboden")
    police(db, clock, ids, incident_id, kind="afgezien", reason="Sanne ziet ervan af")
    close(db, events, clock, ids, incident_id)
    clock.advance(days=10)
    set_status(db, events, clock, ids, incident_id, "in_behandeling")
    with db.reader() as uow:
        assert uow.session.get(Incident, incident_id).closed_at is None
    clock.advance(days=POLICY.incidents)
    assert "incidents" not in kinds_done(db, clock)  # open again: never, however long
    close(db, events, clock, ids, incident_id)
    with db.reader() as uow:
        assert uow.session.get(Incident, incident_id).closed_at == clock.now()


# ---- the command -----------------------------------------------------------------------------


@pytest.fixture
def cli_app(instance, db_url, backend, push_transport):
    """The app at the fake clock's moment, with no sweeper of its own racing the command."""
    app = create_app(
        app_config(
            instance,
            db_url,
            backend,
            PUSH_TRANSPORT=push_transport,
            CLOCK=FakeClock(),
            SWEEP_SECONDS=0,
        )
    )
    yield app
    runtime_of(app).close()


def test_the_dry_run_lists_ids_and_dates_never_names_and_changes_nothing(cli_app, db):
    with db.uow() as uow:
        sanne = user(uow.session, "sanne")
        due = make_incident(uow.session, sanne, n=1, closed_at=INCIDENTS_BEFORE - MINUTE)
        make_incident(uow.session, sanne, n=2, closed_at=INCIDENTS_BEFORE + MINUTE)
        event = make_event(
            uow.session, at=NOW - timedelta(days=91), type="message.sent", data={}, to=sanne
        )
    before = dump(db)

    dry = cli_app.test_cli_runner().invoke(args=["retention", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    listed = sections(dry.output)
    assert listed["incidents"] == [
        "1 to be anonymised (kept 1825 days)",
        f"{due}  {INCIDENTS_BEFORE - MINUTE:%Y-%m-%d}",
    ]
    assert listed["events"] == ["1 to be deleted (kept 90 days)", f"{event}  2026-08-25"]
    assert listed["air_entries"] == ["0 to be deleted (kept 730 days)"]
    assert "Verhoeven" not in dry.output and "Beukenlaan" not in dry.output
    assert dry.output.splitlines()[-1] == "Dry run: nothing was changed."
    assert dump(db) == before

    counts = cli_app.test_cli_runner().invoke(args=["retention", "--dry-run", "--show", "0"])
    assert sections(counts.output)["incidents"] == ["1 to be anonymised (kept 1825 days)"]

    run = cli_app.test_cli_runner().invoke(args=["retention"])
    assert run.exit_code == 0, run.output
    done = {line.split()[0]: line.split()[1:] for line in run.output.splitlines()}
    assert done["incidents"] == ["1", "anonymised"]
    assert done["events"] == ["1", "deleted"]
    assert done["air_entries"] == ["0", "deleted"]
    with db.reader() as uow:
        assert uow.session.get(Incident, due).anonymised_at == NOW


def sections(output: str) -> dict[str, list[str]]:
    """The dry run's output per kind: its count line, then one line per listed id."""
    found: dict[str, list[str]] = {}
    kind = ""
    for line in output.splitlines()[:-1]:
        if line.startswith("  "):
            found[kind].append("  ".join(line.split()))
        else:
            kind, rest = line.split(maxsplit=1)
            found[kind] = [" ".join(rest.split())]
    return found


# ---- configuration and pacing -------------------------------------------------------------------


def test_periods_come_from_the_environment_with_the_documented_defaults(
    monkeypatch, tmp_path, cli_app
):
    assert cli_app.config["RETENTION"] == POLICY.as_days()
    assert runtime_of(cli_app).retention == POLICY
    monkeypatch.setenv("VELDWACHT_RETAIN_POSITIONS_DAYS", "14")
    config = load_config({"INSTANCE_PATH": str(tmp_path)})
    assert config["RETENTION"] == {**POLICY.as_days(), "positions": 14}
    for wrong in ("0", "twee weken", "1.5"):
        monkeypatch.setenv("VELDWACHT_RETAIN_POSITIONS_DAYS", wrong)
        with pytest.raises(ValueError, match=r"(?i)positions"):
            load_config({"INSTANCE_PATH": str(tmp_path)})


def test_a_backlog_drains_a_batch_a_sweep_then_waits_an_hour(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(sweeper.time, "monotonic", lambda: now[0])
    answers, calls = [True, True, False], []

    def batch():
        calls.append(now[0])
        return answers.pop(0) if answers else False

    task = sweeper.every_until_done(3600, batch)
    for second in range(0, 7300):
        now[0] = 1000.0 + second
        task()
    assert calls == [1000.0, 1001.0, 1002.0, 4602.0, 8202.0]


def test_a_sweepers_round_is_a_batch_a_kind_and_a_failing_kind_holds_no_other_back(
    db, clock, monkeypatch, caplog
):
    with db.uow() as uow:
        sanne = user(uow.session, "sanne")
        for n in range(INCIDENTS.size + 1):
            make_incident(uow.session, sanne, n=n, closed_at=INCIDENTS_BEFORE - MINUTE)

    def fail(session, now, ids):
        raise RuntimeError("kapot")

    broken = replace(INCIDENTS, name="broken", act=fail)
    monkeypatch.setattr(retention_sweep, "KINDS", (broken, *KINDS))

    def anonymised() -> int:
        with db.reader() as uow:
            return uow.session.scalar(
                select(func.count()).where(Incident.anonymised_at.is_not(None))
            )

    assert sweep_round(db, clock, POLICY) is True  # a full batch: the next sweep goes on
    assert anonymised() == INCIDENTS.size
    assert "retention of broken failed" in caplog.text
    assert sweep_round(db, clock, POLICY) is False
    assert anonymised() == INCIDENTS.size + 1


# ---- several workers on PostgreSQL -------------------------------------------------------------


postgres_only = pytest.mark.skipif(not ON_POSTGRES, reason="row and advisory locks")


@postgres_only
def test_a_row_someone_holds_is_skipped_and_anonymised_at_a_later_sweep(db, clock):
    with db.uow() as uow:
        sanne = user(uow.session, "sanne")
        held, free = (
            make_incident(uow.session, sanne, n=n, closed_at=INCIDENTS_BEFORE - MINUTE)
            for n in (1, 2)
        )
    with db.uow() as holder:  # a manager's save in progress
        holder.session.get(Incident, held, with_for_update={"key_share": True})
        batch = run_batch(db, clock, POLICY, INCIDENTS)
        assert (batch.ids, batch.more) == ([free], False)
    assert run_batch(db, clock, POLICY, INCIDENTS).ids == [held]


@postgres_only
def test_one_worker_at_a_time_sweeps_a_kind(db, clock):
    with db.uow() as uow:
        due = make_incident(
            uow.session, user(uow.session, "sanne"), n=1, closed_at=INCIDENTS_BEFORE - MINUTE
        )
    with db.uow() as other_worker:
        other_worker.session.execute(
            select(
                func.pg_advisory_xact_lock(func.hashtext("retention"), func.hashtext("incidents"))
            )
        )
        assert run_batch(db, clock, POLICY, INCIDENTS).count == 0  # not waited for
    assert run_batch(db, clock, POLICY, INCIDENTS).ids == [due]


# ---- the migration ----------------------------------------------------------------------------


def test_the_migration_finds_when_earlier_incidents_were_closed(tmp_path):
    """Closed before closing was stamped: the last save that closed it says when; without one
    in its history, its last change is the closest we know."""
    from alembic import command

    from services.migrate import alembic_config

    url = f"sqlite:///{tmp_path / 'old.db'}"
    command.upgrade(alembic_config(url), "0013")
    engine = create_engine(url)  # without the app's foreign-key pragma: no users needed
    with engine.begin() as conn:
        for n, status in ((1, "afgehandeld"), (2, "afgehandeld"), (3, "in_behandeling")):
            conn.execute(
                text(
                    "INSERT INTO incidents (id, client_id, reporter_id, victim_id, occurred_at,"
                    " reported_at, updated_at, behaviour_type, kinds, channel, location,"
                    " description, status, serious, serious_criteria, form, aggressor_name,"
                    " aggressor_address, aggressor_client_ref, szw_reference,"
                    " szw_written_reference, analysis, version) VALUES (:n, :client, 1, 1,"
                    " '2021-01-01 09:00:00', '2021-01-01 09:00:00', '2021-03-01 09:00:00', 'D',"
                    " 'verbaal', 'telefoon', '', 'x', :status, 0, '[]', '{}', '', '', '', '', '',"
                    " '{}', 3)"
                ),
                {"n": n, "client": f"c{n}", "status": status},
            )
        changes = [
            ("2021-02-01 10:00:00", '[{"field": "status", "old": "gemeld", "new": "afgehandeld"}]'),
            ("2021-03-01 09:00:00", '[{"field": "location", "old": "", "new": "Balie"}]'),
        ]
        for at, diff in changes:
            conn.execute(
                text(
                    "INSERT INTO incident_changes (incident_id, at, user_id, action, changes)"
                    " VALUES (1, :at, 1, 'gewijzigd', :diff)"
                ),
                {"at": at, "diff": diff},
            )
    engine.dispose()
    command.upgrade(alembic_config(url), "0014")
    database = Database(url)
    try:
        with database.reader() as uow:
            closed = dict(uow.session.execute(select(Incident.id, Incident.closed_at)).all())
    finally:
        database.dispose()
    assert closed == {
        1: datetime(2021, 2, 1, 10, 0, tzinfo=UTC),  # not the later edit
        2: datetime(2021, 3, 1, 9, 0, tzinfo=UTC),  # its last change
        3: None,
    }
    command.downgrade(alembic_config(url), "0013")
