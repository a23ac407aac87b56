"""The case page marks a withdrawn interaction (seen, then gone) and says when the platform gave no time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from core.models import Case
from tests import factories
from tests.review_ui.conftest import Browser


def _case_with(session: Session, **interaction: object) -> Case:
    acc = factories.account(session)
    target = factories.content(session, text="Ayo coblos nomor 1")
    inter = factories.interaction(session, actor=acc, target=target, **interaction)
    case = factories.case(session, acc.employee, target, interaction_ids=[inter.id])
    session.commit()
    return case


def test_a_withdrawn_like_is_marked_with_when_it_was_seen_and_gone(login: Callable[[str], Browser],
                                                                   session: Session) -> None:
    case = _case_with(session, kind="like", fetched_at=datetime(2024, 10, 2, 1, tzinfo=UTC),
                      deleted_at=datetime(2024, 10, 5, 1, tzinfo=UTC))
    page = login("reviewer").client.get(f"/cases/{case.id}").text
    assert "ditarik dari platform: terlihat 2024-10-02" in page and "hilang paling lambat 2024-10-05" in page


def test_a_like_without_platform_time_says_so_instead_of_none(login: Callable[[str], Browser],
                                                              session: Session) -> None:
    case = _case_with(session, kind="like", occurred_at=None, fetched_at=datetime(2024, 10, 2, 1, tzinfo=UTC))
    page = login("reviewer").client.get(f"/cases/{case.id}").text
    assert "waktu tidak diberikan platform; pertama terlihat 2024-10-02" in page and "None" not in page
