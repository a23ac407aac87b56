"""crawl_run.status holds finished_with_errors (32 characters)

Revision ID: 0701
Revises: 0700
Create Date: 2026-12-03 15:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0701'
down_revision: str | None = '0700'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('crawl_run') as batch:
        batch.alter_column('status', existing_type=sa.String(length=16), type_=sa.String(length=32),
                           existing_nullable=False)


def downgrade() -> None:
    op.execute("UPDATE crawl_run SET status = 'finished' WHERE status = 'finished_with_errors'")
    op.execute("UPDATE crawl_run SET status = substr(status, 1, 16)")
    with op.batch_alter_table('crawl_run') as batch:
        batch.alter_column('status', existing_type=sa.String(length=32), type_=sa.String(length=16),
                           existing_nullable=False)
