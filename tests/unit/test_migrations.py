"""The migrations build exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from services.db import engine_url
from services.schema import metadata


def test_migrated_database_matches_the_models(template_db):
    engine = create_engine(engine_url(template_db))
    try:
        with engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), metadata)
    finally:
        engine.dispose()
    assert differences == []


def test_the_migrated_event_log_never_hands_out_an_id_twice(db, clock, broker):
    """Replay since an id relies on it: even the newest event's id, once deleted (retention),
    is not given to the next one (SQLite's AUTOINCREMENT, which an earlier table copy lost)."""
    from sqlalchemy import delete

    from services.events.log import EventLog
    from services.events.models import Event

    events = EventLog(clock, broker)
    with db.uow() as uow:
        newest = events.record(uow, type="t", audience={"user:1"}, title="x")
    with db.uow() as uow:
        uow.session.execute(delete(Event).where(Event.id == newest.id))
    with db.uow() as uow:
        next_one = events.record(uow, type="t", audience={"user:1"}, title="y")
    assert next_one.id > newest.id


def test_the_reads_logged_before_the_trail_move_into_it_chained(tmp_path):
    """An installation with reads, lookups and administrative changes from before the audit
    trail keeps every one of them, in order, and each chain verifies."""
    from alembic import command
    from sqlalchemy import text

    from services import audit
    from services.audit import chain
    from services.audit.models import AuditEntry
    from services.db import Database
    from services.migrate import alembic_config

    url = f"sqlite:///{tmp_path / 'old.db'}"
    command.upgrade(alembic_config(url), "0014")
    engine = create_engine(url)  # without the app's foreign-key pragma: no users needed
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO air_lookups (user_id, at, query, matched_ids, purpose) VALUES"
                " (1, '2026-01-02 10:00:00', '{\"address\": \"Kerkstraat 7\"}', '[3]',"
                " 'bezoek plannen')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO admin_changes (at, actor_id, entity, entity_id, label, action,"
                " after, via) VALUES ('2026-01-01 09:00:00', 1, 'team', 1, 'Wijkteam',"
                " 'created', '{\"name\": \"Wijkteam\"}', 'app')"
            )
        )
    engine.dispose()
    command.upgrade(alembic_config(url), "head")
    database = Database(url)
    try:
        with database.reader() as uow:
            [row] = uow.session.query(AuditEntry).all()
            assert (row.act, row.subject, row.purpose) == ("lookup", "air", "bezoek plannen")
            assert row.shown == {"query": {"address": "Kerkstraat 7"}, "matched_ids": [3]}
            for model in audit.chained_models():
                assert chain.verify(uow.session, model).intact, model
    finally:
        database.dispose()


def test_air_entries_get_the_team_that_recorded_them_and_measures_their_incident(tmp_path):
    """An entry's team is its creator's (a manager without one: the first team they lead); a
    measure an incident's decision put in the register gets that incident and its victim, an
    extension of it by a later decision does not."""
    from alembic import command
    from sqlalchemy import text

    from services.migrate import alembic_config

    url = f"sqlite:///{tmp_path / 'old.db'}"
    command.upgrade(alembic_config(url), "0012")
    engine = create_engine(url)  # without the app's foreign-key pragma: only the rows needed
    user = (
        "INSERT INTO users (id, username, name, password_hash, role, on_duty, active, team_id)"
        " VALUES (:id, :id, 'x', 'x', :role, false, true, :team)"
    )
    entry = (
        "INSERT INTO air_entries (id, created_by_id, known_aggressive, remarks, created_at,"
        " updated_at) VALUES (:id, :by, true, '', '2026-01-01 10:00', '2026-01-01 10:00')"
    )
    measure = (
        "INSERT INTO air_measures (id, entry_id, kind, starts_on, reason, created_at)"
        " VALUES (:id, 1, 'pandverbod', '2026-01-01', '', '2026-01-01 10:00')"
    )
    decision = (
        "INSERT INTO incident_measures (incident_id, kind, decided_on, note, breaches,"
        " decided_by_id, created_at, air_measure_id, extended_from) VALUES (:incident,"
        " 'pandverbod', '2026-01-01', '', '[]', 1, '2026-01-01 10:00', :measure, :extended)"
    )
    incident = (
        "INSERT INTO incidents (id, client_id, reporter_id, victim_id, occurred_at, reported_at,"
        " updated_at, behaviour_type, kinds, channel, location, description, status, serious,"
        " serious_criteria, form, aggressor_name, aggressor_address, aggressor_client_ref,"
        " version) VALUES (:id, :id, 3, :victim, '2026-01-01 09:00', '2026-01-01 09:00',"
        " '2026-01-01 09:00', 'D', '[]', 'balie', 'x', 'x', 'nieuw', false, '[]', '{}', '', '',"
        " '', 1)"
    )
    with engine.begin() as conn:
        conn.execute(
            text(user),
            [
                {"id": 1, "role": "leidinggevende", "team": 4},
                {"id": 2, "role": "leidinggevende", "team": None},
                {"id": 3, "role": "medewerker", "team": 4},
            ],
        )
        conn.execute(text("INSERT INTO managed_teams (manager_id, team_id) VALUES (2, 9), (2, 7)"))
        conn.execute(text(entry), [{"id": 1, "by": 1}, {"id": 2, "by": 2}, {"id": 3, "by": None}])
        conn.execute(text(measure), [{"id": 1}, {"id": 2}, {"id": 3}])
        conn.execute(text(incident), [{"id": 5, "victim": 3}, {"id": 6, "victim": 1}])
        conn.execute(
            text(decision),
            [
                {"incident": 5, "measure": 1, "extended": None},
                {"incident": 6, "measure": 1, "extended": "2026-06-01"},
                {"incident": 6, "measure": 2, "extended": "2026-06-01"},
            ],
        )
    command.upgrade(alembic_config(url), "0013")
    with engine.connect() as conn:
        teams = conn.execute(text("SELECT id, team_id FROM air_entries ORDER BY id")).all()
        caused = conn.execute(
            text("SELECT id, incident_id, victim_id FROM air_measures ORDER BY id")
        ).all()
    engine.dispose()
    assert [tuple(row) for row in teams] == [(1, 4), (2, 7), (3, None)]
    assert [tuple(row) for row in caused] == [(1, 5, 3), (2, None, None), (3, None, None)]
