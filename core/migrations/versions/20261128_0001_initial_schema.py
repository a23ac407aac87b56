"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-28 01:38:37.404266
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# SKB 2022 annex (domain.md §2): code, track, conduct (id), conduct (en), social media, level, unconfirmed, paired
VIOLATIONS = [
    ("KE-1", "ethics", "Memasang spanduk/baliho/alat peraga kampanye bakal calon/calon",
     "Banners, billboards or campaign props for a candidate", False, "moral", False, "HD-1"),
    ("KE-2", "ethics", "Sosialisasi/kampanye bakal calon/calon melalui media sosial/media daring",
     "Campaigning or 'socialising' a candidate on social media / online", True, "moral", False, "HD-2"),
    ("KE-3", "ethics", "Menghadiri deklarasi/kampanye dan berpartisipasi aktif mendukung",
     "Attending a declaration or campaign and actively supporting", False, "moral", False, "HD-4"),
    ("KE-4", "ethics",
     "Membuat posting, comment, share, like, bergabung/follow grup atau akun pemenangan bakal calon/calon",
     "Posting, commenting, sharing, liking, joining or following a candidate's group or winning-team account",
     True, "moral", False, "HD-6"),
    ("KE-5", "ethics",
     "Memposting foto bersama bakal calon/tim sukses dengan simbol keberpihakan/atribut partai",
     "Posting photos with a candidate or campaign team showing partisan symbols, party attributes, props",
     True, "moral", False, "HD-7"),
    ("KE-6", "ethics", "Ikut dalam kegiatan kampanye/sosialisasi/pengenalan bakal calon/calon",
     "Joining campaign, socialisation or introduction events", False, "moral", False, None),
    ("KE-7", "ethics", "Mengikuti kampanye suami/istri calon tanpa cuti di luar tanggungan negara",
     "Attending a spouse-candidate's campaign without unpaid leave", False, "moral", False, None),
    ("HD-1", "discipline", "Memasang spanduk/baliho/alat peraga kampanye bakal calon/calon",
     "Banners, billboards or campaign props for a candidate", False, "heavy", False, "KE-1"),
    ("HD-2", "discipline", "Sosialisasi/kampanye bakal calon/calon melalui media sosial/media daring",
     "Campaigning or 'socialising' a candidate on social media / online", True, "heavy", False, "KE-2"),
    ("HD-3", "discipline", "Melakukan pendekatan kepada partai politik/masyarakat sebagai bakal calon",
     "Approaching a party or the public as a prospective candidate", False, "medium", False, None),
    ("HD-4", "discipline", "Menghadiri deklarasi/kampanye dan berpartisipasi aktif mendukung",
     "Attending a declaration or campaign and actively supporting", False, "heavy", False, "KE-3"),
    ("HD-5", "discipline", "Menjadi anggota/pengurus partai politik",
     "Party member or officer", False, "dismissal", False, None),
    ("HD-6", "discipline",
     "Membuat posting, comment, share, like, bergabung/follow grup atau akun pemenangan bakal calon/calon",
     "Posting, commenting, sharing, liking, joining or following a candidate's group or winning-team account",
     True, "heavy", False, "KE-4"),
    ("HD-7", "discipline",
     "Memposting foto bersama bakal calon/tim sukses dengan simbol keberpihakan/atribut partai",
     "Posting photos with a candidate or campaign team showing partisan symbols, party attributes, props",
     True, "heavy", False, "KE-5"),
    ("HD-8", "discipline", "Kegiatan keberpihakan: pertemuan, ajakan, imbauan, seruan, pemberian barang",
     "Partisan activities: meetings, invitations, appeals, gifts", False, "medium_or_heavy", True, None),
    ("HD-9", "discipline", "Menjadi tim ahli/tim pemenangan/konsultan bakal calon/calon",
     "Expert, campaign-team member or consultant for a candidate", False, "heavy", True, None),
    ("HD-10", "discipline", "Memberikan surat dukungan/fotokopi KTP bagi calon perseorangan",
     "Support letter or KTP copy for an independent candidate", False, "heavy", False, None),
    ("HD-11", "discipline", "Membuat keputusan/tindakan yang menguntungkan atau merugikan calon",
     "Decisions or actions that benefit or harm a candidate", False, "heavy", False, None),
]

