"""Desk report pages on a real migrated database: create, htmx entry forms, annex, attachments, finalise."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

import pytest
from docx import Document
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.models import AuditEvent, Case, DeskReport, Evidence
from tests import factories
from tests.review_ui.conftest import Browser

HX = {"HX-Request": "true"}
NAME = "Pegawai Rahasia Desk"


@pytest.fixture
def confirmed(session: Session) -> Case:
    """One confirmed case (a named employee) and one still open, committed."""
    el = factories.election(session, slug="pilkada-desk-uji")
    emp = factories.employee(session, name=NAME, unit="Dinas Pendidikan")
    case = factories.case(session, emp, election_id=el.id, status="confirmed", contest=el.slug)
    factories.case(session, factories.employee(session, name="Pegawai Terbuka"), election_id=el.id,
                   status="detected", contest=el.slug)
    session.commit()
    return case


def _create(b: Browser) -> int:
    r = b.post("/desk/reports", {"election": "pilkada-desk-uji", "title": "Laporan Desk Pilkada Kabupaten Uji 2024",
                                 "period_start": "2024-01-01", "period_end": "2030-12-31",
                                 "chair_name": "Drs. Ketua Desk", "chair_nip": "198001012005011001"})
    assert r.status_code == 303, r.text
    return int(r.headers["location"].rsplit("/", 1)[1])


def _entry(session: Session, report_id: int, number: int) -> tuple[int, int]:
    session.expire_all()
    report = session.get(DeskReport, report_id)
    assert report is not None
    entry = next(s for s in report.sections if s.number == number).entries[-1]
    return entry.id, entry.version


def test_create_shows_ten_sections_and_the_stages(login: Callable[[str], Browser], confirmed: Case) -> None:
    b = login("desk")
    page = b.client.get(f"/desk/reports/{_create(b)}").text
    assert len(re.findall(r'<section class="panel" id="section-\d+"', page)) == 10 and "Masa kampanye" in page


def test_create_with_a_bad_date_keeps_the_form_and_names_the_field(login: Callable[[str], Browser],
                                                                   confirmed: Case) -> None:
    b = login("desk")
    r = b.post("/desk/reports", {"election": "pilkada-desk-uji", "title": "Laporan Uji", "period_start": "kemarin",
                                 "period_end": "2024-12-31"})
    assert r.status_code == 422 and "Awal periode" in r.text and 'value="Laporan Uji"' in r.text


def test_entry_with_a_bad_indicator_comes_back_as_typed_then_saves(
        login: Callable[[str], Browser], confirmed: Case, session: Session) -> None:
    b = login("desk")
    rid = _create(b)
    form = {"activity": "Penyaluran NPHD", "indicators": "NPHD KPU | dua belas | rupiah", "place": "Sungai Tenang"}
    bad = b.post(f"/desk/reports/{rid}/sections/2/entries", form, headers=HX)
    assert (bad.status_code, "Indikator: baris 1" in bad.text, 'aria-invalid="true"' in bad.text,
            "dua belas" in bad.text) == (200, True, True, True)
    ok = b.post(f"/desk/reports/{rid}/sections/2/entries", {**form, "indicators": "NPHD KPU | 12500000000 | rupiah"},
                headers=HX)
    assert ok.headers.get("HX-Redirect", "").startswith(f"/desk/reports/{rid}?done=saved&entry=")
    assert "12500000000" in b.client.get(f"/desk/reports/{rid}").text


def test_second_save_of_an_entry_with_the_old_version_is_refused_and_keeps_the_text(
        login: Callable[[str], Browser], confirmed: Case, session: Session) -> None:
    b = login("desk")
    rid = _create(b)
    b.post(f"/desk/reports/{rid}/sections/6/entries", {"activity": "Sosialisasi pemilih pemula"})
    eid, version = _entry(session, rid, 6)
    first = b.post(f"/desk/reports/{rid}/sections/6/entries", {"entry_id": eid, "version": version,
                                                              "activity": "Sosialisasi di SMA 1"}, headers=HX)
    second = b.post(f"/desk/reports/{rid}/sections/6/entries", {"entry_id": eid, "version": version,
                                                               "activity": "Sosialisasi di SMA 2"}, headers=HX)
    assert ("Tersimpan" in first.text, "Orang lain" in second.text, "Sosialisasi di SMA 2" in second.text) == (
        True, True, True)


def test_section_paragraphs_save_with_version_check(login: Callable[[str], Browser], confirmed: Case) -> None:
    b = login("desk")
    rid = _create(b)
    page = b.client.get(f"/desk/reports/{rid}").text
    version = re.search(r'id="section-1-text".*?name="version" value="(\d+)"', page, re.S)
    assert version
    r1 = b.post(f"/desk/reports/{rid}/sections/1", {"text": "Desk dibentuk dengan SK Bupati.",
                                                    "version": version.group(1)}, headers=HX)
    r2 = b.post(f"/desk/reports/{rid}/sections/1", {"text": "Teks kedua", "version": version.group(1)}, headers=HX)
    assert ("Tersimpan" in r1.text, "Orang lain" in r2.text and "Teks kedua" in r2.text) == (True, True)


def test_confirmed_list_and_annex_never_show_the_person(login: Callable[[str], Browser], confirmed: Case) -> None:
    b = login("desk")
    rid = _create(b)
    listing = b.client.get(f"/desk/reports/{rid}/cases").text
    r = b.post(f"/desk/reports/{rid}/cases", {"case_id": confirmed.id})
    page = b.client.get(f"/desk/reports/{rid}").text
    nip = confirmed.employee_id
    assert (f"add-case-{confirmed.id}" in listing, r.status_code, "NTR-" in page, NAME in listing + page) == (
        True, 303, True, False), nip


def test_an_open_case_is_refused_from_the_annex(login: Callable[[str], Browser], confirmed: Case,
                                               session: Session) -> None:
    b = login("desk")
    rid = _create(b)
    open_case = session.scalars(select(Case).where(Case.status == "detected")).one()
    r = b.post(f"/desk/reports/{rid}/cases", {"case_id": open_case.id})
    assert r.status_code == 409 and "dikonfirmasi dua penelaah" in r.text


def test_a_fake_pdf_is_refused_and_nothing_stored_a_png_is_archived(
        login: Callable[[str], Browser], confirmed: Case, session: Session) -> None:
    b = login("desk")
    rid = _create(b)
    b.post(f"/desk/reports/{rid}/sections/7/entries", {"activity": "Distribusi logistik ke desa terpencil"})
    eid, _ = _entry(session, rid, 7)
    before = session.scalar(select(func.count()).select_from(Evidence))
    bad = b.post(f"/desk/reports/{rid}/entries/{eid}/attachments",
                 files={"file": ("berita-acara.pdf", b"bukan pdf", "application/pdf")})
    session.expire_all()
    assert (bad.status_code, "berita-acara.pdf" in bad.text,
            session.scalar(select(func.count()).select_from(Evidence))) == (422, True, before)
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
    ok = b.post(f"/desk/reports/{rid}/entries/{eid}/attachments", files={"file": ("foto.png", png, "image/png")})
    assert ok.status_code == 303 and "foto.png" in b.client.get(f"/desk/reports/{rid}").text


def test_finalised_report_refuses_every_edit_and_serves_its_frozen_docx(
        login: Callable[[str], Browser], confirmed: Case, session: Session) -> None:
    b = login("desk")
    rid = _create(b)
    b.post(f"/desk/reports/{rid}/sections/2/entries", {"activity": "Penyaluran NPHD"})
    eid, version = _entry(session, rid, 2)
    assert b.post(f"/desk/reports/{rid}/finalise").status_code == 303
    refused = [b.post(f"/desk/reports/{rid}/sections/2/entries", {"entry_id": eid, "version": version,
                                                                  "activity": "Diubah"}).status_code,
               b.post(f"/desk/reports/{rid}/sections/1", {"text": "x", "version": 1}).status_code,
               b.post(f"/desk/reports/{rid}/entries/{eid}/delete").status_code,
               b.post(f"/desk/reports/{rid}/cases", {"case_id": confirmed.id}).status_code,
               b.post(f"/desk/reports/{rid}/finalise").status_code]
    session.expire_all()
    report = session.get(DeskReport, rid)
    assert report is not None and report.snapshot is not None
    docx = b.client.get(f"/desk/reports/{rid}/export/docx")
    assert (refused, docx.headers["X-Content-SHA256"]) == ([409] * 5, report.snapshot["exports"]["docx"])


def test_new_version_links_to_the_final_one(login: Callable[[str], Browser], confirmed: Case,
                                          session: Session) -> None:
    b = login("desk")
    rid = _create(b)
    b.post(f"/desk/reports/{rid}/finalise")
    r = b.post(f"/desk/reports/{rid}/new-version")
    new_id = int(r.headers["location"].rsplit("/", 1)[1])
    session.expire_all()
    new = session.get(DeskReport, new_id)
    assert new is not None and (new.supersedes_id, new.status) == (rid, "draft")


def test_named_export_is_admins_only_and_audited(login: Callable[[str], Browser], confirmed: Case,
                                                 session: Session) -> None:
    desk = login("desk")
    rid = _create(desk)
    desk.post(f"/desk/reports/{rid}/cases", {"case_id": confirmed.id})
    unnamed = Document(io.BytesIO(desk.client.get(f"/desk/reports/{rid}/export/docx").content))
    named = Document(io.BytesIO(login("admin").client.get(f"/desk/reports/{rid}/export/docx/named").content))

    def cells(doc: object) -> str:
        return " ".join(c.text for t in doc.tables for r in t.rows for c in r.cells)  # type: ignore[attr-defined]

    session.expire_all()
    events = [e.details.get("named") for e in session.scalars(
        select(AuditEvent).where(AuditEvent.action == "desk_report_export").order_by(AuditEvent.id))]
    assert (NAME in cells(unnamed), NAME in cells(named), events) == (False, True, [False, True])


def test_auditor_reads_without_forms(login: Callable[[str], Browser], confirmed: Case) -> None:
    rid = _create(login("desk"))
    page = login("auditor").client.get(f"/desk/reports/{rid}").text
    assert "Laporan Desk Pilkada Kabupaten Uji 2024" in page and "/sections/" not in page
