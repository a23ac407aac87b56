"""Chromium: the audit page pages over every event, filters, links objects, speaks Indonesian and exports CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from core import audit
from core.models import Case
from tests.review_ui import test_browser as _browser
from tests.review_ui.browser_kit import login

pytestmark = pytest.mark.browser
browser, server, new_page = _browser.browser, _browser.server, _browser.new_page  # the shared fixtures


@pytest.fixture
def many_events(session: Session, seeded: list[Case]) -> int:
    for n in range(120):
        audit.record(session, "reviewer", "case.view", object_type="case", object_id=seeded[n % 3].id,
                     details={"identity_shown": False})
    audit.record(session, "admin", "user.role", object_type="user", object_id=2, details={"role": "desk"})
    session.commit()
    return seeded[0].id


def test_audit_page_pages_filters_and_links(new_page: Callable[[], object], many_events: int) -> None:
    page = new_page()
    login(page, "auditor")
    page.goto("/audit")  # type: ignore[attr-defined]
    assert "peristiwa diverifikasi" in page.locator("#chain-ok").inner_text()  # type: ignore[attr-defined]
    assert "case.view" not in page.locator("#audit-events tbody").inner_text()  # type: ignore[attr-defined]
    page.click("#audit-next")  # type: ignore[attr-defined]
    page.wait_for_url("**/audit?page=2")  # type: ignore[attr-defined]
    page.select_option("#f-action", "case.view")  # type: ignore[attr-defined]
    page.fill("#f-object", f"case:{many_events}")  # type: ignore[attr-defined]
    page.click("#f-apply")  # type: ignore[attr-defined]
    page.wait_for_url("**/audit?*action=case.view*")  # type: ignore[attr-defined]
    assert page.locator("#audit-count").inner_text().startswith("40 peristiwa")  # type: ignore[attr-defined]
    link = page.locator("#audit-events tbody a").first  # type: ignore[attr-defined]
    assert link.get_attribute("href") == f"/cases/{many_events}"


def test_audit_export_is_csv_of_the_filtered_events(new_page: Callable[[], object], many_events: int) -> None:
    page = new_page()
    login(page, "admin")
    page.goto("/audit?action=user.role")  # type: ignore[attr-defined]
    with page.expect_download() as info:  # type: ignore[attr-defined]
        page.click("#audit-export")  # type: ignore[attr-defined]
    text = Path(info.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["action"], r["action_label"], r["object_id"]) for r in rows] == [("user.role", "peran diubah", "2")]
