"""retention and anonymisation: when an incident was closed (from its history for those
closed before) and when it was anonymised; an AIR measure's period kept on the incident's
decision when retention removes the entry; events found by age

Revision ID: 0014
Revises: 0013

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import services.db

revision: str = "0014"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CLOSED = "afgehandeld"


def _closed_at(bind) -> None:
    """A closed incident was closed by the last save that set its status to closed; without
    such a save in its history, its last change is the closest we know."""
    incidents = sa.table(
        "incidents",
        sa.column("id", sa.Integer),
        sa.column("status", sa.String),
        sa.column("updated_at", services.db.UTCDateTime()),
        sa.column("closed_at", services.db.UTCDateTime()),
    )
    changes = sa.table(
        "incident_changes",
        sa.column("id", sa.Integer),
        sa.column("incident_id", sa.Integer),
        sa.column("at", services.db.UTCDateTime()),
        sa.column("changes", sa.JSON),
    )
    closed = bind.execute(
        sa.select(incidents.c.id, incidents.c.updated_at).where(incidents.c.status == CLOSED)
    ).all()
    for incident_id, updated_at in closed:
        history = bind.execute(
            sa.select(changes.c.at, changes.c.changes)
            .where(changes.c.incident_id == incident_id)
            .order_by(changes.c.id.desc())
        )
        closing = next(
            (
                at
                for at, diff in history
                if any(c.get("field") == "status" and c.get("new") == CLOSED for c in diff or [])
            ),
            updated_at,
        )
        bind.execute(
            incidents.update().where(incidents.c.id == incident_id).values(closed_at=closing)
        )


def upgrade() -> None:
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("closed_at", services.db.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("anonymised_at", services.db.UTCDateTime(), nullable=True))
    with op.batch_alter_table("incident_measures", schema=None) as batch_op:
        batch_op.add_column(sa.Column("period_starts_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("period_ends_on", sa.Date(), nullable=True))
    # Not through batch_alter_table: a copy of the events table would lose AUTOINCREMENT.
    op.create_index(op.f("ix_events_created_at"), "events", ["created_at"], unique=False)
    _closed_at(op.get_bind())


def downgrade() -> None:
    op.drop_index(op.f("ix_events_created_at"), table_name="events")
    with op.batch_alter_table("incident_measures", schema=None) as batch_op:
        batch_op.drop_column("period_ends_on")
        batch_op.drop_column("period_starts_on")
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.drop_column("anonymised_at")
        batch_op.drop_column("closed_at")
