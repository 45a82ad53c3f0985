"""aggressor key: who an incident's aggressor is, as one indexed key, so that the reports count
repeat aggressors in SQL; filled in for the incidents there are. The indexes by reporter,
victim and team also hold the time, so a manager's scope and a period are one range each

Revision ID: 0017
Revises: 0016

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from services.identity import aggressor_key

revision: str = "0017"
down_revision: str | Sequence[str] | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 2000
TIMED = ("reporter_id", "victim_id", "team_id")

incidents = sa.table(
    "incidents",
    sa.column("id", sa.Integer),
    sa.column("aggressor_name", sa.String),
    sa.column("aggressor_client_ref", sa.String),
    sa.column("aggressor_key", sa.String),
)


def upgrade() -> None:
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("aggressor_key", sa.String(length=210), nullable=True))
        batch_op.create_index(
            "ix_incidents_aggressor_key", ["aggressor_key", "occurred_at", "team_id"], unique=False
        )
        for column in TIMED:
            batch_op.drop_index(f"ix_incidents_{column}")
            batch_op.create_index(f"ix_incidents_{column}_occurred_at", [column, "occurred_at"])
    connection = op.get_bind()
    named = (incidents.c.aggressor_name != "") | (incidents.c.aggressor_client_ref != "")
    last = 0
    while True:
        rows = connection.execute(
            sa.select(incidents.c.id, incidents.c.aggressor_client_ref, incidents.c.aggressor_name)
            .where(named, incidents.c.id > last)
            .order_by(incidents.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        for row in rows:
            connection.execute(
                incidents.update()
                .where(incidents.c.id == row.id)
                .values(aggressor_key=aggressor_key(row.aggressor_client_ref, row.aggressor_name))
            )
        last = rows[-1].id


def downgrade() -> None:
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        for column in TIMED:
            batch_op.drop_index(f"ix_incidents_{column}_occurred_at")
            batch_op.create_index(f"ix_incidents_{column}", [column])
        batch_op.drop_index("ix_incidents_aggressor_key")
        batch_op.drop_column("aggressor_key")
