"""the Inspectie SZW's written report apart from the phone report; ban extensions

Revision ID: 0008
Revises: 0007

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa

import services.db  # noqa: F401  (custom column types)


revision: str = '0008'
down_revision: Union[str, Sequence[str], None] = '0007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

WRITTEN = "('schriftelijk', 'telefonisch_en_schriftelijk')"


def upgrade() -> None:
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('szw_written_at', services.db.UTCDateTime(),
                                      nullable=True))
        batch_op.add_column(sa.Column('szw_written_reference', sa.String(length=100),
                                      nullable=False, server_default=''))
        batch_op.add_column(sa.Column('szw_written_reminded_at', services.db.UTCDateTime(),
                                      nullable=True))
    # A report recorded as written (or both) before the two were kept apart was written then.
    op.execute("UPDATE incidents SET szw_written_at = szw_reported_at, "
               f"szw_written_reference = szw_reference WHERE szw_how IN {WRITTEN}")
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.drop_column('szw_how')
    with op.batch_alter_table('incident_measures', schema=None) as batch_op:
        batch_op.add_column(sa.Column('extended_from', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('incident_measures', schema=None) as batch_op:
        batch_op.drop_column('extended_from')
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('szw_how', sa.String(length=40), nullable=True))
    op.execute("UPDATE incidents SET szw_how = CASE WHEN szw_written_at IS NULL "
               "THEN 'telefonisch' ELSE 'telefonisch_en_schriftelijk' END "
               "WHERE szw_reported_at IS NOT NULL")
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.drop_column('szw_written_reminded_at')
        batch_op.drop_column('szw_written_reference')
        batch_op.drop_column('szw_written_at')
