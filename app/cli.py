"""`flask --app app setup`: migrate, seed the demo municipality if empty, print the logins.
`flask --app app backup FILE` and `restore FILE`: the database, for either engine
(ops/backup.py, docs/backup.md)."""

from __future__ import annotations

import click
from flask import current_app

from app.runtime import runtime
from ops import backup as backups
from services.demo import (
    DEMO_PASSWORD,
    demo_logins,
    is_empty,
    seed_demo_incidents,
    seed_demo_municipality,
)
from services.migrate import is_current, upgrade_to_head


def _quiet_runtime() -> str:
    """The configured database, after stopping what the app started with it (sweeper, push,
    relay): a command that does not serve must not act on alarms or hold connections."""
    runtime().close()
    return current_app.config["DATABASE_URL"]


def register(app) -> None:
    @app.cli.command("setup")
    def setup():
        """Bring the database to the latest schema and seed the demo when it is empty."""
        upgrade_to_head(current_app.config["DATABASE_URL"])
        with runtime().db.uow() as uow:
            if is_empty(uow.session):
                seed_demo_municipality(uow.session)
                seed_demo_incidents(uow.session)
                click.echo("Demo municipality 'Gemeente Demodorp' created.")
        click.echo(f"Database ready: {current_app.config['DATABASE_URL']}")
        click.echo(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        for username, name, what in demo_logins():
            click.echo(f"  {username:<20} {name:<22} {what}")

    @app.cli.command("backup")
    @click.argument("file", type=click.Path(dir_okay=False))
    def backup(file):
        """Write a backup of the database to FILE; safe while the server runs."""
        url = _quiet_runtime()
        try:
            written = backups.backup(url, file)
        except backups.BackupError as failure:
            raise click.ClickException(str(failure)) from None
        size = written.stat().st_size / 1e6
        click.echo(f"Backup of {backups.safe(url)} written to {written} ({size:.1f} MB).")
        click.echo("Keep the instance folder's secret_key and vapid_private.pem with it.")

    @app.cli.command("restore")
    @click.argument("file", type=click.Path(dir_okay=False))
    @click.option("--yes", is_flag=True, help="Replace the database without asking.")
    def restore(file, yes):
        """Replace the database with the backup in FILE. Stop the server first."""
        url = _quiet_runtime()
        if not yes:
            click.echo(
                f"This replaces everything in {backups.safe(url)} with the backup {file}.\n"
                "What was stored since that backup is lost. Stop the server first."
            )
            click.confirm("Replace the database?", abort=True)
        try:
            backups.restore(url, file)
        except backups.BackupError as failure:
            raise click.ClickException(str(failure)) from None
        click.echo(f"Restored {file} into {backups.safe(url)}.")
        if not is_current(runtime().db.engine):
            click.echo(
                "Its schema is not this version's: run `flask --app app setup` to migrate it "
                "before starting the server."
            )
        runtime().db.dispose()
