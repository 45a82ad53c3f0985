"""push deliveries per device; an alarm's position status and wrong PIN count

Revision ID: 0007
Revises: 0006

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

import services.db  # noqa: F401  (custom column types)


revision: str = '0007'
down_revision: Union[str, Sequence[str], None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'push_deliveries',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('subscription_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('state', sa.String(length=10), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_try_at', services.db.UTCDateTime(), nullable=False),
        sa.Column('claim', sa.String(length=32), nullable=True),
        sa.Column('claimed_at', services.db.UTCDateTime(), nullable=True),
        sa.Column('last_status', sa.Integer(), nullable=True),
        sa.Column('accepted_at', services.db.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'],
                                name=op.f('fk_push_deliveries_event_id_events'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['subscription_id'], ['push_subscriptions.id'],
                                name=op.f('fk_push_deliveries_subscription_id_push_subscriptions'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_push_deliveries_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_push_deliveries')),
        sa.UniqueConstraint('event_id', 'subscription_id',
                            name=op.f('uq_push_deliveries_event_id')),
    )
    with op.batch_alter_table('push_deliveries', schema=None) as batch_op:
        batch_op.create_index('ix_push_deliveries_due', ['state', 'next_try_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_push_deliveries_subscription_id'),
                              ['subscription_id'], unique=False)

    # Claims are per device now. On SQLite the table is copied, which also gives the event log
    # back its AUTOINCREMENT (lost in 0004's copy): an id is never handed out twice, which
    # the replay since an id relies on. (Foreign keys are off while migrating: no cascade.)
    with op.batch_alter_table('events', schema=None,
                              table_kwargs={'sqlite_autoincrement': True}) as batch_op:
        batch_op.drop_column('push_claimed_at')
        batch_op.create_index('ix_events_push_state', ['push_state', 'created_at'],
                              unique=False)

    with op.batch_alter_table('alarms', schema=None) as batch_op:
        batch_op.add_column(sa.Column('position_status', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('pin_failures', sa.Integer(), nullable=False,
                                      server_default='0'))


def downgrade() -> None:
    with op.batch_alter_table('alarms', schema=None) as batch_op:
        batch_op.drop_column('pin_failures')
        batch_op.drop_column('position_status')
    with op.batch_alter_table('events', schema=None,
                              table_kwargs={'sqlite_autoincrement': True}) as batch_op:
        batch_op.drop_index('ix_events_push_state')
        batch_op.add_column(sa.Column('push_claimed_at', services.db.UTCDateTime(),
                                      nullable=True))
    with op.batch_alter_table('push_deliveries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_push_deliveries_subscription_id'))
        batch_op.drop_index('ix_push_deliveries_due')
    op.drop_table('push_deliveries')
