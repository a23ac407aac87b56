"""Chromium: a reviewer enters a WhatsApp tip with screenshots; it is OCR'd (real Tesseract) and opens a case.

A file that is not an image is refused with its name and the reason, and nothing is stored.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.models import Case, ContentItem, Evidence, Report
from core.settings import Settings
from tests import factories
from tests.conftest import require_tool
from tests.core.test_intake import render
from tests.review_ui import test_browser as _browser
from tests.review_ui.browser_kit import login

pytestmark = pytest.mark.browser
browser, server, new_page = _browser.browser, _browser.server, _browser.new_page  # the shared fixtures
TEXT = "Ayo dukung pasangan nomor urut dua pada pemilihan bupati"


@pytest.fixture
def employee_nip(session: Session, settings: Settings) -> str:
    require_tool(settings.tesseract_cmd)
    emp = factories.employee(session, name="Siti Rahmawati", unit="Dinas Pendidikan")
    session.commit()
    return emp.id_number


def _stored(session: Session) -> tuple[int, int, int]:
    session.expire_all()
    return tuple(session.scalar(select(func.count()).select_from(t)) or 0  # type: ignore[return-value]
                 for t in (Report, ContentItem, Evidence))


def test_report_intake_finds_the_employee_ocrs_and_opens_a_case(
        new_page: Callable[[], object], session: Session, employee_nip: str, tmp_path: Path) -> None:
    shots = [render(TEXT, tmp_path / "wa-1.png"), render("Coblos nomor dua", tmp_path / "wa-2.png")]
    page = new_page()
    login(page, "reviewer")
    page.goto("/reports/new")  # type: ignore[attr-defined]
    page.fill("#employee", "Rahma")  # type: ignore[attr-defined]
    page.locator("#employee-options option").wait_for(state="attached")  # type: ignore[attr-defined]
    assert page.locator("#employee-options option").count() == 1  # type: ignore[attr-defined]
    page.fill("#employee", page.get_attribute("#employee-options option", "value"))  # type: ignore[attr-defined]
    page.select_option("#platform", "whatsapp")  # type: ignore[attr-defined]
    page.set_input_files("#screenshots", [str(p) for p in shots])  # type: ignore[attr-defined]
    page.fill("#note", "Dikirim di grup WhatsApp RT 05")  # type: ignore[attr-defined]
    page.click("#intake-submit")  # type: ignore[attr-defined]
    page.wait_for_url("**/cases/*?done=reported", timeout=60_000)  # type: ignore[attr-defined]
    assert "pasangan nomor urut dua" in page.locator("#report-evidence").inner_text().lower()  # type: ignore[attr-defined]
    assert page.locator("#report-evidence figure img").count() == 2  # type: ignore[attr-defined]
    case = session.scalars(select(Case)).one()
    assert case.incidents[0].target_key.startswith("report:") and case.status == "detected"


def test_a_file_that_is_not_an_image_is_refused_and_nothing_is_stored(
        new_page: Callable[[], object], session: Session, employee_nip: str, tmp_path: Path) -> None:
    good = render(TEXT, tmp_path / "ok.png")
    bad = tmp_path / "catatan.png"
    bad.write_text("ini bukan gambar")
    before = _stored(session)
    page = new_page()
    login(page, "desk")
    page.goto("/reports/new")  # type: ignore[attr-defined]
    page.fill("#employee", employee_nip)  # type: ignore[attr-defined]
    page.select_option("#platform", "instagram")  # type: ignore[attr-defined]
    page.set_input_files("#screenshots", [str(good), str(bad)])  # type: ignore[attr-defined]
    page.click("#intake-submit")  # type: ignore[attr-defined]
    error = page.locator("p.error").inner_text()  # type: ignore[attr-defined]
    assert "catatan.png" in error and "Laporan tidak disimpan" in error
    assert _stored(session) == before


def test_screenshots_dropped_on_the_form_are_uploaded(
        new_page: Callable[[], object], session: Session, employee_nip: str, tmp_path: Path) -> None:
    shot = render(TEXT, tmp_path / "dropped.png").read_bytes()
    page = new_page()
    login(page, "reviewer")
    page.goto("/reports/new")  # type: ignore[attr-defined]
    page.fill("#employee", employee_nip)  # type: ignore[attr-defined]
    page.select_option("#platform", "tiktok")  # type: ignore[attr-defined]
    page.evaluate(  # type: ignore[attr-defined]
        """(bytes) => {
        const data = new DataTransfer();
        data.items.add(new File([new Uint8Array(bytes)], "dropped.png", {type: "image/png"}));
        const zone = document.getElementById("drop-zone");
        zone.dispatchEvent(new DragEvent("dragover", {dataTransfer: data, bubbles: true, cancelable: true}));
        zone.dispatchEvent(new DragEvent("drop", {dataTransfer: data, bubbles: true, cancelable: true}));
    }""", list(shot))
    assert "dropped.png" in page.locator("#drop-list").inner_text()  # type: ignore[attr-defined]
    page.click("#intake-submit")  # type: ignore[attr-defined]
    page.wait_for_url("**/cases/*?done=reported", timeout=60_000)  # type: ignore[attr-defined]
    assert page.locator("#report-evidence figure img").count() == 1  # type: ignore[attr-defined]
