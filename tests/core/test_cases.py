"""The case workflow on a real database: incidents judged one by one, four eyes on the case, dismissal,
escalation, claims, versions, due process with addenda, priority."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from core import accounts, audit, cases
from core.cases import Mark
from core.models import AuditEvent, Case, CaseEvent, CaseStatus, Incident, User
from core.settings import Settings
from tests import factories

NOW = datetime(2024, 10, 7, 2, 0, tzinfo=UTC)  # a Monday
P, N = "proven", "not_proven"


def _user(session: Session, name: str, role: str = "reviewer") -> User:
    return accounts.create_user(session, name, role, "kata-sandi-uji")


@pytest.fixture
def two(session: Session) -> tuple[User, User]:
    return _user(session, "rina"), _user(session, "budi")


def _case_of(session: Session, n: int = 2) -> tuple[Case, list[Incident]]:
    """A case with ``n`` incidents (different targets)."""
    case = factories.case(session)
    for _ in range(n - 1):
        factories.incident(session, case)
    session.commit()
    session.refresh(case)
    return case, list(case.incidents)


def _actions(session: Session, case: Case) -> list[str]:
    return list(session.scalars(select(CaseEvent.action).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)))


def test_four_eyes_on_the_case_as_a_whole(session: Session, settings: Settings, two: tuple[User, User]) -> None:
    rina, budi = two
    case, (a, b) = _case_of(session)
    marks = {a.id: Mark(P), b.id: Mark(N, "akun bukan milik pegawai")}
    assert cases.judge(session, case, rina, settings, marks, version=case.version, now=NOW) == "awaiting_second"
    with pytest.raises(cases.FourEyesViolation):
        cases.judge(session, case, rina, settings, marks, version=case.version, now=NOW)
    second = {a.id: Mark(P), b.id: Mark(P)}
    assert cases.judge(session, case, budi, settings, second, version=case.version, now=NOW) == "confirmed"
    session.expire_all()
    assert [(i.outcome, i.outcome_reason) for i in case.incidents] == [(P, None), (N, "akun bukan milik pegawai")]
    assert _actions(session, case) == ["triage", "confirm_first", "confirm_second"]
    review = cases.review_of(session, case)
    # Forward deadline: 7 working days after Monday 7 Oct 2024 → Wednesday 16 Oct.
    assert (review.deadline, review.deadline_kind) == (date(2024, 10, 16), "forward")
    logged = [a for (a,) in session.execute(select(AuditEvent.action).order_by(AuditEvent.id))]
    assert logged[-3:] == ["case.triage", "case.confirm_first", "case.confirm_second"]
    assert audit.verify_chain(session) == []


def test_codes_of_a_confirmed_case_are_those_of_its_proven_incidents(session: Session, settings: Settings,
                                                                     two: tuple[User, User]) -> None:
    case = factories.case(session, candidate_codes=["KE-4", "HD-6"])
    photo = factories.incident(session, case, candidate_codes=["KE-5", "HD-7"])
    session.refresh(case)
    assert case.candidate_codes == ["KE-4", "HD-6"]  # the factory's summary; judging recomputes it
    first = {i.id: Mark(P) if i.id == photo.id else Mark(N, "bukan kampanye") for i in case.incidents}
    cases.judge(session, case, two[0], settings, first, version=case.version)
    cases.judge(session, case, two[1], settings, first, version=case.version)
    assert case.status == "confirmed" and case.candidate_codes == ["KE-5", "HD-7"]


def test_a_not_proven_mark_needs_a_reason_and_every_incident_of_a_second_look_a_mark(
        session: Session, settings: Settings, two: tuple[User, User]) -> None:
    case, (a, b) = _case_of(session)
    with pytest.raises(cases.MissingInput) as info:
        cases.judge(session, case, two[0], settings, {a.id: Mark(N, " ")}, version=case.version)
    assert info.value.key == "reason"
    session.rollback()
    case = session.get(Case, case.id)  # type: ignore[assignment]
    assert case is not None
    cases.judge(session, case, two[0], settings, {a.id: Mark(P), b.id: Mark(P)}, version=case.version)
    with pytest.raises(cases.MissingInput) as missing:
        cases.judge(session, case, two[1], settings, {a.id: Mark(P)}, version=case.version)
    assert missing.value.key == "marks"


def test_disagreement_is_not_proven_and_a_case_with_nothing_proven_is_dismissed(
        session: Session, settings: Settings, two: tuple[User, User]) -> None:
    case, (a, b) = _case_of(session)
    cases.judge(session, case, two[0], settings, {a.id: Mark(P), b.id: Mark(N, "berita netral")},
                version=case.version)
    cases.judge(session, case, two[1], settings, {a.id: Mark(N, "tidak jelas"), b.id: Mark(P)}, version=case.version)
    assert case.status == "dismissed"
    assert [(i.outcome, i.outcome_reason) for i in case.incidents] == [(N, "tidak jelas"), (N, "berita netral")]


def test_first_look_with_nothing_proven_closes_the_incidents_at_once(session: Session, settings: Settings,
                                                                       two: tuple[User, User]) -> None:
    case, (a, b) = _case_of(session)
    cases.judge(session, case, two[0], settings, {a.id: Mark(N, "KPU")}, version=case.version)
    assert case.status == "in_triage" and [i.outcome for i in case.incidents] == [N, None]
    cases.judge(session, case, two[0], settings, {b.id: Mark(N, "salah akun")}, version=case.version)
    assert case.status == "dismissed"


def test_an_incident_arriving_during_the_second_look_waits(session: Session, settings: Settings,
                                                           two: tuple[User, User]) -> None:
    """The confirmation covers the incidents its reviewers saw; the new one becomes supplementary."""
    rina, budi = two
    case, (a,) = _case_of(session, 1)
    cases.judge(session, case, rina, settings, {a.id: Mark(P)}, version=case.version)
    seen = case.version
    late = factories.incident(session, case, joined_status="awaiting_second")
    session.refresh(case)
    assert cases.confirm(session, case, budi, settings, version=seen) == "confirmed"
    session.expire_all()
    late = session.get(Incident, late.id)  # type: ignore[assignment]
    assert late is not None and late.outcome is None and late.supplementary and not late.marks
    stage, scope = cases.to_look_at(case, rina)
    assert (stage, [i.id for i in scope]) == (1, [late.id])


def test_supplementary_incidents_need_their_own_two_looks_and_go_as_an_addendum(
        session: Session, settings: Settings, two: tuple[User, User]) -> None:
    rina, budi = two
    case = _confirmed(session, settings, two)
    cases.advance(session, case, rina, "forward", settings, version=case.version, reference="800/1",
                  on=date(2024, 10, 8), to="bawaslu")
    extra = factories.incident(session, case, supplementary=True, joined_status="forwarded")
    session.commit()
    session.refresh(case)
    with pytest.raises(cases.InvalidTransition):  # nothing proven to add yet
        cases.advance(session, case, rina, "forward_addendum", settings, version=case.version, reference="800/2",
                      on=date(2024, 10, 9), to="bawaslu")
    session.rollback()
    case = session.get(Case, case.id)  # type: ignore[assignment]
    assert case is not None
    cases.confirm(session, case, rina, settings, version=case.version)
    assert case.status == "forwarded" and cases.second_look(case)[0].id == extra.id
    cases.confirm(session, case, budi, settings, version=case.version)
    assert case.status == "forwarded" and session.get(Incident, extra.id).outcome == P  # type: ignore[union-attr]
    cases.advance(session, case, rina, "forward_addendum", settings, version=case.version, reference="800/2",
                  on=date(2024, 10, 9), to="bawaslu")
    assert case.events[-1].data["addendum"] == 1 and case.events[-1].data["incidents"] == [extra.id]
    assert _actions(session, case)[-3:] == ["supplement_first", "supplement_confirmed", "forward_addendum"]


def test_a_stale_decision_is_refused_naming_who_changed_the_case(session: Session, settings: Settings,
                                                                 two: tuple[User, User]) -> None:
    rina, budi = two
    case, (a, b) = _case_of(session)
    opened = case.version
    cases.dismiss(session, case, budi, "berita netral KPU", version=opened)
    with pytest.raises(cases.StaleDecision) as info:
        cases.judge(session, case, rina, settings, {a.id: Mark(P), b.id: Mark(P)}, version=opened)
    assert info.value.changed_by == "budi" and "budi" in str(info.value)
    assert case.status == "dismissed"


def test_dismiss_requires_a_reason_and_closes_every_open_incident(session: Session, two: tuple[User, User]) -> None:
    rina, _ = two
    case, _incidents = _case_of(session)
    for blank in ("", "   "):
        with pytest.raises(cases.MissingInput):
            cases.dismiss(session, case, rina, blank, version=case.version)
    cases.dismiss(session, case, rina, "berita netral KPU", version=case.version)
    assert case.status == CaseStatus.DISMISSED
    assert {(i.outcome, i.outcome_reason, i.outcome_source) for i in case.incidents} == {
        (N, "berita netral KPU", "dismissal")}
    with pytest.raises(cases.InvalidTransition):
        cases.dismiss(session, case, rina, "lagi", version=case.version)


def test_second_reviewer_may_dismiss_instead(session: Session, settings: Settings, two: tuple[User, User]) -> None:
    rina, budi = two
    case = factories.case(session)
    cases.confirm(session, case, rina, settings, version=case.version)
    cases.dismiss(session, case, budi, "bukan akun paslon", version=case.version)
    assert case.status == CaseStatus.DISMISSED


def test_auditor_and_desk_cannot_decide(session: Session, settings: Settings) -> None:
    case = factories.case(session)
    for role in ("auditor", "desk"):
        with pytest.raises(cases.NotAllowed):
            cases.confirm(session, case, _user(session, f"u-{role}", role), settings, version=case.version)
    assert case.status == CaseStatus.DETECTED


def test_claims_exclude_others_until_they_expire(session: Session, settings: Settings,
                                                 two: tuple[User, User]) -> None:
    rina, budi = two
    case = factories.case(session)
    cases.claim(session, case, rina, settings, now=NOW)
    session.commit()
    assert case.status == CaseStatus.IN_TRIAGE
    with pytest.raises(cases.ClaimConflict):
        cases.claim(session, case, budi, settings, now=NOW + timedelta(minutes=5))
    with pytest.raises(cases.ClaimConflict):
        cases.dismiss(session, case, budi, "x", now=NOW + timedelta(minutes=5), version=case.version)
    session.rollback()
    case = session.get(Case, case.id)  # type: ignore[assignment]
    assert case is not None
    later = NOW + timedelta(minutes=settings.claim_minutes + 1)
    cases.claim(session, case, budi, settings, now=later)
    assert cases.review_of(session, case).claimed_by_id == budi.id
    assert cases.release(session, case, rina) is False
    assert cases.release(session, case, budi) is True
    assert cases.review_of(session, case).claimed_by_id is None


def test_escalate_keeps_case_open_and_doubles_priority(session: Session, two: tuple[User, User]) -> None:
    rina, _ = two
    case = factories.case(session, priority=0.4)
    cases.escalate(session, case, rina, "perlu pimpinan", version=case.version)
    assert case.status == CaseStatus.DETECTED
    assert cases.review_of(session, case).escalated
    assert case.priority == pytest.approx(0.8)


def _confirmed(session: Session, settings: Settings, two: tuple[User, User]) -> Case:
    case = factories.case(session)
    cases.confirm(session, case, two[0], settings, version=case.version)
    cases.confirm(session, case, two[1], settings, version=case.version)
    session.commit()
    return case


def test_due_process_to_closed(session: Session, settings: Settings, two: tuple[User, User]) -> None:
    rina, _ = two
    case = _confirmed(session, settings, two)

    def step(action: str, **kw: object) -> None:
        cases.advance(session, case, rina, action, settings, version=case.version, **kw)  # type: ignore[arg-type]

    with pytest.raises(cases.InvalidTransition):
        step("summon", reference="S-1", on=date(2024, 10, 8), examination_on=date(2024, 10, 30))
    with pytest.raises(cases.MissingInput):
        step("forward", reference=" ", on=date(2024, 10, 8), to="bkn")
    session.rollback()
    case = session.get(Case, case.id)  # type: ignore[assignment]
    assert case is not None
    step("forward", reference="800/12/BKPSDM", on=date(2024, 10, 8), to="bawaslu")
    step("recommendation", reference="REK-7", on=date(2024, 10, 15), issuer="bawaslu", summary="diteruskan ke BKN")
    session.commit()
    # 7 working days after Wednesday 16 Oct is Friday 25 Oct: the 24th is too early.
    with pytest.raises(cases.MissingInput):
        step("summon", reference="S-1", on=date(2024, 10, 16), examination_on=date(2024, 10, 24))
    session.rollback()
    case = session.get(Case, case.id)  # type: ignore[assignment]
    assert case is not None
    step("summon", reference="S-1", on=date(2024, 10, 16), examination_on=date(2024, 10, 25))
    step("summon", reference="S-2", on=date(2024, 10, 25), examination_on=date(2024, 11, 5))
    assert case.events[-1].data["summons"] == 2
    assert cases.review_of(session, case).deadline == date(2024, 11, 5)
    step("examine", reference="BAP-1", on=date(2024, 11, 5))
    session.commit()
    with pytest.raises(cases.MissingInput):
        step("decide", reference="SK-1", on=date(2024, 11, 20), track="none", level="berat")
    session.rollback()
    case = session.get(Case, case.id)  # type: ignore[assignment]
    assert case is not None
    step("decide", reference="SK-1", on=date(2024, 11, 20), track="discipline", level="sedang")
    # 14 working days after 20 Nov 2024, skipping voting day (27 Nov): 11 Dec.
    assert cases.review_of(session, case).deadline == date(2024, 12, 11)
    step("close")
    assert case.status == CaseStatus.CLOSED
    assert [e.to_status for e in case.events][-7:] == [
        "forwarded", "recommendation_received", "summoned", "summoned", "examination", "decided", "closed"]


def test_priority_is_strongest_incident_plus_a_bounded_term_for_their_number(session: Session,
                                                                             settings: Settings) -> None:
    from core.case_priority import IncidentFacts

    weights = cases.severity_weights(session)
    assert weights["HD-5"] == 4.0 and weights["KE-4"] == 1.0 and weights["HD-6"] == 3.0

    def facts(*scores: float, codes: list[str] | None = None) -> list[IncidentFacts]:
        return [IncidentFacts(s, codes or ["KE-4", "HD-6"], None, NOW) for s in scores]

    assert cases.priority(facts(0.5), weights, 0, False, settings) == pytest.approx(1.5)
    two_of_them = cases.priority(facts(0.5, 0.2), weights, 0, False, settings)
    assert two_of_them == pytest.approx(1.5 + settings.priority_incident_bonus / 2)
    many = cases.priority(facts(0.5, *[0.1] * 50), weights, 0, False, settings)
    assert many < 1.5 + settings.priority_incident_bonus
    aged = cases.priority(facts(0.5, codes=["KE-4"]), weights, int(settings.priority_age_workdays), False, settings)
    assert aged == pytest.approx(1.0)
    assert cases.priority(facts(0.5, codes=["KE-4"]), weights, 0, True, settings) == pytest.approx(1.0)


def test_refresh_priorities_orders_older_and_heavier_first(session: Session, settings: Settings) -> None:
    old = factories.case(session, score=0.5, candidate_codes=["KE-4"], created_at=datetime(2024, 10, 1, tzinfo=UTC))
    new = factories.case(session, score=0.5, candidate_codes=["KE-4"],
                         created_at=datetime(2024, 10, 14, tzinfo=UTC))
    heavy = factories.case(session, score=0.5, candidate_codes=["HD-6"],
                           created_at=datetime(2024, 10, 14, tzinfo=UTC))
    closed = factories.case(session, status="closed", priority=0.123, outcome=P)
    assert cases.refresh_priorities(session, settings, today=date(2024, 10, 14)) == 2  # "new" was right
    assert cases.refresh_priorities(session, settings, today=date(2024, 10, 14)) == 0  # nothing changed
    session.expire_all()
    assert new.priority == pytest.approx(0.5)
    assert old.priority == pytest.approx(0.5 * (1 + 9 / settings.priority_age_workdays))
    assert heavy.priority == pytest.approx(1.5)
    assert closed.priority == pytest.approx(0.123)


def test_identity_hidden_only_during_the_first_look(session: Session, settings: Settings,
                                                    two: tuple[User, User]) -> None:
    case = factories.case(session)
    assert cases.identity_hidden(case, settings)
    cases.confirm(session, case, two[0], settings, version=case.version)
    assert not cases.identity_hidden(case, settings)
    cases.record_view(session, case, two[1], identity_shown=True)
    last = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).one()
    assert (last.action, last.object_id, last.details["identity_shown"]) == ("case.view", str(case.id), True)


def test_step_dates_are_never_in_the_future_nor_before_the_previous_step(
        session: Session, settings: Settings, two: tuple[User, User]) -> None:
    rina, _ = two
    case = _confirmed(session, settings, two)
    today = date(2024, 10, 20)

    def step(action: str, **kw: object) -> None:
        cases.advance(session, case, rina, action, settings, version=case.version, today=today,
                      **kw)  # type: ignore[arg-type]

    with pytest.raises(cases.MissingInput) as future:
        step("forward", reference="800/1", on=date(2024, 10, 21), to="bawaslu")
    assert (future.value.key, future.value.allowed) == ("date_future", "2024-10-20")
    session.rollback()
    step("forward", reference="800/1", on=date(2024, 10, 14), to="bawaslu")
    with pytest.raises(cases.MissingInput) as early:
        step("recommendation", reference="REK-1", on=date(2024, 10, 11), issuer="bawaslu", summary="x")
    assert (early.value.key, early.value.allowed) == ("date_order", "2024-10-14")


def test_summons_refusal_names_the_earliest_examination_date(
        session: Session, settings: Settings, two: tuple[User, User]) -> None:
    rina, _ = two
    case = _confirmed(session, settings, two)
    for action, kw in (("forward", {"to": "bkn"}), ("recommendation", {"issuer": "bkn", "summary": "etik"})):
        cases.advance(session, case, rina, action, settings, version=case.version, reference="X",
                      on=date(2024, 10, 8), **kw)  # type: ignore[arg-type]
    with pytest.raises(cases.MissingInput) as exc:
        cases.advance(session, case, rina, "summon", settings, version=case.version, reference="S-1",
                      on=date(2024, 10, 16), examination_on=date(2024, 10, 24))
    assert exc.value.allowed == "2024-10-25"


def test_each_possible_step_has_its_working_day_deadline(session: Session, settings: Settings,
                                                         two: tuple[User, User]) -> None:
    rina, _ = two
    case = _confirmed(session, settings, two)
    cases.advance(session, case, rina, "forward", settings, version=case.version, reference="X",
                  on=date(2026, 8, 14), to="bkn")
    cases.advance(session, case, rina, "recommendation", settings, version=case.version, reference="R",
                  on=date(2026, 8, 14), issuer="bkn", summary="etik")
    # a summons sent on Friday 14 Aug 2026: 7 working days skip Independence Day (17 Aug) and the
    # Prophet's Birthday (25 Aug), neither in the settings list -> Thursday 27 Aug
    assert cases.step_deadlines(case, settings, date(2026, 8, 14))["summon"] == (date(2026, 8, 27),
                                                                                "examination_from")


def test_the_chain_bawaslu_then_bkn_then_ppk_with_a_hashed_letter(session: Session, settings: Settings,
                                                                   two: tuple[User, User]) -> None:
    import hashlib

    from core.evidence import EvidenceArchive

    rina, _ = two
    case = _confirmed(session, settings, two)
    letter = b"%PDF-1.4\n% rekomendasi Bawaslu\n"

    def step(action: str, **kw: object) -> None:
        cases.advance(session, case, rina, action, settings, version=case.version, **kw)  # type: ignore[arg-type]

    step("forward", reference="800/1", on=date(2024, 10, 1), to="bawaslu")
    step("forward_again", reference="800/2", on=date(2024, 10, 2), to="bkn")
    step("recommendation", reference="REK-B/1", on=date(2024, 10, 8), issuer="bawaslu",
         summary="terbukti melanggar netralitas; diteruskan ke BKN", letter=("rekomendasi.pdf", letter))
    step("recommendation", reference="BKN-R/2", on=date(2024, 10, 10), issuer="bkn", summary="jatuhkan sanksi")
    step("bkn_to_ppk", reference="BKN-P/3", on=date(2024, 10, 11))
    step("summon", reference="S-1", on=date(2024, 10, 14), examination_on=date(2024, 10, 23))
    step("examine", reference="BAP-1", on=date(2024, 10, 23))
    step("report", reference="LHP-1", on=date(2024, 10, 24), summary="terbukti")
    step("decide", reference="SK-1", on=date(2024, 10, 25), track="ethics", level="pernyataan terbuka")
    step("close")
    rec = next(e for e in case.events if e.action == "recommendation")
    sha = hashlib.sha256(letter).hexdigest()
    assert ([e.action for e in case.events][-10:], rec.data["issuer"], rec.data["letter"]["sha256"],
            EvidenceArchive(settings.resolved_evidence_dir).read(sha)) == (
        ["forward", "forward_again", "recommendation", "recommendation", "bkn_to_ppk", "summon", "examine",
         "report", "decide", "close"], "bawaslu", sha, letter)


def test_a_letter_that_is_not_what_its_name_says_is_refused_naming_the_field(
        session: Session, settings: Settings, two: tuple[User, User]) -> None:
    rina, _ = two
    case = _confirmed(session, settings, two)
    cases.advance(session, case, rina, "forward", settings, version=case.version, reference="800/1",
                  on=date(2024, 10, 1), to="bawaslu")
    with pytest.raises(cases.MissingInput) as exc:
        cases.advance(session, case, rina, "recommendation", settings, version=case.version, reference="R",
                      on=date(2024, 10, 2), issuer="bawaslu", summary="x", letter=("surat.pdf", b"GIF89a"))
    assert (exc.value.key, str(exc.value).startswith("letter:")) == ("letter", True)
