"""the message bus's outbox: reactions (handlers) still to run for a committed message

Revision ID: 0010
Revises: 0009

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import services.db

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pending_reactions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_type", sa.String(length=60), nullable=False),
        sa.Column("handler", sa.String(length=200), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", services.db.UTCDateTime(), nullable=False),
        sa.Column("due_at", services.db.UTCDateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=1000), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_reactions")),
    )
    with op.batch_alter_table("pending_reactions", schema=None) as batch_op:
        batch_op.create_index("ix_pending_reactions_due_at", ["due_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("pending_reactions", schema=None) as batch_op:
        batch_op.drop_index("ix_pending_reactions_due_at")
    op.drop_table("pending_reactions")
