"""AIR history: every change to an entry or measure as a version; who may change it

Revision ID: 0013
Revises: 0012

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import services.db

revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _backfill(bind) -> None:
    """An entry was recorded by its creator's team (a manager without one: the first team
    they lead); a measure an incident's decision put in the register (not an extension of it)
    was caused by that incident, against its victim."""
    entries = sa.table(
        "air_entries",
        sa.column("id", sa.Integer),
        sa.column("created_by_id", sa.Integer),
        sa.column("team_id", sa.Integer),
    )
    users = sa.table("users", sa.column("id", sa.Integer), sa.column("team_id", sa.Integer))
    led = sa.table(
        "managed_teams", sa.column("manager_id", sa.Integer), sa.column("team_id", sa.Integer)
    )
    bind.execute(
        entries.update()
        .where(entries.c.created_by_id.is_not(None))
        .values(
            team_id=sa.func.coalesce(
                sa.select(users.c.team_id)
                .where(users.c.id == entries.c.created_by_id)
                .scalar_subquery(),
                sa.select(sa.func.min(led.c.team_id))
                .where(led.c.manager_id == entries.c.created_by_id)
                .scalar_subquery(),
            )
        )
    )
    measures = sa.table(
        "air_measures",
        sa.column("id", sa.Integer),
        sa.column("incident_id", sa.Integer),
        sa.column("victim_id", sa.Integer),
    )
    decisions = sa.table(
        "incident_measures",
        sa.column("incident_id", sa.Integer),
        sa.column("air_measure_id", sa.Integer),
        sa.column("extended_from", sa.Date),
    )
    incidents = sa.table(
        "incidents", sa.column("id", sa.Integer), sa.column("victim_id", sa.Integer)
    )
    bind.execute(
        measures.update().values(
            incident_id=sa.select(sa.func.min(decisions.c.incident_id))
            .where(
                decisions.c.air_measure_id == measures.c.id,
                decisions.c.extended_from.is_(None),
            )
            .scalar_subquery()
        )
    )
    bind.execute(
        measures.update()
        .where(measures.c.incident_id.is_not(None))
        .values(
            victim_id=sa.select(incidents.c.victim_id)
            .where(incidents.c.id == measures.c.incident_id)
            .scalar_subquery()
        )
    )


def upgrade() -> None:
    op.create_table(
        "air_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=True),
        sa.Column("at", services.db.UTCDateTime(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("before", sa.JSON(), nullable=False),
        sa.Column("after", sa.JSON(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_air_versions_actor_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["air_entries.id"],
            name=op.f("fk_air_versions_entry_id_air_entries"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["measure_id"],
            ["air_measures.id"],
            name=op.f("fk_air_versions_measure_id_air_measures"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_air_versions")),
    )
    with op.batch_alter_table("air_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_air_versions_entry_id"), ["entry_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_air_versions_measure_id"), ["measure_id"], unique=False
        )
    with op.batch_alter_table("air_entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("team_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_air_entries_team_id"), ["team_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_air_entries_team_id_teams"), "teams", ["team_id"], ["id"]
        )
    with op.batch_alter_table("air_measures", schema=None) as batch_op:
        batch_op.add_column(sa.Column("incident_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("victim_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_air_measures_incident_id_incidents"),
            "incidents",
            ["incident_id"],
            ["id"],
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_air_measures_victim_id_users"), "users", ["victim_id"], ["id"]
        )
    _backfill(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table("air_measures", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_air_measures_victim_id_users"), type_="foreignkey")
        batch_op.drop_constraint(
            batch_op.f("fk_air_measures_incident_id_incidents"), type_="foreignkey"
        )
        batch_op.drop_column("victim_id")
        batch_op.drop_column("incident_id")
    with op.batch_alter_table("air_entries", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_air_entries_team_id_teams"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_air_entries_team_id"))
        batch_op.drop_column("team_id")
    with op.batch_alter_table("air_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_air_versions_measure_id"))
        batch_op.drop_index(batch_op.f("ix_air_versions_entry_id"))
    op.drop_table("air_versions")
