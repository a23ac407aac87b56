"""Chromium: the dashboard counts leads, cases in process, confirmed and dismissed apart, filters by unit,
never clips a label, and downloads its aggregates as CSV and XLSX."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from tests import factories
from tests.review_ui import test_browser as _browser
from tests.review_ui.browser_kit import login

pytestmark = pytest.mark.browser
browser, server, new_page = _browser.browser, _browser.server, _browser.new_page  # the shared fixtures
LONG_UNIT = "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Sungai Tenang"


@pytest.fixture
def mixed(session: Session) -> None:
    for n, status in enumerate(["detected"] * 4 + ["in_triage", "awaiting_second", "confirmed", "dismissed"]):
        emp = factories.employee(session, unit=LONG_UNIT if n % 2 else "Dinas Pendidikan")
        factories.case(session, emp, status=status)
    session.commit()


def test_groups_apart_and_unit_filter(new_page: Callable[[], object], mixed: None) -> None:
    page = new_page()
    login(page, "desk")
    page.goto("/dashboard")  # type: ignore[attr-defined]
    totals = {k: page.locator(f"#total-{k}").inner_text() for k in ("lead", "in_process", "confirmed", "dismissed")}  # type: ignore[attr-defined]
    assert totals == {"lead": "4", "in_process": "2", "confirmed": "1", "dismissed": "1"}
    page.select_option("#d-unit", LONG_UNIT)  # type: ignore[attr-defined]
    page.click("#d-apply")  # type: ignore[attr-defined]
    page.wait_for_url("**/dashboard?*unit=*")  # type: ignore[attr-defined]
    assert page.locator("#total-lead").inner_text() == "2"  # type: ignore[attr-defined]


def test_chart_labels_are_never_clipped(new_page: Callable[[], object], mixed: None) -> None:
    page = new_page()
    login(page, "desk")
    page.goto("/dashboard")  # type: ignore[attr-defined]
    clipped = page.evaluate(  # type: ignore[attr-defined]
        """() => Array.from(document.querySelectorAll('svg.chart text')).filter(t => {
        const box = t.getBBox(), view = t.ownerSVGElement.viewBox.baseVal;
        return box.x < 0 || box.x + box.width > view.width + 0.5; }).map(t => t.textContent)""")
    assert clipped == []
    assert LONG_UNIT in page.locator("svg.chart").nth(3).inner_html()  # type: ignore[attr-defined]


def test_downloads_csv_and_xlsx(new_page: Callable[[], object], mixed: None) -> None:
    page = new_page()
    login(page, "desk")
    page.goto("/dashboard")  # type: ignore[attr-defined]
    with page.expect_download() as got_csv:  # type: ignore[attr-defined]
        page.click("#dashboard-csv")  # type: ignore[attr-defined]
    rows = list(csv.reader(io.StringIO(Path(got_csv.value.path()).read_text(encoding="utf-8-sig"))))
    code_rows = {r[1]: r for r in rows if r[0] == "kode pelanggaran"}
    assert code_rows["KE-4"][2:7] == ["4", "2", "1", "1", "0"]
    with page.expect_download() as got_xlsx:  # type: ignore[attr-defined]
        page.click("#dashboard-xlsx")  # type: ignore[attr-defined]
    with Path(got_xlsx.value.path()).open("rb") as fh:
        sheet = load_workbook(io.BytesIO(fh.read())).active
    assert sheet is not None and [c.value for c in sheet[1]][:3] == ["dimensi", "nilai", "temuan awal (belum ditelaah)"]
