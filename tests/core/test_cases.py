"""The case workflow on a real database: four eyes, dismissal, escalation, claims, due process, priority."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from core import accounts, audit, cases
from core.models import AuditEvent, Case, CaseEvent, CaseStatus, User
from core.settings import Settings
from tests import factories

NOW = datetime(2024, 10, 7, 2, 0, tzinfo=UTC)  # a Monday


def _user(session: Session, name: str, role: str = "reviewer") -> User:
    return accounts.create_user(session, name, role, "kata-sandi-uji")


@pytest.fixture
def two(session: Session) -> tuple[User, User]:
    return _user(session, "rina"), _user(session, "budi")


def test_four_eyes_needs_two_different_reviewers(session: Session, settings: Settings,
                                                 two: tuple[User, User]) -> None:
    rina, budi = two
    case = factories.case(session)
    assert cases.confirm(session, case, rina, settings, now=NOW) == CaseStatus.AWAITING_SECOND
    with pytest.raises(cases.FourEyesViolation):
        cases.confirm(session, case, rina, settings, now=NOW)
    assert case.status == CaseStatus.AWAITING_SECOND
    assert cases.confirm(session, case, budi, settings, note="jelas", now=NOW) == CaseStatus.CONFIRMED
    actions = [e.action for e in session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)
                                                 .order_by(CaseEvent.id))]
    assert actions == ["triage", "confirm_first", "confirm_second"]
    review = cases.review_of(session, case)
    # Forward deadline: 7 working days after Monday 7 Oct 2024 → Wednesday 16 Oct.
    assert (review.deadline, review.deadline_kind) == (date(2024, 10, 16), "forward")
    logged = [a for (a,) in session.execute(select(AuditEvent.action).order_by(AuditEvent.id))]
    assert logged[-3:] == ["case.triage", "case.confirm_first", "case.confirm_second"]
    assert audit.verify_chain(session) == []


def test_dismiss_requires_a_reason(session: Session, two: tuple[User, User]) -> None:
    rina, _ = two
    case = factories.case(session)
    for blank in ("", "   "):
        with pytest.raises(cases.MissingInput):
            cases.dismiss(session, case, rina, blank)
    cases.dismiss(session, case, rina, "berita netral KPU")
    assert case.status == CaseStatus.DISMISSED
    assert case.events[-1].note == "berita netral KPU"
    with pytest.raises(cases.InvalidTransition):
        cases.dismiss(session, case, rina, "lagi")


def test_second_reviewer_may_dismiss_instead(session: Session, settings: Settings,
                                             two: tuple[User, User]) -> None:
    rina, budi = two
    case = factories.case(session)
    cases.confirm(session, case, rina, settings)
    cases.dismiss(session, case, budi, "bukan akun paslon")
    assert case.status == CaseStatus.DISMISSED


def test_auditor_and_desk_cannot_decide(session: Session, settings: Settings) -> None:
    case = factories.case(session)
    for role in ("auditor", "desk"):
        with pytest.raises(cases.NotAllowed):
            cases.confirm(session, case, _user(session, f"u-{role}", role), settings)
    assert case.status == CaseStatus.DETECTED


def test_claims_exclude_others_until_they_expire(session: Session, settings: Settings,
                                                 two: tuple[User, User]) -> None:
    rina, budi = two
    case = factories.case(session)
    cases.claim(session, case, rina, settings, now=NOW)
    assert case.status == CaseStatus.IN_TRIAGE
    with pytest.raises(cases.ClaimConflict):
        cases.claim(session, case, budi, settings, now=NOW + timedelta(minutes=5))
    with pytest.raises(cases.ClaimConflict):
        cases.dismiss(session, case, budi, "x", now=NOW + timedelta(minutes=5))
    later = NOW + timedelta(minutes=settings.claim_minutes + 1)
    cases.claim(session, case, budi, settings, now=later)
    assert cases.review_of(session, case).claimed_by_id == budi.id
    cases.release(session, case, budi)
    assert cases.review_of(session, case).claimed_by_id is None


def test_escalate_keeps_case_open_and_doubles_priority(session: Session, two: tuple[User, User]) -> None:
    rina, _ = two
    case = factories.case(session, priority=0.4)
    cases.escalate(session, case, rina, "perlu pimpinan")
    assert case.status == CaseStatus.DETECTED
    assert cases.review_of(session, case).escalated
    assert case.priority == pytest.approx(0.8)


def _confirmed(session: Session, settings: Settings, two: tuple[User, User]) -> Case:
    case = factories.case(session)
    cases.confirm(session, case, two[0], settings)
    cases.confirm(session, case, two[1], settings)
    return case


def test_due_process_to_closed(session: Session, settings: Settings, two: tuple[User, User]) -> None:
    rina, _ = two
    case = _confirmed(session, settings, two)
    with pytest.raises(cases.InvalidTransition):
        cases.advance(session, case, rina, "summon", settings, reference="S-1", on=date(2024, 10, 8),
                      examination_on=date(2024, 10, 30))
    with pytest.raises(cases.MissingInput):
        cases.advance(session, case, rina, "forward", settings, reference=" ", on=date(2024, 10, 8), to="bkn")
    cases.advance(session, case, rina, "forward", settings, reference="800/12/BKPSDM", on=date(2024, 10, 8),
                  to="bawaslu")
    cases.advance(session, case, rina, "recommendation", settings, reference="REK-7", on=date(2024, 10, 15))
    # 7 working days after Wednesday 16 Oct is Friday 25 Oct: the 24th is too early.
    with pytest.raises(cases.MissingInput):
        cases.advance(session, case, rina, "summon", settings, reference="S-1", on=date(2024, 10, 16),
                      examination_on=date(2024, 10, 24))
    cases.advance(session, case, rina, "summon", settings, reference="S-1", on=date(2024, 10, 16),
                  examination_on=date(2024, 10, 25))
    cases.advance(session, case, rina, "summon", settings, reference="S-2", on=date(2024, 10, 25),
                  examination_on=date(2024, 11, 5))
    assert case.events[-1].data["summons"] == 2
    assert cases.review_of(session, case).deadline == date(2024, 11, 5)
    cases.advance(session, case, rina, "examine", settings, reference="BAP-1", on=date(2024, 11, 5))
    with pytest.raises(cases.MissingInput):
        cases.advance(session, case, rina, "decide", settings, reference="SK-1", on=date(2024, 11, 20),
                      track="none", level="berat")
    cases.advance(session, case, rina, "decide", settings, reference="SK-1", on=date(2024, 11, 20),
                  track="discipline", level="sedang")
    # 14 working days after 20 Nov 2024, skipping voting day (27 Nov): 11 Dec.
    assert cases.review_of(session, case).deadline == date(2024, 12, 11)
    cases.advance(session, case, rina, "close", settings)
    assert case.status == CaseStatus.CLOSED
    assert [e.to_status for e in case.events][-7:] == [
        "forwarded", "recommendation_received", "summoned", "summoned", "examination", "decided", "closed"]


def test_priority_is_score_times_severity_times_age(session: Session, settings: Settings) -> None:
    weights = cases.severity_weights(session)
    assert weights["HD-5"] == 4.0 and weights["KE-4"] == 1.0 and weights["HD-6"] == 3.0
    assert cases.priority(0.5, ["KE-4", "HD-6"], 0, False, weights, settings) == pytest.approx(1.5)
    aged = cases.priority(0.5, ["KE-4"], int(settings.priority_age_workdays), False, weights, settings)
    assert aged == pytest.approx(1.0)
    assert cases.priority(0.5, ["KE-4"], 0, True, weights, settings) == pytest.approx(1.0)


def test_refresh_priorities_orders_older_and_heavier_first(session: Session, settings: Settings) -> None:
    old = factories.case(session, score=0.5, candidate_codes=["KE-4"],
                         created_at=datetime(2024, 10, 1, tzinfo=UTC))
    new = factories.case(session, score=0.5, candidate_codes=["KE-4"],
                         created_at=datetime(2024, 10, 14, tzinfo=UTC))
    heavy = factories.case(session, score=0.5, candidate_codes=["HD-6"],
                           created_at=datetime(2024, 10, 14, tzinfo=UTC))
    closed = factories.case(session, status="closed", priority=0.123)
    assert cases.refresh_priorities(session, settings, today=date(2024, 10, 14)) == 2  # "new" was right
    assert cases.refresh_priorities(session, settings, today=date(2024, 10, 14)) == 0  # nothing changed
    session.expire_all()
    assert new.priority == pytest.approx(0.5)
    assert old.priority == pytest.approx(0.5 * (1 + 9 / settings.priority_age_workdays))
    assert heavy.priority == pytest.approx(1.5)
    assert closed.priority == pytest.approx(0.123)


def test_identity_hidden_only_during_first_review(session: Session, settings: Settings,
                                                  two: tuple[User, User]) -> None:
    case = factories.case(session)
    assert cases.identity_hidden(case, settings)
    cases.confirm(session, case, two[0], settings)
    assert not cases.identity_hidden(case, settings)
    cases.record_view(session, case, two[1], identity_shown=True)
    last = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).one()
    assert (last.action, last.object_id, last.details["identity_shown"]) == ("case.view", str(case.id), True)

