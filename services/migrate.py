"""Schema migrations with Alembic, callable from the CLI and from tests."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

from services.db import engine_url

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", engine_url(url).replace("%", "%%"))
    return config


def upgrade_to_head(url: str) -> None:
    command.upgrade(alembic_config(url), "heads")  # every branch, should two be in flight


@cache
def _scripts() -> ScriptDirectory:
    """The code's migrations, read once: reading them costs tens of milliseconds."""
    return ScriptDirectory(str(MIGRATIONS))


def schema_state(engine: Engine) -> str:
    """ "current": the database has exactly the code's migrations; "ahead": it has one this code
    does not know (a newer release migrated it first, as a rolling deploy does: migrations
    suit the running code too); "behind": some are still to run."""
    with engine.connect().execution_options(read_only=True) as connection:  # no write lock
        applied = set(MigrationContext.configure(connection).get_current_heads())
    if applied == set(_scripts().get_heads()):
        return "current"
    known = {script.revision for script in _scripts().walk_revisions()}
    return "ahead" if applied - known else "behind"


def is_current(engine: Engine) -> bool:
    """Whether the database has every migration: time-driven rules must not run on a schema
    that is still being migrated (or not yet), as on the first start of `make run`."""
    return schema_state(engine) == "current"
