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
