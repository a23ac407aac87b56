"""Chromium: a desk user creates a report, adds an entry with an attachment, adds a confirmed case, previews
the whole report and downloads its DOCX — and the person behind the case appears nowhere on the way."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from sqlalchemy.orm import Session

from core.models import Case
from tests import factories
from tests.review_ui import test_browser as _browser
from tests.review_ui.browser_kit import login, watch_requests

pytestmark = pytest.mark.browser
browser, server, new_page = _browser.browser, _browser.server, _browser.new_page  # the shared fixtures
NAME = "Rahmat Hidayat Desk"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def confirmed(session: Session) -> Case:
    el = factories.election(session, slug="pilkada-desk-chromium")
    case = factories.case(session, factories.employee(session, name=NAME, unit="Dinas Kesehatan"),
                          election_id=el.id, status="confirmed", contest=el.slug)
    session.commit()
    return case


def _docx_text(data: bytes) -> str:
    doc: Any = Document(io.BytesIO(data))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_desk_user_builds_a_report_and_downloads_it(new_page: Callable[[], Any], confirmed: Case,
                                                    tmp_path: Path) -> None:
    page = new_page()
    outside = watch_requests(page)
    login(page, "desk")
    page.click("#nav-desk")
    page.select_option("#report-election", "pilkada-desk-chromium")
    page.fill("#report-title", "Laporan Desk Pilkada Kabupaten Chromium 2024")
    page.fill("#report-start", "2024-01-01")
    page.fill("#report-end", "2030-12-31")
    with page.expect_navigation():
        page.click("#report-create")
    page.fill("#enew-2-activity", "Penyaluran NPHD kepada KPU")
    page.fill("#enew-2-indicators", "Realisasi NPHD | 95 | persen")
    with page.expect_navigation():
        page.click("#enew-2-save")  # htmx answers HX-Redirect: the page reloads with the entry saved
    entry = page.url.rsplit("#entry-", 1)[1]
    page.set_input_files(f"#attach-{entry}", files=[
        {"name": "berita-acara.png", "mimeType": "image/png", "buffer": PNG}])
    with page.expect_navigation():
        page.click(f"#attach-{entry}-send")
    attached = page.locator(f"#attach-{entry}").locator("xpath=ancestor::div[@class='entry-tools']").inner_text()
    page.click("#report-cases")
    with page.expect_navigation():
        page.click(f"#add-case-{confirmed.id}")
    annex = page.locator("#annex").inner_text()
    page.click("#report-preview")
    preview = page.content()
    page.go_back()
    with page.expect_download() as info:
        page.click("#download-docx")
    target = tmp_path / "laporan.docx"
    info.value.save_as(target)
    text = _docx_text(target.read_bytes())
    found = ("berita-acara.png" in attached, "NTR-" in annex, "Penyaluran NPHD kepada KPU" in preview,
             "LAPORAN DESK PILKADA KABUPATEN CHROMIUM 2024" in text, "Penyaluran NPHD kepada KPU" in text)
    assert (found, NAME in annex + preview + text, outside) == ((True,) * 5, False, [])
