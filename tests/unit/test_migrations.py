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
