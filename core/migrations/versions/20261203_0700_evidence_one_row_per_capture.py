"""evidence: one row per capture (capture_key unique), files shared by sha256

Until now ``evidence`` was unique by SHA-256, so a second request returning the same bytes reused the
first request's row (URL, time, headers). Each capture is now its own row, keyed by ``capture_key``
(see ``core.evidence.Capture.key``); ``sha256`` stays as the pointer into the content-addressed file
store, indexed but no longer unique. Existing rows are kept as they are, each one the capture it
recorded; they get a key derived from their id, which no new capture can produce.

Revision ID: 0700
Revises: 0101
Create Date: 2026-12-03 15:30:00
"""

import hashlib
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0700'
down_revision: str | None = '0600'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('evidence') as batch:
        batch.add_column(sa.Column('capture_key', sa.String(length=64), nullable=True))
    bind = op.get_bind()
    evidence = sa.table('evidence', sa.column('id', sa.Integer()), sa.column('sha256', sa.String()),
                        sa.column('capture_key', sa.String()))
    rows = bind.execute(sa.select(evidence.c.id, evidence.c.sha256)).all()
    for row_id, sha in rows:
        key = hashlib.sha256(f"migrated-0700|{row_id}|{sha}".encode()).hexdigest()
        bind.execute(evidence.update().where(evidence.c.id == row_id).values(capture_key=key))
    with op.batch_alter_table('evidence') as batch:
        batch.alter_column('capture_key', existing_type=sa.String(length=64), nullable=False)
        batch.drop_constraint('uq_evidence_sha256', type_='unique')
        batch.create_unique_constraint(batch.f('uq_evidence_capture_key'), ['capture_key'])
        batch.create_index(batch.f('ix_evidence_sha256'), ['sha256'], unique=False)


def downgrade() -> None:
    # several captures of one body become one row again: keep the oldest capture of each file
    bind = op.get_bind()
    bind.execute(sa.text(
        "UPDATE content_item SET evidence_id = (SELECT MIN(e2.id) FROM evidence e1 JOIN evidence e2 "
        "ON e1.sha256 = e2.sha256 WHERE e1.id = content_item.evidence_id) WHERE evidence_id IS NOT NULL"))
    for table, column in (('interaction', 'evidence_id'), ('crawl_error', 'evidence_id'),
                          ('report', 'page_evidence_id'), ('report_file', 'evidence_id')):
        bind.execute(sa.text(
            f"UPDATE {table} SET {column} = (SELECT MIN(e2.id) FROM evidence e1 JOIN evidence e2 "
            f"ON e1.sha256 = e2.sha256 WHERE e1.id = {table}.{column}) WHERE {column} IS NOT NULL"))
    bind.execute(sa.text("DELETE FROM evidence WHERE id NOT IN (SELECT MIN(id) FROM evidence GROUP BY sha256)"))
    with op.batch_alter_table('evidence') as batch:
        batch.drop_index(batch.f('ix_evidence_sha256'))
        batch.drop_constraint('uq_evidence_capture_key', type_='unique')
        batch.create_unique_constraint('uq_evidence_sha256', ['sha256'])
        batch.drop_column('capture_key')
