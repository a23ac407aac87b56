"""Decisions racing each other on a real database, in real threads with their own sessions.

Each race starts its contenders at one barrier; every contender either commits or is refused with a
workflow error (never an integrity error, a lock error or a half-applied change). Runs on SQLite and,
with ``NETRAL_TEST_DATABASE_URL``, on PostgreSQL.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from core import accounts, cases
from core.case_intake import Flag, open_or_update
from core.cases import Mark
from core.db import make_session_factory
from core.models import Case, CaseEvent, Incident, IncidentMark, User
from core.settings import Settings
from tests import factories

Contender = Callable[[Session], object]


def race(engine: Engine, *contenders: Contender, rounds: int = 1) -> list[str]:
    """Run the contenders at the same instant, each in its own thread and session; their outcomes
    (``ok`` or the refusal's class name; anything else is re-raised)."""
    factory = make_session_factory(engine)
    barrier = threading.Barrier(len(contenders))
    outcomes: list[str] = [""] * len(contenders)
    errors: list[BaseException] = []

    def run(n: int, fn: Contender) -> None:
        with factory() as session:
            try:
                barrier.wait(timeout=30)
                fn(session)
                session.commit()
                outcomes[n] = "ok"
            except cases.WorkflowError as exc:
                session.rollback()
                outcomes[n] = type(exc).__name__
            except BaseException as exc:
                session.rollback()
                errors.append(exc)

    threads = [threading.Thread(target=run, args=(n, fn)) for n, fn in enumerate(contenders)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    if errors:
        raise errors[0]
    return outcomes


@pytest.fixture
def reviewers(session: Session) -> tuple[int, int, int]:
    ids = tuple(accounts.create_user(session, name, "reviewer", "kata-sandi-uji").id
                for name in ("rina", "budi", "sari"))
    session.commit()
    return ids  # type: ignore[return-value]


def _user(session: Session, uid: int) -> User:
    user = session.get(User, uid)
    assert user is not None
    return user


def _case(session: Session, incidents: int = 1) -> tuple[int, int, list[int]]:
    """A committed case; (id, version, incident ids)."""
    case = factories.case(session)
    for _ in range(incidents - 1):
        factories.incident(session, case)
    session.commit()
    session.refresh(case)
    return case.id, case.version, [i.id for i in case.incidents]


def _load(session: Session, case_id: int) -> Case:
    case = session.get(Case, case_id)
    assert case is not None
    return case


def test_a_confirmation_and_a_dismissal_at_the_same_instant_one_wins(
        session: Session, engine: Engine, settings: Settings, reviewers: tuple[int, int, int]) -> None:
    rina, budi, _ = reviewers
    for _ in range(5):
        cid, version, _ids = _case(session)
        outcomes = race(
            engine,
            lambda s: cases.confirm(s, _load(s, cid), _user(s, rina), settings, version=version),
            lambda s: cases.dismiss(s, _load(s, cid), _user(s, budi), "berita netral", version=version))
        assert sorted(outcomes) == ["StaleDecision", "ok"]
        session.expire_all()
        decided = list(session.scalars(select(CaseEvent.action).where(
            CaseEvent.case_id == cid, CaseEvent.action.in_(("confirm_first", "dismiss")))))
        assert len(decided) == 1
        assert _load(session, cid).status == ("awaiting_second" if decided == ["confirm_first"] else "dismissed")


def test_parallel_first_actions_never_fail_with_an_error(session: Session, engine: Engine, settings: Settings,
                                                         reviewers: tuple[int, int, int]) -> None:
    rina, budi, sari = reviewers
    cid, version, (iid,) = _case(session)
    outcomes = race(
        engine,
        lambda s: cases.claim(s, _load(s, cid), _user(s, rina), settings),
        lambda s: cases.claim(s, _load(s, cid), _user(s, budi), settings),
        lambda s: cases.judge(s, _load(s, cid), _user(s, sari), settings, {iid: Mark("proven")}, version=version),
        lambda s: cases.escalate(s, _load(s, cid), _user(s, rina), "cek", version=version))
    assert outcomes.count("ok") >= 1 and set(outcomes) <= {"ok", "ClaimConflict", "StaleDecision"}
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(CaseEvent).where(
        CaseEvent.case_id == cid, CaseEvent.action == "triage")) == 1


def test_two_second_looks_at_once_give_one_confirmation(session: Session, engine: Engine, settings: Settings,
                                                        reviewers: tuple[int, int, int]) -> None:
    rina, budi, sari = reviewers
    cid, version, (iid,) = _case(session)
    cases.judge(session, _load(session, cid), _user(session, rina), settings, {iid: Mark("proven")}, version=version)
    session.commit()
    seen = _load(session, cid).version
    outcomes = race(
        engine,
        lambda s: cases.confirm(s, _load(s, cid), _user(s, budi), settings, version=seen),
        lambda s: cases.confirm(s, _load(s, cid), _user(s, sari), settings, version=seen))
    assert sorted(outcomes) == ["StaleDecision", "ok"]
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(IncidentMark).where(IncidentMark.incident_id == iid)) == 2


