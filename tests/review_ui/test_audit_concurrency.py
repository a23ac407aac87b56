"""50 parallel case views on the real app keep the audit chain linear (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core import audit
from core.models import AuditEvent, Case
from tests.review_ui.conftest import Browser

VIEWS = 50


def test_parallel_case_views_keep_one_chain(login: Callable[[str], Browser], seeded: list[Case],
                                            session: Session) -> None:
    browser = login("reviewer")
    before = session.scalar(select(func.count()).select_from(AuditEvent)) or 0
    urls = [f"/cases/{seeded[i % len(seeded)].id}" for i in range(VIEWS)]
    with ThreadPoolExecutor(max_workers=VIEWS) as pool:
        statuses = list(pool.map(lambda u: browser.client.get(u).status_code, urls))
    assert statuses == [200] * VIEWS
    session.expire_all()
    views = session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "case.view")
                           .where(AuditEvent.id > before))
    report = audit.walk_chain(session)
    assert (views, report.breaks) == (VIEWS, [])
