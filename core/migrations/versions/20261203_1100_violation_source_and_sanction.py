"""violation_type: the annex's source citation and the sanction wording (PP 94/2021 level for discipline)

Revision ID: 1100
Revises: 0101
Create Date: 2026-12-03 14:50:00

The reviewer sees each candidate code with the conduct text, its track and, for discipline, the PP 94/2021
level in words, and where it comes from. Both new columns are ordinary editable reference data; the seed
below fills the 18 rows of domain.md §2.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '1100'
down_revision: str | None = '0800'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SKB = ("Lampiran Keputusan Bersama MenPANRB, Mendagri, Kepala BKN, Ketua KASN dan Ketua Bawaslu "
       "Nomor 2 Tahun 2022, 800-5474 Tahun 2022, 246 Tahun 2022, 30 Tahun 2022, 1447.1/PM.01/K.1/09/2022 "
       "tanggal 22 September 2022")
SOURCE = {"ethics": f"{SKB}, daftar pelanggaran kode etik ASN",
          "discipline": f"{SKB}, daftar pelanggaran disiplin PNS; tingkat hukuman menurut PP 94/2021 Pasal 8"}
SANCTION = {
    "moral": "Sanksi moral: pernyataan secara tertutup atau terbuka",
    "medium": "Hukuman disiplin sedang (PP 94/2021 Pasal 8 ayat (3)): pemotongan tunjangan kinerja 25% "
              "selama 6, 9 atau 12 bulan",
    "heavy": "Hukuman disiplin berat (PP 94/2021 Pasal 8 ayat (4)): penurunan jabatan setingkat lebih rendah "
             "selama 12 bulan, pembebasan dari jabatan menjadi jabatan pelaksana selama 12 bulan, atau "
             "pemberhentian dengan hormat tidak atas permintaan sendiri",
    "medium_or_heavy": "Hukuman disiplin sedang atau berat (PP 94/2021 Pasal 8 ayat (3) atau (4)) [belum "
                       "dipastikan]",
    "dismissal": "Pemberhentian tidak dengan hormat (PTDH) sebagai PNS",
}


def upgrade() -> None:
    with op.batch_alter_table('violation_type', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('sanction', sa.Text(), nullable=False, server_default=''))
    table = sa.table("violation_type", sa.column("track", sa.String), sa.column("level", sa.String),
                     sa.column("source", sa.Text), sa.column("sanction", sa.Text))
    for track, source in SOURCE.items():
        op.execute(table.update().where(table.c.track == track).values(source=source))
    for level, sanction in SANCTION.items():
        op.execute(table.update().where(table.c.level == level).values(sanction=sanction))


def downgrade() -> None:
    with op.batch_alter_table('violation_type', schema=None) as batch_op:
        batch_op.drop_column('sanction')
        batch_op.drop_column('source')
