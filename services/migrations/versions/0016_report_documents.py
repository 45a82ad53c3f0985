"""report documents: the quarterly and half-year reports of annex 2, a draft with the
coordinator's recommendations, then final versions with their figures and PDF

Revision ID: 0016
Revises: 0015

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import services.db

revision: str = "0016"
down_revision: str | Sequence[str] | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "report_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("period_first", sa.Date(), nullable=False),
        sa.Column("period_last", sa.Date(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("recommendations", sa.Text(), nullable=False),
        sa.Column("report", sa.JSON(), nullable=True),
        sa.Column("pdf", sa.LargeBinary(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", services.db.UTCDateTime(), nullable=False),
        sa.Column("updated_at", services.db.UTCDateTime(), nullable=False),
        sa.Column("finalised_at", services.db.UTCDateTime(), nullable=True),
        sa.Column("finalised_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_report_documents_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["finalised_by_id"],
            ["users.id"],
            name=op.f("fk_report_documents_finalised_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_documents")),
        sa.UniqueConstraint(
            "kind", "period_first", "version", name=op.f("uq_report_documents_kind")
        ),
    )


def downgrade() -> None:
    op.drop_table("report_documents")
