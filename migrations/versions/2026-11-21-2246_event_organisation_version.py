"""event and organisation version (ETags, If-Match)

Revision ID: 8e94b5243a7e
Revises: daa6378998da
Create Date: 2026-11-21 22:46:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '8e94b5243a7e'
down_revision: str | None = 'daa6378998da'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # existing rows start at version 1, like new ones
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_column('version')
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_column('version')
