"""The ten sections of the desk's evaluation report (domain.md §4) and the stages section 8 starts with.

No official template is known; this outline is the reasonable one domain.md gives. Section 9 is never
typed: :mod:`core.reports.neutrality` computes it from the cases.
"""

from __future__ import annotations

from datetime import date

from core.models import Election

NEUTRALITY = 9
STAGES_SECTION = 8

TITLES: dict[int, str] = {
    1: "Dasar Hukum dan Keanggotaan Desk",
    2: "Dukungan Pendanaan (NPHD) dan Realisasi",
    3: "Personel dan Sarana Sekretariat PPK/PPS/Panwascam",
    4: "Pemeriksaan Kesehatan Pasangan Calon",
    5: "Pelayanan KTP-el bagi Pemilih Pemula",
    6: "Sosialisasi dan Partisipasi Pemilih",
    7: "Dukungan Logistik dan Keamanan",
    8: "Pemantauan Tahapan, Permasalahan dan Solusi",
    9: "Netralitas ASN",
    10: "Kesimpulan dan Rekomendasi",
}


def calendar_stages(election: Election) -> list[tuple[str, str, date | None]]:
    """(key, Indonesian name, first day) of each stage of the election's calendar, in order."""
    stages: list[tuple[str, str, date | None]] = [
        ("candidates_fixed", "Penetapan pasangan calon", election.candidates_fixed),
        ("campaign", "Masa kampanye", election.campaign_start),
        ("quiet", "Masa tenang", election.quiet_start),
        ("voting", "Pemungutan dan penghitungan suara", election.voting_day),
    ]
    known = {"candidates_fixed", "campaign", "quiet", "voting"}
    for key, value in sorted((election.calendar or {}).items()):
        if key in known:
            continue
        first = value.get("start") if isinstance(value, dict) else value
        try:
            day = date.fromisoformat(str(first)) if first else None
        except ValueError:
            day = None
        stages.append((key, key.replace("_", " ").capitalize(), day))
    return stages
