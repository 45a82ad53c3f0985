"""`flask --app app setup`: migrate, seed the demo municipality if empty, print the logins."""

from __future__ import annotations

import click
from flask import current_app

from app.runtime import runtime
from services.demo import (
    DEMO_PASSWORD,
    demo_logins,
    is_empty,
    seed_demo_incidents,
    seed_demo_municipality,
)
from services.migrate import upgrade_to_head


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
