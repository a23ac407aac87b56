"""The case page: a withdrawn interaction (seen, then gone), a missing platform time, the regime that applies."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from core.models import Case
from tests import factories
from tests.core.test_regime import _incident
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


def test_case_page_names_the_regime_of_contract_staff(login: Callable[[str], Browser], session: Session) -> None:
    incident = _incident(session, "NON_ASN")
    session.commit()
    page = login("reviewer").client.get(f"/cases/{incident.case_id}").text
    assert 'data-regime="non_asn"' in page and "kode disiplin PP 94/2021 tidak berlaku" in page
