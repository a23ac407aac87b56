"""Chromium: bulk dismissal from the queue asks first (count, case numbers, reason) and only the confirming
click dismisses; leaving the confirmation page changes nothing."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.orm import Session

from core.models import Case
from tests.review_ui import test_browser as _browser
from tests.review_ui.browser_kit import login

pytestmark = pytest.mark.browser
browser, server, new_page = _browser.browser, _browser.server, _browser.new_page  # the shared fixtures

REASON = "Sosialisasi tahapan dari KPU, bukan kampanye"


def _statuses(session: Session, cases: list[Case]) -> list[str]:
    session.expire_all()
    return [session.get(Case, c.id).status for c in cases]  # type: ignore[union-attr]


def _ask(page: Any, cases: list[Case]) -> None:
    """Tick the cases in the queue, type the reason and press "Dismiss selected"."""
    page.goto("/queue")
    for case in cases:
        page.check(f"input.pick[value^='{case.id}:']")
    page.fill("#bulk-reason", REASON)
    with page.expect_navigation():
        page.click("#bulk-dismiss")


def test_bulk_dismiss_asks_first_then_dismisses_the_listed_cases(new_page: Callable[[], Any],
                                                                 seeded: list[Case], session: Session) -> None:
    page = new_page()
    login(page, "reviewer")
    _ask(page, seeded[1:])
    assert page.locator("#bulk-count").inner_text() == "2 kasus akan tidak dilanjutkan"
    listed = page.locator("#bulk-cases li").all_inner_texts()
    assert listed == [f"NTR-2024-{c.id:05d}" for c in seeded[1:]]
    assert REASON in page.locator("#bulk-reason-shown").inner_text()
    assert not re.search("Pegawai Rahasia|Dinas [0-9]", page.content())  # blind cases stay blind
    assert _statuses(session, seeded) == ["detected"] * 3
    with page.expect_navigation():
        page.click("#bulk-confirm")
    assert page.locator("p.done").first.inner_text() == "2 kasus terpilih tidak dilanjutkan."
    assert _statuses(session, seeded) == ["detected", "dismissed", "dismissed"]


def test_cancelling_the_confirmation_changes_nothing(new_page: Callable[[], Any], seeded: list[Case],
                                                     session: Session) -> None:
    page = new_page()
    login(page, "reviewer")
    _ask(page, seeded)
    assert page.locator("#bulk-count").inner_text() == "3 kasus akan tidak dilanjutkan"
    with page.expect_navigation():
        page.click("#bulk-cancel")
    assert page.url.endswith("/queue")
    assert _statuses(session, seeded) == ["detected"] * 3