AUDIT_TRIGGERS = {
    "sqlite": [
        "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
        "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END",
        "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event "
        "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END",
    ],
    "postgresql": [
        "CREATE FUNCTION audit_event_append_only() RETURNS trigger AS $$ "
        "BEGIN RAISE EXCEPTION 'audit_event is append-only'; END; $$ LANGUAGE plpgsql",
        "CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON audit_event "
        "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()",
    ],
}
AUDIT_TRIGGERS_DROP = {
    "sqlite": ["DROP TRIGGER IF EXISTS audit_event_no_update", "DROP TRIGGER IF EXISTS audit_event_no_delete"],
    "postgresql": [
        "DROP TRIGGER IF EXISTS audit_event_no_change ON audit_event",
        "DROP FUNCTION IF EXISTS audit_event_append_only()",
    ],
}


def _seed_violations() -> None:
    table = sa.table(
        "violation_type",
        sa.column("code", sa.String), sa.column("track", sa.String), sa.column("conduct", sa.Text),
        sa.column("conduct_en", sa.Text), sa.column("social_media", sa.Boolean),
        sa.column("level", sa.String), sa.column("unconfirmed", sa.Boolean),
        sa.column("paired_code", sa.String), sa.column("active", sa.Boolean),
        sa.column("created_at", sa.DateTime(timezone=True)), sa.column("updated_at", sa.DateTime(timezone=True)),
    )
    now = datetime.now(UTC)
    keys = ("code", "track", "conduct", "conduct_en", "social_media", "level", "unconfirmed", "paired_code")
    op.bulk_insert(table, [dict(zip(keys, row, strict=True), active=True, created_at=now, updated_at=now)
                           for row in VIOLATIONS])


