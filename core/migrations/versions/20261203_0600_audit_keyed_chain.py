"""audit chain scheme column (keyed HMAC chain; existing rows keep the plain SHA-256 scheme)

Revision ID: 0600
Revises: 0101
Create Date: 2026-12-03 15:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0600'
down_revision: str | None = '0101'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # rows written before this revision were hashed with plain SHA-256 (scheme 1); new rows are keyed (2)
    with op.batch_alter_table('audit_event') as batch_op:
        batch_op.add_column(sa.Column('scheme', sa.Integer(), nullable=False, server_default='1'))


def downgrade() -> None:
    with op.batch_alter_table('audit_event') as batch_op:
        batch_op.drop_column('scheme')
