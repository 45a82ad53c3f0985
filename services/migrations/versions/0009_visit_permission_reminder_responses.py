"""visits: what the register said at check-in, permission requests, going alone, the reminder
timer and responders' answers; the overdue grace per risk level

Revision ID: 0009
Revises: 0008

"""
import json
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

import services.db  # noqa: F401  (custom column types)


revision: str = '0009'
down_revision: Union[str, Sequence[str], None] = '0008'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.add_column(sa.Column('register_change', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('override_state', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('override_requested_at', services.db.UTCDateTime(),
                                      nullable=True))
        batch_op.add_column(sa.Column('override_requested_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('override_request_reason', sa.String(length=500),
                                      nullable=True))
        batch_op.add_column(sa.Column('alone_confirmed_at', services.db.UTCDateTime(),
                                      nullable=True))
        batch_op.add_column(sa.Column('reminder_at', services.db.UTCDateTime(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_visits_override_requested_by_id_users'),
                                    'users', ['override_requested_by_id'], ['id'])
        batch_op.create_index('ix_visits_reminder', ['state', 'reminder_at'], unique=False)
    # An override recorded before requests existed was an approval.
    op.execute("UPDATE visits SET override_state = 'approved' WHERE override_at IS NOT NULL")

    op.create_table(
        'visit_responses',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('visit_id', sa.Integer(), nullable=False),
        sa.Column('cycle', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('response', sa.String(length=20), nullable=False),
        sa.Column('at', services.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_visit_responses_user_id_users')),
        sa.ForeignKeyConstraint(['visit_id'], ['visits.id'],
                                name=op.f('fk_visit_responses_visit_id_visits')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_visit_responses')),
        sa.UniqueConstraint('visit_id', 'cycle', 'user_id',
                            name=op.f('uq_visit_responses_visit_id')),
    )
    with op.batch_alter_table('visit_responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visit_responses_visit_id'), ['visit_id'],
                              unique=False)

    _convert_overdue_policies(_grace_per_level)


def downgrade() -> None:
    _convert_overdue_policies(_single_grace)
    with op.batch_alter_table('visit_responses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visit_responses_visit_id'))
    op.drop_table('visit_responses')
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.drop_index('ix_visits_reminder')
        batch_op.drop_constraint(batch_op.f('fk_visits_override_requested_by_id_users'),
                                 type_='foreignkey')
        for column in ('reminder_at', 'alone_confirmed_at', 'override_request_reason',
                       'override_requested_by_id', 'override_requested_at', 'override_state',
                       'register_change'):
            batch_op.drop_column(column)


def _grace_per_level(old: dict) -> dict:
    """One grace (and a shorter one for register matches) becomes a grace per level: the
    register's grace for hoog and niet gaan, which only makes those visits looked for sooner."""
    grace, short = old["grace_minutes"], old["register_grace_minutes"]
    return {"grace_minutes": {"laag": grace, "verhoogd": grace, "hoog": short, "niet_gaan": short},
            "manager_after_minutes": old["manager_after_minutes"]}


def _single_grace(new: dict) -> dict:
    grace = new["grace_minutes"]
    return {"grace_minutes": grace["laag"], "register_grace_minutes": grace["hoog"],
            "manager_after_minutes": new["manager_after_minutes"]}


def _convert_overdue_policies(convert) -> None:
    connection = op.get_bind()
    rows = connection.execute(sa.text(
        "SELECT team_id, overdue FROM escalation_policies WHERE overdue IS NOT NULL")).all()
    for team_id, overdue in rows:
        policy = json.loads(overdue) if isinstance(overdue, str) else overdue
        connection.execute(sa.text("UPDATE escalation_policies SET overdue = :overdue "
                                   "WHERE team_id = :team_id"),
                           {"overdue": json.dumps(convert(policy)), "team_id": team_id})