def upgrade() -> None:
    op.create_table('audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('object_type', sa.String(length=64), nullable=True),
    sa.Column('object_id', sa.String(length=128), nullable=True),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event')),
    sa.UniqueConstraint('hash', name=op.f('uq_audit_event_hash'))
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_event_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_at'), ['at'], unique=False)

    op.create_table('election',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=100), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('region', sa.String(length=200), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('candidates_fixed', sa.Date(), nullable=True),
    sa.Column('campaign_start', sa.Date(), nullable=True),
    sa.Column('campaign_end', sa.Date(), nullable=True),
    sa.Column('quiet_start', sa.Date(), nullable=True),
    sa.Column('quiet_end', sa.Date(), nullable=True),
    sa.Column('voting_day', sa.Date(), nullable=True),
    sa.Column('calendar', sa.JSON(), nullable=False),
    sa.Column('source', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_election')),
    sa.UniqueConstraint('slug', name=op.f('uq_election_slug'))
    )
    op.create_table('employee',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employee_type', sa.String(length=16), nullable=False),
    sa.Column('id_number', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('unit', sa.String(length=200), nullable=False),
    sa.Column('position', sa.String(length=200), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('appointment', sa.String(length=8), nullable=True),
    sa.Column('gender', sa.String(length=1), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_employee')),
    sa.UniqueConstraint('id_number', name=op.f('uq_employee_id_number'))
    )
    with op.batch_alter_table('employee', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_employee_unit'), ['unit'], unique=False)

    op.create_table('evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('media_type', sa.String(length=128), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('fetched_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('source_url', sa.Text(), nullable=True),
    sa.Column('http_status', sa.Integer(), nullable=True),
    sa.Column('headers', sa.JSON(), nullable=False),
    sa.Column('stored_path', sa.String(length=512), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence')),
    sa.UniqueConstraint('sha256', name=op.f('uq_evidence_sha256'))
    )
    op.create_table('violation_type',
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('track', sa.String(length=16), nullable=False),
    sa.Column('conduct', sa.Text(), nullable=False),
    sa.Column('conduct_en', sa.Text(), nullable=False),
    sa.Column('social_media', sa.Boolean(), nullable=False),
    sa.Column('level', sa.String(length=32), nullable=False),
    sa.Column('unconfirmed', sa.Boolean(), nullable=False),
    sa.Column('paired_code', sa.String(length=16), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_violation_type'))
    )
    op.create_table('candidate_pair',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('election_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('candidate', sa.String(length=200), nullable=False),
    sa.Column('running_mate', sa.String(length=200), nullable=True),
    sa.Column('aliases', sa.JSON(), nullable=False),
    sa.Column('hashtags', sa.JSON(), nullable=False),
    sa.Column('parties', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['election_id'], ['election.id'], name=op.f('fk_candidate_pair_election_id_election'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_candidate_pair')),
    sa.UniqueConstraint('election_id', 'number', name=op.f('uq_candidate_pair_election_id_number'))
    )
    with op.batch_alter_table('candidate_pair', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_candidate_pair_election_id'), ['election_id'], unique=False)

    op.create_table('content_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform', sa.String(length=16), nullable=False),
    sa.Column('native_id', sa.String(length=512), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('author_handle', sa.String(length=255), nullable=True),
    sa.Column('author_id', sa.String(length=255), nullable=True),
    sa.Column('author_name', sa.String(length=255), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('lang', sa.String(length=16), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('fetched_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('parent_native_id', sa.String(length=512), nullable=True),
    sa.Column('evidence_id', sa.Integer(), nullable=True),
    sa.Column('extra', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['evidence_id'], ['evidence.id'], name=op.f('fk_content_item_evidence_id_evidence'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_content_item')),
    sa.UniqueConstraint('platform', 'native_id', name=op.f('uq_content_item_platform_native_id'))
    )
    with op.batch_alter_table('content_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_content_item_evidence_id'), ['evidence_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_content_item_fetched_at'), ['fetched_at'], unique=False)
        batch_op.create_index('ix_content_item_platform_author_id', ['platform', 'author_id'], unique=False)

    op.create_table('social_account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('platform', sa.String(length=16), nullable=False),
    sa.Column('handle', sa.String(length=255), nullable=False),
    sa.Column('platform_id', sa.String(length=255), nullable=True),
    sa.Column('declared_on', sa.Date(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('deactivated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_social_account_employee_id_employee'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_social_account')),
    sa.UniqueConstraint('platform', 'handle', name=op.f('uq_social_account_platform_handle'))
    )
    with op.batch_alter_table('social_account', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_social_account_employee_id'), ['employee_id'], unique=False)
        batch_op.create_index('ix_social_account_platform_platform_id', ['platform', 'platform_id'], unique=False)

    op.create_table('campaign_account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pair_id', sa.Integer(), nullable=False),
    sa.Column('platform', sa.String(length=16), nullable=False),
    sa.Column('handle', sa.String(length=255), nullable=False),
    sa.Column('platform_id', sa.String(length=255), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['pair_id'], ['candidate_pair.id'], name=op.f('fk_campaign_account_pair_id_candidate_pair'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign_account')),
    sa.UniqueConstraint('pair_id', 'platform', 'handle', name=op.f('uq_campaign_account_pair_id_platform_handle'))
    )
    with op.batch_alter_table('campaign_account', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaign_account_pair_id'), ['pair_id'], unique=False)

    op.create_table('case',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('election_id', sa.Integer(), nullable=True),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('target_key', sa.String(length=600), nullable=False),
    sa.Column('target_content_id', sa.Integer(), nullable=True),
    sa.Column('platform', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('priority', sa.Float(), nullable=False),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('pair_number', sa.Integer(), nullable=True),
    sa.Column('stance', sa.String(length=16), nullable=True),
    sa.Column('model_version', sa.String(length=64), nullable=True),
    sa.Column('candidate_codes', sa.JSON(), nullable=False),
    sa.Column('rule_elements', sa.JSON(), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['election_id'], ['election.id'], name=op.f('fk_case_election_id_election'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['employee_id'], ['employee.id'], name=op.f('fk_case_employee_id_employee'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['target_content_id'], ['content_item.id'], name=op.f('fk_case_target_content_id_content_item'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case')),
    sa.UniqueConstraint('employee_id', 'target_key', name=op.f('uq_case_employee_id_target_key'))
    )
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_election_id'), ['election_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_employee_id'), ['employee_id'], unique=False)
        batch_op.create_index('ix_case_status_priority', ['status', 'priority'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_target_content_id'), ['target_content_id'], unique=False)

    op.create_table('classification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('content_id', sa.Integer(), nullable=False),
    sa.Column('model_version', sa.String(length=64), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('campaign', sa.Boolean(), nullable=False),
    sa.Column('pair_number', sa.Integer(), nullable=True),
    sa.Column('stance', sa.String(length=16), nullable=False),
    sa.Column('uncertainty', sa.Float(), nullable=True),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['content_id'], ['content_item.id'], name=op.f('fk_classification_content_id_content_item'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_classification')),
    sa.UniqueConstraint('content_id', 'model_version', name=op.f('uq_classification_content_id_model_version'))
    )
    with op.batch_alter_table('classification', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_classification_content_id'), ['content_id'], unique=False)

    op.create_table('interaction',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform', sa.String(length=16), nullable=False),
    sa.Column('native_id', sa.String(length=512), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('actor_account_id', sa.Integer(), nullable=False),
    sa.Column('target_content_id', sa.Integer(), nullable=True),
    sa.Column('own_content_id', sa.Integer(), nullable=True),
    sa.Column('target_account', sa.String(length=255), nullable=True),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('fetched_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('evidence_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['actor_account_id'], ['social_account.id'], name=op.f('fk_interaction_actor_account_id_social_account'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['evidence_id'], ['evidence.id'], name=op.f('fk_interaction_evidence_id_evidence'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['own_content_id'], ['content_item.id'], name=op.f('fk_interaction_own_content_id_content_item'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['target_content_id'], ['content_item.id'], name=op.f('fk_interaction_target_content_id_content_item'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interaction')),
    sa.UniqueConstraint('platform', 'native_id', name=op.f('uq_interaction_platform_native_id'))
    )
    with op.batch_alter_table('interaction', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_interaction_actor_account_id'), ['actor_account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_interaction_evidence_id'), ['evidence_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_interaction_fetched_at'), ['fetched_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_interaction_target_content_id'), ['target_content_id'], unique=False)

    op.create_table('case_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('from_status', sa.String(length=32), nullable=True),
    sa.Column('to_status', sa.String(length=32), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_case_event_case_id_case'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_event'))
    )
    with op.batch_alter_table('case_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_event_case_id'), ['case_id'], unique=False)

    op.create_table('case_interaction',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('interaction_id', sa.Integer(), nullable=False),
    sa.Column('attached_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_case_interaction_case_id_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['interaction_id'], ['interaction.id'], name=op.f('fk_case_interaction_interaction_id_interaction'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_interaction')),
    sa.UniqueConstraint('case_id', 'interaction_id', name=op.f('uq_case_interaction_case_id_interaction_id'))
    )
    with op.batch_alter_table('case_interaction', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_interaction_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_interaction_interaction_id'), ['interaction_id'], unique=False)


    _seed_violations()
    for statement in AUDIT_TRIGGERS.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def downgrade() -> None:
    for statement in AUDIT_TRIGGERS_DROP.get(op.get_bind().dialect.name, []):
        op.execute(statement)
    with op.batch_alter_table('case_interaction', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_interaction_interaction_id'))
        batch_op.drop_index(batch_op.f('ix_case_interaction_case_id'))

    op.drop_table('case_interaction')
    with op.batch_alter_table('case_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_event_case_id'))

    op.drop_table('case_event')
    with op.batch_alter_table('interaction', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_interaction_target_content_id'))
        batch_op.drop_index(batch_op.f('ix_interaction_fetched_at'))
        batch_op.drop_index(batch_op.f('ix_interaction_evidence_id'))
        batch_op.drop_index(batch_op.f('ix_interaction_actor_account_id'))

    op.drop_table('interaction')
    with op.batch_alter_table('classification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_classification_content_id'))

    op.drop_table('classification')
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_target_content_id'))
        batch_op.drop_index('ix_case_status_priority')
        batch_op.drop_index(batch_op.f('ix_case_employee_id'))
        batch_op.drop_index(batch_op.f('ix_case_election_id'))

    op.drop_table('case')
    with op.batch_alter_table('campaign_account', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_campaign_account_pair_id'))

    op.drop_table('campaign_account')
    with op.batch_alter_table('social_account', schema=None) as batch_op:
        batch_op.drop_index('ix_social_account_platform_platform_id')
        batch_op.drop_index(batch_op.f('ix_social_account_employee_id'))

    op.drop_table('social_account')
    with op.batch_alter_table('content_item', schema=None) as batch_op:
        batch_op.drop_index('ix_content_item_platform_author_id')
        batch_op.drop_index(batch_op.f('ix_content_item_fetched_at'))
        batch_op.drop_index(batch_op.f('ix_content_item_evidence_id'))

    op.drop_table('content_item')
    with op.batch_alter_table('candidate_pair', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_candidate_pair_election_id'))

    op.drop_table('candidate_pair')
    op.drop_table('violation_type')
    op.drop_table('evidence')
    with op.batch_alter_table('employee', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_employee_unit'))

    op.drop_table('employee')
    op.drop_table('election')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_event_at'))
        batch_op.drop_index(batch_op.f('ix_audit_event_action'))

    op.drop_table('audit_event')
