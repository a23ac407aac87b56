"""Recusal: a reviewer of a unit is neither served nor allowed to decide cases about that unit's employees."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from core import accounts, cases
from core.models import AuditEvent, Case, User
from core.settings import Settings
from pipelines.cli import app
from review_ui.queue import QueueFilter, list_page, take_next
from tests.review_ui.conftest import Browser


def _reviewer(session: Session, unit: str | None = "Dinas 0") -> User:
    user = accounts.set_unit(session, "reviewer", unit)
    session.commit()
    return user


def test_the_queue_does_not_serve_cases_of_the_reviewers_own_unit(session: Session, settings: Settings,
                                                                  users: dict[str, str], seeded: list[Case]) -> None:
    shown = {r.case.id for r in list_page(session, QueueFilter(), _reviewer(session), settings).rows}
    assert shown == {seeded[1].id, seeded[2].id}  # seeded[0] is about an employee of Dinas 0


def test_next_case_skips_the_reviewers_own_unit(session: Session, settings: Settings, users: dict[str, str],
                                                seeded: list[Case]) -> None:
    taken = take_next(session, _reviewer(session), settings)
    assert taken is not None and taken.id == seeded[1].id  # the highest priority is Dinas 0's


def test_a_decision_on_an_own_unit_case_is_refused(session: Session, settings: Settings, users: dict[str, str],
                                                   seeded: list[Case]) -> None:
    with pytest.raises(cases.Recused):
        cases.claim(session, seeded[0], _reviewer(session), settings)


def test_with_recusal_off_the_own_unit_is_served(session: Session, settings: Settings, users: dict[str, str],
                                                 seeded: list[Case]) -> None:
    off = settings.model_copy(update={"recusal": False})
    assert len(list_page(session, QueueFilter(), _reviewer(session), off).rows) == 3


def test_a_reviewer_without_a_unit_is_not_recused(session: Session, settings: Settings, users: dict[str, str],
                                                  seeded: list[Case]) -> None:
    assert len(list_page(session, QueueFilter(), _reviewer(session, None), settings).rows) == 3


def test_the_case_page_refuses_a_dismissal_and_says_why(login: Callable[[str], Browser], session: Session,
                                                        seeded: list[Case]) -> None:
    b = login("reviewer")
    version = b.version(seeded[0].id)
    _reviewer(session)
    r = b.post(f"/cases/{seeded[0].id}/dismiss", {"reason": "bukan kampanye", "version": version})
    session.expire_all()
    status = session.scalar(select(Case.status).where(Case.id == seeded[0].id))
    assert (r.status_code, "penelaah lain yang memutuskannya" in r.text, status) == (403, True, "detected")


def test_setting_a_unit_is_audited(db_url: str, session: Session, users: dict[str, str]) -> None:
    result = CliRunner().invoke(app, ["users", "set-unit", "reviewer", "Dinas Pendidikan"])
    events = list(session.scalars(select(AuditEvent).where(AuditEvent.action == "user.unit")))
    assert (result.exit_code, [e.details["to"] for e in events]) == (0, ["Dinas Pendidikan"]), result.output
