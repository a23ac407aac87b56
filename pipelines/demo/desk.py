"""The demo's desk part: two demo reviewers confirm a few cases, the desk writes and exports a sample report.

Every step goes through the production functions (``core.cases.confirm`` for both looks of the four-eyes
review, ``core.reports.editing`` and ``core.reports.exporting`` for the report), so what the demo prints
is what a regency would get. Rerunnable: the reviewers are made once, only cases still waiting for a
first look are confirmed, and the sample report is made once and then brought up to date (new confirmed
cases join its annex) while it is a draft.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import accounts, cases
from core.errors import NetralError, NotFound
from core.models import Case, DeskReport, Election, User
from core.models.enums import CaseStatus as S
from core.models.users import Role
from core.reports import case_source, editing, exporting
from core.reports.sections import NEUTRALITY, TITLES
from core.settings import Settings

log = logging.getLogger(__name__)
REVIEWERS = (("rina.demo", "Rina Wulandari (demo)"), ("budi.demo", "Budi Santoso (demo)"))
TITLE = "Laporan Evaluasi Desk Pilkada (contoh demo)"
ACTOR = "demo"

#: One sample entry per editable section: activity, place, responsible unit, indicators, problems, solutions.
ENTRIES: dict[int, tuple[str, str, str, str, str, str]] = {
    1: ("Penetapan SK Bupati tentang Desk Pilkada", "Kantor Bupati", "Bagian Hukum Setda",
        "Anggota desk | 21 | orang", "SK terlambat dua minggu dari jadwal.", "Rapat pleno desk dipercepat."),
    2: ("Pencairan NPHD tahap I untuk KPU dan Bawaslu", "BPKAD", "BPKAD",
        "Realisasi | 40 | %", "Dokumen pertanggungjawaban belum lengkap.", "Pendampingan oleh inspektorat."),
    3: ("Penyediaan ruang sekretariat PPK dan Panwascam", "Kantor Kecamatan", "Bagian Tata Pemerintahan",
        "Kecamatan siap | 12 | kecamatan", "Dua kecamatan belum memiliki ruang.", "Pinjam balai desa."),
    4: ("Fasilitasi pemeriksaan kesehatan pasangan calon", "RSUD Sungai Tenang", "Dinas Kesehatan",
        "Pasangan calon diperiksa | 3 | pasangan", "", ""),
    5: ("Perekaman KTP-el pemilih pemula di sekolah", "SMA Negeri 1 Sungai Tenang", "Disdukcapil",
        "Pemilih pemula direkam | 1250 | orang", "Blangko KTP-el terbatas.", "Cetak surat keterangan."),
    6: ("Sosialisasi partisipasi pemilih dan netralitas ASN", "Gedung Serbaguna", "Badan Kesbangpol",
        "Peserta | 300 | orang", "Kehadiran ASN kecamatan rendah.", "Sosialisasi ulang lewat camat."),
    7: ("Rapat koordinasi distribusi logistik dan pengamanan", "Polres Sungai Tenang", "Satpol PP",
        "Personel pengamanan | 450 | orang", "Akses ke dua desa terputus banjir.", "Distribusi lewat sungai."),
    8: ("Pemantauan rapat pleno rekapitulasi tingkat kecamatan", "Kecamatan Hulu", "Badan Kesbangpol",
        "Kecamatan dipantau | 12 | kecamatan", "Rekapitulasi satu kecamatan tertunda.", "Pendampingan desk."),
    10: ("Penyusunan kesimpulan dan rekomendasi desk", "Kantor Bupati", "Sekretariat Desk Pilkada",
         "Rekomendasi | 5 | butir", "", "Laporan disampaikan kepada Gubernur dan Mendagri."),
}


@dataclass
class DeskDemo:
    """What the desk part did."""

    confirmed: list[int] = field(default_factory=list)
    report_id: int = 0
    annex: int = 0
    #: format -> the exported bytes (the caller writes them once the transaction committed)
    files: dict[str, bytes] = field(default_factory=dict)


def reviewers(session: Session) -> tuple[User, User]:
    """The two demo reviewers (made on first use, with a random password nobody knows: set one with
    ``netral users`` to log in as them)."""
    found = []
    for username, name in REVIEWERS:
        try:
            found.append(accounts.get_user(session, username))
        except NotFound:
            found.append(accounts.create_user(session, username, Role.REVIEWER, secrets.token_urlsafe(18), name,
                                              actor=ACTOR))
    return found[0], found[1]


def confirm_some(session: Session, settings: Settings, election: Election, limit: int) -> list[int]:
    """Both looks of the four-eyes review on up to ``limit`` cases waiting for a first look, highest
    priority first; returns the ids of the cases confirmed."""
    first, second = reviewers(session)
    waiting = session.scalars(select(Case).where(Case.election_id == election.id,
                                                 Case.status.in_((S.DETECTED, S.IN_TRIAGE)))
                              .order_by(Case.priority.desc(), Case.id).limit(limit))
    done = []
    for case in list(waiting):
        cases.confirm(session, case, first, settings, note="demo: konten kampanye pasangan calon",
                      version=case.version)
        if cases.confirm(session, case, second, settings, version=case.version) == S.CONFIRMED:
            done.append(case.id)
    return done


def sample_report(session: Session, election: Election) -> DeskReport:
    """The demo's draft report with an entry in every editable section (made once)."""
    report = session.scalar(select(DeskReport).where(DeskReport.election_id == election.id,
                                                     DeskReport.title == TITLE, DeskReport.status == "draft")
                            .order_by(DeskReport.id.desc()))
    if report is not None:
        return report
    start = election.candidates_fixed or election.campaign_start or election.voting_day
    end = election.voting_day or start
    if start is None or end is None:
        raise NetralError(f"election {election.slug} has no calendar: the sample report needs its period")
    report = editing.create_report(session, election, TITLE, start.isoformat(), end.isoformat(), ACTOR,
                                   chair_name="Drs. Hendra Saputra, M.Si.", chair_nip="197001011995031001",
                                   sign_place=election.region.removeprefix("Kabupaten ").strip())
    for number in TITLES:
        if number == NEUTRALITY:
            continue
        sec = editing.section(report, number)
        editing.save_section(session, report, number, f"Contoh uraian bagian {number} ({TITLES[number]}) "
                             "untuk demo netral.", sec.version, ACTOR)
        activity, place, unit, indicators, problems, solutions = ENTRIES[number]
        editing.save_entry(session, report, number, None, editing.parse_entry({
            "activity": activity, "on_date": start.isoformat(), "place": place, "unit": unit,
            "indicators": indicators, "problems": problems, "solutions": solutions, "status": "selesai"}),
            None, ACTOR)
    session.expire(report, ["sections"])
    return report


def run_desk_demo(session: Session, settings: Settings, election: Election, confirm: int = 3) -> DeskDemo:
    """Confirm up to ``confirm`` cases, put every confirmed case in the sample report, export it as DOCX,
    PDF and XLSX (each export archived and audited)."""
    result = DeskDemo(confirmed=confirm_some(session, settings, election, confirm))
    report = sample_report(session, election)
    for row in case_source.confirmed_cases(session, election):
        editing.add_case(session, report, row.case_id, ACTOR)
    result.report_id, result.annex = report.id, len(report.cases)
    for fmt in exporting.FORMATS:
        result.files[fmt] = exporting.export(session, settings, report, fmt, ACTOR, Role.DESK).data
    return result


def write_files(demo: DeskDemo, outdir: Path) -> dict[str, Path]:
    """Put the exports in ``outdir`` (each whole or not at all); returns ``{format: path}``."""
    outdir.mkdir(parents=True, exist_ok=True)
    paths = {}
    for fmt, data in demo.files.items():
        path = outdir / f"laporan-desk-{demo.report_id}.{fmt}"
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
        paths[fmt] = path
    return paths
