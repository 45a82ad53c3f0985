"""Schema migrations with Alembic, callable from the CLI and from tests."""

from __future__ import annotations

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


def is_current(engine: Engine) -> bool:
    """Whether the database has every migration: time-driven rules must not run on a schema
    that is still being migrated (or not yet), as on the first start of `make run`."""
    heads = set(ScriptDirectory(str(MIGRATIONS)).get_heads())
    with engine.connect().execution_options(read_only=True) as connection:  # no write lock
        return set(MigrationContext.configure(connection).get_current_heads()) == heads
