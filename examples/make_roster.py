"""Generate the fictional roster of Kabupaten Sungai Tenang (deterministic; invented names only).

Run ``python examples/make_roster.py`` to rewrite ``examples/roster.csv``. Names are combined from
common Indonesian given names and invented family names; no row describes a real person.
"""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path

UNITS = [
    "Sekretariat Daerah", "Dinas Pendidikan", "Dinas Kesehatan", "RSUD Sungai Tenang",
    "Dinas Pekerjaan Umum dan Penataan Ruang", "Dinas Sosial", "Dinas Kependudukan dan Pencatatan Sipil",
    "Badan Kepegawaian dan Pengembangan SDM", "Badan Pengelolaan Keuangan dan Aset Daerah", "Inspektorat",
    "Dinas Pertanian dan Pangan", "Dinas Perhubungan", "Dinas Komunikasi dan Informatika",
    "Kecamatan Tanjung Sepat", "Kecamatan Muara Lestari",
]
POSITIONS = ["Analis Kebijakan", "Pengelola Keuangan", "Guru Ahli Pertama", "Perawat Terampil", "Penata Kelola",
             "Pranata Komputer", "Staf Pelaksana", "Kepala Seksi", "Kepala Subbagian", "Bidan Terampil",
             "Penyuluh Pertanian", "Operator Layanan", "Pengadministrasi Umum", "Dokter Ahli Pertama"]
GIVEN_M = ["Agus", "Bayu", "Dedi", "Eko", "Fajar", "Gilang", "Hendra", "Irfan", "Joko", "Rudi", "Sigit",
           "Taufik", "Wahyu", "Yusuf", "Arif", "Bambang", "Dimas", "Hadi", "Rizal", "Andi"]
GIVEN_F = ["Ayu", "Citra", "Dewi", "Fitri", "Indah", "Lestari", "Maya", "Nur", "Putri", "Rina", "Sari",
           "Tari", "Wulan", "Yuni", "Ratna", "Sinta", "Nadia", "Kartika", "Melati", "Intan"]
FAMILY = ["Wiranata", "Sukmajaya", "Permadi", "Tirtasari", "Lembayung", "Kusumadewa", "Haryatama",
          "Saptaningrum", "Wibisara", "Pranadipa", "Marganingsih", "Adiwangsa", "Setyaluhur", "Rahardiyan",
          "Nugraheni", "Mahendrata", "Purbasari", "Andalasa", "Jatmikora", "Sundaresta"]


def _nip(rng: random.Random, born: date, gender: str, serial: int) -> str:
    tmt = date(max(born.year + 22 + rng.randint(0, 12), 2000), rng.randint(1, 12), 1)
    tmt = min(tmt, date(2023, 12, 1))
    return f"{born:%Y%m%d}{tmt:%Y%m}{gender}{serial:03d}"


def _ni_pppk(rng: random.Random, born: date, gender: str, serial: int) -> str:
    return f"{born:%Y%m%d}{rng.choice([2021, 2022, 2023])}{rng.randint(21, 23)}{gender}{serial:03d}"


def _handle(rng: random.Random, given: str, family: str) -> str:
    return rng.choice([f"{given}{family[:4]}", f"{given}.{family}", f"{given}_{rng.randint(10, 99)}"]).lower()


def build(seed: int = 2024, count: int = 204) -> list[dict[str, str]]:
    """The roster rows (PNS, PPPK and contract staff with 0-3 accounts each)."""
    rng = random.Random(seed)  # noqa: S311 - reproducible fake data, not security
    rows, used = [], set()
    for i in range(count):
        gender = rng.choice("12")
        given = rng.choice(GIVEN_M if gender == "1" else GIVEN_F)
        family = rng.choice(FAMILY)
        born = date(1965, 1, 1) + timedelta(days=rng.randint(0, 365 * 35))
        kind = rng.choices(["PNS", "PPPK", "Honorer"], weights=[60, 25, 15])[0]
        if kind == "PNS":
            number = _nip(rng, born, gender, i + 1)
        elif kind == "PPPK":
            number = _ni_pppk(rng, born, gender, i + 1)
        else:
            number = f"THL-{2019 + i % 5}-{i + 1:04d}"
        row = {"NIP": number, "Nama": f"{given} {family}", "Unit Kerja": UNITS[i % len(UNITS)],
               "Jabatan": rng.choice(POSITIONS), "Jenis Pegawai": kind,
               "Bluesky": "", "Mastodon": "", "YouTube": "", "X": "", "Facebook": ""}
        for platform in rng.sample(["Bluesky", "Mastodon", "YouTube", "X", "Facebook"], rng.choice([0, 1, 1, 2, 2, 3])):
            base = _handle(rng, given, family)
            while base in used:
                base = f"{base}{rng.randint(1, 9)}"
            used.add(base)
            row[platform] = {
                "Bluesky": f"{base.replace('_', '-').replace('.', '-')}.test",
                "Mastodon": f"{base.replace('.', '_')}@mastodon.test",
                "YouTube": f"@{base}",
                "X": base.replace(".", "_")[:15],
                "Facebook": base.replace("_", ".") if len(base) >= 5 else f"{base}.fb",
            }[platform]
        rows.append(row)
    # Two legacy numbers with known defects, as real rosters have: imported with warnings.
    rows[40]["NIP"] = rows[40]["NIP"][:12] + "13" + rows[40]["NIP"][14:]
    rows[41]["NIP"] = rows[41]["NIP"][:14] + "3" + rows[41]["NIP"][15:]
    return rows


def main() -> None:
    rows = build()
    out = Path(__file__).with_name("roster.csv")
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} employees to {out}")


if __name__ == "__main__":
    main()
