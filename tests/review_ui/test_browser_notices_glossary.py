"""Chromium: notifications name the cases waiting for *your* second confirmation and deadlines due soon;
the glossary's terms are the ones the pages use."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from core import cases
from core.models import Case, User, utcnow
from core.settings import Settings
from tests.review_ui import test_browser as _browser
from tests.review_ui.browser_kit import login

pytestmark = pytest.mark.browser
browser, server, new_page = _browser.browser, _browser.server, _browser.new_page  # the shared fixtures
GLOSSARY = Path(__file__).resolve().parents[2] / "docs" / "glossary.md"
TERMS = ("pegawai", "ASN", "PPPK", "tenaga kontrak", "peninjau", "tidak dilanjutkan",
         "PPK** | Pejabat Pembina Kepegawaian")


@pytest.fixture
def waiting(session: Session, settings: Settings, seeded: list[Case]) -> tuple[int, int]:
    first = session.query(User).filter_by(username="reviewer").one()
    cases.confirm(session, seeded[0], first, settings, version=seeded[0].version)
    cases.confirm(session, seeded[1], first, settings, version=seeded[1].version)
    cases.confirm(session, seeded[1], session.query(User).filter_by(username="reviewer2").one(), settings,
                  version=seeded[1].version)
    review = cases.review_of(session, seeded[1])
    review.deadline = utcnow().date() + timedelta(days=1)
    session.commit()
    return seeded[0].id, seeded[1].id


def test_notifications_for_the_second_reviewer(new_page: Callable[[], object], waiting: tuple[int, int]) -> None:
    page = new_page()
    login(page, "reviewer2")
    page.locator("#notice-count").wait_for()  # type: ignore[attr-defined]
    assert page.locator("#notice-count").inner_text() == "2"  # type: ignore[attr-defined]
    page.click("#nav-notices")  # type: ignore[attr-defined]
    assert "1 kasus menunggu konfirmasi kedua Anda" in page.locator("#waiting-second").inner_text()  # type: ignore[attr-defined]
    assert f"#{waiting[1]}" in page.locator("#deadlines").inner_text()  # type: ignore[attr-defined]


def test_the_first_reviewer_is_not_asked_to_confirm_twice(new_page: Callable[[], object],
                                                         waiting: tuple[int, int]) -> None:
    page = new_page()
    login(page, "reviewer")
    page.goto("/notifications")  # type: ignore[attr-defined]
    assert page.locator("#waiting-second").inner_text().startswith("0 kasus")  # type: ignore[attr-defined]


def test_glossary_terms_are_those_of_the_pages(new_page: Callable[[], object], waiting: tuple[int, int],
                                              seeded: list[Case]) -> None:
    text = GLOSSARY.read_text(encoding="utf-8")
    assert [t for t in TERMS if t not in text] == []
    page = new_page()
    login(page, "reviewer2")
    page.goto(f"/cases/{seeded[2].id}")  # type: ignore[attr-defined]
    body = page.locator("body").inner_text()  # type: ignore[attr-defined]
    assert "Tidak dilanjutkan" in body and "peninjau" in body and "Tolak" not in body
