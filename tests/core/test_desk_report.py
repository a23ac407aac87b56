"""Desk report and referral dossier on a real migrated database: exports reopened, refusals, tampering."""

from __future__ import annotations

import io
import subprocess
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from core import keys
from core.evidence import EvidenceArchive
from core.models import Case, CaseEvent, DeskReport, IncidentInteraction
from core.models.cases import NOT_PROVEN
from core.reports import archive, case_source, dossier, editing, exporting
from core.reports.errors import AttachmentRefused, NotConfirmed, ReportFinal, VersionConflict
from core.settings import Settings
from tests import factories
from tests.conftest import require_tool


def _report(session: Session, settings: Settings) -> tuple[DeskReport, list[Case]]:
    el = factories.election(session)
    made = []
    for status in ("detected", "confirmed", "dismissed", "forwarded", "confirmed"):
        emp = factories.employee(session, name=f"Pegawai Rahasia {status}", unit="Dinas Pendidikan")
        acc = factories.account(session, emp)
        target = factories.content(session)
        inter = factories.interaction(session, actor=acc, target=target)
        ev = archive.store(session, EvidenceArchive(settings.resolved_evidence_dir), f"bukti {status}".encode(),
                           "text/plain")
        target.evidence_id = ev.id
        case = factories.case(session, emp, target, election_id=el.id, status=status)
        session.add(IncidentInteraction(incident_id=case.incidents[0].id, interaction_id=inter.id))
        session.add(CaseEvent(case_id=case.id, actor="reviewer", action="confirm_second", to_status=status))
        made.append(case)
    session.flush()
    report = editing.create_report(session, el, "Laporan Desk Pilkada Kabupaten Uji 2024", "2024-09-01",
                                   "2024-12-31", "desk", chair_name="Drs. Ketua Desk", chair_nip="198001012005011001")
    editing.save_entry(session, report, 2, None, editing.parse_entry(
        {"activity": "=HYPERLINK(\"http://example.org\")", "indicators": "NPHD KPU | 12500000000 | rupiah\n"
         "Realisasi | 87,5 | %", "problems": "-Pencairan terlambat"}), None, "desk")
    for case in made:
        if case.status in ("confirmed", "forwarded"):
            editing.add_case(session, report, case.id, "desk")
    session.commit()
    return report, made


def test_docx_has_sections_tables_signature_and_no_name(session: Session, settings: Settings) -> None:
    report, _ = _report(session, settings)
    doc = Document(io.BytesIO(exporting.export(session, settings, report, "docx", "desk", "desk").data))
    text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        c.text for t in doc.tables for r in t.rows for c in r.cells)
    headings = [p.text for p in doc.paragraphs if p.style is not None and p.style.name.startswith("Heading 1")]
    assert "9. Netralitas ASN" in headings and "Drs. Ketua Desk" in text and "Rahasia" not in text


def test_xlsx_formula_text_stays_text(session: Session, settings: Settings) -> None:
    report, _ = _report(session, settings)
    wb = load_workbook(io.BytesIO(exporting.export(session, settings, report, "xlsx", "desk", "desk").data))
    cell = wb["Bagian 2"]["B2"]
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://example.org")', "s")


def test_pdf_shows_section_titles_and_counts(session: Session, settings: Settings, tmp_path: Path) -> None:
    require_tool("soffice")
    report, _ = _report(session, settings)
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(exporting.export(session, settings, report, "pdf", "desk", "desk").data)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True, text=True).stdout
    assert "Netralitas ASN" in text and "tercatat 5 kasus" in text


def test_second_save_with_old_version_is_refused(session: Session, settings: Settings) -> None:
    report, _ = _report(session, settings)
    sec = editing.section(report, 1)
    editing.save_section(session, report, 1, "Teks pertama", sec.version, "desk")
    session.commit()
    with pytest.raises(VersionConflict):
        editing.save_section(session, report, 1, "Teks kedua", 1, "desk2")


def test_final_report_refuses_changes(session: Session, settings: Settings) -> None:
    require_tool("soffice")
    report, _ = _report(session, settings)
    hashes = exporting.finalise(session, settings, report, "desk")
    session.commit()
    with pytest.raises(ReportFinal):
        editing.save_section(session, report, 1, "ubah", editing.section(report, 1).version, "desk")
    assert exporting.export(session, settings, report, "pdf", "desk", "desk").sha256 == hashes["pdf"]


def test_fake_pdf_attachment_is_refused(session: Session, settings: Settings) -> None:
    with pytest.raises(AttachmentRefused, match="not a PDF"):
        archive.check_attachment("laporan.pdf", b"GIF89a....", 1000)


def test_dossier_verifies_then_names_each_tampered_file(session: Session, settings: Settings) -> None:
    require_tool("soffice")
    _, cases = _report(session, settings)
    blob = dossier.make(session, settings, cases[1].id, "bawaslu", "reviewer")
    pem = keys.public_key_pem(settings.data_dir)
    assert dossier.verify(blob, pem).ok
    src = zipfile.ZipFile(io.BytesIO(blob))

    def rewrite(change: str) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as zf:
            for name in src.namelist():
                if change == "remove" and name == "ringkasan_kasus.txt":
                    continue
                data = b"diubah" if change == "change" and name == "ringkasan_kasus.json" else src.read(name)
                zf.writestr(name, data)
            if change == "add":
                zf.writestr("bukti/palsu.png", b"x")
        return out.getvalue()

    found = (dossier.verify(rewrite("change"), pem).changed, dossier.verify(rewrite("remove"), pem).removed,
             dossier.verify(rewrite("add"), pem).added)
    assert found == (["ringkasan_kasus.json"], ["ringkasan_kasus.txt"], ["bukti/palsu.png"])


def test_dossier_refused_for_unconfirmed_case(session: Session, settings: Settings) -> None:
    _, cases = _report(session, settings)
    with pytest.raises(NotConfirmed):
        dossier.make(session, settings, cases[0].id, "bkn", "reviewer")


def test_dossier_summary_names_the_rules_that_apply_to_contract_staff(session: Session, settings: Settings) -> None:
    el = factories.election(session)
    emp = factories.employee(session, employee_type="NON_ASN")
    case = factories.case(session, emp, election_id=el.id, status="confirmed", candidate_codes=["KE-4"])
    session.commit()
    text = dossier.summary_text(case_source.case_summary(session, case.id))
    assert "Aturan berlaku : Tenaga kontrak (non-ASN)" in text and "kode disiplin PP 94/2021 tidak berlaku" in text


def test_case_number_in_report_rows_matches_the_number_reviewers_see(session: Session, settings: Settings) -> None:
    """A not-proven incident from an earlier year still fixes the number: banner and report cite one number."""
    el = factories.election(session)
    emp = factories.employee(session)
    acc = factories.account(session, emp)
    case = factories.case(session, emp, election_id=el.id, status="confirmed")
    factories.incident(session, case, interaction_ids=[factories.interaction(
        session, actor=acc, occurred_at=datetime(2023, 12, 30, 9, 0, tzinfo=UTC)).id], outcome=NOT_PROVEN)
    session.add(IncidentInteraction(incident_id=case.incidents[0].id, interaction_id=factories.interaction(
        session, actor=acc, occurred_at=datetime(2024, 10, 2, 9, 0, tzinfo=UTC)).id))
    session.commit()
    row = next(r for r in case_source.aggregate_rows(session, el) if r.case_id == case.id)
    assert row.number == case_source.case_numbers(session, [case.id], el.timezone)[case.id]
