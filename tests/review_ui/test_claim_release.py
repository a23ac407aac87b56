"""Releasing a claim over HTTP: only the holder or an administrator; anyone else is told who holds the case
and nothing changes (issue #11: "Releasing another reviewer's claim says 'returned to the queue' and changes
nothing")."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.models import AuditEvent, Case, CaseEvent, CaseReview, User
from tests.review_ui.conftest import Browser


def _holder(session: Session, case_id: int) -> str | None:
    session.expire_all()
    review = session.get(CaseReview, case_id)
    if review is None or review.claimed_by_id is None:
        return None
    user = session.get(User, review.claimed_by_id)
    return user.username if user else None


def _claimed(login: Callable[[str], Browser], case: Case) -> Browser:
    holder = login("reviewer")
    assert holder.post(f"/cases/{case.id}/claim").status_code == 303
    return holder


def test_another_reviewer_is_told_who_holds_the_case(login: Callable[[str], Browser], seeded: list[Case]) -> None:
    _claimed(login, seeded[0])
    r = login("reviewer2").post(f"/cases/{seeded[0].id}/release")
    assert (r.status_code, "Uji reviewer memegang kasus ini sampai" in r.text) == (409, True)


def test_another_reviewers_release_changes_nothing(login: Callable[[str], Browser], seeded: list[Case],
                                                   session: Session) -> None:
    _claimed(login, seeded[0])
    login("reviewer2").post(f"/cases/{seeded[0].id}/release")
    assert _holder(session, seeded[0].id) == "reviewer"


def test_the_holder_releases(login: Callable[[str], Browser], seeded: list[Case], session: Session) -> None:
    holder = _claimed(login, seeded[0])
    r = holder.post(f"/cases/{seeded[0].id}/release")
    assert (r.headers["location"], _holder(session, seeded[0].id)) == (f"/cases/{seeded[0].id}?done=released", None)


def test_an_admin_releases_another_reviewers_claim(login: Callable[[str], Browser], seeded: list[Case],
                                                  session: Session) -> None:
    _claimed(login, seeded[0])
    admin = login("admin")
    r = admin.post(f"/cases/{seeded[0].id}/release")
    page = admin.client.get(r.headers["location"]).text
    assert ("klaim peninjau lain" in page, _holder(session, seeded[0].id)) == (True, None)


def test_an_admins_release_is_in_the_history_and_audit_log(login: Callable[[str], Browser], seeded: list[Case],
                                                          session: Session) -> None:
    _claimed(login, seeded[0])
    login("admin").post(f"/cases/{seeded[0].id}/release")
    entry = session.scalars(select(CaseEvent).where(CaseEvent.action == "claim_release")).one()
    audited = session.scalars(select(AuditEvent.details).where(AuditEvent.action == "case.claim_release")).one()
    assert (entry.actor, audited["holder"]) == ("admin", "reviewer")


def test_releasing_an_unclaimed_case_says_so(login: Callable[[str], Browser], seeded: list[Case]) -> None:
    b = login("reviewer2")
    r = b.post(f"/cases/{seeded[0].id}/release")
    assert "Tidak ada yang memegang kasus ini" in b.client.get(r.headers["location"]).text