def test_a_verdict_on_a_target_racing_a_decision_on_one_of_its_incidents(
        session: Session, engine: Engine, settings: Settings, reviewers: tuple[int, int, int]) -> None:
    rina, budi, _ = reviewers
    for _ in range(3):
        kpu = factories.content(session, text="Pengumuman KPU: ayo ke TPS 27 November")
        touched = [factories.case(session, target=kpu) for _ in range(4)]
        session.commit()
        key = f"content:{kpu.id}"
        seen = cases.seen_versions(session, key)
        first = touched[0]
        iid, version = first.incidents[0].id, first.version
        outcomes = race(
            engine,
            lambda s: cases.rule_on_target(s, settings, key, _user(s, rina), "not_campaign", "pengumuman KPU",
                                           seen=seen),
            lambda s: cases.judge(s, _load(s, first.id), _user(s, budi), settings, {iid: Mark("proven")},
                                  version=version))
        assert sorted(outcomes) == ["StaleDecision", "ok"]
        session.expire_all()
        outcomes_now = {i.case_id: (i.outcome, _load(session, i.case_id).status)
                        for i in session.scalars(select(Incident).where(Incident.target_key == key))}
        if outcomes[0] == "ok":  # the verdict won: all four closed, every case dismissed
            assert set(outcomes_now.values()) == {("not_proven", "dismissed")}
        else:  # the look won: nothing of the verdict was applied anywhere
            assert outcomes_now[first.id] == (None, "awaiting_second")
            assert {v for c, v in outcomes_now.items() if c != first.id} == {(None, "detected")}


def test_an_incident_arriving_during_the_second_look_does_not_slip_into_the_confirmation(
        session: Session, engine: Engine, settings: Settings, reviewers: tuple[int, int, int]) -> None:
    rina, budi, _ = reviewers
    cid, version, (iid,) = _case(session)
    case = _load(session, cid)
    cases.judge(session, case, _user(session, rina), settings, {iid: Mark("proven")}, version=version)
    session.commit()
    employee_id, seen = case.employee_id, case.version
    acc = factories.account(session, case.employee)
    inter = factories.interaction(session, actor=acc)
    session.commit()
    flag = Flag(interaction_id=inter.id, employee_id=employee_id, platform="bluesky",
                target_key=f"content:{inter.target_content_id}", target_content_id=inter.target_content_id,
                election_id=None, model_version="m1", score=0.9, pair_number=1, stance="support", codes=["KE-4"],
                elements=["like"], priority=0.5)

    def arrive(s: Session) -> Any:
        return open_or_update(s, flag)

    outcomes = race(engine, lambda s: cases.confirm(s, _load(s, cid), _user(s, budi), settings, version=seen),
                    arrive)
    assert outcomes == ["ok", "ok"]
    session.expire_all()
    final = _load(session, cid)
    late = next(i for i in final.incidents if i.id != iid)
    assert final.status == "confirmed" and [i.outcome for i in final.incidents if i.id == iid] == ["proven"]
    assert late.outcome is None and not late.marks  # it waits for its own two looks
