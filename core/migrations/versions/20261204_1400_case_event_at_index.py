"""case_event.at indexed: the queue's progress line counts today's decisions on every page load

Revision ID: 1400
Revises: 1300
Create Date: 2026-12-04 06:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '1400'
down_revision: str | None = '1300'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('case_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_event_at'), ['at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('case_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_event_at'))
