"""login_attempt.outcome (success / failure / throttled / unlock) replaces success; index per (user, address)

A refused (throttled) attempt used to be stored as a failure, so a victim's own correct logins during a
lock extended it; the outcome tells them apart, and an administrator's unlock is a marker row.

Revision ID: 1200
Revises: 0500
Create Date: 2026-12-04 00:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '1200'
down_revision: str | None = '0500'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('login_attempt', schema=None) as batch_op:
        batch_op.add_column(sa.Column('outcome', sa.String(length=16), nullable=False,
                                      server_default='failure'))
    op.execute("UPDATE login_attempt SET outcome = 'success' WHERE success")
    with op.batch_alter_table('login_attempt', schema=None) as batch_op:
        batch_op.alter_column('outcome', server_default=None)
        batch_op.drop_column('success')
        batch_op.create_index('ix_login_attempt_pair', ['username', 'client', 'at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('login_attempt', schema=None) as batch_op:
        batch_op.drop_index('ix_login_attempt_pair')
        batch_op.add_column(sa.Column('success', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.execute("UPDATE login_attempt SET success = (outcome = 'success')")
    op.execute("DELETE FROM login_attempt WHERE outcome = 'unlock'")
    with op.batch_alter_table('login_attempt', schema=None) as batch_op:
        batch_op.alter_column('success', server_default=None)
        batch_op.drop_column('outcome')
