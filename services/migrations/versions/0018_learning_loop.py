"""the learning loop: the leerdoelwijzers and the development matrix as versioned
instruments, the rounds of answers given to them, personal learning goals, and the team plan

Revision ID: 0018
Revises: 0017

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import services.db  # custom column types

revision: str = "0018"
down_revision: str | Sequence[str] | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "learning_instruments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("function_group", sa.String(length=40), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("contact", sa.String(length=300), nullable=True),
        sa.Column("groups", sa.JSON(), nullable=False),
        sa.Column("current", sa.Boolean(), nullable=False),
        sa.Column("created_at", services.db.UTCDateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_learning_instruments_created_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learning_instruments")),
        sa.UniqueConstraint("key", "version", name=op.f("uq_learning_instruments_key")),
    )
    with op.batch_alter_table("learning_instruments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_learning_instruments_key"), ["key"], unique=False)

    op.create_table(
        "learning_responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("instrument_id", sa.Integer(), nullable=False),
        sa.Column("instrument_key", sa.String(length=60), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("answered_at", services.db.UTCDateTime(), nullable=False),
        sa.Column("received_at", services.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["instrument_id"],
            ["learning_instruments.id"],
            name=op.f("fk_learning_responses_instrument_id_learning_instruments"),
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_learning_responses_team_id_teams")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_learning_responses_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learning_responses")),
        sa.UniqueConstraint("client_id", name=op.f("uq_learning_responses_client_id")),
    )
    with op.batch_alter_table("learning_responses", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_learning_responses_team_id"), ["team_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_learning_responses_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "learning_goals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", services.db.UTCDateTime(), nullable=False),
        sa.Column("shared_at", services.db.UTCDateTime(), nullable=True),
        sa.Column("shared_with_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["response_id"],
            ["learning_responses.id"],
            name=op.f("fk_learning_goals_response_id_learning_responses"),
        ),
        sa.ForeignKeyConstraint(
            ["shared_with_id"], ["users.id"], name=op.f("fk_learning_goals_shared_with_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_learning_goals_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learning_goals")),
    )
    with op.batch_alter_table("learning_goals", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_learning_goals_shared_with_id"), ["shared_with_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_learning_goals_user_id"), ["user_id"], unique=False)

    op.create_table(
        "team_plan_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("work_form", sa.String(length=40), nullable=True),
        sa.Column("expected_result", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("area", sa.JSON(), nullable=True),
        sa.Column("incident_id", sa.Integer(), nullable=True),
        sa.Column("cause_id", sa.String(length=40), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("evaluation", sa.Text(), nullable=False),
        sa.Column("evaluated_on", sa.Date(), nullable=True),
        sa.Column("evaluated_by_id", sa.Integer(), nullable=True),
        sa.Column("carried_from_id", sa.Integer(), nullable=True),
        sa.Column("created_at", services.db.UTCDateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("updated_at", services.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assignee_id"], ["users.id"], name=op.f("fk_team_plan_items_assignee_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["carried_from_id"],
            ["team_plan_items.id"],
            name=op.f("fk_team_plan_items_carried_from_id_team_plan_items"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_team_plan_items_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["evaluated_by_id"], ["users.id"], name=op.f("fk_team_plan_items_evaluated_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name=op.f("fk_team_plan_items_incident_id_incidents")
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_team_plan_items_owner_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_team_plan_items_team_id_teams")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_team_plan_items")),
    )
    with op.batch_alter_table("team_plan_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_team_plan_items_assignee_id"), ["assignee_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_team_plan_items_incident_id"), ["incident_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_team_plan_items_team_id"), ["team_id"], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("team_plan_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_team_plan_items_team_id"))
        batch_op.drop_index(batch_op.f("ix_team_plan_items_incident_id"))
        batch_op.drop_index(batch_op.f("ix_team_plan_items_assignee_id"))

    op.drop_table("team_plan_items")
    with op.batch_alter_table("learning_goals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_learning_goals_user_id"))
        batch_op.drop_index(batch_op.f("ix_learning_goals_shared_with_id"))

    op.drop_table("learning_goals")
    with op.batch_alter_table("learning_responses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_learning_responses_user_id"))
        batch_op.drop_index(batch_op.f("ix_learning_responses_team_id"))

    op.drop_table("learning_responses")
    with op.batch_alter_table("learning_instruments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_learning_instruments_key"))

    op.drop_table("learning_instruments")
