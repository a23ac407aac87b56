"""case_review.deadline index: notifications and digests look up deadlines due soon on every page

Revision ID: 1101
Revises: 1100
Create Date: 2026-12-03 15:10:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '1101'
down_revision: str | None = '1100'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('case_review', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_review_deadline'), ['deadline'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('case_review', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_review_deadline'))
