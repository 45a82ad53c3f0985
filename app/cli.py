"""`flask --app app setup`: migrate, seed the demo municipality if empty, print the logins.
`flask --app app backup FILE` and `restore FILE`: the database, for either engine
(ops/backup.py, docs/backup.md). `flask --app app verify-audit`: the audit trail's hash chains.
`flask --app app retention [--dry-run]`: what is past its retention period, now
(docs/retention.md)."""

from __future__ import annotations

import os

import click
from flask import current_app
from sqlalchemy import select

from app.runtime import runtime
from ops import backup as backups
from services import audit
from services.accounts.models import User
from services.accounts.service import revoke_all_sessions, set_one_time_password
from services.audit import chain
from services.demo import (
    DEMO_ORGANISATION,
    DEMO_PASSWORD,
    demo_logins,
    is_empty,
    seed_demo_incidents,
    seed_demo_municipality,
)
from services.first_start import start_own_municipality
from services.learning.instruments import install_default_instruments
from services.migrate import is_current, upgrade_to_head
from services.retention import KINDS, preview, sweep_until_done

KIND_DONE = {kind.name: kind.done for kind in KINDS}


def _quiet_runtime() -> str:
    """The configured database, after stopping what the app started with it (sweeper, push,
    relay): a command that does not serve must not act on alarms or hold connections."""
    runtime().close()
    return current_app.config["DATABASE_URL"]


def _echo_due(due, shown: int) -> None:
    """One kind of the dry run: how many, then ids with the date their period counts from."""
    click.echo(f"{due.kind:<16} {due.count:>8} to be {KIND_DONE[due.kind]} (kept {due.days} days)")
    for item in due.items:
        click.echo(f"  {item.id:>10}  {item.since:%Y-%m-%d}")
    if shown and due.count > len(due.items):
        click.echo(f"  … and {due.count - len(due.items)} more")


def register(app) -> None:
    @app.cli.command("setup")
    @click.option(
        "--demo/--no-demo",
        default=lambda: os.environ.get("VELDWACHT_DEMO", "1") != "0",
        help="Seed the demo municipality (default), or start your own organisation with one "
        "administrator (also VELDWACHT_DEMO=0).",
    )
    @click.option("--admin", "admin_username", default="beheerder", show_default=True)
    def setup(demo, admin_username):
        """Bring the database to the latest schema; when it is empty, seed the demo or start
        your own organisation."""
        upgrade_to_head(current_app.config["DATABASE_URL"])
        with runtime().db.uow() as uow:
            empty = is_empty(uow.session)
            if empty and demo:
                seed_demo_municipality(uow.session)
                seed_demo_incidents(uow.session)
            elif empty:
                name = current_app.config["ORGANISATION"]["name"]
                password, expires_at = start_own_municipality(
                    uow.session, runtime().clock, name=name, admin_username=admin_username
                )
            # An install from before the learning loop gets the seed's instruments too.
            install_default_instruments(uow.session, runtime().clock.now())
        click.echo(f"Database ready: {current_app.config['DATABASE_URL']}")
        if empty and not demo:
            click.echo(f"\nOrganisation '{name}' created, with one administrator:")
            click.echo(f"  username  {admin_username}")
            click.echo(f"  password  {password}   (shown once; to be changed at first login)")
            click.echo(f"  valid until {expires_at:%Y-%m-%d %H:%M} UTC")
            click.echo(f"  (after that: flask --app app reset-password {admin_username})")
            if name == DEMO_ORGANISATION:
                click.echo(
                    "Set VELDWACHT_ORG_NAME (and the other VELDWACHT_ORG_ settings) to yours."
                )
        elif demo:
            if empty:
                click.echo("Demo municipality 'Gemeente Demodorp' created.")
            click.echo(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
            for username, name, what in demo_logins():
                click.echo(f"  {username:<20} {name:<22} {what}")

    @app.cli.command("reset-password")
    @click.argument("username")
    def reset_password(username):
        """A new one-time password for USERNAME (a first administrator's that expired, or the
        only administrator locked out), shown once; every device of theirs is logged out."""
        rt = runtime()
        with rt.db.uow() as uow:
            user = uow.session.scalar(select(User).where(User.username == username.lower()))
            if user is None or not user.active:
                raise click.ClickException(f"No active user {username!r}.")
            revoke_all_sessions(uow, rt.events, rt.clock, user_id=user.id)
            password, expires_at = set_one_time_password(uow.session, rt.clock, user=user)
        click.echo(f"One-time password for {user.username}: {password}")
        click.echo(f"Valid until {expires_at:%Y-%m-%d %H:%M} UTC; to be changed at first login.")

    @app.cli.command("verify-audit")
    def verify_audit():
        """Walk every hash chain of the audit trail; exit 1 naming the first row that does
        not fit. Note the head hashes printed: a chain cut short at its end shows only
        against a head kept elsewhere."""
        broken = False
        with runtime().db.reader() as uow:
            for model in audit.chained_models():
                verdict = chain.verify(uow.session, model)
                if verdict.intact:
                    click.echo(f"{verdict.chain}: {verdict.rows} rows intact, head {verdict.head}")
                else:
                    broken = True
                    click.echo(
                        f"{verdict.chain}: BROKEN at row {verdict.broken_at} ({verdict.why}), "
                        f"after {verdict.rows} intact rows",
                        err=True,
                    )
        if broken:
            raise SystemExit(1)

    @app.cli.command("retention")
    @click.option("--dry-run", is_flag=True, help="List what would go, per kind; change nothing.")
    @click.option(
        "--show",
        default=20,
        show_default=True,
        type=click.IntRange(min=0),
        help="In a dry run, the ids listed per kind (0: counts only).",
    )
    def retention(dry_run, show):
        """Anonymise, clear or delete now what is past its retention period, as the server's
        sweeper does every hour; with --dry-run, only say what that would be (ids and dates,
        never names)."""
        _quiet_runtime()
        rt = runtime()
        if dry_run:
            for due in preview(rt.db, rt.clock, rt.retention, limit=show):
                _echo_due(due, show)
            click.echo("Dry run: nothing was changed.")
            return
        done = dict.fromkeys(KIND_DONE, 0)
        for batch in sweep_until_done(rt.db, rt.clock, rt.retention):
            done[batch.kind] += batch.count
        for kind, count in done.items():
            click.echo(f"{kind:<16} {count:>8} {KIND_DONE[kind]}")

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
